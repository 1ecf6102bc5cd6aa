package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// walkAPI follows a list's next cursors from target (which has a query
// string) and returns every page's raw items under key, failing on a page
// longer than limit.
func walkAPI[T any](t *testing.T, h http.Handler, target, key string, limit int) []T {
	t.Helper()
	var out []T
	cursor := ""
	for range 1000 {
		u := fmt.Sprintf("%s&limit=%d", target, limit)
		if cursor != "" {
			u += "&cursor=" + url.QueryEscape(cursor)
		}
		res, body := get(t, h, u)
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d %s", u, res.StatusCode, body)
		}
		var typed struct {
			Items []T
			Next  string
		}
		if err := decodeKey(body, key, &typed.Items); err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		if err := decodeKey(body, "next", &typed.Next); err != nil {
			t.Fatalf("GET %s: %v", u, err)
		}
		if len(typed.Items) > limit {
			t.Fatalf("GET %s: %d items", u, len(typed.Items))
		}
		out = append(out, typed.Items...)
		if typed.Next == "" {
			return out
		}
		cursor = typed.Next
	}
	t.Fatal("paging never ended")
	return nil
}

func TestDocumentsCursorAPI(t *testing.T) {
	f := newFixture(t)
	h := f.as(analyst, f.server(nil).Handler())
	got := walkAPI[store.Summary](t, h, "/api/v1/documents?collection="+press, "documents", 4)
	if len(got) != f.bulletins {
		t.Errorf("paged %d documents, want %d", len(got), f.bulletins)
	}
	seen := map[mosaic.DocID]bool{}
	for _, d := range got {
		if seen[d.ID] {
			t.Errorf("%s listed twice", d.Title)
		}
		seen[d.ID] = true
	}
	for _, c := range []string{"nonsense", "W10", strings.Repeat("x", maxCursor+1)} {
		wantError(t, h, "/api/v1/documents?cursor="+c, http.StatusBadRequest, "cursor")
	}
}

// TestDocumentPagesAPI: a long document comes a page at a time, each with
// the mentions that start in it at whole-document offsets; the pages make
// the text; the mentions endpoint pages through them all.
func TestDocumentPagesAPI(t *testing.T) {
	f := newFixture(t)
	var text strings.Builder
	var ms []mosaic.Mention
	for i := 0; text.Len() < 2*store.TextPageSize+5000; i++ {
		start := text.Len()
		fmt.Fprintf(&text, "Entry %d: Tomas Verhelst wrote again.\n", i)
		j := start + strings.Index(text.String()[start:], "Tomas")
		ms = append(ms, mosaic.Mention{Start: j, End: j + len("Tomas Verhelst"), Type: mosaic.Person, Text: "Tomas Verhelst",
			Sentence: mosaic.Span{Start: start, End: text.Len()}, Confidence: 0.9})
	}
	d := mosaic.Document{ID: mosaic.NewDocID([]byte(text.String())), Title: "Chat export", Text: text.String(),
		Format: mosaic.FormatText, Source: "chat.txt", Size: int64(text.Len())}
	if _, err := f.store.Add(context.Background(), []store.Ingested{{Collection: reports, Doc: d, Mentions: ms}}); err != nil {
		t.Fatal(err)
	}
	h := f.as(analyst, f.server(nil).Handler())
	var joined strings.Builder
	var mentions int
	pages := 1
	for n := 0; n < pages; n++ {
		var got documentResponse
		target := "/api/v1/documents/" + string(d.ID)
		if n > 0 {
			target += fmt.Sprintf("?page=%d", n)
		}
		getJSON(t, h, target, http.StatusOK, &got, "document", "holdings", "mentions", "page")
		pages = got.Page.Pages
		if got.Page.Number != n || got.Page.Start != joined.Len() || got.Page.Length != text.Len() || len(got.Document.Text) > store.TextPageSize {
			t.Fatalf("page %d: %+v after %d bytes", n, got.Page, joined.Len())
		}
		for _, m := range got.Mentions {
			if m.Start < got.Page.Start || m.Start >= got.Page.End || d.Text[m.Start:m.End] != m.Text {
				t.Fatalf("page %d: mention %+v outside the page or off the text", n, m)
			}
			// Relative to the page, as the page's script places it.
			if rel := m.Start - got.Page.Start; m.End <= got.Page.End && got.Document.Text[rel:rel+len(m.Text)] != m.Text {
				t.Fatalf("page %d: mention %q not at %d of the page's text", n, m.Text, rel)
			}
		}
		mentions += len(got.Mentions)
		joined.WriteString(got.Document.Text)
	}
	if pages < 3 || joined.String() != d.Text || mentions != len(ms) {
		t.Errorf("%d pages, text whole: %v, %d of %d mentions", pages, joined.String() == d.Text, mentions, len(ms))
	}
	for _, bad := range []string{"-1", fmt.Sprint(pages), "x"} {
		wantError(t, h, "/api/v1/documents/"+string(d.ID)+"?page="+bad, http.StatusBadRequest, "page")
	}
	all := walkAPI[mosaic.Mention](t, h, "/api/v1/documents/"+string(d.ID)+"/mentions?", "mentions", 300)
	if len(all) != len(ms) {
		t.Errorf("mentions endpoint paged %d of %d", len(all), len(ms))
	}
	window := walkAPI[mosaic.Mention](t, h, fmt.Sprintf("/api/v1/documents/%s/mentions?start=%d&end=%d", d.ID, ms[10].Start, ms[20].Start), "mentions", 3)
	if len(window) != 10 {
		t.Errorf("mentions in a window: %d, want 10", len(window))
	}
	wantError(t, h, "/api/v1/documents/"+string(d.ID)+"/mentions?cursor=zzz", http.StatusBadRequest, "cursor")
	wantError(t, h, "/api/v1/documents/"+string(d.ID)+"/mentions?start=9&end=3", http.StatusBadRequest, "end")
}

// TestEntityListsAPI: each list of a profile pages to the same items the
// store lists in one go; a bad cursor is a 400 naming it.
func TestEntityListsAPI(t *testing.T) {
	f := newFixture(t)
	h := f.entityHandler(t)
	var found struct {
		Entities []foundEntity `json:"entities"`
		Next     string        `json:"next"`
	}
	getJSON(t, h, "/api/v1/entities?name=Tomas+Verhelst", http.StatusOK, &found, "entities", "next")
	if len(found.Entities) == 0 {
		t.Fatal("Tomas Verhelst not found")
	}
	id := found.Entities[0].ID
	ctx := context.Background()
	base := fmt.Sprintf("/api/v1/entities/%d", id)
	_, names, _, err := f.store.EntitySpellings(ctx, id, store.Scope{}, store.Page{Limit: store.MaxLimit})
	if err != nil {
		t.Fatal(err)
	}
	if got := walkAPI[store.EntityName](t, h, base+"/names?", "names", 1); len(got) != len(names) || len(got) < 2 {
		t.Errorf("names paged: %d, want %d", len(got), len(names))
	}
	docs, _, _ := f.store.SpellingDocuments(ctx, id, names[0].Name, store.Scope{}, store.Page{Limit: store.MaxLimit})
	if got := walkAPI[store.DocumentRef](t, h, base+"/documents?name="+url.QueryEscape(names[0].Name), "documents", 1); len(got) != len(docs) || len(got) == 0 {
		t.Errorf("documents of %q paged: %d, want %d", names[0].Name, len(got), len(docs))
	}
	conns, _, _ := f.store.EntityConnections(ctx, id, store.Scope{}, store.Page{Limit: store.MaxLimit})
	if got := walkAPI[store.Connection](t, h, base+"/connections?", "connections", 1); len(got) != len(conns) || len(got) == 0 {
		t.Errorf("connections paged: %d, want %d", len(got), len(conns))
	}
	timeline, _, _ := f.store.EntityTimeline(ctx, id, store.Scope{}, store.Page{Limit: store.MaxLimit})
	if got := walkAPI[store.DocumentRef](t, h, base+"/timeline?", "timeline", 1); len(got) != len(timeline) || len(got) == 0 {
		t.Errorf("timeline paged: %d, want %d", len(got), len(timeline))
	}
	for _, list := range []string{"names?", "connections?", "timeline?", "documents?name=Verhelst&"} {
		wantError(t, h, base+"/"+list+"cursor=WyJuYW1lcyJd", http.StatusBadRequest, "cursor")
	}
	wantError(t, h, base+"/documents?name=", http.StatusBadRequest, "name")
	wantError(t, h, "/api/v1/entities/999999/connections", http.StatusNotFound)

	// A name look-up pages too, each entity once.
	byOne := walkAPI[foundEntity](t, h, "/api/v1/entities?name=Verhelst", "entities", 1)
	var all struct {
		Entities []foundEntity `json:"entities"`
	}
	getJSON(t, h, "/api/v1/entities?name=Verhelst&limit=50", http.StatusOK, &all, "entities", "next")
	if len(byOne) != len(all.Entities) || len(byOne) < 2 {
		t.Errorf("look-up paged one at a time: %d entities, in one page: %d", len(byOne), len(all.Entities))
	}
	for i := range min(len(byOne), len(all.Entities)) {
		if byOne[i].ID != all.Entities[i].ID {
			t.Errorf("look-up paged: entity %d is %d, in one page %d", i, byOne[i].ID, all.Entities[i].ID)
		}
	}
	wantError(t, h, "/api/v1/entities?name=Verhelst&cursor=nope", http.StatusBadRequest, "cursor")
}

// TestBodyLimits: each endpoint that reads a body refuses one over its
// limit with 413 and says what the limit is.
func TestBodyLimits(t *testing.T) {
	f := newFixture(t)
	f.resolve(t)
	srv := f.server(nil)
	srv.Entities, srv.Judges = f.store, f.store
	h := f.as(analyst, srv.Handler())
	big := `{"reason": "` + strings.Repeat("x", maxBody) + `"}`
	for _, target := range []string{"/api/v1/judgements", "/api/v1/judgements/1/undo"} {
		status, body := post(t, h, target, big)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(fmt.Sprint(body["error"]), "64 KiB") {
			t.Errorf("POST %s of %d bytes: %d %v, want 413 naming 64 KiB", target, len(big), status, body)
		}
	}
	edges := strings.Repeat("a\tb\n", 1000)
	srv.MaxAnalyzeBytes = 1000
	if status, body := post(t, f.as(analyst, srv.Handler()), "/api/v1/analyze", edges); status != http.StatusRequestEntityTooLarge ||
		!strings.Contains(fmt.Sprint(body["error"]), "1000 bytes") {
		t.Errorf("POST analyze of %d bytes over a 1000-byte limit: %d %v", len(edges), status, body)
	}
	srv.MaxAnalyzeBytes = 0
	if status, body := post(t, f.as(analyst, srv.Handler()), "/api/v1/analyze", edges); status != http.StatusOK {
		t.Errorf("POST analyze of %d bytes under the default limit: %d %v", len(edges), status, body)
	}
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, "/api/v1/analyze", strings.NewReader(strings.Repeat("a\tb\n", DefaultMaxAnalyzeBytes/4+1)))
	req.Header.Set("Content-Type", "text/tab-separated-values")
	f.as(analyst, srv.Handler()).ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge || !strings.Contains(rec.Body.String(), "4 MiB") {
		t.Errorf("POST analyze over the default limit: %d %s", rec.Code, rec.Body)
	}
}

// decodeKey decodes the value under key of a JSON object.
func decodeKey(body []byte, key string, v any) error {
	var top map[string]json.RawMessage
	if err := json.Unmarshal(body, &top); err != nil {
		return err
	}
	raw, ok := top[key]
	if !ok {
		return fmt.Errorf("no %q in %s", key, body)
	}
	return json.Unmarshal(raw, v)
}
