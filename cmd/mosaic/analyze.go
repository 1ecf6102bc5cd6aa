package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/graph"
	"mosaic/internal/network"
)

func runAnalyze(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "analyze", "[--edges FILE.tsv] [--json] [--top 20] [--samples N] [--communities FILE.tsv]",
		"Finds the communities (Louvain, with modularity) of a network and the nodes that rank\n"+
			"highest by degree, PageRank, betweenness and eigenvector centrality. Betweenness is exact\n"+
			"on small graphs and estimated from sampled sources on large ones; the output says which.\n\n"+
			"With --edges it reads a TSV edge list, one source<TAB>target[<TAB>weight] line per edge\n"+
			"(labels are any text; blank lines and # comments are skipped; repeated edges add up).\n"+
			"Without it, it analyses the case's evidence network, which the filters below narrow:\n"+
			"communities are the cells of people linked more to each other than to the rest, and\n"+
			"people, organisations and places are ranked apart (people first): a place many reports\n"+
			"name is context, not a broker.")
	path := fs.String("edges", "", "TSV edge list (- for standard input)")
	db := dbFlag(fs)
	nf := addNetworkFlags(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	top := fs.Int("top", 20, "nodes to list for each ranking, and communities to list")
	samples := fs.Int("samples", 0, "betweenness sources: 0 chooses by graph size, -1 means all (exact)")
	seed := fs.Int64("seed", 1, "seed of Louvain's node order and of the betweenness sample")
	resolution := fs.Float64("resolution", 1, "modularity resolution: above 1 finds more, smaller communities")
	membership := fs.String("communities", "", "also write each node's community to this file, as label<TAB>community lines")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *top < 1 || *resolution <= 0 {
		fs.Usage()
		return errUsage
	}
	steps := &stepTimer{e: e}
	opts := graph.AnalyseOptions{Top: *top, Samples: *samples, Seed: *seed, Resolution: *resolution, Step: steps.show}
	start := time.Now()
	var g *graph.Graph
	var label func(v int32) graph.Label
	var n *network.Network // the evidence network analysed, if not an edge list
	source := *path
	if *path != "" {
		var labels []string
		steps.show("reading " + *path)
		g, labels, err = readEdges(ctx, *path)
		if err != nil {
			return err
		}
		label = func(v int32) graph.Label { return graph.Label{Node: labels[v]} }
	} else {
		steps.show("building the network")
		st, nw, _, err := openNetwork(ctx, *db, nf)
		if err != nil {
			return err
		}
		st.Close()
		n = nw
		g, label = n.Linked()
		source = "the case's evidence network"
	}
	read := time.Since(start)
	a, err := graph.Analyse(ctx, g, opts)
	steps.done()
	if err != nil {
		return err
	}
	if *membership != "" {
		if err := writeMembership(*membership, label, a.Membership); err != nil {
			return err
		}
	}
	r := a.Report(source, read, label)
	if *path != "" {
		if *asJSON {
			return e.jsonOut().Encode(r)
		}
		printAnalysis(e.stdout, r, nil)
		return nil
	}
	nr := network.Report{Report: r, ByKind: n.ByKind(a, label, *top)}
	if *asJSON {
		return e.jsonOut().Encode(nr)
	}
	printAnalysis(e.stdout, r, nr.ByKind)
	return nil
}

// readEdges reads a TSV edge list from a file or, for "-", standard input.
func readEdges(ctx context.Context, path string) (*graph.Graph, []string, error) {
	var in io.Reader = os.Stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			return nil, nil, err
		}
		defer f.Close()
		in = f
	}
	return graph.ReadEdgeList(document.ReaderContext(ctx, in), path)
}

// writeMembership writes label<TAB>community lines.
func writeMembership(path string, label func(v int32) graph.Label, community []int32) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	for v, c := range community {
		l := label(int32(v))
		if l.ID != 0 {
			fmt.Fprintf(w, "%d\t%s\t%d\n", l.ID, l.Node, c)
		} else {
			fmt.Fprintf(w, "%s\t%d\n", l.Node, c)
		}
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// printAnalysis writes a report as text: with byKind (an evidence
// network's), the rankings of each kind of entity in place of the rankings
// of all nodes together.
func printAnalysis(w io.Writer, a graph.Report, byKind []network.KindRanking) {
	fmt.Fprintf(w, "%s: %d nodes, %d edges, total weight %g\n", a.Source, a.Nodes, a.Edges, a.TotalWeight)
	c := a.Communities
	fmt.Fprintf(w, "\n%d communities, modularity %.4f (resolution %g). Largest, with members of highest PageRank:\n", c.Count, c.Modularity, c.Resolution)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, x := range c.Largest {
		names := make([]string, len(x.Members))
		for i, m := range x.Members {
			names[i] = labelText(m)
		}
		more := ""
		if x.Size > len(x.Members) {
			more = fmt.Sprintf(", … %d more", x.Size-len(x.Members))
		}
		fmt.Fprintf(tw, "  %d\t%d nodes\t%s%s\n", x.ID, x.Size, strings.Join(names, ", "), more)
	}
	tw.Flush()
	how := "exact"
	if a.Betweenness.Sampled {
		how = fmt.Sprintf("estimated from %d sampled sources", a.Betweenness.Sources)
	}
	if byKind != nil {
		printByKind(w, byKind, how)
		s := a.Seconds
		fmt.Fprintf(w, "\n%.2fs: read %.2fs, PageRank %.2fs, communities %.2fs, betweenness %.2fs, eigenvector %.2fs\n",
			s.Total, s.Read, s.PageRank, s.Louvain, s.Betweenness, s.Eigenvector)
		return
	}
	for _, r := range []struct {
		title string
		nodes []graph.RankedLabel
		ff    string
	}{
		{"Degree (neighbours)", a.Degree, "%.0f"},
		{"PageRank", a.PageRank, "%.6f"},
		{"Betweenness, " + how, a.Betweenness.Top, "%.1f"},
		{"Eigenvector centrality (largest 1)", a.Eigenvector, "%.4f"},
	} {
		fmt.Fprintf(w, "\n%s:\n", r.title)
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for i, x := range r.nodes {
			fmt.Fprintf(tw, "  %d\t%s\t"+r.ff+"\n", i+1, labelText(x.Label), x.Score)
		}
		tw.Flush()
	}
	s := a.Seconds
	fmt.Fprintf(w, "\n%.2fs: read %.2fs, PageRank %.2fs, communities %.2fs, betweenness %.2fs, eigenvector %.2fs\n",
		s.Total, s.Read, s.PageRank, s.Louvain, s.Betweenness, s.Eigenvector)
}

// printByKind writes the rankings of each kind of entity, people first:
// brokers (betweenness), PageRank and degree for people and
// organisations; for places, which link the people who pass through them
// without brokering anything, only how many each is linked to.
func printByKind(w io.Writer, byKind []network.KindRanking, how string) {
	for _, k := range byKind {
		rankings := []struct {
			title string
			nodes []graph.RankedLabel
			ff    string
		}{
			{"Brokers: " + k.Title + " (betweenness, " + how + ")", k.Betweenness, "%.1f"},
			{"PageRank: " + k.Title, k.PageRank, "%.6f"},
			{"Degree: " + k.Title, k.Degree, "%.0f"},
		}
		if k.Kind == mosaic.Location {
			rankings = rankings[2:]
			rankings[0].title = "Places, context rather than brokers (degree)"
		}
		for _, r := range rankings {
			fmt.Fprintf(w, "\n%s:\n", r.title)
			if len(r.nodes) == 0 {
				fmt.Fprintln(w, "  none above zero")
				continue
			}
			tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
			for i, x := range r.nodes {
				fmt.Fprintf(tw, "  %d\t%s\t"+r.ff+"\n", i+1, labelText(x.Label), x.Score)
			}
			tw.Flush()
		}
	}
}

// labelText shows a node as its label, with the entity ID when it is one.
func labelText(l graph.Label) string {
	if l.ID != 0 {
		return fmt.Sprintf("%s [%d]", l.Node, l.ID)
	}
	return l.Node
}

// stepTimer shows, on a terminal, the step of a long command that is
// running, since on a large graph each takes seconds.
type stepTimer struct {
	e *env
}

// show replaces the step shown with name.
func (t *stepTimer) show(name string) {
	if t.e.tty {
		fmt.Fprintf(t.e.stderr, "\r\033[K%s…", name)
	}
}

// done clears the step shown.
func (t *stepTimer) done() {
	if t.e.tty {
		fmt.Fprint(t.e.stderr, "\r\033[K")
	}
}
