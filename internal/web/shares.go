package web

import (
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// errNoHolding answers a share request the owner could not meet. It is the
// same whether the owner holds nothing on the subject or is no agency at
// all, so the endpoint is no way to list agencies; that the owner holds
// nothing is what discovery says anyway (no hit), to the same roles.
func errNoHolding(owner, query string) error {
	return fmt.Errorf("agency %q holds nothing on %q: %w", owner, query, store.ErrNotFound)
}

// shareView is a share request as one side sees it. The requesting side
// sees its query and the outcome but not the subject, nor who decided:
// the entity IDs the query matched may be known only to the owner, as
// discovery shows none, and the owner's staff are the owner's business.
func shareView(r store.ShareRequest, agency string) store.ShareRequest {
	if r.Owner != agency {
		r.Subject = store.Subject{}
		r.DecidedBy = ""
	}
	return r
}

// requestShare answers POST /api/v1/shares with {"query", "owner",
// "reason"}: the caller asks the owning agency to share what it holds on
// the person, organisation, phone number or e-mail address query names,
// matched as discovery matches it. It answers 201 with the pending
// request, or 404 if the owner holds nothing on it.
func (s *Server) requestShare(w http.ResponseWriter, r *http.Request) {
	if s.Shares == nil || s.Discovery == nil {
		s.noRoute(w, r)
		return
	}
	if !s.interAgency(w, r) {
		return
	}
	var body struct {
		Query  string `json:"query"`
		Owner  string `json:"owner"`
		Reason string `json:"reason"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	q, err := subjectQuery("query", body.Query)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, _ := userOf(r)
	owner := strings.TrimSpace(body.Owner)
	switch {
	case owner == "":
		s.fail(w, r, &bodyError{errors.New(`"owner" is empty: name the agency to ask`)})
		return
	case owner == u.Agency:
		s.fail(w, r, &bodyError{errors.New(`"owner" is your own agency: its material is yours to read`)})
		return
	case strings.TrimSpace(body.Reason) == "":
		s.fail(w, r, &bodyError{errors.New(`"reason" is empty: say why you need the material`)})
		return
	}
	subject, _, err := s.subjectOf(r, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if len(subject.Entities) == 0 && subject.Norm == "" {
		s.fail(w, r, errNoHolding(owner, q))
		return
	}
	// Whether the owner holds anything is decided as discovery decides
	// it, on the holdings classified at or below the requester's
	// clearance only: otherwise the answer (201 or 404) would tell an
	// uncleared requester of holdings discovery keeps from them.
	holders, err := s.Discovery.Holders(r.Context(), subject, u.Agency, u.Clearance)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(holders, func(c store.AgencyCount) bool { return c.Agency == owner && c.Documents > 0 }) {
		s.fail(w, r, errNoHolding(owner, q))
		return
	}
	req, err := s.Shares.RequestShare(r.Context(), store.ShareRequest{
		User: u.Name, Agency: u.Agency, Owner: owner, Query: q, Subject: subject, Reason: strings.TrimSpace(body.Reason),
	})
	if errors.Is(err, store.ErrNotFound) {
		err = errNoHolding(owner, q)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, shareView(req, u.Agency))
}

// shares answers GET /api/v1/shares: the share requests the caller's
// agency made or was asked, newest first.
func (s *Server) shares(w http.ResponseWriter, r *http.Request) {
	if s.Shares == nil {
		s.noRoute(w, r)
		return
	}
	if !s.interAgency(w, r) {
		return
	}
	u, _ := userOf(r)
	rs, err := s.Shares.ShareRequests(r.Context(), u.Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for i := range rs {
		rs[i] = shareView(rs[i], u.Agency)
	}
	writeJSON(w, http.StatusOK, struct {
		Shares []store.ShareRequest `json:"shares"`
	}{nonNil(rs)})
}

// decideShare answers POST /api/v1/shares/{id}/decision with {"approve",
// "answer", "collection"}: an analyst or admin of the owning agency
// approves the request, granting the requesting agency the documents
// matching its subject (or the named collection of the owner's), or
// refuses it; answer says why. A request the caller's agency does not own
// is not found, whoever asked it.
func (s *Server) decideShare(w http.ResponseWriter, r *http.Request) {
	if s.Shares == nil {
		s.noRoute(w, r)
		return
	}
	if !s.interAgency(w, r) {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, &paramError{"id", "must be a positive whole number"})
		return
	}
	var body struct {
		Approve    *bool  `json:"approve"`
		Answer     string `json:"answer"`
		Collection string `json:"collection"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.Approve == nil {
		s.fail(w, r, &bodyError{errors.New(`"approve" is missing: true to grant, false to refuse`)})
		return
	}
	if strings.TrimSpace(body.Answer) == "" {
		s.fail(w, r, &bodyError{errors.New(`"answer" is empty: say why, for the requester`)})
		return
	}
	u, _ := userOf(r)
	notFound := fmt.Errorf("share request %d: %w", id, store.ErrNotFound)
	req, err := s.Shares.ShareRequest(r.Context(), id)
	if errors.Is(err, store.ErrNotFound) || err == nil && req.Owner != u.Agency {
		err = notFound
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	collection := strings.TrimSpace(body.Collection)
	if *body.Approve {
		cleared, err := s.clearedToShare(r, req, collection)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !cleared {
			refuse(w, http.StatusForbidden, "share request %d: some of what approving would share is classified above your clearance; ask a colleague cleared for it to decide", id)
			return
		}
	}
	req, err = s.Shares.DecideShare(r.Context(), id, u.Name, *body.Approve, strings.TrimSpace(body.Answer), collection)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, shareView(req, u.Agency))
}

// clearedToShare reports whether the caller of r may approve req: share
// the named collection, or (collection empty) the documents its agency
// holds on the subject. No one may give another agency what they could
// not read themselves. A named collection the caller may not read, above
// their clearance or not their agency's, is not found, as one that does
// not exist is. Without a name, the documents must be held in no
// collection of the agency classified above the caller's clearance, as
// the collection an approval makes carries the highest label of those
// that hold them (store.Shares).
func (s *Server) clearedToShare(r *http.Request, req store.ShareRequest, collection string) (bool, error) {
	if s.Collections == nil || s.Documents == nil || s.Discovery == nil {
		return false, fmt.Errorf("share request %d: the server cannot check the approver's clearance, so it approves nothing: %w", req.ID, errUnavailable)
	}
	u, _ := userOf(r)
	if collection != "" {
		mine, err := s.Collections.Collections(r.Context(), scopeOf(r))
		if err != nil {
			return false, err
		}
		if !slices.ContainsFunc(mine, func(c store.Collection) bool { return c.Name == collection && c.Agency == u.Agency }) {
			return false, fmt.Errorf("share request %d: no collection %q of agency %q you may read: %w", req.ID, collection, u.Agency, store.ErrNotFound)
		}
		return true, nil
	}
	all, err := s.Collections.Collections(r.Context(), store.Scope{})
	if err != nil {
		return false, err
	}
	cleared := classificationLevel(u.Clearance)
	var above []string
	for _, c := range all {
		if c.Agency == req.Owner && classificationLevel(c.Classification) > cleared {
			above = append(above, c.Name)
		}
	}
	if len(above) == 0 {
		return true, nil
	}
	held, err := s.Discovery.HeldDocuments(r.Context(), req.Subject, req.Owner)
	if err != nil {
		return false, err
	}
	for _, d := range held {
		for _, c := range above {
			in, err := s.Documents.Holds(r.Context(), c, d)
			if err != nil {
				return false, err
			}
			if in {
				return false, nil
			}
		}
	}
	return true, nil
}

// classificationLevel is the place of a label among store.Classifications:
// empty reads as UNCLASSIFIED, and an unknown label as the highest, so
// that it is shared by the fewest.
func classificationLevel(label string) int {
	if label == "" {
		return 0
	}
	if l := store.ClassificationLevel(label); l >= 0 {
		return l
	}
	return len(store.Classifications) - 1
}

// maxAlerts bounds the alerts one answer lists, newest first.
const maxAlerts = 1000

// alert is a discovery alert as the caller sees it: the entity named as
// the caller's own material names it.
type alert struct {
	ID     int64           `json:"id"`
	Other  string          `json:"other"`
	Entity mosaic.EntityID `json:"entity"`
	Name   string          `json:"name"`
	// Theirs is set when the new material is Other's.
	Theirs  bool      `json:"theirs"`
	Created time.Time `json:"created"`
}

// alerts answers GET /api/v1/alerts: the caller's agency's alerts, newest
// first, that another agency's material names an entity its own does.
// Each is named as the caller's scope names the entity; an alert about an
// entity no document in scope names (its own documents were since removed)
// is left out, since naming it would disclose the other side's spelling.
// Only alerts at or below the caller's clearance are listed, so that an
// alert does not tell of holdings discovery would not count for them.
func (s *Server) alerts(w http.ResponseWriter, r *http.Request) {
	if s.Alerts == nil || s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	if !s.interAgency(w, r) {
		return
	}
	u, _ := userOf(r)
	as, err := s.Alerts.AlertsFor(r.Context(), u.Agency, u.Clearance)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	scope := scopeOf(r)
	out := []alert{}
	names := map[mosaic.EntityID]string{}
	for _, a := range as {
		if len(out) == maxAlerts {
			break
		}
		name, seen := names[a.Entity]
		if !seen {
			e, spellings, _, err := s.Entities.EntityNameCounts(r.Context(), a.Entity, scope, store.Page{})
			switch {
			case errors.Is(err, store.ErrNotFound):
			case err != nil:
				s.fail(w, r, err)
				return
			default:
				name = entity.Heading(store.EntityProfile{Entity: e, Names: spellings})
			}
			names[a.Entity] = name
		}
		if name == "" {
			continue
		}
		out = append(out, alert{ID: a.ID, Other: a.Other, Entity: a.Entity, Name: name, Theirs: a.Theirs, Created: a.Created})
	}
	writeJSON(w, http.StatusOK, struct {
		Alerts []alert `json:"alerts"`
	}{out})
}
