package sqlstore

import (
	"cmp"
	"container/heap"
	"context"
	"database/sql"
	"fmt"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// The full-text index (postings.go) holds, for each keyed token
// (crypt.go), the documents whose title or body holds its word, and
// where. A query reaches the index as a match: the tokens of its phrases,
// already keyed and with prefixes expanded to the words they begin.

// match is a query as the index is asked it: every clause of all must
// hold and none of none; a clause holds when any of its phrases occurs.
type match struct {
	all, none [][]phrase
	// groups names, for each phrase of all, what it stands for: a term of
	// the query, or a word a prefix begins. During a key rotation a term
	// is a phrase under each key, and a document indexed under both is
	// weighed once.
	groups [][]string
}

// phrase is tokens that must occur one after another.
type phrase []string

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

// tokenRuns is what a search has read of a token's runs.
type tokenRuns struct {
	runs    []*readRun // by first seq
	docs    docSet     // every document holding the token
	ordered bool       // each run begins after the one before ends
}

// readRun is a run as a search reads it: its seqs, the statistics (and
// positions) of the entries of the documents it is asked about. A common
// word's run holds thousands of documents, of which a page's ranking reads
// those among the newest matches. The seqs of a token kept as bits are
// decoded into the bits, and into the run's list only once its entries
// are read.
type readRun struct {
	level       int
	first, last int64
	n           int
	encoded     []byte    // the seqs as stored
	seqs        []int64   // decoded: nil until then
	entries     []runStat // read, in order of seq: those of seqs[at:end]
	at, end     int
	pos         []byte // the positions column, if the entries' are read
	some        bool   // entries hold only those of seqs[at:end] asked for
}

// decode decodes the run's seqs, unless they are.
func (r *readRun) decode() error {
	if r.seqs != nil {
		return nil
	}
	seqs, err := decodeSeqs(r.encoded, r.n, make([]int64, 0, r.n))
	if err != nil {
		return err
	}
	r.seqs, r.encoded = seqs, nil
	return nil
}

// find returns the entry of the document seq, if read.
func (r *readRun) find(seq int64) (*runStat, bool) {
	i, ok := slices.BinarySearchFunc(r.entries, seq, func(e runStat, seq int64) int { return cmp.Compare(e.seq, seq) })
	if !ok {
		return nil, false
	}
	return &r.entries[i], true
}

// span is the range of r.seqs from seq from to seq to.
func (r *readRun) span(from, to int64) (lo, hi int) {
	lo, _ = slices.BinarySearch(r.seqs, from)
	hi, found := slices.BinarySearch(r.seqs, to)
	if found {
		hi++
	}
	return lo, hi
}

// covers says whether the run's entries read hold those from seq from to
// seq to (with positions if asked).
func (r *readRun) covers(from, to int64, positions bool) bool {
	lo, hi := r.span(from, to)
	return lo >= hi || !r.some && (r.pos != nil || !positions) && lo >= r.at && hi <= r.end
}

// entry returns the token's entry for the document seq, if its run's
// entry has been read, and its positions, if those have.
func (t *tokenRuns) entry(seq int64) (*runStat, []byte, bool) {
	for _, r := range t.runs {
		if seq < r.first || seq > r.last {
			continue
		}
		if e, ok := r.find(seq); ok {
			var pos []byte
			if r.pos != nil {
				pos = r.pos[e.posAt:e.posEnd]
			}
			return e, pos, true
		}
	}
	return nil, nil, false
}

// cursor is where a walk through a token's entries, in order of seq, is.
type cursor struct{ run, i int }

// next returns the token's entry for the document seq, the entries of its
// run read, moving c on: a walk asks for ever larger seqs. A token whose
// runs overlap is looked up as entry does.
func (t *tokenRuns) next(seq int64, c *cursor) (*runStat, bool) {
	if !t.ordered {
		e, _, ok := t.entry(seq)
		return e, ok
	}
	for c.run < len(t.runs) {
		r := t.runs[c.run]
		if seq > r.last {
			c.run, c.i = c.run+1, 0
			continue
		}
		if seq < r.first {
			return nil, false
		}
		for c.i < len(r.entries) && r.entries[c.i].seq < seq {
			c.i++
		}
		if c.i < len(r.entries) && r.entries[c.i].seq == seq {
			return &r.entries[c.i], true
		}
		return nil, false
	}
	return nil, false
}

// indexReader reads runs for one search, within one read transaction.
type indexReader struct {
	ctx    context.Context
	tx     *txn
	tokens map[string]*tokenRuns
}

// load reads the seqs of every run of tokens not read yet.
func (ix *indexReader) load(tokens []string) error {
	var want []string
	for _, t := range tokens {
		if _, ok := ix.tokens[t]; !ok {
			ix.tokens[t] = &tokenRuns{}
			want = append(want, t)
		}
	}
	slices.Sort(want)
	want = slices.Compact(want)
	got := map[string][]*readRun{}
	err := queryIn(ix.ctx, ix.tx, `SELECT token, level, first, last, n, seqs FROM postings WHERE token IN (?)`, nil, want,
		func(rows *sql.Rows) error {
			var t string
			r := &readRun{}
			if err := rows.Scan(&t, &r.level, &r.first, &r.last, &r.n, &r.encoded); err != nil {
				return err
			}
			if r.n <= 0 || r.n > 8*len(r.encoded) || r.first > r.last {
				return fmt.Errorf("%w (token %s)", errCorruptRun, t)
			}
			got[t] = append(got[t], r)
			return nil
		})
	if err != nil {
		return err
	}
	// The tokens are decoded side by side: a name's words in most of a
	// million documents take a few milliseconds each.
	var wg sync.WaitGroup
	errs := make(chan error, len(got))
	slots := make(chan struct{}, runtime.GOMAXPROCS(0))
	for t, rs := range got {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			if err := ix.tokens[t].fill(rs); err != nil {
				errs <- fmt.Errorf("%w (token %s)", err, t)
			}
		})
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// fill makes the token's documents of its runs rs: a list, whose parts are
// the runs' seqs, or bits, when they are dense (see docSet).
func (tr *tokenRuns) fill(rs []*readRun) error {
	slices.SortFunc(rs, func(a, b *readRun) int { return cmp.Compare(a.first, b.first) })
	total, ordered := 0, true
	lo, hi := rs[0].first, rs[0].last
	for i, r := range rs {
		total += r.n
		hi = max(hi, r.last)
		if i > 0 && r.first <= rs[i-1].last {
			ordered = false
		}
	}
	tr.runs, tr.ordered = rs, ordered
	if denseEnough(total, lo, hi) {
		tr.docs = bitsFor(lo, hi)
		for _, r := range rs {
			if err := decodeSeqBits(r.encoded, r.n, r.first, r.last, &tr.docs); err != nil {
				return err
			}
		}
		tr.docs = tr.docs.counted()
		return nil
	}
	all := make([]int64, 0, total)
	for _, r := range rs {
		from := len(all)
		var err error
		if all, err = decodeSeqs(r.encoded, r.n, all); err != nil {
			return err
		}
		r.seqs, r.encoded = all[from:len(all):len(all)], nil
		if r.seqs[0] != r.first || r.seqs[len(r.seqs)-1] != r.last {
			return errCorruptRun
		}
	}
	if !ordered { // runs written out of order (a document indexed anew): merge
		all = slices.Clone(all)
		slices.Sort(all)
		all = slices.Compact(all)
	}
	tr.docs = listSet(all)
	return nil
}

// loadEntries reads the statistics (and, if positions, the positions) of
// tokens' entries for the documents from seq from to seq to, with those
// read before of the same runs; or, given only (ascending), the statistics
// of those documents alone.
func (ix *indexReader) loadEntries(tokens []string, from, to int64, positions bool, only []int64) error {
	var want []string
	for _, t := range tokens {
		tr := ix.tokens[t]
		if tr == nil {
			continue
		}
		needs := false
		for _, r := range tr.runs {
			if r.last < from || r.first > to {
				continue
			}
			if err := r.decode(); err != nil {
				return fmt.Errorf("%w (token %s)", err, t)
			}
			needs = needs || !r.covers(from, to, positions)
		}
		if needs {
			want = append(want, t)
		}
	}
	if len(want) == 0 {
		return nil
	}
	slices.Sort(want)
	want = slices.Compact(want)
	cols := `stats, NULL`
	if positions {
		cols = `stats, positions`
	}
	return queryIn(ix.ctx, ix.tx, `SELECT token, level, first, `+cols+` FROM postings WHERE last >= ? AND first <= ? AND token IN (?)`,
		[]any{from, to}, want, func(rows *sql.Rows) error {
			var t string
			var level int
			var first int64
			// The statistics are decoded before the next row, into entries
			// that keep nothing of them: read in place, not copied.
			var stats sql.RawBytes
			var pos []byte
			if err := rows.Scan(&t, &level, &first, &stats, &pos); err != nil {
				return err
			}
			for _, r := range ix.tokens[t].runs {
				if r.level != level || r.first != first || r.covers(from, to, positions) {
					continue
				}
				lo, hi := r.span(from, to)
				some := only != nil && !positions
				if r.end > r.at && !r.some && !some { // what was read stays read
					lo, hi = min(lo, r.at), max(hi, r.end)
				}
				var want []int64
				if some {
					want = only
				}
				es, err := decodeStats(stats, pos, r.seqs, lo, hi, positions, want)
				if err != nil {
					return fmt.Errorf("%w (token %s)", err, t)
				}
				r.entries, r.at, r.end, r.some, r.pos = es, lo, hi, some, nil
				if positions {
					r.pos = pos
				}
			}
			return nil
		})
}

// phraseKey names a phrase for the maps of one search.
func phraseKey(p phrase) string { return strings.Join(p, " ") }

// evaluation is a match being answered: the documents of each phrase.
type evaluation struct {
	ix   *indexReader
	docs map[string]docSet
}

// docsOf returns the documents holding the phrase p, ascending: a token's
// documents, or those holding all of a phrase's tokens that hold them one
// after another in the title or the body.
func (ev *evaluation) docsOf(p phrase) (docSet, error) {
	key := phraseKey(p)
	if d, ok := ev.docs[key]; ok {
		return d, nil
	}
	var out docSet
	if len(p) == 1 {
		out = ev.ix.tokens[p[0]].docs
	} else {
		sets := make([]docSet, len(p))
		for i, t := range p {
			sets[i] = ev.ix.tokens[t].docs
		}
		cand := andAll(sets)
		if cand.n > 0 {
			lo, hi := cand.bounds()
			if err := ev.ix.loadEntries(p, lo, hi, true, nil); err != nil {
				return docSet{}, err
			}
		}
		var found []int64
		for seq := range cand.all() {
			hits, err := ev.phraseHits(p, seq)
			if err != nil {
				return docSet{}, err
			}
			if hits[0]+hits[1] > 0 {
				found = append(found, seq)
			}
		}
		out = listSet(found)
	}
	ev.docs[key] = out
	return out, nil
}

// phraseHits counts the phrase's occurrences in the title and in the body
// of the document seq, whose entries are read.
func (ev *evaluation) phraseHits(p phrase, seq int64) ([2]int, error) {
	var hits [2]int
	cols := make([][2][]uint32, len(p))
	for i, t := range p {
		e, pos, ok := ev.ix.tokens[t].entry(seq)
		if !ok {
			return hits, nil
		}
		title, body, err := positionColumns(pos, e.titleTF, e.bodyTF)
		if err != nil {
			return hits, fmt.Errorf("%w (token %s)", err, t)
		}
		cols[i] = [2][]uint32{title, body}
	}
	for c := range 2 {
		for _, start := range cols[0][c] {
			ok := true
			for i := 1; i < len(p) && ok; i++ {
				_, ok = slices.BinarySearch(cols[i][c], start+uint32(i))
			}
			if ok {
				hits[c]++
			}
		}
	}
	return hits, nil
}

// clauseDocs returns the documents holding any of ps.
func (ev *evaluation) clauseDocs(ps []phrase) (docSet, error) {
	var sets []docSet
	for _, p := range ps {
		d, err := ev.docsOf(p)
		if err != nil {
			return docSet{}, err
		}
		sets = append(sets, d)
	}
	return orAll(sets), nil
}

// searchIndex counts the documents m matches among those held by the
// collections of scope (their ids as an SQL list, "(1,2)"; "" for all),
// and returns the page p asks for: the p.rank most recently stored
// matches ranked best first, then the older ones most recently stored
// first (see store.SearchResult.Ranked). The statements run in one read
// transaction, so that the count and the page see one state of the index.
func searchIndex(ctx context.Context, c *conn, m match, scope string, p searchPage) (searched, error) {
	var out searched
	tx, err := c.readTx(ctx)
	if err != nil {
		return out, err
	}
	defer tx.Rollback()
	ix := &indexReader{ctx: ctx, tx: tx, tokens: map[string]*tokenRuns{}}
	var tokens []string
	for _, cs := range [][][]phrase{m.all, m.none} {
		for _, cl := range cs {
			for _, ph := range cl {
				tokens = append(tokens, ph...)
			}
		}
	}
	if err := ix.load(tokens); err != nil {
		return out, err
	}
	ev := &evaluation{ix: ix, docs: map[string]docSet{}}
	var clauses []docSet
	for _, cl := range m.all {
		d, err := ev.clauseDocs(cl)
		if err != nil {
			return out, err
		}
		clauses = append(clauses, d)
	}
	found := andAll(clauses)
	for _, cl := range m.none {
		if found.n == 0 {
			break
		}
		d, err := ev.clauseDocs(cl)
		if err != nil {
			return out, err
		}
		found = andNot(found, d)
	}
	if scope != "" && found.n > 0 {
		if found, err = inScope(ctx, tx, found, scope); err != nil {
			return out, err
		}
	}
	out.total = found.n
	var rankedN, olderN, olderOffset int
	out.ranked, rankedN, olderN, olderOffset = p.split(out.total)
	rankedDocs := found.newest(0, out.ranked)
	slices.Reverse(rankedDocs)
	page := found.newest(out.ranked+olderOffset, olderN) // newest first
	// Ranked, every term of the clauses that must hold weighs in, as one
	// phrase or, during a key rotation, its phrase under each key.
	var some [][]phrase
	at := map[string]int{}
	for i, cl := range m.all {
		for j, p := range cl {
			g := strconv.Itoa(j)
			if i < len(m.groups) && j < len(m.groups[i]) {
				g = m.groups[i][j]
			}
			g = strconv.Itoa(i) + "/" + g
			k, ok := at[g]
			if !ok {
				k = len(some)
				at[g] = k
				some = append(some, nil)
			}
			some[k] = append(some[k], p)
		}
	}
	sc, err := newScorer(ev, tx, some)
	if err != nil {
		return out, err
	}
	if rankedN > 0 {
		if err := sc.read(rankedDocs[0], rankedDocs[len(rankedDocs)-1], rankedDocs); err != nil {
			return out, err
		}
		scored := make([]ranked, len(rankedDocs))
		walk := sc.cursors()
		for i, seq := range rankedDocs {
			if scored[i], err = sc.score(seq, walk); err != nil {
				return out, err
			}
		}
		out.page = append(out.page, best(scored, p.offset+rankedN)[p.offset:]...)
	}
	if len(page) > 0 {
		if err := sc.read(page[len(page)-1], page[0], nil); err != nil {
			return out, err
		}
		for _, seq := range page {
			r, err := sc.score(seq, nil)
			if err != nil {
				return out, err
			}
			out.page = append(out.page, r)
		}
	}
	return out, nil
}

// rankOrder orders documents best first: the higher score, and of two
// equal, the document stored first.
func rankOrder(a, b ranked) int {
	if c := cmp.Compare(b.score, a.score); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// best returns the k best of rs in rank order: a page of 20 of 10,000
// ranked matches keeps 20 in a heap rather than sorting the 10,000.
func best(rs []ranked, k int) []ranked {
	if k >= len(rs) {
		slices.SortFunc(rs, rankOrder)
		return rs
	}
	if k <= 0 {
		return nil
	}
	h := worstFirst(slices.Clone(rs[:k]))
	heap.Init(&h)
	for _, r := range rs[k:] {
		if rankOrder(r, h[0]) < 0 {
			h[0] = r
			heap.Fix(&h, 0)
		}
	}
	slices.SortFunc(h, rankOrder)
	return h
}

// worstFirst is a heap of ranked documents, the worst at its root.
type worstFirst []ranked

func (h worstFirst) Len() int           { return len(h) }
func (h worstFirst) Less(i, j int) bool { return rankOrder(h[i], h[j]) > 0 }
func (h worstFirst) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *worstFirst) Push(x any)        { *h = append(*h, x.(ranked)) }
func (h *worstFirst) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// scorer weighs documents by BM25 as FTS5's bm25() does: for each phrase,
// its inverse document frequency times its weighted occurrences in the
// document (title ones count titleWeight, body ones bodyWeight) against
// the document's length and the average.
type scorer struct {
	ev *evaluation
	// terms are the phrases weighed, each with its variants under the keys
	// in use (one but during a rotation).
	terms [][]phrase
	idf   []float64
	avg   float64
}

func newScorer(ev *evaluation, tx *txn, terms [][]phrase) (*scorer, error) {
	var docs, words int64
	if err := tx.QueryRowContext(ev.ix.ctx, `SELECT docs, words FROM postings_totals`).Scan(&docs, &words); err != nil {
		return nil, err
	}
	sc := &scorer{ev: ev, terms: terms, avg: 1}
	if docs > 0 && words > 0 {
		sc.avg = float64(words) / float64(docs)
	}
	for _, variants := range terms {
		d, err := ev.clauseDocs(variants) // the documents holding any variant
		if err != nil {
			return nil, err
		}
		hit := float64(d.n)
		idf := math.Log((float64(docs) - hit + 0.5) / (hit + 0.5))
		if idf <= 0 {
			idf = 1e-6
		}
		sc.idf = append(sc.idf, idf)
	}
	return sc, nil
}

// read readies the statistics of the documents from seq from to seq to,
// or of only those, if given (ascending): the ranked matches of a common
// word's run are a third or a quarter of its documents among them.
func (sc *scorer) read(from, to int64, only []int64) error {
	var single []string
	for _, variants := range sc.terms {
		for _, p := range variants {
			if len(p) == 1 {
				single = append(single, p[0])
			}
		}
	}
	if err := sc.ev.ix.loadEntries(single, from, to, false, only); err != nil {
		return err
	}
	for _, variants := range sc.terms {
		for _, p := range variants {
			if len(p) > 1 {
				if err := sc.ev.ix.loadEntries(p, from, to, true, nil); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// cursors returns a cursor for each phrase the scorer weighs.
func (sc *scorer) cursors() [][]cursor {
	out := make([][]cursor, len(sc.terms))
	for i, v := range sc.terms {
		out[i] = make([]cursor, len(v))
	}
	return out
}

// score weighs the document seq; walk, if not nil, holds cursors (see
// cursors) for documents scored in order of seq. A term under two keys
// counts the hits of the variant that has most.
func (sc *scorer) score(seq int64, walk [][]cursor) (ranked, error) {
	r := ranked{seq: seq}
	var length float64
	for i, variants := range sc.terms {
		var hits [2]int
		for j, p := range variants {
			var h [2]int
			var e *runStat
			var ok bool
			tr := sc.ev.ix.tokens[p[0]]
			if walk != nil {
				e, ok = tr.next(seq, &walk[i][j])
			} else {
				e, _, ok = tr.entry(seq)
			}
			if !ok {
				continue
			}
			length = float64(e.length)
			if len(p) == 1 {
				h = [2]int{int(e.titleTF), int(e.bodyTF)}
			} else {
				var err error
				if h, err = sc.ev.phraseHits(p, seq); err != nil {
					return r, err
				}
			}
			if h[0]+h[1] > hits[0]+hits[1] {
				hits = h
			}
		}
		f := titleWeight*float64(hits[0]) + bodyWeight*float64(hits[1])
		if f == 0 {
			continue
		}
		r.score += sc.idf[i] * f * (bm25K1 + 1) / (f + bm25K1*(1-bm25B+bm25B*length/sc.avg))
	}
	return r, nil
}

// inScope keeps of docs (ascending) those the collections of scope hold:
// all of them when no collection out of scope holds a document (as on one
// agency's server), else by a look-up of each when they are few, or by
// reading the scope's holdings.
func inScope(ctx context.Context, tx *txn, docs docSet, scope string) (docSet, error) {
	var whole bool
	if err := tx.QueryRowContext(ctx, `SELECT `+holdsEverything(scope)).Scan(&whole); err != nil {
		return docSet{}, err
	}
	if whole {
		return docs, nil
	}
	var held []int64
	scan := func(rows *sql.Rows) error {
		var seq int64
		err := rows.Scan(&seq)
		held = append(held, seq)
		return err
	}
	if docs.n <= scopeLookups {
		err := queryIn(ctx, tx, `SELECT DISTINCT doc FROM holdings WHERE collection_id IN `+scope+` AND doc IN (?)`, nil, docs.slice(), scan)
		if err != nil {
			return docSet{}, err
		}
	} else {
		rows, err := tx.QueryContext(ctx, `SELECT DISTINCT doc FROM holdings WHERE collection_id IN `+scope)
		if err != nil {
			return docSet{}, err
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				return docSet{}, err
			}
		}
		if err := rows.Err(); err != nil {
			return docSet{}, err
		}
	}
	slices.Sort(held)
	return and(docs, listSet(slices.Compact(held))), nil
}

// scopeLookups is how many matches a scope is checked for one by one (a
// few hundred to a statement); past it the scope's holdings are read.
const scopeLookups = 20000
