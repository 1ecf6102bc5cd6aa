package postgres_test

import (
	"context"
	"fmt"
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
	schema := fmt.Sprintf("t%d_%d", time.Now().UnixNano()%1e9, schemas.Add(1))
	addr, err := postgres.InSchema(ctx, base, schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := postgres.DropSchema(context.Background(), base, schema); err != nil {
			t.Errorf("drop schema %s: %v", schema, err)
		}
	})
	key, err := sqlstore.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	s, err := postgres.Open(ctx, addr, sqlstore.WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s, addr
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store { return openTest(t) })
}
