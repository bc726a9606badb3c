package auth

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"

	"essor/internal/domain"
	"essor/internal/storage"
	"essor/internal/testdb"
)

func TestPasswordHash(t *testing.T) {
	h, err := HashPassword("un mot de passe très long")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %s", h)
	}
	if !CheckPassword(h, "un mot de passe très long") || CheckPassword(h, "un mot de passe très lonG") {
		t.Fatal("check")
	}
	h2, _ := HashPassword("un mot de passe très long")
	if h == h2 {
		t.Fatal("no salt")
	}
	for _, bad := range []string{"", "$bcrypt$x", "$argon2id$v=19$m=x$a$b", "$argon2id$v=19$m=1,t=1,p=1$!!$!!"} {
		if CheckPassword(bad, "x") {
			t.Fatalf("accepted %q", bad)
		}
	}
	if CheckUnknown("x") {
		t.Fatal("unknown account accepted")
	}
}

func TestTokens(t *testing.T) {
	a, ha := NewToken()
	b, _ := NewToken()
	if a == b || len(a) < 40 || string(HashToken(a)) != string(ha) || string(HashToken(b)) == string(ha) {
		t.Fatalf("tokens %s %s", a, b)
	}
}

func TestLimiterSlidingWindow(t *testing.T) {
	l := NewLimiter(3, time.Minute)
	t0 := time.Now()
	for i := 0; i < 3; i++ {
		r, _, ok := l.Reserve("k", t0.Add(time.Duration(i)*time.Second))
		if !ok {
			t.Fatalf("refused after %d failures", i)
		}
		l.Fail(r)
	}
	_, wait, ok := l.Reserve("k", t0.Add(10*time.Second))
	if ok {
		t.Fatal("allowed after 3 failures")
	}
	if wait != 50*time.Second {
		t.Fatalf("retry after %v, want 50s (the oldest failure leaves the window)", wait)
	}
	if _, _, ok := l.Reserve("other", t0); !ok {
		t.Fatal("keys are not separate")
	}
	r, _, ok := l.Reserve("k", t0.Add(61*time.Second))
	if !ok {
		t.Fatal("the window does not slide")
	}
	l.Release(r)
	r, _, _ = l.Reserve("k", t0.Add(62*time.Second))
	l.Fail(r)
	l.Reset("k")
	for i := 0; i < 3; i++ {
		if _, _, ok := l.Reserve("k", t0.Add(63*time.Second)); !ok {
			t.Fatal("reset did not forget")
		}
	}
}

// Parallel attempts on one key: exactly max get a slot, whatever the
// interleaving, and a pending check makes the others wait a second.
func TestLimiterReservesBeforeTheCheck(t *testing.T) {
	l := NewLimiter(10, 15*time.Minute)
	var granted, refused atomic.Int64
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := 0; i < 50; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, wait, ok := l.Reserve("victim@example.org", time.Now()); ok {
				granted.Add(1) // still pending: never settled in this test
			} else {
				if wait != time.Second {
					t.Errorf("retry after %v while checks are pending, want 1s", wait)
				}
				refused.Add(1)
			}
		}()
	}
	close(start)
	wg.Wait()
	if granted.Load() != 10 || refused.Load() != 40 {
		t.Fatalf("%d granted, %d refused; want 10 and 40", granted.Load(), refused.Load())
	}
}

// A released attempt (a right password, a check that never ran) frees its
// slot; a failed one keeps it.
func TestLimiterReleaseAndFail(t *testing.T) {
	l := NewLimiter(2, time.Minute)
	now := time.Now()
	a, _, _ := l.Reserve("k", now)
	b, _, _ := l.Reserve("k", now)
	if _, _, ok := l.Reserve("k", now); ok {
		t.Fatal("a third slot")
	}
	l.Release(a)
	l.Fail(b)
	c, _, ok := l.Reserve("k", now)
	if !ok {
		t.Fatal("a released slot was not given back")
	}
	l.Fail(c)
	if _, wait, ok := l.Reserve("k", now.Add(time.Second)); ok || wait != 59*time.Second {
		t.Fatalf("after two failures: ok=%v, retry after %v", ok, wait)
	}
	l.Release(c) // settling twice, or after a reset, is harmless
	l.Reset("k")
	l.Release(c)
	if l.Keys() != 0 {
		t.Fatalf("%d keys left", l.Keys())
	}
}

// Keys are bounded in size and in number: a flood of distinct keys never
// grows the map past MaxKeys, and the most recent keys are kept.
func TestLimiterBounds(t *testing.T) {
	l := NewLimiter(3, time.Hour)
	l.MaxKeys = 1000
	now := time.Now()
	// A locked account survives a flood of new keys.
	for i := 0; i < 3; i++ {
		r, _, _ := l.Reserve("victim@example.org", now.Add(-time.Minute))
		l.Fail(r)
	}
	defer func() {
		if _, _, ok := l.Reserve("victim@example.org", now.Add(time.Minute)); ok {
			t.Error("a flood of new keys wiped a locked account's failures")
		}
	}()
	for i := 0; i < 20_000; i++ {
		r, _, ok := l.Reserve(fmt.Sprintf("flood-%d", i), now.Add(time.Duration(i)*time.Millisecond))
		if !ok {
			t.Fatal("a new key was refused")
		}
		l.Fail(r)
		if n := l.Keys(); n > l.MaxKeys {
			t.Fatalf("%d keys, cap %d", n, l.MaxKeys)
		}
	}
	last := "flood-19999"
	for i := 0; i < 2; i++ {
		r, _, _ := l.Reserve(last, now.Add(20*time.Second))
		l.Fail(r)
	}
	if _, _, ok := l.Reserve(last, now.Add(20*time.Second)); ok {
		t.Fatal("the most recent key was forgotten")
	}

	long := strings.Repeat("a", 10_000)
	r, _, _ := l.Reserve(long, now)
	if len(r.key) > maxKeyLen {
		t.Fatalf("a key of %d bytes is kept", len(r.key))
	}
	if r2, _, _ := l.Reserve(long+"b", now); r2.key == r.key {
		t.Fatal("two long keys share a slot")
	}
}

// The pool never runs more than its size at once, and a caller that finds
// it full for the whole wait is told so without running its check.
func TestHashPoolBound(t *testing.T) {
	p := NewHashPool(3, 10*time.Second)
	var inFlight, peak atomic.Int64
	var wg sync.WaitGroup
	for i := 0; i < 24; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			err := p.Do(context.Background(), func() {
				n := inFlight.Add(1)
				for {
					m := peak.Load()
					if n <= m || peak.CompareAndSwap(m, n) {
						break
					}
				}
				CheckUnknown("une tentative")
				inFlight.Add(-1)
			})
			if err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if peak.Load() > 3 || p.Peak() > 3 || p.Checks() != 24 {
		t.Fatalf("peak %d (pool says %d), %d checks", peak.Load(), p.Peak(), p.Checks())
	}

	full := NewHashPool(1, 50*time.Millisecond)
	release := make(chan struct{})
	held := make(chan struct{})
	go func() { _ = full.Do(context.Background(), func() { close(held); <-release }) }()
	<-held
	ran := false
	if err := full.Do(context.Background(), func() { ran = true }); !errors.Is(err, ErrHashBusy) || ran {
		t.Fatalf("full pool: %v, ran %v", err, ran)
	}
	close(release)
}

// SignIn on the real database: many parallel sign-ins for distinct
// accounts (right and wrong passwords, unknown addresses) never run more
// password checks at once than the pool allows; a busy pool answers a 429
// with Retry-After and does not count the attempt as a failure.
func TestSignInHashingIsBounded(t *testing.T) {
	db, _ := testdb.Fresh(t)
	ctx := context.Background()
	s := NewSessions(db, time.Hour)
	s.Hashing = NewHashPool(2, time.Minute)
	const accounts = 12
	hash, err := HashPassword("le-bon-mot-de-passe")
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < accounts; i++ {
		id := uuid.NewString()
		if err := db.CreateUser(ctx, storage.User{ID: id, Email: fmt.Sprintf("compte-%d@example.org", i), Name: "Compte",
			Roles: []domain.Role{domain.RoleActor}, PasswordHash: hash, Active: true}); err != nil {
			t.Fatal(err)
		}
	}
	var wg sync.WaitGroup
	var signedIn, refused atomic.Int64
	for i := 0; i < 3*accounts; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			email, pw := fmt.Sprintf("compte-%d@example.org", i%accounts), "le-bon-mot-de-passe"
			switch i / accounts {
			case 1:
				pw = "un-mauvais-mot-de-passe"
			case 2:
				email = fmt.Sprintf("inconnu-%d@example.org", i)
			}
			_, err := s.SignIn(ctx, email, pw, "api", fmt.Sprintf("192.0.2.%d", i))
			switch {
			case err == nil:
				signedIn.Add(1)
			case errors.Is(err, ErrBadCredentials):
				refused.Add(1)
			default:
				t.Errorf("%s: %v", email, err)
			}
		}()
	}
	wg.Wait()
	if signedIn.Load() != accounts || refused.Load() != 2*accounts {
		t.Fatalf("%d signed in, %d refused", signedIn.Load(), refused.Load())
	}
	if p := s.Hashing.Peak(); p > 2 || p < 1 || s.Hashing.Checks() != 3*accounts {
		t.Fatalf("peak %d password checks at once (pool of 2), %d checks", p, s.Hashing.Checks())
	}

	// A pool that stays full: 429 with a retry delay, and no failure counted.
	s.Hashing = NewHashPool(1, 20*time.Millisecond)
	release, held := make(chan struct{}), make(chan struct{})
	go func() { _ = s.Hashing.Do(ctx, func() { close(held); <-release }) }()
	<-held
	_, err = s.SignIn(ctx, "Compte-Occupe@example.org", "un-mauvais-mot-de-passe", "api", "198.51.100.7")
	close(release)
	de, ok := domain.As(err)
	if !ok || de.Code != domain.CodeRateLimited || de.RetryAfter < time.Second || de.Message.Key != "error.sign_in_busy" {
		t.Fatalf("busy pool: %v", err)
	}
	if !reservable(s.ByPair, "compte-occupe@example.org\x00198.51.100.7", PairFailures) || !reservable(s.ByAddress, "198.51.100.7", AddressFailures) ||
		s.ByAccount.Failures("compte-occupe@example.org", time.Now()) != 0 {
		t.Fatal("an attempt that was never checked counts as a failure")
	}
}

// reservable tells whether n attempts on key would still be accepted.
func reservable(l *Limiter, key string, n int) bool {
	var rs []Reservation
	defer func() {
		for _, r := range rs {
			l.Release(r)
		}
	}()
	for i := 0; i < n; i++ {
		r, _, ok := l.Reserve(key, time.Now())
		if !ok {
			return false
		}
		rs = append(rs, r)
	}
	return true
}

// Nobody can keep a person out of their account from elsewhere: failures
// lock one address on one account; an account under attack leaves every
// other address one failure, and an address that has not failed signs in.
func TestSignInLockoutIsPerAddress(t *testing.T) {
	db, _ := testdb.Fresh(t)
	ctx := context.Background()
	s := NewSessions(db, time.Hour)
	hash, err := HashPassword("le-bon-mot-de-passe")
	if err != nil {
		t.Fatal(err)
	}
	if err := db.CreateUser(ctx, storage.User{ID: uuid.NewString(), Email: "membre@region.fr", Name: "Claire",
		Roles: []domain.Role{domain.RoleCommittee}, PasswordHash: hash, Active: true}); err != nil {
		t.Fatal(err)
	}
	try := func(password, address string) error {
		_, err := s.SignIn(ctx, "Membre@Region.fr", password, "api", address)
		return err
	}
	limited := func(err error) bool {
		de, ok := domain.As(err)
		return ok && de.Code == domain.CodeRateLimited && de.RetryAfter >= time.Second
	}
	const attacker, owner = "203.0.113.66", "198.51.100.20"
	for i := range 20 {
		err := try("un-mauvais-mot-de-passe", attacker)
		if i < PairFailures && !errors.Is(err, ErrBadCredentials) {
			t.Fatalf("attempt %d: %v", i+1, err)
		}
		if i >= PairFailures && !limited(err) {
			t.Fatalf("attempt %d from the failing address: %v, want a 429", i+1, err)
		}
	}
	if !limited(try("le-bon-mot-de-passe", attacker)) {
		t.Fatal("the locked address signed in")
	}
	if err := try("le-bon-mot-de-passe", owner); err != nil {
		t.Fatalf("the owner, from an address that has not failed: %v", err)
	}
	// The account is under attack: a second address gets one failure only,
	// and the owner (even after one mistake of their own) still signs in.
	const second = "192.0.2.9"
	if err := try("encore-faux", second); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("a second address's first try: %v", err)
	}
	if !limited(try("encore-faux", second)) {
		t.Fatal("a second address on an account under attack got more than one failure")
	}
	if err := try("le-bon-mot-de-passe", "192.0.2.10"); err != nil {
		t.Fatalf("a fresh address with the right password: %v", err)
	}
	if err := try("une-faute-de-frappe", owner); !errors.Is(err, ErrBadCredentials) {
		t.Fatalf("the owner's typo: %v", err)
	}
	if err := try("le-bon-mot-de-passe", "198.51.100.21"); err != nil {
		t.Fatalf("the owner from their phone: %v", err)
	}
}
