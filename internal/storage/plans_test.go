package storage_test

import (
	"context"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

// recorder keeps every query a pool runs, with its arguments.
type recorder struct {
	mu      sync.Mutex
	queries []recorded
}

type recorded struct {
	sql  string
	args []any
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, data pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.queries = append(r.queries, recorded{data.SQL, data.Args})
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *recorder) take() []recorded {
	r.mu.Lock()
	defer r.mu.Unlock()
	q := r.queries
	r.queries = nil
	return q
}

var seqScanOnNeeds = regexp.MustCompile(`Seq Scan on (needs|need_counters)\b`)

// TestListPlansAtScale seeds 100,000 needs and checks that no query of the
// lists, the search, the board, the home page or the counts reads every
// need: each plan reads an index. Plans, not timings: the figures are the
// load generator's.
func TestListPlansAtScale(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds 100,000 needs")
	}
	db, url := testdb.Fresh(t)
	officers := make([]string, 20)
	for i := range officers {
		officers[i] = mustUser(t, db, "FCA", domain.RoleOfficer).ID
	}
	submitter := mustUser(t, db, "Mairie de Dole", domain.RoleActor)
	if err := db.SeedNeeds(ctx, 100_000, submitter.ID, officers); err != nil {
		t.Fatal(err)
	}

	cfg, err := pgxpool.ParseConfig(url)
	if err != nil {
		t.Fatal(err)
	}
	rec := &recorder{}
	cfg.ConnConfig.Tracer = rec
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	traced := &storage.DB{Pool: pool}

	var someID string
	if err := db.Pool.QueryRow(ctx, "SELECT id::text FROM needs WHERE stage = 'pilot' LIMIT 1").Scan(&someID); err != nil {
		t.Fatal(err)
	}
	_, cursor, err := db.Needs(ctx, storage.NeedFilter{Limit: 50})
	if err != nil || cursor == "" {
		t.Fatalf("first page: %q %v", cursor, err)
	}
	officer := officers[3]
	filters := []storage.CountFilter{{}, {Officer: officer}, {Territory: "25"}, {Territory: "ze-dole"}, {Theme: "mobility"},
		{Officer: officer, Territory: "39", Theme: "housing"}}

	cases := map[string]func() error{
		"home figures": func() error { _, err := traced.CountByStage(ctx, storage.CountFilter{}); return err },
		"home latest":  func() error { _, _, err := traced.Needs(ctx, storage.NeedFilter{Limit: 4}); return err },
		"one need":     func() error { _, err := traced.Need(ctx, someID); return err },
		"mine": func() error {
			_, _, err := traced.Needs(ctx, storage.NeedFilter{SubmittedBy: submitter.ID, Limit: 200})
			return err
		},
		"my files": func() error { _, err := traced.NeedsInCharge(ctx, officer, 201); return err },
		"similar": func() error {
			_, err := traced.SimilarNeeds(ctx, "Transport solidaire des aînés", "Les aînés isolés ne peuvent plus aller chez le médecin.", "39")
			return err
		},
	}
	for name, f := range map[string]storage.NeedFilter{
		"list":                   {Limit: 50},
		"list, next page":        {Limit: 50, Cursor: cursor},
		"list by stage":          {Stages: []domain.Stage{domain.StageCommittee}, Limit: 20},
		"list by territory":      {Territory: "25", Limit: 20},
		"list by zone":           {Territory: "ze-lure", Limit: 20},
		"list by theme":          {Theme: "food", Limit: 50},
		"list by officer":        {Officer: officer, Limit: 50},
		"list by stage, officer": {Stages: []domain.Stage{domain.StagePilot}, Officer: officer, Limit: 20},
		"list by stage, theme":   {Stages: []domain.Stage{domain.StageCaptured}, Theme: "health", Territory: "70", Limit: 20},
		"search":                 {Q: "transport solidaire", Limit: 50},
		"search, one word":       {Q: "épicerie", Limit: 20},
		"search, rare":           {Q: "n°4242", Limit: 50},
		"search and filters":     {Q: "crèche horaires décalés", Territory: "39", Stages: []domain.Stage{domain.StageCaptured}, Limit: 20},
	} {
		cases[name] = func() error { _, _, err := traced.Needs(ctx, f); return err }
	}
	for i, f := range filters {
		suffix := " " + string(rune('a'+i))
		cases["counts"+suffix] = func() error { _, err := traced.CountByStage(ctx, f); return err }
		cases["board"+suffix] = func() error { _, err := traced.BoardNeeds(ctx, domain.ActiveStages, 12, f); return err }
		cases["overdue"+suffix] = func() error { _, err := traced.OverdueByStage(ctx, domain.ActiveStages, f); return err }
	}

	for name, run := range cases {
		t.Run(name, func(t *testing.T) {
			rec.take()
			if err := run(); err != nil {
				t.Fatal(err)
			}
			for _, q := range rec.take() {
				rows, err := db.Pool.Query(ctx, "EXPLAIN "+q.sql, q.args...)
				if err != nil {
					t.Fatalf("explain %s: %v", q.sql, err)
				}
				lines, err := pgx.CollectRows(rows, pgx.RowTo[string])
				if err != nil {
					t.Fatal(err)
				}
				plan := strings.Join(lines, "\n")
				if testing.Verbose() {
					t.Logf("%s\n%s", q.sql, plan)
				}
				if seqScanOnNeeds.MatchString(plan) {
					t.Errorf("a query reads every need:\n%s\n%s", q.sql, plan)
				}
			}
		})
	}
}
