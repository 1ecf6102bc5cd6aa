package extract

// Reading a trigger: the verb phrases and role nouns that state a relation,
// and what the words around them say of it (negation, hedging, passive).

import (
	"slices"
	"strings"

	"mosaic"
)

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
		agents := r.object(j+1, fromTypes, nil, false).ms
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
			var shared []int
			if len(r.lastSubj) > 0 && r.continues(r.lastVerb+1, g) {
				shared = r.lastSubj
			} else if len(r.lastSubj) == 0 && r.leadsTo(g) {
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
	r.lastVerb = k1 - 1
	r.noteSubject(subj)
	cue := r.cue(cue0, cueEnd)

	o := r.object(k1, toTypes, subj, t.toward)
	obj, end := o.ms, o.end
	if t.adjacent && len(obj) > 0 && !r.rightAfter(k1, obj[0]) {
		return
	}
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
		case o.afterTo:
			typ = mosaic.Contact // "sent a message to X"
		}
	}
	for _, s := range subj {
		for _, o := range obj {
			r.emit(typ, s, o, md, cue)
		}
	}
}

// continues reports whether units [from, to) go on with the verb phrase
// before them, opening no clause of their own: "travelled to Raqqa in 2014
// and returned", not "told reporters the former head … had tried and
// failed to shoot".
func (r *relater) continues(from, to int) bool {
	for j := from; j < to; j++ {
		u := r.units[j]
		if u.m < 0 && u.class&(cStop|cRel|cAux) != 0 && u.w != "and" && u.w != "," {
			return false
		}
	}
	return true
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
			owner = r.resolve(h, nil)
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
	// The holder stands before the role phrase: "X, the leader of Y", "X is
	// a member of Y" — and, for a modifier role, only after an article:
	// "Abu Ahmad, a senior ISIS commander,", "X was an ISIS financier", not
	// "In Lyon, Northern Front leaders met".
	phrase := cue0
	if modifier {
		phrase = r.roleArticle(cue0 - 1)
	}
	if phrase >= 0 {
		g, c0, gm := r.gapLeft(phrase, cAux|cAdv|cNeg|cHedge|cHedgeBefore|cRoleGap)
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

// roleArticle returns the article that opens a role phrase ending at unit
// p — "a", "an" or "the", then role adjectives ("a senior", "a former") —
// or -1.
func (r *relater) roleArticle(p int) int {
	for p >= 0 && r.units[p].m < 0 && r.units[p].class&cRoleAdj != 0 {
		p--
	}
	switch r.word(p) {
	case "a", "an", "the":
		return p
	}
	return -1
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
