package incident

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/network"
	"mosaic/internal/store"
)

// Reading incidents is where the pieces meet. What the store holds are the
// records: a GTD row, an attack one document reports. What an analyst
// reads is the attack: the records of one attack merged (Merge, with the
// agency's own rulings), each person tied to the entity resolution makes
// of him, and the attribution the evidence network supports, path and
// sentences included. All of it is read in the caller's scope, so an
// agency's view of an attack is made of what it may see: another agency's
// report neither joins its merge nor lends its attacker a path.

// Corpus is what reading incidents needs of a store.
type Corpus interface {
	store.Incidents
	network.Quoter
	Mentions(ctx context.Context, id mosaic.DocID, scope store.Scope) ([]mosaic.Mention, error)
}

// ReadOptions say which incidents to read and how.
type ReadOptions struct {
	// Filter selects; its Scope is the caller's. Every field is applied to
	// the merged attack (Matches), so that a GTD row that names no group
	// and a report that names one are counted as the attack they are.
	Filter store.IncidentFilter
	// Rule is the inclusion rule each attack must pass.
	Rule Rule
	// Agency is whose rulings apply ("" for a store without agencies).
	Agency string
	// Network, when set, is the caller's evidence network: attackers with
	// a path to a group raise the attribution (see attribute). MaxHops
	// bounds the path; zero means DefaultAttributionHops.
	Network *network.Network
	MaxHops int
	// Where, when set, keeps attacks in this place: a country, region,
	// province or city name, compared without regard to case or accents.
	Where string
	// Groups are the entities the filter's group name resolves to, if the
	// caller looked it up: an attack whose group or attributed group is
	// one of them matches, however its sources spell the group ("JAT",
	// "Ansar al-Thughur").
	Groups []mosaic.EntityID
}

// DefaultAttributionHops bounds an attribution path: attacker, contact,
// organiser, group is three; a brother between makes four.
const DefaultAttributionHops = 4

// mergeSlack widens the date bounds the store is asked for, so that a
// record dated a day outside the range still meets the attack it belongs
// to inside it (Merge allows a day either way).
const mergeSlack = 2 * 24 * time.Hour

// Read returns the attacks the options select, oldest first.
func Read(ctx context.Context, c Corpus, opt ReadOptions) ([]Group, error) {
	pre := store.IncidentFilter{Scope: opt.Filter.Scope, Collection: opt.Filter.Collection}
	if !opt.Filter.Since.IsZero() {
		pre.Since = opt.Filter.Since.Add(-mergeSlack)
	}
	if !opt.Filter.Until.IsZero() {
		pre.Until = opt.Filter.Until.Add(mergeSlack)
	}
	var records []mosaic.Incident
	if err := c.EachIncident(ctx, pre, func(in mosaic.Incident) error {
		records = append(records, in)
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read incidents: %w", err)
	}
	rulings, err := c.IncidentJudgements(ctx, opt.Agency, opt.Filter.Scope)
	if err != nil {
		return nil, fmt.Errorf("read incidents: rulings: %w", err)
	}
	// Actors are tied to their entities before merging, so that two
	// records naming one person two ways meet.
	r := attackReader{c: c, scope: opt.Filter.Scope, mentions: map[mosaic.DocID][]mosaic.Mention{}}
	for i := range records {
		if err := r.tie(ctx, &records[i]); err != nil {
			return nil, err
		}
	}
	groups := Merge(records, rulings)
	hops := opt.MaxHops
	if hops <= 0 {
		hops = DefaultAttributionHops
	}
	out := groups[:0]
	for _, g := range groups {
		if opt.Network != nil {
			if err := r.attribute(ctx, &g.Incident, opt.Network, hops); err != nil {
				return nil, err
			}
		}
		if !matches(g.Incident, opt.Filter, opt.Groups) || !Included(g.Incident, opt.Rule) || !isIn(g.Incident, opt.Where) {
			continue
		}
		out = append(out, g)
	}
	return out, nil
}

// matches is Matches, but a group filter is also met by the group an
// attribution path reached and by a group or claimant the text names: an
// attack the network ties to a group is that group's, whatever the row's
// perpetrator column says.
func matches(in mosaic.Incident, f store.IncidentFilter, groups []mosaic.EntityID) bool {
	if f.Group == "" {
		return Matches(in, f)
	}
	for _, a := range in.Actors {
		if a.Entity != 0 && a.Role != mosaic.RoleAttacker && a.Role != mosaic.RoleVictim && slices.Contains(groups, a.Entity) {
			f.Group = ""
			return Matches(in, f)
		}
	}
	names := slices.Clone(in.Perpetrators)
	if in.AttributedTo != "" {
		names = append(names, in.AttributedTo)
	}
	for _, a := range in.Actors {
		if a.Role == mosaic.RoleGroup || a.Role == mosaic.RoleClaimant {
			names = append(names, a.Name)
		}
	}
	if !slices.ContainsFunc(names, func(n string) bool { return strings.EqualFold(n, f.Group) }) {
		return false
	}
	f.Group = ""
	return Matches(in, f)
}

// isIn reports whether an attack happened in a place of any kind; every
// attack is in the empty place.
func isIn(in mosaic.Incident, where string) bool {
	if where == "" {
		return true
	}
	w := placeKey(where)
	for _, p := range []string{in.Country.Name, in.Region.Name, in.Province, in.City} {
		if p != "" && placeKey(p) == w {
			return true
		}
	}
	return false
}

func isNotFound(err error) bool { return errors.Is(err, store.ErrNotFound) }

// attackReader reads what tying and attributing need, each document once.
type attackReader struct {
	c        Corpus
	scope    store.Scope
	mentions map[mosaic.DocID][]mosaic.Mention
}

// tie fills in each actor's entity: the entity of the mention at the
// actor's span, as resolution and the analysts' merges read now.
func (r *attackReader) tie(ctx context.Context, in *mosaic.Incident) error {
	for i := range in.Actors {
		a := &in.Actors[i]
		if a.Doc == "" {
			continue
		}
		ms, ok := r.mentions[a.Doc]
		if !ok {
			var err error
			ms, err = r.c.Mentions(ctx, a.Doc, r.scope)
			if err != nil && !isNotFound(err) {
				return fmt.Errorf("read incidents: mentions of %s: %w", a.Doc, err)
			}
			r.mentions[a.Doc] = ms
		}
		// The mention at the actor's span, or else the smallest that holds
		// it: an organisation's name around a person's ("the Ouahbi
		// family") must not take the person's place.
		a.Entity = 0
		best := -1
		for _, m := range ms {
			if m.Entity == 0 || m.Start > a.Mention.Start || a.Mention.End > m.End {
				continue
			}
			if best < 0 || m.End-m.Start < best {
				a.Entity, best = m.Entity, m.End-m.Start
			}
		}
	}
	return nil
}

// strength orders attribution classes by what they claim of the group:
// a text's or the network's reading replaces a weaker one, never a
// stronger. A branch's claim is the sources' word on who did it and is
// kept against a path, which is only contact.
func strength(a mosaic.Attribution) int {
	switch a {
	case mosaic.Directed:
		return 4
	case mosaic.ClaimedByBranch:
		return 3
	case mosaic.Enabled:
		return 2
	case mosaic.Inspired:
		return 1
	}
	return 0
}

// attribute raises the incident's attribution to what the network shows
// of its attackers: a perpetrator with a path of contact or command to a
// group is at least enabled, directed when the group's side commanded
// him. The path's sentences become the attribution's evidence, so the
// class says which path it rests on.
func (r *attackReader) attribute(ctx context.Context, in *mosaic.Incident, n *network.Network, hops int) error {
	var best *network.Attribution
	for _, id := range principal(in) {
		at, ok := n.Attribute(id, hops)
		if !ok {
			continue
		}
		if best == nil || strength(at.Class) > strength(best.Class) ||
			(at.Class == best.Class && len(at.Path.Hops) < len(best.Path.Hops)) {
			best = &at
		}
	}
	if best == nil || strength(best.Class) <= strength(in.Attribution) {
		return nil
	}
	if err := network.QuotePaths(ctx, r.c, r.scope, best.Path); err != nil {
		return fmt.Errorf("read incidents: quoting an attribution path: %w", err)
	}
	in.Attribution = best.Class
	in.AttributedTo = n.Name(best.Group)
	in.Actors = append(in.Actors, mosaic.IncidentActor{Role: mosaic.RoleGroup, Name: in.AttributedTo, Kind: n.Kind(best.Group), Entity: best.Group})
	names := make([]string, len(best.Path.Entities))
	for i, id := range best.Path.Entities {
		names[i] = n.Name(id)
	}
	value := string(best.Class) + ": " + strings.Join(names, " → ")
	for _, h := range best.Path.Hops {
		ev, ok := hopEvidence(h)
		if !ok {
			continue
		}
		in.Evidence = append(in.Evidence, mosaic.IncidentEvidence{
			Field: mosaic.FieldAttribution, Value: value, Doc: ev.Doc, Sentence: ev.Sentence,
			Quote: ev.Text, Confidence: ev.Confidence,
		})
	}
	return nil
}

// principal returns the attackers most of an attack's sources name: the
// entities named as attacker by the most documents. A report that lists
// several attacks may pin one attack's attacker on another ("Bouzidi"
// read into the Coventry stabbing); attributing through him would lend
// the attack a path it does not have, so an attacker one source names
// against several that name another is left out.
func principal(in *mosaic.Incident) []mosaic.EntityID {
	docs := map[mosaic.EntityID]map[mosaic.DocID]bool{}
	var order []mosaic.EntityID
	for _, a := range in.Actors {
		if a.Role != mosaic.RoleAttacker || a.Entity == 0 {
			continue
		}
		if docs[a.Entity] == nil {
			docs[a.Entity] = map[mosaic.DocID]bool{}
			order = append(order, a.Entity)
		}
		docs[a.Entity][a.Doc] = true
	}
	most := 0
	for _, d := range docs {
		most = max(most, len(d))
	}
	var out []mosaic.EntityID
	for _, id := range order {
		if len(docs[id])*2 > most || len(docs[id]) == most {
			out = append(out, id)
		}
	}
	return out
}

// hopEvidence is the sentence that best proves one hop of a path: typed,
// not negated, not hedged if any is not, most confident.
func hopEvidence(h network.Hop) (network.Evidence, bool) {
	evs := slices.Clone(h.Edge.Evidence)
	evs = slices.DeleteFunc(evs, func(e network.Evidence) bool { return e.Negated || e.Type == mosaic.CoOccur })
	if len(evs) == 0 {
		return network.Evidence{}, false
	}
	slices.SortStableFunc(evs, func(a, b network.Evidence) int {
		if a.Hedged != b.Hedged {
			if a.Hedged {
				return 1
			}
			return -1
		}
		switch {
		case a.Confidence > b.Confidence:
			return -1
		case a.Confidence < b.Confidence:
			return 1
		}
		return 0
	})
	return evs[0], true
}
