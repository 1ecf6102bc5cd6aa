package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/auth"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// TestBrowser runs e2e/first-page.mjs: a real Chromium searches, pages,
// opens documents and checks the mentions and the hostile memo. The server
// has every endpoint, as mosaic serve does, but no entity is resolved, so
// the page must read well without them.
// MOSAIC_SCREENSHOT=/path/shot.png keeps screenshots of the page.
func TestBrowser(t *testing.T) {
	f := newFixture(t)
	srv := f.server(nil)
	srv.Entities, srv.EntityFinder, srv.Judges, srv.Corpus = f.store, entity.NewFinder(f.store), f.store, f.store
	runBrowser(t, f, "first-page.mjs", srv.Handler())
}

// TestBrowserPages runs e2e/pages.mjs: a long document read a page at a
// time, and a profile's connections a page at a time.
func TestBrowserPages(t *testing.T) {
	f := newFixture(t)
	if _, err := f.store.EnsureCollection(context.Background(), "chats", "Regional Police"); err != nil {
		t.Fatal(err)
	}
	firsts := []string{"Anna", "Bruno", "Carla", "Dario", "Elena", "Fabian", "Greta", "Hugo", "Ines", "Jonas"}
	lasts := []string{"Berg", "Dahl", "Falk", "Horn", "Kern", "Lund", "Moll", "Nagel", "Roth", "Wolf"}
	var text strings.Builder
	for i := 0; text.Len() < 3*store.TextPageSize; i++ {
		name := firsts[i%10] + " " + lasts[(i/10)%10]
		fmt.Fprintf(&text, "Entry %d: Tomas Verhelst met %s at the depot.\n", i, name)
	}
	// Every line names Verhelst and the one he met.
	in := ingest(t, "chats", "Chat export", text.String(), time.Time{}, nil)
	for i, line := 0, 0; i < text.Len(); line++ {
		end := i + strings.IndexByte(text.String()[i:], '\n') + 1
		s := text.String()[i:end]
		for _, name := range []string{"Tomas Verhelst", firsts[line%10] + " " + lasts[(line/10)%10]} {
			j := i + strings.Index(s, name)
			in.Mentions = append(in.Mentions, mosaic.Mention{Start: j, End: j + len(name), Type: mosaic.Person, Text: name,
				Sentence: mosaic.Span{Start: i, End: end}, Confidence: 0.9})
		}
		i = end
	}
	if _, err := f.store.Add(context.Background(), []store.Ingested{in}); err != nil {
		t.Fatal(err)
	}
	f.resolve(t)
	srv := f.server(nil)
	srv.Entities, srv.EntityFinder, srv.Judges, srv.Corpus = f.store, entity.NewFinder(f.store), f.store, f.store
	runBrowser(t, f, "pages.mjs", srv.Handler())
}

// TestBrowserNetwork runs e2e/network.mjs against the network fixture: a
// mention opens its entity's profile, the profile's neighbours and paths
// quote their evidence, a denied link shows as denied, and the lone-actor
// check shows who is linked to a group and how.
// MOSAIC_SCREENSHOT=/path/shot.png keeps screenshots of the page.
func TestBrowserNetwork(t *testing.T) {
	f := newNetworkFixture(t)
	runBrowser(t, f.fixture, "network.mjs", f.server(nil).Handler())
}

// TestBrowserOverview runs e2e/overview.mjs against the network fixture:
// the network page's cells and central figures, and an entity's mentions
// per week, checked against what the fixture links and dates.
// MOSAIC_SCREENSHOT=/path/shot.png keeps screenshots of the page.
func TestBrowserOverview(t *testing.T) {
	f := newNetworkFixture(t)
	runBrowser(t, f.fixture, "overview.mjs", f.server(nil).Handler())
}

// TestBrowserDiscovery runs e2e/discovery.mjs on the authorisation
// matrix's two agencies: alpha's analyst asks who else holds material on a
// name only bravo holds and sees bravo with a bucketed count and none of
// its text, asks bravo to share; bravo's analyst approves; alpha's analyst
// then lists bravo's shared documents. A viewer is offered none of it.
func TestBrowserDiscovery(t *testing.T) {
	m := newMatrix(t)
	ctx := context.Background()
	// runBrowser logs in as the fixture's analyst: here, one of alpha's.
	if _, err := m.store.AddUser(ctx, store.User{Name: analyst, Agency: alpha, Role: store.Analyst, Clearance: "SECRET"}, ""); err != nil {
		t.Fatal(err)
	}
	f := &fixture{store: m.store}
	logins := map[string]string{}
	for _, c := range []who{{agency: bravo, role: store.Analyst}, {agency: alpha, role: store.Viewer}} {
		logins[c.String()] = auth.NewSessionSecret()
		f.password(t, c.String(), logins[c.String()])
	}
	// Alerts as discovery raises them: bravo's new material names Corvin
	// Albescu, and Teodor Vasken, whom alpha's material names, is bravo's too.
	if err := m.store.AddAlerts(ctx, []store.Alert{
		{Agency: alpha, Other: bravo, Entity: m.entities["Corvin Albescu"], Theirs: true},
		{Agency: alpha, Other: bravo, Entity: m.entities["Teodor Vasken"]},
	}); err != nil {
		t.Fatal(err)
	}
	// bravoOpen is never shared; bravoSecret's documents on Quillon Marsh
	// are, once bravo approves.
	unshared, err := json.Marshal(m.markers[bravoOpen])
	if err != nil {
		t.Fatal(err)
	}
	markers, err := json.Marshal(append(slices.Clone(m.markers[bravoOpen]), m.markers[bravoSecret]...))
	if err != nil {
		t.Fatal(err)
	}
	var titles []string
	for _, in := range m.docs[bravoSecret] {
		titles = append(titles, in.Doc.Title)
	}
	shared, err := json.Marshal(titles)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("MOSAIC_FOREIGN_MARKERS", string(markers))
	t.Setenv("MOSAIC_UNSHARED_MARKERS", string(unshared))
	t.Setenv("MOSAIC_SHARED_TITLES", string(shared))
	t.Setenv("MOSAIC_CORVIN", fmt.Sprint(m.entities["Corvin Albescu"]))
	t.Setenv("MOSAIC_OWNER_USER", "bravo-analyst")
	t.Setenv("MOSAIC_OWNER_PASSWORD", logins["bravo-analyst"])
	t.Setenv("MOSAIC_VIEWER_USER", "alpha-viewer")
	t.Setenv("MOSAIC_VIEWER_PASSWORD", logins["alpha-viewer"])
	runBrowser(t, f, "discovery.mjs", m.h)
}

// runBrowser serves h and runs an e2e script against it in Debian's
// chromium, which logs in through the page's form as the fixture's
// analyst. Without chromium, node or e2e/node_modules (e2e/setup.sh
// installs them) it skips, so a fresh clone passes go test. Screenshots go
// where MOSAIC_SCREENSHOT names, or else into $MOSAIC_ARTIFACTS (which
// scripts/test.sh sets, for CI to keep) as SCRIPT.png and SCRIPT-VIEW.png.
func runBrowser(t *testing.T, f *fixture, script string, h http.Handler) {
	t.Helper()
	if testing.Short() {
		t.Skip("browser test skipped in -short mode")
	}
	chromium := os.Getenv("CHROMIUM")
	if chromium == "" {
		chromium = "/usr/bin/chromium"
	}
	if _, err := os.Stat(chromium); err != nil {
		t.Skipf("browser test skipped: no chromium at %s (run internal/web/e2e/setup.sh, or set CHROMIUM)", chromium)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		t.Skip("browser test skipped: node is not installed (run internal/web/e2e/setup.sh)")
	}
	if _, err := os.Stat(filepath.Join("e2e", "node_modules", "playwright-core")); err != nil {
		t.Skip("browser test skipped: internal/web/e2e/node_modules is missing (run internal/web/e2e/setup.sh)")
	}

	password := auth.NewSessionSecret()
	f.password(t, analyst, password)

	// httptest listens on the loopback address 127.0.0.1.
	srv := httptest.NewServer(h)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, srv.URL+"/")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium, "MOSAIC_USER="+analyst, "MOSAIC_PASSWORD="+password)
	// An explicit MOSAIC_SCREENSHOT wins; either is made absolute, as the
	// script runs in e2e/.
	shot := os.Getenv("MOSAIC_SCREENSHOT")
	if dir := os.Getenv("MOSAIC_ARTIFACTS"); shot == "" && dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		shot = filepath.Join(dir, strings.TrimSuffix(script, ".mjs")+".png")
	}
	if shot != "" {
		abs, err := filepath.Abs(shot)
		if err != nil {
			t.Fatal(err)
		}
		cmd.Env = append(cmd.Env, "MOSAIC_SCREENSHOT="+abs)
	}
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("%s:\n%s", script, out)
	if err != nil {
		t.Fatalf("%s failed: %v", script, err)
	}
}

// TestBrowserStaleNetwork runs e2e/stale.mjs against the network fixture
// while a new generation's network cannot build: the profile's neighbours
// come from the last network, marked stale, and the page says so until
// the script lets the new network build and it answers.
func TestBrowserStaleNetwork(t *testing.T) {
	f := newNetworkFixture(t)
	srv := f.server(nil)
	g := &regatedCorpus{Corpus: srv.Corpus, gate: make(chan struct{})}
	close(g.gate)
	g.gen.Store(1)
	srv.Corpus = g
	srv.networks.staleWait = 20 * time.Millisecond
	cs, err := entity.NewFinder(f.store).Find(context.Background(), "Idris Kallweit", 1)
	if err != nil || len(cs) == 0 {
		t.Fatalf("Idris Kallweit: %v, %v", cs, err)
	}
	// The analyst's first network is built, as the profile asks for it;
	// the next generation's waits for a gate that opens when the test ends.
	if res, body := get(t, f.as(analyst, srv.Handler()), fmt.Sprintf("/api/v1/entities/%d/neighbours?hops=1", cs[0].ID)); res.StatusCode != http.StatusOK {
		t.Fatalf("the first network: %d %s", res.StatusCode, body)
	}
	shut := make(chan struct{})
	g.mu.Lock()
	g.gate = shut
	g.mu.Unlock()
	g.gen.Store(2)
	var open sync.Once
	defer open.Do(func() { close(shut) })
	mux := http.NewServeMux()
	mux.Handle("/", srv.Handler())
	mux.HandleFunc("GET /test/open-gate", func(w http.ResponseWriter, r *http.Request) {
		open.Do(func() { close(shut) })
		w.WriteHeader(http.StatusNoContent)
	})
	t.Setenv("MOSAIC_ENTITY", fmt.Sprint(cs[0].ID))
	runBrowser(t, f.fixture, "stale.mjs", mux)
}
