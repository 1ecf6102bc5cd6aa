package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/entity"
	"mosaic/internal/extract"
	"mosaic/internal/ingest"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// chatExport returns a text of about n bytes written like a chat export:
// short lines, each with a speaker, and names and addresses to find.
func chatExport(n int) []byte {
	var b strings.Builder
	for i := 0; b.Len() < n; i++ {
		fmt.Fprintf(&b, "[%05d] user%d: call ops%d@example.org about the %d shipment, as agreed\n", i, i%7, i%13, i)
	}
	return []byte(b.String())
}

// partLimits cut texts of a few kilobytes into parts and stream files of
// more than 16 KB, as DefaultLimits do with megabytes.
func partLimits() document.Limits {
	lim := document.DefaultLimits()
	lim.PartSize, lim.StreamSize = 4096, 16<<10
	return lim
}

// checkParts checks that the documents stored under parent are the parts
// of data, in order, making up its text exactly, and returns how many.
func checkParts(t *testing.T, st *sqlite.Store, parent mosaic.DocID, ids []mosaic.DocID, data []byte) int {
	t.Helper()
	ctx := context.Background()
	var text strings.Builder
	for i, id := range ids {
		d, _, err := st.Document(ctx, id, store.Scope{})
		if err != nil {
			t.Fatalf("part %d: %v", i+1, err)
		}
		if d.Parent != parent || d.Meta[mosaic.MetaPart] != strconv.Itoa(i+1) ||
			d.Meta[mosaic.MetaPartOffset] != strconv.Itoa(text.Len()) || !strings.HasSuffix(d.Title, fmt.Sprintf("(part %d)", i+1)) {
			t.Errorf("part %d: parent %s, title %q, meta %v", i+1, d.Parent.Short(), d.Title, d.Meta)
		}
		text.WriteString(d.Text)
	}
	if !strings.HasPrefix(string(data), text.String()) {
		t.Errorf("the stored parts are not the start of the file")
	}
	return text.Len()
}

func TestLongFileInParts(t *testing.T) {
	dir := t.TempDir()
	data := chatExport(100 << 10)
	write(t, filepath.Join(dir, "chat.txt"), data)
	write(t, filepath.Join(dir, "note.txt"), []byte("A short note to ops@example.org."))
	st := openStore(t)
	opts := options()
	opts.Limits = partLimits()
	opts.BatchDocs = 3 // the parts commit in several transactions
	ctx := context.Background()
	events := map[string]ingest.Event{}
	stats, err := ingest.Run(ctx, st, extract.New(extract.Patterns()...), []string{dir}, opts, func(e ingest.Event) {
		name := filepath.Base(e.Path)
		if _, dup := events[name]; dup {
			t.Errorf("%s reported twice", name)
		}
		events[name] = e
		// Reported once its last part is durable: every part is.
		for _, id := range e.IDs {
			if ok, err := st.Holds(ctx, "c", id); !ok || err != nil {
				t.Errorf("%s reported before %s was stored (%v)", name, id.Short(), err)
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	e := events["chat.txt"]
	wantParts := len(data)/4096 + 1 // at least
	if e.Outcome != ingest.Added || e.Documents != e.Parts || e.New != e.Documents || e.Parts < wantParts || len(e.IDs) != e.Parts ||
		e.Bytes != int64(len(data)) || len(e.Warnings) != 0 {
		t.Errorf("chat.txt: %+v", e)
	}
	if n := checkParts(t, st, mosaic.NewDocID(data), e.IDs, data); n != len(data) {
		t.Errorf("the parts hold %d bytes of %d", n, len(data))
	}
	if note := events["note.txt"]; note.Outcome != ingest.Added || note.Documents != 1 || note.Parts != 0 {
		t.Errorf("note.txt: %+v", note)
	}
	if stats.Files != 2 || stats.Documents != e.Parts+1 || stats.Parts != e.Parts || stats.Mentions < strings.Count(string(data), "\n") {
		t.Errorf("stats %+v", stats)
	}
	stats, events, err = run(t, st, []string{dir}, opts)
	if err != nil || stats.New != 0 || events["chat.txt"].Outcome != ingest.Held || events["chat.txt"].Parts != e.Parts {
		t.Errorf("second run: %+v, %+v, %v", stats, events["chat.txt"], err)
	}
}

// cancelling cancels a run once the store has committed a number of
// batches, the way SIGTERM arrives in the middle of a long file.
type cancelling struct {
	*sqlite.Store
	mu      sync.Mutex
	after   int
	batches int
	cancel  func()
}

func (c *cancelling) Add(ctx context.Context, batch []store.Ingested) ([]store.Added, error) {
	added, err := c.Store.Add(ctx, batch)
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.batches++; c.batches == c.after {
		c.cancel()
	}
	return added, err
}

// TestCancelLongFile: a run cancelled part way through a long file stops
// between parts, keeps the parts it committed, and the next run stores the
// rest and reports the file once.
func TestCancelLongFile(t *testing.T) {
	dir := t.TempDir()
	data := chatExport(400 << 10)
	path := filepath.Join(dir, "dump.log")
	write(t, path, data)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	st := &cancelling{Store: openStore(t), after: 3, cancel: cancel}
	opts := options()
	opts.Limits = partLimits()
	opts.BatchDocs = 2
	opts.Workers = 2 // so that what waits for the writer is a few parts, whatever the machine
	var reported []ingest.Event
	seen := &counter{}
	_, err := ingest.Run(ctx, st, extract.New(append(extract.Patterns(), seen)...), []string{path}, opts, func(e ingest.Event) {
		reported = append(reported, e)
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if len(reported) != 0 {
		t.Errorf("a file cut short was reported: %+v", reported)
	}
	docs, total, err := st.Documents(context.Background(), store.DocumentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if total == 0 || total >= len(data)/4096 {
		t.Fatalf("%d parts stored after cancelling, want some and not all", total)
	}
	byPart := make([]mosaic.DocID, total)
	for _, sum := range docs {
		d, _, err := st.Document(context.Background(), sum.ID, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(d.Meta[mosaic.MetaPart])
		if n < 1 || n > total {
			t.Fatalf("stored part %d of %d: the stored parts are not the first ones", n, total)
		}
		byPart[n-1] = d.ID
	}
	checkParts(t, st.Store, mosaic.NewDocID(data), byPart, data)
	// The workers stop between parts: they do not read the file to its
	// end once the run is cancelled.
	if n := seen.texts(); n >= len(data)/4096/2 {
		t.Errorf("%d parts extracted after cancelling at %d stored", n, total)
	}

	stats, events, err := run(t, st.Store, []string{path}, opts)
	if err != nil {
		t.Fatal(err)
	}
	e := events["dump.log"]
	if e.Outcome != ingest.Added || e.New != e.Parts-total || stats.Files != 1 {
		t.Errorf("second run: %+v (%d parts held before)", e, total)
	}
	if n := checkParts(t, st.Store, mosaic.NewDocID(data), e.IDs, data); n != len(data) {
		t.Errorf("after the second run the parts hold %d bytes of %d", n, len(data))
	}
}

// counter is a recogniser that finds nothing and counts the texts it is
// given.
type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) Recognize(*extract.Analysis) []mosaic.Mention {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.n++
	return nil
}

func (c *counter) texts() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.n
}

// TestCrowdedSentenceWarns: what a cap drops is reported on the file.
func TestCrowdedSentenceWarns(t *testing.T) {
	dir := t.TempDir()
	var roster strings.Builder
	roster.WriteString("Recipients:")
	for i := range 200 {
		fmt.Fprintf(&roster, " agent%d@example.org", i)
	}
	write(t, filepath.Join(dir, "roster.txt"), []byte(roster.String()+"\n"))
	st := openStore(t)
	stats, events, err := run(t, st, []string{dir}, options())
	if err != nil {
		t.Fatal(err)
	}
	e := events["roster.txt"]
	if e.Outcome != ingest.Added || len(e.Warnings) != 1 || !strings.Contains(e.Warnings[0], "not read for co-occurrence") || stats.Warned != 1 {
		t.Errorf("roster.txt: %+v, stats %+v", e, stats)
	}
}

// A long file shows progress as its parts land, before it is reported.
func TestProgressBeforeLongFileEnds(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "chat.txt"), chatExport(100<<10))
	st := openStore(t)
	opts := options()
	opts.Limits = partLimits()
	opts.BatchDocs = 3
	var seen []ingest.Stats
	reported := false
	opts.Progress = func(s ingest.Stats) {
		if !reported {
			seen = append(seen, s)
		}
	}
	stats, err := ingest.Run(context.Background(), st, extract.New(extract.Patterns()...), []string{dir}, opts,
		func(ingest.Event) { reported = true })
	if err != nil {
		t.Fatal(err)
	}
	if len(seen) < 2 {
		t.Fatalf("%d progress calls before the file was reported, want several (its %d parts commit three at a time)", len(seen), stats.Parts)
	}
	for i, s := range seen {
		if s.Parts == 0 || s.Documents != s.Parts || s.Files != 0 || i > 0 && s.Parts <= seen[i-1].Parts {
			t.Errorf("progress %d: %+v, want parts stored and growing, no file reported yet", i, s)
		}
	}
	if last := seen[len(seen)-1]; last.Parts >= stats.Parts {
		t.Errorf("progress before the report counted %d parts, the whole run %d", last.Parts, stats.Parts)
	}
}

// TestIngestAgainExtractsOnlyNew ingests a folder, then again with one
// file more, resolving names as 'mosaic ingest' does: the second run
// extracts only the new file's text, reports the others held, and leaves
// what the first stored as it was.
func TestIngestAgainExtractsOnlyNew(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	for i := range 5 {
		write(t, filepath.Join(dir, fmt.Sprintf("note-%d.txt", i)),
			[]byte(fmt.Sprintf("Note %d: Karim Benali met Yusuf Haddad in Lyon on %d May 2016.\n", i, i+1)))
	}
	st := openStore(t)
	ingestOnce := func() (ingest.Stats, map[string]ingest.Event, int) {
		t.Helper()
		opts := options()
		r, err := entity.NewResolver(ctx, st)
		if err != nil {
			t.Fatal(err)
		}
		opts.Resolver = r
		seen := &counter{}
		events := map[string]ingest.Event{}
		stats, err := ingest.Run(ctx, st, extract.New(append(extract.Patterns(), seen)...), []string{dir}, opts, func(e ingest.Event) {
			events[filepath.Base(e.Path)] = e
		})
		if err != nil {
			t.Fatal(err)
		}
		return stats, events, seen.texts()
	}
	first, _, extracted := ingestOnce()
	if first.New != 5 || extracted != 5 {
		t.Fatalf("first run: %d new, %d texts extracted; want 5 and 5", first.New, extracted)
	}
	mentions := func() int {
		t.Helper()
		docs, _, err := st.Documents(ctx, store.DocumentFilter{Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, d := range docs {
			ms, err := st.Mentions(ctx, d.ID, store.Scope{})
			if err != nil {
				t.Fatal(err)
			}
			n += len(ms)
		}
		return n
	}
	before := mentions()
	write(t, filepath.Join(dir, "note-new.txt"), []byte("Note 6: Nadia Kaci wrote from nadia.k@example.net on 7 May 2016.\n"))
	second, events, extracted := ingestOnce()
	if extracted != 1 || second.New != 1 || second.Held != 5 || second.Added != 1 {
		t.Errorf("second run: %d texts extracted, %d new, %d files held, %d added; want 1, 1, 5, 1", extracted, second.New, second.Held, second.Added)
	}
	if e := events["note-0.txt"]; e.Outcome != ingest.Held || e.Documents != 1 {
		t.Errorf("a file held before: %+v", e)
	}
	if after := mentions(); after <= before {
		t.Errorf("mentions %d after the second run, %d before: the new file's are missing", after, before)
	}
	unresolved, err := st.Unresolved(ctx, 100)
	if err != nil || len(unresolved) != 0 {
		t.Errorf("names left untied after the second run: %v (%v)", unresolved, err)
	}
}
