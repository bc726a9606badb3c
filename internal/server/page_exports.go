package server

import (
	"bytes"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/i18n"
	"essor/internal/indicators"
	"essor/internal/storage"
)

// maxExportRows bounds a list's CSV: a filtered list is what people open in
// a spreadsheet; the whole base is the open-data export's.
const maxExportRows = 20000

// needsCSV is the public list of needs as CSV for French spreadsheets, with
// the list's filters (q, territory, theme, stage, officer) and what the
// public page shows: no names of people.
func (s *Server) needsCSV(c *fiber.Ctx) error {
	f, err := listFilter(c)
	if err != nil {
		return err
	}
	ref, err := s.refLabels(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	var rows [][]string
	f.Limit, f.Cards = 200, true
	for len(rows) < maxExportRows {
		page, next, err := s.db.Needs(c.UserContext(), f)
		if errors.Is(err, storage.ErrBadCursor) {
			return err
		}
		if err != nil {
			return err
		}
		now := time.Now()
		for _, n := range page {
			late := ""
			if n.Overdue(now) {
				late = t("web.export.yes")
			}
			rows = append(rows, []string{n.ID, n.Title, ref.themes[n.Theme], n.TerritoryCode, ref.Territory(n.TerritoryCode),
				t("stage." + string(n.Stage)), n.CreatedAt.In(s.pages.loc).Format(time.DateOnly),
				n.StageEnteredAt.In(s.pages.loc).Format(time.DateOnly), strconv.Itoa(n.Supports), late})
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	return sendCSV(c, "essor-besoins.csv", []string{"id", t("web.export.title"), t("web.label.theme"), t("web.export.code"),
		t("web.label.territory_code"), t("web.study.stage"), t("web.export.created"), t("web.export.stage_since"),
		t("web.need.supports"), t("web.late")}, rows)
}

// studyActionsCSV is the public list of study-actions as CSV.
func (s *Server) studyActionsCSV(c *fiber.Ctx) error {
	f, err := studyActionFilter(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	var rows [][]string
	f.Limit, f.LateFirst = 200, false
	for len(rows) < maxExportRows {
		page, next, err := s.db.StudyActions(c.UserContext(), f)
		if err != nil {
			return err
		}
		for _, r := range page {
			p := r.Plan()
			lev := ""
			if l := p.Leverage(); l != nil {
				lev = indicators.Decimal(*l)
			}
			rows = append(rows, []string{r.ID, r.ProjectTitle, r.HostCompany, r.Sponsor, t("stage." + string(r.Stage)),
				strconv.Itoa(r.Months), indicators.Decimal(p.RegionEUR), indicators.Decimal(p.CDCEUR),
				indicators.Decimal(p.PrivateEUR), lev, r.CreatedAt.In(s.pages.loc).Format(time.DateOnly)})
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	return sendCSV(c, "essor-etudes-actions.csv", []string{"id", t("web.label.project_title"), t("web.label.host_company"),
		t("web.label.sponsor"), t("web.study.stage"), t("web.study.duration"), t("funder.region"), t("funder.cdc"),
		t("funder.private"), t("web.study.leverage"), t("web.study.applied_on")}, rows)
}

func sendCSV(c *fiber.Ctx, name string, header []string, rows [][]string) error {
	var buf bytes.Buffer
	if err := indicators.WriteCSV(&buf, header, rows); err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`"`)
	return c.Send(buf.Bytes())
}

// callsCSV is the public list of calls for projects as CSV.
func (s *Server) callsCSV(c *fiber.Ctx) error {
	f, err := callFilter(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	when := func(at time.Time) string { return at.In(s.pages.loc).Format("2006-01-02 15:04") }
	var rows [][]string
	f.Limit = 200
	for len(rows) < maxExportRows {
		page, next, err := s.db.Calls(c.UserContext(), f)
		if err != nil {
			return err
		}
		for _, r := range page {
			rows = append(rows, []string{r.ID, r.Title, t("stage." + string(r.Stage)), when(r.OpensAt), when(r.ClosesAt),
				strconv.Itoa(r.ApplicationsCount), strings.Join(r.Selected, ",")})
		}
		if next == "" {
			break
		}
		f.Cursor = next
	}
	return sendCSV(c, "essor-appels-a-projets.csv", []string{"id", t("web.export.title"), t("web.study.stage"),
		t("web.export.opens"), t("web.export.closes"), t("web.export.applications"), t("web.export.selected")}, rows)
}

// roundsCSV is the public list of Rally'nov rounds as CSV.
func (s *Server) roundsCSV(c *fiber.Ctx) error {
	lang := langOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	var rows [][]string
	cursor := ""
	for len(rows) < maxExportRows {
		page, next, err := s.db.Rounds(c.UserContext(), 200, cursor)
		if errors.Is(err, storage.ErrBadCursor) {
			return err
		}
		if err != nil {
			return err
		}
		for _, r := range page {
			selected := 0
			if r.Selection != nil {
				selected = len(r.Selection.Selected)
			}
			rows = append(rows, []string{r.ID, r.Title, string(r.Phase), strconv.Itoa(r.Entries), strconv.Itoa(selected),
				strconv.Itoa(len(r.Trophies)), r.CreatedAt.In(s.pages.loc).Format(time.DateOnly)})
		}
		if next == "" {
			break
		}
		cursor = next
	}
	return sendCSV(c, "essor-rallye.csv", []string{"id", t("web.export.title"), t("web.export.phase"), t("web.export.entries"),
		t("web.export.selected"), t("web.export.trophies"), t("web.export.created")}, rows)
}
