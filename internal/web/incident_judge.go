package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"mosaic"
	"mosaic/internal/store"
)

// incidentPairObject names a ruling in the audit log: the pair and the
// word ruled ("incidents 12 same 31"), since a later ruling replaces the
// stored one and the log is then all that says what was ruled before.
func incidentPairObject(r *http.Request, _ []byte) string {
	verb := "different"
	if strings.Contains(r.URL.Path, "/same/") {
		verb = "same"
	}
	return "incidents " + r.PathValue("a") + " " + verb + " " + r.PathValue("b")
}

// sameIncidents records the caller's ruling that two incidents are one
// attack: POST /api/v1/incidents/{a}/same/{b}, with an optional body
// {"reason"}.
func (s *Server) sameIncidents(w http.ResponseWriter, r *http.Request) { s.judgeIncidents(w, r, true) }

// differentIncidents records the caller's ruling that two incidents are
// two attacks: POST /api/v1/incidents/{a}/different/{b}, with an optional
// body {"reason"}.
func (s *Server) differentIncidents(w http.ResponseWriter, r *http.Request) {
	s.judgeIncidents(w, r, false)
}

// judgeIncidents records a ruling on a pair of incidents as the caller
// and their agency, both incidents in the caller's scope (a pair with one
// out of it is not found, as an incident never stored is). The ruling
// shapes only the caller's agency's merges.
func (s *Server) judgeIncidents(w http.ResponseWriter, r *http.Request, same bool) {
	if s.Incidents == nil {
		s.noRoute(w, r)
		return
	}
	u, ok := s.judgeAs(w, r)
	if !ok {
		return
	}
	var ids [2]mosaic.IncidentID
	for i, name := range []string{"a", "b"} {
		n, err := strconv.ParseInt(r.PathValue(name), 10, 64)
		if err != nil || n <= 0 {
			s.fail(w, r, fmt.Errorf("%w: incident %q: want a positive incident id", store.ErrInvalid, r.PathValue(name)))
			return
		}
		ids[i] = mosaic.IncidentID(n)
	}
	var reason string
	if r.ContentLength != 0 {
		var claimed json.RawMessage
		if err := readBody(w, r, &struct {
			Reason *string          `json:"reason"`
			User   *json.RawMessage `json:"user"`
		}{&reason, &claimed}); err != nil {
			s.fail(w, r, err)
			return
		}
		if claimed != nil {
			s.fail(w, r, errUserInBody)
			return
		}
	}
	j, err := s.Incidents.JudgeIncidents(r.Context(), store.IncidentJudgement{A: ids[0], B: ids[1], Same: same,
		User: u.Name, Agency: u.Agency, Reason: reason}, scopeOf(r))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, j)
}
