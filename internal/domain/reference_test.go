package domain_test

import (
	"testing"

	"essor/internal/domain"
)

func TestReferenceValidation(t *testing.T) {
	existing := map[string]domain.TerritoryNode{
		"bfc":     {Kind: domain.KindRegion},
		"39":      {Kind: domain.KindDepartement, Parent: "bfc"},
		"ze-dole": {Kind: domain.KindEmploymentZone, Parent: "39"},
		"70":      {Kind: domain.KindDepartement, Retired: true},
		// bad data: a region under a département, to reach the cycle check
		"r2": {Kind: domain.KindRegion, Parent: "25"},
		"25": {Kind: domain.KindDepartement},
	}
	fields := func(err error) map[string]domain.Message {
		if de, ok := domain.As(err); ok {
			return de.Fields
		}
		return nil
	}
	for _, c := range []struct {
		in   domain.NewTerritory
		want string // the field refused, "" for none
		key  string
	}{
		{domain.NewTerritory{Code: "ze-lons", Name: "Lons", Kind: domain.KindEmploymentZone, ParentCode: "39"}, "", ""},
		{domain.NewTerritory{Code: "ze-lons", Name: "Lons", Kind: domain.KindEmploymentZone}, "parent_code", "field.parent_required"},
		{domain.NewTerritory{Code: "ze-lons", Name: "Lons", Kind: domain.KindEmploymentZone, ParentCode: "ze-dole"}, "parent_code", "field.parent_kind"},
		{domain.NewTerritory{Code: "ze-lons", Name: "Lons", Kind: domain.KindEmploymentZone, ParentCode: "70"}, "parent_code", "field.retired_territory"},
		{domain.NewTerritory{Code: "ze-lons", Name: "Lons", Kind: domain.KindEmploymentZone, ParentCode: "99"}, "parent_code", "field.unknown_territory"},
		{domain.NewTerritory{Code: "bfc2", Name: "Région", Kind: domain.KindRegion, ParentCode: "bfc"}, "parent_code", "field.parent_none"},
		{domain.NewTerritory{Code: "21", Name: "Côte-d'Or", Kind: domain.KindDepartement}, "", ""},
		{domain.NewTerritory{Code: "21", Name: "Côte-d'Or", Kind: "department"}, "kind", "field.oneof"},
		{domain.NewTerritory{Code: "Ze_Lons", Name: "Lons", Kind: domain.KindDepartement}, "code", "field.code_format"},
		{domain.NewTerritory{Code: "ze-lons", Name: " L ", Kind: domain.KindDepartement}, "name", "field.min_len"},
	} {
		f := fields(c.in.Validate(existing))
		if c.want == "" && len(f) != 0 || c.want != "" && (len(f) != 1 || f[c.want].Key != c.key) {
			t.Errorf("%+v: %v, want %s %s", c.in, f, c.want, c.key)
		}
	}
	cycle := "r2"
	if f := fields((&domain.TerritoryChange{ParentCode: &cycle}).Validate("25", existing)); f["parent_code"].Key != "field.parent_cycle" {
		t.Errorf("cycle: %v", f)
	}
	same := "39"
	if f := fields((&domain.TerritoryChange{ParentCode: &same}).Validate("ze-dole", existing)); len(f) != 0 {
		t.Errorf("unchanged parent: %v", f)
	}
	for slug, ok := range map[string]bool{"acces_droits": true, "a": false, "Acces": false, "accès": false, "_a": false, "a1": true} {
		th := domain.NewTheme{Slug: slug, LabelFR: "Accès", LabelEN: "Access"}
		if got := th.Validate() == nil; got != ok {
			t.Errorf("slug %q accepted %v", slug, got)
		}
	}
}
