// Package sqlite is Mosaic's embedded store: one SQLite database file in a
// data folder, written through the pure-Go modernc.org/sqlite driver so the
// binary needs no cgo. Writes go through a write-ahead log with full
// synchronisation, so a batch acknowledged by Add survives a crash of the
// process or of the machine. The tables and queries, the search index
// among them, are sqlstore's, shared with PostgreSQL.
package sqlite

import (
	"context"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"mosaic/internal/store/sqlstore"
)

// FileName is the database file inside a data folder.
const FileName = sqlstore.FileName

// Store is a store.Store kept in one SQLite database.
type Store = sqlstore.Store

// Open opens the data folder dir, creating it and the database if needed,
// and brings the schema up to date; see sqlstore.OpenSQLite for the key.
func Open(ctx context.Context, dir string, opts ...sqlstore.Option) (*Store, error) {
	return sqlstore.OpenSQLite(ctx, dir, opts...)
}
