package rally

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/csvexport"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// roundsCSV is the public list of Rally'nov rounds as CSV: each with the
// phase its page shows, in words.
func (s *Handlers) roundsCSV(c *fiber.Ctx) error {
	lang := kit.LangOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	fetch := func(ctx context.Context, cursor string) ([]storage.RoundRow, string, error) {
		return s.DB.Rounds(ctx, kit.ExportPage, cursor)
	}
	return kit.StreamCSV(s.Kit, c, "essor-rallye.csv", []string{t("export.id"), t("export.title"), t("export.phase"),
		t("export.entries"), t("export.selected_entries"), t("export.trophies"), t("export.created_on")}, fetch, kit.MaxExportRows,
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
				csvexport.Text(kit.Capitalised(t("rally.phase." + phase))), csvexport.Int(r.Entries), csvexport.Int(selected),
				csvexport.Int(len(r.Trophies)), csvexport.Text(r.CreatedAt.In(s.Pages.Loc).Format(time.DateOnly))}
		})
}
