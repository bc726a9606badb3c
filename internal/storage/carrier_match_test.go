package storage_test

import (
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

func mustOrganisation(tb testing.TB, db *storage.DB, name string, themes, territories []string, commune string) storage.OrganisationRow {
	tb.Helper()
	if territories == nil {
		territories = []string{}
	}
	if themes == nil {
		themes = []string{}
	}
	o, err := db.CreateOrganisation(ctx, domain.Organisation{Name: name, LegalForm: "company", Family: "other",
		Themes: themes, Territories: territories, CommuneCode: commune})
	if err != nil {
		tb.Fatal(err)
	}
	return o
}

// TestCarrierSuggestions ranks the directory for a need located at Dole
// (commune 39198, CA du Grand Dole, Jura): the same commune before the same
// intercommunality before the same département; the theme counts most; a
// supporter climbs; an organisation that volunteered is never suggested;
// the SQL's score is the domain's.
func TestCarrierSuggestions(t *testing.T) {
	db, _ := testdb.Fresh(t)
	actor := mustUser(t, db, "", domain.RoleActor)
	n := mustNeed(t, db, actor, "Consultations de santé itinérantes", "Aucun médecin à moins de vingt minutes pour les aînés.", "39198", time.Now())
	health := []string{"health"}
	commune := mustOrganisation(t, db, "Santé Dole", health, nil, "39198")
	epci := mustOrganisation(t, db, "Santé Amange", health, nil, "39008")
	dept := mustOrganisation(t, db, "Santé Jura", health, []string{"39"}, "")
	themeOnly := mustOrganisation(t, db, "Santé Doubs", health, []string{"25"}, "")
	placeOnly := mustOrganisation(t, db, "Mobilité Jura", []string{"mobility"}, []string{"39"}, "")
	mustOrganisation(t, db, "Logement Haute-Saône", []string{"housing"}, []string{"70"}, "")
	supporter := mustOrganisation(t, db, "Mobilité Dole", []string{"mobility"}, nil, "39198")
	volunteer := mustOrganisation(t, db, "Santé Dole bis", health, nil, "39198")
	if _, err := db.Pool.Exec(ctx, `INSERT INTO supports (need_id, organisation_key, organisation, user_id, at, organisation_id)
		VALUES ($1, 'id:' || $2, 'Mobilité Dole', $3, now(), $2::uuid)`, n.ID, supporter.ID, actor.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO carriers (id, need_id, organisation, contact, motivation, proposed_by,
		proposed_by_name, proposed_at, declined, organisation_id)
		VALUES (gen_random_uuid(), $1, 'Santé Dole bis', 'c', 'm', $2, 'A', now(), true, $3)`, n.ID, actor.ID, volunteer.ID); err != nil {
		t.Fatal(err)
	}

	got, err := db.CarrierSuggestions(ctx, n.ID, 20)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{commune.ID, epci.ID, dept.ID, supporter.ID, themeOnly.ID, placeOnly.ID} // .55 .50 .45 .35 .30 .15
	if len(got) != len(want) {
		t.Fatalf("%d suggestions, want %d: %+v", len(got), len(want), got)
	}
	for i, s := range got {
		if s.Organisation.ID != want[i] {
			t.Errorf("#%d is %s (%v), want %s", i+1, s.Organisation.Name, s.Score, want[i])
		}
		if score, _ := domain.ScoreCarrier(s.CarrierFacts); score != s.Score {
			t.Errorf("%s: SQL scores %v, the domain %v (%+v)", s.Organisation.Name, s.Score, score, s.CarrierFacts)
		}
	}
	if got[0].Territory != "commune" || got[1].Territory != "epci" || got[1].TerritoryName != "CA du Grand Dole" || got[2].Territory != "departement" {
		t.Errorf("territories: %+v / %+v / %+v", got[0].CarrierFacts, got[1].CarrierFacts, got[2].CarrierFacts)
	}
	if !got[3].Supporter {
		t.Errorf("the supporter: %+v", got[3])
	}
	if _, err := db.CarrierSuggestions(ctx, "00000000-0000-0000-0000-000000000000", 20); err != storage.ErrNotFound {
		t.Errorf("unknown need: %v", err)
	}
}
