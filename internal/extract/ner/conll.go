package ner

import (
	"bufio"
	"fmt"
	"io"
	"strings"
)

// Document is a CoNLL document: sentences of tokens, with the gold entity
// spans when they are known.
type Document struct {
	Sentences []Sentence
}

// Sentence is one sentence of a Document.
type Sentence struct {
	Tokens []string
	// Gold holds the annotated entities (empty when unannotated).
	Gold []Span
	// Free is nil for a fully annotated corpus (CoNLL-2003). For a partly
	// annotated one (FromAnnotated) it marks the tokens outside Gold whose
	// label the corpus does not give (a name it left unannotated,
	// perhaps): training lets them take the labels the model prefers among
	// those allowed (freeMisc: O or MISC; freeAny: any), and evaluation
	// does not score names predicted there.
	Free []uint8
}

// ReadCoNLL reads a CoNLL-2003 file: one "TOKEN POS CHUNK TAG" line per
// token, a blank line between sentences, "-DOCSTART-" between documents.
// Tags are IOB1 or IOB2 (I-X continues an entity of class X unless a B-X
// starts a new one), read as conlleval reads them. Only the first and last
// columns are used, so "TOKEN TAG" files work too.
func ReadCoNLL(r io.Reader) ([]Document, error) {
	var docs []Document
	var toks, tags []string
	cur := -1
	flush := func() error {
		if len(toks) == 0 {
			return nil
		}
		spans, err := spansOfTags(tags)
		if err != nil {
			return err
		}
		if cur < 0 {
			docs = append(docs, Document{})
			cur = len(docs) - 1
		}
		docs[cur].Sentences = append(docs[cur].Sentences, Sentence{Tokens: toks, Gold: spans})
		toks, tags = nil, nil
		return nil
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			if err := flush(); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			continue
		}
		if f[0] == "-DOCSTART-" {
			if err := flush(); err != nil {
				return nil, fmt.Errorf("line %d: %w", line, err)
			}
			docs = append(docs, Document{})
			cur = len(docs) - 1
			continue
		}
		if len(f) < 2 {
			return nil, fmt.Errorf("line %d: want TOKEN ... TAG, got %q", line, sc.Text())
		}
		toks = append(toks, f[0])
		tags = append(tags, f[len(f)-1])
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if err := flush(); err != nil {
		return nil, fmt.Errorf("line %d: %w", line, err)
	}
	// Drop documents left empty (a trailing -DOCSTART-).
	out := docs[:0]
	for _, d := range docs {
		if len(d.Sentences) > 0 {
			out = append(out, d)
		}
	}
	return out, nil
}

// spansOfTags reads IOB tags into spans the way conlleval does: a chunk
// starts at B-X, or at I-X after O or after a different class.
func spansOfTags(tags []string) ([]Span, error) {
	var spans []Span
	open := -1
	var kind Kind
	for i, t := range tags {
		if t == "O" {
			if open >= 0 {
				spans = append(spans, Span{Start: open, End: i, Kind: kind})
				open = -1
			}
			continue
		}
		if len(t) < 3 || t[1] != '-' || (t[0] != 'B' && t[0] != 'I') {
			return nil, fmt.Errorf("tag %q is not O, B-X or I-X", t)
		}
		k, ok := kindOf(t[2:])
		if !ok {
			return nil, fmt.Errorf("tag %q: class is not PER, ORG, LOC or MISC", t)
		}
		if open >= 0 && (t[0] == 'B' || k != kind) {
			spans = append(spans, Span{Start: open, End: i, Kind: kind})
			open = -1
		}
		if open < 0 {
			open, kind = i, k
		}
	}
	if open >= 0 {
		spans = append(spans, Span{Start: open, End: len(tags), Kind: kind})
	}
	return spans, nil
}
