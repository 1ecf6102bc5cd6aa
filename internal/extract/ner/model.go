package ner

import (
	"math"
	"sync"
)

// Model is a trained tagger: hashed feature weights for the first pass and,
// when it has one, the document-level second pass. Safe for concurrent use.
type Model struct {
	groups int
	bits   uint
	lex    *lexicon

	// index maps a feature bucket to 1 + its row in rows, 0 for a feature
	// with no weight. A row holds the weights of every label for each pass
	// (stride labels per row), so one cache line or two serve both passes.
	// A weight is held as the multiple of step it is (see quantize): the
	// sums of a token's weights are then exact whatever their order, and a
	// row takes half the memory float32s would.
	index  []uint32
	rows   []int16
	stride int
	step   float32
	pass   [2]transitions
	// conf maps a mention's score margin to a confidence:
	// 1/(1+exp(-(conf[0]*margin+conf[1]))).
	conf [2]float32

	pool sync.Pool
}

// build fills m from trained weights over compact feature ids; w2 is nil
// for a one-pass model. Only features with a non-zero weight get a row.
func (m *Model) build(buckets []uint32, w1, w2 *frozen, nBase int) {
	const L = numLabels
	m.stride = L
	if w2 != nil {
		m.stride = 2 * L
	}
	m.index = make([]uint32, 1<<m.bits)
	var rows []float32
	for id, b := range buckets {
		row := make([]float32, m.stride)
		nz := false
		if id < nBase {
			copy(row, w1.w[id*L:(id+1)*L])
		}
		if w2 != nil {
			copy(row[L:], w2.w[id*L:(id+1)*L])
		}
		for _, v := range row {
			if v != 0 {
				nz = true
				break
			}
		}
		if !nz {
			continue
		}
		rows = append(rows, row...)
		m.index[b] = uint32(len(rows) / m.stride)
	}
	m.pass[0] = w1.tr
	if w2 != nil {
		m.pass[1] = w2.tr
	}
	m.quantize(rows)
	m.lex = newLexicon(m.groups)
}

func (m *Model) twoPass() bool { return m.stride == 2*numLabels }

// row returns the weights of row r (1-based, as index holds it): numLabels
// for the first pass, then, in a two-pass model, numLabels for the second.
func (m *Model) row(r uint32) []int16 {
	return m.rows[int(r-1)*m.stride : int(r)*m.stride : int(r)*m.stride]
}

// Rows returns the number of feature rows with a weight.
func (m *Model) Rows() int { return len(m.rows) / max(m.stride, 1) }

// tagState is the scratch of one tagging call.
type tagState struct {
	fz  *featurizer
	dc  *docContext
	em1 []float32 // first-pass emissions of the sentence
	em2 []float32 // second-pass emissions of the whole document
	// sum1 and sum2 are em1's and em2's sums of weights, in steps.
	sum1  []int32
	sum2  []int32
	delta []float32
	beta  []float32
	mm    []float32
	back  []uint8
	lab   []uint8
	toks  [][]docToken
	cases []uint8
	keys  []uint64
}

func (m *Model) state() *tagState {
	if s, ok := m.pool.Get().(*tagState); ok {
		return s
	}
	fz := newFeaturizer(m.groups, m.bits, m.lex)
	fz.words = newWordCache(m)
	return &tagState{fz: fz, dc: newDocContext()}
}

func grow[T int32 | float32](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n, n+n/2)
	}
	return s[:n]
}

// emissions sets em to the sums of weights sum, in steps.
func (m *Model) emissions(em []float32, sum []int32) {
	for i, v := range sum {
		em[i] = float32(v) * m.step
	}
}

// addRows sets sum1 (the first pass) and sum2 (the second) to the sums of
// the weights of the featurizer's token features, numLabels per token:
// with a word cache, each starts from its word's static sums.
func (m *Model) addRows(fz *featurizer, sum1, sum2 []int32) {
	const L = numLabels
	two := m.twoPass()
	if fz.words == nil {
		clear(sum1)
		clear(sum2)
	} else {
		for t, e := range fz.word {
			if e == uncached {
				clear(sum1[t*L : (t+1)*L])
				if two {
					clear(sum2[t*L : (t+1)*L])
				}
				continue
			}
			s := fz.words.sumsOf(e)
			copy(sum1[t*L:(t+1)*L], s[:L])
			if two {
				copy(sum2[t*L:(t+1)*L], s[L:2*L])
			}
		}
	}
	// The rows of the sentence's features are looked up first, loads that
	// do not wait on each other, and added up after.
	rs := fz.rows[:0]
	for _, b := range fz.feats {
		rs = append(rs, m.index[b])
	}
	fz.rows = rs
	for t := 0; t+1 < len(fz.off); t++ {
		e1 := sum1[t*L : (t+1)*L : (t+1)*L]
		var e2 []int32
		if two {
			e2 = sum2[t*L : (t+1)*L : (t+1)*L]
		}
		for _, r := range rs[fz.off[t]:fz.off[t+1]] {
			if r == 0 {
				continue
			}
			row := m.row(r)
			w := row[:L:L]
			for l := range e1 {
				e1[l] += int32(w[l])
			}
			if two {
				w := row[L : 2*L : 2*L]
				for l := range e2 {
					e2[l] += int32(w[l])
				}
			}
		}
	}
}

// TagDocument returns the entities of each sentence of a document, given as
// tokens, with confidences.
func (m *Model) TagDocument(sents [][]string) [][]Span {
	return m.tagDocument(sents, false)
}

// tagDocument tags a document; with rawMargin, Confidence holds the raw
// score margin (for calibration).
func (m *Model) tagDocument(sents [][]string, rawMargin bool) [][]Span {
	st := m.state()
	defer m.pool.Put(st)
	return m.tagWith(st, sents, rawMargin)
}

// tagWith tags a document with the scratch st.
func (m *Model) tagWith(st *tagState, sents [][]string, rawMargin bool) [][]Span {
	const L = numLabels
	out := make([][]Span, len(sents))
	total := 0
	for _, s := range sents {
		total += len(s)
	}
	if !m.twoPass() {
		for i, s := range sents {
			n := len(s)
			if n == 0 {
				continue
			}
			st.fz.sentence(s)
			st.em1, st.sum1 = grow(st.em1, n*L), grow(st.sum1, n*L)
			m.addRows(st.fz, st.sum1, nil)
			m.emissions(st.em1, st.sum1)
			out[i] = m.decode(st, st.em1, n, &m.pass[0], rawMargin)
		}
		return out
	}
	st.em2, st.sum2 = grow(st.em2, total*L), grow(st.sum2, total*L)
	if cap(st.toks) < len(sents) {
		st.toks = make([][]docToken, len(sents))
		st.cases = make([]uint8, len(sents))
	}
	st.toks = st.toks[:len(sents)]
	st.cases = st.cases[:len(sents)]
	at := 0
	for i, s := range sents {
		n := len(s)
		toks := st.toks[i][:0]
		if n == 0 {
			st.toks[i] = toks
			continue
		}
		st.fz.sentence(s)
		st.cases[i] = uint8(st.fz.sent)
		st.em1, st.sum1 = grow(st.em1, n*L), grow(st.sum1, n*L)
		m.addRows(st.fz, st.sum1, st.sum2[at*L:(at+n)*L])
		m.emissions(st.em1, st.sum1)
		st.grow(n)
		viterbi(st.em1, n, &m.pass[0], st.lab[:n], st.delta, st.back)
		for k := 0; k < n; k++ {
			a := &st.fz.atoms[k]
			toks = append(toks, docToken{lw: a.lw, cas: a.cas, label: st.lab[k]})
		}
		st.toks[i] = toks
		at += n
	}
	st.dc.build(st.toks, st.cases)
	at = 0
	shift := st.fz.shift
	for i, s := range sents {
		n := len(s)
		if n == 0 {
			continue
		}
		sum := st.sum2[at*L : (at+n)*L]
		toks := st.toks[i]
		for k := 0; k < n; k++ {
			st.keys = st.dc.features(toks, k, int(st.cases[i]), toks[k], int(st.cases[i]), st.keys[:0])
			e := sum[k*L : (k+1)*L : (k+1)*L]
			for _, key := range st.keys {
				r := m.index[uint32(key>>shift)]
				if r == 0 {
					continue
				}
				w := m.row(r)[L:]
				for l := range e {
					e[l] += int32(w[l])
				}
			}
		}
		em := st.em2[at*L : (at+n)*L]
		m.emissions(em, sum)
		out[i] = m.decode(st, em, n, &m.pass[1], rawMargin)
		at += n
	}
	return out
}

func (st *tagState) grow(n int) {
	const L = numLabels
	if cap(st.delta) < n*L {
		st.delta = make([]float32, n*L, 2*n*L)
		st.beta = make([]float32, n*L, 2*n*L)
		st.mm = make([]float32, n*L, 2*n*L)
		st.back = make([]uint8, n*L, 2*n*L)
		st.lab = make([]uint8, n, 2*n)
	}
	st.delta, st.beta, st.mm = st.delta[:n*L], st.beta[:n*L], st.mm[:n*L]
	st.back, st.lab = st.back[:n*L], st.lab[:n]
}

// decode finds the best labels and returns their spans, each with the
// confidence its margin earns: how much worse the best reading is in which
// any of its tokens, or the tokens just around it, is labelled otherwise.
func (m *Model) decode(st *tagState, em []float32, n int, tr *transitions, rawMargin bool) []Span {
	const L = numLabels
	st.grow(n)
	best := viterbi(em, n, tr, st.lab, st.delta, st.back)
	spans := decodeLabels(st.lab, nil)
	if len(spans) == 0 {
		return nil
	}
	maxMarginals(em, n, tr, st.delta, st.beta, st.mm)
	for i := range spans {
		sp := &spans[i]
		margin := float32(math.Inf(1))
		for t := max(sp.Start-1, 0); t < min(sp.End+1, n); t++ {
			row := st.mm[t*L : (t+1)*L]
			for l, v := range row {
				if l != int(st.lab[t]) {
					margin = min(margin, best-v)
				}
			}
		}
		if math.IsInf(float64(margin), 0) || margin < 0 {
			margin = 0
		}
		if rawMargin {
			sp.Confidence = float64(margin)
			continue
		}
		c := 1 / (1 + math.Exp(-float64(m.conf[0]*margin+m.conf[1])))
		sp.Confidence = max(c, 1e-3)
	}
	return spans
}
