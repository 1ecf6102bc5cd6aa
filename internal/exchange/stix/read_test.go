package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/exchange"
)

// linkKey describes a link by its ends' names, so that cases whose keys
// differ (store IDs, STIX identifiers) compare.
func linkKeys(c exchange.Case) []string {
	name := map[string]string{}
	for _, e := range c.Entities {
		name[e.Key] = string(e.Kind) + ":" + e.Name
	}
	var out []string
	for _, l := range c.Links {
		var texts []string
		for _, e := range l.Evidence {
			texts = append(texts, e.Text)
		}
		from, to := name[l.From], name[l.To]
		if l.Type == mosaic.CoOccur && to < from {
			from, to = to, from
		}
		out = append(out, fmt.Sprintf("%s -%s neg=%v hedged=%v-> %s %q", from, l.Type, l.Negated, l.Hedged, to, texts))
	}
	slices.Sort(out)
	return out
}

func entityKeys(c exchange.Case) []string {
	var out []string
	for _, e := range c.Entities {
		names := slices.Clone(e.Names)
		slices.Sort(names)
		out = append(out, fmt.Sprintf("%s %s %q community=%d", e.Kind, e.Name, names, e.Community))
	}
	slices.Sort(out)
	return out
}

func TestRoundTrip(t *testing.T) {
	want := richCase()
	// Names as the case holds them: the canonical name first.
	for i := range want.Entities {
		if len(want.Entities[i].Names) == 0 {
			want.Entities[i].Names = []string{want.Entities[i].Name}
		}
	}
	data := export(t, want)
	var rd Reader
	got, err := rd.Read(bytes.NewReader(data), "case.stix.json")
	if err != nil {
		t.Fatal(err)
	}
	if rd.Skipped.Total() != 0 {
		t.Errorf("reading Mosaic's own bundle skipped %s", rd.Skipped)
	}
	if g, w := entityKeys(got), entityKeys(want); !slices.Equal(g, w) {
		t.Errorf("entities\n got %q\nwant %q", g, w)
	}
	if g, w := linkKeys(got), linkKeys(want); !slices.Equal(g, w) {
		t.Errorf("links\n got %q\nwant %q", g, w)
	}
	if !slices.Equal(got.Collections, want.Collections) {
		t.Errorf("collections %+v, want %+v", got.Collections, want.Collections)
	}
	// Every document but the one that supports nothing comes back whole.
	var docs []exchange.Document
	for _, d := range want.Documents {
		if d.ID != docUnused {
			docs = append(docs, d)
		}
	}
	if len(got.Documents) != len(docs) {
		t.Fatalf("%d documents, want %d", len(got.Documents), len(docs))
	}
	for i, d := range docs {
		g := got.Documents[i]
		if d.Date.IsZero() {
			d.Date = g.Date // an undated document is dated as the report is
		}
		if g.ID != d.ID || g.Title != d.Title || g.Source != d.Source || !g.Date.Equal(d.Date) ||
			g.Format != d.Format || !slices.Equal(g.Collections, d.Collections) {
			t.Errorf("document %d: %+v, want %+v", i, g, d)
		}
	}
	// Evidence comes back whole: document, span, mentions, cue, dates.
	for i, l := range got.Links {
		if l.Origin == "" || !strings.HasPrefix(l.Origin, "case.stix.json#relationship--") {
			t.Errorf("link %d origin %q", i, l.Origin)
		}
	}
	var member exchange.Link
	for _, l := range got.Links {
		if l.Type == mosaic.Member && member.Evidence == nil {
			member = l
		}
	}
	if w := want.Links[2].Evidence; !slices.Equal(member.Evidence, w) {
		t.Errorf("member evidence %+v, want %+v", member.Evidence, w)
	}
	if len(got.Incidents) != len(want.Incidents) {
		t.Fatalf("%d incidents, want %d", len(got.Incidents), len(want.Incidents))
	}
	for i, in := range got.Incidents {
		w := want.Incidents[i]
		n := len(in.Sources)
		if n == 0 || !strings.HasPrefix(in.Sources[n-1].Name, "STIX case.stix.json#incident--") {
			t.Fatalf("incident %d: sources %+v end without the bundle's", i, in.Sources)
		}
		in.Sources = in.Sources[:n-1]
		if len(in.Sources) == 0 {
			in.Sources = nil
		}
		for j := range w.Actors {
			w.Actors[j].Entity = 0
		}
		if w.Date.IsZero() {
			if in.Date.String() != "2019-03-04" || !strings.Contains(in.ApproxDate, "created") {
				t.Errorf("undated incident read as %s (%q)", in.Date, in.ApproxDate)
			}
			in.Date, in.ApproxDate = w.Date, w.ApproxDate
		}
		if g := jsonOf(in); g != jsonOf(w) {
			t.Errorf("incident %d\n got %s\nwant %s", i, g, jsonOf(w))
		}
	}
	for _, e := range got.Entities {
		if e.Origin != "case.stix.json#"+e.Key {
			t.Errorf("%s: origin %q", e.Name, e.Origin)
		}
	}
}

// TestReadForeign reads bundles shaped as other tools write them.
func TestReadForeign(t *testing.T) {
	const (
		actor    = "intrusion-set--0c3d2a3e-9c61-4b7f-9d0a-8a1e6f3c2b11"
		person   = "identity--1d4e3b4f-0d72-4c80-8e1b-9b2f7a4d3c22"
		producer = "identity--2e5f4c50-1e83-4d91-9f2c-ac3a8b5e4d33"
		place    = "location--3f605d61-2f94-4ea2-8a3d-bd4b9c6f5e44"
		rel1     = "relationship--40716e72-30a5-4fb3-9b4e-ce5cad706f55"
		rel2     = "relationship--51827f83-41b6-40c4-8c5f-df6dbe817066"
		inc      = "incident--62938094-52c7-41d5-9d60-e07ecf928177"
		incRel   = "relationship--73a491a5-63d8-42e6-8e71-f18fd0a39288"
		incLoc   = "relationship--84b5a2b6-74e9-43f7-9f82-029ae1b4a399"
		report   = "report--95c6b3c7-85fa-4408-8093-13abf2c5b4aa"
		malware  = "malware--a6d7c4d8-960b-4519-9104-24bc03d6c5bb"
	)
	obj := func(typ, id string, props string) string {
		return fmt.Sprintf(`{"type":%q,"spec_version":"2.1","id":%q,"created":"2021-02-03T04:05:06Z","modified":"2021-02-03T04:05:06Z","created_by_ref":%q%s}`, typ, id, producer, props)
	}
	bundle := `{"type":"bundle","id":"bundle--b7e8d5e9-a71c-462a-a215-35cd14e7d6cc","objects":[` + strings.Join([]string{
		`{"type":"identity","spec_version":"2.1","id":"` + producer + `","created":"2021-01-01T00:00:00Z","modified":"2021-01-01T00:00:00Z","name":"Some Vendor","identity_class":"organization"}`,
		obj("intrusion-set", actor, `,"name":"Cobalt Gulls","aliases":["CG-7","Gull Team"]`),
		obj("identity", person, `,"name":"Mirela Dost","identity_class":"individual"`),
		obj("location", place, `,"city":"Antwerp","country":"BE","latitude":51.22,"longitude":4.4`),
		obj("malware", malware, `,"name":"gullshell","is_family":true`),
		obj("relationship", rel1, `,"relationship_type":"attributed-to","source_ref":"`+person+`","target_ref":"`+actor+`","confidence":80`),
		obj("relationship", rel2, `,"relationship_type":"located-at","source_ref":"`+actor+`","target_ref":"`+place+`","description":"The group keeps  a safe house\nin the port."`),
		obj("relationship", "relationship--c8f9e6fa-b82d-473b-b326-46de25f8e7dd", `,"relationship_type":"uses","source_ref":"`+actor+`","target_ref":"`+malware+`"`),
		obj("incident", inc, `,"name":"Port arson","extensions":{"`+incidentCoreID+`":{"extension_type":"property-extension","determination":"suspected","investigation_status":"new","incident_types":["destruction"]}}`),
		obj("relationship", incRel, `,"relationship_type":"attributed-to","source_ref":"`+inc+`","target_ref":"`+actor+`"`),
		obj("relationship", incLoc, `,"relationship_type":"located-at","source_ref":"`+inc+`","target_ref":"`+place+`"`),
		obj("report", report, `,"name":"Gulls in the port","published":"2021-02-01T00:00:00Z","object_refs":["`+rel1+`","`+actor+`"]`),
	}, ",") + `]}`
	var rd Reader
	c, err := rd.Read(strings.NewReader(bundle), "vendor.json")
	if err != nil {
		t.Fatal(err)
	}
	if g, w := rd.Skipped.String(), "1 relationship with a malware, 1 type malware"; g != w {
		t.Errorf("skipped %q, want %q", g, w)
	}
	if g, w := entityKeys(c), []string{
		`LOCATION Antwerp, BE ["Antwerp, BE"] community=-1`,
		`ORG Cobalt Gulls ["CG-7" "Cobalt Gulls" "Gull Team"] community=-1`,
		`PERSON Mirela Dost ["Mirela Dost"] community=-1`,
	}; !slices.Equal(g, w) {
		t.Errorf("entities\n got %q\nwant %q", g, w)
	}
	if g, w := linkKeys(c), []string{
		`ORG:Cobalt Gulls -co-occurrence neg=false hedged=false-> PERSON:Mirela Dost ["Mirela Dost attributed to Cobalt Gulls."]`,
		`ORG:Cobalt Gulls -location neg=false hedged=false-> LOCATION:Antwerp, BE ["The group keeps a safe house in the port."]`,
	}; !slices.Equal(g, w) {
		t.Errorf("links\n got %q\nwant %q", g, w)
	}
	for _, l := range c.Links {
		if l.Type == mosaic.CoOccur {
			e := l.Evidence[0]
			if e.Confidence != 0.8 || e.Date.Format("2006-01-02") != "2021-02-01" || e.Doc == "" || e.Doc != c.Documents[0].ID {
				t.Errorf("foreign evidence %+v: want confidence 0.8, the report's date and document", e)
			}
		}
	}
	if len(c.Documents) != 1 || c.Documents[0].Title != "Gulls in the port" || c.Documents[0].Source != "vendor.json#"+report {
		t.Errorf("documents %+v", c.Documents)
	}
	if len(c.Incidents) != 1 {
		t.Fatalf("incidents %+v", c.Incidents)
	}
	in := c.Incidents[0]
	if in.Summary != "Port arson" || !slices.Equal(in.Perpetrators, []string{"Cobalt Gulls"}) ||
		in.City != "Antwerp" || in.Country.Name != "BE" || in.Latitude != mosaic.Some(51.22) ||
		len(in.AttackTypes) != 1 || in.AttackTypes[0].Name != "destruction" || in.Date.String() != "2021-02-03" ||
		in.Sources[0].Name != "STIX vendor.json#"+inc {
		t.Errorf("incident %s", jsonOf(in))
	}
}

func TestReadMalformed(t *testing.T) {
	good := string(export(t, richCase()))
	first := func(s, prefix string) string {
		i := strings.Index(s, prefix)
		return s[i : i+len(prefix)+36]
	}
	person := first(good, "identity--")
	rel := first(good, `"source_ref": "`)
	for _, tc := range []struct {
		name, data, want string
	}{
		{"empty", ``, "not a STIX bundle"},
		{"not JSON", `{"type": "bundle",`, "not a STIX bundle"},
		{"array", `[1, 2]`, "not a STIX bundle"},
		{"not a bundle", `{"type":"report","id":"report--95c6b3c7-85fa-4408-8093-13abf2c5b4aa"}`, `its type is "report"`},
		{"bundle id", strings.Replace(good, `"id": "bundle--`, `"id": "bundle-`, 1), "bundle id"},
		{"object without type", strings.Replace(good, `"type": "identity",`, ``, 1), "has no type"},
		{"id of another type", strings.Replace(good, `"id": "identity--`, `"id": "location--`, 1), "is not \"identity\""},
		{"id not a UUID", strings.Replace(good, `"id": "identity--`, `"id": "identity--x`, 1), "a UUID"},
		{"duplicate id", strings.Replace(good, `"objects": [`, `"objects": [{"type":"identity","id":"`+person+`","name":"X"},`, 1), "appears twice"},
		{"dangling end", strings.Replace(good, rel, `"source_ref": "identity--00000000-0000-4000-8000-000000000000`, 1), "is not in the bundle"},
		{"property of the wrong type", strings.Replace(good, `"aliases": [`, `"aliases": 7, "x": [`, 1), "aliases"},
		{"bad timestamp", strings.Replace(good, `"x_mosaic_first": "2019-03-04T00:00:00.000Z"`, `"x_mosaic_first": "yesterday"`, 1), "not a timestamp"},
		{"confidence out of range", strings.Replace(good, `"confidence": 0.9`, `"confidence": 9`, 1), "outside [0, 1]"},
		{"bad incident date", strings.Replace(good, `"date": "2019-03-04"`, `"date": "2019-13-04"`, 1), "no month 13"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.data == good {
				t.Fatal("the change did not apply")
			}
			_, err := Read(strings.NewReader(tc.data), "bad.json")
			if err == nil {
				t.Fatal("no error")
			}
			if !strings.HasPrefix(err.Error(), "bad.json: ") || !strings.Contains(err.Error(), tc.want) || !errors.Is(err, exchange.ErrInvalid) {
				t.Errorf("error %q: want one naming bad.json, wrapping ErrInvalid, saying %q", err, tc.want)
			}
		})
	}
}

func FuzzRead(f *testing.F) {
	f.Add(export(f, richCase()))
	f.Add([]byte(`{"type":"bundle","id":"bundle--b7e8d5e9-a71c-462a-a215-35cd14e7d6cc","objects":[{"type":"identity","id":"identity--1d4e3b4f-0d72-4c80-8e1b-9b2f7a4d3c22","name":"A","identity_class":"individual"},{"type":"threat-actor","id":"threat-actor--0c3d2a3e-9c61-4b7f-9d0a-8a1e6f3c2b11","name":"B"},{"type":"relationship","id":"relationship--40716e72-30a5-4fb3-9b4e-ce5cad706f55","relationship_type":"member-of","source_ref":"identity--1d4e3b4f-0d72-4c80-8e1b-9b2f7a4d3c22","target_ref":"threat-actor--0c3d2a3e-9c61-4b7f-9d0a-8a1e6f3c2b11"}]}`))
	f.Add([]byte(`{"type":"bundle"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := Read(bytes.NewReader(data), "fuzz.json")
		if err != nil {
			if !errors.Is(err, exchange.ErrInvalid) || !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("error %q does not name the file or wrap ErrInvalid", err)
			}
			return
		}
		// What Read takes, Load can store.
		if err := exchange.Validate(c); err != nil {
			t.Fatalf("Read gave a case Validate refuses: %v", err)
		}
		for _, l := range c.Links {
			if len(l.Evidence) == 0 {
				t.Fatalf("link %s-%s has no evidence", l.From, l.To)
			}
		}
		// And what it read, Write writes.
		if err := Write(&bytes.Buffer{}, c); err != nil {
			t.Fatalf("Write of a read case: %v", err)
		}
	})
}

func jsonOf(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		return err.Error()
	}
	return string(b)
}
