// Package extract turns a document's text into mentions and relations. It
// splits sentences and tokens once, with byte offsets, and hands the result to
// each Recognizer in turn: the pattern recognisers (e-mail addresses, phone
// numbers, URLs, IP addresses, dates) and, plugged in through the same
// interface, the named-entity tagger.
package extract

import (
	"time"

	"mosaic"
)

// Token is one word or punctuation mark, as UTF-8 byte offsets into the text.
type Token struct {
	Start, End int
}

// Sentence is a span of the text with its tokens.
type Sentence struct {
	mosaic.Span
	Tokens []Token
}

// Analysis is the text of one document split into sentences and tokens,
// shared read-only by every Recognizer.
type Analysis struct {
	Text      string
	Sentences []Sentence
	// Anchor is the date relative expressions ("in June", "last year") are
	// read against: the document's own date, or the first full date in the
	// text when the document has none; zero when neither is known.
	Anchor time.Time
}

// A Recognizer finds mentions of one or more types. Implementations must be
// safe for concurrent use; they fill Sentence on each mention they return.
type Recognizer interface {
	Recognize(a *Analysis) []mosaic.Mention
}

// Result is what extraction finds in one document.
type Result struct {
	// Sentences are the spans of the text's sentences, in order.
	Sentences []mosaic.Span `json:"-"`
	// Mentions are sorted by Start and do not overlap.
	Mentions []mosaic.Mention `json:"mentions"`
	// Relations is never nil, so that JSON shows an empty list.
	Relations []mosaic.Relation `json:"relations"`
	// Warning says what a cap dropped (see MaxMentions and Relate), in
	// words for mosaic.MetaWarning; empty when nothing was.
	Warning string `json:"warning,omitempty"`
}
