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

// testSearchRanking holds every backend to one order of results, written
// down here from what a ranking like BM25 must give and not from what any
// backend answered: a title naming the word before a body repeating it;
// more mentions before fewer; a short document before a long one with as
// many; a rare word of the query weighing more than a common one; the
// documents stored first first among equals.
func testSearchRanking(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "desk", "Press desk")
	filler := func(n int) string {
		words := strings.Fields("the convoy moved north along the coast road past the old quarry and the harbour")
		var b strings.Builder
		for i := range n {
			b.WriteString(" " + words[i%len(words)])
		}
		return b.String()
	}
	docs := []mosaic.Document{
		// Stored first: among equals it would come first, so a backend
		// that ignored length would put it before "Brief report".
		doc("Long report", "A courier was named."+filler(120)),
		doc("Falcon network", "A short note on the cell."),
		doc("Note on meetings", "The falcon met the falcon courier; the falcon left."),
		doc("Sightings", "The falcon was seen at the quarry."+filler(100)),
		doc("Two names", "A falcon and another falcon were named in the file."+filler(20)),
		doc("Brief report", "A courier was named."),
		doc("Harbour watch", "A heron was seen by the harbour wall once more."+filler(10)),
		doc("Birds", "Nothing about the cell here."),
		doc("Roads", "The coast road was closed."),
		doc("Quarry", "Work at the quarry stopped."),
		doc("Harbour", "Ships left the harbour."),
		doc("Weather", "Rain all week."),
	}
	var batch []store.Ingested
	for _, d := range docs {
		batch = append(batch, store.Ingested{Collection: "desk", Doc: d})
	}
	mustAdd(t, s, batch...)
	byTitle := map[string]mosaic.DocID{}
	for _, d := range docs {
		byTitle[d.Title] = d.ID
	}
	cases := []struct {
		query string
		want  []string    // titles, best first
		order [][2]string // or, where the whole order is not for the rule to say, pairs in order
	}{
		// The title outweighs three mentions; three mentions two; two in
		// a mid-length report one in a long one.
		{query: "falcon", want: []string{"Falcon network", "Note on meetings", "Two names", "Sightings"}},
		// As many mentions: the shorter document first.
		{query: "courier", want: []string{"Brief report", "Note on meetings", "Long report"}},
		// A rare word (one document of twelve) outweighs a common one
		// (four), mentioned as often in a document as long or longer.
		{query: "falcon OR heron", want: []string{"Falcon network", "Harbour watch", "Note on meetings", "Two names", "Sightings"},
			order: [][2]string{{"Harbour watch", "Two names"}, {"Harbour watch", "Sightings"}, {"Note on meetings", "Two names"}, {"Two names", "Sightings"}}},
		// Both words: only the meeting note names both.
		{query: "falcon courier", want: []string{"Note on meetings"}},
		{query: `"falcon courier"`, want: []string{"Note on meetings"}},
		{query: "falcon -courier", want: []string{"Falcon network", "Two names", "Sightings"}},
	}
	for _, c := range cases {
		t.Run(c.query, func(t *testing.T) {
			res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(c.query), Limit: 20})
			if err != nil {
				t.Fatal(err)
			}
			titles := make([]string, len(res.Hits))
			for i, h := range res.Hits {
				titles[i] = h.Title
			}
			at := map[string]int{}
			for i, title := range titles {
				at[title] = i
			}
			if c.order == nil {
				if res.Total != len(c.want) || strings.Join(titles, " | ") != strings.Join(c.want, " | ") {
					t.Errorf("%q ranks %q (total %d), want %q", c.query, titles, res.Total, c.want)
				}
			} else {
				got := slices.Clone(titles)
				slices.Sort(got)
				want := slices.Clone(c.want)
				slices.Sort(want)
				if res.Total != len(c.want) || !slices.Equal(got, want) {
					t.Errorf("%q finds %q (total %d), want %q", c.query, titles, res.Total, c.want)
				}
				for _, p := range c.order {
					if at[p[0]] > at[p[1]] {
						t.Errorf("%q ranks %q: %q should come before %q", c.query, titles, p[0], p[1])
					}
				}
				c.want = titles // the page check below follows the order given
			}
			for i := 1; i < len(res.Hits); i++ {
				if res.Hits[i].Score > res.Hits[i-1].Score {
					t.Errorf("%q: hit %d scores %v, above hit %d's %v", c.query, i, res.Hits[i].Score, i-1, res.Hits[i-1].Score)
				}
			}
			// A page starts where the one before it ended.
			if len(c.want) > 2 {
				next, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(c.query), Limit: 2, Offset: 2})
				if err != nil {
					t.Fatal(err)
				}
				if len(next.Hits) == 0 || next.Hits[0].ID != byTitle[c.want[2]] {
					t.Errorf("%q, second page of 2: %+v, want it to start at %q", c.query, next.Hits, c.want[2])
				}
			}
		})
	}
	// A bound on the ranking: the two most recently stored of the four
	// falcon documents ranked between themselves ("Two names" outranks
	// "Sightings", as above), then the older two newest first, whatever
	// their rank; every page of one agrees, and the count is whole.
	t.Run("rank bound", func(t *testing.T) {
		want := []string{"Two names", "Sightings", "Note on meetings", "Falcon network"}
		res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("falcon"), Limit: 20, Rank: 2})
		if err != nil {
			t.Fatal(err)
		}
		var titles []string
		for _, h := range res.Hits {
			titles = append(titles, h.Title)
		}
		if res.Total != 4 || res.Ranked != 2 || !slices.Equal(titles, want) {
			t.Errorf("falcon, 2 ranked: %q (total %d, ranked %d), want %q (4, 2)", titles, res.Total, res.Ranked, want)
		}
		for offset, title := range want {
			page, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("falcon"), Limit: 1, Offset: offset, Rank: 2})
			if err != nil {
				t.Fatal(err)
			}
			if len(page.Hits) != 1 || page.Hits[0].Title != title || page.Total != 4 || page.Ranked != 2 {
				t.Errorf("falcon, 2 ranked, page %d of 1: %+v (total %d, ranked %d), want %q", offset, page.Hits, page.Total, page.Ranked, title)
			}
		}
		straddle, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("falcon"), Limit: 2, Offset: 1, Rank: 2})
		if err != nil {
			t.Fatal(err)
		}
		if len(straddle.Hits) != 2 || straddle.Hits[0].Title != want[1] || straddle.Hits[1].Title != want[2] {
			t.Errorf("falcon, 2 ranked, a page across the bound: %+v, want %q", straddle.Hits, want[1:3])
		}
		all, err := s.Search(ctx, store.SearchRequest{Query: search.Parse("falcon"), Limit: 20})
		if err != nil {
			t.Fatal(err)
		}
		if all.Ranked != 4 {
			t.Errorf("falcon under the default bound: %d of %d ranked, want all", all.Ranked, all.Total)
		}
	})
}
