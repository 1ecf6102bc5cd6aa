package network

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"mosaic"
)

// Query is a network filter as commands and the API take it: lists are
// comma-separated, days are YYYY-MM-DD, and each field left empty does not
// filter.
type Query struct {
	Types, Collections, Agencies string
	Since, Until                 string
	CoOccurrence                 bool
}

// relationTypes are the relation types a query may name.
var relationTypes = []mosaic.RelationType{mosaic.Contact, mosaic.Command, mosaic.Member, mosaic.Attack,
	mosaic.Travel, mosaic.Family, mosaic.LocatedIn, mosaic.CoOccur}

// Options turns the query into network options. It fails on an unknown
// relation type or a day that is not YYYY-MM-DD, naming the field
// (types, since, until) so a command or the API can say which flag or
// parameter is wrong. Asking only for co-occurrence follows it.
func (q Query) Options() (Options, error) {
	var o Options
	for _, t := range list(q.Types) {
		typ := mosaic.RelationType(t)
		if !slices.Contains(relationTypes, typ) {
			return o, &QueryError{"type", t, "want one of " + typeNames()}
		}
		o.Filter.Types = append(o.Filter.Types, typ)
	}
	o.Filter.Scope.Collections = list(q.Collections)
	o.Filter.Agencies = list(q.Agencies)
	for _, d := range []struct {
		field, value string
		to           *time.Time
	}{{"since", q.Since, &o.Filter.Since}, {"until", q.Until, &o.Filter.Until}} {
		if d.value == "" {
			continue
		}
		t, err := time.Parse(time.DateOnly, d.value)
		if err != nil {
			return o, &QueryError{d.field, d.value, "want a day as YYYY-MM-DD"}
		}
		*d.to = t
	}
	if !o.Filter.Since.IsZero() && !o.Filter.Until.IsZero() && o.Filter.Until.Before(o.Filter.Since) {
		return o, &QueryError{"until", q.Until, "is before since " + q.Since}
	}
	o.CoOccurrence = q.CoOccurrence || slices.Equal(o.Filter.Types, []mosaic.RelationType{mosaic.CoOccur})
	return o, nil
}

// Key is the query in canonical form, for caching the networks built
// from it.
func (q Query) Key() string {
	return fmt.Sprintf("%s|%s|%s|%s|%s|%v", strings.Join(list(q.Types), ","), strings.Join(list(q.Collections), ","),
		strings.Join(list(q.Agencies), ","), q.Since, q.Until, q.CoOccurrence)
}

// QueryError is a field of a query that cannot be understood.
type QueryError struct {
	Field, Value, Reason string
}

func (e *QueryError) Error() string {
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason)
}

// list splits a comma-separated list, dropping blanks.
func list(s string) []string {
	var out []string
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			out = append(out, x)
		}
	}
	return out
}

func typeNames() string {
	names := make([]string, len(relationTypes))
	for i, t := range relationTypes {
		names[i] = string(t)
	}
	return strings.Join(names, ", ")
}
