package incident

import (
	"errors"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// TestOrdinal counts attacks in Bangladesh by ISIS since 2015-10-01: three
// of them, the second told by a GTD row and a report that merge, so it is
// counted once and either ID finds it; one before the bound, one by
// another group and one elsewhere are not in the series.
func TestOrdinal(t *testing.T) {
	bd := mosaic.Code{ID: 16, Name: "Bangladesh"}
	bomb := []mosaic.Code{{ID: 3, Name: "Bombing/Explosion"}}
	crit := func(in mosaic.Incident, ok bool) mosaic.Incident {
		in.Crit1, in.Crit2, in.Crit3, in.Doubt = mosaic.Some(true), mosaic.Some(true), mosaic.Some(ok), mosaic.Some(false)
		return in
	}
	ins := []mosaic.Incident{
		crit(mosaic.Incident{ID: 1, EventID: "e1", Date: dayDate(2015, time.September, 28), Country: bd, City: "Dhaka",
			AttackTypes: bomb, Perpetrators: []string{"ISIS"}}, true),
		crit(mosaic.Incident{ID: 2, EventID: "e2", Date: dayDate(2015, time.October, 3), Country: bd, City: "Rangpur",
			AttackTypes: bomb, Perpetrators: []string{"ISIS"}}, true),
		crit(mosaic.Incident{ID: 3, EventID: "e3", Date: dayDate(2015, time.October, 24), Country: bd, City: "Dhaka",
			AttackTypes: bomb, Perpetrators: []string{"ISIS"}}, false),
		{ID: 9, Date: dayDate(2015, time.October, 25), Country: mosaic.Code{Name: "bangladesh"}, City: "DHAKA",
			AttackTypes: bomb, Perpetrators: []string{"isis"}},
		crit(mosaic.Incident{ID: 4, EventID: "e4", Date: dayDate(2015, time.November, 4), Country: bd, City: "Bogra",
			AttackTypes: bomb, Perpetrators: []string{"JMB"}}, true),
		crit(mosaic.Incident{ID: 5, EventID: "e5", Date: dayDate(2016, time.July, 1), Country: bd, City: "Dhaka",
			AttackTypes: []mosaic.Code{{ID: 6, Name: "Hostage Taking (Kidnapping)"}}, Perpetrators: []string{"ISIS"}}, true),
		crit(mosaic.Incident{ID: 6, EventID: "e6", Date: dayDate(2016, time.July, 2), Country: mosaic.Code{ID: 95, Name: "Iraq"},
			AttackTypes: bomb, Perpetrators: []string{"ISIS"}}, true),
	}
	groups := Merge(ins, nil)
	f := store.IncidentFilter{Country: "Bangladesh", Group: "ISIS", Since: time.Date(2015, 10, 1, 0, 0, 0, 0, time.UTC)}
	for _, tt := range []struct {
		id   mosaic.IncidentID
		rule Rule
		n, m int
		text string
	}{
		{2, All, 1, 3, "attack 1 of 3 in Bangladesh by ISIS since 2015-10-01"},
		{3, All, 2, 3, "attack 2 of 3 in Bangladesh by ISIS since 2015-10-01"},
		{9, All, 2, 3, "attack 2 of 3 in Bangladesh by ISIS since 2015-10-01"},
		{5, All, 3, 3, "attack 3 of 3 in Bangladesh by ISIS since 2015-10-01"},
		{5, Strict, 2, 2, "attack 2 of 2 in Bangladesh by ISIS since 2015-10-01 (rule strict)"},
	} {
		p, err := Ordinal(groups, tt.id, f, tt.rule)
		if err != nil {
			t.Errorf("Ordinal(%d, %s): %v", tt.id, tt.rule, err)
			continue
		}
		if p.N != tt.n || p.M != tt.m || p.Text != tt.text || p.Rule != tt.rule {
			t.Errorf("Ordinal(%d, %s) = %+v, want %d of %d, %q", tt.id, tt.rule, p, tt.n, tt.m, tt.text)
		}
	}
	if p, _ := Ordinal(groups, 9, f, All); p.Incident != 3 {
		t.Errorf("the report's attack is group %d, want 3 (its GTD row's, the lowest ID)", p.Incident)
	}
	for _, tt := range []struct {
		id   mosaic.IncidentID
		rule Rule
		want error
	}{
		{1, All, store.ErrInvalid},    // before the bound
		{4, All, store.ErrInvalid},    // another group
		{3, Strict, store.ErrInvalid}, // the rule leaves it out
		{77, All, store.ErrNotFound},
		{2, "loose", store.ErrInvalid},
	} {
		if _, err := Ordinal(groups, tt.id, f, tt.rule); !errors.Is(err, tt.want) {
			t.Errorf("Ordinal(%d, %s): %v, want %v", tt.id, tt.rule, err, tt.want)
		}
	}
	if p, err := Ordinal(groups, 6, store.IncidentFilter{}, ""); err != nil || p.Text != "attack 6 of 6" {
		t.Errorf("unfiltered: %+v, %v", p, err)
	}
}

// TestTempoCountsAttacks: a GTD row and two reports of one attack, merged,
// count once in the tempo; unmerged they count three times.
func TestTempoCountsAttacks(t *testing.T) {
	row, report := k3()
	news := report
	news.ID, news.Date = 9, dayDate(2016, time.June, 25)
	ins := []mosaic.Incident{row, report, news}
	merged, err := ComputeTempo(Attacks(Merge(ins, nil)), TempoOptions{Period: Month})
	if err != nil {
		t.Fatal(err)
	}
	rows, err := ComputeTempo(ins, TempoOptions{Period: Month})
	if err != nil {
		t.Fatal(err)
	}
	if merged.Counted != 1 || rows.Counted != 3 {
		t.Errorf("counted %d merged and %d as rows, want 1 and 3", merged.Counted, rows.Counted)
	}
}
