package trend

import (
	"fmt"
	"slices"
	"testing"
	"time"
)

// day parses "2006-01-02" or RFC 3339 and panics on anything else.
func day(s string) time.Time {
	layout := time.DateOnly
	if len(s) > len(layout) {
		layout = time.RFC3339
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		panic(err)
	}
	return t
}

// render writes a series as "2006-01-02:count" items, to compare it with a
// table's expectation in one line.
func render(weeks []Week) []string {
	var out []string
	for _, w := range weeks {
		out = append(out, fmt.Sprintf("%s:%d", w.Start.Format(time.DateOnly), w.Count))
	}
	return out
}

func TestWeekly(t *testing.T) {
	for _, tc := range []struct {
		name     string
		counts   []Count
		from, to string // "" for the zero time
		want     []string
	}{
		{name: "no counts and no range"},
		{name: "no counts and only from", from: "2021-01-06"},
		{
			name: "no counts fills the range with zero weeks",
			from: "2021-01-06", to: "2021-01-18",
			want: []string{"2021-01-04:0", "2021-01-11:0", "2021-01-18:0"},
		},
		{
			name: "year boundary with ISO week 53",
			counts: []Count{
				{day("2020-12-27"), 1}, // Sunday, the end of 2020-W52
				{day("2020-12-28"), 2}, // Monday of 2020-W53
				{day("2021-01-01"), 3},
				{day("2021-01-03T23:59:59Z"), 4}, // the last second of 2020-W53
				{day("2021-01-04"), 5},           // 2021-W01
			},
			want: []string{"2020-12-21:1", "2020-12-28:9", "2021-01-04:5"},
		},
		{
			name: "week 1 starting in December",
			counts: []Count{
				{day("2024-12-29"), 1},
				{day("2024-12-30"), 1}, // Monday of 2025-W01
				{day("2025-01-05"), 1},
			},
			want: []string{"2024-12-23:1", "2024-12-30:2"},
		},
		{
			name: "gaps become zero weeks and order does not matter",
			counts: []Count{
				{day("2023-03-30"), 2},
				{day("2023-03-01"), 1},
				{day("2023-03-30"), 3},
			},
			want: []string{"2023-02-27:1", "2023-03-06:0", "2023-03-13:0", "2023-03-20:0", "2023-03-27:5"},
		},
		{
			name: "dates in other zones go by their UTC day",
			counts: []Count{
				{day("2021-01-04T01:00:00+03:00"), 1}, // Sunday 22:00 UTC
				{day("2021-01-03T22:00:00-05:00"), 2}, // Monday 03:00 UTC
			},
			want: []string{"2020-12-28:1", "2021-01-04:2"},
		},
		{
			name: "range is rounded out to whole weeks and clips counts",
			counts: []Count{
				{day("2022-05-01"), 1}, // the Sunday before from's week
				{day("2022-05-02"), 2}, // before from, in its week
				{day("2022-05-15"), 4}, // after to, in its week
				{day("2022-05-16"), 8}, // the Monday after to's week
			},
			from: "2022-05-04T12:00:00Z", to: "2022-05-10",
			want: []string{"2022-05-02:2", "2022-05-09:4"},
		},
		{
			name: "zero from is the earliest count",
			counts: []Count{
				{day("2022-04-20"), 1},
				{day("2022-05-16"), 8},
			},
			to:   "2022-05-10",
			want: []string{"2022-04-18:1", "2022-04-25:0", "2022-05-02:0", "2022-05-09:0"},
		},
		{
			name: "zero to is the latest count",
			counts: []Count{
				{day("2022-04-20"), 1},
				{day("2022-05-16"), 8},
			},
			from: "2022-05-10",
			want: []string{"2022-05-09:0", "2022-05-16:8"},
		},
		{
			name: "undated and negative counts are ignored",
			counts: []Count{
				{time.Time{}, 5},
				{day("2022-05-03"), -2},
				{day("2022-05-17"), 1},
			},
			want: []string{"2022-05-16:1"},
		},
		{
			name: "zero counts stretch the series",
			counts: []Count{
				{day("2022-05-03"), 0},
				{day("2022-05-17"), 1},
			},
			want: []string{"2022-05-02:0", "2022-05-09:0", "2022-05-16:1"},
		},
		{
			name:   "from after to",
			counts: []Count{{day("2022-05-03"), 1}},
			from:   "2022-05-10", to: "2022-05-01",
		},
		{
			name:   "before the Unix epoch",
			counts: []Count{{day("1969-12-31"), 1}, {day("1969-12-28T12:00:00Z"), 2}}, // a Sunday
			want:   []string{"1969-12-22:2", "1969-12-29:1"},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var from, to time.Time
			if tc.from != "" {
				from = day(tc.from)
			}
			if tc.to != "" {
				to = day(tc.to)
			}
			weeks := Weekly(tc.counts, from, to)
			if got := render(weeks); !slices.Equal(got, tc.want) {
				t.Errorf("Weekly = %q, want %q", got, tc.want)
			}
			for _, w := range weeks {
				if w.Start.Location() != time.UTC || w.Expected != 0 || w.Surge {
					t.Errorf("week %+v: want a UTC start and no judgement", w)
				}
			}
		})
	}
}

func TestWeeklyISOWeek(t *testing.T) {
	for _, tc := range []struct {
		date        string
		start       string
		year, isoWk int
	}{
		{"2020-12-31", "2020-12-28", 2020, 53},
		{"2021-01-03", "2020-12-28", 2020, 53},
		{"2021-01-04", "2021-01-04", 2021, 1},
		{"2024-12-31", "2024-12-30", 2025, 1},
		{"2026-01-01", "2025-12-29", 2026, 1},
		{"2016-01-03", "2015-12-28", 2015, 53},
		{"2010-01-03", "2009-12-28", 2009, 53},
		{"1900-01-01", "1900-01-01", 1900, 1},
		{"1969-12-31", "1969-12-29", 1970, 1},
		{"2000-02-29", "2000-02-28", 2000, 9},
	} {
		t.Run(tc.date, func(t *testing.T) {
			weeks := Weekly([]Count{{day(tc.date), 1}}, time.Time{}, time.Time{})
			if len(weeks) != 1 {
				t.Fatalf("Weekly = %q, want one week", render(weeks))
			}
			start := weeks[0].Start
			if got := start.Format(time.DateOnly); got != tc.start {
				t.Errorf("start %s, want %s", got, tc.start)
			}
			if y, w := start.ISOWeek(); y != tc.year || w != tc.isoWk {
				t.Errorf("ISO week %d-W%02d, want %d-W%02d", y, w, tc.year, tc.isoWk)
			}
		})
	}
}
