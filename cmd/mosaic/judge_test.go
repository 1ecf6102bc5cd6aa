package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestJudgeMergeKinds: a merge names both entities and their kinds and says
// what it did; entities of different kinds (an organisation and a city)
// are refused with both named, and a refused merge records nothing.
func TestJudgeMergeKinds(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	writeFile(t, filepath.Join(dir, "in", "fr.txt"), phoneRecords+"\nOfficers searched a flat in Leeds on 14 June 2016.\n")
	if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "reports", "--agency", "Police", filepath.Join(dir, "in")); code != 0 {
		t.Fatalf("ingest: %s", errs)
	}
	merge := func(a, b string) (string, string, int) {
		return runMosaic(t, "judge", "--db", db, "merge", a, b, "--user", "analyst1", "--reason", "test")
	}
	out, errs, code := merge("Ansar al-Thughur", "Leeds")
	if code != 1 || !strings.Contains(errs, "(Ansar al-Thughur, ORG)") || !strings.Contains(errs, "(Leeds, LOCATION)") ||
		!strings.Contains(errs, "different kinds") || !strings.Contains(errs, "--force") || out != "" {
		t.Errorf("merge of a group and a city: exit %d, %q\n%s", code, out, errs)
	}
	if out, _, _ := runMosaic(t, "judge", "--db", db, "list"); !strings.Contains(out, "no judgements") {
		t.Errorf("a refused merge recorded something:\n%s", out)
	}
	// Forced, the merge is made, said and recorded as forced; the merged
	// entity takes the kind of the one named first.
	out, errs, code = runMosaic(t, "judge", "--db", db, "merge", "Leeds", "Ansar al-Thughur", "--force", "--user", "analyst1", "--reason", "test")
	if code != 0 || !strings.Contains(out, "(Leeds, LOCATION) with entity") || !strings.Contains(out, "forced: the merged entity is a LOCATION") {
		t.Errorf("forced merge of a city and a group: exit %d, %q\n%s", code, out, errs)
	}
	if out, _, _ := runMosaic(t, "judge", "--db", db, "list"); !strings.Contains(out, "(forced)") {
		t.Errorf("the forced merge is not listed as forced:\n%s", out)
	}
	if out, _, _ := runMosaic(t, "entity", "--db", db, "Ansar al-Thughur"); !strings.Contains(out, "(LOCATION, entity") {
		t.Errorf("the merged entity is not a LOCATION:\n%s", out)
	}
	if _, errs, code := runMosaic(t, "judge", "--db", db, "reject", "Samir Haddad", "Tariq Nasser", "--force", "--user", "a", "--reason", "r"); code != 1 ||
		!strings.Contains(errs, "--force applies to merge only") {
		t.Errorf("a forced reject: exit %d\n%s", code, errs)
	}
	out, errs, code = merge("Samir Haddad", "Tariq Nasser")
	if code != 0 || !strings.Contains(out, "merged entity") || !strings.Contains(out, "(Samir Haddad, PERSON) with entity") ||
		!strings.Contains(out, "(Tariq Nasser, PERSON)") {
		t.Errorf("merge of two people: exit %d\n%s%s", code, out, errs)
	}
}
