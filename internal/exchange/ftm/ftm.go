// Package ftm carries a case as FollowTheMoney entities, one JSON object
// a line, the form Aleph, OpenSanctions and their tools (ftm, nomenklatura)
// read and write.
//
// Mosaic's kinds map to FollowTheMoney schemata:
//
//	PERSON    Person          ORG   Organization
//	LOCATION  Address         MISC  LegalEntity (a party of no finer kind)
//	incident  Event           document  Document (id "mosaic-doc-" + its DocID)
//
// A link becomes one of FollowTheMoney's interval schemata, the one whose
// meaning it has, and UnknownLink where none has it:
//
//	member, from a person or organisation to an organisation
//	                      Membership (member, organization; role = the cues)
//	family, between people       Family (person, relative; relationship = the cues)
//	contact, between people      Associate (person, associate; relationship = the cues)
//	any other, and any denied or alleged link
//	                      UnknownLink (subject, object; role = Mosaic's relation
//	                      type, then the cues; status "denied" or "alleged")
//
// Every link carries its evidence: each sentence is a value of
// description, in order, and the matching recordId value locates it and
// the names and cue as written in it ("DOCID#START-END;F=…;T=…;C=…",
// the sentence's byte span in the document, then the text of each;
// not proof, which FollowTheMoney before 4 does not give an interval);
// startDate and endDate
// are its first and last dated evidence; summary says the relation, the
// number of sentences and their weight. An Event carries what
// FollowTheMoney has fields for (name, date, country, location, summary,
// organizer, involved, recordId = the GTD event id) and, in notes, the
// incident's full record as JSON, since FollowTheMoney has no field for
// casualties, attack or weapon types or Mosaic's attribution class.
//
// Identifiers are deterministic: a hash of what the object is (kind, key
// and name for an entity; the schema, ends, relation and polarity for a
// link; the whole record for an incident), so a second export of the
// same case gives the same ids.
package ftm

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"
)

// entity is one FollowTheMoney entity as a line holds it. Every property
// holds a list of strings.
type entity struct {
	ID         string              `json:"id"`
	Schema     string              `json:"schema"`
	Properties map[string][]string `json:"properties"`
}

func (e *entity) add(prop string, values ...string) {
	for _, v := range values {
		if v == "" {
			continue
		}
		if e.Properties == nil {
			e.Properties = map[string][]string{}
		}
		e.Properties[prop] = append(e.Properties[prop], v)
	}
}

func (e entity) first(prop string) string {
	if vs := e.Properties[prop]; len(vs) > 0 {
		return vs[0]
	}
	return ""
}

// docPrefix starts the id of a Document Mosaic writes; its DocID follows.
const docPrefix = "mosaic-doc-"

// incidentNote starts the note of an Event that holds the incident's
// record as JSON.
const incidentNote = "Mosaic incident record: "

// Statuses of an Interest (Membership, UnknownLink) for a link the sources
// deny or only allege.
const (
	statusDenied  = "denied"
	statusAlleged = "alleged"
)

// hashID gives a deterministic id for an object made of parts.
func hashID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(p))
		h.Write([]byte{0})
	}
	return "mosaic-" + hex.EncodeToString(h.Sum(nil))[:40]
}

// oneOf reports whether s is one of set.
func oneOf(s string, set ...string) bool {
	for _, v := range set {
		if strings.EqualFold(s, v) {
			return true
		}
	}
	return false
}
