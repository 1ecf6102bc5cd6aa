package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestIngestWarnsOfNULBytes: a text file with NUL bytes in it is stored,
// its text around them searchable, and the run names the file and what was
// read as spaces, and exits 1, beside a clean file that lands as usual.
func TestIngestWarnsOfNULBytes(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	in := filepath.Join(dir, "in")
	writeFile(t, filepath.Join(in, "clean.txt"), "The courier met the buyer in Lyon.\n")
	if err := os.WriteFile(filepath.Join(in, "log.txt"), []byte("Call log 4\n\nThe buyer phoned Ghent twice.\x00 The log ends here.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "logs", in)
	if code != 1 || !strings.Contains(errs, "warning: "+filepath.Join(in, "log.txt")+": stored, but 1 NUL bytes in the text, read as spaces") ||
		!strings.Contains(out, "2 files, 2 documents (2 new)") || !strings.Contains(out, "1 with warnings") {
		t.Errorf("ingest: exit %d\n%s\n%s", code, out, errs)
	}
	if out, _, _ := runMosaic(t, "search", "--db", db, `"log ends here"`); !strings.Contains(out, "1 documents match") {
		t.Errorf("the text after the NUL byte is not searchable:\n%s", out)
	}
}
