package ner

import (
	"slices"
	"strings"
	"sync"

	"mosaic"
	"mosaic/internal/annotated"
)

// The annotated corpora (Re-DocRED, CoNLL04) name more kinds of text than
// CoNLL-2003's 1996 Reuters wire — Wikipedia biographies, bands, ships,
// battles, 1990s US news — but they annotate by other conventions, which
// FromAnnotated reconciles with CoNLL-2003's:
//
//   - Re-DocRED types nationalities and other demonyms ("German",
//     "American") as LOC and religions ("Catholic", "Jewish") as ORG where
//     CoNLL-2003 calls both MISC: a one-token mention that is a demonym or a
//     religion adjective becomes MISC.
//   - Re-DocRED annotates only the names that take part in its entity
//     clusters, not every name in every sentence, and CoNLL04 has no MISC at
//     all (its "Other" is dates and numbers). Tokens a corpus leaves
//     unannotated but that may be names are marked unknown (Sentence.Free):
//     training fills them with the labels the current weights like best
//     among those the corpus allows, instead of teaching that they are not
//     names.
//   - Re-DocRED puts a lower-case article inside a name ("the United
//     States"); CoNLL-2003 leaves it out, and so does the conversion.
//   - Dates and numbers are not names (O).

// Corpus names a layout FromAnnotated understands.
type Corpus int

const (
	// ReDocRED is Re-DocRED: PER, ORG, LOC, MISC, TIME and NUM, some names
	// left unannotated.
	ReDocRED Corpus = iota
	// CoNLL04 is CoNLL04: Peop, Org, Loc and Other (dates, numbers).
	CoNLL04
)

// FromAnnotated converts annotated documents to tagger documents with gold
// spans in CoNLL-2003's conventions (see above). Overlapping mentions keep
// the first and longest.
func FromAnnotated(docs []annotated.Document, c Corpus) []Document {
	out := make([]Document, 0, len(docs))
	lx := conventionLexicon()
	for _, d := range docs {
		sents := make([]Sentence, len(d.Sentences))
		notNames := make([][]Span, len(d.Sentences)) // dates, numbers: annotated as no name
		for i, toks := range d.Sentences {
			sents[i].Tokens = toks
		}
		for _, e := range d.Entities {
			for _, m := range e.Mentions {
				k, ok := mentionKind(m, c)
				if !ok {
					notNames[m.Sent] = append(notNames[m.Sent], Span{Start: m.Start, End: m.End})
					continue
				}
				toks := d.Sentences[m.Sent]
				if m.End-m.Start > 1 && toks[m.Start] == "the" {
					m.Start++ // "the United States": CoNLL-2003 leaves the article out
				}
				if m.End-m.Start == 1 && (k == LOC || k == ORG) && demonymLike(toks[m.Start], lx) {
					k = MISC
				}
				sents[m.Sent].Gold = append(sents[m.Sent].Gold, Span{Start: m.Start, End: m.End, Kind: k})
			}
		}
		for i := range sents {
			s := &sents[i]
			s.Gold = disjoint(s.Gold)
			s.Free = freeTokens(s.Tokens, append(notNames[i], s.Gold...), c, lx)
		}
		out = append(out, Document{Sentences: sents})
	}
	return out
}

// mentionKind maps a corpus mention to a tagger class.
func mentionKind(m annotated.Mention, c Corpus) (Kind, bool) {
	switch m.Type {
	case mosaic.Person:
		return PER, true
	case mosaic.Org:
		return ORG, true
	case mosaic.Location:
		return LOC, true
	case mosaic.Misc:
		// CoNLL04's Other is dates, sums and times: not names.
		return MISC, c != CoNLL04
	}
	return 0, false
}

// disjoint sorts spans and drops any that overlaps one kept before it,
// preferring the earlier, then the longer.
func disjoint(spans []Span) []Span {
	slices.SortFunc(spans, func(a, b Span) int {
		if a.Start != b.Start {
			return a.Start - b.Start
		}
		return b.End - a.End
	})
	out := spans[:0]
	end := 0
	for _, sp := range spans {
		if sp.Start < end {
			continue
		}
		out = append(out, sp)
		end = sp.End
	}
	return out
}

// Free-token masks: which labels an unannotated token may take.
const (
	freeNone uint8 = iota // annotated, or surely not a name: the gold label
	freeMisc              // O or MISC (CoNLL04, which annotates no MISC)
	freeAny               // any label (Re-DocRED's unannotated names)
)

// freeTokens marks the tokens outside the annotated spans (names, and
// dates and numbers) that may be unannotated names: capitalised words
// other than a function word opening a sentence or a month.
func freeTokens(toks []string, annotated []Span, c Corpus, lx *lexicon) []uint8 {
	free := make([]uint8, len(toks))
	inGold := func(i int) bool {
		for _, g := range annotated {
			if g.Start <= i && i < g.End {
				return true
			}
		}
		return false
	}
	for i, t := range toks {
		if inGold(i) || !capitalised(t) {
			continue
		}
		if i == 0 || strings.ContainsAny(toks[i-1], ".!?\"“``") {
			if lx.words.get(lowerHash(t))&(clsFunction|clsMonth) != 0 {
				continue
			}
		}
		if lx.words.get(lowerHash(t))&clsMonth != 0 && len(t) > 3 {
			continue
		}
		free[i] = freeAny
		if c == CoNLL04 {
			free[i] = freeMisc
		}
	}
	return free
}

// conventionLexicon is the word-class table and gazetteers that the
// conversion reads demonyms, places, months and function words from.
var conventionLexicon = sync.OnceValue(func() *lexicon { return newLexicon(GroupClass | GroupGazetteer) })

// demonymLike reports a word naming a people, a language or a faith
// ("Swedish", "Angolan", "Catholic"): a demonym of the lexicon, or a
// capitalised word of five letters or more with a demonym's ending that is
// not itself a place ("Michigan", "Belmopan" are).
func demonymLike(w string, lx *lexicon) bool {
	if lx.words.get(lowerHash(w))&clsDemonym != 0 {
		return true
	}
	if len(w) < 5 || !capitalised(w) || lx.placeAt([]string{w}, 0) > 0 {
		return false
	}
	lw := strings.ToLower(w)
	for _, suf := range []string{"ian", "ean", "ese", "ish", "ican", "ani", "aqi", "ali", "eli"} {
		if strings.HasSuffix(lw, suf) {
			return true
		}
	}
	return false
}
