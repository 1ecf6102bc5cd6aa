package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/auth"
	"mosaic/internal/store"
)

// What one agency must not learn of another's material through the entity
// finder, share requests and their decisions, and what the audit log must
// hold of requests that are refused or disclose little.

// bravoAliases is a collection of bravo's, unclassified and never granted,
// whose one document calls alpha's Corvin Albescu by two names alpha's
// documents never use: "Vardan Oskelund", nothing like any name alpha
// sees, and "Teodor Vaskin", close to alpha's Teodor Vasken.
const bravoAliases = "bravo-aliases"

// nonsense is a name no document uses nor resembles.
const nonsense = "Quentaro Blishvik"

// withAliases adds bravoAliases to the matrix, its names tied to Corvin
// Albescu as resolution ties a stated alias.
func withAliases(t *testing.T, f *matrix) {
	t.Helper()
	ctx := context.Background()
	if _, err := f.store.EnsureCollection(ctx, bravoAliases, bravo); err != nil {
		t.Fatal(err)
	}
	in := ingest(t, bravoAliases, "Source report on aliases",
		"Vardan Oskelund also travels as Teodor Vaskin.",
		date(2019, 6, 1), nil,
		m("Vardan Oskelund", mosaic.Person, ""),
		m("Teodor Vaskin", mosaic.Person, ""))
	if _, err := f.store.Add(ctx, []store.Ingested{in}); err != nil {
		t.Fatal(err)
	}
	corvin := f.entities["Corvin Albescu"]
	var assign []store.Assignment
	for _, mn := range in.Mentions {
		assign = append(assign, store.Assignment{Start: mn.Start, End: mn.End, Type: mn.Type, Entity: corvin, Why: "alias stated"})
	}
	if _, err := f.store.Resolve(ctx, in.Doc.ID, nil, assign); err != nil {
		t.Fatal(err)
	}
}

// found is the finder's answer as the test reads it.
type found struct {
	Entities []foundEntity `json:"entities"`
	Next     string        `json:"next"`
}

// TestLeakFindByForeignSpelling searches, as alpha, for a name only
// bravo's documents use for an entity alpha sees under another name: the
// answer must be the one a made-up name gets.
func TestLeakFindByForeignSpelling(t *testing.T) {
	f := newMatrix(t)
	withAliases(t, f)
	alphaAnalyst, bravoAnalyst := who{agency: alpha, role: store.Analyst}, who{agency: bravo, role: store.Analyst}
	corvin := f.entities["Corvin Albescu"]
	search := func(c who, name string) (int, string) {
		return f.call(t, c, "GET", "/api/v1/entities?name="+url.QueryEscape(name), "")
	}

	// The alias is in the finder's index: bravo, who reads it, finds
	// Corvin Albescu by it, and alpha finds him by alpha's own name.
	status, body := search(bravoAnalyst, "Vardan Oskelund")
	var got found
	decode(t, body, &got)
	if status != http.StatusOK || len(got.Entities) == 0 || got.Entities[0].ID != corvin ||
		got.Entities[0].Matched != "Vardan Oskelund" || !got.Entities[0].Match {
		t.Fatalf("bravo finds by its own alias: %d %s", status, body)
	}
	status, body = search(alphaAnalyst, "Corvin Albescu")
	decode(t, body, &got)
	if status != http.StatusOK || len(got.Entities) == 0 || got.Entities[0].ID != corvin {
		t.Fatalf("alpha finds by its own name: %d %s", status, body)
	}

	wantStatus, wantBody := search(alphaAnalyst, nonsense)
	for _, name := range []string{"Vardan Oskelund", "vardan oskelund", "Vardan Oskelund "} {
		status, body := search(alphaAnalyst, name)
		if status != wantStatus || body != wantBody {
			t.Errorf("alpha searching %q: %d %s\nwant, as for a made-up name: %d %s", name, status, body, wantStatus, wantBody)
		}
	}
	// A name close to the foreign alias and to alpha's own name finds
	// Corvin's neighbour as alpha names him, never through bravo's alias.
	status, body = search(alphaAnalyst, "Teodor Vaskin")
	decode(t, body, &got)
	if status != http.StatusOK || strings.Contains(body, "Vaskin\"") || strings.Contains(body, "Oskelund") {
		t.Errorf("alpha searching a near name: %d %s", status, body)
	}
	for _, e := range got.Entities {
		if e.ID == corvin {
			t.Errorf("alpha searching Teodor Vaskin found Corvin Albescu through bravo's alias: %+v", e)
		}
	}
}

// TestLeakProposalsByForeignSpelling asks for the entities that may be
// Teodor Vasken: bravo, who reads the alias Teodor Vaskin, is offered
// Corvin Albescu on its strength; alpha, who does not, must not be.
func TestLeakProposalsByForeignSpelling(t *testing.T) {
	f := newMatrix(t)
	withAliases(t, f)
	corvin, teodor := f.entities["Corvin Albescu"], f.entities["Teodor Vasken"]
	type proposals struct {
		Proposals []struct {
			ID   mosaic.EntityID `json:"id"`
			Name string          `json:"name"`
		} `json:"proposals"`
	}
	target := fmt.Sprintf("/api/v1/entities/%d/proposals", teodor)

	status, body := f.call(t, who{agency: bravo, role: store.Analyst}, "GET", target, "")
	var got proposals
	decode(t, body, &got)
	offered := false
	for _, p := range got.Proposals {
		offered = offered || p.ID == corvin && p.Name == "Teodor Vaskin"
	}
	if status != http.StatusOK || !offered {
		t.Fatalf("bravo's proposals for Teodor Vasken lack Corvin Albescu as Teodor Vaskin: %d %s", status, body)
	}

	status, body = f.call(t, who{agency: alpha, role: store.Analyst}, "GET", target, "")
	decode(t, body, &got)
	if status != http.StatusOK {
		t.Fatalf("alpha's proposals: %d %s", status, body)
	}
	if strings.Contains(body, "Vaskin") || strings.Contains(body, "Oskelund") {
		t.Errorf("alpha's proposals quote bravo's spelling: %s", body)
	}
	for _, p := range got.Proposals {
		if p.ID == corvin {
			t.Errorf("alpha is offered Corvin Albescu, whom only bravo's spelling makes like Teodor Vasken: %s", body)
		}
	}
}

// TestLeakShareRequestClearance asks bravo, as an analyst of alpha not
// cleared for SECRET, for what bravo holds only in its SECRET collection:
// the answer must be the one a made-up name gets. A cleared analyst's
// same request is recorded.
func TestLeakShareRequestClearance(t *testing.T) {
	f := newMatrix(t)
	ctx := context.Background()
	uncleared := who{agency: alpha, role: store.Analyst, restricted: true}
	u := store.User{Name: uncleared.String(), Agency: alpha, Role: store.Analyst, Clearance: "RESTRICTED"}
	if _, err := f.store.AddUser(ctx, u, ""); err != nil {
		t.Fatal(err)
	}
	tok := auth.NewToken()
	if _, err := f.store.AddToken(ctx, u.Name, "leak", auth.Digest(tok)); err != nil {
		t.Fatal(err)
	}
	f.tokens[uncleared] = tok
	ask := func(c who, query string) (int, string) {
		b, _ := json.Marshal(map[string]string{"query": query, "owner": bravo, "reason": "joint case"})
		return f.call(t, c, "POST", "/api/v1/shares", string(b))
	}

	for _, query := range []string{"Quillon Marsh", "quillon.marsh@ledger.example", "+44 20 7946 0958"} {
		wantStatus, wantBody := ask(uncleared, nonsense)
		status, body := ask(uncleared, query)
		if status != wantStatus || strings.ReplaceAll(body, query, nonsense) != wantBody {
			t.Errorf("uncleared request for %q: %d %s\nwant, as for a made-up name: %d %s", query, status, body, wantStatus, wantBody)
		}
		if status, body := ask(who{agency: alpha, role: store.Analyst}, query); status != http.StatusCreated {
			t.Errorf("cleared request for %q: %d %s", query, status, body)
		}
	}
	// What bravo holds unclassified, the uncleared analyst may ask for.
	if status, body := ask(uncleared, "Ysolde Brackwater"); status != http.StatusCreated {
		t.Errorf("uncleared request for unclassified holdings: %d %s", status, body)
	}
}

// TestLeakShareDecisionClearance has bravo's analyst cleared only for
// RESTRICTED decide requests: approving one that would share documents of
// bravo's SECRET collection, or name that collection, is refused; one on
// unclassified holdings, and any refusal, go through; a cleared analyst
// may approve.
func TestLeakShareDecisionClearance(t *testing.T) {
	f := newMatrix(t)
	requester := who{agency: alpha, role: store.Analyst}
	restricted, cleared := who{agency: bravo, role: store.Analyst, restricted: true}, who{agency: bravo, role: store.Analyst}
	request := func(query string) int64 {
		t.Helper()
		b, _ := json.Marshal(map[string]string{"query": query, "owner": bravo, "reason": "joint case"})
		status, body := f.call(t, requester, "POST", "/api/v1/shares", string(b))
		var r store.ShareRequest
		decode(t, body, &r)
		if status != http.StatusCreated {
			t.Fatalf("request for %q: %d %s", query, status, body)
		}
		return r.ID
	}
	decide := func(c who, id int64, approve bool, collection string) (int, string) {
		b, _ := json.Marshal(map[string]any{"approve": approve, "answer": "decided", "collection": collection})
		return f.call(t, c, "POST", fmt.Sprintf("/api/v1/shares/%d/decision", id), string(b))
	}

	secret := request("Quillon Marsh")
	if status, body := decide(restricted, secret, true, ""); status != http.StatusForbidden {
		t.Errorf("uncleared approval of SECRET holdings: %d %s, want 403", status, body)
	}
	// The SECRET collection, named, is not found, as one that does not
	// exist is.
	wantStatus, wantBody := decide(restricted, secret, true, "no-such-collection")
	status, body := decide(restricted, secret, true, bravoSecret)
	if wantStatus != http.StatusNotFound || status != wantStatus ||
		strings.ReplaceAll(body, bravoSecret, "no-such-collection") != wantBody {
		t.Errorf("uncleared approval naming %s: %d %s\nwant as for no collection: %d %s", bravoSecret, status, body, wantStatus, wantBody)
	}
	if status, body := decide(cleared, secret, true, ""); status != http.StatusOK || !strings.Contains(body, `"approved"`) {
		t.Errorf("cleared approval: %d %s", status, body)
	}

	open := request("Ysolde Brackwater")
	if status, body := decide(restricted, open, true, ""); status != http.StatusOK || !strings.Contains(body, `"approved"`) {
		t.Errorf("uncleared approval of unclassified holdings: %d %s", status, body)
	}
	refused := request("Quillon Marsh")
	if status, body := decide(restricted, refused, false, ""); status != http.StatusOK || !strings.Contains(body, `"refused"`) {
		t.Errorf("uncleared refusal: %d %s", status, body)
	}
	named := request("Quillon Marsh")
	if status, body := decide(restricted, named, true, bravoOpen); status != http.StatusOK || !strings.Contains(body, `"approved"`) {
		t.Errorf("uncleared approval naming %s: %d %s", bravoOpen, status, body)
	}
}

// TestAuditAuthFailedAndLogout checks requests refused for a bad token or
// session are recorded without the credential, and a logout is recorded.
func TestAuditAuthFailedAndLogout(t *testing.T) {
	f := newMatrix(t)
	ctx := context.Background()
	unknown := auth.NewToken()
	stale := "not-a-session-of-this-server"
	for _, tc := range []struct {
		header, value, outcome string
	}{
		{"Authorization", "Bearer " + unknown, "401 unknown or revoked token"},
		{"Authorization", "Bearer short-guess", "401 malformed token"},
		{"Authorization", "Basic " + unknown, "401 not a Bearer token"},
		{"Cookie", sessionCookie + "=" + stale, "401 unknown or expired session"},
	} {
		req := httptest.NewRequest("GET", "/api/v1/documents", nil)
		req.Host = "localhost"
		req.Header.Set(tc.header, tc.value)
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		if rec.Code != http.StatusUnauthorized {
			t.Errorf("%s %s: status %d, want 401", tc.header, tc.value, rec.Code)
		}
		log, err := f.store.AuditLog(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		last := log[len(log)-1]
		if last.Action != "auth-failed" || last.User != "" || last.Object != "GET /api/v1/documents" || last.Outcome != tc.outcome {
			t.Errorf("%s %s: last audit entry %+v, want auth-failed with outcome %q", tc.header, tc.value, last, tc.outcome)
		}
	}
	// No request without credentials is recorded: the page asks before
	// anyone logs in.
	before, _ := f.store.AuditLog(ctx, store.AuditFilter{})
	f.call(t, who{}, "GET", "/api/v1/me", "")
	if after, _ := f.store.AuditLog(ctx, store.AuditFilter{}); len(after) != len(before) {
		t.Errorf("a request without credentials was recorded: %+v", after[len(before):])
	}

	analyst := who{agency: alpha, role: store.Analyst}
	if status, body := f.call(t, analyst, "POST", "/api/v1/logout", "{}"); status != http.StatusNoContent {
		t.Errorf("logout: %d %s", status, body)
	}
	log, err := f.store.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	if last := log[len(log)-1]; last.Action != "logout" || last.User != analyst.String() || last.Outcome != "ok" {
		t.Errorf("last audit entry %+v, want the analyst's logout", last)
	}
	raw, _ := json.Marshal(log)
	for _, secret := range []string{unknown, "short-guess", stale, f.tokens[analyst]} {
		if strings.Contains(string(raw), secret) {
			t.Errorf("the audit log holds the credential %q", secret)
		}
	}
}
