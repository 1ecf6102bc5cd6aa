package web

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/graph"
	"mosaic/internal/network"
	"mosaic/internal/store"
)

// Corpus is what the network endpoints read: relations, documents to quote
// the evidence and find lone-actor claims in, the flags analysts set, and
// the generation that tells a cached network is stale.
type Corpus interface {
	store.Relations
	network.Corpus
	Flagged(ctx context.Context, agency string) ([]mosaic.EntityID, error)
	EntityGeneration(ctx context.Context) (int64, error)
}

// buildNetwork returns the caller's network: relations stated by documents
// in scope that pass the filter in the query parameters type, collection,
// agency, since, until and cooccurrence=1, and whether it is stale: the
// last one built, while a newer one is (networkCache.get).
func (s *Server) buildNetwork(r *http.Request) (*network.Network, store.Scope, bool, error) {
	p := r.URL.Query()
	q := network.Query{Types: p.Get("type"), Collections: p.Get("collection"), Agencies: p.Get("agency"),
		Since: p.Get("since"), Until: p.Get("until"), CoOccurrence: p.Get("cooccurrence") == "1"}
	opts, err := q.Options()
	var qe *network.QueryError
	if errors.As(err, &qe) {
		return nil, store.Scope{}, false, &paramError{qe.Field, fmt.Sprintf("%q: %s", qe.Value, qe.Reason)}
	}
	scope := narrowScope(r, opts.Filter.Scope.Collections)
	opts.Filter.Scope = scope
	// The agency is in the key: its merges shape the network, and one
	// agency's network must never be served to another.
	key := q.Key() + "|" + strings.Join(scope.Collections, ",") + "|" + strconv.FormatBool(scope.Collections == nil) + "|" + strconv.Quote(scope.Agency)
	n, stale, err := s.networks.get(r.Context(), s.Corpus, key, opts)
	return n, scope, stale, err
}

// staleHeader marks a network answer from the last network built, while
// the documents or judgements since are being built into a new one.
const staleHeader = "Mosaic-Network-Stale"

// narrowScope is the caller's scope narrowed to the collections named, if
// any: a caller sees at most its scope, whatever it names.
func narrowScope(r *http.Request, collections []string) store.Scope {
	scope := scopeOf(r)
	if collections == nil {
		return scope
	}
	narrowed := []string{}
	for _, c := range collections {
		if scope.Allows(c) {
			narrowed = append(narrowed, c)
		}
	}
	return store.Scope{Collections: narrowed, Agency: scope.Agency}
}

// entityParam reads a positive entity id from a query parameter.
func entityParam(r *http.Request, name string) (mosaic.EntityID, error) {
	id, err := strconv.ParseInt(r.URL.Query().Get(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &paramError{name, "must be a positive entity id"}
	}
	return mosaic.EntityID(id), nil
}

// networkFor reads the entities of the named parameters (or the path's
// {id} for "id"), builds the caller's network and checks that the caller
// may see each entity.
func (s *Server) networkFor(w http.ResponseWriter, r *http.Request, params ...string) (*network.Network, store.Scope, []mosaic.EntityID, bool) {
	if s.Corpus == nil {
		s.noRoute(w, r)
		return nil, store.Scope{}, nil, false
	}
	var ids []mosaic.EntityID
	for _, name := range params {
		var id mosaic.EntityID
		var err error
		if name == "id" {
			id, err = entityID(r)
		} else {
			id, err = entityParam(r, name)
		}
		if err != nil {
			s.fail(w, r, err)
			return nil, store.Scope{}, nil, false
		}
		ids = append(ids, id)
	}
	n, scope, stale, err := s.buildNetwork(r)
	if err != nil {
		s.fail(w, r, err)
		return nil, scope, nil, false
	}
	if stale {
		w.Header().Set(staleHeader, "building")
	}
	for _, id := range ids {
		// The network is built from the documents in scope alone, so an
		// entity in it is one the scope names; only one outside it needs
		// the store to tell an entity the scope names without links from
		// one it must not see (a profile read: 36 ms at 100,000
		// documents, most of a 2-hop request's time).
		if _, ok := n.Node(id); ok {
			continue
		}
		if _, err := s.Corpus.Entity(r.Context(), id, scope); err != nil {
			s.fail(w, r, err)
			return nil, scope, nil, false
		}
	}
	return n, scope, ids, true
}

// path answers GET /api/v1/path?from=&to=&k=&hops=: the k shortest
// evidence paths, each hop quoted, and the direct edge if any (which may
// hold only negated evidence).
func (s *Server) path(w http.ResponseWriter, r *http.Request) {
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
	n, scope, ids, ok := s.networkFor(w, r, "from", "to")
	if !ok {
		return
	}
	from, to := ids[0], ids[1]
	paths := n.Paths(from, to, cmp.Or(k, 3), cmp.Or(hops, 6))
	if err := network.QuotePaths(r.Context(), s.Corpus, scope, paths...); err != nil {
		s.fail(w, r, err)
		return
	}
	if err := network.MarkWeakTies(r.Context(), s.Corpus, scope, paths...); err != nil {
		s.fail(w, r, err)
		return
	}
	direct, err := s.quoted(r, n, scope, from, to)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	names := n.Names(paths, from, to)
	writeJSON(w, http.StatusOK, struct {
		Names  map[mosaic.EntityID]string             `json:"names"`
		Kinds  map[mosaic.EntityID]mosaic.MentionType `json:"kinds"`
		Paths  []network.Path                         `json:"paths"`
		Direct *network.Edge                          `json:"direct"`
	}{names, kindsOf(n, names), nonNil(paths), direct})
}

// kindsOf gives the kinds of the entities named, so that a page can show
// them without reading each one's profile.
func kindsOf(n *network.Network, names map[mosaic.EntityID]string) map[mosaic.EntityID]mosaic.MentionType {
	kinds := make(map[mosaic.EntityID]mosaic.MentionType, len(names))
	for id := range names {
		kinds[id] = n.Kind(id)
	}
	return kinds
}

// quoted returns the edge between two entities with its evidence quoted,
// or nil.
func (s *Server) quoted(r *http.Request, n *network.Network, scope store.Scope, a, b mosaic.EntityID) (*network.Edge, error) {
	e := n.Edge(a, b)
	if e == nil {
		return nil, nil
	}
	return e, network.Quote(r.Context(), s.Corpus, scope, e)
}

// edge answers GET /api/v1/edge?a=&b=: everything the documents say links
// two entities, every sentence quoted. 404 when nothing does.
func (s *Server) edge(w http.ResponseWriter, r *http.Request) {
	n, scope, ids, ok := s.networkFor(w, r, "a", "b")
	if !ok {
		return
	}
	e, err := s.quoted(r, n, scope, ids[0], ids[1])
	if err == nil && e == nil {
		err = fmt.Errorf("no document in scope links entities %d and %d: %w", ids[0], ids[1], store.ErrNotFound)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		A     mosaic.EntityID `json:"a"`
		B     mosaic.EntityID `json:"b"`
		NameA string          `json:"name_a"`
		NameB string          `json:"name_b"`
		*network.Edge
	}{e.A, e.B, n.Name(e.A), n.Name(e.B), e})
}

// neighbours answers GET /api/v1/entities/{id}/neighbours?hops=.
func (s *Server) neighbours(w http.ResponseWriter, r *http.Request) {
	hops, err := intParam(r, "hops", 1, 4)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, _, ids, ok := s.networkFor(w, r, "id")
	if !ok {
		return
	}
	found, complete := n.Neighbours(ids[0], cmp.Or(hops, 1), 500)
	type reached struct {
		network.Reached
		Name string             `json:"name"`
		Kind mosaic.MentionType `json:"kind"`
	}
	out := make([]reached, len(found))
	for i, f := range found {
		out[i] = reached{f, n.Name(f.Entity), n.Kind(f.Entity)}
	}
	writeJSON(w, http.StatusOK, struct {
		Neighbours []reached `json:"neighbours"`
		Complete   bool      `json:"complete"`
	}{out, complete})
}

// ego answers GET /api/v1/entities/{id}/ego?hops=&limit=: the entities
// around one and every edge among them, for drawing its network.
func (s *Server) ego(w http.ResponseWriter, r *http.Request) {
	hops, err := intParam(r, "hops", 1, 3)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := intParam(r, "limit", 1, 1000)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, _, ids, ok := s.networkFor(w, r, "id")
	if !ok {
		return
	}
	writeJSON(w, http.StatusOK, n.Ego(ids[0], cmp.Or(hops, 1), cmp.Or(limit, 200)))
}

// analyseParams reads the options of an analysis: top, samples, seed and
// resolution.
func analyseParams(r *http.Request) (graph.AnalyseOptions, error) {
	top, err := intParam(r, "top", 1, 1000)
	if err != nil {
		return graph.AnalyseOptions{}, err
	}
	samples, err := intParam(r, "samples", 1, 10000)
	if err != nil {
		return graph.AnalyseOptions{}, err
	}
	opts := graph.AnalyseOptions{Top: cmp.Or(top, 20), Samples: samples, Seed: 1, Resolution: 1}
	if v := r.URL.Query().Get("resolution"); v != "" {
		res, err := strconv.ParseFloat(v, 64)
		if err != nil || !(res > 0 && res <= 100) {
			return opts, &paramError{"resolution", "must be a number above 0, at most 100"}
		}
		opts.Resolution = res
	}
	return opts, nil
}

// networkAnalysis answers GET /api/v1/network: the communities (cells)
// and central figures of the caller's evidence network, under the same
// filters as the other network endpoints.
func (s *Server) networkAnalysis(w http.ResponseWriter, r *http.Request) {
	opts, err := analyseParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, _, _, ok := s.networkFor(w, r)
	if !ok {
		return
	}
	start := time.Now()
	g, label := n.Linked()
	s.writeAnalysis(w, r, opts, "evidence network", g, time.Since(start), label, n)
}

// writeAnalysis analyses g and answers with the report; for the graph of
// an evidence network n (nil for an edge list) it adds the rankings of each
// kind of entity (Network.ByKind).
func (s *Server) writeAnalysis(w http.ResponseWriter, r *http.Request, opts graph.AnalyseOptions, source string,
	g *graph.Graph, read time.Duration, label func(v int32) graph.Label, n *network.Network) {
	a, err := graph.Analyse(r.Context(), g, opts)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	rep := a.Report(source, read, label)
	if n == nil {
		writeJSON(w, http.StatusOK, rep)
		return
	}
	writeJSON(w, http.StatusOK, network.Report{Report: rep, ByKind: n.ByKind(a, label, opts.Top)})
}

// DefaultMaxAnalyzeBytes bounds the edge list POST /api/v1/analyze reads
// when the Server sets no MaxAnalyzeBytes: about 150,000 edges of short
// labels, analysed in a few seconds. (A 19 MB list cost 19 s of CPU.)
const DefaultMaxAnalyzeBytes = 4 << 20

// analyze answers POST /api/v1/analyze with a TSV edge list as the body,
// one source<TAB>target[<TAB>weight] line per edge, as mosaic analyze
// --edges reads it.
func (s *Server) analyze(w http.ResponseWriter, r *http.Request) {
	opts, err := analyseParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	start := time.Now()
	limit := s.MaxAnalyzeBytes
	if limit <= 0 {
		limit = DefaultMaxAnalyzeBytes
	}
	g, labels, err := graph.ReadEdgeList(http.MaxBytesReader(w, r.Body, limit), "body")
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		s.fail(w, r, &tooLargeError{limit})
		return
	}
	if err != nil {
		s.fail(w, r, &bodyError{err})
		return
	}
	s.writeAnalysis(w, r, opts, "body", g, time.Since(start), func(v int32) graph.Label { return graph.Label{Node: labels[v]} }, nil)
}

// loneActors answers GET /api/v1/lone-actors: the people the documents in
// scope call lone actors, and those analysts flagged, each with the
// shortest evidence path to a known group if there is one.
func (s *Server) loneActors(w http.ResponseWriter, r *http.Request) {
	hops, err := intParam(r, "hops", 1, 8)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	n, scope, _, ok := s.networkFor(w, r)
	if !ok {
		return
	}
	flagged, err := s.Corpus.Flagged(r.Context(), scopeOf(r).Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	las, err := network.LoneActors(r.Context(), s.Corpus, n, scope, flagged, cmp.Or(hops, 4))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var paths []network.Path
	for _, la := range las {
		if la.Path != nil {
			paths = append(paths, *la.Path)
		}
	}
	if err := network.QuotePaths(r.Context(), s.Corpus, scope, paths...); err != nil {
		s.fail(w, r, err)
		return
	}
	names := n.Names(paths)
	writeJSON(w, http.StatusOK, struct {
		LoneActors []network.LoneActor                    `json:"lone_actors"`
		Names      map[mosaic.EntityID]string             `json:"names"`
		Kinds      map[mosaic.EntityID]mosaic.MentionType `json:"kinds"`
	}{nonNil(las), names, kindsOf(n, names)})
}
