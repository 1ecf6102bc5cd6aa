package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// Snippet markers: control characters that never reach stored text (see
// blankControls), so every marker in a snippet is one FTS5 put there.
const (
	markOpen  = "\x01"
	markClose = "\x02"
)

// Search implements store.Searcher.
func (s *Store) Search(ctx context.Context, r store.SearchRequest) (store.SearchResult, error) {
	if !r.Query.Positive() {
		return store.SearchResult{}, fmt.Errorf("search %q: %w: nothing to match", r.Query.String(), store.ErrInvalid)
	}
	names := r.Scope.Collections
	if len(r.Query.Collections) > 0 {
		names = nil
		for _, c := range r.Query.Collections {
			if r.Scope.Allows(c) {
				names = append(names, c)
			}
		}
		if names == nil {
			names = []string{}
		}
	}
	if names != nil && len(names) == 0 {
		return store.SearchResult{Hits: []store.Hit{}}, nil
	}
	where, args := `documents_fts MATCH ?`, []any{matchExpr(r.Query)}
	if names != nil {
		in, inArgs := inList("c.name", names)
		where += ` AND EXISTS (SELECT 1 FROM holdings h JOIN collections c ON c.id = h.collection_id
			WHERE h.doc = d.seq AND ` + in + `)`
		args = append(args, inArgs...)
	}
	var res store.SearchResult
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid
		WHERE `+where, args...).Scan(&res.Total)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	limit, offset := page(r.Limit, r.Offset, 20)
	// The snippet comes from the body (column 1): the title is shown anyway.
	// Title matches weigh five times body matches: a report titled with a
	// name is more likely about that person than one that mentions it.
	// FTS5 makes the snippets of documents up to snippetLimit bytes; a
	// longer one's is found by shortSnippet.
	rows, err := s.db.QueryContext(ctx, `SELECT d.seq, d.id, d.title, d.date, d.format,
			CASE WHEN d.size <= ? THEN snippet(documents_fts, 1, '`+markOpen+`', '`+markClose+`', '…', 32) END,
			bm25(documents_fts, 5.0, 1.0) AS rank
		FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid
		WHERE `+where+` ORDER BY rank LIMIT ? OFFSET ?`, append(append([]any{snippetLimit}, args...), limit, offset)...)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	defer rows.Close()
	res.Hits = []store.Hit{}
	var long []int   // hits whose snippet is still to make
	var seqs []int64 // every hit's document
	for rows.Next() {
		var h store.Hit
		var id, date, format string
		var snippet sql.NullString
		var seq int64
		var rank float64
		if err := rows.Scan(&seq, &id, &h.Title, &date, &format, &snippet, &rank); err != nil {
			return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
		}
		h.ID, h.Date, h.Format, h.Score = mosaic.DocID(id), parseTime(date), mosaic.Format(format), -rank
		if snippet.Valid {
			h.Snippet, h.Highlights = unmark(snippet.String)
		} else {
			long = append(long, len(res.Hits))
		}
		res.Hits = append(res.Hits, h)
		seqs = append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	rows.Close()
	for _, i := range long {
		if res.Hits[i].Snippet, res.Hits[i].Highlights, err = s.shortSnippet(ctx, seqs[i], r.Query); err != nil {
			return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
		}
	}
	for i := range res.Hits {
		if res.Hits[i].Collections, err = s.heldBy(ctx, res.Hits[i].ID, r.Scope); err != nil {
			return store.SearchResult{}, err
		}
	}
	return res, nil
}

// matchExpr renders a parsed query as an FTS5 expression. Every word is
// double-quoted, and search.Words leaves only letters and digits in a word,
// so no user input can reach FTS5 as syntax.
func matchExpr(q search.Query) string {
	var pos, neg []string
	for _, c := range q.Clauses {
		alts := make([]string, len(c.Any))
		for i, t := range c.Any {
			alts[i] = `"` + strings.Join(t.Words, " ") + `"`
			if t.Prefix {
				alts[i] += "*"
			}
		}
		expr := "(" + strings.Join(alts, " OR ") + ")"
		if c.Negated {
			neg = append(neg, expr)
		} else {
			pos = append(pos, expr)
		}
	}
	expr := "(" + strings.Join(pos, " AND ") + ")"
	for _, n := range neg {
		expr = "(" + expr + " NOT " + n + ")"
	}
	return expr
}

// unmark removes the snippet markers and returns where they were.
func unmark(s string) (string, []mosaic.Span) {
	var b strings.Builder
	spans := []mosaic.Span{}
	start := -1
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case markOpen[0]:
			start = b.Len()
		case markClose[0]:
			if start >= 0 && b.Len() > start {
				spans = append(spans, mosaic.Span{Start: start, End: b.Len()})
			}
			start = -1
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String(), spans
}

// snippetLimit is the largest document, by stored size, whose snippet
// FTS5 makes. Its snippet function weighs every match against every
// other, so its cost grows with the square of the matches: a 1 MB chat
// export naming a man on every line took 3 s, a 20 MB one nine minutes.
const snippetLimit = 256 << 10

// shortSnippet makes the snippet of a long document in time linear in its
// size: around the first place that spells a word of the query as typed,
// lower-case, capitalised or in capitals (SQLite's instr), or else from
// the start. Its highlights are the words in it that match the query's.
func (s *Store) shortSnippet(ctx context.Context, seq int64, q search.Query) (string, []mosaic.Span, error) {
	var words []search.Term
	for _, c := range q.Clauses {
		if !c.Negated {
			words = append(words, c.Any...)
		}
	}
	at := 0 // in characters, from 1; 0 when nothing was found
	for _, t := range words {
		phrase := strings.Join(t.Words, " ")
		for _, v := range []string{phrase, capitalise(phrase), strings.ToUpper(phrase)} {
			var p int
			if err := s.db.QueryRowContext(ctx, `SELECT instr(body, ?) FROM documents WHERE seq = ?`, v, seq).Scan(&p); err != nil {
				return "", nil, fmt.Errorf("snippet: %w", err)
			}
			if p > 0 && (at == 0 || p < at) {
				at = p
			}
		}
	}
	from := max(1, at-snippetBefore)
	var text string
	if err := s.db.QueryRowContext(ctx, `SELECT substr(body, ?, ?) FROM documents WHERE seq = ?`,
		from, snippetBefore+snippetAfter, seq).Scan(&text); err != nil {
		return "", nil, fmt.Errorf("snippet: %w", err)
	}
	// Whole words only, with an ellipsis where the text goes on.
	if from > 1 {
		if i := strings.IndexFunc(text, unicode.IsSpace); i >= 0 {
			text = "…" + strings.TrimLeftFunc(text[i:], unicode.IsSpace)
		}
	}
	if utf8.RuneCountInString(text) >= snippetBefore+snippetAfter-1 {
		if i := strings.LastIndexFunc(text, unicode.IsSpace); i > 0 {
			text = strings.TrimRightFunc(text[:i], unicode.IsSpace) + "…"
		}
	}
	text = strings.Join(strings.Fields(text), " ")
	return text, highlights(text, words), nil
}

// Characters of context a long document's snippet takes before and after
// its match: about the 32 words FTS5 gives a snippet.
const (
	snippetBefore = 80
	snippetAfter  = 160
)

func capitalise(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[n:]
}

// highlights returns the spans of text's words that are words of the terms
// (or, for a prefix term, begin with its last word).
func highlights(text string, terms []search.Term) []mosaic.Span {
	spans := []mosaic.Span{}
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			i += n
			continue
		}
		j := i + strings.IndexFunc(text[i:], func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		if j < i {
			j = len(text)
		}
		if matchesTerm(strings.ToLower(text[i:j]), terms) {
			spans = append(spans, mosaic.Span{Start: i, End: j})
		}
		i = j
	}
	return spans
}

// matchesTerm reports whether a lower-cased word is a word of one of the
// terms, or begins with the last word of a prefix term.
func matchesTerm(word string, terms []search.Term) bool {
	for _, t := range terms {
		for k, w := range t.Words {
			if word == w || t.Prefix && k == len(t.Words)-1 && strings.HasPrefix(word, w) {
				return true
			}
		}
	}
	return false
}
