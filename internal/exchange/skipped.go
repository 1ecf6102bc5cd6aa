package exchange

import (
	"fmt"
	"sort"
	"strings"
)

// Skipped counts, by reason, what a reader left out of a file because a
// case has no place for it ("schema Vessel", "type malware"), so that an
// import says what it did not bring rather than drop it silently.
type Skipped map[string]int

// Add counts one thing left out for reason.
func (s *Skipped) Add(reason string) {
	if *s == nil {
		*s = Skipped{}
	}
	(*s)[reason]++
}

// Total is the number of things left out.
func (s Skipped) Total() int {
	n := 0
	for _, v := range s {
		n += v
	}
	return n
}

// String says what was left out, most frequent reason first: "3 schema
// Vessel, 1 link to an entity not in the file"; "" for nothing.
func (s Skipped) String() string {
	reasons := make([]string, 0, len(s))
	for k := range s {
		reasons = append(reasons, k)
	}
	sort.Slice(reasons, func(i, j int) bool {
		a, b := reasons[i], reasons[j]
		if s[a] != s[b] {
			return s[a] > s[b]
		}
		return a < b
	})
	parts := make([]string, len(reasons))
	for i, k := range reasons {
		parts[i] = fmt.Sprintf("%d %s", s[k], k)
	}
	return strings.Join(parts, ", ")
}
