package domain

import (
	"net/mail"
	"net/url"
	"slices"
	"strings"
)

// The directory of the region's organisations (api.md "Organisations"):
// one record per SIRET, which every programme's subjects will stand on.

// Family is an organisation's place in the social and solidarity economy.
type Family string

// Families, in the order forms show them.
const (
	FamilyAssociation Family = "association"
	FamilyCooperative Family = "cooperative"
	FamilyMutual      Family = "mutual"
	FamilyFoundation  Family = "foundation"
	FamilyESUS        Family = "esus"      // entreprise solidaire d'utilité sociale
	FamilyInsertion   Family = "insertion" // structure d'insertion par l'activité économique
	FamilyOther       Family = "other"
)

// Families are the allowed families.
var Families = []Family{FamilyAssociation, FamilyCooperative, FamilyMutual, FamilyFoundation, FamilyESUS, FamilyInsertion, FamilyOther}

// OrganisationTexts bound an organisation's texts (characters, once trimmed).
var OrganisationTexts = map[string]TextBounds{"name": {2, 200}, "website": {4, 500}, "email": {3, 254}}

// MaxOrganisationLists bounds an organisation's themes and territories.
const MaxOrganisationLists = 30

// OrganisationDraft is what an officer records of an organisation; a PATCH
// sends the fields it changes (nil: unchanged).
type OrganisationDraft struct {
	Name        *string   `json:"name"`
	SIRET       *string   `json:"siret"`
	LegalForm   *string   `json:"legal_form"`
	Family      *string   `json:"family"`
	Themes      *[]string `json:"themes"`
	Territories *[]string `json:"territories"`
	CommuneCode *string   `json:"commune_code"`
	Website     *string   `json:"website"`
	Email       *string   `json:"email"`
	Verified    *bool     `json:"verified"`
}

// Organisation is a record of the directory.
type Organisation struct {
	ID          string   `json:"id"`
	Name        string   `json:"name"`
	SIRET       string   `json:"siret"`
	LegalForm   string   `json:"legal_form"`
	Family      string   `json:"family"`
	Themes      []string `json:"themes"`
	Territories []string `json:"territories"`
	CommuneCode string   `json:"commune_code"`
	Website     string   `json:"website"`
	Email       string   `json:"email"`
	Verified    bool     `json:"verified"`
}

// CleanSIRET drops the spaces people type between a SIRET's groups.
func CleanSIRET(s string) string { return strings.Join(strings.Fields(s), "") }

// Apply checks a draft and applies it to o (a new record when creating):
// a name, a valid SIRET when given, known legal form, family, themes and
// territories, an http(s) website and an e-mail address.
func (d OrganisationDraft) Apply(o *Organisation, creating bool, ref Reference) error {
	fe := FieldErrors{}
	text := func(field string, v *string, to *string, required bool) {
		if v == nil {
			if creating && required {
				fe.Add(field, "field.required")
			}
			return
		}
		b := OrganisationTexts[field]
		s := *v
		checkText(fe, field, &s, required, b.Min, b.Max)
		*to = s
	}
	text("name", d.Name, &o.Name, true)
	text("website", d.Website, &o.Website, false)
	text("email", d.Email, &o.Email, false)
	if d.Website != nil && o.Website != "" {
		if u, err := url.Parse(o.Website); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			fe.Add("website", "field.url")
		}
	}
	if d.Email != nil && o.Email != "" {
		if a, err := mail.ParseAddress(o.Email); err != nil || a.Address != o.Email {
			fe.Add("email", "field.email_format")
		}
	}
	if d.SIRET != nil {
		o.SIRET = CleanSIRET(*d.SIRET)
		if o.SIRET != "" && !ValidSIRET(o.SIRET) {
			fe.Add("siret", "field.siret")
		}
	}
	if d.LegalForm != nil || creating {
		if d.LegalForm != nil {
			o.LegalForm = *d.LegalForm
		}
		if !slices.Contains(LegalForms, LegalForm(o.LegalForm)) {
			fe.Add("legal_form", "field.oneof", joinLegalForms())
		}
	}
	if d.Family != nil || creating {
		if d.Family != nil {
			o.Family = *d.Family
		}
		if o.Family == "" {
			o.Family = string(FamilyOther)
		}
		if !slices.Contains(Families, Family(o.Family)) {
			fe.Add("family", "field.oneof", joinFamilies())
		}
	}
	if d.Themes != nil {
		o.Themes = distinct(*d.Themes)
		if len(o.Themes) > MaxOrganisationLists {
			fe.Add("themes", "field.max_items", "30")
		}
		for _, t := range o.Themes {
			if !ref.ThemeExists(t) {
				fe.Add("themes", "field.unknown_theme")
			}
		}
	}
	if d.Territories != nil {
		o.Territories = distinct(*d.Territories)
		if len(o.Territories) > MaxOrganisationLists {
			fe.Add("territories", "field.max_items", "30")
		}
		for _, t := range o.Territories {
			if !ref.TerritoryExists(t) {
				fe.Add("territories", "field.unknown_territory")
			}
		}
	}
	if d.CommuneCode != nil {
		o.CommuneCode = strings.TrimSpace(*d.CommuneCode)
		if o.CommuneCode != "" && !ref.TerritoryExists(o.CommuneCode) {
			fe.Add("commune_code", "field.unknown_territory")
		}
	}
	if d.Verified != nil {
		o.Verified = *d.Verified
	}
	if o.Themes == nil {
		o.Themes = []string{}
	}
	if o.Territories == nil {
		o.Territories = []string{}
	}
	return fe.Err()
}

func distinct(in []string) []string {
	out := []string{}
	for _, s := range in {
		if s = strings.TrimSpace(s); s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

func joinFamilies() string {
	s := make([]string, len(Families))
	for i, f := range Families {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}

func joinLegalForms() string {
	s := make([]string, len(LegalForms))
	for i, f := range LegalForms {
		s[i] = string(f)
	}
	return strings.Join(s, ", ")
}
