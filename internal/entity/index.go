package entity

import (
	"cmp"
	"slices"
	"sync"
)

// Index holds names by blocking key, for incremental resolution: a new
// document's names are looked up against everything resolved so far,
// without a global rebuild.
//
// An Index is safe for concurrent use: Add takes a write lock, Candidates a
// read lock, so many lookups run in parallel between additions.
type Index struct {
	mu    sync.RWMutex
	names []indexed
	keys  map[string][]int32 // key → positions in names
}

type indexed struct {
	id   int64
	name Name
	gone bool // relabelled away
}

// Candidate is an indexed name that may be the same entity as a name looked
// up, with the comparison that says how likely.
type Candidate struct {
	ID         int64
	Name       Name
	Comparison Comparison
}

// Lookup limits. A key of at most maxPosting names is looked through in
// full; the names of commoner keys (a common given name) are looked at only
// where two such keys meet, and only if the rarer has at most maxIntersect
// names. At most maxCompare names, those sharing the most keys with the
// name looked up, are compared.
const (
	maxPosting   = 2000
	maxIntersect = 50000
	maxCompare   = 400
)

// NewIndex returns an empty index.
func NewIndex() *Index {
	return &Index{keys: make(map[string][]int32)}
}

// Add indexes n under id, the caller's identifier (an entity id, say). One
// id may be added with many names: its spellings.
func (x *Index) Add(id int64, n Name) {
	x.add(id, n)
}

// add indexes n under id and returns its place, for relabel.
func (x *Index) add(id int64, n Name) int {
	x.mu.Lock()
	defer x.mu.Unlock()
	pos := int32(len(x.names))
	x.names = append(x.names, indexed{id: id, name: n})
	for _, k := range n.Keys {
		x.keys[k] = append(x.keys[k], pos)
	}
	return int(pos)
}

// idAt is the id of the name at pos.
func (x *Index) idAt(pos int) int64 {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return x.names[pos].id
}

// relabel gives the name at pos the id id; an id of zero takes it out of
// every lookup.
func (x *Index) relabel(pos int, id int64) {
	x.mu.Lock()
	defer x.mu.Unlock()
	x.names[pos].id, x.names[pos].gone = id, id == 0
}

// Len returns the number of names added.
func (x *Index) Len() int {
	x.mu.RLock()
	defer x.mu.RUnlock()
	return len(x.names)
}

// Candidates returns the indexed names most likely to be the same entity as
// n, best first, at most limit of them (all when limit ≤ 0), one per id:
// the id's best-scoring name. Names scoring 0 are left out; the others are
// returned whether or not they match, so that a caller can show near
// misses: see Comparison.Match.
func (x *Index) Candidates(n Name, limit int) []Candidate {
	x.mu.RLock()
	defer x.mu.RUnlock()
	// Gather the positions of names sharing a key, once per key shared;
	// postings are in position order, so commoner keys meet by merging.
	var pos []int32
	var big [][]int32
	for _, k := range n.Keys {
		ps := x.keys[k]
		if len(ps) > maxPosting {
			big = append(big, ps)
			continue
		}
		pos = append(pos, ps...)
	}
	slices.SortFunc(big, func(a, b []int32) int { return len(a) - len(b) })
	for i := 0; i < len(big); i++ {
		if len(big[i]) > maxIntersect {
			break
		}
		for j := i + 1; j < len(big); j++ {
			pos = appendIntersection(pos, big[i], big[j])
		}
	}
	slices.Sort(pos)
	// Count the keys each position shares, keep the most telling.
	type cand struct {
		p      int32
		shared int
	}
	cands := make([]cand, 0, len(pos))
	for i := 0; i < len(pos); {
		j := i
		for j < len(pos) && pos[j] == pos[i] {
			j++
		}
		cands = append(cands, cand{pos[i], j - i})
		i = j
	}
	if len(cands) > maxCompare {
		slices.SortStableFunc(cands, func(a, b cand) int { return b.shared - a.shared })
		cands = cands[:maxCompare]
	}
	var sc scratch
	var out []Candidate
	best := make(map[int64]int) // id → position in out
	for _, cd := range cands {
		e := &x.names[cd.p]
		if e.gone {
			continue
		}
		c := compare(&n, &e.name, false, &sc)
		if c.Score <= 0 {
			continue
		}
		if k, ok := best[e.id]; ok {
			if out[k].Comparison.Score < c.Score {
				out[k] = Candidate{e.id, e.name, c}
			}
			continue
		}
		best[e.id] = len(out)
		out = append(out, Candidate{e.id, e.name, c})
	}
	slices.SortFunc(out, func(a, b Candidate) int {
		if a.Comparison.Score != b.Comparison.Score {
			if a.Comparison.Score > b.Comparison.Score {
				return -1
			}
			return 1
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	// Explain the ones returned.
	for i := range out {
		out[i].Comparison = Compare(n, out[i].Name)
	}
	return out
}

// appendIntersection appends to dst the positions in both sorted lists.
func appendIntersection(dst, a, b []int32) []int32 {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] == b[j]:
			dst = append(dst, a[i])
			i++
			j++
		case a[i] < b[j]:
			i++
		default:
			j++
		}
	}
	return dst
}
