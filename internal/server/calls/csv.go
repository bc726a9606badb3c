package calls

import (
	"context"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/csvexport"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// callsCSV is the public list of calls for projects as CSV.
func (s *Handlers) callsCSV(c *fiber.Ctx) error {
	f, err := callFilter(c)
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	when := func(at time.Time) csvexport.Cell {
		return csvexport.Text(at.In(s.Pages.Loc).Format("2006-01-02 15:04"))
	}
	f.Limit = kit.ExportPage
	fetch := func(ctx context.Context, cursor string) ([]storage.CallRow, string, error) {
		g := f
		if cursor != "" {
			g.Cursor = cursor
		}
		return s.DB.Calls(ctx, g)
	}
	return kit.StreamCSV(s.Kit, c, "essor-appels-a-projets.csv", []string{t("export.id"), t("export.title"), t("export.stage"),
		t("export.opens"), t("export.closes"), t("export.applications"), t("export.selected")}, fetch, kit.MaxExportRows,
		func(r storage.CallRow) []csvexport.Cell {
			return []csvexport.Cell{csvexport.Text(r.ID), csvexport.Text(r.Title), csvexport.Text(t("stage." + string(r.Stage))),
				when(r.OpensAt), when(r.ClosesAt), csvexport.Int(r.ApplicationsCount), csvexport.Text(strings.Join(r.Selected, ","))}
		})
}
