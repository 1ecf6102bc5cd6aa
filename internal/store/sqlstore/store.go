// Package sqlstore is Mosaic's store over SQL: every table and query of
// store.Store written once, in the SQL that SQLite and PostgreSQL both
// speak, with a Dialect for what differs (parameters, the full-text
// index, how writers take turns). The backends internal/store/sqlite and
// internal/store/postgres open it on their drivers.
//
// Documents are encrypted at rest, and the full-text index holds keyed
// tokens, not words (crypt.go).
package sqlstore

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

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"github.com/pressly/goose/v3"

	"mosaic/internal/store"
)

//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// FileName is the SQLite database file inside a data folder.
const FileName = "mosaic.db"

// Store is a store.Store kept in one SQL database.
type Store struct {
	db *conn
	// dir is the data folder (SQLite) or the database's address without
	// its password (PostgreSQL), named in errors.
	dir string
	// crypt holds the keys that seal documents and key the search index.
	crypt *crypt
	// rotating lets one key rotation run at a time.
	rotating sync.Mutex
	// ckpt checkpoints a SQLite store's log in the background (nil on
	// PostgreSQL); checkpointing lets one checkpoint run at a time.
	ckpt          *checkpointer
	checkpointing sync.Mutex
}

var _ store.Store = (*Store)(nil)

// OpenSQLite opens the data folder dir on the "sqlite" driver (which its
// caller registers), creating it and the database if needed, and brings
// the schema up to date. Documents are encrypted at rest with a key
// (KeySize bytes) from, in order: WithKey; the file named by
// $MOSAIC_KEY_FILE; $MOSAIC_KEY, in base64; the data folder's KeyFileName,
// created with a new random key if the store has none yet. A key that is
// not the store's returns an error wrapping ErrWrongKey. Documents an older
// release stored in clear are encrypted here, a batch per transaction.
func OpenSQLite(ctx context.Context, dir string, opts ...Option) (*Store, error) {
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
	// copy in free pages. A page cache of 32 MB (the default is 2) and
	// statement journals in memory, not in temporary files, halve the
	// system time of an ingest with resolution: its upserts each open a
	// statement journal, and its index pages are read again and again.
	// The log is checkpointed in the background (checkpoint.go); a commit
	// checkpoints only a log of autoCheckpointPages.
	dsn := filepath.Join(dir, FileName) +
		"?_pragma=journal_mode(WAL)&_pragma=synchronous(FULL)&_pragma=foreign_keys(1)" +
		"&_pragma=busy_timeout(30000)&_pragma=secure_delete(1)&_pragma=cache_size(-32768)&_pragma=temp_store(2)&_txlock=immediate" +
		fmt.Sprintf("&_pragma=wal_autocheckpoint(%d)", autoCheckpointPages)
	raw, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	// As many idle connections as open ones: closing one frees its page
	// cache, which the next connection fills again.
	raw.SetMaxOpenConns(4)
	raw.SetMaxIdleConns(4)
	return open(ctx, raw, SQLite, dir, key, o.progress)
}

// OpenPostgres opens the PostgreSQL database at url on the "pgx" driver
// (which its caller registers) and brings the schema up to date. The key
// comes from WithKey, $MOSAIC_KEY_FILE or $MOSAIC_KEY: a server's
// database keeps no key beside it, as a data folder does, since whoever
// reads the database could then read the key.
func OpenPostgres(ctx context.Context, url, name string, opts ...Option) (*Store, error) {
	var o options
	for _, opt := range opts {
		opt(&o)
	}
	key, err := resolveKey("", o)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	cfg, err := pgx.ParseConfig(url)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	// The store's reads are short look-ups for people at a page, several
	// at once: starting a parallel worker for one cost more than the read
	// (a spelling list of an entity, 130 ms planned in parallel, 10 ms
	// not, a busy 2-core server). Each connection turns them off once
	// opened, unless the setting was made for it (by the address, its
	// options, the role or the database): a SET rather than a startup
	// parameter, which a connection pooler may refuse. JIT compilation is
	// turned off the same way: the planner's cost of a read over a large
	// store passes its threshold, and compiling took 0.36 s of a read of
	// 8,192 documents' relations that ran in 1.6 s (EXPLAIN ANALYZE, a
	// million documents).
	raw := stdlib.OpenDB(*cfg, stdlib.OptionAfterConnect(func(ctx context.Context, c *pgx.Conn) error {
		_, err := c.Exec(ctx, `SELECT set_config(name, CASE name WHEN 'jit' THEN 'off' ELSE '0' END, false) FROM pg_settings
			WHERE name IN ('max_parallel_workers_per_gather', 'jit') AND source IN ('default', 'configuration file')`)
		return err
	}))
	raw.SetMaxOpenConns(16)
	raw.SetMaxIdleConns(16)
	return open(ctx, raw, Postgres, name, key, o.progress)
}

// open readies a store on raw: migrations, the key, documents still in
// clear, the count of pending work.
func open(ctx context.Context, raw *sql.DB, d *Dialect, dir string, key storeKey, progress func(what string, done, total int)) (*Store, error) {
	s := &Store{db: &conn{raw: raw, d: d}, dir: dir}
	fail := func(err error) (*Store, error) {
		raw.Close()
		return nil, fmt.Errorf("open %s: %w", dir, err)
	}
	if err := s.migrate(ctx); err != nil {
		return fail(err)
	}
	if err := s.unlock(ctx, key); err != nil {
		return fail(err)
	}
	if err := s.sealClear(ctx, progress); err != nil {
		return fail(err)
	}
	if err := s.indexPending(ctx, progress); err != nil {
		return fail(err)
	}
	if err := s.rewriteRuns(ctx, progress); err != nil {
		return fail(err)
	}
	if err := s.countPending(ctx); err != nil {
		return fail(err)
	}
	if d == SQLite {
		s.startCheckpoints()
	}
	return s, nil
}

func (s *Store) migrate(ctx context.Context) error {
	sub, err := fs.Sub(migrations, "migrations/"+s.db.d.name)
	if err != nil {
		return err
	}
	p, err := goose.NewProvider(s.db.d.goose, s.db.raw, sub)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	// A store a newer release migrated further keeps what it writes in
	// forms this build may not read, or would misread and write over (the
	// search index's runs as bits read as damaged to the release before
	// them): it is refused, untouched, rather than opened.
	current, known, err := p.GetVersions(ctx)
	if err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	if current > known {
		return fmt.Errorf("%w (its schema is at version %d; this build knows up to %d): open it with that release or a later one",
			ErrNewerStore, current, known)
	}
	return nil
}

// ErrNewerStore: a store's schema is ahead of every migration this build
// knows, so a newer release wrote it.
var ErrNewerStore = errors.New("written by a newer release of Mosaic")

// Close closes the database; on SQLite a checkpoint folds the write-ahead
// log back into the main file.
func (s *Store) Close() error {
	s.stopCheckpoints()
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
			c.documents, c.classification
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

// inList renders "col IN (?, ?, ...)" with its arguments; of no values,
// a condition that never holds (PostgreSQL has no empty IN list).
func inList(col string, values []string) (string, []any) {
	if len(values) == 0 {
		return "(1 = 0)", nil
	}
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

// Size returns the bytes the store's database takes: SQLite's file (its
// pages), or on PostgreSQL the tables and indexes of the store's schema.
func (s *Store) Size(ctx context.Context) (int64, error) {
	var n int64
	q := `SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()`
	if s.db.d == Postgres {
		q = `SELECT coalesce(sum(pg_total_relation_size(c.oid)), 0) FROM pg_class c
			WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'm')`
	}
	if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
		return 0, fmt.Errorf("size of %s: %w", s.dir, err)
	}
	return n, nil
}
