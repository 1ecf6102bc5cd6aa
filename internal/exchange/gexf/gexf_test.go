package gexf

import (
	"bytes"
	"encoding/xml"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"gonum.org/v1/gonum/graph/formats/gexf12"

	"mosaic"
	"mosaic/internal/exchange"
	"mosaic/internal/exchange/exchangetest"
)

// read parses a GEXF file with gonum's GEXF 1.2 types, in strict mode,
// and checks that every attribute value names an attribute declared for
// its class.
func read(t *testing.T, b []byte) gexf12.Content {
	t.Helper()
	if !utf8.Valid(b) {
		t.Fatal("output is not valid UTF-8")
	}
	var g gexf12.Content
	dec := xml.NewDecoder(bytes.NewReader(b))
	dec.Strict = true
	if err := dec.Decode(&g); err != nil {
		t.Fatalf("gexf12 cannot read the file: %v", err)
	}
	declared := map[string]bool{}
	for _, as := range g.Graph.Attributes {
		for _, a := range as.Attributes {
			declared[as.Class+"/"+a.ID] = true
		}
	}
	for _, n := range g.Graph.Nodes.Nodes {
		for _, v := range n.AttValues.AttValues {
			if !declared["node/"+v.For] {
				t.Errorf("node %s: value for undeclared node attribute %q", n.ID, v.For)
			}
		}
	}
	for _, e := range g.Graph.Edges.Edges {
		for _, v := range e.AttValues.AttValues {
			if !declared["edge/"+v.For] {
				t.Errorf("edge %s: value for undeclared edge attribute %q", e.ID, v.For)
			}
		}
	}
	return g
}

func values(vs *gexf12.AttValues) map[string]string {
	m := map[string]string{}
	if vs != nil {
		for _, v := range vs.AttValues {
			m[v.For] = v.Value
		}
	}
	return m
}

// TestRoundTrip: gonum's GEXF 1.2 reader finds every entity and link the
// case holds, with its label, dates, direction, weight and attributes.
func TestRoundTrip(t *testing.T) {
	c := exchangetest.Network()
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	g := read(t, buf.Bytes())
	if g.Version != "1.2" || g.Graph.Mode != "dynamic" || g.Graph.TimeFormat != "date" {
		t.Errorf("version %q mode %q timeformat %q; want a dynamic 1.2 graph timed by date", g.Version, g.Graph.Mode, g.Graph.TimeFormat)
	}
	if g.Meta == nil || g.Meta.Creator != "Mosaic" || g.Meta.Description !=
		"Classification: SECRET\npolice (Arden Constabulary, RESTRICTED)\nintel (Bureau, SECRET)\npress (Desk, UNCLASSIFIED)" {
		t.Errorf("meta %+v, want the case marked SECRET and its three collections", g.Meta)
	}
	types := map[string]string{}
	for _, as := range g.Graph.Attributes {
		for _, a := range as.Attributes {
			types[as.Class+"/"+a.Title] = a.Type
		}
	}
	for k, want := range map[string]string{"node/centrality": "double", "node/community": "integer", "node/degree": "integer",
		"node/kind": "string", "edge/negated": "boolean", "edge/evidence count": "integer", "edge/evidence": "string"} {
		if types[k] != want {
			t.Errorf("attribute %s has type %q, want %q", k, types[k], want)
		}
	}
	if len(g.Graph.Nodes.Nodes) != len(c.Entities) || len(g.Graph.Edges.Edges) != len(c.Links) {
		t.Fatalf("%d nodes, %d edges; want %d, %d", len(g.Graph.Nodes.Nodes), len(g.Graph.Edges.Edges), len(c.Entities), len(c.Links))
	}
	keyOf := map[string]string{}
	for i, n := range g.Graph.Nodes.Nodes {
		ent := c.Entities[i]
		v := values(n.AttValues)
		keyOf[n.ID] = v["key"]
		want := map[string]string{"label": ent.Name, "start": "", "end": "", "key": ent.Key, "kind": string(ent.Kind),
			"community": strconv.Itoa(ent.Community), "degree": strconv.Itoa(ent.Degree), "aliases": strings.Join(ent.Names[min(1, len(ent.Names)):], "\n")}
		if !ent.First.IsZero() {
			want["start"], want["end"] = ent.First.Format(time.DateOnly), ent.Last.Format(time.DateOnly)
		}
		got := map[string]string{"label": n.Label, "start": n.Start, "end": n.End}
		for k, val := range v {
			got[k] = val
		}
		for k, w := range want {
			if got[k] != w {
				t.Errorf("entity %s: %s = %q, want %q", ent.Key, k, got[k], w)
			}
		}
		if f, err := strconv.ParseFloat(v["centrality"], 64); err != nil || f != ent.Centrality {
			t.Errorf("entity %s: centrality %q, want %v", ent.Key, v["centrality"], ent.Centrality)
		}
	}
	wantEdges := []struct {
		from, to, typ, label, start, end, negated, hedged, count, evidence string
		weight                                                             float64
	}{
		{"1", "2", "directed", "member", "2015-03-02", "2015-03-02", "false", "false", "1", "Osman was the spokesman of the Northern Front.", 0.9},
		{"1", "3", "directed", "contact", "", "", "true", "false", "1", "Osman was not in touch with Haddad.", 0.8},
		{"3", "1", "directed", "command", "2016-01-05", "2016-06-24", "false", "true", "2", "Haddad allegedly sent Osman.\nHaddad reportedly ordered Osman to travel.", 1.5},
		{"1", "3", "undirected", "co-occurrence", "", "", "false", "false", "1", "Osman and Haddad.", 0.25},
	}
	for i, e := range g.Graph.Edges.Edges {
		w := wantEdges[i]
		v := values(e.AttValues)
		if keyOf[e.Source] != w.from || keyOf[e.Target] != w.to || e.Type != w.typ || e.Label != w.label || e.Weight != w.weight ||
			e.Start != w.start || e.End != w.end || v["relation"] != w.label || v["negated"] != w.negated || v["hedged"] != w.hedged ||
			v["evidence_count"] != w.count || v["evidence"] != w.evidence {
			t.Errorf("edge %d reads back as %s→%s %s %q weight %v [%s, %s] %v; want %+v",
				i, keyOf[e.Source], keyOf[e.Target], e.Type, e.Label, e.Weight, e.Start, e.End, v, w)
		}
	}
}

func TestWriteUnknownEntity(t *testing.T) {
	c := exchangetest.Network()
	c.Links[1].From = "99"
	err := Write(&bytes.Buffer{}, c)
	if err == nil || !strings.Contains(err.Error(), `"99"`) {
		t.Fatalf("error %v, want one naming the missing entity", err)
	}
}

// TestHostileNames: names with control characters, bytes that are not
// UTF-8, XML's own syntax and characters XML forbids give a file gonum
// reads, the text as written where XML can carry it, U+FFFD where not.
func TestHostileNames(t *testing.T) {
	for _, tc := range []struct{ name, want string }{
		{`<b>&"'</b>`, `<b>&"'</b>`},
		{"]]> --> <!-- <?pi?>", "]]> --> <!-- <?pi?>"},
		{"bell\x07nul\x00esc\x1b", "bell\uFFFDnul\uFFFDesc\uFFFD"},
		{"bad\xff\xfeutf8", "bad\uFFFD\uFFFDutf8"},
		{"nonchar\uFFFEx\uFFFF", "nonchar\uFFFDx\uFFFD"},
		{"tab\tcr\rline\nfeed", "tab\tcr\rline\nfeed"},
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
			g := read(t, buf.Bytes())
			if got := g.Graph.Nodes.Nodes[0].Label; got != tc.want {
				t.Errorf("label reads back %q, want %q", got, tc.want)
			}
			if got := values(g.Graph.Nodes.Nodes[1].AttValues)["key"]; got != tc.want {
				t.Errorf("key reads back %q, want %q", got, tc.want)
			}
		})
	}
}

// FuzzWrite: whatever names, keys and sentences a case holds, the file is
// one gonum reads, with a node per entity and an edge per link.
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
		g := read(t, buf.Bytes())
		if len(g.Graph.Nodes.Nodes) != 2 || len(g.Graph.Edges.Edges) != 2 {
			t.Fatalf("%d nodes, %d edges; want 2, 2", len(g.Graph.Nodes.Nodes), len(g.Graph.Edges.Edges))
		}
	})
}
