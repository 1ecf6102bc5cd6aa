package web

import (
	"errors"
	"fmt"
	"math"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"time"

	"mosaic/internal/auth"
	"mosaic/internal/discovery"
	"mosaic/internal/store"
)

// Authentication and request hardening. Every request under /api/v1/ but
// the login names its user, by an API token (Authorization: Bearer TOKEN)
// or by the session cookie the login set; the user's scope then travels
// with the request (withCaller) and scopeOf hands it to every read.
//
// A request that changes something (any method but GET and HEAD) must
// also prove it was meant: a Bearer token, which a browser never adds by
// itself, or the session's CSRF token in X-CSRF-Token, which a page of
// another origin cannot read. Its body must be JSON (or, for analyze, a
// TSV edge list, or files uploaded as multipart/form-data): a cross-site
// form can send neither of the first two without a CORS preflight, which
// this server never grants, and an upload, which a form can send, still
// needs the CSRF token or a Bearer token. An Origin header, when
// present, must be this server's own, and the Host header must name this
// server, so that a page whose name an attacker re-points at a loopback
// address (DNS rebinding) is refused.
//
// The endpoints:
//
//	POST /api/v1/login   {"user", "password"} → {"user": store.User, "csrf": token}, sets the session cookie
//	GET /api/v1/me       {"user": store.User, "csrf": token (sessions only)}
//	POST /api/v1/logout  ends the session → 204

// SessionLifetime is how long a login lasts: a working day, after which
// the analyst logs in again.
const SessionLifetime = 12 * time.Hour

// Session cookies are named with the __Host- prefix over TLS, which makes
// the browser refuse one that is not Secure, has a Domain or another Path,
// so that a sibling subdomain cannot plant or shadow it. Plain HTTP (on
// loopback) cannot use the prefix.
const (
	sessionCookie    = "mosaic_session"
	tlsSessionCookie = "__Host-mosaic_session"
)

// csrfHeader carries the session's CSRF token on state-changing requests.
const csrfHeader = "X-CSRF-Token"

// Failed logins wait after this many failures of one user name, or of one
// client address; an address gets more, since an office behind one
// address holds many people who mistype.
const (
	freeNameFailures = 5
	freeAddrFailures = 20
)

// maxUserName is the longest user name a login accepts.
const maxUserName = 200

// maxPasswordChecks bounds the password checks running at once: each
// argon2id check takes 64 MiB, and a flood of logins must not exhaust
// memory.
const maxPasswordChecks = 2

// loginGuard is the state the login keeps between requests.
type loginGuard struct {
	names, addrs *auth.Limiter
	// checks holds a slot for each password check running.
	checks chan struct{}
}

func newLoginGuard() *loginGuard {
	return &loginGuard{
		names:  auth.NewLimiter(freeNameFailures),
		addrs:  auth.NewLimiter(freeAddrFailures),
		checks: make(chan struct{}, maxPasswordChecks),
	}
}

// refuse answers a request the server will not serve, with a JSON error.
// Refusals are the client's doing, so they are not logged as faults.
func refuse(w http.ResponseWriter, status int, format string, args ...any) {
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="mosaic"`)
	}
	writeJSON(w, status, errorBody{Error: fmt.Sprintf(format, args...)})
}

// guard checks every request's Host and Origin and, under /api/v1/, its
// credentials, CSRF token and content type, before next sees it.
func (s *Server) guard(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/healthz" {
			// A load balancer's probe names the server however it likes,
			// and the answer discloses nothing.
			next.ServeHTTP(w, r)
			return
		}
		if !s.answersFor(r.Host) {
			refuse(w, http.StatusForbidden, "host %q is not a name this server answers for (see mosaic serve --host)", r.Host)
			return
		}
		if o := r.Header.Get("Origin"); o != "" && !sameOrigin(r, o) {
			refuse(w, http.StatusForbidden, "origin %q is not this server's: cross-site requests are refused", o)
			return
		}
		if !strings.HasPrefix(r.URL.Path, "/api/v1/") {
			next.ServeHTTP(w, r)
			return
		}
		if r.URL.Path == discovery.ExchangePath && s.Exchange != nil {
			// A peer server pulling this server's discovery index holds a
			// peer token, not an account: the exchange checks it (and
			// TLS) itself, and the index discloses no plaintext.
			next.ServeHTTP(w, r)
			return
		}
		changes := r.Method != http.MethodGet && r.Method != http.MethodHead
		if r.Method == http.MethodPost && r.URL.Path == "/api/v1/login" {
			if !s.bodyTypeOK(w, r) {
				return
			}
			next.ServeHTTP(w, r)
			return
		}
		c, sess, ok := s.authenticate(w, r)
		if !ok {
			return
		}
		if changes && sess != nil && !auth.SameDigest(r.Header.Get(csrfHeader), sess.CSRFHash) {
			refuse(w, http.StatusForbidden, "missing or wrong %s header: a change made with the session cookie must carry the session's CSRF token (GET /api/v1/me gives it)", csrfHeader)
			return
		}
		if changes && !s.bodyTypeOK(w, r) {
			return
		}
		next.ServeHTTP(w, withCaller(r, c))
	})
}

// bodyTypeOK answers 415 and returns false unless the request's body is
// JSON, a TSV edge list sent to analyze, or files uploaded.
func (s *Server) bodyTypeOK(w http.ResponseWriter, r *http.Request) bool {
	t, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err == nil && (t == "application/json" ||
		t == "text/tab-separated-values" && r.Method == http.MethodPost && r.URL.Path == "/api/v1/analyze" ||
		t == "multipart/form-data" && isUpload(r)) {
		return true
	}
	want := "application/json"
	if r.URL.Path == "/api/v1/analyze" {
		want += " or text/tab-separated-values"
	}
	if isUpload(r) {
		want = "multipart/form-data"
	}
	refuse(w, http.StatusUnsupportedMediaType, "Content-Type %q not accepted: send %s", r.Header.Get("Content-Type"), want)
	return false
}

// authenticate finds the caller of r by its Bearer token or its session
// cookie. sess is the session when the cookie vouched for the caller, nil
// for a token. If neither does, it answers (401, or 500 if the store
// fails) and returns ok false.
func (s *Server) authenticate(w http.ResponseWriter, r *http.Request) (c caller, sess *store.Session, ok bool) {
	if s.Accounts == nil {
		refuse(w, http.StatusUnauthorized, "this server has no accounts, so no one can log in")
		return caller{}, nil, false
	}
	var u store.User
	var err error
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(h, " ")
		if !strings.EqualFold(scheme, "Bearer") {
			s.authFailed(r, "401 not a Bearer token")
			refuse(w, http.StatusUnauthorized, "Authorization must be \"Bearer TOKEN\"")
			return caller{}, nil, false
		}
		token = strings.TrimSpace(token)
		if !auth.LooksLikeToken(token) {
			s.authFailed(r, "401 malformed token")
			refuse(w, http.StatusUnauthorized, "the Bearer token is not a Mosaic API token")
			return caller{}, nil, false
		}
		u, err = s.Accounts.TokenUser(r.Context(), auth.Digest(token))
		if errors.Is(err, store.ErrNotFound) {
			s.authFailed(r, "401 unknown or revoked token")
			refuse(w, http.StatusUnauthorized, "the Bearer token is unknown or revoked, or its user is disabled")
			return caller{}, nil, false
		}
	} else if ck, cerr := r.Cookie(cookieName(r)); cerr == nil && ck.Value != "" {
		var se store.Session
		se, u, err = s.Accounts.SessionUser(r.Context(), auth.Digest(ck.Value))
		if errors.Is(err, store.ErrNotFound) {
			s.authFailed(r, "401 unknown or expired session")
			clearSessionCookie(w, r)
			refuse(w, http.StatusUnauthorized, "the session has expired or ended: log in again")
			return caller{}, nil, false
		}
		sess = &se
	} else {
		refuse(w, http.StatusUnauthorized, "log in first: send Authorization: Bearer TOKEN, or log in with POST /api/v1/login")
		return caller{}, nil, false
	}
	if err != nil {
		s.fail(w, r, err)
		return caller{}, nil, false
	}
	scope, err := s.Accounts.ScopeOf(r.Context(), u)
	if err != nil {
		s.fail(w, r, err)
		return caller{}, nil, false
	}
	return caller{user: u, scope: scope}, sess, true
}

// authFailed records in the audit log that a request was refused for a
// bad Bearer token or session cookie, so that someone trying stolen or
// guessed credentials leaves a trace. The object is the method and path
// asked for; the credential itself is never recorded, nor its hash: a
// valid token mistyped by one character would be nearly disclosed. No
// user is named, since none was vouched for. The answer is a refusal
// that discloses nothing, so a failure to record it is only logged.
func (s *Server) authFailed(r *http.Request, outcome string) {
	s.audit(r, "auth-failed", r.Method+" "+r.URL.Path, outcome)
}

// login checks a user name and password and starts a session:
// POST /api/v1/login with {"user", "password"}.
func (s *Server) login(w http.ResponseWriter, r *http.Request) {
	if s.Accounts == nil {
		refuse(w, http.StatusUnauthorized, "this server has no accounts, so no one can log in")
		return
	}
	var body struct {
		User     string `json:"user"`
		Password string `json:"password"`
	}
	if err := readBody(w, r, &body); err != nil {
		s.fail(w, r, err)
		return
	}
	if body.User == "" || body.Password == "" {
		s.fail(w, r, &bodyError{errors.New(`"user" and "password" are both needed`)})
		return
	}
	// The limiter keeps the names tried; a bound on their length bounds
	// its memory in bytes as well as in names.
	if len(body.User) > maxUserName {
		s.fail(w, r, &bodyError{fmt.Errorf(`"user" is longer than %d bytes`, maxUserName)})
		return
	}
	nameKey, addrKey := body.User, clientAddr(r)
	g := s.logins
	if wait := max(g.names.Wait(nameKey), g.addrs.Wait(addrKey)); wait > 0 {
		s.tooMany(w, r, body.User, wait)
		return
	}
	select {
	case g.checks <- struct{}{}:
	case <-r.Context().Done():
		s.fail(w, r, r.Context().Err())
		return
	}
	// Attempts that queued for a slot while others failed wait too.
	if wait := max(g.names.Wait(nameKey), g.addrs.Wait(addrKey)); wait > 0 {
		<-g.checks
		s.tooMany(w, r, body.User, wait)
		return
	}
	u, err := s.checkLogin(r, body.User, body.Password)
	<-g.checks
	if errors.Is(err, auth.ErrMismatch) {
		g.names.Fail(nameKey)
		g.addrs.Fail(addrKey)
		s.audit(withCaller(r, caller{user: u}), "login-failed", body.User, "401 wrong user name or password")
		refuse(w, http.StatusUnauthorized, "wrong user name or password")
		return
	}
	if err != nil {
		s.fail(w, r, err)
		return
	}
	g.names.Reset(nameKey)

	secret := auth.NewSessionSecret()
	csrf := auth.CSRFToken(secret)
	now := time.Now().UTC()
	sess := store.Session{User: u.Name, Created: now, Expires: now.Add(SessionLifetime), CSRFHash: auth.Digest(csrf)}
	if err := s.Accounts.AddSession(r.Context(), auth.Digest(secret), sess); err != nil {
		s.fail(w, r, err)
		return
	}
	s.audit(withCaller(r, caller{user: u}), "login", u.Name, "ok")
	http.SetCookie(w, &http.Cookie{
		Name:     cookieName(r),
		Value:    secret,
		Path:     "/",
		Expires:  sess.Expires,
		MaxAge:   int(SessionLifetime / time.Second),
		Secure:   r.TLS != nil,
		HttpOnly: true,
		SameSite: http.SameSiteStrictMode,
	})
	writeJSON(w, http.StatusOK, me{User: u, CSRF: csrf})
}

// tooMany refuses a login attempt that came before its wait was over.
func (s *Server) tooMany(w http.ResponseWriter, r *http.Request, name string, wait time.Duration) {
	s.audit(r, "login-failed", name, "429 too many failed logins")
	w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(wait.Seconds()))))
	refuse(w, http.StatusTooManyRequests, "too many failed logins: try again in %s", wait.Round(time.Second))
}

// checkLogin returns the user whose name and password these are. A wrong
// password, an unknown or disabled user and an account without a password
// (tokens only) are all auth.ErrMismatch, and all take the time of a
// password check, so that the answer does not tell which names exist.
// The user is returned with the mismatch when it exists, for the audit.
func (s *Server) checkLogin(r *http.Request, name, password string) (store.User, error) {
	u, hash, err := s.Accounts.UserByName(r.Context(), name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return store.User{}, auth.CheckAbsent(password)
	case err != nil:
		return store.User{}, err
	case hash == "" || !u.Disabled.IsZero():
		return u, auth.CheckAbsent(password)
	}
	if err := auth.CheckPassword(hash, password); err != nil {
		if errors.Is(err, auth.ErrMismatch) {
			return u, err
		}
		return u, fmt.Errorf("password of %q: %w", name, err)
	}
	return u, nil
}

// me is the answer of login and GET /api/v1/me.
type me struct {
	User store.User `json:"user"`
	// CSRF is the session's CSRF token; empty for a caller with a token.
	CSRF string `json:"csrf,omitempty"`
}

// whoAmI tells the caller who they are and, for a session, its CSRF token,
// which a reloaded page has forgotten: GET /api/v1/me.
func (s *Server) whoAmI(w http.ResponseWriter, r *http.Request) {
	u, _ := userOf(r)
	m := me{User: u}
	if r.Header.Get("Authorization") == "" {
		if ck, err := r.Cookie(cookieName(r)); err == nil {
			m.CSRF = auth.CSRFToken(ck.Value)
		}
	}
	writeJSON(w, http.StatusOK, m)
}

// logout ends the session of the cookie: POST /api/v1/logout. A token is
// revoked with mosaic user revoke instead. The route is audited (Handler),
// so the log shows when a session was ended as well as begun.
func (s *Server) logout(w http.ResponseWriter, r *http.Request) {
	if ck, err := r.Cookie(cookieName(r)); err == nil && ck.Value != "" {
		if err := s.Accounts.DeleteSession(r.Context(), auth.Digest(ck.Value)); err != nil {
			s.fail(w, r, err)
			return
		}
	}
	clearSessionCookie(w, r)
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusNoContent)
}

// cookieName is the session cookie's name on r's connection.
func cookieName(r *http.Request) string {
	if r.TLS != nil {
		return tlsSessionCookie
	}
	return sessionCookie
}

// clearSessionCookie tells the browser to drop the session cookie.
func clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: cookieName(r), Value: "", Path: "/", MaxAge: -1,
		Secure: r.TLS != nil, HttpOnly: true, SameSite: http.SameSiteStrictMode})
}

// clientAddr is the rate limiter's key for the client: its IP address,
// or for IPv6 its /64, which one machine usually holds whole. Forwarding
// headers are not trusted: any client can set them.
func clientAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	ip := net.ParseIP(host)
	if ip == nil {
		return host
	}
	if ip.To4() == nil {
		ip = ip.Mask(net.CIDRMask(64, 128))
	}
	return ip.String()
}

// answersFor reports whether host, a request's Host header, names this
// server: a loopback name or address, or one of Hosts.
func (s *Server) answersFor(host string) bool {
	name := hostName(host)
	if name == "" {
		return false
	}
	if name == "localhost" || strings.HasSuffix(name, ".localhost") {
		return true
	}
	if ip := net.ParseIP(name); ip != nil && ip.IsLoopback() {
		return true
	}
	for _, h := range s.Hosts {
		if strings.EqualFold(hostName(h), name) {
			return true
		}
	}
	return false
}

// hostName is the name of a Host header or a host[:port], lower case,
// without port or IPv6 brackets.
func hostName(host string) string {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.TrimSuffix(strings.TrimPrefix(host, "["), "]")
	return strings.ToLower(strings.TrimSuffix(host, "."))
}

// sameOrigin reports whether origin, an Origin header, is the origin r was
// sent to: its scheme and its Host.
func sameOrigin(r *http.Request, origin string) bool {
	scheme := "http://"
	if r.TLS != nil {
		scheme = "https://"
	}
	return strings.EqualFold(origin, scheme+r.Host)
}
