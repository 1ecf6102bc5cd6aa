package main

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mosaic/internal/graph"
)

// wire makes sure the command table lists a command, for as long as the
// test runs, so that tests go through run like a command line does.
func wire(t *testing.T, name string, run func(context.Context, *env, []string) error) {
	t.Helper()
	if _, ok := commands[name]; ok {
		return
	}
	commands[name] = command{"", run}
	t.Cleanup(func() { delete(commands, name) })
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestAnalyzeJSON(t *testing.T) {
	wire(t, "analyze", runAnalyze)
	// Two triangles joined by the bridge c-d, with a comment, a weight
	// column and a repeated edge.
	path := filepath.Join(t.TempDir(), "two.tsv")
	writeFile(t, path, "# two triangles\na\tb\nb\tc\na\tc\t1\n\nd\te\ne\tf\nd\tf\nc\td\nb\ta\t0\n")
	out, errs, code := runMosaic(t, "analyze", "--edges", path, "--json")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var a graph.Report
	if err := json.Unmarshal([]byte(out), &a); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if a.Nodes != 6 || a.Edges != 7 || a.TotalWeight != 7 {
		t.Errorf("%d nodes, %d edges, weight %v; want 6, 7, 7", a.Nodes, a.Edges, a.TotalWeight)
	}
	c := a.Communities
	if c.Count != 2 || len(c.Largest) != 2 || c.Largest[0].Size != 3 || c.Largest[1].Size != 3 {
		t.Fatalf("communities %+v, want two of three", c)
	}
	// Q = 2(6/14 − (7/14)²) = 5/14 for the split at the bridge.
	if c.Modularity < 0.357 || c.Modularity > 0.358 {
		t.Errorf("modularity %v, want 5/14", c.Modularity)
	}
	nodes := func(ls []graph.Label) []string {
		var out []string
		for _, l := range ls {
			out = append(out, l.Node)
		}
		return slices.Sorted(slices.Values(out))
	}
	sides := [][]string{nodes(c.Largest[0].Members), nodes(c.Largest[1].Members)}
	slices.SortFunc(sides, func(x, y []string) int { return strings.Compare(x[0], y[0]) })
	if !slices.Equal(sides[0], []string{"a", "b", "c"}) || !slices.Equal(sides[1], []string{"d", "e", "f"}) {
		t.Errorf("communities %v, want a b c and d e f", sides)
	}
	// c and d each lie on the paths between their triangle's other two
	// nodes and the three across the bridge: 6 pairs each.
	bt := a.Betweenness
	if bt.Sampled || bt.Sources != 6 || len(bt.Top) != 6 {
		t.Fatalf("betweenness %+v, want exact from 6 sources", bt)
	}
	top := []string{bt.Top[0].Node, bt.Top[1].Node}
	slices.Sort(top)
	if !slices.Equal(top, []string{"c", "d"}) || bt.Top[0].Score != 6 || bt.Top[1].Score != 6 || bt.Top[2].Score != 0 {
		t.Errorf("betweenness top %+v, want c and d with 6", bt.Top[:3])
	}
	for name, r := range map[string][]graph.RankedLabel{"degree": a.Degree, "pagerank": a.PageRank, "eigenvector": a.Eigenvector} {
		if len(r) != 6 {
			t.Fatalf("%s: %d nodes", name, len(r))
		}
		if got := []string{r[0].Node, r[1].Node}; !slices.Contains(got, "c") || !slices.Contains(got, "d") {
			t.Errorf("%s ranks %v first, want c and d", name, got)
		}
	}
	if a.Degree[0].Score != 3 || a.Degree[5].Score != 2 {
		t.Errorf("degree ranking %+v", a.Degree)
	}
	var sum float64
	for _, r := range a.PageRank {
		sum += r.Score
	}
	if sum < 0.999999 || sum > 1.000001 {
		t.Errorf("PageRank sums to %v", sum)
	}
}

func TestAnalyzeText(t *testing.T) {
	wire(t, "analyze", runAnalyze)
	dir := t.TempDir()
	path := filepath.Join(dir, "chain.tsv")
	writeFile(t, path, "Abu Suhail\tKarim Bouzidi\nKarim Bouzidi\tNadia Ferhat\n")
	members := filepath.Join(dir, "members.tsv")
	out, errs, code := runMosaic(t, "analyze", "--edges", path, "--top", "2", "--communities", members)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	for _, want := range []string{"3 nodes, 2 edges", "Betweenness, exact:", "1  Karim Bouzidi  1.0", "PageRank:"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	lines := strings.Split(strings.TrimSpace(readFile(t, members)), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "Abu Suhail\t") {
		t.Errorf("membership file:\n%s", strings.Join(lines, "\n"))
	}
}

func TestAnalyzeErrors(t *testing.T) {
	wire(t, "analyze", runAnalyze)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.tsv")
	writeFile(t, bad, "a\tb\n# fine\nc d\n")
	notUTF8 := filepath.Join(dir, "latin1.tsv")
	writeFile(t, notUTF8, "a\tb\nJos\xe9\tc\n")
	tests := []struct {
		name string
		args []string
		code int
		want string
	}{
		{"malformed line", []string{"--edges", bad}, 1, "bad.tsv:3: want source<TAB>target"},
		{"not UTF-8", []string{"--edges", notUTF8}, 1, "latin1.tsv:2: not UTF-8"},
		{"missing file", []string{"--edges", filepath.Join(dir, "none.tsv")}, 1, "none.tsv"},
		{"no case loaded", []string{"--db", dir}, 1, "mosaic ingest --db"},
		{"unknown relation type", []string{"--db", dir, "--type", "contact,friendship"}, 1, `--type "friendship": want one of contact`},
		{"bad day", []string{"--db", dir, "--since", "2016-02-30"}, 1, `--since "2016-02-30": want a day`},
		{"positional argument", []string{"--edges", bad, "extra"}, exitUsage, "Usage: mosaic analyze"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, errs, code := runMosaic(t, append([]string{"analyze"}, tt.args...)...)
			if code != tt.code || !strings.Contains(errs, tt.want) || out != "" {
				t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit %d and %q", code, out, errs, tt.code, tt.want)
			}
		})
	}
}

func TestBenchGraphJSON(t *testing.T) {
	wire(t, "bench-graph", runBenchGraph)
	edges := filepath.Join(t.TempDir(), "g.tsv")
	out, errs, code := runMosaic(t, "bench-graph", "--nodes", "2000", "--edges", "10000", "--queries", "50",
		"--samples", "20", "--json", "--write-edges", edges)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var row benchGraphRow
	if err := json.Unmarshal([]byte(out), &row); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	if row.Nodes != 2000 || row.Edges != 10000 || row.Queries != 50 || row.BetweennessSources != 20 {
		t.Errorf("row %+v", row)
	}
	if row.Modularity < 0.5 || row.Communities < 10 || row.PathHops < 1 || row.Within.P95 < row.Within.P50 {
		t.Errorf("implausible figures: %+v", row)
	}
	if n := strings.Count(readFile(t, edges), "\n"); n != 10000 {
		t.Errorf("edge file has %d lines, want 10000", n)
	}
}
