package sqlstore

import (
	"context"
	"sync"
	"time"
)

// On SQLite a committed transaction is appended to the write-ahead log,
// and a checkpoint copies the log's pages back into the database file.
// SQLite's own automatic checkpoint runs inside the commit that takes the
// log past a threshold, on the writer's time: an ingest's one writer spent
// a sixth of its commit time on it at 10,000 documents, while a reader's
// CPU stood idle. The store checkpoints on a connection of its own
// instead, after each batch it adds and every few seconds, while the writer
// goes on with the next batch; a PASSIVE checkpoint waits for no reader or
// writer, and copies what no reader still needs. SQLite's own checkpoint is
// kept at a higher threshold (autoCheckpointPages), for a log this one
// cannot keep short.

// autoCheckpointPages is the log's length, in pages, at which a commit
// checkpoints itself (SQLite's default is 1,000).
const autoCheckpointPages = 8192

// checkpointEvery is how often the store checkpoints when no batch asks.
const checkpointEvery = 2 * time.Second

// checkpointer runs the store's checkpoints.
type checkpointer struct {
	kick    chan struct{}
	stop    chan struct{}
	done    chan struct{}
	stopped sync.Once
}

// startCheckpoints starts checkpointing s's log in the background.
func (s *Store) startCheckpoints() {
	c := &checkpointer{kick: make(chan struct{}, 1), stop: make(chan struct{}), done: make(chan struct{})}
	s.ckpt = c
	go func() {
		defer close(c.done)
		t := time.NewTicker(checkpointEvery)
		defer t.Stop()
		for {
			select {
			case <-c.stop:
				return
			case <-c.kick:
			case <-t.C:
			}
			// An error (the database closing, a disk full) leaves the log
			// to the commits' own checkpoint.
			s.checkpoint(context.Background(), "PASSIVE")
		}
	}()
}

// checkpointSoon asks for a checkpoint once s has committed a batch; it
// does not wait for it.
func (s *Store) checkpointSoon() {
	if s.ckpt == nil {
		return
	}
	select {
	case s.ckpt.kick <- struct{}{}:
	default:
	}
}

// stopCheckpoints waits for a checkpoint under way and stops them; a
// batch committed after asks for none.
func (s *Store) stopCheckpoints() {
	if s.ckpt == nil {
		return
	}
	s.ckpt.stopped.Do(func() { close(s.ckpt.stop) })
	<-s.ckpt.done
}

// checkpoint runs a checkpoint in mode (PASSIVE, FULL, RESTART or
// TRUNCATE), one at a time in this process: SQLite answers a checkpoint
// begun while another runs with "busy" at once, without waiting. It
// returns whether the checkpoint was kept from copying the whole log.
func (s *Store) checkpoint(ctx context.Context, mode string) (busy bool, err error) {
	s.checkpointing.Lock()
	defer s.checkpointing.Unlock()
	var b, log, done int
	err = s.db.raw.QueryRowContext(ctx, `PRAGMA wal_checkpoint(`+mode+`)`).Scan(&b, &log, &done)
	return err == nil && (b != 0 || done != log), err
}
