package ftm

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
	"mosaic/internal/exchange/exchangetest"
)

func day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

const (
	doc1 = mosaic.DocID("1111111111111111111111111111111111111111111111111111111111111111")
	doc2 = mosaic.DocID("2222222222222222222222222222222222222222222222222222222222222222")
)

// fixture holds one link of each mapping the package comment gives.
func fixture() exchange.Case {
	ev := func(d mosaic.DocID, text, cue string, start int, conf float64) exchange.Evidence {
		date := day("2015-03-02")
		if d == doc2 {
			date = day("2016-06-24")
		}
		return exchange.Evidence{Doc: d, Sentence: mosaic.Span{Start: start, End: start + len(text)}, Text: text, Cue: cue, Confidence: conf, Date: date}
	}
	c := exchange.Case{
		Documents: []exchange.Document{
			{ID: doc1, Title: "Interview <1>", Source: "files/interview1.txt", Date: day("2015-03-02"), Format: mosaic.FormatText},
			{ID: doc2, Title: "Report", Source: "files/report.pdf", Date: day("2016-06-24"), Format: mosaic.FormatPDF},
		},
		Entities: []exchange.Entity{
			{Key: "1", Kind: mosaic.Person, Name: "Tarek Osman", Names: []string{"Tarek Osman", "T. Osman", "Abu Tariq"}, Community: 0},
			{Key: "2", Kind: mosaic.Org, Name: "Northern Front", Names: []string{"Northern Front", "NF"}, Community: 0},
			{Key: "3", Kind: mosaic.Person, Name: "Lina Haddad", Names: []string{"Lina Haddad"}, Community: 1},
			{Key: "4", Kind: mosaic.Location, Name: "Rotterdam", Names: []string{"Rotterdam"}, Community: -1},
			{Key: "5", Kind: mosaic.Misc, Name: "Operation Winter", Names: []string{"Operation Winter"}, Community: -1},
			{Key: "6", Kind: mosaic.Person, Name: "Samir Osman", Names: []string{"Samir Osman"}, Community: 0},
		},
		Links: []exchange.Link{
			{From: "1", To: "2", Type: mosaic.Member, Weight: 0.9, First: day("2015-03-02"), Last: day("2015-03-02"),
				Evidence: []exchange.Evidence{ev(doc1, "Osman was the spokesman of the Northern Front.", "spokesman of", 10, 0.9)}},
			{From: "1", To: "6", Type: mosaic.Family, Weight: 0.8, First: day("2015-03-02"), Last: day("2016-06-24"),
				Evidence: []exchange.Evidence{ev(doc1, "Tarek is Samir's brother.", "brother", 80, 0.4), ev(doc2, "His brother Samir.", "brother", 5, 0.4)}},
			{From: "1", To: "3", Type: mosaic.Contact, Weight: 0.5, First: day("2016-06-24"), Last: day("2016-06-24"),
				Evidence: []exchange.Evidence{ev(doc2, "Osman called Haddad.", "called", 40, 0.5)}},
			{From: "1", To: "3", Type: mosaic.Contact, Negated: true, Weight: 0.5, First: day("2016-06-24"), Last: day("2016-06-24"),
				Evidence: []exchange.Evidence{ev(doc2, "Osman never met Haddad.", "met", 90, 0.5)}},
			{From: "3", To: "1", Type: mosaic.Command, Hedged: true, Weight: 0.75, First: day("2015-03-02"), Last: day("2015-03-02"),
				Evidence: []exchange.Evidence{ev(doc1, "Haddad allegedly sent Osman.", "sent", 200, 0.75)}},
			{From: "3", To: "6", Type: mosaic.Member, Weight: 0.5, First: day("2015-03-02"), Last: day("2015-03-02"),
				Evidence: []exchange.Evidence{ev(doc1, "Haddad is Samir's deputy.", "deputy", 300, 0.5)}},
			{From: "1", To: "4", Type: mosaic.Travel, Weight: 0.5, First: day("2015-03-02"), Last: day("2015-03-02"),
				Evidence: []exchange.Evidence{ev(doc1, "Osman travelled to Rotterdam.", "travelled to", 400, 0.5)}},
			{From: "1", To: "5", Type: mosaic.CoOccur, Weight: 0.25, First: day("2015-03-02"), Last: day("2015-03-02"),
				Evidence: []exchange.Evidence{ev(doc1, "Osman and Operation Winter.", "", 500, 0.25)}},
		},
		Incidents: []mosaic.Incident{{
			ID: 7, EventID: "201606240001", Date: mosaic.IncidentDate{Year: 2016, Month: mosaic.Some(time.June), Day: mosaic.Some(24)},
			Country: mosaic.Code{ID: 603, Name: "United Kingdom"}, City: "Birmingham", Latitude: mosaic.Some(52.48),
			AttackTypes: []mosaic.Code{{ID: 2, Name: "Armed Assault"}}, Killed: mosaic.Some(2), Wounded: mosaic.Some(0),
			Claimed: mosaic.Some(false), Perpetrators: []string{"Northern Front"}, Summary: "Two people were shot.",
			Attribution: mosaic.Inspired, Sources: []mosaic.IncidentSource{{Name: "report", Doc: doc2}},
			Actors: []mosaic.IncidentActor{{Role: mosaic.RoleAttacker, Name: "Osman", Kind: mosaic.Person, Doc: doc2, Mention: mosaic.Span{Start: 3, End: 8}, Entity: 1}},
		}},
	}
	// The ends as written in each sentence.
	written := [][2]string{{"Osman", "Northern Front"}, {"Tarek", "Samir"}, {"Osman", "Haddad"}, {"Osman", "Haddad"},
		{"Haddad", "Osman"}, {"Haddad", "Samir"}, {"Osman", "Rotterdam"}, {"Osman", "Operation Winter"}}
	for i, w := range written {
		c.Links[i].Evidence[0].FromText, c.Links[i].Evidence[0].ToText = w[0], w[1]
	}
	c.Links[1].Evidence[1].ToText = "Samir"
	// A name as resolution read it, not as the sentence writes it, and
	// characters a record must escape.
	c.Links[0].Evidence[0].FromText = "Tarek Osman"
	c.Links[6].Evidence[0].Cue = "travelled to; by=way of %20"
	return c
}

// properties are the properties each schema the package writes has in
// FollowTheMoney's model (its schema files: Thing, Interval, Interest
// and each schema's own), for the properties the package may write.
var properties = map[string][]string{
	"Document":     {"title", "fileName", "date"},
	"Person":       {"name", "alias"},
	"Organization": {"name", "alias"},
	"LegalEntity":  {"name", "alias"},
	"Address":      {"name", "alias", "full"},
	"Membership":   {"member", "organization", "role", "status", "startDate", "endDate", "summary", "description", "recordId"},
	"Family":       {"person", "relative", "relationship", "startDate", "endDate", "summary", "description", "recordId"},
	"Associate":    {"person", "associate", "relationship", "startDate", "endDate", "summary", "description", "recordId"},
	"UnknownLink":  {"subject", "object", "role", "status", "startDate", "endDate", "summary", "description", "recordId"},
	"Event":        {"name", "date", "country", "location", "summary", "organizer", "involved", "notes", "recordId"},
}

func lines(t *testing.T, b []byte) []entity {
	t.Helper()
	var out []entity
	for i, l := range bytes.Split(bytes.TrimSpace(b), []byte("\n")) {
		var e entity
		dec := json.NewDecoder(bytes.NewReader(l))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&e); err != nil {
			t.Fatalf("line %d is no FollowTheMoney entity: %v\n%s", i+1, err, l)
		}
		out = append(out, e)
	}
	return out
}

// TestWriteSchemata: each link takes the schema its meaning has, with the
// properties FollowTheMoney gives that schema, and ends that are the ids
// of its entities.
func TestWriteSchemata(t *testing.T) {
	c := fixture()
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	es := lines(t, buf.Bytes())
	if len(es) != 2+6+8+1 {
		t.Fatalf("%d lines, want 17", len(es))
	}
	byID := map[string]entity{}
	for _, e := range es {
		if _, dup := byID[e.ID]; dup {
			t.Errorf("id %s twice", e.ID)
		}
		byID[e.ID] = e
		for p := range e.Properties {
			if !slices.Contains(properties[e.Schema], p) {
				t.Errorf("%s %s has property %q, which FollowTheMoney does not give it", e.Schema, e.ID, p)
			}
		}
	}
	nameOf := func(id string) string { return byID[id].first("name") }
	wantSchemata := []string{"Document", "Document", "Person", "Organization", "Person", "Address", "LegalEntity", "Person"}
	for i, want := range wantSchemata {
		if es[i].Schema != want {
			t.Errorf("line %d: schema %s, want %s", i+1, es[i].Schema, want)
		}
	}
	links := []struct {
		schema, fromProp, from, toProp, to string
		props                              map[string][]string
	}{
		{"Membership", "member", "Tarek Osman", "organization", "Northern Front", map[string][]string{"role": {"spokesman of"}}},
		{"Family", "person", "Tarek Osman", "relative", "Samir Osman", map[string][]string{"relationship": {"brother"},
			"description": {"Tarek is Samir's brother.", "His brother Samir."}, "recordId": {string(doc1) + "#80-105;F=Tarek;T=Samir;C=brother", string(doc2) + "#5-23;T=Samir;C=brother"}, "startDate": {"2015-03-02"}, "endDate": {"2016-06-24"}}},
		{"Associate", "person", "Tarek Osman", "associate", "Lina Haddad", map[string][]string{"relationship": {"called"}}},
		{"UnknownLink", "subject", "Tarek Osman", "object", "Lina Haddad", map[string][]string{"role": {"contact", "met"}, "status": {"denied"}}},
		{"UnknownLink", "subject", "Lina Haddad", "object", "Tarek Osman", map[string][]string{"role": {"command", "sent"}, "status": {"alleged"},
			"summary": {"command (alleged): 1 sentences, weight 0.75"}}},
		{"UnknownLink", "subject", "Lina Haddad", "object", "Samir Osman", map[string][]string{"role": {"member", "deputy"}}},
		{"UnknownLink", "subject", "Tarek Osman", "object", "Rotterdam", map[string][]string{"role": {"travel", "travelled to; by=way of %20"}}},
		{"UnknownLink", "subject", "Tarek Osman", "object", "Operation Winter", map[string][]string{"role": {"co-occurrence"}}},
	}
	for i, want := range links {
		e := es[8+i]
		if e.Schema != want.schema || nameOf(e.first(want.fromProp)) != want.from || nameOf(e.first(want.toProp)) != want.to {
			t.Errorf("link %d: %s %s→%s, want %s %s→%s", i, e.Schema, nameOf(e.first(want.fromProp)), nameOf(e.first(want.toProp)),
				want.schema, want.from, want.to)
		}
		for p, v := range want.props {
			if !reflect.DeepEqual(e.Properties[p], v) {
				t.Errorf("link %d (%s): %s = %q, want %q", i, e.Schema, p, e.Properties[p], v)
			}
		}
	}
	ev := es[16]
	if ev.Schema != "Event" || ev.first("country") != "gb" || ev.first("date") != "2016-06-24" ||
		ev.first("location") != "Birmingham, United Kingdom" || ev.first("name") != "Armed Assault, Birmingham, United Kingdom, 2016-06-24" ||
		nameOf(ev.first("organizer")) != "Northern Front" || nameOf(ev.first("involved")) != "Tarek Osman" {
		t.Errorf("incident wrote %+v", ev)
	}
}

// TestWriteDeterministic: a second export of the same case gives the same
// file, and a changed name a changed id.
func TestWriteDeterministic(t *testing.T) {
	var a, b, changed bytes.Buffer
	if err := Write(&a, fixture()); err != nil {
		t.Fatal(err)
	}
	if err := Write(&b, fixture()); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two exports of one case differ")
	}
	c := fixture()
	c.Entities[2].Name = "Lina Haddad-Amri"
	if err := Write(&changed, c); err != nil {
		t.Fatal(err)
	}
	if lines(t, a.Bytes())[4].ID == lines(t, changed.Bytes())[4].ID {
		t.Error("a renamed entity kept its id")
	}
}

// TestRoundTrip: what Write gives, Read takes back to the same case:
// documents, entities with every spelling, links with type, polarity,
// dates, weight and each sentence where it stands, and the incidents
// whole, each with its origin.
func TestRoundTrip(t *testing.T) {
	c := fixture()
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	var rd Reader
	got, err := rd.Read(&buf, "case.ftm.json")
	if err != nil {
		t.Fatal(err)
	}
	if rd.Skipped.Total() != 0 {
		t.Errorf("skipped %s", rd.Skipped.String())
	}
	for i, d := range got.Documents {
		want := c.Documents[i]
		want.Format = "" // FollowTheMoney's Document has no field for it
		if !reflect.DeepEqual(d, want) {
			t.Errorf("document %d reads back as %+v, want %+v", i, d, want)
		}
	}
	if len(got.Entities) != len(c.Entities) || len(got.Links) != len(c.Links) || len(got.Incidents) != 1 {
		t.Fatalf("read %d entities, %d links, %d incidents", len(got.Entities), len(got.Links), len(got.Incidents))
	}
	keyOf := map[string]string{} // FollowTheMoney id → original key
	for i, e := range got.Entities {
		want := c.Entities[i]
		if e.Kind != want.Kind || e.Name != want.Name || !reflect.DeepEqual(e.Names, want.Names) {
			t.Errorf("entity %d reads back as %s %q %q, want %s %q %q", i, e.Kind, e.Name, e.Names, want.Kind, want.Name, want.Names)
		}
		if e.Origin != "case.ftm.json#"+e.Key {
			t.Errorf("entity %d: origin %q", i, e.Origin)
		}
		keyOf[e.Key] = want.Key
	}
	for i, l := range got.Links {
		want := c.Links[i]
		if !strings.HasPrefix(l.Origin, "case.ftm.json#mosaic-") {
			t.Errorf("link %d: origin %q", i, l.Origin)
		}
		if l.Type == mosaic.CoOccur {
			// Undirected: the smaller key first, in the keys of the case read.
			if l.From > l.To {
				t.Errorf("link %d: co-occurrence from %s to %s, the larger key first", i, l.From, l.To)
			}
			if keyOf[l.From] != want.From {
				l.From, l.To = l.To, l.From
				for j := range l.Evidence {
					l.Evidence[j].FromText, l.Evidence[j].ToText = l.Evidence[j].ToText, l.Evidence[j].FromText
				}
			}
		}
		l.From, l.To, l.Origin = keyOf[l.From], keyOf[l.To], ""
		if len(l.Evidence) == len(want.Evidence) {
			for j := range l.Evidence {
				// The confidences come back as the weight's share.
				if d := l.Evidence[j].Confidence - want.Weight/float64(len(want.Evidence)); d > 1e-9 || d < -1e-9 {
					t.Errorf("link %d evidence %d: confidence %v", i, j, l.Evidence[j].Confidence)
				}
				l.Evidence[j].Confidence = want.Evidence[j].Confidence
			}
		}
		if !reflect.DeepEqual(l, want) {
			t.Errorf("link %d reads back as\n%+v\nwant\n%+v", i, l, want)
		}
	}
	in := got.Incidents[0]
	want := c.Incidents[0]
	want.ID = 0
	want.Actors = slices.Clone(want.Actors)
	want.Actors[0].Entity = 0
	want.Sources = append(slices.Clone(want.Sources), mosaic.IncidentSource{Name: "case.ftm.json#" + lines(t, bytesOf(t, c))[16].ID})
	if !reflect.DeepEqual(in, want) {
		t.Errorf("incident reads back as\n%+v\nwant\n%+v", in, want)
	}
}

func bytesOf(t testing.TB, c exchange.Case) []byte {
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// foreign is FollowTheMoney as another tool writes it: schemata Mosaic
// has no place for, links to entities the file lacks, an entity repeated
// with more names, values that are not strings, an Event of its own.
const foreign = `{"id": "co1", "schema": "Company", "properties": {"name": ["Harbour Logistics BV"], "country": ["nl"]}}
{"id": "p1", "schema": "Person", "properties": {"name": ["Nadia Brandt"], "birthDate": ["1980"]}}
{"id": "p1", "schema": "Person", "properties": {"alias": ["N. Brandt"], "weakAlias": ["Nadi"]}}
{"id": "p2", "schema": "Person", "properties": {"name": ["Ole Brandt"], "nationality": ["de"], "idNumber": [12345]}}
{"id": "v1", "schema": "Vessel", "properties": {"name": ["Sea Wind"]}}
{"id": "own1", "schema": "Ownership", "properties": {"owner": ["p1"], "asset": ["v1"]}}
{"id": "dir1", "schema": "Directorship", "properties": {"director": ["p1"], "organization": ["co1"], "role": ["managing director"], "startDate": ["2012-05"]}}
{"id": "fam1", "schema": "Family", "properties": {"person": ["p1"], "relative": ["p2"], "relationship": ["spouse"]}}
{"id": "ul1", "schema": "UnknownLink", "properties": {"subject": ["p2"], "object": ["co1"], "role": ["shareholder"]}}
{"id": "ul2", "schema": "UnknownLink", "properties": {"subject": ["p2"], "object": ["nowhere"]}}
{"id": "x1", "schema": "Person", "properties": {"nationality": ["fr"]}}
{"id": "self", "schema": "UnknownLink", "properties": {"subject": ["p2"], "object": ["p2"]}}
{"id": "ev0", "schema": "Event", "properties": {"name": ["A meeting, some time"]}}
{"id": "ev1", "schema": "Event", "properties": {"name": ["Port raid"], "date": ["2019-04-02T08:00:00"], "country": ["nl"], "location": ["Rotterdam"], "organizer": ["co1"]}}

`

func TestReadForeign(t *testing.T) {
	var rd Reader
	c, err := rd.Read(strings.NewReader(foreign), "other.json")
	if err != nil {
		t.Fatal(err)
	}
	wantSkipped := exchange.Skipped{"schema Vessel": 1, "schema Ownership": 1, "UnknownLink with an end not in the file": 1, "Person without a name": 1,
		"UnknownLink of an entity with itself": 1, "Event without a date an incident can have": 1}
	if !reflect.DeepEqual(rd.Skipped, wantSkipped) {
		t.Errorf("skipped %v, want %v", rd.Skipped, wantSkipped)
	}
	type ent struct {
		kind  mosaic.MentionType
		names string
	}
	var ents []ent
	for _, e := range c.Entities {
		ents = append(ents, ent{e.Kind, strings.Join(e.Names, "|")})
	}
	wantEnts := []ent{{mosaic.Org, "Harbour Logistics BV"}, {mosaic.Person, "Nadia Brandt|N. Brandt|Nadi"}, {mosaic.Person, "Ole Brandt"}}
	if !reflect.DeepEqual(ents, wantEnts) {
		t.Errorf("entities %v, want %v", ents, wantEnts)
	}
	type link struct {
		from, to string
		typ      mosaic.RelationType
		first    string
		origin   string
	}
	var links []link
	for _, l := range c.Links {
		first := ""
		if !l.First.IsZero() {
			first = l.First.Format(time.DateOnly)
		}
		links = append(links, link{l.From, l.To, l.Type, first, l.Origin})
	}
	wantLinks := []link{
		{"p1", "co1", mosaic.Member, "2012-05-01", "other.json#dir1"},
		{"p1", "p2", mosaic.Family, "", "other.json#fam1"},
		{"co1", "p2", mosaic.CoOccur, "", "other.json#ul1"}, // undirected: the smaller key first
	}
	if !reflect.DeepEqual(links, wantLinks) {
		t.Errorf("links %v, want %v", links, wantLinks)
	}
	if len(c.Incidents) != 1 {
		t.Fatalf("%d incidents", len(c.Incidents))
	}
	in := c.Incidents[0]
	if in.Date.String() != "2019-04-02" || in.City != "Rotterdam" || in.Country.Name != "Netherlands" ||
		!reflect.DeepEqual(in.Perpetrators, []string{"Harbour Logistics BV"}) || in.Summary != "Port raid" ||
		!reflect.DeepEqual(in.Sources, []mosaic.IncidentSource{{Name: "other.json#ev1"}}) {
		t.Errorf("incident %+v", in)
	}
}

// TestReadMalformed: a file that is not FollowTheMoney is an error that
// names the file, the line and the reason.
func TestReadMalformed(t *testing.T) {
	for _, tc := range []struct{ name, in, want string }{
		{"not json", `{"id": "a", "schema": "Person"}` + "\nname,country\n", "bad.json:2: invalid case: not a FollowTheMoney entity"},
		{"no schema", `{"id": "a", "properties": {}}`, "bad.json:1: invalid case: not a FollowTheMoney entity: no id or no schema"},
		{"no id", "\n\n" + `{"schema": "Person"}`, "bad.json:3: invalid case: not a FollowTheMoney entity: no id or no schema"},
		{"array", `["Person"]`, "bad.json:1: invalid case: not a FollowTheMoney entity"},
		{"too long", `{"id": "` + strings.Repeat("a", MaxLine) + `"}`, "bad.json: invalid case: a line longer than 16 MiB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(strings.NewReader(tc.in), "bad.json")
			if err == nil || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, exchange.ErrInvalid) {
				t.Errorf("error %v, want one wrapping ErrInvalid saying %q", err, tc.want)
			}
		})
	}
}

// FuzzRead: whatever a file holds, Read returns an error or a case whose
// links join entities it holds, and that case writes out again.
func FuzzRead(f *testing.F) {
	f.Add([]byte(foreign))
	f.Add(bytesOf(f, fixture()))
	f.Add([]byte(`{"id":"e","schema":"Event","properties":{"notes":["Mosaic incident record: {\"date\":\"2016-02\"}"]}}`))
	f.Add([]byte(`{"id":"a","schema":"Person","properties":{"name":"A"}}` + "\n" +
		`{"id":"l","schema":"UnknownLink","properties":{"subject":["a"],"object":["a"],"description":["x"],"recordId":["zz"],"summary":["weight -1"]}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := Read(bytes.NewReader(b), "fuzz.json")
		if err != nil {
			if !strings.HasPrefix(err.Error(), "fuzz.json") {
				t.Fatalf("error %q does not name the file", err)
			}
			return
		}
		if err := exchange.Validate(c); err != nil {
			t.Fatalf("the case read is one Load refuses: %v", err)
		}
		keys := map[string]bool{}
		for _, e := range c.Entities {
			if e.Name == "" {
				t.Fatalf("entity %q without a name", e.Key)
			}
			keys[e.Key] = true
		}
		for _, l := range c.Links {
			if !keys[l.From] || !keys[l.To] {
				t.Fatalf("link %s→%s joins an entity the case lacks", l.From, l.To)
			}
			for _, ev := range l.Evidence {
				if ev.Confidence <= 0 || ev.Confidence > 1 {
					t.Fatalf("confidence %v outside (0, 1]", ev.Confidence)
				}
			}
		}
		if err := Write(&bytes.Buffer{}, c); err != nil {
			t.Fatalf("the case read does not write: %v", err)
		}
	})
}

// TestFollowTheMoneyModel: FollowTheMoney's own model (its JavaScript
// edition, testdata/ftmjs) reads every line Write gives, finds each
// schema and property in it, each required property given and each
// entity property naming an entity of the file in its range.
func TestFollowTheMoneyModel(t *testing.T) {
	file := filepath.Join(t.TempDir(), "case.ftm.json")
	if err := os.WriteFile(file, bytesOf(t, fixture()), 0o644); err != nil {
		t.Fatal(err)
	}
	schemata, problems, err := exchangetest.FollowTheMoneyModel(file)
	if errors.Is(err, exchangetest.ErrNoModel) {
		t.Skip(err)
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range problems {
		t.Error(e)
	}
	want := map[string]int{"Document": 2, "Person": 3, "Organization": 1, "Address": 1, "LegalEntity": 1,
		"Membership": 1, "Family": 1, "Associate": 1, "UnknownLink": 5, "Event": 1}
	if !reflect.DeepEqual(schemata, want) {
		t.Errorf("the model read %v, want %v", schemata, want)
	}
}
