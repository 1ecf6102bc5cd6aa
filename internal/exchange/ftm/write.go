package ftm

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
	"mosaic/internal/gazetteer"
)

// Write writes the case to w as FollowTheMoney entities, one JSON object
// a line: the documents, the entities, the links, the incidents. It
// returns an error when w fails or a link names an entity the case does
// not hold.
func Write(w io.Writer, c exchange.Case) error {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	for _, d := range c.Documents {
		e := entity{ID: docPrefix + string(d.ID), Schema: "Document"}
		e.add("title", d.Title)
		e.add("fileName", d.Source)
		if !d.Date.IsZero() {
			e.add("date", date(d.Date))
		}
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	ids := make(map[string]string, len(c.Entities))
	kinds := make(map[string]mosaic.MentionType, len(c.Entities))
	for _, ent := range c.Entities {
		e := entityOf(ent)
		ids[ent.Key], kinds[ent.Key] = e.ID, ent.Kind
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	for _, l := range c.Links {
		from, to, err := l.Ends(ids)
		if err != nil {
			return err
		}
		if err := enc.Encode(linkOf(l, from, to, kinds[l.From], kinds[l.To])); err != nil {
			return err
		}
	}
	for _, in := range c.Incidents {
		e, err := eventOf(in, c.Entities, ids)
		if err != nil {
			return err
		}
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

// schemaOf maps an entity's kind to its schema.
func schemaOf(k mosaic.MentionType) string {
	switch k {
	case mosaic.Person:
		return "Person"
	case mosaic.Org:
		return "Organization"
	case mosaic.Location:
		return "Address"
	}
	return "LegalEntity"
}

func entityOf(ent exchange.Entity) entity {
	e := entity{ID: hashID("entity", string(ent.Kind), ent.Key, ent.Name), Schema: schemaOf(ent.Kind)}
	e.add("name", ent.Name)
	if ent.Kind == mosaic.Location {
		e.add("full", ent.Name)
	}
	e.add("alias", ent.Aliases()...)
	return e
}

// linkOf maps a link to the interval schema that says what it means; see
// the package comment.
func linkOf(l exchange.Link, from, to string, fromKind, toKind mosaic.MentionType) entity {
	var cues []string
	for _, ev := range l.Evidence {
		if ev.Cue != "" && !slices.Contains(cues, ev.Cue) {
			cues = append(cues, ev.Cue)
		}
	}
	plain := !l.Negated && !l.Hedged
	legal := func(k mosaic.MentionType) bool { return k == mosaic.Person || k == mosaic.Org }
	var e entity
	switch {
	case plain && l.Type == mosaic.Member && legal(fromKind) && toKind == mosaic.Org:
		e.Schema = "Membership"
		e.add("member", from)
		e.add("organization", to)
		e.add("role", cues...)
	case plain && l.Type == mosaic.Family && fromKind == mosaic.Person && toKind == mosaic.Person:
		e.Schema = "Family"
		e.add("person", from)
		e.add("relative", to)
		e.add("relationship", cues...)
	case plain && l.Type == mosaic.Contact && fromKind == mosaic.Person && toKind == mosaic.Person:
		e.Schema = "Associate"
		e.add("person", from)
		e.add("associate", to)
		e.add("relationship", cues...)
	default:
		e.Schema = "UnknownLink"
		e.add("subject", from)
		e.add("object", to)
		e.add("role", string(l.Type))
		e.add("role", cues...)
		if l.Negated {
			e.add("status", statusDenied)
		}
		if l.Hedged {
			e.add("status", statusAlleged)
		}
	}
	e.ID = hashID("link", e.Schema, from, to, string(l.Type), strconv.FormatBool(l.Negated), strconv.FormatBool(l.Hedged))
	if !l.First.IsZero() {
		e.add("startDate", date(l.First))
		e.add("endDate", date(l.Last))
	}
	e.add("summary", summary(l))
	for _, ev := range l.Evidence {
		e.Properties["description"] = append(e.Properties["description"], ev.Text)
		e.Properties["recordId"] = append(e.Properties["recordId"], record(ev))
	}
	return e
}

// record locates a sentence of evidence: "DOCID#START-END", the
// document and the sentence's byte span in it, then the link's two ends
// and its cue as the sentence writes them (";F=…", ";T=…", ";C=…",
// escaped as in a URL path). Read takes the names as written from it,
// which tie each end to the right spelling when the case is loaded.
func record(ev exchange.Evidence) string {
	rec := fmt.Sprintf("%s#%d-%d", ev.Doc, ev.Sentence.Start, ev.Sentence.End)
	for _, p := range []struct{ label, text string }{{"F", ev.FromText}, {"T", ev.ToText}, {"C", ev.Cue}} {
		if p.text != "" {
			rec += ";" + p.label + "=" + url.PathEscape(p.text)
		}
	}
	return rec
}

// summary says a link's relation and how much evidence it has, in words
// a reader of the file understands and Read parses back.
func summary(l exchange.Link) string {
	s := string(l.Type)
	if l.Negated {
		s += " (denied)"
	}
	if l.Hedged {
		s += " (alleged)"
	}
	return fmt.Sprintf("%s: %d sentences, weight %s", s, len(l.Evidence), strconv.FormatFloat(l.Weight, 'g', -1, 64))
}

// eventOf maps an incident to an Event. organizer holds the groups the
// case knows that the sources say carried it out or claimed it, involved
// every other entity the incident names.
func eventOf(in mosaic.Incident, ents []exchange.Entity, ids map[string]string) (entity, error) {
	rec := in
	rec.ID = 0
	rec.Actors = slices.Clone(in.Actors)
	for i := range rec.Actors {
		rec.Actors[i].Entity = 0
	}
	js, err := json.Marshal(rec)
	if err != nil {
		return entity{}, fmt.Errorf("incident %d: %w", in.ID, err)
	}
	e := entity{ID: hashID("incident", string(js)), Schema: "Event"}
	e.add("name", eventName(in))
	e.add("date", in.Date.String())
	if p, ok := gazetteer.Country(in.Country.Name); ok && in.Country.Name != "" {
		e.add("country", strings.ToLower(p.CountryISO))
	}
	e.add("location", place(in))
	e.add("summary", in.Summary)
	e.add("recordId", in.EventID)
	byName := map[string]string{}
	for _, ent := range ents {
		if ent.Kind == mosaic.Org {
			for _, n := range append([]string{ent.Name}, ent.Names...) {
				if _, ok := byName[n]; !ok {
					byName[n] = ids[ent.Key]
				}
			}
		}
	}
	var organizer, involved []string
	for _, p := range in.Perpetrators {
		if id, ok := byName[p]; ok && !slices.Contains(organizer, id) {
			organizer = append(organizer, id)
		}
	}
	for _, a := range in.Actors {
		id, ok := ids[strconv.FormatInt(int64(a.Entity), 10)]
		if a.Entity == 0 || !ok {
			continue
		}
		if a.Role == mosaic.RoleGroup || a.Role == mosaic.RoleClaimant {
			if !slices.Contains(organizer, id) {
				organizer = append(organizer, id)
			}
		} else if !slices.Contains(involved, id) && !slices.Contains(organizer, id) {
			involved = append(involved, id)
		}
	}
	e.add("organizer", organizer...)
	e.add("involved", involved...)
	e.add("notes", incidentNote+string(js))
	return e, nil
}

// eventName names an incident as a list of them reads: its main attack
// type, where and when.
func eventName(in mosaic.Incident) string {
	var parts []string
	if len(in.AttackTypes) > 0 && in.AttackTypes[0].Name != "" {
		parts = append(parts, in.AttackTypes[0].Name)
	} else {
		parts = append(parts, "Incident")
	}
	if p := place(in); p != "" {
		parts = append(parts, p)
	}
	if d := in.Date.String(); d != "" {
		parts = append(parts, d)
	}
	return strings.Join(parts, ", ")
}

func place(in mosaic.Incident) string {
	var parts []string
	for _, p := range []string{in.City, in.Province, in.Country.Name} {
		if p != "" && !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

func date(t time.Time) string { return t.UTC().Format(time.DateOnly) }
