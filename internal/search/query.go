// Package search holds Mosaic's query language: what an analyst types into the
// search box, parsed into a Query that every store backend renders into its
// own full-text dialect. Parsing never fails on odd input: quotes, semicolons,
// brackets and stray operators are read as text, so a query can never inject
// syntax into the database.
//
// The syntax:
//
//	word other        both words (AND)
//	"exact phrase"    the words in that order
//	abu OR abou       either word
//	-word, NOT word   documents without the word
//	recruit*          words starting with "recruit"
//	collection:NAME   only documents of that collection (repeatable; quote names with spaces)
package search

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Term is a word, a prefix or a phrase to match.
type Term struct {
	// Words are the lower-cased words of the term; more than one makes it a
	// phrase.
	Words []string
	// Prefix matches any word beginning with the last word.
	Prefix bool
}

// Clause is satisfied when any of its terms matches (OR); a Negated clause
// excludes documents that match.
type Clause struct {
	Any     []Term
	Negated bool
}

// Query is a conjunction of clauses plus filters.
type Query struct {
	Clauses []Clause
	// Collections restricts the search to these collections when non-empty.
	Collections []string
	// Unknown holds the words written as a field filter of a field the
	// language does not have ("title:abu"), which Parse reads as text;
	// Check refuses them.
	Unknown []string
}

// Fields are the field filters the language knows.
var Fields = []string{"collection"}

// Check returns an error naming the unknown field filters of the query and
// the known ones, or nil. A word meant as text, not as a filter, can be
// quoted: "title:abu".
func (q Query) Check() error {
	if len(q.Unknown) == 0 {
		return nil
	}
	return fmt.Errorf("unknown field %s: the fields are %s: (quote the word to search it as text)",
		strings.Join(q.Unknown, ", "), strings.Join(Fields, ":, "))
}

// fieldLike reports whether a bare word is written as a field filter:
// letters, a colon, and a value that is not a path ("http://").
func fieldLike(word string) bool {
	name, value, ok := strings.Cut(word, ":")
	if !ok || name == "" || value == "" || strings.HasPrefix(value, "/") {
		return false
	}
	for _, r := range name {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return true
}

// Positive reports whether the query has anything to match: at least one
// clause that is not negated.
func (q Query) Positive() bool {
	for _, c := range q.Clauses {
		if !c.Negated {
			return true
		}
	}
	return false
}

// String renders the query back in the search syntax, normalised.
func (q Query) String() string {
	var b strings.Builder
	for _, c := range q.Clauses {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		if c.Negated {
			b.WriteByte('-')
		}
		for i, t := range c.Any {
			if i > 0 {
				b.WriteString(" OR ")
			}
			if len(t.Words) > 1 {
				b.WriteString(`"` + strings.Join(t.Words, " ") + `"`)
			} else {
				b.WriteString(t.Words[0])
			}
			if t.Prefix {
				b.WriteByte('*')
			}
		}
	}
	for _, c := range q.Collections {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(`collection:"` + c + `"`)
	}
	return b.String()
}

// maxClauses bounds the work one query can ask for.
const maxClauses = 64

// Parse reads a query in the search syntax. Input beyond 64 clauses is
// ignored; invalid UTF-8 is replaced.
func Parse(s string) Query {
	s = strings.ToValidUTF8(s, "\uFFFD")
	p := &parser{src: s}
	var q Query
	orNext := false
	for len(q.Clauses) < maxClauses {
		tok, ok := p.next()
		if !ok {
			break
		}
		switch {
		case tok.kind == tokOr:
			orNext = len(q.Clauses) > 0 && !q.Clauses[len(q.Clauses)-1].Negated
			continue
		case tok.kind == tokFilter:
			if tok.text != "" {
				q.Collections = append(q.Collections, tok.text)
			}
			orNext = false
			continue
		}
		if tok.field {
			q.Unknown = append(q.Unknown, tok.text)
		}
		term, ok := termOf(tok)
		if !ok {
			continue
		}
		if orNext && !tok.negated {
			last := &q.Clauses[len(q.Clauses)-1]
			last.Any = append(last.Any, term)
		} else {
			q.Clauses = append(q.Clauses, Clause{Any: []Term{term}, Negated: tok.negated})
		}
		orNext = false
	}
	return q
}

// Words splits text into the lower-cased words the index knows: runs of
// letters and digits. Other characters separate words, as they do in the
// full-text tokenizers of both backends.
func Words(s string) []string {
	return strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsNumber(r) && !unicode.Is(unicode.Mn, r)
	})
}

func termOf(t token) (Term, bool) {
	words := Words(t.text)
	if len(words) == 0 {
		return Term{}, false
	}
	return Term{Words: words, Prefix: t.prefix}, true
}

type tokenKind int

const (
	tokText tokenKind = iota
	tokOr
	tokFilter
)

type token struct {
	kind    tokenKind
	text    string
	negated bool
	prefix  bool
	// field marks a bare word written as a filter of an unknown field.
	field bool
}

type parser struct {
	src string
	pos int
}

func (p *parser) skipSpace() {
	for p.pos < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		if !unicode.IsSpace(r) {
			return
		}
		p.pos += n
	}
}

// next returns the next token, or false at the end of input.
func (p *parser) next() (token, bool) {
	p.skipSpace()
	if p.pos >= len(p.src) {
		return token{}, false
	}
	var t token
	if c := p.src[p.pos]; c == '-' {
		t.negated = true
		p.pos++
	}
	if p.pos < len(p.src) && p.src[p.pos] == '"' {
		t.text = p.quoted()
		t.prefix = p.star()
		return t, true
	}
	word := p.bare()
	switch {
	case !t.negated && word == "OR":
		t.kind = tokOr
		return t, true
	case !t.negated && word == "NOT":
		next, ok := p.next()
		if !ok {
			return token{}, false
		}
		next.negated = next.kind == tokText
		return next, true
	case !t.negated && strings.HasPrefix(strings.ToLower(word), "collection:"):
		t.kind = tokFilter
		t.text = word[len("collection:"):]
		if t.text == "" && p.pos < len(p.src) && p.src[p.pos] == '"' {
			t.text = p.quoted()
		}
		return t, true
	}
	t.field = fieldLike(word)
	if strings.HasSuffix(word, "*") {
		t.prefix = true
		word = strings.TrimRight(word, "*")
	}
	t.text = word
	return t, true
}

// bare reads up to the next space or quote.
func (p *parser) bare() string {
	start := p.pos
	for p.pos < len(p.src) {
		r, n := utf8.DecodeRuneInString(p.src[p.pos:])
		if unicode.IsSpace(r) || (r == '"' && p.pos > start && p.src[p.pos-1] == ':') {
			break
		}
		p.pos += n
	}
	return p.src[start:p.pos]
}

// quoted reads a double-quoted string; an unclosed quote runs to the end.
func (p *parser) quoted() string {
	p.pos++ // opening quote
	end := strings.IndexByte(p.src[p.pos:], '"')
	if end < 0 {
		s := p.src[p.pos:]
		p.pos = len(p.src)
		return s
	}
	s := p.src[p.pos : p.pos+end]
	p.pos += end + 1
	return s
}

func (p *parser) star() bool {
	if p.pos < len(p.src) && p.src[p.pos] == '*' {
		p.pos++
		return true
	}
	return false
}
