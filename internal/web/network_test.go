package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"mosaic"
	"mosaic/internal/auth"
	"mosaic/internal/entity"
	"mosaic/internal/network"
	"mosaic/internal/store"
)

// networkCase adds to the fixture three documents that state relations:
// Verhelst was in touch with Kallweit (police), Kallweit is a member of
// the Northgate Brotherhood (signals), and Marchetti was not in touch with
// Kallweit (police). It resolves every document and returns the fixture,
// a handler with the network endpoints and a way to look up entity IDs.
func networkCase(t *testing.T) (*fixture, *Server, func(name string) mosaic.EntityID) {
	t.Helper()
	f := newFixture(t)
	addRelations(t, f,
		relationDoc{reports, "Field report 21: phone contact", "Tomas Verhelst was in touch with Idris Kallweit by phone in May 2016.",
			"Tomas Verhelst", "Idris Kallweit", mosaic.Contact, false},
		relationDoc{intercepts, "Signals summary 3: membership", "Idris Kallweit is a member of the Northgate Brotherhood, the summary says.",
			"Idris Kallweit", "Northgate Brotherhood", mosaic.Member, false},
		relationDoc{reports, "Field report 22: no contact", "Hélène Marchetti was not in touch with Idris Kallweit at any time.",
			"Hélène Marchetti", "Idris Kallweit", mosaic.Contact, true})
	srv := f.server(nil)
	srv.Entities, srv.EntityFinder, srv.Judges, srv.Corpus = f.store, entity.NewFinder(f.store), f.store, f.store
	finder := entity.NewFinder(f.store)
	id := func(name string) mosaic.EntityID {
		t.Helper()
		cs, err := finder.Find(context.Background(), name, 1)
		if err != nil || len(cs) == 0 || !cs[0].Comparison.Match {
			t.Fatalf("no entity for %q: %v %+v", name, err, cs)
		}
		return mosaic.EntityID(cs[0].ID)
	}
	return f, srv, id
}

// relationDoc is a one-sentence document stating one relation between two
// names it contains.
type relationDoc struct {
	collection, title, text string
	from, to                string
	typ                     mosaic.RelationType
	negated                 bool
}

// addRelations stores the documents and resolves every pending one.
func addRelations(t *testing.T, f *fixture, docs ...relationDoc) {
	t.Helper()
	ctx := context.Background()
	var batch []store.Ingested
	for _, d := range docs {
		kind := func(name string) mosaic.MentionType {
			if strings.Contains(name, "Brotherhood") {
				return mosaic.Org
			}
			return mosaic.Person
		}
		in := ingest(t, d.collection, d.title, d.text, date(2016, 8, 1), nil, m(d.from, kind(d.from), ""), m(d.to, kind(d.to), ""))
		// The cue is the words between the two names, as extraction
		// quotes it.
		a, b := in.Mentions[0], in.Mentions[1]
		cue := strings.TrimSpace(d.text[min(a.End, b.End):max(a.Start, b.Start)])
		in.Relations = []mosaic.Relation{{Type: d.typ, From: 0, To: 1, Sentence: a.Sentence, Negated: d.negated, Cue: cue}}
		batch = append(batch, in)
	}
	if _, err := f.store.Add(ctx, batch); err != nil {
		t.Fatal(err)
	}
	f.resolve(t)
}

// pathKeys are the keys of a path answer.
var pathKeys = []string{"names", "kinds", "paths", "direct"}

type pathAnswer struct {
	Names  map[mosaic.EntityID]string             `json:"names"`
	Kinds  map[mosaic.EntityID]mosaic.MentionType `json:"kinds"`
	Paths  []network.Path                         `json:"paths"`
	Direct *network.Edge                          `json:"direct"`
}

func TestNetworkPathsAndEdges(t *testing.T) {
	f, srv, id := networkCase(t)
	h := f.as(analyst, srv.Handler())
	verhelst, kallweit, brotherhood, marchetti := id("Tomas Verhelst"), id("Idris Kallweit"), id("Northgate Brotherhood"), id("Hélène Marchetti")

	var p pathAnswer
	getJSON(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=%d", verhelst, brotherhood), http.StatusOK, &p, pathKeys...)
	if len(p.Paths) != 1 || len(p.Paths[0].Hops) != 2 {
		t.Fatalf("Verhelst → Brotherhood: %+v, want one path of two hops", p.Paths)
	}
	for i, want := range []string{"was in touch with Idris Kallweit by phone", "is a member of the Northgate Brotherhood"} {
		ev := p.Paths[0].Hops[i].Edge.Evidence
		if len(ev) != 1 || !strings.Contains(ev[0].Text, want) || ev[0].Negated || len(ev[0].Collections) != 1 {
			t.Errorf("hop %d evidence %+v, want the sentence %q", i, ev, want)
		}
	}
	if p.Names[kallweit] != "Idris Kallweit" || p.Kinds[kallweit] != mosaic.Person || p.Kinds[brotherhood] != mosaic.Org || p.Direct != nil {
		t.Errorf("names %v, kinds %v, direct %+v", p.Names, p.Kinds, p.Direct)
	}

	// Marchetti's only link is a denial: no path, and the direct edge
	// shows the negated sentence.
	getJSON(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=%d", marchetti, kallweit), http.StatusOK, &p, pathKeys...)
	if len(p.Paths) != 0 || p.Direct == nil || p.Direct.Positive() || !p.Direct.Evidence[0].Negated ||
		!strings.Contains(p.Direct.Evidence[0].Text, "was not in touch") {
		t.Errorf("Marchetti → Kallweit: paths %+v, direct %+v; want only the negated sentence", p.Paths, p.Direct)
	}

	var e struct {
		A, B  mosaic.EntityID
		NameA string `json:"name_a"`
		NameB string `json:"name_b"`
		network.Edge
	}
	getJSON(t, h, fmt.Sprintf("/api/v1/edge?a=%d&b=%d", brotherhood, kallweit), http.StatusOK, &e, "a", "b", "name_a", "name_b", "types", "weight", "evidence", "first", "last")
	if len(e.Evidence) != 1 || e.Evidence[0].Type != mosaic.Member || !strings.Contains(e.Evidence[0].Text, "member of") || e.Weight != 1 {
		t.Errorf("edge Kallweit–Brotherhood: %+v", e)
	}
	wantError(t, h, fmt.Sprintf("/api/v1/edge?a=%d&b=%d", verhelst, brotherhood), http.StatusNotFound)

	// Filters: only membership leaves Verhelst unlinked; bad values are
	// refused by name.
	getJSON(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=%d&type=member", verhelst, brotherhood), http.StatusOK, &p, pathKeys...)
	if len(p.Paths) != 0 {
		t.Errorf("membership only: %+v", p.Paths)
	}
	getJSON(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=%d&collection=%s", verhelst, brotherhood, reports), http.StatusOK, &p, pathKeys...)
	if len(p.Paths) != 0 {
		t.Errorf("police documents only: %+v; the membership is in the signals collection", p.Paths)
	}
	getJSON(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=%d&until=2016-07-31", verhelst, brotherhood), http.StatusOK, &p, pathKeys...)
	if len(p.Paths) != 0 {
		t.Errorf("until before the documents: %+v", p.Paths)
	}
	wantError(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=%d&type=friendship", verhelst, brotherhood), http.StatusBadRequest, "type", "friendship")
	wantError(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=%d&since=2016-13-01", verhelst, brotherhood), http.StatusBadRequest, "since")
	wantError(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=%s", verhelst, url.QueryEscape("1; DROP TABLE entities")), http.StatusBadRequest, "to")
	wantError(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=999999", verhelst), http.StatusNotFound)
}

func TestNetworkEgoAndAnalysis(t *testing.T) {
	f, srv, id := networkCase(t)
	h := f.as(analyst, srv.Handler())
	kallweit := id("Idris Kallweit")

	var ego network.Ego
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d/ego?hops=1", kallweit), http.StatusOK, &ego, "centre", "entities", "edges", "complete")
	names := map[string]int{}
	for _, e := range ego.Entities {
		names[e.Name] = e.Hops
		if want := map[bool]mosaic.MentionType{true: mosaic.Org, false: mosaic.Person}[e.Name == "Northgate Brotherhood"]; e.Kind != want {
			t.Errorf("ego entity %+v, want kind %s", e, want)
		}
	}
	if len(ego.Entities) != 3 || names["Idris Kallweit"] != 0 || names["Tomas Verhelst"] != 1 || names["Northgate Brotherhood"] != 1 || len(ego.Edges) != 2 {
		t.Errorf("ego network %+v", ego)
	}
	wantError(t, h, fmt.Sprintf("/api/v1/entities/%d/ego?hops=9", kallweit), http.StatusBadRequest, "hops")

	var a network.Report
	getJSON(t, h, "/api/v1/network", http.StatusOK, &a, "source", "nodes", "edges", "total_weight", "communities", "degree", "pagerank", "betweenness", "eigenvector", "seconds", "by_kind")
	if a.Nodes != 3 || a.Edges != 2 || a.Betweenness.Sampled || len(a.Betweenness.Top) != 3 || a.Betweenness.Top[0].ID != int64(kallweit) || a.Betweenness.Top[0].Score != 1 {
		t.Errorf("analysis: %d nodes, %d edges, betweenness %+v; want Kallweit between the other two", a.Nodes, a.Edges, a.Betweenness)
	}
	if a.Communities.Count < 1 || a.Degree[0].Node != "Idris Kallweit" || a.Degree[0].Kind != string(mosaic.Person) {
		t.Errorf("communities %+v, degree %+v", a.Communities, a.Degree)
	}
	// People and organisations are ranked apart, people first: Kallweit
	// is the people's only broker; the Brotherhood, at an end of the
	// chain, brokers nothing but is ranked among the organisations.
	if len(a.ByKind) != 2 || a.ByKind[0].Kind != mosaic.Person || a.ByKind[1].Kind != mosaic.Org {
		t.Fatalf("by kind: %+v, want people then organisations", a.ByKind)
	}
	if b := a.ByKind[0].Betweenness; len(b) != 1 || b[0].ID != int64(kallweit) || b[0].Score != 1 {
		t.Errorf("people's brokers %+v, want Kallweit alone", b)
	}
	if o := a.ByKind[1]; len(o.Betweenness) != 0 || len(o.Degree) != 1 || o.Degree[0].Node != "Northgate Brotherhood" {
		t.Errorf("organisations %+v, want the Brotherhood, broker of nothing", o)
	}

	// Two triangles joined by a bridge, as mosaic analyze --edges reads.
	status, body := post(t, h, "/api/v1/analyze?top=3", "a\tb\nb\tc\na\tc\nd\te\ne\tf\nd\tf\nc\td\n")
	c, _ := body["communities"].(map[string]any)
	if q, _ := c["modularity"].(float64); status != http.StatusOK || c["count"] != 2.0 || q < 0.357 || q > 0.358 {
		t.Errorf("POST analyze: %d %v, want two communities, modularity 5/14", status, body)
	}
	for _, tt := range []struct{ body, want string }{
		{"a\tb\nc d\n", "body:2"},
		{"a\tb\nJos\xe9\tc\n", "UTF-8"},
	} {
		status, body := post(t, h, "/api/v1/analyze", tt.body)
		if msg, _ := body["error"].(string); status != http.StatusBadRequest || !strings.Contains(msg, tt.want) {
			t.Errorf("POST analyze %q: %d %v, want 400 naming %q", tt.body, status, body, tt.want)
		}
	}
}

// TestNetworkFollowsNewMaterial checks that the cached network notices an
// ingest, and that a flagged person is linked once new
// material makes a path, while requests run concurrently.
func TestNetworkFollowsNewMaterial(t *testing.T) {
	f, srv, id := networkCase(t)
	h := f.as(analyst, srv.Handler())
	ctx := context.Background()
	marchetti, brotherhood := id("Hélène Marchetti"), id("Northgate Brotherhood")
	if _, err := f.store.Judge(ctx, store.Judgement{Kind: store.Flag, Entity: marchetti, User: analyst, Agency: "Regional Police", Reason: "called a lone actor in the press"}); err != nil {
		t.Fatal(err)
	}
	var las struct {
		LoneActors []network.LoneActor `json:"lone_actors"`
	}
	getJSON(t, h, "/api/v1/lone-actors", http.StatusOK, &las, "lone_actors", "names", "kinds")
	if len(las.LoneActors) != 1 || las.LoneActors[0].Person != marchetti || !las.LoneActors[0].Flagged || las.LoneActors[0].Linked {
		t.Fatalf("before new material: %+v, want Marchetti flagged and unlinked", las.LoneActors)
	}
	if _, body := get(t, h, "/api/v1/lone-actors"); !strings.Contains(string(body), `"claims":[]`) {
		t.Errorf("a person only flagged has claims other than []: %s", body)
	}

	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, fmt.Sprintf("/api/v1/path?from=%d&to=%d", marchetti, brotherhood), nil))
			if rec.Code != http.StatusOK {
				t.Errorf("concurrent path: %d %s", rec.Code, rec.Body)
			}
		}()
	}
	addRelations(t, f, relationDoc{intercepts, "Signals summary 4: a call", "Hélène Marchetti called Tomas Verhelst twice on 3 August 2016.",
		"Hélène Marchetti", "Tomas Verhelst", mosaic.Contact, false})
	wg.Wait()

	var p pathAnswer
	getJSON(t, h, fmt.Sprintf("/api/v1/path?from=%d&to=%d", marchetti, brotherhood), http.StatusOK, &p, pathKeys...)
	if len(p.Paths) != 1 || len(p.Paths[0].Hops) != 3 || !strings.Contains(p.Paths[0].Hops[0].Edge.Evidence[0].Text, "called Tomas Verhelst") {
		t.Fatalf("after the call: %+v, want Marchetti → Verhelst → Kallweit → Brotherhood", p.Paths)
	}
	getJSON(t, h, "/api/v1/lone-actors", http.StatusOK, &las, "lone_actors", "names", "kinds")
	if len(las.LoneActors) != 1 || !las.LoneActors[0].Linked || las.LoneActors[0].Path == nil || las.LoneActors[0].Path.Hops[0].Edge.Evidence[0].Text == "" {
		t.Errorf("after the call: %+v, want Marchetti linked with quoted evidence", las.LoneActors)
	}
}

// TestNetworkPerAgency: an agency's merge shapes its own network only.
// The network cache must not hand the network one agency's merges built
// to another agency reading the same collections, with or without a
// collection filter.
func TestNetworkPerAgency(t *testing.T) {
	ctx := context.Background()
	f := newNetworkFixture(t)
	const cell = "cell"
	if _, err := f.store.AddUser(ctx, store.User{Name: cell, Agency: "Joint Analysis Cell", Role: store.Analyst}, ""); err != nil {
		t.Fatal(err)
	}
	tok := auth.NewToken()
	if _, err := f.store.AddToken(ctx, cell, "tests", auth.Digest(tok)); err != nil {
		t.Fatal(err)
	}
	f.tokens[cell] = tok
	srv := f.server(nil)
	h := srv.Handler()
	nodes := func(user, target string) int {
		t.Helper()
		var a network.Report
		res, body := get(t, f.as(user, h), target)
		if res.StatusCode != http.StatusOK || json.Unmarshal(body, &a) != nil {
			t.Fatalf("GET %s as %s: %d %s", target, user, res.StatusCode, body)
		}
		return a.Nodes
	}
	idOf := func(name string) mosaic.EntityID {
		t.Helper()
		cs, err := entity.NewFinder(f.store).Find(ctx, name, 1)
		if err != nil || len(cs) == 0 {
			t.Fatalf("find %s: %v, %v", name, cs, err)
		}
		return mosaic.EntityID(cs[0].ID)
	}
	for _, target := range []string{"/api/v1/network", "/api/v1/network?collection=" + caseNotes} {
		before := nodes(cell, target)
		if got := nodes(analyst, target); got != before {
			t.Fatalf("%s: %d nodes for the analyst, %d for the cell, before any merge", target, got, before)
		}
	}
	if _, err := f.store.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: idOf("Oskar Feldhaus"), Other: idOf("Marten Quist"),
		Agency: "Regional Police", User: analyst, Reason: "one man"}); err != nil {
		t.Fatal(err)
	}
	for _, target := range []string{"/api/v1/network", "/api/v1/network?collection=" + caseNotes} {
		// The merging agency asks first, so a cache keyed without the
		// agency would give its network to the cell.
		merged := nodes(analyst, target)
		if got := nodes(cell, target); got != merged+1 {
			t.Errorf("%s: the cell sees %d nodes, the merging agency %d; want the cell one more", target, got, merged)
		}
	}
}
