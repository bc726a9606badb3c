package auth

import (
	"crypto/sha256"
	"encoding/hex"
	"sort"
	"sync"
	"time"
)

// Limiter counts sign-in attempts per key (an account, an address) in a
// sliding window. An attempt reserves its slot before the password is
// checked, so that parallel guesses cannot all pass the check-then-count
// gap: at most max attempts per key are ever in flight or failed within the
// window. Its memory is bounded: keys are at most maxKeyLen bytes and at
// most MaxKeys keys are kept (the least recently tried are forgotten first).
type Limiter struct {
	max    int
	window time.Duration
	// MaxKeys caps the number of keys remembered (set before use).
	MaxKeys int

	mu    sync.Mutex
	next  uint64
	slots map[string][]slot
}

// slot is one attempt: pending while its password is being checked, then a
// failure until it leaves the window.
type slot struct {
	id      uint64
	at      time.Time
	pending bool
}

// Reservation is an attempt's slot, to be settled once by Fail or Release.
type Reservation struct {
	key string
	id  uint64
}

// DefaultMaxKeys bounds a limiter's memory under a flood of distinct keys
// (about 100 bytes a key: 10 MB at most).
const DefaultMaxKeys = 100_000

const maxKeyLen = 256

// NewLimiter allows max attempts per key within window.
func NewLimiter(max int, window time.Duration) *Limiter {
	return &Limiter{max: max, window: window, MaxKeys: DefaultMaxKeys, slots: map[string][]slot{}}
}

// Reserve takes a slot for key if it has fewer than max attempts pending or
// failed within the window; otherwise it says how long until one frees.
func (l *Limiter) Reserve(key string, now time.Time) (Reservation, time.Duration, bool) {
	return l.ReserveWithin(key, now, l.max)
}

// ReserveWithin is Reserve with a lower bound than the limiter's own for
// this attempt (at most the limiter's: the memory bound stays).
func (l *Limiter) ReserveWithin(key string, now time.Time, limit int) (Reservation, time.Duration, bool) {
	key = boundKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.prune(key, now)
	if len(s) >= min(limit, l.max) {
		return Reservation{}, l.retryAfter(s, now), false
	}
	if len(s) == 0 {
		l.makeRoom(now)
	}
	l.next++
	l.slots[key] = append(s, slot{id: l.next, at: now, pending: true})
	return Reservation{key: key, id: l.next}, 0, true
}

// Fail keeps a reservation as a failure until it leaves the window.
func (l *Limiter) Fail(r Reservation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.slots[r.key]
	for i := range s {
		if s[i].id == r.id {
			s[i].pending = false
		}
	}
}

// Release gives a reservation back: the attempt does not count (a right
// password from this address, or a check that never ran).
func (l *Limiter) Release(r Reservation) {
	l.mu.Lock()
	defer l.mu.Unlock()
	s := l.slots[r.key]
	for i := range s {
		if s[i].id == r.id {
			s = append(s[:i:i], s[i+1:]...)
			break
		}
	}
	if len(s) == 0 {
		delete(l.slots, r.key)
	} else {
		l.slots[r.key] = s
	}
}

// Reset forgets key's failures (after a successful sign-in); attempts still
// being checked keep their slots and settle as usual.
func (l *Limiter) Reset(key string) {
	key = boundKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	var kept []slot
	for _, e := range l.slots[key] {
		if e.pending {
			kept = append(kept, e)
		}
	}
	if len(kept) == 0 {
		delete(l.slots, key)
	} else {
		l.slots[key] = kept
	}
}

// Failures counts key's attempts pending or failed within the window.
func (l *Limiter) Failures(key string, now time.Time) int {
	key = boundKey(key)
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.prune(key, now))
}

// Keys is the number of keys remembered.
func (l *Limiter) Keys() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.slots)
}

// retryAfter is how long until a full key frees a slot: a pending check
// settles in moments; otherwise the oldest failure leaves the window.
func (l *Limiter) retryAfter(s []slot, now time.Time) time.Duration {
	for _, e := range s {
		if e.pending {
			return time.Second
		}
	}
	return max(time.Second, s[0].at.Add(l.window).Sub(now))
}

func (l *Limiter) prune(key string, now time.Time) []slot {
	s := l.slots[key]
	i := 0
	for i < len(s) && now.Sub(s[i].at) > l.window { // a request never lasts a window: pending ones too
		i++
	}
	if i == 0 {
		return s
	}
	s = s[i:]
	if len(s) == 0 {
		delete(l.slots, key)
	} else {
		l.slots[key] = s
	}
	return s
}

// makeRoom keeps the map under MaxKeys before a new key enters: expired
// keys go first, then the least recently tried eighth.
func (l *Limiter) makeRoom(now time.Time) {
	if len(l.slots) < l.MaxKeys {
		return
	}
	for k := range l.slots {
		l.prune(k, now)
	}
	if len(l.slots) < l.MaxKeys {
		return
	}
	// The least recently tried keys go first, but a locked key goes last: a
	// flood of new keys must not wipe an account's lockout.
	type aged struct {
		key    string
		last   time.Time
		locked bool
	}
	all := make([]aged, 0, len(l.slots))
	for k, s := range l.slots {
		all = append(all, aged{k, s[len(s)-1].at, len(s) >= l.max})
	}
	sort.Slice(all, func(i, j int) bool {
		if all[i].locked != all[j].locked {
			return !all[i].locked
		}
		return all[i].last.Before(all[j].last)
	})
	drop := max(1, l.MaxKeys/8, len(l.slots)-l.MaxKeys+1)
	for _, a := range all[:min(drop, len(all))] {
		delete(l.slots, a.key)
	}
}

// boundKey keeps keys small: a long one is replaced by its digest.
func boundKey(key string) string {
	if len(key) <= maxKeyLen {
		return key
	}
	h := sha256.Sum256([]byte(key))
	return "sha256:" + hex.EncodeToString(h[:])
}
