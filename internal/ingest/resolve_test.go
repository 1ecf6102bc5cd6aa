package ingest_test

import (
	"context"
	"fmt"
	"maps"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/corpus"
	"mosaic/internal/entity"
	"mosaic/internal/extract"
	"mosaic/internal/extract/ner"
	"mosaic/internal/ingest"
	"mosaic/internal/store"
)

// TestResolvedAsStored holds the ties ingestion stores with each batch
// (store.DocumentWriter.AddResolved, the resolver planning documents not
// yet stored) to those of the older way: documents stored first, their
// names resolved afterwards (entity.Resolver.Pending, which plans stored
// documents and ties them in a transaction of its own). On a generated
// corpus whose names recur across documents, with the tagger, both must
// group the same mentions into entities, in batches small and large,
// including the batches cut where a document waits for the ones before it
// to be stored (entity.ErrStoreFirst).
func TestResolvedAsStored(t *testing.T) {
	dir := t.TempDir()
	if _, err := corpus.New(7).Write(dir, 300); err != nil {
		t.Fatal(err)
	}
	// Reports that name people first in full, then by surname alone: a
	// lone surname is a weak name, judged on what the documents of its
	// candidates say, so a report naming a surname whose person an earlier
	// report of its batch introduced waits for that one to be stored.
	// They are the records of one file, so that a batch is cut inside it.
	people := []string{"Samir Haddad", "Karim Zaidi", "Omar Belkacem", "Tariq Nasser"}
	var records []byte
	for i := range 12 {
		a, b := people[i%4], people[(i+1)%4]
		text := fmt.Sprintf("%s met %s in Leeds on %d May 2016.", a, b, i+1)
		if i >= 4 {
			text = fmt.Sprintf("%s was seen again in Leeds with %s on %d June 2016.", strings.Fields(a)[1], strings.Fields(b)[1], i+1)
		}
		records = fmt.Appendf(records, "{\"title\": \"Report %d\", \"text\": %q}\n", i, text)
	}
	write(t, filepath.Join(dir, "zz", "reports.jsonl"), records)
	const files = 312 // documents
	ex := extract.New(append(extract.Patterns(), ner.Recognizer())...)
	ctx := context.Background()

	// The older way.
	before := openStore(t)
	if _, err := ingest.Run(ctx, before, ex, []string{dir}, options(), nil); err != nil {
		t.Fatal(err)
	}
	r, err := entity.NewResolver(ctx, before)
	if err != nil {
		t.Fatal(err)
	}
	if n, err := r.Pending(ctx); err != nil || n != files {
		t.Fatalf("resolving the stored documents: %d, %v", n, err)
	}
	want := groups(t, before)
	if len(want) < 50 {
		t.Fatalf("the corpus resolves to %d entities; the test needs names that recur", len(want))
	}

	for _, batch := range []int{7, 256} {
		t.Run(fmt.Sprintf("batches of %d", batch), func(t *testing.T) {
			st := openStore(t)
			r, err := entity.NewResolver(ctx, st)
			if err != nil {
				t.Fatal(err)
			}
			opts := options()
			opts.Resolver, opts.BatchDocs, opts.Workers = r, batch, 1
			stats, err := ingest.Run(ctx, st, ex, []string{dir}, opts, nil)
			if err != nil || stats.New != files {
				t.Fatalf("ingest: %+v, %v", stats, err)
			}
			if un, err := st.Unresolved(ctx, 10); err != nil || len(un) != 0 {
				t.Fatalf("documents left unresolved: %v (%v)", un, err)
			}
			got := groups(t, st)
			if len(got) != len(want) {
				t.Errorf("%d entities, want %d", len(got), len(want))
			}
			missing := 0
			for g := range want {
				if !got[g] {
					if missing++; missing <= 3 {
						t.Errorf("not grouped so: %s", g)
					}
				}
			}
			if missing > 0 {
				t.Errorf("%d of %d entities' mentions grouped otherwise", missing, len(want))
			}
		})
	}
}

// groups returns each entity of a store as the set of mentions tied to
// it, written out: what resolution decided, whatever the entities' IDs.
func groups(t *testing.T, st interface {
	Documents(context.Context, store.DocumentFilter) ([]store.Summary, int, error)
	Mentions(context.Context, mosaic.DocID, store.Scope) ([]mosaic.Mention, error)
}) map[string]bool {
	t.Helper()
	ctx := context.Background()
	docs, _, err := st.Documents(ctx, store.DocumentFilter{Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	byEntity := map[mosaic.EntityID][]string{}
	for _, d := range docs {
		ms, err := st.Mentions(ctx, d.ID, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Entity != 0 {
				byEntity[m.Entity] = append(byEntity[m.Entity], fmt.Sprintf("%s@%d:%s", d.ID.Short(), m.Start, m.Text))
			}
		}
	}
	out := map[string]bool{}
	for ms := range maps.Values(byEntity) {
		slices.Sort(ms)
		out[strings.Join(ms, " ")] = true
	}
	return out
}

// TestDefaultWorkers holds a run that is not told how many files to read
// at once to one reader per CPU the runtime may use, one fewer when it
// resolves names (the writer's CPU), and never none; a run told a number
// keeps it. Stats.Workers says what the run used.
func TestDefaultWorkers(t *testing.T) {
	dir := t.TempDir()
	if _, err := corpus.New(3).Write(dir, 6); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for _, c := range []struct {
		procs, told int
		resolve     bool
		want        int
	}{
		{procs: 4, want: 4},
		{procs: 4, resolve: true, want: 3},
		{procs: 2, resolve: true, want: 1},
		{procs: 1, resolve: true, want: 1},
		{procs: 1, want: 1},
		{procs: 4, told: 4, resolve: true, want: 4},
	} {
		t.Run(fmt.Sprintf("%d CPUs, told %d, resolving %v", c.procs, c.told, c.resolve), func(t *testing.T) {
			defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(c.procs))
			st := openStore(t)
			opts := options()
			opts.Workers = c.told
			if c.resolve {
				r, err := entity.NewResolver(ctx, st)
				if err != nil {
					t.Fatal(err)
				}
				opts.Resolver = r
			}
			stats, err := ingest.Run(ctx, st, extract.New(extract.Patterns()...), []string{dir}, opts, nil)
			if err != nil {
				t.Fatal(err)
			}
			if stats.New != 6 || stats.Workers != c.want {
				t.Errorf("stored %d documents with %d readers; want 6 with %d", stats.New, stats.Workers, c.want)
			}
		})
	}
}
