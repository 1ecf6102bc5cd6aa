package store

import (
	"context"
	"time"

	"mosaic"
)

// This file is the contract of a store shared by several agencies: who the
// users are and what they may see (Accounts), what one agency may learn of
// another's holdings and how it asks for them (Discovery, Shares, Alerts),
// and the record of who read what (Audit).
//
// What a user may see is a Scope, computed by Accounts.ScopeOf and passed
// to every read. A scope's Agency selects whose judgements apply: a merge
// made by one agency never changes what another sees.

// Role is what a user may do within their agency.
type Role string

// The roles, from most to least powerful.
const (
	// Admin manages the agency's users, tokens and grants, and does all an
	// analyst does.
	Admin Role = "admin"
	// Analyst reads and searches, judges entities, asks what other
	// agencies hold, requests shares and decides the agency's.
	Analyst Role = "analyst"
	// Viewer reads and searches the agency's material, and nothing more.
	Viewer Role = "viewer"
)

// Roles lists the roles, most powerful first.
var Roles = []Role{Admin, Analyst, Viewer}

// Valid reports whether r is one of Roles.
func (r Role) Valid() bool { return r == Admin || r == Analyst || r == Viewer }

// Classifications lists the classification labels a collection may carry
// and a user may be cleared for, lowest first. A collection's label is one
// of them; a user sees a collection only if cleared at its level or above.
var Classifications = []string{"UNCLASSIFIED", "RESTRICTED", "CONFIDENTIAL", "SECRET", "TOP SECRET"}

// ClassificationLevel returns the place of label in Classifications, or -1
// if it is not one of them.
func ClassificationLevel(label string) int {
	for i, c := range Classifications {
		if c == label {
			return i
		}
	}
	return -1
}

// User is an account of one agency.
type User struct {
	ID     int64  `json:"id"`
	Name   string `json:"name"`
	Agency string `json:"agency"`
	Role   Role   `json:"role"`
	// Clearance is the highest classification the user may read (one of
	// Classifications); empty means UNCLASSIFIED only.
	Clearance string    `json:"clearance"`
	Created   time.Time `json:"created"`
	// Disabled is set when the account was revoked: it can no longer log
	// in, and its tokens and sessions no longer work.
	Disabled time.Time `json:"disabled,omitzero"`
}

// Token is an API token of a user. Only a hash of the secret is stored.
type Token struct {
	ID      int64     `json:"id"`
	User    string    `json:"user"`
	Label   string    `json:"label"`
	Created time.Time `json:"created"`
	Revoked time.Time `json:"revoked,omitzero"`
}

// Session is a logged-in browser. Only hashes of its secret and of its
// CSRF token are stored.
type Session struct {
	User    string    `json:"user"`
	Created time.Time `json:"created"`
	Expires time.Time `json:"expires"`
	// CSRFHash is the hash of the token every state-changing request of
	// the session must carry.
	CSRFHash []byte `json:"-"`
}

// Grant lets a user, or every user of an agency, read a collection another
// agency owns. Exactly one of User and Agency is set.
type Grant struct {
	ID         int64     `json:"id"`
	Collection string    `json:"collection"`
	User       string    `json:"user,omitempty"`
	Agency     string    `json:"agency,omitempty"`
	By         string    `json:"by"`
	Reason     string    `json:"reason"`
	Created    time.Time `json:"created"`
	Revoked    time.Time `json:"revoked,omitzero"`
}

// Accounts keeps users, their credentials and what they may read.
type Accounts interface {
	// AddUser creates a user with the hash of their password (empty for
	// an account that logs in by token only), creating the agency if
	// needed. It returns ErrConflict if the name is taken and ErrInvalid
	// for an empty name or agency, an unknown role or clearance.
	AddUser(ctx context.Context, u User, passwordHash string) (User, error)
	// Users lists the users of an agency (every user when agency is
	// empty), by name.
	Users(ctx context.Context, agency string) ([]User, error)
	// UserByName returns a user and their password hash. It returns
	// ErrNotFound if there is no such user.
	UserByName(ctx context.Context, name string) (User, string, error)
	// SetPassword replaces a user's password hash. It returns ErrNotFound
	// if there is no such user.
	SetPassword(ctx context.Context, name, passwordHash string) error
	// DisableUser revokes an account with its tokens and sessions. It
	// returns ErrNotFound if there is no such user.
	DisableUser(ctx context.Context, name string) error
	// AddToken stores the hash of a new API token of the user. It returns
	// ErrNotFound if there is no such user (or it is disabled).
	AddToken(ctx context.Context, user, label string, hash []byte) (Token, error)
	// Tokens lists a user's tokens, revoked ones included.
	Tokens(ctx context.Context, user string) ([]Token, error)
	// RevokeToken revokes one token. It returns ErrNotFound if there is
	// no such token.
	RevokeToken(ctx context.Context, id int64) error
	// TokenUser returns the user of the token with this hash. It returns
	// ErrNotFound if there is none, or it is revoked, or its user is
	// disabled.
	TokenUser(ctx context.Context, hash []byte) (User, error)
	// AddSession stores a session under the hash of its secret.
	AddSession(ctx context.Context, hash []byte, s Session) error
	// SessionUser returns the session with this hash and its user. It
	// returns ErrNotFound if there is none, it has expired, or its user is
	// disabled.
	SessionUser(ctx context.Context, hash []byte) (Session, User, error)
	// DeleteSession ends a session; ending one that is gone is no error.
	DeleteSession(ctx context.Context, hash []byte) error
	// Grant lets g.User or g.Agency read g.Collection, recorded as made by
	// g.By for g.Reason. It returns ErrNotFound if the collection, user or
	// agency does not exist, and ErrInvalid unless exactly one of User and
	// Agency is set, or if By or Reason is empty.
	Grant(ctx context.Context, g Grant) (Grant, error)
	// Grants lists the grants of the collections an agency owns (every
	// grant when agency is empty), revoked ones included.
	Grants(ctx context.Context, agency string) ([]Grant, error)
	// RevokeGrant revokes a grant. It returns ErrNotFound if there is no
	// such grant.
	RevokeGrant(ctx context.Context, id int64) error
	// Classify sets a collection's classification label. It returns
	// ErrNotFound if there is no such collection and ErrInvalid if the
	// label is not one of Classifications.
	Classify(ctx context.Context, collection, label string) error
	// ScopeOf returns what a user may read: the collections their agency
	// owns and those granted (unrevoked) to them or their agency, less any
	// classified above their clearance; its Agency is theirs. A disabled
	// user's scope sees nothing.
	ScopeOf(ctx context.Context, u User) (Scope, error)
}

// AgencyCount says how many documents one agency holds on a subject.
type AgencyCount struct {
	Agency    string `json:"agency"`
	Documents int    `json:"documents"`
	// Classification is the highest label of the collections that hold
	// the documents counted, so that an alert raised on them is shown
	// only to users cleared for it. Callers must not pass it to a user:
	// it says more of the holdings than the bucket does.
	Classification string `json:"-"`
}

// Bucket returns the rough count discovery discloses in place of an exact
// one: "1", "2-5", "6-20" or "more".
func Bucket(n int) string {
	switch {
	case n <= 1:
		return "1"
	case n <= 5:
		return "2-5"
	case n <= 20:
		return "6-20"
	default:
		return "more"
	}
}

// Subject is what a discovery query or a share request is about: entities
// (a person or organisation found by name) or an identifier, a phone
// number or e-mail address in its normalised form.
type Subject struct {
	Entities []mosaic.EntityID `json:"entities,omitempty"`
	// Kind is PHONE or EMAIL and Norm the normalised identifier
	// (mosaic.Mention.Norm) when the subject is an identifier.
	Kind mosaic.MentionType `json:"kind,omitempty"`
	Norm string             `json:"norm,omitempty"`
}

// Discovery counts what every agency holds on a subject, across all
// collections, for the hit/no-hit answer. Its answers carry counts only;
// callers bucket them and must not pass them on to a user unbucketed.
type Discovery interface {
	// Holders counts, for each agency other than except, the distinct
	// documents of its collections that mention the subject (an entity or
	// any entity merged with it, in except's judgements; or a mention of
	// the identifier), by agency name. Only collections classified at or
	// below clearance count (empty: UNCLASSIFIED), so that discovery does
	// not tell a user of holdings they could not be cleared to read. None
	// is an empty result.
	Holders(ctx context.Context, s Subject, except, clearance string) ([]AgencyCount, error)
	// HeldDocuments lists the documents of an agency's collections that
	// mention the subject (an entity or any entity merged with it, in
	// that agency's judgements; or the identifier), for approving a share.
	HeldDocuments(ctx context.Context, s Subject, agency string) ([]mosaic.DocID, error)
}

// DiscoveryFiles keeps the files of discovery's exchange with peer
// servers: the index this server exports to them ("index.json"), the
// digests of the tokens it gave them ("tokens/PEER"), and the indexes it
// imported from them ("peers/NAME.json"). A data folder keeps them as files
// beside the database; a database without a folder (PostgreSQL) keeps
// them here, so that every server on it shares them.
type DiscoveryFiles interface {
	// DiscoveryFile returns a file's content and when it was written;
	// ErrNotFound when there is none.
	DiscoveryFile(ctx context.Context, name string) ([]byte, time.Time, error)
	// PutDiscoveryFile writes a file, replacing the one before it whole.
	PutDiscoveryFile(ctx context.Context, name string, body []byte) error
	// DiscoveryFileList lists the files whose names begin with prefix,
	// by name, with when each was written.
	DiscoveryFileList(ctx context.Context, prefix string) ([]FileStamp, error)
}

// FileStamp is a file of DiscoveryFiles and when it was written.
type FileStamp struct {
	Name     string
	Modified time.Time
}

// ShareStatus is where a share request stands.
type ShareStatus string

// The states of a share request.
const (
	SharePending  ShareStatus = "pending"
	ShareApproved ShareStatus = "approved"
	ShareRefused  ShareStatus = "refused"
)

// ShareRequest asks an agency to share what it holds on a subject.
type ShareRequest struct {
	ID int64 `json:"id"`
	// User of Agency asks Owner.
	User   string `json:"user"`
	Agency string `json:"agency"`
	Owner  string `json:"owner"`
	// Query is what the requester searched for; Subject what it matched.
	Query   string      `json:"query"`
	Subject Subject     `json:"subject"`
	Reason  string      `json:"reason"`
	Created time.Time   `json:"created"`
	Status  ShareStatus `json:"status"`
	// DecidedBy decided at Decided, for Answer. Collection is the
	// collection granted to the requesting agency on approval.
	DecidedBy  string    `json:"decided_by,omitempty"`
	Answer     string    `json:"answer,omitempty"`
	Decided    time.Time `json:"decided,omitzero"`
	Collection string    `json:"collection,omitempty"`
}

// Shares keeps share requests and their decisions.
type Shares interface {
	// RequestShare records a pending request, filling in ID and Created.
	// It returns ErrInvalid if a field is empty or Owner is Agency, and
	// ErrNotFound if Owner is no agency.
	RequestShare(ctx context.Context, r ShareRequest) (ShareRequest, error)
	// ShareRequests lists the requests made by or to an agency, newest
	// first.
	ShareRequests(ctx context.Context, agency string) ([]ShareRequest, error)
	// ShareRequest returns one request. It returns ErrNotFound if there
	// is none.
	ShareRequest(ctx context.Context, id int64) (ShareRequest, error)
	// DecideShare approves or refuses a pending request on behalf of its
	// Owner, by user for answer, in one transaction. Approving with an
	// empty collection creates a collection of the Owner holding the
	// documents HeldDocuments lists for the subject; approving with one
	// names a collection the Owner owns. Either is granted to the
	// requesting agency. It returns ErrNotFound if there is no such
	// request, or the collection is not the Owner's, ErrConflict if the
	// request is decided already or, approving with an empty collection,
	// the Owner holds nothing on the subject any more, and ErrInvalid if
	// user or answer is empty.
	DecideShare(ctx context.Context, id int64, user string, approve bool, answer, collection string) (ShareRequest, error)
}

// Alert tells an agency that material stored by another agency matches
// its own holdings: that new documents of Other name Entity, which the
// agency's documents name too (or the reverse). It discloses nothing but
// that and when.
type Alert struct {
	ID     int64           `json:"id"`
	Agency string          `json:"agency"`
	Other  string          `json:"other"`
	Entity mosaic.EntityID `json:"entity"`
	// Theirs is set when the new material is Other's, clear when it is
	// the agency's own.
	Theirs  bool      `json:"theirs"`
	Created time.Time `json:"created"`
	// Classification is the highest label of the holdings that matched:
	// those of the collection that took in the new material when Theirs,
	// else the other agency's matching holdings. Only a user cleared for
	// it is shown the alert, as discovery counts only what the asker is
	// cleared for. Empty reads as UNCLASSIFIED.
	Classification string `json:"classification,omitempty"`
}

// Alerts keeps discovery alerts.
type Alerts interface {
	// AddAlerts stores alerts, skipping any that repeats an alert for the
	// same agency, other agency, entity and direction.
	AddAlerts(ctx context.Context, as []Alert) error
	// AlertsFor lists an agency's alerts classified at or below clearance
	// (empty: UNCLASSIFIED), newest first. It returns ErrInvalid for a
	// clearance that is not one of Classifications.
	AlertsFor(ctx context.Context, agency, clearance string) ([]Alert, error)
}

// AuditEntry is one line of the audit log. Each entry's Hash covers its
// fields and the Hash of the entry before it, so that editing, inserting
// or deleting an entry breaks the chain from there on.
type AuditEntry struct {
	Seq    int64     `json:"seq"`
	Time   time.Time `json:"time"`
	User   string    `json:"user"`
	Agency string    `json:"agency"`
	// Action says what was done: "login", "login-failed", "search",
	// "read-document", "read-entity", "discover", "judge", "export",
	// "share-request", "share-decision", and so on.
	Action string `json:"action"`
	// Object names what it was done to (a document or entity ID, a
	// query); Outcome is "ok" or why it failed.
	Object  string `json:"object"`
	Outcome string `json:"outcome"`
	Prev    string `json:"prev"`
	Hash    string `json:"hash"`
}

// AuditFilter selects audit entries. Each field set narrows the selection.
type AuditFilter struct {
	User string
	// Agency selects the entries of that agency's users, for its admin.
	Agency string
	// Action selects entries of one action ("login", "user-add", ...).
	Action string
	// Since and Until select entries at or after Since and before Until.
	Since time.Time
	Until time.Time
	// Newest lists the newest entries first instead of the oldest.
	Newest bool
	// After continues a listing: only entries past the one of this Seq,
	// in the listing's order (0: from the start).
	After int64
	// Limit caps the entries (0: all).
	Limit int
}

// AuditBreak names the first entry of the log whose chain does not hold.
type AuditBreak struct {
	Seq    int64
	Reason string
}

// Audit is the append-only, hash-chained log of who read and did what.
type Audit interface {
	// Record appends an entry, filling in Seq, Time (if zero), Prev and
	// Hash. It returns ErrInvalid if Action is empty.
	Record(ctx context.Context, e AuditEntry) (AuditEntry, error)
	// AuditLog lists the entries that pass the filter, oldest first
	// unless the filter asks for the newest.
	AuditLog(ctx context.Context, f AuditFilter) ([]AuditEntry, error)
	// VerifyAudit checks the whole chain and returns how many entries it
	// read and, if the chain is broken, the first entry where it breaks.
	VerifyAudit(ctx context.Context) (int, *AuditBreak, error)
}
