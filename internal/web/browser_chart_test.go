package web

import (
	"context"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// TestBrowserChart runs e2e/chart.mjs against the network fixture: the link
// chart opened from a profile draws on its canvas, grows when a node is
// expanded, quotes a link's sentences when it is clicked, highlights the
// path from the lone actor to the group, filters by type and date, exports
// GraphML and PNG. Then the editing: Quist and Kallweit shift-clicked and
// grouped into a box with a hostile name, drawn around both and escaped in
// the SVG export, whose node shapes are counted; an expansion undone (the
// node count falls back) and redone; Antwerp expanded to Pieter Vos, whom
// only a Regional Police field report places there, and the Joint Analysis
// Cell's agency unticked, hiding the links its case notes state and keeping
// that one; the chart saved as "case-a", listed on #/chart, reopened with
// the same nodes, links and box, and deleted; #/chart?entities= of three
// entities drawing the two links among them. Last it draws a generated
// graph of 10,000 nodes and 100,000 edges and prints the time to first
// draw and the frames per second while panning (go test -v shows them).
// MOSAIC_SCREENSHOT=/path/shot.png keeps screenshots of the chart.
func TestBrowserChart(t *testing.T) {
	f := newNetworkFixture(t)
	vos := related(ingest(t, reports, "Field report 21: a flat in Antwerp",
		"Pieter Vos lives in Antwerp.",
		date(2017, 4, 20), nil,
		m("Pieter Vos", mosaic.Person, ""),
		m("Antwerp", mosaic.Location, "")))
	if _, err := f.store.Add(context.Background(), []store.Ingested{vos}); err != nil {
		t.Fatal(err)
	}
	f.resolve(t)
	s := f.server(nil)
	s.Charts, s.Incidents = f.store, f.store
	runBrowser(t, f.fixture, "chart.mjs", s.Handler())
}
