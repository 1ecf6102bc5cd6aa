package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/pressly/goose/v3"

	"mosaic"
	"mosaic/internal/store"
)

// migrationsOn returns a goose provider of the SQLite store's migrations
// over db, for tests that step through them one by one.
func migrationsOn(t *testing.T, db *sql.DB) *goose.Provider {
	t.Helper()
	return provider(t, db, SQLite)
}

// migrationsFor returns a goose provider of the migrations of s's dialect
// over its database.
func migrationsFor(t *testing.T, s *Store) *goose.Provider {
	t.Helper()
	return provider(t, s.db.raw, s.db.d)
}

func provider(t *testing.T, db *sql.DB, d *Dialect) *goose.Provider {
	t.Helper()
	sub, err := fs.Sub(migrations, "migrations/"+d.name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := goose.NewProvider(d.goose, db, sub)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

// reopenFrom takes the schema of s, a store of the data folder dir, back to
// version, as an older release left it, closes s and opens dir again,
// which migrates it up.
func reopenFrom(t *testing.T, s *Store, dir string, version int64) *Store {
	t.Helper()
	if _, err := migrationsOn(t, s.db.raw).DownTo(context.Background(), version); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err := OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestFlagMigration builds a database as a release without flags left it,
// with judgements of every older kind, and checks that opening it rebuilds
// the judgements table without losing or changing a row, keeps its
// indexes and foreign keys, and then takes flags. Going back down while a
// flag is recorded fails and loses nothing.
func TestFlagMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, FileName)+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	p := migrationsOn(t, db)
	if _, err := p.UpTo(ctx, 4); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO entities (id, kind, name, created_at) VALUES
			(1, 'PERSON', 'Samir Haddad', '2016-06-01T00:00:00Z'),
			(2, 'PERSON', 'Samir Hadad', '2016-06-01T00:00:00Z'),
			(3, 'PERSON', 'Tariq Nasser', '2016-06-01T00:00:00Z'),
			(4, 'PERSON', 'S. Haddad', '2016-06-02T00:00:00Z'),
			(5, 'ORG', 'Ansar al-Thughur', '2016-06-01T00:00:00Z')`,
		`UPDATE entities SET merged_into = 1 WHERE id = 2`,
		`INSERT INTO judgements (id, kind, entity, other, name, user, reason, made_at, undone_at, undone_by, undo_reason) VALUES
			(1, 'merge', 1, 2, '', 'analyst1', 'one man', '2016-06-03T10:00:00Z', NULL, NULL, NULL),
			(2, 'reject', 1, 3, '', 'analyst1', 'two men', '2016-06-03T11:00:00Z', NULL, NULL, NULL),
			(3, 'split', 1, 4, 's. haddad', 'analyst2', 'another Haddad', '2016-06-04T09:00:00Z', NULL, NULL, NULL),
			(4, 'confirm', 1, NULL, 'samir haddad', 'analyst1', 'his name', '2016-06-05T09:00:00Z', '2016-06-06T09:00:00Z', 'analyst2', 'unsure'),
			(5, 'merge', 3, 2, '', 'analyst3', 'hasty', '2016-06-07T09:00:00Z', '2016-06-07T10:00:00Z', 'analyst1', 'no')`,
		`UPDATE generation SET entities = 41`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	// What the old schema reads back, before the migration.
	before := func() []store.Judgement {
		db, err := sql.Open("sqlite", filepath.Join(dir, FileName))
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		// Today's reader reads the force column of migration 8 and the
		// agency of migration 12: they are added for the read, with
		// their defaults, and rolled back.
		tx, err := (&conn{raw: db, d: SQLite}).BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer tx.Rollback()
		for _, q := range []string{
			`ALTER TABLE judgements ADD COLUMN force INTEGER NOT NULL DEFAULT 0`,
			`ALTER TABLE judgements ADD COLUMN agency TEXT NOT NULL DEFAULT ''`,
		} {
			if _, err := tx.ExecContext(ctx, q); err != nil {
				t.Fatal(err)
			}
		}
		js, err := readJudgements(ctx, tx, inClear, `ORDER BY id DESC`)
		if err != nil {
			t.Fatal(err)
		}
		return js
	}()
	if len(before) != 5 {
		t.Fatalf("fixture: %d judgements", len(before))
	}

	s, err := OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatalf("open a database without flags: %v", err)
	}
	defer s.Close()
	after, err := s.Judgements(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(after, before) {
		t.Errorf("judgements after the migration:\n%+v\nwant\n%+v", after, before)
	}
	if g, err := s.EntityGeneration(ctx); err != nil || g != 41 {
		t.Errorf("generation after the migration = %d (%v), want 41", g, err)
	}
	var indexes []string
	rows, err := s.db.QueryContext(ctx, `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'judgements' ORDER BY name`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			t.Fatal(err)
		}
		indexes = append(indexes, n)
	}
	rows.Close()
	if !slices.Equal(indexes, []string{"judgements_entity", "judgements_other"}) {
		t.Errorf("indexes on judgements after the migration: %v", indexes)
	}
	if rows, err := s.db.QueryContext(ctx, `PRAGMA foreign_key_check`); err != nil {
		t.Fatal(err)
	} else {
		if rows.Next() {
			t.Error("foreign key violations after the migration")
		}
		rows.Close()
	}
	// The rebuilt table still refuses unknown kinds and dangling entities.
	for _, q := range []string{
		`INSERT INTO judgements (kind, entity, user, reason, made_at) VALUES ('guess', 1, 'a', 'b', 'c')`,
		`INSERT INTO judgements (kind, entity, user, reason, made_at) VALUES ('flag', 987654, 'a', 'b', 'c')`,
	} {
		if _, err := s.db.ExecContext(ctx, q); err == nil {
			t.Errorf("the rebuilt table accepts %s", q)
		}
	}

	// The merged group 1+2 takes a flag; the earlier judgements still
	// apply (3 was judged different, so it cannot be merged).
	f, err := s.Judge(ctx, store.Judgement{Kind: store.Flag, Entity: 2, User: "analyst1", Reason: "watch him"})
	if err != nil {
		t.Fatalf("flag after the migration: %v", err)
	}
	if fs, err := s.Flagged(ctx, ""); err != nil || !slices.Equal(fs, []mosaic.EntityID{1}) {
		t.Errorf("Flagged = %v (%v), want [1]", fs, err)
	}
	if _, err := s.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: 3, Other: 1, User: "analyst1", Reason: "r"}); err == nil {
		t.Error("a reject made before the migration no longer holds")
	}

	// Down cannot narrow the kinds while a flag is recorded, and leaves
	// everything as it was.
	p = migrationsOn(t, s.db.raw)
	// (DownTo, not Down: later migrations come off first.)
	if _, err := p.DownTo(ctx, 4); err == nil {
		t.Error("migrating down with a flag recorded succeeded")
	}
	// The migrations after 5 did come off; back up, the judgements read
	// as they were.
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	all, err := s.Judgements(ctx, 0, "")
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 6 || all[0].ID != f.ID || !slices.Equal(all[1:], before) {
		t.Errorf("judgements after a failed down migration: %+v", all)
	}
}

// TestNewerStoreRefused: a store whose schema a newer release took past
// every migration this build knows is refused when opened, with an error
// saying so (ErrNewerStore), and is left as it was: once the newer
// release's version is taken back (as if that release had not been), it
// opens and reads its document again.
func TestNewerStoreRefused(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		dir, key := t.TempDir(), mustKey(t)
		testNewerStoreRefused(t, func() (*Store, error) { return OpenSQLite(ctx, dir, WithKey(key)) },
			"sqlite", filepath.Join(dir, FileName))
	})
	t.Run("postgres", func(t *testing.T) {
		url, key := postgresSchema(t), mustKey(t)
		testNewerStoreRefused(t, func() (*Store, error) { return OpenPostgres(ctx, url, "test", WithKey(key)) },
			"pgx", url)
	})
}

// testNewerStoreRefused runs TestNewerStoreRefused on the store open
// opens, whose database driver and dsn also reach.
func testNewerStoreRefused(t *testing.T, open func() (*Store, error), driver, dsn string) {
	ctx := context.Background()
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	text := "The courier left the parcel at the northern post."
	doc := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "Report", Text: text, Format: mosaic.FormatText, Size: int64(len(text))}
	if _, err := s.EnsureCollection(ctx, "desk", "Press"); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Add(ctx, []store.Ingested{{Collection: "desk", Doc: doc}}); err != nil {
		t.Fatal(err)
	}
	_, known, err := migrationsFor(t, s).GetVersions(ctx)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	db, err := sql.Open(driver, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	// What a newer release's migration leaves in goose's table.
	newer := known + 1
	if _, err := db.ExecContext(ctx, fmt.Sprintf(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (%d, true)`, newer)); err != nil {
		t.Fatal(err)
	}

	if s, err := open(); !errors.Is(err, ErrNewerStore) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("opening a store at schema version %d with a build that knows %d: %v; want ErrNewerStore", newer, known, err)
	} else if want := fmt.Sprintf("at version %d; this build knows up to %d", newer, known); !strings.Contains(err.Error(), want) {
		t.Errorf("the error %q does not say %q", err, want)
	}

	// Nothing was written over: without the newer version the store opens
	// at the version it had, with its document.
	var n int
	if err := db.QueryRowContext(ctx, `SELECT count(*) FROM goose_db_version WHERE version_id > 0`).Scan(&n); err != nil || int64(n) != known+1 {
		t.Errorf("goose's table holds %d versions past 0 (%v); want the %d known and the newer one", n, err, known)
	}
	if _, err := db.ExecContext(ctx, fmt.Sprintf(`DELETE FROM goose_db_version WHERE version_id = %d`, newer)); err != nil {
		t.Fatal(err)
	}
	if s, err = open(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	got, _, err := s.Document(ctx, doc.ID, store.Scope{})
	if err != nil || got.Text != text {
		t.Errorf("the document after the refusal: %q, %v; want %q", got.Text, err, text)
	}
}
