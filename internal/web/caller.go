package web

import (
	"context"
	"net/http"

	"mosaic/internal/store"
)

// caller is who is making a request, as authentication established it:
// the user, and the scope their agency, grants and clearance give them.
type caller struct {
	user  store.User
	scope store.Scope
}

type callerKey struct{}

// withCaller returns r carrying c, for the handlers after authentication.
func withCaller(r *http.Request, c caller) *http.Request {
	return r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
}

// callerOf returns the caller authentication put on r, if any.
func callerOf(r *http.Request) (caller, bool) {
	c, ok := r.Context().Value(callerKey{}).(caller)
	return c, ok
}

// userOf returns the user making the request; ok is false for a request
// no authentication has vouched for.
func userOf(r *http.Request) (store.User, bool) {
	c, ok := callerOf(r)
	return c.user, ok
}
