package storage_test

import (
	"sync"
	"testing"
	"time"

	"essor/internal/domain"
	"essor/internal/storage"
)

var studyOnce sync.Once

// seededStudies adds 10,000 study-actions (the volume for the
// programme's figures) to the bench database, spread over the stages.
func seededStudies(b *testing.B) *storage.DB {
	db := seeded(b)
	studyOnce.Do(func() {
		_, err := db.Pool.Exec(ctx, `INSERT INTO study_actions (id, host_company, project_title, summary, sponsor,
				duration_months, months, financing, region_eur, cdc_eur, private_eur, stage, stage_entered_at,
				applicant_id, applicant_name, version, created_at, updated_at, approved_at, concluded_at, jobs_created,
				start_date, report_due)
			SELECT gen_random_uuid(), 'Entreprise ' || i, 'Étude-action n°' || i, 'Une étude-action de recyclerie et de mobilité.',
				'Réseau', 6, 6, '[]', 20000, 10000 + i % 5000, i % 3000,
				(ARRAY['application','committee','recruitment','study','conclusion','enterprise_created','not_pursued','rejected','withdrawn'])[1 + i % 9],
				now(), $1, 'Bench', 1, now() - i * interval '1 hour', now(),
				CASE WHEN i % 9 BETWEEN 2 AND 6 THEN now() - i * interval '1 hour' END,
				CASE WHEN i % 9 IN (5, 6) THEN now() - i * interval '30 minutes' END,
				CASE WHEN i % 9 = 5 THEN 3 END,
				CASE WHEN i % 9 IN (3, 4) THEN (now() - i * interval '1 hour')::date END,
				CASE WHEN i % 9 IN (3, 4) THEN now() - (i % 500) * interval '1 day' END
			FROM generate_series(1, 10000) AS i`, benchUser.ID)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := db.Pool.Exec(ctx, "ANALYZE study_actions"); err != nil {
			b.Fatal(err)
		}
	})
	return db
}

// BenchmarkStudyActionFigures is the programme page's figures at 10,000 study-actions.
func BenchmarkStudyActionFigures(b *testing.B) {
	db := seededStudies(b)
	from, to := time.Now().AddDate(-2, 0, 0), time.Now().AddDate(0, 0, 1)
	b.ResetTimer()
	for b.Loop() {
		if _, err := db.StudyActionFigures(ctx, from, to); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStudyActionLists are a page of the public list, of a stage, and
// the officer's follow-up (late reports first) at 10,000 study-actions.
func BenchmarkStudyActionLists(b *testing.B) {
	db := seededStudies(b)
	for name, f := range map[string]storage.StudyActionFilter{
		"recent":   {Limit: 50},
		"stage":    {Stages: []domain.Stage{domain.StageStudy}, Limit: 50},
		"followup": {LateFirst: true, Limit: 50},
		"search":   {Q: "recyclerie", Limit: 50},
	} {
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				if _, _, err := db.StudyActions(ctx, f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
