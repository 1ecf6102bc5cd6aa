package incident

import (
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// Matches reports whether an incident passes a filter's fields, all but
// Scope and Collection (which say where incidents are kept, not what they
// are), with the semantics of the store's filter, so that a count made in
// Go over merged groups agrees with the store's over rows:
//
//   - a date known only to its month or year passes a bound if some day
//     of it does (its last day, counted as the 31st or December's, is
//     compared with Since; its first with Until), and a bound is the day
//     it names in its own location;
//   - Country, Region, Group (any perpetrator) and AttackType (any type)
//     compare names without regard to case and runs of white space;
//   - Attribution is the class exactly.
func Matches(in mosaic.Incident, f store.IncidentFilter) bool {
	d := in.Date
	if !f.Since.IsZero() {
		m, day := 12, 31
		if v, ok := d.Month.Get(); ok {
			m = int(v)
		}
		if v, ok := d.Day.Get(); ok {
			day = v
		}
		if d.Year*10000+m*100+day < boundKey(f.Since) {
			return false
		}
	}
	if !f.Until.IsZero() {
		m, day := 1, 1
		if v, ok := d.Month.Get(); ok {
			m = int(v)
		}
		if v, ok := d.Day.Get(); ok {
			day = v
		}
		if d.Year*10000+m*100+day > boundKey(f.Until) {
			return false
		}
	}
	if f.Country != "" && foldFilter(in.Country.Name) != foldFilter(f.Country) {
		return false
	}
	if f.Region != "" && foldFilter(in.Region.Name) != foldFilter(f.Region) {
		return false
	}
	if f.Attribution != "" && in.Attribution != f.Attribution {
		return false
	}
	if f.Group != "" && !anyFolded(in.Perpetrators, f.Group) {
		return false
	}
	if f.AttackType != "" {
		names := make([]string, len(in.AttackTypes))
		for i, c := range in.AttackTypes {
			names[i] = c.Name
		}
		if !anyFolded(names, f.AttackType) {
			return false
		}
	}
	return true
}

// boundKey renders a bound's day as the store's date key does.
func boundKey(t time.Time) int {
	y, m, d := t.Date()
	return y*10000 + int(m)*100 + d
}

// foldFilter folds a name as the store folds the names it filters by:
// runs of white space one space, lower case (Unicode's).
func foldFilter(s string) string { return strings.ToLower(strings.Join(strings.Fields(s), " ")) }

func anyFolded(names []string, want string) bool {
	w := foldFilter(want)
	for _, n := range names {
		if n := foldFilter(n); n != "" && n == w {
			return true
		}
	}
	return false
}
