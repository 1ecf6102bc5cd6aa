package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mosaic/internal/exchange"
	"mosaic/internal/exchange/exchangetest"
	"mosaic/internal/exchange/ftm"
)

// ftmCaseNames gives the case's entities as "KIND name" lines, sorted.
func ftmCaseNames(c exchange.Case) []string {
	var out []string
	for _, e := range c.Entities {
		out = append(out, string(e.Kind)+" "+e.Name)
	}
	slices.Sort(out)
	return out
}

// TestFTMRoundTripSampleCase: the sample case exported as FollowTheMoney
// reads back as the same people, groups and places with their names, the
// same links with each sentence and the same incidents; imported into an
// empty database it gives what the case loaded directly gives, each
// document with the file and object it came from.
func TestFTMRoundTripSampleCase(t *testing.T) {
	db, want := readSampleCase(t)
	file := filepath.Join(t.TempDir(), "case.ftm.json")
	if out, errs, code := runMosaic(t, "export", "ftm", "--db", db, "--out", file); code != 0 {
		t.Fatalf("export ftm: exit %d\n%s%s", code, out, errs)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%d entities, %d links, %d incidents: %d lines, %d bytes of FollowTheMoney",
		len(want.Entities), len(want.Links), len(want.Incidents), bytes.Count(b, []byte("\n")), len(b))

	ftmModelCheck(t, file)

	var rd ftm.Reader
	read, err := rd.Read(bytes.NewReader(b), file)
	if err != nil {
		t.Fatal(err)
	}
	if rd.Skipped.Total() != 0 {
		t.Errorf("reading Mosaic's own file skipped %s", rd.Skipped.String())
	}
	// The file holds the case: read back, it is the case exported.
	ftmCompare(t, "the file read back", read, want)
	for _, e := range read.Entities {
		if !strings.HasPrefix(e.Origin, file+"#mosaic-") {
			t.Errorf("entity %q read with origin %q", e.Name, e.Origin)
		}
	}

	// Imported into an empty database, the file gives what the case
	// itself loaded there gives: the format loses nothing Load keeps.
	imported := t.TempDir()
	out, errs, code := runMosaic(t, "import", "ftm", "--db", imported, "--collection", "imported", "--agency", "Desk", file)
	if code != 0 {
		t.Fatalf("import ftm: exit %d\n%s%s", code, out, errs)
	}
	if !strings.Contains(out, fmt.Sprintf("%d links, %d incidents read", len(want.Links), len(want.Incidents))) {
		t.Errorf("import ftm says %q, want %d links and %d incidents read", out, len(want.Links), len(want.Incidents))
	}
	if strings.Contains(out, "left out") {
		t.Errorf("importing Mosaic's own file left something out: %q", out)
	}
	got := readCase(t, imported)
	direct, _ := importCase(t, want, "case")
	ftmCompare(t, "imported", got, direct)
	for _, d := range got.Documents {
		if !strings.HasPrefix(d.Source, file+"#") {
			t.Errorf("imported document %q has source %q, want %s#object", d.Title, d.Source, file)
		}
	}

	// A second export of the same case is the same file.
	again := filepath.Join(t.TempDir(), "again.ftm.json")
	if _, errs, code := runMosaic(t, "export", "ftm", "--db", db, "--out", again); code != 0 {
		t.Fatalf("export ftm again: exit %d\n%s", code, errs)
	}
	if b2, err := os.ReadFile(again); err != nil || !bytes.Equal(b, b2) {
		t.Errorf("a second export differs from the first (%v)", err)
	}
}

// TestImportFTMForeign: a file another tool wrote is imported with what
// Mosaic holds (people, companies, their links) and without what it has
// no place for; a malformed file is refused, naming the file and the
// line, and stores nothing.
func TestImportFTMForeign(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "registry.json")
	writeFile(t, good, `{"id": "c1", "schema": "Company", "properties": {"name": ["Harbour Logistics BV"]}}
{"id": "p1", "schema": "Person", "properties": {"name": ["Nadia Brandt"], "alias": ["N. Brandt"]}}
{"id": "v1", "schema": "Vessel", "properties": {"name": ["Sea Wind"]}}
{"id": "d1", "schema": "Directorship", "properties": {"director": ["p1"], "organization": ["c1"], "role": ["managing director"], "description": ["Nadia Brandt is the managing director of Harbour Logistics BV."]}}
`)
	db := t.TempDir()
	out, errs, code := runMosaic(t, "import", "ftm", "--db", db, good)
	if code != 0 {
		t.Fatalf("import: exit %d\n%s%s", code, out, errs)
	}
	if want := good + ": left out 1 schema Vessel\n"; !strings.Contains(out, want) {
		t.Errorf("import says %q, want it to say %q", out, want)
	}
	c := readCase(t, db)
	if g, w := caseLinks(c), []string{"Nadia Brandt member Harbour Logistics BV"}; !slices.Equal(g, w) {
		t.Errorf("links %q, want %q", g, w)
	}
	for _, n := range ftmCaseNames(c) {
		if strings.Contains(n, "Sea Wind") {
			t.Errorf("a Vessel was imported as %q", n)
		}
	}

	bad := filepath.Join(dir, "bad.json")
	writeFile(t, bad, `{"id": "p2", "schema": "Person", "properties": {"name": ["Ole Brandt"]}}
name,country
`)
	empty := t.TempDir()
	_, errs, code = runMosaic(t, "import", "ftm", "--db", empty, bad)
	if code == 0 || !strings.Contains(errs, bad+":2: invalid case: not a FollowTheMoney entity") {
		t.Errorf("malformed file: exit %d, %q; want a refusal naming %s:2", code, errs, bad)
	}
	if c := readCase(t, empty); len(c.Entities) != 0 {
		t.Errorf("a refused file stored %d entities", len(c.Entities))
	}

	// A file of nothing Mosaic holds is refused, saying what it left
	// out, before a data folder is made.
	ships := filepath.Join(dir, "ships.json")
	writeFile(t, ships, `{"id": "v1", "schema": "Vessel", "properties": {"name": ["Sea Wind"]}}
`)
	none := filepath.Join(dir, "none")
	_, errs, code = runMosaic(t, "import", "ftm", "--db", none, ships)
	if code == 0 || !strings.Contains(errs, ships+": invalid case: no entity, link or incident to load (left out 1 schema Vessel)") {
		t.Errorf("a file of vessels: exit %d, %q; want a refusal naming the file and what it left out", code, errs)
	}
	if _, err := os.Stat(none); err == nil {
		t.Error("a refused file made a data folder")
	}
}

// ftmModelCheck has FollowTheMoney's own model read a file and fails the
// test for every way a line breaks it.
func ftmModelCheck(t *testing.T, file string) {
	t.Helper()
	schemata, problems, err := exchangetest.FollowTheMoneyModel(file)
	if errors.Is(err, exchangetest.ErrNoModel) {
		t.Logf("the export not checked against FollowTheMoney's model: %v", err)
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range problems {
		if i == 20 {
			t.Errorf("and %d more", len(problems)-20)
			break
		}
		t.Errorf("FollowTheMoney's model: %s", e)
	}
	t.Logf("FollowTheMoney's model read %v", schemata)
}

// ftmCompare compares two cases' entities, links, evidence and incidents.
func ftmCompare(t *testing.T, what string, got, want exchange.Case) {
	t.Helper()
	for _, cmp := range []struct {
		what      string
		got, want []string
	}{
		{"entities", ftmCaseNames(got), ftmCaseNames(want)},
		{"spellings", caseSpellings(got), caseSpellings(want)},
		{"links", caseLinks(got), caseLinks(want)},
		{"evidence", caseEvidence(got), caseEvidence(want)},
		{"incidents", caseIncidents(got), caseIncidents(want)},
	} {
		if !slices.Equal(cmp.got, cmp.want) {
			t.Errorf("%s: %s differ:\n%s", what, cmp.what, diffLines(cmp.got, cmp.want))
		}
	}
}
