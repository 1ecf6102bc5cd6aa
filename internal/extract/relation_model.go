package extract

import (
	"sort"
	"strings"
	"unicode"

	"mosaic"
	"mosaic/internal/extract/relation"
)

// The learned classifier (package relation) types the pairs of names in a
// sentence that the rules leave untyped. The rules go first because, where
// they fire, they are the more precise (measured on CoNLL04's dev split with
// gold mentions; see ruleConfidence) and they alone know contact, command and
// travel, which the corpora the classifier learns from do not annotate, and
// references ("he", "the group", a transcript's "I"), which it does not
// read. A pair the classifier types at or above its type's threshold
// becomes a typed relation with the classifier's probability as its
// Confidence; any other pair co-occurs, as before. That probability is
// taken times the two mentions' confidences — the relation is right only if
// both names are — so a pair the tagger is unsure of needs a surer reading:
// on CoNLL04 dev end to end this raised precision from 0.62 to 0.67 at a
// loss of 0.01 recall. A learned relation is
// negated or hedged by the same cues as co-occurrence (a negation or hedge
// before the later mention, or a question), and its Cue is the words
// between the two mentions when there are at most maxCueWords of them —
// "leader of", ", based in", "was killed by" — else empty: the classifier
// reads more than one phrase, and a long stretch would quote no cue at all.

// maxCueWords is the most words between two mentions quoted as the cue of
// a learned relation.
const maxCueWords = 6

// maxModelGap is the most tokens between two mentions the classifier is
// asked about. Farther pairs are where it is least precise, and where a
// table row or a list read as one sentence puts names that nothing links.
// Chosen on CoNLL04 dev, end to end (`mosaic eval relations`): gaps of 12,
// 16 and 20 give P/R 0.736/0.528, 0.707/0.534 and 0.695/0.545, one F1
// (0.61) with more recall the farther, and recall is what real reporting,
// with its long sentences, lacks most.
const maxModelGap = 20

// ruleConfidence is the Confidence of a relation a rule finds, per type:
// the rules' precision on CoNLL04's dev split with gold mentions (`mosaic
// eval relations --conll04`, setting "rules": member 9 of 10 right,
// location 12 of 12, attack 7 of 10), smoothed as (right+1)/(found+2) since
// the counts are small; contact, command, travel and family, which that
// corpus does not annotate, take the rules' pooled figure (28 of 33).
var ruleConfidence = map[mosaic.RelationType]float64{
	mosaic.Member:    0.83,
	mosaic.LocatedIn: 0.93,
	mosaic.Attack:    0.67,
	mosaic.Contact:   0.83,
	mosaic.Command:   0.83,
	mosaic.Travel:    0.83,
	mosaic.Family:    0.83,
}

// cooccurConfidence is the Confidence of co-occurrence: the share of pairs
// of names in one CoNLL04 dev sentence that the annotators relate (343 of
// 1,630; setting "co-occurrence").
const cooccurConfidence = 0.21

// defaultModel returns the embedded classifier, or nil — rules alone — if it
// cannot be loaded, which a test of package relation rules out.
func defaultModel() *relation.Model {
	m, err := relation.Default()
	if err != nil {
		return nil
	}
	return m
}

// isName reports a mention type the classifier reads.
func isName(t mosaic.MentionType) bool {
	return t == mosaic.Person || t == mosaic.Org || t == mosaic.Location || t == mosaic.Misc
}

// prepareModel describes the current sentence to the classifier: its
// words, and each name among r.ents as a token span (args[i] for r.ents[i];
// a zero Arg for a mention that is not a name or not made of whole tokens).
func (r *relater) prepareModel() {
	s := r.sents[r.cur]
	r.words = r.words[:0]
	for _, t := range s.Tokens {
		r.words = append(r.words, r.text[t.Start:t.End])
	}
	r.args = r.args[:0]
	r.others = r.others[:0]
	for _, k := range r.ents {
		m := r.ms[r.units[k].m]
		var a relation.Arg
		if isName(m.Type) {
			a.Start = sort.Search(len(s.Tokens), func(i int) bool { return s.Tokens[i].End > m.Start })
			a.End = sort.Search(len(s.Tokens), func(i int) bool { return s.Tokens[i].Start >= m.End })
			if a.Start < a.End {
				a.Type = m.Type
				r.others = append(r.others, a)
			} else {
				a = relation.Arg{}
			}
		}
		r.args = append(r.args, a)
	}
}

// learned returns the relation the classifier finds between r.ents[x] and
// r.ents[y], x < y, if any: typed, with its probability as Confidence and
// its cue, its negation and hedging left to the caller.
func (r *relater) learned(x, y int) (mosaic.Relation, bool) {
	a, b := r.args[x], r.args[y]
	mx, my := r.units[r.ents[x]].m, r.units[r.ents[y]].m
	// Two mentions made of whole tokens can still share bytes (a mention
	// that ends or starts in a space): such a pair has no words between.
	if a.Type == "" || b.Type == "" || a.End > b.Start || b.Start-a.End > maxModelGap || r.ms[mx].End > r.ms[my].Start {
		return mosaic.Relation{}, false
	}
	if r.dateline(mx) || r.namesAlike(mx, my) {
		return mosaic.Relation{}, false
	}
	p := relation.Pair{Words: r.words, A: a, B: b, Others: r.pairOthers(a, b)}
	c, prob := r.model.Classify(&p)
	from, to := r.units[r.ents[x]].m, r.units[r.ents[y]].m
	prob *= sure(r.ms[from]) * sure(r.ms[to])
	if c == relation.None || prob < r.model.Threshold(c.Type()) {
		return mosaic.Relation{}, false
	}
	if !c.Forward() {
		from, to = to, from
	}
	cue := ""
	if b.Start-a.End <= maxCueWords {
		cue = strings.Join(strings.Fields(r.text[r.ms[mx].End:r.ms[my].Start]), " ")
	}
	return mosaic.Relation{
		Type:       c.Type(),
		From:       from,
		To:         to,
		Sentence:   r.sents[r.cur].Span,
		Cue:        cue,
		Confidence: prob,
	}, true
}

// sure returns a mention's confidence, taking one that states none (zero,
// as hand-placed mentions may) as certain.
func sure(m mosaic.Mention) float64 {
	if m.Confidence > 0 && m.Confidence < 1 {
		return m.Confidence
	}
	return 1
}

// pairOthers returns the sentence's names other than a and b, reusing
// scratch space.
func (r *relater) pairOthers(a, b relation.Arg) []relation.Arg {
	r.scratch = r.scratch[:0]
	for _, o := range r.others {
		if o != a && o != b {
			r.scratch = append(r.scratch, o)
		}
	}
	return r.scratch
}

// maxDateline is the most bytes between a dateline's place and its dash.
const maxDateline = 40

// dateline reports whether mention i is the place of a dateline that opens
// its sentence — "WASHINGTON —", "BAGHDAD, Iraq, March 3 (Reuters) –" —
// where a report was filed, which the sentence after it says nothing
// about: the classifier reads "X — Y met Z" as X's location otherwise.
func (r *relater) dateline(i int) bool {
	m := r.ms[i]
	s := r.sents[r.cur].Span
	if m.Type != mosaic.Location || strings.TrimSpace(r.text[s.Start:m.Start]) != "" {
		return false
	}
	rest := r.text[m.End:min(s.End, m.End+maxDateline)]
	for _, dash := range []string{" — ", " – ", " -- ", " - ", "—", "–"} {
		j := strings.Index(rest, dash)
		if j < 0 {
			continue
		}
		// Before the dash only capitalised words, numbers and punctuation:
		// a region, a date, an agency in brackets.
		for _, w := range strings.Fields(rest[:j]) {
			w = strings.TrimLeft(w, "(,.")
			if w != "" && unicode.IsLower([]rune(w)[0]) {
				return false
			}
		}
		return true
	}
	return false
}

// aliasCues, between two names, say they are one thing's two names, which
// resolution joins: "Hayat Tahrir al-Sham, formerly known as Jabhat
// al-Nusra" states no membership.
var aliasCues = []string{"known as", "a.k.a", "aka ", "alias", "also called", "renamed", "name to", "formerly"}

// namesAlike reports whether the text between mentions i and j, i first,
// names the second as another name of the first.
func (r *relater) namesAlike(i, j int) bool {
	between := strings.ToLower(r.text[r.ms[i].End:r.ms[j].Start]) + " "
	for _, c := range aliasCues {
		if strings.Contains(between, c) {
			return true
		}
	}
	return false
}
