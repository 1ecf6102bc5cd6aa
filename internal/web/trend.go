package web

import (
	"errors"
	"net/http"
	"strings"

	"mosaic"
	"mosaic/internal/store"
	"mosaic/internal/trend"
)

// entityTrend answers GET /api/v1/entities/{id}/trend?collection=: how
// often the dated documents in scope (of the comma-separated collections,
// if named) mention the entity, week by week with quiet weeks as zeros,
// and the weeks that surge above the weeks before.
func (s *Server) entityTrend(w http.ResponseWriter, r *http.Request) {
	if s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	id, err := entityID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var collections []string
	for _, c := range strings.Split(r.URL.Query().Get("collection"), ",") {
		if c = strings.TrimSpace(c); c != "" {
			collections = append(collections, c)
		}
	}
	scope := narrowScope(r, collections)
	p, err := s.Entities.Entity(r.Context(), id, scope)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// An entity the scope names only in undated documents has no series.
	days, err := s.Entities.MentionsByDay(r.Context(), id, scope)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		s.fail(w, r, err)
		return
	}
	weeks, surges := trend.Series(trend.Mentions(days), trend.Options{})
	writeJSON(w, http.StatusOK, struct {
		Entity mosaic.EntityID `json:"entity"`
		Name   string          `json:"name"`
		Weeks  []trend.Week    `json:"weeks"`
		Surges []trend.Surge   `json:"surges"`
	}{p.ID, p.Name, weeks, surges})
}
