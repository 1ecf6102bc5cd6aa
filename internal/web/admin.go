package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"mosaic/internal/auth"
	"mosaic/internal/store"
)

// The admin API: an agency's admin manages its users, their passwords and
// tokens, and the grants of its collections to other agencies, and reads
// its agency's part of the audit log, as mosaic user and mosaic audit do on
// the command line. Only admins are served (403 for the other roles), and
// only over their own agency: another agency's user, token or grant is
// answered 404, as one never stored. A password or token is answered once,
// by the request that makes it; the store keeps only its hash, and the
// audit log names the user, never the secret.
//
//	GET    /api/v1/admin/users                  {"users": [user with "tokens": [store.Token]]}
//	POST   /api/v1/admin/users                  {"name","role","clearance"} → 201 {"user", "password"}
//	POST   /api/v1/admin/users/{name}/password  → {"user", "password"} (a new one)
//	POST   /api/v1/admin/users/{name}/tokens    {"label"} → 201 {"token": store.Token, "secret"}
//	DELETE /api/v1/admin/tokens/{id}            204
//	GET    /api/v1/admin/grants                 {"grants": [store.Grant], "collections", "agencies"}
//	POST   /api/v1/admin/grants                 {"collection","agency","reason"} → 201 store.Grant
//	DELETE /api/v1/admin/grants/{id}            204
//	GET    /api/v1/audit?since=&until=&user=&action=&limit=&cursor=
//	                                            {"entries": [store.AuditEntry], "next": cursor}, newest first
//	GET    /api/v1/audit/verify                 {"entries": n, "intact": bool, "break"?, "head"}

// defaultAuditLimit is the page of audit entries when limit= is absent.
const defaultAuditLimit = 100

// adminAs returns the caller, answering for it unless it is an admin.
func (s *Server) adminAs(w http.ResponseWriter, r *http.Request) (store.User, bool) {
	u, ok := userOf(r)
	if !ok {
		refuse(w, http.StatusUnauthorized, "log in first")
		return store.User{}, false
	}
	if u.Role != store.Admin {
		refuse(w, http.StatusForbidden, "a %s may not manage the agency: only its admins may", u.Role)
		return store.User{}, false
	}
	return u, true
}

// managedUser is a user as the admin page lists them: with their tokens,
// which carry no secret.
type managedUser struct {
	store.User
	Tokens []store.Token `json:"tokens"`
}

// adminUsers answers GET /api/v1/admin/users: the users of the admin's
// agency, with their tokens.
func (s *Server) adminUsers(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	us, err := s.Accounts.Users(r.Context(), admin.Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	out := make([]managedUser, len(us))
	for i, u := range us {
		out[i].User = u
		if out[i].Tokens, err = s.Accounts.Tokens(r.Context(), u.Name); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	writeJSON(w, http.StatusOK, struct {
		Users []managedUser `json:"users"`
	}{out})
}

// newPassword is the answer that carries a password, once.
type newPassword struct {
	User     store.User `json:"user"`
	Password string     `json:"password"`
}

// addUser answers POST /api/v1/admin/users: a user of the admin's agency,
// with a generated password for the page. An admin clears no one above
// their own clearance.
func (s *Server) addUser(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	var body struct {
		Name      string     `json:"name"`
		Role      store.Role `json:"role"`
		Clearance string     `json:"clearance"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	body.Name = strings.TrimSpace(body.Name)
	if body.Role == "" {
		body.Role = store.Analyst
	}
	if body.Clearance == "" {
		body.Clearance = store.Classifications[0]
	}
	switch {
	case body.Name == "" || len(body.Name) > maxUserName || strings.ContainsFunc(body.Name, isControl):
		s.fail(w, r, &bodyError{fmt.Errorf(`"name" must be 1 to %d bytes of printable text`, maxUserName)})
		return
	case store.ClassificationLevel(body.Clearance) > store.ClassificationLevel(clearanceOf(admin)):
		s.fail(w, r, &bodyError{fmt.Errorf("you may clear users up to %s, your own clearance, not %s", clearanceOf(admin), body.Clearance)})
		return
	}
	password, err := auth.NewPassword()
	if err != nil {
		s.fail(w, r, err)
		return
	}
	hash, err := auth.HashPassword(password)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.Accounts.AddUser(r.Context(), store.User{Name: body.Name, Agency: admin.Agency, Role: body.Role, Clearance: body.Clearance}, hash)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, newPassword{User: u, Password: password})
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

// clearanceOf is a user's clearance, empty read as the lowest.
func clearanceOf(u store.User) string {
	if u.Clearance == "" {
		return store.Classifications[0]
	}
	return u.Clearance
}

// managed returns the user of the admin's agency named by the path, or
// store.ErrNotFound if there is none: another agency's is none.
func (s *Server) managed(r *http.Request, admin store.User) (store.User, error) {
	name := r.PathValue("name")
	u, _, err := s.Accounts.UserByName(r.Context(), name)
	if err == nil && u.Agency != admin.Agency {
		err = store.ErrNotFound
	}
	if errors.Is(err, store.ErrNotFound) {
		return store.User{}, fmt.Errorf("no user %q in %s: %w", name, admin.Agency, store.ErrNotFound)
	}
	return u, err
}

// resetPassword answers POST /api/v1/admin/users/{name}/password: a new
// random password replaces the user's.
func (s *Server) resetPassword(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	u, err := s.managed(r, admin)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	password, err := auth.NewPassword()
	if err == nil {
		var hash string
		if hash, err = auth.HashPassword(password); err == nil {
			err = s.Accounts.SetPassword(r.Context(), u.Name, hash)
		}
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, newPassword{User: u, Password: password})
}

// addToken answers POST /api/v1/admin/users/{name}/tokens: a new API token
// of the user, with an optional {"label"}.
func (s *Server) addToken(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	var body struct {
		Label string `json:"label"`
	}
	if err := readOptionalBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	u, err := s.managed(r, admin)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	secret := auth.NewToken()
	t, err := s.Accounts.AddToken(r.Context(), u.Name, body.Label, auth.Digest(secret))
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, struct {
		Token  store.Token `json:"token"`
		Secret string      `json:"secret"`
	}{t, secret})
}

// readOptionalBody is readBody for a body that may be left empty.
func readOptionalBody(w http.ResponseWriter, r *http.Request, v any) error {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBody))
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		return &tooLargeError{tooBig.Limit}
	}
	if err != nil {
		return &bodyError{err}
	}
	if len(bytes.TrimSpace(raw)) == 0 {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return &bodyError{err}
	}
	if dec.More() {
		return &bodyError{errors.New("holds more than one JSON value")}
	}
	return nil
}

// revokeToken answers DELETE /api/v1/admin/tokens/{id}: the token stops
// working at once. A token of another agency's user is not found.
func (s *Server) revokeToken(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	us, err := s.Accounts.Users(r.Context(), admin.Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	for _, u := range us {
		ts, err := s.Accounts.Tokens(r.Context(), u.Name)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		if slices.ContainsFunc(ts, func(t store.Token) bool { return t.ID == id }) {
			if err := s.Accounts.RevokeToken(r.Context(), id); err != nil {
				s.fail(w, r, err)
				return
			}
			w.WriteHeader(http.StatusNoContent)
			return
		}
	}
	s.fail(w, r, fmt.Errorf("no token %d in %s: %w", id, admin.Agency, store.ErrNotFound))
}

// pathID reads a positive integer path parameter.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, &paramError{name, "is not an ID"}
	}
	return id, nil
}

// adminGrants answers GET /api/v1/admin/grants: the grants of the admin's
// agency's collections, revoked ones included, with what the grant form
// offers: the agency's collections and the other agencies.
func (s *Server) adminGrants(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	gs, err := s.Accounts.Grants(r.Context(), admin.Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	own, err := s.ownCollections(r, admin)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	us, err := s.Accounts.Users(r.Context(), "")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	others := []string{}
	for _, u := range us {
		if u.Agency != admin.Agency && !slices.Contains(others, u.Agency) {
			others = append(others, u.Agency)
		}
	}
	slices.Sort(others)
	writeJSON(w, http.StatusOK, struct {
		Grants      []store.Grant `json:"grants"`
		Collections []string      `json:"collections"`
		Agencies    []string      `json:"agencies"`
	}{gs, own, others})
}

// ownCollections names the collections of the admin's agency.
func (s *Server) ownCollections(r *http.Request, admin store.User) ([]string, error) {
	if s.Collections == nil {
		return []string{}, nil
	}
	cs, err := s.Collections.Collections(r.Context(), store.Scope{})
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, c := range cs {
		if c.Agency == admin.Agency {
			out = append(out, c.Name)
		}
	}
	return out, nil
}

// addGrant answers POST /api/v1/admin/grants: every user of another
// agency may read one of the admin's agency's collections, recorded with
// the admin and the reason, as mosaic user grant --to-agency does.
func (s *Server) addGrant(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	var body struct {
		Collection string `json:"collection"`
		Agency     string `json:"agency"`
		Reason     string `json:"reason"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	body.Agency, body.Reason = strings.TrimSpace(body.Agency), strings.TrimSpace(body.Reason)
	switch {
	case body.Agency == "" || body.Reason == "":
		s.fail(w, r, &bodyError{errors.New(`"agency" and "reason" are both needed: a grant is recorded with who and why`)})
		return
	case body.Agency == admin.Agency:
		s.fail(w, r, &bodyError{fmt.Errorf("%s reads its own collections already", admin.Agency)})
		return
	}
	own, err := s.ownCollections(r, admin)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !slices.Contains(own, body.Collection) {
		s.fail(w, r, fmt.Errorf("no collection %q in %s: %w", body.Collection, admin.Agency, store.ErrNotFound))
		return
	}
	g, err := s.Accounts.Grant(r.Context(), store.Grant{Collection: body.Collection, Agency: body.Agency, By: admin.Name, Reason: body.Reason})
	if err != nil {
		s.fail(w, r, err)
		return
	}
	writeJSON(w, http.StatusCreated, g)
}

// revokeGrant answers DELETE /api/v1/admin/grants/{id}: a grant of one of
// the admin's agency's collections ends.
func (s *Server) revokeGrant(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	id, err := pathID(r, "id")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	gs, err := s.Accounts.Grants(r.Context(), admin.Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if !slices.ContainsFunc(gs, func(g store.Grant) bool { return g.ID == id }) {
		s.fail(w, r, fmt.Errorf("no grant %d of %s's collections: %w", id, admin.Agency, store.ErrNotFound))
		return
	}
	if err := s.Accounts.RevokeGrant(r.Context(), id); err != nil {
		s.fail(w, r, err)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// auditLog answers GET /api/v1/audit: the admin's agency's entries, newest
// first, filtered by user, action and time (since= from, until= before;
// a date or an RFC 3339 time, a date until= taking in the whole day).
func (s *Server) auditLog(w http.ResponseWriter, r *http.Request) {
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	if s.Audit == nil {
		s.noRoute(w, r)
		return
	}
	q := r.URL.Query()
	f := store.AuditFilter{Agency: admin.Agency, User: q.Get("user"), Action: q.Get("action"), Newest: true, Limit: defaultAuditLimit}
	var err error
	if f.Since, err = timeParam(r, "since", false); err != nil {
		s.fail(w, r, err)
		return
	}
	if f.Until, err = timeParam(r, "until", true); err != nil {
		s.fail(w, r, err)
		return
	}
	if l, err := intParam(r, "limit", 1, store.MaxLimit); err != nil {
		s.fail(w, r, err)
		return
	} else if l > 0 {
		f.Limit = l
	}
	if c := q.Get("cursor"); c != "" {
		if f.After, err = strconv.ParseInt(c, 10, 64); err != nil || f.After <= 0 {
			s.fail(w, r, &paramError{"cursor", fmt.Sprintf("%.40q is not one this list gave; start again without it", c)})
			return
		}
	}
	es, err := s.Audit.AuditLog(r.Context(), f)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	next := ""
	if len(es) == f.Limit {
		next = strconv.FormatInt(es[len(es)-1].Seq, 10)
	}
	writeJSON(w, http.StatusOK, struct {
		Entries []store.AuditEntry `json:"entries"`
		Next    string             `json:"next"`
	}{es, next})
}

// timeParam reads a date (2006-01-02, UTC) or an RFC 3339 time; a date
// read as an end is the end of that day.
func timeParam(r *http.Request, name string, end bool) (time.Time, error) {
	v := r.URL.Query().Get(name)
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.Parse(time.DateOnly, v)
	if err != nil {
		return time.Time{}, &paramError{name, "is not a date (2006-01-02) or an RFC 3339 time"}
	}
	if end {
		t = t.AddDate(0, 0, 1)
	}
	return t, nil
}

// verifyAudit answers GET /api/v1/audit/verify: whether the whole chain
// holds, how many entries it has, and its head hash to keep elsewhere, as
// mosaic audit verify.
func (s *Server) verifyAudit(w http.ResponseWriter, r *http.Request) {
	if _, ok := s.adminAs(w, r); !ok {
		return
	}
	if s.Audit == nil {
		s.noRoute(w, r)
		return
	}
	n, brk, err := s.Audit.VerifyAudit(r.Context())
	if err != nil {
		s.fail(w, r, err)
		return
	}
	head := ""
	if last, err := s.Audit.AuditLog(r.Context(), store.AuditFilter{Newest: true, Limit: 1}); err != nil {
		s.fail(w, r, err)
		return
	} else if len(last) > 0 {
		head = last[0].Hash
	}
	type auditBreak struct {
		Seq    int64  `json:"seq"`
		Reason string `json:"reason"`
	}
	var broken *auditBreak
	if brk != nil {
		broken = &auditBreak{brk.Seq, brk.Reason}
	}
	writeJSON(w, http.StatusOK, struct {
		Entries int         `json:"entries"`
		Intact  bool        `json:"intact"`
		Break   *auditBreak `json:"break,omitempty"`
		Head    string      `json:"head"`
	}{n, brk == nil, broken, head})
}

// createdUserObject names the user a request created or acted on, never
// the password or token the answer carries.
func createdUserObject(r *http.Request, answer []byte) string {
	if name := r.PathValue("name"); name != "" {
		return name
	}
	var created struct {
		User struct {
			Name string `json:"name"`
		} `json:"user"`
	}
	if json.Unmarshal(answer, &created) == nil {
		return created.User.Name
	}
	return ""
}

// grantObject names a grant made as the command line does, "COLLECTION to
// AGENCY", or the grant revoked by its ID.
func grantObject(r *http.Request, answer []byte) string {
	if id := r.PathValue("id"); id != "" {
		return id
	}
	var g store.Grant
	if json.Unmarshal(answer, &g) == nil && g.ID != 0 {
		return g.Collection + " to " + g.Agency
	}
	return ""
}

// adminQueue answers GET /api/v1/admin/queue: the ingest queue of the
// admin's agency (mosaic ingest --queue, mosaic worker) — jobs by state,
// the running ones with their workers and leases, the failed ones with
// their reasons. Another agency's jobs, and so its file paths, are not
// shown.
func (s *Server) adminQueue(w http.ResponseWriter, r *http.Request) {
	if s.Jobs == nil {
		s.noRoute(w, r)
		return
	}
	admin, ok := s.adminAs(w, r)
	if !ok {
		return
	}
	sum, err := s.Jobs.JobSummary(r.Context(), admin.Agency)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	if sum.Running == nil {
		sum.Running = []store.Job{}
	}
	if sum.Failed == nil {
		sum.Failed = []store.Job{}
	}
	writeJSON(w, http.StatusOK, sum)
}
