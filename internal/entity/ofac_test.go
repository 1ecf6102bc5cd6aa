package entity

import (
	"os"
	"path/filepath"
	"testing"
)

// ofacDir is the OFAC data beside the repository: ../shared/data/ofac.
var ofacDir = filepath.Join("..", "..", "..", "shared", "data", "ofac")

func loadOFAC(t testing.TB) []BenchName {
	t.Helper()
	if _, err := os.Stat(filepath.Join(ofacDir, "sdn.csv")); err != nil {
		t.Skipf("OFAC data not found at %s (it lives in ../shared beside the repository): %v", ofacDir, err)
	}
	bench, err := LoadOFAC(ofacDir)
	if err != nil {
		t.Fatal(err)
	}
	return bench
}

// minF1 is the regression floor for B-cubed F1 on the OFAC benchmark, a
// little under the 0.721 measured (exact matching scores 0.411); the
// floors per kind sit under the 0.786 of individuals and the 0.638 of
// organisations.
const (
	minF1       = 0.715
	minF1Person = 0.78
	minF1Org    = 0.63
)

// TestOFAC scores Dedupe on the counter-terrorism entries of the OFAC list
// in ../shared (mosaic eval dedupe prints the same figures).
func TestOFAC(t *testing.T) {
	bench := loadOFAC(t)
	r := Evaluate(bench)
	t.Logf("names %d entries %d clusters %d: P %.4f R %.4f F1 %.4f (baseline P %.4f R %.4f F1 %.4f) in %.2fs",
		len(bench), r.Entries, r.Clusters, r.Precision, r.Recall, r.F1, r.Baseline.Precision, r.Baseline.Recall, r.Baseline.F1, r.Seconds)
	for k, s := range r.PerKind {
		b := r.BaselinePerKind[k]
		t.Logf("%-10s names %4d: P %.4f R %.4f F1 %.4f (baseline F1 %.4f)", k, s.Names, s.Precision, s.Recall, s.F1, b.F1)
	}
	if len(bench) != 1789+5173 || r.Entries != 1789 {
		t.Errorf("loaded %d names of %d entries, want 6962 of 1789", len(bench), r.Entries)
	}
	if r.Baseline.F1 < 0.40 || r.Baseline.F1 > 0.42 {
		t.Errorf("baseline F1 %.4f, want 0.41", r.Baseline.F1)
	}
	if r.F1 < minF1 {
		t.Errorf("F1 %.4f below the floor %.2f", r.F1, minF1)
	}
	if s := r.PerKind["individual"]; s.F1 < minF1Person {
		t.Errorf("individuals: F1 %.4f below the floor %.2f", s.F1, minF1Person)
	}
	if s := r.PerKind["entity"]; s.F1 < minF1Org {
		t.Errorf("organisations: F1 %.4f below the floor %.2f", s.F1, minF1Org)
	}
}
