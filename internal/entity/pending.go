package entity

import (
	"context"
	"fmt"

	"mosaic"
	"mosaic/internal/store"
)

// Resolution planned and not yet stored holds the entities it creates
// under provisional IDs: provisionalBase plus the entity's place in the
// batch, counted from one. They are larger than any ID the store gives,
// so that among names that match alike an entity made in the batch comes
// after older ones, as it would have with its stored ID.
const provisionalBase mosaic.EntityID = 1 << 52

func provisional(place int) mosaic.EntityID { return provisionalBase + mosaic.EntityID(place) }

func isProvisional(id mosaic.EntityID) bool { return id > provisionalBase }

// pending is a batch of resolution planned and not yet stored.
type pending struct {
	created []mosaic.Entity
	docs    []store.DocAssignments
	// touched holds the stored entities the batch ties mentions to: their
	// stored context is out of date until Flush.
	touched map[mosaic.EntityID]bool
	// What the resolver learnt under provisional IDs, to relabel at Flush:
	// index entries, decided spellings, watchlist entries' entities, and
	// the links to store.
	indexed []indexedAt
	decided []spelling
	entries []string
	links   []pendingLink
}

type indexedAt struct {
	typ mosaic.MentionType
	pos int
}

type pendingLink struct {
	id   mosaic.EntityID
	l    Listing
	name string
}

func (p *pending) touch(id mosaic.EntityID) {
	if p.touched == nil {
		p.touched = map[mosaic.EntityID]bool{}
	}
	p.touched[id] = true
}

// changes reports whether the batch makes or ties mentions to entity id.
func (p *pending) changes(id mosaic.EntityID) bool {
	return isProvisional(id) || p.touched[id]
}

// Flush stores the ties Plan planned, in one transaction, and gives the
// entities the batch made their stored IDs wherever the resolver holds
// them. If the store refuses the batch, nothing of it is stored and the
// resolver refuses further work.
func (r *Resolver) Flush(ctx context.Context) error {
	if r.broken != nil {
		return r.broken
	}
	p := r.pend
	if len(p.docs) == 0 {
		r.pend = pending{}
		return nil
	}
	ids, err := r.st.ResolveBatch(ctx, p.created, p.docs)
	if err != nil {
		r.broken = fmt.Errorf("resolve: an earlier batch failed: %w", err)
		return err
	}
	r.pend = pending{}
	// real is the stored ID of a provisional one: zero for an entity the
	// store did not make (no mention was left to tie to it).
	real := func(id mosaic.EntityID) mosaic.EntityID {
		if !isProvisional(id) {
			return id
		}
		return ids[id-provisionalBase-1]
	}
	for _, at := range p.indexed {
		x := r.idx[at.typ]
		x.relabel(at.pos, int64(real(mosaic.EntityID(x.idAt(at.pos)))))
	}
	for _, sp := range p.decided {
		if id := real(r.decided[sp]); id != 0 {
			r.decided[sp] = id
		} else {
			delete(r.decided, sp)
		}
	}
	for _, k := range p.entries {
		r.lists.entity[k] = real(r.lists.entity[k])
	}
	for _, l := range p.links {
		id := real(l.id)
		delete(r.lists.linked, linkKey{l.id, l.l.Key()})
		if id == 0 || r.lists.linked[linkKey{id, l.l.Key()}] {
			continue
		}
		if err := r.st.LinkWatchlist(ctx, l.l.link(id, l.name)); err != nil {
			return fmt.Errorf("link entity %d to %s %s: %w", id, l.l.Entry.List, l.l.Entry.ID, err)
		}
		r.lists.linked[linkKey{id, l.l.Key()}] = true
	}
	return nil
}
