package kit

import (
	"slices"

	"github.com/gofiber/fiber/v2"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/storage"
)

// refLabels names themes and territories in the page's language and gives
// the options of their selects.
type RefLabels struct {
	ThemeNames, TerritoryNames map[string]string
	Themes, Territories        []Option
}

// territoryOptions offers the territories not retired, each département
// followed by its employment zones, grouped under its name (a select draws
// them as an optgroup). The open data's communes and EPCIs (some 1,700)
// are left out: a form finds a commune by a search (Kit.ResolveCommune).
func territoryOptions(lang i18n.Lang, territories []storage.Territory) []Option {
	territories = slices.DeleteFunc(slices.Clone(territories), func(t storage.Territory) bool {
		return t.Kind == storage.KindCommune || t.Kind == storage.KindEPCI
	})
	zones := map[string][]storage.Territory{}
	known := map[string]bool{}
	for _, t := range territories {
		known[t.Code] = true
	}
	for _, t := range territories {
		if t.Kind == domain.KindEmploymentZone && known[t.Parent()] {
			zones[t.Parent()] = append(zones[t.Parent()], t)
		}
	}
	var out []Option
	add := func(t storage.Territory, group string) {
		if !t.Retired {
			out = append(out, Option{Value: t.Code, Label: t.Name, Hint: i18n.T(lang, "kind."+t.Kind), Group: group})
		}
	}
	for _, t := range territories {
		switch {
		case t.Kind == domain.KindEmploymentZone && known[t.Parent()]:
			// placed with its département
		case len(zones[t.Code]) > 0:
			add(t, t.Name)
			for _, z := range zones[t.Code] {
				add(z, t.Name)
			}
		default:
			add(t, "")
		}
	}
	return out
}

func (s *Kit) RefLabels(c *fiber.Ctx) (RefLabels, error) {
	themes, territories, err := s.Ref.Load(c.UserContext())
	if err != nil {
		return RefLabels{}, err
	}
	en := LangOf(c) == i18n.EN
	r := RefLabels{ThemeNames: map[string]string{}, TerritoryNames: map[string]string{}}
	for _, t := range themes {
		label := t.LabelFR
		if en && t.LabelEN != "" {
			label = t.LabelEN
		}
		r.ThemeNames[t.Slug] = label
		if !t.Retired { // retired: still named on old records, no longer offered
			r.Themes = append(r.Themes, Option{Value: t.Slug, Label: label})
		}
	}
	tree, err := s.Ref.Tree(c.UserContext())
	if err != nil {
		return RefLabels{}, err
	}
	for _, t := range territories {
		r.TerritoryNames[t.Code] = t.Name
		if t.Kind == storage.KindCommune { // "Dole — CA du Grand Dole, Jura": homonyms told apart
			r.TerritoryNames[t.Code] = tree.Place(t.Code)
		}
	}
	r.Territories = territoryOptions(LangOf(c), territories)
	return r, nil
}

// refSet is the themes and territories, for validation; an unreachable
// database lets every value through (the service checks again).
func (s *Kit) RefSet(c *fiber.Ctx) domain.Reference {
	ref, err := s.Ref.Check(c.UserContext())
	if err != nil {
		return domain.AnyReference{}
	}
	return ref
}

// AccountOrg is an account's organisation as the API shows it: its
// directory record and name, or (id null) the label of an account not yet
// linked to the directory.
type AccountOrg struct {
	ID   *string `json:"id"`
	Name string  `json:"name"`
}

// AccountOrgOf is u's organisation (nil when it has none).
func AccountOrgOf(u storage.User) *AccountOrg {
	if u.OrganisationID == nil && u.Organisation == "" {
		return nil
	}
	return &AccountOrg{ID: u.OrganisationID, Name: u.Organisation}
}
