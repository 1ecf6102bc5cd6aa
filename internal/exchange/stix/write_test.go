package stix

import (
	"bytes"
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/exchange"
)

func export(t testing.TB, c exchange.Case) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, c); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// objects decodes a bundle's objects as plain JSON.
func objects(t testing.TB, data []byte) []map[string]any {
	t.Helper()
	var b struct {
		Objects []map[string]any `json:"objects"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		t.Fatal(err)
	}
	return b.Objects
}

func TestWriteValidates(t *testing.T) {
	ch := checker(t)
	for _, tc := range []struct {
		name string
		c    exchange.Case
	}{
		{"rich", richCase()},
		{"empty", exchange.Case{}},
		{"entities only", exchange.Case{Entities: richCase().Entities}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			data := export(t, tc.c)
			for _, err := range ch.Check(data) {
				t.Error(err)
			}
		})
	}
}

// TestCheckerRejects makes sure the checker can fail: each bundle breaks
// one rule the export must keep.
func TestCheckerRejects(t *testing.T) {
	ch := checker(t)
	good := export(t, richCase())
	for _, tc := range []struct {
		name, old, new, want string
	}{
		{"modified before created", `"modified": "2019-05-20T00:00:00.000Z"`, `"modified": "2001-01-01T00:00:00.000Z"`, "before created"},
		{"dangling reference", `"created_by_ref": "identity--`, `"created_by_ref": "identity--0`, "not in the bundle"},
		{"bad relationship type", `"relationship_type": "in-contact-with"`, `"relationship_type": "In Contact"`, "relationship_type"},
		{"location without place", `"country": "BE"`, `"x_country": "BE"`, "location"},
		{"determination outside the extension's", `"determination": "successful-attempt"`, `"determination": "confirmed"`, "determination"},
		{"property not the extension's", `"investigation_status": "open"`, `"investigation_status": "open", "killed": 2`, `"killed" is not`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(string(good), tc.old, tc.new, 1)
			if bad == string(good) {
				t.Fatalf("%q not in the export", tc.old)
			}
			errs := ch.Check([]byte(bad))
			var all []string
			for _, e := range errs {
				all = append(all, e.Error())
			}
			if !strings.Contains(strings.Join(all, "\n"), tc.want) {
				t.Errorf("want an error about %q, got %q", tc.want, all)
			}
		})
	}
}

func TestWriteDeterministic(t *testing.T) {
	a, b := export(t, richCase()), export(t, richCase())
	if !bytes.Equal(a, b) {
		t.Fatal("two exports of one case differ")
	}
	// Identifiers rest on content, not on order: the same entity keeps
	// its identifier when the case lists it elsewhere.
	c := richCase()
	slices.Reverse(c.Entities)
	ids := func(data []byte) map[string]string {
		m := map[string]string{}
		for _, o := range objects(t, data) {
			if n, _ := o["name"].(string); n != "" && n != "Oskar Pellinore" {
				m[n] = o["id"].(string)
			}
		}
		return m
	}
	x, y := ids(a), ids(export(t, c))
	for n, id := range x {
		if y[n] != id {
			t.Errorf("%s: %s, and %s with the entities reversed", n, id, y[n])
		}
	}
}

func TestWriteMapping(t *testing.T) {
	data := export(t, richCase())
	objs := objects(t, data)
	byName := map[string]map[string]any{}
	byID := map[string]map[string]any{}
	for _, o := range objs {
		byID[o["id"].(string)] = o
		if n, ok := o["name"].(string); ok && byName[n] == nil {
			byName[n] = o
		}
		if v, ok := o["value"].(string); ok {
			byName[v] = o
		}
	}
	marking := func(collection string) string {
		for _, o := range objs {
			if o["x_mosaic_collection"] == collection {
				return o["id"].(string)
			}
		}
		t.Fatalf("no marking for %s", collection)
		return ""
	}
	str := func(v any) string { b, _ := json.Marshal(v); return string(b) }
	for _, tc := range []struct {
		name, prop, want string
	}{
		{"Tobias Wrenfield", "type", `"identity"`},
		{"Tobias Wrenfield", "identity_class", `"individual"`},
		{"Tobias Wrenfield", "x_mosaic_aliases", `["T. Wrenfield","Abu Tamir"]`},
		{"Tobias Wrenfield", "created", `"2019-03-04T00:00:00.000Z"`},
		{"Tobias Wrenfield", "modified", `"2019-05-20T00:00:00.000Z"`},
		{"Brotherhood of the Grey Shore", "type", `"threat-actor"`},
		{"Brotherhood of the Grey Shore", "aliases", `["BGS","the Grey Shore"]`},
		{"Harbour Gazette", "type", `"identity"`},
		{"Harbour Gazette", "identity_class", `"organization"`},
		{"Harbour Police Unit", "identity_class", `"organization"`},
		{"Grey Shore Media", "type", `"threat-actor"`},
		{"Birmingham", "country", `"GB"`},
		{"Birmingham", "city", `"Birmingham"`},
		{"Belgium", "country", `"BE"`},
		{"Belgium", "latitude", `null`},
		{"Qxvzzle Marsh", "region", `"unknown"`},
		{"grey.shore@example.org", "type", `"email-addr"`},
		{"grey.shore@example.org", "id", `"email-addr--` + observableID("email-addr", "grey.shore@example.org")[len("email-addr--"):] + `"`},
		{"198.51.100.7", "type", `"ipv4-addr"`},
		{"https://example.com/channel", "type", `"url"`},
		{"+447700900123", "identity_class", `"unknown"`},
		{"+447700900123", "x_mosaic_kind", `"PHONE"`},
		{"+447700900123", "contact_information", `"+447700900123"`},
		{"Ramadan", "x_mosaic_kind", `"MISC"`},
		{"Field report 12", "type", `"report"`},
		{"Field report 12", "published", `"2019-03-04T00:00:00.000Z"`},
		{"Field report 12", "object_marking_refs", str([]string{marking("field-reports")})},
		{"Intercept <7> & summary", "object_marking_refs", str([]string{marking("field-reports"), marking("intercepts")})},
		{"Unused", "type", `null`},
	} {
		t.Run(tc.name+"/"+tc.prop, func(t *testing.T) {
			o := byName[tc.name]
			if o == nil && tc.want != "null" {
				t.Fatalf("no object named %q", tc.name)
			}
			var v any
			if o != nil {
				v = o[tc.prop]
			}
			if got := str(v); got != tc.want {
				t.Errorf("%s = %s, want %s", tc.prop, got, tc.want)
			}
		})
	}
	if !strings.Contains(string(data), `"name": "Intercept <7> & summary"`) {
		t.Error("the bundle escapes <, > or & in a title")
	}

	// Relationships: one per link, typed, with the evidence.
	rel := map[string]map[string]any{}
	for _, o := range objs {
		if o["type"] == "relationship" && o["x_mosaic_relation"] != nil {
			src, tgt := byID[o["source_ref"].(string)], byID[o["target_ref"].(string)]
			name := func(o map[string]any) string {
				if n, ok := o["name"].(string); ok {
					return n
				}
				return o["value"].(string)
			}
			k := name(src) + " " + o["relationship_type"].(string) + " " + name(tgt)
			if o["x_mosaic_negated"] == true {
				k += " (denied)"
			}
			rel[k] = o
		}
	}
	if len(rel) != len(richCase().Links) {
		t.Errorf("%d relationships for %d links: %v", len(rel), len(richCase().Links), keys(rel))
	}
	for _, tc := range []struct {
		key, prop, want string
	}{
		{"Tobias Wrenfield in-contact-with Oskar Pellinore", "description", `"Wrenfield was in touch with Pellinore.\nThe two men spoke by phone twice."`},
		{"Tobias Wrenfield in-contact-with Oskar Pellinore", "confidence", `90`},
		{"Tobias Wrenfield in-contact-with Oskar Pellinore", "object_marking_refs", str([]string{marking("field-reports"), marking("intercepts")})},
		{"Tobias Wrenfield in-contact-with Oskar Pellinore (denied)", "confidence", `0`},
		{"Tobias Wrenfield in-contact-with Oskar Pellinore (denied)", "labels", `["negated"]`},
		{"Tobias Wrenfield member-of Brotherhood of the Grey Shore", "x_mosaic_relation", `"member"`},
		{"Brotherhood of the Grey Shore directs Oskar Pellinore", "labels", `["hedged"]`},
		{"Oskar Pellinore travelled-to Birmingham", "x_mosaic_relation", `"travel"`},
		{"Tobias Wrenfield located-at Qxvzzle Marsh", "x_mosaic_relation", `"location"`},
		{"Oskar Pellinore targets Ilse Varga", "x_mosaic_relation", `"attack"`},
		{"Tobias Wrenfield family-of Oskar Pellinore", "x_mosaic_relation", `"family"`},
		{"Tobias Wrenfield related-to Harbour Gazette", "x_mosaic_relation", `"co-occurrence"`},
		{"198.51.100.7 related-to https://example.com/channel", "created", `"2019-03-04T00:00:00.000Z"`},
	} {
		t.Run(tc.key+"/"+tc.prop, func(t *testing.T) {
			o := rel[tc.key]
			if o == nil {
				t.Fatalf("no relationship %q among %v", tc.key, keys(rel))
			}
			if got := str(o[tc.prop]); got != tc.want {
				t.Errorf("%s = %s, want %s", tc.prop, got, tc.want)
			}
		})
	}
	// The family link's target is the second person of that name.
	fam := rel["Tobias Wrenfield family-of Oskar Pellinore"]
	contact := rel["Tobias Wrenfield in-contact-with Oskar Pellinore"]
	if fam != nil && contact != nil && fam["target_ref"] == contact["target_ref"] {
		t.Error("two people of one name share an identifier")
	}

	// Incidents: the Incident Core extension and the relationships it
	// names.
	var incidents []map[string]any
	for _, o := range objs {
		if o["type"] == "incident" {
			incidents = append(incidents, o)
		}
	}
	if len(incidents) != 3 {
		t.Fatalf("%d incidents, want 3", len(incidents))
	}
	ext := incidents[0]["extensions"].(map[string]any)[incidentCoreID]
	if got, want := str(ext), `{"determination":"successful-attempt","extension_type":"property-extension","impacted_entity_counts":{"individual":1},"incident_types":["armed-assault"],"investigation_status":"open"}`; got != want {
		t.Errorf("incident core extension %s, want %s", got, want)
	}
	if got := incidents[0]["name"]; got != "2019-03-04 Armed Assault, Birmingham, United Kingdom (GTD 201903040001)" {
		t.Errorf("incident name %q", got)
	}
	if got := incidents[1]["created"]; got != "2019-05-01T00:00:00.000Z" {
		t.Errorf("a May 2019 incident created %v", got)
	}
	if got := incidents[2]["created"]; got != "2019-03-04T00:00:00.000Z" {
		t.Errorf("an undated incident created %v, want the case's earliest date", got)
	}
	var about []string
	for _, o := range objs {
		if o["type"] == "relationship" && o["source_ref"] == incidents[0]["id"] {
			about = append(about, o["relationship_type"].(string)+" "+byID[o["target_ref"].(string)]["name"].(string))
		}
	}
	slices.Sort(about)
	if want := []string{"attributed-to Brotherhood of the Grey Shore", "carried-out-by Oskar Pellinore", "claimed-by Grey Shore Media", "located-at Birmingham", "targets Ilse Varga"}; !slices.Equal(about, want) {
		t.Errorf("incident relationships %q, want %q", about, want)
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}

func TestObservableID(t *testing.T) {
	// The identifier STIX 2.1's own examples and its Python library give
	// an e-mail address: UUIDv5 of {"value":"..."} in STIX's namespace.
	for _, tc := range []struct {
		typ, value string
	}{
		{"email-addr", "a@example.org"},
		{"url", "https://example.com/"},
	} {
		got := observableID(tc.typ, tc.value)
		u := uuid5(observableNamespace, `{"value":"`+tc.value+`"}`)
		if want := tc.typ + "--" + u.String(); got != want {
			t.Errorf("%s: %s, want %s", tc.value, got, want)
		}
		if _, ok := splitID(got); !ok {
			t.Errorf("%s is not a valid identifier", got)
		}
	}
	// RFC 9562 appendix A.4: the UUIDv5 of "www.example.com" in the DNS
	// namespace.
	dns := mustUUID("6ba7b810-9dad-11d1-80b4-00c04fd430c8")
	if got, want := uuid5(dns, "www.example.com").String(), "2ed6657d-e927-568b-95e1-2665a8aea6a2"; got != want {
		t.Errorf("uuid5(dns, www.example.com) = %s, want %s", got, want)
	}
	if got := canonicalString("a\"b\\c\n\x01é\u2028"); got != `"a\"b\\c\n\u0001é`+"\u2028"+`"` {
		t.Errorf("canonicalString = %s", got)
	}
	_ = mosaic.Person
}
