package graph

import (
	"fmt"
	"math"
	"slices"
)

// Graph is an undirected, simple, weighted graph in CSR form. The
// neighbours of node v are targets[offsets[v]:offsets[v+1]], sorted by id,
// with their weights at the same positions of weights; every edge is stored
// in the rows of both its ends.
//
// Offsets are int, 64 bits on every platform Mosaic builds for, so the size
// of a graph is bounded by memory rather than by 2³¹ row entries. A graph of
// n nodes and m edges takes 8(n+1) + 24m bytes.
type Graph struct {
	offsets []int
	targets []int32
	weights []float64
}

// Nodes returns the number of nodes, n: ids run from 0 to n-1.
func (g *Graph) Nodes() int { return len(g.offsets) - 1 }

// Edges returns the number of undirected edges after parallel edges were
// merged and self-loops dropped.
func (g *Graph) Edges() int { return len(g.targets) / 2 }

// Degree returns the number of distinct neighbours of v.
func (g *Graph) Degree(v int32) int { return g.offsets[v+1] - g.offsets[v] }

// Strength returns the total weight of the edges of v, its weighted degree.
func (g *Graph) Strength(v int32) float64 {
	var s float64
	for _, w := range g.weights[g.offsets[v]:g.offsets[v+1]] {
		s += w
	}
	return s
}

// Neighbours returns the neighbours of v in increasing id order and the
// weights of the edges to them. The slices alias the graph: callers must
// not modify them.
func (g *Graph) Neighbours(v int32) (targets []int32, weights []float64) {
	lo, hi := g.offsets[v], g.offsets[v+1]
	return g.targets[lo:hi:hi], g.weights[lo:hi:hi]
}

// Weight returns the weight of the edge between u and v, and whether there
// is one. It binary-searches the shorter of the two rows.
func (g *Graph) Weight(u, v int32) (float64, bool) {
	if g.Degree(v) < g.Degree(u) {
		u, v = v, u
	}
	lo, hi := g.offsets[u], g.offsets[u+1]
	i, ok := slices.BinarySearch(g.targets[lo:hi], v)
	if !ok {
		return 0, false
	}
	return g.weights[lo+i], true
}

// TotalWeight returns the sum of the weights of all edges, each counted once.
func (g *Graph) TotalWeight() float64 {
	var s float64
	for _, w := range g.weights {
		s += w
	}
	return s / 2
}

// Builder collects edges for a Graph. Ids need not be known in advance:
// the node count grows to cover the largest id added.
type Builder struct {
	n       int
	u, v    []int32
	weights []float64
}

// NewBuilder returns a Builder for a graph of at least n nodes; nodes
// without edges are part of the graph, isolated.
func NewBuilder(n int) *Builder {
	return &Builder{n: n}
}

// Grow makes room for m more edges, to spare the reallocations of a builder
// whose edge count is known.
func (b *Builder) Grow(m int) {
	b.u = slices.Grow(b.u, m)
	b.v = slices.Grow(b.v, m)
	b.weights = slices.Grow(b.weights, m)
}

// AddEdge adds an undirected edge of weight w between u and v. A self-loop
// (u == v) only makes sure the node exists: a Graph holds none, since no
// algorithm here wants an entity linked to itself. AddEdge panics on a
// negative id or on a weight that is negative, infinite or NaN, which would
// be a bug of the caller: ReadEdgeList checks its input before adding it.
func (b *Builder) AddEdge(u, v int32, w float64) {
	if u < 0 || v < 0 {
		panic(fmt.Sprintf("graph: negative node id in edge %d-%d", u, v))
	}
	if !(w >= 0) || math.IsInf(w, 1) {
		panic(fmt.Sprintf("graph: edge %d-%d has weight %v; want a finite non-negative number", u, v, w))
	}
	b.n = max(b.n, int(u)+1, int(v)+1)
	if u == v {
		return
	}
	b.u = append(b.u, u)
	b.v = append(b.v, v)
	b.weights = append(b.weights, w)
}

// Build returns the graph of the edges added so far and empties the
// Builder. Rows are sorted by two counting-sort passes, linear in the edge
// count: the first scatters each edge into the rows of both its ends in
// input order, the second walks those rows in increasing node order and
// scatters again, which leaves every row sorted. Parallel edges are then
// adjacent and merged in place. Peak memory is about 64 bytes per edge
// added, counting the Builder's own 16.
func (b *Builder) Build() *Graph {
	n := b.n
	us, vs, ws := b.u, b.v, b.weights
	*b = Builder{}

	offsets := make([]int, n+1)
	for i := range us {
		offsets[us[i]+1]++
		offsets[vs[i]+1]++
	}
	for i := 1; i <= n; i++ {
		offsets[i] += offsets[i-1]
	}
	entries := offsets[n]

	// First pass: rows in input order.
	next := make([]int, n)
	copy(next, offsets[:n])
	rowT := make([]int32, entries)
	rowW := make([]float64, entries)
	for i := range us {
		u, v, w := us[i], vs[i], ws[i]
		p := next[u]
		rowT[p], rowW[p] = v, w
		next[u]++
		p = next[v]
		rowT[p], rowW[p] = u, w
		next[v]++
	}
	us, vs, ws = nil, nil, nil

	// Second pass: the graph is symmetric, so row v holding u means row u
	// holds v; visiting rows in increasing v appends to every row in
	// increasing order.
	copy(next, offsets[:n])
	targets := make([]int32, entries)
	weights := make([]float64, entries)
	for v := range n {
		for p := offsets[v]; p < offsets[v+1]; p++ {
			u := rowT[p]
			q := next[u]
			targets[q], weights[q] = int32(v), rowW[p]
			next[u]++
		}
	}
	rowT, rowW, next = nil, nil, nil

	// Merge parallel edges, now adjacent, compacting in place.
	out := 0
	start := 0
	for v := range n {
		end := offsets[v+1]
		offsets[v] = out
		for p := start; p < end; p++ {
			if out > offsets[v] && targets[out-1] == targets[p] {
				weights[out-1] += weights[p]
				continue
			}
			targets[out], weights[out] = targets[p], weights[p]
			out++
		}
		start = end
	}
	offsets[n] = out
	if out < entries-entries/8 {
		targets = slices.Clone(targets[:out])
		weights = slices.Clone(weights[:out])
	}
	return &Graph{offsets: offsets, targets: targets[:out], weights: weights[:out]}
}
