package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"mosaic/internal/store"
)

// saveCharts gives each agency a chart of its own, saved by an analyst
// cleared SECRET, its body naming what that agency holds: alpha's main
// collection's places, bravo's SECRET collection's.
func (f *matrix) saveCharts(t testing.TB) {
	t.Helper()
	for agency, marker := range map[string]string{alpha: "Aldermoor", bravo: "Nightjar"} {
		body, _ := json.Marshal(map[string]any{"nodes": []map[string]any{{"id": 1, "label": marker}}})
		if _, err := f.store.SaveChart(context.Background(), store.Chart{Name: agency + "-plan", Agency: agency,
			User: agency + "-analyst", Classification: "SECRET", Body: body}); err != nil {
			t.Fatal(err)
		}
	}
}

// chartProbes exercise the chart routes: the caller's agency's chart
// (which a RESTRICTED colleague may not read, as it was saved by a SECRET
// analyst), the other agency's (which no one else finds), a save, a body
// that is no chart, and a delete of a chart that is not there.
func chartProbes(op string) func(f *matrix, c who) []probe {
	return func(f *matrix, c who) []probe {
		other := bravo
		if c.agency == bravo {
			other = alpha
		}
		own := http.StatusOK
		if c.restricted {
			own = http.StatusNotFound
		}
		switch op {
		case "list":
			return []probe{{"all", "GET", "/api/v1/charts", "", http.StatusOK}}
		case "read":
			return []probe{
				{"own", "GET", "/api/v1/charts/" + c.agency + "-plan", "", own},
				{"foreign", "GET", "/api/v1/charts/" + other + "-plan", "", http.StatusNotFound},
				{"quotes", "GET", "/api/v1/charts/%27%3B%20DROP%20TABLE%20charts", "", http.StatusNotFound},
			}
		case "save":
			return []probe{
				{"new", "PUT", "/api/v1/charts/matrix-" + c.String(), `{"nodes":[]}`, dealWant(c, http.StatusOK)},
				{"not an object", "PUT", "/api/v1/charts/matrix-" + c.String(), `[1,2]`, dealWant(c, http.StatusBadRequest)},
			}
		}
		return []probe{{"absent", "DELETE", "/api/v1/charts/none-such", "", dealWant(c, http.StatusNotFound)}}
	}
}

// TestChartsRoundTrip: a chart saved through the API reads back as saved
// for the saver's agency, is listed, replaced, deleted, and is another
// agency's never.
func TestChartsRoundTrip(t *testing.T) {
	f := newMatrix(t)
	analyst, other := who{agency: alpha, role: "analyst"}, who{agency: bravo, role: "analyst"}
	body := `{"nodes":[{"id":7,"x":1.5,"y":2}],"layout":"radial"}`
	if code, out := f.call(t, analyst, "PUT", "/api/v1/charts/Harbour%20ring", body); code != http.StatusOK {
		t.Fatalf("save: %d %s", code, out)
	}
	code, out := f.call(t, analyst, "GET", "/api/v1/charts/Harbour%20ring", "")
	var c store.Chart
	if err := json.Unmarshal([]byte(out), &c); code != http.StatusOK || err != nil || string(c.Body) != body || c.User != analyst.String() || c.Classification != "SECRET" {
		t.Errorf("read back: %d %s", code, out)
	}
	if _, out := f.call(t, analyst, "GET", "/api/v1/charts", ""); !strings.Contains(out, `"Harbour ring"`) || strings.Contains(out, "x\":1.5") {
		t.Errorf("list: %s", out)
	}
	if code, _ := f.call(t, other, "GET", "/api/v1/charts/Harbour%20ring", ""); code != http.StatusNotFound {
		t.Errorf("the other agency reads it: %d", code)
	}
	if code, _ := f.call(t, analyst, "DELETE", "/api/v1/charts/Harbour%20ring", ""); code != http.StatusNoContent {
		t.Errorf("delete: %d", code)
	}
	if code, _ := f.call(t, analyst, "GET", "/api/v1/charts/Harbour%20ring", ""); code != http.StatusNotFound {
		t.Errorf("deleted chart: %d", code)
	}
}
