package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"mosaic/internal/graph"
)

// betweennessBudget bounds sources × row entries (two per edge) for
// betweenness when --samples is 0. Below it scores are exact: 10,000 nodes
// with 50,000 edges, say. Above it sources are sampled: 50 for 10M edges,
// half a minute on two cores.
const betweennessBudget = 1e9

func runAnalyze(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "analyze", "--edges FILE.tsv [--json] [--top 20] [--samples N] [--communities FILE.tsv]",
		"Reads a network as a TSV edge list, one source<TAB>target[<TAB>weight] line per edge\n"+
			"(labels are any text; blank lines and # comments are skipped; repeated edges add up),\n"+
			"and reports its communities (Louvain) and the nodes that rank highest by degree,\n"+
			"PageRank, betweenness and eigenvector centrality. Betweenness is exact on small\n"+
			"graphs and estimated from sampled sources on large ones; the output says which.")
	path := fs.String("edges", "", "TSV edge list (- for standard input)")
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
	if len(pos) != 0 || *path == "" || *top < 0 || *resolution <= 0 {
		fs.Usage()
		return errUsage
	}
	var in io.Reader = os.Stdin
	if *path != "-" {
		f, err := os.Open(*path)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}

	steps := &stepTimer{e: e}
	start := time.Now()
	var g *graph.Graph
	var labels []string
	if err := steps.run("reading "+*path, &steps.times.Read, func() (err error) {
		g, labels, err = graph.ReadEdgeList(ctxReader{ctx, in}, *path)
		return err
	}); err != nil {
		return err
	}
	a := analysis{File: *path, Nodes: g.Nodes(), Edges: g.Edges(), TotalWeight: g.TotalWeight()}
	ranked := func(scores []float64) []rankedNode {
		out := []rankedNode{}
		for _, v := range graph.Top(scores, *top) {
			out = append(out, rankedNode{labels[v], scores[v]})
		}
		return out
	}

	degree := make([]float64, g.Nodes())
	for v := range degree {
		degree[v] = float64(g.Degree(int32(v)))
	}
	a.Degree = ranked(degree)

	var pagerank []float64
	steps.run("PageRank", &steps.times.PageRank, func() error {
		pagerank = graph.PageRank(g, 0.85, 1e-9, 1000)
		return nil
	})
	a.PageRank = ranked(pagerank)

	var community []int32
	if err := steps.run("communities", &steps.times.Louvain, func() (err error) {
		community, a.Communities.Modularity, err = graph.Louvain(ctx, g, graph.LouvainOptions{Resolution: *resolution, Seed: *seed})
		return err
	}); err != nil {
		return err
	}
	a.Communities.Resolution = *resolution
	a.Communities.List = communities(community, pagerank, labels, *top)
	if len(community) > 0 {
		a.Communities.Count = int(slices.Max(community)) + 1
	}

	n := g.Nodes()
	entries := 2 * float64(g.Edges())
	k := *samples
	if k == 0 && float64(n)*entries > betweennessBudget {
		k = max(16, int(betweennessBudget/max(entries, 1)))
	}
	var betweenness []float64
	if err := steps.run("betweenness", &steps.times.Betweenness, func() (err error) {
		betweenness, a.Betweenness.Sampled, err = graph.Betweenness(ctx, g, k, *seed)
		return err
	}); err != nil {
		return err
	}
	a.Betweenness.Sources = n
	if a.Betweenness.Sampled {
		a.Betweenness.Sources = k
	}
	a.Betweenness.Top = ranked(betweenness)

	var eigen []float64
	steps.run("eigenvector centrality", &steps.times.Eigenvector, func() error {
		eigen = graph.Eigenvector(g, 1e-6, 1000)
		return nil
	})
	a.Eigenvector = ranked(eigen)
	steps.times.Total = time.Since(start).Seconds()
	a.Seconds = steps.times

	if *membership != "" {
		if err := writeMembership(*membership, labels, community); err != nil {
			return err
		}
	}
	if *asJSON {
		return e.jsonOut().Encode(a)
	}
	a.print(e.stdout)
	return nil
}

// analysis is the output of mosaic analyze.
type analysis struct {
	File        string  `json:"file"`
	Nodes       int     `json:"nodes"`
	Edges       int     `json:"edges"`
	TotalWeight float64 `json:"total_weight"`
	Communities struct {
		Count      int     `json:"count"`
		Modularity float64 `json:"modularity"`
		Resolution float64 `json:"resolution"`
		// List holds the largest communities, largest first.
		List []communityJSON `json:"largest"`
	} `json:"communities"`
	Degree      []rankedNode `json:"degree"`
	PageRank    []rankedNode `json:"pagerank"`
	Betweenness struct {
		// Sampled says the scores are estimates from Sources sources
		// rather than exact.
		Sampled bool         `json:"sampled"`
		Sources int          `json:"sources"`
		Top     []rankedNode `json:"top"`
	} `json:"betweenness"`
	Eigenvector []rankedNode `json:"eigenvector"`
	Seconds     stepTimes    `json:"seconds"`
}

// rankedNode is a node of a ranking with its score.
type rankedNode struct {
	Node  string  `json:"node"`
	Score float64 `json:"score"`
}

// communityJSON is one community: its size and its members of highest
// PageRank, the names an analyst would recognise it by.
type communityJSON struct {
	ID      int      `json:"id"`
	Size    int      `json:"size"`
	Members []string `json:"members"`
}

// membersShown is how many members each listed community shows.
const membersShown = 10

// communities lists the k largest communities (Louvain numbers them by
// size) with their members of highest PageRank.
func communities(community []int32, pagerank []float64, labels []string, k int) []communityJSON {
	out := []communityJSON{}
	if len(community) == 0 {
		return out
	}
	k = min(k, int(slices.Max(community))+1)
	members := make([][]int32, k)
	sizes := make([]int, k)
	for v, c := range community {
		if int(c) < k {
			members[c] = append(members[c], int32(v))
			sizes[c]++
		}
	}
	for c := range k {
		m := members[c]
		slices.SortFunc(m, func(a, b int32) int {
			return cmp.Or(cmp.Compare(pagerank[b], pagerank[a]), cmp.Compare(a, b))
		})
		names := []string{}
		for _, v := range m[:min(len(m), membersShown)] {
			names = append(names, labels[v])
		}
		out = append(out, communityJSON{ID: c, Size: sizes[c], Members: names})
	}
	return out
}

// writeMembership writes label<TAB>community lines.
func writeMembership(path string, labels []string, community []int32) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	w := bufio.NewWriterSize(f, 1<<16)
	for v, c := range community {
		fmt.Fprintf(w, "%s\t%d\n", labels[v], c)
	}
	if err := w.Flush(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// ctxReader stops a long read when its context is cancelled.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

func (a *analysis) print(w io.Writer) {
	fmt.Fprintf(w, "%s: %d nodes, %d edges, total weight %g\n", a.File, a.Nodes, a.Edges, a.TotalWeight)
	c := a.Communities
	fmt.Fprintf(w, "\n%d communities, modularity %.4f (resolution %g). Largest, with members of highest PageRank:\n", c.Count, c.Modularity, c.Resolution)
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, x := range c.List {
		more := ""
		if x.Size > len(x.Members) {
			more = fmt.Sprintf(", … %d more", x.Size-len(x.Members))
		}
		fmt.Fprintf(tw, "  %d\t%d nodes\t%s%s\n", x.ID, x.Size, strings.Join(x.Members, ", "), more)
	}
	tw.Flush()
	how := "exact"
	if a.Betweenness.Sampled {
		how = fmt.Sprintf("estimated from %d sampled sources", a.Betweenness.Sources)
	}
	for _, r := range []struct {
		title string
		nodes []rankedNode
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
			fmt.Fprintf(tw, "  %d\t%s\t"+r.ff+"\n", i+1, x.Node, x.Score)
		}
		tw.Flush()
	}
	s := a.Seconds
	fmt.Fprintf(w, "\n%.2fs: read %.2fs, PageRank %.2fs, communities %.2fs, betweenness %.2fs, eigenvector %.2fs\n",
		s.Total, s.Read, s.PageRank, s.Louvain, s.Betweenness, s.Eigenvector)
}

// stepTimes are the seconds each step of analyze took.
type stepTimes struct {
	Read        float64 `json:"read"`
	PageRank    float64 `json:"pagerank"`
	Louvain     float64 `json:"communities"`
	Betweenness float64 `json:"betweenness"`
	Eigenvector float64 `json:"eigenvector"`
	Total       float64 `json:"total"`
}

// stepTimer times the steps of a command and, on a terminal, shows the one
// running, since on a large graph each takes seconds.
type stepTimer struct {
	e     *env
	times stepTimes
}

// run runs f as the step called name and stores its duration in secs.
func (t *stepTimer) run(name string, secs *float64, f func() error) error {
	if t.e.tty {
		fmt.Fprintf(t.e.stderr, "\r\033[K%s…", name)
	}
	start := time.Now()
	err := f()
	*secs = time.Since(start).Seconds()
	if t.e.tty {
		fmt.Fprint(t.e.stderr, "\r\033[K")
	}
	return err
}
