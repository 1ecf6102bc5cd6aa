package incident

import (
	"reflect"
	"slices"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

func dayDate(y int, m time.Month, d int) mosaic.IncidentDate {
	return mosaic.IncidentDate{Year: y, Month: mosaic.Some(m), Day: mosaic.Some(d)}
}

var (
	uk        = mosaic.Code{ID: 603, Name: "United Kingdom"}
	syria     = mosaic.Code{ID: 200, Name: "Syria"}
	belgium   = mosaic.Code{ID: 21, Name: "Belgium"}
	assault   = mosaic.Code{ID: 2, Name: "Armed Assault"}
	bombing   = mosaic.Code{ID: 3, Name: "Bombing/Explosion"}
	facility  = mosaic.Code{ID: 7, Name: "Facility/Infrastructure Attack"}
	bouzidi   = mosaic.IncidentActor{Role: mosaic.RoleAttacker, Name: "Karim Bouzidi", Kind: mosaic.Person, Doc: "fr", Mention: mosaic.Span{Start: 10, End: 23}}
	digbethFR = mosaic.IncidentSource{Name: "report", Doc: "fr-2016-06-24"}
)

// k3 is the sample case's coach station stabbing as its GTD-layout row and
// its police report tell it.
func k3() (row, report mosaic.Incident) {
	row = mosaic.Incident{ID: 7, EventID: "201606249006", Date: dayDate(2016, time.June, 24), Country: uk,
		Region: mosaic.Code{ID: 8, Name: "Western Europe"}, City: "Birmingham", AttackTypes: []mosaic.Code{assault},
		Perpetrators: []string{"Jihadi-inspired extremists"}, Wounded: mosaic.Some(2), Killed: mosaic.Some(0),
		Attribution: mosaic.AttributionUnknown, Crit1: mosaic.Some(true), Doubt: mosaic.Some(false),
		Sources: []mosaic.IncidentSource{{Name: "GTD", Row: 7}}}
	report = mosaic.Incident{ID: 3, Date: dayDate(2016, time.June, 24), Country: mosaic.Code{Name: "United Kingdom"},
		City: "Birmingham", AttackTypes: []mosaic.Code{assault}, Perpetrators: []string{"Karim Bouzidi"},
		Wounded: mosaic.Some(3), Claimed: mosaic.Some(true), Attribution: mosaic.Directed, AttributedTo: "Jund al-Tawhid",
		Actors: []mosaic.IncidentActor{bouzidi}, Sources: []mosaic.IncidentSource{digbethFR},
		Evidence: []mosaic.IncidentEvidence{{Field: mosaic.FieldWounded, Value: "3", Doc: "fr", Confidence: 0.8}}}
	return row, report
}

func TestCompareExplains(t *testing.T) {
	row, report := k3()
	// The report's country is by name only: it agrees with the row's
	// code by name.
	row.Country.ID, report.Country.ID = 0, 0
	a, b := prepare(&row), prepare(&report)
	score, why, veto := compare(&a, &b)
	if veto != "" {
		t.Fatalf("vetoed: %s", veto)
	}
	want := []string{"same day 2016-06-24", "both Birmingham, United Kingdom", "both Armed Assault", "perpetrator unknown in one"}
	if !slices.Equal(why, want) {
		t.Errorf("why %q, want %q", why, want)
	}
	if want := wDay + wCountry + wCity + wType; score < want-1e-9 || score > want+1e-9 {
		t.Errorf("score %.3f, want %.3f", score, want)
	}
	// A second report naming the attacker: the name counts.
	other := report
	other.ID, other.Date = 4, dayDate(2016, time.June, 25)
	other.City = "birmingham"
	c := prepare(&other)
	_, why, veto = compare(&b, &c)
	want = []string{"one day apart (2016-06-24, 2016-06-25)", "both Birmingham, United Kingdom", "both Armed Assault",
		"attacker Karim Bouzidi named in both"}
	if veto != "" || !slices.Equal(why, want) {
		t.Errorf("why %q (veto %q), want %q", why, veto, want)
	}
}

func TestCompareRules(t *testing.T) {
	base := func() mosaic.Incident {
		return mosaic.Incident{Date: dayDate(2016, time.June, 15), Country: syria, City: "Deir ez-Zor",
			AttackTypes: []mosaic.Code{bombing}, Perpetrators: []string{"Jund al-Tawhid"}}
	}
	tests := []struct {
		name     string
		edit     func(a, b *mosaic.Incident)
		veto     bool
		minScore float64
		maxScore float64
	}{
		{"all agree", func(a, b *mosaic.Incident) {}, false, 1.09, 1.11},
		{"month only is compatible, lower", func(a, b *mosaic.Incident) { b.Date.Day = mosaic.Known[int]{} }, false, 0.89, 0.91},
		{"year only is compatible, lower", func(a, b *mosaic.Incident) { b.Date = mosaic.IncidentDate{Year: 2016} }, false, 0.79, 0.81},
		{"other month", func(a, b *mosaic.Incident) { b.Date = mosaic.IncidentDate{Year: 2016, Month: mosaic.Some(time.July)} }, true, 0, 0},
		{"next day from a text", func(a, b *mosaic.Incident) { b.Date = dayDate(2016, time.June, 16) }, false, 0.94, 0.96},
		{"next day across a month", func(a, b *mosaic.Incident) {
			a.Date, b.Date = dayDate(2016, time.June, 30), dayDate(2016, time.July, 1)
		}, false, 0.94, 0.96},
		{"next day between GTD rows", func(a, b *mosaic.Incident) {
			a.EventID, b.EventID, b.Date = "1", "2", dayDate(2016, time.June, 16)
		}, true, 0, 0},
		{"two days apart", func(a, b *mosaic.Incident) { b.Date = dayDate(2016, time.June, 17) }, true, 0, 0},
		{"other country", func(a, b *mosaic.Incident) { b.Country = mosaic.Code{ID: 95, Name: "Iraq"} }, true, 0, 0},
		{"country by name against code", func(a, b *mosaic.Incident) { b.Country = mosaic.Code{Name: "SYRIA"} }, false, 1.09, 1.11},
		{"country unknown", func(a, b *mosaic.Incident) { b.Country = mosaic.Code{} }, false, 0.94, 0.96},
		{"city accents and case", func(a, b *mosaic.Incident) { a.City, b.City = "Düsseldorf", "DUSSELDORF" }, false, 1.09, 1.11},
		{"city spelling variant", func(a, b *mosaic.Incident) { b.City = "Dayr az Zawr" }, false, 1.02, 1.04},
		{"city against district", func(a, b *mosaic.Incident) { b.City = "al-Jubayla" }, false, 0.74, 0.76},
		{"city unknown", func(a, b *mosaic.Incident) { b.City = "" }, false, 0.84, 0.86},
		{"main type differs, one shared", func(a, b *mosaic.Incident) {
			b.AttackTypes = []mosaic.Code{facility, bombing}
		}, false, 1.04, 1.06},
		{"types differ", func(a, b *mosaic.Incident) { b.AttackTypes = []mosaic.Code{assault} }, true, 0, 0},
		{"type unknown", func(a, b *mosaic.Incident) { b.AttackTypes = nil }, false, 0.94, 0.96},
		{"groups differ", func(a, b *mosaic.Incident) { b.Perpetrators = []string{"Ansar al-Thughur"} }, true, 0, 0},
		{"Unknown is neutral", func(a, b *mosaic.Incident) { b.Perpetrators = []string{"Unknown"} }, false, 0.84, 0.86},
		{"a GTD generic label is neutral", func(a, b *mosaic.Incident) { b.Perpetrators = []string{"Muslim extremists"} }, false, 0.84, 0.86},
		{"abbreviation in brackets", func(a, b *mosaic.Incident) {
			a.Perpetrators = []string{"Islamic State of Iraq and the Levant (ISIL)"}
			b.Perpetrators = []string{"ISIL"}
		}, false, 1.09, 1.11},
		{"initials", func(a, b *mosaic.Incident) {
			a.Perpetrators = []string{"Islamic State of Iraq and Syria"}
			b.Perpetrators = []string{"ISIS"}
		}, false, 1.09, 1.11},
		{"attacker against group is neutral", func(a, b *mosaic.Incident) {
			b.Perpetrators = nil
			b.Actors = []mosaic.IncidentActor{{Role: mosaic.RoleAttacker, Name: "Ilias Ouahbi", Kind: mosaic.Person}}
		}, false, 0.84, 0.86},
		{"attacker in one's actors, other's perpetrators", func(a, b *mosaic.Incident) {
			a.Perpetrators = []string{"Ilias Ouahbi"}
			b.Perpetrators = []string{"Unknown"}
			b.Actors = []mosaic.IncidentActor{{Role: mosaic.RoleAttacker, Name: "ILIAS OUAHBI", Kind: mosaic.Person}}
		}, false, 1.09, 1.11},
		{"far apart", func(a, b *mosaic.Incident) {
			a.Latitude, a.Longitude = mosaic.Some(35.33), mosaic.Some(40.14)
			b.Latitude, b.Longitude = mosaic.Some(33.51), mosaic.Some(36.29)
		}, false, 0.79, 0.81},
		{"near, other names", func(a, b *mosaic.Incident) {
			b.City = "al-Jubayla"
			a.Latitude, a.Longitude = mosaic.Some(35.33), mosaic.Some(40.14)
			b.Latitude, b.Longitude = mosaic.Some(35.35), mosaic.Some(40.12)
		}, false, 0.84, 0.86},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := base(), base()
			tt.edit(&a, &b)
			pa, pb := prepare(&a), prepare(&b)
			score, why, veto := compare(&pa, &pb)
			if (veto != "") != tt.veto {
				t.Fatalf("veto %q, want vetoed %v (why %q)", veto, tt.veto, why)
			}
			if !tt.veto && (score < tt.minScore || score > tt.maxScore) {
				t.Errorf("score %.3f, want %.2f–%.2f (why %q)", score, tt.minScore, tt.maxScore, why)
			}
			// The score does not depend on the order of the pair.
			s2, _, v2 := compare(&pb, &pa)
			if (v2 != "") != (veto != "") || s2 != score {
				t.Errorf("reversed: score %.3f veto %q, want %.3f %q", s2, v2, score, veto)
			}
		})
	}
}

// members lists each group's members.
func members(gs []Group) [][]mosaic.IncidentID {
	out := make([][]mosaic.IncidentID, len(gs))
	for i, g := range gs {
		out[i] = g.Members
	}
	return out
}

func TestMerge(t *testing.T) {
	row, report := k3()
	news := report
	news.ID, news.Date, news.EventID = 9, dayDate(2016, time.June, 25), ""
	news.Sources = []mosaic.IncidentSource{{Name: "news", Doc: "news-2016-06-25"}}
	news.Evidence = nil
	news.Wounded = mosaic.Known[int]{}
	// Another stabbing in Birmingham that day, GTD's row of its own.
	other := row
	other.ID, other.EventID, other.Sources = 8, "201606249007", []mosaic.IncidentSource{{Name: "GTD", Row: 8}}
	antwerp := mosaic.Incident{ID: 2, EventID: "201607029008", Date: dayDate(2016, time.July, 2), Country: belgium, City: "Antwerp",
		AttackTypes: []mosaic.Code{assault}, Perpetrators: []string{"Jihadi-inspired extremists"}}
	groups := Merge([]mosaic.Incident{row, report, news, other, antwerp}, nil)
	got := members(groups)
	// The report and the news could be either of GTD's two rows of that
	// day: they are one attack, and join neither row; GTD's two rows stay
	// two attacks.
	want := [][]mosaic.IncidentID{{3, 9}, {7}, {8}, {2}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("groups %v, want %v", got, want)
	}
	if l := groups[0].Links; len(l) != 1 || l[0].A != 3 || l[0].B != 9 || l[0].Score < Threshold || l[0].Ruling != 0 ||
		l[0].Why != "one day apart (2016-06-24, 2016-06-25); both Birmingham, United Kingdom; both Armed Assault; attacker Karim Bouzidi named in both" {
		t.Errorf("links %+v", l)
	}
	// Without the second row, all three are one attack.
	groups = Merge([]mosaic.Incident{row, report, news, antwerp}, nil)
	if got := members(groups); !reflect.DeepEqual(got, [][]mosaic.IncidentID{{3, 7, 9}, {2}}) {
		t.Fatalf("without the second row, groups %v", got)
	}
	if g := groups[0]; g.ID != 3 || len(g.Links) != 2 {
		t.Errorf("group ID %d, links %+v", g.ID, g.Links)
	}

	// Rulings: the other row is ruled the report's attack, so the report
	// and the news go with it, while the first row is ruled apart from
	// the news and stays alone.
	rulings := []store.IncidentJudgement{
		{ID: 1, A: 3, B: 8, Same: true, Reason: "the 24 June row is this one"},
		{ID: 2, A: 7, B: 9, Same: false},
	}
	groups = Merge([]mosaic.Incident{row, report, news, other, antwerp}, rulings)
	got = members(groups)
	want = [][]mosaic.IncidentID{{3, 8, 9}, {7}, {2}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("with rulings, groups %v, want %v", got, want)
	}
	if l := groups[0].Links[0]; l.Ruling != 1 || l.Score != 1 || l.Why != "an analyst ruled them one attack: the 24 June row is this one" {
		t.Errorf("ruling's link %+v", l)
	}

	// A Same ruling joins what the score would not (other countries);
	// of two that would join a pair ruled different, the later stands.
	rulings = []store.IncidentJudgement{{ID: 5, A: 2, B: 3, Same: true}, {ID: 6, A: 2, B: 7, Same: false},
		{ID: 8, A: 3, B: 7, Same: true}}
	got = members(Merge([]mosaic.Incident{row, report, antwerp}, rulings))
	want = [][]mosaic.IncidentID{{3, 7}, {2}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("contradicting rulings: groups %v, want %v", got, want)
	}

	// One event ID in two collections is one attack.
	twin := row
	twin.ID = 20
	got = members(Merge([]mosaic.Incident{row, twin}, nil))
	if !reflect.DeepEqual(got, [][]mosaic.IncidentID{{7, 20}}) {
		t.Errorf("one event ID twice: %v", got)
	}
}

// TestMergeNoWalk: reports a day apart each may join their neighbour, but
// a group never holds two that are two days apart.
func TestMergeNoWalk(t *testing.T) {
	var ins []mosaic.Incident
	for i := range 4 {
		ins = append(ins, mosaic.Incident{ID: mosaic.IncidentID(i + 1), Date: dayDate(2016, time.June, 10+i),
			Country: syria, City: "Raqqa", AttackTypes: []mosaic.Code{bombing}})
	}
	for _, g := range Merge(ins, nil) {
		first, last := 40, 0
		for _, id := range g.Members {
			d := ins[id-1].Date.Day.Value
			first, last = min(first, d), max(last, d)
		}
		if last-first > 1 {
			t.Errorf("group %v spans %d days", g.Members, last-first)
		}
	}
}

func TestCombine(t *testing.T) {
	row, report := k3()
	row.Attribution = mosaic.AttributionUnknown
	g := Merge([]mosaic.Incident{report, row}, nil)
	if len(g) != 1 {
		t.Fatalf("%d groups, want 1", len(g))
	}
	in := g[0].Incident
	if in.ID != 3 || in.EventID != row.EventID || in.Region != row.Region || in.Country != row.Country {
		t.Errorf("coded fields: id %d, event %q, region %+v, country %+v: want the GTD row's under the lowest ID",
			in.ID, in.EventID, in.Region, in.Country)
	}
	if in.Wounded != row.Wounded || in.Killed != row.Killed {
		t.Errorf("wounded %+v killed %+v: want GTD's", in.Wounded, in.Killed)
	}
	if in.Attribution != mosaic.Directed || in.AttributedTo != "Jund al-Tawhid" {
		t.Errorf("attribution %q to %q: want the report's directed, to Jund al-Tawhid", in.Attribution, in.AttributedTo)
	}
	if !in.Claimed.Valid || !in.Claimed.Value {
		t.Errorf("claimed %+v: want true, as the report says", in.Claimed)
	}
	if !slices.Equal(in.Perpetrators, []string{"Jihadi-inspired extremists", "Karim Bouzidi"}) {
		t.Errorf("perpetrators %q", in.Perpetrators)
	}
	wantSources := []mosaic.IncidentSource{digbethFR, {Name: "GTD", Row: 7}}
	if !reflect.DeepEqual(in.Sources, wantSources) || !reflect.DeepEqual(in.Actors, report.Actors) ||
		!reflect.DeepEqual(in.Evidence, report.Evidence) {
		t.Errorf("sources %+v, actors %+v, evidence %+v: want the union", in.Sources, in.Actors, in.Evidence)
	}
	if !in.Crit1.Valid || !in.Doubt.Valid {
		t.Errorf("criteria lost: crit1 %+v doubt %+v", in.Crit1, in.Doubt)
	}

	// Without GTD, the most wounded any source counts, and the most
	// precise date.
	news := report
	news.ID, news.Wounded, news.Date = 9, mosaic.Some(5), mosaic.IncidentDate{Year: 2016, Month: mosaic.Some(time.June)}
	news.Sources = []mosaic.IncidentSource{{Name: "news"}, digbethFR}
	report.Wounded = mosaic.Some(2)
	g = Merge([]mosaic.Incident{news, report}, nil)
	if len(g) != 1 {
		t.Fatalf("%d groups", len(g))
	}
	in = g[0].Incident
	if w, _ := in.Wounded.Get(); w != 5 || in.Date != report.Date || len(in.Sources) != 2 {
		t.Errorf("wounded %+v, date %v, sources %+v", in.Wounded, in.Date, in.Sources)
	}
}

func TestShape(t *testing.T) {
	for _, names := range [][]string{
		{"Deir ez-Zor", "Dayr az Zawr", "Deir al-Zour"},
		{"al-Mayadin", "Mayadin", "Al Mayadeen"},
		{"Mosul", "Mossul"},
	} {
		want := shape(placeKey(names[0]))
		for _, n := range names[1:] {
			if got := shape(placeKey(n)); !within1(got, want) {
				t.Errorf("shape(%q) = %q, not within an edit of %q's %q", n, got, names[0], want)
			}
		}
	}
	if within1(shape(placeKey("Birmingham")), shape(placeKey("Coventry"))) {
		t.Error("Birmingham reads as Coventry")
	}
}

// GTD's attack type "Unknown" (code 9) agrees with every kind: a report
// that could not tell the kind still meets the row of its attack.
func TestMergeUnknownAttackType(t *testing.T) {
	row, report := k3()
	report.AttackTypes = []mosaic.Code{{ID: 9, Name: "Unknown"}}
	if gs := Merge([]mosaic.Incident{row, report}, nil); len(gs) != 1 {
		t.Errorf("a report of unknown kind and its row: %d attacks, want 1", len(gs))
	}
	report.AttackTypes = []mosaic.Code{{ID: 3, Name: "Bombing/Explosion"}}
	if gs := Merge([]mosaic.Incident{row, report}, nil); len(gs) != 2 {
		t.Errorf("a bombing and a stabbing: %d attacks, want 2", len(gs))
	}
}

// Names resolution made one person are one in the merge, however written.
func TestMergeByEntity(t *testing.T) {
	row, report := k3()
	report.Perpetrators = nil
	report.City, report.Country = "", mosaic.Code{}
	for _, tc := range []struct {
		entity mosaic.EntityID
		want   int
	}{{42, 1}, {43, 2}} {
		row.Actors = []mosaic.IncidentActor{{Role: mosaic.RoleAttacker, Name: "Karim Bouzidi", Kind: mosaic.Person, Entity: 42}}
		report.Actors = []mosaic.IncidentActor{{Role: mosaic.RoleAttacker, Name: "the Digbeth attacker", Kind: mosaic.Person, Entity: tc.entity}}
		if gs := Merge([]mosaic.Incident{row, report}, nil); len(gs) != tc.want {
			t.Errorf("attackers of entities 42 and %d: %d attacks, want %d", tc.entity, len(gs), tc.want)
		}
	}
}
