package graph

import (
	"math"
	"slices"
)

// Filter reports whether a search may follow the edge between u and v; it
// is how callers leave out edges of the wrong type or with negated
// evidence without building another graph. A search calls it with u the end
// it has reached, so it must answer the same for (u, v) and (v, u).
type Filter func(u, v int32) bool

// Reached is a node found by Within, with its distance in hops.
type Reached struct {
	Node int32
	Hops int
}

// Searcher answers neighbourhood and path queries on one graph, counting
// hops and ignoring weights except to order paths of equal length. It marks
// visited nodes with a query number instead of clearing arrays, so after
// the O(n) allocation of NewSearcher a query costs only what it visits.
//
// A Searcher is not safe for concurrent use; the graph is, so each
// goroutine takes its own Searcher (a server keeps them in a sync.Pool).
// Node ids passed to it must be below g.Nodes(); others panic.
type Searcher struct {
	// Filter, if not nil, says which edges the searches may follow.
	Filter Filter

	g      *Graph
	query  uint32
	seen   [2][]uint32  // seen[side][v] == query: v reached from side's end
	parent [2][]int32   // the node v was reached from, -1 at a search's end
	depth  [2][]int32   // hops from side's end to v
	best   [2][]float64 // weight of the heaviest shortest path from side's end to v
	banned []uint32     // banned[v] == query: v may not be on the path
	front  [2][]int32
	next   []int32
}

// NewSearcher returns a Searcher for g, with 44 bytes of scratch per node.
func NewSearcher(g *Graph) *Searcher {
	n := g.Nodes()
	s := &Searcher{g: g, banned: make([]uint32, n)}
	for side := range 2 {
		s.seen[side] = make([]uint32, n)
		s.parent[side] = make([]int32, n)
		s.depth[side] = make([]int32, n)
		s.best[side] = make([]float64, n)
	}
	return s
}

// begin starts a query: every mark of earlier queries becomes stale.
func (s *Searcher) begin() {
	s.query++
	if s.query == 0 { // wrapped: stale marks could look current
		clear(s.seen[0])
		clear(s.seen[1])
		clear(s.banned)
		s.query = 1
	}
}

// Within returns the nodes at most hops edges from src, src excluded, in
// breadth-first order: all nodes one hop away, then two, and so on, each
// level in the order its nodes were reached. It stops after limit nodes
// when limit > 0, since a neighbourhood two hops from a hub can be most of
// the graph; complete reports whether the result holds the whole
// neighbourhood.
func (s *Searcher) Within(src int32, hops, limit int) (reached []Reached, complete bool) {
	s.begin()
	g := s.g
	seen := s.seen[0]
	seen[src] = s.query
	front := append(s.front[0][:0], src)
	next := s.next[:0]
	defer func() { s.front[0], s.next = front[:0], next[:0] }()
	for h := 1; h <= hops && len(front) > 0; h++ {
		next = next[:0]
		for _, u := range front {
			for _, v := range g.targets[g.offsets[u]:g.offsets[u+1]] {
				if seen[v] == s.query || s.Filter != nil && !s.Filter(u, v) {
					continue
				}
				if limit > 0 && len(reached) == limit {
					return reached, false
				}
				seen[v] = s.query
				reached = append(reached, Reached{v, h})
				next = append(next, v)
			}
		}
		front, next = next, front
	}
	return reached, true
}

// ShortestPath returns a path with the fewest hops from src to dst, src and
// dst included, or nil if there is none. Of several shortest paths it
// returns the heaviest, by the sum of its edge weights: the one with the
// strongest links. Exact ties go to the first path found, the same one
// every time.
//
// It searches from both ends at once, each step growing the side whose
// frontier has fewer row entries to scan, so that on a small-world graph
// it touches thousands of nodes where one-sided search touches millions.
func (s *Searcher) ShortestPath(src, dst int32) []int32 {
	s.begin()
	return s.bidirectional(src, dst, math.MaxInt, -1, nil)
}

// bidirectional finds the heaviest of the shortest paths from src to dst
// of at most maxHops edges, avoiding nodes banned in this query and the
// edges between spur and the nodes in cut. The caller has called begin.
//
// Each side is a breadth-first search that also keeps, for every node, the
// heaviest path from its end through the levels before (best), the
// dynamic programme of longest paths over the DAG of shortest paths. Once
// an expansion meets the other side, it finishes its level to see every
// edge between the two frontiers and keeps the heaviest joined path.
func (s *Searcher) bidirectional(src, dst int32, maxHops int, spur int32, cut []int32) []int32 {
	if s.banned[src] == s.query || s.banned[dst] == s.query {
		return nil
	}
	if src == dst {
		return []int32{src}
	}
	g := s.g
	ends := [2]int32{src, dst}
	var depth [2]int32
	var cost [2]int // row entries the next expansion of each side scans
	for side, v := range ends {
		s.seen[side][v] = s.query
		s.parent[side][v] = -1
		s.depth[side][v] = 0
		s.best[side][v] = 0
		s.front[side] = append(s.front[side][:0], v)
		cost[side] = g.Degree(v)
	}
	for int(depth[0]+depth[1]) < maxHops {
		side := 0
		if cost[1] < cost[0] {
			side = 1
		}
		seen, other := s.seen[side], s.seen[1-side]
		best, parent, level := s.best[side], s.parent[side], s.depth[side]
		d := depth[side] + 1
		next := s.next[:0]
		cost[side] = 0
		var meetU, meetV int32 = -1, -1
		var meetWeight float64
		for _, u := range s.front[side] {
			lo, hi := g.offsets[u], g.offsets[u+1]
			for i, v := range g.targets[lo:hi] {
				if s.banned[v] == s.query {
					continue
				}
				if seen[v] == s.query && (level[v] != d || meetU >= 0) {
					continue // reached at an earlier level, or no longer needed
				}
				if s.Filter != nil && !s.Filter(u, v) {
					continue
				}
				if cut != nil && (u == spur && slices.Contains(cut, v) || v == spur && slices.Contains(cut, u)) {
					continue
				}
				w := best[u] + g.weights[lo+i]
				if other[v] == s.query {
					// The other side's frontier is complete and every node
					// it reached before has all its neighbours reached, so
					// v is on that frontier and the path through u-v is a
					// shortest one.
					if w += s.best[1-side][v]; meetU < 0 || w > meetWeight {
						meetU, meetV, meetWeight = u, v, w
					}
					continue
				}
				if meetU >= 0 {
					continue
				}
				if seen[v] == s.query { // reached in this level already
					if w > best[v] {
						best[v], parent[v] = w, u
					}
					continue
				}
				seen[v] = s.query
				level[v] = d
				best[v], parent[v] = w, u
				next = append(next, v)
				cost[side] += g.Degree(v)
			}
		}
		if meetU >= 0 {
			s.next = next
			if side == 0 {
				return s.join(meetU, meetV)
			}
			return s.join(meetV, meetU)
		}
		s.next = s.front[side]
		s.front[side] = next
		depth[side] = d
		if len(next) == 0 {
			return nil
		}
	}
	return nil
}

// join returns the path through the edge a-b, a reached from the source
// side and b from the target side.
func (s *Searcher) join(a, b int32) []int32 {
	var path []int32
	for v := a; v >= 0; v = s.parent[0][v] {
		path = append(path, v)
	}
	slices.Reverse(path)
	for v := b; v >= 0; v = s.parent[1][v] {
		path = append(path, v)
	}
	return path
}

// KShortestPaths returns up to k loopless paths from src to dst with at
// most maxHops edges each (no limit when maxHops <= 0): the alternative
// routes between two entities, for when the shortest one rests on a
// doubtful link. They come fewest hops first and, among paths of equal
// length, heaviest first by the sum of their edge weights; exact ties go
// to the lower node ids, or the first found.
//
// It is Yen's algorithm: each next path leaves an earlier one at some spur
// node, and the spur is found as ShortestPath finds a path, with the
// earlier paths' root nodes and next edges banned. Since ShortestPath
// returns the heaviest shortest path, the order by hops then weight is
// exact. That is k·L searches for paths of L hops.
func (s *Searcher) KShortestPaths(src, dst int32, k, maxHops int) [][]int32 {
	if maxHops <= 0 {
		maxHops = math.MaxInt
	}
	if k <= 0 {
		return nil
	}
	s.begin()
	first := s.bidirectional(src, dst, maxHops, -1, nil)
	if first == nil {
		return nil
	}
	paths := [][]int32{first}
	type candidate struct {
		path   []int32
		weight float64
	}
	var candidates []candidate
	known := map[string]bool{pathKey(first): true}
	var cut []int32
	for len(paths) < k {
		last := paths[len(paths)-1]
		for i := 0; i < len(last)-1; i++ {
			root := last[:i+1]
			cut = cut[:0]
			for _, p := range paths {
				if len(p) > i+1 && slices.Equal(p[:i+1], root) {
					cut = append(cut, p[i+1])
				}
			}
			s.begin()
			for _, v := range root[:i] {
				s.banned[v] = s.query
			}
			spur := s.bidirectional(root[i], dst, maxHops-i, root[i], cut)
			if spur == nil {
				continue
			}
			path := append(slices.Clip(root[:i]), spur...)
			if key := pathKey(path); !known[key] {
				known[key] = true
				candidates = append(candidates, candidate{path, s.pathWeight(path)})
			}
		}
		if len(candidates) == 0 {
			break
		}
		best := 0
		for i, c := range candidates[1:] {
			b := candidates[best]
			if len(c.path) < len(b.path) ||
				len(c.path) == len(b.path) && (c.weight > b.weight ||
					c.weight == b.weight && slices.Compare(c.path, b.path) < 0) {
				best = i + 1
			}
		}
		paths = append(paths, candidates[best].path)
		candidates = slices.Delete(candidates, best, best+1)
	}
	return paths
}

// pathWeight returns the sum of the weights of a path's edges.
func (s *Searcher) pathWeight(path []int32) float64 {
	var sum float64
	for i := 1; i < len(path); i++ {
		w, _ := s.g.Weight(path[i-1], path[i])
		sum += w
	}
	return sum
}

// pathKey returns a map key that tells paths apart.
func pathKey(path []int32) string {
	b := make([]byte, 0, 4*len(path))
	for _, v := range path {
		b = append(b, byte(v), byte(v>>8), byte(v>>16), byte(v>>24))
	}
	return string(b)
}
