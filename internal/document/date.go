package document

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// dateLayouts are the written forms of a date that metadata fields and
// record columns use. Only unambiguous forms are listed: "03/04/2019" is
// March in one country and April in the next, and a wrong anchor date is
// worse than none.
var dateLayouts = []string{
	time.RFC3339Nano,
	"2006-01-02T15:04:05Z0700",
	"2006-01-02T15:04:05.999999999",
	"2006-01-02T15:04:05",
	"2006-01-02T15:04Z07:00",
	"2006-01-02T15:04",
	"2006-01-02 15:04:05Z07:00",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 MST",
	"2006-01-02 15:04:05.999999999",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04",
	"2006-01-02",
	"2006/01/02 15:04:05",
	"2006/01/02",
	"2006.01.02",
	"02.01.2006",
	"20060102",
	"2006-01",
	"2006",
	time.RFC1123Z,
	time.RFC1123,
	time.RFC850,
	time.ANSIC,
	time.UnixDate,
	"Mon, 2 Jan 2006 15:04:05 -0700",
	"Mon, 2 Jan 2006 15:04:05 MST",
	"2 Jan 2006 15:04:05 -0700",
	"Monday, January 2, 2006",
	"January 2, 2006",
	"January 2 2006",
	"Jan 2, 2006",
	"Jan. 2, 2006",
	"2 January 2006",
	"2 Jan 2006",
	"January 2006",
}

// parseDate reads a date written in one of dateLayouts. Dates without a zone
// are taken as UTC. Years outside 1000–2999 are refused: they are typing
// errors or numbers that happen to fit a layout.
func parseDate(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 64 {
		return time.Time{}, false
	}
	for _, layout := range dateLayouts {
		t, err := time.Parse(layout, s)
		if err == nil {
			return t, t.Year() >= 1000 && t.Year() < 3000
		}
	}
	if t, err := mail.ParseDate(s); err == nil {
		return t, t.Year() >= 1000 && t.Year() < 3000
	}
	return time.Time{}, false
}

// parsePDFDate reads a PDF date string, "D:YYYYMMDDHHmmSSOHH'mm'", in which
// every part after the year is optional and the apostrophes are often
// missing or misplaced.
func parsePDFDate(s string) (time.Time, bool) {
	s = strings.TrimPrefix(strings.TrimSpace(s), "D:")
	digits := 0
	for digits < len(s) && digits < 14 && s[digits] >= '0' && s[digits] <= '9' {
		digits++
	}
	if digits < 4 || digits%2 != 0 {
		return time.Time{}, false
	}
	num := func(i, def int) int {
		if i+2 > digits {
			return def
		}
		n, _ := strconv.Atoi(s[i : i+2])
		return n
	}
	year, _ := strconv.Atoi(s[:4])
	month, day := num(4, 1), num(6, 1)
	hour, minute, sec := num(8, 0), num(10, 0), num(12, 0)
	if year < 1000 || year >= 3000 || month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || sec > 60 {
		return time.Time{}, false
	}
	loc := time.UTC
	zone := strings.ReplaceAll(s[digits:], "'", "")
	if len(zone) >= 3 && (zone[0] == '+' || zone[0] == '-') {
		zh, err1 := strconv.Atoi(zone[1:3])
		zm := 0
		var err2 error
		if len(zone) >= 5 {
			zm, err2 = strconv.Atoi(zone[3:5])
		}
		if err1 == nil && err2 == nil && zh < 24 && zm < 60 {
			offset := zh*3600 + zm*60
			if zone[0] == '-' {
				offset = -offset
			}
			loc = time.FixedZone("", offset)
		}
	}
	return time.Date(year, time.Month(month), day, hour, minute, sec, 0, loc), true
}
