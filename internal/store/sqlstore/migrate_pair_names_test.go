package sqlstore

import (
	"context"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// TestPairNameMigration: a store written before pair totals kept a name
// gets each pair's fullest name when it is opened, so a profile's
// connections read as they did (from the shared sentences).
func TestPairNameMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureCollection(ctx, "a", "A"); err != nil {
		t.Fatal(err)
	}
	var ferhat mosaic.EntityID
	for i, other := range []string{"Karim Benali", "Karim Benali-Haddad", "K. Benali"} {
		text := "Nadia Ferhat met " + other + "."
		ms := []mosaic.Mention{
			{Start: 0, End: 12, Type: mosaic.Person, Text: "Nadia Ferhat", Confidence: 1, Sentence: mosaic.Span{End: len(text)}},
			{Start: 17, End: 17 + len(other), Type: mosaic.Person, Text: other, Confidence: 1, Sentence: mosaic.Span{End: len(text)}}}
		d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "Note", Text: text, Format: mosaic.FormatText, Source: "n.txt", Size: int64(len(text))}
		if _, err := s.Add(ctx, []store.Ingested{{Collection: "a", Doc: d, Mentions: ms}}); err != nil {
			t.Fatal(err)
		}
		assign := []store.Assignment{{Start: 0, End: 12, Type: mosaic.Person, New: 1}, {Start: 17, End: 17 + len(other), Type: mosaic.Person, New: 2}}
		created := []mosaic.Entity{{Kind: mosaic.Person, Name: "Nadia Ferhat"}, {Kind: mosaic.Person, Name: "Karim Benali"}}
		if i > 0 {
			assign[0] = store.Assignment{Start: 0, End: 12, Type: mosaic.Person, Entity: ferhat}
			assign[1] = store.Assignment{Start: 17, End: 17 + len(other), Type: mosaic.Person, Entity: ferhat + 1}
			created = nil
		}
		ids, err := s.Resolve(ctx, d.ID, created, assign)
		if err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			ferhat = ids[0]
		}
	}
	// Back to the schema before the pair totals' names, as the last
	// release left it.
	s = reopenFrom(t, s, dir, 19)
	defer s.Close()
	p, err := s.Entity(ctx, ferhat, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Connections) != 1 || p.Connections[0].Name != "Karim Benali-Haddad" || p.Connections[0].Sentences != 3 {
		t.Errorf("connections after the migration: %+v, want Karim Benali-Haddad in 3 sentences", p.Connections)
	}
}
