package ner

import (
	"strings"
)

// Offices. Reporting names people by their office first — "Secretary of
// State Jane Doe", "the Minister for the Middle East John Roe", "Foreign
// Minister Ann Poe" — and a tagger trained on sport and markets often
// sweeps the end of the office into the name ("State Jane Doe", "Middle
// East John Roe"). An office is a title word (titleWords: Secretary,
// Minister, General, spokesman, ...), then any number of connectors (of,
// for, to, on, the, and) followed by its portfolio: portfolio words
// (State, Defence, Foreign Affairs, ...) or a place (the gazetteers'
// countries, cities and regions: "Minister for the Middle East",
// "Governor of Anbar").

// portfolioWords are what a minister or secretary is "of" or "for" besides
// a place.
const portfolioWords = `state defence defense foreign affairs home interior health justice
finance treasury trade industry economy economic commerce security intelligence homeland war
armed forces staff energy environment education culture transport development immigration
veterans agriculture labour labor employment work pensions communications information media
international commonwealth european africa asia americas cooperation relations counter-terrorism
counterterrorism terrorism policy political military naval air army navy operations public
prosecutions national religious endowments awqaf wellbeing digital cabinet office general
legal planning reconstruction displacement refugees migration exterior internal external`

// officeConnectors join a title to its portfolio.
var officeConnectors = map[string]bool{"of": true, "for": true, "to": true, "on": true, "the": true, "and": true, "&": true, ",": true}

var portfolio = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(portfolioWords) {
		m[w] = true
	}
	return m
}()

// placeAt returns the end of the longest gazetteer place (country, city,
// region) that starts at words[i], or i.
func (lx *lexicon) placeAt(words []string, i int) int {
	h := uint64(phraseSeed)
	best := i
	for j := i; j < len(words) && j-i < maxPhrase; j++ {
		h = mix(h, lowerHash(words[j]))
		v := lx.phrases.get(h)
		if v&(phrCountry|phrCity|phrRegion) != 0 {
			best = j + 1
		}
		if v&phrPrefix == 0 {
			break
		}
	}
	return best
}

func (lx *lexicon) isTitle(w string) bool {
	return lx.words.get(lowerHash(strings.TrimSuffix(w, ".")))&clsTitle != 0
}

// officeBefore reports whether the words just before i end inside an
// office: a title, then connectors and portfolio words, with a connector
// last ("Secretary of", "Minister for the", "Envoy to"): what starts at i
// is then the rest of the portfolio, or the office holder.
func officeBefore(words []string, i int, lx *lexicon) bool {
	if i == 0 || !officeConnectors[words[i-1]] {
		return false
	}
	for k := i - 1; k >= 0 && i-k <= 8; k-- {
		w := words[k]
		switch {
		case officeConnectors[w]:
		case lx.isTitle(w) && capitalised(w):
			return true
		case portfolio[strings.ToLower(w)] && capitalised(w):
		default:
			return false
		}
	}
	return false
}

// trimOffice takes an office off the front of a span of words[s:e]: titles
// ("General", "Dr."), and after a title its connectors and portfolio
// ("Secretary of State", "Minister for the Middle East"), including those
// of an office that began before s. It returns the new start, the end of
// a place the office named (0 if none: "Middle East" in "Minister for the
// Middle East"), and whether an office was taken off. At least one token
// is always left.
func trimOffice(words []string, s, e int, lx *lexicon) (start, placeStart, placeEnd int, trimmed bool) {
	inOffice := officeBefore(words, s, lx)
	start = s
	if j, ps, pe := portfolioFirst(words, s, e, lx); j > s {
		start, placeStart, placeEnd, inOffice = j, ps, pe, true
	}
	for e-start > 1 {
		w := words[start]
		switch {
		case lx.isTitle(w):
			start++
			inOffice = true
		case inOffice && officeConnectors[w]:
			start++
		case inOffice && capitalised(w) && portfolio[strings.ToLower(w)]:
			start++
		case inOffice && (start == s || officeConnectors[words[start-1]]):
			end := lx.placeAt(words, start)
			if end == start || end >= e {
				return start, placeStart, placeEnd, start > s
			}
			placeStart, placeEnd = start, end
			start = end
		default:
			return start, placeStart, placeEnd, start > s
		}
	}
	return start, placeStart, placeEnd, start > s
}

// postNominals are letters after a name that are not part of it: "Jane
// Doe MP", "John Roe QC".
var postNominals = map[string]bool{
	"MP": true, "MEP": true, "MSP": true, "MLA": true, "QC": true, "KC": true, "OBE": true,
	"CBE": true, "MBE": true, "KBE": true, "DBE": true, "GCB": true, "KCB": true, "KCMG": true,
	"GCMG": true, "DSO": true, "VC": true, "PhD": true, "Ph.D.": true, "Esq": true, "Esq.": true,
}

// portfolioFirst returns where the title of an office that names its
// portfolio first starts ("Armed Forces Minister", "Middle East
// Minister", "Air Chief Marshal"), with the place it names if any, or s
// when words[s:e] does not start so.
func portfolioFirst(words []string, s, e int, lx *lexicon) (title, placeStart, placeEnd int) {
	j := s
	for j < e-1 && j-s < 4 {
		w := words[j]
		if capitalised(w) && portfolio[strings.ToLower(w)] && !lx.isTitle(w) {
			j++
			continue
		}
		if p := lx.placeAt(words, j); p > j && p < e-1 && placeEnd == 0 {
			placeStart, placeEnd, j = j, p, p
			continue
		}
		break
	}
	if j == s || j >= e-1 || !lx.isTitle(words[j]) || !capitalised(words[j]) {
		return s, 0, 0
	}
	return j, placeStart, placeEnd
}

// trimOffices takes offices off the front of names, and post-nominal
// letters off their end. A person keeps only
// the name ("State Jane Doe" → "Jane Doe"). A span of another class that
// an office runs into ("Middle East John Roe" typed LOC after "Minister
// for the") is split: the place the office names keeps its class, and the
// name after it, which the office introduces, is a person.
func trimOffices(spans []Span, words []string, lx *lexicon) []Span {
	out := spans[:0:0]
	for _, sp := range spans {
		for sp.Kind == PER && sp.End-sp.Start > 1 && postNominals[strings.TrimSuffix(words[sp.End-1], ",")] {
			sp.End--
		}
		start, ps, pe, trimmed := trimOffice(words, sp.Start, sp.End, lx)
		if !trimmed {
			out = append(out, sp)
			continue
		}
		// Another class only when an office ran into it from before, or
		// names its portfolio first ("Armed Forces Minister John Roe"):
		// "General Dynamics" stays.
		office := officeBefore(words, sp.Start, lx)
		if j, _, _ := portfolioFirst(words, sp.Start, sp.End, lx); j > sp.Start {
			office = true
		}
		if sp.Kind != PER && (!office || !holderName(words[start:sp.End], lx)) {
			out = append(out, sp)
			continue
		}
		if pe > ps {
			out = append(out, Span{Start: ps, End: pe, Kind: LOC, Confidence: sp.Confidence})
		}
		out = append(out, Span{Start: start, End: sp.End, Kind: PER, Confidence: sp.Confidence})
	}
	return out
}

// holderName reports whether words after an office read as a person's
// name: two to four capitalised words, none of them an organisation word.
func holderName(words []string, lx *lexicon) bool {
	if len(words) < 2 || len(words) > 4 {
		return false
	}
	for _, w := range words {
		if !capitalised(w) || lx.words.get(lowerHash(w))&(clsOrgWord|clsFunction) != 0 {
			return false
		}
	}
	return true
}
