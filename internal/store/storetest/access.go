package storetest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic/internal/store"
)

// mustUser adds a user of an agency with a role and a clearance.
func mustUser(t *testing.T, s store.Store, name, agency string, role store.Role, clearance string) store.User {
	t.Helper()
	u, err := s.AddUser(context.Background(), store.User{Name: name, Agency: agency, Role: role, Clearance: clearance}, "hash-of-"+name)
	if err != nil {
		t.Fatalf("AddUser(%q of %q): %v", name, agency, err)
	}
	return u
}

// scopeOf returns the collections a user's scope names, joined by spaces,
// and checks that the scope is never the nil "everything" and carries the
// user's agency.
func scopeOf(t *testing.T, s store.Store, u store.User) string {
	t.Helper()
	sc, err := s.ScopeOf(context.Background(), u)
	if err != nil {
		t.Fatalf("ScopeOf(%q): %v", u.Name, err)
	}
	if sc.Collections == nil {
		t.Fatalf("ScopeOf(%q) has nil Collections, which sees everything", u.Name)
	}
	if sc.Agency != u.Agency {
		t.Errorf("ScopeOf(%q).Agency = %q, want %q", u.Name, sc.Agency, u.Agency)
	}
	return strings.Join(sc.Collections, " ")
}

// testUsers checks accounts: adding users and the errors of a bad one,
// listing them, reading one back with its password hash, and disabling.
func testUsers(t *testing.T, s store.Store) {
	ctx := context.Background()
	u := mustUser(t, s, "ana", "Police", store.Analyst, "")
	if u.ID <= 0 || u.Created.IsZero() || u.Clearance != "UNCLASSIFIED" || !u.Disabled.IsZero() {
		t.Errorf("new user = %+v", u)
	}
	mustUser(t, s, "zed", "Intelligence", store.Admin, "SECRET")
	mustUser(t, s, "bob", "Police", store.Viewer, "RESTRICTED")
	for _, tc := range []struct {
		name string
		u    store.User
		want error
	}{
		{"taken name", store.User{Name: "ana", Agency: "Intelligence", Role: store.Viewer}, store.ErrConflict},
		{"no name", store.User{Name: " ", Agency: "Police", Role: store.Viewer}, store.ErrInvalid},
		{"no agency", store.User{Name: "eve", Role: store.Viewer}, store.ErrInvalid},
		{"unknown role", store.User{Name: "eve", Agency: "Police", Role: "root"}, store.ErrInvalid},
		{"unknown clearance", store.User{Name: "eve", Agency: "Police", Role: store.Viewer, Clearance: "COSMIC"}, store.ErrInvalid},
	} {
		if _, err := s.AddUser(ctx, tc.u, ""); !errors.Is(err, tc.want) {
			t.Errorf("AddUser with %s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	list := func(agency string) string {
		t.Helper()
		us, err := s.Users(ctx, agency)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, u := range us {
			out = append(out, u.Name+"/"+u.Agency+"/"+string(u.Role)+"/"+u.Clearance)
		}
		return strings.Join(out, " ")
	}
	if got, want := list(""), "ana/Police/analyst/UNCLASSIFIED bob/Police/viewer/RESTRICTED zed/Intelligence/admin/SECRET"; got != want {
		t.Errorf("Users() = %s, want %s", got, want)
	}
	if got, want := list("Police"), "ana/Police/analyst/UNCLASSIFIED bob/Police/viewer/RESTRICTED"; got != want {
		t.Errorf("Users(Police) = %s, want %s", got, want)
	}
	got, hash, err := s.UserByName(ctx, "zed")
	if err != nil || got.Agency != "Intelligence" || got.Role != store.Admin || hash != "hash-of-zed" {
		t.Errorf("UserByName(zed) = %+v, %q, %v", got, hash, err)
	}
	if _, _, err := s.UserByName(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("UserByName(nobody): err = %v, want ErrNotFound", err)
	}
	if err := s.SetPassword(ctx, "zed", "new-hash"); err != nil {
		t.Fatal(err)
	}
	if _, hash, err := s.UserByName(ctx, "zed"); err != nil || hash != "new-hash" {
		t.Errorf("after SetPassword the hash reads %q (%v)", hash, err)
	}
	if _, hash, _ := s.UserByName(ctx, "ana"); hash != "hash-of-ana" {
		t.Errorf("SetPassword of zed changed ana's hash to %q", hash)
	}
	if err := s.SetPassword(ctx, "nobody", "x"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("SetPassword(nobody): err = %v, want ErrNotFound", err)
	}
	if err := s.DisableUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if got, _, _ := s.UserByName(ctx, "bob"); got.Disabled.IsZero() {
		t.Error("a disabled user reads back without Disabled")
	}
	if err := s.DisableUser(ctx, "nobody"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("DisableUser(nobody): err = %v, want ErrNotFound", err)
	}
}

// testTokensAndSessions checks that a token finds its user until it is
// revoked or its user disabled, and that a session finds its user until it
// expires, is deleted or its user disabled.
func testTokensAndSessions(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustUser(t, s, "ana", "Police", store.Analyst, "")
	mustUser(t, s, "bob", "Police", store.Viewer, "")
	tok, err := s.AddToken(ctx, "ana", "laptop", []byte("hash-1"))
	if err != nil {
		t.Fatal(err)
	}
	if tok.ID <= 0 || tok.User != "ana" || tok.Label != "laptop" || tok.Created.IsZero() {
		t.Errorf("new token = %+v", tok)
	}
	if _, err := s.AddToken(ctx, "ana", "second", []byte("hash-2")); err != nil {
		t.Fatal(err)
	}
	if _, err := s.AddToken(ctx, "nobody", "x", []byte("hash-3")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token of no user: err = %v, want ErrNotFound", err)
	}
	if u, err := s.TokenUser(ctx, []byte("hash-1")); err != nil || u.Name != "ana" || u.Agency != "Police" {
		t.Errorf("TokenUser(hash-1) = %+v, %v", u, err)
	}
	if _, err := s.TokenUser(ctx, []byte("hash-9")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TokenUser of an unknown hash: err = %v, want ErrNotFound", err)
	}
	if err := s.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenUser(ctx, []byte("hash-1")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("TokenUser of a revoked token: err = %v, want ErrNotFound", err)
	}
	if u, err := s.TokenUser(ctx, []byte("hash-2")); err != nil || u.Name != "ana" {
		t.Errorf("revoking one token stopped another: %+v, %v", u, err)
	}
	if err := s.RevokeToken(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeToken(9999): err = %v, want ErrNotFound", err)
	}
	toks, err := s.Tokens(ctx, "ana")
	if err != nil || len(toks) != 2 || toks[0].ID != tok.ID || toks[0].Revoked.IsZero() || !toks[1].Revoked.IsZero() {
		t.Errorf("Tokens(ana) = %+v, %v; want the revoked one first, then the live one", toks, err)
	}

	now := time.Now()
	live := store.Session{User: "ana", Expires: now.Add(time.Hour), CSRFHash: []byte("csrf-1")}
	if err := s.AddSession(ctx, []byte("sess-1"), live); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSession(ctx, []byte("sess-old"), store.Session{User: "ana", Created: now.Add(-2 * time.Hour), Expires: now.Add(-time.Second), CSRFHash: []byte("c")}); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSession(ctx, []byte("sess-x"), store.Session{User: "nobody", Expires: now.Add(time.Hour)}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session of no user: err = %v, want ErrNotFound", err)
	}
	sess, u, err := s.SessionUser(ctx, []byte("sess-1"))
	if err != nil || u.Name != "ana" || sess.User != "ana" || string(sess.CSRFHash) != "csrf-1" || !sess.Expires.Equal(live.Expires) {
		t.Errorf("SessionUser(sess-1) = %+v, %+v, %v", sess, u, err)
	}
	if _, _, err := s.SessionUser(ctx, []byte("sess-old")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an expired session: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteSession(ctx, []byte("sess-1")); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.SessionUser(ctx, []byte("sess-1")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a deleted session: err = %v, want ErrNotFound", err)
	}
	if err := s.DeleteSession(ctx, []byte("sess-1")); err != nil {
		t.Errorf("deleting a session that is gone: %v", err)
	}

	// Disabling bob ends his token and his session.
	if _, err := s.AddToken(ctx, "bob", "", []byte("hash-bob")); err != nil {
		t.Fatal(err)
	}
	if err := s.AddSession(ctx, []byte("sess-bob"), store.Session{User: "bob", Expires: now.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if err := s.DisableUser(ctx, "bob"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.TokenUser(ctx, []byte("hash-bob")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token of a disabled user: err = %v, want ErrNotFound", err)
	}
	if _, _, err := s.SessionUser(ctx, []byte("sess-bob")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("session of a disabled user: err = %v, want ErrNotFound", err)
	}
	if toks, _ := s.Tokens(ctx, "bob"); len(toks) != 1 || toks[0].Revoked.IsZero() {
		t.Errorf("a disabled user's token is not marked revoked: %+v", toks)
	}
	if _, err := s.AddToken(ctx, "bob", "", []byte("hash-bob-2")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a new token of a disabled user: err = %v, want ErrNotFound", err)
	}
}

// testScopeOf checks what users may read: their agency's collections,
// those granted to them or their agency until the grant is revoked, less
// those classified above their clearance; nothing once disabled.
func testScopeOf(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police-reports", "Police")
	mustCollection(t, s, "police-secret", "Police")
	mustCollection(t, s, "intel-intercepts", "Intelligence")
	mustCollection(t, s, "intel-sources", "Intelligence")
	mustCollection(t, s, "press", "Press")
	if err := s.Classify(ctx, "police-secret", "SECRET"); err != nil {
		t.Fatal(err)
	}
	if err := s.Classify(ctx, "intel-sources", "CONFIDENTIAL"); err != nil {
		t.Fatal(err)
	}
	if err := s.Classify(ctx, "press", "TOP-SECRET"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Classify with an unknown label: err = %v, want ErrInvalid", err)
	}
	if err := s.Classify(ctx, "nowhere", "SECRET"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("Classify of no collection: err = %v, want ErrNotFound", err)
	}
	cs, err := s.Collections(ctx, store.Scope{Collections: []string{"police-secret", "press"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) != 2 || cs[0].Classification != "SECRET" || cs[1].Classification != "UNCLASSIFIED" {
		t.Errorf("collections read back with labels %+v", cs)
	}

	officer := mustUser(t, s, "officer", "Police", store.Analyst, "")
	chief := mustUser(t, s, "chief", "Police", store.Admin, "SECRET")
	spy := mustUser(t, s, "spy", "Intelligence", store.Analyst, "TOP SECRET")
	clerk := mustUser(t, s, "clerk", "Intelligence", store.Viewer, "")
	if got, want := scopeOf(t, s, officer), "police-reports"; got != want {
		t.Errorf("officer (unclassified) sees %q, want %q", got, want)
	}
	if got, want := scopeOf(t, s, chief), "police-reports police-secret"; got != want {
		t.Errorf("chief (secret) sees %q, want %q", got, want)
	}
	if got, want := scopeOf(t, s, spy), "intel-intercepts intel-sources"; got != want {
		t.Errorf("spy sees %q, want %q", got, want)
	}

	// A grant to a user reaches that user only; one to an agency, all of it
	// that is cleared.
	toOfficer, err := s.Grant(ctx, store.Grant{Collection: "intel-intercepts", User: "officer", By: "spy", Reason: "joint case"})
	if err != nil {
		t.Fatal(err)
	}
	if toOfficer.ID <= 0 || toOfficer.Created.IsZero() {
		t.Errorf("new grant = %+v", toOfficer)
	}
	if _, err := s.Grant(ctx, store.Grant{Collection: "intel-sources", Agency: "Police", By: "spy", Reason: "task force"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Grant(ctx, store.Grant{Collection: "police-secret", Agency: "Intelligence", By: "chief", Reason: "task force"}); err != nil {
		t.Fatal(err)
	}
	if got, want := scopeOf(t, s, officer), "intel-intercepts police-reports"; got != want {
		t.Errorf("officer with grants sees %q, want %q (intel-sources is above the clearance)", got, want)
	}
	if got, want := scopeOf(t, s, chief), "intel-sources police-reports police-secret"; got != want {
		t.Errorf("chief with grants sees %q, want %q", got, want)
	}
	if got, want := scopeOf(t, s, clerk), "intel-intercepts"; got != want {
		t.Errorf("clerk (unclassified) sees %q, want %q", got, want)
	}
	if got, want := scopeOf(t, s, spy), "intel-intercepts intel-sources police-secret"; got != want {
		t.Errorf("spy with a grant sees %q, want %q", got, want)
	}

	for _, tc := range []struct {
		name string
		g    store.Grant
		want error
	}{
		{"both user and agency", store.Grant{Collection: "press", User: "officer", Agency: "Police", By: "x", Reason: "y"}, store.ErrInvalid},
		{"neither user nor agency", store.Grant{Collection: "press", By: "x", Reason: "y"}, store.ErrInvalid},
		{"no reason", store.Grant{Collection: "press", User: "officer", By: "x"}, store.ErrInvalid},
		{"no collection", store.Grant{Collection: "nowhere", User: "officer", By: "x", Reason: "y"}, store.ErrNotFound},
		{"no user", store.Grant{Collection: "press", User: "nobody", By: "x", Reason: "y"}, store.ErrNotFound},
		{"no agency", store.Grant{Collection: "press", Agency: "Nobody", By: "x", Reason: "y"}, store.ErrNotFound},
	} {
		if _, err := s.Grant(ctx, tc.g); !errors.Is(err, tc.want) {
			t.Errorf("Grant with %s: err = %v, want %v", tc.name, err, tc.want)
		}
	}

	grants, err := s.Grants(ctx, "Intelligence")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, g := range grants {
		got = append(got, g.Collection+">"+g.User+g.Agency)
	}
	if want := []string{"intel-intercepts>officer", "intel-sources>Police"}; !slices.Equal(got, want) {
		t.Errorf("Grants(Intelligence) = %v, want %v", got, want)
	}
	if all, err := s.Grants(ctx, ""); err != nil || len(all) != 3 {
		t.Errorf("Grants() = %d grants, %v; want 3", len(all), err)
	}

	// Revoking the user's grant takes the collection away again.
	if err := s.RevokeGrant(ctx, toOfficer.ID); err != nil {
		t.Fatal(err)
	}
	if got, want := scopeOf(t, s, officer), "police-reports"; got != want {
		t.Errorf("officer after the grant was revoked sees %q, want %q", got, want)
	}
	if err := s.RevokeGrant(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("RevokeGrant(9999): err = %v, want ErrNotFound", err)
	}
	if grants, _ := s.Grants(ctx, "Intelligence"); len(grants) != 2 || grants[0].Revoked.IsZero() || !grants[1].Revoked.IsZero() {
		t.Errorf("Grants after a revocation: %+v", grants)
	}

	// Lowering a label shows the collection to those now cleared.
	if err := s.Classify(ctx, "police-secret", "UNCLASSIFIED"); err != nil {
		t.Fatal(err)
	}
	if got, want := scopeOf(t, s, officer), "police-reports police-secret"; got != want {
		t.Errorf("officer sees %q after a relabel, want %q", got, want)
	}
	if got, want := scopeOf(t, s, clerk), "intel-intercepts police-secret"; got != want {
		t.Errorf("clerk sees %q after a relabel, want %q", got, want)
	}

	// A disabled user sees nothing, with a scope that is empty, not nil.
	if err := s.DisableUser(ctx, "chief"); err != nil {
		t.Fatal(err)
	}
	if got := scopeOf(t, s, chief); got != "" {
		t.Errorf("a disabled user sees %q", got)
	}

	// An unknown user has no scope.
	if _, err := s.ScopeOf(ctx, store.User{Name: "nobody"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ScopeOf(nobody): err = %v, want ErrNotFound", err)
	}
}
