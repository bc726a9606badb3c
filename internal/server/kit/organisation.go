package kit

import "essor/internal/storage"

// OrganisationJSON is a directory record as the API shows it; contact is for officers
// and admins only (an e-mail address is personal data).
type OrganisationJSON struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	SIRET       *string  `json:"siret"`
	LegalForm   string   `json:"legal_form"`
	Family      string   `json:"family"`
	Themes      []string `json:"themes"`
	Territories []string `json:"territories"`
	CommuneCode *string  `json:"commune_code"`
	Website     *string  `json:"website"`
	Email       *string  `json:"email,omitempty"`
	Verified    bool     `json:"verified"`
}

// ToOrganisationJSON is a record as the API shows it, with its contact or not.
func ToOrganisationJSON(r storage.OrganisationRow, contact bool) OrganisationJSON {
	o := OrganisationJSON{ID: r.ID, Name: r.Name, SIRET: r.SIRET, LegalForm: r.LegalForm, Family: r.Family, Themes: r.Themes,
		Territories: r.Territories, CommuneCode: r.CommuneCode, Website: r.Website, Verified: r.Verified}
	if contact {
		o.Email = r.Email
	}
	return o
}

// Deref is a nullable column's text ("" for null).
func Deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
