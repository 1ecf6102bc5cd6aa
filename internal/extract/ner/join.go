package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// joinSplitNames joins an organisation and the name the tagger cut off
// after "and", "of" or "for" ("Islamic State of Iraq" + "and the" +
// "Levant") into one organisation, when the text or the gazetteer says it
// is one name: it is followed by "(ACRONYM)" whose letters are the
// initials of the joined name's capitalised words, or the joined phrase is
// an organisation the OFAC gazetteer lists. The part after the connector
// may be a span of any class or capitalised words the tagger left out.
func joinSplitNames(spans []Span, words []string, lx *lexicon) []Span {
	out := spans[:0:0]
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		if sp.Kind != ORG || sp.End+1 >= len(words) {
			out = append(out, sp)
			continue
		}
		c := sp.End
		if w := words[c]; w != "and" && w != "of" && w != "for" {
			out = append(out, sp)
			continue
		}
		c++
		if c < len(words) && words[c] == "the" {
			c++
		}
		// The second part: the next span if it starts at c, else the
		// capitalised words there.
		d, next := c, -1
		if i+1 < len(spans) && spans[i+1].Start == c {
			next = i + 1
			d = spans[next].End
		} else {
			for d < len(words) && d-c < 5 && capitalised(words[d]) && words[d] != "(" {
				d++
			}
		}
		if d == c || !(acronymAfter(words, sp.Start, d) || lx.isOrgPhrase(words[sp.Start:d])) {
			out = append(out, sp)
			continue
		}
		conf := sp.Confidence
		if next >= 0 {
			conf = min(conf, spans[next].Confidence)
			i = next
		}
		out = append(out, Span{Start: sp.Start, End: d, Kind: ORG, Confidence: conf})
	}
	return out
}

// acronymAfter reports whether words[s:e] is followed by "(ACRONYM)" whose
// letters are the initials of its capitalised words, or of its capitalised
// words and the parts of their hyphenated compounds ("Co-operation").
func acronymAfter(words []string, s, e int) bool {
	if e+2 >= len(words) || words[e] != "(" || words[e+2] != ")" {
		return false
	}
	acr := strings.ReplaceAll(words[e+1], ".", "")
	if utf8.RuneCountInString(acr) < 2 || strings.ToUpper(acr) != acr {
		return false
	}
	var plain, parts strings.Builder
	for _, w := range words[s:e] {
		if !capitalised(w) {
			continue
		}
		r, _ := utf8.DecodeRuneInString(w)
		plain.WriteRune(unicode.ToUpper(r))
		for _, p := range strings.Split(w, "-") {
			if r, _ := utf8.DecodeRuneInString(p); unicode.IsUpper(r) {
				parts.WriteRune(r)
			}
		}
	}
	return acr == plain.String() || acr == parts.String()
}

// isOrgPhrase reports whether words are an organisation's name in the
// gazetteer.
func (lx *lexicon) isOrgPhrase(words []string) bool {
	if len(words) > maxPhrase {
		return false
	}
	h := uint64(phraseSeed)
	for _, w := range words {
		h = mix(h, lowerHash(w))
	}
	return lx.phrases.get(h)&phrOrg != 0
}
