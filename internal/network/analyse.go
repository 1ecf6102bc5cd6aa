package network

import (
	"cmp"
	"maps"
	"slices"

	"mosaic"
	"mosaic/internal/graph"
)

// Linked returns the graph of the entities that have a followable edge,
// for the algorithms of package graph (communities, centrality), and the
// label of each of its nodes: the entity's Name and ID. Entities whose
// every edge is negated or, unless the network follows them, only a
// co-occurrence are left out, so they do not each count as a community.
func (n *Network) Linked() (*graph.Graph, func(v int32) graph.Label) {
	var ids []mosaic.EntityID
	newID := make([]int32, n.g.Nodes())
	for v := range newID {
		newID[v] = -1
		if n.g.Degree(int32(v)) > 0 {
			newID[v] = int32(len(ids))
			ids = append(ids, n.ids[v])
		}
	}
	b := graph.NewBuilder(len(ids))
	for u := range newID {
		targets, weights := n.g.Neighbours(int32(u))
		for i, v := range targets {
			if int32(u) < v {
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
	add := func(e *Edge) {
		ego.Edges = append(ego.Edges, EgoEdge{A: e.A, B: e.B, Types: e.Types, Weight: e.Weight,
			Pieces: len(e.Evidence), Typed: e.Typed(), Negated: !e.Positive()})
	}
	// Look up each pair of a small ego network; scan the edges of a large
	// one.
	if len(in)*len(in)/2 < len(n.edges) {
		nodes := slices.Collect(maps.Keys(in))
		for i, x := range nodes {
			for _, y := range nodes[i+1:] {
				if e := n.edges[[2]int32{min(x, y), max(x, y)}]; e != nil {
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
