package storetest

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// testWatchlists checks reference lists: loading replaces a list's entries
// and leaves other lists alone, bad entries are refused and change nothing,
// links keep the entry as linked, read through merges and bump the entity
// generation once, and StatedNames reads the names whose resolution
// reasons start with the given prefixes.
func testWatchlists(t *testing.T, s store.Store) {
	ctx := context.Background()
	entries := []store.WatchlistEntry{
		{ID: "101", Name: "Harbour Watch Collective", Aliases: []string{"Tide Wardens", " HWC "}, Programme: "TEST", Kind: mosaic.Org},
		{ID: "102", Name: "Marek Ostrowski", Kind: mosaic.Person},
	}
	if err := s.LoadWatchlist(ctx, "Local list", entries); err != nil {
		t.Fatal(err)
	}
	if err := s.LoadWatchlist(ctx, "Other list", []store.WatchlistEntry{{ID: "x1", Name: "Kestrel Relief Fund"}}); err != nil {
		t.Fatal(err)
	}
	all := func() []string {
		t.Helper()
		var out []string
		err := s.WatchlistEntries(ctx, func(e store.WatchlistEntry) error {
			out = append(out, fmt.Sprintf("%s|%s|%s|%s|%s|%s", e.List, e.ID, e.Name, strings.Join(e.Aliases, ";"), e.Programme, e.Kind))
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	want := []string{
		"Local list|101|Harbour Watch Collective|Tide Wardens;HWC|TEST|ORG",
		"Local list|102|Marek Ostrowski|||PERSON",
		"Other list|x1|Kestrel Relief Fund|||",
	}
	if got := all(); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("entries:\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	lists, err := s.Watchlists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(lists) != 2 || lists[0].Name != "Local list" || lists[0].Entries != 2 || lists[1].Entries != 1 || lists[0].Loaded.IsZero() {
		t.Errorf("Watchlists = %+v", lists)
	}
	// Reloading replaces the list's entries; the other list stays.
	if err := s.LoadWatchlist(ctx, "Local list", entries[:1]); err != nil {
		t.Fatal(err)
	}
	if got := all(); len(got) != 2 || got[0] != want[0] || got[1] != want[2] {
		t.Errorf("after reloading: %v", got)
	}
	// Bad lists are refused whole.
	for name, bad := range map[string][]store.WatchlistEntry{
		"no ID":         {{Name: "Someone"}},
		"no name":       {{ID: "7"}},
		"ID twice":      {{ID: "7", Name: "A"}, {ID: "7", Name: "B"}},
		"another list":  {{List: "Elsewhere", ID: "7", Name: "A"}},
		"one bad entry": {{ID: "8", Name: "Fine"}, {ID: " ", Name: "Not fine"}},
	} {
		if err := s.LoadWatchlist(ctx, "Local list", bad); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	if err := s.LoadWatchlist(ctx, " ", entries); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("no list name: err = %v, want ErrInvalid", err)
	}
	if got := all(); len(got) != 2 {
		t.Errorf("a refused load changed the entries: %v", got)
	}

	// Links.
	mustCollection(t, s, "police", "Police")
	text := "Tide Wardens and the Harbour Watch Collective met; the Collective (HWC) spoke."
	d := doc("Watch report", text)
	ms := []mosaic.Mention{
		mention(t, text, "Tide Wardens", mosaic.Org),
		mention(t, text, "Harbour Watch Collective", mosaic.Org),
		mention(t, text, "HWC", mosaic.Org),
	}
	mustAdd(t, s, store.Ingested{Collection: "police", Doc: d, Mentions: ms})
	ids, err := s.Resolve(ctx, d.ID, []mosaic.Entity{{Kind: mosaic.Org, Name: "Tide Wardens"}, {Kind: mosaic.Org, Name: "Harbour Watch Collective"}},
		[]store.Assignment{
			assign(t, text, "Tide Wardens", mosaic.Org, 0, 1),
			assign(t, text, "Harbour Watch Collective", mosaic.Org, 0, 2),
			{Start: ms[2].Start, End: ms[2].End, Type: mosaic.Org, New: 2, Why: "acronym in brackets after the name: \"Harbour Watch Collective\""},
		})
	if err != nil {
		t.Fatal(err)
	}
	a, b := ids[0], ids[1]
	links := func(id mosaic.EntityID) []store.WatchlistLink {
		t.Helper()
		ls, err := s.WatchlistLinks(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return ls
	}
	if ls := links(a); ls == nil || len(ls) != 0 {
		t.Errorf("links of an unlinked entity = %#v, want empty", ls)
	}
	g0, err := s.EntityGeneration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l := store.WatchlistLink{Entity: a, WatchlistEntry: entries[0], Why: "alias \"Tide Wardens\"", Spelling: "Tide  Wardens"}
	l.List = "Local list"
	for range 2 {
		if err := s.LinkWatchlist(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	if g1, _ := s.EntityGeneration(ctx); g1 != g0+1 {
		t.Errorf("generation %d after linking twice, want %d", g1, g0+1)
	}
	ls := links(a)
	if len(ls) != 1 || ls[0].Entity != a || ls[0].ID != "101" || ls[0].Programme != "TEST" || ls[0].Why != l.Why ||
		strings.Join(ls[0].Aliases, ";") != "Tide Wardens;HWC" || ls[0].Kind != mosaic.Org || ls[0].Spelling != "Tide Wardens" {
		t.Errorf("links = %+v", ls)
	}
	if p, err := s.Entity(ctx, a, store.Scope{}); err != nil || len(p.Watchlist) != 1 || p.Watchlist[0].ID != "101" {
		t.Errorf("profile's watchlist = %+v (err %v), want the link", p.Watchlist, err)
	}
	// The link keeps the entry as it read, whatever the list becomes.
	if err := s.LoadWatchlist(ctx, "Local list", nil); err != nil {
		t.Fatal(err)
	}
	if ls := links(a); len(ls) != 1 || ls[0].Name != "Harbour Watch Collective" {
		t.Errorf("after emptying the list, links = %+v", ls)
	}
	for name, bad := range map[string]store.WatchlistLink{
		"no list":        {Entity: a, WatchlistEntry: store.WatchlistEntry{ID: "1", Name: "N"}},
		"no ID":          {Entity: a, WatchlistEntry: store.WatchlistEntry{List: "L", Name: "N"}},
		"no name":        {Entity: a, WatchlistEntry: store.WatchlistEntry{List: "L", ID: "1"}},
		"unknown entity": {Entity: 999999, WatchlistEntry: store.WatchlistEntry{List: "L", ID: "1", Name: "N"}},
	} {
		want := store.ErrInvalid
		if name == "unknown entity" {
			want = store.ErrNotFound
		}
		if err := s.LinkWatchlist(ctx, bad); !errors.Is(err, want) {
			t.Errorf("%s: err = %v, want %v", name, err, want)
		}
	}
	if _, err := s.WatchlistLinks(ctx, 999999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("links of an unknown entity: err = %v, want ErrNotFound", err)
	}
	// Through a merge, both entities read the link once, as the merged one.
	if err := s.LinkWatchlist(ctx, store.WatchlistLink{Entity: b, WatchlistEntry: l.WatchlistEntry, Why: "name"}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: a, Other: b, User: "analyst1", Reason: "one group"}); err != nil {
		t.Fatal(err)
	}
	root := min(a, b)
	for _, id := range []mosaic.EntityID{a, b} {
		if ls := links(id); len(ls) != 1 || ls[0].Entity != root {
			t.Errorf("links of %d after the merge = %+v, want one of entity %d", id, ls, root)
		}
	}
	n := 0
	if err := s.AllWatchlistLinks(ctx, func(l store.WatchlistLink) error {
		n++
		if l.Entity != root {
			t.Errorf("AllWatchlistLinks: entity %d, want %d", l.Entity, root)
		}
		return nil
	}); err != nil || n != 1 {
		t.Errorf("AllWatchlistLinks: %d links, err %v; want 1", n, err)
	}
	// A link made on a spelling no document in scope holds is the
	// resolver's to know, but no profile shows it: its reason quotes it.
	unheld := store.WatchlistLink{Entity: root, Why: "\"Tide Wardens Abroad\" is listed", Spelling: "Tide Wardens Abroad",
		WatchlistEntry: store.WatchlistEntry{List: "Local list", ID: "102", Name: "Tide Wardens Abroad"}}
	if err := s.LinkWatchlist(ctx, unheld); err != nil {
		t.Fatal(err)
	}
	if ls := links(root); len(ls) != 2 {
		t.Errorf("links with one on an unheld spelling = %+v, want 2", ls)
	}
	for _, scope := range []store.Scope{{}, {Collections: []string{"police"}}} {
		if p, err := s.Entity(ctx, root, scope); err != nil || len(p.Watchlist) != 1 || p.Watchlist[0].ID != "101" {
			t.Errorf("profile's watchlist in scope %+v = %+v (err %v), want only the link on a spelling it holds", scope, p.Watchlist, err)
		}
	}

	// Stated names: by the prefix of the mention's resolution reason.
	var stated []string
	err = s.StatedNames(ctx, []string{"acronym in brackets", "introduced as an alias"}, func(e mosaic.Entity, name string) error {
		stated = append(stated, fmt.Sprintf("%d:%s", e.ID, name))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf("%d:HWC", root); strings.Join(stated, ",") != want {
		t.Errorf("StatedNames = %v, want [%s]", stated, want)
	}
	if err := s.StatedNames(ctx, nil, func(mosaic.Entity, string) error { t.Error("called without prefixes"); return nil }); err != nil {
		t.Error(err)
	}
	stop := errors.New("stop")
	if err := s.StatedNames(ctx, []string{"acronym"}, func(mosaic.Entity, string) error { return stop }); !errors.Is(err, stop) {
		t.Errorf("fn's error: got %v", err)
	}
}
