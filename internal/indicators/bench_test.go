package indicators_test

import (
	"os"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/indicators"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// The volume: 100,000 needs with their audit trail and outcomes,
// 10,000 study-actions. Written straight into the read model once per run.
var (
	benchOnce sync.Once
	benchDB   *storage.DB
	benchURL  string
)

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB != nil {
		benchDB.Close()
		_ = storage.DropDatabase(ctx, benchURL)
	}
	os.Exit(code)
}

func benchSeeded(b *testing.B) *storage.DB {
	benchOnce.Do(func() {
		var err error
		benchURL = testdb.URL("indicators")
		if benchDB, err = storage.Open(ctx, benchURL); err == nil {
			_, err = benchDB.Migrate(ctx)
		}
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		if err := benchDB.SeedNeeds(ctx, 100_000, uuid.NewString(), []string{uuid.NewString(), uuid.NewString()}); err != nil {
			b.Fatal(err)
		}
		for _, sql := range []string{
			// What the deployed projects produced.
			`UPDATE needs SET outcome = jsonb_build_object(
				'structure', jsonb_build_object('name', 'Structure ' || left(id::text, 8),
					'legal_form', (ARRAY['scop','scic','association','company'])[1 + abs(hashtext(id::text)) % 4],
					'origin', (ARRAY['created','taken_over'])[1 + abs(hashtext(id::text)) % 2]),
				'jobs_created', 1 + abs(hashtext(id::text)) % 9,
				'funders', jsonb_build_array(jsonb_build_object('kind', 'region', 'name', 'Région', 'amount_eur', 20000),
					jsonb_build_object('kind', (ARRAY['fca','cdc','private'])[1 + abs(hashtext(id::text)) % 3], 'name', 'Autre', 'amount_eur', 10000)))
				WHERE stage = 'deployed'`,
			// Their audit trail: the submission, then the move to where they stand.
			`ALTER TABLE events DISABLE TRIGGER events_stage_time`,
			`INSERT INTO events (subject_id, seq, subject, at, actor_name, action, from_stage, to_stage)
				SELECT id, 1, 'need', created_at, 'Bench', 'submit', '', 'captured' FROM needs`,
			`INSERT INTO events (subject_id, seq, subject, at, actor_name, action, from_stage, to_stage)
				SELECT id, 2, 'need', stage_entered_at, 'Bench', 'qualify', 'captured', stage FROM needs WHERE stage <> 'captured'`,
			`ALTER TABLE events ENABLE TRIGGER events_stage_time`,
			`INSERT INTO stage_time (stage, territory_code, theme, month, seconds, n)
				SELECT 'captured', n.territory_code, n.theme, date_trunc('month', e.at AT TIME ZONE 'Europe/Paris')::date,
					sum(extract(epoch FROM e.at - n.created_at)), count(*)
				FROM events e JOIN needs n ON n.id = e.subject_id WHERE e.seq = 2 GROUP BY 1, 2, 3, 4`,
			`WITH n AS (SELECT id, territory_code, row_number() OVER (ORDER BY created_at) AS rn FROM needs)
			INSERT INTO study_actions (id, host_company, project_title, summary, sponsor, duration_months, months, financing,
					region_eur, cdc_eur, private_eur, stage, stage_entered_at, applicant_id, applicant_name, version, created_at,
					updated_at, approved_at, concluded_at, jobs_created, need_id, territory_code)
				SELECT gen_random_uuid(), 'Entreprise ' || i, 'Étude-action n°' || i, 'Une étude-action.', 'Réseau', 6, 6, '[]',
					20000, 10000 + i % 5000, i % 3000,
					(ARRAY['application','committee','recruitment','study','conclusion','enterprise_created','not_pursued','rejected','withdrawn'])[1 + i % 9],
					now(), gen_random_uuid(), 'Bench', 1, now() - i * interval '1 hour', now(),
					CASE WHEN i % 9 BETWEEN 2 AND 6 THEN now() - i * interval '1 hour' END,
					CASE WHEN i % 9 IN (5, 6) THEN now() - i * interval '30 minutes' END,
					CASE WHEN i % 9 = 5 THEN 3 END, n.id, n.territory_code
				FROM generate_series(1, 10000) AS i LEFT JOIN n ON n.rn = i * 7`,
			`ANALYZE`,
		} {
			if _, err := benchDB.Pool.Exec(ctx, sql); err != nil {
				b.Fatalf("%v\n%s", err, sql)
			}
		}
		b.Logf("seeded 100,000 needs, %s events and 10,000 study-actions in %.0f s", "~190,000", time.Since(start).Seconds())
	})
	return benchDB
}

// BenchmarkReport is every indicator at once, as the page and the API ask.
func BenchmarkReport(b *testing.B) {
	db := benchSeeded(b)
	s := &indicators.Service{DB: db, Ref: storage.NewReference(db, time.Minute), FundTargets: domain.DefaultFundTargets}
	year := time.Now().Format("2006")
	for name, f := range map[string]indicators.Filter{
		"all":              {},
		"departement":      {Territory: "39"},
		"year":             {From: domain.Date(year + "-01-01"), To: domain.Date(year + "-12-31")},
		"departement+year": {Territory: "25", From: domain.Date(year + "-01-01"), To: domain.Date(year + "-12-31")},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Report(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkIndicator is each indicator's query alone, with the widest filter
// (three years of needs, every territory): the slowest of each.
func BenchmarkIndicator(b *testing.B) {
	db := benchSeeded(b)
	wide := storage.IndicatorFilter{From: time.Now().AddDate(-3, 0, 0), To: time.Now()}
	territories, err := db.Territories(ctx)
	if err != nil {
		b.Fatal(err)
	}
	jura := indicators.Within(territories, "39")
	for name, run := range map[string]func() error{
		"needs_by_stage":        func() error { _, err := db.NeedsBy(ctx, "stage", storage.IndicatorFilter{}); return err },
		"needs_by_stage_period": func() error { _, err := db.NeedsBy(ctx, "stage", wide); return err },
		"needs_by_territory":    func() error { _, err := db.NeedsBy(ctx, "territory", storage.IndicatorFilter{}); return err },
		"needs_by_theme_jura": func() error {
			_, err := db.NeedsBy(ctx, "theme", storage.IndicatorFilter{Territories: jura})
			return err
		},
		"overdue":                func() error { _, err := db.Overdue(ctx, storage.IndicatorFilter{}); return err },
		"time_in_stage":          func() error { _, err := db.StageTimes(ctx, wide); return err },
		"outcomes":               func() error { _, err := db.Outcomes(ctx, wide); return err },
		"months":                 func() error { _, err := db.Months(ctx, wide); return err },
		"study_actions_by_stage": func() error { _, err := db.StudyActionsBy(ctx, storage.IndicatorFilter{Territories: jura}); return err },
		"study_actions_figures":  func() error { _, err := db.StudyActionFigures(ctx, wide.From, wide.To); return err },
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if err := run(); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
