package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// CallRow is a call for projects as the read model holds it.
type CallRow struct {
	ID                string               `db:"id"`
	Title             string               `db:"title"`
	Description       string               `db:"description"`
	OpensAt           time.Time            `db:"opens_at"`
	ClosesAt          time.Time            `db:"closes_at"`
	NeedIDs           []string             `db:"need_ids"`
	Needs             []CallNeed           `db:"needs"`
	Stage             domain.Stage         `db:"stage"`
	StageEnteredAt    time.Time            `db:"stage_entered_at"`
	CreatedBy         *string              `db:"created_by"`
	CreatedByName     string               `db:"created_by_name"`
	ApplicationsCount int                  `db:"applications_count"`
	Proposal          *domain.CallProposal `db:"proposal"`
	Selected          []string             `db:"selected"`
	Conditions        string               `db:"conditions"` // a committee session's, with its approval
	NextDeadline      *time.Time           `db:"next_deadline"`
	EndReason         *string              `db:"end_reason"`
	Version           int64                `db:"version"`
	CreatedAt         time.Time            `db:"created_at"`
	UpdatedAt         time.Time            `db:"updated_at"`
}

// CallNeed is a need a call seeks territories for.
type CallNeed struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

const callColumns = `c.id, c.title, c.description, c.opens_at, c.closes_at, c.need_ids::text[] AS need_ids, c.stage,
	c.stage_entered_at, c.created_by, c.created_by_name, c.applications_count, c.proposal, c.selected,
	c.next_deadline, c.end_reason, c.version, c.created_at, c.updated_at, c.conditions`

// The needs' titles, for one call's page (lists leave them out).
const callNeedsColumn = `, COALESCE((SELECT json_agg(json_build_object('id', n.id, 'title', n.title) ORDER BY n.title)
		FROM needs n WHERE n.id = ANY(c.need_ids)), '[]') AS needs`

// SaveCall writes a call's state, its new events and, for an application,
// the application with its motivation, idempotently (events and
// applications keyed, state guarded by version). deadlines are the current
// stage's, fired or not.
func (db *DB) SaveCall(ctx context.Context, c *domain.Call, events []domain.Event, deadlines []domain.Deadline, applied *domain.CallApplication) error {
	var next, committee *time.Time
	for _, d := range deadlines {
		at := d.At
		if !contains(c.Reminded, d.Key) && (next == nil || at.Before(*next)) {
			next = &at
		}
		if d.Kind == domain.KindCommitteeOverdue {
			committee = &at
		}
	}
	var proposal any
	if c.Proposal != nil {
		proposal = c.Proposal
	}
	needs := c.NeedIDs
	if needs == nil {
		needs = []string{}
	}
	selected := c.Selected
	if selected == nil {
		selected = []string{}
	}
	return db.inTx(ctx, func(tx pgx.Tx) error {
		// An erased person's name never comes back from the workflow's state:
		// names are written when a row is created, and kept as they are after.
		tag, err := tx.Exec(ctx, `INSERT INTO calls (id, title, description, opens_at, closes_at, need_ids, stage,
				stage_entered_at, created_by, created_by_name, applications_count, proposal, selected, next_deadline,
				version, created_at, updated_at, end_reason, conditions)
			VALUES ($1, $2, $3, $4, $5, $6::uuid[], $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
			ON CONFLICT (id) DO UPDATE SET stage = EXCLUDED.stage, stage_entered_at = EXCLUDED.stage_entered_at,
				applications_count = EXCLUDED.applications_count, proposal = EXCLUDED.proposal,
				selected = EXCLUDED.selected, next_deadline = EXCLUDED.next_deadline, version = EXCLUDED.version,
				updated_at = EXCLUDED.updated_at, end_reason = EXCLUDED.end_reason, conditions = EXCLUDED.conditions
			WHERE calls.version < EXCLUDED.version`,
			c.ID, c.Title, c.Description, c.OpensAt, c.ClosesAt, needs, c.Stage, c.StageEnteredAt,
			nullable(c.CreatedBy.UserID), c.CreatedBy.Name, len(c.Applications), proposal, selected, next,
			c.Version, c.CreatedAt, c.UpdatedAt, nullable(c.Reason), c.Conditions)
		if err != nil {
			return fmt.Errorf("save call: %w", err)
		}
		if err := insertEvents(ctx, tx, string(domain.SubjectCall), c.ID, events); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, callNotices(c, events)); err != nil { // outbox.go
			return err
		}
		if err := enqueueWebhooks(ctx, tx, subjectWebhooks("call", c.ID, c.Title, events)); err != nil { // webhook.go
			return err
		}
		if a := applied; a != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO call_applications (id, call_id, territory_code, motivation,
					organisation, organisation_key, by_id, by_name, at, organisation_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::uuid) ON CONFLICT DO NOTHING`,
				domain.DerivedID("call_application", c.ID, a.OrganisationKey, a.TerritoryCode), c.ID, a.TerritoryCode,
				a.Motivation, a.Organisation, a.OrganisationKey, nullable(a.ByID), a.ByName, a.At, nullable(a.OrganisationID)); err != nil {
				return fmt.Errorf("save application: %w", err)
			}
		}
		if tag.RowsAffected() == 0 || len(c.Ballots) == 0 {
			return nil // an older state: its events are in, the rest is newer already
		}
		subj := BallotSubject{Kind: domain.SubjectCall, Title: c.Title, Open: c.Ballot() != nil}
		if subj.Open {
			subj.Deadline = committee
		}
		return saveBallot(ctx, tx, c.ID, subj, c.Ballots[len(c.Ballots)-1])
	})
}

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// Call returns one call with the titles of its needs.
func (db *DB) Call(ctx context.Context, id string) (CallRow, error) {
	if !domain.IsUUID(id) {
		return CallRow{}, ErrNotFound
	}
	rows, _ := db.Pool.Query(ctx, "SELECT "+callColumns+callNeedsColumn+" FROM calls c WHERE c.id = $1", id)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[CallRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return CallRow{}, ErrNotFound
	}
	if err != nil {
		return CallRow{}, fmt.Errorf("call: %w", err)
	}
	return row, nil
}

// CallFilter narrows a list of calls.
type CallFilter struct {
	Stages []domain.Stage
	Limit  int
	Cursor string
}

// Calls lists calls newest first, with a cursor to the next page ("" at the end).
func (db *DB) Calls(ctx context.Context, f CallFilter) ([]CallRow, string, error) {
	c := newConds()
	if len(f.Stages) > 0 {
		c.add("c.stage = ANY(" + c.arg(f.Stages) + ")")
	}
	if err := c.after(f.Cursor, "c.created_at", "c.id"); err != nil {
		return nil, "", err
	}
	list, err := db.calls(ctx, "WHERE "+c.sql()+newestFirst("c.created_at", "c.id", f.Limit), c.args...)
	if err != nil {
		return nil, "", err
	}
	list, next := cut(list, f.Limit, func(r CallRow) (time.Time, string) { return r.CreatedAt, r.ID })
	return list, next, nil
}

// OpenCalls lists the calls open now, the one closing soonest first.
func (db *DB) OpenCalls(ctx context.Context, limit int) ([]CallRow, error) {
	return db.calls(ctx, "WHERE c.stage = 'open' ORDER BY c.closes_at, c.id LIMIT "+strconv.Itoa(limit))
}

func (db *DB) calls(ctx context.Context, tail string, args ...any) ([]CallRow, error) {
	rows, err := db.Pool.Query(ctx, "SELECT "+callColumns+", '[]'::json AS needs FROM calls c "+tail, args...)
	if err != nil {
		return nil, fmt.Errorf("calls: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[CallRow])
	if err != nil {
		return nil, fmt.Errorf("calls: %w", err)
	}
	return list, nil
}

// CallApplicationRow is a territory's application to a call.
type CallApplicationRow struct {
	ID              string    `db:"id"`
	TerritoryCode   string    `db:"territory_code"`
	TerritoryName   *string   `db:"territory_name"`
	Motivation      string    `db:"motivation"`
	Organisation    string    `db:"organisation"`
	OrganisationKey string    `db:"organisation_key"`
	ByID            *string   `db:"by_id"`
	ByName          string    `db:"by_name"`
	At              time.Time `db:"at"`
}

// CallApplicationFilter narrows a call's applications: OrganisationKey set,
// only that organisation's.
type CallApplicationFilter struct {
	OrganisationKey string
	Limit           int
	Cursor          string
}

// CallApplications lists a call's applications newest first, with a cursor
// to the next page ("" at the end).
func (db *DB) CallApplications(ctx context.Context, callID string, f CallApplicationFilter) ([]CallApplicationRow, string, error) {
	c := newConds(callID)
	c.add("a.call_id = $1")
	if f.OrganisationKey != "" {
		c.add("a.organisation_key = " + c.arg(f.OrganisationKey))
	}
	if err := c.after(f.Cursor, "a.at", "a.id"); err != nil {
		return nil, "", err
	}
	rows, err := db.Pool.Query(ctx, `SELECT a.id, a.territory_code, (SELECT t.name FROM territories t WHERE t.code = a.territory_code)
			AS territory_name, a.motivation, a.organisation, a.organisation_key, a.by_id, a.by_name, a.at
		FROM call_applications a WHERE `+c.sql()+newestFirst("a.at", "a.id", f.Limit), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("call applications: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[CallApplicationRow])
	if err != nil {
		return nil, "", fmt.Errorf("call applications: %w", err)
	}
	list, next := cut(list, f.Limit, func(r CallApplicationRow) (time.Time, string) { return r.At, r.ID })
	return list, next, nil
}

// CallApplicants are who applied to a call, without motivations: enough for
// the checks made before an update (the territories, who has a stake).
func (db *DB) CallApplicants(ctx context.Context, callID string) ([]domain.CallApplication, error) {
	rows, err := db.Pool.Query(ctx, `SELECT territory_code, organisation, organisation_key, COALESCE(by_id::text, '') AS by_id, at
		FROM call_applications WHERE call_id = $1 ORDER BY at, id`, callID)
	if err != nil {
		return nil, fmt.Errorf("call applicants: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.CallApplication, error) {
		var a domain.CallApplication
		err := r.Scan(&a.TerritoryCode, &a.Organisation, &a.OrganisationKey, &a.ByID, &a.At)
		return a, err
	})
}

// CallApplication returns one application.
func (db *DB) CallApplication(ctx context.Context, id string) (CallApplicationRow, error) {
	rows, _ := db.Pool.Query(ctx, `SELECT a.id, a.territory_code, (SELECT t.name FROM territories t WHERE t.code = a.territory_code)
			AS territory_name, a.motivation, a.organisation, a.organisation_key, a.by_id, a.by_name, a.at
		FROM call_applications a WHERE a.id = $1`, id)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[CallApplicationRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return row, ErrNotFound
	}
	if err != nil {
		return row, fmt.Errorf("call application: %w", err)
	}
	return row, nil
}
