package storage

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// WebhookRow is a registered target (its secret is read only to sign).
type WebhookRow struct {
	ID        string    `db:"id" json:"id"`
	URL       string    `db:"url" json:"url"`
	Events    []string  `db:"events" json:"events"`
	CreatedAt time.Time `db:"created_at" json:"created_at"`
}

// WebhookDeliveryRow is one event for one target, with its attempts.
type WebhookDeliveryRow struct {
	ID            string           `db:"id" json:"id"`
	WebhookID     string           `db:"webhook_id" json:"webhook_id"`
	Subject       string           `db:"subject" json:"subject"`
	SubjectID     string           `db:"subject_id" json:"subject_id"`
	Seq           int              `db:"seq" json:"seq"`
	Event         string           `db:"event" json:"event"`
	Payload       json.RawMessage  `db:"payload" json:"payload"`
	CreatedAt     time.Time        `db:"created_at" json:"created_at"`
	Status        string           `db:"status" json:"status"`
	Attempts      int              `db:"attempts" json:"attempts"`
	NextAttemptAt time.Time        `db:"next_attempt_at" json:"next_attempt_at"`
	DeliveredAt   *time.Time       `db:"delivered_at" json:"delivered_at"`
	Tries         []WebhookAttempt `db:"-" json:"attempt_log"`
}

// WebhookAttempt is one try at delivering.
type WebhookAttempt struct {
	N          int       `json:"n"`
	At         time.Time `json:"at"`
	Status     int       `json:"status"`
	Error      string    `json:"error"`
	DurationMS int       `json:"duration_ms"`
}

// DueDelivery is a delivery to send now, with what signing it needs.
type DueDelivery struct {
	ID        string          `db:"id"`
	URL       string          `db:"url"`
	Secret    string          `db:"secret"`
	Event     string          `db:"event"`
	Payload   json.RawMessage `db:"payload"`
	CreatedAt time.Time       `db:"created_at"`
	Attempts  int             `db:"attempts"`
}

// CreateWebhook registers a target.
func (db *DB) CreateWebhook(ctx context.Context, url string, events []string, secret, by string) (WebhookRow, error) {
	rows, err := db.Pool.Query(ctx, `INSERT INTO webhooks (url, events, secret, created_by) VALUES ($1, $2, $3, $4)
		RETURNING id, url, events, created_at`, url, events, secret, nullable(by))
	if err != nil {
		return WebhookRow{}, fmt.Errorf("create webhook: %w", err)
	}
	return pgx.CollectExactlyOneRow(rows, pgx.RowToStructByName[WebhookRow])
}

// Webhooks lists the targets, oldest first (there are a handful).
func (db *DB) Webhooks(ctx context.Context) ([]WebhookRow, error) {
	rows, err := db.Pool.Query(ctx, `SELECT id, url, events, created_at FROM webhooks WHERE deleted_at IS NULL ORDER BY created_at, id LIMIT 1000`)
	if err != nil {
		return nil, fmt.Errorf("webhooks: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[WebhookRow])
}

// DeleteWebhook stops a target's deliveries; ErrNotFound when there is none.
func (db *DB) DeleteWebhook(ctx context.Context, id string) error {
	// One transaction: a deleted target keeps no pending delivery.
	return db.inTx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE webhooks SET deleted_at = now() WHERE id = $1 AND deleted_at IS NULL`, id)
		if err != nil {
			return fmt.Errorf("delete webhook: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		if _, err = tx.Exec(ctx, `UPDATE webhook_deliveries SET status = 'failed' WHERE webhook_id = $1 AND status = 'pending'`, id); err != nil {
			return fmt.Errorf("delete webhook: %w", err)
		}
		return nil
	})
}

// webhookEvent is one event to announce to the targets that asked for it.
type webhookEvent struct {
	subject, subjectID string
	seq                int
	name               string
	data               map[string]any
}

// enqueueWebhooks writes the deliveries of events in the caller's
// transaction, as enqueue does for e-mails: a delivery exists if and only if
// its change is saved, and a retried save adds nothing.
func enqueueWebhooks(ctx context.Context, tx pgx.Tx, events []webhookEvent) error {
	for _, e := range events {
		payload, err := json.Marshal(map[string]any{"type": e.name, "timestamp": time.Now().UTC().Format(time.RFC3339Nano),
			"data": e.data})
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO webhook_deliveries (webhook_id, subject, subject_id, seq, event, payload)
			SELECT w.id, $1, $2, $3, $4, $5 FROM webhooks w WHERE w.deleted_at IS NULL AND $4 = ANY(w.events)
			ON CONFLICT DO NOTHING`, e.subject, e.subjectID, e.seq, e.name, payload); err != nil {
			return fmt.Errorf("queue webhook: %w", err)
		}
	}
	return nil
}

// subjectWebhooks are the webhook events of a subject's new events: its
// submission, its stage changes, a call's publication, a round's phases and
// every committee decision.
func subjectWebhooks(subject, subjectID, title string, events []domain.Event) []webhookEvent {
	var out []webhookEvent
	prefix := map[string]string{"need": "need", "study_action": "study_action", "call": "call", "rally_round": "round"}[subject]
	for _, ev := range events {
		data := map[string]any{"subject": subject, "id": subjectID, "title": title, "seq": ev.Seq, "action": string(ev.Action),
			"from_stage": string(ev.FromStage), "to_stage": string(ev.ToStage), "at": ev.At.UTC().Format(time.RFC3339Nano)}
		add := func(name string) {
			out = append(out, webhookEvent{subject: subject, subjectID: subjectID, seq: ev.Seq, name: name, data: data})
		}
		switch {
		case subject == "need" && ev.Action == domain.ActionSubmit:
			add("need.submitted")
		case subject == "rally_round" && ev.Action == domain.Action(domain.RallyPhaseStarted):
			data["phase"] = string(ev.ToStage)
			add("round.phase_started")
		case (subject == "need" || subject == "study_action") && ev.FromStage != ev.ToStage:
			add(prefix + ".stage_changed")
		}
		if subject == "call" && ev.ToStage == domain.StagePublished && ev.FromStage != ev.ToStage {
			add("call.published")
		}
		if ev.Action == domain.ActionDecide {
			data["decision"] = ev.Data["decision"]
			add("committee.decided")
		}
	}
	return out
}

// ClaimDueWebhooks leases, for each target and subject, its oldest pending
// delivery when it is due: deliveries of one subject go in order, one at a
// time; a lease a crash leaves is taken again once it expires.
func (db *DB) ClaimDueWebhooks(ctx context.Context, limit int, lease time.Duration) ([]DueDelivery, error) {
	rows, err := db.Pool.Query(ctx, `WITH heads AS (
			SELECT DISTINCT ON (d.webhook_id, d.subject_id) d.id, d.next_attempt_at, d.claimed_until
			FROM webhook_deliveries d WHERE d.status = 'pending'
			ORDER BY d.webhook_id, d.subject_id, d.created_at, d.id),
		due AS (
			SELECT id FROM heads WHERE next_attempt_at <= now() AND (claimed_until IS NULL OR claimed_until < now())
			ORDER BY next_attempt_at LIMIT $1)
		UPDATE webhook_deliveries d SET claimed_until = now() + $2::interval
		FROM due, webhooks w WHERE d.id = due.id AND w.id = d.webhook_id AND w.deleted_at IS NULL
		RETURNING d.id, w.url, w.secret, d.event, d.payload, d.created_at, d.attempts`, limit, lease.String())
	if err != nil {
		return nil, fmt.Errorf("claim webhooks: %w", err)
	}
	return pgx.CollectRows(rows, pgx.RowToStructByName[DueDelivery])
}

// WebhookRetryFor is how long a delivery is retried before it fails.
const WebhookRetryFor = 24 * time.Hour

// RecordWebhookAttempt logs a try; a success delivers, a failure waits
// next (growing) or, past WebhookRetryFor, fails the delivery.
func (db *DB) RecordWebhookAttempt(ctx context.Context, d DueDelivery, status int, errText string, took, next time.Duration) error {
	return pgx.BeginFunc(ctx, db.Pool, func(tx pgx.Tx) error {
		n := d.Attempts + 1
		if _, err := tx.Exec(ctx, `INSERT INTO webhook_attempts (delivery_id, n, status, error, duration_ms) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT DO NOTHING`, d.ID, n, status, excerpt(errText, 500), int(took/time.Millisecond)); err != nil {
			return fmt.Errorf("webhook attempt: %w", err)
		}
		state := "pending"
		switch {
		case status >= 200 && status < 300:
			state = "delivered"
		case time.Since(d.CreatedAt)+next > WebhookRetryFor:
			state = "failed"
		}
		_, err := tx.Exec(ctx, `UPDATE webhook_deliveries SET attempts = $2, status = $3, claimed_until = NULL,
			next_attempt_at = now() + $4::interval, delivered_at = CASE WHEN $3 = 'delivered' THEN now() END
			WHERE id = $1`, d.ID, n, state, next.String())
		return err
	})
}

// WebhookDeliveries lists a target's deliveries newest first, each with its
// attempts; ErrNotFound for an unknown target.
func (db *DB) WebhookDeliveries(ctx context.Context, webhookID string, limit int, cursor string) ([]WebhookDeliveryRow, string, error) {
	var one int
	if err := db.Pool.QueryRow(ctx, `SELECT 1 FROM webhooks WHERE id = $1`, webhookID).Scan(&one); errors.Is(err, pgx.ErrNoRows) {
		return nil, "", ErrNotFound
	} else if err != nil {
		return nil, "", fmt.Errorf("webhook: %w", err)
	}
	c := newConds(webhookID)
	c.add("webhook_id = $1")
	if err := c.after(cursor, "created_at", "id"); err != nil {
		return nil, "", err
	}
	rows, err := db.Pool.Query(ctx, `SELECT id, webhook_id, subject, subject_id, seq, event, payload, created_at, status, attempts,
		next_attempt_at, delivered_at FROM webhook_deliveries WHERE `+c.sql()+newestFirst("created_at", "id", limit), c.args...)
	if err != nil {
		return nil, "", fmt.Errorf("webhook deliveries: %w", err)
	}
	list, err := pgx.CollectRows(rows, pgx.RowToStructByName[WebhookDeliveryRow])
	if err != nil {
		return nil, "", fmt.Errorf("webhook deliveries: %w", err)
	}
	list, next := cut(list, limit, func(r WebhookDeliveryRow) (time.Time, string) { return r.CreatedAt, r.ID })
	ids := make([]string, len(list))
	at := map[string]int{}
	for i, d := range list {
		ids[i], at[d.ID] = d.ID, i
		list[i].Tries = []WebhookAttempt{}
	}
	att, err := db.Pool.Query(ctx, `SELECT delivery_id, n, at, status, error, duration_ms FROM webhook_attempts
		WHERE delivery_id = ANY($1) ORDER BY delivery_id, n`, ids)
	if err != nil {
		return nil, "", fmt.Errorf("webhook attempts: %w", err)
	}
	defer att.Close()
	for att.Next() {
		var id string
		var a WebhookAttempt
		if err := att.Scan(&id, &a.N, &a.At, &a.Status, &a.Error, &a.DurationMS); err != nil {
			return nil, "", err
		}
		list[at[id]].Tries = append(list[at[id]].Tries, a)
	}
	return list, next, att.Err()
}
