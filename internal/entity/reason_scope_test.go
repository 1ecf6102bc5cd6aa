package entity_test

import (
	"context"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// TestReasonsInScope resolves one agency's document against a name only
// another agency's document uses, and reads the entity's reasons in the
// first agency's scope: they must not quote the other agency's spelling,
// which the whole store's reasons do.
func TestReasonsInScope(t *testing.T) {
	ctx := context.Background()
	st, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for c, agency := range map[string]string{"bureau": "Bureau", "police": "Police"} {
		if _, err := st.EnsureCollection(ctx, c, agency); err != nil {
			t.Fatal(err)
		}
	}
	r, err := entity.NewResolver(ctx, st)
	if err != nil {
		t.Fatal(err)
	}
	add := func(collection, text, name string) mosaic.EntityID {
		t.Helper()
		i := strings.Index(text, name)
		ms := []mosaic.Mention{{Start: i, End: i + len(name), Type: mosaic.Person, Text: name,
			Sentence: mosaic.Span{Start: 0, End: len(text)}, Confidence: 1}}
		d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: "t", Text: text, Format: mosaic.FormatText, Source: collection + ".txt"}
		if _, err := st.Add(ctx, []store.Ingested{{Collection: collection, Doc: d, Mentions: ms}}); err != nil {
			t.Fatal(err)
		}
		if err := r.ResolveDocument(ctx, d, ms); err != nil {
			t.Fatal(err)
		}
		stored, err := st.Mentions(ctx, d.ID, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		return stored[0].Entity
	}
	const hidden = "Abd al-Qadir AL-HADDUSHI"
	theirs := add("bureau", "Source reports that Abd al-Qadir AL-HADDUSHI crossed the border.", hidden)
	ours := add("police", "Abdelkader Haddushi was seen at the station.", "Abdelkader Haddushi")
	if ours != theirs {
		t.Fatalf("fixture: the police's Abdelkader Haddushi resolved to %d, not the bureau's %d", ours, theirs)
	}
	whys := func(scope store.Scope) string {
		_, names, _, err := st.EntitySpellings(ctx, ours, scope, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var all []string
		for _, n := range names {
			all = append(all, n.Why...)
		}
		return strings.Join(all, "\n")
	}
	if got := whys(store.Scope{}); !strings.Contains(got, hidden) {
		t.Fatalf("fixture: the whole store's reasons %q do not quote %q", got, hidden)
	}
	police := store.Scope{Collections: []string{"police"}, Agency: "Police"}
	if got := whys(police); strings.Contains(got, "Qadir") || !strings.Contains(got, entity.AnotherSpelling) {
		t.Errorf("the police's reasons %q: want %q hidden as %q", got, hidden, entity.AnotherSpelling)
	}
}
