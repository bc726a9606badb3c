package server

import (
	"context"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/gofiber/fiber/v2"

	"essor/internal/csvexport"
	"essor/internal/i18n"
	"essor/internal/storage"
)

// maxExportRows bounds a list's CSV: a filtered list is what people open in
// a spreadsheet; the whole base is the open-data export's.
const maxExportRows = 20000

// exportPage is how many rows a list's export reads at a time.
const exportPage = 500

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
	f.Limit, f.Cards = exportPage, true
	fetch := func(ctx context.Context, cursor string) ([]storage.NeedRow, string, error) {
		g := f
		if cursor != "" {
			g.Cursor = cursor
		}
		return s.db.Needs(ctx, g)
	}
	day := func(at time.Time) csvexport.Cell { return csvexport.Text(at.In(s.pages.loc).Format(time.DateOnly)) }
	return streamCSV(s, c, "essor-besoins.csv", []string{t("export.id"), t("export.title"), t("export.theme"),
		t("export.territory_code"), t("export.territory"), t("export.stage"), t("export.submitted_on"),
		t("export.stage_since"), t("export.supports"), t("export.late")}, fetch, maxExportRows,
		func(n storage.NeedRow) []csvexport.Cell {
			late := ""
			if n.Overdue(time.Now()) {
				late = t("export.yes")
			}
			return []csvexport.Cell{csvexport.Text(n.ID), csvexport.Text(n.Title), csvexport.Text(ref.themes[n.Theme]),
				csvexport.Text(n.TerritoryCode), csvexport.Text(ref.Territory(n.TerritoryCode)),
				csvexport.Text(t("stage." + string(n.Stage))), day(n.CreatedAt), day(n.StageEnteredAt),
				csvexport.Int(n.Supports), csvexport.Text(late)}
		})
}

// studyActionsCSV is the public list of study-actions as CSV.
func (s *Server) studyActionsCSV(c *fiber.Ctx) error {
	f, err := studyActionFilter(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	f.Limit, f.LateFirst = exportPage, false
	fetch := func(ctx context.Context, cursor string) ([]storage.StudyActionRow, string, error) {
		g := f
		if cursor != "" {
			g.Cursor = cursor
		}
		return s.db.StudyActions(ctx, g)
	}
	return streamCSV(s, c, "essor-etudes-actions.csv", []string{t("export.id"), t("export.project_title"),
		t("export.host_company"), t("export.sponsor"), t("export.stage"), t("export.months"), t("export.region_eur"),
		t("export.cdc_eur"), t("export.private_eur"), t("export.leverage"), t("export.applied_on")}, fetch, maxExportRows,
		func(r storage.StudyActionRow) []csvexport.Cell {
			p := r.Plan()
			lev := csvexport.Text("")
			if l := p.Leverage(); l != nil {
				lev = csvexport.Decimal(*l)
			}
			return []csvexport.Cell{csvexport.Text(r.ID), csvexport.Text(r.ProjectTitle), csvexport.Text(r.HostCompany),
				csvexport.Text(r.Sponsor), csvexport.Text(t("stage." + string(r.Stage))), csvexport.Int(r.Months),
				csvexport.Decimal(p.RegionEUR), csvexport.Decimal(p.CDCEUR), csvexport.Decimal(p.PrivateEUR), lev,
				csvexport.Text(r.CreatedAt.In(s.pages.loc).Format(time.DateOnly))}
		})
}

// callsCSV is the public list of calls for projects as CSV.
func (s *Server) callsCSV(c *fiber.Ctx) error {
	f, err := callFilter(c)
	if err != nil {
		return err
	}
	lang := langOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	when := func(at time.Time) csvexport.Cell {
		return csvexport.Text(at.In(s.pages.loc).Format("2006-01-02 15:04"))
	}
	f.Limit = exportPage
	fetch := func(ctx context.Context, cursor string) ([]storage.CallRow, string, error) {
		g := f
		if cursor != "" {
			g.Cursor = cursor
		}
		return s.db.Calls(ctx, g)
	}
	return streamCSV(s, c, "essor-appels-a-projets.csv", []string{t("export.id"), t("export.title"), t("export.stage"),
		t("export.opens"), t("export.closes"), t("export.applications"), t("export.selected")}, fetch, maxExportRows,
		func(r storage.CallRow) []csvexport.Cell {
			return []csvexport.Cell{csvexport.Text(r.ID), csvexport.Text(r.Title), csvexport.Text(t("stage." + string(r.Stage))),
				when(r.OpensAt), when(r.ClosesAt), csvexport.Int(r.ApplicationsCount), csvexport.Text(strings.Join(r.Selected, ","))}
		})
}

// roundsCSV is the public list of Rally'nov rounds as CSV: each with the
// phase its page shows, in words.
func (s *Server) roundsCSV(c *fiber.Ctx) error {
	lang := langOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	fetch := func(ctx context.Context, cursor string) ([]storage.RoundRow, string, error) {
		return s.db.Rounds(ctx, exportPage, cursor)
	}
	return streamCSV(s, c, "essor-rallye.csv", []string{t("export.id"), t("export.title"), t("export.phase"),
		t("export.entries"), t("export.selected_entries"), t("export.trophies"), t("export.created_on")}, fetch, maxExportRows,
		func(r storage.RoundRow) []csvexport.Cell {
			selected := 0
			if r.Selection != nil {
				selected = len(r.Selection.Selected)
			}
			phase := string(r.CurrentPhase(time.Now()))
			if phase == "" {
				phase = "none"
			}
			return []csvexport.Cell{csvexport.Text(r.ID), csvexport.Text(r.Title),
				csvexport.Text(capitalised(t("rally.phase." + phase))), csvexport.Int(r.Entries), csvexport.Int(selected),
				csvexport.Int(len(r.Trophies)), csvexport.Text(r.CreatedAt.In(s.pages.loc).Format(time.DateOnly))}
		})
}

// capitalised starts a label with a capital, as a cell of its own.
func capitalised(s string) string {
	if s == "" {
		return s
	}
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}
