package storetest

import (
	"context"
	"fmt"
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
