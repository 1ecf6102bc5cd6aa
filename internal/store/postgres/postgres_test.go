package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"net/url"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"mosaic/internal/store"
	"mosaic/internal/store/postgres"
	"mosaic/internal/store/sqlstore"
	"mosaic/internal/store/storetest"
)

// EnvTest names the variable holding the address of a PostgreSQL server
// the tests may create schemas in (scripts/postgres.sh starts one).
const EnvTest = "MOSAIC_TEST_POSTGRES"

var schemas atomic.Int64

// openTest opens a store in a schema of its own on the test server,
// dropped when the test ends.
func openTest(t *testing.T) *postgres.Store {
	s, _ := openTestURL(t)
	return s
}

// openTestURL is openTest, with the address of the store's schema.
func openTestURL(t *testing.T) (*postgres.Store, string) {
	t.Helper()
	base := os.Getenv(EnvTest)
	if base == "" {
		t.Skipf("no PostgreSQL server: set %s (scripts/postgres.sh start)", EnvTest)
	}
	ctx := context.Background()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	defer admin.Close()
	schema := fmt.Sprintf("t%d_%d", time.Now().UnixNano()%1e9, schemas.Add(1))
	if _, err := admin.ExecContext(ctx, `CREATE SCHEMA `+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		db, err := sql.Open("pgx", base)
		if err != nil {
			t.Error(err)
			return
		}
		defer db.Close()
		if _, err := db.ExecContext(context.Background(), `DROP SCHEMA `+schema+` CASCADE`); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	key, err := sqlstore.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := postgres.Open(ctx, u.String(), sqlstore.WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, u.String()
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t) })
}
