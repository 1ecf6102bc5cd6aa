package web

import (
	"errors"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// Bounds on what one request may ask for.
const (
	maxLimit  = 1000
	maxOffset = 1_000_000
	// maxQuery is far beyond any query a person types; the parser stops at
	// 64 clauses anyway.
	maxQuery = 4096
)

type collectionsResponse struct {
	Collections []store.Collection `json:"collections"`
}

func (s *Server) collections(w http.ResponseWriter, r *http.Request) {
	cs, err := s.Collections.Collections(r.Context(), scopeOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, collectionsResponse{Collections: nonNil(cs)})
}

// documents answers GET /api/v1/documents?collection=&limit=&offset=&cursor=:
// a page of the documents in scope, newest first, with the cursor of the
// next page ("next", empty on the last). offset still works for a pager
// that jumps; cursor is the way to walk the list while documents arrive.
func (s *Server) documents(w http.ResponseWriter, r *http.Request) {
	limit, offset, err := pageOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.Documents.DocumentsPage(r.Context(), store.DocumentFilter{
		Scope:      scopeOf(r),
		Collection: r.URL.Query().Get("collection"),
		Limit:      limit,
		Offset:     offset,
		Cursor:     p.Cursor,
	})
	if err != nil {
		s.fail(w, r, cursorError(err, p.Cursor))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Total     int             `json:"total"`
		Documents []store.Summary `json:"documents"`
		Next      string          `json:"next"`
	}{l.Total, nonNil(l.Documents), l.Next})
}

// maxPageMentions bounds the mentions a document page carries; past it,
// mentions_next pages through the rest of the page's mentions
// (GET /api/v1/documents/{id}/mentions).
const maxPageMentions = 10_000

type documentResponse struct {
	// Document is the document with only the page's text in Text.
	Document mosaic.Document `json:"document"`
	// Page places that text in the whole: it starts at byte Page.Start.
	Page     store.TextPage  `json:"page"`
	Holdings []store.Holding `json:"holdings"`
	// Mentions are those that start in the page, with offsets in the
	// whole document: subtract Page.Start to index Document.Text. One may
	// run past the page's end.
	Mentions []mosaic.Mention `json:"mentions"`
	// MentionsNext, when set, is the cursor of the page's further mentions.
	MentionsNext string `json:"mentions_next,omitempty"`
}

// document answers GET /api/v1/documents/{id}?page=: one page of a
// document's text (the first by default) with its mentions.
func (s *Server) document(w http.ResponseWriter, r *http.Request) {
	id, err := docID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, err := intParam(r, "page", 0, maxOffset)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scope := scopeOf(r)
	doc, page, holdings, err := s.Documents.DocumentPage(r.Context(), id, scope, n)
	if err != nil {
		if errors.Is(err, store.ErrInvalid) {
			err = &paramError{"page", fmt.Sprintf("must be from 0 to %d: the document has %d pages", max(page.Pages-1, 0), page.Pages)}
		}
		s.fail(w, r, err)
		return
	}
	res := documentResponse{Document: doc, Page: page, Holdings: nonNil(holdings), Mentions: []mosaic.Mention{}}
	within := mosaic.Span{Start: page.Start, End: page.End}
	cursor := ""
	for {
		ms, next, err := s.Documents.MentionsPage(r.Context(), id, scope, within, store.Page{Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			s.fail(w, r, err)
			return
		}
		res.Mentions = append(res.Mentions, ms...)
		if next == "" {
			break
		}
		if len(res.Mentions) >= maxPageMentions {
			res.MentionsNext = next
			break
		}
		cursor = next
	}
	writeJSON(w, http.StatusOK, res)
}

// documentMentions answers
// GET /api/v1/documents/{id}/mentions?start=&end=&limit=&cursor=: a page
// of the document's mentions that start in [start, end) (the whole text
// by default), in offset order, with document offsets.
func (s *Server) documentMentions(w http.ResponseWriter, r *http.Request) {
	id, err := docID(r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	start, err := intParam(r, "start", 0, math.MaxInt32)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	end, err := intParam(r, "end", 0, math.MaxInt32)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var within mosaic.Span
	if r.URL.Query().Has("start") || r.URL.Query().Has("end") {
		if end == 0 {
			end = math.MaxInt32
		}
		if end <= start {
			s.fail(w, r, &paramError{"end", "must be after start"})
			return
		}
		within = mosaic.Span{Start: start, End: end}
	}
	ms, next, err := s.Documents.MentionsPage(r.Context(), id, scopeOf(r), within, p)
	if err != nil {
		s.fail(w, r, cursorError(err, p.Cursor))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Mentions []mosaic.Mention `json:"mentions"`
		Next     string           `json:"next"`
	}{nonNil(ms), next})
}

type searchResponse struct {
	// Query is the query as the parser read it, so the page can show what
	// was actually searched for.
	Query string `json:"query"`
	Total int    `json:"total"`
	// Ranked is how many of the matches come ranked by relevance: all of
	// them, or the 10,000 most recently stored, which come first, the
	// older ones following most recently stored first.
	Ranked int         `json:"ranked"`
	Hits   []store.Hit `json:"hits"`
}

func (s *Server) search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	switch {
	case strings.TrimSpace(q) == "":
		s.fail(w, r, &paramError{"q", "is empty: type something to search for"})
		return
	case len(q) > maxQuery:
		s.fail(w, r, &paramError{"q", "is longer than " + strconv.Itoa(maxQuery) + " bytes"})
		return
	}
	limit, offset, err := pageOf(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	query := search.Parse(q)
	if err := query.Check(); err != nil {
		s.fail(w, r, &paramError{"q", "has an " + err.Error()})
		return
	}
	res, err := s.Searcher.Search(r.Context(), store.SearchRequest{
		Query:  query,
		Scope:  scopeOf(r),
		Limit:  limit,
		Offset: offset,
	})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hits := nonNil(res.Hits)
	for i := range hits {
		hits[i].Collections = nonNil(hits[i].Collections)
		hits[i].Highlights = nonNil(hits[i].Highlights)
	}
	writeJSON(w, http.StatusOK, searchResponse{Query: query.String(), Total: res.Total, Ranked: res.Ranked, Hits: hits})
}

// noRoute answers every /api/v1/ request no route takes, in JSON like the
// rest of the API. Every endpoint is read-only, so any method but GET is the
// wrong one.
func (s *Server) noRoute(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		writeJSON(w, http.StatusMethodNotAllowed, errorBody{Error: "method " + r.Method + " not allowed: the API is read-only"})
		return
	}
	writeJSON(w, http.StatusNotFound, errorBody{Error: "no such endpoint: " + r.URL.Path})
}

// pageOf reads limit and offset. An absent limit leaves the store's default.
func pageOf(r *http.Request) (limit, offset int, err error) {
	if limit, err = intParam(r, "limit", 1, maxLimit); err != nil {
		return 0, 0, err
	}
	if offset, err = intParam(r, "offset", 0, maxOffset); err != nil {
		return 0, 0, err
	}
	return limit, offset, nil
}

// intParam reads a whole-number query parameter in [lo, hi]; absent or
// empty, it is 0.
func intParam(r *http.Request, name string, lo, hi int) (int, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		return 0, &paramError{name, "must be a whole number from " + strconv.Itoa(lo) + " to " + strconv.Itoa(hi)}
	}
	return n, nil
}

// docID accepts only the canonical form of a DocID: 64 lower-case hex digits.
func docID(s string) (mosaic.DocID, error) {
	bad := len(s) != 64
	for i := 0; i < len(s) && !bad; i++ {
		c := s[i]
		bad = !('0' <= c && c <= '9' || 'a' <= c && c <= 'f')
	}
	if bad {
		return "", &paramError{"id", "must be 64 lower-case hex digits"}
	}
	return mosaic.DocID(s), nil
}

// nonNil makes an empty list encode as [] rather than null, so clients need
// not tell the two apart.
func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
