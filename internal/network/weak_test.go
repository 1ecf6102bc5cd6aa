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
	n := &Network{
		node: map[mosaic.EntityID]int32{denholm: 0, stechford: 1, bouzidi: 2, holloway: 3, mansour: 4, jat: 5, shakir: 6, ledger: 7,
			reporter: 8, paper: 9, boss: 10, front: 11, victim: 12, firm: 13},
		kinds: []mosaic.MentionType{mosaic.Person, mosaic.Location, mosaic.Person, mosaic.Org, mosaic.Person, mosaic.Org,
			mosaic.Person, mosaic.Org, mosaic.Person, mosaic.Org, mosaic.Person, mosaic.Org, mosaic.Person, mosaic.Org},
		spellings: []map[string]int{{"Craig Denholm": 1}, {"Stechford": 1}, {"Karim Bouzidi": 1}, {"DS Paul Holloway": 1},
			{"Zakaria Mansour": 1}, {"Ansar al-Thughur": 1}, {"Mohammed Ali Shakir": 1}, {"Stechford Road": 1},
			{"Hannah Moretti": 1}, {"Midland Ledger": 1}, {"Khalid Rashid": 1}, {"Northern Front": 1},
			{"Tomas Brenner": 1}, {"Brenner Logistics": 1}},
		edges: map[[2]int32]*Edge{
			// A place, a person the tagger typed ORG, and a membership
			// the classifier is unsure of are no groups.
			{0, 1}: {Evidence: []Evidence{{Type: mosaic.Member, From: denholm, To: stechford, Confidence: 0.83, Cue: "is a member of"}}},
			{2, 3}: {Evidence: []Evidence{{Type: mosaic.Member, From: bouzidi, To: holloway, Confidence: 0.83, Cue: "is a member of"}}},
			{6, 7}: {Evidence: []Evidence{{Type: mosaic.Member, From: shakir, To: ledger, Confidence: 0.46, Cue: "is a member of"}}},
			// A group's role: a group.
			{4, 5}: {Evidence: []Evidence{{Type: mosaic.Member, From: mansour, To: jat, Confidence: 0.83, Cue: "is a member of"}}},
			// A correspondent's paper: no group.
			{8, 9}: {Evidence: []Evidence{{Type: mosaic.Member, From: reporter, To: paper, Confidence: 0.83, Cue: "is the paper's security correspondent"}}},
			// A member who sends others: a group, whatever the role.
			{10, 11}: {Evidence: []Evidence{{Type: mosaic.Member, From: boss, To: front, Confidence: 0.7, Cue: "of"}}},
			{10, 2}:  {Evidence: []Evidence{{Type: mosaic.Command, From: boss, To: bouzidi, Confidence: 0.83}}},
			// A member who attacked: his firm is no group.
			{12, 13}: {Evidence: []Evidence{{Type: mosaic.Member, From: victim, To: firm, Confidence: 0.8, Cue: ", a driver for"}}},
			{12, 0}:  {Evidence: []Evidence{{Type: mosaic.Attack, From: victim, To: denholm, Confidence: 0.8}}},
		},
	}
	got := n.groupsAndMembers()
	want := map[mosaic.EntityID]bool{mansour: true, jat: true, boss: true, front: true}
	if !maps.Equal(got, want) {
		t.Errorf("groups and members %v, want %v", got, want)
	}
}
