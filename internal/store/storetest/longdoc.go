package storetest

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"mosaic/internal/search"
	"mosaic/internal/store"
)

// testSearchLongDocument: a long document that matches gets a snippet
// around its match with the match highlighted, as a short one does,
// whether it names the word once deep inside or on every line.
func testSearchLongDocument(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "chats", "Police")
	var once, every strings.Builder
	for i := 0; once.Len() < 600<<10; i++ {
		fmt.Fprintf(&once, "Line %d: the group talked about the weather.\n", i)
		if i == 7000 {
			once.WriteString("Then Khalidi wrote from the harbour.\n")
		}
		fmt.Fprintf(&every, "Line %d: Ferhat wrote to the group again.\n", i)
	}
	mustAdd(t, s, store.Ingested{Collection: "chats", Doc: doc("Chat once", once.String())},
		store.Ingested{Collection: "chats", Doc: doc("Chat every line", every.String())})
	for _, c := range []struct{ query, word string }{
		{"khalidi", "Khalidi"},
		{"KHALIDI harbour", "Khalidi"},
		{"ferhat", "Ferhat"},
		{"ferh*", "Ferhat"},
	} {
		res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(c.query)})
		if err != nil || res.Total != 1 || len(res.Hits) != 1 {
			t.Fatalf("search %q: %v, %+v", c.query, err, res)
		}
		h := res.Hits[0]
		if len(h.Snippet) > 1000 || !strings.Contains(h.Snippet, c.word) {
			t.Errorf("search %q: snippet %q (%d bytes) does not show %q", c.query, h.Snippet, len(h.Snippet), c.word)
		}
		found := false
		for _, sp := range h.Highlights {
			found = found || h.Snippet[sp.Start:sp.End] == c.word
		}
		if !found {
			t.Errorf("search %q: highlights %v of %q miss %q", c.query, h.Highlights, h.Snippet, c.word)
		}
	}
}

// testSearchAcrossParts: a document of some 50,000 words is found by a
// phrase wherever it stands and by words far apart, and left out by a word
// it names only at its end. (A store may index a long text in parts, as
// the PostgreSQL store does, 16,000 words to a part: the phrases here
// straddle where such parts meet.)
func testSearchAcrossParts(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "chats", "Police")
	words := make([]string, 0, 50_000)
	for len(words) < 50_000 {
		words = append(words, fmt.Sprintf("w%d", len(words)%997))
	}
	// Phrases at and around the places where parts of 16,000 words with
	// an overlap of 64 begin and end, and far from them.
	put := func(at int, phrase ...string) {
		copy(words[at:], phrase)
	}
	put(0, "opening", "remark")
	put(15_999, "harbour", "meeting")         // across the first part's end
	put(15_930, "quiet", "courier")           // inside the overlap
	put(31_935, "second", "crossing", "ends") // across the second part's end
	put(49_998, "closing", "word")
	text := strings.Join(words, " ") + "."
	mustAdd(t, s, store.Ingested{Collection: "chats", Doc: doc("Long chat", text)},
		store.Ingested{Collection: "chats", Doc: doc("Short note", "A harbour. A meeting. The opening.")})
	for _, c := range []struct {
		query string
		want  []string
	}{
		{`"harbour meeting"`, []string{"Long chat"}},
		{`"quiet courier"`, []string{"Long chat"}},
		{`"second crossing ends"`, []string{"Long chat"}},
		{`"closing word"`, []string{"Long chat"}},
		{`"meeting harbour"`, nil},
		{"opening closing", []string{"Long chat"}},               // words in the first and the last part
		{"harbour meeting", []string{"Long chat", "Short note"}}, // both words, not as a phrase
		{"opening -closing", []string{"Short note"}},
	} {
		res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(c.query)})
		if err != nil {
			t.Fatalf("search %q: %v", c.query, err)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.Title)
		}
		slices.Sort(got)
		if res.Total != len(c.want) || !slices.Equal(got, c.want) {
			t.Errorf("search %q: %q (total %d), want %q", c.query, got, res.Total, c.want)
		}
	}
}
