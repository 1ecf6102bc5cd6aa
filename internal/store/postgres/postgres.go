// Package postgres is Mosaic's store on a PostgreSQL server, for a team
// sharing one: the same tables and queries as the embedded SQLite store
// (sqlstore's), through the pure-Go pgx driver, with the full-text index
// as tsvectors.
package postgres

import (
	"context"
	"net/url"

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
