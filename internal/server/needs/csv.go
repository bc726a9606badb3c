package needs

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/csvexport"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// needsCSV is the public list of needs as CSV for French spreadsheets, with
// the list's filters (q, territory, theme, stage, officer) and what the
// public page shows: no names of people.
func (s *Handlers) needsCSV(c *fiber.Ctx) error {
	f, err := listFilter(c)
	if err != nil {
		return err
	}
	ref, err := s.RefLabels(c)
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	f.Limit, f.Cards = kit.ExportPage, true
	fetch := func(ctx context.Context, cursor string) ([]storage.NeedRow, string, error) {
		g := f
		if cursor != "" {
			g.Cursor = cursor
		}
		return s.DB.Needs(ctx, g)
	}
	day := func(at time.Time) csvexport.Cell { return csvexport.Text(at.In(s.Pages.Loc).Format(time.DateOnly)) }
	return kit.StreamCSV(s.Kit, c, "essor-besoins.csv", []string{t("export.id"), t("export.title"), t("export.theme"),
		t("export.territory_code"), t("export.territory"), t("export.stage"), t("export.submitted_on"),
		t("export.stage_since"), t("export.supports"), t("export.late")}, fetch, kit.MaxExportRows,
		func(n storage.NeedRow) []csvexport.Cell {
			late := ""
			if n.Overdue(time.Now()) {
				late = t("export.yes")
			}
			return []csvexport.Cell{csvexport.Text(n.ID), csvexport.Text(n.Title), csvexport.Text(ref.ThemeNames[n.Theme]),
				csvexport.Text(n.TerritoryCode), csvexport.Text(ref.Territory(n.TerritoryCode)),
				csvexport.Text(t("stage." + string(n.Stage))), day(n.CreatedAt), day(n.StageEnteredAt),
				csvexport.Int(n.Supports), csvexport.Text(late)}
		})
}
