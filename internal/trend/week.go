package trend

import (
	"time"

	"mosaic/internal/store"
)

// A Count is one dated observation: typically the number of times an entity
// is mentioned in one document, dated by the document.
type Count struct {
	// Date is when the observation was made. Only its UTC date matters. A
	// zero Date means undated: the count is ignored.
	Date time.Time
	// N is the number of mentions. A count with N = 0 adds nothing but still
	// stretches the series to its date, so passing every document of a
	// collection, with or without mentions, makes the series span the whole
	// collection. A negative N is invalid and ignored.
	N int
}

// Mentions turns a store's daily figures about an entity into counts of
// its mentions. Days without a mention stay, as zeros, so that the series
// spans the scope's quiet weeks too.
func Mentions(days []store.DayCount) []Count {
	counts := make([]Count, len(days))
	for i, d := range days {
		counts[i] = Count{Date: d.Day, N: d.Mentions}
	}
	return counts
}

// A Week is one ISO week of a series.
type Week struct {
	// Start is the Monday, 00:00 UTC, on which the week begins. Its ISOWeek
	// is the week's ISO year and number, which at a year boundary may differ
	// from Start's calendar year (Monday 2024-12-30 begins 2025-W01).
	Start time.Time `json:"start"`
	// Count is the sum of the counts dated in the week.
	Count int `json:"count"`
	// Expected is the baseline Surges judged the week against, in mentions
	// per week: the mean of the preceding weeks, never below the floor. It is
	// zero until Surges has run and for the first weeks of a series, which
	// have too little history to be judged.
	Expected float64 `json:"expected"`
	// Surge reports whether Surges flagged the week.
	Surge bool `json:"surge"`
}

// Weekly buckets counts into consecutive ISO weeks, oldest first, from the
// week holding from to the week holding to, with a zero Week for every week
// without counts. The range is rounded out to whole weeks, and counts dated
// outside it are left out. A zero from or to is taken from the earliest or
// latest count. Each date is converted to UTC before its day is taken, so
// that the same instant lands in the same week whatever zone it was written
// in.
//
// Weekly returns nil when the range is empty: from after to, or a bound left
// zero with no counts to take it from. The series holds one Week per week of
// the range, so a caller that passes dates from untrusted text bounds them.
func Weekly(counts []Count, from, to time.Time) []Week {
	var lo, hi int64
	dated := false
	for _, c := range counts {
		if !valid(c) {
			continue
		}
		w := weekOf(c.Date)
		if !dated || w < lo {
			lo = w
		}
		if !dated || w > hi {
			hi = w
		}
		dated = true
	}
	if !from.IsZero() {
		lo = weekOf(from)
	} else if !dated {
		return nil
	}
	if !to.IsZero() {
		hi = weekOf(to)
	} else if !dated {
		return nil
	}
	if lo > hi {
		return nil
	}
	weeks := make([]Week, hi-lo+1)
	for i := range weeks {
		weeks[i].Start = weekStart(lo + int64(i))
	}
	for _, c := range counts {
		if !valid(c) {
			continue
		}
		if w := weekOf(c.Date); w >= lo && w <= hi {
			weeks[w-lo].Count += c.N
		}
	}
	return weeks
}

func valid(c Count) bool { return !c.Date.IsZero() && c.N >= 0 }

const secondsPerDay = 24 * 60 * 60

// weekOf numbers the week that holds t's UTC date: week 0 begins on Monday
// 1969-12-29, the Monday before the Unix epoch (a Thursday). Arithmetic on
// Unix days rather than time.Duration, which stops at 292 years, keeps any
// date and any range exact, and ISO weeks need no special case at year
// boundaries because they are simply runs of seven days from a Monday.
func weekOf(t time.Time) int64 {
	return floorDiv(floorDiv(t.Unix(), secondsPerDay)+3, 7)
}

// weekStart returns the Monday, 00:00 UTC, that begins week w.
func weekStart(w int64) time.Time {
	return time.Unix((w*7-3)*secondsPerDay, 0).UTC()
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if a%b < 0 {
		q--
	}
	return q
}
