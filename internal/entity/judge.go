package entity

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"mosaic"
	"mosaic/internal/store"
)

// Finder finds entities by name for a long-running server. It keeps a
// Resolver's index and reloads it when the store's entity generation shows
// that an ingest or a judgement changed the entities, so names resolved
// while the server runs are found without a restart. Safe for concurrent
// use.
type Finder struct {
	st Store
	mu sync.Mutex
	// gen is the generation r was loaded at.
	gen int64
	r   *Resolver
}

// NewFinder returns a Finder over st; it loads the names on first use.
func NewFinder(st Store) *Finder { return &Finder{st: st, gen: -1} }

// resolver returns an index no older than the store's entities.
func (f *Finder) resolver(ctx context.Context) (*Resolver, error) {
	gen, err := f.st.EntityGeneration(ctx)
	if err != nil {
		return nil, err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.r == nil || gen != f.gen {
		r, err := NewResolver(ctx, f.st)
		if err != nil {
			return nil, err
		}
		f.r, f.gen = r, gen
	}
	return f.r, nil
}

// Find returns up to limit entities whose names resemble name, best first
// (see Resolver.Find).
func (f *Finder) Find(ctx context.Context, name string, limit int) ([]Candidate, error) {
	r, err := f.resolver(ctx)
	if err != nil {
		return nil, err
	}
	return r.Find(name, limit), nil
}

// Proposal is an entity that may be the same as another, for an analyst to
// merge or reject.
type Proposal struct {
	mosaic.Entity
	// Name and Other are the two spellings that compare best, Other being
	// this entity's.
	Name       string     `json:"name"`
	Other      string     `json:"other"`
	Comparison Comparison `json:"comparison"`
	// Shared lists entities named in the same sentences as both: context
	// that supports the proposal beyond the names.
	Shared []string `json:"shared"`
}

// proposalSlack is how far below the matching threshold a name may score
// and still be proposed: close enough that an analyst should look.
const proposalSlack = 0.25

// Proposals returns up to limit entities that may be the same as entity id,
// best first: ones whose names resemble its names but that resolution kept
// apart. It leaves out entities already merged with it and any an analyst
// judged different from it, directly or through merges: if A is B and B is
// not C, A = C is not proposed. Entities and names outside scope are not
// shown.
func (f *Finder) Proposals(ctx context.Context, id mosaic.EntityID, scope store.Scope, limit int) ([]Proposal, error) {
	r, err := f.resolver(ctx)
	if err != nil {
		return nil, err
	}
	p, err := f.st.Entity(ctx, id, scope)
	if err != nil {
		return nil, err
	}
	apart, err := f.apart(ctx, p.ID, scope.Agency)
	if err != nil {
		return nil, err
	}
	mine := map[mosaic.EntityID]bool{p.ID: true}
	for _, m := range p.Merged {
		mine[m] = true
	}
	best := map[mosaic.EntityID]Proposal{}
	k := KindOf(p.Kind)
	// The index holds every agency's spellings: a candidate's spelling
	// counts only if a document in scope uses it, so that no proposal
	// exists, or scores as it does, because of a name the caller cannot
	// see; Name is then always one the caller can read.
	type spelled struct {
		id   int64
		name string
	}
	visible := map[spelled]bool{}
	for _, n := range p.Names {
		for _, c := range r.Find(n.Name, 20) {
			e := mosaic.EntityID(c.ID)
			if mine[e] || apart[e] {
				continue
			}
			// Compare as the entity's kind, whatever the candidate's index.
			cmp := Compare(NewName(n.Name, k), NewName(c.Name.Raw, k))
			if cmp.Score < Threshold(k)-proposalSlack {
				continue
			}
			key := spelled{c.ID, c.Name.Raw}
			ok, seen := visible[key]
			if !seen {
				if ok, err = SpelledIn(ctx, f.st, e, c.Name.Raw, scope); err != nil {
					return nil, err
				}
				visible[key] = ok
			}
			if !ok {
				continue
			}
			if have, ok := best[e]; !ok || cmp.Score > have.Comparison.Score {
				best[e] = Proposal{Entity: mosaic.Entity{ID: e}, Name: c.Name.Raw, Other: n.Name, Comparison: cmp}
			}
		}
	}
	out := []Proposal{}
	for e, pr := range best {
		q, err := f.st.Entity(ctx, e, scope)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if mine[q.ID] || apart[q.ID] {
			continue // a name indexed before a merge
		}
		pr.Entity = q.Entity
		pr.Shared = shared(p.Connections, q.Connections)
		out = append(out, pr)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if len(a.Shared) != len(b.Shared) {
			return len(a.Shared) > len(b.Shared)
		}
		if a.Comparison.Score != b.Comparison.Score {
			return a.Comparison.Score > b.Comparison.Score
		}
		return a.ID < b.ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out, nil
}

// SpelledIn reports whether a document in scope calls entity id (or an
// entity merged with it, in the scope's agency's judgements) name. The
// Finder's index holds the spellings of every agency's documents; a caller
// that shows or scores a candidate found through it checks the candidate's
// spelling here first, so that a name seen only in another agency's
// material neither finds an entity nor justifies a proposal. An entity the
// scope does not see at all calls nothing.
func SpelledIn(ctx context.Context, st interface {
	SpellingDocuments(ctx context.Context, id mosaic.EntityID, name string, scope store.Scope, p store.Page) ([]store.DocumentRef, string, error)
}, id mosaic.EntityID, name string, scope store.Scope) (bool, error) {
	docs, _, err := st.SpellingDocuments(ctx, id, name, scope, store.Page{Limit: 1})
	if errors.Is(err, store.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("entity %d: spelling in scope: %w", id, err)
	}
	return len(docs) > 0, nil
}

// apart returns the entities the agency judged different from entity id,
// as the ids they read as in the agency's judgements.
func (f *Finder) apart(ctx context.Context, id mosaic.EntityID, agency string) (map[mosaic.EntityID]bool, error) {
	js, err := f.st.Judgements(ctx, id, agency)
	if err != nil {
		return nil, fmt.Errorf("judgements of %d: %w", id, err)
	}
	out := map[mosaic.EntityID]bool{}
	for _, j := range js {
		if !j.Active() || (j.Kind != store.Reject && j.Kind != store.Split) {
			continue
		}
		for _, e := range []mosaic.EntityID{j.Entity, j.Other} {
			q, err := f.st.Entity(ctx, e, store.Scope{Agency: agency})
			if errors.Is(err, store.ErrNotFound) {
				continue
			}
			if err != nil {
				return nil, err
			}
			if q.ID != id {
				out[q.ID] = true
			}
		}
	}
	return out, nil
}

// shared returns the names of the entities in both connection lists.
func shared(a, b []store.Connection) []string {
	in := map[mosaic.EntityID]bool{}
	for _, c := range a {
		in[c.ID] = true
	}
	out := []string{}
	for _, c := range b {
		if in[c.ID] {
			out = append(out, c.Name)
		}
	}
	return out
}
