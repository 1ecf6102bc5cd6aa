package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// querier is what both *sql.DB and *txn offer, so that reads can run
// inside or outside a transaction.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	dialect() *Dialect
}

// A merge is materialised per agency in the table merges (migration 12):
// each member of a merged group has a row naming the group's root, its
// smallest id, and the group's kind; an entity no merge of the agency
// joins has none and reads as itself. Reads resolve an entity with one
// look-up of the key (agency, entity): mergedAs renders it.

// mergedAs renders the join that resolves the entity whose id is the
// column col through the merges of the agency bound to the next
// placeholder, as alias; coalesce(alias.root, col) is then the entity it
// reads as, and coalesce(alias.kind, <its kind>) the group's kind.
func mergedAs(alias, col string) string {
	return `LEFT JOIN merges ` + alias + ` ON ` + alias + `.agency = ? AND ` + alias + `.entity = ` + col
}

// rootOf returns the entity an entity reads as in the agency's view, the
// smallest id of its merged group, and the group's kind (which a forced
// merge may have given it). It returns ErrNotFound for an unknown entity.
func rootOf(ctx context.Context, q querier, agency string, id mosaic.EntityID) (root mosaic.EntityID, kind mosaic.MentionType, err error) {
	var k string
	err = q.QueryRowContext(ctx, `SELECT coalesce(g.root, e.id), coalesce(g.kind, e.kind) FROM entities e `+mergedAs("g", "e.id")+`
		WHERE e.id = ?`, agency, id).Scan(&root, &k)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, "", fmt.Errorf("entity %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return 0, "", fmt.Errorf("entity %d: %w", id, err)
	}
	return root, mosaic.MentionType(k), nil
}

// groupOf returns the ids of the entities that read as root in the
// agency's view, root first.
func groupOf(ctx context.Context, q querier, agency string, root mosaic.EntityID) ([]mosaic.EntityID, error) {
	rows, err := q.QueryContext(ctx, `SELECT entity FROM merges WHERE agency = ? AND root = ? ORDER BY entity`, agency, root)
	if err != nil {
		return nil, fmt.Errorf("entity %d: group: %w", root, err)
	}
	defer rows.Close()
	var out []mosaic.EntityID
	for rows.Next() {
		var id mosaic.EntityID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("entity %d: group: %w", root, err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("entity %d: group: %w", root, err)
	}
	if len(out) == 0 {
		// No merge of the agency joins it: it is a group of one.
		out = []mosaic.EntityID{root}
	}
	return out, nil
}

// idList renders entity ids for an IN clause; they are integers, so
// rendering them is safe.
func idList(ids []mosaic.EntityID) string {
	parts := make([]string, len(ids))
	for i, id := range ids {
		parts[i] = fmt.Sprint(int64(id))
	}
	return "(" + strings.Join(parts, ",") + ")"
}

// bumpGeneration records that what a scope shows about entities may have
// changed (EntityGeneration).
func bumpGeneration(ctx context.Context, q querier) error {
	_, err := q.ExecContext(ctx, `UPDATE generation SET entities = entities + 1`)
	return err
}

// EntityGeneration implements store.Entities.
func (s *Store) EntityGeneration(ctx context.Context) (int64, error) {
	var g int64
	if err := s.db.QueryRowContext(ctx, `SELECT entities FROM generation`).Scan(&g); err != nil {
		return 0, fmt.Errorf("entity generation: %w", err)
	}
	return g, nil
}

// splitWas separates, in the resolution of a mention a split moved, the
// split's own reason from the reason it had before, so that undoing the
// split restores it. The split's reason is folded onto one line, so the
// first newline is always this one.
const splitWas = "\nwas: "

// Judge implements store.Entities.
func (s *Store) Judge(ctx context.Context, j store.Judgement) (store.Judgement, error) {
	j.User, j.Reason = strings.TrimSpace(j.User), strings.TrimSpace(j.Reason)
	j.Agency = strings.TrimSpace(j.Agency)
	j.Name = fold(j.Name)
	fail := func(err error) (store.Judgement, error) {
		return store.Judgement{}, fmt.Errorf("%s judgement on entity %d: %w", j.Kind, j.Entity, err)
	}
	switch {
	case j.User == "" || j.Reason == "":
		return fail(fmt.Errorf("%w: a judgement needs a user and a reason", store.ErrInvalid))
	case j.Force && j.Kind != store.Merge:
		return fail(fmt.Errorf("%w: only a merge can be forced", store.ErrInvalid))
	case j.Kind == store.Merge || j.Kind == store.Reject:
		if j.Other == 0 || j.Name != "" {
			return fail(fmt.Errorf("%w: %s takes two entities and no name", store.ErrInvalid, j.Kind))
		}
	case j.Kind == store.Split || j.Kind == store.Confirm:
		if j.Name == "" || j.Other != 0 {
			return fail(fmt.Errorf("%w: %s takes one entity and one of its names", store.ErrInvalid, j.Kind))
		}
	case j.Kind == store.Flag:
		if j.Other != 0 || j.Name != "" {
			return fail(fmt.Errorf("%w: a flag takes one entity and no name", store.ErrInvalid))
		}
	default:
		return fail(fmt.Errorf("%w: unknown kind (want merge, reject, split, confirm or flag)", store.ErrInvalid))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	// Every effect stays within the judging agency's view: its merges
	// make its groups, and only its rejects, splits and flags are checked.
	root, kind, err := rootOf(ctx, tx, j.Agency, j.Entity)
	if err != nil {
		return fail(err)
	}
	j.Made = time.Now().UTC()
	switch j.Kind {
	case store.Merge, store.Reject:
		if j.Other == j.Entity {
			return fail(fmt.Errorf("%w: an entity is always itself", store.ErrConflict))
		}
		other, otherKind, err := rootOf(ctx, tx, j.Agency, j.Other)
		if err != nil {
			return fail(err)
		}
		switch {
		case kind == otherKind:
			j.Force = false
		case !j.Force:
			return fail(fmt.Errorf("%w: a %s cannot be one entity with a %s unless the merge is forced", store.ErrInvalid, kind, otherKind))
		}
		if root == other {
			return fail(fmt.Errorf("%w: entities %d and %d are already one (undo the merge or split first)", store.ErrConflict, j.Entity, j.Other))
		}
		if j.Kind == store.Merge {
			if err := checkDifferent(ctx, tx, j.Agency, root, other); err != nil {
				return fail(err)
			}
		}
	case store.Split:
		moved, err := moveSpelling(ctx, tx, root, kind, j)
		if err != nil {
			return fail(err)
		}
		j.Other = moved
	case store.Confirm:
		if _, spelled, _, err := spellingMentions(ctx, tx, j.Agency, root, j.Name, false); err != nil {
			return fail(err)
		} else if spelled == 0 {
			return fail(notCalled(j))
		}
	case store.Flag:
		if kind != mosaic.Person {
			return fail(fmt.Errorf("%w: only a person can be flagged, not a %s", store.ErrInvalid, kind))
		}
		if err := checkUnflagged(ctx, tx, j.Agency, root); err != nil {
			return fail(err)
		}
	}
	var other sql.NullInt64
	if j.Other != 0 {
		other = sql.NullInt64{Int64: int64(j.Other), Valid: true}
	}
	// The reason is sealed, bound to its row, so the row's ID is taken
	// before the insert, under the write lock the transaction holds.
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(id), 0) + 1 FROM judgements`).Scan(&j.ID); err != nil {
		return fail(err)
	}
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return fail(err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO judgements (id, kind, entity, other, name, "user", reason, made_at, force, agency)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		j.ID, string(j.Kind), j.Entity, other, j.Name, j.User, k.seal([]byte(j.Reason), rowID("judgement", j.ID), "reason"),
		formatTime(j.Made), j.Force, j.Agency)
	if err != nil {
		return fail(err)
	}
	if j.Kind == store.Split {
		// The moved mentions name the judgement that moved them.
		if _, err := tx.ExecContext(ctx, `UPDATE mentions SET resolution = replace(resolution, '{judgement}', ?) WHERE entity = ?`,
			fmt.Sprint(j.ID), j.Other); err != nil {
			return fail(err)
		}
		// Counted once the reasons name the judgement.
		if err := recountSplit(ctx, tx, j.Agency, root, j.Other); err != nil {
			return fail(err)
		}
	}
	if j.Kind == store.Merge {
		if err := applyMerges(ctx, tx, j.Agency); err != nil {
			return fail(err)
		}
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return j, nil
}

// checkDifferent returns ErrConflict if a reject or split of the agency in
// force says a member of one group is not a member of the other.
func checkDifferent(ctx context.Context, q querier, agency string, a, b mosaic.EntityID) error {
	var id int64
	var kind, user string
	err := q.QueryRowContext(ctx, `SELECT j.id, j.kind, j.user FROM judgements j
		LEFT JOIN merges x ON x.agency = j.agency AND x.entity = j.entity
		LEFT JOIN merges y ON y.agency = j.agency AND y.entity = j.other
		WHERE j.agency = ?3 AND j.undone_at IS NULL AND j.kind IN ('reject', 'split')
		AND ((coalesce(x.root, j.entity) = ?1 AND coalesce(y.root, j.other) = ?2)
		  OR (coalesce(x.root, j.entity) = ?2 AND coalesce(y.root, j.other) = ?1))
		ORDER BY j.id LIMIT 1`, a, b, agency).Scan(&id, &kind, &user)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: judgement %d (%s by %s) says entities %d and %d are different; undo it first", store.ErrConflict, id, kind, user, a, b)
}

// checkUnflagged returns ErrConflict if a flag of the agency in force is
// about root or an entity the agency merged with it.
func checkUnflagged(ctx context.Context, q querier, agency string, root mosaic.EntityID) error {
	var id int64
	var user string
	err := q.QueryRowContext(ctx, `SELECT j.id, j.user FROM judgements j
		LEFT JOIN merges g ON g.agency = j.agency AND g.entity = j.entity
		WHERE j.agency = ? AND j.kind = 'flag' AND j.undone_at IS NULL AND coalesce(g.root, j.entity) = ?
		ORDER BY j.id LIMIT 1`, agency, root).Scan(&id, &user)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return err
	}
	return fmt.Errorf("%w: entity %d is flagged already, by %s (judgement %d)", store.ErrConflict, root, user, id)
}

// applyMerges rewrites the agency's rows of merges from the agency's merges
// in force: each member of a group points at the group's smallest id, with
// the group's kind. The merges are replayed in the order they were made,
// each group taking the kind of the group of the entity its merge named
// first: the kind all members share but for forced merges, where the
// analyst chose it by naming that entity first. Other agencies' rows are
// left alone.
func applyMerges(ctx context.Context, q querier, agency string) error {
	rows, err := q.QueryContext(ctx, `SELECT j.entity, j.other, a.kind, b.kind FROM judgements j
		JOIN entities a ON a.id = j.entity JOIN entities b ON b.id = j.other
		WHERE j.agency = ? AND j.kind = 'merge' AND j.undone_at IS NULL ORDER BY j.id`, agency)
	if err != nil {
		return err
	}
	parent := map[mosaic.EntityID]mosaic.EntityID{}
	// kind holds each group's kind, on its root.
	kind := map[mosaic.EntityID]string{}
	var find func(mosaic.EntityID) mosaic.EntityID
	find = func(x mosaic.EntityID) mosaic.EntityID {
		p, ok := parent[x]
		if !ok || p == x {
			return x
		}
		r := find(p)
		parent[x] = r
		return r
	}
	for rows.Next() {
		var a, b mosaic.EntityID
		var ka, kb string
		if err := rows.Scan(&a, &b, &ka, &kb); err != nil {
			rows.Close()
			return err
		}
		for _, e := range []struct {
			id   mosaic.EntityID
			kind string
		}{{a, ka}, {b, kb}} {
			if _, ok := kind[e.id]; !ok {
				kind[e.id] = e.kind
			}
		}
		ra, rb := find(a), find(b)
		if ra == rb {
			continue
		}
		k := kind[ra]
		if ra > rb {
			ra, rb = rb, ra
		}
		parent[ra], parent[rb] = ra, ra
		kind[ra] = k
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	if _, err := q.ExecContext(ctx, `DELETE FROM merges WHERE agency = ?`, agency); err != nil {
		return err
	}
	for x := range parent {
		r := find(x)
		if _, err := q.ExecContext(ctx, `INSERT INTO merges (agency, entity, root, kind) VALUES (?, ?, ?, ?)`,
			agency, x, r, kind[r]); err != nil {
			return err
		}
	}
	return nil
}

// groupMention is one mention of an entity's group, keyed for an update.
type groupMention struct {
	doc, start, end int64
	typ, text, why  string
}

// agencyDocs renders the condition that the document whose seq is the
// column col is held by a collection the agency bound to the next two
// placeholders owns, or one granted to it and not revoked: the documents
// its judgements are about. A user's scope may be narrower (by clearance),
// never wider.
func agencyDocs(col string) string {
	return `EXISTS (SELECT 1 FROM holdings h WHERE h.doc = ` + col + ` AND h.collection_id IN (
		SELECT c.id FROM collections c JOIN agencies a ON a.id = c.agency_id WHERE a.name = ?
		UNION SELECT g.collection_id FROM grants g JOIN agencies a ON a.id = g.agency_id
		WHERE a.name = ? AND g.revoked_at IS NULL))`
}

// spellingMentions reads the mentions of root's group, in the agency's
// view, that the agency's documents hold (every mention for the command
// line): total is how many there are, spelled how many of them are spelled
// name (folded), and match those of them that a split may move. With
// ownOnly, match leaves out the mentions of documents a collection of
// another agency holds: an agency's split may not change what another
// agency sees.
func spellingMentions(ctx context.Context, q querier, agency string, root mosaic.EntityID, name string, ownOnly bool) (match []groupMention, spelled, total int, err error) {
	group, err := groupOf(ctx, q, agency, root)
	if err != nil {
		return nil, 0, 0, err
	}
	// Another agency's documents are none of the agency's business: what
	// they call the entity must not change the answer it gets.
	inScope, args := `1 = 1`, []any{}
	if agency != "" {
		inScope, args = agencyDocs("m.doc"), []any{agency, agency}
	}
	// shared is 1 for a mention of a document another agency holds.
	shared := `0`
	if ownOnly {
		shared = `EXISTS (SELECT 1 FROM holdings h JOIN collections c ON c.id = h.collection_id
			JOIN agencies a ON a.id = c.agency_id WHERE h.doc = m.doc AND a.name != ?)`
		args = append([]any{agency}, args...)
	}
	rows, err := q.QueryContext(ctx, `SELECT m.doc, m.start_byte, m.end_byte, m.type, m.text, m.resolution, `+shared+`
		FROM mentions m WHERE m.entity IN `+idList(group)+` AND `+inScope, args...)
	if err != nil {
		return nil, 0, 0, err
	}
	defer rows.Close()
	for rows.Next() {
		var m groupMention
		var elsewhere bool
		if err := rows.Scan(&m.doc, &m.start, &m.end, &m.typ, &m.text, &m.why, &elsewhere); err != nil {
			return nil, 0, 0, err
		}
		total++
		if fold(m.text) != name {
			continue
		}
		spelled++
		if !elsewhere {
			match = append(match, m)
		}
	}
	return match, spelled, total, rows.Err()
}

// notCalled is the error for a confirm or split of a spelling the
// judge's documents never use for the entity. For an agency it reads the
// same whether no document calls the entity so or only other agencies'
// documents do, so that a judgement cannot test what another agency
// holds.
func notCalled(j store.Judgement) error {
	if j.Agency == "" {
		return fmt.Errorf("%w: the entity is never called %q", store.ErrInvalid, j.Name)
	}
	return fmt.Errorf("%w: entity %d is not called %q in your agency's documents", store.ErrInvalid, j.Entity, j.Name)
}

// moveSpelling moves the mentions of root's group spelled j.Name to a new
// entity and returns its id. Mentions are seen by every agency, so a split
// by an agency moves only those of its documents that no other agency
// holds; one by the command line moves them all. The moved mentions'
// reason names the entity and the judgement, never its user or reason,
// which are the agency's own: an agency the document is shared with later
// reads the reason too.
func moveSpelling(ctx context.Context, tx querier, root mosaic.EntityID, kind mosaic.MentionType, j store.Judgement) (mosaic.EntityID, error) {
	match, spelled, total, err := spellingMentions(ctx, tx, j.Agency, root, j.Name, j.Agency != "")
	if err != nil {
		return 0, err
	}
	switch {
	case spelled == 0:
		return 0, notCalled(j)
	case len(match) == 0:
		return 0, fmt.Errorf("%w: every mention spelled %q is in a document held beyond agency %s, which its split leaves as it is", store.ErrInvalid, j.Name, j.Agency)
	case len(match) == total:
		return 0, fmt.Errorf("%w: every mention of the entity is spelled %q, so a split would leave nothing", store.ErrInvalid, j.Name)
	}
	var id mosaic.EntityID
	if err := tx.QueryRowContext(ctx, `INSERT INTO entities (kind, name, created_at) VALUES (?, ?, ?) RETURNING id`,
		string(kind), j.Name, formatTime(j.Made)).Scan(&id); err != nil {
		return 0, err
	}
	// {judgement} is replaced by the judgement's id once it is inserted.
	prefix := fmt.Sprintf("split from entity %d (judgement {judgement})", root)
	for _, m := range match {
		if _, err := tx.ExecContext(ctx, `UPDATE mentions SET entity = ?, resolution = ?
			WHERE doc = ? AND start_byte = ? AND end_byte = ? AND type = ?`,
			id, prefix+splitWas+m.why, m.doc, m.start, m.end, m.typ); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// Undo implements store.Entities.
func (s *Store) Undo(ctx context.Context, id int64, user, reason string) (store.Judgement, error) {
	user, reason = strings.TrimSpace(user), strings.TrimSpace(reason)
	fail := func(err error) (store.Judgement, error) {
		return store.Judgement{}, fmt.Errorf("undo judgement %d: %w", id, err)
	}
	if user == "" {
		return fail(fmt.Errorf("%w: an undo needs a user", store.ErrInvalid))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	js, err := s.judgements(ctx, tx, `WHERE id = ?`, id)
	if err != nil {
		return fail(err)
	}
	if len(js) == 0 {
		return fail(store.ErrNotFound)
	}
	j := js[0]
	if !j.Active() {
		return fail(fmt.Errorf("%w: undone already, by %s on %s", store.ErrConflict, j.UndoneBy, j.Undone.Format(time.DateOnly)))
	}
	j.Undone, j.UndoneBy, j.UndoReason = time.Now().UTC(), user, reason
	switch j.Kind {
	case store.Split:
		if err := checkSplitUndo(ctx, tx, j); err != nil {
			return fail(err)
		}
		docs, err := docsNaming(ctx, tx, j.Other)
		if err != nil {
			return fail(err)
		}
		// The mentions go back with the reasons they had before. An
		// agency's split takes back only the mentions it moved (their
		// reasons say so): one resolution tied to the new entity since, in
		// a document another agency may hold, stays as it was.
		moved := `1 = 1`
		if j.Agency != "" {
			moved = `instr(resolution, ?2) > 0`
		}
		if _, err := tx.ExecContext(ctx, `UPDATE mentions SET entity = ?,
			resolution = CASE WHEN instr(resolution, ?2) > 0 THEN substr(resolution, instr(resolution, ?2) + length(?2)) ELSE resolution END
			WHERE entity = ?3 AND `+moved, j.Entity, splitWas, j.Other); err != nil {
			return fail(err)
		}
		if err := recountMoved(ctx, tx, docs, []mosaic.EntityID{j.Entity, j.Other}); err != nil {
			return fail(err)
		}
	}
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return fail(err)
	}
	if _, err := tx.ExecContext(ctx, `UPDATE judgements SET undone_at = ?, undone_by = ?, undo_reason = ? WHERE id = ?`,
		formatTime(j.Undone), user, k.seal([]byte(reason), rowID("judgement", j.ID), "undo_reason"), j.ID); err != nil {
		return fail(err)
	}
	if j.Kind == store.Merge {
		if err := applyMerges(ctx, tx, j.Agency); err != nil {
			return fail(err)
		}
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return j, nil
}

// checkSplitUndo returns ErrConflict if a later judgement in force stands
// on the entity split j made: one of j's agency, which that agency can
// undo first, or a split by another agency, which moved mentions on from
// it. Another agency's merges, rejects, confirms and flags move nothing, so
// they do not block the undo (the entity reads as empty to them after it);
// and another agency's judgement is never named, its id being that
// agency's own.
func checkSplitUndo(ctx context.Context, q querier, j store.Judgement) error {
	var later int64
	var agency string
	err := q.QueryRowContext(ctx, `SELECT id, agency FROM judgements
		WHERE id > ?1 AND undone_at IS NULL AND (entity = ?2 OR other = ?2) AND (agency = ?3 OR kind = 'split')
		ORDER BY agency != ?3, id LIMIT 1`, j.ID, j.Other, j.Agency).Scan(&later, &agency)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil
	case err != nil:
		return err
	case agency == j.Agency:
		return fmt.Errorf("%w: judgement %d is about the entity this split made; undo it first", store.ErrConflict, later)
	}
	return fmt.Errorf("%w: another agency has since split the entity this split made", store.ErrConflict)
}

// Judgements implements store.Entities.
func (s *Store) Judgements(ctx context.Context, entity mosaic.EntityID, agency string) ([]store.Judgement, error) {
	if entity == 0 {
		return s.judgements(ctx, s.db, `WHERE agency = ? ORDER BY id DESC`, agency)
	}
	root, _, err := rootOf(ctx, s.db, agency, entity)
	if err != nil {
		return nil, err
	}
	group, err := groupOf(ctx, s.db, agency, root)
	if err != nil {
		return nil, err
	}
	in := idList(group)
	return s.judgements(ctx, s.db, `WHERE agency = ? AND (entity IN `+in+` OR other IN `+in+`) ORDER BY id DESC`, agency)
}

// Flagged implements store.Entities.
func (s *Store) Flagged(ctx context.Context, agency string) ([]mosaic.EntityID, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT coalesce(g.root, j.entity) AS root
		FROM judgements j LEFT JOIN merges g ON g.agency = j.agency AND g.entity = j.entity
		WHERE j.agency = ? AND j.kind = 'flag' AND j.undone_at IS NULL ORDER BY root`, agency)
	if err != nil {
		return nil, fmt.Errorf("flagged entities: %w", err)
	}
	defer rows.Close()
	var out []mosaic.EntityID
	for rows.Next() {
		var id mosaic.EntityID
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("flagged entities: %w", err)
		}
		out = append(out, id)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("flagged entities: %w", err)
	}
	return out, nil
}

// judgements reads judgements selected by the where clause, opening their
// reasons.
func (s *Store) judgements(ctx context.Context, q querier, where string, args ...any) ([]store.Judgement, error) {
	return readJudgements(ctx, q, s.openColumn, where, args...)
}

// readJudgements reads judgements selected by the where clause; text reads
// a reason or undo reason of the row it names (rowID "judgement"): opens
// it, or, in a migration's test, takes it in clear as an older release
// stored it.
func readJudgements(ctx context.Context, q querier, text func(v any, id, column string) (string, error), where string, args ...any) ([]store.Judgement, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind, entity, coalesce(other, 0), name, "user", reason, made_at,
		coalesce(undone_at, ''), coalesce(undone_by, ''), undo_reason, force, agency FROM judgements `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("judgements: %w", err)
	}
	defer rows.Close()
	var out []store.Judgement
	for rows.Next() {
		var j store.Judgement
		var kind, made, undone string
		var reason, undoReason any
		if err := rows.Scan(&j.ID, &kind, &j.Entity, &j.Other, &j.Name, &j.User, &reason, &made, &undone, &j.UndoneBy, &undoReason, &j.Force, &j.Agency); err != nil {
			return nil, fmt.Errorf("judgements: %w", err)
		}
		id := rowID("judgement", j.ID)
		if j.Reason, err = text(reason, id, "reason"); err != nil {
			return nil, fmt.Errorf("judgements: %w", err)
		}
		if undoReason != nil {
			if j.UndoReason, err = text(undoReason, id, "undo_reason"); err != nil {
				return nil, fmt.Errorf("judgements: %w", err)
			}
		}
		j.Kind, j.Made = store.JudgementKind(kind), parseTime(made)
		if undone != "" {
			j.Undone = parseTime(undone)
		}
		out = append(out, j)
	}
	return out, rows.Err()
}
