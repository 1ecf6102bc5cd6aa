package csv

import (
	"bytes"
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
	"mosaic/internal/store/sqlite"
)

// testCase is a small case as Read builds one from a store: keys are
// store IDs, evidence sentences name their documents.
func testCase() exchange.Case {
	day := func(d int) time.Time { return time.Date(2016, 6, d, 0, 0, 0, 0, time.UTC) }
	return exchange.Case{
		Collections: []exchange.Collection{{Name: "police", Agency: "Police"}},
		Documents: []exchange.Document{
			{ID: "d1", Title: "Report 1", Source: "reports/r1.txt", Date: day(1), Collections: []string{"police"}},
			{ID: "d2", Title: "Report 2", Source: "reports/r2.txt", Date: day(2), Collections: []string{"police"}},
		},
		Entities: []exchange.Entity{
			{Key: "1", Kind: mosaic.Person, Name: "Zakaria Mansour", Names: []string{"Zakaria Mansour", "Mansour"}, Community: 0, Degree: 1},
			{Key: "2", Kind: mosaic.Person, Name: "Karim Bouzidi", Names: []string{"Karim Bouzidi", "Abu Khalid"}, Community: 0, Degree: 2},
			{Key: "3", Kind: mosaic.Org, Name: "Ansar al-Thughur", Names: []string{"Ansar al-Thughur"}, Community: 0, Degree: 1},
			{Key: "4", Kind: mosaic.Person, Name: "Lee Barrow", Names: []string{"Lee Barrow"}, Community: -1},
		},
		Links: []exchange.Link{
			{From: "1", To: "2", Type: mosaic.Contact, Weight: 1.8, First: day(1), Last: day(2), Evidence: []exchange.Evidence{
				{Doc: "d1", Sentence: mosaic.Span{Start: 0, End: 59}, Text: "Zakaria Mansour was in touch with Karim Bouzidi on Telegram.",
					FromText: "Zakaria Mansour", ToText: "Karim Bouzidi", Cue: "was in touch with", Confidence: 0.9, Date: day(1)},
				{Doc: "d2", Sentence: mosaic.Span{Start: 10, End: 60}, Text: "=Mansour called Abu Khalid twice, the log shows.",
					FromText: "Mansour", ToText: "Abu Khalid", Cue: "called", Confidence: 0.9, Date: day(2)},
			}},
			{From: "2", To: "3", Type: mosaic.Member, Weight: 0.8, First: day(2), Last: day(2), Evidence: []exchange.Evidence{
				{Doc: "d2", Sentence: mosaic.Span{Start: 61, End: 120}, Text: "Karim Bouzidi, a member of Ansar al-Thughur, left in May.",
					FromText: "Karim Bouzidi", ToText: "Ansar al-Thughur", Cue: "a member of", Confidence: 0.8, Date: day(2)},
			}},
		},
		Incidents: []mosaic.Incident{{
			EventID: "201606070001", Date: mosaic.IncidentDate{Year: 2016, Month: mosaic.Some(time.June), Day: mosaic.Some(7)},
			Country: mosaic.Code{ID: 69, Name: "France"}, City: "Lyon", Latitude: mosaic.Some(45.76), Longitude: mosaic.Some(4.84),
			AttackTypes:  []mosaic.Code{{ID: 2, Name: "Armed Assault"}, {ID: 3, Name: "Bombing/Explosion"}},
			Perpetrators: []string{"Ansar al-Thughur"}, Claimed: mosaic.Some(true), Killed: mosaic.Some(2),
			Summary: "Two men attacked a café in Lyon; Karim Bouzidi was one of them.", Attribution: mosaic.Directed,
			Actors:  []mosaic.IncidentActor{{Role: mosaic.RoleAttacker, Kind: mosaic.Person, Name: "Karim Bouzidi"}},
			Sources: []mosaic.IncidentSource{{Name: "GTD"}},
		}},
	}
}

// TestWriteRead: what Write writes, Read reads back as it was, but for
// the figures of the exporting network.
func TestWriteRead(t *testing.T) {
	want := testCase()
	var buf bytes.Buffer
	if err := Write(&buf, want); err != nil {
		t.Fatal(err)
	}
	got, err := Read(bytes.NewReader(buf.Bytes()), "case.zip")
	if err != nil {
		t.Fatal(err)
	}
	for i, e := range want.Entities {
		g := got.Entities[i]
		if g.Key != e.Key || g.Kind != e.Kind || g.Name != e.Name || !slices.Equal(g.Names, e.Names) {
			t.Errorf("entity %d: %+v, want %+v", i, g, e)
		}
	}
	if len(got.Links) != len(want.Links) {
		t.Fatalf("%d links, want %d", len(got.Links), len(want.Links))
	}
	for i, l := range want.Links {
		g := got.Links[i]
		if g.From != l.From || g.To != l.To || g.Type != l.Type || len(g.Evidence) != len(l.Evidence) {
			t.Errorf("link %d: %+v", i, g)
			continue
		}
		for j, ev := range l.Evidence {
			if ge := g.Evidence[j]; ge != ev {
				t.Errorf("link %d, evidence %d:\n%+v\nwant\n%+v", i, j, ge, ev)
			}
		}
	}
	if len(got.Incidents) != 1 {
		t.Fatalf("incidents %+v", got.Incidents)
	}
	g, w := got.Incidents[0], want.Incidents[0]
	if g.EventID != w.EventID || g.Date != w.Date || g.Country != w.Country || g.City != w.City || g.Latitude != w.Latitude ||
		!slices.Equal(g.AttackTypes, w.AttackTypes) || !slices.Equal(g.Perpetrators, w.Perpetrators) || g.Claimed != w.Claimed ||
		g.Killed != w.Killed || g.Wounded.Valid || g.Summary != w.Summary || g.Attribution != w.Attribution ||
		!slices.Equal(g.Actors, w.Actors) || !slices.Equal(g.Sources, w.Sources) {
		t.Errorf("incident\n%+v\nwant\n%+v", g, w)
	}
	// A sentence that starts as a formula is escaped in the file.
	if !bytes.Contains(unzipped(t, buf.Bytes(), LinksFile), []byte(`"'=Mansour called`)) {
		t.Errorf("the formula-like sentence is not escaped:\n%s", unzipped(t, buf.Bytes(), LinksFile))
	}
	// Two writes of one case are the same bytes.
	var again bytes.Buffer
	if err := Write(&again, want); err != nil || !bytes.Equal(again.Bytes(), buf.Bytes()) {
		t.Errorf("a second write differs (%v)", err)
	}
}

func unzipped(t *testing.T, data []byte, name string) []byte {
	t.Helper()
	var out []byte
	zr, err := zipReader(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range zr.File {
		if f.Name == name {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			var buf bytes.Buffer
			buf.ReadFrom(rc)
			rc.Close()
			out = buf.Bytes()
		}
	}
	return out
}

// TestRoundTripThroughStores: a case loaded into an empty store and read
// back keeps its entities, their names, the links with each sentence,
// and the incident.
func TestRoundTripThroughStores(t *testing.T) {
	ctx := context.Background()
	var buf bytes.Buffer
	if err := Write(&buf, testCase()); err != nil {
		t.Fatal(err)
	}
	c, err := Read(bytes.NewReader(buf.Bytes()), "case.zip")
	if err != nil {
		t.Fatal(err)
	}
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, err := exchange.Load(ctx, st, c, exchange.LoadOptions{Collection: "desk", File: "case.zip"}); err != nil {
		t.Fatal(err)
	}
	got, err := exchange.Read(ctx, st, exchange.Filter{})
	if err != nil {
		t.Fatal(err)
	}
	entities := map[string][]string{}
	key := map[string]string{}
	for _, e := range got.Entities {
		n := slices.Clone(e.Names)
		slices.Sort(n)
		entities[e.Name] = n
		key[e.Key] = e.Name
	}
	for _, e := range testCase().Entities {
		n := slices.Clone(e.Names)
		slices.Sort(n)
		if !slices.Equal(entities[e.Name], n) {
			t.Errorf("%s: names %q after the round trip, want %q", e.Name, entities[e.Name], n)
		}
	}
	if len(got.Entities) != 4 {
		t.Errorf("%d entities after the round trip, want 4: %v", len(got.Entities), entities)
	}
	var links []string
	for _, l := range got.Links {
		for _, ev := range l.Evidence {
			links = append(links, key[l.From]+" "+string(l.Type)+" "+key[l.To]+": "+ev.Text)
		}
	}
	slices.Sort(links)
	want := []string{
		"Karim Bouzidi member Ansar al-Thughur: Karim Bouzidi, a member of Ansar al-Thughur, left in May.",
		"Zakaria Mansour contact Karim Bouzidi: =Mansour called Abu Khalid twice, the log shows.",
		"Zakaria Mansour contact Karim Bouzidi: Zakaria Mansour was in touch with Karim Bouzidi on Telegram.",
	}
	if !slices.Equal(links, want) {
		t.Errorf("links after the round trip:\n%q\nwant\n%q", links, want)
	}
	if len(got.Incidents) != 1 || got.Incidents[0].City != "Lyon" || got.Incidents[0].Killed != mosaic.Some(2) {
		t.Errorf("incidents after the round trip: %+v", got.Incidents)
	}
	var sources []string
	for _, d := range got.Documents {
		sources = append(sources, d.Source)
	}
	for _, want := range []string{"case.zip#d1", "case.zip#d2"} {
		if !slices.Contains(sources, want) {
			t.Errorf("no document from %s: %q", want, sources)
		}
	}
}

// TestReadSpreadsheet reads one table of a spreadsheet, its columns
// mapped to fields.
func TestReadSpreadsheet(t *testing.T) {
	sheet := "Person A,Person B,What they did,Quote,Published\n" +
		"Zakaria Mansour,Karim Bouzidi,contact,\"Mansour said he met Bouzidi, twice.\",2016-06-01\n" +
		"Zakaria Mansour,Karim Bouzidi,contact,Mansour phoned Bouzidi.,2016-06-03\n" +
		"Karim Bouzidi,Ansar al-Thughur,member,,\n"
	c, err := ReadMapped(strings.NewReader(sheet), "sheet.csv", map[string]string{
		"Person A": "from", "Person B": "to", "What they did": "type", "Quote": "evidence", "Published": "date"})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Entities) != 3 || c.Entities[2].Name != "Ansar al-Thughur" || len(c.Links) != 2 {
		t.Fatalf("case %+v", c)
	}
	if l := c.Links[0]; len(l.Evidence) != 2 || l.Evidence[1].Text != "Mansour phoned Bouzidi." || l.Evidence[1].Date.Day() != 3 || l.Weight != 2 {
		t.Errorf("first link %+v", l)
	}
	if l := c.Links[1]; l.Type != mosaic.Member || len(l.Evidence) != 0 {
		t.Errorf("second link %+v, want a member link without a sentence", l)
	}
}

func TestReadErrors(t *testing.T) {
	tests := []struct {
		name, data string
		mapping    map[string]string
		want       string
	}{
		{"empty", "", nil, "sheet.csv: invalid case: empty"},
		{"no table", "a,b\n1,2\n", nil, "no column is from and to"},
		{"unknown field", "a,b\n1,2\n", map[string]string{"a": "frm"}, `no field "frm"`},
		{"unknown column", "a,b\n1,2\n", map[string]string{"c": "from"}, `column "c"`},
		{"unknown type", "from,to,type\nA,B,befriended\n", nil, `row 2, column type: unknown type "befriended"`},
		{"self link", "from,to\nA,A\n", nil, "row 2, column to"},
		{"bad date", "date,city\n2016-13-01,Lyon\n", nil, "row 2, column date"},
		{"no date", "date,city\n,Lyon\n", nil, "row 2, column date: no date"},
		{"bad confidence", "from,to,evidence,confidence\nA,B,A met B.,2\n", nil, "row 3"},
		{"bad kind", "name,kind\nA,vehicle\n", nil, `row 2, column kind: kind "vehicle"`},
		{"not UTF-8", "name\n\xff\xfe\n", nil, "row 2, column name: not UTF-8"},
		{"bad quotes", "name\n\"A\"B\"\n", nil, "sheet.csv: invalid case"},
		{"bad zip", "PK\x03\x04garbage", nil, "not a zip archive"},
	}
	tests[8].want = "row 2, column confidence"
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadMapped(strings.NewReader(tc.data), "sheet.csv", tc.mapping)
			if !errors.Is(err, exchange.ErrInvalid) || !strings.Contains(err.Error(), "sheet.csv") || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %v, want ErrInvalid naming sheet.csv and %q", err, tc.want)
			}
		})
	}
}

// FuzzRead: Read never panics; it refuses what it cannot read with an
// error that names the file; what it reads, Load can store, and Write
// writes and Read reads again alike.
func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	if err := Write(&buf, testCase()); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add(unzippedF(f, buf.Bytes(), LinksFile))
	f.Add(unzippedF(f, buf.Bytes(), EntitiesFile))
	f.Add(unzippedF(f, buf.Bytes(), IncidentsFile))
	f.Add([]byte("from,to,type,evidence\nA,B,contact,A met B.\n"))
	f.Add([]byte("name,alias\nA,B;C\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Read(bytes.NewReader(data), "fuzz.csv")
		if err != nil {
			if !errors.Is(err, exchange.ErrInvalid) || !strings.HasPrefix(err.Error(), "fuzz.csv") {
				t.Fatalf("error %q: want ErrInvalid naming the file", err)
			}
			return
		}
		// What Read takes, Load can store.
		if err := exchange.Validate(c); err != nil {
			t.Fatalf("Read gave a case Validate refuses: %v", err)
		}
		var out bytes.Buffer
		if err := Write(&out, c); err != nil {
			t.Fatal(err)
		}
		again, err := Read(bytes.NewReader(out.Bytes()), "again.zip")
		if err != nil {
			t.Fatalf("Read of Write's output: %v", err)
		}
		if len(again.Entities) != len(c.Entities) || len(again.Links) != len(c.Links) || len(again.Incidents) != len(c.Incidents) {
			t.Fatalf("read again: %d entities, %d links, %d incidents; want %d, %d, %d", len(again.Entities), len(again.Links),
				len(again.Incidents), len(c.Entities), len(c.Links), len(c.Incidents))
		}
		for i, e := range c.Entities {
			if g := again.Entities[i]; g.Key != e.Key || g.Name != e.Name || !slices.Equal(g.Names, e.Names) {
				t.Fatalf("entity %d read again %+v, want %+v", i, g, e)
			}
		}
	})
}

func unzippedF(f *testing.F, data []byte, name string) []byte {
	zr, err := zipReader(data)
	if err != nil {
		f.Fatal(err)
	}
	for _, zf := range zr.File {
		if zf.Name == name {
			rc, err := zf.Open()
			if err != nil {
				f.Fatal(err)
			}
			var buf bytes.Buffer
			buf.ReadFrom(rc)
			rc.Close()
			return buf.Bytes()
		}
	}
	return nil
}
