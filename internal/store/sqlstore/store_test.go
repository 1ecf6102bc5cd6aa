package sqlstore_test

import (
	"context"
	"testing"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
	"mosaic/internal/store/storetest"
)

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		s, err := sqlite.Open(context.Background(), t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}

// TestReopen checks that what one process stored is there for the next, and
// that opening an up-to-date database again runs no migration twice.
func TestReopen(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureCollection(ctx, "reports", "Police"); err != nil {
		t.Fatal(err)
	}
	d := mosaic.Document{ID: mosaic.NewDocID([]byte("x")), Title: "Kept", Text: "A durable report about Oudenaarde.", Format: mosaic.FormatText, Source: "kept.txt"}
	if _, err := s.Add(ctx, []store.Ingested{{Collection: "reports", Doc: d}}); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("oudenaarde")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != d.ID {
		t.Errorf("after reopening: %+v", res)
	}
}
