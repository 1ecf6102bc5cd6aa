package store

import (
	"context"
	"time"

	"mosaic"
)

// IncidentFilter selects incidents. Every field but Scope narrows; the
// zero filter, with the zero Scope, selects every incident.
type IncidentFilter struct {
	Scope Scope
	// Collection, when set, keeps only that collection's incidents.
	Collection string
	// Since and Until bound the incident's date, inclusive. An incident
	// dated only to its month or year passes if that month or year meets
	// the bounds (its first day is compared with Until, its last with
	// Since); zero means open.
	Since, Until time.Time
	// Country and Region, when set, keep incidents whose country or region
	// name is this, compared without regard to case.
	Country, Region string
	// Group, when set, keeps incidents one of whose perpetrators is this
	// group, compared without regard to case.
	Group string
	// Attribution, when set, keeps incidents of this attribution class.
	Attribution mosaic.Attribution
	// AttackType, when set, keeps incidents one of whose attack types has
	// this name, compared without regard to case.
	AttackType string
}

// IncidentList is one page of incidents.
type IncidentList struct {
	// Total counts every incident the filter selects.
	Total     int               `json:"total"`
	Incidents []mosaic.Incident `json:"incidents"`
	// Next resumes the list after this page; empty on the last page.
	Next string `json:"next,omitempty"`
}

// Incidents keeps attacks as data: incidents read from GTD-layout files
// (and, later, from the text of documents), each held by a collection so
// that a scope selects them as it selects documents.
type Incidents interface {
	// AddIncidents stores a batch of incidents for a collection in one
	// transaction and returns their IDs, in order. An incident with an
	// EventID the collection holds already is not stored again: its
	// sources are added to the stored one, whose ID is returned. It
	// returns ErrNotFound if the collection does not exist and ErrInvalid
	// for an incident without a known year, or with a year outside
	// 1–9999, a month outside 1–12 or a day outside 1–31, or one citing a
	// document (a source's, an evidence's or an actor's) the collection
	// does not hold; one invalid incident refuses the whole batch.
	AddIncidents(ctx context.Context, collection string, batch []mosaic.Incident) ([]mosaic.IncidentID, error)
	// IncidentsPage returns one page of the incidents the filter selects,
	// oldest first (by date, then ID), with the total and the cursor of
	// the next page. It returns ErrInvalid for a bad cursor.
	IncidentsPage(ctx context.Context, f IncidentFilter, p Page) (IncidentList, error)
	// EachIncident calls fn for every incident the filter selects, in the
	// order of IncidentsPage; fn's error stops the scan and is returned.
	EachIncident(ctx context.Context, f IncidentFilter, fn func(mosaic.Incident) error) error
	// Incident returns one incident. It returns ErrNotFound if there is
	// none in scope.
	Incident(ctx context.Context, id mosaic.IncidentID, scope Scope) (mosaic.Incident, error)
	// JudgeIncidents records an analyst's ruling that incidents A and B
	// are one attack (Same) or two. Both must be in scope, or it returns
	// ErrNotFound; A equal to B, or a zero ID, is ErrInvalid. The store
	// orders the pair (A < B) and stamps ID and At. A ruling on a pair the
	// same agency ruled on before replaces that ruling: the latest word
	// stands, and the old one is gone from IncidentJudgements.
	JudgeIncidents(ctx context.Context, j IncidentJudgement, scope Scope) (IncidentJudgement, error)
	// IncidentJudgements returns the standing rulings of an agency ("" for
	// a store without agencies) on pairs whose incidents are both in
	// scope, oldest first. Another agency's rulings are never returned: a
	// merge is an agency's own reading.
	IncidentJudgements(ctx context.Context, agency string, scope Scope) ([]IncidentJudgement, error)
}

// IncidentJudgement is an analyst's ruling on whether two incidents are
// one attack; it overrides what deduplication would decide for the pair.
type IncidentJudgement struct {
	ID   int64             `json:"id"`
	A    mosaic.IncidentID `json:"a"`
	B    mosaic.IncidentID `json:"b"`
	Same bool              `json:"same"`
	// User and Agency say who ruled; Reason is the analyst's own words.
	User   string    `json:"user,omitempty"`
	Agency string    `json:"agency,omitempty"`
	Reason string    `json:"reason,omitempty"`
	At     time.Time `json:"at"`
}
