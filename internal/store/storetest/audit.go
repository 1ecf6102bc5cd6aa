package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"mosaic/internal/store"
)

// testAudit checks that entries are numbered and chained in order, that the
// chain verifies after concurrent records, and that AuditLog filters by
// user, agency, action and time, oldest or newest first, up to a limit and
// on from a cursor.
func testAudit(t *testing.T, s store.Store) {
	ctx := context.Background()
	if n, brk, err := s.VerifyAudit(ctx); err != nil || n != 0 || brk != nil {
		t.Fatalf("VerifyAudit of an empty log = %d, %+v, %v", n, brk, err)
	}
	if _, err := s.Record(ctx, store.AuditEntry{User: "ana"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("an entry without an action: err = %v, want ErrInvalid", err)
	}
	t0 := time.Date(2016, 3, 22, 7, 58, 0, 123456789, time.FixedZone("CET", 3600))
	first, err := s.Record(ctx, store.AuditEntry{Time: t0, User: "ana", Agency: "Police", Action: "login", Outcome: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	if first.Seq != 1 || first.Prev != "" || len(first.Hash) != 64 || !first.Time.Equal(t0) {
		t.Errorf("first entry = %+v", first)
	}
	second, err := s.Record(ctx, store.AuditEntry{User: "bob", Agency: "Intelligence", Action: "search", Object: "haddad", Outcome: "ok"})
	if err != nil {
		t.Fatal(err)
	}
	if second.Seq != 2 || second.Prev != first.Hash || second.Hash == first.Hash || time.Since(second.Time) > time.Minute {
		t.Errorf("second entry = %+v, want it chained to %s and timed now", second, first.Hash)
	}

	// Twenty writers at once: every entry is kept, numbered without gaps,
	// and the chain holds.
	const writers = 20
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			user := "ana"
			if i%2 == 1 {
				user = "bob"
			}
			_, err := s.Record(ctx, store.AuditEntry{User: user, Agency: "Police", Action: "read-document", Object: fmt.Sprintf("doc-%d", i), Outcome: "ok"})
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	n, brk, err := s.VerifyAudit(ctx)
	if err != nil || n != writers+2 || brk != nil {
		t.Fatalf("VerifyAudit after concurrent records = %d, %+v, %v; want %d entries and no break", n, brk, err, writers+2)
	}
	all, err := s.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != writers+2 {
		t.Fatalf("AuditLog has %d entries, want %d", len(all), writers+2)
	}
	objects := map[string]bool{}
	for i, e := range all {
		if e.Seq != int64(i+1) || (i > 0 && e.Prev != all[i-1].Hash) {
			t.Errorf("entry %d of the log: seq %d, prev %.8s, the one before's hash %.8s", i, e.Seq, e.Prev, all[max(i-1, 0)].Hash)
		}
		objects[e.Object] = true
	}
	for i := range writers {
		if !objects[fmt.Sprintf("doc-%d", i)] {
			t.Errorf("the record of doc-%d is missing", i)
		}
	}
	if back := all[0]; !back.Time.Equal(first.Time) {
		t.Errorf("the first entry reads back at %v, was recorded at %v", back.Time, first.Time)
	} else if back.Time = first.Time; back != first {
		t.Errorf("the first entry reads back as %+v, was recorded as %+v", back, first)
	}

	bobs, err := s.AuditLog(ctx, store.AuditFilter{User: "bob"})
	if err != nil {
		t.Fatal(err)
	}
	if len(bobs) != 1+writers/2 || bobs[0].Seq != 2 {
		t.Errorf("AuditLog(user bob) = %d entries from %d, want %d from 2", len(bobs), bobs[0].Seq, 1+writers/2)
	}
	for _, e := range bobs {
		if e.User != "bob" {
			t.Errorf("AuditLog(user bob) holds %+v", e)
		}
	}
	since, err := s.AuditLog(ctx, store.AuditFilter{Since: t0.Add(time.Nanosecond)})
	if err != nil {
		t.Fatal(err)
	}
	if len(since) != writers+1 || since[0].Seq != 2 {
		t.Errorf("AuditLog(since just after the first) = %d entries, want %d from 2", len(since), writers+1)
	}
	limited, err := s.AuditLog(ctx, store.AuditFilter{User: "ana", Since: t0, Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(limited) != 3 || limited[0].Seq != 1 || limited[1].User != "ana" || limited[1].Seq >= limited[2].Seq {
		t.Errorf("AuditLog(ana, limit 3) = %+v", limited)
	}

	// An agency's admin reads its entries alone, by action and time,
	// newest first a page at a time.
	last := int64(writers + 2)
	seqs := func(es []store.AuditEntry) []int64 {
		out := []int64{}
		for _, e := range es {
			out = append(out, e.Seq)
		}
		return out
	}
	for _, tc := range []struct {
		name string
		f    store.AuditFilter
		want []int64
	}{
		{"agency", store.AuditFilter{Agency: "Intelligence"}, []int64{2}},
		{"agency and action", store.AuditFilter{Agency: "Police", Action: "login"}, []int64{1}},
		{"other agency's action", store.AuditFilter{Agency: "Police", Action: "search"}, []int64{}},
		{"until just after the first", store.AuditFilter{Until: t0.Add(time.Nanosecond)}, []int64{1}},
		{"until the first", store.AuditFilter{Until: t0}, []int64{}},
		{"newest", store.AuditFilter{Newest: true, Limit: 2}, []int64{last, last - 1}},
		{"newest, next page", store.AuditFilter{Newest: true, After: last - 1, Limit: 2}, []int64{last - 2, last - 3}},
		{"oldest, after", store.AuditFilter{After: last - 2}, []int64{last - 1, last}},
		{"newest of an agency, after", store.AuditFilter{Agency: "Intelligence", Newest: true, After: 2}, []int64{}},
	} {
		got, err := s.AuditLog(ctx, tc.f)
		if err != nil {
			t.Errorf("AuditLog(%s): %v", tc.name, err)
			continue
		}
		if g := seqs(got); fmt.Sprint(g) != fmt.Sprint(tc.want) {
			t.Errorf("AuditLog(%s) = entries %v, want %v", tc.name, g, tc.want)
		}
		for _, e := range got {
			if tc.f.Agency != "" && e.Agency != tc.f.Agency {
				t.Errorf("AuditLog(%s) holds %+v", tc.name, e)
			}
		}
	}
}
