package incident

// Calendars: Gregorian dates to and from the Umm al-Qura calendar, and the
// Gregorian windows of Ramadan, so that tempo can set attacks against the
// Hijri year.
//
// Umm al-Qura is Saudi Arabia's civil calendar, fixed in advance from a
// table of month starts. The table comes from github.com/hablullah/go-hijri,
// which carries R. H. van Gent's reconstruction of the published calendars
// (1356-1500 AH, 1937-2077 CE). It was preferred to the table that ICU and
// Java carry because before 1420 AH (1999) it follows the calendars Saudi
// Arabia printed, where ICU's is often a day late (1 Ramadan 1413: printed
// 1993-02-22, ICU 1993-02-23); from 1420 to 1450 AH the two agree on every
// month, and after 1450 AH both are predictions, no calendar having been
// published yet, and they disagree on about a third of the months. The
// table keeps the old calendars' irregularities: Sha'ban 1364 has 28 days
// (1945-07-11 to 1945-08-07), and 1356 and 1401 AH have 353 days.
//
// Religious observance is not the civil calendar: the start of Ramadan is
// announced after a sighting of the crescent, which may fall a day or two
// after Umm al-Qura in Saudi Arabia and elsewhere. A Ramadan window here is
// the civil one; an analysis that needs a country's observed dates must
// allow for that day or two.

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/hablullah/go-hijri"
)

// HijriMonth is a month of the Hijri year, Muharram being 1.
type HijriMonth int

// The Hijri months, in order.
const (
	Muharram HijriMonth = 1 + iota
	Safar
	RabiAlAwwal
	RabiAlThani
	JumadaAlUla
	JumadaAlAkhirah
	Rajab
	Shaban
	Ramadan
	Shawwal
	DhuAlQadah
	DhuAlHijjah
)

var hijriMonthNames = [...]string{
	Muharram:        "Muharram",
	Safar:           "Safar",
	RabiAlAwwal:     "Rabi al-Awwal",
	RabiAlThani:     "Rabi al-Thani",
	JumadaAlUla:     "Jumada al-Ula",
	JumadaAlAkhirah: "Jumada al-Akhirah",
	Rajab:           "Rajab",
	Shaban:          "Shaban",
	Ramadan:         "Ramadan",
	Shawwal:         "Shawwal",
	DhuAlQadah:      "Dhu al-Qadah",
	DhuAlHijjah:     "Dhu al-Hijjah",
}

// String is the month's name transliterated into English, without
// diacritics, so that it can be typed and searched ("Rabi al-Awwal").
func (m HijriMonth) String() string {
	if m < Muharram || m > DhuAlHijjah {
		return "HijriMonth(" + strconv.Itoa(int(m)) + ")"
	}
	return hijriMonthNames[m]
}

// HijriDate is a day of the Umm al-Qura calendar.
type HijriDate struct {
	Year  int        `json:"year"`
	Month HijriMonth `json:"month"`
	Day   int        `json:"day"`
}

// String writes the date as YYYY-MM-DD, the form ParseHijriDate reads.
func (d HijriDate) String() string {
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month), d.Day)
}

// ParseHijriDate reads a Hijri date written YYYY-MM-DD ("1437-09-26"). It
// checks the form only; ToGregorian checks that the day exists.
func ParseHijriDate(s string) (HijriDate, error) {
	parts := strings.Split(s, "-")
	if len(parts) == 3 {
		y, ey := strconv.Atoi(parts[0])
		m, em := strconv.Atoi(parts[1])
		d, ed := strconv.Atoi(parts[2])
		if ey == nil && em == nil && ed == nil && len(parts[0]) >= 3 {
			return HijriDate{Year: y, Month: HijriMonth(m), Day: d}, nil
		}
	}
	return HijriDate{}, fmt.Errorf("hijri date %q: want YYYY-MM-DD, e.g. 1437-09-26", s)
}

// ErrOutOfRange is wrapped by every error about a date outside the Umm
// al-Qura table.
var ErrOutOfRange = errors.New("outside the Umm al-Qura table")

// The table's first and last days, in both calendars. Dates are held as
// midnight UTC of the civil day.
var (
	firstDay   = time.Date(1937, 3, 14, 0, 0, 0, 0, time.UTC)
	lastDay    = time.Date(2077, 11, 16, 0, 0, 0, 0, time.UTC)
	firstHijri = HijriDate{Year: 1356, Month: Muharram, Day: 1}
	lastHijri  = HijriDate{Year: 1500, Month: DhuAlHijjah, Day: 30}
)

func rangeText() string {
	return fmt.Sprintf("%s (%s) to %s (%s)",
		firstDay.Format(time.DateOnly), firstHijri,
		lastDay.Format(time.DateOnly), lastHijri)
}

// civilDay is the calendar day t falls on where t was written, as midnight
// UTC: 2016-07-01 00:30 in Riyadh is 1 July, though it is still 30 June in
// UTC.
func civilDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// ToHijri returns the Umm al-Qura date of the civil day t falls on, in t's
// own location. It returns an error wrapping ErrOutOfRange for a day
// outside the table (before 1937-03-14 or after 2077-11-16).
func ToHijri(t time.Time) (HijriDate, error) {
	day := civilDay(t)
	if day.Before(firstDay) || day.After(lastDay) {
		return HijriDate{}, fmt.Errorf("%s is %w, which covers %s", day.Format(time.DateOnly), ErrOutOfRange, rangeText())
	}
	// The library converts the UTC day of its argument; noon keeps it on
	// the same day whatever it does with the time of day.
	u, err := hijri.CreateUmmAlQuraDate(day.Add(12 * time.Hour))
	if err != nil {
		return HijriDate{}, fmt.Errorf("%s to hijri: %w", day.Format(time.DateOnly), err)
	}
	return HijriDate{Year: int(u.Year), Month: HijriMonth(u.Month), Day: int(u.Day)}, nil
}

// monthStart is the first day of a month the table holds; year and month
// must have been checked. 1501-01 is the table's end marker, so the day
// after its last.
func monthStart(year int, m HijriMonth) time.Time {
	return civilDay(hijri.UmmAlQuraDate{Year: int64(year), Month: int64(m), Day: 1}.ToGregorian())
}

// MonthLength returns the number of days, 29 or 30, of a month of the
// table, or an error wrapping ErrOutOfRange for a month outside it.
func MonthLength(year int, m HijriMonth) (int, error) {
	if m < Muharram || m > DhuAlHijjah {
		return 0, fmt.Errorf("hijri month %d: want 1 to 12", int(m))
	}
	if year < firstHijri.Year || year > lastHijri.Year {
		return 0, fmt.Errorf("hijri year %d is %w, which covers %s", year, ErrOutOfRange, rangeText())
	}
	ny, nm := year, m+1
	if nm > DhuAlHijjah {
		ny, nm = year+1, Muharram
	}
	return int(monthStart(ny, nm).Sub(monthStart(year, m)).Hours() / 24), nil
}

// ToGregorian returns the Gregorian day of an Umm al-Qura date, as
// midnight UTC. A month or day that does not exist (month 13, the 30th of
// a 29-day month) is an error, and a year outside the table an error
// wrapping ErrOutOfRange: the library would index past its table, or roll
// the day silently into the next month.
func ToGregorian(d HijriDate) (time.Time, error) {
	n, err := MonthLength(d.Year, d.Month)
	if err != nil {
		return time.Time{}, fmt.Errorf("%s: %w", d, err)
	}
	if d.Day < 1 || d.Day > n {
		return time.Time{}, fmt.Errorf("%s: %s %d has %d days", d, d.Month, d.Year, n)
	}
	return monthStart(d.Year, d.Month).AddDate(0, 0, d.Day-1), nil
}

// RamadanWindow is one Ramadan of the Umm al-Qura calendar as Gregorian
// days.
type RamadanWindow struct {
	// HijriYear is the Hijri year whose ninth month this is.
	HijriYear int
	// Start and End are the first and last days of the month, both
	// included, as midnight UTC.
	Start, End time.Time
}

// Days is the length of the window, 29 or 30.
func (w RamadanWindow) Days() int { return int(w.End.Sub(w.Start).Hours()/24) + 1 }

// Contains reports whether the civil day t falls on, in t's own location,
// is in the window.
func (w RamadanWindow) Contains(t time.Time) bool {
	day := civilDay(t)
	return !day.Before(w.Start) && !day.After(w.End)
}

// RamadanWindows returns every Ramadan that overlaps the Gregorian year,
// in order: one, or two when the year holds the end of one and the start
// of the next (as 2030 does). Whole windows are returned, even where they
// run into the year before or after. Years 1937 to 2077 are answered;
// others are an error wrapping ErrOutOfRange.
func RamadanWindows(year int) ([]RamadanWindow, error) {
	if year < firstDay.Year() || year > lastDay.Year() {
		return nil, fmt.Errorf("ramadan windows of %d: the year is %w, which covers %s", year, ErrOutOfRange, rangeText())
	}
	// The days of 1937 and 2077 outside the table cannot be in Ramadan:
	// the 72 before 1 Muharram 1356 lie in Shawwal to Dhu al-Hijjah 1355
	// (at least 87 days), and the 45 after 1500 in Muharram and Safar 1501.
	from := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	if from.Before(firstDay) {
		from = firstDay
	}
	to := time.Date(year, 12, 31, 0, 0, 0, 0, time.UTC)
	if to.After(lastDay) {
		to = lastDay
	}
	first, err := ToHijri(from)
	if err != nil {
		return nil, err
	}
	last, err := ToHijri(to)
	if err != nil {
		return nil, err
	}
	var out []RamadanWindow
	// A Ramadan of the Hijri year before first ended at least two months
	// before that year began, so before from.
	for hy := first.Year; hy <= last.Year; hy++ {
		start, err := ToGregorian(HijriDate{Year: hy, Month: Ramadan, Day: 1})
		if err != nil {
			return nil, err
		}
		n, err := MonthLength(hy, Ramadan)
		if err != nil {
			return nil, err
		}
		w := RamadanWindow{HijriYear: hy, Start: start, End: start.AddDate(0, 0, n-1)}
		if w.End.Year() >= year && w.Start.Year() <= year {
			out = append(out, w)
		}
	}
	return out, nil
}
