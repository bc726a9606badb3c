package auth

import (
	"context"
	"errors"
	"strings"
	"time"

	"essor/internal/domain"
	"essor/internal/storage"
)

// Sessions signs people in and out.
type Sessions struct {
	DB        *storage.DB
	TTL       time.Duration
	ByAccount *Limiter
	ByAddress *Limiter
}

// NewSessions limits each account to 10 and each address to 50 failed
// sign-ins per 15 minutes.
func NewSessions(db *storage.DB, ttl time.Duration) *Sessions {
	return &Sessions{DB: db, TTL: ttl, ByAccount: NewLimiter(10, 15*time.Minute), ByAddress: NewLimiter(50, 15*time.Minute)}
}

var (
	ErrBadCredentials = domain.E(domain.CodeUnauthenticated, "error.bad_credentials")
	ErrRateLimited    = domain.E(domain.CodeRateLimited, "error.rate_limited")
)

// Issued is a new session.
type Issued struct {
	Token     string
	CSRF      string
	ExpiresAt time.Time
	User      storage.User
}

// SignIn checks the credentials and opens a session of the given kind ("api" or "web").
func (s *Sessions) SignIn(ctx context.Context, email, password, kind, address string) (Issued, error) {
	now := time.Now()
	accountKey := strings.ToLower(strings.TrimSpace(email))
	if !s.ByAccount.Allowed(accountKey, now) || !s.ByAddress.Allowed(address, now) {
		return Issued{}, ErrRateLimited
	}
	u, err := s.DB.UserByEmail(ctx, accountKey)
	if errors.Is(err, storage.ErrNotFound) {
		CheckUnknown(password)
		s.fail(accountKey, address, now)
		return Issued{}, ErrBadCredentials
	}
	if err != nil {
		return Issued{}, err
	}
	if !CheckPassword(u.PasswordHash, password) || !u.Active {
		s.fail(accountKey, address, now)
		return Issued{}, ErrBadCredentials
	}
	s.ByAccount.Reset(accountKey)
	tok, hash := NewToken()
	csrf, _ := NewToken()
	exp := now.Add(s.TTL).UTC().Truncate(time.Second)
	if err := s.DB.CreateSession(ctx, storage.Session{TokenHash: hash, UserID: u.ID, Kind: kind, CSRFToken: csrf, ExpiresAt: exp}); err != nil {
		return Issued{}, err
	}
	return Issued{Token: tok, CSRF: csrf, ExpiresAt: exp, User: u}, nil
}

func (s *Sessions) fail(account, address string, now time.Time) {
	s.ByAccount.Fail(account, now)
	s.ByAddress.Fail(address, now)
}

// Resolve returns the session and user behind a token.
func (s *Sessions) Resolve(ctx context.Context, token string) (storage.Session, storage.User, error) {
	if token == "" {
		return storage.Session{}, storage.User{}, storage.ErrNotFound
	}
	return s.DB.SessionUser(ctx, HashToken(token))
}

// SignOut ends the session behind a token.
func (s *Sessions) SignOut(ctx context.Context, token string) error {
	return s.DB.DeleteSession(ctx, HashToken(token))
}
