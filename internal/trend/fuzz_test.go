package trend

import (
	"encoding/binary"
	"math"
	"testing"
	"time"
)

// FuzzWeeklySurges builds counts from random bytes, five to a count (a day
// within 90 years of 2020, an hour, a time zone, a signed N), and checks what
// must hold of any series and its surges.
func FuzzWeeklySurges(f *testing.F) {
	f.Add([]byte{}, int16(0), int16(0), uint8(0), uint8(0), uint8(0), uint16(0))
	f.Add([]byte{0, 0, 12, 128, 5, 0, 3, 0, 200, 9, 1, 0, 23, 0, 255}, int16(-10), int16(40), uint8(0), uint8(0), uint8(0), uint16(0))
	f.Add([]byte{0xff, 0xff, 0, 0, 3, 4, 0, 23, 255, 127, 5, 0, 0, 128, 0x80}, int16(0), int16(0), uint8(3), uint8(2), uint8(1), uint16(500))
	f.Add([]byte{100, 1, 5, 60, 8, 107, 1, 6, 61, 8, 114, 1, 7, 62, 8, 121, 1, 8, 63, 80}, int16(300), int16(0), uint8(8), uint8(4), uint8(3), uint16(10))
	f.Fuzz(func(t *testing.T, data []byte, fromDay, toDay int16, window, minHistory, minCount uint8, alphaMilli uint16) {
		base := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
		var counts []Count
		for ; len(data) >= 5; data = data[5:] {
			days := int(int16(binary.LittleEndian.Uint16(data)))
			zone := time.FixedZone("", (int(data[3])-128)*7*60) // within ±15 hours
			date := time.Date(2020, 1, 1+days, int(data[2]%24), int(data[2]), 0, 0, zone)
			counts = append(counts, Count{Date: date, N: int(int8(data[4]))})
		}
		counts = append(counts, Count{}) // undated
		var from, to time.Time
		if fromDay != 0 {
			from = base.AddDate(0, 0, int(fromDay)).Add(13 * time.Hour)
		}
		if toDay != 0 {
			to = base.AddDate(0, 0, int(toDay))
		}

		weeks := Weekly(counts, from, to)

		// The range the weeks must cover, worked out without week numbers.
		lo, hi := from, to
		for _, c := range counts {
			if c.Date.IsZero() || c.N < 0 {
				continue
			}
			if from.IsZero() && (lo.IsZero() || c.Date.Before(lo)) {
				lo = c.Date
			}
			if to.IsZero() && (hi.IsZero() || c.Date.After(hi)) {
				hi = c.Date
			}
		}
		if lo.IsZero() || hi.IsZero() || monday(lo).After(monday(hi)) {
			if weeks != nil {
				t.Fatalf("empty range %v to %v, got %d weeks", lo, hi, len(weeks))
			}
			return
		}
		if len(weeks) == 0 {
			t.Fatalf("range %v to %v, got no weeks", lo, hi)
		}
		if !weeks[0].Start.Equal(monday(lo)) || !weeks[len(weeks)-1].Start.Equal(monday(hi)) {
			t.Fatalf("weeks %v to %v, want %v to %v", weeks[0].Start, weeks[len(weeks)-1].Start, monday(lo), monday(hi))
		}
		for i, w := range weeks {
			if w.Start.Location() != time.UTC || w.Start.Weekday() != time.Monday || !w.Start.Equal(w.Start.Truncate(24*time.Hour)) {
				t.Fatalf("week %d starts %v", i, w.Start)
			}
			if i > 0 && !w.Start.Equal(weeks[i-1].Start.AddDate(0, 0, 7)) {
				t.Fatalf("week %d starts %v after %v", i, w.Start, weeks[i-1].Start)
			}
		}
		want := map[time.Time]int{}
		for _, c := range counts {
			if m := monday(c.Date); !c.Date.IsZero() && c.N >= 0 && !m.Before(weeks[0].Start) && !m.After(weeks[len(weeks)-1].Start) {
				want[m] += c.N
			}
		}
		total := 0
		for _, w := range weeks {
			if w.Count != want[w.Start] {
				t.Fatalf("week %v: count %d, want %d", w.Start, w.Count, want[w.Start])
			}
			total += w.Count
		}
		wantTotal := 0
		for _, n := range want {
			wantTotal += n
		}
		if total != wantTotal {
			t.Fatalf("weeks sum to %d, in-range counts to %d", total, wantTotal)
		}

		opts := Options{Window: int(window % 20), MinHistory: int(minHistory % 20), MinCount: int(minCount % 10), Alpha: float64(alphaMilli) / 1000}
		o := opts.withDefaults()
		surges := Surges(weeks, opts)
		marked := 0
		for i, w := range weeks {
			if i < o.MinHistory && (w.Expected != 0 || w.Surge) {
				t.Fatalf("week %d judged within the minimum history of %d: %+v", i, o.MinHistory, w)
			}
			if i >= o.MinHistory && !(w.Expected >= o.Floor) {
				t.Fatalf("week %d: expected %g below the floor", i, w.Expected)
			}
			if w.Surge {
				marked++
			}
		}
		if marked != len(surges) {
			t.Fatalf("%d weeks marked, %d surges", marked, len(surges))
		}
		for i, s := range surges {
			if i > 0 && !s.Start.After(surges[i-1].Start) {
				t.Fatalf("surge %d at %v after %v", i, s.Start, surges[i-1].Start)
			}
			if !(s.P >= 0 && s.P <= 1) || s.P >= o.Alpha || s.Count < o.MinCount {
				t.Fatalf("surge %+v with α %g and min count %d", s, o.Alpha, o.MinCount)
			}
			if s.Expected != max(s.Mean, o.Floor) || math.Abs(s.Ratio-float64(s.Count)/s.Expected) > 1e-9*s.Ratio {
				t.Fatalf("surge %+v: inconsistent baseline", s)
			}
			if s.History < 1 || s.History > o.Window || s.Why == "" {
				t.Fatalf("surge %+v", s)
			}
		}
	})
}

// monday returns the Monday, 00:00 UTC, of the week holding t's UTC date, by
// the calendar rather than by the day numbers Weekly uses.
func monday(t time.Time) time.Time {
	y, m, d := t.UTC().Date()
	date := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	return date.AddDate(0, 0, -((int(date.Weekday()) + 6) % 7))
}
