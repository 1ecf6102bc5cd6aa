package exchange

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// Sink is what Load needs of a store: to make the collection, store
// documents, and resolve their names as ingestion does.
type Sink interface {
	EnsureCollection(ctx context.Context, name, agency string) (store.Collection, error)
	store.DocumentWriter
	entity.Store
}

// LoadOptions say where a case goes and where it came from.
type LoadOptions struct {
	// Collection receives the case's documents; it is created for Agency
	// if new.
	Collection string
	Agency     string
	// File names the file the case was read from. Every document Load
	// stores has the source File#object, the object being the entity
	// key, document ID or incident the file gave, so that an analyst sees
	// where each name, link and incident came from.
	File string
	// Progress, when set, is called as Load goes: the step, and how much
	// of it is done out of total.
	Progress func(step string, done, total int)
}

// LoadStats say what Load stored.
type LoadStats struct {
	// Documents counts the documents the case became, New those the
	// collection did not hold already (a file imported twice adds none).
	Documents int `json:"documents"`
	New       int `json:"new"`
	// Entities counts the distinct entities the new documents' names were
	// resolved to, existing ones included.
	Entities int `json:"entities"`
	// Relations counts the relations stored, Incidents the incidents.
	Relations int `json:"relations"`
	Incidents int `json:"incidents"`
}

// Loadable reports whether Load would take a case: one Validate accepts
// that holds an entity or an incident. A caller checks it before it
// opens or makes a store for the case; the error wraps ErrInvalid.
func Loadable(c Case) error {
	if err := Validate(c); err != nil {
		return err
	}
	if len(c.Entities) == 0 && len(c.Incidents) == 0 {
		return fmt.Errorf("%w: no entity, link or incident to load", ErrInvalid)
	}
	return nil
}

// Load stores a case through the ingest path: the case becomes documents
// whose text states what the file says — for each entity a document that
// names it with every other name ("X, also known as Y"), for each
// document the file cites one holding the sentences of its evidence with
// the names in them marked and the relations between them, and for each
// incident one with its summary, quotes and actors, the incident stored
// with it. The documents are stored in one transaction, then resolution
// ties their names to entities, new or stored ones, with the reasons it
// gives any document: an imported name is never merged with a stored one
// without them. Documents are content-addressed, so loading the same file
// again stores nothing. A case that Validate refuses stores nothing; the
// error names the file.
func Load(ctx context.Context, st Sink, c Case, opts LoadOptions) (LoadStats, error) {
	var stats LoadStats
	fail := func(err error) (LoadStats, error) { return stats, fmt.Errorf("%s: %w", opts.File, err) }
	if err := Loadable(c); err != nil {
		return fail(err)
	}
	if strings.TrimSpace(opts.Collection) == "" {
		return fail(fmt.Errorf("%w: no collection to load into", store.ErrInvalid))
	}
	progress := func(step string, done, total int) {
		if opts.Progress != nil {
			opts.Progress(step, done, total)
		}
	}
	docs := compose(c, opts.File)
	batch := make([]store.Ingested, len(docs))
	keys := make([][]string, len(docs))
	for i, d := range docs {
		batch[i], keys[i] = d.ingested(opts.Collection)
		stats.Relations += len(d.rels)
	}
	stats.Documents = len(batch)
	if _, err := st.EnsureCollection(ctx, opts.Collection, cmp.Or(opts.Agency, "default")); err != nil {
		return fail(fmt.Errorf("collection %q: %w", opts.Collection, err))
	}
	// Names an earlier load or ingest stored and did not resolve go
	// first, before the documents whose names the file ties itself.
	r, err := entity.NewResolver(ctx, st)
	if err != nil {
		return fail(err)
	}
	if _, err := r.Pending(ctx); err != nil {
		return fail(err)
	}
	progress("store", 0, len(batch))
	added, err := st.Add(ctx, batch)
	if err != nil {
		return fail(err)
	}
	progress("store", len(batch), len(batch))
	for i, in := range batch {
		if added[i].New() {
			stats.New++
			stats.Incidents += len(in.Incidents)
		}
	}
	ids, err := resolve(ctx, st, r, opts.File, c, docs, batch, keys, added, progress)
	if err != nil {
		return fail(err)
	}
	seen := map[mosaic.EntityID]bool{}
	for _, id := range ids {
		ms, err := st.Mentions(ctx, id, store.Scope{})
		if err != nil {
			return fail(err)
		}
		for _, m := range ms {
			if m.Entity != 0 {
				seen[m.Entity] = true
			}
		}
	}
	stats.Entities = len(seen)
	return stats, nil
}

// resolve ties the names of the documents stored new. First each
// entity's name, on the first line of its document, is resolved as any
// name is, against the entities stored; an entity resolution makes
// nothing of (a name too short or too common to stand alone) is made as
// the file gives it. Then every other name the file says is that
// entity's, its other names and the names in its evidence, is tied to it
// with a reason naming the file and the object; and the names of no
// entity of the file are resolved as any document's are. It returns the
// documents resolved.
func resolve(ctx context.Context, st Sink, r *entity.Resolver, file string, c Case, docs []*doc, batch []store.Ingested, keys [][]string,
	added []store.Added, progress func(string, int, int)) ([]mosaic.DocID, error) {
	var fresh []mosaic.DocID
	for i, in := range batch {
		if docs[i].entity && added[i] == store.NewContent {
			progress("resolve", len(fresh), len(batch))
			// The entity's name alone: its other names are the file's
			// word, tied to it below, not aliases that would pull other
			// entities in.
			if err := r.Plan(ctx, in.Doc, in.Mentions[:1]); err != nil {
				return nil, fmt.Errorf("resolve %s: %w", in.Doc.Source, err)
			}
			fresh = append(fresh, in.Doc.ID)
		}
	}
	if err := r.Flush(ctx); err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	byKey := map[string]*Entity{}
	for i := range c.Entities {
		byKey[c.Entities[i].Key] = &c.Entities[i]
	}
	// The entity each key names: that of its document's first mention.
	entityOf := map[string]mosaic.EntityID{}
	for i, in := range batch {
		if !docs[i].entity || len(in.Mentions) == 0 {
			continue
		}
		ms, err := st.Mentions(ctx, in.Doc.ID, store.Scope{})
		if err != nil {
			return nil, err
		}
		if len(ms) > 0 && ms[0].Entity != 0 {
			entityOf[keys[i][0]] = ms[0].Entity
			continue
		}
		if added[i] != store.NewContent {
			continue
		}
		// Resolution left the name alone: the file's entity is made
		// as it is; its other names are tied to it below.
		e := byKey[keys[i][0]]
		got, err := st.ResolveBatch(ctx, []mosaic.Entity{{Kind: ms[0].Type, Name: ms[0].Text}},
			[]store.DocAssignments{{Doc: in.Doc.ID, Assign: []store.Assignment{{Start: ms[0].Start, End: ms[0].End,
				Type: ms[0].Type, New: 1, Why: fmt.Sprintf("named by %s as object %s", file, e.Key)}}}})
		if err != nil {
			return nil, fmt.Errorf("resolve %s: %w", in.Doc.Source, err)
		}
		entityOf[keys[i][0]] = got[0]
	}
	// The names the file ties to its entities; the rest, to resolution.
	var tied []store.DocAssignments
	var rest []int
	for i, in := range batch {
		if added[i] != store.NewContent {
			continue
		}
		var assign []store.Assignment
		left := false
		for j, m := range in.Mentions {
			id := entityOf[keys[i][j]]
			if id == 0 {
				left = true
				continue
			}
			e := byKey[keys[i][j]]
			assign = append(assign, store.Assignment{Start: m.Start, End: m.End, Type: m.Type, Entity: id,
				Why: fmt.Sprintf("named by %s as object %s, %q", file, e.Key, OneLine(e.Name))})
		}
		if len(assign) > 0 {
			tied = append(tied, store.DocAssignments{Doc: in.Doc.ID, Assign: assign})
		}
		if left {
			rest = append(rest, i)
		}
		if !docs[i].entity {
			fresh = append(fresh, in.Doc.ID)
		}
	}
	progress("resolve", len(fresh)-len(rest), len(batch))
	if len(tied) > 0 {
		if _, err := st.ResolveBatch(ctx, nil, tied); err != nil {
			return nil, fmt.Errorf("resolve: %w", err)
		}
	}
	for _, i := range rest {
		ms, err := st.Mentions(ctx, batch[i].Doc.ID, store.Scope{})
		if err != nil {
			return nil, err
		}
		if err := r.Plan(ctx, batch[i].Doc, ms); err != nil {
			return nil, fmt.Errorf("resolve %s: %w", batch[i].Doc.Source, err)
		}
	}
	if err := r.Flush(ctx); err != nil {
		return nil, fmt.Errorf("resolve: %w", err)
	}
	progress("resolve", len(batch), len(batch))
	return fresh, nil
}

// doc is a document Load composes: text written a line at a time, with
// the names in it and the relations between them.
type doc struct {
	object, title, source string
	date                  time.Time
	meta                  map[string]string
	text                  strings.Builder
	ms                    []mosaic.Mention
	// keys holds the case's key of the entity each mention names, or ""
	// for a name resolution alone decides (an incident's actor).
	keys []string
	at   map[mentionKey]int
	// entity is set on the document that names an entity with all its
	// names, whose first mention is the entity's name.
	entity    bool
	rels      []mosaic.Relation
	incidents []mosaic.Incident
}

type mentionKey struct {
	start, end int
	typ        mosaic.MentionType
}

func newDoc(file, object, title string) *doc {
	return &doc{object: object, title: cmp.Or(OneLine(title), object), source: file + "#" + object,
		meta: map[string]string{"Imported from": file, "Object": object}, at: map[mentionKey]int{}}
}

// line appends a line and returns its span.
func (d *doc) line(s string) mosaic.Span {
	start := d.text.Len()
	d.text.WriteString(s)
	sp := mosaic.Span{Start: start, End: d.text.Len()}
	d.text.WriteByte('\n')
	return sp
}

// mention marks [start, end) of the text as a name of kind typ, once, and
// returns its index.
func (d *doc) mention(start, end int, typ mosaic.MentionType, sentence mosaic.Span, key string) int {
	k := mentionKey{start, end, typ}
	if i, ok := d.at[k]; ok {
		return i
	}
	text := d.text.String()[start:end]
	d.ms = append(d.ms, mosaic.Mention{Start: start, End: end, Type: typ, Text: text, Sentence: sentence, Confidence: 1})
	d.keys = append(d.keys, key)
	d.at[k] = len(d.ms) - 1
	return len(d.ms) - 1
}

// named appends "name." as a line and returns the name's mention.
func (d *doc) named(name string, typ mosaic.MentionType, key string) int {
	sp := d.line(name + ".")
	return d.mention(sp.Start, sp.Start+len(name), typ, sp, key)
}

// ingested returns the document to store, its mentions in text order,
// and the key of each mention's entity.
func (d *doc) ingested(collection string) (store.Ingested, []string) {
	text := d.text.String()
	order := make([]int, len(d.ms))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(d.ms[a].Start, d.ms[b].Start), cmp.Compare(d.ms[a].End, d.ms[b].End))
	})
	newIndex := make([]int, len(d.ms))
	ms := make([]mosaic.Mention, len(d.ms))
	keys := make([]string, len(d.ms))
	for to, from := range order {
		ms[to], keys[to] = d.ms[from], d.keys[from]
		newIndex[from] = to
	}
	rels := slices.Clone(d.rels)
	for i := range rels {
		rels[i].From, rels[i].To = newIndex[rels[i].From], newIndex[rels[i].To]
	}
	id := mosaic.NewDocID([]byte("mosaic exchange\x00" + d.object + "\x00" + d.title + "\x00" + Dated(d.date) + "\x00" + text))
	incidents := slices.Clone(d.incidents)
	for i := range incidents {
		retarget(&incidents[i], id)
	}
	return store.Ingested{Collection: collection, Mentions: ms, Relations: rels, Incidents: incidents,
		Doc: mosaic.Document{ID: id, Title: d.title, Text: text, Date: d.date, Format: mosaic.FormatText,
			Source: d.source, Size: int64(len(text)), Meta: d.meta}}, keys
}

// retarget points what an incident cites at the document that now holds
// it: its sources, evidence and actors were spans of that document's text
// as compose wrote it, under the placeholder ID "".
func retarget(in *mosaic.Incident, id mosaic.DocID) {
	for i := range in.Sources {
		in.Sources[i].Doc = id
	}
	for i := range in.Evidence {
		if in.Evidence[i].Sentence != (mosaic.Span{}) {
			in.Evidence[i].Doc = id
		}
	}
	for i := range in.Actors {
		in.Actors[i].Doc = id
	}
}

// compose turns a case into the documents Load stores: entities first, so
// that resolution meets each entity's stated names before the sentences
// that use them, then the documents cited, then the incidents.
func compose(c Case, file string) []*doc {
	var out []*doc
	ents := map[string]*Entity{}
	for i := range c.Entities {
		e := &c.Entities[i]
		ents[e.Key] = e
		out = append(out, entityDoc(file, e))
	}
	byDoc := map[mosaic.DocID]*Document{}
	for i := range c.Documents {
		byDoc[c.Documents[i].ID] = &c.Documents[i]
	}
	// The evidence of each document cited, in the case's order; evidence
	// that names no document is held by a document of its own link.
	type cited struct {
		link *Link
		ev   Evidence
	}
	groups := map[string][]cited{}
	var order []string
	heads := map[string]*doc{}
	for i := range c.Links {
		l := &c.Links[i]
		evs := l.Evidence
		if len(evs) == 0 {
			evs = []Evidence{{Confidence: 1}}
		}
		for _, ev := range evs {
			object := string(ev.Doc)
			if object == "" {
				object = cmp.Or(l.Origin, fmt.Sprintf("link:%s:%s:%s", l.From, l.Type, l.To))
			}
			if _, ok := groups[object]; !ok {
				order = append(order, object)
				title := fmt.Sprintf("%s — %s (%s)", ents[l.From].Name, ents[l.To].Name, l.Type)
				var date time.Time
				if d := byDoc[ev.Doc]; d != nil {
					title, date = cmp.Or(d.Title, object), d.Date
				}
				h := newDoc(file, object, title)
				h.date = cmp.Or(date, ev.Date)
				if d := byDoc[ev.Doc]; d != nil && d.Source != "" {
					h.meta["Original source"] = d.Source
				}
				heads[object] = h
			}
			groups[object] = append(groups[object], cited{l, ev})
		}
	}
	for _, object := range order {
		d := heads[object]
		// First the name of every entity the sentences cite, one a line,
		// so that a short form in a sentence ("Bouzidi") is read as the
		// name it shortens, as in the document it came from.
		named := map[string]int{}
		for _, ct := range groups[object] {
			for _, k := range []string{ct.link.From, ct.link.To} {
				if _, ok := named[k]; !ok {
					e := ents[k]
					named[k] = d.named(OneLine(e.Name), kindOf(e), k)
				}
			}
		}
		sentences := map[string]mosaic.Span{}
		taken := map[statementKey]bool{}
		for _, ct := range groups[object] {
			l, ev := ct.link, ct.ev
			from, to := ents[l.From], ents[l.To]
			text := ev.Text
			if strings.TrimSpace(text) == "" {
				text = statement(OneLine(from.Name), l.Type, OneLine(to.Name))
			}
			sk := fmt.Sprintf("%d:%d:%s", ev.Sentence.Start, ev.Sentence.End, text)
			sp, ok := sentences[sk]
			if !ok {
				sp = d.line(text)
				sentences[sk] = sp
			}
			// The two names in the sentence: a pair not taken yet by
			// another statement of the link, so that a sentence naming
			// one place twice keeps both statements.
			as, bs := d.find(sp, from, ev.FromText), d.find(sp, to, ev.ToText)
			if len(as) == 0 {
				as = []int{named[l.From]}
			}
			if len(bs) == 0 {
				bs = []int{named[l.To]}
			}
			a, b := -1, -1
			for _, x := range as {
				for _, y := range bs {
					k := statementKey{sp, x, y, l}
					if x != y && (a < 0 || !taken[k] && taken[statementKey{sp, a, b, l}]) {
						a, b = x, y
					}
				}
			}
			if a < 0 {
				continue // two entities of one name: one entity to resolution
			}
			taken[statementKey{sp, a, b, l}] = true
			if l.Type == mosaic.CoOccur && d.ms[b].Start < d.ms[a].Start {
				a, b = b, a
			}
			conf := ev.Confidence
			if conf == 0 {
				conf = 1
			}
			d.rels = append(d.rels, mosaic.Relation{Type: l.Type, From: a, To: b, Sentence: sp, Negated: l.Negated,
				Hedged: l.Hedged, Cue: ev.Cue, Confidence: conf})
		}
		out = append(out, d)
	}
	// An incident's actor is the entity of the case that has the
	// actor's name, if only one has.
	keyOf := map[string]string{}
	for _, e := range c.Entities {
		for _, n := range append([]string{e.Name}, e.Names...) {
			n = strings.ToLower(OneLine(n))
			if k, ok := keyOf[n]; ok && k != e.Key {
				keyOf[n] = ""
			} else {
				keyOf[n] = e.Key
			}
		}
	}
	for i, in := range c.Incidents {
		out = append(out, incidentDoc(file, i, in, keyOf))
	}
	return out
}

// statementKey is a link stated by two mentions in one sentence.
type statementKey struct {
	sentence mosaic.Span
	from, to int
	link     *Link
}

// find returns the mentions of an entity in the sentence at sp: where the
// text as written stands in it, then the entity's name and other names,
// matched without regard to case; none if no name of it is there.
func (d *doc) find(sp mosaic.Span, e *Entity, written string) []int {
	sentence := d.text.String()[sp.Start:sp.End]
	lower := strings.ToLower(sentence)
	var out []int
	for _, name := range append([]string{written, e.Name}, e.Names...) {
		if name = strings.TrimSpace(name); name == "" {
			continue
		}
		for from := 0; from < len(sentence); {
			i := strings.Index(sentence[from:], name)
			if i < 0 && len(lower) == len(sentence) && len(strings.ToLower(name)) == len(name) {
				i = strings.Index(lower[from:], strings.ToLower(name))
			}
			if i < 0 {
				break
			}
			start := sp.Start + from + i
			if m := d.mention(start, start+len(name), kindOf(e), sp, e.Key); !slices.Contains(out, m) {
				out = append(out, m)
			}
			from += i + len(name)
		}
		if len(out) > 0 && name == written {
			break // the name as written is where the sentence names it
		}
	}
	return out
}

// entityDoc is the document that names an entity with all its names: its
// name first, on a line of its own, then a short form of it on a line of
// its own, and any other name as "NAME, also known as OTHER".
func entityDoc(file string, e *Entity) *doc {
	name := OneLine(e.Name)
	d := newDoc(file, e.Key, name)
	d.entity = true
	if e.Origin != "" {
		d.meta["Origin"] = e.Origin
	}
	kind := kindOf(e)
	d.named(name, kind, e.Key)
	seen := map[string]bool{name: true}
	for _, alias := range e.Names {
		alias = OneLine(alias)
		if alias == "" || seen[alias] {
			continue
		}
		seen[alias] = true
		if shortens(alias, name) {
			d.named(alias, kind, e.Key)
			continue
		}
		sp := d.line(name + ", also known as " + alias + ".")
		d.mention(sp.Start, sp.Start+len(name), kind, sp, e.Key)
		at := sp.Start + len(name) + len(", also known as ")
		d.mention(at, at+len(alias), kind, sp, e.Key)
	}
	return d
}

// shortens reports whether every word of short is a word of long: a
// surname, a first name, a shorter form.
func shortens(short, long string) bool {
	words := strings.Fields(strings.ToLower(long))
	for _, w := range strings.Fields(strings.ToLower(short)) {
		if !slices.Contains(words, w) {
			return false
		}
	}
	return true
}

// incidentDoc is the document that holds an incident: its summary, the
// quotes of its evidence and its actors, one a line (its perpetrators are
// names the record gives, not mentions: a stored incident's are not
// entities either); the
// incident's sources, evidence and actors are made to cite them.
func incidentDoc(file string, i int, in mosaic.Incident, keyOf map[string]string) *doc {
	object := fmt.Sprintf("incident-%d", i+1)
	switch {
	case in.EventID != "":
		object = "incident-" + in.EventID
	case in.ID != 0:
		object = fmt.Sprintf("incident-%d", in.ID)
	}
	title := strings.TrimSpace(fmt.Sprintf("Incident %s %s", in.Date, cmp.Or(in.City, in.Province, in.Country.Name)))
	d := newDoc(file, object, title)
	if t, ok := in.Date.Time(); ok {
		d.date = t
	}
	in.ID = 0
	in.Sources = slices.Clone(in.Sources)
	in.Evidence = slices.Clone(in.Evidence)
	in.Actors = slices.Clone(in.Actors)
	if s := OneLine(in.Summary); s != "" {
		d.line(s)
	}
	quotes := map[string]mosaic.Span{}
	for j := range in.Evidence {
		ev := &in.Evidence[j]
		ev.Doc, ev.Sentence = "", mosaic.Span{}
		if q := strings.TrimSpace(ev.Quote); q != "" {
			sp, ok := quotes[q]
			if !ok {
				sp = d.line(q)
				quotes[q] = sp
			}
			ev.Sentence = sp
		}
	}
	for j := range in.Actors {
		a := &in.Actors[j]
		name := OneLine(a.Name)
		if name == "" {
			continue
		}
		kind := a.Kind
		if kind != mosaic.Person && kind != mosaic.Org {
			kind = mosaic.Person
			if a.Role == mosaic.RoleGroup || a.Role == mosaic.RoleClaimant {
				kind = mosaic.Org
			}
		}
		m := d.ms[d.named(name, kind, keyOf[strings.ToLower(name)])]
		a.Mention, a.Entity, a.Kind = m.Span(), 0, kind
	}
	if d.text.Len() == 0 {
		d.line(strings.TrimSpace(fmt.Sprintf("An incident of %s.", cmp.Or(in.Date.String(), "unknown date"))))
	}
	var sources []mosaic.IncidentSource
	for _, s := range in.Sources {
		s.Doc = ""
		if !slices.Contains(sources, s) {
			sources = append(sources, s)
		}
	}
	if len(sources) == 0 {
		sources = []mosaic.IncidentSource{{Name: d.source}}
	}
	in.Sources = sources
	d.incidents = append(d.incidents, in)
	return d
}

// statement is the sentence Load writes for a link that came without one.
func statement(from string, typ mosaic.RelationType, to string) string {
	verb := map[mosaic.RelationType]string{
		mosaic.Contact: "was in touch with", mosaic.Command: "directed", mosaic.Member: "is a member of",
		mosaic.Attack: "attacked", mosaic.Travel: "travelled to", mosaic.Family: "is family of",
		mosaic.LocatedIn: "is located in", mosaic.CoOccur: "is named with",
	}[typ]
	return from + " " + cmp.Or(verb, string(typ)) + " " + to + "."
}

// kindOf is the kind of mention an entity's names are: one resolution
// makes entities of, MISC for any other, and for none a guess from the
// name.
func kindOf(e *Entity) mosaic.MentionType {
	switch e.Kind {
	case mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc:
		return e.Kind
	case "":
		switch entity.GuessKind(e.Name) {
		case entity.Person:
			return mosaic.Person
		case entity.Org:
			return mosaic.Org
		}
	}
	return mosaic.Misc
}
