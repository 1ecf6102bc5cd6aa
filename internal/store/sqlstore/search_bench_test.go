package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// BenchmarkSearchLarge times a search whose one hit is a long document
// naming the word on every line (a chat export), which is what a snippet
// costs most on:
//
//	go test ./internal/store/sqlite/ -run '^$' -bench SearchLarge -benchtime 5x
func BenchmarkSearchLarge(b *testing.B) {
	for _, size := range []int{256 << 10, 1 << 20, 4 << 20} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			ctx := context.Background()
			s, _ := chatStore(b, size, "%d: Khalidi wrote to the group again at noon.\n")
			q := search.Parse("khalidi")
			for b.Loop() {
				res, err := s.Search(ctx, store.SearchRequest{Query: q})
				if err != nil || res.Total != 1 || len(res.Hits[0].Highlights) == 0 {
					b.Fatalf("search: %v, %+v", err, res)
				}
			}
		})
	}
}

// chatStore returns a new store holding one document of about size bytes,
// a chat export whose every line is line (given the line's number), in
// the collection "chats", and the document's ID.
func chatStore(b *testing.B, size int, line string) (*Store, mosaic.DocID) {
	b.Helper()
	ctx := context.Background()
	s, err := OpenSQLite(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.EnsureCollection(ctx, "chats", "Bench"); err != nil {
		b.Fatal(err)
	}
	var text strings.Builder
	for i := 0; text.Len() < size; i++ {
		fmt.Fprintf(&text, line, i)
	}
	d := mosaic.Document{ID: mosaic.NewDocID([]byte(text.String())), Title: "Chat", Text: text.String(),
		Format: mosaic.FormatText, Source: "chat.txt", Size: int64(text.Len())}
	if _, err := s.Add(ctx, []store.Ingested{{Collection: "chats", Doc: d}}); err != nil {
		b.Fatal(err)
	}
	return s, d.ID
}
