package sqlstore

import (
	"context"
	"fmt"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// TestCollectionDocumentsMigration opens a store of the schema before
// collections counted their documents (migration 23 down) and checks that
// the counts are filled from the holdings.
func TestCollectionDocumentsMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	for i, c := range []string{"a", "a", "a", "b", "b"} {
		if _, err := s.EnsureCollection(ctx, c, "A"); err != nil {
			t.Fatal(err)
		}
		text := fmt.Sprintf("Note %d.", i%4) // the last in both
		d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "Note", Text: text, Format: mosaic.FormatText, Source: "n.txt", Size: int64(len(text))}
		if _, err := s.Add(ctx, []store.Ingested{{Collection: c, Doc: d}}); err != nil {
			t.Fatal(err)
		}
	}
	s = reopenFrom(t, s, dir, 22)
	defer s.Close()
	cs, err := s.Collections(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Documents != 3 || cs[1].Documents != 2 {
		t.Errorf("collections after the migration: %+v, want a holding 3 and b 2", cs)
	}
}
