// Package storetest is the conformance suite every store backend passes. A
// backend's test calls Run with a function that opens a fresh, empty store;
// the suite checks the contract written in package store, so the SQLite and
// PostgreSQL backends cannot drift apart.
package storetest

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// Run runs the conformance suite. open must return a new, empty store for
// each call; Run closes it.
func Run(t *testing.T, open func(t *testing.T) store.Store) {
	tests := []struct {
		name string
		fn   func(t *testing.T, s store.Store)
	}{
		{"Collections", testCollections},
		{"AddAndRead", testAddAndRead},
		{"ContentAddressed", testContentAddressed},
		{"AtomicBatch", testAtomicBatch},
		{"Scope", testScope},
		{"Search", testSearch},
		{"SearchHostileQueries", testSearchHostile},
		{"SearchLongDocument", testSearchLongDocument},
		{"SearchRanking", testSearchRanking},
		{"SearchAcrossParts", testSearchAcrossParts},
		{"Prepared", testPrepared},
		{"DocumentsPaging", testDocumentsPaging},
		{"DocumentCounts", testDocumentCounts},
		{"DocumentsCursor", testDocumentsCursor},
		{"MentionsPage", testMentionsPage},
		{"DocumentPages", testDocumentPages},
		{"ProfilePaging", testProfilePaging},
		{"ConcurrentAdds", testConcurrentAdds},
		{"AddHeld", testAddHeld},
		{"Entities", testEntities},
		{"ResolveBatch", testResolveBatch},
		{"AddResolved", testAddResolved},
		{"SpellingDocuments", testSpellingDocuments},
		{"Judgements", testJudgements},
		{"Flags", testFlags},
		{"Generation", testGeneration},
		{"Relations", testRelations},
		{"RelationsManyDocuments", testRelationsManyDocuments},
		{"ConnectionNamesInScope", testConnectionNamesInScope},
		{"MentionsByDay", testMentionsByDay},
		{"Watchlists", testWatchlists},
		{"CollectionAdmin", testCollectionAdmin},
		{"ForcedMerge", testForcedMerge},
		{"Users", testUsers},
		{"TokensAndSessions", testTokensAndSessions},
		{"ScopeOf", testScopeOf},
		{"Discovery", testDiscovery},
		{"DiscoveryFiles", testDiscoveryFiles},
		{"Shares", testShares},
		{"Alerts", testAlerts},
		{"Audit", testAudit},
		{"AgencyJudgements", testAgencyJudgements},
		{"Incidents", testIncidents},
		{"IncidentsPaging", testIncidentsPaging},
		{"EachIncident", testEachIncident},
		{"IncidentWrites", testIncidentWrites},
		{"IncidentsWithDocuments", testIncidentsWithDocuments},
		{"Charts", testCharts},
		{"IncidentJudgements", testIncidentJudgements},
		{"Jobs", testJobs},
		{"ConcurrentClaims", testConcurrentClaims},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := open(t)
			t.Cleanup(func() {
				if err := s.Close(); err != nil {
					t.Errorf("close: %v", err)
				}
			})
			tt.fn(t, s)
		})
	}
}

// doc builds a document whose ID is the hash of its text, as ingestion does.
func doc(title, text string) mosaic.Document {
	return mosaic.Document{
		ID:     mosaic.NewDocID([]byte(title + "\x00" + text)),
		Title:  title,
		Text:   text,
		Format: mosaic.FormatText,
		Source: strings.ToLower(strings.ReplaceAll(title, " ", "-")) + ".txt",
		Size:   int64(len(text)),
	}
}

// mention marks the first occurrence of sub in text.
func mention(t *testing.T, text, sub string, typ mosaic.MentionType) mosaic.Mention {
	t.Helper()
	i := strings.Index(text, sub)
	if i < 0 {
		t.Fatalf("fixture: %q not in %q", sub, text)
	}
	return mosaic.Mention{Start: i, End: i + len(sub), Type: typ, Text: sub,
		Sentence: mosaic.Span{Start: 0, End: len(text)}, Confidence: 0.9}
}

func mustCollection(t *testing.T, s store.Store, name, agency string) {
	t.Helper()
	if _, err := s.EnsureCollection(context.Background(), name, agency); err != nil {
		t.Fatalf("EnsureCollection(%q, %q): %v", name, agency, err)
	}
}

func mustAdd(t *testing.T, s store.Store, batch ...store.Ingested) []store.Added {
	t.Helper()
	added, err := s.Add(context.Background(), batch)
	if err != nil {
		t.Fatalf("Add: %v", err)
	}
	if len(added) != len(batch) {
		t.Fatalf("Add returned %d flags for %d documents", len(added), len(batch))
	}
	return added
}

func testCollections(t *testing.T, s store.Store) {
	ctx := context.Background()
	c, err := s.EnsureCollection(ctx, "field-reports", "Police")
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "field-reports" || c.Agency != "Police" || c.Documents != 0 {
		t.Errorf("new collection = %+v", c)
	}
	if _, err := s.EnsureCollection(ctx, "field-reports", "Police"); err != nil {
		t.Errorf("ensuring an existing collection again: %v", err)
	}
	if _, err := s.EnsureCollection(ctx, "field-reports", "Intelligence"); !errors.Is(err, store.ErrConflict) {
		t.Errorf("collection under another agency: err = %v, want ErrConflict", err)
	}
	if _, err := s.EnsureCollection(ctx, " ", "Police"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("empty name: err = %v, want ErrInvalid", err)
	}
	mustCollection(t, s, "intercepts", "Intelligence")
	all, err := s.Collections(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(all); got != "field-reports/Police intercepts/Intelligence" {
		t.Errorf("Collections = %s", got)
	}
	some, err := s.Collections(ctx, store.Scope{Collections: []string{"intercepts"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := names(some); got != "intercepts/Intelligence" {
		t.Errorf("Collections in scope = %s", got)
	}
}

func names(cs []store.Collection) string {
	var parts []string
	for _, c := range cs {
		parts = append(parts, c.Name+"/"+c.Agency)
	}
	return strings.Join(parts, " ")
}

func testAddAndRead(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "reports", "Police")
	d := doc("Report 7", "Karim Benali met Yusuf Haddad in Liège on 12 June 2016.\nCall +32 2 555 0142.")
	d.Date = time.Date(2016, 6, 20, 0, 0, 0, 0, time.UTC)
	d.Meta = map[string]string{"Author": "Insp. Marchal"}
	child := doc("attachment.txt", "The attachment names Liège again.")
	child.Parent = d.ID
	ms := []mosaic.Mention{
		mention(t, d.Text, "Karim Benali", mosaic.Person),
		mention(t, d.Text, "Liège", mosaic.Location),
		mention(t, d.Text, "12 June 2016", mosaic.Date),
	}
	ms[2].Norm = "2016-06-12"
	if added := mustAdd(t, s, store.Ingested{Collection: "reports", Doc: d, Mentions: ms},
		store.Ingested{Collection: "reports", Doc: child}); !added[0].New() || !added[1].New() {
		t.Fatalf("added = %v, want both new", added)
	}
	got, holdings, err := s.Document(ctx, d.ID, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Text != d.Text || got.Title != d.Title || !got.Date.Equal(d.Date) || got.Format != d.Format ||
		got.Size != d.Size || got.Meta["Author"] != "Insp. Marchal" || got.Source != d.Source {
		t.Errorf("Document = %+v\nwant %+v", got, d)
	}
	if len(holdings) != 1 || holdings[0].Collection != "reports" || holdings[0].Agency != "Police" || holdings[0].Source != d.Source {
		t.Errorf("holdings = %+v", holdings)
	}
	if holdings[0].Added.IsZero() {
		t.Error("holding has no time of addition")
	}
	gotChild, _, err := s.Document(ctx, child.ID, store.Scope{})
	if err != nil || gotChild.Parent != d.ID {
		t.Errorf("child: parent = %q, err = %v; want parent %q", gotChild.Parent, err, d.ID)
	}
	mentions, err := s.Mentions(ctx, d.ID, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(mentions) != len(ms) {
		t.Fatalf("Mentions returned %d, want %d", len(mentions), len(ms))
	}
	for i, m := range mentions {
		if m != ms[i] { // ms is in text order already
			t.Errorf("mention %d = %+v, want %+v", i, m, ms[i])
		}
		if got.Text[m.Start:m.End] != m.Text {
			t.Errorf("mention %d offsets point at %q, not %q", i, got.Text[m.Start:m.End], m.Text)
		}
	}
	if _, _, err := s.Document(ctx, mosaic.NewDocID([]byte("absent")), store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("absent document: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Mentions(ctx, mosaic.NewDocID([]byte("absent")), store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("mentions of absent document: err = %v, want ErrNotFound", err)
	}
	cs, _ := s.Collections(ctx, store.Scope{})
	if len(cs) != 1 || cs[0].Documents != 2 {
		t.Errorf("collection counts = %+v, want 2 documents", cs)
	}
}

func testContentAddressed(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "reports", "Police")
	mustCollection(t, s, "press", "Press desk")
	d := doc("Shared", "The same bulletin reached two agencies.")
	m := mention(t, d.Text, "bulletin", mosaic.Misc)
	if added := mustAdd(t, s, store.Ingested{Collection: "reports", Doc: d, Mentions: []mosaic.Mention{m}}); added[0] != store.NewContent {
		t.Fatalf("first add reported as %v, want NewContent", added[0])
	}
	if added := mustAdd(t, s, store.Ingested{Collection: "reports", Doc: d, Mentions: []mosaic.Mention{m}}); added[0].New() {
		t.Error("second add of the same content to the same collection reported as new")
	}
	// The same content in the same batch twice is stored once too.
	if added := mustAdd(t, s, store.Ingested{Collection: "press", Doc: d}, store.Ingested{Collection: "press", Doc: d}); added[0] != store.NewHolding || added[1] != store.AlreadyHeld {
		t.Errorf("same content twice in a batch for a new collection: added = %v, want [NewHolding AlreadyHeld]", added)
	}
	_, holdings, err := s.Document(ctx, d.ID, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(holdings) != 2 {
		t.Errorf("holdings = %+v, want one per collection", holdings)
	}
	mentions, _ := s.Mentions(ctx, d.ID, store.Scope{})
	if len(mentions) != 1 {
		t.Errorf("mentions stored %d times, want once", len(mentions))
	}
	for _, c := range []string{"reports", "press"} {
		ok, err := s.Holds(ctx, c, d.ID)
		if err != nil || !ok {
			t.Errorf("Holds(%s) = %v, %v; want true", c, ok, err)
		}
	}
	docs, total, err := s.Documents(ctx, store.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(docs) != 1 || len(docs[0].Collections) != 2 {
		t.Errorf("Documents = %+v (total %d), want one document held twice", docs, total)
	}
	res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("bulletin")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 {
		t.Errorf("search finds %d copies, want 1", res.Total)
	}
	// New content twice in one batch for one collection, then for another:
	// stored once, held once by each.
	fresh := doc("Fresh", "A second bulletin, never stored before.")
	added := mustAdd(t, s, store.Ingested{Collection: "reports", Doc: fresh}, store.Ingested{Collection: "reports", Doc: fresh},
		store.Ingested{Collection: "press", Doc: fresh})
	if !slices.Equal(added, []store.Added{store.NewContent, store.AlreadyHeld, store.NewHolding}) {
		t.Errorf("new content twice in a batch, then for another collection: added = %v, want [NewContent AlreadyHeld NewHolding]", added)
	}
	if _, holdings, err := s.Document(ctx, fresh.ID, store.Scope{}); err != nil || len(holdings) != 2 || holdings[0].Collection != "reports" {
		t.Errorf("holdings of the new content = %+v, %v; want one per collection, in the order added", holdings, err)
	}
	// Stored before, then held by a second collection and the first in
	// one batch: the holdings come in the order added.
	again := doc("Again", "A third bulletin.")
	mustAdd(t, s, store.Ingested{Collection: "press", Doc: again})
	mustAdd(t, s, store.Ingested{Collection: "reports", Doc: again}, store.Ingested{Collection: "press", Doc: again})
	if _, holdings, err := s.Document(ctx, again.ID, store.Scope{}); err != nil || len(holdings) != 2 || holdings[0].Collection != "press" {
		t.Errorf("holdings = %+v, %v; want press, then reports", holdings, err)
	}
	// Said to be held after the same batch added it: held.
	fourth := doc("Fourth", "A fourth bulletin.")
	if added := mustAdd(t, s, store.Ingested{Collection: "reports", Doc: fourth}, store.Ingested{Collection: "reports", Doc: fourth, Held: true}); !slices.Equal(added, []store.Added{store.NewContent, store.AlreadyHeld}) {
		t.Errorf("added, then said held in one batch: %v, want [NewContent AlreadyHeld]", added)
	}
}

func testAtomicBatch(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "reports", "Police")
	good := doc("Good", "A perfectly ordinary report.")
	bad := doc("Bad", "Short.")
	badMention := mosaic.Mention{Start: 2, End: 400, Type: mosaic.Person, Text: "x"}
	_, err := s.Add(ctx, []store.Ingested{{Collection: "reports", Doc: good},
		{Collection: "reports", Doc: bad, Mentions: []mosaic.Mention{badMention}}})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("mention outside text: err = %v, want ErrInvalid", err)
	}
	_, err = s.Add(ctx, []store.Ingested{{Collection: "reports", Doc: good}, {Collection: "missing", Doc: bad}})
	if !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown collection: err = %v, want ErrNotFound", err)
	}
	twice := mention(t, good.Text, "ordinary", mosaic.Misc)
	if _, err := s.Add(ctx, []store.Ingested{{Collection: "reports", Doc: good, Mentions: []mosaic.Mention{twice, twice}}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("the same mention twice: err = %v, want ErrInvalid", err)
	}
	invalid := doc("Invalid", "bad \xff bytes")
	if _, err := s.Add(ctx, []store.Ingested{{Collection: "reports", Doc: invalid}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("invalid UTF-8: err = %v, want ErrInvalid", err)
	}
	if _, _, err := s.Document(ctx, good.ID, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a failed batch left its good document behind: err = %v", err)
	}
}

func testScope(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "intel", "Intelligence")
	open := doc("Open", "Nadia Ferhat was seen at the station.")
	secret := doc("Secret", "Nadia Ferhat called the organiser twice.")
	mustAdd(t, s, store.Ingested{Collection: "police", Doc: open},
		store.Ingested{Collection: "intel", Doc: secret, Mentions: []mosaic.Mention{mention(t, secret.Text, "Nadia Ferhat", mosaic.Person)}})
	police := store.Scope{Collections: []string{"police"}}
	if _, _, err := s.Document(ctx, secret.ID, police); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("document outside scope: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Mentions(ctx, secret.ID, police); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("mentions outside scope: err = %v, want ErrNotFound", err)
	}
	res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("Ferhat"), Scope: police})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].ID != open.ID {
		t.Errorf("search in scope = %+v, want only the police document", res)
	}
	// A collection filter in the query cannot widen the scope.
	res, err = s.Search(ctx, store.SearchRequest{Query: search.Parse("Ferhat collection:intel"), Scope: police})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 0 || len(res.Hits) != 0 {
		t.Errorf("query filter widened the scope: %+v", res)
	}
	res, err = s.Search(ctx, store.SearchRequest{Query: search.Parse("Ferhat collection:intel")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || res.Hits[0].ID != secret.ID {
		t.Errorf("collection filter: %+v, want only the intel document", res)
	}
	docs, total, err := s.Documents(ctx, store.DocumentFilter{Scope: police})
	if err != nil {
		t.Fatal(err)
	}
	if total != 1 || len(docs) != 1 || docs[0].ID != open.ID {
		t.Errorf("Documents in scope = %+v (total %d)", docs, total)
	}
	if docs, _, _ := s.Documents(ctx, store.DocumentFilter{Scope: police, Collection: "intel"}); len(docs) != 0 {
		t.Errorf("listing a collection outside scope returned %d documents", len(docs))
	}
	// A scope holding every document, beside a collection out of it that
	// holds none, finds both (the case a search need not filter).
	mustCollection(t, s, "empty", "Police")
	both := store.Scope{Collections: []string{"police", "intel"}}
	if res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("Ferhat"), Scope: both}); err != nil || res.Total != 2 || len(res.Hits) != 2 {
		t.Errorf("search in a scope holding every document = %+v, %v; want both documents", res, err)
	}
	none := store.Scope{Collections: []string{}}
	if res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("Ferhat"), Scope: none}); err != nil || res.Total != 0 {
		t.Errorf("empty scope: %+v, %v; want nothing", res, err)
	}
}

func testSearch(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "press", "Press desk")
	docs := []mosaic.Document{
		doc("Abou Hafs al-Tunsi profile", "A profile of the recruiter known as Abou Hafs."),
		doc("Market stabbing", "A man stabbed two shoppers; police said he acted alone."),
		doc("Recruitment", "Recruiters approached students. The recruiter used Telegram."),
		doc("Café attack", "The attack on the café in Liège left one wounded. José Ortega was a witness."),
		doc("Weather", "Rain in Brussels all week."),
	}
	var batch []store.Ingested
	for _, d := range docs {
		batch = append(batch, store.Ingested{Collection: "press", Doc: d})
	}
	mustAdd(t, s, batch...)
	id := func(i int) mosaic.DocID { return docs[i].ID }
	cases := []struct {
		query string
		want  []mosaic.DocID // in rank order where it matters; compared as a set otherwise
		first mosaic.DocID   // the expected best hit, if any
	}{
		{query: "stabbed", want: []mosaic.DocID{id(1)}},
		{query: `"acted alone"`, want: []mosaic.DocID{id(1)}},
		{query: `"alone acted"`, want: nil},
		{query: "recruit*", want: []mosaic.DocID{id(0), id(2)}},
		{query: "recruiter -telegram", want: []mosaic.DocID{id(0)}},
		{query: "NOT telegram recruiter", want: []mosaic.DocID{id(0)}},
		{query: "Brussels OR Liège", want: []mosaic.DocID{id(3), id(4)}},
		{query: "liege", want: []mosaic.DocID{id(3)}}, // accents folded
		{query: "JOSE", want: []mosaic.DocID{id(3)}},  // case and accents folded
		{query: "cafe attack", want: []mosaic.DocID{id(3)}},
		{query: "al-Tunsi", want: []mosaic.DocID{id(0)}}, // hyphenated name as a phrase
		{query: "abou", want: []mosaic.DocID{id(0)}, first: id(0)},
		{query: "nonexistentword", want: nil},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(c.query)})
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != len(c.want) || len(res.Hits) != len(c.want) {
				t.Fatalf("got %d hits (total %d), want %d: %+v", len(res.Hits), res.Total, len(c.want), res.Hits)
			}
			want := map[mosaic.DocID]bool{}
			for _, w := range c.want {
				want[w] = true
			}
			for _, h := range res.Hits {
				if !want[h.ID] {
					t.Errorf("unexpected hit %q", h.Title)
				}
				if len(h.Collections) != 1 || h.Collections[0] != "press" {
					t.Errorf("hit %q collections = %v", h.Title, h.Collections)
				}
				checkHighlights(t, c.query, h)
			}
			if c.first != "" && res.Hits[0].ID != c.first {
				t.Errorf("best hit %q, want %s", res.Hits[0].Title, c.first.Short())
			}
		})
	}
	// Ranking: the document titled with the term beats one that only has it
	// in the body once.
	mustAdd(t, s, store.Ingested{Collection: "press", Doc: doc("Telegram channels", "Channels were monitored.")})
	res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("telegram")})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Hits) != 2 || res.Hits[0].Title != "Telegram channels" || res.Hits[0].Score <= res.Hits[1].Score {
		t.Errorf("ranking: %+v, want the titled document first with a higher score", res.Hits)
	}
	// Paging.
	res, err = s.Search(ctx, store.SearchRequest{Query: search.Parse("the OR a"), Limit: 2, Offset: 1})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total < 4 || len(res.Hits) != 2 {
		t.Errorf("paging: total %d, %d hits; want total ≥ 4 and a page of 2", res.Total, len(res.Hits))
	}
	if _, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("-telegram")}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("query of only exclusions: err = %v, want ErrInvalid", err)
	}
}

// checkHighlights asserts that every highlight marks a word of the query.
func checkHighlights(t *testing.T, query string, h store.Hit) {
	t.Helper()
	words := map[string]bool{}
	for _, w := range search.Words(fold(query)) {
		words[w] = true
	}
	for _, sp := range h.Highlights {
		if sp.Start < 0 || sp.End > len(h.Snippet) || sp.Start >= sp.End {
			t.Errorf("highlight %v outside snippet %q", sp, h.Snippet)
			continue
		}
		// A phrase is highlighted whole, so check each word in the span.
		for _, w := range search.Words(fold(h.Snippet[sp.Start:sp.End])) {
			ok := words[w]
			for q := range words { // prefix queries highlight whole words
				if strings.HasSuffix(query, "*") && strings.HasPrefix(w, q) {
					ok = true
				}
			}
			if !ok {
				t.Errorf("highlight %q in %q is not a query word of %q", w, h.Snippet, query)
			}
		}
	}
}

func fold(s string) string {
	return strings.NewReplacer("é", "e", "è", "e", "É", "E").Replace(s)
}

func testSearchHostile(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "c", "A")
	d := doc("Quote test", `He said "drop table" and left; O'Brien; NEAR(a b) x:y`)
	mustAdd(t, s, store.Ingested{Collection: "c", Doc: d})
	for _, q := range []string{
		`"; DROP TABLE documents; --`, `' OR 1=1 --`, `NEAR(a b)`, `x:y`, `title:secret`, `(((`, `"unterminated`,
		`a AND OR NOT b`, `*`, `^`, `{col}`, `O'Brien`, "\xff\xfe", strings.Repeat("a ", 500), `-"drop table" left`,
	} {
		t.Run(q[:min(len(q), 20)], func(t *testing.T) {
			_, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(q)})
			if err != nil && !errors.Is(err, store.ErrInvalid) {
				t.Errorf("Search(%q): %v", q, err)
			}
		})
	}
	res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(`DROP; TABLE --`)})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 {
		t.Errorf("the words of a hostile query should still match as words: total %d", res.Total)
	}
	if _, _, err := s.Document(ctx, d.ID, store.Scope{}); err != nil {
		t.Errorf("document gone after hostile queries: %v", err)
	}
}

func testDocumentsPaging(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "a", "A")
	mustCollection(t, s, "b", "B")
	for i := range 7 {
		c := "a"
		if i%2 == 1 {
			c = "b"
		}
		mustAdd(t, s, store.Ingested{Collection: c, Doc: doc(fmt.Sprintf("Doc %d", i), fmt.Sprintf("text %d", i))})
	}
	docs, total, err := s.Documents(ctx, store.DocumentFilter{Limit: 3})
	if err != nil {
		t.Fatal(err)
	}
	if total != 7 || len(docs) != 3 || docs[0].Title != "Doc 6" {
		t.Errorf("first page = %v (total %d), want 3 of 7, newest first", titles(docs), total)
	}
	docs, _, _ = s.Documents(ctx, store.DocumentFilter{Limit: 3, Offset: 6})
	if len(docs) != 1 || docs[0].Title != "Doc 0" {
		t.Errorf("last page = %v, want [Doc 0]", titles(docs))
	}
	docs, total, _ = s.Documents(ctx, store.DocumentFilter{Collection: "b"})
	if total != 3 || len(docs) != 3 {
		t.Errorf("collection b = %v (total %d), want 3", titles(docs), total)
	}
}

// testDocumentCounts checks the documents a collection is said to hold,
// and the totals of the document list, as documents come into two
// collections (two documents into both), come again, and one collection
// goes.
func testDocumentCounts(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "a", "A")
	mustCollection(t, s, "b", "B")
	add := func(c string, from, to int) {
		for i := from; i <= to; i++ {
			mustAdd(t, s, store.Ingested{Collection: c, Doc: doc(fmt.Sprintf("Doc %d", i), fmt.Sprintf("text %d", i))})
		}
	}
	check := func(when string, want map[string]int, totals map[string]int) {
		t.Helper()
		all, err := s.Collections(ctx, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]int{}
		for _, c := range all {
			got[c.Name] = c.Documents
		}
		if !maps.Equal(got, want) {
			t.Errorf("%s: collections hold %v, want %v", when, got, want)
		}
		for scope, want := range totals {
			var f store.DocumentFilter
			if scope != "all" {
				f.Scope.Collections = strings.Split(scope, ",")
			}
			_, total, err := s.Documents(ctx, f)
			if err != nil || total != want {
				t.Errorf("%s: documents in scope %s: %d (%v), want %d", when, scope, total, err, want)
			}
		}
	}
	add("a", 1, 5)
	add("b", 4, 7)
	check("added", map[string]int{"a": 5, "b": 4}, map[string]int{"a": 5, "b": 4, "a,b": 7, "all": 7})
	add("a", 1, 2)
	check("added again", map[string]int{"a": 5, "b": 4}, map[string]int{"a": 5, "b": 4, "a,b": 7, "all": 7})
	if _, err := s.DeleteCollection(ctx, "b", "analyst", "a test"); err != nil {
		t.Fatal(err)
	}
	check("b deleted", map[string]int{"a": 5}, map[string]int{"a": 5, "a,b": 5, "all": 5})
	mustCollection(t, s, "b", "B")
	add("b", 6, 6)
	check("b made again", map[string]int{"a": 5, "b": 1}, map[string]int{"a": 5, "b": 1, "a,b": 6, "all": 6})
}

func titles(ds []store.Summary) []string {
	var out []string
	for _, d := range ds {
		out = append(out, d.Title)
	}
	return out
}

func testConcurrentAdds(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "c", "A")
	const writers, each = 4, 25
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for w := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range each {
				// Every writer also adds one document all writers share.
				d := doc(fmt.Sprintf("w%d-%d", w, i), fmt.Sprintf("writer %d document %d", w, i))
				shared := doc("shared", "one document every writer adds")
				if _, err := s.Add(ctx, []store.Ingested{{Collection: "c", Doc: d}, {Collection: "c", Doc: shared}}); err != nil {
					errs <- err
					return
				}
				if _, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("writer")}); err != nil {
					errs <- err
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	_, total, err := s.Documents(ctx, store.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if total != writers*each+1 {
		t.Errorf("%d documents stored, want %d", total, writers*each+1)
	}
}

func assign(t *testing.T, text, sub string, typ mosaic.MentionType, e mosaic.EntityID, created int) store.Assignment {
	t.Helper()
	m := mention(t, text, sub, typ)
	return store.Assignment{Start: m.Start, End: m.End, Type: typ, Entity: e, New: created, Why: "test"}
}

func testEntities(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "press", "Press")
	// in gives mentions the sentence span that holds them, as extraction does.
	in := func(sentence mosaic.Span, ms ...mosaic.Mention) []mosaic.Mention {
		for i := range ms {
			ms[i].Sentence = sentence
		}
		return ms
	}
	// "Benali left" plays a surname mention: a span that differs from the
	// full name, so the test can tell the two apart.
	t1 := "Karim Benali met Nadia Ferhat in Liège. Benali left at noon."
	d1 := doc("Police report", t1)
	d1.Date = time.Date(2016, 6, 20, 0, 0, 0, 0, time.UTC)
	t2 := "K. Benali was seen in Antwerp."
	d2 := doc("Press report", t2)
	d2.Date = time.Date(2016, 5, 2, 0, 0, 0, 0, time.UTC)
	second := strings.Index(t1, "Benali left")
	mentions1 := append(in(mosaic.Span{Start: 0, End: second - 1},
		mention(t, t1, "Karim Benali", mosaic.Person), mention(t, t1, "Nadia Ferhat", mosaic.Person), mention(t, t1, "Liège", mosaic.Location)),
		in(mosaic.Span{Start: second, End: len(t1)}, mention(t, t1, "Benali left", mosaic.Person))...)
	mustAdd(t, s,
		store.Ingested{Collection: "police", Doc: d1, Mentions: mentions1},
		store.Ingested{Collection: "press", Doc: d2, Mentions: in(mosaic.Span{Start: 0, End: len(t2)},
			mention(t, t2, "K. Benali", mosaic.Person), mention(t, t2, "Antwerp", mosaic.Location))})
	pending, err := s.Unresolved(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(pending) != 2 || pending[0] != d1.ID || pending[1] != d2.ID {
		t.Fatalf("Unresolved = %v, want both documents oldest first", pending)
	}

	created := []mosaic.Entity{{Kind: mosaic.Person, Name: "Karim Benali"}, {Kind: mosaic.Person, Name: "Nadia Ferhat"}, {Kind: mosaic.Location, Name: "Liège"}}
	ids, err := s.Resolve(ctx, d1.ID, created, []store.Assignment{
		assign(t, t1, "Karim Benali", mosaic.Person, 0, 1),
		assign(t, t1, "Benali left", mosaic.Person, 0, 1),
		assign(t, t1, "Nadia Ferhat", mosaic.Person, 0, 2),
		assign(t, t1, "Liège", mosaic.Location, 0, 3),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(ids) != 3 || ids[0] == ids[1] || ids[0] <= 0 {
		t.Fatalf("new entity ids = %v", ids)
	}
	benali, ferhat := ids[0], ids[1]

	// An assignment naming no mention fails the whole call.
	_, err = s.Resolve(ctx, d2.ID, []mosaic.Entity{{Kind: mosaic.Location, Name: "Antwerp"}}, []store.Assignment{
		assign(t, t2, "Antwerp", mosaic.Location, 0, 1),
		{Start: 0, End: 3, Type: mosaic.Person, Entity: benali},
	})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("assignment of a missing mention: err = %v, want ErrInvalid", err)
	}
	if _, err := s.Resolve(ctx, d2.ID, nil, []store.Assignment{assign(t, t2, "Antwerp", mosaic.Location, 99999, 0)}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("assignment to a missing entity: err = %v, want ErrInvalid", err)
	}
	if _, err := s.Resolve(ctx, mosaic.NewDocID([]byte("absent")), nil, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("resolving an unknown document: err = %v, want ErrNotFound", err)
	}
	if pending, _ := s.Unresolved(ctx, 10); len(pending) != 1 || pending[0] != d2.ID {
		t.Errorf("after resolving the first document, Unresolved = %v (a failed call must change nothing)", pending)
	}
	if _, err := s.Resolve(ctx, d2.ID, []mosaic.Entity{{Kind: mosaic.Location, Name: "Antwerp"}}, []store.Assignment{
		assign(t, t2, "K. Benali", mosaic.Person, benali, 0),
		assign(t, t2, "Antwerp", mosaic.Location, 0, 1),
	}); err != nil {
		t.Fatal(err)
	}
	if pending, _ := s.Unresolved(ctx, 10); len(pending) != 0 {
		t.Errorf("Unresolved = %v after resolving everything", pending)
	}
	// A decision already stored is not overridden by re-processing, and an
	// entity no mention is tied to is not created.
	again, err := s.Resolve(ctx, d1.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: "Karim Benali"}}, []store.Assignment{
		assign(t, t1, "Karim Benali", mosaic.Person, 0, 1), assign(t, t1, "Nadia Ferhat", mosaic.Person, benali, 0)})
	if err != nil {
		t.Fatal(err)
	}
	if len(again) != 1 || again[0] != 0 {
		t.Errorf("re-processing created entity %v", again)
	}

	p, err := s.Entity(ctx, benali, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Karim Benali" || p.Kind != mosaic.Person {
		t.Errorf("entity = %+v", p.Entity)
	}
	got := map[string]int{}
	for _, n := range p.Names {
		got[n.Name] = len(n.Documents)
	}
	want := map[string]int{"Karim Benali": 1, "Benali left": 1, "K. Benali": 1}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("names = %v, want %v", got, want)
	}
	if strings.Join(p.Collections, ",") != "police,press" {
		t.Errorf("collections = %v", p.Collections)
	}
	if len(p.Timeline) != 2 || p.Timeline[0].ID != d2.ID || p.Timeline[1].ID != d1.ID {
		t.Errorf("timeline = %+v, want the press report (May) before the police report (June)", p.Timeline)
	}
	conns := map[string]int{}
	for _, c := range p.Connections {
		conns[c.Name] = c.Sentences
	}
	if conns["Nadia Ferhat"] != 1 || conns["Liège"] != 1 || conns["Antwerp"] != 1 || len(conns) != 3 {
		t.Errorf("connections = %v, want Nadia Ferhat, Liège and Antwerp once each", conns)
	}

	police := store.Scope{Collections: []string{"police"}}
	p, err = s.Entity(ctx, benali, police)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range p.Names {
		if n.Name == "K. Benali" {
			t.Errorf("a name from a collection outside the scope is shown: %+v", n)
		}
	}
	if len(p.Timeline) != 1 {
		t.Errorf("timeline in scope = %+v", p.Timeline)
	}
	for _, c := range p.Connections {
		if c.Name == "Antwerp" {
			t.Error("a connection seen only in a collection outside the scope is shown")
		}
	}
	press := store.Scope{Collections: []string{"press"}}
	// Seen from the press collection, the entity goes by the press's
	// spelling: the police's "Karim Benali" is not shown.
	p, err = s.Entity(ctx, benali, press)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "K. Benali" || len(p.Names) != 1 {
		t.Errorf("entity seen from press: name %q, names %+v; want only the press spelling", p.Name, p.Names)
	}
	if _, err := s.Entity(ctx, ferhat, press); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("entity named only outside the scope: err = %v, want ErrNotFound", err)
	}
	// The counts alone say the same: the press's spelling, not the
	// canonical one, and nothing of an entity the press never names.
	for _, sc := range []store.Scope{press, police, {}} {
		nameCountsAgree(t, s, benali, sc)
		nameCountsAgree(t, s, ferhat, sc)
	}
	if e, _, _, err := s.EntityNameCounts(ctx, benali, press, store.Page{}); err != nil || e.Name != "K. Benali" {
		t.Errorf("name counts seen from press: %q (%v), want the press's spelling K. Benali", e.Name, err)
	}
	if _, err := s.Entity(ctx, 123456, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("unknown entity: err = %v, want ErrNotFound", err)
	}

	names := map[string]mosaic.EntityID{}
	if err := s.EntityNames(ctx, func(e mosaic.Entity, name string) error {
		names[name] = e.ID
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if names["K. Benali"] != benali || names["Karim Benali"] != benali || names["Nadia Ferhat"] != ferhat || len(names) != 6 {
		t.Errorf("EntityNames = %v", names)
	}
}

// testAddHeld checks Ingested.Held, a document sent again without what was
// extracted from it because its collection held it when it was read: while
// the collection holds it, it changes nothing; once the collection no
// longer holds it (deleted meanwhile), the batch fails with ErrNotFound
// and stores nothing, rather than store the document bare.
func testAddHeld(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, c := range []string{"police", "press"} {
		if _, err := s.EnsureCollection(ctx, c, "Police"); err != nil {
			t.Fatal(err)
		}
	}
	text := "Samir Haddad met the courier in Lyon."
	d := doc("Held note", text)
	ms := []mosaic.Mention{mention(t, text, "Samir Haddad", mosaic.Person)}
	mustAdd(t, s, store.Ingested{Collection: "police", Doc: d, Mentions: ms})
	if added := mustAdd(t, s, store.Ingested{Collection: "police", Doc: d, Held: true}); added[0] != store.AlreadyHeld {
		t.Errorf("held, sent again: %v, want AlreadyHeld", added[0])
	}
	got, err := s.Mentions(ctx, d.ID, store.Scope{})
	if err != nil || len(got) != 1 {
		t.Errorf("mentions after a held add: %v (%v), want the one stored first", got, err)
	}
	fresh := doc("Fresh note", "Yusuf Haddad wrote from Antwerp.")
	_, err = s.Add(ctx, []store.Ingested{{Collection: "press", Doc: fresh}, {Collection: "press", Doc: d, Held: true}})
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("held in a collection that does not hold it: %v, want ErrNotFound", err)
	}
	for _, c := range []struct {
		collection string
		id         mosaic.DocID
		want       bool
	}{{"press", fresh.ID, false}, {"press", d.ID, false}, {"police", d.ID, true}} {
		if held, err := s.Holds(ctx, c.collection, c.id); err != nil || held != c.want {
			t.Errorf("after the failed batch, %s holds %s: %v (%v), want %v", c.collection, c.id.Short(), held, err, c.want)
		}
	}
}
