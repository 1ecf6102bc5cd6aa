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

// BenchmarkSearchLongRuns times a search that ranks the newest 10,000 of
// its matches on a store whose runs are as an earlier release wrote them
// (one run a token a write, however many documents it holds) and as they
// are written now (runs of runMaxDocs): 131,072 documents written at once,
// then 40,960, one word in every document, another in one of five. The
// newest 10,000 matches are the last 50,000 documents, of which the first
// write holds 9,000: an earlier release read its runs whole to rank them.
//
//	go test ./internal/store/sqlstore -run '^$' -bench SearchLongRuns -benchtime 20x
func BenchmarkSearchLongRuns(b *testing.B) {
	for _, c := range []struct {
		name    string
		maxDocs int
	}{{"one run", 1 << 30}, {"runs of 4096", runMaxDocs}} {
		b.Run(c.name, func(b *testing.B) {
			ctx := context.Background()
			s, err := OpenSQLite(ctx, b.TempDir())
			if err != nil {
				b.Fatal(err)
			}
			defer s.Close()
			if _, err := s.EnsureCollection(ctx, "wire", "Bench"); err != nil {
				b.Fatal(err)
			}
			before := runMaxDocs
			runMaxDocs = c.maxDocs
			defer func() { runMaxDocs = before }()
			const first, second = 131072, 40960
			for _, w := range [][2]int{{0, first}, {first, first + second}} {
				var batch []store.Ingested
				for i := w[0]; i < w[1]; i++ {
					text := fmt.Sprintf("Item %d: the courier crossed at the northern post.", i)
					if i%5 == 0 {
						text += " A falcon was seen."
					}
					batch = append(batch, store.Ingested{Collection: "wire", Doc: mosaic.Document{ID: mosaic.NewDocID([]byte(text)),
						Title: "Wire item", Text: text, Format: mosaic.FormatText, Size: int64(len(text))}})
				}
				if _, err = s.Add(ctx, batch); err != nil {
					b.Fatal(err)
				}
			}
			runMaxDocs = before
			q := search.Parse("courier falcon")
			b.ResetTimer()
			for b.Loop() {
				res, err := s.Search(ctx, store.SearchRequest{Query: q, Limit: 20})
				if err != nil || res.Total != (first+second+4)/5 || len(res.Hits) != 20 {
					b.Fatalf("search: %v, %d matches, %d hits", err, res.Total, len(res.Hits))
				}
			}
		})
	}
}
