package entity

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"mosaic"
	"mosaic/internal/store"
)

// WeakName reports whether a person's name identifies no one by itself: a
// bare kunya ("Abu Sulayman": thousands of men use it), or one given name
// or surname ("Karim", "Haddouchi"), titles and initials aside ("Mr
// Greaves", "A. el-Haddouchi"). Such a name joins an entity of another
// document only with context evidence (see contextEvidence); within its
// own document the coreference rules tie it to the full name it shortens.
func WeakName(text string, typ mosaic.MentionType) bool {
	if typ != mosaic.Person {
		return false
	}
	n := NewName(text, Person)
	if n.IsKunya() {
		return n.kunya[1] < 0
	}
	return n.nContent <= 1
}

// ReasonContext starts the reason given when a weak name (WeakName) joins
// an entity of earlier documents on context evidence; the reason goes on
// to name the evidence and ends with its confidence.
const ReasonContext = "weak name joined on context evidence"

// WeakConfidence returns the confidence a reason records for a weak-name
// resolution (ReasonContext), and whether the reason is one.
func WeakConfidence(reason string) (float64, bool) {
	if !strings.HasPrefix(reason, ReasonContext) {
		return 0, false
	}
	i := strings.LastIndex(reason, "confidence ")
	if i < 0 {
		return 0, false
	}
	var c float64
	if _, err := fmt.Sscanf(reason[i+len("confidence "):], "%f", &c); err != nil {
		return 0, false
	}
	return c, true
}

// Evidence weights: how much one shared item of context tells that a weak
// name is the candidate entity. An identifier (a phone number, an e-mail
// address, a URL) belongs to one person; a person or organisation named
// beside the name in both places is telling; a place is context that
// unrelated people share, so at most maxPlaces places count, and places
// alone never reach minContext.
const (
	identifierWeight = 0.9
	neighbourWeight  = 0.5
	placeWeight      = 0.2
	maxPlaces        = 2
	// minContext is the confidence a weak name needs to join an entity:
	// an identifier, or two people or organisations, reach it; one
	// person and the places beside it do not.
	minContext = 0.7
	// maxContextDocs bounds the documents of an entity read for its
	// context, and maxContextMentions the mentions read of each, from its
	// start: a part of a chat export names tens of thousands, and reading
	// them all for every weak name cost most of its resolution.
	maxContextDocs     = 200
	maxContextMentions = 1000
)

// entityContext is what the documents of an entity name besides it: the
// entities and their types, and the identifiers ("PHONE:+3225550147").
type entityContext struct {
	entities    map[mosaic.EntityID]mosaic.MentionType
	identifiers map[string]bool
}

// identifierKey returns the key of an identifier mention, or "" if the
// mention is no identifier.
func identifierKey(m mosaic.Mention) string {
	switch m.Type {
	case mosaic.Phone, mosaic.Email, mosaic.URL:
		v := m.Norm
		if v == "" {
			v = strings.ToLower(m.Text)
		}
		return string(m.Type) + ":" + v
	}
	return ""
}

// contextOf returns the context of an entity, read from its documents in
// the store once and kept until a document adds to it (forget).
func (r *Resolver) contextOf(ctx context.Context, id mosaic.EntityID) (*entityContext, error) {
	if c, ok := r.contexts[id]; ok {
		return c, nil
	}
	c := &entityContext{entities: map[mosaic.EntityID]mosaic.MentionType{}, identifiers: map[string]bool{}}
	p, err := r.st.Entity(ctx, id, store.Scope{})
	if err != nil {
		return nil, fmt.Errorf("context of entity %d: %w", id, err)
	}
	seen := map[mosaic.DocID]bool{}
	for _, n := range p.Names {
		for _, d := range n.Documents {
			if seen[d.ID] || len(seen) >= maxContextDocs {
				continue
			}
			seen[d.ID] = true
			ms, _, err := r.st.MentionsPage(ctx, d.ID, store.Scope{}, mosaic.Span{}, store.Page{Limit: maxContextMentions})
			if err != nil {
				return nil, fmt.Errorf("context of entity %d: %w", id, err)
			}
			for _, m := range ms {
				if k := identifierKey(m); k != "" {
					c.identifiers[k] = true
				} else if m.Entity != 0 && isName(m.Type) {
					c.entities[m.Entity] = m.Type
				}
			}
		}
	}
	r.contexts[id] = c
	return c, nil
}

// docContext is what one document names besides a weak name: the entities
// its other groups resolved to, each with the name written here, and its
// identifiers with their text.
type docContext struct {
	entities    map[mosaic.EntityID]string
	types       map[mosaic.EntityID]mosaic.MentionType
	identifiers map[string]string
}

// contextEvidence weighs what a document shares with the context of a
// candidate entity for a weak name, and returns the confidence and a
// description of the evidence ("shares +32 2 555 0147; Zakaria Mansour").
func contextEvidence(d docContext, c *entityContext) (float64, string) {
	var ids, people, places []string
	for k, text := range d.identifiers {
		if c.identifiers[k] {
			ids = append(ids, text)
		}
	}
	for id, text := range d.entities {
		if _, ok := c.entities[id]; !ok {
			continue
		}
		if d.types[id] == mosaic.Location {
			places = append(places, text)
		} else {
			people = append(people, text)
		}
	}
	sort.Strings(ids)
	sort.Strings(people)
	sort.Strings(places)
	miss := 1.0
	for range ids {
		miss *= 1 - identifierWeight
	}
	for range people {
		miss *= 1 - neighbourWeight
	}
	for k := range places {
		if k < maxPlaces {
			miss *= 1 - placeWeight
		}
	}
	var parts []string
	if len(ids) > 0 {
		parts = append(parts, "identifiers "+strings.Join(ids, ", "))
	}
	if len(people) > 0 {
		parts = append(parts, "named beside it in both "+strings.Join(people, ", "))
	}
	if len(places) > 0 {
		parts = append(parts, "places "+strings.Join(places, ", "))
	}
	if len(parts) == 0 {
		return 0, "nothing shared"
	}
	return 1 - miss, strings.Join(parts, "; ")
}

// weakCandidates returns the entities whose names match a weak spelling:
// the one it was tied to first, and the best matches in the index, best
// first, at most siblingLimit of them.
func (r *Resolver) weakCandidates(sp spelling) []Candidate {
	var out []Candidate
	seen := map[int64]bool{}
	if id, ok := r.decided[sp]; ok {
		out = append(out, Candidate{ID: int64(id), Name: NewName(sp.text, KindOf(sp.typ)), Comparison: Comparison{Score: 1, Match: true}})
		seen[int64(id)] = true
	}
	if x := r.idx[sp.typ]; x != nil {
		for _, c := range x.Candidates(NewName(sp.text, KindOf(sp.typ)), siblingLimit) {
			if c.Comparison.Match && !seen[c.ID] {
				out = append(out, c)
				seen[c.ID] = true
			}
		}
	}
	return out
}

// resolveWeak decides a weak resolution of the name what (quoted, as the
// reason shows it): of the candidates, the one whose context the document
// shares most, if that evidence reaches minContext. It returns the entity
// and the reason, or zero and the reason no candidate did.
func (r *Resolver) resolveWeak(ctx context.Context, what string, cands []Candidate, d docContext) (mosaic.EntityID, string, error) {
	best, conf, ev := -1, 0.0, ""
	for k, c := range cands {
		ec, err := r.contextOf(ctx, mosaic.EntityID(c.ID))
		if err != nil {
			return 0, "", err
		}
		if cf, e := contextEvidence(d, ec); best < 0 || cf > conf {
			best, conf, ev = k, cf, e
		}
	}
	if best < 0 {
		return 0, "first seen here", nil
	}
	c := cands[best]
	if conf < minContext {
		return 0, fmt.Sprintf("first seen here: %s names no one by itself, and the context here does not tie it to %q (%s: evidence %.2f, needs %.2f)",
			what, c.Name.Raw, ev, conf, minContext), nil
	}
	// The tie is as sure as the evidence and the name match together.
	return mosaic.EntityID(c.ID), fmt.Sprintf("%s: %s matches %q (score %.2f); %s: evidence %.2f; confidence %.2f",
		ReasonContext, what, c.Name.Raw, c.Comparison.Score, ev, conf, conf*c.Comparison.Score), nil
}

// isWeak reports whether a spelling is a weak name that no analyst
// confirmed.
func (r *Resolver) isWeak(sp spelling) bool {
	return WeakName(sp.text, sp.typ) && !r.confirmed[sp]
}

// weakCandidate reports whether a candidate matched by a weak name of its
// entity: a full name that matches an entity known so far only as "Abu
// Sulayman" is no more evidence than "Abu Sulayman" itself.
func weakCandidate(c Candidate) bool {
	return c.Name.Kind == Person && WeakName(c.Name.Raw, mosaic.Person)
}

// sharedSurnames settles the surnames and first names used alone, and
// the speaker labels (and their repeats), that coreference tied to the nearest full name when
// two people of the document share the word ("Ferhat acted alone" in an
// interview of Nabil Ferhat at which his mother, Mrs Leila Ferhat, was
// present). The word goes to the person the context names: the one whose
// title it carries ("Mrs Ferhat"), else the one the document names far more
// often than the others who share the word (dominance times as often,
// counting only the mentions that do not rest on the shared word). When
// none stands out it goes to no one here: it is resolved on its own, as a
// weak name, and joins an entity only on context evidence.
func sharedSurnames(text string, ms []mosaic.Mention, to []int, why []string) {
	// holders[w]: the groups whose introducing full name has the word w.
	holders := map[string][]int{}
	for i, m := range ms {
		if m.Type != mosaic.Person || to[i] >= 0 {
			continue
		}
		n := NewName(m.Text, Person)
		if len(n.Tokens) < 2 {
			continue
		}
		for _, w := range n.Tokens {
			if len(holders[w]) == 0 || holders[w][len(holders[w])-1] != i {
				holders[w] = append(holders[w], i)
			}
		}
	}
	// shared[i]: the groups mention i's word could name, if two or more.
	shared := map[int][]int{}
	for i, m := range ms {
		if to[i] < 0 || why[i] != ReasonSurname && why[i] != ReasonGiven && why[i] != ReasonLabel && why[i] != ReasonRepeated {
			continue
		}
		if n := NewName(m.Text, Person); len(n.Tokens) == 1 && len(holders[n.Tokens[0]]) >= 2 {
			shared[i] = holders[n.Tokens[0]]
		}
	}
	if len(shared) == 0 {
		return
	}
	// size[g]: the mentions of group g that do not rest on a shared word.
	size := map[int]int{}
	for i, m := range ms {
		if !isName(m.Type) {
			continue
		}
		j := i
		for to[j] >= 0 && shared[j] == nil {
			j = to[j]
		}
		if to[j] < 0 {
			size[j]++
		}
	}
	for i, gs := range shared {
		if t := titleBefore(text, ms[i].Start); t != "" {
			var same []int
			for _, g := range gs {
				if titleBefore(text, ms[g].Start) == t {
					same = append(same, g)
				}
			}
			if len(same) == 1 {
				to[i], why[i] = same[0], fmt.Sprintf("%s, with the title %q", ReasonSurname, t)
				continue
			}
		}
		best, next := -1, 0
		for _, g := range gs {
			switch {
			case best < 0 || size[g] > size[best]:
				if best >= 0 {
					next = size[best]
				}
				best = g
			case size[g] > next:
				next = size[g]
			}
		}
		if size[best] >= dominance*next {
			to[i], why[i] = best, fmt.Sprintf("%s; of the people here who share it, the one the document names most", why[i])
		} else {
			to[i], why[i] = -1, ""
		}
	}
}

// titleBefore returns the title written just before a name ("Mrs" in "Mrs
// Ferhat"), lower-cased, or "".
func titleBefore(text string, start int) string {
	words := strings.Fields(text[max(0, start-16):start])
	if len(words) == 0 {
		return ""
	}
	w := strings.ToLower(strings.TrimRight(words[len(words)-1], "."))
	if !personTitles[w] {
		return ""
	}
	return w
}

// dominance is how many times more often the document must name one of
// the people who share a word than any other for the word alone to be
// theirs.
const dominance = 2
