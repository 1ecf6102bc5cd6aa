package incident

import (
	"strings"
	"time"
	"unicode"

	"mosaic"
)

// reanchor corrects relative dates read against a birth date. A document
// with no date of its own has its relative dates ("yesterday", "last
// night", "on 13 June") read by extraction against the first full date in
// its text, which in a police document is often a date of birth in the
// header ("born 23/01/1991"): "yesterday" then reads as 1991-01-22. When
// the first full date is one excludedDate refuses and a later one is not,
// the relative dates are moved by the difference, and a date written
// without a year is put in the year nearest the new anchor.
func (r *reader) reanchor() {
	if !r.d.Date.IsZero() {
		return
	}
	var used, want time.Time
	for i := range r.sents {
		s := &r.sents[i]
		for m := s.first; m < s.last; m++ {
			mt := r.d.Mentions[m]
			if mt.Type != mosaic.Date || !hasDigit(mt.Text) || !hasYear(mt.Text) {
				continue
			}
			dt, ok := parseNorm(mt.Norm)
			if !ok {
				continue
			}
			t, ok := dt.Time()
			if !ok {
				continue
			}
			if used.IsZero() {
				used = t
			}
			if !r.excludedDate(s, mt) {
				want = t
				break
			}
		}
		if !want.IsZero() {
			break
		}
	}
	if used.IsZero() || want.IsZero() || used.Equal(want) {
		return
	}
	shift := want.Sub(used)
	ms := make([]mosaic.Mention, len(r.d.Mentions))
	copy(ms, r.d.Mentions)
	for k, m := range ms {
		if m.Type != mosaic.Date || hasYear(m.Text) {
			continue
		}
		dt, ok := parseNorm(m.Norm)
		if !ok {
			continue
		}
		if !hasDigit(m.Text) {
			// Relative: "yesterday", "last month".
			if t, ok := dt.Time(); ok {
				ms[k].Norm = t.Add(shift).Format("2006-01-02")
			} else if dt.Month.Valid {
				t := time.Date(dt.Year, dt.Month.Value, 1, 0, 0, 0, 0, time.UTC).Add(shift)
				ms[k].Norm = t.Format("2006-01")
			}
			continue
		}
		// Written without a year: "13 June" in the year that puts it
		// nearest the anchor.
		if t, ok := dt.Time(); ok {
			best := t
			for y := want.Year() - 1; y <= want.Year()+1; y++ {
				c := time.Date(y, t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
				if absDur(c.Sub(want)) < absDur(best.Sub(want)) {
					best = c
				}
			}
			ms[k].Norm = best.Format("2006-01-02")
		}
	}
	r.d.Mentions = ms
}

func absDur(d time.Duration) time.Duration {
	if d < 0 {
		return -d
	}
	return d
}

func hasDigit(s string) bool {
	return strings.IndexFunc(s, unicode.IsDigit) >= 0
}

// hasYear reports a written year: four digits in a row, or a numeric date
// with two separators ("23/01/91").
func hasYear(s string) bool {
	run := 0
	for _, r := range s {
		if unicode.IsDigit(r) {
			run++
			if run == 4 {
				return true
			}
		} else {
			run = 0
		}
	}
	return strings.Count(s, "/") == 2 || strings.Count(s, ".") == 2 || strings.Count(s, "-") == 2
}
