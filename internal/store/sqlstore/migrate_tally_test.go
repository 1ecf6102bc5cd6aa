package sqlstore

import (
	"context"
	"fmt"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// TestTallyMigration: a database resolved before the tallies existed gets
// them counted when it is opened, so its profiles read as they did.
func TestTallyMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureCollection(ctx, "a", "A"); err != nil {
		t.Fatal(err)
	}
	text := "Karim Benali met Nadia Ferhat. Benali left with Omar Haddad."
	at := func(sub string, from, sent, end int) mosaic.Mention {
		i := from
		for text[i:i+len(sub)] != sub {
			i++
		}
		return mosaic.Mention{Start: i, End: i + len(sub), Type: mosaic.Person, Text: sub, Confidence: 1, Sentence: mosaic.Span{Start: sent, End: end}}
	}
	ms := []mosaic.Mention{at("Karim Benali", 0, 0, 30), at("Nadia Ferhat", 0, 0, 30), at("Benali", 31, 31, len(text)), at("Omar Haddad", 31, 31, len(text))}
	d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "Note", Text: text, Format: mosaic.FormatText, Source: "n.txt", Size: int64(len(text))}
	if _, err := s.Add(ctx, []store.Ingested{{Collection: "a", Doc: d, Mentions: ms}}); err != nil {
		t.Fatal(err)
	}
	ids, err := s.Resolve(ctx, d.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: "Karim Benali"}, {Kind: mosaic.Person, Name: "Nadia Ferhat"}, {Kind: mosaic.Person, Name: "Omar Haddad"}},
		[]store.Assignment{{Start: ms[0].Start, End: ms[0].End, Type: mosaic.Person, New: 1}, {Start: ms[1].Start, End: ms[1].End, Type: mosaic.Person, New: 2},
			{Start: ms[2].Start, End: ms[2].End, Type: mosaic.Person, New: 1}, {Start: ms[3].Start, End: ms[3].End, Type: mosaic.Person, New: 3}})
	if err != nil {
		t.Fatal(err)
	}
	before, err := s.Entity(ctx, ids[0], store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	// Back to the schema before the tallies, as an older release left it.
	s = reopenFrom(t, s, dir, 8)
	defer s.Close()
	after, err := s.Entity(ctx, ids[0], store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(after) != fmt.Sprint(before) || len(after.Names) != 2 || len(after.Connections) != 2 {
		t.Errorf("profile after counting the tallies on open:\n%+v\nbefore:\n%+v", after, before)
	}
	var pending int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM tallies_pending`).Scan(&pending); err != nil || pending != 0 {
		t.Errorf("%d documents still pending (%v)", pending, err)
	}
}
