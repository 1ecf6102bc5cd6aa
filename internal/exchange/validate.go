package exchange

import (
	"errors"
	"fmt"
	"slices"
	"time"
	"unicode/utf8"

	"mosaic"
)

// ErrInvalid means a case cannot be loaded as it is: a link names an
// entity the case does not hold, an entity has no name, an incident no
// year. Readers of formats wrap it too, for a file that cannot be read.
var ErrInvalid = errors.New("invalid case")

// RelationTypes are the link types a case may carry.
var RelationTypes = []mosaic.RelationType{mosaic.Contact, mosaic.Command, mosaic.Member, mosaic.Attack,
	mosaic.Travel, mosaic.Family, mosaic.LocatedIn, mosaic.CoOccur}

// Kinds are the entity kinds a case may carry. Load stores a kind that
// resolution does not make entities of (an e-mail address, a phone
// number) as MISC.
var Kinds = []mosaic.MentionType{mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc,
	mosaic.Date, mosaic.Email, mosaic.Phone, mosaic.URL, mosaic.IP}

// Validate checks that a case can be loaded: every entity has a unique
// key and a name, every link joins two different entities of the case
// with a known type, confidences lie in [0, 1], text is UTF-8, and every
// incident has a date Load can store. The error wraps ErrInvalid and
// names the first object at fault.
func Validate(c Case) error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("%w: "+format, append([]any{ErrInvalid}, args...)...)
	}
	text := func(what string, ss ...string) error {
		for _, s := range ss {
			if !utf8.ValidString(s) {
				return bad("%s: text is not UTF-8", what)
			}
		}
		return nil
	}
	keys := map[string]bool{}
	for i, e := range c.Entities {
		what := fmt.Sprintf("entity %d (key %q)", i+1, e.Key)
		switch {
		case e.Key == "":
			return bad("entity %d (%q): no key", i+1, e.Name)
		case keys[e.Key]:
			return bad("%s: key given twice", what)
		case OneLine(e.Name) == "":
			return bad("%s: no name", what)
		case e.Kind != "" && !slices.Contains(Kinds, e.Kind):
			return bad("%s: unknown kind %q", what, e.Kind)
		}
		keys[e.Key] = true
		if err := text(what, append([]string{e.Key, e.Name, e.Origin}, e.Names...)...); err != nil {
			return err
		}
	}
	docs := map[mosaic.DocID]bool{}
	for i, d := range c.Documents {
		what := fmt.Sprintf("document %d (%q)", i+1, d.ID)
		if d.ID == "" {
			return bad("document %d (%q): no id", i+1, d.Title)
		}
		if docs[d.ID] {
			return bad("%s: id given twice", what)
		}
		docs[d.ID] = true
		if err := text(what, string(d.ID), d.Title, d.Source); err != nil {
			return err
		}
	}
	for i, l := range c.Links {
		what := fmt.Sprintf("link %d (%s %s %s)", i+1, l.From, l.Type, l.To)
		switch {
		case !keys[l.From]:
			return bad("%s: no entity with key %q", what, l.From)
		case !keys[l.To]:
			return bad("%s: no entity with key %q", what, l.To)
		case l.From == l.To:
			return bad("%s: an entity linked to itself", what)
		case !slices.Contains(RelationTypes, l.Type):
			return bad("%s: unknown type %q", what, l.Type)
		}
		for j, ev := range l.Evidence {
			if ev.Confidence < 0 || ev.Confidence > 1 || ev.Confidence != ev.Confidence {
				return bad("%s, evidence %d: confidence %v outside [0, 1]", what, j+1, ev.Confidence)
			}
			if err := text(fmt.Sprintf("%s, evidence %d", what, j+1), string(ev.Doc), ev.Text, ev.FromText, ev.ToText, ev.Cue); err != nil {
				return err
			}
		}
	}
	for i, in := range c.Incidents {
		what := fmt.Sprintf("incident %d (event %q)", i+1, in.EventID)
		d := in.Date
		switch {
		case d.Year < 1 || d.Year > 9999:
			return bad("%s: no year, or a year outside 1-9999", what)
		case d.Month.Valid && (d.Month.Value < 1 || d.Month.Value > 12):
			return bad("%s: no month %d", what, d.Month.Value)
		case d.Day.Valid && (d.Day.Value < 1 || d.Day.Value > 31):
			return bad("%s: no day %d", what, d.Day.Value)
		case d.Day.Valid && !d.Month.Valid:
			return bad("%s: a day without a month", what)
		}
		if d.Day.Valid {
			if t := time.Date(d.Year, d.Month.Value, d.Day.Value, 0, 0, 0, 0, time.UTC); t.Day() != d.Day.Value {
				return bad("%s: no such day %s", what, d)
			}
		}
		ss := append([]string{in.EventID, in.Summary, in.City, in.Province, in.ApproxDate, in.AttributedTo}, in.Perpetrators...)
		for _, a := range in.Actors {
			ss = append(ss, a.Name)
		}
		for _, e := range in.Evidence {
			ss = append(ss, e.Quote, e.Value)
		}
		if err := text(what, ss...); err != nil {
			return err
		}
	}
	return nil
}
