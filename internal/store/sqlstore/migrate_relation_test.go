package sqlstore

import (
	"context"
	"database/sql"
	"path/filepath"
	"testing"
)

// TestRelationConfidenceMigration builds a database as a release without
// relation confidence left it and checks that migrating gives each stored
// relation the figure its type's rules were measured at, and that a
// relation with no such figure reads as certain.
func TestRelationConfidenceMigration(t *testing.T) {
	ctx := context.Background()
	db, err := sql.Open("sqlite", filepath.Join(t.TempDir(), FileName)+"?_pragma=foreign_keys(1)")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	p := migrationsOn(t, db)
	if _, err := p.UpTo(ctx, 5); err != nil {
		t.Fatal(err)
	}
	for _, q := range []string{
		`INSERT INTO documents (seq, id, title, body, format, size) VALUES (1, 'd1', 'Note', 'text', 'text', 4)`,
		`INSERT INTO relations (doc, type, from_start, from_end, from_type, to_start, to_end, to_type, sent_start, sent_end) VALUES
			(1, 'contact', 0, 1, 'PERSON', 2, 3, 'PERSON', 0, 4),
			(1, 'co-occurrence', 0, 1, 'PERSON', 2, 3, 'PERSON', 0, 4),
			(1, 'location', 0, 1, 'PERSON', 2, 3, 'LOCATION', 0, 4),
			(1, 'unheard-of', 0, 1, 'PERSON', 2, 3, 'PERSON', 0, 4)`,
	} {
		if _, err := db.ExecContext(ctx, q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	if _, err := p.UpTo(ctx, 6); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"contact": 0.83, "co-occurrence": 0.21, "location": 0.93, "unheard-of": 1}
	rows, err := db.QueryContext(ctx, `SELECT type, confidence FROM relations`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	n := 0
	for rows.Next() {
		var typ string
		var c float64
		if err := rows.Scan(&typ, &c); err != nil {
			t.Fatal(err)
		}
		if c != want[typ] {
			t.Errorf("%s: confidence %v after the migration, want %v", typ, c, want[typ])
		}
		n++
	}
	if n != len(want) {
		t.Errorf("%d relations after the migration, want %d", n, len(want))
	}
	if _, err := p.DownTo(ctx, 5); err != nil {
		t.Errorf("down: %v", err)
	}
}
