package ner

import (
	"math"
	"math/bits"
	"slices"
	"strings"
)

// Feature templates. Each feature is mix(seed of its template, value); the
// numbers are part of the model file's meaning, so only ever add new ones.
const (
	tBias = iota + 1
	tW
	tLW
	tShape
	tLWp1
	tLWn1
	tLWp2
	tLWn2
	tShp1
	tShn1
	tSSp2
	tSSn2
	tBiP
	tBiN
	tSS3
	tCasePos
	tSentShape
	tLen
	tFlag
	tPre
	tSuf
	tNgram
	tCls
	tClsP1
	tClsN1
	tClsP2
	tClsN2
	tClsCase
	tPhr
	tPhrCase
	tArabic
	tArabicP1
	tTitleBefore
	tDocKind
	tDocKindCase
	tDocMajor
	tStack
	tStackP1
	tStackN1
	tDocCapSeen
	tDocFirst
	tSentLW
	numTemplates
)

var templateSeed [numTemplates]uint64

func init() {
	for i := range templateSeed {
		templateSeed[i] = fmix(uint64(i)*0x2545F4914F6CDD1D + 0x5851F42D4C957F2D)
	}
}

// featurizer turns sentences into hashed feature rows. It is not safe for
// concurrent use; each tagging call takes one from a pool.
type featurizer struct {
	groups int
	shift  uint // 64 - bits of the bucket index
	lex    *lexicon

	atoms []atom
	low   []rune
	// feats holds the buckets of token i at feats[off[i]:off[i+1]].
	feats []uint32
	off   []int32
	rows  []uint32 // the model's rows of feats, scratch of Model.addRows
	sent  int      // the sentence case class

	// words, when set (tagging), holds the words seen lately with the sums
	// of the rows of their static features, those that depend on the word
	// alone: feats then holds the other features only, and word[i] is
	// token i's entry in words. A word not yet in words gets its entry as
	// its sentence is read, its static features' buckets put in static
	// (word[i] is the entry's complement until they are summed). A word
	// longer than maxCachedWordBytes, or new in a sentence that has filled
	// the cache, gets none (word[i] is uncached) and all its features in
	// feats.
	words  *wordCache
	word   []int32
	mode   uint8 // what addStatic does with a static feature
	static []uint32
}

// What addStatic does with a static feature.
const (
	staticKeep    = iota // add it to feats (training, or no cache)
	staticSkip           // drop it: its word's entry has its sum
	staticCollect        // put it in static, to sum into its word's entry
)

// wordCache is a tagger's memory of the words it has seen lately: each
// word's atom (but for its phrase labels, which depend on its neighbours)
// and the sums of its static features' rows, stride values. Weights are
// integers (see Model.rows), so a sum taken once is the sum a token would
// get feature by feature, in any order.
type wordCache struct {
	m     *Model
	limit int // the words it holds at most: maxCachedWords
	at    map[string]int32
	atoms []atom
	sums  []int32
}

// maxCachedWords bounds a wordCache: it is emptied, between sentences,
// once it holds this many words (some 2 MB of sums), and a sentence that
// fills it keeps the rest of its new words out; maxCachedWordBytes
// bounds the words it keeps, so that a text of long distinct tokens (a
// list of hashes, an encoded blob) cannot make it hold much more.
const (
	maxCachedWords     = 1 << 14
	maxCachedWordBytes = 40
)

// uncached marks a token that has no entry in the word cache.
const uncached = math.MinInt32

func newWordCache(m *Model) *wordCache {
	return &wordCache{at: map[string]int32{}, m: m, limit: maxCachedWords}
}

// lookup returns word's entry, if c (which may be nil) has one.
func (c *wordCache) lookup(word string) (int32, bool) {
	if c == nil {
		return 0, false
	}
	e, ok := c.at[word]
	return e, ok
}

// add gives word an entry holding its atom a, with zero sums.
func (c *wordCache) add(word string, a *atom) int32 {
	e := int32(len(c.atoms))
	c.at[strings.Clone(word)] = e
	c.atoms = append(c.atoms, *a)
	c.sums = append(c.sums, make([]int32, c.m.stride)...)
	return e
}

// sum adds to entry e's sums the rows of the feature buckets.
func (c *wordCache) sum(e int32, buckets []uint32) {
	s := c.sumsOf(e)
	for _, b := range buckets {
		r := c.m.index[b]
		if r == 0 {
			continue
		}
		row := c.m.row(r)
		for l := range s {
			s[l] += int32(row[l])
		}
	}
}

// sumsOf returns entry e's sums.
func (c *wordCache) sumsOf(e int32) []int32 {
	return c.sums[int(e)*c.m.stride : int(e+1)*c.m.stride : int(e+1)*c.m.stride]
}

func (c *wordCache) reset() {
	clear(c.at)
	c.atoms, c.sums = c.atoms[:0], c.sums[:0]
}

func newFeaturizer(groups int, bits uint, lex *lexicon) *featurizer {
	return &featurizer{groups: groups, shift: 64 - bits, lex: lex, low: make([]rune, 0, 64)}
}

func (fz *featurizer) add(t int, v uint64) {
	fz.feats = append(fz.feats, uint32(mix(templateSeed[t], v)>>fz.shift))
}

// addStatic adds a feature that depends on the token alone.
func (fz *featurizer) addStatic(t int, v uint64) {
	switch fz.mode {
	case staticSkip:
	case staticCollect:
		fz.static = append(fz.static, uint32(mix(templateSeed[t], v)>>fz.shift))
	default:
		fz.add(t, v)
	}
}

// sentence computes the first-pass features of every token.
func (fz *featurizer) sentence(tokens []string) {
	n := len(tokens)
	if cap(fz.atoms) < n {
		fz.atoms = make([]atom, n, 2*n)
	}
	fz.atoms = fz.atoms[:n]
	var upperToks, lowerToks, titleToks, wordToks int
	c := fz.words
	if c != nil {
		if len(c.at) >= c.limit {
			c.reset()
		}
		fz.word = slices.Grow(fz.word[:0], n)[:n]
	}
	for i, t := range tokens {
		a := &fz.atoms[i]
		if e, ok := c.lookup(t); ok {
			*a = c.atoms[e]
			fz.word[i] = e
		} else {
			fz.low = analyze(t, a, fz.low)
			if fz.lex != nil {
				a.cls = fz.lex.words.get(a.lw)
			}
			switch {
			case c == nil:
			case len(t) > maxCachedWordBytes || len(c.at) >= c.limit:
				fz.word[i] = uncached
			default:
				fz.word[i] = ^c.add(t, a) // its sums are still to take
			}
		}
		switch a.cas {
		case caseNone:
			continue
		case caseUpper:
			upperToks++
		case caseInitial:
			upperToks++
			titleToks++
		case caseLower:
			lowerToks++
			if a.cls&clsFunction != 0 {
				titleToks++ // "of", "the" stay small in a title-cased heading
			}
		case caseTitle, caseMixed:
			titleToks++
		}
		wordToks++
	}
	switch {
	case wordToks >= 2 && upperToks == wordToks:
		fz.sent = sentUpper
	case wordToks >= 1 && lowerToks == wordToks:
		fz.sent = sentLower
	case wordToks >= 3 && titleToks == wordToks:
		fz.sent = sentTitle
	default:
		fz.sent = sentMixed
	}
	if fz.lex != nil && fz.groups&GroupGazetteer != 0 {
		fz.lex.matchPhrases(fz.atoms)
	}
	fz.feats = fz.feats[:0]
	if cap(fz.off) < n+1 {
		fz.off = make([]int32, n+1, 2*n+2)
	}
	fz.off = fz.off[:n+1]
	for i := range tokens {
		fz.off[i] = int32(len(fz.feats))
		switch {
		case c == nil || fz.word[i] == uncached:
			fz.mode = staticKeep
		case fz.word[i] >= 0:
			fz.mode = staticSkip
		default:
			fz.mode = staticCollect
			fz.static = fz.static[:0]
		}
		fz.token(i, tokens[i])
		if fz.mode == staticCollect {
			fz.word[i] = ^fz.word[i]
			fz.words.sum(fz.word[i], fz.static)
		}
	}
	fz.off[n] = int32(len(fz.feats))
}

func (fz *featurizer) at(i int) *atom {
	switch {
	case i < 0:
		return &bosAtom
	case i >= len(fz.atoms):
		return &eosAtom
	}
	return &fz.atoms[i]
}

func (fz *featurizer) token(i int, tok string) {
	a := fz.at(i)
	p1, n1, p2, n2 := fz.at(i-1), fz.at(i+1), fz.at(i-2), fz.at(i+2)
	fz.addStatic(tBias, 0)
	fz.addStatic(tW, a.w)
	fz.addStatic(tLW, a.lw)
	fz.addStatic(tShape, a.shape)
	fz.add(tLWp1, p1.lw)
	fz.add(tLWn1, n1.lw)
	fz.add(tLWp2, p2.lw)
	fz.add(tLWn2, n2.lw)
	fz.add(tShp1, p1.shape)
	fz.add(tShn1, n1.shape)
	fz.add(tSSp2, p2.sshape)
	fz.add(tSSn2, n2.sshape)
	fz.add(tBiP, mix(p1.lw, a.lw))
	fz.add(tBiN, mix(a.lw, n1.lw))
	fz.add(tSS3, mix(mix(p1.sshape, a.sshape), n1.sshape))
	first := uint64(0)
	if i == 0 {
		first = 1
	}
	fz.add(tCasePos, first<<16|uint64(fz.sent)<<8|uint64(a.cas))
	fz.add(tSentShape, mix(uint64(fz.sent), a.shape))
	if fz.sent != sentMixed {
		fz.add(tSentLW, mix(uint64(fz.sent), a.lw))
	}
	fz.addStatic(tLen, uint64(min(a.runes, 12))<<8|uint64(a.cas))
	if a.flags != 0 {
		fz.addStatic(tFlag, uint64(a.flags))
	}
	if fz.groups&GroupAffix != 0 {
		for k := 0; k < 4; k++ {
			if a.pre[k] != 0 {
				fz.addStatic(tPre, a.pre[k])
			}
			if a.suf[k] != 0 {
				fz.addStatic(tSuf, a.suf[k])
			}
		}
	}
	if fz.groups&GroupNgram != 0 && a.runes >= 4 && a.flags&flagDigits == 0 {
		fz.ngrams(tok)
	}
	if fz.groups&(GroupClass|GroupGazetteer) != 0 {
		fz.classes(a, p1, n1, p2, n2)
	}
}

// ngrams adds the character trigrams of the lower-cased word, with ^ and $
// marking its ends: "^ab", "abu", "bu$".
func (fz *featurizer) ngrams(tok string) {
	var r0, r1 rune = '^', 0
	k := 0
	for _, r := range tok {
		r = lowerRune(r)
		if k >= 1 {
			fz.addStatic(tNgram, uint64(r0)<<42|uint64(r1)<<21|uint64(r))
		}
		r0, r1 = r1, r
		if k == 0 {
			r0 = '^'
		}
		k++
	}
	fz.addStatic(tNgram, uint64(r0)<<42|uint64(r1)<<21|uint64('$'))
}

// classMask keeps the class bits the enabled groups provide.
func (fz *featurizer) classMask() uint32 {
	var m uint32
	if fz.groups&GroupClass != 0 {
		m |= clsTitle | clsOrgWord | clsParticle | clsKunya | clsMonth | clsFunction | clsDemonym
	}
	if fz.groups&GroupGazetteer != 0 {
		m |= clsGiven | clsSurname | clsOrgToken | clsCountry | clsCity
	}
	return m
}

func (fz *featurizer) classes(a, p1, n1, p2, n2 *atom) {
	m := fz.classMask()
	for c := uint32(a.cls & m); c != 0; c &= c - 1 {
		bit := uint64(bits.TrailingZeros32(c))
		fz.addStatic(tCls, bit)
		fz.addStatic(tClsCase, bit<<8|uint64(a.cas))
	}
	for c := uint32(p1.cls & m); c != 0; c &= c - 1 {
		fz.add(tClsP1, uint64(bits.TrailingZeros32(c)))
	}
	for c := uint32(n1.cls & m); c != 0; c &= c - 1 {
		fz.add(tClsN1, uint64(bits.TrailingZeros32(c)))
	}
	const near = clsTitle | clsOrgWord | clsKunya | clsParticle
	for c := uint32(p2.cls & m & near); c != 0; c &= c - 1 {
		fz.add(tClsP2, uint64(bits.TrailingZeros32(c)))
	}
	for c := uint32(n2.cls & m & near); c != 0; c &= c - 1 {
		fz.add(tClsN2, uint64(bits.TrailingZeros32(c)))
	}
	if fz.groups&GroupClass != 0 {
		if a.flags&flagArabic != 0 {
			fz.addStatic(tArabic, uint64(a.cas))
		}
		if p1.flags&flagArabic != 0 {
			fz.add(tArabicP1, uint64(a.cas))
		}
		// A capitalised word after a title: "Foreign Secretary Jane".
		if p1.cls&clsTitle != 0 && a.cas != caseLower && a.cas != caseNone {
			fz.add(tTitleBefore, uint64(a.cas))
		}
	}
	if fz.groups&GroupGazetteer != 0 {
		for c := uint32(a.phr); c != 0; c &= c - 1 {
			bit := uint64(bits.TrailingZeros32(c))
			fz.add(tPhr, bit)
			fz.add(tPhrCase, bit<<8|uint64(a.cas))
		}
	}
}
