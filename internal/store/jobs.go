package store

import (
	"context"
	"time"
)

// JobState is where an ingest job stands.
type JobState string

// Job states. A job is queued until a worker claims it, running while the
// worker holds its lease, and done or failed once the worker says so. A
// running job whose lease lapses (its worker was killed) is claimed again.
const (
	JobQueued  JobState = "queued"
	JobRunning JobState = "running"
	JobDone    JobState = "done"
	JobFailed  JobState = "failed"
)

// MaxJobAttempts is how many times a job is claimed before a lapsed lease
// fails it instead: a file that kills every worker that reads it must not
// kill them forever.
const MaxJobAttempts = 3

// Job is one file to ingest into a collection, queued so that several
// worker processes share the work.
type Job struct {
	ID         int64  `json:"id"`
	Collection string `json:"collection"`
	Agency     string `json:"agency"`
	// Path is the file as the workers will open it; Hash is the SHA-256 of
	// its content when queued (hex), and Size its length in bytes.
	Path  string   `json:"path"`
	Hash  string   `json:"hash"`
	Size  int64    `json:"size"`
	State JobState `json:"state"`
	// Worker names the process that holds or held the job; Attempts counts
	// its claims.
	Worker   string `json:"worker,omitempty"`
	Attempts int    `json:"attempts"`
	// Lease is when a running job's worker must have renewed it by, or the
	// job is given to another.
	Lease    time.Time `json:"lease,omitzero"`
	Queued   time.Time `json:"queued"`
	Started  time.Time `json:"started,omitzero"`
	Finished time.Time `json:"finished,omitzero"`
	// Documents counts the documents the file held, New those stored for
	// the first time; Error is why a failed job failed.
	Documents int    `json:"documents"`
	New       int    `json:"new"`
	Error     string `json:"error,omitempty"`
}

// JobOutcome is what a worker reports of a job it finished.
type JobOutcome struct {
	// Failed, with Error, says the job did not complete.
	Failed    bool
	Error     string
	Documents int
	New       int
}

// JobSummary is the queue at a glance, for mosaic status and the page.
type JobSummary struct {
	// States counts the jobs in each state; Bytes sums their files' sizes.
	States map[JobState]int   `json:"states"`
	Bytes  map[JobState]int64 `json:"bytes"`
	// Documents and New sum what the finished jobs held and stored.
	Documents int `json:"documents"`
	New       int `json:"new"`
	// Running lists the running jobs, oldest claim first; Failed the most
	// recently failed ones (at most 20).
	Running []Job `json:"running"`
	Failed  []Job `json:"failed"`
	// First and Last are when the earliest job was started and the
	// latest one finished; zero when none has.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
}

// Jobs is the ingest queue: files queued by mosaic ingest --queue, taken
// by mosaic worker processes, each file processed once however many
// workers run and whichever of them is killed.
type Jobs interface {
	// EnqueueJobs queues jobs in one transaction and returns how many were
	// new. A job whose collection already has a job for the same content
	// (Hash) is not queued again, whatever its path. It returns ErrInvalid
	// for a job without a collection, path or hash.
	EnqueueJobs(ctx context.Context, jobs []Job) (int, error)
	// ClaimJobs gives worker up to n jobs, the oldest queued first, then
	// the oldest running ones whose lease ended before now (their worker
	// stopped without a word), each leased until now+lease. A lapsed job
	// claimed MaxJobAttempts times already is failed instead. It returns
	// ErrNotFound when no job is waiting. Two workers never hold one job.
	ClaimJobs(ctx context.Context, worker string, n int, now time.Time, lease time.Duration) ([]Job, error)
	// RenewJob extends worker's lease of a running job to until. It returns
	// ErrConflict when the job is not running under worker any more (its
	// lease lapsed and another worker claimed it).
	RenewJob(ctx context.Context, id int64, worker string, until time.Time) error
	// FinishJob records the outcome of worker's job at now. It returns
	// ErrConflict when the job is not running under worker, and
	// ErrNotFound when there is no such job.
	FinishJob(ctx context.Context, id int64, worker string, o JobOutcome, now time.Time) error
	// JobSummary sums up the queue's jobs for agency's collections, or
	// every job when agency is empty: a job's path is the queuing agency's
	// business.
	JobSummary(ctx context.Context, agency string) (JobSummary, error)
}
