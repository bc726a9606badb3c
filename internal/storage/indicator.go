package storage

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// IndicatorFilter narrows the plan's indicators: Territories are codes (a
// département already expanded to its employment zones), nil for all; the
// period [From, To) bounds what happened (submissions, stages left,
// projects completed, approvals), zero for no bound.
type IndicatorFilter struct {
	Territories []string
	From, To    time.Time
}

func (f IndicatorFilter) period() bool { return !f.From.IsZero() || !f.To.IsZero() }

// bounds is the period with open ends filled in.
func (f IndicatorFilter) bounds() (time.Time, time.Time) {
	from, to := f.From, f.To
	if from.IsZero() {
		from = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	if to.IsZero() {
		to = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return from, to
}

// Count is a number of needs for one key (a stage, a territory, a theme).
type Count struct {
	Key string `db:"key"`
	N   int    `db:"n"`
}

// StageTime is the average time spent in a stage by the needs that left it.
type StageTime struct {
	Stage   string  `db:"stage"`
	AvgDays float64 `db:"avg_days"`
	N       int     `db:"n"`
}

// Outcomes are what the deployed projects produced.
type Outcomes struct {
	Deployed    int                `db:"deployed"`
	Created     int                `db:"created"`
	TakenOver   int                `db:"taken_over"`
	SCOP        int                `db:"scop"`
	SCIC        int                `db:"scic"`
	Jobs        float64            `db:"jobs"`
	FCARegion   int                `db:"fca_region"`
	ByFunder    map[string]float64 `db:"by_funder"`
	ByLegalForm map[string]int     `db:"by_legal_form"`
}

// MonthFigures are what happened in one month.
type MonthFigures struct {
	Month     time.Time `db:"month"`
	Submitted int       `db:"submitted"`
	Deployed  int       `db:"deployed"`
	Jobs      float64   `db:"jobs"`
}

// NeedsBy counts needs by stage, territory or theme (dim). Without a period
// it reads the counters kept as needs change; with one, the needs submitted
// within it (a range of the created_at index).
func (db *DB) NeedsBy(ctx context.Context, dim string, f IndicatorFilter) ([]Count, error) {
	col := map[string]string{"stage": "stage", "territory": "territory_code", "theme": "theme"}[dim]
	if col == "" {
		return nil, fmt.Errorf("needs by %q: unknown dimension", dim)
	}
	var sql string
	var args []any
	if !f.period() {
		where := []string{"officer_id = ''"}
		switch {
		case dim == "territory":
			where = append(where, "territory_code <> ''", "theme = ''")
		case dim == "theme":
			where = append(where, "theme <> ''")
		default:
			where = append(where, "theme = ''")
		}
		if dim != "territory" {
			if f.Territories != nil {
				args = append(args, f.Territories)
				where = append(where, "territory_code = ANY($1)")
			} else {
				where = append(where, "territory_code = ''")
			}
		} else if f.Territories != nil {
			args = append(args, f.Territories)
			where = append(where, "territory_code = ANY($1)")
		}
		sql = `SELECT ` + col + ` AS key, sum(n)::int AS n FROM need_counters WHERE ` + strings.Join(where, " AND ") +
			` GROUP BY 1 HAVING sum(n) > 0 ORDER BY 1`
	} else {
		m := splitMonths(f)
		args = m.args(f)
		sql = `SELECT key, sum(n)::int AS n FROM (
				SELECT ` + col + ` AS key, sum(n) AS n FROM need_months WHERE month >= $1 AND month < $2` + territoryAnd(f, 7) + ` GROUP BY 1
				UNION ALL
				SELECT ` + col + `, count(*) FROM needs WHERE ((created_at >= $3 AND created_at < $4) OR (created_at >= $5 AND created_at < $6))` +
			territoryAnd(f, 7) + ` GROUP BY 1) x
			GROUP BY key HAVING sum(n) > 0 ORDER BY key`
	}
	rows, err := db.Pool.Query(ctx, sql, args...)
	if err != nil {
		return nil, fmt.Errorf("needs by %s: %w", dim, err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Count])
}

// Overdue counts, by stage, the needs whose deadline has passed (now).
func (db *DB) Overdue(ctx context.Context, f IndicatorFilter) ([]Count, error) {
	where, args := "next_deadline < now()", []any{}
	if f.Territories != nil {
		args = append(args, f.Territories)
		where += " AND territory_code = ANY($1)"
	}
	rows, err := db.Pool.Query(ctx, `SELECT stage AS key, count(*)::int AS n FROM needs WHERE `+where+` GROUP BY 1 ORDER BY 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("overdue: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Count])
}

// StageTimes is the average time needs spent in each stage they left
// within the period (by month).
func (db *DB) StageTimes(ctx context.Context, f IndicatorFilter) ([]StageTime, error) {
	from, to := f.bounds()
	args := []any{from, to}
	where := "month >= date_trunc('month', $1::timestamptz AT TIME ZONE 'Europe/Paris')::date AND month < $2::timestamptz"
	if f.Territories != nil {
		args = append(args, f.Territories)
		where += " AND territory_code = ANY($3)"
	}
	rows, err := db.Pool.Query(ctx, `SELECT stage, (sum(seconds) / sum(n) / 86400)::float8 AS avg_days, sum(n)::int AS n
		FROM stage_time WHERE `+where+` GROUP BY stage`, args...)
	if err != nil {
		return nil, fmt.Errorf("stage times: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[StageTime])
}

// Outcomes sums what the projects completed within the period produced:
// structures by origin and legal form, jobs, projects supported by the FCA
// and co-financed by the Region, money by kind of funder.
func (db *DB) Outcomes(ctx context.Context, f IndicatorFilter) (Outcomes, error) {
	from, to := f.bounds()
	args := []any{from, to}
	where := "stage = 'deployed' AND stage_entered_at >= $1 AND stage_entered_at < $2 AND outcome IS NOT NULL"
	if f.Territories != nil {
		args = append(args, f.Territories)
		where += " AND territory_code = ANY($3)"
	}
	o := Outcomes{ByFunder: map[string]float64{}, ByLegalForm: map[string]int{}}
	err := db.Pool.QueryRow(ctx, `WITH d AS (SELECT id, outcome FROM needs WHERE `+where+`)
		SELECT (SELECT count(*) FROM needs WHERE stage = 'deployed' AND stage_entered_at >= $1 AND stage_entered_at < $2`+
		territoryAnd(f, 3)+`)::int,
			count(*) FILTER (WHERE outcome->'structure'->>'origin' = 'created')::int,
			count(*) FILTER (WHERE outcome->'structure'->>'origin' = 'taken_over')::int,
			count(*) FILTER (WHERE outcome->'structure'->>'legal_form' = 'scop')::int,
			count(*) FILTER (WHERE outcome->'structure'->>'legal_form' = 'scic')::int,
			COALESCE(sum((outcome->>'jobs_created')::float8), 0),
			count(*) FILTER (WHERE outcome->'funders' @> '[{"kind":"fca"}]' AND outcome->'funders' @> '[{"kind":"region"}]')::int,
			COALESCE((SELECT jsonb_object_agg(kind, total) FROM (SELECT fu->>'kind' AS kind, sum((fu->>'amount_eur')::float8) AS total
				FROM d, jsonb_array_elements(d.outcome->'funders') fu GROUP BY 1) k), '{}'),
			COALESCE((SELECT jsonb_object_agg(form, c) FROM (SELECT outcome->'structure'->>'legal_form' AS form, count(*) AS c
				FROM d GROUP BY 1) l), '{}')
		FROM d`, args...).Scan(&o.Deployed, &o.Created, &o.TakenOver, &o.SCOP, &o.SCIC, &o.Jobs, &o.FCARegion, &o.ByFunder, &o.ByLegalForm)
	if err != nil {
		return o, fmt.Errorf("outcomes: %w", err)
	}
	return o, nil
}

func territoryAnd(f IndicatorFilter, n int) string {
	if f.Territories == nil {
		return ""
	}
	return " AND territory_code = ANY($" + strconv.Itoa(n) + ")"
}

// Months lists, month by month within the period (the last two years when
// it has no start), the needs submitted, the projects completed and their
// jobs (the charts over time).
func (db *DB) Months(ctx context.Context, f IndicatorFilter) ([]MonthFigures, error) {
	if f.From.IsZero() {
		f.From = time.Now().AddDate(-2, 0, 0)
	}
	if f.To.IsZero() {
		f.To = time.Now()
	}
	m := splitMonths(f)
	args := m.args(f)
	terr := territoryAnd(f, 7)
	rows, err := db.Pool.Query(ctx, `WITH s AS (
			SELECT month, sum(n)::int AS n FROM (
				SELECT month::timestamp AS month, sum(n) AS n FROM need_months WHERE month >= $1 AND month < $2`+terr+` GROUP BY 1
				UNION ALL
				SELECT date_trunc('month', created_at AT TIME ZONE 'Europe/Paris'), count(*) FROM needs
				WHERE ((created_at >= $3 AND created_at < $4) OR (created_at >= $5 AND created_at < $6))`+terr+` GROUP BY 1) x
			GROUP BY 1),
		d AS (
			SELECT date_trunc('month', stage_entered_at AT TIME ZONE 'Europe/Paris') AS month, count(*)::int AS n,
				COALESCE(sum((outcome->>'jobs_created')::float8), 0) AS jobs
			FROM needs WHERE stage = 'deployed' AND stage_entered_at >= $3 AND stage_entered_at < $6`+terr+` GROUP BY 1)
		SELECT g AS month, COALESCE(s.n, 0) AS submitted, COALESCE(d.n, 0) AS deployed, COALESCE(d.jobs, 0)::float8 AS jobs
		FROM generate_series(date_trunc('month', $3::timestamptz AT TIME ZONE 'Europe/Paris'),
			date_trunc('month', ($6::timestamptz - interval '1 second') AT TIME ZONE 'Europe/Paris'), interval '1 month') g
		LEFT JOIN s ON s.month = g LEFT JOIN d ON d.month = g ORDER BY g`, args...)
	if err != nil {
		return nil, fmt.Errorf("months: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[MonthFigures])
}

// monthSplit is a period cut into whole months (Paris time), read from
// need_months, and the days at its two ends, read from the needs.
type monthSplit struct {
	from, to           time.Time // the period
	wholeFrom, wholeTo time.Time // [wholeFrom, wholeTo): whole months
}

func splitMonths(f IndicatorFilter) monthSplit {
	from, to := f.bounds()
	start := func(t time.Time) time.Time {
		p := t.In(domain.Paris)
		return time.Date(p.Year(), p.Month(), 1, 0, 0, 0, 0, domain.Paris)
	}
	m := monthSplit{from: from, to: to, wholeFrom: start(from), wholeTo: start(to)}
	if m.wholeFrom.Before(from) {
		m.wholeFrom = m.wholeFrom.AddDate(0, 1, 0)
	}
	if !m.wholeFrom.Before(m.wholeTo) { // no whole month: the needs alone
		m.wholeFrom, m.wholeTo = from, from
	}
	return m
}

// args are $1–$6: the whole months as days, then the two ends; $7 the territories.
func (m monthSplit) args(f IndicatorFilter) []any {
	day := func(t time.Time) string { return t.In(domain.Paris).Format(time.DateOnly) }
	args := []any{day(m.wholeFrom), day(m.wholeTo), m.from, m.wholeFrom, m.wholeTo, m.to}
	if m.wholeFrom.Equal(m.wholeTo) {
		args[0], args[1] = "2000-01-01", "2000-01-01" // no whole month
	}
	if f.Territories != nil {
		args = append(args, f.Territories)
	}
	return args
}

// StudyActionsBy counts study-actions by stage (their territory is their
// need's; those without one count only when no territory is asked for).
func (db *DB) StudyActionsBy(ctx context.Context, f IndicatorFilter) ([]Count, error) {
	args, where := []any{}, "TRUE"
	if f.Territories != nil {
		args = append(args, f.Territories)
		where = "territory_code = ANY($1)"
	}
	rows, err := db.Pool.Query(ctx, `SELECT stage AS key, count(*)::int AS n FROM study_actions WHERE `+where+
		` GROUP BY 1 ORDER BY 1`, args...)
	if err != nil {
		return nil, fmt.Errorf("study-actions by stage: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[Count])
}

// OpenNeed is what the open-data export publishes of a need: nothing about
// the people who submitted, supported or handled it.
type OpenNeed struct {
	ID             string    `db:"id" json:"id"`
	Title          string    `db:"title" json:"title"`
	Description    string    `db:"description" json:"description"`
	Theme          string    `db:"theme" json:"theme"`
	TerritoryCode  string    `db:"territory_code" json:"territory_code"`
	Stage          string    `db:"stage" json:"stage"`
	CreatedAt      time.Time `db:"created_at" json:"created_at"`
	StageEnteredAt time.Time `db:"stage_entered_at" json:"stage_entered_at"`
	Supports       int       `db:"supports" json:"supports"`
	Structure      *string   `db:"structure" json:"structure"`
	LegalForm      *string   `db:"legal_form" json:"legal_form"`
	Origin         *string   `db:"origin" json:"origin"`
	JobsCreated    *float64  `db:"jobs_created" json:"jobs_created"`
}

// OpenNeeds reads one page of the open data: every need (merged ones left
// out: they live on in their target), oldest first, after cursor ("" is the
// start), by the created_at index so that an export's memory does not grow
// with the table. next is "" after the last page.
func (db *DB) OpenNeeds(ctx context.Context, cursor string, limit int) (page []OpenNeed, next string, err error) {
	c := newConds()
	c.add("stage <> 'merged'")
	if err := c.afterAsc(cursor, "created_at", "id"); err != nil {
		return nil, "", err
	}
	rows, err := db.Pool.Query(ctx, `SELECT id::text, title, description, theme, territory_code, stage, created_at,
			stage_entered_at, supports, outcome->'structure'->>'name' AS structure,
			outcome->'structure'->>'legal_form' AS legal_form, outcome->'structure'->>'origin' AS origin,
			(outcome->>'jobs_created')::float8 AS jobs_created
		FROM needs WHERE `+c.sql()+oldestFirst("created_at", "id", limit), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("open data: %w", err)
	}
	page, err = pgx.CollectRows(rows, pgx.RowToStructByName[OpenNeed])
	if err != nil {
		return nil, "", fmt.Errorf("open data: %w", err)
	}
	page, next = cut(page, limit, func(n OpenNeed) (time.Time, string) { return n.CreatedAt, n.ID })
	return page, next, nil
}

// RallyFigures are the Rally'nov rounds' figures: rounds held, entries by
// kind of company, entries selected, stages and trophies.
type RallyFigures struct {
	Rounds   int            `json:"rounds"`
	Entries  int            `json:"entries"`
	ByKind   map[string]int `json:"entries_by_kind"`
	Selected int            `json:"selected"`
	Stages   int            `json:"stages"`
	Trophies int            `json:"trophies"`
}

// RallyFigures counts the rounds created within the period (rounds are a few a year).
func (db *DB) RallyFigures(ctx context.Context, f IndicatorFilter) (RallyFigures, error) {
	from, to := f.bounds()
	r := RallyFigures{ByKind: map[string]int{}}
	err := db.Pool.QueryRow(ctx, `WITH r AS (SELECT * FROM rally_rounds WHERE created_at >= $1 AND created_at < $2)
		SELECT (SELECT count(*) FROM r)::int, (SELECT COALESCE(sum(entries), 0) FROM r)::int,
			(SELECT COALESCE(sum(jsonb_array_length(COALESCE(selection->'selected', '[]'))), 0) FROM r)::int,
			(SELECT COALESCE(sum(jsonb_array_length(stages)), 0) FROM r)::int,
			(SELECT COALESCE(sum(jsonb_array_length(trophies)), 0) FROM r)::int,
			COALESCE((SELECT jsonb_object_agg(kind, n) FROM (SELECT e.kind, count(*) AS n FROM rally_entries e
				JOIN r ON r.id = e.round_id GROUP BY 1) k), '{}')`, from, to).
		Scan(&r.Rounds, &r.Entries, &r.Selected, &r.Stages, &r.Trophies, &r.ByKind)
	if err != nil {
		return r, fmt.Errorf("rally figures: %w", err)
	}
	return r, nil
}

// CommitteeFigures are one programme's committee decisions: those taken
// within the period, the average days from the ballot's opening (the file
// ready for the committee) to the decision, and those waiting now.
type CommitteeFigures struct {
	Subject string   `json:"subject"`
	Decided int      `json:"decided"`
	AvgDays *float64 `json:"avg_days_to_decision"`
	Waiting int      `json:"waiting"`
}

// SessionsHeld counts the committee's sessions closed, held within the period.
func (db *DB) SessionsHeld(ctx context.Context, f IndicatorFilter) (int, error) {
	from, to := f.bounds()
	var n int
	err := db.Pool.QueryRow(ctx, `SELECT count(*)::int FROM committee_sessions WHERE stage = 'closed' AND starts_at >= $1 AND starts_at < $2`,
		from, to).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("sessions held: %w", err)
	}
	return n, nil
}

// CommitteeFiguresBy counts the committee's decisions by programme, through
// the decided ballots' index (a period reads its own) and the open ones'.
func (db *DB) CommitteeFiguresBy(ctx context.Context, f IndicatorFilter) ([]CommitteeFigures, error) {
	from, to := f.bounds()
	rows, err := db.Pool.Query(ctx, `SELECT s.subject,
			(SELECT count(*) FROM ballots b WHERE b.decided_at >= $1 AND b.decided_at < $2 AND b.subject = s.subject)::int,
			(SELECT round((avg(extract(epoch FROM b.decided_at - b.opened_at)) / 86400)::numeric, 1)::float8 FROM ballots b
				WHERE b.decided_at >= $1 AND b.decided_at < $2 AND b.subject = s.subject),
			(SELECT count(*) FROM ballots b WHERE b.open AND b.subject = s.subject)::int
		FROM unnest($3::text[]) AS s (subject)`, from, to, []string{string(domain.SubjectNeed), string(domain.SubjectStudyAction), string(domain.SubjectCall)})
	if err != nil {
		return nil, fmt.Errorf("committee figures: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (CommitteeFigures, error) {
		var c CommitteeFigures
		err := r.Scan(&c.Subject, &c.Decided, &c.AvgDays, &c.Waiting)
		return c, err
	})
}
