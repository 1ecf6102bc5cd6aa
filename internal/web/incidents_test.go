package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/incident"
	"mosaic/internal/store"
)

// matrixRecord is one incident record of a matrix collection. Its city and
// group are the collection's markers, so that the matrix finds any that
// reach a caller who may not read them.
type matrixRecord struct {
	event, date, city, group string
	strict                   bool
	// attacker, when set, makes the record a report read from the
	// collection's second document, which names the attacker and the
	// group: no event ID, the document as its source, the two as actors.
	// A report is of the attack of its collection's GTD row of the same
	// day and city, and merges with it.
	attacker string
}

// matrixIncidents are the records of each matrix collection, GTD rows
// first. Two GTD rows are never one attack unless an analyst rules so.
var matrixIncidents = map[string][]matrixRecord{
	alphaMain: {
		{event: "201903020001", date: "2019-03-02", city: "Aldermoor", group: "Pellworth Syndicate", strict: true},
		{event: "201903090001", date: "2019-03-09", city: "Aldermoor", group: "Pellworth Syndicate"},
		{event: "201904150001", date: "2019-04-15", city: "Aldermoor", group: "Pellworth Syndicate"},
		{date: "2019-03-02", city: "Aldermoor", group: "Pellworth Syndicate", attacker: "Corvin Albescu"},
	},
	bravoOpen: {
		{event: "201904010001", date: "2019-04-01", city: "Brightwater", group: "Ysolde Brackwater", strict: true},
		{event: "201904020001", date: "2019-04-02", city: "Brightwater", group: "Ysolde Brackwater"},
	},
	bravoSecret: {
		{event: "201905030001", date: "2019-05-03", city: "Zarqa", group: "Nightjar Collective", strict: true},
		{event: "201905200001", date: "2019-05-20", city: "Zarqa", group: "Nightjar Collective", strict: true},
	},
}

// addMatrixIncidents stores matrixIncidents in the matrix's collections.
func addMatrixIncidents(t testing.TB, f *matrix) {
	t.Helper()
	yes := mosaic.Some(true)
	for coll, list := range matrixIncidents {
		var batch []mosaic.Incident
		for i, m := range list {
			in := matrixIncident(t, m)
			if m.attacker == "" {
				in.Sources = []mosaic.IncidentSource{{Name: "GTD", Row: i + 2}}
			} else {
				doc := f.docs[coll][1].Doc
				in.Sources = []mosaic.IncidentSource{{Name: "report", Doc: doc.ID}}
				in.Actors = []mosaic.IncidentActor{actorIn(t, doc, mosaic.RoleAttacker, m.attacker, mosaic.Person),
					actorIn(t, doc, mosaic.RoleGroup, m.group, mosaic.Org)}
			}
			if m.strict {
				in.Crit1, in.Crit2, in.Crit3, in.Doubt = yes, yes, yes, mosaic.Some(false)
			}
			batch = append(batch, in)
		}
		if _, err := f.store.AddIncidents(context.Background(), coll, batch); err != nil {
			t.Fatal(err)
		}
	}
}

// matrixIncident is a record's incident, without sources or actors.
func matrixIncident(t testing.TB, m matrixRecord) mosaic.Incident {
	t.Helper()
	var d mosaic.IncidentDate
	if err := d.UnmarshalText([]byte(m.date)); err != nil {
		t.Fatal(err)
	}
	return mosaic.Incident{EventID: m.event, Date: d, City: m.city, Perpetrators: []string{m.group},
		Country: mosaic.Code{ID: 1, Name: "Freedonia"}, Attribution: mosaic.AttributionUnknown}
}

// actorIn is an actor named in a document, at the first place it is.
func actorIn(t testing.TB, doc mosaic.Document, role, name string, kind mosaic.MentionType) mosaic.IncidentActor {
	t.Helper()
	i := strings.Index(doc.Text, name)
	if i < 0 {
		t.Fatalf("fixture: %q not in %q", name, doc.Title)
	}
	return mosaic.IncidentActor{Role: role, Name: name, Kind: kind, Doc: doc.ID, Mention: mosaic.Span{Start: i, End: i + len(name)}}
}

// expectedAttack is what the fixture says of one attack a caller reads.
type expectedAttack struct {
	date    string
	records int
	strict  bool
}

// expectAttacks are the attacks of the collections the caller reads, by
// their GTD row's event ID, worked out from matrixIncidents alone: each
// GTD row an attack, each report one more record of its row's attack.
func (f *matrix) expectAttacks(c who, strict bool) map[string]expectedAttack {
	out := map[string]expectedAttack{}
	for _, coll := range f.readable(c) {
		for _, m := range matrixIncidents[coll] {
			if m.attacker != "" {
				continue
			}
			n := 1
			for _, r := range matrixIncidents[coll] {
				if r.attacker != "" && r.date == m.date && r.city == m.city {
					n++
				}
			}
			if !strict || m.strict {
				out[m.event] = expectedAttack{m.date, n, m.strict}
			}
		}
	}
	return out
}

// attackList is GET /api/v1/incidents's answer as the tests read it.
type attackList struct {
	Rule      string            `json:"rule"`
	Filters   map[string]string `json:"filters"`
	Total     int               `json:"total"`
	Incidents []incident.Group  `json:"incidents"`
	Next      string            `json:"next"`
}

// getJSON calls the matrix as the caller and decodes a 200 answer.
func (f *matrix) getJSON(t *testing.T, c who, target string, into any) {
	t.Helper()
	code, body := f.call(t, c, "GET", target, "")
	if code != http.StatusOK {
		t.Fatalf("%s %s: status %d: %s", c, target, code, body)
	}
	if err := json.Unmarshal([]byte(body), into); err != nil {
		t.Fatalf("%s %s: %v", c, target, err)
	}
}

// events lists the attacks' event IDs in the order given.
func events(gs []incident.Group) []string {
	var out []string
	for _, g := range gs {
		out = append(out, g.EventID)
	}
	return out
}

// TestIncidentsAndTempoPerAgency checks what each agency's analyst gets
// from the incidents and tempo endpoints against the fixture's own
// records: the attacks of their agency's collections and of one granted
// to them, never another agency's; a report merged with its GTD row, both
// sources kept; the attacks counted per month once each.
func TestIncidentsAndTempoPerAgency(t *testing.T) {
	f := newMatrix(t)
	type tempoAnswer struct {
		Rule    string `json:"rule"`
		Counted int    `json:"counted"`
		Bins    []struct {
			Start string `json:"start"`
			Count int    `json:"count"`
		} `json:"bins"`
	}
	alphaAnalyst := who{agency: alpha, role: store.Analyst}
	bravoAnalyst := who{agency: bravo, role: store.Analyst}
	bravoRestricted := who{agency: bravo, role: store.Analyst, restricted: true}
	check := func() {
		for _, c := range []who{alphaAnalyst, bravoAnalyst, bravoRestricted} {
			for _, rule := range []string{"all", "strict"} {
				want := f.expectAttacks(c, rule == "strict")
				var l attackList
				f.getJSON(t, c, "/api/v1/incidents?limit=100&rule="+rule, &l)
				if l.Total != len(want) || len(l.Incidents) != len(want) || l.Rule != rule {
					t.Errorf("%s rule %s granted=%t: total %d, %d attacks %v, rule %q; want %d", c, rule, f.granted,
						l.Total, len(l.Incidents), events(l.Incidents), l.Rule, len(want))
				}
				months := map[string]int{}
				for _, a := range want {
					months[a.date[:7]+"-01"]++
				}
				for _, g := range l.Incidents {
					w, ok := want[g.EventID]
					if !ok || g.Date.String() != w.date || len(g.Members) != w.records || len(g.Sources) != w.records {
						t.Errorf("%s rule %s: attack %s of %s, members %v, %d sources; want %+v", c, rule, g.EventID, g.Date, g.Members, len(g.Sources), w)
					}
				}
				var tm tempoAnswer
				f.getJSON(t, c, "/api/v1/tempo?by=month&rule="+rule, &tm)
				got := map[string]int{}
				for _, b := range tm.Bins {
					if b.Count > 0 {
						got[b.Start] = b.Count
					}
				}
				if tm.Counted != len(want) || fmt.Sprint(got) != fmt.Sprint(months) || tm.Rule != rule {
					t.Errorf("%s tempo rule %s granted=%t: counted %d per month %v, rule %q; want %d, %v", c, rule, f.granted, tm.Counted, got, tm.Rule, len(want), months)
				}
			}
		}
	}
	check()
	f.grant(t)
	check()

	// The report and its GTD row are one attack: both records, both
	// sources, the report's actors tied to the entities resolution made
	// of their mentions, the GTD row's coding kept.
	var l attackList
	f.getJSON(t, alphaAnalyst, "/api/v1/incidents?since=2019-03-02&until=2019-03-02", &l)
	if len(l.Incidents) != 1 {
		t.Fatalf("alpha's attacks of 2 March: %v", events(l.Incidents))
	}
	g := l.Incidents[0]
	report := f.matrixIncident(alphaMain, 1)
	var docs []mosaic.DocID
	for _, s := range g.Sources {
		docs = append(docs, s.Doc)
	}
	if g.EventID != "201903020001" || !slices.Contains(g.Members, report) || len(g.Links) != 1 ||
		!slices.Contains(docs, f.docs[alphaMain][1].Doc.ID) || !incident.Included(g.Incident, incident.Strict) {
		t.Errorf("the 2 March attack: event %q, members %v (report %d), links %+v, sources %+v, strict %t",
			g.EventID, g.Members, report, g.Links, g.Sources, incident.Included(g.Incident, incident.Strict))
	}
	tied := map[string]mosaic.EntityID{}
	for _, a := range g.Actors {
		tied[a.Role+" "+a.Name] = a.Entity
	}
	if tied["attacker Corvin Albescu"] != f.entities["Corvin Albescu"] || tied["group Pellworth Syndicate"] != f.entities["Pellworth Syndicate"] {
		t.Errorf("actors tied %v; want Corvin Albescu %d, Pellworth Syndicate %d", tied, f.entities["Corvin Albescu"], f.entities["Pellworth Syndicate"])
	}

	// A foreign collection named outright gives nothing, not an error.
	var foreign attackList
	f.getJSON(t, alphaAnalyst, "/api/v1/incidents?collection="+bravoSecret, &foreign)
	if foreign.Total != 0 || len(foreign.Incidents) != 0 {
		t.Errorf("alpha reading %s: %d attacks", bravoSecret, foreign.Total)
	}
	// Filters narrow and are echoed; where is any kind of place.
	var one attackList
	f.getJSON(t, bravoAnalyst, "/api/v1/incidents?group=nightjar+collective&since=2019-05-10&where=zarqa", &one)
	if one.Total != 1 || len(one.Incidents) != 1 || one.Incidents[0].EventID != "201905200001" ||
		one.Filters["group"] != "nightjar collective" || one.Filters["since"] != "2019-05-10" || one.Filters["where"] != "zarqa" {
		t.Errorf("bravo's Nightjar attacks in Zarqa since 10 May: %v, filters %v", events(one.Incidents), one.Filters)
	}
	var nowhere attackList
	f.getJSON(t, bravoAnalyst, "/api/v1/incidents?where=Aldermoor", &nowhere)
	if nowhere.Total != 0 {
		t.Errorf("bravo's attacks in alpha's Aldermoor: %v", events(nowhere.Incidents))
	}
	// The before/after ratio counts the days on each side of the date.
	var around struct {
		Around struct {
			Before, After int
		} `json:"around"`
	}
	f.getJSON(t, bravoAnalyst, "/api/v1/tempo?by=day&around=2019-05-01&window=40", &around)
	if around.Around.Before != 2 || around.Around.After != 2 {
		t.Errorf("bravo around 1 May, 40 days: %+v; want 2 before (1 and 2 April), 2 after", around.Around)
	}
	// A Ramadan ratio the range cannot give (April 2019 holds no day of
	// Ramadan) leaves the counts answered, with the reason.
	var april struct {
		Counted int             `json:"counted"`
		Bins    []any           `json:"bins"`
		Ramadan json.RawMessage `json:"ramadan"`
		Note    string          `json:"ramadan_note"`
	}
	f.getJSON(t, bravoAnalyst, "/api/v1/tempo?by=day&ramadan=1&since=2019-04-01&until=2019-04-30", &april)
	if april.Counted != 2 || len(april.Bins) != 30 || april.Ramadan != nil || !strings.Contains(april.Note, "no Ramadan") {
		t.Errorf("bravo's April with ramadan=1: counted %d in %d bins, ramadan %s, note %q; want 2 in 30, no ratio, a note saying there is no Ramadan",
			april.Counted, len(april.Bins), april.Ramadan, april.Note)
	}
}

// TestIncidentsPaging pages alpha's attacks, its own and those granted
// it: each attack once, oldest first, whatever the page size, and still
// once when an older attack arrives between pages.
func TestIncidentsPaging(t *testing.T) {
	f := newMatrix(t)
	f.grant(t)
	analyst := who{agency: alpha, role: store.Analyst}
	want := []string{"201903020001", "201903090001", "201904010001", "201904020001", "201904150001"}
	pages := func(limit int, between func(page int)) ([]string, int) {
		var got []string
		target := fmt.Sprintf("/api/v1/incidents?limit=%d", limit)
		n := 0
		for cursor := ""; ; n++ {
			var l attackList
			t2 := target
			if cursor != "" {
				t2 += "&cursor=" + url.QueryEscape(cursor)
			}
			f.getJSON(t, analyst, t2, &l)
			if len(l.Incidents) > limit {
				t.Fatalf("limit %d: a page of %d", limit, len(l.Incidents))
			}
			got = append(got, events(l.Incidents)...)
			if l.Next == "" || n > 10 {
				return got, n + 1
			}
			cursor = l.Next
			if between != nil {
				between(n)
			}
		}
	}
	for _, limit := range []int{1, 2, 4, 5, 50} {
		got, n := pages(limit, nil)
		if fmt.Sprint(got) != fmt.Sprint(want) || n != (len(want)+limit-1)/limit {
			t.Errorf("limit %d: %v in %d pages; want %v in %d", limit, got, n, want, (len(want)+limit-1)/limit)
		}
	}
	got, _ := pages(2, func(page int) {
		if page != 0 {
			return
		}
		in := matrixIncident(t, matrixRecord{event: "201901050001", date: "2019-01-05", city: "Aldermoor", group: "Pellworth Syndicate"})
		if _, err := f.store.AddIncidents(context.Background(), alphaMain, []mosaic.Incident{in}); err != nil {
			t.Fatal(err)
		}
	})
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("an older attack stored after the first page: pages hold %v; want %v", got, want)
	}
	// A cursor belongs to its query.
	var l attackList
	f.getJSON(t, analyst, "/api/v1/incidents?limit=1", &l)
	for _, target := range []string{
		"/api/v1/incidents?limit=1&rule=strict&cursor=" + url.QueryEscape(l.Next),
		"/api/v1/incidents?cursor=" + url.QueryEscape(l.Next[:len(l.Next)-2]),
		"/api/v1/incidents?cursor=eyJkIjoxLCJpZCI6MH0",
	} {
		if code, body := f.call(t, analyst, "GET", target, ""); code != http.StatusBadRequest || !strings.Contains(body, "cursor") {
			t.Errorf("%s: %d %s; want 400 naming the cursor", target, code, body)
		}
	}
}

// TestIncidentAttack reads one attack by any of its records' IDs, with its
// place in a filtered series; an incident the caller may not read is
// answered as one never stored.
func TestIncidentAttack(t *testing.T) {
	f := newMatrix(t)
	analyst := who{agency: alpha, role: store.Analyst}
	type attackAnswer struct {
		Incident incident.Group     `json:"incident"`
		Position *incident.Position `json:"position"`
	}
	gtd, report := f.matrixIncident(alphaMain, 0), f.matrixIncident(alphaMain, 1)
	for _, id := range []mosaic.IncidentID{gtd, report} {
		var a attackAnswer
		f.getJSON(t, analyst, fmt.Sprintf("/api/v1/incidents/%d", id), &a)
		if a.Incident.ID != gtd || fmt.Sprint(a.Incident.Members) != fmt.Sprint([]mosaic.IncidentID{gtd, report}) ||
			len(a.Incident.Sources) != 2 || a.Position != nil {
			t.Errorf("attack of incident %d: id %d, members %v, sources %+v, position %+v", id, a.Incident.ID, a.Incident.Members, a.Incident.Sources, a.Position)
		}
	}

	// Positions, counted from the fixture: alpha's three attacks in
	// Aldermoor, on 2 March, 9 March and 15 April.
	second := f.matrixIncident(alphaMain, 2) // the 9 March GTD row
	for _, tc := range []struct {
		query string
		id    mosaic.IncidentID
		text  string
	}{
		{"", second, "attack 2 of 3"},
		{"group=Pellworth+Syndicate", report, "attack 1 of 3 by Pellworth Syndicate"},
		{"where=Aldermoor&since=2019-03-05", second, "attack 1 of 2 in Aldermoor since 2019-03-05"},
		{"rule=strict", gtd, "attack 1 of 1 (rule strict)"},
	} {
		var a attackAnswer
		f.getJSON(t, analyst, fmt.Sprintf("/api/v1/incidents/%d?ordinal=1&%s", tc.id, tc.query), &a)
		if a.Position == nil || a.Position.Text != tc.text {
			t.Errorf("ordinal of %d with %q: %+v; want %q", tc.id, tc.query, a.Position, tc.text)
		}
	}
	// An attack the filters leave out has no place in their series.
	if code, body := f.call(t, analyst, "GET", fmt.Sprintf("/api/v1/incidents/%d?ordinal=1&since=2019-03-05", gtd), ""); code != http.StatusBadRequest ||
		!strings.Contains(body, "not among the 2 attacks since 2019-03-05") {
		t.Errorf("ordinal of an attack before since: %d %s", code, body)
	}

	// bravo's secret incident is, to alpha, an incident never stored.
	secret := f.matrixIncident(bravoSecret, 0)
	const unknown = mosaic.IncidentID(987654)
	for _, q := range []string{"", "?ordinal=1"} {
		code, body := f.call(t, analyst, "GET", fmt.Sprintf("/api/v1/incidents/%d%s", secret, q), "")
		wantCode, wantBody := f.call(t, analyst, "GET", fmt.Sprintf("/api/v1/incidents/%d%s", unknown, q), "")
		wantBody = strings.ReplaceAll(wantBody, fmt.Sprint(unknown), fmt.Sprint(secret))
		if code != http.StatusNotFound || code != wantCode || body != wantBody {
			t.Errorf("alpha reading bravo's incident%s: %d %s; as a missing one: %d %s", q, code, body, wantCode, wantBody)
		}
	}
}

// TestIncidentRulingShapesOwnAgency: a ruling through the API that two
// GTD rows are one attack makes them one in the ruling agency's list, and
// leaves them two in the other agency's, which reads both.
func TestIncidentRulingShapesOwnAgency(t *testing.T) {
	f := newMatrix(t)
	f.grant(t)
	alphaAnalyst, bravoAnalyst := who{agency: alpha, role: store.Analyst}, who{agency: bravo, role: store.Analyst}
	a, b := f.matrixIncident(bravoOpen, 0), f.matrixIncident(bravoOpen, 1)
	list := func(c who) attackList {
		var l attackList
		f.getJSON(t, c, "/api/v1/incidents?collection="+bravoOpen, &l)
		return l
	}
	if la, lb := list(alphaAnalyst), list(bravoAnalyst); la.Total != 2 || lb.Total != 2 {
		t.Fatalf("before any ruling: alpha reads %d attacks of %s, bravo %d; want 2 each", la.Total, bravoOpen, lb.Total)
	}
	rule := func(verb string) {
		t.Helper()
		if code, body := f.call(t, alphaAnalyst, "POST", fmt.Sprintf("/api/v1/incidents/%d/%s/%d", a, verb, b), `{"reason":"one crossing"}`); code != http.StatusCreated {
			t.Fatalf("%s: %d %s", verb, code, body)
		}
	}
	rule("same")
	la, lb := list(alphaAnalyst), list(bravoAnalyst)
	if la.Total != 1 || len(la.Incidents) != 1 || fmt.Sprint(la.Incidents[0].Members) != fmt.Sprint([]mosaic.IncidentID{a, b}) ||
		len(la.Incidents[0].Links) != 1 || la.Incidents[0].Links[0].Ruling == 0 {
		t.Errorf("alpha after its ruling: %d attacks %+v", la.Total, la.Incidents)
	}
	if lb.Total != 2 {
		t.Errorf("bravo after alpha's ruling: %d attacks; want its 2", lb.Total)
	}
	var tm struct {
		Counted int `json:"counted"`
	}
	f.getJSON(t, alphaAnalyst, "/api/v1/tempo?collection="+bravoOpen, &tm)
	if tm.Counted != 1 {
		t.Errorf("alpha's tempo after its ruling counts %d attacks of %s; want 1", tm.Counted, bravoOpen)
	}
	rule("different")
	if la := list(alphaAnalyst); la.Total != 2 {
		t.Errorf("alpha after ruling them different again: %d attacks", la.Total)
	}
	// A ruling parts what the score joined: alpha's report and its GTD row.
	gtd, report := f.matrixIncident(alphaMain, 0), f.matrixIncident(alphaMain, 1)
	if code, body := f.call(t, alphaAnalyst, "POST", fmt.Sprintf("/api/v1/incidents/%d/different/%d", gtd, report), ""); code != http.StatusCreated {
		t.Fatalf("different: %d %s", code, body)
	}
	var own attackList
	f.getJSON(t, alphaAnalyst, "/api/v1/incidents?collection="+alphaMain, &own)
	if own.Total != 4 {
		t.Errorf("alpha's attacks of %s with the report parted from its row: %d %v; want 4", alphaMain, own.Total, events(own.Incidents))
	}
}

// TestIncidentGroupByVisibleName: a group name selects the attacks tied to
// the group's entity only through a spelling the caller's documents use.
// bravo's acronym for the Pellworth Syndicate, "PS", which no document of
// alpha's uses, finds nothing for alpha until bravo grants alpha the
// document that uses it. (A resolver loaded from the store keeps an
// organisation's acronyms, not its other aliases.)
func TestIncidentGroupByVisibleName(t *testing.T) {
	f := newMatrix(t)
	ctx := context.Background()
	const aliases, alias = "bravo-fronts", "PS"
	if _, err := f.store.EnsureCollection(ctx, aliases, bravo); err != nil {
		t.Fatal(err)
	}
	in := ingest(t, aliases, "Source report on fronts", "The PS is a front.",
		date(2019, 6, 1), nil, m(alias, mosaic.Org, ""))
	if _, err := f.store.Add(ctx, []store.Ingested{in}); err != nil {
		t.Fatal(err)
	}
	mn := in.Mentions[0]
	if _, err := f.store.Resolve(ctx, in.Doc.ID, nil, []store.Assignment{{Start: mn.Start, End: mn.End, Type: mn.Type,
		Entity: f.entities["Pellworth Syndicate"], Why: "front stated"}}); err != nil {
		t.Fatal(err)
	}
	analyst := who{agency: alpha, role: store.Analyst}
	target := "/api/v1/incidents?group=" + url.QueryEscape(alias)
	var l attackList
	f.getJSON(t, analyst, target, &l)
	if l.Total != 0 {
		t.Errorf("alpha by bravo's alias, not granted: %v; want none", events(l.Incidents))
	}
	if _, err := f.store.Grant(ctx, store.Grant{Collection: aliases, Agency: alpha, By: "bravo-admin", Reason: "joint case"}); err != nil {
		t.Fatal(err)
	}
	// Only the 2 March attack has a record whose group is tied to the
	// entity; the others name the group in words alone.
	f.getJSON(t, analyst, target, &l)
	if l.Total != 1 || l.Incidents[0].EventID != "201903020001" {
		t.Errorf("alpha by the alias, granted: %v; want the 2 March attack", events(l.Incidents))
	}
}
