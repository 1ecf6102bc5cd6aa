package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"mosaic/internal/web"
)

// TestBrowserTour runs internal/web/e2e/tour.mjs: the done-when
// tour of the sample case as 'mosaic demo' loads and serves it, taken by
// a new user who follows only what the page shows. CTU's analyst logs in
// with the password the demo prints, searches, opens a person, charts and
// expands them, uploads a file, brushes the incidents' timeline and opens
// the map; finds that CTU's own material links no lone actor to a group,
// asks the Bureau who holds material on one, and the Bureau's admin
// approves; then goes from a search to the drawn path from the lone actor
// to the organiser, each hop's sentences one click away, and prints the
// clicks it took. Screenshots go where MOSAIC_SCREENSHOT names, or into
// $MOSAIC_ARTIFACTS as tour-STEP.png.
func TestBrowserTour(t *testing.T) {
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
	e2e, err := filepath.Abs(filepath.Join("..", "..", "internal", "web", "e2e"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(e2e, "node_modules", "playwright-core")); err != nil {
		t.Skip("browser test skipped: internal/web/e2e/node_modules is missing (run internal/web/e2e/setup.sh)")
	}

	// The case, loaded and its users made as 'mosaic demo' does; the
	// passwords are read from what it prints.
	ctx := context.Background()
	dir := t.TempDir()
	st, err := openStore(ctx, dir, true)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	var out, errs bytes.Buffer
	e := &env{stdout: &out, stderr: &errs}
	if err := loadCase(ctx, e, st, filepath.Join(dir, "case")); err != nil {
		t.Fatalf("load the sample case: %v\n%s", err, errs.String())
	}
	if err := demoUsers(ctx, e, st); err != nil {
		t.Fatal(err)
	}
	passwords := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(\S+)\s+\S+\s+of .* password (\S+)$`).FindAllStringSubmatch(out.String(), -1) {
		passwords[m[1]] = m[2]
	}
	for _, u := range []string{"ctu-analyst", "ctu-admin", "dib-analyst", "dib-admin"} {
		if passwords[u] == "" {
			t.Fatalf("the demo printed no password for %s:\n%s", u, out.String())
		}
	}

	// Who the organiser is, independently of the page: every lone actor
	// the whole case links to a group is linked to the same person, as
	// 'mosaic lone-actors' says over every agency's material.
	var cli bytes.Buffer
	if code := run(ctx, &env{stdout: &cli, stderr: &errs}, []string{"lone-actors", "--db", dir, "--json"}); code != 0 {
		t.Fatalf("lone-actors: exit %d\n%s", code, errs.String())
	}
	var check struct {
		Names      map[string]string `json:"names"`
		LoneActors []struct {
			Linked bool  `json:"linked"`
			Target int64 `json:"target"`
		} `json:"lone_actors"`
	}
	if err := json.Unmarshal(cli.Bytes(), &check); err != nil {
		t.Fatal(err)
	}
	organiser := ""
	for _, la := range check.LoneActors {
		if !la.Linked {
			continue
		}
		name := check.Names[strconv.FormatInt(la.Target, 10)]
		if organiser != "" && name != organiser {
			t.Fatalf("lone actors are linked to %s and to %s: which is the organiser?", organiser, name)
		}
		organiser = name
	}
	if organiser == "" {
		t.Fatalf("the sample case links no lone actor to a group:\n%s", cli.String())
	}

	// The handler 'mosaic demo' serves: serve's server, its host check
	// for the address, and the demo's loader.
	ts := httptest.NewUnstartedServer(nil)
	srv := newServer(st, slog.New(slog.NewTextHandler(io.Discard, nil)))
	srv.Hosts = web.HostsOf(ts.Listener.Addr().String())
	l := web.Listen{Addr: ts.Listener.Addr().String()}
	demoServe(st, dir)(srv, &l)
	ts.Config.Handler = srv.Handler()
	ts.Start()
	defer ts.Close()

	upload := filepath.Join(t.TempDir(), "tour-note.txt")
	if err := os.WriteFile(upload, []byte("Tour note. The word quorndale stands in this note alone.\n"), 0o600); err != nil {
		t.Fatal(err)
	}

	shot := os.Getenv("MOSAIC_SCREENSHOT")
	if art := os.Getenv("MOSAIC_ARTIFACTS"); shot == "" && art != "" {
		if err := os.MkdirAll(art, 0o755); err != nil {
			t.Fatal(err)
		}
		shot = filepath.Join(art, "tour.png")
	}
	if shot != "" {
		if shot, err = filepath.Abs(shot); err != nil {
			t.Fatal(err)
		}
	}

	ctx, cancel := context.WithTimeout(ctx, 6*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, node, "tour.mjs", ts.URL+"/")
	cmd.Dir = e2e
	cmd.Env = append(os.Environ(), "CHROMIUM="+chromium,
		"MOSAIC_USER=ctu-analyst", "MOSAIC_PASSWORD="+passwords["ctu-analyst"],
		"MOSAIC_AGENCY=Arden Constabulary CTU",
		"MOSAIC_OWNER_AGENCY=Domestic Intelligence Bureau",
		"MOSAIC_OWNER_USER=dib-admin", "MOSAIC_OWNER_PASSWORD="+passwords["dib-admin"],
		"MOSAIC_ORGANISER="+organiser,
		"MOSAIC_UPLOAD_FILE="+upload, "MOSAIC_UPLOAD_WORD=quorndale",
		"MOSAIC_SCREENSHOT="+shot)
	cmd.WaitDelay = 10 * time.Second
	got, err := cmd.CombinedOutput()
	t.Logf("tour.mjs:\n%s", got)
	if err != nil {
		t.Fatalf("tour.mjs failed: %v", err)
	}
	if !strings.Contains(string(got), "clicks from the search to the drawn path") {
		t.Error("the tour did not count its clicks")
	}
}
