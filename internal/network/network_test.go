package network

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// caseStore holds three agencies' documents about one chain: Mansour was
// in touch with Abu Sulayman (police); Abu Sulayman is a member of the
// group (intelligence); Ferhat was not in touch with Abu Sulayman (police).
func caseStore(t *testing.T) (*sqlite.Store, map[string]mosaic.EntityID) {
	t.Helper()
	return caseStoreWith(t, false)
}

// caseStoreWith is caseStore, with two more sentences when places is set:
// Ferhat and Abu Sulayman both live in Lyon, a place they share, which
// links neither to the other.
func caseStoreWith(t *testing.T, places bool) (*sqlite.Store, map[string]mosaic.EntityID) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for _, c := range [][2]string{{"police", "Police"}, {"intel", "Intelligence"}} {
		if _, err := st.EnsureCollection(ctx, c[0], c[1]); err != nil {
			t.Fatal(err)
		}
	}
	ids := map[string]mosaic.EntityID{}
	add := func(collection, text, subj, obj string, typ mosaic.RelationType, negated bool, date time.Time) {
		t.Helper()
		addSentence(t, st, ids, collection, text, subj, obj, typ, negated, date)
	}
	day := func(d int) time.Time { return time.Date(2016, 6, d, 0, 0, 0, 0, time.UTC) }
	add("police", "Zakaria Mansour was in touch with Abu Sulayman on Telegram.", "Zakaria Mansour", "Abu Sulayman", mosaic.Contact, false, day(1))
	add("intel", "Abu Sulayman is a member of Ansar al-Thughur, the assessment says.", "Abu Sulayman", "Ansar al-Thughur", mosaic.Member, false, day(2))
	add("police", "Nabil Ferhat was not in touch with Abu Sulayman at any time.", "Nabil Ferhat", "Abu Sulayman", mosaic.Contact, true, day(3))
	add("police", "Nabil Ferhat acted alone; he and Lee Barrow share a street.", "Nabil Ferhat", "Lee Barrow", mosaic.CoOccur, false, day(4))
	if !places {
		return st, ids
	}
	add("police", "Nabil Ferhat lives in Lyon, his landlord says.", "Nabil Ferhat", "Lyon", mosaic.LocatedIn, false, day(5))
	add("intel", "Abu Sulayman lives in Lyon, the assessment says.", "Abu Sulayman", "Lyon", mosaic.LocatedIn, false, day(6))
	add("police", "Lee Barrow called Omar Khalil on 7 June.", "Lee Barrow", "Omar Khalil", mosaic.Contact, false, day(7))
	add("police", "Omar Khalil met Zakaria Mansour on 8 June.", "Omar Khalil", "Zakaria Mansour", mosaic.Contact, false, day(8))
	return st, ids
}

func TestPathsWithEvidence(t *testing.T) {
	ctx := context.Background()
	st, ids := caseStore(t)
	n, err := Build(ctx, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	mansour, abu, group, ferhat := ids["Zakaria Mansour"], ids["Abu Sulayman"], ids["Ansar al-Thughur"], ids["Nabil Ferhat"]
	paths := n.Paths(mansour, group, 3, 6)
	if len(paths) != 1 || len(paths[0].Hops) != 2 || paths[0].Entities[1] != abu {
		t.Fatalf("paths Mansour → group: %+v", paths)
	}
	if err := Quote(ctx, st, store.Scope{}, paths[0].Hops[0].Edge, paths[0].Hops[1].Edge); err != nil {
		t.Fatal(err)
	}
	first, second := paths[0].Hops[0].Edge.Evidence[0], paths[0].Hops[1].Edge.Evidence[0]
	if first.Type != mosaic.Contact || first.Text != "Zakaria Mansour was in touch with Abu Sulayman on Telegram." || first.Collections[0] != "police" {
		t.Errorf("first hop's evidence: %+v", first)
	}
	if second.Type != mosaic.Member || !strings.HasPrefix(second.Text, "Abu Sulayman is a member") || second.Collections[0] != "intel" {
		t.Errorf("second hop's evidence: %+v", second)
	}
	// A negated relation is evidence on the edge, never a path.
	if p := n.Paths(ferhat, abu, 3, 6); len(p) != 0 {
		t.Errorf("a path through a negated relation: %+v", p)
	}
	if e := n.Edge(ferhat, abu); e == nil || e.Positive() || !e.Evidence[0].Negated {
		t.Errorf("the negated edge: %+v", e)
	}
	// Co-occurrence is followed only when asked for.
	barrow := ids["Lee Barrow"]
	if p := n.Paths(ferhat, barrow, 1, 3); len(p) != 0 {
		t.Errorf("followed a co-occurrence by default: %+v", p)
	}
	co, err := Build(ctx, st, Options{CoOccurrence: true})
	if err != nil {
		t.Fatal(err)
	}
	if p := co.Paths(ferhat, barrow, 1, 3); len(p) != 1 {
		t.Errorf("with co-occurrence, paths Ferhat → Barrow: %+v", p)
	}
	// Filters: the police alone do not know Abu Sulayman is in the group.
	police, err := Build(ctx, st, Options{Filter: store.RelationFilter{Scope: store.Scope{Collections: []string{"police"}}}})
	if err != nil {
		t.Fatal(err)
	}
	if p := police.Paths(mansour, group, 3, 6); len(p) != 0 {
		t.Errorf("the police's documents alone give a path: %+v", p)
	}
	if r, _ := n.Neighbours(abu, 1, 0); len(r) != 2 {
		t.Errorf("Abu Sulayman's neighbours: %+v, want Mansour and the group (not Ferhat)", r)
	}
}

// TestPlacesAreNoWaypoints: two people who live in one city are not
// linked through it — no path, no lone-actor link, no neighbour at two
// hops — though each is linked to the city, and a path may end there.
func TestPlacesAreNoWaypoints(t *testing.T) {
	ctx := context.Background()
	st, ids := caseStoreWith(t, true)
	n, err := Build(ctx, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	ferhat, abu, lyon, group := ids["Nabil Ferhat"], ids["Abu Sulayman"], ids["Lyon"], ids["Ansar al-Thughur"]
	if p := n.Paths(ferhat, abu, 3, 6); len(p) != 0 {
		t.Errorf("a path through a shared city: %+v", p)
	}
	if p := n.Paths(ferhat, group, 3, 6); len(p) != 0 {
		t.Errorf("a path to the group through a shared city: %+v", p)
	}
	if p := n.Paths(ferhat, lyon, 3, 6); len(p) != 1 || len(p[0].Hops) != 1 {
		t.Errorf("paths Ferhat → Lyon: %+v, want the one hop", p)
	}
	if p := n.Paths(ids["Zakaria Mansour"], lyon, 3, 6); len(p) != 1 || len(p[0].Hops) != 2 || p[0].Entities[1] != abu {
		t.Errorf("paths Mansour → Lyon: %+v, want the one through Abu Sulayman", p)
	}
	if _, ok := n.Nearest(ferhat, map[mosaic.EntityID]bool{abu: true, group: true}, 4); ok {
		t.Errorf("Nearest reached the group's people through a shared city")
	}
	r, _ := n.Neighbours(ferhat, 2, 0)
	if len(r) != 1 || r[0].Entity != lyon {
		t.Errorf("Ferhat's neighbours within 2 hops: %+v, want Lyon alone", r)
	}
	r, _ = n.Neighbours(lyon, 1, 0)
	if len(r) != 2 {
		t.Errorf("Lyon's neighbours: %+v, want the two who live there", r)
	}
	// A person's name the tagger typed a place is still a waypoint.
	if p := n.Paths(ids["Lee Barrow"], ids["Zakaria Mansour"], 3, 6); len(p) != 1 || p[0].Entities[1] != ids["Omar Khalil"] {
		t.Errorf("paths Barrow → Mansour: %+v, want the one through Omar Khalil", p)
	}
}

func TestLoneActors(t *testing.T) {
	ctx := context.Background()
	st, ids := caseStore(t)
	n, err := Build(ctx, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	las, err := LoneActors(ctx, st, n, store.Scope{}, []mosaic.EntityID{ids["Zakaria Mansour"]}, 4)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]LoneActor{}
	for _, la := range las {
		got[la.Name] = la
	}
	ferhat, mansour := got["Nabil Ferhat"], got["Zakaria Mansour"]
	if len(ferhat.Claims) != 1 || ferhat.Linked {
		t.Errorf("Ferhat, called a lone actor and not in touch: %+v", ferhat)
	}
	if !mansour.Flagged || !mansour.Linked || mansour.Target != ids["Abu Sulayman"] || len(mansour.Path.Hops) != 1 {
		t.Errorf("Mansour, flagged: %+v", mansour)
	}
	// Alerts report a path that is new.
	if a := Alerts(nil, las); len(a) != 1 || a[0].Name != "Zakaria Mansour" {
		t.Errorf("alerts from nothing: %+v", a)
	}
	if a := Alerts(las, las); len(a) != 0 {
		t.Errorf("alerts with nothing new: %+v", a)
	}
}

func TestClaimsLoneActor(t *testing.T) {
	for _, tc := range []struct {
		sentence string
		want     bool
	}{
		{"Police said Bouzidi acted alone.", true},
		{"He is described as a self-radicalised lone actor.", true},
		{"Karim Bouzidi carried out the attack at the coach station alone and on foot.", true},
		{"She lives alone in Digbeth.", false},
		{"Bouzidi met el-Haddouchi twice.", false},
	} {
		if got := claimsLoneActor(tc.sentence); got != tc.want {
			t.Errorf("claimsLoneActor(%q) = %v, want %v", tc.sentence, got, tc.want)
		}
	}
}

func TestLinkedAndEgo(t *testing.T) {
	ctx := context.Background()
	st, ids := caseStore(t)
	n, err := Build(ctx, st, Options{})
	if err != nil {
		t.Fatal(err)
	}
	// Ferhat's only edges are negated or co-occurrence: not linked.
	g, label := n.Linked()
	var names []string
	for v := range int32(g.Nodes()) {
		l := label(v)
		if mosaic.EntityID(l.ID) != ids[l.Node] {
			t.Errorf("node %d labelled %+v, want the id of %q, %d", v, l, l.Node, ids[l.Node])
		}
		names = append(names, l.Node)
	}
	slices.Sort(names)
	if want := []string{"Abu Sulayman", "Ansar al-Thughur", "Zakaria Mansour"}; !slices.Equal(names, want) || g.Edges() != 2 {
		t.Errorf("linked: %v with %d edges, want %v with 2", names, g.Edges(), want)
	}

	ego := n.Ego(ids["Abu Sulayman"], 1, 0)
	var around []string
	for _, e := range ego.Entities {
		around = append(around, fmt.Sprintf("%s@%d", e.Name, e.Hops))
	}
	if want := "Abu Sulayman@0 Ansar al-Thughur@1 Zakaria Mansour@1"; strings.Join(around, " ") != want && strings.Join(around, " ") != "Abu Sulayman@0 Zakaria Mansour@1 Ansar al-Thughur@1" {
		t.Errorf("ego entities %v, want %s", around, want)
	}
	if len(ego.Edges) != 2 || !ego.Complete {
		t.Errorf("ego edges %+v (complete %v), want the two typed ones", ego.Edges, ego.Complete)
	}
	for _, e := range ego.Edges {
		if e.A > e.B || !e.Typed || e.Negated || e.Pieces != 1 {
			t.Errorf("ego edge %+v", e)
		}
	}

	// Following co-occurrence reaches Barrow from Ferhat, and the ego
	// network of both shows the negated edge to Abu Sulayman only once he
	// is in it.
	n, err = Build(ctx, st, Options{CoOccurrence: true})
	if err != nil {
		t.Fatal(err)
	}
	ego = n.Ego(ids["Nabil Ferhat"], 2, 0)
	if len(ego.Entities) != 2 || ego.Entities[1].Entity != ids["Lee Barrow"] || len(ego.Edges) != 1 || ego.Edges[0].Typed {
		t.Errorf("Ferhat's ego network %+v, want Barrow by co-occurrence", ego)
	}
	if got := n.Name(ids["Nabil Ferhat"]); got != "Nabil Ferhat" {
		t.Errorf("Name = %q", got)
	}
	if got := n.Name(9999); got != "" {
		t.Errorf("Name of an entity outside the network = %q", got)
	}
}

func TestNamePrefersFullCalmSpelling(t *testing.T) {
	n := &Network{node: map[mosaic.EntityID]int32{7: 0, 8: 1}, kinds: []mosaic.MentionType{mosaic.Person, mosaic.Person},
		spellings: []map[string]int{
			{"Bouzidi": 9, "Karim BOUZIDI": 5, "Karim Bouzidi": 2, "K. Bouzidi": 2},
			{"Abu Sulayman": 9, "Abu Sulayman al-Rifi": 6, "Abdelkader el-Haddouchi": 2, "el-Haddouchi": 8},
		}}
	if got := n.Name(7); got != "Karim Bouzidi" {
		t.Errorf("Name = %q, want the full spelling without capitals", got)
	}
	// A kunya, however often written, does not head a man whose name the
	// documents give.
	if got := n.Name(8); got != "Abdelkader el-Haddouchi" {
		t.Errorf("Name = %q, want the legal name, not the kunya", got)
	}
}

// TestClaimedPerson checks whom a lone-actor sentence is about: its
// subject, never the speaker or the official who voices it.
func TestClaimedPerson(t *testing.T) {
	for _, tc := range []struct {
		sentence string
		people   []string
		want     string // "" for no claim
	}{
		{"Greaves said Bouzidi acted alone.", []string{"Greaves", "Bouzidi"}, "Bouzidi"},
		{"Bouzidi acted alone, said Calloway.", []string{"Bouzidi", "Calloway"}, "Bouzidi"},
		{"Police said Karim Bouzidi acted alone, Ruth Calloway told reporters.", []string{"Karim Bouzidi", "Ruth Calloway"}, "Karim Bouzidi"},
		{"[18:32:16] GREAVES (recorded): We are confident that this man acted alone.", []string{"GREAVES"}, ""},
		{"DONNELLY: And the police line is that he acted alone.", []string{"DONNELLY"}, ""},
		{`Detective Chief Inspector Ruth Calloway said: "We believe this man acted alone."`, []string{"Ruth Calloway"}, ""},
		{"Investigators have said that Ouahbi acted alone.", []string{"Ouahbi"}, "Ouahbi"},
		{"Acting alone, according to the court, was Lee Barrow.", []string{"Lee Barrow"}, "Lee Barrow"},
		{"At this stage Mohammed Ali Shakir appears to have acted alone.", []string{"Mohammed Ali Shakir"}, "Mohammed Ali Shakir"},
		{"Belgian investigators assess Ilyas Wahbi as a lone actor.", []string{"Ilyas Wahbi"}, "Ilyas Wahbi"},
		{"Karim Bouzidi carried out the attack at the coach station alone and on foot.", []string{"Karim Bouzidi"}, "Karim Bouzidi"},
		// A person addressed is not the subject.
		{"Dr Achterberg, three attackers, each of them alone.", []string{"Achterberg"}, ""},
		// Nor is a name in another clause, or one after a pronoun subject.
		{"They live in Bordesley Green, and people here are asking how three young men acted alone.", []string{"Bordesley Green"}, ""},
		{"The interviewee says he acted alone and denies knowing Shakir or Mansour.", []string{"Shakir", "Mansour"}, ""},
		{"Ledger investigation raises fresh doubts over police claims that Birmingham's Ramadan attackers acted alone", []string{"Ledger"}, ""},
	} {
		whole := mosaic.Span{Start: 0, End: len(tc.sentence)}
		var ms []mosaic.Mention
		for i, p := range tc.people {
			at := strings.Index(tc.sentence, p)
			ms = append(ms, mosaic.Mention{Start: at, End: at + len(p), Type: mosaic.Person, Text: p, Sentence: whole, Entity: mosaic.EntityID(i + 1)})
		}
		got := ""
		if m, ok := claimed(tc.sentence, ms, whole, loneActorCue(tc.sentence)); ok {
			got = m.Text
		}
		if got != tc.want {
			t.Errorf("%q: claimed %q, want %q", tc.sentence, got, tc.want)
		}
	}
}

// addSentence stores one sentence of a document of its own, stating a
// relation of subject to object, and resolves the two names, reusing the
// entities ids already holds by name.
func addSentence(t *testing.T, st *sqlite.Store, ids map[string]mosaic.EntityID, collection, text, subj, obj string, typ mosaic.RelationType, negated bool, date time.Time) {
	ctx := context.Background()
	t.Helper()
	d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: text[:20], Text: text, Format: mosaic.FormatText, Source: text[:8], Date: date}
	whole := mosaic.Span{Start: 0, End: len(text)}
	var ms []mosaic.Mention
	for _, name := range []string{subj, obj} {
		i := strings.Index(text, name)
		kind := mosaic.Person
		if strings.HasPrefix(name, "Ansar") {
			kind = mosaic.Org
		}
		// Lyon is a place; Omar Khalil a person the tagger typed a
		// place.
		if name == "Lyon" || name == "Omar Khalil" {
			kind = mosaic.Location
		}
		ms = append(ms, mosaic.Mention{Start: i, End: i + len(name), Type: kind, Text: name, Sentence: whole, Confidence: 1})
	}
	// The cue is the words between the two names, as the learned
	// relations quote it.
	cue := strings.TrimSpace(text[ms[0].End:ms[1].Start])
	rel := []mosaic.Relation{{Type: typ, From: 0, To: 1, Sentence: whole, Negated: negated, Cue: cue}}
	if _, err := st.Add(ctx, []store.Ingested{{Collection: collection, Doc: d, Mentions: ms, Relations: rel}}); err != nil {
		t.Fatal(err)
	}
	var created []mosaic.Entity
	var as []store.Assignment
	for _, m := range ms {
		a := store.Assignment{Start: m.Start, End: m.End, Type: m.Type, Entity: ids[m.Text]}
		if a.Entity == 0 {
			created = append(created, mosaic.Entity{Kind: m.Type, Name: m.Text})
			a.New = len(created)
		}
		as = append(as, a)
	}
	got, err := st.Resolve(ctx, d.ID, created, as)
	if err != nil {
		t.Fatal(err)
	}
	for i, a := range as {
		if a.New > 0 {
			ids[ms[i].Text] = got[a.New-1]
		}
	}
}
