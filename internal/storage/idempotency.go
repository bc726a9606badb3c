package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// Stored is the first response given to an Idempotency-Key.
type Stored struct {
	Status      int
	ContentType string
	Body        []byte
}

var (
	// ErrKeyReused: the key was used with another request body.
	ErrKeyReused = domain.E(domain.CodeInvalid, "error.idempotency_reuse")
	// ErrKeyBusy: a request with this key is still being processed.
	ErrKeyBusy = domain.E(domain.CodeConflict, "error.idempotency_busy")
)

// staleClaim is how long an unanswered claim blocks its key; after that, a
// retry takes it over (the process that claimed it probably died, and the
// work it did is itself idempotent).
const staleClaim = 30 * time.Second

// ClaimKey claims (scope, key) for a request whose body hashes to hash. It
// returns the stored response when the key was already answered, or nil when
// the caller now owns the key and must Complete or Release it.
func (db *DB) ClaimKey(ctx context.Context, scope, key string, hash []byte) (*Stored, error) {
	tag, err := db.Pool.Exec(ctx, `INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
		ON CONFLICT DO NOTHING`, scope, key, hash)
	if err != nil {
		return nil, fmt.Errorf("idempotency claim: %w", err)
	}
	if tag.RowsAffected() == 1 {
		return nil, nil
	}
	var (
		prevHash []byte
		status   *int
		ctype    *string
		body     []byte
		created  time.Time
	)
	err = db.Pool.QueryRow(ctx, `SELECT request_hash, status, content_type, body, created_at FROM idempotency_keys
		WHERE scope = $1 AND key = $2`, scope, key).Scan(&prevHash, &status, &ctype, &body, &created)
	if errors.Is(err, pgx.ErrNoRows) { // released meanwhile: try once more
		return db.ClaimKey(ctx, scope, key, hash)
	}
	if err != nil {
		return nil, fmt.Errorf("idempotency lookup: %w", err)
	}
	if !bytes.Equal(prevHash, hash) {
		return nil, ErrKeyReused
	}
	if status != nil {
		s := &Stored{Status: *status, Body: body}
		if ctype != nil {
			s.ContentType = *ctype
		}
		return s, nil
	}
	if time.Since(created) < staleClaim {
		return nil, ErrKeyBusy
	}
	tag, err = db.Pool.Exec(ctx, `UPDATE idempotency_keys SET created_at = now()
		WHERE scope = $1 AND key = $2 AND status IS NULL AND created_at = $3`, scope, key, created)
	if err != nil {
		return nil, fmt.Errorf("idempotency takeover: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return nil, ErrKeyBusy
	}
	return nil, nil
}

// CompleteKey stores the response to replay.
func (db *DB) CompleteKey(ctx context.Context, scope, key string, s Stored) error {
	_, err := db.Pool.Exec(ctx, `UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5
		WHERE scope = $1 AND key = $2`, scope, key, s.Status, s.ContentType, s.Body)
	if err != nil {
		return fmt.Errorf("idempotency complete: %w", err)
	}
	return nil
}

// ReleaseKey forgets an unanswered claim so that the client may retry.
func (db *DB) ReleaseKey(ctx context.Context, scope, key string) error {
	_, err := db.Pool.Exec(ctx, "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL", scope, key)
	return err
}
