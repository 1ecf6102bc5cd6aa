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
	t.Run("sqlite", func(t *testing.T) {
		s := openKeyed(t, t.TempDir(), mustKey(t))
		defer s.Close()
		checkPool(t, s.db.raw)
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
		checkPool(t, s.db.raw)
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
