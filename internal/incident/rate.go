package incident

import (
	"errors"
	"fmt"
	"math"
	"time"
)

// RateRatio compares the rate of events after a date with the rate before.
type RateRatio struct {
	// Before and After are the event counts in each range.
	Before, After int
	// BeforeDays and AfterDays are the ranges' lengths in days.
	BeforeDays, AfterDays int
	// Ratio is (After/AfterDays) / (Before/BeforeDays): above 1 means the
	// tempo rose. +Inf when nothing happened before, NaN when nothing
	// happened at all.
	Ratio float64
	// Lower and Upper bound the ratio at the given Level.
	Lower, Upper float64
	// Level is the interval's confidence level, such as 0.95.
	Level float64
	// Method names how the interval was computed.
	Method string
}

// MethodExactConditional is the interval BeforeAfter computes: given the
// total N of events, the number after is binomial with share
// p = R·Ta / (R·Ta + Tb) for rate ratio R, so the Clopper-Pearson interval
// for p maps one to one onto an interval for R. It holds at any count,
// zero included, and errs on the side of width (coverage at least the
// level, by construction).
const MethodExactConditional = "exact conditional (Clopper-Pearson on the share of events after)"

// Around returns two ranges of the given number of days: the one ending the
// day before at, and the one starting on at. It is the usual framing of
// "before and after Fallujah fell".
func Around(at time.Time, days int) (before, after DateRange) {
	at = civil(at)
	return DateRange{From: at.AddDate(0, 0, -days), To: at.AddDate(0, 0, -1)},
		DateRange{From: at, To: at.AddDate(0, 0, days-1)}
}

// BeforeAfter counts events in two date ranges and returns the ratio of
// their daily rates, after over before, with an exact conditional
// confidence interval (see MethodExactConditional). The ranges may differ
// in length; they should not overlap, and that is the caller's framing.
func BeforeAfter(dates []time.Time, before, after DateRange, level float64) (RateRatio, error) {
	if !(level > 0 && level < 1) {
		return RateRatio{}, fmt.Errorf("before/after: confidence level %v is not between 0 and 1", level)
	}
	r := RateRatio{BeforeDays: before.Days(), AfterDays: after.Days(), Level: level, Method: MethodExactConditional}
	if r.BeforeDays == 0 || r.AfterDays == 0 {
		return RateRatio{}, errors.New("before/after: a range is empty")
	}
	for _, d := range dates {
		if before.Contains(d) {
			r.Before++
		}
		if after.Contains(d) {
			r.After++
		}
	}
	tb, ta := float64(r.BeforeDays), float64(r.AfterDays)
	r.Ratio = (float64(r.After) / ta) / (float64(r.Before) / tb)
	pl, pu := clopperPearson(r.After, r.Before+r.After, 1-level)
	// p/(1-p) is the ratio of counts; times tb/ta, the ratio of rates.
	r.Lower = pl / (1 - pl) * tb / ta
	r.Upper = pu / (1 - pu) * tb / ta
	if pu == 1 {
		r.Upper = math.Inf(1)
	}
	return r, nil
}

// clopperPearson is the exact interval for a binomial share of k in n at
// error rate alpha, split evenly between the tails. With n = 0 it is the
// whole of [0, 1].
func clopperPearson(k, n int, alpha float64) (lo, hi float64) {
	lo, hi = 0, 1
	if k > 0 {
		// The p at which P(X ≥ k) = alpha/2; P(X ≥ k) = I_p(k, n-k+1).
		a, b := float64(k), float64(n-k+1)
		lo = bisect(func(p float64) float64 { return regIncBeta(a, b, p) - alpha/2 })
	}
	if k < n {
		// The p at which P(X ≤ k) = alpha/2; P(X ≤ k) = 1 - I_p(k+1, n-k).
		a, b := float64(k+1), float64(n-k)
		hi = bisect(func(p float64) float64 { return regIncBeta(a, b, p) - (1 - alpha/2) })
	}
	return lo, hi
}

// bisect finds the root in (0, 1) of a function that rises from negative
// to positive.
func bisect(f func(float64) float64) float64 {
	lo, hi := 0.0, 1.0
	for i := 0; i < 200 && hi-lo > 1e-15; i++ {
		mid := (lo + hi) / 2
		if f(mid) < 0 {
			lo = mid
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// regIncBeta is the regularised incomplete beta function I_x(a, b), by its
// continued fraction (modified Lentz), taken on whichever side of the mean
// converges fast.
func regIncBeta(a, b, x float64) float64 {
	switch {
	case x <= 0:
		return 0
	case x >= 1:
		return 1
	}
	la, _ := math.Lgamma(a)
	lb, _ := math.Lgamma(b)
	lab, _ := math.Lgamma(a + b)
	front := math.Exp(lab - la - lb + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaFraction(a, b, x) / a
	}
	return 1 - front*betaFraction(b, a, 1-x)/b
}

func betaFraction(a, b, x float64) float64 {
	const tiny, eps = 1e-300, 1e-15
	clamp := func(v float64) float64 {
		if math.Abs(v) < tiny {
			return tiny
		}
		return v
	}
	c, d := 1.0, 1/clamp(1-(a+b)*x/(a+1))
	h := d
	for m := 1; m <= 10000; m++ {
		fm := float64(m)
		// Even step of the fraction.
		num := fm * (b - fm) * x / ((a + 2*fm - 1) * (a + 2*fm))
		d = 1 / clamp(1+num*d)
		c = clamp(1 + num/c)
		h *= d * c
		// Odd step.
		num = -(a + fm) * (a + b + fm) * x / ((a + 2*fm) * (a + 2*fm + 1))
		d = 1 / clamp(1+num*d)
		c = clamp(1 + num/c)
		h *= d * c
		if math.Abs(d*c-1) < eps {
			break
		}
	}
	return h
}

// Trend is the control for slow change across years in a window-against-rest
// comparison.
type Trend int

const (
	// YearEffects gives each calendar year its own level: no shape is
	// assumed for the trend, at the price of one parameter a year.
	YearEffects Trend = iota
	// LinearTrend is one log-linear slope over the whole series.
	LinearTrend
	// NoTrend assumes the level is flat across years.
	NoTrend
)

// Season is the control for the time of year.
type Season int

const (
	// MonthOfYear gives each calendar month its own level.
	MonthOfYear Season = iota
	// WeekOfYear gives each ISO week its own level (week 53 joins week
	// 52, which it follows, so that a level rests on more than a few days).
	WeekOfYear
	// NoSeason assumes no seasonal pattern.
	NoSeason
)

// WindowOptions tune WindowRatio.
type WindowOptions struct {
	// Trend is the control for change across years; YearEffects by default.
	Trend Trend
	// Season is the control for the time of year; MonthOfYear by default.
	Season Season
	// Level is the interval's confidence level; zero means 0.95.
	Level float64
}

// WindowEstimate is the rate ratio of days inside a set of windows (such as
// the days of Ramadan) against the other days, adjusted for trend and season.
type WindowEstimate struct {
	// IRR is the incidence rate ratio, exp of the window coefficient: 1.5
	// means half as many events again per day inside the windows as outside,
	// all else equal.
	IRR float64
	// Lower and Upper bound the IRR at Level, a Wald interval on the log
	// scale from the Fisher information, widened by √Dispersion when the
	// counts vary more than a Poisson's.
	Lower, Upper float64
	// LogIRR and SE are the coefficient and its (possibly scaled) standard
	// error.
	LogIRR, SE float64
	// Dispersion is the Pearson statistic over its degrees of freedom: near
	// 1 for Poisson counts, above for counts that cluster.
	Dispersion float64
	// Scaled says the interval was widened by √Dispersion (quasi-Poisson),
	// which happens whenever Dispersion exceeds 1.
	Scaled bool
	// Level is the interval's confidence level.
	Level float64
	// InEvents and OutEvents count events in bins inside and outside the
	// windows; InDays and OutDays count days. For weekly or monthly bins
	// a bin is split between the two by its days.
	InEvents, OutEvents float64
	InDays, OutDays     int
	// Bins and Params are the regression's observations and coefficients.
	Bins, Params int
	// Iterations is the number of IRLS steps taken.
	Iterations int
}

// WindowRatio estimates how much the rate of events inside windows (the
// days of Ramadan, say, for each year: the caller supplies the dates)
// differs from the rate on other days, by Poisson regression of the
// series' counts on an indicator for the window, with the log of each bin's
// days as offset and controls for trend and season. Calendar effects must
// be controlled: a window that drifts through the solar year, as Ramadan
// does by about eleven days a year, would otherwise pick up whatever
// season or trend it passes through.
//
// Daily series fit the model exactly. For weekly or monthly bins the
// indicator is the share of the bin's days inside a window, a log-linear
// approximation that is close when the effect is moderate; prefer daily.
//
// The interval is Wald's on the log scale from the inverse Fisher
// information. Counts of attacks cluster (one cell, several attacks), so
// when the Pearson dispersion exceeds 1 the standard error is multiplied by
// its square root, the quasi-Poisson correction.
func WindowRatio(s Series, windows []DateRange, opt WindowOptions) (WindowEstimate, error) {
	level := opt.Level
	if level == 0 {
		level = 0.95
	}
	if !(level > 0 && level < 1) {
		return WindowEstimate{}, fmt.Errorf("window ratio: confidence level %v is not between 0 and 1", level)
	}
	n := len(s.Count)
	if n == 0 || len(s.Days) != n {
		return WindowEstimate{}, errors.New("window ratio: series has no bins or no exposure")
	}
	est := WindowEstimate{Level: level, Bins: n}

	// Per bin: share of days in a window, and the day whose calendar
	// place stands for the bin.
	share := make([]float64, n)
	mid := make([]time.Time, n)
	for i := range n {
		first := s.Start[i]
		if first.Before(s.Range.From) {
			first = s.Range.From
		}
		in := 0
		for k := 0; k < s.Days[i]; k++ {
			d := first.AddDate(0, 0, k)
			for _, w := range windows {
				if w.Contains(d) {
					in++
					break
				}
			}
		}
		share[i] = float64(in) / float64(s.Days[i])
		mid[i] = first.AddDate(0, 0, (s.Days[i]-1)/2)
		est.InDays += in
		est.OutDays += s.Days[i] - in
		est.InEvents += share[i] * float64(s.Count[i])
		est.OutEvents += (1 - share[i]) * float64(s.Count[i])
	}
	if est.InDays == 0 || est.OutDays == 0 {
		return WindowEstimate{}, fmt.Errorf("window ratio: %d days inside the windows and %d outside; both must be some", est.InDays, est.OutDays)
	}

	// Columns: intercept, window, then the controls.
	cols := [][]float64{ones(n), share}
	switch opt.Trend {
	case YearEffects:
		cols = append(cols, dummies(mid, func(d time.Time) int { return d.Year() })...)
	case LinearTrend:
		t := make([]float64, n)
		centre := daysBetween(s.Range.From, s.Range.To) / 2
		for i, d := range mid {
			t[i] = float64(daysBetween(s.Range.From, d)-centre) / 365.25
		}
		cols = append(cols, t)
	case NoTrend:
	default:
		return WindowEstimate{}, fmt.Errorf("window ratio: unknown trend control %d", opt.Trend)
	}
	switch opt.Season {
	case MonthOfYear:
		cols = append(cols, dummies(mid, func(d time.Time) int { return int(d.Month()) })...)
	case WeekOfYear:
		cols = append(cols, dummies(mid, func(d time.Time) int {
			_, w := d.ISOWeek()
			return min(w, 52)
		})...)
	case NoSeason:
	default:
		return WindowEstimate{}, fmt.Errorf("window ratio: unknown season control %d", opt.Season)
	}
	y := make([]float64, n)
	offset := make([]float64, n)
	for i := range n {
		y[i] = float64(s.Count[i])
		offset[i] = math.Log(float64(s.Days[i]))
	}
	fit, err := poissonIRLS(cols, y, offset)
	if err != nil {
		return WindowEstimate{}, fmt.Errorf("window ratio: %w", err)
	}
	est.Params, est.Iterations, est.Dispersion = len(cols), fit.iterations, fit.dispersion
	est.LogIRR, est.SE = fit.beta[1], math.Sqrt(fit.cov(1))
	if est.Dispersion > 1 {
		est.SE *= math.Sqrt(est.Dispersion)
		est.Scaled = true
	}
	z := math.Sqrt2 * math.Erfinv(level)
	est.IRR = math.Exp(est.LogIRR)
	est.Lower = math.Exp(est.LogIRR - z*est.SE)
	est.Upper = math.Exp(est.LogIRR + z*est.SE)
	return est, nil
}

func ones(n int) []float64 {
	c := make([]float64, n)
	for i := range c {
		c[i] = 1
	}
	return c
}

// dummies returns one 0/1 column per level of key found in days, except the
// first level seen, which the intercept stands for. Levels absent from the
// data get no column, so a short series is never singular for want of them.
func dummies(days []time.Time, key func(time.Time) int) [][]float64 {
	index := map[int]int{}
	var cols [][]float64
	base := key(days[0])
	for i, d := range days {
		k := key(d)
		if k == base {
			continue
		}
		j, ok := index[k]
		if !ok {
			j = len(cols)
			index[k] = j
			cols = append(cols, make([]float64, len(days)))
		}
		cols[j][i] = 1
	}
	return cols
}

// glmFit is a fitted Poisson regression.
type glmFit struct {
	beta       []float64
	chol       [][]float64 // Cholesky factor of the Fisher information XᵀWX
	dispersion float64
	iterations int
}

// cov is the j-th diagonal entry of the inverse Fisher information.
func (f glmFit) cov(j int) float64 {
	e := make([]float64, len(f.beta))
	e[j] = 1
	return cholSolve(f.chol, e)[j]
}

// poissonIRLS fits log E[y] = offset + Σ β_j·col_j by iteratively
// reweighted least squares, the Fisher scoring of a log-link Poisson GLM.
// It stops when the deviance changes by less than 1e-10 relative, as R's
// glm does.
func poissonIRLS(cols [][]float64, y, offset []float64) (glmFit, error) {
	n, p := len(y), len(cols)
	if n <= p {
		return glmFit{}, fmt.Errorf("%d bins for %d coefficients", n, p)
	}
	mu := make([]float64, n)
	eta := make([]float64, n)
	for i := range n {
		mu[i] = y[i] + 0.1
		eta[i] = math.Log(mu[i])
	}
	fit := glmFit{beta: make([]float64, p)}
	dev := math.Inf(1)
	z := make([]float64, n)
	for it := 1; it <= 100; it++ {
		fit.iterations = it
		a := make([][]float64, p)
		rhs := make([]float64, p)
		for j := range a {
			a[j] = make([]float64, p)
		}
		for i := range n {
			z[i] = eta[i] - offset[i] + (y[i]-mu[i])/mu[i]
		}
		for j := range p {
			cj := cols[j]
			for k := 0; k <= j; k++ {
				ck := cols[k]
				var sum float64
				for i := range n {
					sum += cj[i] * mu[i] * ck[i]
				}
				a[j][k], a[k][j] = sum, sum
			}
			var sum float64
			for i := range n {
				sum += cj[i] * mu[i] * z[i]
			}
			rhs[j] = sum
		}
		l, err := cholesky(a)
		if err != nil {
			return glmFit{}, err
		}
		fit.chol = l
		fit.beta = cholSolve(l, rhs)
		newDev := 0.0
		for i := range n {
			eta[i] = offset[i]
			for j := range p {
				eta[i] += cols[j][i] * fit.beta[j]
			}
			mu[i] = math.Exp(eta[i])
			if y[i] > 0 {
				newDev += 2 * (y[i]*math.Log(y[i]/mu[i]) - (y[i] - mu[i]))
			} else {
				newDev += 2 * mu[i]
			}
		}
		if math.IsNaN(newDev) || math.IsInf(newDev, 0) {
			return glmFit{}, errors.New("regression diverged")
		}
		done := math.Abs(newDev-dev)/(math.Abs(newDev)+0.1) < 1e-10
		dev = newDev
		if done {
			break
		}
	}
	// The information at the final fit, for the standard errors.
	a := make([][]float64, p)
	for j := range a {
		a[j] = make([]float64, p)
		for k := 0; k <= j; k++ {
			var sum float64
			for i := range n {
				sum += cols[j][i] * mu[i] * cols[k][i]
			}
			a[j][k], a[k][j] = sum, sum
		}
	}
	l, err := cholesky(a)
	if err != nil {
		return glmFit{}, err
	}
	fit.chol = l
	var pearson float64
	for i := range n {
		r := y[i] - mu[i]
		pearson += r * r / mu[i]
	}
	fit.dispersion = pearson / float64(n-p)
	return fit, nil
}

// cholesky factors a symmetric positive definite matrix as L·Lᵀ. A design
// whose columns are collinear (a window that covers every day of some
// month in every year, say) fails here, and is reported as such.
func cholesky(a [][]float64) ([][]float64, error) {
	p := len(a)
	l := make([][]float64, p)
	for j := range l {
		l[j] = make([]float64, p)
	}
	for j := range p {
		sum := a[j][j]
		for k := range j {
			sum -= l[j][k] * l[j][k]
		}
		if !(sum > 1e-10*a[j][j]) {
			return nil, fmt.Errorf("design is singular at column %d: the window or a control is confounded with the others", j)
		}
		l[j][j] = math.Sqrt(sum)
		for i := j + 1; i < p; i++ {
			s := a[i][j]
			for k := range j {
				s -= l[i][k] * l[j][k]
			}
			l[i][j] = s / l[j][j]
		}
	}
	return l, nil
}

// cholSolve solves L·Lᵀ·x = b.
func cholSolve(l [][]float64, b []float64) []float64 {
	p := len(b)
	x := make([]float64, p)
	for i := range p {
		s := b[i]
		for k := range i {
			s -= l[i][k] * x[k]
		}
		x[i] = s / l[i][i]
	}
	for i := p - 1; i >= 0; i-- {
		s := x[i]
		for k := i + 1; k < p; k++ {
			s -= l[k][i] * x[k]
		}
		x[i] = s / l[i][i]
	}
	return x
}
