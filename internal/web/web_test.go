package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// get sends a GET to the handler and returns the response with its body read.
func get(t *testing.T, h http.Handler, target string) (*http.Response, []byte) {
	t.Helper()
	return do(t, h, http.MethodGet, target)
}

// do sends a request without a body; one that is not a GET or HEAD says
// its body is JSON, as the API wants of every change.
func do(t *testing.T, h http.Handler, method, target string) (*http.Response, []byte) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(method, target, nil)
	if method != http.MethodGet && method != http.MethodHead {
		req.Header.Set("Content-Type", "application/json")
	}
	h.ServeHTTP(rec, req)
	res := rec.Result()
	body, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return res, body
}

// getJSON GETs target, wants the status, and decodes the body into v. It
// also checks the body has exactly the top-level keys of the API contract.
func getJSON(t *testing.T, h http.Handler, target string, status int, v any, keys ...string) {
	t.Helper()
	res, body := get(t, h, target)
	if res.StatusCode != status {
		t.Fatalf("GET %s: status %d, want %d; body %s", target, res.StatusCode, status, body)
	}
	if ct := res.Header.Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", target, ct)
	}
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		t.Fatalf("GET %s: not a JSON object: %v; body %s", target, err, body)
	}
	var got []string
	for k := range top {
		got = append(got, k)
	}
	sort.Strings(got)
	sort.Strings(keys)
	if !reflect.DeepEqual(got, keys) {
		t.Errorf("GET %s: keys %v, want %v", target, got, keys)
	}
	if v != nil {
		if err := json.Unmarshal(body, v); err != nil {
			t.Fatalf("GET %s: decode: %v", target, err)
		}
	}
}

// wantError GETs target and wants the status and an error message
// containing each of the words.
func wantError(t *testing.T, h http.Handler, target string, status int, words ...string) {
	t.Helper()
	var e struct{ Error string }
	getJSON(t, h, target, status, &e, "error")
	for _, w := range words {
		if !strings.Contains(e.Error, w) {
			t.Errorf("GET %s: error %q does not mention %q", target, e.Error, w)
		}
	}
}

func TestCollections(t *testing.T) {
	f := newFixture(t)
	h := f.as(analyst, f.server(nil).Handler())
	var got struct{ Collections []store.Collection }
	getJSON(t, h, "/api/v1/collections", http.StatusOK, &got, "collections")
	want, err := f.store.Collections(context.Background(), store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Collections) != len(want) {
		t.Fatalf("got %d collections, want %d", len(got.Collections), len(want))
	}
	counts := map[string]int{reports: 3, intercepts: 2, press: f.bulletins}
	for i, c := range got.Collections {
		w := want[i]
		if c.Name != w.Name || c.Agency != w.Agency || c.Documents != w.Documents || !c.Created.Equal(w.Created) {
			t.Errorf("collection %d: got %+v, want %+v", i, c, w)
		}
		if c.Documents != counts[c.Name] {
			t.Errorf("collection %s: %d documents, want %d", c.Name, c.Documents, counts[c.Name])
		}
	}
}

func TestDocuments(t *testing.T) {
	f := newFixture(t)
	h := f.as(analyst, f.server(nil).Handler())
	stored := f.docs()

	type list struct {
		Total     int
		Documents []store.Summary
	}
	t.Run("all", func(t *testing.T) {
		var got list
		getJSON(t, h, "/api/v1/documents?limit=1000", http.StatusOK, &got, "total", "documents", "next")
		if got.Total != len(stored) || len(got.Documents) != len(stored) {
			t.Fatalf("total %d, %d documents; want %d", got.Total, len(got.Documents), len(stored))
		}
		for _, d := range got.Documents {
			in, ok := stored[d.ID]
			if !ok {
				t.Errorf("unknown document %s", d.ID)
				continue
			}
			if d.Title != in.Doc.Title || d.Format != in.Doc.Format || d.Size != in.Doc.Size || !d.Date.Equal(in.Doc.Date) {
				t.Errorf("summary %s: got %+v, stored %+v", d.ID.Short(), d, in.Doc)
			}
		}
	})
	t.Run("collection", func(t *testing.T) {
		var got list
		getJSON(t, h, "/api/v1/documents?collection="+intercepts, http.StatusOK, &got, "total", "documents", "next")
		if got.Total != 2 {
			t.Errorf("total %d, want 2", got.Total)
		}
		for _, d := range got.Documents {
			if !contains(d.Collections, intercepts) {
				t.Errorf("%s listed for %s but held by %v", d.Title, intercepts, d.Collections)
			}
		}
	})
	t.Run("unknown collection", func(t *testing.T) {
		var got list
		getJSON(t, h, "/api/v1/documents?collection=nobody%27s", http.StatusOK, &got, "total", "documents", "next")
		if got.Total != 0 || got.Documents == nil || len(got.Documents) != 0 {
			t.Errorf("got %+v, want total 0 and an empty list", got)
		}
	})
	t.Run("paging", func(t *testing.T) {
		var all, page list
		getJSON(t, h, "/api/v1/documents?collection="+press+"&limit=1000", http.StatusOK, &all, "total", "documents", "next")
		getJSON(t, h, "/api/v1/documents?collection="+press+"&limit=5&offset=10", http.StatusOK, &page, "total", "documents", "next")
		if page.Total != f.bulletins || len(page.Documents) != 5 {
			t.Fatalf("page: total %d, %d documents", page.Total, len(page.Documents))
		}
		for i, d := range page.Documents {
			if d.ID != all.Documents[10+i].ID {
				t.Errorf("page[%d] = %s, want %s", i, d.Title, all.Documents[10+i].Title)
			}
		}
	})
	for _, q := range []string{"limit=0", "limit=1001", "limit=-1", "limit=ten", "limit=1e3", "offset=-1", "offset=x", "offset=99999999999999999999"} {
		t.Run("bad "+q, func(t *testing.T) {
			wantError(t, h, "/api/v1/documents?"+q, http.StatusBadRequest, strings.Split(q, "=")[0])
		})
	}
}

func TestDocument(t *testing.T) {
	f := newFixture(t)
	h := f.as(analyst, f.server(nil).Handler())
	type doc struct {
		Document mosaic.Document
		Holdings []store.Holding
		Mentions []mosaic.Mention
	}
	for _, in := range []store.Ingested{f.meeting, f.accents, f.hostile} {
		t.Run(in.Doc.ID.Short(), func(t *testing.T) {
			var got doc
			getJSON(t, h, "/api/v1/documents/"+string(in.Doc.ID), http.StatusOK, &got, "document", "holdings", "mentions", "page")
			d, w := got.Document, in.Doc
			if d.ID != w.ID || d.Title != w.Title || d.Text != w.Text || d.Format != w.Format ||
				d.Source != w.Source || d.Size != w.Size || !d.Date.Equal(w.Date) || !reflect.DeepEqual(d.Meta, w.Meta) {
				t.Errorf("document:\n got %+v\nwant %+v", d, w)
			}
			wantMentions := append([]mosaic.Mention(nil), in.Mentions...)
			sort.SliceStable(wantMentions, func(i, j int) bool { return wantMentions[i].Start < wantMentions[j].Start })
			if !reflect.DeepEqual(got.Mentions, wantMentions) {
				t.Errorf("mentions:\n got %+v\nwant %+v", got.Mentions, wantMentions)
			}
			for _, m := range got.Mentions {
				if d.Text[m.Start:m.End] != m.Text {
					t.Errorf("mention %q: text at [%d,%d) is %q", m.Text, m.Start, m.End, d.Text[m.Start:m.End])
				}
			}
			if len(got.Holdings) != 1 || got.Holdings[0].Collection != in.Collection || got.Holdings[0].Source != w.Source {
				t.Errorf("holdings %+v, want one of %s", got.Holdings, in.Collection)
			}
		})
	}
	t.Run("not found", func(t *testing.T) {
		wantError(t, h, "/api/v1/documents/"+strings.Repeat("0", 64), http.StatusNotFound, "not found")
	})
	for _, id := range []string{
		"abc",
		strings.Repeat("0", 63),
		strings.Repeat("0", 65),
		strings.ToUpper(string(f.meeting.Doc.ID)),
		strings.Repeat("g", 64),
		url.PathEscape(strings.Repeat("0", 62) + "'; DROP TABLE documents; --"),
		url.PathEscape("../../../etc/passwd"),
	} {
		t.Run("bad id "+id[:min(len(id), 12)], func(t *testing.T) {
			wantError(t, h, "/api/v1/documents/"+id, http.StatusBadRequest, `"id"`, "64")
		})
	}
}

// TestScope checks that reads go through the caller's scope and that a
// document held by two agencies' collections comes back with both holdings.
func TestScope(t *testing.T) {
	f := newFixture(t)
	h := f.as(analyst, f.server(nil).Handler())
	if got := scopeOf(httptest.NewRequest("GET", "/", nil)); got.Collections == nil || len(got.Collections) != 0 {
		t.Fatalf("scope of a request no one vouched for: %+v, want one that sees nothing", got)
	}
	var got struct {
		Document mosaic.Document
		Holdings []store.Holding
	}
	getJSON(t, h, "/api/v1/documents/"+string(f.shared.Doc.ID), http.StatusOK, &got, "document", "holdings", "mentions", "page")
	want := []store.Holding{
		{Collection: reports, Agency: "Regional Police", Source: f.shared.Doc.Source},
		{Collection: intercepts, Agency: "Signals Unit", Source: "signals/joint-summary.txt"},
	}
	if len(got.Holdings) != len(want) {
		t.Fatalf("holdings %+v, want %+v", got.Holdings, want)
	}
	for i, h := range got.Holdings {
		if h.Collection != want[i].Collection || h.Agency != want[i].Agency || h.Source != want[i].Source || h.Added.IsZero() {
			t.Errorf("holding %d: got %+v, want %+v", i, h, want[i])
		}
	}
	var list struct{ Documents []store.Summary }
	getJSON(t, h, "/api/v1/documents?limit=1000", http.StatusOK, &list, "total", "documents", "next")
	for _, d := range list.Documents {
		if d.ID == f.shared.Doc.ID && !reflect.DeepEqual(d.Collections, []string{reports, intercepts}) {
			t.Errorf("shared document listed with collections %v", d.Collections)
		}
	}
}

func TestSearch(t *testing.T) {
	f := newFixture(t)
	h := f.as(analyst, f.server(nil).Handler())
	type result struct {
		Query string
		Total int
		Hits  []store.Hit
	}
	search := func(t *testing.T, q string, extra string) result {
		t.Helper()
		var r result
		getJSON(t, h, "/api/v1/search?q="+url.QueryEscape(q)+extra, http.StatusOK, &r, "query", "total", "ranked", "hits")
		return r
	}

	t.Run("highlights", func(t *testing.T) {
		r := search(t, "verhelst", "")
		if r.Query != "verhelst" || r.Total != 2 {
			t.Fatalf("query %q total %d, want verhelst and 2", r.Query, r.Total)
		}
		stored := f.docs()
		for _, hit := range r.Hits {
			in, ok := stored[hit.ID]
			if !ok || hit.Title != in.Doc.Title || hit.Format != in.Doc.Format || !hit.Date.Equal(in.Doc.Date) {
				t.Errorf("hit %+v does not match a stored document", hit)
			}
			if len(hit.Highlights) == 0 {
				t.Errorf("hit %s: no highlights in %q", hit.Title, hit.Snippet)
			}
			for _, s := range hit.Highlights {
				if s.Start < 0 || s.End > len(hit.Snippet) || s.Start >= s.End {
					t.Fatalf("hit %s: highlight %+v outside snippet %q", hit.Title, s, hit.Snippet)
				}
				if w := strings.ToLower(hit.Snippet[s.Start:s.End]); w != "verhelst" {
					t.Errorf("hit %s: highlighted %q", hit.Title, w)
				}
			}
		}
	})
	t.Run("non-ASCII", func(t *testing.T) {
		r := search(t, "hélène", "")
		if r.Total != 1 || r.Hits[0].ID != f.accents.Doc.ID {
			t.Fatalf("got %+v", r)
		}
		hit := r.Hits[0]
		for _, s := range hit.Highlights {
			if got := hit.Snippet[s.Start:s.End]; got != "Hélène" {
				t.Errorf("highlighted %q, want Hélène", got)
			}
		}
	})
	t.Run("normalised", func(t *testing.T) {
		r := search(t, `  Kallweit   OR  "Tomas  VERHELST" -vlissingen  `, "")
		if want := `kallweit OR "tomas verhelst" -vlissingen`; r.Query != want {
			t.Errorf("query %q, want %q", r.Query, want)
		}
		if r.Total != 4 {
			t.Errorf("total %d, want 4 (meeting, accents, hostile, shared)", r.Total)
		}
	})
	t.Run("collection filter", func(t *testing.T) {
		r := search(t, "kallweit collection:"+intercepts, "")
		if r.Total != 2 {
			t.Errorf("total %d, want 2", r.Total)
		}
		for _, hit := range r.Hits {
			if !contains(hit.Collections, intercepts) {
				t.Errorf("hit %s held by %v", hit.Title, hit.Collections)
			}
		}
	})
	t.Run("paging", func(t *testing.T) {
		all := search(t, "kallweit", "&limit=1000")
		page := search(t, "kallweit", "&limit=5&offset=20")
		if all.Total != 4+f.bulletins || page.Total != all.Total || len(page.Hits) != 5 {
			t.Fatalf("all %d, page total %d with %d hits", all.Total, page.Total, len(page.Hits))
		}
		for i, hit := range page.Hits {
			if hit.ID != all.Hits[20+i].ID {
				t.Errorf("page[%d] = %s, want %s", i, hit.Title, all.Hits[20+i].Title)
			}
		}
		def := search(t, "kallweit", "")
		if len(def.Hits) != 20 {
			t.Errorf("default page has %d hits, want 20", len(def.Hits))
		}
	})
	t.Run("no match", func(t *testing.T) {
		r := search(t, "zzyzx", "")
		if r.Total != 0 || r.Hits == nil || len(r.Hits) != 0 {
			t.Errorf("got %+v, want total 0 and an empty list", r)
		}
	})

	for _, tc := range []struct {
		name, query string
		words       []string
	}{
		{"missing", "", []string{`"q"`, "empty"}},
		{"empty", "q=", []string{`"q"`, "empty"}},
		{"blank", "q=%20%09%20", []string{`"q"`, "empty"}},
		{"only exclusions", "q=" + url.QueryEscape("-kallweit NOT verhelst"), []string{"nothing to match"}},
		{"only filter", "q=collection:" + press, []string{"nothing to match"}},
		{"too long", "q=" + strings.Repeat("a", maxQuery+1), []string{`"q"`, "longer"}},
		{"bad limit", "q=kallweit&limit=5000", []string{`"limit"`}},
		{"bad offset", "q=kallweit&offset=-3", []string{`"offset"`}},
		{"unknown field", "q=" + url.QueryEscape("kallweit title:garage"), []string{`"q"`, "unknown field title:garage", "collection:"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			wantError(t, h, "/api/v1/search?"+tc.query, http.StatusBadRequest, tc.words...)
		})
	}

	// Hostile queries may match or be refused, never break the server.
	for _, q := range []string{
		`"; DROP TABLE documents; --`,
		`' OR 1=1 --`,
		`kallweit" OR "`,
		`"unterminated phrase`,
		`NOT`, `OR OR OR`, `-`, `*`, `***`, `"*"`, `kall*weit`,
		`collection:"`, `collection:`, `collection:"'; DROP TABLE collections; --"`,
		`<script>alert(1)</script>`,
		`kallweit NEAR(verhelst, 2)`, `title:kallweit`, `{kallweit}`, `kallweit^2`, `(kallweit`,
		"kallweit\x00verhelst", "\xff\xfe", "ملخص", "📞",
		strings.Repeat(`"a" OR `, 200),
	} {
		t.Run("hostile", func(t *testing.T) {
			target := "/api/v1/search?q=" + url.QueryEscape(q)
			res, body := get(t, h, target)
			if res.StatusCode != http.StatusOK && res.StatusCode != http.StatusBadRequest {
				t.Fatalf("q=%q: status %d; body %s", q, res.StatusCode, body)
			}
			if !json.Valid(body) {
				t.Errorf("q=%q: invalid JSON %s", q, body)
			}
		})
	}
}

func TestNoRoute(t *testing.T) {
	f := newFixture(t)
	h := f.as(analyst, f.server(nil).Handler())
	wantError(t, h, "/api/v1/nothing", http.StatusNotFound, "no such endpoint")
	wantError(t, h, "/api/v1/documents/", http.StatusNotFound, "no such endpoint")
	for _, target := range []string{"/api/v1/search?q=kallweit", "/api/v1/collections", "/api/v1/documents/" + strings.Repeat("0", 64)} {
		res, body := do(t, h, http.MethodPost, target)
		if res.StatusCode != http.StatusMethodNotAllowed || res.Header.Get("Allow") != "GET, HEAD" || !json.Valid(body) {
			t.Errorf("POST %s: status %d, Allow %q, body %s", target, res.StatusCode, res.Header.Get("Allow"), body)
		}
	}
	// The recorder keeps a HEAD body; a real server drops it.
	if res, _ := do(t, h, http.MethodHead, "/api/v1/collections"); res.StatusCode != http.StatusOK {
		t.Errorf("HEAD: status %d", res.StatusCode)
	}
}

func TestHealthz(t *testing.T) {
	res, body := get(t, (&Server{}).Handler(), "/healthz")
	if res.StatusCode != http.StatusOK || string(body) != "ok" {
		t.Errorf("status %d, body %q", res.StatusCode, body)
	}
}

func TestPage(t *testing.T) {
	h := (&Server{Hosts: []string{testHost}}).Handler()
	for _, tc := range []struct {
		path, contentType, contains string
	}{
		{"/", "text/html; charset=utf-8", `<script src="app.js" defer></script>`},
		{"/app.js", "text/javascript; charset=utf-8", "There is no page"},
		{"/app.css", "text/css; charset=utf-8", ".doctext"},
		{"/favicon.svg", "image/svg+xml", "<svg"},
	} {
		t.Run(tc.path, func(t *testing.T) {
			res, body := get(t, h, tc.path)
			if res.StatusCode != http.StatusOK {
				t.Fatalf("status %d", res.StatusCode)
			}
			if ct := res.Header.Get("Content-Type"); ct != tc.contentType {
				t.Errorf("Content-Type %q, want %q", ct, tc.contentType)
			}
			if !bytes.Contains(body, []byte(tc.contains)) {
				t.Errorf("body lacks %q", tc.contains)
			}
			// A second request with the ETag is answered from the cache.
			req := httptest.NewRequest("GET", tc.path, nil)
			req.Header.Set("If-None-Match", res.Header.Get("ETag"))
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if rec.Code != http.StatusNotModified {
				t.Errorf("revalidation: status %d, want 304", rec.Code)
			}
		})
	}
	// The page must not reach outside the server: no scheme-qualified or
	// protocol-relative URL in the project's own sources or the HTML, no
	// inline script or style, no HTML parsed from strings. The bundle also
	// holds the npm packages (their licence comments name web sites, and
	// Leaflet builds its own controls with innerHTML); what they may reach
	// is bounded by the Content-Security-Policy (default-src 'self',
	// checked below) and the browser tests, which fail on any request that
	// leaves the server. SVG's and GraphML's namespaces are names written
	// as URLs, never fetched: each may stand once, quoted, in one module.
	namespaces := []string{`'http://www.w3.org/2000/svg'`, `'http://graphml.graphdrawing.org/xmlns'`}
	sources := map[string][]byte{}
	_, sources["/"] = get(t, h, "/")
	files, err := filepath.Glob("ui/src/*")
	if err != nil || len(files) == 0 {
		t.Fatalf("the page's sources: %v %v", files, err)
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		sources[f] = b
	}
	for path, body := range sources {
		for _, ns := range namespaces {
			if bytes.Count(body, []byte(ns)) > 1 {
				t.Errorf("%s names %s more than once: keep it in one constant", path, ns)
			}
			body = bytes.Replace(body, []byte(ns), nil, 1)
		}
		for _, bad := range []string{"http://", "https://", `src="//`, `href="//`, "innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "<style", "style=\""} {
			if bytes.Contains(body, []byte(bad)) {
				t.Errorf("%s contains %q", path, bad)
			}
		}
	}
	res, _ := get(t, h, "/nothing-here")
	if res.StatusCode != http.StatusNotFound {
		t.Errorf("/nothing-here: status %d", res.StatusCode)
	}
}

func TestSecurityHeaders(t *testing.T) {
	f := newFixture(t)
	h := f.as(analyst, f.server(nil).Handler())
	want := map[string]string{
		"Content-Security-Policy": "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
		"X-Content-Type-Options":  "nosniff",
		"Referrer-Policy":         "no-referrer",
	}
	for _, target := range []string{
		"/", "/app.js", "/app.css", "/healthz", "/nothing-here",
		"/api/v1/collections", "/api/v1/documents", "/api/v1/search?q=kallweit",
		"/api/v1/search?q=", "/api/v1/documents/bad", "/api/v1/documents/" + strings.Repeat("0", 64), "/api/v1/nothing",
	} {
		res, _ := get(t, h, target)
		for k, v := range want {
			if got := res.Header.Get(k); got != v {
				t.Errorf("GET %s: %s = %q, want %q", target, k, got, v)
			}
		}
		if strings.HasPrefix(target, "/api/") && res.Header.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: Cache-Control %q, want no-store", target, res.Header.Get("Cache-Control"))
		}
	}
}

// failing is a store whose every read fails with err.
type failing struct{ err error }

func (f failing) Collections(context.Context, store.Scope) ([]store.Collection, error) {
	return nil, f.err
}
func (f failing) EnsureCollection(context.Context, string, string) (store.Collection, error) {
	return store.Collection{}, f.err
}
func (f failing) Search(context.Context, store.SearchRequest) (store.SearchResult, error) {
	return store.SearchResult{}, f.err
}

func TestStatusOf(t *testing.T) {
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	plain := httptest.NewRequest("GET", "/", nil)
	for _, tc := range []struct {
		name   string
		r      *http.Request
		err    error
		status int
	}{
		{"not found", plain, fmt.Errorf("document x: %w", store.ErrNotFound), 404},
		{"invalid", plain, fmt.Errorf("search: %w: nothing", store.ErrInvalid), 400},
		{"param", plain, &paramError{"limit", "is bad"}, 400},
		{"conflict", plain, fmt.Errorf("collection: %w", store.ErrConflict), 409},
		{"cancelled", plain, fmt.Errorf("query: %w", context.Canceled), 499},
		{"request cancelled", plain.WithContext(cancelled), errors.New("interrupted (9)"), 499},
		{"deadline", plain, fmt.Errorf("query: %w", context.DeadlineExceeded), 503},
		{"other", plain, errors.New("disk I/O error at /secret/path"), 500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			status, msg := statusOf(tc.r, tc.err)
			if status != tc.status {
				t.Errorf("status %d, want %d", status, tc.status)
			}
			if status == 500 && strings.Contains(msg, "secret") {
				t.Errorf("500 message leaks the error: %q", msg)
			}
		})
	}
}

// TestInternalError checks that a store fault is a 500 with a generic
// message, and that the details reach the log instead.
func TestInternalError(t *testing.T) {
	var logged syncBuffer
	log := slog.New(slog.NewTextHandler(&logged, &slog.HandlerOptions{Level: slog.LevelDebug}))
	bad := failing{errors.New("disk I/O error at /secret/path")}
	f := newFixture(t)
	h := f.as(analyst, (&Server{Collections: bad, Searcher: bad, Accounts: f.store, Hosts: []string{testHost}, Log: log}).Handler())
	for _, target := range []string{"/api/v1/collections", "/api/v1/search?q=kallweit"} {
		res, body := get(t, h, target)
		if res.StatusCode != http.StatusInternalServerError || bytes.Contains(body, []byte("secret")) || !json.Valid(body) {
			t.Errorf("GET %s: status %d, body %s", target, res.StatusCode, body)
		}
	}
	out := logged.String()
	if !strings.Contains(out, "level=ERROR") || !strings.Contains(out, "/secret/path") {
		t.Errorf("log lacks the error:\n%s", out)
	}
	if !strings.Contains(out, "level=DEBUG msg=request") || strings.Contains(out, "kallweit") {
		t.Errorf("request log should name the path but not the query:\n%s", out)
	}
}

func TestListenAndServe(t *testing.T) {
	var logged syncBuffer
	log := slog.New(slog.NewTextHandler(&logged, nil))
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- ListenAndServe(ctx, Listen{Addr: "127.0.0.1:0"}, (&Server{}).Handler(), log) }()

	var base string
	for deadline := time.Now().Add(5 * time.Second); base == "" && time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if _, rest, ok := strings.Cut(logged.String(), "url="); ok {
			base, _, _ = strings.Cut(rest, "\n")
		}
	}
	if !strings.HasPrefix(base, "http://127.0.0.1:") {
		cancel()
		t.Fatalf("no URL logged:\n%s", logged.String())
	}
	res, err := http.Get(base + "healthz")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Errorf("healthz: %d", res.StatusCode)
	}
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("ListenAndServe: %v", err)
		}
	case <-time.After(15 * time.Second):
		t.Fatal("server did not shut down")
	}
	if err := ListenAndServe(context.Background(), Listen{Addr: "127.0.0.1:-1"}, nil, nil); err == nil {
		t.Error("bad address: no error")
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// syncBuffer is a bytes.Buffer safe for the server's goroutines to log into.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestRequestDeadline: a request that outlives the server's deadline stops
// at its next store call and answers 503; the same request in time answers.
func TestRequestDeadline(t *testing.T) {
	f := newFixture(t)
	srv := f.server(nil)
	srv.RequestTimeout = time.Nanosecond
	wantError(t, f.as(analyst, srv.Handler()), "/api/v1/search?q=kallweit", http.StatusServiceUnavailable)
	srv = f.server(nil)
	if res, body := get(t, f.as(analyst, srv.Handler()), "/api/v1/search?q=kallweit"); res.StatusCode != http.StatusOK {
		t.Errorf("in time: %d %s", res.StatusCode, body)
	}
}
