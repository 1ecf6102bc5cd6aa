package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// TestEntityPages: each list of mosaic entity shows --limit items and a
// 'more:' line whose command shows the rest; following the lines visits
// every connection once, the ones the whole list has.
func TestEntityPages(t *testing.T) {
	db := sampleCase(t)
	p := entityJSON(t, db, "Abdelkader el-Haddouchi")
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	all, _, err := st.EntityConnections(context.Background(), p.ID, store.Scope{}, store.Page{Limit: store.MaxLimit})
	st.Close()
	if err != nil || len(all) < 3 {
		t.Fatalf("connections: %v, %d of them; the case should give several", err, len(all))
	}
	out, errs, code := runMosaic(t, "entity", "--db", db, "--limit", "2", fmt.Sprint(p.ID))
	if code != 0 {
		t.Fatalf("entity --limit 2: exit %d: %s", code, errs)
	}
	more := regexp.MustCompile(`more: mosaic entity --more connections --cursor (\S+) (\d+)`)
	seen := map[mosaic.EntityID]int{}
	for range 100 {
		for _, c := range all {
			if strings.Contains(out, fmt.Sprintf("(entity %d)\n", c.ID)) {
				seen[c.ID]++
			}
		}
		m := more.FindStringSubmatch(out)
		if m == nil {
			break
		}
		if out, errs, code = runMosaic(t, "entity", "--db", db, "--limit", "2", "--more", "connections", "--cursor", m[1], m[2]); code != 0 {
			t.Fatalf("entity --more connections: exit %d: %s", code, errs)
		}
	}
	for _, c := range all {
		if seen[c.ID] != 1 {
			t.Errorf("following the more: lines showed connection %d (%s) %d times, want once", c.ID, c.Name, seen[c.ID])
		}
	}
	if _, errs, code := runMosaic(t, "entity", "--db", db, "--more", "timeline", "--cursor", "nonsense", fmt.Sprint(p.ID)); code != 1 || !strings.Contains(errs, "--cursor") {
		t.Errorf("a bad cursor: exit %d, %s", code, errs)
	}
	if _, errs, code := runMosaic(t, "entity", "--db", db, "--cursor", "x", fmt.Sprint(p.ID)); code != 1 || !strings.Contains(errs, "--more") {
		t.Errorf("a cursor without --more: exit %d, %s", code, errs)
	}
}

// TestShowPages: a document of several pages prints one page at a time,
// says which, and --page all or the pages together give the whole text.
func TestShowPages(t *testing.T) {
	db := t.TempDir()
	dir := t.TempDir()
	var text strings.Builder
	for i := 0; text.Len() < 3*store.TextPageSize; i++ {
		fmt.Fprintf(&text, "Line %d: Karim Benali met Nadia Ferhat in Liège.\n", i)
	}
	if err := os.WriteFile(filepath.Join(dir, "chat.txt"), []byte(text.String()), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "chats", "--agency", "Police", dir); code != 0 {
		t.Fatalf("ingest: exit %d: %s", code, errs)
	}
	id := string(mosaic.NewDocID([]byte(text.String())))
	var joined strings.Builder
	pages := 0
	for n := 1; ; n++ {
		out, errs, code := runMosaic(t, "show", "--db", db, "--json", "--page", fmt.Sprint(n), id)
		if code != 0 {
			t.Fatalf("show --page %d: exit %d: %s", n, code, errs)
		}
		var shown struct {
			mosaic.Document
			Page     store.TextPage   `json:"page"`
			Mentions []mosaic.Mention `json:"mentions"`
		}
		if err := json.Unmarshal([]byte(out), &shown); err != nil {
			t.Fatal(err)
		}
		pages = shown.Page.Pages
		if shown.Page.Start != joined.Len() || len(shown.Text) > store.TextPageSize {
			t.Fatalf("page %d starts at %d after %d bytes, holds %d", n, shown.Page.Start, joined.Len(), len(shown.Text))
		}
		for _, m := range shown.Mentions {
			if m.Start < shown.Page.Start || m.Start >= shown.Page.End || text.String()[m.Start:m.End] != m.Text {
				t.Errorf("page %d: mention %q at [%d,%d) is not in the page or not in the text there", n, m.Text, m.Start, m.End)
				break
			}
		}
		if len(shown.Mentions) == 0 {
			t.Errorf("page %d has no mentions", n)
		}
		joined.WriteString(shown.Text)
		if n == pages {
			break
		}
	}
	if pages < 3 || joined.String() != text.String() {
		t.Errorf("%d pages; together they make the text: %v", pages, joined.String() == text.String())
	}
	out, _, _ := runMosaic(t, "show", "--db", db, id)
	if !strings.Contains(out, fmt.Sprintf("page 1 of %d", pages)) || !strings.Contains(out, "more: mosaic show --page 2 "+id) || strings.Contains(out, "Line 3000:") {
		t.Errorf("show without --page: want the first page and a more: line, got %d bytes", len(out))
	}
	out, _, _ = runMosaic(t, "show", "--db", db, "--page", "all", id)
	if !strings.Contains(out, strings.TrimSpace(text.String())) {
		t.Error("show --page all does not print the whole text")
	}
	for _, bad := range []string{"0", fmt.Sprint(pages + 1), "two"} {
		if _, errs, code := runMosaic(t, "show", "--db", db, "--page", bad, id); code != 1 || !strings.Contains(errs, "--page") {
			t.Errorf("show --page %s: exit %d, %s", bad, code, errs)
		}
	}
}

// TestServeMaxAnalyzeBytes: the analyze limit must be a positive number of
// bytes; the server is not started otherwise.
func TestServeMaxAnalyzeBytes(t *testing.T) {
	db := t.TempDir()
	for _, bad := range []string{"0", "-5", "4MiB"} {
		if _, errs, code := runMosaic(t, "serve", "--db", db, "--addr", "127.0.0.1:0", "--max-analyze-bytes", bad); code == 0 || !strings.Contains(errs, "max-analyze-bytes") {
			t.Errorf("serve --max-analyze-bytes %s: exit %d, %s", bad, code, errs)
		}
	}
}
