package main

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"mosaic/internal/store"
)

// TestCollectionCommands: list shows each collection with its agency and
// size; rename refuses a name in use and keeps the documents; delete asks
// for the name typed back on a terminal, refuses without --yes elsewhere
// and without a reason, and then removes the collection and what only it
// held, keeping a document another collection holds; log lists both
// changes with who and why.
func TestCollectionCommands(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	writeFile(t, filepath.Join(dir, "police", "fr.txt"), phoneRecords)
	writeFile(t, filepath.Join(dir, "police", "q.txt"), questioned)
	writeFile(t, filepath.Join(dir, "press", "fr.txt"), phoneRecords)
	for _, c := range []struct{ name, agency string }{{"reports", "Police"}, {"press", "Press"}} {
		folder := map[string]string{"reports": "police", "press": "press"}[c.name]
		if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", c.name, "--agency", c.agency, filepath.Join(dir, folder)); code != 0 {
			t.Fatalf("ingest %s: %s", c.name, errs)
		}
	}
	collection := func(args ...string) (string, string, int) {
		t.Helper()
		return runMosaic(t, append([]string{"collection", "--db", db, "--user", "analyst1"}, args...)...)
	}
	list := func() map[string]store.Collection {
		t.Helper()
		out, errs, code := collection("list", "--json")
		var got struct{ Collections []store.Collection }
		if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
			t.Fatalf("collection list --json: exit %d\n%s%s", code, out, errs)
		}
		byName := map[string]store.Collection{}
		for _, c := range got.Collections {
			byName[c.Name] = c
		}
		return byName
	}
	if cs := list(); len(cs) != 2 || cs["reports"].Agency != "Police" || cs["reports"].Documents != 2 ||
		cs["press"].Documents != 1 || cs["press"].Created.IsZero() {
		t.Fatalf("collections: %+v", cs)
	}
	if out, _, _ := collection("list"); !strings.Contains(out, "NAME") || !strings.Contains(out, "reports  Police") {
		t.Errorf("collection list:\n%s", out)
	}

	// Rename.
	if _, errs, code := collection("rename", "press", "reports", "--reason", "x"); code != 1 || !strings.Contains(errs, "already") {
		t.Errorf("rename onto a name in use: exit %d\n%s", code, errs)
	}
	if _, errs, code := collection("rename", "press", "press-desk"); code != 1 || !strings.Contains(errs, "--reason") {
		t.Errorf("rename without a reason: exit %d\n%s", code, errs)
	}
	if out, errs, code := collection("rename", "press", "press-desk", "--reason", "one desk"); code != 0 ||
		!strings.Contains(out, `renamed collection "press" of Press to "press-desk" (1 documents)`) {
		t.Errorf("rename: exit %d\n%s%s", code, out, errs)
	}
	if cs := list(); cs["press-desk"].Documents != 1 || cs["press-desk"].Agency != "Press" {
		t.Errorf("after the rename: %+v", cs)
	}

	// Delete: refused without confirmation, without a reason, or when the
	// name typed back differs; nothing changes.
	if _, errs, code := collection("delete", "reports", "--reason", "wrong folder"); code != 1 || !strings.Contains(errs, "--yes") {
		t.Errorf("delete with stdin not a terminal and no --yes: exit %d\n%s", code, errs)
	}
	if _, errs, code := collection("delete", "reports", "--yes"); code != 1 || !strings.Contains(errs, "--reason") {
		t.Errorf("delete without a reason: exit %d\n%s", code, errs)
	}
	if _, errs, code := collection("delete", "nowhere", "--yes", "--reason", "x"); code != 1 || !strings.Contains(errs, "no collection") {
		t.Errorf("delete an unknown collection: exit %d\n%s", code, errs)
	}
	// Not while an ingest is loading into the folder.
	release, err := lockIngest(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, errs, code := collection("delete", "reports", "--yes", "--reason", "x"); code != 1 || !strings.Contains(errs, "another mosaic ingest") {
		t.Errorf("delete during an ingest: exit %d\n%s", code, errs)
	}
	release()
	atTerminal := func(typed string) (string, string, int) {
		var out, errb bytes.Buffer
		e := &env{stdout: &out, stderr: &errb, stdin: strings.NewReader(typed), stdinTTY: true}
		code := run(context.Background(), e, []string{"collection", "--db", db, "--user", "analyst2", "delete", "reports", "--reason", "wrong folder"})
		return out.String(), errb.String(), code
	}
	if _, errs, code := atTerminal("report\n"); code != 1 || !strings.Contains(errs, "Type the collection's name") ||
		!strings.Contains(errs, "nothing was deleted") {
		t.Errorf("delete, a different name typed back: exit %d\n%s", code, errs)
	}
	if cs := list(); len(cs) != 2 {
		t.Fatalf("a refused deletion deleted: %+v", cs)
	}
	// Confirmed: the questioning report, held only by reports, leaves the
	// store; the phone records stay with press-desk.
	out, errs, code := atTerminal("reports\n")
	if code != 0 || !strings.Contains(out, `deleted collection "reports" of Police`) || !strings.Contains(out, "2 documents, 1 of them held by no other collection") {
		t.Fatalf("delete confirmed at a terminal: exit %d\n%s%s", code, out, errs)
	}
	if cs := list(); len(cs) != 1 || cs["press-desk"].Documents != 1 {
		t.Errorf("after the deletion: %+v", cs)
	}
	if out, _, _ := runMosaic(t, "search", "--db", db, "questioned"); !strings.HasPrefix(out, "0 documents match") {
		t.Errorf("search for the removed report's text:\n%s", out)
	}
	if out, _, _ := runMosaic(t, "search", "--db", db, "--json", "Tariq"); !strings.Contains(out, `"collections":["press-desk"]`) {
		t.Errorf("search for the kept document:\n%s", out)
	}

	out, _, _ = collection("log")
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 2 || !strings.Contains(lines[0], "deleted collection \"reports\"") || !strings.Contains(lines[0], "analyst2: wrong folder") ||
		!strings.Contains(lines[1], "renamed collection \"press\"") || !strings.Contains(lines[1], "analyst1: one desk") {
		t.Errorf("collection log:\n%s", out)
	}
}
