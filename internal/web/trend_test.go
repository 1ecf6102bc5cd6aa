package web

import (
	"fmt"
	"net/http"
	"testing"
	"time"

	"mosaic/internal/trend"
)

func TestEntityTrend(t *testing.T) {
	f, srv, id := networkCase(t)
	h := f.as(analyst, srv.Handler())
	kallweit := id("Idris Kallweit")
	type answer struct {
		Name   string        `json:"name"`
		Weeks  []trend.Week  `json:"weeks"`
		Surges []trend.Surge `json:"surges"`
	}
	// The fixture names Idris Kallweit twice in the meeting report (14
	// June), once in the intercept (20 June) and once in each of the three
	// network documents (1 August); the hostile memo is undated, and the
	// bare "Kallweit" of the digests is another entity. The digests (2–25
	// July) are dated documents of the scope all the same, so their weeks
	// are in the series, as zeros.
	var a answer
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d/trend", kallweit), http.StatusOK, &a, "entity", "name", "weeks", "surges")
	sum := 0
	for i, w := range a.Weeks {
		sum += w.Count
		if w.Start.Weekday() != time.Monday || i > 0 && !w.Start.Equal(a.Weeks[i-1].Start.AddDate(0, 0, 7)) {
			t.Errorf("week %d starts %s, not the Monday after the week before", i, w.Start)
		}
	}
	first, last := a.Weeks[0].Start.Format(time.DateOnly), a.Weeks[len(a.Weeks)-1].Start.Format(time.DateOnly)
	if sum != 2+1+3 || first != "2016-06-13" || last != "2016-08-01" || len(a.Weeks) != 8 || a.Weeks[4].Count != 0 {
		t.Errorf("%d mentions in %d weeks %s to %s, want 6 in the 8 weeks 2016-06-13 to 2016-08-01: %+v", sum, len(a.Weeks), first, last, a.Weeks)
	}
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d/trend?collection=%s", kallweit, reports), http.StatusOK, &a, "entity", "name", "weeks", "surges")
	sum = 0
	for _, w := range a.Weeks {
		sum += w.Count
	}
	if sum != 2+2 {
		t.Errorf("police reports only: %d mentions, want 4", sum)
	}
	wantError(t, h, fmt.Sprintf("/api/v1/entities/%d/trend?collection=%s", kallweit, press), http.StatusNotFound)
	wantError(t, h, "/api/v1/entities/0/trend", http.StatusBadRequest, "id")
}
