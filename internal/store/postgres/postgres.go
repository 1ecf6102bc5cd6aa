// Package postgres is Mosaic's store on a PostgreSQL server, for a team
// sharing one: the same tables and queries as the embedded SQLite store
// (sqlstore's), through the pure-Go pgx driver.
package postgres

import (
	"context"
	"fmt"
	"net/url"

	"github.com/jackc/pgx/v5"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver

	"mosaic/internal/store/sqlstore"
)

// Store is a store.Store kept in a PostgreSQL database.
type Store = sqlstore.Store

// IsURL reports whether db names a PostgreSQL database rather than a data
// folder.
func IsURL(db string) bool {
	u, err := url.Parse(db)
	return err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql")
}

// Redact returns the address without its password, to name in errors and
// logs.
func Redact(db string) string {
	u, err := url.Parse(db)
	if err != nil {
		return "postgres://(unreadable address)"
	}
	return u.Redacted()
}

// Open opens the database at the postgres:// address db and brings the
// schema up to date. The key that seals documents comes from
// sqlstore.WithKey, $MOSAIC_KEY_FILE or $MOSAIC_KEY.
func Open(ctx context.Context, db string, opts ...sqlstore.Option) (*Store, error) {
	return sqlstore.OpenPostgres(ctx, db, Redact(db), opts...)
}

// ingestLock is the advisory lock an ingest holds on its database.
const ingestLock = 7356022

// LockIngest takes the database's ingest lock on a connection of its own,
// held until release (or until the process dies and the server drops the
// connection). It fails at once if another process holds it.
func LockIngest(ctx context.Context, db string) (release func(), err error) {
	return lockIngest(ctx, db, false)
}

// WaitIngestLock is LockIngest waiting, until ctx ends, for the process
// holding the lock to let it go.
func WaitIngestLock(ctx context.Context, db string) (release func(), err error) {
	return lockIngest(ctx, db, true)
}

func lockIngest(ctx context.Context, db string, wait bool) (release func(), err error) {
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		return nil, fmt.Errorf("ingest lock on %s: %w", Redact(db), err)
	}
	ok := true
	if wait {
		_, err = conn.Exec(ctx, `SELECT pg_advisory_lock($1)`, ingestLock)
	} else {
		err = conn.QueryRow(ctx, `SELECT pg_try_advisory_lock($1)`, ingestLock).Scan(&ok)
	}
	if err != nil {
		conn.Close(context.Background())
		return nil, fmt.Errorf("ingest lock on %s: %w", Redact(db), err)
	}
	if !ok {
		conn.Close(ctx)
		return nil, fmt.Errorf("another mosaic ingest is loading into %s; wait for it to finish", Redact(db))
	}
	return func() { conn.Close(context.Background()) }, nil
}

// InSchema returns the address of db with its schema search path set to
// schema, which it creates if the database has none of that name: one
// database can then hold several Mosaic stores (a benchmark's, a test's).
// A schema name is letters, digits and underscores.
func InSchema(ctx context.Context, db, schema string) (string, error) {
	if !validSchema(schema) {
		return "", fmt.Errorf("schema %q: want letters, digits and underscores", schema)
	}
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		return "", fmt.Errorf("schema %s on %s: %w", schema, Redact(db), err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `CREATE SCHEMA IF NOT EXISTS `+schema); err != nil {
		return "", fmt.Errorf("schema %s on %s: %w", schema, Redact(db), err)
	}
	u, err := url.Parse(db)
	if err != nil {
		return "", err
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String(), nil
}

// DropSchema drops schema from db, with everything in it.
func DropSchema(ctx context.Context, db, schema string) error {
	if !validSchema(schema) {
		return fmt.Errorf("schema %q: want letters, digits and underscores", schema)
	}
	conn, err := pgx.Connect(ctx, db)
	if err != nil {
		return fmt.Errorf("drop schema %s on %s: %w", schema, Redact(db), err)
	}
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, `DROP SCHEMA IF EXISTS `+schema+` CASCADE`)
	return err
}

func validSchema(s string) bool {
	if s == "" || len(s) > 63 || s[0] >= '0' && s[0] <= '9' {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}
