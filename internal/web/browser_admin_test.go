package web

import (
	"context"
	"net/http"
	"testing"

	"mosaic/internal/store"
)

// TestBrowserAdmin runs e2e/admin.mjs on the authorisation matrix's two
// agencies: alpha's admin creates a user on the admin page and is shown
// the password once; the new user logs in with it in a second browser;
// the admin issues and revokes a token, and finds the creation in the
// audit view, with nothing of bravo's.
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
	runBrowser(t, &fixture{store: m.store}, "admin.mjs", m.h)
}
