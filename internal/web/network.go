package web

import (
	"net/http"
	"strconv"

	"mosaic"
	"mosaic/internal/network"
	"mosaic/internal/store"
)

// Corpus is what the network endpoints read: relations, and documents to
// quote the evidence and find lone-actor claims in.
type Corpus interface {
	store.Relations
	network.Corpus
}

// buildNetwork builds the caller's network: only relations stated by
// documents in scope. Co-occurrence is followed when ?cooccurrence=1.
func (s *Server) buildNetwork(r *http.Request) (*network.Network, store.Scope, error) {
	scope := scopeOf(r)
	n, err := network.Build(r.Context(), s.Corpus, network.Options{
		Filter:       store.RelationFilter{Scope: scope},
		CoOccurrence: r.URL.Query().Get("cooccurrence") == "1",
	})
	return n, scope, err
}

// entityParam reads a positive entity id from a query parameter.
func entityParam(r *http.Request, name string) (mosaic.EntityID, error) {
	id, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &paramError{name, "must be a positive entity id"}
	}
	return mosaic.EntityID(id), nil
}

// path answers GET /api/v1/path?from=&to=&k=&hops=.
func (s *Server) path(w http.ResponseWriter, r *http.Request) {
	if s.Corpus == nil {
		s.noRoute(w, r)
		return
	}
	from, err := entityParam(r, "from")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	to, err := entityParam(r, "to")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	k, err := intParam(r, "k", 1, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hops, err := intParam(r, "hops", 1, 10)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, scope, err := s.buildNetwork(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, id := range []mosaic.EntityID{from, to} {
		if _, err := s.Corpus.Entity(r.Context(), id, scope); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	if k == 0 {
		k = 3
	}
	if hops == 0 {
		hops = 6
	}
	paths := n.Paths(from, to, k, hops)
	if err := network.QuotePaths(r.Context(), s.Corpus, scope, paths...); err != nil {
		s.fail(w, r, err)
		return
	}
	direct := n.Edge(from, to)
	if direct != nil {
		if err := network.Quote(r.Context(), s.Corpus, scope, direct); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Paths  []network.Path `json:"paths"`
		Direct *network.Edge  `json:"direct"`
	}{nonNil(paths), direct})
}

// neighbours answers GET /api/v1/entities/{id}/neighbours?hops=.
func (s *Server) neighbours(w http.ResponseWriter, r *http.Request) {
	if s.Corpus == nil {
		s.noRoute(w, r)
		return
	}
	id, err := entityID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hops, err := intParam(r, "hops", 1, 4)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, scope, err := s.buildNetwork(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if _, err := s.Corpus.Entity(r.Context(), id, scope); err != nil {
		s.fail(w, r, err)
		return
	}
	if hops == 0 {
		hops = 1
	}
	found, complete := n.Neighbours(id, hops, 500)
	writeJSON(w, http.StatusOK, struct {
		Neighbours []network.Reached `json:"neighbours"`
		Complete   bool              `json:"complete"`
	}{nonNil(found), complete})
}

// loneActors answers GET /api/v1/lone-actors.
func (s *Server) loneActors(w http.ResponseWriter, r *http.Request) {
	if s.Corpus == nil {
		s.noRoute(w, r)
		return
	}
	n, scope, err := s.buildNetwork(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	las, err := network.LoneActors(r.Context(), s.Corpus, n, scope, nil, 4)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, la := range las {
		if la.Path != nil {
			if err := network.QuotePaths(r.Context(), s.Corpus, scope, *la.Path); err != nil {
				s.fail(w, r, err)
				return
			}
		}
	}
	writeJSON(w, http.StatusOK, struct {
		LoneActors []network.LoneActor `json:"lone_actors"`
	}{nonNil(las)})
}
