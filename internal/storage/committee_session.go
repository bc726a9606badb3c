package storage

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
	"essor/internal/ical"
)

// SessionRow is a committee session as stored: its state, whole, and the
// approval of its minutes by a later session (then they are final).
type SessionRow struct {
	domain.Session
	MinutesApprovedAt *time.Time
	MinutesApprovedIn *string
}

const sessionColumns = "state, minutes_approved_at, minutes_approved_in::text"

// SaveSession writes a session and its events in one transaction, keyed by
// version so that a retried or late write never rolls it back; the members
// hear of its convening and its reminder through the outbox.
func (db *DB) SaveSession(ctx context.Context, s *domain.Session, events []domain.Event) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `INSERT INTO committee_sessions (id, title, starts_at, place, stage, state, version, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT (id) DO UPDATE SET stage = EXCLUDED.stage, state = EXCLUDED.state, version = EXCLUDED.version,
				updated_at = EXCLUDED.updated_at
			WHERE committee_sessions.version < EXCLUDED.version`,
			s.ID, s.Title, s.StartsAt, s.Place, s.Stage, s, s.Version, s.CreatedAt, s.UpdatedAt)
		if err != nil {
			return fmt.Errorf("save session: %w", err)
		}
		if err := insertEvents(ctx, tx, "committee_session", s.ID, events); err != nil {
			return err
		}
		if err := enqueue(ctx, tx, sessionNotices(s, events)); err != nil { // outbox.go
			return err
		}
		for _, ev := range events {
			if ev.Action == domain.ActionApproveMinutes {
				if _, err := tx.Exec(ctx, `UPDATE committee_sessions SET minutes_approved_at = $2, minutes_approved_in = $3
					WHERE id = $1 AND stage = 'closed' AND minutes_approved_at IS NULL`, ev.Data["minutes_of"], ev.At, s.ID); err != nil {
					return fmt.Errorf("approve minutes: %w", err)
				}
			}
		}
		if tag.RowsAffected() == 0 {
			return nil
		}
		for _, it := range s.Agenda {
			decision := ""
			if it.Decision != nil {
				decision = it.Decision.Decision
			}
			pending := s.Stage != domain.StageClosed && (decision == "" || decision == "adjourn")
			if _, err := tx.Exec(ctx, `INSERT INTO session_items (session_id, n, subject, subject_id, title, decision, pending)
				VALUES ($1, $2, $3, $4, $5, $6, $7)
				ON CONFLICT (session_id, n) DO UPDATE SET decision = EXCLUDED.decision, pending = EXCLUDED.pending`,
				s.ID, it.N, string(it.Subject), it.SubjectID, it.Title, decision, pending); err != nil {
				return fmt.Errorf("save session item: %w", err)
			}
		}
		return nil
	})
}

// sessionNotices: every committee member hears of a convening and of the
// reminder the day before.
func sessionNotices(s *domain.Session, events []domain.Event) []notice {
	var out []notice
	for _, ev := range events {
		kind := domain.NotificationKind("")
		switch ev.Action {
		case domain.ActionConvene:
			kind = domain.NotifySessionConvened
		case domain.ActionRemindSession:
			kind = domain.NotifySessionReminder
		default:
			continue
		}
		data := eventData(s.Title, ev)
		data["when"], data["place"] = domain.TimeArg(s.StartsAt), s.Place
		var agenda []string
		for _, it := range s.Agenda {
			agenda = append(agenda, strconv.Itoa(it.N)+". "+it.Title)
		}
		data["agenda"] = strings.Join(agenda, "\n")
		if kind == domain.NotifySessionConvened { // the invitation for the members' calendars, attached
			data["ics"] = ical.Invitation(*s, "")
		}
		out = append(out, notice{subject: "committee_session", subjectID: s.ID, seq: ev.Seq, toRole: domain.RoleCommittee,
			except: ev.ActorID, kind: kind, data: data})
	}
	return out
}

// Session reads one session.
func (db *DB) Session(ctx context.Context, id string) (SessionRow, error) {
	if !domain.IsUUID(id) {
		return SessionRow{}, ErrNotFound
	}
	var row SessionRow
	err := db.Pool.QueryRow(ctx, "SELECT "+sessionColumns+" FROM committee_sessions WHERE id = $1", id).
		Scan(&row.Session, &row.MinutesApprovedAt, &row.MinutesApprovedIn)
	if errors.Is(err, pgx.ErrNoRows) {
		return row, ErrNotFound
	}
	if err != nil {
		return row, fmt.Errorf("session: %w", err)
	}
	return row, nil
}

// SessionLimit bounds the list of sessions.
const SessionLimit = 50

// Sessions lists the newest sessions, by date (next ones first).
func (db *DB) Sessions(ctx context.Context) ([]SessionRow, error) {
	rows, err := db.Pool.Query(ctx, "SELECT "+sessionColumns+" FROM committee_sessions ORDER BY starts_at DESC, id DESC LIMIT $1", SessionLimit)
	if err != nil {
		return nil, fmt.Errorf("sessions: %w", err)
	}
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (SessionRow, error) {
		var s SessionRow
		err := r.Scan(&s.Session, &s.MinutesApprovedAt, &s.MinutesApprovedIn)
		return s, err
	})
}

// SessionOf names the session a subject is waiting on ("" for none).
func (db *DB) SessionOf(ctx context.Context, subjectID string) (string, error) {
	var id string
	err := db.Pool.QueryRow(ctx, "SELECT session_id::text FROM session_items WHERE subject_id = $1 AND pending", subjectID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("session of: %w", err)
	}
	return id, nil
}

// OpenDecision is the title of a subject's open committee decision; ok is
// false when it has none.
func (db *DB) OpenDecision(ctx context.Context, subject domain.Subject, subjectID string) (title string, ok bool, err error) {
	err = db.Pool.QueryRow(ctx, "SELECT title FROM ballots WHERE subject_id = $1 AND subject = $2 AND open ORDER BY round DESC LIMIT 1",
		subjectID, string(subject)).Scan(&title)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", false, nil
	}
	if err != nil {
		return "", false, fmt.Errorf("open decision: %w", err)
	}
	return title, true, nil
}
