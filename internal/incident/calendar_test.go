package incident

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// published holds Umm al-Qura dates each confirmed by at least two
// sources independent of the library's table: ICU's islamic-umalqura
// calendar (Node 78.2 Intl), Java's HijrahDate, the Saudi Press Agency's
// and Supreme Court's announcements that cite the Umm al-Qura date, and
// the printed Umm al-Qura table for 1413 AH reproduced by moonsighting
// groups. ICU and Java agree with each other on every month from 1356 to
// 1500 AH, so they count as one source where the table disagrees with them
// (only before 1420 AH and after 1450 AH).
var published = []struct {
	gregorian string
	hijri     string
	source    string
}{
	{"2016-07-01", "1437-09-26", "issue 13; ICU; Java"},
	{"2016-06-06", "1437-09-01", "Saudi fast began Monday 6 June 2016; ICU; Java"},
	{"2016-07-05", "1437-09-30", "Saudi court: Shawwal crescent not seen, Ramadan of 30 days; ICU; Java"},
	{"2016-07-06", "1437-10-01", "Eid al-Fitr Wednesday 6 July 2016 in Saudi Arabia; ICU; Java"},
	{"1992-07-01", "1413-01-01", "printed Umm al-Qura table for 1413"},
	{"1993-02-22", "1413-09-01", "printed Umm al-Qura table for 1413 (ICU: 1993-02-23)"},
	{"1993-03-24", "1413-10-01", "printed Umm al-Qura table for 1413"},
	{"1993-05-22", "1413-12-01", "printed Umm al-Qura table for 1413"},
	{"1999-12-09", "1420-09-01", "Umm al-Qura calendar page for 1420; ICU; Java"},
	{"2017-05-25", "1438-08-29", "Saudi Supreme Court, citing Umm al-Qura; ICU; Java"},
	{"2017-05-27", "1438-09-01", "Saudi Supreme Court: Ramadan from Saturday 27 May; ICU; Java"},
	{"2018-05-15", "1439-08-29", "Saudi Press Agency, Sha'ban 29 1439 = 15 May 2018; ICU; Java"},
	{"2018-05-16", "1439-09-01", "ICU; Java (observed: 17 May, crescent not seen)"},
	{"2019-05-04", "1440-08-29", "Saudi Supreme Court, 29 Sha'ban by Umm al-Qura; ICU; Java"},
	{"2019-05-06", "1440-09-01", "Saudi announcement of 1 Ramadan 1440; ICU; Java"},
	{"2022-07-29", "1443-12-30", "Saudi Supreme Court via SPA, citing Umm al-Qura; ICU; Java"},
	{"2022-07-30", "1444-01-01", "Saudi Supreme Court via SPA, citing Umm al-Qura; ICU; Java"},
	{"2024-03-11", "1445-09-01", "Saudi Supreme Court: Ramadan from Monday 11 March 2024; ICU; Java"},
	{"2009-08-22", "1430-09-01", "ICU; Java"},
	{"2014-06-28", "1435-09-01", "ICU; Java"},
	{"2020-04-24", "1441-09-01", "ICU; Java"},
	{"2023-03-23", "1444-09-01", "ICU; Java"},
	{"2025-03-01", "1446-09-01", "ICU; Java"},
	{"2026-02-18", "1447-09-01", "ICU; Java"},
}

func TestPublishedDates(t *testing.T) {
	for _, c := range published {
		t.Run(c.gregorian, func(t *testing.T) {
			h, err := ToHijri(day(c.gregorian))
			if err != nil {
				t.Fatal(err)
			}
			if h.String() != c.hijri {
				t.Errorf("ToHijri(%s) = %s, want %s (%s)", c.gregorian, h, c.hijri, c.source)
			}
			want, _ := ParseHijriDate(c.hijri)
			g, err := ToGregorian(want)
			if err != nil {
				t.Fatal(err)
			}
			if got := g.Format(time.DateOnly); got != c.gregorian {
				t.Errorf("ToGregorian(%s) = %s, want %s (%s)", c.hijri, got, c.gregorian, c.source)
			}
		})
	}
}

// icuMonths are the lengths of the months 1420-01 to 1450-12 by ICU's
// islamic-umalqura calendar, which Java's HijrahDate matches: '9' for 29
// days, '0' for 30. Made with Node's Intl.DateTimeFormat
// ("en-u-ca-islamic-umalqura-nu-latn"), scanning every day from 1999 to
// 2029. These are the years of published Umm al-Qura calendars under the
// present rules; before them the table follows the older printed
// calendars, after them both are predictions.
const icuMonths = "909909000090990999000090099099900090090909909090090090990909090090900909" +
	"909090090090990909009009099099000900909909900900900990909090900909090990" +
	"900090909099090090090909909090090099090909090090909090909090090099090990" +
	"090009909909090009090990909000909099090900900909909090900909090909090900" +
	"909009909090900090990990900090099099090009090909909009009090990909009009" +
	"090990909009"

func TestMonthsAgreeWithICU(t *testing.T) {
	start := day("1999-04-17") // 1 Muharram 1420 by ICU
	for i, c := range icuMonths {
		h := HijriDate{Year: 1420 + i/12, Month: HijriMonth(i%12 + 1), Day: 1}
		g, err := ToGregorian(h)
		if err != nil {
			t.Fatal(err)
		}
		if !g.Equal(start) {
			t.Fatalf("%s = %s, ICU %s", h, g.Format(time.DateOnly), start.Format(time.DateOnly))
		}
		want := 30
		if c == '9' {
			want = 29
		}
		n, err := MonthLength(h.Year, h.Month)
		if err != nil {
			t.Fatal(err)
		}
		if n != want {
			t.Errorf("%s %d: %d days, ICU %d", h.Month, h.Year, n, want)
		}
		start = start.AddDate(0, 0, want)
	}
}

// TestEveryDay walks the whole table, 1937-03-14 to 2077-11-16: each day
// converts back to itself, the Hijri date advances by one day at a time,
// every month has 29 or 30 days and every year 353 to 355. One month of
// the table has 28 days: Sha'ban 1364 (1945-07-11 to 1945-08-07), as in
// every copy of van Gent's table; ICU starts Ramadan 1364 a day later.
func TestEveryDay(t *testing.T) {
	first, last := day("1937-03-14"), day("2077-11-16")
	prev := HijriDate{Year: 1355, Month: DhuAlHijjah, Day: 29}
	yearDays := 0
	days := 0
	for g := first; !g.After(last); g = g.AddDate(0, 0, 1) {
		h, err := ToHijri(g)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ToGregorian(h)
		if err != nil {
			t.Fatalf("%s: %v", h, err)
		}
		if !back.Equal(g) {
			t.Fatalf("%s -> %s -> %s", g.Format(time.DateOnly), h, back.Format(time.DateOnly))
		}
		switch {
		case h.Year == prev.Year && h.Month == prev.Month && h.Day == prev.Day+1:
		case h.Day == 1 && (prev.Day == 29 || prev.Day == 30 || prev == HijriDate{1364, Shaban, 28}) &&
			(h.Year == prev.Year && h.Month == prev.Month+1 ||
				h.Year == prev.Year+1 && h.Month == Muharram && prev.Month == DhuAlHijjah):
			if h.Month == Muharram && g != first {
				if yearDays < 353 || yearDays > 355 {
					t.Errorf("hijri year %d has %d days", prev.Year, yearDays)
				}
				yearDays = 0
			}
		default:
			t.Fatalf("%s: %s follows %s", g.Format(time.DateOnly), h, prev)
		}
		if g == first {
			yearDays = 0
		}
		yearDays++
		prev = h
		days++
	}
	if prev != (HijriDate{Year: 1500, Month: DhuAlHijjah, Day: 30}) {
		t.Errorf("the table ends on %s, want 1500-12-30", prev)
	}
	if days != 51383 {
		t.Errorf("%d days in the table, want 51383 (1,740 months)", days)
	}
}

func TestMonthNames(t *testing.T) {
	want := []string{"Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Thani", "Jumada al-Ula",
		"Jumada al-Akhirah", "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah", "Dhu al-Hijjah"}
	for i, w := range want {
		if got := HijriMonth(i + 1).String(); got != w {
			t.Errorf("month %d = %q, want %q", i+1, got, w)
		}
	}
	if Ramadan != 9 {
		t.Errorf("Ramadan = %d, want 9", Ramadan)
	}
	if got := HijriMonth(13).String(); got != "HijriMonth(13)" {
		t.Errorf("month 13 = %q", got)
	}
}

func TestOutOfRange(t *testing.T) {
	for _, s := range []string{"1937-03-13", "2077-11-17", "1900-01-01", "2100-06-01"} {
		_, err := ToHijri(day(s))
		if !errors.Is(err, ErrOutOfRange) {
			t.Errorf("ToHijri(%s): %v, want ErrOutOfRange", s, err)
			continue
		}
		for _, part := range []string{s, "1937-03-14", "2077-11-16", "1356-01-01", "1500-12-30"} {
			if !strings.Contains(err.Error(), part) {
				t.Errorf("ToHijri(%s): %q does not name %s", s, err, part)
			}
		}
	}
	for _, h := range []HijriDate{{1355, DhuAlHijjah, 29}, {1501, Muharram, 1}, {0, Ramadan, 1}} {
		if _, err := ToGregorian(h); !errors.Is(err, ErrOutOfRange) || !strings.Contains(err.Error(), h.String()) {
			t.Errorf("ToGregorian(%s): %v, want ErrOutOfRange naming it", h, err)
		}
	}
	for _, y := range []int{1936, 2078, 1} {
		if _, err := RamadanWindows(y); !errors.Is(err, ErrOutOfRange) {
			t.Errorf("RamadanWindows(%d): %v, want ErrOutOfRange", y, err)
		}
	}
}

func TestInvalidHijriDates(t *testing.T) {
	// Shawwal 1437 has 29 days (1 Dhu al-Qadah is 2016-08-04 by ICU).
	for _, h := range []HijriDate{{1437, 13, 1}, {1437, 0, 5}, {1437, Shawwal, 30}, {1437, Ramadan, 31}, {1437, Ramadan, 0}} {
		_, err := ToGregorian(h)
		if err == nil {
			t.Errorf("ToGregorian(%s) did not fail", h)
		} else if errors.Is(err, ErrOutOfRange) {
			t.Errorf("ToGregorian(%s): %v is not a range error", h, err)
		}
	}
	for _, s := range []string{"1437-9", "1437-09-xx", "2016/07/01", "", "37-09-26"} {
		if _, err := ParseHijriDate(s); err == nil {
			t.Errorf("ParseHijriDate(%q) did not fail", s)
		}
	}
	if h, err := ParseHijriDate("1437-9-1"); err != nil || h != (HijriDate{1437, Ramadan, 1}) {
		t.Errorf("ParseHijriDate(1437-9-1) = %v, %v", h, err)
	}
}

// TestToHijriUsesTheLocalDay: a time just after midnight in Riyadh is
// still the day before in UTC; the day it was written on is the one
// converted.
func TestToHijriUsesTheLocalDay(t *testing.T) {
	riyadh := time.FixedZone("AST", 3*3600)
	h, err := ToHijri(time.Date(2016, 7, 1, 0, 30, 0, 0, riyadh))
	if err != nil || h.String() != "1437-09-26" {
		t.Errorf("ToHijri(2016-07-01 00:30 +03) = %s, %v; want 1437-09-26", h, err)
	}
}

func TestRamadanWindows(t *testing.T) {
	cases := []struct {
		year int
		want []string // hijri year, start, end
	}{
		{2016, []string{"1437 2016-06-06 2016-07-05"}},
		{2017, []string{"1438 2017-05-27 2017-06-24"}},
		{2030, []string{"1451 2030-01-05 2030-02-03", "1452 2030-12-26 2031-01-23"}},
		{1937, []string{"1356 1937-11-05 1937-12-03"}},
		// ICU ends it on 2077-08-19: after 1450 AH both are predictions.
		{2077, []string{"1500 2077-07-21 2077-08-18"}},
	}
	for _, c := range cases {
		ws, err := RamadanWindows(c.year)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, w := range ws {
			got = append(got, strings.Join([]string{
				HijriDate{Year: w.HijriYear}.String()[:4], w.Start.Format(time.DateOnly), w.End.Format(time.DateOnly)}, " "))
		}
		if strings.Join(got, "; ") != strings.Join(c.want, "; ") {
			t.Errorf("RamadanWindows(%d) = %v, want %v", c.year, got, c.want)
		}
	}
}

// TestRamadanWindowsMatchEveryDay checks the windows of every year against
// a day-by-day scan: the days of the year inside some window are exactly
// the days ToHijri puts in Ramadan, and each window is a whole Ramadan.
func TestRamadanWindowsMatchEveryDay(t *testing.T) {
	for year := 1937; year <= 2077; year++ {
		ws, err := RamadanWindows(year)
		if err != nil {
			t.Fatal(err)
		}
		if len(ws) < 1 || len(ws) > 2 {
			t.Errorf("%d: %d windows", year, len(ws))
		}
		for _, w := range ws {
			if n := w.Days(); n != 29 && n != 30 {
				t.Errorf("%d: Ramadan %d has %d days", year, w.HijriYear, n)
			}
			for _, edge := range []struct {
				t    time.Time
				want HijriDate
			}{{w.Start, HijriDate{w.HijriYear, Ramadan, 1}}, {w.End.AddDate(0, 0, 1), HijriDate{w.HijriYear, Shawwal, 1}}} {
				if h, err := ToHijri(edge.t); err != nil || h != edge.want {
					t.Errorf("%d: %s is %s, want %s", year, edge.t.Format(time.DateOnly), h, edge.want)
				}
			}
		}
		for g := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC); g.Year() == year; g = g.AddDate(0, 0, 1) {
			h, err := ToHijri(g)
			if err != nil {
				continue // outside the table, in 1937 and 2077 only
			}
			in := false
			for _, w := range ws {
				in = in || w.Contains(g)
			}
			if in != (h.Month == Ramadan) {
				t.Fatalf("%s (%s): in a window %v", g.Format(time.DateOnly), h, in)
			}
		}
	}
}
