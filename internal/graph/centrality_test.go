package graph

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
	"testing"
)

func near(a, b, tol float64) bool { return math.Abs(a-b) <= tol }

// solvePageRank solves the PageRank equations directly, by Gaussian
// elimination: (I − dP) r = (1−d)/n, where P sends a node's rank to its
// neighbours by weight, or to everyone if it has no edge weight.
func solvePageRank(g *Graph, d float64) []float64 {
	n := g.Nodes()
	a := make([][]float64, n) // augmented matrix
	for v := range a {
		a[v] = make([]float64, n+1)
		a[v][v] = 1
		a[v][n] = (1 - d) / float64(n)
	}
	for u := range n {
		s := g.Strength(int32(u))
		if s == 0 {
			for v := range n {
				a[v][u] -= d / float64(n)
			}
			continue
		}
		targets, weights := g.Neighbours(int32(u))
		for i, v := range targets {
			a[v][u] -= d * weights[i] / s
		}
	}
	for c := range n {
		p := c
		for r := c + 1; r < n; r++ {
			if math.Abs(a[r][c]) > math.Abs(a[p][c]) {
				p = r
			}
		}
		a[c], a[p] = a[p], a[c]
		for r := range n {
			if r != c {
				f := a[r][c] / a[c][c]
				for k := c; k <= n; k++ {
					a[r][k] -= f * a[c][k]
				}
			}
		}
	}
	x := make([]float64, n)
	for v := range x {
		x[v] = a[v][n] / a[v][v]
	}
	return x
}

func TestPageRank(t *testing.T) {
	tests := []struct {
		name string
		g    *Graph
		want []float64 // nil: solve the equations instead
	}{
		// Centre c and leaves l of a 3-leaf star at d = 0.85 solve
		// c = 0.15/4 + 0.85·3l and l = 0.15/4 + 0.85·c/3.
		{"star", star(3), []float64{0.133125 / 0.2775, (1 - 0.133125/0.2775) / 3, (1 - 0.133125/0.2775) / 3, (1 - 0.133125/0.2775) / 3}},
		{"one edge", cliques(1, 2, false), []float64{0.5, 0.5}},
		// On a regular graph the walk's stationary share is uniform.
		{"cycle C5", build(5, unit([2]int32{0, 1}, [2]int32{1, 2}, [2]int32{2, 3}, [2]int32{3, 4}, [2]int32{4, 0})), []float64{0.2, 0.2, 0.2, 0.2, 0.2}},
		{"clique K4", cliques(1, 4, false), []float64{0.25, 0.25, 0.25, 0.25}},
		{"no edges", build(4, nil), []float64{0.25, 0.25, 0.25, 0.25}},
		{"weighted with an isolated node", build(6, []edge{{0, 1, 3}, {1, 2, 1}, {2, 0, 0.5}, {2, 3, 2}, {3, 4, 1}}), nil},
		{"karate", build(34, unit(karate...)), nil},
		{"random weighted", randomGraph(50, 120, 4), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == nil {
				want = solvePageRank(tt.g, 0.85)
			}
			got := PageRank(tt.g, 0.85, 1e-12, 1000)
			var sum float64
			for v := range got {
				sum += got[v]
				if !near(got[v], want[v], 1e-9) {
					t.Errorf("node %d: %.10f, want %.10f", v, got[v], want[v])
				}
			}
			if !near(sum, 1, 1e-12) {
				t.Errorf("sum %v", sum)
			}
		})
	}
	if PageRank(build(0, nil), 0.85, 1e-9, 10) != nil {
		t.Error("empty graph: want nil")
	}
}

// bruteBetweenness counts, for every pair s < t and every other node v on
// a shortest s-t path, the share σ_sv·σ_vt/σ_st of those paths through v.
func bruteBetweenness(g *Graph) []float64 {
	n := g.Nodes()
	dist := make([][]int, n)
	sigma := make([][]float64, n)
	for s := range n {
		dist[s] = bfs(g, int32(s))
		sigma[s] = make([]float64, n)
		sigma[s][s] = 1
		order := make([]int32, 0, n)
		for v := range int32(n) {
			if dist[s][v] > 0 {
				order = append(order, v)
			}
		}
		slices.SortStableFunc(order, func(a, b int32) int { return dist[s][a] - dist[s][b] })
		for _, v := range order {
			targets, _ := g.Neighbours(v)
			for _, u := range targets {
				if dist[s][u] == dist[s][v]-1 {
					sigma[s][v] += sigma[s][u]
				}
			}
		}
	}
	score := make([]float64, n)
	for s := range n {
		for t := s + 1; t < n; t++ {
			if dist[s][t] < 0 {
				continue
			}
			for v := range n {
				if v != s && v != t && dist[s][v] > 0 && dist[v][t] > 0 && dist[s][v]+dist[v][t] == dist[s][t] {
					score[v] += sigma[s][v] * sigma[v][t] / sigma[s][t]
				}
			}
		}
	}
	return score
}

func TestBetweenness(t *testing.T) {
	tests := []struct {
		name string
		g    *Graph
		want []float64 // nil: count paths instead
	}{
		{"path P5", path(5), []float64{0, 3, 4, 3, 0}},
		// The centre is on the one path between each of the C(4,2) pairs
		// of leaves.
		{"star", star(4), []float64{6, 0, 0, 0, 0}},
		// Opposite corners of a square have two paths, one through each
		// of the other corners.
		{"cycle C4", build(4, unit([2]int32{0, 1}, [2]int32{1, 2}, [2]int32{2, 3}, [2]int32{3, 0})), []float64{0.5, 0.5, 0.5, 0.5}},
		{"two components", build(5, unit([2]int32{0, 1}, [2]int32{1, 2}, [2]int32{3, 4})), []float64{0, 1, 0, 0, 0}},
		{"karate", build(34, unit(karate...)), nil},
		{"random", randomGraph(60, 100, 8), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want == nil {
				want = bruteBetweenness(tt.g)
			}
			got, sampled, err := Betweenness(context.Background(), tt.g, 0, 1)
			if err != nil || sampled {
				t.Fatalf("err %v, sampled %v", err, sampled)
			}
			for v := range want {
				if !near(got[v], want[v], 1e-9) {
					t.Errorf("node %d: %v, want %v", v, got[v], want[v])
				}
			}
			// As many samples as nodes is exact too.
			again, sampled, _ := Betweenness(context.Background(), tt.g, tt.g.Nodes(), 1)
			if sampled || !slices.EqualFunc(again, got, func(a, b float64) bool { return near(a, b, 1e-9) }) {
				t.Errorf("samples = n: sampled %v, %v", sampled, again)
			}
		})
	}
}

func TestBetweennessSampled(t *testing.T) {
	g, _ := Generate(1500, 7500, 4)
	exact, _, err := Betweenness(context.Background(), g, 0, 0)
	if err != nil {
		t.Fatal(err)
	}
	est, sampled, err := Betweenness(context.Background(), g, 300, 7)
	if err != nil || !sampled {
		t.Fatalf("err %v, sampled %v", err, sampled)
	}
	// The estimate should be close for the nodes that matter, the top
	// ones, and find most of them.
	top := Top(exact, 20)
	var relErr float64
	for _, v := range top {
		relErr += math.Abs(est[v]-exact[v]) / exact[v]
	}
	if relErr /= 20; relErr > 0.15 {
		t.Errorf("mean relative error on the top 20 is %.3f", relErr)
	}
	found := 0
	for _, v := range Top(est, 20) {
		if slices.Contains(top, v) {
			found++
		}
	}
	if found < 15 {
		t.Errorf("sampled top 20 holds %d of the exact top 20", found)
	}
	// Same seed, same estimate.
	again, _, _ := Betweenness(context.Background(), g, 300, 7)
	if !slices.EqualFunc(again, est, func(a, b float64) bool { return near(a, b, 1e-9*max(1, a)) }) {
		t.Error("one seed gave two estimates")
	}
}

func TestBetweennessCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, _, err := Betweenness(ctx, path(10), 0, 0); err == nil {
		t.Error("no error from a cancelled context")
	}
}

func TestEigenvector(t *testing.T) {
	tests := []struct {
		name string
		g    *Graph
		want []float64
	}{
		// λ = 2 for K1,4: leaves are the centre over λ. A oscillates on
		// this bipartite graph; A+I must not.
		{"star", star(4), []float64{1, 0.5, 0.5, 0.5, 0.5}},
		// λ = √2 for P3.
		{"path P3", path(3), []float64{1 / math.Sqrt2, 1, 1 / math.Sqrt2}},
		{"triangle", cliques(1, 3, false), []float64{1, 1, 1}},
		// Weights scale the matrix entries: 0-1 of weight 2 and 1-2 of
		// weight 1 has λ = √5 and vector (2, √5, 1).
		{"weighted path", build(3, []edge{{0, 1, 2}, {1, 2, 1}}), []float64{2 / math.Sqrt(5), 1, 1 / math.Sqrt(5)}},
		// The larger component wins; the smaller tends to 0.
		{"two components", build(6, unit([2]int32{0, 1}, [2]int32{1, 2}, [2]int32{0, 2}, [2]int32{3, 4})), []float64{1, 1, 1, 0, 0, 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Eigenvector(tt.g, 1e-12, 10000)
			for v := range tt.want {
				if !near(got[v], tt.want[v], 1e-6) {
					t.Errorf("node %d: %v, want %v (all: %v)", v, got[v], tt.want[v], got)
				}
			}
		})
	}
}

func TestTop(t *testing.T) {
	scores := []float64{0.5, 2, math.NaN(), 2, -1, 7}
	tests := []struct {
		k    int
		want []int32
	}{
		{0, nil},
		{1, []int32{5}},
		{3, []int32{5, 1, 3}},
		{5, []int32{5, 1, 3, 0, 4}},
		{6, []int32{5, 1, 3, 0, 4, 2}},
		{99, []int32{5, 1, 3, 0, 4, 2}},
	}
	for _, tt := range tests {
		if got := Top(scores, tt.k); !slices.Equal(got, tt.want) {
			t.Errorf("Top(%d) = %v, want %v", tt.k, got, tt.want)
		}
	}
}

func TestCentralityInParallel(t *testing.T) {
	// Big enough for rowChunks to split it, so the race detector sees
	// the goroutines; the results must not depend on the split.
	g := randomGraph(20000, 60000, 5)
	if runtime.GOMAXPROCS(0) > 1 && len(rowChunks(g)) < 2 {
		t.Fatalf("%d chunks", len(rowChunks(g)))
	}
	var wg sync.WaitGroup
	results := make([][]float64, 2)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = PageRank(g, 0.85, 1e-10, 100)
		}()
	}
	wg.Wait()
	if !slices.Equal(results[0], results[1]) {
		t.Error("two PageRank runs differ")
	}
	ev := Eigenvector(g, 1e-9, 1000)
	if top := Top(ev, 1); ev[top[0]] != 1 {
		t.Errorf("largest eigenvector score %v, want 1", ev[top[0]])
	}
}
