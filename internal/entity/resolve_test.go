package entity_test

import (
	"context"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// corpus is a real store with a resolver over it.
type corpus struct {
	t  *testing.T
	st *sqlite.Store
	r  *entity.Resolver
}

func newCorpus(t *testing.T) *corpus {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, err := st.EnsureCollection(ctx, "c", "A"); err != nil {
		t.Fatal(err)
	}
	r, err := entity.NewResolver(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	return &corpus{t, st, r}
}

// add stores and resolves a document whose mentions are "TYPE:surface"
// specs marked left to right, and returns each mention's entity.
func (c *corpus) add(text string, specs ...string) []mosaic.EntityID {
	c.t.Helper()
	ctx := context.Background()
	var ms []mosaic.Mention
	from := 0
	for _, spec := range specs {
		typ, surface, _ := strings.Cut(spec, ":")
		i := strings.Index(text[from:], surface)
		if i < 0 {
			c.t.Fatalf("fixture: %q not after byte %d", surface, from)
		}
		start := from + i
		ms = append(ms, mosaic.Mention{Start: start, End: start + len(surface), Type: mosaic.MentionType(typ), Text: surface,
			Sentence: mosaic.Span{Start: 0, End: len(text)}, Confidence: 1})
		from = start + len(surface)
	}
	d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "t", Text: text, Format: mosaic.FormatText, Source: "t.txt"}
	if _, err := c.st.Add(ctx, []store.Ingested{{Collection: "c", Doc: d, Mentions: ms}}); err != nil {
		c.t.Fatal(err)
	}
	if err := c.r.ResolveDocument(ctx, d, ms); err != nil {
		c.t.Fatal(err)
	}
	ids := make([]mosaic.EntityID, len(ms))
	// Read the decisions back through the stored profiles: the entity of a
	// mention is the one whose names list its spelling in this document.
	for i, m := range ms {
		for _, cand := range c.r.Find(m.Text, 0) {
			p, err := c.st.Entity(ctx, mosaic.EntityID(cand.ID), store.Scope{})
			if err != nil {
				continue
			}
			for _, n := range p.Names {
				for _, doc := range n.Documents {
					if doc.ID == d.ID && n.Name == m.Text && p.Kind == m.Type {
						ids[i] = p.ID
					}
				}
			}
		}
	}
	return ids
}

func TestResolver(t *testing.T) {
	t.Run("a first name tied within a document does not capture other documents", func(t *testing.T) {
		c := newCorpus(t)
		a := c.add("John Smith spoke to the court. Later John left.", "PERSON:John Smith", "PERSON:John")
		if a[0] == 0 || a[0] != a[1] {
			t.Fatalf("within the document: %v, want John tied to John Smith", a)
		}
		b := c.add("A man called John was arrested in Leeds.", "PERSON:John", "LOCATION:Leeds")
		if b[0] == a[0] {
			t.Errorf("a bare John elsewhere was tied to John Smith (entity %d)", a[0])
		}
		// The full name still matches across documents.
		if x := c.add("Officers questioned John Smith again.", "PERSON:John Smith"); x[0] != a[0] {
			t.Errorf("John Smith in another document: entity %d, want %d", x[0], a[0])
		}
		// And a reloaded resolver applies the same rule.
		r, err := entity.NewResolver(context.Background(), c.st)
		if err != nil {
			t.Fatal(err)
		}
		c.r = r
		if y := c.add("John arrived late to the meeting.", "PERSON:John"); y[0] == a[0] {
			t.Error("after reloading, a bare John was tied to John Smith")
		}
	})
	t.Run("transliterations across documents", func(t *testing.T) {
		c := newCorpus(t)
		a := c.add("Abdelkader el-Haddouchi left Brussels.", "PERSON:Abdelkader el-Haddouchi", "LOCATION:Brussels")
		b := c.add("The caller was Abd al-Qadir al-Haddushi.", "PERSON:Abd al-Qadir al-Haddushi")
		if a[0] == 0 || b[0] != a[0] {
			t.Errorf("entities %d and %d, want one", a[0], b[0])
		}
	})
	t.Run("two matching names in one document are one new entity", func(t *testing.T) {
		c := newCorpus(t)
		a := c.add("Mohammed Ali Shakir was charged. Police said Muhammad Ali Shakir had a record.",
			"PERSON:Mohammed Ali Shakir", "PERSON:Muhammad Ali Shakir")
		if a[0] == 0 || a[0] != a[1] {
			t.Errorf("entities %v, want one", a)
		}
	})
	t.Run("types never mix", func(t *testing.T) {
		c := newCorpus(t)
		p := c.add("George Washington spoke.", "PERSON:George Washington")
		l := c.add("They flew to Washington.", "LOCATION:Washington")
		q := c.add("Officials in WASHINGTON said so.", "LOCATION:WASHINGTON")
		if l[0] == 0 || l[0] == p[0] {
			t.Errorf("the place %d and the person %d", l[0], p[0])
		}
		if q[0] != l[0] {
			t.Errorf("WASHINGTON the place is entity %d, want %d", q[0], l[0])
		}
	})
}
