// Package sqlite is Mosaic's embedded store: one SQLite database file in a
// data folder, written through the pure-Go modernc.org/sqlite driver so the
// binary needs no cgo. Writes go through a write-ahead log with full
// synchronisation, so a batch acknowledged by Add survives a crash of the
// process or of the machine. Full-text search uses SQLite's FTS5 with bm25
// ranking.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/pressly/goose/v3"
	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"mosaic/internal/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// FileName is the database file inside a data folder.
const FileName = "mosaic.db"

// Store is a store.Store kept in one SQLite database.
type Store struct {
	db *sql.DB
	// dir is the data folder, named in errors.
	dir string
	// crypt holds the keys that seal documents and key the search index.
	crypt *crypt
	// rotating lets one key rotation run at a time.
	rotating sync.Mutex
}

var _ store.Store = (*Store)(nil)

// Open opens the data folder dir, creating it and the database if needed,
// and brings the schema up to date. Documents are encrypted at rest with a
// key (KeySize bytes) from, in order: WithKey; the file named by
// $MOSAIC_KEY_FILE; $MOSAIC_KEY, in base64; the data folder's KeyFileName,
// created with a new random key if the store has none yet. A key that is
// not the store's returns an error wrapping ErrWrongKey. Documents an older
// release stored in clear are encrypted here, a batch per transaction.
func Open(ctx context.Context, dir string, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	if strings.ContainsAny(dir, "?#") {
		return nil, fmt.Errorf("open %s: data folder path may not contain '?' or '#'", dir)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	key, err := resolveKey(dir, o)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	// WAL lets readers run beside the single writer; synchronous=FULL makes
	// a committed transaction durable against power loss, not only against
	// a crash of the process. _txlock=immediate takes the write lock when a
	// transaction begins, so two writers queue on busy_timeout instead of
	// failing when a read lock cannot be upgraded. secure_delete overwrites
	// what is deleted, so that text an older release stored in clear, or
	// a document's sealed text once its collection is deleted, leaves no
	// copy in free pages.
	dsn := filepath.Join(dir, FileName) +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(30000)&_pragma=secure_delete(1)&_txlock=immediate"
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	db.SetMaxOpenConns(4)
	s := &Store{db: db, dir: dir}
	if err := s.migrate(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	if err := s.unlock(ctx, key); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	if err := s.sealClear(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	if err := s.countPending(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations")
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(goose.DialectSQLite3, s.db, sub)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	return nil
}

// Close closes the database; a checkpoint folds the write-ahead log back
// into the main file.
func (s *Store) Close() error {
	return s.db.Close()
}

// EnsureCollection implements store.Collections.
func (s *Store) EnsureCollection(ctx context.Context, name, agency string) (store.Collection, error) {
	name, agency = strings.TrimSpace(name), strings.TrimSpace(agency)
	if name == "" || agency == "" {
		return store.Collection{}, fmt.Errorf("collection %q of agency %q: %w: empty name", name, agency, store.ErrInvalid)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.Collection{}, err
	}
	defer tx.Rollback()
	var have string
	err = tx.QueryRowContext(ctx, `SELECT a.name FROM collections c JOIN agencies a ON a.id = c.agency_id WHERE c.name = ?`, name).Scan(&have)
	switch {
	case err == nil && have != agency:
		return store.Collection{}, fmt.Errorf("collection %q belongs to agency %q, not %q: %w", name, have, agency, store.ErrConflict)
	case errors.Is(err, sql.ErrNoRows):
		if _, err := tx.ExecContext(ctx, `INSERT INTO agencies (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, agency); err != nil {
			return store.Collection{}, fmt.Errorf("create agency %q: %w", agency, err)
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO collections (name, agency_id, created_at)
			SELECT ?, id, ? FROM agencies WHERE name = ?`, name, formatTime(time.Now()), agency)
		if err != nil {
			return store.Collection{}, fmt.Errorf("create collection %q: %w", name, err)
		}
	case err != nil:
		return store.Collection{}, fmt.Errorf("collection %q: %w", name, err)
	}
	if err := tx.Commit(); err != nil {
		return store.Collection{}, fmt.Errorf("collection %q: %w", name, err)
	}
	cs, err := s.collections(ctx, `WHERE c.name = ?`, name)
	if err != nil {
		return store.Collection{}, err
	}
	if len(cs) != 1 {
		return store.Collection{}, fmt.Errorf("collection %q: %w", name, store.ErrNotFound)
	}
	return cs[0], nil
}

// Collections implements store.Collections.
func (s *Store) Collections(ctx context.Context, scope store.Scope) ([]store.Collection, error) {
	if scope.Collections == nil {
		return s.collections(ctx, "")
	}
	if len(scope.Collections) == 0 {
		return []store.Collection{}, nil
	}
	where, args := inList("c.name", scope.Collections)
	return s.collections(ctx, "WHERE "+where, args...)
}

func (s *Store) collections(ctx context.Context, where string, args ...any) ([]store.Collection, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.name, a.name, c.created_at,
			(SELECT count(*) FROM holdings h WHERE h.collection_id = c.id), c.classification
		FROM collections c JOIN agencies a ON a.id = c.agency_id `+where+` ORDER BY c.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("list collections: %w", err)
	}
	defer rows.Close()
	out := []store.Collection{}
	for rows.Next() {
		var c store.Collection
		var created string
		if err := rows.Scan(&c.Name, &c.Agency, &created, &c.Documents, &c.Classification); err != nil {
			return nil, fmt.Errorf("list collections: %w", err)
		}
		c.Created = parseTime(created)
		out = append(out, c)
	}
	return out, rows.Err()
}

// inList renders "col IN (?, ?, ...)" with its arguments.
func inList(col string, values []string) (string, []any) {
	args := make([]any, len(values))
	for i, v := range values {
		args[i] = v
	}
	return col + " IN (" + strings.TrimSuffix(strings.Repeat("?, ", len(values)), ", ") + ")", args
}

func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func parseTime(s string) time.Time {
	t, _ := time.Parse(time.RFC3339Nano, s)
	return t
}
