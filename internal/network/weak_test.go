package network

import (
	"context"
	"maps"
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

// TestGroupsAreOrganisations checks what counts as a group for the
// lone-actor check: an organisation a person is a member of in a group's
// role, or whose member commands. A "membership" of a place or of another
// person is a misreading, and a newspaper with a correspondent, or a firm
// whose member attacked, is no group.
func TestGroupsAreOrganisations(t *testing.T) {
	const denholm, stechford, bouzidi, holloway, mansour, jat, shakir, ledger = 1, 2, 3, 4, 5, 6, 7, 8
	const reporter, paper, boss, front, victim, firm = 9, 10, 11, 12, 13, 14
	type end struct {
		id   mosaic.EntityID
		kind mosaic.MentionType
		name string
	}
	rel := func(typ mosaic.RelationType, from, to end, confidence float64, cue string) store.RelationRow {
		return store.RelationRow{From: from.id, To: to.id, FromKind: from.kind, ToKind: to.kind, FromText: from.name, ToText: to.name,
			Type: typ, Confidence: confidence, Cue: cue, Doc: "d", Collections: []string{"c"}}
	}
	person := func(id mosaic.EntityID, name string) end { return end{id, mosaic.Person, name} }
	org := func(id mosaic.EntityID, name string) end { return end{id, mosaic.Org, name} }
	rows := relationRows{
		// A place, a person the tagger typed ORG, and a membership the
		// classifier is unsure of are no groups.
		rel(mosaic.Member, person(denholm, "Craig Denholm"), end{stechford, mosaic.Location, "Stechford"}, 0.83, "is a member of"),
		rel(mosaic.Member, person(bouzidi, "Karim Bouzidi"), org(holloway, "DS Paul Holloway"), 0.83, "is a member of"),
		rel(mosaic.Member, person(shakir, "Mohammed Ali Shakir"), org(ledger, "Stechford Road"), 0.46, "is a member of"),
		// A group's role: a group.
		rel(mosaic.Member, person(mansour, "Zakaria Mansour"), org(jat, "Ansar al-Thughur"), 0.83, "is a member of"),
		// A correspondent's paper: no group.
		rel(mosaic.Member, person(reporter, "Hannah Moretti"), org(paper, "Midland Ledger"), 0.83, "is the paper's security correspondent"),
		// A member who sends others: a group, whatever the role.
		rel(mosaic.Member, person(boss, "Khalid Rashid"), org(front, "Northern Front"), 0.7, "of"),
		rel(mosaic.Command, person(boss, "Khalid Rashid"), person(bouzidi, "Karim Bouzidi"), 0.83, ""),
		// A member who attacked: his firm is no group.
		rel(mosaic.Member, person(victim, "Tomas Brenner"), org(firm, "Brenner Logistics"), 0.8, ", a driver for"),
		rel(mosaic.Attack, person(victim, "Tomas Brenner"), person(denholm, "Craig Denholm"), 0.8, ""),
	}
	n, err := Build(context.Background(), rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := n.groupsAndMembers()
	want := map[mosaic.EntityID]bool{mansour: true, jat: true, boss: true, front: true}
	if !maps.Equal(got, want) {
		t.Errorf("groups and members %v, want %v", got, want)
	}
}

// relationRows is a store.Relations that reads its own rows.
type relationRows []store.RelationRow

func (rs relationRows) Relations(_ context.Context, _ store.RelationFilter, fn func(store.RelationRow) error) error {
	for _, r := range rs {
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}
