package network

import (
	"context"
	"testing"
	"time"

	"mosaic"
)

func TestAttribute(t *testing.T) {
	ctx := context.Background()
	st, ids := caseStoreWith(t, true)
	day := time.Date(2016, 6, 20, 0, 0, 0, 0, time.UTC)
	// A command to the attacker makes the attack directed; a brother in
	// touch with the organiser makes a contact of the brother enabled, two
	// hops out; a shared victim ties no one.
	addSentence(t, st, ids, "intel", "Abu Sulayman directed Karim Bouzidi to act before the last ten nights.", "Abu Sulayman", "Karim Bouzidi", mosaic.Command, false, day)
	addSentence(t, st, ids, "intel", "Youssef Haddou is the brother of Abu Sulayman, the registry shows.", "Youssef Haddou", "Abu Sulayman", mosaic.Family, false, day)
	addSentence(t, st, ids, "police", "Ilias Ouahbi met Youssef Haddou at least three times in June.", "Ilias Ouahbi", "Youssef Haddou", mosaic.Contact, false, day)
	// Sending a voice note is contact and influence, not tasking.
	addSentence(t, st, ids, "police", "Abu Sulayman sent Zakaria Mansour the voice note on Sunday night.", "Abu Sulayman", "Zakaria Mansour", mosaic.Command, false, day)
	addSentence(t, st, ids, "police", "Craig Denholm attacked Karim Bouzidi outside the court.", "Craig Denholm", "Karim Bouzidi", mosaic.Attack, false, day)
	n, err := Build(ctx, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	group := ids["Ansar al-Thughur"]
	for _, tc := range []struct {
		attacker string
		ok       bool
		class    mosaic.Attribution
		hops     int
	}{
		{"Zakaria Mansour", true, mosaic.Enabled, 2}, // contact, then the member's membership
		{"Karim Bouzidi", true, mosaic.Directed, 2},
		{"Ilias Ouahbi", true, mosaic.Enabled, 3},
		{"Nabil Ferhat", false, "", 0}, // only a negated contact
		// Through a person the tagger typed a place (markPlaces keeps him
		// a waypoint), then Mansour's tie.
		{"Lee Barrow", true, mosaic.Enabled, 4},
		{"Craig Denholm", false, "", 0},
	} {
		a, ok := n.Attribute(ids[tc.attacker], 4)
		if ok != tc.ok {
			t.Errorf("%s: attributed %v, want %v (%+v)", tc.attacker, ok, tc.ok, a)
			continue
		}
		if !ok {
			continue
		}
		if a.Class != tc.class || a.Group != group || len(a.Path.Hops) != tc.hops {
			t.Errorf("%s: %s to %d in %d hops, want %s to %d in %d", tc.attacker, a.Class, a.Group, len(a.Path.Hops), tc.class, group, tc.hops)
		}
		if a.Path.Entities[0] != ids[tc.attacker] || a.Path.Entities[len(a.Path.Entities)-1] != group {
			t.Errorf("%s: path %v does not run from the attacker to the group", tc.attacker, a.Path.Entities)
		}
	}
	// Too few hops allowed: Ouahbi's tie is three hops out.
	if a, ok := n.Attribute(ids["Ilias Ouahbi"], 1); ok {
		t.Errorf("Ouahbi within one hop: %+v", a)
	}
}
