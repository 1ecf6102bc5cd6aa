package network

import (
	"context"
	"testing"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// profiles is a Profiler over fixed profiles.
type profiles map[mosaic.EntityID]store.EntityProfile

func (p profiles) Entity(_ context.Context, id mosaic.EntityID, _ store.Scope) (store.EntityProfile, error) {
	return p[id], nil
}

func TestMarkWeakTies(t *testing.T) {
	weak := entity.ReasonContext + `: "Abu Sulayman" matches "Abu Sulayman" (score 1.00); named beside it in both Zakaria Mansour, JAT: evidence 0.75; confidence 0.75`
	ps := profiles{
		1: {Entity: mosaic.Entity{ID: 1, Kind: mosaic.Person}, Names: []store.EntityName{{Name: "Zakaria Mansour", Why: []string{"first seen here"}}}},
		2: {Entity: mosaic.Entity{ID: 2, Kind: mosaic.Person}, Names: []store.EntityName{
			{Name: "Abu Sulayman", Why: []string{"first seen here", weak}},
			{Name: "Abdelkader el-Haddouchi", Why: []string{"same name as in an earlier document"}}}},
	}
	edge := &Edge{A: 1, B: 2, Evidence: []Evidence{
		{Type: mosaic.Contact, From: 1, To: 2, FromText: "Zakaria Mansour", ToText: "Abu Sulayman"},
		{Type: mosaic.Contact, From: 1, To: 2, FromText: "Zakaria Mansour", ToText: "Abdelkader el-Haddouchi"},
	}}
	path := Path{Entities: []mosaic.EntityID{1, 2}, Hops: []Hop{{From: 1, To: 2, Edge: edge}}}
	if err := MarkWeakTies(context.Background(), ps, store.Scope{}, path); err != nil {
		t.Fatal(err)
	}
	w := edge.Evidence[0].Weak
	if len(w) != 1 || w[0].Entity != 2 || w[0].Text != "Abu Sulayman" || w[0].Confidence != 0.75 || w[0].Reason != weak {
		t.Errorf("the kunya's hop: %+v, want one weak tie at 0.75", w)
	}
	if w := edge.Evidence[1].Weak; len(w) != 0 {
		t.Errorf("the full name's hop: %+v, want none", w)
	}
}
