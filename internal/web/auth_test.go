package web

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"fmt"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mosaic/internal/auth"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// send sends a request to h with the body and the headers given as name,
// value pairs, and returns the recorded answer.
func send(t *testing.T, h http.Handler, method, target, body string, header ...string) *httptest.ResponseRecorder {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			req.Host = header[i+1]
			continue
		}
		req.Header.Set(header[i], header[i+1])
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

// errorOf returns the "error" of a JSON error answer, failing the test if
// the answer is not one.
func errorOf(t *testing.T, rec *httptest.ResponseRecorder) string {
	t.Helper()
	var e errorBody
	if err := json.Unmarshal(rec.Body.Bytes(), &e); err != nil || e.Error == "" {
		t.Fatalf("answer %d is not a JSON error: %s", rec.Code, rec.Body)
	}
	return e.Error
}

// authServer is the fixture's server with every endpoint, the judgements
// included, and the audit log.
func authServer(t *testing.T, f *fixture) *Server {
	t.Helper()
	f.resolve(t)
	srv := f.server(nil)
	srv.Entities, srv.EntityFinder, srv.Judges, srv.Corpus = f.store, entity.NewFinder(f.store), f.store, f.store
	srv.Audit = f.store
	return srv
}

// login logs the user in and returns the session cookie and CSRF token.
func login(t *testing.T, h http.Handler, user, password string) (*http.Cookie, string) {
	t.Helper()
	rec := send(t, h, "POST", "/api/v1/login", fmt.Sprintf(`{"user":%q,"password":%q}`, user, password), "Content-Type", "application/json")
	if rec.Code != http.StatusOK {
		t.Fatalf("login of %s: %d %s", user, rec.Code, rec.Body)
	}
	var m struct {
		User store.User
		CSRF string
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || m.User.Name != user || m.CSRF == "" {
		t.Fatalf("login of %s answered %s", user, rec.Body)
	}
	for _, c := range rec.Result().Cookies() {
		if c.Name == sessionCookie {
			return c, m.CSRF
		}
	}
	t.Fatalf("login of %s set no %s cookie: %v", user, sessionCookie, rec.Result().Header["Set-Cookie"])
	return nil, ""
}

// TestAnonymous: every API route but the login wants a caller; the page
// and the health check do not.
func TestAnonymous(t *testing.T) {
	f := newFixture(t)
	h := authServer(t, f).Handler()
	doc := string(f.meeting.Doc.ID)
	for _, target := range []string{
		"GET /api/v1/collections", "GET /api/v1/documents", "GET /api/v1/documents/" + doc,
		"GET /api/v1/documents/" + doc + "/mentions", "GET /api/v1/search?q=kallweit",
		"GET /api/v1/entities?name=kallweit", "GET /api/v1/entities/1", "GET /api/v1/entities/1/names",
		"GET /api/v1/entities/1/judgements", "GET /api/v1/path?from=1&to=2", "GET /api/v1/lone-actors",
		"GET /api/v1/me", "GET /api/v1/nothing", "POST /api/v1/logout", "POST /api/v1/judgements",
		"POST /api/v1/judgements/1/undo", "POST /api/v1/analyze",
	} {
		method, path, _ := strings.Cut(target, " ")
		rec := send(t, h, method, path, `{}`, "Content-Type", "application/json")
		if rec.Code != http.StatusUnauthorized || !strings.Contains(errorOf(t, rec), "log in") {
			t.Errorf("anonymous %s: %d %s, want 401 saying to log in", target, rec.Code, rec.Body)
		}
		if got := rec.Header().Get("WWW-Authenticate"); !strings.HasPrefix(got, "Bearer") {
			t.Errorf("anonymous %s: WWW-Authenticate %q, want Bearer", target, got)
		}
		if strings.Contains(rec.Body.String(), "Kallweit") {
			t.Errorf("anonymous %s: the refusal names a person: %s", target, rec.Body)
		}
	}
	for _, path := range []string{"/", "/app.js", "/healthz"} {
		if rec := send(t, h, "GET", path, ""); rec.Code != http.StatusOK {
			t.Errorf("anonymous GET %s: %d, want 200", path, rec.Code)
		}
	}
	// The fallback of a request that reached a handler unvouched.
	if sc := scopeOf(httptest.NewRequest("GET", "/api/v1/collections", nil)); sc.Allows(reports) {
		t.Errorf("an unvouched request's scope %+v allows %s", sc, reports)
	}
}

// TestTokens: a token works until revoked or its user is disabled; a
// malformed, unknown or revoked token is a 401, never a fallback.
func TestTokens(t *testing.T) {
	f := newFixture(t)
	h := authServer(t, f).Handler()
	ctx := context.Background()
	collections := func(header ...string) *httptest.ResponseRecorder {
		return send(t, h, "GET", "/api/v1/collections", "", header...)
	}
	if rec := collections("Authorization", f.bearer(analyst)); rec.Code != http.StatusOK {
		t.Fatalf("analyst's token: %d %s", rec.Code, rec.Body)
	}
	// Each user sees their own scope: signals sees its intercepts only.
	var got struct{ Collections []store.Collection }
	if err := json.Unmarshal(collections("Authorization", f.bearer(signals)).Body.Bytes(), &got); err != nil ||
		len(got.Collections) != 1 || got.Collections[0].Name != intercepts {
		t.Errorf("signals' collections: %+v (%v), want %s only", got.Collections, err, intercepts)
	}

	second := auth.NewToken()
	tok, err := f.store.AddToken(ctx, analyst, "second", auth.Digest(second))
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.RevokeToken(ctx, tok.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct{ name, header string }{
		{"no scheme", f.tokens[analyst]},
		{"basic", "Basic YW5hbHlzdDpwdw=="},
		{"malformed", "Bearer mosaic_short"},
		{"unknown", "Bearer " + auth.NewToken()},
		{"revoked", "Bearer " + second},
	} {
		if rec := collections("Authorization", tc.header); rec.Code != http.StatusUnauthorized {
			t.Errorf("%s token: %d %s, want 401", tc.name, rec.Code, rec.Body)
		}
	}
	// A bad token is refused even beside a good session cookie.
	f.password(t, analyst, "correct horse")
	cookie, _ := login(t, h, analyst, "correct horse")
	if rec := collections("Authorization", "Bearer "+auth.NewToken(), "Cookie", cookie.String()); rec.Code != http.StatusUnauthorized {
		t.Errorf("unknown token with a good cookie: %d, want 401", rec.Code)
	}
	if err := f.store.DisableUser(ctx, analyst); err != nil {
		t.Fatal(err)
	}
	if rec := collections("Authorization", f.bearer(analyst)); rec.Code != http.StatusUnauthorized {
		t.Errorf("token of a disabled user: %d, want 401", rec.Code)
	}
	if rec := collections("Cookie", cookie.String()); rec.Code != http.StatusUnauthorized {
		t.Errorf("session of a disabled user: %d, want 401", rec.Code)
	}
}

// TestLogin: a session cookie with the right flags, the user and a CSRF
// token; /me repeats them; logout ends the session; wrong passwords and
// unknown users get the same 401; each login is audited.
func TestLogin(t *testing.T) {
	f := newFixture(t)
	h := authServer(t, f).Handler()
	f.password(t, analyst, "correct horse")
	jsonType := []string{"Content-Type", "application/json"}

	wrong := send(t, h, "POST", "/api/v1/login", `{"user":"analyst","password":"wrong"}`, jsonType...)
	unknown := send(t, h, "POST", "/api/v1/login", `{"user":"nobody","password":"wrong"}`, jsonType...)
	tokenOnly := send(t, h, "POST", "/api/v1/login", `{"user":"signals","password":"wrong"}`, jsonType...)
	for _, rec := range []*httptest.ResponseRecorder{wrong, unknown, tokenOnly} {
		if rec.Code != http.StatusUnauthorized || errorOf(t, rec) != errorOf(t, wrong) || len(rec.Result().Cookies()) != 0 {
			t.Errorf("failed login: %d %s, cookies %v; want 401 telling nothing of which part was wrong", rec.Code, rec.Body, rec.Result().Cookies())
		}
	}
	long := fmt.Sprintf(`{"user":%q,"password":"x"}`, strings.Repeat("n", 201))
	if rec := send(t, h, "POST", "/api/v1/login", long, jsonType...); rec.Code != http.StatusBadRequest {
		t.Errorf("login with a 201-byte name: %d, want 400", rec.Code)
	}
	if rec := send(t, h, "POST", "/api/v1/login", `{"user":"analyst","password":"correct horse"}`, "Content-Type", "text/plain"); rec.Code != http.StatusUnsupportedMediaType {
		t.Errorf("login as text/plain: %d, want 415", rec.Code)
	}

	rec := send(t, h, "POST", "/api/v1/login", `{"user":"analyst","password":"correct horse"}`, jsonType...)
	if rec.Code != http.StatusOK {
		t.Fatalf("login: %d %s", rec.Code, rec.Body)
	}
	var m struct {
		User store.User
		CSRF string
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil || m.User.Name != analyst || m.User.Agency != "Regional Police" || m.User.Role != store.Analyst || len(m.CSRF) < 40 {
		t.Fatalf("login answered %s", rec.Body)
	}
	set := rec.Header().Get("Set-Cookie")
	for _, want := range []string{sessionCookie + "=", "Path=/", "HttpOnly", "SameSite=Strict", "Max-Age=43200"} {
		if !strings.Contains(set, want) {
			t.Errorf("session cookie %q lacks %s", set, want)
		}
	}
	if strings.Contains(set, "Secure") || strings.Contains(set, "Domain") {
		t.Errorf("session cookie over plain HTTP %q: want neither Secure (the browser would drop it) nor Domain", set)
	}
	cookie := rec.Result().Cookies()[0]
	if strings.Contains(rec.Body.String(), cookie.Value) {
		t.Error("the login's answer holds the session secret")
	}

	var again struct {
		User store.User
		CSRF string
	}
	me := send(t, h, "GET", "/api/v1/me", "", "Cookie", cookie.String())
	if err := json.Unmarshal(me.Body.Bytes(), &again); me.Code != http.StatusOK || err != nil || again.User.Name != analyst || again.CSRF != m.CSRF {
		t.Errorf("/me with the cookie: %d %s, want the user and the login's CSRF token", me.Code, me.Body)
	}
	me = send(t, h, "GET", "/api/v1/me", "", "Authorization", f.bearer(signals))
	again.CSRF = ""
	if err := json.Unmarshal(me.Body.Bytes(), &again); me.Code != http.StatusOK || err != nil || again.User.Name != signals || again.CSRF != "" {
		t.Errorf("/me with a token: %d %s, want signals and no CSRF token", me.Code, me.Body)
	}

	if rec := send(t, h, "POST", "/api/v1/logout", "", "Cookie", cookie.String(), "Content-Type", "application/json"); rec.Code != http.StatusForbidden {
		t.Errorf("logout without the CSRF token: %d, want 403", rec.Code)
	}
	out := send(t, h, "POST", "/api/v1/logout", "", "Cookie", cookie.String(), csrfHeader, m.CSRF, "Content-Type", "application/json")
	if out.Code != http.StatusNoContent || !strings.Contains(out.Header().Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("logout: %d, Set-Cookie %q; want 204 clearing the cookie", out.Code, out.Header().Get("Set-Cookie"))
	}
	if rec := send(t, h, "GET", "/api/v1/collections", "", "Cookie", cookie.String()); rec.Code != http.StatusUnauthorized {
		t.Errorf("the cookie after logout: %d, want 401", rec.Code)
	}

	entries, err := f.store.AuditLog(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var logins []string
	for _, e := range entries {
		if strings.HasPrefix(e.Action, "login") {
			logins = append(logins, e.Action+" "+e.User+" "+e.Object)
		}
	}
	want := []string{"login-failed analyst analyst", "login-failed  nobody", "login-failed signals signals", "login analyst analyst"}
	if strings.Join(logins, "|") != strings.Join(want, "|") {
		t.Errorf("audited logins %q, want %q", logins, want)
	}
}

// TestLoginOverTLS: behind TLS the cookie is Secure and __Host- prefixed.
func TestLoginOverTLS(t *testing.T) {
	f := newFixture(t)
	h := authServer(t, f).Handler()
	f.password(t, viewer, "correct horse")
	// httptest marks a request to an https URL as received over TLS.
	rec := send(t, h, "POST", "https://localhost/api/v1/login", `{"user":"viewer","password":"correct horse"}`,
		"Content-Type", "application/json", "Origin", "https://localhost")
	set := rec.Header().Get("Set-Cookie")
	if rec.Code != http.StatusOK || !strings.HasPrefix(set, "__Host-mosaic_session=") || !strings.Contains(set, "Secure") {
		t.Fatalf("login over TLS: %d, Set-Cookie %q; want a Secure __Host- cookie", rec.Code, set)
	}
	cookie := rec.Result().Cookies()[0]
	if rec := send(t, h, "GET", "https://localhost/api/v1/collections", "", "Cookie", cookie.String()); rec.Code != http.StatusOK {
		t.Errorf("the TLS cookie over TLS: %d %s", rec.Code, rec.Body)
	}
	if rec := send(t, h, "POST", "https://localhost/api/v1/login", `{"user":"viewer","password":"correct horse"}`,
		"Content-Type", "application/json", "Origin", "http://localhost"); rec.Code != http.StatusForbidden {
		t.Errorf("login over TLS from the plain-HTTP origin: %d, want 403", rec.Code)
	}
}

// TestLoginRateLimit: after a few failures a user name must wait, with a
// Retry-After, even with the right password; so must an address that
// tries many names.
func TestLoginRateLimit(t *testing.T) {
	f := newFixture(t)
	srv := authServer(t, f)
	srv.logins = &loginGuard{names: auth.NewLimiter(3), addrs: auth.NewLimiter(5), checks: make(chan struct{}, 1)}
	h := srv.Handler()
	f.password(t, analyst, "correct horse")
	attempt := func(user, password, addr string) *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/api/v1/login", strings.NewReader(fmt.Sprintf(`{"user":%q,"password":%q}`, user, password)))
		req.Header.Set("Content-Type", "application/json")
		req.RemoteAddr = addr
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	for i := 1; i <= 4; i++ {
		if rec := attempt(analyst, "guess", fmt.Sprintf("192.0.2.%d:4000", i)); rec.Code != http.StatusUnauthorized {
			t.Fatalf("wrong password %d: %d, want 401", i, rec.Code)
		}
	}
	// Four failures of one name, three free: it waits a second, whatever
	// address it comes from and even with the right password.
	rec := attempt(analyst, "correct horse", "192.0.2.9:4000")
	if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != "1" || !strings.Contains(errorOf(t, rec), "too many") {
		t.Fatalf("login after four failures: %d, Retry-After %q, %s; want 429 and 1", rec.Code, rec.Header().Get("Retry-After"), rec.Body)
	}
	// Another name from the same addresses is not held back.
	f.password(t, viewer, "correct horse")
	if rec := attempt(viewer, "correct horse", "192.0.2.1:4000"); rec.Code != http.StatusOK {
		t.Errorf("another user's login: %d, want 200", rec.Code)
	}
	// One address trying name after name waits after five failures;
	// its /64 counts as one address for IPv6.
	for i := range 6 {
		attempt(fmt.Sprint("spray", i), "guess", fmt.Sprintf("[2001:db8::%d]:4000", i+1))
	}
	if rec := attempt(viewer, "correct horse", "[2001:db8::ff]:4000"); rec.Code != http.StatusTooManyRequests {
		t.Errorf("login from an address that sprayed names: %d, want 429", rec.Code)
	}
	time.Sleep(1100 * time.Millisecond)
	if rec := attempt(analyst, "correct horse", "192.0.2.9:4000"); rec.Code != http.StatusOK {
		t.Errorf("login once the wait is over: %d %s, want 200", rec.Code, rec.Body)
	}
}

// TestChanges: a change needs a token, or the cookie and the session's
// CSRF token, and a JSON body (or TSV for analyze).
func TestChanges(t *testing.T) {
	f := newFixture(t)
	h := authServer(t, f).Handler()
	f.password(t, analyst, "correct horse")
	cookie, csrf := login(t, h, analyst, "correct horse")
	edges := "a\tb\nb\tc\n"
	for _, tc := range []struct {
		name   string
		header []string
		status int
		word   string
	}{
		{"cookie, no CSRF token", []string{"Cookie", cookie.String(), "Content-Type", "text/tab-separated-values"}, http.StatusForbidden, csrfHeader},
		{"cookie, wrong CSRF token", []string{"Cookie", cookie.String(), csrfHeader, auth.CSRFToken("another"), "Content-Type", "text/tab-separated-values"}, http.StatusForbidden, csrfHeader},
		{"cookie and CSRF token", []string{"Cookie", cookie.String(), csrfHeader, csrf, "Content-Type", "text/tab-separated-values"}, http.StatusOK, ""},
		{"cookie and CSRF token, text/plain", []string{"Cookie", cookie.String(), csrfHeader, csrf, "Content-Type", "text/plain"}, http.StatusUnsupportedMediaType, "text/tab-separated-values"},
		{"token", []string{"Authorization", f.bearer(analyst), "Content-Type", "text/tab-separated-values; charset=utf-8"}, http.StatusOK, ""},
		{"token, text/plain", []string{"Authorization", f.bearer(analyst), "Content-Type", "text/plain"}, http.StatusUnsupportedMediaType, "Content-Type"},
		{"token, form", []string{"Authorization", f.bearer(analyst), "Content-Type", "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType, "Content-Type"},
		{"token, no type", []string{"Authorization", f.bearer(analyst)}, http.StatusUnsupportedMediaType, "Content-Type"},
	} {
		rec := send(t, h, "POST", "/api/v1/analyze", edges, tc.header...)
		if rec.Code != tc.status || tc.word != "" && !strings.Contains(errorOf(t, rec), tc.word) {
			t.Errorf("analyze, %s: %d %s; want %d mentioning %q", tc.name, rec.Code, rec.Body, tc.status, tc.word)
		}
	}
	// TSV is for analyze only; a judgement is JSON.
	rec := send(t, h, "POST", "/api/v1/judgements", `{"kind":"merge","entity":1,"other":2,"reason":"r"}`,
		"Authorization", f.bearer(analyst), "Content-Type", "text/tab-separated-values")
	if rec.Code != http.StatusUnsupportedMediaType {
		t.Errorf("a judgement sent as TSV: %d, want 415", rec.Code)
	}
	// A GET needs neither.
	if rec := send(t, h, "GET", "/api/v1/collections", "", "Cookie", cookie.String()); rec.Code != http.StatusOK {
		t.Errorf("GET with the cookie alone: %d, want 200", rec.Code)
	}
}

// TestOriginAndHost: a request from a page of another origin, or naming a
// host the server does not answer for, is refused, token or not.
func TestOriginAndHost(t *testing.T) {
	f := newFixture(t)
	srv := authServer(t, f)
	srv.Hosts = append(srv.Hosts, "mosaic.example.org", "192.0.2.10")
	h := srv.Handler()
	bearer := f.bearer(analyst)
	for _, tc := range []struct {
		name   string
		method string
		path   string
		header []string
		status int
	}{
		{"same origin", "POST", "/api/v1/analyze", []string{"Origin", "http://example.com"}, http.StatusOK},
		{"foreign origin", "POST", "/api/v1/analyze", []string{"Origin", "http://evil.example"}, http.StatusForbidden},
		{"foreign origin, GET", "GET", "/api/v1/collections", []string{"Origin", "http://evil.example"}, http.StatusForbidden},
		{"same host, other port", "POST", "/api/v1/analyze", []string{"Origin", "http://example.com:8081"}, http.StatusForbidden},
		{"https origin to http", "POST", "/api/v1/analyze", []string{"Origin", "https://example.com"}, http.StatusForbidden},
		{"null origin", "POST", "/api/v1/analyze", []string{"Origin", "null"}, http.StatusForbidden},
		{"localhost", "GET", "/api/v1/collections", []string{"Host", "localhost:8080"}, http.StatusOK},
		{"127.0.0.1", "GET", "/api/v1/collections", []string{"Host", "127.0.0.1:8080"}, http.StatusOK},
		{"::1", "GET", "/api/v1/collections", []string{"Host", "[::1]:8080"}, http.StatusOK},
		{"configured name", "GET", "/api/v1/collections", []string{"Host", "Mosaic.Example.org"}, http.StatusOK},
		{"configured address", "GET", "/api/v1/collections", []string{"Host", "192.0.2.10:443"}, http.StatusOK},
		{"rebinding name", "GET", "/api/v1/collections", []string{"Host", "attacker.example:8080"}, http.StatusForbidden},
		{"rebinding name, page", "GET", "/", []string{"Host", "attacker.example:8080"}, http.StatusForbidden},
		{"rebinding name, login", "POST", "/api/v1/login", []string{"Host", "attacker.example:8080"}, http.StatusForbidden},
		{"no host", "GET", "/api/v1/collections", []string{"Host", ""}, http.StatusForbidden},
		{"rebinding name, health check", "GET", "/healthz", []string{"Host", "attacker.example"}, http.StatusOK},
	} {
		header := append([]string{"Authorization", bearer, "Content-Type", "text/tab-separated-values"}, tc.header...)
		rec := send(t, h, tc.method, tc.path, "a\tb\n", header...)
		if rec.Code != tc.status {
			t.Errorf("%s: %d %s, want %d", tc.name, rec.Code, rec.Body, tc.status)
		}
	}
}

// TestJudgeAsCaller: a judgement is the caller's and their agency's, never
// the body's; viewers may not judge; only the judging agency may undo.
func TestJudgeAsCaller(t *testing.T) {
	f := newFixture(t)
	h := authServer(t, f).Handler()
	f.password(t, analyst, "correct horse")
	cookie, csrf := login(t, h, analyst, "correct horse")
	session := []string{"Cookie", cookie.String(), csrfHeader, csrf, "Content-Type", "application/json"}
	find := func(name string) foundEntity {
		t.Helper()
		var found struct{ Entities []foundEntity }
		rec := send(t, h, "GET", "/api/v1/entities?name="+strings.ReplaceAll(name, " ", "+"), "", "Authorization", f.bearer(analyst))
		if err := json.Unmarshal(rec.Body.Bytes(), &found); err != nil || len(found.Entities) == 0 {
			t.Fatalf("no entity %q: %s", name, rec.Body)
		}
		return found.Entities[0]
	}
	full, bare := find("Idris Kallweit"), find("Kallweit")
	if full.ID == bare.ID {
		t.Fatalf("the fixture's Kallweit and Idris Kallweit are one entity already")
	}
	merge := fmt.Sprintf(`{"kind":"merge","entity":%d,"other":%d,"reason":"same courier"}`, full.ID, bare.ID)

	rec := send(t, h, "POST", "/api/v1/judgements", merge[:len(merge)-1]+`,"user":"someone-else"}`, session...)
	if rec.Code != http.StatusBadRequest || !strings.Contains(errorOf(t, rec), "logged in") {
		t.Errorf("a body naming the user: %d %s, want 400 saying the user is the one logged in", rec.Code, rec.Body)
	}
	rec = send(t, h, "POST", "/api/v1/judgements", merge, "Authorization", f.bearer(viewer), "Content-Type", "application/json")
	if rec.Code != http.StatusForbidden || !strings.Contains(errorOf(t, rec), "viewer") {
		t.Errorf("a viewer's judgement: %d %s, want 403", rec.Code, rec.Body)
	}

	rec = send(t, h, "POST", "/api/v1/judgements", merge, session...)
	var j store.Judgement
	if err := json.Unmarshal(rec.Body.Bytes(), &j); rec.Code != http.StatusCreated || err != nil {
		t.Fatalf("the analyst's merge: %d %s", rec.Code, rec.Body)
	}
	if j.User != analyst || j.Agency != "Regional Police" {
		t.Errorf("the merge is recorded as made by %q of %q, want %q of Regional Police", j.User, j.Agency, analyst)
	}
	var listed struct{ Judgements []store.Judgement }
	rec = send(t, h, "GET", fmt.Sprintf("/api/v1/entities/%d/judgements", full.ID), "", "Authorization", f.bearer(analyst))
	if err := json.Unmarshal(rec.Body.Bytes(), &listed); err != nil || len(listed.Judgements) != 1 ||
		listed.Judgements[0].User != analyst || listed.Judgements[0].Agency != "Regional Police" {
		t.Errorf("judgements of %d: %s, want the merge by %s of Regional Police", full.ID, rec.Body, analyst)
	}

	undo := fmt.Sprintf("/api/v1/judgements/%d/undo", j.ID)
	for _, tc := range []struct {
		name, body string
		header     []string
		status     int
	}{
		{"a viewer", `{"reason":"no"}`, []string{"Authorization", f.bearer(viewer)}, http.StatusForbidden},
		{"another agency", `{"reason":"no"}`, []string{"Authorization", f.bearer(signals)}, http.StatusNotFound},
		{"a body naming the user", `{"user":"signals","reason":"no"}`, []string{"Authorization", f.bearer(analyst)}, http.StatusBadRequest},
	} {
		header := append(tc.header, "Content-Type", "application/json")
		if rec := send(t, h, "POST", undo, tc.body, header...); rec.Code != tc.status {
			t.Errorf("undo by %s: %d %s, want %d", tc.name, rec.Code, rec.Body, tc.status)
		}
	}
	rec = send(t, h, "POST", undo, `{"reason":"two men"}`, session...)
	if err := json.Unmarshal(rec.Body.Bytes(), &j); rec.Code != http.StatusOK || err != nil || j.UndoneBy != analyst {
		t.Errorf("undo by the analyst: %d %s, want it undone by %s", rec.Code, rec.Body, analyst)
	}
}

// TestListen: plain HTTP beyond loopback only when told so; HTTPS with a
// certificate.
func TestListen(t *testing.T) {
	for _, tc := range []struct {
		l  Listen
		ok bool
	}{
		{Listen{Addr: "127.0.0.1:8080"}, true},
		{Listen{Addr: "localhost:8080"}, true},
		{Listen{Addr: "[::1]:8080"}, true},
		{Listen{Addr: ":8080"}, false},
		{Listen{Addr: "0.0.0.0:8080"}, false},
		{Listen{Addr: "192.0.2.10:8080"}, false},
		{Listen{Addr: "mosaic.example.org:8080"}, false},
		{Listen{Addr: "0.0.0.0:8080", Insecure: true}, true},
		{Listen{Addr: "0.0.0.0:8443", CertFile: "c.pem", KeyFile: "k.pem"}, true},
		{Listen{Addr: "127.0.0.1:8443", CertFile: "c.pem"}, false},
	} {
		err := tc.l.Check()
		if (err == nil) != tc.ok {
			t.Errorf("%+v: %v, want ok %v", tc.l, err, tc.ok)
		}
		if err != nil && tc.l.CertFile == "" && !strings.Contains(err.Error(), "--insecure") {
			t.Errorf("%+v: %v, want it to say how to proceed", tc.l, err)
		}
	}
	if err := ListenAndServe(context.Background(), Listen{Addr: "0.0.0.0:0"}, nil, nil); err == nil {
		t.Error("ListenAndServe on 0.0.0.0 without TLS: no error")
	}

	cert, key, pool := selfSigned(t)
	var logged syncBuffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		done <- ListenAndServe(ctx, Listen{Addr: "127.0.0.1:0", CertFile: cert, KeyFile: key}, (&Server{}).Handler(), log)
	}()
	var base string
	for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, rest, ok := strings.Cut(logged.String(), "url="); ok {
			base, _, _ = strings.Cut(rest, "\n")
		}
	}
	if !strings.HasPrefix(base, "https://127.0.0.1:") {
		cancel()
		t.Fatalf("no https URL logged:\n%s", logged.String())
	}
	client := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}
	res, err := client.Get(base + "healthz")
	if err != nil {
		cancel()
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK || res.TLS == nil {
		t.Errorf("healthz over TLS: %d, TLS %v", res.StatusCode, res.TLS != nil)
	}
	if res, err := http.Get("http" + strings.TrimPrefix(base, "https") + "healthz"); err == nil && res.StatusCode == http.StatusOK {
		t.Error("the TLS server answered plain HTTP")
	}
	cancel()
	if err := <-done; err != nil {
		t.Errorf("ListenAndServe over TLS: %v", err)
	}
}

// selfSigned writes a certificate for 127.0.0.1 and its key, and returns
// their paths and a pool that trusts the certificate.
func selfSigned(t *testing.T) (cert, key string, pool *x509.CertPool) {
	t.Helper()
	priv, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	tmpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "mosaic test"},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(time.Hour),
		IPAddresses:  []net.IP{net.ParseIP("127.0.0.1")},
		KeyUsage:     x509.KeyUsageDigitalSignature,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &priv.PublicKey, priv)
	if err != nil {
		t.Fatal(err)
	}
	keyDER, err := x509.MarshalECPrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	cert, key = filepath.Join(dir, "cert.pem"), filepath.Join(dir, "key.pem")
	if err := os.WriteFile(cert, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(key, pem.EncodeToMemory(&pem.Block{Type: "EC PRIVATE KEY", Bytes: keyDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	parsed, err := x509.ParseCertificate(der)
	if err != nil {
		t.Fatal(err)
	}
	pool = x509.NewCertPool()
	pool.AddCert(parsed)
	return cert, key, pool
}
