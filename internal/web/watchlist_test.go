package web

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// TestEntityWatchlist: an entity that resolution linked to a watchlist
// entry carries the list, identifier and programme in its API profile.
func TestEntityWatchlist(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.store.LoadWatchlist(ctx, "Local", []store.WatchlistEntry{{ID: "NB-1", Name: "Northgate Brotherhood",
		Aliases: []string{"Brotherhood of the North Gate"}, Programme: "watch", Kind: mosaic.Org}}); err != nil {
		t.Fatal(err)
	}
	h := f.entityHandler(t)
	var found struct {
		Entities []foundEntity `json:"entities"`
	}
	getJSON(t, h, "/api/v1/entities?name=Northgate+Brotherhood", http.StatusOK, &found, "entities", "next")
	if len(found.Entities) == 0 || found.Entities[0].Name != "Northgate Brotherhood" {
		t.Fatalf("find Northgate Brotherhood: %+v", found.Entities)
	}
	var p store.EntityProfile
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d", found.Entities[0].ID), http.StatusOK, &p,
		"id", "kind", "name", "names", "collections", "connections", "timeline", "watchlist")
	if len(p.Watchlist) != 1 || p.Watchlist[0].List != "Local" || p.Watchlist[0].ID != "NB-1" || p.Watchlist[0].Programme != "watch" {
		t.Errorf("watchlist %+v, want the entry Local NB-1 (watch)", p.Watchlist)
	}
}
