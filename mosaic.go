// Package mosaic is the shared vocabulary of the Mosaic investigation workbench:
// documents, the mentions and relations found in them, and the identifiers that
// tie them together. It holds plain values only; it does no I/O and imports
// nothing from the rest of the module, so every stage can hand these values to
// the next without knowing how it works.
package mosaic

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DocID identifies a document by content: the lower-case hex SHA-256 of the
// bytes it was read from. Loading the same bytes twice yields the same DocID,
// which is how Mosaic stores a document once however often it is ingested.
type DocID string

// NewDocID returns the content address of data.
func NewDocID(data []byte) DocID {
	sum := sha256.Sum256(data)
	return DocID(hex.EncodeToString(sum[:]))
}

// Short returns the first 12 hex digits, enough to tell documents apart in
// progress output.
func (id DocID) Short() string {
	if len(id) > 12 {
		return string(id[:12])
	}
	return string(id)
}

// Format names the file format a document was read from.
type Format string

// The formats Mosaic reads.
const (
	FormatText Format = "text"
	FormatHTML Format = "html"
	FormatPDF  Format = "pdf"
	FormatDOCX Format = "docx"
	FormatMail Format = "eml"
	FormatCSV  Format = "csv"
	FormatJSON Format = "json"
)

// Document is one unit of text an analyst reads: a file, an e-mail, an
// attachment, or one record of a CSV or JSON file.
type Document struct {
	// ID is the content address of the bytes the document was read from.
	ID DocID `json:"id"`
	// Parent is the document this one came out of: the e-mail of an
	// attachment, the file of a CSV or JSON record. Empty for top-level files.
	Parent DocID `json:"parent,omitempty"`
	// Title is the document's own title (HTML title, e-mail subject, DOCX
	// title) or, failing that, its file name.
	Title string `json:"title"`
	// Text is the extracted plain text, valid UTF-8. Every Mention's byte
	// offsets index into it.
	Text string `json:"text,omitempty"`
	// Date is when the document was written, if the document says so; the
	// zero time otherwise. It anchors relative dates such as "last year".
	Date time.Time `json:"date,omitzero"`
	// Format is the file format the text was read from.
	Format Format `json:"format"`
	// Source is the path the document was read from; inside an archive or an
	// e-mail it is "outer!inner".
	Source string `json:"source"`
	// Size is the number of bytes the document was read from.
	Size int64 `json:"size"`
	// Meta holds format-specific metadata: e-mail headers, PDF and DOCX
	// properties, the columns of a record, and under MetaWarning what the
	// parser could not read as written.
	Meta map[string]string `json:"meta,omitempty"`
}

// MetaWarning is the Meta key under which a parser says what of a file it
// read only in part or not as written (NUL bytes read as spaces, a page
// read without its structure). The document is stored; ingest reports the
// warning and exits non-zero.
const MetaWarning = "Warning"

// A text too long to read at once is stored as parts: documents of at
// most a window each, cut at line breaks, whose Parent is the ID of the
// whole (there is no document for the whole). MetaPart gives a part's
// number, from 1; MetaPartOffset the byte offset of its text in the text
// of the whole.
const (
	MetaPart       = "Part"
	MetaPartOffset = "PartOffset"
)

// Span is a half-open range [Start, End) of UTF-8 byte offsets into a
// document's text.
type Span struct {
	Start int `json:"start"`
	End   int `json:"end"`
}

// Len returns the number of bytes in the span.
func (s Span) Len() int { return s.End - s.Start }

// MentionType is the kind of thing a mention names.
type MentionType string

// Mention types: the named-entity classes and the pattern classes.
const (
	Person   MentionType = "PERSON"
	Org      MentionType = "ORG"
	Location MentionType = "LOCATION"
	Misc     MentionType = "MISC"
	Date     MentionType = "DATE"
	Email    MentionType = "EMAIL"
	Phone    MentionType = "PHONE"
	URL      MentionType = "URL"
	IP       MentionType = "IP"
)

// Mention is a typed span of a document's text.
type Mention struct {
	// Start and End are UTF-8 byte offsets into the document text.
	Start int         `json:"start"`
	End   int         `json:"end"`
	Type  MentionType `json:"type"`
	// Text is the document text between Start and End.
	Text string `json:"text"`
	// Norm is the normalised value where the type has one: an ISO 8601 date
	// or period for DATE ("2016-06-12", "2016-06", "2016"), a lower-cased
	// address for EMAIL, digits with an optional leading + for PHONE.
	Norm string `json:"norm,omitempty"`
	// Sentence is the span of the sentence the mention stands in.
	Sentence Span `json:"sentence"`
	// Confidence is the recogniser's belief in the mention, in (0, 1].
	Confidence float64 `json:"confidence"`
	// Entity is the entity resolution tied the mention to, as it reads
	// after analysts' merges; zero until resolved, and for pattern types.
	Entity EntityID `json:"entity,omitempty"`
}

// Span returns the mention's byte range.
func (m Mention) Span() Span { return Span{m.Start, m.End} }

// NormIdentifier brings a phone number or e-mail address to the form a
// mention's Norm holds, so that one typed by an analyst meets the
// mentions extraction found: an e-mail address trimmed and lower-cased; a
// phone number reduced to its digits, a leading + kept and a leading 00
// read as +. A Norm normalises to itself; another type's value is only
// trimmed.
func NormIdentifier(t MentionType, value string) string {
	value = strings.TrimSpace(value)
	switch t {
	case Email:
		return strings.ToLower(value)
	case Phone:
		var b strings.Builder
		for i, r := range value {
			switch {
			case r == '+' && i == 0:
				b.WriteByte('+')
			case r >= '0' && r <= '9':
				b.WriteRune(r)
			}
		}
		n := b.String()
		if strings.HasPrefix(n, "00") {
			n = "+" + n[2:]
		}
		if n == "+" {
			return ""
		}
		return n
	}
	return value
}

// RelationType is the kind of link a sentence states between two mentions.
type RelationType string

// Relation types. In a typed relation From is the agent or holder and To the
// one acted on or held to; CoOccur alone is undirected.
const (
	// Contact: From was in touch with To — called, met, messaged, e-mailed,
	// spoke to, corresponded with. Either side may be a phone number or an
	// e-mail address as well as a person or organisation.
	Contact RelationType = "contact"
	// Command: From ordered, sent, directed, instructed, tasked or
	// recruited To, or told To to act.
	Command RelationType = "command"
	// Member: From holds a role in To, a group or, now and then, a person:
	// member, leader, emir, founder, spokesman. The relation's Cue names the
	// role ("spokesman of", "the group's spokesman").
	Member RelationType = "member"
	// Attack: From attacked, stabbed, shot, bombed or killed To, a person
	// or a target, or carried out an attack at To, a place.
	Attack RelationType = "attack"
	// Travel: From travelled to, returned from or visited To, a place.
	Travel RelationType = "travel"
	// Family: From is To's brother, sister, cousin, son, father, wife, ...;
	// the Cue says which.
	Family RelationType = "family"
	// LocatedIn: From lives in, is based in or comes from To, a place.
	LocatedIn RelationType = "location"
	// CoOccur: the two are named in one sentence that states no typed
	// relation between them. The weakest evidence of a link; From is the
	// earlier mention.
	CoOccur RelationType = "co-occurrence"
)

// Relation is a link between two mentions of one document, with the sentence
// that states it.
type Relation struct {
	Type RelationType `json:"type"`
	// From and To index the mentions of the same extraction result.
	From int `json:"from"`
	To   int `json:"to"`
	// Sentence is the evidence: the byte span of the sentence that says so.
	Sentence Span `json:"sentence"`
	// Negated records "was not in touch with"; Hedged records "allegedly".
	Negated bool `json:"negated,omitempty"`
	Hedged  bool `json:"hedged,omitempty"`
	// Cue is the phrase that states a typed relation, as written: "was in
	// touch with", "spokesman of", "is the brother of". Empty for CoOccur.
	Cue string `json:"cue,omitempty"`
	// Confidence is how likely the relation is to be right, in (0, 1]: for
	// a relation the learned classifier found, its probability; for one a
	// rule found, the precision measured for that rule type; for CoOccur,
	// the share of co-occurring names that are related at all.
	Confidence float64 `json:"confidence"`
}

// EntityID identifies an entity: the mentions, across documents, believed to
// name one real person, organisation or place. IDs are assigned by the store
// and never reused.
type EntityID int64

// Entity is one resolved person, organisation, place or thing.
type Entity struct {
	ID EntityID `json:"id"`
	// Kind is the mention type its mentions carry: PERSON, ORG, LOCATION
	// or MISC.
	Kind MentionType `json:"kind"`
	// Name is the canonical name: the fullest name it was introduced by.
	Name string `json:"name"`
}

// Known is a value that may be unknown. Incident records say "not known"
// often (GTD writes -9, -99 or nothing), and an unknown count of dead read
// as zero would make every sum and rate wrong, so such fields carry Known
// rather than a bare value. In JSON an unknown value is null; with omitzero
// it is left out.
type Known[T any] struct {
	Value T
	// Valid is true when Value is known.
	Valid bool
}

// Some returns v as a known value.
func Some[T any](v T) Known[T] { return Known[T]{Value: v, Valid: true} }

// Get returns the value and whether it is known.
func (k Known[T]) Get() (T, bool) { return k.Value, k.Valid }

// MarshalJSON writes the value, or null when it is unknown.
func (k Known[T]) MarshalJSON() ([]byte, error) {
	if !k.Valid {
		return []byte("null"), nil
	}
	return json.Marshal(k.Value)
}

// UnmarshalJSON reads a value, or null as unknown.
func (k *Known[T]) UnmarshalJSON(data []byte) error {
	if bytes.Equal(bytes.TrimSpace(data), []byte("null")) {
		*k = Known[T]{}
		return nil
	}
	var v T
	if err := json.Unmarshal(data, &v); err != nil {
		return err
	}
	*k = Some(v)
	return nil
}

// IncidentID identifies an incident. IDs are assigned by the store and
// never reused; zero means not stored yet.
type IncidentID int64

// IncidentDate is the day an attack happened, as precisely as it is known:
// the year always, the month and the day when the source gives them. GTD
// writes 0 for an unknown month or day; here they are unknown, never zero,
// so "July 2016" is not read as 2016-07-00 or 2016-07-01.
type IncidentDate struct {
	Year  int
	Month Known[time.Month]
	Day   Known[int]
}

// IsZero reports whether no date is known at all.
func (d IncidentDate) IsZero() bool { return d.Year == 0 }

// Key orders dates: year*10000 + month*100 + day, an unknown month or day
// counting 0, so that a date known only to its year sorts before every
// day of that year. The store orders incidents by it, and so do merged
// attacks and their cursors.
func (d IncidentDate) Key() int {
	k := d.Year * 10000
	if m, ok := d.Month.Get(); ok {
		k += int(m) * 100
	}
	if day, ok := d.Day.Get(); ok {
		k += day
	}
	return k
}

// Time returns the date as midnight UTC when year, month and day are all
// known, and false otherwise.
func (d IncidentDate) Time() (time.Time, bool) {
	if d.Year == 0 || !d.Month.Valid || !d.Day.Valid {
		return time.Time{}, false
	}
	return time.Date(d.Year, d.Month.Value, d.Day.Value, 0, 0, 0, 0, time.UTC), true
}

// String writes the known parts: "2016-07-01", "2016-07", "2016", or ""
// for no date.
func (d IncidentDate) String() string {
	switch {
	case d.Year == 0:
		return ""
	case !d.Month.Valid:
		return fmt.Sprintf("%04d", d.Year)
	case !d.Day.Valid:
		return fmt.Sprintf("%04d-%02d", d.Year, int(d.Month.Value))
	}
	return fmt.Sprintf("%04d-%02d-%02d", d.Year, int(d.Month.Value), d.Day.Value)
}

// MarshalText writes the date as String does, so JSON carries "2016-07"
// for a month-only date.
func (d IncidentDate) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "YYYY", "YYYY-MM" or "YYYY-MM-DD", or "" for no date.
func (d *IncidentDate) UnmarshalText(b []byte) error {
	s := string(b)
	*d = IncidentDate{}
	if s == "" {
		return nil
	}
	parts := strings.Split(s, "-")
	if len(parts) > 3 || len(parts[0]) != 4 {
		return fmt.Errorf("incident date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	var n [3]int
	for i, p := range parts {
		v, err := strconv.Atoi(p)
		if err != nil || v < 1 {
			return fmt.Errorf("incident date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
		}
		n[i] = v
	}
	d.Year = n[0]
	if len(parts) > 1 {
		if n[1] > 12 {
			return fmt.Errorf("incident date %q: no month %d", s, n[1])
		}
		d.Month = Some(time.Month(n[1]))
	}
	if len(parts) > 2 {
		if t := time.Date(n[0], time.Month(n[1]), n[2], 0, 0, 0, 0, time.UTC); t.Day() != n[2] {
			return fmt.Errorf("incident date %q: no such day", s)
		}
		d.Day = Some(n[2])
	}
	return nil
}

// Code is one entry of a GTD codebook list (country, region, attack,
// weapon or target type, nationality): the number and its name as the
// source wrote it. Every GTD codebook list numbers from 1, so an ID of 0
// means no code is known, never a code.
type Code struct {
	ID   int    `json:"id,omitzero"`
	Name string `json:"name,omitempty"`
}

// IsZero reports whether neither the code nor its name is known.
func (c Code) IsZero() bool { return c.ID == 0 && c.Name == "" }

// Attribution is how an attack relates to the group it is attributed to.
// The distinction matters to the analyst: a directed attack shows the
// group's reach, an inspired one only its propaganda's.
type Attribution string

// Attribution classes.
const (
	// Directed: the group planned the attack or gave material support.
	Directed Attribution = "directed"
	// Enabled: attack-specific contact with the group, without material
	// support.
	Enabled Attribution = "enabled"
	// Inspired: the group's propaganda only.
	Inspired Attribution = "inspired"
	// ClaimedByBranch: claimed by or carried out by a branch or province
	// of the group.
	ClaimedByBranch Attribution = "branch"
	// AttributionUnknown: the sources do not say; GTD rows carry it.
	AttributionUnknown Attribution = "unknown"
)

// IncidentSource is one record an incident was read from. An attack
// reported by several sources is one incident with a source for each.
type IncidentSource struct {
	// Name names the source: "GTD" for a GTD-layout row, otherwise the
	// kind of document it was found in.
	Name string `json:"name"`
	// Doc is the document the record is in, when it has been stored as one.
	Doc DocID `json:"doc,omitempty"`
	// Row is the record's row in a table, counting the header as row 1 as
	// a spreadsheet does; 0 for a source that is not a table.
	Row int `json:"row,omitzero"`
}

// Incident is one attack, in the fields of the Global Terrorism Database
// codebook plus Mosaic's attribution class and the sources it came from.
// Everything a source may leave unknown is a Known or a zero Code, and
// lists hold only what the source gives (GTD's up to three attack types
// hold one entry when one is coded).
type Incident struct {
	ID IncidentID `json:"id,omitzero"`
	// EventID is the GTD eventid as written (12 digits: date and a
	// sequence number); empty for an incident no GTD row gave.
	EventID string `json:"event_id,omitempty"`
	// Date is when the attack happened, to the precision known.
	Date IncidentDate `json:"date,omitzero"`
	// ApproxDate is the source's own words for an uncertain date.
	ApproxDate string         `json:"approx_date,omitempty"`
	Country    Code           `json:"country,omitzero"`
	Region     Code           `json:"region,omitzero"`
	Province   string         `json:"province,omitempty"`
	City       string         `json:"city,omitempty"`
	Latitude   Known[float64] `json:"latitude,omitzero"`
	Longitude  Known[float64] `json:"longitude,omitzero"`
	// AttackTypes, WeaponTypes and TargetTypes are GTD codes in the
	// source's order, the first being the main one.
	AttackTypes []Code `json:"attack_types,omitempty"`
	WeaponTypes []Code `json:"weapon_types,omitempty"`
	TargetTypes []Code `json:"target_types,omitempty"`
	// Nationalities are the victims' nationalities, one per target.
	Nationalities []Code `json:"nationalities,omitempty"`
	// Perpetrators are the group names as written, up to three in GTD.
	// GTD writes "Unknown" for an unknown group; it is kept as written.
	Perpetrators []string `json:"perpetrators,omitempty"`
	// Claimed is whether a group claimed the attack.
	Claimed Known[bool] `json:"claimed,omitzero"`
	// Killed and Wounded count victims and perpetrators alike, as GTD's
	// nkill and nwound do.
	Killed  Known[int] `json:"killed,omitzero"`
	Wounded Known[int] `json:"wounded,omitzero"`
	// Doubt is GTD's doubtterr: true when there is doubt that the attack
	// was terrorism rather than, say, insurgency or crime.
	Doubt Known[bool] `json:"doubt,omitzero"`
	// Crit1, Crit2 and Crit3 are GTD's inclusion criteria: a political,
	// economic, religious or social goal; intent to coerce or intimidate
	// an audience beyond the victims; outside international humanitarian
	// law.
	Crit1   Known[bool] `json:"crit1,omitzero"`
	Crit2   Known[bool] `json:"crit2,omitzero"`
	Crit3   Known[bool] `json:"crit3,omitzero"`
	Summary string      `json:"summary,omitempty"`
	// Attribution is how the attack relates to the first perpetrator, or,
	// when the sources name no group, to AttributedTo.
	Attribution Attribution `json:"attribution,omitempty"`
	// AttributedTo is the group the attribution class relates the attack
	// to when it is not the first perpetrator: the group a path of contact
	// or command leads to from an attacker, found when the incident is
	// read (see network.Attribute). Empty when Perpetrators[0] is meant.
	AttributedTo string `json:"attributed_to,omitempty"`
	// Sources are the records the incident was read from.
	Sources []IncidentSource `json:"sources,omitempty"`
	// Actors are the people and groups the incident involves, as written
	// in a document, each tied to its entity when the incident is read.
	Actors []IncidentActor `json:"actors,omitempty"`
	// Evidence holds, for each field read from text, the sentence that
	// supports it and how sure the reading is. A GTD row has none but its
	// summary's sentence, when its table was ingested as a document.
	Evidence []IncidentEvidence `json:"evidence,omitempty"`
}

// Incident fields evidence supports (IncidentEvidence.Field).
const (
	FieldDate        = "date"
	FieldPlace       = "place"
	FieldAttackType  = "attack_type"
	FieldWeapon      = "weapon"
	FieldTarget      = "target"
	FieldKilled      = "killed"
	FieldWounded     = "wounded"
	FieldPerpetrator = "perpetrator"
	FieldClaim       = "claim"
	FieldAttribution = "attribution"
	FieldSummary     = "summary"
)

// IncidentEvidence is the sentence one field of an incident was read from.
type IncidentEvidence struct {
	// Field is one of the Field constants.
	Field string `json:"field"`
	// Value is the field's value as read: "2016-06-24", "Birmingham,
	// United Kingdom", "Armed Assault", "2", "Karim Bouzidi".
	Value string `json:"value"`
	// Doc and Sentence locate the sentence; Quote is the sentence as
	// written, kept so that the incident explains itself without another
	// read (it is sealed with the incident).
	Doc      DocID  `json:"doc,omitempty"`
	Sentence Span   `json:"sentence"`
	Quote    string `json:"quote,omitempty"`
	// Confidence is how likely the reading is to be right, in (0, 1].
	Confidence float64 `json:"confidence"`
}

// Incident actor roles (IncidentActor.Role).
const (
	// RoleAttacker is a person who carried out the attack.
	RoleAttacker = "attacker"
	// RoleGroup is a group the sources say carried out or directed it.
	RoleGroup = "group"
	// RoleClaimant is a group or outlet that claimed it.
	RoleClaimant = "claimant"
	// RoleInspiration is a group or person whose propaganda the sources say
	// inspired it.
	RoleInspiration = "inspiration"
	// RoleVictim is a person attacked.
	RoleVictim = "victim"
)

// IncidentActor is a person or group an incident involves, as a document
// names them.
type IncidentActor struct {
	Role string `json:"role"`
	// Name is the mention as written.
	Name string `json:"name"`
	// Kind is the mention's type: PERSON or ORG.
	Kind MentionType `json:"kind,omitempty"`
	// Doc and Mention locate the mention, so that it is tied to its
	// entity as resolution reads when the incident is read.
	Doc     DocID `json:"doc,omitempty"`
	Mention Span  `json:"mention"`
	// Entity is the mention's entity, filled in when the incident is read;
	// zero when unresolved.
	Entity EntityID `json:"entity,omitempty"`
}
