package storetest

import (
	"context"
	"errors"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// testGeneration checks that the entity generation changes with every
// write that can change what a scope shows about entities, a new holding of
// stored content included, and with nothing else.
func testGeneration(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "press", "Press")
	generation := func() int64 {
		t.Helper()
		g, err := s.EntityGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	text := "Samir Haddad was seen in Molenbeek."
	d := doc("Sighting", text)
	ms := []mosaic.Mention{mention(t, text, "Samir Haddad", mosaic.Person)}

	g := generation()
	if added := mustAdd(t, s, store.Ingested{Collection: "police", Doc: d, Mentions: ms}); added[0] != store.NewContent {
		t.Fatalf("first add: %v, want NewContent", added[0])
	}
	if next := generation(); next == g {
		t.Error("new content left the entity generation unchanged")
	} else {
		g = next
	}
	ids, err := s.Resolve(ctx, d.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: "Samir Haddad"}},
		[]store.Assignment{assign(t, text, "Samir Haddad", mosaic.Person, 0, 1)})
	if err != nil {
		t.Fatal(err)
	}
	if next := generation(); next == g {
		t.Error("resolution left the entity generation unchanged")
	} else {
		g = next
	}
	press := store.Scope{Collections: []string{"press"}}
	if _, err := s.Entity(ctx, ids[0], press); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("entity in a collection that holds none of its documents: err = %v, want ErrNotFound", err)
	}

	// Adding what the collection holds already changes nothing.
	if added := mustAdd(t, s, store.Ingested{Collection: "police", Doc: d, Mentions: ms}); added[0] != store.AlreadyHeld {
		t.Fatalf("second add: %v, want AlreadyHeld", added[0])
	}
	if next := generation(); next != g {
		t.Errorf("adding a document the collection held already changed the generation from %d to %d", g, next)
	}
	// A batch that fails changes nothing either.
	other := doc("Other", "Tariq Nasser was seen in Anderlecht.")
	if _, err := s.Add(ctx, []store.Ingested{{Collection: "press", Doc: other}, {Collection: "nowhere", Doc: d}}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("add to an unknown collection: err = %v, want ErrNotFound", err)
	}
	if next := generation(); next != g {
		t.Errorf("a failed add changed the generation from %d to %d", g, next)
	}

	// The same content held by a second collection: no entity changes, but
	// the second collection's scope now shows the entity.
	if added := mustAdd(t, s, store.Ingested{Collection: "press", Doc: d, Mentions: ms}); added[0] != store.NewHolding {
		t.Fatalf("add to a second collection: %v, want NewHolding", added[0])
	}
	if next := generation(); next == g {
		t.Error("a new holding left the entity generation unchanged, though the press scope now shows the entity")
	}
	if _, err := s.Entity(ctx, ids[0], press); err != nil {
		t.Errorf("entity in the collection that now holds its document: %v", err)
	}
}
