package sqlstore

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestDocSets checks the operations of document sets, as lists and as
// bits and mixed, against maps: random sets over shifted spans, sparse and
// dense, some empty.
func TestDocSets(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	random := func() map[int64]bool {
		m := map[int64]bool{}
		lo := int64(rng.IntN(500))
		span := 1 + rng.IntN(3000)
		n := rng.IntN(span + 1)
		if rng.IntN(8) == 0 {
			n = 0
		}
		for range n {
			m[lo+int64(rng.IntN(span))] = true
		}
		return m
	}
	sorted := func(m map[int64]bool) []int64 {
		var out []int64
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	// as returns the set m as a list, or as bits over a span wider than
	// its seqs (as a token's runs may leave).
	as := func(m map[int64]bool, bits bool) docSet {
		l := sorted(m)
		if !bits {
			return listSet(l)
		}
		lo, hi := int64(rng.IntN(600)), int64(3600+rng.IntN(200))
		if len(l) > 0 {
			lo, hi = min(lo, l[0]), max(hi, l[len(l)-1])
		}
		s := bitsFor(lo, hi)
		for _, seq := range l {
			s.set(seq)
		}
		return s.counted()
	}
	check := func(what string, got docSet, want map[int64]bool) {
		t.Helper()
		w := sorted(want)
		if got.n != len(w) || !slices.Equal(got.slice(), w) && len(w) > 0 {
			t.Fatalf("%s: %d %v, want %d %v", what, got.n, got.slice(), len(w), w)
		}
		if len(w) == 0 {
			return
		}
		if lo, hi := got.bounds(); lo != w[0] || hi != w[len(w)-1] {
			t.Fatalf("%s: bounds %d, %d, want %d, %d", what, lo, hi, w[0], w[len(w)-1])
		}
		skip, k := rng.IntN(len(w)+2), rng.IntN(len(w)+2)
		var newest []int64
		for i := len(w) - 1 - skip; i >= 0 && len(newest) < k; i-- {
			newest = append(newest, w[i])
		}
		if got := got.newest(skip, k); !slices.Equal(got, newest) && len(newest) > 0 || len(got) != len(newest) {
			t.Fatalf("%s: newest(%d, %d) %v, want %v", what, skip, k, got, newest)
		}
		for range 20 {
			seq := int64(rng.IntN(4000))
			if got.has(seq) != want[seq] {
				t.Fatalf("%s: has(%d) %v", what, seq, !want[seq])
			}
		}
	}
	for range 500 {
		a, b, c := random(), random(), random()
		and2, and3, or3, not := map[int64]bool{}, map[int64]bool{}, map[int64]bool{}, map[int64]bool{}
		for k := range a {
			if b[k] {
				and2[k] = true
				if c[k] {
					and3[k] = true
				}
			} else {
				not[k] = true
			}
		}
		for _, m := range []map[int64]bool{a, b, c} {
			for k := range m {
				or3[k] = true
			}
		}
		for _, bits := range [][3]bool{{false, false, false}, {true, true, true}, {true, false, true}, {false, true, false}} {
			x, y, z := as(a, bits[0]), as(b, bits[1]), as(c, bits[2])
			check("set", x, a)
			check("and", and(x, y), and2)
			check("and reversed", and(y, x), and2)
			check("andAll", andAll([]docSet{z, y, x}), and3)
			check("orAll", orAll([]docSet{x, y, z}), or3)
			check("orAll of one", orAll([]docSet{x}), a)
			check("andNot", andNot(x, y), not)
		}
	}
}
