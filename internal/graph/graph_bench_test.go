package graph

import (
	"context"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"
)

// The benchmark graph: Generate(1_000_000, 10_000_000, 1), built once.
//
//	go test ./internal/graph -run X -bench . -benchtime 1x
var big struct {
	once sync.Once
	g    *Graph
}

func bigGraph(b *testing.B) *Graph {
	if testing.Short() {
		b.Skip("the benchmark graph has 10M edges; skipped with -short")
	}
	big.once.Do(func() {
		start := time.Now()
		big.g, _ = Generate(1_000_000, 10_000_000, 1)
		b.Logf("generated %d nodes, %d edges in %v", big.g.Nodes(), big.g.Edges(), time.Since(start))
	})
	b.ResetTimer()
	return big.g
}

// latencies reports the median, 95th percentile and largest of ds.
func latencies(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	ms := func(d time.Duration) float64 { return d.Seconds() * 1e3 }
	b.ReportMetric(ms(ds[len(ds)/2]), "p50-ms")
	b.ReportMetric(ms(ds[len(ds)*95/100]), "p95-ms")
	b.ReportMetric(ms(ds[len(ds)-1]), "max-ms")
}

// queries is the number of random queries a latency benchmark times.
const queries = 1000

func BenchmarkWithin2Hops(b *testing.B) {
	g := bigGraph(b)
	for _, bb := range []struct {
		name string
		max  int
	}{{"cap=10000", 10000}, {"uncapped", 0}} {
		b.Run(bb.name, func(b *testing.B) {
			s := NewSearcher(g)
			rng := rand.New(rand.NewPCG(1, 1))
			for range b.N {
				ds := make([]time.Duration, queries)
				reached, capped := 0, 0
				for i := range ds {
					src := int32(rng.IntN(g.Nodes()))
					start := time.Now()
					r, complete := s.Within(src, 2, bb.max)
					ds[i] = time.Since(start)
					reached += len(r)
					if !complete {
						capped++
					}
				}
				latencies(b, ds)
				b.ReportMetric(float64(reached)/queries, "nodes/query")
				b.ReportMetric(float64(capped)/queries, "capped-share")
			}
		})
	}
}

func BenchmarkShortestPath(b *testing.B) {
	g := bigGraph(b)
	s := NewSearcher(g)
	rng := rand.New(rand.NewPCG(2, 2))
	for range b.N {
		ds := make([]time.Duration, queries)
		hops, found := 0, 0
		for i := range ds {
			src, dst := int32(rng.IntN(g.Nodes())), int32(rng.IntN(g.Nodes()))
			start := time.Now()
			p := s.ShortestPath(src, dst)
			ds[i] = time.Since(start)
			if p != nil {
				hops += len(p) - 1
				found++
			}
		}
		latencies(b, ds)
		b.ReportMetric(float64(hops)/float64(max(found, 1)), "hops")
	}
}

func BenchmarkKShortestPaths(b *testing.B) {
	g := bigGraph(b)
	s := NewSearcher(g)
	rng := rand.New(rand.NewPCG(3, 3))
	for range b.N {
		ds := make([]time.Duration, 100)
		for i := range ds {
			src, dst := int32(rng.IntN(g.Nodes())), int32(rng.IntN(g.Nodes()))
			start := time.Now()
			s.KShortestPaths(src, dst, 5, 6)
			ds[i] = time.Since(start)
		}
		latencies(b, ds)
	}
}

func BenchmarkLouvain(b *testing.B) {
	g := bigGraph(b)
	for range b.N {
		comm, q, err := Louvain(context.Background(), g, LouvainOptions{Seed: 1})
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(q, "modularity")
		b.ReportMetric(float64(slices.Max(comm)+1), "communities")
	}
}

func BenchmarkPageRank(b *testing.B) {
	g := bigGraph(b)
	for range b.N {
		PageRank(g, 0.85, 1e-6, 100)
	}
}

func BenchmarkEigenvector(b *testing.B) {
	g := bigGraph(b)
	for range b.N {
		Eigenvector(g, 1e-6, 200)
	}
}

func BenchmarkBetweennessSampled(b *testing.B) {
	g := bigGraph(b)
	const samples = 100
	for range b.N {
		if _, _, err := Betweenness(context.Background(), g, samples, 1); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(samples, "sources")
}

func BenchmarkGenerate(b *testing.B) {
	if testing.Short() {
		b.Skip("10M edges; skipped with -short")
	}
	for range b.N {
		Generate(1_000_000, 10_000_000, 1)
	}
}
