package extract

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"time"

	"mosaic"
)

// Extractor runs recognisers over a document. Safe for concurrent use: it
// holds nothing but the recognisers, which must themselves be safe.
type Extractor struct {
	recognizers []Recognizer
}

// New returns an Extractor that runs recognizers in the order given. The
// order matters only on ties: when two recognisers find overlapping mentions
// of the same length, the earlier one's wins.
func New(recognizers ...Recognizer) *Extractor {
	return &Extractor{recognizers: slices.Clone(recognizers)}
}

// Extract analyses text. docDate is the document's own date (zero if
// unknown); when zero, the anchor is the first full date (day, month and
// year) found in the text.
//
// Mentions come back sorted by Start, without overlaps (on overlap the longer
// span wins; ties go to the earlier recogniser), every Mention's Text ==
// text[Start:End], Sentence set, Confidence in (0,1]. Extract enforces this
// whatever the recognisers return: it drops mentions outside the text, empty
// ones and ones with no confidence, caps confidence at 1, sets Text, and
// fills in a missing or wrong Sentence (widening it to the sentences the
// mention spans, should a recogniser cross a sentence boundary). Relations
// are those Relate finds between the final mentions.
func (e *Extractor) Extract(text string, docDate time.Time) Result {
	a := &Analysis{Text: text, Sentences: Split(text)}
	a.Anchor = anchorOf(a, docDate)
	var cands []candidate
	for ri, r := range e.recognizers {
		for _, m := range r.Recognize(a) {
			if m.Start < 0 || m.End > len(text) || m.Start >= m.End ||
				math.IsNaN(m.Confidence) || m.Confidence <= 0 {
				continue
			}
			m.Confidence = min(m.Confidence, 1)
			m.Text = text[m.Start:m.End]
			if !contains(m.Sentence, m.Span()) {
				m.Sentence = sentenceAround(a.Sentences, m.Span())
			}
			cands = append(cands, candidate{m, ri})
		}
	}
	spans := make([]mosaic.Span, len(a.Sentences))
	for i, s := range a.Sentences {
		spans[i] = s.Span
	}
	mentions := resolveOverlaps(cands)
	var warn []string
	if n := len(mentions); n > MaxMentions {
		mentions = mentions[:MaxMentions:MaxMentions]
		warn = append(warn, fmt.Sprintf("%d of %d mentions kept, up to byte %d of %d; the text after it is stored and searchable, but its names are not linked",
			MaxMentions, n, mentions[MaxMentions-1].End, len(text)))
	}
	rels, crowd := relateCapped(a, mentions, defaultModel())
	if crowd.sentences > 0 {
		what := "1 sentence"
		if crowd.sentences > 1 {
			what = fmt.Sprintf("%d sentences", crowd.sentences)
		}
		warn = append(warn, fmt.Sprintf("%s of more than %d names (%d names in all) not read for co-occurrence",
			what, maxSentenceNames, crowd.names))
	}
	return Result{
		Sentences: spans,
		Mentions:  mentions,
		Relations: rels,
		Warning:   strings.Join(warn, "; "),
	}
}

// MaxMentions is the most mentions Extract returns for one text, the
// first ones in it; it says in Result.Warning how many more it found. It
// bounds what one document costs the stages after extraction: a part of
// a long text (512 KiB, see document.Limits) written as densely as a chat
// export holds some 28,000, and no document of the sample case or the
// annotated corpora holds a twentieth of that.
const MaxMentions = 100_000

// anchorOf returns the date relative expressions are read against: docDate
// as a calendar date, or the first full date in the text. Anchors outside the
// years 1000–9000 are ignored, so that every date derived from one prints as
// four-digit ISO 8601.
func anchorOf(a *Analysis, docDate time.Time) time.Time {
	if !docDate.IsZero() {
		y, m, d := docDate.Date()
		if y >= 1000 && y <= 9000 {
			return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
		}
		return time.Time{}
	}
	if t, ok := firstFullDate(a); ok && t.Year() >= 1000 && t.Year() <= 9000 {
		return t
	}
	return time.Time{}
}

func contains(outer, inner mosaic.Span) bool {
	return outer.Start <= inner.Start && inner.End <= outer.End && outer.Start < outer.End
}

// sentenceAround returns the span of the sentences m touches. A mention in
// the whitespace between sentences gets the sentence before it, widened to
// cover it.
func sentenceAround(sents []Sentence, m mosaic.Span) mosaic.Span {
	if len(sents) == 0 {
		return m
	}
	// The last sentence starting at or before m.Start.
	i := sort.Search(len(sents), func(i int) bool { return sents[i].Start > m.Start }) - 1
	i = max(i, 0)
	out := sents[i].Span
	for j := i + 1; j < len(sents) && sents[j].Start < m.End; j++ {
		out.End = sents[j].End
	}
	out.Start = min(out.Start, m.Start)
	out.End = max(out.End, m.End)
	return out
}

type candidate struct {
	mosaic.Mention
	rec int // index of the recogniser that found it
}

// resolveOverlaps keeps a set of non-overlapping mentions, sorted by Start.
// It works cluster by cluster — a cluster being a maximal run of mentions
// linked by overlaps — and within one keeps mentions greedily, longest first,
// ties to the earlier recogniser and then the earlier start. Clusters are
// small in practice (a date inside a phone-like run, a name inside a URL), so
// the quadratic greedy step costs nothing.
func resolveOverlaps(cands []candidate) []mosaic.Mention {
	out := make([]mosaic.Mention, 0, len(cands))
	if len(cands) == 0 {
		return out
	}
	slices.SortStableFunc(cands, func(x, y candidate) int {
		if x.Start != y.Start {
			return x.Start - y.Start
		}
		return y.End - x.End
	})
	var kept []candidate
	for lo := 0; lo < len(cands); {
		hi, end := lo+1, cands[lo].End
		for hi < len(cands) && cands[hi].Start < end {
			end = max(end, cands[hi].End)
			hi++
		}
		cluster := cands[lo:hi]
		if len(cluster) == 1 {
			out = append(out, cluster[0].Mention)
			lo = hi
			continue
		}
		slices.SortStableFunc(cluster, func(x, y candidate) int {
			if lx, ly := x.End-x.Start, y.End-y.Start; lx != ly {
				return ly - lx
			}
			if x.rec != y.rec {
				return x.rec - y.rec
			}
			return x.Start - y.Start
		})
		kept = kept[:0]
	next:
		for _, c := range cluster {
			for _, k := range kept {
				if c.Start < k.End && k.Start < c.End {
					continue next
				}
			}
			kept = append(kept, c)
		}
		slices.SortFunc(kept, func(x, y candidate) int { return x.Start - y.Start })
		for _, k := range kept {
			out = append(out, k.Mention)
		}
		lo = hi
	}
	return out
}
