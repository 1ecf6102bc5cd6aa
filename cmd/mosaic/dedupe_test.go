package main

import (
	"encoding/csv"
	"path/filepath"
	"strings"
	"testing"
)

func TestDedupeCSV(t *testing.T) {
	path := filepath.Join(t.TempDir(), "names.csv")
	writeFile(t, path, strings.Join([]string{
		"id,name",
		"1,Abdelkader el-Haddouchi",
		"2,Abd al-Qadir al-Haddushi",
		`3,"BOUZIDI, Karim"`,
		"4,Karim Bouzidi",
		"5,Nadia Ferhat",
		`6,"unclosed quote`,
		"7,Mohammed Ali Shakir",
		"8,Muhammad Ali Shakir",
	}, "\n")+"\n")
	out, errs, code := runMosaic(t, "dedupe", "--csv", path, "--kind", "person")
	if code != 0 {
		t.Fatalf("dedupe: exit %d\n%s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatalf("output is not CSV: %v\n%s", err, out)
	}
	cluster := map[string]string{}
	for _, r := range rows[1:] {
		cluster[r[0]] = r[1]
	}
	if rows[0][0] != "id" || rows[0][1] != "cluster" {
		t.Errorf("header %v", rows[0])
	}
	same := func(a, b string) bool { return cluster[a] != "" && cluster[a] == cluster[b] }
	for _, pair := range [][2]string{{"1", "2"}, {"3", "4"}, {"7", "8"}} {
		if !same(pair[0], pair[1]) {
			t.Errorf("rows %s and %s are one person but got clusters %q and %q", pair[0], pair[1], cluster[pair[0]], cluster[pair[1]])
		}
	}
	for _, other := range []string{"1", "3", "7"} {
		if same("5", other) {
			t.Errorf("Nadia Ferhat clustered with row %s", other)
		}
	}
	if same("1", "3") || same("1", "7") || same("3", "7") {
		t.Errorf("different people share a cluster: %v", cluster)
	}
	if !strings.Contains(errs, "names.csv:7:") {
		t.Errorf("the malformed row is not reported by line:\n%s", errs)
	}
}
