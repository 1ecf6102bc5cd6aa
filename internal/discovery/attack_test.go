package discovery

import (
	"encoding/binary"
	"fmt"
	"math/bits"
	"math/rand"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"testing"

	"mosaic"
	"mosaic/internal/entity"
)

// The attacks of this file are what someone who holds an exported index but
// not the linkage key — the exchange, a thief of the file — can do with it
// when they also hold the list its names came from: here the whole OFAC
// list, with the frequency of every name and q-gram in it. They know the
// encoding's algorithm and Params (an index carries them), not the key.
//
// Both learn which bit positions some q-grams set, then name each encoding
// after the list name whose q-grams best explain its bits; a
// re-identification counts only when that one guess is the true name. Both
// find a q-gram's bit pattern the same way: in a plain Bloom filter every
// encoding holding the q-gram has all its k positions set, so the attacker
// looks for k positions set together in about as many encodings as the list
// predicts (candidates). They differ in what picks among the candidates:
//
//   - the frequency attack, frequencies: the q-gram's own, and those of the
//     q-gram with each q-gram already placed;
//   - the pattern-mining attack, the parts that the q-grams already placed
//     split the index and the list into (with them, or without), in each of
//     which the pattern must be as frequent as the q-gram.
//
// Both place the forty most frequent q-grams, then refine: the guessed
// names say which encodings hold each q-gram, and its positions are those
// set in nearly all of them. Against a plain filter that converges; against
// the hardened DefaultParams no position belongs to one q-gram (a folded
// bit is the parity of two, and balancing sets half the bits of every
// filter), and it must not.

// ofacDir is the OFAC data beside the repository: ../shared/data/ofac.
var ofacDir = filepath.Join("..", "..", "..", "shared", "data", "ofac")

func loadOFAC(t testing.TB) []entity.BenchName {
	t.Helper()
	if _, err := os.Stat(filepath.Join(ofacDir, "sdn.csv")); err != nil {
		t.Skipf("OFAC data not found at %s (it lives in ../shared beside the repository): %v", ofacDir, err)
	}
	bench, err := entity.LoadOFAC(ofacDir)
	if err != nil {
		t.Fatal(err)
	}
	return bench
}

// Attack settings.
const (
	// attackSample is how many of the list's names the index encodes.
	attackSample = 4000
	// mineSlack is how far below its expected count a q-gram's positions
	// may be set together: the sample's frequencies stray from the list's.
	mineSlack = 0.1
	// minSupport is the fewest encodings a q-gram is mined from.
	minSupport = 8
	// coverAll is the share of the encodings holding a q-gram in which a
	// position must be set to be the q-gram's.
	coverAll = 0.95
	// maxNodes bounds the pattern-mining attack's splits.
	maxNodes = 400
	// refineRounds is how often the guesses teach positions back.
	refineRounds = 3
	// minePartners bounds the positions tried with each seed.
	minePartners = 60
)

// rowset is a set of encodings (or names) as bits.
type rowset []uint64

func newRowset(n int) rowset    { return make(rowset, (n+63)/64) }
func (r rowset) add(i int)      { r[i/64] |= 1 << (i % 64) }
func (r rowset) has(i int) bool { return r[i/64]>>(i%64)&1 == 1 }
func (r rowset) clone() rowset  { return slices.Clone(r) }
func (r rowset) and(s rowset)   { andInto(r, r, s) }
func andInto(dst, a, b rowset) {
	for i := range dst {
		dst[i] = a[i] & b[i]
	}
}
func (r rowset) count() int { return andCount(r, r) }
func andCount(a, b rowset) int {
	n := 0
	for i := range a {
		n += bits.OnesCount64(a[i] & b[i])
	}
	return n
}

// target is what the attacker holds for one kind: the list and the index.
type target struct {
	names []string  // the list's distinct names
	count []int     // how often each occurs in the list
	grams [][]int32 // each name's distinct q-grams, as ids
	nGram int
	enc   [][]uint64 // the index's filters, as words
	truth []int      // the true name of each filter (known to the test only)
	width int        // bits in a filter
	k     int        // positions per q-gram, from Params
	cols  []rowset   // cols[p]: the filters with bit p set
}

// newTarget encodes a random sample of list (names of kind) with e, as an
// export would: each distinct filter once.
func newTarget(e *Encoder, kind mosaic.MentionType, list []string, sample int, rng *rand.Rand) *target {
	p := e.Params()
	tg := &target{width: 8 * p.FilterBytes(), k: p.Hashes}
	byName := make(map[string]int)
	gramID := make(map[string]int32)
	for _, n := range list {
		i, ok := byName[n]
		if !ok {
			i = len(tg.names)
			byName[n] = i
			tg.names = append(tg.names, n)
			tg.count = append(tg.count, 0)
			var gs []int32
			for _, g := range nameGrams(p, kind, n) {
				id, ok := gramID[g]
				if !ok {
					id = int32(len(gramID))
					gramID[g] = id
				}
				gs = append(gs, id)
			}
			slices.Sort(gs)
			tg.grams = append(tg.grams, slices.Compact(gs))
		}
		tg.count[i]++
	}
	tg.nGram = len(gramID)
	seen := make(map[string]bool)
	for _, j := range rng.Perm(len(list))[:min(sample, len(list))] {
		f := e.Encode(kind, list[j])
		if f == nil || seen[string(f)] {
			continue
		}
		seen[string(f)] = true
		w := make([]uint64, len(f)/8)
		for i := range w {
			w[i] = binary.LittleEndian.Uint64(f[8*i:])
		}
		tg.enc = append(tg.enc, w)
		tg.truth = append(tg.truth, byName[list[j]])
	}
	tg.cols = make([]rowset, tg.width)
	for b := range tg.cols {
		tg.cols[b] = newRowset(len(tg.enc))
	}
	for i, w := range tg.enc {
		for b := range tg.width {
			if w[b/64]>>(b%64)&1 == 1 {
				tg.cols[b].add(i)
			}
		}
	}
	return tg
}

// nameGrams returns the q-grams Encode hashes for a name, as the attacker,
// who knows the algorithm, computes them.
func nameGrams(p Params, kind mosaic.MentionType, value string) []string {
	var out []string
	for _, w := range NameTokens(kind, value) {
		out = append(out, qgrams(w, p.Q)...)
	}
	if p.Skeletons {
		for _, sk := range NameSkeletons(kind, value) {
			for _, g := range qgrams(sk, p.Q) {
				out = append(out, "\x00"+g)
			}
		}
	}
	return out
}

// gramFreq returns each q-gram's share of the names (counted with their
// frequency) in names.
func (tg *target) gramFreq(names []int) []float64 {
	f := make([]float64, tg.nGram)
	total := 0
	for _, i := range names {
		total += tg.count[i]
		for _, g := range tg.grams[i] {
			f[g] += float64(tg.count[i])
		}
	}
	for g := range f {
		f[g] /= float64(total)
	}
	return f
}

// within returns the columns restricted to rows.
func (tg *target) within(rows rowset) []rowset {
	cols := make([]rowset, tg.width)
	for b := range cols {
		cols[b] = tg.cols[b].clone()
		cols[b].and(rows)
	}
	return cols
}

// pattern is a set of positions set together: the candidate bit pattern
// of one q-gram.
type pattern struct {
	rows  rowset // the encodings with every position set
	count int
	pos   []int // the positions set in nearly all of rows
}

// candidates returns the patterns that might be a q-gram's expected in
// about want of the encodings cols describe, using no position in used. A
// q-gram's positions are all set in every encoding that holds it, so the
// encodings that have all of them are about want, and nearly no other
// position is set in all of those. From each position set often enough
// the attack grows a set one position at a time, taking the one whose
// encodings lie most within those the set has so far, while at least want
// of them remain.
func (tg *target) candidates(cols []rowset, want float64, used []bool) []pattern {
	least := (1 - mineSlack) * want
	var cand []int
	support := make([]int, len(cols))
	for b := range cols {
		support[b] = cols[b].count()
		if !used[b] && float64(support[b]) >= least {
			cand = append(cand, b)
		}
	}
	co := make([][]int, len(cand))
	for i := range cand {
		co[i] = make([]int, len(cand))
	}
	for i := range cand {
		for j := i + 1; j < len(cand); j++ {
			n := andCount(cols[cand[i]], cols[cand[j]])
			co[i][j], co[j][i] = n, n
		}
	}
	seen := make(map[string]bool)
	var out []pattern
	order := make([]int, 0, len(cand))
	for i := range cand {
		// The partners worth trying: those set with the seed often enough,
		// most contained in the seed's encodings first.
		order = order[:0]
		for j := range cand {
			if j != i && float64(co[i][j]) >= least {
				order = append(order, j)
			}
		}
		ratio := func(j int) float64 { return float64(co[i][j]) / float64(support[cand[j]]) }
		sort.Slice(order, func(x, y int) bool {
			if rx, ry := ratio(order[x]), ratio(order[y]); rx != ry {
				return rx > ry
			}
			return order[x] < order[y]
		})
		if len(order) > minePartners {
			order = order[:minePartners]
		}
		r := cols[cand[i]].clone()
		in := make([]bool, len(order))
		n := 1
		for n < tg.k {
			pick, pickRatio := -1, 0.0
			for x, j := range order {
				if in[x] {
					continue
				}
				c := andCount(r, cols[cand[j]])
				if float64(c) < least {
					continue
				}
				if q := float64(c) / float64(support[cand[j]]); pick < 0 || q > pickRatio {
					pick, pickRatio = x, q
				}
			}
			if pick < 0 {
				break
			}
			in[pick] = true
			r.and(cols[cand[order[pick]]])
			n++
		}
		if n < tg.k/2 {
			continue
		}
		pos := covering(cols, r, used)
		key := fmt.Sprint(pos)
		if len(pos) == 0 || seen[key] {
			continue
		}
		seen[key] = true
		out = append(out, pattern{rows: r, count: r.count(), pos: pos})
	}
	return out
}

// covering returns the positions not in used (nil: none) set in nearly
// all of rows.
func covering(cols []rowset, rows rowset, used []bool) []int {
	n := rows.count()
	if n == 0 {
		return nil
	}
	var out []int
	for b := range cols {
		if (used == nil || !used[b]) && float64(andCount(cols[b], rows)) >= coverAll*float64(n) {
			out = append(out, b)
		}
	}
	return out
}

func abs(x float64) float64 {
	if x < 0 {
		return -x
	}
	return x
}

// allNames returns every name of the list, by index.
func (tg *target) allNames() []int {
	out := make([]int, len(tg.names))
	for i := range out {
		out[i] = i
	}
	return out
}

// allRows returns every encoding of the index.
func (tg *target) allRows() rowset {
	r := newRowset(len(tg.enc))
	for i := range tg.enc {
		r.add(i)
	}
	return r
}

// A judge scores a pattern as q-gram g's, knowing the q-grams placed so
// far; lower is better.
type judge func(p pattern, g int32, want float64) float64

// align places the most frequent q-grams one by one, in order of
// frequency: each gets, of the patterns candidates mines for its expected
// count among the positions no earlier q-gram took, the one judge(placed)
// likes best. Past the first alignGrams q-grams the refinement takes over.
func (tg *target) align(newJudge func(placed []int32, rowsOf map[int32]rowset) judge) map[int32][]int {
	freq := tg.gramFreq(tg.allNames())
	order := make([]int32, tg.nGram)
	for g := range order {
		order[g] = int32(g)
	}
	sort.Slice(order, func(i, j int) bool {
		if freq[order[i]] != freq[order[j]] {
			return freq[order[i]] > freq[order[j]]
		}
		return order[i] < order[j]
	})
	n := float64(len(tg.enc))
	used := make([]bool, tg.width)
	found := make(map[int32][]int)
	rowsOf := make(map[int32]rowset)
	var placed []int32
	for _, g := range order[:min(alignGrams, len(order))] {
		want := freq[g] * n
		if want < minSupport {
			break
		}
		score := newJudge(placed, rowsOf)
		var best *pattern
		bestErr := 0.0
		for _, p := range tg.candidates(tg.cols, want, used) {
			if e := score(p, g, want); best == nil || e < bestErr {
				best, bestErr = &p, e
			}
		}
		if best == nil {
			continue
		}
		found[g] = best.pos
		rowsOf[g] = best.rows
		placed = append(placed, g)
		for _, b := range best.pos {
			used[b] = true
		}
	}
	return found
}

// Alignment settings.
const (
	// alignGrams is how many of the most frequent q-grams are aligned
	// before refining.
	alignGrams = 40
	// pairGrams bounds the placed q-grams whose co-occurrence with the
	// next the frequency attack checks.
	pairGrams = 40
	// partGrams is how many placed q-grams split the index and the list
	// into parts for the pattern-mining attack: 2^partGrams parts.
	partGrams = 6
)

// shape scores how far a pattern's count strays from want and the number
// of positions covering its encodings from k: the part of a judgement
// that needs no other q-gram.
func (tg *target) shape(p pattern, want float64) float64 {
	return sq(float64(p.count)-want)/(want+1) + sq(float64(len(p.pos)-tg.k))
}

// frequencyAttack aligns the index's bit patterns with the list's q-grams
// by frequency: the frequency of each q-gram, and the frequency of each
// pair of q-grams, against the count of a pattern's encodings and of those
// it shares with each pattern already placed.
func (tg *target) frequencyAttack() map[int32][]int {
	names := tg.allNames()
	n := float64(len(tg.enc))
	return tg.align(func(placed []int32, rowsOf map[int32]rowset) judge {
		placed = placed[:min(len(placed), pairGrams)]
		return func(p pattern, g int32, want float64) float64 {
			pair := tg.pairRow(names, g)
			e := tg.shape(p, want)
			for _, h := range placed {
				exp := pair[h] * n
				e += sq(float64(andCount(p.rows, rowsOf[h]))-exp) / (exp + 1)
			}
			return e
		}
	})
}

// patternAttack mines as Christen and colleagues' attack does: the q-grams
// placed so far split the index (encodings with all of a q-gram's
// positions, or not) and the list (names with the q-gram, or not) alike
// into parts, and the next q-gram's pattern must be as frequent within
// every part as the q-gram is within the list's part. Where one split at a
// time would shrink the encodings mined from, the parts here are counted
// over the whole index.
func (tg *target) patternAttack() map[int32][]int {
	names := tg.allNames()
	n := float64(len(tg.enc))
	total := 0
	for _, i := range names {
		total += tg.count[i]
	}
	return tg.align(func(placed []int32, rowsOf map[int32]rowset) judge {
		placed = placed[:min(len(placed), partGrams)]
		// The part of each encoding and of each name.
		encPart := make([]int, len(tg.enc))
		namePart := make([]int, len(tg.names))
		for j, h := range placed {
			for e := range tg.enc {
				if rowsOf[h].has(e) {
					encPart[e] |= 1 << j
				}
			}
			for i := range tg.names {
				if _, has := slices.BinarySearch(tg.grams[i], h); has {
					namePart[i] |= 1 << j
				}
			}
		}
		parts := 1 << len(placed)
		return func(p pattern, g int32, want float64) float64 {
			exp := make([]float64, parts)
			for _, i := range names {
				if _, has := slices.BinarySearch(tg.grams[i], g); has {
					exp[namePart[i]] += float64(tg.count[i])
				}
			}
			got := make([]float64, parts)
			for e := range tg.enc {
				if p.rows.has(e) {
					got[encPart[e]]++
				}
			}
			s := tg.shape(p, want)
			for c := range exp {
				x := exp[c] / float64(total) * n
				s += sq(got[c]-x) / (x + 1)
			}
			return s
		}
	})
}

func sq(x float64) float64 { return x * x }

// pairRow returns the share of names (counted with their frequency) that
// hold both g and each q-gram.
func (tg *target) pairRow(names []int, g int32) []float64 {
	p := make([]float64, tg.nGram)
	total := 0
	for _, i := range names {
		total += tg.count[i]
		if _, has := slices.BinarySearch(tg.grams[i], g); !has {
			continue
		}
		for _, h := range tg.grams[i] {
			p[h] += float64(tg.count[i])
		}
	}
	for h := range p {
		p[h] /= float64(total)
	}
	return p
}

// guess names each encoding after the list name whose known q-gram
// positions best explain its bits: a position of the name's set in the
// filter counts for it, one left clear (which a plain filter never does)
// three times against.
func (tg *target) guess(found map[int32][]int) []int {
	words := tg.width / 64
	pred := make([][]uint64, len(tg.names))
	for i, gs := range tg.grams {
		p := make([]uint64, words)
		for _, g := range gs {
			for _, b := range found[g] {
				p[b/64] |= 1 << (b % 64)
			}
		}
		pred[i] = p
	}
	out := make([]int, len(tg.enc))
	for e, f := range tg.enc {
		best, bestScore := -1, 0
		for i, p := range pred {
			hit, miss := 0, 0
			for w := range p {
				hit += bits.OnesCount64(p[w] & f[w])
				miss += bits.OnesCount64(p[w] &^ f[w])
			}
			s := hit - 3*miss
			if best < 0 || s > bestScore || s == bestScore && tg.count[i] > tg.count[best] {
				best, bestScore = i, s
			}
		}
		out[e] = best
	}
	return out
}

// refine lets the guesses teach positions: a q-gram's positions are those
// set in nearly all the encodings whose guessed name holds it.
func (tg *target) refine(found map[int32][]int, guesses []int) map[int32][]int {
	rows := make([]rowset, tg.nGram)
	for e, i := range guesses {
		for _, g := range tg.grams[i] {
			if rows[g] == nil {
				rows[g] = newRowset(len(tg.enc))
			}
			rows[g].add(e)
		}
	}
	next := make(map[int32][]int, len(found))
	for g, r := range rows {
		if r == nil || r.count() < minSupport {
			if ps, ok := found[int32(g)]; ok {
				next[int32(g)] = ps
			}
			continue
		}
		if ps := covering(tg.cols, r, nil); len(ps) > 0 && len(ps) <= 2*tg.k {
			next[int32(g)] = ps
		}
	}
	return next
}

// reidentified runs an attack and its refinement and returns how many
// encodings were named right.
func (tg *target) reidentified(learn func() map[int32][]int) int {
	found := learn()
	guesses := tg.guess(found)
	for range refineRounds {
		found = tg.refine(found, guesses)
		guesses = tg.guess(found)
	}
	right := 0
	for e, i := range guesses {
		if i == tg.truth[e] {
			right++
		}
	}
	return right
}

// attackRates runs both attacks on an index of a sample of the OFAC names
// encoded with p, each kind apart (an index says each record's kind), and
// returns the shares re-identified.
func attackRates(t *testing.T, bench []entity.BenchName, p Params, seed int64) (frequency, pattern float64) {
	t.Helper()
	key := make([]byte, 32)
	rng := rand.New(rand.NewSource(seed))
	rng.Read(key)
	e, err := NewEncoder(key, p)
	if err != nil {
		t.Fatal(err)
	}
	var f, pm, n int
	for _, kind := range []mosaic.MentionType{mosaic.Person, mosaic.Org} {
		var list []string
		for _, b := range bench {
			if (b.Kind == entity.Person) == (kind == mosaic.Person) {
				list = append(list, b.Name)
			}
		}
		share := attackSample * len(list) / len(bench)
		tg := newTarget(e, kind, list, share, rng)
		f += tg.reidentified(tg.frequencyAttack)
		pm += tg.reidentified(tg.patternAttack)
		n += len(tg.enc)
	}
	return float64(f) / float64(n), float64(pm) / float64(n)
}

// TestAttacks measures both attacks against three encodings: a plain
// Bloom filter of the names' q-grams (DefaultParams without balancing,
// folding or skeletons), which they must break for the test to mean
// anything; the same hardened by balancing and folding; and DefaultParams,
// whose skeleton q-grams also fill more of each filter.
func TestAttacks(t *testing.T) {
	if testing.Short() {
		t.Skip("the attacks take a minute")
	}
	bench := loadOFAC(t)
	plain := DefaultParams
	plain.Balance, plain.XORFold, plain.Skeletons = false, false, false
	hardened := plain
	hardened.Balance, hardened.XORFold = true, true
	for _, c := range []struct {
		name     string
		p        Params
		min, max float64
	}{
		{"plain Bloom filters", plain, 0.10, 1},
		{"balanced and folded", hardened, 0, 0.01},
		{"DefaultParams", DefaultParams, 0, 0.01},
	} {
		f, pm := attackRates(t, bench, c.p, 1)
		t.Logf("%s: the frequency attack re-identifies %.2f%%, pattern mining %.2f%%", c.name, 100*f, 100*pm)
		for _, r := range []struct {
			attack string
			share  float64
		}{{"frequency attack", f}, {"pattern mining", pm}} {
			if r.share < c.min || r.share > c.max {
				t.Errorf("%s: %s re-identifies %.2f%%, want %.0f%% to %.0f%%", c.name, r.attack, 100*r.share, 100*c.min, 100*c.max)
			}
		}
	}
}
