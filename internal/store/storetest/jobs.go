package storetest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"mosaic/internal/store"
)

// claim claims one job.
func claim(ctx context.Context, s store.Store, worker string, now time.Time, lease time.Duration) (store.Job, error) {
	jobs, err := s.ClaimJobs(ctx, worker, 1, now, lease)
	if err != nil {
		return store.Job{}, err
	}
	if len(jobs) != 1 {
		return store.Job{}, fmt.Errorf("asked for one job, claimed %d", len(jobs))
	}
	return jobs[0], nil
}

// testJobs: the ingest queue hands each job to one worker, oldest first;
// the same content is queued once per collection; a lapsed lease lets
// another worker take the job, and the old worker can then neither renew
// nor finish it; a job whose workers keep dying fails; the summary adds
// up.
func testJobs(t *testing.T, s store.Store) {
	ctx := context.Background()
	job := func(coll, path, hash string) store.Job {
		return store.Job{Collection: coll, Agency: "A", Path: path, Hash: hash, Size: int64(len(path))}
	}
	n, err := s.EnqueueJobs(ctx, []store.Job{job("c", "/in/a.txt", "h1"), job("c", "/in/b.txt", "h2"),
		job("c", "/in/copy-of-a.txt", "h1"), job("d", "/in/a.txt", "h1")})
	if err != nil || n != 3 {
		t.Fatalf("enqueue: %d new, %v; want 3 (the copy of a.txt is the same content for c)", n, err)
	}
	if n, err := s.EnqueueJobs(ctx, []store.Job{job("c", "/in/a.txt", "h1")}); err != nil || n != 0 {
		t.Errorf("enqueue again: %d new, %v; want 0", n, err)
	}
	if _, err := s.EnqueueJobs(ctx, []store.Job{{Collection: "c", Path: "/x"}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a job without a hash: %v, want ErrInvalid", err)
	}

	t0 := time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)
	lease := time.Minute
	a, err := claim(ctx, s, "w1", t0, lease)
	if err != nil || a.Path != "/in/a.txt" || a.Collection != "c" || a.State != store.JobRunning || a.Worker != "w1" || a.Attempts != 1 {
		t.Fatalf("first claim: %+v, %v", a, err)
	}
	if !a.Lease.Equal(t0.Add(lease)) {
		t.Errorf("lease until %v, want %v", a.Lease, t0.Add(lease))
	}
	b, err := claim(ctx, s, "w2", t0, lease)
	if err != nil || b.Path != "/in/b.txt" {
		t.Fatalf("second claim: %+v, %v", b, err)
	}
	d, err := claim(ctx, s, "w2", t0, lease)
	if err != nil || d.Collection != "d" {
		t.Fatalf("third claim: %+v, %v", d, err)
	}
	if _, err := claim(ctx, s, "w3", t0.Add(30*time.Second), lease); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("claim with every job leased: %v, want ErrNotFound", err)
	}
	// w1 renews; w2 goes silent. After a minute w2's jobs are claimed again.
	if err := s.RenewJob(ctx, a.ID, "w1", t0.Add(5*time.Minute)); err != nil {
		t.Fatalf("renew: %v", err)
	}
	later := t0.Add(2 * time.Minute)
	again, err := claim(ctx, s, "w3", later, lease)
	if err != nil || again.ID != b.ID || again.Worker != "w3" || again.Attempts != 2 {
		t.Fatalf("claim after w2's lease lapsed: %+v, %v; want job %d for w3, attempt 2", again, err, b.ID)
	}
	if err := s.RenewJob(ctx, b.ID, "w2", later.Add(time.Hour)); !errors.Is(err, store.ErrConflict) {
		t.Errorf("w2 renews a job w3 holds: %v, want ErrConflict", err)
	}
	if err := s.FinishJob(ctx, b.ID, "w2", store.JobOutcome{Documents: 1, New: 1}, later); !errors.Is(err, store.ErrConflict) {
		t.Errorf("w2 finishes a job w3 holds: %v, want ErrConflict", err)
	}
	if err := s.FinishJob(ctx, 1<<40, "w2", store.JobOutcome{}, later); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("finish a job that does not exist: %v, want ErrNotFound", err)
	}
	if err := s.FinishJob(ctx, a.ID, "w1", store.JobOutcome{Documents: 3, New: 2}, later); err != nil {
		t.Fatalf("finish: %v", err)
	}
	if err := s.FinishJob(ctx, again.ID, "w3", store.JobOutcome{Failed: true, Error: "b.txt: not UTF-8", Documents: 0}, later); err != nil {
		t.Fatalf("finish failed: %v", err)
	}
	if err := s.FinishJob(ctx, a.ID, "w1", store.JobOutcome{}, later); !errors.Is(err, store.ErrConflict) {
		t.Errorf("finish twice: %v, want ErrConflict", err)
	}

	// The job of collection d keeps losing its worker: after
	// MaxJobAttempts claims it fails instead of being claimed again.
	at := t0
	for i := 2; i <= store.MaxJobAttempts; i++ {
		at = at.Add(2 * lease)
		j, err := claim(ctx, s, fmt.Sprint("w", 10+i), at, lease)
		if err != nil || j.ID != d.ID || j.Attempts != i {
			t.Fatalf("claim %d of a dying job: %+v, %v", i, j, err)
		}
	}
	at = at.Add(2 * lease)
	if j, err := claim(ctx, s, "w99", at, lease); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("claim after %d lapsed leases: %+v, %v; want the job failed and none left", store.MaxJobAttempts, j, err)
	}

	sum, err := s.JobSummary(ctx, "")
	if err != nil {
		t.Fatal(err)
	}
	if sum.States[store.JobDone] != 1 || sum.States[store.JobFailed] != 2 || sum.States[store.JobQueued] != 0 || sum.States[store.JobRunning] != 0 {
		t.Errorf("states: %v", sum.States)
	}
	if sum.Documents != 3 || sum.New != 2 || sum.Bytes[store.JobDone] != int64(len("/in/a.txt")) {
		t.Errorf("sums: %d documents, %d new, bytes %v", sum.Documents, sum.New, sum.Bytes)
	}
	if len(sum.Failed) != 2 || len(sum.Running) != 0 {
		t.Fatalf("lists: %d failed, %d running", len(sum.Failed), len(sum.Running))
	}
	var dying, bad store.Job
	for _, j := range sum.Failed {
		switch j.ID {
		case d.ID:
			dying = j
		case b.ID:
			bad = j
		}
	}
	if bad.Error != "b.txt: not UTF-8" || dying.Error == "" || dying.Attempts != store.MaxJobAttempts {
		t.Errorf("failures: %+v / %+v", bad, dying)
	}
	if sum.First.IsZero() || sum.Last.IsZero() {
		t.Errorf("first %v, last %v", sum.First, sum.Last)
	}
	// An agency sees its own jobs only.
	if _, err := s.EnqueueJobs(ctx, []store.Job{{Collection: "e", Agency: "B", Path: "/b/secret.txt", Hash: "hb", Size: 5}}); err != nil {
		t.Fatal(err)
	}
	ofB, err := s.JobSummary(ctx, "B")
	if err != nil || ofB.States[store.JobQueued] != 1 || len(ofB.States) != 1 || ofB.Bytes[store.JobQueued] != 5 || len(ofB.Failed) != 0 {
		t.Errorf("B's summary: %+v, %v", ofB, err)
	}
	ofA, err := s.JobSummary(ctx, "A")
	if err != nil || ofA.States[store.JobQueued] != 0 || ofA.States[store.JobFailed] != 2 || len(ofA.Failed) != 2 {
		t.Errorf("A's summary: %+v, %v", ofA, err)
	}
}

// testConcurrentClaims: workers claiming batches at once never share a
// job, and every job is claimed.
func testConcurrentClaims(t *testing.T, s store.Store) {
	ctx := context.Background()
	const jobs, workers = 40, 4
	var batch []store.Job
	for i := range jobs {
		batch = append(batch, store.Job{Collection: "c", Agency: "A", Path: fmt.Sprintf("/in/%d", i), Hash: fmt.Sprint("h", i)})
	}
	if _, err := s.EnqueueJobs(ctx, batch); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	claimed := map[int64]string{}
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			name := fmt.Sprint("w", w)
			for {
				js, err := s.ClaimJobs(ctx, name, 3, time.Now(), time.Hour)
				if errors.Is(err, store.ErrNotFound) {
					return
				}
				if err != nil || len(js) == 0 || len(js) > 3 {
					t.Errorf("claim 3: %d jobs, %v", len(js), err)
					return
				}
				for _, j := range js {
					mu.Lock()
					if other, dup := claimed[j.ID]; dup {
						t.Errorf("job %d claimed by %s and %s", j.ID, other, name)
					}
					claimed[j.ID] = name
					mu.Unlock()
					if err := s.FinishJob(ctx, j.ID, name, store.JobOutcome{Documents: 1, New: 1}, time.Now()); err != nil {
						t.Error(err)
					}
				}
			}
		}()
	}
	wg.Wait()
	if len(claimed) != jobs {
		t.Errorf("%d of %d jobs claimed", len(claimed), jobs)
	}
	sum, err := s.JobSummary(ctx, "A")
	if err != nil || sum.States[store.JobDone] != jobs || sum.New != jobs {
		t.Errorf("summary: %+v, %v", sum.States, err)
	}
}
