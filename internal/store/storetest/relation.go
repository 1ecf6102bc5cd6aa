package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// testRelations checks that relations are stored with their documents and
// read back between entities, with their evidence, through every filter.
func testRelations(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "intel", "Intelligence")
	t1 := "Zak Mansour was in touch with Abu Sulayman. Lee Barrow was not in touch with Abu Sulayman."
	t2 := "Abu Sulayman is a member of Ansar al-Thughur."
	d1, d2 := doc("Interview", t1), doc("Assessment", t2)
	d1.Date = time.Date(2016, 4, 19, 0, 0, 0, 0, time.UTC)
	d2.Date = time.Date(2016, 7, 15, 0, 0, 0, 0, time.UTC)
	second := strings.Index(t1, "Lee")
	s1, s2 := mosaic.Span{Start: 0, End: second - 1}, mosaic.Span{Start: second, End: len(t1)}
	at := func(text string, sent mosaic.Span, sub string, typ mosaic.MentionType, after int) mosaic.Mention {
		i := strings.Index(text[after:], sub) + after
		return mosaic.Mention{Start: i, End: i + len(sub), Type: typ, Text: sub, Sentence: sent, Confidence: 1}
	}
	m1 := []mosaic.Mention{
		at(t1, s1, "Zak Mansour", mosaic.Person, 0), at(t1, s1, "Abu Sulayman", mosaic.Person, 0),
		at(t1, s2, "Lee Barrow", mosaic.Person, second), at(t1, s2, "Abu Sulayman", mosaic.Person, second),
	}
	r1 := []mosaic.Relation{
		{Type: "contact", From: 0, To: 1, Sentence: s1, Confidence: 0.625},
		{Type: "contact", From: 2, To: 3, Sentence: s2, Negated: true},
		{Type: "contact", From: 2, To: 3, Sentence: s2, Negated: true}, // stated twice, stored once
	}
	whole := mosaic.Span{Start: 0, End: len(t2)}
	m2 := []mosaic.Mention{at(t2, whole, "Abu Sulayman", mosaic.Person, 0), at(t2, whole, "Ansar al-Thughur", mosaic.Org, 0)}
	r2 := []mosaic.Relation{{Type: "member", From: 0, To: 1, Sentence: whole, Hedged: true}}

	// A relation naming a mention that is not there fails the whole batch.
	bad := store.Ingested{Collection: "police", Doc: d1, Mentions: m1, Relations: []mosaic.Relation{{Type: "contact", From: 0, To: 9}}}
	if _, err := s.Add(ctx, []store.Ingested{bad}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("relation to a missing mention: err = %v, want ErrInvalid", err)
	}
	if ok, _ := s.Holds(ctx, "police", d1.ID); ok {
		t.Fatal("a refused batch was stored")
	}
	mustAdd(t, s, store.Ingested{Collection: "police", Doc: d1, Mentions: m1, Relations: r1},
		store.Ingested{Collection: "intel", Doc: d2, Mentions: m2, Relations: r2})

	rows := func(f store.RelationFilter) []store.RelationRow {
		t.Helper()
		var out []store.RelationRow
		if err := s.Relations(ctx, f, func(r store.RelationRow) error { out = append(out, r); return nil }); err != nil {
			t.Fatal(err)
		}
		return out
	}
	if got := rows(store.RelationFilter{}); len(got) != 0 {
		t.Fatalf("relations between unresolved mentions: %+v, want none", got)
	}
	ids, err := s.Resolve(ctx, d1.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: "Zak Mansour"}, {Kind: mosaic.Person, Name: "Abu Sulayman"}, {Kind: mosaic.Person, Name: "Lee Barrow"}},
		[]store.Assignment{
			{Start: m1[0].Start, End: m1[0].End, Type: mosaic.Person, New: 1},
			{Start: m1[1].Start, End: m1[1].End, Type: mosaic.Person, New: 2},
			{Start: m1[2].Start, End: m1[2].End, Type: mosaic.Person, New: 3},
			{Start: m1[3].Start, End: m1[3].End, Type: mosaic.Person, New: 2},
		})
	if err != nil {
		t.Fatal(err)
	}
	mansour, abu, barrow := ids[0], ids[1], ids[2]
	// The assessment's Abu Sulayman is first resolved as someone else.
	ids2, err := s.Resolve(ctx, d2.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: "Abu Sulayman"}, {Kind: mosaic.Org, Name: "Ansar al-Thughur"}},
		[]store.Assignment{
			{Start: m2[0].Start, End: m2[0].End, Type: mosaic.Person, New: 1},
			{Start: m2[1].Start, End: m2[1].End, Type: mosaic.Org, New: 2},
		})
	if err != nil {
		t.Fatal(err)
	}
	abu2, group := ids2[0], ids2[1]

	describe := func(rs []store.RelationRow) string {
		var out []string
		for _, r := range rs {
			out = append(out, fmt.Sprintf("%d-%s-%d neg=%v hedged=%v %q %s", r.From, r.Type, r.To, r.Negated, r.Hedged,
				t1[r.Sentence.Start:min(r.Sentence.End, len(t1))][:min(r.Sentence.End-r.Sentence.Start, 10)], strings.Join(r.Collections, ",")))
		}
		return strings.Join(out, "; ")
	}
	all := rows(store.RelationFilter{})
	if len(all) != 3 {
		t.Fatalf("relations: %s; want three", describe(all))
	}
	c, neg, mem := all[0], all[1], all[2]
	if c.From != mansour || c.To != abu || c.Type != "contact" || c.Negated || c.Doc != d1.ID || c.Sentence != s1 ||
		c.FromText != "Zak Mansour" || c.ToText != "Abu Sulayman" || !c.Date.Equal(d1.Date) || !slices.Equal(c.Collections, []string{"police"}) {
		t.Errorf("contact relation: %+v", c)
	}
	if neg.From != barrow || neg.To != abu || !neg.Negated || neg.Sentence != s2 {
		t.Errorf("negated relation: %+v", neg)
	}
	// Confidence round-trips; a relation that carries none reads as
	// certain.
	if c.Confidence != 0.625 || neg.Confidence != 1 {
		t.Errorf("confidences %v and %v, want 0.625 as stored and 1 for none", c.Confidence, neg.Confidence)
	}
	if mem.From != abu2 || mem.To != group || mem.Type != "member" || !mem.Hedged || mem.Title != "Assessment" ||
		mem.FromKind != mosaic.Person || mem.ToKind != mosaic.Org {
		t.Errorf("membership relation: %+v", mem)
	}

	for _, tc := range []struct {
		name string
		f    store.RelationFilter
		want int
	}{
		{"scope", store.RelationFilter{Scope: store.Scope{Collections: []string{"intel"}}}, 1},
		{"empty scope", store.RelationFilter{Scope: store.Scope{Collections: []string{}}}, 0},
		{"agency", store.RelationFilter{Agencies: []string{"Police"}}, 2},
		{"type", store.RelationFilter{Types: []mosaic.RelationType{"member"}}, 1},
		{"since", store.RelationFilter{Since: time.Date(2016, 5, 1, 0, 0, 0, 0, time.UTC)}, 1},
		{"until", store.RelationFilter{Until: time.Date(2016, 5, 1, 0, 0, 0, 0, time.UTC)}, 2},
		{"hostile type", store.RelationFilter{Types: []mosaic.RelationType{"x'); DROP TABLE relations; --"}}, 0},
	} {
		if got := rows(tc.f); len(got) != tc.want {
			t.Errorf("%s: %s; want %d relations", tc.name, describe(got), tc.want)
		}
	}

	// A merge shows in the relations without rewriting them.
	if _, err := s.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: abu2, Other: abu, User: "a", Reason: "same man"}); err != nil {
		t.Fatal(err)
	}
	all = rows(store.RelationFilter{})
	if len(all) != 3 || all[0].To != min(abu, abu2) || all[2].From != min(abu, abu2) {
		t.Errorf("after the merge: %s; want both Abu Sulaymans read as %d", describe(all), min(abu, abu2))
	}
}

// testRelationsManyDocuments reads the relations of more documents than
// a store reads at a time beside them (a thousand), each with its own
// title and date, some undated, in two collections, through the date and
// scope filters: every row carries its own document's fields.
func testRelationsManyDocuments(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "press", "Press")
	const n = 1100
	day0 := time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC)
	var batch []store.Ingested
	var resolve []store.DocAssignments
	type want struct {
		id         mosaic.DocID
		title      string
		date       time.Time
		collection string
	}
	var wants []want
	for i := range n {
		text := fmt.Sprintf("Ann Kell met Bo Dray on visit %d.", i)
		d := doc(fmt.Sprintf("Visit %d", i), text)
		if i%7 != 3 {
			d.Date = day0.AddDate(0, 0, i)
		}
		c := "police"
		if i%5 == 0 {
			c = "press"
		}
		ms := []mosaic.Mention{mention(t, text, "Ann Kell", mosaic.Person), mention(t, text, "Bo Dray", mosaic.Person)}
		for j := range ms {
			ms[j].Sentence = mosaic.Span{Start: 0, End: len(text)}
		}
		batch = append(batch, store.Ingested{Collection: c, Doc: d, Mentions: ms,
			Relations: []mosaic.Relation{{Type: mosaic.Contact, From: 0, To: 1, Sentence: mosaic.Span{Start: 0, End: len(text)}, Confidence: 1}}})
		resolve = append(resolve, store.DocAssignments{Doc: d.ID, Assign: []store.Assignment{
			assign(t, text, "Ann Kell", mosaic.Person, 0, 1), assign(t, text, "Bo Dray", mosaic.Person, 0, 2)}})
		wants = append(wants, want{d.ID, d.Title, d.Date, c})
	}
	mustAdd(t, s, batch...)
	if _, err := s.ResolveBatch(ctx, []mosaic.Entity{{Kind: mosaic.Person, Name: "Ann Kell"}, {Kind: mosaic.Person, Name: "Bo Dray"}}, resolve); err != nil {
		t.Fatal(err)
	}
	since := day0.AddDate(0, 0, 400)
	for _, tc := range []struct {
		name string
		f    store.RelationFilter
		keep func(w want) bool
	}{
		{"all", store.RelationFilter{}, func(want) bool { return true }},
		{"since", store.RelationFilter{Since: since}, func(w want) bool { return !w.date.IsZero() && !w.date.Before(since) }},
		{"until, in scope", store.RelationFilter{Until: since, Scope: store.Scope{Collections: []string{"press"}}},
			func(w want) bool { return !w.date.IsZero() && !w.date.After(since) && w.collection == "press" }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var expect []want
			for _, w := range wants {
				if tc.keep(w) {
					expect = append(expect, w)
				}
			}
			i := 0
			err := s.Relations(ctx, tc.f, func(r store.RelationRow) error {
				if i >= len(expect) {
					return fmt.Errorf("row %d (%s) past the %d expected", i, r.Title, len(expect))
				}
				w := expect[i]
				if r.Doc != w.id || r.Title != w.title || !r.Date.Equal(w.date) || !slices.Equal(r.Collections, []string{w.collection}) {
					return fmt.Errorf("row %d: %s %q %v %v, want %s %q %v [%s]", i, r.Doc, r.Title, r.Date, r.Collections, w.id, w.title, w.date, w.collection)
				}
				i++
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			if i != len(expect) {
				t.Errorf("%d rows, want %d", i, len(expect))
			}
		})
	}
}

// testConnectionNamesInScope holds the names of an entity's connections
// to the scope: the fullest spelling among the sentences the scope holds,
// never a longer one only another collection's documents write, and the
// counts to the scope's sentences; a scope of every collection reads as
// the whole store.
func testConnectionNamesInScope(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "press", "Press")
	ta, tb := "Nadia Ferhat met Karim Benali.", "Nadia Ferhat met Karim Benali-Haddad again."
	a, b := doc("Meeting", ta), doc("Second meeting", tb)
	mustAdd(t, s,
		store.Ingested{Collection: "police", Doc: a, Mentions: []mosaic.Mention{mention(t, ta, "Nadia Ferhat", mosaic.Person), mention(t, ta, "Karim Benali", mosaic.Person)}},
		store.Ingested{Collection: "press", Doc: b, Mentions: []mosaic.Mention{mention(t, tb, "Nadia Ferhat", mosaic.Person), mention(t, tb, "Karim Benali-Haddad", mosaic.Person)}})
	ids, err := s.ResolveBatch(ctx, []mosaic.Entity{{Kind: mosaic.Person, Name: "Nadia Ferhat"}, {Kind: mosaic.Person, Name: "Karim Benali"}},
		[]store.DocAssignments{
			{Doc: a.ID, Assign: []store.Assignment{assign(t, ta, "Nadia Ferhat", mosaic.Person, 0, 1), assign(t, ta, "Karim Benali", mosaic.Person, 0, 2)}},
			{Doc: b.ID, Assign: []store.Assignment{assign(t, tb, "Nadia Ferhat", mosaic.Person, 0, 1), assign(t, tb, "Karim Benali-Haddad", mosaic.Person, 0, 2)}},
		})
	if err != nil {
		t.Fatal(err)
	}
	ferhat := ids[0]
	for _, tc := range []struct {
		name      string
		scope     store.Scope
		want      string
		sentences int
	}{
		{"police", store.Scope{Collections: []string{"police"}}, "Karim Benali", 1},
		{"press", store.Scope{Collections: []string{"press"}}, "Karim Benali-Haddad", 1},
		{"every collection named", store.Scope{Collections: []string{"police", "press"}}, "Karim Benali-Haddad", 2},
		{"whole", store.Scope{}, "Karim Benali-Haddad", 2},
	} {
		p, err := s.Entity(ctx, ferhat, tc.scope)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if len(p.Connections) != 1 || p.Connections[0].Name != tc.want || p.Connections[0].Sentences != tc.sentences {
			t.Errorf("%s: connections %+v, want %q in %d sentences", tc.name, p.Connections, tc.want, tc.sentences)
		}
		if len(p.Names) != 1 || p.Names[0].Mentions != tc.sentences || p.Names[0].DocumentCount != tc.sentences {
			t.Errorf("%s: names %+v, want Nadia Ferhat in %d documents", tc.name, p.Names, tc.sentences)
		}
	}
	// A spelling as long as the fullest and first in byte order names the
	// pair instead; stored resolved, as ingest stores (AddResolved).
	tc := "Nadia Ferhat met Karim Benali-Haddac again."
	c := doc("Third meeting", tc)
	_, _, err = s.AddResolved(ctx, []store.Ingested{{Collection: "police", Doc: c,
		Mentions: []mosaic.Mention{mention(t, tc, "Nadia Ferhat", mosaic.Person), mention(t, tc, "Karim Benali-Haddac", mosaic.Person)}}},
		nil, []store.DocAssignments{{Doc: c.ID, Assign: []store.Assignment{
			assign(t, tc, "Nadia Ferhat", mosaic.Person, ferhat, 0), assign(t, tc, "Karim Benali-Haddac", mosaic.Person, ids[1], 0)}}})
	if err != nil {
		t.Fatal(err)
	}
	named := func(scope store.Scope, want string) {
		t.Helper()
		p, err := s.Entity(ctx, ferhat, scope)
		if err != nil {
			t.Fatal(err)
		}
		if len(p.Connections) != 1 || p.Connections[0].Name != want {
			t.Errorf("scope %v: connections %+v, want %q", scope.Collections, p.Connections, want)
		}
	}
	named(store.Scope{}, "Karim Benali-Haddac")
	named(store.Scope{Collections: []string{"police", "press"}}, "Karim Benali-Haddac")
	named(store.Scope{Collections: []string{"press"}}, "Karim Benali-Haddad")
	// The collection whose documents gave that name goes: the name falls
	// back to the fullest of the sentences left.
	if _, err := s.DeleteCollection(ctx, "police", "admin", "test"); err != nil {
		t.Fatal(err)
	}
	named(store.Scope{}, "Karim Benali-Haddad")
	named(store.Scope{Collections: []string{"press"}}, "Karim Benali-Haddad")
}
