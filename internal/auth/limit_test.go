package auth

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a clock the test moves by hand.
type fakeClock struct{ t time.Time }

func (c *fakeClock) now() time.Time      { return c.t }
func (c *fakeClock) add(d time.Duration) { c.t = c.t.Add(d) }
func limiterAt(c *fakeClock, free int) *Limiter {
	l := NewLimiter(free)
	l.now = c.now
	return l
}

func TestLimiterBacksOff(t *testing.T) {
	c := &fakeClock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := limiterAt(c, 3)
	// Three free failures, then 1s, 2s, 4s, ... up to five minutes.
	want := []time.Duration{0, 0, 0, 1 * time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second}
	for i, w := range want {
		if got := l.Wait("user:ana"); got != 0 {
			t.Fatalf("before failure %d: wait %v, want none (the last wait has passed)", i+1, got)
		}
		if got := l.Fail("user:ana"); got != w {
			t.Fatalf("failure %d: wait %v, want %v", i+1, got, w)
		}
		if got := l.Wait("user:ana"); got != w {
			t.Fatalf("after failure %d: Wait = %v, want %v", i+1, got, w)
		}
		c.add(w / 2)
		if w > 0 {
			if got := l.Wait("user:ana"); got != w/2 {
				t.Fatalf("halfway through wait %v: Wait = %v, want %v", w, got, w/2)
			}
		}
		c.add(w - w/2)
	}
	if got := l.Wait("user:bob"); got != 0 {
		t.Errorf("another key waits %v for the failures of the first", got)
	}
	for range 40 {
		c.add(l.Fail("user:ana"))
	}
	if got := l.Fail("user:ana"); got != 5*time.Minute {
		t.Errorf("after many failures: wait %v, want the cap of 5m", got)
	}
	l.Reset("user:ana")
	if got := l.Fail("user:ana"); got != 0 {
		t.Errorf("first failure after a reset: wait %v, want none", got)
	}
}

func TestLimiterForgets(t *testing.T) {
	c := &fakeClock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := limiterAt(c, 1)
	l.Fail("addr:192.0.2.1")
	if got := l.Fail("addr:192.0.2.1"); got != time.Second {
		t.Fatalf("second failure: wait %v, want 1s", got)
	}
	c.add(time.Hour)
	if got := l.Wait("addr:192.0.2.1"); got != 0 {
		t.Errorf("an hour after the last failure: wait %v, want none", got)
	}
	if l.Len() != 0 {
		t.Errorf("an hour after the last failure the limiter still holds %d keys", l.Len())
	}
	if got := l.Fail("addr:192.0.2.1"); got != 0 {
		t.Errorf("first failure after being forgotten: wait %v, want none (counts afresh)", got)
	}
}

func TestLimiterBounded(t *testing.T) {
	c := &fakeClock{time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	l := limiterAt(c, 0)
	l.Capacity = 100
	l.Fail("user:target")
	for i := range 1000 {
		c.add(time.Millisecond)
		l.Fail(fmt.Sprint("user:spray", i))
		if l.Len() > 100 {
			t.Fatalf("after %d keys the limiter holds %d, over its capacity of 100", i+2, l.Len())
		}
	}
	// The oldest went first: the newest keys are still held back.
	if got := l.Wait("user:spray999"); got <= 0 {
		t.Errorf("the newest key no longer waits")
	}
	if got := l.Wait("user:target"); got != 0 {
		t.Errorf("the oldest key still waits %v: the limiter did not evict by age", got)
	}
}

func TestLimiterConcurrent(t *testing.T) {
	l := NewLimiter(1000)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				key := fmt.Sprint("addr:", i%10)
				l.Wait(key)
				l.Fail(key)
				if i%50 == 0 {
					l.Reset(fmt.Sprint("addr:", g))
				}
			}
		}()
	}
	wg.Wait()
	if n := l.Len(); n > 10 {
		t.Errorf("limiter holds %d keys, want at most 10", n)
	}
}
