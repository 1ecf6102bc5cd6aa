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
	"mosaic/internal/exchange/stix"
	"mosaic/internal/exchange/stix/stixcheck"
)

// stixLines describes a case's entities with every spelling
// (caseSpellings) and its links with each sentence (caseEvidence), by
// names, so that cases whose keys differ compare.
func stixLines(c exchange.Case) (entities, links []string) {
	return caseSpellings(c), caseEvidence(c)
}

// TestSTIXSampleCase: the sample case exports to a STIX 2.1 bundle that
// the official schemas and the rules they cannot express accept, the same
// bytes every time; and the bundle imported into an empty database brings
// back the same entities (people, groups, places) with every spelling,
// the same links with each sentence, and the same incidents.
func TestSTIXSampleCase(t *testing.T) {
	db, want := readSampleCase(t)
	var buf bytes.Buffer
	if err := stix.Write(&buf, want); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	t.Logf("%d entities, %d links, %d incidents, %d documents: %d bytes of STIX",
		len(want.Entities), len(want.Links), len(want.Incidents), len(want.Documents), len(data))

	t.Run("valid", func(t *testing.T) {
		ch, err := stixcheck.Load("../../../shared/data/stix2-schemas/schemas")
		if errors.Is(err, stixcheck.ErrNoSchemas) {
			t.Skip("../shared/data/stix2-schemas not found: the STIX 2.1 schemas live beside the checkout")
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, err := range ch.Check(data) {
			t.Error(err)
		}
	})

	t.Run("deterministic", func(t *testing.T) {
		var again bytes.Buffer
		if err := stix.Write(&again, readCase(t, db)); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(again.Bytes(), data) {
			t.Error("a second export of the sample case differs from the first")
		}
	})

	t.Run("round trip", func(t *testing.T) {
		const file = "case.stix.json"
		var rd stix.Reader
		read, err := rd.Read(bytes.NewReader(data), file)
		if err != nil {
			t.Fatal(err)
		}
		if rd.Skipped.Total() != 0 {
			t.Errorf("reading Mosaic's own bundle skipped %s", rd.Skipped)
		}
		// The bundle holds the case: read back, it is the case written.
		re, rl := stixLines(read)
		we, wl := stixLines(want)
		if !slices.Equal(re, we) {
			t.Errorf("the bundle read back: entities and their spellings differ:\n%s", diffLines(re, we))
		}
		if !slices.Equal(rl, wl) {
			t.Errorf("the bundle read back: links differ:\n%s", diffLines(rl, wl))
		}
		// Imported into an empty database, the bundle gives what the case
		// itself loaded there gives: the format loses nothing Load keeps.
		got, stats := importCase(t, read, file)
		t.Logf("imported: %+v", stats)
		direct, _ := importCase(t, want, file)
		ge, gl := stixLines(got)
		de, dl := stixLines(direct)
		if !slices.Equal(ge, de) {
			t.Errorf("imported: entities and their spellings differ:\n%s", diffLines(ge, de))
		}
		if !slices.Equal(gl, dl) {
			t.Errorf("imported: links differ:\n%s", diffLines(gl, dl))
		}
		if gi, di := caseIncidents(got), caseIncidents(direct); !slices.Equal(gi, di) || len(gi) != len(want.Incidents) {
			t.Errorf("imported: %d incidents, the case %d; they differ:\n%s", len(gi), len(want.Incidents), diffLines(gi, di))
		}
		for _, d := range got.Documents {
			if !strings.HasPrefix(d.Source, file+"#") {
				t.Errorf("imported document %q has source %q, want %s#object", d.Title, d.Source, file)
			}
		}
	})

	t.Run("scope", func(t *testing.T) {
		// The whole store marks what the SECRET intercepts support; a
		// viewer cleared to CONFIDENTIAL exports none of it.
		secret := `"x_mosaic_classification": "SECRET"`
		if !bytes.Contains(data, []byte(secret)) || !bytes.Contains(data, []byte(`"x_mosaic_collection": "dib-intercepts"`)) {
			t.Fatal("the whole store's export has no marking for the SECRET intercepts")
		}
		file := filepath.Join(t.TempDir(), "viewer.json")
		if out, errs, code := runMosaic(t, "export", "stix", "--db", db, "--as", "dib-viewer", "--out", file); code != 0 {
			t.Fatalf("export --as dib-viewer: exit %d\n%s%s", code, out, errs)
		}
		viewer, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(viewer, []byte("dib-intercepts")) || bytes.Contains(viewer, []byte(secret)) {
			t.Error("a CONFIDENTIAL viewer's export holds the SECRET intercepts")
		}
		read, err := stix.Read(bytes.NewReader(viewer), file)
		if err != nil {
			t.Fatal(err)
		}
		if len(read.Entities) == 0 || len(read.Entities) >= len(want.Entities) {
			t.Errorf("the viewer's export has %d entities, the whole store's %d", len(read.Entities), len(want.Entities))
		}
	})

	t.Run("command", func(t *testing.T) {
		file := filepath.Join(t.TempDir(), "case.stix.json")
		if out, errs, code := runMosaic(t, "export", "stix", "--db", db, "--out", file); code != 0 {
			t.Fatalf("export: exit %d\n%s%s", code, out, errs)
		}
		written, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(written, data) {
			t.Error("mosaic export stix wrote other bytes than the case read and written here")
		}
		dst := t.TempDir()
		out, errs, code := runMosaic(t, "import", "stix", file, "--db", dst)
		if code != 0 {
			t.Fatalf("import: exit %d\n%s%s", code, out, errs)
		}
		if want := fmt.Sprintf("%s: %d entities, %d links, %d incidents read", file, len(want.Entities), len(want.Links), len(want.Incidents)); !strings.Contains(out, want) {
			t.Errorf("import said %q, want %q", out, want)
		}
		before, _ := stixLines(readCase(t, dst))
		// A damaged bundle is refused, naming the file and the reason,
		// and what the store holds stays.
		bad := filepath.Join(t.TempDir(), "cut.json")
		if err := os.WriteFile(bad, written[:len(written)/2], 0o644); err != nil {
			t.Fatal(err)
		}
		_, errs, code = runMosaic(t, "import", "stix", bad, "--db", dst)
		if code == 0 || !strings.Contains(errs, bad+": invalid case: not a STIX bundle") {
			t.Errorf("importing half a bundle: exit %d, %q", code, errs)
		}
		if after, _ := stixLines(readCase(t, dst)); !slices.Equal(after, before) || len(after) == 0 {
			t.Errorf("a refused import changed the store: %d entities before, %d after", len(before), len(after))
		}
	})
}
