package sqlite

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"mosaic/internal/store"
)

// TestAuditTampering edits the audit log around the store, as one holding
// the database file could, and checks that VerifyAudit names the first
// entry that no longer holds, and why. The table's triggers refuse such
// edits through SQLite, so each case drops them first.
func TestAuditTampering(t *testing.T) {
	for _, tc := range []struct {
		name string
		// tamper edits the log of entries 1 to 5 through raw SQL.
		tamper func(t *testing.T, db *sql.DB)
		seq    int64
		reason string
	}{
		{"a field edited", func(t *testing.T, db *sql.DB) {
			execRaw(t, db, `UPDATE audit SET object = 'doc-x' WHERE seq = 3`)
		}, 3, "hash of its fields"},
		{"a time edited", func(t *testing.T, db *sql.DB) {
			execRaw(t, db, `UPDATE audit SET at = '2016-03-22T08:00:00.000000000Z' WHERE seq = 2`)
		}, 2, "hash of its fields"},
		{"a time unreadable", func(t *testing.T, db *sql.DB) {
			execRaw(t, db, `UPDATE audit SET at = 'yesterday' WHERE seq = 4`)
		}, 4, "not a time"},
		{"an entry deleted", func(t *testing.T, db *sql.DB) {
			execRaw(t, db, `DELETE FROM audit WHERE seq = 2`)
		}, 3, "missing"},
		{"the first entry deleted", func(t *testing.T, db *sql.DB) {
			execRaw(t, db, `DELETE FROM audit WHERE seq = 1`)
		}, 2, "missing"},
		{"an entry edited and rehashed", func(t *testing.T, db *sql.DB) {
			// The edited entry holds; the next one's prev no longer does.
			var e store.AuditEntry
			var at string
			row := db.QueryRow(`SELECT ` + auditColumns + ` FROM audit WHERE seq = 3`)
			if err := row.Scan(&e.Seq, &at, &e.User, &e.Agency, &e.Action, &e.Object, &e.Outcome, &e.Prev, &e.Hash); err != nil {
				t.Fatal(err)
			}
			e.Time = parseTime(at)
			e.Outcome = "denied"
			execRaw(t, db, `UPDATE audit SET outcome = ?, hash = ? WHERE seq = 3`, e.Outcome, auditHash(e))
		}, 4, "prev"},
		{"an entry inserted", func(t *testing.T, db *sql.DB) {
			execRaw(t, db, `UPDATE audit SET seq = seq + 10 WHERE seq >= 3`)
			execRaw(t, db, `UPDATE audit SET seq = seq - 9 WHERE seq >= 13`)
			execRaw(t, db, `INSERT INTO audit (seq, at, user, agency, action, object, outcome, prev, hash)
				SELECT 3, at, 'mallory', agency, action, object, outcome, hash, 'forged' FROM audit WHERE seq = 2`)
		}, 3, "hash of its fields"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			s, err := Open(ctx, dir)
			if err != nil {
				t.Fatal(err)
			}
			defer s.Close()
			for i := range 5 {
				if _, err := s.Record(ctx, store.AuditEntry{User: "ana", Agency: "Police", Action: "read-document",
					Object: fmt.Sprintf("doc-%d", i+1), Outcome: "ok"}); err != nil {
					t.Fatal(err)
				}
			}
			if n, brk, err := s.VerifyAudit(ctx); n != 5 || brk != nil || err != nil {
				t.Fatalf("VerifyAudit before tampering = %d, %+v, %v", n, brk, err)
			}
			db, err := sql.Open("sqlite", filepath.Join(dir, FileName)+"?_pragma=busy_timeout(30000)")
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.Exec(`UPDATE audit SET object = 'doc-x' WHERE seq = 1`); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("an update through SQLite with the triggers in place: err = %v, want it refused", err)
			}
			if _, err := db.Exec(`DELETE FROM audit WHERE seq = 1`); err == nil || !strings.Contains(err.Error(), "append-only") {
				t.Fatalf("a delete through SQLite with the triggers in place: err = %v, want it refused", err)
			}
			execRaw(t, db, `DROP TRIGGER audit_no_update`)
			execRaw(t, db, `DROP TRIGGER audit_no_delete`)
			tc.tamper(t, db)
			_, brk, err := s.VerifyAudit(ctx)
			if err != nil {
				t.Fatal(err)
			}
			if brk == nil {
				t.Fatal("VerifyAudit found no break")
			}
			if brk.Seq != tc.seq || !strings.Contains(brk.Reason, tc.reason) {
				t.Errorf("VerifyAudit broke at %d (%s), want %d, a reason naming the %s", brk.Seq, brk.Reason, tc.seq, tc.reason)
			}
		})
	}
}

func execRaw(t *testing.T, db *sql.DB, q string, args ...any) {
	t.Helper()
	if _, err := db.Exec(q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}
