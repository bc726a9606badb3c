package storage

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// Counts of needs by stage, kept in need_counters as needs change
// (migrations/20261203090000_need_counters.sql): summary figures read a few
// rows whatever the number of needs.

// counted is what need_counters counts a need by.
type counted struct {
	stage, officer, territory, theme string // officer "" when nobody is in charge
}

type counterKey struct{ officer, territory, theme, stage string }

// keys are the need's rows in need_counters: each combination of its
// officer, territory and theme with "any" (""), at its stage.
func (c counted) keys() []counterKey {
	officers := []string{""}
	if c.officer != "" {
		officers = append(officers, c.officer)
	}
	var out []counterKey
	for _, o := range officers {
		for _, t := range []string{"", c.territory} {
			for _, th := range []string{"", c.theme} {
				out = append(out, counterKey{o, t, th, c.stage})
			}
		}
	}
	return out
}

// countedNeed reads, and locks until the transaction ends, what the
// counters hold for a need; nil when it is not stored yet.
func countedNeed(ctx context.Context, tx pgx.Tx, id string) (*counted, error) {
	var c counted
	err := tx.QueryRow(ctx, `SELECT stage, COALESCE(officer_id::text, ''), territory_code, theme
		FROM needs WHERE id = $1 FOR UPDATE`, id).Scan(&c.stage, &c.officer, &c.territory, &c.theme)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("need counters: %w", err)
	}
	return &c, nil
}

// moveCounters takes a need out of its old rows (nil: a new need) and into
// its new ones. The rows are written in key order, so that two transactions
// never wait for each other's rows in opposite orders.
func moveCounters(ctx context.Context, tx pgx.Tx, before, after *counted) error {
	delta := map[counterKey]int64{}
	if before != nil {
		for _, k := range before.keys() {
			delta[k]--
		}
	}
	if after != nil {
		for _, k := range after.keys() {
			delta[k]++
		}
	}
	keys := make([]counterKey, 0, len(delta))
	for k, d := range delta {
		if d != 0 {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		return nil
	}
	slices.SortFunc(keys, func(a, b counterKey) int {
		return cmp.Or(cmp.Compare(a.officer, b.officer), cmp.Compare(a.territory, b.territory),
			cmp.Compare(a.theme, b.theme), cmp.Compare(a.stage, b.stage))
	})
	var officers, territories, themes, stages []string
	var ns []int64
	for _, k := range keys {
		officers, territories, themes, stages = append(officers, k.officer), append(territories, k.territory),
			append(themes, k.theme), append(stages, k.stage)
		ns = append(ns, delta[k])
	}
	if _, err := tx.Exec(ctx, `INSERT INTO need_counters (officer_id, territory_code, theme, stage, n)
		SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::bigint[])
		ON CONFLICT (officer_id, territory_code, theme, stage) DO UPDATE SET n = need_counters.n + EXCLUDED.n`,
		officers, territories, themes, stages, ns); err != nil {
		return fmt.Errorf("need counters: %w", err)
	}
	return nil
}

// recountSQL counts every need again, as the migration first did.
const recountSQL = `INSERT INTO need_counters (officer_id, territory_code, theme, stage, n)
	SELECT CASE WHEN GROUPING(officer_id) = 1 THEN '' ELSE officer_id::text END,
		CASE WHEN GROUPING(territory_code) = 1 THEN '' ELSE territory_code END,
		CASE WHEN GROUPING(theme) = 1 THEN '' ELSE theme END,
		stage, count(*)
	FROM needs
	GROUP BY stage, CUBE (officer_id, territory_code, theme)
	HAVING GROUPING(officer_id) = 1 OR officer_id IS NOT NULL`

// RecountNeeds rebuilds the counters from the needs, for needs written
// straight into the table (the load generator's seed). Writers wait meanwhile.
func (db *DB) RecountNeeds(ctx context.Context) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, "LOCK TABLE needs IN SHARE MODE"); err != nil {
			return fmt.Errorf("recount needs: %w", err)
		}
		if _, err := tx.Exec(ctx, "DELETE FROM need_counters"); err != nil {
			return fmt.Errorf("recount needs: %w", err)
		}
		if _, err := tx.Exec(ctx, recountSQL); err != nil {
			return fmt.Errorf("recount needs: %w", err)
		}
		return nil
	})
}

// CountFilter narrows the counts like the board's filters; "" is any.
type CountFilter struct {
	Officer   string // an account id
	Territory string // a département counts its employment zones too
	Theme     string
}

// CountByStage reads the number of needs in each stage (stages without
// needs are absent) from the counters.
func (db *DB) CountByStage(ctx context.Context, f CountFilter) (map[domain.Stage]int, error) {
	territories := []string{""}
	if f.Territory != "" {
		var err error
		if territories, err = db.territoryCodes(ctx, f.Territory); err != nil {
			return nil, err
		}
	}
	rows, err := db.Pool.Query(ctx, `SELECT stage, sum(n)::int FROM need_counters
		WHERE officer_id = $1 AND territory_code = ANY($2) AND theme = $3 GROUP BY stage`,
		f.Officer, territories, f.Theme)
	if err != nil {
		return nil, fmt.Errorf("count by stage: %w", err)
	}
	out := map[domain.Stage]int{}
	var st string
	var n int
	_, err = pgx.ForEachRow(rows, []any{&st, &n}, func() error {
		if n > 0 {
			out[domain.Stage(st)] = n
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("count by stage: %w", err)
	}
	return out, nil
}
