package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// postgresSchema returns the address of a new schema on the server of
// $MOSAIC_TEST_POSTGRES, dropped when the test ends, or skips the test.
func postgresSchema(t *testing.T) string {
	t.Helper()
	base := os.Getenv("MOSAIC_TEST_POSTGRES")
	if base == "" {
		t.Skip("no PostgreSQL server: set MOSAIC_TEST_POSTGRES (scripts/postgres.sh start)")
	}
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close() })
	schema := fmt.Sprintf("sqlstore_%d", time.Now().UnixNano())
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if _, err := admin.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Error(err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatal(err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

// TestRotateKeyPostgres is TestRotateKey on PostgreSQL: a rotation cut
// short leaves only the old key able to open the store, resumes, and
// leaves every document readable and found with the new key alone, no
// index part holding a token of the old one.
func TestRotateKeyPostgres(t *testing.T) {
	ctx := context.Background()
	db := postgresSchema(t)
	open := func(key []byte) (*Store, error) { return OpenPostgres(ctx, db, "test", WithKey(key)) }
	oldKey, newKey := mustKey(t), mustKey(t)
	s, err := open(oldKey)
	if err != nil {
		t.Fatal(err)
	}
	docs := secretDocs(2*sealBatch + 10)
	addDocs(t, s, docs)

	cctx, cancel := context.WithCancel(ctx)
	if err := s.RotateKey(cctx, newKey, func(done, total int) { cancel() }); err == nil {
		t.Fatal("a cancelled rotation returned nil")
	}
	s.Close()
	if _, err := open(newKey); !errors.Is(err, ErrWrongKey) || !strings.Contains(err.Error(), "unfinished") {
		t.Errorf("open with the new key of an unfinished rotation: %v", err)
	}
	if s, err = open(oldKey); err != nil {
		t.Fatal(err)
	}
	if err := s.RotateKey(ctx, newKey, nil); err != nil {
		t.Fatal(err)
	}
	checkReadable(t, s, docs)
	s.Close()

	if _, err := open(oldKey); !errors.Is(err, ErrWrongKey) {
		t.Errorf("open with the old key after the rotation: %v; want ErrWrongKey", err)
	}
	if s, err = open(newKey); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkReadable(t, s, docs)
	var versions []int
	rows, err := s.db.raw.Query(`SELECT DISTINCT key_version FROM documents UNION SELECT version FROM crypt_keys
		UNION SELECT DISTINCT version FROM vocabulary`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v int
		if err := rows.Scan(&v); err != nil {
			t.Fatal(err)
		}
		versions = append(versions, v)
	}
	rows.Close()
	if !slices.Equal(versions, []int{2}) {
		t.Errorf("key versions in use after the rotation: %v, want [2]", versions)
	}
	old, err := newKeyring(oldKey, 1)
	if err != nil {
		t.Fatal(err)
	}
	for _, w := range []string{"vexborough", "xanthippic", "liege", "quarrelsome"} {
		var n int
		if err := s.db.raw.QueryRow(`SELECT count(*) FROM postings WHERE token = $1`, old.token(w)).Scan(&n); err != nil || n != 0 {
			t.Errorf("runs of the old key's token of %q: %d (%v), want 0", w, n, err)
		}
		if err := s.db.raw.QueryRow(`SELECT count(*) FROM postings WHERE token = $1`, s.crypt.writer().token(w)).Scan(&n); err != nil || n == 0 {
			t.Errorf("runs of the new key's token of %q: %d (%v), want some", w, n, err)
		}
	}
}

// TestPostgresParallelWorkers checks that the store's connections plan
// without parallel workers and without JIT compilation, unless the address
// asks for them.
func TestPostgresParallelWorkers(t *testing.T) {
	ctx := context.Background()
	db, key := postgresSchema(t), mustKey(t)
	for _, c := range []struct{ url, workers, jit string }{
		{db, "0", "off"},
		{db + "&max_parallel_workers_per_gather=3&jit=on", "3", "on"},
	} {
		s, err := OpenPostgres(ctx, c.url, "test", WithKey(key))
		if err != nil {
			t.Fatal(err)
		}
		for _, v := range []struct{ name, want string }{{"max_parallel_workers_per_gather", c.workers}, {"jit", c.jit}} {
			var got string
			if err := s.db.raw.QueryRowContext(ctx, `SHOW `+v.name).Scan(&got); err != nil || got != v.want {
				t.Errorf("%s: %s %q (%v), want %q", c.url, v.name, got, err, v.want)
			}
		}
		s.Close()
	}
}
