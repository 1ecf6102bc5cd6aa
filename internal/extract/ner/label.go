package ner

import "mosaic"

// Kind is an entity class, numbered 0..3 in the CoNLL order.
type Kind uint8

// The entity classes, named as in CoNLL-2003.
const (
	PER Kind = iota
	ORG
	LOC
	MISC
	numKinds
)

var kindNames = [numKinds]string{"PER", "ORG", "LOC", "MISC"}

// String returns the CoNLL name: PER, ORG, LOC or MISC.
func (k Kind) String() string {
	if k < numKinds {
		return kindNames[k]
	}
	return "?"
}

// MentionType returns the Mosaic mention type of k.
func (k Kind) MentionType() mosaic.MentionType {
	switch k {
	case PER:
		return mosaic.Person
	case ORG:
		return mosaic.Org
	case LOC:
		return mosaic.Location
	}
	return mosaic.Misc
}

// kindOf parses a CoNLL class name; ok is false for anything else.
func kindOf(s string) (Kind, bool) {
	for k, n := range kindNames {
		if s == n {
			return Kind(k), true
		}
	}
	return 0, false
}

// The tagger labels tokens with BILOU: Begin, Inside, Last, Unit (a
// one-token entity) or Outside. BILOU beats BIO by making the end of an
// entity, not only its start, something the model learns (Ratinov and
// Roth, 2009). Label 0 is O; the label of position p (B, I, L, U) of kind
// k is 1 + 4k + p.
const numLabels = 1 + 4*int(numKinds)

const (
	posB = iota
	posI
	posL
	posU
)

func label(k Kind, pos int) int { return 1 + 4*int(k) + pos }

func labelKind(l int) Kind { return Kind((l - 1) / 4) }

func labelPos(l int) int { return (l - 1) % 4 }

// allowed[p][c] reports whether label c may follow label p under BILOU.
// Viterbi only ever considers allowed transitions, so every path it returns
// decodes into well-formed spans.
var allowed [numLabels][numLabels]bool

// canStart and canEnd report labels a sentence may start or end with.
var canStart, canEnd [numLabels]bool

func init() {
	for p := 0; p < numLabels; p++ {
		openP := p != 0 && (labelPos(p) == posB || labelPos(p) == posI)
		canStart[p] = p == 0 || labelPos(p) == posB || labelPos(p) == posU
		canEnd[p] = !openP
		for c := 0; c < numLabels; c++ {
			openC := c != 0 && (labelPos(c) == posI || labelPos(c) == posL)
			if openP {
				allowed[p][c] = openC && labelKind(c) == labelKind(p)
			} else {
				allowed[p][c] = !openC
			}
		}
	}
}

// Span is an entity found in a sentence: tokens [Start, End) of kind Kind.
type Span struct {
	Start, End int
	Kind       Kind
	// Confidence is in (0, 1]: the tagger's belief that these tokens form
	// exactly this entity.
	Confidence float64
}

// encodeSpans writes the BILOU labels of spans over n tokens into out.
func encodeSpans(spans []Span, out []uint8) {
	for i := range out {
		out[i] = 0
	}
	for _, s := range spans {
		if s.End-s.Start == 1 {
			out[s.Start] = uint8(label(s.Kind, posU))
			continue
		}
		out[s.Start] = uint8(label(s.Kind, posB))
		for i := s.Start + 1; i < s.End-1; i++ {
			out[i] = uint8(label(s.Kind, posI))
		}
		out[s.End-1] = uint8(label(s.Kind, posL))
	}
}

// decodeLabels returns the spans of a well-formed BILOU label sequence.
func decodeLabels(labels []uint8, spans []Span) []Span {
	start := -1
	for i, l := range labels {
		if l == 0 {
			start = -1
			continue
		}
		switch labelPos(int(l)) {
		case posU:
			spans = append(spans, Span{Start: i, End: i + 1, Kind: labelKind(int(l))})
			start = -1
		case posB:
			start = i
		case posL:
			if start >= 0 {
				spans = append(spans, Span{Start: start, End: i + 1, Kind: labelKind(int(l))})
			}
			start = -1
		}
	}
	return spans
}
