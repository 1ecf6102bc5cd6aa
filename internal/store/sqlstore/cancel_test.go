package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// TestCancelStopsQuery: a context that ends while a query runs stops it
// inside SQLite (the driver interrupts the statement), so a request whose
// client went away, or whose deadline passed, burns no more CPU. The web
// layer relies on it for every store call (web.Server.RequestTimeout).
func TestCancelStopsQuery(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()

	// A statement that would run for minutes: counting to ten billion.
	t.Run("deadline", func(t *testing.T) {
		ctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
		defer cancel()
		start := time.Now()
		var n int64
		err := s.db.QueryRowContext(ctx, `WITH RECURSIVE c(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM c WHERE i < 10000000000)
			SELECT count(*) FROM c`).Scan(&n)
		took := time.Since(start)
		if err == nil {
			t.Fatalf("the query finished (%d) instead of stopping", n)
		}
		if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(ctx.Err(), context.DeadlineExceeded) {
			t.Errorf("err = %v", err)
		}
		if took > 5*time.Second {
			t.Errorf("the query stopped %v after its deadline of 100ms", took)
		}
		// The connection is usable afterwards.
		if _, err := s.EntityGeneration(context.Background()); err != nil {
			t.Errorf("after an interrupted query: %v", err)
		}
	})

	// A store call cancelled while its rows are being read returns
	// context.Canceled and reads no further.
	t.Run("store call", func(t *testing.T) {
		if _, err := s.EnsureCollection(ctx, "a", "A"); err != nil {
			t.Fatal(err)
		}
		var batch []store.Ingested
		for i := range 300 {
			text := fmt.Sprintf("Person%d spoke.", i)
			d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: text, Text: text, Format: mosaic.FormatText, Source: "x", Size: int64(len(text))}
			end := len(text) - len(" spoke.")
			batch = append(batch, store.Ingested{Collection: "a", Doc: d, Mentions: []mosaic.Mention{{Start: 0, End: end, Type: mosaic.Person,
				Text: text[:end], Sentence: mosaic.Span{Start: 0, End: len(text)}, Confidence: 1}}})
		}
		if _, err := s.Add(ctx, batch); err != nil {
			t.Fatal(err)
		}
		for _, in := range batch {
			m := in.Mentions[0]
			if _, err := s.Resolve(ctx, in.Doc.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: m.Text}},
				[]store.Assignment{{Start: m.Start, End: m.End, Type: m.Type, New: 1}}); err != nil {
				t.Fatal(err)
			}
		}
		ctx, cancel := context.WithCancel(ctx)
		defer cancel()
		seen := 0
		err := s.EntityNames(ctx, func(mosaic.Entity, string) error {
			seen++
			if seen == 1 {
				cancel()
			}
			return nil
		})
		if !errors.Is(err, context.Canceled) {
			t.Errorf("err = %v, want context.Canceled", err)
		}
		if seen >= 300 {
			t.Errorf("the scan read all %d names after its context was cancelled", seen)
		}
	})
}
