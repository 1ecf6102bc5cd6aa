package network

import (
	"cmp"
	"maps"
	"slices"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/graph"
)

// Linked returns the graph of the entities linked by a followable edge
// that touches no place, for the algorithms of package graph (communities,
// centrality), and the label of each of its nodes: the entity's Name and
// ID. Places are left out as they are left out of paths (see waypoint):
// every report names a city, and a cell of "Birmingham" or a broker
// "United Kingdom" says nothing about who deals with whom; ByKind ranks
// places apart, by how many entities each is linked to. Entities whose
// every edge is negated or, unless the network follows them, only a
// co-occurrence are left out too, so they do not each count as a
// community.
func (n *Network) Linked() (*graph.Graph, func(v int32) graph.Label) {
	var ids []mosaic.EntityID
	newID := make([]int32, n.g.Nodes())
	linked := func(u, v int32) bool { return n.waypoint(u) && n.waypoint(v) }
	for u := range newID {
		newID[u] = -1
		targets, _ := n.g.Neighbours(int32(u))
		if slices.ContainsFunc(targets, func(v int32) bool { return linked(int32(u), v) }) {
			newID[u] = int32(len(ids))
			ids = append(ids, n.ids[u])
		}
	}
	b := graph.NewBuilder(len(ids))
	for u := range newID {
		targets, weights := n.g.Neighbours(int32(u))
		for i, v := range targets {
			if int32(u) < v && linked(int32(u), v) {
				b.AddEdge(newID[u], newID[v], weights[i])
			}
		}
	}
	return b.Build(), func(v int32) graph.Label {
		return graph.Label{Node: n.Name(ids[v]), ID: int64(ids[v]), Kind: string(n.Kind(ids[v]))}
	}
}

// EgoEntity is an entity of an ego network with its distance from the
// centre.
type EgoEntity struct {
	Entity mosaic.EntityID    `json:"entity"`
	Name   string             `json:"name"`
	Kind   mosaic.MentionType `json:"kind"`
	Hops   int                `json:"hops"`
}

// EgoEdge is an edge of an ego network, without its evidence (Edge has
// it): the relation types, weight and dates that summarise it.
type EgoEdge struct {
	A       mosaic.EntityID       `json:"a"`
	B       mosaic.EntityID       `json:"b"`
	Types   []mosaic.RelationType `json:"types"`
	Weight  float64               `json:"weight"`
	Pieces  int                   `json:"evidence"`
	Typed   bool                  `json:"typed"`
	Negated bool                  `json:"negated,omitempty"`
}

// Ego is the network around one entity: the entities within some hops of
// it and every edge among them.
type Ego struct {
	Centre   mosaic.EntityID `json:"centre"`
	Entities []EgoEntity     `json:"entities"`
	Edges    []EgoEdge       `json:"edges"`
	// Complete is false when the entities were cut at the limit asked for.
	Complete bool `json:"complete"`
}

// Ego returns the ego network of a: the centre, the entities at most hops
// followable edges away (at most limit of them, nearest first; 0: no cap),
// and every edge among them, followable or not, so evidence that two of
// them are not linked shows too.
func (n *Network) Ego(a mosaic.EntityID, hops, limit int) Ego {
	ego := Ego{Centre: a, Entities: []EgoEntity{}, Edges: []EgoEdge{}, Complete: true}
	u, ok := n.node[a]
	if !ok {
		return ego
	}
	reached, complete := n.Neighbours(a, hops, limit)
	ego.Complete = complete
	in := map[int32]bool{u: true}
	ego.Entities = append(ego.Entities, EgoEntity{a, n.Name(a), n.Kind(a), 0})
	for _, r := range reached {
		in[n.node[r.Entity]] = true
		ego.Entities = append(ego.Entities, EgoEntity{r.Entity, n.Name(r.Entity), n.Kind(r.Entity), r.Hops})
	}
	add := func(l *link) {
		ego.Edges = append(ego.Edges, EgoEdge{A: n.ids[l.a], B: n.ids[l.b], Types: l.types, Weight: l.weight,
			Pieces: l.count, Typed: l.typed, Negated: l.weight <= 0})
	}
	// Look up each pair of a small ego network; scan the edges of a large
	// one.
	if len(in)*len(in)/2 < len(n.edges) {
		nodes := slices.Collect(maps.Keys(in))
		for i, x := range nodes {
			for _, y := range nodes[i+1:] {
				if e := n.link(x, y); e != nil {
					add(e)
				}
			}
		}
	} else {
		for key, e := range n.edges {
			if in[key[0]] && in[key[1]] {
				add(e)
			}
		}
	}
	slices.SortFunc(ego.Edges, func(x, y EgoEdge) int {
		return cmp.Or(cmp.Compare(x.A, y.A), cmp.Compare(x.B, y.B))
	})
	return ego
}

// KindRanking ranks the entities of one kind of an analysed network by
// each centrality. Betweenness ranks brokers: those on the shortest paths
// between others. Only entities that score above zero are listed.
type KindRanking struct {
	Kind mosaic.MentionType `json:"kind"`
	// Title names the kind in the plural: "people", "organisations".
	Title       string              `json:"title"`
	Betweenness []graph.RankedLabel `json:"betweenness"`
	PageRank    []graph.RankedLabel `json:"pagerank"`
	Degree      []graph.RankedLabel `json:"degree"`
}

// kindOrder lists the kinds ByKind ranks, in the order shown: people
// first, since the question is who brokers; places last, as the context
// that links many people without brokering anything.
var kindOrder = []struct {
	kind  mosaic.MentionType
	title string
}{
	{mosaic.Person, "people"},
	{mosaic.Org, "organisations"},
	{mosaic.Misc, "other names"},
	{mosaic.Location, "places"},
}

// ByKind ranks the nodes of an analysis of Linked's graph by kind, at most
// top of each kind per centrality: a broker is a person or an
// organisation, and a city that every report names is no broker however
// central. label is the labelling Linked returned. Places, which Linked
// leaves out, are ranked last by degree alone: how many entities the
// network links to each. An entity of another
// kind whose name reads as a person's (entity.GuessKind: "DS Paul
// Holloway", "Elias Ouahbi", which the tagger typed ORG or LOCATION where
// it first met them) is ranked among the people. Kinds with no node are
// left out.
func (n *Network) ByKind(a *graph.Analysis, label func(v int32) graph.Label, top int) []KindRanking {
	nodes := map[mosaic.MentionType][]int32{}
	for v := range a.Nodes {
		l := label(int32(v))
		k := mosaic.MentionType(l.Kind)
		if k != mosaic.Person && entity.GuessKind(l.Node) == entity.Person {
			k = mosaic.Person
		}
		nodes[k] = append(nodes[k], int32(v))
	}
	ranked := func(vs []int32, scores []float64) []graph.RankedLabel {
		sub := make([]float64, len(vs))
		for i, v := range vs {
			sub[i] = scores[v]
		}
		out := []graph.RankedLabel{}
		for _, i := range graph.Top(sub, top) {
			if sub[i] > 0 {
				out = append(out, graph.RankedLabel{Label: label(vs[i]), Score: sub[i]})
			}
		}
		return out
	}
	var out []KindRanking
	for _, k := range kindOrder {
		if k.kind == mosaic.Location { // Linked leaves places out
			if places := n.places(top); len(places) > 0 {
				out = append(out, KindRanking{Kind: k.kind, Title: k.title,
					Betweenness: []graph.RankedLabel{}, PageRank: []graph.RankedLabel{}, Degree: places})
			}
			continue
		}
		vs := nodes[k.kind]
		if len(vs) == 0 {
			continue
		}
		out = append(out, KindRanking{Kind: k.kind, Title: k.title,
			Betweenness: ranked(vs, a.Scores.Betweenness),
			PageRank:    ranked(vs, a.Scores.PageRank),
			Degree:      ranked(vs, a.Scores.Degree)})
	}
	return out
}

// Report is the analysis of an evidence network: graph's report of the
// whole, and the rankings of each kind of entity (ByKind).
type Report struct {
	graph.Report
	ByKind []KindRanking `json:"by_kind"`
}

// places ranks the network's places by their followable edges, at most
// top of them.
func (n *Network) places(top int) []graph.RankedLabel {
	var vs []int32
	var degree []float64
	for v := range int32(n.g.Nodes()) {
		if d := n.g.Degree(v); !n.waypoint(v) && d > 0 {
			vs, degree = append(vs, v), append(degree, float64(d))
		}
	}
	out := []graph.RankedLabel{}
	for _, i := range graph.Top(degree, top) {
		id := n.ids[vs[i]]
		out = append(out, graph.RankedLabel{Label: graph.Label{Node: n.Name(id), ID: int64(id), Kind: string(n.Kind(id))}, Score: degree[i]})
	}
	return out
}
