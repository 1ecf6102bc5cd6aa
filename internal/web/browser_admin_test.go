package web

import (
	"context"
	"net/http"
	"testing"
	"time"

	"mosaic/internal/store"
)

// TestBrowserAdmin runs e2e/admin.mjs on the authorisation matrix's two
// agencies: alpha's admin creates a user on the admin page and is shown
// the password once; the new user logs in with it in a second browser;
// the admin issues and revokes a token, follows alpha's ingest queue, and
// finds the creation in the audit view, with nothing of bravo's.
// MOSAIC_SCREENSHOT=/path/shot.png keeps screenshots of both pages.
func TestBrowserAdmin(t *testing.T) {
	m := newMatrix(t)
	// runBrowser logs in as the fixture's user named analyst: here alpha's
	// admin, cleared SECRET.
	if _, err := m.store.AddUser(context.Background(), store.User{Name: analyst, Agency: alpha, Role: store.Admin, Clearance: "SECRET"}, ""); err != nil {
		t.Fatal(err)
	}
	// bravo's analyst searches, so that bravo's part of the log is not
	// empty: alpha's admin must not see it.
	if code, out := m.call(t, who{agency: bravo, role: store.Analyst}, "GET", "/api/v1/search?q=quillon", ""); code != http.StatusOK {
		t.Fatalf("bravo's search: %d %s", code, out)
	}
	// Alpha's queue: a job done, one failed, one held by a worker, one
	// waiting; bravo's holds a file whose path alpha's admin must not see.
	ctx := context.Background()
	if _, err := m.store.EnqueueJobs(ctx, []store.Job{
		{Collection: "alpha-main", Agency: alpha, Path: "/in/alpha/a.txt", Hash: "a1", Size: 1000},
		{Collection: "alpha-main", Agency: alpha, Path: "/in/alpha/<b>b</b>.pdf", Hash: "a2", Size: 1000},
		{Collection: "alpha-main", Agency: alpha, Path: "/in/alpha/c.txt", Hash: "a3", Size: 1000},
		{Collection: "alpha-main", Agency: alpha, Path: "/in/alpha/d.txt", Hash: "a4", Size: 1000},
		{Collection: "bravo-main", Agency: bravo, Path: "/in/bravo/source-kestrel.txt", Hash: "b1", Size: 10},
	}); err != nil {
		t.Fatal(err)
	}
	start := time.Now().Add(-time.Minute)
	jobs, err := m.store.ClaimJobs(ctx, "ingest-host:41", 2, start, time.Hour)
	if err != nil || len(jobs) != 2 {
		t.Fatalf("claim: %v", err)
	}
	if err := m.store.FinishJob(ctx, jobs[0].ID, "ingest-host:41", store.JobOutcome{Documents: 12, New: 10}, start.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	if err := m.store.FinishJob(ctx, jobs[1].ID, "ingest-host:41", store.JobOutcome{Failed: true, Error: "<b>b</b>.pdf: not a PDF"}, start.Add(30*time.Second)); err != nil {
		t.Fatal(err)
	}
	if _, err := m.store.ClaimJobs(ctx, "ingest-host:42", 1, time.Now(), time.Hour); err != nil {
		t.Fatal(err)
	}
	runBrowser(t, &fixture{store: m.store}, "admin.mjs", m.h)
}
