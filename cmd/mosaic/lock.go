package main

import (
	"context"

	"mosaic/internal/store"
	"mosaic/internal/store/postgres"
)

// lockIngest takes the store's ingest lock, so that one ingest at a time
// resolves entities: each keeps the entity names in memory, and two at
// once would each create an entity the other cannot see. A data folder's
// lock is a file's; a PostgreSQL database's is an advisory lock held by
// a connection of the ingest's own, so a killed ingest leaves nothing to
// clean up either way.
func lockIngest(db string) (release func(), err error) {
	if postgres.IsURL(db) {
		return postgres.LockIngest(context.Background(), db)
	}
	return lockFolder(db)
}

// openLocked takes the store's ingest lock and opens the store to write
// into it; closing the store lets the lock go as well.
func openLocked(ctx context.Context, db string) (store.Store, func(), error) {
	release, err := lockIngest(db)
	if err != nil {
		return nil, nil, err
	}
	st, err := openStore(ctx, db, true)
	if err != nil {
		release()
		return nil, nil, err
	}
	return st, func() { st.Close(); release() }, nil
}

// displayDB is how a --db is named in messages: a database's address
// without its password.
func displayDB(db string) string {
	if postgres.IsURL(db) {
		return postgres.Redact(db)
	}
	return db
}
