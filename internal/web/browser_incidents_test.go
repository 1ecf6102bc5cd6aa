package web

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// placedAttack is an attack the incident browser test adds to alpha's
// collection: a report read from a sentence of alpha's first document,
// with coordinates, so that it has evidence to quote and a place on the
// map.
type placedAttack struct {
	date, city string
	lat, lon   float64
}

// placedAttacks are far apart in time and place, and none is within two
// days of another, so each is an attack of its own.
var placedAttacks = []placedAttack{
	{"2019-01-20", "Kestrel Bay", 51.05, 3.72},
	{"2019-06-14", "Aldermoor", 50.85, 4.35},
	{"2019-09-05", "Lowmarsh", 48.86, 2.35},
}

// TestBrowserIncidents runs e2e/incidents.mjs on the authorisation
// matrix, logged in as one of alpha's analysts: the dashboard's count of
// attacks, an attack's evidence sentence and merge, the tempo chart, the
// map's countries and markers, and the timeline's brush narrowing the
// list. What the page should show is worked out here from the fixture.
func TestBrowserIncidents(t *testing.T) {
	m := newMatrix(t)
	ctx := context.Background()
	if _, err := m.store.AddUser(ctx, store.User{Name: analyst, Agency: alpha, Role: store.Analyst, Clearance: "SECRET"}, ""); err != nil {
		t.Fatal(err)
	}
	doc := m.docs[alphaMain][0].Doc
	sentence := doc.Text[:strings.IndexByte(doc.Text, '\n')]
	var batch []mosaic.Incident
	for _, p := range placedAttacks {
		var d mosaic.IncidentDate
		if err := d.UnmarshalText([]byte(p.date)); err != nil {
			t.Fatal(err)
		}
		batch = append(batch, mosaic.Incident{
			Date: d, City: p.city, Country: mosaic.Code{ID: 1, Name: "Freedonia"},
			Latitude: mosaic.Some(p.lat), Longitude: mosaic.Some(p.lon),
			AttackTypes: []mosaic.Code{{ID: 2, Name: "Armed Assault"}},
			Killed:      mosaic.Some(1), Wounded: mosaic.Some(2),
			Attribution: mosaic.AttributionUnknown,
			Sources:     []mosaic.IncidentSource{{Name: "report", Doc: doc.ID}},
			Evidence: []mosaic.IncidentEvidence{{Field: mosaic.FieldPlace, Value: p.city + ", Freedonia", Doc: doc.ID,
				Sentence: mosaic.Span{Start: 0, End: len(sentence)}, Quote: sentence, Confidence: 0.85}},
		})
	}
	if _, err := m.store.AddIncidents(ctx, alphaMain, batch); err != nil {
		t.Fatal(err)
	}

	// alpha's attacks: each GTD row of its collection (its report merges
	// with the row of its day) and the placed ones.
	var dates []string
	merged := ""
	for _, r := range matrixIncidents[alphaMain] {
		if r.attacker == "" {
			dates = append(dates, r.date)
		} else {
			merged = r.date
		}
	}
	for _, p := range placedAttacks {
		dates = append(dates, p.date)
	}
	js, err := json.Marshal(dates)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("MOSAIC_ATTACK_DATES", string(js))
	t.Setenv("MOSAIC_MERGED_DATE", merged)
	var placed []string
	for _, p := range placedAttacks {
		placed = append(placed, p.date)
	}
	pjs, err := json.Marshal(placed)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("MOSAIC_PLACED_DATES", string(pjs))
	t.Setenv("MOSAIC_QUOTE", sentence)
	t.Setenv("MOSAIC_QUOTE_DOC", string(doc.ID))
	runBrowser(t, &fixture{store: m.store}, "incidents.mjs", m.h)
}
