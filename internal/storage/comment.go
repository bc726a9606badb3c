package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// CommentRow is a comment as the read model holds it.
type CommentRow struct {
	ID           string     `db:"id"`
	NeedID       string     `db:"need_id"`
	AuthorID     *string    `db:"author_id"`
	AuthorName   string     `db:"author_name"`
	Body         string     `db:"body"`
	Internal     bool       `db:"internal"`
	CreatedAt    time.Time  `db:"created_at"`
	EditedAt     *time.Time `db:"edited_at"`
	DeletedAt    *time.Time `db:"deleted_at"`
	HiddenAt     *time.Time `db:"hidden_at"`
	HiddenReason string     `db:"hidden_reason"`
}

// Domain is the comment as the rules see it.
func (r CommentRow) Domain() domain.Comment {
	c := domain.Comment{ID: r.ID, NeedID: r.NeedID, AuthorName: r.AuthorName, Body: r.Body, Internal: r.Internal,
		CreatedAt: r.CreatedAt, EditedAt: r.EditedAt, DeletedAt: r.DeletedAt, HiddenAt: r.HiddenAt, HiddenReason: r.HiddenReason}
	if r.AuthorID != nil {
		c.AuthorID = *r.AuthorID
	}
	return c
}

const commentColumns = `id, need_id, author_id, author_name, body, internal, created_at, edited_at, deleted_at, hidden_at, hidden_reason`

// PostComment records a new comment on a need with its audit line, and
// queues, in the same transaction, the messages it causes: the need's
// submitter is told of a public comment, and each person mentioned (who may
// read it) is told they were.
func (db *DB) PostComment(ctx context.Context, c domain.Comment, mentions []string) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		var title, submitter string
		err := tx.QueryRow(ctx, "SELECT title, submitted_by::text FROM needs WHERE id = $1", c.NeedID).Scan(&title, &submitter)
		if errors.Is(err, pgx.ErrNoRows) {
			return ErrNotFound
		}
		if err != nil {
			return fmt.Errorf("post comment: %w", err)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO comments (id, need_id, author_id, author_name, body, internal, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.NeedID, nullable(c.AuthorID), c.AuthorName, c.Body, c.Internal, c.CreatedAt); err != nil {
			return fmt.Errorf("post comment: %w", err)
		}
		if err := commentEvent(ctx, tx, c.ID, c.CreatedAt, c.AuthorID, c.AuthorName, "post", "", ""); err != nil {
			return err
		}
		data := map[string]string{"title": title, "need_id": c.NeedID, "actor": c.AuthorName, "comment": excerpt(c.Body, 500)}
		var notices []notice
		if !c.Internal {
			notices = append(notices, notice{subject: "comment", subjectID: c.ID, to: submitter, except: c.AuthorID,
				kind: domain.NotifyCommented, data: data})
		}
		ids, err := mentioned(ctx, tx, mentions, c.Internal)
		if err != nil {
			return err
		}
		for _, id := range ids {
			notices = append(notices, notice{subject: "comment", subjectID: c.ID, to: id, except: c.AuthorID,
				kind: domain.NotifyMentioned, data: data})
		}
		return enqueue(ctx, tx, notices)
	})
}

// mentioned finds the active accounts @handles name: by their name folded
// with dots for spaces ("@marie.dupont"), or by their address before the @.
// An internal note only reaches officers and committee members.
func mentioned(ctx context.Context, tx pgx.Tx, handles []string, internal bool) ([]string, error) {
	if len(handles) == 0 {
		return nil, nil
	}
	rows, err := tx.Query(ctx, `SELECT id::text FROM users
		WHERE active AND erased_at IS NULL
			AND (replace(essor_fold(name), ' ', '.') = ANY($1) OR lower(split_part(email, '@', 1)) = ANY($1))
			AND (NOT $2 OR roles && ARRAY['officer', 'committee'])
		ORDER BY id`, handles, internal)
	if err != nil {
		return nil, fmt.Errorf("mentions: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

func commentEvent(ctx context.Context, tx pgx.Tx, id string, at time.Time, actorID, actorName, action, body, reason string) error {
	if _, err := tx.Exec(ctx, `INSERT INTO comment_events (comment_id, at, actor_id, actor_name, action, body, reason)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, id, at, nullable(actorID), actorName, action, body, reason); err != nil {
		return fmt.Errorf("comment event: %w", err)
	}
	return nil
}

// Comment returns one comment of a need.
func (db *DB) Comment(ctx context.Context, needID, id string) (CommentRow, error) {
	if !domain.IsUUID(needID) || !domain.IsUUID(id) {
		return CommentRow{}, ErrNotFound
	}
	return oneComment(ctx, db.Pool, needID, id, "")
}

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func oneComment(ctx context.Context, q querier, needID, id, lock string) (CommentRow, error) {
	rows, _ := q.Query(ctx, "SELECT "+commentColumns+" FROM comments WHERE need_id = $1 AND id = $2"+lock, needID, id)
	row, err := pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[CommentRow])
	if errors.Is(err, pgx.ErrNoRows) {
		return CommentRow{}, ErrNotFound
	}
	if err != nil {
		return CommentRow{}, fmt.Errorf("comment: %w", err)
	}
	return row, nil
}

// ChangeComment applies a change to a comment under a row lock: check says
// whether the change is allowed on the comment as it is now, apply writes it
// ("edit", "delete" or "hide", with the new text or the reason). The text as
// it was is kept in the comment's audit trail.
func (db *DB) ChangeComment(ctx context.Context, needID, id string, by domain.Caller, action string, text string, now time.Time,
	check func(domain.Comment) error) (CommentRow, error) {
	var out CommentRow
	if !domain.IsUUID(needID) || !domain.IsUUID(id) {
		return out, ErrNotFound
	}
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		row, err := oneComment(ctx, tx, needID, id, " FOR UPDATE")
		if err != nil {
			return err
		}
		if err := check(row.Domain()); err != nil {
			return err
		}
		var sql, reason string
		args := []any{id, now}
		switch action {
		case "edit":
			sql, args = "UPDATE comments SET body = $3, edited_at = $2 WHERE id = $1", append(args, text)
		case "delete":
			sql = "UPDATE comments SET deleted_at = $2 WHERE id = $1"
		case "hide":
			sql, args, reason = "UPDATE comments SET hidden_at = $2, hidden_reason = $3, hidden_by = $4 WHERE id = $1",
				append(args, text, nullable(by.UserID)), text
		default:
			return fmt.Errorf("unknown comment change %q", action)
		}
		if _, err := tx.Exec(ctx, sql, args...); err != nil {
			return fmt.Errorf("%s comment: %w", action, err)
		}
		if err := commentEvent(ctx, tx, id, now, by.UserID, by.Name, action, row.Body, reason); err != nil {
			return err
		}
		if err := reviseCommentMail(ctx, tx, id, action, text); err != nil {
			return err
		}
		out, err = oneComment(ctx, tx, needID, id, "")
		return err
	})
	return out, err
}

// CommentFilter narrows a need's discussion.
type CommentFilter struct {
	NeedID   string
	Internal bool // include internal notes
	Limit    int
	Cursor   string
}

// Comments lists a need's comments newest first, with a cursor to the next
// page ("" at the end); the (need_id, created_at, id) index serves it.
func (db *DB) Comments(ctx context.Context, f CommentFilter) ([]CommentRow, string, error) {
	c := newConds(f.NeedID)
	c.add("need_id = $1")
	if !f.Internal {
		c.add("NOT internal")
	}
	if err := c.after(f.Cursor, "created_at", "id"); err != nil {
		return nil, "", err
	}
	rows, err := db.Pool.Query(ctx, "SELECT "+commentColumns+" FROM comments WHERE "+c.sql()+newestFirst("created_at", "id", f.Limit), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("comments: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[CommentRow])
	if err != nil {
		return nil, "", fmt.Errorf("comments: %w", err)
	}
	list, next := cut(list, f.Limit, func(r CommentRow) (time.Time, string) { return r.CreatedAt, r.ID })
	return list, next, nil
}

// CommentEventRow is one line of a comment's audit trail.
type CommentEventRow struct {
	At        time.Time `db:"at"`
	ActorID   *string   `db:"actor_id"`
	ActorName string    `db:"actor_name"`
	Action    string    `db:"action"`
	Body      string    `db:"body"`
	Reason    string    `db:"reason"`
}

// CommentEvents returns a comment's audit trail, oldest first.
func (db *DB) CommentEvents(ctx context.Context, id string) ([]CommentEventRow, error) {
	rows, err := db.Pool.Query(ctx, `SELECT at, actor_id, actor_name, action, body, reason FROM comment_events
		WHERE comment_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("comment events: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[CommentEventRow])
}

// unsent is the SQL for the outbox rows no sender holds: those waiting, and
// those a sender claimed but whose lease ran out (they would be sent again).
// A row a sender holds now has its text already.
const unsent = `(status = 'pending' OR (status = 'sending' AND claimed_until < now()))`

// reviseCommentMail brings the messages a comment caused, and that are not
// sent yet, in line with the comment, in the transaction that changes it:
// an edited comment's messages carry its new text; a deleted or hidden
// one's are dropped (skipped), their copy of the text erased, so neither an
// e-mail nor a digest carries words nobody may read any more.
func reviseCommentMail(ctx context.Context, tx pgx.Tx, id, action, text string) error {
	var err error
	switch action {
	case "edit":
		_, err = tx.Exec(ctx, `UPDATE outbox SET data = jsonb_set(data, '{comment}', to_jsonb($2::text))
			WHERE subject = 'comment' AND subject_id = $1 AND `+unsent, id, excerpt(text, 500))
	case "delete", "hide":
		reason := map[string]string{"delete": "comment deleted", "hide": "comment hidden"}[action]
		_, err = tx.Exec(ctx, `UPDATE outbox SET status = 'skipped', last_error = $2, claimed_until = NULL, data = data - 'comment'
			WHERE subject = 'comment' AND subject_id = $1 AND `+unsent, id, reason)
	}
	if err != nil {
		return fmt.Errorf("%s comment's messages: %w", action, err)
	}
	return nil
}
