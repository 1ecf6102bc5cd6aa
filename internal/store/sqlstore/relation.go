package sqlstore

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
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
	into: `relations (doc, type, from_start, from_end, from_type,
			to_start, to_end, to_type, sent_start, sent_end, negated, hedged, cue, confidence)`,
	row:  `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
	tail: ` ON CONFLICT DO NOTHING`}

// Relations implements store.Relations.
//
// It reads the relations with their mentions and entities, and beside
// them, in the same document order, the documents: joined row by row, the
// documents cost four of the query's seventeen columns and a look-up per
// relation, and the merges two look-ups more, where the network of 100,000
// documents reads 4 million relations. The agency's merges are read once.
func (s *Store) Relations(ctx context.Context, f store.RelationFilter, fn func(store.RelationRow) error) error {
	// Each entity reads as the scope's agency merged it, with its group's
	// kind (a forced merge may join kinds).
	merged, err := s.mergedIn(ctx, f.Scope.Agency)
	if err != nil {
		return fmt.Errorf("relations: %w", err)
	}
	docs := s.docReader(f)
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
	// This read of every relation is the one the store makes long enough to
	// gain from PostgreSQL's parallel workers, which its connections
	// otherwise plan without (see OpenPostgres): it plans with as many as
	// the server or the address allows (DEFAULT undoes the connection's
	// SET). At 100,000 documents it took 47-49 s with two workers and
	// 54-60 s without (psql, an ingest sharing the machine).
	var settings []string
	if s.db.d == Postgres {
		settings = append(settings, `SET LOCAL max_parallel_workers_per_gather TO DEFAULT`)
	}
	tx, err := s.db.readTx(ctx, settings...)
	if err != nil {
		return fmt.Errorf("relations: %w", err)
	}
	defer tx.Rollback()
	var last int64
	if err := tx.QueryRowContext(ctx, `SELECT coalesce(max(doc), 0) FROM relations`).Scan(&last); err != nil {
		return fmt.Errorf("relations: %w", err)
	}
	// The entities' kinds are read once, not joined to each range: the
	// planner expects a single row of a range's four-column joins and
	// meets each with a scan of the entities, which at a million documents
	// and 591 entities made a range 13 s instead of 1.6 (PostgreSQL,
	// EXPLAIN ANALYZE).
	kinds, err := entityKinds(ctx, tx)
	if err != nil {
		return fmt.Errorf("relations: %w", err)
	}
	// The relations are read a range of documents at a time, in one
	// transaction: read whole, in order of document, PostgreSQL hashed
	// every mention and sorted every relation of a million documents,
	// and ran out of disk for the sort's files (over 12 GB). Each range's
	// mentions are bounded too, so that it reads them through their index.
	for from := int64(0); from <= last; from += relationChunk {
		to := from + relationChunk
		// The collections in scope (and of the agencies asked for) that
		// hold each document of the range.
		held, err := heldInScope(ctx, tx, f.Scope, f.Agencies, from, to)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT mf.entity, mt.entity,
			r.type, r.negated, r.hedged, r.cue, r.confidence, mf.text, mt.text, r.doc, r.sent_start, r.sent_end
			FROM relations r
			JOIN mentions mf ON mf.doc = r.doc AND mf.start_byte = r.from_start AND mf.end_byte = r.from_end AND mf.type = r.from_type
			JOIN mentions mt ON mt.doc = r.doc AND mt.start_byte = r.to_start AND mt.end_byte = r.to_end AND mt.type = r.to_type
			WHERE r.doc >= ? AND r.doc < ? AND mf.doc >= ? AND mf.doc < ? AND mt.doc >= ? AND mt.doc < ?
			AND mf.entity IS NOT NULL AND mt.entity IS NOT NULL
			AND `+strings.Join(where, " AND ")+` ORDER BY r.doc, r.sent_start, r.from_start, r.to_start`,
			append([]any{from, to, from, to, from, to}, args...)...)
		if err != nil {
			return fmt.Errorf("relations: %w", err)
		}
		err = s.relationRows(ctx, rows, docs, held, kinds, merged, fn)
		rows.Close()
		if err != nil {
			return err
		}
	}
	return nil
}

// relationChunk is how many documents' relations Relations reads at a
// time.
const relationChunk = 8192

// relationRows hands Relations' rows to fn, as documents, holdings and
// merges say.
func (s *Store) relationRows(ctx context.Context, rows *sql.Rows, docs *docReader, held map[int64][]string,
	kinds *kindTable, merged map[mosaic.EntityID]mergeRoot, fn func(store.RelationRow) error) error {
	for rows.Next() {
		var row store.RelationRow
		var typ string
		var seq int64
		if err := rows.Scan(&row.From, &row.To, &typ, &row.Negated, &row.Hedged, &row.Cue, &row.Confidence,
			&row.FromText, &row.ToText, &seq, &row.Sentence.Start, &row.Sentence.End); err != nil {
			return fmt.Errorf("relations: %w", err)
		}
		doc, err := docs.at(ctx, seq)
		if err != nil {
			return fmt.Errorf("relations: documents: %w", err)
		}
		if doc == nil || len(held[seq]) == 0 {
			continue
		}
		var ok bool
		if row.FromKind, ok = kinds.of(row.From); !ok {
			continue
		}
		if row.ToKind, ok = kinds.of(row.To); !ok {
			continue
		}
		if m, ok := merged[row.From]; ok {
			row.From, row.FromKind = m.root, m.kind
		}
		if m, ok := merged[row.To]; ok {
			row.To, row.ToKind = m.root, m.kind
		}
		if row.From == row.To {
			continue
		}
		row.Collections = held[seq]
		if row.Title, err = doc.openTitle(s.crypt); err != nil {
			return fmt.Errorf("relations: %w", err)
		}
		row.Doc, row.Date = doc.id, doc.date
		row.Type = mosaic.RelationType(typ)
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

// docReader reads the documents that pass a relation filter's dates, in
// the order of their seq, a chunk at a time: the relations come in that
// order, and a chunk's query takes a connection only while it runs.
type docReader struct {
	s     *Store
	where string
	args  []any
	chunk []docAt
	i     int
	done  bool // no document comes after the chunk
}

// docAt is a document a relation cites, its title opened once asked for.
type docAt struct {
	seq    int64
	id     mosaic.DocID
	date   time.Time
	sealed []byte
	title  string
	opened bool
}

func (d *docAt) openTitle(c *crypt) (string, error) {
	if !d.opened {
		t, err := c.open(d.sealed, string(d.id), "title")
		if err != nil {
			return "", err
		}
		d.title, d.sealed, d.opened = string(t), nil, true
	}
	return d.title, nil
}

// docChunk is how many documents docReader reads at a time.
const docChunk = 512

func (s *Store) docReader(f store.RelationFilter) *docReader {
	r := &docReader{s: s, where: "seq >= ?"}
	if !f.Since.IsZero() {
		r.where += " AND date != '' AND date >= ?"
		r.args = append(r.args, formatTime(f.Since))
	}
	if !f.Until.IsZero() {
		r.where += " AND date != '' AND date <= ?"
		r.args = append(r.args, formatTime(f.Until))
	}
	return r
}

// at returns the document seq, or nil if it does not pass the filter (or
// is gone). Calls must come in ascending order of seq.
func (r *docReader) at(ctx context.Context, seq int64) (*docAt, error) {
	for {
		for r.i < len(r.chunk) && r.chunk[r.i].seq < seq {
			r.i++
		}
		if r.i < len(r.chunk) {
			if d := &r.chunk[r.i]; d.seq == seq {
				return d, nil
			}
			return nil, nil
		}
		if r.done {
			return nil, nil
		}
		if err := r.load(ctx, seq); err != nil {
			return nil, err
		}
	}
}

// load reads the chunk of documents from seq on.
func (r *docReader) load(ctx context.Context, seq int64) error {
	rows, err := r.s.db.QueryContext(ctx, `SELECT seq, id, title, date FROM documents WHERE `+r.where+` ORDER BY seq LIMIT ?`,
		append(append([]any{seq}, r.args...), docChunk)...)
	if err != nil {
		return err
	}
	defer rows.Close()
	r.chunk, r.i = r.chunk[:0], 0
	for rows.Next() {
		var d docAt
		var id, date string
		if err := rows.Scan(&d.seq, &id, &d.sealed, &date); err != nil {
			return err
		}
		d.id, d.date = mosaic.DocID(id), parseTime(date)
		r.chunk = append(r.chunk, d)
	}
	r.done = len(r.chunk) < docChunk
	return rows.Err()
}

// kindTable holds the kind of every entity, in order of id: nine bytes an
// entity, where a map would take several times as many.
type kindTable struct {
	ids   []mosaic.EntityID
	kind  []uint8
	names []mosaic.MentionType
}

// entityKinds reads the kinds of the entities q sees.
func entityKinds(ctx context.Context, q querier) (*kindTable, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, kind FROM entities ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("entity kinds: %w", err)
	}
	defer rows.Close()
	k := &kindTable{}
	index := map[string]uint8{}
	for rows.Next() {
		var id mosaic.EntityID
		var kind string
		if err := rows.Scan(&id, &kind); err != nil {
			return nil, fmt.Errorf("entity kinds: %w", err)
		}
		i, ok := index[kind]
		if !ok {
			if len(k.names) > 255 {
				return nil, fmt.Errorf("entity kinds: more than 256 kinds")
			}
			i = uint8(len(k.names))
			index[kind] = i
			k.names = append(k.names, mosaic.MentionType(kind))
		}
		k.ids, k.kind = append(k.ids, id), append(k.kind, i)
	}
	return k, rows.Err()
}

// of returns the kind of the entity id, and whether it exists.
func (k *kindTable) of(id mosaic.EntityID) (mosaic.MentionType, bool) {
	i, ok := slices.BinarySearch(k.ids, id)
	if !ok {
		return "", false
	}
	return k.names[k.kind[i]], true
}

// mergeRoot is the entity an entity reads as in an agency's merges, and
// the kind of their group.
type mergeRoot struct {
	root mosaic.EntityID
	kind mosaic.MentionType
}

// mergedIn reads the agency's merges: each entity of a merged group, with
// the entity it reads as and the group's kind (mergedAs, in Go).
func (s *Store) mergedIn(ctx context.Context, agency string) (map[mosaic.EntityID]mergeRoot, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT entity, root, kind FROM merges WHERE agency = ?`, agency)
	if err != nil {
		return nil, fmt.Errorf("merges: %w", err)
	}
	defer rows.Close()
	out := map[mosaic.EntityID]mergeRoot{}
	for rows.Next() {
		var id, root mosaic.EntityID
		var kind string
		if err := rows.Scan(&id, &root, &kind); err != nil {
			return nil, fmt.Errorf("merges: %w", err)
		}
		out[id] = mergeRoot{root, mosaic.MentionType(kind)}
	}
	return out, rows.Err()
}

// heldInScope maps each document's row number, from from to before to, to
// the collections in scope, and of the agencies if any are given, that
// hold it. Documents held alike share their list.
func heldInScope(ctx context.Context, q querier, scope store.Scope, agencies []string, from, to int64) (map[int64][]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT h.doc, c.name, a.name FROM holdings h
		JOIN collections c ON c.id = h.collection_id JOIN agencies a ON a.id = c.agency_id
		WHERE h.doc >= ? AND h.doc < ? ORDER BY h.doc, c.name`, from, to)
	if err != nil {
		return nil, fmt.Errorf("relations: holdings: %w", err)
	}
	defer rows.Close()
	out := map[int64][]string{}
	shared := map[string][]string{}
	doc, names := int64(-1), []string(nil)
	keep := func() {
		if len(names) == 0 {
			return
		}
		k := strings.Join(names, "\x00")
		l, ok := shared[k]
		if !ok {
			l = slices.Clone(names)
			shared[k] = l
		}
		out[doc] = l
	}
	for rows.Next() {
		var d int64
		var c, a string
		if err := rows.Scan(&d, &c, &a); err != nil {
			return nil, fmt.Errorf("relations: holdings: %w", err)
		}
		if d != doc {
			keep()
			doc, names = d, names[:0]
		}
		if scope.Allows(c) && (len(agencies) == 0 || slices.Contains(agencies, a)) {
			names = append(names, c)
		}
	}
	keep()
	return out, rows.Err()
}
