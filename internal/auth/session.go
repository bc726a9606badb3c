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
	DB  *storage.DB
	TTL time.Duration
	// ByPair counts failures per account and client address: the attempts
	// that lock are those of one address on one account, so that nobody can
	// keep a person out of their account from elsewhere.
	ByPair *Limiter
	// ByAddress counts an address's failures on every account.
	ByAddress *Limiter
	// ByAccount counts an account's failures from every address. It never
	// locks: an account under attack (AccountUnderAttack failures) leaves
	// each address one failure per window instead of PairFailures, which
	// slows a spread-out attack and leaves an address that has not failed
	// free to sign in.
	ByAccount *Limiter
	Hashing   *HashPool
}

// Sign-in limits per 15 minutes (LimitWindow): failures are counted in memory
// only, never written down; the personal-data page says so.
const (
	PairFailures       = 10
	AddressFailures    = 50
	AccountUnderAttack = 10
	LimitWindow        = 15 * time.Minute
)

// NewSessions limits each address to 10 failed sign-ins per account (1 on an
// account under attack) and 50 on all accounts per 15 minutes, and runs
// password checks in a bounded pool.
func NewSessions(db *storage.DB, ttl time.Duration) *Sessions {
	return &Sessions{DB: db, TTL: ttl, ByPair: NewLimiter(PairFailures, LimitWindow),
		ByAddress: NewLimiter(AddressFailures, LimitWindow), ByAccount: NewLimiter(4*AccountUnderAttack, LimitWindow),
		Hashing: DefaultHashPool()}
}

// ErrBadCredentials is the one answer to a wrong e-mail or password.
var ErrBadCredentials = domain.E(domain.CodeUnauthenticated, "error.bad_credentials")

// rateLimited is the 429 of a key that failed too often, with its delay.
func rateLimited(after time.Duration) error {
	e := domain.E(domain.CodeRateLimited, "error.rate_limited")
	e.RetryAfter = after
	return e
}

// busy is the 429 of a full hashing pool: try again in a moment.
func busy() error {
	e := domain.E(domain.CodeRateLimited, "error.sign_in_busy")
	e.RetryAfter = time.Second
	return e
}

// Issued is a new session.
type Issued struct {
	Token     string
	CSRF      string
	ExpiresAt time.Time
	User      storage.User
}

// SignIn checks the credentials and opens a session of the given kind ("api"
// or "web"). The attempt takes its slot in the limits of its account and
// address together and of its address before the password is checked: a
// wrong password keeps them as failures (and counts one on the account), a
// right one frees them, and a check that never ran (a busy pool, a database
// error) gives them back.
func (s *Sessions) SignIn(ctx context.Context, email, password, kind, address string) (Issued, error) {
	now := time.Now()
	accountKey := strings.ToLower(strings.TrimSpace(email))
	pairKey := accountKey + "\x00" + address
	allowed := PairFailures
	if s.ByAccount.Failures(accountKey, now) >= AccountUnderAttack {
		allowed = 1
	}
	pair, wait, ok := s.ByPair.ReserveWithin(pairKey, now, allowed)
	if !ok {
		return Issued{}, rateLimited(wait)
	}
	addr, wait, ok := s.ByAddress.Reserve(address, now)
	if !ok {
		s.ByPair.Release(pair)
		return Issued{}, rateLimited(wait)
	}
	failed, settled := false, false
	defer func() {
		switch {
		case failed:
			s.ByPair.Fail(pair)
			s.ByAddress.Fail(addr)
			if r, _, ok := s.ByAccount.Reserve(accountKey, now); ok { // a full count stays full
				s.ByAccount.Fail(r)
			}
		case !settled:
			s.ByPair.Release(pair)
			s.ByAddress.Release(addr)
		}
	}()

	u, err := s.DB.UserByEmail(ctx, accountKey)
	if err != nil && !errors.Is(err, storage.ErrNotFound) {
		return Issued{}, err
	}
	known := err == nil
	right := false
	err = s.Hashing.Do(ctx, func() {
		if known {
			right = CheckPassword(u.PasswordHash, password)
		} else {
			CheckUnknown(password)
		}
	})
	switch {
	case err != nil: // the pool stayed full, or the client left while waiting
		return Issued{}, busy()
	case !right || !u.Active:
		failed = true
		return Issued{}, ErrBadCredentials
	}
	settled = true
	s.ByPair.Release(pair)
	s.ByPair.Reset(pairKey)
	s.ByAddress.Release(addr)

	tok, hash := NewToken()
	csrf, _ := NewToken()
	exp := now.Add(s.TTL).UTC().Truncate(time.Second)
	if err := s.DB.CreateSession(ctx, storage.Session{TokenHash: hash, UserID: u.ID, Kind: kind, CSRFToken: csrf, ExpiresAt: exp}); err != nil {
		return Issued{}, err
	}
	return Issued{Token: tok, CSRF: csrf, ExpiresAt: exp, User: u}, nil
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

// SignOutEverywhere ends every session of an account, API tokens and web
// sessions alike, and says how many there were.
func (s *Sessions) SignOutEverywhere(ctx context.Context, userID string) (int64, error) {
	return s.DB.DeleteUserSessions(ctx, userID)
}
