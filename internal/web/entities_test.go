package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"mosaic/internal/entity"
	"mosaic/internal/store"
)

func TestEntities(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	r, err := entity.NewResolver(ctx, f.store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Pending(ctx); err != nil {
		t.Fatal(err)
	}
	srv := f.server(nil)
	srv.Entities, srv.EntityFinder, srv.Judges = f.store, entity.NewFinder(f.store), f.store
	h := srv.Handler()

	var found struct {
		Entities []foundEntity `json:"entities"`
	}
	getJSON(t, h, "/api/v1/entities?name=Idris+Kallweit", http.StatusOK, &found, "entities")
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
	getJSON(t, h, "/api/v1/entities?name=%22%3B+DROP+TABLE+entities", http.StatusOK, &found, "entities")

	// Without an entity store the routes are not there.
	bare := f.server(nil).Handler()
	if res, _ := get(t, bare, "/api/v1/entities/1"); res.StatusCode != http.StatusNotFound {
		t.Errorf("entity route without a store: status %d", res.StatusCode)
	}
}
