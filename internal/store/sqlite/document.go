package sqlite

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/store"
)

// Add implements store.DocumentWriter.
func (s *Store) Add(ctx context.Context, batch []store.Ingested) ([]store.Added, error) {
	for i := range batch {
		if err := validate(&batch[i]); err != nil {
			return nil, err
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, fmt.Errorf("add documents: %w", err)
	}
	defer tx.Rollback()
	mw := &mentionWriter{tx: tx}
	defer mw.close()
	collections := map[string]int64{}
	added := make([]store.Added, len(batch))
	now := formatTime(time.Now())
	for i, in := range batch {
		cid, ok := collections[in.Collection]
		if !ok {
			err := tx.QueryRowContext(ctx, `SELECT id FROM collections WHERE name = ?`, in.Collection).Scan(&cid)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, fmt.Errorf("add %s: collection %q: %w", in.Doc.Source, in.Collection, store.ErrNotFound)
			}
			if err != nil {
				return nil, fmt.Errorf("add %s: %w", in.Doc.Source, err)
			}
			collections[in.Collection] = cid
		}
		seq, stored, err := putDocument(ctx, tx, mw, &in)
		if err != nil {
			return nil, fmt.Errorf("add %s: %w", in.Doc.Source, err)
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO holdings (doc, collection_id, source, added_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (collection_id, doc) DO NOTHING`, seq, cid, in.Doc.Source, now)
		if err != nil {
			return nil, fmt.Errorf("add %s: holding: %w", in.Doc.Source, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, fmt.Errorf("add %s: holding: %w", in.Doc.Source, err)
		}
		switch {
		case n == 0:
			added[i] = store.AlreadyHeld
		case stored:
			added[i] = store.NewContent
		default:
			added[i] = store.NewHolding
		}
	}
	// A new holding changes what its collection's scope shows about
	// entities even when no entity changes, so it counts as a change.
	if slices.ContainsFunc(added, store.Added.New) {
		if err := bumpGeneration(ctx, tx); err != nil {
			return nil, fmt.Errorf("add documents: %w", err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, fmt.Errorf("add documents: commit: %w", err)
	}
	return added, nil
}

// validate checks what the database cannot: that the text is UTF-8 and every
// mention lies inside it.
func validate(in *store.Ingested) error {
	d := &in.Doc
	if d.ID == "" {
		return fmt.Errorf("add %s: %w: document without an id", d.Source, store.ErrInvalid)
	}
	if !utf8.ValidString(d.Text) || !utf8.ValidString(d.Title) {
		return fmt.Errorf("add %s: %w: text is not valid UTF-8", d.Source, store.ErrInvalid)
	}
	type key struct {
		start, end int
		typ        mosaic.MentionType
	}
	seen := make(map[key]bool, len(in.Mentions))
	for _, m := range in.Mentions {
		if m.Start < 0 || m.End > len(d.Text) || m.Start >= m.End {
			return fmt.Errorf("add %s: %w: mention [%d,%d) outside text of %d bytes", d.Source, store.ErrInvalid, m.Start, m.End, len(d.Text))
		}
		k := key{m.Start, m.End, m.Type}
		if seen[k] {
			return fmt.Errorf("add %s: %w: mention %s [%d,%d) twice", d.Source, store.ErrInvalid, m.Type, m.Start, m.End)
		}
		seen[k] = true
	}
	for _, r := range in.Relations {
		if r.From < 0 || r.From >= len(in.Mentions) || r.To < 0 || r.To >= len(in.Mentions) || r.From == r.To || r.Type == "" {
			return fmt.Errorf("add %s: %w: %s relation between mentions %d and %d of %d", d.Source, store.ErrInvalid, r.Type, r.From, r.To, len(in.Mentions))
		}
		if r.Sentence.Start < 0 || r.Sentence.End > len(d.Text) || r.Sentence.Start > r.Sentence.End {
			return fmt.Errorf("add %s: %w: relation sentence [%d,%d) outside text", d.Source, store.ErrInvalid, r.Sentence.Start, r.Sentence.End)
		}
	}
	return nil
}

// putDocument stores the document and its mentions unless its content is
// already stored, and returns its row number either way and whether it
// stored it now.
func putDocument(ctx context.Context, tx *sql.Tx, mw *mentionWriter, in *store.Ingested) (int64, bool, error) {
	d := &in.Doc
	var seq int64
	err := tx.QueryRowContext(ctx, `SELECT seq FROM documents WHERE id = ?`, string(d.ID)).Scan(&seq)
	if err == nil {
		return seq, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return 0, false, err
	}
	meta, err := json.Marshal(d.Meta)
	if err != nil {
		return 0, false, fmt.Errorf("meta: %w", err)
	}
	err = tx.QueryRowContext(ctx, `INSERT INTO documents (id, parent, title, body, date, format, size, meta)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		string(d.ID), string(d.Parent), blankControls(d.Title), blankControls(d.Text), formatTime(d.Date), string(d.Format), d.Size, string(meta)).Scan(&seq)
	if err != nil {
		return 0, false, fmt.Errorf("document: %w", err)
	}
	if err := mw.put(ctx, seq, in.Mentions); err != nil {
		return 0, false, err
	}
	if err := mw.putRelations(ctx, seq, in.Mentions, in.Relations); err != nil {
		return 0, false, err
	}
	return seq, true, nil
}

// mentionWriter inserts mentions through statements prepared once per
// transaction, each carrying a fixed number of rows: a document's mentions
// go in chunks of 64, 16, 4 and 1, so there are four statements to prepare
// and few executions per document. (Executing one row at a time spent most
// of the writer's time in per-statement overhead; building a statement for
// each document's exact count spent it compiling SQL.)
type mentionWriter struct {
	tx    *sql.Tx
	stmts map[int]*sql.Stmt
	args  []any
	// relation inserts one relation, prepared on first use.
	relation *sql.Stmt
}

var mentionChunks = []int{64, 16, 4, 1}

func (w *mentionWriter) put(ctx context.Context, seq int64, ms []mosaic.Mention) error {
	for _, size := range mentionChunks {
		for len(ms) >= size {
			stmt, err := w.stmt(ctx, size)
			if err != nil {
				return err
			}
			w.args = w.args[:0]
			for _, m := range ms[:size] {
				w.args = append(w.args, seq, m.Start, m.End, string(m.Type), m.Text, m.Norm, m.Sentence.Start, m.Sentence.End, m.Confidence)
			}
			if _, err := stmt.ExecContext(ctx, w.args...); err != nil {
				return fmt.Errorf("mentions: %w", err)
			}
			ms = ms[size:]
		}
	}
	return nil
}

func (w *mentionWriter) stmt(ctx context.Context, rows int) (*sql.Stmt, error) {
	if st, ok := w.stmts[rows]; ok {
		return st, nil
	}
	st, err := w.tx.PrepareContext(ctx, `INSERT INTO mentions
		(doc, start_byte, end_byte, type, text, norm, sent_start, sent_end, confidence) VALUES `+
		strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?, ?), ", rows), ", "))
	if err != nil {
		return nil, fmt.Errorf("mentions: %w", err)
	}
	if w.stmts == nil {
		w.stmts = map[int]*sql.Stmt{}
	}
	w.stmts[rows] = st
	return st, nil
}

func (w *mentionWriter) close() {
	for _, st := range w.stmts {
		st.Close()
	}
	if w.relation != nil {
		w.relation.Close()
	}
}

// Holds implements store.DocumentReader.
func (s *Store) Holds(ctx context.Context, collection string, id mosaic.DocID) (bool, error) {
	var n int
	err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM holdings h
		JOIN documents d ON d.seq = h.doc JOIN collections c ON c.id = h.collection_id
		WHERE d.id = ? AND c.name = ?`, string(id), collection).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("holds %s: %w", id.Short(), err)
	}
	return n > 0, nil
}

// Document implements store.DocumentReader.
func (s *Store) Document(ctx context.Context, id mosaic.DocID, scope store.Scope) (mosaic.Document, []store.Holding, error) {
	seq, holdings, err := s.holdings(ctx, id, scope)
	if err != nil {
		return mosaic.Document{}, nil, err
	}
	d := mosaic.Document{ID: id}
	var parent, date, format, meta string
	err = s.db.QueryRowContext(ctx, `SELECT parent, title, body, date, format, size, meta FROM documents WHERE seq = ?`, seq).
		Scan(&parent, &d.Title, &d.Text, &date, &format, &d.Size, &meta)
	if err != nil {
		return mosaic.Document{}, nil, fmt.Errorf("document %s: %w", id.Short(), err)
	}
	d.Parent, d.Date, d.Format = mosaic.DocID(parent), parseTime(date), mosaic.Format(format)
	if err := json.Unmarshal([]byte(meta), &d.Meta); err != nil {
		return mosaic.Document{}, nil, fmt.Errorf("document %s: meta: %w", id.Short(), err)
	}
	d.Source = holdings[0].Source
	return d, holdings, nil
}

// holdings returns the document's row number and the holdings in scope, or
// ErrNotFound when there are none.
func (s *Store) holdings(ctx context.Context, id mosaic.DocID, scope store.Scope) (int64, []store.Holding, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT d.seq, c.name, a.name, h.source, h.added_at
		FROM documents d JOIN holdings h ON h.doc = d.seq
		JOIN collections c ON c.id = h.collection_id JOIN agencies a ON a.id = c.agency_id
		WHERE d.id = ? ORDER BY h.seq`, string(id))
	if err != nil {
		return 0, nil, fmt.Errorf("document %s: %w", id.Short(), err)
	}
	defer rows.Close()
	var seq int64
	var out []store.Holding
	for rows.Next() {
		var h store.Holding
		var added string
		if err := rows.Scan(&seq, &h.Collection, &h.Agency, &h.Source, &added); err != nil {
			return 0, nil, fmt.Errorf("document %s: %w", id.Short(), err)
		}
		h.Added = parseTime(added)
		if scope.Allows(h.Collection) {
			out = append(out, h)
		}
	}
	if err := rows.Err(); err != nil {
		return 0, nil, fmt.Errorf("document %s: %w", id.Short(), err)
	}
	if len(out) == 0 {
		return 0, nil, fmt.Errorf("document %s: %w", id.Short(), store.ErrNotFound)
	}
	return seq, out, nil
}

// Documents implements store.DocumentReader.
func (s *Store) Documents(ctx context.Context, f store.DocumentFilter) ([]store.Summary, int, error) {
	names := f.Scope.Collections
	if f.Collection != "" {
		if !f.Scope.Allows(f.Collection) {
			return []store.Summary{}, 0, nil
		}
		names = []string{f.Collection}
	}
	if names != nil && len(names) == 0 {
		return []store.Summary{}, 0, nil
	}
	where, args := "", []any{}
	if names != nil {
		where, args = inList("c.name", names)
		where = "WHERE " + where
	}
	var total int
	err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT h.doc) FROM holdings h
		JOIN collections c ON c.id = h.collection_id `+where, args...).Scan(&total)
	if err != nil {
		return nil, 0, fmt.Errorf("list documents: %w", err)
	}
	limit, offset := page(f.Limit, f.Offset, 50)
	rows, err := s.db.QueryContext(ctx, `SELECT d.id, d.parent, d.title, d.date, d.format, d.size, max(h.seq) AS last
		FROM holdings h JOIN documents d ON d.seq = h.doc JOIN collections c ON c.id = h.collection_id `+where+`
		GROUP BY d.seq ORDER BY last DESC LIMIT ? OFFSET ?`, append(args, limit, offset)...)
	if err != nil {
		return nil, 0, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	out := []store.Summary{}
	for rows.Next() {
		var sm store.Summary
		var id, parent, date, format string
		var last int64
		if err := rows.Scan(&id, &parent, &sm.Title, &date, &format, &sm.Size, &last); err != nil {
			return nil, 0, fmt.Errorf("list documents: %w", err)
		}
		sm.ID, sm.Parent, sm.Date, sm.Format = mosaic.DocID(id), mosaic.DocID(parent), parseTime(date), mosaic.Format(format)
		out = append(out, sm)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("list documents: %w", err)
	}
	rows.Close()
	for i := range out {
		cs, err := s.heldBy(ctx, out[i].ID, f.Scope)
		if err != nil {
			return nil, 0, err
		}
		out[i].Collections = cs
	}
	return out, total, nil
}

// heldBy names the collections in scope that hold a document.
func (s *Store) heldBy(ctx context.Context, id mosaic.DocID, scope store.Scope) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT c.name FROM holdings h
		JOIN documents d ON d.seq = h.doc JOIN collections c ON c.id = h.collection_id
		WHERE d.id = ? ORDER BY h.seq`, string(id))
	if err != nil {
		return nil, fmt.Errorf("collections of %s: %w", id.Short(), err)
	}
	defer rows.Close()
	out := []string{}
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			return nil, fmt.Errorf("collections of %s: %w", id.Short(), err)
		}
		if scope.Allows(name) {
			out = append(out, name)
		}
	}
	return out, rows.Err()
}

// Mentions implements store.DocumentReader.
func (s *Store) Mentions(ctx context.Context, id mosaic.DocID, scope store.Scope) ([]mosaic.Mention, error) {
	seq, _, err := s.holdings(ctx, id, scope)
	if err != nil {
		return nil, err
	}
	rows, err := s.db.QueryContext(ctx, `SELECT m.start_byte, m.end_byte, m.type, m.text, m.norm, m.sent_start, m.sent_end, m.confidence,
		coalesce(e.merged_into, e.id, 0)
		FROM mentions m LEFT JOIN entities e ON e.id = m.entity WHERE m.doc = ? ORDER BY m.start_byte, m.end_byte`, seq)
	if err != nil {
		return nil, fmt.Errorf("mentions of %s: %w", id.Short(), err)
	}
	defer rows.Close()
	out := []mosaic.Mention{}
	for rows.Next() {
		var m mosaic.Mention
		var typ string
		if err := rows.Scan(&m.Start, &m.End, &typ, &m.Text, &m.Norm, &m.Sentence.Start, &m.Sentence.End, &m.Confidence, &m.Entity); err != nil {
			return nil, fmt.Errorf("mentions of %s: %w", id.Short(), err)
		}
		m.Type = mosaic.MentionType(typ)
		out = append(out, m)
	}
	return out, rows.Err()
}

// page applies the default and a ceiling to a page size.
func page(limit, offset, def int) (int, int) {
	if limit <= 0 {
		limit = def
	}
	limit = min(limit, 1000)
	return limit, max(offset, 0)
}

// blankControls replaces C0 control characters other than tab, line feed,
// carriage return and form feed with spaces. They carry no meaning in text,
// and replacing each byte with one byte keeps every mention offset valid.
func blankControls(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			return ' '
		}
		return r
	}, s)
}
