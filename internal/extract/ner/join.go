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

// arabicOrgHeads are the Arabic words that head the names of armed groups,
// movements and parties, as Latin-script reporting writes them: "Ansar
// al-Sharia" (supporters of), "Jabhat al-Nusra" (front), "Liwa al-Haqq"
// (brigade), "Hizb ut-Tahrir" (party). Like Front or Brigade in English,
// they make the name an organisation, not a place or a person.
var arabicOrgHeads = map[string]bool{
	"ansar": true, "jamaat": true, "jama'at": true, "jamaah": true, "jama'ah": true,
	"jabhat": true, "harakat": true, "harakah": true, "hizb": true, "katibat": true,
	"katiba": true, "kataib": true, "kata'ib": true, "liwa": true, "jaysh": true, "jaish": true,
	"saraya": true, "tanzim": true, "ahrar": true, "asa'ib": true, "asaib": true,
}

// arabicOrgs makes a name that starts with an Arabic organisation head
// and goes on with an Arabic name ("Ansar al-Thughur", "Jama'at Ansar
// al-Thughur", "Jabhat Fatah al-Sham") one organisation: the model, which
// has seen few of them, may read the article as a place's or a person's,
// or cut the name at the article. Spans that overlap it are replaced by
// it, or by their union with it when they reach further.
func arabicOrgs(spans []Span, words []string) []Span {
	changed := false
	for i := 0; i+1 < len(words); i++ {
		if !capitalised(words[i]) || !arabicOrgHeads[strings.ToLower(words[i])] {
			continue
		}
		e, article := i+1, false
		for e < len(words) && e-i <= 4 && (capitalised(words[e]) || hasArabicArticle(words[e])) {
			article = article || hasArabicArticle(words[e])
			e++
			if article {
				break
			}
		}
		if !article {
			continue
		}
		start, end, conf, overlaps := i, e, 1.0, false
		kept := spans[:0]
		for _, sp := range spans {
			if sp.End <= i || sp.Start >= e {
				kept = append(kept, sp)
				continue
			}
			start, end = min(start, sp.Start), max(end, sp.End)
			conf, overlaps = min(conf, sp.Confidence), true
		}
		if !overlaps {
			conf = 0.7
		}
		spans = append(kept, Span{Start: start, End: end, Kind: ORG, Confidence: conf})
		changed = true
		i = end - 1
	}
	if changed {
		sortSpans(spans)
	}
	return spans
}

// relationalPrefixes begin a word that names a thing by its stance to a
// group: "Counter-Daesh", "Anti-ISIS", "Pro-Assad".
var relationalPrefixes = []string{"counter-", "anti-", "pro-"}

// joinModifiedNames joins a name made of a relational compound and the
// organisation right after it ("Counter-Daesh" + "Coalition", "Anti-ISIS" +
// "Brigade") into one organisation: the tagger reads the compound as a
// name of its own, and without the join the organisation it names loses
// the word that tells it from the group it fights.
func joinModifiedNames(spans []Span, words []string) []Span {
	out := spans[:0:0]
	for i := 0; i < len(spans); i++ {
		sp := spans[i]
		if i+1 < len(spans) && spans[i+1].Start == sp.End && spans[i+1].Kind == ORG &&
			sp.Kind != PER && relationalCompound(words[sp.Start:sp.End]) {
			next := spans[i+1]
			out = append(out, Span{Start: sp.Start, End: next.End, Kind: ORG, Confidence: min(sp.Confidence, next.Confidence)})
			i++
			continue
		}
		out = append(out, sp)
	}
	return out
}

// relationalCompound reports whether words, as the tokeniser cut them,
// start with a relational prefix and a hyphen: "Counter-Daesh", or
// "Counter" "-" "Daesh".
func relationalCompound(words []string) bool {
	s := strings.ToLower(strings.Join(words, ""))
	for _, p := range relationalPrefixes {
		if strings.HasPrefix(s, p) && len(s) > len(p) {
			return true
		}
	}
	return false
}

// acronymOrgs types ORG a name the tagger read as MISC when an acronym of
// its initials follows it in brackets, "People's Protection Units (YPG)":
// a text that coins an acronym for a name is introducing an organisation.
func acronymOrgs(spans []Span, words []string) []Span {
	for i, sp := range spans {
		if sp.Kind == MISC && sp.End-sp.Start >= 2 && acronymAfter(words, sp.Start, sp.End) {
			spans[i].Kind = ORG
		}
	}
	return spans
}
