package sqlite

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"

	"mosaic/internal/store"
)

// A cursor is the sort key of the last item of a page, with the name of
// its list, as base64 of a JSON array: opaque to callers, and checked when
// read back, so a cursor of one list is refused by another.

// encodeCursor renders the cursor of list after the item whose sort key
// is key.
func encodeCursor(list string, key ...any) string {
	b, err := json.Marshal(append([]any{list}, key...))
	if err != nil {
		panic(fmt.Sprintf("cursor of %s: %v", list, err)) // keys are numbers and strings
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor reads a cursor of list into key, which points at values of
// the types encodeCursor was given. It returns store.ErrInvalid, naming
// the cursor, for anything else.
func decodeCursor(cursor, list string, key ...any) error {
	bad := fmt.Errorf("%w: cursor %q is not one this list (%s) gave", store.ErrInvalid, cursor, list)
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return bad
	}
	var parts []json.RawMessage
	if err := json.Unmarshal(b, &parts); err != nil || len(parts) != len(key)+1 {
		return bad
	}
	var name string
	if err := json.Unmarshal(parts[0], &name); err != nil || name != list {
		return bad
	}
	for i, k := range key {
		d := json.NewDecoder(bytes.NewReader(parts[i+1]))
		if err := d.Decode(k); err != nil {
			return bad
		}
	}
	return nil
}
