package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// rulingPairs writes rulings as "a-b same" or "a-b different", in order,
// for comparison with the expectations.
func rulingPairs(js []store.IncidentJudgement) []string {
	out := make([]string, len(js))
	for i, j := range js {
		word := "different"
		if j.Same {
			word = "same"
		}
		out[i] = fmtPair(j.A, j.B) + " " + word
	}
	return out
}

func fmtPair(a, b mosaic.IncidentID) string { return fmt.Sprintf("%d-%d", a, b) }

func mustRulings(t *testing.T, s store.Store, agency string, scope store.Scope) []store.IncidentJudgement {
	t.Helper()
	js, err := s.IncidentJudgements(context.Background(), agency, scope)
	if err != nil {
		t.Fatalf("IncidentJudgements(%q, %+v): %v", agency, scope, err)
	}
	return js
}

func testIncidentJudgements(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "gtd-a", "A")
	mustCollection(t, s, "gtd-b", "B")
	a, b := incidentFixture()
	idsA := mustAddIncidents(t, s, "gtd-a", a)
	idsB := mustAddIncidents(t, s, "gtd-b", b)
	scopeA := store.Scope{Collections: []string{"gtd-a"}, Agency: "A"}
	both := store.Scope{Collections: []string{"gtd-a", "gtd-b"}, Agency: "A"}
	x, y, z := idsA[0], idsA[1], idsA[4]

	// The pair is stored ordered, stamped with an ID and a time, and read
	// back with its words.
	before := time.Now().Add(-time.Second)
	j, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: y, B: x, Same: true, User: "ana", Agency: "A",
		Reason: " the report's bombing is GTD's row 2 "}, scopeA)
	if err != nil {
		t.Fatalf("JudgeIncidents: %v", err)
	}
	if j.A != min(x, y) || j.B != max(x, y) || j.ID == 0 || j.At.Before(before) || !j.Same {
		t.Errorf("ruling returned as %+v: want the pair ordered, an ID and a time", j)
	}
	got := mustRulings(t, s, "A", scopeA)
	if len(got) != 1 || got[0].ID != j.ID || got[0].A != j.A || got[0].B != j.B || !got[0].Same ||
		got[0].User != "ana" || got[0].Agency != "A" || got[0].Reason != "the report's bombing is GTD's row 2" ||
		!got[0].At.Equal(j.At) {
		t.Errorf("rulings read back as %+v, want %+v", got, j)
	}

	// A second pair is listed after the first; a later ruling on the first
	// pair (given in the other order) replaces it and comes last.
	k, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: x, B: z, Same: false, User: "ana", Agency: "A"}, scopeA)
	if err != nil {
		t.Fatal(err)
	}
	if got := rulingPairs(mustRulings(t, s, "A", scopeA)); len(got) != 2 || got[0] != fmtPair(j.A, j.B)+" same" ||
		got[1] != fmtPair(min(x, z), max(x, z))+" different" {
		t.Errorf("two rulings listed as %v", got)
	}
	later, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: x, B: y, Same: false, User: "bo", Agency: "A",
		Reason: "different targets"}, scopeA)
	if err != nil {
		t.Fatal(err)
	}
	if later.ID <= k.ID {
		t.Errorf("the replacing ruling has ID %d, not after %d", later.ID, k.ID)
	}
	got = mustRulings(t, s, "A", scopeA)
	if pairs := rulingPairs(got); len(pairs) != 2 || pairs[0] != fmtPair(min(x, z), max(x, z))+" different" ||
		pairs[1] != fmtPair(j.A, j.B)+" different" {
		t.Errorf("after a later ruling the rulings are %v, want the first pair's replaced and last", pairs)
	} else if got[1].ID != later.ID || got[1].User != "bo" || got[1].Reason != "different targets" {
		t.Errorf("the standing ruling is %+v, want %+v", got[1], later)
	}

	// Another agency's rulings are its own: B sees none of A's, its ruling
	// on the same pair does not replace A's, and A does not see it.
	if got := mustRulings(t, s, "B", store.Scope{}); len(got) != 0 {
		t.Errorf("agency B sees A's rulings: %v", rulingPairs(got))
	}
	if _, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: x, B: y, Same: true, User: "cy", Agency: "B"}, store.Scope{}); err != nil {
		t.Fatal(err)
	}
	if got := rulingPairs(mustRulings(t, s, "A", scopeA)); len(got) != 2 || got[1] != fmtPair(j.A, j.B)+" different" {
		t.Errorf("B's ruling changed A's: %v", got)
	}
	if got := rulingPairs(mustRulings(t, s, "B", store.Scope{})); len(got) != 1 || got[0] != fmtPair(j.A, j.B)+" same" {
		t.Errorf("B's rulings: %v", got)
	}
	if got := mustRulings(t, s, "", store.Scope{}); len(got) != 0 {
		t.Errorf("the command line's agency sees others' rulings: %v", rulingPairs(got))
	}

	// A pair with an incident out of scope is not found, whichever side
	// it is on, and a ruling on it made in a wider scope is not listed in
	// the narrower one.
	outside := idsB[0]
	for _, pair := range [][2]mosaic.IncidentID{{x, outside}, {outside, x}} {
		_, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: pair[0], B: pair[1], Same: true, User: "ana", Agency: "A"}, scopeA)
		if !errors.Is(err, store.ErrNotFound) {
			t.Errorf("ruling on %v with %d out of scope: %v, want ErrNotFound", pair, outside, err)
		}
	}
	if _, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: x, B: 1 << 40, User: "ana", Agency: "A"}, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ruling on an incident never stored: %v, want ErrNotFound", err)
	}
	if _, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: x, B: y, User: "ana", Agency: "A"},
		store.Scope{Collections: []string{}, Agency: "A"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ruling in an empty scope: %v, want ErrNotFound", err)
	}
	wide, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: outside, B: x, Same: true, User: "ana", Agency: "A"}, both)
	if err != nil {
		t.Fatal(err)
	}
	if got := mustRulings(t, s, "A", scopeA); len(got) != 2 {
		t.Errorf("a ruling with an incident out of scope is listed: %v", rulingPairs(got))
	}
	if got := mustRulings(t, s, "A", both); len(got) != 3 || got[2].ID != wide.ID {
		t.Errorf("in the wider scope the rulings are %v, want the cross-collection one too", rulingPairs(got))
	}
	if got := mustRulings(t, s, "A", store.Scope{Collections: []string{}, Agency: "A"}); len(got) != 0 {
		t.Errorf("an empty scope lists %v", rulingPairs(got))
	}

	// Invalid rulings: an incident with itself, a zero ID.
	for _, bad := range []store.IncidentJudgement{{A: x, B: x}, {A: 0, B: x}, {A: x, B: 0}, {}} {
		bad.User, bad.Agency = "ana", "A"
		if _, err := s.JudgeIncidents(ctx, bad, scopeA); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("ruling on %d and %d: %v, want ErrInvalid", bad.A, bad.B, err)
		}
	}
	if got := mustRulings(t, s, "A", both); len(got) != 3 {
		t.Errorf("refused rulings changed the list: %v", rulingPairs(got))
	}

	// A collection deleted takes its incidents' rulings with it, and an
	// incident made again does not inherit them.
	if _, err := s.DeleteCollection(ctx, "gtd-b", "admin", "test of rulings leaving"); err != nil {
		t.Fatal(err)
	}
	if got := mustRulings(t, s, "A", store.Scope{Agency: "A"}); len(got) != 2 {
		t.Errorf("after gtd-b left, rulings %v, want A's two on gtd-a", rulingPairs(got))
	}
	if _, err := s.DeleteCollection(ctx, "gtd-a", "admin", "test of rulings leaving"); err != nil {
		t.Fatal(err)
	}
	for _, agency := range []string{"A", "B"} {
		if got := mustRulings(t, s, agency, store.Scope{}); len(got) != 0 {
			t.Errorf("after gtd-a left, agency %s has rulings %v", agency, rulingPairs(got))
		}
	}
	mustCollection(t, s, "gtd-a", "A")
	fresh := mustAddIncidents(t, s, "gtd-a", a[:2])
	if _, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: fresh[0], B: fresh[1], Same: true, Agency: "A"}, scopeA); err != nil {
		t.Fatal(err)
	}
	if got := mustRulings(t, s, "A", scopeA); len(got) != 1 || got[0].A != min(fresh[0], fresh[1]) {
		t.Errorf("the new collection's rulings: %v", rulingPairs(got))
	}
}
