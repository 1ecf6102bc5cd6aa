package storetest

import (
	"context"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// testPrepared checks that a document the store prepared ahead of Add
// (store.Preparer) is found exactly as one it was not: each text is added
// twice, once prepared and once not, the twins differing only by their
// last word, and every query must find both with the same score, snippet
// and highlights. A document changed after it was prepared is indexed as
// it is added, not as it was prepared.
func testPrepared(t *testing.T, s store.Store) {
	prep, ok := s.(store.Preparer)
	if !ok {
		t.Skip("the store prepares nothing ahead of Add")
	}
	ctx := context.Background()
	mustCollection(t, s, "press", "Press desk")
	texts := [][2]string{
		{"Abou Hafs al-Tunsi profile", "A profile of the recruiter known as Abou Hafs. The recruiter, Abou Hafs, recruited in Liège."},
		{"Market stabbing", "A man stabbed two shoppers;\x01police said he acted alone.\tHe had acted alone before?"},
		{"Café attack", "The attack on the CAFÉ in Liège left one wounded. José Ortega was a witness; JOSE ORTEGA testified."},
	}
	twin := map[mosaic.DocID]int{} // a document's text, and
	prepared := map[mosaic.DocID]bool{}
	var batch []store.Ingested
	for i, tx := range texts {
		for _, last := range []string{" zeta", " kappa"} {
			in := store.Ingested{Collection: "press", Doc: doc(tx[0], tx[1]+last)}
			if last == " zeta" {
				prep.Prepare(&in)
				if in.Prepared == nil || in.Prepared.Bytes() <= 0 {
					t.Fatalf("%q: prepared %v", tx[0], in.Prepared)
				}
				prepared[in.Doc.ID] = true
			}
			twin[in.Doc.ID] = i
			batch = append(batch, in)
		}
	}
	// Prepared, then changed: the words it was prepared with must not be
	// the ones indexed.
	stale := store.Ingested{Collection: "press", Doc: doc("Stale", "alpha bravo")}
	prep.Prepare(&stale)
	stale.Doc = doc("Stale", "charlie delta")
	batch = append(batch, stale)
	mustAdd(t, s, batch...)

	unmark := strings.NewReplacer("zeta", "#", "kappa", "#")
	for _, q := range []string{"recruiter", "abou", "liege", "jose ortega", "al-Tunsi", `"acted alone"`, "recruit*",
		"police", "cafe OR stabbed", "profile -market", "a"} {
		res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(q)})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if res.Total == 0 || res.Total%2 != 0 || len(res.Hits) != res.Total {
			t.Fatalf("%s: %d hits of %d, want twins", q, len(res.Hits), res.Total)
		}
		byText := map[int][]store.Hit{}
		for _, h := range res.Hits {
			i, ok := twin[h.ID]
			if !ok {
				t.Fatalf("%s: hit %q is no twin", q, h.Title)
			}
			if prepared[h.ID] {
				byText[i] = append([]store.Hit{h}, byText[i]...)
			} else {
				byText[i] = append(byText[i], h)
			}
		}
		for i, hs := range byText {
			if len(hs) != 2 {
				t.Errorf("%s: %q found %d times, want prepared and not", q, texts[i][0], len(hs))
				continue
			}
			a, b := hs[0], hs[1]
			if !prepared[a.ID] || prepared[b.ID] {
				t.Errorf("%s: %q found twice the same way", q, texts[i][0])
			}
			if a.Score != b.Score || unmark.Replace(a.Snippet) != unmark.Replace(b.Snippet) || !slices.Equal(a.Highlights, b.Highlights) {
				t.Errorf("%s: prepared %v %q %v, not %v %q %v", q, a.Score, a.Snippet, a.Highlights, b.Score, b.Snippet, b.Highlights)
			}
		}
	}
	for q, want := range map[string]int{"bravo": 0, "alpha": 0, "delta": 1, `"charlie delta"`: 1} {
		res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(q)})
		if err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if res.Total != want || want == 1 && res.Hits[0].ID != stale.Doc.ID {
			t.Errorf("%s: %d hits %+v, want %d (the stale preparation ignored)", q, res.Total, res.Hits, want)
		}
	}
}
