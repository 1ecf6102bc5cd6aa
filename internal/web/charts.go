package web

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"

	"mosaic/internal/store"
)

// Saved link charts: GET /api/v1/charts lists the caller's agency's,
// GET /api/v1/charts/{name} reads one, PUT saves one (the body is the chart
// as the page writes it, a JSON object), DELETE removes one. A chart is
// its agency's: another agency's caller finds none of that name, and it
// carries its saver's clearance, so a less cleared colleague finds none
// either. Viewers read; analysts and admins save and delete.

// listCharts answers GET /api/v1/charts.
func (s *Server) listCharts(w http.ResponseWriter, r *http.Request) {
	u, ok := s.chartCaller(w, r, false)
	if !ok {
		return
	}
	l, err := s.Charts.ChartList(r.Context(), u.Agency, u.Clearance)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Charts []store.Chart `json:"charts"`
	}{l})
}

// chart answers GET /api/v1/charts/{name}.
func (s *Server) chart(w http.ResponseWriter, r *http.Request) {
	u, ok := s.chartCaller(w, r, false)
	if !ok {
		return
	}
	c, err := s.Charts.Chart(r.Context(), u.Agency, u.Clearance, r.PathValue("name"))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// saveChart answers PUT /api/v1/charts/{name}: the body is the chart.
func (s *Server) saveChart(w http.ResponseWriter, r *http.Request) {
	u, ok := s.chartCaller(w, r, true)
	if !ok {
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, store.MaxChartBytes+1))
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		s.fail(w, r, &tooLargeError{store.MaxChartBytes})
		return
	}
	if err != nil {
		s.fail(w, r, &bodyError{err})
		return
	}
	c, err := s.Charts.SaveChart(r.Context(), store.Chart{Name: r.PathValue("name"), Agency: u.Agency, User: u.Name, Classification: u.Clearance, Body: json.RawMessage(body)})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	c.Body = nil
	writeJSON(w, http.StatusOK, c)
}

// deleteChart answers DELETE /api/v1/charts/{name}.
func (s *Server) deleteChart(w http.ResponseWriter, r *http.Request) {
	u, ok := s.chartCaller(w, r, true)
	if !ok {
		return
	}
	if err := s.Charts.DeleteChart(r.Context(), u.Agency, u.Clearance, r.PathValue("name")); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// chartCaller returns the caller, answering for it when charts are not
// kept, no one is logged in, or a write comes from a viewer.
func (s *Server) chartCaller(w http.ResponseWriter, r *http.Request, write bool) (store.User, bool) {
	if s.Charts == nil {
		s.noRoute(w, r)
		return store.User{}, false
	}
	if write {
		return s.judgeAs(w, r)
	}
	u, ok := userOf(r)
	if !ok {
		refuse(w, http.StatusUnauthorized, "log in first")
	}
	return u, ok
}
