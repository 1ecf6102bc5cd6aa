package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// The full-text index holds, for each document, its title's and its
// body's words as keyed tokens (crypt.go), in order, separated by spaces.
// A query reaches the index as a match: the tokens of its phrases,
// already keyed and with prefixes expanded to the words they begin.

// match is a query as the index is asked it: every clause of all must
// hold and none of none; a clause holds when any of its phrases occurs.
type match struct {
	all, none [][]phrase
}

// phrase is tokens that must occur one after another.
type phrase []string

// ftsRow is a document's index entry.
type ftsRow struct {
	seq         int64
	title, body string
}

// ranked is a document the index found, with its score (higher is a
// better match).
type ranked struct {
	seq   int64
	score float64
}

// searchPage is the page of matches a search asks for, and how many of
// the matches to rank.
type searchPage struct {
	limit, offset, rank int
}

// split says, for a search of total matches, how many are ranked, and
// which part of the page comes from the ranked matches (the first
// ranked, offset rankedOffset) and which from the older ones after them
// (the first older, offset olderOffset).
func (p searchPage) split(total int) (rankedAll, rankedN, olderN, olderOffset int) {
	rankedAll = min(total, p.rank)
	rankedN = max(0, min(p.limit, rankedAll-p.offset))
	olderOffset = max(0, p.offset-rankedAll)
	olderN = max(0, min(p.limit-rankedN, total-rankedAll-olderOffset))
	return rankedAll, rankedN, olderN, olderOffset
}

// searched is what a search found: how many documents match, how many of
// them are ranked, and the page.
type searched struct {
	total, ranked int
	page          []ranked
}

// read adds to the page the documents and scores (times sign) a query
// returns.
func (out *searched) read(ctx context.Context, c querier, sign float64, q string, args ...any) error {
	rows, err := c.QueryContext(ctx, q, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r ranked
		if err := rows.Scan(&r.seq, &r.score); err != nil {
			return err
		}
		r.score *= sign
		out.page = append(out.page, r)
	}
	return rows.Err()
}

// ftsDialect keeps and searches the full-text index.
type ftsDialect interface {
	// write indexes rows.
	write(ctx context.Context, t *txn, rows []ftsRow) error
	// remove takes a document out of the index.
	remove(ctx context.Context, t *txn, seq int64) error
	// search counts the documents m matches among those held by the
	// collections of scope (their ids as an SQL list, "(1,2)"; "" for
	// all), and returns
	// the page p asks for: the p.rank most recently stored matches ranked
	// best first, then the older ones most recently stored first (see
	// store.SearchResult.Ranked).
	search(ctx context.Context, c *conn, m match, scope string, p searchPage) (searched, error)
	// compact rewrites the index and the database so that nothing of
	// tokens removed stays on disk (after a key rotation).
	compact(ctx context.Context, c *conn) error
}

// ---- SQLite: FTS5

// sqliteFTS keeps the index in the FTS5 table documents_fts, ranked by
// bm25 with title matches weighing five times body matches: a report
// titled with a name is more likely about that person than one that
// mentions it.
type sqliteFTS struct{}

// An insert writes at most indexRows rows: inserted one at a time between
// the documents' own rows, each made FTS5 write a segment of its own and
// merge them, which was a third of the time to add a document.
const indexRows = 64

func (sqliteFTS) write(ctx context.Context, t *txn, rows []ftsRow) error {
	for len(rows) > 0 {
		part := rows[:min(indexRows, len(rows))]
		rows = rows[len(part):]
		args := make([]any, 0, 3*len(part))
		for _, r := range part {
			args = append(args, r.seq, r.title, r.body)
		}
		if _, err := t.ExecContext(ctx, `INSERT INTO documents_fts (rowid, title, body) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(part)), ", "), args...); err != nil {
			return err
		}
	}
	return nil
}

func (sqliteFTS) remove(ctx context.Context, t *txn, seq int64) error {
	_, err := t.ExecContext(ctx, `DELETE FROM documents_fts WHERE rowid = ?`, seq)
	return err
}

// fts5 renders m in FTS5's query syntax. Tokens are base32 and need no
// escaping; a clause with no phrase matches nothing.
func (m match) fts5() string {
	clause := func(ps []phrase) string {
		alts := make([]string, 0, len(ps))
		for _, p := range ps {
			alts = append(alts, `"`+strings.Join(p, " ")+`"`)
		}
		if len(alts) == 0 {
			alts = []string{noToken}
		}
		return "(" + strings.Join(alts, " OR ") + ")"
	}
	all := make([]string, len(m.all))
	for i, c := range m.all {
		all[i] = clause(c)
	}
	expr := "(" + strings.Join(all, " AND ") + ")"
	for _, c := range m.none {
		expr = "(" + expr + " NOT " + clause(c) + ")"
	}
	return expr
}

func (sqliteFTS) search(ctx context.Context, c *conn, m match, scope string, p searchPage) (searched, error) {
	where, all := `documents_fts MATCH ?`, []any{m.fts5()}
	// The scope's documents filter the matches: the unary + keeps SQLite
	// from driving the search by them instead, one MATCH per document the
	// scope holds (3.4 s instead of 13 ms at 10,000 documents). SQLite
	// gathers them into a temporary index for each statement, 20 ms at
	// 100,000 documents: a scope that holds every document, as one
	// agency's server does, is seen first from the collections alone (no
	// collection out of scope holds a document; a document always has a
	// holding, leaving with its last) and skips it.
	if scope != "" {
		where += ` AND (` + holdsEverything(scope) + `
			OR +rowid IN (SELECT h.doc FROM holdings h WHERE h.collection_id IN ` + scope + `))`
	}
	var out searched
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM documents_fts WHERE `+where, all...).Scan(&out.total); err != nil {
		return out, err
	}
	var rankedN, olderN, olderOffset int
	out.ranked, rankedN, olderN, olderOffset = p.split(out.total)
	// The oldest match ranked, when not all are: reading matches in
	// rowid order reads only the index's document lists, as counting
	// does, where ranking weighs each match.
	var oldest int64
	if out.ranked < out.total {
		if err := c.QueryRowContext(ctx, `SELECT rowid FROM documents_fts WHERE `+where+` ORDER BY rowid DESC LIMIT 1 OFFSET ?`,
			append(all, out.ranked-1)...).Scan(&oldest); err != nil {
			return out, err
		}
	}
	// Rank first, reading only the index; snippets and document fields
	// are read for the page alone. (Asked for in one query, SQLite makes a
	// snippet for every match before sorting, and a common name matches
	// tens of thousands of documents.)
	// bm25 is lower for better matches: its scores are negated.
	read := func(q string, args ...any) error { return out.read(ctx, c, -1, q, args...) }
	if rankedN > 0 {
		if err := read(`SELECT rowid, bm25(documents_fts, 5.0, 1.0) AS rank FROM documents_fts
			WHERE `+where+` AND rowid >= ? ORDER BY rank LIMIT ? OFFSET ?`, append(all, oldest, rankedN, p.offset)...); err != nil {
			return out, err
		}
	}
	if olderN > 0 {
		if err := read(`SELECT rowid, bm25(documents_fts, 5.0, 1.0) FROM documents_fts
			WHERE `+where+` AND rowid < ? ORDER BY rowid DESC LIMIT ? OFFSET ?`, append(all, oldest, olderN, olderOffset)...); err != nil {
			return out, err
		}
	}
	return out, nil
}

// compact merges the index into one segment, then rebuilds the database
// (VACUUM); the caller truncates the write-ahead log. A document indexed anew
// leaves its old key's tokens in the segments that held it, marked
// deleted, until a merge drops them; secure_delete overwrites the pages
// the merge frees; the log, which holds copies of them, is truncated. A
// B-tree's interior pages keep copies of keys as dividers, and a divider
// may outlive the row it was copied from — an old token of the
// vocabulary, a key secure_delete never sees deleted — hence the rebuild.
func (sqliteFTS) compact(ctx context.Context, c *conn) error {
	if _, err := c.ExecContext(ctx, `INSERT INTO documents_fts (documents_fts) VALUES ('optimize')`); err != nil {
		return fmt.Errorf("compact search index: %w", err)
	}
	if _, err := c.ExecContext(ctx, `VACUUM`); err != nil {
		return fmt.Errorf("rebuild the database after rotating: %w", err)
	}
	return nil
}

// ---- PostgreSQL: tsvector

// postgresFTS keeps the index in documents_fts as tsvectors of the
// 'simple' configuration (the tokens are already folded: nothing to stem
// or stop). A tsvector counts word positions up to 16,383 only, so a body
// is indexed in parts of ftsPart tokens that overlap by ftsOverlap, and a
// phrase of up to ftsOverlap tokens is found across a part's end. A
// clause is asked of the parts, and the clauses are combined per
// document, so that "a AND b" holds of a document whose parts hold one
// each. The title is part 0, weighted A; ts_rank's weights make a title
// match count five times a body match, as on SQLite.
type postgresFTS struct{}

const (
	ftsPart    = 16000
	ftsOverlap = 64
	// ftsWeights is ts_rank's {D, C, B, A}: the body is D, the title A.
	ftsWeights = `'{0.2, 0.2, 0.2, 1.0}'`
)

func (postgresFTS) write(ctx context.Context, t *txn, rows []ftsRow) error {
	var args []any
	var values []string
	flush := func() error {
		if len(values) == 0 {
			return nil
		}
		_, err := t.ExecContext(ctx, `INSERT INTO documents_fts (seq, part, tsv) VALUES `+strings.Join(values, ", "), args...)
		args, values = args[:0], values[:0]
		return err
	}
	for _, r := range rows {
		values = append(values, `(?, 0, ?::tsvector)`)
		args = append(args, r.seq, tsvectorOf(r.title, "A"))
		for i, part := range bodyParts(r.body) {
			values = append(values, `(?, ?, ?::tsvector)`)
			args = append(args, r.seq, i+1, tsvectorOf(part, ""))
		}
		if len(values) >= indexRows {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	return flush()
}

// tsvectorOf renders tokens (separated by spaces) as the literal of the
// tsvector that to_tsvector('simple', tokens) makes of them, each position
// weighted weight ("" for none, "A" for setweight's A). PostgreSQL reads
// such a literal in a third of the time its text parser takes over the
// same tokens (a thousand bodies of 500 tokens: 180-200 ms against
// 610-640), the parser's being most of the time the index took to write.
// TestTsvectorAsParsed holds the two to the same value.
//
// The literal follows the parser where it splits a token: a token
// beginning with digits, 'e' and digits followed by letters is read as a
// number in scientific notation and a word ("7e2hcnb" is '7e2' and
// 'hcnb'), as a query's token is by to_tsquery. A lexeme keeps its first
// tsMaxPositions positions, as the parser's tsvector does.
func tsvectorOf(tokens, weight string) string {
	type lexeme struct {
		text      string
		positions []int
	}
	var lexemes []*lexeme
	at := map[string]*lexeme{}
	pos := 0
	add := func(w string) {
		pos++
		l := at[w]
		if l == nil {
			l = &lexeme{text: w}
			at[w] = l
			lexemes = append(lexemes, l)
		}
		if len(l.positions) < tsMaxPositions {
			l.positions = append(l.positions, min(pos, tsMaxPosition))
		}
	}
	for _, t := range strings.Fields(tokens) {
		if n := scientificPrefix(t); n > 0 && n < len(t) {
			add(t[:n])
			add(t[n:])
			continue
		}
		add(t)
	}
	var b strings.Builder
	for i, l := range lexemes {
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteByte('\'')
		b.WriteString(l.text)
		b.WriteString("':")
		for j, p := range l.positions {
			if j > 0 {
				b.WriteByte(',')
			}
			b.WriteString(strconv.Itoa(p))
			b.WriteString(weight)
		}
	}
	return b.String()
}

const (
	// tsMaxPositions is how many positions to_tsvector keeps of a lexeme
	// (MAXNUMPOS - 1), tsMaxPosition the largest position it records.
	tsMaxPositions = 255
	tsMaxPosition  = 16383
)

// scientificPrefix returns the length of the number in scientific notation
// (digits, 'e', digits) t begins with, or 0.
func scientificPrefix(t string) int {
	digits := func(i int) int {
		for i < len(t) && t[i] >= '0' && t[i] <= '9' {
			i++
		}
		return i
	}
	i := digits(0)
	if i == 0 || i >= len(t) || t[i] != 'e' {
		return 0
	}
	j := digits(i + 1)
	if j == i+1 {
		return 0
	}
	return j
}

// bodyParts splits a body's tokens into parts of ftsPart tokens, each
// beginning ftsOverlap tokens before the last one ended.
func bodyParts(body string) []string {
	tokens := strings.Fields(body)
	if len(tokens) <= ftsPart {
		return []string{body}
	}
	var out []string
	for start := 0; ; start += ftsPart - ftsOverlap {
		end := min(start+ftsPart, len(tokens))
		out = append(out, strings.Join(tokens[start:end], " "))
		if end == len(tokens) {
			return out
		}
	}
}

func (postgresFTS) remove(ctx context.Context, t *txn, seq int64) error {
	_, err := t.ExecContext(ctx, `DELETE FROM documents_fts WHERE seq = ?`, seq)
	return err
}

// tsquery renders a clause as a tsquery: its phrases joined by |, each
// phrase's tokens by <->. A clause with no phrase matches nothing.
func tsquery(ps []phrase) string {
	alts := make([]string, 0, len(ps))
	for _, p := range ps {
		alts = append(alts, "("+strings.Join(p, " <-> ")+")")
	}
	if len(alts) == 0 {
		return "0"
	}
	return strings.Join(alts, " | ")
}

func (postgresFTS) search(ctx context.Context, c *conn, m match, scope string, p searchPage) (searched, error) {
	var where []string
	var all []any
	holds := func(ps []phrase) string {
		all = append(all, tsquery(ps))
		return `d.seq IN (SELECT f.seq FROM documents_fts f WHERE f.tsv @@ to_tsquery('simple', ?))`
	}
	var some []phrase
	for _, cl := range m.all {
		where = append(where, holds(cl))
		some = append(some, cl...)
	}
	for _, cl := range m.none {
		where = append(where, "NOT "+holds(cl))
	}
	// A scope whose collections hold every document filters nothing, as
	// on SQLite (see sqliteFTS.search).
	if scope != "" {
		where = append(where, `(`+holdsEverything(scope)+` OR d.seq IN (SELECT h.doc FROM holdings h WHERE h.collection_id IN `+scope+`))`)
	}
	cond := strings.Join(where, " AND ")
	var out searched
	score, sargs, err := bm25(ctx, c, some)
	if err != nil {
		return out, err
	}
	// The planner reckons a scan of the index's table cheaper than its GIN
	// index for a word in a third of the documents, not counting that the
	// scan reads each part's tsvector out of line (TOAST): a name in half
	// of 100,000 documents took 3.5 s to match so, 0.5-0.7 s through the
	// index, the machine busy with an ingest. The search's statements run
	// in a transaction of their own without sequential scans, which also
	// gives the count and the ranking one state of the index.
	tx, err := c.readTx(ctx, `SET LOCAL enable_seqscan = off`)
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	// The matches are read once for how many there are and for the
	// (rank+1)th most recent, after which the ranked ones come: asked
	// apart, each read the matches again, and a prepared statement's
	// generic plan took 1.3 s at 100,000 documents to find that one.
	var cut sql.NullInt64
	if err := tx.QueryRowContext(ctx, `WITH m AS MATERIALIZED (SELECT d.seq FROM documents d WHERE `+cond+`)
		SELECT (SELECT count(*) FROM m), (SELECT seq FROM m ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
		append(slices.Clone(all), p.rank)...).Scan(&out.total, &cut); err != nil {
		return out, err
	}
	var oldest int64 // the oldest match ranked; 0 when all are
	if cut.Valid {
		oldest = cut.Int64 + 1
	}
	read := func(q string, args ...any) error { return out.read(ctx, tx, 1, q, args...) }
	var rankedN, olderN, olderOffset int
	out.ranked, rankedN, olderN, olderOffset = p.split(out.total)
	// Ties go to the document stored first, as FTS5's rowid order gives
	// them on SQLite.
	if rankedN > 0 {
		if err := read(`SELECT f.seq, sum(`+score+`) AS score
			FROM documents_fts f WHERE f.seq IN (SELECT d.seq FROM documents d WHERE `+cond+` AND d.seq >= ?)
			GROUP BY f.seq ORDER BY score DESC, f.seq LIMIT ? OFFSET ?`,
			append(append(slices.Clone(sargs), all...), oldest, rankedN, p.offset)...); err != nil {
			return out, err
		}
	}
	if olderN > 0 {
		if err := read(`SELECT f.seq, sum(`+score+`) AS score
			FROM documents_fts f WHERE f.seq IN (SELECT d.seq FROM documents d WHERE `+cond+` AND d.seq < ?
				ORDER BY d.seq DESC LIMIT ? OFFSET ?)
			GROUP BY f.seq ORDER BY f.seq DESC`,
			append(append(slices.Clone(sargs), all...), oldest, olderN, olderOffset)...); err != nil {
			return out, err
		}
	}
	return out, nil
}

// maxScored is how many phrases bm25 weighs one by one; a query with more
// (a prefix of many words) is weighed as one.
const maxScored = 64

// bm25 renders the score of an index part for the phrases ps, as BM25
// weighs terms: each phrase's ts_rank, its mentions counted against the
// part's length (ts_rank's normalization 1 divides by one plus the log of
// the length), times the phrase's inverse document frequency, so that a
// rare word of the query outweighs a common one, as FTS5's bm25 does. It
// returns the SQL and its arguments.
func bm25(ctx context.Context, c *conn, ps []phrase) (string, []any, error) {
	if len(ps) > maxScored {
		return `ts_rank(` + ftsWeights + `, f.tsv, to_tsquery('simple', ?), 1)`, []any{tsquery(ps)}, nil
	}
	queries := make([]string, len(ps))
	for i, p := range ps {
		queries[i] = tsquery([]phrase{p})
	}
	df, n := c.counts.get(queries)
	// The number of documents: the planner's estimate once the table has
	// been analysed (counting a million rows for every search would cost
	// more than the search), else a count.
	if n == 0 {
		if err := c.QueryRowContext(ctx, `SELECT CASE WHEN c.reltuples > 0 THEN c.reltuples::bigint
			ELSE (SELECT count(*) FROM documents) END FROM pg_class c WHERE c.oid = 'documents'::regclass`).Scan(&n); err != nil {
			return "", nil, err
		}
	}
	for i, q := range queries {
		if df[i] >= 0 {
			continue
		}
		var err error
		if df[i], err = documentFrequency(ctx, c, q, n); err != nil {
			return "", nil, err
		}
	}
	c.counts.put(queries, df, n)
	terms := make([]string, len(ps))
	sargs := make([]any, 0, 2*len(ps))
	for i := range ps {
		idf := math.Log(1 + (float64(n)-float64(df[i])+0.5)/(float64(df[i])+0.5))
		terms[i] = `? * ts_rank(` + ftsWeights + `, f.tsv, to_tsquery('simple', ?), 1)`
		sargs = append(sargs, idf, queries[i])
	}
	return strings.Join(terms, " + "), sargs, nil
}

// dfExact is how many documents a phrase is counted in exactly; past it,
// BM25 weighs it by the planner's estimate. A name in half of a hundred
// thousand documents took 560 ms to count, and past a few thousand
// documents a phrase's weight barely moves with its count.
const dfExact = 5000

// documentFrequency returns how many documents hold the phrase query q:
// counted when at most dfExact do, else the planner's estimate from the
// index's statistics, kept within (dfExact, docs].
func documentFrequency(ctx context.Context, c *conn, q string, docs int64) (int64, error) {
	var n int64
	if err := c.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT DISTINCT seq FROM documents_fts
		WHERE tsv @@ to_tsquery('simple', ?) LIMIT ?) AS held`, q, dfExact+1).Scan(&n); err != nil {
		return 0, err
	}
	if n <= dfExact {
		return n, nil
	}
	var plan string
	if err := c.QueryRowContext(ctx, `EXPLAIN (FORMAT JSON) SELECT 1 FROM documents_fts WHERE tsv @@ to_tsquery('simple', ?)`, q).Scan(&plan); err != nil {
		return 0, err
	}
	var explained []struct {
		Plan struct {
			Rows float64 `json:"Plan Rows"`
		} `json:"Plan"`
	}
	if err := json.Unmarshal([]byte(plan), &explained); err != nil || len(explained) == 0 {
		return n, nil
	}
	return min(max(int64(explained[0].Plan.Rows), n), max(docs, n)), nil
}

// compact rewrites the index's and the vocabulary's tables (VACUUM FULL),
// so that the old key's tokens do not stay in dead rows.
func (postgresFTS) compact(ctx context.Context, c *conn) error {
	for _, table := range []string{"documents_fts", "vocabulary"} {
		if _, err := c.ExecContext(ctx, `VACUUM FULL `+table); err != nil {
			return fmt.Errorf("compact %s: %w", table, err)
		}
	}
	return nil
}

// indexCounts remembers, for a while, the document frequencies and the
// document count that BM25 weighs a search's phrases by. They change
// slowly and only shade the order of hits, while counting them costs a
// scan of every match; so a search reuses what one in the last
// countsFor asked, and a write committed by this process forgets them
// all (another process's writes show within countsFor).
type indexCounts struct {
	mu   sync.Mutex
	at   time.Time
	docs int64
	df   map[string]int64
}

// countsFor is how long counts are reused.
const countsFor = 30 * time.Second

// maxCounted bounds the phrases remembered.
const maxCounted = 10000

func (c *indexCounts) forget() {
	c.mu.Lock()
	c.df, c.docs = nil, 0
	c.mu.Unlock()
}

// get returns the remembered frequencies of queries (-1 for one not
// known) and the document count (0 when not known).
func (c *indexCounts) get(queries []string) ([]int64, int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) > countsFor {
		c.df, c.docs = nil, 0
	}
	out := make([]int64, len(queries))
	for i, q := range queries {
		n, ok := c.df[q]
		if !ok {
			n = -1
		}
		out[i] = n
	}
	return out, c.docs
}

func (c *indexCounts) put(queries []string, df []int64, docs int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.df == nil || len(c.df) > maxCounted {
		c.df, c.at = map[string]int64{}, time.Now()
	}
	for i, q := range queries {
		c.df[q] = df[i]
	}
	c.docs = docs
}
