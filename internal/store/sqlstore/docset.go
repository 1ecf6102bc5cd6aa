package sqlstore

import (
	"cmp"
	"iter"
	"math"
	mathbits "math/bits"
	"slices"
)

// docSet is a set of documents by seq, as a search evaluates it: a list,
// ascending, when its documents are few for the seqs they span, and bits
// when they are many. A common name is in most documents of a million:
// its 700,000 seqs were 5.6 MB to fill and to meet another name's with,
// element by element; as bits they are 125 KB, met a word at a time.
type docSet struct {
	list []int64  // when bits is nil
	bits []uint64 // bit i of word w stands for seq base + 64w + i
	base int64    // a multiple of 64
	n    int
}

// listSet is the set of the seqs of l, ascending.
func listSet(l []int64) docSet { return docSet{list: l, n: len(l)} }

// denseEnough says whether n documents within seqs lo to hi are kept as
// bits: when the bits take no more room than the list would.
func denseEnough(n int, lo, hi int64) bool { return hi >= lo && (hi-lo)/64 < int64(n) }

// bitsFor returns an empty set of bits for seqs lo to hi; set adds to it,
// and counted counts it once it is filled.
func bitsFor(lo, hi int64) docSet {
	base := lo &^ 63
	return docSet{bits: make([]uint64, (hi-base)/64+1), base: base}
}

// set adds seq, which must lie within the bits' seqs.
func (s *docSet) set(seq int64) {
	u := uint64(seq - s.base)
	s.bits[u/64] |= 1 << (u % 64)
}

// counted returns s with its count of documents.
func (s docSet) counted() docSet {
	if s.bits == nil {
		s.n = len(s.list)
		return s
	}
	s.n = 0
	for _, w := range s.bits {
		s.n += mathbits.OnesCount64(w)
	}
	return s
}

// end is one past the last seq the bits can hold.
func (s docSet) end() int64 { return s.base + 64*int64(len(s.bits)) }

// has reports whether seq is in s.
func (s docSet) has(seq int64) bool {
	if s.bits == nil {
		_, ok := slices.BinarySearch(s.list, seq)
		return ok
	}
	if seq < s.base || seq >= s.end() {
		return false
	}
	u := uint64(seq - s.base)
	return s.bits[u/64]>>(u%64)&1 == 1
}

// bounds returns the lowest and the highest seq of s, which is not empty.
func (s docSet) bounds() (lo, hi int64) {
	if s.bits == nil {
		return s.list[0], s.list[len(s.list)-1]
	}
	i := slices.IndexFunc(s.bits, func(w uint64) bool { return w != 0 })
	lo = s.base + 64*int64(i) + int64(mathbits.TrailingZeros64(s.bits[i]))
	for j := len(s.bits) - 1; j >= 0; j-- {
		if w := s.bits[j]; w != 0 {
			hi = s.base + 64*int64(j) + 63 - int64(mathbits.LeadingZeros64(w))
			break
		}
	}
	return lo, hi
}

// all yields the seqs of s, ascending.
func (s docSet) all() iter.Seq[int64] {
	return func(yield func(int64) bool) {
		if s.bits == nil {
			for _, seq := range s.list {
				if !yield(seq) {
					return
				}
			}
			return
		}
		for i, w := range s.bits {
			for w != 0 {
				if !yield(s.base + 64*int64(i) + int64(mathbits.TrailingZeros64(w))) {
					return
				}
				w &= w - 1
			}
		}
	}
}

// slice returns the seqs of s, ascending.
func (s docSet) slice() []int64 {
	if s.bits == nil {
		return s.list
	}
	out := make([]int64, 0, s.n)
	for seq := range s.all() {
		out = append(out, seq)
	}
	return out
}

// newest returns k seqs of s, highest first, after the skip highest.
func (s docSet) newest(skip, k int) []int64 {
	k = max(0, min(k, s.n-skip))
	out := make([]int64, 0, k)
	if s.bits == nil {
		for i := len(s.list) - 1 - skip; len(out) < k; i-- {
			out = append(out, s.list[i])
		}
		return out
	}
	for i := len(s.bits) - 1; i >= 0 && len(out) < k; i-- {
		w := s.bits[i]
		if c := mathbits.OnesCount64(w); c <= skip {
			skip -= c
			continue
		}
		for w != 0 && len(out) < k {
			top := 63 - mathbits.LeadingZeros64(w)
			w &^= 1 << top
			if skip > 0 {
				skip--
				continue
			}
			out = append(out, s.base+64*int64(i)+int64(top))
		}
	}
	return out
}

// and returns the seqs in both a and b.
func and(a, b docSet) docSet {
	switch {
	case a.bits == nil && b.bits == nil:
		return listSet(intersect(a.list, b.list))
	case a.bits == nil:
		return listSet(filter(a.list, b, true))
	case b.bits == nil:
		return listSet(filter(b.list, a, true))
	}
	lo, hi := max(a.base, b.base), min(a.end(), b.end())
	if hi <= lo {
		return docSet{}
	}
	out := bitsFor(lo, hi-1)
	x, y := a.bits[(lo-a.base)/64:], b.bits[(lo-b.base)/64:]
	for i := range out.bits {
		out.bits[i] = x[i] & y[i]
	}
	return out.counted()
}

// filter returns the seqs of l that are in s, or if not in, those that
// are not.
func filter(l []int64, s docSet, in bool) []int64 {
	out := make([]int64, 0, len(l))
	for _, seq := range l {
		if s.has(seq) == in {
			out = append(out, seq)
		}
	}
	return out
}

// andAll returns the seqs in every one of sets, meeting the smallest
// first.
func andAll(sets []docSet) docSet {
	if len(sets) == 0 {
		return docSet{}
	}
	sets = slices.Clone(sets)
	slices.SortFunc(sets, func(a, b docSet) int { return cmp.Compare(a.n, b.n) })
	out := sets[0]
	for _, s := range sets[1:] {
		if out.n == 0 {
			break
		}
		out = and(out, s)
	}
	return out
}

// orAll returns the seqs in any of sets.
func orAll(sets []docSet) docSet {
	switch len(sets) {
	case 0:
		return docSet{}
	case 1:
		return sets[0]
	}
	var lists [][]int64
	n := 0
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, s := range sets {
		if s.n == 0 {
			continue
		}
		if s.bits == nil {
			lists = append(lists, s.list)
		}
		l, h := s.bounds()
		lo, hi, n = min(lo, l), max(hi, h), n+s.n
	}
	if n == 0 {
		return docSet{}
	}
	if len(lists) == len(sets) && !denseEnough(n, lo, hi) {
		return listSet(unionAll(lists))
	}
	out := bitsFor(lo, hi)
	for _, s := range sets {
		switch {
		case s.n == 0:
			continue
		case s.bits == nil:
			for _, seq := range s.list {
				out.set(seq)
			}
			continue
		}
		// Both bases are multiples of 64: words meet words.
		l, h := max(s.base, out.base), min(s.end(), out.end())
		x := out.bits[(l-out.base)/64:]
		for i, w := range s.bits[(l-s.base)/64 : (h-s.base)/64] {
			x[i] |= w
		}
	}
	return out.counted()
}

// andNot returns the seqs of a that are not in b.
func andNot(a, b docSet) docSet {
	switch {
	case a.n == 0 || b.n == 0:
		return a
	case a.bits == nil && b.bits == nil:
		return listSet(difference(a.list, b.list))
	case a.bits == nil:
		return listSet(filter(a.list, b, false))
	}
	out := a
	out.bits = slices.Clone(a.bits)
	if b.bits == nil {
		for _, seq := range b.list {
			if seq >= out.base && seq < out.end() {
				u := uint64(seq - out.base)
				out.bits[u/64] &^= 1 << (u % 64)
			}
		}
		return out.counted()
	}
	lo, hi := max(a.base, b.base), min(a.end(), b.end())
	if hi > lo {
		x, y := out.bits[(lo-a.base)/64:(hi-a.base)/64], b.bits[(lo-b.base)/64:]
		for i := range x {
			x[i] &^= y[i]
		}
	}
	return out.counted()
}

// intersect returns the elements of both a and b (ascending), galloping
// through the longer when one is much shorter.
func intersect(a, b []int64) []int64 {
	if len(a) > len(b) {
		a, b = b, a
	}
	out := make([]int64, 0, len(a)+1)
	if len(a)*16 < len(b) {
		for _, x := range a {
			i, ok := slices.BinarySearch(b, x)
			if ok {
				out = append(out, x)
			}
			b = b[i:]
		}
		return out
	}
	if len(a) == 0 {
		return out
	}
	// Two lists as dense as a common name's (a document in two or three)
	// are met in a bitset over the seqs both span, without a branch on
	// whether an element is in both: a merge's branches mispredict at
	// every other step there.
	lo, hi := max(a[0], b[0]), min(a[len(a)-1], b[len(b)-1])
	if hi < lo {
		return out
	}
	if (hi-lo)/64 <= int64(len(a)) {
		bits := make([]uint64, (hi-lo)/64+1)
		for _, x := range a {
			if x >= lo && x <= hi {
				u := uint64(x - lo)
				bits[u/64] |= 1 << (u % 64)
			}
		}
		out = out[: len(a)+1 : len(a)+1] // the matches, and room for one more written past them
		n := 0
		for _, x := range b {
			if x >= lo && x <= hi {
				u := uint64(x - lo)
				out[n] = x
				n += int(bits[u/64] >> (u % 64) & 1)
			}
		}
		return out[:n]
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		switch {
		case a[i] < b[j]:
			i++
		case a[i] > b[j]:
			j++
		default:
			out = append(out, a[i])
			i++
			j++
		}
	}
	return out
}

// unionAll returns the elements of any of lists, ascending.
func unionAll(lists [][]int64) []int64 {
	switch len(lists) {
	case 0:
		return nil
	case 1:
		return lists[0]
	}
	n := 0
	for _, l := range lists {
		n += len(l)
	}
	out := make([]int64, 0, n)
	if len(lists) == 2 {
		a, b := lists[0], lists[1]
		for len(a) > 0 && len(b) > 0 {
			switch {
			case a[0] < b[0]:
				out, a = append(out, a[0]), a[1:]
			case a[0] > b[0]:
				out, b = append(out, b[0]), b[1:]
			default:
				out, a, b = append(out, a[0]), a[1:], b[1:]
			}
		}
		return append(append(out, a...), b...)
	}
	// More lists (a prefix's words) are marked in a bitset over the seqs
	// they span: linear in their lengths, 125 KB for a million documents,
	// where sorting them all took time and memory in their sum.
	lo, hi := int64(math.MaxInt64), int64(0)
	for _, l := range lists {
		if len(l) > 0 {
			lo, hi = min(lo, l[0]), max(hi, l[len(l)-1])
		}
	}
	if hi < lo {
		return nil
	}
	if (hi-lo)/64 > int64(4*n) { // sparse: sorting is the cheaper
		for _, l := range lists {
			out = append(out, l...)
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	bits := make([]uint64, (hi-lo)/64+1)
	for _, l := range lists {
		for _, x := range l {
			bits[(x-lo)/64] |= 1 << ((x - lo) % 64)
		}
	}
	for i, w := range bits {
		for w != 0 {
			b := int64(mathbits.TrailingZeros64(w))
			out = append(out, lo+int64(i)*64+b)
			w &= w - 1
		}
	}
	return out
}

// difference returns the elements of a (ascending) not in b.
func difference(a, b []int64) []int64 {
	out := make([]int64, 0, len(a))
	for _, x := range a {
		i, ok := slices.BinarySearch(b, x)
		if !ok {
			out = append(out, x)
		}
		b = b[i:]
	}
	return out
}
