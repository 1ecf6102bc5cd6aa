package entity

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"mosaic"
	"mosaic/internal/store"
)

// listState is what a Resolver knows of watchlists: the lists, and the
// entity each entry is linked to, so that every name an entry lists goes
// to one entity.
type listState struct {
	w *Watchlist
	// entity maps an entry (Listing.Key) to the entity linked to it first.
	entity map[string]mosaic.EntityID
	// linked holds the entity-entry pairs stored already.
	linked map[linkKey]bool
	// matched caches the lists' verdict on each spelling: most names
	// recur from document to document.
	matched map[spelling]listMatch
}

type listMatch struct {
	l  Listing
	ok bool
}

// match returns the entry the lists give for a spelling, if any.
func (ls *listState) match(sp spelling) (Listing, bool) {
	if m, ok := ls.matched[sp]; ok {
		return m.l, m.ok
	}
	l, ok := ls.w.Match(sp.text, sp.typ)
	ls.matched[sp] = listMatch{l, ok}
	return l, ok
}

type linkKey struct {
	entity mosaic.EntityID
	entry  string
}

// statedReasons start the resolution reasons of names a document states
// to be another name of the thing it names, or a list gives as a name of
// its entity.
var statedReasons = []string{ReasonAlias, ReasonAcronym, ReasonBracket, ReasonWatchlist + " "}

// loadLists loads the built-in watchlist and the store's, the links made
// so far, and the organisations' names that documents stated as aliases,
// which identify their entity in any document as they did when resolved.
func (r *Resolver) loadLists(ctx context.Context) error {
	builtin, err := BuiltinWatchlist()
	if err != nil {
		return err
	}
	var loaded []store.WatchlistEntry
	if err := r.st.WatchlistEntries(ctx, func(e store.WatchlistEntry) error {
		loaded = append(loaded, e)
		return nil
	}); err != nil {
		return fmt.Errorf("load watchlists: %w", err)
	}
	ls := &listState{w: NewWatchlist(builtin, loaded), entity: map[string]mosaic.EntityID{}, linked: map[linkKey]bool{},
		matched: map[spelling]listMatch{}}
	if err := r.st.AllWatchlistLinks(ctx, func(l store.WatchlistLink) error {
		k := Listing{Entry: l.WatchlistEntry}.Key()
		ls.linked[linkKey{l.Entity, k}] = true
		if ls.entity[k] == 0 {
			ls.entity[k] = l.Entity
		}
		return nil
	}); err != nil {
		return fmt.Errorf("load watchlist links: %w", err)
	}
	r.lists = ls
	err = r.st.StatedNames(ctx, statedReasons, func(e mosaic.Entity, name string) error {
		if e.Kind != mosaic.Org && e.Kind != mosaic.Misc {
			return nil
		}
		if sp := spellingOf(name, e.Kind); r.decided[sp] == 0 {
			r.add(e.ID, sp)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("load stated names: %w", err)
	}
	return nil
}

// docLists follows one document's names that lists give: root mention →
// its listing, and entry → the assignment of the first root that named
// it, so that two names of one entry in a document make one entity.
type docLists struct {
	listing map[int]Listing
	first   map[string]store.Assignment
}

func newDocLists() *docLists {
	return &docLists{listing: map[int]Listing{}, first: map[string]store.Assignment{}}
}

// listed returns the entity, or the assignment of an earlier root of the
// document, that the entry listing the name of root i goes to, with the
// reason; ok is false when no list gives the name or no entity has its
// entry yet. Either way it notes the entry for linkListed. Resolution asks
// it after the spellings already decided: a spelling keeps the entity it
// went to before (an analyst's confirmation or split included), and the
// list links that entity to the entry as well.
func (r *Resolver) listed(d *docLists, i int, sp spelling) (a store.Assignment, ok bool) {
	if r.lists == nil {
		return a, false
	}
	l, found := r.lists.match(sp)
	if !found {
		return a, false
	}
	d.listing[i] = l
	if id := r.lists.entity[l.Key()]; id != 0 {
		return store.Assignment{Entity: id, Why: l.Reason(sp.text)}, true
	}
	if f, ok := d.first[l.Key()]; ok {
		return store.Assignment{Entity: f.Entity, New: f.New, Why: l.Reason(sp.text)}, true
	}
	return a, false
}

// noteListed records the assignment of root i for the entry listing its
// name, if any, so that the document's later names of the entry follow it.
func (d *docLists) noteListed(i int, a store.Assignment) {
	if l, ok := d.listing[i]; ok {
		if _, seen := d.first[l.Key()]; !seen {
			d.first[l.Key()] = a
		}
	}
}

// linkListed plans the links between the document's entities and the
// entries listing their names, stored at Flush; ids are the document's new
// entities, as yet provisional.
func (r *Resolver) linkListed(d *docLists, entityOf map[int]store.Assignment, ids []mosaic.EntityID, names []string) {
	// In text order, so that of two entities listed under one entry the
	// first named keeps it, whatever the map's order.
	for _, i := range slices.Sorted(maps.Keys(d.listing)) {
		l := d.listing[i]
		a, ok := entityOf[i]
		if !ok {
			continue
		}
		id := a.Entity
		if a.New > 0 {
			id = ids[a.New-1]
		}
		if id == 0 {
			continue
		}
		k := l.Key()
		if r.lists.entity[k] == 0 {
			r.lists.entity[k] = id
			r.pend.entries = append(r.pend.entries, k)
		}
		if r.lists.linked[linkKey{id, k}] {
			continue
		}
		r.lists.linked[linkKey{id, k}] = true
		r.pend.links = append(r.pend.links, pendingLink{id: id, l: l, name: names[i]})
	}
}

// link is the link of entity id, whose name matched the listing, to the
// listing's entry.
func (l Listing) link(id mosaic.EntityID, name string) store.WatchlistLink {
	why := fmt.Sprintf("%q is listed as %q", name, l.Listed)
	if l.Score < 1 {
		why = fmt.Sprintf("%q matches the listed %q (score %.2f)", name, l.Listed, l.Score)
	}
	return store.WatchlistLink{Entity: id, WatchlistEntry: l.Entry, Why: why, Spelling: name}
}

func mentionTexts(ms []mosaic.Mention) []string {
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.Text
	}
	return out
}

// LinkStored links the stored entities whose names the lists give (see
// Watchlist.Match) to their entries, as resolution would have had the
// lists been there when their documents were resolved, and returns how
// many links it made or found. It joins no entities: two entities linked
// to one entry are the analyst's to merge.
func LinkStored(ctx context.Context, st Store, lists ...[]store.WatchlistEntry) (int, error) {
	w := NewWatchlist(lists...)
	type found struct {
		id   mosaic.EntityID
		name string
		l    Listing
	}
	var links []found
	seen := map[linkKey]bool{}
	err := st.EntityNames(ctx, func(e mosaic.Entity, name string) error {
		l, ok := w.Match(name, e.Kind)
		if !ok || seen[linkKey{e.ID, l.Key()}] {
			return nil
		}
		seen[linkKey{e.ID, l.Key()}] = true
		links = append(links, found{e.ID, name, l})
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("link stored entities: %w", err)
	}
	for _, f := range links {
		if err := st.LinkWatchlist(ctx, f.l.link(f.id, f.name)); err != nil {
			return 0, fmt.Errorf("link entity %d to %s %s: %w", f.id, f.l.Entry.List, f.l.Entry.ID, err)
		}
	}
	return len(links), nil
}
