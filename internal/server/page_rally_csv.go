package server

import (
	"context"
	"essor/internal/csvexport"
	"essor/internal/i18n"
	"essor/internal/storage"
	"time"

	"github.com/gofiber/fiber/v2"
)

// roundsCSV is the public list of Rally'nov rounds as CSV: each with the
// phase its page shows, in words.
func (s *Server) roundsCSV(c *fiber.Ctx) error {
	lang := LangOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	fetch := func(ctx context.Context, cursor string) ([]storage.RoundRow, string, error) {
		return s.DB.Rounds(ctx, ExportPage, cursor)
	}
	return StreamCSV(s.Kit, c, "essor-rallye.csv", []string{t("export.id"), t("export.title"), t("export.phase"),
		t("export.entries"), t("export.selected_entries"), t("export.trophies"), t("export.created_on")}, fetch, MaxExportRows,
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
				csvexport.Text(Capitalised(t("rally.phase." + phase))), csvexport.Int(r.Entries), csvexport.Int(selected),
				csvexport.Int(len(r.Trophies)), csvexport.Text(r.CreatedAt.In(s.Pages.Loc).Format(time.DateOnly))}
		})
}
