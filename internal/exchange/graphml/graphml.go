// Package graphml writes a case's network as GraphML, the XML graph format
// Gephi, yEd, Cytoscape and networkx read. Each entity is a node and each
// link an edge; the attributes an analyst sorts, colours and filters by
// in those tools (kind, community, centrality, degree, dates, relation,
// weight, the evidence sentences) are declared as typed keys, so a tool
// reads a centrality as a number and not as text. The graph's own data
// say the file's classification, the highest of its collections', and
// name the collections.
//
// A co-occurrence has no direction, every other relation has one, and
// GraphML lets an edge say which it is: Write gives a mixed graph, as Gephi
// reads it. Some readers (networkx) refuse a mixed graph; Options.Directed
// writes every edge as directed for them, a co-occurrence keeping
// "directed" false among its data.
package graphml

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
)

// Namespace is GraphML's XML namespace.
const Namespace = "http://graphml.graphdrawing.org/xmlns"

// A key is one declared attribute: its id in the file, what it belongs to
// (node or edge), its name as tools show it and its GraphML type.
type key struct {
	ID, For, Name, Type string
}

// The keys Write declares, in the order it declares them. The node's name
// is "label" and the edge's weight "weight" because those are the names
// Gephi takes for a node's label and an edge's weight.
var keys = []key{
	{"g_classification", "graph", "classification", "string"},
	{"g_collections", "graph", "collections", "string"},
	{"v_label", "node", "label", "string"},
	{"v_kind", "node", "kind", "string"},
	{"v_key", "node", "key", "string"},
	{"v_aliases", "node", "aliases", "string"},
	{"v_community", "node", "community", "int"},
	{"v_centrality", "node", "centrality", "double"},
	{"v_degree", "node", "degree", "int"},
	{"v_first", "node", "first", "string"},
	{"v_last", "node", "last", "string"},
	{"e_relation", "edge", "relation", "string"},
	{"e_weight", "edge", "weight", "double"},
	{"e_directed", "edge", "directed", "boolean"},
	{"e_negated", "edge", "negated", "boolean"},
	{"e_hedged", "edge", "hedged", "boolean"},
	{"e_first", "edge", "first", "string"},
	{"e_last", "edge", "last", "string"},
	{"e_evidence_count", "edge", "evidence_count", "int"},
	{"e_evidence", "edge", "evidence", "string"},
}

// Options tune the file for one kind of reader.
type Options struct {
	// Directed writes every edge as directed, for readers that refuse a
	// graph of directed and undirected edges together. A co-occurrence
	// then runs from the entity with the smaller key, as in the case, and
	// its "directed" data says false.
	Directed bool
}

// Write writes the case's entities and links to w as one GraphML graph,
// a co-occurrence as an undirected edge and every other relation as a
// directed one. It streams: a node or edge is written as it is reached.
// It returns an error when w fails or a link names an entity the case
// does not hold.
func Write(w io.Writer, c exchange.Case) error { return Options{}.Write(w, c) }

type data struct {
	Key   string `xml:"key,attr"`
	Value string `xml:",chardata"`
}

type node struct {
	XMLName xml.Name `xml:"node"`
	ID      string   `xml:"id,attr"`
	Data    []data   `xml:"data"`
}

type edge struct {
	XMLName  xml.Name `xml:"edge"`
	ID       string   `xml:"id,attr"`
	Source   string   `xml:"source,attr"`
	Target   string   `xml:"target,attr"`
	Directed string   `xml:"directed,attr,omitempty"`
	Data     []data   `xml:"data"`
}

// Write writes the case as the package's Write does, tuned by o.
func (o Options) Write(w io.Writer, c exchange.Case) error {
	e := xml.NewEncoder(w)
	e.Indent("", " ")
	if err := e.EncodeToken(xml.ProcInst{Target: "xml", Inst: []byte(`version="1.0" encoding="UTF-8"`)}); err != nil {
		return err
	}
	root := xml.StartElement{Name: xml.Name{Local: "graphml"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "xmlns"}, Value: Namespace},
	}}
	if err := e.EncodeToken(root); err != nil {
		return err
	}
	for _, k := range keys {
		el := xml.StartElement{Name: xml.Name{Local: "key"}, Attr: []xml.Attr{
			{Name: xml.Name{Local: "id"}, Value: k.ID},
			{Name: xml.Name{Local: "for"}, Value: k.For},
			{Name: xml.Name{Local: "attr.name"}, Value: k.Name},
			{Name: xml.Name{Local: "attr.type"}, Value: k.Type},
		}}
		if err := e.EncodeToken(el); err != nil {
			return err
		}
		if err := e.EncodeToken(el.End()); err != nil {
			return err
		}
	}
	graph := xml.StartElement{Name: xml.Name{Local: "graph"}, Attr: []xml.Attr{
		{Name: xml.Name{Local: "id"}, Value: "mosaic"},
		{Name: xml.Name{Local: "edgedefault"}, Value: "directed"},
	}}
	if err := e.EncodeToken(graph); err != nil {
		return err
	}
	for _, d := range []data{{"g_classification", c.Classification()}, {"g_collections", Collections(c)}} {
		if err := e.EncodeElement(d, xml.StartElement{Name: xml.Name{Local: "data"}}); err != nil {
			return err
		}
	}
	ids := make(map[string]string, len(c.Entities))
	for i, ent := range c.Entities {
		id := "n" + strconv.Itoa(i)
		ids[ent.Key] = id
		n := node{ID: id, Data: []data{
			{"v_label", ent.Name},
			{"v_kind", string(ent.Kind)},
			{"v_key", ent.Key},
		}}
		if a := exchange.Lines(ent.Aliases()); a != "" {
			n.Data = append(n.Data, data{"v_aliases", a})
		}
		n.Data = append(n.Data,
			data{"v_community", strconv.Itoa(ent.Community)},
			data{"v_centrality", exchange.Decimal(ent.Centrality)},
			data{"v_degree", strconv.Itoa(ent.Degree)})
		if !ent.First.IsZero() {
			n.Data = append(n.Data, data{"v_first", Date(ent.First)}, data{"v_last", Date(ent.Last)})
		}
		if err := e.Encode(n); err != nil {
			return err
		}
	}
	for i, l := range c.Links {
		from, to, err := l.Ends(ids)
		if err != nil {
			return err
		}
		directed := l.Type != mosaic.CoOccur
		ed := edge{ID: "e" + strconv.Itoa(i), Source: from, Target: to}
		if !directed && !o.Directed {
			ed.Directed = "false"
		}
		ed.Data = []data{
			{"e_relation", string(l.Type)},
			{"e_weight", exchange.Decimal(l.Weight)},
			{"e_directed", strconv.FormatBool(directed)},
			{"e_negated", strconv.FormatBool(l.Negated)},
			{"e_hedged", strconv.FormatBool(l.Hedged)},
		}
		if !l.First.IsZero() {
			ed.Data = append(ed.Data, data{"e_first", Date(l.First)}, data{"e_last", Date(l.Last)})
		}
		ed.Data = append(ed.Data,
			data{"e_evidence_count", strconv.Itoa(len(l.Evidence))},
			data{"e_evidence", exchange.Lines(l.Sentences())})
		if err := e.Encode(ed); err != nil {
			return err
		}
	}
	if err := e.EncodeToken(graph.End()); err != nil {
		return err
	}
	if err := e.EncodeToken(root.End()); err != nil {
		return err
	}
	return e.Close()
}

// Collections names the case's collections, one a line: "name (agency,
// CLASSIFICATION)".
func Collections(c exchange.Case) string {
	lines := make([]string, len(c.Collections))
	for i, col := range c.Collections {
		lines[i] = col.String()
	}
	return strings.Join(lines, "\n")
}

// Date writes a day as YYYY-MM-DD, the form Gephi and spreadsheets sort.
func Date(t time.Time) string { return t.UTC().Format(time.DateOnly) }
