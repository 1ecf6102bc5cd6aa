package trend

import (
	"fmt"
	"time"
)

// Options tunes Surges. The zero value asks for the defaults, and so does any
// field left zero (or set negative).
type Options struct {
	// Window is how many preceding weeks make the baseline. Default 8: two
	// months is short enough to follow a group's changing focus and long
	// enough to average over its silences.
	Window int
	// MinHistory is how many weeks must precede a week before it can be
	// flagged. Default 4. The baseline of a week with fewer preceding weeks
	// than Window is the mean of those it has.
	MinHistory int
	// Alpha is the p-value below which a week is a surge. Default 0.01.
	Alpha float64
	// MinCount is the fewest mentions that can make a surge, whatever the
	// p-value. Default 3.
	MinCount int
	// Floor is the lowest baseline, in mentions per week. Default 0.5. It
	// cannot be turned off: against a zero baseline a single mention would
	// have p = 0.
	Floor float64
}

// The defaults of Options; the package comment explains them.
const (
	DefaultWindow     = 8
	DefaultMinHistory = 4
	DefaultAlpha      = 0.01
	DefaultMinCount   = 3
	DefaultFloor      = 0.5
)

func (o Options) withDefaults() Options {
	if o.Window <= 0 {
		o.Window = DefaultWindow
	}
	if o.MinHistory <= 0 {
		o.MinHistory = DefaultMinHistory
	}
	if !(o.Alpha > 0) { // also NaN
		o.Alpha = DefaultAlpha
	}
	if o.MinCount <= 0 {
		o.MinCount = DefaultMinCount
	}
	if !(o.Floor > 0) {
		o.Floor = DefaultFloor
	}
	return o
}

// A Surge is a week with improbably many mentions given the weeks before it.
type Surge struct {
	// Start is the Monday, 00:00 UTC, on which the week begins.
	Start time.Time `json:"start"`
	// Count is the week's mentions.
	Count int `json:"count"`
	// Expected is the baseline in mentions per week: Mean, or the floor if
	// Mean is below it.
	Expected float64 `json:"expected"`
	// Mean is the mean count of the History weeks before this one.
	Mean float64 `json:"mean"`
	// History is how many preceding weeks the baseline was taken from: the
	// window, or fewer near the start of a series.
	History int `json:"history"`
	// P is the probability of at least Count mentions in a week if mentions
	// came at the Expected rate (Poisson), in [0, 1].
	P float64 `json:"p"`
	// Ratio is Count / Expected.
	Ratio float64 `json:"ratio"`
	// Why says the above in a sentence, for an analyst.
	Why string `json:"why"`
}

// Surges judges each week of a series, as Weekly returns it (consecutive,
// oldest first), against the mean of the weeks before it and returns the
// surges, oldest first: the weeks whose count reaches opts.MinCount and would
// arise by chance with probability below opts.Alpha if mentions came at the
// baseline rate. The package comment describes the method.
//
// Surges also sets Expected and Surge on every week, so that the series can
// be drawn with its baseline and its surges marked; it changes nothing else.
func Surges(weeks []Week, opts Options) []Surge {
	o := opts.withDefaults()
	var surges []Surge
	sum := 0 // of the counts of the up to o.Window weeks before week i
	for i := range weeks {
		w := &weeks[i]
		w.Expected, w.Surge = 0, false
		if i >= o.MinHistory {
			n := min(i, o.Window)
			mean := float64(sum) / float64(n)
			w.Expected = max(mean, o.Floor)
			if w.Count >= o.MinCount {
				if p := poissonTail(w.Count, w.Expected); p < o.Alpha {
					w.Surge = true
					surges = append(surges, Surge{
						Start:    w.Start,
						Count:    w.Count,
						Expected: w.Expected,
						Mean:     mean,
						History:  n,
						P:        p,
						Ratio:    float64(w.Count) / w.Expected,
						Why:      why(w.Count, w.Expected, mean, n, p),
					})
				}
			}
		}
		sum += w.Count
		if i >= o.Window {
			sum -= weeks[i-o.Window].Count
		}
	}
	return surges
}

// why renders a surge as "7 mentions against 0.9 expected from the previous 8
// weeks (p = 0.0001)".
func why(count int, expected, mean float64, history int, p float64) string {
	mentions := "mentions"
	if count == 1 {
		mentions = "mention"
	}
	previous := "the previous week"
	if history != 1 {
		previous = fmt.Sprintf("the previous %d weeks", history)
	}
	var base string
	if mean < expected {
		base = fmt.Sprintf("%s expected, the floor, as %s averaged %s", rate(expected), previous, rate(mean))
	} else {
		base = fmt.Sprintf("%s expected from %s", rate(expected), previous)
	}
	pv := "p < 0.0001"
	if p >= 0.0001 {
		pv = fmt.Sprintf("p = %.2g", p)
	}
	return fmt.Sprintf("%d %s against %s (%s)", count, mentions, base, pv)
}

// rate formats a weekly rate to one decimal, or below 0.1 to one significant
// digit, so that a low rate does not read as zero.
func rate(x float64) string {
	if x == 0 {
		return "0"
	}
	if x < 0.1 {
		return fmt.Sprintf("%.1g", x)
	}
	return fmt.Sprintf("%.1f", x)
}

// Series buckets counts into the weeks of their whole range (Weekly) and
// judges each week (Surges), returning both, never nil, for showing.
func Series(counts []Count, opts Options) ([]Week, []Surge) {
	weeks := Weekly(counts, time.Time{}, time.Time{})
	surges := Surges(weeks, opts)
	return append([]Week{}, weeks...), append([]Surge{}, surges...)
}
