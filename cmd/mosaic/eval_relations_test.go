package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestEvalRelations runs mosaic eval relations on CoNLL04's dev split and
// wants each setting above a floor just under what it scores: the
// classifier and Relate with gold mentions, Relate end to end, and the
// baseline they must beat. It skips without ../shared.
func TestEvalRelations(t *testing.T) {
	path := "../../../shared/data/conll04/dev.json"
	f1, p := evalRelations(t, "--conll04", path)
	for key, floor := range map[string]float64{
		"gold/co-occurrence":       0.34,
		"gold/model":               0.71,
		"gold/relate":              0.57,
		"end to end/co-occurrence": 0.30,
		"end to end/relate":        0.42,
	} {
		if f1[key] < floor {
			t.Errorf("%s: F1 %.3f, floor %.2f", key, f1[key], floor)
		}
	}
	if p["gold/relate"] < 0.7 || p["gold/relate"] <= p["gold/co-occurrence"] {
		t.Errorf("relate precision %.3f with gold mentions; want at least 0.7, above co-occurrence's %.3f", p["gold/relate"], p["gold/co-occurrence"])
	}

	out, _, code := runMosaic(t, "eval", "relations", "--conll04", path)
	if code != 0 || !strings.Contains(out, "end to end") || !strings.Contains(out, "all-gold recall") {
		t.Errorf("text report (exit %d):\n%s", code, out)
	}
	if _, _, code := runMosaic(t, "eval", "relations", "--conll04", path, "--redocred", path); code == 0 {
		t.Error("both corpora at once accepted")
	}
}

// TestEvalRelationsReDocRED does the same on Re-DocRED's test split, scored
// at the level of entity pairs.
func TestEvalRelationsReDocRED(t *testing.T) {
	if testing.Short() {
		t.Skip("reads and extracts 500 documents")
	}
	f1, _ := evalRelations(t, "--redocred", "../../../shared/data/redocred/test.json")
	for key, floor := range map[string]float64{
		"gold/co-occurrence": 0.31,
		"gold/model":         0.56,
		"gold/relate":        0.54,
		"end to end/relate":  0.42,
	} {
		if f1[key] < floor {
			t.Errorf("%s: F1 %.3f, floor %.2f", key, f1[key], floor)
		}
	}
	if f1["gold/relate"] <= f1["gold/co-occurrence"] || f1["end to end/relate"] <= f1["end to end/co-occurrence"] {
		t.Errorf("relate does not beat co-occurrence: %v", f1)
	}
}

// evalRelations runs mosaic eval relations --json on a corpus file (skipping
// the test when ../shared is absent) and returns each setting's overall F1
// and precision, keyed "entities/setting".
func evalRelations(t *testing.T, flag, path string) (f1, precision map[string]float64) {
	t.Helper()
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not found: the annotated corpora live in ../shared/data beside the checkout", filepath.Clean(path))
	}
	out, errs, code := runMosaic(t, "eval", "relations", flag, path, "--json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r relationReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	f1, precision = map[string]float64{}, map[string]float64{}
	for _, s := range r.Settings {
		key := s.Entities + "/" + s.Name
		f1[key], precision[key] = s.Scores[0].F1, s.Scores[0].P
	}
	t.Logf("%s F1 %v", filepath.Base(path), f1)
	return f1, precision
}
