package indicators

import (
	"context"
	"encoding/json"
	"io"
	"time"

	"github.com/gofiber/fiber/v2"

	"essor/internal/csvexport"
	"essor/internal/i18n"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// openDataPage is how many needs the open data reads at a time.
const openDataPage = 1000

// The open data's columns are a published schema: machine names, in this
// order, and new ones only at the end (the French labels of the codes came
// after the codes).
var openDataColumns = []string{"id", "titre", "description", "thematique", "territoire", "etape", "remonte_le",
	"etape_depuis", "soutiens", "structure", "forme_juridique", "origine", "emplois_crees",
	"thematique_libelle", "territoire_libelle", "etape_libelle", "forme_juridique_libelle", "origine_libelle"}

// openNeed is a need of the open data with the French labels of its codes.
type openNeed struct {
	storage.OpenNeed
	ThemeLabel     string  `json:"theme_label"`
	TerritoryLabel string  `json:"territory_label"`
	StageLabel     string  `json:"stage_label"`
	LegalFormLabel *string `json:"legal_form_label"`
	OriginLabel    *string `json:"origin_label"`
}

// openNeeds reads the open data page by page, each need with its labels in
// French (the open data's language, whoever downloads it).
func (s *Handlers) openNeeds(c *fiber.Ctx) (kit.Pager[openNeed], error) {
	themes, territories, err := s.Ref.Load(c.UserContext())
	if err != nil {
		return nil, err
	}
	themeLabel, territoryLabel := map[string]string{}, map[string]string{}
	for _, t := range themes {
		themeLabel[t.Slug] = t.LabelFR
	}
	for _, t := range territories {
		territoryLabel[t.Code] = t.Name
	}
	code := func(kind string, v *string) *string {
		if v == nil || *v == "" {
			return v
		}
		l := i18n.T(i18n.FR, kind+"."+*v)
		return &l
	}
	return func(ctx context.Context, cursor string) ([]openNeed, string, error) {
		page, next, err := s.DB.OpenNeeds(ctx, cursor, openDataPage)
		out := make([]openNeed, len(page))
		for i, n := range page {
			out[i] = openNeed{OpenNeed: n, ThemeLabel: themeLabel[n.Theme], TerritoryLabel: territoryLabel[n.TerritoryCode],
				StageLabel: i18n.T(i18n.FR, "stage."+n.Stage), LegalFormLabel: code("legal_form", n.LegalForm),
				OriginLabel: code("origin", n.Origin)}
		}
		return out, next, err
	}, nil
}

// openDataCSV publishes every public need and project as CSV for French
// spreadsheets: no personal data (no submitter, supporter, officer, contact).
func (s *Handlers) openDataCSV(c *fiber.Ctx) error {
	fetch, err := s.openNeeds(c)
	if err != nil {
		return err
	}
	opt := func(p *string) csvexport.Cell {
		if p == nil {
			return csvexport.Text("")
		}
		return csvexport.Text(*p)
	}
	at := func(t time.Time) csvexport.Cell { return csvexport.Text(t.UTC().Format(time.RFC3339)) }
	return kit.StreamCSV(s.Kit, c, "essor-besoins-donnees-ouvertes.csv", openDataColumns, fetch, 0, func(n openNeed) []csvexport.Cell {
		jobs := csvexport.Text("")
		if n.JobsCreated != nil {
			jobs = csvexport.Decimal(*n.JobsCreated)
		}
		return []csvexport.Cell{csvexport.Text(n.ID), csvexport.Text(n.Title), csvexport.Text(n.Description),
			csvexport.Text(n.Theme), csvexport.Text(n.TerritoryCode), csvexport.Text(n.Stage), at(n.CreatedAt),
			at(n.StageEnteredAt), csvexport.Int(n.Supports), opt(n.Structure), opt(n.LegalForm), opt(n.Origin), jobs,
			csvexport.Text(n.ThemeLabel), csvexport.Text(n.TerritoryLabel), csvexport.Text(n.StageLabel),
			opt(n.LegalFormLabel), opt(n.OriginLabel)}
	})
}

// openDataJSON is the same as a JSON array (no cell of it is a formula: a
// JSON reader takes strings as strings).
func (s *Handlers) openDataJSON(c *fiber.Ctx) error {
	fetch, err := s.openNeeds(c)
	if err != nil {
		return err
	}
	return kit.StreamPages(s.Kit, c, kit.JSONFile("essor-besoins-donnees-ouvertes.json"), fetch, 0,
		func(w io.Writer) (kit.Encoder[openNeed], error) {
			first := true
			enc := json.NewEncoder(w)
			_, err := io.WriteString(w, "[")
			return kit.Encoder[openNeed]{
				Item: func(n openNeed) error {
					if !first {
						if _, err := io.WriteString(w, ","); err != nil {
							return err
						}
					}
					first = false
					return enc.Encode(n)
				},
				Flush: func() error { return nil }, // the encoder writes straight into w
				End:   func() error { _, err := io.WriteString(w, "]\n"); return err },
			}, err
		})
}
