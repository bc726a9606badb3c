package storage_test

import (
	"sort"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/testdb"
)

// BenchmarkCarrierSuggestions ranks 200,000 organisations (two themes each,
// a commune of the region as seat, a territory served) for a need at Dole,
// with 2,000 chosen carriers and supports behind it; it reports the p95.
func BenchmarkCarrierSuggestions(b *testing.B) {
	db, _ := testdb.Fresh(b)
	actor := mustUser(b, db, "", domain.RoleActor)
	n := mustNeed(b, db, actor, "Transport solidaire", "Les habitants sans voiture renoncent à leurs soins à Dole.", "39198", time.Now())
	if _, err := db.Pool.Exec(ctx, `WITH communes AS (SELECT array_agg(code ORDER BY code) AS c FROM territories WHERE kind = 'commune'),
			served AS (SELECT array_agg(code ORDER BY code) AS s FROM territories WHERE kind IN ('departement', 'epci', 'employment_zone')),
			themes AS (SELECT array_agg(slug ORDER BY slug) AS t FROM themes)
		INSERT INTO organisations (name, legal_form, family, themes, territories, commune_code)
		SELECT 'Structure ' || i, (ARRAY['association','scop','scic','company','other'])[1 + i % 5],
			(ARRAY['association','cooperative','mutual','foundation','esus','insertion','other'])[1 + i % 7],
			ARRAY[t[1 + i % array_length(t, 1)], t[1 + (i / 7) % array_length(t, 1)]],
			ARRAY[s[1 + (i / 3) % array_length(s, 1)]], c[1 + (i * 13) % array_length(c, 1)]
		FROM generate_series(1, 200000) AS i, communes, served, themes`); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, `INSERT INTO carriers (id, need_id, organisation, contact, motivation, proposed_by, proposed_by_name,
			proposed_at, chosen, organisation_id)
		SELECT gen_random_uuid(), $1, o.name, 'c', 'm', $2, 'A', now(), true, o.id FROM organisations o WHERE o.name LIKE 'Structure %00'
		LIMIT 2000`, n.ID, actor.ID); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Pool.Exec(ctx, "ANALYZE"); err != nil {
		b.Fatal(err)
	}
	var took []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		got, err := db.CarrierSuggestions(ctx, n.ID, 20)
		took = append(took, time.Since(t0))
		if err != nil || len(got) != 20 {
			b.Fatalf("%d suggestions: %v", len(got), err)
		}
	}
	sort.Slice(took, func(i, j int) bool { return took[i] < took[j] })
	b.ReportMetric(float64(took[len(took)*95/100].Microseconds())/1000, "p95-ms")
}
