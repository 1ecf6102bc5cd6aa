package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// nameTypes are the mention types resolution ties to entities.
const nameTypes = `('PERSON', 'ORG', 'LOCATION', 'MISC')`

// fold folds a name's whitespace: a name wrapped across lines is the same
// spelling as on one line.
func fold(s string) string { return strings.Join(strings.Fields(s), " ") }

// Resolve implements store.Entities.
func (s *Store) Resolve(ctx context.Context, doc mosaic.DocID, created []mosaic.Entity, assign []store.Assignment) ([]mosaic.EntityID, error) {
	return s.ResolveBatch(ctx, created, []store.DocAssignments{{Doc: doc, Assign: assign}})
}

// ResolveBatch implements store.Entities.
func (s *Store) ResolveBatch(ctx context.Context, created []mosaic.Entity, docs []store.DocAssignments) ([]mosaic.EntityID, error) {
	if err := checkCreated(created); err != nil {
		return nil, err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	defer tx.Rollback()
	r := newResolution(ctx, tx, created)
	for _, d := range docs {
		if err := r.document(d); err != nil {
			return nil, fmt.Errorf("resolve %s: %w", d.Doc.Short(), err)
		}
	}
	if err := r.tot.write(ctx, tx); err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("resolve: commit: %w", err)
	}
	return r.ids, nil
}

// checkCreated refuses a new entity without a name or kind.
func checkCreated(created []mosaic.Entity) error {
	for _, e := range created {
		if e.Name == "" || e.Kind == "" {
			return fmt.Errorf("resolve: %w: new entity without a name or kind", store.ErrInvalid)
		}
	}
	return nil
}

// resolution is a ResolveBatch or an AddResolved under way.
type resolution struct {
	ctx     context.Context
	tx      *txn
	now     string
	created []mosaic.Entity
	ids     []mosaic.EntityID // of created, once made
	known   map[mosaic.EntityID]bool
	// tot gathers what the tallies written add to the totals, to write
	// before the transaction commits.
	tot totals
}

func newResolution(ctx context.Context, tx *txn, created []mosaic.Entity) *resolution {
	return &resolution{ctx: ctx, tx: tx, now: formatTime(time.Now()), created: created,
		ids: make([]mosaic.EntityID, len(created)), known: map[mosaic.EntityID]bool{}}
}

// made returns the IDs of the entities of created, zero for one no tie
// named; nil for no resolution.
func (r *resolution) made() []mosaic.EntityID {
	if r == nil {
		return nil
	}
	return r.ids
}

// madeAny reports whether the resolution made an entity.
func (r *resolution) madeAny() bool {
	return r != nil && slices.ContainsFunc(r.ids, func(id mosaic.EntityID) bool { return id != 0 })
}

// know looks up, a few hundred to a statement, the existing entities ties
// name, so that entityOf need not look them up one by one.
func (r *resolution) know(ties map[mosaic.DocID][]store.Assignment) error {
	var ids []int64
	asked := map[mosaic.EntityID]bool{}
	for _, assign := range ties {
		for _, a := range assign {
			if a.New == 0 && a.Entity > 0 && !r.known[a.Entity] && !asked[a.Entity] {
				asked[a.Entity] = true
				ids = append(ids, int64(a.Entity))
			}
		}
	}
	return queryIn(r.ctx, r.tx, `SELECT id FROM entities WHERE id IN (?)`, nil, ids, func(rows *sql.Rows) error {
		var id int64
		err := rows.Scan(&id)
		r.known[mosaic.EntityID(id)] = true
		return err
	})
}

// entityOf returns the entity assignment a ties its mention to, making a
// new one of created the first time a tie names it, and checking that an
// existing one exists.
func (r *resolution) entityOf(a store.Assignment) (mosaic.EntityID, error) {
	switch {
	case a.New > 0 && a.New <= len(r.ids):
		if r.ids[a.New-1] == 0 {
			e := r.created[a.New-1]
			err := r.tx.QueryRowContext(r.ctx, `INSERT INTO entities (kind, name, created_at) VALUES (?, ?, ?) RETURNING id`,
				string(e.Kind), e.Name, r.now).Scan(&r.ids[a.New-1])
			if err != nil {
				return 0, fmt.Errorf("create entity %q: %w", e.Name, err)
			}
		}
		return r.ids[a.New-1], nil
	case a.New != 0 || a.Entity <= 0:
		return 0, fmt.Errorf("%w: assignment of [%d,%d) names no entity", store.ErrInvalid, a.Start, a.End)
	case !r.known[a.Entity]:
		var n int
		if err := r.tx.QueryRowContext(r.ctx, `SELECT count(*) FROM entities WHERE id = ?`, a.Entity).Scan(&n); err != nil {
			return 0, err
		}
		if n == 0 {
			return 0, fmt.Errorf("%w: entity %d does not exist", store.ErrInvalid, a.Entity)
		}
		r.known[a.Entity] = true
	}
	return a.Entity, nil
}

// tying is how a document being stored has its mentions tied:
// entity[i] and why[i] for mention i (zero for none), and the tied
// mentions in offset order, for the tallies.
type tying struct {
	entity []mosaic.EntityID
	why    []string
	tied   []tied
}

// fresh ties the mentions ms of a document this transaction is storing
// as document ties a stored one's, without reading them back. The first
// tie of a mention holds, as document's does.
func (r *resolution) fresh(ms []mosaic.Mention, assign []store.Assignment) (*tying, error) {
	at := make(map[mentionKey]int, len(ms))
	for i, m := range ms {
		at[mentionKey{m.Start, m.End, string(m.Type)}] = i
	}
	t := &tying{entity: make([]mosaic.EntityID, len(ms)), why: make([]string, len(ms))}
	for _, a := range assign {
		i, ok := at[mentionKey{a.Start, a.End, string(a.Type)}]
		if !ok {
			return nil, fmt.Errorf("%w: no %s mention at [%d,%d)", store.ErrInvalid, a.Type, a.Start, a.End)
		}
		if t.entity[i] != 0 {
			continue
		}
		id, err := r.entityOf(a)
		if err != nil {
			return nil, err
		}
		m := ms[i]
		t.entity[i], t.why[i] = id, a.Why
		t.tied = append(t.tied, tied{start: m.Start, end: m.End, typ: string(m.Type), entity: id, text: m.Text, why: a.Why,
			sent: m.Sentence.Start, send: m.Sentence.End})
	}
	// In the order resolvedMentions reads them.
	slices.SortFunc(t.tied, func(x, y tied) int {
		return cmp.Or(cmp.Compare(x.start, y.start), cmp.Compare(x.end, y.end), cmp.Compare(x.typ, y.typ))
	})
	return t, nil
}

// mentionKey is a mention's place in its document.
type mentionKey struct {
	start, end int
	typ        string
}

// mentionRows is how many mentions one UPDATE ties.
const mentionRows = 100

// document ties one document's mentions: it reads them in one query and
// ties them a hundred to a statement, which is what makes resolution as
// cheap as storing (a statement a mention cost as much as the rest of
// ingestion together).
func (r *resolution) document(d store.DocAssignments) error {
	ctx, tx := r.ctx, r.tx
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT seq FROM documents WHERE id = ?`, string(d.Doc)).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return store.ErrNotFound
	}
	if err != nil {
		return err
	}
	type stored struct {
		held       bool
		text       string
		sent, send int
	}
	have := map[mentionKey]stored{}
	rows, err := tx.QueryContext(ctx, `SELECT start_byte, end_byte, type, entity IS NOT NULL, text, sent_start, sent_end FROM mentions WHERE doc = ?`, seq)
	if err != nil {
		return err
	}
	for rows.Next() {
		var k mentionKey
		var m stored
		if err := rows.Scan(&k.start, &k.end, &k.typ, &m.held, &m.text, &m.sent, &m.send); err != nil {
			rows.Close()
			return err
		}
		have[k] = m
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	var newly []tied
	var update [][]any
	for _, a := range d.Assign {
		// The mention must exist; one already tied to an entity keeps it
		// (as does one tied earlier in this call).
		k := mentionKey{a.Start, a.End, string(a.Type)}
		m, ok := have[k]
		if !ok {
			return fmt.Errorf("%w: no %s mention at [%d,%d)", store.ErrInvalid, a.Type, a.Start, a.End)
		}
		if m.held {
			continue
		}
		id, err := r.entityOf(a)
		if err != nil {
			return err
		}
		m.held = true
		have[k] = m
		update = append(update, []any{a.Start, a.End, string(a.Type), id, a.Why})
		newly = append(newly, tied{start: a.Start, end: a.End, typ: string(a.Type), entity: id, text: m.text, why: a.Why, sent: m.sent, send: m.send})
	}
	// VALUES names its columns column1, column2, ... on both databases;
	// the casts give PostgreSQL their types.
	for len(update) > 0 {
		n := min(len(update), mentionRows)
		args := make([]any, 0, 5*n+1)
		for _, u := range update[:n] {
			args = append(args, u...)
		}
		args = append(args, seq)
		_, err := tx.ExecContext(ctx, `UPDATE mentions SET entity = v.column4, resolution = v.column5
			FROM (VALUES `+strings.TrimSuffix(strings.Repeat(`(CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS TEXT), CAST(? AS BIGINT), CAST(? AS TEXT)), `, n), ", ")+`) AS v
			WHERE mentions.doc = ? AND mentions.start_byte = v.column1 AND mentions.end_byte = v.column2 AND mentions.type = v.column3`, args...)
		if err != nil {
			return err
		}
		update = update[n:]
	}
	return addTallies(ctx, tx, seq, newly, &r.tot)
}

// Unresolved implements store.Entities.
func (s *Store) Unresolved(ctx context.Context, limit int) ([]mosaic.DocID, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.id FROM documents d
		WHERE EXISTS (SELECT 1 FROM mentions m WHERE m.doc = d.seq AND m.entity IS NULL AND m.type IN `+nameTypes+`)
		ORDER BY d.seq LIMIT ?`, max(limit, 1))
	if err != nil {
		return nil, fmt.Errorf("unresolved documents: %w", err)
	}
	defer rows.Close()
	var out []mosaic.DocID
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, fmt.Errorf("unresolved documents: %w", err)
		}
		out = append(out, mosaic.DocID(id))
	}
	return out, rows.Err()
}

// EntityNames implements store.Entities.
func (s *Store) EntityNames(ctx context.Context, fn func(e mosaic.Entity, name string) error) error {
	// Every name reads as the entity its own was merged into by the
	// command line, if any: resolution ties mentions every agency sees,
	// so no agency's merges steer it. The tallies hold each entity's
	// spellings once (whitespace folded), so this reads a row per
	// spelling, not one per mention.
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT r.id, coalesce(g.kind, r.kind), r.name, sd.name
		FROM spelling_docs sd `+mergedAs("g", "sd.entity")+` JOIN entities r ON r.id = coalesce(g.root, sd.entity)
		ORDER BY r.id, sd.name`, "")
	if err != nil {
		return fmt.Errorf("entity names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e mosaic.Entity
		var kind, name string
		if err := rows.Scan(&e.ID, &kind, &e.Name, &name); err != nil {
			return fmt.Errorf("entity names: %w", err)
		}
		e.Kind = mosaic.MentionType(kind)
		if err := fn(e, name); err != nil {
			return err
		}
		// A scan ends when its context does, however fast the rows
		// come (database/sql closes them from another goroutine).
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// mostFrequent returns the keys of counts, most frequent first, without
// the empty one.
func mostFrequent(counts map[string]int) []string {
	out := []string{}
	for k := range counts {
		if k != "" {
			out = append(out, k)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if counts[out[i]] != counts[out[j]] {
			return counts[out[i]] > counts[out[j]]
		}
		return out[i] < out[j]
	})
	return out
}
