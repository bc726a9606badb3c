package storage_test

import (
	"maps"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// counters reads every non-zero row of need_counters.
func counters(t *testing.T, db *storage.DB) map[string]int {
	t.Helper()
	rows, err := db.Pool.Query(ctx, `SELECT officer_id || '|' || territory_code || '|' || theme || '|' || stage, n::int
		FROM need_counters WHERE n <> 0`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var k string
		var n int
		if err := rows.Scan(&k, &n); err != nil {
			t.Fatal(err)
		}
		out[k] = n
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

func TestCountersEqualARecount(t *testing.T) {
	db, _ := testdb.Fresh(t)
	alice := mustUser(t, db, "Mairie de Dole", domain.RoleActor)
	olivier := mustUser(t, db, "FCA", domain.RoleOfficer)
	odile := mustUser(t, db, "CRESS", domain.RoleOfficer)
	now := time.Now()
	act := func(n *domain.Need, by storage.User, in domain.NeedInput) []domain.Event {
		return n.Apply(domain.NeedCommand{NeedInput: in, Caller: by.Caller(), OfficerName: by.Name}, now, 0)
	}
	save := func(n *domain.Need, events []domain.Event) {
		t.Helper()
		if err := db.SaveNeed(ctx, n, events, nil); err != nil {
			t.Fatal(err)
		}
	}

	a := mustNeed(t, db, alice, "Transport solidaire des aînés", "Les aînés isolés ne peuvent plus aller chez le médecin.", "39", now)
	b := mustNeed(t, db, alice, "Épicerie solidaire au village", "Aucun commerce de proximité dans le village depuis deux ans.", "ze-dole", now)
	c := mustNeed(t, db, alice, "Crèche à horaires décalés", "Les parents qui travaillent de nuit n'ont aucun mode de garde.", "25", now)
	save(a, nil) // the submission's activity, retried

	// qualified by Olivier, who takes it; the save is retried, then a late
	// write of the captured state arrives.
	captured := *a
	ev := act(a, olivier, domain.NeedInput{Action: domain.ActionQualify})
	save(a, ev)
	save(a, ev)
	save(&captured, nil)

	// Odile takes it over, then it goes to feasibility.
	ev = act(a, olivier, domain.NeedInput{Action: domain.ActionAssign, OfficerID: odile.ID})
	ev = append(ev, act(a, odile, domain.NeedInput{Action: domain.ActionStartStudy, DueDate: "2027-03-01"})...)
	save(a, ev)

	// b is merged into c: b ends merged, c absorbs its supporters.
	ev = act(b, olivier, domain.NeedInput{Action: domain.ActionMerge, Into: c.ID})
	save(b, ev)
	save(c, []domain.Event{c.Absorb(b.ID, b.Title, b.MergeSupporters(), olivier.Caller(), now)})
	save(b, ev) // replayed

	// A concurrent burst of saves of one new need counts it once.
	d, dev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: "Habitat partagé", Description: "Des seniors souhaitent partager une maison.",
		Theme: "housing", TerritoryCode: "70"}, alice.Caller(), now)
	errs := make(chan error, 4)
	for range 4 {
		go func() { errs <- db.SaveNeed(ctx, d, []domain.Event{dev}, nil) }()
	}
	for range 4 {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}

	kept := counters(t, db)
	if err := db.RecountNeeds(ctx); err != nil {
		t.Fatal(err)
	}
	if recount := counters(t, db); !maps.Equal(kept, recount) {
		t.Fatalf("counters kept as needs changed\n%v\ndiffer from a recount\n%v", kept, recount)
	}

	for _, tc := range []struct {
		name string
		f    storage.CountFilter
		want map[domain.Stage]int
	}{
		{"all", storage.CountFilter{}, map[domain.Stage]int{domain.StageFeasibility: 1, domain.StageMerged: 1, domain.StageCaptured: 2}},
		{"Odile's", storage.CountFilter{Officer: odile.ID}, map[domain.Stage]int{domain.StageFeasibility: 1}},
		{"Olivier's", storage.CountFilter{Officer: olivier.ID}, map[domain.Stage]int{}},
		{"Jura and its zones", storage.CountFilter{Territory: "39"}, map[domain.Stage]int{domain.StageFeasibility: 1, domain.StageMerged: 1}},
		{"one zone", storage.CountFilter{Territory: "ze-dole"}, map[domain.Stage]int{domain.StageMerged: 1}},
		{"housing", storage.CountFilter{Theme: "housing"}, map[domain.Stage]int{domain.StageCaptured: 1}},
		{"Odile's health in Jura", storage.CountFilter{Officer: odile.ID, Territory: "39", Theme: "health"}, map[domain.Stage]int{domain.StageFeasibility: 1}},
	} {
		got, err := db.CountByStage(ctx, tc.f)
		if err != nil || !maps.Equal(got, tc.want) {
			t.Errorf("%s: %v %v, want %v", tc.name, got, err, tc.want)
		}
	}
}
