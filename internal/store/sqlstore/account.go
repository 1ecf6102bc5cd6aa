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

// Accounts (store.Accounts): users of agencies, their tokens and sessions,
// grants and classification labels, and the scope they add up to. Secrets
// arrive hashed; the store keeps the bytes it is given and compares them
// whole.

// userColumns are the columns scanUser reads, of users u and agencies a.
const userColumns = `u.id, u.name, a.name, u.role, u.clearance, u.created_at, coalesce(u.disabled_at, '')`

// scanUser reads one row of userColumns, followed by extra destinations.
func scanUser(row interface{ Scan(...any) error }, extra ...any) (store.User, error) {
	var u store.User
	var role, created, disabled string
	err := row.Scan(append([]any{&u.ID, &u.Name, &u.Agency, &role, &u.Clearance, &created, &disabled}, extra...)...)
	u.Role, u.Created, u.Disabled = store.Role(role), parseTime(created), parseTime(disabled)
	return u, err
}

// AddUser implements store.Accounts.
func (s *Store) AddUser(ctx context.Context, u store.User, passwordHash string) (store.User, error) {
	u.Name, u.Agency, u.Clearance = strings.TrimSpace(u.Name), strings.TrimSpace(u.Agency), strings.TrimSpace(u.Clearance)
	fail := func(err error) (store.User, error) {
		return store.User{}, fmt.Errorf("add user %q of agency %q: %w", u.Name, u.Agency, err)
	}
	if u.Clearance == "" {
		u.Clearance = store.Classifications[0]
	}
	switch {
	case u.Name == "" || u.Agency == "":
		return fail(fmt.Errorf("%w: a user needs a name and an agency", store.ErrInvalid))
	case !u.Role.Valid():
		return fail(fmt.Errorf("%w: unknown role %q (want admin, analyst or viewer)", store.ErrInvalid, u.Role))
	case store.ClassificationLevel(u.Clearance) < 0:
		return fail(fmt.Errorf("%w: unknown clearance %q (want one of %s)", store.ErrInvalid, u.Clearance, strings.Join(store.Classifications, ", ")))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE name = ?`, u.Name).Scan(&taken); err != nil {
		return fail(err)
	}
	if taken > 0 {
		return fail(fmt.Errorf("%w: the name is taken", store.ErrConflict))
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO agencies (name) VALUES (?) ON CONFLICT (name) DO NOTHING`, u.Agency); err != nil {
		return fail(fmt.Errorf("create agency: %w", err))
	}
	u.Created, u.Disabled = time.Now().UTC(), time.Time{}
	err = tx.QueryRowContext(ctx, `INSERT INTO users (name, agency_id, role, clearance, password_hash, created_at)
		SELECT ?, id, ?, ?, ?, ? FROM agencies WHERE name = ? RETURNING id`,
		u.Name, string(u.Role), u.Clearance, passwordHash, formatTime(u.Created), u.Agency).Scan(&u.ID)
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return u, nil
}

// Users implements store.Accounts.
func (s *Store) Users(ctx context.Context, agency string) ([]store.User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+userColumns+`
		FROM users u JOIN agencies a ON a.id = u.agency_id
		WHERE ?1 = '' OR a.name = ?1 ORDER BY u.name`, agency)
	if err != nil {
		return nil, fmt.Errorf("users of agency %q: %w", agency, err)
	}
	defer rows.Close()
	out := []store.User{}
	for rows.Next() {
		u, err := scanUser(rows)
		if err != nil {
			return nil, fmt.Errorf("users of agency %q: %w", agency, err)
		}
		out = append(out, u)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("users of agency %q: %w", agency, err)
	}
	return out, nil
}

// UserByName implements store.Accounts.
func (s *Store) UserByName(ctx context.Context, name string) (store.User, string, error) {
	var hash string
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+`, u.password_hash
		FROM users u JOIN agencies a ON a.id = u.agency_id WHERE u.name = ?`, name), &hash)
	if errors.Is(err, sql.ErrNoRows) {
		return store.User{}, "", fmt.Errorf("user %q: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return store.User{}, "", fmt.Errorf("user %q: %w", name, err)
	}
	return u, hash, nil
}

// SetPassword implements store.Accounts.
func (s *Store) SetPassword(ctx context.Context, name, passwordHash string) error {
	res, err := s.db.ExecContext(ctx, `UPDATE users SET password_hash = ? WHERE name = ?`, passwordHash, name)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			err = store.ErrNotFound
		}
	}
	if err != nil {
		return fmt.Errorf("set password of %q: %w", name, err)
	}
	return nil
}

// DisableUser implements store.Accounts. Disabling a disabled account
// again keeps the time it was first disabled.
func (s *Store) DisableUser(ctx context.Context, name string) error {
	fail := func(err error) error { return fmt.Errorf("disable user %q: %w", name, err) }
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	var id int64
	err = tx.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return fail(store.ErrNotFound)
	}
	if err != nil {
		return fail(err)
	}
	now := formatTime(time.Now())
	for _, q := range []struct {
		sql  string
		args []any
	}{
		{`UPDATE users SET disabled_at = ? WHERE id = ? AND disabled_at IS NULL`, []any{now, id}},
		{`UPDATE tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL`, []any{now, id}},
		{`DELETE FROM sessions WHERE user_id = ?`, []any{id}},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.args...); err != nil {
			return fail(err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return nil
}

// activeUserID returns the id of the user called name, or ErrNotFound if
// there is none or it is disabled.
func activeUserID(ctx context.Context, q querier, name string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ? AND disabled_at IS NULL`, name).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("no active user %q: %w", name, store.ErrNotFound)
	}
	return id, err
}

// AddToken implements store.Accounts. It returns ErrInvalid for an empty
// hash and ErrConflict for a hash another token has.
func (s *Store) AddToken(ctx context.Context, user, label string, hash []byte) (store.Token, error) {
	fail := func(err error) (store.Token, error) {
		return store.Token{}, fmt.Errorf("add token of %q: %w", user, err)
	}
	if len(hash) == 0 {
		return fail(fmt.Errorf("%w: no token hash", store.ErrInvalid))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	uid, err := activeUserID(ctx, tx, user)
	if err != nil {
		return fail(err)
	}
	var taken int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM tokens WHERE hash = ?`, hash).Scan(&taken); err != nil {
		return fail(err)
	}
	if taken > 0 {
		return fail(fmt.Errorf("%w: another token has this hash", store.ErrConflict))
	}
	t := store.Token{User: user, Label: strings.TrimSpace(label), Created: time.Now().UTC()}
	err = tx.QueryRowContext(ctx, `INSERT INTO tokens (user_id, hash, label, created_at) VALUES (?, ?, ?, ?) RETURNING id`,
		uid, hash, t.Label, formatTime(t.Created)).Scan(&t.ID)
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return t, nil
}

// Tokens implements store.Accounts.
func (s *Store) Tokens(ctx context.Context, user string) ([]store.Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT t.id, t.label, t.created_at, coalesce(t.revoked_at, '')
		FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.name = ? ORDER BY t.id`, user)
	if err != nil {
		return nil, fmt.Errorf("tokens of %q: %w", user, err)
	}
	defer rows.Close()
	out := []store.Token{}
	for rows.Next() {
		t := store.Token{User: user}
		var created, revoked string
		if err := rows.Scan(&t.ID, &t.Label, &created, &revoked); err != nil {
			return nil, fmt.Errorf("tokens of %q: %w", user, err)
		}
		t.Created, t.Revoked = parseTime(created), parseTime(revoked)
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("tokens of %q: %w", user, err)
	}
	return out, nil
}

// RevokeToken implements store.Accounts. Revoking a revoked token again
// keeps the time it was first revoked.
func (s *Store) RevokeToken(ctx context.Context, id int64) error {
	return revoke(ctx, s.db, "tokens", "token", id)
}

// revoke sets revoked_at on row id of table (tokens or grants, a constant)
// unless it is set already; it returns ErrNotFound if there is no row id.
func revoke(ctx context.Context, q querier, table, what string, id int64) error {
	var n int
	err := q.QueryRowContext(ctx, `SELECT count(*) FROM `+table+` WHERE id = ?`, id).Scan(&n)
	if err == nil && n == 0 {
		err = store.ErrNotFound
	}
	if err == nil {
		_, err = q.ExecContext(ctx, `UPDATE `+table+` SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, formatTime(time.Now()), id)
	}
	if err != nil {
		return fmt.Errorf("revoke %s %d: %w", what, id, err)
	}
	return nil
}

// TokenUser implements store.Accounts.
func (s *Store) TokenUser(ctx context.Context, hash []byte) (store.User, error) {
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+`
		FROM tokens t JOIN users u ON u.id = t.user_id JOIN agencies a ON a.id = u.agency_id
		WHERE t.hash = ? AND t.revoked_at IS NULL AND u.disabled_at IS NULL`, hash))
	if errors.Is(err, sql.ErrNoRows) {
		return store.User{}, fmt.Errorf("token: %w", store.ErrNotFound)
	}
	if err != nil {
		return store.User{}, fmt.Errorf("token: %w", err)
	}
	return u, nil
}

// AddSession implements store.Accounts. Created defaults to now. It
// returns ErrNotFound if s.User is no active user, and ErrInvalid for an
// empty hash or a session without an expiry.
func (s *Store) AddSession(ctx context.Context, hash []byte, sess store.Session) error {
	fail := func(err error) error { return fmt.Errorf("add session of %q: %w", sess.User, err) }
	if len(hash) == 0 || sess.Expires.IsZero() {
		return fail(fmt.Errorf("%w: a session needs a hash and an expiry", store.ErrInvalid))
	}
	if sess.Created.IsZero() {
		sess.Created = time.Now()
	}
	if sess.CSRFHash == nil {
		sess.CSRFHash = []byte{}
	}
	uid, err := activeUserID(ctx, s.db, sess.User)
	if err != nil {
		return fail(err)
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO sessions (hash, user_id, csrf_hash, created_at, expires_at) VALUES (?, ?, ?, ?, ?)`,
		hash, uid, sess.CSRFHash, formatTime(sess.Created), formatTime(sess.Expires))
	if err != nil {
		return fail(err)
	}
	return nil
}

// SessionUser implements store.Accounts. An expired session is deleted
// when it is found.
func (s *Store) SessionUser(ctx context.Context, hash []byte) (store.Session, store.User, error) {
	var sess store.Session
	var created, expires string
	u, err := scanUser(s.db.QueryRowContext(ctx, `SELECT `+userColumns+`, s.csrf_hash, s.created_at, s.expires_at
		FROM sessions s JOIN users u ON u.id = s.user_id JOIN agencies a ON a.id = u.agency_id
		WHERE s.hash = ?`, hash), &sess.CSRFHash, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return sess, store.User{}, fmt.Errorf("session: %w", store.ErrNotFound)
	}
	if err != nil {
		return sess, store.User{}, fmt.Errorf("session: %w", err)
	}
	sess.User, sess.Created, sess.Expires = u.Name, parseTime(created), parseTime(expires)
	if !time.Now().Before(sess.Expires) {
		if err := s.DeleteSession(ctx, hash); err != nil {
			return store.Session{}, store.User{}, err
		}
		return store.Session{}, store.User{}, fmt.Errorf("session: expired: %w", store.ErrNotFound)
	}
	if !u.Disabled.IsZero() {
		return store.Session{}, store.User{}, fmt.Errorf("session: user %q is disabled: %w", u.Name, store.ErrNotFound)
	}
	return sess, u, nil
}

// DeleteSession implements store.Accounts.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash); err != nil {
		return fmt.Errorf("delete session: %w", err)
	}
	return nil
}

// Grant implements store.Accounts.
func (s *Store) Grant(ctx context.Context, g store.Grant) (store.Grant, error) {
	g.Collection, g.User, g.Agency = strings.TrimSpace(g.Collection), strings.TrimSpace(g.User), strings.TrimSpace(g.Agency)
	g.By, g.Reason = strings.TrimSpace(g.By), strings.TrimSpace(g.Reason)
	fail := func(err error) (store.Grant, error) {
		return store.Grant{}, fmt.Errorf("grant collection %q to %s: %w", g.Collection, grantee(g), err)
	}
	switch {
	case (g.User == "") == (g.Agency == ""):
		return fail(fmt.Errorf("%w: a grant names a user or an agency, not both or neither", store.ErrInvalid))
	case g.By == "" || g.Reason == "":
		return fail(fmt.Errorf("%w: a grant needs who made it and why", store.ErrInvalid))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	if err := grant(ctx, tx, &g); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return g, nil
}

// grantee names who a grant is for, in an error.
func grantee(g store.Grant) string {
	if g.User != "" {
		return fmt.Sprintf("user %q", g.User)
	}
	return fmt.Sprintf("agency %q", g.Agency)
}

// grant inserts a checked grant, filling in its ID and Created. It returns
// ErrNotFound if the collection, user or agency does not exist.
func grant(ctx context.Context, q querier, g *store.Grant) error {
	var cid int64
	err := q.QueryRowContext(ctx, `SELECT id FROM collections WHERE name = ?`, g.Collection).Scan(&cid)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("no collection %q: %w", g.Collection, store.ErrNotFound)
	}
	if err != nil {
		return err
	}
	var uid, aid sql.NullInt64
	if g.User != "" {
		err = q.QueryRowContext(ctx, `SELECT id FROM users WHERE name = ?`, g.User).Scan(&uid)
	} else {
		err = q.QueryRowContext(ctx, `SELECT id FROM agencies WHERE name = ?`, g.Agency).Scan(&aid)
	}
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("no %s: %w", grantee(*g), store.ErrNotFound)
	}
	if err != nil {
		return err
	}
	g.Created, g.Revoked = time.Now().UTC(), time.Time{}
	return q.QueryRowContext(ctx, `INSERT INTO grants (collection_id, user_id, agency_id, by_user, reason, created_at)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`, cid, uid, aid, g.By, g.Reason, formatTime(g.Created)).Scan(&g.ID)
}

// Grants implements store.Accounts.
func (s *Store) Grants(ctx context.Context, agency string) ([]store.Grant, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT g.id, c.name, coalesce(u.name, ''), coalesce(ga.name, ''),
			g.by_user, g.reason, g.created_at, coalesce(g.revoked_at, '')
		FROM grants g JOIN collections c ON c.id = g.collection_id JOIN agencies owner ON owner.id = c.agency_id
		LEFT JOIN users u ON u.id = g.user_id LEFT JOIN agencies ga ON ga.id = g.agency_id
		WHERE ?1 = '' OR owner.name = ?1 ORDER BY g.id`, agency)
	if err != nil {
		return nil, fmt.Errorf("grants of agency %q: %w", agency, err)
	}
	defer rows.Close()
	out := []store.Grant{}
	for rows.Next() {
		var g store.Grant
		var created, revoked string
		if err := rows.Scan(&g.ID, &g.Collection, &g.User, &g.Agency, &g.By, &g.Reason, &created, &revoked); err != nil {
			return nil, fmt.Errorf("grants of agency %q: %w", agency, err)
		}
		g.Created, g.Revoked = parseTime(created), parseTime(revoked)
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("grants of agency %q: %w", agency, err)
	}
	return out, nil
}

// RevokeGrant implements store.Accounts. Revoking a revoked grant again
// keeps the time it was first revoked.
func (s *Store) RevokeGrant(ctx context.Context, id int64) error {
	return revoke(ctx, s.db, "grants", "grant", id)
}

// Classify implements store.Accounts.
func (s *Store) Classify(ctx context.Context, collection, label string) error {
	if store.ClassificationLevel(label) < 0 {
		return fmt.Errorf("classify collection %q: %w: unknown label %q (want one of %s)",
			collection, store.ErrInvalid, label, strings.Join(store.Classifications, ", "))
	}
	res, err := s.db.ExecContext(ctx, `UPDATE collections SET classification = ? WHERE name = ?`, label, collection)
	if err == nil {
		var n int64
		if n, err = res.RowsAffected(); err == nil && n == 0 {
			err = store.ErrNotFound
		}
	}
	if err != nil {
		return fmt.Errorf("classify collection %q: %w", collection, err)
	}
	return nil
}

// level returns the place of a collection's label among the
// classifications. A label the store does not know reads as above them
// all, so that it hides the collection rather than shows it.
func level(label string) int {
	if l := store.ClassificationLevel(label); l >= 0 {
		return l
	}
	return len(store.Classifications)
}

// ScopeOf implements store.Accounts. The user is read again by name, so a
// scope reflects the account as stored (its agency, clearance and whether
// it is disabled), not as the caller last saw it. It returns ErrNotFound
// if there is no such user.
func (s *Store) ScopeOf(ctx context.Context, u store.User) (store.Scope, error) {
	cur, _, err := s.UserByName(ctx, u.Name)
	if err != nil {
		return store.Scope{Collections: []string{}}, fmt.Errorf("scope: %w", err)
	}
	scope := store.Scope{Collections: []string{}, Agency: cur.Agency}
	if !cur.Disabled.IsZero() {
		return scope, nil
	}
	cleared := 0
	if cur.Clearance != "" {
		// An unknown clearance (never stored by AddUser) clears nothing.
		cleared = store.ClassificationLevel(cur.Clearance)
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.name, c.classification FROM collections c
		WHERE c.agency_id = (SELECT agency_id FROM users WHERE id = ?1)
		OR EXISTS (SELECT 1 FROM grants g WHERE g.collection_id = c.id AND g.revoked_at IS NULL
			AND (g.user_id = ?1 OR g.agency_id = (SELECT agency_id FROM users WHERE id = ?1)))
		ORDER BY c.name`, cur.ID)
	if err != nil {
		return store.Scope{Collections: []string{}}, fmt.Errorf("scope of %q: %w", u.Name, err)
	}
	defer rows.Close()
	for rows.Next() {
		var name, label string
		if err := rows.Scan(&name, &label); err != nil {
			return store.Scope{Collections: []string{}}, fmt.Errorf("scope of %q: %w", u.Name, err)
		}
		if level(label) <= cleared {
			scope.Collections = append(scope.Collections, name)
		}
	}
	if err := rows.Err(); err != nil {
		return store.Scope{Collections: []string{}}, fmt.Errorf("scope of %q: %w", u.Name, err)
	}
	return scope, nil
}
