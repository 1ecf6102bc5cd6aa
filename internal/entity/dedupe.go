package entity

import (
	"hash/maphash"
	"runtime"
	"slices"
	"strings"
	"sync"
)

// Dedupe clusters names: cluster[i] is the cluster of names[i], a small
// integer (0, 1, 2, ... in order of first appearance); equal means one
// entity.
//
// Names spelt alike (the same kind and tokens) are one entity outright.
// Otherwise only names that share a blocking key are compared; a key shared
// by too many names (a common given name) is split by the names' other keys,
// so the cost stays near-linear in the number of names. Matching pairs are
// then joined best first, single-link, but a join of two groups must be
// backed by the mean score of their pairs that share a key (see linked):
// one good pair cannot chain two unrelated groups together.
func Dedupe(names []Name) []int {
	return DedupeWith(names, nil, nil)
}

// DedupeWith is Dedupe under analysts' judgements: each pair in mustLink
// ends up in one cluster, each pair in cannotLink in two, and transitively:
// if A is B and B is not C, A is never put with C. Pairs index names. Where
// the judgements contradict each other (A must be B, B must be C, A cannot
// be C) the must-links win. Pairs with an index out of range are ignored.
func DedupeWith(names []Name, mustLink, cannotLink [][2]int) []int {
	n := len(names)
	uf := newUnionFind(n)
	for _, p := range mustLink {
		if inRange(p, n) {
			uf.union(p[0], p[1])
		}
	}
	for _, p := range cannotLink {
		if inRange(p, n) {
			uf.forbid(p[0], p[1])
		}
	}
	reps, dups := representatives(names)
	for _, d := range dups {
		uf.unionIfAllowed(int(d[0]), int(d[1]))
	}
	keys := hashKeys(names)
	edges := matchEdges(names, reps, keys)
	slices.SortFunc(edges, func(x, y matchEdge) int {
		switch {
		case x.score != y.score:
			if x.score > y.score {
				return -1
			}
			return 1
		case x.a != y.a:
			return int(x.a - y.a)
		}
		return int(x.b - y.b)
	})
	// members lists each group that has more than one member, by root.
	members := make(map[int][]int32)
	for i := range names {
		if r := uf.find(i); r != i {
			if members[r] == nil {
				members[r] = []int32{int32(r)}
			}
			members[r] = append(members[r], int32(i))
		}
	}
	group := func(r int) []int32 {
		if m, ok := members[r]; ok {
			return m
		}
		return []int32{int32(r)}
	}
	var sc scratch
	for _, e := range edges {
		ra, rb := uf.find(int(e.a)), uf.find(int(e.b))
		if ra == rb {
			continue
		}
		ga, gb := group(ra), group(rb)
		if len(ga)*len(gb) > 1 && !linked(names, keys, ga, gb, &sc) {
			continue
		}
		if uf.unionIfAllowed(ra, rb) {
			m := append(append(make([]int32, 0, len(ga)+len(gb)), ga...), gb...)
			delete(members, ra)
			delete(members, rb)
			members[uf.find(ra)] = m
		}
	}
	cluster := make([]int, n)
	ids := make(map[int]int)
	for i := range names {
		r := uf.find(i)
		id, ok := ids[r]
		if !ok {
			id = len(ids)
			ids[r] = id
		}
		cluster[i] = id
	}
	return cluster
}

func inRange(p [2]int, n int) bool {
	return p[0] >= 0 && p[0] < n && p[1] >= 0 && p[1] < n
}

// representatives picks one name of each spelling (kind and tokens): reps
// are their indexes, and dups pairs each other name with its spelling's
// representative.
func representatives(names []Name) (reps []int32, dups [][2]int32) {
	seen := make(map[string]int32, len(names))
	var b strings.Builder
	for i := range names {
		b.Reset()
		b.WriteByte(byte('0' + names[i].Kind))
		for _, t := range names[i].Tokens {
			b.WriteByte(' ')
			b.WriteString(t)
		}
		k := b.String()
		if r, ok := seen[k]; ok && names[i].nContent > 0 {
			dups = append(dups, [2]int32{r, int32(i)})
			continue
		}
		seen[k] = int32(i)
		reps = append(reps, int32(i))
	}
	return reps, dups
}

// matchEdge is a matching pair of names.
type matchEdge struct {
	a, b  int32
	score float32
}

// Blocking limits. A block of at most maxBlock names is compared pair by
// pair; a bigger one is split by its names' other keys into sub-blocks of
// at most maxBlock; what is still bigger is left out: it says nothing that
// a rarer key does not.
const maxBlock = 128

// hashKeys returns the blocking keys of each name, hashed and sorted.
func hashKeys(names []Name) [][]uint64 {
	seed := maphash.MakeSeed()
	keys := make([][]uint64, len(names))
	all := make([]uint64, 0, 4*len(names))
	for i := range names {
		start := len(all)
		for _, k := range names[i].Keys {
			all = append(all, maphash.String(seed, k))
		}
		ks := all[start:len(all):len(all)]
		slices.Sort(ks)
		keys[i] = slices.Compact(ks)
	}
	return keys
}

// matchEdges returns the matching pairs among the representatives reps that
// share a key, comparing on all cores. nameKeys are the names' hashed keys.
func matchEdges(names []Name, reps []int32, nameKeys [][]uint64) []matchEdge {
	// keys[k] are the hashed keys of reps[k].
	keys := make([][]uint64, len(reps))
	blocks := make(map[uint64][]int32)
	for k, r := range reps {
		keys[k] = nameKeys[r]
		for _, h := range keys[k] {
			blocks[h] = append(blocks[h], int32(k))
		}
	}
	// A pair is compared in the first small block the two share, and only
	// there; pairs sharing only big blocks are compared in sub-blocks.
	small := func(h uint64) bool { n := len(blocks[h]); return n >= 2 && n <= maxBlock }
	// A job is a block to compare pair by pair: a small block, with its
	// key, or a sub-block of big ones (key 0).
	type job struct {
		key uint64
		ids []int32
	}
	var jobs []job
	var big []uint64
	for h, ids := range blocks {
		switch {
		case len(ids) < 2:
		case len(ids) <= maxBlock:
			jobs = append(jobs, job{h, ids})
		default:
			big = append(big, h)
		}
	}
	slices.Sort(big)
	bigSet := make(map[uint64]bool, len(big))
	for _, h := range big {
		bigSet[h] = true
	}
	// Sub-blocks of a big block: its names grouped by a second big key
	// (names sharing a small key meet in its block anyway).
	sub := make(map[[2]uint64][]int32)
	for _, h := range big {
		for _, k := range blocks[h] {
			for _, h2 := range keys[k] {
				if h2 > h && bigSet[h2] {
					sub[[2]uint64{h, h2}] = append(sub[[2]uint64{h, h2}], k)
				}
			}
		}
	}
	for _, ids := range sub {
		if len(ids) >= 2 && len(ids) <= maxBlock {
			jobs = append(jobs, job{0, ids})
		}
	}
	// firstSmall returns the first small key two reps share, or 0, false.
	firstSmall := func(x, y int32) (uint64, bool) {
		a, b := keys[x], keys[y]
		i, j := 0, 0
		for i < len(a) && j < len(b) {
			switch {
			case a[i] == b[j]:
				if small(a[i]) {
					return a[i], true
				}
				i++
				j++
			case a[i] < b[j]:
				i++
			default:
				j++
			}
		}
		return 0, false
	}
	workers := runtime.GOMAXPROCS(0)
	results := make([][]matchEdge, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			var sc scratch
			var out []matchEdge
			for bi := w; bi < len(jobs); bi += workers {
				ids, h := jobs[bi].ids, jobs[bi].key
				for x := 0; x < len(ids); x++ {
					for y := x + 1; y < len(ids); y++ {
						if f, ok := firstSmall(ids[x], ids[y]); ok != (h != 0) || ok && f != h {
							continue
						}
						a, b := reps[ids[x]], reps[ids[y]]
						c := compare(&names[a], &names[b], false, &sc)
						if c.Match {
							if a > b {
								a, b = b, a
							}
							out = append(out, matchEdge{a, b, float32(c.Score)})
						}
					}
				}
			}
			results[w] = out
		}(w)
	}
	wg.Wait()
	var edges []matchEdge
	for _, r := range results {
		edges = append(edges, r...)
	}
	// Sub-blocks may meet a pair twice.
	slices.SortFunc(edges, func(x, y matchEdge) int {
		if x.a != y.a {
			return int(x.a - y.a)
		}
		return int(x.b - y.b)
	})
	return slices.CompactFunc(edges, func(x, y matchEdge) bool { return x.a == y.a && x.b == y.b })
}

// linkMin is the mean score that the pairs of two groups must reach for the
// groups to join (see linked). Set on the OFAC benchmark.
const linkMin = 0.4

// linked reports whether two groups of names are close enough to join: the
// mean score over their pairs that share a blocking key (a sample of them
// for big groups) must reach linkMin. Single links between groups chain
// unrelated names through a shared common word; the mean does not. Pairs
// that share no key are left out of the mean: they are not evidence against
// ("JAT" and "Ansar al-Thughur" share no letter, but each matches "Jama'at
// Ansar al-Thughur").
func linked(names []Name, keys [][]uint64, ga, gb []int32, sc *scratch) bool {
	const maxPairs = 32
	total := len(ga) * len(gb)
	step := 1
	if total > maxPairs {
		step = total / maxPairs
	}
	var sum float64
	n := 0
	for k := 0; k < total; k += step {
		x, y := ga[k/len(gb)], gb[k%len(gb)]
		if !shareHash(keys[x], keys[y]) {
			continue
		}
		sum += compare(&names[x], &names[y], false, sc).Score
		n++
	}
	return n == 0 || sum/float64(n) >= linkMin
}

// shareHash reports whether two sorted lists of hashed keys have one in
// common.
func shareHash(a, b []uint64) bool {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			return true
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return false
}

// unionFind is a disjoint-set forest with cannot-link constraints between
// sets.
type unionFind struct {
	parent []int32
	rank   []uint8
	// cannot maps a root to members of the sets it must not join.
	cannot map[int32][]int32
}

func newUnionFind(n int) *unionFind {
	u := &unionFind{parent: make([]int32, n), rank: make([]uint8, n)}
	for i := range u.parent {
		u.parent[i] = int32(i)
	}
	return u
}

func (u *unionFind) find(i int) int {
	x := int32(i)
	for u.parent[x] != x {
		u.parent[x] = u.parent[u.parent[x]]
		x = u.parent[x]
	}
	return int(x)
}

// forbid records that the sets of a and b must never join.
func (u *unionFind) forbid(a, b int) {
	if u.cannot == nil {
		u.cannot = make(map[int32][]int32)
	}
	ra, rb := int32(u.find(a)), int32(u.find(b))
	u.cannot[ra] = append(u.cannot[ra], int32(b))
	u.cannot[rb] = append(u.cannot[rb], int32(a))
}

// allowed reports whether the sets of roots ra and rb may join.
func (u *unionFind) allowed(ra, rb int) bool {
	if u.cannot == nil {
		return true
	}
	x, y := u.cannot[int32(ra)], u.cannot[int32(rb)]
	if len(x) > len(y) {
		x, rb = y, ra
	}
	for _, m := range x {
		if u.find(int(m)) == rb {
			return false
		}
	}
	return true
}

// unionIfAllowed joins the sets of a and b unless a cannot-link forbids it,
// and reports whether they are one set now.
func (u *unionFind) unionIfAllowed(a, b int) bool {
	ra, rb := u.find(a), u.find(b)
	if ra == rb {
		return true
	}
	if !u.allowed(ra, rb) {
		return false
	}
	u.link(ra, rb)
	return true
}

func (u *unionFind) union(a, b int) {
	ra, rb := u.find(a), u.find(b)
	if ra != rb {
		u.link(ra, rb)
	}
}

func (u *unionFind) link(ra, rb int) {
	if u.rank[ra] < u.rank[rb] {
		ra, rb = rb, ra
	}
	u.parent[rb] = int32(ra)
	if u.rank[ra] == u.rank[rb] {
		u.rank[ra]++
	}
	if u.cannot != nil {
		if c := u.cannot[int32(rb)]; len(c) > 0 {
			u.cannot[int32(ra)] = append(u.cannot[int32(ra)], c...)
			delete(u.cannot, int32(rb))
		}
	}
}
