package graphml

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

	"mosaic"
	"mosaic/internal/exchange"
	"mosaic/internal/exchange/exchangetest"
)

// doc is GraphML as the tests read it back, independently of the writer's
// types.
type doc struct {
	XMLName xml.Name `xml:"http://graphml.graphdrawing.org/xmlns graphml"`
	Keys    []struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	} `xml:"key"`
	Graph struct {
		EdgeDefault string `xml:"edgedefault,attr"`
		Data        []struct {
			Key   string `xml:"key,attr"`
			Value string `xml:",chardata"`
		} `xml:"data"`
		Nodes []struct {
			ID   string `xml:"id,attr"`
			Data []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"node"`
		Edges []struct {
			Source   string `xml:"source,attr"`
			Target   string `xml:"target,attr"`
			Directed string `xml:"directed,attr"`
			Data     []struct {
				Key   string `xml:"key,attr"`
				Value string `xml:",chardata"`
			} `xml:"data"`
		} `xml:"edge"`
	} `xml:"graph"`
}

// parse reads a GraphML file into attribute maps by attribute name, and
// checks that every data element names a key declared for its element.
func parse(t *testing.T, b []byte) (nodes map[string]map[string]string, edges []map[string]string, d doc) {
	t.Helper()
	if !utf8.Valid(b) {
		t.Fatal("output is not valid UTF-8")
	}
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&d); err != nil {
		t.Fatalf("not well-formed GraphML: %v", err)
	}
	names := map[string]string{}
	for _, k := range d.Keys {
		if k.Type == "" || k.Name == "" {
			t.Errorf("key %s declared without attr.name or attr.type", k.ID)
		}
		names[k.For+"/"+k.ID] = k.Name
	}
	keyOf := map[string]string{}
	nodes = map[string]map[string]string{}
	for _, n := range d.Graph.Nodes {
		m := map[string]string{}
		for _, dt := range n.Data {
			name, ok := names["node/"+dt.Key]
			if !ok {
				t.Errorf("node %s: data for undeclared node key %q", n.ID, dt.Key)
			}
			m[name] = dt.Value
		}
		keyOf[n.ID] = m["key"]
		nodes[m["key"]] = m
	}
	for _, e := range d.Graph.Edges {
		m := map[string]string{"source": keyOf[e.Source], "target": keyOf[e.Target], "edge.directed": e.Directed}
		for _, dt := range e.Data {
			name, ok := names["edge/"+dt.Key]
			if !ok {
				t.Errorf("edge %s-%s: data for undeclared edge key %q", e.Source, e.Target, dt.Key)
			}
			m[name] = dt.Value
		}
		edges = append(edges, m)
	}
	return nodes, edges, d
}

func TestWriteStructure(t *testing.T) {
	c := exchangetest.Network()
	for _, tc := range []struct {
		name string
		opts Options
		// coDirected is the edge-level directed attribute a co-occurrence
		// should carry.
		coDirected string
	}{
		{"mixed", Options{}, "false"},
		{"all directed", Options{Directed: true}, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var buf bytes.Buffer
			if err := tc.opts.Write(&buf, c); err != nil {
				t.Fatal(err)
			}
			nodes, edges, d := parse(t, buf.Bytes())
			if d.Graph.EdgeDefault != "directed" {
				t.Errorf("edgedefault %q", d.Graph.EdgeDefault)
			}
			types := map[string]string{}
			for _, k := range d.Keys {
				types[k.For+"/"+k.Name] = k.Type
			}
			for k, want := range map[string]string{"node/centrality": "double", "node/community": "int", "node/degree": "int",
				"node/label": "string", "edge/weight": "double", "edge/negated": "boolean", "edge/evidence_count": "int"} {
				if types[k] != want {
					t.Errorf("key %s has attr.type %q, want %q", k, types[k], want)
				}
			}
			graphData := map[string]string{}
			for _, dt := range d.Graph.Data {
				graphData[dt.Key] = dt.Value
			}
			if graphData["g_classification"] != "SECRET" ||
				graphData["g_collections"] != "police (Arden Constabulary, RESTRICTED)\nintel (Bureau, SECRET)\npress (Desk, UNCLASSIFIED)" {
				t.Errorf("graph data %q, want the case marked SECRET and its three collections", graphData)
			}
			if types["graph/classification"] != "string" {
				t.Errorf("no graph key for the classification")
			}
			if len(nodes) != 4 || len(edges) != 4 {
				t.Fatalf("%d nodes, %d edges; want 4, 4", len(nodes), len(edges))
			}
			wantNodes := map[string]map[string]string{
				"1": {"label": "Tarek Osman", "kind": "PERSON", "aliases": "T. Osman\nAbu Tariq", "community": "0",
					"centrality": "0.75", "degree": "3", "first": "2015-03-02", "last": "2016-06-24"},
				"3": {"label": "Lina Haddad", "kind": "PERSON", "community": "1", "centrality": "0.125", "degree": "2"},
				"4": {"label": "Rotterdam", "kind": "LOCATION", "community": "-1", "degree": "0"},
			}
			for k, want := range wantNodes {
				for a, v := range want {
					if got := nodes[k][a]; got != v {
						t.Errorf("node %s %s = %q, want %q", k, a, got, v)
					}
				}
			}
			if _, ok := nodes["3"]["first"]; ok {
				t.Error("an undated entity has a first date")
			}
			wantEdges := []map[string]string{
				{"source": "1", "target": "2", "relation": "member", "weight": "0.9", "negated": "false", "hedged": "false",
					"first": "2015-03-02", "evidence_count": "1", "evidence": "Osman was the spokesman of the Northern Front.", "edge.directed": ""},
				{"source": "1", "target": "3", "relation": "contact", "negated": "true", "edge.directed": ""},
				{"source": "3", "target": "1", "relation": "command", "hedged": "true", "weight": "1.5", "last": "2016-06-24",
					"evidence_count": "2", "evidence": "Haddad allegedly sent Osman.\nHaddad reportedly ordered Osman to travel."},
				{"source": "1", "target": "3", "relation": "co-occurrence", "directed": "false", "edge.directed": tc.coDirected},
			}
			for i, want := range wantEdges {
				for a, v := range want {
					if got := edges[i][a]; got != v {
						t.Errorf("edge %d %s = %q, want %q", i, a, got, v)
					}
				}
			}
		})
	}
}

func TestWriteUnknownEntity(t *testing.T) {
	c := exchangetest.Network()
	c.Links[2].To = "99"
	err := Write(&bytes.Buffer{}, c)
	if err == nil || !strings.Contains(err.Error(), `"99"`) {
		t.Fatalf("error %v, want one naming the missing entity", err)
	}
}

// TestHostileNames: names a document may hold (control characters,
// bytes that are not UTF-8, XML's own syntax, characters XML forbids)
// give a well-formed file whose text reads back as written where XML can
// carry it, with U+FFFD where it cannot.
func TestHostileNames(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{`<b>&"'</b>`, `<b>&"'</b>`},
		{"]]> --> <!-- <?pi?>", "]]> --> <!-- <?pi?>"},
		{"bell\x07nul\x00esc\x1b", "bell\uFFFDnul\uFFFDesc\uFFFD"},
		{"bad\xff\xfeutf8", "bad\uFFFD\uFFFDutf8"},
		{"nonchar\uFFFEx\uFFFF", "nonchar\uFFFDx\uFFFD"},
		{"right-to-left \u202eeman", "right-to-left \u202eeman"},
		{"tab\tcr\rline", "tab\tcr\rline"},
	} {
		t.Run(strconv.Quote(tc.name), func(t *testing.T) {
			c := exchange.Case{Entities: []exchange.Entity{
				{Key: "k", Kind: mosaic.Person, Name: tc.name, Names: []string{tc.name}},
				{Key: tc.name, Kind: mosaic.Org, Name: "x"},
			}, Links: []exchange.Link{{From: "k", To: tc.name, Type: mosaic.Member, Evidence: []exchange.Evidence{{Text: tc.name}}}}}
			var buf bytes.Buffer
			if err := Write(&buf, c); err != nil {
				t.Fatal(err)
			}
			nodes, edges, _ := parse(t, buf.Bytes())
			if got := nodes["k"]["label"]; got != tc.want {
				t.Errorf("label reads back %q, want %q", got, tc.want)
			}
			if len(edges) != 1 || edges[0]["target"] != tc.want {
				t.Errorf("edges %v: want one to the entity keyed %q", edges, tc.want)
			}
		})
	}
}

// networkx finds a Python that has networkx: the one on PATH, or
// Debian's (python3-networkx installs for /usr/bin/python3).
func networkx(t *testing.T) string {
	t.Helper()
	for _, py := range []string{"python3", "/usr/bin/python3"} {
		if exec.Command(py, "-c", "import networkx").Run() == nil {
			return py
		}
	}
	t.Skip("no Python with networkx (Debian: apt-get install -y python3-networkx); GraphML not checked against networkx")
	return ""
}

// readNetworkx reads a GraphML file with networkx.read_graphml and gives
// its nodes and edges with their attributes as networkx typed them.
func readNetworkx(t *testing.T, py, file string) (graph map[string]any, nodes map[string]map[string]any, edges []map[string]any) {
	t.Helper()
	const script = `
import json, sys, networkx
g = networkx.read_graphml(sys.argv[1])
json.dump({"directed": g.is_directed(), "graph": g.graph,
  "nodes": {n: a for n, a in g.nodes(data=True)},
  "edges": [dict(a, source=u, target=v) for u, v, a in g.edges(data=True)]}, sys.stdout)
`
	out, err := exec.Command(py, "-c", script, file).Output()
	if err != nil {
		var stderr string
		if ee, ok := err.(*exec.ExitError); ok {
			stderr = string(ee.Stderr)
		}
		t.Fatalf("networkx.read_graphml: %v\n%s", err, stderr)
	}
	var g struct {
		Directed bool
		Graph    map[string]any
		Nodes    map[string]map[string]any
		Edges    []map[string]any
	}
	if err := json.Unmarshal(out, &g); err != nil {
		t.Fatal(err)
	}
	byID := map[string]map[string]any{}
	nodes = map[string]map[string]any{}
	for id, a := range g.Nodes {
		byID[id] = a
		nodes[a["key"].(string)] = a
	}
	for _, e := range g.Edges {
		e["source"] = byID[e["source"].(string)]["key"]
		e["target"] = byID[e["target"].(string)]["key"]
		edges = append(edges, e)
	}
	return g.Graph, nodes, edges
}

// TestNetworkx: networkx reads the file Options.Directed writes and finds
// every entity and link with its attributes, typed as the keys declare.
func TestNetworkx(t *testing.T) {
	py := networkx(t)
	c := exchangetest.Network()
	file := filepath.Join(t.TempDir(), "case.graphml")
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	if err := (Options{Directed: true}).Write(f, c); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	graph, nodes, edges := readNetworkx(t, py, file)
	if graph["classification"] != "SECRET" {
		t.Errorf("networkx read the graph as %v, want it marked SECRET", graph)
	}
	checkNetworkx(t, c, nodes, edges)
}

// checkNetworkx compares what networkx read with the case written.
func checkNetworkx(t *testing.T, c exchange.Case, nodes map[string]map[string]any, edges []map[string]any) {
	t.Helper()
	if len(nodes) != len(c.Entities) || len(edges) != len(c.Links) {
		t.Fatalf("networkx read %d nodes, %d edges; want %d, %d", len(nodes), len(edges), len(c.Entities), len(c.Links))
	}
	for _, ent := range c.Entities {
		n := nodes[ent.Key]
		want := map[string]any{"label": ent.Name, "kind": string(ent.Kind), "community": float64(ent.Community),
			"centrality": ent.Centrality, "degree": float64(ent.Degree)}
		if !ent.First.IsZero() {
			want["first"], want["last"] = Date(ent.First), Date(ent.Last)
		}
		if a := exchange.Lines(ent.Aliases()); a != "" {
			want["aliases"] = a
		}
		for k, v := range want {
			if n[k] != v {
				t.Errorf("entity %s: networkx read %s = %#v, want %#v", ent.Key, k, n[k], v)
			}
		}
	}
	type pair struct{ from, to, rel string }
	byPair := map[pair][]map[string]any{}
	for _, e := range edges {
		p := pair{e["source"].(string), e["target"].(string), e["relation"].(string)}
		byPair[p] = append(byPair[p], e)
	}
	for _, l := range c.Links {
		es := byPair[pair{l.From, l.To, string(l.Type)}]
		if len(es) != 1 {
			t.Errorf("link %s-%s %s: networkx read %d edges", l.From, l.To, l.Type, len(es))
			continue
		}
		e := es[0]
		want := map[string]any{"weight": l.Weight, "negated": l.Negated, "hedged": l.Hedged,
			"evidence_count": float64(len(l.Evidence)), "evidence": exchange.Lines(l.Sentences()), "directed": l.Type != mosaic.CoOccur}
		for k, v := range want {
			if e[k] != v {
				t.Errorf("link %s-%s %s: networkx read %s = %#v, want %#v", l.From, l.To, l.Type, k, e[k], v)
			}
		}
	}
}

// FuzzWrite: whatever names, keys and sentences a case holds, the file is
// well-formed UTF-8 XML with a node per entity and an edge per link.
func FuzzWrite(f *testing.F) {
	f.Add("Tarek Osman", "1", "Osman was the spokesman.", 0.5)
	f.Add("bell\x07\x00\xff\uFFFE]]>", "<k&>", "\r\n\t", -1.0)
	f.Fuzz(func(t *testing.T, name, key, sentence string, weight float64) {
		c := exchange.Case{
			Entities: []exchange.Entity{
				{Key: key, Kind: mosaic.Person, Name: name, Names: []string{name, sentence}, Centrality: weight},
				{Key: key + "x", Kind: mosaic.MentionType(name), Name: sentence},
			},
			Links: []exchange.Link{
				{From: key, To: key + "x", Type: mosaic.RelationType(name), Weight: weight, Evidence: []exchange.Evidence{{Text: sentence}}},
				{From: key + "x", To: key, Type: mosaic.CoOccur, Weight: weight},
			},
		}
		var buf bytes.Buffer
		if err := Write(&buf, c); err != nil {
			t.Fatal(err)
		}
		nodes, edges, _ := parse(t, buf.Bytes())
		if len(nodes) != 2 || len(edges) != 2 {
			t.Fatalf("%d nodes, %d edges; want 2, 2", len(nodes), len(edges))
		}
	})
}
