package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// The profile benchmarks build a store around one hub entity and time
// reading its profile, later pages of its connections and timeline, and a
// later page of the documents list:
//
//	go test ./internal/store/sqlite/ -run '^$' -bench Profile -benchtime 20x
//
// "dense": 250 documents of 400 sentences, each naming the hub and two of
// 2,000 other entities (100,000 mentions of the hub). "wide": 100,000
// one-sentence documents, each naming the hub and two others.

func BenchmarkProfile(b *testing.B) {
	for _, c := range []struct {
		name            string
		docs, sentences int
	}{
		{"dense", 250, 400},
		{"wide", 100_000, 1},
	} {
		b.Run(c.name, func(b *testing.B) {
			s, hub := hubStore(b, c.docs, c.sentences)
			ctx := context.Background()
			b.Run("Entity", func(b *testing.B) {
				for b.Loop() {
					p, err := s.Entity(ctx, hub, store.Scope{})
					if err != nil || len(p.Connections) == 0 {
						b.Fatalf("profile: %v, %d connections", err, len(p.Connections))
					}
				}
			})
			b.Run("EntityInScope", func(b *testing.B) {
				scope := store.Scope{Collections: []string{"odd"}}
				for b.Loop() {
					if _, err := s.Entity(ctx, hub, scope); err != nil {
						b.Fatal(err)
					}
				}
			})
			b.Run("ConnectionsPage2", func(b *testing.B) {
				_, next, err := s.EntityConnections(ctx, hub, store.Scope{}, store.Page{Limit: 100})
				if err != nil || next == "" {
					b.Fatalf("first page: %v, next %q", err, next)
				}
				for b.Loop() {
					if _, _, err := s.EntityConnections(ctx, hub, store.Scope{}, store.Page{Limit: 100, Cursor: next}); err != nil {
						b.Fatal(err)
					}
				}
			})
			for name, scope := range map[string]store.Scope{"DocumentsPage2": {}, "DocumentsPage2InScope": {Collections: []string{"odd"}}} {
				b.Run(name, func(b *testing.B) {
					first, err := s.DocumentsPage(ctx, store.DocumentFilter{Scope: scope})
					if err != nil || first.Next == "" && first.Total > 50 {
						b.Fatalf("first page: %v, next %q", err, first.Next)
					}
					for b.Loop() {
						if _, err := s.DocumentsPage(ctx, store.DocumentFilter{Scope: scope, Cursor: first.Next}); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
			b.Run("TimelinePage2", func(b *testing.B) {
				_, next, err := s.EntityTimeline(ctx, hub, store.Scope{}, store.Page{Limit: 100})
				if err != nil || next == "" {
					b.Fatalf("first page: %v, next %q", err, next)
				}
				for b.Loop() {
					if _, _, err := s.EntityTimeline(ctx, hub, store.Scope{}, store.Page{Limit: 100, Cursor: next}); err != nil {
						b.Fatal(err)
					}
				}
			})
		})
	}
}

// hubStore stores docs documents of the given number of sentences in two
// collections ("even" and "odd" by document number) and resolves them:
// every sentence names the hub and two of 2,000 other people. It returns
// the store and the hub's ID.
func hubStore(b *testing.B, docs, sentences int) (*Store, mosaic.EntityID) {
	b.Helper()
	ctx := context.Background()
	s, err := OpenSQLite(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	// Durability is not what is measured; building is faster without it.
	if _, err := s.db.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		b.Fatal(err)
	}
	for _, c := range []string{"even", "odd"} {
		if _, err := s.EnsureCollection(ctx, c, "Bench"); err != nil {
			b.Fatal(err)
		}
	}
	const others = 2000
	var ids []mosaic.EntityID // 0 is the hub, then the others
	var batch []store.Ingested
	var assigns [][]store.Assignment
	flush := func() {
		if _, err := s.Add(ctx, batch); err != nil {
			b.Fatal(err)
		}
		for i, in := range batch {
			var created []mosaic.Entity
			as := assigns[i]
			if ids == nil {
				created = append(created, mosaic.Entity{Kind: mosaic.Person, Name: "Hub Person"})
				for k := range others {
					created = append(created, mosaic.Entity{Kind: mosaic.Person, Name: fmt.Sprintf("Other Person%d", k)})
				}
				for j := range as {
					as[j].New, as[j].Entity = int(as[j].Entity)+1, 0
				}
			} else {
				for j := range as {
					as[j].Entity = ids[as[j].Entity]
				}
			}
			got, err := s.Resolve(ctx, in.Doc.ID, created, as)
			if err != nil {
				b.Fatal(err)
			}
			if ids == nil {
				ids = got
			}
		}
		batch, assigns = batch[:0], assigns[:0]
	}
	n := 0
	for d := range docs {
		var text strings.Builder
		var ms []mosaic.Mention
		var as []store.Assignment
		for k := range sentences {
			start := text.Len()
			// Entity indexes stand in for IDs until the first Resolve
			// has created them; the first document names every other.
			a, c := 1+n%others, 1+(n*7+3)%others
			if d == 0 && k == 0 {
				for o := range others {
					ms, as = mentionAt(&text, ms, as, fmt.Sprintf("Other Person%d", o), 1+o)
					text.WriteString(", ")
				}
			}
			ms, as = mentionAt(&text, ms, as, "Hub Person", 0)
			text.WriteString(" met ")
			ms, as = mentionAt(&text, ms, as, fmt.Sprintf("Other Person%d", a-1), a)
			text.WriteString(" and ")
			ms, as = mentionAt(&text, ms, as, fmt.Sprintf("Other Person%d", c-1), c)
			text.WriteString(".\n")
			for i := range ms {
				if ms[i].Sentence == (mosaic.Span{}) {
					ms[i].Sentence = mosaic.Span{Start: start, End: text.Len()}
				}
			}
			n++
		}
		doc := mosaic.Document{ID: mosaic.NewDocID([]byte(fmt.Sprint("bench ", d))), Title: fmt.Sprint("Document ", d),
			Text: text.String(), Format: mosaic.FormatText, Source: fmt.Sprint(d, ".txt"), Size: int64(text.Len())}
		if d%3 != 0 {
			doc.Date = time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, d%1000)
		}
		batch = append(batch, store.Ingested{Collection: []string{"even", "odd"}[d%2], Doc: doc, Mentions: ms})
		assigns = append(assigns, as)
		if len(batch) == 500 || d == 0 {
			flush()
		}
	}
	if len(batch) > 0 {
		flush()
	}
	return s, ids[0]
}

// mentionAt writes name and records a mention of it tied to the entity of
// index e.
func mentionAt(text *strings.Builder, ms []mosaic.Mention, as []store.Assignment, name string, e int) ([]mosaic.Mention, []store.Assignment) {
	start := text.Len()
	text.WriteString(name)
	ms = append(ms, mosaic.Mention{Start: start, End: start + len(name), Type: mosaic.Person, Text: name, Confidence: 0.9})
	as = append(as, store.Assignment{Start: start, End: start + len(name), Type: mosaic.Person, Entity: mosaic.EntityID(e), Why: "bench"})
	return ms, as
}

// BenchmarkDocumentPage times reading one page from the middle of a
// document, the way GET /api/v1/documents/{id}?page= does, for a document
// of ingest's largest part (512 KiB) and for one of 32 MB (stored whole
// before ingest cut long texts into parts, or with a larger part size):
//
//	go test ./internal/store/sqlite/ -run '^$' -bench DocumentPage -benchtime 20x
func BenchmarkDocumentPage(b *testing.B) {
	for _, size := range []int{512 << 10, 32 << 20} {
		b.Run(fmt.Sprintf("%dKiB", size>>10), func(b *testing.B) {
			ctx := context.Background()
			s, id := chatStore(b, size, "Line %d of a long chat export, in which nobody is named.\n")
			_, tp, _, err := s.DocumentPage(ctx, id, store.Scope{}, 0)
			if err != nil {
				b.Fatal(err)
			}
			for b.Loop() {
				p, _, _, err := s.DocumentPage(ctx, id, store.Scope{}, tp.Pages/2)
				if err != nil || len(p.Text) == 0 {
					b.Fatalf("page %d: %v", tp.Pages/2, err)
				}
			}
		})
	}
}

// BenchmarkResolveHub times storing and resolving the dense hub store
// (250 documents, 100,000 mentions of the hub and 200,000 of others), the
// tallies included, one store per iteration:
//
//	go test ./internal/store/sqlite/ -run '^$' -bench ResolveHub -benchtime 1x
func BenchmarkResolveHub(b *testing.B) {
	for b.Loop() {
		hubStore(b, 250, 400)
	}
}
