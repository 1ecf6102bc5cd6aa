package extract

import (
	"slices"
	"strings"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/extract/relation"
)

// Relation extraction is rule-based and reads one sentence at a time. A
// trigger — a verb phrase ("was in touch with", "directed", "travelled"),
// a role or kin noun ("spokesman", "brother") — is found in the sentence's
// words, and its arguments are looked for around it among the mentions:
//
//   - A verb's subject is the mention right before it, past auxiliaries,
//     adverbs, negations and hedges ("was not", "allegedly", "is believed to
//     have"), appositions ("Elias Ouahbi, 20, from Borgerhout, attacked") and
//     a relative "who"; a verb after "and" or a comma shares the subject of
//     the verb before it ("travelled to Raqqa and returned from Syria").
//     Nothing else is crossed, so a subject never comes from another clause:
//     in "reporting states that Khalid ordered" it is Khalid.
//   - Its object is the first mention after it within a few words, crossing
//     articles and nouns ("a brother called Abu Sulayman") but no clause
//     boundary; a mention after a preposition is an adjunct ("on
//     Telegram"), except for places and for "with" and "to".
//   - "was directed by X" swaps them; a passive without "by" states nothing
//     about an agent and yields nothing.
//   - A role or kin noun links its holder — "X is the brother of Y", "X, the
//     leader of Y", "the leader of Y, X", "Y's brother X", "the group's
//     spokesman, X", "Y leader X" — to its owner.
//
// Mention types constrain arguments (a journey goes to a LOCATION, a member
// belongs to an ORG), so a tagger's mistake seldom turns into a link.
//
// Some arguments are references resolved to a mention elsewhere, and then
// lie outside the sentence that states the relation: "I", "me" and "my" in a
// transcript turn are the speaker whose label opens the turn ("MANSOUR:");
// "he", "him", "his", "she" and "her" are the one person named in the
// sentence so far, or else the subject (or only person) of one of the three
// sentences before, within the paragraph; "the group" and "its" are the
// last group named before — one the text calls a group ("the group,
// Jama'at Ansar al-Thughur") or gives a role in ("spokesman of Ansar
// al-Thughur") — or else the first named after. A reference that does not
// resolve this way yields no relation: a missing link is better than a
// wrong one.

const (
	// maxCoOccur is the most entity mentions a sentence may hold for all
	// its pairs to co-occur; beyond it (tables, lists, run-on dumps) only
	// neighbours do, so that a sentence of n mentions yields at most
	// maxCoOccur*(maxCoOccur-1)/2 pairs, or n-1.
	maxCoOccur = 12
	// maxSentenceNames is the most entity mentions a sentence may hold
	// for its untyped pairs to be read at all (co-occurrence and the
	// classifier). A sentence holding more is a roster, a table or a
	// run-on dump (a chat export with no punctuation), whose neighbours
	// are not evidence of a link; its pairs are dropped and Extract says
	// so. No sentence of the sample case or the annotated corpora comes
	// near it.
	maxSentenceNames = 128
	// antecedentSentences is how many sentences back "he" or "him" may
	// find the person it stands for.
	antecedentSentences = 3
	// maxObjectWords is how many words the object search crosses.
	maxObjectWords = 8
)

// Relate returns the relations the sentences of a state between mentions,
// which must be the mentions found in a.Text, sorted by Start and not
// overlapping, as Extract returns them. Relations come sorted by sentence,
// then From, To and Type, without duplicates; Relate never returns nil.
//
// Sentence is the sentence that states a relation. From and To lie in it,
// but for an argument reached through a reference — the speaker of "I", the
// person of "him", the group of "the group" — which lies elsewhere. Typed
// relations are recorded with their negation ("was not in touch with",
// "never met", "denied meeting") and hedging ("allegedly", "is believed to",
// a question), never dropped for them.
//
// Every pair of entity mentions (PERSON, ORG, LOCATION, MISC of more than one
// word, and the selectors PHONE, EMAIL, URL, IP) in a sentence that no typed
// relation links co-occurs, negated or hedged if a negation or hedge comes
// before the later of the two; see maxCoOccur for long sentences.
//
// The rules find the typed relations first; the embedded classifier
// (package relation) then types the pairs they leave untyped, and the pairs
// it does not type co-occur (see relation_model.go). Every relation carries
// a Confidence.
func Relate(a *Analysis, mentions []mosaic.Mention) []mosaic.Relation {
	return RelateWith(a, mentions, defaultModel())
}

// RelateWith is Relate with m as the classifier; nil leaves the rules alone
// to type relations.
func RelateWith(a *Analysis, mentions []mosaic.Mention, m *relation.Model) []mosaic.Relation {
	out, _ := relateCapped(a, mentions, m)
	return out
}

// crowded counts the sentences whose untyped pairs were dropped for
// holding more than maxSentenceNames entity mentions, and those mentions.
type crowded struct {
	sentences, names int
}

// relateCapped is RelateWith, saying what it dropped.
func relateCapped(a *Analysis, mentions []mosaic.Mention, m *relation.Model) ([]mosaic.Relation, crowded) {
	out := []mosaic.Relation{}
	if len(a.Sentences) == 0 || len(mentions) == 0 {
		return out, crowded{}
	}
	r := &relater{
		text:  a.Text,
		sents: a.Sentences,
		ms:    mentions,
		info:  make([]sentInfo, len(a.Sentences)),
		out:   out,
		model: m,
	}
	return r.run(), r.crowded
}

// relater holds the state of one Relate call.
type relater struct {
	text  string
	sents []Sentence
	ms    []mosaic.Mention
	info  []sentInfo
	out   []mosaic.Relation

	// known holds, lower-cased, the names the text calls a group ("the
	// group, Jama'at Ansar al-Thughur") or gives a role in ("spokesman of
	// Ansar al-Thughur"): what "the group" may stand for.
	known map[string]bool
	// refs are the relations with an argument that is "the group" or
	// "its", resolved once the whole text has been read.
	refs []groupRef
	// unnamed holds, in text order, the nouns for a person the text does
	// not name ("a male teenager"), who may be what "him" stands for.
	unnamed []unnamedPerson

	// The sentence being read.
	cur     int
	units   []unit
	speaker int // the mention labelling the current turn, or -1
	// lastSubj holds the subjects of the sentence's last verb, which a
	// verb after "and" shares; lastVerb is that verb's last unit.
	lastSubj []int
	lastVerb int
	// first is the index in out of the sentence's first relation.
	first int
	// lead is the unit the sentence starts with, past list markers.
	lead int
	// hedged: the sentence hedges all it says, asking it or calling it
	// unconfirmed.
	hedged bool
	// ents is scratch space for co-occurrence.
	ents []int
	// crowded counts the sentences too crowded for co-occurrence.
	crowded crowded

	// model types the pairs the rules leave untyped; nil for none.
	model *relation.Model
	// words, args, others and scratch describe the current sentence to
	// the model (prepareModel).
	words           []string
	args            []relation.Arg
	others, scratch []relation.Arg
}

// unit is a word or a whole mention of the sentence being read.
type unit struct {
	start, end int
	m          int    // mention index, or -1 for a word
	w          string // the word, lower case; "" for a mention
	class      wordClass
	lex        *entry // the word's lexicon entry; never nil
}

// sentInfo is what later sentences need of an earlier one to resolve "he".
type sentInfo struct {
	// para: a blank line (or the start of the text) comes before it.
	para bool
	// subj is the PERSON that is the subject of its first typed relation,
	// or -1.
	subj int
	// persons are its PERSON mentions, but for speaker labels and people
	// spoken to.
	persons []int
}

// typeSet is a set of argument types. MISC counts only when it has more than
// one word: single-word MISC mentions are nationalities and languages
// ("Belgian", "French"), not groups.
type typeSet uint16

const (
	tPerson typeSet = 1 << iota
	tOrg
	tLoc
	tMisc
	tPhone
	tEmail
	tURL
	tIP

	tAgent    = tPerson | tOrg | tMisc
	tSelector = tPhone | tEmail | tURL | tIP
	tEntity   = tAgent | tLoc | tSelector
)

func typeOf(m mosaic.Mention) typeSet {
	switch m.Type {
	case mosaic.Person:
		return tPerson
	case mosaic.Org:
		return tOrg
	case mosaic.Location:
		return tLoc
	case mosaic.Misc:
		if strings.ContainsAny(strings.TrimSpace(m.Text), " \t\n") {
			return tMisc
		}
	case mosaic.Phone:
		return tPhone
	case mosaic.Email:
		return tEmail
	case mosaic.URL:
		return tURL
	case mosaic.IP:
		return tIP
	}
	return 0
}

// argTypes returns the types a relation's subject (or holder) and object
// (or owner) may have.
func argTypes(typ mosaic.RelationType) (from, to typeSet) {
	switch typ {
	case mosaic.Contact:
		return tAgent | tPhone | tEmail, tAgent | tPhone | tEmail
	case mosaic.Command:
		return tAgent, tAgent
	case mosaic.Attack:
		return tAgent, tAgent | tLoc
	case mosaic.Travel:
		return tPerson | tOrg, tLoc
	case mosaic.LocatedIn:
		return tAgent, tLoc
	case mosaic.Member:
		return tAgent, tOrg | tMisc | tPerson
	case mosaic.Family:
		return tPerson | tOrg, tPerson | tOrg
	}
	return 0, 0
}

func (r *relater) is(k int, ts typeSet) bool {
	u := r.units[k]
	return u.m >= 0 && typeOf(r.ms[u.m])&ts != 0
}

func (r *relater) word(k int) string {
	if k < 0 || k >= len(r.units) {
		return ""
	}
	return r.units[k].w
}

func (r *relater) run() []mosaic.Relation {
	ms := r.ms
	r.known = map[string]bool{}
	r.speaker = -1
	mi := 0
	prevEnd := 0
	for i, s := range r.sents {
		r.cur = i
		for mi < len(ms) && ms[mi].Start < s.Start {
			mi++
		}
		mj := mi
		for mj < len(ms) && ms[mj].Start < s.End {
			mj++
		}
		r.info[i] = sentInfo{subj: -1, para: i == 0 || lineBreaks(r.text[min(prevEnd, s.Start):s.Start]) >= 2}
		r.read(s, mi, mj)
		r.relate()
		mi, prevEnd = mj, s.End
	}
	return r.finish()
}

// read splits sentence s into units, mentions ms[mi:mj] as wholes, and
// notes the turn it belongs to.
func (r *relater) read(s Sentence, mi, mj int) {
	r.units = r.units[:0]
	k := mi
	for _, t := range s.Tokens {
		for k < mj && r.ms[k].End <= t.Start {
			k++
		}
		if k < mj && r.ms[k].Start < t.End && r.ms[k].Start >= 0 && r.ms[k].End <= len(r.text) {
			if n := len(r.units); n == 0 || r.units[n-1].m != k {
				r.units = append(r.units, unit{start: r.ms[k].Start, end: r.ms[k].End, m: k, lex: &noEntry})
			}
			continue
		}
		w := lowerWord(r.text[t.Start:t.End])
		e := lexicon[w]
		if e == nil {
			e = &noEntry
		}
		r.units = append(r.units, unit{start: t.Start, end: t.End, m: -1, w: w, class: e.class, lex: e})
	}

	info := &r.info[r.cur]
	if info.para {
		r.speaker = -1
	}
	if end := labelEnd(r.text, s.Start); end > 0 && (s.Start == 0 || r.text[s.Start-1] == '\n' || r.text[s.Start-1] == '\r') {
		// A transcript turn: the label names who says "I" until the next
		// label or blank line, and is no part of what is said.
		r.speaker = -1
		n := 0
		for n < len(r.units) && r.units[n].start < end {
			if u := r.units[n]; u.m >= 0 && typeOf(r.ms[u.m])&tAgent != 0 {
				r.speaker = u.m
			}
			n++
		}
		r.units = r.units[n:]
	}

	last := len(r.units) - 1
	for last >= 0 && r.units[last].class&cQuote != 0 {
		last--
	}
	r.hedged = last >= 0 && r.units[last].w == "?"
	for k, u := range r.units {
		if u.class&cHedge != 0 {
			r.hedged = true
		}
		switch {
		case u.w == "group" || u.w == "groups":
			r.markGroup(k)
		case personNouns[u.w] != 0 && !r.named(k):
			r.unnamed = append(r.unnamed, unnamedPerson{u.start, personNouns[u.w]})
		}
		if u.m < 0 || r.ms[u.m].Type != mosaic.Person || r.vocative(k) {
			continue
		}
		info.persons = append(info.persons, u.m)
	}

	// A person the sentence opens with is its subject: "Zakaria Mansour
	// stabbed …", "- Abdulkadir Haddouchi (…): Brussels bookseller …".
	r.lead = 0
	for r.lead < len(r.units) && r.units[r.lead].m < 0 && (r.units[r.lead].class&cQuote != 0 || isMarker(r.units[r.lead].w)) {
		r.lead++
	}
	if k := r.lead; k < len(r.units) && r.is(k, tPerson) && r.word(k+1) != "'s" && !r.vocative(k) {
		m, _ := r.mentionRight(k, tPerson)
		info.subj = m
	}
}

// isMarker reports a list marker or numbering before a sentence: "-", "•",
// "1.", "3.1".
func isMarker(w string) bool {
	switch w {
	case "-", "–", "—", "•", "*", "·", ".", ")", "(":
		return true
	}
	for i := 0; i < len(w); i++ {
		if (w[i] < '0' || w[i] > '9') && w[i] != '.' {
			return false
		}
	}
	return w != ""
}

// relate finds the relations the current sentence states.
func (r *relater) relate() {
	r.first = len(r.out)
	r.lastSubj = r.lastSubj[:0]
	us := r.units
	for k := 0; k < len(us); {
		if us[k].m >= 0 {
			r.affiliation(k)
			k++
			continue
		}
		t, n := r.match(k)
		switch {
		case t == nil:
			k++
			continue
		case t.noun:
			r.role(k, t)
		default:
			r.verb(k, k+n, t)
		}
		k += n
	}
	r.cooccur()
}

// cue returns the text of units [k0, k1], spaces folded.
func (r *relater) cue(k0, k1 int) string {
	us := r.units
	for k0 < k1 && us[k0].class&cQuote != 0 {
		k0++
	}
	s := r.text[us[k0].start:us[k1].end]
	if strings.ContainsAny(s, "\n\r\t") || strings.Contains(s, "  ") {
		s = strings.Join(strings.Fields(s), " ")
	}
	return s
}

// emit records a typed relation stated by the current sentence.
func (r *relater) emit(typ mosaic.RelationType, from, to int, md mods, cue string) {
	if from == -1 || to == -1 || from == to ||
		from >= 0 && to >= 0 && strings.EqualFold(r.ms[from].Text, r.ms[to].Text) {
		return
	}
	if isRef(from) {
		r.refs = append(r.refs, groupRef{rel: len(r.out), pos: -2 - from})
	}
	if isRef(to) {
		r.refs = append(r.refs, groupRef{rel: len(r.out), pos: -2 - to, to: true})
	}
	r.out = append(r.out, mosaic.Relation{
		Type:     typ,
		From:     from,
		To:       to,
		Sentence: r.sents[r.cur].Span,
		Negated:  md.neg,
		Hedged:   md.hedged || r.hedged,
		Cue:      cue,
		// A rule's relation is as likely right as its type's rules are.
		Confidence: ruleConfidence[typ],
	})
}

// cooccur links the entity mentions of the sentence that no typed relation
// links.
func (r *relater) cooccur() {
	us := r.units
	r.ents = r.ents[:0]
	firstNeg, firstHedge := len(us), len(us)
	for k, u := range us {
		switch {
		case u.m >= 0:
			if typeOf(r.ms[u.m])&tEntity != 0 {
				r.ents = append(r.ents, k)
			}
		case u.class&cNeg != 0 && firstNeg == len(us):
			firstNeg = k
		case u.class&cHedgeBefore != 0 && firstHedge == len(us) && r.hedges(k):
			firstHedge = k
		}
	}
	typed := r.out[r.first:]
	linked := func(a, b int) bool {
		for _, t := range typed {
			if t.From == a && t.To == b || t.From == b && t.To == a {
				return true
			}
		}
		return false
	}
	pair := func(x, y int) {
		a, b := us[r.ents[x]], us[r.ents[y]]
		if r.adjacent(a, b) || strings.EqualFold(r.ms[a.m].Text, r.ms[b.m].Text) || linked(a.m, b.m) {
			return
		}
		later := r.ents[y]
		neg, hedged := firstNeg < later, r.hedged || firstHedge < later
		if r.model != nil {
			if rel, ok := r.learned(x, y); ok {
				rel.Negated, rel.Hedged = neg, hedged
				r.out = append(r.out, rel)
				return
			}
		}
		r.out = append(r.out, mosaic.Relation{
			Type:       mosaic.CoOccur,
			From:       min(a.m, b.m),
			To:         max(a.m, b.m),
			Sentence:   r.sents[r.cur].Span,
			Negated:    neg,
			Hedged:     hedged,
			Confidence: cooccurConfidence,
		})
	}
	n := len(r.ents)
	if n > maxSentenceNames {
		r.crowded.sentences++
		r.crowded.names += n
		return
	}
	if r.model != nil && n >= 2 {
		r.prepareModel()
	}
	if n > maxCoOccur {
		for x := 0; x+1 < n; x++ {
			pair(x, x+1)
		}
		return
	}
	for x := 0; x < n; x++ {
		for y := x + 1; y < n; y++ {
			pair(x, y)
		}
	}
}

// finish resolves the references to "the group", sorts the relations and
// drops duplicates.
func (r *relater) finish() []mosaic.Relation {
	out := r.out
	if len(r.refs) > 0 {
		var known []int
		for m := range r.ms {
			if typeOf(r.ms[m])&(tOrg|tMisc|tPerson) != 0 && r.known[strings.ToLower(r.ms[m].Text)] {
				known = append(known, m)
			}
		}
		for _, ref := range r.refs {
			g := r.groupAt(known, ref.pos)
			rel := &out[ref.rel]
			if ref.to {
				rel.To = g
			} else {
				rel.From = g
			}
		}
		out = slices.DeleteFunc(out, func(x mosaic.Relation) bool {
			return x.From < 0 || x.To < 0 || x.From == x.To ||
				strings.EqualFold(r.ms[x.From].Text, r.ms[x.To].Text)
		})
	}
	slices.SortStableFunc(out, func(x, y mosaic.Relation) int {
		switch {
		case x.Sentence.Start != y.Sentence.Start:
			return x.Sentence.Start - y.Sentence.Start
		case x.From != y.From:
			return x.From - y.From
		case x.To != y.To:
			return x.To - y.To
		}
		return strings.Compare(string(x.Type), string(y.Type))
	})
	return slices.CompactFunc(out, func(x, y mosaic.Relation) bool {
		return x.Type == y.Type && x.From == y.From && x.To == y.To && x.Sentence == y.Sentence
	})
}

// lowerWord returns w in lower case, with typographic apostrophes made
// plain ("n’t" is "n't"), allocating only when it must.
func lowerWord(w string) string {
	for i := 0; i < len(w); i++ {
		c := w[i]
		if c >= utf8.RuneSelf || (c >= 'A' && c <= 'Z') {
			return strings.ReplaceAll(strings.ToLower(w), "’", "'")
		}
	}
	return w
}

// noEntry is the lexicon entry of words it does not hold, and of mentions.
var noEntry entry

func classOf(w string) wordClass {
	if e := lexicon[w]; e != nil {
		return e.class
	}
	return 0
}

// isAdverb reports an "-ly" adverb: "allegedly", "repeatedly".
func isAdverb(w string) bool {
	return len(w) > 4 && strings.HasSuffix(w, "ly") && !notAdverbs[w]
}

var notAdverbs = map[string]bool{
	"family": true, "assembly": true, "italy": true, "july": true, "rally": true, "supply": true,
	"reply": true, "anomaly": true, "monopoly": true, "homily": true, "belly": true, "bully": true,
	"emily": true, "sicily": true, "elderly": true, "only": true,
}
