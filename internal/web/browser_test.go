package web

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
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

// runBrowser serves h and runs an e2e script against it in Debian's
// chromium, which logs in through the page's form as the fixture's
// analyst. Without chromium, node or e2e/node_modules (e2e/setup.sh
// installs them) it skips, so a fresh clone passes go test.
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
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("%s:\n%s", script, out)
	if err != nil {
		t.Fatalf("%s failed: %v", script, err)
	}
}
