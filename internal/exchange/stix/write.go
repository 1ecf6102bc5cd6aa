package stix

import (
	"bufio"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"net/mail"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
	"mosaic/internal/gazetteer"
)

// Relationship types Write uses for Mosaic's relation types: STIX's own
// where its vocabulary says the same, custom ones otherwise.
var relationshipTypes = map[mosaic.RelationType]string{
	mosaic.LocatedIn: "located-at",
	mosaic.Attack:    "targets",
	mosaic.CoOccur:   "related-to",
	mosaic.Contact:   "in-contact-with",
	mosaic.Command:   "directs",
	mosaic.Member:    "member-of",
	mosaic.Travel:    "travelled-to",
	mosaic.Family:    "family-of",
}

// Relationship types from an incident to the entities it involves, by
// the actor's role; a group is attributed-to only when it is a
// threat-actor, as the Incident Core extension has it.
var roleTypes = map[string]string{
	mosaic.RoleAttacker:    "carried-out-by",
	mosaic.RoleGroup:       "attributed-to",
	mosaic.RoleClaimant:    "claimed-by",
	mosaic.RoleInspiration: "inspired-by",
	mosaic.RoleVictim:      "targets",
}

// mosaicIdentity is the identity every object Mosaic writes is created by.
var mosaicIdentity = objectID("identity", "system", "Mosaic")

// Write writes c as one STIX 2.1 bundle, indented.
func Write(w io.Writer, c exchange.Case) error {
	objs, err := build(c)
	if err != nil {
		return err
	}
	ids := make([]string, len(objs))
	for i, o := range objs {
		ids[i] = o.ID
	}
	// The bundle is written an object at a time, as one indented
	// document, so that a large case is never held as text whole.
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "{\n  \"type\": \"bundle\",\n  \"id\": %q,\n  \"objects\": [", objectID("bundle", ids...))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("    ", "  ")
	for i := range objs {
		buf.Reset()
		if err := enc.Encode(&objs[i]); err != nil {
			return fmt.Errorf("write stix bundle: %s: %w", objs[i].ID, err)
		}
		if i > 0 {
			bw.WriteByte(',')
		}
		bw.WriteString("\n    ")
		bw.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
	}
	bw.WriteString("\n  ]\n}\n")
	if err := bw.Flush(); err != nil {
		return fmt.Errorf("write stix bundle: %w", err)
	}
	return nil
}

// builder turns one case into objects.
type builder struct {
	c exchange.Case
	// base dates what has no date of its own: the case's earliest date.
	base time.Time
	// docs finds a case document by ID; markings a collection's marking.
	docs     map[mosaic.DocID]*exchange.Document
	markings map[string]string
	// ids finds an entity's object by entity key; used guards against two
	// objects with one identifier.
	ids  map[string]string
	used map[string]bool
	// entityDocs and linkDocs are the documents whose sentences support
	// an entity (through its links) and each link.
	entityDocs map[string][]mosaic.DocID
	objs       []object
}

func build(c exchange.Case) ([]object, error) {
	b := &builder{
		c:          c,
		docs:       map[mosaic.DocID]*exchange.Document{},
		markings:   map[string]string{},
		ids:        map[string]string{},
		used:       map[string]bool{},
		entityDocs: map[string][]mosaic.DocID{},
		objs:       make([]object, 0, 1+len(c.Collections)+len(c.Entities)+len(c.Links)+2*len(c.Incidents)+len(c.Documents)),
	}
	b.base = earliest(c)
	for i := range c.Documents {
		b.docs[c.Documents[i].ID] = &c.Documents[i]
	}
	b.add(object{
		Type: "identity", ID: mosaicIdentity, Created: timestamp(b.base), Modified: timestamp(b.base),
		Name: "Mosaic", Description: "The Mosaic investigation workbench, which wrote this bundle.",
		IdentityClass: "system",
	})
	b.collections()
	for _, l := range c.Links {
		for _, e := range l.Evidence {
			b.entityDocs[l.From] = append(b.entityDocs[l.From], e.Doc)
			b.entityDocs[l.To] = append(b.entityDocs[l.To], e.Doc)
		}
	}
	if err := b.entities(); err != nil {
		return nil, err
	}
	linkIDs, err := b.links()
	if err != nil {
		return nil, err
	}
	incidentIDs := b.incidents()
	b.reports(linkIDs, incidentIDs)
	return b.objs, nil
}

// earliest is the case's earliest date, or the Unix epoch when nothing in
// it is dated.
func earliest(c exchange.Case) time.Time {
	var t time.Time
	see := func(d time.Time) {
		if !d.IsZero() && (t.IsZero() || d.Before(t)) {
			t = d
		}
	}
	for _, d := range c.Documents {
		see(d.Date)
	}
	for _, e := range c.Entities {
		see(e.First)
	}
	for _, l := range c.Links {
		see(l.First)
		for _, e := range l.Evidence {
			see(e.Date)
		}
	}
	for _, in := range c.Incidents {
		see(incidentTime(in))
	}
	if t.IsZero() {
		return time.Unix(0, 0).UTC()
	}
	return t.UTC()
}

// incidentTime is the first day the incident's date can mean: its day,
// or the first of its month or year; zero when it has no date.
func incidentTime(in mosaic.Incident) time.Time {
	d := in.Date
	if d.Year < 1 || d.Year > 9999 {
		return time.Time{}
	}
	m, day := time.January, 1
	if v, ok := d.Month.Get(); ok && v >= 1 && v <= 12 {
		m = v
		if v, ok := d.Day.Get(); ok && v >= 1 && v <= 31 {
			day = v
		}
	}
	return time.Date(d.Year, m, day, 0, 0, 0, 0, time.UTC)
}

// or returns t, or the builder's base date when t is zero.
func (b *builder) or(t time.Time) time.Time {
	if t.IsZero() {
		return b.base
	}
	return t
}

// span gives created and modified for an object first and last dated as
// given, modified never before created.
func (b *builder) span(first, last time.Time) (string, string) {
	f := b.or(first)
	l := b.or(last)
	if l.Before(f) {
		l = f
	}
	return timestamp(f), timestamp(l)
}

// add appends o, stamped with the spec version and its creator.
func (b *builder) add(o object) {
	o.SpecVersion = "2.1"
	if o.ID != mosaicIdentity && !isObservable(o.Type) {
		o.CreatedByRef = mosaicIdentity
	}
	b.used[o.ID] = true
	b.objs = append(b.objs, o)
}

func isObservable(typ string) bool {
	switch typ {
	case "email-addr", "url", "ipv4-addr", "ipv6-addr":
		return true
	}
	return false
}

// unique returns id, or, when another object already has it, an
// identifier made from the same parts and key.
func (b *builder) unique(id, key string) string {
	if !b.used[id] {
		return id
	}
	typ, _, _ := strings.Cut(id, "--")
	for n := 0; ; n++ {
		alt := objectID(typ, id, key, strconv.Itoa(n))
		if !b.used[alt] {
			return alt
		}
	}
}

// marks returns the markings of the collections holding docs, in the
// case's collection order.
func (b *builder) marks(docs []mosaic.DocID) []string {
	held := map[string]bool{}
	for _, id := range docs {
		if d := b.docs[id]; d != nil {
			for _, c := range d.Collections {
				held[c] = true
			}
		}
	}
	var refs []string
	for _, c := range b.c.Collections {
		if held[c.Name] && b.markings[c.Name] != "" {
			refs = append(refs, b.markings[c.Name])
			held[c.Name] = false
		}
	}
	return refs
}

// collections writes a statement marking per collection.
func (b *builder) collections() {
	for _, c := range b.c.Collections {
		if b.markings[c.Name] != "" {
			continue
		}
		class := c.Classification
		if class == "" {
			class = "UNCLASSIFIED"
		}
		var first time.Time
		for _, d := range b.c.Documents {
			for _, n := range d.Collections {
				if n == c.Name && !d.Date.IsZero() && (first.IsZero() || d.Date.Before(first)) {
					first = d.Date
				}
			}
		}
		statement := class + ": held in collection " + c.Name
		if c.Agency != "" {
			statement += " of " + c.Agency
		}
		id := b.unique(objectID("marking-definition", "collection", c.Name), c.Name)
		b.markings[c.Name] = id
		b.add(object{
			Type: "marking-definition", ID: id, Created: timestamp(b.or(first)),
			Name: "Mosaic collection " + c.Name + " (" + class + ")", DefinitionType: "statement",
			Definition:  map[string]any{"statement": statement},
			XCollection: c.Name, XAgency: c.Agency, XClassification: c.Classification,
		})
	}
}

// groups returns the keys of the organisations the case ties to
// violence, which are exported as threat actors: those its incidents name
// (perpetrator, attributed group, group, claimant, inspiration) and those
// that attack or command. Membership alone does not make one: extraction
// reads "DS Holloway" as a member of "DS" as readily as a recruit of a group.
func (b *builder) groups() map[string]bool {
	kind := map[string]mosaic.MentionType{}
	byName := map[string]string{}
	for _, e := range b.c.Entities {
		kind[e.Key] = e.Kind
		for _, n := range append([]string{e.Name}, e.Names...) {
			if k := strings.ToLower(n); byName[k] == "" {
				byName[k] = e.Key
			}
		}
	}
	keyOf := func(a mosaic.IncidentActor) string {
		if a.Entity != 0 {
			if k := strconv.FormatInt(int64(a.Entity), 10); kind[k] != "" {
				return k
			}
		}
		return byName[strings.ToLower(a.Name)]
	}
	g := map[string]bool{}
	mark := func(key string) {
		if kind[key] == mosaic.Org {
			g[key] = true
		}
	}
	for _, in := range b.c.Incidents {
		for _, p := range in.Perpetrators {
			mark(byName[strings.ToLower(p)])
		}
		mark(byName[strings.ToLower(in.AttributedTo)])
		for _, a := range in.Actors {
			switch a.Role {
			case mosaic.RoleGroup, mosaic.RoleClaimant, mosaic.RoleInspiration:
				mark(keyOf(a))
			}
		}
	}
	for _, l := range b.c.Links {
		if !l.Negated && (l.Type == mosaic.Command || l.Type == mosaic.Attack) {
			mark(l.From)
		}
	}
	return g
}

func (b *builder) entities() error {
	groups := b.groups()
	// The countries the case names decide between cities of one name
	// (Birmingham, England or Alabama).
	var hints []string
	seen := map[string]bool{}
	for _, e := range b.c.Entities {
		if e.Kind != mosaic.Location {
			continue
		}
		if p, ok := gazetteer.Country(e.Name); ok && !seen[p.CountryISO] {
			seen[p.CountryISO] = true
			hints = append(hints, p.CountryISO)
		}
	}
	for i, e := range b.c.Entities {
		if e.Key == "" || e.Name == "" {
			return fmt.Errorf("stix: entity %d has no key or no name", i)
		}
		if _, dup := b.ids[e.Key]; dup {
			return fmt.Errorf("stix: two entities have the key %q", e.Key)
		}
		aliases := others(e)
		created, modified := b.span(e.First, e.Last)
		o := object{
			Created: created, Modified: modified, Name: e.Name,
			ObjectMarkingRefs: b.marks(b.entityDocs[e.Key]),
			XCentrality:       e.Centrality, XDegree: e.Degree,
		}
		if e.Community >= 0 {
			o.XCommunity = &e.Community
		}
		if !e.First.IsZero() {
			o.XFirst = timestamp(e.First)
		}
		if !e.Last.IsZero() {
			o.XLast = timestamp(e.Last)
		}
		switch {
		case e.Kind == mosaic.Person:
			o.Type, o.IdentityClass, o.XAliases = "identity", "individual", aliases
		case e.Kind == mosaic.Org && groups[e.Key]:
			o.Type, o.Aliases = "threat-actor", aliases
			o.FirstSeen, o.LastSeen = o.XFirst, o.XLast
		case e.Kind == mosaic.Org:
			o.Type, o.IdentityClass, o.XAliases = "identity", "organization", aliases
		case e.Kind == mosaic.Location:
			o.Type, o.XAliases = "location", aliases
			place(&o, e.Name, hints)
		default:
			if typ := observableType(e.Kind, e.Name); typ != "" {
				// An observable has no name, dates or creator: its value
				// is the name, and its spellings stay with Mosaic.
				o = object{
					Type: typ, Value: e.Name, XKind: string(e.Kind), XAliases: aliases,
					ObjectMarkingRefs: o.ObjectMarkingRefs, XCommunity: o.XCommunity,
					XCentrality: o.XCentrality, XDegree: o.XDegree, XFirst: o.XFirst, XLast: o.XLast,
				}
				o.ID = b.unique(observableID(typ, e.Name), e.Key)
				b.ids[e.Key] = o.ID
				b.add(o)
				continue
			}
			o.Type, o.IdentityClass, o.XKind, o.XAliases = "identity", "unknown", string(e.Kind), aliases
			if e.Kind == mosaic.Phone {
				o.ContactInformation = e.Name
			}
		}
		class := o.IdentityClass
		if o.Type == "threat-actor" {
			class = "group"
		}
		o.ID = b.unique(objectID(o.Type, class, string(e.Kind), e.Name), e.Key)
		b.ids[e.Key] = o.ID
		b.add(o)
	}
	return nil
}

// others returns the entity's spellings other than its name.
func others(e exchange.Entity) []string {
	var out []string
	seen := map[string]bool{e.Name: true}
	for _, n := range e.Names {
		if !seen[n] {
			seen[n] = true
			out = append(out, n)
		}
	}
	return out
}

// observableType is the cyber-observable type a value of kind k is, or ""
// when it has none or the value is not one the type's schema admits.
func observableType(k mosaic.MentionType, v string) string {
	switch k {
	case mosaic.Email:
		if a, err := mail.ParseAddress(v); err == nil && a.Address == v && a.Name == "" {
			return "email-addr"
		}
	case mosaic.URL:
		if u, err := url.Parse(v); err == nil && u.Scheme != "" && u.Host != "" {
			return "url"
		}
	case mosaic.IP:
		if a, err := netip.ParseAddr(v); err == nil && a.Zone() == "" {
			if a.Is4() {
				return "ipv4-addr"
			}
			return "ipv6-addr"
		}
	}
	return ""
}

// place fills a location from the gazetteer: a country by its ISO code,
// a city by its point, province and country. A name the gazetteer does
// not know gets region "unknown", as the schema wants a region, a country
// or a point.
func place(o *object, name string, hints []string) {
	p, ok := gazetteer.Geocode(name, hints)
	if !ok {
		o.Region = "unknown"
		return
	}
	o.Country = p.CountryISO
	if p.Kind == gazetteer.KindCity {
		o.City, o.AdministrativeArea = p.City, p.Province
		lat, lon := p.Lat, p.Lon
		o.Latitude, o.Longitude = &lat, &lon
	}
	if o.Country == "" && o.Latitude == nil {
		o.Region = "unknown"
	}
}

// links writes a relationship per link and returns their identifiers in
// link order.
func (b *builder) links() ([]string, error) {
	ids := make([]string, len(b.c.Links))
	for i, l := range b.c.Links {
		src, tgt := b.ids[l.From], b.ids[l.To]
		if src == "" || tgt == "" {
			return nil, fmt.Errorf("stix: link %d (%s) joins %q and %q, not both entities of the case", i, l.Type, l.From, l.To)
		}
		typ := relationshipTypes[l.Type]
		if typ == "" {
			typ = slug(string(l.Type))
			if typ == "" {
				typ = "related-to"
			}
		}
		created, modified := b.span(l.First, l.Last)
		o := object{
			Type: "relationship", Created: created, Modified: modified,
			RelationshipType: typ, SourceRef: src, TargetRef: tgt,
			XRelation: string(l.Type), XNegated: l.Negated, XHedged: l.Hedged, XWeight: l.Weight,
		}
		var docs []mosaic.DocID
		best := 0.0
		for _, e := range l.Evidence {
			docs = append(docs, e.Doc)
			best = max(best, e.Confidence)
			o.XEvidence = append(o.XEvidence, evidence{
				Doc: e.Doc, Start: e.Sentence.Start, End: e.Sentence.End, Text: e.Text,
				FromText: e.FromText, ToText: e.ToText, Cue: e.Cue, Confidence: e.Confidence, Date: e.Date,
			})
		}
		o.Description = exchange.Lines(l.Sentences())
		conf := int(math.Round(100 * min(max(best, 0), 1)))
		switch {
		case l.Negated:
			conf = 0
			o.Labels = []string{"negated"}
		case l.Hedged:
			o.Labels = []string{"hedged"}
		}
		if l.Negated || len(l.Evidence) > 0 {
			o.Confidence = &conf
		}
		o.ObjectMarkingRefs = b.marks(docs)
		o.ID = b.unique(objectID("relationship", src, typ, string(l.Type), tgt,
			strconv.FormatBool(l.Negated), strconv.FormatBool(l.Hedged)), strconv.Itoa(i))
		ids[i] = o.ID
		b.add(o)
	}
	return ids, nil
}

// slug writes s in lower case with hyphens between words, as STIX
// vocabulary values are: "Armed Assault" is "armed-assault".
func slug(s string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(s) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(r)
		} else {
			dash = true
		}
	}
	return b.String()
}

// incidents writes each incident with the relationships to the entities
// it involves, and returns the incidents' identifiers in case order.
func (b *builder) incidents() []string {
	byName := map[string]string{}
	places := map[string]string{}
	for _, e := range b.c.Entities {
		for _, n := range append([]string{e.Name}, e.Names...) {
			k := strings.ToLower(n)
			if e.Kind == mosaic.Location {
				if places[k] == "" {
					places[k] = b.ids[e.Key]
				}
			} else if byName[k] == "" {
				byName[k] = b.ids[e.Key]
			}
		}
	}
	ids := make([]string, len(b.c.Incidents))
	for i, in := range b.c.Incidents {
		var docs []mosaic.DocID
		for _, s := range in.Sources {
			docs = append(docs, s.Doc)
		}
		for _, e := range in.Evidence {
			docs = append(docs, e.Doc)
		}
		t := timestamp(b.or(incidentTime(in)))
		core := incidentCore{ExtensionType: "property-extension", Determination: "suspected", InvestigationStatus: "open"}
		killed, kok := in.Killed.Get()
		wounded, wok := in.Wounded.Get()
		if kok && wok && killed >= 0 && wounded >= 0 {
			core.ImpactedEntityCounts = map[string]int{"individual": killed + wounded}
		}
		if kok && killed > 0 || wok && wounded > 0 {
			core.Determination = "successful-attempt"
		}
		for _, a := range in.AttackTypes {
			if s := slug(a.Name); s != "" {
				core.IncidentTypes = append(core.IncidentTypes, s)
			}
		}
		ext, _ := json.Marshal(core)
		keep := in
		keep.ID = 0
		keep.Actors = append([]mosaic.IncidentActor(nil), in.Actors...)
		for j := range keep.Actors {
			keep.Actors[j].Entity = 0
		}
		id := objectID("incident", incidentKey(in)...)
		id = b.unique(id, strconv.Itoa(i))
		ids[i] = id
		b.add(object{
			Type: "incident", ID: id, Created: t, Modified: t,
			Name: incidentName(in), Description: in.Summary,
			ObjectMarkingRefs: b.marks(docs),
			Extensions:        map[string]json.RawMessage{incidentCoreID: ext},
			XIncident:         &keep,
		})
		// The entities the incident involves, each once per type.
		seen := map[string]bool{}
		relate := func(typ, target string) {
			if target == "" || seen[typ+target] {
				return
			}
			if typ == "attributed-to" && !strings.HasPrefix(target, "threat-actor--") {
				typ = "carried-out-by"
			}
			seen[typ+target] = true
			rid := b.unique(objectID("relationship", id, typ, target), id)
			b.add(object{
				Type: "relationship", ID: rid, Created: t, Modified: t,
				RelationshipType: typ, SourceRef: id, TargetRef: target,
				ObjectMarkingRefs: b.marks(docs),
			})
		}
		for _, p := range in.Perpetrators {
			relate("attributed-to", byName[strings.ToLower(p)])
		}
		for _, a := range in.Actors {
			typ := roleTypes[a.Role]
			if typ == "" {
				continue
			}
			target := ""
			if a.Entity != 0 {
				target = b.ids[strconv.FormatInt(int64(a.Entity), 10)]
			}
			if target == "" {
				target = byName[strings.ToLower(a.Name)]
			}
			relate(typ, target)
		}
		for _, p := range []string{in.City, in.Province, in.Country.Name} {
			if t := places[strings.ToLower(p)]; p != "" && t != "" {
				relate("located-at", t)
				break
			}
		}
	}
	return ids
}

// incidentKey is the stable content an incident's identifier is made
// from: its GTD event ID, or its date, place and summary.
func incidentKey(in mosaic.Incident) []string {
	if in.EventID != "" {
		return []string{"gtd", in.EventID}
	}
	key := []string{in.Date.String(), in.Country.Name, in.City, in.Summary}
	for _, s := range in.Sources {
		key = append(key, string(s.Doc), strconv.Itoa(s.Row))
	}
	return key
}

// incidentName names an incident by its date, main attack type and place:
// "2016-06-24 Armed Assault, Birmingham, United Kingdom".
func incidentName(in mosaic.Incident) string {
	var parts []string
	if d := in.Date.String(); d != "" {
		parts = append(parts, d)
	}
	if len(in.AttackTypes) > 0 && in.AttackTypes[0].Name != "" {
		parts = append(parts, in.AttackTypes[0].Name)
	} else {
		parts = append(parts, "Incident")
	}
	name := strings.Join(parts, " ")
	var where []string
	for _, p := range []string{in.City, in.Country.Name} {
		if p != "" {
			where = append(where, p)
		}
	}
	if len(where) > 0 {
		name += ", " + strings.Join(where, ", ")
	}
	if in.EventID != "" {
		name += " (GTD " + in.EventID + ")"
	}
	return name
}

// reports writes a report per document that supports something in the
// case.
func (b *builder) reports(linkIDs, incidentIDs []string) {
	refs := map[mosaic.DocID][]string{}
	seen := map[mosaic.DocID]map[string]bool{}
	ref := func(d mosaic.DocID, id string) {
		if seen[d] == nil {
			seen[d] = map[string]bool{}
		}
		if !seen[d][id] {
			seen[d][id] = true
			refs[d] = append(refs[d], id)
		}
	}
	for i, l := range b.c.Links {
		for _, e := range l.Evidence {
			ref(e.Doc, b.ids[l.From])
			ref(e.Doc, b.ids[l.To])
			ref(e.Doc, linkIDs[i])
		}
	}
	for i, in := range b.c.Incidents {
		for _, s := range in.Sources {
			if s.Doc != "" {
				ref(s.Doc, incidentIDs[i])
			}
		}
		for _, e := range in.Evidence {
			if e.Doc != "" {
				ref(e.Doc, incidentIDs[i])
			}
		}
	}
	for _, d := range b.c.Documents {
		if len(refs[d.ID]) == 0 {
			continue
		}
		t := timestamp(b.or(d.Date))
		name := d.Title
		if name == "" {
			name = d.ID.Short()
		}
		er := externalReference{SourceName: "mosaic", ExternalID: string(d.ID), Description: d.Title}
		if d.Source != "" {
			er.Description = strings.TrimPrefix(d.Title+" — "+d.Source, " — ")
		}
		if isSHA256(string(d.ID)) {
			er.Hashes = map[string]string{"SHA-256": string(d.ID)}
		}
		b.add(object{
			Type: "report", ID: b.unique(objectID("report", string(d.ID)), string(d.ID)),
			Created: t, Modified: t, Name: name, Published: t, ObjectRefs: refs[d.ID],
			ExternalReferences: []externalReference{er},
			ObjectMarkingRefs:  b.marks([]mosaic.DocID{d.ID}),
			XSource:            d.Source, XFormat: string(d.Format), XCollections: d.Collections,
		})
	}
}

func isSHA256(s string) bool {
	if len(s) != 64 {
		return false
	}
	_, err := hex.DecodeString(s)
	return err == nil
}
