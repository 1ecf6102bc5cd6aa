package entity

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"mosaic"
	"mosaic/internal/store"
)

// Store is what resolution needs of a store.
type Store interface {
	store.Entities
	Document(ctx context.Context, id mosaic.DocID, scope store.Scope) (mosaic.Document, []store.Holding, error)
	Mentions(ctx context.Context, id mosaic.DocID, scope store.Scope) ([]mosaic.Mention, error)
}

// Resolver ties mentions to entities: first within each document (Corefer),
// then across documents, collections and agencies by name (Index). It keeps
// every entity name in an in-memory index, loaded from the store once and
// extended as it goes, so a new document resolves in milliseconds without a
// global rebuild. It is not safe for concurrent use: ingestion calls it
// from its single writer.
type Resolver struct {
	st    Store
	idx   *Index
	kinds map[mosaic.EntityID]mosaic.MentionType
	// decided maps a spelling and type already tied to an entity to it: the
	// same spelling goes to the same entity without another index lookup.
	decided map[spelling]mosaic.EntityID
}

type spelling struct {
	text string
	typ  mosaic.MentionType
}

func spellingOf(m mosaic.Mention) spelling {
	return spelling{strings.Join(strings.Fields(m.Text), " "), m.Type}
}

// NewResolver loads the names of every stored entity.
func NewResolver(ctx context.Context, st Store) (*Resolver, error) {
	r := &Resolver{st: st, idx: NewIndex(), kinds: map[mosaic.EntityID]mosaic.MentionType{}, decided: map[spelling]mosaic.EntityID{}}
	err := st.EntityNames(ctx, func(e mosaic.Entity, name string) error {
		r.add(e.ID, e.Kind, name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load entity names: %w", err)
	}
	return r, nil
}

// add indexes a name of an entity, with its whitespace folded: a name
// wrapped across lines is the same spelling as on one line.
func (r *Resolver) add(id mosaic.EntityID, kind mosaic.MentionType, name string) {
	sp := spelling{strings.Join(strings.Fields(name), " "), kind}
	r.kinds[id] = kind
	r.idx.Add(int64(id), NewName(sp.text, KindOf(kind)))
	if r.decided[sp] == 0 {
		r.decided[sp] = id
	}
}

// isName reports whether resolution ties mentions of this type to entities.
func isName(t mosaic.MentionType) bool {
	return t == mosaic.Person || t == mosaic.Org || t == mosaic.Location || t == mosaic.Misc
}

// Pending resolves every stored document that has unresolved names, such as
// those an interrupted ingest left behind, and returns how many it did.
func (r *Resolver) Pending(ctx context.Context) (int, error) {
	done := 0
	for {
		ids, err := r.st.Unresolved(ctx, 100)
		if err != nil || len(ids) == 0 {
			return done, err
		}
		for _, id := range ids {
			d, _, err := r.st.Document(ctx, id, store.Scope{})
			if err != nil {
				return done, err
			}
			ms, err := r.st.Mentions(ctx, id, store.Scope{})
			if err != nil {
				return done, err
			}
			if err := r.ResolveDocument(ctx, d, ms); err != nil {
				return done, err
			}
			done++
		}
	}
}

// ResolveDocument resolves the names of one stored document. Mentions must
// be the document's stored mentions, in text order.
func (r *Resolver) ResolveDocument(ctx context.Context, d mosaic.Document, ms []mosaic.Mention) error {
	to := make([]int, len(ms)) // to[i]: the mention whose name i shares, or -1
	why := make([]string, len(ms))
	for i := range to {
		to[i] = -1
	}
	for _, l := range Corefer(d.Text, ms) {
		to[l.From], why[l.From] = l.To, l.Reason
	}
	root := func(i int) int {
		for to[i] >= 0 {
			i = to[i]
		}
		return i
	}
	// Resolve each group's introducing name across documents, then tie the
	// group's other mentions to the same entity.
	var created []mosaic.Entity
	var assign []store.Assignment
	var of []int                           // of[k]: the mention assign[k] ties
	entityOf := map[int]store.Assignment{} // root mention → its assignment
	for i, m := range ms {
		if !isName(m.Type) || to[i] >= 0 {
			continue
		}
		a := store.Assignment{Start: m.Start, End: m.End, Type: m.Type}
		if id, ok := r.decided[spellingOf(m)]; ok {
			a.Entity = id
			a.Why = "same name as in an earlier document"
		} else if c, ok := r.best(m); ok {
			a.Entity = mosaic.EntityID(c.ID)
			a.Why = fmt.Sprintf("name matches %q (score %.2f)", c.Name.Raw, c.Comparison.Score)
		} else {
			created = append(created, mosaic.Entity{Kind: m.Type, Name: strings.Join(strings.Fields(m.Text), " ")})
			a.New = len(created)
			a.Why = "first seen here"
		}
		entityOf[i] = a
		assign, of = append(assign, a), append(of, i)
	}
	for i, m := range ms {
		if !isName(m.Type) || to[i] < 0 {
			continue
		}
		a := entityOf[root(i)]
		a.Start, a.End, a.Type = m.Start, m.End, m.Type
		a.Why = fmt.Sprintf("%s: %q", why[i], ms[to[i]].Text)
		assign, of = append(assign, a), append(of, i)
	}
	if len(assign) == 0 {
		return nil
	}
	ids, err := r.st.Resolve(ctx, d.ID, created, assign)
	if err != nil {
		return err
	}
	// Every spelling seen becomes a name later documents can match. An
	// entity the store did not create (the document was resolved before)
	// has ID zero and adds nothing.
	for k, a := range assign {
		id := a.Entity
		if a.New > 0 {
			id = ids[a.New-1]
		}
		sp := spellingOf(ms[of[k]])
		if id == 0 || r.decided[sp] != 0 {
			continue
		}
		r.add(id, a.Type, sp.text)
	}
	return nil
}

// best returns the entity of the same type whose name matches the mention
// best, if any matches.
func (r *Resolver) best(m mosaic.Mention) (Candidate, bool) {
	for _, c := range r.idx.Candidates(NewName(m.Text, KindOf(m.Type)), 8) {
		if c.Comparison.Match && r.kinds[mosaic.EntityID(c.ID)] == m.Type {
			return c, true
		}
	}
	return Candidate{}, false
}

// Find returns up to limit entities whose names resemble name, best first,
// whatever their type; see each Comparison's Match for whether it matches.
func (r *Resolver) Find(name string, limit int) []Candidate {
	var out []Candidate
	seen := map[int64]bool{}
	for _, k := range []Kind{Person, Org, Other} {
		// Candidates of other kinds are dropped below, so ask for more.
		for _, c := range r.idx.Candidates(NewName(name, k), 4*max(limit, 0)) {
			if c.Comparison.Score > 0 && !seen[c.ID] && KindOf(r.kinds[mosaic.EntityID(c.ID)]) == k {
				seen[c.ID] = true
				out = append(out, c)
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Comparison.Score > out[j].Comparison.Score })
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
