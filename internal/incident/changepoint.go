package incident

import (
	"fmt"
	"math"
)

// ChangeOptions tune change-point detection.
type ChangeOptions struct {
	// Penalty is added for each segment beyond the first, on the scale of
	// twice the negative log-likelihood. Zero means 2·ln n for n bins: the
	// BIC charge of ln n per parameter for the two a change adds (where it
	// falls and the new rate), the default R's changepoint package uses for
	// its Poisson cost. Raise it to report only larger, surer shifts.
	Penalty float64
	// MinSegment is the fewest bins a segment may hold; zero means 1. A
	// few bins of a rare event say little about a rate, so tempo callers
	// use several.
	MinSegment int
	// Exposure, if set, is each bin's length (in days, say), so that short
	// edge bins of a weekly or monthly series do not read as a drop in
	// rate. Nil means every bin has exposure 1.
	Exposure []float64
}

// Segment is a run of bins with one estimated rate.
type Segment struct {
	// Start is the first bin, End one past the last.
	Start, End int
	// Count is the number of events in the segment.
	Count int
	// Rate is the segment's maximum-likelihood rate: events per unit of
	// exposure (per bin when no exposure was given).
	Rate float64
}

// Partition is the result of change-point detection.
type Partition struct {
	// Changes are the bins where a new segment starts, in order; bin 0
	// is never listed.
	Changes []int
	// Segments cover the series in order.
	Segments []Segment
	// Cost is the penalised cost of the partition: twice the Poisson
	// negative log-likelihood (up to a constant that does not depend on
	// the partition) plus Penalty per change. It is the minimum over all
	// partitions with segments of at least MinSegment bins.
	Cost float64
	// Penalty is the penalty per change that was used.
	Penalty float64
}

// poissonCost is twice the negative log-likelihood of a segment of counts
// summing to s over exposure e at its fitted rate s/e, leaving out the
// terms (log y! and y·log exposure) that are the same for every partition.
// A Poisson cost has the property PELT's pruning needs with K = 0: cutting a
// segment in two never raises the cost, since two rates fit at least as
// well as one.
func poissonCost(s, e float64) float64 {
	if s == 0 {
		return 0
	}
	return 2 * (s - s*math.Log(s/e))
}

// prefix holds cumulative counts and exposures so a segment's cost is O(1).
type prefix struct {
	s, e []float64
}

func newPrefix(counts []int, exposure []float64) prefix {
	p := prefix{s: make([]float64, len(counts)+1), e: make([]float64, len(counts)+1)}
	for i, c := range counts {
		x := 1.0
		if exposure != nil {
			x = exposure[i]
		}
		p.s[i+1] = p.s[i] + float64(c)
		p.e[i+1] = p.e[i] + x
	}
	return p
}

// cost of bins a … b-1.
func (p prefix) cost(a, b int) float64 {
	return poissonCost(p.s[b]-p.s[a], p.e[b]-p.e[a])
}

func checkChangeInput(counts []int, opt *ChangeOptions) error {
	n := len(counts)
	if n == 0 {
		return fmt.Errorf("change points: empty series")
	}
	for i, c := range counts {
		if c < 0 {
			return fmt.Errorf("change points: bin %d has negative count %d", i, c)
		}
	}
	if opt.Exposure != nil {
		if len(opt.Exposure) != n {
			return fmt.Errorf("change points: %d exposures for %d bins", len(opt.Exposure), n)
		}
		for i, x := range opt.Exposure {
			if !(x > 0) || math.IsInf(x, 0) {
				return fmt.Errorf("change points: bin %d has exposure %v, want a positive number", i, x)
			}
		}
	}
	if opt.MinSegment == 0 {
		opt.MinSegment = 1
	}
	if opt.MinSegment < 0 {
		return fmt.Errorf("change points: minimum segment %d is negative", opt.MinSegment)
	}
	if opt.Penalty == 0 {
		opt.Penalty = 2 * math.Log(float64(n))
	}
	if opt.Penalty < 0 || math.IsNaN(opt.Penalty) {
		return fmt.Errorf("change points: penalty %v is negative", opt.Penalty)
	}
	return nil
}

// ChangePoints finds the partition of a count series into segments of
// constant Poisson rate that minimises the penalised cost, by PELT (pruned
// exact linear time: Killick, Fearnhead and Eckley, 2012). The result is the
// exact optimum, not an approximation: pruning only drops last-change
// candidates that can never be optimal again. Run time is close to linear
// when changes keep arriving, and quadratic at worst.
//
// With a minimum segment length m, a candidate pruned at bin t is kept
// for m more bins: the pruning argument compares it with a last change at
// t, which only becomes a legal alternative once m bins have passed.
func ChangePoints(counts []int, opt ChangeOptions) (Partition, error) {
	if err := checkChangeInput(counts, &opt); err != nil {
		return Partition{}, err
	}
	n, m, beta := len(counts), opt.MinSegment, opt.Penalty
	if n < m {
		m = n
	}
	p := newPrefix(counts, opt.Exposure)
	// best[t] is the least cost of bins 0 … t-1 ending in a segment end;
	// last[t] the start of that final segment.
	best := make([]float64, n+1)
	last := make([]int, n+1)
	best[0] = -beta
	for t := 1; t <= n; t++ {
		best[t] = math.Inf(1)
	}
	type candidate struct {
		tau      int
		prunedAt int // the bin at which pruning would drop it; 0 while alive
	}
	var cands []candidate
	for t := m; t <= n; t++ {
		// The newest legal last change is t-m; it joins the set now.
		if tau := t - m; tau == 0 || tau >= m {
			cands = append(cands, candidate{tau: tau})
		}
		for _, c := range cands {
			if c.prunedAt != 0 && c.prunedAt+m <= t {
				continue
			}
			if v := best[c.tau] + p.cost(c.tau, t) + beta; v < best[t] {
				best[t], last[t] = v, c.tau
			}
		}
		// Killick's condition with K = 0: if F(τ) + C(τ, t) > F(t), τ is
		// never again the best last change once t itself may be one.
		kept := cands[:0]
		for _, c := range cands {
			if c.prunedAt != 0 {
				if c.prunedAt+m > t+1 {
					kept = append(kept, c)
				}
				continue
			}
			if best[c.tau]+p.cost(c.tau, t) > best[t] {
				c.prunedAt = t
				if m == 1 {
					continue
				}
			}
			kept = append(kept, c)
		}
		cands = kept
	}
	return partitionFrom(counts, p, last, best[n], beta), nil
}

// partitionFrom follows the last-change links back from the end.
func partitionFrom(counts []int, p prefix, last []int, cost, beta float64) Partition {
	var bounds []int
	for t := len(counts); t > 0; t = last[t] {
		bounds = append(bounds, t)
	}
	bounds = append(bounds, 0)
	out := Partition{Cost: cost, Penalty: beta}
	for i := len(bounds) - 1; i > 0; i-- {
		a, b := bounds[i], bounds[i-1]
		s, e := p.s[b]-p.s[a], p.e[b]-p.e[a]
		out.Segments = append(out.Segments, Segment{Start: a, End: b, Count: int(s), Rate: s / e})
		if a > 0 {
			out.Changes = append(out.Changes, a)
		}
	}
	return out
}
