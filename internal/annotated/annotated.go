// Package annotated reads the hand-annotated corpora Mosaic learns from and is
// measured on — CoNLL04 (news sentences with entities and relations) and
// Re-DocRED (Wikipedia documents with entity clusters, relations and their
// evidence sentences) — into one shape, with their labels mapped to Mosaic's
// mention and relation types.
//
// The corpora are not part of the repository (their licences forbid
// redistribution, and they are large); they are read from ../shared/data at
// training and test time.
package annotated

import (
	"strings"

	"mosaic"
)

// Document is one annotated document: tokenised sentences, the entities
// named in them, and the relations stated between entities.
type Document struct {
	// ID names the document in its corpus: the Re-DocRED title, or the
	// CoNLL04 orig_id.
	ID        string
	Sentences [][]string
	Entities  []Entity
	Relations []Relation
}

// Entity is one real thing with every mention the annotators tied to it: a
// gold within-document coreference cluster. A CoNLL04 entity has one
// mention.
type Entity struct {
	// Type is the Mosaic type of the entity's first mention.
	Type     mosaic.MentionType
	Mentions []Mention
}

// Mention is a token span [Start, End) of sentence Sent.
type Mention struct {
	Sent, Start, End int
	// Type is the Mosaic type: PERSON, ORG, LOCATION, MISC or DATE; empty
	// for corpus types Mosaic has no name for (Re-DocRED's NUM).
	Type mosaic.MentionType
	// Label is the corpus's own type label ("Peop", "PER", "NUM").
	Label string
}

// Relation is a relation between two entities (indexes into Entities),
// with From the agent or holder as Mosaic reads it: the corpus's own
// direction is reversed where its property points the other way
// ("chairperson" names the group first).
type Relation struct {
	From, To int
	// Type is the Mosaic type; empty when the corpus label has no Mosaic
	// counterpart (dates, part-of, works), which such relations keep so that
	// evaluation can tell "unmapped" from "none".
	Type mosaic.RelationType
	// Label is the corpus's own label: "Work_For", "P463".
	Label string
	// Evidence lists the sentences that state it (Re-DocRED); for CoNLL04
	// it is the one sentence.
	Evidence []int
}

// Text lays the document out as plain text: the tokens of a sentence joined
// by single spaces, sentences one to a line. Spans gives, for each sentence
// and token, its byte span in that text, so gold token spans convert to the
// byte offsets Mosaic's mentions carry.
func (d *Document) Text() (text string, spans [][]mosaic.Span) {
	var b strings.Builder
	spans = make([][]mosaic.Span, len(d.Sentences))
	for si, s := range d.Sentences {
		if si > 0 {
			b.WriteByte('\n')
		}
		spans[si] = make([]mosaic.Span, len(s))
		for ti, tok := range s {
			if ti > 0 {
				b.WriteByte(' ')
			}
			start := b.Len()
			b.WriteString(tok)
			spans[si][ti] = mosaic.Span{Start: start, End: b.Len()}
		}
	}
	return b.String(), spans
}

// ByteSpan returns a mention's byte span in the text Text lays out, given
// that call's spans.
func (m Mention) ByteSpan(spans [][]mosaic.Span) mosaic.Span {
	s := spans[m.Sent]
	return mosaic.Span{Start: s[m.Start].Start, End: s[m.End-1].End}
}
