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

// EntityProfiles reads what the documents in a scope say about an entity.
type EntityProfiles interface {
	Entity(ctx context.Context, id mosaic.EntityID, scope store.Scope) (store.EntityProfile, error)
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
	// Score and Match are the name comparison with the best of its names.
	Score float64 `json:"score"`
	Match bool    `json:"match"`
	// Matched is the entity's visible name that compared best (its own
	// name when the best one is held outside the caller's scope).
	Matched string `json:"matched"`
}

func (s *Server) findEntities(w http.ResponseWriter, r *http.Request) {
	if s.EntityFinder == nil || s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	name := strings.TrimSpace(r.URL.Query().Get("name"))
	switch {
	case name == "":
		s.fail(w, r, &paramError{"name", "is empty: give a name to look for"})
		return
	case len(name) > maxQuery:
		s.fail(w, r, &paramError{"name", "is longer than " + strconv.Itoa(maxQuery) + " bytes"})
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
	scope := scopeOf(r)
	out := []foundEntity{}
	// The finder's index holds every collection's names; an entity no
	// document in scope names is left out, so its existence is not shown.
	// Candidates outside the scope are dropped, so ask for more than shown.
	cands, err := s.EntityFinder.Find(r.Context(), name, 4*limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, c := range cands {
		if len(out) == limit {
			break
		}
		p, err := s.Entities.Entity(r.Context(), mosaic.EntityID(c.ID), scope)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			s.fail(w, r, err)
			return
		}
		// Matched must be a spelling the scope sees, not the index's.
		matched := p.Name
		for _, n := range p.Names {
			if strings.EqualFold(n.Name, c.Name.Raw) {
				matched = n.Name
			}
		}
		// Named as its profile heads it.
		e := p.Entity
		e.Name = entity.Heading(p)
		out = append(out, foundEntity{Entity: e, Score: c.Comparison.Score, Match: c.Comparison.Match, Matched: matched})
	}
	writeJSON(w, http.StatusOK, struct {
		Entities []foundEntity `json:"entities"`
	}{out})
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
