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

// TestTrainAndEvalNERCorpora trains with the other corpora beside
// CoNLL-2003 — tiny invented files in the Re-DocRED and CoNLL04 layouts —
// and scores each with eval ner.
func TestTrainAndEvalNERCorpora(t *testing.T) {
	dir := t.TempDir()
	data := tinyCoNLL(t, dir)
	redocred := filepath.Join(dir, "redocred.json")
	conll04 := filepath.Join(dir, "conll04.json")
	var rd, c4 []string
	for range 10 {
		rd = append(rd, `{"title": "Harbour", "sents": [["Karim", "Benali", "left", "Liege", "in", "1990", "."], ["Benali", "joined", "the", "Harbour", "Brigade", "."]],
		 "vertexSet": [[{"name": "Karim Benali", "pos": [0, 2], "sent_id": 0, "type": "PER"}, {"name": "Benali", "pos": [0, 1], "sent_id": 1, "type": "PER"}],
		  [{"name": "Liege", "pos": [3, 4], "sent_id": 0, "type": "LOC"}], [{"name": "1990", "pos": [5, 6], "sent_id": 0, "type": "TIME"}],
		  [{"name": "Harbour Brigade", "pos": [3, 5], "sent_id": 1, "type": "ORG"}]],
		 "labels": [{"h": 0, "t": 3, "r": "P463", "evidence": [1]}]}`)
		c4 = append(c4, `{"tokens": ["Nadia", "Ferhat", "works", "for", "the", "Harbour", "Brigade", "in", "Antwerp", "."],
		 "tags": ["B-Peop", "L-Peop", "O", "O", "O", "B-Org", "L-Org", "O", "U-Loc", "O"],
		 "relations": [{"head": 0, "tail": 1, "type": "Work_For"}], "orig_id": 7}`)
	}
	if err := os.WriteFile(redocred, []byte("["+strings.Join(rd, ",")+"]"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(conll04, []byte("["+strings.Join(c4, ",")+"]"), 0o644); err != nil {
		t.Fatal(err)
	}
	model := filepath.Join(dir, "model.gz")
	args := []string{"train", "ner", "--conll", data, "--redocred", redocred, "--conll04", conll04, "--dev", data, "--out", model, "--epochs", "3"}
	if _, errs, code := runMosaic(t, args...); code != 0 {
		t.Fatalf("train: exit %d\n%s", code, errs)
	}
	first, err := os.ReadFile(model)
	if err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runMosaic(t, args...); code != 0 {
		t.Fatalf("train again: exit %d\n%s", code, errs)
	}
	if again, _ := os.ReadFile(model); string(again) != string(first) {
		t.Error("training twice with the same flags gave different models")
	}
	for _, flag := range []string{"--redocred", "--conll04"} {
		path := redocred
		if flag == "--conll04" {
			path = conll04
		}
		out, errs, code := runMosaic(t, "eval", "ner", flag, path, "--model", model, "--json")
		if code != 0 {
			t.Fatalf("eval %s: exit %d\n%s", flag, code, errs)
		}
		var got struct{ F1 float64 }
		if err := json.Unmarshal([]byte(out), &got); err != nil {
			t.Fatalf("eval %s --json: %v\n%s", flag, err, out)
		}
		if got.F1 < 0.99 {
			t.Errorf("eval %s: F1 %.3f on its own training data", flag, got.F1)
		}
	}
	if _, _, code := runMosaic(t, "eval", "ner", "--conll", data, "--conll04", conll04); code == 0 {
		t.Error("eval ner with two corpora: exit 0, want a usage error")
	}
	if _, errs, code := runMosaic(t, "train", "ner", "--conll", data, "--unannotated", "maybe", "--out", model); code == 0 || !strings.Contains(errs, "unannotated") {
		t.Errorf("train --unannotated maybe: exit %d, %s", code, errs)
	}
}
