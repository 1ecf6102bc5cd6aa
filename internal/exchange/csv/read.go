package csv

import (
	"archive/zip"
	"bytes"
	"cmp"
	stdcsv "encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/exchange"
)

// MaxSize is the largest file Read takes: an archive is read whole.
const MaxSize = 1 << 30

// Fields documents the fields a column may be mapped to, for a command's
// help.
const Fields = `A CSV file is one table; which one is told by the fields its columns map to.
  links (from and to mapped): one row per sentence stating a link
    from, to          the two entities: a key of the entities table, or a name
    from_name, to_name, from_kind, to_kind
                      their names and kinds (PERSON, ORG, LOCATION, MISC), if from and
                      to are keys
    type              contact, command, member, attack, travel, family, location or
                      co-occurrence (the default)
    evidence          the sentence that states it; from_text and to_text: the names as
                      the sentence writes them; cue: the words that state the relation
    negated, hedged   true when the sentence denies, or only alleges, the link
    confidence        0 to 1 (default 1); date: the sentence's date (YYYY-MM-DD)
    document, title, source
                      the document the sentence is from: an identifier, its title and
                      where it is held
  entities (name mapped): key, name, kind, alias (other names; several columns may
    map to alias, and a cell may list names separated by ;)
  incidents (date or event_id mapped): event_id, date (YYYY, YYYY-MM or YYYY-MM-DD),
    approx_date, country, region, province, city, latitude, longitude, attack_type,
    weapon_type, target_type, nationality (lists separated by ;, with *_code columns
    for GTD codes), perpetrator, claimed, killed, wounded, doubt, crit1, crit2, crit3,
    attribution (directed, enabled, inspired, branch, unknown), attributed_to,
    summary, actors (role|kind|name; ...), sources
A column whose header names a field is mapped to it unless --map says otherwise; other
columns are left out. The zip archive 'mosaic export csv' writes is read whole.`

// ignored are the columns Write adds that Read needs not: figures of the
// exporting store's network.
var ignored = []string{"community", "centrality", "degree", "first", "last", "origin", "weight", "collections"}

// table is the kind of rows a file holds.
type table int

const (
	noTable table = iota
	entities
	links
	incidents
)

var tableFields = map[table][]string{
	entities: {"key", "name", "kind", "alias"},
	links: {"from", "to", "from_name", "to_name", "from_kind", "to_kind", "type", "evidence", "from_text", "to_text",
		"cue", "negated", "hedged", "confidence", "date", "document", "title", "source", "sentence_start", "sentence_end"},
	incidents: {"event_id", "date", "approx_date", "country", "country_code", "region", "region_code", "province", "city",
		"latitude", "longitude", "attack_type", "attack_type_code", "weapon_type", "weapon_type_code", "target_type",
		"target_type_code", "nationality", "nationality_code", "perpetrator", "claimed", "killed", "wounded", "doubt",
		"crit1", "crit2", "crit3", "attribution", "attributed_to", "summary", "actors", "sources"},
}

// known reports whether a field is one some table takes.
func known(field string) bool {
	for _, fs := range tableFields {
		if slices.Contains(fs, field) {
			return true
		}
	}
	return false
}

// Read reads the zip archive Write makes, or one CSV table whose header
// names its fields (see Fields). Errors wrap exchange.ErrInvalid and name
// file, the row (the header is row 1) and the column.
func Read(r io.Reader, file string) (exchange.Case, error) {
	var rd Reader
	return rd.Read(r, file)
}

// ReadMapped is Read with a map from column headers to fields (see
// Reader.Mapping).
func ReadMapped(r io.Reader, file string, mapping map[string]string) (exchange.Case, error) {
	rd := Reader{Mapping: mapping}
	return rd.Read(r, file)
}

// Reader reads CSV files and counts what it leaves out.
type Reader struct {
	// Mapping maps column headers to fields: a column it maps is read as
	// that field, whatever its header; the others as their header says,
	// if it names a field.
	Mapping map[string]string
	// Skipped counts what Read left out: each column read as no field
	// (`column "Remarks"`), each file of an archive that is none of the
	// tables.
	Skipped exchange.Skipped
}

// Read reads a file as the package's Read does, with rd's Mapping, and
// counts in rd.Skipped what it leaves out.
func (rd *Reader) Read(r io.Reader, file string) (exchange.Case, error) {
	mapping := rd.Mapping
	for col, field := range mapping {
		if !known(field) {
			return exchange.Case{}, fmt.Errorf("%s: %w: --map %s=%s: no field %q", file, exchange.ErrInvalid, col, field, field)
		}
	}
	data, err := io.ReadAll(io.LimitReader(r, MaxSize+1))
	if err != nil {
		return exchange.Case{}, fmt.Errorf("%s: %w", file, err)
	}
	if len(data) > MaxSize {
		return exchange.Case{}, fmt.Errorf("%s: %w: larger than %d bytes", file, exchange.ErrInvalid, MaxSize)
	}
	b := newBuilder()
	b.skipped = &rd.Skipped
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) {
		err = b.readZip(data, file, mapping)
	} else {
		err = b.readTable(data, file, mapping, noTable)
	}
	if err != nil {
		return exchange.Case{}, err
	}
	if err := exchange.Validate(b.c); err != nil {
		return exchange.Case{}, fmt.Errorf("%s: %w", file, err)
	}
	return b.c, nil
}

func (b *builder) readZip(data []byte, file string, mapping map[string]string) error {
	z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return fmt.Errorf("%s: %w: not a zip archive: %v", file, exchange.ErrInvalid, err)
	}
	found := false
	for _, t := range []struct {
		name string
		t    table
	}{{EntitiesFile, entities}, {LinksFile, links}, {IncidentsFile, incidents}} {
		for _, f := range z.File {
			if path.Base(f.Name) != t.name {
				continue
			}
			found = true
			rc, err := f.Open()
			if err != nil {
				return fmt.Errorf("%s!%s: %w: %v", file, f.Name, exchange.ErrInvalid, err)
			}
			body, err := io.ReadAll(io.LimitReader(rc, MaxSize+1))
			rc.Close()
			if err != nil {
				return fmt.Errorf("%s!%s: %w: %v", file, f.Name, exchange.ErrInvalid, err)
			}
			if len(body) > MaxSize {
				return fmt.Errorf("%s!%s: %w: larger than %d bytes", file, f.Name, exchange.ErrInvalid, MaxSize)
			}
			if err := b.readTable(body, file+"!"+f.Name, mapping, t.t); err != nil {
				return err
			}
			break
		}
	}
	if !found {
		return fmt.Errorf("%s: %w: the archive holds none of %s, %s, %s", file, exchange.ErrInvalid, EntitiesFile, LinksFile, IncidentsFile)
	}
	for _, f := range z.File {
		if n := path.Base(f.Name); n != EntitiesFile && n != LinksFile && n != IncidentsFile && !f.FileInfo().IsDir() {
			b.skipped.Add("file " + f.Name)
		}
	}
	return nil
}

// row is one record with its fields.
type row struct {
	file string
	n    int
	cols []string // the field of each cell, or ""
	rec  []string
}

// errorf says which cell cannot be read, and why.
func (r *row) errorf(field, format string, args ...any) error {
	where := fmt.Sprintf("row %d", r.n)
	if field != "" {
		where += ", column " + field
	}
	return fmt.Errorf("%s: %w: %s: "+format, append([]any{r.file, exchange.ErrInvalid, where}, args...)...)
}

// get returns the first non-empty value of a field.
func (r *row) get(field string) string {
	for i, c := range r.cols {
		if c == field && i < len(r.rec) {
			if v := strings.TrimSpace(unescape(r.rec[i])); v != "" {
				return v
			}
		}
	}
	return ""
}

// all returns every value of a field, the cells split at ;.
func (r *row) all(field string) []string {
	var out []string
	for i, c := range r.cols {
		if c != field || i >= len(r.rec) {
			continue
		}
		for _, v := range strings.Split(unescape(r.rec[i]), ";") {
			out = append(out, strings.TrimSpace(v))
		}
	}
	for len(out) > 0 && out[len(out)-1] == "" {
		out = out[:len(out)-1]
	}
	return out
}

// unescape takes off the ' that safe puts before a formula.
func unescape(s string) string {
	if len(s) > 1 && s[0] == '\'' && strings.ContainsRune("=+-@\t\r", rune(s[1])) {
		return s[1:]
	}
	return s
}

func (b *builder) readTable(data []byte, file string, mapping map[string]string, t table) error {
	data = bytes.TrimPrefix(data, []byte("\ufeff")) // a spreadsheet's byte order mark
	cr := stdcsv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return fmt.Errorf("%s: %w: empty, without a header row", file, exchange.ErrInvalid)
	}
	if err != nil {
		return fmt.Errorf("%s: %w: %v", file, exchange.ErrInvalid, err)
	}
	cols := make([]string, len(header))
	have := map[string]bool{}
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !utf8.ValidString(h) {
			return fmt.Errorf("%s: row 1: %w: the header is not UTF-8", file, exchange.ErrInvalid)
		}
		field, ok := mapping[h]
		if !ok && known(strings.ToLower(h)) {
			field = strings.ToLower(h)
		}
		cols[i] = field
		have[field] = true
	}
	for col := range mapping {
		if !slices.Contains(header, col) && !slices.ContainsFunc(header, func(h string) bool { return strings.TrimSpace(h) == col }) {
			return fmt.Errorf("%s: %w: --map names a column %q the header does not have", file, exchange.ErrInvalid, col)
		}
	}
	if t == noTable {
		switch {
		case have["from"] && have["to"]:
			t = links
		case have["name"]:
			t = entities
		case have["date"] || have["event_id"]:
			t = incidents
		default:
			return fmt.Errorf("%s: %w: no column is from and to (links), name (entities) or date (incidents): say which with --map COLUMN=FIELD", file, exchange.ErrInvalid)
		}
	}
	for i, f := range cols {
		if f != "" && !slices.Contains(tableFields[t], f) && !slices.Contains(ignored, f) {
			cols[i] = "" // a field of another table
		}
		if h := strings.TrimSpace(header[i]); cols[i] == "" && h != "" && !slices.Contains(ignored, strings.ToLower(h)) {
			b.skipped.Add(fmt.Sprintf("column %q", h))
		}
	}
	switch {
	case t == links && (!have["from"] || !have["to"]):
		return fmt.Errorf("%s: %w: a table of links needs from and to columns", file, exchange.ErrInvalid)
	case t == entities && !have["name"]:
		return fmt.Errorf("%s: %w: a table of entities needs a name column", file, exchange.ErrInvalid)
	case t == incidents && !have["date"]:
		return fmt.Errorf("%s: %w: a table of incidents needs a date column", file, exchange.ErrInvalid)
	}
	for n := 2; ; n++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w: %v", file, exchange.ErrInvalid, err)
		}
		r := &row{file: file, n: n, cols: cols, rec: rec}
		blank := true
		for i, v := range rec {
			if !utf8.ValidString(v) {
				col := ""
				if i < len(cols) {
					col = cols[i]
				}
				return r.errorf(col, "not UTF-8 text")
			}
			if strings.TrimSpace(v) != "" {
				blank = false
			}
		}
		if blank {
			continue
		}
		switch t {
		case entities:
			err = b.entityRow(r)
		case links:
			err = b.linkRow(r)
		case incidents:
			err = b.incidentRow(r)
		}
		if err != nil {
			return err
		}
	}
}

// builder gathers a case from the rows of its tables.
type builder struct {
	// skipped counts what the files hold that the case does not take.
	skipped *exchange.Skipped
	c       exchange.Case
	byKey   map[string]int
	byName  map[string]int
	docs    map[mosaic.DocID]bool
	links   map[linkKey]int
}

type linkKey struct {
	from, to        string
	typ             mosaic.RelationType
	negated, hedged bool
}

func newBuilder() *builder {
	return &builder{skipped: &exchange.Skipped{}, byKey: map[string]int{}, byName: map[string]int{}, docs: map[mosaic.DocID]bool{}, links: map[linkKey]int{}}
}

// entity returns the entity of a key, or of a name when no key is given,
// making it if new, and adds the names to it.
func (b *builder) entity(key, name string, kind mosaic.MentionType, origin string, aliases ...string) *exchange.Entity {
	i, ok := b.byKey[key]
	if !ok && name == "" {
		i, ok = b.byName[strings.ToLower(key)]
	}
	if !ok {
		i = len(b.c.Entities)
		b.c.Entities = append(b.c.Entities, exchange.Entity{Key: key, Name: cmp.Or(name, key), Community: -1, Origin: origin})
		b.byKey[key] = i
	}
	e := &b.c.Entities[i]
	if name != "" && e.Name == e.Key && name != e.Key {
		// A name for an entity known by its key alone so far.
		e.Names = slices.DeleteFunc(e.Names, func(n string) bool { return n == e.Key })
		e.Name = name
	}
	if kind != "" {
		e.Kind = kind
	}
	for _, n := range append([]string{e.Name, name}, aliases...) {
		if n != "" && !slices.Contains(e.Names, n) {
			e.Names = append(e.Names, n)
		}
	}
	// The name first, as a case's Names are.
	if j := slices.Index(e.Names, e.Name); j > 0 {
		e.Names = slices.Insert(slices.Delete(e.Names, j, j+1), 0, e.Name)
	}
	for _, n := range e.Names {
		if _, ok := b.byName[strings.ToLower(n)]; !ok {
			b.byName[strings.ToLower(n)] = i
		}
	}
	return e
}

func (b *builder) entityRow(r *row) error {
	name := r.get("name")
	if name == "" {
		return r.errorf("name", "no name")
	}
	kind, err := kindOf(r, "kind")
	if err != nil {
		return err
	}
	key := r.get("key")
	if key == "" {
		key = name
	}
	b.entity(key, name, kind, fmt.Sprintf("%s row %d", path.Base(r.file), r.n), r.all("alias")...)
	return nil
}

// kinds are the words a kind column may hold, lower-cased.
var kinds = map[string]mosaic.MentionType{
	"person": mosaic.Person, "people": mosaic.Person, "individual": mosaic.Person,
	"org": mosaic.Org, "organisation": mosaic.Org, "organization": mosaic.Org, "group": mosaic.Org,
	"location": mosaic.Location, "place": mosaic.Location, "misc": mosaic.Misc, "other": mosaic.Misc,
	"date": mosaic.Date, "email": mosaic.Email, "phone": mosaic.Phone, "url": mosaic.URL, "ip": mosaic.IP,
}

func kindOf(r *row, field string) (mosaic.MentionType, error) {
	v := r.get(field)
	if v == "" {
		return "", nil
	}
	k, ok := kinds[strings.ToLower(v)]
	if !ok {
		return "", r.errorf(field, "kind %q: want PERSON, ORG, LOCATION or MISC", v)
	}
	return k, nil
}

func (b *builder) linkRow(r *row) error {
	ends := [2]*exchange.Entity{}
	for i, side := range []string{"from", "to"} {
		key := r.get(side)
		if key == "" {
			return r.errorf(side, "empty")
		}
		kind, err := kindOf(r, side+"_kind")
		if err != nil {
			return err
		}
		ends[i] = b.entity(key, r.get(side+"_name"), kind, fmt.Sprintf("%s row %d", path.Base(r.file), r.n))
	}
	if ends[0].Key == ends[1].Key {
		return r.errorf("to", "%q is linked to itself", ends[0].Name)
	}
	typ := mosaic.CoOccur
	if v := r.get("type"); v != "" {
		typ = mosaic.RelationType(strings.ToLower(v))
		if !slices.Contains(exchange.RelationTypes, typ) {
			return r.errorf("type", "unknown type %q: want contact, command, member, attack, travel, family, location or co-occurrence", v)
		}
	}
	var flags [2]bool
	for i, f := range []string{"negated", "hedged"} {
		v, err := boolOf(r, f)
		if err != nil {
			return err
		}
		flags[i] = v.Valid && v.Value
	}
	k := linkKey{ends[0].Key, ends[1].Key, typ, flags[0], flags[1]}
	i, ok := b.links[k]
	if !ok {
		i = len(b.c.Links)
		b.links[k] = i
		b.c.Links = append(b.c.Links, exchange.Link{From: k.from, To: k.to, Type: typ, Negated: k.negated, Hedged: k.hedged,
			Origin: fmt.Sprintf("%s row %d", path.Base(r.file), r.n)})
	}
	l := &b.c.Links[i]
	text := r.get("evidence")
	if text == "" {
		return nil
	}
	ev := exchange.Evidence{Text: text, FromText: r.get("from_text"), ToText: r.get("to_text"), Cue: r.get("cue"), Confidence: 1}
	if v := r.get("confidence"); v != "" {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || !(f >= 0 && f <= 1) {
			return r.errorf("confidence", "%q: want a number from 0 to 1", v)
		}
		ev.Confidence = f
	}
	if v := r.get("date"); v != "" {
		t, err := dateOf(v)
		if err != nil {
			return r.errorf("date", "%q: want YYYY-MM-DD", v)
		}
		ev.Date = t
	}
	start, err1 := strconv.Atoi(r.get("sentence_start"))
	end, err2 := strconv.Atoi(r.get("sentence_end"))
	if err1 == nil && err2 == nil && start >= 0 && end >= start {
		ev.Sentence = mosaic.Span{Start: start, End: end}
	}
	doc, title := r.get("document"), r.get("title")
	if doc == "" {
		doc = title
	}
	if doc != "" {
		ev.Doc = mosaic.DocID(doc)
		if !b.docs[ev.Doc] {
			b.docs[ev.Doc] = true
			b.c.Documents = append(b.c.Documents, exchange.Document{ID: ev.Doc, Title: title, Source: r.get("source"), Date: ev.Date})
		}
	}
	l.Evidence = append(l.Evidence, ev)
	l.Weight += ev.Confidence
	if !ev.Date.IsZero() {
		if l.First.IsZero() || ev.Date.Before(l.First) {
			l.First = ev.Date
		}
		if ev.Date.After(l.Last) {
			l.Last = ev.Date
		}
	}
	return nil
}

func dateOf(v string) (time.Time, error) {
	if t, err := time.Parse(time.DateOnly, v); err == nil {
		return t, nil
	}
	return time.Parse(time.RFC3339, v)
}

func boolOf(r *row, field string) (mosaic.Known[bool], error) {
	switch v := strings.ToLower(r.get(field)); v {
	case "":
		return mosaic.Known[bool]{}, nil
	case "true", "yes", "y", "1":
		return mosaic.Some(true), nil
	case "false", "no", "n", "0":
		return mosaic.Some(false), nil
	default:
		return mosaic.Known[bool]{}, r.errorf(field, "%q: want true or false", v)
	}
}

func intOf(r *row, field string) (mosaic.Known[int], error) {
	v := r.get(field)
	if v == "" {
		return mosaic.Known[int]{}, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		f, ferr := strconv.ParseFloat(v, 64) // a spreadsheet's "2.0"
		if ferr != nil || f != math.Trunc(f) || math.Abs(f) > 1e9 {
			return mosaic.Known[int]{}, r.errorf(field, "%q: want a whole number", v)
		}
		n = int(f)
	}
	if n < 0 { // GTD writes -9 and -99 for unknown
		return mosaic.Known[int]{}, nil
	}
	return mosaic.Some(n), nil
}

func floatOf(r *row, field string, limit float64) (mosaic.Known[float64], error) {
	v := r.get(field)
	if v == "" {
		return mosaic.Known[float64]{}, nil
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || !(f >= -limit && f <= limit) {
		return mosaic.Known[float64]{}, r.errorf(field, "%q: want a number from %v to %v", v, -limit, limit)
	}
	return mosaic.Some(f), nil
}

// codes pairs a list of names with its list of codes.
func codes(r *row, field string) ([]mosaic.Code, error) {
	names, ids := r.all(field), r.all(field+"_code")
	var out []mosaic.Code
	for i := range max(len(names), len(ids)) {
		var c mosaic.Code
		if i < len(names) {
			c.Name = names[i]
		}
		if i < len(ids) && ids[i] != "" {
			n, err := strconv.Atoi(ids[i])
			if err != nil || n < 1 {
				return nil, r.errorf(field+"_code", "%q: want a code from 1", ids[i])
			}
			c.ID = n
		}
		if !c.IsZero() {
			out = append(out, c)
		}
	}
	return out, nil
}

func (b *builder) incidentRow(r *row) error {
	var in mosaic.Incident
	v := r.get("date")
	if v == "" {
		return r.errorf("date", "no date")
	}
	if err := in.Date.UnmarshalText([]byte(v)); err != nil {
		return r.errorf("date", "%v", err)
	}
	in.EventID, in.ApproxDate, in.Province, in.City = r.get("event_id"), r.get("approx_date"), r.get("province"), r.get("city")
	in.Summary, in.AttributedTo = r.get("summary"), r.get("attributed_to")
	var err error
	for _, c := range []struct {
		field string
		to    *mosaic.Code
	}{{"country", &in.Country}, {"region", &in.Region}} {
		cs, err := codes(r, c.field)
		if err != nil {
			return err
		}
		if len(cs) > 0 {
			*c.to = mosaic.Code{ID: cs[0].ID, Name: r.get(c.field)}
		}
	}
	if in.Latitude, err = floatOf(r, "latitude", 90); err != nil {
		return err
	}
	if in.Longitude, err = floatOf(r, "longitude", 180); err != nil {
		return err
	}
	for _, c := range []struct {
		field string
		to    *[]mosaic.Code
	}{{"attack_type", &in.AttackTypes}, {"weapon_type", &in.WeaponTypes}, {"target_type", &in.TargetTypes}, {"nationality", &in.Nationalities}} {
		if *c.to, err = codes(r, c.field); err != nil {
			return err
		}
	}
	for _, p := range r.all("perpetrator") {
		if p != "" {
			in.Perpetrators = append(in.Perpetrators, p)
		}
	}
	for _, k := range []struct {
		field string
		to    *mosaic.Known[bool]
	}{{"claimed", &in.Claimed}, {"doubt", &in.Doubt}, {"crit1", &in.Crit1}, {"crit2", &in.Crit2}, {"crit3", &in.Crit3}} {
		if *k.to, err = boolOf(r, k.field); err != nil {
			return err
		}
	}
	if in.Killed, err = intOf(r, "killed"); err != nil {
		return err
	}
	if in.Wounded, err = intOf(r, "wounded"); err != nil {
		return err
	}
	if v := r.get("attribution"); v != "" {
		a := mosaic.Attribution(strings.ToLower(v))
		if !slices.Contains([]mosaic.Attribution{mosaic.Directed, mosaic.Enabled, mosaic.Inspired, mosaic.ClaimedByBranch, mosaic.AttributionUnknown}, a) {
			return r.errorf("attribution", "%q: want directed, enabled, inspired, branch or unknown", v)
		}
		in.Attribution = a
	}
	for _, a := range r.all("actors") {
		if a == "" {
			continue
		}
		parts := strings.SplitN(a, "|", 3)
		if len(parts) != 3 || strings.TrimSpace(parts[2]) == "" {
			return r.errorf("actors", "%q: want role|kind|name", a)
		}
		kind := mosaic.MentionType(strings.ToUpper(strings.TrimSpace(parts[1])))
		if kind != "" && kind != mosaic.Person && kind != mosaic.Org {
			return r.errorf("actors", "%q: the kind is PERSON or ORG", a)
		}
		in.Actors = append(in.Actors, mosaic.IncidentActor{Role: strings.TrimSpace(parts[0]), Kind: kind, Name: strings.TrimSpace(parts[2])})
	}
	for _, s := range r.all("sources") {
		if s != "" {
			in.Sources = append(in.Sources, mosaic.IncidentSource{Name: s})
		}
	}
	if len(in.Sources) == 0 {
		in.Sources = []mosaic.IncidentSource{{Name: fmt.Sprintf("%s row %d", path.Base(r.file), r.n)}}
	}
	b.c.Incidents = append(b.c.Incidents, in)
	return nil
}

func zipReader(data []byte) (*zip.Reader, error) {
	return zip.NewReader(bytes.NewReader(data), int64(len(data)))
}
