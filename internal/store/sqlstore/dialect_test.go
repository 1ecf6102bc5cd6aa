package sqlstore

import (
	"context"
	"database/sql"
	"os"
	"testing"
)

// TestPoolKeepsConnections checks that a connection given back to the pool
// stays open while the pool may hold it: with database/sql's default of two
// idle connections, the third and fourth of an ingest's (the writer, the
// resolver's and the readers' look-ups) were closed after every use, each
// close freeing a SQLite page cache that the next open had to fill again
// (a tenth of the writer's time in a profile of BenchmarkIngestResolved).
func TestPoolKeepsConnections(t *testing.T) {
	onBothStores(t, func(t *testing.T, s *Store) { checkPool(t, s.db.raw) })
}

// onBothStores runs test on a new SQLite store and, if
// MOSAIC_TEST_POSTGRES is set, on a new PostgreSQL one, closing each after.
func onBothStores(t *testing.T, test func(*testing.T, *Store)) {
	t.Run("sqlite", func(t *testing.T) {
		s := openKeyed(t, t.TempDir(), mustKey(t))
		defer s.Close()
		test(t, s)
	})
	t.Run("postgres", func(t *testing.T) {
		if os.Getenv("MOSAIC_TEST_POSTGRES") == "" {
			t.Skip("MOSAIC_TEST_POSTGRES is not set")
		}
		s, err := OpenPostgres(context.Background(), postgresSchema(t), "test", WithKey(mustKey(t)))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		test(t, s)
	})
}

func checkPool(t *testing.T, db *sql.DB) {
	ctx := context.Background()
	limit := db.Stats().MaxOpenConnections
	if limit == 0 {
		t.Fatal("the pool has no limit on open connections")
	}
	var held []*sql.Conn
	for range limit {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, c)
	}
	for _, c := range held {
		if err := c.Close(); err != nil {
			t.Fatal(err)
		}
	}
	st := db.Stats()
	if st.MaxIdleClosed != 0 || st.Idle != limit {
		t.Errorf("after %d connections given back: %d closed as surplus, %d idle", limit, st.MaxIdleClosed, st.Idle)
	}
}

// TestBulkInsertFailsWhole checks that an insert of many rows that fails
// part-way (SQLite's INSERT OR ROLLBACK) leaves nothing of its transaction,
// rows written before it included, and that the store writes on afterwards.
func TestBulkInsertFailsWhole(t *testing.T) {
	onBothStores(t, checkBulkInsertFails)
}

func checkBulkInsertFails(t *testing.T, s *Store) {
	ctx := context.Background()
	count := func() (n int) {
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM cooccurrences`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	write := func(rows ...[]any) error {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		if _, err := tx.ExecContext(ctx, `INSERT INTO cooccurrences (a, b, doc, sentences, name) VALUES (9, 9, 9, 1, '')`); err != nil {
			return err
		}
		if err := execRows(ctx, tx, pairInsert, rows); err != nil {
			return err
		}
		return tx.Commit()
	}
	// Five rows, the fourth the key of the second: the first chunk of four
	// fails after writing three.
	err := write([]any{1, 2, 1, 1, ""}, []any{1, 3, 1, 1, ""}, []any{1, 4, 1, 1, ""}, []any{1, 3, 1, 2, ""}, []any{1, 5, 1, 1, ""})
	if err == nil {
		t.Fatal("a duplicate key was inserted")
	}
	if n := count(); n != 0 {
		t.Errorf("%d rows left by the failed transaction", n)
	}
	if err := write([]any{1, 2, 1, 1, ""}, []any{1, 3, 1, 1, ""}); err != nil {
		t.Fatalf("writing after the failure: %v", err)
	}
	if n := count(); n != 3 {
		t.Errorf("%d rows after the second write, want 3", n)
	}
}
