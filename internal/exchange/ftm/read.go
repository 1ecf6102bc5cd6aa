package ftm

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/exchange"
	"mosaic/internal/gazetteer"
)

// MaxLine is the longest line Read takes: a longer one is not an entity
// any FollowTheMoney tool writes, and reading it whole would let a
// hostile file take the memory.
const MaxLine = 16 << 20

// Reader reads FollowTheMoney files and counts what it leaves out.
type Reader struct {
	// Skipped counts, by reason, the lines Read left out: an entity of a
	// schema Mosaic has no place for ("schema Vessel"), a link whose end
	// the file does not hold, an entity without a name.
	Skipped exchange.Skipped
}

// Read reads a FollowTheMoney file as Reader.Read does, without the
// count of what it left out.
func Read(r io.Reader, file string) (exchange.Case, error) {
	var rd Reader
	return rd.Read(r, file)
}

// Read reads FollowTheMoney entities, one JSON object a line, from r and
// maps them to a case: people, organisations, addresses and parties to
// entities; Membership, Employment, Directorship, Family, Associate and
// UnknownLink to links; Event to incidents; Mosaic's own Documents to
// documents. Every entity, link and incident carries its origin, file and
// the FollowTheMoney id ("case.ftm.json#mosaic-3f…"). Entities of other
// schemata, and links whose ends the file does not hold, are left out and
// counted in rd.Skipped. A line that is not a JSON object with an id and a
// schema is an error naming the file and the line, wrapping
// exchange.ErrInvalid.
func (rd *Reader) Read(r io.Reader, file string) (exchange.Case, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), MaxLine)
	var lines []entity
	seen := map[string]int{} // id → index in lines
	for n := 1; sc.Scan(); n++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		e, err := parseLine(b)
		if err != nil {
			return exchange.Case{}, fmt.Errorf("%s:%d: %w", file, n, err)
		}
		if i, ok := seen[e.ID]; ok {
			// FollowTheMoney streams may repeat an entity with more of its
			// properties (ftm aggregate merges them): merge likewise.
			if lines[i].Schema != e.Schema {
				rd.Skipped.Add("entity repeated with another schema")
				continue
			}
			for k, vs := range e.Properties {
				for _, v := range vs {
					if !slices.Contains(lines[i].Properties[k], v) {
						lines[i].add(k, v)
					}
				}
			}
			continue
		}
		seen[e.ID] = len(lines)
		lines = append(lines, e)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return exchange.Case{}, fmt.Errorf("%s: %w: a line longer than %d MiB is not a FollowTheMoney entity", file, exchange.ErrInvalid, MaxLine>>20)
		}
		return exchange.Case{}, fmt.Errorf("%s: %w", file, err)
	}

	var c exchange.Case
	origin := func(id string) string { return file + "#" + id }
	docs := map[string]exchange.Document{}
	keys := map[string]string{} // FollowTheMoney id → entity key
	names := map[string]string{}
	for _, l := range lines {
		switch l.Schema {
		case "Document":
			d, ok := documentOf(l)
			if !ok {
				rd.Skipped.Add("Document not written by Mosaic")
				continue
			}
			docs[l.ID] = d
			c.Documents = append(c.Documents, d)
			continue
		}
		kind, ok := kindOf(l.Schema)
		if !ok {
			continue
		}
		name := l.first("name")
		if name == "" {
			name = l.first("full")
		}
		if name == "" {
			rd.Skipped.Add(l.Schema + " without a name")
			continue
		}
		ent := exchange.Entity{Key: l.ID, Kind: kind, Name: name, Names: []string{name}, Community: -1, Origin: origin(l.ID)}
		for _, p := range []string{"name", "alias", "full", "previousName", "weakAlias"} {
			for _, n := range l.Properties[p] {
				if n != "" && !slices.Contains(ent.Names, n) {
					ent.Names = append(ent.Names, n)
				}
			}
		}
		keys[l.ID], names[l.ID] = l.ID, name
		c.Entities = append(c.Entities, ent)
	}
	for _, l := range lines {
		if l.Schema == "Document" {
			continue
		}
		if _, ok := kindOf(l.Schema); ok {
			continue
		}
		if l.Schema == "Event" {
			in := incidentOf(l, names, origin(l.ID))
			if exchange.Validate(exchange.Case{Incidents: []mosaic.Incident{in}}) != nil {
				rd.Skipped.Add("Event without a date an incident can have")
				continue
			}
			c.Incidents = append(c.Incidents, in)
			continue
		}
		link, ok := linkFrom(l, docs)
		if !ok {
			rd.Skipped.Add("schema " + l.Schema)
			continue
		}
		if _, ok := keys[link.From]; !ok {
			rd.Skipped.Add(l.Schema + " with an end not in the file")
			continue
		}
		if _, ok := keys[link.To]; !ok {
			rd.Skipped.Add(l.Schema + " with an end not in the file")
			continue
		}
		if link.From == link.To {
			rd.Skipped.Add(l.Schema + " of an entity with itself")
			continue
		}
		if link.Type == mosaic.CoOccur && link.To < link.From {
			link.From, link.To = link.To, link.From
			for i := range link.Evidence {
				ev := &link.Evidence[i]
				ev.FromText, ev.ToText = ev.ToText, ev.FromText
			}
		}
		link.Origin = origin(l.ID)
		c.Links = append(c.Links, link)
	}
	return c, nil
}

// parseLine reads one line as an entity. Property values that are not
// strings (some producers write a number or a nested entity) are left out.
func parseLine(b []byte) (entity, error) {
	// Most lines hold only lists of strings: read them so at once.
	var e entity
	if json.Unmarshal(b, &e) == nil && e.ID != "" && e.Schema != "" {
		for k, vs := range e.Properties {
			vs = slices.DeleteFunc(vs, func(v string) bool { return v == "" })
			if len(vs) == 0 {
				delete(e.Properties, k)
			} else {
				e.Properties[k] = vs
			}
		}
		return e, nil
	}
	var raw struct {
		ID         string                     `json:"id"`
		Schema     string                     `json:"schema"`
		Properties map[string]json.RawMessage `json:"properties"`
	}
	if err := json.Unmarshal(b, &raw); err != nil {
		return entity{}, fmt.Errorf("%w: not a FollowTheMoney entity: %v", exchange.ErrInvalid, err)
	}
	if raw.ID == "" || raw.Schema == "" {
		return entity{}, fmt.Errorf("%w: not a FollowTheMoney entity: no id or no schema", exchange.ErrInvalid)
	}
	e = entity{ID: raw.ID, Schema: raw.Schema}
	for k, v := range raw.Properties {
		var vs []any
		if json.Unmarshal(v, &vs) != nil {
			var one any
			if json.Unmarshal(v, &one) != nil {
				continue
			}
			vs = []any{one}
		}
		for _, x := range vs {
			if s, ok := x.(string); ok {
				e.add(k, s)
			}
		}
	}
	return e, nil
}

// kindOf maps an entity schema to a kind; false for a schema that is not
// an entity Mosaic holds.
func kindOf(schema string) (mosaic.MentionType, bool) {
	switch schema {
	case "Person":
		return mosaic.Person, true
	case "Organization", "Company", "PublicBody":
		return mosaic.Org, true
	case "Address":
		return mosaic.Location, true
	case "LegalEntity":
		return mosaic.Misc, true
	}
	return "", false
}

func documentOf(e entity) (exchange.Document, bool) {
	id, ok := strings.CutPrefix(e.ID, docPrefix)
	if !ok || !isDocID(id) {
		return exchange.Document{}, false
	}
	d := exchange.Document{ID: mosaic.DocID(id), Title: e.first("title"), Source: e.first("fileName")}
	d.Date, _ = parseDate(e.first("date"))
	return d, true
}

func isDocID(s string) bool {
	if len(s) != 64 {
		return false
	}
	for _, r := range s {
		if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'f') {
			return false
		}
	}
	return true
}

// parseDate reads a FollowTheMoney date: YYYY, YYYY-MM or YYYY-MM-DD,
// perhaps followed by a time, which is left out.
func parseDate(s string) (time.Time, bool) {
	if len(s) > 10 {
		s = s[:10]
	}
	for _, layout := range []string{time.DateOnly, "2006-01", "2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, true
		}
	}
	return time.Time{}, false
}

var (
	summaryWeight = regexp.MustCompile(`weight ([0-9.eE+-]+)$`)
	recordSpan    = regexp.MustCompile(`^([0-9a-f]{64})?#([0-9]+)-([0-9]+)((?:;[FTC]=[^;]*)*)$`)
	recordPart    = regexp.MustCompile(`;([FTC])=([^;]*)`)
)

// linkFrom maps an interval entity to a link between FollowTheMoney ids;
// false for a schema that is no link Mosaic holds.
func linkFrom(e entity, docs map[string]exchange.Document) (exchange.Link, bool) {
	var l exchange.Link
	var cues []string
	switch e.Schema {
	case "Membership":
		l = exchange.Link{From: e.first("member"), To: e.first("organization"), Type: mosaic.Member}
		cues = e.Properties["role"]
	case "Employment":
		l = exchange.Link{From: e.first("employee"), To: e.first("employer"), Type: mosaic.Member}
		cues = e.Properties["role"]
	case "Directorship":
		l = exchange.Link{From: e.first("director"), To: e.first("organization"), Type: mosaic.Member}
		cues = e.Properties["role"]
	case "Family":
		l = exchange.Link{From: e.first("person"), To: e.first("relative"), Type: mosaic.Family}
		cues = e.Properties["relationship"]
	case "Associate":
		l = exchange.Link{From: e.first("person"), To: e.first("associate"), Type: mosaic.Contact}
		cues = e.Properties["relationship"]
	case "UnknownLink":
		l = exchange.Link{From: e.first("subject"), To: e.first("object"), Type: mosaic.CoOccur}
		for _, role := range e.Properties["role"] {
			if t := mosaic.RelationType(strings.ToLower(role)); slices.Contains(exchange.RelationTypes, t) {
				l.Type = t
			} else {
				cues = append(cues, role)
			}
		}
	default:
		return exchange.Link{}, false
	}
	for _, s := range e.Properties["status"] {
		switch {
		case oneOf(s, statusDenied):
			l.Negated = true
		case oneOf(s, statusAlleged):
			l.Hedged = true
		}
	}
	if t, ok := parseDate(e.first("startDate")); ok {
		l.First, l.Last = t, t
	}
	if t, ok := parseDate(e.first("endDate")); ok {
		l.Last = t
		if l.First.IsZero() {
			l.First = t
		}
	}
	sentences := e.Properties["description"]
	records := e.Properties["recordId"]
	var proof mosaic.DocID
	for _, p := range e.Properties["proof"] {
		if d, ok := docs[p]; ok {
			proof = d.ID
			break
		}
	}
	for i, s := range sentences {
		ev := exchange.Evidence{Text: s, Doc: proof}
		if len(cues) == 1 {
			ev.Cue = cues[0]
		}
		if len(records) == len(sentences) {
			readRecord(records[i], &ev)
		}
		if d, ok := docs[docPrefix+string(ev.Doc)]; ok {
			ev.Date = d.Date
		}
		l.Evidence = append(l.Evidence, ev)
	}
	// Weight: as the summary Mosaic wrote gives it, else one per sentence;
	// each sentence's confidence its share, at most 1.
	l.Weight = float64(len(l.Evidence))
	if m := summaryWeight.FindStringSubmatch(e.first("summary")); m != nil {
		if w, err := strconv.ParseFloat(m[1], 64); err == nil && w >= 0 && w <= 1e9 {
			l.Weight = w
		}
	}
	for i := range l.Evidence {
		l.Evidence[i].Confidence = min(1, l.Weight/float64(len(l.Evidence)))
		if l.Evidence[i].Confidence <= 0 {
			l.Evidence[i].Confidence = 1
		}
	}
	return l, l.From != "" && l.To != ""
}

// incidentOf maps an Event to an incident: the record Mosaic kept in its
// notes when there is one, else what the Event's own fields say. Either
// way the file and the Event's id become one of its sources.
func incidentOf(e entity, names map[string]string, origin string) mosaic.Incident {
	var in mosaic.Incident
	found := false
	for _, n := range e.Properties["notes"] {
		if js, ok := strings.CutPrefix(n, incidentNote); ok && json.Unmarshal([]byte(js), &in) == nil {
			found = true
			break
		}
		in = mosaic.Incident{}
	}
	if !found {
		d := e.first("date")
		if d == "" {
			d = e.first("startDate")
		}
		if len(d) > 10 {
			d = d[:10]
		}
		_ = in.Date.UnmarshalText([]byte(d)) // an unreadable date leaves it unknown
		in.City = e.first("location")
		if p, ok := gazetteer.Country(e.first("country")); ok && e.first("country") != "" {
			in.Country = mosaic.Code{Name: p.Country.Name}
		}
		in.Summary = e.first("summary")
		if in.Summary == "" {
			in.Summary = e.first("description")
		}
		if in.Summary == "" {
			in.Summary = e.first("name")
		}
		in.EventID = ""
		for _, id := range e.Properties["organizer"] {
			if n, ok := names[id]; ok {
				in.Perpetrators = append(in.Perpetrators, n)
			}
		}
		in.Attribution = mosaic.AttributionUnknown
	}
	in.ID = 0
	in.Sources = append(in.Sources, mosaic.IncidentSource{Name: origin})
	return in
}

// readRecord reads the recordId Mosaic writes for a sentence (see
// record) into ev: its document and span, and the names and cue as
// written in it.
func readRecord(rec string, ev *exchange.Evidence) {
	m := recordSpan.FindStringSubmatch(rec)
	if m == nil {
		return
	}
	start, err1 := strconv.Atoi(m[2])
	end, err2 := strconv.Atoi(m[3])
	if err1 != nil || err2 != nil || start > end {
		return
	}
	ev.Doc, ev.Sentence = mosaic.DocID(m[1]), mosaic.Span{Start: start, End: end}
	for _, p := range recordPart.FindAllStringSubmatch(m[4], -1) {
		text, err := url.PathUnescape(p[2])
		if err != nil || !utf8.ValidString(text) {
			continue
		}
		switch p[1] {
		case "F":
			ev.FromText = text
		case "T":
			ev.ToText = text
		case "C":
			ev.Cue = text
		}
	}
}
