package exchange

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/graph"
	"mosaic/internal/network"
	"mosaic/internal/store"
)

// Source is what Read needs of a store: every read takes the caller's
// scope.
type Source interface {
	store.Relations
	Collections(ctx context.Context, scope store.Scope) ([]store.Collection, error)
	DocumentsPage(ctx context.Context, f store.DocumentFilter) (store.DocumentList, error)
	Document(ctx context.Context, id mosaic.DocID, scope store.Scope) (mosaic.Document, []store.Holding, error)
	Mentions(ctx context.Context, id mosaic.DocID, scope store.Scope) ([]mosaic.Mention, error)
	EntitySpellings(ctx context.Context, id mosaic.EntityID, scope store.Scope, p store.Page) (mosaic.Entity, []store.EntityName, string, error)
	MentionsByDay(ctx context.Context, id mosaic.EntityID, scope store.Scope) ([]store.DayCount, error)
	EachIncident(ctx context.Context, f store.IncidentFilter, fn func(mosaic.Incident) error) error
}

// Filter chooses what Read puts in a case.
type Filter struct {
	// Scope is what the caller may read; nothing outside it is read.
	Scope store.Scope
	// Collection, when set, narrows the scope to that one collection.
	Collection string
	// Entity, when set, keeps only the entities within Hops followable
	// links of it (network.Neighbours), the links among them and the
	// incidents they are named in.
	Entity mosaic.EntityID
	Hops   int
	// Progress, when set, is called as Read goes: the step it is on, and
	// how much of that step is done out of total (total 0: unknown).
	Progress func(step string, done, total int)
}

// Read builds the case a caller may see: the entities of the documents in
// scope, the links between them with every sentence, the documents those
// sentences and the incidents cite, the collections that hold them, and
// the incidents. Communities and betweenness are those of the scope's
// evidence network, as the web's network view computes them. It returns
// store.ErrNotFound (wrapped) when the collection or the entity asked for
// is not in scope.
func Read(ctx context.Context, st Source, f Filter) (Case, error) {
	progress := func(step string, done, total int) {
		if f.Progress != nil {
			f.Progress(step, done, total)
		}
	}
	scope := f.Scope
	all, err := st.Collections(ctx, scope)
	if err != nil {
		return Case{}, fmt.Errorf("read collections: %w", err)
	}
	if f.Collection != "" {
		if !slices.ContainsFunc(all, func(c store.Collection) bool { return c.Name == f.Collection }) {
			return Case{}, fmt.Errorf("collection %q: %w", f.Collection, store.ErrNotFound)
		}
		scope.Collections = []string{f.Collection}
	}

	progress("network", 0, 0)
	n, err := network.Build(ctx, st, network.Options{Filter: store.RelationFilter{Scope: scope}})
	if err != nil {
		return Case{}, err
	}
	// keep is nil for the whole scope, else the neighbourhood asked for.
	var keep map[mosaic.EntityID]bool
	if f.Entity != 0 {
		if _, ok := n.Node(f.Entity); !ok {
			return Case{}, fmt.Errorf("entity %d: %w in the evidence network of the scope", f.Entity, store.ErrNotFound)
		}
		keep = map[mosaic.EntityID]bool{f.Entity: true}
		reached, _ := n.Neighbours(f.Entity, max(f.Hops, 0), 0)
		for _, r := range reached {
			keep[r.Entity] = true
		}
	}

	progress("links", 0, 0)
	links, err := readLinks(ctx, st, scope, keep)
	if err != nil {
		return Case{}, err
	}

	// The entities: the ends of the links, and in a whole-scope case every
	// entity a document in scope names.
	ids := map[mosaic.EntityID]bool{}
	var order []mosaic.EntityID
	addID := func(id mosaic.EntityID) {
		if id != 0 && !ids[id] {
			ids[id] = true
			order = append(order, id)
		}
	}
	for _, l := range links {
		addID(l.from)
		addID(l.to)
	}
	if keep != nil {
		addID(f.Entity)
	} else if err := eachDocument(ctx, st, scope, progress, func(id mosaic.DocID) error {
		ms, err := st.Mentions(ctx, id, scope)
		if err != nil {
			return err
		}
		for _, m := range ms {
			addID(m.Entity)
		}
		return nil
	}); err != nil {
		return Case{}, err
	}
	slices.Sort(order)

	var c Case
	// canon maps an ID to the entity it reads as in scope (a merge reads
	// as the smallest ID), and byID the case's entities.
	canon := map[mosaic.EntityID]mosaic.EntityID{}
	byID := map[mosaic.EntityID]int{}
	for i, id := range order {
		progress("entities", i, len(order))
		e, names, err := spellings(ctx, st, id, scope)
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return Case{}, err
		}
		canon[id] = e.ID
		if _, ok := byID[e.ID]; ok {
			continue
		}
		ent := Entity{Key: key(e.ID), Kind: e.Kind, Name: e.Name, Names: []string{e.Name}, Community: -1}
		for _, nm := range names {
			if !slices.Contains(ent.Names, nm.Name) {
				ent.Names = append(ent.Names, nm.Name)
			}
		}
		days, err := st.MentionsByDay(ctx, e.ID, scope)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			return Case{}, fmt.Errorf("entity %d: %w", e.ID, err)
		}
		for _, d := range days {
			if d.Mentions == 0 {
				continue
			}
			if ent.First.IsZero() {
				ent.First = d.Day
			}
			ent.Last = d.Day
		}
		byID[e.ID] = len(c.Entities)
		c.Entities = append(c.Entities, ent)
	}
	progress("entities", len(order), len(order))

	// Communities and betweenness of the scope's network, as the web's
	// analysis finds them (seed 1, resolution 1).
	progress("communities and centrality", 0, 0)
	g, label := n.Linked()
	a, err := graph.Analyse(ctx, g, graph.AnalyseOptions{Seed: 1, Resolution: 1})
	if err != nil {
		return Case{}, err
	}
	nodes := float64(a.Nodes)
	for v := range a.Nodes {
		id := mosaic.EntityID(label(int32(v)).ID)
		i, ok := byID[canonOf(canon, id)]
		if !ok {
			continue
		}
		c.Entities[i].Community = int(a.Membership[v])
		if pairs := (nodes - 1) * (nodes - 2) / 2; pairs > 0 {
			c.Entities[i].Centrality = min(a.Scores.Betweenness[v]/pairs, 1)
		}
	}

	// Links, their sentences quoted from the documents cited.
	docs := map[mosaic.DocID]*mosaic.Document{}
	collections := map[string]bool{}
	cite := func(id mosaic.DocID) (*mosaic.Document, error) {
		if d, ok := docs[id]; ok {
			return d, nil
		}
		d, holdings, err := st.Document(ctx, id, scope)
		if errors.Is(err, store.ErrNotFound) {
			docs[id] = nil
			return nil, nil
		}
		if err != nil {
			return nil, fmt.Errorf("document %s: %w", id.Short(), err)
		}
		doc := Document{ID: d.ID, Title: d.Title, Source: d.Source, Date: d.Date, Format: d.Format}
		for _, h := range holdings {
			if !slices.Contains(doc.Collections, h.Collection) {
				doc.Collections = append(doc.Collections, h.Collection)
			}
			collections[h.Collection] = true
		}
		c.Documents = append(c.Documents, doc)
		docs[id] = &d
		return &d, nil
	}
	neighbours := map[string]map[string]bool{}
	for i, l := range links {
		progress("evidence", i, len(links))
		from, to := canonOf(canon, l.from), canonOf(canon, l.to)
		if _, ok := byID[from]; !ok {
			continue
		}
		if _, ok := byID[to]; !ok || from == to {
			continue
		}
		out := l.Link
		out.From, out.To = key(from), key(to)
		if out.Type == mosaic.CoOccur && from > to {
			out.From, out.To = out.To, out.From
			for j := range out.Evidence {
				ev := &out.Evidence[j]
				ev.FromText, ev.ToText = ev.ToText, ev.FromText
			}
		}
		var kept []Evidence
		for _, ev := range out.Evidence {
			d, err := cite(ev.Doc)
			if err != nil {
				return Case{}, err
			}
			if d == nil {
				continue
			}
			if ev.Sentence.Start >= 0 && ev.Sentence.Start <= ev.Sentence.End && ev.Sentence.End <= len(d.Text) {
				ev.Text = d.Text[ev.Sentence.Start:ev.Sentence.End]
			}
			kept = append(kept, ev)
		}
		if len(kept) == 0 {
			continue
		}
		out.Evidence = kept
		c.Links = append(c.Links, out)
		for _, pair := range [][2]string{{out.From, out.To}, {out.To, out.From}} {
			if neighbours[pair[0]] == nil {
				neighbours[pair[0]] = map[string]bool{}
			}
			neighbours[pair[0]][pair[1]] = true
		}
	}
	progress("evidence", len(links), len(links))
	for i := range c.Entities {
		c.Entities[i].Degree = len(neighbours[c.Entities[i].Key])
	}
	sortLinks(c.Links)

	// Incidents in scope; with an entity, those that name one of the
	// case's entities among their perpetrators or actors.
	progress("incidents", 0, 0)
	names := map[string]bool{}
	for _, e := range c.Entities {
		for _, nm := range e.Names {
			names[strings.ToLower(nm)] = true
		}
	}
	err = st.EachIncident(ctx, store.IncidentFilter{Scope: scope}, func(in mosaic.Incident) error {
		if keep != nil && !namesAny(in, names) {
			return nil
		}
		// An incident of a collection in scope may cite a document that
		// is not: what it quotes of that document stays out.
		hidden := map[mosaic.DocID]bool{}
		for _, id := range incidentDocs(in) {
			d, err := cite(id)
			if err != nil {
				return err
			}
			hidden[id] = d == nil
		}
		c.Incidents = append(c.Incidents, withoutDocs(in, hidden))
		return nil
	})
	if err != nil {
		return Case{}, fmt.Errorf("read incidents: %w", err)
	}

	// The collections that hold the documents cited; a whole-scope case
	// names every collection in it.
	for _, col := range all {
		if !scope.Allows(col.Name) || (keep != nil || f.Collection != "") && !collections[col.Name] && col.Name != f.Collection {
			continue
		}
		c.Collections = append(c.Collections, Collection{Name: col.Name, Agency: col.Agency, Classification: col.Classification})
	}
	slices.SortFunc(c.Documents, func(a, b Document) int {
		return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.ID, b.ID))
	})
	progress("done", 1, 1)
	return c, nil
}

// key is the case key of a stored entity.
func key(id mosaic.EntityID) string { return strconv.FormatInt(int64(id), 10) }

func canonOf(canon map[mosaic.EntityID]mosaic.EntityID, id mosaic.EntityID) mosaic.EntityID {
	if c, ok := canon[id]; ok {
		return c
	}
	return id
}

// spellings reads an entity as the scope sees it, with every name.
func spellings(ctx context.Context, st Source, id mosaic.EntityID, scope store.Scope) (mosaic.Entity, []store.EntityName, error) {
	var all []store.EntityName
	var e mosaic.Entity
	for cursor := ""; ; {
		got, names, next, err := st.EntitySpellings(ctx, id, scope, store.Page{Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			return e, nil, fmt.Errorf("entity %d: %w", id, err)
		}
		e = got
		all = append(all, names...)
		if cursor = next; cursor == "" {
			return e, all, nil
		}
	}
}

// eachDocument calls fn with every document in scope.
func eachDocument(ctx context.Context, st Source, scope store.Scope, progress func(string, int, int), fn func(mosaic.DocID) error) error {
	done := 0
	for cursor := ""; ; {
		page, err := st.DocumentsPage(ctx, store.DocumentFilter{Scope: scope, Limit: store.MaxLimit, Cursor: cursor})
		if err != nil {
			return fmt.Errorf("list documents: %w", err)
		}
		for _, d := range page.Documents {
			progress("documents", done, page.Total)
			if err := fn(d.ID); err != nil {
				return fmt.Errorf("document %s: %w", d.ID.Short(), err)
			}
			done++
		}
		if cursor = page.Next; cursor == "" {
			progress("documents", done, page.Total)
			return nil
		}
	}
}

// link is a Link being gathered, with the store's IDs of its ends.
type link struct {
	Link
	from, to mosaic.EntityID
}

// readLinks groups the relations in scope into links: one per pair, type,
// direction and polarity (a co-occurrence has no direction: its ends are
// ordered by ID). With keep, only links between entities of keep.
func readLinks(ctx context.Context, st store.Relations, scope store.Scope, keep map[mosaic.EntityID]bool) ([]*link, error) {
	type linkKey struct {
		from, to        mosaic.EntityID
		typ             mosaic.RelationType
		negated, hedged bool
	}
	byKey := map[linkKey]*link{}
	var out []*link
	err := st.Relations(ctx, store.RelationFilter{Scope: scope}, func(r store.RelationRow) error {
		if keep != nil && (!keep[r.From] || !keep[r.To]) {
			return nil
		}
		ev := Evidence{Doc: r.Doc, Sentence: r.Sentence, FromText: r.FromText, ToText: r.ToText, Cue: r.Cue,
			Confidence: r.Confidence, Date: r.Date}
		from, to := r.From, r.To
		if r.Type == mosaic.CoOccur && from > to {
			from, to = to, from
			ev.FromText, ev.ToText = ev.ToText, ev.FromText
		}
		k := linkKey{from, to, r.Type, r.Negated, r.Hedged}
		l := byKey[k]
		if l == nil {
			l = &link{Link: Link{Type: r.Type, Negated: r.Negated, Hedged: r.Hedged}, from: from, to: to}
			byKey[k] = l
			out = append(out, l)
		}
		l.Evidence = append(l.Evidence, ev)
		l.Weight += r.Confidence
		if !r.Date.IsZero() {
			if l.First.IsZero() || r.Date.Before(l.First) {
				l.First = r.Date
			}
			if r.Date.After(l.Last) {
				l.Last = r.Date
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("read relations: %w", err)
	}
	for _, l := range out {
		slices.SortStableFunc(l.Evidence, func(a, b Evidence) int {
			return cmp.Or(a.Date.Compare(b.Date), cmp.Compare(a.Doc, b.Doc), cmp.Compare(a.Sentence.Start, b.Sentence.Start))
		})
	}
	return out, nil
}

// sortLinks orders links by their ends' keys, as numbers when they are,
// then by type and polarity, so that two reads of one store agree.
func sortLinks(ls []Link) {
	num := func(k string) int64 { n, _ := strconv.ParseInt(k, 10, 64); return n }
	slices.SortStableFunc(ls, func(a, b Link) int {
		return cmp.Or(cmp.Compare(num(a.From), num(b.From)), cmp.Compare(a.From, b.From),
			cmp.Compare(num(a.To), num(b.To)), cmp.Compare(a.To, b.To), cmp.Compare(a.Type, b.Type),
			cmpBool(a.Negated, b.Negated), cmpBool(a.Hedged, b.Hedged))
	})
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// namesAny reports whether an incident names one of names (lower-cased)
// among its perpetrators or actors.
func namesAny(in mosaic.Incident, names map[string]bool) bool {
	for _, p := range in.Perpetrators {
		if names[strings.ToLower(p)] {
			return true
		}
	}
	for _, a := range in.Actors {
		if names[strings.ToLower(a.Name)] {
			return true
		}
	}
	return false
}

// withoutDocs leaves out what an incident takes from the hidden
// documents: their sources, the evidence they quote, the actors they
// name.
func withoutDocs(in mosaic.Incident, hidden map[mosaic.DocID]bool) mosaic.Incident {
	cited := func(id mosaic.DocID) bool { return id != "" && hidden[id] }
	in.Sources = slices.DeleteFunc(slices.Clone(in.Sources), func(s mosaic.IncidentSource) bool { return cited(s.Doc) })
	in.Evidence = slices.DeleteFunc(slices.Clone(in.Evidence), func(e mosaic.IncidentEvidence) bool { return cited(e.Doc) })
	in.Actors = slices.DeleteFunc(slices.Clone(in.Actors), func(a mosaic.IncidentActor) bool { return cited(a.Doc) })
	return in
}

// incidentDocs lists the documents an incident cites.
func incidentDocs(in mosaic.Incident) []mosaic.DocID {
	var ids []mosaic.DocID
	add := func(id mosaic.DocID) {
		if id != "" && !slices.Contains(ids, id) {
			ids = append(ids, id)
		}
	}
	for _, s := range in.Sources {
		add(s.Doc)
	}
	for _, e := range in.Evidence {
		add(e.Doc)
	}
	for _, a := range in.Actors {
		add(a.Doc)
	}
	return ids
}

// Dated reports a time as the case writes dates, or "" when zero.
func Dated(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 && t.Nanosecond() == 0 {
		return t.UTC().Format(time.DateOnly)
	}
	return t.UTC().Format(time.RFC3339)
}
