package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

func TestEntities(t *testing.T) {
	f := newFixture(t)
	h := f.entityHandler(t)

	var found struct {
		Entities []foundEntity `json:"entities"`
	}
	getJSON(t, h, "/api/v1/entities?name=Idris+Kallweit", http.StatusOK, &found, "entities", "next")
	if len(found.Entities) == 0 || found.Entities[0].Name != "Idris Kallweit" || !found.Entities[0].Match || found.Entities[0].Kind != "PERSON" {
		t.Fatalf("find Idris Kallweit: %+v", found.Entities)
	}
	var p store.EntityProfile
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d", found.Entities[0].ID), http.StatusOK, &p,
		"id", "kind", "name", "names", "collections", "connections", "timeline")
	names := map[string]bool{}
	for _, n := range p.Names {
		names[n.Name] = true
	}
	// "Kallweit" alone later in the same report is the same man.
	if !names["Idris Kallweit"] || !names["Kallweit"] {
		t.Errorf("names %v, want the full name and the surname", names)
	}
	connected := false
	for _, c := range p.Connections {
		connected = connected || c.Name == "Tomas Verhelst"
	}
	if !connected {
		t.Errorf("connections %+v lack Tomas Verhelst, named in the same sentence", p.Connections)
	}

	wantError(t, h, "/api/v1/entities?name=", http.StatusBadRequest, "name")
	wantError(t, h, "/api/v1/entities/abc", http.StatusBadRequest, "id")
	wantError(t, h, "/api/v1/entities/999999", http.StatusNotFound)
	getJSON(t, h, "/api/v1/entities?name=%22%3B+DROP+TABLE+entities", http.StatusOK, &found, "entities", "next")

	// Without an entity store the routes are not there.
	bare := f.as(analyst, f.server(nil).Handler())
	if res, _ := get(t, bare, "/api/v1/entities/1"); res.StatusCode != http.StatusNotFound {
		t.Errorf("entity route without a store: status %d", res.StatusCode)
	}
}

// TestEntitySearchNamesAsProfile: an entity first met under a kunya is
// found, and named, by the full name a later report gives it, in the search
// answer as in its profile.
func TestEntitySearchNamesAsProfile(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	// The phone number both reports give is the evidence that ties the
	// kunya across them.
	first := ingest(t, reports, "Field report 31: an order", "Abu Harith gave the order from +32 470 55 01 99 on 2 May 2016.",
		date(2016, 5, 2), nil, m("Abu Harith", mosaic.Person, ""), m("+32 470 55 01 99", mosaic.Phone, "+32470550199"))
	later := ingest(t, reports, "Field report 32: the man behind it",
		"Selim Varga, also known as Abu Harith, uses +32 470 55 01 99.", date(2016, 5, 9), nil,
		m("Selim Varga", mosaic.Person, ""), m("Abu Harith", mosaic.Person, ""), m("+32 470 55 01 99", mosaic.Phone, "+32470550199"))
	for _, in := range []store.Ingested{first, later} {
		if _, err := f.store.Add(ctx, []store.Ingested{in}); err != nil {
			t.Fatal(err)
		}
		f.resolve(t)
	}
	h := f.entityHandler(t)
	var found struct {
		Entities []foundEntity `json:"entities"`
	}
	getJSON(t, h, "/api/v1/entities?name=Abu+Harith", http.StatusOK, &found, "entities", "next")
	if len(found.Entities) == 0 {
		t.Fatal("Abu Harith not found")
	}
	var p store.EntityProfile
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d", found.Entities[0].ID), http.StatusOK, &p,
		"id", "kind", "name", "names", "collections", "connections", "timeline")
	if p.Name != "Selim Varga" || found.Entities[0].Name != p.Name {
		t.Errorf("search names it %q, the profile %q; want both %q (%+v; %+v)", found.Entities[0].Name, p.Name, "Selim Varga", found.Entities, p.Names)
	}
}
