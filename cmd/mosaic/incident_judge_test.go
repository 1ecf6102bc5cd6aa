package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"mosaic/internal/store"
)

// TestIncidentRulings: 'mosaic incident same|different' records the
// command line's rulings, a later one on a pair replacing the earlier, and
// 'list' shows the standing ones; unknown incidents, a pair of one and
// malformed ids are refused.
func TestIncidentRulings(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	path := filepath.Join(dir, "gtd.csv")
	writeGTD(t, path, 4, 3)
	if _, errs, code := runMosaic(t, "import", "gtd", "--db", db, "--collection", "gtd", path); code != 0 {
		t.Fatalf("import: exit %d\n%s", code, errs)
	}
	rule := func(args ...string) (store.IncidentJudgement, string, int) {
		t.Helper()
		out, errs, code := runMosaic(t, append([]string{"incident", "--db", db, "--json", "--user", "analyst1"}, args...)...)
		var j store.IncidentJudgement
		if code == 0 {
			if err := json.Unmarshal([]byte(out), &j); err != nil {
				t.Fatalf("incident %v: %v\n%s", args, err, out)
			}
		}
		return j, errs, code
	}
	j, errs, code := rule("same", "3", "1", "--reason", "one bombing, two rows")
	if code != 0 || j.A != 1 || j.B != 3 || !j.Same || j.User != "analyst1" || j.Reason != "one bombing, two rows" || j.ID == 0 {
		t.Fatalf("same 3 1: %+v, exit %d\n%s", j, code, errs)
	}
	if j, _, code = rule("different", "1", "3"); code != 0 || j.Same {
		t.Fatalf("different 1 3: %+v, exit %d", j, code)
	}
	if _, _, code = rule("different", "2", "4"); code != 0 {
		t.Fatalf("different 2 4: exit %d", code)
	}
	out, errs, code := runMosaic(t, "incident", "--db", db, "list")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if code != 0 || len(lines) != 3 || !strings.Contains(lines[1], "different") || !strings.HasPrefix(strings.Fields(lines[2])[1], "2") {
		t.Errorf("list: exit %d\n%s%s", code, out, errs)
	}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"same", "1", "99"}, 1, "not found"},
		{[]string{"same", "2", "2"}, 1, "always one attack"},
		{[]string{"same", "one", "2"}, 1, "want an incident id"},
		{[]string{"same", "1"}, exitUsage, ""},
		{[]string{"merge", "1", "2"}, exitUsage, ""},
	} {
		if _, errs, code := rule(tc.args...); code != tc.code || !strings.Contains(errs, tc.want) {
			t.Errorf("incident %v: exit %d, %q; want exit %d saying %q", tc.args, code, errs, tc.code, tc.want)
		}
	}
}
