package graph

import (
	"slices"
	"testing"
)

func TestGenerate(t *testing.T) {
	const n, m = 5000, 40000
	g, planted := Generate(n, m, 11)
	checkGraph(t, g)
	if g.Nodes() != n || g.Edges() != m || len(planted) != n {
		t.Fatalf("%d nodes, %d edges, %d communities; want %d, %d", g.Nodes(), g.Edges(), len(planted), n, m)
	}
	again, plantedAgain := Generate(n, m, 11)
	if !slices.Equal(g.targets, again.targets) || !slices.Equal(g.weights, again.weights) || !slices.Equal(planted, plantedAgain) {
		t.Error("one seed gave two graphs")
	}
	other, _ := Generate(n, m, 12)
	if slices.Equal(g.targets, other.targets) {
		t.Error("two seeds gave one graph")
	}
	// Most edge weight inside the planted communities.
	var inside, total float64
	for u := range int32(n) {
		targets, weights := g.Neighbours(u)
		for i, v := range targets {
			total += weights[i]
			if planted[u] == planted[v] {
				inside += weights[i]
			}
		}
	}
	if share := inside / total; share < 0.8 || share > 0.95 {
		t.Errorf("%.2f of the weight inside communities, want about 0.85", share)
	}
	// Heavy tail: the largest degree far above the mean, communities not
	// runs of ids.
	maxDegree, runs := 0, 0
	for v := range int32(n) {
		maxDegree = max(maxDegree, g.Degree(v))
		if v > 0 && planted[v] == planted[v-1] {
			runs++
		}
	}
	if mean := 2 * m / n; maxDegree < 10*mean {
		t.Errorf("largest degree %d, mean %d: no hubs", maxDegree, mean)
	}
	if runs > n/4 {
		t.Errorf("%d neighbouring ids share a community: ids not shuffled", runs)
	}
}

func TestGenerateSmall(t *testing.T) {
	for _, tt := range []struct{ n, m, edges int }{{0, 10, 0}, {1, 10, 0}, {2, 10, 1}, {5, 100, 10}, {50, 0, 0}} {
		g, planted := Generate(tt.n, tt.m, 1)
		checkGraph(t, g)
		if g.Nodes() != tt.n || g.Edges() != tt.edges || len(planted) != tt.n {
			t.Errorf("Generate(%d, %d): %d nodes, %d edges", tt.n, tt.m, g.Nodes(), g.Edges())
		}
	}
}
