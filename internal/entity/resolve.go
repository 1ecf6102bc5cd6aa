package entity

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"unicode"

	"mosaic"
	"mosaic/internal/store"
)

// Store is what resolution needs of a store.
type Store interface {
	store.Entities
	store.Watchlists
	Document(ctx context.Context, id mosaic.DocID, scope store.Scope) (mosaic.Document, []store.Holding, error)
	Mentions(ctx context.Context, id mosaic.DocID, scope store.Scope) ([]mosaic.Mention, error)
	MentionsPage(ctx context.Context, id mosaic.DocID, scope store.Scope, within mosaic.Span, p store.Page) ([]mosaic.Mention, string, error)
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
	// confirmed holds the spellings an analyst confirmed: weak or not,
	// they identify their entity on their own.
	confirmed map[spelling]bool
	// contexts caches what the documents of an entity name besides it,
	// for weak names (WeakName); a document that adds to an entity drops
	// its entry.
	contexts map[mosaic.EntityID]*entityContext
	// lists holds the watchlists and the entities linked to their
	// entries (see loadLists).
	lists *listState
	// pend is the resolution planned and not yet stored (see Plan).
	pend pending
	// broken is the error of a batch the store refused: what the resolver
	// learnt from it names entities that do not exist, so it resolves no
	// more (a new resolver loads what the store has).
	broken error
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
	r := &Resolver{st: st, idx: map[mosaic.MentionType]*Index{}, decided: map[spelling]mosaic.EntityID{},
		confirmed: map[spelling]bool{}, contexts: map[mosaic.EntityID]*entityContext{}}
	kinds := map[mosaic.EntityID]mosaic.MentionType{}
	var order []mosaic.Entity
	names := map[mosaic.EntityID][]string{}
	err := st.EntityNames(ctx, func(e mosaic.Entity, name string) error {
		if _, ok := kinds[e.ID]; !ok {
			kinds[e.ID] = e.Kind
			order = append(order, e)
		}
		names[e.ID] = append(names[e.ID], name)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("load entity names: %w", err)
	}
	for _, e := range order {
		for _, name := range standingNames(e, names[e.ID]) {
			r.add(e.ID, spellingOf(name, e.Kind))
		}
	}
	// A spelling an analyst confirmed identifies its entity on its own,
	// and wins over any other entity that uses it.
	js, err := st.Judgements(ctx, 0, "")
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
				r.confirmed[sp] = true
			}
		}
	}
	if err := r.loadLists(ctx); err != nil {
		return nil, err
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

// standingNames returns the names of an entity that identify it on their
// own, for a resolver loaded from the store, which keeps no reasons: the
// names that stand alone against the canonical name (standsAlone), and an
// organisation's acronyms of those, as "JAT" is of "Jama'at Ansar
// al-Thughur" but not of the canonical "Ansar al-Thughur". A resolver that
// kept running indexed the acronym because its document stated it
// ("Jama'at Ansar al-Thughur (JAT)"); one that lost it made the next
// ingest's "JAT" an entity of its own. Acronyms are checked only against
// names that stand by the canonical one, so that a reload does not chain
// names through one another.
func standingNames(e mosaic.Entity, names []string) []string {
	var out, rest []string
	for _, name := range names {
		if standsAlone(name, e.Name, e.Kind) {
			out = append(out, name)
		} else {
			rest = append(rest, name)
		}
	}
	if e.Kind == mosaic.Person {
		return out
	}
	full := len(out)
	for _, name := range rest {
		for _, f := range out[:full] {
			if isAcronymOf(name, f) {
				out = append(out, name)
				break
			}
		}
	}
	return out
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
	pos := x.add(int64(id), NewName(sp.text, KindOf(sp.typ)))
	if r.decided[sp] == 0 {
		r.decided[sp] = id
		r.pend.decided = append(r.pend.decided, sp)
	}
	r.pend.indexed = append(r.pend.indexed, indexedAt{sp.typ, pos})
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
			if err := r.Plan(ctx, d, ms); err != nil {
				return done, err
			}
		}
		// A hundred documents are stored in one transaction, as ingest's
		// batches are.
		if err := r.Flush(ctx); err != nil {
			return done, err
		}
		done += len(ids)
	}
}

// ResolveDocument resolves the names of one stored document, and stores
// them with whatever Plan left pending. Mentions must be the document's
// stored mentions, in text order.
func (r *Resolver) ResolveDocument(ctx context.Context, d mosaic.Document, ms []mosaic.Mention) error {
	if err := r.Plan(ctx, d, ms); err != nil {
		return err
	}
	return r.Flush(ctx)
}

// Plan resolves the names of one stored document as ResolveDocument does,
// but stores the ties only at Flush, with those of the other documents
// planned since, in one transaction: a batch of documents costs the store
// one commit, not one each. A document planned after another sees the
// entities that one created, as if it had been stored: the index and the
// spellings decided hold them under provisional IDs until Flush. A
// document whose weak names would be judged on the stored context of an
// entity the batch changes is planned after the batch is stored.
func (r *Resolver) Plan(ctx context.Context, d mosaic.Document, ms []mosaic.Mention) error {
	if r.broken != nil {
		return r.broken
	}
	w := WithinDocument(d.Text, ms)
	err := r.plan(ctx, d, ms, w)
	if errors.Is(err, ErrStoreFirst) {
		if err := r.Flush(ctx); err != nil {
			return err
		}
		err = r.plan(ctx, d, ms, w)
	}
	return err
}

// ErrStoreFirst stops planning a document that needs the pending batch
// stored first: PlanNew returns it, and Plan stores the batch and plans
// the document again.
var ErrStoreFirst = errors.New("resolve: the pending batch must be stored first")

func (r *Resolver) plan(ctx context.Context, d mosaic.Document, ms []mosaic.Mention, w *Within) error {
	// to[i]: the mention whose name i shares, or -1; why[i]: the reason.
	to, why := w.to, w.why
	root := func(i int) int {
		for to[i] >= 0 {
			i = to[i]
		}
		return i
	}
	// The acronyms the text states for each group, "(JAT)" after its name.
	stated := map[int]map[string]bool{}
	for k := range ms {
		if to[k] >= 0 && why[k] == ReasonAcronym {
			i := root(k)
			if stated[i] == nil {
				stated[i] = map[string]bool{}
			}
			stated[i][initials(ms[k].Text)] = true
		}
	}
	// Resolve each group's introducing name across documents, then tie the
	// group's other mentions to the same entity.
	var created []mosaic.Entity
	var assign []store.Assignment
	var of []int                           // of[k]: the mention assign[k] ties
	entityOf := map[int]store.Assignment{} // root mention → its assignment
	// weak[i]: the candidates of a root whose tie to an earlier document's
	// entity would rest on a weak name (WeakName), on either side; they
	// are decided on context evidence once the other roots are resolved.
	weak := map[int][]Candidate{}
	weakVia := map[int]string{} // the other name here that matched, if not the root's own
	var weakRoots []int
	// The names that watchlists give go to the entity of their entry.
	lists := newDocLists()
	later := func(i int, cs []Candidate) {
		weak[i] = cs
		weakRoots = append(weakRoots, i)
	}
	for i, m := range ms {
		if !isName(m.Type) || to[i] >= 0 {
			continue
		}
		a := store.Assignment{Start: m.Start, End: m.End, Type: m.Type}
		sp := spellingOf(m.Text, m.Type)
		if r.isWeak(sp) {
			// A stated alias of full standing ("Kunya: Abu Sulayman
			// al-Rifi" beside "Abu Sulayman") is evidence enough.
			c, alias, ok := r.bestAlias(ms, to, why, i)
			if !ok || weakCandidate(c) {
				later(i, r.weakCandidates(sp))
				continue
			}
			a.Entity = mosaic.EntityID(c.ID)
			a.Why = fmt.Sprintf(whyOtherName, alias, c.Name.Raw, c.Comparison.Score)
		} else if id, ok := r.decidedFor(sp); ok {
			a.Entity = id
			a.Why = "same name as in an earlier document"
			// A spelling keeps its entity; a list that gives it links
			// the entity to the entry too.
			r.listed(lists, i, sp)
		} else if la, ok := r.listed(lists, i, sp); ok {
			a.Entity, a.New, a.Why = la.Entity, la.New, la.Why
		} else if c, ok := r.best(sp, stated[i]); ok {
			if weakCandidate(c) {
				later(i, []Candidate{c})
				continue
			}
			a.Entity = mosaic.EntityID(c.ID)
			a.Why = fmt.Sprintf(whyNameMatches, c.Name.Raw, c.Comparison.Score)
		} else if c, alias, ok := r.bestAlias(ms, to, why, i); ok {
			if weakCandidate(c) {
				weakVia[i] = alias
				later(i, []Candidate{c})
				continue
			}
			// The text gives this name another one ("Kunya: Abu Sulayman
			// al-Rifi"), or uses a matching spelling, that an earlier
			// document uses.
			a.Entity = mosaic.EntityID(c.ID)
			a.Why = fmt.Sprintf(whyOtherName, alias, c.Name.Raw, c.Comparison.Score)
		} else {
			created = append(created, mosaic.Entity{Kind: m.Type, Name: sp.text})
			a.New = len(created)
			a.Why = "first seen here"
		}
		lists.noteListed(i, a)
		entityOf[i] = a
		assign, of = append(assign, a), append(of, i)
	}
	if len(weakRoots) > 0 {
		d := docContext{entities: map[mosaic.EntityID]string{}, types: map[mosaic.EntityID]mosaic.MentionType{}, identifiers: map[string]string{}}
		for i := range ms {
			if a, ok := entityOf[i]; ok && a.Entity != 0 && d.entities[a.Entity] == "" {
				d.entities[a.Entity], d.types[a.Entity] = ms[i].Text, ms[i].Type
			}
		}
		for _, m := range ms {
			if k := identifierKey(m); k != "" {
				d.identifiers[k] = m.Text
			}
		}
		// A candidate made or changed by the pending batch has no stored
		// context yet, or an old one.
		for _, i := range weakRoots {
			for _, c := range weak[i] {
				if r.pend.changes(mosaic.EntityID(c.ID)) {
					return ErrStoreFirst
				}
			}
		}
		for _, i := range weakRoots {
			m := ms[i]
			a := store.Assignment{Start: m.Start, End: m.End, Type: m.Type}
			what := fmt.Sprintf("%q", spellingOf(m.Text, m.Type).text)
			if alias := weakVia[i]; alias != "" {
				what += fmt.Sprintf(", by its other name here %q,", alias)
			}
			id, reason, err := r.resolveWeak(ctx, what, weak[i], d)
			if err != nil {
				return err
			}
			a.Entity, a.Why = id, reason
			if id == 0 {
				created = append(created, mosaic.Entity{Kind: m.Type, Name: spellingOf(m.Text, m.Type).text})
				a.New = len(created)
			}
			entityOf[i] = a
			assign, of = append(assign, a), append(of, i)
		}
	}
	for i, m := range ms {
		if !isName(m.Type) || to[i] < 0 {
			continue
		}
		a := entityOf[root(i)]
		a.Start, a.End, a.Type = m.Start, m.End, m.Type
		a.Why = fmt.Sprintf(whyWithin, why[i], ms[to[i]].Text)
		if why[i] == ReasonAlias || why[i] == ReasonAcronym || why[i] == ReasonBracket {
			// The text says the names are one: quote where.
			a.Why += whyWhere + quoteSentence(d.Text, m)
		}
		assign, of = append(assign, a), append(of, i)
	}
	if len(assign) == 0 {
		return nil
	}
	// The document's ties join the batch: its new entities after the
	// batch's, and ties to entities the batch made as yet by their place.
	base := len(r.pend.created)
	r.pend.created = append(r.pend.created, created...)
	ids := make([]mosaic.EntityID, len(created)) // provisional, of the document's new entities
	for k := range created {
		ids[k] = provisional(base + k + 1)
	}
	stored := make([]store.Assignment, len(assign))
	for k, a := range assign {
		switch {
		case a.New > 0:
			a.New += base
		case isProvisional(a.Entity):
			a.Entity, a.New = 0, int(a.Entity-provisionalBase)
		}
		stored[k] = a
	}
	r.pend.docs = append(r.pend.docs, store.DocAssignments{Doc: d.ID, Assign: stored})
	r.linkListed(lists, entityOf, ids, mentionTexts(ms))
	// The spellings that identify their entity on their own become names
	// later documents can match.
	for k, a := range assign {
		id := a.Entity
		if a.New > 0 {
			id = ids[a.New-1]
		}
		// The document adds to the entity's context.
		delete(r.contexts, id)
		if !isProvisional(id) {
			r.pend.touch(id)
		}
		sp := spellingOf(ms[of[k]].Text, a.Type)
		if id == 0 || r.decided[sp] != 0 {
			continue
		}
		// A name tied within the document is judged as the kind of name
		// that introduced its group: the surname "al-Haddushi" that the
		// tagger typed ORG after a person's full name is a person's
		// surname, which stays local, not an organisation's short name.
		if i := of[k]; to[i] >= 0 && !statedAlias(why[i]) && !standsAlone(sp.text, ms[root(i)].Text, ms[root(i)].Type) {
			continue
		}
		r.add(id, sp)
	}
	return nil
}

// The reasons ResolveDocument gives (RedactReason reads them): a name of
// an earlier document matched, the mention's own name or its other name
// in this document (whyOtherName); another mention of this document with
// the reason coreference joined them (whyWithin), followed for a stated
// alias by the sentence that states it (whyWhere).
const (
	whyNameMatches = "name matches %q (score %.2f)"
	whyOtherName   = "its other name here %q matches %q (score %.2f)"
	whyWithin      = "%s: %q"
	whyWhere       = " in "
)

// statedAlias reports whether a mention's reason for joining its group
// makes its name identify the entity on its own, in any document: the text
// saying that two names are one ("also known as", an acronym in brackets),
// or two full names of the document matching each other.
func statedAlias(reason string) bool {
	return reason == ReasonAlias || reason == ReasonAcronym || reason == ReasonBracket || strings.HasPrefix(reason, reasonSameName)
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
// stated aliases; this adds full names that match. An ORG name and a MISC
// name match by the generic rules (see sibling). Then an ORG or MISC name
// that matches a person's full name of the document almost exactly, as a
// surname-first table row ("EL HADDOUCHI Abdelkader") does, joins the
// person, since the document resolves its groups together and the person's
// name is not yet among the names resolution can match.
func joinMatchingRoots(ms []mosaic.Mention, to []int, why []string) {
	type rootName struct {
		i   int
		typ mosaic.MentionType
		// name is the name under its type's kind; generic is the name
		// under kind Other, for an ORG or MISC name, to compare across
		// the two.
		name, generic Name
	}
	// Roots are kept by class: ORG and MISC names share one.
	class := func(t mosaic.MentionType) mosaic.MentionType {
		if t == mosaic.Misc {
			return mosaic.Org
		}
		return t
	}
	byClass := map[mosaic.MentionType][]rootName{}
	seen := map[spelling]int{}
	var sc scratch
	for i, m := range ms {
		if !isName(m.Type) || to[i] >= 0 {
			continue
		}
		sp := spellingOf(m.Text, class(m.Type))
		if j, ok := seen[sp]; ok {
			to[i], why[i] = j, ReasonRepeated
			continue
		}
		seen[sp] = i
		roots := byClass[sp.typ]
		if len(roots) >= maxJoinRoots {
			continue
		}
		rn := rootName{i: i, typ: m.Type, name: NewName(sp.text, KindOf(m.Type))}
		for k := range roots {
			r := &roots[k]
			a, b := &rn.name, &r.name
			if r.typ != m.Type {
				// An ORG name and a MISC one compare under kind Other,
				// each name read so once, when first needed.
				for _, n := range []*rootName{&rn, r} {
					if n.generic.Raw == "" {
						n.generic = NewName(n.name.Raw, Other)
					}
				}
				a, b = &rn.generic, &r.generic
			}
			if c := compare(a, b, false, &sc); c.Match {
				to[i], why[i] = r.i, fmt.Sprintf("%s %q (score %.2f)", reasonSameName, ms[r.i].Text, c.Score)
				break
			}
		}
		if to[i] < 0 {
			byClass[sp.typ] = append(roots, rn)
		}
	}
	people := byClass[mosaic.Person]
	for _, r := range byClass[mosaic.Org] {
		if len(strings.Fields(r.name.Raw)) < 2 {
			continue
		}
		n := NewName(r.name.Raw, Person)
		best, score := -1, 0.0
		for _, p := range people {
			if len(strings.Fields(p.name.Raw)) < 2 || !sameKindByWords(r.name.Raw, p.name.Raw) {
				continue
			}
			if c := compare(&n, &p.name, false, &sc); c.Score >= crossTypeScore && c.Score > score {
				best, score = p.i, c.Score
			}
		}
		if best >= 0 {
			to[r.i], why[r.i] = best, fmt.Sprintf("%s %q (score %.2f)", reasonSameName, ms[best].Text, score)
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
		if id, ok := r.decidedFor(sp); ok {
			return Candidate{ID: int64(id), Name: NewName(sp.text, KindOf(sp.typ)), Comparison: Comparison{Score: 1, Match: true}}, sp.text, true
		}
		if why[k] == ReasonAcronym {
			// Initials match any name they could stand for, and the text
			// has just said which one they stand for here; that name
			// matched nothing. Only the very spelling, above, ties them.
			continue
		}
		if c, ok := r.best(sp, nil); ok && c.Comparison.Score > best.Comparison.Score {
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

// siblingLimit is how many candidates of the sibling type (see sibling)
// are compared again under the generic rules.
const siblingLimit = 8

// sibling returns the type that the tagger gives a name of type t about as
// often as t itself, or "": it tells an organisation's name from other
// names (MISC) poorly, and types one group's name either way in the same
// corpus ("Ansar al-Thughur"). A name of either type matches names of the
// other by the generic rules (kind Other), not the looser organisation
// rules, which would take the nationality "Syrian" for "Syrian Army".
func sibling(t mosaic.MentionType) mosaic.MentionType {
	switch t {
	case mosaic.Org:
		return mosaic.Misc
	case mosaic.Misc:
		return mosaic.Org
	}
	return ""
}

// decidedFor returns the entity the spelling, or the same words with the
// sibling type, is already tied to.
func (r *Resolver) decidedFor(sp spelling) (mosaic.EntityID, bool) {
	if id, ok := r.decided[sp]; ok {
		return id, true
	}
	if t := sibling(sp.typ); t != "" {
		id, ok := r.decided[spelling{sp.text, t}]
		return id, ok
	}
	return 0, false
}

// best returns the entity whose name matches the spelling best, if any
// does, trying in turn:
//   - the entities of the spelling's type and of its sibling type, so that
//     a group's name goes to the same entity whichever of ORG and MISC
//     each document's tagger typed it;
//   - an entity of another name type whose name of two words or more
//     matches it almost exactly;
//   - an entity known by an acronym that matches it only as its initials
//     (see byInitials), unless stated holds the acronym's initials: the
//     document states it for the name ("Jama'at Ansar al-Thughur (JAT)"),
//     which makes it as good as a name.
func (r *Resolver) best(sp spelling, stated map[string]bool) (Candidate, bool) {
	var found, weak Candidate
	consider := func(c Candidate) {
		switch {
		case !c.Comparison.Match:
		case byInitials(c) && !stated[initials(c.Name.Raw)]:
			if c.Comparison.Score > weak.Comparison.Score {
				weak = c
			}
		case c.Comparison.Score > found.Comparison.Score:
			found = c
		}
	}
	if x := r.idx[sp.typ]; x != nil {
		q := NewName(sp.text, KindOf(sp.typ))
		cs := x.Candidates(q, 1)
		if len(cs) > 0 && byInitials(cs[0]) {
			// The next may match by name.
			cs = x.Candidates(q, siblingLimit)
		}
		for _, c := range cs {
			consider(c)
		}
	}
	sib := sibling(sp.typ)
	if x := r.idx[sib]; x != nil {
		q := NewName(sp.text, Other)
		for _, c := range x.Candidates(NewName(sp.text, KindOf(sib)), siblingLimit) {
			consider(Candidate{ID: c.ID, Name: c.Name, Comparison: Compare(q, NewName(c.Name.Raw, Other))})
		}
	}
	if found.ID == 0 && len(strings.Fields(sp.text)) >= 2 {
		for _, typ := range []mosaic.MentionType{mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc} {
			x := r.idx[typ]
			if typ == sp.typ || typ == sib || x == nil {
				continue
			}
			cs := x.Candidates(NewName(sp.text, KindOf(typ)), 1)
			if len(cs) > 0 && cs[0].Comparison.Score >= crossTypeScore && cs[0].Comparison.Score > found.Comparison.Score &&
				len(strings.Fields(cs[0].Name.Raw)) >= 2 && sameKindByWords(sp.text, cs[0].Name.Raw) {
				found = cs[0]
			}
		}
	}
	if found.ID == 0 {
		found = weak
	}
	return found, found.ID != 0
}

// byInitials reports whether a candidate is an acronym that matches a name
// only as its initials ("JAT" for "Jama'at Ansar al-Thughur"). That is the
// weakest evidence there is across documents: "ACC" in one file and "Arden
// Constabulary CTU" in another need not be one thing, and a near-identical
// name of another type ("ARDEN CONSTABULARY") is the better match.
func byInitials(c Candidate) bool {
	if c.Name.nContent != 1 {
		return false
	}
	for _, f := range c.Comparison.Features {
		if f.Name == "acronym" {
			return true
		}
	}
	return false
}

// initials returns the letters of an acronym, lower-cased: "JAT" and
// "J.A.T." are both "jat".
func initials(s string) string {
	return strings.ToLower(strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s))
}

// sameKindByWords reports whether two names of different types may be one
// thing: the tagger's type is not trusted over a near-identical name, but
// the names' own words are. "Martin Luther King Centre" (an organisation's
// word) is not the person "Martin Luther King"; "EL HADDOUCHI Abdelkader"
// and "Abdelkader el-Haddouchi" are one person whatever their types, and
// "Arden Constabulary CTU" and "ARDEN CONSTABULARY" one organisation.
func sameKindByWords(a, b string) bool {
	ka, kb := GuessKind(a), GuessKind(b)
	return ka == Other || kb == Other || ka == kb
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
	// A weak name (a bare surname or kunya) that nothing tied together
	// is an entity in each document that uses it: offer it once, the
	// oldest, so that one spelling does not crowd out every other name.
	seen := map[string]bool{}
	kept := out[:0]
	for _, c := range out {
		sp := spellingOf(c.Name.Raw, "").text
		if c.Name.Kind == Person && WeakName(sp, mosaic.Person) {
			if seen[sp] {
				continue
			}
			seen[sp] = true
		}
		kept = append(kept, c)
	}
	out = kept
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}
