package extract

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The tokeniser follows the CoNLL-2003 / Penn Treebank conventions the
// named-entity tagger is trained on: words, numbers and punctuation are
// separate tokens ("Paris," is "Paris" ","), but a token keeps what a reader
// takes as one unit: "U.S.", "e.g.", "Dr.", "J.", "al-Baghdadi", "O'Neill",
// "3.5", "1,000", "9:30", "12/06/2016", e-mail addresses and URLs. Clitics
// split as in the Treebank: "don't" is "do" "n't", "Smith's" is "Smith" "'s".

// Byte classes for the ASCII fast path.
const (
	cLower = 1 << iota
	cUpper
	cDigit
	cSpace // whitespace and control characters: never part of a token
)

var asciiClass [utf8.RuneSelf]uint8

func init() {
	for c := 0; c < utf8.RuneSelf; c++ {
		switch {
		case c >= 'a' && c <= 'z':
			asciiClass[c] = cLower
		case c >= 'A' && c <= 'Z':
			asciiClass[c] = cUpper
		case c >= '0' && c <= '9':
			asciiClass[c] = cDigit
		case c <= ' ' || c == 0x7f:
			asciiClass[c] = cSpace
		}
	}
}

func isDigitByte(c byte) bool { return c >= '0' && c <= '9' }

func isAlnumByte(c byte) bool {
	return c < utf8.RuneSelf && asciiClass[c]&(cLower|cUpper|cDigit) != 0
}

// decode is utf8.DecodeRuneInString with an ASCII fast path. Each byte of an
// invalid sequence decodes as utf8.RuneError of size 1, so stepping by the
// returned size always lands on the boundaries a Go range loop visits.
func decode(s string, i int) (rune, int) {
	if c := s[i]; c < utf8.RuneSelf {
		return rune(c), 1
	}
	return utf8.DecodeRuneInString(s[i:])
}

// isWordRune reports whether r can be part of a word: letters, digits and
// combining marks (so that "é" written as "e" + U+0301 stays one word).
func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&(cLower|cUpper|cDigit) != 0
	}
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.IsMark(r)
}

func isLetterRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&(cLower|cUpper) != 0
	}
	return unicode.IsLetter(r)
}

func isDigitRune(r rune) bool { return r >= '0' && r <= '9' }

// isSpaceRune reports runes that separate tokens without being one:
// whitespace, control characters and invisible format characters (BOM,
// zero-width space, bidi marks), which PDF and HTML text is full of.
func isSpaceRune(r rune) bool {
	if r < utf8.RuneSelf {
		return asciiClass[r]&cSpace != 0
	}
	return unicode.IsSpace(r) || unicode.Is(unicode.Cc, r) || unicode.Is(unicode.Cf, r)
}

// isJoinerRune reports invisible runes that belong inside a word when
// letters surround them: ZWNJ and ZWJ (Persian, Indic scripts) and the soft
// hyphen left behind by PDF hyphenation.
func isJoinerRune(r rune) bool { return r == 0x200C || r == 0x200D || r == 0x00AD }

// abbreviations maps lower-cased abbreviations (without their final period)
// to how the period after them behaves.
type abbrevKind uint8

const (
	abbrevNone abbrevKind = iota
	// abbrevTitle precedes a name: the period never ends a sentence.
	abbrevTitle
	// abbrevPlain may end a sentence; the splitter decides from what follows.
	abbrevPlain
	// abbrevNumber is an abbreviation only before a number ("No. 5",
	// "p. 12"); elsewhere "no." and "p." are a word and a full stop.
	abbrevNumber
)

var abbreviations = map[string]abbrevKind{
	"mr": abbrevTitle, "mrs": abbrevTitle, "ms": abbrevTitle, "dr": abbrevTitle,
	"prof": abbrevTitle, "gen": abbrevTitle, "col": abbrevTitle, "lt": abbrevTitle,
	"capt": abbrevTitle, "maj": abbrevTitle, "sgt": abbrevTitle, "cpl": abbrevTitle,
	"rev": abbrevTitle, "sen": abbrevTitle, "rep": abbrevTitle,
	"gov": abbrevTitle, "pres": abbrevTitle, "insp": abbrevTitle, "supt": abbrevTitle,
	"det": abbrevTitle, "adm": abbrevTitle, "brig": abbrevTitle, "cmdr": abbrevTitle,
	"hon": abbrevTitle, "vs": abbrevTitle, "approx": abbrevTitle,

	// "St." is Saint before a name but Street at the end of a sentence.
	"st": abbrevPlain, "mt": abbrevPlain, "ft": abbrevPlain,
	"jr": abbrevPlain, "sr": abbrevPlain,
	"jan": abbrevPlain, "feb": abbrevPlain, "mar": abbrevPlain, "apr": abbrevPlain,
	"jun": abbrevPlain, "jul": abbrevPlain, "aug": abbrevPlain, "sep": abbrevPlain,
	"sept": abbrevPlain, "oct": abbrevPlain, "nov": abbrevPlain, "dec": abbrevPlain,
	"est": abbrevPlain, "dept": abbrevPlain, "inc": abbrevPlain, "ltd": abbrevPlain,
	"co": abbrevPlain, "corp": abbrevPlain, "etc": abbrevPlain, "bros": abbrevPlain,
	"univ": abbrevPlain, "assn": abbrevPlain, "intl": abbrevPlain, "govt": abbrevPlain,
	"ave": abbrevPlain, "blvd": abbrevPlain, "rd": abbrevPlain,
	"tel": abbrevPlain, "fax": abbrevPlain, "mob": abbrevPlain, "ext": abbrevPlain,

	"no": abbrevNumber, "nos": abbrevNumber, "vol": abbrevNumber, "p": abbrevNumber,
	"pp": abbrevNumber, "art": abbrevNumber, "fig": abbrevNumber, "ch": abbrevNumber,
	"sec": abbrevNumber, "para": abbrevNumber,
}

// lowerASCII writes the lower case of an ASCII s into buf; ok is false when s
// is too long or not ASCII. It lets hot paths look words up in maps without
// allocating.
func lowerASCII(buf []byte, s string) ([]byte, bool) {
	if len(s) > cap(buf) {
		return nil, false
	}
	buf = buf[:len(s)]
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return nil, false
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return buf, true
}

func abbrevOf(w string) abbrevKind {
	var b [8]byte
	lw, ok := lowerASCII(b[:0], w)
	if !ok {
		return abbrevNone
	}
	return abbreviations[string(lw)]
}

// tokenizer appends the tokens of text to toks.
type tokenizer struct {
	text string
	toks []Token
	// nextAt is the offset of the next '@' at or after the scan position
	// (len(text)+1 when there is none), so that e-mail detection costs
	// nothing in text without addresses.
	nextAt int
}

func tokenize(text string, toks []Token) []Token {
	t := tokenizer{text: text, toks: toks, nextAt: -1}
	s := text
	for i := 0; i < len(s); {
		r, n := decode(s, i)
		switch {
		case r == utf8.RuneError && n == 1:
			// An invalid byte is a token of its own: dropping it would hide
			// it from the reader, joining it to a word would corrupt the word.
			t.add(i, i+1)
			i++
		case isSpaceRune(r):
			i += n
		case isWordRune(r):
			i = t.word(i)
		default:
			i = t.punct(i, r, n)
		}
	}
	return t.toks
}

func (t *tokenizer) add(start, end int) { t.toks = append(t.toks, Token{start, end}) }

// punct scans punctuation and symbols: one rune each, except runs of periods
// ("...") and of hyphens ("--"), which the Treebank keeps whole.
func (t *tokenizer) punct(i int, r rune, n int) int {
	s := t.text
	j := i + n
	if r == '.' || r == '-' {
		for j < len(s) && s[j] == byte(r) {
			j++
		}
	}
	t.add(i, j)
	return j
}

// word scans a word starting at i and appends its tokens; it returns where
// the word ends.
func (t *tokenizer) word(i int) int {
	s := t.text
	if end := t.special(i); end > i {
		t.add(i, end)
		return end
	}
	j := i
	apos, aposLen := -1, 0 // the last apostrophe kept inside the word
	var prev rune
scan:
	for j < len(s) {
		r, n := decode(s, j)
		if isWordRune(r) {
			prev = r
			j += n
			continue
		}
		if j+n >= len(s) {
			break
		}
		next, _ := decode(s, j+n)
		switch {
		case r == '-' || r == 0x2010 || r == 0x2011:
			// al-Baghdadi, well-known, 2016-06-12, 12-14
			if !isWordRune(next) {
				break scan
			}
		case r == '\'' || r == 0x2019:
			// O'Neill, don't (split below)
			if !isLetterRune(prev) || !isLetterRune(next) {
				break scan
			}
			apos, aposLen = j, n
		case r == '.':
			// 3.5, 12.06.2016, 192.168.0.1; domain names like reuters.com
			if !(isDigitRune(prev) && isDigitRune(next)) &&
				!(isAlnumRuneASCII(prev) && next < utf8.RuneSelf && asciiClass[next]&cLower != 0) {
				break scan
			}
		case r == ',':
			// 1,000 and 1,000,000 but not the list "1,2"
			if !isDigitRune(prev) || !thousands(s, j+1) {
				break scan
			}
		case r == ':' || r == '/':
			// 9:30, 00:12:05, 12/06/2016
			if !isDigitRune(prev) || !isDigitRune(next) {
				break scan
			}
		case r == '&':
			// AT&T, M&S
			if !(prev >= 'A' && prev <= 'Z' && next >= 'A' && next <= 'Z') {
				break scan
			}
		case isJoinerRune(r):
			if !isWordRune(next) {
				break scan
			}
		default:
			break scan
		}
		j += n
	}
	// A period belongs to an abbreviation or an initial; whether it also
	// ends the sentence is the splitter's business.
	if j < len(s) && s[j] == '.' && (j+1 == len(s) || s[j+1] != '.') && t.abbrevDot(s[i:j], j) {
		t.add(i, j+1)
		return j + 1
	}
	if apos > i {
		if cut := cliticCut(s, i, apos, aposLen, j); cut > i {
			t.add(i, cut)
			t.add(cut, j)
			return j
		}
	}
	t.add(i, j)
	return j
}

func isAlnumRuneASCII(r rune) bool { return r < utf8.RuneSelf && isAlnumByte(byte(r)) }

// thousands reports whether s[i:] starts with exactly three digits.
func thousands(s string, i int) bool {
	if i+3 > len(s) || !isDigitByte(s[i]) || !isDigitByte(s[i+1]) || !isDigitByte(s[i+2]) {
		return false
	}
	return i+3 == len(s) || !isDigitByte(s[i+3])
}

// abbrevDot reports whether the period at s[dot] belongs to the word w.
func (t *tokenizer) abbrevDot(w string, dot int) bool {
	if r, n := utf8.DecodeRuneInString(w); n == len(w) && unicode.IsUpper(r) {
		return true // an initial: "J. R. Smith"
	}
	switch abbrevOf(w) {
	case abbrevTitle, abbrevPlain:
		return true
	case abbrevNumber:
		k := dot + 1
		for k < len(t.text) && (t.text[k] == ' ' || t.text[k] == '\t') {
			k++
		}
		return k < len(t.text) && isDigitByte(t.text[k])
	}
	return false
}

// cliticCut returns where to split a word s[start:end] with an apostrophe at
// apos, Treebank style, or -1 to keep it whole ("O'Neill", "d'Estaing").
func cliticCut(s string, start, apos, aposLen, end int) int {
	suffix := s[apos+aposLen : end]
	var b [2]byte
	ls, ok := lowerASCII(b[:0], suffix)
	if !ok {
		return -1
	}
	switch string(ls) {
	case "s", "m", "d", "ll", "re", "ve":
		return apos
	case "t":
		if apos-1 > start && (s[apos-1] == 'n' || s[apos-1] == 'N') {
			return apos - 1
		}
	}
	return -1
}

// special recognises the tokens that ignore the word rules: URLs, e-mail
// addresses and dotted acronyms ("U.S.", "e.g."). It returns i when there is
// none at i.
func (t *tokenizer) special(i int) int {
	s := t.text
	switch s[i] {
	case 'h', 'H', 'f', 'F', 'w', 'W':
		if end := urlAt(s, i); end > i {
			return end
		}
	}
	if isHexByte(s[i]) {
		// An IPv6 address ("fe80::1", "2001:db8::8a2e:370:7334") would
		// otherwise fall apart at its colons.
		j := i
		for j < len(s) && j-i < 4 && isHexByte(s[j]) {
			j++
		}
		if j < len(s) && s[j] == ':' {
			if start, end, _ := ipv6Around(s, j); start == i && end > j {
				return end
			}
		}
	}
	if t.nextAt < i {
		if k := strings.IndexByte(s[i:], '@'); k >= 0 {
			t.nextAt = i + k
		} else {
			t.nextAt = len(s) + 1
		}
	}
	if at := t.nextAt; at > i && at < len(s) && at-i <= 64 && allLocal(s[i:at]) {
		if end := domainEnd(s, at+1); end > 0 {
			return end
		}
	}
	return acronymEnd(s, i)
}

// acronymEnd returns the end of a dotted acronym at i — two or more single
// letters each followed by a period, as in "U.S.", "e.g.", "p.m." — or i.
func acronymEnd(s string, i int) int {
	j, pairs := i, 0
	for j < len(s) {
		r, n := decode(s, j)
		if !isLetterRune(r) || j+n >= len(s) || s[j+n] != '.' {
			break
		}
		j += n + 1
		pairs++
		if j == len(s) {
			break
		}
		// What follows the period must not glue on: "A.1" is no acronym,
		// and in "U.Sam" the S starts a word, not another pair.
		r2, n2 := decode(s, j)
		if isWordRune(r2) && !isLetterRune(r2) {
			return i
		}
		if isLetterRune(r2) && (j+n2 >= len(s) || s[j+n2] != '.') {
			break
		}
	}
	if pairs < 2 {
		return i
	}
	return j
}
