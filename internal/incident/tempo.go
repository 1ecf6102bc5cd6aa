package incident

import (
	"errors"
	"fmt"
	"math"
	"time"

	"mosaic"
)

// TempoOptions say what a tempo report counts and compares.
type TempoOptions struct {
	// Period is the bin width of the counts.
	Period Period
	// Rule is the inclusion rule; an incident it leaves out is counted
	// in Tempo.Excluded, not in the bins.
	Rule Rule
	// Range bounds the series; a zero From or To is taken from the
	// earliest or latest incident counted.
	Range DateRange
	// MinSegment is the fewest bins a change-point segment may hold; zero
	// means 3, since a rate read off one or two bins of a rare event is
	// noise.
	MinSegment int
	// Around, when set, asks for the rate ratio of the Window days from
	// Around against the Window days before it.
	Around time.Time
	// Window is the length in days of each side of Around; zero means 90.
	Window int
	// Ramadan asks for the rate ratio of the days of Ramadan against the
	// other days, with year and month-of-year controls.
	Ramadan bool
}

// Tempo is how often incidents happened, bin by bin, where the rate
// changed, and the comparisons asked for.
type Tempo struct {
	Rule   Rule   `json:"rule"`
	Period string `json:"by"`
	From   string `json:"from"`
	To     string `json:"to"`
	// Counted is the number of incidents in the bins.
	Counted int `json:"counted"`
	// Excluded is the number of incidents the rule leaves out.
	Excluded int `json:"excluded"`
	// Imprecise is the number of incidents the rule includes whose date
	// is not known to the bin's precision (a month-only date in a daily
	// or weekly count, a year-only date in any), left out of the bins.
	Imprecise int          `json:"imprecise"`
	Bins      []TempoBin   `json:"bins"`
	Segments  []TempoRate  `json:"segments"`
	Changes   []string     `json:"changes"`
	Around    *AroundRatio `json:"around,omitempty"`
	Ramadan   *RamadanRate `json:"ramadan,omitempty"`
}

// TempoBin is one bin of the counts: its first day, its days inside the
// range, and the incidents in it.
type TempoBin struct {
	Start string `json:"start"`
	Days  int    `json:"days"`
	Count int    `json:"count"`
}

// TempoRate is one change-point segment: its first and last bins' starts,
// its incidents and its rate per day.
type TempoRate struct {
	From   string  `json:"from"`
	To     string  `json:"to"`
	Count  int     `json:"count"`
	Days   int     `json:"days"`
	PerDay float64 `json:"per_day"`
}

// AroundRatio is the before/after comparison of tempo: the ratio of the
// daily rates in Window days from At and the Window days before.
type AroundRatio struct {
	At     string    `json:"at"`
	Window int       `json:"window_days"`
	Before int       `json:"before"`
	After  int       `json:"after"`
	Ratio  JSONFloat `json:"ratio"`
	Lower  JSONFloat `json:"lower"`
	Upper  JSONFloat `json:"upper"`
	Level  float64   `json:"level"`
	Method string    `json:"method"`
}

// RamadanRate is the rate ratio of the days of Ramadan against the rest.
type RamadanRate struct {
	// Windows are the Ramadans used, as first and last days.
	Windows    [][2]string `json:"windows"`
	IRR        JSONFloat   `json:"irr"`
	Lower      JSONFloat   `json:"lower"`
	Upper      JSONFloat   `json:"upper"`
	Level      float64     `json:"level"`
	Dispersion float64     `json:"dispersion"`
	Scaled     bool        `json:"scaled"`
	InEvents   float64     `json:"in_events"`
	OutEvents  float64     `json:"out_events"`
	InDays     int         `json:"in_days"`
	OutDays    int         `json:"out_days"`
	Controls   string      `json:"controls"`
}

// JSONFloat is a number whose JSON writes infinities and NaN, which JSON
// has no numbers for, as strings ("+Inf", "NaN"): a before/after ratio with nothing before is
// infinite, and that is the answer, not an error.
type JSONFloat float64

// MarshalJSON writes the number, or a string for an infinity or NaN.
func (f JSONFloat) MarshalJSON() ([]byte, error) {
	v := float64(f)
	if math.IsInf(v, 0) || math.IsNaN(v) {
		return []byte(fmt.Sprintf("%q", fmt.Sprint(v))), nil
	}
	return []byte(fmt.Sprint(v)), nil
}

// placed returns the day an incident is counted on at period p, and false
// when its date is not that precise. A month-only date counts in its
// month's bin, on its first day; only monthly counts place it.
func placed(in mosaic.Incident, p Period) (time.Time, bool) {
	if t, ok := in.Date.Time(); ok {
		return t, true
	}
	if p == Month && in.Date.Year != 0 && in.Date.Month.Valid {
		return time.Date(in.Date.Year, in.Date.Month.Value, 1, 0, 0, 0, 0, time.UTC), true
	}
	return time.Time{}, false
}

// ComputeTempo counts incidents per bin, finds where the rate changed
// (PELT with a Poisson cost and each bin's days as exposure), and makes
// the comparisons opt asks for. The before/after and Ramadan comparisons
// use only incidents dated to the day.
//
// Each incident given counts as one attack: a caller counting attacks
// that several sources report passes Attacks(Merge(incidents, rulings)),
// so that a GTD row and the reports of the same attack count once. The
// merge is the caller's because the rulings that shape it are an agency's
// and come from the store.
func ComputeTempo(incidents []mosaic.Incident, opt TempoOptions) (Tempo, error) {
	if opt.Rule == "" {
		opt.Rule = All
	}
	if _, err := ParseRule(string(opt.Rule)); err != nil {
		return Tempo{}, err
	}
	t := Tempo{Rule: opt.Rule, Period: opt.Period.String(), Bins: []TempoBin{}, Segments: []TempoRate{}, Changes: []string{}}
	var dates, days []time.Time
	for _, in := range incidents {
		if !Included(in, opt.Rule) {
			t.Excluded++
			continue
		}
		d, ok := placed(in, opt.Period)
		if !ok {
			t.Imprecise++
			continue
		}
		dates = append(dates, d)
		if day, ok := in.Date.Time(); ok {
			days = append(days, day)
		}
	}
	// A range not given runs from the first bin with an incident to the
	// last, whole bins, so that no edge bin reads as a drop in tempo.
	r := opt.Range
	fromGiven, toGiven := !r.From.IsZero(), !r.To.IsZero()
	for _, d := range dates {
		if !fromGiven && (r.From.IsZero() || d.Before(r.From)) {
			r.From = d
		}
		if !toGiven && (r.To.IsZero() || d.After(r.To)) {
			r.To = d
		}
	}
	if !fromGiven && !r.From.IsZero() {
		r.From = binStart(r.From, opt.Period)
	}
	if !toGiven && !r.To.IsZero() {
		r.To = nextBin(binStart(r.To, opt.Period), opt.Period).AddDate(0, 0, -1)
	}
	if r.From.IsZero() || r.To.IsZero() {
		// Nothing to count and no range given: an empty report.
		return t, nil
	}
	t.From, t.To = r.From.Format(time.DateOnly), r.To.Format(time.DateOnly)
	s, err := CountBy(dates, opt.Period, r)
	if err != nil {
		return Tempo{}, err
	}
	t.Counted = s.Total()
	// A date outside the range (a month-only date whose month starts
	// before it) is not in a bin.
	t.Imprecise += len(dates) - t.Counted
	for i := range s.Count {
		t.Bins = append(t.Bins, TempoBin{Start: s.Start[i].Format(time.DateOnly), Days: s.Days[i], Count: s.Count[i]})
	}
	minSeg := opt.MinSegment
	if minSeg <= 0 {
		minSeg = 3
	}
	exposure := make([]float64, len(s.Days))
	for i, d := range s.Days {
		exposure[i] = float64(d)
	}
	if len(s.Count) >= minSeg {
		part, err := ChangePoints(s.Count, ChangeOptions{MinSegment: minSeg, Exposure: exposure})
		if err != nil {
			return Tempo{}, err
		}
		for _, c := range part.Changes {
			t.Changes = append(t.Changes, t.Bins[c].Start)
		}
		for _, seg := range part.Segments {
			n := 0
			for _, d := range s.Days[seg.Start:seg.End] {
				n += d
			}
			t.Segments = append(t.Segments, TempoRate{From: t.Bins[seg.Start].Start, To: t.Bins[seg.End-1].Start,
				Count: seg.Count, Days: n, PerDay: seg.Rate})
		}
	}
	if !opt.Around.IsZero() {
		w := opt.Window
		if w <= 0 {
			w = 90
		}
		before, after := Around(opt.Around, w)
		rr, err := BeforeAfter(days, before, after, 0.95)
		if err != nil {
			return Tempo{}, err
		}
		t.Around = &AroundRatio{At: civil(opt.Around).Format(time.DateOnly), Window: w, Before: rr.Before, After: rr.After,
			Ratio: JSONFloat(rr.Ratio), Lower: JSONFloat(rr.Lower), Upper: JSONFloat(rr.Upper), Level: rr.Level, Method: rr.Method}
	}
	if opt.Ramadan {
		// Unless bounds are given, the daily series runs over the whole
		// years of the incidents dated to the day: a year effect fit on a
		// few edge days without an attack has no finite estimate.
		rr := opt.Range
		for _, d := range days {
			if opt.Range.From.IsZero() && (rr.From.IsZero() || d.Year() < rr.From.Year()) {
				rr.From = time.Date(d.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
			}
			if opt.Range.To.IsZero() && (rr.To.IsZero() || d.Year() > rr.To.Year()) {
				rr.To = time.Date(d.Year(), 12, 31, 0, 0, 0, 0, time.UTC)
			}
		}
		if rr.From.IsZero() || rr.To.IsZero() {
			return Tempo{}, errors.New("ramadan: no incident dated to the day")
		}
		rm, err := ramadanRate(days, rr)
		if err != nil {
			return Tempo{}, err
		}
		t.Ramadan = rm
	}
	return t, nil
}

// ramadanRate fits the Ramadan window ratio on a daily series over r,
// with a level for each year and each calendar month.
func ramadanRate(days []time.Time, r DateRange) (*RamadanRate, error) {
	s, err := CountBy(days, Day, r)
	if err != nil {
		return nil, err
	}
	out := &RamadanRate{Windows: [][2]string{}, Controls: "year and month-of-year levels (Poisson regression, daily bins, log days offset)"}
	var windows []DateRange
	seen := map[int]bool{}
	for y := r.From.Year(); y <= r.To.Year(); y++ {
		ws, err := RamadanWindows(y)
		if err != nil {
			return nil, err
		}
		for _, w := range ws {
			if seen[w.HijriYear] || w.End.Before(civil(r.From)) || w.Start.After(civil(r.To)) {
				continue
			}
			seen[w.HijriYear] = true
			windows = append(windows, DateRange{From: w.Start, To: w.End})
			out.Windows = append(out.Windows, [2]string{w.Start.Format(time.DateOnly), w.End.Format(time.DateOnly)})
		}
	}
	if len(windows) == 0 {
		return nil, errors.New("ramadan: no Ramadan in the range")
	}
	est, err := WindowRatio(s, windows, WindowOptions{Trend: YearEffects, Season: MonthOfYear})
	if err != nil {
		return nil, fmt.Errorf("ramadan: %w", err)
	}
	out.IRR, out.Lower, out.Upper = JSONFloat(est.IRR), JSONFloat(est.Lower), JSONFloat(est.Upper)
	out.Level, out.Dispersion, out.Scaled = est.Level, est.Dispersion, est.Scaled
	out.InEvents, out.OutEvents, out.InDays, out.OutDays = est.InEvents, est.OutEvents, est.InDays, est.OutDays
	return out, nil
}

// ParseBound reads a date bound written YYYY-MM-DD, YYYY-MM or YYYY, as
// midnight UTC: the first day of the month or year it names, or with end
// set the last, so that --until 2016 takes in the whole of 2016.
func ParseBound(s string, end bool) (time.Time, error) {
	var d mosaic.IncidentDate
	if err := d.UnmarshalText([]byte(s)); err != nil || d.IsZero() {
		return time.Time{}, fmt.Errorf("date %q: want YYYY-MM-DD, YYYY-MM or YYYY", s)
	}
	switch {
	case !d.Month.Valid && end:
		return time.Date(d.Year, 12, 31, 0, 0, 0, 0, time.UTC), nil
	case !d.Month.Valid:
		return time.Date(d.Year, 1, 1, 0, 0, 0, 0, time.UTC), nil
	case !d.Day.Valid && end:
		return time.Date(d.Year, d.Month.Value+1, 0, 0, 0, 0, 0, time.UTC), nil
	case !d.Day.Valid:
		return time.Date(d.Year, d.Month.Value, 1, 0, 0, 0, 0, time.UTC), nil
	}
	t, _ := d.Time()
	return t, nil
}

// ParsePeriod reads a bin width as the tempo command spells it.
func ParsePeriod(s string) (Period, error) {
	for _, p := range []Period{Day, Week, Month} {
		if s == p.String() {
			return p, nil
		}
	}
	return 0, fmt.Errorf("period %q: want day, week or month", s)
}
