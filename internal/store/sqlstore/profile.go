package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// A profile reads the tallies (tally.go), never the mentions, and every
// list in it is a page read in the order of an index or of a small
// aggregate, so its cost does not grow with how often the entity is
// named.

// profileDocuments is how many documents a profile lists under each name.
const profileDocuments = 10

// group is an entity as it reads after the merges of an agency: the root
// and the ids of every entity merged into it.
type group struct {
	mosaic.Entity
	ids []mosaic.EntityID
	// in renders ids for an IN clause.
	in string
	// agency is the agency whose judgements made the group.
	agency string
}

// group reads the entity id as the agency's merges make it.
func (s *Store) group(ctx context.Context, id mosaic.EntityID, agency string) (group, error) {
	g := group{agency: agency}
	root, kind, err := rootOf(ctx, s.db, agency, id)
	if err != nil {
		return g, err
	}
	if err := s.db.QueryRowContext(ctx, `SELECT id, name FROM entities WHERE id = ?`, root).Scan(&g.ID, &g.Name); err != nil {
		return g, fmt.Errorf("entity %d: %w", id, err)
	}
	g.Kind = kind
	if g.ids, err = groupOf(ctx, s.db, agency, root); err != nil {
		return g, err
	}
	g.in = idList(g.ids)
	return g, nil
}

// visibleDoc renders the condition that the document whose seq is the
// column col is held by a collection in scope. Every document in the
// store is held by some collection (one that loses its last holding leaves
// with its tallies), so the whole scope needs no condition. The scope's
// collections are looked up first and written into the condition as
// their ids: PostgreSQL's planner, given a subquery on names instead,
// guessed a handful of held documents and walked every holding of the
// store (a profile's connections at 10,000 documents: 74 ms against 5).
func (s *Store) visibleDoc(ctx context.Context, col string, scope store.Scope) (string, []any, error) {
	vis, _, err := s.scopeConds(ctx, col, scope)
	return vis, nil, err
}

// scopeConds renders a scope as visibleDoc does (vis), and, for a scope
// that names collections, the condition under which they hold every
// document (whole, "" for a scope of every collection or of none): see
// holdsEverything. The scope's collections are looked up once for both.
func (s *Store) scopeConds(ctx context.Context, col string, scope store.Scope) (vis, whole string, err error) {
	switch {
	case scope.Collections == nil:
		return `1 = 1`, "", nil
	case len(scope.Collections) == 0:
		return `1 = 0`, "", nil
	}
	ids, err := s.collectionIDs(ctx, scope.Collections)
	if err != nil {
		return "", "", err
	}
	if ids == "" {
		return `1 = 0`, "", nil
	}
	return `EXISTS (SELECT 1 FROM holdings h WHERE h.doc = ` + col + ` AND h.collection_id IN ` + ids + `)`, holdsEverything(ids), nil
}

// everything reports whether a scope sees every collection, so that the
// totals over every document (spelling_totals, spelling_docs,
// pair_totals) answer for it.
func everything(scope store.Scope) bool { return scope.Collections == nil }

// holdsEverything renders the condition under which the collections ids
// (an SQL list, "(1,2)") hold every document, so that the totals over
// every document answer for them too: no other collection holds one (a
// document always has a holding, and leaves with its last). A read asks
// it inside its own statement, beside the read of the scope's documents
// that answers otherwise, so that both see the same documents: one
// arriving between two statements cannot slip into totals read for a
// scope that no longer holds everything.
func holdsEverything(ids string) string {
	return `NOT EXISTS (SELECT 1 FROM collections oc WHERE oc.id NOT IN ` + ids + `
		AND EXISTS (SELECT 1 FROM holdings oh WHERE oh.collection_id = oc.id))`
}

// unlessWhole renders the start of a FROM clause under which the tables
// after it are read only when the scope does not hold every document (whole
// is false), for the branch of a read that answers then. Asked as a
// condition of the branch ("AND NOT whole"), SQLite tested it at each row
// it read, and so read them all: a hub's 530,000 co-occurrence rows for
// none, 28-45 ms against under 1 this way.
func unlessWhole(whole string) string {
	return `(SELECT 1 AS one WHERE NOT ` + whole + `) AS partial CROSS JOIN `
}

// Entity implements store.Entities.
func (s *Store) Entity(ctx context.Context, id mosaic.EntityID, scope store.Scope) (store.EntityProfile, error) {
	var p store.EntityProfile
	g, err := s.group(ctx, id, scope.Agency)
	if err != nil {
		return p, err
	}
	if p.Entity, p.Names, p.NamesNext, err = s.spellings(ctx, g, scope, store.Page{}); err != nil {
		return p, err
	}
	p.Merged = g.ids[1:]
	if p.Collections, err = s.entityCollections(ctx, g, scope); err != nil {
		return p, err
	}
	if p.Connections, p.ConnectionsNext, err = s.connections(ctx, g, scope, store.Page{}); err != nil {
		return p, err
	}
	if p.Timeline, p.TimelineNext, err = s.timeline(ctx, g, scope, store.Page{}); err != nil {
		return p, err
	}
	// A link quotes the spelling that matched: only one the scope holds.
	links, err := s.groupLinks(ctx, g.ID, g.in, nil)
	if err != nil {
		return p, err
	}
	for _, l := range links {
		ok, err := s.spelledInScope(ctx, g, l.Spelling, scope)
		if err != nil {
			return p, err
		}
		if ok {
			p.Watchlist = append(p.Watchlist, l)
		}
	}
	if p.Watchlist == nil {
		p.Watchlist = []store.WatchlistLink{}
	}
	return p, nil
}

// spelledInScope reports whether a document in scope calls the group name.
func (s *Store) spelledInScope(ctx context.Context, g group, name string, scope store.Scope) (bool, error) {
	vis, args, err := s.visibleDoc(ctx, "x.doc", scope)
	if err != nil {
		return false, err
	}
	var n int
	err = s.db.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM entity_spellings x
		WHERE x.entity IN `+g.in+` AND x.name = ? AND `+vis+` LIMIT 1) AS found`, append([]any{fold(name)}, args...)...).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("entity %d: %w", g.ID, err)
	}
	return n > 0, nil
}

// EntitySpellings implements store.Entities.
func (s *Store) EntitySpellings(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) (mosaic.Entity, []store.EntityName, string, error) {
	g, err := s.group(ctx, id, scope.Agency)
	if err != nil {
		return mosaic.Entity{}, nil, "", err
	}
	return s.spellings(ctx, g, scope, p)
}

// nameRow is one spelling with its totals in scope.
type nameRow struct {
	name           string
	mentions, docs int
}

// names reads a page of the group's spellings in scope, most mentioned
// first, then by name.
func (s *Store) names(ctx context.Context, g group, scope store.Scope, p store.Page) ([]nameRow, string, error) {
	var after nameRow
	having, hargs := "", []any{}
	snap, err := s.snapshotOf(ctx, p.Cursor, "names", &after.mentions, &after.name)
	if err != nil {
		return nil, "", err
	}
	if p.Cursor != "" {
		having, hargs = `WHERE n < ? OR (n = ? AND spelling > ?)`, []any{after.mentions, after.mentions, after.name}
	}
	vis, whole, err := s.scopeConds(ctx, "x.doc", scope)
	if err != nil {
		return nil, "", err
	}
	args := []any{snap.upto}
	size := p.Size()
	// Counting the documents of each spelling takes every one of them,
	// unless the totals have it: for the whole scope, and an entity no
	// merge joined to another (whose documents would overlap), while no
	// document has come since paging began.
	scoped := func(from string) string {
		return `SELECT x.name AS spelling, sum(x.mentions) AS n, count(DISTINCT x.doc) AS docs
			FROM ` + from + `entity_spellings x WHERE x.entity IN ` + g.in + ` AND ` + vis + ` AND x.doc <= ?`
	}
	totals := `SELECT t.name AS spelling, sum(t.mentions) AS n, d.docs AS docs
		FROM spelling_totals t JOIN spelling_docs d ON d.entity = t.entity AND d.name = t.name
		WHERE t.entity IN ` + g.in
	counted := scoped("") + ` GROUP BY x.name`
	if len(g.ids) == 1 && snap.current {
		switch {
		case everything(scope):
			args = nil
			counted = totals + ` GROUP BY t.name, d.docs`
		case whole != "":
			counted = totals + ` AND ` + whole + ` GROUP BY t.name, d.docs
				UNION ALL ` + scoped(unlessWhole(whole)) + ` GROUP BY x.name`
		}
	}
	query := `SELECT spelling, n, docs FROM (` + counted + `) r ` + having + ` ORDER BY n DESC, spelling LIMIT ?`
	rows, err := s.db.QueryContext(ctx, query, append(append(args, hargs...), size+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("entity %d: names: %w", g.ID, err)
	}
	defer rows.Close()
	var out []nameRow
	for rows.Next() {
		var r nameRow
		if err := rows.Scan(&r.name, &r.mentions, &r.docs); err != nil {
			return nil, "", fmt.Errorf("entity %d: names: %w", g.ID, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("entity %d: names: %w", g.ID, err)
	}
	next := ""
	if len(out) > size {
		out = out[:size]
		last := out[size-1]
		next = s.encodeCursor("names", last.mentions, last.name, snap.upto)
	}
	return out, next, nil
}

// EntityNameCounts implements store.Entities.
func (s *Store) EntityNameCounts(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) (mosaic.Entity, []store.EntityName, string, error) {
	g, err := s.group(ctx, id, scope.Agency)
	if err != nil {
		return mosaic.Entity{}, nil, "", err
	}
	e, rows, next, err := s.nameCounts(ctx, g, scope, p)
	if err != nil {
		return e, nil, "", err
	}
	out := make([]store.EntityName, len(rows))
	for i, r := range rows {
		out[i] = store.EntityName{Name: r.name, Mentions: r.mentions, DocumentCount: r.docs}
	}
	return e, out, next, nil
}

// nameCounts returns the group as the scope sees it and a page of its
// names with their counts.
func (s *Store) nameCounts(ctx context.Context, g group, scope store.Scope, p store.Page) (mosaic.Entity, []nameRow, string, error) {
	e := g.Entity
	rows, next, err := s.names(ctx, g, scope, p)
	if err != nil {
		return e, nil, "", err
	}
	// The canonical name may be a spelling only collections outside the
	// scope hold; then the scope sees its own most frequent spelling.
	if ok, err := s.spelledInScope(ctx, g, e.Name, scope); err != nil {
		return e, nil, "", err
	} else if !ok {
		top := rows
		if p.Cursor != "" {
			if top, _, err = s.names(ctx, g, scope, store.Page{Limit: 1}); err != nil {
				return e, nil, "", err
			}
		}
		if len(top) == 0 {
			return e, nil, "", fmt.Errorf("entity %d: %w", g.ID, store.ErrNotFound)
		}
		e.Name = top[0].name
	}
	return e, rows, next, nil
}

func (s *Store) spellings(ctx context.Context, g group, scope store.Scope, p store.Page) (mosaic.Entity, []store.EntityName, string, error) {
	e, rows, next, err := s.nameCounts(ctx, g, scope, p)
	if err != nil {
		return e, nil, "", err
	}
	// Only the agency's own confirmations mark a spelling.
	confirmed, err := s.judgements(ctx, s.db, `WHERE agency = ? AND kind = 'confirm' AND undone_at IS NULL AND entity IN `+g.in, g.agency)
	if err != nil {
		return e, nil, "", err
	}
	out := []store.EntityName{}
	for _, r := range rows {
		n := store.EntityName{Name: r.name, Mentions: r.mentions, DocumentCount: r.docs}
		if n.Why, err = s.whys(ctx, g, r.name, scope); err != nil {
			return e, nil, "", err
		}
		n.Confirmed = slices.ContainsFunc(confirmed, func(j store.Judgement) bool { return j.Name == r.name })
		if n.Documents, n.DocumentsNext, err = s.spellingDocuments(ctx, g, r.name, scope, store.Page{Limit: profileDocuments}); err != nil {
			return e, nil, "", err
		}
		out = append(out, n)
	}
	return e, out, next, nil
}

// whys lists the reasons resolution gave for tying mentions spelled name
// to the group, most frequent first. For a scope that does not see every
// document, a quoted name from elsewhere stays only if a document in scope
// calls the group by it (entity.RedactReason).
func (s *Store) whys(ctx context.Context, g group, name string, scope store.Scope) ([]string, error) {
	vis, whole, err := s.scopeConds(ctx, "x.doc", scope)
	if err != nil {
		return nil, err
	}
	// The last column says the totals answered: for every document.
	scoped := func(from string) string {
		return `SELECT x.why, sum(x.mentions), 0 FROM ` + from + `entity_spellings x
			WHERE x.entity IN ` + g.in + ` AND x.name = ? AND ` + vis
	}
	totals := `SELECT why, sum(mentions), 1 FROM spelling_totals WHERE entity IN ` + g.in + ` AND name = ?`
	query, qargs := scoped("")+` GROUP BY x.why`, []any{name}
	switch {
	case everything(scope):
		query = totals + ` GROUP BY why`
	case whole != "":
		query = totals + ` AND ` + whole + ` GROUP BY why UNION ALL ` + scoped(unlessWhole(whole)) + ` GROUP BY x.why`
		qargs = []any{name, name}
	}
	rows, err := s.db.QueryContext(ctx, query, qargs...)
	if err != nil {
		return nil, fmt.Errorf("entity %d: reasons: %w", g.ID, err)
	}
	defer rows.Close()
	counts := map[string]int{}
	all := everything(scope)
	for rows.Next() {
		var why string
		var n int
		var fromTotals bool
		if err := rows.Scan(&why, &n, &fromTotals); err != nil {
			return nil, fmt.Errorf("entity %d: reasons: %w", g.ID, err)
		}
		counts[why] += n
		all = all || fromTotals
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("entity %d: reasons: %w", g.ID, err)
	}
	if all {
		return mostFrequent(counts), nil
	}
	// A reason was written against every document in the store, and may
	// quote a name only documents out of the scope use.
	seen := map[string]bool{}
	var lookErr error
	visible := func(name string) bool {
		name = fold(name)
		ok, done := seen[name]
		if !done && lookErr == nil {
			ok, lookErr = s.spelledInScope(ctx, g, name, scope)
			seen[name] = ok
		}
		return ok
	}
	redacted := map[string]int{}
	for why, n := range counts {
		redacted[entity.RedactReason(why, visible)] += n
	}
	if lookErr != nil {
		return nil, fmt.Errorf("entity %d: reasons: %w", g.ID, lookErr)
	}
	return mostFrequent(redacted), nil
}

// SpellingDocuments implements store.Entities.
func (s *Store) SpellingDocuments(ctx context.Context, id mosaic.EntityID, name string, scope store.Scope, p store.Page) ([]store.DocumentRef, string, error) {
	g, err := s.group(ctx, id, scope.Agency)
	if err != nil {
		return nil, "", err
	}
	return s.spellingDocuments(ctx, g, fold(name), scope, p)
}

func (s *Store) spellingDocuments(ctx context.Context, g group, name string, scope store.Scope, p store.Page) ([]store.DocumentRef, string, error) {
	var after int64
	if p.Cursor != "" {
		if err := s.decodeCursor(p.Cursor, "spelling", &after); err != nil {
			return nil, "", err
		}
	}
	vis, args, err := s.visibleDoc(ctx, "x.doc", scope)
	if err != nil {
		return nil, "", err
	}
	// The page's documents are found first, in the index's order, and only
	// then joined to their titles: made distinct after the join, a name in
	// half of 100,000 documents sorted all of them for a page (1.9 s on
	// PostgreSQL, 16 ms on SQLite; 0.8 and 1 ms so).
	return s.documentRefs(ctx, g, scope, "spelling", p.Size(), func(r docRef) []any { return []any{r.seq} },
		`SELECT x.doc, d.id, d.title, d.date FROM (SELECT DISTINCT x.doc FROM entity_spellings x
		WHERE x.entity IN `+g.in+` AND x.name = ? AND x.doc > ? AND `+vis+` ORDER BY x.doc LIMIT ?) x
		JOIN documents d ON d.seq = x.doc ORDER BY x.doc`,
		append(append([]any{name, after}, args...), p.Size()+1)...)
}

// docRef is a DocumentRef with its row number.
type docRef struct {
	store.DocumentRef
	seq  int64
	date string
}

// documentRefs reads a page of (seq, id, title, date) rows, at most size
// after one more to tell whether there is a next page, and gives each the
// collections in scope that hold it; key renders the cursor of the last.
func (s *Store) documentRefs(ctx context.Context, g group, scope store.Scope, list string, size int, key func(docRef) []any, query string, args ...any) ([]store.DocumentRef, string, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, "", fmt.Errorf("entity %d: documents: %w", g.ID, err)
	}
	var refs []docRef
	for rows.Next() {
		var r docRef
		var id string
		var title []byte
		err := rows.Scan(&r.seq, &id, &title, &r.date)
		if err == nil {
			r.Title, err = s.openText(title, id, "title")
		}
		if err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("entity %d: documents: %w", g.ID, err)
		}
		r.ID, r.Date = mosaic.DocID(id), parseTime(r.date)
		refs = append(refs, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("entity %d: documents: %w", g.ID, err)
	}
	next := ""
	if len(refs) > size {
		refs = refs[:size]
		next = s.encodeCursor(list, key(refs[size-1])...)
	}
	seqs := make([]int64, len(refs))
	for i, r := range refs {
		seqs[i] = r.seq
	}
	held, err := s.heldBySeq(ctx, seqs)
	if err != nil {
		return nil, "", err
	}
	out := make([]store.DocumentRef, len(refs))
	for i, r := range refs {
		out[i] = r.DocumentRef
		out[i].Collections = []string{}
		for _, c := range held[r.seq] {
			if scope.Allows(c) {
				out[i].Collections = append(out[i].Collections, c)
			}
		}
	}
	return out, next, nil
}

// heldBySeq returns the collections that hold each document, by seq, in
// the order they came to hold it.
func (s *Store) heldBySeq(ctx context.Context, seqs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	if len(seqs) == 0 {
		return out, nil
	}
	args := make([]any, len(seqs))
	for i, v := range seqs {
		args[i] = v
	}
	rows, err := s.db.QueryContext(ctx, `SELECT h.doc, c.name FROM holdings h JOIN collections c ON c.id = h.collection_id
		WHERE h.doc IN (`+placeholders(len(seqs))+`) ORDER BY h.doc, h.seq`, args...)
	if err != nil {
		return nil, fmt.Errorf("holdings: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var seq int64
		var name string
		if err := rows.Scan(&seq, &name); err != nil {
			return nil, fmt.Errorf("holdings: %w", err)
		}
		out[seq] = append(out[seq], name)
	}
	return out, rows.Err()
}

// placeholders renders n comma-separated question marks.
func placeholders(n int) string {
	b := make([]byte, 0, 3*n)
	for i := range n {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, '?')
	}
	return string(b)
}

// entityCollections names the collections in scope that hold a document
// naming the group. Each collection stops at the first such document.
func (s *Store) entityCollections(ctx context.Context, g group, scope store.Scope) ([]string, error) {
	where, args := "", []any{}
	if scope.Collections != nil {
		if len(scope.Collections) == 0 {
			return []string{}, nil
		}
		where, args = inList("c.name", scope.Collections)
		where = "AND " + where
	}
	rows, err := s.db.QueryContext(ctx, `SELECT c.name FROM collections c WHERE EXISTS (
			SELECT 1 FROM entity_spellings x JOIN holdings h ON h.doc = x.doc AND h.collection_id = c.id
			WHERE x.entity IN `+g.in+`) `+where+` ORDER BY c.name`, args...)
	if err != nil {
		return nil, fmt.Errorf("entity %d: collections: %w", g.ID, err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("entity %d: collections: %w", g.ID, err)
		}
		out = append(out, name)
	}
	return out, rows.Err()
}

// snapshot is the documents a list ordered by counts reads: those stored
// when paging began (seq up to upto), so that documents arriving between
// pages change no count the order rests on. current says no document has
// come since, so the kept totals answer for it.
type snapshot struct {
	upto    int64
	current bool
}

// snapshotOf reads a cursor of list (its key into key, then the snapshot)
// or, for a first page, takes the snapshot now.
func (s *Store) snapshotOf(ctx context.Context, cursor, list string, key ...any) (snapshot, error) {
	var snap snapshot
	if cursor != "" {
		if err := s.decodeCursor(cursor, list, append(key, &snap.upto)...); err != nil {
			return snap, err
		}
	}
	var last int64
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(seq), 0) FROM documents`).Scan(&last); err != nil {
		return snap, fmt.Errorf("%s: %w", list, err)
	}
	if cursor == "" {
		snap.upto = last
	}
	snap.current = snap.upto == last
	return snap, nil
}

// EntityConnections implements store.Entities.
func (s *Store) EntityConnections(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) ([]store.Connection, string, error) {
	g, err := s.group(ctx, id, scope.Agency)
	if err != nil {
		return nil, "", err
	}
	return s.connections(ctx, g, scope, p)
}

// connections reads a page of the entities named in the same sentences as
// the group in documents in scope, most shared sentences first, then by ID.
func (s *Store) connections(ctx context.Context, g group, scope store.Scope, p store.Page) ([]store.Connection, string, error) {
	having, hargs := "", []any{}
	var n int
	var id mosaic.EntityID
	snap, err := s.snapshotOf(ctx, p.Cursor, "connections", &n, &id)
	if err != nil {
		return nil, "", err
	}
	if p.Cursor != "" {
		having, hargs = ` AND (n < ? OR (n = ? AND rid > ?))`, []any{n, n, id}
	}
	inScope, whole, err := s.scopeConds(ctx, "c.doc", scope)
	if err != nil {
		return nil, "", err
	}
	vis := inScope + ` AND c.doc <= ?`
	args := []any{snap.upto}
	size := p.Size()
	// from and where are the pairs counted; vis and args stay the
	// scope's, for naming the connections.
	from, where, wargs := `cooccurrences c`, vis, args
	if snap.current {
		switch {
		case everything(scope):
			from, where, wargs = `pair_totals c`, `1 = 1`, nil
		case whole != "":
			from = `(SELECT a, b, sentences FROM pair_totals WHERE a IN ` + g.in + ` AND ` + whole + `
				UNION ALL SELECT c.a, c.b, c.sentences FROM ` + unlessWhole(whole) + `cooccurrences c WHERE c.a IN ` + g.in + ` AND ` + vis + `) c`
			where = `1 = 1`
		}
	}
	// Summed by entity first, in the order of the key, then by the entity
	// each reads as after merges: one look-up per entity, not per row.
	rows, err := s.db.QueryContext(ctx, `SELECT rid, kind, n FROM (
		SELECT coalesce(m.root, e.id) AS rid, coalesce(m.kind, e.kind) AS kind, sum(t.shared) AS n
		FROM (SELECT c.b, sum(c.sentences) AS shared FROM `+from+` WHERE c.a IN `+g.in+` AND `+where+` GROUP BY c.b) t
		JOIN entities e ON e.id = t.b `+mergedAs("m", "e.id")+`
		GROUP BY coalesce(m.root, e.id), coalesce(m.kind, e.kind)) r
		WHERE rid != ?`+having+` ORDER BY n DESC, rid LIMIT ?`,
		append(append(append(slices.Clone(wargs), g.agency, g.ID), hargs...), size+1)...)
	if err != nil {
		return nil, "", fmt.Errorf("connections of %d: %w", g.ID, err)
	}
	out := []store.Connection{}
	for rows.Next() {
		var c store.Connection
		var kind string
		if err := rows.Scan(&c.ID, &kind, &c.Sentences); err != nil {
			rows.Close()
			return nil, "", fmt.Errorf("connections of %d: %w", g.ID, err)
		}
		c.Kind = mosaic.MentionType(kind)
		out = append(out, c)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, "", fmt.Errorf("connections of %d: %w", g.ID, err)
	}
	next := ""
	if len(out) > size {
		out = out[:size]
		last := out[size-1]
		next = s.encodeCursor("connections", last.Sentences, last.ID, snap.upto)
	}
	// A connection is named by its fullest spelling in the shared
	// sentences in scope, not by its canonical name, which may come from
	// a collection outside the scope.
	// For every document, while no document has come since paging began,
	// the pair's total has its fullest name; otherwise the shared
	// sentences in scope have it. A scope that holds every document, as
	// one agency's server does, is seen so once for the statement rather
	// than through the holdings of each shared sentence. (Read from the
	// sentences, a hub's twenty connections took a third of a second at
	// 600,000 documents.)
	pairsOf := func(from string) string {
		return `SELECT c.name FROM ` + from + ` c WHERE c.a IN ` + g.in + `
			AND c.b IN (SELECT CAST(?1 AS BIGINT) UNION SELECT entity FROM merges WHERE agency = ?2 AND root = ?1)`
	}
	shared := func(from string) string { return pairsOf(from+"cooccurrences") + ` AND c.doc <= ?3` }
	q, upto := shared("")+` AND `+inScope, true
	switch {
	case snap.current && everything(scope):
		q, upto = pairsOf("pair_totals"), false
	case snap.current && whole != "":
		q = `SELECT name FROM (` + pairsOf("pair_totals") + ` AND ` + whole + `
			UNION ALL ` + shared(unlessWhole(whole)) + ` AND ` + inScope + `) n`
	case whole != "":
		q = `SELECT name FROM (` + shared("") + ` AND ` + whole + `
			UNION ALL ` + shared(unlessWhole(whole)) + ` AND ` + inScope + `) n`
	}
	for i := range out {
		qargs := []any{out[i].ID, g.agency}
		if upto {
			qargs = append(qargs, snap.upto)
		}
		err := s.db.QueryRowContext(ctx, q+` ORDER BY length(name) DESC, name LIMIT 1`, qargs...).Scan(&out[i].Name)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, "", fmt.Errorf("connections of %d: %w", g.ID, err)
		}
		out[i].Name = fold(out[i].Name)
	}
	return out, next, nil
}

// EntityTimeline implements store.Entities.
func (s *Store) EntityTimeline(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) ([]store.DocumentRef, string, error) {
	g, err := s.group(ctx, id, scope.Agency)
	if err != nil {
		return nil, "", err
	}
	return s.timeline(ctx, g, scope, p)
}

// timeline reads a page of the dated documents in scope that name the
// group, oldest first, then in the order they were stored.
func (s *Store) timeline(ctx context.Context, g group, scope store.Scope, p store.Page) ([]store.DocumentRef, string, error) {
	date, seq := "", int64(0)
	if p.Cursor != "" {
		if err := s.decodeCursor(p.Cursor, "timeline", &date, &seq); err != nil {
			return nil, "", err
		}
	}
	vis, args, err := s.visibleDoc(ctx, "x.doc", scope)
	if err != nil {
		return nil, "", err
	}
	// Found first, then joined, as a spelling's documents are (393 ms to
	// 13 ms on PostgreSQL for a place in half of 100,000 documents); the
	// bound on (date, doc) is a range of the index (entity, date, doc), so
	// that undated documents, which sort first, are not read one by one
	// (an entity named only in 70,000 undated ones: 283 to 22 ms on
	// PostgreSQL, 787 ms to under 1 on SQLite). The first page's bound is
	// the date alone: given (date, doc) > ('', 0) as well, PostgreSQL began
	// its scan there, among the undated (a hub in 700,000 undated
	// documents of a million: 358 ms, 5,392 pages read, against 7).
	after, afterArgs := `x.date > ''`, []any{}
	if p.Cursor != "" {
		after, afterArgs = `x.date > '' AND (x.date, x.doc) > (?, ?)`, []any{date, seq}
	}
	return s.documentRefs(ctx, g, scope, "timeline", p.Size(), func(r docRef) []any { return []any{r.date, r.seq} },
		`SELECT x.doc, d.id, d.title, x.date FROM (SELECT DISTINCT x.doc, x.date FROM entity_spellings x
		WHERE x.entity IN `+g.in+` AND `+after+` AND `+vis+`
		ORDER BY x.date, x.doc LIMIT ?) x JOIN documents d ON d.seq = x.doc ORDER BY x.date, x.doc`,
		append(append(afterArgs, args...), p.Size()+1)...)
}
