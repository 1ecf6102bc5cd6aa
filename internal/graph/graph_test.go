package graph

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// edge is an undirected weighted edge of test data.
type edge struct {
	u, v int32
	w    float64
}

// build returns the graph of n nodes and the given edges.
func build(n int, edges []edge) *Graph {
	b := NewBuilder(n)
	for _, e := range edges {
		b.AddEdge(e.u, e.v, e.w)
	}
	return b.Build()
}

// unit returns edges of weight 1 from pairs.
func unit(pairs ...[2]int32) []edge {
	edges := make([]edge, len(pairs))
	for i, p := range pairs {
		edges[i] = edge{p[0], p[1], 1}
	}
	return edges
}

// randomGraph returns a graph of n nodes and about m random edges with
// weights 1 to 4.
func randomGraph(n, m int, seed uint64) *Graph {
	rng := rand.New(rand.NewPCG(seed, 1))
	b := NewBuilder(n)
	for range m {
		b.AddEdge(int32(rng.IntN(n)), int32(rng.IntN(n)), float64(1+rng.IntN(4)))
	}
	return b.Build()
}

// checkGraph asserts the CSR invariants: rows sorted without duplicates or
// self-loops, every edge in the rows of both ends with the same weight.
func checkGraph(t *testing.T, g *Graph) {
	t.Helper()
	n := g.Nodes()
	if g.offsets[0] != 0 || g.offsets[n] != len(g.targets) || len(g.targets) != len(g.weights) || len(g.targets)%2 != 0 {
		t.Fatalf("bad sizes: offsets[0]=%d offsets[n]=%d targets %d weights %d", g.offsets[0], g.offsets[n], len(g.targets), len(g.weights))
	}
	for v := range int32(n) {
		targets, weights := g.Neighbours(v)
		for i, u := range targets {
			if u == v {
				t.Fatalf("self-loop at %d", v)
			}
			if i > 0 && targets[i-1] >= u {
				t.Fatalf("row %d not strictly increasing: %v", v, targets)
			}
			if w, ok := g.Weight(u, v); !ok || w != weights[i] {
				t.Fatalf("edge %d-%d has weight %v, reverse %v %v", v, u, weights[i], w, ok)
			}
		}
	}
}

func TestBuild(t *testing.T) {
	tests := []struct {
		name      string
		n         int
		edges     []edge
		nodes     int
		want      map[[2]int32]float64 // every edge, smaller end first
		strengths []float64
	}{
		{name: "empty", n: 0, nodes: 0, want: map[[2]int32]float64{}},
		{name: "isolated nodes", n: 3, nodes: 3, want: map[[2]int32]float64{}, strengths: []float64{0, 0, 0}},
		{
			name:  "parallel edges merge, self-loops go",
			n:     0,
			edges: []edge{{0, 1, 1}, {1, 0, 2.5}, {2, 2, 7}, {1, 2, 1}, {0, 1, 0.5}},
			nodes: 3,
			want:  map[[2]int32]float64{{0, 1}: 4, {1, 2}: 1},
			// node 2 exists through its self-loop and its edge to 1
			strengths: []float64{4, 5, 1},
		},
		{
			name:      "ids grow the node count",
			n:         2,
			edges:     []edge{{5, 3, 1}},
			nodes:     6,
			want:      map[[2]int32]float64{{3, 5}: 1},
			strengths: []float64{0, 0, 0, 1, 0, 1},
		},
		{
			name:      "self-loop alone makes its node",
			edges:     []edge{{4, 4, 1}},
			nodes:     5,
			want:      map[[2]int32]float64{},
			strengths: []float64{0, 0, 0, 0, 0},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := build(tt.n, tt.edges)
			checkGraph(t, g)
			if g.Nodes() != tt.nodes || g.Edges() != len(tt.want) {
				t.Fatalf("%d nodes, %d edges; want %d, %d", g.Nodes(), g.Edges(), tt.nodes, len(tt.want))
			}
			for e, w := range tt.want {
				if got, ok := g.Weight(e[0], e[1]); !ok || got != w {
					t.Errorf("Weight(%d, %d) = %v, %v; want %v", e[0], e[1], got, ok, w)
				}
			}
			for v, s := range tt.strengths {
				if got := g.Strength(int32(v)); got != s {
					t.Errorf("Strength(%d) = %v, want %v", v, got, s)
				}
			}
		})
	}
}

func TestBuildMatchesMap(t *testing.T) {
	// The two counting-sort passes against the obvious map of edges.
	rng := rand.New(rand.NewPCG(7, 7))
	const n = 200
	b := NewBuilder(n)
	want := map[[2]int32]float64{}
	for range 3000 {
		u, v := int32(rng.IntN(n)), int32(rng.IntN(n))
		w := float64(rng.IntN(5))
		b.AddEdge(u, v, w)
		if u != v {
			want[[2]int32{min(u, v), max(u, v)}] += w
		}
	}
	g := b.Build()
	checkGraph(t, g)
	if g.Edges() != len(want) {
		t.Fatalf("%d edges, want %d", g.Edges(), len(want))
	}
	var total float64
	for e, w := range want {
		total += w
		if got, ok := g.Weight(e[1], e[0]); !ok || got != w {
			t.Fatalf("Weight(%d, %d) = %v, %v; want %v", e[1], e[0], got, ok, w)
		}
	}
	if g.TotalWeight() != total {
		t.Errorf("TotalWeight = %v, want %v", g.TotalWeight(), total)
	}
	for v := range int32(n) {
		targets, _ := g.Neighbours(v)
		if g.Degree(v) != len(targets) {
			t.Fatalf("Degree(%d) = %d, row has %d", v, g.Degree(v), len(targets))
		}
		for _, u := range targets {
			if _, ok := want[[2]int32{min(u, v), max(u, v)}]; !ok {
				t.Fatalf("edge %d-%d was never added", u, v)
			}
		}
	}
	if _, ok := g.Weight(0, 0); ok {
		t.Error("Weight(0, 0) found a self-loop")
	}
	if b.Build().Nodes() != 0 {
		t.Error("Build did not empty the builder")
	}
}

func TestAddEdgePanics(t *testing.T) {
	for _, e := range []edge{{-1, 2, 1}, {1, 2, -1}, {1, 2, math.Inf(1)}, {1, 2, math.NaN()}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("AddEdge(%d, %d, %v) did not panic", e.u, e.v, e.w)
				}
			}()
			NewBuilder(0).AddEdge(e.u, e.v, e.w)
		}()
	}
}

func TestNeighboursAreReadOnlyViews(t *testing.T) {
	g := build(4, unit([2]int32{0, 1}, [2]int32{0, 2}, [2]int32{1, 2}, [2]int32{2, 3}))
	targets, weights := g.Neighbours(2)
	if !slices.Equal(targets, []int32{0, 1, 3}) || !slices.Equal(weights, []float64{1, 1, 1}) {
		t.Fatalf("Neighbours(2) = %v %v", targets, weights)
	}
	// Appending to a row must not write into the next one.
	_ = append(targets, 99)
	if next, _ := g.Neighbours(3); !slices.Equal(next, []int32{2}) {
		t.Fatalf("append to row 2 overwrote row 3: %v", next)
	}
}
