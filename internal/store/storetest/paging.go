package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/store"
)

// walk pages through a list with the given page size until its last page,
// returning every item in order. Between pages it calls between (which may
// add to the store). It fails on a page over the limit, and stops after
// far more pages than there can be.
func walk[T any](t *testing.T, limit int, read func(p store.Page) ([]T, string, error), between func()) []T {
	t.Helper()
	var out []T
	p := store.Page{Limit: limit}
	for range 1000 {
		items, next, err := read(p)
		if err != nil {
			t.Fatalf("page after %q: %v", p.Cursor, err)
		}
		if len(items) > limit {
			t.Fatalf("page of %d items, limit %d", len(items), limit)
		}
		out = append(out, items...)
		if next == "" {
			return out
		}
		if len(items) == 0 {
			t.Fatal("an empty page with a next cursor")
		}
		if between != nil {
			between()
		}
		p.Cursor = next
	}
	t.Fatal("paging never ended")
	return nil
}

// badCursors are cursors no list gives.
var badCursors = []string{"x", "!!!", "bm90IGpzb24", "WyJub25lIl0", strings.Repeat("A", 300)}

func testDocumentsCursor(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "a", "A")
	mustCollection(t, s, "b", "B")
	add := func(c string, i int) mosaic.Document {
		d := doc(fmt.Sprintf("Doc %d", i), fmt.Sprintf("text %d", i))
		mustAdd(t, s, store.Ingested{Collection: c, Doc: d})
		return d
	}
	var stored []mosaic.Document
	for i := range 9 {
		stored = append(stored, add([]string{"a", "b"}[i%2], i))
	}
	// Newest first.
	var want []mosaic.DocID
	for i := len(stored) - 1; i >= 0; i-- {
		want = append(want, stored[i].ID)
	}
	n := 100
	list := func(f store.DocumentFilter) func(p store.Page) ([]store.Summary, string, error) {
		return func(p store.Page) ([]store.Summary, string, error) {
			f.Limit, f.Cursor = p.Limit, p.Cursor
			l, err := s.DocumentsPage(ctx, f)
			return l.Documents, l.Next, err
		}
	}
	// Documents arriving between pages, and an old one gaining a second
	// holding, neither repeat nor hide any of those listed when paging began.
	got := walk(t, 2, list(store.DocumentFilter{}), func() {
		add("a", n)
		n++
		if n == 102 {
			mustAdd(t, s, store.Ingested{Collection: "a", Doc: stored[1]})
		}
	})
	var ids []mosaic.DocID
	for _, d := range got {
		ids = append(ids, d.ID)
	}
	if !slices.Equal(ids, want) {
		t.Errorf("paged with arrivals: %v\nwant %v", titles(got), want)
	}
	// Within a collection, with the default page size.
	l, err := s.DocumentsPage(ctx, store.DocumentFilter{Collection: "b"})
	if err != nil || l.Total != 4 || len(l.Documents) != 4 || l.Next != "" {
		t.Errorf("collection b: %+v, %v; want its 4 documents and no next page", l, err)
	}
	first, err := s.DocumentsPage(ctx, store.DocumentFilter{Limit: 1})
	if err != nil || len(first.Documents) != 1 || first.Next == "" || first.Total != 9+n-100 {
		t.Fatalf("first page of one: %+v, %v", first, err)
	}
	// A cursor of another list is refused.
	_, mnext, err := s.MentionsPage(ctx, stored[0].ID, store.Scope{}, mosaic.Span{}, store.Page{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range append(badCursors, mnext+"x", "W10") {
		if _, err := s.DocumentsPage(ctx, store.DocumentFilter{Cursor: c}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("cursor %q: err = %v, want ErrInvalid", c, err)
		}
	}
}

func testMentionsPage(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "a", "A")
	var text strings.Builder
	var ms []mosaic.Mention
	for i := range 23 {
		name := fmt.Sprintf("Person%02d", i)
		start := text.Len()
		text.WriteString(name + " spoke. ")
		ms = append(ms, mosaic.Mention{Start: start, End: start + len(name), Type: mosaic.Person, Text: name, Confidence: 0.9,
			Sentence: mosaic.Span{Start: start, End: text.Len() - 1}})
		// Two mentions on one span, of two types, both kept in order.
		if i%5 == 0 {
			ms = append(ms, mosaic.Mention{Start: start, End: start + len(name), Type: mosaic.Org, Text: name, Confidence: 0.5,
				Sentence: mosaic.Span{Start: start, End: text.Len() - 1}})
		}
	}
	d := doc("Roll call", text.String())
	mustAdd(t, s, store.Ingested{Collection: "a", Doc: d, Mentions: ms})
	all, err := s.Mentions(ctx, d.ID, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	for _, limit := range []int{1, 4, 1000} {
		got := walk(t, limit, func(p store.Page) ([]mosaic.Mention, string, error) {
			return s.MentionsPage(ctx, d.ID, store.Scope{}, mosaic.Span{}, p)
		}, nil)
		if fmt.Sprint(got) != fmt.Sprint(all) {
			t.Errorf("limit %d: paged mentions differ from Mentions:\n got %v\nwant %v", limit, got, all)
		}
	}
	// Only those starting inside a window.
	window := mosaic.Span{Start: ms[10].Start, End: ms[20].Start}
	got := walk(t, 3, func(p store.Page) ([]mosaic.Mention, string, error) {
		return s.MentionsPage(ctx, d.ID, store.Scope{}, window, p)
	}, nil)
	var want []mosaic.Mention
	for _, m := range all {
		if m.Start >= window.Start && m.Start < window.End {
			want = append(want, m)
		}
	}
	if len(want) == 0 || fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("window %v: got %d mentions, want %d", window, len(got), len(want))
	}
	for _, c := range badCursors {
		if _, _, err := s.MentionsPage(ctx, d.ID, store.Scope{}, mosaic.Span{}, store.Page{Cursor: c}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("cursor %q: err = %v, want ErrInvalid", c, err)
		}
	}
	if _, _, err := s.MentionsPage(ctx, d.ID, store.Scope{Collections: []string{"elsewhere"}}, mosaic.Span{}, store.Page{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("outside the scope: err = %v, want ErrNotFound", err)
	}
}

func testDocumentPages(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "a", "A")
	var lines strings.Builder
	for i := 0; lines.Len() < 3*store.TextPageSize+1000; i++ {
		fmt.Fprintf(&lines, "Line %d of a long chat export, with é and 漢字 in it.\n", i)
	}
	// One run of two-byte characters with no space: a cut falls between
	// characters. And one of words with no line break.
	runes := strings.Repeat("é", store.TextPageSize+100)
	words := strings.Repeat("word ", store.TextPageSize/2)
	for _, c := range []struct{ name, text string }{
		{"lines", lines.String()},
		{"runes", runes},
		{"words", words},
		{"short", "A short note."},
	} {
		t.Run(c.name, func(t *testing.T) {
			d := doc(c.name, c.text)
			mustAdd(t, s, store.Ingested{Collection: "a", Doc: d})
			var joined strings.Builder
			pages := -1
			for n := 0; n != pages; n++ {
				got, tp, holdings, err := s.DocumentPage(ctx, d.ID, store.Scope{}, n)
				if err != nil {
					t.Fatalf("page %d: %v", n, err)
				}
				pages = tp.Pages
				if got.Title != d.Title || len(holdings) != 1 || tp.Number != n || tp.Length != len(c.text) {
					t.Errorf("page %d: title %q, holdings %v, place %+v", n, got.Title, holdings, tp)
				}
				if tp.Start != joined.Len() || tp.End-tp.Start != len(got.Text) || len(got.Text) > store.TextPageSize || len(got.Text) == 0 {
					t.Fatalf("page %d at [%d,%d) holds %d bytes after %d", n, tp.Start, tp.End, len(got.Text), joined.Len())
				}
				if !utf8.ValidString(got.Text) {
					t.Errorf("page %d is cut inside a character", n)
				}
				if tp.End < tp.Length && c.name != "runes" {
					if r, _ := utf8.DecodeLastRuneInString(got.Text); !unicode.IsSpace(r) {
						t.Errorf("page %d ends with %q, not at white space", n, r)
					}
				}
				if c.name == "lines" && tp.End < tp.Length && !strings.HasSuffix(got.Text, "\n") {
					t.Errorf("page %d does not end at a line break", n)
				}
				joined.WriteString(got.Text)
			}
			if joined.String() != c.text {
				t.Errorf("the %d pages do not make the text", pages)
			}
			if least := (len(c.text) + store.TextPageSize - 1) / store.TextPageSize; pages < least || pages > least+least/8+1 {
				t.Errorf("%d pages of at most %d bytes for a text of %d", pages, store.TextPageSize, len(c.text))
			}
			for _, n := range []int{-1, pages} {
				if _, _, _, err := s.DocumentPage(ctx, d.ID, store.Scope{}, n); !errors.Is(err, store.ErrInvalid) {
					t.Errorf("page %d of %d: err = %v, want ErrInvalid", n, pages, err)
				}
			}
		})
	}
}

// testProfilePaging builds an entity named in a dozen documents under
// several spellings and with several others, pages through each list of
// its profile, and checks them against what the documents say, counted
// here; then that the totals the whole scope reads agree with a count
// over every collection named, after resolution, a split, its undoing and
// a merge.
func testProfilePaging(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "a", "A")
	mustCollection(t, s, "b", "B")
	both := store.Scope{Collections: []string{"a", "b"}}
	// The roster names everyone once, a sentence each, to create them.
	others := []string{"Nadia Ferhat", "Omar Haddad", "Lena Vos", "Pieter Claes"}
	roster := "Karim Benali."
	for _, o := range others {
		roster += " " + o + "."
	}
	rd := doc("Roster", roster)
	var rms []mosaic.Mention
	for _, name := range append([]string{"Karim Benali"}, others...) {
		m := mention(t, roster, name, mosaic.Person)
		m.Sentence = mosaic.Span{Start: m.Start, End: m.End + 1}
		rms = append(rms, m)
	}
	mustAdd(t, s, store.Ingested{Collection: "b", Doc: rd, Mentions: rms})
	var created []mosaic.Entity
	var as []store.Assignment
	for i, m := range rms {
		created = append(created, mosaic.Entity{Kind: mosaic.Person, Name: m.Text})
		as = append(as, store.Assignment{Start: m.Start, End: m.End, Type: mosaic.Person, New: i + 1, Why: "roster"})
	}
	ids, err := s.Resolve(ctx, rd.ID, created, as)
	if err != nil {
		t.Fatal(err)
	}
	hub := ids[0]
	// What the documents say, counted here.
	spellings := []string{"Benali", "K. Benali", "Mr Benali"}
	wantMentions := map[string]int{"Karim Benali": 1}
	wantDocs := map[string]int{"Karim Benali": 1}
	wantShared, wantSharedA := map[mosaic.EntityID]int{}, map[mosaic.EntityID]int{}
	var dated []mosaic.DocID
	addDoc := func(i int) mosaic.Document {
		a, b := i%len(others), (i*i+1)%len(others)
		sp := spellings[i%len(spellings)]
		s1 := fmt.Sprintf("Karim Benali met %s in report %d.", others[a], i)
		s2 := fmt.Sprintf(" %s called %s.", sp, others[b])
		text := s1 + s2
		d := doc(fmt.Sprintf("Report %d", i), text)
		if i%4 != 3 {
			d.Date = time.Date(2016, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, (i*7)%30)
			dated = append(dated, d.ID)
		}
		at := func(sub string, from, sent int, end int) mosaic.Mention {
			j := from + strings.Index(text[from:], sub)
			return mosaic.Mention{Start: j, End: j + len(sub), Type: mosaic.Person, Text: sub, Confidence: 0.9, Sentence: mosaic.Span{Start: sent, End: end}}
		}
		ms := []mosaic.Mention{at("Karim Benali", 0, 0, len(s1)), at(others[a], 0, 0, len(s1)),
			at(sp, len(s1), len(s1), len(text)), at(others[b], len(s1)+len(sp)+1, len(s1), len(text))}
		mustAdd(t, s, store.Ingested{Collection: []string{"a", "b"}[i%2], Doc: d, Mentions: ms})
		var as []store.Assignment
		for k, m := range ms {
			e := []mosaic.EntityID{hub, ids[1+a], hub, ids[1+b]}[k]
			as = append(as, store.Assignment{Start: m.Start, End: m.End, Type: m.Type, Entity: e, Why: "test"})
		}
		if _, err := s.Resolve(ctx, d.ID, nil, as); err != nil {
			t.Fatal(err)
		}
		wantMentions["Karim Benali"]++
		wantMentions[sp]++
		wantDocs["Karim Benali"]++
		wantDocs[sp]++
		wantShared[ids[1+a]]++
		wantShared[ids[1+b]]++
		if i%2 == 0 {
			wantSharedA[ids[1+a]]++
			wantSharedA[ids[1+b]]++
		}
		return d
	}
	var reports []mosaic.DocID
	for i := range 12 {
		reports = append(reports, addDoc(i).ID)
	}

	// Names, most mentioned first, then by name; each name's documents.
	names := walk(t, 2, func(p store.Page) ([]store.EntityName, string, error) {
		_, ns, next, err := s.EntitySpellings(ctx, hub, store.Scope{}, p)
		return ns, next, err
	}, nil)
	var gotNames []string
	for _, n := range names {
		gotNames = append(gotNames, n.Name)
		if n.Mentions != wantMentions[n.Name] || n.DocumentCount != wantDocs[n.Name] {
			t.Errorf("name %q: %d mentions in %d documents, want %d in %d", n.Name, n.Mentions, n.DocumentCount, wantMentions[n.Name], wantDocs[n.Name])
		}
	}
	wantNames := []string{"Karim Benali", "Benali", "K. Benali", "Mr Benali"}
	if !slices.Equal(gotNames, wantNames) {
		t.Errorf("names paged = %v, want %v", gotNames, wantNames)
	}
	// A name's documents, in the order stored, with documents arriving
	// between pages: none repeats and none is missed.
	added := 12
	docs := walk(t, 3, func(p store.Page) ([]store.DocumentRef, string, error) {
		return s.SpellingDocuments(ctx, hub, "Karim Benali", store.Scope{}, p)
	}, func() {
		addDoc(added)
		added++
	})
	want := append([]mosaic.DocID{rd.ID}, reports...)
	var got []mosaic.DocID
	for _, d := range docs {
		got = append(got, d.ID)
	}
	if len(got) != len(want)+added-12 || !slices.Equal(got[:len(want)], want) {
		t.Errorf("documents of a name paged with arrivals: %d documents, want the %d there were first, in order, then the new ones", len(got), len(want))
	}
	seen := map[mosaic.DocID]bool{}
	for _, id := range got {
		if seen[id] {
			t.Errorf("document %s listed twice", id.Short())
		}
		seen[id] = true
	}

	// Connections: most shared sentences first, then by ID, with counts
	// that agree with the documents.
	conns := walk(t, 1, func(p store.Page) ([]store.Connection, string, error) {
		return s.EntityConnections(ctx, hub, store.Scope{}, p)
	}, nil)
	if len(conns) != len(others) {
		t.Errorf("%d connections, want %d", len(conns), len(others))
	}
	for i, c := range conns {
		if c.Sentences != wantShared[c.ID] {
			t.Errorf("connection %s: %d sentences, want %d", c.Name, c.Sentences, wantShared[c.ID])
		}
		if i > 0 && (c.Sentences > conns[i-1].Sentences || c.Sentences == conns[i-1].Sentences && c.ID < conns[i-1].ID) {
			t.Errorf("connections out of order: %+v after %+v", c, conns[i-1])
		}
	}

	// The timeline: every dated document, oldest first.
	timeline := walk(t, 4, func(p store.Page) ([]store.DocumentRef, string, error) {
		return s.EntityTimeline(ctx, hub, store.Scope{}, p)
	}, nil)
	if len(timeline) != len(dated) {
		t.Errorf("timeline of %d documents, want %d", len(timeline), len(dated))
	}
	for i := 1; i < len(timeline); i++ {
		if timeline[i].Date.Before(timeline[i-1].Date) {
			t.Errorf("timeline out of order at %d", i)
		}
	}

	// Lists ordered by counts page over the documents there were when
	// paging began: documents arriving between pages move nothing.
	for _, scope := range []store.Scope{{}, both} {
		arrive := func() {
			addDoc(added)
			added++
		}
		brief := func(ns []store.EntityName) (out []string) {
			for _, n := range ns {
				out = append(out, fmt.Sprintf("%s:%d:%d", n.Name, n.Mentions, n.DocumentCount))
			}
			return out
		}
		// The names, and their counts alone, each paged from a start of
		// their own.
		for _, list := range []struct {
			what string
			read func(context.Context, mosaic.EntityID, store.Scope, store.Page) (mosaic.Entity, []store.EntityName, string, error)
		}{{"names", s.EntitySpellings}, {"name counts", s.EntityNameCounts}} {
			_, startNames, _, err := s.EntitySpellings(ctx, hub, scope, store.Page{Limit: store.MaxLimit})
			if err != nil {
				t.Fatal(err)
			}
			paged := walk(t, 1, func(p store.Page) ([]store.EntityName, string, error) {
				_, ns, next, err := list.read(ctx, hub, scope, p)
				return ns, next, err
			}, arrive)
			if !slices.Equal(brief(paged), brief(startNames)) {
				t.Errorf("scope %v: %s paged with arrivals %v, names when paging began %v", scope.Collections, list.what, brief(paged), brief(startNames))
			}
		}
		startConns, _, err := s.EntityConnections(ctx, hub, scope, store.Page{Limit: store.MaxLimit})
		if err != nil {
			t.Fatal(err)
		}
		pagedConns := walk(t, 1, func(p store.Page) ([]store.Connection, string, error) {
			return s.EntityConnections(ctx, hub, scope, p)
		}, arrive)
		if fmt.Sprint(pagedConns) != fmt.Sprint(startConns) {
			t.Errorf("scope %v: connections paged with arrivals %v, when paging began %v", scope.Collections, pagedConns, startConns)
		}
	}

	// A profile holds first pages, with cursors to the rest.
	p, err := s.Entity(ctx, hub, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Names) != 4 || p.NamesNext != "" || len(p.Names[0].Documents) > 10 || p.Names[0].DocumentsNext == "" {
		t.Errorf("profile names: %d, next %q, first with %d documents and next %q", len(p.Names), p.NamesNext, len(p.Names[0].Documents), p.Names[0].DocumentsNext)
	}

	// Every list refuses a cursor it did not give.
	_, _, ncursor, _ := s.EntitySpellings(ctx, hub, store.Scope{}, store.Page{Limit: 1})
	for _, c := range append(badCursors, ncursor+"=") {
		if _, _, err := s.EntityConnections(ctx, hub, store.Scope{}, store.Page{Cursor: c}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("connections, cursor %q: err = %v", c, err)
		}
		if _, _, err := s.EntityTimeline(ctx, hub, store.Scope{}, store.Page{Cursor: c}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("timeline, cursor %q: err = %v", c, err)
		}
		if _, _, err := s.SpellingDocuments(ctx, hub, "Benali", store.Scope{}, store.Page{Cursor: c}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("documents, cursor %q: err = %v", c, err)
		}
	}
	if _, _, _, err := s.EntitySpellings(ctx, hub, store.Scope{}, store.Page{Cursor: "bad"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("names, bad cursor: err = %v", err)
	}
	if _, _, _, err := s.EntityNameCounts(ctx, hub, store.Scope{}, store.Page{Cursor: "bad"}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("name counts, bad cursor: err = %v", err)
	}

	// The whole scope reads kept totals; a scope naming every collection
	// counts the documents. They must agree whatever happened since.
	agree := func(when string) {
		t.Helper()
		for _, id := range ids {
			whole, err1 := s.Entity(ctx, id, store.Scope{})
			named, err2 := s.Entity(ctx, id, both)
			if errors.Is(err1, store.ErrNotFound) && errors.Is(err2, store.ErrNotFound) {
				continue // a split undone leaves its entity with no mention
			}
			if err1 != nil || err2 != nil {
				t.Fatalf("%s: entity %d: %v, %v", when, id, err1, err2)
			}
			for _, pr := range []*store.EntityProfile{&whole, &named} {
				for i := range pr.Names {
					pr.Names[i].Documents, pr.Names[i].DocumentsNext = nil, ""
				}
			}
			if fmt.Sprint(whole.Names) != fmt.Sprint(named.Names) || fmt.Sprint(whole.Connections) != fmt.Sprint(named.Connections) {
				t.Errorf("%s: entity %d reads differently for the whole scope and for every collection named:\nnames %v\n   vs %v\nconnections %v\n         vs %v",
					when, id, whole.Names, named.Names, whole.Connections, named.Connections)
			}
		}
	}
	agree("after resolution")
	// Seen from one collection, the connections count only its documents.
	conns, _, err = s.EntityConnections(ctx, hub, store.Scope{Collections: []string{"a"}}, store.Page{})
	if err != nil {
		t.Fatal(err)
	}
	gotA := map[mosaic.EntityID]int{}
	for _, c := range conns {
		gotA[c.ID] = c.Sentences
	}
	if fmt.Sprint(gotA) != fmt.Sprint(wantSharedA) {
		t.Errorf("connections seen from collection a: %v, want %v", gotA, wantSharedA)
	}
	split, err := s.Judge(ctx, store.Judgement{Kind: store.Split, Entity: hub, Name: "Mr Benali", User: "analyst1", Reason: "another man"})
	if err != nil {
		t.Fatal(err)
	}
	ids = append(ids, split.Other)
	agree("after a split")
	if ns, _ := namesOf(ctx, s, hub); slices.Contains(ns, "Mr Benali") {
		t.Errorf("after the split the entity is still called Mr Benali: %v", ns)
	}
	if _, err := s.Undo(ctx, split.ID, "analyst1", "same man after all"); err != nil {
		t.Fatal(err)
	}
	agree("after undoing the split")
	if ns, _ := namesOf(ctx, s, hub); !slices.Contains(ns, "Mr Benali") {
		t.Errorf("after undoing the split the entity is not called Mr Benali: %v", ns)
	}
	if _, err := s.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: ids[1], Other: ids[2], User: "analyst1", Reason: "one woman"}); err != nil {
		t.Fatal(err)
	}
	agree("after a merge")
	// A collection leaving takes what its documents said from the totals
	// as from the counts.
	if _, err := s.DeleteCollection(ctx, "a", "analyst1", "loaded by mistake"); err != nil {
		t.Fatal(err)
	}
	agree("after deleting a collection")
	bOnly := map[mosaic.EntityID]int{}
	for id, n := range wantShared {
		bOnly[id] = n - wantSharedA[id]
	}
	conns, _, err = s.EntityConnections(ctx, hub, store.Scope{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	var total, wantTotal int
	for _, c := range conns {
		total += c.Sentences
	}
	for _, n := range bOnly {
		wantTotal += n
	}
	if total != wantTotal {
		t.Errorf("after deleting collection a, the connections count %d shared sentences, want %d", total, wantTotal)
	}
	// Paging a list that merges changed gives what one page of it all does.
	for _, scope := range []store.Scope{{}, both} {
		paged := walk(t, 1, func(p store.Page) ([]store.Connection, string, error) {
			return s.EntityConnections(ctx, hub, scope, p)
		}, nil)
		whole, _, err := s.EntityConnections(ctx, hub, scope, store.Page{Limit: store.MaxLimit})
		if err != nil || fmt.Sprint(paged) != fmt.Sprint(whole) || len(whole) != len(others)-1 {
			t.Errorf("connections after a merge, paged one at a time: %v\nin one page: %v (%v), want %d", paged, whole, err, len(others)-1)
		}
	}
}

// namesOf lists an entity's names as the whole scope sees them.
func namesOf(ctx context.Context, s store.Store, id mosaic.EntityID) ([]string, error) {
	_, ns, _, err := s.EntitySpellings(ctx, id, store.Scope{}, store.Page{Limit: store.MaxLimit})
	var out []string
	for _, n := range ns {
		out = append(out, n.Name)
	}
	return out, err
}

// nameCountsAgree checks that Entities.EntityNameCounts says what
// EntitySpellings does of the entity in scope, the names' documents and
// reasons left out: the same entity under the same name, the same names
// with the same counts, or ErrNotFound from both.
func nameCountsAgree(t *testing.T, s store.Store, id mosaic.EntityID, scope store.Scope) {
	t.Helper()
	ctx := context.Background()
	all := store.Page{Limit: store.MaxLimit}
	e, names, _, err := s.EntitySpellings(ctx, id, scope, all)
	ce, counts, _, cerr := s.EntityNameCounts(ctx, id, scope, all)
	if errors.Is(err, store.ErrNotFound) || errors.Is(cerr, store.ErrNotFound) {
		if !errors.Is(err, store.ErrNotFound) || !errors.Is(cerr, store.ErrNotFound) {
			t.Errorf("entity %d in scope %+v: spellings err %v, counts err %v", id, scope, err, cerr)
		}
		return
	}
	if err != nil || cerr != nil {
		t.Errorf("entity %d in scope %+v: spellings err %v, counts err %v", id, scope, err, cerr)
		return
	}
	if ce != e {
		t.Errorf("entity %d in scope %+v: counts give %+v, spellings %+v", id, scope, ce, e)
	}
	if len(counts) != len(names) {
		t.Errorf("entity %d in scope %+v: %d name counts, %d names", id, scope, len(counts), len(names))
		return
	}
	for i, c := range counts {
		n := names[i]
		if c.Name != n.Name || c.Mentions != n.Mentions || c.DocumentCount != n.DocumentCount ||
			len(c.Documents) > 0 || c.DocumentsNext != "" || len(c.Why) > 0 || c.Confirmed {
			t.Errorf("entity %d in scope %+v, name %d: counts %+v, spellings %+v", id, scope, i, c, n)
		}
	}
}
