package web

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"net/http"
	"time"
)

// ui holds the page: its HTML, and the bundle scripts/ui-build.sh makes of
// the ES modules under ui/src and the npm packages ui/package-lock.json
// pins. The bundle is committed, so `go build` alone makes a complete
// binary, and TestBundleFresh fails when it differs from a fresh build.
//
//go:embed ui/index.html ui/dist/app.js ui/dist/app.css ui/favicon.svg
var ui embed.FS

// assets are the files of the page with the content type each is served as.
// The types are fixed here rather than looked up, because the system's MIME
// table varies between machines and nosniff makes the browser trust it.
var assets = []struct {
	route, file, contentType string
}{
	{"GET /{$}", "ui/index.html", "text/html; charset=utf-8"},
	{"GET /app.js", "ui/dist/app.js", "text/javascript; charset=utf-8"},
	{"GET /app.css", "ui/dist/app.css", "text/css; charset=utf-8"},
	{"GET /favicon.svg", "ui/favicon.svg", "image/svg+xml"},
}

func (s *Server) routeUI(mux *http.ServeMux) {
	for _, a := range assets {
		data, err := ui.ReadFile(a.file)
		if err != nil {
			panic("web: embedded asset missing: " + a.file) // caught by the embed directive at build time
		}
		sum := sha256.Sum256(data)
		etag := `"` + hex.EncodeToString(sum[:8]) + `"`
		contentType := a.contentType
		mux.HandleFunc(a.route, func(w http.ResponseWriter, r *http.Request) {
			h := w.Header()
			h.Set("Content-Type", contentType)
			h.Set("ETag", etag)
			// Revalidate every time: the ETag makes that cheap, and a new
			// binary never runs against an old cached script.
			h.Set("Cache-Control", "no-cache")
			http.ServeContent(w, r, "", time.Time{}, bytes.NewReader(data))
		})
	}
}
