package incident

import (
	"fmt"
	"time"
)

// Period is the width of one bin of a count series.
type Period int

const (
	// Day bins are calendar days.
	Day Period = iota
	// Week bins are ISO weeks, Monday to Sunday.
	Week
	// Month bins are calendar months.
	Month
)

// String names the period as the tempo command spells it.
func (p Period) String() string {
	switch p {
	case Day:
		return "day"
	case Week:
		return "week"
	case Month:
		return "month"
	}
	return fmt.Sprintf("Period(%d)", int(p))
}

// DateRange is a closed range of calendar days: both From and To are
// included. Only the calendar date of each bound counts, read in the
// bound's own location, so a range means the same days wherever it is built.
type DateRange struct {
	From, To time.Time
}

// civil returns t's calendar date as midnight UTC, so that days can be
// counted by subtraction without daylight-saving surprises.
func civil(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// daysBetween is the number of calendar days from a to b (negative if b is
// earlier).
func daysBetween(a, b time.Time) int {
	return int(civil(b).Sub(civil(a)).Hours() / 24)
}

// Contains reports whether t's calendar date lies in the range.
func (r DateRange) Contains(t time.Time) bool {
	d := civil(t)
	return !d.Before(civil(r.From)) && !d.After(civil(r.To))
}

// Days is the number of days in the range, both ends included; zero if To
// precedes From.
func (r DateRange) Days() int {
	n := daysBetween(r.From, r.To) + 1
	if n < 0 {
		return 0
	}
	return n
}

// Series is a count per bin over a closed date range, every bin present,
// empty ones as zero.
type Series struct {
	// Period is the bin width.
	Period Period
	// Range is the closed range the series covers.
	Range DateRange
	// Start is each bin's first day (a Monday for weeks, the 1st for
	// months), which for the first bin may precede Range.From.
	Start []time.Time
	// Days is each bin's number of days inside Range: its exposure. Edge
	// bins of weekly and monthly series are shorter than a full bin, and
	// rates must be computed per day, not per bin, to stay comparable.
	Days []int
	// Count is the number of events in each bin.
	Count []int
}

// binStart is the first day of the bin of period p that holds d.
func binStart(d time.Time, p Period) time.Time {
	d = civil(d)
	switch p {
	case Week:
		// ISO weeks start on Monday; Go numbers Sunday 0.
		back := (int(d.Weekday()) + 6) % 7
		return d.AddDate(0, 0, -back)
	case Month:
		return time.Date(d.Year(), d.Month(), 1, 0, 0, 0, 0, time.UTC)
	}
	return d
}

// nextBin is the first day of the bin after the one starting at s.
func nextBin(s time.Time, p Period) time.Time {
	switch p {
	case Week:
		return s.AddDate(0, 0, 7)
	case Month:
		return s.AddDate(0, 1, 0)
	}
	return s.AddDate(0, 0, 1)
}

// CountBy counts events, given by their dates, into bins of period p over
// the closed range r. Dates outside r are not counted. Every bin that
// overlaps r is present, with zero when no event falls in it.
func CountBy(dates []time.Time, p Period, r DateRange) (Series, error) {
	if p != Day && p != Week && p != Month {
		return Series{}, fmt.Errorf("count by %v: unknown period", p)
	}
	if r.Days() == 0 {
		return Series{}, fmt.Errorf("count by %v: range %s to %s is empty", p,
			r.From.Format(time.DateOnly), r.To.Format(time.DateOnly))
	}
	from, to := civil(r.From), civil(r.To)
	s := Series{Period: p, Range: DateRange{From: from, To: to}}
	for b := binStart(from, p); !b.After(to); b = nextBin(b, p) {
		first, last := b, nextBin(b, p).AddDate(0, 0, -1)
		if first.Before(from) {
			first = from
		}
		if last.After(to) {
			last = to
		}
		s.Start = append(s.Start, b)
		s.Days = append(s.Days, daysBetween(first, last)+1)
	}
	s.Count = make([]int, len(s.Start))
	for _, t := range dates {
		if !r.Contains(t) {
			continue
		}
		s.Count[s.index(civil(t))]++
	}
	return s, nil
}

// index is the bin holding day d, which must lie in the series' range.
func (s Series) index(d time.Time) int {
	first := s.Start[0]
	switch s.Period {
	case Week:
		return daysBetween(first, d) / 7
	case Month:
		return (d.Year()-first.Year())*12 + int(d.Month()) - int(first.Month())
	}
	return daysBetween(first, d)
}

// Total is the number of events in the series.
func (s Series) Total() int {
	n := 0
	for _, c := range s.Count {
		n += c
	}
	return n
}

// Rolling returns the sums of counts over every run of window consecutive
// bins: out[i] is the sum of counts[i] … counts[i+window-1], the window
// ending at bin i+window-1. Only full windows are returned (len(counts) -
// window + 1 of them), because a partial window at the start would read as
// a dip that is not there.
func Rolling(counts []int, window int) ([]int, error) {
	if window < 1 {
		return nil, fmt.Errorf("rolling sum: window %d is not positive", window)
	}
	if window > len(counts) {
		return []int{}, nil
	}
	out := make([]int, len(counts)-window+1)
	sum := 0
	for i, c := range counts {
		sum += c
		if i >= window {
			sum -= counts[i-window]
		}
		if i >= window-1 {
			out[i-window+1] = sum
		}
	}
	return out, nil
}
