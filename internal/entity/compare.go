package entity

import (
	"fmt"
	"math"
	"math/bits"
	"sort"
	"strings"
)

// Thresholds: a comparison of two names of a kind matches when its score is
// at least the kind's threshold. They were set on the OFAC benchmark
// (Evaluate): a person's threshold is higher because two people share names
// more often than two organisations do, and an organisation's aliases add
// and drop descriptive words ("AL-AQSA FOUNDATION", "AL-AQSA ISLAMIC
// CHARITABLE SOCIETY") more than a person's add and drop names.
const (
	PersonThreshold = 0.80
	OrgThreshold    = 0.65
	OtherThreshold  = 0.80
)

// Threshold returns the score at which two names of kind k match.
func Threshold(k Kind) float64 {
	switch k {
	case Person:
		return PersonThreshold
	case Org:
		return OrgThreshold
	}
	return OtherThreshold
}

// Scoring constants, set on the OFAC benchmark (see Evaluate).
const (
	// extraPerson and extraOrg are the share of its weight that a token
	// costs when only one name has tokens left over: the longer name may
	// simply spell out more ("Ayman al-Zawahiri", "Ayman Muhammad Rabi
	// al-Zawahiri"). Where both names have tokens left over they conflict
	// and cost their full weight.
	extraPerson = 0.25
	extraOrg    = 0.1
	// spellingMin is the Jaro-Winkler similarity at which two tokens whose
	// skeletons differ still count as one name spelt two ways.
	spellingMin = 0.88
	// kunyaSame is the score of two kunyas with one X of which only one gives
	// the nisba: "Abu Sulayman al-Rifi" and "Abou Souleymane".
	kunyaSame = 0.85
	// singleName caps a person's name of one word against a longer one.
	singleName = 0.6
)

// Feature is one piece of evidence in a comparison, for explanations.
type Feature struct {
	// Name says what the evidence is about: "surname", "given name", "name",
	// "initials", "kunya", "transliteration", "acronym", "token order",
	// "particles", "missing", "single name", "kind".
	Name string `json:"name"`
	// Score is the feature's contribution to the comparison's score:
	// positive for, negative against. The scores of a comparison's features
	// add up to its score, before that is clamped to [0, 1].
	Score float64 `json:"score"`
	// Detail says it in words: `"haddouchi" ≈ "haddushi" (consonant skeleton hdsh)`.
	Detail string `json:"detail"`
}

// Comparison is the verdict on two names, explained feature by feature.
type Comparison struct {
	// Score is in [0, 1]; 1 for the same name.
	Score float64 `json:"score"`
	// Match reports Score ≥ Threshold for the kind of the names.
	Match bool `json:"match"`
	// Features are the evidence, strongest first.
	Features []Feature `json:"features"`
}

// Compare compares two names and explains the verdict. It is symmetric:
// Compare(a, b) and Compare(b, a) have the same score.
func Compare(a, b Name) Comparison {
	return compare(&a, &b, true, new(scratch))
}

// How a pair of tokens matched.
const (
	howSame uint8 = iota
	howSkeleton
	howSpelling
	howInitial
	howArticle
	howCompound
	howJoined
	howTranslated
)

// translated is the similarity of two words of organisations' names that
// translate each other (see concepts).
const translated = 0.95

// tokPair is an aligned pair of tokens. One side may be two adjacent
// tokens written as one word on the other side ("Abuobaida" and "Abu
// Obaida"): i2 or j2 is then the second token, and -1 otherwise.
type tokPair struct {
	i, j   int
	i2, j2 int
	sim    float64
	how    uint8
}

// scratch holds the buffers of one goroutine's comparisons, so that
// comparing allocates nothing when no explanation is asked for.
type scratch struct {
	cands, pairs []tokPair
	usedA, usedB []bool
	inA, inB     []int
	leftA, leftB []int
}

func boolsFor(buf []bool, n int) []bool {
	if cap(buf) < n {
		buf = make([]bool, n)
	}
	buf = buf[:n]
	clear(buf)
	return buf
}

func intsFor(buf []int, n int) []int {
	if cap(buf) < n {
		buf = make([]int, n)
	}
	buf = buf[:n]
	for i := range buf {
		buf[i] = -1
	}
	return buf
}

// compare scores a against b. explain asks for features; without it only
// the score is computed, which is what Dedupe needs for most pairs.
func compare(a, b *Name, explain bool, sc *scratch) Comparison {
	// Order the two so the result does not depend on argument order.
	if a.Raw > b.Raw || a.Raw == b.Raw && a.Kind > b.Kind {
		a, b = b, a
	}
	c := comparer{a: a, b: b, explain: explain, sc: sc}
	return c.run()
}

type comparer struct {
	a, b    *Name
	explain bool
	sc      *scratch
	feats   []Feature
	score   float64
}

// add adds a feature's score, and the feature itself when explaining.
// Callers on the hot path test c.explain before building the arguments.
func (c *comparer) add(name string, score float64, format string, args ...any) {
	c.score += score
	if c.explain {
		c.feats = append(c.feats, Feature{Name: name, Score: score, Detail: fmt.Sprintf(format, args...)})
	}
}

func (c *comparer) run() Comparison {
	a, b := c.a, c.b
	kind := a.Kind
	switch {
	case a.Kind == b.Kind:
	case a.Kind == Other:
		kind = b.Kind
	case b.Kind == Other:
	default:
		kind = Person
	}
	if a.nContent == 0 || b.nContent == 0 {
		c.add("missing", 0, "nothing to compare: a name has no letters")
		return c.result(kind)
	}
	if a.Kind != b.Kind && a.Kind != Other && b.Kind != Other {
		c.add("kind", -0.5, "a %s and an %s", a.Kind, b.Kind)
	}
	if kind != Person && c.acronym() {
		return c.result(kind)
	}
	pairs := c.align()
	c.scoreAlignment(pairs, kind)
	return c.result(kind)
}

func (c *comparer) result(kind Kind) Comparison {
	s := c.score
	if math.IsNaN(s) {
		s = 0
	}
	s = math.Max(0, math.Min(1, s))
	// Round away float noise so that Compare(a, b) and Compare(b, a), and
	// scores near a threshold, agree.
	s = math.Round(s*1e9) / 1e9
	feats := c.feats
	if len(feats) > 1 {
		sort.SliceStable(feats, func(i, j int) bool { return math.Abs(feats[i].Score) > math.Abs(feats[j].Score) })
	}
	return Comparison{Score: s, Match: s >= Threshold(kind), Features: feats}
}

// acronym scores an organisation's acronym against its expansion: "JAT" and
// "Jama'at Ansar al-Thughur", "ISIL" and "Islamic State of Iraq and the
// Levant". It reports whether it applied.
func (c *comparer) acronym() bool {
	try := func(x, y *Name) bool {
		if x.nContent != 1 || y.nContent < 2 || y.acr == "" && y.acrAll == "" {
			return false
		}
		var t *token
		for i := range x.toks {
			if x.toks[i].content() {
				t = &x.toks[i]
			}
		}
		if t == nil || len(t.text) < 2 || len(t.text) > 8 || isDigitWord(t.text) {
			return false
		}
		if t.text == y.acr || t.text == y.acrAll {
			s := 0.9
			if len(t.text) == 2 {
				s = 0.8
			}
			c.add("acronym", s, "%q is the acronym of %q", t.text, y.String())
			return true
		}
		return false
	}
	return try(c.a, c.b) || try(c.b, c.a)
}

// tokenSim compares two tokens and says how they matched.
func tokenSim(x, y *token) (float64, uint8) {
	if x.text == y.text {
		return 1, howSame
	}
	if x.role == roleKunya || y.role == roleKunya || x.digits || y.digits {
		return 0, 0
	}
	if x.role == roleInitial || y.role == roleInitial {
		if x.role == roleInitial && y.role == roleInitial {
			return 0, 0
		}
		if x.text[0] == y.text[0] {
			return 0.8, howInitial
		}
		return 0, 0
	}
	if x.concept != 0 && x.concept == y.concept {
		return translated, howTranslated
	}
	if x.short || y.short {
		return 0, 0
	}
	if x.skel == y.skel && len(x.skel) >= 2 {
		agree, exact := vowelsAgree(x.vowel, x.groups, y.vowel, y.groups)
		if exact {
			return 0.95, howSkeleton
		}
		if agree {
			return 0.9, howSkeleton
		}
	}
	if xb, yb := x.bare(), y.bare(); xb != "" || yb != "" {
		if xb == "" {
			xb = x.skel
		}
		if yb == "" {
			yb = y.skel
		}
		if xb == yb {
			return 0.9, howArticle
		}
	}
	// "Abd al-X" names: the X decides; "Abdul Rashid" is near "Rashid".
	xt, yt := x.text, y.text
	if xa, ya := x.abd(), y.abd(); xa != "" && ya != "" {
		xt, yt = xa, ya
	} else if xa != "" || ya != "" {
		ax, ay := x.skel, y.skel
		if xa != "" {
			ax = x.ext.abdSkel
		} else {
			ay = y.ext.abdSkel
		}
		if ax == ay {
			return 0.8, howCompound
		}
	}
	// Jaro-Winkler only where enough letters are shared for it to reach
	// spellingMin: cheap to test, and most pairs fail it.
	common := bits.OnesCount32(x.letters & y.letters)
	if 2*common < max(bits.OnesCount32(x.letters), bits.OnesCount32(y.letters)) {
		return 0, 0
	}
	if jw := jaroWinkler(xt, yt); jw >= spellingMin {
		return jw, howSpelling
	}
	return 0, 0
}

// align pairs the content tokens of the two names one to one, best
// similarity first, order-insensitive.
func (c *comparer) align() []tokPair {
	a, b, sc := c.a, c.b, c.sc
	cands := sc.cands[:0]
	for i := range a.toks {
		if !a.toks[i].content() {
			continue
		}
		for j := range b.toks {
			if !b.toks[j].content() {
				continue
			}
			if s, how := tokenSim(&a.toks[i], &b.toks[j]); s > 0 {
				cands = append(cands, tokPair{i: i, j: j, i2: -1, j2: -1, sim: s, how: how})
			}
		}
	}
	// Insertion sort: a handful of candidates, and no allocation.
	less := func(x, y *tokPair) bool {
		if x.sim != y.sim {
			return x.sim > y.sim
		}
		// Prefer pairs in the same relative position.
		dx := math.Abs(relPos(a, x.i) - relPos(b, x.j))
		dy := math.Abs(relPos(a, y.i) - relPos(b, y.j))
		if dx != dy {
			return dx < dy
		}
		if x.i != y.i {
			return x.i < y.i
		}
		return x.j < y.j
	}
	for k := 1; k < len(cands); k++ {
		for m := k; m > 0 && less(&cands[m], &cands[m-1]); m-- {
			cands[m], cands[m-1] = cands[m-1], cands[m]
		}
	}
	sc.cands = cands
	usedA := boolsFor(sc.usedA, len(a.toks))
	usedB := boolsFor(sc.usedB, len(b.toks))
	sc.usedA, sc.usedB = usedA, usedB
	pairs := sc.pairs[:0]
	for _, p := range cands {
		if usedA[p.i] || usedB[p.j] {
			continue
		}
		usedA[p.i], usedB[p.j] = true, true
		pairs = append(pairs, p)
	}
	// Names written as one word on one side and two on the other.
	if len(pairs) < a.nContent && len(pairs) < b.nContent {
		pairs = joinLeftovers(a, b, usedA, usedB, pairs, false)
		pairs = joinLeftovers(b, a, usedB, usedA, pairs, true)
	}
	sc.pairs = pairs
	return pairs
}

// joinLeftovers pairs a left-over token of x with two adjacent left-over
// tokens of y that spell it as two words.
func joinLeftovers(x, y *Name, usedX, usedY []bool, pairs []tokPair, swapped bool) []tokPair {
	var buf [64]byte
	for i := range x.toks {
		t := &x.toks[i]
		if usedX[i] || !t.content() || len(t.text) < 5 || t.role == roleInitial {
			continue
		}
		for j := 0; j+1 < len(y.toks); j++ {
			u, v := &y.toks[j], &y.toks[j+1]
			if usedY[j] || usedY[j+1] || !u.content() || !v.content() || u.role == roleInitial || v.role == roleInitial {
				continue
			}
			n := len(u.text) + len(v.text)
			if n < len(t.text)-2 || n > len(t.text)+3 || n > len(buf) ||
				bits.OnesCount32(t.letters^(u.letters|v.letters)) > 2 {
				continue
			}
			joined := append(append(buf[:0], u.text...), v.text...)
			if skeleton(string(joined)) != t.skel && jaroWinkler(string(joined), t.text) < 0.92 {
				continue
			}
			p := tokPair{i: i, j: j, i2: -1, j2: j + 1, sim: 0.9, how: howJoined}
			if swapped {
				p = tokPair{i: j, j: i, i2: j + 1, j2: -1, sim: 0.9, how: howJoined}
			}
			usedX[i], usedY[j], usedY[j+1] = true, true, true
			pairs = append(pairs, p)
			break
		}
	}
	return pairs
}

// pairWeight is the weight of an aligned pair: the mean of its sides', a
// side of two tokens weighing as its heavier.
func (c *comparer) pairWeight(p tokPair) float64 {
	wa := c.a.toks[p.i].weight
	if p.i2 >= 0 {
		wa = math.Max(wa, c.a.toks[p.i2].weight)
	}
	wb := c.b.toks[p.j].weight
	if p.j2 >= 0 {
		wb = math.Max(wb, c.b.toks[p.j2].weight)
	}
	return (wa + wb) / 2
}

func relPos(n *Name, i int) float64 {
	if len(n.toks) <= 1 {
		return 0
	}
	return float64(i) / float64(len(n.toks)-1)
}

// firstContent returns the index of the first content token of n, or -1.
func firstContent(n *Name) int {
	for i := range n.toks {
		if n.toks[i].content() && n.toks[i].role != roleKunya {
			return i
		}
	}
	return -1
}

// scoreAlignment turns the aligned pairs into the score: the weight of the
// aligned tokens, discounted by their similarity, over that weight plus the
// weight of the tokens left over (in full where both names have tokens left
// over, which conflict; a share where only one name has more tokens, which
// it may simply not spell out), then the rules of the kind.
func (c *comparer) scoreAlignment(pairs []tokPair, kind Kind) {
	a, b, sc := c.a, c.b, c.sc
	inA := intsFor(sc.inA, len(a.toks))
	inB := intsFor(sc.inB, len(b.toks))
	sc.inA, sc.inB = inA, inB
	var P, M float64
	for k, p := range pairs {
		inA[p.i], inB[p.j] = k, k
		if p.i2 >= 0 {
			inA[p.i2] = k
		}
		if p.j2 >= 0 {
			inB[p.j2] = k
		}
		pw := c.pairWeight(p)
		P += pw
		M += pw * p.sim
	}
	leftA, leftB := sc.leftA[:0], sc.leftB[:0]
	for i := range a.toks {
		if a.toks[i].content() && inA[i] < 0 {
			leftA = append(leftA, i)
		}
	}
	for j := range b.toks {
		if b.toks[j].content() && inB[j] < 0 {
			leftB = append(leftB, j)
		}
	}
	sc.leftA, sc.leftB = leftA, leftB
	conflict := len(leftA) > 0 && len(leftB) > 0
	extra := extraPerson
	if kind == Org {
		extra = extraOrg
	}
	if conflict {
		extra = 1
	}
	var U float64
	for _, i := range leftA {
		U += extra * a.toks[i].weight
	}
	for _, j := range leftB {
		U += extra * b.toks[j].weight
	}
	if P == 0 {
		if c.explain {
			c.add("missing", 0, "no token of %q matches one of %q", a.String(), b.String())
		}
		return
	}
	// Positive evidence: each pair's share of M/P; negative: what the
	// left-over tokens take from it, M/P - M/(P+U).
	for _, p := range pairs {
		s := c.pairWeight(p) * p.sim / P
		if c.explain {
			c.add(pairFeature(a, b, p, kind), s, "%s", pairDetail(a, b, p))
		} else {
			c.score += s
		}
	}
	if U > 0 {
		perWeight := -(M/P - M/(P+U)) * extra / U
		c.leftOver(a, b, leftA, perWeight, conflict, kind)
		c.leftOver(b, a, leftB, perWeight, conflict, kind)
	}
	if kind != Org {
		c.personRules(pairs, inA, inB)
	}
	if kind != Person {
		c.orgRules(pairs, leftA, leftB)
	}
}

func pairFeature(a, b *Name, p tokPair, kind Kind) string {
	ta, tb := &a.toks[p.i], &b.toks[p.j]
	switch {
	case ta.role == roleKunya:
		return "kunya"
	case p.how == howInitial:
		return "initials"
	case kind != Org && (ta.surname || tb.surname):
		return "surname"
	case kind != Org && (p.i == firstContent(a) || p.j == firstContent(b)):
		return "given name"
	case p.how == howTranslated:
		return "translation"
	case p.how == howSkeleton || p.how == howArticle || p.how == howJoined || p.how == howCompound:
		return "transliteration"
	}
	return "name"
}

// leftOver charges each token of x at the positions left, which have no
// counterpart in other, perWeight times its weight.
func (c *comparer) leftOver(x, other *Name, left []int, perWeight float64, conflict bool, kind Kind) {
	for _, i := range left {
		t := &x.toks[i]
		s := perWeight * t.weight
		if c.explain {
			c.add(leftFeature(x, i, conflict, kind), s, "%q has no counterpart in %q", t.text, other.String())
		} else {
			c.score += s
		}
	}
}

func leftFeature(n *Name, i int, conflict bool, kind Kind) string {
	if kind == Org || !conflict {
		return "missing"
	}
	if n.toks[i].surname {
		return "surname"
	}
	if i == firstContent(n) {
		return "given name"
	}
	return "missing"
}

func pairDetail(a, b *Name, p tokPair) string {
	ta, tb := &a.toks[p.i], &b.toks[p.j]
	switch p.how {
	case howSame:
		return fmt.Sprintf("%q = %q", ta.text, tb.text)
	case howSkeleton:
		return fmt.Sprintf("%q ≈ %q (consonant skeleton %s)", ta.text, tb.text, renderSkeleton(ta.skel))
	case howArticle:
		return fmt.Sprintf("%q ≈ %q (article written on)", ta.text, tb.text)
	case howInitial:
		return fmt.Sprintf("%q is compatible with %q (initial)", ta.text, tb.text)
	case howCompound:
		return fmt.Sprintf("%q ≈ %q (Abd al- dropped)", ta.text, tb.text)
	case howTranslated:
		return fmt.Sprintf("%q ≈ %q (one word translated)", ta.text, tb.text)
	case howJoined:
		if p.i2 >= 0 {
			return fmt.Sprintf("%q %q ≈ %q (written as one word)", ta.text, a.toks[p.i2].text, tb.text)
		}
		return fmt.Sprintf("%q ≈ %q %q (written as one word)", ta.text, tb.text, b.toks[p.j2].text)
	}
	return fmt.Sprintf("%q ≈ %q (spelling, %.2f)", ta.text, tb.text, p.sim)
}

// personRules applies what an analyst knows of persons' names: surnames
// must agree; one word alone does not identify a person; a kunya is an
// alias that matches only another spelling of the same kunya; the same
// order is a little more evidence.
func (c *comparer) personRules(pairs []tokPair, inA, inB []int) {
	a, b := c.a, c.b
	ka, kb := a.IsKunya(), b.IsKunya()
	switch {
	case ka && kb:
		xa, xb := a.kunya[0], b.kunya[0]
		if inA[xa] < 0 || pairs[inA[xa]].j != xb {
			c.add("kunya", -0.5, "different kunyas: abu %s, abu %s", a.toks[xa].text, b.toks[xb].text)
			return
		}
		ya, yb := a.kunya[1], b.kunya[1]
		if ya >= 0 && yb >= 0 && (inA[ya] < 0 || pairs[inA[ya]].j != yb) {
			c.add("kunya", -0.4, "same kunya, different nisbas: al-%s, al-%s", a.toks[ya].text, b.toks[yb].text)
			return
		}
		if (ya < 0) != (yb < 0) && c.score < kunyaSame {
			y := a.toks[max(ya, 0)].text
			if ya < 0 {
				y = b.toks[yb].text
			}
			c.add("kunya", kunyaSame-c.score, "one kunya, abu %s; the nisba al-%s is given by one name only", a.toks[xa].text, y)
			return
		}
		if c.explain {
			c.add("kunya", 0, "one kunya, abu %s", a.toks[xa].text)
		}
		return
	case ka || kb:
		k, o, in := a, b, inA
		if kb {
			k, o, in = b, a, inB
		}
		x := k.kunya[0]
		// The other name contains the kunya ("Ali Abu Muhammad al-Dagestani").
		contains := false
		if in[x] >= 0 {
			oj := pairs[in[x]].j
			if kb {
				oj = pairs[in[x]].i
			}
			for q := oj - 1; q >= 0; q-- {
				if o.toks[q].role == roleKunya {
					contains = true
				}
				if o.toks[q].role != roleArticle {
					break
				}
			}
		}
		if !contains {
			if c.score > singleName {
				c.add("kunya", singleName-c.score-0.01, "%q is a kunya, an alias that spelling alone cannot tie to %q", k.String(), o.String())
			}
			return
		}
	}
	// One word alone.
	if (a.nContent == 1) != (b.nContent == 1) && !ka && !kb && c.score > singleName {
		one := a
		if b.nContent == 1 {
			one = b
		}
		c.add("single name", singleName-c.score, "%q alone does not identify a person", one.String())
	}
	// Surnames.
	sa, sb := surnameIndex(a), surnameIndex(b)
	if sa >= 0 && sb >= 0 && inA[sa] < 0 && inB[sb] < 0 {
		c.add("surname", -0.25, "surnames differ: %q, %q", a.toks[sa].text, b.toks[sb].text)
	}
	// Order: the pairs, taken in a's order, are in b's order too.
	if len(pairs) >= 2 {
		same := true
		for x := range pairs {
			for y := range pairs {
				if pairs[x].i < pairs[y].i && pairs[x].j > pairs[y].j {
					same = false
				}
			}
		}
		if same {
			c.add("token order", 0.02, "names in the same order")
		} else if c.explain {
			c.add("token order", 0, "names in another order")
		}
	}
	// Particles and articles: reported, not scored.
	if c.explain {
		if pa, pb := particles(a), particles(b); pa != pb {
			c.add("particles", 0, "particles %q and %q ignored", pa, pb)
		}
	}
}

func surnameIndex(n *Name) int {
	for i := len(n.toks) - 1; i >= 0; i-- {
		if n.toks[i].surname {
			return i
		}
	}
	return -1
}

func particles(n *Name) string {
	var ps []string
	for _, t := range n.toks {
		if t.role == roleArticle || t.role == roleParticle {
			ps = append(ps, t.text)
		}
	}
	return strings.Join(ps, " ")
}
