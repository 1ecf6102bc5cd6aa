package ner

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// knownSurnames gives a surname the class of the person the document names
// in full. A document names someone in full once ("Salim Kervoud") and by
// surname after; in a transcript the surname then stands in speech the
// model reads poorly — lower-case runs, speaker turns, no title before it
// — and the document pass can be outvoted when most of those occurrences
// were misread too. A one-word name that is the last word of a person of
// two or more words elsewhere in the document is that person (PER), and so
// is such a word the tagger left out, when it is capitalised, or in a
// sentence all in one case. Words that are also places in the gazetteer
// ("Jordan"), function words and titles are left to the model.
func knownSurnames(tagged [][]Span, sents [][]string, lx *lexicon) {
	surnames := map[string]float64{}
	for i, spans := range tagged {
		for _, sp := range spans {
			if sp.Kind != PER || sp.End-sp.Start < 2 {
				continue
			}
			w := sents[i][sp.End-1]
			if len([]rune(w)) < 3 || !capitalised(w) || lx.placeAt(sents[i], sp.End-1) > sp.End-1 ||
				lx.words.get(lowerHash(w))&(clsFunction|clsTitle|clsMonth|clsOrgWord|clsDemonym) != 0 {
				continue
			}
			k := strings.ToLower(w)
			surnames[k] = max(surnames[k], sp.Confidence)
		}
	}
	if len(surnames) == 0 {
		return
	}
	speech := lowerCaseHeavy(sents)
	for i, spans := range tagged {
		words := sents[i]
		oneCase := speech || oneCaseSentence(words)
		covered := make([]bool, len(words))
		for k := range spans {
			sp := &spans[k]
			for t := sp.Start; t < sp.End; t++ {
				covered[t] = true
			}
			if sp.End-sp.Start == 1 && sp.Kind != PER {
				if c, ok := surnames[strings.ToLower(words[sp.Start])]; ok {
					sp.Kind, sp.Confidence = PER, min(c, max(sp.Confidence, 0.6))
				}
			}
		}
		added := false
		for t, w := range words {
			if covered[t] || !(capitalised(w) || oneCase) {
				continue
			}
			c, ok := surnames[strings.ToLower(w)]
			if !ok || (t+1 < len(words) && capitalised(words[t+1]) && !oneCase) {
				continue // "Kervoud Holdings": part of a longer name the tagger left out
			}
			spans = append(spans, Span{Start: t, End: t + 1, Kind: PER, Confidence: min(c, 0.6)})
			added = true
		}
		if added {
			sortSpans(spans)
		}
		tagged[i] = spans
	}
}

// lowerCaseHeavy reports a document written as speech is transcribed: at
// least a third of its sentences (of three or more) start in lower case.
// There a surname in lower case is as likely the name as a word.
func lowerCaseHeavy(sents [][]string) bool {
	n, lower := 0, 0
	for _, s := range sents {
		for _, w := range s {
			r, _ := utf8.DecodeRuneInString(w)
			if !unicode.IsLetter(r) {
				continue
			}
			n++
			if unicode.IsLower(r) {
				lower++
			}
			break
		}
	}
	return n >= 3 && 3*lower >= n
}

// oneCaseSentence reports a sentence whose words are all lower case or all
// upper case, where case says nothing about names.
func oneCaseSentence(words []string) bool {
	lower, upper := 0, 0
	for _, w := range words {
		lw, uw := strings.ToLower(w), strings.ToUpper(w)
		switch {
		case lw == uw:
		case w == lw:
			lower++
		case w == uw:
			upper++
		default:
			return false // "Kervoud": mixed
		}
	}
	return lower == 0 || upper == 0
}
