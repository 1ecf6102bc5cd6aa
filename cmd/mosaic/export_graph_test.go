package main

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"gonum.org/v1/gonum/graph/formats/gexf12"

	"mosaic"
	"mosaic/internal/exchange/graphml"
)

// xmlText is s as XML 1.0 can carry it: a character XML does not allow
// (a control character, U+FFFE, U+FFFF) as U+FFFD. The sample case has
// one such name, read from a PDF.
func xmlText(s string) string {
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\t' || r == '\n' || r == '\r',
			r >= 0x20 && r <= 0xD7FF, r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
			return r
		}
		return '\uFFFD'
	}, s)
}

// graphExport runs mosaic export FORMAT on a data folder and returns the
// file.
func graphExport(t *testing.T, db, format string) []byte {
	t.Helper()
	file := filepath.Join(t.TempDir(), "case."+format)
	if out, errs, code := runMosaic(t, "export", format, "--db", db, "--out", file); code != 0 {
		t.Fatalf("export %s: exit %d\n%s%s", format, code, out, errs)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if !utf8.Valid(b) {
		t.Fatalf("export %s is not UTF-8", format)
	}
	return b
}

// TestExportGraphSampleCase: the sample case exported as GraphML and GEXF
// parses, strictly, with a node for every entity and an edge for every
// link, each with its attributes: GraphML as an XML reader that knows
// nothing of Mosaic reads it, and as networkx reads it where Python has
// networkx; GEXF as gonum's GEXF 1.2 reader reads it.
func TestExportGraphSampleCase(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the sample case")
	}
	db := sampleCase(t)
	c := readCase(t, db)
	kinds := map[string]string{}
	coOccur := 0
	for _, e := range c.Entities {
		kinds[e.Key] = string(e.Kind)
	}
	for _, l := range c.Links {
		if l.Type == mosaic.CoOccur {
			coOccur++
		}
	}

	t.Run("graphml", func(t *testing.T) {
		b := graphExport(t, db, "graphml")
		var g struct {
			Keys []struct {
				ID   string `xml:"id,attr"`
				For  string `xml:"for,attr"`
				Name string `xml:"attr.name,attr"`
				Type string `xml:"attr.type,attr"`
			} `xml:"key"`
			Nodes []struct {
				Data []struct {
					Key   string `xml:"key,attr"`
					Value string `xml:",chardata"`
				} `xml:"data"`
			} `xml:"graph>node"`
			Edges []struct {
				Directed string `xml:"directed,attr"`
			} `xml:"graph>edge"`
		}
		dec := xml.NewDecoder(bytes.NewReader(b))
		dec.Strict = true
		if err := dec.Decode(&g); err != nil {
			t.Fatalf("GraphML does not parse: %v", err)
		}
		if len(g.Nodes) != len(c.Entities) || len(g.Edges) != len(c.Links) {
			t.Fatalf("%d nodes, %d edges; the case has %d entities, %d links", len(g.Nodes), len(g.Edges), len(c.Entities), len(c.Links))
		}
		undirected := 0
		for _, e := range g.Edges {
			if e.Directed == "false" {
				undirected++
			}
		}
		if undirected != coOccur {
			t.Errorf("%d undirected edges, want one per co-occurrence (%d)", undirected, coOccur)
		}
		name := map[string]string{}
		for _, k := range g.Keys {
			if k.Type == "" {
				t.Errorf("key %s has no attr.type", k.ID)
			}
			name[k.ID] = k.Name
		}
		for i, n := range g.Nodes {
			attrs := map[string]string{}
			for _, d := range n.Data {
				attrs[name[d.Key]] = d.Value
			}
			if attrs["label"] != xmlText(c.Entities[i].Name) || attrs["kind"] != kinds[attrs["key"]] {
				t.Errorf("node %d reads %q %q, want %q %q", i, attrs["label"], attrs["kind"], c.Entities[i].Name, c.Entities[i].Kind)
			}
		}
	})

	t.Run("networkx", func(t *testing.T) {
		py := ""
		for _, p := range []string{"python3", "/usr/bin/python3"} {
			if exec.Command(p, "-c", "import networkx").Run() == nil {
				py = p
				break
			}
		}
		if py == "" {
			t.Skip("no Python with networkx (Debian: apt-get install -y python3-networkx)")
		}
		// networkx refuses a graph of directed and undirected edges, so it
		// reads the form written for such readers.
		file := filepath.Join(t.TempDir(), "case.graphml")
		var buf bytes.Buffer
		if err := (graphml.Options{Directed: true}).Write(&buf, c); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		const script = `
import collections, json, sys, networkx
g = networkx.read_graphml(sys.argv[1])
json.dump({"nodes": len(g), "edges": g.number_of_edges(),
  "kinds": collections.Counter(a["kind"] for _, a in g.nodes(data=True)),
  "evidence": sum(a["evidence_count"] for _, _, a in g.edges(data=True)),
  "weight": sum(a["weight"] for _, _, a in g.edges(data=True))}, sys.stdout)
`
		out, err := exec.Command(py, "-c", script, file).CombinedOutput()
		if err != nil {
			t.Fatalf("networkx.read_graphml: %v\n%s", err, out)
		}
		var got struct {
			Nodes, Edges, Evidence int
			Kinds                  map[string]int
			Weight                 float64
		}
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		wantKinds := map[string]int{}
		evidence, weight := 0, 0.0
		for _, k := range kinds {
			wantKinds[k]++
		}
		for _, l := range c.Links {
			evidence += len(l.Evidence)
			weight += l.Weight
		}
		if got.Nodes != len(c.Entities) || got.Edges != len(c.Links) || got.Evidence != evidence ||
			len(got.Kinds) != len(wantKinds) || got.Weight-weight > 1e-6 || weight-got.Weight > 1e-6 {
			t.Errorf("networkx read %d nodes, %d edges, %d sentences, weight %v, kinds %v; want %d, %d, %d, %v, %v",
				got.Nodes, got.Edges, got.Evidence, got.Weight, got.Kinds, len(c.Entities), len(c.Links), evidence, weight, wantKinds)
		}
		for k, n := range wantKinds {
			if got.Kinds[k] != n {
				t.Errorf("networkx read %d %s nodes, want %d", got.Kinds[k], k, n)
			}
		}
	})

	t.Run("gexf", func(t *testing.T) {
		b := graphExport(t, db, "gexf")
		var g gexf12.Content
		dec := xml.NewDecoder(bytes.NewReader(b))
		dec.Strict = true
		if err := dec.Decode(&g); err != nil {
			t.Fatalf("gexf12 cannot read the export: %v", err)
		}
		if len(g.Graph.Nodes.Nodes) != len(c.Entities) || len(g.Graph.Edges.Edges) != len(c.Links) {
			t.Fatalf("%d nodes, %d edges; the case has %d entities, %d links",
				len(g.Graph.Nodes.Nodes), len(g.Graph.Edges.Edges), len(c.Entities), len(c.Links))
		}
		dated, timed := 0, 0
		for _, e := range c.Entities {
			if !e.First.IsZero() {
				dated++
			}
		}
		for i, n := range g.Graph.Nodes.Nodes {
			if n.Label != xmlText(c.Entities[i].Name) {
				t.Errorf("node %d is labelled %q, want %q", i, n.Label, c.Entities[i].Name)
			}
			if n.Start != "" {
				timed++
			}
		}
		if timed != dated || dated == 0 {
			t.Errorf("%d nodes have a start, want the %d entities with dates", timed, dated)
		}
		undirected := 0
		for i, e := range g.Graph.Edges.Edges {
			if e.Type == "undirected" {
				undirected++
			}
			if e.Label != string(c.Links[i].Type) {
				t.Errorf("edge %d is labelled %q, want %q", i, e.Label, c.Links[i].Type)
			}
			for _, v := range e.AttValues.AttValues {
				if v.For == "evidence_count" && v.Value != strconv.Itoa(len(c.Links[i].Evidence)) {
					t.Errorf("edge %d: evidence count %s, want %d", i, v.Value, len(c.Links[i].Evidence))
				}
			}
		}
		if undirected != coOccur {
			t.Errorf("%d undirected edges, want one per co-occurrence (%d)", undirected, coOccur)
		}
	})
}
