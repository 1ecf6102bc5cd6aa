package trend

import "math"

// poissonTail returns P(X ≥ k) for X ~ Poisson(lambda).
//
// The terms e^{−λ} λ^j / j! are built in log space from the first one and then
// by ratio, so that neither λ^j nor j! overflows and p-values far smaller
// than e^{−λ} do not underflow on the way (P(X ≥ 20 | 0.5) is 2.4e-25). Each sum
// runs away from the mode, where terms only shrink, and stops once they no
// longer change it: for k above λ the upper tail is summed directly, and for
// k at or below λ, where the tail holds the mode and is at least about a
// half, it is one minus the lower tail, which loses nothing to cancellation.
func poissonTail(k int, lambda float64) float64 {
	switch {
	case k <= 0:
		return 1
	case !(lambda > 0): // zero, negative or NaN
		return 0
	case math.IsInf(lambda, 1):
		return 1
	}
	// The sums need about 9√λ terms; the cap only matters for rates of
	// billions a week, where it truncates a sum that is by then negligible.
	const maxTerms = 1 << 20
	kf := float64(k)
	if kf > lambda {
		s, r := 1.0, 1.0
		for j := kf + 1; j < kf+maxTerms && r > s*0x1p-60; j++ {
			r *= lambda / j
			s += r
		}
		return min(1, math.Exp(logTerm(kf, lambda)+math.Log(s)))
	}
	s, r := 1.0, 1.0
	for j := kf - 1; j > 0 && j > kf-maxTerms && r > s*0x1p-60; j-- {
		r *= j / lambda
		s += r
	}
	return max(0, 1-math.Exp(logTerm(kf-1, lambda)+math.Log(s)))
}

// logTerm returns log P(X = j) for X ~ Poisson(lambda).
func logTerm(j, lambda float64) float64 {
	lg, _ := math.Lgamma(j + 1)
	return -lambda + j*math.Log(lambda) - lg
}
