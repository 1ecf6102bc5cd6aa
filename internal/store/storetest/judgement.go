package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// testJudgements checks merge, reject, split and confirm: what each does to
// the entities read back, that contradictions are refused transitively,
// that re-processing cannot undo them, and that undo reverts each one.
func testJudgements(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "intel", "Intelligence")
	t1 := "Abu Sulayman sent the note. Abou S. called twice."
	t2 := "Abdelkader Haddouchi lives in Anderlecht."
	t3 := "Abu Sulayman al-Masri spoke in Idlib."
	d1, d2, d3 := doc("Interview", t1), doc("Surveillance", t2), doc("Broadcast", t3)
	at := func(text string, subs ...string) []mosaic.Mention {
		var ms []mosaic.Mention
		for _, sub := range subs {
			m := mention(t, text, sub, mosaic.Person)
			m.Sentence = mosaic.Span{Start: 0, End: len(text)}
			ms = append(ms, m)
		}
		return ms
	}
	mustAdd(t, s,
		store.Ingested{Collection: "police", Doc: d1, Mentions: at(t1, "Abu Sulayman", "Abou S.")},
		store.Ingested{Collection: "intel", Doc: d2, Mentions: at(t2, "Abdelkader Haddouchi")},
		store.Ingested{Collection: "intel", Doc: d3, Mentions: at(t3, "Abu Sulayman al-Masri")})
	resolve := func(d mosaic.Document, name string, subs ...string) mosaic.EntityID {
		t.Helper()
		var as []store.Assignment
		for _, sub := range subs {
			as = append(as, assign(t, d.Text, sub, mosaic.Person, 0, 1))
		}
		ids, err := s.Resolve(ctx, d.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: name}}, as)
		if err != nil {
			t.Fatal(err)
		}
		return ids[0]
	}
	a := resolve(d1, "Abu Sulayman", "Abu Sulayman", "Abou S.")
	b := resolve(d2, "Abdelkader Haddouchi", "Abdelkader Haddouchi")
	c := resolve(d3, "Abu Sulayman al-Masri", "Abu Sulayman al-Masri")
	judge := func(kind store.JudgementKind, e, other mosaic.EntityID, name string) (store.Judgement, error) {
		return s.Judge(ctx, store.Judgement{Kind: kind, Entity: e, Other: other, Name: name, User: "analyst1", Reason: "test " + string(kind)})
	}
	mustJudge := func(kind store.JudgementKind, e, other mosaic.EntityID, name string) store.Judgement {
		t.Helper()
		j, err := judge(kind, e, other, name)
		if err != nil {
			t.Fatalf("%s %d %d %q: %v", kind, e, other, name, err)
		}
		if j.ID <= 0 || j.Made.IsZero() || j.User != "analyst1" || !j.Active() {
			t.Fatalf("judgement as stored: %+v", j)
		}
		return j
	}
	profile := func(id mosaic.EntityID) store.EntityProfile {
		t.Helper()
		p, err := s.Entity(ctx, id, store.Scope{})
		if err != nil {
			t.Fatalf("entity %d: %v", id, err)
		}
		return p
	}
	spellings := func(p store.EntityProfile) string {
		var out []string
		for _, n := range p.Names {
			out = append(out, n.Name)
		}
		slices.Sort(out)
		return strings.Join(out, "|")
	}

	gen0, err := s.EntityGeneration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name      string
		kind      store.JudgementKind
		e, other  mosaic.EntityID
		spelling  string
		user      string
		wantError error
	}{
		{"no user", store.Merge, a, b, "", "", store.ErrInvalid},
		{"unknown kind", "guess", a, b, "", "analyst1", store.ErrInvalid},
		{"merge without other", store.Merge, a, 0, "", "analyst1", store.ErrInvalid},
		{"merge with itself", store.Merge, a, a, "", "analyst1", store.ErrConflict},
		{"unknown entity", store.Merge, a, 987654, "", "analyst1", store.ErrNotFound},
		{"confirm a spelling the entity never uses", store.Confirm, a, 0, "Abu Idris", "analyst1", store.ErrInvalid},
		{"split the only spelling", store.Split, b, 0, "Abdelkader Haddouchi", "analyst1", store.ErrInvalid},
	} {
		_, err := s.Judge(ctx, store.Judgement{Kind: tc.kind, Entity: tc.e, Other: tc.other, Name: tc.spelling, User: tc.user, Reason: "r"})
		if !errors.Is(err, tc.wantError) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.wantError)
		}
	}
	if g, _ := s.EntityGeneration(ctx); g != gen0 {
		t.Errorf("refused judgements changed the generation from %d to %d", gen0, g)
	}

	// Merge: either id reads as one entity, the smaller id, with both names.
	merge := mustJudge(store.Merge, b, a, "")
	if g, _ := s.EntityGeneration(ctx); g == gen0 {
		t.Error("a merge left the entity generation unchanged")
	}
	low, high := min(a, b), max(a, b)
	for _, id := range []mosaic.EntityID{a, b} {
		p := profile(id)
		if p.ID != low || spellings(p) != "Abdelkader Haddouchi|Abou S.|Abu Sulayman" || !slices.Equal(p.Merged, []mosaic.EntityID{high}) {
			t.Errorf("entity %d after merge: id %d, names %s, merged %v", id, p.ID, spellings(p), p.Merged)
		}
		if strings.Join(p.Collections, ",") != "intel,police" {
			t.Errorf("entity %d after merge: collections %v", id, p.Collections)
		}
	}
	names := map[string]mosaic.EntityID{}
	if err := s.EntityNames(ctx, func(e mosaic.Entity, name string) error { names[name] = e.ID; return nil }); err != nil {
		t.Fatal(err)
	}
	if names["Abdelkader Haddouchi"] != low || names["Abu Sulayman"] != low {
		t.Errorf("EntityNames after merge = %v, want every merged name under %d", names, low)
	}

	// Reject is transitive through merges: b is not c, a is b, so a is not c.
	if _, err := judge(store.Reject, a, b, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("rejecting merged entities: err = %v, want ErrConflict", err)
	}
	reject := mustJudge(store.Reject, b, c, "")
	if _, err := judge(store.Merge, a, c, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("merging a with c when a is b and b is not c: err = %v, want ErrConflict", err)
	}

	// Undoing the merge separates them again; the undo is recorded.
	undone, err := s.Undo(ctx, merge.ID, "analyst2", "different men")
	if err != nil {
		t.Fatal(err)
	}
	if undone.Active() || undone.UndoneBy != "analyst2" || undone.UndoReason != "different men" {
		t.Errorf("undone merge = %+v", undone)
	}
	if p := profile(b); p.ID != b || spellings(p) != "Abdelkader Haddouchi" || len(p.Merged) != 0 {
		t.Errorf("entity %d after undoing the merge: id %d, names %s, merged %v", b, p.ID, spellings(p), p.Merged)
	}
	if _, err := s.Undo(ctx, merge.ID, "analyst2", "again"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("undoing twice: err = %v, want ErrConflict", err)
	}
	if _, err := s.Undo(ctx, 987654, "analyst2", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("undoing an unknown judgement: err = %v, want ErrNotFound", err)
	}
	// With the merge undone, a is no longer b, so a may be c.
	merge2 := mustJudge(store.Merge, a, c, "")
	if _, err := s.Undo(ctx, merge2.ID, "analyst1", "too hasty"); err != nil {
		t.Fatal(err)
	}

	// Split: the mentions spelled "Abou S." become a new entity.
	split := mustJudge(store.Split, a, 0, "Abou S.")
	if split.Other == 0 || split.Other == a {
		t.Fatalf("split made entity %d", split.Other)
	}
	if p := profile(a); spellings(p) != "Abu Sulayman" {
		t.Errorf("entity after split: names %s", spellings(p))
	}
	moved := profile(split.Other)
	if spellings(moved) != "Abou S." || len(moved.Names[0].Why) != 1 || !strings.Contains(moved.Names[0].Why[0], "split from entity") ||
		!strings.Contains(moved.Names[0].Why[0], fmt.Sprintf("(judgement %d)", split.ID)) {
		t.Errorf("split entity: %+v", moved.Names)
	}
	// Re-processing the document cannot put the mention back.
	if _, err := s.Resolve(ctx, d1.ID, nil, []store.Assignment{assign(t, t1, "Abou S.", mosaic.Person, a, 0)}); err != nil {
		t.Fatal(err)
	}
	if p := profile(a); spellings(p) != "Abu Sulayman" {
		t.Errorf("re-processing undid a split: names %s", spellings(p))
	}
	// A split is a judgement that the two are different.
	if _, err := judge(store.Merge, split.Other, a, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("merging what a split separated: err = %v, want ErrConflict", err)
	}
	if _, err := s.Undo(ctx, split.ID, "analyst1", "it was him"); err != nil {
		t.Fatal(err)
	}
	if p := profile(a); spellings(p) != "Abou S.|Abu Sulayman" {
		t.Errorf("entity after undoing the split: names %s", spellings(p))
	}
	for _, n := range profile(a).Names {
		if !slices.Equal(n.Why, []string{"test"}) {
			t.Errorf("after undoing the split, %q gives reasons %q, want the original %q", n.Name, n.Why, "test")
		}
	}
	if _, err := s.Entity(ctx, split.Other, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("entity a split made, after undo: err = %v, want ErrNotFound", err)
	}

	// Confirm marks the spelling; undo unmarks it.
	confirm := mustJudge(store.Confirm, a, 0, "Abu Sulayman")
	confirmed := func() bool {
		for _, n := range profile(a).Names {
			if n.Name == "Abu Sulayman" {
				return n.Confirmed
			}
		}
		return false
	}
	if !confirmed() {
		t.Error("a confirmed spelling is not marked")
	}
	if _, err := s.Undo(ctx, confirm.ID, "analyst1", "unsure"); err != nil {
		t.Fatal(err)
	}
	if confirmed() {
		t.Error("an undone confirmation is still marked")
	}

	// The record keeps everything, undone judgements included, newest first.
	js, err := s.Judgements(ctx, a, "")
	if err != nil {
		t.Fatal(err)
	}
	var kinds []string
	for _, j := range js {
		kinds = append(kinds, string(j.Kind))
		if j.ID == reject.ID {
			t.Errorf("judgements of %d include the reject of %d and %d", a, b, c)
		}
	}
	if strings.Join(kinds, ",") != "confirm,split,merge,merge" {
		t.Errorf("judgements of entity %d: %v, want confirm,split,merge,merge", a, kinds)
	}
	all, err := s.Judgements(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 5 || all[0].ID != confirm.ID || all[len(all)-1].ID != merge.ID {
		t.Errorf("all judgements: %d, want 5 newest first", len(all))
	}
	if _, err := s.Judgements(ctx, 987654, ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("judgements of an unknown entity: err = %v, want ErrNotFound", err)
	}
}
