package entity_test

import (
	"context"
	"testing"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// TestFlagsLeaveResolutionAlone: a flag says "watch this person", nothing
// about names. Flagged entities are still proposed as the same, a reloaded
// resolver gives a flag no spelling, and new documents resolve as before.
func TestFlagsLeaveResolutionAlone(t *testing.T) {
	ctx := context.Background()
	c := newCorpus(t)
	full := c.add("Idris Kallweit was seen in Leeds.", "PERSON:Idris Kallweit")[0]
	bare := c.add("Kallweit was seen in Hull.", "PERSON:Kallweit")[0]
	if full == 0 || bare == 0 || full == bare {
		t.Fatalf("fixture: entities %d and %d, want two", full, bare)
	}
	for _, id := range []mosaic.EntityID{full, bare} {
		if _, err := c.st.Judge(ctx, store.Judgement{Kind: store.Flag, Entity: id, User: "analyst1", Reason: "watch"}); err != nil {
			t.Fatal(err)
		}
	}
	f := entity.NewFinder(c.st)
	ps, err := f.Proposals(ctx, full, store.Scope{}, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(ps) != 1 || ps[0].ID != bare {
		t.Errorf("proposals for flagged %d: %+v, want flagged %d", full, ps, bare)
	}
	cs, err := f.Find(ctx, "Idris Kallweit", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 1 || mosaic.EntityID(cs[0].ID) != full {
		t.Errorf("Find with flags in force: %+v, want %d", cs, full)
	}
	r, err := entity.NewResolver(ctx, c.st)
	if err != nil {
		t.Fatal(err)
	}
	c.r = r
	if x := c.add("Tariq Nasser spoke to Kallweit's lawyer.", "PERSON:Tariq Nasser"); x[0] == 0 || x[0] == full || x[0] == bare {
		t.Errorf("a new name after flags resolved to entity %d (flagged: %d, %d)", x[0], full, bare)
	}
}
