package storage_test

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// benchDB holds 10,000 needs over the four départements, as a few years of
// use would; it is made once per run and dropped by TestMain.
var (
	benchOnce sync.Once
	benchDB   *storage.DB
	benchURL  string
	benchUser storage.User
	benchIDs  []string
)

var benchWords = []string{"transport", "logement", "épicerie", "crèche", "santé", "mobilité", "jardin", "insertion",
	"énergie", "recyclage", "tiers-lieu", "aînés", "jeunes", "saisonniers", "numérique", "culture"}

func TestMain(m *testing.M) {
	code := m.Run()
	if benchDB != nil {
		benchDB.Close()
		_ = storage.DropDatabase(ctx, benchURL)
	}
	os.Exit(code)
}

func seeded(b *testing.B) *storage.DB {
	benchOnce.Do(func() {
		var err error
		benchURL = testdb.URL("bench")
		if benchDB, err = storage.Open(ctx, benchURL); err == nil {
			_, err = benchDB.Migrate(ctx)
		}
		if err != nil {
			b.Fatal(err)
		}
		benchUser = mustUser(b, benchDB, "Bench", domain.RoleActor)
		words := "ARRAY['" + strings.Join(benchWords, "','") + "']"
		_, err = benchDB.Pool.Exec(ctx, `INSERT INTO needs (id, title, description, theme, territory_code, submitted_by,
				submitted_by_name, stage, stage_entered_at, version, created_at, updated_at)
			SELECT gen_random_uuid(),
				'Projet ' || (`+words+`)[1 + i % 16] || ' et ' || (`+words+`)[1 + (i * 7 + 3) % 16] || ' n°' || i,
				'Un besoin de ' || (`+words+`)[1 + i % 16] || ' pour les habitants, lié à ' || (`+words+`)[1 + (i * 7 + 3) % 16] || ', remonté par le territoire.',
				'health', (ARRAY['25','39','70','90'])[1 + i % 4], $1, 'Bench', 'captured', now(), 1,
				now() - interval '1 day' + i * interval '1 second', now()
			FROM generate_series(1, 10000) AS i`, benchUser.ID)
		if err != nil {
			b.Fatal(err)
		}
		rows, err := benchDB.Pool.Query(ctx, "SELECT id::text FROM needs")
		if err == nil {
			benchIDs, err = pgx.CollectRows(rows, pgx.RowTo[string])
		}
		if err != nil {
			b.Fatal(err)
		}
		_, _ = benchDB.Pool.Exec(ctx, "ANALYZE needs")
	})
	return benchDB
}

// BenchmarkSaveNeedSubmit is the read-model write of a new need, including
// the search for its likely duplicates among 10,000 needs.
func BenchmarkSaveNeedSubmit(b *testing.B) {
	db := seeded(b)
	i := 0
	for b.Loop() {
		i++
		mustNeed(b, db, benchUser, fmt.Sprintf("Transport solidaire des aînés %d", i),
			"Les aînés isolés ne peuvent plus aller chez le médecin.", "39", time.Now())
	}
}

// BenchmarkGetNeed is GET /api/v1/needs/{id}'s query.
func BenchmarkGetNeed(b *testing.B) {
	db := seeded(b)
	i := 0
	for b.Loop() {
		if _, err := db.Need(ctx, benchIDs[i%len(benchIDs)]); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkListSearch is GET /api/v1/needs?q=… (French full text), newest first.
func BenchmarkListSearch(b *testing.B) {
	db := seeded(b)
	i := 0
	for b.Loop() {
		rows, _, err := db.Needs(ctx, storage.NeedFilter{Q: benchWords[i%len(benchWords)], Limit: 50})
		if err != nil || len(rows) == 0 {
			b.Fatalf("%d rows, %v", len(rows), err)
		}
		i++
	}
}

// BenchmarkSimilarNeeds is the "similar needs" lookup while a title is typed.
func BenchmarkSimilarNeeds(b *testing.B) {
	db := seeded(b)
	for b.Loop() {
		if _, err := db.SimilarNeeds(ctx, "Transport solidaire pour les aînés", "", "39"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveNeedWebhooks is a submission's read-model write without a
// webhook, then with three targets registered for it (three deliveries
// written in the same transaction), twice over: the needs it adds make the
// duplicate search dearer, so compare neighbours.
func BenchmarkSaveNeedWebhooks(b *testing.B) {
	db := seeded(b)
	for _, targets := range []int{0, 3, 0, 3} {
		b.Run(fmt.Sprintf("webhooks=%d", targets), func(b *testing.B) {
			var ids []string
			for range targets {
				w, err := db.CreateWebhook(ctx, "https://observatoire.example.org/essor", []string{"need.submitted", "need.stage_changed"}, "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "")
				if err != nil {
					b.Fatal(err)
				}
				ids = append(ids, w.ID)
			}
			i := 0
			for b.Loop() {
				i++
				mustNeed(b, db, benchUser, fmt.Sprintf("Transport solidaire %d-%d", targets, i),
					"Les aînés isolés ne peuvent plus aller chez le médecin.", "39", time.Now())
			}
			for _, id := range ids {
				_ = db.DeleteWebhook(ctx, id)
			}
		})
	}
}
