package entity

import (
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"mosaic"
)

// Link says that, within one document, mention From refers to the same thing
// as mention To, and why. To has the same or a fuller name; following links
// from any mention ends at the name that introduced it (no mention is the
// From of two links, and links form no cycle).
type Link struct {
	From, To int
	Reason   string
}

// Link reasons.
const (
	ReasonSurname   = "surname alone after the full name"
	ReasonGiven     = "first name alone after the full name"
	ReasonLabel     = "speaker label for a named speaker"
	ReasonPart      = "shorter form of a longer name"
	ReasonAcronym   = "acronym in brackets after the name"
	ReasonAlias     = "introduced as an alias"
	ReasonBracket   = "other name in brackets after the name"
	ReasonRepeated  = "same name repeated"
	maxAliasGap     = 24 // bytes between a name and "(ACRONYM)" or ", also known as"
	maxStatedGap    = 72 // bytes between a name and a longer cue: ", also known by its Arabic acronym as"
	maxKunyaGap     = 80 // bytes between a person's name and "... who uses the kunya"
	minSurnameRunes = 3
)

// aliasCues introduce a second name for the thing just named.
var aliasCues = []string{"also:", "alias:", "aka:", "kunya:", "also written", "also spelt", "also spelled", "also known as", "known as", "a.k.a.", "aka", "alias", "better known as", "calling himself", "calling herself", "who calls himself", "who calls herself", "nicknamed", "formerly known as"}

// Corefer links the mentions of one document that name the same person or
// organisation: a surname or first name used alone after the full name, an
// ALL-CAPS speaker label for a speaker introduced by full name, a shorter
// form of a longer name, an acronym in brackets after an organisation, and
// a name introduced as an alias ("X, also known as Y"). Mentions must be
// sorted by Start, as extraction returns them; text is the document's text.
// Only PERSON, ORG, LOCATION and MISC mentions take part.
func Corefer(text string, ms []mosaic.Mention) []Link {
	type named struct {
		i      int
		tokens []string
	}
	var links []Link
	byType := map[mosaic.MentionType][]named{}
	// parent[i] is the mention i links to, or -1. A link is only ever made
	// from an unlinked mention to a root, so links form trees.
	parent := make([]int, len(ms))
	for i := range parent {
		parent[i] = -1
	}
	linked := func(i int) bool { return parent[i] >= 0 }
	root := func(i int) int {
		for parent[i] >= 0 {
			i = parent[i]
		}
		return i
	}
	link := func(from, to int, reason string) {
		to = root(to)
		if !linked(from) && from != to {
			links = append(links, Link{From: from, To: to, Reason: reason})
			parent[from] = to
		}
	}
	for i, m := range ms {
		if !isName(m.Type) {
			continue
		}
		toks := nameTokens(m.Text)
		if len(toks) == 0 {
			continue
		}
		prev := byType[m.Type]
		// Aliases and acronyms first: they are stated by the text itself.
		if j := aliasOf(text, ms, i); j >= 0 {
			link(i, j, aliasReason(text, ms[j], m))
		}
		// The most recent earlier mention of the same type that this one
		// shortens or repeats; ties go to the closest.
		for k := len(prev) - 1; k >= 0 && !linked(i); k-- {
			p := prev[k]
			if reason := shortens(toks, p.tokens, m.Text); reason != "" && (m.Type != mosaic.Location || reason == ReasonRepeated) {
				link(i, p.i, reason)
			}
		}
		// The tagger sometimes types a person's surname alone as an
		// organisation or other name ("el-Haddouchi said"); after the
		// person's full name in the same document, it is the person. Places
		// are left alone: many are named after people.
		if m.Type == mosaic.Org || m.Type == mosaic.Misc {
			people := byType[mosaic.Person]
			for k := len(people) - 1; k >= 0 && !linked(i); k-- {
				p := people[k]
				if reason := shortens(toks, p.tokens, m.Text); reason != "" && reason != ReasonRepeated && len(p.tokens) > 1 {
					link(i, p.i, reason)
				}
			}
		}
		byType[m.Type] = append(prev, named{i, toks})
	}
	// A speaker label can come before the full name ("VANDAMME: ... I'm
	// Mireille Vandamme"): link labels forward too.
	for i, m := range ms {
		if linked(i) || m.Type != mosaic.Person || !isLabel(text, m) {
			continue
		}
		toks := nameTokens(m.Text)
		for _, p := range byType[mosaic.Person] {
			if p.i > i && len(p.tokens) > 1 && shortens(toks, p.tokens, m.Text) != "" {
				link(i, p.i, ReasonLabel)
				break
			}
		}
	}
	return links
}

// shortens returns why a name with tokens short refers to the earlier name
// with tokens long, or "" if it does not.
func shortens(short, long []string, raw string) string {
	if len(short) == len(long) && equalTokens(short, long) {
		return ReasonRepeated
	}
	if len(short) >= len(long) {
		return ""
	}
	if len(short) == 1 {
		s := short[0]
		if len([]rune(s)) < minSurnameRunes {
			return ""
		}
		last := long[len(long)-1]
		switch {
		case s == last || s == stripParticle(last):
			if isUpperWord(raw) {
				return ReasonLabel
			}
			return ReasonSurname
		case s == long[0]:
			if isUpperWord(raw) {
				return ReasonLabel
			}
			return ReasonGiven
		}
		return ""
	}
	// A multi-word short form: its tokens appear in order in the long name,
	// and it keeps the long name's last token or its first two.
	j := 0
	for _, t := range long {
		if j < len(short) && (t == short[j] || stripParticle(t) == short[j]) {
			j++
		}
	}
	if j == len(short) && (short[len(short)-1] == long[len(long)-1] || short[0] == long[0] && short[1] == long[1]) {
		return ReasonPart
	}
	return ""
}

// aliasOf returns the mention that mention i is stated to be another name
// for — "Jama'at Ansar al-Thughur (JAT)", "Abdelkader el-Haddouchi, also
// known as Abu Sulayman" — or -1.
func aliasOf(text string, ms []mosaic.Mention, i int) int {
	m := ms[i]
	// Only the nearest earlier mention of the same type can be the subject;
	// an organisation's name may be typed either ORG or MISC.
	j := i - 1
	for j >= 0 && (ms[j].Type != m.Type && (sibling(m.Type) == "" || ms[j].Type != sibling(m.Type)) || ms[j].End > m.Start) {
		j--
	}
	if j < 0 || m.Start-ms[j].End > maxKunyaGap || m.Start-ms[j].End > maxStatedGap && m.Type != mosaic.Person {
		return -1
	}
	p := ms[j]
	gap := strings.ToLower(strings.TrimSpace(text[p.End:m.Start]))
	if gap == "(" && strings.HasPrefix(text[m.End:], ")") {
		if isAcronymOf(m.Text, p.Text) {
			return j
		}
		// "Islamic State of Iraq and the Levant (Daesh)": an
		// organisation's other name in brackets right after it.
		// Capitals that do not fit the name's initials are not its acronym,
		// and not evidence of anything.
		if (m.Type == mosaic.Org || m.Type == mosaic.Misc) && p.Type == mosaic.Org && !isUpperWord(m.Text) {
			return j
		}
	}
	if p.Type != m.Type && p.Type != mosaic.Org && m.Type != mosaic.Org {
		return -1
	}
	gap = strings.Trim(gap, ",;( \"“'")
	for _, cue := range aliasCues {
		if (gap == cue || gap == cue+" the") && m.Start-ms[j].End <= maxAliasGap {
			return j
		}
	}
	if m.Type != mosaic.Person && statedCue(gap) {
		return j
	}
	if m.Type != mosaic.Person {
		// The cue may name something of its own: "ISIL, also known by
		// its Arabic acronym as DAESH", where "Arabic" is a MISC name.
		// Look past it, to earlier names of the class within reach.
		for k, tries := j-1, 0; k >= 0 && tries < 2 && m.Start-ms[k].End <= maxStatedGap; k-- {
			if ms[k].Type != m.Type && ms[k].Type != sibling(m.Type) || ms[k].End > ms[j].Start {
				continue
			}
			tries++
			if g := strings.Trim(strings.ToLower(strings.TrimSpace(text[ms[k].End:m.Start])), ",;( \"“'"); statedCue(g) {
				return k
			}
		}
	}
	// A kunya is a person's other name by definition, so "X, the returnee
	// in Brussels who uses the kunya Y" makes Y an alias of X across a
	// longer gap, as long as it stays within the sentence.
	if m.Type == mosaic.Person && !strings.ContainsAny(gap, ".!?\n") {
		for _, cue := range kunyaCues {
			if strings.HasSuffix(gap, cue) {
				return j
			}
		}
	}
	return -1
}

// kunyaCues end the text between a person's name and the kunya the text
// gives as theirs.
var kunyaCues = []string{"uses the kunya", "the kunya", "whose kunya is", "kunya", "nom de guerre", "the nom de guerre"}

func aliasReason(text string, p, m mosaic.Mention) string {
	if strings.TrimSpace(text[p.End:m.Start]) == "(" {
		if isAcronymOf(m.Text, p.Text) {
			return ReasonAcronym
		}
		return ReasonBracket
	}
	return ReasonAlias
}

// statedCue reports whether gap, the lower-cased words between an
// organisation's name and the next, states that the next is its other
// name in one of the longer ways reporting does: "also known by its Arabic
// acronym as", "formerly known as", "also referred to as", "the so-called",
// "or the so-called", "which calls itself". The gap must stay within one
// sentence.
func statedCue(gap string) bool {
	if strings.ContainsAny(strings.ReplaceAll(gap, "a.k.a.", ""), ".!?\n") {
		return false
	}
	ws := strings.Fields(gap)
	// Connectives before the cue: ", or the so-called", "and, formerly".
	for len(ws) > 0 && (ws[0] == "or" || ws[0] == "and" || ws[0] == "the" || ws[0] == "now") {
		ws = ws[1:]
	}
	for len(ws) > 0 && ws[len(ws)-1] == "the" {
		ws = ws[:len(ws)-1]
	}
	if len(ws) == 0 {
		return false
	}
	if last := ws[len(ws)-1]; last == "so-called" || last == "self-styled" || last == "self-proclaimed" || last == "a.k.a." || last == "aka" {
		return len(ws) <= 2
	}
	// [adverb] known|referred to|called ... as|by
	k := 0
	for k < len(ws) && statedAdverbs[ws[k]] {
		k++
	}
	if k == len(ws) {
		return false
	}
	switch ws[k] {
	case "known", "called", "named", "styled", "renamed", "rebranded":
	case "referred":
	case "which", "who", "that":
		// "which calls itself", "who call themselves"
		return k+2 <= len(ws) && strings.HasPrefix(ws[k+1], "call") && len(ws) <= k+3
	case "calling", "calls":
		return k+1 < len(ws) && (ws[k+1] == "itself" || ws[k+1] == "themselves") && len(ws) <= k+2
	default:
		return false
	}
	rest := ws[k+1:]
	if len(rest) > 6 {
		return false
	}
	if len(rest) == 0 {
		return ws[k] != "referred" && ws[k] != "known" // "formerly called", "renamed"
	}
	last := rest[len(rest)-1]
	return last == "as" || last == "by" || last == "to" && ws[k] == "referred" || last == "itself" || last == "name"
}

// statedAdverbs come before "known", "called" in a cue.
var statedAdverbs = map[string]bool{
	"also": true, "formerly": true, "previously": true, "better": true, "commonly": true,
	"widely": true, "otherwise": true, "sometimes": true, "often": true, "later": true,
	"since": true, "locally": true, "now": true, "popularly": true, "more": true, "is": true,
	"was": true, "being": true, "usually": true, "generally": true,
}

// isAcronymOf reports whether short is an acronym of long: its letters are
// the initials of long's words, skipping words such as "of" and "the", in
// any case ("JAT" for "Jama'at Ansar al-Thughur", "ISIL" for "Islamic State
// of Iraq and the Levant").
func isAcronymOf(short, long string) bool {
	letters := []rune(strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) {
			return r
		}
		return -1
	}, short)))
	if len(letters) < 2 || len(letters) > 8 {
		return false
	}
	var initials, withSmall []rune
	for _, w := range strings.FieldsFunc(long, func(r rune) bool { return unicode.IsSpace(r) || r == '-' }) {
		r := []rune(strings.ToLower(w))
		if len(r) == 0 || !unicode.IsLetter(r[0]) {
			continue
		}
		withSmall = append(withSmall, r[0])
		if !smallWords[string(r)] {
			initials = append(initials, r[0])
		}
	}
	return string(letters) == string(initials) || string(letters) == string(withSmall)
}

var smallWords = map[string]bool{"of": true, "the": true, "and": true, "for": true, "in": true, "al": true, "el": true, "de": true, "du": true, "des": true, "la": true, "le": true, "wal": true}

// titles are dropped from a name before matching.
var titles = map[string]bool{"mr": true, "mrs": true, "ms": true, "miss": true, "dr": true, "prof": true, "sir": true,
	"sheikh": true, "shaykh": true, "imam": true, "gen": true, "general": true, "col": true, "colonel": true,
	"capt": true, "captain": true, "lt": true, "sgt": true, "insp": true, "inspector": true, "det": true,
	"president": true, "minister": true, "secretary": true, "judge": true, "justice": true, "officer": true}

// nameTokens lower-cases a name and splits it into words, dropping titles
// and punctuation but keeping hyphenated particles joined ("el-haddouchi").
func nameTokens(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return unicode.IsSpace(r) || r == ',' || r == '.' || r == ':' || r == '"' || r == '(' || r == ')'
	}) {
		w = strings.Trim(w, "'’-")
		if w == "" || titles[w] {
			continue
		}
		out = append(out, w)
	}
	return out
}

// stripParticle removes an Arabic article or particle joined by a hyphen:
// "el-haddouchi" → "haddouchi".
func stripParticle(w string) string {
	for _, p := range []string{"al-", "el-", "ul-", "as-", "ash-", "ad-", "ar-", "az-", "at-", "an-", "bin-", "ibn-", "abu-", "abou-"} {
		if rest, ok := strings.CutPrefix(w, p); ok && rest != "" {
			return rest
		}
	}
	return w
}

func equalTokens(a, b []string) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// isUpperWord reports whether s has letters and all of them are capitals.
func isUpperWord(s string) bool {
	letters := false
	for _, r := range s {
		if unicode.IsLetter(r) {
			if !unicode.IsUpper(r) {
				return false
			}
			letters = true
		}
	}
	return letters
}

// isLabel reports whether a mention is an ALL-CAPS speaker label: at the
// start of a line (after any timestamp) and followed by a colon.
func isLabel(text string, m mosaic.Mention) bool {
	if !isUpperWord(m.Text) || !strings.HasPrefix(text[m.End:], ":") {
		return false
	}
	line := text[strings.LastIndexByte(text[:m.Start], '\n')+1 : m.Start]
	line = strings.TrimSpace(line)
	return line == "" || strings.HasPrefix(line, "[") || strings.HasPrefix(line, "(") || unicode.IsDigit(rune(line[0]))
}

// maxQuoted bounds the sentence quoted as the reason for a stated alias.
const maxQuoted = 300

// quoteSentence quotes the sentence of mention m, the evidence that a
// stated alias rests on, cut to maxQuoted bytes around the mention.
func quoteSentence(text string, m mosaic.Mention) string {
	start, end := m.Sentence.Start, m.Sentence.End
	if start < 0 || end > len(text) || start >= end || m.Start < start || m.End > end {
		start, end = m.Start, m.End
	}
	if end-start > maxQuoted {
		start = max(start, m.Start-maxQuoted/2)
		end = min(end, start+maxQuoted)
		for start > 0 && !utf8.RuneStart(text[start]) {
			start--
		}
		for end < len(text) && !utf8.RuneStart(text[end]) {
			end++
		}
	}
	return strconv.Quote(strings.Join(strings.Fields(text[start:end]), " "))
}
