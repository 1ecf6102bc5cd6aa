package incident

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// Position is an attack's place in a series: the Nth of M attacks that
// pass a filter, oldest first, counted under an inclusion rule.
type Position struct {
	// Incident is the attack's group ID (its lowest member ID).
	Incident mosaic.IncidentID `json:"incident"`
	N        int               `json:"n"`
	M        int               `json:"m"`
	Rule     Rule              `json:"rule"`
	// Series says what was counted, as Describe writes it.
	Series string `json:"series"`
	// Text is the sentence: "attack 19 of 19 in Bangladesh by ISIS since
	// 2015-10-01".
	Text string `json:"text"`
}

// Ordinal returns the position of the attack an incident belongs to
// (given by any member's ID) among the groups that pass f and rule,
// oldest first in the store's order, as Merge returns them. It returns
// store.ErrNotFound if no group holds the incident, and store.ErrInvalid
// if its attack is not in the series (f or the rule leaves it out), saying
// which.
func Ordinal(groups []Group, id mosaic.IncidentID, f store.IncidentFilter, rule Rule) (Position, error) {
	if rule == "" {
		rule = All
	}
	if _, err := ParseRule(string(rule)); err != nil {
		return Position{}, fmt.Errorf("ordinal of incident %d: %w: %v", id, store.ErrInvalid, err)
	}
	p := Position{Rule: rule, Series: Describe(f)}
	found := false
	for _, g := range groups {
		in := Included(g.Incident, rule) && Matches(g.Incident, f)
		if in {
			p.M++
		}
		if !found && memberOf(g, id) {
			found = true
			p.Incident = g.ID
			if in {
				p.N = p.M
			}
		}
	}
	switch {
	case !found:
		return Position{}, fmt.Errorf("ordinal of incident %d: %w", id, store.ErrNotFound)
	case p.N == 0:
		return Position{}, fmt.Errorf("ordinal of incident %d: %w: its attack is not among the %d attacks %s under rule %s",
			id, store.ErrInvalid, p.M, seriesOrAll(p.Series), rule)
	}
	p.Text = fmt.Sprintf("attack %d of %d", p.N, p.M)
	if p.Series != "" {
		p.Text += " " + p.Series
	}
	if rule != All {
		p.Text += fmt.Sprintf(" (rule %s)", rule)
	}
	return p, nil
}

// OrdinalIn is Ordinal over a series already read with a place (where)
// and a filter (Read applies both, a group through the network too): the
// position counts every attack of series, and the words say what was
// read ("attack 8 of 10 in United Kingdom since 2016-01-01"). An incident
// whose attack the series lacks is ErrInvalid, saying so in those words.
func OrdinalIn(series []Group, id mosaic.IncidentID, where string, f store.IncidentFilter, rule Rule) (Position, error) {
	if rule == "" {
		rule = All
	}
	words := Describe(f)
	if where != "" {
		words = strings.TrimSpace("in " + where + " " + words)
	}
	p, err := Ordinal(series, id, store.IncidentFilter{}, rule)
	if errors.Is(err, store.ErrNotFound) {
		return p, fmt.Errorf("ordinal of incident %d: %w: its attack is not among the %d attacks %s under rule %s",
			id, store.ErrInvalid, len(series), seriesOrAll(words), rule)
	}
	if err != nil {
		return p, err
	}
	p.Series = words
	p.Text = fmt.Sprintf("attack %d of %d", p.N, p.M)
	if words != "" {
		p.Text += " " + words
	}
	if rule != All {
		p.Text += fmt.Sprintf(" (rule %s)", rule)
	}
	return p, nil
}

func seriesOrAll(s string) string {
	if s == "" {
		return "in all"
	}
	return s
}

func memberOf(g Group, id mosaic.IncidentID) bool {
	if g.ID == id {
		return true
	}
	for _, m := range g.Members {
		if m == id {
			return true
		}
	}
	return false
}

// attributionWords say how a class relates attacks to a group, for
// Describe: "directed by ISIS".
var attributionWords = map[mosaic.Attribution]string{
	mosaic.Directed:           "directed by",
	mosaic.Enabled:            "enabled by",
	mosaic.Inspired:           "inspired by",
	mosaic.ClaimedByBranch:    "by a branch of",
	mosaic.AttributionUnknown: "of unknown relation to",
}

// Describe writes what a filter selects as words that follow "attack N of
// M": "of type Bombing/Explosion in Bangladesh (South Asia) directed by
// ISIS since 2015-10-01". The zero filter gives "".
func Describe(f store.IncidentFilter) string {
	var parts []string
	if f.AttackType != "" {
		parts = append(parts, "of type "+f.AttackType)
	}
	switch {
	case f.Country != "" && f.Region != "":
		parts = append(parts, fmt.Sprintf("in %s (%s)", f.Country, f.Region))
	case f.Country != "":
		parts = append(parts, "in "+f.Country)
	case f.Region != "":
		parts = append(parts, "in "+f.Region)
	}
	switch {
	case f.Group != "" && f.Attribution != "":
		w, ok := attributionWords[f.Attribution]
		if !ok {
			w = fmt.Sprintf("of attribution %q to", f.Attribution)
		}
		parts = append(parts, w+" "+f.Group)
	case f.Group != "":
		parts = append(parts, "by "+f.Group)
	case f.Attribution != "":
		parts = append(parts, fmt.Sprintf("of attribution %s", f.Attribution))
	}
	day := func(t time.Time) string { return t.Format(time.DateOnly) }
	switch {
	case !f.Since.IsZero() && !f.Until.IsZero():
		parts = append(parts, fmt.Sprintf("from %s to %s", day(f.Since), day(f.Until)))
	case !f.Since.IsZero():
		parts = append(parts, "since "+day(f.Since))
	case !f.Until.IsZero():
		parts = append(parts, "until "+day(f.Until))
	}
	if f.Collection != "" {
		parts = append(parts, fmt.Sprintf("in collection %q", f.Collection))
	}
	return strings.Join(parts, " ")
}
