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

// testAddResolved checks that AddResolved stores a batch and its ties in
// one transaction with the outcome of Add followed by ResolveBatch: the
// same profiles (spellings, documents, sentences shared) for two batches
// alike but for their names, one stored each way. A document whose
// content was stored before keeps its mentions as they were, an entity
// only its ties name is not made, and a batch with a bad tie stores
// nothing.
func testAddResolved(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	// One earlier document per side, resolved the old way.
	text := func(a, b string) [3]string {
		return [3]string{a + " was seen in town.", "Officers followed " + a + " and " + b + ". Later " + b + " left.", b + " left by train."}
	}
	two, one := text("Samir Haddad", "Tariq Nasser"), text("Karim Zaidi", "Omar Belkacem")
	old := func(tx [3]string, title string) (mosaic.Document, mosaic.EntityID) {
		t.Helper()
		d := doc(title, tx[0])
		mustAdd(t, s, store.Ingested{Collection: "police", Doc: d, Mentions: []mosaic.Mention{mention(t, tx[0], nameOf(tx[0]), mosaic.Person)}})
		ids, err := s.Resolve(ctx, d.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: nameOf(tx[0])}},
			[]store.Assignment{assign(t, tx[0], nameOf(tx[0]), mosaic.Person, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		return d, ids[0]
	}
	seenTwo, first2 := old(two, "Sighting two")
	seenOne, first1 := old(one, "Sighting one")
	// The batch: the earlier document again (its ties, to an entity only
	// they name, are ignored), then two new documents; the second names
	// the first's new entity.
	batch := func(tx [3]string, seen mosaic.Document, suffix string) ([]store.Ingested, []store.DocAssignments) {
		a, b := nameOf(tx[0]), strings.Fields(tx[2])[0]+" "+strings.Fields(tx[2])[1]
		later := strings.LastIndex(tx[1], b)
		mb2 := mosaic.Mention{Start: later, End: later + len(b), Type: mosaic.Person, Text: b, Sentence: mosaic.Span{Start: strings.Index(tx[1], "Later"), End: len(tx[1])}, Confidence: 0.9}
		m2 := []mosaic.Mention{sentenceOf(t, tx[1], a), sentenceOf(t, tx[1], b), mb2}
		d2, d3 := doc("Surveillance"+suffix, tx[1]), doc("Departure"+suffix, tx[2])
		in := []store.Ingested{
			{Collection: "police", Doc: seen, Mentions: []mosaic.Mention{mention(t, tx[0], a, mosaic.Person)}},
			{Collection: "police", Doc: d2, Mentions: m2},
			{Collection: "police", Doc: d3, Mentions: []mosaic.Mention{mention(t, tx[2], b, mosaic.Person)}},
		}
		return in, []store.DocAssignments{
			{Doc: seen.ID, Assign: []store.Assignment{assign(t, tx[0], a, mosaic.Person, 0, 2)}},
			{Doc: d2.ID, Assign: []store.Assignment{
				{Start: m2[0].Start, End: m2[0].End, Type: mosaic.Person, New: 0, Why: "test"},
				assign(t, tx[1], b, mosaic.Person, 0, 1),
				{Start: mb2.Start, End: mb2.End, Type: mosaic.Person, New: 1, Why: "within"}}},
			{Doc: d3.ID, Assign: []store.Assignment{assign(t, tx[2], b, mosaic.Person, 0, 1)}},
		}
	}
	created := func(tx [3]string) []mosaic.Entity {
		return []mosaic.Entity{{Kind: mosaic.Person, Name: strings.Fields(tx[2])[0] + " " + strings.Fields(tx[2])[1]}, {Kind: mosaic.Person, Name: "Held Only"}}
	}
	in2, ties2 := batch(two, seenTwo, " two")
	ties2[1].Assign[0].Entity = first2
	in1, ties1 := batch(one, seenOne, " one")
	ties1[1].Assign[0].Entity = first1

	// A tie naming a mention that is not there: nothing is stored.
	bad := slices.Clone(ties2)
	bad[2].Assign = []store.Assignment{{Start: 1, End: 3, Type: mosaic.Person, New: 1, Why: "test"}}
	if _, _, err := s.AddResolved(ctx, in2, created(two), bad); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("a tie to no mention: err = %v, want ErrInvalid", err)
	}
	if held, err := s.Holds(ctx, "police", in2[1].Doc.ID); err != nil || held {
		t.Fatalf("after the refused batch the collection holds its document: %v (%v)", held, err)
	}

	// Side two: AddResolved.
	added, ids, err := s.AddResolved(ctx, in2, created(two), ties2)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(added, []store.Added{store.AlreadyHeld, store.NewContent, store.NewContent}) {
		t.Fatalf("AddResolved added %v; want held, new, new", added)
	}
	if len(ids) != 2 || ids[0] == 0 || ids[1] != 0 {
		t.Fatalf("AddResolved made %v; want the new name's entity and none for the one only a held document names", ids)
	}
	if ms, err := s.Mentions(ctx, seenTwo.ID, store.Scope{}); err != nil || ms[0].Entity != first2 {
		t.Fatalf("the held document's mention is tied to %v (%v); want %d as before", ms, err, first2)
	}
	ms, err := s.Mentions(ctx, in2[1].Doc.ID, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	var tiedTo []mosaic.EntityID
	for _, m := range ms {
		tiedTo = append(tiedTo, m.Entity)
	}
	if !slices.Equal(tiedTo, []mosaic.EntityID{first2, ids[0], ids[0]}) {
		t.Fatalf("the new document's mentions are tied to %v; want %v", tiedTo, []mosaic.EntityID{first2, ids[0], ids[0]})
	}
	if un, err := s.Unresolved(ctx, 10); err != nil || len(un) != 0 {
		t.Fatalf("documents left unresolved after AddResolved: %v (%v)", un, err)
	}

	// Side one: Add, then ResolveBatch.
	added1 := mustAdd(t, s, in1...)
	var ties []store.DocAssignments
	for i, d := range ties1 {
		if added1[i] == store.NewContent {
			ties = append(ties, d)
		}
	}
	ids1, err := s.ResolveBatch(ctx, created(one), ties)
	if err != nil {
		t.Fatal(err)
	}

	// Both sides' profiles say the same, names aside.
	shape := func(id mosaic.EntityID) string {
		t.Helper()
		p, err := s.Entity(ctx, id, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, n := range p.Names {
			fmt.Fprintf(&b, "name: %d mentions, %d documents;", n.Mentions, n.DocumentCount)
			for _, d := range n.Documents {
				fmt.Fprintf(&b, " %s", strings.Fields(d.Title)[0])
			}
			b.WriteString("\n")
		}
		for _, c := range p.Connections {
			fmt.Fprintf(&b, "connection: %d sentences\n", c.Sentences)
		}
		return b.String()
	}
	for _, pair := range [][2]mosaic.EntityID{{first2, first1}, {ids[0], ids1[0]}} {
		got, want := shape(pair[0]), shape(pair[1])
		if got != want {
			t.Errorf("profile after AddResolved:\n%s\nafter Add and ResolveBatch:\n%s", got, want)
		}
		if !strings.Contains(got, "connection: 1 sentences") {
			t.Errorf("profile after AddResolved has no connection of one sentence:\n%s", got)
		}
	}
	if got := shape(ids[0]); !strings.Contains(got, "name: 3 mentions, 2 documents; Departure Surveillance") &&
		!strings.Contains(got, "name: 3 mentions, 2 documents; Surveillance Departure") {
		t.Errorf("the new entity's profile:\n%s\nwant its name with 3 mentions in 2 documents", got)
	}
}

// nameOf is the first two words of a text.
func nameOf(text string) string {
	f := strings.Fields(text)
	return f[0] + " " + f[1]
}

// sentenceOf marks the first occurrence of sub in text, in its sentence.
func sentenceOf(t *testing.T, text, sub string) mosaic.Mention {
	t.Helper()
	m := mention(t, text, sub, mosaic.Person)
	end := strings.Index(text[m.Start:], ".") + m.Start + 1
	m.Sentence = mosaic.Span{Start: strings.LastIndex(text[:m.Start], ".") + 1, End: end}
	return m
}
