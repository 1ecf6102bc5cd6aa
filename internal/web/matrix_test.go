package web

import (
	"context"
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/auth"
	"mosaic/internal/entity"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// The authorisation matrix: two agencies share one store, each with
// material whose titles, texts and names are marker strings found nowhere
// else, and every endpoint is called as anonymous and as each role of
// each agency, before and after one agency grants the other a collection.
// Each answer must have the expected status and hold no marker of a
// collection the caller may not read.

// The agencies and their collections. alphaMain is alpha's; bravo owns
// bravoOpen, which it grants alpha in the matrix's second pass, and
// bravoSecret, which alpha never reads except through a share.
const (
	alpha       = "alpha"
	bravo       = "bravo"
	alphaMain   = "alpha-main"
	bravoOpen   = "bravo-open"
	bravoSecret = "bravo-secret"
)

// who is a caller of the matrix: a role of an agency, or anonymous (no
// agency). A restricted caller is cleared only for RESTRICTED material,
// below bravoSecret's label; the others are cleared for SECRET.
type who struct {
	agency     string
	role       store.Role
	restricted bool
}

func (c who) String() string {
	if c.agency == "" {
		return "anonymous"
	}
	if c.restricted {
		return c.agency + "-" + string(c.role) + "-restricted"
	}
	return c.agency + "-" + string(c.role)
}

// mayDeal reports whether the caller's role deals with other agencies and
// judges entities.
func (c who) mayDeal() bool { return c.role == store.Admin || c.role == store.Analyst }

// callers lists anonymous, every role of both agencies, and an analyst of
// bravo not cleared for bravoSecret.
func callers() []who {
	out := []who{{}}
	for _, a := range []string{alpha, bravo} {
		for _, r := range store.Roles {
			out = append(out, who{agency: a, role: r})
		}
	}
	return append(out, who{agency: bravo, role: store.Analyst, restricted: true})
}

// matrix is the two agencies' store and the server over it.
type matrix struct {
	store *sqlite.Store
	srv   *Server
	h     http.Handler
	// tokens of each caller but anonymous.
	tokens map[who]string
	// docs of each collection, in the order added.
	docs map[string][]store.Ingested
	// markers of each collection: strings of its titles, texts and names
	// that no other collection holds, and its document IDs.
	markers map[string][]string
	// entities by name, as resolution tied them.
	entities map[string]mosaic.EntityID
	// granted is set once bravo has granted bravoOpen to alpha.
	granted bool
	// hostile is alpha's document of HTML.
	hostile store.Ingested
	// bravoJudgement is a flag bravo's analyst set on an entity both
	// agencies see.
	bravoJudgement int64
}

func newMatrix(t testing.TB) *matrix {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	f := &matrix{store: s, tokens: map[who]string{}, docs: map[string][]store.Ingested{}, entities: map[string]mosaic.EntityID{}}
	for _, c := range [][2]string{{alphaMain, alpha}, {bravoOpen, bravo}, {bravoSecret, bravo}} {
		if _, err := s.EnsureCollection(ctx, c[0], c[1]); err != nil {
			t.Fatal(err)
		}
	}
	f.docs[alphaMain] = []store.Ingested{
		related(ingest(t, alphaMain, "Harbour watch at Aldermoor",
			"Corvin Albescu met Teodor Vasken at the Aldermoor marina.\n"+
				"Corvin Albescu paid the Aldermoor harbour master.",
			date(2019, 3, 2), nil,
			m("Corvin Albescu", mosaic.Person, ""),
			m("Teodor Vasken", mosaic.Person, ""),
			m("Aldermoor", mosaic.Location, ""),
			m("Corvin Albescu paid", mosaic.Person, "", "Corvin Albescu"))),
		related(ingest(t, alphaMain, "Pellworth contact sheet",
			"Teodor Vasken answers on +32 470 55 66 77.\n"+
				"The Pellworth Syndicate pays Corvin Albescu.",
			date(2019, 3, 9), nil,
			m("Teodor Vasken", mosaic.Person, ""),
			m("+32 470 55 66 77", mosaic.Phone, "+32470556677"),
			m("Pellworth Syndicate", mosaic.Org, ""),
			m("Corvin Albescu", mosaic.Person, ""))),
	}
	f.docs[bravoOpen] = []store.Ingested{
		related(ingest(t, bravoOpen, "Brightwater ferry manifest",
			"Ysolde Brackwater boarded the ferry at Brightwater.\n"+
				"Ysolde Brackwater sailed with Teodor Vasken.",
			date(2019, 4, 1), nil,
			m("Ysolde Brackwater", mosaic.Person, ""),
			m("Brightwater", mosaic.Location, ""),
			m("Ysolde Brackwater sailed", mosaic.Person, "", "Ysolde Brackwater"),
			m("Teodor Vasken", mosaic.Person, ""))),
	}
	f.docs[bravoSecret] = []store.Ingested{
		related(ingest(t, bravoSecret, "Zarqa Ledger intercept",
			"Quillon Marsh called Teodor Ilyich Vasken from Zarqa.\n"+
				"Quillon Marsh writes from quillon.marsh@ledger.example and answers on +44 20 7946 0958.",
			date(2019, 5, 3), nil,
			m("Quillon Marsh", mosaic.Person, ""),
			m("Teodor Ilyich Vasken", mosaic.Person, ""),
			m("Zarqa", mosaic.Location, ""),
			m("Quillon Marsh writes", mosaic.Person, "", "Quillon Marsh"),
			m("quillon.marsh@ledger.example", mosaic.Email, "quillon.marsh@ledger.example"),
			m("+44 20 7946 0958", mosaic.Phone, "+442079460958"))),
		related(ingest(t, bravoSecret, "Zarqa Ledger accounts of the Nightjar Collective",
			"The Nightjar Collective paid Quillon Marsh.\n"+
				"Quillon Marsh met Corvin Albescu in Zarqa.",
			date(2019, 5, 20), nil,
			m("Nightjar Collective", mosaic.Org, ""),
			m("Quillon Marsh", mosaic.Person, ""),
			m("Quillon Marsh met", mosaic.Person, "", "Quillon Marsh"),
			m("Corvin Albescu", mosaic.Person, ""),
			m("Zarqa.", mosaic.Location, "", "Zarqa"))),
	}
	f.markers = map[string][]string{
		alphaMain:   {"Aldermoor", "Pellworth", "Harbour watch", "contact sheet", "55 66 77", "32470556677"},
		bravoOpen:   {"Brightwater", "Ysolde", "Brackwater", "ferry manifest"},
		bravoSecret: {"Zarqa", "Quillon", "Nightjar", "Ilyich", "ledger.example", "7946", "442079460958"},
	}
	// A document of alpha's whose title and text are HTML that must reach
	// a page only as text.
	f.hostile = ingest(t, alphaMain, `<script>window.__mosaicPwned="title"</script>Harbour memo`,
		"Corvin Albescu forwarded this <img src=x onerror=\"window.__mosaicPwned='img'\"> memo.\n"+
			`<script>window.__mosaicPwned="script"</script> & "quotes"`,
		date(2019, 3, 12), nil, m("Corvin Albescu", mosaic.Person, ""))
	f.docs[alphaMain] = append(f.docs[alphaMain], f.hostile)
	var batch []store.Ingested
	for _, c := range []string{alphaMain, bravoOpen, bravoSecret} {
		for _, in := range f.docs[c] {
			f.markers[c] = append(f.markers[c], string(in.Doc.ID))
		}
		batch = append(batch, f.docs[c]...)
	}
	if _, err := s.Add(ctx, batch); err != nil {
		t.Fatal(err)
	}
	addMatrixIncidents(t, f)
	r, err := entity.NewResolver(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Pending(ctx); err != nil {
		t.Fatal(err)
	}
	for _, in := range batch {
		ms, err := s.Mentions(ctx, in.Doc.ID, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range ms {
			if m.Entity != 0 {
				f.entities[m.Text] = m.Entity
			}
		}
	}
	if err := s.Classify(ctx, bravoSecret, "SECRET"); err != nil {
		t.Fatal(err)
	}
	for _, c := range callers()[1:] {
		u := store.User{Name: c.String(), Agency: c.agency, Role: c.role, Clearance: "SECRET"}
		if c.restricted {
			u.Clearance = "RESTRICTED"
		}
		if _, err := s.AddUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		tok := auth.NewToken()
		if _, err := s.AddToken(ctx, u.Name, "matrix", auth.Digest(tok)); err != nil {
			t.Fatal(err)
		}
		f.tokens[c] = tok
	}
	j, err := s.Judge(ctx, store.Judgement{Kind: store.Flag, Entity: f.entities["Corvin Albescu"],
		User: "bravo-analyst", Agency: bravo, Reason: "seen in Zarqa"})
	if err != nil {
		t.Fatal(err)
	}
	f.bravoJudgement = j.ID
	f.saveCharts(t)
	f.srv = f.server()
	f.h = f.srv.Handler()
	return f
}

// server serves every endpoint from the matrix's store.
func (f *matrix) server() *Server {
	s := f.store
	return &Server{
		Collections: s, Documents: s, Searcher: s,
		Entities: s, EntityFinder: entity.NewFinder(s), Judges: s, Corpus: s,
		Accounts: s, Discovery: s, Shares: s, Alerts: s, Audit: s, Incidents: s, Charts: s, Jobs: s,
		Loader: NewLoader(s, uploadExtractor(), nil),
	}
}

// grant lets alpha read bravoOpen, as bravo's admin would.
func (f *matrix) grant(t testing.TB) {
	t.Helper()
	if _, err := f.store.Grant(context.Background(), store.Grant{
		Collection: bravoOpen, Agency: alpha, By: "bravo-admin", Reason: "joint case",
	}); err != nil {
		t.Fatal(err)
	}
	f.granted = true
}

// readable lists the collections the caller may read.
func (f *matrix) readable(c who) []string {
	switch c.agency {
	case alpha:
		if f.granted {
			return []string{alphaMain, bravoOpen}
		}
		return []string{alphaMain}
	case bravo:
		if c.restricted {
			return []string{bravoOpen}
		}
		return []string{bravoOpen, bravoSecret}
	}
	return nil
}

// foreign lists the markers of the collections the caller may not read.
func (f *matrix) foreign(c who) []string {
	var out []string
	for coll, ms := range f.markers {
		if !slices.Contains(f.readable(c), coll) {
			out = append(out, ms...)
		}
	}
	return out
}

// call sends a request as the caller and returns the status and body.
func (f *matrix) call(t testing.TB, c who, method, target, body string) (int, string) {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Host = "localhost"
	if tok, ok := f.tokens[c]; ok {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	if method == http.MethodPut || method == http.MethodDelete {
		req.Header.Set("Content-Type", "application/json")
	}
	if method == http.MethodPost {
		if strings.HasSuffix(req.URL.Path, "/analyze") {
			req.Header.Set("Content-Type", "text/tab-separated-values")
		} else if isUpload(req) {
			req.Header.Set("Content-Type", "multipart/form-data; boundary="+uploadBoundary)
		} else {
			req.Header.Set("Content-Type", "application/json")
		}
	}
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.String()
}

// leaks returns the markers of the given list found in body, less those
// the request itself carries (an answer may echo its query). A marker of
// digits alone (part of a phone number) counts only where no digit
// follows it and neither a digit nor a decimal point comes before, so
// that a score such as 0.27946 in an answer is no leak.
func leaks(body, request string, markers []string) []string {
	lb, lr := strings.ToLower(body), strings.ToLower(request)
	if u, err := url.QueryUnescape(lr); err == nil {
		lr += " " + u
	}
	var out []string
	for _, m := range markers {
		lm := strings.ToLower(m)
		if holds(lb, lm) && !holds(lr, lm) {
			out = append(out, m)
		}
	}
	return out
}

// holds says whether s contains marker m; see leaks.
func holds(s, m string) bool {
	if strings.Trim(m, "0123456789") != "" {
		return strings.Contains(s, m)
	}
	digit := func(i int) bool { return i >= 0 && i < len(s) && s[i] >= '0' && s[i] <= '9' }
	for i := 0; ; {
		j := strings.Index(s[i:], m)
		if j < 0 {
			return false
		}
		at := i + j
		if !digit(at-1) && (at == 0 || s[at-1] != '.') && !digit(at+len(m)) {
			return true
		}
		i = at + 1
	}
}

// TestMarkerHolds checks the leak check's reading of digit markers.
func TestMarkerHolds(t *testing.T) {
	for _, c := range []struct {
		s, m string
		want bool
	}{
		{`{"score":0.27946}`, "7946", false},
		{`{"score":0.7946}`, "7946", false},
		{`call 17946 now`, "7946", false},
		{`call 79461 now`, "7946", false},
		{`call +44 20 7946 0958.`, "7946", true},
		{`call 7946.`, "7946", true},
		{`"norm":"442079460958"`, "442079460958", true},
		{`7946`, "7946", true},
		{`the zarqa cell`, "zarqa", true},
		{`nothing here`, "zarqa", false},
	} {
		if got := holds(c.s, c.m); got != c.want {
			t.Errorf("holds(%q, %q) = %v, want %v", c.s, c.m, got, c.want)
		}
	}
}

// probe is one request of the matrix and the status it must get.
type probe struct {
	what                 string
	method, target, body string
	want                 int
}

// matrixRoute is a route of the API and the probes that exercise it as a
// caller.
type matrixRoute struct {
	pattern string
	probes  func(f *matrix, c who) []probe
}

// otherAgency is the agency whose material the caller may not read.
func otherAgency(c who) string {
	if c.agency == bravo {
		return alpha
	}
	return bravo
}

// ownDoc and foreignDoc are a document the caller's agency holds and one
// the caller may never read (without a share).
func (f *matrix) ownDoc(c who) mosaic.DocID {
	if c.restricted {
		return f.docs[bravoOpen][0].Doc.ID
	}
	if c.agency == bravo {
		return f.docs[bravoSecret][0].Doc.ID
	}
	return f.docs[alphaMain][0].Doc.ID
}

func (f *matrix) foreignDoc(c who) mosaic.DocID {
	if c.agency == bravo {
		return f.docs[alphaMain][1].Doc.ID
	}
	return f.docs[bravoSecret][0].Doc.ID
}

// ownEntity and foreignEntity are an entity only the caller's agency's
// documents name and one only the other agency's do.
func (f *matrix) ownEntity(c who) mosaic.EntityID {
	if c.restricted {
		return f.entities["Ysolde Brackwater"]
	}
	if c.agency == bravo {
		return f.entities["Quillon Marsh"]
	}
	return f.entities["Pellworth Syndicate"]
}

func (f *matrix) foreignEntity(c who) mosaic.EntityID {
	if c.agency == bravo {
		return f.entities["Pellworth Syndicate"]
	}
	return f.entities["Quillon Marsh"]
}

// readWant is the status of a read of something in the caller's reach.
func readWant(ok bool) int {
	if ok {
		return http.StatusOK
	}
	return http.StatusNotFound
}

// dealWant is the status of an inter-agency request or a judgement: ok
// for an analyst or admin, 403 for a viewer.
func dealWant(c who, ok int) int {
	if c.mayDeal() {
		return ok
	}
	return http.StatusForbidden
}

// entityProbes reads one sub-page of an entity, own and foreign.
func entityProbes(sub string) func(f *matrix, c who) []probe {
	return func(f *matrix, c who) []probe {
		return []probe{
			{"own", "GET", fmt.Sprintf("/api/v1/entities/%d%s", f.ownEntity(c), sub), "", http.StatusOK},
			{"foreign", "GET", fmt.Sprintf("/api/v1/entities/%d%s", f.foreignEntity(c), sub), "", http.StatusNotFound},
		}
	}
}

func matrixRoutes() []matrixRoute {
	return []matrixRoute{
		{"GET /api/v1/collections", func(f *matrix, c who) []probe {
			return []probe{{"all", "GET", "/api/v1/collections", "", http.StatusOK}}
		}},
		{"POST /api/v1/collections/{name}/documents", uploadProbes},
		{"GET /api/v1/documents", func(f *matrix, c who) []probe {
			return []probe{
				{"all", "GET", "/api/v1/documents", "", http.StatusOK},
				{"foreign collection", "GET", "/api/v1/documents?collection=" + bravoSecret, "", http.StatusOK},
				{"bad cursor", "GET", "/api/v1/documents?cursor=%27%3B%20DROP%20TABLE%20documents", "", http.StatusBadRequest},
			}
		}},
		{"GET /api/v1/documents/{id}", func(f *matrix, c who) []probe {
			return []probe{
				{"own", "GET", "/api/v1/documents/" + string(f.ownDoc(c)), "", http.StatusOK},
				{"foreign", "GET", "/api/v1/documents/" + string(f.foreignDoc(c)), "", http.StatusNotFound},
				{"granted", "GET", "/api/v1/documents/" + string(f.docs[bravoOpen][0].Doc.ID), "", readWant(c.agency == bravo || f.granted)},
				{"classified", "GET", "/api/v1/documents/" + string(f.docs[bravoSecret][1].Doc.ID), "", readWant(c.agency == bravo && !c.restricted)},
			}
		}},
		{"GET /api/v1/documents/{id}/mentions", func(f *matrix, c who) []probe {
			return []probe{
				{"own", "GET", "/api/v1/documents/" + string(f.ownDoc(c)) + "/mentions", "", http.StatusOK},
				{"foreign", "GET", "/api/v1/documents/" + string(f.foreignDoc(c)) + "/mentions", "", http.StatusNotFound},
			}
		}},
		{"GET /api/v1/search", func(f *matrix, c who) []probe {
			return []probe{
				{"own words", "GET", "/api/v1/search?q=vasken", "", http.StatusOK},
				{"foreign words", "GET", "/api/v1/search?q=quillon+OR+aldermoor+OR+brightwater", "", http.StatusOK},
				{"collection filter", "GET", "/api/v1/search?q=" + url.QueryEscape(`collection:`+bravoSecret+` marsh`), "", http.StatusOK},
				{"fts column filter", "GET", "/api/v1/search?q=" + url.QueryEscape(`title:zarqa OR text:marsh`), "", http.StatusBadRequest},
				{"fts syntax", "GET", "/api/v1/search?q=" + url.QueryEscape(`NEAR(quillon marsh) "* ') OR 1=1; --`), "", http.StatusOK},
			}
		}},
		{"GET /api/v1/entities", func(f *matrix, c who) []probe {
			return []probe{
				{"foreign name", "GET", "/api/v1/entities?name=Quillon+Marsh", "", http.StatusOK},
				{"foreign org", "GET", "/api/v1/entities?name=Nightjar+Collective", "", http.StatusOK},
				{"own name", "GET", "/api/v1/entities?name=Corvin+Albescu", "", http.StatusOK},
				{"injection", "GET", "/api/v1/entities?name=" + url.QueryEscape(`Marsh'; DELETE FROM entities; --`), "", http.StatusOK},
			}
		}},
		{"GET /api/v1/entities/{id}", entityProbes("")},
		{"GET /api/v1/entities/{id}/names", entityProbes("/names")},
		{"GET /api/v1/entities/{id}/documents", func(f *matrix, c who) []probe {
			return []probe{
				{"own", "GET", fmt.Sprintf("/api/v1/entities/%d/documents?name=x", f.ownEntity(c)), "", http.StatusOK},
				{"foreign", "GET", fmt.Sprintf("/api/v1/entities/%d/documents?name=Quillon+Marsh", f.foreignEntity(c)), "", http.StatusNotFound},
			}
		}},
		{"GET /api/v1/entities/{id}/connections", entityProbes("/connections")},
		{"GET /api/v1/entities/{id}/timeline", entityProbes("/timeline")},
		{"GET /api/v1/entities/{id}/judgements", entityProbes("/judgements")},
		{"GET /api/v1/entities/{id}/proposals", entityProbes("/proposals")},
		{"GET /api/v1/entities/{id}/neighbours", entityProbes("/neighbours")},
		{"GET /api/v1/entities/{id}/ego", entityProbes("/ego")},
		{"GET /api/v1/entities/{id}/trend", entityProbes("/trend")},
		{"GET /api/v1/path", func(f *matrix, c who) []probe {
			shared := f.entities["Corvin Albescu"]
			return []probe{
				// A restricted caller of bravo's sees neither.
				{"own", "GET", fmt.Sprintf("/api/v1/path?from=%d&to=%d", shared, f.entities["Teodor Vasken"]), "", readWant(!c.restricted)},
				{"to foreign", "GET", fmt.Sprintf("/api/v1/path?from=%d&to=%d", shared, f.foreignEntity(c)), "", http.StatusNotFound},
			}
		}},
		{"GET /api/v1/edge", func(f *matrix, c who) []probe {
			shared := f.entities["Corvin Albescu"]
			return []probe{
				{"to foreign", "GET", fmt.Sprintf("/api/v1/edge?a=%d&b=%d", shared, f.foreignEntity(c)), "", http.StatusNotFound},
			}
		}},
		{"GET /api/v1/network", func(f *matrix, c who) []probe {
			return []probe{
				{"all", "GET", "/api/v1/network", "", http.StatusOK},
				{"foreign collection", "GET", "/api/v1/network?collection=" + bravoSecret + "," + alphaMain, "", http.StatusOK},
			}
		}},
		{"POST /api/v1/analyze", func(f *matrix, c who) []probe {
			return []probe{{"edges", "POST", "/api/v1/analyze", "a\tb\nb\tc\n", http.StatusOK}}
		}},
		{"GET /api/v1/incidents", func(f *matrix, c who) []probe {
			return []probe{
				{"all", "GET", "/api/v1/incidents", "", http.StatusOK},
				{"foreign collection", "GET", "/api/v1/incidents?collection=" + bravoSecret, "", http.StatusOK},
				{"foreign group", "GET", "/api/v1/incidents?group=Nightjar+Collective", "", http.StatusOK},
				{"bad cursor", "GET", "/api/v1/incidents?cursor=%27%3B%20DROP%20TABLE%20incidents", "", http.StatusBadRequest},
			}
		}},
		{"GET /api/v1/incidents/{id}", func(f *matrix, c who) []probe {
			own, _ := f.incidentPairs(c)
			if c.restricted {
				own[0] = f.matrixIncident(bravoOpen, 0)
			}
			path := func(id mosaic.IncidentID) string { return fmt.Sprintf("/api/v1/incidents/%d", id) }
			return []probe{
				{"own", "GET", path(own[0]), "", http.StatusOK},
				{"own, its ordinal", "GET", path(own[0]) + "?ordinal=1", "", http.StatusOK},
				{"granted", "GET", path(f.matrixIncident(bravoOpen, 0)), "", readWant(c.agency == bravo || f.granted)},
				{"classified", "GET", path(f.matrixIncident(bravoSecret, 0)), "", readWant(c.agency == bravo && !c.restricted)},
				{"foreign", "GET", path(f.matrixIncident(alphaMain, 0)) + "?ordinal=1&group=Pellworth+Syndicate", "", readWant(c.agency == alpha)},
				{"unknown", "GET", path(999999), "", http.StatusNotFound},
				{"bad id", "GET", "/api/v1/incidents/x", "", http.StatusBadRequest},
			}
		}},
		{"POST /api/v1/incidents/{a}/same/{b}", incidentRulingProbes("same")},
		{"POST /api/v1/incidents/{a}/different/{b}", incidentRulingProbes("different")},
		{"GET /api/v1/charts", chartProbes("list")},
		{"GET /api/v1/charts/{name}", chartProbes("read")},
		{"PUT /api/v1/charts/{name}", chartProbes("save")},
		{"DELETE /api/v1/charts/{name}", chartProbes("delete")},
		{"GET /api/v1/tempo", func(f *matrix, c who) []probe {
			return []probe{
				{"all", "GET", "/api/v1/tempo?by=day", "", http.StatusOK},
				{"foreign collection", "GET", "/api/v1/tempo?by=month&collection=" + bravoSecret, "", http.StatusOK},
				{"bad period", "GET", "/api/v1/tempo?by=fortnight", "", http.StatusBadRequest},
			}
		}},
		{"GET /api/v1/lone-actors", func(f *matrix, c who) []probe {
			return []probe{{"all", "GET", "/api/v1/lone-actors", "", http.StatusOK}}
		}},
		{"POST /api/v1/judgements", func(f *matrix, c who) []probe {
			return []probe{
				{"foreign entity", "POST", "/api/v1/judgements",
					fmt.Sprintf(`{"kind":"flag","entity":%d,"reason":"matrix"}`, f.foreignEntity(c)), dealWant(c, http.StatusNotFound)},
				// A merge of one's own entity with a foreign one.
				{"merge with foreign", "POST", "/api/v1/judgements",
					fmt.Sprintf(`{"kind":"merge","entity":%d,"other":%d,"reason":"matrix","force":true}`, f.ownEntity(c), f.foreignEntity(c)), dealWant(c, http.StatusNotFound)},
				{"acting as another", "POST", "/api/v1/judgements",
					fmt.Sprintf(`{"kind":"flag","entity":%d,"reason":"matrix","user":"bravo-admin"}`, f.ownEntity(c)), dealWant(c, http.StatusBadRequest)},
			}
		}},
		{"POST /api/v1/judgements/{id}/undo", func(f *matrix, c who) []probe {
			// bravo's flag is about an entity both agencies see; alpha may
			// not undo it, and must not learn it exists.
			other := http.StatusNotFound
			switch {
			case c.agency != bravo || c.restricted:
				// A restricted caller cannot see the entity either.
			case c.role == store.Admin && !f.granted:
				// bravo's admin comes first of bravo's callers, in the
				// first pass, and undoes it; the rest find it undone.
				other = http.StatusOK
			default:
				other = http.StatusConflict
			}
			return []probe{
				{"unknown", "POST", "/api/v1/judgements/999999/undo", `{"reason":"matrix"}`, dealWant(c, http.StatusNotFound)},
				{"bravo's", "POST", fmt.Sprintf("/api/v1/judgements/%d/undo", f.bravoJudgement), `{"reason":"matrix"}`, dealWant(c, other)},
			}
		}},
		{"GET /api/v1/discover", func(f *matrix, c who) []probe {
			return []probe{
				{"foreign name", "GET", "/api/v1/discover?q=Quillon+Marsh", "", dealWant(c, http.StatusOK)},
				{"shared name", "GET", "/api/v1/discover?q=Corvin+Albescu", "", dealWant(c, http.StatusOK)},
				{"phone", "GET", "/api/v1/discover?q=" + url.QueryEscape("+44 20 7946 0958"), "", dealWant(c, http.StatusOK)},
				{"empty", "GET", "/api/v1/discover?q=+", "", dealWant(c, http.StatusBadRequest)},
			}
		}},
		{"GET /api/v1/shares", func(f *matrix, c who) []probe {
			return []probe{{"list", "GET", "/api/v1/shares", "", dealWant(c, http.StatusOK)}}
		}},
		{"POST /api/v1/shares", func(f *matrix, c who) []probe {
			return []probe{
				{"nothing held", "POST", "/api/v1/shares",
					fmt.Sprintf(`{"query":"Nobody Whatsoever","owner":%q,"reason":"matrix"}`, otherAgency(c)), dealWant(c, http.StatusNotFound)},
				{"no such agency", "POST", "/api/v1/shares",
					`{"query":"Corvin Albescu","owner":"charlie","reason":"matrix"}`, dealWant(c, http.StatusNotFound)},
			}
		}},
		{"POST /api/v1/shares/{id}/decision", func(f *matrix, c who) []probe {
			return []probe{
				{"unknown", "POST", "/api/v1/shares/999999/decision", `{"approve":true,"answer":"matrix"}`, dealWant(c, http.StatusNotFound)},
			}
		}},
		{"GET /api/v1/alerts", func(f *matrix, c who) []probe {
			return []probe{{"list", "GET", "/api/v1/alerts", "", dealWant(c, http.StatusOK)}}
		}},
		{"GET /api/v1/admin/users", adminProbes("users")},
		{"POST /api/v1/admin/users", adminProbes("add")},
		{"POST /api/v1/admin/users/{name}/password", adminProbes("password")},
		{"POST /api/v1/admin/users/{name}/tokens", adminProbes("tokens")},
		{"DELETE /api/v1/admin/tokens/{id}", adminProbes("revoke token")},
		{"GET /api/v1/admin/grants", adminProbes("grants")},
		{"GET /api/v1/admin/queue", adminProbes("queue")},
		{"POST /api/v1/admin/grants", adminProbes("grant")},
		{"DELETE /api/v1/admin/grants/{id}", adminProbes("revoke grant")},
		{"GET /api/v1/audit", adminProbes("audit")},
		{"GET /api/v1/audit/verify", adminProbes("verify")},
		{"POST /api/v1/login", func(f *matrix, c who) []probe {
			// Each caller tries another name, so that the limiter, which
			// slows a name down after a few failures, is not what answers.
			return []probe{{"wrong password", "POST", "/api/v1/login",
				fmt.Sprintf(`{"user":"ghost-%s-%t","password":"not-the-password"}`, c, f.granted), http.StatusUnauthorized}}
		}},
		{"GET /api/v1/me", func(f *matrix, c who) []probe {
			return []probe{{"me", "GET", "/api/v1/me", "", http.StatusOK}}
		}},
		{"GET /api/openapi.json", func(f *matrix, c who) []probe {
			return []probe{{"document", "GET", "/api/openapi.json", "", http.StatusOK}}
		}},
		{"POST /api/v1/logout", func(f *matrix, c who) []probe {
			return []probe{{"token", "POST", "/api/v1/logout", "", http.StatusNoContent}}
		}},
	}
}

// TestMatrixCoversRoutes checks that the matrix has a row for every API
// route Handler registers, read from web.go's source, and none it does not.
func TestMatrixCoversRoutes(t *testing.T) {
	fset := token.NewFileSet()
	file, err := parser.ParseFile(fset, "web.go", nil, 0)
	if err != nil {
		t.Fatal(err)
	}
	var registered []string
	ast.Inspect(file, func(n ast.Node) bool {
		call, ok := n.(*ast.CallExpr)
		if !ok || len(call.Args) == 0 {
			return true
		}
		sel, ok := call.Fun.(*ast.SelectorExpr)
		if !ok || sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle" {
			return true
		}
		lit, ok := call.Args[0].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return true
		}
		pattern, err := strconv.Unquote(lit.Value)
		if err != nil {
			t.Fatal(err)
		}
		// The catch-all, which answers 404, has no method.
		if method, path, ok := strings.Cut(pattern, " "); ok && strings.HasPrefix(path, "/api/") && method != "" {
			registered = append(registered, pattern)
		}
		return true
	})
	var tested []string
	for _, r := range matrixRoutes() {
		tested = append(tested, r.pattern)
	}
	slices.Sort(registered)
	slices.Sort(tested)
	if len(registered) < 20 {
		t.Fatalf("found only %d API routes in web.go: %q", len(registered), registered)
	}
	for _, p := range registered {
		if !slices.Contains(tested, p) {
			t.Errorf("route %q is registered but not in the matrix", p)
		}
	}
	for _, p := range tested {
		if !slices.Contains(registered, p) {
			t.Errorf("route %q is in the matrix but not registered", p)
		}
	}
}

// TestAuthorisationMatrix calls every route as every caller, before and
// after bravo grants alpha a collection.
func TestAuthorisationMatrix(t *testing.T) {
	f := newMatrix(t)
	for _, pass := range []string{"no grant", "granted"} {
		if pass == "granted" {
			f.grant(t)
		}
		for _, route := range matrixRoutes() {
			for _, c := range callers() {
				for _, p := range route.probes(f, c) {
					want := p.want
					if c.agency == "" && route.pattern != "POST /api/v1/login" && route.pattern != "GET /api/openapi.json" {
						want = http.StatusUnauthorized
					}
					status, body := f.call(t, c, p.method, p.target, p.body)
					name := fmt.Sprintf("%s/%s/%s/%s", pass, route.pattern, c, p.what)
					if status != want {
						t.Errorf("%s: status %d, want %d: %.300s", name, status, want, body)
					}
					if l := leaks(body, p.target+" "+p.body, f.foreign(c)); len(l) > 0 {
						t.Errorf("%s: answer holds foreign markers %q: %.500s", name, l, body)
					}
				}
			}
		}
	}
}

// TestMatrixGrantShows checks the grant works both ways it must: alpha's
// document list holds bravoOpen's document once granted, and never
// bravoSecret's.
func TestMatrixGrantShows(t *testing.T) {
	f := newMatrix(t)
	analyst := who{agency: alpha, role: store.Analyst}
	listed := func() []mosaic.DocID {
		status, body := f.call(t, analyst, "GET", "/api/v1/documents", "")
		if status != http.StatusOK {
			t.Fatalf("documents: %d %s", status, body)
		}
		var res struct {
			Documents []store.Summary `json:"documents"`
		}
		if err := json.Unmarshal([]byte(body), &res); err != nil {
			t.Fatal(err)
		}
		var ids []mosaic.DocID
		for _, d := range res.Documents {
			ids = append(ids, d.ID)
		}
		return ids
	}
	open := f.docs[bravoOpen][0].Doc.ID
	own := len(f.docs[alphaMain])
	if ids := listed(); len(ids) != own || slices.Contains(ids, open) {
		t.Errorf("before the grant alpha lists %v, want its own %d documents", ids, own)
	}
	f.grant(t)
	ids := listed()
	if len(ids) != own+1 || !slices.Contains(ids, open) {
		t.Errorf("after the grant alpha lists %v, want its own %d and %s", ids, own, open)
	}
	for _, in := range f.docs[bravoSecret] {
		if slices.Contains(ids, in.Doc.ID) {
			t.Errorf("alpha lists bravo's secret %s", in.Doc.ID)
		}
	}
}

// injections are values that would change an SQL statement or an FTS5
// query were they spliced into one: quotes, statement ends, comments,
// FTS5 operators and column filters, a bare prefix star, and bytes that
// are not UTF-8.
var injections = []string{
	`'`, `"`, `''`, `'; DROP TABLE documents; --`, `" OR 1=1 --`, `') OR ('1'='1`,
	`quillon; SELECT * FROM documents`, `NEAR(quillon marsh, 2)`, `NEAR(zarqa`, `text:quillon`,
	`{title text}: zarqa`, `title:zarqa`, `"*`, `*`, `quill*`, `^zarqa`, `zarqa AND NOT aldermoor`,
	`collection:` + bravoSecret, `-zarqa`, `(((`, `\x00`, "\xff\xfe", "Quillon\xc3", `%`, `_`,
	`\' OR 1=1`, `1 UNION SELECT title FROM documents`, `marsh" OR "1"="1`,
}

// TestInjection sends every injection in every query parameter that
// reaches the store: none may fail the server (5xx), show a foreign
// marker, or change what the store holds.
func TestInjection(t *testing.T) {
	f := newMatrix(t)
	ctx := context.Background()
	analyst := who{agency: alpha, role: store.Analyst}
	own := f.ownEntity(analyst)
	targets := []string{
		"/api/v1/search?q=",
		"/api/v1/search?q=vasken&offset=",
		"/api/v1/entities?name=",
		"/api/v1/entities?name=Marsh&cursor=",
		"/api/v1/discover?q=",
		"/api/v1/documents?collection=",
		"/api/v1/documents?cursor=",
		"/api/v1/documents/" + string(f.ownDoc(analyst)) + "/mentions?cursor=",
		fmt.Sprintf("/api/v1/entities/%d/names?cursor=", own),
		fmt.Sprintf("/api/v1/entities/%d/documents?name=", own),
		fmt.Sprintf("/api/v1/entities/%d/timeline?cursor=", own),
		"/api/v1/network?collection=",
		"/api/v1/network?type=",
		"/api/v1/incidents?group=",
		"/api/v1/incidents?where=",
		"/api/v1/incidents?cursor=",
		"/api/v1/tempo?group=",
	}
	for _, target := range targets {
		for _, v := range injections {
			// The value raw, as a careless client would send it, and
			// escaped; a raw value the URL parser refuses is skipped.
			for _, sent := range []string{url.QueryEscape(v), v} {
				if _, err := url.ParseRequestURI(target + sent); err != nil || strings.ContainsAny(sent, " #\x00") {
					continue
				}
				status, body := f.call(t, analyst, "GET", target+sent, "")
				if status >= 500 {
					t.Errorf("%s%s: status %d: %s", target, sent, status, body)
				}
				if l := leaks(body, target+sent, f.foreign(analyst)); len(l) > 0 {
					t.Errorf("%s%s: answer holds foreign markers %q: %.400s", target, sent, l, body)
				}
			}
		}
	}
	for _, tc := range []struct {
		body   string
		status int
	}{
		{`{"query":"Quillon'; DROP TABLE share_requests; --","owner":"bravo","reason":"r"}`, http.StatusNotFound},
		{`{"query":"NEAR(quillon marsh)","owner":"bravo' OR '1'='1","reason":"r"}`, http.StatusNotFound},
		// JSON decoding turns the stray byte into U+FFFD, and the name
		// still matches: stored, as valid UTF-8.
		{"{\"query\":\"Quillon \xff Marsh\",\"owner\":\"bravo\",\"reason\":\"r\"}", http.StatusCreated},
	} {
		status, answer := f.call(t, analyst, "POST", "/api/v1/shares", tc.body)
		if status != tc.status {
			t.Errorf("share request %s: status %d, want %d: %s", tc.body, status, tc.status, answer)
		}
	}
	// The store holds what it held.
	l, err := f.store.DocumentsPage(ctx, store.DocumentFilter{})
	if err != nil || l.Total != 6 {
		t.Errorf("after the injections the store lists %d documents (%v), want 6", l.Total, err)
	}
	rs, err := f.store.ShareRequests(ctx, bravo)
	if err != nil || len(rs) != 1 || rs[0].Query != "Quillon \uFFFD Marsh" {
		t.Errorf("after the injections: share requests %+v, %v", rs, err)
	}
}

// TestHostileTextIsJSON checks a document whose title and text are HTML
// is answered as JSON text, every < escaped, so that no browser sniffing
// the answer can read markup in it, and decodes to exactly what was stored.
func TestHostileTextIsJSON(t *testing.T) {
	f := newMatrix(t)
	analyst := who{agency: alpha, role: store.Analyst}
	doc := f.hostile.Doc
	for _, target := range []string{
		"/api/v1/documents/" + string(doc.ID),
		"/api/v1/documents",
		"/api/v1/search?q=forwarded",
		fmt.Sprintf("/api/v1/entities/%d/documents?name=Corvin+Albescu", f.entities["Corvin Albescu"]),
		fmt.Sprintf("/api/v1/entities/%d", f.entities["Corvin Albescu"]),
	} {
		req := httptest.NewRequest("GET", target, nil)
		req.Host = "localhost"
		req.Header.Set("Authorization", "Bearer "+f.tokens[analyst])
		rec := httptest.NewRecorder()
		f.h.ServeHTTP(rec, req)
		body := rec.Body.String()
		if rec.Code != http.StatusOK {
			t.Errorf("%s: status %d: %s", target, rec.Code, body)
			continue
		}
		if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
			t.Errorf("%s: Content-Type %q", target, ct)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Errorf("%s: the answer may be sniffed as HTML", target)
		}
		if strings.ContainsAny(body, "<>") {
			t.Errorf("%s: the answer holds raw markup: %.400s", target, body)
		}
		if !strings.Contains(body, `\u003cscript\u003e`) && !strings.Contains(body, `\u003cimg`) {
			t.Errorf("%s: the hostile document is not in the answer: %.400s", target, body)
		}
	}
	status, body := f.call(t, analyst, "GET", "/api/v1/documents/"+string(doc.ID), "")
	var res documentResponse
	decode(t, body, &res)
	if status != http.StatusOK || res.Document.Title != doc.Title || res.Document.Text != doc.Text {
		t.Errorf("the hostile document reads back as %q / %q", res.Document.Title, res.Document.Text)
	}
}

// TestBrowserAgencies runs e2e/agencies.mjs: alpha's analyst logs in
// through the page, which must show nothing of bravo's material — not in
// the sidebar, the list, a search, or bravo's document opened by its ID —
// and must show alpha's hostile document as text without running it.
func TestBrowserAgencies(t *testing.T) {
	m := newMatrix(t)
	// runBrowser logs in as the fixture's analyst: here, one of alpha's.
	if _, err := m.store.AddUser(context.Background(), store.User{Name: analyst, Agency: alpha, Role: store.Analyst, Clearance: "SECRET"}, ""); err != nil {
		t.Fatal(err)
	}
	var foreign []string
	for _, c := range []string{bravoOpen, bravoSecret} {
		foreign = append(foreign, m.markers[c]...)
	}
	markers, err := json.Marshal(foreign)
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv("MOSAIC_FOREIGN_DOC", string(m.docs[bravoSecret][0].Doc.ID))
	t.Setenv("MOSAIC_FOREIGN_MARKERS", string(markers))
	t.Setenv("MOSAIC_HOSTILE_DOC", string(m.hostile.Doc.ID))
	t.Setenv("MOSAIC_HOSTILE_TITLE", m.hostile.Doc.Title)
	runBrowser(t, &fixture{store: m.store}, "agencies.mjs", m.h)
}
