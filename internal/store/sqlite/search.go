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
	match := matchExpr(r.Query)
	where, args := `documents_fts MATCH ?`, []any{match}
	if names != nil {
		in, inArgs := inList("c.name", names)
		where += ` AND rowid IN (SELECT h.doc FROM holdings h JOIN collections c ON c.id = h.collection_id WHERE ` + in + `)`
		args = append(args, inArgs...)
	}
	var res store.SearchResult
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents_fts WHERE `+where, args...).Scan(&res.Total)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	limit, offset := page(r.Limit, r.Offset, 20)
	// Rank first, reading only the index; snippets and document fields
	// are read for the page alone. (Asked for in one query, SQLite makes a
	// snippet for every match before sorting, and a common name matches
	// tens of thousands of documents.) Title matches weigh five times body
	// matches: a report titled with a name is more likely about that
	// person than one that mentions it.
	rows, err := s.db.QueryContext(ctx, `SELECT rowid, bm25(documents_fts, 5.0, 1.0) AS rank FROM documents_fts
		WHERE `+where+` ORDER BY rank LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	var seqs []int64
	score := map[int64]float64{}
	for rows.Next() {
		var seq int64
		var rank float64
		if err := rows.Scan(&seq, &rank); err != nil {
			rows.Close()
			return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
		}
		seqs = append(seqs, seq)
		score[seq] = -rank
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	res.Hits = []store.Hit{}
	if len(seqs) == 0 {
		return res, nil
	}
	hits, err := s.hits(ctx, r.Query, match, seqs)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	held, err := s.heldBySeq(ctx, seqs)
	if err != nil {
		return store.SearchResult{}, err
	}
	for _, seq := range seqs {
		h, ok := hits[seq]
		if !ok {
			continue // deleted since it was ranked
		}
		h.Score, h.Collections = score[seq], []string{}
		for _, c := range held[seq] {
			if r.Scope.Allows(c) {
				h.Collections = append(h.Collections, c)
			}
		}
		res.Hits = append(res.Hits, h)
	}
	return res, nil
}

// hits reads the documents seqs with their snippets for the query (match
// is its FTS5 expression), by seq.
func (s *Store) hits(ctx context.Context, q search.Query, match string, seqs []int64) (map[int64]store.Hit, error) {
	args := []any{snippetLimit, match}
	for _, seq := range seqs {
		args = append(args, seq)
	}
	// The snippet comes from the body (column 1): the title is shown anyway.
	// FTS5 makes the snippets of documents up to snippetLimit bytes; a
	// longer one's is found by shortSnippet.
	rows, err := s.db.QueryContext(ctx, `SELECT d.seq, d.id, d.title, d.date, d.format,
			CASE WHEN length(CAST(d.body AS BLOB)) <= ? THEN snippet(documents_fts, 1, '`+markOpen+`', '`+markClose+`', '…', 32) END
		FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid
		WHERE documents_fts MATCH ? AND documents_fts.rowid IN (`+placeholders(len(seqs))+`)`, args...)
	if err != nil {
		return nil, err
	}
	out := make(map[int64]store.Hit, len(seqs))
	var long []int64 // hits whose snippet is still to make
	for rows.Next() {
		var h store.Hit
		var seq int64
		var id, date, format string
		var snippet sql.NullString
		if err := rows.Scan(&seq, &id, &h.Title, &date, &format, &snippet); err != nil {
			rows.Close()
			return nil, err
		}
		h.ID, h.Date, h.Format = mosaic.DocID(id), parseTime(date), mosaic.Format(format)
		if snippet.Valid {
			h.Snippet, h.Highlights = unmark(snippet.String)
		} else {
			long = append(long, seq)
		}
		out[seq] = h
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for _, seq := range long {
		h := out[seq]
		if h.Snippet, h.Highlights, err = s.shortSnippet(ctx, seq, q); err != nil {
			return nil, err
		}
		out[seq] = h
	}
	return out, nil
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

// snippetLimit is the longest text, in bytes, whose snippet FTS5 makes
// (its text, not its file: a compact DOCX holds more text than its size).
// Its snippet function weighs every match against every other, so its
// cost grows with the square of the matches: a 1 MB chat export naming a
// man on every line took 3 s, a 20 MB one nine minutes.
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
