package stix

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
)

// mosaicTypes reads Mosaic's relation types back from relationship
// types: Write's table backwards.
var mosaicTypes = func() map[string]mosaic.RelationType {
	m := map[string]mosaic.RelationType{}
	for t, s := range relationshipTypes {
		m[s] = t
	}
	return m
}()

// foreignConfidence is an evidence sentence's confidence when a foreign
// relationship states none: STIX's "medium".
const foreignConfidence = 0.5

// reader reads one bundle.
type reader struct {
	file    string
	skipped *exchange.Skipped
	objs    []object
	byID    map[string]*object
	c       exchange.Case
	// docOf is the document of the first report citing an object;
	// dateOf that report's date.
	docOf  map[string]mosaic.DocID
	dateOf map[string]time.Time
	// entity marks the identifiers read as entities.
	entity map[string]bool
}

// MaxSize is the largest bundle Read takes: it holds a bundle in memory,
// as references may point forwards.
const MaxSize = 1 << 30

// Reader reads STIX bundles and counts what it leaves out.
type Reader struct {
	// Skipped counts, by type, the objects Read left out as a case has
	// no place for them ("type malware"), and the relationships between
	// them and what it read ("relationship with a malware").
	Skipped exchange.Skipped
}

// Read reads a bundle as Reader.Read does, without the count of what it
// left out.
func Read(r io.Reader, file string) (exchange.Case, error) {
	var rd Reader
	return rd.Read(r, file)
}

// Read reads a STIX 2.1 bundle (or a 2.0 one) from r into a case. file
// names the bundle in errors and in each entity's and link's Origin. A
// bundle Read cannot take gives an error that wraps exchange.ErrInvalid
// and names the file, the object and the reason. Objects of a type a case
// has no place for are left out and counted in rd.Skipped.
func (rr *Reader) Read(r io.Reader, file string) (exchange.Case, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return exchange.Case{}, fmt.Errorf("%s: %w", file, err)
	}
	if len(data) > MaxSize {
		return exchange.Case{}, fmt.Errorf("%s: %w: larger than %d bytes", file, exchange.ErrInvalid, MaxSize)
	}
	rd := &reader{file: file, skipped: &rr.Skipped, byID: map[string]*object{}, docOf: map[string]mosaic.DocID{},
		dateOf: map[string]time.Time{}, entity: map[string]bool{}}
	if err := rd.parse(data); err != nil {
		return exchange.Case{}, fmt.Errorf("%s: %w: %v", file, exchange.ErrInvalid, err)
	}
	if err := rd.read(); err != nil {
		return exchange.Case{}, fmt.Errorf("%s: %w: %v", file, exchange.ErrInvalid, err)
	}
	if err := exchange.Validate(rd.c); err != nil {
		return exchange.Case{}, fmt.Errorf("%s: %w", file, err)
	}
	return rd.c, nil
}

// parse decodes the bundle and checks what every object must have.
func (rd *reader) parse(data []byte) error {
	var b struct {
		Type    string            `json:"type"`
		ID      string            `json:"id"`
		Objects []json.RawMessage `json:"objects"`
	}
	if err := json.Unmarshal(data, &b); err != nil {
		return fmt.Errorf("not a STIX bundle: %s", jsonError(data, err))
	}
	if b.Type != "bundle" {
		return fmt.Errorf("not a STIX bundle: its type is %q, not \"bundle\"", b.Type)
	}
	if typ, ok := splitID(b.ID); !ok || typ != "bundle" {
		return fmt.Errorf("bundle id %q is not \"bundle--\" and a UUID", b.ID)
	}
	rd.objs = make([]object, len(b.Objects))
	for i, raw := range b.Objects {
		o := &rd.objs[i]
		if err := json.Unmarshal(raw, o); err != nil {
			return fmt.Errorf("object %d: %s", i, jsonError(raw, err))
		}
		if o.Type == "" {
			return fmt.Errorf("object %d has no type", i)
		}
		typ, ok := splitID(o.ID)
		if !ok || typ != o.Type {
			return fmt.Errorf("object %d (%s): id %q is not %q, \"--\" and a UUID", i, o.Type, o.ID, o.Type)
		}
		if rd.byID[o.ID] != nil {
			// Versions of one object share an identifier; the bundle
			// should hold one, and which to take is not for Mosaic to guess.
			return fmt.Errorf("object %d: %s appears twice", i, o.ID)
		}
		rd.byID[o.ID] = o
	}
	return nil
}

// jsonError says where in data a decoding error is, by line.
func jsonError(data []byte, err error) string {
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	off := int64(-1)
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	}
	if off < 0 || off > int64(len(data)) {
		return err.Error()
	}
	line := 1 + bytes.Count(data[:off], []byte("\n"))
	return fmt.Sprintf("line %d: %v", line, err)
}

func (rd *reader) origin(id string) string { return rd.file + "#" + id }

func (rd *reader) read() error {
	rd.markings()
	if err := rd.reports(); err != nil {
		return err
	}
	producers := map[string]bool{}
	endpoints := map[string]bool{}
	for i := range rd.objs {
		o := &rd.objs[i]
		if o.CreatedByRef != "" {
			producers[o.CreatedByRef] = true
		}
		if o.Type == "relationship" {
			endpoints[o.SourceRef] = true
			endpoints[o.TargetRef] = true
		}
	}
	for i := range rd.objs {
		o := &rd.objs[i]
		if o.Type == "identity" && (o.ID == mosaicIdentity || producers[o.ID] && !endpoints[o.ID]) {
			continue
		}
		if err := rd.entity1(o); err != nil {
			return fmt.Errorf("%s: %w", o.ID, err)
		}
	}
	links := map[string]int{}
	incidents := map[string]int{}
	for i := range rd.objs {
		o := &rd.objs[i]
		if o.Type != "incident" {
			continue
		}
		in, err := rd.incident(o)
		if err != nil {
			return fmt.Errorf("%s: %w", o.ID, err)
		}
		incidents[o.ID] = len(rd.c.Incidents)
		rd.c.Incidents = append(rd.c.Incidents, in)
	}
	for i := range rd.objs {
		o := &rd.objs[i]
		if o.Type != "relationship" {
			continue
		}
		if o.SourceRef == "" || o.TargetRef == "" || o.RelationshipType == "" {
			return fmt.Errorf("%s: a relationship needs source_ref, target_ref and relationship_type", o.ID)
		}
		for _, ref := range []string{o.SourceRef, o.TargetRef} {
			if rd.byID[ref] == nil {
				return fmt.Errorf("%s: %s is not in the bundle", o.ID, ref)
			}
		}
		if i, ok := incidents[o.SourceRef]; ok {
			rd.involve(&rd.c.Incidents[i], o)
			continue
		}
		if o.SourceRef == o.TargetRef {
			rd.skipped.Add("relationship of an object with itself")
			continue
		}
		if !rd.entity[o.SourceRef] || !rd.entity[o.TargetRef] {
			// With a thing Mosaic has no place for: not a link.
			end := rd.byID[o.SourceRef]
			if rd.entity[o.SourceRef] {
				end = rd.byID[o.TargetRef]
			}
			rd.skipped.Add("relationship with a " + end.Type)
			continue
		}
		rd.link(o, links)
	}
	for i := range rd.c.Links {
		l := &rd.c.Links[i]
		var w float64
		for _, e := range l.Evidence {
			w += e.Confidence
			if !e.Date.IsZero() {
				if l.First.IsZero() || e.Date.Before(l.First) {
					l.First = e.Date
				}
				if e.Date.After(l.Last) {
					l.Last = e.Date
				}
			}
		}
		if l.Weight == 0 {
			l.Weight = w
		}
	}
	return nil
}

// markings reads Mosaic's collection markings back as collections.
func (rd *reader) markings() {
	for i := range rd.objs {
		o := &rd.objs[i]
		if o.Type == "marking-definition" && o.XCollection != "" {
			rd.c.Collections = append(rd.c.Collections, exchange.Collection{
				Name: o.XCollection, Agency: o.XAgency, Classification: o.XClassification,
			})
		}
	}
}

// collectionsOf names the collections of the markings refs name.
func (rd *reader) collectionsOf(refs []string) []string {
	var out []string
	for _, r := range refs {
		if m := rd.byID[r]; m != nil && m.Type == "marking-definition" && m.XCollection != "" {
			out = append(out, m.XCollection)
		}
	}
	return out
}

// reports reads each report as a document, and notes it as the document
// of what it cites.
func (rd *reader) reports() error {
	docs := map[mosaic.DocID]bool{}
	for i := range rd.objs {
		o := &rd.objs[i]
		if o.Type != "report" {
			continue
		}
		d := exchange.Document{Title: o.Name, Source: o.XSource, Format: mosaic.Format(o.XFormat), Collections: o.XCollections}
		for _, er := range o.ExternalReferences {
			if h := strings.ToLower(er.Hashes["SHA-256"]); isSHA256(h) {
				d.ID = mosaic.DocID(h)
				break
			}
			if er.SourceName == "mosaic" && er.ExternalID != "" {
				d.ID = mosaic.DocID(er.ExternalID)
				break
			}
		}
		if d.ID == "" {
			d.ID = mosaic.NewDocID([]byte(rd.origin(o.ID)))
		}
		if d.Source == "" {
			d.Source = rd.origin(o.ID)
		}
		if d.Collections == nil {
			d.Collections = rd.collectionsOf(o.ObjectMarkingRefs)
		}
		for _, s := range []string{o.Published, o.Created} {
			if s == "" {
				continue
			}
			t, err := parseTimestamp(s)
			if err != nil {
				return fmt.Errorf("%s: published %q is not a timestamp", o.ID, s)
			}
			d.Date = t.UTC()
			break
		}
		if !docs[d.ID] {
			// Two reports of one document (its hash) are one document.
			docs[d.ID] = true
			rd.c.Documents = append(rd.c.Documents, d)
		}
		for _, ref := range o.ObjectRefs {
			if _, ok := rd.docOf[ref]; !ok {
				rd.docOf[ref] = d.ID
				rd.dateOf[ref] = d.Date
			}
		}
	}
	return nil
}

// entity1 reads o as an entity when it is one.
func (rd *reader) entity1(o *object) error {
	e := exchange.Entity{Key: o.ID, Name: strings.TrimSpace(o.Name), Community: -1, Origin: rd.origin(o.ID)}
	switch o.Type {
	case "threat-actor", "intrusion-set":
		e.Kind = mosaic.Org
	case "identity":
		switch {
		case slices.Contains(exchange.Kinds, mosaic.MentionType(o.XKind)):
			e.Kind = mosaic.MentionType(o.XKind)
		case o.IdentityClass == "individual":
			e.Kind = mosaic.Person
		case o.IdentityClass == "organization", o.IdentityClass == "group":
			e.Kind = mosaic.Org
		default:
			e.Kind = mosaic.Misc
		}
	case "location":
		e.Kind = mosaic.Location
		if e.Name == "" {
			e.Name = placeName(o)
		}
	case "email-addr", "url", "ipv4-addr", "ipv6-addr":
		e.Kind = mosaic.MentionType(o.XKind)
		if !slices.Contains(exchange.Kinds, e.Kind) {
			e.Kind = map[string]mosaic.MentionType{"email-addr": mosaic.Email, "url": mosaic.URL}[o.Type]
			if e.Kind == "" {
				e.Kind = mosaic.IP
			}
		}
		e.Name = strings.TrimSpace(o.Value)
	case "report", "relationship", "incident", "marking-definition", "extension-definition":
		return nil // read as documents, links, incidents and collections
	default:
		rd.skipped.Add("type " + o.Type)
		return nil
	}
	if e.Name == "" {
		return fmt.Errorf("a %s needs a name", o.Type)
	}
	e.Names = []string{e.Name}
	seen := map[string]bool{e.Name: true}
	for _, n := range append(append([]string(nil), o.Aliases...), o.XAliases...) {
		if n = strings.TrimSpace(n); n != "" && !seen[n] {
			seen[n] = true
			e.Names = append(e.Names, n)
		}
	}
	if o.XCommunity != nil {
		e.Community = *o.XCommunity
	}
	e.Centrality, e.Degree = o.XCentrality, o.XDegree
	var err error
	if e.First, err = optionalTime(first(o.XFirst, o.FirstSeen)); err != nil {
		return err
	}
	if e.Last, err = optionalTime(first(o.XLast, o.LastSeen)); err != nil {
		return err
	}
	rd.entity[o.ID] = true
	rd.c.Entities = append(rd.c.Entities, e)
	return nil
}

func first(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}

func optionalTime(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := parseTimestamp(s)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not a timestamp", s)
	}
	return t.UTC(), nil
}

// placeName names a location that has no name by what it gives.
func placeName(o *object) string {
	var parts []string
	for _, p := range []string{o.City, o.AdministrativeArea, o.Country, o.Region} {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) == 0 && o.Latitude != nil && o.Longitude != nil {
		return strconv.FormatFloat(*o.Latitude, 'f', -1, 64) + ", " + strconv.FormatFloat(*o.Longitude, 'f', -1, 64)
	}
	return strings.Join(parts, ", ")
}

// name is what a sentence built for a foreign relationship calls an
// object.
func (rd *reader) name(id string) string {
	o := rd.byID[id]
	switch {
	case o == nil:
		return id
	case o.Name != "":
		return o.Name
	case o.Value != "":
		return o.Value
	case o.Type == "location":
		return placeName(o)
	}
	return id
}

// link reads a relationship between two entities as a link, or as more
// evidence of a link read already.
func (rd *reader) link(o *object, links map[string]int) {
	typ := mosaic.RelationType(o.XRelation)
	if !slices.Contains(exchange.RelationTypes, typ) {
		if t, ok := mosaicTypes[o.RelationshipType]; ok {
			typ = t
		} else {
			typ = mosaic.CoOccur
		}
	}
	l := exchange.Link{From: o.SourceRef, To: o.TargetRef, Type: typ, Origin: rd.origin(o.ID), Weight: o.XWeight}
	l.Negated = o.XNegated || hasLabel(o.Labels, "negated")
	l.Hedged = o.XHedged || hasLabel(o.Labels, "hedged")
	conf := foreignConfidence
	if o.Confidence != nil && *o.Confidence > 0 && *o.Confidence <= 100 {
		conf = float64(*o.Confidence) / 100
	}
	doc, date := rd.docOf[o.ID], rd.dateOf[o.ID]
	switch {
	case len(o.XEvidence) > 0:
		for _, e := range o.XEvidence {
			l.Evidence = append(l.Evidence, exchange.Evidence{
				Doc: e.Doc, Sentence: mosaic.Span{Start: e.Start, End: e.End}, Text: e.Text,
				FromText: e.FromText, ToText: e.ToText, Cue: e.Cue, Confidence: e.Confidence, Date: e.Date.UTC(),
			})
		}
	case o.XRelation != "" || o.CreatedByRef == mosaicIdentity:
		// One of ours that lost its evidence property: the description
		// holds a sentence a line.
		for _, s := range strings.Split(o.Description, "\n") {
			if s = strings.TrimSpace(s); s != "" {
				l.Evidence = append(l.Evidence, exchange.Evidence{Doc: doc, Text: s, Confidence: conf, Date: date})
			}
		}
	case strings.TrimSpace(o.Description) != "":
		l.Evidence = []exchange.Evidence{{Doc: doc, Text: exchange.OneLine(o.Description), Confidence: conf, Date: date}}
	}
	if len(l.Evidence) == 0 {
		from, to := rd.name(o.SourceRef), rd.name(o.TargetRef)
		words := strings.ReplaceAll(o.RelationshipType, "-", " ")
		l.Evidence = []exchange.Evidence{{Doc: doc, Text: from + " " + words + " " + to + ".",
			FromText: from, ToText: to, Cue: words, Confidence: conf, Date: date}}
	}
	key := strings.Join([]string{l.From, l.To, string(l.Type), strconv.FormatBool(l.Negated), strconv.FormatBool(l.Hedged)}, "\x1f")
	if i, ok := links[key]; ok {
		prev := &rd.c.Links[i]
		prev.Evidence = append(prev.Evidence, l.Evidence...)
		prev.Weight += l.Weight
		return
	}
	links[key] = len(rd.c.Links)
	rd.c.Links = append(rd.c.Links, l)
}

func hasLabel(labels []string, l string) bool {
	for _, x := range labels {
		if x == l {
			return true
		}
	}
	return false
}

// incident reads an incident: ours whole from x_mosaic_incident, a
// foreign one from its name, description and Incident Core extension.
func (rd *reader) incident(o *object) (mosaic.Incident, error) {
	src := mosaic.IncidentSource{Name: "STIX " + rd.origin(o.ID), Doc: rd.docOf[o.ID]}
	var in mosaic.Incident
	if o.XIncident != nil {
		in = *o.XIncident
		in.ID = 0
		in.Sources = append(in.Sources, src)
	} else {
		in = mosaic.Incident{Summary: strings.TrimSpace(o.Description), Attribution: mosaic.AttributionUnknown, Sources: []mosaic.IncidentSource{src}}
		if in.Summary == "" {
			in.Summary = o.Name
		}
	}
	if raw, ok := o.Extensions[incidentCoreID]; ok && o.XIncident == nil {
		var core struct {
			IncidentTypes []string `json:"incident_types"`
			FirstSeen     string   `json:"first_seen"`
		}
		if err := json.Unmarshal(raw, &core); err != nil {
			return in, fmt.Errorf("incident core extension: %v", err)
		}
		for _, t := range core.IncidentTypes {
			in.AttackTypes = append(in.AttackTypes, mosaic.Code{Name: t})
		}
		if core.FirstSeen != "" {
			t, err := parseTimestamp(core.FirstSeen)
			if err != nil {
				return in, fmt.Errorf("incident core extension: first_seen %q is not a timestamp", core.FirstSeen)
			}
			in.Date = dateOf(t)
		}
	}
	if in.Date.IsZero() && o.Created != "" {
		// STIX's incident has no date of its own: the day the object was
		// made is the nearest, and the incident says so.
		t, err := parseTimestamp(o.Created)
		if err != nil {
			return in, fmt.Errorf("created %q is not a timestamp", o.Created)
		}
		in.Date = dateOf(t)
		in.ApproxDate = "not given; " + in.Date.String() + " is the day the STIX incident was created"
	}
	return in, nil
}

func dateOf(t time.Time) mosaic.IncidentDate {
	t = t.UTC()
	return mosaic.IncidentDate{Year: t.Year(), Month: mosaic.Some(t.Month()), Day: mosaic.Some(t.Day())}
}

// involve reads a relationship from a foreign incident: its perpetrator,
// claimant, attacker, victim or place. An incident of ours has them in
// x_mosaic_incident already.
func (rd *reader) involve(in *mosaic.Incident, o *object) {
	if rd.byID[o.SourceRef].XIncident != nil {
		return
	}
	t := rd.byID[o.TargetRef]
	name := rd.name(o.TargetRef)
	kind := mosaic.Person
	if t.Type == "threat-actor" || t.Type == "intrusion-set" || t.IdentityClass == "organization" || t.IdentityClass == "group" {
		kind = mosaic.Org
	}
	switch o.RelationshipType {
	case "attributed-to":
		in.Perpetrators = append(in.Perpetrators, name)
		in.Actors = append(in.Actors, mosaic.IncidentActor{Role: mosaic.RoleGroup, Name: name, Kind: kind})
	case "located-at":
		if t.Type != "location" || in.City != "" || in.Country.Name != "" {
			return
		}
		in.City, in.Province, in.Country.Name = t.City, t.AdministrativeArea, t.Country
		if in.City == "" && in.Country.Name == "" {
			in.City = name
		}
		if t.Latitude != nil && t.Longitude != nil && !math.IsNaN(*t.Latitude) {
			in.Latitude, in.Longitude = mosaic.Some(*t.Latitude), mosaic.Some(*t.Longitude)
		}
	default:
		for role, typ := range roleTypes {
			if typ == o.RelationshipType && role != mosaic.RoleGroup {
				in.Actors = append(in.Actors, mosaic.IncidentActor{Role: role, Name: name, Kind: kind})
			}
		}
	}
}
