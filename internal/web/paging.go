package web

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"mosaic/internal/store"
)

// maxCursor bounds the length of a cursor parameter; the store's are far
// shorter.
const maxCursor = 2048

// pageParams reads limit and cursor for a list the store pages. An absent
// limit leaves the store's default (store.DefaultLimit).
func pageParams(r *http.Request) (store.Page, error) {
	limit, err := intParam(r, "limit", 1, store.MaxLimit)
	if err != nil {
		return store.Page{}, err
	}
	cursor := r.URL.Query().Get("cursor")
	if len(cursor) > maxCursor {
		return store.Page{}, &paramError{"cursor", "is longer than " + strconv.Itoa(maxCursor) + " bytes"}
	}
	return store.Page{Limit: limit, Cursor: cursor}, nil
}

// cursorError names the cursor parameter when the store refused the
// request for it, so the caller knows which part of the request to drop.
func cursorError(err error, cursor string) error {
	if cursor != "" && errors.Is(err, store.ErrInvalid) {
		return &paramError{"cursor", fmt.Sprintf("%q is not one this list gave; start again without it", cursor)}
	}
	return err
}

// finderCursor is where a page of name look-up results ended: the score
// and ID of its last entity. It is the web layer's own, since the finder
// is not a store list.
type finderCursor struct {
	Score float64 `json:"s"`
	ID    int64   `json:"id"`
}

func (c finderCursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func parseFinderCursor(s string) (finderCursor, error) {
	var c finderCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID <= 0 {
		return c, &paramError{"cursor", fmt.Sprintf("%q is not one this list gave; start again without it", s)}
	}
	return c, nil
}

// tooLargeError is a request body over the endpoint's limit; statusOf
// answers 413 with its message.
type tooLargeError struct {
	limit int64
}

func (e *tooLargeError) Error() string {
	return "request body is larger than this endpoint's limit of " + byteSize(e.limit)
}

// byteSize writes n bytes as people read it: "64 KiB", "4 MiB".
func byteSize(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return strconv.FormatInt(n>>20, 10) + " MiB"
	case n >= 1<<10 && n%(1<<10) == 0:
		return strconv.FormatInt(n>>10, 10) + " KiB"
	}
	return strconv.FormatInt(n, 10) + " bytes"
}
