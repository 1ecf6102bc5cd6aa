package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/discovery"
	"mosaic/internal/entity"
	"mosaic/internal/extract"
	"mosaic/internal/store"
)

// maxSubjectQuery bounds a discovery or share query: a name, a phone
// number or an e-mail address, never a document.
const maxSubjectQuery = 256

// maxSubjectEntities is how many matching people and organisations one
// discovery query asks about. A name matching more is a common one, and the
// counts of the best matches are answer enough.
const maxSubjectEntities = 20

// identifiers recognises phone numbers and e-mail addresses as ingest does,
// so that a query's normalised form is the Norm of the mentions it must
// meet.
var identifiers = extract.New(extract.Patterns()...)

// subjectOf reads what a discovery query or share request is about: if the
// whole of q is a phone number or e-mail address as extraction reads one,
// that identifier in its normalised form; otherwise the people and
// organisations whose names match q anywhere in the store. The finder's
// index holds every agency's names; the IDs it gives never reach the
// caller. kind is "phone", "email" or "name".
func (s *Server) subjectOf(r *http.Request, q string) (subject store.Subject, kind string, err error) {
	for _, m := range identifiers.Extract(q, time.Time{}).Mentions {
		if m.Start == 0 && m.End == len(q) && m.Norm != "" && (m.Type == mosaic.Phone || m.Type == mosaic.Email) {
			return store.Subject{Kind: m.Type, Norm: m.Norm}, strings.ToLower(string(m.Type)), nil
		}
	}
	if s.EntityFinder == nil {
		return store.Subject{}, "name", nil
	}
	cands, err := s.EntityFinder.Find(r.Context(), q, maxCandidates)
	if err != nil {
		return store.Subject{}, "", err
	}
	for _, c := range cands {
		if !c.Comparison.Match || c.Name.Kind != entity.Person && c.Name.Kind != entity.Org {
			continue
		}
		id := mosaic.EntityID(c.ID)
		if !slices.Contains(subject.Entities, id) {
			subject.Entities = append(subject.Entities, id)
		}
		if len(subject.Entities) == maxSubjectEntities {
			break
		}
	}
	return subject, "name", nil
}

// subjectQuery reads and checks a discovery or share query: trimmed, not
// empty, valid UTF-8 and at most maxSubjectQuery bytes.
func subjectQuery(param, q string) (string, error) {
	q = strings.TrimSpace(q)
	switch {
	case q == "":
		return "", &paramError{param, "is empty: give a name, a phone number or an e-mail address"}
	case len(q) > maxSubjectQuery:
		return "", &paramError{param, "is longer than " + strconv.Itoa(maxSubjectQuery) + " bytes: give a name, a phone number or an e-mail address"}
	case !utf8.ValidString(q):
		return "", &paramError{param, "is not valid UTF-8"}
	}
	return q, nil
}

// PeerFinder asks the discovery indexes of other servers about a query
// (discovery.LivePeers).
type PeerFinder interface {
	Query(q string) ([]discovery.PeerHit, error)
}

// peerHolder is an agency of another server whose exported index matches
// a discovery query: hit/no-hit, with the bucket its index gives.
type peerHolder struct {
	Peer      string `json:"peer"`
	Agency    string `json:"agency"`
	Documents string `json:"documents"`
}

// holder is one agency's answer to a discovery query: that it holds
// material, and roughly how much.
type holder struct {
	Agency string `json:"agency"`
	// Documents is a store.Bucket, never the exact count.
	Documents string `json:"documents"`
}

// discover answers GET /api/v1/discover?q=: which other agencies hold
// documents on the person, organisation, phone number or e-mail address q
// names, each with a bucketed count. It says nothing else: no text, title,
// name or entity ID, so a caller learns only whom to ask (POST
// /api/v1/shares). Only analysts and admins may ask (see interAgency).
func (s *Server) discover(w http.ResponseWriter, r *http.Request) {
	if s.Discovery == nil {
		s.noRoute(w, r)
		return
	}
	if !s.interAgency(w, r) {
		return
	}
	q, err := subjectQuery("q", r.URL.Query().Get("q"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	subject, kind, err := s.subjectOf(r, q)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	holders := []holder{}
	if len(subject.Entities) > 0 || subject.Norm != "" {
		u, _ := userOf(r)
		counts, err := s.Discovery.Holders(r.Context(), subject, u.Agency, u.Clearance)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, c := range counts {
			if c.Documents > 0 && c.Agency != u.Agency {
				holders = append(holders, holder{Agency: c.Agency, Documents: store.Bucket(c.Documents)})
			}
		}
		slices.SortFunc(holders, func(a, b holder) int { return strings.Compare(a.Agency, b.Agency) })
	}
	peers := []peerHolder{}
	if s.Peers != nil {
		hits, err := s.Peers.Query(q)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		for _, h := range hits {
			peers = append(peers, peerHolder{Peer: h.Peer, Agency: h.Agency, Documents: h.Bucket})
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Query   string       `json:"query"`
		Kind    string       `json:"kind"`
		Holders []holder     `json:"holders"`
		Peers   []peerHolder `json:"peers"`
	}{q, kind, holders, peers})
}

// interAgency answers 403 and returns false unless the caller may deal
// with other agencies: discover what they hold, ask them to share, decide
// their requests, read alerts. That is an analyst's or admin's work
// (store.Analyst); a viewer reads their own agency's material and nothing
// more, so learns nothing of another's holdings, not even hit or no-hit.
// A request no authentication vouched for may not either (the guard
// refuses those before any handler; this is the fallback).
func (s *Server) interAgency(w http.ResponseWriter, r *http.Request) bool {
	u, ok := userOf(r)
	if !ok {
		refuse(w, http.StatusUnauthorized, "log in first")
		return false
	}
	if u.Role == store.Admin || u.Role == store.Analyst {
		return true
	}
	refuse(w, http.StatusForbidden, "a %s may not deal with other agencies: only analysts and admins may", u.Role)
	return false
}
