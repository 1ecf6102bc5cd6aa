package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic/internal/auth"
	"mosaic/internal/store"
)

// adminWant is the status of an admin request: ok for an admin, 403 for
// the other roles.
func adminWant(c who, ok int) int {
	if c.role == store.Admin {
		return ok
	}
	return http.StatusForbidden
}

// matrixToken stores a new token of user, for a probe to revoke. A token
// that cannot be stored is ID 0, which no probe's status allows.
func (f *matrix) matrixToken(user string) int64 {
	tok, err := f.store.AddToken(context.Background(), user, "matrix probe", auth.Digest(auth.NewToken()))
	if err != nil {
		return 0
	}
	return tok.ID
}

// adminProbes exercise the admin and audit routes: the caller's agency's
// users, tokens and collections, the other agency's (which an admin finds
// none of), and bodies the API refuses. No probe grants a collection, which
// would change what the matrix's callers may read; TestAdminGrant does.
func adminProbes(op string) func(f *matrix, c who) []probe {
	return func(f *matrix, c who) []probe {
		other := otherAgency(c)
		own := c.agency
		if own == "" {
			own = alpha
		}
		switch op {
		case "users":
			return []probe{{"list", "GET", "/api/v1/admin/users", "", adminWant(c, http.StatusOK)}}
		case "queue":
			return []probe{{"own", "GET", "/api/v1/admin/queue", "", adminWant(c, http.StatusOK)}}
		case "add":
			return []probe{
				{"new", "POST", "/api/v1/admin/users", fmt.Sprintf(`{"name":"new-%s-%t","role":"viewer","clearance":"RESTRICTED"}`, c, f.granted), adminWant(c, http.StatusCreated)},
				{"taken by the other agency", "POST", "/api/v1/admin/users", `{"name":"` + other + `-viewer"}`, adminWant(c, http.StatusConflict)},
				{"unknown role", "POST", "/api/v1/admin/users", `{"name":"x-` + c.String() + `","role":"root"}`, adminWant(c, http.StatusBadRequest)},
				{"above own clearance", "POST", "/api/v1/admin/users", `{"name":"y-` + c.String() + `","clearance":"TOP SECRET"}`, adminWant(c, http.StatusBadRequest)},
				{"no name", "POST", "/api/v1/admin/users", `{"name":" "}`, adminWant(c, http.StatusBadRequest)},
			}
		case "password":
			return []probe{
				{"own", "POST", "/api/v1/admin/users/" + own + "-viewer/password", "", adminWant(c, http.StatusOK)},
				{"foreign", "POST", "/api/v1/admin/users/" + other + "-viewer/password", "", adminWant(c, http.StatusNotFound)},
				{"unknown", "POST", "/api/v1/admin/users/nobody/password", "", adminWant(c, http.StatusNotFound)},
			}
		case "tokens":
			return []probe{
				{"own", "POST", "/api/v1/admin/users/" + own + "-viewer/tokens", `{"label":"matrix"}`, adminWant(c, http.StatusCreated)},
				{"own, no body", "POST", "/api/v1/admin/users/" + own + "-viewer/tokens", "", adminWant(c, http.StatusCreated)},
				{"foreign", "POST", "/api/v1/admin/users/" + other + "-viewer/tokens", `{}`, adminWant(c, http.StatusNotFound)},
				{"unknown field", "POST", "/api/v1/admin/users/" + own + "-viewer/tokens", `{"secret":"x"}`, adminWant(c, http.StatusBadRequest)},
			}
		case "revoke token":
			return []probe{
				{"own", "DELETE", fmt.Sprintf("/api/v1/admin/tokens/%d", f.matrixToken(own+"-viewer")), "", adminWant(c, http.StatusNoContent)},
				{"foreign", "DELETE", fmt.Sprintf("/api/v1/admin/tokens/%d", f.matrixToken(other+"-viewer")), "", adminWant(c, http.StatusNotFound)},
				{"unknown", "DELETE", "/api/v1/admin/tokens/999999", "", adminWant(c, http.StatusNotFound)},
				{"not an ID", "DELETE", "/api/v1/admin/tokens/x", "", adminWant(c, http.StatusBadRequest)},
			}
		case "grants":
			return []probe{{"list", "GET", "/api/v1/admin/grants", "", adminWant(c, http.StatusOK)}}
		case "grant":
			foreign, mine := bravoSecret, alphaMain
			if c.agency == bravo {
				foreign, mine = alphaMain, bravoOpen
			}
			return []probe{
				{"foreign collection", "POST", "/api/v1/admin/grants", `{"collection":"` + foreign + `","agency":"` + other + `","reason":"matrix"}`, adminWant(c, http.StatusNotFound)},
				{"no reason", "POST", "/api/v1/admin/grants", `{"collection":"` + mine + `","agency":"` + other + `"}`, adminWant(c, http.StatusBadRequest)},
				{"to its own agency", "POST", "/api/v1/admin/grants", `{"collection":"` + mine + `","agency":"` + own + `","reason":"matrix"}`, adminWant(c, http.StatusBadRequest)},
				{"no such agency", "POST", "/api/v1/admin/grants", `{"collection":"` + mine + `","agency":"charlie","reason":"matrix"}`, adminWant(c, http.StatusNotFound)},
			}
		case "revoke grant":
			ps := []probe{{"unknown", "DELETE", "/api/v1/admin/grants/999999", "", adminWant(c, http.StatusNotFound)}}
			if gs, _ := f.store.Grants(context.Background(), bravo); c.agency != bravo && len(gs) > 0 {
				// bravo's grant to alpha is not alpha's to revoke.
				ps = append(ps, probe{"bravo's", "DELETE", fmt.Sprintf("/api/v1/admin/grants/%d", gs[0].ID), "", adminWant(c, http.StatusNotFound)})
			}
			return ps
		case "audit":
			return []probe{
				{"an action", "GET", "/api/v1/audit?action=list-collections&limit=5", "", adminWant(c, http.StatusOK)},
				// The other agency's analyst searched for its own markers:
				// an admin who saw those entries would show them.
				{"the other agency's searches", "GET", "/api/v1/audit?action=search&user=" + other + "-analyst", "", adminWant(c, http.StatusOK)},
				{"bad cursor", "GET", "/api/v1/audit?cursor=%27%3B%20DROP%20TABLE%20audit", "", adminWant(c, http.StatusBadRequest)},
				{"bad since", "GET", "/api/v1/audit?since=yesterday", "", adminWant(c, http.StatusBadRequest)},
			}
		}
		return []probe{{"verify", "GET", "/api/v1/audit/verify", "", adminWant(c, http.StatusOK)}}
	}
}

// adminFixture is a matrix whose agencies' admins act through the API.
type adminFixture struct {
	*matrix
	alphaAdmin, bravoAdmin, analyst who
}

func newAdminFixture(t *testing.T) adminFixture {
	return adminFixture{newMatrix(t), who{agency: alpha, role: store.Admin}, who{agency: bravo, role: store.Admin}, who{agency: alpha, role: store.Analyst}}
}

// bearer calls the API with a token the matrix does not know.
func (f adminFixture) bearer(token, method, target string) (int, string) {
	req := httptest.NewRequest(method, target, nil)
	req.Host = "localhost"
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

func (f adminFixture) login(t *testing.T, user, password string) int {
	t.Helper()
	code, _ := f.call(t, who{}, "POST", "/api/v1/login", fmt.Sprintf(`{"user":%q,"password":%q}`, user, password))
	return code
}

// TestAdminUsers: a user an admin creates logs in with the password
// answered once, listed nowhere after; another agency's admin neither
// lists the user nor resets their password; a reset password replaces
// the old one.
func TestAdminUsers(t *testing.T) {
	f := newAdminFixture(t)
	code, out := f.call(t, f.alphaAdmin, "POST", "/api/v1/admin/users", `{"name":"Dana Quill","role":"analyst","clearance":"RESTRICTED"}`)
	var created newPassword
	decode(t, out, &created)
	if code != http.StatusCreated || created.User.Agency != alpha || created.User.Role != store.Analyst || created.User.Clearance != "RESTRICTED" || len(created.Password) < 12 {
		t.Fatalf("create: %d %s", code, out)
	}
	if code := f.login(t, "Dana Quill", created.Password); code != http.StatusOK {
		t.Errorf("login with the answered password: %d", code)
	}
	if code := f.login(t, "Dana Quill", created.Password+"x"); code != http.StatusUnauthorized {
		t.Errorf("login with a wrong password: %d", code)
	}
	_, out = f.call(t, f.alphaAdmin, "GET", "/api/v1/admin/users", "")
	if !strings.Contains(out, `"Dana Quill"`) || strings.Contains(out, created.Password) || strings.Contains(out, "argon2") || strings.Contains(out, `"bravo-`) {
		t.Errorf("alpha's list: %s", out)
	}
	if _, out := f.call(t, f.bravoAdmin, "GET", "/api/v1/admin/users", ""); strings.Contains(out, "Dana") || strings.Contains(out, `"alpha-`) {
		t.Errorf("bravo's list holds alpha's users: %s", out)
	}
	if code, _ := f.call(t, f.bravoAdmin, "POST", "/api/v1/admin/users/Dana%20Quill/password", ""); code != http.StatusNotFound {
		t.Errorf("bravo resets alpha's user: %d", code)
	}
	if code := f.login(t, "Dana Quill", created.Password); code != http.StatusOK {
		t.Errorf("the password after bravo's try: %d", code)
	}
	code, out = f.call(t, f.alphaAdmin, "POST", "/api/v1/admin/users/Dana%20Quill/password", "")
	var reset newPassword
	decode(t, out, &reset)
	if code != http.StatusOK || reset.Password == "" || reset.Password == created.Password {
		t.Fatalf("reset: %d %s", code, out)
	}
	if code := f.login(t, "Dana Quill", created.Password); code != http.StatusUnauthorized {
		t.Errorf("the old password after the reset: %d", code)
	}
	if code := f.login(t, "Dana Quill", reset.Password); code != http.StatusOK {
		t.Errorf("the new password: %d", code)
	}
	f.noSecretsLogged(t, created.Password, reset.Password)
}

// TestAdminTokens: a token an admin issues works until the admin revokes
// it; another agency's admin cannot revoke it.
func TestAdminTokens(t *testing.T) {
	f := newAdminFixture(t)
	code, out := f.call(t, f.alphaAdmin, "POST", "/api/v1/admin/users/alpha-viewer/tokens", `{"label":"laptop"}`)
	var issued struct {
		Token  store.Token `json:"token"`
		Secret string      `json:"secret"`
	}
	decode(t, out, &issued)
	if code != http.StatusCreated || issued.Token.Label != "laptop" || !auth.LooksLikeToken(issued.Secret) {
		t.Fatalf("issue: %d %s", code, out)
	}
	if code, out := f.bearer(issued.Secret, "GET", "/api/v1/me"); code != http.StatusOK || !strings.Contains(out, `"alpha-viewer"`) {
		t.Fatalf("the new token: %d %s", code, out)
	}
	if _, out := f.call(t, f.alphaAdmin, "GET", "/api/v1/admin/users", ""); !strings.Contains(out, `"laptop"`) || strings.Contains(out, issued.Secret) {
		t.Errorf("the list: %s", out)
	}
	path := fmt.Sprintf("/api/v1/admin/tokens/%d", issued.Token.ID)
	if code, _ := f.call(t, f.bravoAdmin, "DELETE", path, ""); code != http.StatusNotFound {
		t.Errorf("bravo revokes alpha's token: %d", code)
	}
	if code, _ := f.bearer(issued.Secret, "GET", "/api/v1/me"); code != http.StatusOK {
		t.Errorf("the token after bravo's try: %d", code)
	}
	if code, _ := f.call(t, f.alphaAdmin, "DELETE", path, ""); code != http.StatusNoContent {
		t.Errorf("revoke: %d", code)
	}
	if code, _ := f.bearer(issued.Secret, "GET", "/api/v1/me"); code != http.StatusUnauthorized {
		t.Errorf("the revoked token: %d", code)
	}
	if code, _ := f.call(t, who{agency: alpha, role: store.Viewer}, "GET", "/api/v1/me", ""); code != http.StatusOK {
		t.Errorf("the viewer's other token stopped working: %d", code)
	}
	f.noSecretsLogged(t, issued.Secret)
}

// TestAdminGrant: a grant bravo's admin makes shows bravoOpen to alpha's
// analyst until revoked; alpha's admin neither lists it nor revokes it.
func TestAdminGrant(t *testing.T) {
	f := newAdminFixture(t)
	doc := "/api/v1/documents/" + string(f.docs[bravoOpen][0].Doc.ID)
	if code, _ := f.call(t, f.analyst, "GET", doc, ""); code != http.StatusNotFound {
		t.Fatalf("before the grant alpha reads bravo's document: %d", code)
	}
	_, out := f.call(t, f.bravoAdmin, "GET", "/api/v1/admin/grants", "")
	var form struct {
		Grants      []store.Grant `json:"grants"`
		Collections []string      `json:"collections"`
		Agencies    []string      `json:"agencies"`
	}
	decode(t, out, &form)
	if len(form.Grants) != 0 || fmt.Sprint(form.Collections) != fmt.Sprint([]string{bravoOpen, bravoSecret}) || fmt.Sprint(form.Agencies) != "[alpha]" {
		t.Errorf("bravo's grant form: %s", out)
	}
	code, out := f.call(t, f.bravoAdmin, "POST", "/api/v1/admin/grants", `{"collection":"`+bravoOpen+`","agency":"alpha","reason":"joint case"}`)
	var g store.Grant
	decode(t, out, &g)
	if code != http.StatusCreated || g.By != "bravo-admin" || g.Agency != alpha || g.Reason != "joint case" {
		t.Fatalf("grant: %d %s", code, out)
	}
	if code, _ := f.call(t, f.analyst, "GET", doc, ""); code != http.StatusOK {
		t.Errorf("after the grant alpha's analyst reads bravo's document: %d", code)
	}
	if _, out := f.call(t, f.alphaAdmin, "GET", "/api/v1/admin/grants", ""); strings.Contains(out, "joint case") {
		t.Errorf("alpha's admin lists bravo's grant: %s", out)
	}
	path := fmt.Sprintf("/api/v1/admin/grants/%d", g.ID)
	if code, _ := f.call(t, f.alphaAdmin, "DELETE", path, ""); code != http.StatusNotFound {
		t.Errorf("alpha's admin revokes bravo's grant: %d", code)
	}
	if code, _ := f.call(t, f.bravoAdmin, "DELETE", path, ""); code != http.StatusNoContent {
		t.Errorf("revoke: %d", code)
	}
	if code, _ := f.call(t, f.analyst, "GET", doc, ""); code != http.StatusNotFound {
		t.Errorf("after the revoke alpha's analyst reads bravo's document: %d", code)
	}
}

// TestAdminAudit: every admin write is in the log, under the admin's
// agency; an admin reads their agency's entries alone, newest first, a
// page at a time, and the chain verifies.
func TestAdminAudit(t *testing.T) {
	f := newAdminFixture(t)
	f.call(t, f.alphaAdmin, "POST", "/api/v1/admin/users", `{"name":"Dana Quill"}`)
	f.call(t, f.alphaAdmin, "POST", "/api/v1/admin/users/Dana%20Quill/tokens", `{}`)
	f.call(t, f.alphaAdmin, "POST", "/api/v1/admin/users/Dana%20Quill/password", ``)
	f.call(t, f.bravoAdmin, "POST", "/api/v1/admin/grants", `{"collection":"`+bravoOpen+`","agency":"alpha","reason":"joint case"}`)
	f.call(t, f.analyst, "GET", "/api/v1/search?q=vasken", "")
	f.call(t, who{agency: bravo, role: store.Analyst}, "GET", "/api/v1/search?q=quillon", "")

	read := func(c who, query string) ([]store.AuditEntry, string) {
		t.Helper()
		code, out := f.call(t, c, "GET", "/api/v1/audit"+query, "")
		var page struct {
			Entries []store.AuditEntry `json:"entries"`
			Next    string             `json:"next"`
		}
		decode(t, out, &page)
		if code != http.StatusOK {
			t.Fatalf("audit%s: %d %s", query, code, out)
		}
		return page.Entries, page.Next
	}
	all, _ := read(f.alphaAdmin, "?limit=1000")
	actions := map[string]string{}
	for i, e := range all {
		if e.Agency != alpha {
			t.Errorf("alpha's admin reads %+v", e)
		}
		if i > 0 && e.Seq >= all[i-1].Seq {
			t.Errorf("entry %d after %d: not newest first", e.Seq, all[i-1].Seq)
		}
		if _, ok := actions[e.Action]; !ok {
			actions[e.Action] = e.User + " " + e.Object + " " + e.Outcome
		}
	}
	for action, want := range map[string]string{
		"user-add": "alpha-admin Dana Quill ok", "token-add": "alpha-admin Dana Quill ok",
		"password-reset": "alpha-admin Dana Quill ok", "search": "alpha-analyst vasken ok",
	} {
		if actions[action] != want {
			t.Errorf("alpha's log: %s is %q, want %q", action, actions[action], want)
		}
	}
	if _, ok := actions["grant"]; ok {
		t.Errorf("alpha's log holds bravo's grant")
	}
	if es, _ := read(f.bravoAdmin, "?action=grant"); len(es) != 1 || es[0].Object != bravoOpen+" to alpha" || es[0].User != "bravo-admin" {
		t.Errorf("bravo's grants in the log: %+v", es)
	}
	if es, _ := read(f.bravoAdmin, "?user=alpha-admin"); len(es) != 0 {
		t.Errorf("bravo's admin reads alpha's admin: %+v", es)
	}
	// Each read is logged, so the first page starts with reads newer than
	// all; the second goes on where the first ended.
	first, next := read(f.alphaAdmin, "?limit=2")
	second, _ := read(f.alphaAdmin, "?limit=2&cursor="+next)
	at := slices.IndexFunc(all, func(e store.AuditEntry) bool { return len(first) == 2 && e.Seq == first[1].Seq })
	if at < 0 || at+2 >= len(all) || len(second) != 2 || second[0].Seq != all[at+1].Seq || second[1].Seq != all[at+2].Seq || next != fmt.Sprint(first[1].Seq) {
		t.Errorf("pages of 2: %v then %v (next %q), want the second to follow the first in %v", first, second, next, all)
	}
	if es, _ := read(f.alphaAdmin, "?until=2000-01-01"); len(es) != 0 {
		t.Errorf("entries before 2000: %+v", es)
	}
	if es, _ := read(f.alphaAdmin, "?since=2000-01-01&action=user-add"); len(es) != 1 {
		t.Errorf("user-add since 2000: %+v", es)
	}
	code, out := f.call(t, f.alphaAdmin, "GET", "/api/v1/audit/verify", "")
	var v struct {
		Entries int    `json:"entries"`
		Intact  bool   `json:"intact"`
		Head    string `json:"head"`
	}
	decode(t, out, &v)
	n, _, _ := f.store.VerifyAudit(context.Background())
	if code != http.StatusOK || !v.Intact || v.Entries < len(all) || v.Entries > n || len(v.Head) != 64 {
		t.Errorf("verify: %d %s (the store holds %d)", code, out, n)
	}
}

// noSecretsLogged fails if any audit entry holds one of the secrets.
func (f adminFixture) noSecretsLogged(t *testing.T, secrets ...string) {
	t.Helper()
	es, err := f.store.AuditLog(context.Background(), store.AuditFilter{})
	if err != nil {
		t.Fatal(err)
	}
	raw, _ := json.Marshal(es)
	for _, s := range secrets {
		if strings.Contains(string(raw), s) {
			t.Errorf("the audit log holds a secret answered once")
		}
	}
	if len(es) == 0 {
		t.Errorf("nothing was logged")
	}
}

// TestAdminQueue: an agency's admin follows its ingest queue — counts by
// state, the running jobs with their workers, the failures with their
// reasons — and sees nothing of another agency's jobs, whose paths name
// its files; an analyst is refused.
func TestAdminQueue(t *testing.T) {
	f := newAdminFixture(t)
	ctx := context.Background()
	_, err := f.store.EnqueueJobs(ctx, []store.Job{
		{Collection: "alpha-reports", Agency: alpha, Path: "/in/alpha/one.txt", Hash: "a1", Size: 100},
		{Collection: "alpha-reports", Agency: alpha, Path: "/in/alpha/two.txt", Hash: "a2", Size: 50},
		{Collection: "bravo-files", Agency: bravo, Path: "/in/bravo/informant.txt", Hash: "b1", Size: 7},
	})
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	jobs, err := f.store.ClaimJobs(ctx, "host:1", 1, now, time.Minute)
	if err != nil || len(jobs) != 1 || jobs[0].Agency != alpha {
		t.Fatalf("claim: %+v, %v", jobs, err)
	}
	if err := f.store.FinishJob(ctx, jobs[0].ID, "host:1", store.JobOutcome{Failed: true, Error: "one.txt: not a PDF"}, now); err != nil {
		t.Fatal(err)
	}
	if _, err := f.store.ClaimJobs(ctx, "host:2", 1, now, time.Minute); err != nil {
		t.Fatal(err)
	}
	code, out := f.call(t, f.alphaAdmin, "GET", "/api/v1/admin/queue", "")
	var sum store.JobSummary
	decode(t, out, &sum)
	if code != http.StatusOK || sum.States[store.JobFailed] != 1 || sum.States[store.JobRunning] != 1 || sum.States[store.JobQueued] != 0 {
		t.Fatalf("alpha's queue: %d %s", code, out)
	}
	if len(sum.Running) != 1 || sum.Running[0].Worker != "host:2" || len(sum.Failed) != 1 || sum.Failed[0].Error != "one.txt: not a PDF" {
		t.Errorf("alpha's lists: %s", out)
	}
	if strings.Contains(out, "informant") || strings.Contains(out, "bravo") {
		t.Errorf("alpha's queue shows bravo's job: %s", out)
	}
	_, out = f.call(t, f.bravoAdmin, "GET", "/api/v1/admin/queue", "")
	var ofBravo store.JobSummary
	decode(t, out, &ofBravo)
	if ofBravo.States[store.JobQueued] != 1 || len(ofBravo.States) != 1 || ofBravo.Bytes[store.JobQueued] != 7 || strings.Contains(out, "/in/alpha") {
		t.Errorf("bravo's queue: %s", out)
	}
	if code, _ := f.call(t, f.analyst, "GET", "/api/v1/admin/queue", ""); code != http.StatusForbidden {
		t.Errorf("an analyst reads the queue: %d", code)
	}
}
