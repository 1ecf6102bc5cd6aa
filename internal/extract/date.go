package extract

import (
	"time"
	"unicode"
	"unicode/utf8"

	"mosaic"
)

// Dates are read from tokens, not raw text: the tokeniser already keeps
// "2016-06-12", "12/06/2016", "12th", "Jun." and "1990s" whole, and a small
// grammar over tokens is both faster and easier to reason about than one
// regular expression per form.
//
// Every DATE mention gets an ISO 8601 Norm where one can be computed:
// "2016-06-12" (day), "2016-06" (month), "2016" (year), "199" (decade, the
// ISO 8601 reduced-precision form), "2016-W29" (ISO week), and "A/B" for a
// range of days or years. The rules:
//
//   - Numeric dates are read day first ("12/06/2016" is 12 June) unless that
//     is impossible ("06/13/2016" is 13 June). A two-digit year (only with
//     slashes: "12/06/16") is 2000–2068 for 00–68 and 1969–1999 for 69–99,
//     the POSIX rule, so the result does not depend on today's date.
//   - A bare year is a date only in date context: after "in", "since",
//     "until", "by", "during", "of", "from", "before", "after", "around",
//     "early", "late", "mid", a season, or a connector ("2015 and 2016"),
//     or alone in brackets — and not before a lower-case content word: "in
//     2015 people", "a total of 2015 people" are counts. Only years
//     1800–2099 qualify; "in 1200" is too often a time or a quantity.
//   - A month or day without a year ("in June", "on 12 June") is placed in
//     the latest year that puts its start no more than 31 days after the
//     anchor: with an anchor of 2016-07-20, "June" is 2016-06, "August"
//     2016-08 (an upcoming event), "September" 2015-09. Reports mostly look
//     back, but a month's tolerance keeps "in August" in a July report
//     right.
//   - A weekday ("on Monday", "Monday") is the most recent such day on or
//     before the anchor: news is written in the past tense and "said on
//     Monday" in a Monday report means that day. "last Monday" is strictly
//     before the anchor, "next Monday" strictly after it, "this Monday" in
//     the anchor's ISO week.
//   - "yesterday", "today", "tomorrow", "tonight", "last night", "this
//     morning" are days; "last/this/next week|month|year" are the ISO week,
//     month or year before, of or after the anchor; "last June" is the
//     latest June before the anchor's month, "next June" the first after it.
//   - "N days|weeks|months|years ago|earlier|later" count from the anchor
//     (days give a day, weeks an ISO week, months a month, years a year).
//     "before" and "after" are not read this way: "two days before the
//     attack" counts from the attack, which this recogniser cannot know.
//   - A decade ("the 1990s", "the '90s", "mid-1990s") is "199".
//   - Without an anchor, expressions that need one are still mentions, with
//     an empty Norm: the analyst still sees that "last year" is a date, and
//     consumers that need a value check Norm.
//
// Mentions leave out the preposition that licensed them ("in June" gives
// "June") but keep modifiers that change the value ("last year") and a
// weekday naming a date ("Sunday, 12 June 2016").

type dateRecognizer struct{}

func (dateRecognizer) Recognize(a *Analysis) []mosaic.Mention {
	var out []mosaic.Mention
	for _, s := range a.Sentences {
		scanDates(a.Text, s.Tokens, func(i, j int, e dateExpr) bool {
			start, end := s.Tokens[i].Start, s.Tokens[j-1].End
			out = append(out, mention(a, s, start, end, mosaic.Date, e.norm(a.Anchor), e.conf))
			return true
		})
	}
	return out
}

// firstFullDate returns the first date in the text that names a day, month
// and year.
func firstFullDate(a *Analysis) (time.Time, bool) {
	var t time.Time
	found := false
	for _, s := range a.Sentences {
		scanDates(a.Text, s.Tokens, func(_, _ int, e dateExpr) bool {
			if e.kind == eAbs && e.gran == gDay {
				t, found = civil(e.y, e.m, e.d), true
				return false
			}
			return true
		})
		if found {
			return t, true
		}
	}
	return t, false
}

type gran uint8

const (
	gDay gran = iota
	gWeek
	gMonth
	gYear
	gDecade
)

type exprKind uint8

const (
	eAbs      exprKind = iota // fully given
	eYearless                 // month, or day and month, placed by the anchor
	eOffset                   // off units of gran from the anchor
	eWeekday                  // weekday off placed by the anchor according to mode
	eMonthRel                 // month m before (off -1), of (0) or after (+1) the anchor
)

type wdMode uint8

const (
	wdOnOrBefore wdMode = iota
	wdBefore
	wdAfter
	wdSameWeek
)

// dateExpr is a recognised date expression before it is resolved against
// the anchor.
type dateExpr struct {
	kind    exprKind
	gran    gran
	y, m, d int
	// d2 > 0 ends a range of days in the same month; y2 > 0 a range of
	// years.
	d2, y2 int
	off    int
	mode   wdMode
	conf   float64
}

func civil(y, m, d int) time.Time { return time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC) }

func daysIn(y, m int) int {
	if m < 1 || m > 12 {
		return 0
	}
	return civil(y, m+1, 0).Day()
}

// maxDays is the longest a month can be in any year.
func maxDays(m int) int { return daysIn(2000, m) }

func validDay(y, m, d int) bool { return d >= 1 && d <= daysIn(y, m) }

// norm resolves e against anchor and formats it as ISO 8601, or returns ""
// when it needs an anchor and has none.
func (e dateExpr) norm(anchor time.Time) string {
	if e.kind != eAbs && anchor.IsZero() {
		return ""
	}
	ay, am, _ := anchor.Date()
	switch e.kind {
	case eAbs:
		s := formatDate(e.gran, e.y, e.m, e.d)
		switch {
		case e.d2 > 0:
			s += "/" + formatDate(gDay, e.y, e.m, e.d2)
		case e.y2 > 0:
			s += "/" + formatDate(gYear, e.y2, 0, 0)
		}
		return s
	case eYearless:
		d := max(e.d, 1)
		y := placeYear(e.m, d, anchor)
		if y == 0 {
			return ""
		}
		s := formatDate(e.gran, y, e.m, e.d)
		if e.d2 > 0 {
			if !validDay(y, e.m, e.d2) {
				return ""
			}
			s += "/" + formatDate(gDay, y, e.m, e.d2)
		}
		return s
	case eOffset:
		switch e.gran {
		case gDay:
			t := anchor.AddDate(0, 0, e.off)
			return formatDate(gDay, t.Year(), int(t.Month()), t.Day())
		case gWeek:
			wy, w := anchor.AddDate(0, 0, 7*e.off).ISOWeek()
			return formatWeek(wy, w)
		case gMonth:
			t := civil(ay, int(am)+e.off, 1)
			return formatDate(gMonth, t.Year(), int(t.Month()), 0)
		case gYear:
			return formatDate(gYear, ay+e.off, 0, 0)
		}
	case eWeekday:
		wa, wd := int(anchor.Weekday()), e.off
		var delta int
		switch e.mode {
		case wdOnOrBefore:
			delta = -((wa - wd + 7) % 7)
		case wdBefore:
			delta = -((wa-wd+6)%7 + 1)
		case wdAfter:
			delta = (wd-wa+6)%7 + 1
		case wdSameWeek:
			delta = isoWeekday(wd) - isoWeekday(wa)
		}
		t := anchor.AddDate(0, 0, delta)
		return formatDate(gDay, t.Year(), int(t.Month()), t.Day())
	case eMonthRel:
		y := ay
		switch {
		case e.off < 0 && e.m >= int(am):
			y--
		case e.off > 0 && e.m <= int(am):
			y++
		}
		return formatDate(gMonth, y, e.m, 0)
	}
	return ""
}

// isoWeekday numbers Monday 1 to Sunday 7.
func isoWeekday(wd int) int {
	if wd == 0 {
		return 7
	}
	return wd
}

// placeYear returns the latest year, from the anchor's next year back, in
// which day d of month m is valid and falls no more than 31 days after the
// anchor; 0 if none does within eight years (29 February).
func placeYear(m, d int, anchor time.Time) int {
	limit := anchor.AddDate(0, 0, 31)
	for y := anchor.Year() + 1; y >= anchor.Year()-8; y-- {
		if validDay(y, m, d) && !civil(y, m, d).After(limit) {
			return y
		}
	}
	return 0
}

func formatDate(g gran, y, m, d int) string {
	if y < 0 || y > 9999 {
		return ""
	}
	var b [10]byte
	switch g {
	case gDay:
		return string(appendPadded(appendPadded(appendPadded(b[:0], y, 4), m, 2), d, 2))
	case gMonth:
		return string(appendPadded(appendPadded(b[:0], y, 4), m, 2))
	case gDecade:
		return string(appendPadded(b[:0], y/10, 3)[:3])
	}
	return string(appendPadded(b[:0], y, 4))
}

// appendPadded appends v as width zero-padded digits, preceded by a hyphen
// unless b is empty.
func appendPadded(b []byte, v, width int) []byte {
	if len(b) > 0 {
		b = append(b, '-')
	}
	for p := pow10(width - 1); p > 0; p /= 10 {
		b = append(b, byte('0'+v/p%10))
	}
	return b
}

func pow10(n int) int {
	p := 1
	for ; n > 0; n-- {
		p *= 10
	}
	return p
}

func formatWeek(y, w int) string {
	var b [8]byte
	out := appendPadded(b[:0], y, 4)
	out = append(out, '-', 'W', byte('0'+w/10), byte('0'+w%10))
	return string(out)
}

// Confidences of the date forms.
const (
	confDateFull      = 0.95
	confDateAmbiguous = 0.75 // numeric, both readings possible: 04/06/2016
	confDateMonth     = 0.9
	confDateYearless  = 0.85
	confDateMonthOnly = 0.75
	confDateYear      = 0.7
	confDateDecade    = 0.85
	confDateRelative  = 0.85
	confDateWeekday   = 0.75
	confDateBareWday  = 0.6
)

// --- words ------------------------------------------------------------------

type wordKind uint8

const (
	wMonth     wordKind = iota + 1 // val: month
	wWeekday                       // val: time.Weekday
	wRelDay                        // val: days from the anchor
	wModifier                      // val: -1 last, 0 this, +1 next
	wUnit                          // val: gran
	wDirection                     // val: -1 ago/earlier, +1 later
	wNumber                        // val: the number
	wDayPart                       // morning, afternoon, evening, night
)

type dateWord struct {
	kind   wordKind
	val    int
	french bool // a French month: only after a day number or "en"
	abbr   bool // an abbreviated month: only next to a number
}

var dateWords = map[string]dateWord{}

func init() {
	months := []string{"january", "february", "march", "april", "may", "june", "july",
		"august", "september", "october", "november", "december"}
	for i, m := range months {
		dateWords[m] = dateWord{kind: wMonth, val: i + 1}
		if len(m) > 3 {
			dateWords[m[:3]] = dateWord{kind: wMonth, val: i + 1, abbr: true}
		}
	}
	dateWords["sept"] = dateWord{kind: wMonth, val: 9, abbr: true}
	for i, m := range []string{"janvier", "février", "mars", "avril", "mai", "juin", "juillet",
		"août", "septembre", "octobre", "novembre", "décembre"} {
		if _, ok := dateWords[m]; !ok {
			dateWords[m] = dateWord{kind: wMonth, val: i + 1, french: true}
		}
	}
	dateWords["fevrier"] = dateWord{kind: wMonth, val: 2, french: true}
	dateWords["aout"] = dateWord{kind: wMonth, val: 8, french: true}
	dateWords["decembre"] = dateWord{kind: wMonth, val: 12, french: true}
	for d := time.Sunday; d <= time.Saturday; d++ {
		dateWords[string(lowerBytes(d.String()))] = dateWord{kind: wWeekday, val: int(d)}
	}
	for w, v := range map[string]int{"yesterday": -1, "today": 0, "tomorrow": 1, "tonight": 0} {
		dateWords[w] = dateWord{kind: wRelDay, val: v}
	}
	for w, v := range map[string]int{"last": -1, "this": 0, "next": 1} {
		dateWords[w] = dateWord{kind: wModifier, val: v}
	}
	for w, g := range map[string]gran{"day": gDay, "days": gDay, "week": gWeek, "weeks": gWeek,
		"month": gMonth, "months": gMonth, "year": gYear, "years": gYear} {
		dateWords[w] = dateWord{kind: wUnit, val: int(g)}
	}
	for w, v := range map[string]int{"ago": -1, "earlier": -1, "later": 1, "hence": 1} {
		dateWords[w] = dateWord{kind: wDirection, val: v}
	}
	for i, w := range []string{"one", "two", "three", "four", "five", "six", "seven", "eight",
		"nine", "ten", "eleven", "twelve"} {
		dateWords[w] = dateWord{kind: wNumber, val: i + 1}
	}
	for w, v := range map[string]int{"a": 1, "an": 1, "fifteen": 15, "twenty": 20, "thirty": 30} {
		dateWords[w] = dateWord{kind: wNumber, val: v}
	}
	for _, w := range []string{"morning", "afternoon", "evening", "night"} {
		dateWords[w] = dateWord{kind: wDayPart}
	}
}

func lowerBytes(s string) []byte {
	b := []byte(s)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
	}
	return b
}

// yearContext words make a following bare year a date.
var yearContext = map[string]bool{
	"in": true, "since": true, "until": true, "till": true, "by": true, "during": true,
	"of": true, "from": true, "before": true, "after": true, "around": true, "circa": true,
	"throughout": true, "between": true, "early": true, "late": true,
	"mid": true, "spring": true, "summer": true, "autumn": true, "winter": true, "year": true,
	"end": true, "en": true, "depuis": true, "through": true,
}

// monthContext words make a following bare month name a date.
var monthContext = map[string]bool{
	"in": true, "since": true, "until": true, "till": true, "by": true, "during": true,
	"of": true, "from": true, "before": true, "after": true, "early": true, "late": true,
	"mid": true, "through": true, "throughout": true, "between": true, "en": true,
	"depuis": true, "around": true,
}

// connectors join a date to the one before it: "2015 and 2016", "from June
// to August".
var connectors = map[string]bool{
	"and": true, "or": true, "to": true, "-": true, "–": true, "—": true, "through": true,
	"until": true, "till": true, "et": true, "à": true,
}

// afterYear are lower-case words that may follow a year used as a date;
// any other lower-case word makes the number a count ("in 2015 people").
var afterYear = map[string]bool{
	"and": true, "or": true, "but": true, "to": true, "the": true, "a": true, "an": true,
	"in": true, "on": true, "at": true, "by": true, "for": true, "with": true, "as": true,
	"when": true, "while": true, "after": true, "before": true, "until": true, "that": true,
	"which": true, "who": true, "was": true, "were": true, "is": true, "are": true,
	"had": true, "has": true, "have": true, "it": true, "he": true, "she": true,
	"they": true, "we": true, "there": true, "this": true, "alone": true, "onwards": true,
	"onward": true, "through": true, "where": true, "because": true, "following": true,
	"saw": true, "compared": true, "till": true, "his": true, "her": true, "their": true,
	"its": true, "i": true, "you": true, "not": true, "only": true, "already": true,
}

// --- scanning -----------------------------------------------------------------

// scanDates finds the date expressions in a sentence's tokens, left to
// right, longest form first at each token, and calls fn with the token range
// [i, j) of each; it stops when fn returns false.
func scanDates(text string, toks []Token, fn func(i, j int, e dateExpr) bool) {
	ds := dateScanner{text: text, toks: toks, lastEnd: -1}
	for i := 0; i < len(toks); {
		if j, e, ok := ds.at(i); ok {
			if !fn(i, j, e) {
				return
			}
			ds.lastEnd = j
			i = j
			continue
		}
		i++
	}
}

type dateScanner struct {
	text    string
	toks    []Token
	lastEnd int // token index where the previous date ended
}

func (ds *dateScanner) w(j int) string {
	if j < 0 || j >= len(ds.toks) {
		return ""
	}
	return ds.text[ds.toks[j].Start:ds.toks[j].End]
}

// lower writes the lower case of token j into buf and returns it; nil if the
// token is long, invalid or out of range. Callers pass a stack buffer and
// convert with string() inside comparisons and map lookups, which Go does
// without allocating.
func (ds *dateScanner) lower(buf *lowerBuf, j int) []byte {
	w := ds.w(j)
	if w == "" || len(w) > len(buf) {
		return nil
	}
	if lw, ok := lowerASCII(buf[:0], w); ok {
		return lw
	}
	b := buf[:0]
	for _, r := range w {
		r = unicode.ToLower(r)
		if r == utf8.RuneError || len(b)+utf8.RuneLen(r) > cap(b) {
			return nil
		}
		b = utf8.AppendRune(b, r)
	}
	return b
}

type lowerBuf [32]byte

// is reports whether token j is word (lower case) in any case.
func (ds *dateScanner) is(j int, word string) bool {
	var b lowerBuf
	return string(ds.lower(&b, j)) == word
}

// word looks token j up among the date words. A trailing period is allowed
// only on abbreviated months ("Jun.").
func (ds *dateScanner) word(j int) (dateWord, bool) {
	w := ds.w(j)
	if len(w) < 1 || len(w) > 12 || !isLetterRune(rune(w[0])) && w[0] < utf8.RuneSelf {
		return dateWord{}, false
	}
	var b lowerBuf
	lw := ds.lower(&b, j)
	dot := len(lw) > 1 && lw[len(lw)-1] == '.'
	if dot {
		lw = lw[:len(lw)-1]
	}
	dw, ok := dateWords[string(lw)]
	if !ok || dot && !(dw.kind == wMonth && dw.abbr) {
		return dateWord{}, false
	}
	return dw, true
}

// month returns the month named by token j. Standalone says the month must
// stand without a number beside it, which only a capitalised full English
// name can do ("in May", not "in may", "in Jun", or "en juin" — see
// monthOnly for French).
func (ds *dateScanner) month(j int, standalone bool) (int, bool) {
	dw, ok := ds.word(j)
	if !ok || dw.kind != wMonth {
		return 0, false
	}
	if standalone {
		r, _ := utf8.DecodeRuneInString(ds.w(j))
		if dw.abbr || dw.french || !unicode.IsUpper(r) {
			return 0, false
		}
	}
	return dw.val, true
}

func (ds *dateScanner) capitalised(j int) bool {
	r, _ := utf8.DecodeRuneInString(ds.w(j))
	return unicode.IsUpper(r)
}

// at tries every form starting at token i and returns the end of the
// longest.
func (ds *dateScanner) at(i int) (int, dateExpr, bool) {
	w := ds.w(i)
	c := w[0]
	switch {
	case isDigitByte(c):
		return ds.numberAt(i)
	case c == '\'' || c == 0xE2 && w == "’":
		// the '90s
		if d, ok := shortDecade(ds.w(i + 1)); ok && ds.toks[i].End == ds.toks[i+1].Start {
			return i + 2, dateExpr{kind: eAbs, gran: gDecade, y: d, conf: confDateDecade}, true
		}
		return 0, dateExpr{}, false
	case c < utf8.RuneSelf && asciiClass[c]&(cLower|cUpper) == 0:
		return 0, dateExpr{}, false
	}
	if j, e, ok := ds.prefixedAt(i); ok {
		return j, e, ok
	}
	dw, ok := ds.word(i)
	if !ok {
		return 0, dateExpr{}, false
	}
	switch dw.kind {
	case wMonth:
		return ds.monthAt(i)
	case wWeekday:
		k := i + 1
		if ds.w(k) == "," {
			k++
		}
		// A weekday naming a date belongs to it: "Sunday, 12 June 2016".
		if j, e, ok := ds.dayMonth(k); ok {
			return j, e, true
		}
		if j, e, ok := ds.monthDay(k); ok {
			return j, e, true
		}
		e := dateExpr{kind: eWeekday, gran: gDay, off: dw.val, mode: wdOnOrBefore, conf: confDateBareWday}
		if ds.is(i-1, "on") {
			e.conf = confDateWeekday
		}
		return i + 1, e, true
	case wRelDay:
		return i + 1, dateExpr{kind: eOffset, gran: gDay, off: dw.val, conf: confDateRelative}, true
	case wModifier:
		return ds.modifiedAt(i, dw.val)
	case wNumber:
		return ds.offsetAt(i, dw.val)
	}
	return 0, dateExpr{}, false
}

// modifiedAt reads "last/this/next" + unit, weekday or month, and "last
// night", "this morning".
func (ds *dateScanner) modifiedAt(i, mod int) (int, dateExpr, bool) {
	dw, ok := ds.word(i + 1)
	if !ok {
		return 0, dateExpr{}, false
	}
	e := dateExpr{conf: confDateRelative}
	switch dw.kind {
	case wUnit:
		g := gran(dw.val)
		if w := ds.w(i + 1); g == gDay || w[len(w)-1] == 's' || w[len(w)-1] == 'S' {
			return 0, dateExpr{}, false // "the next day", "last years" are not dates
		}
		e.kind, e.gran, e.off = eOffset, g, mod
	case wWeekday:
		e.kind, e.gran, e.off = eWeekday, gDay, dw.val
		e.mode = [...]wdMode{wdBefore, wdSameWeek, wdAfter}[mod+1]
	case wMonth:
		if _, ok := ds.month(i+1, true); !ok {
			return 0, dateExpr{}, false
		}
		e.kind, e.gran, e.m, e.off = eMonthRel, gMonth, dw.val, mod
	case wDayPart:
		night := ds.is(i+1, "night")
		switch {
		case mod == -1 && night:
			e.off = -1
		case mod == 0 && !night:
		default:
			return 0, dateExpr{}, false
		}
		e.kind, e.gran = eOffset, gDay
	default:
		return 0, dateExpr{}, false
	}
	return i + 2, e, true
}

// offsetAt reads "N units ago|earlier|later" with N in token i.
func (ds *dateScanner) offsetAt(i, n int) (int, dateExpr, bool) {
	unit, ok := ds.word(i + 1)
	if !ok || unit.kind != wUnit {
		return 0, dateExpr{}, false
	}
	dir, ok := ds.word(i + 2)
	if !ok || dir.kind != wDirection {
		return 0, dateExpr{}, false
	}
	return i + 3, dateExpr{kind: eOffset, gran: gran(unit.val), off: n * dir.val, conf: confDateRelative}, true
}

// prefixedAt reads tokens such as "mid-2015", "early-1990s", "late-June".
func (ds *dateScanner) prefixedAt(i int) (int, dateExpr, bool) {
	w := ds.w(i)
	var rest string
	for _, p := range [...]string{"mid-", "early-", "late-"} {
		if len(w) > len(p) && equalFoldASCII(w[:len(p)], p) {
			rest = w[len(p):]
			break
		}
	}
	if rest == "" {
		return 0, dateExpr{}, false
	}
	if y, ok := atoiN(rest, 4); ok && y >= 1000 && y <= 2999 {
		return i + 1, dateExpr{kind: eAbs, gran: gYear, y: y, conf: confDateYear}, true
	}
	if d, ok := decade(rest); ok {
		return i + 1, dateExpr{kind: eAbs, gran: gDecade, y: d, conf: confDateDecade}, true
	}
	if m, ok := monthName(rest); ok {
		if y, ok := atoiN(ds.w(i+1), 4); ok && y >= 1000 && y <= 2999 {
			return i + 2, dateExpr{kind: eAbs, gran: gMonth, y: y, m: m, conf: confDateMonth}, true
		}
		return i + 1, dateExpr{kind: eYearless, gran: gMonth, m: m, conf: confDateMonthOnly}, true
	}
	return 0, dateExpr{}, false
}

// monthName returns the month of a full English month name in any case.
func monthName(w string) (int, bool) {
	if len(w) > 9 {
		return 0, false
	}
	var b [9]byte
	lw, ok := lowerASCII(b[:0], w)
	if !ok {
		return 0, false
	}
	dw, ok := dateWords[string(lw)]
	if !ok || dw.kind != wMonth || dw.abbr || dw.french {
		return 0, false
	}
	return dw.val, true
}

func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if x >= 'A' && x <= 'Z' {
			x += 'a' - 'A'
		}
		if y >= 'A' && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// monthAt reads the forms starting with a month: "June 12, 2016", "June 12",
// "June 2016", and a bare month in date context.
func (ds *dateScanner) monthAt(i int) (int, dateExpr, bool) {
	if j, e, ok := ds.monthDay(i); ok {
		return j, e, true
	}
	if m, ok := ds.month(i, false); ok {
		dw, _ := ds.word(i)
		k := i + 1
		if ds.w(k) == "," {
			k++
		}
		if y, ok := atoiN(ds.w(k), 4); ok && y >= 1000 && y <= 2999 && (ds.capitalised(i) || dw.french) {
			return k + 1, dateExpr{kind: eAbs, gran: gMonth, y: y, m: m, conf: confDateMonth}, true
		}
	}
	return ds.monthOnly(i)
}

// monthOnly reads a month name without day or year, which is a date only in
// date context: "in June", "since March", "en juin".
func (ds *dateScanner) monthOnly(i int) (int, dateExpr, bool) {
	m, ok := ds.month(i, true)
	var b lowerBuf
	prev := ds.lower(&b, i-1)
	if !ok {
		dw, _ := ds.word(i)
		if !(dw.french && string(prev) == "en") {
			return 0, dateExpr{}, false
		}
		m = dw.val
	}
	if !monthContext[string(prev)] && !(connectors[string(prev)] && ds.lastEnd == i-1) {
		return 0, dateExpr{}, false
	}
	return i + 1, dateExpr{kind: eYearless, gran: gMonth, m: m, conf: confDateMonthOnly}, true
}

// monthDay reads "June 12", "June 12th, 2016", "Jun. 12-14, 2016".
func (ds *dateScanner) monthDay(i int) (int, dateExpr, bool) {
	m, ok := ds.month(i, false)
	if !ok {
		return 0, dateExpr{}, false
	}
	if dw, _ := ds.word(i); dw.french || !ds.capitalised(i) {
		return 0, dateExpr{}, false
	}
	d1, d2, k, ok := ds.days(i + 1)
	if !ok {
		return 0, dateExpr{}, false
	}
	e := dateExpr{gran: gDay, m: m, d: d1, d2: d2}
	if next, found, valid := ds.year(k, &e); found {
		return next, e, valid
	}
	// "In June 12 people died": nobody writes "in June 12" for a day.
	if ds.is(i-1, "in") || d1 > maxDays(m) || d2 > maxDays(m) {
		return 0, dateExpr{}, false
	}
	e.kind, e.conf = eYearless, confDateYearless
	return k, e, true
}

// year reads the year that may follow a day and month at token k ("June
// 12, 2016", "12 June 2016"), making e an absolute date. found reports a
// year; valid is false when the day does not exist in that year's month.
func (ds *dateScanner) year(k int, e *dateExpr) (next int, found, valid bool) {
	if ds.w(k) == "," {
		k++
	}
	y, ok := atoiN(ds.w(k), 4)
	if !ok || y < 1000 || y > 2999 {
		return 0, false, false
	}
	if !validDay(y, e.m, e.d) || e.d2 > 0 && !validDay(y, e.m, e.d2) {
		return 0, true, false
	}
	e.kind, e.y, e.conf = eAbs, y, confDateFull
	return k + 1, true, true
}

// dayMonth reads "12 June 2016", "12th of June, 2016", "12-14 June", "12
// juin 2016".
func (ds *dateScanner) dayMonth(i int) (int, dateExpr, bool) {
	d1, d2, k, ok := ds.days(i)
	if !ok {
		return 0, dateExpr{}, false
	}
	if ds.is(k, "of") {
		k++
	}
	m, ok := ds.month(k, false)
	if !ok {
		return 0, dateExpr{}, false
	}
	k++
	e := dateExpr{gran: gDay, m: m, d: d1, d2: d2}
	if next, found, valid := ds.year(k, &e); found {
		return next, e, valid
	}
	if d1 > maxDays(m) || d2 > maxDays(m) {
		return 0, dateExpr{}, false
	}
	e.kind, e.conf = eYearless, confDateYearless
	return k, e, true
}

// days reads a day of the month at token i — "12", "12th", "1er" — or a
// range of days: "12-14", "12 – 14", "12 to 14", "12 and 14". It returns
// the token after.
func (ds *dateScanner) days(i int) (d1, d2, next int, ok bool) {
	w := ds.w(i)
	if a, b, ok := dayRange(w); ok {
		return a, b, i + 1, true
	}
	d1, ok = dayNum(w)
	if !ok {
		return 0, 0, 0, false
	}
	var b lowerBuf
	if connectors[string(ds.lower(&b, i+1))] {
		if b, ok := dayNum(ds.w(i + 2)); ok && b > d1 {
			return d1, b, i + 3, true
		}
	}
	return d1, 0, i + 1, true
}

// dayNum parses a day of the month: one or two digits, 1–31, with an
// optional ordinal suffix.
func dayNum(w string) (int, bool) {
	n := 0
	for n < len(w) && n < 3 && isDigitByte(w[n]) {
		n++
	}
	if n == 0 || n > 2 {
		return 0, false
	}
	switch suf := w[n:]; len(suf) {
	case 0:
	case 2:
		if !equalFoldASCII(suf, "st") && !equalFoldASCII(suf, "nd") && !equalFoldASCII(suf, "rd") &&
			!equalFoldASCII(suf, "th") && !equalFoldASCII(suf, "er") {
			return 0, false
		}
	default:
		return 0, false
	}
	d, _ := atoiN(w[:n], n)
	return d, d >= 1 && d <= 31
}

// dayRange parses "12-14" as a range of days.
func dayRange(w string) (int, int, bool) {
	for k := 1; k < len(w) && k <= 2; k++ {
		if w[k] == '-' {
			a, ok1 := dayNum(w[:k])
			b, ok2 := dayNum(w[k+1:])
			if ok1 && ok2 && b > a && len(w)-k-1 <= 2 {
				return a, b, true
			}
			return 0, 0, false
		}
	}
	return 0, 0, false
}

// atoiN parses s as exactly n decimal digits.
func atoiN(s string, n int) (int, bool) {
	if len(s) != n {
		return 0, false
	}
	v := 0
	for i := 0; i < n; i++ {
		if !isDigitByte(s[i]) {
			return 0, false
		}
		v = v*10 + int(s[i]-'0')
	}
	return v, true
}

// decade parses "1990s" and returns its first year.
func decade(w string) (int, bool) {
	if len(w) != 5 || w[4] != 's' || w[3] != '0' {
		return 0, false
	}
	y, ok := atoiN(w[:4], 4)
	return y, ok && y >= 1000 && y <= 2990
}

// shortDecade parses "90s" as the 1990s; two-digit decades are the last
// century's ("the '20s" are the 1920s).
func shortDecade(w string) (int, bool) {
	if len(w) != 3 || w[2] != 's' || w[1] != '0' || !isDigitByte(w[0]) {
		return 0, false
	}
	return 1900 + int(w[0]-'0')*10, true
}

// numberAt reads the forms starting with a number.
func (ds *dateScanner) numberAt(i int) (int, dateExpr, bool) {
	w := ds.w(i)
	if y, m, d, conf, ok := numericDate(w); ok {
		return i + 1, dateExpr{kind: eAbs, gran: gDay, y: y, m: m, d: d, conf: conf}, true
	}
	if j, e, ok := ds.dayMonth(i); ok {
		return j, e, true
	}
	if y, ok := decade(w); ok {
		return i + 1, dateExpr{kind: eAbs, gran: gDecade, y: y, conf: confDateDecade}, true
	}
	if y, ok := shortDecade(w); ok && (ds.is(i-1, "the") || ds.is(i-1, "early") ||
		ds.is(i-1, "late") || ds.is(i-1, "mid")) {
		return i + 1, dateExpr{kind: eAbs, gran: gDecade, y: y, conf: confDateDecade}, true
	}
	if n, ok := atoiN(w, len(w)); ok && len(w) <= 3 && n > 0 {
		return ds.offsetAt(i, n)
	}
	y, y2, ok := yearRange(w)
	if !ok || !ds.yearInContext(i) {
		return 0, dateExpr{}, false
	}
	return i + 1, dateExpr{kind: eAbs, gran: gYear, y: y, y2: y2, conf: confDateYear}, true
}

// yearRange parses a year "2015" or a range of years "2015-2016",
// "2015-16"; y2 is 0 for a single year.
func yearRange(w string) (y, y2 int, ok bool) {
	y, ok = atoiN(w, 4)
	if ok {
		return y, 0, y >= 1800 && y <= 2099
	}
	if len(w) != 7 && len(w) != 9 || w[4] != '-' {
		return 0, 0, false
	}
	if y, ok = atoiN(w[:4], 4); !ok || y < 1800 || y > 2099 {
		return 0, 0, false
	}
	if len(w) == 7 {
		yy, ok := atoiN(w[5:], 2)
		if !ok {
			return 0, 0, false
		}
		y2 = y/100*100 + yy
	} else if y2, ok = atoiN(w[5:], 4); !ok {
		return 0, 0, false
	}
	return y, y2, y2 > y && y2 <= 2099
}

// yearInContext reports whether the bare year at token i reads as a date.
func (ds *dateScanner) yearInContext(i int) bool {
	var b lowerBuf
	prev := ds.lower(&b, i-1)
	ctx := yearContext[string(prev)] ||
		connectors[string(prev)] && ds.lastEnd == i-1 ||
		ds.w(i-1) == "(" && ds.w(i+1) == ")"
	if !ctx {
		return false
	}
	next := ds.w(i + 1)
	if r, _ := utf8.DecodeRuneInString(next); unicode.IsLower(r) && !afterYear[string(ds.lower(&b, i+1))] {
		return false
	}
	return true
}

// numericDate parses one-token numeric dates: "2016-06-12" (and with a time:
// "2016-06-12T10:00:00Z"), "2016/06/12", "12/06/2016", "12.06.2016",
// "12-06-2016", "12/06/16".
func numericDate(w string) (y, m, d int, conf float64, ok bool) {
	if len(w) > 10 && w[10] == 'T' {
		w = w[:10]
	}
	if len(w) < 6 || len(w) > 10 {
		return
	}
	var parts [3]string
	var sep byte
	n, from := 0, 0
	for i := 0; i < len(w); i++ {
		c := w[i]
		if isDigitByte(c) {
			continue
		}
		if c != '-' && c != '/' && c != '.' || sep != 0 && c != sep || n == 2 {
			return
		}
		sep = c
		parts[n] = w[from:i]
		n++
		from = i + 1
	}
	if n != 2 {
		return
	}
	parts[2] = w[from:]
	for _, p := range parts {
		if p == "" || len(p) > 4 {
			return
		}
	}
	num := func(s string) int { v, _ := atoiN(s, len(s)); return v }
	if len(parts[0]) == 4 {
		if len(parts[1]) > 2 || len(parts[2]) > 2 {
			return
		}
		y, m, d = num(parts[0]), num(parts[1]), num(parts[2])
		return y, m, d, confDateFull, y >= 1000 && validDay(y, m, d)
	}
	if len(parts[0]) > 2 || len(parts[1]) > 2 {
		return
	}
	switch len(parts[2]) {
	case 4:
		y = num(parts[2])
	case 2:
		if sep != '/' {
			return
		}
		y = num(parts[2])
		if y < 69 {
			y += 2000
		} else {
			y += 1900
		}
	default:
		return
	}
	if y < 1000 {
		return
	}
	a, b := num(parts[0]), num(parts[1])
	conf = confDateFull
	if a <= 12 && b <= 12 && a != b {
		conf = confDateAmbiguous
	}
	switch {
	case b >= 1 && b <= 12 && validDay(y, b, a):
		return y, b, a, conf, true
	case a >= 1 && a <= 12 && validDay(y, a, b):
		return y, a, b, conf, true
	}
	return
}
