package sqlite

import (
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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", doc.Short(), err)
	}
	defer tx.Rollback()
	var seq int64
	err = tx.QueryRowContext(ctx, `SELECT seq FROM documents WHERE id = ?`, string(doc)).Scan(&seq)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("resolve %s: %w", doc.Short(), store.ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", doc.Short(), err)
	}
	now := formatTime(time.Now())
	for _, e := range created {
		if e.Name == "" || e.Kind == "" {
			return nil, fmt.Errorf("resolve %s: %w: new entity without a name or kind", doc.Short(), store.ErrInvalid)
		}
	}
	ids := make([]mosaic.EntityID, len(created))
	known := map[mosaic.EntityID]bool{}
	current, err := tx.PrepareContext(ctx, `SELECT entity FROM mentions WHERE doc = ? AND start_byte = ? AND end_byte = ? AND type = ?`)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", doc.Short(), err)
	}
	defer current.Close()
	update, err := tx.PrepareContext(ctx, `UPDATE mentions SET entity = ?, resolution = ?
		WHERE doc = ? AND start_byte = ? AND end_byte = ? AND type = ?`)
	if err != nil {
		return nil, fmt.Errorf("resolve %s: %w", doc.Short(), err)
	}
	defer update.Close()
	for _, a := range assign {
		// The mention must exist; one already tied to an entity keeps it.
		var held sql.NullInt64
		err := current.QueryRowContext(ctx, seq, a.Start, a.End, string(a.Type)).Scan(&held)
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("resolve %s: %w: no %s mention at [%d,%d)", doc.Short(), store.ErrInvalid, a.Type, a.Start, a.End)
		}
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", doc.Short(), err)
		}
		id := a.Entity
		switch {
		case a.New > 0 && a.New <= len(ids):
			if held.Valid {
				continue
			}
			// A new entity is created only once a mention is tied to it.
			if ids[a.New-1] == 0 {
				e := created[a.New-1]
				err := tx.QueryRowContext(ctx, `INSERT INTO entities (kind, name, created_at) VALUES (?, ?, ?) RETURNING id`,
					string(e.Kind), e.Name, now).Scan(&ids[a.New-1])
				if err != nil {
					return nil, fmt.Errorf("resolve %s: create entity %q: %w", doc.Short(), e.Name, err)
				}
			}
			id = ids[a.New-1]
		case a.New != 0 || id <= 0:
			return nil, fmt.Errorf("resolve %s: %w: assignment of [%d,%d) names no entity", doc.Short(), store.ErrInvalid, a.Start, a.End)
		case !known[id]:
			var n int
			if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM entities WHERE id = ?`, id).Scan(&n); err != nil {
				return nil, fmt.Errorf("resolve %s: %w", doc.Short(), err)
			}
			if n == 0 {
				return nil, fmt.Errorf("resolve %s: %w: entity %d does not exist", doc.Short(), store.ErrInvalid, id)
			}
			known[id] = true
		}
		if held.Valid {
			continue
		}
		_, err = update.ExecContext(ctx, id, a.Why, seq, a.Start, a.End, string(a.Type))
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", doc.Short(), err)
		}
	}
	if err := bumpGeneration(ctx, tx); err != nil {
		return nil, fmt.Errorf("resolve %s: %w", doc.Short(), err)
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("resolve %s: commit: %w", doc.Short(), err)
	}
	return ids, nil
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
	// Every name reads as the entity its own was merged into, if any.
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT r.id, r.kind, r.name, m.text
		FROM mentions m JOIN entities e ON e.id = m.entity JOIN entities r ON r.id = coalesce(e.merged_into, e.id)
		ORDER BY r.id`)
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
	}
	return rows.Err()
}

// Entity implements store.Entities.
func (s *Store) Entity(ctx context.Context, id mosaic.EntityID, scope store.Scope) (store.EntityProfile, error) {
	var p store.EntityProfile
	root, _, err := rootOf(ctx, s.db, id)
	if err != nil {
		return p, err
	}
	var kind string
	if err := s.db.QueryRowContext(ctx, `SELECT id, kind, name FROM entities WHERE id = ?`, root).Scan(&p.ID, &kind, &p.Name); err != nil {
		return p, fmt.Errorf("entity %d: %w", id, err)
	}
	p.Kind = mosaic.MentionType(kind)
	group, err := groupOf(ctx, s.db, root)
	if err != nil {
		return p, err
	}
	p.Merged = group[1:]
	in := idList(group)
	rows, err := s.db.QueryContext(ctx, `SELECT m.text, d.id, d.title, d.date, m.resolution, count(*)
		FROM mentions m JOIN documents d ON d.seq = m.doc
		WHERE m.entity IN `+in+` GROUP BY m.text, d.seq, m.resolution ORDER BY m.text, d.seq`)
	if err != nil {
		return p, fmt.Errorf("entity %d: %w", id, err)
	}
	type occurrence struct {
		name, why string
		doc       store.DocumentRef
		count     int
	}
	var occs []occurrence
	for rows.Next() {
		var o occurrence
		var docID, date string
		if err := rows.Scan(&o.name, &docID, &o.doc.Title, &date, &o.why, &o.count); err != nil {
			rows.Close()
			return p, fmt.Errorf("entity %d: %w", id, err)
		}
		o.doc.ID, o.doc.Date = mosaic.DocID(docID), parseTime(date)
		o.name = fold(o.name)
		occs = append(occs, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return p, fmt.Errorf("entity %d: %w", id, err)
	}
	// Keep what the scope may see.
	held, err := s.entityHoldings(ctx, in, scope)
	if err != nil {
		return p, err
	}
	whys := map[string]map[string]int{}
	collections := map[string]bool{}
	dated := map[mosaic.DocID]store.DocumentRef{}
	names := map[string]*store.EntityName{}
	var order []string
	for _, o := range occs {
		cs := held[o.doc.ID]
		if len(cs) == 0 {
			continue
		}
		o.doc.Collections = cs
		for _, c := range cs {
			collections[c] = true
		}
		n := names[o.name]
		if n == nil {
			n = &store.EntityName{Name: o.name}
			names[o.name] = n
			order = append(order, o.name)
		}
		n.Mentions += o.count
		if whys[o.name] == nil {
			whys[o.name] = map[string]int{}
		}
		whys[o.name][o.why] += o.count
		if !slices.ContainsFunc(n.Documents, func(d store.DocumentRef) bool { return d.ID == o.doc.ID }) {
			n.Documents = append(n.Documents, o.doc)
		}
		if !o.doc.Date.IsZero() {
			dated[o.doc.ID] = o.doc
		}
	}
	if len(names) == 0 {
		return p, fmt.Errorf("entity %d: %w", id, store.ErrNotFound)
	}
	confirmed, err := judgements(ctx, s.db, `WHERE kind = 'confirm' AND undone_at IS NULL AND entity IN `+in)
	if err != nil {
		return p, err
	}
	for _, name := range order {
		n := names[name]
		n.Why = mostFrequent(whys[name])
		n.Confirmed = slices.ContainsFunc(confirmed, func(j store.Judgement) bool { return j.Name == name })
		p.Names = append(p.Names, *n)
	}
	sort.SliceStable(p.Names, func(i, j int) bool { return p.Names[i].Mentions > p.Names[j].Mentions })
	// The canonical name may be a spelling only collections outside the
	// scope hold; then the scope sees its own most frequent spelling.
	if names[fold(p.Name)] == nil {
		p.Name = p.Names[0].Name
	}
	for c := range collections {
		p.Collections = append(p.Collections, c)
	}
	sort.Strings(p.Collections)
	for _, d := range dated {
		p.Timeline = append(p.Timeline, d)
	}
	sort.Slice(p.Timeline, func(i, j int) bool {
		a, b := p.Timeline[i], p.Timeline[j]
		return a.Date.Before(b.Date) || a.Date.Equal(b.Date) && a.ID < b.ID
	})
	if p.Connections, err = s.connections(ctx, root, in, held); err != nil {
		return p, err
	}
	// A link quotes the spelling that matched: only one the scope holds.
	spelt := map[string]bool{}
	for _, n := range p.Names {
		spelt[n.Name] = true
	}
	if p.Watchlist, err = s.groupLinks(ctx, root, in, func(spelling string) bool { return spelt[spelling] }); err != nil {
		return p, err
	}
	return p, nil
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

// entityHoldings returns, for every document that names one of the
// entities in the id list group, the collections in scope that hold it, in
// one query however many documents there are.
func (s *Store) entityHoldings(ctx context.Context, group string, scope store.Scope) (map[mosaic.DocID][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, c.name FROM documents d
		JOIN holdings h ON h.doc = d.seq JOIN collections c ON c.id = h.collection_id
		WHERE d.seq IN (SELECT DISTINCT doc FROM mentions WHERE entity IN `+group+`) ORDER BY d.seq, h.seq`)
	if err != nil {
		return nil, fmt.Errorf("entity holdings: %w", err)
	}
	defer rows.Close()
	held := map[mosaic.DocID][]string{}
	for rows.Next() {
		var doc, name string
		if err := rows.Scan(&doc, &name); err != nil {
			return nil, fmt.Errorf("entity holdings: %w", err)
		}
		if scope.Allows(name) {
			held[mosaic.DocID(doc)] = append(held[mosaic.DocID(doc)], name)
		}
	}
	return held, rows.Err()
}

// connections lists the entities named in the same sentences as the merged
// entity root, whose group is the id list group, counting only the
// documents in visible (those whose collections in scope are non-empty),
// most shared sentences first.
func (s *Store) connections(ctx context.Context, id mosaic.EntityID, group string, visible map[mosaic.DocID][]string) ([]store.Connection, error) {
	// A connection is named by its fullest spelling in the shared
	// sentences, not by its canonical name, which may come from a
	// collection outside the scope. (With one max() aggregate, SQLite takes
	// the bare column o.text from the row holding the maximum.)
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, r.id, r.kind, o.text, max(length(o.text)), count(DISTINCT m.sent_start)
		FROM mentions m
		JOIN mentions o ON o.doc = m.doc AND o.sent_start = m.sent_start AND o.entity IS NOT NULL
		JOIN entities e ON e.id = o.entity JOIN entities r ON r.id = coalesce(e.merged_into, e.id)
		JOIN documents d ON d.seq = m.doc
		WHERE m.entity IN `+group+` AND r.id != ? GROUP BY d.seq, r.id`, id)
	if err != nil {
		return nil, fmt.Errorf("connections of %d: %w", id, err)
	}
	defer rows.Close()
	byEntity := map[mosaic.EntityID]*store.Connection{}
	for rows.Next() {
		var doc, kind string
		var c store.Connection
		var length int
		if err := rows.Scan(&doc, &c.ID, &kind, &c.Name, &length, &c.Sentences); err != nil {
			return nil, fmt.Errorf("connections of %d: %w", id, err)
		}
		if len(visible[mosaic.DocID(doc)]) == 0 {
			continue
		}
		c.Kind = mosaic.MentionType(kind)
		c.Name = fold(c.Name)
		if have := byEntity[c.ID]; have != nil {
			have.Sentences += c.Sentences
			if len(c.Name) > len(have.Name) {
				have.Name = c.Name
			}
		} else {
			byEntity[c.ID] = &c
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("connections of %d: %w", id, err)
	}
	out := []store.Connection{}
	for _, c := range byEntity {
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Sentences != out[j].Sentences {
			return out[i].Sentences > out[j].Sentences
		}
		return strings.Compare(out[i].Name, out[j].Name) < 0
	})
	return out, nil
}
