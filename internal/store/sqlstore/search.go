package sqlstore

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
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
	m, err := s.matchOf(ctx, r.Query)
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	// The scope's collections by id, as visibleDoc writes them.
	var scope string
	if names != nil {
		ids, err := s.collectionIDs(ctx, names)
		if err != nil {
			return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
		}
		if ids == "" {
			return store.SearchResult{Hits: []store.Hit{}}, nil
		}
		scope = ids
	}
	limit, offset := page(r.Limit, r.Offset, 20)
	rank := r.Rank
	if rank <= 0 {
		rank = store.MaxRanked
	}
	got, err := searchIndex(ctx, s.db, m, scope, searchPage{limit: limit, offset: offset, rank: rank})
	if err != nil {
		return store.SearchResult{}, fmt.Errorf("search %q: %w", r.Query.String(), err)
	}
	found := got.page
	res := store.SearchResult{Total: got.total, Ranked: got.ranked}
	seqs := make([]int64, len(found))
	score := make(map[int64]float64, len(found))
	for i, f := range found {
		seqs[i], score[f.seq] = f.seq, f.score
	}
	res.Hits = []store.Hit{}
	if len(seqs) == 0 {
		return res, nil
	}
	hits, err := s.hits(ctx, r.Query, seqs)
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

// hits reads the documents seqs, opened, with their snippets for the
// query, by seq.
func (s *Store) hits(ctx context.Context, q search.Query, seqs []int64) (map[int64]store.Hit, error) {
	args := make([]any, len(seqs))
	for i, seq := range seqs {
		args[i] = seq
	}
	rows, err := s.db.QueryContext(ctx, `SELECT seq, id, title, body, date, format FROM documents
		WHERE seq IN (`+placeholders(len(seqs))+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	terms := snippetTerms(q)
	out := make(map[int64]store.Hit, len(seqs))
	for rows.Next() {
		var h store.Hit
		var seq int64
		var id, date, format string
		var title, body []byte
		if err := rows.Scan(&seq, &id, &title, &body, &date, &format); err != nil {
			return nil, err
		}
		h.ID, h.Date, h.Format = mosaic.DocID(id), parseTime(date), mosaic.Format(format)
		if h.Title, err = s.openText(title, id, "title"); err != nil {
			return nil, err
		}
		text, err := s.openText(body, id, "body")
		if err != nil {
			return nil, err
		}
		// The snippet comes from the body: the title is shown anyway.
		h.Snippet, h.Highlights = snippet(text, terms)
		out[seq] = h
	}
	return out, rows.Err()
}

// matchOf renders a query as the index is asked it: its words as tokens
// of every key a document may still be indexed under (during a rotation,
// of two), a prefix as the phrases ending in each word it begins (see
// expand).
func (s *Store) matchOf(ctx context.Context, q search.Query) (match, error) {
	keys := s.crypt.keys()
	var m match
	for ci, c := range q.Clauses {
		var alts []phrase
		var groups []string
		for ti, t := range c.Any {
			words := foldWords(t.Words)
			if len(words) == 0 {
				continue
			}
			var ends []vocabEntry // the words the prefix begins
			if t.Prefix {
				var err error
				if ends, err = s.expand(ctx, words[len(words)-1]); err != nil {
					return match{}, err
				}
				words = words[:len(words)-1]
			}
			for _, k := range keys {
				p := make(phrase, len(words))
				for i, w := range words {
					p[i] = k.token(w)
				}
				term := strconv.Itoa(ci) + "." + strconv.Itoa(ti)
				if !t.Prefix {
					alts, groups = append(alts, p), append(groups, term)
					continue
				}
				for _, e := range ends {
					if e.version == k.version {
						alts, groups = append(alts, append(p[:len(p):len(p)], e.token)), append(groups, term+" "+e.word)
					}
				}
			}
		}
		if c.Negated {
			m.none = append(m.none, alts)
		} else {
			m.all, m.groups = append(m.all, alts), append(m.groups, groups)
		}
	}
	return m, nil
}

// foldWords folds a term's words as the index folds a text's, leaving out
// any that fold to nothing.
func foldWords(ws []string) []string {
	out := make([]string, 0, len(ws))
	for _, w := range ws {
		if f := foldWord(w); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// snippetTerm is a term of a query, folded, that a snippet highlights.
type snippetTerm struct {
	words  []string
	prefix bool
}

// snippetTerms returns the query's terms that are not excluded, folded.
func snippetTerms(q search.Query) []snippetTerm {
	var out []snippetTerm
	for _, c := range q.Clauses {
		if c.Negated {
			continue
		}
		for _, t := range c.Any {
			if ws := foldWords(t.Words); len(ws) > 0 {
				out = append(out, snippetTerm{words: ws, prefix: t.Prefix})
			}
		}
	}
	return out
}

// A snippet is a window of up to snippetWords words (as many as FTS5's
// snippet gave) and snippetBytes bytes, starting snippetLead words before
// its first match.
const (
	snippetWords = 32
	snippetBytes = 480
	snippetLead  = 4
	// maxPhrase is the longest phrase matched in full; a longer one is
	// matched on its first maxPhrase words.
	maxPhrase = 16
)

// snippet returns the window of text whose matches are of the most
// distinct terms, the first of the best, with an ellipsis where the text
// goes on, and the spans of its matches; or the start of the text if
// nothing matches (a match in the title alone). It reads the text once,
// keeping the last few dozen words, and stops at a window matching every
// term: a long text that names the query on every line costs a few words.
func snippet(text string, terms []snippetTerm) (string, []mosaic.Span) {
	terms = terms[:min(len(terms), 64)] // a term is a bit of a window's score
	type match struct {
		term, from int // from is its first word
		start, end int // in bytes
	}
	type window struct {
		first, last int // words
		start, end  int // bytes
		spans       []mosaic.Span
		score       int
	}
	const ring = snippetWords + maxPhrase + snippetLead
	var words [ring]struct {
		start  int
		folded string
	}
	var (
		open    []*window // by first word
		matches []match   // those the open windows may hold
		best    *window
		n       int // words read
		more    bool
	)
	finish := func(w *window) {
		if w.end <= w.start {
			return // its first word alone was too long
		}
		var seen uint64
		for _, m := range matches {
			if m.from >= w.first && m.end <= w.end {
				seen |= 1 << m.term
				w.spans = append(w.spans, mosaic.Span{Start: m.start, End: m.end})
			}
		}
		w.score = bits(seen)
		if best == nil || w.score > best.score {
			best = w
		}
	}
	eachWord(text, func(start, end int, folded string) bool {
		if best != nil && best.score == len(terms) {
			more = true
			return false
		}
		words[n%ring].start, words[n%ring].folded = start, folded
		if n == 0 {
			open = append(open, &window{start: start}) // the start, should nothing match
		}
		for ti, t := range terms {
			k := min(len(t.words), maxPhrase)
			if n+1 < k {
				continue
			}
			ok := true
			for j := 0; j < k && ok; j++ {
				got, want := words[(n-k+1+j)%ring].folded, t.words[j]
				ok = got == want || t.prefix && j == len(t.words)-1 && strings.HasPrefix(got, want)
			}
			if !ok {
				continue
			}
			from := n - k + 1
			matches = append(matches, match{term: ti, from: from, start: words[from%ring].start, end: end})
			if first := max(0, from-snippetLead); len(open) == 0 || first > open[len(open)-1].first {
				w := &window{first: first, last: first, start: words[first%ring].start}
				if end-w.start > snippetBytes { // long words: start at the match
					w.first, w.start = from, words[from%ring].start
				}
				open = append(open, w)
			}
		}
		// Each open window takes this word if it fits, else is done.
		keep := open[:0]
		for _, w := range open {
			if n-w.first < snippetWords && end-w.start <= snippetBytes {
				w.last, w.end = n, end
				keep = append(keep, w)
			} else {
				finish(w)
			}
		}
		open = keep
		if len(open) > 0 {
			i := 0
			for i < len(matches) && matches[i].from < open[0].first {
				i++
			}
			matches = matches[i:]
		}
		n++
		return true
	})
	for _, w := range open {
		finish(w)
	}
	if best == nil {
		return "", []mosaic.Span{}
	}
	// At either end of the text the snippet runs to it, punctuation and
	// all, as FTS5's did (a few dozen bytes at most); elsewhere an
	// ellipsis says the text goes on.
	const edge = 64
	if best.first == 0 && best.start <= edge {
		best.start = 0
	}
	if !more && best.last == n-1 && len(text)-best.end <= edge {
		best.end = len(text)
	}
	var b strings.Builder
	if best.start > 0 {
		b.WriteString("…")
	}
	shift := b.Len() - best.start
	b.WriteString(text[best.start:best.end])
	if best.end < len(text) {
		b.WriteString("…")
	}
	spans := []mosaic.Span{}
	for _, sp := range best.spans {
		spans = append(spans, mosaic.Span{Start: sp.Start + shift, End: sp.End + shift})
	}
	return b.String(), spans
}

func bits(x uint64) int {
	n := 0
	for ; x != 0; x &= x - 1 {
		n++
	}
	return n
}
