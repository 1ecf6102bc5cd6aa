package sqlstore

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// secretDocs are documents whose words appear nowhere else in a store (no
// mentions, so no entity names): the raw database must not show them.
func secretDocs(n int) []mosaic.Document {
	var out []mosaic.Document
	for i := range n {
		title := fmt.Sprintf("Quarrelsome ledger %d", i)
		text := fmt.Sprintf("Entry %d: the courier Vexborough handed the parcel over at Liège station; "+
			"the Xanthippic cipher was used again.\nSecond line of entry %d.", i, i)
		out = append(out, mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: title, Text: text,
			Format: mosaic.FormatText, Source: fmt.Sprintf("ledger-%d.txt", i), Size: int64(len(text)),
			Meta: map[string]string{"from": "Ombudsperson Ravensclaw"}})
	}
	return out
}

// secretWords are the words of secretDocs, as written and as the index
// folds them.
var secretWords = []string{"Quarrelsome", "quarrelsome", "Vexborough", "vexborough", "Xanthippic", "xanthippic",
	"Liège", "liege", "parcel", "courier", "Ravensclaw", "ravensclaw", "Ombudsperson"}

func openKeyed(t testing.TB, dir string, key []byte) *Store {
	t.Helper()
	s, err := OpenSQLite(context.Background(), dir, WithKey(key))
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func addDocs(t testing.TB, s *Store, docs []mosaic.Document) {
	t.Helper()
	ctx := context.Background()
	if _, err := s.EnsureCollection(ctx, "ledgers", "Customs"); err != nil {
		t.Fatal(err)
	}
	var batch []store.Ingested
	for _, d := range docs {
		batch = append(batch, store.Ingested{Collection: "ledgers", Doc: d})
	}
	if _, err := s.Add(ctx, batch); err != nil {
		t.Fatal(err)
	}
}

// checkpointed folds the write-ahead log into the database file without
// closing the store, so both files can be read as a thief would.
func checkpointed(t *testing.T, s *Store) {
	t.Helper()
	if busy, err := s.checkpoint(context.Background(), "FULL"); err != nil || busy {
		t.Fatalf("checkpoint: %v, busy %v", err, busy)
	}
}

// assertNoClearText fails if a word of secretWords is in the data
// folder's database or log files.
func assertNoClearText(t *testing.T, dir string) {
	t.Helper()
	read := 0
	for _, name := range []string{FileName, FileName + "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		read += len(b)
		for _, w := range secretWords {
			if bytes.Contains(b, []byte(w)) {
				t.Errorf("%s holds %q in clear", name, w)
			}
		}
	}
	if read == 0 {
		t.Fatal("no database file read")
	}
}

// assertNoTokens fails if a token the key would give any word of docs is
// in the data folder's database or log files: after a rotation, nothing
// indexed under the old key may remain. FTS5 stores a term as the part it
// does not share with the term before it, so the test looks for each
// token's last 12 characters (60 bits: no chance match), which neighbours
// of random tokens do not share.
func assertNoTokens(t *testing.T, dir string, key []byte, version int, docs []mosaic.Document) {
	t.Helper()
	k, err := newKeyring(key, version)
	if err != nil {
		t.Fatal(err)
	}
	tails := map[string]string{}
	for _, d := range docs {
		for _, text := range []string{d.Title, d.Text} {
			eachWord(text, func(_, _ int, w string) bool {
				tails[k.token(w)[4:]] = w
				return true
			})
		}
	}
	for _, name := range []string{FileName, FileName + "-wal"} {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		found := 0
		for tail, w := range tails {
			if bytes.Contains(b, []byte(tail)) {
				if found++; found <= 5 {
					t.Errorf("%s holds the token of %q under key version %d", name, w, version)
				}
			}
		}
		if found > 5 {
			t.Errorf("%s holds %d tokens of key version %d in all", name, found, version)
		}
	}
}

// searchTotal returns how many documents a query finds, and the hits.
func searchTotal(t *testing.T, s *Store, q string) (int, []store.Hit) {
	t.Helper()
	res, err := s.Search(context.Background(), store.SearchRequest{Query: search.Parse(q), Limit: 1000})
	if err != nil {
		t.Fatalf("search %q: %v", q, err)
	}
	return res.Total, res.Hits
}

// checkReadable checks that every document reads back whole and that word,
// phrase and prefix searches find all of them.
func checkReadable(t *testing.T, s *Store, docs []mosaic.Document) {
	t.Helper()
	ctx := context.Background()
	for _, d := range docs {
		got, _, err := s.Document(ctx, d.ID, store.Scope{})
		if err != nil {
			t.Fatalf("document %s: %v", d.ID.Short(), err)
		}
		if got.Title != d.Title || got.Text != d.Text || got.Meta["from"] != d.Meta["from"] {
			t.Fatalf("document %s read back as %q / %q / %v", d.ID.Short(), got.Title, got.Text, got.Meta)
		}
	}
	for _, q := range []string{"vexborough", `"xanthippic cipher"`, "vexbo*", "liege", "quarrelsome"} {
		if n, hits := searchTotal(t, s, q); n != len(docs) || len(hits) != len(docs) || len(hits[0].Highlights) == 0 && q != "quarrelsome" {
			t.Errorf("search %q: %d found, want %d (first hit %+v)", q, n, len(docs), hits[:min(1, len(hits))])
		}
	}
}

// TestEncryptedAtRest: after documents are added, neither the database
// file nor its log holds their titles, words, metadata or index terms in
// clear, and they still read back and are found.
func TestEncryptedAtRest(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenSQLite(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	docs := secretDocs(5)
	addDocs(t, s, docs)
	checkReadable(t, s, docs)
	assertNoClearText(t, dir) // the log before a checkpoint
	checkpointed(t, s)
	assertNoClearText(t, dir)
	// Without a key given, the data folder's key file was made, owner-only.
	fi, err := os.Stat(filepath.Join(dir, KeyFileName))
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("key file: %v, %v; want mode 0600", fi, err)
	}
	// A control: the same check sees text that is in clear.
	b, _ := os.ReadFile(filepath.Join(dir, FileName))
	if !bytes.Contains(b, []byte("ledgers")) {
		t.Error("the collection's name is not in the database: the byte search is not looking at its content")
	}
}

// TestWrongKey: a store opened with another key, or with none once its
// key file is gone, is refused with an error naming the data folder and
// never the key; the right key in MOSAIC_KEY opens it.
func TestWrongKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	key, other := mustKey(t), mustKey(t)
	s := openKeyed(t, dir, key)
	docs := secretDocs(2)
	addDocs(t, s, docs)
	s.Close()

	_, err := OpenSQLite(ctx, dir, WithKey(other))
	if !errors.Is(err, ErrWrongKey) || !strings.Contains(err.Error(), dir) {
		t.Errorf("open with another key: %v; want ErrWrongKey naming %s", err, dir)
	}
	for _, k := range [][]byte{key, other} {
		if err != nil && strings.Contains(err.Error(), base64.StdEncoding.EncodeToString(k)) {
			t.Errorf("error %q shows a key", err)
		}
	}
	if _, err := OpenSQLite(ctx, dir, WithKey(key[:16])); err == nil {
		t.Error("a 16-byte key was taken")
	}
	// No key given and no key file: refused, not a new key.
	_, err = OpenSQLite(ctx, dir)
	if !errors.Is(err, ErrWrongKey) {
		t.Errorf("open with no key: %v; want ErrWrongKey", err)
	}
	if _, err := os.Stat(filepath.Join(dir, KeyFileName)); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a key file was made for an encrypted store: %v", err)
	}
	t.Setenv(EnvKey, base64.StdEncoding.EncodeToString(key))
	s, err = OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatalf("open with %s: %v", EnvKey, err)
	}
	defer s.Close()
	checkReadable(t, s, docs)
}

// TestSwappedCiphertext: a sealed value moved to another row, or another
// column, does not open.
func TestSwappedCiphertext(t *testing.T) {
	ctx := context.Background()
	s := openKeyed(t, t.TempDir(), mustKey(t))
	defer s.Close()
	docs := secretDocs(2)
	addDocs(t, s, docs)
	if _, err := s.db.raw.Exec(`UPDATE documents SET body = (SELECT body FROM documents WHERE id = ?) WHERE id = ?`, string(docs[0].ID), string(docs[1].ID)); err != nil {
		t.Fatal(err)
	}
	if _, err := s.db.raw.Exec(`UPDATE documents SET title = body WHERE id = ?`, string(docs[0].ID)); err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		if got, _, err := s.Document(ctx, d.ID, store.Scope{}); err == nil {
			t.Errorf("document %s with a moved value read as %q / %q", d.ID.Short(), got.Title, got.Text)
		}
	}
}

// TestRotateKey rotates a store's key, interrupted once: until the rotation
// is finished the old key opens the store and the new one does not; after
// it, the old key is refused, and the new one reads and finds everything.
func TestRotateKey(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	oldKey, newKey := mustKey(t), mustKey(t)
	s := openKeyed(t, dir, oldKey)
	docs := secretDocs(2*sealBatch + 10)
	addDocs(t, s, docs)

	// Interrupted after its first batch.
	cctx, cancel := context.WithCancel(ctx)
	err := s.RotateKey(cctx, newKey, func(done, total int) {
		if total != len(docs) {
			t.Errorf("progress total %d, want %d", total, len(docs))
		}
		cancel()
	})
	if err == nil {
		t.Fatal("a cancelled rotation returned nil")
	}
	s.Close()
	if _, err := OpenSQLite(ctx, dir, WithKey(newKey)); !errors.Is(err, ErrWrongKey) || !strings.Contains(err.Error(), "unfinished") {
		t.Errorf("open with the new key of an unfinished rotation: %v", err)
	}
	s = openKeyed(t, dir, oldKey)
	if _, _, err := s.Document(ctx, docs[0].ID, store.Scope{}); err == nil || !strings.Contains(err.Error(), "rotate") {
		t.Errorf("a document sealed with the unfinished rotation's key: %v; want an error saying to rotate again", err)
	}
	if err := s.RotateKey(ctx, mustKey(t), nil); err == nil {
		t.Error("a rotation to a third key began while one was unfinished")
	}
	var last [2]int
	if err := s.RotateKey(ctx, newKey, func(done, total int) { last = [2]int{done, total} }); err != nil {
		t.Fatal(err)
	}
	if last[0] != last[1] || last[0] == 0 {
		t.Errorf("last progress %v, want done = total", last)
	}
	// The index compacted and the log truncated, nothing of the old key
	// is left.
	assertNoTokens(t, dir, oldKey, 1, docs)
	checkReadable(t, s, docs) // the same store, after the rotation
	s.Close()

	if _, err := OpenSQLite(ctx, dir, WithKey(oldKey)); !errors.Is(err, ErrWrongKey) {
		t.Errorf("open with the old key after the rotation: %v; want ErrWrongKey", err)
	}
	s = openKeyed(t, dir, newKey)
	defer s.Close()
	checkReadable(t, s, docs)
	var versions []int
	rows, err := s.db.raw.Query(`SELECT DISTINCT key_version FROM documents UNION SELECT version FROM crypt_keys UNION SELECT DISTINCT version FROM vocabulary`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var v int
		rows.Scan(&v)
		versions = append(versions, v)
	}
	rows.Close()
	if !slices.Equal(versions, []int{2}) {
		t.Errorf("key versions in use after the rotation: %v, want [2]", versions)
	}
	if err := s.RotateKey(ctx, newKey, nil); err == nil {
		t.Error("rotating to the key in use succeeded")
	}
	checkpointed(t, s)
	assertNoClearText(t, dir)
	assertNoTokens(t, dir, oldKey, 1, docs)
}

// TestSealClearStore: a store an older release kept in clear (its text in
// the documents table, an index of words) is sealed when opened, leaving
// no clear text in its files, and reads and searches as before.
func TestSealClearStore(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s := openKeyed(t, dir, mustKey(t))
	docs := secretDocs(sealBatch + 7)
	addDocs(t, s, docs)
	// Back to the schema before encryption, with the text in clear as
	// that release stored it and its index rebuilt from it.
	if _, err := migrationsOn(t, s.db.raw).DownTo(ctx, 10); err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		_, err := s.db.raw.Exec(`UPDATE documents SET title = ?, body = ?, meta = ? WHERE id = ?`,
			d.Title, d.Text, `{"from":"`+d.Meta["from"]+`"}`, string(d.ID))
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.db.raw.Exec(`INSERT INTO documents_fts (documents_fts) VALUES ('rebuild')`); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.db.raw.QueryRow(`SELECT count(*) FROM documents_fts WHERE documents_fts MATCH 'vexborough'`).Scan(&n); err != nil || n != len(docs) {
		t.Fatalf("the clear store's index finds %d documents (%v), want %d", n, err, len(docs))
	}
	s.Close()
	b, _ := os.ReadFile(filepath.Join(dir, FileName))
	if !bytes.Contains(b, []byte("Vexborough")) {
		t.Fatal("the clear store does not hold its text in clear: the test builds it wrong")
	}

	s, err := OpenSQLite(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	checkReadable(t, s, docs)
	assertNoClearText(t, dir)
	checkpointed(t, s)
	assertNoClearText(t, dir)
}

// TestWordsAsQueriesSplit: the index splits and folds a text into the same
// words as the query language does, so that every word typed finds the
// text it was copied from.
func TestWordsAsQueriesSplit(t *testing.T) {
	for _, text := range []string{
		"Abou Hafs al-Tunsi, 2015", "Café in LIÈGE; José's", "İstanbul ǅemal straße", "مُحَمَّد عبد الله",
		"北京 東京", "e\u0301tude naïve", "x\u0301\u0301 y", "a_b c.d", "\u00a0non\u2009breaking",
	} {
		var got []string
		eachWord(text, func(_, _ int, w string) bool {
			got = append(got, w)
			return true
		})
		if want := foldWords(search.Words(text)); !slices.Equal(got, want) {
			t.Errorf("%q: index words %q, query words %q", text, got, want)
		}
	}
}

// FuzzWordsAsQueriesSplit checks the same on any text, and that every
// word's offsets are in the text and fold to the word.
func FuzzWordsAsQueriesSplit(f *testing.F) {
	f.Add("Café in LIÈGE; José's")
	f.Add("مُحَمَّد\u0301 x")
	f.Fuzz(func(t *testing.T, text string) {
		var got []string
		eachWord(text, func(start, end int, w string) bool {
			if start < 0 || end > len(text) || start >= end || foldWord(text[start:end]) != w {
				t.Fatalf("%q: word %q at [%d,%d)", text, w, start, end)
			}
			got = append(got, w)
			return true
		})
		if want := foldWords(search.Words(text)); !slices.Equal(got, want) {
			t.Errorf("%q: index words %q, query words %q", text, got, want)
		}
	})
}

func TestSnippet(t *testing.T) {
	long := strings.Repeat("filler words here ", 40)
	cases := []struct {
		name, text, query string
		want              string   // the snippet
		marked            []string // the highlighted text
	}{
		{"phrase", "He said they acted alone that day.", `"acted alone"`, "He said they acted alone that day.", []string{"acted alone"}},
		{"prefix", "Recruiters and a recruiter.", "recruit*", "Recruiters and a recruiter.", []string{"Recruiters", "recruiter"}},
		{"folded", "The café in Liège.", "liege cafe", "The café in Liège.", []string{"café", "Liège"}},
		{"title only", "Nothing here matches.", "absent", "Nothing here matches.", nil},
		{"deep", long + "then Khalidi wrote. " + long, "khalidi", "…filler words here then Khalidi wrote. filler", []string{"Khalidi"}},
		{"best window", "Ferhat alone. " + long + "Ferhat met Khalidi. " + long, "ferhat khalidi", "…here filler words here Ferhat met Khalidi. filler", []string{"Ferhat", "Khalidi"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, spans := snippet(c.text, snippetTerms(search.Parse(c.query)))
			if !strings.HasPrefix(got, c.want) {
				t.Errorf("snippet %q, want it to begin %q", got, c.want)
			}
			var marked []string
			for _, sp := range spans {
				marked = append(marked, got[sp.Start:sp.End])
			}
			if !slices.Equal(marked, c.marked) {
				t.Errorf("highlights %q, want %q", marked, c.marked)
			}
			if len(got) > snippetBytes+2*len("…") {
				t.Errorf("snippet of %d bytes", len(got))
			}
		})
	}
}

func mustKey(t testing.TB) []byte {
	t.Helper()
	k, err := NewKey()
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// TestPrefixWhileAdding: prefix searches run beside writers, and the
// vocabulary in memory learns every word the writers store.
func TestPrefixWhileAdding(t *testing.T) {
	ctx := context.Background()
	s := openKeyed(t, t.TempDir(), mustKey(t))
	defer s.Close()
	if _, err := s.EnsureCollection(ctx, "c", "A"); err != nil {
		t.Fatal(err)
	}
	const writers, each = 3, 20
	errs := make(chan error, writers)
	for w := range writers {
		go func() {
			for i := range each {
				text := fmt.Sprintf("Codeword zeph%dx%d was heard.", w, i)
				d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "t", Text: text, Format: mosaic.FormatText, Size: int64(len(text))}
				if _, err := s.Add(ctx, []store.Ingested{{Collection: "c", Doc: d}}); err != nil {
					errs <- err
					return
				}
				if _, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("zeph*")}); err != nil {
					errs <- err
					return
				}
			}
			errs <- nil
		}()
	}
	for range writers {
		if err := <-errs; err != nil {
			t.Fatal(err)
		}
	}
	if n, _ := searchTotal(t, s, "zeph*"); n != writers*each {
		t.Errorf("zeph* finds %d documents, want %d", n, writers*each)
	}
	if n, _ := searchTotal(t, s, "zeph1*"); n != each {
		t.Errorf("zeph1* finds %d documents, want %d", n, each)
	}
}

// TestRotatedByAnother: a store that another process rotated away from its
// key refuses to add documents it could not read back, instead of sealing
// them with a retired key.
func TestRotatedByAnother(t *testing.T) {
	ctx := context.Background()
	dir, oldKey := t.TempDir(), mustKey(t)
	server := openKeyed(t, dir, oldKey)
	defer server.Close()
	docs := secretDocs(3)
	addDocs(t, server, docs[:1])
	rotator := openKeyed(t, dir, oldKey)
	if err := rotator.RotateKey(ctx, mustKey(t), nil); err != nil {
		t.Fatal(err)
	}
	rotator.Close()
	_, err := server.Add(ctx, []store.Ingested{{Collection: "ledgers", Doc: docs[1]}})
	if !errors.Is(err, ErrWrongKey) {
		t.Errorf("add with a rotated-away key: %v; want ErrWrongKey", err)
	}
}

// TestRotateKeyResumedInProcess: a rotation that failed resumes in the same
// process, and the documents stay readable meanwhile, with both keys.
func TestRotateKeyResumedInProcess(t *testing.T) {
	ctx := context.Background()
	dir, newKey := t.TempDir(), mustKey(t)
	s := openKeyed(t, dir, mustKey(t))
	defer s.Close()
	docs := secretDocs(sealBatch + 5)
	addDocs(t, s, docs)
	cctx, cancel := context.WithCancel(ctx)
	if err := s.RotateKey(cctx, newKey, func(int, int) { cancel() }); err == nil {
		t.Fatal("a cancelled rotation returned nil")
	}
	checkReadable(t, s, docs)
	if err := s.RotateKey(ctx, newKey, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openKeyed(t, dir, newKey)
	checkReadable(t, s, docs)
}
