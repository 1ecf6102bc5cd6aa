package web

import (
	"context"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestBrowser runs e2e/first-page.mjs: a real Chromium searches, pages,
// opens documents and checks the mentions and the hostile memo. It needs
// Debian's chromium, node, and e2e/node_modules (e2e/setup.sh installs
// them); without them it skips, so a fresh clone passes go test.
// MOSAIC_SCREENSHOT=/path/shot.png keeps screenshots of the page.
func TestBrowser(t *testing.T) {
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

	f := newFixture(t)
	// httptest listens on the loopback address 127.0.0.1.
	srv := httptest.NewServer(f.server(nil).Handler())
	defer srv.Close()

	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "first-page.mjs", srv.URL+"/")
	cmd.Dir = "e2e"
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium)
	cmd.WaitDelay = 10 * time.Second
	out, err := cmd.CombinedOutput()
	t.Logf("first-page.mjs:\n%s", out)
	if err != nil {
		t.Fatalf("first-page.mjs failed: %v", err)
	}
}
