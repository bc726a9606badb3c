package rally

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// sheetView is an entry on the jury's page, with the juror's grid.
type sheetView struct {
	storage.EntryRow
	Own      bool // of the juror's own organisation: not to score
	MyScore  string
	Form     *kit.Form
	Criteria []criterionField
	CSRF     string
	RoundID  string
}

type criterionField struct {
	domain.Criterion
	ID, Value, WeightText string
}

type juryPage struct {
	kit.Layout
	R      storage.RoundRow
	Sheets []sheetView
	Next   string
	Closed bool
	// NotMember: the round has a jury of its own without the viewer.
	NotMember bool
}

// juryView builds the jury's page; failed, when set, is the form refused.
func (s *Handlers) juryView(c *fiber.Ctx, row storage.RoundRow, failed *kit.Form, failedEntry string) (juryPage, error) {
	u, _ := kit.UserOf(c)
	p := juryPage{Layout: s.Layout(c, "rally", "web.rally.jury.title"), R: row, Closed: row.Selection != nil || row.Archived}
	if !row.InJury(u.ID) {
		p.NotMember = true
		return p, nil
	}
	rows, next, err := s.DB.Entries(c.UserContext(), storage.EntryFilter{RoundID: row.ID, Juror: u.ID, Limit: 20, Cursor: kit.CursorParam(c)})
	if err != nil {
		return p, err
	}
	p.Next = next
	csrf := kit.FormToken(c)
	own := u.Caller().OrganisationKey()
	for _, e := range rows {
		v := sheetView{EntryRow: e, CSRF: csrf, RoundID: row.ID,
			Own: domain.NormaliseKey(e.Organisation) == own}
		if e.MySheet != nil {
			v.MyScore = kit.FormatNumber(kit.LangOf(c), *e.MySheet, 2)
		}
		names := make([]string, len(row.Criteria))
		for i, cr := range row.Criteria {
			names[i] = cr.Key
		}
		v.Form = kit.NewForm("sheet-"+e.ID+"-", append(names, "scores")...)
		if e.ID == failedEntry && failed != nil {
			v.Form = failed
		} else if e.MySheet != nil {
			scores, err := s.DB.SheetScores(c.UserContext(), e.ID, u.ID)
			if err != nil {
				return p, err
			}
			for k, x := range scores {
				v.Form.Set(k, strconv.FormatFloat(x, 'f', -1, 64))
			}
		}
		for _, cr := range row.Criteria {
			v.Criteria = append(v.Criteria, criterionField{Criterion: cr, ID: v.Form.Prefix + cr.Key, Value: v.Form.Value(cr.Key),
				WeightText: kit.PlainNumber(kit.LangOf(c), cr.Weight)})
		}
		p.Sheets = append(p.Sheets, v)
	}
	return p, nil
}

// juryEntries lists a round's entries for a juror, each with the grid.
func (s *Handlers) juryEntries(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	p, err := s.juryView(c, row, nil, "")
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "rally_jury", p)
}

// scoreEntryPage records a juror's sheet from the grid form.
func (s *Handlers) scoreEntryPage(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	entryID := strings.ToLower(c.Params("entry"))
	names := make([]string, len(row.Criteria))
	for i, cr := range row.Criteria {
		names[i] = cr.Key
	}
	f := kit.PostedForm(c, "sheet-"+entryID+"-", append(names, "scores")...)
	cmd := domain.RallyCommand{Action: domain.RallyScore, EntryID: entryID, Scores: map[string]*float64{}}
	fe := domain.FieldErrors{}
	for _, cr := range row.Criteria {
		v := strings.TrimSpace(f.Value(cr.Key))
		if v == "" {
			continue // the domain names the missing criterion
		}
		x, ok := kit.ParseAmount(v)
		if !ok {
			fe.Add("scores", "field.score_range", cr.Label)
			continue
		}
		cmd.Scores[cr.Key] = &x
	}
	u, _ := kit.UserOf(c)
	err = fe.Err()
	if err == nil {
		_, err = s.rally.Act(c.UserContext(), u.Caller(), row.ID, cmd, "web:"+f.Key)
	}
	if err == nil {
		s.Flash(c, "web.flash.rally.scored")
		return c.Redirect(kit.PageURL("rally.jury", row.ID)+"#entry-"+entryID, fiber.StatusSeeOther)
	}
	if domain.IsCode(err, domain.CodeNotFound) {
		return err
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	p, jerr := s.juryView(c, row, f, entryID)
	if jerr != nil {
		return jerr
	}
	p.Failed = true
	return s.Render(c, status, "rally_jury", p)
}
