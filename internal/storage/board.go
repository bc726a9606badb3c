package storage

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// ExcerptRunes bounds the excerpt of a description that lists show.
const ExcerptRunes = 280

// excerptCut is how many characters lists read of a description: one more
// than the excerpt, to know whether it was cut.
const excerptCut = "281"

// Excerpt is the beginning of the description as lists show it, cut at a
// word, and whether it was cut. List rows hold only that beginning; one
// need (Need) holds it whole.
func (n NeedRow) Excerpt() (string, bool) {
	d := n.Description
	lastSpace, runes := -1, 0
	for i, r := range d {
		if runes == ExcerptRunes {
			cut := i
			if lastSpace > 0 && !unicode.IsSpace(r) { // end on a word when one ends near the limit
				cut = lastSpace
			}
			return strings.TrimRightFunc(d[:cut], func(c rune) bool {
				return unicode.IsSpace(c) || unicode.IsPunct(c)
			}) + "…", true
		}
		if unicode.IsSpace(r) && runes > ExcerptRunes*3/4 {
			lastSpace = i
		}
		runes++
	}
	return d, false
}

// boardWhere is the filter's condition on needs (without alias), its
// parameters appended to args.
func (db *DB) boardWhere(ctx context.Context, f CountFilter, args []any) (string, []any, error) {
	cond := ""
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if f.Officer != "" {
		cond += " AND officer_id = " + arg(f.Officer) + "::uuid"
	}
	if f.Territory != "" {
		codes, err := db.territoryCodes(ctx, f.Territory)
		if err != nil {
			return "", nil, err
		}
		cond += " AND territory_code = ANY(" + arg(codes) + ")"
	}
	if f.Theme != "" {
		cond += " AND theme = " + arg(f.Theme)
	}
	return cond, args, nil
}

// BoardNeeds returns, for each of the given stages, at most perStage needs:
// the overdue ones first, longest overdue first, then those waiting longest
// in their stage (the officers' board). Each stage reads two short index
// ranges, whatever the number of needs.
func (db *DB) BoardNeeds(ctx context.Context, stages []domain.Stage, perStage int, f CountFilter) ([]NeedRow, error) {
	cond, args, err := db.boardWhere(ctx, f, []any{stages, perStage})
	if err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, "SELECT "+cardColumns+` FROM needs n WHERE n.id IN (
			SELECT picked.id FROM unnest($1::text[]) AS s(stage) CROSS JOIN LATERAL (
				(SELECT id FROM needs WHERE stage = s.stage AND next_deadline < now()`+cond+`
					ORDER BY next_deadline, id LIMIT $2)
				UNION ALL
				(SELECT id FROM needs WHERE stage = s.stage AND (next_deadline IS NULL OR next_deadline >= now())`+cond+`
					ORDER BY stage_entered_at, id LIMIT $2)
				LIMIT $2) AS picked)`, args...)
	if err != nil {
		return nil, fmt.Errorf("board needs: %w", err)
	}
	list, err := collectNeeds(rows)
	if err != nil {
		return nil, fmt.Errorf("board needs: %w", err)
	}
	now := time.Now()
	slices.SortFunc(list, func(a, b NeedRow) int {
		la, lb := a.Overdue(now), b.Overdue(now)
		switch {
		case la && lb:
			return cmp.Or(a.NextDeadline.Compare(*b.NextDeadline), cmp.Compare(a.ID, b.ID))
		case la != lb:
			if la {
				return -1
			}
			return 1
		}
		return cmp.Or(a.StageEnteredAt.Compare(b.StageEnteredAt), cmp.Compare(a.ID, b.ID))
	})
	return list, nil
}

// OverdueCap bounds the count of overdue needs per stage: past it the
// board says "at least", and the count costs no more.
const OverdueCap = 500

// OverdueByStage counts the overdue needs of each stage, up to OverdueCap,
// through the index of deadlines.
func (db *DB) OverdueByStage(ctx context.Context, stages []domain.Stage, f CountFilter) (map[domain.Stage]int, error) {
	cond, args, err := db.boardWhere(ctx, f, []any{stages, OverdueCap})
	if err != nil {
		return nil, err
	}
	rows, err := db.Pool.Query(ctx, `SELECT s.stage, (SELECT count(*)::int FROM (SELECT 1 FROM needs
			WHERE stage = s.stage AND next_deadline < now()`+cond+` LIMIT $2) AS late)
		FROM unnest($1::text[]) AS s(stage)`, args...)
	if err != nil {
		return nil, fmt.Errorf("overdue by stage: %w", err)
	}
	out := map[domain.Stage]int{}
	var st string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&st, &n}, func() error {
		out[domain.Stage(st)] = n
		return nil
	}); err != nil {
		return nil, fmt.Errorf("overdue by stage: %w", err)
	}
	return out, nil
}
