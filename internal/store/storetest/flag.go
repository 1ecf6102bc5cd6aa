package storetest

import (
	"context"
	"errors"
	"slices"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// testFlags checks flag judgements: only a person may be flagged, and only
// once while the flag is in force (through merges too); Flagged reads each
// flag as the entity reads after merges; undo lifts a flag; the record
// keeps it like any judgement.
func testFlags(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	text := "Samir Haddad met Samir Hadad and Tariq Nasser of Ansar al-Thughur."
	d := doc("Flag report", text)
	ms := []mosaic.Mention{
		mention(t, text, "Samir Haddad", mosaic.Person),
		mention(t, text, "Samir Hadad", mosaic.Person),
		mention(t, text, "Tariq Nasser", mosaic.Person),
		mention(t, text, "Ansar al-Thughur", mosaic.Org),
	}
	mustAdd(t, s, store.Ingested{Collection: "police", Doc: d, Mentions: ms})
	created := []mosaic.Entity{
		{Kind: mosaic.Person, Name: "Samir Haddad"},
		{Kind: mosaic.Person, Name: "Samir Hadad"},
		{Kind: mosaic.Person, Name: "Tariq Nasser"},
		{Kind: mosaic.Org, Name: "Ansar al-Thughur"},
	}
	ids, err := s.Resolve(ctx, d.ID, created, []store.Assignment{
		assign(t, text, "Samir Haddad", mosaic.Person, 0, 1),
		assign(t, text, "Samir Hadad", mosaic.Person, 0, 2),
		assign(t, text, "Tariq Nasser", mosaic.Person, 0, 3),
		assign(t, text, "Ansar al-Thughur", mosaic.Org, 0, 4),
	})
	if err != nil {
		t.Fatal(err)
	}
	a, b, c, org := ids[0], ids[1], ids[2], ids[3]
	judge := func(kind store.JudgementKind, e, other mosaic.EntityID, name string) (store.Judgement, error) {
		return s.Judge(ctx, store.Judgement{Kind: kind, Entity: e, Other: other, Name: name, User: "analyst1", Reason: "watch " + string(kind)})
	}
	flagged := func() []mosaic.EntityID {
		t.Helper()
		fs, err := s.Flagged(ctx, "")
		if err != nil {
			t.Fatal(err)
		}
		return fs
	}
	// sorted is the ids in the order Flagged returns them.
	sorted := func(ids ...mosaic.EntityID) []mosaic.EntityID {
		slices.Sort(ids)
		return ids
	}
	if fs := flagged(); len(fs) != 0 {
		t.Errorf("Flagged on a store without flags = %v", fs)
	}

	for _, tc := range []struct {
		name      string
		e, other  mosaic.EntityID
		spelling  string
		wantError error
	}{
		{"an organisation", org, 0, "", store.ErrInvalid},
		{"with another entity", a, b, "", store.ErrInvalid},
		{"with a name", a, 0, "Samir Haddad", store.ErrInvalid},
		{"an unknown entity", 987654, 0, "", store.ErrNotFound},
	} {
		if _, err := judge(store.Flag, tc.e, tc.other, tc.spelling); !errors.Is(err, tc.wantError) {
			t.Errorf("flag %s: err = %v, want %v", tc.name, err, tc.wantError)
		}
	}
	if fs := flagged(); len(fs) != 0 {
		t.Errorf("refused flags are in force: %v", fs)
	}

	// A flag is recorded like any judgement, with no other entity or name.
	gen, err := s.EntityGeneration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	fa, err := judge(store.Flag, a, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if fa.ID <= 0 || fa.Kind != store.Flag || fa.Entity != a || fa.Other != 0 || fa.Name != "" || fa.User != "analyst1" || fa.Made.IsZero() || !fa.Active() {
		t.Errorf("flag as stored: %+v", fa)
	}
	if g, _ := s.EntityGeneration(ctx); g == gen {
		t.Error("a flag left the entity generation unchanged")
	}
	if fs := flagged(); !slices.Equal(fs, []mosaic.EntityID{a}) {
		t.Errorf("Flagged = %v, want [%d]", fs, a)
	}
	if _, err := judge(store.Flag, a, 0, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("flagging a flagged entity again: err = %v, want ErrConflict", err)
	}
	fc, err := judge(store.Flag, c, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if fs := flagged(); !slices.Equal(fs, sorted(a, c)) {
		t.Errorf("Flagged = %v, want %d and %d in order", fs, a, c)
	}

	// A flag follows its entity into a merge: it is the merged entity that
	// is flagged, so flagging the other member is a second flag on it.
	merge, err := judge(store.Merge, b, a, "")
	if err != nil {
		t.Fatal(err)
	}
	root := min(a, b)
	if fs := flagged(); !slices.Equal(fs, sorted(root, c)) {
		t.Errorf("Flagged after merging %d into %d = %v, want %d and %d", a, b, fs, root, c)
	}
	if _, err := judge(store.Flag, b, 0, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("flagging an entity merged with a flagged one: err = %v, want ErrConflict", err)
	}
	// The flag is among the judgements of every member of the group.
	for _, id := range []mosaic.EntityID{a, b} {
		js, err := s.Judgements(ctx, id, "")
		if err != nil {
			t.Fatal(err)
		}
		if !slices.ContainsFunc(js, func(j store.Judgement) bool { return j.ID == fa.ID && j.Kind == store.Flag }) {
			t.Errorf("judgements of %d lack the flag %d: %+v", id, fa.ID, js)
		}
	}
	// Undoing the merge leaves the flag with the entity it was made on.
	if _, err := s.Undo(ctx, merge.ID, "analyst2", "two men"); err != nil {
		t.Fatal(err)
	}
	if fs := flagged(); !slices.Equal(fs, sorted(a, c)) {
		t.Errorf("Flagged after undoing the merge = %v, want %d and not %d", fs, a, b)
	}
	fb, err := judge(store.Flag, b, 0, "")
	if err != nil {
		t.Errorf("flagging %d once the merge with flagged %d is undone: %v", b, a, err)
	}
	// Two flagged entities merged read as one flagged entity.
	if _, err := judge(store.Merge, a, b, ""); err != nil {
		t.Fatal(err)
	}
	if fs := flagged(); !slices.Equal(fs, sorted(root, c)) {
		t.Errorf("Flagged with two flags on one merged entity = %v, want %d and %d once each", fs, root, c)
	}

	// Undo lifts a flag, and the record keeps it.
	gen, _ = s.EntityGeneration(ctx)
	undone, err := s.Undo(ctx, fc.ID, "analyst2", "no longer of interest")
	if err != nil {
		t.Fatal(err)
	}
	if undone.Active() || undone.Kind != store.Flag || undone.UndoneBy != "analyst2" {
		t.Errorf("undone flag = %+v", undone)
	}
	if g, _ := s.EntityGeneration(ctx); g == gen {
		t.Error("undoing a flag left the entity generation unchanged")
	}
	if fs := flagged(); !slices.Equal(fs, []mosaic.EntityID{root}) {
		t.Errorf("Flagged after undoing the flag on %d = %v, want [%d]", c, fs, root)
	}
	if _, err := s.Undo(ctx, fc.ID, "analyst2", "again"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("undoing a flag twice: err = %v, want ErrConflict", err)
	}
	js, err := s.Judgements(ctx, c, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(js) != 1 || js[0].ID != fc.ID || js[0].Kind != store.Flag || js[0].Active() {
		t.Errorf("judgements of %d = %+v, want the undone flag", c, js)
	}
	// With its flag undone, the entity may be flagged again.
	if _, err := judge(store.Flag, c, 0, ""); err != nil {
		t.Errorf("flagging again after an undo: %v", err)
	}

	// Every judgement lists the flags, newest first.
	all, err := s.Judgements(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	var flags []int64
	for _, j := range all {
		if j.Kind == store.Flag {
			flags = append(flags, j.ID)
		}
	}
	if len(flags) != 4 || flags[1] != fb.ID || flags[2] != fc.ID || flags[3] != fa.ID {
		t.Errorf("flags among all judgements = %v, want 4 newest first ending %d, %d, %d", flags, fb.ID, fc.ID, fa.ID)
	}
}
