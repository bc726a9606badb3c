package storage

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// OutboxRow is one queued message with its recipient.
type OutboxRow struct {
	ID          string            `db:"id" json:"id"`
	Subject     string            `db:"subject" json:"subject"`
	SubjectID   string            `db:"subject_id" json:"subject_id"`
	Seq         int               `db:"seq" json:"seq"`
	RecipientID string            `db:"recipient_id" json:"recipient_id"`
	Email       string            `db:"email" json:"email"`
	Name        string            `db:"name" json:"name"`
	Language    string            `db:"language" json:"language"`
	Kind        string            `db:"kind" json:"kind"`
	Data        map[string]string `db:"data" json:"data"`
	CreatedAt   time.Time         `db:"created_at" json:"created_at"`
	Status      string            `db:"status" json:"status"`
	Attempts    int               `db:"attempts" json:"attempts"`
	Digest      bool              `db:"digest" json:"digest"`
	MessageID   *string           `db:"message_id" json:"message_id"`
	SentAt      *time.Time        `db:"sent_at" json:"sent_at"`
	LastError   string            `db:"last_error" json:"last_error"`
}

const outboxColumns = `o.id, o.subject, o.subject_id, o.seq, o.recipient_id, u.email, u.name, u.language, o.kind, o.data,
	o.created_at, o.status, o.attempts, o.digest, o.message_id, o.sent_at, o.last_error`

// Outbox statuses.
const (
	OutboxPending = "pending"
	OutboxSending = "sending"
	OutboxSent    = "sent"
	OutboxFailed  = "failed"
	OutboxSkipped = "skipped"
)

// OutboxStatuses are the statuses the admin list filters on.
var OutboxStatuses = []string{OutboxPending, OutboxSending, OutboxSent, OutboxFailed, OutboxSkipped}

// modeOf is the SQL for a queued row's mode (digest when the person chose nothing).
const modeOf = `COALESCE((SELECT p.mode FROM notification_prefs p WHERE p.user_id = o.recipient_id AND p.kind = o.kind), 'digest')`

// SkipUnwanted marks as skipped the pending messages nobody should get: the
// person chose "never" for their kind, or their account is closed.
func (db *DB) SkipUnwanted(ctx context.Context) (int64, error) {
	tag, err := db.Pool.Exec(ctx, `UPDATE outbox o SET status = 'skipped', last_error = CASE WHEN u.active AND u.erased_at IS NULL
			THEN 'never' ELSE 'account closed' END
		FROM users u WHERE u.id = o.recipient_id AND o.status = 'pending'
			AND (NOT u.active OR u.erased_at IS NOT NULL OR `+modeOf+` = 'never')`)
	if err != nil {
		return 0, fmt.Errorf("skip unwanted: %w", err)
	}
	return tag.RowsAffected(), nil
}

// ClaimImmediate claims up to limit messages to send now, for lease: the
// pending ones whose recipient wants them at once, and those a sender
// claimed but never recorded (it died, or lost the database, between the
// send and its record) once their lease ran out. Each keeps the Message-ID
// it got on its first claim, so a message sent again is recognisably the
// same one. The attempt is recorded before anything is sent.
func (db *DB) ClaimImmediate(ctx context.Context, limit int, lease time.Duration, idDomain string) ([]OutboxRow, error) {
	rows, err := db.Pool.Query(ctx, `WITH due AS (
			SELECT o.id FROM outbox o
			WHERE o.status IN ('pending', 'sending') AND o.next_attempt_at <= now() AND NOT o.digest
				AND ((o.status = 'pending' AND `+modeOf+` = 'immediate') OR (o.status = 'sending' AND o.claimed_until < now()))
			ORDER BY o.next_attempt_at, o.id
			LIMIT $1
			FOR UPDATE OF o SKIP LOCKED),
		claimed AS (
			UPDATE outbox o SET status = 'sending', claimed_until = now() + make_interval(secs => $2), attempts = o.attempts + 1,
				message_id = COALESCE(o.message_id, o.id::text || '@' || $3)
			FROM due WHERE o.id = due.id
			RETURNING o.*)
		SELECT `+outboxColumns+` FROM claimed o JOIN users u ON u.id = o.recipient_id ORDER BY o.created_at, o.id`,
		limit, lease.Seconds(), idDomain)
	if err != nil {
		return nil, fmt.Errorf("claim messages: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[OutboxRow])
}

// JoinDigest makes claimed messages of one person one digest under
// messageID: a retry after a crash finds them as a digest in doubt and sends
// it again whole, under the same Message-ID.
func (db *DB) JoinDigest(ctx context.Context, ids []string, messageID string) error {
	if _, err := db.Pool.Exec(ctx, `UPDATE outbox SET digest = true, message_id = $2
		WHERE id = ANY($1::uuid[]) AND status = 'sending'`, ids, messageID); err != nil {
		return fmt.Errorf("join digest: %w", err)
	}
	return nil
}

// DigestRecipients lists the people with messages waiting for their digest,
// queued before `before`.
func (db *DB) DigestRecipients(ctx context.Context, before time.Time) ([]string, error) {
	rows, err := db.Pool.Query(ctx, `SELECT DISTINCT o.recipient_id::text FROM outbox o
		WHERE o.status IN ('pending', 'sending') AND o.created_at <= $1
			AND ((o.status = 'pending' AND `+modeOf+` = 'digest') OR (o.status = 'sending' AND o.digest AND o.claimed_until < now()))
		ORDER BY 1`, before)
	if err != nil {
		return nil, fmt.Errorf("digest recipients: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// ClaimDigest claims, for lease, every message of one person waiting for
// their digest (queued before `before`), under one Message-ID: the digest's.
func (db *DB) ClaimDigest(ctx context.Context, recipientID string, before time.Time, lease time.Duration, messageID string) ([]OutboxRow, error) {
	rows, err := db.Pool.Query(ctx, `WITH claimed AS (
			UPDATE outbox o SET status = 'sending', digest = true, claimed_until = now() + make_interval(secs => $3),
				attempts = o.attempts + 1, message_id = $4
			WHERE o.recipient_id = $1 AND o.status IN ('pending', 'sending') AND o.created_at <= $2
				AND ((o.status = 'pending' AND `+modeOf+` = 'digest') OR (o.status = 'sending' AND o.digest AND o.claimed_until < now()))
			RETURNING o.*)
		SELECT `+outboxColumns+` FROM claimed o JOIN users u ON u.id = o.recipient_id ORDER BY o.created_at, o.id`,
		recipientID, before, lease.Seconds(), messageID)
	if err != nil {
		return nil, fmt.Errorf("claim digest: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[OutboxRow])
}

// MarkSent records that the SMTP server accepted the messages.
func (db *DB) MarkSent(ctx context.Context, ids []string) error {
	_, err := db.Pool.Exec(ctx, `UPDATE outbox SET status = 'sent', sent_at = now(), claimed_until = NULL, last_error = ''
		WHERE id = ANY($1) AND status = 'sending'`, ids)
	if err != nil {
		return fmt.Errorf("mark sent: %w", err)
	}
	return nil
}

// Release says what became of claimed messages that were not sent.
type Release struct {
	Reason     string
	RetryAfter time.Duration // before the next attempt
	// MaxAttempts: a message that has had as many fails for good.
	MaxAttempts int
	Permanent   bool // the server refused it for good: fail now
	// Uncount takes the attempt back: nothing was tried (no connection).
	Uncount bool
}

// ReleaseClaims gives claimed messages back after a failure.
func (db *DB) ReleaseClaims(ctx context.Context, ids []string, r Release) error {
	_, err := db.Pool.Exec(ctx, `UPDATE outbox SET attempts = attempts - CASE WHEN $6 THEN 1 ELSE 0 END,
			status = CASE WHEN $5 OR (NOT $6 AND attempts >= $4) THEN 'failed' ELSE 'pending' END,
			claimed_until = NULL, digest = false, last_error = left($2, 1000), next_attempt_at = now() + make_interval(secs => $3)
		WHERE id = ANY($1) AND status = 'sending'`, ids, r.Reason, r.RetryAfter.Seconds(), r.MaxAttempts, r.Permanent, r.Uncount)
	if err != nil {
		return fmt.Errorf("release claims: %w", err)
	}
	return nil
}

// QueueVoteReminders queues, once per ballot round and member, a reminder
// to the committee members who have not voted on a decision whose deadline
// falls within the next `within`.
func (db *DB) QueueVoteReminders(ctx context.Context, within time.Duration) (int64, error) {
	tag, err := db.Pool.Exec(ctx, `INSERT INTO outbox (subject, subject_id, seq, recipient_id, kind, data)
		SELECT b.subject, b.subject_id, b.round, u.id, 'vote_reminder',
			jsonb_build_object('title', b.title, 'deadline', to_char(b.deadline AT TIME ZONE 'Europe/Paris', 'YYYY-MM-DD'))
		FROM ballots b JOIN users u ON u.active AND u.erased_at IS NULL AND 'committee' = ANY(u.roles)
		WHERE b.open AND b.deadline > now() AND b.deadline <= now() + make_interval(secs => $1)
			AND NOT EXISTS (SELECT 1 FROM votes v WHERE v.subject_id = b.subject_id AND v.round = b.round AND v.voter_id = u.id)
		ON CONFLICT DO NOTHING`, within.Seconds())
	if err != nil {
		return 0, fmt.Errorf("vote reminders: %w", err)
	}
	return tag.RowsAffected(), nil
}

// OutboxFilter narrows the admin's list of messages.
type OutboxFilter struct {
	Status string
	Limit  int
	Cursor string
}

// Outbox lists queued messages newest first, with a cursor to the next page.
func (db *DB) Outbox(ctx context.Context, f OutboxFilter) ([]OutboxRow, string, error) {
	c := newConds()
	if f.Status != "" {
		c.add("o.status = " + c.arg(f.Status))
	}
	if err := c.after(f.Cursor, "o.created_at", "o.id"); err != nil {
		return nil, "", err
	}
	rows, err := db.Pool.Query(ctx, "SELECT "+outboxColumns+" FROM outbox o JOIN users u ON u.id = o.recipient_id WHERE "+
		c.sql()+newestFirst("o.created_at", "o.id", f.Limit), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("outbox: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[OutboxRow])
	if err != nil {
		return nil, "", fmt.Errorf("outbox: %w", err)
	}
	list, next := cut(list, f.Limit, func(r OutboxRow) (time.Time, string) { return r.CreatedAt, r.ID })
	return list, next, nil
}

// OutboxCounts counts queued messages by status (the admin page's summary).
func (db *DB) OutboxCounts(ctx context.Context) (map[string]int, error) {
	out := map[string]int{}
	for _, s := range OutboxStatuses {
		out[s] = 0
	}
	rows, err := db.Pool.Query(ctx, "SELECT status, count(*)::int FROM outbox GROUP BY status")
	if err != nil {
		return nil, fmt.Errorf("outbox counts: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// NotificationSettings returns a person's language and modes (every kind).
func (db *DB) NotificationSettings(ctx context.Context, userID string) (string, domain.Preferences, error) {
	var lang string
	if err := db.Pool.QueryRow(ctx, "SELECT language FROM users WHERE id = $1", userID).Scan(&lang); err != nil {
		if errors.Is(err, pgx.ErrNoRows) {
			return "", nil, ErrNotFound
		}
		return "", nil, fmt.Errorf("notification settings: %w", err)
	}
	rows, err := db.Pool.Query(ctx, "SELECT kind, mode FROM notification_prefs WHERE user_id = $1", userID)
	if err != nil {
		return "", nil, fmt.Errorf("notification settings: %w", err)
	}
	defer rows.Close()
	p := domain.Preferences{}
	for rows.Next() {
		var k, m string
		if err := rows.Scan(&k, &m); err != nil {
			return "", nil, err
		}
		p[domain.NotificationKind(k)] = domain.NotifyMode(m)
	}
	if err := rows.Err(); err != nil {
		return "", nil, err
	}
	return lang, p.Complete(), nil
}

// SetNotificationSettings changes some of a person's modes and, when lang
// is not "", their language.
func (db *DB) SetNotificationSettings(ctx context.Context, userID, lang string, p domain.Preferences) error {
	return db.inTx(ctx, func(tx pgx.Tx) error {
		if lang != "" {
			if _, err := tx.Exec(ctx, "UPDATE users SET language = $2 WHERE id = $1", userID, lang); err != nil {
				return fmt.Errorf("set language: %w", err)
			}
		}
		for k, m := range p {
			if _, err := tx.Exec(ctx, `INSERT INTO notification_prefs (user_id, kind, mode) VALUES ($1, $2, $3)
				ON CONFLICT (user_id, kind) DO UPDATE SET mode = EXCLUDED.mode`, userID, string(k), string(m)); err != nil {
				return fmt.Errorf("set preference: %w", err)
			}
		}
		return nil
	})
}

// DefaultUnsubscribeTTL is how long an unsubscribe link works unless
// ESSOR_UNSUBSCRIBE_TTL says otherwise.
const DefaultUnsubscribeTTL = 90 * 24 * time.Hour

// unsubscribeKeep is how long an expired link is remembered, so that it is
// told expired (rather than unknown) to whoever follows it late.
const unsubscribeKeep = 180 * 24 * time.Hour

// ErrLinkExpired is the 410 for an unsubscribe link past its lifetime.
var ErrLinkExpired = domain.E(domain.CodeGone, "error.unsubscribe_expired")

func tokenHash(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// UnsubscribeToken makes a new token that stops one kind of message for one
// person, valid for ttl (DefaultUnsubscribeTTL when ttl ≤ 0): every message
// carries its own. Only its hash is stored; the person's links expired long
// ago are forgotten.
func (db *DB) UnsubscribeToken(ctx context.Context, userID, kind string, ttl time.Duration) (string, error) {
	if ttl <= 0 {
		ttl = DefaultUnsubscribeTTL
	}
	b := make([]byte, 24)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	err := db.inTx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM unsubscribe_links WHERE user_id = $1 AND expires_at < now() - make_interval(secs => $2)`,
			userID, unsubscribeKeep.Seconds()); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO unsubscribe_links (token_hash, user_id, kind, expires_at)
			VALUES ($1, $2, $3, now() + make_interval(secs => $4))`, tokenHash(tok), userID, kind, ttl.Seconds())
		return err
	})
	if err != nil {
		return "", fmt.Errorf("unsubscribe token: %w", err)
	}
	return tok, nil
}

// UnsubscribeKind tells which kind a token stops: ErrNotFound for a token
// this server did not make (or forgot), ErrLinkExpired for one past its
// lifetime.
func (db *DB) UnsubscribeKind(ctx context.Context, token string) (string, error) {
	var kind string
	var expired bool
	err := db.Pool.QueryRow(ctx, "SELECT kind, expires_at <= now() FROM unsubscribe_links WHERE token_hash = $1",
		tokenHash(token)).Scan(&kind, &expired)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", ErrNotFound
	}
	if err != nil {
		return "", fmt.Errorf("unsubscribe: %w", err)
	}
	if expired {
		return "", ErrLinkExpired
	}
	return kind, nil
}

// DigestKind is the unsubscribe token's kind for daily digests: it stops
// every kind the person gets in their digest (the others stay as they are).
const DigestKind = "digest"

// Unsubscribe sets the token's kind to "never" for its person only (for
// DigestKind, every kind they get in their digest), and returns the kind.
func (db *DB) Unsubscribe(ctx context.Context, token string) (string, error) {
	kind, err := db.UnsubscribeKind(ctx, token)
	if err != nil {
		return "", err
	}
	kinds := []string{kind}
	if kind == DigestKind {
		kinds = kinds[:0]
		for _, k := range domain.NotificationKinds {
			kinds = append(kinds, string(k))
		}
	}
	_, err = db.Pool.Exec(ctx, `INSERT INTO notification_prefs (user_id, kind, mode)
			SELECT t.user_id, k, 'never' FROM unsubscribe_links t, unnest($2::text[]) AS k
			WHERE t.token_hash = $1 AND t.expires_at > now() AND ($3 OR COALESCE((SELECT p.mode FROM notification_prefs p
				WHERE p.user_id = t.user_id AND p.kind = k), 'digest') = 'digest')
		ON CONFLICT (user_id, kind) DO UPDATE SET mode = 'never'`, tokenHash(token), kinds, kind != DigestKind)
	if err != nil {
		return "", fmt.Errorf("unsubscribe: %w", err)
	}
	return kind, nil
}
