package storage

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// EventRow is one line of an audit trail.
type EventRow struct {
	Seq       int               `db:"seq"`
	At        time.Time         `db:"at"`
	ActorID   *string           `db:"actor_id"`
	ActorName string            `db:"actor_name"`
	Action    string            `db:"action"`
	FromStage string            `db:"from_stage"`
	ToStage   string            `db:"to_stage"`
	Comment   string            `db:"comment"`
	Data      map[string]string `db:"data"`
}

// insertEvents appends events to a subject's audit trail; an event already
// recorded (same sequence number) is left as it is.
func insertEvents(ctx context.Context, tx pgx.Tx, subject, subjectID string, events []domain.Event) error {
	for _, ev := range events {
		data := ev.Data
		if data == nil {
			data = map[string]string{}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO events (subject_id, seq, subject, at, actor_id, actor_name, action,
				from_stage, to_stage, comment, data) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
			ON CONFLICT (subject_id, seq) DO NOTHING`,
			subjectID, ev.Seq, subject, ev.At, nullable(ev.ActorID), ev.ActorName, string(ev.Action),
			string(ev.FromStage), string(ev.ToStage), ev.Comment, data); err != nil {
			return fmt.Errorf("save event: %w", err)
		}
	}
	return nil
}

// Events returns a subject's audit trail, oldest first.
func (db *DB) Events(ctx context.Context, subjectID string) ([]EventRow, error) {
	rows, err := db.Pool.Query(ctx, `SELECT seq, at, actor_id, actor_name, action, from_stage, to_stage, comment, data
		FROM events WHERE subject_id = $1 ORDER BY seq`, subjectID)
	if err != nil {
		return nil, fmt.Errorf("events: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[EventRow])
}
