package main

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/exchange"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// readCase reads the whole case a data folder holds.
func readCase(t *testing.T, db string) exchange.Case {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	c, err := exchange.Read(ctx, st, exchange.Filter{Scope: store.Scope{}})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// readSampleCase loads the sample case into a data folder and reads the
// whole of it, skipping in -short mode.
func readSampleCase(t *testing.T) (db string, c exchange.Case) {
	t.Helper()
	if testing.Short() {
		t.Skip("loads the sample case")
	}
	db = sampleCase(t)
	c = readCase(t, db)
	if len(c.Entities) < 20 || len(c.Links) < 20 || len(c.Incidents) == 0 {
		t.Fatalf("the sample case read as %d entities, %d links, %d incidents; too few to prove anything",
			len(c.Entities), len(c.Links), len(c.Incidents))
	}
	return db, c
}

// importCase loads a case into an empty database, as read from file, and
// reads it back.
func importCase(t *testing.T, c exchange.Case, file string) (exchange.Case, exchange.LoadStats) {
	t.Helper()
	ctx := context.Background()
	db := t.TempDir()
	dst, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	stats, err := exchange.Load(ctx, dst, c, exchange.LoadOptions{Collection: "imported", Agency: "Desk", File: file})
	dst.Close()
	if err != nil {
		t.Fatal(err)
	}
	return readCase(t, db), stats
}

// caseLinks gives a case's links as "from type to" lines with names, a
// denied type as "not type", an alleged one as "type?", sorted; a
// co-occurrence's names in order, as it has no direction: cases whose
// keys differ compare.
func caseLinks(c exchange.Case) []string {
	return linkLines(c, false)
}

// caseEvidence gives every link's sentences as caseLinks' lines, each
// followed by ": " and the sentence on one line, sorted.
func caseEvidence(c exchange.Case) []string {
	return linkLines(c, true)
}

func linkLines(c exchange.Case, sentences bool) []string {
	name := map[string]string{}
	for _, e := range c.Entities {
		name[e.Key] = e.Name
	}
	var out []string
	for _, l := range c.Links {
		typ, from, to := string(l.Type), name[l.From], name[l.To]
		if l.Negated {
			typ = "not " + typ
		}
		if l.Hedged {
			typ += "?"
		}
		if l.Type == mosaic.CoOccur && to < from {
			from, to = to, from
		}
		line := from + " " + typ + " " + to
		if !sentences {
			out = append(out, line)
			continue
		}
		for _, ev := range l.Evidence {
			out = append(out, line+": "+exchange.OneLine(ev.Text))
		}
	}
	slices.Sort(out)
	return out
}

// caseSpellings gives a case's entities as "KIND name [spellings]"
// lines, sorted.
func caseSpellings(c exchange.Case) []string {
	var out []string
	for _, e := range c.Entities {
		names := slices.Clone(e.Names)
		slices.Sort(names)
		out = append(out, fmt.Sprintf("%s %s %q", e.Kind, e.Name, names))
	}
	slices.Sort(out)
	return out
}

// caseIncidents gives a case's incidents as lines of their date, place,
// perpetrators, summary and dead, sorted.
func caseIncidents(c exchange.Case) []string {
	var out []string
	for _, in := range c.Incidents {
		out = append(out, fmt.Sprintf("%s %s %q %s killed %v", in.Date, in.City, in.Perpetrators, in.Summary, in.Killed))
	}
	slices.Sort(out)
	return out
}

// diffLines lists the lines only one side has.
func diffLines(got, want []string) string {
	var b strings.Builder
	for _, w := range want {
		if !slices.Contains(got, w) {
			b.WriteString("  lost:  " + w + "\n")
		}
	}
	for _, g := range got {
		if !slices.Contains(want, g) {
			b.WriteString("  added: " + g + "\n")
		}
	}
	return b.String()
}

// csvTable reads one table of a CSV export as rows keyed by column.
func csvTable(t *testing.T, path, name string) []map[string]string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != name {
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		recs, err := csv.NewReader(rc).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		var out []map[string]string
		for _, rec := range recs[1:] {
			row := map[string]string{}
			for i, col := range recs[0] {
				row[col] = rec[i]
			}
			out = append(out, row)
		}
		return out
	}
	t.Fatalf("%s holds no %s", path, name)
	return nil
}

// people maps the people of an export's entities table to their
// spellings.
func people(t *testing.T, path string) map[string][]string {
	t.Helper()
	out := map[string][]string{}
	for _, e := range csvTable(t, path, "entities.csv") {
		if e["kind"] == "PERSON" {
			out[e["name"]] = append(out[e["name"]], append([]string{e["name"]}, strings.Split(e["alias"], "; ")...)...)
		}
	}
	return out
}

// TestExportImportCSV exports the sample case to CSV, imports it into an
// empty data folder and exports that: the same people with the same
// names, every evidence sentence and incident; an import again adds
// nothing; a user's export holds only their agency's collections and is
// audited under their name; a bad file is refused whole.
func TestExportImportCSV(t *testing.T) {
	db := sampleCase(t)
	dir := t.TempDir()
	out := filepath.Join(dir, "case.zip")
	stdout, errs, code := runMosaic(t, "export", "csv", "--db", db, "--out", out)
	if code != 0 || !strings.Contains(stdout, "entities") || !strings.Contains(stdout, "6 collections") {
		t.Fatalf("export: exit %d\n%s%s", code, stdout, errs)
	}

	db2 := filepath.Join(dir, "db2")
	stdout, errs, code = runMosaic(t, "import", "csv", out, "--db", db2, "--collection", "from-csv")
	if code != 0 || !strings.Contains(stdout, "stored in from-csv") {
		t.Fatalf("import: exit %d\n%s%s", code, stdout, errs)
	}
	if strings.Contains(stdout, "left out") {
		t.Errorf("importing Mosaic's own export left something out: %q", stdout)
	}
	again, errs, code := runMosaic(t, "import", "csv", out, "--db", db2, "--collection", "from-csv")
	if code != 0 || !strings.Contains(again, "(0 new)") || !strings.Contains(again, "0 new incidents") {
		t.Errorf("second import: exit %d, want nothing new\n%s%s", code, again, errs)
	}
	out2 := filepath.Join(dir, "case2.zip")
	if stdout, errs, code := runMosaic(t, "export", "csv", "--db", db2, "--out", out2); code != 0 {
		t.Fatalf("export of the import: exit %d\n%s%s", code, stdout, errs)
	}
	// People: each with every spelling (an incident's actor may add
	// one: the name as the incident writes it).
	before, after := people(t, out), people(t, out2)
	for name, spellings := range before {
		for _, s := range spellings {
			if !slices.Contains(after[name], s) {
				t.Errorf("%s: spelling %q lost in the round trip (now %q)", name, s, after[name])
			}
		}
	}
	sentences := func(path string) map[string]bool {
		out := map[string]bool{}
		for _, r := range csvTable(t, path, "links.csv") {
			out[r["evidence"]] = true
		}
		return out
	}
	s1, s2 := sentences(out), sentences(out2)
	for s := range s1 {
		if !s2[s] {
			t.Errorf("evidence sentence lost: %q", s)
		}
	}
	incidents := func(path string) []string {
		var out []string
		for _, r := range csvTable(t, path, "incidents.csv") {
			out = append(out, r["date"]+" "+r["city"]+" "+r["killed"]+" "+r["summary"])
		}
		slices.Sort(out)
		return out
	}
	if i1, i2 := incidents(out), incidents(out2); !slices.Equal(i1, i2) || len(i1) == 0 {
		t.Errorf("incidents after the round trip:\n%q\nwant\n%q", i2, i1)
	}
	// Provenance: the imported documents' source names the file.
	for _, r := range csvTable(t, out2, "links.csv")[:5] {
		if !strings.HasPrefix(r["source"], out+"#") {
			t.Errorf("imported evidence from %q, want %s#object", r["source"], out)
		}
	}

	// A user of one agency exports what that agency holds, and the audit
	// log says who.
	if _, errs, code := runMosaic(t, "user", "add", "--db", db, "--agency", "Open Source Desk", "--role", "analyst", "osd-reader"); code != 0 {
		t.Fatalf("user add: %s", errs)
	}
	scoped := filepath.Join(dir, "osd.zip")
	if stdout, errs, code := runMosaic(t, "export", "csv", "--db", db, "--as", "osd-reader", "--out", scoped); code != 0 || !strings.Contains(stdout, "2 collections") {
		t.Fatalf("export --as: exit %d\n%s%s", code, stdout, errs)
	}
	for _, r := range csvTable(t, scoped, "links.csv") {
		for _, c := range strings.Split(r["collections"], "; ") {
			if !strings.HasPrefix(c, "osd-") {
				t.Errorf("the Open Source Desk's export cites a document of %s: %q", c, r["evidence"])
			}
		}
	}
	if len(people(t, scoped)) >= len(before) {
		t.Errorf("the Open Source Desk's export has %d people, the whole case %d", len(people(t, scoped)), len(before))
	}
	stdout, _, _ = runMosaic(t, "audit", "list", "--db", db, "--json")
	var log struct {
		Entries []store.AuditEntry `json:"entries"`
	}
	if err := json.Unmarshal([]byte(stdout), &log); err != nil {
		t.Fatal(err)
	}
	var exports []string
	for _, a := range log.Entries {
		if a.Action == "export" {
			exports = append(exports, a.User+"@"+a.Agency+" "+a.Object+" "+a.Outcome)
		}
	}
	// Each export is logged as begun, before a byte of it is written, and
	// then as ok.
	if len(exports) != 4 || !strings.HasSuffix(exports[0], " begun") || !strings.HasSuffix(exports[1], " ok") ||
		exports[2] != "osd-reader@Open Source Desk csv as=osd-reader out="+scoped+" begun" ||
		exports[3] != "osd-reader@Open Source Desk csv as=osd-reader out="+scoped+" ok" {
		t.Errorf("audited exports %q, want two, each begun then ok, the second by osd-reader", exports)
	}
	// A refused export is logged too, under whoever asked.
	if _, errs, code := runMosaic(t, "export", "csv", "--db", db, "--as", "nobody-here", "--out", scoped); code != 1 || !strings.Contains(errs, "--as nobody-here") {
		t.Errorf("export as an unknown user: exit %d: %s", code, errs)
	}
	if _, errs, code := runMosaic(t, "export", "csv", "--db", db, "--hops", "2"); code != 1 || !strings.Contains(errs, "--entity") {
		t.Errorf("--hops without --entity: exit %d: %s", code, errs)
	}
	stdout, _, _ = runMosaic(t, "audit", "list", "--db", db, "--json")
	if !strings.Contains(stdout, `csv as=nobody-here`) || !strings.Contains(stdout, `refused: --as nobody-here`) || !strings.Contains(stdout, `refused: --hops counts links`) {
		t.Errorf("refused exports not in the audit log: %s", stdout)
	}

	// A file that cannot be written is named, and none is left.
	missing := filepath.Join(dir, "no-such-folder", "case.zip")
	if _, errs, code := runMosaic(t, "export", "csv", "--db", db, "--out", missing); code != 1 || !strings.Contains(errs, "export: "+missing+": ") {
		t.Errorf("export to a folder that does not exist: exit %d, %q; want 1 naming %s", code, errs, missing)
	}

	// One entity's neighbourhood, to standard output.
	zipped, errs, code := runMosaic(t, "export", "csv", "--db", db, "--entity", "Karim Bouzidi", "--hops", "1")
	if code != 0 || !strings.Contains(errs, "is entity") {
		t.Fatalf("export --entity: exit %d\n%s", code, errs)
	}
	hood := filepath.Join(dir, "hood.zip")
	if err := os.WriteFile(hood, []byte(zipped), 0o644); err != nil {
		t.Fatal(err)
	}
	n := len(csvTable(t, hood, "entities.csv"))
	if n < 3 || n >= len(csvTable(t, out, "entities.csv")) {
		t.Errorf("Karim Bouzidi's neighbourhood has %d entities", n)
	}

	// A file that cannot be read is refused, naming it and the row, and
	// nothing is stored.
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("from,to,type,evidence\nA,B,contact,A met B.\nC,D,befriended,C and D.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	db3 := filepath.Join(dir, "db3")
	_, errs, code = runMosaic(t, "import", "csv", bad, "--db", db3)
	if code != 1 || !strings.Contains(errs, bad) || !strings.Contains(errs, "row 3, column type") {
		t.Errorf("bad import: exit %d, want 1 naming the file and row\n%s", code, errs)
	}
	if _, err := os.Stat(filepath.Join(db3)); err == nil {
		t.Errorf("a refused import made a data folder")
	}

	// A spreadsheet with its own headers, mapped.
	sheet := filepath.Join(dir, "met.csv")
	if err := os.WriteFile(sheet, []byte("Who,Whom,Said,Remarks\nZakaria Mansour,Karim Bouzidi,Mansour says he met Karim Bouzidi twice.,check\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	stdout, errs, code = runMosaic(t, "import", "csv", sheet, "--db", db3, "--map", "Who=from", "--map", "Whom=to", "--map", "Said=evidence")
	if code != 0 || !strings.Contains(stdout, "2 entities, 1 link, 0 incidents read") || !strings.Contains(stdout, "stored in met") ||
		!strings.Contains(stdout, sheet+`: left out 1 column "Remarks"`) {
		t.Errorf("import --map: exit %d, want the column it read as no field named\n%s%s", code, stdout, errs)
	}
}
