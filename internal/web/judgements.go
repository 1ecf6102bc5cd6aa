package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// Judges records analysts' judgements about entities and reads them back.
type Judges interface {
	Judge(ctx context.Context, j store.Judgement) (store.Judgement, error)
	Undo(ctx context.Context, id int64, user, reason string) (store.Judgement, error)
	Judgements(ctx context.Context, entity mosaic.EntityID, agency string) ([]store.Judgement, error)
}

// maxBody caps a request body: a judgement is a few short fields.
const maxBody = 64 << 10

// bodyError is a request body the API cannot use; it is a store.ErrInvalid.
type bodyError struct{ err error }

func (e *bodyError) Error() string { return "request body: " + e.err.Error() }
func (e *bodyError) Unwrap() error { return store.ErrInvalid }

// readBody decodes a JSON request body into v, refusing unknown fields,
// trailing data and bodies over maxBody.
func readBody(w http.ResponseWriter, r *http.Request, v any) error {
	dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, maxBody))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return &bodyError{errors.New("is empty: send a JSON object")}
		}
		if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
			return &tooLargeError{tooBig.Limit}
		}
		return &bodyError{err}
	}
	if dec.More() {
		return &bodyError{errors.New("holds more than one JSON value")}
	}
	return nil
}

// visible returns ErrNotFound unless some document in the caller's scope
// names the entity: a caller may judge only what it can see. One name is
// enough to tell.
func (s *Server) visible(r *http.Request, id mosaic.EntityID) error {
	if id == 0 {
		return nil
	}
	_, _, _, err := s.Entities.EntityNameCounts(r.Context(), id, scopeOf(r), store.Page{Limit: 1})
	return err
}

// judge records a judgement: POST /api/v1/judgements with
// {"kind", "entity", "other", "name", "reason", "force"}; force lets a
// merge join entities of different kinds (store.Judgement.Force). The
// judgement is the caller's and their agency's.
func (s *Server) judge(w http.ResponseWriter, r *http.Request) {
	if s.Judges == nil || s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	u, ok := s.judgeAs(w, r)
	if !ok {
		return
	}
	var j store.Judgement
	var claimed json.RawMessage
	if err := readBody(w, r, &struct {
		Kind   *store.JudgementKind `json:"kind"`
		Entity *mosaic.EntityID     `json:"entity"`
		Other  *mosaic.EntityID     `json:"other"`
		Name   *string              `json:"name"`
		User   *json.RawMessage     `json:"user"`
		Reason *string              `json:"reason"`
		Force  *bool                `json:"force"`
	}{&j.Kind, &j.Entity, &j.Other, &j.Name, &claimed, &j.Reason, &j.Force}); err != nil {
		s.fail(w, r, err)
		return
	}
	if claimed != nil {
		s.fail(w, r, errUserInBody)
		return
	}
	j.User, j.Agency = u.Name, u.Agency
	if j.Entity <= 0 {
		s.fail(w, r, &bodyError{errors.New(`"entity" must be a positive entity id`)})
		return
	}
	for _, id := range []mosaic.EntityID{j.Entity, j.Other} {
		if err := s.visible(r, id); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	// The store checks a spelling against the agency's documents; the
	// caller may be cleared for fewer of them. A spelling the caller
	// cannot see is answered as one no document uses, so that a confirm
	// or split cannot test for it (nor move mentions the caller may not
	// read).
	if j.Name != "" {
		seen, err := entity.SpelledIn(r.Context(), s.Entities, j.Entity, j.Name, scopeOf(r))
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if !seen {
			s.fail(w, r, fmt.Errorf("%w: entity %d is not called %q in your agency's documents", store.ErrInvalid, j.Entity, j.Name))
			return
		}
	}
	j, err := s.Judges.Judge(r.Context(), j)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, j)
}

// undo undoes a judgement of the caller's agency:
// POST /api/v1/judgements/{id}/undo with {"reason"}, by the caller.
func (s *Server) undo(w http.ResponseWriter, r *http.Request) {
	if s.Judges == nil || s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	u, ok := s.judgeAs(w, r)
	if !ok {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		s.fail(w, r, &paramError{"id", "must be a positive whole number"})
		return
	}
	var body struct {
		User   *json.RawMessage `json:"user"`
		Reason string           `json:"reason"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.User != nil {
		s.fail(w, r, errUserInBody)
		return
	}
	// The judgement must be about an entity the caller can see; one that
	// is not is answered as if it did not exist.
	all, err := s.Judges.Judgements(r.Context(), 0, scopeOf(r).Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	found := false
	for _, j := range all {
		if j.ID == id {
			// Another agency's judgement shapes only what that agency
			// sees, so only that agency may undo it.
			found = j.Agency == u.Agency &&
				(s.visible(r, j.Entity) == nil || j.Kind == store.Split && s.visible(r, j.Other) == nil)
			break
		}
	}
	if !found {
		s.fail(w, r, fmt.Errorf("judgement %d: %w", id, store.ErrNotFound))
		return
	}
	j, err := s.Judges.Undo(r.Context(), id, u.Name, body.Reason)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, j)
}

// errUserInBody refuses a body that names the acting user: who acts is
// whoever logged in, never what the request claims.
var errUserInBody = &bodyError{errors.New(`"user" is not accepted: the acting user is the one logged in (session or token)`)}

// judgeAs returns the user making a judgement or an undo, answering 403
// and returning false if their role may not judge.
func (s *Server) judgeAs(w http.ResponseWriter, r *http.Request) (store.User, bool) {
	u, ok := userOf(r)
	if !ok {
		refuse(w, http.StatusUnauthorized, "log in first")
		return store.User{}, false
	}
	if u.Role != store.Admin && u.Role != store.Analyst {
		refuse(w, http.StatusForbidden, "a %s may not judge entities: only analysts and admins may", u.Role)
		return store.User{}, false
	}
	return u, true
}

// entityJudgements lists the judgements about an entity:
// GET /api/v1/entities/{id}/judgements.
func (s *Server) entityJudgements(w http.ResponseWriter, r *http.Request) {
	if s.Judges == nil || s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	id, err := entityID(r)
	if err == nil {
		err = s.visible(r, id)
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	js, err := s.Judges.Judgements(r.Context(), id, scopeOf(r).Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// A colleague cleared higher may have judged a spelling, or an entity,
	// only the documents above the caller's clearance name: such a
	// judgement is left out, its name and reason being theirs to read.
	shown := js[:0]
	for _, j := range js {
		ok := j.Name == ""
		if !ok {
			// A split's spelling now names the entity the split made.
			named := id
			if j.Kind == store.Split && j.Active() {
				named = j.Other
			}
			if ok, err = entity.SpelledIn(r.Context(), s.Entities, named, j.Name, scopeOf(r)); err != nil {
				s.fail(w, r, err)
				return
			}
		}
		if ok && j.Other != 0 && j.Kind != store.Split {
			ok = s.visible(r, j.Other) == nil
		}
		if ok {
			shown = append(shown, j)
		}
	}
	js = shown
	writeJSON(w, http.StatusOK, struct {
		Judgements []store.Judgement `json:"judgements"`
	}{nonNil(js)})
}

// proposals lists entities that may be the same as one:
// GET /api/v1/entities/{id}/proposals?limit=.
func (s *Server) proposals(w http.ResponseWriter, r *http.Request) {
	if s.EntityFinder == nil || s.Entities == nil {
		s.noRoute(w, r)
		return
	}
	id, err := entityID(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	limit, err := intParam(r, "limit", 1, 50)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if limit == 0 {
		limit = 10
	}
	ps, err := s.EntityFinder.Proposals(r.Context(), id, scopeOf(r), limit)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Proposals []entity.Proposal `json:"proposals"`
	}{nonNil(ps)})
}
