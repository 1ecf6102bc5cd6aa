package sqlstore

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/binary"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// checkPostings decodes every run of s's search index, failing t on one
// that does not decode or whose first, last and count disagree with its
// seqs, or on two runs of a token holding one document; it returns the
// documents the index holds.
func checkPostings(t *testing.T, s *Store) map[int64]bool {
	t.Helper()
	rows, err := s.db.QueryContext(context.Background(), `SELECT token, level, first, last, n, seqs, stats, positions FROM postings`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	out := map[int64]bool{}
	seen := map[string]map[int64]bool{}
	for rows.Next() {
		var token string
		var level, n int
		var first, last int64
		var seqs, stats, positions []byte
		if err := rows.Scan(&token, &level, &first, &last, &n, &seqs, &stats, &positions); err != nil {
			t.Fatal(err)
		}
		es, err := decodeRun(n, seqs, stats, positions)
		if err != nil {
			t.Errorf("run of %s at level %d from %d: %v", token, level, first, err)
			continue
		}
		if n > runMaxDocs {
			t.Errorf("run of %s at level %d from %d holds %d documents, more than %d", token, level, first, n, runMaxDocs)
		}
		// Seqs stored as bits when those take fewer bytes than the run
		// has documents, else as distances.
		want := uvarintLen(uint64(es[0].seq))
		for i := 1; i < len(es); i++ {
			want += uvarintLen(uint64(es[i].seq - es[i-1].seq))
		}
		if bits := uvarintLen(uint64(first)) + int((last-first)/8+1); bits < n {
			want = bits
		}
		if len(seqs) != want {
			t.Errorf("run of %s at level %d from %d: seqs of %d bytes, want %d", token, level, first, len(seqs), want)
		}
		if es[0].seq != first || es[len(es)-1].seq != last {
			t.Errorf("run of %s at level %d: first %d last %d, holds %d..%d", token, level, first, last, es[0].seq, es[len(es)-1].seq)
		}
		if seen[token] == nil {
			seen[token] = map[int64]bool{}
		}
		for _, e := range es {
			if seen[token][e.seq] {
				t.Errorf("token %s holds document %d twice", token, e.seq)
			}
			seen[token][e.seq] = true
			out[e.seq] = true
			if _, _, err := e.columns(); err != nil {
				t.Errorf("positions of %s in %d: %v", token, e.seq, err)
			}
		}
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestRunRoundTrip encodes runs of random entries and decodes them, whole
// and by column; a run cut short or padded does not decode.
func TestRunRoundTrip(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 200 {
		var want []runEntry
		var cols [][2][]uint32
		seq := int64(rng.IntN(1 << 20))
		w := &runWriter{}
		for range 1 + rng.IntN(50) {
			seq += 1 + int64(rng.IntN(1000))
			var c [2][]uint32
			var length uint32
			for col := range 2 {
				p := uint32(rng.IntN(5))
				for range rng.IntN(6) {
					c[col] = append(c[col], p)
					p += 1 + uint32(rng.IntN(300))
				}
				length += p
			}
			if len(c[0])+len(c[1]) == 0 {
				c[1] = []uint32{0}
			}
			e := runEntry{seq: seq, titleTF: uint32(len(c[0])), bodyTF: uint32(len(c[1])), length: length,
				positions: appendPositions(appendPositions(nil, c[0]), c[1])}
			w.add(e)
			want, cols = append(want, e), append(cols, c)
		}
		got, err := decodeRun(w.n, w.seqs, w.stats, w.positions)
		if err != nil {
			t.Fatal(err)
		}
		if w.first != want[0].seq || w.last != want[len(want)-1].seq || len(got) != len(want) {
			t.Fatalf("run of %d: first %d last %d, decoded %d", len(want), w.first, w.last, len(got))
		}
		for i, e := range got {
			x := want[i]
			if e.seq != x.seq || e.titleTF != x.titleTF || e.bodyTF != x.bodyTF || e.length != x.length || !bytes.Equal(e.positions, x.positions) {
				t.Fatalf("entry %d = %+v, want %+v", i, e, x)
			}
			title, body, err := e.columns()
			if err != nil || !slices.Equal(title, cols[i][0]) || !slices.Equal(body, cols[i][1]) {
				t.Fatalf("entry %d columns %v %v (%v), want %v", i, title, body, err, cols[i])
			}
		}
		// Any range of the entries, as a search reads them, with or
		// without positions.
		seqs := make([]int64, len(want))
		for i, e := range want {
			seqs[i] = e.seq
		}
		lo := rng.IntN(len(want))
		hi := lo + rng.IntN(len(want)-lo+1)
		for _, withPositions := range []bool{true, false} {
			part, err := decodeStats(w.stats, w.positions, seqs, lo, hi, withPositions, nil)
			if err != nil || len(part) != hi-lo {
				t.Fatalf("entries %d to %d of %d: %d (%v)", lo, hi, len(want), len(part), err)
			}
			for i, e := range part {
				x := want[lo+i]
				var pos []byte
				if withPositions {
					pos = w.positions[e.posAt:e.posEnd]
				} else {
					x.positions = nil
				}
				if e.seq != x.seq || e.titleTF != x.titleTF || e.bodyTF != x.bodyTF || e.length != x.length || !bytes.Equal(pos, x.positions) {
					t.Fatalf("entries %d to %d: entry %d = %+v, want %+v", lo, hi, lo+i, e, x)
				}
			}
		}
		// Some of them, as ranking reads a common word's: those asked
		// for within the range, none of those asked for outside it or
		// not in the run.
		only := []int64{} // none, at times: not nil, which asks for all
		for _, e := range want {
			if rng.IntN(3) == 0 {
				only = append(only, e.seq)
			}
			if rng.IntN(4) == 0 {
				only = append(only, e.seq+1) // mostly in no run
			}
		}
		only = slices.Compact(only)
		var wantSome []runEntry
		for _, e := range want[lo:hi] {
			if _, ok := slices.BinarySearch(only, e.seq); ok {
				wantSome = append(wantSome, e)
			}
		}
		some, err := decodeStats(w.stats, w.positions, seqs, lo, hi, false, only)
		if err != nil || len(some) != len(wantSome) {
			t.Fatalf("%d of entries %d to %d: %d (%v), want %d", len(only), lo, hi, len(some), err, len(wantSome))
		}
		for i, e := range some {
			if x := wantSome[i]; e.seq != x.seq || e.titleTF != x.titleTF || e.bodyTF != x.bodyTF || e.length != x.length || e.posEnd != 0 {
				t.Fatalf("some entries: %+v, want %+v", e, x)
			}
		}
		if _, err := decodeRun(w.n, w.seqs[:len(w.seqs)-1], w.stats, w.positions); err == nil {
			t.Fatal("a run whose seqs are cut short decoded")
		}
		if _, err := decodeRun(w.n, w.seqs, append(slices.Clone(w.stats), 0), w.positions); err == nil {
			t.Fatal("a run with stats left over decoded")
		}
		if len(w.positions) > 0 {
			if _, err := decodeRun(w.n, w.seqs, w.stats, w.positions[1:]); err == nil {
				t.Fatal("a run with positions missing decoded")
			}
		}
	}
}

// FuzzDecodeRun holds decoding to an error, never a panic or a run that
// disagrees with itself, whatever the columns hold (a damaged database).
func FuzzDecodeRun(f *testing.F) {
	w := &runWriter{}
	w.add(runEntry{seq: 7, titleTF: 1, bodyTF: 2, length: 9, positions: appendPositions(appendPositions(nil, []uint32{0}), []uint32{3, 5})})
	w.add(runEntry{seq: 300, bodyTF: 1, length: 4, positions: appendPositions(nil, []uint32{2})})
	f.Add(w.n, w.seqs, w.stats, w.positions)
	f.Add(1, []byte{0}, []byte{0, 0, 0, 0}, []byte{})
	// A seq past 2^62 by its delta, and a count of positions far beyond
	// the bytes that hold them.
	f.Add(2, binary.AppendUvarint(binary.AppendUvarint(nil, 1<<62), 1<<62), []byte{0, 1, 1, 1, 0, 1, 1, 1}, []byte{0, 0})
	f.Add(1, []byte{5}, binary.AppendUvarint([]byte{0}, 1<<31), []byte{0})
	// Dense runs, read eight steps at once: whole, with a step of 0 among
	// the eight, with a longer step among them.
	dense := []byte{0, 1, 2, 1, 1, 5, 1, 1, 2, 1, 1, 1, 7, 1, 1, 1, 1, 2, 1}
	f.Add(len(dense), dense, make([]byte, 4*len(dense)), []byte{})
	f.Add(len(dense), append(slices.Clone(dense[:9]), append([]byte{0}, dense[10:]...)...), make([]byte, 4*len(dense)), []byte{})
	f.Add(len(dense)-1, append(slices.Clone(dense[:5]), append([]byte{0x81, 1}, dense[7:]...)...), make([]byte, 4*len(dense)), []byte{})
	// Seqs as bits: 3, 4, 6, 11, 12 and 14.
	f.Add(6, []byte{3, 0b00001011, 0b00101100}, make([]byte, 24), []byte{})
	f.Fuzz(func(t *testing.T, n int, seqs, stats, positions []byte) {
		es, err := decodeRun(n, seqs, stats, positions)
		if n > 0 && n <= 8*len(seqs) && n < 1<<16 {
			// Into bits, as a search reads a common word: the seqs of the
			// list, or an error where the list has one (bits for seqs up to
			// 2^20, the rest refused as out of their bounds).
			list, lerr := decodeSeqs(seqs, n, nil)
			first, last := int64(0), int64(1<<20)
			if lerr == nil {
				first, last = list[0], list[len(list)-1]
			}
			bits := bitsFor(0, 1<<20)
			berr := decodeSeqBits(seqs, n, first, last, &bits)
			switch {
			case lerr != nil && berr == nil:
				t.Fatalf("bits decoded a run the list refuses (%v)", lerr)
			case lerr == nil && last < 1<<20 && berr != nil:
				t.Fatalf("bits refused a run the list decodes: %v", berr)
			case berr == nil && !slices.Equal(bits.counted().slice(), list):
				t.Fatalf("bits %v, list %v", bits.counted().slice(), list)
			}
		}
		if n > 0 && n <= 8*len(seqs) {
			// The newer half's statistics, as ranking reads them, skipping
			// the older half by its bytes: never a panic, and what the
			// whole run's decoding gives when that succeeds.
			lo := n / 2
			part, perr := decodeStats(stats, positions, make([]int64, n), lo, n, false, nil)
			// And every other of them, as ranking reads those it ranks.
			ss := make([]int64, n)
			for i := range ss {
				ss[i] = int64(i)
			}
			var only []int64
			for i := lo; i < n; i += 2 {
				only = append(only, int64(i))
			}
			some, serr := decodeStats(stats, positions, ss, lo, n, false, only)
			if err == nil {
				if serr != nil || len(some) != len(only) {
					t.Fatalf("every other of entries %d to %d: %d (%v)", lo, n, len(some), serr)
				}
				for i, e := range some {
					if x := es[lo+2*i]; e.seq != int64(lo+2*i) || e.titleTF != x.titleTF || e.bodyTF != x.bodyTF || e.length != x.length {
						t.Fatalf("entry %d read among some %+v, in its run %+v", lo+2*i, e, x)
					}
				}
				if perr != nil || len(part) != n-lo {
					t.Fatalf("entries %d to %d: %d (%v)", lo, n, len(part), perr)
				}
				for i, e := range part {
					x := es[lo+i]
					if e.titleTF != x.titleTF || e.bodyTF != x.bodyTF || e.length != x.length {
						t.Fatalf("entry %d read alone %+v, in its run %+v", lo+i, e, x)
					}
				}
			}
		}
		if err != nil {
			return
		}
		if len(es) != n {
			t.Fatalf("decoded %d entries of %d", len(es), n)
		}
		for i, e := range es {
			if i > 0 && e.seq <= es[i-1].seq {
				t.Fatalf("seqs out of order: %d after %d", e.seq, es[i-1].seq)
			}
			title, body, err := e.columns()
			if err == nil && (len(title) != int(e.titleTF) || len(body) != int(e.bodyTF)) {
				t.Fatalf("columns of %d: %d and %d positions, stats say %d and %d", e.seq, len(title), len(body), e.titleTF, e.bodyTF)
			}
		}
	})
}

// TestSetOperations checks the sorted-list operations against maps.
func TestSetOperations(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	list := func(n, span int) []int64 {
		var out []int64
		for range n {
			out = append(out, int64(rng.IntN(span)))
		}
		slices.Sort(out)
		return slices.Compact(out)
	}
	for range 300 {
		a, b, c := list(rng.IntN(40), 100), list(rng.IntN(2000), 3000), list(rng.IntN(60), 100)
		// Two dense lists over shifted spans (met in a bitset).
		d, e := list(rng.IntN(2000), 2500), list(rng.IntN(2500), 2500)
		shift := int64(rng.IntN(600))
		for i := range e {
			e[i] += shift
		}
		in := func(l []int64, x int64) bool { _, ok := slices.BinarySearch(l, x); return ok }
		var wantAnd, wantOr, wantNot, wantAll, wantDense []int64
		for x := int64(0); x < 3000; x++ {
			if in(d, x) && in(e, x) {
				wantDense = append(wantDense, x)
			}
			if in(a, x) && in(b, x) {
				wantAnd = append(wantAnd, x)
			}
			if in(a, x) || in(b, x) || in(c, x) {
				wantOr = append(wantOr, x)
			}
			if in(b, x) && !in(a, x) {
				wantNot = append(wantNot, x)
			}
			if in(a, x) && in(b, x) && in(c, x) {
				wantAll = append(wantAll, x)
			}
		}
		eq := func(what string, got, want []int64) {
			if len(got) != len(want) || len(got) > 0 && !slices.Equal(got, want) {
				t.Fatalf("%s = %v, want %v", what, got, want)
			}
		}
		eq("intersect", intersect(a, b), wantAnd)
		eq("intersect reversed", intersect(b, a), wantAnd)
		eq("intersect, dense", intersect(d, e), wantDense)
		eq("intersect, dense, reversed", intersect(e, d), wantDense)
		eq("andAll", andAll([]docSet{listSet(b), listSet(c), listSet(a)}).slice(), wantAll)
		eq("unionAll", unionAll([][]int64{a, b, c}), wantOr)
		eq("union of two", unionAll([][]int64{a, unionAll([][]int64{b, c})}), wantOr)
		sparse := []int64{1 << 40}
		eq("union, sparse", unionAll([][]int64{a, b, c, sparse}), append(slices.Clone(wantOr), sparse...))
		eq("difference", difference(b, a), wantNot)
	}
}

// TestPostingsMerged writes runFanout² + 3 transactions and checks the
// runs their merges leave (a token's runs: one of level 2, three of level
// 0), that searches count what the documents hold, and that deleting a
// collection takes its documents out of the merged runs, on SQLite and, if
// MOSAIC_TEST_POSTGRES is set, on PostgreSQL.
func TestPostingsMerged(t *testing.T) {
	onBothStores(t, testPostingsMerged)
	// Runs of 5 documents, and merges reading 3 runs at a time: a token's
	// runs of a level fill more than a read, and are read alone.
	t.Run("short runs", func(t *testing.T) {
		withRunLimits(t, 5, 3)
		onBothStores(t, testPostingsMerged)
	})
}

func testPostingsMerged(t *testing.T, s *Store) {
	ctx := context.Background()
	for _, c := range []string{"even", "odd"} {
		if _, err := s.EnsureCollection(ctx, c, "Customs"); err != nil {
			t.Fatal(err)
		}
	}
	const writes = runFanout*runFanout + 3
	type doc struct{ falcon, phrase, reversed, even bool }
	var docs []doc
	for w := range writes {
		var batch []store.Ingested
		for j := range 2 {
			i := 2*w + j
			d := doc{falcon: i%3 == 0, phrase: i%5 == 0, reversed: i%5 == 1, even: w%2 == 0}
			text := fmt.Sprintf("Entry %d: the courier arrived.", i)
			if d.falcon {
				text += " The Falcon watched."
			}
			if d.phrase {
				text += " He took the night train."
			}
			if d.reversed {
				text += " The train left at night."
			}
			c := "odd"
			if d.even {
				c = "even"
			}
			batch = append(batch, store.Ingested{Collection: c, Doc: mosaic.Document{ID: mosaic.NewDocID([]byte(text)),
				Title: fmt.Sprintf("Report %d", i), Text: text, Format: mosaic.FormatText, Size: int64(len(text))}})
			docs = append(docs, d)
		}
		if _, err := s.Add(ctx, batch); err != nil {
			t.Fatal(err)
		}
	}
	levels := map[int]int{}
	rows, err := s.db.QueryContext(ctx, `SELECT level FROM postings WHERE token = ?`, s.crypt.writer().token("courier"))
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var l int
		if err := rows.Scan(&l); err != nil {
			t.Fatal(err)
		}
		levels[l]++
	}
	rows.Close()
	// The 128 documents of the first 64 writes merged at level 2, in runs
	// of runMaxDocs; the last 3 writes' runs of level 0.
	if top := (2*runFanout*runFanout + runMaxDocs - 1) / runMaxDocs; len(levels) != 2 || levels[2] != top || levels[0] != 3 {
		t.Errorf("runs of a word in every document, by level: %v, want %d of level 2 and three of level 0", levels, top)
	}
	check := func(when string) {
		t.Helper()
		indexed := checkPostings(t, s)
		count := func(keep func(doc) bool) int {
			n := 0
			for _, d := range docs {
				if keep(d) {
					n++
				}
			}
			return n
		}
		if n := count(func(doc) bool { return true }); len(indexed) != n {
			t.Errorf("%s: the index holds %d documents, want %d", when, len(indexed), n)
		}
		for _, c := range []struct {
			query string
			keep  func(doc) bool
		}{
			{"courier", func(doc) bool { return true }},
			{"falcon", func(d doc) bool { return d.falcon }},
			{"falc*", func(d doc) bool { return d.falcon }},
			{`"night train"`, func(d doc) bool { return d.phrase }},
			{"night train", func(d doc) bool { return d.phrase || d.reversed }},
			{"courier -falcon", func(d doc) bool { return !d.falcon }},
			{`falcon OR "train left"`, func(d doc) bool { return d.falcon || d.reversed }},
		} {
			res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(c.query), Limit: 5})
			if want := count(c.keep); err != nil || res.Total != want {
				t.Errorf("%s: search %s: %d matches (%v), want %d", when, c.query, res.Total, err, want)
			}
		}
		var total int
		if err := s.db.QueryRowContext(ctx, `SELECT docs FROM postings_totals`).Scan(&total); err != nil || total != len(docs) {
			t.Errorf("%s: the index counts %d documents (%v), want %d", when, total, err, len(docs))
		}
	}
	check("after the merges")
	// A word in every document keeps its merged runs' seqs as bits (a
	// write's two documents are shorter as distances); one in a single
	// document, as distances.
	var bits, all int
	if err := s.db.QueryRowContext(ctx, `SELECT sum(CASE WHEN length(seqs) < n THEN 1 ELSE 0 END), count(*) FROM postings WHERE token = ? AND level > 0`,
		s.crypt.writer().token("courier")).Scan(&bits, &all); err != nil || bits == 0 || bits != all {
		t.Errorf("runs of a word in every document: %d of %d as bits (%v), want all", bits, all, err)
	}
	if err := s.db.QueryRowContext(ctx, `SELECT sum(CASE WHEN length(seqs) < n THEN 1 ELSE 0 END), count(*) FROM postings WHERE token = ?`,
		s.crypt.writer().token("17")).Scan(&bits, &all); err != nil || bits != 0 || all == 0 {
		t.Errorf("runs of a word in one document: %d of %d as bits (%v), want none", bits, all, err)
	}
	if _, err := s.DeleteCollection(ctx, "odd", "admin", "test"); err != nil {
		t.Fatal(err)
	}
	kept := docs[:0]
	for _, d := range docs {
		if d.even {
			kept = append(kept, d)
		}
	}
	docs = kept
	check("after deleting a collection")
}

// TestScoresAsFTS5 holds the index's scores to SQLite FTS5's bm25, the
// ranking it replaced, as an oracle: the same documents' tokens in an
// FTS5 table, asked the same queries, give the same documents and the
// same scores.
func TestScoresAsFTS5(t *testing.T) {
	t.Run("runs of the default length", testScoresAsFTS5)
	t.Run("runs of 7 documents", func(t *testing.T) {
		withRunLimits(t, 7, mergeRows)
		testScoresAsFTS5(t)
	})
}

// withRunLimits sets, for a test, the most documents a run holds and how
// many runs a merge reads at a time.
func withRunLimits(t *testing.T, docs, rows int) {
	oldDocs, oldRows := runMaxDocs, mergeRows
	runMaxDocs, mergeRows = docs, rows
	t.Cleanup(func() { runMaxDocs, mergeRows = oldDocs, oldRows })
}

func testScoresAsFTS5(t *testing.T) {
	ctx := context.Background()
	s := openKeyed(t, t.TempDir(), mustKey(t))
	defer s.Close()
	if _, err := s.EnsureCollection(ctx, "desk", "Press"); err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	words := strings.Fields("falcon courier night train harbour quarry cell convoy north road the a of met left")
	fts, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer fts.Close()
	fts.SetMaxOpenConns(1)
	if _, err := fts.Exec(`CREATE VIRTUAL TABLE f USING fts5 (title, body, tokenize = 'ascii')`); err != nil {
		t.Fatal(err)
	}
	k := s.crypt.writer()
	tokens := func(text string) string {
		var out []string
		eachWord(text, func(_, _ int, w string) bool {
			out = append(out, k.token(w))
			return true
		})
		return strings.Join(out, " ")
	}
	for i := range 300 {
		text := func(n int) string {
			var b []string
			for range n {
				b = append(b, words[rng.IntN(len(words))])
			}
			return strings.Join(b, " ")
		}
		title, body := text(1+rng.IntN(4)), text(5+rng.IntN(120))
		d := mosaic.Document{ID: mosaic.NewDocID([]byte(fmt.Sprint(i, title, body))), Title: title, Text: body, Format: mosaic.FormatText, Size: int64(len(body))}
		if _, err := s.Add(ctx, []store.Ingested{{Collection: "desk", Doc: d}}); err != nil {
			t.Fatal(err)
		}
		var seq int64
		if err := s.db.QueryRowContext(ctx, `SELECT seq FROM documents WHERE id = ?`, string(d.ID)).Scan(&seq); err != nil {
			t.Fatal(err)
		}
		if _, err := fts.Exec(`INSERT INTO f (rowid, title, body) VALUES (?, ?, ?)`, seq, tokens(title), tokens(body)); err != nil {
			t.Fatal(err)
		}
	}
	fts5 := func(m match) string {
		clause := func(ps []phrase) string {
			var alts []string
			for _, p := range ps {
				alts = append(alts, `"`+strings.Join(p, " ")+`"`)
			}
			return "(" + strings.Join(alts, " OR ") + ")"
		}
		var all []string
		for _, c := range m.all {
			all = append(all, clause(c))
		}
		expr := "(" + strings.Join(all, " AND ") + ")"
		for _, c := range m.none {
			expr = "(" + expr + " NOT " + clause(c) + ")"
		}
		return expr
	}
	for _, q := range []string{"falcon", "falcon courier", `"night train"`, "harbour OR quarry", "convoy -falcon", "fal*", `"the falcon" north`, "cell cell", `falcon "the falcon"`} {
		m, got := searchAll(t, s, q)
		rows, err := fts.Query(`SELECT rowid, -bm25(f, 5.0, 1.0) FROM f WHERE f MATCH ? ORDER BY bm25(f, 5.0, 1.0), rowid`, fts5(m))
		if err != nil {
			t.Fatal(err)
		}
		var want []ranked
		for rows.Next() {
			var r ranked
			if err := rows.Scan(&r.seq, &r.score); err != nil {
				t.Fatal(err)
			}
			want = append(want, r)
		}
		rows.Close()
		if len(want) == 0 || got.total != len(want) || len(got.page) != len(want) {
			t.Fatalf("%s: %d matches, %d on the page; FTS5 finds %d", q, got.total, len(got.page), len(want))
		}
		for i, w := range want {
			g := got.page[i]
			if g.seq != w.seq || math.Abs(g.score-w.score) > 1e-9*math.Max(1, math.Abs(w.score)) {
				t.Errorf("%s: hit %d = document %d scoring %v, FTS5 gives %d scoring %v", q, i, g.seq, g.score, w.seq, w.score)
				break
			}
		}
		// Pages of a search that ranks only the newest matches, within
		// runs of many documents, into the older ones past them: the
		// newest ranked by FTS5's scores, the older newest first, each
		// with its FTS5 score.
		const rank, limit = 20, 15
		byAge := slices.Clone(want)
		slices.SortFunc(byAge, func(a, b ranked) int { return cmp.Compare(b.seq, a.seq) })
		expect := slices.Clone(byAge[:min(rank, len(byAge))])
		slices.SortFunc(expect, func(a, b ranked) int {
			return cmp.Or(cmp.Compare(b.score, a.score), cmp.Compare(a.seq, b.seq))
		})
		expect = append(expect, byAge[min(rank, len(byAge)):]...)
		for offset := 0; offset < len(expect); offset += 2 * limit / 3 {
			page, err := searchIndex(ctx, s.db, m, "", searchPage{limit: limit, offset: offset, rank: rank})
			if err != nil {
				t.Fatal(err)
			}
			w := expect[offset:min(offset+limit, len(expect))]
			if len(page.page) != len(w) {
				t.Fatalf("%s, offset %d: %d hits, want %d", q, offset, len(page.page), len(w))
			}
			for i, g := range page.page {
				if g.seq != w[i].seq || math.Abs(g.score-w[i].score) > 1e-9*math.Max(1, math.Abs(w[i].score)) {
					t.Fatalf("%s, offset %d: hit %d = document %d scoring %v, want %d scoring %v", q, offset, i, g.seq, g.score, w[i].seq, w[i].score)
				}
			}
		}
	}
}

// TestIndexUpgrade opens stores of the release before the index (schema
// 20, FTS5) and checks that every document is indexed once, under the key
// that sealed it: a store at rest, and one left in the middle of a key
// rotation, whose documents sealed with the new key are indexed when the
// rotation goes on.
func TestIndexUpgrade(t *testing.T) {
	ctx := context.Background()
	// back takes the store in dir down to schema 20, its documents' key
	// versions as they were (the down migration marks them for the
	// release before to index).
	back := func(t *testing.T, dir string, key []byte) {
		t.Helper()
		s := openKeyed(t, dir, key)
		defer s.Close()
		versions := map[int64]int{}
		rows, err := s.db.raw.Query(`SELECT seq, key_version FROM documents`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var seq int64
			var v int
			if err := rows.Scan(&seq, &v); err != nil {
				t.Fatal(err)
			}
			versions[seq] = v
		}
		rows.Close()
		if _, err := migrationsOn(t, s.db.raw).DownTo(ctx, 20); err != nil {
			t.Fatal(err)
		}
		for seq, v := range versions {
			if _, err := s.db.raw.Exec(`UPDATE documents SET key_version = ? WHERE seq = ?`, v, seq); err != nil {
				t.Fatal(err)
			}
		}
	}
	indexed := func(t *testing.T, s *Store, docs []mosaic.Document) {
		t.Helper()
		var pending, counted int
		if err := s.db.raw.QueryRow(`SELECT (SELECT count(*) FROM postings_pending), (SELECT docs FROM postings_totals)`).Scan(&pending, &counted); err != nil {
			t.Fatal(err)
		}
		if pending != 0 || counted != len(docs) {
			t.Errorf("%d documents pending, %d counted; want 0 and %d", pending, counted, len(docs))
		}
		if got := checkPostings(t, s); len(got) != len(docs) {
			t.Errorf("the index holds %d documents, want %d", len(got), len(docs))
		}
		checkReadable(t, s, docs)
	}
	t.Run("at rest", func(t *testing.T) {
		dir, key := t.TempDir(), mustKey(t)
		s := openKeyed(t, dir, key)
		docs := secretDocs(sealBatch + 7)
		addDocs(t, s, docs)
		s.Close()
		back(t, dir, key)
		var reports []string
		s, err := OpenSQLite(ctx, dir, WithKey(key), WithProgress(func(what string, done, total int) {
			reports = append(reports, fmt.Sprintf("%s %d/%d", what, done, total))
		}))
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		indexed(t, s, docs)
		want := fmt.Sprintf("indexing documents for search %d/%d", len(docs), len(docs))
		if len(reports) != 2 || reports[len(reports)-1] != want {
			t.Errorf("progress reported %q, want two batches ending %q", reports, want)
		}
	})
	t.Run("mid-rotation", func(t *testing.T) {
		dir, oldKey, newKey := t.TempDir(), mustKey(t), mustKey(t)
		s := openKeyed(t, dir, oldKey)
		docs := secretDocs(2*sealBatch + 10)
		addDocs(t, s, docs)
		cctx, cancel := context.WithCancel(ctx)
		if err := s.RotateKey(cctx, newKey, func(int, int) { cancel() }); err == nil {
			t.Fatal("a cancelled rotation returned nil")
		}
		s.Close()
		back(t, dir, oldKey)
		s = openKeyed(t, dir, oldKey)
		var pending int
		if err := s.db.raw.QueryRow(`SELECT count(*) FROM postings_pending`).Scan(&pending); err != nil || pending != sealBatch {
			t.Errorf("documents of the new key pending after the upgrade: %d (%v), want %d", pending, err, sealBatch)
		}
		if err := s.RotateKey(ctx, newKey, nil); err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		indexed(t, s, docs)
		old, err := newKeyring(oldKey, 1)
		if err != nil {
			t.Fatal(err)
		}
		var n int
		if err := s.db.raw.QueryRow(`SELECT count(*) FROM postings WHERE token = ?`, old.token("vexborough")).Scan(&n); err != nil || n != 0 {
			t.Errorf("runs of the old key's token: %d (%v), want 0", n, err)
		}
	})
}

// TestScoresMidRotation: while a key rotation is unfinished, documents
// resealed (indexed under both keys until it ends) and the others score
// as they did before it began, and are counted once.
func TestScoresMidRotation(t *testing.T) {
	ctx := context.Background()
	dir, oldKey := t.TempDir(), mustKey(t)
	s := openKeyed(t, dir, oldKey)
	defer s.Close()
	docs := secretDocs(2*sealBatch + 10)
	for i := range docs {
		if i%3 == 0 { // lengths and counts that differ
			docs[i].Text += " Vexborough again, and the courier Vexborough once more."
			docs[i].ID = mosaic.NewDocID([]byte(docs[i].Text))
		}
	}
	addDocs(t, s, docs)
	scores := func() map[int64]float64 {
		out := map[int64]float64{}
		for _, q := range []string{"vexborough courier", `"xanthippic cipher"`, "vexbo*"} {
			_, got := searchAll(t, s, q)
			if got.total != len(docs) {
				t.Errorf("%s: %d matches, want %d", q, got.total, len(docs))
			}
			for _, r := range got.page {
				out[r.seq] += r.score
			}
		}
		return out
	}
	before := scores()
	cctx, cancel := context.WithCancel(ctx)
	if err := s.RotateKey(cctx, mustKey(t), func(int, int) { cancel() }); err == nil {
		t.Fatal("a cancelled rotation returned nil")
	}
	during := scores()
	for seq, want := range before {
		if got := during[seq]; math.Abs(got-want) > 1e-9 {
			t.Errorf("document %d scores %v during the rotation, %v before", seq, got, want)
		}
	}
}

// searchAll asks s's index the query q, every match ranked on one page,
// and returns the match it asked and what it found.
func searchAll(t *testing.T, s *Store, q string) (match, searched) {
	t.Helper()
	ctx := context.Background()
	m, err := s.matchOf(ctx, search.Parse(q))
	if err != nil {
		t.Fatal(err)
	}
	got, err := searchIndex(ctx, s.db, m, "", searchPage{limit: 1000, rank: 1000})
	if err != nil {
		t.Fatal(err)
	}
	return m, got
}

// TestCorruptRun: a damaged run fails the searches of its token with an
// error, and the writes that come to merge it go on, merging the others;
// also with merges reading 3 runs at a time, so that a token's runs are
// read alone.
func TestCorruptRun(t *testing.T) {
	t.Run("pages of 4096 runs", testCorruptRun)
	t.Run("pages of 3 runs", func(t *testing.T) {
		withRunLimits(t, runMaxDocs, 3)
		testCorruptRun(t)
	})
}

func testCorruptRun(t *testing.T) {
	ctx := context.Background()
	s := openKeyed(t, t.TempDir(), mustKey(t))
	defer s.Close()
	if _, err := s.EnsureCollection(ctx, "desk", "Press"); err != nil {
		t.Fatal(err)
	}
	add := func(i int) {
		t.Helper()
		text := fmt.Sprintf("Entry %d: the courier arrived.", i)
		d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "Report", Text: text, Format: mosaic.FormatText, Size: int64(len(text))}
		if _, err := s.Add(ctx, []store.Ingested{{Collection: "desk", Doc: d}}); err != nil {
			t.Fatalf("add %d: %v", i, err)
		}
	}
	add(0)
	if _, err := s.db.ExecContext(ctx, `UPDATE postings SET seqs = ? WHERE token = ?`, []byte{0x80}, s.crypt.writer().token("courier")); err != nil {
		t.Fatal(err)
	}
	for i := 1; i < 2*runFanout; i++ { // 16 writes: two merges of level 0
		add(i)
	}
	if _, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("courier")}); err == nil || !strings.Contains(err.Error(), "corrupt") {
		t.Errorf("search of the damaged token: %v, want an error saying the index is corrupt", err)
	}
	if res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("arrived")}); err != nil || res.Total != 2*runFanout {
		t.Errorf("search of another token: %d matches (%v), want %d", res.Total, err, 2*runFanout)
	}
	// The other tokens' runs were merged: level 0 holds none of them.
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM postings WHERE level = 0 AND token = ?`, s.crypt.writer().token("arrived")).Scan(&n); err != nil || n != 0 {
		t.Errorf("runs of level 0 of another token after %d writes: %d (%v), want 0", 2*runFanout, n, err)
	}
}

// denseLists are two lists of a common name's density: each word of it in
// half of 600,000 documents.
func denseLists() (a, b []int64) {
	rng := rand.New(rand.NewPCG(5, 6))
	for seq := int64(1); seq <= 600000; seq++ {
		if rng.IntN(2) == 0 {
			a = append(a, seq)
		}
		if rng.IntN(2) == 0 {
			b = append(b, seq)
		}
	}
	return a, b
}

// BenchmarkIntersectDense intersects two words' documents, as a search for
// a common name does.
func BenchmarkIntersectDense(b *testing.B) {
	x, y := denseLists()
	for b.Loop() {
		intersect(x, y)
	}
}

// BenchmarkDecodeSeqs decodes a common word's run of 300,000 documents.
func BenchmarkDecodeSeqs(b *testing.B) {
	x, _ := denseLists()
	var w runWriter
	for _, seq := range x {
		w.add(runEntry{seq: seq})
	}
	into := make([]int64, 0, len(x))
	for b.Loop() {
		if _, err := decodeSeqs(w.seqs, w.n, into[:0]); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkDecodeSeqBits decodes the same run into bits, as a search
// does a word in most documents.
// TestSeqsAsBits checks runs whose seqs are stored as bits (more than
// about one document in eight): chosen exactly when shorter, decoded into
// a list and into a set's bits as the distances they replace are, and
// refused when damaged.
func TestSeqsAsBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for _, c := range []struct {
		first int64
		every int // a document in every
		n     int
	}{{1, 1, 4096}, {70, 2, 3000}, {5, 7, 500}, {1 << 40, 3, 64}, {63, 9, 800}, {1000, 100, 300}, {9, 1, 1}, {9, 1, 2},
		// Bits as long as the run's count (two bytes of first, one of
		// bits, three documents): distances, though longer; bits that
		// would end past 2^62: distances. Eight in one byte of bits.
		{316, 1, 3}, {1<<62 - 15, 1, 16}, {9, 1, 8}} {
		w := &runWriter{}
		var list []int64
		for seq := c.first; len(list) < c.n; seq++ {
			if len(list) == 0 || rng.IntN(c.every) == 0 {
				list = append(list, seq)
				w.add(runEntry{seq: seq, bodyTF: 1, length: 3})
			}
		}
		col := w.seqsColumn()
		bitsSize := uvarintLen(uint64(c.first)) + int((w.last-w.first)/8+1)
		want, bits := len(w.seqs), bitsSize < w.n && c.first <= 1<<62-8*int64(bitsSize-uvarintLen(uint64(c.first)))
		if bits {
			want = bitsSize
		}
		if asBits := len(col) < w.n; asBits != bits || len(col) != want {
			t.Errorf("%d seqs, one in %d: stored in %d bytes (bits %d, distances %d)", c.n, c.every, len(col), bitsSize, len(w.seqs))
		}
		got, err := decodeSeqs(col, w.n, nil)
		if err != nil || !slices.Equal(got, list) {
			t.Fatalf("%d seqs, one in %d: decoded %d (%v)", c.n, c.every, len(got), err)
		}
		// Into bits whose base is not the run's first, nor a word before.
		set := bitsFor(c.first-130, w.last+200)
		if err := decodeSeqBits(col, w.n, w.first, w.last, &set); err != nil || !slices.Equal(set.counted().slice(), list) {
			t.Fatalf("%d seqs, one in %d: into bits %d (%v)", c.n, c.every, set.counted().n, err)
		}
		if es, err := decodeRun(w.n, col, w.stats, w.positions); err != nil || len(es) != len(list) || es[len(es)-1].seq != w.last {
			t.Fatalf("%d seqs, one in %d: run decoded %d (%v)", c.n, c.every, len(es), err)
		}
		if len(col) >= w.n {
			continue
		}
		head := uvarintLen(uint64(c.first))
		damaged := map[string]struct {
			col         []byte
			n           int
			first, last int64
		}{
			"a bit flipped":           {flip(col, head+len(col[head:])/2, 0x10), w.n, w.first, w.last},
			"the first's bit unset":   {flip(col, head, 1), w.n - 1, w.first, w.last},
			"a byte over":             {append(slices.Clone(col), 0), w.n, w.first, w.last},
			"a document more":         {col, w.n + 1, w.first, w.last},
			"another first":           {col, w.n, w.first + 1, w.last + 1},
			"another last":            {col, w.n, w.first, w.last - 1},
			"bits past the last set":  {col, w.n, w.first, w.last + 8},
			"a last before the first": {col, w.n, w.first, w.first - 1},
		}
		for what, d := range damaged {
			if _, err := decodeSeqs(d.col, d.n, nil); err == nil && d.first == w.first && d.last == w.last {
				t.Errorf("%d seqs, one in %d, %s: decoded", c.n, c.every, what)
			}
			set := bitsFor(w.first-130, w.last+200)
			if err := decodeSeqBits(d.col, d.n, d.first, d.last, &set); err == nil {
				t.Errorf("%d seqs, one in %d, %s: decoded into bits", c.n, c.every, what)
			}
		}
	}
}

// flip returns a copy of b with the bits mask of its byte i flipped.
func flip(b []byte, i int, mask byte) []byte {
	b = slices.Clone(b)
	b[i] ^= mask
	return b
}

// TestDecodeSeqBits holds the decoder of a dense run into bits, which
// reads eight one-byte steps at once, to the list decoder, and to refusing
// a run that steps past its last, repeats a seq or leaves bytes over
// wherever in the eight that happens.
func TestDecodeSeqBits(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	steps := make([]uint64, 200)
	for k := range steps {
		steps[k] = uint64(1 + rng.IntN(127))
		if rng.IntN(10) == 0 {
			steps[k] = uint64(128 + rng.IntN(300)) // two bytes
		}
	}
	encode := func(steps []uint64) []byte {
		b := []byte{9} // the first seq
		for _, v := range steps {
			b = binary.AppendUvarint(b, v)
		}
		return b
	}
	list := []int64{9}
	for _, v := range steps {
		list = append(list, list[len(list)-1]+int64(v))
	}
	n, first, last := len(list), list[0], list[len(list)-1]
	decode := func(b []byte, n int, last int64) (docSet, error) {
		bits := bitsFor(0, last+1000)
		err := decodeSeqBits(b, n, first, last, &bits)
		return bits.counted(), err
	}
	if bits, err := decode(encode(steps), n, last); err != nil || !slices.Equal(bits.slice(), list) {
		t.Fatalf("bits %v (%v), list %v", bits.slice(), err, list)
	}
	for k := range 20 { // each place of the first eights
		// A seq twice: its bits alone could not tell.
		zero := slices.Insert(slices.Clone(steps), k, 0)
		if _, err := decode(encode(zero), n+1, last); err == nil {
			t.Errorf("a step of 0 at %d decoded", k)
		}
		// The run's last said to be the seq before step k's: each step
		// from k on passes it.
		if _, err := decode(encode(steps), n, list[k+1]-1); err == nil {
			t.Errorf("steps past the last from step %d decoded", k)
		}
		if _, err := decode(encode(steps), k+2, list[k+1]); err == nil {
			t.Errorf("a run of %d seqs read as %d decoded", n, k+2)
		}
	}
}

func BenchmarkDecodeSeqBits(b *testing.B) {
	x, _ := denseLists()
	var w runWriter
	for _, seq := range x {
		w.add(runEntry{seq: seq})
	}
	first, last := x[0], x[len(x)-1]
	for _, c := range []struct {
		name string
		seqs []byte
	}{{"distances", w.seqs}, {"bits", w.seqsColumn()}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.seqs)))
			for b.Loop() {
				s := bitsFor(first, last)
				if err := decodeSeqBits(c.seqs, w.n, first, last, &s); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestMergeReadsInOrder checks that a merge's runs are read in the order
// of an index (a page, the page after a token, a token's runs), not sorted
// from every run of the level each time.
func TestMergeReadsInOrder(t *testing.T) {
	s := openKeyed(t, t.TempDir(), mustKey(t))
	defer s.Close()
	for _, c := range []struct {
		query string
		args  []any
	}{
		{mergeRead, []any{1, "", mergeRows}},
		{mergeReadAfter, []any{1, "", mergeRows}},
		{mergeReadToken, []any{1, ""}},
	} {
		rows, err := s.db.QueryContext(context.Background(), `EXPLAIN QUERY PLAN `+c.query, c.args...)
		if err != nil {
			t.Fatal(err)
		}
		var plan []string
		for rows.Next() {
			var id, parent, unused int
			var detail string
			if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
				t.Fatal(err)
			}
			plan = append(plan, detail)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
		// One search of an index on (level, token) in order, no sort.
		if len(plan) != 1 || !strings.Contains(plan[0], "SEARCH postings USING ") || !strings.Contains(plan[0], "level=? AND token") {
			t.Errorf("%s\nplanned as %q", c.query, plan)
		}
	}
}

// TestRunsRewritten opens a store whose runs an earlier release wrote
// longer than runMaxDocs and with their seqs as distances (the schema
// before migration 24 on SQLite, 10 on PostgreSQL; eight writes of 540
// documents, merged into runs of 4,320 at level 1) and checks that opening
// it splits them, level kept, into runs of runMaxDocs, stores as bits the
// seqs shorter so, over several transactions (more than rewriteTokens
// words are in every document), and that searches find and score what
// they did. A run listed under a first it no longer has is split all the
// same; one that does not decode stays whole.
func TestRunsRewritten(t *testing.T) {
	ctx := context.Background()
	t.Run("sqlite", func(t *testing.T) {
		dir, key := t.TempDir(), mustKey(t)
		testRunsRewritten(t, func() (*Store, error) { return OpenSQLite(ctx, dir, WithKey(key)) }, 23)
	})
	t.Run("postgres", func(t *testing.T) {
		url, key := postgresSchema(t), mustKey(t)
		testRunsRewritten(t, func() (*Store, error) { return OpenPostgres(ctx, url, "test", WithKey(key)) }, 9)
	})
}

func testRunsRewritten(t *testing.T, open func() (*Store, error), before int64) {
	ctx := context.Background()
	s, err := open()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.EnsureCollection(ctx, "desk", "Press"); err != nil {
		t.Fatal(err)
	}
	const writes, each = runFanout, 540
	const docs = writes * each
	unbounded := runMaxDocs
	runMaxDocs, seqsAsBits = 1<<30, false // as the release before wrote them
	for w := range writes {
		var batch []store.Ingested
		for i := w * each; i < (w+1)*each; i++ {
			text := fmt.Sprintf("Entry %d: the courier arrived at the northern post by the old road with a parcel for the station chief and his deputy.", i)
			if i%3 == 0 {
				text += " He took the night train."
			}
			if i%7 == 0 {
				text += " The courier watched the courier."
			}
			batch = append(batch, store.Ingested{Collection: "desk", Doc: mosaic.Document{ID: mosaic.NewDocID([]byte(text)),
				Title: fmt.Sprintf("Report %d", i%11), Text: text, Format: mosaic.FormatText, Size: int64(len(text))}})
		}
		if _, err = s.Add(ctx, batch); err != nil {
			break
		}
	}
	runMaxDocs, seqsAsBits = unbounded, true
	if err != nil {
		t.Fatal(err)
	}
	k := s.crypt.writer()
	courier, entry := k.token("courier"), k.token("entry")
	runs := func(token string) (n, longest int) {
		t.Helper()
		if err := s.db.QueryRowContext(ctx, `SELECT count(*), max(n) FROM postings WHERE token = ? AND level = 1`, token).Scan(&n, &longest); err != nil {
			t.Fatal(err)
		}
		return n, longest
	}
	if n, longest := runs(courier); n != 1 || longest != docs {
		t.Fatalf("before: %d runs of courier at level 1, the longest %d; want one of %d", n, longest, docs)
	}
	asBits := func() (n int) {
		t.Helper()
		if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM postings WHERE length(seqs) < n`).Scan(&n); err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := asBits(); n != 0 {
		t.Fatalf("before: %d runs with seqs as bits, want none", n)
	}
	queries := []string{"courier", `"night train"`, "courier night", "watched -night", "report"}
	want := map[string]searched{}
	for _, q := range queries {
		_, want[q] = searchAll(t, s, q)
	}
	// The schema of the release before, then the migration listing the
	// long runs; one listed under a first it has lost, one damaged.
	p := migrationsFor(t, s)
	if _, err := p.DownTo(ctx, before); err != nil {
		t.Fatal(err)
	}
	if _, err := p.UpTo(ctx, before+1); err != nil {
		t.Fatal(err)
	}
	var listed int
	if err := s.db.QueryRowContext(ctx, `SELECT count(DISTINCT token) FROM postings_long`).Scan(&listed); err != nil || listed <= rewriteTokens {
		t.Fatalf("%d words' runs listed (%v), want more than %d", listed, err, rewriteTokens)
	}
	for _, q := range []string{
		`UPDATE postings_long SET first = first + 1 WHERE token = ?`,
		`UPDATE postings SET stats = ? WHERE token = ?`,
	} {
		args := []any{courier}
		if strings.Contains(q, "stats") {
			args = []any{[]byte{0xff}, entry}
		}
		if _, err := s.db.ExecContext(ctx, q, args...); err != nil {
			t.Fatal(err)
		}
	}
	s.Close()
	if s, err = open(); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, longest := runs(courier); n != (docs+runMaxDocs-1)/runMaxDocs || longest != runMaxDocs {
		t.Errorf("after: %d runs of courier, the longest %d; want %d, the longest %d", n, longest, (docs+runMaxDocs-1)/runMaxDocs, runMaxDocs)
	}
	if n, longest := runs(entry); n != 1 || longest != docs {
		t.Errorf("after: the damaged run of entry is %d runs, the longest %d; want it whole (%d)", n, longest, docs)
	}
	// Every word of every document but the one damaged (checkPostings
	// below holds each run to the shorter way).
	if n := asBits(); n < 20 {
		t.Errorf("after: %d runs with seqs as bits, want more than 20", n)
	}
	var left int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM postings_rewrite`).Scan(&left); err != nil || left != 0 {
		t.Errorf("runs left to split: %d (%v)", left, err)
	}
	if _, err := s.db.ExecContext(ctx, `DELETE FROM postings WHERE token = ?`, entry); err != nil {
		t.Fatal(err)
	}
	if got := checkPostings(t, s); len(got) != docs {
		t.Errorf("the index holds %d documents, want %d", len(got), docs)
	}
	for _, q := range queries {
		_, got := searchAll(t, s, q)
		w := want[q]
		if got.total != w.total || got.ranked != w.ranked || len(got.page) != len(w.page) {
			t.Errorf("%s: %d matches, %d ranked, %d on the page; before %d, %d, %d", q, got.total, got.ranked, len(got.page), w.total, w.ranked, len(w.page))
			continue
		}
		for i := range w.page {
			if got.page[i] != w.page[i] {
				t.Errorf("%s: hit %d = %+v, before %+v", q, i, got.page[i], w.page[i])
				break
			}
		}
	}
}

// TestBest holds the k best of ranked documents to a whole sort's first
// k, scores tied often.
func TestBest(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for range 300 {
		n := rng.IntN(200)
		rs := make([]ranked, n)
		for i := range rs {
			rs[i] = ranked{seq: int64(rng.IntN(1000)), score: float64(rng.IntN(20)) / 4}
		}
		k := rng.IntN(n + 5)
		want := slices.Clone(rs)
		slices.SortFunc(want, rankOrder)
		want = want[:min(k, n)]
		if got := best(slices.Clone(rs), k); !slices.Equal(got, want) {
			t.Fatalf("best %d of %d: %v, want %v", k, n, got, want)
		}
	}
}
