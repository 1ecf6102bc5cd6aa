package sqlstore

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"unicode/utf8"

	"mosaic"
)

// The tallies (migration 00009) summarise resolved mentions per entity and
// document, so that a profile reads them instead of every mention. They
// are kept by the entity each mention is tied to, not the one a merge
// makes of it, so merges need no upkeep. Resolution only ties mentions
// that had no entity, so Resolve adds to the tallies (addTallies); a split
// or its undoing moves mentions between entities, and recounts the
// documents they are in (recountTallies).

// maxSentenceEntities bounds the pairs one sentence adds to the
// co-occurrences: of a sentence naming more distinct entities (a list of
// names read as one sentence), only the first this many, by where each is
// first named, are paired. A real sentence names far fewer; without the
// bound, one run-on "sentence" of thousands of names would add millions of
// pairs.
const maxSentenceEntities = 64

// tied is a resolved mention as the tallies need it.
type tied struct {
	start, end int
	typ        string
	entity     mosaic.EntityID
	text, why  string
	// sent and send are the start and end of the mention's sentence.
	sent, send int
}

// sentence is the entities one sentence names, in order of first mention,
// each with its longest spelling there.
type sentence struct {
	entities []mosaic.EntityID
	longest  map[mosaic.EntityID]string
}

func (s *sentence) add(e mosaic.EntityID, text string) {
	if s.longest == nil {
		s.longest = map[mosaic.EntityID]string{}
	}
	have, ok := s.longest[e]
	if !ok {
		s.entities = append(s.entities, e)
	}
	if !ok || utf8.RuneCountInString(text) > utf8.RuneCountInString(have) {
		s.longest[e] = text
	}
}

// paired returns the entities the sentence pairs: the first
// maxSentenceEntities.
func (s *sentence) paired() []mosaic.EntityID {
	return s.entities[:min(len(s.entities), maxSentenceEntities)]
}

type pairKey struct{ a, b mosaic.EntityID }

// pairTally is what a document's sentences say about one pair.
type pairTally struct {
	sentences int
	name      string
}

// offer keeps text as the pair's name if it is longer than the one kept.
func (p *pairTally) offer(text string) {
	if utf8.RuneCountInString(text) > utf8.RuneCountInString(p.name) {
		p.name = text
	}
}

type spellingKey struct {
	entity    mosaic.EntityID
	name, why string
}

// addTallies adds to the tallies of document seq the mentions Resolve has
// just tied, which had no entity before; what they add to the totals goes
// to tot.
func addTallies(ctx context.Context, q querier, seq int64, ms []tied, tot *totals) error {
	if len(ms) == 0 {
		return nil
	}
	var date string
	if err := q.QueryRowContext(ctx, `SELECT date FROM documents WHERE seq = ?`, seq).Scan(&date); err != nil {
		return fmt.Errorf("tallies: %w", err)
	}
	lo, hi := ms[0].sent, ms[0].send
	for _, m := range ms {
		lo, hi = min(lo, m.sent), max(hi, m.send, m.end)
	}
	// Every mention of a touched sentence starts inside it, so the
	// document's key range [lo, hi) holds them all.
	all, err := resolvedMentions(ctx, q, seq, `AND start_byte >= ? AND start_byte < ?`, lo, hi)
	if err != nil {
		return err
	}
	return tally(ctx, q, seq, date, ms, all, tot, nil)
}

// tally adds to the tallies of document seq, dated date, the mentions ms
// just tied, given all its tied mentions in the sentences they are in
// (ms among them), in offset order; what they add to the totals goes to
// tot. With w, the document is being stored, has no tallies yet, and its
// new rows go through w with the batch's.
func tally(ctx context.Context, q querier, seq int64, date string, ms, all []tied, tot *totals, w *rowWriter) error {
	if len(ms) == 0 {
		return nil
	}
	spellings := map[spellingKey]int{}
	fresh := map[[3]int]bool{}
	touched := map[int]bool{}
	for _, m := range ms {
		spellings[spellingKey{m.entity, fold(m.text), m.why}]++
		fresh[[3]int{m.start, m.end, typeCode(m.typ)}] = true
		touched[m.sent] = true
	}
	if err := putSpellings(ctx, q, seq, date, spellings, tot, w != nil, w); err != nil {
		return err
	}
	before, after := map[int]*sentence{}, map[int]*sentence{}
	for _, m := range all {
		if !touched[m.sent] {
			continue
		}
		if after[m.sent] == nil {
			after[m.sent], before[m.sent] = &sentence{}, &sentence{}
		}
		after[m.sent].add(m.entity, m.text)
		if !fresh[[3]int{m.start, m.end, typeCode(m.typ)}] {
			before[m.sent].add(m.entity, m.text)
		}
	}
	delta := map[pairKey]*pairTally{}
	for sent, now := range after {
		was := before[sent]
		had := map[pairKey]bool{}
		for _, p := range pairs(was) {
			had[p] = true
		}
		for _, p := range pairs(now) {
			t := delta[p]
			if t == nil {
				t = &pairTally{}
				delta[p] = t
			}
			if had[p] {
				delete(had, p)
			} else {
				t.sentences++
			}
			t.offer(now.longest[p.b])
		}
		// A pair the bound now leaves out no longer counts this sentence.
		for p := range had {
			if delta[p] == nil {
				delta[p] = &pairTally{}
			}
			delta[p].sentences--
		}
	}
	return putPairs(ctx, q, seq, delta, tot, w != nil, w)
}

// pairs lists the ordered pairs of distinct entities a sentence pairs.
func pairs(s *sentence) []pairKey {
	es := s.paired()
	out := make([]pairKey, 0, len(es)*(len(es)-1))
	for _, a := range es {
		for _, b := range es {
			if a != b {
				out = append(out, pairKey{a, b})
			}
		}
	}
	return out
}

// typeCode makes a mention type part of a comparable key.
func typeCode(t string) int {
	return slices.Index([]string{"PERSON", "ORG", "LOCATION", "MISC"}, t)
}

// resolvedMentions reads the mentions of document seq tied to an entity,
// in offset order, restricted by the extra condition.
func resolvedMentions(ctx context.Context, q querier, seq int64, cond string, args ...any) ([]tied, error) {
	rows, err := q.QueryContext(ctx, `SELECT start_byte, end_byte, type, entity, text, resolution, sent_start, sent_end
		FROM mentions WHERE doc = ? AND entity IS NOT NULL `+cond+` ORDER BY start_byte, end_byte`, append([]any{seq}, args...)...)
	if err != nil {
		return nil, fmt.Errorf("tallies: %w", err)
	}
	defer rows.Close()
	var out []tied
	for rows.Next() {
		var m tied
		if err := rows.Scan(&m.start, &m.end, &m.typ, &m.entity, &m.text, &m.why, &m.sent, &m.send); err != nil {
			return nil, fmt.Errorf("tallies: %w", err)
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// putSpellings adds counts to the spelling tallies of document seq, and
// what its new rows add to the totals to tot (a row that was there already
// keeps them by trigger). fresh: the document has no tallies yet. With w
// (a document being stored) its new rows go through w, with the batch's.
func putSpellings(ctx context.Context, q querier, seq int64, date string, counts map[spellingKey]int, tot *totals, fresh bool, w *rowWriter) error {
	have := map[spellingKey]bool{}
	named := map[nameKey]bool{} // the spellings the document counts already
	if !fresh {
		rows, err := q.QueryContext(ctx, `SELECT entity, name, why FROM entity_spellings WHERE doc = ?`, seq)
		if err != nil {
			return fmt.Errorf("tallies: spellings: %w", err)
		}
		for rows.Next() {
			var k spellingKey
			if err := rows.Scan(&k.entity, &k.name, &k.why); err != nil {
				rows.Close()
				return fmt.Errorf("tallies: spellings: %w", err)
			}
			have[k] = true
			named[nameKey{k.entity, k.name}] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("tallies: spellings: %w", err)
		}
	}
	var add, more [][]any
	for _, k := range sortedKeys(counts, spellingKey.compare) {
		n := counts[k]
		row := []any{k.entity, seq, k.name, k.why, date, n}
		if have[k] {
			more = append(more, row)
			continue
		}
		add = append(add, row)
		tot.spelling(k, n)
		if nk := (nameKey{k.entity, k.name}); !named[nk] {
			named[nk] = true
			tot.document(nk)
		}
	}
	err := insertRows(ctx, q, w, spellingInsert, add)
	if err == nil {
		err = execRows(ctx, q, spellingUpsert, more)
	}
	if err != nil {
		return fmt.Errorf("tallies: spellings: %w", err)
	}
	return nil
}

// putPairs adds the pair tallies of document seq, and what its new rows
// add to the totals to tot, and drops pairs no sentence names any more.
// fresh and w are as for putSpellings.
func putPairs(ctx context.Context, q querier, seq int64, tallies map[pairKey]*pairTally, tot *totals, fresh bool, w *rowWriter) error {
	have := map[pairKey]bool{}
	if !fresh {
		rows, err := q.QueryContext(ctx, `SELECT a, b FROM cooccurrences WHERE doc = ?`, seq)
		if err != nil {
			return fmt.Errorf("tallies: co-occurrences: %w", err)
		}
		for rows.Next() {
			var p pairKey
			if err := rows.Scan(&p.a, &p.b); err != nil {
				rows.Close()
				return fmt.Errorf("tallies: co-occurrences: %w", err)
			}
			have[p] = true
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("tallies: co-occurrences: %w", err)
		}
	}
	// In key order, so the rows land in the B-tree where the last did.
	var add, more [][]any
	for _, p := range sortedKeys(tallies, pairKey.compare) {
		t := tallies[p]
		row := []any{p.a, p.b, seq, t.sentences, t.name}
		// The pair's total takes the name of a row this leaves in place
		// (one with fewer sentences may be deleted below); a row's name
		// changes only so.
		switch {
		case have[p]:
			more = append(more, row)
			if t.sentences >= 0 {
				tot.pair(p, 0, t.name)
			}
		case t.sentences > 0:
			add = append(add, row)
			tot.pair(p, t.sentences, t.name)
		}
	}
	err := insertRows(ctx, q, w, pairInsert, add)
	if err == nil {
		err = execRows(ctx, q, pairUpsert, more)
	}
	if err != nil {
		return fmt.Errorf("tallies: co-occurrences: %w", err)
	}
	if len(more) > 0 {
		if _, err := q.ExecContext(ctx, `DELETE FROM cooccurrences WHERE doc = ? AND sentences <= 0`, seq); err != nil {
			return fmt.Errorf("tallies: co-occurrences: %w", err)
		}
	}
	return nil
}

// The tally rows a document adds, and the rows added to those it has.
var (
	spellingInsert = chunkedInsert{table: "entity_spellings",
		into: `entity_spellings (entity, doc, name, why, date, mentions)`, row: `(?, ?, ?, ?, ?, ?)`}
	spellingUpsert = chunkedInsert{table: "entity_spellings", into: spellingInsert.into, row: spellingInsert.row,
		tail: ` ON CONFLICT (entity, name, doc, why) DO UPDATE SET mentions = entity_spellings.mentions + excluded.mentions`}
	pairInsert = chunkedInsert{table: "cooccurrences",
		into: `cooccurrences (a, b, doc, sentences, name)`, row: `(?, ?, ?, ?, ?)`}
	pairUpsert = chunkedInsert{table: "cooccurrences", into: pairInsert.into, row: pairInsert.row,
		tail: ` ON CONFLICT (a, b, doc) DO UPDATE SET sentences = cooccurrences.sentences + excluded.sentences,
			name = CASE WHEN excluded.sentences >= 0 AND (length(excluded.name) > length(cooccurrences.name)
					OR length(excluded.name) = length(cooccurrences.name) AND excluded.name < cooccurrences.name)
				THEN excluded.name ELSE cooccurrences.name END`}
)

// insertRows inserts rows through w if set, else straight away.
func insertRows(ctx context.Context, q querier, w *rowWriter, in chunkedInsert, rows [][]any) error {
	if w == nil {
		return execRows(ctx, q, in, rows)
	}
	for _, r := range rows {
		if err := w.add(ctx, in, r...); err != nil {
			return err
		}
	}
	return nil
}

// totals gathers what the tally rows a transaction adds bring to the
// totals over every document (spelling_totals, spelling_docs,
// pair_totals), to write once per key before it commits. Triggers kept
// them row by row, which cost as much as the rest of storing a document;
// a tally row updated or deleted still keeps them by trigger (migration
// 18).
type totals struct {
	spellings map[spellingKey]int
	docs      map[nameKey]int
	pairs     map[pairKey]pairTally
}

type nameKey struct {
	entity mosaic.EntityID
	name   string
}

func (t *totals) spelling(k spellingKey, n int) { add(&t.spellings, k, n) }
func (t *totals) document(k nameKey)            { add(&t.docs, k, 1) }

// pair adds n sentences to the pair's total and offers name, the name of
// a co-occurrence row the transaction leaves in place, as the pair's
// fullest.
func (t *totals) pair(p pairKey, n int, name string) {
	if t.pairs == nil {
		t.pairs = map[pairKey]pairTally{}
	}
	v := t.pairs[p]
	v.sentences += n
	if fuller(name, v.name) {
		v.name = name
	}
	t.pairs[p] = v
}

// fuller reports whether name comes before other as a connection's name:
// longer (in characters, as SQL's length counts them), or as long and
// first in byte order; the order of a connection's names (see
// connections) and of pair_totals' upsert.
func fuller(name, other string) bool {
	n, o := utf8.RuneCountInString(name), utf8.RuneCountInString(other)
	return n > o || n == o && name < other
}

// add adds n to (*m)[k], making the map if need be.
func add[K comparable](m *map[K]int, k K, n int) {
	if *m == nil {
		*m = map[K]int{}
	}
	(*m)[k] += n
}

// write adds the totals gathered to the tables, in key order (so that two
// transactions on PostgreSQL take their row locks in one order), and
// empties t.
func (t *totals) write(ctx context.Context, q querier) error {
	var spellings, docs, pairs [][]any
	for _, k := range sortedKeys(t.spellings, spellingKey.compare) {
		spellings = append(spellings, []any{k.entity, k.name, k.why, t.spellings[k]})
	}
	for _, k := range sortedKeys(t.docs, nameKey.compare) {
		docs = append(docs, []any{k.entity, k.name, t.docs[k]})
	}
	for _, p := range sortedKeys(t.pairs, pairKey.compare) {
		pairs = append(pairs, []any{p.a, p.b, t.pairs[p].sentences, t.pairs[p].name})
	}
	for _, u := range []struct {
		in   chunkedInsert
		rows [][]any
	}{
		{chunkedInsert{into: `spelling_totals (entity, name, why, mentions)`, row: `(?, ?, ?, ?)`,
			tail: ` ON CONFLICT (entity, name, why) DO UPDATE SET mentions = spelling_totals.mentions + excluded.mentions`}, spellings},
		{chunkedInsert{into: `spelling_docs (entity, name, docs)`, row: `(?, ?, ?)`,
			tail: ` ON CONFLICT (entity, name) DO UPDATE SET docs = spelling_docs.docs + excluded.docs`}, docs},
		{chunkedInsert{into: `pair_totals (a, b, sentences, name)`, row: `(?, ?, ?, ?)`,
			tail: ` ON CONFLICT (a, b) DO UPDATE SET sentences = pair_totals.sentences + excluded.sentences,
				name = CASE WHEN length(excluded.name) > length(pair_totals.name)
					OR length(excluded.name) = length(pair_totals.name) AND excluded.name < pair_totals.name
				THEN excluded.name ELSE pair_totals.name END`}, pairs},
	} {
		if err := execRows(ctx, q, u.in, u.rows); err != nil {
			return fmt.Errorf("tallies: totals: %w", err)
		}
	}
	*t = totals{}
	return nil
}

func (k spellingKey) compare(o spellingKey) int {
	return cmp.Or(cmp.Compare(k.entity, o.entity), cmp.Compare(k.name, o.name), cmp.Compare(k.why, o.why))
}

func (k nameKey) compare(o nameKey) int {
	return cmp.Or(cmp.Compare(k.entity, o.entity), cmp.Compare(k.name, o.name))
}

func (k pairKey) compare(o pairKey) int {
	return cmp.Or(cmp.Compare(k.a, o.a), cmp.Compare(k.b, o.b))
}

// sortedKeys returns m's keys in the order compare gives.
func sortedKeys[K comparable, V any](m map[K]V, compare func(K, K) int) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, compare)
	return keys
}

// execRows runs in for rows, in statements of chunkSizes' sizes.
func execRows(ctx context.Context, q querier, in chunkedInsert, rows [][]any) error {
	var args []any
	return eachChunk(len(rows), func(at, size int) error {
		args = args[:0]
		for _, r := range rows[at : at+size] {
			args = append(args, r...)
		}
		_, err := q.ExecContext(ctx, in.statement(q.dialect(), size), args...)
		return err
	})
}

// recountTallies counts again, from its mentions, what document seq
// says about the entities in only (every entity when only is nil).
func recountTallies(ctx context.Context, q querier, seq int64, only []mosaic.EntityID) error {
	var date string
	err := q.QueryRowContext(ctx, `SELECT date FROM documents WHERE seq = ?`, seq).Scan(&date)
	if errors.Is(err, sql.ErrNoRows) {
		return nil // the document has left the store, with its tallies
	}
	if err != nil {
		return fmt.Errorf("tallies: %w", err)
	}
	keep := func(e mosaic.EntityID) bool { return only == nil || slices.Contains(only, e) }
	if only == nil {
		for _, table := range []string{"entity_spellings", "cooccurrences"} {
			if _, err := q.ExecContext(ctx, `DELETE FROM `+table+` WHERE doc = ?`, seq); err != nil {
				return fmt.Errorf("tallies: %w", err)
			}
		}
	} else {
		in := idList(only)
		if _, err := q.ExecContext(ctx, `DELETE FROM entity_spellings WHERE doc = ? AND entity IN `+in, seq); err != nil {
			return fmt.Errorf("tallies: %w", err)
		}
		if _, err := q.ExecContext(ctx, `DELETE FROM cooccurrences WHERE doc = ? AND (a IN `+in+` OR b IN `+in+`)`, seq); err != nil {
			return fmt.Errorf("tallies: %w", err)
		}
	}
	all, err := resolvedMentions(ctx, q, seq, "")
	if err != nil {
		return err
	}
	spellings := map[spellingKey]int{}
	sentences := map[int]*sentence{}
	var order []int
	for _, m := range all {
		if keep(m.entity) {
			spellings[spellingKey{m.entity, fold(m.text), m.why}]++
		}
		if sentences[m.sent] == nil {
			sentences[m.sent] = &sentence{}
			order = append(order, m.sent)
		}
		sentences[m.sent].add(m.entity, m.text)
	}
	var tot totals
	if err := putSpellings(ctx, q, seq, date, spellings, &tot, only == nil, nil); err != nil {
		return err
	}
	tallies := map[pairKey]*pairTally{}
	for _, sent := range order {
		s := sentences[sent]
		for _, p := range pairs(s) {
			if !keep(p.a) && !keep(p.b) {
				continue
			}
			t := tallies[p]
			if t == nil {
				t = &pairTally{}
				tallies[p] = t
			}
			t.sentences++
			t.offer(s.longest[p.b])
		}
	}
	if err := putPairs(ctx, q, seq, tallies, &tot, only == nil, nil); err != nil {
		return err
	}
	return tot.write(ctx, q)
}

// docsNaming returns the documents (by seq) with mentions tied to entity.
func docsNaming(ctx context.Context, q querier, entity mosaic.EntityID) ([]int64, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT doc FROM mentions WHERE entity = ? ORDER BY doc`, entity)
	if err != nil {
		return nil, fmt.Errorf("tallies: %w", err)
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var d int64
		if err := rows.Scan(&d); err != nil {
			return nil, fmt.Errorf("tallies: %w", err)
		}
		out = append(out, d)
	}
	return out, rows.Err()
}

// recountMoved recounts, in each of docs, the entities in moved, whose
// mentions a split or its undoing moved from one to the other.
func recountMoved(ctx context.Context, q querier, docs []int64, moved []mosaic.EntityID) error {
	for _, d := range docs {
		if err := recountTallies(ctx, q, d, moved); err != nil {
			return err
		}
	}
	return nil
}

// countPending counts the tallies of the documents resolved before the
// tallies existed, a batch per transaction so an interrupted open resumes.
func (s *Store) countPending(ctx context.Context) error {
	for {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return fmt.Errorf("count tallies: %w", err)
		}
		rows, err := tx.QueryContext(ctx, `SELECT doc FROM tallies_pending ORDER BY doc LIMIT 100`)
		if err != nil {
			tx.Rollback()
			return fmt.Errorf("count tallies: %w", err)
		}
		var docs []int64
		for rows.Next() {
			var d int64
			if err := rows.Scan(&d); err != nil {
				rows.Close()
				tx.Rollback()
				return fmt.Errorf("count tallies: %w", err)
			}
			docs = append(docs, d)
		}
		rows.Close()
		if len(docs) == 0 {
			return tx.Rollback()
		}
		for _, d := range docs {
			err := recountTallies(ctx, tx, d, nil)
			if err == nil {
				_, err = tx.ExecContext(ctx, `DELETE FROM tallies_pending WHERE doc = ?`, d)
			}
			if err != nil {
				tx.Rollback()
				return fmt.Errorf("count tallies: %w", err)
			}
		}
		if err := tx.Commit(); err != nil {
			return fmt.Errorf("count tallies: %w", err)
		}
	}
}

// recountSplit recounts the documents whose mentions a split moved from
// root's group, as the agency's merges make it, to the new entity moved.
func recountSplit(ctx context.Context, q querier, agency string, root, moved mosaic.EntityID) error {
	group, err := groupOf(ctx, q, agency, root)
	if err != nil {
		return err
	}
	docs, err := docsNaming(ctx, q, moved)
	if err != nil {
		return err
	}
	return recountMoved(ctx, q, docs, append(group, moved))
}
