package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/entity"
	"mosaic/internal/extract"
	"mosaic/internal/extract/ner"
	"mosaic/internal/ingest"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

func openStore(t testing.TB) *sqlite.Store {
	t.Helper()
	st, err := sqlite.Open(context.Background(), t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	return st
}

func write(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func options() ingest.Options {
	return ingest.Options{Collection: "c", Agency: "A", Limits: document.DefaultLimits()}
}

// run ingests paths and returns the events by base name of the file.
func run(t *testing.T, st ingest.Store, paths []string, opts ingest.Options) (ingest.Stats, map[string]ingest.Event, error) {
	t.Helper()
	events := map[string]ingest.Event{}
	stats, err := ingest.Run(context.Background(), st, extract.New(extract.Patterns()...), paths, opts, func(e ingest.Event) {
		if _, dup := events[filepath.Base(e.Path)]; dup {
			t.Errorf("%s reported twice", e.Path)
		}
		events[filepath.Base(e.Path)] = e
	})
	return stats, events, err
}

func TestOutcomes(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "a.txt"), []byte("Report one. Contact ops@example.org on 3 May 2016."))
	write(t, filepath.Join(dir, "sub", "b.txt"), []byte("Report two names nobody."))
	write(t, filepath.Join(dir, "image.png"), []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"))
	write(t, filepath.Join(dir, "broken.pdf"), []byte("%PDF-1.4\n%garbage without objects"))
	st := openStore(t)
	stats, events, err := run(t, st, []string{dir}, options())
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]ingest.Outcome{"a.txt": ingest.Added, "b.txt": ingest.Added, "image.png": ingest.Skipped, "broken.pdf": ingest.Failed}
	for name, outcome := range want {
		e, ok := events[name]
		if !ok {
			t.Errorf("%s not reported", name)
			continue
		}
		if e.Outcome != outcome {
			t.Errorf("%s: %s (%s), want %s", name, e.Outcome, e.Reason, outcome)
		}
		if (outcome == ingest.Failed || outcome == ingest.Skipped) && !strings.Contains(e.Reason, name) {
			t.Errorf("%s: reason %q does not name the file", name, e.Reason)
		}
	}
	if stats.Files != 4 || stats.Added != 2 || stats.Failed != 1 || stats.Skipped != 1 || stats.New != 2 {
		t.Errorf("stats = %+v", stats)
	}
	if stats.Mentions < 2 {
		t.Errorf("stats.Mentions = %d, want the e-mail and the date at least", stats.Mentions)
	}
	// The second run finds everything held and still reports the bad files.
	stats, events, err = run(t, st, []string{dir}, options())
	if err != nil {
		t.Fatal(err)
	}
	if events["a.txt"].Outcome != ingest.Held || stats.New != 0 || stats.Failed != 1 {
		t.Errorf("second run: stats %+v, a.txt %s", stats, events["a.txt"].Outcome)
	}
}

// rejecting wraps a real store and rejects, as invalid, any batch holding a
// document whose title contains a marker: the way a store refuses a document
// it cannot take.
type rejecting struct {
	*sqlite.Store
	mu      sync.Mutex
	batches int
}

func (r *rejecting) Add(ctx context.Context, batch []store.Ingested) ([]store.Added, error) {
	r.mu.Lock()
	r.batches++
	r.mu.Unlock()
	for _, in := range batch {
		if strings.Contains(in.Doc.Text, "REJECT") {
			return nil, fmt.Errorf("add %s: %w: rejected", in.Doc.Source, store.ErrInvalid)
		}
	}
	return r.Store.Add(ctx, batch)
}

func (r *rejecting) AddResolved(ctx context.Context, batch []store.Ingested, created []mosaic.Entity, docs []store.DocAssignments) ([]store.Added, []mosaic.EntityID, error) {
	for _, in := range batch {
		if strings.Contains(in.Doc.Text, "REJECT") {
			return nil, nil, fmt.Errorf("add %s: %w: rejected", in.Doc.Source, store.ErrInvalid)
		}
	}
	return r.Store.AddResolved(ctx, batch, created, docs)
}

// TestInvalidFileFailsAlone: a file the store refuses fails alone, the
// others of its batch are stored, and, resolving, the names only the
// refused file gave leave nothing behind: no entity, and no spelling the
// resolver would tie a later document's name to.
func TestInvalidFileFailsAlone(t *testing.T) {
	for _, resolving := range []bool{false, true} {
		t.Run(fmt.Sprintf("resolving=%v", resolving), func(t *testing.T) {
			dir := t.TempDir()
			for i := range 20 {
				write(t, filepath.Join(dir, fmt.Sprintf("f%02d.txt", i)), []byte(fmt.Sprintf("Ordinary report number %d on Samir Haddad.", i)))
			}
			write(t, filepath.Join(dir, "zbad.txt"), []byte("This one says REJECT. Zoran Kovacevic met Samir Haddad, also known as Abu Sulayman, in Leeds."))
			ctx := context.Background()
			st := &rejecting{Store: openStore(t)}
			opts := options()
			// The refused file comes last, in a batch of its own with
			// others, after Samir Haddad's entity is stored.
			opts.Workers, opts.BatchDocs = 1, 5
			var r *entity.Resolver
			if resolving {
				var err error
				if r, err = entity.NewResolver(ctx, st); err != nil {
					t.Fatal(err)
				}
				opts.Resolver = r
			}
			// The tagger, for names.
			tagger := extract.New(append(extract.Patterns(), ner.Recognizer())...)
			events := map[string]ingest.Event{}
			stats, err := ingest.Run(ctx, st, tagger, []string{dir}, opts, func(e ingest.Event) { events[filepath.Base(e.Path)] = e })
			if err != nil {
				t.Fatal(err)
			}
			if events["zbad.txt"].Outcome != ingest.Failed || !errors.Is(events["zbad.txt"].Err, store.ErrInvalid) {
				t.Errorf("zbad.txt: %+v", events["zbad.txt"])
			}
			if stats.Added != 20 || stats.Failed != 1 {
				t.Errorf("stats = %+v, want 20 added and 1 failed", stats)
			}
			_, total, _ := st.Documents(ctx, store.DocumentFilter{})
			if total != 20 {
				t.Errorf("%d documents stored, want 20", total)
			}
			if !resolving {
				return
			}
			var names []string
			if err := st.EntityNames(ctx, func(e mosaic.Entity, name string) error {
				names = append(names, name)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(names, "Samir Haddad") || slices.Contains(names, "Zoran Kovacevic") {
				t.Errorf("entity names after the run: %q; want Samir Haddad and not the refused file's Zoran Kovacevic", names)
			}
			// The resolver goes on as if the refused file had never come:
			// the name makes a new entity, not one of the refused batch's.
			write(t, filepath.Join(dir, "later", "ok.txt"), []byte("Zoran Kovacevic came back. Abu Sulayman was not seen."))
			later, err := ingest.Run(ctx, st, tagger, []string{filepath.Join(dir, "later")}, opts, nil)
			if err != nil || later.Added != 1 {
				t.Fatalf("the later file: %+v, %v", later, err)
			}
			names = names[:0]
			if err := st.EntityNames(ctx, func(e mosaic.Entity, name string) error {
				names = append(names, name)
				return nil
			}); err != nil {
				t.Fatal(err)
			}
			if !slices.Contains(names, "Zoran Kovacevic") {
				t.Errorf("entity names after the later file: %q; want Zoran Kovacevic", names)
			}
			// Nor did the refused file teach it that Abu Sulayman is Samir
			// Haddad.
			docs, _, err := st.Documents(ctx, store.DocumentFilter{Limit: 100})
			if err != nil {
				t.Fatal(err)
			}
			tied := map[string]mosaic.EntityID{}
			for _, d := range docs {
				ms, err := st.Mentions(ctx, d.ID, store.Scope{})
				if err != nil {
					t.Fatal(err)
				}
				for _, m := range ms {
					tied[m.Text] = m.Entity
				}
			}
			if tied["Abu Sulayman"] == 0 || tied["Abu Sulayman"] == tied["Samir Haddad"] {
				t.Errorf("Abu Sulayman is tied to %d, Samir Haddad to %d: the refused file's alias was kept", tied["Abu Sulayman"], tied["Samir Haddad"])
			}
			if un, err := st.Unresolved(ctx, 10); err != nil || len(un) != 0 {
				t.Errorf("unresolved after the later file: %v (%v)", un, err)
			}
		})
	}
}

func TestCancel(t *testing.T) {
	dir := t.TempDir()
	for i := range 200 {
		write(t, filepath.Join(dir, fmt.Sprintf("f%03d.txt", i)), []byte(fmt.Sprintf("Report %d about nothing in particular.", i)))
	}
	st := openStore(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var reported []string
	opts := options()
	opts.BatchDocs = 5 // small batches, so the run is mid-way when cancelled
	_, err := ingest.Run(ctx, st, extract.New(extract.Patterns()...), []string{dir}, opts, func(e ingest.Event) {
		reported = append(reported, e.Path)
		if len(reported) == 10 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
	for _, p := range reported {
		data, _ := os.ReadFile(p)
		docs, _ := document.Parse(p, data, document.DefaultLimits())
		if ok, err := st.Holds(context.Background(), "c", docs[0].ID); err != nil || !ok {
			t.Errorf("%s was reported but is not stored (%v)", p, err)
		}
	}
	if len(reported) >= 200 {
		t.Errorf("cancellation did not stop the run: %d files reported", len(reported))
	}
}

// TestSecondHoldingAfterExtractorChange loads a file into one collection,
// then into another with an extractor that finds more (as after an
// upgrade). The store keeps the first mentions; the second run must not try
// to resolve mentions the store does not have.
func TestSecondHoldingAfterExtractorChange(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "r.txt"), []byte("Karim Benali met Nadia Ferhat in Liège on 3 May 2016."))
	st := openStore(t)
	ctx := context.Background()
	resolver, err := entity.NewResolver(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	patterns := extract.New(extract.Patterns()...)
	tagger := extract.New(append(extract.Patterns(), ner.Recognizer())...)
	for _, run := range []struct {
		collection string
		ex         *extract.Extractor
	}{{"a", patterns}, {"b", tagger}} {
		opts := options()
		opts.Collection, opts.Resolver = run.collection, resolver
		stats, err := ingest.Run(ctx, st, run.ex, []string{dir}, opts, nil)
		if err != nil {
			t.Fatalf("ingest into %s: %v", run.collection, err)
		}
		if stats.Added != 1 {
			t.Errorf("ingest into %s: %+v", run.collection, stats)
		}
	}
	if pending, err := st.Unresolved(ctx, 10); err != nil || len(pending) != 0 {
		t.Errorf("unresolved after both runs: %v, %v", pending, err)
	}
}

// TestCollectionMadeWhenSomethingLands: a run whose every file fails leaves
// no collection behind; the first run that stores a document makes it.
func TestCollectionMadeWhenSomethingLands(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "bad", "broken.pdf"), []byte("%PDF-1.7\nnot a PDF at all"))
	write(t, filepath.Join(dir, "good", "note.txt"), []byte("An ordinary report."))
	st := openStore(t)
	names := func() []string {
		t.Helper()
		cs, err := st.Collections(context.Background(), store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, c.Name)
		}
		return out
	}
	stats, _, err := run(t, st, []string{filepath.Join(dir, "bad")}, options())
	if err != nil || stats.Failed != 1 {
		t.Fatalf("bad run: %+v, %v", stats, err)
	}
	if cs := names(); len(cs) != 0 {
		t.Errorf("collections after a run that stored nothing: %v", cs)
	}
	if stats, _, err := run(t, st, []string{filepath.Join(dir, "good")}, options()); err != nil || stats.Added != 1 {
		t.Fatalf("good run: %+v, %v", stats, err)
	}
	if cs := names(); len(cs) != 1 || cs[0] != "c" {
		t.Errorf("collections after a run that stored one: %v", cs)
	}
	empty := options()
	empty.Collection = " "
	if _, _, err := run(t, st, []string{filepath.Join(dir, "good")}, empty); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("blank collection name: err %v, want ErrInvalid", err)
	}
}
