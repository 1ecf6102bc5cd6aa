package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
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
	current, err := tx.PrepareContext(ctx, `SELECT entity, text, sent_start, sent_end FROM mentions WHERE doc = ? AND start_byte = ? AND end_byte = ? AND type = ?`)
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
	var newly []tied
	for _, a := range assign {
		// The mention must exist; one already tied to an entity keeps it.
		var held sql.NullInt64
		var text string
		var sent, send int
		err := current.QueryRowContext(ctx, seq, a.Start, a.End, string(a.Type)).Scan(&held, &text, &sent, &send)
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
		newly = append(newly, tied{start: a.Start, end: a.End, typ: string(a.Type), entity: id, text: text, why: a.Why, sent: sent, send: send})
	}
	if err := addTallies(ctx, tx, seq, newly); err != nil {
		return nil, fmt.Errorf("resolve %s: %w", doc.Short(), err)
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
	// Every name reads as the entity its own was merged into by the
	// command line, if any: resolution ties mentions every agency sees,
	// so no agency's merges steer it. The tallies hold each entity's
	// spellings once (whitespace folded), so this reads a row per
	// spelling, not one per mention.
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT r.id, coalesce(g.kind, r.kind), r.name, sd.name
		FROM spelling_docs sd `+mergedAs("g", "sd.entity")+` JOIN entities r ON r.id = coalesce(g.root, sd.entity)
		ORDER BY r.id`, "")
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
