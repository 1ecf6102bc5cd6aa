package sqlstore

import (
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	mathbits "math/bits"
	"slices"
	"sort"
)

// The search index is an inverted index of the project's own, kept in the
// same tables on both backends (SQLite migration 21, PostgreSQL 7): for
// each keyed token (crypt.go), runs of the documents that hold it. A run
// is a row of postings holding, for its documents in order of seq, three
// columns read as a search needs them:
//
//   - seqs: the documents' seqs, the first as a varint and each next as
//     its distance from the one before; or, when that is shorter (a
//     token in more than about one document in eight, as a common name's
//     words are), the first as a varint and then a bit for each seq from
//     the first to the last, set for those in the run. A run's seqs are
//     bits exactly when they take fewer bytes than it has documents,
//     which distances never do;
//   - stats: per document, how often the token is in the title and in the
//     body, the document's length in words (title and body), and the bytes
//     of its positions, as varints;
//   - positions: per document, the token's word numbers in the title, then
//     in the body, each column's first as a varint and each next as its
//     distance from the one before.
//
// A count reads the seqs of its tokens alone; ranking reads the stats of
// the runs that hold the documents it ranks; a phrase reads positions.
// FTS5 and PostgreSQL's tsvectors read every match's positions to count
// and rank them: at a million documents a name in half of them took
// 65 ms to count and 70 ms to rank on FTS5 (seconds on PostgreSQL),
// where its seqs are a few hundred kilobytes.
//
// A write of documents' postings (one per transaction, and one more per
// indexBytes of text) writes a run of level 0 for each token they hold.
// Every runFanout-th write then merges each token's runs of level 0 into
// one of level 1; every runFanout²-th, those of level 1 into one of level
// 2; and so on up to maxLevel, whose runs stay: a document's postings are
// rewritten maxLevel times over the index's life, and a token has at most
// runFanout-1 runs at each level below maxLevel and one at maxLevel for
// every runFanout^maxLevel writes. A run holds runMaxDocs documents at
// most: what would be longer is written as runs of runMaxDocs, one after
// another. Ingest writes hundreds of documents at a time; a store fed one
// document per write would keep a run at maxLevel per 512 documents.
//
// A document deleted (with its collection) is taken out of every run that
// holds it, in the same transaction (dropPostings); a key rotation writes
// the documents' runs anew under the new key's tokens, and the old key's
// are deleted with its vocabulary (finishRotation).

const (
	runFanout = 8
	maxLevel  = 3
)

// runMaxDocs is the most documents a run holds: a token's documents at a
// level are written as runs of runMaxDocs, one after another, the last
// shorter. Ranking reads the statistics of the runs that hold the newest
// matches, and SQLite reads a row's blob whole: on the million-document
// store a word in every document had top-level runs of some 130,000
// documents, read whole (and their seqs decoded again) to score the few
// thousand of them a search ranks. (A variable, for tests of short runs.)
var runMaxDocs = 4096

// seqsAsBits says whether runs keep their seqs as bits when those are
// shorter. (A variable, for tests of an earlier release's runs.)
var seqsAsBits = true

// BM25's parameters, as FTS5's bm25() has them, and the weights of the
// title and the body: a report titled with a name is more likely about
// that person than one that mentions it.
const (
	bm25K1      = 1.2
	bm25B       = 0.75
	titleWeight = 5.0
	bodyWeight  = 1.0
)

var errCorruptRun = errors.New("search index: corrupt run")

// ---- Runs: encoding

// runEntry is one document's entry in a token's run.
type runEntry struct {
	seq       int64
	titleTF   uint32
	bodyTF    uint32
	length    uint32 // the document's words, title and body
	positions []byte // encoded, as in the positions column
}

// runWriter encodes a run, entry by entry, in order of seq.
type runWriter struct {
	first, last            int64
	n                      int
	seqs, stats, positions []byte
}

func (w *runWriter) add(e runEntry) {
	if w.n == 0 {
		w.first = e.seq
		w.seqs = binary.AppendUvarint(w.seqs, uint64(e.seq))
	} else {
		w.seqs = binary.AppendUvarint(w.seqs, uint64(e.seq-w.last))
	}
	w.last = e.seq
	w.n++
	w.stats = binary.AppendUvarint(w.stats, uint64(e.titleTF))
	w.stats = binary.AppendUvarint(w.stats, uint64(e.bodyTF))
	w.stats = binary.AppendUvarint(w.stats, uint64(e.length))
	w.stats = binary.AppendUvarint(w.stats, uint64(len(e.positions)))
	w.positions = append(w.positions, e.positions...)
}

// seqsColumn returns the run's seqs as stored: as bits when those take
// fewer bytes than the run has documents (and so fewer than distances,
// which take one a document at least), else as distances (see the seqs
// column above). A run whose bits would end past the seqs a run holds
// (2^62) stays as distances.
func (w *runWriter) seqsColumn() []byte {
	if !w.shorterAsBits() {
		return w.seqs
	}
	seqs, err := decodeSeqs(w.seqs, w.n, make([]int64, 0, w.n))
	if err != nil { // the writer's own distances: left as they are, read as they would be
		return w.seqs
	}
	return bitsOf(seqs)
}

// shorterAsBits says whether the run's seqs are stored as bits (see
// seqsColumn).
func (w *runWriter) shorterAsBits() bool {
	bitsLen := int((w.last-w.first)/8 + 1)
	return seqsAsBits && w.n > 0 && uvarintLen(uint64(w.first))+bitsLen < w.n && w.first <= 1<<62-8*int64(bitsLen)
}

// bitsOf encodes seqs (ascending, at least one) as bits: the first as a
// varint, then a bit for each seq from the first to the last.
func bitsOf(seqs []int64) []byte {
	first, last := seqs[0], seqs[len(seqs)-1]
	out := binary.AppendUvarint(nil, uint64(first))
	head := len(out)
	out = append(out, make([]byte, (last-first)/8+1)...)
	for _, seq := range seqs {
		u := seq - first
		out[head+int(u/8)] |= 1 << (u % 8)
	}
	return out
}

// uvarintLen is the length of x as a varint.
func uvarintLen(x uint64) int { return (mathbits.Len64(x|1) + 6) / 7 }

// seqBits splits a run's seqs stored as bits into the first seq and the
// bits, checking them: n of them set, the first, and the last in the last
// byte. ok is false when b holds distances.
func seqBits(b []byte, n int) (first int64, bits []byte, ok bool, err error) {
	if len(b) >= n {
		return 0, nil, false, nil
	}
	v, bits, vok := uvarint(b)
	if !vok || len(bits) == 0 || v > 1<<62-8*uint64(len(bits)) || bits[0]&1 == 0 || bits[len(bits)-1] == 0 {
		return 0, nil, true, errCorruptRun
	}
	count, rest := 0, bits
	for len(rest) >= 8 {
		count += mathbits.OnesCount64(binary.LittleEndian.Uint64(rest))
		rest = rest[8:]
	}
	for _, c := range rest {
		count += mathbits.OnesCount8(c)
	}
	if count != n {
		return 0, nil, true, errCorruptRun
	}
	return int64(v), bits, true, nil
}

// appendPositions encodes a column's positions (ascending) onto b.
func appendPositions(b []byte, ps []uint32) []byte {
	last := uint32(0)
	for i, p := range ps {
		if i == 0 {
			b = binary.AppendUvarint(b, uint64(p))
		} else {
			b = binary.AppendUvarint(b, uint64(p-last))
		}
		last = p
	}
	return b
}

// decodeSeqs decodes a run's n seqs.
func decodeSeqs(b []byte, n int, into []int64) ([]int64, error) {
	if first, bits, ok, err := seqBits(b, n); ok {
		if err != nil {
			return nil, err
		}
		for i, c := range bits {
			for ; c != 0; c &= c - 1 {
				into = append(into, first+int64(8*i+mathbits.TrailingZeros8(c)))
			}
		}
		return into, nil
	}
	var seq int64
	for i := 0; i < n; i++ {
		var v uint64
		if len(b) > 0 && b[0] < 0x80 {
			v, b = uint64(b[0]), b[1:]
		} else {
			var ok bool
			if v, b, ok = uvarint(b); !ok {
				return nil, errCorruptRun
			}
		}
		if (i > 0 && v == 0) || v > uint64(1<<62-seq) {
			return nil, errCorruptRun
		}
		seq += int64(v)
		into = append(into, seq)
	}
	if len(b) != 0 {
		return nil, errCorruptRun
	}
	return into, nil
}

// uvarint reads a number off b, a byte's worth at once (most of a run's;
// the loops that read most bytes test for one themselves, inline).
func uvarint(b []byte) (uint64, []byte, bool) {
	if len(b) > 0 && b[0] < 0x80 {
		return uint64(b[0]), b[1:], true
	}
	x, k := binary.Uvarint(b)
	if k <= 0 {
		return 0, b, false
	}
	return x, b[k:], true
}

// runStat is a document's entry in a run as a search reads it: its
// statistics, and where its positions lie in the run's positions column
// (if read). It holds no pointer: a search at a million documents reads
// tens of thousands, which the collector would otherwise scan.
type runStat struct {
	seq                     int64
	titleTF, bodyTF, length uint32
	posAt, posEnd           uint32
}

// decodeStats decodes the statistics of a run's entries lo to hi (of the
// run's seqs, ascending), and, if withPositions, where their positions lie
// in the positions column: the entries before lo are skipped, those after
// hi not read. Given only (seqs ascending; not withPositions), it decodes
// those of only's seqs alone, the others skipped by their bytes: a common
// word's run holds three or four times as many documents as a search
// ranks among them. Decoding a whole run checks that its columns hold what
// its entries say and no more.
func decodeStats(b []byte, positions []byte, seqs []int64, lo, hi int, withPositions bool, only []int64) ([]runStat, error) {
	if only != nil && withPositions {
		return nil, errors.New("search index: positions of some entries")
	}
	var es []runStat
	if only == nil {
		es = make([]runStat, 0, hi-lo)
	} else if lo < hi { // room for those of only among seqs[lo:hi]
		from, _ := slices.BinarySearch(only, seqs[lo])
		to, _ := slices.BinarySearch(only, seqs[hi-1]+1)
		es = make([]runStat, 0, min(hi-lo, to-from))
	}
	first := 0          // the first entry decoded
	if !withPositions { // the entries before lo skipped by the bytes ending their four numbers
		k, ok := skipNumbers(b, 4*lo)
		if !ok {
			return nil, errCorruptRun
		}
		b, first = b[k:], lo
	}
	at, k := 0, 0
	for i := first; i < hi; i++ {
		if only != nil {
			for k < len(only) && only[k] < seqs[i] {
				k++
			}
			if k == len(only) || only[k] != seqs[i] {
				j, ok := skipNumbers(b, 4)
				if !ok {
					return nil, errCorruptRun
				}
				b = b[j:]
				continue
			}
		}
		var v [4]uint64
		for j := range v {
			x, rest, ok := uvarint(b)
			if !ok || x > 1<<31 {
				return nil, errCorruptRun
			}
			v[j], b = x, rest
		}
		if withPositions && at+int(v[3]) > len(positions) {
			return nil, errCorruptRun
		}
		if i >= lo {
			e := runStat{seq: seqs[i], titleTF: uint32(v[0]), bodyTF: uint32(v[1]), length: uint32(v[2])}
			if withPositions {
				e.posAt, e.posEnd = uint32(at), uint32(at+int(v[3]))
			}
			es = append(es, e)
		}
		at += int(v[3])
	}
	if lo == 0 && hi == len(seqs) && (len(b) != 0 || withPositions && at != len(positions)) {
		return nil, errCorruptRun
	}
	return es, nil
}

// skipNumbers returns the length of b's first n varints, by the bytes that
// end them.
func skipNumbers(b []byte, n int) (int, bool) {
	k := 0
	for ; n > 0; k++ {
		if k == len(b) {
			return 0, false
		}
		if b[k] < 0x80 {
			n--
		}
	}
	return k, true
}

// columns decodes an entry's positions: the title's, then the body's.
func (e runEntry) columns() (title, body []uint32, err error) {
	return positionColumns(e.positions, e.titleTF, e.bodyTF)
}

// positionColumns decodes a document's positions in a run, titleTF of the
// title's, then bodyTF of the body's.
func positionColumns(b []byte, titleTF, bodyTF uint32) (title, body []uint32, err error) {
	read := func(n uint32) ([]uint32, error) {
		if int(n) > len(b) { // a position takes a byte at least
			return nil, errCorruptRun
		}
		out := make([]uint32, 0, n)
		var p uint64
		for i := uint32(0); i < n; i++ {
			v, k := binary.Uvarint(b)
			if k <= 0 || (i > 0 && v == 0) || v > 1<<31 || p+v > 1<<31 {
				return nil, errCorruptRun
			}
			b = b[k:]
			p += v
			out = append(out, uint32(p))
		}
		return out, nil
	}
	if title, err = read(titleTF); err != nil {
		return nil, nil, err
	}
	if body, err = read(bodyTF); err != nil {
		return nil, nil, err
	}
	if len(b) != 0 {
		return nil, nil, errCorruptRun
	}
	return title, body, nil
}

// ---- Writing

// postingsBuilder gathers the runs of level 0 that a transaction writes:
// one per token its documents hold.
type postingsBuilder struct {
	runs  map[string]*runsWriter
	docs  int64 // new documents (not those indexed again)
	words int64 // and their words
}

// docPostings gathers one document's positions per token.
type docPostings struct {
	order []string
	at    map[string]*[2][]uint32
	words [2]uint32
}

func (d *docPostings) add(token string, column int) {
	p, ok := d.at[token]
	if !ok {
		p = &[2][]uint32{}
		d.at[token] = p
		d.order = append(d.order, token)
	}
	p[column] = append(p[column], d.words[column])
	d.words[column]++
}

// add adds a document's postings; again says it is indexed anew (under a
// new key) and already counted in the index's totals.
func (b *postingsBuilder) add(seq int64, d *docPostings, again bool) {
	if b.runs == nil {
		b.runs = map[string]*runsWriter{}
	}
	length := d.words[0] + d.words[1]
	var pos []byte
	for _, t := range d.order {
		p := d.at[t]
		pos = appendPositions(pos[:0], p[0])
		pos = appendPositions(pos, p[1])
		w := b.runs[t]
		if w == nil {
			w = &runsWriter{}
			b.runs[t] = w
		}
		w.add(runEntry{seq: seq, titleTF: uint32(len(p[0])), bodyTF: uint32(len(p[1])), length: length, positions: pos})
	}
	if !again {
		b.docs++
		b.words += int64(length)
	}
}

var runInsert = chunkedInsert{table: "postings",
	into: `postings (token, level, first, last, n, seqs, stats, positions)`,
	row:  `(?, ?, ?, ?, ?, ?, ?, ?)`}

// row is the run's row of postings for token at level.
func (w *runWriter) row(token string, level int) []any {
	return []any{token, level, w.first, w.last, w.n, w.seqsColumn(), w.stats, w.positions}
}

// runsWriter encodes a token's entries, in order of seq, as runs of
// runMaxDocs entries.
type runsWriter []*runWriter

func (ws *runsWriter) add(e runEntry) {
	if len(*ws) == 0 || (*ws)[len(*ws)-1].n == runMaxDocs {
		*ws = append(*ws, &runWriter{})
	}
	(*ws)[len(*ws)-1].add(e)
}

// runsOf encodes entries, in order of seq, as runs of runMaxDocs.
func runsOf(es []runEntry) runsWriter {
	var ws runsWriter
	for _, e := range es {
		ws.add(e)
	}
	return ws
}

// rows appends the runs' rows of postings for token at level onto rows.
func (ws runsWriter) rows(rows [][]any, token string, level int) [][]any {
	for _, w := range ws {
		rows = append(rows, w.row(token, level))
	}
	return rows
}

// write writes the runs gathered, adds to the totals, and merges the
// levels whose turn it is.
func (b *postingsBuilder) write(ctx context.Context, tx *txn) error {
	if len(b.runs) == 0 && b.docs == 0 {
		return nil
	}
	tokens := make([]string, 0, len(b.runs))
	for t := range b.runs {
		tokens = append(tokens, t)
	}
	slices.Sort(tokens)
	rows := make([][]any, 0, len(tokens))
	for _, t := range tokens {
		rows = b.runs[t].rows(rows, t, 0)
	}
	if err := execRows(ctx, tx, runInsert, rows); err != nil {
		return err
	}
	var runs int64
	if err := tx.QueryRowContext(ctx, `UPDATE postings_totals SET docs = docs + ?, words = words + ?, runs = runs + 1
		RETURNING runs`, b.docs, b.words).Scan(&runs); err != nil {
		return err
	}
	b.runs, b.docs, b.words = nil, 0, 0
	for level, every := 0, int64(runFanout); level < maxLevel && runs%every == 0; level, every = level+1, every*runFanout {
		if err := mergeLevel(ctx, tx, level); err != nil {
			return fmt.Errorf("merge level %d: %w", level, err)
		}
	}
	return nil
}

// mergeLevel merges each token's runs of level into runs of the level
// above, mergeRows runs read at a time, so that a merge holds a few
// thousand tokens' runs in memory however large the level (a token with
// more runs than that is read alone). A token one of whose runs does not
// decode keeps its runs where they are: it fails the searches that read
// it (errCorruptRun), not every write that comes to merge it.
func mergeLevel(ctx context.Context, tx *txn, level int) error {
	var damaged []string
	type read struct {
		token string
		run   []runEntry
	}
	readRuns := func(query string, args ...any) ([]read, error) {
		rows, err := tx.QueryContext(ctx, query, args...)
		if err != nil {
			return nil, err
		}
		defer rows.Close()
		var got []read
		for rows.Next() {
			var r read
			var n int
			var seqs, stats, positions []byte
			if err := rows.Scan(&r.token, &n, &seqs, &stats, &positions); err != nil {
				return nil, err
			}
			if r.run, err = decodeRun(n, seqs, stats, positions); err != nil {
				if !errors.Is(err, errCorruptRun) {
					return nil, fmt.Errorf("token %s: %w", r.token, err)
				}
				if len(damaged) == 0 || damaged[len(damaged)-1] != r.token {
					damaged = append(damaged, r.token)
				}
			}
			got = append(got, r)
		}
		return got, rows.Err()
	}
	query, from := mergeRead, ""
	for {
		got, err := readRuns(query, level, from, mergeRows)
		if err != nil {
			return err
		}
		last := len(got) < mergeRows
		query = mergeRead
		if !last {
			// The last token's runs may go on past this read: they are
			// read again with the next, or alone if they fill it.
			end := got[len(got)-1].token
			if got[0].token == end {
				if got, err = readRuns(mergeReadToken, level, end); err != nil {
					return err
				}
				query = mergeReadAfter
			} else {
				for got[len(got)-1].token == end {
					got = got[:len(got)-1]
				}
			}
			from = end
		}
		var merged [][]any
		for i := 0; i < len(got); {
			j := i
			var runs [][]runEntry
			for ; j < len(got) && got[j].token == got[i].token; j++ {
				runs = append(runs, got[j].run)
			}
			if slices.Contains(damaged, got[i].token) {
				i = j
				continue
			}
			merged = runsOf(mergeRuns(runs)).rows(merged, got[i].token, level+1)
			i = j
		}
		if err := execRows(ctx, tx, runInsert, merged); err != nil {
			return err
		}
		if last {
			break
		}
	}
	if len(damaged) == 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM postings WHERE level = ?`, level)
		return err
	}
	args := []any{level}
	for _, t := range damaged {
		args = append(args, t)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM postings WHERE level = ? AND token NOT IN (`+placeholders(len(damaged))+`)`, args...)
	return err
}

// mergeRows is how many runs a merge reads at a time. (A variable, for
// tests.)
var mergeRows = 4096

// mergeRead reads the next runs of a level to merge, in the order of the
// index postings_level, from a token on; mergeReadAfter from the token
// after it; mergeReadToken a token's runs of the level.
const (
	mergeRead = `SELECT token, n, seqs, stats, positions FROM postings
	WHERE level = ? AND token >= ? ORDER BY token, first LIMIT ?`
	mergeReadAfter = `SELECT token, n, seqs, stats, positions FROM postings
	WHERE level = ? AND token > ? ORDER BY token, first LIMIT ?`
	mergeReadToken = `SELECT token, n, seqs, stats, positions FROM postings
	WHERE level = ? AND token = ? ORDER BY first`
)

// decodeRun decodes a whole run.
func decodeRun(n int, seqs, stats, positions []byte) ([]runEntry, error) {
	if n <= 0 || n > 8*len(seqs) {
		return nil, errCorruptRun
	}
	ss, err := decodeSeqs(seqs, n, make([]int64, 0, n))
	if err != nil {
		return nil, err
	}
	st, err := decodeStats(stats, positions, ss, 0, n, true, nil)
	if err != nil {
		return nil, err
	}
	es := make([]runEntry, len(st))
	for i, e := range st {
		es[i] = runEntry{seq: e.seq, titleTF: e.titleTF, bodyTF: e.bodyTF, length: e.length, positions: positions[e.posAt:e.posEnd]}
	}
	return es, nil
}

// mergeRuns merges runs into one list in order of seq; of a document in
// two runs (never written so, but cheap to guard), the later run's entry
// stays.
func mergeRuns(runs [][]runEntry) []runEntry {
	var out []runEntry
	for _, r := range runs {
		out = append(out, r...)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].seq < out[j].seq })
	keep := out[:0]
	for i, e := range out {
		if i+1 < len(out) && out[i+1].seq == e.seq {
			continue
		}
		keep = append(keep, e)
	}
	return keep
}

// dropPostings takes the documents leaving (the temporary table leaving)
// out of the runs that hold them, or out of postings_pending, and their
// words out of the totals. The
// runs are found by the documents' own tokens, under every key in use (a
// document sealed anew during a rotation is indexed under both until it
// ends), and read a token at a time: their seqs first, the rest only when
// a leaving document is among them.
func (s *Store) dropPostings(ctx context.Context, tx *txn) error {
	var lo, hi sql.NullInt64
	var n int64
	if err := tx.QueryRowContext(ctx, `SELECT min(seq), max(seq), count(*) FROM leaving`).Scan(&lo, &hi, &n); err != nil {
		return err
	}
	if n == 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM postings_pending WHERE seq IN (SELECT seq FROM leaving)`); err != nil {
		return err
	}
	gone := map[int64]bool{}
	tokens := map[string]bool{}
	keys := s.crypt.keys()
	rows, err := tx.QueryContext(ctx, `SELECT d.seq, d.id, d.title, d.body FROM documents d
		WHERE d.seq IN (SELECT seq FROM leaving)`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var seq int64
		var id string
		var title, body []byte
		if err := rows.Scan(&seq, &id, &title, &body); err != nil {
			rows.Close()
			return err
		}
		gone[seq] = true
		for column, sealed := range [][]byte{title, body} {
			text, err := s.openText(sealed, id, []string{"title", "body"}[column])
			if err != nil {
				rows.Close()
				return err
			}
			eachWord(text, func(_, _ int, w string) bool {
				for _, k := range keys {
					tokens[k.token(w)] = true
				}
				return true
			})
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	all := make([]string, 0, len(tokens))
	for t := range tokens {
		all = append(all, t)
	}
	slices.Sort(all)
	type runKey struct {
		token string
		level int
		first int64
	}
	words := map[int64]uint32{}
	for len(all) > 0 {
		part := all[:min(lookupChunk, len(all))]
		all = all[len(part):]
		var hit []runKey
		err := queryIn(ctx, tx, `SELECT token, level, first, n, seqs FROM postings WHERE first <= ? AND last >= ? AND token IN (?)`,
			[]any{hi.Int64, lo.Int64}, part, func(rows *sql.Rows) error {
				var k runKey
				var n int
				var seqs []byte
				if err := rows.Scan(&k.token, &k.level, &k.first, &n, &seqs); err != nil {
					return err
				}
				if n <= 0 || n > 8*len(seqs) {
					return fmt.Errorf("token %s: %w", k.token, errCorruptRun)
				}
				ss, err := decodeSeqs(seqs, n, make([]int64, 0, n))
				if err != nil {
					return fmt.Errorf("token %s: %w", k.token, err)
				}
				for _, seq := range ss {
					if gone[seq] {
						hit = append(hit, k)
						break
					}
				}
				return nil
			})
		if err != nil {
			return err
		}
		for _, k := range hit {
			var n int
			var seqs, stats, positions []byte
			if err := tx.QueryRowContext(ctx, `SELECT n, seqs, stats, positions FROM postings WHERE token = ? AND level = ? AND first = ?`,
				k.token, k.level, k.first).Scan(&n, &seqs, &stats, &positions); err != nil {
				return err
			}
			es, err := decodeRun(n, seqs, stats, positions)
			if err != nil {
				return fmt.Errorf("token %s: %w", k.token, err)
			}
			w := &runWriter{}
			for _, e := range es {
				if gone[e.seq] {
					words[e.seq] = e.length
					continue
				}
				w.add(e)
			}
			if w.n == 0 {
				_, err = tx.ExecContext(ctx, `DELETE FROM postings WHERE token = ? AND level = ? AND first = ?`, k.token, k.level, k.first)
			} else {
				_, err = tx.ExecContext(ctx, `UPDATE postings SET first = ?, last = ?, n = ?, seqs = ?, stats = ?, positions = ?
					WHERE token = ? AND level = ? AND first = ?`, w.first, w.last, w.n, w.seqsColumn(), w.stats, w.positions,
					k.token, k.level, k.first)
			}
			if err != nil {
				return err
			}
		}
	}
	// A document with no word has no postings, and left no length to
	// subtract: it is counted out all the same.
	var sum int64
	for _, l := range words {
		sum += int64(l)
	}
	_, err = tx.ExecContext(ctx, `UPDATE postings_totals SET docs = CASE WHEN docs > ? THEN docs - ? ELSE 0 END,
		words = CASE WHEN words > ? THEN words - ? ELSE 0 END`, len(gone), len(gone), sum, sum)
	return err
}

// decodeSeqBits decodes a run's n seqs, first to last, into the bits s,
// which must hold them; it checks the run as decodeSeqs does. The bits of
// one word of s are gathered in a register and written once: setting each
// in memory made every seq wait for the one before it to be stored. Eight
// one-byte steps (most of a dense run's) are read at once.
func decodeSeqBits(b []byte, n int, first, last int64, s *docSet) error {
	if first < s.base || last >= s.end() || n <= 0 || last < first {
		return errCorruptRun
	}
	if at, bits, ok, err := seqBits(b, n); ok {
		if err != nil || at != first || int64(len(bits)-1) != (last-first)/8 ||
			bits[len(bits)-1]>>((last-first)%8) != 1 {
			return errCorruptRun
		}
		orBits(s, first, bits)
		return nil
	}
	v, b, ok := uvarint(b)
	if !ok || v != uint64(first) {
		return errCorruptRun
	}
	seq, words := first, s.bits
	u := uint64(first - s.base)
	w, acc := u/64, uint64(1)<<(u%64) // the word being gathered, its bits
	for i := 1; i < n; {
		// Eight one-byte steps, when the next eight bytes are: none has
		// its high bit (a longer number) or is 0 (corrupt), and their sum
		// stays within the run.
		if i+8 <= n && len(b) >= 8 {
			x := binary.LittleEndian.Uint64(b)
			if x&0x8080808080808080 == 0 && (x-0x0101010101010101)&^x&0x8080808080808080 == 0 {
				if 8*0x7f > uint64(last-seq) && stepSum(x) > uint64(last-seq) {
					return errCorruptRun
				}
				u := uint64(seq - s.base)
				u0 := u + x&0x7f
				u1 := u0 + x>>8&0x7f
				u2 := u1 + x>>16&0x7f
				u3 := u2 + x>>24&0x7f
				u4 := u3 + x>>32&0x7f
				u5 := u4 + x>>40&0x7f
				u6 := u5 + x>>48&0x7f
				u7 := u6 + x>>56
				if u7/64 == w { // all eight in the word being gathered
					acc |= 1<<(u0%64) | 1<<(u1%64) | 1<<(u2%64) | 1<<(u3%64) | 1<<(u4%64) | 1<<(u5%64) | 1<<(u6%64) | 1<<(u7%64)
				} else {
					for _, u := range [8]uint64{u0, u1, u2, u3, u4, u5, u6, u7} {
						if u/64 != w {
							words[w] |= acc
							w, acc = u/64, 0
						}
						acc |= 1 << (u % 64)
					}
				}
				seq = s.base + int64(u7)
				b, i = b[8:], i+8
				continue
			}
		}
		if len(b) > 0 && b[0] < 0x80 {
			v, b = uint64(b[0]), b[1:]
		} else if v, b, ok = uvarint(b); !ok {
			return errCorruptRun
		}
		if v == 0 || v > uint64(last-seq) {
			return errCorruptRun
		}
		seq += int64(v)
		u := uint64(seq - s.base)
		if u/64 != w {
			words[w] |= acc
			w, acc = u/64, 0
		}
		acc |= 1 << (u % 64)
		i++
	}
	words[w] |= acc
	if len(b) != 0 || seq != last {
		return errCorruptRun
	}
	return nil
}

// orBits adds to s the seqs of bits, a bit for each seq from first on,
// eight bytes at a time.
func orBits(s *docSet, first int64, bits []byte) {
	u := uint64(first - s.base)
	w, shift := u/64, u%64
	for len(bits) > 0 {
		var x uint64
		if len(bits) >= 8 {
			x, bits = binary.LittleEndian.Uint64(bits), bits[8:]
		} else {
			for i, c := range bits {
				x |= uint64(c) << (8 * i)
			}
			bits = nil
		}
		s.bits[w] |= x << shift
		if shift != 0 && x>>(64-shift) != 0 {
			s.bits[w+1] |= x >> (64 - shift)
		}
		w++
	}
}

// stepSum is the sum of the eight bytes of x, each under 0x80.
func stepSum(x uint64) uint64 {
	x = x&0x00ff00ff00ff00ff + x>>8&0x00ff00ff00ff00ff
	x = x&0x0000ffff0000ffff + x>>16&0x0000ffff0000ffff
	return x&0xffffffff + x>>32
}

// rewriteRuns writes anew the runs an earlier release left in a shape
// this one does not write (listed by migrations 24 and 25 on SQLite, 10
// and 11 on PostgreSQL in postings_rewrite): runs longer than runMaxDocs,
// split into runs of runMaxDocs at the same level, and seqs stored as
// distances that are shorter as bits, the runs of rewriteTokens tokens and
// levels a transaction. Every run of a listed token and level is looked
// at, whatever its first document now (a document deleted from a run
// moves its first); one that does not decode stays as it is, failing the
// searches that read it as before.
func (s *Store) rewriteRuns(ctx context.Context, progress func(what string, done, total int)) error {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM postings_rewrite`).Scan(&total); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	for done := 0; done < total; {
		n, err := s.rewriteBatch(ctx)
		if err != nil {
			return fmt.Errorf("search index: write runs anew: %w", err)
		}
		if n == 0 {
			return nil
		}
		done += n
		if progress != nil {
			progress("writing the search index's runs anew", min(done, total), total)
		}
	}
	return nil
}

// rewriteTokens is how many tokens' and levels' runs a transaction of
// rewriteRuns writes anew: a word in every document of a million has
// hundreds of runs at a level.
const rewriteTokens = 16

// rewriteBatch writes anew the runs of the next rewriteTokens tokens and
// levels of postings_rewrite and says how many of its rows it took off.
func (s *Store) rewriteBatch(ctx context.Context) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	type tokenLevel struct {
		token string
		level int
	}
	var keys []tokenLevel
	rows, err := tx.QueryContext(ctx, `SELECT DISTINCT token, level FROM postings_rewrite ORDER BY token, level LIMIT ?`, rewriteTokens)
	if err != nil {
		return 0, err
	}
	for rows.Next() {
		var k tokenLevel
		if err := rows.Scan(&k.token, &k.level); err != nil {
			rows.Close()
			return 0, err
		}
		keys = append(keys, k)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	listed := 0
	for _, k := range keys {
		type long struct {
			first int64
			run   []runEntry
		}
		var runs []long
		rows, err := tx.QueryContext(ctx, `SELECT first, n, seqs, stats, positions FROM postings
			WHERE token = ? AND level = ? AND n > ?`, k.token, k.level, runMaxDocs)
		if err != nil {
			return 0, err
		}
		for rows.Next() {
			var r long
			var n int
			var seqs, stats, positions []byte
			if err := rows.Scan(&r.first, &n, &seqs, &stats, &positions); err != nil {
				rows.Close()
				return 0, err
			}
			if r.run, err = decodeRun(n, seqs, stats, positions); err != nil {
				if !errors.Is(err, errCorruptRun) {
					rows.Close()
					return 0, fmt.Errorf("token %s: %w", k.token, err)
				}
				continue
			}
			runs = append(runs, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		for _, r := range runs {
			if _, err := tx.ExecContext(ctx, `DELETE FROM postings WHERE token = ? AND level = ? AND first = ?`,
				k.token, k.level, r.first); err != nil {
				return 0, err
			}
			if err := execRows(ctx, tx, runInsert, runsOf(r.run).rows(nil, k.token, k.level)); err != nil {
				return 0, err
			}
		}
		if err := bitsForSeqs(ctx, tx, k.token, k.level); err != nil {
			return 0, err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM postings_rewrite WHERE token = ? AND level = ?`, k.token, k.level)
		if err != nil {
			return 0, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		listed += int(n)
	}
	return listed, tx.Commit()
}

// bitsForSeqs stores as bits the seqs of token's runs at level stored as
// distances that are shorter as bits. A run whose seqs do not decode
// stays as it is.
func bitsForSeqs(ctx context.Context, tx *txn, token string, level int) error {
	var runs []*runWriter
	rows, err := tx.QueryContext(ctx, `SELECT first, last, n, seqs FROM postings
		WHERE token = ? AND level = ? AND length(seqs) >= n`, token, level)
	if err != nil {
		return err
	}
	for rows.Next() {
		w := &runWriter{}
		if err := rows.Scan(&w.first, &w.last, &w.n, &w.seqs); err != nil {
			rows.Close()
			return err
		}
		runs = append(runs, w)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for _, w := range runs {
		if !w.shorterAsBits() {
			continue
		}
		ss, err := decodeSeqs(w.seqs, w.n, make([]int64, 0, w.n))
		if err != nil || ss[0] != w.first || ss[len(ss)-1] != w.last {
			continue
		}
		if _, err := tx.ExecContext(ctx, `UPDATE postings SET seqs = ? WHERE token = ? AND level = ? AND first = ?`,
			bitsOf(ss), token, level, w.first); err != nil {
			return err
		}
	}
	return nil
}
