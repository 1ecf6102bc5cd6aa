package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/store"
)

// writer is the single goroutine that stores parsed files in batches and
// reports each file once the batch holding its last document has committed.
type writer struct {
	st     Store
	opts   Options
	report func(Event)
	stats  Stats

	pending []parsed
	docs    int
	bytes   int
	// open holds the files some of whose documents have come and not
	// the last: what their event says so far.
	open map[int]*Event
	// slots: a parsed with more set took one (see Run), given back when
	// it is settled.
	slots <-chan struct{}
	// made: the collection exists, made by this run's first write or
	// before it.
	made bool
}

func (w *writer) run(ctx context.Context, results <-chan parsed) error {
	maxDocs, maxBytes := w.opts.BatchDocs, w.opts.BatchBytes
	if maxDocs <= 0 {
		maxDocs = 256
	}
	if maxBytes <= 0 {
		maxBytes = 32 << 20
	}
	// A batch commits when it is full, or commitDelay after its first file
	// arrived: one fsync covers every file parsed in that window, and no
	// file waits longer than that for its acknowledgement.
	var deadline <-chan time.Time
	for {
		var p parsed
		var ok bool
		select {
		case p, ok = <-results:
		case <-deadline:
			deadline = nil
			if err := w.flush(ctx); err != nil {
				return err
			}
			continue
		}
		if !ok {
			return w.flush(ctx)
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if p.err != nil && len(p.docs) == 0 && w.open[p.file] == nil {
			w.emit(failure(p))
			continue
		}
		if p.more && w.open[p.file] == nil {
			if w.open == nil {
				w.open = map[int]*Event{}
			}
			w.open[p.file] = &Event{Path: p.path, Outcome: Held, Bytes: p.bytes}
		}
		if len(w.pending) == 0 {
			deadline = time.After(commitDelay)
		}
		w.pending = append(w.pending, p)
		w.docs += len(p.docs)
		for _, d := range p.docs {
			w.bytes += weight(d)
		}
		if w.docs >= maxDocs || w.bytes >= maxBytes {
			deadline = nil
			if err := w.flush(ctx); err != nil {
				return err
			}
		}
	}
}

// commitDelay bounds how long a parsed file waits for its batch to commit.
const commitDelay = 200 * time.Millisecond

// weight estimates the memory a document waiting to be written holds: its
// text and what was found in it. Options.BatchBytes bounds the sum, so that
// a batch of mention-dense parts stays as small as one of plain prose.
func weight(in store.Ingested) int {
	return len(in.Doc.Text) + 160*len(in.Mentions) + 96*len(in.Relations)
}

// failure turns a read error into the event that reports it.
func failure(p parsed) Event {
	e := Event{Path: p.path, Outcome: Failed, Bytes: p.bytes, Err: p.err, Reason: p.err.Error()}
	if errors.Is(p.err, document.ErrUnsupported) {
		e.Outcome = Skipped
	}
	return e
}

func (w *writer) emit(e Event) {
	w.stats.count(e)
	if w.report != nil {
		w.report(e)
	}
}

// flush writes the pending files in one transaction. If the store rejects
// the batch as invalid, it writes the files one at a time so that only the
// offending file fails.
func (w *writer) flush(ctx context.Context) error {
	if len(w.pending) == 0 {
		return nil
	}
	files := w.pending
	w.pending, w.docs, w.bytes = nil, 0, 0
	err := w.write(ctx, files)
	if !errors.Is(err, store.ErrInvalid) {
		return err
	}
	if len(files) > 1 {
		for _, f := range files {
			if err := w.write(ctx, []parsed{f}); err != nil && !errors.Is(err, store.ErrInvalid) {
				return err
			}
		}
	}
	return nil // the invalid file is reported; the run goes on
}

// write stores files in one transaction, reports them, and then resolves
// the names of the documents whose content was new. A file the store finds
// invalid is reported as failed and ErrInvalid is returned; an error from
// the resolver comes after the files are reported, since they are durable.
func (w *writer) write(ctx context.Context, files []parsed) error {
	var batch []store.Ingested
	for _, f := range files {
		batch = append(batch, f.docs...)
	}
	if !w.made {
		if _, err := w.st.EnsureCollection(ctx, w.opts.Collection, w.opts.Agency); err != nil {
			return fmt.Errorf("ingest: %w", err)
		}
		w.made = true
	}
	added, err := w.st.Add(ctx, batch)
	if err != nil {
		if errors.Is(err, store.ErrInvalid) && len(files) == 1 {
			f := files[0]
			f.err, f.docs = err, nil
			w.settle(f, nil)
		}
		return fmt.Errorf("ingest: %w", err)
	}
	i := 0
	for _, f := range files {
		w.settle(f, added[i:i+len(f.docs)])
		i += len(f.docs)
	}
	if err := w.resolve(ctx, batch, added); err != nil {
		return err
	}
	if w.opts.Progress != nil {
		w.opts.Progress(w.stats)
	}
	return nil
}

// settle counts the committed documents of f into its file's event, whose
// added says how each was stored, and reports the file if f is its last.
// A file some of whose documents failed (a read that broke off, a part
// the store refused) is reported failed, with the documents that are
// stored.
func (w *writer) settle(f parsed, added []store.Added) {
	e := w.open[f.file]
	if e == nil {
		e = &Event{Path: f.path, Outcome: Held, Bytes: f.bytes}
	}
	e.Documents += len(f.docs)
	parts := e.Parts
	for i, d := range f.docs {
		if w := d.Doc.Meta[mosaic.MetaWarning]; w != "" && !slices.Contains(e.Warnings, w) && len(e.Warnings) < maxWarnings {
			e.Warnings = append(e.Warnings, w)
		}
		if d.Doc.Meta[mosaic.MetaPart] != "" {
			e.Parts++
		}
		e.IDs = append(e.IDs, d.Doc.ID)
		w.stats.Mentions += len(d.Mentions)
		if added[i].New() {
			w.stats.Incidents += len(d.Incidents)
			e.New++
			w.stats.New++
		}
	}
	w.stats.Documents += len(f.docs)
	w.stats.Parts += e.Parts - parts
	if e.New > 0 && e.Outcome == Held {
		e.Outcome = Added
	}
	if f.err != nil && e.Err == nil {
		e.Outcome, e.Err, e.Reason = Failed, f.err, f.err.Error()
		if e.Documents > 0 {
			e.Reason += fmt.Sprintf(" (%d documents read before it are stored)", e.Documents)
		}
	}
	if f.more {
		if w.slots != nil {
			<-w.slots
		}
		if w.open == nil {
			w.open = map[int]*Event{}
		}
		w.open[f.file] = e
		return
	}
	delete(w.open, f.file)
	if e.Outcome == Failed && errors.Is(e.Err, document.ErrUnsupported) && e.Documents == 0 {
		e.Outcome = Skipped
	}
	w.emit(*e)
}

// maxWarnings is the most different warnings one file's event lists: the
// parts of a long file may each warn of what a cap dropped in it.
const maxWarnings = 20

// resolve ties the names of newly stored content to entities. Content that
// was stored before (and is only newly held) was resolved then, with the
// mentions stored then, which may differ from this run's extraction.
func (w *writer) resolve(ctx context.Context, batch []store.Ingested, added []store.Added) error {
	r := w.opts.Resolver
	if r == nil {
		return nil
	}
	// The batch's documents are resolved together, in one transaction of
	// the store's; a later document sees the entities an earlier one made.
	for i, in := range batch {
		if added[i] != store.NewContent {
			continue
		}
		if err := r.Plan(ctx, in.Doc, in.Mentions); err != nil {
			// Not store.ErrInvalid's meaning here: flush must not retry a
			// committed batch file by file.
			return &resolveError{source: in.Doc.Source, err: err}
		}
	}
	if err := r.Flush(ctx); err != nil {
		return &resolveError{source: fmt.Sprintf("%d documents", len(batch)), err: err}
	}
	return nil
}

// resolveError is a resolver's failure on a committed document. It keeps
// the cause for errors.Is (a cancelled context, say) but is never taken for
// the store rejecting a batch.
type resolveError struct {
	source string
	err    error
}

func (e *resolveError) Error() string { return "ingest: resolve " + e.source + ": " + e.err.Error() }

func (e *resolveError) Unwrap() error {
	if errors.Is(e.err, store.ErrInvalid) {
		return nil
	}
	return e.err
}
