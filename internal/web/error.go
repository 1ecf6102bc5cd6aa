package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"

	"mosaic/internal/store"
)

// statusClientClosed is the status logged when the client went away before
// the answer was ready (nginx's 499); the client never sees it.
const statusClientClosed = 499

// errUnavailable is work the server refuses for now, asking the client to
// come back (503).
var errUnavailable = errors.New("unavailable")

// statusOf maps an error to the HTTP status and the message the client sees.
// It is the only place that decides: handlers hand every error to fail.
// The store's contract errors describe the caller's own request, so their
// text is shown; anything else is an internal fault whose details stay in
// the log.
func statusOf(r *http.Request, err error) (int, string) {
	var tooLarge *tooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return http.StatusRequestEntityTooLarge, err.Error()
	case errors.Is(err, store.ErrInvalid):
		return http.StatusBadRequest, err.Error()
	case errors.Is(err, store.ErrNotFound):
		return http.StatusNotFound, err.Error()
	case errors.Is(err, store.ErrConflict):
		return http.StatusConflict, err.Error()
	case errors.Is(err, errUnavailable):
		return http.StatusServiceUnavailable, err.Error()
	case errors.Is(err, context.Canceled), errors.Is(r.Context().Err(), context.Canceled):
		// A driver interrupted by a cancelled context does not always wrap
		// context.Canceled, so the request's own context decides too.
		return statusClientClosed, "request cancelled"
	case errors.Is(err, context.DeadlineExceeded), errors.Is(r.Context().Err(), context.DeadlineExceeded):
		return http.StatusServiceUnavailable, "request timed out, try again"
	}
	return http.StatusInternalServerError, "internal error; the server log has the details"
}

// fail answers with the error. Internal faults are logged here, once; the
// client's own mistakes are not faults and are left to the request log.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	status, msg := statusOf(r, err)
	if status >= http.StatusInternalServerError {
		s.logger().LogAttrs(r.Context(), slog.LevelError, "request failed",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", status),
			slog.String("err", err.Error()))
	}
	writeJSON(w, status, errorBody{Error: msg})
}

type errorBody struct {
	Error string `json:"error"`
}

// paramError is a query parameter the API cannot use. It is an
// store.ErrInvalid, so statusOf answers 400 with a message naming it.
type paramError struct {
	name, problem string
}

func (e *paramError) Error() string {
	return fmt.Sprintf("parameter %q %s", e.name, e.problem)
}

func (e *paramError) Unwrap() error { return store.ErrInvalid }

// writeJSON encodes v before writing anything, so a value that cannot be
// encoded becomes a clean 500 rather than half a response.
func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"internal error: response could not be encoded"}` + "\n")
	}
	h := w.Header()
	h.Set("Content-Type", "application/json; charset=utf-8")
	// Documents are evidence: keep them out of the browser's disk cache.
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}
