package web

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"mosaic/internal/store"
)

// FuzzAPI sends GET requests with fuzzed paths and query values to the
// two agencies' server as an analyst of alpha, with bravoOpen granted: no
// answer may be a server error or hold a marker of bravo's secret
// collection that the request did not itself carry.
//
//	go test ./internal/web -run XXX -fuzz FuzzAPI -fuzztime 30s
func FuzzAPI(f *testing.F) {
	for _, seed := range []struct{ path, key, value string }{
		{"search", "q", "vasken"},
		{"search", "q", `NEAR(quillon marsh) "*`},
		{"entities", "name", "Quillon Marsh"},
		{"entities", "cursor", "0.5:7"},
		{"entities/1", "cursor", "x"},
		{"entities/2/documents", "name", "Corvin Albescu"},
		{"entities/1/names", "limit", "-1"},
		{"documents", "collection", bravoSecret},
		{"documents", "cursor", "'; DROP TABLE documents; --"},
		{"documents/00", "page", "1"},
		{"discover", "q", "+44 20 7946 0958"},
		{"discover", "q", "quillon.marsh@ledger.example"},
		{"path", "from", "1"},
		{"network", "collection", bravoSecret + "," + alphaMain},
		{"lone-actors", "hops", "9"},
		{"shares", "", ""},
		{"alerts", "", ""},
		{"entities/7/neighbours", "hops", "3"},
		{"entities/7/ego", "cursor", "\xff"},
	} {
		f.Add(seed.path, seed.key, seed.value)
	}
	// One store for the whole run: the answers, not the set-up, are what
	// is fuzzed.
	m := newMatrix(f)
	m.grant(f)
	analyst := who{agency: alpha, role: store.Analyst}
	f.Fuzz(func(t *testing.T, path, key, value string) {
		target := "/api/v1/" + strings.TrimLeft(path, "/")
		u, err := url.Parse(target)
		if err != nil || u.Host != "" || u.Scheme != "" {
			return
		}
		q := u.Query()
		if key != "" {
			q.Set(key, value)
		}
		u.RawQuery = q.Encode()
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.URL, req.RequestURI = u, u.RequestURI()
		req.Host = "localhost"
		req.Header.Set("Authorization", "Bearer "+m.tokens[analyst])
		rec := httptest.NewRecorder()
		m.h.ServeHTTP(rec, req)
		if rec.Code >= 500 {
			t.Fatalf("GET %s: status %d: %s", u.RequestURI(), rec.Code, rec.Body)
		}
		if l := leaks(rec.Body.String(), path+" "+key+" "+value+" "+u.RequestURI(), m.markers[bravoSecret]); len(l) > 0 {
			t.Fatalf("GET %s: answer holds bravo's secret markers %q: %.400s", u.RequestURI(), l, rec.Body)
		}
	})
}
