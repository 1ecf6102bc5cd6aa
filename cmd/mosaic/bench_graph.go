package main

import (
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"time"

	"mosaic/internal/graph"
)

// benchGraphRow is what mosaic bench-graph measures.
type benchGraphRow struct {
	Nodes    int   `json:"nodes"`
	Edges    int   `json:"edges"`
	Seed     int64 `json:"seed"`
	CPUs     int   `json:"cpus"`
	MaxProcs int   `json:"gomaxprocs"`
	// GenerateSeconds covers drawing the edges and building the graph;
	// BuildSeconds building it again from its edges in random order.
	GenerateSeconds float64 `json:"generate_seconds"`
	BuildSeconds    float64 `json:"build_seconds"`
	GraphMB         float64 `json:"graph_mb"`
	PeakRSSMB       float64 `json:"peak_rss_mb"`

	Queries    int        `json:"queries"`
	Within     latencyRow `json:"two_hops"`
	WithinCap  int        `json:"two_hops_cap"`
	WithinSize float64    `json:"two_hops_mean_nodes"`
	// WithinCapped is the share of 2-hop queries that hit the cap.
	WithinCapped float64    `json:"two_hops_capped_share"`
	Path         latencyRow `json:"shortest_path"`
	PathHops     float64    `json:"shortest_path_mean_hops"`

	LouvainSeconds     float64 `json:"louvain_seconds"`
	Modularity         float64 `json:"modularity"`
	Communities        int     `json:"communities"`
	PageRankSeconds    float64 `json:"pagerank_seconds"`
	EigenvectorSeconds float64 `json:"eigenvector_seconds"`
	// Betweenness is always sampled here: exact scores on a million
	// nodes take hours.
	BetweennessSeconds float64 `json:"betweenness_seconds"`
	BetweennessSources int     `json:"betweenness_sources"`
}

// latencyRow is a latency distribution in milliseconds.
type latencyRow struct {
	P50 float64 `json:"p50_ms"`
	P95 float64 `json:"p95_ms"`
	Max float64 `json:"max_ms"`
}

func newLatencyRow(ds []time.Duration) latencyRow {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return d.Seconds() * 1e3 }
	return latencyRow{ms(ds[len(ds)/2]), ms(ds[len(ds)*95/100]), ms(ds[len(ds)-1])}
}

func runBenchGraph(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench-graph", "[--nodes 1000000] [--edges 10000000] [--seed 1] [--json] [--write-edges FILE.tsv]",
		"Generates a graph with planted communities and heavy-tailed degrees, and measures\n"+
			"building it, memory, 2-hop neighbourhoods and shortest paths between random nodes\n"+
			"(median and 95th percentile), Louvain, PageRank, eigenvector centrality and sampled\n"+
			"betweenness. --write-edges saves the graph as a TSV edge list, so that other tools\n"+
			"(scripts/igraph-louvain.py) can be measured on the same graph.")
	nodes := fs.Int("nodes", 1_000_000, "nodes of the generated graph")
	edges := fs.Int("edges", 10_000_000, "edges of the generated graph")
	seed := fs.Int64("seed", 1, "seed of the generator, the queries and the algorithms")
	queries := fs.Int("queries", 1000, "random 2-hop and shortest-path queries to time")
	within := fs.Int("cap", 10000, "most nodes a 2-hop query returns (0: no cap)")
	samples := fs.Int("samples", 100, "betweenness sources to sample (0 skips betweenness)")
	asJSON := fs.Bool("json", false, "print JSON")
	writeEdges := fs.String("write-edges", "", "write the generated graph to this TSV edge list")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *nodes < 2 || *edges < 1 || *queries < 1 {
		fs.Usage()
		return errUsage
	}
	say := func(format string, a ...any) {
		if !*asJSON {
			fmt.Fprintf(e.stderr, format+"\n", a...)
		}
	}
	row := benchGraphRow{Seed: *seed, CPUs: runtime.NumCPU(), MaxProcs: runtime.GOMAXPROCS(0), Queries: *queries, WithinCap: *within}
	runtime.GC()
	resetPeakRSS()

	start := time.Now()
	g, _ := graph.Generate(*nodes, *edges, *seed)
	row.GenerateSeconds = time.Since(start).Seconds()
	row.Nodes, row.Edges = g.Nodes(), g.Edges()
	row.GraphMB = float64(8*(g.Nodes()+1)+24*g.Edges()) / 1e6
	say("generated %d nodes, %d edges in %.1fs", row.Nodes, row.Edges, row.GenerateSeconds)
	if err := ctx.Err(); err != nil {
		return err
	}

	if *writeEdges != "" {
		if err := writeEdgeFile(*writeEdges, g); err != nil {
			return err
		}
		say("wrote %s", *writeEdges)
	}

	// Build again from the edges in random order, the worst case for the
	// counting sort's memory access.
	us, vs, ws := edgeList(g)
	rng := rand.New(rand.NewPCG(uint64(*seed), 3))
	rng.Shuffle(len(us), func(i, j int) {
		us[i], us[j] = us[j], us[i]
		vs[i], vs[j] = vs[j], vs[i]
		ws[i], ws[j] = ws[j], ws[i]
	})
	n := g.Nodes()
	g = nil // leave the memory to the build
	start = time.Now()
	b := graph.NewBuilder(n)
	b.Grow(len(us))
	for i := range us {
		b.AddEdge(us[i], vs[i], ws[i])
	}
	us, vs, ws = nil, nil, nil
	g = b.Build()
	row.BuildSeconds = time.Since(start).Seconds()
	say("built %d edges in %.1fs", g.Edges(), row.BuildSeconds)

	s := graph.NewSearcher(g)
	ds := make([]time.Duration, *queries)
	reached, capped := 0, 0
	for i := range ds {
		src := int32(rng.IntN(g.Nodes()))
		t := time.Now()
		r, complete := s.Within(src, 2, *within)
		ds[i] = time.Since(t)
		reached += len(r)
		if !complete {
			capped++
		}
	}
	row.Within = newLatencyRow(ds)
	row.WithinSize = float64(reached) / float64(*queries)
	row.WithinCapped = float64(capped) / float64(*queries)
	say("2 hops: p50 %.3f ms, p95 %.3f ms", row.Within.P50, row.Within.P95)

	hops, found := 0, 0
	for i := range ds {
		src, dst := int32(rng.IntN(g.Nodes())), int32(rng.IntN(g.Nodes()))
		t := time.Now()
		p := s.ShortestPath(src, dst)
		ds[i] = time.Since(t)
		if p != nil {
			hops += len(p) - 1
			found++
		}
	}
	row.Path = newLatencyRow(ds)
	row.PathHops = float64(hops) / float64(max(found, 1))
	say("shortest path: p50 %.3f ms, p95 %.3f ms", row.Path.P50, row.Path.P95)
	if err := ctx.Err(); err != nil {
		return err
	}

	start = time.Now()
	community, q, err := graph.Louvain(ctx, g, graph.LouvainOptions{Seed: *seed})
	if err != nil {
		return err
	}
	row.LouvainSeconds = time.Since(start).Seconds()
	row.Modularity = q
	row.Communities = int(slices.Max(community)) + 1
	say("Louvain: %.1fs, modularity %.4f, %d communities", row.LouvainSeconds, q, row.Communities)

	start = time.Now()
	graph.PageRank(g, 0.85, 1e-6, 100)
	row.PageRankSeconds = time.Since(start).Seconds()
	say("PageRank: %.1fs", row.PageRankSeconds)

	start = time.Now()
	graph.Eigenvector(g, 1e-6, 1000)
	row.EigenvectorSeconds = time.Since(start).Seconds()
	say("eigenvector: %.1fs", row.EigenvectorSeconds)

	if *samples > 0 {
		start = time.Now()
		if _, _, err := graph.Betweenness(ctx, g, *samples, *seed); err != nil {
			return err
		}
		row.BetweennessSeconds = time.Since(start).Seconds()
		row.BetweennessSources = min(*samples, g.Nodes())
		say("betweenness: %.1fs", row.BetweennessSeconds)
	}
	row.PeakRSSMB = peakRSSMB()

	if *asJSON {
		return e.jsonOut().Encode(row)
	}
	w := e.stdout
	fmt.Fprintf(w, "graph               %d nodes, %d edges (seed %d), %.0f MB as CSR\n", row.Nodes, row.Edges, row.Seed, row.GraphMB)
	fmt.Fprintf(w, "generate            %.2fs (draws and build)\n", row.GenerateSeconds)
	fmt.Fprintf(w, "build               %.2fs from %d edges in random order\n", row.BuildSeconds, row.Edges)
	fmt.Fprintf(w, "peak RSS            %.0f MB\n", row.PeakRSSMB)
	fmt.Fprintf(w, "2 hops              p50 %.3f ms, p95 %.3f ms, max %.3f ms; %.0f nodes on average, cap %d hit by %.1f%% of %d queries\n",
		row.Within.P50, row.Within.P95, row.Within.Max, row.WithinSize, row.WithinCap, 100*row.WithinCapped, row.Queries)
	fmt.Fprintf(w, "shortest path       p50 %.3f ms, p95 %.3f ms, max %.3f ms; %.1f hops on average over %d random pairs\n",
		row.Path.P50, row.Path.P95, row.Path.Max, row.PathHops, row.Queries)
	fmt.Fprintf(w, "Louvain             %.2fs, modularity %.4f, %d communities\n", row.LouvainSeconds, row.Modularity, row.Communities)
	fmt.Fprintf(w, "PageRank            %.2fs\n", row.PageRankSeconds)
	fmt.Fprintf(w, "eigenvector         %.2fs\n", row.EigenvectorSeconds)
	if row.BetweennessSources > 0 {
		fmt.Fprintf(w, "betweenness         %.2fs, sampled from %d sources\n", row.BetweennessSeconds, row.BetweennessSources)
	}
	fmt.Fprintf(w, "(%d CPUs, GOMAXPROCS %d, %s/%s)\n", row.CPUs, row.MaxProcs, runtime.GOOS, runtime.GOARCH)
	return nil
}

// edgeList returns the edges of g, each once.
func edgeList(g *graph.Graph) (us, vs []int32, ws []float64) {
	us = make([]int32, 0, g.Edges())
	vs = make([]int32, 0, g.Edges())
	ws = make([]float64, 0, g.Edges())
	for u := range int32(g.Nodes()) {
		targets, weights := g.Neighbours(u)
		for i, v := range targets {
			if u < v {
				us, vs, ws = append(us, u), append(vs, v), append(ws, weights[i])
			}
		}
	}
	return us, vs, ws
}

func writeEdgeFile(path string, g *graph.Graph) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := graph.WriteEdgeList(f, g, nil); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
