package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/store"
)

// Add implements store.DocumentWriter.
func (s *Store) Add(ctx context.Context, batch []store.Ingested) ([]store.Added, error) {
	added, _, err := s.add(ctx, batch, nil, nil)
	return added, err
}

// AddResolved implements store.DocumentWriter.
func (s *Store) AddResolved(ctx context.Context, batch []store.Ingested, created []mosaic.Entity, docs []store.DocAssignments) ([]store.Added, []mosaic.EntityID, error) {
	if err := checkCreated(created); err != nil {
		return nil, nil, err
	}
	// A document given twice (two files of one content) is stored once,
	// with the first ties given.
	ties := make(map[mosaic.DocID][]store.Assignment, len(docs))
	for _, d := range docs {
		if _, ok := ties[d.Doc]; !ok {
			ties[d.Doc] = d.Assign
		}
	}
	return s.add(ctx, batch, created, ties)
}

// add stores a batch, and with ties (AddResolved) resolves the names of
// the documents whose content it stores.
func (s *Store) add(ctx context.Context, batch []store.Ingested, created []mosaic.Entity, ties map[mosaic.DocID][]store.Assignment) ([]store.Added, []mosaic.EntityID, error) {
	for i := range batch {
		if err := validate(&batch[i]); err != nil {
			return nil, nil, err
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, nil, fmt.Errorf("add documents: %w", err)
	}
	defer tx.Rollback()
	var r *resolution
	if ties != nil {
		r = newResolution(ctx, tx, created)
	}
	mw := &rowWriter{tx: tx}
	defer mw.close()
	// The key is read once the write lock is held: a key rotation switches
	// keys between transactions, and retires the old one only when no
	// document is left sealed with it.
	ix := newIndexer(tx, s.crypt.writer())
	if err := checkKeyVersion(ctx, tx, ix.k); err != nil {
		return nil, nil, fmt.Errorf("add documents: %w", err)
	}
	collections := map[string]int64{}
	cids := make([]int64, len(batch))
	for i, in := range batch {
		cid, ok := collections[in.Collection]
		if !ok {
			err := tx.QueryRowContext(ctx, `SELECT id FROM collections WHERE name = ?`, in.Collection).Scan(&cid)
			if errors.Is(err, sql.ErrNoRows) {
				return nil, nil, fmt.Errorf("add %s: collection %q: %w", in.Doc.Source, in.Collection, store.ErrNotFound)
			}
			if err != nil {
				return nil, nil, fmt.Errorf("add %s: %w", in.Doc.Source, err)
			}
			collections[in.Collection] = cid
		}
		cids[i] = cid
	}
	// What the batch's documents already are in the store is read a few
	// hundred documents to a statement, not a statement a document (on
	// PostgreSQL, a round trip each).
	seqs, err := storedSeqs(ctx, tx, batch)
	if err != nil {
		return nil, nil, fmt.Errorf("add documents: %w", err)
	}
	if r != nil {
		if err := r.know(ties); err != nil {
			return nil, nil, fmt.Errorf("add documents: %w", err)
		}
	}
	added := make([]store.Added, len(batch))
	now := formatTime(time.Now())
	// held are the holdings of the batch's documents, those before it and
	// those it adds, which are written with its other rows at the end, in
	// the batch's order.
	held, err := holdingsOf(ctx, tx, seqs)
	if err != nil {
		return nil, nil, fmt.Errorf("add documents: %w", err)
	}
	gained := map[int64]int{} // holdings added, by collection
	for i, in := range batch {
		cid := cids[i]
		if in.Held {
			if !held[holding{cid: cid, id: in.Doc.ID}] {
				return nil, nil, fmt.Errorf("add %s: collection %q no longer holds document %s, deleted since it was read: ingest it again: %w",
					in.Doc.Source, in.Collection, in.Doc.ID.Short(), store.ErrNotFound)
			}
			added[i] = store.AlreadyHeld
			continue
		}
		seq, stored, err := putDocument(ctx, tx, mw, ix, &in, r, ties[in.Doc.ID], seqs)
		if err != nil {
			return nil, nil, fmt.Errorf("add %s: %w", in.Doc.Source, err)
		}
		var n int64
		if k := (holding{cid: cid, id: in.Doc.ID}); !held[k] {
			if err := mw.add(ctx, holdingInsert, seq, cid, in.Doc.Source, now); err != nil {
				return nil, nil, fmt.Errorf("add %s: holding: %w", in.Doc.Source, err)
			}
			held[k], n = true, 1
			gained[cid]++
		}
		if n > 0 {
			for j, inc := range in.Incidents {
				if _, err := s.addIncident(ctx, tx, ix.k, cid, inc); err != nil {
					return nil, nil, fmt.Errorf("add %s: incident %d (event %q): %w", in.Doc.Source, j, inc.EventID, err)
				}
			}
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
	if err := mw.flush(ctx); err != nil {
		return nil, nil, fmt.Errorf("add documents: %w", err)
	}
	if err := countHoldings(ctx, tx, gained); err != nil {
		return nil, nil, fmt.Errorf("add documents: %w", err)
	}
	if r != nil {
		if err := r.tot.write(ctx, tx); err != nil {
			return nil, nil, fmt.Errorf("add documents: %w", err)
		}
	}
	// A new holding changes what its collection's scope shows about
	// entities even when no entity changes, so it counts as a change.
	if slices.ContainsFunc(added, store.Added.New) || r.madeAny() {
		if err := bumpGeneration(ctx, tx); err != nil {
			return nil, nil, fmt.Errorf("add documents: %w", err)
		}
	}
	if err := ix.flush(ctx); err != nil {
		return nil, nil, fmt.Errorf("add documents: %w", err)
	}
	if err := tx.Commit(); err != nil {
		return nil, nil, fmt.Errorf("add documents: commit: %w", err)
	}
	s.checkpointSoon()
	s.crypt.vocab.learn(ix.learnt)
	return added, r.made(), nil
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
	for i, inc := range in.Incidents {
		if err := checkIncident(i, inc); err != nil {
			return fmt.Errorf("add %s: %w", d.Source, err)
		}
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

// Prepare implements store.Preparer: it folds the words of the document's
// title and body for the search index, as Add would.
func (s *Store) Prepare(in *store.Ingested) {
	in.Prepared = wordsOf(blankControls(in.Doc.Title), blankControls(in.Doc.Text))
}

// putDocument stores the document, sealed, its search index entry and its
// mentions unless its content is already stored, and returns its row number
// either way and whether it stored it now.
//
// With a resolution, the mentions of a document it stores are written tied
// as assign says (see resolution.fresh), with their tallies.
func putDocument(ctx context.Context, tx *txn, mw *rowWriter, ix *indexer, in *store.Ingested, r *resolution, assign []store.Assignment, seqs map[mosaic.DocID]int64) (int64, bool, error) {
	d := &in.Doc
	if seq, ok := seqs[d.ID]; ok {
		return seq, false, nil
	}
	var seq int64
	meta, err := json.Marshal(d.Meta)
	if err != nil {
		return 0, false, fmt.Errorf("meta: %w", err)
	}
	id, title, body := string(d.ID), blankControls(d.Title), blankControls(d.Text)
	err = tx.QueryRowContext(ctx, `INSERT INTO documents (id, parent, title, body, date, format, size, meta, key_version)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING seq`,
		id, string(d.Parent), ix.k.seal([]byte(title), id, "title"), ix.k.seal([]byte(body), id, "body"),
		formatTime(d.Date), string(d.Format), d.Size, ix.k.seal(meta, id, "meta"), ix.k.version).Scan(&seq)
	if err != nil {
		return 0, false, fmt.Errorf("document: %w", err)
	}
	if w, ok := in.Prepared.(*indexWords); ok && w.title == title && w.body == body {
		err = ix.addWords(ctx, seq, w, false)
	} else {
		err = ix.add(ctx, seq, title, body, false)
	}
	if err != nil {
		return 0, false, fmt.Errorf("search index: %w", err)
	}
	var t *tying
	if r != nil {
		if t, err = r.fresh(in.Mentions, assign); err != nil {
			return 0, false, err
		}
	}
	if err := mw.put(ctx, seq, in.Mentions, t); err != nil {
		return 0, false, err
	}
	if err := mw.putRelations(ctx, seq, in.Mentions, in.Relations); err != nil {
		return 0, false, err
	}
	if t != nil {
		if err := tally(ctx, tx, seq, formatTime(d.Date), t.tied, t.tied, &r.tot, mw); err != nil {
			return 0, false, err
		}
	}
	seqs[d.ID] = seq
	return seq, true, nil
}

// countHoldings adds to each collection's count of documents (see
// migration 23) the holdings a transaction gave it.
func countHoldings(ctx context.Context, tx *txn, gained map[int64]int) error {
	for cid, n := range gained {
		if _, err := tx.ExecContext(ctx, `UPDATE collections SET documents = documents + ? WHERE id = ?`, n, cid); err != nil {
			return fmt.Errorf("collection %d: count: %w", cid, err)
		}
	}
	return nil
}

// holding is a collection's (by id) holding of a document.
type holding struct {
	cid int64
	id  mosaic.DocID
}

var holdingInsert = chunkedInsert{table: "holdings",
	into: `holdings (doc, collection_id, source, added_at)`,
	row:  `(?, ?, ?, ?)`}

// lookupChunk is how many keys a look-up of a batch's documents or
// entities asks for in one statement.
const lookupChunk = 500

// queryIn runs q once for every lookupChunk keys, with before's arguments
// and then the keys in place of q's "IN (?)", and scans each row.
func queryIn[K any](ctx context.Context, tx querier, q string, before []any, keys []K, scan func(*sql.Rows) error) error {
	for len(keys) > 0 {
		part := keys[:min(lookupChunk, len(keys))]
		keys = keys[len(part):]
		args := slices.Clone(before)
		for _, k := range part {
			args = append(args, k)
		}
		rows, err := tx.QueryContext(ctx, strings.Replace(q, "IN (?)", "IN ("+placeholders(len(part))+")", 1), args...)
		if err != nil {
			return err
		}
		for rows.Next() {
			if err := scan(rows); err != nil {
				rows.Close()
				return err
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
	}
	return nil
}

// execIn runs q once for every lookupChunk keys, the keys in place of
// q's "IN (?)".
func execIn[K any](ctx context.Context, tx *txn, q string, keys []K) error {
	for len(keys) > 0 {
		part := keys[:min(lookupChunk, len(keys))]
		keys = keys[len(part):]
		args := make([]any, len(part))
		for i, k := range part {
			args[i] = k
		}
		if _, err := tx.ExecContext(ctx, strings.Replace(q, "IN (?)", "IN ("+placeholders(len(part))+")", 1), args...); err != nil {
			return err
		}
	}
	return nil
}

// storedSeqs returns the row numbers of the batch's documents whose
// content is stored already (a document said to be held and deleted since
// is not).
func storedSeqs(ctx context.Context, tx *txn, batch []store.Ingested) (map[mosaic.DocID]int64, error) {
	ids := make([]string, len(batch))
	for i, in := range batch {
		ids[i] = string(in.Doc.ID)
	}
	seqs := make(map[mosaic.DocID]int64, len(ids))
	err := queryIn(ctx, tx, `SELECT id, seq FROM documents WHERE id IN (?)`, nil, ids, func(rows *sql.Rows) error {
		var id string
		var seq int64
		err := rows.Scan(&id, &seq)
		seqs[mosaic.DocID(id)] = seq
		return err
	})
	return seqs, err
}

// holdingsOf returns the holdings of the stored documents seqs.
func holdingsOf(ctx context.Context, tx *txn, seqs map[mosaic.DocID]int64) (map[holding]bool, error) {
	ids := make(map[int64]mosaic.DocID, len(seqs))
	keys := make([]int64, 0, len(seqs))
	for id, seq := range seqs {
		ids[seq] = id
		keys = append(keys, seq)
	}
	held := map[holding]bool{}
	err := queryIn(ctx, tx, `SELECT doc, collection_id FROM holdings WHERE doc IN (?)`, nil, keys, func(rows *sql.Rows) error {
		var seq, cid int64
		err := rows.Scan(&seq, &cid)
		held[holding{cid: cid, id: ids[seq]}] = true
		return err
	})
	return held, err
}

// rowWriter inserts the rows of a batch's mentions, relations and new
// tallies in statements of 64 rows, across documents: each kind's rows
// wait until 64 make a statement, and what is left at the end goes in
// statements of 16, 4 and 1 (flush; see chunkSizes). The statements are
// prepared once per transaction. (Chunking each document's rows apart
// took five statements for 41 relations.) On PostgreSQL the rows of a
// plain insert are copied instead, copyRowsAtOnce at a time.
type rowWriter struct {
	tx    *txn
	stmts map[chunkKey]*stmt
	bufs  map[string]*rowBuffer
	order []string // the tables in the order their rows first came
}

type chunkKey struct {
	table string
	rows  int
}

// rowBuffer holds the rows of one insert waiting for a statement.
type rowBuffer struct {
	in   chunkedInsert
	args []any
	rows int
}

// put writes a document's mentions, tied to entities as t says if set.
func (w *rowWriter) put(ctx context.Context, seq int64, ms []mosaic.Mention, t *tying) error {
	for i, m := range ms {
		var entity any
		why := ""
		if t != nil && t.entity[i] != 0 {
			entity, why = t.entity[i], t.why[i]
		}
		if err := w.add(ctx, mentionInsert, seq, m.Start, m.End, string(m.Type), m.Text, m.Norm, m.Sentence.Start, m.Sentence.End, m.Confidence, entity, why); err != nil {
			return fmt.Errorf("mentions: %w", err)
		}
	}
	return nil
}

// chunkedInsert is an INSERT of rows of a fixed number of columns: head,
// then row (one row's placeholders) once per row, then tail.
type chunkedInsert struct {
	table, into, row, tail string
}

// statement is the INSERT of n rows in dialect d.
func (in chunkedInsert) statement(d *Dialect, n int) string {
	return d.bulkInsert + " INTO " + in.into + " VALUES " + strings.TrimSuffix(strings.Repeat(in.row+", ", n), ", ") + in.tail
}

// chunkSizes are the row counts rows are written in: 64 a statement, and
// what is left in 16s, 4s and 1s, so that an insert has four statement
// shapes to prepare, whatever the count. (One statement a row spent most
// of the writer's time in per-statement overhead, and on PostgreSQL a
// round trip each; a statement for each count of rows left PostgreSQL,
// and SQLite's per-transaction cache, a new statement to prepare each
// time.)
var chunkSizes = []int{64, 16, 4, 1}

// eachChunk calls fn for n rows cut in chunkSizes, with where each chunk
// starts and its size.
func eachChunk(n int, fn func(at, size int) error) error {
	at := 0
	for _, size := range chunkSizes {
		for n-at >= size {
			if err := fn(at, size); err != nil {
				return err
			}
			at += size
		}
	}
	return nil
}

var mentionInsert = chunkedInsert{table: "mentions",
	into: `mentions (doc, start_byte, end_byte, type, text, norm, sent_start, sent_end, confidence, entity, resolution)`,
	row:  `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`}

// add queues one row of in, and writes the queue once it holds a full
// statement's rows.
func (w *rowWriter) add(ctx context.Context, in chunkedInsert, values ...any) error {
	b := w.bufs[in.table]
	if b == nil {
		if w.bufs == nil {
			w.bufs = map[string]*rowBuffer{}
		}
		b = &rowBuffer{in: in}
		w.bufs[in.table] = b
		w.order = append(w.order, in.table)
	}
	b.args = append(b.args, values...)
	if b.rows++; b.rows == w.rowsAtOnce(b.in) {
		return w.write(ctx, b)
	}
	return nil
}

// copyRowsAtOnce is how many rows a COPY writes at most.
const copyRowsAtOnce = 4096

// copied says in's rows are copied rather than inserted: plain inserts,
// where the dialect copies.
func (w *rowWriter) copied(in chunkedInsert) bool {
	return w.tx.d.copies && in.tail == ""
}

// rowsAtOnce is how many of in's rows wait to be written together.
func (w *rowWriter) rowsAtOnce(in chunkedInsert) int {
	if w.copied(in) {
		return copyRowsAtOnce
	}
	return chunkSizes[0]
}

// flush writes every row queued.
func (w *rowWriter) flush(ctx context.Context) error {
	for _, table := range w.order {
		if err := w.write(ctx, w.bufs[table]); err != nil {
			return fmt.Errorf("%s: %w", table, err)
		}
	}
	return nil
}

// write writes b's rows in statements of chunkSizes' sizes, and empties
// it.
func (w *rowWriter) write(ctx context.Context, b *rowBuffer) error {
	if b.rows == 0 {
		return nil
	}
	width := len(b.args) / b.rows
	if w.copied(b.in) {
		rows := make([][]any, b.rows)
		for i := range rows {
			rows[i] = w.tx.d.args(b.args[i*width : (i+1)*width : (i+1)*width])
		}
		table, columns := b.in.columns()
		err := w.tx.copyRows(ctx, table, columns, rows)
		b.args, b.rows = b.args[:0], 0
		return err
	}
	err := eachChunk(b.rows, func(at, size int) error {
		key := chunkKey{b.in.table, size}
		st, ok := w.stmts[key]
		if !ok {
			var err error
			if st, err = w.tx.PrepareContext(ctx, b.in.statement(w.tx.d, size)); err != nil {
				return err
			}
			if w.stmts == nil {
				w.stmts = map[chunkKey]*stmt{}
			}
			w.stmts[key] = st
		}
		_, err := st.ExecContext(ctx, b.args[at*width:(at+size)*width]...)
		return err
	})
	b.args, b.rows = b.args[:0], 0
	return err
}

func (w *rowWriter) close() {
	for _, st := range w.stmts {
		st.Close()
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
	d, err := s.readDocument(ctx, seq, id)
	if err != nil {
		return mosaic.Document{}, nil, err
	}
	d.Source = holdings[0].Source
	return d, holdings, nil
}

// readDocument reads and opens the stored document seq, whose id is id.
func (s *Store) readDocument(ctx context.Context, seq int64, id mosaic.DocID) (mosaic.Document, error) {
	d := mosaic.Document{ID: id}
	var parent, date, format string
	var title, body, meta []byte
	err := s.db.QueryRowContext(ctx, `SELECT parent, title, body, date, format, size, meta FROM documents WHERE seq = ?`, seq).
		Scan(&parent, &title, &body, &date, &format, &d.Size, &meta)
	if err != nil {
		return mosaic.Document{}, fmt.Errorf("document %s: %w", id.Short(), err)
	}
	d.Parent, d.Date, d.Format = mosaic.DocID(parent), parseTime(date), mosaic.Format(format)
	if d.Title, err = s.openText(title, string(id), "title"); err != nil {
		return mosaic.Document{}, fmt.Errorf("document %s: %w", id.Short(), err)
	}
	if d.Text, err = s.openText(body, string(id), "body"); err != nil {
		return mosaic.Document{}, fmt.Errorf("document %s: %w", id.Short(), err)
	}
	m, err := s.crypt.open(meta, string(id), "meta")
	if err == nil {
		err = json.Unmarshal(m, &d.Meta)
	}
	if err != nil {
		return mosaic.Document{}, fmt.Errorf("document %s: meta: %w", id.Short(), err)
	}
	return d, nil
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
	l, err := s.DocumentsPage(ctx, f)
	return l.Documents, l.Total, err
}

// DocumentsPage implements store.DocumentReader. Documents are listed by
// when they first came into the scope (the first holding of theirs a
// collection in it has), newest first: a key that a later holding, in
// scope or not, does not change, so a cursor on it stays right.
func (s *Store) DocumentsPage(ctx context.Context, f store.DocumentFilter) (store.DocumentList, error) {
	l := store.DocumentList{Documents: []store.Summary{}}
	names := f.Scope.Collections
	if f.Collection != "" {
		if !f.Scope.Allows(f.Collection) {
			return l, nil
		}
		names = []string{f.Collection}
	}
	var after int64
	if f.Cursor != "" {
		if err := s.decodeCursor(f.Cursor, "documents", &after); err != nil {
			return l, err
		}
	}
	if names != nil && len(names) == 0 {
		return l, nil
	}
	// The scope as collection ids (integers, safe to render), so that the
	// holdings' (collection, document) index answers the count.
	inScope, inScope2 := "", ""
	// The total: one collection keeps its count (migrations sqlite 23,
	// postgres 9); several may hold a document twice, so their holdings
	// are counted.
	count := `SELECT count(DISTINCT h.doc) FROM holdings h`
	if names != nil {
		ids, err := s.collectionIDs(ctx, names)
		if err != nil {
			return l, err
		}
		if len(ids) == 0 {
			return l, nil
		}
		inScope = " AND h.collection_id IN " + ids
		inScope2 = " AND h2.collection_id IN " + ids
		count += ` WHERE 1 = 1` + inScope
		if len(names) == 1 {
			count = `SELECT documents FROM collections WHERE id IN ` + ids
		}
	}
	err := s.db.QueryRowContext(ctx, count).Scan(&l.Total)
	if err != nil {
		return l, fmt.Errorf("list documents: %w", err)
	}
	limit, offset := page(f.Limit, f.Offset, 50)
	cond, qargs := "", []any{}
	if f.Cursor != "" {
		cond, qargs = " AND h.seq < ?", []any{after}
		offset = 0
	}
	// A holding counts only if it is the document's first in scope. The
	// list walks the holdings newest first (the unary + keeps SQLite from
	// reading a collection's whole index and sorting it instead).
	rows, err := s.db.QueryContext(ctx, `SELECT h.seq, d.seq, d.id, d.parent, d.title, d.date, d.format, d.size
		FROM holdings h JOIN documents d ON d.seq = h.doc
		WHERE 1 = 1`+strings.Replace(inScope, "h.collection_id", "+h.collection_id", 1)+cond+`
		AND NOT EXISTS (SELECT 1 FROM holdings h2 WHERE h2.doc = h.doc AND h2.seq < h.seq`+inScope2+`)
		ORDER BY h.seq DESC LIMIT ? OFFSET ?`, append(qargs, limit+1, offset)...)
	if err != nil {
		return l, fmt.Errorf("list documents: %w", err)
	}
	defer rows.Close()
	var keys, seqs []int64
	for rows.Next() {
		var sm store.Summary
		var id, parent, date, format string
		var title []byte
		var key, seq int64
		if err := rows.Scan(&key, &seq, &id, &parent, &title, &date, &format, &sm.Size); err != nil {
			return l, fmt.Errorf("list documents: %w", err)
		}
		if sm.Title, err = s.openText(title, id, "title"); err != nil {
			return l, fmt.Errorf("list documents: %w", err)
		}
		sm.ID, sm.Parent, sm.Date, sm.Format = mosaic.DocID(id), mosaic.DocID(parent), parseTime(date), mosaic.Format(format)
		l.Documents = append(l.Documents, sm)
		keys, seqs = append(keys, key), append(seqs, seq)
	}
	if err := rows.Err(); err != nil {
		return l, fmt.Errorf("list documents: %w", err)
	}
	rows.Close()
	if len(l.Documents) > limit {
		l.Documents, seqs = l.Documents[:limit], seqs[:limit]
		l.Next = s.encodeCursor("documents", keys[limit-1])
	}
	held, err := s.heldBySeq(ctx, seqs)
	if err != nil {
		return l, err
	}
	for i := range l.Documents {
		cs := []string{}
		for _, c := range held[seqs[i]] {
			if f.Scope.Allows(c) {
				cs = append(cs, c)
			}
		}
		l.Documents[i].Collections = cs
	}
	return l, nil
}

// collectionIDs renders, for an IN clause, the ids of the named
// collections that exist, or "" when none does.
func (s *Store) collectionIDs(ctx context.Context, names []string) (string, error) {
	where, args := inList("name", names)
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM collections WHERE `+where+` ORDER BY id`, args...)
	if err != nil {
		return "", fmt.Errorf("collections %v: %w", names, err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return "", fmt.Errorf("collections %v: %w", names, err)
		}
		ids = append(ids, fmt.Sprint(id))
	}
	if err := rows.Err(); err != nil {
		return "", fmt.Errorf("collections %v: %w", names, err)
	}
	if len(ids) == 0 {
		return "", nil
	}
	return "(" + strings.Join(ids, ",") + ")", nil
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
	rows, err := s.db.QueryContext(ctx, `SELECT `+mentionColumns+`
		FROM mentions m `+mergedAs("g", "m.entity")+` WHERE m.doc = ? ORDER BY m.start_byte, m.end_byte, m.type`, scope.Agency, seq)
	if err != nil {
		return nil, fmt.Errorf("mentions of %s: %w", id.Short(), err)
	}
	out, err := scanMentions(rows)
	if err != nil {
		return nil, fmt.Errorf("mentions of %s: %w", id.Short(), err)
	}
	return out, nil
}

// mentionColumns are the columns scanMentions reads, of mentions m and the
// merges g of the scope's agency (mergedAs); a mention reads as the entity
// the agency merged its own into.
const mentionColumns = `m.start_byte, m.end_byte, m.type, m.text, m.norm, m.sent_start, m.sent_end, m.confidence,
		coalesce(g.root, m.entity, 0)`

// scanMentions reads rows of mentionColumns and closes them.
func scanMentions(rows *sql.Rows) ([]mosaic.Mention, error) {
	defer rows.Close()
	out := []mosaic.Mention{}
	for rows.Next() {
		var m mosaic.Mention
		var typ string
		if err := rows.Scan(&m.Start, &m.End, &typ, &m.Text, &m.Norm, &m.Sentence.Start, &m.Sentence.End, &m.Confidence, &m.Entity); err != nil {
			return nil, err
		}
		m.Type = mosaic.MentionType(typ)
		out = append(out, m)
	}
	return out, rows.Err()
}

// MentionsPage implements store.DocumentReader.
func (s *Store) MentionsPage(ctx context.Context, id mosaic.DocID, scope store.Scope, within mosaic.Span, p store.Page) ([]mosaic.Mention, string, error) {
	seq, _, err := s.holdings(ctx, id, scope)
	if err != nil {
		return nil, "", err
	}
	// The key is the mentions table's own: (start, end, type).
	start, end, typ := -1, 0, ""
	if p.Cursor != "" {
		if err := s.decodeCursor(p.Cursor, "mentions", &start, &end, &typ); err != nil {
			return nil, "", err
		}
	}
	lo, hi := 0, math.MaxInt64
	if within != (mosaic.Span{}) {
		lo, hi = within.Start, within.End
	}
	size := p.Size()
	rows, err := s.db.QueryContext(ctx, `SELECT `+mentionColumns+`
		FROM mentions m `+mergedAs("g", "m.entity")+`
		WHERE m.doc = ? AND m.start_byte >= ? AND m.start_byte < ?
		AND (m.start_byte, m.end_byte, m.type) > (?, ?, ?)
		ORDER BY m.start_byte, m.end_byte, m.type LIMIT ?`, scope.Agency, seq, lo, hi, start, end, typ, size+1)
	if err != nil {
		return nil, "", fmt.Errorf("mentions of %s: %w", id.Short(), err)
	}
	out, err := scanMentions(rows)
	if err != nil {
		return nil, "", fmt.Errorf("mentions of %s: %w", id.Short(), err)
	}
	next := ""
	if len(out) > size {
		out = out[:size]
		last := out[size-1]
		next = s.encodeCursor("mentions", last.Start, last.End, string(last.Type))
	}
	return out, next, nil
}

// DocumentPage implements store.DocumentReader. Only the page's text is
// returned.
func (s *Store) DocumentPage(ctx context.Context, id mosaic.DocID, scope store.Scope, n int) (mosaic.Document, store.TextPage, []store.Holding, error) {
	var tp store.TextPage
	seq, holdings, err := s.holdings(ctx, id, scope)
	if err != nil {
		return mosaic.Document{}, tp, nil, err
	}
	// The text is sealed whole, so it is opened whole; SQLite read a
	// value whole for substr too, so a page costs about what it did.
	d, err := s.readDocument(ctx, seq, id)
	if err != nil {
		return mosaic.Document{}, tp, nil, err
	}
	body := d.Text
	tp.Length = len(body)
	d.Source = holdings[0].Source
	// Page k nominally starts at k*step and is pulled back at most
	// pageSlack to a break, so none is longer than TextPageSize.
	const step = store.TextPageSize - pageSlack
	tp.Pages = max(1, (tp.Length+step-1)/step)
	if n < 0 || n >= tp.Pages {
		return mosaic.Document{}, tp, nil, fmt.Errorf("document %s: %w: page %d of a text of %d pages (they are numbered from 0)", id.Short(), store.ErrInvalid, n, tp.Pages)
	}
	cut := func(k int) int {
		if k == 0 {
			return 0
		}
		if k >= tp.Pages {
			return tp.Length
		}
		at := k * step
		from := max(0, at-pageSlack)
		return from + pageCut(body[from:min(at+utf8.UTFMax, len(body))], at-from)
	}
	tp.Start, tp.End = cut(n), cut(n+1)
	d.Text = strings.Clone(body[tp.Start:tp.End]) // not holding on to the whole text
	tp.Number = n
	return d, tp, holdings, nil
}

// pageSlack is how far before its nominal place a page may end, to end at
// a line break or a space. It is far less than a page, so no page is empty.
const pageSlack = 4 << 10

// pageCut returns where, in near, a page nominally ending at byte at
// should end: after the last line break in the slack before at, else
// after the last white space, else at the start of the character at at.
func pageCut(near string, at int) int {
	before := near[:at]
	if i := strings.LastIndexByte(before, '\n'); i >= 0 {
		return i + 1
	}
	if i := strings.LastIndexFunc(before, unicode.IsSpace); i >= 0 {
		_, size := utf8.DecodeRuneInString(before[i:])
		return i + size
	}
	for at > 0 && at < len(near) && !utf8.RuneStart(near[at]) {
		at--
	}
	return at
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
