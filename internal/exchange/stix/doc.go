// Package stix converts a case to and from a STIX 2.1 bundle, the form
// threat-intelligence teams exchange.
//
// Write maps the neutral model as follows:
//
//   - a person is an identity (identity_class individual); an
//     organisation is a threat-actor (its other spellings its aliases) when
//     the case ties it to violence — an incident's perpetrator, group,
//     claimant or inspiration, the source of a command or an attack — and
//     otherwise an identity of class organization, so that a newspaper or a
//     police force is not exported as a threat actor;
//     a place is a location, geocoded offline by the gazetteer (country
//     code, province, city, point; region "unknown" when the gazetteer does
//     not know the name, since the schema wants one of region, country or a
//     point); an e-mail address, URL or IP address is the cyber-observable of
//     that type, and anything else (a phone number, MISC) an identity of
//     class unknown whose x_mosaic_kind says what it is. An identity or
//     location carries its other spellings in x_mosaic_aliases.
//   - a link is a relationship. Types the STIX vocabulary has are used
//     (location: located-at, attack: targets, co-occurrence: related-to);
//     the others are custom but valid: contact: in-contact-with, command:
//     directs, member: member-of, travel: travelled-to, family: family-of.
//     x_mosaic_relation keeps Mosaic's type. The description holds the
//     evidence sentences, one a line; x_mosaic_evidence keeps each with its
//     document, span, mentions, cue, confidence and date. A denied link
//     has confidence 0, the label "negated" and x_mosaic_negated; an
//     alleged one the label "hedged" and x_mosaic_hedged; confidence is
//     otherwise the best evidence's, in percent.
//   - a document is a report whose object_refs are what it supports (the
//     two ends and the relationship of each link it states, the incidents
//     it is a source of), with the document as an external reference
//     (source "mosaic", its ID, its title and path, its SHA-256). A
//     document that supports nothing in the case is left out.
//   - an incident is an incident with OASIS's Incident Core extension
//     (determination successful-attempt when someone was killed or
//     wounded, suspected otherwise; investigation_status open; the attack
//     types as incident_types; killed plus wounded as impacted
//     individuals), related to the case's entities by the extension's
//     relationship types: attributed-to a perpetrator group, located-at
//     the case's place of that name, targets a victim, and the custom
//     carried-out-by, claimed-by and inspired-by. x_mosaic_incident keeps
//     every GTD field as Mosaic writes it. (Mosaic's own fields are custom
//     properties rather than an extension of its own: the bundle schema
//     admits an object of a type it does not list, extension-definition
//     among them, only if it matches exactly one of its core schemas, and
//     such an object matches both.)
//   - a collection is a statement marking-definition ("SECRET: held in
//     collection ... of ..."), and every object carries in
//     object_marking_refs the markings of the collections whose documents
//     support it. A Mosaic identity (class system) is every object's
//     created_by_ref.
//
// Identifiers are UUIDv5 (RFC 9562) over stable content — an object's
// kind and canonical name, a link's ends and type, a document's ID, an
// incident's GTD event ID or date, place and summary — under a fixed
// Mosaic namespace, and cyber-observables under STIX's own namespace over
// their value as the specification says; created and modified come from
// the evidence dates, never the clock. A second export of the same case is
// byte for byte the same.
//
// Read takes a bundle of ours or of another tool's: threat-actor and
// intrusion-set are organisations with their aliases, identity a person
// (individual), an organisation (organization, group) or, by its
// x_mosaic_kind, what Mosaic wrote; location a place; the observables
// their kinds; relationship a link (Mosaic's type from x_mosaic_relation,
// else the table above read backwards, else co-occurrence); report a
// document; incident an incident. A link's evidence is x_mosaic_evidence
// when present, else the description of one of our relationships split
// back into its lines; a foreign relationship is one evidence sentence, its
// description or, without one, a sentence built from the two names and the
// type ("Group A targets Person B."), dated by the report that cites it.
// An identity that is only some object's created_by_ref is the producer,
// not an entity, and is skipped, as are object types Mosaic has no place
// for. Every entity and link has Origin "file#stix-id", and every incident
// a source so named. A malformed bundle — not JSON, not a bundle, an
// object without a type or with an identifier that is not its type and a
// UUID, a duplicate identifier, a relationship whose end is not in the
// bundle — is refused with the file and the reason.
package stix
