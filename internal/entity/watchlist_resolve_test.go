package entity_test

import (
	"context"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// TestResolverWatchlist: a list's names go to the entity of their entry,
// within one document and across documents, and through a reload; the
// link is stored with the list, identifier and programme, and the reason
// names them.
func TestResolverWatchlist(t *testing.T) {
	ctx := context.Background()
	c := newCorpus(t)
	err := c.st.LoadWatchlist(ctx, "Local", []store.WatchlistEntry{{ID: "K-17", Name: "Kestrel Relief Fund",
		Aliases: []string{"Orchard Aid Trust", "Brightwater Fund"}, Programme: "fraud", Kind: mosaic.Org}})
	if err != nil {
		t.Fatal(err)
	}
	c.reload()
	a := c.add("The Orchard Aid Trust paid the Brightwater Fund twice.", "ORG:Orchard Aid Trust", "ORG:Brightwater Fund")
	if a[0] == 0 || a[1] != a[0] {
		t.Fatalf("one document's two listed names: entities %v, want one", a)
	}
	b := c.add("Donations to the Kestrel Relief Fund rose.", "ORG:Kestrel Relief Fund")
	c.reload()
	d := c.add("A transfer from Orchard Aid Trust was flagged; the Counter-Orchard Aid Trust Coalition objected.",
		"ORG:Orchard Aid Trust", "ORG:Counter-Orchard Aid Trust Coalition")
	if b[0] != a[0] || d[0] != a[0] {
		t.Errorf("entities %v %v %v, want all %d", a, b, d, a[0])
	}
	if d[1] == a[0] {
		t.Error("the coalition named for its relation to the listed group joined it")
	}
	p, err := c.st.Entity(ctx, a[0], store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if len(p.Watchlist) != 1 || p.Watchlist[0].ID != "K-17" || p.Watchlist[0].Programme != "fraud" {
		t.Errorf("watchlist links %+v", p.Watchlist)
	}
	why := ""
	for _, n := range p.Names {
		why += strings.Join(n.Why, "\n") + "\n"
	}
	if !strings.Contains(why, `watchlist Local K-17 (fraud): aliases "Brightwater Fund" and "Kestrel Relief Fund"`) &&
		!strings.Contains(why, `watchlist Local K-17 (fraud): the listed name "Kestrel Relief Fund"`) {
		t.Errorf("reasons do not name the list:\n%s", why)
	}
}

// TestResolverStatedAliasAfterReload: an organisation's alias stated in
// one document identifies it in a document resolved after a reload.
func TestResolverStatedAliasAfterReload(t *testing.T) {
	c := newCorpus(t)
	a := c.add("The Harbour Watch Collective, also known as the Tide Wardens, met.", "ORG:Harbour Watch Collective", "ORG:Tide Wardens")
	if a[0] == 0 || a[1] != a[0] {
		t.Fatalf("within the document: %v", a)
	}
	c.reload()
	if b := c.add("The Tide Wardens printed leaflets.", "ORG:Tide Wardens"); b[0] != a[0] {
		t.Errorf("after a reload, the stated alias went to entity %d, want %d", b[0], a[0])
	}
}

// TestResolverWatchlistKeepsDecidedSpellings: a spelling resolved before a
// list was loaded keeps its entity, which the list then links too; a new
// spelling goes to the entity the entry was linked to first.
func TestResolverWatchlistKeepsDecidedSpellings(t *testing.T) {
	ctx := context.Background()
	c := newCorpus(t)
	a := c.add("The Orchard Aid Trust paid twice.", "ORG:Orchard Aid Trust")
	b := c.add("Donations to the Kestrel Relief Fund rose.", "ORG:Kestrel Relief Fund")
	if a[0] == b[0] {
		t.Fatal("two names no list joins made one entity")
	}
	if err := c.st.LoadWatchlist(ctx, "Local", []store.WatchlistEntry{{ID: "K-17", Name: "Kestrel Relief Fund",
		Aliases: []string{"Orchard Aid Trust", "Brightwater Fund"}, Kind: mosaic.Org}}); err != nil {
		t.Fatal(err)
	}
	c.reload()
	x := c.add("The Orchard Aid Trust and the Kestrel Relief Fund met the Brightwater Fund.",
		"ORG:Orchard Aid Trust", "ORG:Kestrel Relief Fund", "ORG:Brightwater Fund")
	if x[0] != a[0] || x[1] != b[0] {
		t.Errorf("decided spellings moved: %v, want %d and %d", x[:2], a[0], b[0])
	}
	if x[2] != a[0] {
		t.Errorf("the new spelling went to %d, want the first entity the entry was linked to (%d)", x[2], a[0])
	}
	for _, id := range []mosaic.EntityID{a[0], b[0]} {
		if ls, err := c.st.WatchlistLinks(ctx, id); err != nil || len(ls) != 1 {
			t.Errorf("entity %d: links %+v, err %v; want the entry", id, ls, err)
		}
	}
}

// TestLinkStored: entities stored before a list was loaded are linked to
// its entries, each once, and none is joined.
func TestLinkStored(t *testing.T) {
	ctx := context.Background()
	c := newCorpus(t)
	a := c.add("The Orchard Aid Trust paid twice.", "ORG:Orchard Aid Trust")
	b := c.add("Donations to the Kestrel Relief Fund rose; the Arden Rowing Club did not.", "ORG:Kestrel Relief Fund", "ORG:Arden Rowing Club")
	list := []store.WatchlistEntry{{List: "Local", ID: "K-17", Name: "Kestrel Relief Fund", Aliases: []string{"Orchard Aid Trust"}, Kind: mosaic.Org}}
	for range 2 {
		n, err := entity.LinkStored(ctx, c.st, list)
		if err != nil || n != 2 {
			t.Fatalf("LinkStored = %d, %v; want 2 links", n, err)
		}
	}
	for _, id := range []mosaic.EntityID{a[0], b[0], b[1]} {
		ls, err := c.st.WatchlistLinks(ctx, id)
		if want := id != b[1]; err != nil || (len(ls) == 1) != want {
			t.Errorf("entity %d: links %+v (err %v), want linked %v", id, ls, err, want)
		}
	}
	if a[0] == b[0] {
		t.Error("linking joined two entities")
	}
}
