package network

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
	"unicode"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// Claim is a sentence that calls a person a lone actor.
type Claim struct {
	Doc   mosaic.DocID `json:"doc"`
	Title string       `json:"title"`
	Text  string       `json:"text"`
}

// LoneActor is a person the documents call a lone actor, or an analyst
// flagged, with the shortest evidence path to a known group or a member
// of one, if there is any.
type LoneActor struct {
	Person  mosaic.EntityID `json:"person"`
	Name    string          `json:"name"`
	Flagged bool            `json:"flagged,omitempty"`
	Claims  []Claim         `json:"claims"`
	// Linked is set when a path exists; Target is the group or member it
	// reaches and Path proves it hop by hop.
	Linked bool            `json:"linked"`
	Target mosaic.EntityID `json:"target,omitempty"`
	Path   *Path           `json:"path,omitempty"`
}

// strongCues call someone a lone actor wherever they stand; "alone" does
// only in a sentence about an attack.
var (
	strongCues = []string{"acted alone", "acting alone", "act alone", "lone actor", "lone-actor", "lone wolf", "lone-wolf", "self-radicalised", "self-radicalized"}
	attackCues = []string{"attack", "stabb", "carried out", "bomb", "shot", "knife", "arson"}
)

// claimsLoneActor reports whether a sentence calls someone a lone actor.
func claimsLoneActor(sentence string) bool { return loneActorCue(sentence) >= 0 }

// loneActorCue returns the byte offset in sentence of the words that call
// someone a lone actor, or -1.
func loneActorCue(sentence string) int {
	s := strings.ToLower(sentence)
	for _, c := range strongCues {
		if i := strings.Index(s, c); i >= 0 {
			return i
		}
	}
	i := strings.Index(s, "alone")
	if i < 0 {
		return -1
	}
	for _, c := range attackCues {
		if strings.Contains(s, c) {
			return i
		}
	}
	return -1
}

// claimed returns the person a lone-actor sentence is about: its
// subject, the person named just before the words that make the claim
// with nothing between them but the rest of the verb phrase ("Mansour
// acted alone", "Shakir appears to have acted alone", "assess Ilyas Wahbi
// as a lone actor", "Bouzidi carried out the attack at the coach station
// alone"), or, when the claim opens the sentence, the person it then names
// with a copula ("Acting alone … was Lee Barrow"). Not the nearest name:
// a name set off by a comma or a clause boundary from the claim is not its
// subject, so a person addressed ("Dr Achterberg, three attackers, each of
// them alone") or a place in another clause ("… Bordesley Green, and
// people here are asking how three young men … acted alone") is passed
// over, as are those who only voice the claim: a transcript's speaker
// label ("GREAVES: We are confident this man acted alone"), and a person
// who said or told it ("Greaves said: …", "… acted alone, said Greaves").
// When the subject is a pronoun or a common noun ("he acted alone", "the
// attackers acted alone"), the sentence names no one, and there is no
// claim to record rather than a wrong one.
func claimed(text string, ms []mosaic.Mention, sentence mosaic.Span, cue int) (mosaic.Mention, bool) {
	at := sentence.Start + cue
	var before, after *mosaic.Mention
	for i := range ms {
		m := &ms[i]
		if m.Type != mosaic.Person || m.Entity == 0 || voices(text, *m) {
			continue
		}
		if m.End <= at {
			before = m
		} else if after == nil {
			after = m
		}
	}
	switch {
	case before != nil:
		if verbPhrase(text[before.End:at]) {
			return *before, true
		}
	case after != nil && strings.TrimSpace(text[sentence.Start:at]) == "":
		prev := strings.Fields(text[at:after.Start])
		if len(prev) > 0 && slices.Contains(copulas, strings.ToLower(prev[len(prev)-1])) {
			return *after, true
		}
	}
	return mosaic.Mention{}, false
}

// maxVerbPhrase is how many words may stand between a subject and the
// words that call it a lone actor.
const maxVerbPhrase = 8

// copulas link a subject named after the claim to it.
var copulas = []string{"was", "is", "were"}

// clauseWords start another clause or name another subject: a name
// followed by one of them is not the subject of what comes after.
var clauseWords = []string{"and", "but", "or", "nor", "that", "who", "whom", "which", "how", "why", "while", "whether",
	"because", "if", "when", "where", "although", "though", "he", "she", "they", "we", "i", "you", "it",
	"said", "says", "told", "asked", "think", "thinks", "believe", "believes"}

// verbPhrase reports whether the words between a name and a lone-actor cue
// continue the name's own clause: at most maxVerbPhrase words, no
// punctuation that ends or sets off a clause, and no word that opens
// another one.
func verbPhrase(between string) bool {
	if strings.ContainsAny(between, ",;:.!?()[]\"“”—") {
		return false
	}
	words := strings.Fields(between)
	if len(words) > maxVerbPhrase {
		return false
	}
	for _, w := range words {
		if slices.Contains(clauseWords, strings.ToLower(strings.Trim(w, "'"))) {
			return false
		}
	}
	return true
}

// speechVerbs report what someone said.
var speechVerbs = []string{"said", "says", "told", "tells", "stated", "added", "asked", "insisted", "claimed", "confirmed"}

// voices reports whether a person's mention is the one voicing a
// sentence rather than its subject: a speaker label (the name, perhaps
// with a bracketed note, then a colon), the name before a verb of saying
// ("Calloway said"), or after one at the end of a clause ("…, said
// Calloway."). "Greaves said Bouzidi acted alone" is about Bouzidi: a
// name after "said" that goes on to a verb of its own is the subject.
func voices(text string, m mosaic.Mention) bool {
	word := func(w string) string { return strings.ToLower(strings.Trim(w, ",:;\"'")) }
	rest := text[m.End:]
	if i := strings.IndexByte(rest, '('); i >= 0 && strings.TrimSpace(rest[:i]) == "" {
		if j := strings.IndexByte(rest[i:], ')'); j >= 0 && j < 40 {
			rest = rest[i+j+1:]
		}
	}
	rest = strings.TrimLeft(rest, " \t")
	if strings.HasPrefix(rest, ":") {
		return true
	}
	if next := strings.Fields(rest); len(next) > 0 && slices.Contains(speechVerbs, word(next[0])) {
		return true
	}
	prev := strings.Fields(text[max(0, m.Start-20):m.Start])
	clauseEnds := rest == "" || strings.ContainsAny(rest[:1], ".,;!?\"")
	return len(prev) > 0 && slices.Contains(speechVerbs, word(prev[len(prev)-1])) && clauseEnds
}

// Corpus is what the lone-actor check reads besides relations.
type Corpus interface {
	store.Searcher
	Quoter
	Mentions(ctx context.Context, id mosaic.DocID, scope store.Scope) ([]mosaic.Mention, error)
	Entity(ctx context.Context, id mosaic.EntityID, scope store.Scope) (store.EntityProfile, error)
}

// maxClaimDocs bounds the documents the check reads for claims.
const maxClaimDocs = 5000

// LoneActors finds the people the documents in scope call lone actors,
// adds those in flagged, and for each looks for the shortest evidence path
// (at most maxHops hops) to a known group or a member of one: an
// organisation some document makes someone a member of, or that member.
func LoneActors(ctx context.Context, c Corpus, n *Network, scope store.Scope, flagged []mosaic.EntityID, maxHops int) ([]LoneActor, error) {
	people := map[mosaic.EntityID]*LoneActor{}
	q := search.Parse(`"acted alone" OR "acting alone" OR "act alone" OR "lone actor" OR "lone wolf" OR "self-radicalised" OR "self-radicalized" OR alone`)
	for offset := 0; offset < maxClaimDocs; offset += 100 {
		res, err := c.Search(ctx, store.SearchRequest{Query: q, Scope: scope, Limit: 100, Offset: offset})
		if err != nil {
			return nil, fmt.Errorf("lone actors: %w", err)
		}
		for _, h := range res.Hits {
			if err := claimsIn(ctx, c, scope, h, people); err != nil {
				return nil, err
			}
		}
		if len(res.Hits) < 100 {
			break
		}
	}
	for _, id := range flagged {
		if people[id] == nil {
			people[id] = &LoneActor{Person: id}
		}
		people[id].Flagged = true
	}
	targets := n.groupsAndMembers()
	var out []LoneActor
	for id, la := range people {
		p, err := c.Entity(ctx, id, scope)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, err
		}
		if !la.Flagged && !solidPerson(p) {
			continue
		}
		la.Person, la.Name = p.ID, cmp.Or(n.Name(p.ID), entity.Heading(p))
		if la.Claims == nil {
			la.Claims = []Claim{} // flagged only: no document calls them so
		}
		// Nearest never returns the person itself, even if a member.
		if path, ok := n.Nearest(p.ID, targets, maxHops); ok {
			la.Linked, la.Target, la.Path = true, path.Entities[len(path.Entities)-1], &path
		}
		out = append(out, *la)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Linked != out[j].Linked {
			return out[i].Linked
		}
		return out[i].Name < out[j].Name
	})
	return out, nil
}

// claimsIn adds the people a document's sentences call lone actors.
func claimsIn(ctx context.Context, c Corpus, scope store.Scope, h store.Hit, people map[mosaic.EntityID]*LoneActor) error {
	d, _, err := c.Document(ctx, h.ID, scope)
	if err != nil {
		return fmt.Errorf("lone actors: %w", err)
	}
	if d.Format == mosaic.FormatCSV || d.Format == mosaic.FormatJSON {
		// A record's "sentences" are runs of fields (a GTD row reads
		// "…police said he acted alone. crit1: 1 crit2: 1 …"): nothing
		// to quote as a claim about a person.
		return nil
	}
	ms, err := c.Mentions(ctx, h.ID, scope)
	if err != nil {
		return fmt.Errorf("lone actors: %w", err)
	}
	bySentence := map[mosaic.Span][]mosaic.Mention{}
	var sentences []mosaic.Span
	for _, m := range ms {
		if _, ok := bySentence[m.Sentence]; !ok {
			sentences = append(sentences, m.Sentence)
		}
		bySentence[m.Sentence] = append(bySentence[m.Sentence], m)
	}
	for _, s := range sentences {
		text := d.Text[s.Start:s.End]
		cue := loneActorCue(text)
		if cue < 0 {
			continue
		}
		if m, ok := claimed(d.Text, bySentence[s], s, cue); ok {
			la := people[m.Entity]
			if la == nil {
				la = &LoneActor{Person: m.Entity}
				people[m.Entity] = la
			}
			if len(la.Claims) < 5 {
				la.Claims = append(la.Claims, Claim{Doc: d.ID, Title: d.Title, Text: strings.Join(strings.Fields(text), " ")})
			}
		}
	}
	return nil
}

// solidPerson reports whether an entity may be accused of acting alone:
// a person known by a name that identifies someone — a full name, not
// only a surname, a first name or a kunya (entity.WeakName) that the
// tagger may have given a newspaper ("Ledger") or that several people
// share. The tagger sometimes types a person's first mention a place
// ("Ilias Ouahbi" in a list of attacks), which makes the entity a place;
// such an entity counts as a person only if one of its full names reads as
// a person's (entity.GuessKind: a given name, a title).
func solidPerson(p store.EntityProfile) bool {
	if p.Kind == mosaic.Org {
		return false
	}
	for _, n := range p.Names {
		if entity.WeakName(n.Name, mosaic.Person) || strings.ToUpper(n.Name) == n.Name {
			continue
		}
		if p.Kind == mosaic.Person || entity.GuessKind(n.Name) == entity.Person {
			return true
		}
	}
	return false
}

// groupsAndMembers returns the known groups and their members: what the
// lone-actor check looks for a path to.
//
// A known group is an organisation that acts as one, or that documents
// give the roles of one: it orders, sends, directs or recruits someone, or
// attacks, or one of its members does the ordering, sending or recruiting,
// or a membership of it is stated with a role of an armed group or cell
// (groupRole: "a member of", "spokesman of", "emir"). An organisation that
// merely has someone in it — a newspaper and its correspondent, a district
// a news model misread as an employer ("Zakaria Mansour, 20, of
// Sparkhill") — is no group: linking a lone actor to it would call him
// linked on nothing. A member's own attack does not make a group of what he
// is said to belong to, since lone actors attack by definition and a
// misread membership of theirs would then make a group of a place.
//
// A membership counts only of an organisation by type that is not a
// person by its name (entity.GuessKind: the tagger types "DS Paul
// Holloway" ORG), from a person, stated with confidence at least
// minMemberConfidence and not negated.
func (n *Network) groupsAndMembers() map[mosaic.EntityID]bool {
	isGroup := func(id mosaic.EntityID) bool {
		k := n.Kind(id)
		return (k == mosaic.Org || k == mosaic.Misc) && entity.GuessKind(n.Name(id)) != entity.Person
	}
	members := map[mosaic.EntityID][]mosaic.EntityID{} // group → members
	acts := map[mosaic.EntityID]bool{}                 // entities that command, or groups that attack
	for _, l := range n.edges {
		for ev := range n.evidence(l) {
			if ev.Negated {
				continue
			}
			switch ev.Type {
			case mosaic.Member:
				if n.Kind(ev.From) == mosaic.Person && isGroup(ev.To) &&
					!(ev.Confidence > 0 && ev.Confidence < minMemberConfidence) {
					members[ev.To] = append(members[ev.To], ev.From)
					if groupRole(ev.Cue) {
						acts[ev.To] = true
					}
				}
			case mosaic.Command:
				acts[ev.From] = true
			case mosaic.Attack:
				if isGroup(ev.From) {
					acts[ev.From] = true
				}
			}
		}
	}
	out := map[mosaic.EntityID]bool{}
	for g, ms := range members {
		known := acts[g]
		for _, m := range ms {
			known = known || acts[m]
		}
		if !known {
			continue
		}
		out[g] = true
		for _, m := range ms {
			out[m] = true
		}
	}
	return out
}

// groupRoles are the roles that make an organisation an armed group or a
// cell when a membership's cue names one; a newspaper's correspondent, a
// firm's director or a ministry's official is none of them.
var groupRoles = map[string]bool{
	"member": true, "members": true, "leader": true, "leaders": true, "emir": true, "amir": true,
	"commander": true, "founder": true, "co-founder": true, "spokesman": true, "spokeswoman": true,
	"spokesperson": true, "fighter": true, "fighters": true, "militant": true, "militants": true,
	"operative": true, "operatives": true, "recruiter": true, "financier": true, "cell": true,
}

// groupRole reports whether a membership's cue names a role in a group.
func groupRole(cue string) bool {
	for _, w := range strings.FieldsFunc(strings.ToLower(cue), func(r rune) bool {
		return !unicode.IsLetter(r) && r != '-'
	}) {
		if groupRoles[w] {
			return true
		}
	}
	return false
}

// minMemberConfidence is the confidence a membership needs to make a
// group known: a rule's "is a member of", "spokesman of" (0.83), or a
// learned relation the classifier is as sure of.
const minMemberConfidence = 0.5

// Alerts compares two checks, before and after new material, and returns
// the people the new one links to a group who were not linked before, or
// whose path got shorter.
func Alerts(before, after []LoneActor) []LoneActor {
	was := map[mosaic.EntityID]LoneActor{}
	for _, la := range before {
		was[la.Person] = la
	}
	var out []LoneActor
	for _, la := range after {
		if !la.Linked {
			continue
		}
		old, ok := was[la.Person]
		if !ok || !old.Linked || len(old.Path.Hops) > len(la.Path.Hops) {
			out = append(out, la)
		}
	}
	return out
}
