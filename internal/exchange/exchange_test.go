package exchange

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// sentence is one document of the test case: a sentence stating a
// relation between two names, or naming one.
type sentence struct {
	collection string
	text       string
	from, to   string // to empty: a name alone
	fromKind   mosaic.MentionType
	toKind     mosaic.MentionType
	typ        mosaic.RelationType
	negated    bool
	day        int
}

// caseSentences are two agencies' documents: the police know Mansour was
// in touch with Karim Bouzidi (twice), that Ferhat was not, and of Lee
// Barrow; intelligence knows Karim Bouzidi is a member of the group, and
// that Omar Khalil travelled to Raqqa.
var caseSentences = []sentence{
	{"police", "Zakaria Mansour was in touch with Karim Bouzidi on Telegram.", "Zakaria Mansour", "Karim Bouzidi", mosaic.Person, mosaic.Person, mosaic.Contact, false, 1},
	{"intel", "Karim Bouzidi is a member of Ansar al-Thughur, the assessment says.", "Karim Bouzidi", "Ansar al-Thughur", mosaic.Person, mosaic.Org, mosaic.Member, false, 2},
	{"police", "Nabil Ferhat was not in touch with Karim Bouzidi at any time.", "Nabil Ferhat", "Karim Bouzidi", mosaic.Person, mosaic.Person, mosaic.Contact, true, 3},
	{"police", "Zakaria Mansour called Karim Bouzidi twice from a kiosk.", "Zakaria Mansour", "Karim Bouzidi", mosaic.Person, mosaic.Person, mosaic.Contact, false, 4},
	{"intel", "Omar Khalil travelled to Raqqa in the spring.", "Omar Khalil", "Raqqa", mosaic.Person, mosaic.Location, mosaic.Travel, false, 5},
	{"police", "Lee Barrow rents the flat above the kiosk.", "Lee Barrow", "", mosaic.Person, "", "", false, 6},
}

// noteText is intelligence's note.
const noteText = "The note names Karim Bouzidi as the Lyon cell's courier."

// testStore stores the sentences, each a document resolved as ingestion
// resolves one, and an incident for each agency.
func testStore(t *testing.T) *sqlite.Store {
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
	r, err := entity.NewResolver(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range caseSentences {
		whole := mosaic.Span{Start: 0, End: len(s.text)}
		d := mosaic.Document{ID: mosaic.NewDocID([]byte(s.text)), Title: s.text[:16], Text: s.text, Format: mosaic.FormatText,
			Source: "test/" + s.text[:8] + ".txt", Date: time.Date(2016, 6, s.day, 0, 0, 0, 0, time.UTC)}
		mention := func(name string, kind mosaic.MentionType) mosaic.Mention {
			i := strings.Index(s.text, name)
			return mosaic.Mention{Start: i, End: i + len(name), Type: kind, Text: name, Sentence: whole, Confidence: 1}
		}
		ms := []mosaic.Mention{mention(s.from, s.fromKind)}
		var rels []mosaic.Relation
		if s.to != "" {
			ms = append(ms, mention(s.to, s.toKind))
			cue := strings.TrimSpace(s.text[ms[0].End:ms[1].Start])
			rels = []mosaic.Relation{{Type: s.typ, From: 0, To: 1, Sentence: whole, Negated: s.negated, Cue: cue, Confidence: 0.9}}
		}
		if _, err := st.Add(ctx, []store.Ingested{{Collection: s.collection, Doc: d, Mentions: ms, Relations: rels}}); err != nil {
			t.Fatal(err)
		}
		if err := r.ResolveDocument(ctx, d, ms); err != nil {
			t.Fatal(err)
		}
	}
	note := mosaic.Document{ID: mosaic.NewDocID([]byte(noteText)), Title: "Courier", Text: noteText, Format: mosaic.FormatText, Source: "test/note.txt"}
	if _, err := st.Add(ctx, []store.Ingested{{Collection: "intel", Doc: note}}); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		collection, city, group string
		attacker                string
	}{{"police", "Lyon", "Harbour Cell", "Karim Bouzidi"}, {"intel", "Raqqa", "Jund al-Sham", ""}} {
		in := mosaic.Incident{EventID: "2016060" + c.city[:1], Date: mosaic.IncidentDate{Year: 2016, Month: mosaic.Some(time.June), Day: mosaic.Some(7)},
			City: c.city, Perpetrators: []string{c.group}, Killed: mosaic.Some(2), Summary: "An attack in " + c.city + ".",
			Sources: []mosaic.IncidentSource{{Name: "test"}}}
		if c.attacker != "" {
			in.Actors = []mosaic.IncidentActor{{Role: mosaic.RoleAttacker, Name: c.attacker, Kind: mosaic.Person}}
		}
		if _, err := st.AddIncidents(ctx, c.collection, []mosaic.Incident{in}); err != nil {
			t.Fatal(err)
		}
	}
	return st
}

// citingNote is a store whose police incident also cites intelligence's
// note, which the police may not read. The store refuses to hold such an
// incident (AddIncidents); one stored before it did is read like this,
// and an export must still leave the note out.
type citingNote struct{ *sqlite.Store }

func (s citingNote) EachIncident(ctx context.Context, f store.IncidentFilter, fn func(mosaic.Incident) error) error {
	note := mosaic.NewDocID([]byte(noteText))
	return s.Store.EachIncident(ctx, f, func(in mosaic.Incident) error {
		if in.City == "Lyon" {
			in.Sources = append(in.Sources, mosaic.IncidentSource{Name: "note", Doc: note})
			in.Actors = append(in.Actors, mosaic.IncidentActor{Role: mosaic.RoleAttacker, Name: "Karim Bouzidi", Kind: mosaic.Person,
				Doc: note, Mention: mosaic.Span{Start: len("The note names "), End: len("The note names Karim Bouzidi")}})
			in.Evidence = append(in.Evidence, mosaic.IncidentEvidence{Field: mosaic.FieldPerpetrator, Value: "Harbour Cell", Doc: note,
				Sentence: mosaic.Span{Start: 0, End: len(noteText)}, Quote: noteText, Confidence: 0.5})
		}
		return fn(in)
	})
}

// byName returns the case's entity of a name.
func byName(c Case, name string) *Entity {
	for i := range c.Entities {
		if c.Entities[i].Name == name {
			return &c.Entities[i]
		}
	}
	return nil
}

// linksOf returns the case's links as "From type To" lines, with names,
// "not" before a negated type.
func linksOf(c Case) []string {
	name := map[string]string{}
	for _, e := range c.Entities {
		name[e.Key] = e.Name
	}
	var out []string
	for _, l := range c.Links {
		typ := string(l.Type)
		if l.Negated {
			typ = "not " + typ
		}
		out = append(out, name[l.From]+" "+typ+" "+name[l.To])
	}
	slices.Sort(out)
	return out
}

func names(c Case) []string {
	var out []string
	for _, e := range c.Entities {
		out = append(out, e.Name)
	}
	slices.Sort(out)
	return out
}

func TestRead(t *testing.T) {
	ctx := context.Background()
	st := citingNote{testStore(t)}
	whole, err := Read(ctx, st, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	police := store.Scope{Collections: []string{"police"}, Agency: "Police"}
	mansour := func(c Case) mosaic.EntityID {
		e := byName(whole, "Zakaria Mansour")
		if e == nil {
			t.Fatalf("no Zakaria Mansour in %v", names(whole))
		}
		var id int64
		for _, r := range e.Key {
			id = id*10 + int64(r-'0')
		}
		return mosaic.EntityID(id)
	}(whole)
	tests := []struct {
		name        string
		filter      Filter
		entities    []string
		links       []string
		incidents   []string // cities
		collections []string
		// absent are words the case must not hold anywhere: what only
		// documents outside the scope say.
		absent []string
	}{
		{"whole store", Filter{},
			[]string{"Ansar al-Thughur", "Karim Bouzidi", "Lee Barrow", "Nabil Ferhat", "Omar Khalil", "Raqqa", "Zakaria Mansour"},
			[]string{"Karim Bouzidi member Ansar al-Thughur", "Nabil Ferhat not contact Karim Bouzidi", "Omar Khalil travel Raqqa", "Zakaria Mansour contact Karim Bouzidi"},
			[]string{"Lyon", "Raqqa"}, []string{"intel", "police"}, nil},
		{"the police's scope", Filter{Scope: police},
			[]string{"Karim Bouzidi", "Lee Barrow", "Nabil Ferhat", "Zakaria Mansour"},
			[]string{"Nabil Ferhat not contact Karim Bouzidi", "Zakaria Mansour contact Karim Bouzidi"},
			[]string{"Lyon"}, []string{"police"}, []string{"Ansar", "Khalil", "Raqqa", "Jund", "intel", "Intelligence", "assessment", "courier"}},
		{"one collection of the whole", Filter{Collection: "intel"},
			[]string{"Ansar al-Thughur", "Karim Bouzidi", "Omar Khalil", "Raqqa"},
			[]string{"Karim Bouzidi member Ansar al-Thughur", "Omar Khalil travel Raqqa"},
			[]string{"Raqqa"}, []string{"intel"}, []string{"Lyon", "Mansour", "Ferhat", "Barrow", "Police"}},
		{"one hop of Mansour", Filter{Entity: mansour, Hops: 1},
			[]string{"Karim Bouzidi", "Zakaria Mansour"},
			[]string{"Zakaria Mansour contact Karim Bouzidi"},
			[]string{"Lyon"}, []string{"intel", "police"}, []string{"Ansar", "Ferhat", "Khalil", "Raqqa"}},
		{"two hops of Mansour", Filter{Entity: mansour, Hops: 2},
			[]string{"Ansar al-Thughur", "Karim Bouzidi", "Zakaria Mansour"},
			[]string{"Karim Bouzidi member Ansar al-Thughur", "Zakaria Mansour contact Karim Bouzidi"},
			[]string{"Lyon"}, []string{"intel", "police"}, []string{"Ferhat", "Khalil", "Barrow"}},
		{"two hops of Mansour, police only", Filter{Scope: police, Entity: mansour, Hops: 2},
			[]string{"Karim Bouzidi", "Zakaria Mansour"},
			[]string{"Zakaria Mansour contact Karim Bouzidi"},
			[]string{"Lyon"}, []string{"police"}, []string{"Ansar", "Khalil", "Raqqa", "Jund", "intel", "Intelligence", "assessment", "courier"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := Read(ctx, st, tc.filter)
			if err != nil {
				t.Fatal(err)
			}
			if got := names(c); !slices.Equal(got, tc.entities) {
				t.Errorf("entities %q, want %q", got, tc.entities)
			}
			if got := linksOf(c); !slices.Equal(got, tc.links) {
				t.Errorf("links %q, want %q", got, tc.links)
			}
			var cities, cols []string
			for _, in := range c.Incidents {
				cities = append(cities, in.City)
			}
			for _, col := range c.Collections {
				cols = append(cols, col.Name)
			}
			slices.Sort(cities)
			if !slices.Equal(cities, tc.incidents) {
				t.Errorf("incidents in %q, want %q", cities, tc.incidents)
			}
			if !slices.Equal(cols, tc.collections) {
				t.Errorf("collections %q, want %q", cols, tc.collections)
			}
			whole, err := json.Marshal(c)
			if err != nil {
				t.Fatal(err)
			}
			for _, w := range tc.absent {
				if bytes.Contains(whole, []byte(w)) {
					t.Errorf("the case holds %q, which only documents out of scope say", w)
				}
			}
			// Nothing outside the scope: every document cited is held by
			// a collection of the case, and every sentence is a whole
			// document's text (each test document is one sentence).
			texts := map[string]bool{}
			for _, s := range caseSentences {
				if tc.filter.Scope.Allows(s.collection) && (tc.filter.Collection == "" || tc.filter.Collection == s.collection) {
					texts[s.text] = true
				}
			}
			for _, d := range c.Documents {
				for _, col := range d.Collections {
					if !slices.Contains(cols, col) {
						t.Errorf("document %s held by %s, outside the case's collections %q", d.ID.Short(), col, cols)
					}
				}
			}
			// An incident cites only documents of the case.
			docs := map[mosaic.DocID]bool{"": true}
			for _, d := range c.Documents {
				docs[d.ID] = true
			}
			for _, in := range c.Incidents {
				for _, id := range incidentDocs(in) {
					if !docs[id] {
						t.Errorf("incident in %s cites document %s, not one of the case", in.City, id.Short())
					}
				}
			}
			for _, l := range c.Links {
				for _, ev := range l.Evidence {
					if !texts[ev.Text] {
						t.Errorf("evidence %q is not a sentence of a document in scope", ev.Text)
					}
				}
			}
		})
	}

	// Two statements of one contact are one link with two sentences, in
	// document order, quoted as written.
	m, a := byName(whole, "Zakaria Mansour"), byName(whole, "Karim Bouzidi")
	var contact *Link
	for i, l := range whole.Links {
		if l.From == m.Key && l.To == a.Key && l.Type == mosaic.Contact && !l.Negated {
			contact = &whole.Links[i]
		}
	}
	if contact == nil {
		t.Fatalf("no contact link Mansour → Karim Bouzidi: %q", linksOf(whole))
	}
	var texts []string
	for _, ev := range contact.Evidence {
		texts = append(texts, ev.Text)
	}
	if want := []string{caseSentences[0].text, caseSentences[3].text}; !slices.Equal(texts, want) {
		t.Errorf("contact evidence %q, want %q", texts, want)
	}
	if ev := contact.Evidence[0]; ev.FromText != "Zakaria Mansour" || ev.ToText != "Karim Bouzidi" || ev.Cue != "was in touch with" ||
		ev.Confidence != 0.9 || !ev.Date.Equal(time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("first evidence %+v", ev)
	}
	if contact.Weight < 1.79 || contact.Weight > 1.81 || contact.First.Day() != 1 || contact.Last.Day() != 4 {
		t.Errorf("link weight %v, dates %v – %v; want 1.8, 1 to 4 June", contact.Weight, contact.First, contact.Last)
	}
	// Karim Bouzidi lies between Mansour and the group: the broker, in the
	// community of those he links.
	if a.Centrality <= 0 || a.Centrality > 1 || m.Centrality != 0 || a.Degree != 3 || a.Community < 0 {
		t.Errorf("Karim Bouzidi: centrality %v, degree %d, community %d; Mansour %v", a.Centrality, a.Degree, a.Community, m.Centrality)
	}
	if b := byName(whole, "Lee Barrow"); b.Community != -1 || b.Degree != 0 || b.First.Day() != 6 {
		t.Errorf("Lee Barrow, named without a link: %+v", b)
	}

	// A collection or an entity outside the scope is not found.
	if _, err := Read(ctx, st, Filter{Scope: police, Collection: "intel"}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the police reading intel's collection: %v, want not found", err)
	}
	khalil := byName(whole, "Omar Khalil")
	var kid mosaic.EntityID
	for _, r := range khalil.Key {
		kid = kid*10 + mosaic.EntityID(r-'0')
	}
	if _, err := Read(ctx, st, Filter{Scope: police, Entity: kid, Hops: 1}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the police reading around an entity only intel names: %v, want not found", err)
	}
}

// TestLoad loads a store's case into an empty store and reads it back:
// the same entities, names, links with their sentences, and incidents;
// loading it again adds nothing, and a bad case stores nothing.
func TestLoad(t *testing.T) {
	ctx := context.Background()
	src := testStore(t)
	want, err := Read(ctx, src, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	dst, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer dst.Close()
	opts := LoadOptions{Collection: "imported", Agency: "Desk", File: "case.zip"}
	stats, err := Load(ctx, dst, want, opts)
	if err != nil {
		t.Fatal(err)
	}
	if stats.New != stats.Documents || stats.Incidents != 2 || stats.Entities != 7 {
		t.Errorf("load: %+v, want every document new, 2 incidents, 7 entities", stats)
	}
	got, err := Read(ctx, dst, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	if g, w := names(got), names(want); !slices.Equal(g, w) {
		t.Errorf("entities after the round trip %q, want %q", g, w)
	}
	if g, w := linksOf(got), linksOf(want); !slices.Equal(g, w) {
		t.Errorf("links after the round trip %q, want %q", g, w)
	}
	evidence := func(c Case) []string {
		var out []string
		for _, l := range c.Links {
			for _, ev := range l.Evidence {
				out = append(out, ev.Text+" | "+ev.FromText+" | "+ev.ToText+" | "+ev.Cue+" | "+Dated(ev.Date))
			}
		}
		slices.Sort(out)
		return out
	}
	if g, w := evidence(got), evidence(want); !slices.Equal(g, w) {
		t.Errorf("evidence after the round trip:\n%q\nwant\n%q", g, w)
	}
	if len(got.Incidents) != 2 || got.Incidents[0].City != want.Incidents[0].City || got.Incidents[0].Summary != want.Incidents[0].Summary ||
		got.Incidents[0].Killed != want.Incidents[0].Killed || got.Incidents[0].Date != want.Incidents[0].Date {
		t.Errorf("incidents after the round trip %+v, want %+v", got.Incidents, want.Incidents)
	}
	// Provenance: each document says the file and the object it holds.
	for _, d := range got.Documents {
		if !strings.HasPrefix(d.Source, "case.zip#") {
			t.Errorf("document %q has source %q, want case.zip#object", d.Title, d.Source)
		}
	}

	// Loading the file again stores nothing new.
	again, err := Load(ctx, dst, want, opts)
	if err != nil {
		t.Fatal(err)
	}
	if again.New != 0 || again.Incidents != 0 {
		t.Errorf("second load: %+v, want nothing new", again)
	}
	_, total, err := dst.Documents(ctx, store.DocumentFilter{})
	if err != nil || total != stats.Documents {
		t.Errorf("%d documents after loading twice (%v), want %d", total, err, stats.Documents)
	}

	// A case that names an entity it does not hold is refused, naming the
	// file and the link, and nothing is stored.
	bad := want
	bad.Links = append(slices.Clone(want.Links), Link{From: want.Entities[0].Key, To: "no-such", Type: mosaic.Contact})
	empty, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer empty.Close()
	_, err = Load(ctx, empty, bad, LoadOptions{Collection: "x", File: "bad.csv"})
	if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), "bad.csv") || !strings.Contains(err.Error(), `"no-such"`) {
		t.Errorf("bad case: %v, want ErrInvalid naming bad.csv and the key", err)
	}
	if cs, _ := empty.Collections(ctx, store.Scope{}); len(cs) != 0 {
		t.Errorf("a refused case left collections %+v", cs)
	}
}

// TestLoadIntoStore: a case loaded into a store that holds some of its
// entities joins them only for a reason resolution gives: each spelling
// of the entity the store holds says why it is that entity's, the names
// the file gives it naming the file and the object; an entity the store
// does not hold is made new.
func TestLoadIntoStore(t *testing.T) {
	ctx := context.Background()
	st := testStore(t)
	before, err := Read(ctx, st, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	karim := byName(before, "Karim Bouzidi")
	c := Case{Entities: []Entity{
		{Key: "tip-1", Kind: mosaic.Person, Name: "Karim Bouzidi", Names: []string{"Karim Bouzidi", "Abu Karim"}},
		{Key: "tip-2", Kind: mosaic.Person, Name: "Zara Quinn", Names: []string{"Zara Quinn"}},
	}, Links: []Link{{From: "tip-2", To: "tip-1", Type: mosaic.Contact, Evidence: []Evidence{{
		Text: "Zara Quinn met Karim Bouzidi in Lyon.", FromText: "Zara Quinn", ToText: "Karim Bouzidi", Confidence: 0.8}}}}}
	if _, err := Load(ctx, st, c, LoadOptions{Collection: "tips", Agency: "Desk", File: "tip.csv"}); err != nil {
		t.Fatal(err)
	}
	after, err := Read(ctx, st, Filter{})
	if err != nil {
		t.Fatal(err)
	}
	k := byName(after, "Karim Bouzidi")
	if k == nil || k.Key != karim.Key || !slices.Contains(k.Names, "Abu Karim") {
		t.Fatalf("Karim Bouzidi after the load: %+v, want entity %s with the file's other name", k, karim.Key)
	}
	var id int64
	for _, r := range k.Key {
		id = id*10 + int64(r-'0')
	}
	_, spellings, _, err := st.EntitySpellings(ctx, mosaic.EntityID(id), store.Scope{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range spellings {
		if len(s.Why) == 0 {
			t.Errorf("spelling %q tied to Karim Bouzidi without a reason", s.Name)
		}
		if s.Name == "Abu Karim" && !slices.ContainsFunc(s.Why, func(w string) bool { return strings.Contains(w, "tip.csv") && strings.Contains(w, "tip-1") }) {
			t.Errorf("Abu Karim tied for %q, want the file and its object named", s.Why)
		}
	}
	z := byName(after, "Zara Quinn")
	if z == nil || slices.ContainsFunc(before.Entities, func(e Entity) bool { return e.Key == z.Key }) {
		t.Errorf("Zara Quinn after the load: %+v, want a new entity", z)
	}
	if !slices.Contains(linksOf(after), "Zara Quinn contact Karim Bouzidi") {
		t.Errorf("links after the load %q, want Zara Quinn's contact with Karim Bouzidi", linksOf(after))
	}
}
