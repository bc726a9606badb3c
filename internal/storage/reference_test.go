package storage_test

import (
	"errors"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

func TestReferenceParentsAndRetirement(t *testing.T) {
	db, _ := testdb.Fresh(t)
	terr, err := db.Territories(ctx)
	if err != nil {
		t.Fatal(err)
	}
	byCode := map[string]storage.Territory{}
	for _, te := range terr {
		byCode[te.Code] = te
	}
	for code, parent := range map[string]string{"ze-dole": "39", "ze-besancon": "25", "ze-belfort": "90", "ze-vesoul": "70", "25": "27", "27": "", "39198": "39", "200010650": "39"} {
		if got := byCode[code].Parent(); got != parent {
			t.Errorf("%s: parent %q, want %q", code, got, parent)
		}
	}
	if byCode["39"].Kind != domain.KindDepartement || byCode["ze-dole"].Kind != domain.KindEmploymentZone {
		t.Fatalf("kinds %+v %+v", byCode["39"], byCode["ze-dole"])
	}

	// Create, duplicate, rename, retire, restore.
	if _, err := db.CreateTheme(ctx, domain.NewTheme{Slug: "acces_droits", LabelFR: "Accès aux droits", LabelEN: "Access to rights"}); err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateTheme(ctx, domain.NewTheme{Slug: "acces_droits", LabelFR: "Autre", LabelEN: "Other"}); !errors.Is(err, storage.ErrThemeTaken) {
		t.Fatalf("duplicate theme: %v", err)
	}
	label := "Accès aux droits sociaux"
	yes, no := true, false
	th, err := db.UpdateTheme(ctx, "acces_droits", domain.ThemeChange{LabelFR: &label, Retired: &yes})
	if err != nil || th.LabelFR != label || th.LabelEN != "Access to rights" || !th.Retired {
		t.Fatalf("theme after change %+v %v", th, err)
	}
	if _, err := db.UpdateTheme(ctx, "inconnue", domain.ThemeChange{Retired: &no}); !domain.IsCode(err, domain.CodeNotFound) {
		t.Fatalf("unknown theme: %v", err)
	}
	te, err := db.CreateTerritory(ctx, domain.NewTerritory{Code: "ze-champagnole", Name: "Champagnole", Kind: domain.KindEmploymentZone, ParentCode: "39"})
	if err != nil || te.Parent() != "39" || te.Retired {
		t.Fatalf("new territory %+v %v", te, err)
	}
	if _, err := db.CreateTerritory(ctx, domain.NewTerritory{Code: "39", Name: "Jura bis", Kind: domain.KindDepartement}); !errors.Is(err, storage.ErrTerritoryTaken) {
		t.Fatalf("duplicate territory: %v", err)
	}

	// A need on a zone is listed by its département, and by the zone itself.
	alice := mustUser(t, db, "Mairie de Dole", domain.RoleActor)
	onZone := mustNeed(t, db, alice, "Garde d'enfants à horaires décalés", "Les parents travaillant en usine n'ont aucune solution le soir.", "ze-dole", time.Now())
	onDept := mustNeed(t, db, alice, "Transport à la demande", "Les villages du Jura ne sont desservis par aucune ligne de bus.", "39", time.Now())
	mustNeed(t, db, alice, "Tiers-lieu", "Aucun lieu de travail partagé dans le Doubs rural à moins de 40 km.", "25", time.Now())
	ids := func(f storage.NeedFilter) []string {
		rows, _, err := db.Needs(ctx, f)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, r := range rows {
			out = append(out, r.ID)
		}
		return out
	}
	if got := ids(storage.NeedFilter{Territory: "39"}); len(got) != 2 || got[0] != onDept.ID || got[1] != onZone.ID {
		t.Fatalf("?territory=39 lists %v, want the département's need and its zone's", got)
	}
	if got := ids(storage.NeedFilter{Territory: "ze-dole"}); len(got) != 1 || got[0] != onZone.ID {
		t.Fatalf("?territory=ze-dole lists %v", got)
	}
	if got := ids(storage.NeedFilter{Territory: "nulle-part"}); len(got) != 0 {
		t.Fatalf("unknown territory lists %v", got)
	}

	// The cache: retired ones are named (Load) but refused (Check); an
	// Invalidate shows a change at once despite the ttl.
	ref := storage.NewReference(db, time.Hour)
	set, err := ref.Check(ctx)
	if err != nil || set.ThemeExists("acces_droits") || !set.TerritoryExists("ze-dole") || !set.ThemeExists("health") {
		t.Fatalf("check before: %v", err)
	}
	if _, err := db.UpdateTerritory(ctx, "ze-dole", domain.TerritoryChange{Retired: &yes}); err != nil {
		t.Fatal(err)
	}
	if set, _ := ref.Check(ctx); !set.TerritoryExists("ze-dole") {
		t.Fatal("the cache should still hold the territory until invalidated")
	}
	ref.Invalidate()
	if set, _ := ref.Check(ctx); set.TerritoryExists("ze-dole") {
		t.Fatal("a retired territory accepted for new records")
	}
	_, all, err := ref.Load(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, te := range all {
		if te.Code == "ze-dole" {
			found = te.Retired && te.Name == "Dole" && te.Parent() == "39"
		}
	}
	if !found {
		t.Fatal("a retired territory no longer listed by name")
	}
	// Retired, the zone still counts under its département: old records stay.
	if got := ids(storage.NeedFilter{Territory: "39"}); len(got) != 2 {
		t.Fatalf("after retiring, ?territory=39 lists %v", got)
	}
	empty := ""
	if _, err := db.UpdateTerritory(ctx, "ze-champagnole", domain.TerritoryChange{ParentCode: &empty}); err != nil {
		t.Fatal(err)
	}
	if te, _ := db.UpdateTerritory(ctx, "ze-dole", domain.TerritoryChange{Retired: &no}); te.Retired {
		t.Fatal("restore did not restore")
	}
}
