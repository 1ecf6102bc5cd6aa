package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"mosaic/internal/store"
)

// testCharts: a chart saved by name comes back as saved, is replaced by a
// later save of that name, is listed without its body, is its agency's
// alone, and bad names and bodies are refused.
func testCharts(t *testing.T, s store.Store) {
	ctx := context.Background()
	body := json.RawMessage(`{"nodes":[{"id":12,"x":0.5,"y":-1}],"edges":[],"filters":{"types":["contact"]}}`)
	c, err := s.SaveChart(ctx, store.Chart{Name: " Kestrel ", Agency: "A", User: "ana", Body: body})
	if err != nil {
		t.Fatal(err)
	}
	if c.Name != "Kestrel" || c.Saved.IsZero() {
		t.Errorf("saved: %+v", c)
	}
	got, err := s.Chart(ctx, "A", "", "Kestrel")
	if err != nil || string(got.Body) != string(body) || got.User != "ana" || got.Agency != "A" {
		t.Errorf("read back: %+v, %v", got, err)
	}
	// Another agency neither reads, lists nor deletes it.
	if _, err := s.Chart(ctx, "B", "TOP SECRET", "Kestrel"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("agency B reads A's chart: %v", err)
	}
	if l, err := s.ChartList(ctx, "B", "TOP SECRET"); err != nil || len(l) != 0 {
		t.Errorf("agency B's list: %+v, %v", l, err)
	}
	if err := s.DeleteChart(ctx, "B", "TOP SECRET", "Kestrel"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("agency B deletes A's chart: %v", err)
	}
	// A later save of the name replaces it.
	body2 := json.RawMessage(`{"nodes":[]}`)
	if _, err := s.SaveChart(ctx, store.Chart{Name: "Kestrel", Agency: "A", User: "ben", Body: body2}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SaveChart(ctx, store.Chart{Name: "Alum Rock", Agency: "A", Body: body}); err != nil {
		t.Fatal(err)
	}
	l, err := s.ChartList(ctx, "A", "")
	if err != nil || len(l) != 2 || l[0].Name != "Alum Rock" || l[1].Name != "Kestrel" || l[1].User != "ben" || l[0].Body != nil {
		t.Errorf("A's list: %+v, %v", l, err)
	}
	if got, _ := s.Chart(ctx, "A", "", "Kestrel"); string(got.Body) != string(body2) {
		t.Errorf("replaced chart reads %s", got.Body)
	}
	for _, bad := range []store.Chart{
		{Name: "  ", Agency: "A", Body: body},
		{Name: strings.Repeat("n", 201), Agency: "A", Body: body},
		{Name: "list", Agency: "A", Body: json.RawMessage(`[1,2]`)},
		{Name: "broken", Agency: "A", Body: json.RawMessage(`{"nodes":`)},
		{Name: "huge", Agency: "A", Body: json.RawMessage(`{"x":"` + strings.Repeat("a", store.MaxChartBytes) + `"}`)},
		{Name: "odd", Agency: "A", Classification: "HUSH", Body: body},
	} {
		if _, err := s.SaveChart(ctx, bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("save %.40q: %v, want ErrInvalid", bad.Name, err)
		}
	}
	// A chart saved by a SECRET analyst is read only by the agency's users
	// cleared as high, and a less cleared one may not replace it.
	if _, err := s.SaveChart(ctx, store.Chart{Name: "ops", Agency: "A", Classification: "SECRET", Body: body}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Chart(ctx, "A", "RESTRICTED", "ops"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a RESTRICTED reader reads a SECRET chart: %v", err)
	}
	if c, err := s.Chart(ctx, "A", "TOP SECRET", "ops"); err != nil || c.Classification != "SECRET" {
		t.Errorf("a TOP SECRET reader: %+v, %v", c, err)
	}
	if l, _ := s.ChartList(ctx, "A", "RESTRICTED"); len(l) != 2 {
		t.Errorf("a RESTRICTED reader lists %d charts, want the 2 unclassified", len(l))
	}
	if err := s.DeleteChart(ctx, "A", "RESTRICTED", "ops"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a RESTRICTED user deletes a SECRET chart: %v", err)
	}
	if _, err := s.SaveChart(ctx, store.Chart{Name: "ops", Agency: "A", Classification: "RESTRICTED", Body: body2}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a RESTRICTED user replaces a SECRET chart: %v", err)
	}
	if err := s.DeleteChart(ctx, "A", "", "Kestrel"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Chart(ctx, "A", "", "Kestrel"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deleted chart: %v", err)
	}
}
