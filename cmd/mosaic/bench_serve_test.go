package main

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestBenchServe(t *testing.T) {
	dir := t.TempDir()
	bench := func() ([]endpointLatency, string) {
		t.Helper()
		out, errs, code := runMosaic(t, "bench", "serve", "--docs", "case,30", "--requests", "60", "--clients", "3",
			"--json", "--dir", dir)
		if code != 0 {
			t.Fatalf("exit %d\n%s", code, errs)
		}
		var rows []endpointLatency
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("not JSON: %v\n%s", err, out)
		}
		return rows, errs
	}
	rows, errs := bench()
	if !strings.Contains(errs, "30 files") {
		t.Errorf("the generated corpus was not ingested:\n%s", errs)
	}
	per := map[int]int{}
	for _, r := range rows {
		per[r.Documents]++
		want := 10 // 60 requests over six endpoints
		if r.Endpoint == "all" {
			want = 60
			if r.PeakRSSMB <= 0 {
				t.Errorf("%d documents: no peak memory", r.Documents)
			}
		} else if r.FirstMs <= 0 {
			t.Errorf("%d documents, %s: no first request timed", r.Documents, r.Endpoint)
		}
		if r.Requests != want || r.Errors != 0 {
			t.Errorf("%d documents, %s: %d requests, %d errors; want %d and none", r.Documents, r.Endpoint, r.Requests, r.Errors, want)
		}
		if !(0 < r.P50 && r.P50 <= r.P95 && r.P95 <= r.Max) {
			t.Errorf("%d documents, %s: percentiles out of order: %+v", r.Documents, r.Endpoint, r.latencyRow)
		}
	}
	if per[70] != 7 || per[30] != 7 {
		t.Errorf("rows per corpus: %v, want seven for the 70-document case and seven for 30 documents", per)
	}
	// A second run measures the stores already built.
	if _, errs := bench(); strings.Contains(errs, "files") {
		t.Errorf("the second run ingested again:\n%s", errs)
	}
}
