package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"mosaic/internal/entity"
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
	runBrowser(t, "first-page.mjs", srv.Handler())
}

// TestBrowserNetwork runs e2e/network.mjs against the network fixture: a
// mention opens its entity's profile, the profile's neighbours and paths
// quote their evidence, a denied link shows as denied, and the lone-actor
// check shows who is linked to a group and how.
// MOSAIC_SCREENSHOT=/path/shot.png keeps screenshots of the page.
func TestBrowserNetwork(t *testing.T) {
	f := newNetworkFixture(t)
	runBrowser(t, "network.mjs", f.server(nil).Handler())
}

// TestBrowserOverview runs e2e/overview.mjs against the network fixture:
// the network page's cells and central figures, and an entity's mentions
// per week, checked against what the fixture links and dates.
// MOSAIC_SCREENSHOT=/path/shot.png keeps screenshots of the page.
func TestBrowserOverview(t *testing.T) {
	f := newNetworkFixture(t)
	runBrowser(t, "overview.mjs", f.server(nil).Handler())
}

// runBrowser serves h and runs an e2e script against it in Debian's
// chromium. Without chromium, node or e2e/node_modules (e2e/setup.sh
// installs them) it skips, so a fresh clone passes go test.
func runBrowser(t *testing.T, script string, h http.Handler) {
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

	// httptest listens on the loopback address 127.0.0.1.
	srv := httptest.NewServer(h)
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, script, srv.URL+"/")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("%s:\n%s", script, out)
	if err != nil {
		t.Fatalf("%s failed: %v", script, err)
	}
}
