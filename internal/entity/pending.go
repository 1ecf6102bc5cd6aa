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
	// What the resolver learnt from the batch, to relabel once it is
	// stored (or forget if it is refused): index entries, decided
	// spellings, watchlist entries' entities, and the links to store.
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
	created, docs := r.Planned()
	if len(docs) == 0 {
		r.pend = pending{}
		return nil
	}
	ids, err := r.st.ResolveBatch(ctx, created, docs)
	if err != nil {
		r.Fail(err)
		return err
	}
	return r.Stored(ctx, ids)
}

// PlanNew plans the names of a document that is not stored yet, as Plan
// does a stored one's, for the store to write the ties with the document
// (store.DocumentWriter.AddResolved, given what Planned returns; then
// Stored). w is WithinDocument's answer for the document, nil to have it
// worked out here. Unlike Plan it stores nothing itself: where the
// document must wait for the batch to be stored, it plans nothing and
// returns ErrStoreFirst.
func (r *Resolver) PlanNew(ctx context.Context, d mosaic.Document, ms []mosaic.Mention, w *Within) error {
	if r.broken != nil {
		return r.broken
	}
	if w == nil || len(w.to) != len(ms) {
		w = WithinDocument(d.Text, ms)
	}
	return r.plan(ctx, d, ms, w)
}

// Planned returns the resolution planned and not stored: the entities it
// makes (an assignment's New counts in them) and each document's ties.
// Stored, Discard or Fail must follow before more is planned.
func (r *Resolver) Planned() ([]mosaic.Entity, []store.DocAssignments) {
	return r.pend.created, r.pend.docs
}

// Stored tells the resolver that what Planned returned is stored, the
// entities it made having ids (zero for one the store did not make, as no
// stored tie named it): the resolver holds them by those IDs from now on,
// and links the entities the planned documents tied to watchlist entries.
func (r *Resolver) Stored(ctx context.Context, ids []mosaic.EntityID) error {
	if len(ids) != len(r.pend.created) {
		err := fmt.Errorf("resolve: %d entities stored for the %d planned", len(ids), len(r.pend.created))
		r.Fail(err)
		return err
	}
	p := r.pend
	r.pend = pending{}
	// real is the stored ID of a provisional one: zero for an entity the
	// store did not make (no mention was left to tie to it).
	real := func(id mosaic.EntityID) mosaic.EntityID {
		if !isProvisional(id) {
			return id
		}
		return ids[id-provisionalBase-1]
	}
	r.relabel(p, real)
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

// Discard forgets what is planned, which the store refused as invalid:
// the names it taught the resolver, under provisional IDs or not, are
// forgotten, so that the documents can be planned again one at a time.
func (r *Resolver) Discard() {
	p := r.pend
	r.pend = pending{}
	r.relabel(p, func(mosaic.EntityID) mosaic.EntityID { return 0 })
	for _, l := range p.links {
		delete(r.lists.linked, linkKey{l.id, l.l.Key()})
	}
}

// Fail tells the resolver that storing what is planned failed otherwise:
// what it learnt from the batch may name entities that do not exist, so
// it resolves no more (a new resolver loads what the store has).
func (r *Resolver) Fail(err error) {
	r.broken = fmt.Errorf("resolve: an earlier batch failed: %w", err)
}

// relabel gives what the batch p taught the resolver the entity real
// says, zero to forget it: its index entries, the spellings it decided
// and the watchlist entries it tied.
func (r *Resolver) relabel(p pending, real func(mosaic.EntityID) mosaic.EntityID) {
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
		if id := real(r.lists.entity[k]); id != 0 {
			r.lists.entity[k] = id
		} else {
			delete(r.lists.entity, k)
		}
	}
}
