package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"mosaic"
	"mosaic/internal/corpus"
	"mosaic/internal/store"
)

// entitiesByName lists a store's entities as "KIND name", sorted, with how
// many entities bear each.
func entitiesByName(t *testing.T, db string) map[string]int {
	t.Helper()
	st, err := openStore(context.Background(), db, false)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	seen := map[mosaic.EntityID]bool{}
	names := map[string]int{}
	err = st.EntityNames(context.Background(), func(e mosaic.Entity, _ string) error {
		if !seen[e.ID] {
			seen[e.ID] = true
			names[string(e.Kind)+" "+e.Name]++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return names
}

// queueStatusOf reads mosaic status --json.
func queueStatusOf(t *testing.T, db string) queueStatus {
	t.Helper()
	out, errs, code := runMosaic(t, "status", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("status: exit %d: %s", code, errs)
	}
	var s queueStatus
	if err := json.Unmarshal([]byte(out), &s); err != nil {
		t.Fatalf("status: %v: %s", err, out)
	}
	return s
}

// On SQLite a worker loads the queue alone: files queued twice are queued
// once, every job ends done, every name is resolved, and the result is
// what a plain ingest of the same files gives. A second writer is told
// that one is at work.
func TestWorkerSQLite(t *testing.T) {
	dir := t.TempDir()
	files := filepath.Join(dir, "corpus")
	const n = 60
	if _, err := corpus.New(5).Write(files, n); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "db")
	out, errs, code := runMosaic(t, "ingest", "--db", db, "--queue", "--collection", "news", "--agency", "CTU", files)
	if code != 0 || !strings.Contains(out, fmt.Sprintf("queued %d files (0 queued before)", n)) {
		t.Fatalf("queue: exit %d\n%s%s", code, out, errs)
	}
	if out, _, _ := runMosaic(t, "ingest", "--db", db, "--queue", "--collection", "news", "--agency", "CTU", files); !strings.Contains(out, fmt.Sprintf("queued 0 files (%d queued before)", n)) {
		t.Errorf("queue again: %s", out)
	}
	if s := queueStatusOf(t, db); s.States[store.JobQueued] != n || s.Stored != 0 {
		t.Fatalf("status before: %+v", s)
	}
	release, err := lockFolder(db)
	if err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runMosaic(t, "worker", "--db", db); code == 0 || !strings.Contains(errs, "another mosaic ingest") {
		t.Errorf("a worker beside another writer: exit %d: %s", code, errs)
	}
	release()
	if _, errs, code := runMosaic(t, "worker", "--db", db, "--batch", "0"); code == 0 || !strings.Contains(errs, "--batch must be at least 1") {
		t.Errorf("worker --batch 0: exit %d, stderr %q; want a refusal naming --batch", code, errs)
	}
	// One reader each, so that both resolve the files in one order; the
	// worker in transactions of 7 documents, the plain ingest of 256.
	out, errs, code = runMosaic(t, "worker", "--db", db, "--workers", "1", "--batch", "7")
	if code != 0 {
		t.Fatalf("worker: exit %d\n%s%s", code, out, errs)
	}
	if got := strings.Count(out, "\njob ") + boolInt(strings.HasPrefix(out, "job ")); got != n {
		t.Errorf("worker reported %d jobs, want %d:\n%s", got, n, out)
	}
	s := queueStatusOf(t, db)
	if s.States[store.JobDone] != n || s.States[store.JobFailed] != 0 || s.Stored != n || s.New != n || s.Unresolved != 0 {
		t.Errorf("status after: %+v", s)
	}
	plain := filepath.Join(dir, "plain")
	if _, errs, code := runMosaic(t, "ingest", "--db", plain, "--collection", "news", "--agency", "CTU", "--workers", "1", "--alerts=false", "--discover=false", files); code != 0 {
		t.Fatalf("plain ingest: %s", errs)
	}
	if got, want := entitiesByName(t, db), entitiesByName(t, plain); !mapsEqual(got, want) {
		t.Errorf("the worker resolved %d entities, a plain ingest %d", len(got), len(want))
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

func mapsEqual(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// On PostgreSQL several workers share the queue. One is killed (SIGKILL)
// after it has finished some jobs and claimed more; two others then load
// the rest, taking over the dead worker's jobs once their leases lapse
// (the end finds every job done, so they did).
// Every file ends done, every document is stored once and resolved, and
// no entity is made twice by workers resolving apart.
func TestWorkersPostgres(t *testing.T) {
	if testing.Short() {
		t.Skip("generates and ingests a corpus with several processes")
	}
	db := pgTestDB(t)
	dir := t.TempDir()
	files := filepath.Join(dir, "corpus")
	const n = 240
	if _, err := corpus.New(9).Write(files, n); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runMosaic(t, "ingest", "--db", db, "--queue", "--collection", "news", "--agency", "CTU", files); code != 0 {
		t.Fatalf("queue: %s", errs)
	}

	// The first worker is killed once it has finished its first claim of
	// jobs and holds the next.
	first := mosaicProcess(t, "worker", "--db", db, "--lease", "3s", "--workers", "1")
	stdout, err := first.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := first.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(stdout)
	reported := 0
	for reported < jobsPerClaim && sc.Scan() {
		if strings.HasPrefix(sc.Text(), "job ") {
			reported++
		}
	}
	var s queueStatus
	for range 200 {
		if s = queueStatusOf(t, db); s.States[store.JobRunning] > 0 {
			break
		}
	}
	first.Process.Kill()
	first.Wait()
	s = queueStatusOf(t, db)
	t.Logf("after the kill: %v, %d stored", s.States, s.Stored)
	if reported < jobsPerClaim || s.States[store.JobDone] < jobsPerClaim || s.States[store.JobRunning] == 0 {
		t.Fatalf("after the kill: %d reported, %v; want a claim done and one held by the dead worker", reported, s.States)
	}

	var wg sync.WaitGroup
	outs := make([]string, 2)
	for i := range outs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cmd := mosaicProcess(t, "worker", "--db", db, "--lease", "3s", "--workers", "1")
			b, err := cmd.CombinedOutput()
			outs[i] = string(b)
			if err != nil {
				t.Errorf("worker %d: %v\n%s", i, err, b)
			}
		}()
	}
	wg.Wait()
	s = queueStatusOf(t, db)
	if s.States[store.JobDone] != n || s.States[store.JobFailed] != 0 || s.States[store.JobRunning] != 0 {
		t.Errorf("jobs at the end: %v", s.States)
	}
	if s.Stored != n || s.Unresolved != 0 {
		t.Errorf("documents at the end: %d stored (want %d), %d unresolved", s.Stored, n, s.Unresolved)
	}
	for i, out := range outs {
		if !strings.Contains(out, "job ") {
			t.Errorf("worker %d loaded nothing:\n%s", i, out)
		}
	}
	// A name is one entity however the workers split the files.
	names := entitiesByName(t, db)
	var twice []string
	for name, k := range names {
		if k > 1 {
			twice = append(twice, fmt.Sprintf("%s ×%d", name, k))
		}
	}
	slices.Sort(twice)
	plain := filepath.Join(dir, "plain")
	if _, errs, code := runMosaic(t, "ingest", "--db", plain, "--collection", "news", "--agency", "CTU", "--alerts=false", "--discover=false", files); code != 0 {
		t.Fatalf("plain ingest: %s", errs)
	}
	want := entitiesByName(t, plain)
	if len(twice) > 0 || len(names) != len(want) {
		t.Errorf("workers made %d entities (%d names more than once: %v); a plain ingest %d", len(names), len(twice), twice, len(want))
	}
}
