package extract

import (
	"slices"
	"strings"
	"unicode/utf8"

	"mosaic"
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
// Some arguments are references resolved to an earlier mention, and then
// lie outside the sentence that states the relation: "I", "me" and "my" in a
// transcript turn are the speaker whose label opens the turn ("MANSOUR:");
// "he", "him", "his", "she" and "her" are the one person named in the
// sentence so far, or else the subject (or only person) of one of the three
// sentences before, within the paragraph; "the group" and "its" are the last
// organisation named. A reference that does not resolve this way yields no
// relation: a missing link is better than a wrong one.

const (
	// maxCoOccur is the most entity mentions a sentence may hold for all
	// its pairs to co-occur; beyond it (tables, lists, run-on dumps) only
	// neighbours do, so that a sentence of n mentions yields at most
	// maxCoOccur*(maxCoOccur-1)/2 pairs, or n-1.
	maxCoOccur = 12
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
// person of "him", the group of "the group" — which lies before it. Typed
// relations are recorded with their negation ("was not in touch with",
// "never met", "denied meeting") and hedging ("allegedly", "is believed to",
// a question), never dropped for them.
//
// Every pair of entity mentions (PERSON, ORG, LOCATION, MISC of more than one
// word, and the selectors PHONE, EMAIL, URL, IP) in a sentence that no typed
// relation links co-occurs, negated or hedged if a negation or hedge comes
// before the later of the two; see maxCoOccur for long sentences.
func Relate(a *Analysis, mentions []mosaic.Mention) []mosaic.Relation {
	out := []mosaic.Relation{}
	if len(a.Sentences) == 0 || len(mentions) == 0 {
		return out
	}
	r := &relater{
		text:  a.Text,
		sents: a.Sentences,
		ms:    mentions,
		info:  make([]sentInfo, len(a.Sentences)),
		out:   out,
	}
	return r.run()
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

	// The sentence being read.
	cur     int
	units   []unit
	speaker int // the mention labelling the current turn, or -1
	// lastSubj holds the subjects of the sentence's last verb, which a
	// verb after "and" shares.
	lastSubj []int
	// first is the index in out of the sentence's first relation.
	first int
	// lead is the unit the sentence starts with, past list markers.
	lead int
	// question, hedged: the sentence asks, or hedges all it says.
	question, hedged bool
	// objectAfterTo: the last object found followed "to".
	objectAfterTo bool
	// groupObject is "the group's …" crossed on the way to an object (-1
	// if none), the object if no other comes; groupObjectEnd its last unit.
	groupObject, groupObjectEnd int
	ents                        []int
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
	r.question = last >= 0 && r.units[last].w == "?"
	r.hedged = r.question
	for k, u := range r.units {
		if u.class&cHedge != 0 {
			r.hedged = true
		}
		if u.w == "group" || u.w == "groups" {
			r.markGroup(k)
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

// markGroup notes the mention the word "group" at unit k names: "the
// group, Jama'at Ansar al-Thughur", "a group called X", "X, the group that
// …", "X is a Syrian-based group".
func (r *relater) markGroup(k int) {
	us := r.units
	const types = tOrg | tMisc | tPerson
	if r.word(k+1) == "'s" {
		return
	}
	j := k + 1
	switch r.word(j) {
	case ",", "called", "named":
		j++
	case "known":
		if r.word(j+1) == "as" {
			j += 2
		}
	}
	if j < len(us) && r.is(j, types) {
		r.know(us[j].m)
		return
	}
	j = k - 1
	for n := 0; n < 2 && j >= 0 && us[j].m < 0 && us[j].class == 0 && !isAdverb(us[j].w); n++ {
		j-- // "a Syrian-based militant group"
	}
	switch r.word(j) {
	case "the", "a", "an":
		j--
	}
	switch r.word(j) {
	case ",", "is", "was", "remains", "became":
		j--
	}
	if j >= 0 && r.is(j, types) {
		r.know(us[j].m)
	}
}

func (r *relater) know(m int) { r.known[strings.ToLower(r.ms[m].Text)] = true }

// groupRef stands for "the group" or "its" at byte offset pos in an
// argument of the relation out[rel].
type groupRef struct {
	rel, pos int
	to       bool // the reference is To, not From
}

// refAt encodes a reference to the group at byte offset pos as an argument:
// a negative number below -1, which finish resolves.
func refAt(pos int) int { return -2 - pos }

func isRef(m int) bool { return m <= -2 }

// vocative reports whether the mention at unit k names the one spoken to:
// "Did you meet him in Brussels, Karim?", "Zakaria, you are still under
// caution."
func (r *relater) vocative(k int) bool {
	us := r.units
	if k > 0 && us[k-1].w == "," && (k+1 == len(us) || us[k+1].class&cPunct != 0) {
		return true
	}
	return k == 0 && r.speaker >= 0 && k+1 < len(us) && us[k+1].w == ","
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

// match returns the longest trigger at unit k and how many units it spans.
func (r *relater) match(k int) (*trigger, int) {
	us := r.units
next:
	for _, t := range us[k].lex.triggers {
		if k+len(t.rest) >= len(us) && len(t.rest) > 0 {
			continue
		}
		for j, w := range t.rest {
			if us[k+1+j].w != w {
				continue next
			}
		}
		return t, 1 + len(t.rest)
	}
	return nil, 0
}

// verb reads the arguments of the verb trigger t at units [k0, k1).
func (r *relater) verb(k0, k1 int, t *trigger) {
	us := r.units
	if slices.Contains(t.notBefore, r.word(k1)) {
		return
	}
	if t.typ == mosaic.Contact && strings.HasPrefix(us[k0].w, "call") && k1 < len(us) &&
		(us[k1].w == "himself" || us[k1].w == "herself" || us[k1].w == "themselves") {
		return
	}
	if t.claim && !r.attackNear(k1) {
		return
	}
	fromTypes, toTypes := argTypes(t.typ)
	switch {
	case t.byObject:
		toTypes = tAgent | tLoc
	case t.typ == mosaic.Member:
		toTypes = tOrg | tMisc // one joins a group, not a person
	}
	g, cue0, md := r.gapLeft(k0, cAux|cAdv|cNeg|cHedge|cHedgeBefore)
	md.neg = md.neg || r.negatedBefore(k0)
	md.hedged = md.hedged || r.hedgedBefore(k0)
	cueEnd := k1 - 1
	switch r.word(k1) {
	case "with", "to", "from", "into", "for", "of":
		cueEnd = k1 // "was in touch with", "travelled to"
	}

	if t.passive && md.be {
		// "was directed by X": X is the agent, the subject the patient.
		j := k1
		for j < len(us) && us[j].m < 0 && us[j].class&cAdv != 0 {
			j++
		}
		if r.word(j) != "by" {
			return
		}
		agents, _ := r.object(j+1, fromTypes, -1, false)
		patients := r.subject(g, toTypes)
		r.noteSubject(patients)
		cue := r.cue(cue0, j)
		for _, p := range patients {
			for _, a := range agents {
				r.emit(t.typ, a, p, md, cue)
			}
		}
		return
	}

	subj := r.subject(g, fromTypes)
	if len(subj) == 0 && g >= 0 && us[k0].w != "from" {
		switch us[g].w {
		case "and", "or", "then", ",", "but":
			// "travelled to Raqqa and returned from Syria": the subject of
			// the verb before, or of the sentence.
			shared := r.lastSubj
			if len(shared) == 0 && r.leadsTo(g) {
				shared = []int{r.info[r.cur].subj}
			}
			for _, m := range shared {
				if typeOf(r.ms[m])&fromTypes != 0 {
					subj = append(subj, m)
				}
			}
		}
	}
	if len(subj) == 0 {
		return
	}
	r.lastSubj = append(r.lastSubj[:0], subj...)
	r.noteSubject(subj)
	cue := r.cue(cue0, cueEnd)

	exclude := -1
	if len(subj) == 1 {
		exclude = subj[0]
	}
	obj, end := r.object(k1, toTypes, exclude, t.toward)
	if len(obj) == 0 {
		// "X and Y met": each met the other.
		if t.typ == mosaic.Contact && len(subj) > 1 && !t.byObject {
			for i := range subj {
				for j := i + 1; j < len(subj); j++ {
					r.emit(t.typ, subj[i], subj[j], md, cue)
				}
			}
		}
		return
	}
	if t.toInf && !(r.word(end+1) == "to" && end+2 < len(us) && us[end+2].m < 0) {
		return // "told police", not "told him to wait"
	}
	if strings.HasPrefix(us[k0].w, "call") && (r.word(end+1) == "a" || r.word(end+1) == "an") {
		return // "called Jansher Khan a cheat"
	}
	typ := t.typ
	if t.byObject {
		place := !isRef(obj[0]) && typeOf(r.ms[obj[0]]) == tLoc
		switch {
		case t.typ == mosaic.Travel && place:
		case t.typ == mosaic.Travel:
			typ = mosaic.Contact
		case place:
			return // "sent him back to Belgium" is read from "him"
		case r.objectAfterTo:
			typ = mosaic.Contact // "sent a message to X"
		}
	}
	for _, s := range subj {
		for _, o := range obj {
			r.emit(typ, s, o, md, cue)
		}
	}
}

// leadsTo reports whether the person the sentence opens with is the
// subject of the clause that reaches unit g: "Ferhat acted alone and was not
// in touch with …", not "Shakir said that Mansour … and met …".
func (r *relater) leadsTo(g int) bool {
	if r.info[r.cur].subj < 0 {
		return false
	}
	for j := r.lead + 1; j < g; j++ {
		u := r.units[j]
		if u.m < 0 && u.class&(cStop|cRel) != 0 && u.w != "and" && u.w != "," {
			return false
		}
	}
	return true
}

// mods are what the words around a trigger say of it.
type mods struct {
	neg, hedged bool
	be          bool // a form of "be" before a participle: passive
}

// gapLeft steps left from the trigger at k0 over the words of classes in
// skip, and returns the unit before them, where the cue starts, and what
// they say.
func (r *relater) gapLeft(k0 int, skip wordClass) (g, cue0 int, md mods) {
	us := r.units
	cue0 = k0
	verbSeen := false // an auxiliary nearer the trigger than any "be"
	for g = k0 - 1; g >= 0; g-- {
		u := us[g]
		if u.m >= 0 {
			break
		}
		switch {
		case u.class&cQuote != 0:
			continue
		case u.w == "'s":
			// "He's from Sparkhill", not "Shakir's phone".
			if g == 0 || us[g-1].m >= 0 || pronounOf(us[g-1].w) == pronNone {
				return g, cue0, md
			}
		case u.w == "to":
			// "is believed to have met", "tried to travel", "failed to".
			p := r.word(g - 1)
			if classOf(p)&(cHedgeBefore|cNeg) == 0 && !toHedges[p] && p != "used" && p != "able" {
				return g, cue0, md
			}
			if toHedges[p] {
				md.hedged = true
			}
		case u.class&skip != 0 || isAdverb(u.w):
		default:
			return g, cue0, md
		}
		if u.class&cNeg != 0 {
			md.neg = true
		}
		if u.class&(cHedge|cHedgeBefore) != 0 && r.hedges(g) {
			md.hedged = true
		}
		switch u.w {
		case "will", "would", "shall", "'ll", "wo":
			md.hedged = true // "will visit": a plan, not yet a fact
		}
		if u.class&(cAux|cBe) != 0 || u.w == "to" {
			// "was directed" is passive, "is believed to have phoned" not.
			if u.class&cBe != 0 && !verbSeen {
				md.be = true
			}
			verbSeen = true
		}
		cue0 = g
	}
	return g, cue0, md
}

// toHedges are words that, before "to", say an act was not asserted: "is
// said to have met", "was going to travel".
var toHedges = map[string]bool{
	"said": true, "reported": true, "understood": true, "expected": true, "going": true,
	"likely": true, "due": true, "alleged": true, "rumoured": true, "rumored": true,
}

// hedges reports whether the hedge word at unit k hedges: "may" is the
// month when capitalised mid-sentence.
func (r *relater) hedges(k int) bool {
	u := r.units[k]
	if u.w == "may" && k > 0 && r.text[u.start] == 'M' {
		return false
	}
	return true
}

// negatedBefore reports a negation of the whole clause before unit k: "no
// evidence that", "denied that", "nothing to suggest".
func (r *relater) negatedBefore(k int) bool {
	us := r.units
	for j := 0; j+1 < k; j++ {
		switch us[j].w {
		case "denied", "denies", "deny", "denying":
			if us[j+1].w == "that" {
				return true
			}
		case "no":
			switch us[j+1].w {
			case "evidence", "sign", "indication", "suggestion", "proof", "record", "trace":
				return true
			}
		case "nothing":
			if us[j+1].w == "to" || us[j+1].w == "suggests" {
				return true
			}
		}
	}
	return false
}

// hedgedBefore reports a hedge before unit k in its clause or a clause
// that frames it: "The partner assesses that ...", "Belgian investigators
// believe he ...", but not "Shakir allegedly met Mansour, who stabbed ..."
// nor "'It may rain,' spokesman X said".
func (r *relater) hedgedBefore(k int) bool {
	if r.hedged {
		return true
	}
	for j := k - 1; j >= 0; j-- {
		u := r.units[j]
		if u.w == "who" || u.w == "which" || u.w == "whom" || u.w == ";" || u.class&cQuote != 0 {
			return false // a relative clause, or a quotation, says nothing of it
		}
		if u.class&cHedgeBefore != 0 && r.hedges(j) {
			return true
		}
		if (u.w == "suspect" || u.w == "suspects") && r.word(j+1) == "that" {
			return true // the verb, not the noun
		}
	}
	return false
}

// subject returns the subject ending at unit g, of types ts: a mention
// (and those coordinated with it), a resolved pronoun, the antecedent of a
// relative "who", or the head of an apposition.
func (r *relater) subject(g int, ts typeSet) []int {
	us := r.units
	for g >= 0 && us[g].m < 0 && us[g].class&cQuote != 0 {
		g--
	}
	if g < 0 {
		return nil
	}
	u := us[g]
	switch {
	case u.m >= 0:
		// "A friend of Omar Khalil met …": Omar Khalil is no subject.
		if s := r.runStart(g); s > 0 && npPreps[us[s-1].w] {
			return nil
		}
		return r.mentionLeft(g, ts, true)
	case u.w == "i" || u.w == "he" || u.w == "she":
		if m := r.resolve(g, -1); m >= 0 && typeOf(r.ms[m])&ts != 0 {
			return []int{m}
		}
	case u.class&cRel != 0:
		h := g - 1
		if h >= 0 && us[h].w == "," {
			h--
		}
		if h >= 0 && us[h].m >= 0 {
			return r.mentionLeft(h, ts, false)
		}
	case u.w == ",":
		return r.appositionLeft(g, ts)
	}
	return nil
}

// holder returns the holder of a role whose phrase starts after unit g: as
// subject() does, but an apposition's head is the mention right before the
// comma, whatever comes before it ("The speaker is X (…), spokesman of Y").
func (r *relater) holder(g int, ts typeSet) []int {
	us := r.units
	if g >= 0 && us[g].w == ":" {
		// A glossary line: "- Khalid … (also …): leader of the group".
		h := r.skipParens(g - 1)
		if h >= 0 && us[h].m >= 0 && r.runStart(h) == r.lead {
			return r.mentionLeft(h, ts, false)
		}
		return nil
	}
	if g >= 0 && us[g].w == "," {
		h := r.skipParens(g - 1)
		if h >= 0 && us[h].m >= 0 {
			return r.mentionLeft(h, ts, false)
		}
		return nil
	}
	return r.subject(g, ts)
}

// skipParens returns h, or the unit before the parenthesis that closes at h.
func (r *relater) skipParens(h int) int {
	us := r.units
	if h < 0 || us[h].w != ")" {
		return h
	}
	for j := h - 1; j >= 0 && h-j <= 40; j-- {
		if us[j].w == "(" {
			return j - 1
		}
	}
	return -1
}

// appositionLeft finds the subject before the comma at unit g: "one of
// them, Karim Bouzidi, was directed", "Elias Ouahbi, 20, from Borgerhout,
// attacked". It steps back over up to three comma-delimited phrases and
// takes a mention that stands alone between commas or at the clause start.
func (r *relater) appositionLeft(g int, ts typeSet) []int {
	us := r.units
	for seg := 0; seg < 3; seg++ {
		h := r.skipParens(g - 1)
		if h < 0 {
			return nil
		}
		if us[h].m >= 0 && r.is(h, ts) {
			s := r.runStart(h)
			if s == 0 || bareBefore(us[s-1]) || us[s-1].m >= 0 && r.ms[us[s-1].m].Type == mosaic.Date {
				return r.mentionLeft(h, ts, false) // "On 18 April Zakaria Mansour, 20, stabbed"
			}
		}
		j := h
		for j >= 0 && us[j].w != "," {
			if us[j].class&cPunct != 0 || us[j].w == "that" || g-j > 15 {
				return nil
			}
			j--
		}
		if j < 0 {
			return nil
		}
		g = j
	}
	return nil
}

// npPreps are prepositions that put the mention after them inside a noun
// phrase or an adjunct, out of the subject's place.
var npPreps = map[string]bool{
	"of": true, "by": true, "for": true, "with": true, "from": true, "to": true, "at": true,
	"in": true, "on": true, "about": true, "against": true, "between": true, "among": true,
	"near": true, "than": true, "like": true, "into": true, "via": true, "through": true,
}

// bareBefore reports whether u, before a mention, leaves it standing alone
// as a subject: a comma, a bracket, a clause start.
func bareBefore(u unit) bool {
	if u.m >= 0 {
		return false
	}
	switch u.w {
	case ",", "(", ";", ":", "and", "but", "that", "then", "-", "–", "—", "•":
		return true
	}
	return u.class&cQuote != 0
}

// runStart returns the first unit of the run of mentions, separated by
// nothing but spaces, that ends at unit h: "PCSO Daniel Whitcombe" tagged as
// two mentions, "Abdelkader el-Haddouchi" split in two.
func (r *relater) runStart(h int) int {
	us := r.units
	s := h
	for s > 0 && r.joined(us[s-1], us[s]) {
		s--
	}
	return s
}

func (r *relater) runEnd(k int) int {
	us := r.units
	e := k
	for e+1 < len(us) && r.joined(us[e], us[e+1]) {
		e++
	}
	return e
}

// joined reports whether mentions a and b, a first, are parts of one name
// the tagger split.
func (r *relater) joined(a, b unit) bool {
	return a.m >= 0 && b.m >= 0 && r.ms[a.m].Type != mosaic.Date && r.ms[b.m].Type != mosaic.Date &&
		r.adjacent(a, b)
}

func (r *relater) adjacent(a, b unit) bool {
	if b.start < a.end || b.start-a.end > 3 {
		return false
	}
	return strings.TrimLeft(r.text[a.end:b.start], " \t") == ""
}

// mentionLeft returns the mention ending the run at unit h — the last one of
// types ts in it — and, if coord, the mentions coordinated before it: "X and
// Y", "X, Y and Z", in text order.
func (r *relater) mentionLeft(h int, ts typeSet, coord bool) []int {
	us := r.units
	s := r.runStart(h)
	pick := -1
	for j := h; j >= s; j-- {
		if r.is(j, ts) {
			pick = us[j].m
			break
		}
	}
	if pick < 0 {
		return nil
	}
	out := []int{pick}
	if !coord {
		return out
	}
	and := false
coord:
	for j := s - 1; j > 0; {
		switch us[j].w {
		case "and", "or":
			and = true
			if us[j-1].w == "," {
				j--
			}
		case ",":
			if !and {
				break coord
			}
		default:
			break coord
		}
		h := j - 1
		if h < 0 || !r.is(h, ts) {
			break
		}
		s := r.runStart(h)
		for k := h; k >= s; k-- {
			if r.is(k, ts) {
				out = append(out, us[k].m)
				break
			}
		}
		j = s - 1
	}
	slices.Reverse(out)
	return out
}

// mentionRight returns the pick of the run of mentions starting at unit k
// (its last mention of types ts) and the run's last unit.
func (r *relater) mentionRight(k int, ts typeSet) (int, int) {
	e := r.runEnd(k)
	for j := e; j >= k; j-- {
		if r.is(j, ts) {
			return r.units[j].m, e
		}
	}
	return -1, e
}

// object returns the object after unit k of types ts, with the mentions
// coordinated with it ("met X and Y", "was not in touch with X or any member
// of Y"), and the last unit it spans. exclude is the subject, which "him"
// cannot stand for. It notes in r.objectAfterTo whether the object followed
// "to".
func (r *relater) object(k int, ts typeSet, exclude int, toward bool) ([]int, int) {
	r.objectAfterTo = false
	r.groupObject = -1
	obj, end := r.scanObject(k, ts, exclude, toward)
	if len(obj) == 0 && r.groupObject != -1 {
		return []int{r.groupObject}, r.groupObjectEnd
	}
	return obj, end
}

func (r *relater) scanObject(k int, ts typeSet, exclude int, toward bool) ([]int, int) {
	us := r.units
	start := k
	words := 0
	for ; k < len(us) && words <= maxObjectWords; k++ {
		u := us[k]
		if u.m >= 0 {
			m := r.ms[u.m]
			prev := r.word(k - 1)
			switch {
			case m.Type == mosaic.Date:
				continue
			case typeOf(m)&ts == 0:
				if classOf(prev)&cPrep != 0 || typeOf(m) == 0 {
					words++
					continue // "in touch on Telegram with"
				}
				return nil, k
			case classOf(prev)&cPrep != 0 && !prepObject(prev, m):
				words++
				continue // "met Shakir at a gym in Small Heath"
			case toward && k > start && !r.towardBefore(k):
				words++
				continue // "went close for Scotland"
			}
			pick, e := r.mentionRight(k, ts)
			pick, e = r.modified(pick, e, ts)
			r.objectAfterTo = prev == "to"
			out := []int{pick}
			return r.coordRight(out, e, ts)
		}
		w := u.w
		switch pronounOf(w) {
		case pronI:
			if w == "me" || w == "myself" {
				if r.speaker >= 0 && typeOf(r.ms[r.speaker])&ts != 0 {
					return []int{r.speaker}, k
				}
				return nil, k
			}
			words++
			continue // "my"
		case pronHe:
			if w == "his" || (w == "her" && k+1 < len(us) && us[k+1].lex.triggers != nil) {
				words++
				continue
			}
			if w == "him" || w == "her" {
				if m := r.resolve(k, exclude); m >= 0 && typeOf(r.ms[m])&ts != 0 {
					return []int{m}, k
				}
			}
			return nil, k
		case pronOther:
			// "anybody in Ansar al-Thughur" stands for the group.
			if (w == "anyone" || w == "anybody") && k+2 < len(us) && (us[k+1].w == "in" || us[k+1].w == "from") && r.is(k+2, ts) {
				pick, e := r.mentionRight(k+2, ts)
				return r.coordRight([]int{pick}, e, ts)
			}
			return nil, k
		}
		switch {
		case w == "the" && r.word(k+1) == "group":
			if k+2 < len(us) && r.is(k+2, ts) {
				k++
				continue // "the group Ansar al-Thoughour"
			}
			if ts&tOrg == 0 {
				return nil, k
			}
			ref := refAt(u.start)
			if r.word(k+2) != "'s" {
				return []int{ref}, k + 1
			}
			// "met the group's leader, X" is X; "ordered the group's
			// external operations wing" the group.
			r.groupObject, r.groupObjectEnd = ref, k+2
			k += 2
			continue
		case w == ",":
			// "stabbed a woman, Mrs Janet Fairbrother"
			if k+1 < len(us) && r.is(k+1, ts) {
				continue
			}
			return nil, k
		case w == "who" && k+2 < len(us) && strings.HasPrefix(us[k+1].w, "call") && (us[k+2].w == "himself" || us[k+2].w == "herself"):
			k += 2 // "an online contact who called himself X"
			continue
		case u.class&cStop != 0:
			return nil, k
		case u.class&cQuote != 0:
			continue
		}
		words++
	}
	return nil, k
}

// towardWords come before the place of a journey.
var towardWords = map[string]bool{
	"to": true, "into": true, "from": true, "via": true, "in": true, "at": true, "towards": true,
	"toward": true, "back": true,
}

// towardBefore reports a word of direction before unit k, past articles:
// "arrived in the West Bank".
func (r *relater) towardBefore(k int) bool {
	j := k - 1
	for j >= 0 && (r.units[j].w == "the" || r.units[j].w == "a" || r.units[j].w == "an") {
		j--
	}
	return towardWords[r.word(j)]
}

// modified returns, for the object m whose run ends at unit e, the person
// it modifies if one follows: "wrote to Clinton campaign manager Peter
// Knight" is to Peter Knight.
func (r *relater) modified(m, e int, ts typeSet) (int, int) {
	us := r.units
	j := e + 1
	for n := 0; n < 3 && j < len(us) && us[j].m < 0 && (us[j].class == 0 || us[j].lex.triggers != nil); n, j = n+1, j+1 {
		if c, _ := utf8.DecodeRuneInString(us[j].w); c < 'a' || c > 'z' {
			return m, e
		}
	}
	if j == e+1 || j >= len(us) || !r.is(j, ts&tPerson) {
		return m, e
	}
	return r.mentionRight(j, ts)
}

// attackNear reports an attack noun within a few words after unit k, which
// "claimed" needs.
func (r *relater) attackNear(k int) bool {
	for j := k; j < len(r.units) && j < k+4; j++ {
		switch r.units[j].w {
		case "responsibility", "attack", "attacks", "bombing", "bombings", "killing", "killings",
			"stabbing", "stabbings", "assault", "shooting", "operation", "explosion":
			return true
		}
	}
	return false
}

// prepObject reports whether a mention m after the preposition prep can be
// an object: a place after any, anyone else after "with", "to" or (an
// agent) "by".
func prepObject(prep string, m mosaic.Mention) bool {
	return typeOf(m) == tLoc || prep == "with" || prep == "to" || prep == "by"
}

// coordRight extends the objects out, whose run ends at unit e, with the
// mentions coordinated after it.
func (r *relater) coordRight(out []int, e int, ts typeSet) ([]int, int) {
	us := r.units
	for {
		j := e + 1
		if j >= len(us) {
			return out, e
		}
		switch us[j].w {
		case ",":
			// "lives in Anderlecht, Brussels"; "met X, Y and Z"
			j++
			if r.word(j) == "and" || r.word(j) == "or" {
				j++
			}
		case "and", "or":
			j++
			for n := 0; n < 4 && j < len(us) && us[j].m < 0 && bridges[us[j].w]; n++ {
				j++ // "or any member of JAT"
			}
		default:
			return out, e
		}
		if j >= len(us) || !r.is(j, ts) {
			return out, e
		}
		m, end := r.mentionRight(j, ts)
		out = append(out, m)
		e = end
	}
}

// bridges are the words between a coordinator and a further object: "or
// any member of JAT", "and with anyone in JAT".
var bridges = map[string]bool{
	"any": true, "anyone": true, "anybody": true, "member": true, "members": true, "of": true,
	"in": true, "the": true, "other": true, "with": true, "to": true, "from": true, "also": true,
}

// role reads the arguments of the role or kin noun t at unit k.
func (r *relater) role(k int, t *trigger) {
	us := r.units
	if w := r.word(k + 1); w == "'s" || w == "'" {
		return // "his brother's shop"
	}
	holderTypes, ownerTypes := argTypes(t.typ)
	var md mods
	h := k - 1
	for h >= 0 && us[h].m < 0 && us[h].class&cRoleAdj != 0 {
		if us[h].w == "alleged" {
			md.hedged = true
		}
		h--
	}
	cue0, cueEnd := h+1, k
	owner, ownerEnd := -1, k
	possessive, modifier := false, false
	if h >= 0 && us[h].m < 0 {
		switch w := us[h].w; {
		case w == "'s" || w == "'":
			// "JAT's leader", "the group's spokesman"
			possessive = true
			p := h - 1
			switch {
			case p >= 0 && us[p].m >= 0:
				if r.is(p, ownerTypes) {
					owner = us[p].m
				}
				cue0 = r.runStart(p)
			case r.word(p) == "group" && r.word(p-1) == "the":
				owner = refAt(us[p].start)
				cue0 = p - 1
			}
		case w == "its" && t.typ == mosaic.Member:
			possessive = true
			owner = refAt(us[h].start)
			cue0 = h
		case (w == "his" || w == "her") && t.typ == mosaic.Family:
			possessive = true
			owner = r.resolve(h, -1)
			cue0 = h
		case w == "my" && t.typ == mosaic.Family:
			possessive = true
			owner = r.speaker
			cue0 = h
		case w == "the" || w == "a" || w == "an":
			cue0 = h
		}
	}
	if !possessive {
		switch w := r.word(k + 1); {
		case w == "of" || (w == "for" && t.typ == mosaic.Member):
			owner, ownerEnd = r.owner(k+2, ownerTypes)
			cueEnd = k + 1
			if t.typ == mosaic.Member && owner >= 0 {
				r.know(owner)
			}
		case t.typ == mosaic.Member && cue0 == k && k > 0 && r.is(k-1, tOrg|tMisc):
			// "JAT leader Khalid al-Qaysi"
			modifier = true
			owner = us[k-1].m
			cue0 = r.runStart(k - 1)
			r.know(owner)
		}
	}
	if owner == -1 || owner >= 0 && typeOf(r.ms[owner])&ownerTypes == 0 {
		return
	}

	var holders []int
	if !modifier {
		g, c0, gm := r.gapLeft(cue0, cAux|cAdv|cNeg|cHedge|cHedgeBefore|cRoleGap)
		holders = r.holder(g, holderTypes)
		if len(holders) > 0 {
			md.neg = md.neg || gm.neg
			md.hedged = md.hedged || gm.hedged
			cue0 = c0
		}
	}
	if len(holders) == 0 {
		// "the leader of JAT, Khalid …", "the group's spokesman, Abu Idris …",
		// "JAT's leader Khalid …"
		j := ownerEnd + 1
		if r.word(j) == "," {
			j++
		} else if !possessive && !modifier {
			return
		}
		for j < len(us) && us[j].m < 0 && us[j].class&(cQuote|cTitle) != 0 {
			j++
		}
		if j >= len(us) || !r.is(j, holderTypes) || r.vocative(j) {
			return
		}
		m, _ := r.mentionRight(j, holderTypes)
		holders = []int{m}
	}
	md.neg = md.neg || r.negatedBefore(cue0)
	md.hedged = md.hedged || r.hedgedBefore(cue0)
	r.noteSubject(holders)
	cue := r.cue(cue0, cueEnd)
	for _, x := range holders {
		r.emit(t.typ, x, owner, md, cue)
	}
}

// owner returns the owner of a role after "of" at unit j — "of Ansar
// al-Thughur", "of the group", "of the group Ansar al-Thoughour" — and its
// last unit.
func (r *relater) owner(j int, ts typeSet) (int, int) {
	us := r.units
	for n := 0; j < len(us) && n < 4; n, j = n+1, j+1 {
		u := us[j]
		switch {
		case u.m >= 0:
			if r.is(j, ts) {
				return r.mentionRight(j, ts)
			}
			if typeOf(r.ms[u.m]) != 0 {
				return -1, j
			}
		case u.w == "group":
			if j+1 < len(us) && r.is(j+1, ts) {
				continue // "of the group Ansar al-Thoughour"
			}
			if r.word(j-1) != "the" {
				return -1, j // "a member of a group"
			}
			return refAt(u.start), j
		case u.class&(cQuote|cTitle) != 0, u.w == "the", u.w == "a", u.w == "an":
		default:
			return -1, j
		}
	}
	return -1, j
}

// affiliation reads "Dr Pieter Achterberg of the Institute for Frontier
// Security Studies": a person of an organisation is a member of it.
func (r *relater) affiliation(k int) {
	us := r.units
	if !r.is(k, tPerson) || r.word(k+1) != "of" || (k > 0 && us[k-1].lex.triggers != nil) {
		return
	}
	j := k + 2
	if r.word(j) == "the" {
		j++
	}
	if j >= len(us) || !r.is(j, tOrg) || r.word(j+1) == "'s" {
		return
	}
	md := mods{neg: r.negatedBefore(k), hedged: r.hedgedBefore(k)}
	r.emit(mosaic.Member, us[k].m, us[j].m, md, "of")
}

// resolve returns the mention the pronoun at unit k stands for, never
// exclude, or -1. "I", "me" and "my" are the speaker of the turn; "he",
// "him", "his", "she" and "her" the one person named earlier in the
// sentence, or else the subject or only person of one of the sentences
// before, within antecedentSentences and the paragraph.
func (r *relater) resolve(k, exclude int) int {
	us := r.units
	if pronounOf(us[k].w) == pronI {
		return r.speaker
	}
	ok := func(m int) bool {
		if m == exclude || (exclude >= 0 && strings.EqualFold(r.ms[m].Text, r.ms[exclude].Text)) {
			return false
		}
		// "Him" is not the one speaking.
		return r.speaker < 0 || !containsFold(r.ms[m].Text, r.ms[r.speaker].Text)
	}
	pick := func(persons []int) (int, bool) {
		found := -1
		for _, m := range persons {
			if !ok(m) {
				continue
			}
			if found >= 0 && !strings.EqualFold(r.ms[found].Text, r.ms[m].Text) {
				return -1, true // two people: ambiguous
			}
			found = m
		}
		return found, found >= 0
	}
	var here []int
	for j := 0; j < k; j++ {
		if us[j].m >= 0 && r.ms[us[j].m].Type == mosaic.Person && !r.vocative(j) {
			here = append(here, us[j].m)
		}
	}
	if m, done := pick(here); done {
		return m
	}
	for i := r.cur - 1; i >= 0 && i >= r.cur-antecedentSentences; i-- {
		if r.info[i+1].para {
			break
		}
		if s := r.info[i].subj; s >= 0 && ok(s) {
			return s
		}
		if m, done := pick(r.info[i].persons); done {
			return m
		}
	}
	return -1
}

// noteSubject records the sentence's subject, for "he" in the sentences
// after it.
func (r *relater) noteSubject(subj []int) {
	info := &r.info[r.cur]
	if info.subj < 0 && len(subj) > 0 && r.ms[subj[0]].Type == mosaic.Person {
		info.subj = subj[0]
	}
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
		r.out = append(r.out, mosaic.Relation{
			Type:     mosaic.CoOccur,
			From:     min(a.m, b.m),
			To:       max(a.m, b.m),
			Sentence: r.sents[r.cur].Span,
			Negated:  firstNeg < later,
			Hedged:   r.hedged || firstHedge < later,
		})
	}
	n := len(r.ents)
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

// groupAt returns what "the group" at byte offset pos stands for: the last
// of the known groups named before it, or else the first named after it;
// -1 if the text names none.
func (r *relater) groupAt(known []int, pos int) int {
	i, _ := slices.BinarySearchFunc(known, pos, func(m, pos int) int {
		if r.ms[m].End <= pos {
			return -1
		}
		return 1
	})
	switch {
	case i > 0:
		return known[i-1]
	case i < len(known):
		return known[i]
	}
	return -1
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

func containsFold(s, sub string) bool {
	return sub != "" && strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}
