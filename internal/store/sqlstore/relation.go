package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// relationCue is the words that state a relation, when extraction records
// them.
func relationCue(r mosaic.Relation) string { return r.Cue }

// relationConfidence is the relation's confidence as stored: one that
// carries none (zero, or not a number — a caller that predates the field)
// is stored as certain, the column's default.
func relationConfidence(r mosaic.Relation) float64 {
	if !(r.Confidence > 0) {
		return 1
	}
	return min(r.Confidence, 1)
}

// putRelations inserts a document's relations; one stated twice (the same
// mentions, type and sentence) is stored once.
func (w *rowWriter) putRelations(ctx context.Context, seq int64, ms []mosaic.Mention, rs []mosaic.Relation) error {
	if len(rs) == 0 {
		return nil
	}
	for _, r := range rs {
		f, t := ms[r.From], ms[r.To]
		err := w.add(ctx, relationInsert, seq, string(r.Type), f.Start, f.End, string(f.Type),
			t.Start, t.End, string(t.Type), r.Sentence.Start, r.Sentence.End, r.Negated, r.Hedged, relationCue(r), relationConfidence(r))
		if err != nil {
			return fmt.Errorf("relations: %w", err)
		}
	}
	return nil
}

var relationInsert = chunkedInsert{table: "relations",
	head: `INSERT INTO relations (doc, type, from_start, from_end, from_type,
			to_start, to_end, to_type, sent_start, sent_end, negated, hedged, cue, confidence) VALUES `,
	row:  `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	tail: ` ON CONFLICT DO NOTHING`}

// Relations implements store.Relations.
func (s *Store) Relations(ctx context.Context, f store.RelationFilter, fn func(store.RelationRow) error) error {
	// The collections in scope (and of the agencies asked for) that hold
	// each document, read once.
	held, err := s.heldInScope(ctx, f.Scope, f.Agencies)
	if err != nil {
		return err
	}
	where := []string{"1 = 1"}
	var args []any
	if len(f.Types) > 0 {
		types := make([]string, len(f.Types))
		for i, t := range f.Types {
			types[i] = string(t)
		}
		in, a := inList("r.type", types)
		where, args = append(where, in), append(args, a...)
	}
	if !f.Since.IsZero() {
		where, args = append(where, "d.date != '' AND d.date >= ?"), append(args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		where, args = append(where, "d.date != '' AND d.date <= ?"), append(args, formatTime(f.Until))
	}
	// Each entity reads as the scope's agency merged it, with its group's
	// kind (a forced merge may join kinds).
	agency := f.Scope.Agency
	rows, err := s.db.QueryContext(ctx, `SELECT coalesce(gf.root, ef.id), coalesce(gt.root, et.id), coalesce(gf.kind, ef.kind), coalesce(gt.kind, et.kind),
		r.type, r.negated, r.hedged, r.cue, r.confidence, mf.text, mt.text, d.seq, d.id, d.title, d.date, r.sent_start, r.sent_end
		FROM relations r JOIN documents d ON d.seq = r.doc
		JOIN mentions mf ON mf.doc = r.doc AND mf.start_byte = r.from_start AND mf.end_byte = r.from_end AND mf.type = r.from_type
		JOIN mentions mt ON mt.doc = r.doc AND mt.start_byte = r.to_start AND mt.end_byte = r.to_end AND mt.type = r.to_type
		JOIN entities ef ON ef.id = mf.entity JOIN entities et ON et.id = mt.entity
		`+mergedAs("gf", "ef.id")+` `+mergedAs("gt", "et.id")+`
		WHERE `+strings.Join(where, " AND ")+` ORDER BY r.doc, r.sent_start, r.from_start, r.to_start`, append([]any{agency, agency}, args...)...)
	if err != nil {
		return fmt.Errorf("relations: %w", err)
	}
	defer rows.Close()
	// Rows come by document, tens of them each: a document's title is
	// opened, and its id and date read, once.
	var last struct {
		seq   int64
		doc   mosaic.DocID
		title string
		date  time.Time
	}
	for rows.Next() {
		var row store.RelationRow
		var typ, doc, date, fromKind, toKind string
		var seq int64
		var title []byte
		if err := rows.Scan(&row.From, &row.To, &fromKind, &toKind, &typ, &row.Negated, &row.Hedged, &row.Cue, &row.Confidence, &row.FromText, &row.ToText,
			&seq, &doc, &title, &date, &row.Sentence.Start, &row.Sentence.End); err != nil {
			return fmt.Errorf("relations: %w", err)
		}
		row.Collections = held[seq]
		if len(row.Collections) == 0 || row.From == row.To {
			continue
		}
		if seq != last.seq || last.doc == "" {
			opened, err := s.crypt.open(title, doc, "title")
			if err != nil {
				return fmt.Errorf("relations: %w", err)
			}
			last.seq, last.doc, last.title, last.date = seq, mosaic.DocID(doc), string(opened), parseTime(date)
		}
		row.Title, row.Doc, row.Date = last.title, last.doc, last.date
		row.Type = mosaic.RelationType(typ)
		row.FromKind, row.ToKind = mosaic.MentionType(fromKind), mosaic.MentionType(toKind)
		row.FromText, row.ToText = fold(row.FromText), fold(row.ToText)
		if err := fn(row); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// heldInScope maps each document's row number to the collections in scope,
// and of the agencies if any are given, that hold it.
func (s *Store) heldInScope(ctx context.Context, scope store.Scope, agencies []string) (map[int64][]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT h.doc, c.name, a.name FROM holdings h
		JOIN collections c ON c.id = h.collection_id JOIN agencies a ON a.id = c.agency_id ORDER BY h.doc, c.name`)
	if err != nil {
		return nil, fmt.Errorf("relations: holdings: %w", err)
	}
	defer rows.Close()
	allowAgency := func(a string) bool {
		if len(agencies) == 0 {
			return true
		}
		for _, x := range agencies {
			if x == a {
				return true
			}
		}
		return false
	}
	out := map[int64][]string{}
	for rows.Next() {
		var doc int64
		var c, a string
		if err := rows.Scan(&doc, &c, &a); err != nil {
			return nil, fmt.Errorf("relations: holdings: %w", err)
		}
		if scope.Allows(c) && allowAgency(a) {
			out[doc] = append(out[doc], c)
		}
	}
	return out, rows.Err()
}
