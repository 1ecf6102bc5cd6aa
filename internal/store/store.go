// Package store defines how Mosaic keeps its data: the storage interfaces the
// rest of the program depends on, the values that cross the boundary, and the
// errors that make up the contract. It imports no database driver; the
// backends live in subpackages (sqlite, postgres) and every one of them passes
// the conformance suite in storetest.
package store

import (
	"context"
	"errors"
	"time"

	"mosaic"
	"mosaic/internal/search"
)

// Errors every backend returns, wrapped with context; test with errors.Is.
var (
	// ErrNotFound means the thing asked for does not exist, or is outside
	// the caller's scope (the two are deliberately indistinguishable).
	ErrNotFound = errors.New("not found")
	// ErrConflict means a write contradicts what is stored, such as a
	// collection re-declared under another agency.
	ErrConflict = errors.New("conflict")
	// ErrInvalid means the request itself is malformed.
	ErrInvalid = errors.New("invalid request")
)

// Scope limits a read to the collections a caller may see. The zero Scope
// sees everything; it is for the local command line and for tests, and every
// multi-user caller must set Collections.
type Scope struct {
	// Collections names the collections visible to the caller. A nil slice
	// means all collections; an empty non-nil slice means none.
	Collections []string
	// Agency is the agency whose judgements (merges, rejects, splits,
	// confirmations and flags) shape what the scope shows; empty means
	// the local judgements made on the command line. A judgement made by
	// one agency never changes what another agency's scope shows.
	Agency string
}

// Allows reports whether the scope includes the collection.
func (s Scope) Allows(collection string) bool {
	if s.Collections == nil {
		return true
	}
	for _, c := range s.Collections {
		if c == collection {
			return true
		}
	}
	return false
}

// Collection is a named set of documents owned by one agency.
type Collection struct {
	Name   string `json:"name"`
	Agency string `json:"agency"`
	// Documents counts the documents the collection holds.
	Documents int       `json:"documents"`
	Created   time.Time `json:"created"`
	// Classification is the collection's label (one of Classifications);
	// empty reads as UNCLASSIFIED.
	Classification string `json:"classification,omitempty"`
}

// Holding records that a collection holds a document, and where the
// collection's copy was read from. One document (one content hash) may be
// held by several collections, even of different agencies.
type Holding struct {
	Collection string    `json:"collection"`
	Agency     string    `json:"agency"`
	Source     string    `json:"source"`
	Added      time.Time `json:"added"`
}

// Ingested is one document ready to store, with what extraction found in it.
type Ingested struct {
	// Collection must already exist (see Collections.EnsureCollection).
	Collection string
	Doc        mosaic.Document
	Mentions   []mosaic.Mention
	// Relations link Mentions (their From and To index it).
	Relations []mosaic.Relation
	// Incidents are the attacks the document reports (a GTD row's, or
	// those read from its text), stored in the same transaction when the
	// collection did not hold the document yet, as AddIncidents stores
	// them; a document the collection holds already brought them then.
	Incidents []mosaic.Incident
	// Held says the collection held the document when it was read, so
	// that nothing was extracted from it again (a second ingest of a
	// folder, or one resumed): Add checks the holding is still there, and
	// fails with ErrNotFound if it is not (the document was deleted from
	// the collection meanwhile: ingest it again), rather than store it
	// without its mentions.
	Held bool
	// Prepared is what the store's Prepare (see Preparer) worked out of
	// the document ahead of Add; Add works it out itself when it is nil.
	Prepared Prepared
}

// A Preparer does the part of storing a document that needs no
// transaction (folding the words of its text for the search index) ahead
// of Add, in the caller's goroutine: an ingest's readers prepare their
// documents in parallel, and its one writer is spared the work. Prepare
// must see the document as it will be added; Add checks that it does.
type Preparer interface {
	Prepare(in *Ingested)
}

// Prepared is a store's work on a document ahead of Add.
type Prepared interface {
	// Bytes estimates the memory it holds, which a batch waiting to be
	// written counts.
	Bytes() int
}

// Summary describes a document without its text.
type Summary struct {
	ID          mosaic.DocID  `json:"id"`
	Parent      mosaic.DocID  `json:"parent,omitempty"`
	Title       string        `json:"title"`
	Date        time.Time     `json:"date,omitzero"`
	Format      mosaic.Format `json:"format"`
	Size        int64         `json:"size"`
	Collections []string      `json:"collections"`
}

// DocumentFilter selects documents to list.
type DocumentFilter struct {
	Scope Scope
	// Collection, when set, lists only that collection's documents.
	Collection string
	// Limit caps the page (a backend applies a default of 50 when zero);
	// Offset skips that many documents in the list's order. Cursor, when
	// set, resumes the list after the page that returned it instead, and
	// stays right when documents arrive between pages; Offset is then
	// ignored.
	Limit, Offset int
	Cursor        string
}

// Page asks for one page of a list that has a stable order.
type Page struct {
	// Limit caps the page: DefaultLimit when zero or less, MaxLimit at most.
	Limit int
	// Cursor, when set, is the Next of an earlier page: the list resumes
	// after that page's last item. It stays valid when documents arrive
	// between pages: every item there was when paging began is visited
	// once, in order. (A list ordered by counts, such as names or
	// connections, counts only the documents there were when paging began;
	// a new first page counts the rest.) A cursor this list did not give
	// is ErrInvalid.
	Cursor string
}

// Page sizes.
const (
	DefaultLimit = 50
	MaxLimit     = 1000
)

// Size returns the page's limit with the default and the ceiling applied.
func (p Page) Size() int {
	if p.Limit <= 0 {
		return DefaultLimit
	}
	return min(p.Limit, MaxLimit)
}

// DocumentList is one page of documents.
type DocumentList struct {
	// Total counts every document the filter matches.
	Total     int       `json:"total"`
	Documents []Summary `json:"documents"`
	// Next resumes the list after this page; empty on the last page.
	Next string `json:"next,omitempty"`
}

// TextPageSize is the most text one page of a document holds.
const TextPageSize = 64 << 10

// TextPage is one window of a document's text. Pages are numbered from 0;
// each ends at a line break or other white space near TextPageSize bytes
// (never inside a character), and together they cover the text once.
type TextPage struct {
	// Number is the page's number; Pages how many the text has.
	Number int `json:"number"`
	Pages  int `json:"pages"`
	// Start and End are the page's byte offsets in the whole text, and
	// Length the text's size in bytes.
	Start  int `json:"start"`
	End    int `json:"end"`
	Length int `json:"length"`
}

// SearchRequest is a parsed query with its paging and scope.
type SearchRequest struct {
	Query search.Query
	Scope Scope
	// Limit caps the page (default 20); Offset skips hits.
	Limit, Offset int
	// Rank bounds how many matches are ranked by relevance (0:
	// MaxRanked); see SearchResult.Ranked.
	Rank int
}

// MaxRanked is how many matches a search ranks by relevance. Ranking
// weighs every match it ranks, and a common name matches half of a large
// corpus: ranking the newest 10,000 keeps a search's time bounded however
// large the corpus grows.
const MaxRanked = 10000

// Hit is one document matching a search.
type Hit struct {
	ID          mosaic.DocID  `json:"id"`
	Title       string        `json:"title"`
	Date        time.Time     `json:"date,omitzero"`
	Format      mosaic.Format `json:"format"`
	Collections []string      `json:"collections"`
	// Snippet is a short plain-text excerpt around the matches; Highlights
	// are the byte spans of the matched terms within Snippet.
	Snippet    string        `json:"snippet"`
	Highlights []mosaic.Span `json:"highlights"`
	// Score ranks hits, higher is better; comparable within one result only.
	Score float64 `json:"score"`
}

// SearchResult is one page of hits with the total number of matches.
type SearchResult struct {
	Total int `json:"total"`
	// Ranked is how many of the matches come ranked by relevance: all of
	// them, or, when more than the request's Rank match, the Rank most
	// recently stored, which come first; the older matches follow, most
	// recently stored first.
	Ranked int   `json:"ranked"`
	Hits   []Hit `json:"hits"`
}

// Collections creates and lists collections.
type Collections interface {
	// EnsureCollection creates the collection for the agency if it does not
	// exist (creating the agency too) and returns it. It returns ErrConflict
	// if the collection exists under another agency, and ErrInvalid if a name
	// is empty.
	EnsureCollection(ctx context.Context, name, agency string) (Collection, error)
	// Collections lists the collections in scope, by name.
	Collections(ctx context.Context, scope Scope) ([]Collection, error)
}

// CollectionAdmin renames and deletes collections, and keeps the log of
// it. It stands apart from Collections so that a reader of collections
// (the web sidebar) depends on no power to delete them.
type CollectionAdmin interface {
	// RenameCollection renames the collection old to name, keeping its
	// agency and holdings, and records the change with user and reason in
	// the collection log. A scope that names the old name no longer sees
	// the collection. It returns ErrNotFound if no collection is called
	// old, ErrConflict if one is called name already (old itself
	// included), and ErrInvalid if a name, the user or the reason is empty.
	RenameCollection(ctx context.Context, old, name, user, reason string) (CollectionChange, error)
	// DeleteCollection removes a collection and its holdings in one
	// transaction, and records the deletion with user and reason in the
	// collection log. A document no other collection holds leaves the
	// store with its mentions, relations and search entry; one another
	// collection holds stays as it was. Entities keep their IDs, and the
	// judgements about them stay, but no longer show what only the removed
	// documents said (an entity only they named is not found). The entity
	// generation changes. It returns ErrNotFound if there is no such
	// collection and ErrInvalid if the name, the user or the reason is
	// empty.
	DeleteCollection(ctx context.Context, name, user, reason string) (CollectionChange, error)
	// CollectionLog lists every rename and deletion, newest first.
	CollectionLog(ctx context.Context) ([]CollectionChange, error)
}

// CollectionAction is what was done to a collection.
type CollectionAction string

// The changes the collection log records.
const (
	RenameAction CollectionAction = "rename"
	DeleteAction CollectionAction = "delete"
)

// CollectionChange is one entry of the collection log: a rename or a
// deletion, with who made it, when and why. Entries are never changed.
type CollectionChange struct {
	// ID numbers the log's entries in the order they were made.
	ID     int64            `json:"id"`
	Action CollectionAction `json:"action"`
	// Collection is the name the collection had; NewName the name a
	// rename gave it.
	Collection string `json:"collection"`
	NewName    string `json:"new_name,omitempty"`
	// Agency owns the collection; Created is when it was made.
	Agency  string    `json:"agency"`
	Created time.Time `json:"created"`
	// Documents counts the holdings the collection had when changed;
	// Removed, for a deletion, the documents that left the store with it,
	// held by no other collection.
	Documents int `json:"documents"`
	Removed   int `json:"removed"`
	// User made the change, for Reason, at Made.
	User   string    `json:"user"`
	Reason string    `json:"reason"`
	Made   time.Time `json:"made"`
}

// Added says what Add did with one document.
type Added int

const (
	// AlreadyHeld: the collection held the document already; nothing changed.
	AlreadyHeld Added = iota
	// NewHolding: the content was stored before (for another collection);
	// this collection now holds it too. Its mentions are the ones stored
	// first.
	NewHolding
	// NewContent: the content was new to the store and is stored with its
	// mentions.
	NewContent
)

// New reports whether the collection did not hold the document before.
func (a Added) New() bool { return a != AlreadyHeld }

// DocumentWriter stores documents.
type DocumentWriter interface {
	// Add stores a batch in one transaction: either all of it is durable when
	// Add returns nil, or none of it is. A document whose content is already
	// stored is not stored again; it only gains a holding if its collection
	// did not hold it yet. added[i] says what became of batch[i]. It returns ErrNotFound (wrapped) if a collection does not
	// exist and ErrInvalid if a mention's offsets fall outside its text,
	// the same mention (offsets and type) appears twice, or a relation names
	// a mention that is not there.
	Add(ctx context.Context, batch []Ingested) (added []Added, err error)
	// AddResolved is Add and ResolveBatch in one transaction: it stores
	// the batch as Add does, and ties the names of each document whose
	// content it stores (NewContent) as docs say, as ResolveBatch would
	// once the batch were stored, so that a batch costs one commit and
	// its mentions are written once, tied. The ties of a document whose
	// content was stored before are ignored (its names were resolved then,
	// or are left to Entities.Unresolved), and an entity of created that
	// no stored tie names is not made: its ID is zero. It fails as Add and
	// ResolveBatch do, storing nothing.
	AddResolved(ctx context.Context, batch []Ingested, created []mosaic.Entity, docs []DocAssignments) ([]Added, []mosaic.EntityID, error)
}

// DocumentReader reads documents back.
type DocumentReader interface {
	// Holds reports whether the collection already holds the document.
	Holds(ctx context.Context, collection string, id mosaic.DocID) (bool, error)
	// Document returns a document with its text and the holdings in scope.
	// It returns ErrNotFound if no collection in scope holds it.
	Document(ctx context.Context, id mosaic.DocID, scope Scope) (mosaic.Document, []Holding, error)
	// Documents lists documents in scope, newest first by when each first
	// came into the scope (a later holding does not move it), with the
	// total number that match the filter. It returns ErrInvalid for a bad
	// cursor.
	Documents(ctx context.Context, f DocumentFilter) (docs []Summary, total int, err error)
	// Mentions returns a document's mentions ordered by start offset. It
	// returns ErrNotFound if no collection in scope holds the document.
	Mentions(ctx context.Context, id mosaic.DocID, scope Scope) ([]mosaic.Mention, error)
	// DocumentsPage is Documents with a cursor: the page, the total and
	// the cursor of the next page. It returns ErrInvalid for a bad cursor.
	DocumentsPage(ctx context.Context, f DocumentFilter) (DocumentList, error)
	// DocumentPage returns a document with only the text of page number n
	// (see TextPage) in its Text, the page's place in the text, and the
	// holdings in scope. It returns ErrNotFound if no collection in scope
	// holds it and ErrInvalid if the text has no page n.
	DocumentPage(ctx context.Context, id mosaic.DocID, scope Scope, n int) (mosaic.Document, TextPage, []Holding, error)
	// MentionsPage returns one page of a document's mentions in the order
	// of Mentions, only those that start inside within (the whole text
	// when within is zero), and the cursor of the next page. Offsets are
	// the document's. It returns ErrNotFound as Mentions does, and
	// ErrInvalid for a bad cursor.
	MentionsPage(ctx context.Context, id mosaic.DocID, scope Scope, within mosaic.Span, p Page) ([]mosaic.Mention, string, error)
}

// Searcher runs full-text queries.
type Searcher interface {
	// Search returns the documents in scope that match, best first, with
	// highlighted snippets. It returns ErrInvalid if the query has nothing
	// to match (only exclusions, say).
	Search(ctx context.Context, r SearchRequest) (SearchResult, error)
}

// Assignment ties one mention of a document to an entity.
type Assignment struct {
	Start, End int
	Type       mosaic.MentionType
	// Entity is an existing entity; zero when New is set.
	Entity mosaic.EntityID
	// New, when positive, is the entity created[New-1] of the same Resolve
	// or ResolveBatch call.
	New int
	// Why records how the mention was tied to its entity, for explanations.
	Why string
}

// DocAssignments are the ties of one document's mentions, of a
// ResolveBatch.
type DocAssignments struct {
	Doc    mosaic.DocID
	Assign []Assignment
}

// DocumentRef names a document in an entity's profile.
type DocumentRef struct {
	ID          mosaic.DocID `json:"id"`
	Title       string       `json:"title"`
	Date        time.Time    `json:"date,omitzero"`
	Collections []string     `json:"collections"`
}

// EntityName is one name or spelling of an entity, with the documents it
// stands in.
type EntityName struct {
	Name     string `json:"name"`
	Mentions int    `json:"mentions"`
	// Documents is the first page of the documents in scope that use the
	// name, in the order they were stored; DocumentCount counts them all
	// and DocumentsNext, when set, is the cursor of the next page
	// (Entities.SpellingDocuments).
	Documents     []DocumentRef `json:"documents"`
	DocumentCount int           `json:"document_count"`
	DocumentsNext string        `json:"documents_next,omitempty"`
	// Why lists the distinct reasons resolution gave for tying mentions
	// with this spelling to the entity, most frequent first.
	Why []string `json:"why"`
	// Confirmed is set when an analyst confirmed the spelling.
	Confirmed bool `json:"confirmed,omitempty"`
}

// Connection is another entity named in the same sentences.
type Connection struct {
	mosaic.Entity
	// Sentences counts the sentences that name both. Where merges made
	// one entity of several, a sentence naming two of the members of a
	// group counts once for each pair of members it names.
	Sentences int `json:"sentences"`
}

// EntityProfile is what the documents in a scope say about an entity. Its
// lists are first pages, so a profile costs the same however many
// documents name the entity; each *Next, when set, is the cursor of the
// list's next page (Entities.EntitySpellings, EntityConnections,
// EntityTimeline).
type EntityProfile struct {
	mosaic.Entity
	// Names are the spellings, most mentioned first.
	Names       []EntityName `json:"names"`
	NamesNext   string       `json:"names_next,omitempty"`
	Collections []string     `json:"collections"`
	// Connections are the entities named in the same sentences, most
	// shared sentences first.
	Connections     []Connection `json:"connections"`
	ConnectionsNext string       `json:"connections_next,omitempty"`
	// Timeline lists the dated documents that name it, oldest first.
	Timeline     []DocumentRef `json:"timeline"`
	TimelineNext string        `json:"timeline_next,omitempty"`
	// Merged lists the IDs of the entities merged into this one, if any.
	Merged []mosaic.EntityID `json:"merged,omitempty"`
	// Watchlist lists the watchlist entries the entity is linked to (see
	// Watchlists), by list and ID.
	Watchlist []WatchlistLink `json:"watchlist,omitempty"`
}

// JudgementKind is what an analyst decided about entities.
type JudgementKind string

// The judgements an analyst can make. Merge and Reject are about two
// entities; Split and Confirm about one entity and one of its spellings;
// Flag about one entity alone.
const (
	// Merge: the two entities are one. Merges are transitive: merging A
	// with B and B with C makes one entity of the three. Only entities of
	// one kind merge, unless the judgement is forced (Judgement.Force).
	Merge JudgementKind = "merge"
	// Reject: the two entities are not one, so no merge, by an analyst or
	// a proposal, may join them (or anything merged with either).
	Reject JudgementKind = "reject"
	// Split: the mentions spelled Name are not this entity; they become a
	// new entity (Other), judged different from the first.
	Split JudgementKind = "split"
	// Confirm: the spelling Name is this entity. A confirmed spelling
	// identifies the entity on its own, so later documents that use it
	// resolve to the entity (a kunya, say, that matches no other name).
	Confirm JudgementKind = "confirm"
	// Flag: watch this person. The lone-actor check looks for evidence
	// paths from every flagged person to a known group, as it does for the
	// people the documents call lone actors. Only a person may be flagged.
	// A flag changes no entity; it follows its entity through merges, and
	// undoing it lifts it.
	Flag JudgementKind = "flag"
)

// Judgement is one analyst decision about entities. Judgements are never
// deleted or overwritten, by re-processing or by later judgements; an undo
// marks one undone and reverts its effect.
type Judgement struct {
	ID   int64         `json:"id"`
	Kind JudgementKind `json:"kind"`
	// Entity is the entity judged; Other the second entity of a merge or
	// reject, or the entity a split created.
	Entity mosaic.EntityID `json:"entity"`
	Other  mosaic.EntityID `json:"other,omitempty"`
	// Name is the spelling a split or confirm is about.
	Name string `json:"name,omitempty"`
	// Force lets a merge join entities of different kinds (a name the
	// tagger typed as a place, merged with the person it names); without
	// it such a merge is refused. The merged entity takes the kind of
	// Entity, the one named first, until the merge is undone. Judge clears
	// it on a merge of one kind, so the record says which merges joined
	// different kinds.
	Force bool `json:"force,omitempty"`
	// Agency is the agency of the User who made it; empty for a judgement
	// made on the command line. Only a scope of the same Agency sees its
	// effect.
	Agency string    `json:"agency,omitempty"`
	User   string    `json:"user"`
	Reason string    `json:"reason"`
	Made   time.Time `json:"made"`
	// Undone is set when the judgement was undone, by UndoneBy for
	// UndoReason.
	Undone     time.Time `json:"undone,omitzero"`
	UndoneBy   string    `json:"undone_by,omitempty"`
	UndoReason string    `json:"undo_reason,omitempty"`
}

// Active reports whether the judgement is in force.
func (j Judgement) Active() bool { return j.Undone.IsZero() }

// Entities stores what entity resolution decides and reads it back.
//
// An entity ID stays valid for ever. Once a merge joins entities, each of
// them reads as the merged entity, whose ID is the smallest of the group:
// Entity and EntityNames report that ID, whichever was asked for.
//
// Judgements belong to an agency (Judgement.Agency; "" for the command
// line), and their effects stay within it: a read with a Scope sees the
// merges, confirmations and flags of the scope's Agency only, and a
// reject or split stops only that agency's merges. Resolution
// (EntityNames, StatedNames, AllWatchlistLinks, WatchlistLinks) follows
// the command line's judgements alone, since the mentions it ties are
// seen by every agency. A split moves mentions, which every agency sees:
// an agency's split moves only the mentions of documents that no
// collection of another agency holds, and one by the command line moves
// them all.
type Entities interface {
	// Resolve ties a document's mentions to entities in one transaction,
	// creating the entities in created, and returns their IDs in order. A
	// mention already tied to an entity keeps it: re-processing never
	// overrides an earlier decision. A new entity is created only if some
	// mention is tied to it; its ID is zero otherwise. It returns ErrNotFound if the document
	// is unknown, and ErrInvalid if an assignment names no mention of the
	// document or an entity that does not exist.
	Resolve(ctx context.Context, doc mosaic.DocID, created []mosaic.Entity, assign []Assignment) ([]mosaic.EntityID, error)
	// ResolveBatch does what Resolve does for each of docs in turn, in one
	// transaction: all of it or none. An assignment's New is an entity of
	// created, which the batch shares, so that a document ties a mention
	// to an entity a document before it in the batch created.
	ResolveBatch(ctx context.Context, created []mosaic.Entity, docs []DocAssignments) ([]mosaic.EntityID, error)
	// Unresolved lists up to limit documents, oldest first, that have
	// names no resolution has tied to an entity yet.
	Unresolved(ctx context.Context, limit int) ([]mosaic.DocID, error)
	// EntityNames calls fn once for each distinct name of each entity, for
	// building a matching index; fn's error stops the scan and is returned.
	EntityNames(ctx context.Context, fn func(e mosaic.Entity, name string) error) error
	// Entity returns what the documents in scope say about an entity: its
	// names with their documents, its collections, the entities named in
	// the same sentences, its timeline and its watchlist links. Every name in it, the entity's
	// own and its connections', is a spelling some document in scope uses. It returns ErrNotFound if the
	// entity does not exist or no document in scope names it.
	Entity(ctx context.Context, id mosaic.EntityID, scope Scope) (EntityProfile, error)
	// EntitySpellings returns the entity as the scope sees it (named by
	// its canonical name if the scope holds that spelling, else by its
	// most mentioned one) and one page of its names, in the profile's
	// order, each with the first page of its documents. It returns
	// ErrNotFound as Entity does, and ErrInvalid for a bad cursor.
	EntitySpellings(ctx context.Context, id mosaic.EntityID, scope Scope, p Page) (mosaic.Entity, []EntityName, string, error)
	// EntityNameCounts is EntitySpellings without what each name costs
	// most to gather: its names carry their mention and document counts
	// but neither documents nor reasons (nor Confirmed). It serves what
	// needs only the entity's heading or to know the scope sees it.
	EntityNameCounts(ctx context.Context, id mosaic.EntityID, scope Scope, p Page) (mosaic.Entity, []EntityName, string, error)
	// SpellingDocuments returns one page of the documents in scope in
	// which the entity (or an entity merged with it) is called name, in
	// the order they were stored. It returns ErrNotFound if the entity
	// does not exist, and ErrInvalid for a bad cursor.
	SpellingDocuments(ctx context.Context, id mosaic.EntityID, name string, scope Scope, p Page) ([]DocumentRef, string, error)
	// EntityConnections returns one page of the entity's connections in
	// the profile's order: most shared sentences first, then by ID. It
	// returns ErrNotFound if the entity does not exist, and ErrInvalid
	// for a bad cursor.
	EntityConnections(ctx context.Context, id mosaic.EntityID, scope Scope, p Page) ([]Connection, string, error)
	// EntityTimeline returns one page of the entity's timeline, oldest
	// first. It returns ErrNotFound if the entity does not exist, and
	// ErrInvalid for a bad cursor.
	EntityTimeline(ctx context.Context, id mosaic.EntityID, scope Scope, p Page) ([]DocumentRef, string, error)
	// Judge records an analyst's judgement and applies it, within
	// j.Agency, in one transaction, filling in ID, Made and, for a split,
	// Other. It returns
	// ErrInvalid if the judgement is malformed (no user or reason, an
	// unknown kind, a spelling the entity does not use (for an agency: in
	// the documents of the collections it owns or is granted, the same
	// error whether or not another agency's documents use it), a split that would
	// leave nothing behind, a flag with another entity or a name, or on an
	// entity that is not a person, a merge of entities of different kinds
	// without Force, Force on anything but a merge, an agency's split of a
	// spelling used only in documents another agency holds too),
	// ErrNotFound if an entity does not exist, and ErrConflict if it
	// contradicts judgements of the same agency in force: merging
	// entities judged different, directly or through merges, rejecting
	// entities already merged, merging an entity with itself, or flagging
	// an entity already flagged (directly or through merges).
	Judge(ctx context.Context, j Judgement) (Judgement, error)
	// Undo marks a judgement undone by user for reason and reverts its
	// effect within the judgement's agency, returning it; an agency's
	// split takes back only the mentions it moved. A caller acting for an
	// agency must check that the judgement is that agency's (Judgements
	// lists them). It returns ErrNotFound if there is no such
	// judgement, ErrInvalid without a user, and ErrConflict if it is undone
	// already, or if it is a split whose new entity later judgements of its
	// agency use, or a later split by another agency (which it does not
	// name).
	Undo(ctx context.Context, id int64, user, reason string) (Judgement, error)
	// Judgements lists the agency's judgements about an entity and every
	// entity the agency merged with it, undone ones included, newest
	// first; entity zero lists every judgement of the agency ("" for the
	// command line's). It returns ErrNotFound if the entity does not
	// exist.
	Judgements(ctx context.Context, entity mosaic.EntityID, agency string) ([]Judgement, error)
	// Flagged returns the entities that the agency's Flag judgements in
	// force are about, each as it reads after the agency's merges (two
	// flagged entities merged since are one), without repeats, in
	// ascending order.
	Flagged(ctx context.Context, agency string) ([]mosaic.EntityID, error)
	// MentionsByDay returns, for each day on which some document in scope
	// is dated, oldest first, how many such documents there are and how
	// many times they mention the entity (and every entity merged with
	// it), so that a series of mentions spans the whole scope, with its
	// quiet days. Days are UTC. It returns ErrNotFound if the entity does
	// not exist or no dated document in scope mentions it.
	MentionsByDay(ctx context.Context, id mosaic.EntityID, scope Scope) ([]DayCount, error)
	// EntityGeneration returns a number that changes whenever what a scope
	// shows about entities may have changed: resolution ties mentions to
	// entities, a judgement is made or undone (a flag included), or a
	// collection gains a document, whether new content or content another
	// collection already held. Within a scope that gain changes an
	// entity's names, documents and connections, and the network, though
	// no entity changed. A cache of names, profiles or networks can thus
	// tell it is stale without reloading; the number says nothing about
	// which scope changed.
	EntityGeneration(ctx context.Context) (int64, error)
}

// DayCount is what the documents dated on one day say about an entity.
type DayCount struct {
	Day       time.Time
	Documents int
	Mentions  int
}

// RelationFilter selects the relations a network is built from.
type RelationFilter struct {
	Scope Scope
	// Agencies, when set, keeps relations from documents held by these
	// agencies' collections (within Scope).
	Agencies []string
	// Types, when set, keeps only relations of these types.
	Types []mosaic.RelationType
	// Since and Until bound the date of the document that states the
	// relation (inclusive); zero means open. Undated documents pass only
	// when both are zero.
	Since, Until time.Time
}

// RelationRow is one relation stated by a document between two resolved
// entities, with the evidence an analyst needs to check it.
type RelationRow struct {
	// From and To are the entities the mentions are tied to, as they read
	// after merges.
	From, To mosaic.EntityID
	Type     mosaic.RelationType
	Negated  bool
	Hedged   bool
	// Cue is the words that state the relation ("was in touch with").
	Cue string
	// Confidence is how likely the relation is to be right, in (0, 1]
	// (mosaic.Relation.Confidence).
	Confidence float64
	// FromKind and ToKind are the kinds of the two entities.
	FromKind, ToKind mosaic.MentionType
	// FromText and ToText are the mentions as written.
	FromText, ToText string
	Doc              mosaic.DocID
	Title            string
	Date             time.Time
	// Sentence is the byte span of the evidence sentence in the document.
	Sentence mosaic.Span
	// Collections are the collections in scope that hold the document.
	Collections []string
}

// Relations reads the relations documents state between entities.
type Relations interface {
	// Relations calls fn for each relation that passes the filter whose
	// mentions are both tied to entities, in document order; fn's error
	// stops the scan and is returned.
	Relations(ctx context.Context, f RelationFilter, fn func(RelationRow) error) error
}

// WatchlistEntry is one entry of a reference list of known names (a
// watchlist, such as a sanctions list): the thing it lists, under its
// primary name and the aliases the list gives.
type WatchlistEntry struct {
	// List names the list: "OFAC SDN", or what the user called it.
	List string `json:"list"`
	// ID is the list's identifier of the entry.
	ID      string   `json:"id"`
	Name    string   `json:"name"`
	Aliases []string `json:"aliases,omitempty"`
	// Programme is the list's programme or reason for listing ("SDGT").
	Programme string `json:"programme,omitempty"`
	// Kind is PERSON or ORG, or empty when the list does not say.
	Kind mosaic.MentionType `json:"kind,omitempty"`
}

// Watchlist summarises one list loaded into the store.
type Watchlist struct {
	Name    string    `json:"name"`
	Entries int       `json:"entries"`
	Loaded  time.Time `json:"loaded"`
}

// WatchlistLink records that an entity is the thing a list entry names.
// It holds the entry as it read when linked, so a list reloaded or built
// into the program does not change what the link says.
type WatchlistLink struct {
	Entity mosaic.EntityID `json:"entity"`
	WatchlistEntry
	// Why says how resolution tied the entity to the entry: which name
	// matched which.
	Why string `json:"why"`
	// Spelling is the entity's name that matched the entry. An entity
	// profile shows the link only to a scope that holds a document with
	// this spelling, since Why quotes it.
	Spelling string `json:"spelling"`
}

// Watchlists keeps reference lists of known names and the entities
// resolution links to their entries, and reads back the names documents
// state for entities.
type Watchlists interface {
	// LoadWatchlist replaces every entry of the list named list with
	// entries, in one transaction. It returns ErrInvalid if list is empty,
	// an entry has no ID or name or names another list, or two entries
	// share an ID.
	LoadWatchlist(ctx context.Context, list string, entries []WatchlistEntry) error
	// Watchlists lists the loaded lists by name.
	Watchlists(ctx context.Context) ([]Watchlist, error)
	// WatchlistEntries calls fn for each entry of every loaded list, by
	// list and ID; fn's error stops the scan and is returned.
	WatchlistEntries(ctx context.Context, fn func(WatchlistEntry) error) error
	// LinkWatchlist records that an entity is the thing an entry names.
	// Linking again the same entity and entry changes nothing. It returns
	// ErrNotFound if the entity does not exist, and ErrInvalid if the
	// entry has no list, ID or name.
	LinkWatchlist(ctx context.Context, l WatchlistLink) error
	// WatchlistLinks returns the links of an entity and of every entity
	// the command line merged with it, by list and ID, each once, with
	// Entity set to the entity as it reads after those merges (an
	// agency's profile, Entities.Entity, reads its own); none is an empty
	// result. It
	// returns ErrNotFound if the entity does not exist.
	WatchlistLinks(ctx context.Context, id mosaic.EntityID) ([]WatchlistLink, error)
	// AllWatchlistLinks calls fn for every link, each entity as it reads
	// after merges, for a resolver to load; fn's error stops the scan.
	AllWatchlistLinks(ctx context.Context, fn func(WatchlistLink) error) error
	// StatedNames calls fn once for each distinct name of each entity
	// (as it reads after merges) that some mention carries with a
	// resolution reason starting with one of prefixes: the names that
	// documents state to be another name of the entity. fn's error stops
	// the scan and is returned.
	StatedNames(ctx context.Context, prefixes []string, fn func(e mosaic.Entity, name string) error) error
}

// Store is everything Mosaic keeps. Implementations are safe for concurrent
// use.
type Store interface {
	Collections
	CollectionAdmin
	DocumentWriter
	DocumentReader
	Searcher
	Entities
	Relations
	Watchlists
	Accounts
	Discovery
	DiscoveryFiles
	Shares
	Alerts
	Audit
	Incidents
	Charts
	Jobs
	// Close releases the store; acknowledged writes are already durable.
	Close() error
}
