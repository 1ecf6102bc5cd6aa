package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mosaic/internal/document"
	"mosaic/internal/entity"
	"mosaic/internal/extract"
	"mosaic/internal/ingest"
	"mosaic/internal/store"
	"mosaic/internal/store/postgres"
)

// queueFiles queues the files under paths (folders walked recursively) as
// jobs of a collection, each with its content's hash, and reports how many
// were new to the queue.
func queueFiles(ctx context.Context, e *env, st store.Store, paths []string, collection, agency string) error {
	if _, err := st.EnsureCollection(ctx, collection, agency); err != nil {
		return err
	}
	var jobs []store.Job
	for _, root := range paths {
		err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !d.Type().IsRegular() {
				return nil
			}
			abs, err := filepath.Abs(path)
			if err != nil {
				return err
			}
			hash, size, err := fileHash(abs)
			if err != nil {
				return err
			}
			jobs = append(jobs, store.Job{Collection: collection, Agency: agency, Path: abs, Hash: hash, Size: size})
			return ctx.Err()
		})
		if err != nil {
			return fmt.Errorf("queue %s: %w", root, err)
		}
	}
	n, err := st.EnqueueJobs(ctx, jobs)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: queued %s (%d queued before); 'mosaic worker' loads them, 'mosaic status' follows them\n",
		collection, plural(n, "file"), len(jobs)-n)
	return nil
}

// fileHash is the SHA-256 of a file's content, in hex, and its size.
func fileHash(path string) (string, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, fmt.Errorf("%s: %w", path, err)
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

func runWorker(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "worker", "[--wait] [--workers N] [--batch N]",
		"Loads the files 'mosaic ingest --queue' queued until the queue is empty and no other\n"+
			"worker holds a job (or, with --wait, until stopped). Several workers may share a\n"+
			"PostgreSQL store's queue: each file is loaded by one of them, and a worker killed mid-file\n"+
			"leaves its jobs to another once their lease lapses (documents are stored by content hash,\n"+
			"so nothing is stored twice). One worker at a time resolves entities, holding the ingest\n"+
			"lock; the others store documents for it to resolve. On SQLite one writer is the rule: a\n"+
			"second worker is told so.")
	db := dbFlag(fs)
	wait := fs.Bool("wait", false, "keep waiting for jobs when the queue is empty")
	workers := fs.Int("workers", 0, "files read in parallel within a job (0: one per CPU, one fewer while names are resolved, leaving the writer one)")
	lease := fs.Duration("lease", 2*time.Minute, "how long a job stays this worker's without a renewal; renewed every third of it")
	poll := fs.Duration("poll", 2*time.Second, "how often an empty queue is asked again (with --wait, or while other workers hold jobs)")
	batch := batchFlag(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if err := checkBatch(*batch); err != nil {
		return err
	}
	if *lease < time.Second || *poll <= 0 {
		return fmt.Errorf("--lease must be at least a second and --poll positive")
	}
	host, _ := os.Hostname()
	w := &worker{e: e, db: *db, name: fmt.Sprintf("%s:%d", host, os.Getpid()), lease: *lease, workers: *workers,
		batch: *batch, extractor: newExtractor()}
	// On SQLite the worker is the one writer: it takes the folder's lock
	// for its whole run, as ingest does.
	if !postgres.IsURL(*db) {
		release, err := lockFolder(*db)
		if err != nil {
			return err
		}
		defer release()
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	w.st = st
	defer w.unlead()
	if err := w.lead(ctx, false); err != nil {
		return err
	}
	failed := 0
	for {
		jobs, err := st.ClaimJobs(ctx, w.name, jobsPerClaim, time.Now(), w.lease)
		if errors.Is(err, store.ErrNotFound) {
			if err := w.resolvePending(ctx); err != nil {
				return err
			}
			// Jobs other workers hold are waited for even without --wait:
			// they end, or their leases lapse (the worker was killed) and
			// this worker takes them, so that the queue is empty when the
			// last worker stops.
			held, err := st.JobSummary(ctx, "")
			if err != nil {
				return err
			}
			if !*wait && held.States[store.JobRunning] == 0 {
				break
			}
			select {
			case <-ctx.Done():
				return w.finish(ctx, failed)
			case <-time.After(*poll):
			}
			if err := w.lead(ctx, false); err != nil {
				return err
			}
			continue
		}
		if err != nil {
			return err
		}
		n, err := w.run(ctx, jobs)
		if err != nil {
			return err
		}
		failed += n
		if err := w.lead(ctx, false); err != nil {
			return err
		}
	}
	return w.finish(ctx, failed)
}

// worker is one mosaic worker process.
type worker struct {
	e         *env
	db        string
	st        store.Store
	name      string
	lease     time.Duration
	workers   int
	batch     int // most documents a write transaction holds
	extractor *extract.Extractor
	// resolver is set while the worker leads: it holds the ingest lock
	// (released by release) and resolves what every worker stores.
	resolver *entity.Resolver
	release  func()
}

// lead makes the worker the one that resolves entities if no other
// process holds the ingest lock (waiting for it when wait is set). A
// leader's resolver starts from the store as it is then, so it knows what
// earlier leaders resolved.
func (w *worker) lead(ctx context.Context, wait bool) error {
	if w.resolver != nil {
		return nil
	}
	if postgres.IsURL(w.db) {
		lock := postgres.LockIngest
		if wait {
			lock = postgres.WaitIngestLock
		}
		release, err := lock(ctx, w.db)
		if err != nil {
			if !wait && strings.Contains(err.Error(), "another mosaic ingest") {
				return nil // another process leads
			}
			return err
		}
		w.release = release
	} else {
		w.release = func() {} // the folder's lock is held already
	}
	r, err := entity.NewResolver(ctx, w.st)
	if err != nil {
		w.unlead()
		return err
	}
	w.resolver = r
	fmt.Fprintf(w.e.stderr, "worker %s resolves entities for the store\n", w.name)
	return w.resolvePending(ctx)
}

func (w *worker) unlead() {
	if w.release != nil {
		w.release()
	}
	w.resolver, w.release = nil, nil
}

// resolvePending resolves what other workers stored, when leading.
func (w *worker) resolvePending(ctx context.Context) error {
	if w.resolver == nil {
		return nil
	}
	n, err := w.resolver.Pending(ctx)
	if n > 0 {
		fmt.Fprintf(w.e.stderr, "resolved the names of %s other workers stored\n", plural(n, "document"))
	}
	return err
}

// finish ends a run: a worker that did not lead waits (a minute at most)
// for the leader to let go, then resolves what is left, so that the last
// worker to stop leaves nothing unresolved.
func (w *worker) finish(ctx context.Context, failed int) error {
	if w.resolver == nil && ctx.Err() == nil {
		waitCtx, cancel := context.WithTimeout(ctx, time.Minute)
		err := w.lead(waitCtx, true)
		cancel()
		if err != nil && !errors.Is(err, context.DeadlineExceeded) {
			return err
		}
	}
	if err := w.resolvePending(ctx); err != nil {
		return err
	}
	if failed > 0 {
		return fmt.Errorf("%s failed; 'mosaic status' lists why", plural(failed, "job"))
	}
	return nil
}

// jobsPerClaim is how many jobs a worker claims at once: they are loaded
// in one run of the pipeline, whose batches then hold many small files'
// documents rather than one file's each.
const jobsPerClaim = 32

// run loads the claimed jobs' files in one run of the pipeline, renewing
// their leases meanwhile, and records each one's outcome. It returns how
// many failed; an error stops the worker (the store is unreachable, or the
// worker lost its jobs).
func (w *worker) run(ctx context.Context, jobs []store.Job) (int, error) {
	jobCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	lost := make(chan error, 1)
	go func() {
		t := time.NewTicker(w.lease / 3)
		defer t.Stop()
		for {
			select {
			case <-jobCtx.Done():
				return
			case <-t.C:
				for _, j := range jobs {
					if err := w.st.RenewJob(jobCtx, j.ID, w.name, time.Now().Add(w.lease)); err != nil && jobCtx.Err() == nil {
						lost <- err
						cancel()
						return
					}
				}
			}
		}
	}()
	outcomes := make([]store.JobOutcome, len(jobs))
	byPath := map[string]int{}
	var paths []string
	for i, j := range jobs {
		hash, _, err := fileHash(j.Path)
		switch {
		case err != nil:
			outcomes[i] = store.JobOutcome{Failed: true, Error: err.Error()}
		case hash != j.Hash:
			outcomes[i] = store.JobOutcome{Failed: true, Error: fmt.Sprintf("%s changed since it was queued", j.Path)}
		default:
			byPath[j.Path] = i
			paths = append(paths, j.Path)
		}
	}
	// One run per collection: a claim may span several.
	for len(paths) > 0 {
		first := jobs[byPath[paths[0]]]
		var these, rest []string
		for _, p := range paths {
			if j := jobs[byPath[p]]; j.Collection == first.Collection && j.Agency == first.Agency {
				these = append(these, p)
			} else {
				rest = append(rest, p)
			}
		}
		paths = rest
		opts := ingest.Options{Collection: first.Collection, Agency: first.Agency, Workers: w.workers,
			BatchDocs: w.batch, Limits: document.DefaultLimits()}
		if w.resolver != nil { // a follower stores, and the leader resolves
			opts.Resolver = w.resolver
		}
		_, err := ingest.Run(jobCtx, w.st, w.extractor, these, opts, func(ev ingest.Event) {
			i, ok := byPath[ev.Path]
			if !ok {
				return
			}
			o := &outcomes[i]
			o.Documents += ev.Documents
			o.New += ev.New
			if ev.Outcome == ingest.Failed || ev.Outcome == ingest.Skipped {
				o.Failed = true
				o.Error = strings.TrimPrefix(strings.Join([]string{o.Error, ev.Reason}, "; "), "; ")
			}
		})
		select {
		case err := <-lost:
			return 0, fmt.Errorf("jobs of %s: %w", first.Collection, err)
		default:
		}
		if err != nil {
			return 0, fmt.Errorf("jobs of %s: %w", first.Collection, err)
		}
	}
	cancel()
	failed := 0
	for i, j := range jobs {
		o := outcomes[i]
		if err := w.st.FinishJob(ctx, j.ID, w.name, o, time.Now()); err != nil {
			return failed, err
		}
		if o.Failed {
			failed++
			fmt.Fprintf(w.e.stderr, "job %d failed: %s\n", j.ID, o.Error)
		} else {
			fmt.Fprintf(w.e.stdout, "job %d: %s into %s: %s (%d new)\n", j.ID, j.Path, j.Collection,
				plural(o.Documents, "document"), o.New)
		}
	}
	return failed, nil
}
