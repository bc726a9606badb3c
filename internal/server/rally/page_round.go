package rally

import (
	"context"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// Rally'nov pages: the rounds (public), a round's page (its timeline and
// results for everyone; entries, selection, stages and trophies for the
// organiser; their entries for companies), the set-up form, the entry form
// and the jury's "entries to score".

// criterionRows is how many grid lines the set-up form offers (no JavaScript).
const criterionRows = 6

type rallyListPage struct {
	kit.Layout
	Rounds []storage.RoundRow
	Now    time.Time
	Next   string
}

// rallyList lists the rounds, newest first.
func (s *Handlers) rallyList(c *fiber.Ctx) error {
	rows, next, err := s.DB.Rounds(c.UserContext(), 50, kit.CursorParam(c))
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "rally", rallyListPage{Layout: s.Layout(c, "rally", "web.rally.title"), Rounds: rows, Now: time.Now(), Next: next})
}

// phaseView is a line of a round's timeline.
type phaseView struct {
	domain.PhaseSpan
	State string // done, current, upcoming
}

// Last is the phase's last moment (a day's end is the next midnight).
func (p phaseView) Last() time.Time { return p.EndsAt.Add(-time.Nanosecond) }

type roundPage struct {
	kit.Layout
	R           storage.RoundRow
	Current     domain.Phase
	Timeline    []phaseView
	EntriesOpen bool
	Ident       domain.PhaseSpan
	IdentLast   time.Time
	Results     resultsJSON
	Organiser   bool
	// JuryLink: the viewer is a juror who may score this round (any juror
	// when it has no jury of its own).
	JuryLink bool

	// The organiser's part.
	Entries         []storage.EntryRow
	NextEntries     string
	Jury            int
	CanAdvance      bool
	NextPhase       domain.Phase
	CanSelect       bool
	CanSchedule     bool
	CanAward        bool
	SelectForm      *kit.Form
	JuryForm        *kit.Form
	CanNameJury     bool
	JurorOpts       []kit.Option
	PerCategoryOpts []kit.Option
	StageForm       *kit.Form
	TrophyForm      *kit.Form
	AdvanceForm     *kit.Form
	SelectedOpts    []kit.Option
	CategoryOpts    []kit.Option

	// A company's own entries.
	MyEntries []storage.EntryRow
}

// Score writes a mean or a sheet's score as people read it ("—" for none).
func (p roundPage) Score(v *float64) string {
	if v == nil {
		return "—"
	}
	return kit.FormatNumber(p.Lang, *v, 2)
}

// EntryStatus says where a company's entry stands, in the page's language.
func (p roundPage) EntryStatus(id string) string {
	for _, t := range p.Results.Trophies {
		if t.Entry.EntryID == id {
			return i18n.T(p.Lang, "web.rally.status.trophy", t.Category)
		}
	}
	for _, st := range p.Results.Stages {
		for _, e := range st.Entries {
			if e.EntryID == id {
				return i18n.T(p.Lang, "web.rally.status.stage", st.Place)
			}
		}
	}
	for _, e := range p.Results.Selected {
		if e.EntryID == id {
			return i18n.T(p.Lang, "web.rally.status.selected")
		}
	}
	if p.R.Selection != nil {
		return i18n.T(p.Lang, "web.rally.status.not_selected")
	}
	return i18n.T(p.Lang, "web.rally.status.waiting")
}

// EntryTitle names the entry a ranking line stands for (organiser's selection view).
func (p roundPage) EntryTitle(id string) string {
	for _, e := range p.Entries {
		if e.ID == id {
			return e.Title
		}
	}
	for _, e := range p.Results.Selected {
		if e.EntryID == id {
			return e.Title
		}
	}
	return id
}

// roundView builds a round's page for the signed-in person.
func (s *Handlers) roundView(c *fiber.Ctx, row storage.RoundRow) (roundPage, error) {
	now := time.Now()
	d := row.Domain()
	p := roundPage{Layout: s.Layout(c, "rally", ""), R: row, Current: d.CurrentPhase(now), EntriesOpen: d.EntriesOpen(now),
		Ident: d.Span(domain.PhaseIdentification)}
	p.IdentLast = p.Ident.EndsAt.Add(-time.Nanosecond)
	p.Named = row.Title
	cur := -1
	for i, sp := range row.Phases {
		if sp.Phase == p.Current {
			cur = i
		}
	}
	for i, sp := range row.Phases {
		st := "upcoming"
		switch {
		case i == cur:
			st = "current"
		case i < cur:
			st = "done"
		}
		p.Timeline = append(p.Timeline, phaseView{PhaseSpan: sp, State: st})
	}
	var err error
	if p.Results, err = s.results(c, row); err != nil {
		return p, err
	}
	u, signed := kit.UserOf(c)
	if !signed {
		return p, nil
	}
	ctx := c.UserContext()
	p.JuryLink = u.Caller().Has(domain.RoleJury) && row.InJury(u.ID)
	if u.Caller().Has(domain.RoleActor) {
		if p.MyEntries, _, err = s.DB.Entries(ctx, storage.EntryFilter{RoundID: row.ID, SubmittedBy: u.ID, Limit: 50}); err != nil {
			return p, err
		}
	}
	if !u.Caller().Has(domain.RoleOrganiser) {
		return p, nil
	}
	p.Organiser = true
	return p, s.organiserView(c, row, d, now, &p)
}

// roundPageView shows a round.
func (s *Handlers) roundPageView(c *fiber.Ctx) error {
	row, err := s.DB.Round(c.UserContext(), c.Params("id"))
	if err != nil {
		return err
	}
	p, err := s.roundView(c, row)
	if err != nil {
		return err
	}
	return s.Render(c, fiber.StatusOK, "rally_round", p)
}

// roundAction carries out one of the organiser's forms on the round page:
// on success back to the page with a message; refused, the page again with
// the form's messages.
func (s *Handlers) roundAction(c *fiber.Ctx, prefix string, names []string, flash string, build func(f *kit.Form, fe domain.FieldErrors) domain.RallyCommand) error {
	return s.roundForm(c, prefix, names, flash, func(f *kit.Form, fe domain.FieldErrors) roundDo {
		cmd := build(f, fe)
		return func(ctx context.Context, by domain.Caller, id, key string) error {
			_, err := s.rally.Act(ctx, by, id, cmd, key)
			return err
		}
	})
}

// roundDo carries out a posted form's change on a round.
type roundDo func(ctx context.Context, by domain.Caller, id, key string) error

func (s *Handlers) roundForm(c *fiber.Ctx, prefix string, names []string, flash string, build func(f *kit.Form, fe domain.FieldErrors) roundDo) error {
	f := kit.PostedForm(c, prefix, names...)
	fe := domain.FieldErrors{}
	do := build(f, fe)
	u, _ := kit.UserOf(c)
	err := fe.Err()
	if err == nil {
		err = do(c.UserContext(), u.Caller(), c.Params("id"), "web:"+f.Key)
	}
	if err == nil {
		s.Flash(c, flash)
		return c.Redirect(kit.PageURL("rally.round", c.Params("id")), fiber.StatusSeeOther)
	}
	if domain.IsCode(err, domain.CodeNotFound) {
		return err
	}
	status, ok := f.Fail(kit.LangOf(c), err)
	if !ok {
		return err
	}
	row, rerr := s.DB.Round(c.UserContext(), c.Params("id"))
	if rerr != nil {
		return rerr
	}
	p, rerr := s.roundView(c, row)
	if rerr != nil {
		return rerr
	}
	p.Failed = true
	switch prefix {
	case "advance-":
		p.AdvanceForm = f
	case "select-":
		p.SelectForm = f
	case "jury-":
		p.JuryForm = f
	case "stage-":
		p.StageForm = f
	case "trophy-":
		p.TrophyForm = f
	}
	return s.Render(c, status, "rally_round", p)
}

func (s *Handlers) roundAdvancePage(c *fiber.Ctx) error {
	return s.roundAction(c, "advance-", nil, "web.flash.rally.advanced", func(*kit.Form, domain.FieldErrors) domain.RallyCommand {
		return domain.RallyCommand{Action: domain.RallyAdvance}
	})
}

func (s *Handlers) roundSelectPage(c *fiber.Ctx) error {
	return s.roundAction(c, "select-", []string{"count", "per_category"}, "web.flash.rally.selected", func(f *kit.Form, fe domain.FieldErrors) domain.RallyCommand {
		cmd := domain.RallyCommand{Action: domain.RallySelect}
		v := strings.TrimSpace(f.Value("count"))
		if v == "" {
			fe.Add("count", "field.required")
			return cmd
		}
		n, err := strconv.Atoi(v)
		if err != nil {
			fe.Add("count", "field.type", "@type.number")
		}
		if f.Value("per_category") != "" {
			cmd.CountPerCategory = &n
		} else {
			cmd.Count = &n
		}
		return cmd
	})
}

// roundJuryPage names the round's jurors from the organiser's checkboxes.
func (s *Handlers) roundJuryPage(c *fiber.Ctx) error {
	return s.roundForm(c, "jury-", []string{"user_ids"}, "web.flash.rally.jury", func(f *kit.Form, fe domain.FieldErrors) roundDo {
		ids := f.Values["user_ids"]
		if len(ids) == 0 {
			fe.Add("user_ids", "field.required")
		}
		return func(ctx context.Context, by domain.Caller, id, key string) error {
			_, err := s.rally.NameJury(ctx, by, id, ids, key)
			return err
		}
	})
}

func (s *Handlers) roundStagePage(c *fiber.Ctx) error {
	return s.roundAction(c, "stage-", []string{"place", "day", "entry_ids"}, "web.flash.rally.stage", func(f *kit.Form, _ domain.FieldErrors) domain.RallyCommand {
		return domain.RallyCommand{Action: domain.RallySchedule, Stop: &domain.StopInput{Place: f.Value("place"), Day: f.Value("day"), EntryIDs: f.Values["entry_ids"]}}
	})
}

func (s *Handlers) roundTrophyPage(c *fiber.Ctx) error {
	return s.roundAction(c, "trophy-", []string{"category", "entry_id"}, "web.flash.rally.trophy", func(f *kit.Form, _ domain.FieldErrors) domain.RallyCommand {
		return domain.RallyCommand{Action: domain.RallyAward, Category: f.Value("category"), EntryID: f.Value("entry_id")}
	})
}

var notSlug = regexp.MustCompile(`[^a-z0-9]+`)

var entryFields = []string{"organisation", "kind", "title", "description", "category"}

// organiserView fills the organiser's part of the round page: entries with
// their sheets, the jury, and the forms the round's phase allows.
func (s *Handlers) organiserView(c *fiber.Ctx, row storage.RoundRow, d domain.Round, now time.Time, p *roundPage) error {
	ctx := c.UserContext()
	var err error
	if p.Entries, p.NextEntries, err = s.DB.Entries(ctx, storage.EntryFilter{RoundID: row.ID, Limit: 50, Cursor: kit.CursorParam(c)}); err != nil {
		return err
	}
	jurors, err := s.DB.ActiveWithRole(ctx, domain.RoleJury, domain.MaxRallyJurors*10)
	if err != nil {
		return err
	}
	p.Jury = len(row.Jury)
	if p.Jury == 0 {
		p.Jury = len(jurors)
	}
	lang := kit.LangOf(c)
	p.NextPhase, _ = d.NextPhase(now)
	p.CanAdvance = !row.Archived && p.NextPhase != ""
	inSelection := p.Current == domain.PhaseIdentification || p.Current == domain.PhaseStages
	// made once in either phase; made again only during identification
	p.CanSelect = !row.Archived && inSelection && (row.Selection == nil || p.Current == domain.PhaseIdentification && len(row.Stages) == 0)
	p.CanNameJury = !row.Archived && row.Selection == nil
	p.CanSchedule = !row.Archived && inSelection && row.Selection != nil
	p.CanAward = !row.Archived && p.Current == domain.PhaseClosing && row.Selection != nil
	p.AdvanceForm = kit.NewForm("advance-")
	p.SelectForm = kit.NewForm("select-", "count", "per_category")
	p.JuryForm = kit.NewForm("jury-", "user_ids")
	for _, j := range row.Jury {
		p.JuryForm.Values["user_ids"] = append(p.JuryForm.Values["user_ids"], j.ID)
	}
	p.PerCategoryOpts = []kit.Option{{Value: "1", Label: i18n.T(lang, "web.rally.select.per_category")}}
	for _, j := range jurors {
		p.JurorOpts = append(p.JurorOpts, kit.Option{Value: j.ID, Label: j.Name, Hint: j.Organisation})
	}
	p.StageForm = kit.NewForm("stage-", "place", "day", "entry_ids")
	p.TrophyForm = kit.NewForm("trophy-", "category", "entry_id")
	for _, e := range p.Results.Selected {
		p.SelectedOpts = append(p.SelectedOpts, kit.Option{Value: e.EntryID, Label: e.Title, Hint: e.Organisation + " · " + e.Category})
	}
	for _, cat := range row.Categories {
		hint := ""
		for _, t := range p.Results.Trophies {
			if t.Category == cat {
				hint = i18n.T(lang, "web.rally.trophy_awarded_to", t.Entry.Title)
			}
		}
		p.CategoryOpts = append(p.CategoryOpts, kit.Option{Value: cat, Label: cat, Hint: hint})
	}
	return nil
}
