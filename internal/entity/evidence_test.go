package entity_test

import (
	"context"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

func TestWeakName(t *testing.T) {
	for _, tc := range []struct {
		name string
		typ  mosaic.MentionType
		weak bool
	}{
		{"Abu Sulayman", mosaic.Person, true},
		{"Abou Souleymane", mosaic.Person, true},
		{"Abu Sulayman al-Rifi", mosaic.Person, false},
		{"Karim", mosaic.Person, true},
		{"Haddouchi", mosaic.Person, true},
		{"Mr Greaves", mosaic.Person, true},
		{"Karim Bouzidi", mosaic.Person, false},
		{"Abdelkader el-Haddouchi", mosaic.Person, false},
		{"Brussels", mosaic.Location, false},
	} {
		if got := entity.WeakName(tc.name, tc.typ); got != tc.weak {
			t.Errorf("WeakName(%q, %s) = %v, want %v", tc.name, tc.typ, got, tc.weak)
		}
	}
}

// reasons returns the reasons the store gives for the spelling of entity
// id.
func (c *corpus) reasons(id mosaic.EntityID, spelling string) []string {
	c.t.Helper()
	p, err := c.st.Entity(context.Background(), id, store.Scope{})
	if err != nil {
		c.t.Fatal(err)
	}
	for _, n := range p.Names {
		if n.Name == spelling {
			return n.Why
		}
	}
	c.t.Fatalf("entity %d has no spelling %q: %+v", id, spelling, p.Names)
	return nil
}

func TestWeakNamesNeedContext(t *testing.T) {
	// The organiser: a full name and his kunya, stated as one, beside
	// his contacts, his phone and his town.
	const organiser = "Abdelkader el-Haddouchi, known as Abu Sulayman al-Rifi, called Karim Bouzidi and Zakaria Mansour from +32 2 555 0147 in Anderlecht."
	setup := func(t *testing.T) (*corpus, mosaic.EntityID) {
		c := newCorpus(t)
		ids := c.add(organiser, "PERSON:Abdelkader el-Haddouchi", "PERSON:Abu Sulayman al-Rifi", "PERSON:Karim Bouzidi",
			"PERSON:Zakaria Mansour", "PHONE:+32 2 555 0147", "LOCATION:Anderlecht")
		if ids[0] == 0 || ids[1] != ids[0] {
			t.Fatalf("the stated kunya: %v, want one entity", ids)
		}
		return c, ids[0]
	}
	for _, tc := range []struct {
		name  string
		text  string
		specs []string
		weak  int // the weak name among specs
		joins bool
	}{
		{"no context", "A man called Abu Sulayman sold a car in Leeds to Omar Kaci.",
			[]string{"PERSON:Abu Sulayman", "LOCATION:Leeds", "PERSON:Omar Kaci"}, 0, false},
		{"a shared place alone", "A man called Abu Sulayman was seen in Anderlecht.",
			[]string{"PERSON:Abu Sulayman", "LOCATION:Anderlecht"}, 0, false},
		{"one shared contact and a place", "Abu Sulayman met Karim Bouzidi in Anderlecht.",
			[]string{"PERSON:Abu Sulayman", "PERSON:Karim Bouzidi", "LOCATION:Anderlecht"}, 0, false},
		{"two shared contacts", "Zakaria Mansour said Abu Sulayman had also spoken to Karim Bouzidi.",
			[]string{"PERSON:Zakaria Mansour", "PERSON:Abu Sulayman", "PERSON:Karim Bouzidi"}, 1, true},
		{"a shared phone number", "Abu Sulayman gave the number +32 2 555 0147.",
			[]string{"PERSON:Abu Sulayman", "PHONE:+32 2 555 0147"}, 0, true},
		{"a surname alone, no context", "Haddouchi was fined for speeding in Ghent.",
			[]string{"PERSON:Haddouchi", "LOCATION:Ghent"}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, org := setup(t)
			ids := c.add(tc.text, tc.specs...)
			id := ids[tc.weak]
			if (id == org) != tc.joins {
				t.Fatalf("joined the organiser: %v, want %v (entities %v, organiser %d)", id == org, tc.joins, ids, org)
			}
			_, spelling, _ := strings.Cut(tc.specs[tc.weak], ":")
			why := c.reasons(id, spelling)
			if !tc.joins {
				if !strings.HasPrefix(why[0], "first seen here") {
					t.Errorf("reasons %q: want first seen here", why)
				}
				return
			}
			found := false
			for _, w := range why {
				if conf, ok := entity.WeakConfidence(w); ok && conf > 0 && conf <= 1 {
					found = true
				}
			}
			if !found {
				t.Errorf("reasons %q: want the context evidence with its confidence", why)
			}
		})
	}
	t.Run("a reloaded resolver applies the same rule", func(t *testing.T) {
		c, org := setup(t)
		c.reload()
		if ids := c.add("Abu Sulayman sold a car in Leeds.", "PERSON:Abu Sulayman", "LOCATION:Leeds"); ids[0] == org {
			t.Error("after reloading, a bare kunya without context joined the organiser")
		}
		if ids := c.add("Abu Sulayman used +32 2 555 0147 again.", "PERSON:Abu Sulayman", "PHONE:+32 2 555 0147"); ids[0] != org {
			t.Errorf("after reloading, the kunya with the organiser's phone: entity %d, want %d", ids[0], org)
		}
	})
	t.Run("within a document the surname still joins the full name", func(t *testing.T) {
		c, _ := setup(t)
		ids := c.add("Craig Denholm set the fire. Denholm fled.", "PERSON:Craig Denholm", "PERSON:Denholm")
		if ids[0] == 0 || ids[1] != ids[0] {
			t.Errorf("Denholm after Craig Denholm: %v, want one entity", ids)
		}
	})
}

func TestSharedSurnameGoesToTheOneTheContextNames(t *testing.T) {
	c := newCorpus(t)
	text := "Interviewee: Nabil FERHAT\nPresent: Mrs Leila Ferhat, his mother.\nHOLLOWAY: Nabil, tell us what happened.\n" +
		"FERHAT: I went to the shop.\nMRS FERHAT: He has been ill.\nFERHAT: I am sorry.\nNote: Ferhat acted alone."
	ids := c.add(text, "PERSON:Nabil FERHAT", "PERSON:Leila Ferhat", "PERSON:Nabil", "PERSON:FERHAT", "PERSON:FERHAT", "PERSON:FERHAT", "PERSON:Ferhat")
	nabil, leila := ids[0], ids[1]
	if nabil == 0 || leila == 0 || nabil == leila {
		t.Fatalf("two people: %v", ids)
	}
	for k, want := range map[int]mosaic.EntityID{2: nabil, 3: nabil, 4: leila, 5: nabil, 6: nabil} {
		if ids[k] != want {
			t.Errorf("mention %d: entity %d, want %d (Nabil %d, Leila %d)", k, ids[k], want, nabil, leila)
		}
	}
}
