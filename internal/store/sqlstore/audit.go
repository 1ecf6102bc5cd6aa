package sqlstore

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"strconv"
	"strings"
	"time"

	"mosaic/internal/store"
)

// The audit log (store.Audit) is a hash chain: each entry's hash covers
// its fields and the hash of the entry before it. The table's triggers
// refuse updates and deletes made through SQLite; the chain shows those
// made around them (editing the file), up to the last entry: one who can
// rewrite the file can also drop its last entries, which only a copy of a
// recent hash kept elsewhere shows.
//
// An entry's object (what was searched for or read) is sealed with the
// store's key, as a document's text is, and the hash covers it in clear
// together with a random salt sealed with it. So VerifyAudit needs the
// key, which an open store has; in return:
//   - a key rotation seals the objects anew with the new key and the chain
//     still holds (a chain over the sealed bytes would break, or the old
//     key would have to be kept to read the log);
//   - without the key no entry can be rehashed after an edit, since its
//     salt is sealed, so an edit shows at the entry edited, not only at a
//     copy of the head kept elsewhere;
//   - the hash, kept in clear, cannot be used to test guesses of what was
//     searched for, which a hash of the object alone would allow.
// Entries an older release kept in clear were hashed without a salt; they
// are sealed at Open with an empty one, and their hashes still hold.

// auditSalt is the length of an entry's salt.
const auditSalt = 16

// auditTime is how an entry's time is stored: fixed width, so that the
// stored times sort as text and a Since filter runs in SQL. The hash covers
// the time in RFC 3339 with nanoseconds instead, the form a reader of the
// log outside Mosaic would write.
const auditTime = "2006-01-02T15:04:05.000000000Z"

// auditHash returns the hex SHA-256 of the entry's fields and Prev, each
// written as its length in eight bytes followed by its bytes, so that no
// two different entries encode alike. The object is written after its
// salt.
func auditHash(e store.AuditEntry, salt []byte) string {
	h := sha256.New()
	for _, f := range []string{
		strconv.FormatInt(e.Seq, 10), e.Time.UTC().Format(time.RFC3339Nano),
		e.User, e.Agency, e.Action, string(salt) + e.Object, e.Outcome, e.Prev,
	} {
		writeField(h, f)
	}
	return hex.EncodeToString(h.Sum(nil))
}

func writeField(h hash.Hash, f string) {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], uint64(len(f)))
	h.Write(n[:])
	h.Write([]byte(f))
}

// auditObject is what an entry's object column seals: the salt's length
// in one byte, the salt, the object.
func auditObject(salt []byte, object string) []byte {
	return append(append([]byte{byte(len(salt))}, salt...), object...)
}

// openAuditObject opens the object column of the entry seq, scanned as
// any, and returns the object and its salt.
func (s *Store) openAuditObject(v any, seq int64) (string, []byte, error) {
	plain, err := s.openColumn(v, rowID("audit", seq), "object")
	if err != nil {
		return "", nil, err
	}
	if len(plain) == 0 || len(plain) < 1+int(plain[0]) {
		return "", nil, fmt.Errorf("object of %s: malformed", rowID("audit", seq))
	}
	n := 1 + int(plain[0])
	return plain[n:], []byte(plain[1:n]), nil
}

// Record implements store.Audit. The write lock is taken when the
// transaction begins, so concurrent records chain one after another.
func (s *Store) Record(ctx context.Context, e store.AuditEntry) (store.AuditEntry, error) {
	if strings.TrimSpace(e.Action) == "" {
		return store.AuditEntry{}, fmt.Errorf("audit: %w: an entry needs an action", store.ErrInvalid)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.AuditEntry{}, fmt.Errorf("audit %s: %w", e.Action, err)
	}
	defer tx.Rollback()
	var last int64
	var prev string
	err = tx.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0), coalesce((SELECT hash FROM audit ORDER BY seq DESC LIMIT 1), '') FROM audit`).
		Scan(&last, &prev)
	if err != nil {
		return store.AuditEntry{}, fmt.Errorf("audit %s: %w", e.Action, err)
	}
	if e.Time.IsZero() {
		e.Time = time.Now()
	}
	// Read the key once the write lock is held, as a rotation switches
	// keys between transactions.
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return store.AuditEntry{}, fmt.Errorf("audit %s: %w", e.Action, err)
	}
	salt := make([]byte, auditSalt)
	if _, err := rand.Read(salt); err != nil {
		return store.AuditEntry{}, fmt.Errorf("audit %s: %w", e.Action, err)
	}
	// Round(0) drops the monotonic reading: the entry is what is stored.
	e.Seq, e.Time, e.Prev = last+1, e.Time.UTC().Round(0), prev
	e.Hash = auditHash(e, salt)
	_, err = tx.ExecContext(ctx, `INSERT INTO audit (seq, at, "user", agency, action, object, outcome, prev, hash)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		e.Seq, e.Time.Format(auditTime), e.User, e.Agency, e.Action,
		k.seal(auditObject(salt, e.Object), rowID("audit", e.Seq), "object"), e.Outcome, e.Prev, e.Hash)
	if err != nil {
		return store.AuditEntry{}, fmt.Errorf("audit %s: %w", e.Action, err)
	}
	if err := tx.Commit(); err != nil {
		return store.AuditEntry{}, fmt.Errorf("audit %s: %w", e.Action, err)
	}
	return e, nil
}

const auditColumns = `seq, at, "user", agency, action, object, outcome, prev, hash`

// scanAudit reads one row of auditColumns, leaving the time as stored
// (at) and the object sealed for the caller to read: a time or an object
// that does not read is an error to AuditLog and a break to VerifyAudit.
func scanAudit(row interface{ Scan(...any) error }) (e store.AuditEntry, at string, object any, err error) {
	err = row.Scan(&e.Seq, &at, &e.User, &e.Agency, &e.Action, &object, &e.Outcome, &e.Prev, &e.Hash)
	return e, at, object, err
}

// AuditLog implements store.Audit.
func (s *Store) AuditLog(ctx context.Context, f store.AuditFilter) ([]store.AuditEntry, error) {
	q, args := `SELECT `+auditColumns+` FROM audit WHERE 1 = 1`, []any{}
	if f.User != "" {
		q, args = q+` AND "user" = ?`, append(args, f.User)
	}
	if f.Agency != "" {
		q, args = q+` AND agency = ?`, append(args, f.Agency)
	}
	if f.Action != "" {
		q, args = q+` AND action = ?`, append(args, f.Action)
	}
	if !f.Since.IsZero() {
		q, args = q+` AND at >= ?`, append(args, f.Since.UTC().Format(auditTime))
	}
	if !f.Until.IsZero() {
		q, args = q+` AND at < ?`, append(args, f.Until.UTC().Format(auditTime))
	}
	order := ` ORDER BY seq`
	if f.Newest {
		order += ` DESC`
	}
	if f.After > 0 {
		if f.Newest {
			q, args = q+` AND seq < ?`, append(args, f.After)
		} else {
			q, args = q+` AND seq > ?`, append(args, f.After)
		}
	}
	q += order
	if f.Limit > 0 {
		q, args = q+` LIMIT ?`, append(args, f.Limit)
	}
	rows, err := s.db.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	defer rows.Close()
	out := []store.AuditEntry{}
	for rows.Next() {
		e, at, object, err := scanAudit(rows)
		if err == nil {
			e.Time, err = time.Parse(time.RFC3339Nano, at)
		}
		if err == nil {
			e.Object, _, err = s.openAuditObject(object, e.Seq)
		}
		if err != nil {
			return nil, fmt.Errorf("audit log: entry %d: %w", e.Seq, err)
		}
		e.Time = e.Time.UTC()
		out = append(out, e)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("audit log: %w", err)
	}
	return out, nil
}

// VerifyAudit implements store.Audit. It reads every entry even past a
// break, so the count is the log's length.
func (s *Store) VerifyAudit(ctx context.Context) (int, *store.AuditBreak, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+auditColumns+` FROM audit ORDER BY seq`)
	if err != nil {
		return 0, nil, fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	var (
		n     int
		first *store.AuditBreak
		prev  store.AuditEntry
	)
	for rows.Next() {
		e, at, object, err := scanAudit(rows)
		if err != nil {
			return n, first, fmt.Errorf("verify audit: %w", err)
		}
		var reason string
		e.Time, err = time.Parse(time.RFC3339Nano, at)
		obj, salt, oerr := s.openAuditObject(object, e.Seq)
		e.Object = obj
		switch {
		case err != nil:
			reason = fmt.Sprintf("its time %q is not a time: the entry was altered", at)
		case oerr != nil:
			reason = fmt.Sprintf("its object does not open (%v): the entry was altered", oerr)
		case e.Seq != prev.Seq+1:
			reason = fmt.Sprintf("it follows entry %d: entries %d to %d are missing", prev.Seq, prev.Seq+1, e.Seq-1)
		case e.Prev != prev.Hash:
			reason = fmt.Sprintf("its prev %q is not the hash %q of entry %d", e.Prev, prev.Hash, prev.Seq)
		default:
			if h := auditHash(e, salt); h != e.Hash {
				reason = fmt.Sprintf("its hash %q is not %q, the hash of its fields: the entry was altered", e.Hash, h)
			}
		}
		n++
		if reason != "" && first == nil {
			first = &store.AuditBreak{Seq: e.Seq, Reason: reason}
		}
		prev = e
	}
	if err := rows.Err(); err != nil {
		return n, first, fmt.Errorf("verify audit: %w", err)
	}
	return n, first, nil
}
