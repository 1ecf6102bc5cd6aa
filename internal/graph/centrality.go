package graph

import (
	"container/heap"
	"context"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
)

// PageRank returns the PageRank of every node, summing to 1: the share of
// time a random walker spends at a node when it follows edges in
// proportion to their weight and, with probability 1−damping, jumps to a
// node chosen uniformly. A node without edge weight sends its walker to a
// uniformly chosen node, so isolated nodes keep the jump share and the sum
// stays 1. Iteration stops when the scores change by less than tol in L1
// norm, or after maxIter rounds. Rows are computed in parallel.
func PageRank(g *Graph, damping, tol float64, maxIter int) []float64 {
	n := g.Nodes()
	if n == 0 {
		return nil
	}
	strength := make([]float64, n)
	for v := range n {
		strength[v] = g.Strength(int32(v))
	}
	rank := make([]float64, n)
	for v := range rank {
		rank[v] = 1 / float64(n)
	}
	out := make([]float64, n) // rank[u]/strength[u]: what u sends per unit of weight
	next := make([]float64, n)
	chunks := rowChunks(g)
	diffs := make([]float64, len(chunks))
	for range maxIter {
		var dangling float64
		for u, s := range strength {
			if s > 0 {
				out[u] = rank[u] / s
			} else {
				out[u] = 0
				dangling += rank[u]
			}
		}
		base := (1-damping)/float64(n) + damping*dangling/float64(n)
		parallel(chunks, func(i int, c chunk) {
			var diff float64
			for v := c.lo; v < c.hi; v++ {
				var sum float64
				lo, hi := g.offsets[v], g.offsets[v+1]
				for p, u := range g.targets[lo:hi] {
					sum += g.weights[lo+p] * out[u]
				}
				next[v] = base + damping*sum
				diff += math.Abs(next[v] - rank[v])
			}
			diffs[i] = diff
		})
		rank, next = next, rank
		var diff float64
		for _, d := range diffs {
			diff += d
		}
		if diff < tol {
			break
		}
	}
	var sum float64
	for _, r := range rank {
		sum += r
	}
	for v := range rank {
		rank[v] /= sum
	}
	return rank
}

// Eigenvector returns the eigenvector centrality of every node, scaled so
// that the largest is 1: a node scores high when its neighbours do. It is
// found by power iteration on A+I rather than A, which has the same
// leading eigenvector but, unlike A on a bipartite graph (a star, a tree),
// no second eigenvalue of equal magnitude to make the iteration oscillate.
// On a disconnected graph the centrality concentrates on the component
// with the largest eigenvalue; the others tend to 0. Iteration stops when
// no score changes by more than tol, or after maxIter rounds.
func Eigenvector(g *Graph, tol float64, maxIter int) []float64 {
	n := g.Nodes()
	if n == 0 {
		return nil
	}
	x := make([]float64, n)
	for v := range x {
		x[v] = 1
	}
	next := make([]float64, n)
	chunks := rowChunks(g)
	for range maxIter {
		parallel(chunks, func(_ int, c chunk) {
			for v := c.lo; v < c.hi; v++ {
				sum := x[v]
				lo, hi := g.offsets[v], g.offsets[v+1]
				for p, u := range g.targets[lo:hi] {
					sum += g.weights[lo+p] * x[u]
				}
				next[v] = sum
			}
		})
		var top float64
		for _, s := range next {
			top = max(top, s)
		}
		var diff float64
		for v := range next {
			next[v] /= top
			diff = max(diff, math.Abs(next[v]-x[v]))
		}
		x, next = next, x
		if diff < tol {
			break
		}
	}
	return x
}

// Betweenness returns the betweenness centrality of every node: over all
// pairs of other nodes {s, t}, the share of the shortest paths (by hops)
// from s to t that pass through the node. It tells the brokers of a
// network, the nodes that join groups.
//
// It is Brandes' algorithm, a breadth-first search from every source, so
// O(nm): minutes for a million edges. With 0 < samples < n it searches from
// that many sources drawn by seed, without replacement, and scales the sums
// by n/samples, an unbiased estimate; sampled reports which was done.
// Sources are shared among GOMAXPROCS goroutines. The only error is ctx's,
// when it is cancelled.
func Betweenness(ctx context.Context, g *Graph, samples int, seed int64) (scores []float64, sampled bool, err error) {
	n := g.Nodes()
	sources := make([]int32, n)
	for v := range sources {
		sources[v] = int32(v)
	}
	scale := 0.5 // each pair is counted from both of its ends
	if samples > 0 && samples < n {
		rng := rand.New(rand.NewPCG(uint64(seed), 0x2545f4914f6cdd1d))
		for i := range samples { // partial Fisher-Yates
			j := i + rng.IntN(n-i)
			sources[i], sources[j] = sources[j], sources[i]
		}
		sources = sources[:samples]
		sampled = true
		scale *= float64(n) / float64(samples)
	}
	workers := min(runtime.GOMAXPROCS(0), max(len(sources), 1))
	partial := make([][]float64, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			b := newBrandes(n)
			// Fixed striping, so that sums come out the same on every run
			// with the same GOMAXPROCS.
			for i := w; i < len(sources); i += workers {
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
				b.from(g, sources[i])
			}
			partial[w] = b.score
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, false, err
		}
	}
	scores = partial[0]
	for _, p := range partial[1:] {
		for v, s := range p {
			scores[v] += s
		}
	}
	for v := range scores {
		scores[v] *= scale
	}
	return scores, sampled, nil
}

// brandes is one goroutine's scratch for Betweenness.
type brandes struct {
	score []float64
	node  []brandesNode
	order []int32 // nodes in the order the search reached them
}

// brandesNode keeps together what the search reads of a node, so that
// each row entry it scans costs one cache miss rather than three: the
// nodes of a large graph are far apart in memory.
type brandesNode struct {
	sigma float64 // number of shortest paths from the source
	delta float64 // dependency of the source on the node
	dist  int32   // hops from the source, -1 if not reached
}

func newBrandes(n int) *brandes {
	b := &brandes{score: make([]float64, n), node: make([]brandesNode, n)}
	for v := range b.node {
		b.node[v].dist = -1
	}
	return b
}

// from adds the dependencies of source s to the scores. Predecessors are
// not stored: the neighbours one hop nearer s are found again from dist,
// which costs one more scan of each row but no allocation.
func (b *brandes) from(g *Graph, s int32) {
	node := b.node
	order := append(b.order[:0], s)
	node[s] = brandesNode{sigma: 1}
	for head := 0; head < len(order); head++ {
		v := order[head]
		d, sigma := node[v].dist+1, node[v].sigma
		for _, u := range g.targets[g.offsets[v]:g.offsets[v+1]] {
			x := &node[u]
			if x.dist < 0 {
				x.dist = d
				order = append(order, u)
			}
			if x.dist == d {
				x.sigma += sigma
			}
		}
	}
	for i := len(order) - 1; i > 0; i-- {
		w := order[i]
		d := node[w].dist - 1
		c := (1 + node[w].delta) / node[w].sigma
		for _, v := range g.targets[g.offsets[w]:g.offsets[w+1]] {
			if x := &node[v]; x.dist == d {
				x.delta += x.sigma * c
			}
		}
		b.score[w] += node[w].delta
	}
	for _, v := range order {
		node[v] = brandesNode{dist: -1}
	}
	b.order = order
}

// Top returns the nodes of the k highest scores, highest first, ties by
// lower id; all nodes if k exceeds their number. NaN scores rank last.
func Top(scores []float64, k int) []int32 {
	k = min(k, len(scores))
	if k <= 0 {
		return nil
	}
	h := &minHeap{scores: scores}
	for v := range scores {
		if h.Len() < k {
			heap.Push(h, int32(v))
		} else if h.less(h.nodes[0], int32(v)) {
			h.nodes[0] = int32(v)
			heap.Fix(h, 0)
		}
	}
	top := make([]int32, h.Len())
	for i := len(top) - 1; i >= 0; i-- {
		top[i] = heap.Pop(h).(int32)
	}
	return top
}

// minHeap keeps the best k nodes seen, the worst of them on top.
type minHeap struct {
	scores []float64
	nodes  []int32
}

// less reports whether a ranks below b.
func (h *minHeap) less(a, b int32) bool {
	sa, sb := h.scores[a], h.scores[b]
	switch {
	case math.IsNaN(sa) || math.IsNaN(sb):
		if math.IsNaN(sa) != math.IsNaN(sb) {
			return math.IsNaN(sa)
		}
	case sa != sb:
		return sa < sb
	}
	return a > b
}

func (h *minHeap) Len() int           { return len(h.nodes) }
func (h *minHeap) Less(i, j int) bool { return h.less(h.nodes[i], h.nodes[j]) }
func (h *minHeap) Swap(i, j int)      { h.nodes[i], h.nodes[j] = h.nodes[j], h.nodes[i] }
func (h *minHeap) Push(x any)         { h.nodes = append(h.nodes, x.(int32)) }
func (h *minHeap) Pop() any {
	v := h.nodes[len(h.nodes)-1]
	h.nodes = h.nodes[:len(h.nodes)-1]
	return v
}

// chunk is a range of rows, [lo, hi).
type chunk struct{ lo, hi int }

// rowChunks splits the rows of g into one chunk per GOMAXPROCS with about
// as many row entries each; a small graph is one chunk, not worth a
// goroutine.
func rowChunks(g *Graph) []chunk {
	n := g.Nodes()
	parts := runtime.GOMAXPROCS(0)
	if len(g.targets)+n < 1<<16 || parts == 1 {
		return []chunk{{0, n}}
	}
	per := (len(g.targets) + n) / parts
	var chunks []chunk
	lo := 0
	for v := range n {
		if g.offsets[v+1]+v+1-(g.offsets[lo]+lo) >= per && len(chunks) < parts-1 {
			chunks = append(chunks, chunk{lo, v + 1})
			lo = v + 1
		}
	}
	return append(chunks, chunk{lo, n})
}

// parallel runs f on every chunk, each in its own goroutine but the last,
// and returns when all are done.
func parallel(chunks []chunk, f func(i int, c chunk)) {
	var wg sync.WaitGroup
	last := len(chunks) - 1
	for i, c := range chunks[:last] {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f(i, c)
		}()
	}
	f(last, chunks[last])
	wg.Wait()
}
