package entity

import (
	"context"
	"errors"
	"fmt"
	"slices"
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
		if !slices.ContainsFunc(q.Names, func(n store.EntityName) bool { return n.Name == pr.Name }) {
			pr.Name = q.Name // the index's spelling is held outside the scope
		}
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
