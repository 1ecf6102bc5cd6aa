package sqlite

import (
	"context"
	"fmt"
	"strings"

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
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.title, d.date, d.format,
			snippet(documents_fts, 1, '`+markOpen+`', '`+markClose+`', '…', 32),
			bm25(documents_fts, 5.0, 1.0) AS rank
		FROM documents_fts JOIN documents d ON d.seq = documents_fts.rowid
		WHERE `+where+` ORDER BY rank LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	defer rows.Close()
	res.Hits = []store.Hit{}
	for rows.Next() {
		var h store.Hit
		var id, date, format, snippet string
		var rank float64
		if err := rows.Scan(&id, &h.Title, &date, &format, &snippet, &rank); err != nil {
			return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
		}
		h.ID, h.Date, h.Format, h.Score = mosaic.DocID(id), parseTime(date), mosaic.Format(format), -rank
		h.Snippet, h.Highlights = unmark(snippet)
		res.Hits = append(res.Hits, h)
	}
	if err := rows.Err(); err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	rows.Close()
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
