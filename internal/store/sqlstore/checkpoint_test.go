package sqlstore

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// TestBackgroundCheckpoint adds a document of 2 MB, far less than the log
// a commit checkpoints itself (autoCheckpointPages): the store's own
// checkpoint must fold it into the database file within a few seconds,
// while the store stays open. Closing the store twice is harmless.
func TestBackgroundCheckpoint(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureCollection(ctx, "c", "A"); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for i := 0; b.Len() < 2<<20; i++ {
		fmt.Fprintf(&b, "word%d ", i%97)
	}
	text := b.String()
	if 2<<20 >= autoCheckpointPages*4096 {
		t.Fatal("the document would take the log past the commits' own checkpoint")
	}
	d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "Long", Text: text, Format: mosaic.FormatText, Source: "long.txt"}
	if _, err := s.Add(ctx, []store.Ingested{{Collection: "c", Doc: d}}); err != nil {
		t.Fatal(err)
	}
	main := filepath.Join(dir, FileName)
	deadline := time.Now().Add(3 * checkpointEvery)
	for {
		st, err := os.Stat(main)
		if err != nil {
			t.Fatal(err)
		}
		if st.Size() >= 2<<20 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the database file holds %d bytes %s after the commit: the log was not checkpointed", st.Size(), 3*checkpointEvery)
		}
		time.Sleep(20 * time.Millisecond)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}
