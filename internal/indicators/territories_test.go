package indicators_test

import (
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/indicators"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// Needs per 10,000 inhabitants: a commune's needs count for its EPCI and
// its département, a département's for the département only, and needs at
// communes fold into their département in the breakdown.
func TestNeedsPerInhabitants(t *testing.T) {
	db, _ := testdb.Fresh(t)
	for i, territory := range []string{"39198", "39198", "39", "200010650", "25056", "ze-belfort"} {
		n, ev := domain.NewNeed(uuid.NewString(), domain.NeedSubmission{Title: "Besoin " + territory, Theme: "housing",
			TerritoryCode: territory, Description: "Un besoin du territoire pour les indicateurs."}, actor, t0.Add(time.Duration(i)*day))
		if err := db.SaveNeed(ctx, n, []domain.Event{ev}, nil); err != nil {
			t.Fatal(err)
		}
	}
	ref := storage.NewReference(db, time.Minute)
	tree, err := ref.Tree(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s := &indicators.Service{DB: db, Ref: ref, FundTargets: domain.DefaultFundTargets}
	r, err := s.Report(ctx, indicators.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	by := func(list []indicators.TerritoryRate) map[string]indicators.TerritoryRate {
		m := map[string]indicators.TerritoryRate{}
		for _, x := range list {
			m[x.Code] = x
		}
		return m
	}
	depts, epcis := by(r.Needs.PerInhabitants.Departements), by(r.Needs.PerInhabitants.EPCIs)
	jura, dole := depts["39"], epcis["200010650"]
	if jura.N != 4 || jura.Population != tree.Population("39") || jura.Population < 250_000 {
		t.Fatalf("the Jura %+v", jura)
	}
	if want := float64(int64(4*10_000*100/float64(jura.Population)+0.5)) / 100; jura.Per10000 != want {
		t.Errorf("the Jura's rate %v, want %v", jura.Per10000, want)
	}
	if dole.N != 3 || dole.Population <= 23840 || dole.Per10000 <= 0 {
		t.Errorf("CA du Grand Dole %+v (the département's need is not the EPCI's)", dole)
	}
	if depts["25"].N != 2 || depts["90"].N != 1 || depts["70"].N != 1 || len(depts) != 4 || len(epcis) != 51 {
		t.Errorf("départements %+v, %d EPCIs", depts, len(epcis))
	}
	if epcis["242500361"].N != 1 {
		t.Errorf("Grand Besançon %+v", epcis["242500361"])
	}
	total := 0
	for _, d := range r.Needs.ByTerritory {
		total += d.N
	}
	if total != 6 || len(r.Needs.ByTerritory) != 3 {
		t.Errorf("by territory %+v", r.Needs.ByTerritory)
	}

	r, err = s.Report(ctx, indicators.Filter{Territory: "39"})
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Needs.PerInhabitants.Departements) != 1 || r.Needs.Total != 4 || len(r.Needs.PerInhabitants.EPCIs) == 0 ||
		len(r.Needs.PerInhabitants.EPCIs) > 20 {
		t.Errorf("within the Jura: %d needs, %+v", r.Needs.Total, r.Needs.PerInhabitants)
	}
}
