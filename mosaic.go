// Package mosaic is the shared vocabulary of the Mosaic investigation workbench:
// documents, the mentions and relations found in them, and the identifiers that
// tie them together. It holds plain values only; it does no I/O and imports
// nothing from the rest of the module, so every stage can hand these values to
// the next without knowing how it works.
package mosaic

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"time"
)

// DocID identifies a document by content: the lower-case hex SHA-256 of the
// bytes it was read from. Loading the same bytes twice yields the same DocID,
// which is how Mosaic stores a document once however often it is ingested.
type DocID string

// NewDocID returns the content address of data.
func NewDocID(data []byte) DocID {
	sum := sha256.Sum256(data)
	return DocID(hex.EncodeToString(sum[:]))
}

// Short returns the first 12 hex digits, enough to tell documents apart in
// progress output.
func (id DocID) Short() string {
	if len(id) > 12 {
		return string(id[:12])
	}
	return string(id)
}

// Format names the file format a document was read from.
type Format string

// The formats Mosaic reads.
const (
	FormatText Format = "text"
	FormatHTML Format = "html"
	FormatPDF  Format = "pdf"
	FormatDOCX Format = "docx"
	FormatMail Format = "eml"
	FormatCSV  Format = "csv"
	FormatJSON Format = "json"
)

// Document is one unit of text an analyst reads: a file, an e-mail, an
// attachment, or one record of a CSV or JSON file.
type Document struct {
	// ID is the content address of the bytes the document was read from.
	ID DocID `json:"id"`
	// Parent is the document this one came out of: the e-mail of an
	// attachment, the file of a CSV or JSON record. Empty for top-level files.
	Parent DocID `json:"parent,omitempty"`
	// Title is the document's own title (HTML title, e-mail subject, DOCX
	// title) or, failing that, its file name.
	Title string `json:"title"`
	// Text is the extracted plain text, valid UTF-8. Every Mention's byte
	// offsets index into it.
	Text string `json:"text,omitempty"`
	// Date is when the document was written, if the document says so; the
	// zero time otherwise. It anchors relative dates such as "last year".
	Date time.Time `json:"date,omitzero"`
	// Format is the file format the text was read from.
	Format Format `json:"format"`
	// Source is the path the document was read from; inside an archive or an
	// e-mail it is "outer!inner".
	Source string `json:"source"`
	// Size is the number of bytes the document was read from.
	Size int64 `json:"size"`
	// Meta holds format-specific metadata: e-mail headers, PDF and DOCX
	// properties, the columns of a record, and under MetaWarning what the
	// parser could not read as written.
	Meta map[string]string `json:"meta,omitempty"`
}

// MetaWarning is the Meta key under which a parser says what of a file it
// read only in part or not as written (NUL bytes read as spaces, a page
// read without its structure). The document is stored; ingest reports the
// warning and exits non-zero.
const MetaWarning = "Warning"

// A text too long to read at once is stored as parts: documents of at
// most a window each, cut at line breaks, whose Parent is the ID of the
// whole (there is no document for the whole). MetaPart gives a part's
// number, from 1; MetaPartOffset the byte offset of its text in the text
// of the whole.
const (
	MetaPart       = "Part"
	MetaPartOffset = "PartOffset"
)

// Span is a half-open range [Start, End) of UTF-8 byte offsets into a
// document's text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len returns the number of bytes in the span.
func (s Span) Len() int { return s.End - s.Start }

// MentionType is the kind of thing a mention names.
type MentionType string

// Mention types: the named-entity classes and the pattern classes.
const (
	Person   MentionType = "PERSON"
	Org      MentionType = "ORG"
	Location MentionType = "LOCATION"
	Misc     MentionType = "MISC"
	Date     MentionType = "DATE"
	Email    MentionType = "EMAIL"
	Phone    MentionType = "PHONE"
	URL      MentionType = "URL"
	IP       MentionType = "IP"
)

// Mention is a typed span of a document's text.
type Mention struct {
	// Start and End are UTF-8 byte offsets into the document text.
	Start int         `json:"start"`
	End   int         `json:"end"`
	Type  MentionType `json:"type"`
	// Text is the document text between Start and End.
	Text string `json:"text"`
	// Norm is the normalised value where the type has one: an ISO 8601 date
	// or period for DATE ("2016-06-12", "2016-06", "2016"), a lower-cased
	// address for EMAIL, digits with an optional leading + for PHONE.
	Norm string `json:"norm,omitempty"`
	// Sentence is the span of the sentence the mention stands in.
	Sentence Span `json:"sentence"`
	// Confidence is the recogniser's belief in the mention, in (0, 1].
	Confidence float64 `json:"confidence"`
	// Entity is the entity resolution tied the mention to, as it reads
	// after analysts' merges; zero until resolved, and for pattern types.
	Entity EntityID `json:"entity,omitempty"`
}

// Span returns the mention's byte range.
func (m Mention) Span() Span { return Span{m.Start, m.End} }

// NormIdentifier brings a phone number or e-mail address to the form a
// mention's Norm holds, so that one typed by an analyst meets the
// mentions extraction found: an e-mail address trimmed and lower-cased; a
// phone number reduced to its digits, a leading + kept and a leading 00
// read as +. A Norm normalises to itself; another type's value is only
// trimmed.
func NormIdentifier(t MentionType, value string) string {
	value = strings.TrimSpace(value)
	switch t {
	case Email:
		return strings.ToLower(value)
	case Phone:
		var b strings.Builder
		for i, r := range value {
			switch {
			case r == '+' && i == 0:
				b.WriteByte('+')
			case r >= '0' && r <= '9':
				b.WriteRune(r)
			}
		}
		n := b.String()
		if strings.HasPrefix(n, "00") {
			n = "+" + n[2:]
		}
		if n == "+" {
			return ""
		}
		return n
	}
	return value
}

// RelationType is the kind of link a sentence states between two mentions.
type RelationType string

// Relation types. In a typed relation From is the agent or holder and To the
// one acted on or held to; CoOccur alone is undirected.
const (
	// Contact: From was in touch with To — called, met, messaged, e-mailed,
	// spoke to, corresponded with. Either side may be a phone number or an
	// e-mail address as well as a person or organisation.
	Contact RelationType = "contact"
	// Command: From ordered, sent, directed, instructed, tasked or
	// recruited To, or told To to act.
	Command RelationType = "command"
	// Member: From holds a role in To, a group or, now and then, a person:
	// member, leader, emir, founder, spokesman. The relation's Cue names the
	// role ("spokesman of", "the group's spokesman").
	Member RelationType = "member"
	// Attack: From attacked, stabbed, shot, bombed or killed To, a person
	// or a target, or carried out an attack at To, a place.
	Attack RelationType = "attack"
	// Travel: From travelled to, returned from or visited To, a place.
	Travel RelationType = "travel"
	// Family: From is To's brother, sister, cousin, son, father, wife, ...;
	// the Cue says which.
	Family RelationType = "family"
	// LocatedIn: From lives in, is based in or comes from To, a place.
	LocatedIn RelationType = "location"
	// CoOccur: the two are named in one sentence that states no typed
	// relation between them. The weakest evidence of a link; From is the
	// earlier mention.
	CoOccur RelationType = "co-occurrence"
)

// Relation is a link between two mentions of one document, with the sentence
// that states it.
type Relation struct {
	Type RelationType `json:"type"`
	// From and To index the mentions of the same extraction result.
	From int `json:"from"`
	To   int `json:"to"`
	// Sentence is the evidence: the byte span of the sentence that says so.
	Sentence Span `json:"sentence"`
	// Negated records "was not in touch with"; Hedged records "allegedly".
	Negated bool `json:"negated,omitempty"`
	Hedged  bool `json:"hedged,omitempty"`
	// Cue is the phrase that states a typed relation, as written: "was in
	// touch with", "spokesman of", "is the brother of". Empty for CoOccur.
	Cue string `json:"cue,omitempty"`
	// Confidence is how likely the relation is to be right, in (0, 1]: for
	// a relation the learned classifier found, its probability; for one a
	// rule found, the precision measured for that rule type; for CoOccur,
	// the share of co-occurring names that are related at all.
	Confidence float64 `json:"confidence"`
}

// EntityID identifies an entity: the mentions, across documents, believed to
// name one real person, organisation or place. IDs are assigned by the store
// and never reused.
type EntityID int64

// Entity is one resolved person, organisation, place or thing.
type Entity struct {
	ID EntityID `json:"id"`
	// Kind is the mention type its mentions carry: PERSON, ORG, LOCATION
	// or MISC.
	Kind MentionType `json:"kind"`
	// Name is the canonical name: the fullest name it was introduced by.
	Name string `json:"name"`
}
