// Package ingest loads files into a store. It walks the paths it is given,
// reads and parses each file and extracts its mentions on a pool of workers,
// and writes the results through a single writer in batched transactions.
// A file is acknowledged only after the transaction holding the last of its
// documents has committed, so an acknowledged file survives a crash and an
// unacknowledged one is simply read again by the next run: documents are
// content-addressed, so nothing is stored twice.
//
// Memory stays flat however large the corpus, and however large one file:
// files stream through bounded channels, at most two batches are held
// (one being written while the next gathers), and a long text comes as
// parts of a bounded size (document.Stream), each extracted and handed to
// the writer on its own, so a 250 MB file costs what a few megabytes do.
// The parts of one file may commit in several transactions; a run stopped
// part way through keeps the parts committed, and the next run finds them
// held and goes on.
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
	"mosaic/internal/entity"
	"mosaic/internal/extract"
	"mosaic/internal/incident"
	"mosaic/internal/store"
)

// Store is what ingestion needs of a store.
type Store interface {
	store.Collections
	store.DocumentWriter
	// Holds lets the readers skip what the collection holds already.
	Holds(ctx context.Context, collection string, id mosaic.DocID) (bool, error)
}

// Options configure a run.
type Options struct {
	// Collection receives the documents; it is created for Agency if new,
	// when the first document is stored.
	Collection string
	Agency     string
	// Workers parse and extract in parallel; zero means DefaultWorkers.
	Workers int
	// Limits bound what one file may cost.
	Limits document.Limits
	// BatchDocs and BatchBytes bound a write transaction: it commits when
	// either is reached, or 200 ms after its first file was parsed. Zero
	// means DefaultBatchDocs and 32 MiB, counting a document's text and an
	// estimate of the memory its mentions and relations hold.
	BatchDocs  int
	BatchBytes int
	// SourceOf, if set, names where a file came from, given the path it
	// was read at: a file uploaded through the page is read from a
	// temporary copy, and its documents should say the name it was sent
	// under. Nil keeps the path.
	SourceOf func(path string) string
	// Geocoder places the attacks read from text; nil means the embedded
	// gazetteer (incident.Gazetteer).
	Geocoder incident.Geocoder
	// Resolver, if set, ties the names in each newly stored document to
	// entities, in the transaction that stores the document.
	Resolver Resolver
	// Progress, if set, is called from the writer after each batch is
	// stored and resolved, with the run's counts so far: a long file,
	// reported only when its last part is stored, shows progress as its
	// parts land.
	Progress func(Stats)
}

// Resolver ties documents' names to entities as they are stored (see
// entity.Resolver): PlanNew plans a document's ties, given how its
// mentions share names within it (entity.WithinDocument, worked out by the
// workers that read the documents, in parallel), or answers
// entity.ErrStoreFirst if it must wait for the documents planned before it
// to be stored; Planned is what the store writes with the documents
// (store.DocumentWriter.AddResolved), and Stored, Discard or Fail tell the
// resolver how that went. A document stored with names left untied, by a
// run stopped before its batch or by another process, is found by the next
// run's resolver (see entity.Resolver.Pending).
type Resolver interface {
	PlanNew(ctx context.Context, d mosaic.Document, ms []mosaic.Mention, w *entity.Within) error
	Planned() ([]mosaic.Entity, []store.DocAssignments)
	Stored(ctx context.Context, ids []mosaic.EntityID) error
	Discard()
	Fail(err error)
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
	// number that were new to the collection. Parts counts the documents
	// that are parts of a long text (see document.Parts).
	Documents int            `json:"documents"`
	New       int            `json:"new"`
	Parts     int            `json:"parts,omitempty"`
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
	Warned int `json:"warned"`
	// Documents, New, Parts and Mentions count what was committed, the
	// parts of a long file the run stopped in included.
	Documents int `json:"documents"`
	New       int `json:"new_documents"`
	Parts     int `json:"parts"`
	Mentions  int `json:"mentions"`
	// Incidents counts the incidents stored with the documents new to
	// the collection: a GTD table's rows and the attacks read from text.
	Incidents int           `json:"incidents"`
	Bytes     int64         `json:"bytes"`
	Elapsed   time.Duration `json:"elapsed_ns"`
	// Workers is how many files were read in parallel.
	Workers int `json:"workers"`
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
	s.Bytes += e.Bytes
}

// parsed is one file read and extracted, or a run of the documents of a
// long one, waiting to be written.
type parsed struct {
	file  int // the file's number in the walk, which tells files apart
	path  string
	bytes int64
	docs  []store.Ingested
	// within[i] is how docs[i]'s mentions share names, for the resolver.
	within []*entity.Within
	err    error
	// more: further documents of the file follow in another parsed; the
	// file is reported with the last.
	more bool
	// cut: the writer cut this from a parsed whose later documents it
	// stores in a later transaction of the same batch (see writer.write);
	// unlike a part sent with more set, it holds no slot.
	cut bool
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
	if opts.Geocoder == nil {
		opts.Geocoder = incident.Gazetteer{}
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = DefaultWorkers(opts.Resolver != nil)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	type job struct {
		file int
		src  document.Source
		err  error
	}
	jobs := make(chan job, workers*2)
	// Each result holds one file or about one part of a long one, so this
	// bounds what waits for the writer.
	results := make(chan parsed, workers*2)
	var walkErr error
	go func() {
		defer close(jobs)
		n := 0
		walkErr = document.Walk(ctx, paths, opts.Limits, func(src document.Source, err error) error {
			n++
			select {
			case jobs <- job{n, src, err}:
				return nil
			case <-ctx.Done():
				return ctx.Err()
			}
		})
	}()
	// The store's work on a document that needs no transaction is done
	// here, by the readers, in parallel, rather than by the one writer.
	prep, _ := st.(store.Preparer)
	send := func(p parsed) bool {
		if prep != nil {
			for i := range p.docs {
				if in := &p.docs[i]; !in.Held && in.Prepared == nil {
					prep.Prepare(in)
				}
			}
		}
		select {
		case results <- p:
			return true
		case <-ctx.Done():
			return false
		}
	}
	// A part of a long file takes a slot until its batch commits, so that
	// the workers run at most a few parts ahead of the writer, however
	// long the file: each part holds its text and everything found in it.
	slots := make(chan struct{}, max(2, workers))
	sendPart := func(p parsed) bool {
		select {
		case slots <- struct{}{}:
		case <-ctx.Done():
			return false
		}
		return send(p)
	}
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				p := parsed{file: j.file, path: j.src.Path, bytes: j.src.Size, err: j.err}
				if p.err == nil {
					p.err = read(ctx, st, j.src, opts, ex, &p, sendPart)
				}
				if !send(p) {
					return
				}
			}
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()

	w := writer{st: st, opts: opts, report: report, slots: slots}
	w.stats.Workers = workers
	err := w.run(ctx, results)
	if err == nil {
		// Cancelled as the last results came: the workers stopped, and
		// the files they were reading are not reported.
		err = ctx.Err()
	}
	cancel()
	for range results { // let the workers finish
	}
	w.stats.Elapsed = time.Since(start)
	if err == nil && walkErr != nil && !errors.Is(walkErr, context.Canceled) {
		err = fmt.Errorf("ingest: %w", walkErr)
	}
	return w.stats, err
}

// DefaultWorkers is how many files a run reads in parallel unless told:
// one per CPU the Go runtime may use, but one fewer when names are resolved.
// The writer is then the slowest stage (on the bench corpus it spends some
// 2.8 ms of CPU a document, a reader 2.7), and a reader beside it on every
// CPU takes the CPU it needs: on 2 CPUs, 5,000 documents with resolution
// ran at 201/246/318 documents/s with two readers and 256/322/355 with one
// (mosaic bench ingest, in turn; 2026-12-07). Without resolution readers
// are the slowest stage and one per CPU is faster (582/372 against 409/338).
func DefaultWorkers(resolving bool) int {
	n := runtime.GOMAXPROCS(0)
	if resolving {
		n--
	}
	return max(1, n)
}

// add adds a document read and extracted to p, with the incidents it
// states, and for a run that resolves, how its mentions share names.
func (p *parsed) add(opts Options, d mosaic.Document, res extract.Result, incidents []mosaic.Incident) {
	p.docs = append(p.docs, store.Ingested{Collection: opts.Collection, Doc: d, Mentions: res.Mentions, Relations: res.Relations,
		Incidents: incidents})
	if opts.Resolver != nil {
		p.within = append(p.within, entity.WithinDocument(d.Text, res.Mentions))
	}
}

// read parses one file and extracts the mentions of each of its documents
// into p, but for a document the collection holds already, which goes to
// the writer as Held, nothing extracted: a folder ingested again, or a run
// resumed, reads its files but extracts only what is new. Once p holds
// half a part's worth of text (a part, as parts seldom come shorter), it
// goes to the writer with more set and p starts afresh, so that a long
// file streams through.
func read(ctx context.Context, st Store, src document.Source, opts Options, ex *extract.Extractor, p *parsed, send func(parsed) bool) error {
	if isGTD(src) {
		return readGTD(ctx, src, opts, ex, p, send)
	}
	size, text := opts.Limits.PartSize/2, 0
	if size <= 0 {
		size = document.DefaultLimits().PartSize / 2
	}
	return document.Stream(ctx, src, opts.Limits, func(d mosaic.Document) error {
		if opts.SourceOf != nil {
			d.Source = opts.SourceOf(d.Source)
		}
		held, err := st.Holds(ctx, opts.Collection, d.ID)
		if err != nil {
			return err
		}
		if held {
			p.docs = append(p.docs, store.Ingested{Collection: opts.Collection, Doc: d, Held: true})
			if opts.Resolver != nil {
				p.within = append(p.within, nil)
			}
		} else {
			res := ex.Extract(d.Text, d.Date)
			if res.Warning != "" {
				warnOn(&d, res.Warning)
			}
			p.add(opts, d, res, textIncidents(d, res, opts.Geocoder))
		}
		if text += len(d.Text); text < size {
			return nil
		}
		p.more = true
		if !send(*p) {
			return ctx.Err()
		}
		*p = parsed{file: p.file, path: p.path, bytes: p.bytes}
		text = 0
		return nil
	})
}

// warnOn adds warn to what d's Meta warns of.
func warnOn(d *mosaic.Document, warn string) {
	if d.Meta == nil {
		d.Meta = map[string]string{}
	}
	if w := d.Meta[mosaic.MetaWarning]; w != "" {
		warn = w + "; " + warn
	}
	d.Meta[mosaic.MetaWarning] = warn
}
