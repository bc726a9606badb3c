package storage

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
)

// Session is a signed-in token's record; the token itself is never stored.
type Session struct {
	TokenHash []byte    `db:"token_hash"`
	UserID    string    `db:"user_id"`
	Kind      string    `db:"kind"`
	CSRFToken string    `db:"csrf_token"`
	ExpiresAt time.Time `db:"expires_at"`
}

// CreateSession records a session.
func (db *DB) CreateSession(ctx context.Context, s Session) error {
	_, err := db.Pool.Exec(ctx, `INSERT INTO sessions (token_hash, user_id, kind, csrf_token, expires_at)
		VALUES ($1, $2, $3, $4, $5)`, s.TokenHash, s.UserID, s.Kind, s.CSRFToken, s.ExpiresAt)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	return nil
}

// SessionUser returns the live session for a token hash and its active user.
func (db *DB) SessionUser(ctx context.Context, tokenHash []byte) (Session, User, error) {
	var s Session
	var u User
	err := db.Pool.QueryRow(ctx, `SELECT s.token_hash, s.user_id, s.kind, s.csrf_token, s.expires_at,
			u.id, u.email, u.name, u.organisation, u.organisation_id, u.roles, u.active
		FROM sessions s JOIN users u ON u.id = s.user_id
		WHERE s.token_hash = $1 AND s.expires_at > now() AND u.active`, tokenHash).
		Scan(&s.TokenHash, &s.UserID, &s.Kind, &s.CSRFToken, &s.ExpiresAt, &u.ID, &u.Email, &u.Name, &u.Organisation, &u.OrganisationID, &u.Roles, &u.Active)
	if errors.Is(err, pgx.ErrNoRows) {
		return Session{}, User{}, ErrNotFound
	}
	if err != nil {
		return Session{}, User{}, fmt.Errorf("session: %w", err)
	}
	return s, u, nil
}

// DeleteSession signs a token out.
func (db *DB) DeleteSession(ctx context.Context, tokenHash []byte) error {
	_, err := db.Pool.Exec(ctx, "DELETE FROM sessions WHERE token_hash = $1", tokenHash)
	return err
}

// ReplayKeep is how long a response is kept for Idempotency-Key replay
// before the janitor removes it (the personal-data page states it).
const ReplayKeep = 24 * time.Hour

// PurgeExpired removes expired sessions and idempotency records older than keep.
func (db *DB) PurgeExpired(ctx context.Context, keep time.Duration) error {
	if _, err := db.Pool.Exec(ctx, "DELETE FROM sessions WHERE expires_at < now()"); err != nil {
		return err
	}
	_, err := db.Pool.Exec(ctx, "DELETE FROM idempotency_keys WHERE created_at < $1", time.Now().Add(-keep))
	return err
}

// DeleteUserSessions signs every token and web session of an account out
// and says how many there were.
func (db *DB) DeleteUserSessions(ctx context.Context, userID string) (int64, error) {
	tag, err := db.Pool.Exec(ctx, "DELETE FROM sessions WHERE user_id = $1", userID)
	if err != nil {
		return 0, fmt.Errorf("delete sessions: %w", err)
	}
	return tag.RowsAffected(), nil
}
