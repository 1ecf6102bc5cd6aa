package incident

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"
)

// binomialUpperTail is P(X ≥ k) for X ~ Binomial(n, p), summed term by
// term: the definition, against which the incomplete beta is checked.
func binomialUpperTail(k, n int, p float64) float64 {
	lgn, _ := math.Lgamma(float64(n + 1))
	sum := 0.0
	for i := k; i <= n; i++ {
		li, _ := math.Lgamma(float64(i + 1))
		lni, _ := math.Lgamma(float64(n - i + 1))
		sum += math.Exp(lgn - li - lni + float64(i)*math.Log(p) + float64(n-i)*math.Log1p(-p))
	}
	return sum
}

func TestRegIncBetaIsBinomialTail(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 6))
	for trial := 0; trial < 2000; trial++ {
		n := 1 + rng.IntN(400)
		k := 1 + rng.IntN(n)
		p := rng.Float64()
		got := regIncBeta(float64(k), float64(n-k+1), p)
		want := binomialUpperTail(k, n, p)
		if math.Abs(got-want) > 1e-10 {
			t.Fatalf("I_%v(%d, %d) = %.15g, binomial tail %.15g", p, k, n-k+1, got, want)
		}
	}
}

func TestClopperPearson(t *testing.T) {
	// Closed forms at the edges: k = 0 gives (0, 1 − (α/2)^(1/n)), k = n
	// gives ((α/2)^(1/n), 1).
	for _, n := range []int{1, 5, 10, 200} {
		lo, hi := clopperPearson(0, n, 0.05)
		if want := 1 - math.Pow(0.025, 1/float64(n)); lo != 0 || math.Abs(hi-want) > 1e-12 {
			t.Errorf("k=0 n=%d: (%v, %v), want (0, %v)", n, lo, hi, want)
		}
		lo, hi = clopperPearson(n, n, 0.05)
		if want := math.Pow(0.025, 1/float64(n)); hi != 1 || math.Abs(lo-want) > 1e-12 {
			t.Errorf("k=n=%d: (%v, %v), want (%v, 1)", n, lo, hi, want)
		}
	}
	// Inside, each bound leaves α/2 in its tail, by the binomial sum.
	for _, c := range [][2]int{{1, 10}, {7, 20}, {50, 90}, {3, 400}} {
		k, n := c[0], c[1]
		lo, hi := clopperPearson(k, n, 0.05)
		if got := binomialUpperTail(k, n, lo); math.Abs(got-0.025) > 1e-9 {
			t.Errorf("k=%d n=%d: P(X ≥ k | p=%v) = %v, want 0.025", k, n, lo, got)
		}
		if got := 1 - binomialUpperTail(k+1, n, hi); math.Abs(got-0.025) > 1e-9 {
			t.Errorf("k=%d n=%d: P(X ≤ k | p=%v) = %v, want 0.025", k, n, hi, got)
		}
	}
}

func TestBeforeAfterHandWorked(t *testing.T) {
	at := date("2016-06-01")
	before, after := Around(at, 30)
	if before.From != date("2016-05-02") || before.To != date("2016-05-31") || after.From != at || after.To != date("2016-06-30") {
		t.Fatalf("Around: %v %v", before, after)
	}
	var dates []time.Time
	for i := 0; i < 4; i++ {
		dates = append(dates, date("2016-05-10"))
	}
	for i := 0; i < 12; i++ {
		dates = append(dates, date("2016-06-20"))
	}
	dates = append(dates, date("2016-07-01"), date("2016-05-01")) // outside both
	r, err := BeforeAfter(dates, before, DateRange{From: at, To: date("2016-06-15")}, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	// 0 after in 15 days against 4 in 30: the ratio is 0 and the upper
	// bound is the k = 0 Clopper-Pearson bound on a share of 4 mapped to
	// a rate ratio.
	pu := 1 - math.Pow(0.025, 1.0/4)
	if r.Before != 4 || r.After != 0 || r.Ratio != 0 || r.Lower != 0 || math.Abs(r.Upper-pu/(1-pu)*30/15) > 1e-9 {
		t.Errorf("no events after: %+v", r)
	}
	r, err = BeforeAfter(dates, before, after, 0.95)
	if err != nil {
		t.Fatal(err)
	}
	if r.Before != 4 || r.After != 12 || r.BeforeDays != 30 || r.AfterDays != 30 || r.Ratio != 3 {
		t.Errorf("12 after against 4 before: %+v", r)
	}
	if !(r.Lower < 3 && r.Upper > 3 && r.Lower > 0.9) {
		t.Errorf("interval (%v, %v) should hold 3 and, with 16 events split 12:4, sit near or above 1", r.Lower, r.Upper)
	}
	if _, err := BeforeAfter(dates, before, after, 1.2); err == nil {
		t.Error("level 1.2 accepted")
	}
}

// dailyDraws returns dates with a Poisson number of events on each day of
// r, the mean given by rate(day).
func dailyDraws(rng *rand.Rand, r DateRange, rate func(time.Time) float64) []time.Time {
	var dates []time.Time
	for d := civil(r.From); !d.After(r.To); d = d.AddDate(0, 0, 1) {
		for k := poissonDraw(rng, rate(d)); k > 0; k-- {
			dates = append(dates, d)
		}
	}
	return dates
}

// replications is the number of simulated series for the regression
// checks: 400 in a full run, fewer under -short.
func replications() int {
	if testing.Short() {
		return 60
	}
	return 400
}

// checkCoverage holds a 95% interval's coverage over reps runs to
// 0.90–0.98 when reps is large enough for that band to be fair (300 or
// more), and to 0.95 ± 3 binomial standard errors in a short run.
func checkCoverage(t *testing.T, c float64, reps int) {
	t.Helper()
	lo, hi := 0.90, 0.98
	if reps < 300 {
		se := math.Sqrt(0.95 * 0.05 / float64(reps))
		lo, hi = 0.95-3*se, 0.95+3*se
	}
	if c < lo || c > hi {
		t.Errorf("coverage %.3f outside %.3f–%.3f over %d runs", c, lo, hi, reps)
	}
}

func TestBeforeAfterCoverage(t *testing.T) {
	const reps = 400 // cheap enough to run in full every time
	at := date("2016-06-01")
	before, after := Around(at, 90)
	for _, truth := range []float64{1.5, 1.0} {
		rng := rand.New(rand.NewPCG(13, uint64(truth*10)))
		cover, bias, n := 0, 0.0, 0
		for r := 0; r < reps; r++ {
			dates := dailyDraws(rng, DateRange{From: before.From, To: after.To}, func(d time.Time) float64 {
				if d.Before(at) {
					return 0.8
				}
				return 0.8 * truth
			})
			rr, err := BeforeAfter(dates, before, after, 0.95)
			if err != nil {
				t.Fatal(err)
			}
			if rr.Lower <= truth && truth <= rr.Upper {
				cover++
			}
			if rr.Before > 0 && rr.After > 0 {
				bias += math.Log(rr.Ratio) - math.Log(truth)
				n++
			}
		}
		c := float64(cover) / float64(reps)
		b := bias / float64(n)
		t.Logf("before/after, rate 0.8/day for 90 days then ratio %.1f for 90: coverage %.3f, mean bias of log ratio %+.4f (%d runs)", truth, c, b, reps)
		checkCoverage(t, c, reps)
		if math.Abs(b) > 0.05 {
			t.Errorf("ratio %v: bias of log ratio %.4f", truth, b)
		}
	}
}

// TestBeforeAfterFewEvents checks the exact interval where a log-normal one
// would fail: about nine events a side, zero counts now and then. Exact
// conditional intervals cover at least their level, so the band is one-sided.
func TestBeforeAfterFewEvents(t *testing.T) {
	const reps = 400
	at := date("2016-06-01")
	before, after := Around(at, 90)
	rng := rand.New(rand.NewPCG(13, 9))
	cover := 0
	for r := 0; r < reps; r++ {
		dates := dailyDraws(rng, DateRange{From: before.From, To: after.To}, func(d time.Time) float64 {
			if d.Before(at) {
				return 0.1
			}
			return 0.2
		})
		rr, err := BeforeAfter(dates, before, after, 0.95)
		if err != nil {
			t.Fatal(err)
		}
		if rr.Lower <= 2 && 2 <= rr.Upper {
			cover++
		}
	}
	c := float64(cover) / reps
	t.Logf("before/after, 0.1/day then 0.2/day, 90 days each: coverage %.3f (%d runs)", c, reps)
	if c < 0.93 {
		t.Errorf("coverage %.3f, want at least the level less sampling error (0.93)", c)
	}
}

func TestWindowRatioUnadjustedIsClosedForm(t *testing.T) {
	// With no controls the Poisson MLE of the window's IRR is the ratio of
	// the two daily rates, and its standard error √(1/a + 1/b).
	rng := rand.New(rand.NewPCG(13, 7))
	r := DateRange{From: date("2014-01-01"), To: date("2014-12-31")}
	win := []DateRange{{From: date("2014-06-28"), To: date("2014-07-27")}}
	dates := dailyDraws(rng, r, func(time.Time) float64 { return 1.3 })
	s, err := CountBy(dates, Day, r)
	if err != nil {
		t.Fatal(err)
	}
	est, err := WindowRatio(s, win, WindowOptions{Trend: NoTrend, Season: NoSeason})
	if err != nil {
		t.Fatal(err)
	}
	var in, out float64
	for _, d := range dates {
		if win[0].Contains(d) {
			in++
		} else {
			out++
		}
	}
	want := (in / 30) / (out / 335)
	if math.Abs(est.IRR-want) > 1e-8*want {
		t.Errorf("IRR = %.12g, want %.12g", est.IRR, want)
	}
	se := math.Sqrt(1/in + 1/out)
	if est.Scaled {
		se *= math.Sqrt(est.Dispersion)
	}
	if math.Abs(est.SE-se) > 1e-6*se {
		t.Errorf("SE = %.10g, want %.10g", est.SE, se)
	}
	if est.InDays != 30 || est.OutDays != 335 || est.InEvents != in || est.Params != 2 {
		t.Errorf("bookkeeping: %+v", est)
	}
}

// ramadanLike returns a 30-day window per year, drifting eleven days earlier
// each year as the lunar calendar does against the solar one.
func ramadanLike(first time.Time, years int) []DateRange {
	var w []DateRange
	for y := 0; y < years; y++ {
		from := first.AddDate(y, 0, -11*y)
		w = append(w, DateRange{From: from, To: from.AddDate(0, 0, 29)})
	}
	return w
}

// gammaDraw is a Gamma(shape, 1) variate by Marsaglia and Tsang's method
// (shape ≥ 1).
func gammaDraw(rng *rand.Rand, shape float64) float64 {
	d := shape - 1.0/3
	c := 1 / math.Sqrt(9*d)
	for {
		x := rng.NormFloat64()
		v := 1 + c*x
		if v <= 0 {
			continue
		}
		v = v * v * v
		if math.Log(rng.Float64()) < 0.5*x*x+d-d*v+d*math.Log(v) {
			return d * v
		}
	}
}

// TestWindowRatioSimulation draws six years of daily counts with yearly
// levels, a monthly season and a window effect of known size, and checks
// that the 95% interval covers the truth in 90–98% of runs and that the
// log IRR is unbiased to within 0.05. The overdispersed case draws
// gamma-Poisson counts (variance μ + μ²/2), where the quasi-Poisson
// scaling has to carry the coverage.
func TestWindowRatioSimulation(t *testing.T) {
	reps := replications()
	r := DateRange{From: date("2010-01-01"), To: date("2015-12-31")}
	windows := ramadanLike(date("2010-08-11"), 6)
	monthLevel := []float64{0.9, 0.8, 1.0, 1.2, 1.4, 1.3, 1.1, 1.0, 0.9, 1.0, 0.8, 0.7}
	for _, tc := range []struct {
		name   string
		irr    float64
		shape  float64 // gamma shape for overdispersion; 0 for Poisson
		season Season
	}{
		{"IRR 1.5", 1.5, 0, MonthOfYear},
		{"IRR 1.0", 1.0, 0, MonthOfYear},
		{"IRR 1.5 overdispersed", 1.5, 2, MonthOfYear},
		{"IRR 1.0 week-of-year", 1.0, 0, WeekOfYear},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(13, uint64(100*tc.irr+tc.shape)))
			cover, unscaled, bias, disp := 0, 0, 0.0, 0.0
			start := time.Now()
			for rep := 0; rep < reps; rep++ {
				dates := dailyDraws(rng, r, func(d time.Time) float64 {
					mu := 0.6 * math.Exp(0.12*float64(d.Year()-2010)) * monthLevel[d.Month()-1]
					for _, w := range windows {
						if w.Contains(d) {
							mu *= tc.irr
						}
					}
					if tc.shape > 0 {
						mu *= gammaDraw(rng, tc.shape) / tc.shape
					}
					return mu
				})
				s, err := CountBy(dates, Day, r)
				if err != nil {
					t.Fatal(err)
				}
				est, err := WindowRatio(s, windows, WindowOptions{Season: tc.season})
				if err != nil {
					t.Fatal(err)
				}
				if est.Lower <= tc.irr && tc.irr <= est.Upper {
					cover++
				}
				// The same interval without the quasi-Poisson widening.
				if math.Abs(est.LogIRR-math.Log(tc.irr)) <= 1.96*est.SE/math.Sqrt(max(est.Dispersion, 1)) {
					unscaled++
				}
				bias += est.LogIRR - math.Log(tc.irr)
				disp += est.Dispersion
			}
			c, b := float64(cover)/float64(reps), bias/float64(reps)
			t.Logf("%s: coverage %.3f (%.3f unscaled), mean bias of log IRR %+.4f, mean dispersion %.2f (%d runs, %v)",
				tc.name, c, float64(unscaled)/float64(reps), b, disp/float64(reps), reps, time.Since(start).Round(time.Millisecond))
			checkCoverage(t, c, reps)
			if math.Abs(b) > 0.05 {
				t.Errorf("bias of log IRR %.4f", b)
			}
		})
	}
}

func TestWindowRatioWeeklyBins(t *testing.T) {
	// Weekly bins use the share of each week inside a window; the estimate
	// should land near the daily one on the same events.
	rng := rand.New(rand.NewPCG(13, 8))
	r := DateRange{From: date("2010-01-01"), To: date("2015-12-31")}
	windows := ramadanLike(date("2010-08-11"), 6)
	dates := dailyDraws(rng, r, func(d time.Time) float64 {
		for _, w := range windows {
			if w.Contains(d) {
				return 1.5
			}
		}
		return 1
	})
	daily, _ := CountBy(dates, Day, r)
	weekly, _ := CountBy(dates, Week, r)
	ed, err := WindowRatio(daily, windows, WindowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	ew, err := WindowRatio(weekly, windows, WindowOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ed.LogIRR-ew.LogIRR) > 0.05 || ew.InDays != ed.InDays {
		t.Errorf("daily IRR %.3f (%d days in), weekly %.3f (%d days in)", ed.IRR, ed.InDays, ew.IRR, ew.InDays)
	}
	if !(ew.Lower < 1.5 && 1.5 < ew.Upper) {
		t.Errorf("weekly interval (%.3f, %.3f) misses 1.5", ew.Lower, ew.Upper)
	}
}

func TestWindowRatioRejects(t *testing.T) {
	r := DateRange{From: date("2014-01-01"), To: date("2014-12-31")}
	s, _ := CountBy([]time.Time{date("2014-03-01")}, Day, r)
	if _, err := WindowRatio(s, nil, WindowOptions{}); err == nil {
		t.Error("no window days accepted")
	}
	if _, err := WindowRatio(s, []DateRange{r}, WindowOptions{}); err == nil {
		t.Error("a window covering every day accepted")
	}
	// A window that is exactly March in a one-year series is March's
	// dummy: the design is singular.
	if _, err := WindowRatio(s, []DateRange{{From: date("2014-03-01"), To: date("2014-03-31")}}, WindowOptions{}); err == nil {
		t.Error("a window confounded with a month accepted")
	}
}
