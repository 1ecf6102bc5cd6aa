package extract

import (
	"net/netip"
	"strings"
	"unicode/utf8"

	"mosaic"
)

// The pattern recognisers are hand-written scanners rather than regular
// expressions: each looks only where its trigger byte is ('@', a URL scheme,
// a digit, a colon), so a megabyte without addresses costs one pass over the
// bytes, and each rule that rejects a false positive (a year, a version
// number, an amount of money) can say why in a comment.

// Patterns returns the pattern recognisers: EMAIL, PHONE, URL, IP and DATE.
// They come most specific first — URL, EMAIL, IP, DATE, PHONE — because an
// Extractor gives ties between equally long mentions to the earlier
// recogniser; put them before the named-entity tagger in New for the same
// reason.
func Patterns() []Recognizer {
	return []Recognizer{urlRecognizer{}, emailRecognizer{}, ipRecognizer{}, dateRecognizer{}, phoneRecognizer{}}
}

// Confidences of the pattern recognisers. They are fixed judgements, not
// calibrated probabilities: high where the form is unambiguous, lower where
// the same digits often mean something else.
const (
	confURL         = 0.95
	confEmail       = 0.95
	confIP          = 0.9
	confIPShort     = 0.6 // all single-digit octets: could be a section number
	confPhoneIntl   = 0.9
	confPhoneArea   = 0.8
	confPhoneUS     = 0.75
	confPhoneLocal  = 0.5
	confPhoneCueAdd = 0.05
)

func mention(a *Analysis, s Sentence, start, end int, typ mosaic.MentionType, norm string, conf float64) mosaic.Mention {
	return mosaic.Mention{
		Start: start, End: end, Type: typ, Text: a.Text[start:end], Norm: norm,
		Sentence: s.Span, Confidence: conf,
	}
}

// --- URL and e-mail -------------------------------------------------------

// The tokeniser already keeps URLs and addresses whole, so these recognisers
// read tokens: a token that starts with a URL scheme is a URL, a token with
// an '@' is an address. Reading the same scanner's output keeps token and
// mention boundaries identical, which the tagger's features rely on.

type urlRecognizer struct{}

func (urlRecognizer) Recognize(a *Analysis) []mosaic.Mention {
	var out []mosaic.Mention
	for _, s := range a.Sentences {
		for _, tk := range s.Tokens {
			if urlAt(a.Text[:tk.End], tk.Start) == tk.End {
				out = append(out, mention(a, s, tk.Start, tk.End, mosaic.URL, "", confURL))
			}
		}
	}
	return out
}

type emailRecognizer struct{}

func (emailRecognizer) Recognize(a *Analysis) []mosaic.Mention {
	var out []mosaic.Mention
	for _, s := range a.Sentences {
		for _, tk := range s.Tokens {
			w := a.Text[tk.Start:tk.End]
			if !isAlnumByte(w[0]) || strings.IndexByte(w, '@') < 0 || urlAt(w, 0) > 0 {
				continue
			}
			out = append(out, mention(a, s, tk.Start, tk.End, mosaic.Email, strings.ToLower(w), confEmail))
		}
	}
	return out
}

var urlPrefixes = [...]string{"http://", "https://", "ftp://", "www."}

// urlAt returns the end of a URL starting at s[i], or i. A URL runs to the
// next space or character that cannot appear in one, less the trailing
// punctuation that ends the sentence around it; a closing bracket stays only
// when the URL opened it, as in Wikipedia links.
func urlAt(s string, i int) int {
	rest := s[i:]
	plen := 0
	for _, p := range urlPrefixes {
		if len(rest) > len(p) && strings.EqualFold(rest[:len(p)], p) {
			plen = len(p)
			break
		}
	}
	if plen == 0 {
		return i
	}
	host := i + plen
	if c := s[host]; !isAlnumByte(c) && !(c == '[' && plen > 4) {
		return i
	}
	j := host
	for j < len(s) {
		c := s[j]
		if c < utf8.RuneSelf {
			if c <= ' ' || c == 0x7f || strings.IndexByte("<>\"`{}|\\^", c) >= 0 {
				break
			}
			j++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[j:])
		if r == utf8.RuneError && n == 1 || isSpaceRune(r) || isQuoteRune(r) {
			break
		}
		j += n
	}
trim:
	for j > host+1 {
		switch s[j-1] {
		case '.', ',', ';', ':', '!', '?', '\'', '*':
		case ')':
			if strings.Count(s[i:j], "(") >= strings.Count(s[i:j], ")") {
				break trim
			}
		case ']':
			if strings.Count(s[i:j], "[") >= strings.Count(s[i:j], "]") {
				break trim
			}
		default:
			break trim
		}
		j--
	}
	return j
}

func isQuoteRune(r rune) bool {
	switch r {
	case '“', '”', '‘', '’', '«', '»', '„', '‹', '›', '「', '」':
		return true
	}
	return false
}

// allLocal reports whether s can be the local part of an e-mail address.
func allLocal(s string) bool {
	if s == "" || s[len(s)-1] == '.' {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !isAlnumByte(c) && c != '.' && c != '_' && c != '%' && c != '+' && c != '-' {
			return false
		}
	}
	return true
}

// domainEnd returns the end of an e-mail domain starting at s[i] — two or
// more dot-separated labels ending in an alphabetic top-level domain — or -1.
// A period after the domain is the sentence's, not the address's.
func domainEnd(s string, i int) int {
	j, labelStart, labels := i, i, 0
	validLabel := func(a, b int) bool {
		return b > a && b-a <= 63 && s[a] != '-' && s[b-1] != '-'
	}
	for j < len(s) {
		c := s[j]
		if isAlnumByte(c) || c == '-' {
			j++
			continue
		}
		if c == '.' && j+1 < len(s) && isAlnumByte(s[j+1]) {
			if !validLabel(labelStart, j) {
				return -1
			}
			labels++
			j++
			labelStart = j
			continue
		}
		break
	}
	if !validLabel(labelStart, j) || labels == 0 {
		return -1
	}
	// The top-level domain is alphabetic (or punycode) and at least two long.
	tld := s[labelStart:j]
	if len(tld) < 2 || !(strings.HasPrefix(tld, "xn--") || allLetters(tld)) {
		return -1
	}
	if j < len(s) {
		if r, _ := decode(s, j); isWordRune(r) || r == '@' {
			return -1
		}
	}
	return j
}

func allLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || asciiClass[c]&(cLower|cUpper) == 0 {
			return false
		}
	}
	return true
}

// --- IP addresses ---------------------------------------------------------

type ipRecognizer struct{}

func (ipRecognizer) Recognize(a *Analysis) []mosaic.Mention {
	var out []mosaic.Mention
	for _, s := range a.Sentences {
		text := a.Text[s.Start:s.End]
		for i := 0; i < len(text); {
			c := text[i]
			switch {
			case isDigitByte(c):
				end, next := ipv4At(text, i)
				if end > i {
					addr, _ := netip.ParseAddr(text[i:end])
					conf := confIP
					if end-i == 7 {
						conf = confIPShort
					}
					out = append(out, mention(a, s, s.Start+i, s.Start+end, mosaic.IP, addr.String(), conf))
				}
				// Skip the rest of a rejected run too; it stops short of any
				// colon, so an IPv6 address starting with digits is still seen.
				i = next
			case c == ':':
				start, end, next := ipv6Around(text, i)
				if end > start {
					addr, _ := netip.ParseAddr(text[start:end])
					// The scan may have stepped over the address's first
					// digits already; drop a mention it started as IPv4.
					if n := len(out); n > 0 && out[n-1].End > s.Start+start {
						out = out[:n-1]
					}
					out = append(out, mention(a, s, s.Start+start, s.Start+end, mosaic.IP, addr.String(), confIP))
				}
				i = next
			default:
				i++
			}
		}
	}
	return out
}

// ipv4At looks for a dotted-quad address starting at the digit s[i]. It
// returns the address's end (or i when there is none) and where scanning
// should resume. The whole run of digits and dots must be the address:
// "1.2.3" is a version, "1.2.3.4.5" a section number, "v1.2.3.4" a version.
func ipv4At(s string, i int) (end, next int) {
	j := i
	for j < len(s) && (isDigitByte(s[j]) || s[j] == '.') {
		j++
	}
	next = j
	if i > 0 {
		if p, _ := utf8.DecodeLastRuneInString(s[:i]); isWordRune(p) || p == '.' || p == '-' || p == '_' {
			return i, next
		}
	}
	run := s[i:j]
	if strings.HasSuffix(run, ".") && !strings.HasSuffix(run, "..") {
		run = run[:len(run)-1] // the sentence's full stop
	}
	if strings.Count(run, ".") != 3 {
		return i, next
	}
	if e := i + len(run); e < len(s) {
		if r, _ := decode(s, e); isWordRune(r) || r == '-' || r == '_' {
			return i, next
		}
	}
	addr, err := netip.ParseAddr(run)
	if err != nil || !addr.Is4() {
		return i, next
	}
	return i + len(run), next
}

func isHexByte(c byte) bool {
	return isDigitByte(c) || (c|0x20) >= 'a' && (c|0x20) <= 'f'
}

// ipv6Around looks for an IPv6 address around the colon at s[i]: the run of
// hex digits, colons and (for IPv4-mapped forms) dots it stands in. Only a
// compressed form ("::") or a full eight-group form counts, which keeps
// times ("12:30:45") and MAC addresses out; netip decides validity.
func ipv6Around(s string, i int) (start, end, next int) {
	start = i
	for start > 0 && i-start < 45 && (isHexByte(s[start-1]) || s[start-1] == ':' || s[start-1] == '.') {
		start--
	}
	for start < i && s[start] == '.' {
		start++
	}
	end = i
	for end < len(s) && end-start < 46 && (isHexByte(s[end]) || s[end] == ':' || s[end] == '.') {
		end++
	}
	next = end
	for end > i && s[end-1] == '.' {
		end-- // the sentence's full stop
	}
	for end > i+1 && s[end-1] == ':' && s[end-2] != ':' {
		end-- // "at fe80::1:" — a colon introducing what follows
	}
	cand := s[start:end]
	colons := strings.Count(cand, ":")
	if !strings.Contains(cand, "::") && colons != 7 {
		return 0, 0, next
	}
	if start > 0 {
		if p, _ := utf8.DecodeLastRuneInString(s[:start]); isWordRune(p) {
			return 0, 0, next
		}
	}
	if end < len(s) {
		if r, _ := decode(s, end); isWordRune(r) {
			return 0, 0, next
		}
	}
	// At least two groups, so that "::" alone, or "C::" in code, is not an
	// address; "::1" (loopback) is the one one-group form worth keeping.
	groups := 0
	for _, g := range strings.Split(cand, ":") {
		if g != "" {
			groups++
		}
	}
	if groups < 2 && cand != "::1" {
		return 0, 0, next
	}
	addr, err := netip.ParseAddr(cand)
	if err != nil || !addr.Is6() {
		return 0, 0, next
	}
	return start, end, next
}

// --- Phone numbers --------------------------------------------------------

type phoneRecognizer struct{}

func (phoneRecognizer) Recognize(a *Analysis) []mosaic.Mention {
	var out []mosaic.Mention
	for _, s := range a.Sentences {
		text := a.Text[s.Start:s.End]
		for i := 0; i < len(text); {
			c := text[i]
			if !isDigitByte(c) && !((c == '+' || c == '(') && i+1 < len(text) && isDigitByte(text[i+1])) {
				i++
				continue
			}
			p, next := phoneAt(text, i)
			if p.end > 0 {
				out = append(out, mention(a, s, s.Start+i, s.Start+p.end, mosaic.Phone, p.norm, p.conf))
			}
			i = next
		}
	}
	return out
}

type phone struct {
	end  int
	norm string
	conf float64
}

type phoneGroup struct {
	start, end int // the digits, without parentheses
	paren      bool
	sep        byte // separator before the group: 0 for the first, ' ', '-', '.', ')' (none after a parenthesis)
}

const maxPhoneGroups = 8

// phoneAt reads a phone-like run starting at s[i] ('+', '(' or a digit):
// groups of digits separated by single spaces, hyphens or dots, with an
// optional parenthesised area code. It returns the phone (end 0 if the run
// is not one) and where scanning resumes. When the whole run fails, shorter
// prefixes are tried, so "call 555-0199 5 times" still finds the number.
func phoneAt(s string, i int) (phone, int) {
	if i > 0 && !phoneMayStartAfter(s, i) {
		j := i + 1
		for j < len(s) && (isDigitByte(s[j]) || s[j] == '.' || s[j] == ',' || s[j] == '-' || s[j] == ':') {
			j++
		}
		return phone{}, j
	}
	plus := s[i] == '+'
	j := i
	if plus {
		j++
	}
	var groups [maxPhoneGroups]phoneGroup
	ng := 0
	var sep byte
	for ng < maxPhoneGroups && j < len(s) {
		g := phoneGroup{sep: sep}
		if s[j] == '(' {
			k := j + 1
			for k < len(s) && isDigitByte(s[k]) {
				k++
			}
			if k == j+1 || k >= len(s) || s[k] != ')' || k-j-1 > 5 {
				break
			}
			g.start, g.end, g.paren = j+1, k, true
			j = k + 1
		} else if isDigitByte(s[j]) {
			k := j
			for k < len(s) && isDigitByte(s[k]) {
				k++
			}
			g.start, g.end = j, k
			j = k
		} else {
			break
		}
		groups[ng] = g
		ng++
		// The separator before the next group.
		sep = 0
		k := j
		switch {
		case k < len(s) && (s[k] == ' ' || s[k] == '-' || s[k] == '.'):
			sep = s[k]
			k++
			if sep == ' ' && k+1 < len(s) && s[k] == '-' && s[k+1] == ' ' { // "020 - 7946"
				sep, k = '-', k+2
			}
		case g.paren:
			sep = ')'
		}
		if k < len(s) && (isDigitByte(s[k]) || s[k] == '(' && k+1 < len(s) && isDigitByte(s[k+1])) && !(sep == 0 && s[k] != '(') {
			j = k
			continue
		}
		break
	}
	next := groups[max(ng-1, 0)].end
	if ng > 0 && groups[ng-1].paren {
		next++
	}
	if next <= i {
		next = i + 1
	}
	for n := ng; n >= 1; n-- {
		if p, ok := validPhone(s, i, plus, groups[:n]); ok {
			return p, next
		}
	}
	return phone{}, next
}

// phoneMayStartAfter rejects a number glued to what precedes it: a word
// ("A380-800"), a decimal or thousands separator, a currency sign, a time.
func phoneMayStartAfter(s string, i int) bool {
	p, n := utf8.DecodeLastRuneInString(s[:i])
	if isWordRune(p) {
		return false
	}
	switch p {
	case '.', '-', '/', '+', '$', '€', '£', '¥', '#', '%', '_', '@', '&', '=':
		return false
	case ',', ':':
		if i-n > 0 && isDigitByte(s[i-n-1]) {
			return false
		}
	}
	return true
}

func validPhone(s string, start int, plus bool, g []phoneGroup) (phone, bool) {
	end := g[len(g)-1].end
	if g[len(g)-1].paren {
		end++
	}
	// What follows must not continue the number: "1.5", "20%", "9:30",
	// "10-15km", "555-0199-2".
	if end < len(s) {
		r, _ := decode(s, end)
		if isWordRune(r) || r == '%' || r == '@' || r == '/' {
			return phone{}, false
		}
		if (r == '.' || r == ',' || r == ':' || r == '-') && end+1 < len(s) && isDigitByte(s[end+1]) {
			return phone{}, false
		}
	}
	digits, lens := 0, make([]int, 0, len(g))
	var seps [4]bool // ' ', '-', '.', ')'
	for k, gr := range g {
		n := gr.end - gr.start
		digits += n
		lens = append(lens, n)
		if k > 0 {
			switch gr.sep {
			case ' ':
				seps[0] = true
			case '-':
				seps[1] = true
			case '.':
				seps[2] = true
			}
		}
	}
	// Dots never mix with other separators in a phone number; mixed runs
	// are IP addresses, decimals or dates.
	if seps[2] && (seps[0] || seps[1]) {
		return phone{}, false
	}
	if !plus && isDateShape(lens) {
		return phone{}, false
	}
	var conf float64
	last := lens[len(lens)-1]
	// "00" is the international prefix outside North America: 0049 30
	// 1234567 is +49 30 1234567.
	intl00 := !plus && lens[0] >= 2 && s[g[0].start] == '0' && s[g[0].start+1] == '0' && !g[0].paren
	switch {
	case intl00:
		if digits < 10 || digits > 17 || len(g) < 2 {
			return phone{}, false
		}
		conf = confPhoneIntl
	case plus:
		// E.164 allows at most 15 digits; fewer than 8 is not a number
		// anyone dials from abroad.
		if digits < 8 || digits > 15 || g[0].paren {
			return phone{}, false
		}
		if len(g) == 1 && digits < 10 {
			return phone{}, false
		}
		conf = confPhoneIntl
	default:
		if digits < 7 || digits > 12 || len(g) < 2 || last < 2 {
			return phone{}, false
		}
		// Subscriber numbers run to eight digits (Berlin: 030 12345678);
		// longer groups are IDs.
		for _, n := range lens {
			if n > 8 {
				return phone{}, false
			}
		}
		first := s[g[0].start]
		switch {
		case g[0].paren && lens[0] >= 2 && lens[0] <= 5:
			conf = confPhoneArea // (555) 010-0199, (020) 7946 0958
		case first == '0' && lens[0] >= 2:
			conf = confPhoneArea // trunk prefix: 020 7946 0958, 06 12 34 56 78
		case len(lens) == 3 && lens[0] == 3 && lens[1] == 3 && lens[2] == 4:
			conf = confPhoneUS // 555-010-0199, 555.010.0199
		case len(lens) == 2 && lens[0] == 3 && lens[1] == 4 && g[1].sep == '-':
			conf = confPhoneLocal // 555-0199
		default:
			// Everything else — "12 345 678", "978-3-16-148410-0",
			// "123-45-6789", "2015 2016" — is a count, an ISBN, an ID
			// or a pair of years, not a number to dial.
			return phone{}, false
		}
	}
	if hasPhoneCue(s, start) {
		conf += confPhoneCueAdd
	}
	// Norm: the digits to dial, with the leading + kept (and written for a
	// leading 00) and the "(0)" trunk prefix that UK numbers show after the
	// country code dropped.
	var b strings.Builder
	b.Grow(digits + 1)
	if plus || intl00 {
		b.WriteByte('+')
	}
	for k, gr := range g {
		digits := s[gr.start:gr.end]
		if k == 0 && intl00 {
			digits = digits[2:]
		}
		if (plus || intl00) && k == 1 && gr.paren && digits == "0" {
			continue
		}
		b.WriteString(digits)
	}
	return phone{end: end, norm: b.String(), conf: min(conf, 1)}, true
}

// isDateShape reports digit groups shaped like a numeric date: 2016-06-12,
// 12.06.2016, 1-6-2016.
func isDateShape(lens []int) bool {
	if len(lens) != 3 {
		return false
	}
	if lens[0] == 4 && lens[1] <= 2 && lens[2] <= 2 {
		return true
	}
	return lens[0] <= 2 && lens[1] <= 2 && (lens[2] == 4 || lens[2] == 2)
}

var phoneCues = []string{"tel", "phone", "mobile", "cell", "fax", "call", "whatsapp", "signal", "contact", "number", "dial"}

// hasPhoneCue reports whether a word such as "tel" or "phone" shortly
// precedes s[i].
func hasPhoneCue(s string, i int) bool {
	from := max(i-24, 0)
	for from < i && !utf8.RuneStart(s[from]) {
		from++
	}
	ctx := strings.ToLower(s[from:i])
	for _, c := range phoneCues {
		if strings.Contains(ctx, c) {
			return true
		}
	}
	return false
}
