package trend

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
)

// series makes consecutive weeks from 2024-01-01, a Monday, with the counts.
func series(counts ...int) []Week {
	weeks := make([]Week, len(counts))
	for i, n := range counts {
		weeks[i] = Week{Start: day("2024-01-01").AddDate(0, 0, 7*i), Count: n}
	}
	return weeks
}

// flagged returns the indexes of the weeks that surges start.
func flagged(weeks []Week, surges []Surge) []int {
	var idx []int
	for _, s := range surges {
		idx = append(idx, slices.IndexFunc(weeks, func(w Week) bool { return w.Start.Equal(s.Start) }))
	}
	return idx
}

func TestSurges(t *testing.T) {
	zeros := make([]int, 8)
	for _, tc := range []struct {
		name   string
		counts []int
		opts   Options
		want   []int // indexes of the surge weeks
	}{
		{
			name:   "flat series of about 2 a week",
			counts: []int{2, 1, 3, 2, 2, 4, 1, 2, 3, 2, 1, 2, 3, 2, 4, 2, 1, 3, 2, 2, 0, 2, 3, 1, 2, 4, 5, 2},
		},
		{
			name:   "jump from about 0.5 a week to 8",
			counts: []int{0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 8, 0, 1, 0, 1, 0},
			want:   []int{10},
		},
		{
			// Without the floor the baseline is 0 and P(X ≥ 1) = 0.
			name:   "a single mention after silence",
			counts: append(zeros[:8:8], 1),
			opts:   Options{MinCount: 1},
		},
		{
			name:   "3 mentions after silence are not enough at the floor",
			counts: append(zeros[:8:8], 3), // p = 0.0144
		},
		{
			name:   "4 mentions after silence are",
			counts: append(zeros[:8:8], 4), // p = 0.0018
			want:   []int{8},
		},
		{
			name:   "alpha",
			counts: append(zeros[:8:8], 3),
			opts:   Options{Alpha: 0.02},
			want:   []int{8},
		},
		{
			name:   "min count holds below the default floor",
			counts: append(zeros[:8:8], 2), // p = 0.0012 at λ = 0.05
			opts:   Options{Floor: 0.05},
		},
		{
			name:   "and is what held it",
			counts: append(zeros[:8:8], 2),
			opts:   Options{Floor: 0.05, MinCount: 2},
			want:   []int{8},
		},
		{
			name:   "no alert within the minimum history",
			counts: []int{0, 0, 0, 9},
		},
		{
			name:   "alert once the minimum history is there",
			counts: []int{1, 1, 0, 1, 9},
			want:   []int{4},
		},
		{
			name:   "a longer minimum history",
			counts: []int{1, 1, 0, 1, 9, 0, 9},
			opts:   Options{MinHistory: 6},
			want:   []int{6},
		},
		{
			name:   "old weeks leave the window",
			counts: []int{9, 9, 9, 9, 9, 9, 9, 9, 9, 0, 0, 0, 0, 0, 0, 0, 0, 5},
			want:   []int{17},
		},
		{
			name:   "default window remembers 8 weeks",
			counts: []int{5, 5, 5, 5, 0, 0, 0, 0, 4},
		},
		{
			name:   "a shorter window forgets",
			counts: []int{5, 5, 5, 5, 0, 0, 0, 0, 4},
			opts:   Options{Window: 4},
			want:   []int{8},
		},
		{
			name:   "a sustained rise is flagged until the baseline catches up",
			counts: []int{1, 0, 1, 0, 1, 0, 1, 0, 6, 6, 6, 6, 6},
			want:   []int{8, 9},
		},
		{name: "empty series"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			weeks := series(tc.counts...)
			surges := Surges(weeks, tc.opts)
			if got := flagged(weeks, surges); !slices.Equal(got, tc.want) {
				t.Fatalf("surges at %v, want %v: %+v", got, tc.want, surges)
			}
			for i, w := range weeks {
				if w.Surge != slices.Contains(tc.want, i) {
					t.Errorf("week %d: Surge = %t", i, w.Surge)
				}
			}
		})
	}
}

func TestSurgeReport(t *testing.T) {
	for _, tc := range []struct {
		name   string
		counts []int
		want   Surge
	}{
		{
			name:   "above the floor",
			counts: []int{0, 1, 0, 1, 1, 0, 1, 1, 0, 1, 8},
			want: Surge{
				Start: day("2024-03-11"), Count: 8, Expected: 0.625, Mean: 0.625, History: 8,
				P: 3.319769791571377e-07, Ratio: 12.8,
				Why: "8 mentions against 0.6 expected from the previous 8 weeks (p < 0.0001)",
			},
		},
		{
			name:   "at the floor",
			counts: []int{0, 0, 0, 0, 0, 0, 0, 0, 4},
			want: Surge{
				Start: day("2024-02-26"), Count: 4, Expected: 0.5, Mean: 0, History: 8,
				P: 1.751622556290824e-03, Ratio: 8,
				Why: "4 mentions against 0.5 expected, the floor, as the previous 8 weeks averaged 0 (p = 0.0018)",
			},
		},
		{
			name:   "short history",
			counts: []int{1, 1, 0, 1, 9},
			want: Surge{
				Start: day("2024-01-29"), Count: 9, Expected: 0.75, Mean: 0.75, History: 4,
				P: 1.056022671584154e-07, Ratio: 12,
				Why: "9 mentions against 0.8 expected from the previous 4 weeks (p < 0.0001)",
			},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			weeks := series(tc.counts...)
			surges := Surges(weeks, Options{})
			if len(surges) != 1 {
				t.Fatalf("got %d surges, want 1: %+v", len(surges), surges)
			}
			got := surges[0]
			if !near(got.P, tc.want.P, 1e-10) || !near(got.Ratio, tc.want.Ratio, 1e-12) {
				t.Errorf("p = %.16g, ratio %g; want %.16g, %g", got.P, got.Ratio, tc.want.P, tc.want.Ratio)
			}
			got.P, got.Ratio = tc.want.P, tc.want.Ratio
			if got != tc.want {
				t.Errorf("got  %+v\nwant %+v", got, tc.want)
			}
			if last := weeks[len(weeks)-1]; last.Expected != tc.want.Expected || !last.Surge {
				t.Errorf("last week %+v, want expected %g and a surge", last, tc.want.Expected)
			}
		})
	}
}

func TestSurgesMarkWeeks(t *testing.T) {
	weeks := series(3, 1, 2, 0, 1, 0, 1, 2, 1, 0, 3)
	Surges(weeks, Options{})
	for i, w := range weeks {
		if (w.Expected == 0) != (i < DefaultMinHistory) {
			t.Errorf("week %d: Expected %g; want it set from week %d on", i, w.Expected, DefaultMinHistory)
		}
	}
	// Week 4's baseline is the mean of the 4 weeks before it, week 10's
	// that of the 8 before it; week 5's mean is 1.4, above the floor.
	for i, want := range map[int]float64{4: 1.5, 5: 1.4, 10: 0.875} {
		if weeks[i].Expected != want {
			t.Errorf("week %d: Expected %g, want %g", i, weeks[i].Expected, want)
		}
	}

	// Judging again with other options replaces the marks of the first run.
	weeks = series(0, 0, 0, 0, 0, 0, 0, 0, 3)
	if n := len(Surges(weeks, Options{Alpha: 0.02})); n != 1 || !weeks[8].Surge {
		t.Fatalf("at α = 0.02: %d surges, week 8 %+v", n, weeks[8])
	}
	if n := len(Surges(weeks, Options{MinHistory: 9})); n != 0 || weeks[8].Surge || weeks[8].Expected != 0 {
		t.Errorf("judged again: %d surges, week 8 %+v", n, weeks[8])
	}
}

func TestWhy(t *testing.T) {
	for _, tc := range []struct {
		count          int
		expected, mean float64
		history        int
		p              float64
		want           string
	}{
		{7, 0.875, 0.875, 8, 0.0001, "7 mentions against 0.9 expected from the previous 8 weeks (p = 0.0001)"},
		{12, 2.375, 2.375, 8, 3e-9, "12 mentions against 2.4 expected from the previous 8 weeks (p < 0.0001)"},
		{1, 0.05, 0, 1, 0.04877, "1 mention against 0.05 expected, the floor, as the previous week averaged 0 (p = 0.049)"},
		{3, 0.5, 0.125, 8, 0.00144, "3 mentions against 0.5 expected, the floor, as the previous 8 weeks averaged 0.1 (p = 0.0014)"},
		{5, 0.5, 0.04, 5, 0.00017, "5 mentions against 0.5 expected, the floor, as the previous 5 weeks averaged 0.04 (p = 0.00017)"},
	} {
		if got := why(tc.count, tc.expected, tc.mean, tc.history, tc.p); got != tc.want {
			t.Errorf("why(%d, %g, %g, %d, %g)\n got %q\nwant %q", tc.count, tc.expected, tc.mean, tc.history, tc.p, got, tc.want)
		}
	}
}

// TestSurgesFalseAlarms runs Surges over steady Poisson series, where every
// surge is a false alarm, and checks that chance flags weeks at about the
// rate α promises: no more than 1.5α at the rates where the p-value governs
// (the baseline's own noise costs about 0.2α), and hardly ever below the
// floor, where without it a week of 3 after silent weeks would be an alert.
func TestSurgesFalseAlarms(t *testing.T) {
	const seriesPerRate, weeksPerSeries = 500, 52
	r := rand.New(rand.NewPCG(1, 2))
	for _, tc := range []struct {
		lambda, max float64
	}{
		{0.1, 0.0005},
		{0.3, 0.001},
		{1, 1.5 * DefaultAlpha},
		{2, 1.5 * DefaultAlpha},
		{5, 1.5 * DefaultAlpha},
		{20, 1.5 * DefaultAlpha},
	} {
		flagged, judged := 0, 0
		for range seriesPerRate {
			weeks := make([]Week, weeksPerSeries)
			for i := range weeks {
				weeks[i].Count = poissonDraw(r, tc.lambda)
			}
			flagged += len(Surges(weeks, Options{}))
			judged += weeksPerSeries - DefaultMinHistory
		}
		if rate := float64(flagged) / float64(judged); rate > tc.max {
			t.Errorf("λ = %g: %d of %d weeks flagged (%.4f), want at most %.4f", tc.lambda, flagged, judged, rate, tc.max)
		}
	}
}

// poissonDraw draws from Poisson(lambda) by multiplying uniforms (Knuth),
// which is exact while e^{−λ} is a normal float64 and slow for a large λ.
func poissonDraw(r *rand.Rand, lambda float64) int {
	limit, k, p := math.Exp(-lambda), 0, 1.0
	for {
		p *= r.Float64()
		if p <= limit {
			return k
		}
		k++
	}
}
