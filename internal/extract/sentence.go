package extract

import (
	"unicode"
	"unicode/utf8"

	"mosaic"
)

// Split splits text into sentences and tokens, with UTF-8 byte offsets. Never
// panics, for any input (even invalid UTF-8).
//
// Sentences are ascending, do not overlap, and run from their first token to
// their last, so they carry no surrounding whitespace; every token lies in
// its sentence. An invalid byte is a token of its own, so offsets always fall
// on the boundaries a Go range loop over text visits.
//
// Text is first cut into tokens, then the gaps between tokens are judged:
//
//   - A blank line (or form feed, or paragraph separator) always ends a
//     sentence.
//   - A single line break ends one when the next line starts a bullet ("- ",
//     "• ", "1. ", "2) ", "a) ", "(iv) ") or an ALL-CAPS speaker label
//     ("SMITH:", "DR. MBEKI:", "[00:12:05] Q:"), or a header field ("Subject: ",
//     "Date of birth: ") after a line that does not dangle (end in a comma
//     or a function word), or when the line before is a
//     heading: the first line of its sentence, short, without terminal or
//     continuing punctuation, not ending in a function word ("of", "the"),
//     and title-cased unless it has at most three words. Any other line
//     break is a hard wrap (PDF text) and joins the lines.
//   - ".", "!" and "?", with any closing quotes and brackets right after
//     them, end a sentence unless the next token starts in lower case or is
//     a comma, colon, closing bracket or more terminal punctuation.
//   - An ellipsis ends a sentence only before a capitalised word.
//   - A period inside an abbreviation token ("U.S.", "etc.", "p.m.", "J.")
//     ends a sentence only before a capitalised word that typically opens one
//     ("The", "He", "However", ... see sentenceStarters): "in the U.S. He
//     said" splits, "the U.S. Dept. of State" and "J. R. Smith" do not. A
//     title ("Dr.", "Gen.") never ends one.
//   - A sentence that has reached 256 tokens ends at the next line break,
//     and one of 1024 tokens at the next space, so that tables and
//     unpunctuated dumps still come in pieces a tagger can handle.
func Split(text string) []Sentence {
	toks := tokenize(text, make([]Token, 0, len(text)/5+1))
	return splitSentences(text, toks)
}

const (
	softSentenceTokens = 256
	hardSentenceTokens = 1024
)

func splitSentences(text string, toks []Token) []Sentence {
	if len(toks) == 0 {
		return nil
	}
	sp := splitter{text: text, toks: toks}
	out := make([]Sentence, 0, len(toks)/20+1)
	emit := func(from, to int) {
		out = append(out, Sentence{
			Span:   spanOf(toks[from], toks[to-1]),
			Tokens: toks[from:to:to],
		})
	}
	sent, line := 0, 0
	for k := 1; k < len(toks); k++ {
		gap := text[toks[k-1].End:toks[k].Start]
		nl := lineBreaks(gap)
		var brk bool
		switch {
		case nl >= 2:
			brk = true
		case nl == 1:
			brk = sp.startsBlock(toks[k].Start) ||
				fieldEnd(sp.text, toks[k].Start) > 0 && !sp.dangles(k-1) ||
				line == sent && sp.heading(line, k) ||
				k-sent >= softSentenceTokens
		}
		if !brk {
			brk = sp.punctBreak(sent, line, k) || k-sent >= hardSentenceTokens && gap != ""
		}
		if brk {
			emit(sent, k)
			sent = k
		}
		if nl > 0 {
			line = k
		}
	}
	emit(sent, len(toks))
	return out
}

type splitter struct {
	text string
	toks []Token
}

func (sp *splitter) word(k int) string { return sp.text[sp.toks[k].Start:sp.toks[k].End] }

// lineBreaks counts the line breaks in a gap between tokens, 2 meaning a
// paragraph break. CRLF counts once; a lone CR (old Mac text) counts too.
func lineBreaks(gap string) int {
	n := 0
	for i := 0; i < len(gap); i++ {
		switch gap[i] {
		case '\n', '\v':
			n++
		case '\r':
			if i+1 >= len(gap) || gap[i+1] != '\n' {
				n++
			}
		case '\f':
			n += 2 // a page break in PDF text
		case 0xE2: // U+2028 line separator, U+2029 paragraph separator
			if i+2 < len(gap) && gap[i+1] == 0x80 {
				switch gap[i+2] {
				case 0xA8:
					n++
				case 0xA9:
					n += 2
				}
			}
		case 0xC2: // U+0085 next line
			if i+1 < len(gap) && gap[i+1] == 0x85 {
				n++
			}
		}
	}
	return n
}

// Kinds of sentence-ending tokens.
const (
	endNone = iota
	endStop
	endEllipsis
	endAbbrev
	endTitle
)

func endKind(w string) int {
	switch w {
	case ".", "!", "?", "‼", "⁇", "⁈", "⁉", "。", "！", "？", "؟", "।":
		return endStop
	case "…":
		return endEllipsis
	}
	if len(w) >= 2 && w[len(w)-1] == '.' {
		if w[0] == '.' {
			return endEllipsis // "...", "...."
		}
		if abbrevOf(w[:len(w)-1]) == abbrevTitle {
			return endTitle
		}
		return endAbbrev
	}
	return endNone
}

func isCloser(w string) bool {
	switch w {
	case ")", "]", "}", "\"", "'", "”", "’", "»", "›", "」", "』":
		return true
	}
	return false
}

// punctBreak decides whether the punctuation before token k ends the
// sentence that started at token sent; line is the first token of the line.
func (sp *splitter) punctBreak(sent, line, k int) bool {
	toks := sp.toks
	next := sp.word(k)
	// Closing quotes and brackets glued to the punctuation stay with it;
	// the break, if any, comes after them.
	if isCloser(next) && toks[k].Start == toks[k-1].End {
		return false
	}
	t := k - 1
	for t > sent && isCloser(sp.word(t)) && toks[t].Start == toks[t-1].End {
		t--
	}
	switch endKind(sp.word(t)) {
	case endStop:
		if t-1 == line && t-1 >= sent && sp.word(t) == "." && bulletEnd(sp.text, toks[line].Start) > 0 {
			return false // the period of a list marker "1. "
		}
		r, _ := utf8.DecodeRuneInString(next)
		return !unicode.IsLower(r) && !continuesSentence(r)
	case endEllipsis:
		r, _ := utf8.DecodeRuneInString(next)
		return unicode.IsUpper(r)
	case endAbbrev:
		return isSentenceStarter(next)
	}
	return false
}

// continuesSentence reports punctuation that cannot open a sentence.
func continuesSentence(r rune) bool {
	switch r {
	case ',', ';', ':', ')', ']', '}', '%', '.', '!', '?', '…':
		return true
	}
	return false
}

// sentenceStarters are words that often open a sentence and seldom follow an
// abbreviation inside one. After "U.S." or "p.m." a capitalised word is
// usually part of a name ("U.S. Army", "9 p.m. Sunday"); one of these
// usually is not.
var sentenceStarters = map[string]bool{}

func init() {
	for _, w := range []string{
		"a", "an", "the", "this", "that", "these", "those", "there", "then", "thus",
		"he", "she", "it", "they", "we", "i", "you", "his", "her", "its", "their", "our", "my", "your",
		"in", "on", "at", "by", "for", "from", "with", "without", "after", "before", "during",
		"since", "until", "when", "while", "where", "why", "how", "what", "who", "which",
		"although", "though", "if", "but", "and", "or", "so", "yet", "however", "meanwhile",
		"moreover", "furthermore", "also", "later", "earlier", "now", "today", "yesterday",
		"tomorrow", "many", "some", "several", "both", "all", "each", "every", "none",
		"another", "such", "according", "despite", "among", "following", "other", "one",
		"it's", "he's", "she's", "there's", "nevertheless", "instead", "still", "as",
		"last", "next", "no", "not", "police", "officials", "authorities",
	} {
		sentenceStarters[w] = true
	}
}

func isSentenceStarter(w string) bool {
	r, _ := utf8.DecodeRuneInString(w)
	if !unicode.IsUpper(r) {
		return false
	}
	var b [16]byte
	lw, ok := lowerASCII(b[:0], w)
	return ok && sentenceStarters[string(lw)]
}

// startsBlock reports whether a line starting at p opens a new block: a
// bullet or a speaker label.
func (sp *splitter) startsBlock(p int) bool {
	return bulletEnd(sp.text, p) > 0 || labelEnd(sp.text, p) > 0
}

// dangles reports whether token k leaves its sentence open: a comma or
// similar, or a function word such as "the" or "of".
func (sp *splitter) dangles(k int) bool {
	last := sp.word(k)
	switch last {
	case ",", ";", ":", "-", "–", "—", "(", "/", "&", "+", "[", "\"", "“":
		return true
	}
	var b [16]byte
	lw, ok := lowerASCII(b[:0], last)
	return ok && danglingWords[string(lw)]
}

// fieldEnd returns the end of a header field label at s[p] — one to three
// words, the first capitalised, then a colon and a space: "Subject: ",
// "Date of birth: ", "Ref: " — or 0. Reports, transcripts and e-mails open
// with blocks of such lines, each a value of its own, not a wrapped sentence.
func fieldEnd(s string, p int) int {
	if p >= len(s) {
		return 0
	}
	if r, _ := decode(s, p); !unicode.IsUpper(r) {
		return 0
	}
	words := 1
	for j := p; j < len(s) && j-p <= 32; {
		r, n := decode(s, j)
		switch {
		case r == ':':
			if s[j-1] == ' ' || j+1 >= len(s) || (s[j+1] != ' ' && s[j+1] != '\t') {
				return 0
			}
			return j + 1
		case r == ' ':
			if s[j-1] == ' ' {
				return 0
			}
			if words++; words > 3 {
				return 0
			}
		case unicode.IsLetter(r) || r == '-' || r == '/' || r == '.':
		default:
			return 0
		}
		j += n
	}
	return 0
}

// bulletEnd returns the end of a list marker at s[p] — "- ", "* ", "• ",
// "1. ", "2) ", "a) ", "(iv) ", "iv. " — or 0. Capital letters count only
// with a bracket, because "A. Smith" at the start of a wrapped line is an
// initial, not item A.
func bulletEnd(s string, p int) int {
	if p >= len(s) {
		return 0
	}
	r, n := decode(s, p)
	switch r {
	case '-', '*', '+', '•', '·', '‣', '◦', '▪', '■', '●', '○', '–', '—', '►', '➢', '✓':
		return spaceAfter(s, p+n)
	}
	j := p
	paren := false
	if r == '(' {
		paren = true
		j++
	}
	k := j
	for k < len(s) && k-j < 4 && isAlnumByte(s[k]) {
		k++
	}
	if k == j || k >= len(s) {
		return 0
	}
	item := s[j:k]
	digits, lower, upper := true, true, len(item) == 1
	for i := 0; i < len(item); i++ {
		c := asciiClass[item[i]]
		digits = digits && c&cDigit != 0
		lower = lower && c&cLower != 0
		upper = upper && c&cUpper != 0
	}
	roman := lower && isRoman(item)
	switch {
	case digits && len(item) <= 3:
	case lower && (len(item) == 1 || roman):
	case upper:
		if s[k] == '.' {
			return 0
		}
	default:
		return 0
	}
	switch {
	case paren && s[k] == ')':
	case !paren && (s[k] == '.' || s[k] == ')'):
	default:
		return 0
	}
	return spaceAfter(s, k+1)
}

func isRoman(w string) bool {
	switch w {
	case "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii":
		return true
	}
	return false
}

// spaceAfter returns i if s[i] is a space or tab (a marker must be followed
// by one), else 0.
func spaceAfter(s string, i int) int {
	if i < len(s) && (s[i] == ' ' || s[i] == '\t') {
		return i
	}
	return 0
}

// labelEnd returns the end of a transcript speaker label at s[p] — an
// optional timestamp ("[00:12:05]", "(12:05)", "00:12:05") and then one to
// four ALL-CAPS words ending in a colon and a space: "SMITH:", "AL-HASSAN:",
// "DR. MBEKI:", "Q:" — or 0.
func labelEnd(s string, p int) int {
	j := timestampEnd(s, p)
	if j > p {
		for j < len(s) && (s[j] == ' ' || s[j] == '\t') {
			j++
		}
		if j+1 < len(s) && s[j] == '-' && s[j+1] == ' ' {
			j += 2
		}
	}
	start := j
	words, upper := 1, false
	for j < len(s) && j-start <= 40 {
		r, n := decode(s, j)
		switch {
		case r == ':':
			if !upper || s[j-1] == ' ' {
				return 0
			}
			if j+1 < len(s) && s[j+1] != ' ' && s[j+1] != '\t' && s[j+1] != '\n' && s[j+1] != '\r' {
				return 0
			}
			return j + 1
		case unicode.IsUpper(r):
			upper = true
		case r == ' ':
			if j == start || s[j-1] == ' ' {
				return 0
			}
			words++
			if words > 4 {
				return 0
			}
		case r == '-' || r == '\'' || r == '’' || r == '.' || isDigitRune(r) || unicode.IsMark(r):
			if j == start {
				return 0
			}
		default:
			return 0 // a lower-case letter or anything else
		}
		j += n
	}
	return 0
}

// timestampEnd returns the end of a timestamp such as "[00:12:05]",
// "(12:05)" or "00:12:05.250" at s[p], or p.
func timestampEnd(s string, p int) int {
	j := p
	var closer byte
	if j < len(s) && (s[j] == '[' || s[j] == '(') {
		closer = ']'
		if s[j] == '(' {
			closer = ')'
		}
		j++
	}
	digits, colons := 0, 0
	for j < len(s) && (isDigitByte(s[j]) || s[j] == ':' || s[j] == '.' || s[j] == ',') {
		if s[j] == ':' {
			colons++
		} else if isDigitByte(s[j]) {
			digits++
		}
		j++
	}
	if digits < 2 || colons == 0 {
		return p
	}
	if closer != 0 {
		if j >= len(s) || s[j] != closer {
			return p
		}
		j++
	}
	return j
}

// smallWords may stay lower case in a title-cased heading.
var smallWords = map[string]bool{
	"of": true, "the": true, "and": true, "a": true, "an": true, "in": true, "on": true,
	"for": true, "to": true, "at": true, "by": true, "with": true, "from": true, "or": true,
	"de": true, "du": true, "des": true, "la": true, "le": true, "al": true, "bin": true,
	"von": true, "van": true, "vs": true, "nor": true, "but": true, "as": true, "into": true,
}

// danglingWords end a line that goes on: a heading does not end in one.
var danglingWords = map[string]bool{
	"of": true, "the": true, "and": true, "or": true, "a": true, "an": true, "to": true,
	"in": true, "on": true, "at": true, "by": true, "for": true, "with": true, "from": true,
	"as": true, "that": true, "is": true, "was": true, "were": true, "are": true, "be": true,
	"but": true, "his": true, "her": true, "their": true, "its": true, "into": true,
}

// heading reports whether the line of tokens [from, to) is a heading that
// ends before token to.
func (sp *splitter) heading(from, to int) bool {
	toks := sp.toks
	if toks[to-1].End-toks[from].Start > 100 {
		return false
	}
	next := sp.word(to)
	if r, _ := utf8.DecodeRuneInString(next); unicode.IsLower(r) || continuesSentence(r) {
		return false
	}
	if endKind(sp.word(to-1)) != endNone || sp.dangles(to-1) {
		return false
	}
	var b [16]byte
	words, titled := 0, true
	for k := from; k < to; k++ {
		w := sp.word(k)
		r, _ := utf8.DecodeRuneInString(w)
		if !isWordRune(r) {
			continue
		}
		words++
		if words > 12 {
			return false
		}
		if unicode.IsLower(r) && !hasUpper(w) {
			lw, ok := lowerASCII(b[:0], w)
			if !ok || !smallWords[string(lw)] {
				titled = false
			}
		}
	}
	return words > 0 && (words <= 3 || titled)
}

func hasUpper(w string) bool {
	for _, r := range w {
		if unicode.IsUpper(r) {
			return true
		}
	}
	return false
}

func spanOf(first, last Token) mosaic.Span { return mosaic.Span{Start: first.Start, End: last.End} }
