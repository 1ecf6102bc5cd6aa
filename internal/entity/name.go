package entity

import (
	"slices"
	"sort"
	"strings"

	"mosaic"
)

// Kind is what a name names. Persons and organisations are matched by
// different rules: a person's surname must agree and given names must not
// conflict; an organisation's name may be an acronym of another.
type Kind int

// The kinds of names. Other is the zero value: a name of unknown kind is
// matched by the generic rules and may match a name of either kind.
const (
	Other Kind = iota
	Person
	Org
)

// KindOf maps a mention type to the kind of name it holds.
func KindOf(t mosaic.MentionType) Kind {
	switch t {
	case mosaic.Person:
		return Person
	case mosaic.Org:
		return Org
	}
	return Other
}

func (k Kind) String() string {
	switch k {
	case Person:
		return "person"
	case Org:
		return "org"
	}
	return "other"
}

// role is what a token does in a name.
type role uint8

const (
	roleWord     role = iota // a name proper: given name, surname, a word of an organisation's name
	roleInitial              // a single letter standing for a name
	roleKunya                // Abu, Umm: starts a kunya, or part of a family name
	roleArticle              // the Arabic article (al-, el-, as-, ...), always spelt "al"
	roleParticle             // bin, ibn, ould, van, de, ...: part of a name, but says little
	roleStop                 // a word of an organisation's name that says nothing: of, the, company, ltd
)

// token is one normalised token with what Compare needs of it. Fields are
// ordered to pack: a million names hold several million tokens.
type token struct {
	text string
	skel string // consonant skeleton; equal skeletons are transliteration variants
	// ext holds what few tokens need: nil for most.
	ext *tokenExt
	// weight is how much the token says about identity: 1 for an ordinary
	// word, less for common names and generic words, 0 for particles.
	weight float64
	// letters has bit c-'a' set for each letter c of text, to skip
	// Jaro-Winkler on tokens that share too few letters to be alike.
	letters uint32
	role    role
	// vowel and groups are the vowel profile (see vowelProfile); groups is
	// -1 when the vowels are unknown (Arabic script).
	vowel  uint8
	groups int8
	// surname marks the family name: the part before the comma of
	// "SURNAME, Given", the ALL-CAPS part of "SURNAME Given", or else the
	// last word of a person's name.
	surname bool
	// digits marks a token with digits, which must match exactly.
	digits bool
	// concept is the word's meaning in an organisation's name, for words
	// that aliases translate (see concepts), or 0.
	concept uint16
	// short marks a word of three letters or fewer in an organisation's
	// name: a code or an abbreviation ("YK-ANH"), which another spelling
	// does not match.
	short bool
}

// tokenExt is the part of a token that few tokens have.
type tokenExt struct {
	// bare is the skeleton of the text without an article written on
	// ("alzahrani" → zhrn), or "".
	bare string
	// abd is the X of an "Abd al-X" token ("abdalqadir" → "qadir") and
	// abdSkel its skeleton, or "".
	abd, abdSkel string
}

func (t *token) bare() string {
	if t.ext == nil {
		return ""
	}
	return t.ext.bare
}

func (t *token) abd() string {
	if t.ext == nil {
		return ""
	}
	return t.ext.abd
}

// content reports whether the token takes part in the alignment.
func (t *token) content() bool {
	return t.role <= roleKunya
}

// Name is a name prepared for matching: computed once by NewName, compared
// many times. The zero Name matches nothing.
type Name struct {
	// Raw is the name as given.
	Raw string
	// Kind is what the name names.
	Kind Kind
	// Tokens are the normalised tokens in name order (given names first):
	// lower-case ASCII letters and digits, scripts transliterated, accents
	// folded, titles dropped, articles spelt "al", particles (bin, ibn,
	// ould) spelt "bin", "Abd al-X" joined to "abdalx", initials kept as
	// single letters.
	Tokens []string
	// Keys are the blocking keys: names that could match share at least one.
	// "s:" + the skeleton of a telling token, "t:" + the sorted skeletons of
	// all of them, "a:" + an acronym for organisations.
	Keys []string

	toks []token
	// kunya holds the indexes in toks of X and Y when the whole name is a
	// kunya "Abu X" or "Abu X al-Y" (Y is -1 when absent); kunya[0] is -1
	// otherwise.
	kunya [2]int
	// acronyms of an organisation's name: initials of its content words, and
	// of all its words but articles.
	acr, acrAll string
	// nContent is the number of content tokens.
	nContent int
	// weight is the sum of the content tokens' weights.
	weight float64
	// head is the head noun of an organisation's name, spelt as in heads,
	// or ""; headTok its index in toks, or -1; rel the relations the name
	// states to another group (see findHead).
	head    string
	headTok int
	rel     uint8
	// relText holds the words that state the relations: "counter-".
	relText []string
}

// String returns the normalised tokens joined by spaces.
func (n Name) String() string { return strings.Join(n.Tokens, " ") }

// IsKunya reports whether the name is a kunya, "Abu X" or "Abu X al-Y": an
// alias that matches other spellings of the same kunya, not a legal name.
func (n Name) IsKunya() bool { return n.kunya[0] >= 0 && len(n.toks) > 0 }

// NewName prepares raw, a name of the given kind, for matching.
func NewName(raw string, kind Kind) Name {
	n := Name{Raw: raw, Kind: kind, kunya: [2]int{-1, -1}, headTok: -1}
	words := splitWords(toLatin(raw))
	if len(words) == 0 {
		return n
	}
	if kind == Org {
		n.toks = orgTokens(words)
	} else {
		n.toks = personTokens(words, kind)
	}
	n.finish()
	n.findHead(words)
	return n
}

// rawWord is a word of a raw name, after transliteration, before tokens.
type rawWord struct {
	s       string // ASCII letters and digits, case as written
	comma   bool   // a comma follows
	hyphen  bool   // a hyphen joins it to the next word
	acronym bool   // written with full stops between letters: "A.I.C."
	surname bool
	abjad   bool // transliterated from Arabic or Hebrew script: vowels unknown
}

func isASCIILetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }
func isASCIIDigit(c byte) bool  { return c >= '0' && c <= '9' }
func isASCIIAlnum(c byte) bool  { return isASCIILetter(c) || isASCIIDigit(c) }

// splitWords splits the transliterated name s into words. Apostrophes inside
// a word vanish ("Jama'at" → "Jamaat"); "A.I.C." is one word.
func splitWords(s string) []rawWord {
	var words []rawWord
	var cur []byte
	acr, abjad := false, false
	flush := func() {
		if len(cur) > 0 {
			words = append(words, rawWord{s: string(cur), acronym: acr, abjad: abjad})
		}
		cur = cur[:0]
		acr, abjad = false, false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case isASCIIAlnum(c):
			cur = append(cur, c)
		case c == abjadMark:
			abjad = true
		case c == '\'':
			// joins the letters on each side
		case c == '.':
			// "A.I.C.": single letters separated by full stops.
			if len(cur) > 0 && isASCIILetter(cur[len(cur)-1]) && (len(cur) == 1 || acr) &&
				i+1 < len(s) && isASCIILetter(s[i+1]) && (i+2 == len(s) || !isASCIIAlnum(s[i+2])) {
				acr = true
				continue
			}
			flush()
		case c == ',':
			flush()
			if len(words) > 0 {
				words[len(words)-1].comma = true
			}
		case c == '-':
			flush()
			if len(words) > 0 {
				words[len(words)-1].hyphen = true
			}
		default:
			flush()
		}
	}
	flush()
	if len(words) > 64 { // a name, not a text
		words = words[:64]
	}
	return words
}

func hasLowerASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return true
		}
	}
	return false
}

func allCapsWord(s string) bool {
	letters := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= 'a' && s[i] <= 'z' {
			return false
		}
		if isASCIILetter(s[i]) {
			letters++
		}
	}
	return letters >= 2
}

// personOrder puts the words of a person's name in given-names-first order
// and marks the surname: "AL-ZAWAHIRI, Ayman" and "EL HADDOUCHI Abdelkader"
// become "Ayman AL-ZAWAHIRI" and "Abdelkader EL HADDOUCHI".
func personOrder(words []rawWord, kind Kind) []rawWord {
	comma := -1
	for i, w := range words {
		if w.comma {
			comma = i
			break
		}
	}
	if comma >= 0 && comma < len(words)-1 {
		tail := words[comma+1:]
		// Later commas separate suffixes: "SMITH, John, Jr.".
		for i, w := range tail {
			if w.comma {
				tail = tail[:i+1]
				break
			}
		}
		if kind == Other && isLegalForm(strings.ToLower(tail[0].s)) {
			return words
		}
		out := make([]rawWord, 0, len(words))
		for _, w := range tail {
			w.comma = false
			out = append(out, w)
		}
		for _, w := range words[:comma+1] {
			w.surname = true
			w.comma = false
			out = append(out, w)
		}
		return out
	}
	// "EL HADDOUCHI Abdelkader" or "Zakaria MANSOUR": an ALL-CAPS run at one
	// end of a name whose other words are not.
	caps := make([]bool, len(words))
	nCaps, nLower := 0, 0
	for i, w := range words {
		caps[i] = allCapsWord(w.s) && !w.acronym
		if caps[i] {
			nCaps++
		} else if hasLowerASCII(w.s) {
			nLower++
		}
	}
	if nCaps == 0 || nLower == 0 {
		return words
	}
	run := 0
	for run < len(words) && caps[run] {
		run++
	}
	if run == nCaps { // caps first: move them to the end
		out := make([]rawWord, 0, len(words))
		out = append(out, words[run:]...)
		for _, w := range words[:run] {
			w.surname = true
			out = append(out, w)
		}
		return out
	}
	end := len(words)
	for end > 0 && caps[end-1] {
		end--
	}
	if len(words)-end == nCaps {
		for i := end; i < len(words); i++ {
			words[i].surname = true
		}
	}
	return words
}

// personTokens turns the words of a person's (or unknown kind's) name into
// tokens.
func personTokens(words []rawWord, kind Kind) []token {
	words = personOrder(words, kind)
	lw := make([]rawWord, 0, len(words))
	for _, w := range words {
		w.s = strings.ToLower(w.s)
		if w.acronym && kind != Org { // "M.A." in a person's name: initials
			for i := 0; i < len(w.s); i++ {
				lw = append(lw, rawWord{s: w.s[i : i+1], surname: w.surname})
			}
			continue
		}
		lw = append(lw, w)
	}
	lw = dropTitles(lw)
	toks := make([]token, 0, len(lw))
	for i := 0; i < len(lw); i++ {
		w := lw[i]
		s := w.s
		next := ""
		if i+1 < len(lw) {
			next = lw[i+1].s
		}
		// "Abd al-Qadir", "Abdel Kader", "Abd-ur-Rahman": one name.
		if isAbd(s, next) && i+1 < len(lw) {
			j := i + 1
			for j < len(lw)-1 && articleForm(lw[j].s, lw[j+1].s) {
				j++
			}
			if j < len(lw) && !isDigitWord(lw[j].s) {
				rest := lw[j].s
				if j == i+1 && len(rest) > 3 {
					// "Abd Allah", "Abd Arrahman": the article written on.
					if (rest[0] == 'a' || rest[0] == 'e' || rest[0] == 'u') && (rest[1] == 'l' || rest[1] == rest[2] && strings.IndexByte("sdrtzn", rest[1]) >= 0) {
						rest = rest[2:]
					}
				}
				toks = append(toks, token{text: "abdal" + rest, surname: w.surname || lw[j].surname, groups: vowelsUnknown(w.abjad || lw[j].abjad)})
				i = j
				continue
			}
		}
		// "Nasr al-Din", "Salah ud-Din", "Fadl Allah": one name.
		if i+1 < len(lw) && len(s) > 1 && patronymic[s] == "" && !isKunyaWord(s) && !isArticleWord(s) && !europeanParticle[s] {
			j := i + 1
			if j < len(lw)-1 && articleForm(lw[j].s, lw[j+1].s) && isDinWord(lw[j+1].s) {
				j++
			}
			if isDinWord(lw[j].s) || isAllahWord(lw[j].s) {
				suffix := "aldin"
				if isAllahWord(lw[j].s) {
					suffix = "allah"
				}
				toks = append(toks, token{text: s + suffix, surname: w.surname || lw[j].surname, groups: vowelsUnknown(w.abjad || lw[j].abjad)})
				i = j
				continue
			}
		}
		t := token{text: s, surname: w.surname, groups: vowelsUnknown(w.abjad)}
		switch {
		case isDigitWord(s):
		case len(s) == 1:
			t.role = roleInitial
		case i+1 < len(lw) && articleForm(s, next):
			t.role, t.text = roleArticle, "al"
		case isKunyaWord(s) && i+1 < len(lw):
			t.role, t.text = roleKunya, canonicalKunya(s)
		case i > 0 && i+1 < len(lw) && patronymic[s] != "":
			t.role, t.text = roleParticle, patronymic[s]
		case i > 0 && i+1 < len(lw) && europeanParticle[s]:
			t.role = roleParticle
		default:
			t.text = canonicalPersonWord(s)
		}
		toks = append(toks, t)
	}
	// Without a marked surname, a person's surname is the last word.
	marked := false
	for _, t := range toks {
		if t.surname && t.content() {
			marked = true
		}
	}
	if !marked {
		for i := len(toks) - 1; i >= 0; i-- {
			if toks[i].role == roleWord || toks[i].role == roleInitial {
				toks[i].surname = true
				break
			}
		}
	}
	for i := range toks {
		if toks[i].role != roleArticle && toks[i].role != roleParticle {
			toks[i].surname = toks[i].surname && toks[i].content()
		} else {
			toks[i].surname = false
		}
	}
	return toks
}

// orgTokens turns the words of an organisation's name into tokens.
func orgTokens(words []rawWord) []token {
	toks := make([]token, 0, len(words))
	for i, w := range words {
		s := strings.ToLower(w.s)
		next := ""
		if i+1 < len(words) {
			next = strings.ToLower(words[i+1].s)
		}
		t := token{text: s, groups: vowelsUnknown(w.abjad)}
		if w.abjad && strings.HasPrefix(s, "wal") && len(s) > 5 {
			// "والشام": the conjunction wa- on the article; what
			// follows is "al-Sham".
			s = s[1:]
			t.text = s
		}
		switch {
		case isDigitWord(s):
		case w.acronym:
		case i+1 < len(words) && articleForm(s, next):
			t.role, t.text = roleArticle, "al"
		case orgStop[s]:
			t.role = roleStop
		default:
			t.text = canonicalWord(s)
		}
		toks = append(toks, t)
	}
	return toks
}

// finish computes skeletons, weights, the kunya, acronyms and keys.
func (n *Name) finish() {
	n.Tokens = make([]string, len(n.toks))
	for i := range n.toks {
		t := &n.toks[i]
		n.Tokens[i] = t.text
		t.skel = skeleton(t.text)
		t.digits = isDigitWord(t.text)
		for k := 0; k < len(t.text); k++ {
			if c := t.text[k]; c >= 'a' && c <= 'z' {
				t.letters |= 1 << (c - 'a')
			}
		}
		if b := stripArticle(t.text); b != t.text {
			t.ext = &tokenExt{bare: skeleton(b)}
		}
		if strings.HasPrefix(t.text, "abdal") && len(t.text) > 7 {
			if t.ext == nil {
				t.ext = new(tokenExt)
			}
			t.ext.abd = t.text[5:]
			t.ext.abdSkel = skeleton(t.ext.abd)
		}
		if t.groups >= 0 {
			var g int
			t.vowel, g = vowelProfile(t.text)
			t.groups = int8(min(g, 127))
		} else {
			t.vowel = 0
		}
		t.weight = staticWeight(t, n.Kind)
		if n.Kind != Person && t.role == roleWord {
			t.concept = conceptOf(t)
		}
		t.short = n.Kind == Org && len(t.text) <= 3
		if t.content() {
			n.nContent++
			n.weight += t.weight
		}
	}
	if n.Kind != Org {
		n.kunya = findKunya(n.toks)
	}
	if n.Kind != Person {
		var a, all []byte
		for _, t := range n.toks {
			if t.role == roleArticle || isDigitWord(t.text) {
				continue
			}
			all = append(all, t.text[0])
			if t.role == roleWord {
				a = append(a, t.text[0])
			}
		}
		if len(a) >= 2 {
			n.acr = string(a)
		}
		if len(all) >= 2 {
			n.acrAll = string(all)
		}
	}
	n.Keys = n.keys()
}

// findKunya returns the indexes of X and Y if the whole name is "Abu X" or
// "Abu X al-Y" (the nisba Y after an article, or ending in -i), and -1s
// otherwise.
func findKunya(toks []token) [2]int {
	none := [2]int{-1, -1}
	var idx []int
	for i, t := range toks {
		if t.role != roleArticle {
			idx = append(idx, i)
		}
	}
	if len(idx) < 2 || len(idx) > 3 || toks[idx[0]].role != roleKunya {
		return none
	}
	x := idx[1]
	if toks[x].role != roleWord {
		return none
	}
	if len(idx) == 2 {
		return [2]int{x, -1}
	}
	y := idx[2]
	if toks[y].role != roleWord {
		return none
	}
	if toks[y-1].role == roleArticle || strings.HasSuffix(toks[y].text, "i") {
		return [2]int{x, y}
	}
	return none
}

// keys returns the blocking keys of n.
func (n *Name) keys() []string {
	var keys, set []string
	for i, t := range n.toks {
		if t.role != roleWord || len(t.skel) < 2 && !isDigitWord(t.text) {
			continue
		}
		if n.Kind == Org && t.weight < 0.2 {
			continue
		}
		keys = append(keys, "s:"+t.skel)
		set = append(set, t.skel)
		// "alzahrani" meets "al-Zahrani".
		if bare := stripArticle(t.text); bare != t.text && (i == 0 || n.toks[i-1].role != roleArticle) {
			keys = append(keys, "s:"+skeleton(bare))
		}
	}
	if len(set) > 1 {
		sort.Strings(set)
		keys = append(keys, "t:"+strings.Join(set, " "))
	}
	if n.Kind != Person {
		if n.acr != "" {
			keys = append(keys, "a:"+n.acr)
		}
		if n.acrAll != "" && n.acrAll != n.acr {
			keys = append(keys, "a:"+n.acrAll)
		}
		if n.nContent == 1 {
			for _, t := range n.toks {
				if t.role == roleWord && len(t.text) >= 2 && len(t.text) <= 8 {
					keys = append(keys, "a:"+t.text)
				}
			}
		}
	}
	sort.Strings(keys)
	return slices.Compact(keys)
}

// vowelsUnknown returns the groups of a token whose vowels are unknown (-1),
// or 0 to have them counted.
func vowelsUnknown(abjad bool) int8 {
	if abjad {
		return -1
	}
	return 0
}

func isDigitWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if isASCIIDigit(s[i]) {
			return true
		}
	}
	return false
}

// articleForm reports whether s, followed by next, is the Arabic article:
// al, el, ul, il, ol always; the assimilated forms (as-Sahili, ad-Din,
// ar-Rashid, an-Nur, at-Tawhid) only before a word starting with the same
// consonant.
func articleForm(s, next string) bool {
	if next == "" {
		return false
	}
	switch s {
	case "al", "el", "ul", "il", "ol":
		return true
	}
	if len(s) < 2 || len(s) > 3 || !strings.ContainsRune("aeiu", rune(s[0])) {
		return false
	}
	cons := s[1:]
	switch cons {
	case "s", "sh", "d", "dh", "r", "t", "th", "z", "n":
		return strings.HasPrefix(next, cons)
	}
	return false
}

func isArticleWord(s string) bool {
	switch s {
	case "al", "el", "ul", "il", "ol":
		return true
	}
	return false
}

// stripArticle removes an article written together with the word that
// follows it: "alzahrani" → "zahrani", "arrahman" → "rahman".
func stripArticle(s string) string {
	if len(s) < 6 {
		return s
	}
	if (s[0] == 'a' || s[0] == 'e' || s[0] == 'u') && s[1] == 'l' {
		return s[2:]
	}
	if (s[0] == 'a' || s[0] == 'e' || s[0] == 'u') && s[1] == s[2] && strings.IndexByte("sdrtzn", s[1]) >= 0 {
		return s[2:]
	}
	return s
}

// isAbd reports whether s starts an "Abd al-X" name spelt as separate words.
func isAbd(s, next string) bool {
	switch s {
	case "abd", "abdel", "abdul", "abdal", "abdol", "abdil", "abdoul", "abed", "abdyl":
		return true
	case "abdu", "abdou", "abde", "abdi", "abda":
		return articleForm(next, "x"+next) || isArticleWord(next)
	}
	return false
}

// canonicalAbd spells a one-word "Abd al-X" as "abdalx": "abdelkader",
// "abdulkadir" and "abderrahmane" become "abdalkader", "abdalkadir",
// "abdalrahmane".
func canonicalAbd(s string) string {
	if !strings.HasPrefix(s, "abd") || len(s) < 7 {
		return s
	}
	rest := s[3:]
	for k := 0; k < 2 && len(rest) > 2 && strings.IndexByte("aeiouy", rest[0]) >= 0; k++ {
		rest = rest[1:]
	}
	if rest[0] == 'l' {
		rest = rest[1:]
	} else if len(rest) > 1 && rest[0] == rest[1] {
		rest = rest[1:]
	}
	if len(rest) < 2 {
		return s
	}
	return "abdal" + rest
}

// canonicalDin spells the "X al-Din" names written as one word as "xaldin":
// "nasreddine", "salahuddin", "tajideen" become "nasraldin", "salahaldin",
// "tajaldin".
func canonicalDin(s string) string {
	if len(s) < 7 {
		return s
	}
	for _, suf := range []string{"dine", "din", "deen", "dean"} {
		if !strings.HasSuffix(s, suf) {
			continue
		}
		root := s[:len(s)-len(suf)]
		switch {
		case len(root) >= 5 && strings.IndexByte("aeiou", root[len(root)-2]) >= 0 && (root[len(root)-1] == 'd' || root[len(root)-1] == 'l'):
			root = root[:len(root)-2]
		case len(root) >= 4 && strings.IndexByte("aeiou", root[len(root)-1]) >= 0:
			root = root[:len(root)-1]
		}
		if len(root) < 3 {
			return s
		}
		return root + "aldin"
	}
	return s
}

func isDinWord(s string) bool {
	switch s {
	case "din", "deen", "dine", "addin", "uddin", "eddin", "eddine", "iddin", "uddeen":
		return true
	}
	return false
}

func isAllahWord(s string) bool {
	switch s {
	case "allah", "ullah", "ollah", "allahi", "illah":
		return true
	}
	return false
}

// canonicalPersonWord spells one-word compounds the way the separate-word
// forms are joined, and common transliterations of very common names alike.
func canonicalPersonWord(s string) string {
	if v, ok := synonyms[s]; ok {
		return v
	}
	if strings.HasPrefix(s, "abd") {
		return canonicalAbd(s)
	}
	return canonicalDin(s)
}

// canonicalWord spells a word of an organisation's name: "Abd al-X" names
// alike, as in persons' names.
func canonicalWord(s string) string {
	if strings.HasPrefix(s, "abd") {
		return canonicalAbd(s)
	}
	return s
}

// synonyms are spellings that no rule of the skeleton brings together.
var synonyms = map[string]string{
	"mohd": "muhammad", "muhd": "muhammad", "mohamad": "muhammad", "mhd": "muhammad", "md": "muhammad",
}

func isKunyaWord(s string) bool {
	switch s {
	case "abu", "abou", "abo", "aboo", "abi", "umm", "um", "oum", "abul", "aboul":
		return true
	}
	return false
}

func canonicalKunya(s string) string {
	switch s {
	case "umm", "um", "oum":
		return "umm"
	}
	return "abu"
}

// patronymic particles: "son of", "daughter of".
var patronymic = map[string]string{
	"bin": "bin", "ibn": "bin", "ben": "bin", "bn": "bin", "bint": "bin", "binti": "bin", "binte": "bin",
	"ould": "bin", "wuld": "bin", "walad": "bin", "ag": "bin", "oglu": "bin", "ogly": "bin",
}

var europeanParticle = map[string]bool{
	"van": true, "von": true, "de": true, "der": true, "den": true, "du": true, "da": true,
	"di": true, "dos": true, "das": true, "del": true, "della": true, "la": true, "le": true,
	"ter": true, "ten": true, "zu": true, "y": true, "e": true, "dei": true, "degli": true,
}

// personTitles are dropped from the start of a person's name ("Dr", "Sheikh",
// "Foreign Secretary", "Detective Chief Inspector"). The words of
// titleModifiers count only in a run that has one of personTitles.
var personTitles = map[string]bool{
	"dr": true, "doctor": true, "mr": true, "mrs": true, "ms": true, "miss": true, "mister": true,
	"sir": true, "dame": true, "lord": true, "lady": true, "prof": true, "professor": true,
	"sheikh": true, "shaykh": true, "sheik": true, "shaikh": true, "cheikh": true, "cheik": true,
	"sheykh": true, "shaik": true, "mullah": true, "mulla": true, "mollah": true, "maulana": true,
	"mawlana": true, "maulvi": true, "mawlawi": true, "moulvi": true, "molvi": true, "imam": true,
	"hajji": true, "haji": true, "hajj": true, "alhaj": true, "alhajj": true, "ayatollah": true,
	"hojatoleslam": true, "mufti": true, "emir": true, "general": true, "gen": true, "colonel": true,
	"col": true, "major": true, "maj": true, "captain": true, "capt": true, "lieutenant": true,
	"lt": true, "sergeant": true, "sgt": true, "commander": true, "cmdr": true, "brigadier": true,
	"admiral": true, "detective": true, "inspector": true, "constable": true, "superintendent": true,
	"officer": true, "dci": true, "di": true, "ds": true, "dc": true, "pc": true, "pcso": true,
	"acc": true, "cc": true, "president": true, "minister": true, "secretary": true, "senator": true,
	"sen": true, "rep": true, "judge": true, "justice": true, "rev": true, "reverend": true,
	"fr": true, "father": true, "mgr": true, "ambassador": true, "governor": true, "gov": true,
	"mayor": true, "chancellor": true, "king": true, "queen": true, "prince": true, "princess": true,
	"emeritus": true, "ustadh": true, "ustad": true, "qari": true,
	"mme": true, "mlle": true, "herr": true, "frau": true,
}

var titleModifiers = map[string]bool{
	"foreign": true, "home": true, "prime": true, "deputy": true, "chief": true, "assistant": true,
	"senior": true, "police": true, "home-secretary": true, "vice": true, "state": true,
	"defence": true, "defense": true, "interior": true, "justice": true, "first": true,
	"second": true, "former": true, "the": true, "honourable": true, "hon": true, "rt": true,
	"his": true, "her": true, "excellency": true, "general": true,
}

// suffixes are dropped from the end of a person's name.
var suffixes = map[string]bool{"jr": true, "sr": true, "ii": true, "iii": true, "iv": true, "junior": true, "senior": true, "phd": true, "esq": true}

// dropTitles drops titles from the start of a person's name and suffixes
// from its end, if a name is left.
func dropTitles(ws []rawWord) []rawWord {
	i, core := 0, false
	for i < len(ws)-1 && (personTitles[ws[i].s] || titleModifiers[ws[i].s]) {
		core = core || personTitles[ws[i].s]
		i++
	}
	if core {
		ws = ws[i:]
	}
	for len(ws) > 1 && suffixes[ws[len(ws)-1].s] {
		ws = ws[:len(ws)-1]
	}
	return ws
}

// isLegalForm reports whether s is a company's legal form, which may follow
// a comma ("REEM PHARMACEUTICAL, LLC").
func isLegalForm(s string) bool {
	return legalForms[s]
}

var legalForms = map[string]bool{
	"co": true, "company": true, "corp": true, "corporation": true, "inc": true, "incorporated": true,
	"ltd": true, "limited": true, "llc": true, "plc": true, "sa": true, "sal": true, "sarl": true,
	"gmbh": true, "bv": true, "nv": true, "srl": true, "spa": true, "jsc": true,
	"ojsc": true, "pjsc": true, "cjsc": true, "pvt": true, "pte": true, "fze": true, "fzco": true,
	"fzc": true, "fzllc": true, "lp": true, "llp": true, "ooo": true, "zao": true, "oao": true,
	"kft": true, "sro": true, "as": true, "ab": true, "oy": true, "sdn": true, "bhd": true,
	"est": true, "establishment": true, "ev": true, "asbl": true, "sas": true, "sae": true,
	"wll": true, "lda": true, "cv": true, "sc": true, "ca": true, "ltda": true, "sl": true,
	"ag": true, "kg": true, "aps": true, "sti": true, "tic": true, "eirl": true, "sprl": true, "bvba": true,
}

// orgStop are words of organisations' names that say nothing about which
// organisation: articles and prepositions of several languages, legal forms.
var orgStop = func() map[string]bool {
	m := map[string]bool{
		"the": true, "of": true, "and": true, "for": true, "in": true, "on": true, "at": true,
		"to": true, "a": true, "an": true, "de": true, "du": true, "des": true, "la": true, "le": true,
		"les": true, "el": true, "y": true, "et": true, "und": true, "der": true, "die": true,
		"das": true, "del": true, "della": true, "di": true, "da": true, "do": true, "dos": true,
		"e": true, "i": true, "ul": true, "wa": true, "va": true, "by": true, "with": true,
		"fi": true, "li": true, "bi": true,
	}
	for k, v := range legalForms {
		if v {
			m[k] = true
		}
	}
	return m
}()

// GuessKind guesses whether raw names a person or an organisation, for
// lists that do not say: a word such as "group", "front", "bank" or a legal
// form makes an organisation, as do digits, a lone acronym ("ISIL") and a
// name longer than a person's; "SURNAME, Given", a title, a kunya, a common
// given name or an initial make a person. Without either sign it returns
// Other, which Compare matches with either kind.
func GuessKind(raw string) Kind {
	words := splitWords(toLatin(raw))
	if len(words) == 0 {
		return Other
	}
	comma := false
	for i, w := range words {
		s := strings.ToLower(w.s)
		if orgWords[s] || legalForms[s] || orgGenericWords[s] && s != "al" && s != "new" && s != "arab" {
			return Org
		}
		if isDigitWord(s) || w.acronym {
			return Org
		}
		if w.comma && i < len(words)-1 {
			comma = true
		}
	}
	if len(words) == 1 && allCapsWord(words[0].s) && len(words[0].s) <= 5 {
		return Org
	}
	if len(words) > 7 && !comma {
		return Org
	}
	if comma {
		return Person
	}
	for i, w := range words {
		s := strings.ToLower(w.s)
		if personTitles[s] || len(s) == 1 && i < len(words)-1 || isKunyaWord(s) && i == 0 && len(words) > 1 {
			return Person
		}
		if len(s) < 3 || articleForm(s, "x") || patronymic[s] != "" {
			continue
		}
		k := skeleton(canonicalPersonWord(s))
		if frequentNames[k] || commonNames[k] {
			return Person
		}
	}
	return Other
}

// orgWords are words that, beside orgGenericWords, only organisations'
// names hold.
var orgWords = map[string]bool{
	"brigades": true, "tehrik": true, "tehreek": true, "lashkar": true, "jaish": true, "hizb": true,
	"qaida": true, "qaeda": true, "taliban": true, "corporation": true, "limited": true,
	"center": true, "centre": true, "news": true, "league": true, "federation": true, "club": true,
	"airways": true, "regiment": true, "corps": true, "guard": true, "guards": true, "unit": true,
	"units": true, "cell": true, "cells": true, "hospital": true, "college": true, "academy": true,
	"press": true, "radio": true, "television": true, "tv": true, "channel": true, "magazine": true,
	"newspaper": true, "church": true, "madrassa": true, "madrasa": true, "factory": true,
	"hotel": true, "restaurant": true, "store": true, "shop": true, "market": true, "port": true,
	"authority": true, "commission": true, "government": true, "police": true, "ministry": true,
	"embassy": true, "consulate": true, "agency": true, "bureau": true, "desk": true,
	"constabulary": true, "institution": true, "collective": true, "alliance": true,
	"coalition": true, "council": true, "assembly": true, "mission": true, "project": true,
}
