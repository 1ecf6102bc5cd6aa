package auth

import (
	"sync"
	"time"
)

// Limiter slows down password guessing. It counts the failed logins of
// each key (a user name, a client address): the first Free failures cost
// nothing, so a person who mistypes is not held up, and each one after
// them makes the key wait twice as long as the last, from Base up to Max,
// before it may try again. A key that fails no more for Forget starts
// afresh. It keeps at most Capacity keys, so a flood of new names or
// addresses cannot exhaust memory; when full it forgets the keys that
// have gone quietest. A Limiter is safe for concurrent use; it lives in
// memory, so a restart forgives everyone.
type Limiter struct {
	Free     int
	Base     time.Duration
	Max      time.Duration
	Forget   time.Duration
	Capacity int

	// now is the clock, replaced in tests.
	now func() time.Time

	mu      sync.Mutex
	strikes map[string]*strike
}

// strike is what a Limiter remembers of one key.
type strike struct {
	failures int
	last     time.Time // of the last failure
	until    time.Time // no attempt before
}

// NewLimiter returns a Limiter that lets free failures pass, then makes
// the key wait one second, two, four, and so on up to five minutes, and
// forgets a key an hour after its last failure.
func NewLimiter(free int) *Limiter {
	return &Limiter{Free: free, Base: time.Second, Max: 5 * time.Minute, Forget: time.Hour, Capacity: 10000}
}

func (l *Limiter) clock() time.Time {
	if l.now != nil {
		return l.now()
	}
	return time.Now()
}

// Wait returns how long the key must wait before it may try again; zero
// means it may try now.
func (l *Limiter) Wait(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	s, ok := l.strikes[key]
	if !ok {
		return 0
	}
	now := l.clock()
	if now.Sub(s.last) >= l.Forget {
		delete(l.strikes, key)
		return 0
	}
	return max(0, s.until.Sub(now))
}

// Fail records a failed attempt of the key and returns how long it must
// now wait.
func (l *Limiter) Fail(key string) time.Duration {
	l.mu.Lock()
	defer l.mu.Unlock()
	now := l.clock()
	s, ok := l.strikes[key]
	if ok && now.Sub(s.last) >= l.Forget {
		ok = false
	}
	if !ok {
		l.makeRoom(now)
		s = &strike{}
		if l.strikes == nil {
			l.strikes = map[string]*strike{}
		}
		l.strikes[key] = s
	}
	s.failures++
	s.last = now
	over := s.failures - l.Free
	if over <= 0 {
		return 0
	}
	wait := l.Max
	// Past 2^30 times Base the doubling would overflow; Max is long
	// before that.
	if over <= 30 && l.Base<<(over-1) < l.Max {
		wait = l.Base << (over - 1)
	}
	s.until = now.Add(wait)
	return wait
}

// Reset forgets the key's failures, after a successful attempt.
func (l *Limiter) Reset(key string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	delete(l.strikes, key)
}

// Len returns how many keys the Limiter remembers.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.strikes)
}

// makeRoom makes room for one more key when the Limiter is at Capacity:
// first by forgetting the keys it would forget anyway, then, if that is
// not enough, the key whose last failure is oldest. Keys that are made to
// wait are the newest failures, so they are the last to go.
func (l *Limiter) makeRoom(now time.Time) {
	if l.Capacity <= 0 || len(l.strikes) < l.Capacity {
		return
	}
	for k, s := range l.strikes {
		if now.Sub(s.last) >= l.Forget {
			delete(l.strikes, k)
		}
	}
	for len(l.strikes) >= l.Capacity {
		var oldest string
		var at time.Time
		first := true
		for k, s := range l.strikes {
			if first || s.last.Before(at) {
				oldest, at, first = k, s.last, false
			}
		}
		delete(l.strikes, oldest)
	}
}
