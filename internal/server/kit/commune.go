package kit

import (
	"context"
	"slices"
	"strings"

	"essor/internal/domain"
	"essor/internal/i18n"
	"essor/internal/storage"
)

// maxCommuneChoices is how many communes a form offers when what was typed
// names several.
const maxCommuneChoices = 12

// CommuneMatch is what a form's commune field resolved to: one commune's
// code, or the communes to choose from (radios), or nothing found.
type CommuneMatch struct {
	Code    string   // the commune, when exactly one fits
	Choices []Option // several fit: the person picks one
	Problem string   // field.commune_unknown, field.commune_several; "" when fine
}

// ResolveCommune finds the commune a person typed (its name, INSEE code or
// postal code), without JavaScript. chosen, a radio picked when the form
// came back with choices, wins when it is one of the matches; else one
// match is the commune. Several are narrowed to those whose name, INSEE
// code or postal code is exactly what was typed, then to the one lying
// within the territory chosen beside it, if only one does; otherwise the
// form offers them. Nothing typed is no commune.
func (k *Kit) ResolveCommune(ctx context.Context, lang i18n.Lang, typed, chosen, within string) (CommuneMatch, error) {
	if typed == "" {
		return CommuneMatch{}, nil
	}
	tree, err := k.Ref.Tree(ctx)
	if err != nil {
		return CommuneMatch{}, err
	}
	found, err := k.DB.SearchTerritories(ctx, storage.TerritoryQuery{Kind: storage.KindCommune, Q: typed, Active: true, Limit: maxCommuneChoices})
	if err != nil {
		return CommuneMatch{}, err
	}
	if chosen != "" && slices.ContainsFunc(found, func(t storage.Territory) bool { return t.Code == chosen }) {
		return CommuneMatch{Code: chosen}, nil
	}
	if len(found) == 0 {
		return CommuneMatch{Problem: "field.commune_unknown"}, nil
	}
	if len(found) > 1 {
		exact := slices.DeleteFunc(slices.Clone(found), func(t storage.Territory) bool {
			return t.Code != typed && !slices.Contains(t.PostalCodes, typed) && !sameName(t.Name, typed)
		})
		if len(exact) > 0 {
			found = exact
		}
	}
	if len(found) > 1 && within != "" {
		inside := tree.Within(within)
		in := slices.DeleteFunc(slices.Clone(found), func(t storage.Territory) bool { return !slices.Contains(inside, t.Code) })
		if len(in) == 1 {
			found = in
		}
	}
	if len(found) == 1 {
		return CommuneMatch{Code: found[0].Code}, nil
	}
	m := CommuneMatch{Problem: "field.commune_several"}
	for _, t := range found {
		m.Choices = append(m.Choices, Option{Value: t.Code, Label: tree.Place(t.Code), Hint: i18n.T(lang, "web.commune.insee", t.Code)})
	}
	return m, nil
}

// sameName compares names as the search does: accents, case, hyphens and
// apostrophes aside ("saint claude" is Saint-Claude).
func sameName(a, b string) bool {
	spaced := strings.NewReplacer("-", " ", "'", " ", "’", " ")
	return domain.NormaliseKey(spaced.Replace(a)) == domain.NormaliseKey(spaced.Replace(b))
}
