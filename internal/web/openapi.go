package web

import (
	"bytes"
	"crypto/sha256"
	_ "embed"
	"encoding/hex"
	"net/http"
	"time"
)

// openAPI is the API described in OpenAPI 3.1: every route routeAPI
// registers, its parameters and bodies, and the shape of every answer,
// built from the Go types the handlers encode. It is written by hand, so
// its descriptions say what a client needs to know, and the
// TestOpenAPI tests hold it to the code: each route registered is
// described and each route described is registered; each answer of a
// fixture server validates against its schema for the status it came
// with; and each schema of a Go type lists exactly that type's JSON
// fields, so a field added to a type the API encodes fails until it is
// described here.
//
// The document is served to anyone the server answers for, without
// credentials: it describes the API, not what the API holds (no
// collection, agency or user is named in it), every one of its routes is
// in the public source anyway, and a client needs it before it holds a
// token, to learn how to log in.
//
//go:embed openapi.json
var openAPI []byte

// openAPIETag lets a client revalidate the document cheaply; it changes
// only with the binary.
var openAPIETag = func() string {
	sum := sha256.Sum256(openAPI)
	return `"` + hex.EncodeToString(sum[:8]) + `"`
}()

// router is what routeAPI registers routes on: the server's
// http.ServeMux, or a test's recorder of the patterns.
type router interface {
	HandleFunc(pattern string, handler func(http.ResponseWriter, *http.Request))
	Handle(pattern string, handler http.Handler)
}

// serveOpenAPI answers GET /api/openapi.json with the document.
func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("ETag", openAPIETag)
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(openAPI))
}
