package main

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"mosaic/internal/auth"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// runMosaicStdin runs one command line in this process with stdin.
func runMosaicStdin(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), &env{stdout: &out, stderr: &errb, stdin: strings.NewReader(stdin)}, args)
	return out.String(), errb.String(), code
}

// lastLine is the last non-empty line of s.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return lines[len(lines)-1]
}

// TestUsersGrantsAndAudit: user add prints a working token alone on its
// last line and hashes the password; revoking the user stops the token;
// a grant widens the other agency's scope; every change is in the audit
// log, whose chain verifies, and fails verification, naming the entry,
// once a row is edited behind the store's back.
func TestUsersGrantsAndAudit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	writeFile(t, filepath.Join(dir, "police", "q.txt"), questioned)
	writeFile(t, filepath.Join(dir, "press", "fr.txt"), phoneRecords)
	for _, c := range []struct{ name, agency, folder string }{{"reports", "Police", "police"}, {"press", "Press", "press"}} {
		if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", c.name, "--agency", c.agency, filepath.Join(dir, c.folder)); code != 0 {
			t.Fatalf("ingest %s: %s", c.name, errs)
		}
	}
	user := func(stdin string, args ...string) string {
		t.Helper()
		out, errs, code := runMosaicStdin(t, stdin, append([]string{"user", "--db", db, "--by", "operator"}, args...)...)
		if code != 0 {
			t.Fatalf("mosaic user %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
		}
		return out
	}
	out := user("correct horse battery\n", "add", "--agency", "Police", "--role", "analyst", "--clearance", "SECRET", "--password-stdin", "officer1")
	token := lastLine(out)
	if strings.ContainsAny(token, " \t") || len(token) < 32 {
		t.Fatalf("user add: last line %q is not a token alone\n%s", token, out)
	}
	user("", "add", "--agency", "Press", "--role", "viewer", "desk1")
	if _, errs, code := runMosaic(t, "user", "--db", db, "add", "--agency", "Police", "--role", "chief", "x1"); code == 0 {
		t.Errorf("user add with an unknown role succeeded\n%s", errs)
	}

	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	u, hash, err := st.UserByName(ctx, "officer1")
	if err != nil || u.Agency != "Police" || u.Role != store.Analyst || u.Clearance != "SECRET" {
		t.Fatalf("officer1 = %+v, %v", u, err)
	}
	if auth.CheckPassword(hash, "correct horse battery") != nil || auth.CheckPassword(hash, "wrong") == nil {
		t.Errorf("the stored hash does not check the password given on stdin")
	}
	if got, err := st.TokenUser(ctx, auth.Digest(token)); err != nil || got.Name != "officer1" {
		t.Errorf("token of officer1 reads as %+v, %v", got, err)
	}
	scope := func() []string {
		t.Helper()
		sc, err := st.ScopeOf(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		return sc.Collections
	}
	if got := scope(); len(got) != 1 || got[0] != "reports" {
		t.Errorf("officer1 sees %v before a grant, want [reports]", got)
	}
	user("", "grant", "press", "--to-agency", "Police", "--reason", "joint inquiry")
	if got := scope(); len(got) != 2 {
		t.Errorf("officer1 sees %v after press was granted to Police", got)
	}
	var listed struct{ Users []store.User }
	if err := json.Unmarshal([]byte(user("", "list", "--json")), &listed); err != nil || len(listed.Users) != 2 {
		t.Fatalf("user list --json: %+v, %v", listed, err)
	}
	user("", "revoke", "officer1")
	if _, err := st.TokenUser(ctx, auth.Digest(token)); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("token of a revoked user: %v, want ErrNotFound", err)
	}

	if out, errs, code := runMosaic(t, "audit", "--db", db, "verify"); code != 0 || !strings.Contains(out, "intact") {
		t.Fatalf("audit verify on an untouched log: exit %d\n%s%s", code, out, errs)
	}
	entries, err := st.AuditLog(ctx, store.AuditFilter{User: "operator"})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, a := range entries {
		actions = append(actions, a.Action)
	}
	if got := strings.Join(actions, " "); got != "user-add user-add grant user-revoke" {
		t.Errorf("audit actions of operator: %q", got)
	}
	st.Close()

	raw, err := sql.Open("sqlite", filepath.Join(db, sqlite.FileName))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`DROP TRIGGER audit_no_update`); err != nil {
		t.Fatal(err)
	}
	if _, err := raw.Exec(`UPDATE audit SET object = 'someone else' WHERE action = 'grant'`); err != nil {
		t.Fatal(err)
	}
	var seq int64
	if err := raw.QueryRow(`SELECT seq FROM audit WHERE action = 'grant'`).Scan(&seq); err != nil {
		t.Fatal(err)
	}
	raw.Close()
	_, errs, code := runMosaic(t, "audit", "--db", db, "verify")
	if code != 1 || !strings.Contains(errs, "entry "+strconv.FormatInt(seq, 10)) {
		t.Errorf("audit verify after editing entry %d: exit %d\n%s", seq, code, errs)
	}
}

// TestIngestDiscoveryAlerts: loading material that names a person another
// agency's documents name tells the loader which agency holds material,
// and stores an alert for both agencies, saying nothing else. The
// loader's alert carries the label of the other agency's holdings (here
// only in a SECRET collection), so that only users cleared for them are
// shown it; the other agency's carries the label of the new material.
func TestIngestDiscoveryAlerts(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	writeFile(t, filepath.Join(dir, "police", "q.txt"), questioned)
	writeFile(t, filepath.Join(dir, "press", "fr.txt"), phoneRecords)
	writeFile(t, filepath.Join(dir, "other", "b.txt"), burglary)
	if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "reports", "--agency", "Police", filepath.Join(dir, "police")); code != 0 || strings.Contains(errs, "DISCOVERY") {
		t.Fatalf("first ingest: exit %d\n%s", code, errs)
	}
	if _, errs, code := runMosaic(t, "collection", "--db", db, "classify", "reports", "SECRET"); code != 0 {
		t.Fatalf("classify: exit %d\n%s", code, errs)
	}
	_, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "press", "--agency", "Press", filepath.Join(dir, "press"))
	if code != 0 || !strings.Contains(errs, `DISCOVERY: Police holds material on "Samir Haddad"`) {
		t.Fatalf("second ingest: exit %d, want a discovery line about Samir Haddad\n%s", code, errs)
	}
	if strings.Contains(errs, "Leeds") || strings.Contains(errs, "questioned") {
		t.Errorf("the discovery line shows the other agency's content:\n%s", errs)
	}
	if _, errs, _ := runMosaic(t, "ingest", "--db", db, "--collection", "other", "--agency", "Press", filepath.Join(dir, "other")); strings.Contains(errs, "DISCOVERY") {
		t.Errorf("a load naming no one the others hold raised an alert:\n%s", errs)
	}
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	alerts := func(agency, clearance string) []store.Alert {
		t.Helper()
		as, err := st.AlertsFor(ctx, agency, clearance)
		if err != nil {
			t.Fatal(err)
		}
		return as
	}
	if as := alerts("Press", "CONFIDENTIAL"); len(as) != 0 {
		t.Errorf("a Press user cleared CONFIDENTIAL is told of Police's SECRET holdings: %+v", as)
	}
	press, police := alerts("Press", "SECRET"), alerts("Police", "")
	if len(press) != 1 || press[0].Other != "Police" || press[0].Theirs || press[0].Classification != "SECRET" ||
		len(police) != 1 || police[0].Other != "Press" || !police[0].Theirs || police[0].Classification != "UNCLASSIFIED" ||
		police[0].Entity != press[0].Entity {
		t.Errorf("alerts: Press %+v, Police %+v", press, police)
	}
}
