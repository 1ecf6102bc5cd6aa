package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// testResolveBatch checks that ResolveBatch ties several documents in one
// transaction: a document ties a mention to an entity an earlier document
// of the batch created, an entity no mention is tied to is not created,
// and a batch with one bad assignment stores none of it.
func testResolveBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	t1 := "Samir Haddad was seen in Molenbeek."
	t2 := "Officers followed Samir Haddad and Tariq Nasser."
	t3 := "Tariq Nasser left by train."
	d1, d2, d3 := doc("Sighting", t1), doc("Surveillance", t2), doc("Departure", t3)
	mustAdd(t, s,
		store.Ingested{Collection: "police", Doc: d1, Mentions: []mosaic.Mention{mention(t, t1, "Samir Haddad", mosaic.Person)}},
		store.Ingested{Collection: "police", Doc: d2, Mentions: []mosaic.Mention{mention(t, t2, "Samir Haddad", mosaic.Person), mention(t, t2, "Tariq Nasser", mosaic.Person)}},
		store.Ingested{Collection: "police", Doc: d3, Mentions: []mosaic.Mention{mention(t, t3, "Tariq Nasser", mosaic.Person)}})
	created := []mosaic.Entity{{Kind: mosaic.Person, Name: "Samir Haddad"}, {Kind: mosaic.Person, Name: "Tariq Nasser"}, {Kind: mosaic.Person, Name: "Nobody Tied"}}

	// A bad assignment (no such mention) in the last document: nothing of
	// the batch is stored.
	bad := assign(t, t3, "Tariq Nasser", mosaic.Person, 0, 2)
	bad.Start++
	_, err := s.ResolveBatch(ctx, created, []store.DocAssignments{
		{Doc: d1.ID, Assign: []store.Assignment{assign(t, t1, "Samir Haddad", mosaic.Person, 0, 1)}},
		{Doc: d3.ID, Assign: []store.Assignment{bad}},
	})
	if !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("batch with a mention that does not exist: err = %v, want ErrInvalid", err)
	}
	if ms, err := s.Mentions(ctx, d1.ID, store.Scope{}); err != nil || ms[0].Entity != 0 {
		t.Fatalf("after the failed batch, the first document's mention is tied to %d (err %v); want untied", ms[0].Entity, err)
	}
	unknown := mosaic.NewDocID([]byte("never stored"))
	if _, err := s.ResolveBatch(ctx, created, []store.DocAssignments{{Doc: unknown}}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("batch naming an unknown document: err = %v, want ErrNotFound", err)
	}

	ids, err := s.ResolveBatch(ctx, created, []store.DocAssignments{
		{Doc: d1.ID, Assign: []store.Assignment{assign(t, t1, "Samir Haddad", mosaic.Person, 0, 1)}},
		// The second document's names go to the entities the batch makes:
		// Haddad's made by the first document, Nasser's by itself.
		{Doc: d2.ID, Assign: []store.Assignment{assign(t, t2, "Samir Haddad", mosaic.Person, 0, 1), assign(t, t2, "Tariq Nasser", mosaic.Person, 0, 2)}},
		{Doc: d3.ID, Assign: []store.Assignment{assign(t, t3, "Tariq Nasser", mosaic.Person, 0, 2)}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 || ids[0] == 0 || ids[1] == 0 || ids[0] == ids[1] || ids[2] != 0 {
		t.Fatalf("ResolveBatch made %v; want two new entities and none for the name no mention is tied to", ids)
	}
	docsOf := func(id mosaic.EntityID) []string {
		t.Helper()
		p, err := s.Entity(ctx, id, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, n := range p.Names {
			for _, d := range n.Documents {
				titles = append(titles, d.Title)
			}
		}
		slices.Sort(titles)
		return slices.Compact(titles)
	}
	if got := docsOf(ids[0]); !slices.Equal(got, []string{"Sighting", "Surveillance"}) {
		t.Errorf("Haddad's documents: %q, want Sighting and Surveillance", got)
	}
	if got := docsOf(ids[1]); !slices.Equal(got, []string{"Departure", "Surveillance"}) {
		t.Errorf("Nasser's documents: %q, want Departure and Surveillance", got)
	}
	// Again: every mention is tied, and keeps its entity.
	again, err := s.ResolveBatch(ctx, created[:1], []store.DocAssignments{
		{Doc: d1.ID, Assign: []store.Assignment{assign(t, t1, "Samir Haddad", mosaic.Person, 0, 1)}},
	})
	if err != nil || again[0] != 0 {
		t.Fatalf("resolving tied mentions again: %v, %v; want no new entity", again, err)
	}
	if ms, _ := s.Mentions(ctx, d1.ID, store.Scope{}); ms[0].Entity != ids[0] {
		t.Errorf("the first document's mention is tied to %d after a second batch, want %d", ms[0].Entity, ids[0])
	}
}

// testSpellingDocuments checks a spelling's count of documents when a
// document ties it for two reasons (one statement writes both rows of
// its tallies): the document counts once, as it did before, and once it
// leaves, it counts no more.
func testSpellingDocuments(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "press", "Press")
	t1 := "Samir Haddad was seen. Later Samir Haddad left."
	t2 := "Samir Haddad called."
	d1, d2 := doc("Twice", t1), doc("Once", t2)
	m1 := mention(t, t1, "Samir Haddad", mosaic.Person)
	m2 := m1
	m2.Start, m2.End = strings.LastIndex(t1, "Samir Haddad"), strings.LastIndex(t1, "Samir Haddad")+len("Samir Haddad")
	mustAdd(t, s, store.Ingested{Collection: "police", Doc: d1, Mentions: []mosaic.Mention{m1, m2}},
		store.Ingested{Collection: "press", Doc: d2, Mentions: []mosaic.Mention{mention(t, t2, "Samir Haddad", mosaic.Person)}})
	a2 := store.Assignment{Start: m2.Start, End: m2.End, Type: mosaic.Person, New: 1, Why: "another reason"}
	ids, err := s.ResolveBatch(ctx, []mosaic.Entity{{Kind: mosaic.Person, Name: "Samir Haddad"}}, []store.DocAssignments{
		{Doc: d1.ID, Assign: []store.Assignment{assign(t, t1, "Samir Haddad", mosaic.Person, 0, 1), a2}},
	})
	if err != nil {
		t.Fatal(err)
	}
	count := func(scope store.Scope) int {
		t.Helper()
		p, err := s.Entity(ctx, ids[0], scope)
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range p.Names {
			if n.Name == "Samir Haddad" {
				return n.DocumentCount
			}
		}
		return 0
	}
	if n := count(store.Scope{}); n != 1 {
		t.Errorf("a document tying the spelling for two reasons counts %d documents, want 1", n)
	}
	if _, err := s.Resolve(ctx, d2.ID, nil, []store.Assignment{assign(t, t2, "Samir Haddad", mosaic.Person, ids[0], 0)}); err != nil {
		t.Fatal(err)
	}
	if n := count(store.Scope{}); n != 2 {
		t.Errorf("with a second document: %d documents, want 2", n)
	}
	if _, err := s.DeleteCollection(ctx, "police", "test", "test"); err != nil {
		t.Fatal(err)
	}
	if n := count(store.Scope{}); n != 1 {
		t.Errorf("after the first document left: %d documents, want 1", n)
	}
}
