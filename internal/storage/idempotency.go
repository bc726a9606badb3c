package storage

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"essor/internal/domain"
)

// Stored is the first response given to an Idempotency-Key.
type Stored struct {
	Status      int
	ContentType string
	Body        []byte
}

// ErrKeyReused: the key was used with another request body.
var ErrKeyReused = domain.E(domain.CodeInvalid, "error.idempotency_reuse")

// ClaimKey records that (scope, key) answers a request whose body hashes to
// hash. It returns the stored response when the key was already answered,
// ErrKeyReused when it was used for another request, and nil otherwise: the
// caller then does the work and stores its response with CompleteKey.
//
// A key claimed but not yet answered (a request in flight, or one whose
// process died) does not block a retry: every POST of the API is idempotent
// by itself (ids and update ids derive from the key), so both do the same
// work once, and the first answer stored is the one replayed afterwards.
func (db *DB) ClaimKey(ctx context.Context, scope, key string, hash []byte) (*Stored, error) {
	var (
		prevHash []byte
		status   *int
		ctype    *string
		body     []byte
	)
	err := db.lazy.QueryRow(ctx, `WITH ins AS (
			INSERT INTO idempotency_keys (scope, key, request_hash) VALUES ($1, $2, $3)
			ON CONFLICT DO NOTHING RETURNING 1)
		SELECT request_hash, status, content_type, body FROM idempotency_keys
		WHERE scope = $1 AND key = $2 AND NOT EXISTS (SELECT 1 FROM ins)`, scope, key, hash).
		Scan(&prevHash, &status, &ctype, &body)
	if errors.Is(err, pgx.ErrNoRows) { // claimed now
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("idempotency claim: %w", err)
	}
	if !bytes.Equal(prevHash, hash) {
		return nil, ErrKeyReused
	}
	if status == nil {
		return nil, nil
	}
	s := &Stored{Status: *status, Body: body}
	if ctype != nil {
		s.ContentType = *ctype
	}
	return s, nil
}

// CompleteKey stores the response to replay.
func (db *DB) CompleteKey(ctx context.Context, scope, key string, s Stored) error {
	_, err := db.lazy.Exec(ctx, `UPDATE idempotency_keys SET status = $3, content_type = $4, body = $5
		WHERE scope = $1 AND key = $2 AND status IS NULL`, scope, key, s.Status, s.ContentType, s.Body)
	if err != nil {
		return fmt.Errorf("idempotency complete: %w", err)
	}
	return nil
}

// ReleaseKey forgets an unanswered claim so that the client may retry.
func (db *DB) ReleaseKey(ctx context.Context, scope, key string) error {
	_, err := db.lazy.Exec(ctx, "DELETE FROM idempotency_keys WHERE scope = $1 AND key = $2 AND status IS NULL", scope, key)
	return err
}
