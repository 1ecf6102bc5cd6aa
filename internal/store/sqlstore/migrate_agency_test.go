package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// TestAgencyJudgementMigration builds a database as a release before
// per-agency judgements left it, with a forced merge materialised in
// entities (merged_into, and the group's kind written over the root's with
// kind_before), and checks that opening it makes those the command line's
// merges with the same groups and kinds, that undoing the merge restores
// each entity's own kind, and that going back down puts the command line's
// merges back into entities but refuses while an agency's judgement is
// recorded.
func TestAgencyJudgementMigration(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	db, err := sql.Open("sqlite", filepath.Join(dir, FileName)+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	p := migrationsOn(t, db)
	if _, err := p.UpTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	// Entity 1 was tagged a place; an analyst forced it into the person 2,
	// named first, so the group reads as a person.
	for _, q := range []string{
		`INSERT INTO entities (id, kind, name, created_at, merged_into, kind_before) VALUES
			(1, 'PERSON', 'Haddad', '2016-06-01T00:00:00Z', NULL, 'LOCATION'),
			(2, 'PERSON', 'Samir Haddad', '2016-06-01T00:00:00Z', 1, NULL),
			(3, 'PERSON', 'Tariq Nasser', '2016-06-01T00:00:00Z', NULL, NULL)`,
		`INSERT INTO judgements (id, kind, entity, other, user, reason, made_at, force) VALUES
			(1, 'merge', 2, 1, 'analyst1', 'the same man', '2016-06-03T10:00:00Z', 1)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}

	s, err := OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatalf("open a database of merged_into: %v", err)
	}
	defer s.Close()
	reads := func(agency string, id mosaic.EntityID) string {
		t.Helper()
		root, kind, err := rootOf(ctx, s.db, agency, id)
		if err != nil {
			t.Fatal(err)
		}
		return fmt.Sprintf("%d %s", root, kind)
	}
	for id, want := range map[mosaic.EntityID]string{1: "1 PERSON", 2: "1 PERSON", 3: "3 PERSON"} {
		if got := reads("", id); got != want {
			t.Errorf("entity %d reads as %q after the migration, want %q", id, got, want)
		}
	}
	// Another agency sees no merge, and the place as a place.
	if got := reads("Alpha", 2); got != "2 PERSON" {
		t.Errorf("entity 2 reads to Alpha as %q, want 2 PERSON", got)
	}
	if got := reads("Alpha", 1); got != "1 LOCATION" {
		t.Errorf("entity 1 reads to Alpha as %q, want 1 LOCATION", got)
	}
	js, err := s.Judgements(ctx, 2, "")
	if err != nil || len(js) != 1 || js[0].Agency != "" || !js[0].Force {
		t.Fatalf("the command line's judgements of 2: %+v (%v), want the forced merge", js, err)
	}

	// Down puts the merge back into entities as it was.
	p = migrationsOn(t, s.db.raw)
	if _, err := p.DownTo(ctx, 10); err != nil {
		t.Fatalf("down to 10: %v", err)
	}
	var merged sql.NullInt64
	var kind string
	var before sql.NullString
	if err := s.db.QueryRowContext(ctx, `SELECT b.merged_into, a.kind, a.kind_before FROM entities a, entities b
		WHERE a.id = 1 AND b.id = 2`).Scan(&merged, &kind, &before); err != nil {
		t.Fatal(err)
	}
	if merged.Int64 != 1 || kind != "PERSON" || before.String != "LOCATION" {
		t.Errorf("after down: 2 merged into %v, 1 of kind %s before %v; want 1, PERSON, LOCATION", merged, kind, before)
	}
	if _, err := p.Up(ctx); err != nil {
		t.Fatal(err)
	}
	// Down to 10 dropped the record of the store's key, and a write that
	// seals (an undo's reason) checks the key is still recorded: record it
	// again, as opening the store anew would.
	key, err := ReadKeyFile(filepath.Join(dir, KeyFileName))
	if err != nil {
		t.Fatal(err)
	}
	if err := s.unlock(ctx, storeKey{key: key, from: "the data folder"}); err != nil {
		t.Fatal(err)
	}

	// Undoing the merge gives each entity its own kind back.
	if _, err := s.Undo(ctx, 1, "analyst1", "two men after all"); err != nil {
		t.Fatal(err)
	}
	if got := reads("", 1); got != "1 LOCATION" {
		t.Errorf("entity 1 reads as %q once the merge is undone, want 1 LOCATION", got)
	}

	// An agency's judgement cannot go down with the column that records it.
	if _, err := s.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: 2, Other: 3, Agency: "Alpha", User: "a", Reason: "r"}); err != nil {
		t.Fatal(err)
	}
	if _, err := p.DownTo(ctx, 10); err == nil {
		t.Error("migrating down with an agency's judgement recorded succeeded")
	}
	if got := reads("Alpha", 3); got != "2 PERSON" {
		t.Errorf("Alpha's merge after a failed down migration: 3 reads as %q, want 2 PERSON", got)
	}
}
