package storetest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// day, month and year build incident dates of each precision.
func day(y int, m time.Month, d int) mosaic.IncidentDate {
	return mosaic.IncidentDate{Year: y, Month: mosaic.Some(m), Day: mosaic.Some(d)}
}

func month(y int, m time.Month) mosaic.IncidentDate {
	return mosaic.IncidentDate{Year: y, Month: mosaic.Some(m)}
}

func year(y int) mosaic.IncidentDate { return mosaic.IncidentDate{Year: y} }

func gtdSource(row int) []mosaic.IncidentSource {
	return []mosaic.IncidentSource{{Name: "GTD", Row: row}}
}

// incidentFixture is six incidents: five of agency A's collection "gtd-a"
// and one of agency B's "gtd-b", of every date precision. Their event IDs
// name them in the expectations.
func incidentFixture() (a, b []mosaic.Incident) {
	bombing := mosaic.Code{ID: 3, Name: "Bombing/Explosion"}
	assault := mosaic.Code{ID: 2, Name: "Armed Assault"}
	hostage := mosaic.Code{ID: 6, Name: "Hostage Taking (Kidnapping)"}
	iraq := mosaic.Code{ID: 95, Name: "Iraq"}
	mena := mosaic.Code{ID: 10, Name: "Middle East & North Africa"}
	a = []mosaic.Incident{
		{EventID: "jan1", Date: day(2016, time.January, 1), Country: iraq, Region: mena, City: "Baghdad",
			AttackTypes: []mosaic.Code{bombing}, Perpetrators: []string{"ISIL"}, Attribution: mosaic.Directed,
			Killed: mosaic.Some(0), Claimed: mosaic.Some(true), Latitude: mosaic.Some(33.3), Longitude: mosaic.Some(44.4),
			Summary: "A car bomb outside a market.", Sources: gtdSource(2)},
		{EventID: "july", Date: month(2016, time.July), Country: mosaic.Code{ID: 69, Name: "France"},
			Region: mosaic.Code{ID: 8, Name: "Western Europe"}, AttackTypes: []mosaic.Code{assault},
			Perpetrators: []string{"Unknown"}, Attribution: mosaic.Inspired, Killed: mosaic.Some(3), Sources: gtdSource(3)},
		{EventID: "y2016", Date: year(2016), ApproxDate: "sometime in 2016", Country: iraq, Region: mena,
			AttackTypes: []mosaic.Code{assault, hostage}, Perpetrators: []string{"Al-Shabaab", "ISIL"},
			Attribution: mosaic.AttributionUnknown, Sources: gtdSource(4)},
		{EventID: "dec31", Date: day(2016, time.December, 31), Country: mosaic.Code{ID: 147, Name: "Nigeria"},
			Region: mosaic.Code{ID: 11, Name: "Sub-Saharan Africa"}, AttackTypes: []mosaic.Code{bombing},
			Perpetrators: []string{"Boko Haram"}, Attribution: mosaic.Directed, Wounded: mosaic.Some(12), Sources: gtdSource(5)},
		{EventID: "", Date: day(2017, time.January, 1), Country: iraq, Region: mena,
			Perpetrators: []string{"isil"}, Attribution: mosaic.ClaimedByBranch,
			Sources: []mosaic.IncidentSource{{Name: "report"}}},
	}
	b = []mosaic.Incident{
		{EventID: "mar15", Date: day(2016, time.March, 15), Country: iraq, Region: mena,
			AttackTypes: []mosaic.Code{bombing}, Perpetrators: []string{"ISIL"}, Attribution: mosaic.Directed,
			Summary: "Agency B's own record.", Sources: gtdSource(2)},
	}
	return a, b
}

// eventIDs names incidents by event ID, "" as "report".
func eventIDs(ins []mosaic.Incident) []string {
	out := make([]string, len(ins))
	for i, in := range ins {
		out[i] = in.EventID
		if out[i] == "" {
			out[i] = "report"
		}
	}
	return out
}

func allIncidents(t *testing.T, s store.Store, f store.IncidentFilter) []mosaic.Incident {
	t.Helper()
	var out []mosaic.Incident
	if err := s.EachIncident(context.Background(), f, func(in mosaic.Incident) error {
		out = append(out, in)
		return nil
	}); err != nil {
		t.Fatalf("EachIncident(%+v): %v", f, err)
	}
	return out
}

func mustAddIncidents(t *testing.T, s store.Store, collection string, batch []mosaic.Incident) []mosaic.IncidentID {
	t.Helper()
	ids, err := s.AddIncidents(context.Background(), collection, batch)
	if err != nil {
		t.Fatalf("AddIncidents(%q): %v", collection, err)
	}
	if len(ids) != len(batch) {
		t.Fatalf("AddIncidents(%q) returned %d IDs for %d incidents", collection, len(ids), len(batch))
	}
	return ids
}

func testIncidents(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "gtd-a", "A")
	mustCollection(t, s, "gtd-b", "B")
	a, b := incidentFixture()
	idsA := mustAddIncidents(t, s, "gtd-a", a)
	idsB := mustAddIncidents(t, s, "gtd-b", b)
	seen := map[mosaic.IncidentID]bool{}
	for _, id := range append(slices.Clone(idsA), idsB...) {
		if id == 0 || seen[id] {
			t.Fatalf("IDs %v %v: zero or repeated", idsA, idsB)
		}
		seen[id] = true
	}

	// Each reads back as stored, unknowns unknown and known zeros known.
	for i, in := range a {
		got, err := s.Incident(ctx, idsA[i], store.Scope{})
		if err != nil {
			t.Fatalf("Incident(%d): %v", idsA[i], err)
		}
		want := in
		want.ID = idsA[i]
		if !reflect.DeepEqual(got, want) {
			t.Errorf("incident %d reads back as\n%+v\nwant\n%+v", idsA[i], got, want)
		}
	}
	got, _ := s.Incident(ctx, idsA[0], store.Scope{})
	if k, ok := got.Killed.Get(); !ok || k != 0 {
		t.Errorf("a known count of 0 dead reads back as %+v", got.Killed)
	}
	if got.Wounded.Valid || got.Doubt.Valid || got.Crit1.Valid {
		t.Errorf("unknown values read back as known: wounded %+v, doubt %+v, crit1 %+v", got.Wounded, got.Doubt, got.Crit1)
	}
	got, _ = s.Incident(ctx, idsA[1], store.Scope{})
	if got.Date.Day.Valid || !got.Date.Month.Valid || got.Date.String() != "2016-07" {
		t.Errorf("a date known to its month reads back as %+v", got.Date)
	}
	got, _ = s.Incident(ctx, idsA[2], store.Scope{})
	if got.Date.Month.Valid || got.Date.Day.Valid || got.Date.String() != "2016" {
		t.Errorf("a date known to its year reads back as %+v", got.Date)
	}

	// Scope: a collection's incidents are seen through it alone.
	scopeA := store.Scope{Collections: []string{"gtd-a"}, Agency: "A"}
	scopeB := store.Scope{Collections: []string{"gtd-b"}, Agency: "B"}
	if _, err := s.Incident(ctx, idsB[0], scopeA); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("agency A reads agency B's incident: %v", err)
	}
	if _, err := s.Incident(ctx, idsB[0], scopeB); err != nil {
		t.Errorf("agency B cannot read its incident: %v", err)
	}
	if _, err := s.Incident(ctx, idsA[0], store.Scope{Collections: []string{}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the empty scope reads an incident: %v", err)
	}
	if _, err := s.Incident(ctx, 1<<40, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an incident that does not exist: %v", err)
	}

	// The order is by date, a year alone before its days, then by ID.
	everyOrder := []string{"y2016", "jan1", "mar15", "july", "dec31", "report"}
	cases := []struct {
		name string
		f    store.IncidentFilter
		want []string
	}{
		{"all", store.IncidentFilter{}, everyOrder},
		{"scope A", store.IncidentFilter{Scope: scopeA}, []string{"y2016", "jan1", "july", "dec31", "report"}},
		{"scope B", store.IncidentFilter{Scope: scopeB}, []string{"mar15"}},
		{"empty scope", store.IncidentFilter{Scope: store.Scope{Collections: []string{}}}, nil},
		{"collection", store.IncidentFilter{Collection: "gtd-b"}, []string{"mar15"}},
		{"collection out of scope", store.IncidentFilter{Scope: scopeA, Collection: "gtd-b"}, nil},
		{"no such collection", store.IncidentFilter{Collection: "nowhere"}, nil},
		// July 2016's last day is after the 15th; 2016's too.
		{"since mid-July", store.IncidentFilter{Since: date(2016, 7, 15)}, []string{"y2016", "july", "dec31", "report"}},
		{"since August", store.IncidentFilter{Since: date(2016, 8, 1)}, []string{"y2016", "dec31", "report"}},
		// 2016's first day is before the end of June; July's is not.
		{"until June", store.IncidentFilter{Until: date(2016, 6, 30)}, []string{"y2016", "jan1", "mar15"}},
		{"until July 1st", store.IncidentFilter{Until: date(2016, 7, 1)}, []string{"y2016", "jan1", "mar15", "july"}},
		{"on July 1st", store.IncidentFilter{Since: date(2016, 7, 1), Until: date(2016, 7, 1)}, []string{"y2016", "july"}},
		{"on December 31st", store.IncidentFilter{Since: date(2016, 12, 31), Until: date(2016, 12, 31)}, []string{"y2016", "dec31"}},
		{"2017", store.IncidentFilter{Since: date(2017, 1, 1), Until: date(2017, 12, 31)}, []string{"report"}},
		{"until 2015", store.IncidentFilter{Until: date(2015, 12, 31)}, nil},
		{"country", store.IncidentFilter{Country: "IRAQ"}, []string{"y2016", "jan1", "mar15", "report"}},
		{"country in scope", store.IncidentFilter{Scope: scopeA, Country: "iraq"}, []string{"y2016", "jan1", "report"}},
		{"region", store.IncidentFilter{Region: "western europe"}, []string{"july"}},
		{"group", store.IncidentFilter{Group: "Isil"}, []string{"y2016", "jan1", "mar15", "report"}},
		{"second group", store.IncidentFilter{Group: "al-shabaab"}, []string{"y2016"}},
		{"group is a whole name", store.IncidentFilter{Group: "Boko"}, nil},
		{"attribution", store.IncidentFilter{Attribution: mosaic.Directed}, []string{"jan1", "mar15", "dec31"}},
		{"attribution unknown", store.IncidentFilter{Attribution: mosaic.AttributionUnknown}, []string{"y2016"}},
		{"attack type", store.IncidentFilter{AttackType: "armed assault"}, []string{"y2016", "july"}},
		{"second attack type", store.IncidentFilter{AttackType: "HOSTAGE TAKING (KIDNAPPING)"}, []string{"y2016"}},
		{"everything at once", store.IncidentFilter{Scope: scopeA, Since: date(2016, 1, 1), Until: date(2016, 12, 31),
			Country: "Iraq", Region: "Middle East & North Africa", Group: "ISIL", Attribution: mosaic.Directed,
			AttackType: "Bombing/Explosion"}, []string{"jan1"}},
	}
	for _, c := range cases {
		l, err := s.IncidentsPage(ctx, c.f, store.Page{})
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
			continue
		}
		if got := eventIDs(l.Incidents); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
		if l.Total != len(c.want) || l.Next != "" {
			t.Errorf("%s: total %d, next %q; want %d and none", c.name, l.Total, l.Next, len(c.want))
		}
		if got := eventIDs(allIncidents(t, s, c.f)); !slices.Equal(got, c.want) {
			t.Errorf("%s: EachIncident gives %v, want %v", c.name, got, c.want)
		}
	}
}

// date is midnight UTC of a day, for filter bounds.
func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func testIncidentsPaging(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "gtd-a", "A")
	mustCollection(t, s, "gtd-b", "B")
	a, b := incidentFixture()
	mustAddIncidents(t, s, "gtd-a", a)
	mustAddIncidents(t, s, "gtd-b", b)
	want := []string{"y2016", "jan1", "mar15", "july", "dec31", "report"}
	added := 0
	for _, limit := range []int{1, 2, 4} {
		got := walk(t, limit, func(p store.Page) ([]mosaic.Incident, string, error) {
			l, err := s.IncidentsPage(ctx, store.IncidentFilter{}, p)
			if err == nil && l.Total < len(want) {
				err = fmt.Errorf("total %d, fewer than the %d there were", l.Total, len(want))
			}
			return l.Incidents, l.Next, err
		}, func() {
			// Incidents arriving between pages, before and after the
			// page's place, change nothing in what was there. (Only a
			// few arrive: one after the place is visited in its turn.)
			if added >= 6 {
				return
			}
			added++
			mustAddIncidents(t, s, "gtd-b", []mosaic.Incident{
				{EventID: fmt.Sprintf("early%d", added), Date: year(1990), Sources: gtdSource(100 + added)},
				{EventID: fmt.Sprintf("late%d", added), Date: year(2030), Sources: gtdSource(200 + added)},
			})
		})
		var old []string
		for _, id := range eventIDs(got) {
			if slices.Contains(want, id) {
				old = append(old, id)
			}
		}
		if !slices.Equal(old, want) {
			t.Errorf("pages of %d visit %v of the incidents there were, want %v", limit, old, want)
		}
	}

	// Paging a scope and a filter gives the filter's list.
	got := walk(t, 1, func(p store.Page) ([]mosaic.Incident, string, error) {
		l, err := s.IncidentsPage(ctx, store.IncidentFilter{Scope: store.Scope{Collections: []string{"gtd-a"}}, Country: "iraq"}, p)
		if err == nil && l.Total != 3 {
			err = fmt.Errorf("total %d, want 3", l.Total)
		}
		return l.Incidents, l.Next, err
	}, nil)
	if ids := eventIDs(got); !slices.Equal(ids, []string{"y2016", "jan1", "report"}) {
		t.Errorf("pages of Iraq in gtd-a: %v", ids)
	}

	for _, c := range badCursors {
		if _, err := s.IncidentsPage(ctx, store.IncidentFilter{}, store.Page{Cursor: c}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("cursor %q: %v, want ErrInvalid", c, err)
		}
	}
	mustCollection(t, s, "docs", "A")
	for i := range 3 {
		d := doc(fmt.Sprintf("Doc %d", i), fmt.Sprintf("text %d", i))
		mustAdd(t, s, store.Ingested{Collection: "docs", Doc: d})
	}
	docs, err := s.DocumentsPage(ctx, store.DocumentFilter{Limit: 1})
	if err != nil || docs.Next == "" {
		t.Fatalf("documents page: %+v, %v", docs, err)
	}
	if _, err := s.IncidentsPage(ctx, store.IncidentFilter{}, store.Page{Cursor: docs.Next}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a documents cursor opens the incidents list: %v", err)
	}
}

// testEachIncident scans more incidents than fit one read, calling the
// store from fn, and stops on fn's error.
func testEachIncident(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "bulk", "A")
	const n = 1234
	batch := make([]mosaic.Incident, n)
	for i := range batch {
		// Dates run backwards, so the scan's order is not the order added.
		d := date(2000, 1, 1).AddDate(0, 0, n-i)
		batch[i] = mosaic.Incident{EventID: fmt.Sprintf("e%05d", i), Date: day(d.Year(), d.Month(), d.Day()),
			Sources: gtdSource(i + 2)}
	}
	ids := mustAddIncidents(t, s, "bulk", batch)
	var got []mosaic.IncidentID
	err := s.EachIncident(ctx, store.IncidentFilter{}, func(in mosaic.Incident) error {
		if len(got)%400 == 0 {
			if _, err := s.Incident(ctx, in.ID, store.Scope{}); err != nil {
				return err
			}
		}
		got = append(got, in.ID)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	want := slices.Clone(ids)
	slices.Reverse(want)
	if !slices.Equal(got, want) {
		t.Errorf("EachIncident visits %d incidents, want the %d added, latest added first", len(got), len(want))
	}
	stop := errors.New("enough")
	count := 0
	err = s.EachIncident(ctx, store.IncidentFilter{}, func(mosaic.Incident) error {
		count++
		if count == 10 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || count != 10 {
		t.Errorf("fn's error after 10: %v after %d calls", err, count)
	}
}

func testIncidentWrites(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "gtd-a", "A")
	mustCollection(t, s, "gtd-b", "B")
	a, _ := incidentFixture()
	ids := mustAddIncidents(t, s, "gtd-a", a)

	// A repeated event ID adds its sources, within a batch too; in
	// another collection it is another incident.
	again := a[0]
	again.Summary = "A later reading, not stored."
	again.Sources = []mosaic.IncidentSource{{Name: "GTD", Row: 2}, {Name: "GTD", Row: 9}}
	// A report gtd-a holds, and one only gtd-b holds.
	report, foreign := "A report on the January attack.", "Another agency's report on it."
	reportID, foreignID := mosaic.NewDocID([]byte(report)), mosaic.NewDocID([]byte(foreign))
	for _, d := range []struct{ collection, text string }{{"gtd-a", report}, {"gtd-b", foreign}} {
		doc := mosaic.Document{ID: mosaic.NewDocID([]byte(d.text)), Title: "report", Text: d.text, Format: mosaic.FormatText, Source: "r.txt"}
		if _, err := s.Add(ctx, []store.Ingested{{Collection: d.collection, Doc: doc}}); err != nil {
			t.Fatal(err)
		}
	}
	third := mosaic.Incident{EventID: "jan1", Date: year(2016), Sources: []mosaic.IncidentSource{{Name: "report", Doc: reportID}}}
	got := mustAddIncidents(t, s, "gtd-a", []mosaic.Incident{again, third})
	if got[0] != ids[0] || got[1] != ids[0] {
		t.Errorf("repeated event IDs stored as %v, want %d twice", got, ids[0])
	}
	in, err := s.Incident(ctx, ids[0], store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	wantSources := []mosaic.IncidentSource{{Name: "GTD", Row: 2}, {Name: "GTD", Row: 9}, {Name: "report", Doc: reportID}}
	if !reflect.DeepEqual(in.Sources, wantSources) || in.Summary != a[0].Summary || in.Date != a[0].Date {
		t.Errorf("merged incident: sources %+v, summary %q, date %v", in.Sources, in.Summary, in.Date)
	} // An incident citing a document its collection does not hold is
	// refused, whichever part cites it, and nothing of its batch is stored:
	// whoever sees the collection would read the other's quotes.
	held := func() int {
		t.Helper()
		list, err := s.IncidentsPage(ctx, store.IncidentFilter{Collection: "gtd-a"}, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		return list.Total
	}
	before := held()
	for name, bad := range map[string]mosaic.Incident{
		"source":   {Date: year(2016), Sources: []mosaic.IncidentSource{{Name: "report", Doc: foreignID}}},
		"evidence": {Date: year(2016), Evidence: []mosaic.IncidentEvidence{{Field: mosaic.FieldKilled, Value: "2", Doc: foreignID, Quote: foreign, Confidence: 0.5}}},
		"actor":    {Date: year(2016), Actors: []mosaic.IncidentActor{{Role: mosaic.RoleAttacker, Name: "A. N. Other", Doc: foreignID}}},
	} {
		fresh := mosaic.Incident{Date: year(2017), City: "Nowhere"}
		if _, err := s.AddIncidents(ctx, "gtd-a", []mosaic.Incident{fresh, bad}); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("an incident whose %s cites another collection's document: %v, want ErrInvalid", name, err)
		}
		if n := held(); n != before {
			t.Errorf("a refused batch left %d incidents more", n-before)
		}
	}

	other := mustAddIncidents(t, s, "gtd-b", []mosaic.Incident{a[0]})
	if other[0] == ids[0] {
		t.Error("another collection's incident of the same event ID is merged with gtd-a's")
	}
	// An incident without an event ID is never merged.
	noEvent := mustAddIncidents(t, s, "gtd-a", []mosaic.Incident{a[4]})
	if noEvent[0] == ids[4] {
		t.Error("incidents without an event ID merged")
	}
	count := func() int {
		l, err := s.IncidentsPage(ctx, store.IncidentFilter{}, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		return l.Total
	}
	if n := count(); n != len(a)+2 {
		t.Errorf("%d incidents stored, want %d", n, len(a)+2)
	}

	// A batch with an incident of no known year stores nothing.
	_, err = s.AddIncidents(ctx, "gtd-a", []mosaic.Incident{{EventID: "fine", Date: year(2020)},
		{EventID: "undated", Date: mosaic.IncidentDate{Month: mosaic.Some(time.May)}}})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("an incident without a year: %v, want ErrInvalid", err)
	}
	if n := count(); n != len(a)+2 {
		t.Errorf("after a refused batch %d incidents, want %d", n, len(a)+2)
	}
	if _, err := s.AddIncidents(ctx, "nowhere", []mosaic.Incident{{Date: year(2020)}}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an unknown collection: %v, want ErrNotFound", err)
	}

	// A collection deleted takes its incidents; IDs are not reused.
	mustCollection(t, s, "gtd-c", "C")
	gone := mustAddIncidents(t, s, "gtd-c", []mosaic.Incident{{EventID: "c1", Date: year(2019)}, {EventID: "c2", Date: year(2018)}})
	if _, err := s.DeleteCollection(ctx, "gtd-c", "admin", "test of incidents leaving"); err != nil {
		t.Fatal(err)
	}
	for _, id := range gone {
		if _, err := s.Incident(ctx, id, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("incident %d of a deleted collection: %v", id, err)
		}
	}
	if n := count(); n != len(a)+2 {
		t.Errorf("after deleting gtd-c %d incidents, want %d", n, len(a)+2)
	}
	if l, _ := s.IncidentsPage(ctx, store.IncidentFilter{Collection: "gtd-c"}, store.Page{}); len(l.Incidents) != 0 {
		t.Errorf("the deleted collection lists %v", eventIDs(l.Incidents))
	}
	// A collection made again under the name holds none of them.
	mustCollection(t, s, "gtd-c", "C")
	fresh := mustAddIncidents(t, s, "gtd-c", []mosaic.Incident{{EventID: "c1", Date: year(2019)}})
	if fresh[0] <= max(gone[0], gone[1]) {
		t.Errorf("new incident %d reuses an ID of the deleted %v", fresh[0], gone)
	}
	if in, err := s.Incident(ctx, fresh[0], store.Scope{}); err != nil || len(in.Sources) != 0 {
		t.Errorf("the new collection's incident: %+v, %v", in, err)
	}
}

// testIncidentsWithDocuments: the incidents a document reports are stored
// with it, in its transaction, once per collection that comes to hold it;
// a document already held brings none again, and an invalid incident
// refuses the whole batch, documents included.
func testIncidentsWithDocuments(t *testing.T, s store.Store) {
	ctx := context.Background()
	for _, c := range []string{"reports-a", "reports-b"} {
		if _, err := s.EnsureCollection(ctx, c, "A"); err != nil {
			t.Fatal(err)
		}
	}
	text := "Two travellers were stabbed at the coach station on Friday night."
	doc := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "field report", Text: text, Format: mosaic.FormatText, Source: "fr.txt"}
	attack := mosaic.Incident{Date: day(2016, time.June, 24), City: "Birmingham", Wounded: mosaic.Some(2),
		Sources:  []mosaic.IncidentSource{{Name: "field report", Doc: doc.ID}},
		Evidence: []mosaic.IncidentEvidence{{Field: mosaic.FieldWounded, Value: "2", Doc: doc.ID, Sentence: mosaic.Span{Start: 0, End: len(text)}, Quote: text, Confidence: 0.85}}}
	count := func(collection string) int {
		t.Helper()
		n := 0
		if err := s.EachIncident(ctx, store.IncidentFilter{Collection: collection}, func(in mosaic.Incident) error {
			n++
			if len(in.Evidence) != 1 || in.Evidence[0].Quote != text || in.Sources[0].Doc != doc.ID {
				t.Errorf("%s: incident stored without its evidence or source: %+v", collection, in)
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return n
	}
	add := func(collection string, incs ...mosaic.Incident) ([]store.Added, error) {
		return s.Add(ctx, []store.Ingested{{Collection: collection, Doc: doc, Incidents: incs}})
	}
	for i, tc := range []struct {
		collection string
		want       store.Added
		a, b       int
	}{
		{"reports-a", store.NewContent, 1, 0},
		{"reports-a", store.AlreadyHeld, 1, 0}, // held: its incident came the first time
		{"reports-b", store.NewHolding, 1, 1},  // a new holder: the incident in its collection too
	} {
		added, err := add(tc.collection, attack)
		if err != nil {
			t.Fatal(err)
		}
		if added[0] != tc.want || count("reports-a") != tc.a || count("reports-b") != tc.b {
			t.Errorf("step %d: added %v, incidents %d and %d; want %v, %d and %d", i, added[0], count("reports-a"), count("reports-b"), tc.want, tc.a, tc.b)
		}
	}
	// An incident without a year refuses the batch: the new document is
	// not stored either.
	other := mosaic.Document{ID: mosaic.NewDocID([]byte("other")), Title: "other", Text: "other", Format: mosaic.FormatText, Source: "other.txt"}
	_, err := s.Add(ctx, []store.Ingested{{Collection: "reports-a", Doc: other, Incidents: []mosaic.Incident{{City: "Nowhere"}}}})
	if !errors.Is(err, store.ErrInvalid) {
		t.Errorf("incident without a year: %v, want ErrInvalid", err)
	}
	if _, _, err := s.Document(ctx, other.ID, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("document of a refused batch: %v, want ErrNotFound", err)
	}
}
