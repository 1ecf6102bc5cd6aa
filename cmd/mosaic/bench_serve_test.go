package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"
)

func TestBenchServe(t *testing.T) {
	dir := t.TempDir()
	bench := func() ([]endpointLatency, string) {
		t.Helper()
		out, errs, code := runMosaic(t, "bench", "serve", "--docs", "case,30", "--requests", "70", "--clients", "3",
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
		want := 10 // 70 requests over seven endpoints
		if r.Endpoint == "all" {
			want = 70
			if r.PeakRSSMB <= 0 || r.StoreMB <= 0 {
				t.Errorf("%d documents: no peak memory or store size: %+v", r.Documents, r)
			}
			// The generated corpus was ingested by this run, and its rate
			// and memory measured.
			if r.Documents == 30 && (r.IngestDocsPerSec <= 0 || r.IngestPeakRSSMB <= 0) {
				t.Errorf("30 documents: no ingest rate or memory: %+v", r)
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
	if per[70] != 8 || per[30] != 8 {
		t.Errorf("rows per corpus: %v, want eight (seven endpoints and all) for the 70-document case and for 30 documents", per)
	}
	// A second run measures the stores already built, and reports no
	// ingest.
	again, errs := bench()
	if strings.Contains(errs, "files") {
		t.Errorf("the second run ingested again:\n%s", errs)
	}
	for _, r := range again {
		if r.IngestDocsPerSec != 0 {
			t.Errorf("the second run reports an ingest: %+v", r)
		}
	}
}

// TestBenchServePostgres measures the API over the PostgreSQL store, in a
// database of its own on the test server: every endpoint answers, at the
// sample case's size and a generated corpus's.
func TestBenchServePostgres(t *testing.T) {
	base := os.Getenv("MOSAIC_TEST_POSTGRES")
	if base == "" {
		t.Skip("no PostgreSQL server: set MOSAIC_TEST_POSTGRES (scripts/postgres.sh start)")
	}
	pgTestDB(t) // the key
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	name := fmt.Sprintf("bench_%d", time.Now().UnixNano())
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		defer admin.Close()
		if _, err := admin.ExecContext(context.Background(), `DROP DATABASE `+name+` WITH (FORCE)`); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	u.Path = "/" + name
	out, errs, code := runMosaic(t, "bench", "serve", "--docs", "case,30", "--requests", "70", "--clients", "3", "--json", "--postgres", u.String())
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, errs)
	}
	var rows []endpointLatency
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	per := map[int]int{}
	for _, r := range rows {
		per[r.Documents]++
		if r.Errors != 0 || r.Requests == 0 || !(0 < r.P50 && r.P50 <= r.P95 && r.P95 <= r.Max) {
			t.Errorf("%d documents, %s on PostgreSQL: %+v", r.Documents, r.Endpoint, r)
		}
	}
	if per[70] != 8 || per[30] != 8 {
		t.Errorf("rows per corpus: %v, want eight (seven endpoints and all) for the 70-document case and for 30 documents", per)
	}
}
