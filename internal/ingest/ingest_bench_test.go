package ingest_test

import (
	"context"
	"path/filepath"
	"testing"

	"mosaic/internal/corpus"
	"mosaic/internal/entity"
	"mosaic/internal/extract"
	"mosaic/internal/extract/ner"
	"mosaic/internal/ingest"
	"mosaic/internal/store/sqlite"
)

// BenchmarkIngest measures the whole pipeline (walk, read, extract, write)
// on 1,000 generated news-length documents per iteration, into a fresh
// store each time. `mosaic bench ingest` measures larger corpora and memory.
func BenchmarkIngest(b *testing.B) { benchmarkIngest(b, false) }

// BenchmarkIngestResolved is BenchmarkIngest with entity resolution, as
// mosaic ingest runs it: the figure issue 15's 600 documents/s is about.
func BenchmarkIngestResolved(b *testing.B) { benchmarkIngest(b, true) }

func benchmarkIngest(b *testing.B, resolve bool) {
	const n = 1000
	files := b.TempDir()
	size, err := corpus.New(1).Write(files, n)
	if err != nil {
		b.Fatal(err)
	}
	// The extractor ingestion really uses: patterns and the NER tagger.
	ex := extract.New(append(extract.Patterns(), ner.Recognizer())...)
	b.SetBytes(size)
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		st, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "db"))
		if err != nil {
			b.Fatal(err)
		}
		opts := options()
		if resolve {
			if opts.Resolver, err = entity.NewResolver(context.Background(), st); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
		stats, err := ingest.Run(context.Background(), st, ex, []string{files}, opts, nil)
		if err != nil || stats.New != n {
			b.Fatalf("ingest: %v, %d new", err, stats.New)
		}
		b.StopTimer()
		st.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
}
