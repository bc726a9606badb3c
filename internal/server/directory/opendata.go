package directory

import (
	"context"
	"encoding/json"
	"io"
	"strings"

	"github.com/gofiber/fiber/v2"

	"essor/internal/csvexport"
	"essor/internal/server/kit"
	"essor/internal/storage"
)

// The directory as open data: every organisation's public fields (never its
// contact), page after page, as CSV for French spreadsheets and as JSON.

var openDataColumns = []string{"id", "nom", "siret", "forme_juridique", "famille", "thematiques", "territoires", "code_commune", "site", "verifiee"}

// openOrganisation is a record as the open data publishes it.
type openOrganisation struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	SIRET       *string  `json:"siret"`
	LegalForm   string   `json:"legal_form"`
	Family      string   `json:"family"`
	Themes      []string `json:"themes"`
	Territories []string `json:"territories"`
	CommuneCode *string  `json:"commune_code"`
	Website     *string  `json:"website"`
	Verified    bool     `json:"verified"`
}

func (s *Handlers) openOrganisations() kit.Pager[openOrganisation] {
	return func(ctx context.Context, cursor string) ([]openOrganisation, string, error) {
		rows, next, err := s.DB.Organisations(ctx, storage.OrganisationFilter{Limit: 500, Cursor: cursor})
		out := make([]openOrganisation, len(rows))
		for i, r := range rows {
			out[i] = openOrganisation{ID: r.ID, Name: r.Name, SIRET: r.SIRET, LegalForm: r.LegalForm, Family: r.Family,
				Themes: r.Themes, Territories: r.Territories, CommuneCode: r.CommuneCode, Website: r.Website, Verified: r.Verified}
		}
		return out, next, err
	}
}

func (s *Handlers) directoryCSV(c *fiber.Ctx) error {
	opt := func(p *string) csvexport.Cell {
		if p == nil {
			return csvexport.Text("")
		}
		return csvexport.Text(*p)
	}
	return kit.StreamCSV(s.Kit, c, "essor-annuaire-donnees-ouvertes.csv", openDataColumns, s.openOrganisations(), 0,
		func(o openOrganisation) []csvexport.Cell {
			verified := "non"
			if o.Verified {
				verified = "oui"
			}
			return []csvexport.Cell{csvexport.Text(o.ID), csvexport.Text(o.Name), opt(o.SIRET), csvexport.Text(o.LegalForm),
				csvexport.Text(o.Family), csvexport.Text(strings.Join(o.Themes, ",")), csvexport.Text(strings.Join(o.Territories, ",")),
				opt(o.CommuneCode), opt(o.Website), csvexport.Text(verified)}
		})
}

func (s *Handlers) directoryJSON(c *fiber.Ctx) error {
	return kit.StreamPages(s.Kit, c, kit.JSONFile("essor-annuaire-donnees-ouvertes.json"), s.openOrganisations(), 0,
		func(w io.Writer) (kit.Encoder[openOrganisation], error) {
			first := true
			enc := json.NewEncoder(w)
			_, err := io.WriteString(w, "[")
			return kit.Encoder[openOrganisation]{
				Item: func(o openOrganisation) error {
					if !first {
						if _, err := io.WriteString(w, ","); err != nil {
							return err
						}
					}
					first = false
					return enc.Encode(o)
				},
				Flush: func() error { return nil },
				End:   func() error { _, err := io.WriteString(w, "]\n"); return err },
			}, err
		})
}
