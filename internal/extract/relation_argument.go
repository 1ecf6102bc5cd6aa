package extract

// The search for a trigger's arguments among the mentions around it.

import (
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"mosaic"
)

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
		if m := r.resolve(g, nil); m >= 0 && typeOf(r.ms[m])&ts != 0 {
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
	for j := r.pastTitles(s-1, pick); j > 0; {
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

// pastTitles returns the unit before the capitalised words that stand
// between a person mention m and the unit j they end at: the titles of
// "X and Chancellor Y", "X and Prime Minister Y", which the tagger leaves
// out of the name. For any other mention it returns j.
func (r *relater) pastTitles(j, m int) int {
	if m < 0 || r.ms[m].Type != mosaic.Person {
		return j
	}
	for k := j; k > 0 && j-k < maxTitleWords; k-- {
		if r.units[k].m >= 0 || !r.capitalised(k) {
			return k
		}
	}
	return j
}

// maxTitleWords is the most words pastTitles takes for a title.
const maxTitleWords = 4

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

// objects is what the search for a verb's object found.
type objects struct {
	// ms are the object and the mentions coordinated with it ("met X and
	// Y", "was not in touch with X or any member of Y").
	ms []int
	// end is the last unit they span.
	end int
	// afterTo: the object came after "to" ("sent a message to X").
	afterTo bool
}

// object returns the object after unit k of types ts. subj are the
// subjects, which "him" cannot stand for; toward asks for a place after a
// word of direction.
func (r *relater) object(k int, ts typeSet, subj []int, toward bool) objects {
	us := r.units
	start, words := k, 0
	// "ordered the group's external operations wing" is the group, unless a
	// mention follows: "met the group's leader, X" is X.
	var group objects
	none := func() objects { return group }
	sawTo := false
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
				return none()
			case k > start && classOf(prev)&cPrep != 0 && !prepObject(prev, m):
				// Right after the trigger, a preposition is the trigger's
				// own: "works for Acme Bank".
				words++
				continue // "met Shakir at a gym in Small Heath"
			case toward && k > start && !r.towardBefore(k):
				words++
				continue // "went close for Scotland"
			}
			if typeOf(m) != tLoc && r.wordBefore(k) == "of" && !quantifiers[r.wordBefore(r.before(k, "of"))] {
				return none() // "ordered the arrest of X"
			}
			pick, e := r.mentionRight(k, ts)
			pick, e = r.modified(pick, e, ts)
			return r.coordRight(objects{ms: []int{pick}, end: e, afterTo: sawTo}, ts)
		}
		w := u.w
		sawTo = sawTo || w == "to"
		switch pronounOf(w) {
		case pronI:
			if w == "me" || w == "myself" {
				if r.speaker >= 0 && typeOf(r.ms[r.speaker])&ts != 0 {
					return objects{ms: []int{r.speaker}, end: k}
				}
				return none()
			}
			words++
			continue // "my"
		case pronHe:
			if w == "his" || (w == "her" && k+1 < len(us) && us[k+1].lex.triggers != nil) {
				words++
				continue
			}
			if w == "him" || w == "her" {
				if m := r.resolve(k, subj); m >= 0 && typeOf(r.ms[m])&ts != 0 {
					return objects{ms: []int{m}, end: k}
				}
			}
			return none()
		case pronOther:
			// "anybody in Ansar al-Thughur" stands for the group.
			if (w == "anyone" || w == "anybody") && k+2 < len(us) && (us[k+1].w == "in" || us[k+1].w == "from") && r.is(k+2, ts) {
				pick, e := r.mentionRight(k+2, ts)
				return r.coordRight(objects{ms: []int{pick}, end: e}, ts)
			}
			return none()
		}
		switch {
		case w == "the" && r.word(k+1) == "group":
			if k+2 < len(us) && r.is(k+2, ts) {
				k++
				continue // "the group Ansar al-Thoughour"
			}
			if ts&tOrg == 0 {
				return none()
			}
			ref := objects{ms: []int{refAt(u.start)}, end: k + 1}
			if r.word(k+2) != "'s" {
				return ref
			}
			group = ref
			k += 2
			continue
		case w == ",":
			// "stabbed a woman, Mrs Janet Fairbrother"
			if k+1 < len(us) && r.is(k+1, ts) {
				continue
			}
			return none()
		case w == "who" && k+2 < len(us) && strings.HasPrefix(us[k+1].w, "call") && (us[k+2].w == "himself" || us[k+2].w == "herself"):
			k += 2 // "an online contact who called himself X"
			continue
		case w == "to" && k+1 < len(us) && us[k+1].m < 0 && us[k+1].class&(cDet|cQuote|cTitle) == 0 &&
			!isAdverb(us[k+1].w):
			return none() // "ordered his bodyguards to beat him"
		case strings.HasSuffix(w, "ing") && len(w) > 4 && classOf(r.word(k-1))&cPrep != 0:
			return none() // "attacks Arab leaders for serving U.S. interests"
		case u.class&cStop != 0:
			return none()
		case u.class&cQuote != 0:
			continue
		}
		words++
	}
	return none()
}

// rightAfter reports whether mention m follows unit k, past an article.
func (r *relater) rightAfter(k, m int) bool {
	if k < len(r.units) && r.units[k].w == "the" {
		k++
	}
	if m >= 0 && r.ms[m].Type == mosaic.Person {
		// "received President Macron": titles the tagger left out.
		for n := 0; n < maxTitleWords && k < len(r.units) && r.units[k].m < 0 && r.capitalised(k); n++ {
			k++
		}
	}
	return k < len(r.units) && r.units[k].m == m
}

// capitalised reports whether unit k starts with a capital letter.
func (r *relater) capitalised(k int) bool {
	u := r.units[k]
	first, _ := utf8.DecodeRuneInString(r.text[u.start:u.end])
	return unicode.IsUpper(first)
}

// quantifiers, before "of", leave the object after it the object: "in
// touch with any member of JAT".
var quantifiers = map[string]bool{
	"member": true, "members": true, "any": true, "one": true, "some": true, "all": true,
	"each": true, "none": true, "most": true, "both": true, "either": true,
}

// before returns the unit of word w nearest before unit k, or -1.
func (r *relater) before(k int, w string) int {
	for k--; k >= 0 && r.units[k].w != w; k-- {
	}
	return k
}

// wordBefore returns the word before unit k, past articles.
func (r *relater) wordBefore(k int) string {
	j := k - 1
	for j >= 0 && (r.units[j].w == "the" || r.units[j].w == "a" || r.units[j].w == "an") {
		j--
	}
	return r.word(j)
}

// towardWords come before the place of a journey.
var towardWords = map[string]bool{
	"to": true, "into": true, "from": true, "via": true, "in": true, "at": true, "towards": true,
	"toward": true, "back": true,
}

// towardBefore reports a word of direction before unit k, past articles:
// "arrived in the West Bank".
func (r *relater) towardBefore(k int) bool { return towardWords[r.wordBefore(k)] }

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

// prepObject reports whether a mention m after the preposition prep can be
// an object: a place after any, anyone else after "with", "to" or (an
// agent) "by".
func prepObject(prep string, m mosaic.Mention) bool {
	return typeOf(m) == tLoc || prep == "with" || prep == "to" || prep == "by"
}

// coordRight extends o with the mentions coordinated after it.
func (r *relater) coordRight(o objects, ts typeSet) objects {
	us := r.units
	for {
		j := o.end + 1
		if j >= len(us) {
			return o
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
			return o
		}
		if j >= len(us) || !r.is(j, ts) {
			return o
		}
		m, end := r.mentionRight(j, ts)
		o.ms = append(o.ms, m)
		o.end = end
	}
}

// bridges are the words between a coordinator and a further object: "or
// any member of JAT", "and with anyone in JAT".
var bridges = map[string]bool{
	"any": true, "anyone": true, "anybody": true, "member": true, "members": true, "of": true,
	"in": true, "the": true, "other": true, "with": true, "to": true, "from": true, "also": true,
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
