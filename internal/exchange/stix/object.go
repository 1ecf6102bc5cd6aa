package stix

import (
	"encoding/json"
	"time"

	"mosaic"
)

// object holds the properties of every object type Mosaic writes or
// reads; each type uses some, and the rest are left out. The field order
// is the order properties are written in.
type object struct {
	Type         string `json:"type"`
	SpecVersion  string `json:"spec_version,omitempty"`
	ID           string `json:"id"`
	CreatedByRef string `json:"created_by_ref,omitempty"`
	Created      string `json:"created,omitempty"`
	Modified     string `json:"modified,omitempty"`
	Name         string `json:"name,omitempty"`
	Description  string `json:"description,omitempty"`

	// marking-definition
	DefinitionType string         `json:"definition_type,omitempty"`
	Definition     map[string]any `json:"definition,omitempty"`

	// cyber-observables
	Value string `json:"value,omitempty"`

	// identity, threat-actor, intrusion-set
	IdentityClass      string   `json:"identity_class,omitempty"`
	ContactInformation string   `json:"contact_information,omitempty"`
	Aliases            []string `json:"aliases,omitempty"`
	FirstSeen          string   `json:"first_seen,omitempty"`
	LastSeen           string   `json:"last_seen,omitempty"`

	// location
	Region             string   `json:"region,omitempty"`
	Country            string   `json:"country,omitempty"`
	AdministrativeArea string   `json:"administrative_area,omitempty"`
	City               string   `json:"city,omitempty"`
	Latitude           *float64 `json:"latitude,omitempty"`
	Longitude          *float64 `json:"longitude,omitempty"`

	// relationship
	RelationshipType string `json:"relationship_type,omitempty"`
	SourceRef        string `json:"source_ref,omitempty"`
	TargetRef        string `json:"target_ref,omitempty"`

	// report
	Published  string   `json:"published,omitempty"`
	ObjectRefs []string `json:"object_refs,omitempty"`

	Confidence         *int                       `json:"confidence,omitempty"`
	Labels             []string                   `json:"labels,omitempty"`
	ExternalReferences []externalReference        `json:"external_references,omitempty"`
	ObjectMarkingRefs  []string                   `json:"object_marking_refs,omitempty"`
	Extensions         map[string]json.RawMessage `json:"extensions,omitempty"`

	// Mosaic's own properties.
	XKind           string           `json:"x_mosaic_kind,omitempty"`
	XAliases        []string         `json:"x_mosaic_aliases,omitempty"`
	XCommunity      *int             `json:"x_mosaic_community,omitempty"`
	XCentrality     float64          `json:"x_mosaic_centrality,omitempty"`
	XDegree         int              `json:"x_mosaic_degree,omitempty"`
	XFirst          string           `json:"x_mosaic_first,omitempty"`
	XLast           string           `json:"x_mosaic_last,omitempty"`
	XRelation       string           `json:"x_mosaic_relation,omitempty"`
	XNegated        bool             `json:"x_mosaic_negated,omitempty"`
	XHedged         bool             `json:"x_mosaic_hedged,omitempty"`
	XWeight         float64          `json:"x_mosaic_weight,omitempty"`
	XEvidence       []evidence       `json:"x_mosaic_evidence,omitempty"`
	XSource         string           `json:"x_mosaic_source,omitempty"`
	XFormat         string           `json:"x_mosaic_format,omitempty"`
	XCollections    []string         `json:"x_mosaic_collections,omitempty"`
	XCollection     string           `json:"x_mosaic_collection,omitempty"`
	XAgency         string           `json:"x_mosaic_agency,omitempty"`
	XClassification string           `json:"x_mosaic_classification,omitempty"`
	XIncident       *mosaic.Incident `json:"x_mosaic_incident,omitempty"`
}

// externalReference points outside STIX: here, at a Mosaic document.
type externalReference struct {
	SourceName  string            `json:"source_name"`
	Description string            `json:"description,omitempty"`
	ExternalID  string            `json:"external_id,omitempty"`
	Hashes      map[string]string `json:"hashes,omitempty"`
}

// evidence is one sentence of a link as x_mosaic_evidence writes it.
type evidence struct {
	Doc        mosaic.DocID `json:"doc,omitempty"`
	Start      int          `json:"start"`
	End        int          `json:"end"`
	Text       string       `json:"text"`
	FromText   string       `json:"from_text,omitempty"`
	ToText     string       `json:"to_text,omitempty"`
	Cue        string       `json:"cue,omitempty"`
	Confidence float64      `json:"confidence"`
	Date       time.Time    `json:"date,omitzero"`
}

// incidentCoreID is OASIS's Incident Core extension (version 2.0,
// cti-stix-common-objects, extension-definition-specifications/incident-core).
const incidentCoreID = "extension-definition--ef765651-680c-498d-9894-99799f2fa126"

// incidentCore is the Incident Core extension's properties Mosaic fills.
type incidentCore struct {
	ExtensionType        string         `json:"extension_type"`
	Determination        string         `json:"determination"`
	InvestigationStatus  string         `json:"investigation_status"`
	IncidentTypes        []string       `json:"incident_types,omitempty"`
	ImpactedEntityCounts map[string]int `json:"impacted_entity_counts,omitempty"`
}
