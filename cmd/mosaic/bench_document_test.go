package main

import (
	"encoding/json"
	"testing"
)

// TestBenchDocument runs the benchmark on one small file, its ingestion in
// a child process as always (this test binary, running main).
func TestBenchDocument(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and ingests a 1.2 MB file")
	}
	t.Setenv("MOSAIC_TEST_MAIN", "1") // the child runs main, not the tests
	out, errOut, code := runMosaic(t, "bench", "document", "--mb", "1.2", "--resolve=false", "--json", "--dir", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []benchDocRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	r := rows[0]
	// 1.2 MB in parts of 512 KiB; a chat line names two or three people.
	if r.MB < 1.2 || r.MB > 1.21 || r.Parts != 3 || r.Documents != 3 || r.Mentions < 50_000 || r.Warnings != 0 || r.Resolved {
		t.Errorf("row %+v", r)
	}
	if r.PeakRSSMB <= 0 || r.Seconds <= 0 || r.SearchHits != r.Parts || r.Query != benchQuery {
		t.Errorf("measurements %+v", r)
	}
}
