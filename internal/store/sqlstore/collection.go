package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"mosaic/internal/store"
)

// collectionRow is a collection as the change log needs it.
type collectionRow struct {
	id       int64
	agency   string
	created  string
	holdings int
}

// collectionNamed reads the collection called name, or returns ErrNotFound.
func collectionNamed(ctx context.Context, q querier, name string) (collectionRow, error) {
	var c collectionRow
	err := q.QueryRowContext(ctx, `SELECT c.id, a.name, c.created_at,
			c.documents
		FROM collections c JOIN agencies a ON a.id = c.agency_id WHERE c.name = ?`, name).
		Scan(&c.id, &c.agency, &c.created, &c.holdings)
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("no collection %q: %w", name, store.ErrNotFound)
	}
	return c, err
}

// checkChange trims what a rename or deletion is given and refuses what is
// missing.
func checkChange(names []*string, user, reason *string) error {
	for _, p := range append(names, user, reason) {
		*p = strings.TrimSpace(*p)
	}
	for _, n := range names {
		if *n == "" {
			return fmt.Errorf("%w: empty collection name", store.ErrInvalid)
		}
	}
	if *user == "" || *reason == "" {
		return fmt.Errorf("%w: a change to a collection needs a user and a reason", store.ErrInvalid)
	}
	return nil
}

// RenameCollection implements store.CollectionAdmin.
func (s *Store) RenameCollection(ctx context.Context, old, name, user, reason string) (store.CollectionChange, error) {
	fail := func(err error) (store.CollectionChange, error) {
		return store.CollectionChange{}, fmt.Errorf("rename collection %q to %q: %w", old, name, err)
	}
	if err := checkChange([]*string{&old, &name}, &user, &reason); err != nil {
		return fail(err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	c, err := collectionNamed(ctx, tx, old)
	if err != nil {
		return fail(err)
	}
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM collections WHERE name = ?`, name).Scan(&taken); err != nil {
		return fail(err)
	}
	if taken > 0 {
		return fail(fmt.Errorf("%w: a collection is called %q already", store.ErrConflict, name))
	}
	if _, err := tx.ExecContext(ctx, `UPDATE collections SET name = ? WHERE id = ?`, name, c.id); err != nil {
		return fail(err)
	}
	ch := store.CollectionChange{Action: store.RenameAction, Collection: old, NewName: name, Agency: c.agency,
		Created: parseTime(c.created), Documents: c.holdings, User: user, Reason: reason, Made: time.Now().UTC()}
	if err := s.commitChange(ctx, tx, &ch); err != nil {
		return fail(err)
	}
	return ch, nil
}

// DeleteCollection implements store.CollectionAdmin.
//
// The documents that leave are gathered first in a temporary table (what
// the collection holds and no other collection does), then their search
// entries, relations and mentions go, the holdings, the documents and the
// collection. The documents are taken out of the search index's runs
// (dropPostings).
func (s *Store) DeleteCollection(ctx context.Context, name, user, reason string) (store.CollectionChange, error) {
	fail := func(err error) (store.CollectionChange, error) {
		return store.CollectionChange{}, fmt.Errorf("delete collection %q: %w", name, err)
	}
	if err := checkChange([]*string{&name}, &user, &reason); err != nil {
		return fail(err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	c, err := collectionNamed(ctx, tx, name)
	if err != nil {
		return fail(err)
	}
	ch := store.CollectionChange{Action: store.DeleteAction, Collection: name, Agency: c.agency,
		Created: parseTime(c.created), Documents: c.holdings, User: user, Reason: reason, Made: time.Now().UTC()}
	// The temporary table lives on this transaction's connection and is
	// rolled back with it.
	if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE IF NOT EXISTS leaving (seq BIGINT PRIMARY KEY)`); err != nil {
		return fail(err)
	}
	// leave, the step that gathers the documents leaving, counts them.
	const leave = 1
	steps := []struct {
		what, sql string
		args      []any
	}{
		{"documents", `DELETE FROM leaving`, nil},
		leave: {"documents", `INSERT INTO leaving (seq) SELECT h.doc FROM holdings h WHERE h.collection_id = ?1
			AND NOT EXISTS (SELECT 1 FROM holdings o WHERE o.doc = h.doc AND o.collection_id != ?1)`, []any{c.id}},
		{"relations", `DELETE FROM relations WHERE doc IN (SELECT seq FROM leaving)`, nil},
		{"mentions", `DELETE FROM mentions WHERE doc IN (SELECT seq FROM leaving)`, nil},
		{"holdings", `DELETE FROM holdings WHERE collection_id = ?`, []any{c.id}},
		{"documents", `DELETE FROM documents WHERE seq IN (SELECT seq FROM leaving)`, nil},
		{"collection", `DELETE FROM collections WHERE id = ?`, []any{c.id}},
		{"documents", `DELETE FROM leaving`, nil},
	}
	for i, st := range steps {
		res, err := tx.ExecContext(ctx, st.sql, st.args...)
		if err != nil {
			return fail(fmt.Errorf("%s: %w", st.what, err))
		}
		if i == leave {
			n, err := res.RowsAffected()
			if err != nil {
				return fail(err)
			}
			ch.Removed = int(n)
			// Gathered, and still stored, the documents leave the search
			// index first.
			if err := s.dropPostings(ctx, tx); err != nil {
				return fail(fmt.Errorf("search index: %w", err))
			}
		}
	}
	if err := s.commitChange(ctx, tx, &ch); err != nil {
		return fail(err)
	}
	return ch, nil
}

// commitChange records a change in the collection log, setting its ID,
// marks the entities' generation changed (profiles and networks name
// collections, and a deletion takes documents with it), and commits tx.
// The reason is sealed, bound to its row (rowID "collection log"), so the
// row's ID is taken before the insert, under the write lock tx holds.
func (s *Store) commitChange(ctx context.Context, tx *txn, ch *store.CollectionChange) error {
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM collection_log`).Scan(&ch.ID); err != nil {
		return fmt.Errorf("collection log: %w", err)
	}
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return fmt.Errorf("collection log: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO collection_log
		(id, action, collection, new_name, agency, created_at, documents, removed, "user", reason, made_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		ch.ID, string(ch.Action), ch.Collection, ch.NewName, ch.Agency, formatTime(ch.Created), ch.Documents, ch.Removed,
		ch.User, k.seal([]byte(ch.Reason), rowID("collection log", ch.ID), "reason"), formatTime(ch.Made))
	if err != nil {
		return fmt.Errorf("collection log: %w", err)
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return err
	}
	return tx.Commit()
}

// CollectionLog implements store.CollectionAdmin.
func (s *Store) CollectionLog(ctx context.Context) ([]store.CollectionChange, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, action, collection, new_name, agency, created_at,
		documents, removed, "user", reason, made_at FROM collection_log ORDER BY id DESC`)
	if err != nil {
		return nil, fmt.Errorf("collection log: %w", err)
	}
	defer rows.Close()
	out := []store.CollectionChange{}
	for rows.Next() {
		var ch store.CollectionChange
		var action, created, made string
		var reason any
		if err := rows.Scan(&ch.ID, &action, &ch.Collection, &ch.NewName, &ch.Agency, &created,
			&ch.Documents, &ch.Removed, &ch.User, &reason, &made); err != nil {
			return nil, fmt.Errorf("collection log: %w", err)
		}
		if ch.Reason, err = s.openColumn(reason, rowID("collection log", ch.ID), "reason"); err != nil {
			return nil, fmt.Errorf("collection log: %w", err)
		}
		ch.Action, ch.Created, ch.Made = store.CollectionAction(action), parseTime(created), parseTime(made)
		out = append(out, ch)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("collection log: %w", err)
	}
	return out, nil
}
