// Package web is Mosaic's HTTP layer: a JSON API under /api/v1/ and the
// embedded page at / that reads it. Handlers depend only on the narrow store
// interfaces they use, and every read asks scopeOf for the caller's scope, so
// access control lives in one place when Mosaic serves more than one user.
//
// The API:
//
//	GET /api/v1/collections                          {"collections": [store.Collection]}
//	POST /api/v1/collections/{name}/documents        multipart/form-data files → NDJSON, a line per file (upload.go)
//	GET /api/v1/documents?collection=&limit=&offset=&cursor=
//	                                                 {"total": n, "documents": [store.Summary], "next": cursor}
//	GET /api/v1/documents/{id}?page=                 {"document": mosaic.Document, "page": store.TextPage,
//	                                                  "holdings": [store.Holding], "mentions": [mosaic.Mention], "mentions_next"?: cursor}
//	GET /api/v1/documents/{id}/mentions?start=&end=&limit=&cursor=
//	                                                 {"mentions": [mosaic.Mention], "next": cursor}
//	GET /api/v1/search?q=&limit=&offset=             {"query": "normalised", "total": n, "hits": [store.Hit]}
//	GET /api/v1/entities?name=&limit=&cursor=        {"entities": [foundEntity], "next": cursor}
//	GET /api/v1/entities/{id}                        store.EntityProfile (first pages, with names_next,
//	                                                  connections_next, timeline_next, each name's documents_next)
//	GET /api/v1/entities/{id}/names?limit=&cursor=   {"names": [store.EntityName], "next": cursor}
//	GET /api/v1/entities/{id}/documents?name=&limit=&cursor=
//	                                                 {"documents": [store.DocumentRef], "next": cursor}
//	GET /api/v1/entities/{id}/connections?limit=&cursor=
//	                                                 {"connections": [store.Connection], "next": cursor}
//	GET /api/v1/entities/{id}/timeline?limit=&cursor= {"timeline": [store.DocumentRef], "next": cursor}
//	GET /api/v1/entities/{id}/judgements             {"judgements": [store.Judgement]}
//	GET /api/v1/entities/{id}/proposals?limit=       {"proposals": [entity.Proposal]}
//	GET /api/v1/entities/{id}/neighbours?hops=       {"neighbours": [network.Reached], "complete": bool}
//	GET /api/v1/path?from=&to=&k=&hops=              {"paths": [network.Path], "direct": network.Edge}
//	GET /api/v1/lone-actors                          {"lone_actors": [network.LoneActor]}
//	GET /api/v1/incidents?where=&since=&until=&collection=&country=&region=&group=&attribution=&attack_type=&rule=&limit=&cursor=
//	                                                 {"rule", "filters", "total": n, "incidents": [incident.Group], "next": cursor}
//	GET /api/v1/incidents/{id}?ordinal=1&(the same filters)
//	                                                 {"incident": incident.Group, "filters", "position"?: incident.Position}
//	POST /api/v1/incidents/{a}/same/{b}, .../different/{b}  {"reason"} → 201 store.IncidentJudgement
//	GET /api/v1/tempo?by=day|week|month&ramadan=&around=&window=&(the same filters)
//	                                                 {"filters", incident.Tempo}
//	POST /api/v1/analyze                             TSV edge list (at most MaxAnalyzeBytes) → network.Report
//	POST /api/v1/judgements                          {"kind","entity","other","name","reason","force"} → 201 store.Judgement
//	POST /api/v1/judgements/{id}/undo                {"reason"} → store.Judgement
//	POST /api/v1/login                               {"user","password"} → {"user": store.User, "csrf": token}
//	GET /api/v1/me                                   {"user": store.User, "csrf": token}
//	POST /api/v1/logout                              204
//	GET /api/v1/discover?q=NAME|PHONE|EMAIL          {"query", "kind": "name|phone|email",
//	                                                  "holders": [{"agency", "documents": store.Bucket}]}
//	GET /api/v1/shares                               {"shares": [store.ShareRequest]}
//	POST /api/v1/shares                              {"query","owner","reason"} → 201 store.ShareRequest
//	POST /api/v1/shares/{id}/decision                {"approve","answer","collection"} → store.ShareRequest
//	GET /api/v1/alerts                               {"alerts": [alert]}
//	GET /healthz                                     ok
//	GET /api/openapi.json                            this API described in OpenAPI 3.1 (openapi.go), to anyone
//
// Lists page with cursors: "next" is the cursor of the next page, empty on
// the last; pass it back as cursor= to continue. A cursor stays right when
// documents arrive between pages; one the list did not give is a 400
// naming the cursor parameter. limit defaults to store.DefaultLimit and is
// at most store.MaxLimit. A document comes a page of its text at a time
// (about 64 KiB, page= from 0, the first by default): "page" says where
// the text stands in the whole, and mentions carry whole-document offsets,
// so page.start places them in the page's text.
//
// Every request has a deadline (RequestTimeout); its context reaches every
// store call, so a request that runs out or whose client goes stops its
// query, and answers 503 (or is logged as 499). Bodies are bounded: 64 KiB
// for judgements and undo, MaxAnalyzeBytes for analyze; a larger one is a
// 413 naming the limit.
//
// Every route under /api/v1/ but the login needs a logged-in caller (a
// Bearer token or the session cookie, see auth.go) and answers 401
// without; a judgement's user and agency are the caller's. Changes need a
// token or the session's CSRF token, and a JSON body.
//
// Errors are {"error": "message"} with a status chosen by statusOf.
package web

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"mosaic/internal/discovery"
	"mosaic/internal/incident"
	"mosaic/internal/store"
)

// Server serves Mosaic's JSON API under /api/v1/ and the embedded web page at /.
type Server struct {
	// Collections lists the collections shown in the sidebar.
	Collections store.Collections
	// Documents reads documents, their holdings and their mentions.
	Documents store.DocumentReader
	// Searcher runs full-text queries.
	Searcher store.Searcher
	// Entities describes entities; EntityFinder finds them by name. Both
	// nil means the entity endpoints answer 404.
	Entities     EntityProfiles
	EntityFinder EntityFinder
	// Judges records judgements about entities; nil means the judgement
	// endpoints answer 404.
	Judges Judges
	// Corpus reads the evidence network; nil means the network endpoints
	// answer 404.
	Corpus Corpus
	// networks caches the networks Corpus gives.
	networks networkCache
	// Incidents keeps attacks as data, for the incidents and tempo
	// endpoints: the records, the agencies' rulings on them, and the
	// mentions and documents that tie an attack's attackers to entities
	// and quote its attribution. Nil means those endpoints answer 404.
	Incidents incident.Corpus
	// Accounts authenticates callers and tells their scope; nil means no
	// one can log in, and every API route but the login answers 401.
	Accounts store.Accounts
	// Hosts are the names (or addresses) the server answers for besides
	// the loopback ones: a request whose Host header names another is
	// refused, so that a hostile name re-pointed at this server (DNS
	// rebinding) reaches nothing.
	Hosts []string
	// logins rate-limits the login.
	logins *loginGuard
	// Discovery counts what other agencies hold, for GET /api/v1/discover
	// and share requests; Shares keeps share requests; Alerts keeps
	// discovery alerts. Nil means their endpoints answer 404.
	Discovery store.Discovery
	Shares    store.Shares
	Alerts    store.Alerts
	// Loader runs files uploaded through the page through the ingest
	// pipeline (upload.go); nil means the upload endpoint answers 404.
	Loader *Loader
	// Charts keeps the link charts analysts save; nil means the chart
	// endpoints answer 404.
	Charts store.Charts
	// Jobs is the ingest queue mosaic worker processes share, whose
	// progress an agency's admin follows; nil means the queue endpoint
	// answers 404.
	Jobs store.Jobs
	// Peers answers discovery queries from the indexes other servers
	// exported (internal/discovery); nil means no peer is asked.
	Peers PeerFinder
	// Exchange, when set, serves this server's own exported discovery
	// index to peers at discovery.ExchangePath. It checks the peers'
	// tokens itself: a peer holds no account here.
	Exchange http.Handler
	// Audit records who read and did what; nil records nothing. Reads of
	// documents and entities, the lists of documents, collections, shares
	// and alerts, searches, discovery, judgements, analyses, shares,
	// logins and logouts are recorded, and answered only once recorded;
	// so are requests refused for a bad token or session.
	Audit store.Audit
	// Log receives request logs (at debug level) and internal errors; nil
	// discards them.
	Log *slog.Logger
	// RequestTimeout bounds one request's work: its context, which every
	// store call is given, ends when it runs out, which stops the query,
	// and the caller gets 503. Zero means DefaultRequestTimeout.
	RequestTimeout time.Duration
	// MaxAnalyzeBytes caps the edge list POST /api/v1/analyze reads; a
	// larger body is answered 413. Zero means DefaultMaxAnalyzeBytes.
	MaxAnalyzeBytes int64
}

// DefaultRequestTimeout is the deadline of a request when the Server sets
// none: long enough for an analysis of a large network on a slow laptop,
// short enough that a runaway query does not burn a core for minutes
// after its caller has gone.
const DefaultRequestTimeout = 60 * time.Second

// Handler returns the handler for the whole site. Every response carries the
// security headers, whatever route produced it.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	s.routeAPI(mux)
	s.routeUI(mux)
	if s.logins == nil {
		s.logins = newLoginGuard()
	}
	return s.logRequests(secure(s.deadline(s.guard(mux))))
}

// routeAPI registers the API's routes on mux; TestOpenAPIRoutes reads
// them back, to hold openapi.json to them.
func (s *Server) routeAPI(mux router) {
	mux.HandleFunc("GET /api/v1/collections", s.audited("list-collections", rawQueryObject, s.collections))
	mux.HandleFunc("POST /api/v1/collections/{name}/documents", s.upload) // audits itself, streaming its answer
	mux.HandleFunc("GET /api/v1/documents", s.audited("list-documents", rawQueryObject, s.documents))
	mux.HandleFunc("GET /api/v1/documents/{id}", s.audited("read-document", pathObject("id"), s.document))
	mux.HandleFunc("GET /api/v1/documents/{id}/mentions", s.audited("read-document", pathObject("id"), s.documentMentions))
	mux.HandleFunc("GET /api/v1/search", s.audited("search", queryObject("q"), s.search))
	mux.HandleFunc("GET /api/v1/entities", s.audited("find-entity", queryObject("name"), s.findEntities))
	mux.HandleFunc("GET /api/v1/entities/{id}", s.audited("read-entity", pathObject("id"), s.entity))
	mux.HandleFunc("GET /api/v1/entities/{id}/names", s.audited("read-entity", pathObject("id"), s.entityNames))
	mux.HandleFunc("GET /api/v1/entities/{id}/documents", s.audited("read-entity", pathObject("id"), s.nameDocuments))
	mux.HandleFunc("GET /api/v1/entities/{id}/connections", s.audited("read-entity", pathObject("id"), s.entityConnections))
	mux.HandleFunc("GET /api/v1/entities/{id}/timeline", s.audited("read-entity", pathObject("id"), s.entityTimeline))
	mux.HandleFunc("GET /api/v1/entities/{id}/judgements", s.audited("read-entity", pathObject("id"), s.entityJudgements))
	mux.HandleFunc("GET /api/v1/entities/{id}/proposals", s.audited("read-entity", pathObject("id"), s.proposals))
	mux.HandleFunc("GET /api/v1/entities/{id}/neighbours", s.audited("read-entity", pathObject("id"), s.neighbours))
	mux.HandleFunc("GET /api/v1/entities/{id}/ego", s.audited("read-entity", pathObject("id"), s.ego))
	mux.HandleFunc("GET /api/v1/entities/{id}/trend", s.audited("read-entity", pathObject("id"), s.entityTrend))
	mux.HandleFunc("GET /api/v1/path", s.audited("read-entity", paramsObject("from", "to"), s.path))
	mux.HandleFunc("GET /api/v1/edge", s.audited("read-entity", paramsObject("a", "b"), s.edge))
	mux.HandleFunc("GET /api/v1/network", s.audited("analyse", rawQueryObject, s.networkAnalysis))
	mux.HandleFunc("POST /api/v1/analyze", s.audited("analyse", rawQueryObject, s.analyze))
	mux.HandleFunc("GET /api/v1/incidents", s.audited("list-incidents", rawQueryObject, s.incidents))
	mux.HandleFunc("GET /api/v1/incidents/{id}", s.audited("read-incident", pathObject("id"), s.attack))
	mux.HandleFunc("POST /api/v1/incidents/{a}/same/{b}", s.audited("judge-incidents", incidentPairObject, s.sameIncidents))
	mux.HandleFunc("POST /api/v1/incidents/{a}/different/{b}", s.audited("judge-incidents", incidentPairObject, s.differentIncidents))
	mux.HandleFunc("GET /api/v1/tempo", s.audited("tempo", rawQueryObject, s.tempo))
	mux.HandleFunc("GET /api/v1/charts", s.audited("list-charts", rawQueryObject, s.listCharts))
	mux.HandleFunc("GET /api/v1/charts/{name}", s.audited("read-chart", pathObject("name"), s.chart))
	mux.HandleFunc("PUT /api/v1/charts/{name}", s.audited("save-chart", pathObject("name"), s.saveChart))
	mux.HandleFunc("DELETE /api/v1/charts/{name}", s.audited("delete-chart", pathObject("name"), s.deleteChart))
	mux.HandleFunc("GET /api/v1/lone-actors", s.audited("export", rawQueryObject, s.loneActors))
	mux.HandleFunc("POST /api/v1/judgements", s.audited("judge", createdObject, s.judge))
	mux.HandleFunc("POST /api/v1/judgements/{id}/undo", s.audited("judge-undo", pathObject("id"), s.undo))
	mux.HandleFunc("GET /api/v1/discover", s.audited("discover", queryObject("q"), s.discover))
	mux.HandleFunc("GET /api/v1/shares", s.audited("list-shares", rawQueryObject, s.shares))
	mux.HandleFunc("POST /api/v1/shares", s.audited("share-request", createdObject, s.requestShare))
	mux.HandleFunc("POST /api/v1/shares/{id}/decision", s.audited("share-decision", pathObject("id"), s.decideShare))
	mux.HandleFunc("GET /api/v1/alerts", s.audited("list-alerts", rawQueryObject, s.alerts))
	mux.HandleFunc("GET /api/v1/admin/users", s.audited("list-users", rawQueryObject, s.adminUsers))
	mux.HandleFunc("POST /api/v1/admin/users", s.audited("user-add", createdUserObject, s.addUser))
	mux.HandleFunc("POST /api/v1/admin/users/{name}/password", s.audited("password-reset", createdUserObject, s.resetPassword))
	mux.HandleFunc("POST /api/v1/admin/users/{name}/tokens", s.audited("token-add", createdUserObject, s.addToken))
	mux.HandleFunc("DELETE /api/v1/admin/tokens/{id}", s.audited("token-revoke", pathObject("id"), s.revokeToken))
	mux.HandleFunc("GET /api/v1/admin/grants", s.audited("list-grants", rawQueryObject, s.adminGrants))
	mux.HandleFunc("GET /api/v1/admin/queue", s.audited("list-queue", rawQueryObject, s.adminQueue))
	mux.HandleFunc("POST /api/v1/admin/grants", s.audited("grant", grantObject, s.addGrant))
	mux.HandleFunc("DELETE /api/v1/admin/grants/{id}", s.audited("grant-revoke", grantObject, s.revokeGrant))
	mux.HandleFunc("GET /api/v1/audit", s.audited("audit-read", rawQueryObject, s.auditLog))
	mux.HandleFunc("GET /api/v1/audit/verify", s.audited("audit-verify", rawQueryObject, s.verifyAudit))
	mux.HandleFunc("POST /api/v1/login", s.login)
	mux.HandleFunc("GET /api/v1/me", s.whoAmI)
	mux.HandleFunc("POST /api/v1/logout", s.audited("logout", rawQueryObject, s.logout))
	mux.HandleFunc("/api/v1/", s.noRoute)
	mux.HandleFunc("GET /healthz", healthz)
	mux.HandleFunc("GET /api/openapi.json", serveOpenAPI)
	if s.Exchange != nil {
		mux.Handle("GET "+discovery.ExchangePath, s.Exchange)
	}
}

// deadline gives every request a context that ends after the server's
// RequestTimeout, or when the client goes away, whichever comes first.
func (s *Server) deadline(next http.Handler) http.Handler {
	d := s.RequestTimeout
	if d <= 0 {
		d = DefaultRequestTimeout
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// scopeOf returns what the caller of r may read: the scope authentication
// computed for their user. A request no one vouched for sees nothing:
// guard refuses those before any handler runs, so this is the fallback
// should a route ever be reached without it.
func scopeOf(r *http.Request) store.Scope {
	c, ok := callerOf(r)
	if !ok {
		return store.Scope{Collections: []string{}}
	}
	return c.scope
}

func (s *Server) logger() *slog.Logger {
	if s.Log == nil {
		return slog.New(slog.DiscardHandler)
	}
	return s.Log
}

// secure sets the headers every response carries. The page builds its DOM
// from hostile documents, so the policy allows no inline script, no plugin,
// no foreign origin and no framing.
func secure(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Security-Policy", "default-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		next.ServeHTTP(w, r)
	})
}

// logRequests logs each request at debug level. It logs the path but not
// the query string: an analyst's search terms are themselves sensitive.
func (s *Server) logRequests(next http.Handler) http.Handler {
	log := s.logger()
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(rec, r)
		log.LogAttrs(r.Context(), slog.LevelDebug, "request",
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", rec.status),
			slog.Int64("bytes", rec.bytes),
			slog.Duration("took", time.Since(start)))
	})
}

// statusRecorder remembers the status and size of a response for the log.
type statusRecorder struct {
	http.ResponseWriter
	status      int
	bytes       int64
	wroteHeader bool
}

func (r *statusRecorder) WriteHeader(code int) {
	if !r.wroteHeader {
		r.status, r.wroteHeader = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *statusRecorder) Write(p []byte) (int, error) {
	r.wroteHeader = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func healthz(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.Write([]byte("ok"))
}
