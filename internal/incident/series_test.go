package incident

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"
)

func date(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

func TestCountByHandWorked(t *testing.T) {
	// 2016-01-01 is a Friday; ISO week 1 of 2016 starts Monday 2016-01-04.
	dates := []time.Time{
		date("2015-12-31"), // outside the range
		date("2016-01-01"), date("2016-01-03"),
		date("2016-01-04"), date("2016-01-10"),
		date("2016-01-11"),
		date("2016-02-29"), date("2016-02-29"),
		time.Date(2016, 3, 1, 23, 30, 0, 0, time.FixedZone("UTC+3", 3*3600)), // still 1 March where it was recorded
		date("2016-03-02"), // outside the range
	}
	r := DateRange{From: date("2016-01-01"), To: date("2016-03-01")}
	tests := []struct {
		period Period
		bins   int
		first  string
		days   []int // first bins' exposure
		counts []int // first bins' counts
		last   int   // last bin's count
	}{
		{Day, 61, "2016-01-01", []int{1, 1, 1}, []int{1, 0, 1}, 1},
		{Week, 10, "2015-12-28", []int{3, 7, 7}, []int{2, 2, 1}, 3}, // last week: Mon 29 Feb, Tue 1 Mar
		{Month, 3, "2016-01-01", []int{31, 29, 1}, []int{5, 2, 1}, 1},
	}
	for _, tc := range tests {
		t.Run(tc.period.String(), func(t *testing.T) {
			s, err := CountBy(dates, tc.period, r)
			if err != nil {
				t.Fatal(err)
			}
			if len(s.Count) != tc.bins || len(s.Days) != tc.bins || len(s.Start) != tc.bins {
				t.Fatalf("bins = %d/%d/%d, want %d", len(s.Count), len(s.Days), len(s.Start), tc.bins)
			}
			if got := s.Start[0].Format(time.DateOnly); got != tc.first {
				t.Errorf("first bin starts %s, want %s", got, tc.first)
			}
			for i := range tc.days {
				if s.Days[i] != tc.days[i] || s.Count[i] != tc.counts[i] {
					t.Errorf("bin %d: days %d count %d, want %d and %d", i, s.Days[i], s.Count[i], tc.days[i], tc.counts[i])
				}
			}
			if got := s.Count[len(s.Count)-1]; got != tc.last {
				t.Errorf("last bin count = %d, want %d", got, tc.last)
			}
			if s.Total() != 8 {
				t.Errorf("total = %d, want the 8 events inside the range", s.Total())
			}
		})
	}
}

// TestCountByAgainstCalendarKeys counts random dates by keys the standard
// library computes (ISOWeek, Year/Month, the date itself), a different
// route from the bin arithmetic under test.
func TestCountByAgainstCalendarKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 1))
	key := func(p Period, d time.Time) string {
		switch p {
		case Week:
			y, w := d.ISOWeek()
			return fmt.Sprintf("%d-W%02d", y, w)
		case Month:
			return d.Format("2006-01")
		}
		return d.Format(time.DateOnly)
	}
	for trial := 0; trial < 50; trial++ {
		from := date("2010-01-01").AddDate(0, 0, rng.IntN(2000))
		r := DateRange{From: from, To: from.AddDate(0, 0, rng.IntN(800))}
		var dates []time.Time
		for i := 0; i < 300; i++ {
			dates = append(dates, from.AddDate(0, 0, rng.IntN(r.Days()+40)-20))
		}
		for _, p := range []Period{Day, Week, Month} {
			want := map[string]int{}
			for _, d := range dates {
				if !d.Before(r.From) && !d.After(r.To) {
					want[key(p, d)]++
				}
			}
			s, err := CountBy(dates, p, r)
			if err != nil {
				t.Fatal(err)
			}
			seen := map[string]bool{}
			days := 0
			for i, b := range s.Start {
				k := key(p, b)
				if seen[k] {
					t.Fatalf("%v: bin %s twice", p, k)
				}
				seen[k] = true
				if s.Count[i] != want[k] {
					t.Fatalf("%v trial %d: bin %s count %d, want %d", p, trial, k, s.Count[i], want[k])
				}
				days += s.Days[i]
			}
			for k := range want {
				if !seen[k] {
					t.Fatalf("%v: no bin for %s", p, k)
				}
			}
			if days != r.Days() {
				t.Fatalf("%v: exposure sums to %d days, range has %d", p, days, r.Days())
			}
		}
	}
}

func TestCountByRejects(t *testing.T) {
	if _, err := CountBy(nil, Day, DateRange{From: date("2016-02-01"), To: date("2016-01-01")}); err == nil {
		t.Error("an empty range was accepted")
	}
	if _, err := CountBy(nil, Period(9), DateRange{From: date("2016-01-01"), To: date("2016-01-01")}); err == nil {
		t.Error("an unknown period was accepted")
	}
}

func TestRolling(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 2))
	for trial := 0; trial < 100; trial++ {
		counts := make([]int, rng.IntN(40))
		for i := range counts {
			counts[i] = rng.IntN(6)
		}
		w := 1 + rng.IntN(10)
		got, err := Rolling(counts, w)
		if err != nil {
			t.Fatal(err)
		}
		want := []int{}
		for i := 0; i+w <= len(counts); i++ {
			sum := 0
			for j := i; j < i+w; j++ {
				sum += counts[j]
			}
			want = append(want, sum)
		}
		if fmt.Sprint(got) != fmt.Sprint(want) {
			t.Fatalf("Rolling(%v, %d) = %v, want %v", counts, w, got, want)
		}
	}
	if _, err := Rolling([]int{1}, 0); err == nil {
		t.Error("a zero window was accepted")
	}
}
