// Package auth hashes passwords, issues session tokens and limits sign-in attempts.
package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/crypto/argon2"
)

// argon2id parameters: OWASP's minimum (19 MiB, 2 passes), about 20 ms here.
const (
	argonTime    = 2
	argonMemory  = 19 * 1024
	argonThreads = 1
	argonKeyLen  = 32
)

// MinPasswordLength is the shortest password accepted.
const MinPasswordLength = 10

// HashPassword returns an encoded argon2id hash.
func HashPassword(password string) (string, error) {
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, argonTime, argonMemory, argonThreads, argonKeyLen)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, argonMemory, argonTime, argonThreads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// CheckPassword tells whether password matches the encoded hash.
func CheckPassword(encoded, password string) bool {
	parts := strings.Split(encoded, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false
	}
	salt, err1 := base64.RawStdEncoding.DecodeString(parts[4])
	want, err2 := base64.RawStdEncoding.DecodeString(parts[5])
	if errors.Join(err1, err2) != nil {
		return false
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1
}

// dummyHash makes a sign-in for an unknown address cost as much as a real one.
var dummyHash, _ = HashPassword("essor-timing-equaliser")

// CheckUnknown spends the time a password check takes, and fails.
func CheckUnknown(password string) bool {
	CheckPassword(dummyHash, password)
	return false
}

// HashPool bounds how many password checks run at once: each argon2id
// check holds 19 MiB, so a burst of sign-ins must queue, briefly, rather
// than grow the process's memory without limit.
type HashPool struct {
	slots chan struct{}
	wait  time.Duration

	inFlight atomic.Int64
	peak     atomic.Int64
	checks   atomic.Int64
}

// ErrHashBusy says every hashing slot stayed taken for the whole wait.
var ErrHashBusy = errors.New("password hashing pool busy")

// NewHashPool runs at most size checks at once; a check waits at most wait
// for a slot.
func NewHashPool(size int, wait time.Duration) *HashPool {
	return &HashPool{slots: make(chan struct{}, max(1, size)), wait: wait}
}

// DefaultHashPool is sized for the machine: two checks per usable core,
// waiting at most 1.5 s.
func DefaultHashPool() *HashPool {
	return NewHashPool(2*runtime.GOMAXPROCS(0), 1500*time.Millisecond)
}

// Do runs check once a slot is free, or answers ErrHashBusy (or the
// context's error) without running it.
func (p *HashPool) Do(ctx context.Context, check func()) error {
	t := time.NewTimer(p.wait)
	defer t.Stop()
	select {
	case p.slots <- struct{}{}:
	case <-t.C:
		return ErrHashBusy
	case <-ctx.Done():
		return ctx.Err()
	}
	defer func() { <-p.slots }()
	n := p.inFlight.Add(1)
	defer p.inFlight.Add(-1)
	for {
		peak := p.peak.Load()
		if n <= peak || p.peak.CompareAndSwap(peak, n) {
			break
		}
	}
	p.checks.Add(1)
	check()
	return nil
}

// Size is the number of checks that may run at once.
func (p *HashPool) Size() int { return cap(p.slots) }

// Peak is the largest number of checks seen running at once.
func (p *HashPool) Peak() int { return int(p.peak.Load()) }

// Checks is the number of checks run so far.
func (p *HashPool) Checks() int { return int(p.checks.Load()) }

// NewToken returns a random token and the hash under which it is stored.
func NewToken() (string, []byte) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand never fails on Linux
	}
	tok := base64.RawURLEncoding.EncodeToString(b)
	return tok, HashToken(tok)
}

// HashToken is how a token is looked up.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}
