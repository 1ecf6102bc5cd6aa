package web

import "testing"

// TestBrowserChart runs e2e/chart.mjs against the network fixture: the link
// chart opened from a profile draws on its canvas, grows when a node is
// expanded, quotes a link's sentences when it is clicked, highlights the
// path from the lone actor to the group, filters by type and date, exports
// GraphML and PNG; then it draws a generated graph of 10,000 nodes and
// 100,000 edges and prints the time to first draw and the frames per
// second while panning (go test -v shows them).
// MOSAIC_SCREENSHOT=/path/shot.png keeps screenshots of the chart.
func TestBrowserChart(t *testing.T) {
	f := newNetworkFixture(t)
	runBrowser(t, f.fixture, "chart.mjs", f.server(nil).Handler())
}
