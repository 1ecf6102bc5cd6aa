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
	st Store
	// idx holds the names of the entities of each mention type: a place is
	// never a candidate for a person.
	idx map[mosaic.MentionType]*Index
	// decided maps a spelling and type already tied to an entity to it: the
	// same spelling goes to the same entity without another index lookup.
	decided map[spelling]mosaic.EntityID
}

type spelling struct {
	text string
	typ  mosaic.MentionType
}

// spellingOf folds a name's whitespace: a name wrapped across lines is the
// same spelling as on one line.
func spellingOf(text string, typ mosaic.MentionType) spelling {
	return spelling{strings.Join(strings.Fields(text), " "), typ}
}

// NewResolver loads the names of every stored entity.
func NewResolver(ctx context.Context, st Store) (*Resolver, error) {
	r := &Resolver{st: st, idx: map[mosaic.MentionType]*Index{}, decided: map[spelling]mosaic.EntityID{}}
	kinds := map[mosaic.EntityID]mosaic.MentionType{}
	err := st.EntityNames(ctx, func(e mosaic.Entity, name string) error {
		kinds[e.ID] = e.Kind
		if standsAlone(name, e.Name, e.Kind) {
			r.add(e.ID, spellingOf(name, e.Kind))
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load entity names: %w", err)
	}
	// A spelling an analyst confirmed identifies its entity on its own,
	// and wins over any other entity that uses it.
	js, err := st.Judgements(ctx, 0)
	if err != nil {
		return nil, fmt.Errorf("load judgements: %w", err)
	}
	for _, j := range js {
		if j.Kind != store.Confirm || !j.Active() {
			continue
		}
		for _, typ := range []mosaic.MentionType{mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc} {
			sp := spellingOf(j.Name, typ)
			if _, ok := r.decided[sp]; ok || typ == kinds[j.Entity] {
				r.add(j.Entity, sp)
				r.decided[sp] = j.Entity
			}
		}
	}
	return r, nil
}

// standsAlone reports whether a spelling of an entity identifies it by
// itself, so that other documents may match it: its canonical name, or a
// name that matches the canonical name on its own. A first name or surname
// tied to a full name only within one document ("John" after "John
// Smith") does not, or every John in the corpus would become John Smith.
func standsAlone(name, canonical string, typ mosaic.MentionType) bool {
	if spellingOf(name, typ) == spellingOf(canonical, typ) {
		return true
	}
	// A person's full name of two words or more identifies them: a stated
	// alias or a transliteration joined within a document is as good as
	// the canonical name. A lone first name or surname is not.
	if typ == mosaic.Person && len(nameTokens(name)) >= 2 && !isLabelLike(name) {
		return true
	}
	k := KindOf(typ)
	return Compare(NewName(name, k), NewName(canonical, k)).Match
}

// isLabelLike reports whether a name is written in capitals throughout, as
// speaker labels and registry headings are; such a name is kept to its
// document unless it matches the canonical name.
func isLabelLike(name string) bool {
	return strings.ToUpper(name) == name
}

// add indexes a spelling of an entity.
func (r *Resolver) add(id mosaic.EntityID, sp spelling) {
	x := r.idx[sp.typ]
	if x == nil {
		x = NewIndex()
		r.idx[sp.typ] = x
	}
	x.Add(int64(id), NewName(sp.text, KindOf(sp.typ)))
	if r.decided[sp] == 0 {
		r.decided[sp] = id
	}
}

// isName reports whether resolution ties mentions of this type to entities.
// The SQLite store's partial index of unresolved mentions lists the same
// types (nameTypes there).
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
	joinMatchingRoots(ms, to, why)
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
		sp := spellingOf(m.Text, m.Type)
		if id, ok := r.decided[sp]; ok {
			a.Entity = id
			a.Why = "same name as in an earlier document"
		} else if c, ok := r.best(sp); ok {
			a.Entity = mosaic.EntityID(c.ID)
			a.Why = fmt.Sprintf("name matches %q (score %.2f)", c.Name.Raw, c.Comparison.Score)
		} else if c, alias, ok := r.bestAlias(ms, to, why, i); ok {
			// The text gives this name another one ("Kunya: Abu Sulayman
			// al-Rifi"), or uses a matching spelling, that an earlier
			// document uses.
			a.Entity = mosaic.EntityID(c.ID)
			a.Why = fmt.Sprintf("its other name here %q matches %q (score %.2f)", alias, c.Name.Raw, c.Comparison.Score)
		} else {
			created = append(created, mosaic.Entity{Kind: m.Type, Name: sp.text})
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
	// The spellings that identify their entity on their own become names
	// later documents can match. An entity the store did not create (the
	// document was resolved before) has ID zero and adds nothing.
	for k, a := range assign {
		id := a.Entity
		if a.New > 0 {
			id = ids[a.New-1]
		}
		sp := spellingOf(ms[of[k]].Text, a.Type)
		if id == 0 || r.decided[sp] != 0 {
			continue
		}
		if i := of[k]; to[i] >= 0 && !statedAlias(why[i]) && !standsAlone(sp.text, ms[root(i)].Text, a.Type) {
			continue
		}
		r.add(id, sp)
	}
	return nil
}

// statedAlias reports whether a mention's reason for joining its group
// makes its name identify the entity on its own, in any document: the text
// saying that two names are one ("also known as", an acronym in brackets),
// or two full names of the document matching each other.
func statedAlias(reason string) bool {
	return reason == ReasonAlias || reason == ReasonAcronym || strings.HasPrefix(reason, reasonSameName)
}

// reasonSameName starts the reason given when two names of one document
// that coreference left apart match each other by name.
const reasonSameName = "name matches"

// maxJoinRoots bounds the distinct names per type whose pairs
// joinMatchingRoots compares, keeping its cost bounded on a long list.
const maxJoinRoots = 300

// joinMatchingRoots joins the groups of one document whose introducing
// names match each other ("Abd al-Qadir AL-HADDUSHI" and, lines later,
// "Abdelkader el-Haddouchi"), so that they resolve as one entity: the
// later group joins the earlier. Coreference links only shortenings and
// stated aliases; this adds full names that match.
func joinMatchingRoots(ms []mosaic.Mention, to []int, why []string) {
	type rootName struct {
		i    int
		name Name
	}
	byType := map[mosaic.MentionType][]rootName{}
	seen := map[spelling]int{}
	for i, m := range ms {
		if !isName(m.Type) || to[i] >= 0 {
			continue
		}
		sp := spellingOf(m.Text, m.Type)
		if j, ok := seen[sp]; ok {
			to[i], why[i] = j, ReasonRepeated
			continue
		}
		seen[sp] = i
		roots := byType[m.Type]
		if len(roots) >= maxJoinRoots {
			continue
		}
		n := NewName(sp.text, KindOf(m.Type))
		for _, r := range roots {
			if c := Compare(n, r.name); c.Match {
				to[i], why[i] = r.i, fmt.Sprintf("%s %q (score %.2f)", reasonSameName, ms[r.i].Text, c.Score)
				break
			}
		}
		if to[i] < 0 {
			byType[m.Type] = append(roots, rootName{i, n})
		}
	}
}

// bestAlias looks for the group of mention i (its root) among the entities
// of earlier documents by the aliases the text states for it, when its own
// name matched none. It returns the best match and the alias that made it.
func (r *Resolver) bestAlias(ms []mosaic.Mention, to []int, why []string, i int) (Candidate, string, bool) {
	var best Candidate
	var alias string
	for k := range ms {
		if to[k] != i || !statedAlias(why[k]) || ms[k].Type != ms[i].Type {
			continue
		}
		sp := spellingOf(ms[k].Text, ms[k].Type)
		if id, ok := r.decided[sp]; ok {
			return Candidate{ID: int64(id), Name: NewName(sp.text, KindOf(sp.typ)), Comparison: Comparison{Score: 1, Match: true}}, sp.text, true
		}
		if c, ok := r.best(sp); ok && c.Comparison.Score > best.Comparison.Score {
			best, alias = c, sp.text
		}
	}
	return best, alias, best.ID != 0
}

// crossTypeScore is the score at which a name matches an entity of another
// type: the tagger sometimes types a person's name as an organisation or a
// place ("EL HADDOUCHI Abdelkader" in a table), and a near-identical name
// of several words is better evidence than the type.
const crossTypeScore = 0.9

// best returns the entity of the spelling's type whose name matches it
// best, if any matches; failing that, an entity of another name type whose
// name of two words or more matches it almost exactly.
func (r *Resolver) best(sp spelling) (Candidate, bool) {
	if x := r.idx[sp.typ]; x != nil {
		if cs := x.Candidates(NewName(sp.text, KindOf(sp.typ)), 1); len(cs) > 0 && cs[0].Comparison.Match {
			return cs[0], true
		}
	}
	if len(strings.Fields(sp.text)) < 2 {
		return Candidate{}, false
	}
	var found Candidate
	for _, typ := range []mosaic.MentionType{mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc} {
		x := r.idx[typ]
		if typ == sp.typ || x == nil {
			continue
		}
		cs := x.Candidates(NewName(sp.text, KindOf(typ)), 1)
		if len(cs) > 0 && cs[0].Comparison.Score >= crossTypeScore && cs[0].Comparison.Score > found.Comparison.Score &&
			len(strings.Fields(cs[0].Name.Raw)) >= 2 {
			found = cs[0]
		}
	}
	return found, found.ID != 0
}

// Find returns up to limit entities whose names resemble name, best first,
// whatever their type; see each Comparison's Match for whether it matches.
// A limit of zero or less returns every candidate.
func (r *Resolver) Find(name string, limit int) []Candidate {
	var out []Candidate
	for typ, x := range r.idx {
		out = append(out, x.Candidates(NewName(name, KindOf(typ)), limit)...)
	}
	// On a tie, an entity that uses the very spelling asked for wins.
	asked := spellingOf(name, "").text
	exact := func(c Candidate) bool { return strings.EqualFold(spellingOf(c.Name.Raw, "").text, asked) }
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Comparison.Score != out[j].Comparison.Score {
			return out[i].Comparison.Score > out[j].Comparison.Score
		}
		if exact(out[i]) != exact(out[j]) {
			return exact(out[i])
		}
		return out[i].ID < out[j].ID
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
