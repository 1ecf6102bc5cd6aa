package main

import (
	"context"
	"fmt"
	"time"

	"mosaic/internal/store"
)

// queueStatus is what mosaic status reports: the ingest queue, and the
// store's documents and the names still waiting for resolution.
type queueStatus struct {
	store.JobSummary
	// Stored counts the store's documents; Unresolved those whose names no
	// worker has resolved yet (at most unresolvedShown, More saying there
	// are more).
	Stored     int  `json:"stored"`
	Unresolved int  `json:"unresolved"`
	More       bool `json:"unresolved_more,omitempty"`
	// Rate is the finished jobs' documents per second since the first job
	// was queued; Remaining estimates the time the queued and running
	// bytes need at the rate the finished ones took.
	Rate      float64 `json:"documents_per_second"`
	Remaining string  `json:"remaining,omitempty"`
}

// unresolvedShown bounds the count of unresolved documents status asks for.
const unresolvedShown = 10000

func readStatus(ctx context.Context, st store.Store) (queueStatus, error) {
	sum, err := st.JobSummary(ctx, "")
	if err != nil {
		return queueStatus{}, err
	}
	s := queueStatus{JobSummary: sum}
	if _, s.Stored, err = st.Documents(ctx, store.DocumentFilter{Limit: 1}); err != nil {
		return queueStatus{}, err
	}
	ids, err := st.Unresolved(ctx, unresolvedShown+1)
	if err != nil {
		return queueStatus{}, err
	}
	s.Unresolved, s.More = min(len(ids), unresolvedShown), len(ids) > unresolvedShown
	if !sum.First.IsZero() && !sum.Last.IsZero() && sum.Last.After(sum.First) {
		took := sum.Last.Sub(sum.First)
		s.Rate = float64(sum.Documents) / took.Seconds()
		done := sum.Bytes[store.JobDone] + sum.Bytes[store.JobFailed]
		left := sum.Bytes[store.JobQueued] + sum.Bytes[store.JobRunning]
		if done > 0 && left > 0 {
			s.Remaining = time.Duration(float64(took) * float64(left) / float64(done)).Round(time.Second).String()
		}
	}
	return s, nil
}

func runStatus(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "status", "[--json]",
		"The ingest queue: jobs queued, running (with their workers and leases), done and failed (with\n"+
			"the reasons), the documents stored, the documents whose names wait for resolution, the rate\n"+
			"and the time left at that rate.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	s, err := readStatus(ctx, st)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.jsonOut().Encode(s)
	}
	out := e.stdout
	fmt.Fprintf(out, "jobs: %d queued, %d running, %d done, %d failed\n", s.States[store.JobQueued], s.States[store.JobRunning],
		s.States[store.JobDone], s.States[store.JobFailed])
	more := ""
	if s.More {
		more = " or more"
	}
	fmt.Fprintf(out, "documents: %d stored, %d from jobs (%d new); %d%s waiting for resolution\n",
		s.Stored, s.Documents, s.New, s.Unresolved, more)
	if s.Rate > 0 {
		left := ""
		if s.Remaining != "" {
			left = ", about " + s.Remaining + " left at that rate"
		}
		fmt.Fprintf(out, "rate: %.1f documents/s since the first job was queued%s\n", s.Rate, left)
	}
	now := time.Now()
	// A worker claims jobs in batches: one line per worker.
	var workers []string
	byWorker := map[string][]store.Job{}
	for _, j := range s.Running {
		if byWorker[j.Worker] == nil {
			workers = append(workers, j.Worker)
		}
		byWorker[j.Worker] = append(byWorker[j.Worker], j)
	}
	for _, w := range workers {
		js := byWorker[w]
		first := js[0]
		fmt.Fprintf(out, "running: %s by %s (first %s, %s) since %s, lease %s\n", plural(len(js), "job"), w,
			first.Path, first.Collection, first.Started.Local().Format(time.DateTime), leaseLeft(first.Lease, now))
	}
	for _, j := range s.Failed {
		fmt.Fprintf(out, "failed: job %d %s (%s) after %s: %s\n", j.ID, j.Path, j.Collection, plural(j.Attempts, "attempt"), j.Error)
	}
	return nil
}

// leaseLeft says how long a lease has to run, or that it lapsed.
func leaseLeft(lease, now time.Time) string {
	if lease.Before(now) {
		return fmt.Sprintf("lapsed %s ago (its worker stopped; another worker takes the job)", now.Sub(lease).Round(time.Second))
	}
	return fmt.Sprintf("%s left", lease.Sub(now).Round(time.Second))
}
