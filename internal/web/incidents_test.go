package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"mosaic"
	"mosaic/internal/store/sqlite"
)

// matrixIncidents are the incidents of each matrix collection: their
// cities and groups are the collection's markers, so that the matrix
// finds any that reach a caller who may not read them.
var matrixIncidents = map[string][]struct {
	event, date, city, group string
	strict                   bool
}{
	alphaMain: {
		{"201903020001", "2019-03-02", "Aldermoor", "Pellworth Syndicate", true},
		{"201903090001", "2019-03-09", "Aldermoor", "Pellworth Syndicate", false},
		{"201904150001", "2019-04-15", "Aldermoor", "Pellworth Syndicate", false},
	},
	bravoOpen: {
		{"201904010001", "2019-04-01", "Brightwater", "Ysolde Brackwater", true},
	},
	bravoSecret: {
		{"201905030001", "2019-05-03", "Zarqa", "Nightjar Collective", true},
		{"201905200001", "2019-05-20", "Zarqa", "Nightjar Collective", true},
	},
}

// addMatrixIncidents stores matrixIncidents in the matrix's collections.
func addMatrixIncidents(t testing.TB, s *sqlite.Store) {
	t.Helper()
	yes := mosaic.Some(true)
	for coll, list := range matrixIncidents {
		var batch []mosaic.Incident
		for _, m := range list {
			var d mosaic.IncidentDate
			if err := d.UnmarshalText([]byte(m.date)); err != nil {
				t.Fatal(err)
			}
			in := mosaic.Incident{EventID: m.event, Date: d, City: m.city, Perpetrators: []string{m.group},
				Country: mosaic.Code{ID: 1, Name: "Freedonia"}, Attribution: mosaic.AttributionUnknown}
			if m.strict {
				in.Crit1, in.Crit2, in.Crit3, in.Doubt = yes, yes, yes, mosaic.Some(false)
			}
			batch = append(batch, in)
		}
		if _, err := s.AddIncidents(context.Background(), coll, batch); err != nil {
			t.Fatal(err)
		}
	}
}

// TestIncidentsAndTempoPerAgency checks what each agency's analyst gets
// from the incidents and tempo endpoints against the fixture's own
// counts: their agency's incidents, those of a collection granted to
// them, and never another agency's.
func TestIncidentsAndTempoPerAgency(t *testing.T) {
	f := newMatrix(t)
	get := func(c who, target string, into any) {
		t.Helper()
		code, body := f.call(t, c, "GET", target, "")
		if code != http.StatusOK {
			t.Fatalf("%s %s: status %d: %s", c, target, code, body)
		}
		if err := json.Unmarshal([]byte(body), into); err != nil {
			t.Fatalf("%s %s: %v", c, target, err)
		}
	}
	type listAnswer struct {
		Rule      string            `json:"rule"`
		Total     int               `json:"total"`
		Incidents []mosaic.Incident `json:"incidents"`
		Next      string            `json:"next"`
	}
	type tempoAnswer struct {
		Rule    string `json:"rule"`
		Counted int    `json:"counted"`
		Bins    []struct {
			Start string `json:"start"`
			Count int    `json:"count"`
		} `json:"bins"`
	}
	// expect counts the fixture's incidents of the readable collections,
	// all or strict, and per month.
	expect := func(c who, strict bool) (int, map[string]int) {
		n, months := 0, map[string]int{}
		for _, coll := range f.readable(c) {
			for _, m := range matrixIncidents[coll] {
				if strict && !m.strict {
					continue
				}
				n++
				months[m.date[:7]+"-01"]++
			}
		}
		return n, months
	}
	alphaAnalyst := who{agency: alpha, role: "analyst"}
	bravoAnalyst := who{agency: bravo, role: "analyst"}
	bravoRestricted := who{agency: bravo, role: "analyst", restricted: true}
	check := func() {
		for _, c := range []who{alphaAnalyst, bravoAnalyst, bravoRestricted} {
			for _, rule := range []string{"all", "strict"} {
				want, months := expect(c, rule == "strict")
				var l listAnswer
				get(c, "/api/v1/incidents?rule="+rule+"&limit=100", &l)
				if rule == "all" && l.Total != want || len(l.Incidents) != want || l.Rule != rule {
					t.Errorf("%s rule %s granted=%t: total %d, %d incidents, rule %q; want %d", c, rule, f.granted, l.Total, len(l.Incidents), l.Rule, want)
				}
				var tm tempoAnswer
				get(c, "/api/v1/tempo?by=month&rule="+rule, &tm)
				got := map[string]int{}
				for _, b := range tm.Bins {
					if b.Count > 0 {
						got[b.Start] = b.Count
					}
				}
				if tm.Counted != want || fmt.Sprint(got) != fmt.Sprint(months) || tm.Rule != rule {
					t.Errorf("%s tempo rule %s granted=%t: counted %d per month %v, rule %q; want %d, %v", c, rule, f.granted, tm.Counted, got, tm.Rule, want, months)
				}
			}
		}
	}
	check()
	f.grant(t)
	check()

	// Paging: two pages of alpha's four (its own three and the granted
	// one) hold each once, oldest first.
	var p1, p2 listAnswer
	get(alphaAnalyst, "/api/v1/incidents?limit=3", &p1)
	if p1.Next == "" || len(p1.Incidents) != 3 {
		t.Fatalf("first page: %d incidents, next %q", len(p1.Incidents), p1.Next)
	}
	get(alphaAnalyst, "/api/v1/incidents?limit=3&cursor="+p1.Next, &p2)
	var dates []string
	for _, in := range append(p1.Incidents, p2.Incidents...) {
		dates = append(dates, in.Date.String())
	}
	if fmt.Sprint(dates) != "[2019-03-02 2019-03-09 2019-04-01 2019-04-15]" || p2.Next != "" {
		t.Errorf("pages: %v, next %q", dates, p2.Next)
	}

	// A foreign collection named outright gives nothing, not an error.
	var foreign listAnswer
	get(alphaAnalyst, "/api/v1/incidents?collection="+bravoSecret, &foreign)
	if foreign.Total != 0 || len(foreign.Incidents) != 0 {
		t.Errorf("alpha reading %s: %d incidents", bravoSecret, foreign.Total)
	}
	// Filters narrow and are echoed.
	var one struct {
		listAnswer
		Filters map[string]string `json:"filters"`
	}
	get(bravoAnalyst, "/api/v1/incidents?group=nightjar+collective&since=2019-05-10", &one)
	if one.Total != 1 || one.Filters["group"] != "nightjar collective" || one.Filters["since"] != "2019-05-10" {
		t.Errorf("bravo's Nightjar incidents since 10 May: %d, filters %v", one.Total, one.Filters)
	}
	// The before/after ratio counts the days on each side of the date.
	var around struct {
		Around struct {
			Before, After int
		} `json:"around"`
	}
	get(bravoAnalyst, "/api/v1/tempo?by=day&around=2019-05-01&window=40", &around)
	if around.Around.Before != 1 || around.Around.After != 2 {
		t.Errorf("bravo around 1 May, 40 days: %+v; want 1 before (1 April), 2 after", around.Around)
	}
}
