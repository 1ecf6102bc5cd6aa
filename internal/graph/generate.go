package graph

import (
	"math"
	"math/rand/v2"
)

// The shape of generated graphs, chosen to look like co-occurrence networks
// of entities: most links within a group, a few hubs named everywhere.
const (
	// insideShare is the share of edges drawn inside a community.
	insideShare = 0.85
	// minCommunity is the size of the smallest communities; the largest are
	// a twentieth of the graph.
	minCommunity = 16
	// degreeTail is the exponent α of the Pareto law of node propensities:
	// degrees fall off as k^−(1+α).
	degreeTail = 1.7
)

// Generate returns a random graph of n nodes and m edges, and the planted
// community of each node. Community sizes follow a power law from 16 nodes
// to n/20; each node has a propensity drawn from a Pareto law, so degrees
// are heavy-tailed, with hubs of thousands of edges on a million nodes. A
// draw picks its first end in proportion to propensity, and its second, 85%
// of the time, in proportion to propensity within the first's community,
// otherwise anywhere. A draw that picks an edge again adds 1 to its weight,
// and draws go on until there are m edges, so weights are co-occurrence
// counts with a heavy tail of their own. A graph of few nodes may not hold
// m edges: draws stop after 20m. Node ids are shuffled, so that communities
// are not runs of ids. The same arguments give the same graph.
func Generate(n, m int, seed int64) (*Graph, []int32) {
	rng := rand.New(rand.NewPCG(uint64(seed), 0xda942042e4dd58b5))
	// Community sizes, the last one cut to fit. Community c holds the
	// positions [bound[c], bound[c+1]).
	maxSize := max(minCommunity, n/20)
	bound := []int{0}
	for left := n; left > 0; {
		// Inverse transform of a Pareto law of exponent 1 cut at maxSize.
		s := int(minCommunity / (1 - rng.Float64()*(1-float64(minCommunity)/float64(maxSize))))
		s = min(max(s, minCommunity), maxSize, left)
		left -= s
		bound = append(bound, n-left)
	}
	// Position p is node (p·a + b) mod n, a permutation since a and n are
	// coprime; it scatters communities over the ids without a lookup
	// table.
	a, b := uint64(1), uint64(0)
	if n > 1 {
		b = rng.Uint64N(uint64(n))
		for a = uint64(n)/2 + rng.Uint64N(uint64(n)/2+1) | 1; gcd(a, uint64(n)) != 1; a++ {
		}
	}
	id := func(p int) int32 { return int32((uint64(p)*a + b) % uint64(n)) }
	community := make([]int32, n)
	for c := range len(bound) - 1 {
		for p := bound[c]; p < bound[c+1]; p++ {
			community[id(p)] = int32(c)
		}
	}
	propensity := make([]float64, n)
	for p := range propensity {
		propensity[p] = math.Pow(1-rng.Float64(), -1/degreeTail)
	}
	// Draws in proportion to propensity take O(1) with Walker's alias
	// tables: one over all positions, and one per community over its run.
	everyone := make([]anyAlias, n)
	within := make([]alias, n)
	fillAlias(propensity, 0, n, func(p int, prob float64, other int) {
		everyone[p] = anyAlias{float32(prob), int32(other), community[id(p)], community[id(other)]}
	})
	for c := range len(bound) - 1 {
		fillAlias(propensity, bound[c], bound[c+1], func(p int, prob float64, other int) {
			within[p] = alias{float32(prob), int32(other)}
		})
	}

	builder := NewBuilder(n)
	if n < 2 {
		return builder.Build(), community
	}
	m = min(m, n*(n-1)/2)
	edges := newEdgeCounter(m)
	for draws := 0; edges.len < m && draws < 20*m; draws++ {
		i := rng.IntN(n)
		x := everyone[i]
		c := x.comm
		if rng.Float32() >= x.prob {
			i, c = int(x.other), x.otherComm
		}
		var j int
		if rng.Float64() < insideShare {
			lo, hi := bound[c], bound[c+1]
			j = lo + rng.IntN(hi-lo)
			if y := within[j]; rng.Float32() >= y.prob {
				j = int(y.other)
			}
		} else {
			j = rng.IntN(n)
			if y := everyone[j]; rng.Float32() >= y.prob {
				j = int(y.other)
			}
		}
		if j != i {
			edges.add(id(i), id(j))
		}
	}
	builder.Grow(edges.len)
	edges.each(func(u, v int32, count uint32) { builder.AddEdge(u, v, float64(count)) })
	return builder.Build(), community
}

func gcd(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// alias is an entry of Walker's alias table: a draw picks an entry
// uniformly and takes its own position with probability prob, else other.
type alias struct {
	prob  float32
	other int32
}

// anyAlias is an entry of the table over all positions, with the
// communities of both outcomes, so that a draw costs one cache miss.
type anyAlias struct {
	prob            float32
	other           int32
	comm, otherComm int32
}

// fillAlias builds the alias table of the run [lo, hi) of weights by
// Vose's method, handing each entry to set.
func fillAlias(weights []float64, lo, hi int, set func(p int, prob float64, other int)) {
	var sum float64
	for _, w := range weights[lo:hi] {
		sum += w
	}
	k := float64(hi - lo)
	prob := make([]float64, hi-lo)
	var small, large []int
	for i := range prob {
		prob[i] = weights[lo+i] * k / sum
		if prob[i] < 1 {
			small = append(small, i)
		} else {
			large = append(large, i)
		}
	}
	for len(small) > 0 && len(large) > 0 {
		s, l := small[len(small)-1], large[len(large)-1]
		small = small[:len(small)-1]
		set(lo+s, prob[s], lo+l)
		prob[l] -= 1 - prob[s]
		if prob[l] < 1 {
			large = large[:len(large)-1]
			small = append(small, l)
		}
	}
	// What is left is 1 up to rounding.
	for _, i := range append(small, large...) {
		set(lo+i, 1, lo+i)
	}
}

// edgeCounter counts draws of each undirected edge in an open-addressing
// hash table, far leaner than a map for tens of millions of edges.
type edgeCounter struct {
	slots []edgeSlot
	shift uint
	len   int
}

type edgeSlot struct {
	key   uint64 // u<<32 | v with u < v, plus 1; 0 marks an empty slot
	count uint32
}

func newEdgeCounter(m int) *edgeCounter {
	size, shift := 1, uint(64)
	for size < m+m/2+1 {
		size *= 2
		shift--
	}
	return &edgeCounter{slots: make([]edgeSlot, size), shift: shift}
}

func (t *edgeCounter) add(u, v int32) {
	if u > v {
		u, v = v, u
	}
	key := uint64(u)<<32 | uint64(v) + 1
	mask := len(t.slots) - 1
	for i := int((key * 0x9e3779b97f4a7c15) >> t.shift); ; i = (i + 1) & mask {
		s := &t.slots[i]
		switch s.key {
		case key:
			s.count++
			return
		case 0:
			s.key, s.count = key, 1
			t.len++
			return
		}
	}
}

// each calls f for every edge, in the fixed order of the table.
func (t *edgeCounter) each(f func(u, v int32, count uint32)) {
	for _, s := range t.slots {
		if s.key != 0 {
			key := s.key - 1
			f(int32(key>>32), int32(key&0xffffffff), s.count)
		}
	}
}
