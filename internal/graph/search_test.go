package graph

import (
	"cmp"
	"math"
	"slices"
	"sync"
	"testing"
)

// ladder has four loopless routes from 0 to 5:
//
//	0-3-4-5        3 hops, weight 5
//	0-1-2-5        3 hops, weight 3.5
//	0-1-4-5        3 hops, weight 3
//	0-3-4-1-2-5    5 hops, weight 7.5
func ladder() *Graph {
	return build(6, []edge{{0, 1, 1}, {1, 2, 1}, {2, 5, 1.5}, {0, 3, 2}, {3, 4, 2}, {4, 5, 1}, {1, 4, 1}})
}

// path returns the path graph 0-1-...-(n-1).
func path(n int) *Graph {
	var edges []edge
	for v := 1; v < n; v++ {
		edges = append(edges, edge{int32(v - 1), int32(v), 1})
	}
	return build(n, edges)
}

// star returns node 0 joined to nodes 1..leaves.
func star(leaves int) *Graph {
	var edges []edge
	for v := 1; v <= leaves; v++ {
		edges = append(edges, edge{0, int32(v), 1})
	}
	return build(leaves+1, edges)
}

// without returns a Filter that refuses the edge a-b.
func without(a, b int32) Filter {
	return func(u, v int32) bool { return !(u == a && v == b || u == b && v == a) }
}

func TestWithin(t *testing.T) {
	tests := []struct {
		name     string
		g        *Graph
		filter   Filter
		src      int32
		hops     int
		max      int
		want     []Reached
		complete bool
	}{
		{"path one hop", path(5), nil, 2, 1, 0, []Reached{{1, 1}, {3, 1}}, true},
		{"path two hops", path(5), nil, 0, 2, 0, []Reached{{1, 1}, {2, 2}}, true},
		{"path beyond its end", path(3), nil, 0, 9, 0, []Reached{{1, 1}, {2, 2}}, true},
		{"zero hops", path(3), nil, 1, 0, 0, nil, true},
		{"star capped", star(5), nil, 0, 2, 3, []Reached{{1, 1}, {2, 1}, {3, 1}}, false},
		{"cap equal to size", star(3), nil, 0, 2, 3, []Reached{{1, 1}, {2, 1}, {3, 1}}, true},
		{"leaf to leaves", star(3), nil, 2, 2, 0, []Reached{{0, 1}, {1, 2}, {3, 2}}, true},
		{"filter cuts the path", path(5), without(1, 2), 0, 4, 0, []Reached{{1, 1}}, true},
		{"ladder", ladder(), nil, 0, 2, 0, []Reached{{1, 1}, {3, 1}, {2, 2}, {4, 2}}, true},
		{"isolated", build(3, nil), nil, 1, 3, 0, nil, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSearcher(tt.g)
			s.Filter = tt.filter
			for range 2 { // the second query reuses the marks of the first
				got, complete := s.Within(tt.src, tt.hops, tt.max)
				if !slices.Equal(got, tt.want) || complete != tt.complete {
					t.Fatalf("Within(%d, %d, %d) = %v, %v; want %v, %v", tt.src, tt.hops, tt.max, got, complete, tt.want, tt.complete)
				}
			}
		})
	}
}

func TestShortestPath(t *testing.T) {
	tests := []struct {
		name     string
		g        *Graph
		filter   Filter
		src, dst int32
		want     []int32
	}{
		{"same node", path(3), nil, 1, 1, []int32{1}},
		{"adjacent", path(3), nil, 1, 2, []int32{1, 2}},
		{"along a path", path(6), nil, 0, 5, []int32{0, 1, 2, 3, 4, 5}},
		{"backwards", path(6), nil, 4, 1, []int32{4, 3, 2, 1}},
		{"disconnected", build(4, unit([2]int32{0, 1}, [2]int32{2, 3})), nil, 0, 3, nil},
		{"heaviest of equals", ladder(), nil, 0, 5, []int32{0, 3, 4, 5}},
		{"filtered", ladder(), without(3, 4), 0, 5, []int32{0, 1, 2, 5}},
		{"filter leaves a longer way", build(4, unit([2]int32{0, 3}, [2]int32{0, 1}, [2]int32{1, 2}, [2]int32{2, 3})), without(0, 3), 0, 3, []int32{0, 1, 2, 3}},
		{"filter cuts all", path(4), without(2, 3), 0, 3, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSearcher(tt.g)
			s.Filter = tt.filter
			if got := s.ShortestPath(tt.src, tt.dst); !slices.Equal(got, tt.want) {
				t.Errorf("ShortestPath(%d, %d) = %v, want %v", tt.src, tt.dst, got, tt.want)
			}
		})
	}
}

// bfs returns the hop distance of every node from src, -1 if unreachable.
func bfs(g *Graph, src int32) []int {
	dist := make([]int, g.Nodes())
	for v := range dist {
		dist[v] = -1
	}
	dist[src] = 0
	queue := []int32{src}
	for len(queue) > 0 {
		u := queue[0]
		queue = queue[1:]
		targets, _ := g.Neighbours(u)
		for _, v := range targets {
			if dist[v] < 0 {
				dist[v] = dist[u] + 1
				queue = append(queue, v)
			}
		}
	}
	return dist
}

func pathWeight(t *testing.T, g *Graph, p []int32) float64 {
	t.Helper()
	var sum float64
	for i := 1; i < len(p); i++ {
		w, ok := g.Weight(p[i-1], p[i])
		if !ok {
			t.Fatalf("path %v uses the missing edge %d-%d", p, p[i-1], p[i])
		}
		sum += w
	}
	return sum
}

func TestShortestPathMatchesBFS(t *testing.T) {
	// Against one-sided BFS for the length, and the longest-path dynamic
	// programme over BFS layers for the weight.
	for seed := range uint64(5) {
		g := randomGraph(60, 90, seed)
		s := NewSearcher(g)
		for src := range int32(60) {
			dist := bfs(g, src)
			heaviest := make([]float64, g.Nodes())
			order := make([]int32, 0, g.Nodes())
			for v := range int32(60) {
				if dist[v] >= 0 {
					order = append(order, v)
				}
			}
			slices.SortStableFunc(order, func(a, b int32) int { return cmp.Compare(dist[a], dist[b]) })
			for _, v := range order[1:] {
				heaviest[v] = math.Inf(-1)
				targets, weights := g.Neighbours(v)
				for i, u := range targets {
					if dist[u] == dist[v]-1 {
						heaviest[v] = max(heaviest[v], heaviest[u]+weights[i])
					}
				}
			}
			for dst := range int32(60) {
				p := s.ShortestPath(src, dst)
				if dist[dst] < 0 {
					if p != nil {
						t.Fatalf("seed %d: %d→%d unreachable but got %v", seed, src, dst, p)
					}
					continue
				}
				if len(p)-1 != dist[dst] || p[0] != src || p[len(p)-1] != dst {
					t.Fatalf("seed %d: %d→%d: got %v, distance %d", seed, src, dst, p, dist[dst])
				}
				if w := pathWeight(t, g, p); math.Abs(w-heaviest[dst]) > 1e-9 {
					t.Fatalf("seed %d: %d→%d: path %v weighs %v, heaviest shortest weighs %v", seed, src, dst, p, w, heaviest[dst])
				}
			}
		}
	}
}

func TestKShortestPaths(t *testing.T) {
	tests := []struct {
		name     string
		g        *Graph
		filter   Filter
		src, dst int32
		k, hops  int
		want     [][]int32
	}{
		{"all four, by hops then weight", ladder(), nil, 0, 5, 10, 0, [][]int32{
			{0, 3, 4, 5}, {0, 1, 2, 5}, {0, 1, 4, 5}, {0, 3, 4, 1, 2, 5}}},
		{"k cuts", ladder(), nil, 0, 5, 2, 0, [][]int32{{0, 3, 4, 5}, {0, 1, 2, 5}}},
		{"hop limit", ladder(), nil, 0, 5, 10, 3, [][]int32{{0, 3, 4, 5}, {0, 1, 2, 5}, {0, 1, 4, 5}}},
		{"hop limit below the shortest", ladder(), nil, 0, 5, 10, 2, nil},
		{"filter", ladder(), without(3, 4), 0, 5, 10, 0, [][]int32{{0, 1, 2, 5}, {0, 1, 4, 5}}},
		{"reverse", ladder(), nil, 5, 0, 2, 0, [][]int32{{5, 4, 3, 0}, {5, 2, 1, 0}}},
		{"one route", path(4), nil, 0, 3, 3, 0, [][]int32{{0, 1, 2, 3}}},
		{"none", build(3, nil), nil, 0, 2, 3, 0, nil},
		{"k zero", path(4), nil, 0, 3, 0, 0, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := NewSearcher(tt.g)
			s.Filter = tt.filter
			got := s.KShortestPaths(tt.src, tt.dst, tt.k, tt.hops)
			if !slices.EqualFunc(got, tt.want, slices.Equal) {
				t.Errorf("KShortestPaths(%d, %d, %d, %d) = %v, want %v", tt.src, tt.dst, tt.k, tt.hops, got, tt.want)
			}
		})
	}
}

// simplePaths returns every loopless path from src to dst of at most hops
// edges, by depth-first enumeration.
func simplePaths(g *Graph, src, dst int32, hops int) [][]int32 {
	var all [][]int32
	on := make([]bool, g.Nodes())
	var walk func(p []int32)
	walk = func(p []int32) {
		v := p[len(p)-1]
		if v == dst {
			all = append(all, slices.Clone(p))
			return
		}
		if len(p)-1 == hops {
			return
		}
		targets, _ := g.Neighbours(v)
		for _, u := range targets {
			if !on[u] {
				on[u] = true
				walk(append(p, u))
				on[u] = false
			}
		}
	}
	on[src] = true
	walk([]int32{src})
	return all
}

func TestKShortestPathsMatchesEnumeration(t *testing.T) {
	// Yen's paths against all simple paths sorted by hops, then weight.
	const k, hops = 12, 6
	for seed := range uint64(4) {
		g := randomGraph(14, 24, seed)
		s := NewSearcher(g)
		for src := range int32(14) {
			for dst := range int32(14) {
				if src == dst {
					continue
				}
				all := simplePaths(g, src, dst, hops)
				type cost struct {
					hops   int
					weight float64
				}
				costs := make([]cost, len(all))
				for i, p := range all {
					costs[i] = cost{len(p) - 1, pathWeight(t, g, p)}
				}
				slices.SortFunc(costs, func(a, b cost) int {
					if c := cmp.Compare(a.hops, b.hops); c != 0 {
						return c
					}
					return cmp.Compare(b.weight, a.weight)
				})
				got := s.KShortestPaths(src, dst, k, hops)
				if len(got) != min(k, len(all)) {
					t.Fatalf("seed %d %d→%d: %d paths, want %d", seed, src, dst, len(got), min(k, len(all)))
				}
				seen := map[string]bool{}
				for i, p := range got {
					if seen[pathKey(p)] {
						t.Fatalf("seed %d %d→%d: path %v twice", seed, src, dst, p)
					}
					seen[pathKey(p)] = true
					on := map[int32]bool{}
					for _, v := range p {
						if on[v] {
							t.Fatalf("seed %d %d→%d: path %v has a loop", seed, src, dst, p)
						}
						on[v] = true
					}
					c := cost{len(p) - 1, pathWeight(t, g, p)}
					if c.hops != costs[i].hops || math.Abs(c.weight-costs[i].weight) > 1e-9 {
						t.Fatalf("seed %d %d→%d: path %d is %v (%v), want cost %v", seed, src, dst, i, p, c, costs[i])
					}
				}
			}
		}
	}
}

func TestSearchersInParallel(t *testing.T) {
	// One graph, a Searcher per goroutine; the race detector checks the
	// sharing, the comparison that scratch does not leak between queries.
	g := randomGraph(300, 900, 3)
	want := make([][]int32, 300)
	s := NewSearcher(g)
	for v := range int32(300) {
		want[v] = s.ShortestPath(0, v)
	}
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s := NewSearcher(g)
			for i := range 300 {
				v := int32((i*7 + w*31) % 300)
				s.Within(v, 2, 50)
				if got := s.ShortestPath(0, v); !slices.Equal(got, want[v]) {
					t.Errorf("worker %d: ShortestPath(0, %d) = %v, want %v", w, v, got, want[v])
					return
				}
				s.KShortestPaths(v, 0, 2, 5)
			}
		}()
	}
	wg.Wait()
}

func TestSearcherQueryWrap(t *testing.T) {
	// When the query counter wraps, stale marks must not look current.
	g := path(4)
	s := NewSearcher(g)
	s.Within(0, 3, 0)
	s.query = math.MaxUint32
	if got, _ := s.Within(0, 3, 0); len(got) != 3 {
		t.Fatalf("after wrap: %v", got)
	}
	if got := s.ShortestPath(3, 0); !slices.Equal(got, []int32{3, 2, 1, 0}) {
		t.Fatalf("after wrap: %v", got)
	}
}
