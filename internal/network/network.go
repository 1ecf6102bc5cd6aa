// Package network is the evidence-backed network of entities: every edge
// between two entities is made of the relations documents state between
// their mentions, and keeps each one's document and sentence, so a path
// between a "lone actor" and an organiser comes with the sentences that
// prove each hop. It reads relations through store.Relations and runs the
// graph algorithms of package graph on a compact adjacency.
package network

import (
	"cmp"
	"context"
	"fmt"
	"iter"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/graph"
	"mosaic/internal/store"
)

// Evidence is one relation a document states, supporting an edge.
type Evidence struct {
	Type    mosaic.RelationType `json:"type"`
	Negated bool                `json:"negated,omitempty"`
	Hedged  bool                `json:"hedged,omitempty"`
	Cue     string              `json:"cue,omitempty"`
	// Confidence is how likely the relation is to be right
	// (mosaic.Relation.Confidence).
	Confidence float64 `json:"confidence"`
	// From and To are the entities in the relation's direction, with the
	// mentions as written.
	From     mosaic.EntityID `json:"from"`
	To       mosaic.EntityID `json:"to"`
	FromText string          `json:"from_text"`
	ToText   string          `json:"to_text"`
	Doc      mosaic.DocID    `json:"doc"`
	Title    string          `json:"title"`
	Date     time.Time       `json:"date,omitzero"`
	// Sentence is the byte span of the evidence sentence; Text is the
	// sentence itself, filled in by Quote.
	Sentence    mosaic.Span `json:"sentence"`
	Text        string      `json:"text,omitempty"`
	Collections []string    `json:"collections"`
	// Weak lists the ends whose tie to their entity rests on a weak name
	// joined on context evidence (see MarkWeakTies), filled in on request.
	Weak []WeakTie `json:"weak,omitempty"`
}

// strengthOf classes a piece of evidence, strongest first: a typed
// relation (0), a hedged one (1), a co-occurrence (2), a negated one (3).
// It orders an edge's evidence, and weighs it.
func strengthOf(typ mosaic.RelationType, negated, hedged bool) int {
	switch {
	case negated:
		return 3
	case typ == mosaic.CoOccur:
		return 2
	case hedged:
		return 1
	}
	return 0
}

// weights are what one piece of evidence adds to an edge, by strength: a
// typed relation counts fully, a hedged one half, a co-occurrence a
// quarter, and a negated one nothing ("was not in touch with" is evidence
// against a link).
var weights = [4]float64{1, 0.5, 0.25, 0}

// weight is what the piece of evidence adds to its edge.
func (e Evidence) weight() float64 { return weights[strengthOf(e.Type, e.Negated, e.Hedged)] }

// Edge is everything the documents say links two entities.
type Edge struct {
	// A and B are the two entities, A < B; the direction of each relation
	// is in its evidence.
	A, B mosaic.EntityID `json:"-"`
	// Types lists the relation types among the evidence, typed first.
	Types []mosaic.RelationType `json:"types"`
	// Weight sums the evidence's weights; zero when every piece is negated.
	Weight float64 `json:"weight"`
	// First and Last are the dates of the earliest and latest dated
	// documents among the evidence.
	First    time.Time  `json:"first,omitzero"`
	Last     time.Time  `json:"last,omitzero"`
	Evidence []Evidence `json:"evidence"`
}

// Positive reports whether the edge links its entities: some evidence is
// not negated.
func (e *Edge) Positive() bool { return e.Weight > 0 }

// Typed reports whether some evidence that is not negated is a typed
// relation, not only a co-occurrence.
func (e *Edge) Typed() bool { return slices.ContainsFunc(e.Evidence, Evidence.typed) }

// typed reports whether a piece of evidence is a typed relation that is
// not negated.
func (e Evidence) typed() bool { return !e.Negated && e.Type != mosaic.CoOccur }

// Options choose what the network is built from.
type Options struct {
	Filter store.RelationFilter
	// CoOccurrence lets paths, neighbourhoods and algorithms follow edges
	// whose only evidence is co-occurrence in a sentence. Such edges are
	// kept either way, so Edge reports them.
	CoOccurrence bool
}

// Network is the entity network of one filter. It is read-only once built
// and safe for concurrent use.
type Network struct {
	ids   []mosaic.EntityID
	kinds []mosaic.MentionType // of ids
	node  map[mosaic.EntityID]int32
	edges map[[2]int32]*link
	// types, strs and docs are the relation types, strings and documents
	// the evidence refers to by index (see evidence); docs are in date
	// order, then by id.
	types []mosaic.RelationType
	strs  []string
	docs  []docRef
	// spellings counts how often the evidence writes each entity each way.
	spellings []map[string]int
	// g holds the edges searches may follow: positive ones, and typed ones
	// unless Options.CoOccurrence.
	g *graph.Graph
	// place marks the nodes that are places (see waypoint).
	place []bool
	// groups and groupOf are the known groups and their members, and each
	// member's group, worked out on Attribute's first call: a read of a
	// thousand attacks walks the edges once, not once per attacker.
	groupsOnce sync.Once
	groups     map[mosaic.EntityID]bool
	groupOf    map[mosaic.EntityID]mosaic.EntityID
}

// link is an edge as the network keeps it: what Edge reports of it, with
// the evidence encoded. Edge and the paths hand out copies made by edgeOf.
type link struct {
	// a and b are the nodes it joins, a < b.
	a, b   int32
	types  []mosaic.RelationType
	weight float64
	// typed is set when some positive evidence is a typed relation; tie
	// when some is of a type that ties people (see tieTypes).
	typed, tie  bool
	first, last time.Time
	// ev holds the count pieces of evidence, as pieceCoder writes them;
	// coder is the writer's state while the network is built.
	ev    []byte
	count int
	coder pieceCoder
}

// docRef is a document that evidence cites.
type docRef struct {
	id          mosaic.DocID
	title       string
	date        time.Time
	collections []string
}

// piece returns x, a piece of l's evidence, as Evidence.
func (n *Network) piece(l *link, x evidence) Evidence {
	d := &n.docs[x.doc]
	ev := Evidence{Type: n.types[x.typ], Negated: x.flags&negated != 0, Hedged: x.flags&hedged != 0,
		Cue: n.strs[x.cue], Confidence: x.confidence, FromText: n.strs[x.fromText], ToText: n.strs[x.toText],
		Doc: d.id, Title: d.title, Date: d.date, Sentence: mosaic.Span{Start: int(x.start), End: int(x.end)},
		Collections: d.collections, From: n.ids[l.a], To: n.ids[l.b]}
	if x.flags&reversed != 0 {
		ev.From, ev.To = ev.To, ev.From
	}
	return ev
}

// evidence returns the pieces of a link's evidence as Evidence, strongest
// first.
func (n *Network) evidence(l *link) iter.Seq[Evidence] {
	return func(yield func(Evidence) bool) {
		for x := range l.pieces() {
			if !yield(n.piece(l, x)) {
				return
			}
		}
	}
}

// edgeOf returns a link as an Edge of its own, which a caller may quote
// or mark without touching the network that requests share.
func (n *Network) edgeOf(l *link) *Edge {
	e := &Edge{A: n.ids[l.a], B: n.ids[l.b], Types: slices.Clone(l.types), Weight: l.weight,
		First: l.first, Last: l.last, Evidence: make([]Evidence, 0, l.count)}
	for ev := range n.evidence(l) {
		e.Evidence = append(e.Evidence, ev)
	}
	return e
}

// waypoint reports whether searches may pass through node v: every entity
// but a place. A place is where things happen, not a link between the
// people found there: two men who live in one city, or a city in a
// country, connect no one. A place may still be where a search starts or
// ends.
func (n *Network) waypoint(v int32) bool { return len(n.place) == 0 || !n.place[v] }

// markPlaces sets n.place: the entities of kind LOCATION, but for those
// whose names read as a person's (entity.GuessKind), whom the tagger typed
// a place where it first met them and who must stay a waypoint.
func (n *Network) markPlaces() {
	n.place = make([]bool, len(n.ids))
	for v, k := range n.kinds {
		n.place[v] = k == mosaic.Location && entity.GuessKind(n.Name(n.ids[v])) != entity.Person
	}
}

// searcher returns a Searcher of the network's followable edges that
// passes through no place but the ends given.
func (n *Network) searcher(ends ...int32) *graph.Searcher {
	s := graph.NewSearcher(n.g)
	through := func(v int32) bool { return n.waypoint(v) || slices.Contains(ends, v) }
	s.Filter = func(u, v int32) bool { return through(u) && through(v) }
	return s
}

// Build reads the relations that pass the filter and builds the network.
func Build(ctx context.Context, st store.Relations, opts Options) (*Network, error) {
	n := &Network{node: map[mosaic.EntityID]int32{}, edges: map[[2]int32]*link{}}
	nodeOf := func(id mosaic.EntityID, kind mosaic.MentionType) int32 {
		v, ok := n.node[id]
		if !ok {
			v = int32(len(n.ids))
			n.node[id] = v
			n.ids = append(n.ids, id)
			n.kinds = append(n.kinds, kind)
			n.spellings = append(n.spellings, map[string]int{})
		}
		return v
	}
	// A document states tens of relations, and a name or a cue recurs in
	// thousands: each string and each document is kept once.
	str, typ := intern(&n.strs), intern(&n.types)
	docs := map[mosaic.DocID]int32{}
	colls := map[string][]string{}
	doc := func(r store.RelationRow) int32 {
		i, ok := docs[r.Doc]
		if !ok {
			k := strings.Join(r.Collections, "\x00")
			cs, ok := colls[k]
			if !ok {
				cs = r.Collections
				colls[k] = cs
			}
			i = int32(len(n.docs))
			docs[r.Doc] = i
			n.docs = append(n.docs, docRef{id: r.Doc, title: r.Title, date: r.Date, collections: cs})
		}
		return i
	}
	err := st.Relations(ctx, opts.Filter, func(r store.RelationRow) error {
		u, v := nodeOf(r.From, r.FromKind), nodeOf(r.To, r.ToKind)
		n.spellings[u][r.FromText]++
		n.spellings[v][r.ToText]++
		key := [2]int32{min(u, v), max(u, v)}
		l := n.edges[key]
		if l == nil {
			l = &link{a: key[0], b: key[1], coder: newPieceCoder()}
			n.edges[key] = l
		}
		x := evidence{confidence: r.Confidence, typ: typ(r.Type), cue: str(r.Cue), fromText: str(r.FromText),
			toText: str(r.ToText), doc: doc(r), start: int32(r.Sentence.Start), end: int32(r.Sentence.End)}
		if r.Negated {
			x.flags |= negated
		}
		if r.Hedged {
			x.flags |= hedged
		}
		if u != key[0] {
			x.flags |= reversed
		}
		l.add(x)
		kind := Evidence{Type: r.Type, Negated: r.Negated, Hedged: r.Hedged}
		l.weight += kind.weight()
		l.typed = l.typed || kind.typed()
		l.tie = l.tie || !r.Negated && slices.Contains(tieTypes, r.Type)
		if !slices.Contains(l.types, r.Type) {
			l.types = append(l.types, r.Type)
		}
		if !r.Date.IsZero() {
			if l.first.IsZero() || r.Date.Before(l.first) {
				l.first = r.Date
			}
			if r.Date.After(l.last) {
				l.last = r.Date
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("build network: %w", err)
	}
	// The documents in date order, then by id, so that a link's evidence
	// in that order reads them in increasing numbers.
	order := make([]int32, len(n.docs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		a, b := &n.docs[i], &n.docs[j]
		return cmp.Or(a.date.Compare(b.date), cmp.Compare(a.id, b.id))
	})
	renumber := make([]int32, len(order))
	sorted := make([]docRef, len(order))
	for to, from := range order {
		renumber[from] = int32(to)
		sorted[to] = n.docs[from]
	}
	n.docs = sorted
	var scratch []evidence
	b := graph.NewBuilder(len(n.ids))
	for key, l := range n.edges {
		scratch = n.settle(l, renumber, scratch)
		if l.weight > 0 && (opts.CoOccurrence || l.typed) {
			b.AddEdge(key[0], key[1], l.weight)
		}
	}
	n.g = b.Build()
	n.markPlaces()
	return n, nil
}

// intern returns a function that gives each value its index in *table,
// appending the values it has not seen.
func intern[T comparable](table *[]T) func(T) int32 {
	index := map[T]int32{}
	return func(v T) int32 {
		i, ok := index[v]
		if !ok {
			i = int32(len(*table))
			index[v] = i
			*table = append(*table, v)
		}
		return i
	}
}

// b2i is 1 for true, 0 for false.
func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Entities returns how many entities take part in some relation.
func (n *Network) Entities() int { return len(n.ids) }

// Edges returns how many entity pairs have evidence, followable or not.
func (n *Network) Edges() int { return len(n.edges) }

// Graph returns the followable edges as a graph whose node v is
// Entity(v), for the algorithms of package graph.
func (n *Network) Graph() *graph.Graph { return n.g }

// Entity returns the entity of graph node v.
func (n *Network) Entity(v int32) mosaic.EntityID { return n.ids[v] }

// Node returns the graph node of an entity, if it takes part in the
// network.
func (n *Network) Node(id mosaic.EntityID) (int32, bool) {
	v, ok := n.node[id]
	return v, ok
}

// Name returns how the evidence in the network mostly writes an entity,
// preferring names that look like legal ones (entity.HeadingRank:
// "Zakaria Mansour" to "Mansour", "Abdelkader el-Haddouchi" to the kunya
// "Abu Sulayman"), then ones without a word in capitals ("Karim Bouzidi" to
// "Karim BOUZIDI"), then the most frequent; ties go to the longer, then the
// first in alphabetical order. Every spelling comes from a document the
// network's filter admits, so the name never shows what a scope does not
// hold. It is "" for an entity outside the network.
func (n *Network) Name(id mosaic.EntityID) string {
	v, ok := n.node[id]
	if !ok {
		return ""
	}
	var best string
	var bestKey [4]int
	for s, count := range n.spellings[v] {
		key := [4]int{entity.HeadingRank(s, n.kinds[v]), 1, count, len(s)}
		if shouts(s) {
			key[1] = 0
		}
		if c := slices.Compare(key[:], bestKey[:]); best == "" || c > 0 || c == 0 && s < best {
			best, bestKey = s, key
		}
	}
	return best
}

// Kind returns an entity's kind (PERSON, ORG, ...), or "" for an entity
// outside the network.
func (n *Network) Kind(id mosaic.EntityID) mosaic.MentionType {
	v, ok := n.node[id]
	if !ok {
		return ""
	}
	return n.kinds[v]
}

// Names maps the entities of the paths, and any others given, to their
// Name.
func (n *Network) Names(paths []Path, ids ...mosaic.EntityID) map[mosaic.EntityID]string {
	out := map[mosaic.EntityID]string{}
	for _, p := range paths {
		ids = append(ids, p.Entities...)
	}
	for _, id := range ids {
		out[id] = n.Name(id)
	}
	return out
}

// shouts reports whether a name has a word of three letters or more all
// in capitals, as tables and forms write surnames.
func shouts(name string) bool {
	for _, w := range strings.Fields(name) {
		letters := 0
		for _, r := range w {
			if unicode.IsLower(r) {
				letters = -1
				break
			}
			if unicode.IsUpper(r) {
				letters++
			}
		}
		if letters >= 3 {
			return true
		}
	}
	return false
}

// Edge returns the edge between two entities, or nil if no document links
// them. Like the edges of paths, it is a copy: quoting it leaves the
// network, which requests share, alone.
func (n *Network) Edge(a, b mosaic.EntityID) *Edge {
	u, ok1 := n.node[a]
	v, ok2 := n.node[b]
	if !ok1 || !ok2 {
		return nil
	}
	return n.edge(u, v)
}

// edge returns a copy of the edge between graph nodes u and v, or nil.
func (n *Network) edge(u, v int32) *Edge {
	l := n.link(u, v)
	if l == nil {
		return nil
	}
	return n.edgeOf(l)
}

// link returns the link between graph nodes u and v, or nil.
func (n *Network) link(u, v int32) *link { return n.edges[[2]int32{min(u, v), max(u, v)}] }

// Hop is one step of a path, with the edge that proves it.
type Hop struct {
	From mosaic.EntityID `json:"from"`
	To   mosaic.EntityID `json:"to"`
	Edge *Edge           `json:"edge"`
}

// Path is a chain of entities linked by evidence.
type Path struct {
	Entities []mosaic.EntityID `json:"entities"`
	Hops     []Hop             `json:"hops"`
}

// Paths returns up to k shortest loopless paths from a to b, with at most
// maxHops hops each, fewest hops first. No path passes through a place (a
// place may be either end). It returns nothing when either entity takes
// part in no followable relation, or no path exists. The paths' edges are
// copies, for Quote to fill in.
func (n *Network) Paths(a, b mosaic.EntityID, k, maxHops int) []Path {
	u, ok1 := n.node[a]
	v, ok2 := n.node[b]
	if !ok1 || !ok2 || u == v {
		return nil
	}
	var out []Path
	for _, nodes := range n.searcher(u, v).KShortestPaths(u, v, k, maxHops) {
		out = append(out, n.path(nodes))
	}
	return out
}

// path turns graph nodes into a path with its edges.
func (n *Network) path(nodes []int32) Path {
	var p Path
	for i, v := range nodes {
		p.Entities = append(p.Entities, n.ids[v])
		if i > 0 {
			u := nodes[i-1]
			p.Hops = append(p.Hops, Hop{From: n.ids[u], To: n.ids[v], Edge: n.edge(u, v)})
		}
	}
	return p
}

// Reached is an entity found near another, with its distance in hops.
type Reached struct {
	Entity mosaic.EntityID `json:"entity"`
	Hops   int             `json:"hops"`
}

// Neighbours returns the entities at most hops followable edges from a,
// going on through no place (see waypoint), nearest first, at most max of
// them (0: no cap), and whether that is all of them.
func (n *Network) Neighbours(a mosaic.EntityID, hops, max int) ([]Reached, bool) {
	u, ok := n.node[a]
	if !ok {
		return nil, true
	}
	// Places are reached but not gone through: Within asks the filter with
	// u the node it goes on from.
	s := graph.NewSearcher(n.g)
	s.Filter = func(from, _ int32) bool { return from == u || n.waypoint(from) }
	found, complete := s.Within(u, hops, max)
	out := make([]Reached, len(found))
	for i, r := range found {
		out[i] = Reached{Entity: n.ids[r.Node], Hops: r.Hops}
	}
	return out, complete
}

// Nearest returns a shortest path from a to any entity in targets, passing
// through no place, or false if none is reachable within maxHops.
func (n *Network) Nearest(a mosaic.EntityID, targets map[mosaic.EntityID]bool, maxHops int) (Path, bool) {
	nodes, ok := n.nearest(a, targets, maxHops, nil)
	if !ok {
		return Path{}, false
	}
	return n.path(nodes), true
}

// nearest is a breadth-first search from a to the nearest of targets,
// along the edges follow allows (all when nil) and through no place. It
// returns the nodes of the path found.
func (n *Network) nearest(a mosaic.EntityID, targets map[mosaic.EntityID]bool, maxHops int, follow func(u, v int32) bool) ([]int32, bool) {
	src, ok := n.node[a]
	if !ok {
		return nil, false
	}
	parent := map[int32]int32{src: -1}
	frontier := []int32{src}
	for depth := 0; depth < maxHops && len(frontier) > 0; depth++ {
		var next []int32
		for _, u := range frontier {
			nbrs, _ := n.g.Neighbours(u)
			for _, v := range nbrs {
				if _, seen := parent[v]; seen {
					continue
				}
				if follow != nil && !follow(u, v) {
					continue
				}
				if targets[n.ids[v]] {
					parent[v] = u
					var nodes []int32
					for x := v; x >= 0; x = parent[x] {
						nodes = append(nodes, x)
					}
					slices.Reverse(nodes)
					return nodes, true
				}
				// A place is no waypoint: the search does not go on
				// through it, nor mark it seen for another way in.
				if !n.waypoint(v) {
					continue
				}
				parent[v] = u
				next = append(next, v)
			}
		}
		frontier = next
	}
	return nil, false
}

// Quoter reads a document's text, to quote evidence sentences.
type Quoter interface {
	Document(ctx context.Context, id mosaic.DocID, scope store.Scope) (mosaic.Document, []store.Holding, error)
}

// QuotePaths fills in the sentence text of the evidence on every hop of the
// paths, reading each document once.
func QuotePaths(ctx context.Context, q Quoter, scope store.Scope, paths ...Path) error {
	var edges []*Edge
	for _, p := range paths {
		for _, h := range p.Hops {
			edges = append(edges, h.Edge)
		}
	}
	return Quote(ctx, q, scope, edges...)
}

// Quote fills in the sentence text of every piece of evidence on the
// edges, reading each document once.
func Quote(ctx context.Context, q Quoter, scope store.Scope, edges ...*Edge) error {
	texts := map[mosaic.DocID]string{}
	for _, e := range edges {
		for i := range e.Evidence {
			ev := &e.Evidence[i]
			text, ok := texts[ev.Doc]
			if !ok {
				d, _, err := q.Document(ctx, ev.Doc, scope)
				if err != nil {
					return fmt.Errorf("quote evidence: %w", err)
				}
				text = d.Text
				texts[ev.Doc] = text
			}
			if ev.Sentence.End <= len(text) && ev.Sentence.Start <= ev.Sentence.End {
				ev.Text = text[ev.Sentence.Start:ev.Sentence.End]
			}
		}
	}
	return nil
}
