package sqlstore

import (
	"bytes"
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"database/sql"
	"encoding/base32"
	"encoding/base64"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"golang.org/x/crypto/hkdf"
	"golang.org/x/text/unicode/norm"
)

// Encryption at rest. A document's title, text and metadata are sealed with
// AES-256-GCM; the full-text index holds, for every word, a keyed token (an
// HMAC of the folded word) instead of the word, so phrases and ranking work
// on tokens as they did on words; and a vocabulary maps each token to its
// word, sealed, for prefix queries. What stays in clear, because SQL must
// group, join or order by it: ids (a document's is the hash of its content),
// sizes, formats, dates, collection and agency names, offsets, and the names
// of entities and their mentions.

// KeySize is the length in bytes of a store key.
const KeySize = 32

// KeyFileName is the key file a data folder gets when no key is given: it
// keeps a sample or a test working with no set-up. A server's operator keeps
// the key elsewhere (MOSAIC_KEY_FILE), so a copy of the folder is not a copy
// of the key.
const KeyFileName = "mosaic.key"

// The environment variables a store's key is read from when Open is given
// none: a file holding the key, or the key itself in base64.
const (
	EnvKeyFile = "MOSAIC_KEY_FILE"
	EnvKey     = "MOSAIC_KEY"
)

// ErrWrongKey is returned by Open when the key is not the one the data
// folder was encrypted with.
var ErrWrongKey = errors.New("the key does not open this data folder")

// Option configures Open.
type Option func(*options)

type options struct {
	key      []byte
	progress func(what string, done, total int)
}

// WithProgress makes Open report the work it does on an older release's
// store before the store is ready (sealing documents kept in clear,
// indexing documents for search), after each batch: what is being done,
// and how many of how many documents are done.
func WithProgress(fn func(what string, done, total int)) Option {
	return func(o *options) { o.progress = fn }
}

// WithKey makes Open use key (KeySize bytes), ahead of the environment and
// the data folder's key file.
func WithKey(key []byte) Option {
	return func(o *options) { o.key = bytes.Clone(key) }
}

// NewKey returns a new random key.
func NewKey() ([]byte, error) {
	k := make([]byte, KeySize)
	if _, err := rand.Read(k); err != nil {
		return nil, fmt.Errorf("new key: %w", err)
	}
	return k, nil
}

// EncodeKey renders a key as a key file holds it: base64 and a line feed.
func EncodeKey(key []byte) []byte {
	return []byte(base64.StdEncoding.EncodeToString(key) + "\n")
}

// ParseKey reads a key as a key file or MOSAIC_KEY holds it: base64 (white
// space around it ignored) or the KeySize raw bytes.
func ParseKey(b []byte) ([]byte, error) {
	if k, err := base64.StdEncoding.DecodeString(strings.TrimSpace(string(b))); err == nil && len(k) == KeySize {
		return k, nil
	}
	if len(b) == KeySize {
		return bytes.Clone(b), nil
	}
	return nil, fmt.Errorf("a key is %d bytes, in base64 or raw", KeySize)
}

// ReadKeyFile reads the key in the file at path.
func ReadKeyFile(path string) ([]byte, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("key file: %w", err)
	}
	k, err := ParseKey(b)
	if err != nil {
		return nil, fmt.Errorf("key file %s: %w", path, err)
	}
	return k, nil
}

// WriteKeyFile writes a key to a new file at path, readable by its owner
// alone; it refuses to replace a file.
func WriteKeyFile(path string, key []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return fmt.Errorf("key file: %w", err)
	}
	_, err = f.Write(EncodeKey(key))
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(path)
		return fmt.Errorf("key file %s: %w", path, err)
	}
	return nil
}

// storeKey is the key Open uses, where it came from (for errors: a path or
// a variable's name, never the key), and whether it is the data folder's
// key file, still to write: it is written only if the store turns out to
// have no key yet.
type storeKey struct {
	key     []byte
	from    string
	newFile string
}

func resolveKey(dir string, o options) (storeKey, error) {
	switch {
	case o.key != nil:
		if len(o.key) != KeySize {
			return storeKey{}, fmt.Errorf("key: %d bytes, want %d", len(o.key), KeySize)
		}
		return storeKey{key: o.key, from: "the key given"}, nil
	case os.Getenv(EnvKeyFile) != "":
		path := os.Getenv(EnvKeyFile)
		k, err := ReadKeyFile(path)
		if err != nil {
			return storeKey{}, fmt.Errorf("%s: %w", EnvKeyFile, err)
		}
		return storeKey{key: k, from: EnvKeyFile + "=" + path}, nil
	case os.Getenv(EnvKey) != "":
		k, err := ParseKey([]byte(os.Getenv(EnvKey)))
		if err != nil {
			return storeKey{}, fmt.Errorf("%s: %w", EnvKey, err)
		}
		return storeKey{key: k, from: EnvKey}, nil
	}
	if dir == "" {
		return storeKey{}, fmt.Errorf("no key: a database server's store takes its key from %s or %s", EnvKeyFile, EnvKey)
	}
	path := filepath.Join(dir, KeyFileName)
	k, err := ReadKeyFile(path)
	if err == nil {
		return storeKey{key: k, from: path}, nil
	}
	if !errors.Is(err, os.ErrNotExist) {
		return storeKey{}, err
	}
	if k, err = NewKey(); err != nil {
		return storeKey{}, err
	}
	return storeKey{key: k, from: path, newFile: path}, nil
}

// keyring is the keys derived from one store key, of one key version.
type keyring struct {
	version int
	content cipher.AEAD
	// index keys the tokens that stand for words in the full-text index.
	index []byte
	// check is the key check value: it tells whether a key is this one
	// without storing anything a key could be learnt from.
	check []byte
	// cursor seals the paging cursors the store hands out (cursor.go).
	cursor cipher.AEAD
}

// Labels of the sub-keys, so that no two uses share a key.
const (
	contentLabel = "mosaic store content v1"
	indexLabel   = "mosaic store index tokens v1"
	checkLabel   = "mosaic store key check v1"
	cursorLabel  = "mosaic store paging cursors v1"
)

func newKeyring(key []byte, version int) (*keyring, error) {
	sub := func(label string) ([]byte, error) {
		b := make([]byte, KeySize)
		_, err := io.ReadFull(hkdf.New(sha256.New, key, nil, []byte(label)), b)
		return b, err
	}
	aead := func(label string) (cipher.AEAD, error) {
		key, err := sub(label)
		if err != nil {
			return nil, err
		}
		block, err := aes.NewCipher(key)
		if err != nil {
			return nil, err
		}
		return cipher.NewGCM(block)
	}
	content, err := aead(contentLabel)
	if err != nil {
		return nil, fmt.Errorf("derive keys: %w", err)
	}
	k := &keyring{version: version, content: content}
	if k.cursor, err = aead(cursorLabel); err != nil {
		return nil, fmt.Errorf("derive keys: %w", err)
	}
	if k.index, err = sub(indexLabel); err != nil {
		return nil, fmt.Errorf("derive keys: %w", err)
	}
	checkKey, err := sub(checkLabel)
	if err != nil {
		return nil, fmt.Errorf("derive keys: %w", err)
	}
	m := hmac.New(sha256.New, checkKey)
	m.Write([]byte(checkLabel))
	k.check = m.Sum(nil)
	return k, nil
}

// sealed is the layout of a sealed value: a key version byte, the nonce,
// then AES-GCM's output. The additional data names the row and column, so
// a value moved to another row or column does not open.
const nonceSize = 12

func additional(id, column string) []byte {
	return []byte("mosaic\x00" + column + "\x00" + id)
}

func (k *keyring) seal(plain []byte, id, column string) []byte {
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(plain)+k.content.Overhead())
	out[0] = byte(k.version)
	if _, err := rand.Read(out[1:]); err != nil {
		panic(fmt.Sprintf("random nonce: %v", err)) // crypto/rand does not fail on supported systems
	}
	return k.content.Seal(out, out[1:1+nonceSize], plain, additional(id, column))
}

// token returns the keyed token that stands for a folded word in the index:
// 16 base32 characters (80 bits), letters and digits alone.
func (k *keyring) token(word string) string {
	m := hmac.New(sha256.New, k.index)
	m.Write([]byte(word))
	return tokenEncoding.EncodeToString(m.Sum(nil)[:10])
}

var tokenEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

// crypt is a store's keys: the one writes use and those reads accept.
type crypt struct {
	mu sync.RWMutex
	// write seals new values and indexes new documents.
	write *keyring
	// live are the keys rows may be sealed with: write and, while a
	// rotation runs, the key it rotates from.
	live []*keyring
	// unfinished is the version of an interrupted rotation's new key,
	// whose rows this key cannot open, or 0.
	unfinished int
	vocab      vocabulary
}

func (c *crypt) writer() *keyring {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.write
}

func (c *crypt) keys() []*keyring {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.live
}

// open opens a sealed value of the row id's column.
func (c *crypt) open(sealed []byte, id, column string) ([]byte, error) {
	if len(sealed) < 1+nonceSize {
		return nil, fmt.Errorf("%s of %s: not a sealed value", column, id)
	}
	c.mu.RLock()
	var k *keyring
	for _, l := range c.live {
		if byte(l.version) == sealed[0] {
			k = l
		}
	}
	unfinished := c.unfinished
	c.mu.RUnlock()
	if k == nil {
		if unfinished != 0 && byte(unfinished) == sealed[0] {
			return nil, fmt.Errorf("%s of %s: sealed with the new key of an unfinished rotation: run 'mosaic key rotate' again", column, id)
		}
		return nil, fmt.Errorf("%s of %s: sealed with key version %d, which this store does not have", column, id, sealed[0])
	}
	plain, err := k.content.Open(nil, sealed[1:1+nonceSize], sealed[1+nonceSize:], additional(id, column))
	if err != nil {
		return nil, fmt.Errorf("%s of %s: altered or moved: authentication failed", column, id)
	}
	return plain, nil
}

// openText opens a sealed text column of the document id.
func (s *Store) openText(sealed []byte, id, column string) (string, error) {
	b, err := s.crypt.open(sealed, id, column)
	return string(b), err
}

// Free text an analyst types is sealed too, as a document's text is: the
// query and reason of a share request and the answer to it, the object of
// an audit entry (a query, a document), the reasons of a judgement and of
// its undoing, and the reason of a collection's rename or deletion; and a
// share request's subject, which holds the identifier asked about. Each is
// bound to its table, row and column, so that a value moved to another row
// or column does not open.

// rowID names a row of a table other than documents in a sealed value's
// additional data. A document's ID is a hex hash, so none reads alike.
func rowID(table string, id int64) string {
	return table + " " + strconv.FormatInt(id, 10)
}

// openColumn opens a sealed column of the row id, scanned as any. Open
// seals what an older release stored in clear, so a value in clear (a
// string) was put there around the store, and is an error.
func (s *Store) openColumn(v any, id, column string) (string, error) {
	switch v := v.(type) {
	case []byte:
		return s.openText(v, id, column)
	case string:
		return "", fmt.Errorf("%s of %s: not sealed: stored around the store", column, id)
	}
	return "", fmt.Errorf("%s of %s: unexpected %T", column, id, v)
}

// unlock checks the key against the key check values stored, recording it
// as version 1 of a store that has none, and sets up the store's keys.
func (s *Store) unlock(ctx context.Context, sk storeKey) error {
	rows, err := s.db.QueryContext(ctx, `SELECT version, check_value, rotating FROM crypt_keys ORDER BY version`)
	if err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	type stored struct {
		version  int
		check    []byte
		rotating bool
	}
	var have []stored
	for rows.Next() {
		var st stored
		if err := rows.Scan(&st.version, &st.check, &st.rotating); err != nil {
			rows.Close()
			return fmt.Errorf("keys: %w", err)
		}
		have = append(have, st)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	s.crypt = &crypt{}
	if len(have) == 0 {
		k, err := newKeyring(sk.key, 1)
		if err != nil {
			return err
		}
		if sk.newFile != "" {
			if err := WriteKeyFile(sk.newFile, sk.key); err != nil {
				return err
			}
		}
		if _, err := s.db.ExecContext(ctx, `INSERT INTO crypt_keys (version, check_value, rotating) VALUES (1, ?, 0)`, k.check); err != nil {
			return fmt.Errorf("keys: %w", err)
		}
		s.crypt.write, s.crypt.live = k, []*keyring{k}
		return nil
	}
	if sk.newFile != "" {
		return fmt.Errorf("%w: it is encrypted, and no key was given: set %s or %s (%s is missing)", ErrWrongKey, EnvKeyFile, EnvKey, sk.newFile)
	}
	for _, st := range have {
		k, err := newKeyring(sk.key, st.version)
		if err != nil {
			return err
		}
		if !hmac.Equal(k.check, st.check) {
			if st.rotating {
				s.crypt.unfinished = st.version
			}
			continue
		}
		if st.rotating {
			return fmt.Errorf("%w yet: it is the new key of an unfinished rotation; open with the old key and run 'mosaic key rotate' again", ErrWrongKey)
		}
		s.crypt.write, s.crypt.live = k, []*keyring{k}
	}
	if s.crypt.write == nil {
		return fmt.Errorf("%w (key from %s)", ErrWrongKey, sk.from)
	}
	return nil
}

// checkKeyVersion returns an error if the key is no longer the store's:
// another process (mosaic key rotate beside a running server) finished a
// rotation away from it, and what it sealed now would be unreadable.
func checkKeyVersion(ctx context.Context, tx *txn, k *keyring) error {
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM crypt_keys WHERE version = ?`, k.version).Scan(&n); err != nil {
		return fmt.Errorf("keys: %w", err)
	}
	if n == 0 {
		return fmt.Errorf("%w any more: another process rotated it; open the store again with the new key", ErrWrongKey)
	}
	return nil
}

// sealBatch is how many documents one transaction of an upgrade or a
// rotation seals, so that an interrupted one resumes where it stopped.
const sealBatch = 64

// reseal seals with the write key, and indexes with its tokens, every
// document whose key version is from (0: stored in clear by an older
// release), a batch per transaction, calling progress after each.
func (s *Store) reseal(ctx context.Context, from int, progress func(done, total int)) error {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE key_version = ?`, from).Scan(&total); err != nil {
		return fmt.Errorf("seal documents: %w", err)
	}
	done := 0
	for {
		n, err := s.resealBatch(ctx, from)
		if err != nil {
			return fmt.Errorf("seal documents: %w", err)
		}
		if n == 0 {
			return nil
		}
		done += n
		if progress != nil {
			progress(min(done, total), max(total, done))
		}
	}
}

func (s *Store) resealBatch(ctx context.Context, from int) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	// Read the key once the write lock is held: a rotation switches keys
	// between transactions, never inside one.
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return 0, err
	}
	rows, err := tx.QueryContext(ctx, `SELECT seq, id, title, body, meta FROM documents WHERE key_version = ? ORDER BY seq LIMIT ?`, from, sealBatch)
	if err != nil {
		return 0, err
	}
	type row struct {
		seq               int64
		id                string
		title, body, meta any
	}
	var batch []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.id, &r.title, &r.body, &r.meta); err != nil {
			rows.Close()
			return 0, err
		}
		batch = append(batch, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, err
	}
	// A document an upgrade left to index is indexed here, and counted in
	// the index's totals as a new one.
	seqs := make([]int64, len(batch))
	for i, r := range batch {
		seqs[i] = r.seq
	}
	pending := map[int64]bool{}
	err = queryIn(ctx, tx, `SELECT seq FROM postings_pending WHERE seq IN (?)`, nil, seqs, func(rows *sql.Rows) error {
		var seq int64
		err := rows.Scan(&seq)
		pending[seq] = true
		return err
	})
	if err != nil {
		return 0, err
	}
	ix := newIndexer(tx, k)
	for _, r := range batch {
		text := func(v any, column string) (string, error) {
			switch v := v.(type) {
			case string: // in clear, as an older release stored it
				return v, nil
			case []byte: // sealed (a store taken back down the migrations keeps its values sealed)
				return s.openText(v, r.id, column)
			}
			return "", fmt.Errorf("%s of %s: unexpected %T", column, r.id, v)
		}
		title, err := text(r.title, "title")
		if err != nil {
			return 0, err
		}
		body, err := text(r.body, "body")
		if err != nil {
			return 0, err
		}
		meta, err := text(r.meta, "meta")
		if err != nil {
			return 0, err
		}
		// Under a new key the document's postings are written anew, the
		// old key's going with its vocabulary (finishRotation).
		if err := ix.add(ctx, r.seq, title, body, from != 0 && !pending[r.seq]); err != nil {
			return 0, fmt.Errorf("index of %s: %w", r.id, err)
		}
		_, err = tx.ExecContext(ctx, `UPDATE documents SET title = ?, body = ?, meta = ?, key_version = ? WHERE seq = ?`,
			k.seal([]byte(title), r.id, "title"), k.seal([]byte(body), r.id, "body"), k.seal([]byte(meta), r.id, "meta"), k.version, r.seq)
		if err != nil {
			return 0, fmt.Errorf("seal %s: %w", r.id, err)
		}
	}
	if err := ix.flush(ctx); err != nil {
		return 0, err
	}
	if len(pending) > 0 {
		if err := execIn(ctx, tx, `DELETE FROM postings_pending WHERE seq IN (?)`, seqs); err != nil {
			return 0, err
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	s.crypt.vocab.learn(ix.learnt)
	return len(batch), nil
}

// indexPending indexes the documents an upgrade left to index (migration
// 21 on SQLite, 7 on PostgreSQL), a batch per transaction, each under the
// key that sealed it: those stored in clear are indexed as sealClear seals
// them, and those sealed with the new key of a rotation not finished are
// indexed once the rotation goes on (RotateKey).
func (s *Store) indexPending(ctx context.Context, progress func(what string, done, total int)) error {
	var total int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM postings_pending`).Scan(&total); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	var after int64
	done := 0
	for total > 0 {
		next, n, err := s.indexPendingBatch(ctx, after)
		if err != nil {
			return fmt.Errorf("search index: %w", err)
		}
		if next == after {
			return nil
		}
		after, done = next, done+n
		if progress != nil {
			progress("indexing documents for search", min(done, total), total)
		}
	}
	return nil
}

// indexPendingBatch indexes up to sealBatch of the pending documents after
// the seq after, and returns the last seq it read (after when none is
// left) and how many it indexed.
func (s *Store) indexPendingBatch(ctx context.Context, after int64) (int64, int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return after, 0, err
	}
	defer tx.Rollback()
	rows, err := tx.QueryContext(ctx, `SELECT p.seq, d.id, d.title, d.body, d.key_version FROM postings_pending p
		JOIN documents d ON d.seq = p.seq WHERE p.seq > ? ORDER BY p.seq LIMIT ?`, after, sealBatch)
	if err != nil {
		return after, 0, err
	}
	type row struct {
		seq         int64
		id          string
		title, body any
		version     int
	}
	var batch []row
	for rows.Next() {
		var r row
		if err := rows.Scan(&r.seq, &r.id, &r.title, &r.body, &r.version); err != nil {
			rows.Close()
			return after, 0, err
		}
		batch = append(batch, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return after, 0, err
	}
	if len(batch) == 0 {
		return after, 0, nil
	}
	live := map[int]*keyring{}
	for _, k := range s.crypt.keys() {
		live[k.version] = k
	}
	indexers := map[int]*indexer{}
	var done []int64
	for _, r := range batch {
		k := live[r.version]
		title, okTitle := r.title.([]byte)
		body, okBody := r.body.([]byte)
		if k == nil || !okTitle || !okBody {
			continue // in clear (sealClear indexes it), or its key is not open yet
		}
		ix := indexers[r.version]
		if ix == nil {
			if err := checkKeyVersion(ctx, tx, k); err != nil {
				return after, 0, err
			}
			ix = newIndexer(tx, k)
			indexers[r.version] = ix
		}
		t, err := s.openText(title, r.id, "title")
		if err != nil {
			return after, 0, err
		}
		b, err := s.openText(body, r.id, "body")
		if err != nil {
			return after, 0, err
		}
		if err := ix.add(ctx, r.seq, t, b, false); err != nil {
			return after, 0, fmt.Errorf("index of %s: %w", r.id, err)
		}
		done = append(done, r.seq)
	}
	for _, ix := range indexers {
		if err := ix.flush(ctx); err != nil {
			return after, 0, err
		}
	}
	if err := execIn(ctx, tx, `DELETE FROM postings_pending WHERE seq IN (?)`, done); err != nil {
		return after, 0, err
	}
	if err := tx.Commit(); err != nil {
		return after, 0, err
	}
	for _, ix := range indexers {
		s.crypt.vocab.learn(ix.learnt)
	}
	return batch[len(batch)-1].seq, len(done), nil
}

// sealClear seals the documents, share requests, audit objects,
// judgements' reasons and collection log reasons an older release stored
// in clear, and then truncates the write-ahead log, which still holds them
// in clear. (secure_delete has overwritten the pages they leave in the
// database.)
func (s *Store) sealClear(ctx context.Context, progress func(what string, done, total int)) error {
	var n int
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE key_version = 0`).Scan(&n); err != nil {
		return fmt.Errorf("seal documents: %w", err)
	}
	if n > 0 {
		var report func(done, total int)
		if progress != nil {
			report = func(done, total int) { progress("sealing documents", done, total) }
		}
		if err := s.reseal(ctx, 0, report); err != nil {
			return err
		}
	}
	rows, err := s.resealRows(ctx, nil)
	if err != nil {
		return err
	}
	if n == 0 && rows == 0 {
		return nil
	}
	return s.truncateLog(ctx)
}

// resealRows seals with the write key, in one transaction, the share
// requests' query, subject, reason and answer, the audit log's objects,
// the judgements' reasons and undo reasons, the collection log's
// reasons, the incidents' bodies and the reasons of rulings on them
// (never stored in clear) that are in
// clear (from is nil) or sealed with the key from, and returns how many
// values it sealed. An audit object in clear was hashed without a salt, and
// is sealed with an empty one.
func (s *Store) resealRows(ctx context.Context, from *keyring) (int, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("seal free text: %w", err)
	}
	defer tx.Rollback()
	n, err := s.resealIn(ctx, tx, from)
	if err != nil {
		return 0, fmt.Errorf("seal free text: %w", err)
	}
	return n, tx.Commit()
}

func (s *Store) resealIn(ctx context.Context, tx *txn, from *keyring) (int, error) {
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return 0, err
	}
	// which selects the values to seal: in clear, or sealed with from
	// (a sealed value's first byte is its key version).
	// (PostgreSQL's columns were made binary, and never held clear text.)
	if from == nil && s.db.d == Postgres {
		return 0, nil
	}
	which := func(column string) (string, []any) {
		if from == nil {
			return `typeof(` + column + `) = 'text'`, nil
		}
		if s.db.d == Postgres {
			return `substr(` + column + `, 1, 1) = ?`, []any{[]byte{byte(from.version)}}
		}
		return `typeof(` + column + `) = 'blob' AND substr(` + column + `, 1, 1) = ?`, []any{[]byte{byte(from.version)}}
	}
	// open reads a value to seal anew.
	open := func(v any, id, column string) ([]byte, error) {
		if from == nil {
			s, ok := v.(string)
			if !ok {
				return nil, fmt.Errorf("%s of %s: unexpected %T", column, id, v)
			}
			return []byte(s), nil
		}
		b, ok := v.([]byte)
		if !ok {
			return nil, fmt.Errorf("%s of %s: unexpected %T", column, id, v)
		}
		return s.crypt.open(b, id, column)
	}
	// sealedColumns are the columns sealed here: the table, its key, the
	// column and the name rowID gives the table.
	sealedColumns := []struct{ table, key, column, name string }{
		{"share_requests", "id", "query", "share"}, {"share_requests", "id", "reason", "share"},
		{"share_requests", "id", "answer", "share"}, {"share_requests", "id", "subject", "share"},
		{"audit", "seq", "object", "audit"},
		{"judgements", "id", "reason", "judgement"}, {"judgements", "id", "undo_reason", "judgement"},
		{"collection_log", "id", "reason", "collection log"},
		{"incidents", "id", "body", "incident"},
		{"incident_judgements", "id", "reason", "incident judgement"},
		{"charts", "id", "body", "chart"},
	}
	n := 0
	for _, c := range sealedColumns {
		cond, args := which(c.column)
		rows, err := tx.QueryContext(ctx, `SELECT `+c.key+`, `+c.column+` FROM `+c.table+` WHERE `+cond, args...)
		if err != nil {
			return 0, err
		}
		type value struct {
			id    int64
			plain []byte
		}
		var vs []value
		for rows.Next() {
			var v value
			var raw any
			if err := rows.Scan(&v.id, &raw); err != nil {
				rows.Close()
				return 0, err
			}
			if v.plain, err = open(raw, rowID(c.name, v.id), c.column); err != nil {
				rows.Close()
				return 0, err
			}
			if c.table == "audit" && from == nil {
				v.plain = auditObject(nil, string(v.plain))
			}
			vs = append(vs, v)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return 0, err
		}
		for _, v := range vs {
			id := rowID(c.name, v.id)
			if _, err := tx.ExecContext(ctx, `UPDATE `+c.table+` SET `+c.column+` = ? WHERE `+c.key+` = ?`,
				k.seal(v.plain, id, c.column), v.id); err != nil {
				return 0, fmt.Errorf("seal %s of %s: %w", c.column, id, err)
			}
		}
		n += len(vs)
	}
	return n, nil
}

// truncateLog empties SQLite's write-ahead log, which keeps copies of
// pages written, into the database file. (PostgreSQL's log is the
// server's to recycle.)
func (s *Store) truncateLog(ctx context.Context) error {
	if s.db.d != SQLite {
		return nil
	}
	if _, err := s.checkpoint(ctx, "TRUNCATE"); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

// RotateKey re-encrypts the store under newKey: every document's title,
// text and metadata, the full-text index's tokens, and the free text of
// the share requests, audit log, judgements and collection log, and the
// incidents (incident.go), a batch of documents per transaction, calling progress (if not nil) after each.
// Until it returns, both keys are in use: new documents are sealed with
// the new key, and searches look for both keys' tokens. The cursors the
// old key sealed no longer open once it returns: a caller paging across
// the rotation starts again. If it is interrupted, the store
// opens with the old key (not yet the new one), and RotateKey with the
// same new key resumes. When it returns nil, only newKey opens the store.
func (s *Store) RotateKey(ctx context.Context, newKey []byte, progress func(done, total int)) error {
	if len(newKey) != KeySize {
		return fmt.Errorf("rotate key: new key of %d bytes, want %d", len(newKey), KeySize)
	}
	s.rotating.Lock()
	defer s.rotating.Unlock()
	// The key rotated from is the first in use: while a rotation runs
	// (or after one in this process failed), the second is its new key.
	old := s.crypt.keys()[0]
	next, err := newKeyring(newKey, old.version+1)
	if err != nil {
		return fmt.Errorf("rotate key: %w", err)
	}
	if same, err := newKeyring(newKey, old.version); err != nil || hmac.Equal(same.check, old.check) {
		return fmt.Errorf("rotate key: the new key is the key in use")
	}
	var check []byte
	err = s.db.QueryRowContext(ctx, `SELECT check_value FROM crypt_keys WHERE version = ? AND rotating = 1`, next.version).Scan(&check)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		_, err = s.db.ExecContext(ctx, `INSERT INTO crypt_keys (version, check_value, rotating) VALUES (?, ?, 1)`, next.version, next.check)
		if err != nil {
			return fmt.Errorf("rotate key: %w", err)
		}
	case err != nil:
		return fmt.Errorf("rotate key: %w", err)
	case !hmac.Equal(check, next.check):
		return fmt.Errorf("rotate key: an unfinished rotation is to another key: give that one")
	}
	s.crypt.mu.Lock()
	s.crypt.write, s.crypt.live, s.crypt.unfinished = next, []*keyring{old, next}, 0
	s.crypt.mu.Unlock()
	// Documents the new key sealed before the rotation stopped can be read
	// now: those still to index are indexed before the rest are sealed.
	if err := s.indexPending(ctx, nil); err != nil {
		return fmt.Errorf("rotate key: %w", err)
	}
	for {
		if err := s.reseal(ctx, old.version, progress); err != nil {
			return fmt.Errorf("rotate key: %w", err)
		}
		done, err := s.finishRotation(ctx, old, next)
		if err != nil {
			return fmt.Errorf("rotate key: %w", err)
		}
		if done {
			break
		}
	}
	s.crypt.mu.Lock()
	s.crypt.live = []*keyring{next}
	s.crypt.mu.Unlock()
	s.crypt.vocab.forget(old.version)
	return s.compactIndex(ctx)
}

// compactIndex rewrites the full-text index and the database so that
// nothing of the old key's tokens stays on disk (see the dialects'
// compact): a rotation is rare, and must leave nothing of the old key
// behind.
func (s *Store) compactIndex(ctx context.Context) error {
	for _, q := range s.db.d.compact {
		if _, err := s.db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("compact the search index: %w", err)
		}
	}
	return s.truncateLog(ctx)
}

// finishRotation retires the old key unless a document is still sealed
// with it (written by an Add that began before the rotation), in which case
// it reports false.
func (s *Store) finishRotation(ctx context.Context, old, next *keyring) (bool, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer tx.Rollback()
	var left int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM documents WHERE key_version = ?`, old.version).Scan(&left); err != nil {
		return false, err
	}
	if left > 0 {
		return false, nil
	}
	// The free text of share requests, audit, judgements and the
	// collection log is sealed anew in the transaction that retires the
	// old key, so none written meanwhile is
	// left behind with it.
	if _, err := s.resealIn(ctx, tx, old); err != nil {
		return false, fmt.Errorf("seal free text: %w", err)
	}
	for _, q := range []struct {
		sql     string
		version int
	}{
		{`DELETE FROM postings WHERE token IN (SELECT token FROM vocabulary WHERE version = ?)`, old.version},
		{`DELETE FROM vocabulary WHERE version = ?`, old.version},
		{`DELETE FROM crypt_keys WHERE version = ?`, old.version},
		{`UPDATE crypt_keys SET rotating = 0 WHERE version = ?`, next.version},
	} {
		if _, err := tx.ExecContext(ctx, q.sql, q.version); err != nil {
			return false, err
		}
	}
	return true, tx.Commit()
}

// The words of a text for the index are what the query language calls
// words (search.Words: runs of letters, digits and combining marks), folded
// as FTS5's unicode61 tokenizer with remove_diacritics 2 folds them: to
// lower case, without diacritics.

func isWordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsNumber(r) || unicode.Is(unicode.Mn, r)
}

// eachWord calls fn with the byte offsets and folded form of every word of
// text, in order, until fn returns false. A word that folds to nothing (only
// marks) is skipped.
func eachWord(text string, fn func(start, end int, word string) bool) {
	for i := 0; i < len(text); {
		r, n := utf8.DecodeRuneInString(text[i:])
		if r < utf8.RuneSelf {
			if !isASCIIWord(byte(r)) {
				i++
				continue
			}
		} else if !isWordRune(r) {
			i += n
			continue
		}
		j := i
		ascii := true
		for j < len(text) {
			c := text[j]
			if c < utf8.RuneSelf {
				if !isASCIIWord(c) {
					break
				}
				j++
				continue
			}
			r, n := utf8.DecodeRuneInString(text[j:])
			if !isWordRune(r) {
				break
			}
			ascii = false
			j += n
		}
		var w string
		if ascii {
			w = lowerASCII(text[i:j])
		} else {
			w = foldWord(text[i:j])
		}
		if w != "" && !fn(i, j, w) {
			return
		}
		i = j
	}
}

func isASCIIWord(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if s[i] >= 'A' && s[i] <= 'Z' {
			return strings.ToLower(s)
		}
	}
	return s
}

// foldWord folds a word to lower case without diacritics: decomposed, its
// combining marks dropped.
func foldWord(w string) string {
	w = norm.NFD.String(strings.ToLower(w))
	return norm.NFC.String(strings.Map(func(r rune) rune {
		if unicode.Is(unicode.Mn, r) {
			return -1
		}
		return r
	}, w))
}

// indexer writes documents' postings to the search index (postings.go)
// and their words, sealed, to the vocabulary, within one transaction.
type indexer struct {
	tx     *txn
	k      *keyring
	tokens map[string]string // folded word → token, this transaction's
	learnt []vocabEntry      // the words to add to the vocabulary
	// postings are the runs still to write, and size the bytes of text
	// they were made of.
	postings postingsBuilder
	size     int
}

// An indexer holds the postings of at most indexBytes of text before it
// writes them.
const indexBytes = 16 << 20

func newIndexer(tx *txn, k *keyring) *indexer {
	return &indexer{tx: tx, k: k, tokens: map[string]string{}}
}

// token returns a folded word's token.
func (ix *indexer) token(w string) string {
	t, ok := ix.tokens[w]
	if !ok {
		t = ix.k.token(w)
		ix.tokens[w] = t
		ix.learnt = append(ix.learnt, vocabEntry{word: w, token: t, version: ix.k.version})
	}
	return t
}

// add indexes the document seq (by the time flush returns); again says it
// is indexed anew, under a new key.
func (ix *indexer) add(ctx context.Context, seq int64, title, body string, again bool) error {
	return ix.addWords(ctx, seq, wordsOf(title, body), again)
}

// indexWords are a document's folded words, each with its positions in
// the title and the body, as docPostings holds tokens, and the title and
// body they were read from.
type indexWords struct {
	docPostings
	title, body string
}

// wordsOf folds the words of a document's title and body.
func wordsOf(title, body string) *indexWords {
	w := &indexWords{docPostings: docPostings{at: map[string]*[2][]uint32{}}, title: title, body: body}
	for column, text := range []string{title, body} {
		eachWord(text, func(_, _ int, word string) bool {
			w.add(word, column)
			return true
		})
	}
	return w
}

// Bytes implements store.Prepared: some 120 bytes a distinct word (its
// entry, order and position slices) and 4 a position.
func (w *indexWords) Bytes() int {
	return 120*len(w.order) + 4*int(w.words[0]+w.words[1])
}

// addWords indexes the document seq from its words (see add).
func (ix *indexer) addWords(ctx context.Context, seq int64, w *indexWords, again bool) error {
	d := &docPostings{order: make([]string, 0, len(w.order)), at: make(map[string]*[2][]uint32, len(w.order)), words: w.words}
	for _, word := range w.order {
		t, p := ix.token(word), w.at[word]
		if q := d.at[t]; q != nil {
			// Two words of the document share a token (80 bits of an
			// HMAC: never seen): the token holds the positions of both,
			// as reading the words in order would give it.
			for c := range q {
				q[c] = append(q[c], p[c]...)
				slices.Sort(q[c])
			}
			continue
		}
		d.order = append(d.order, t)
		d.at[t] = p
	}
	return ix.addPostings(ctx, seq, d, len(w.title)+len(w.body), again)
}

// addPostings adds a document's postings, by token, and writes what the
// indexer holds once it is indexBytes of text.
func (ix *indexer) addPostings(ctx context.Context, seq int64, d *docPostings, size int, again bool) error {
	ix.postings.add(seq, d, again)
	ix.size += size
	if ix.size >= indexBytes {
		ix.size = 0
		return ix.postings.write(ctx, ix.tx)
	}
	return nil
}

// flush writes the postings still held, and adds the words met to the
// vocabulary, sealed, 64 to a statement.
func (ix *indexer) flush(ctx context.Context) error {
	if err := ix.postings.write(ctx, ix.tx); err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	const chunk = 64
	for i := 0; i < len(ix.learnt); i += chunk {
		part := ix.learnt[i:min(i+chunk, len(ix.learnt))]
		args := make([]any, 0, 3*len(part))
		for _, e := range part {
			args = append(args, e.token, e.version, ix.k.seal([]byte(e.word), e.token, "word"))
		}
		_, err := ix.tx.ExecContext(ctx, `INSERT INTO vocabulary (token, version, word) VALUES `+
			strings.TrimSuffix(strings.Repeat("(?, ?, ?), ", len(part)), ", ")+` ON CONFLICT (token) DO NOTHING`, args...)
		if err != nil {
			return fmt.Errorf("vocabulary: %w", err)
		}
	}
	return nil
}

// vocabulary is the store's vocabulary in memory, opened: every word of the
// index with its token, sorted, so that a prefix query finds the tokens of
// the words that begin with it. It is read from the database at the first
// prefix query and kept up to date by every write after that.
type vocabulary struct {
	mu     sync.Mutex
	loaded bool
	known  map[string]bool // tokens
	sorted []vocabEntry    // by word, then token
	fresh  []vocabEntry    // learnt since sorted was last sorted
}

type vocabEntry struct {
	word, token string
	version     int
}

// learn adds the words of a committed transaction, if the vocabulary is in
// memory (else the database has them for when it is read).
func (v *vocabulary) learn(es []vocabEntry) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.loaded {
		return
	}
	for _, e := range es {
		if !v.known[e.token] {
			v.known[e.token] = true
			v.fresh = append(v.fresh, e)
		}
	}
}

// forget drops the words of a retired key version.
func (v *vocabulary) forget(version int) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.loaded {
		return
	}
	keep := func(es []vocabEntry) []vocabEntry {
		out := es[:0]
		for _, e := range es {
			if e.version != version {
				out = append(out, e)
			} else {
				delete(v.known, e.token)
			}
		}
		return out
	}
	v.sorted, v.fresh = keep(v.sorted), keep(v.fresh)
}

// maxExpansion is the most tokens a prefix stands for in a query: the
// words that begin with it, first in alphabetical order. A prefix of one
// or two letters in a large store begins more words than that, and the
// query then misses documents that have only the others.
const maxExpansion = 500

// expand returns the words that begin with prefix, with their tokens, at
// most maxExpansion, reading the vocabulary first if it is not in memory.
func (s *Store) expand(ctx context.Context, prefix string) ([]vocabEntry, error) {
	v := &s.crypt.vocab
	v.mu.Lock()
	defer v.mu.Unlock()
	if !v.loaded {
		if err := s.loadVocabulary(ctx); err != nil {
			return nil, err
		}
	}
	if len(v.fresh) > 0 {
		v.sorted = append(v.sorted, v.fresh...)
		v.fresh = nil
		sortVocabulary(v.sorted)
	}
	i := sort.Search(len(v.sorted), func(i int) bool { return v.sorted[i].word >= prefix })
	var out []vocabEntry
	for ; i < len(v.sorted) && strings.HasPrefix(v.sorted[i].word, prefix) && len(out) < maxExpansion; i++ {
		out = append(out, v.sorted[i])
	}
	return out, nil
}

func sortVocabulary(es []vocabEntry) {
	sort.Slice(es, func(i, j int) bool {
		if es[i].word != es[j].word {
			return es[i].word < es[j].word
		}
		return es[i].token < es[j].token
	})
}

// loadVocabulary reads and opens the vocabulary; v.mu is held.
func (s *Store) loadVocabulary(ctx context.Context) error {
	v := &s.crypt.vocab
	rows, err := s.db.QueryContext(ctx, `SELECT token, version, word FROM vocabulary`)
	if err != nil {
		return fmt.Errorf("vocabulary: %w", err)
	}
	defer rows.Close()
	s.crypt.mu.RLock()
	unfinished := s.crypt.unfinished
	s.crypt.mu.RUnlock()
	known := map[string]bool{}
	var es []vocabEntry
	for rows.Next() {
		var e vocabEntry
		var sealed []byte
		if err := rows.Scan(&e.token, &e.version, &sealed); err != nil {
			return fmt.Errorf("vocabulary: %w", err)
		}
		w, err := s.crypt.open(sealed, e.token, "word")
		if err != nil {
			if e.version == unfinished {
				continue // an interrupted rotation's: its documents are not searched either
			}
			return fmt.Errorf("vocabulary: %w", err)
		}
		e.word = string(w)
		known[e.token] = true
		es = append(es, e)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("vocabulary: %w", err)
	}
	// learn waits on v.mu, so no word learnt meanwhile is lost.
	sortVocabulary(es)
	v.sorted, v.known, v.loaded = es, known, true
	return nil
}
