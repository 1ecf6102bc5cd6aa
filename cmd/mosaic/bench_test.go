package main

import (
	"encoding/json"
	"strings"
	"testing"

	"mosaic/internal/ingest"
)

// TestBenchIngest runs the ingest benchmark on a small generated corpus
// with resolution: every document stored, read by the default number of
// workers for a run that resolves in transactions of ingest's default size,
// and the CPU time it reports no more than its CPUs could give in the time
// it took. --batch 0 is refused.
func TestBenchIngest(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and ingests 60 documents")
	}
	out, errOut, code := runMosaic(t, "bench", "ingest", "--docs", "60", "--json", "--dir", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var rows []benchRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil || len(rows) != 1 {
		t.Fatalf("%v: %s", err, out)
	}
	r := rows[0]
	if r.Documents != 60 || r.Mentions == 0 || r.Seconds <= 0 || r.StoreSizeMB <= 0 {
		t.Errorf("row %+v", r)
	}
	if r.Batch != ingest.DefaultBatchDocs {
		t.Errorf("wrote in transactions of %d documents; ingest's default is %d", r.Batch, ingest.DefaultBatchDocs)
	}
	if _, errOut, code := runMosaic(t, "bench", "ingest", "--docs", "60", "--batch", "0"); code == 0 || !strings.Contains(errOut, "--batch must be at least 1") {
		t.Errorf("--batch 0: exit %d, %s", code, errOut)
	}
	if r.Workers != ingest.DefaultWorkers(true) {
		t.Errorf("read with %d workers; a run that resolves reads with %d unless told", r.Workers, ingest.DefaultWorkers(true))
	}
	if _, measured := cpuTime(); measured && r.CPUMsPerDoc <= 0 {
		t.Errorf("no CPU time measured: %+v", r)
	}
	// Over the run, the process cannot have used more CPU than its CPUs
	// give in that time (a little slack for the clocks' grain).
	if used, most := r.CPUMsPerDoc*float64(r.Documents), r.Seconds*1e3*float64(r.CPUs)*1.05+20; used > most {
		t.Errorf("%.0f ms of CPU in %.2f s on %d CPUs", used, r.Seconds, r.CPUs)
	}
}
