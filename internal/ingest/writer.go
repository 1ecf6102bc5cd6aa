package ingest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// writer stores parsed files in batches and reports each file once the
// batch holding its last document has committed. Two goroutines share the
// work: run gathers the next batch while flushing stores the one before,
// so that the readers go on reading and extracting while a batch is
// written (with one goroutine, they stopped for every write once their
// few queued results were full). Only the flushing goroutine stores,
// resolves and reports.
type writer struct {
	st     Store
	opts   Options
	report func(Event)
	stats  Stats

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

// run gathers results into batches and hands each to a goroutine that
// stores them one batch at a time. A batch is handed over when it is full,
// or commitDelay after its first file arrived: one commit covers every
// file parsed in that window, and no file waits much longer than that for
// its acknowledgement (and the write before). While a full batch waits for
// the write before it, run takes no more results.
func (w *writer) run(ctx context.Context, results <-chan parsed) error {
	maxDocs, maxBytes := w.opts.BatchDocs, w.opts.BatchBytes
	if maxDocs <= 0 {
		maxDocs = DefaultBatchDocs
	}
	if maxBytes <= 0 {
		maxBytes = 32 << 20
	}
	batches := make(chan []parsed)
	done := make(chan error, 1)
	go func() {
		for b := range batches {
			if err := w.flush(ctx, b); err != nil {
				done <- err
				return
			}
		}
		done <- nil
	}()
	var batch []parsed
	docs, bytes := 0, 0
	var deadline <-chan time.Time
	ready := false // the batch is full, or its time is up
	in := results
	for {
		if in == nil && len(batch) == 0 {
			close(batches)
			return <-done
		}
		var out chan<- []parsed
		if ready || in == nil {
			out = batches
		}
		take := in
		if docs >= maxDocs || bytes >= maxBytes {
			take = nil
		}
		select {
		case p, ok := <-take:
			if !ok {
				in = nil
				continue
			}
			if err := ctx.Err(); err != nil {
				close(batches)
				<-done
				return err
			}
			if len(batch) == 0 {
				deadline = time.After(commitDelay)
			}
			batch = append(batch, p)
			docs += len(p.docs)
			for _, d := range p.docs {
				bytes += weight(d)
			}
			if docs >= maxDocs || bytes >= maxBytes {
				ready = true
			}
		case <-deadline:
			deadline, ready = nil, true
		case out <- batch:
			batch, docs, bytes, deadline, ready = nil, 0, 0, nil, false
		case err := <-done:
			// The batch before failed; the run stops.
			return err
		}
	}
}

// DefaultBatchDocs is how many documents a write transaction holds at
// most unless Options.BatchDocs says otherwise. A larger batch writes a
// large store faster (each commit writes every page it touched once, and
// the totals once per key), but holds the write lock longer: on SQLite a
// reader's audit entry, and any other writer, waits for the whole
// transaction (at 100,000 documents, 1,024 of them take 7-8 s; an audit
// entry gives up after 10). Bulk loads that no one reads beside may ask
// for more (mosaic ingest --batch).
const DefaultBatchDocs = 256

// commitDelay bounds how long a parsed file waits for its batch to be
// handed to the write.
const commitDelay = 200 * time.Millisecond

// weight estimates the memory a document waiting to be written holds: its
// text, what was found in it and what the store prepared of it.
// Options.BatchBytes bounds the sum, so that a batch of mention-dense
// parts stays as small as one of plain prose.
func weight(in store.Ingested) int {
	w := len(in.Doc.Text) + 160*len(in.Mentions) + 96*len(in.Relations)
	if in.Prepared != nil {
		w += in.Prepared.Bytes()
	}
	return w
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

// flush reports the files of a batch that failed before any of their
// documents came, and writes the others, in one transaction unless
// resolution needs more (see write). If the store rejects a transaction as
// invalid, it writes its files one at a time so that only the offending
// file fails.
func (w *writer) flush(ctx context.Context, batch []parsed) error {
	var files []parsed
	for _, p := range batch {
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
		files = append(files, p)
	}
	return w.writeAll(ctx, files)
}

// writeAll writes files in as few transactions as resolution allows. An
// invalid file is reported failed and the others are stored; only the
// store failing otherwise, or the context, stops it.
func (w *writer) writeAll(ctx context.Context, files []parsed) error {
	for len(files) > 0 {
		written, rest, err := w.write(ctx, files)
		if errors.Is(err, store.ErrInvalid) {
			// A lone file is reported failed by write; the run goes on.
			if len(written) > 1 {
				for _, f := range written {
					if err := w.writeAll(ctx, []parsed{f}); err != nil {
						return err
					}
				}
			}
		} else if err != nil {
			return err
		}
		files = rest
	}
	return nil
}

// write stores the documents of files in one transaction, with the ties of
// their names if there is a resolver, and reports each file whose last
// document it stored. It returns what it wrote and what is left: the
// resolver may need some documents stored before it can plan the next
// (entity.ErrStoreFirst), and those wait for a transaction of their own,
// cutting a file in two if need be. A lone file the store finds invalid is
// reported as failed; ErrInvalid is returned either way.
func (w *writer) write(ctx context.Context, files []parsed) (written, rest []parsed, err error) {
	if !w.made {
		if _, err := w.st.EnsureCollection(ctx, w.opts.Collection, w.opts.Agency); err != nil {
			return files, nil, fmt.Errorf("ingest: %w", err)
		}
		w.made = true
	}
	r := w.opts.Resolver
	written = files
	if r != nil {
		if written, rest, err = w.plan(ctx, r, files); err != nil {
			r.Discard()
			return written, nil, err
		}
	}
	var batch []store.Ingested
	for _, f := range written {
		batch = append(batch, f.docs...)
	}
	var added []store.Added
	var ids []mosaic.EntityID
	if r == nil {
		added, err = w.st.Add(ctx, batch)
	} else {
		created, docs := r.Planned()
		added, ids, err = w.st.AddResolved(ctx, batch, created, docs)
		switch {
		case errors.Is(err, store.ErrInvalid):
			r.Discard()
		case err != nil:
			r.Fail(err)
		}
	}
	if err != nil {
		if errors.Is(err, store.ErrInvalid) && len(written) == 1 {
			f := written[0]
			f.err, f.docs = err, nil
			w.settle(f, nil)
		}
		return written, rest, fmt.Errorf("ingest: %w", err)
	}
	i := 0
	for _, f := range written {
		w.settle(f, added[i:i+len(f.docs)])
		i += len(f.docs)
	}
	if r != nil {
		// The files are durable and reported; an error here is the
		// resolver's, about the watchlist links it makes after.
		if err := r.Stored(ctx, ids); err != nil {
			return written, rest, &resolveError{source: fmt.Sprintf("%d documents", len(batch)), err: err}
		}
	}
	if w.opts.Progress != nil {
		w.opts.Progress(w.stats)
	}
	return written, rest, nil
}

// plan plans the ties of the documents of files, in order, until the
// resolver needs those planned stored first: it returns the files (the
// last perhaps cut short) whose documents it planned, and the rest.
func (w *writer) plan(ctx context.Context, r Resolver, files []parsed) (planned, rest []parsed, err error) {
	n := 0 // documents planned
	for i, f := range files {
		for j, in := range f.docs {
			if in.Held {
				n++ // nothing to tie: its names were tied when it came
				continue
			}
			var within *entity.Within
			if j < len(f.within) {
				within = f.within[j]
			}
			err := r.PlanNew(ctx, in.Doc, in.Mentions, within)
			if errors.Is(err, entity.ErrStoreFirst) && n > 0 {
				planned, rest = files[:i:i], files[i:]
				if j > 0 {
					head, tail := f, f
					head.docs, head.more, head.cut = f.docs[:j], true, true
					tail.docs = f.docs[j:]
					if j < len(f.within) {
						head.within, tail.within = f.within[:j], f.within[j:]
					}
					planned = append(planned, head)
					rest = append([]parsed{tail}, files[i+1:]...)
				}
				return planned, rest, nil
			}
			if err != nil {
				// Not store.ErrInvalid's meaning here: nothing is stored,
				// and the files must not be tried one by one.
				return files, nil, &resolveError{source: in.Doc.Source, err: err}
			}
			n++
		}
	}
	return files, nil, nil
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
		if w.slots != nil && !f.cut {
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

// resolveError is a resolver's failure. It keeps
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
