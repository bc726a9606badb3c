package studyactions

import (
	"context"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/csvexport"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// studyActionsCSV is the public list of study-actions as CSV.
func (s *Handlers) studyActionsCSV(c *fiber.Ctx) error {
	f, err := studyActionFilter(c)
	if err != nil {
		return err
	}
	lang := kit.LangOf(c)
	t := func(key string) string { return i18n.T(lang, key) }
	f.Limit, f.LateFirst = kit.ExportPage, false
	fetch := func(ctx context.Context, cursor string) ([]storage.StudyActionRow, string, error) {
		g := f
		if cursor != "" {
			g.Cursor = cursor
		}
		return s.DB.StudyActions(ctx, g)
	}
	return kit.StreamCSV(s.Kit, c, "essor-etudes-actions.csv", []string{t("export.id"), t("export.project_title"),
		t("export.host_company"), t("export.sponsor"), t("export.stage"), t("export.months"), t("export.region_eur"),
		t("export.cdc_eur"), t("export.private_eur"), t("export.leverage"), t("export.applied_on")}, fetch, kit.MaxExportRows,
		func(r storage.StudyActionRow) []csvexport.Cell {
			p := r.Plan()
			lev := csvexport.Text("")
			if l := p.Leverage(); l != nil {
				lev = csvexport.Decimal(*l)
			}
			return []csvexport.Cell{csvexport.Text(r.ID), csvexport.Text(r.ProjectTitle), csvexport.Text(r.HostCompany),
				csvexport.Text(r.Sponsor), csvexport.Text(t("stage." + string(r.Stage))), csvexport.Int(r.Months),
				csvexport.Decimal(p.RegionEUR), csvexport.Decimal(p.CDCEUR), csvexport.Decimal(p.PrivateEUR), lev,
				csvexport.Text(r.CreatedAt.In(s.Pages.Loc).Format(time.DateOnly))}
		})
}
