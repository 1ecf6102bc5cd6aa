package incident

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// TestMatchesAgreesWithStore draws incidents of every date precision and
// filters of every field, and checks that Matches selects exactly what the
// SQLite store's filter does.
func TestMatchesAgreesWithStore(t *testing.T) {
	ctx := context.Background()
	s, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := s.EnsureCollection(ctx, "c", "A"); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(7, 13))
	countries := []string{"Iraq", "IRAQ", "Syria", "Côte d'Ivoire", "côte  d'ivoire", ""}
	groups := []string{"ISIL", "isil", "Boko Haram", "Unknown", "Al-Shabaab"}
	types := []string{"Bombing/Explosion", "Armed Assault", "armed  assault"}
	classes := []mosaic.Attribution{"", mosaic.Directed, mosaic.Inspired, mosaic.AttributionUnknown}
	var batch []mosaic.Incident
	for range 400 {
		in := mosaic.Incident{Date: mosaic.IncidentDate{Year: 2015 + rng.IntN(3)},
			Country:     mosaic.Code{Name: countries[rng.IntN(len(countries))]},
			Region:      mosaic.Code{Name: []string{"MENA", "mena", ""}[rng.IntN(3)]},
			Attribution: classes[rng.IntN(len(classes))]}
		if rng.IntN(8) > 0 {
			in.Date.Month = mosaic.Some(time.Month(1 + rng.IntN(12)))
			if rng.IntN(6) > 0 {
				in.Date.Day = mosaic.Some(1 + rng.IntN(daysIn(in.Date.Year, in.Date.Month.Value)))
			}
		}
		for range rng.IntN(3) {
			in.Perpetrators = append(in.Perpetrators, groups[rng.IntN(len(groups))])
		}
		for range rng.IntN(3) {
			in.AttackTypes = append(in.AttackTypes, mosaic.Code{Name: types[rng.IntN(len(types))]})
		}
		batch = append(batch, in)
	}
	if _, err := s.AddIncidents(ctx, "c", batch); err != nil {
		t.Fatal(err)
	}
	var all []mosaic.Incident
	if err := s.EachIncident(ctx, store.IncidentFilter{}, func(in mosaic.Incident) error {
		all = append(all, in)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	bound := func() time.Time {
		if rng.IntN(2) == 0 {
			return time.Time{}
		}
		// Some bounds in another zone: the day they name is the bound.
		loc := []*time.Location{time.UTC, time.FixedZone("east", 10*3600)}[rng.IntN(2)]
		return time.Date(2015+rng.IntN(3), time.Month(1+rng.IntN(12)), 1+rng.IntN(28), 0, 0, 0, 0, loc)
	}
	pick := func(xs []string) string {
		if rng.IntN(2) == 0 {
			return ""
		}
		return xs[rng.IntN(len(xs))]
	}
	for k := range 300 {
		f := store.IncidentFilter{Since: bound(), Until: bound(), Country: pick(countries), Region: pick([]string{"Mena", "MENA"}),
			Group: pick(groups), AttackType: pick(types)}
		if rng.IntN(2) == 0 {
			f.Attribution = classes[1+rng.IntN(len(classes)-1)]
		}
		var want, got []mosaic.IncidentID
		if err := s.EachIncident(ctx, f, func(in mosaic.Incident) error {
			want = append(want, in.ID)
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		for _, in := range all {
			if Matches(in, f) {
				got = append(got, in.ID)
			}
		}
		if !slices.Equal(got, want) {
			t.Fatalf("filter %d %+v: Matches selects %d incidents, the store %d", k, f, len(got), len(want))
		}
	}
}

func TestDescribe(t *testing.T) {
	since := time.Date(2015, 10, 1, 0, 0, 0, 0, time.UTC)
	until := time.Date(2016, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		f    store.IncidentFilter
		want string
	}{
		{store.IncidentFilter{}, ""},
		{store.IncidentFilter{Country: "Bangladesh", Group: "ISIS", Since: since}, "in Bangladesh by ISIS since 2015-10-01"},
		{store.IncidentFilter{Region: "Western Europe", Group: "ISIS", Attribution: mosaic.Inspired, Until: until},
			"in Western Europe inspired by ISIS until 2016-07-01"},
		{store.IncidentFilter{AttackType: "Bombing/Explosion", Country: "Syria", Region: "MENA", Attribution: mosaic.Directed,
			Since: since, Until: until}, "of type Bombing/Explosion in Syria (MENA) of attribution directed from 2015-10-01 to 2016-07-01"},
		{store.IncidentFilter{Group: "JAT", Attribution: mosaic.ClaimedByBranch}, "by a branch of JAT"},
	} {
		if got := Describe(tt.f); got != tt.want {
			t.Errorf("Describe(%+v) = %q, want %q", tt.f, got, fmt.Sprint(tt.want))
		}
	}
}
