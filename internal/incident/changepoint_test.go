package incident

import (
	"math"
	"math/rand/v2"
	"testing"
)

// exactPartitionCost is optimal partitioning (Jackson et al. 2005) written
// plainly: every last change for every end, O(n²), with the segment cost
// computed from the counts directly rather than from prefix sums.
func exactPartitionCost(counts []int, exposure []float64, beta float64, minSeg int) float64 {
	n := len(counts)
	segCost := func(a, b int) float64 {
		var s, e float64
		for i := a; i < b; i++ {
			s += float64(counts[i])
			if exposure == nil {
				e++
			} else {
				e += exposure[i]
			}
		}
		if s == 0 {
			return 0
		}
		// 2·(λe − s·ln λ) at λ = s/e, without the partition-free terms.
		lambda := s / e
		return 2 * (lambda*e - s*math.Log(lambda))
	}
	f := make([]float64, n+1)
	f[0] = -beta
	for t := 1; t <= n; t++ {
		f[t] = math.Inf(1)
		for tau := 0; tau <= t-minSeg; tau++ {
			if tau != 0 && tau < minSeg {
				continue
			}
			if v := f[tau] + segCost(tau, t) + beta; v < f[t] {
				f[t] = v
			}
		}
	}
	return f[n]
}

// poissonDraw draws a Poisson variate by inversion, fine for the small
// means used here.
func poissonDraw(rng *rand.Rand, mean float64) int {
	if mean > 30 {
		// Normal approximation is not good enough for tests of coverage;
		// sum smaller draws instead.
		return poissonDraw(rng, mean/2) + poissonDraw(rng, mean-mean/2)
	}
	l, k, p := math.Exp(-mean), 0, 1.0
	for {
		p *= rng.Float64()
		if p <= l {
			return k
		}
		k++
	}
}

func TestChangePointsMatchExactOptimum(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 3))
	for trial := 0; trial < 400; trial++ {
		n := 1 + rng.IntN(120)
		counts := make([]int, n)
		rate := rng.Float64() * 5
		for i := range counts {
			if rng.IntN(15) == 0 {
				rate = rng.Float64() * 8
			}
			counts[i] = poissonDraw(rng, rate)
		}
		var exposure []float64
		if trial%3 == 0 {
			exposure = make([]float64, n)
			for i := range exposure {
				exposure[i] = 0.2 + 2*rng.Float64()
			}
		}
		opt := ChangeOptions{MinSegment: []int{0, 1, 2, 3, 5, 8}[trial%6], Exposure: exposure}
		if trial%4 == 1 {
			opt.Penalty = 0.5 + 10*rng.Float64()
		}
		got, err := ChangePoints(counts, opt)
		if err != nil {
			t.Fatal(err)
		}
		minSeg := max(opt.MinSegment, 1)
		if minSeg > n {
			minSeg = n
		}
		want := exactPartitionCost(counts, exposure, got.Penalty, minSeg)
		if math.Abs(got.Cost-want) > 1e-8*(1+math.Abs(want)) {
			t.Fatalf("trial %d (n=%d, min %d): PELT cost %.10g, exact optimum %.10g", trial, n, minSeg, got.Cost, want)
		}
		// The reported segments must add up to the reported cost.
		sum := -got.Penalty
		for _, s := range got.Segments {
			if s.End-s.Start < minSeg {
				t.Fatalf("trial %d: segment %d…%d shorter than %d", trial, s.Start, s.End, minSeg)
			}
			sum += exactPartitionCost(counts[s.Start:s.End], sliceOrNil(exposure, s.Start, s.End), 0, s.End-s.Start) + got.Penalty
		}
		if math.Abs(sum-got.Cost) > 1e-8*(1+math.Abs(sum)) {
			t.Fatalf("trial %d: segments cost %.10g, partition says %.10g", trial, sum, got.Cost)
		}
	}
}

func sliceOrNil(x []float64, a, b int) []float64 {
	if x == nil {
		return nil
	}
	return x[a:b]
}

func TestChangePointsDefaultPenalty(t *testing.T) {
	got, err := ChangePoints(make([]int, 100), ChangeOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if want := 2 * math.Log(100); math.Abs(got.Penalty-want) > 1e-12 {
		t.Errorf("penalty = %v, want 2·ln 100 = %v", got.Penalty, want)
	}
	if len(got.Changes) != 0 || len(got.Segments) != 1 || got.Segments[0].Rate != 0 {
		t.Errorf("all-zero series: %+v, want one segment at rate 0", got)
	}
}

func TestChangePointsRejects(t *testing.T) {
	for name, tc := range map[string]struct {
		counts []int
		opt    ChangeOptions
	}{
		"empty":          {nil, ChangeOptions{}},
		"negative count": {[]int{1, -1}, ChangeOptions{}},
		"exposure size":  {[]int{1, 2}, ChangeOptions{Exposure: []float64{1}}},
		"zero exposure":  {[]int{1, 2}, ChangeOptions{Exposure: []float64{1, 0}}},
		"negative min":   {[]int{1, 2}, ChangeOptions{MinSegment: -2}},
		"negative pen":   {[]int{1, 2}, ChangeOptions{Penalty: -1}},
	} {
		if _, err := ChangePoints(tc.counts, tc.opt); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

// TestChangePointsFindsKnownChange simulates 60 bins at rate 2 then 60 at
// rate 6 and asks that the change be found within two bins of bin 60 in at
// least 90% of runs, with the default penalty.
func TestChangePointsFindsKnownChange(t *testing.T) {
	runs := 500
	if testing.Short() {
		runs = 100
	}
	rng := rand.New(rand.NewPCG(13, 4))
	hits, extra := 0, 0
	var rateErr float64
	for r := 0; r < runs; r++ {
		counts := make([]int, 120)
		for i := range counts {
			counts[i] = poissonDraw(rng, map[bool]float64{true: 2, false: 6}[i < 60])
		}
		p, err := ChangePoints(counts, ChangeOptions{MinSegment: 3})
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, c := range p.Changes {
			if c >= 58 && c <= 62 {
				found = true
			}
		}
		if found {
			hits++
		}
		extra += max(len(p.Changes)-1, 0)
		rateErr += math.Abs(p.Segments[0].Rate-2) + math.Abs(p.Segments[len(p.Segments)-1].Rate-6)
	}
	frac := float64(hits) / float64(runs)
	t.Logf("rate 2→6 at bin 60 of 120: found within ±2 bins in %.3f of %d runs; %.3f spurious changes per run; mean |rate error| of first and last segment %.3f",
		frac, runs, float64(extra)/float64(runs), rateErr/float64(2*runs))
	if frac < 0.90 {
		t.Errorf("change found within ±2 bins in %.3f of runs, want ≥ 0.90", frac)
	}
}

// BenchmarkPelt runs change-point detection on ten years of daily counts
// whose rate shifts every year, and on ten years at one steady rate, where
// pruning has least to drop.
func BenchmarkPelt(b *testing.B) {
	rng := rand.New(rand.NewPCG(13, 5))
	counts := make([]int, 3653)
	rate := 1.0
	for i := range counts {
		if i%365 == 0 {
			rate = 0.2 + 3*rng.Float64()
		}
		counts[i] = poissonDraw(rng, rate)
	}
	steady := make([]int, len(counts))
	for i := range steady {
		steady[i] = poissonDraw(rng, 1)
	}
	for _, tc := range []struct {
		name   string
		counts []int
	}{{"changing", counts}, {"steady", steady}} {
		b.Run(tc.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := ChangePoints(tc.counts, ChangeOptions{MinSegment: 7}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
