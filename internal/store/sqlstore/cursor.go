package sqlstore

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"mosaic/internal/store"
)

// A cursor is the sort key of the last item of a page, sealed. The key
// holds row numbers and, for the lists ordered by counts, the highest row
// number when paging began: in clear, a caller of any agency could read
// from them how many documents the store holds, its own or not. So the
// key, as a JSON array padded to a multiple of cursorBlock bytes (its
// length would tell a row number's digits), is sealed with AES-GCM under
// the cursor key derived from the store's key, with the list's name as
// additional data, and the cursor is base64 of the key version byte, the
// nonce and the sealed key. A cursor is then opaque, cannot be forged or
// edited, and one list's does not open in another. After a key rotation
// the old key's cursors no longer open: a caller paging across it starts
// again from the first page.

// cursorBlock is the padding unit of a cursor's sealed key: every key of
// a list with numbers alone fits one block, so its cursors are all of one
// length.
const cursorBlock = 48

// cursorAdditional is the additional data a cursor of list is sealed with.
func cursorAdditional(list string) []byte {
	return []byte("mosaic cursor\x00" + list)
}

// encodeCursor renders the cursor of list after the item whose sort key
// is key.
func (s *Store) encodeCursor(list string, key ...any) string {
	b, err := json.Marshal(key)
	if err != nil {
		panic(fmt.Sprintf("cursor of %s: %v", list, err)) // keys are numbers and strings
	}
	// JSON ends at its closing bracket, so spaces after it pad it.
	pad := cursorBlock - len(b)%cursorBlock
	if pad == cursorBlock {
		pad = 0
	}
	b = append(b, bytes.Repeat([]byte{' '}, pad)...)
	k := s.crypt.writer()
	out := make([]byte, 1+nonceSize, 1+nonceSize+len(b)+k.cursor.Overhead())
	out[0] = byte(k.version)
	if _, err := rand.Read(out[1:]); err != nil {
		panic(fmt.Sprintf("random nonce: %v", err)) // crypto/rand does not fail on supported systems
	}
	out = k.cursor.Seal(out, out[1:1+nonceSize], b, cursorAdditional(list))
	return base64.RawURLEncoding.EncodeToString(out)
}

// decodeCursor reads a cursor of list into key, which points at values of
// the types encodeCursor was given. It returns store.ErrInvalid, naming
// the cursor, for anything else: a cursor altered, of another list or
// store, sealed with a key since rotated away, or of the older format in
// clear.
func (s *Store) decodeCursor(cursor, list string, key ...any) error {
	bad := fmt.Errorf("%w: cursor %q is not one this list (%s) gave", store.ErrInvalid, cursor, list)
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || len(b) < 1+nonceSize {
		return bad
	}
	var k *keyring
	for _, l := range s.crypt.keys() {
		if byte(l.version) == b[0] {
			k = l
		}
	}
	if k == nil {
		return bad
	}
	plain, err := k.cursor.Open(nil, b[1:1+nonceSize], b[1+nonceSize:], cursorAdditional(list))
	if err != nil {
		return bad
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(plain, &parts); err != nil || len(parts) != len(key) {
		return bad
	}
	for i, k := range key {
		d := json.NewDecoder(bytes.NewReader(parts[i]))
		if err := d.Decode(k); err != nil {
			return bad
		}
	}
	return nil
}
