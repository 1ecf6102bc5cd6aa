package sqlstore

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic"
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
			execRaw(t, db, `UPDATE audit SET user = 'mallory' WHERE seq = 3`)
		}, 3, "hash of its fields"},
		{"an object written in clear", func(t *testing.T, db *sql.DB) {
			execRaw(t, db, `UPDATE audit SET object = 'doc-x' WHERE seq = 3`)
		}, 3, "not sealed"},
		{"an object moved from another entry", func(t *testing.T, db *sql.DB) {
			execRaw(t, db, `UPDATE audit SET object = (SELECT object FROM audit WHERE seq = 1) WHERE seq = 3`)
		}, 3, "does not open"},
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
		{"an entry edited and rehashed without the key", func(t *testing.T, db *sql.DB) {
			// Its object's salt is sealed, so the hash written does not
			// hold: the edit shows at the entry edited.
			var e store.AuditEntry
			var at string
			row := db.QueryRow(`SELECT seq, at, user, agency, action, outcome, prev FROM audit WHERE seq = 3`)
			if err := row.Scan(&e.Seq, &at, &e.User, &e.Agency, &e.Action, &e.Outcome, &e.Prev); err != nil {
				t.Fatal(err)
			}
			e.Time, e.Object = parseTime(at), "doc-3"
			e.Outcome = "denied"
			execRaw(t, db, `UPDATE audit SET outcome = ?, hash = ? WHERE seq = 3`, e.Outcome, auditHash(e, nil))
		}, 3, "hash of its fields"},
		{"an entry inserted", func(t *testing.T, db *sql.DB) {
			execRaw(t, db, `UPDATE audit SET seq = seq + 10 WHERE seq >= 3`)
			execRaw(t, db, `UPDATE audit SET seq = seq - 9 WHERE seq >= 13`)
			execRaw(t, db, `INSERT INTO audit (seq, at, user, agency, action, object, outcome, prev, hash)
				SELECT 3, at, 'mallory', agency, action, object, outcome, hash, 'forged' FROM audit WHERE seq = 2`)
		}, 3, "does not open"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			dir := t.TempDir()
			s, err := OpenSQLite(ctx, dir)
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
			// The object alone may change through SQLite, for a key
			// rotation to seal it anew; the chain covers it.
			if _, err := db.Exec(`UPDATE audit SET user = 'mallory' WHERE seq = 1`); err == nil || !strings.Contains(err.Error(), "append-only") {
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

// TestFreeTextSealed: what analysts type (a share request's query,
// subject, reason and answer; an audit entry's object) is sealed in the
// database and its log and reads back in clear; what an older release
// kept in clear is sealed when the store is opened, its audit chain still
// holding; and a key rotation seals it all anew, so that no value is left
// under the old key.
func TestFreeTextSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	oldKey, newKey := mustKey(t), mustKey(t)
	s := openKeyed(t, dir, oldKey)
	if _, err := s.EnsureCollection(ctx, "intel", "Intelligence"); err != nil {
		t.Fatal(err)
	}
	req, err := s.RequestShare(ctx, store.ShareRequest{User: "ana", Agency: "Police", Owner: "Intelligence",
		Query: "Quillfeather Ostrander", Reason: "source Nightjar told us",
		Subject: store.Subject{Kind: mosaic.Email, Norm: "wexford.plum@example.org"}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideShare(ctx, req.ID, "spy", false, "not for Operation Tamarisk", ""); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Record(ctx, store.AuditEntry{User: "ana", Agency: "Police", Action: "search", Object: "Zephyrine Glasswort", Outcome: "ok"}); err != nil {
		t.Fatal(err)
	}
	typed := []string{"Quillfeather", "Nightjar", "wexford.plum", "Tamarisk", "Zephyrine"}
	checkpointed(t, s)
	assertAbsent(t, dir, typed)

	// An older release's rows, in clear: its schema, a request and an
	// entry chained as it chained them (no salt).
	if _, err := migrationsOn(t, s.db.raw).DownTo(ctx, 12); err != nil {
		t.Fatal(err)
	}
	var prev string
	if err := s.db.raw.QueryRow(`SELECT hash FROM audit ORDER BY seq DESC LIMIT 1`).Scan(&prev); err != nil {
		t.Fatal(err)
	}
	old := store.AuditEntry{Seq: 2, Time: time.Date(2016, 3, 22, 8, 0, 0, 0, time.UTC), User: "bob", Agency: "Police",
		Action: "search", Object: "Marrowgate Pellucid", Outcome: "ok", Prev: prev}
	old.Hash = auditHash(old, nil)
	execRaw(t, s.db.raw, `INSERT INTO audit (seq, at, user, agency, action, object, outcome, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		old.Seq, old.Time.Format(auditTime), old.User, old.Agency, old.Action, old.Object, old.Outcome, old.Prev, old.Hash)
	execRaw(t, s.db.raw, `INSERT INTO share_requests (id, user, agency, owner, query, subject, reason, created_at, status)
		VALUES (2, 'bob', 'Police', 'Intelligence', 'Brindlewick Sorrel', '{"entities":[7]}', 'seen at Hollowmere', '2016-03-22T08:00:00Z', 'pending')`)
	s.Close()
	clear := []string{"Marrowgate", "Brindlewick", "Hollowmere"}
	if b, _ := os.ReadFile(filepath.Join(dir, FileName)); !bytes.Contains(b, []byte("Marrowgate")) {
		t.Fatal("the older release's entry is not in clear: the test builds it wrong")
	}

	check := func(s *Store) {
		t.Helper()
		if n, brk, err := s.VerifyAudit(ctx); n != 2 || brk != nil || err != nil {
			t.Errorf("VerifyAudit = %d, %+v, %v; want 2 entries, no break", n, brk, err)
		}
		log, err := s.AuditLog(ctx, store.AuditFilter{})
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 2 || log[0].Object != "Zephyrine Glasswort" || log[1].Object != "Marrowgate Pellucid" || log[1].Hash != old.Hash {
			t.Errorf("AuditLog = %+v", log)
		}
		r, err := s.ShareRequest(ctx, req.ID)
		if err != nil {
			t.Fatal(err)
		}
		if r.Query != req.Query || r.Reason != req.Reason || r.Answer != "not for Operation Tamarisk" || r.Subject.Norm != req.Subject.Norm {
			t.Errorf("share request %d reads back as %+v", req.ID, r)
		}
		r, err = s.ShareRequest(ctx, 2)
		if err != nil {
			t.Fatal(err)
		}
		if r.Query != "Brindlewick Sorrel" || r.Reason != "seen at Hollowmere" || r.Answer != "" || !slices.Equal(r.Subject.Entities, []mosaic.EntityID{7}) {
			t.Errorf("the older release's share request reads back as %+v", r)
		}
	}
	s = openKeyed(t, dir, oldKey)
	check(s)
	assertAbsent(t, dir, append(typed, clear...))

	if err := s.RotateKey(ctx, newKey, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openKeyed(t, dir, newKey)
	defer s.Close()
	check(s)
	var left int
	err = s.db.raw.QueryRow(`SELECT (SELECT count(*) FROM audit WHERE substr(object, 1, 1) != x'02')
		+ (SELECT count(*) FROM share_requests WHERE substr(query, 1, 1) != x'02' OR substr(subject, 1, 1) != x'02'
			OR substr(reason, 1, 1) != x'02' OR substr(answer, 1, 1) != x'02')`).Scan(&left)
	if err != nil || left != 0 {
		t.Errorf("%d rows hold a value not sealed with the new key (%v)", left, err)
	}
}

// assertAbsent fails if a word of words is in the data folder's database
// or log files.
func assertAbsent(t *testing.T, dir string, words []string) {
	t.Helper()
	for _, name := range []string{FileName, FileName + "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range words {
			if bytes.Contains(b, []byte(w)) {
				t.Errorf("%s holds %q in clear", name, w)
			}
		}
	}
}
