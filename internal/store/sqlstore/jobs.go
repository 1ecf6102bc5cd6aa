package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"mosaic/internal/store"
)

// The ingest queue is kept in ingest_jobs (migration 17 on SQLite, 2 on
// PostgreSQL). Claims are transactions, which take turns on both
// databases (SQLite's immediate transactions, PostgreSQL's advisory
// lock), so a claim's read and its write see no other claim between them.

// leaseFormat writes a lease so that text order is time order: fixed
// width, unlike RFC 3339's trimmed fractions.
const leaseFormat = "2006-01-02T15:04:05.000000000Z"

func formatLease(t time.Time) string { return t.UTC().Format(leaseFormat) }

const jobColumns = `id, collection, agency, path, hash, size, state, worker, attempts, lease,
	queued_at, started_at, finished_at, documents, new, error`

func scanJob(r interface{ Scan(...any) error }) (store.Job, error) {
	var j store.Job
	var state, lease, queued, started, finished string
	err := r.Scan(&j.ID, &j.Collection, &j.Agency, &j.Path, &j.Hash, &j.Size, &state, &j.Worker, &j.Attempts, &lease,
		&queued, &started, &finished, &j.Documents, &j.New, &j.Error)
	j.State = store.JobState(state)
	j.Lease, j.Queued, j.Started, j.Finished = parseTime(lease), parseTime(queued), parseTime(started), parseTime(finished)
	return j, err
}

// EnqueueJobs implements store.Jobs.
func (s *Store) EnqueueJobs(ctx context.Context, jobs []store.Job) (int, error) {
	for _, j := range jobs {
		if j.Collection == "" || j.Path == "" || j.Hash == "" {
			return 0, fmt.Errorf("queue %q: %w: a job needs a collection, a path and a content hash", j.Path, store.ErrInvalid)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("queue: %w", err)
	}
	defer tx.Rollback()
	now := formatTime(time.Now())
	added := 0
	for _, j := range jobs {
		res, err := tx.ExecContext(ctx, `INSERT INTO ingest_jobs (collection, agency, path, hash, size, queued_at)
			VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (collection, hash) DO NOTHING`,
			j.Collection, j.Agency, j.Path, j.Hash, j.Size, now)
		if err != nil {
			return 0, fmt.Errorf("queue %s: %w", j.Path, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, fmt.Errorf("queue %s: %w", j.Path, err)
		}
		added += int(n)
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("queue: %w", err)
	}
	return added, nil
}

// ClaimJobs implements store.Jobs.
func (s *Store) ClaimJobs(ctx context.Context, worker string, n int, now time.Time, lease time.Duration) ([]store.Job, error) {
	fail := func(err error) ([]store.Job, error) { return nil, fmt.Errorf("claim jobs: %w", err) }
	if n <= 0 {
		return fail(fmt.Errorf("%w: claim %d jobs", store.ErrInvalid, n))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	// A job whose worker stopped without a word and that has been tried
	// as often as allowed fails rather than being tried again.
	_, err = tx.ExecContext(ctx, `UPDATE ingest_jobs SET state = ?, finished_at = ?,
		error = 'its worker stopped without finishing it ' || CAST(attempts AS TEXT) || ' times'
		WHERE state = ? AND lease < ? AND attempts >= ?`,
		string(store.JobFailed), formatTime(now), string(store.JobRunning), formatLease(now), store.MaxJobAttempts)
	if err != nil {
		return fail(err)
	}
	rows, err := tx.QueryContext(ctx, `SELECT id FROM ingest_jobs
		WHERE state = ? OR (state = ? AND lease < ?)
		ORDER BY CASE WHEN state = ? THEN 0 ELSE 1 END, id LIMIT ?`,
		string(store.JobQueued), string(store.JobRunning), formatLease(now), string(store.JobQueued), n)
	if err != nil {
		return fail(err)
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return fail(err)
		}
		ids = append(ids, id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	var jobs []store.Job
	for _, id := range ids {
		j, err := scanJob(tx.QueryRowContext(ctx, `UPDATE ingest_jobs SET state = ?, worker = ?, attempts = attempts + 1,
			lease = ?, started_at = ? WHERE id = ? RETURNING `+jobColumns,
			string(store.JobRunning), worker, formatLease(now.Add(lease)), formatTime(now), id))
		if err != nil {
			return fail(err)
		}
		jobs = append(jobs, j)
	}
	// The jobs failed above stay failed, claims or none.
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	if len(jobs) == 0 {
		return nil, store.ErrNotFound
	}
	return jobs, nil
}

// RenewJob implements store.Jobs.
func (s *Store) RenewJob(ctx context.Context, id int64, worker string, until time.Time) error {
	res, err := s.db.ExecContext(ctx, `UPDATE ingest_jobs SET lease = ? WHERE id = ? AND worker = ? AND state = ?`,
		formatLease(until), id, worker, string(store.JobRunning))
	if err != nil {
		return fmt.Errorf("renew job %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("renew job %d: %w", id, err)
	} else if n == 0 {
		return fmt.Errorf("renew job %d: %w: it is no longer %s's", id, store.ErrConflict, worker)
	}
	return nil
}

// FinishJob implements store.Jobs.
func (s *Store) FinishJob(ctx context.Context, id int64, worker string, o store.JobOutcome, now time.Time) error {
	state := store.JobDone
	if o.Failed {
		state = store.JobFailed
	}
	res, err := s.db.ExecContext(ctx, `UPDATE ingest_jobs SET state = ?, finished_at = ?, documents = ?, new = ?, error = ?, lease = ''
		WHERE id = ? AND worker = ? AND state = ?`,
		string(state), formatTime(now), o.Documents, o.New, o.Error, id, worker, string(store.JobRunning))
	if err != nil {
		return fmt.Errorf("finish job %d: %w", id, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("finish job %d: %w", id, err)
	} else if n > 0 {
		return nil
	}
	var holder string
	err = s.db.QueryRowContext(ctx, `SELECT worker FROM ingest_jobs WHERE id = ?`, id).Scan(&holder)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("finish job %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return fmt.Errorf("finish job %d: %w", id, err)
	}
	return fmt.Errorf("finish job %d: %w: it is no longer %s's but %s's", id, store.ErrConflict, worker, holder)
}

// maxFailedListed bounds JobSummary's list of failures.
const maxFailedListed = 20

// JobSummary implements store.Jobs.
func (s *Store) JobSummary(ctx context.Context, agency string) (store.JobSummary, error) {
	sum := store.JobSummary{States: map[store.JobState]int{}, Bytes: map[store.JobState]int64{}}
	fail := func(err error) (store.JobSummary, error) {
		return store.JobSummary{}, fmt.Errorf("job summary: %w", err)
	}
	// The empty agency's ? = '' holds of every row.
	mine := `(? = '' OR agency = ?)`
	rows, err := s.db.QueryContext(ctx, `SELECT state, count(*), coalesce(sum(size), 0), coalesce(sum(documents), 0), coalesce(sum(new), 0)
		FROM ingest_jobs WHERE `+mine+` GROUP BY state`, agency, agency)
	if err != nil {
		return fail(err)
	}
	for rows.Next() {
		var state string
		var n, docs, fresh int
		var bytes int64
		if err := rows.Scan(&state, &n, &bytes, &docs, &fresh); err != nil {
			rows.Close()
			return fail(err)
		}
		sum.States[store.JobState(state)] = n
		sum.Bytes[store.JobState(state)] = bytes
		sum.Documents += docs
		sum.New += fresh
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	var first, last string
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(min(NULLIF(started_at, '')), ''), coalesce(max(finished_at), '') FROM ingest_jobs WHERE `+mine, agency, agency).Scan(&first, &last); err != nil {
		return fail(err)
	}
	sum.First, sum.Last = parseTime(first), parseTime(last)
	list := func(q string, args ...any) ([]store.Job, error) {
		rows, err := s.db.QueryContext(ctx, `SELECT `+jobColumns+` FROM ingest_jobs WHERE `+mine+` AND `+q, append([]any{agency, agency}, args...)...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var out []store.Job
		for rows.Next() {
			j, err := scanJob(rows)
			if err != nil {
				return nil, err
			}
			out = append(out, j)
		}
		return out, rows.Err()
	}
	if sum.Running, err = list(`state = ? ORDER BY started_at, id`, string(store.JobRunning)); err != nil {
		return fail(err)
	}
	if sum.Failed, err = list(`state = ? ORDER BY finished_at DESC, id DESC LIMIT ?`, string(store.JobFailed), maxFailedListed); err != nil {
		return fail(err)
	}
	return sum, nil
}
