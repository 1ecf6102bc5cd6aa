package sqlstore

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// benchVocabulary is the words benchDoc draws from: enough that prefix
// queries expand to several words and a word is in a fraction of texts.
var benchVocabulary = func() []string {
	r := rand.New(rand.NewPCG(1, 2))
	words := make([]string, 5000)
	for i := range words {
		var b strings.Builder
		for range 4 + r.IntN(6) {
			b.WriteByte(byte('a' + r.IntN(26)))
		}
		words[i] = b.String()
	}
	return words
}()

// benchDoc is a report of about 4 KB: words of benchVocabulary, with a
// recurring phrase in every tenth.
func benchDoc(r *rand.Rand, i int) mosaic.Document {
	var b strings.Builder
	for b.Len() < 4<<10 {
		b.WriteString(benchVocabulary[r.IntN(len(benchVocabulary))])
		b.WriteByte(' ')
	}
	if i%10 == 0 {
		b.WriteString("the courier met the handler at noon. ")
	}
	text := fmt.Sprintf("Report %d. %s", i, b.String())
	return mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: fmt.Sprintf("Report %d", i), Text: text,
		Format: mosaic.FormatText, Size: int64(len(text))}
}

// BenchmarkAdd times adding a batch of 100 reports of 4 KB, in clear
// before encryption at rest and sealed and tokenised after it:
//
//	go test ./internal/store/sqlite -run XXX -bench 'Search|Add' -benchtime 5x
func BenchmarkAdd(b *testing.B) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.EnsureCollection(ctx, "reports", "Bench"); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 4))
	n := 0
	for b.Loop() {
		batch := make([]store.Ingested, 100)
		for i := range batch {
			batch[i] = store.Ingested{Collection: "reports", Doc: benchDoc(r, n)}
			n++
		}
		if _, err := s.Add(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSearchReports times a page of 20 hits, with snippets, among
// 5,000 reports, for a word, a phrase and a prefix.
func BenchmarkSearchReports(b *testing.B) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.EnsureCollection(ctx, "reports", "Bench"); err != nil {
		b.Fatal(err)
	}
	r := rand.New(rand.NewPCG(5, 6))
	for k := 0; k < 5000; k += 500 {
		batch := make([]store.Ingested, 500)
		for i := range batch {
			batch[i] = store.Ingested{Collection: "reports", Doc: benchDoc(r, k+i)}
		}
		if _, err := s.Add(ctx, batch); err != nil {
			b.Fatal(err)
		}
	}
	for _, q := range []string{benchVocabulary[7], `"courier met the handler"`, benchVocabulary[9][:2] + "*"} {
		b.Run(strings.Trim(q, `"*`), func(b *testing.B) {
			query := search.Parse(q)
			for b.Loop() {
				res, err := s.Search(ctx, store.SearchRequest{Query: query})
				if err != nil || res.Total == 0 {
					b.Fatalf("search %s: %v, %d found", q, err, res.Total)
				}
			}
		})
	}
}
