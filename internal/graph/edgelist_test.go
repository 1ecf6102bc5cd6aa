package graph

import (
	"bytes"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestReadEdgeList(t *testing.T) {
	tests := []struct {
		name   string
		input  string
		labels []string
		edges  map[[2]string]float64
	}{
		{
			name:   "plain",
			input:  "alice\tbob\nbob\tcarol\n",
			labels: []string{"alice", "bob", "carol"},
			edges:  map[[2]string]float64{{"alice", "bob"}: 1, {"bob", "carol"}: 1},
		},
		{
			name:   "weights, repeats, comments, blanks, CRLF, no final newline",
			input:  "# people\r\n\r\nalice\tbob\t2.5\r\n  \nbob\talice\t0.5\n#x\ty\ncarol\talice\t1e1",
			labels: []string{"alice", "bob", "carol"},
			edges:  map[[2]string]float64{{"alice", "bob"}: 3, {"carol", "alice"}: 10},
		},
		{
			name:   "labels with spaces and scripts, trimmed",
			input:  " Abu Suhail \tعبد القادر\nАбделькадер\tAbu Suhail\n",
			labels: []string{"Abu Suhail", "عبد القادر", "Абделькадер"},
			edges:  map[[2]string]float64{{"Abu Suhail", "عبد القادر"}: 1, {"Абделькадер", "Abu Suhail"}: 1},
		},
		{
			name:   "self-loop keeps its node",
			input:  "a\ta\na\tb\t0\n",
			labels: []string{"a", "b"},
			edges:  map[[2]string]float64{{"a", "b"}: 0},
		},
		{name: "empty", input: "", labels: nil, edges: map[[2]string]float64{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, labels, err := ReadEdgeList(strings.NewReader(tt.input), "in.tsv")
			if err != nil {
				t.Fatal(err)
			}
			checkGraph(t, g)
			if !slices.Equal(labels, tt.labels) || g.Nodes() != len(labels) {
				t.Fatalf("labels %q for %d nodes, want %q", labels, g.Nodes(), tt.labels)
			}
			if g.Edges() != len(tt.edges) {
				t.Fatalf("%d edges, want %d", g.Edges(), len(tt.edges))
			}
			id := func(s string) int32 { return int32(slices.Index(labels, s)) }
			for e, w := range tt.edges {
				if got, ok := g.Weight(id(e[0]), id(e[1])); !ok || got != w {
					t.Errorf("%s-%s: weight %v, %v; want %v", e[0], e[1], got, ok, w)
				}
			}
		})
	}
}

func TestReadEdgeListErrors(t *testing.T) {
	tests := []struct {
		name, input, want string
	}{
		{"one column", "a\tb\nc\n", "in.tsv:2: want source<TAB>target[<TAB>weight], found no tab"},
		{"spaces are not tabs", "a b\n", "in.tsv:1: want source<TAB>target"},
		{"four columns", "a\tb\t1\tx\n", "in.tsv:1: want source<TAB>target[<TAB>weight], found more than three columns"},
		{"empty label", "# c\n\ta\n", "in.tsv:2: empty node label"},
		{"blank label", "a\t  \n", "in.tsv:1: empty node label"},
		{"bad weight", "a\tb\theavy\n", `in.tsv:1: weight "heavy" is not a finite non-negative number`},
		{"negative weight", "a\tb\t-1\n", "in.tsv:1: weight"},
		{"infinite weight", "a\tb\tInf\n", "in.tsv:1: weight"},
		{"NaN weight", "a\tb\tNaN\n", "in.tsv:1: weight"},
		{"not UTF-8", "a\tb\n\xff\tc\n", "in.tsv:2: not UTF-8"},
		{"line too long", "a\tb\n" + strings.Repeat("x", maxLine+1) + "\ty\n", "in.tsv:2: line longer than"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := ReadEdgeList(strings.NewReader(tt.input), "in.tsv")
			if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
				t.Errorf("error %v, want %q", err, tt.want)
			}
		})
	}
	_, _, err := ReadEdgeList(io.MultiReader(strings.NewReader("a\tb\n"), failing{}), "in.tsv")
	if !errors.Is(err, errBroken) || !strings.HasPrefix(err.Error(), "in.tsv: ") {
		t.Errorf("read failure: %v", err)
	}
}

var errBroken = errors.New("broken pipe")

type failing struct{}

func (failing) Read([]byte) (int, error) { return 0, errBroken }

func TestWriteEdgeListRoundTrip(t *testing.T) {
	g := randomGraph(50, 200, 2)
	var buf bytes.Buffer
	if err := WriteEdgeList(&buf, g, nil); err != nil {
		t.Fatal(err)
	}
	back, labels, err := ReadEdgeList(&buf, "round.tsv")
	if err != nil {
		t.Fatal(err)
	}
	if back.Edges() != g.Edges() {
		t.Fatalf("%d edges back, want %d", back.Edges(), g.Edges())
	}
	id := make(map[string]int32)
	for i, l := range labels {
		id[l] = int32(i)
	}
	for u := range int32(g.Nodes()) {
		targets, weights := g.Neighbours(u)
		for i, v := range targets {
			a, okA := id[strconv.Itoa(int(u))]
			b, okB := id[strconv.Itoa(int(v))]
			if w, ok := back.Weight(a, b); !okA || !okB || !ok || w != weights[i] {
				t.Fatalf("edge %d-%d (weight %v) lost: %v %v", u, v, weights[i], w, ok)
			}
		}
	}
}

func FuzzReadEdgeList(f *testing.F) {
	for _, s := range []string{
		"a\tb\n", "a\tb\t2\nb\tc\t0.5\r\n", "# comment\n\nx\ty\n", "a\ta\n", "a\t\n", "\t\t\t\n",
		"a\tb\t1e308\na\tb\t1e308\n", "a\tb\t-0\n", "é\t中\n", "a\tb\tNaN\n", "\xff\tb\n", "a\tb\tx\ty\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, labels, err := ReadEdgeList(bytes.NewReader(data), "fuzz.tsv")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.tsv:") {
				t.Fatalf("error %q does not name the input", err)
			}
			return
		}
		checkGraph(t, g)
		if g.Nodes() != len(labels) {
			t.Fatalf("%d nodes, %d labels", g.Nodes(), len(labels))
		}
		seen := make(map[string]bool)
		for _, l := range labels {
			if l == "" || !utf8.ValidString(l) || strings.ContainsAny(l, "\t\n") || seen[l] {
				t.Fatalf("bad or repeated label %q", l)
			}
			seen[l] = true
		}
		if lines := bytes.Count(data, []byte{'\n'}) + 1; g.Edges() > lines {
			t.Fatalf("%d edges from %d lines", g.Edges(), lines)
		}
		// What was read is written back and read again the same.
		var buf bytes.Buffer
		if err := WriteEdgeList(&buf, g, labels); err != nil {
			t.Fatal(err)
		}
		back, _, err := ReadEdgeList(&buf, "again.tsv")
		if err != nil {
			t.Fatalf("written edge list does not read back: %v", err)
		}
		if back.Edges() != g.Edges() {
			t.Fatalf("%d edges read back, want %d", back.Edges(), g.Edges())
		}
	})
}
