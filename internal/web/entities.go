package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// EntityProfiles reads what the documents in a scope say about an entity,
// a page at a time.
type EntityProfiles interface {
	Entity(ctx context.Context, id mosaic.EntityID, scope store.Scope) (store.EntityProfile, error)
	EntitySpellings(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) (mosaic.Entity, []store.EntityName, string, error)
	EntityNameCounts(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) (mosaic.Entity, []store.EntityName, string, error)
	SpellingDocuments(ctx context.Context, id mosaic.EntityID, name string, scope store.Scope, p store.Page) ([]store.DocumentRef, string, error)
	EntityConnections(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) ([]store.Connection, string, error)
	EntityTimeline(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) ([]store.DocumentRef, string, error)
	MentionsByDay(ctx context.Context, id mosaic.EntityID, scope store.Scope) ([]store.DayCount, error)
}

// EntityFinder finds the entities whose names match a name, best first,
// and proposes entities that may be the same as another (entity.Finder).
type EntityFinder interface {
	Find(ctx context.Context, name string, limit int) ([]entity.Candidate, error)
	Proposals(ctx context.Context, id mosaic.EntityID, scope store.Scope, limit int) ([]entity.Proposal, error)
}

// foundEntity is one entity matching a name.
type foundEntity struct {
	mosaic.Entity
	// Score and Match are the name comparison with the best of its names
	// that the caller's scope holds.
	Score float64 `json:"score"`
	Match bool    `json:"match"`
	// Matched is the entity's name, as a document in the caller's scope
	// spells it, that compared best.
	Matched string `json:"matched"`
}

// maxCandidates is how many of the finder's candidates a name look-up
// pages through: the finder compares at most a few hundred names anyway.
const maxCandidates = 400

// findEntities answers GET /api/v1/entities?name=&limit=&cursor=: the
// entities named like name, best first, a page at a time.
func (s *Server) findEntities(w http.ResponseWriter, r *http.Request) {
	if s.EntityFinder == nil || s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	name, err := nameParam(r, "give a name to look for")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := intParam(r, "limit", 1, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if limit == 0 {
		limit = 10
	}
	var after *finderCursor
	if c := r.URL.Query().Get("cursor"); c != "" {
		fc, err := parseFinderCursor(c)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		after = &fc
	}
	scope := scopeOf(r)
	out := []foundEntity{}
	// The finder's index holds every agency's spellings. A candidate is
	// kept only if a document in scope uses its spelling: then its score,
	// computed against that spelling, is one the caller could have got
	// from their own material, and a name found only in another agency's
	// documents answers as a made-up one does. An entity's best visible
	// spelling comes first, as candidates come best first.
	cands, err := s.EntityFinder.Find(r.Context(), name, maxCandidates)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	cands = resumeAfter(cands, after)
	next := ""
	seen := map[int64]bool{}
	for _, c := range cands {
		if seen[c.ID] {
			continue
		}
		ok, err := entity.SpelledIn(r.Context(), s.Entities, mosaic.EntityID(c.ID), c.Name.Raw, scope)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !ok {
			continue // another of its spellings may be visible
		}
		seen[c.ID] = true
		// Only a visible candidate makes a next page, so that a cursor
		// does not tell of one the caller cannot see.
		if len(out) == limit {
			last := out[len(out)-1]
			next = finderCursor{Score: last.Score, ID: int64(last.ID)}.String()
			break
		}
		// Only the names' counts matter here, and only those in scope: the
		// first page of them, not their documents nor the whole profile.
		e, names, _, err := s.Entities.EntityNameCounts(r.Context(), mosaic.EntityID(c.ID), scope, store.Page{})
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// Named as its profile heads it.
		e.Name = entity.Heading(store.EntityProfile{Entity: e, Names: names})
		out = append(out, foundEntity{Entity: e, Score: c.Comparison.Score, Match: c.Comparison.Match, Matched: c.Name.Raw})
	}
	writeJSON(w, http.StatusOK, struct {
		Entities []foundEntity `json:"entities"`
		Next     string        `json:"next"`
	}{out, next})
}

// resumeAfter returns the candidates after the one a cursor names, in the
// finder's order. If that one is no longer found (the index changed
// between pages), the page resumes at the first candidate scoring lower.
func resumeAfter(cands []entity.Candidate, after *finderCursor) []entity.Candidate {
	if after == nil {
		return cands
	}
	for i, c := range cands {
		if c.ID == after.ID && c.Comparison.Score == after.Score {
			return cands[i+1:]
		}
	}
	for i, c := range cands {
		if c.Comparison.Score < after.Score {
			return cands[i:]
		}
	}
	return nil
}

func (s *Server) entity(w http.ResponseWriter, r *http.Request) {
	if s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	id, err := entityID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := s.Entities.Entity(r.Context(), id, scopeOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p.Names, p.Collections, p.Connections, p.Timeline = nonNil(p.Names), nonNil(p.Collections), nonNil(p.Connections), nonNil(p.Timeline)
	for i := range p.Names {
		p.Names[i].Documents = nonNil(p.Names[i].Documents)
	}
	// Headed by its fullest legal-looking name, not the kunya it was
	// first met under.
	p.Name = entity.Heading(p)
	writeJSON(w, http.StatusOK, p)
}

// entityID reads the {id} of an entity route.
func entityID(r *http.Request) (mosaic.EntityID, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &paramError{"id", "must be a positive whole number"}
	}
	return mosaic.EntityID(id), nil
}

// entityNames answers GET /api/v1/entities/{id}/names?limit=&cursor=: a
// page of the entity's names, each with its first documents.
func (s *Server) entityNames(w http.ResponseWriter, r *http.Request) {
	s.entityPage(w, r, "names", func(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) (any, string, error) {
		_, names, next, err := s.Entities.EntitySpellings(ctx, id, scope, p)
		return nonNil(names), next, err
	})
}

// nameParam reads the name parameter, refusing an empty one (saying what
// to give instead) or one longer than maxQuery.
func nameParam(r *http.Request, give string) (string, error) {
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	switch {
	case name == "":
		return "", &paramError{"name", "is empty: " + give}
	case len(name) > maxQuery:
		return "", &paramError{"name", "is longer than " + strconv.Itoa(maxQuery) + " bytes"}
	}
	return name, nil
}

// nameDocuments answers GET /api/v1/entities/{id}/documents?name=&limit=&cursor=:
// a page of the documents that call the entity name.
func (s *Server) nameDocuments(w http.ResponseWriter, r *http.Request) {
	name, err := nameParam(r, "give one of the entity's names")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	s.entityPage(w, r, "documents", func(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) (any, string, error) {
		docs, next, err := s.Entities.SpellingDocuments(ctx, id, name, scope, p)
		return nonNil(docs), next, err
	})
}

// entityConnections answers GET /api/v1/entities/{id}/connections?limit=&cursor=.
func (s *Server) entityConnections(w http.ResponseWriter, r *http.Request) {
	s.entityPage(w, r, "connections", func(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) (any, string, error) {
		cs, next, err := s.Entities.EntityConnections(ctx, id, scope, p)
		return nonNil(cs), next, err
	})
}

// entityTimeline answers GET /api/v1/entities/{id}/timeline?limit=&cursor=.
func (s *Server) entityTimeline(w http.ResponseWriter, r *http.Request) {
	s.entityPage(w, r, "timeline", func(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) (any, string, error) {
		ds, next, err := s.Entities.EntityTimeline(ctx, id, scope, p)
		return nonNil(ds), next, err
	})
}

// entityPage answers with one page of a list of an entity's profile, as
// {key: [...], "next": cursor}; next is empty on the last page. An entity
// no document in scope names is not found, whatever the list.
func (s *Server) entityPage(w http.ResponseWriter, r *http.Request, key string,
	read func(context.Context, mosaic.EntityID, store.Scope, store.Page) (any, string, error)) {
	if s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	id, err := entityID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if err := s.visible(r, id); err != nil {
		s.fail(w, r, err)
		return
	}
	items, next, err := read(r.Context(), id, scopeOf(r), p)
	if err != nil {
		s.fail(w, r, cursorError(err, p.Cursor))
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{key: items, "next": next})
}
