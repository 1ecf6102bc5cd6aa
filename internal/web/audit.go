package web

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"

	"mosaic/internal/store"
)

// auditTimeout bounds the recording of one audit entry. The entry is
// written on a context detached from the request's, so a client that hangs
// up once its answer is computed still leaves its read in the log.
const auditTimeout = 10 * time.Second

// audit records in the audit log that the caller of r did action to object,
// with outcome ("ok", or why not). The user and agency come from the caller
// authentication established; a request no one vouched for (a failed
// login) is recorded with neither.
//
// A failure is logged, at error level, naming the action and the user but
// not the object: an object may be an analyst's query, which the server log
// must not hold (see logRequests). The error is returned so that a caller
// about to disclose something can refuse to (see audited); a caller that
// discloses nothing, such as a failed login, may ignore it.
func (s *Server) audit(r *http.Request, action, object, outcome string) error {
	if s.Audit == nil {
		return nil
	}
	u, _ := userOf(r)
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), auditTimeout)
	defer cancel()
	_, err := s.Audit.Record(ctx, store.AuditEntry{
		User: u.Name, Agency: u.Agency, Action: action, Object: object, Outcome: outcome,
	})
	if err != nil {
		s.logger().LogAttrs(r.Context(), slog.LevelError, "audit record failed",
			slog.String("action", action),
			slog.String("user", u.Name),
			slog.String("agency", u.Agency),
			slog.String("err", err.Error()))
	}
	return err
}

// auditObject names what a request acts on, from the request and, for a
// request that creates something, the answer it produced.
type auditObject func(r *http.Request, answer []byte) string

// pathObject names the object by a path parameter, such as a document ID.
func pathObject(name string) auditObject {
	return func(r *http.Request, _ []byte) string { return r.PathValue(name) }
}

// queryObject names the object by a query parameter, such as the query.
func queryObject(name string) auditObject {
	return func(r *http.Request, _ []byte) string { return r.URL.Query().Get(name) }
}

// rawQueryObject names the object by the whole query string: the filter of
// a network analysis.
func rawQueryObject(r *http.Request, _ []byte) string { return r.URL.RawQuery }

// paramsObject names the object by several query parameters, such as the
// two ends of a path.
func paramsObject(names ...string) auditObject {
	return func(r *http.Request, _ []byte) string {
		vs := make([]string, len(names))
		for i, n := range names {
			vs[i] = n + "=" + r.URL.Query().Get(n)
		}
		return strings.Join(vs, " ")
	}
}

// createdObject names the object by the "id" of what the request created
// (a judgement, a share request), or by the path's id when it acted on an
// existing one; a refused request names nothing more.
func createdObject(r *http.Request, answer []byte) string {
	var created struct {
		ID json.Number `json:"id"`
	}
	if json.Unmarshal(answer, &created) == nil && created.ID != "" {
		return created.ID.String()
	}
	return r.PathValue("id")
}

// audited wraps a handler so that the audit log records each call: who,
// action, object, and the outcome, "ok" or the status refused with.
//
// The answer is held back until the entry is recorded. If it cannot be,
// the caller gets a 503 and nothing of the answer: the log is the evidence
// of who read what, and a read it does not hold is the one an insider
// would want, so a server whose log is failing stops disclosing rather
// than disclose unrecorded. Answers are bounded (pages, limits), so
// holding one back costs little.
func (s *Server) audited(action string, object auditObject, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if s.Audit == nil {
			h(w, r)
			return
		}
		held := &heldResponse{header: http.Header{}, status: http.StatusOK}
		h(held, r)
		if err := s.audit(r, action, object(r, held.body.Bytes()), outcomeOf(held.status)); err != nil {
			writeJSON(w, http.StatusServiceUnavailable, errorBody{Error: "the audit log cannot record this request, so it is not answered; try again later"})
			return
		}
		for k, vs := range held.header {
			w.Header()[k] = vs
		}
		w.WriteHeader(held.status)
		w.Write(held.body.Bytes())
	}
}

// outcomeOf is the audit outcome of an answer's status.
func outcomeOf(status int) string {
	if status < 300 {
		return "ok"
	}
	return strconv.Itoa(status) + " " + strings.ToLower(http.StatusText(status))
}

// heldResponse is an answer held back until its audit entry is recorded.
type heldResponse struct {
	header      http.Header
	status      int
	wroteHeader bool
	body        bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.header }

func (h *heldResponse) WriteHeader(status int) {
	if !h.wroteHeader {
		h.status, h.wroteHeader = status, true
	}
}

func (h *heldResponse) Write(p []byte) (int, error) {
	h.wroteHeader = true
	return h.body.Write(p)
}
