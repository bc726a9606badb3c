package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// EntryRecord is a Rally'nov entry as submitted, written once.
type EntryRecord struct {
	ID              string            `json:"id"`
	RoundID         string            `json:"round_id"`
	Entry           domain.EntryInput `json:"entry"`
	SubmittedBy     string            `json:"submitted_by"`
	SubmittedByName string            `json:"submitted_by_name"`
	SubmittedAt     time.Time         `json:"submitted_at"`
	OrganisationID  string            `json:"organisation_id,omitempty"` // the entrant's account's directory record
}

// SheetRecord is a juror's score sheet; Seq is the event that recorded it.
type SheetRecord struct {
	EntryID   string             `json:"entry_id"`
	RoundID   string             `json:"round_id"`
	JurorID   string             `json:"juror_id"`
	JurorName string             `json:"juror_name"`
	Scores    map[string]float64 `json:"scores"`
	Total     float64            `json:"total"`
	Seq       int                `json:"seq"`
	At        time.Time          `json:"at"`
}

// SaveRound writes a round's state, its new events and the entry or sheet
// the change recorded, idempotently: the round row is guarded by version,
// events by sequence, an entry by its id and a sheet by its event's
// sequence, so a retried or late write never duplicates or rolls back.
func (db *DB) SaveRound(ctx context.Context, r *domain.Round, entries int, events []domain.Event, entry *EntryRecord, sheet *SheetRecord, deadline *time.Time) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		stages, trophies, jury := r.Stops, r.Trophies, r.Jury
		if stages == nil {
			stages = []domain.Stop{}
		}
		if trophies == nil {
			trophies = []domain.Trophy{}
		}
		if jury == nil {
			jury = []domain.Juror{}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO rally_rounds (id, title, phases, categories, criteria, phase, selection,
				stages, trophies, archived, entries, next_deadline, created_by, created_by_name, created_at, updated_at, version, jury)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)
			ON CONFLICT (id) DO UPDATE SET phase = EXCLUDED.phase, selection = EXCLUDED.selection, stages = EXCLUDED.stages,
				jury = EXCLUDED.jury,
				trophies = EXCLUDED.trophies, archived = EXCLUDED.archived, entries = EXCLUDED.entries,
				next_deadline = EXCLUDED.next_deadline, updated_at = EXCLUDED.updated_at, version = EXCLUDED.version
			WHERE rally_rounds.version < EXCLUDED.version`,
			r.ID, r.Title, r.Phases, r.Categories, r.Criteria, string(r.Phase), r.Selection, stages, trophies, r.Archived,
			entries, deadline, nullable(r.CreatedBy.UserID), r.CreatedBy.Name, r.CreatedAt, r.UpdatedAt, r.Version, jury); err != nil {
			return fmt.Errorf("save round: %w", err)
		}
		if err := insertEvents(ctx, tx, "rally_round", r.ID, events); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, roundNotices(r, entries, events)); err != nil { // outbox.go
			return err
		}
		if err := enqueueWebhooks(ctx, tx, subjectWebhooks("rally_round", r.ID, r.Title, events)); err != nil { // webhook.go
			return err
		}
		if e := entry; e != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO rally_entries (id, round_id, organisation, kind, title, description,
					category, submitted_by, submitted_by_name, submitted_at, organisation_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11::uuid) ON CONFLICT (id) DO NOTHING`,
				e.ID, e.RoundID, e.Entry.Organisation, e.Entry.Kind, e.Entry.Title, e.Entry.Description, e.Entry.Category,
				e.SubmittedBy, e.SubmittedByName, e.SubmittedAt, nullable(e.OrganisationID)); err != nil {
				return fmt.Errorf("save entry: %w", err)
			}
		}
		if s := sheet; s != nil {
			if _, err := tx.Exec(ctx, `INSERT INTO rally_sheets (entry_id, juror_id, round_id, juror_name, scores, total, seq, at)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
				ON CONFLICT (entry_id, juror_id) DO UPDATE SET scores = EXCLUDED.scores, total = EXCLUDED.total,
					seq = EXCLUDED.seq, at = EXCLUDED.at, juror_name = EXCLUDED.juror_name
				WHERE rally_sheets.seq < EXCLUDED.seq`,
				s.EntryID, s.JurorID, s.RoundID, s.JurorName, s.Scores, s.Total, s.Seq, s.At); err != nil {
				return fmt.Errorf("save sheet: %w", err)
			}
		}
		return nil
	})
}

// RoundRow is a round as the read model holds it.
type RoundRow struct {
	ID            string             `db:"id"`
	Title         string             `db:"title"`
	Phases        []domain.PhaseSpan `db:"phases"`
	Categories    []string           `db:"categories"`
	Criteria      []domain.Criterion `db:"criteria"`
	Phase         domain.Phase       `db:"phase"`
	Selection     *domain.Selection  `db:"selection"`
	Stages        []domain.Stop      `db:"stages"`
	Trophies      []domain.Trophy    `db:"trophies"`
	Jury          []domain.Juror     `db:"jury"`
	Archived      bool               `db:"archived"`
	Entries       int                `db:"entries"`
	NextDeadline  *time.Time         `db:"next_deadline"`
	CreatedBy     *string            `db:"created_by"`
	CreatedByName string             `db:"created_by_name"`
	CreatedAt     time.Time          `db:"created_at"`
	UpdatedAt     time.Time          `db:"updated_at"`
	Version       int64              `db:"version"`
}

// Domain is the round's rules' view of the row (its current phase, whether
// entries are open…).
func (r RoundRow) Domain() domain.Round {
	return domain.Round{ID: r.ID, Title: r.Title, Phases: r.Phases, Categories: r.Categories, Criteria: r.Criteria,
		Phase: r.Phase, Selection: r.Selection, Stops: r.Stages, Trophies: r.Trophies, Archived: r.Archived, Jury: r.Jury}
}

// CurrentPhase is the round's current phase at now (pages call it).
func (r RoundRow) CurrentPhase(now time.Time) domain.Phase {
	d := r.Domain()
	return d.CurrentPhase(now)
}

// InJury tells whether an account may score the round.
func (r RoundRow) InJury(userID string) bool {
	d := r.Domain()
	return d.InJury(userID)
}

// EntriesOpen tells whether the round takes entries at now.
func (r RoundRow) EntriesOpen(now time.Time) bool {
	d := r.Domain()
	return d.EntriesOpen(now)
}

const roundColumns = `id, title, phases, categories, criteria, phase, selection, stages, trophies, jury, archived, entries,
	next_deadline, created_by, created_by_name, created_at, updated_at, version`

// Round returns one round.
func (db *DB) Round(ctx context.Context, id string) (RoundRow, error) {
	if !domain.IsUUID(id) {
		return RoundRow{}, ErrNotFound
	}
	rows, _ := db.Pool.Query(ctx, "SELECT "+roundColumns+" FROM rally_rounds WHERE id = $1", id)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[RoundRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return RoundRow{}, ErrNotFound
	}
	if err != nil {
		return RoundRow{}, fmt.Errorf("round: %w", err)
	}
	return row, nil
}

// Rounds lists rounds newest first, a page at a time ("" at the end).
func (db *DB) Rounds(ctx context.Context, limit int, cursor string) ([]RoundRow, string, error) {
	c := newConds()
	if err := c.after(cursor, "created_at", "id"); err != nil {
		return nil, "", err
	}
	rows, err := db.Pool.Query(ctx, "SELECT "+roundColumns+" FROM rally_rounds WHERE "+c.sql()+newestFirst("created_at", "id", limit), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("rounds: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[RoundRow])
	if err != nil {
		return nil, "", fmt.Errorf("rounds: %w", err)
	}
	list, next := cut(list, limit, func(r RoundRow) (time.Time, string) { return r.CreatedAt, r.ID })
	return list, next, nil
}

// EntryRow is an entry with its sheets' count and mean (and, for a juror,
// their own sheet's total).
type EntryRow struct {
	ID              string    `db:"id"`
	RoundID         string    `db:"round_id"`
	Organisation    string    `db:"organisation"`
	Kind            string    `db:"kind"`
	Title           string    `db:"title"`
	Description     string    `db:"description"`
	Category        string    `db:"category"`
	SubmittedBy     string    `db:"submitted_by"`
	SubmittedByName string    `db:"submitted_by_name"`
	SubmittedAt     time.Time `db:"submitted_at"`
	Sheets          int       `db:"sheets"`
	Mean            *float64  `db:"mean"`
	MySheet         *float64  `db:"my_sheet"`
}

// EntryFilter narrows a round's entries.
type EntryFilter struct {
	RoundID     string
	SubmittedBy string   // one person's entries
	IDs         []string // these entries only
	Juror       string   // fills MySheet with this juror's total
	Limit       int
	Cursor      string
}

// Entries lists a round's entries newest first, a page at a time; each
// row's sheets are counted through the sheets' primary key, so a page
// costs the same however many entries the round holds.
func (db *DB) Entries(ctx context.Context, f EntryFilter) ([]EntryRow, string, error) {
	c := newConds(f.RoundID, nullable(f.Juror))
	c.add("e.round_id = $1")
	if f.SubmittedBy != "" {
		c.add("e.submitted_by = " + c.arg(f.SubmittedBy) + "::uuid")
	}
	if f.IDs != nil {
		c.add("e.id = ANY(" + c.arg(f.IDs) + "::uuid[])")
	}
	if err := c.after(f.Cursor, "e.submitted_at", "e.id"); err != nil {
		return nil, "", err
	}
	rows, err := db.Pool.Query(ctx, `SELECT e.id, e.round_id, e.organisation, e.kind, e.title, e.description, e.category,
			e.submitted_by, e.submitted_by_name, e.submitted_at, s.sheets, s.mean,
			(SELECT m.total FROM rally_sheets m WHERE m.entry_id = e.id AND m.juror_id = $2::uuid) AS my_sheet
		FROM rally_entries e,
			LATERAL (SELECT count(*)::int AS sheets, round(avg(total)::numeric, 2)::float8 AS mean
				FROM rally_sheets WHERE entry_id = e.id) s
		WHERE `+c.sql()+newestFirst("e.submitted_at", "e.id", f.Limit), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("entries: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[EntryRow])
	if err != nil {
		return nil, "", fmt.Errorf("entries: %w", err)
	}
	list, next := cut(list, f.Limit, func(r EntryRow) (time.Time, string) { return r.SubmittedAt, r.ID })
	return list, next, nil
}

// Entry returns one entry of a round.
func (db *DB) Entry(ctx context.Context, roundID, id string) (EntryRow, error) {
	if !domain.IsUUID(id) || !domain.IsUUID(roundID) {
		return EntryRow{}, ErrNotFound
	}
	list, _, err := db.Entries(ctx, EntryFilter{RoundID: roundID, IDs: []string{id}, Limit: 1})
	if err != nil {
		return EntryRow{}, err
	}
	if len(list) == 0 {
		return EntryRow{}, ErrNotFound
	}
	return list[0], nil
}

// SheetScores returns a juror's sheet on an entry (criterion → score), nil if none.
func (db *DB) SheetScores(ctx context.Context, entryID, jurorID string) (map[string]float64, error) {
	var scores map[string]float64
	err := db.Pool.QueryRow(ctx, "SELECT scores FROM rally_sheets WHERE entry_id = $1 AND juror_id = $2", entryID, jurorID).Scan(&scores)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("sheet: %w", err)
	}
	return scores, nil
}

// RoundScorers are the jurors who scored at least one of a round's entries
// (read through the round's entries, so the cost is the round's own).
func (db *DB) RoundScorers(ctx context.Context, roundID string) ([]domain.Member, error) {
	rows, err := db.Pool.Query(ctx, `SELECT u.id::text, u.organisation FROM users u
		WHERE u.id IN (SELECT s.juror_id FROM rally_entries e JOIN rally_sheets s ON s.entry_id = e.id WHERE e.round_id = $1)
		ORDER BY u.id`, roundID)
	if err != nil {
		return nil, fmt.Errorf("round scorers: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (domain.Member, error) {
		var m domain.Member
		err := r.Scan(&m.ID, &m.Organisation)
		return m, err
	})
}
