package graph

import (
	"cmp"
	"context"
	"slices"
	"time"
)

// BetweennessBudget bounds sources × row entries (two per edge) for
// Analyse's betweenness when AnalyseOptions.Samples is 0. Below it scores
// are exact: 10,000 nodes with 50,000 edges, say. Above it sources are
// sampled: 50 for 10M edges, half a minute on two cores.
const BetweennessBudget = 1e9

// AnalyseOptions choose what Analyse reports.
type AnalyseOptions struct {
	// Top is how many nodes each ranking lists, and how many communities
	// are listed; 0 means 20.
	Top int
	// Samples is the number of betweenness sources: 0 chooses by graph
	// size (exact within BetweennessBudget), -1 means all (exact).
	Samples int
	// Seed fixes Louvain's node order and the betweenness sample.
	Seed int64
	// Resolution is the modularity resolution; 0 means 1.
	Resolution float64
	// Step, when set, is called as each step starts, to show progress.
	Step func(name string)
}

// Ranked is a node of a ranking with its score.
type Ranked struct {
	Node  int32
	Score float64
}

// Community is one community of an analysis: its size and its members of
// highest PageRank, the ones an analyst would recognise it by.
type Community struct {
	ID      int
	Size    int
	Members []int32
}

// membersShown is how many members each listed community shows.
const membersShown = 10

// Analysis is what Analyse finds in a graph: its communities and the nodes
// that rank highest by each centrality.
type Analysis struct {
	Nodes, Edges int
	TotalWeight  float64
	// Membership is each node's community, numbered from 0 by decreasing
	// size; Largest lists the first Top of them.
	Membership  []int32
	Communities int
	Modularity  float64
	Resolution  float64
	Largest     []Community
	Degree      []Ranked
	PageRank    []Ranked
	Eigenvector []Ranked
	// Betweenness is exact unless BetweennessSampled, when it is
	// estimated from BetweennessSources sampled sources.
	Betweenness        []Ranked
	BetweennessSampled bool
	BetweennessSources int
	Seconds            StepTimes
	// Scores holds every node's scores, indexed by node, for rankings
	// of a subset of the nodes (the people of a network, say).
	Scores Scores
}

// Scores are every node's centralities, indexed by node.
type Scores struct {
	Degree, PageRank, Betweenness, Eigenvector []float64
}

// StepTimes are the seconds each step of an analysis took. Read is the
// time the caller took to get the graph, which Report adds.
type StepTimes struct {
	Read        float64 `json:"read"`
	PageRank    float64 `json:"pagerank"`
	Louvain     float64 `json:"communities"`
	Betweenness float64 `json:"betweenness"`
	Eigenvector float64 `json:"eigenvector"`
	Total       float64 `json:"total"`
}

// Analyse finds g's communities (Louvain) and ranks its nodes by degree,
// PageRank, betweenness and eigenvector centrality. The only error is
// ctx's, when it is cancelled.
func Analyse(ctx context.Context, g *Graph, opts AnalyseOptions) (*Analysis, error) {
	if opts.Top == 0 {
		opts.Top = 20
	}
	if opts.Resolution == 0 {
		opts.Resolution = 1
	}
	start := time.Now()
	a := &Analysis{Nodes: g.Nodes(), Edges: g.Edges(), TotalWeight: g.TotalWeight(), Resolution: opts.Resolution}
	step := func(name string, secs *float64, f func() error) error {
		if opts.Step != nil {
			opts.Step(name)
		}
		t := time.Now()
		err := f()
		*secs = time.Since(t).Seconds()
		if err == nil {
			err = ctx.Err()
		}
		return err
	}
	ranked := func(scores []float64) []Ranked {
		out := []Ranked{}
		for _, v := range Top(scores, opts.Top) {
			out = append(out, Ranked{v, scores[v]})
		}
		return out
	}

	degree := make([]float64, a.Nodes)
	for v := range degree {
		degree[v] = float64(g.Degree(int32(v)))
	}
	a.Degree = ranked(degree)
	a.Scores.Degree = degree

	var pagerank []float64
	if err := step("PageRank", &a.Seconds.PageRank, func() error {
		pagerank = PageRank(g, 0.85, 1e-9, 1000)
		return nil
	}); err != nil {
		return nil, err
	}
	a.PageRank = ranked(pagerank)
	a.Scores.PageRank = pagerank

	if err := step("communities", &a.Seconds.Louvain, func() (err error) {
		a.Membership, a.Modularity, err = Louvain(ctx, g, LouvainOptions{Resolution: opts.Resolution, Seed: opts.Seed})
		return err
	}); err != nil {
		return nil, err
	}
	if len(a.Membership) > 0 {
		a.Communities = int(slices.Max(a.Membership)) + 1
	}
	a.Largest = largest(a.Membership, a.Communities, pagerank, opts.Top)

	entries := 2 * float64(a.Edges)
	k := opts.Samples
	if k == 0 && float64(a.Nodes)*entries > BetweennessBudget {
		k = max(16, int(BetweennessBudget/max(entries, 1)))
	}
	var betweenness []float64
	if err := step("betweenness", &a.Seconds.Betweenness, func() (err error) {
		betweenness, a.BetweennessSampled, err = Betweenness(ctx, g, k, opts.Seed)
		return err
	}); err != nil {
		return nil, err
	}
	a.BetweennessSources = a.Nodes
	if a.BetweennessSampled {
		a.BetweennessSources = k
	}
	a.Betweenness = ranked(betweenness)
	a.Scores.Betweenness = betweenness

	var eigen []float64
	if err := step("eigenvector centrality", &a.Seconds.Eigenvector, func() error {
		eigen = Eigenvector(g, 1e-6, 1000)
		return nil
	}); err != nil {
		return nil, err
	}
	a.Eigenvector = ranked(eigen)
	a.Scores.Eigenvector = eigen
	a.Seconds.Total = time.Since(start).Seconds()
	return a, nil
}

// largest lists the k largest communities (Louvain numbers them by size)
// with their members of highest PageRank.
func largest(membership []int32, count int, pagerank []float64, k int) []Community {
	k = min(k, count)
	out := make([]Community, k)
	for c := range out {
		out[c].ID = c
	}
	for v, c := range membership {
		if int(c) < k {
			out[c].Members = append(out[c].Members, int32(v))
			out[c].Size++
		}
	}
	for c := range out {
		m := out[c].Members
		slices.SortFunc(m, func(a, b int32) int {
			return cmp.Or(cmp.Compare(pagerank[b], pagerank[a]), cmp.Compare(a, b))
		})
		out[c].Members = m[:min(len(m), membersShown)]
	}
	return out
}

// Label names a node in a report: its label and, when the graph's nodes
// stand for stored things, their id and kind.
type Label struct {
	Node string `json:"node"`
	ID   int64  `json:"id,omitempty"`
	Kind string `json:"kind,omitempty"`
}

// RankedLabel is a labelled node of a ranking with its score.
type RankedLabel struct {
	Label
	Score float64 `json:"score"`
}

// CommunityReport is a community with its members labelled.
type CommunityReport struct {
	ID      int     `json:"id"`
	Size    int     `json:"size"`
	Members []Label `json:"members"`
}

// Report is an analysis with its nodes labelled, as commands and the API
// show it.
type Report struct {
	// Source says what graph was analysed: a file, the evidence network.
	Source      string  `json:"source"`
	Nodes       int     `json:"nodes"`
	Edges       int     `json:"edges"`
	TotalWeight float64 `json:"total_weight"`
	Communities struct {
		Count      int     `json:"count"`
		Modularity float64 `json:"modularity"`
		Resolution float64 `json:"resolution"`
		// Largest holds the largest communities, largest first.
		Largest []CommunityReport `json:"largest"`
	} `json:"communities"`
	Degree      []RankedLabel `json:"degree"`
	PageRank    []RankedLabel `json:"pagerank"`
	Betweenness struct {
		// Sampled says the scores are estimates from Sources sources
		// rather than exact.
		Sampled bool          `json:"sampled"`
		Sources int           `json:"sources"`
		Top     []RankedLabel `json:"top"`
	} `json:"betweenness"`
	Eigenvector []RankedLabel `json:"eigenvector"`
	Seconds     StepTimes     `json:"seconds"`
}

// Report labels the analysis's nodes, for the graph called source that
// took read to get.
func (a *Analysis) Report(source string, read time.Duration, label func(v int32) Label) Report {
	r := Report{Source: source, Nodes: a.Nodes, Edges: a.Edges, TotalWeight: a.TotalWeight, Seconds: a.Seconds}
	r.Seconds.Read = read.Seconds()
	r.Seconds.Total += r.Seconds.Read
	ranked := func(rs []Ranked) []RankedLabel {
		out := make([]RankedLabel, len(rs))
		for i, x := range rs {
			out[i] = RankedLabel{label(x.Node), x.Score}
		}
		return out
	}
	r.Communities.Count, r.Communities.Modularity, r.Communities.Resolution = a.Communities, a.Modularity, a.Resolution
	r.Communities.Largest = make([]CommunityReport, len(a.Largest))
	for i, c := range a.Largest {
		members := make([]Label, len(c.Members))
		for j, v := range c.Members {
			members[j] = label(v)
		}
		r.Communities.Largest[i] = CommunityReport{c.ID, c.Size, members}
	}
	r.Degree, r.PageRank, r.Eigenvector = ranked(a.Degree), ranked(a.PageRank), ranked(a.Eigenvector)
	r.Betweenness.Sampled, r.Betweenness.Sources, r.Betweenness.Top = a.BetweennessSampled, a.BetweennessSources, ranked(a.Betweenness)
	return r
}
