package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"reflect"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// decode unmarshals a JSON answer, failing the test if it is not one.
func decode(t *testing.T, body string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("answer %q: %v", body, err)
	}
}

// TestDiscover asks what the other agency holds on names, a phone number
// and an e-mail address, and checks the answer is the agency and a bucket,
// and nothing else.
func TestDiscover(t *testing.T) {
	f := newMatrix(t)
	alphaAnalyst, bravoAdmin := who{agency: alpha, role: store.Analyst}, who{agency: bravo, role: store.Admin}
	type holders = []map[string]string
	for _, tc := range []struct {
		c    who
		q    string
		kind string
		want holders
	}{
		// Both of bravo's secret documents name Quillon Marsh.
		{alphaAnalyst, "Quillon Marsh", "name", holders{{"agency": bravo, "documents": "2-5"}}},
		{alphaAnalyst, "quillon marsh", "name", holders{{"agency": bravo, "documents": "2-5"}}},
		{alphaAnalyst, "Nightjar Collective", "name", holders{{"agency": bravo, "documents": "1"}}},
		// Identifiers as extraction normalises them, however written.
		{alphaAnalyst, "+44 20 7946 0958", "phone", holders{{"agency": bravo, "documents": "1"}}},
		{alphaAnalyst, "0044 20 7946 0958", "phone", holders{{"agency": bravo, "documents": "1"}}},
		{alphaAnalyst, "Quillon.Marsh@Ledger.example", "email", holders{{"agency": bravo, "documents": "1"}}},
		// A name both hold: each is told of the other only.
		{alphaAnalyst, "Corvin Albescu", "name", holders{{"agency": bravo, "documents": "1"}}},
		{bravoAdmin, "Corvin Albescu", "name", holders{{"agency": alpha, "documents": "2-5"}}},
		// What only the caller's agency holds is no hit.
		{alphaAnalyst, "Pellworth Syndicate", "name", holders{}},
		{bravoAdmin, "Pellworth Syndicate", "name", holders{{"agency": alpha, "documents": "1"}}},
		{alphaAnalyst, "+32 470 55 66 77", "phone", holders{}},
		// A place is no subject; an unknown name matches nothing.
		{bravoAdmin, "Aldermoor", "name", holders{}},
		{alphaAnalyst, "Nobody Whatsoever", "name", holders{}},
	} {
		target := "/api/v1/discover?q=" + url.QueryEscape(tc.q)
		status, body := f.call(t, tc.c, "GET", target, "")
		if status != http.StatusOK {
			t.Errorf("%s %q: status %d: %s", tc.c, tc.q, status, body)
			continue
		}
		// Decoded loosely, so that any field beyond these shows.
		var got map[string]any
		decode(t, body, &got)
		want := map[string]any{"query": tc.q, "kind": tc.kind, "holders": toAny(tc.want), "peers": []any{}}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("%s %q: got %v, want %v", tc.c, tc.q, got, want)
		}
		if l := leaks(body, target, f.foreign(tc.c)); len(l) > 0 {
			t.Errorf("%s %q: answer holds %q: %s", tc.c, tc.q, l, body)
		}
	}
}

// toAny turns holders into what encoding/json decodes them as.
func toAny(hs []map[string]string) []any {
	out := []any{}
	for _, h := range hs {
		m := map[string]any{}
		for k, v := range h {
			m[k] = v
		}
		out = append(out, m)
	}
	return out
}

// TestDiscoverRefuses checks the bad queries and the callers discovery
// turns away.
func TestDiscoverRefuses(t *testing.T) {
	f := newMatrix(t)
	analyst := who{agency: alpha, role: store.Analyst}
	for _, tc := range []struct {
		c      who
		target string
		status int
	}{
		{analyst, "/api/v1/discover", http.StatusBadRequest},
		{analyst, "/api/v1/discover?q=%20%20", http.StatusBadRequest},
		{analyst, "/api/v1/discover?q=" + strings.Repeat("a", maxSubjectQuery+1), http.StatusBadRequest},
		{analyst, "/api/v1/discover?q=Quillon%ff%feMarsh", http.StatusBadRequest},
		{who{agency: alpha, role: store.Viewer}, "/api/v1/discover?q=Quillon+Marsh", http.StatusForbidden},
		{who{agency: bravo, role: store.Viewer}, "/api/v1/discover?q=Corvin+Albescu", http.StatusForbidden},
		{who{}, "/api/v1/discover?q=Quillon+Marsh", http.StatusUnauthorized},
	} {
		status, body := f.call(t, tc.c, "GET", tc.target, "")
		if status != tc.status {
			t.Errorf("%s %s: status %d, want %d: %s", tc.c, tc.target, status, tc.status, body)
		}
		if strings.Contains(body, "holders") {
			t.Errorf("%s %s: refused, yet answers holders: %s", tc.c, tc.target, body)
		}
	}
}

// TestShareFlow follows a share from request to approval: alpha asks
// bravo for what it holds on Quillon Marsh, bravo approves, and alpha then
// reads those documents and no other of bravo's. A refused request grants
// nothing.
func TestShareFlow(t *testing.T) {
	f := newMatrix(t)
	ctx := context.Background()
	alphaAnalyst, alphaAdmin := who{agency: alpha, role: store.Analyst}, who{agency: alpha, role: store.Admin}
	bravoAnalyst, bravoViewer := who{agency: bravo, role: store.Analyst}, who{agency: bravo, role: store.Viewer}
	secret := f.docs[bravoSecret]
	open := f.docs[bravoOpen][0].Doc.ID

	readable := func(id mosaic.DocID) bool {
		status, _ := f.call(t, alphaAnalyst, "GET", "/api/v1/documents/"+string(id), "")
		return status == http.StatusOK
	}
	request := func(query string) store.ShareRequest {
		t.Helper()
		body := fmt.Sprintf(`{"query":%q,"owner":"bravo","reason":"the harbour case"}`, query)
		status, answer := f.call(t, alphaAnalyst, "POST", "/api/v1/shares", body)
		if status != http.StatusCreated {
			t.Fatalf("share request %q: %d %s", query, status, answer)
		}
		if l := leaks(answer, body, f.foreign(alphaAnalyst)); len(l) > 0 {
			t.Errorf("share request %q: answer holds %q: %s", query, l, answer)
		}
		var r store.ShareRequest
		decode(t, answer, &r)
		if r.Status != store.SharePending || r.User != "alpha-analyst" || r.Agency != alpha || r.Owner != bravo || r.Query != query {
			t.Errorf("share request %q: got %+v", query, r)
		}
		if len(r.Subject.Entities) != 0 || r.Subject.Norm != "" {
			t.Errorf("share request %q: the requester is shown the subject %+v", query, r.Subject)
		}
		return r
	}
	decide := func(c who, id int64, body string) (int, store.ShareRequest) {
		t.Helper()
		status, answer := f.call(t, c, "POST", fmt.Sprintf("/api/v1/shares/%d/decision", id), body)
		var r store.ShareRequest
		if status == http.StatusOK {
			decode(t, answer, &r)
		}
		return status, r
	}

	// A refused request grants nothing.
	phone := request("+44 20 7946 0958")
	if status, r := decide(bravoAnalyst, phone.ID, `{"approve":false,"answer":"not for this case"}`); status != http.StatusOK || r.Status != store.ShareRefused {
		t.Fatalf("refusal: %d %+v", status, r)
	}
	if readable(secret[0].Doc.ID) {
		t.Fatalf("alpha reads %s after a refusal", secret[0].Doc.ID)
	}

	req := request("Quillon Marsh")
	// Only an analyst or admin of bravo decides; to anyone else of another
	// agency the request does not exist.
	for _, tc := range []struct {
		c      who
		status int
	}{{alphaAnalyst, http.StatusNotFound}, {alphaAdmin, http.StatusNotFound}, {bravoViewer, http.StatusForbidden}} {
		if status, _ := decide(tc.c, req.ID, `{"approve":true,"answer":"self-service"}`); status != tc.status {
			t.Errorf("%s decides: status %d, want %d", tc.c, status, tc.status)
		}
	}
	for _, body := range []string{`{"answer":"yes"}`, `{"approve":true,"answer":" "}`, `{"approve":true,"answer":"yes","user":"bravo-admin"}`} {
		if status, _ := decide(bravoAnalyst, req.ID, body); status != http.StatusBadRequest {
			t.Errorf("decision %s: status %d, want 400", body, status)
		}
	}

	// bravo sees the request, subject included; alpha sees its own.
	status, answer := f.call(t, bravoAnalyst, "GET", "/api/v1/shares", "")
	var listed struct {
		Shares []store.ShareRequest `json:"shares"`
	}
	decode(t, answer, &listed)
	if status != http.StatusOK || len(listed.Shares) != 2 || listed.Shares[0].ID != req.ID || len(listed.Shares[0].Subject.Entities) == 0 {
		t.Errorf("bravo's shares: %d %s", status, answer)
	}

	status, approved := decide(bravoAnalyst, req.ID, `{"approve":true,"answer":"for the harbour case"}`)
	if status != http.StatusOK || approved.Status != store.ShareApproved || approved.Collection == "" || approved.DecidedBy != "bravo-analyst" {
		t.Fatalf("approval: %d %+v", status, approved)
	}
	if status, _ := decide(bravoAnalyst, req.ID, `{"approve":false,"answer":"changed my mind"}`); status != http.StatusConflict {
		t.Errorf("second decision: status %d, want 409", status)
	}

	// Both of bravo's documents on Quillon Marsh are alpha's to read now,
	// and listed; bravo's other document is not.
	for _, in := range secret {
		if !readable(in.Doc.ID) {
			t.Errorf("alpha cannot read shared %s (%s)", in.Doc.ID, in.Doc.Title)
		}
	}
	if readable(open) {
		t.Errorf("alpha reads %s, which was not shared", open)
	}
	status, answer = f.call(t, alphaAnalyst, "GET", "/api/v1/documents", "")
	var docs struct {
		Documents []store.Summary `json:"documents"`
	}
	decode(t, answer, &docs)
	var ids []mosaic.DocID
	for _, d := range docs.Documents {
		ids = append(ids, d.ID)
	}
	if status != http.StatusOK || len(ids) != len(f.docs[alphaMain])+2 || !slices.Contains(ids, secret[0].Doc.ID) || !slices.Contains(ids, secret[1].Doc.ID) {
		t.Errorf("alpha's documents after the share: %d %v", status, ids)
	}
	if strings.Contains(answer, "Brightwater") || strings.Contains(answer, string(open)) {
		t.Errorf("alpha's documents hold bravo's unshared one: %s", answer)
	}
	status, answer = f.call(t, alphaAnalyst, "GET", "/api/v1/shares", "")
	decode(t, answer, &listed)
	if status != http.StatusOK || len(listed.Shares) != 2 || listed.Shares[0].Status != store.ShareApproved || listed.Shares[0].Collection != approved.Collection || listed.Shares[0].Answer != "for the harbour case" || listed.Shares[0].DecidedBy != "" {
		t.Errorf("alpha's shares after approval: %d %s", status, answer)
	}

	// The log holds the request and both decisions, with who made them.
	log, err := f.store.AuditLog(ctx, store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		if strings.HasPrefix(e.Action, "share-") {
			got = append(got, fmt.Sprintf("%s %s %s %s %s", e.User, e.Agency, e.Action, e.Object, e.Outcome))
		}
	}
	want := []string{
		fmt.Sprintf("alpha-analyst alpha share-request %d ok", phone.ID),
		fmt.Sprintf("bravo-analyst bravo share-decision %d ok", phone.ID),
		fmt.Sprintf("alpha-analyst alpha share-request %d ok", req.ID),
		fmt.Sprintf("alpha-analyst alpha share-decision %d 404 not found", req.ID),
		fmt.Sprintf("alpha-admin alpha share-decision %d 404 not found", req.ID),
		fmt.Sprintf("bravo-viewer bravo share-decision %d 403 forbidden", req.ID),
		fmt.Sprintf("bravo-analyst bravo share-decision %d 400 bad request", req.ID),
		fmt.Sprintf("bravo-analyst bravo share-decision %d 400 bad request", req.ID),
		fmt.Sprintf("bravo-analyst bravo share-decision %d 400 bad request", req.ID),
		fmt.Sprintf("bravo-analyst bravo share-decision %d ok", req.ID),
		fmt.Sprintf("bravo-analyst bravo share-decision %d 409 conflict", req.ID),
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit of shares:\n got %q\nwant %q", got, want)
	}
}

// TestShareRequestRefused checks what a request that cannot be met is
// told: an unknown agency and one holding nothing answer alike.
func TestShareRequestRefused(t *testing.T) {
	f := newMatrix(t)
	analyst := who{agency: alpha, role: store.Analyst}
	var notFound []string
	for _, tc := range []struct {
		body   string
		status int
	}{
		{`{"query":"Pellworth Syndicate","owner":"bravo","reason":"r"}`, http.StatusNotFound},
		{`{"query":"Pellworth Syndicate","owner":"charlie","reason":"r"}`, http.StatusNotFound},
		{`{"query":"Quillon Marsh","owner":"alpha","reason":"r"}`, http.StatusBadRequest},
		{`{"query":"Quillon Marsh","owner":"bravo","reason":" "}`, http.StatusBadRequest},
		{`{"query":"","owner":"bravo","reason":"r"}`, http.StatusBadRequest},
		{`{"query":"Quillon Marsh","owner":"bravo","reason":"r","user":"alpha-admin"}`, http.StatusBadRequest},
		{`{"query":"Quillon Marsh","owner":"bravo"`, http.StatusBadRequest},
	} {
		status, body := f.call(t, analyst, "POST", "/api/v1/shares", tc.body)
		if status != tc.status {
			t.Errorf("%s: status %d, want %d: %s", tc.body, status, tc.status, body)
		}
		if status == http.StatusNotFound {
			var e errorBody
			decode(t, body, &e)
			// The owner's name is the caller's own words; the rest must
			// not differ.
			notFound = append(notFound, strings.NewReplacer(`"bravo"`, "OWNER", `"charlie"`, "OWNER").Replace(e.Error))
		}
	}
	if len(notFound) != 2 || notFound[0] != notFound[1] {
		t.Errorf("an agency holding nothing and no agency answer differently: %q", notFound)
	}
	if status, _ := f.call(t, who{agency: alpha, role: store.Viewer}, "POST", "/api/v1/shares", `{"query":"Quillon Marsh","owner":"bravo","reason":"r"}`); status != http.StatusForbidden {
		t.Errorf("a viewer's share request: status %d, want 403", status)
	}
	rs, err := f.store.ShareRequests(context.Background(), alpha)
	if err != nil || len(rs) != 0 {
		t.Errorf("refused requests were stored: %v %v", rs, err)
	}
}

// TestAlerts checks an agency is told of another's matching material
// with the entity named as its own documents name it, and not told of
// entities it cannot see.
func TestAlerts(t *testing.T) {
	f := newMatrix(t)
	ctx := context.Background()
	corvin, quillon := f.entities["Corvin Albescu"], f.entities["Quillon Marsh"]
	if err := f.store.AddAlerts(ctx, []store.Alert{
		{Agency: alpha, Other: bravo, Entity: corvin, Theirs: true},
		// An alert about an entity alpha's documents do not name (as if its
		// own had been removed) must not show bravo's name for it.
		{Agency: alpha, Other: bravo, Entity: quillon, Theirs: true},
		{Agency: bravo, Other: alpha, Entity: corvin},
	}); err != nil {
		t.Fatal(err)
	}
	status, body := f.call(t, who{agency: alpha, role: store.Analyst}, "GET", "/api/v1/alerts", "")
	var got struct {
		Alerts []alert `json:"alerts"`
	}
	decode(t, body, &got)
	if status != http.StatusOK || len(got.Alerts) != 1 {
		t.Fatalf("alpha's alerts: %d %s", status, body)
	}
	if a := got.Alerts[0]; a.Entity != corvin || a.Name != "Corvin Albescu" || a.Other != bravo || !a.Theirs {
		t.Errorf("alpha's alert: %+v", a)
	}
	if l := leaks(body, "", f.foreign(who{agency: alpha, role: store.Analyst})); len(l) > 0 {
		t.Errorf("alpha's alerts hold %q: %s", l, body)
	}
	status, body = f.call(t, who{agency: bravo, role: store.Admin}, "GET", "/api/v1/alerts", "")
	decode(t, body, &got)
	if status != http.StatusOK || len(got.Alerts) != 1 || got.Alerts[0].Other != alpha || got.Alerts[0].Theirs {
		t.Errorf("bravo's alerts: %d %s", status, body)
	}
	if status, _ := f.call(t, who{agency: alpha, role: store.Viewer}, "GET", "/api/v1/alerts", ""); status != http.StatusForbidden {
		t.Errorf("a viewer's alerts: status %d, want 403", status)
	}
}

// TestAuditReads checks reads, the lists among them, are recorded with
// who, what and the outcome, and that a server whose log fails answers
// nothing.
func TestAuditReads(t *testing.T) {
	f := newMatrix(t)
	ctx := context.Background()
	analyst := who{agency: alpha, role: store.Analyst}
	own, foreign := f.ownDoc(analyst), f.foreignDoc(analyst)
	for _, target := range []string{
		"/api/v1/documents/" + string(own),
		"/api/v1/documents/" + string(foreign),
		"/api/v1/search?q=zarqa+ledger",
		fmt.Sprintf("/api/v1/entities/%d", f.entities["Corvin Albescu"]),
		"/api/v1/discover?q=Quillon+Marsh",
		"/api/v1/collections",
		"/api/v1/documents?limit=5",
		"/api/v1/shares",
		"/api/v1/alerts",
	} {
		f.call(t, analyst, "GET", target, "")
	}
	log, err := f.store.AuditLog(ctx, store.AuditFilter{User: "alpha-analyst"})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, fmt.Sprintf("%s|%s|%s|%s|%s", e.User, e.Agency, e.Action, e.Object, e.Outcome))
	}
	want := []string{
		"alpha-analyst|alpha|read-document|" + string(own) + "|ok",
		"alpha-analyst|alpha|read-document|" + string(foreign) + "|404 not found",
		"alpha-analyst|alpha|search|zarqa ledger|ok",
		fmt.Sprintf("alpha-analyst|alpha|read-entity|%d|ok", f.entities["Corvin Albescu"]),
		"alpha-analyst|alpha|discover|Quillon Marsh|ok",
		// The lists are recorded too: the document list shows titles.
		"alpha-analyst|alpha|list-collections||ok",
		"alpha-analyst|alpha|list-documents|limit=5|ok",
		"alpha-analyst|alpha|list-shares||ok",
		"alpha-analyst|alpha|list-alerts||ok",
	}
	if !slices.Equal(got, want) {
		t.Errorf("audit log:\n got %q\nwant %q", got, want)
	}
	if n, brk, err := f.store.VerifyAudit(ctx); err != nil || brk != nil || n < len(want) {
		t.Errorf("VerifyAudit: %d entries, break %+v, %v", n, brk, err)
	}

	// A log that cannot record stops the answer: here its store is closed.
	broken, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	broken.Close()
	srv := f.server()
	srv.Audit = broken
	f.h = srv.Handler()
	status, body := f.call(t, analyst, "GET", "/api/v1/documents/"+string(own), "")
	if status != http.StatusServiceUnavailable || strings.Contains(body, "Aldermoor") || strings.Contains(body, string(own)) {
		t.Errorf("read with a failing audit log: %d %s", status, body)
	}
}
