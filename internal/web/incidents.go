package web

import (
	"fmt"
	"net/http"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/incident"
	"mosaic/internal/store"
)

// incidentFilters is how an answer states the filters it used.
type incidentFilters struct {
	Since       string `json:"since,omitempty"`
	Until       string `json:"until,omitempty"`
	Collection  string `json:"collection,omitempty"`
	Country     string `json:"country,omitempty"`
	Region      string `json:"region,omitempty"`
	Group       string `json:"group,omitempty"`
	Attribution string `json:"attribution,omitempty"`
	AttackType  string `json:"attack_type,omitempty"`
}

// incidentQuery reads the filters and inclusion rule of an incidents or
// tempo request, the filter scoped to what the caller may read.
func incidentQuery(r *http.Request) (store.IncidentFilter, incident.Rule, incidentFilters, error) {
	q := r.URL.Query()
	f := store.IncidentFilter{Scope: scopeOf(r), Collection: q.Get("collection"), Country: q.Get("country"),
		Region: q.Get("region"), Group: q.Get("group"), AttackType: q.Get("attack_type")}
	echo := incidentFilters{Collection: f.Collection, Country: f.Country, Region: f.Region, Group: f.Group, AttackType: f.AttackType}
	rule := incident.All
	if v := q.Get("rule"); v != "" {
		var err error
		if rule, err = incident.ParseRule(v); err != nil {
			return f, "", echo, &paramError{"rule", "must be all or strict"}
		}
	}
	for _, b := range []struct {
		name string
		end  bool
		into *time.Time
		echo *string
	}{{"since", false, &f.Since, &echo.Since}, {"until", true, &f.Until, &echo.Until}} {
		v := q.Get(b.name)
		if v == "" {
			continue
		}
		t, err := incident.ParseBound(v, b.end)
		if err != nil {
			return f, "", echo, &paramError{b.name, "must be YYYY-MM-DD, YYYY-MM or YYYY"}
		}
		*b.into, *b.echo = t, t.Format(time.DateOnly)
	}
	if v := q.Get("attribution"); v != "" {
		switch a := mosaic.Attribution(strings.ToLower(v)); a {
		case mosaic.Directed, mosaic.Enabled, mosaic.Inspired, mosaic.ClaimedByBranch, mosaic.AttributionUnknown:
			f.Attribution, echo.Attribution = a, string(a)
		default:
			return f, "", echo, &paramError{"attribution", "must be directed, enabled, inspired, branch or unknown"}
		}
	}
	return f, rule, echo, nil
}

// incidents answers GET /api/v1/incidents: one page of the incidents in
// the caller's scope the filters select, oldest first. The store pages;
// the inclusion rule is applied to each page, so under rule=strict a page
// may hold fewer than limit, and total counts what the filters select
// before the rule (included counts the page's incidents the rule keeps).
func (s *Server) incidents(w http.ResponseWriter, r *http.Request) {
	if s.Incidents == nil {
		s.noRoute(w, r)
		return
	}
	f, rule, echo, err := incidentQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	l, err := s.Incidents.IncidentsPage(r.Context(), f, p)
	if err != nil {
		s.fail(w, r, cursorError(err, p.Cursor))
		return
	}
	kept := []mosaic.Incident{}
	for _, in := range l.Incidents {
		if incident.Included(in, rule) {
			kept = append(kept, in)
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Rule      incident.Rule     `json:"rule"`
		Filters   incidentFilters   `json:"filters"`
		Total     int               `json:"total"`
		Incidents []mosaic.Incident `json:"incidents"`
		Next      string            `json:"next"`
	}{rule, echo, l.Total, kept, l.Next})
}

// tempo answers GET /api/v1/tempo?by=day|week|month: the incidents in the
// caller's scope the filters select, counted per bin with changes of
// rate, and with ramadan=1 or around=DATE (window=DAYS) the comparisons
// the tempo command makes.
func (s *Server) tempo(w http.ResponseWriter, r *http.Request) {
	if s.Incidents == nil {
		s.noRoute(w, r)
		return
	}
	f, rule, echo, err := incidentQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	q := r.URL.Query()
	opt := incident.TempoOptions{Period: incident.Month, Rule: rule, Range: incident.DateRange{From: f.Since, To: f.Until}}
	if v := q.Get("by"); v != "" {
		if opt.Period, err = incident.ParsePeriod(v); err != nil {
			s.fail(w, r, &paramError{"by", "must be day, week or month"})
			return
		}
	}
	switch q.Get("ramadan") {
	case "", "0", "false":
	case "1", "true":
		opt.Ramadan = true
	default:
		s.fail(w, r, &paramError{"ramadan", "must be 1 or 0"})
		return
	}
	if v := q.Get("around"); v != "" {
		if opt.Around, err = time.Parse(time.DateOnly, v); err != nil {
			s.fail(w, r, &paramError{"around", "must be YYYY-MM-DD"})
			return
		}
	}
	if opt.Window, err = intParam(r, "window", 1, 3660); err != nil {
		s.fail(w, r, err)
		return
	}
	if opt.Period == incident.Day && !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Sub(f.Since) > 100*366*24*time.Hour {
		s.fail(w, r, &paramError{"by", "day bins over more than a century are too many; narrow since and until"})
		return
	}
	var all []mosaic.Incident
	if err := s.Incidents.EachIncident(r.Context(), f, func(in mosaic.Incident) error {
		all = append(all, in)
		return nil
	}); err != nil {
		s.fail(w, r, err)
		return
	}
	t, err := incident.ComputeTempo(all, opt)
	if err != nil {
		// What ComputeTempo refuses is the request's framing: an empty
		// range, a Ramadan outside the calendar's table, no days outside
		// the windows.
		s.fail(w, r, fmt.Errorf("tempo: %v: %w", err, store.ErrInvalid))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Filters incidentFilters `json:"filters"`
		incident.Tempo
	}{echo, t})
}
