package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// tinyCoNLL writes a small fictional corpus in CoNLL-2003 layout, repeated
// so that a few epochs can learn it.
func tinyCoNLL(t *testing.T, dir string) string {
	t.Helper()
	sentences := []string{
		"Karim NNP B-NP I-PER\nBenali NNP I-NP I-PER\nmet VBD B-VP O\nofficials NNS B-NP O\nin IN B-PP O\nLiege NNP B-NP I-LOC\n. . O O",
		"The DT B-NP O\nHarbour NNP I-NP I-ORG\nBrigade NNP I-NP I-ORG\nclaimed VBD B-VP O\nthe DT B-NP O\nattack NN I-NP O\n. . O O",
		"Nadia NNP B-NP I-PER\nFerhat NNP I-NP I-PER\ntravelled VBD B-VP O\nto TO B-PP O\nAntwerp NNP B-NP I-LOC\n. . O O",
	}
	var b strings.Builder
	for range 20 {
		b.WriteString("-DOCSTART- -X- -X- O\n\n")
		for _, s := range sentences {
			b.WriteString(s + "\n\n")
		}
	}
	path := filepath.Join(dir, "tiny.conll")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestTrainAndEvalNER(t *testing.T) {
	dir := t.TempDir()
	data := tinyCoNLL(t, dir)
	model := filepath.Join(dir, "model.gz")
	_, errs, code := runMosaic(t, "train", "ner", "--conll", data, "--dev", data, "--out", model, "--epochs", "3")
	if code != 0 {
		t.Fatalf("train: exit %d\n%s", code, errs)
	}
	out, errs, code := runMosaic(t, "eval", "ner", "--conll", data, "--model", model, "--json")
	if code != 0 {
		t.Fatalf("eval: exit %d\n%s", code, errs)
	}
	var got struct {
		Precision, Recall, F1 *float64
		PerType               map[string]struct{ F1 float64 } `json:"per_type"`
		TokensPerSecond       *float64                        `json:"tokens_per_second"`
	}
	if err := json.Unmarshal([]byte(out), &got); err != nil {
		t.Fatalf("eval --json: %v\n%s", err, out)
	}
	if got.Precision == nil || got.Recall == nil || got.F1 == nil || got.TokensPerSecond == nil || *got.TokensPerSecond <= 0 {
		t.Fatalf("eval --json lacks a figure: %s", out)
	}
	// A model trained on the very sentences it is scored on must get them
	// right; anything less means training or scoring is broken.
	if *got.F1 < 0.99 {
		t.Errorf("F1 on its own training data = %.3f", *got.F1)
	}
	for _, typ := range []string{"PER", "ORG", "LOC"} {
		if _, ok := got.PerType[typ]; !ok {
			t.Errorf("per_type lacks %s: %s", typ, out)
		}
	}
	if _, errs, code := runMosaic(t, "eval", "ner", "--conll", filepath.Join(dir, "absent.conll")); code == 0 || !strings.Contains(errs, "absent.conll") {
		t.Errorf("missing file: exit %d, %s", code, errs)
	}
}
