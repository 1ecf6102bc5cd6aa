package sqlstore

import (
	"context"
	"fmt"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// BenchmarkRelations times reading every relation of a store whose
// entities merges have joined, the read a network is built from: each
// relation's two entities are resolved through the merges of the
// reader's agency.
//
//	go test ./internal/store/sqlite/ -run '^$' -bench Relations -benchtime 3x
//
// 20,000 one-sentence documents, each stating a contact between two of
// 2,000 people, of whom 500 pairs are merged.
func BenchmarkRelations(b *testing.B) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	if _, err := s.db.ExecContext(ctx, `PRAGMA synchronous = OFF`); err != nil {
		b.Fatal(err)
	}
	if _, err := s.EnsureCollection(ctx, "intel", "Intelligence"); err != nil {
		b.Fatal(err)
	}
	const docs, people = 20_000, 2_000
	ids := make([]mosaic.EntityID, people)
	var batch []store.Ingested
	flush := func() {
		if _, err := s.Add(ctx, batch); err != nil {
			b.Fatal(err)
		}
		for _, in := range batch {
			var assign []store.Assignment
			var created []mosaic.Entity
			for _, m := range in.Mentions {
				a := store.Assignment{Start: m.Start, End: m.End, Type: m.Type, Why: "bench"}
				var n int
				fmt.Sscanf(m.Text, "Person %d", &n)
				if ids[n] == 0 {
					created = append(created, mosaic.Entity{Kind: mosaic.Person, Name: m.Text})
					a.New = len(created)
				} else {
					a.Entity = ids[n]
				}
				assign = append(assign, a)
			}
			got, err := s.Resolve(ctx, in.Doc.ID, created, assign)
			if err != nil {
				b.Fatal(err)
			}
			for i, m := range in.Mentions {
				var n int
				fmt.Sscanf(m.Text, "Person %d", &n)
				if assign[i].New > 0 {
					ids[n] = got[assign[i].New-1]
				}
			}
		}
		batch = batch[:0]
	}
	for i := range docs {
		a, c := i%people, (i*7+1)%people
		if a == c {
			c = (c + 1) % people
		}
		from, to := fmt.Sprintf("Person %d", a), fmt.Sprintf("Person %d", c)
		text := from + " was in touch with " + to + "."
		whole := mosaic.Span{Start: 0, End: len(text)}
		ms := []mosaic.Mention{
			{Start: 0, End: len(from), Type: mosaic.Person, Text: from, Sentence: whole, Confidence: 1},
			{Start: len(text) - 1 - len(to), End: len(text) - 1, Type: mosaic.Person, Text: to, Sentence: whole, Confidence: 1},
		}
		d := mosaic.Document{ID: mosaic.NewDocID([]byte(text + fmt.Sprint(i))), Title: fmt.Sprint("report ", i), Text: text,
			Format: mosaic.FormatText, Size: int64(len(text))}
		batch = append(batch, store.Ingested{Collection: "intel", Doc: d, Mentions: ms,
			Relations: []mosaic.Relation{{Type: "contact", From: 0, To: 1, Sentence: whole, Confidence: 1}}})
		if len(batch) == 500 {
			flush()
		}
	}
	flush()
	for i := 0; i < 1000; i += 2 {
		if _, err := s.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: ids[i], Other: ids[i+1], User: "bench", Reason: "bench"}); err != nil {
			b.Fatal(err)
		}
	}
	for _, c := range []struct {
		name  string
		scope store.Scope
	}{
		{"All", store.Scope{}},
		{"InScope", store.Scope{Collections: []string{"intel"}}},
	} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				n := 0
				if err := s.Relations(ctx, store.RelationFilter{Scope: c.scope}, func(store.RelationRow) error { n++; return nil }); err != nil {
					b.Fatal(err)
				}
				// A contact between two merged people is no relation.
				if n < docs*9/10 {
					b.Fatalf("%d relations of %d", n, docs)
				}
			}
		})
	}
}
