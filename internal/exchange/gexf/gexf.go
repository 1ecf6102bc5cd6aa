// Package gexf writes a case's network as GEXF 1.2, Gephi's own graph
// format. Each entity is a node labelled with its name and each link an
// edge labelled with its relation, weighted by its evidence; the
// attributes an analyst colours and filters by (kind, community,
// centrality, degree, denial, hedge, the evidence sentences) are declared
// with their types. The graph is dynamic: a node lives from the first to
// the last dated document naming it, and an edge from its first to its
// last dated evidence, so Gephi's timeline shows the network grow. The
// meta description gives the file's classification, the highest of its
// collections', and names the collections.
package gexf

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
)

// Namespace is GEXF 1.2's XML namespace.
const Namespace = "http://www.gexf.net/1.2draft"

type attribute struct {
	ID, Title, Type string
}

// The attributes Write declares, by class.
var (
	nodeAttributes = []attribute{
		{"kind", "kind", "string"},
		{"key", "key", "string"},
		{"aliases", "aliases", "string"},
		{"community", "community", "integer"},
		{"centrality", "centrality", "double"},
		{"degree", "degree", "integer"},
	}
	edgeAttributes = []attribute{
		{"relation", "relation", "string"},
		{"negated", "negated", "boolean"},
		{"hedged", "hedged", "boolean"},
		{"evidence_count", "evidence count", "integer"},
		{"evidence", "evidence", "string"},
	}
)

type attvalue struct {
	For   string `xml:"for,attr"`
	Value string `xml:"value,attr"`
}

type node struct {
	XMLName   xml.Name   `xml:"node"`
	ID        string     `xml:"id,attr"`
	Label     string     `xml:"label,attr"`
	Start     string     `xml:"start,attr,omitempty"`
	End       string     `xml:"end,attr,omitempty"`
	AttValues []attvalue `xml:"attvalues>attvalue"`
}

type edge struct {
	XMLName   xml.Name   `xml:"edge"`
	ID        string     `xml:"id,attr"`
	Source    string     `xml:"source,attr"`
	Target    string     `xml:"target,attr"`
	Type      string     `xml:"type,attr"`
	Label     string     `xml:"label,attr"`
	Weight    string     `xml:"weight,attr"`
	Start     string     `xml:"start,attr,omitempty"`
	End       string     `xml:"end,attr,omitempty"`
	AttValues []attvalue `xml:"attvalues>attvalue"`
}

func name(local string) xml.Name { return xml.Name{Local: local} }

func attr(local, value string) xml.Attr { return xml.Attr{Name: name(local), Value: value} }

// Write writes the case's entities and links to w as one GEXF 1.2
// dynamic graph, a co-occurrence as an undirected edge and every other
// relation as a directed one. It streams: a node or edge is written as it
// is reached. It returns an error when w fails or a link names an entity
// the case does not hold.
func Write(w io.Writer, c exchange.Case) error {
	e := xml.NewEncoder(w)
	e.Indent("", " ")
	if err := e.EncodeToken(xml.ProcInst{Target: "xml", Inst: []byte(`version="1.0" encoding="UTF-8"`)}); err != nil {
		return err
	}
	root := xml.StartElement{Name: name("gexf"), Attr: []xml.Attr{attr("xmlns", Namespace), attr("version", "1.2")}}
	graph := xml.StartElement{Name: name("graph"), Attr: []xml.Attr{
		attr("mode", "dynamic"), attr("timeformat", "date"), attr("defaultedgetype", "directed"),
	}}
	if err := encode(e, root); err != nil {
		return err
	}
	if err := e.Encode(struct {
		XMLName     xml.Name `xml:"meta"`
		Creator     string   `xml:"creator"`
		Description string   `xml:"description"`
	}{Creator: "Mosaic", Description: Description(c)}); err != nil {
		return err
	}
	if err := encode(e, graph); err != nil {
		return err
	}
	for _, class := range []struct {
		name  string
		attrs []attribute
	}{{"node", nodeAttributes}, {"edge", edgeAttributes}} {
		start := xml.StartElement{Name: name("attributes"), Attr: []xml.Attr{attr("class", class.name), attr("mode", "static")}}
		if err := encode(e, start); err != nil {
			return err
		}
		for _, a := range class.attrs {
			el := xml.StartElement{Name: name("attribute"), Attr: []xml.Attr{attr("id", a.ID), attr("title", a.Title), attr("type", a.Type)}}
			if err := encode(e, el, el.End()); err != nil {
				return err
			}
		}
		if err := encode(e, start.End()); err != nil {
			return err
		}
	}

	nodes := xml.StartElement{Name: name("nodes"), Attr: []xml.Attr{attr("count", strconv.Itoa(len(c.Entities)))}}
	if err := encode(e, nodes); err != nil {
		return err
	}
	ids := make(map[string]string, len(c.Entities))
	for i, ent := range c.Entities {
		id := "n" + strconv.Itoa(i)
		ids[ent.Key] = id
		n := node{ID: id, Label: ent.Name, AttValues: []attvalue{
			{"kind", string(ent.Kind)},
			{"key", ent.Key},
		}}
		if !ent.First.IsZero() {
			n.Start, n.End = Date(ent.First), Date(ent.Last)
		}
		if a := exchange.Lines(ent.Aliases()); a != "" {
			n.AttValues = append(n.AttValues, attvalue{"aliases", a})
		}
		n.AttValues = append(n.AttValues,
			attvalue{"community", strconv.Itoa(ent.Community)},
			attvalue{"centrality", exchange.Decimal(ent.Centrality)},
			attvalue{"degree", strconv.Itoa(ent.Degree)})
		if err := e.Encode(n); err != nil {
			return err
		}
	}
	if err := encode(e, nodes.End()); err != nil {
		return err
	}

	edges := xml.StartElement{Name: name("edges"), Attr: []xml.Attr{attr("count", strconv.Itoa(len(c.Links)))}}
	if err := encode(e, edges); err != nil {
		return err
	}
	for i, l := range c.Links {
		from, to, err := l.Ends(ids)
		if err != nil {
			return err
		}
		ed := edge{ID: "e" + strconv.Itoa(i), Source: from, Target: to, Type: "directed",
			Label: string(l.Type), Weight: exchange.Decimal(l.Weight), AttValues: []attvalue{
				{"relation", string(l.Type)},
				{"negated", strconv.FormatBool(l.Negated)},
				{"hedged", strconv.FormatBool(l.Hedged)},
				{"evidence_count", strconv.Itoa(len(l.Evidence))},
				{"evidence", exchange.Lines(l.Sentences())},
			}}
		if l.Type == mosaic.CoOccur {
			ed.Type = "undirected"
		}
		if !l.First.IsZero() {
			ed.Start, ed.End = Date(l.First), Date(l.Last)
		}
		if err := e.Encode(ed); err != nil {
			return err
		}
	}
	if err := encode(e, edges.End(), graph.End(), root.End()); err != nil {
		return err
	}
	return e.Close()
}

func encode(e *xml.Encoder, tokens ...xml.Token) error {
	for _, t := range tokens {
		if err := e.EncodeToken(t); err != nil {
			return err
		}
	}
	return nil
}

// Description is the file's meta description: its classification, the
// highest of its collections' (UNCLASSIFIED when none has one), then the
// collections, "name (agency, CLASSIFICATION)", one a line.
func Description(c exchange.Case) string {
	lines := []string{"Classification: " + c.Classification()}
	for _, col := range c.Collections {
		lines = append(lines, col.String())
	}
	return strings.Join(lines, "\n")
}

// Date writes a day as YYYY-MM-DD, GEXF's "date" time format.
func Date(t time.Time) string { return t.UTC().Format(time.DateOnly) }
