package sqlstore

import (
	"context"
	"database/sql"
	"strconv"
	"strings"

	"github.com/pressly/goose/v3"
)

// Dialect is what differs between the SQL databases a Store runs on: how
// statements name their parameters, how the search index is compacted,
// and how writers take turns. Every statement of the store is
// written once, in the SQL both databases speak, with ? for parameters.
type Dialect struct {
	name  string
	goose goose.Dialect
	// numbered rewrites ? as $1, $2, ... (PostgreSQL).
	numbered bool
	// writeLock is run first in every transaction, so that writers take
	// turns as SQLite's do ("" for none: SQLite's _txlock=immediate does
	// it there).
	writeLock string
	// compact rewrites the search index's tables and the vocabulary, so
	// that nothing of tokens deleted stays on disk (after a key rotation):
	// on SQLite VACUUM, which also rebuilds the B-trees whose interior
	// pages may keep an old token as a divider; on PostgreSQL VACUUM FULL
	// of the tables, so that no dead row keeps one.
	compact []string
	// nextID is a query for the next id of a table whose ids are never
	// used twice, even those of rows deleted (SQLite's AUTOINCREMENT).
	nextID func(table string) string
	// prepares says a transaction should keep the statements it runs
	// prepared, for the next run of the same SQL: SQLite's driver compiles
	// a statement afresh for every call, which cost ingest a sixth of its
	// writing time; pgx keeps its own cache.
	prepares bool
	// bulkInsert begins the store's inserts of many rows a statement. On
	// SQLite INSERT OR ROLLBACK: a statement that may fail part-way after
	// writing some of its rows (on a key already there, which for these
	// rows would be a bug) copies each page it changes aside first, so as
	// to undo itself alone, and that copying took a seventh of the
	// writer's time in an ingest with resolution; the failure of such a
	// statement ends its whole transaction, as every caller's error would.
	// (A foreign key checked row by row still needs the copies: mentions.)
	bulkInsert string
	// copies says a transaction's plain inserts of many rows go through
	// the COPY protocol (PostgreSQL): rows streamed, neither parsed as
	// parameters of a statement nor planned, while the client reads the
	// next (txn.copyRows).
	copies bool
}

// SQLite is the embedded database's dialect.
var SQLite = &Dialect{name: "sqlite", goose: goose.DialectSQLite3, compact: []string{`VACUUM`}, prepares: true,
	bulkInsert: "INSERT OR ROLLBACK",
	nextID: func(table string) string {
		return `SELECT coalesce((SELECT seq FROM sqlite_sequence WHERE name = '` + table + `'), 0) + 1`
	}}

// Postgres is PostgreSQL's dialect. Every transaction takes one advisory
// lock, so that transactions run one at a time as on SQLite while reads
// outside a transaction run beside them: the store's read-then-write
// transactions (resolution, judgements, shares) were written for that.
var Postgres = &Dialect{name: "postgres", goose: goose.DialectPostgres, numbered: true, bulkInsert: "INSERT", copies: true,
	writeLock: `SELECT pg_advisory_xact_lock(7356021)`,
	compact:   []string{`VACUUM FULL postings`, `VACUUM FULL postings_rewrite`, `VACUUM FULL vocabulary`},
	nextID: func(table string) string {
		return `SELECT nextval(pg_get_serial_sequence('` + table + `', 'id'))`
	}}

// String names the dialect.
func (d *Dialect) String() string { return d.name }

// rebind rewrites a statement's parameters for the dialect, numbering
// them as SQLite does: ?NNN is parameter NNN, and a bare ? the one after
// the largest numbered so far. A ? inside a quoted string or identifier
// is left alone.
func (d *Dialect) rebind(q string) string {
	if !d.numbered || !strings.Contains(q, "?") {
		return q
	}
	var b strings.Builder
	b.Grow(len(q) + 16)
	largest := 0
	var quote byte
	for i := 0; i < len(q); i++ {
		c := q[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			j := i + 1
			for j < len(q) && q[j] >= '0' && q[j] <= '9' {
				j++
			}
			n := largest + 1
			if j > i+1 {
				n, _ = strconv.Atoi(q[i+1 : j])
			}
			largest = max(largest, n)
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			i = j - 1
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// args converts the arguments the driver would not write to the columns:
// PostgreSQL's driver writes no Go bool to an integer column, and the
// store keeps flags as 0 and 1 on both databases.
func (d *Dialect) args(a []any) []any {
	if !d.numbered {
		return a
	}
	copied := false
	for i, v := range a {
		b, ok := v.(bool)
		if !ok {
			continue
		}
		if !copied { // the caller's slice stays as it was
			a, copied = append([]any(nil), a...), true
		}
		a[i] = int64(0)
		if b {
			a[i] = int64(1)
		}
	}
	return a
}

// conn is the store's database, rewriting every statement for its dialect.
type conn struct {
	raw *sql.DB
	d   *Dialect
}

func (c *conn) dialect() *Dialect { return c.d }

func (t *txn) dialect() *Dialect { return t.d }

// Close closes the database.
func (c *conn) Close() error { return c.raw.Close() }

func (c *conn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	return c.raw.ExecContext(ctx, c.d.rebind(q), c.d.args(args)...)
}

func (c *conn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	return c.raw.QueryContext(ctx, c.d.rebind(q), c.d.args(args)...)
}

func (c *conn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	return c.raw.QueryRowContext(ctx, c.d.rebind(q), c.d.args(args)...)
}

// BeginTx begins a transaction, taking the dialect's write lock. Where
// the dialect copies rows, the transaction holds its connection, for the
// COPYs to run on.
func (c *conn) BeginTx(ctx context.Context, opts *sql.TxOptions) (*txn, error) {
	var held *sql.Conn
	begin := c.raw.BeginTx
	if c.d.copies {
		var err error
		if held, err = c.raw.Conn(ctx); err != nil {
			return nil, err
		}
		begin = held.BeginTx
	}
	t, err := begin(ctx, opts)
	if err != nil {
		if held != nil {
			held.Close()
		}
		return nil, err
	}
	tx := &txn{raw: t, d: c.d, c: c, held: held}
	if c.d.writeLock != "" {
		if _, err := t.ExecContext(ctx, c.d.writeLock); err != nil {
			tx.Rollback()
			return nil, err
		}
	}
	if c.d.prepares {
		tx.prepared = map[string]*sql.Stmt{}
	}
	return tx, nil
}

// readTx begins a read-only transaction at repeatable read, so that its
// statements see one state of the database, without the write lock, and
// runs the settings given (SET LOCAL ..., for its statements alone).
func (c *conn) readTx(ctx context.Context, settings ...string) (*txn, error) {
	t, err := c.raw.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return nil, err
	}
	for _, set := range settings {
		if _, err := t.ExecContext(ctx, set); err != nil {
			t.Rollback()
			return nil, err
		}
	}
	return &txn{raw: t, d: c.d, c: c}, nil
}

// txn is a transaction of the store's database.
type txn struct {
	raw *sql.Tx
	d   *Dialect
	c   *conn
	// held is the transaction's connection where the dialect copies rows,
	// released when the transaction ends.
	held *sql.Conn
	// prepared holds the statements run so far, by their SQL, when the
	// dialect prepares; the transaction's end closes them.
	prepared map[string]*sql.Stmt
}

func (t *txn) Commit() error {
	defer t.release()
	return t.raw.Commit()
}

func (t *txn) Rollback() error {
	defer t.release()
	return t.raw.Rollback()
}

// release gives the transaction's connection back to the pool, once it
// has ended.
func (t *txn) release() {
	if t.held != nil {
		t.held.Close()
		t.held = nil
	}
}

// maxPrepared bounds the statements one transaction keeps prepared: SQL
// built with a varying number of rows would otherwise grow it without end.
const maxPrepared = 256

// statement returns q prepared in the transaction, or nil when the
// dialect does not prepare or q holds several statements.
func (t *txn) statement(ctx context.Context, q string) (*sql.Stmt, error) {
	if t.prepared == nil || strings.Contains(q, ";") {
		return nil, nil
	}
	if st := t.prepared[q]; st != nil {
		return st, nil
	}
	if len(t.prepared) >= maxPrepared {
		return nil, nil
	}
	st, err := t.raw.PrepareContext(ctx, q)
	if err != nil {
		return nil, err
	}
	t.prepared[q] = st
	return st, nil
}

func (t *txn) ExecContext(ctx context.Context, q string, args ...any) (sql.Result, error) {
	q = t.d.rebind(q)
	st, err := t.statement(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.ExecContext(ctx, t.d.args(args)...)
	}
	return t.raw.ExecContext(ctx, q, t.d.args(args)...)
}

func (t *txn) QueryContext(ctx context.Context, q string, args ...any) (*sql.Rows, error) {
	q = t.d.rebind(q)
	st, err := t.statement(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.QueryContext(ctx, t.d.args(args)...)
	}
	return t.raw.QueryContext(ctx, q, t.d.args(args)...)
}

func (t *txn) QueryRowContext(ctx context.Context, q string, args ...any) *sql.Row {
	q = t.d.rebind(q)
	if st, err := t.statement(ctx, q); err == nil && st != nil {
		return st.QueryRowContext(ctx, t.d.args(args)...)
	}
	// A statement that failed to prepare fails again here, with its error
	// on the row.
	return t.raw.QueryRowContext(ctx, q, t.d.args(args)...)
}

func (t *txn) PrepareContext(ctx context.Context, q string) (*stmt, error) {
	st, err := t.raw.PrepareContext(ctx, t.d.rebind(q))
	if err != nil {
		return nil, err
	}
	return &stmt{raw: st, d: t.d}, nil
}

// stmt is a prepared statement of a transaction.
type stmt struct {
	raw *sql.Stmt
	d   *Dialect
}

func (s *stmt) Close() error { return s.raw.Close() }

func (s *stmt) ExecContext(ctx context.Context, args ...any) (sql.Result, error) {
	return s.raw.ExecContext(ctx, s.d.args(args)...)
}

func (s *stmt) QueryContext(ctx context.Context, args ...any) (*sql.Rows, error) {
	return s.raw.QueryContext(ctx, s.d.args(args)...)
}

func (s *stmt) QueryRowContext(ctx context.Context, args ...any) *sql.Row {
	return s.raw.QueryRowContext(ctx, s.d.args(args)...)
}
