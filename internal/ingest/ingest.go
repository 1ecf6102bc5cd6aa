// Package ingest loads files into a store. It walks the paths it is given,
// reads and parses each file and extracts its mentions on a pool of workers,
// and writes the results through a single writer in batched transactions.
// A file is acknowledged only after the transaction holding all of its
// documents has committed, so an acknowledged file survives a crash and an
// unacknowledged one is simply read again by the next run: documents are
// content-addressed, so nothing is stored twice.
//
// Memory stays flat however large the corpus: files stream through bounded
// channels and at most one batch is held for writing.
package ingest

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"time"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/extract"
	"mosaic/internal/store"
)

// Store is what ingestion needs of a store.
type Store interface {
	store.Collections
	store.DocumentWriter
}

// Options configure a run.
type Options struct {
	// Collection receives the documents; it is created for Agency if new,
	// when the first document is stored.
	Collection string
	Agency     string
	// Workers parse and extract in parallel; zero means one per CPU.
	Workers int
	// Limits bound what one file may cost.
	Limits document.Limits
	// BatchDocs and BatchBytes bound a write transaction: it commits when
	// either is reached, or 200 ms after its first file was parsed. Zero
	// means 256 documents and 32 MiB of text.
	BatchDocs  int
	BatchBytes int
	// Resolver, if set, ties the names in each newly stored document to
	// entities, right after the document's batch commits.
	Resolver Resolver
}

// Resolver ties a stored document's names to entities. A document it has
// not reached when a run stops keeps unresolved names, which the next run's
// resolver finds (see entity.Resolver.Pending).
type Resolver interface {
	ResolveDocument(ctx context.Context, d mosaic.Document, ms []mosaic.Mention) error
}

// Outcome is what happened to one file.
type Outcome string

// Outcomes reported for each file.
const (
	// Added: the file's documents are stored and at least one is new to the
	// collection.
	Added Outcome = "added"
	// Held: the collection already held every document of the file.
	Held Outcome = "held"
	// Failed: the file could not be read or parsed; nothing of it is stored.
	Failed Outcome = "failed"
	// Skipped: the file is not a format Mosaic reads (an image, a binary).
	Skipped Outcome = "skipped"
)

// Event reports one file's outcome. Events for Added and Held files are
// sent only once their documents are durable.
type Event struct {
	Path    string  `json:"file"`
	Outcome Outcome `json:"outcome"`
	// Documents is the number of documents read from the file; New the
	// number that were new to the collection.
	Documents int            `json:"documents"`
	New       int            `json:"new"`
	IDs       []mosaic.DocID `json:"ids,omitempty"`
	Bytes     int64          `json:"bytes"`
	Err       error          `json:"-"`
	// Reason is Err's message, for JSON output.
	Reason string `json:"reason,omitempty"`
	// Warnings say what of a stored file its parser read only in part or
	// not as written (mosaic.MetaWarning), once each.
	Warnings []string `json:"warnings,omitempty"`
}

// Stats sums up a run.
type Stats struct {
	Files   int `json:"files"`
	Added   int `json:"added"`
	Held    int `json:"held"`
	Failed  int `json:"failed"`
	Skipped int `json:"skipped"`
	// Warned counts the stored files with warnings.
	Warned    int           `json:"warned"`
	Documents int           `json:"documents"`
	New       int           `json:"new_documents"`
	Mentions  int           `json:"mentions"`
	Bytes     int64         `json:"bytes"`
	Elapsed   time.Duration `json:"elapsed_ns"`
}

func (s *Stats) count(e Event) {
	s.Files++
	switch e.Outcome {
	case Added:
		s.Added++
	case Held:
		s.Held++
	case Failed:
		s.Failed++
	case Skipped:
		s.Skipped++
	}
	if len(e.Warnings) > 0 {
		s.Warned++
	}
	s.Documents += e.Documents
	s.New += e.New
	s.Bytes += e.Bytes
}

// parsed is one file read and extracted, waiting to be written.
type parsed struct {
	path  string
	bytes int64
	docs  []store.Ingested
	err   error
}

// Run ingests paths into the collection, calling report for every file from
// a single goroutine. It returns when every file has been reported, or with
// an error if the store fails or ctx is cancelled; files reported before
// that are durable.
func Run(ctx context.Context, st Store, ex *extract.Extractor, paths []string, opts Options, report func(Event)) (Stats, error) {
	start := time.Now()
	// The collection is made when the first document lands (writer.write),
	// so a run that stores nothing leaves no empty collection behind; a
	// name that cannot be one is refused before any file is read.
	if strings.TrimSpace(opts.Collection) == "" {
		return Stats{}, fmt.Errorf("ingest: %w: no collection name", store.ErrInvalid)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type job struct {
		src document.Source
		err error
	}
	jobs := make(chan job, workers*2)
	results := make(chan parsed, workers*2)
	var walkErr error
	go func() {
		defer close(jobs)
		walkErr = document.Walk(ctx, paths, opts.Limits, func(src document.Source, err error) error {
			select {
			case jobs <- job{src, err}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				p := parsed{path: j.src.Path, bytes: j.src.Size, err: j.err}
				if p.err == nil {
					p.docs, p.err = read(j.src, opts, ex)
				}
				select {
				case results <- p:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	w := writer{st: st, opts: opts, report: report}
	err := w.run(ctx, results)
	cancel()
	for range results { // let the workers finish
	}
	w.stats.Elapsed = time.Since(start)
	if err == nil && walkErr != nil && !errors.Is(walkErr, context.Canceled) {
		err = fmt.Errorf("ingest: %w", walkErr)
	}
	return w.stats, err
}

// read parses one file and extracts the mentions of each of its documents.
func read(src document.Source, opts Options, ex *extract.Extractor) ([]store.Ingested, error) {
	docs, err := document.Read(src, opts.Limits)
	if err != nil {
		return nil, err
	}
	out := make([]store.Ingested, len(docs))
	for i, d := range docs {
		res := ex.Extract(d.Text, d.Date)
		out[i] = store.Ingested{Collection: opts.Collection, Doc: d, Mentions: res.Mentions, Relations: res.Relations}
	}
	return out, nil
}
