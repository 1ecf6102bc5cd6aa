package web

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/auth"
	"mosaic/internal/entity"
	"mosaic/internal/extract"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// The fixture case: fictional people, places and organisations only.
const (
	reports    = "field-reports"
	intercepts = "intercepts"
	press      = "press-digest"
)

// fixture is a real SQLite store filled through store.Add, with the
// documents the tests look at by name.
type fixture struct {
	store *sqlite.Store
	// every document stored, in the order added, one entry per holding
	batch []store.Ingested
	// meeting is plain ASCII; accents has é, Arabic and an emoji before
	// some of its mentions; hostile is HTML that must never run; shared is
	// held by two collections of two agencies.
	meeting, accents, hostile, shared store.Ingested
	// bulletins is the number of press documents, enough to page through.
	bulletins int
	// tokens holds the API token of each of the fixture's users, by name.
	tokens map[string]string
}

// The fixture's users. analyst, of the agency that owns the field
// reports, is granted every other collection, so it sees everything the
// tests look for; viewer is of the same agency with the viewer role and no
// grant; signals, of the Signals Unit, sees its intercepts only.
const (
	analyst = "analyst"
	viewer  = "viewer"
	signals = "signals"
)

// addUsers creates the fixture's users, each with an API token, and grants
// analyst the collections its agency does not own.
func (f *fixture) addUsers(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	f.tokens = map[string]string{}
	for _, u := range []store.User{
		{Name: analyst, Agency: "Regional Police", Role: store.Analyst},
		{Name: viewer, Agency: "Regional Police", Role: store.Viewer},
		{Name: signals, Agency: "Signals Unit", Role: store.Analyst},
	} {
		if _, err := f.store.AddUser(ctx, u, ""); err != nil {
			t.Fatal(err)
		}
		tok := auth.NewToken()
		if _, err := f.store.AddToken(ctx, u.Name, "tests", auth.Digest(tok)); err != nil {
			t.Fatal(err)
		}
		f.tokens[u.Name] = tok
	}
	f.grant(t, analyst, intercepts, press)
}

// grant lets the user read the collections.
func (f *fixture) grant(t testing.TB, user string, collections ...string) {
	t.Helper()
	for _, c := range collections {
		if _, err := f.store.Grant(context.Background(), store.Grant{Collection: c, User: user, By: "tests", Reason: "fixture"}); err != nil {
			t.Fatal(err)
		}
	}
}

// bearer is the Authorization header of the user's token.
func (f *fixture) bearer(user string) string {
	tok, ok := f.tokens[user]
	if !ok {
		panic("fixture: no user " + user)
	}
	return "Bearer " + tok
}

// as returns h with every request that carries no Authorization header
// sent with the user's token: the tests written before authentication
// keep their requests and assertions, and each passes the real checks.
func (f *fixture) as(user string, h http.Handler) http.Handler {
	header := f.bearer(user)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") == "" {
			r.Header.Set("Authorization", header)
		}
		h.ServeHTTP(w, r)
	})
}

// password gives the user a password, for the tests that log in.
func (f *fixture) password(t testing.TB, user, password string) {
	t.Helper()
	hash, err := auth.HashPassword(password)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.store.SetPassword(context.Background(), user, hash); err != nil {
		t.Fatal(err)
	}
}

// ids of the documents distinct by content.
func (f *fixture) docs() map[mosaic.DocID]store.Ingested {
	m := map[mosaic.DocID]store.Ingested{}
	for _, in := range f.batch {
		if _, ok := m[in.Doc.ID]; !ok {
			m[in.Doc.ID] = in
		}
	}
	return m
}

func newFixture(t testing.TB) *fixture {
	t.Helper()
	ctx := context.Background()
	s, err := sqlite.Open(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	for _, c := range [][2]string{
		{reports, "Regional Police"},
		{intercepts, "Signals Unit"},
		{press, "Open Sources Desk"},
	} {
		if _, err := s.EnsureCollection(ctx, c[0], c[1]); err != nil {
			t.Fatal(err)
		}
	}
	f := &fixture{store: s}
	f.addUsers(t)

	f.meeting = ingest(t, reports, "Field report 14: meeting at a garage",
		"On 12 June 2016 Tomas Verhelst met Idris Kallweit at a garage in Oudenaarde.\n"+
			"Kallweit paid for two phones; Verhelst kept the receipts.\n"+
			"Neither man named the Northgate Brotherhood.",
		date(2016, 6, 14), nil,
		m("12 June 2016", mosaic.Date, "2016-06-12"),
		m("Tomas Verhelst", mosaic.Person, ""),
		m("Idris Kallweit", mosaic.Person, ""),
		m("Oudenaarde", mosaic.Location, ""),
		m("Kallweit paid", mosaic.Person, "", "Kallweit"),
		m("Verhelst kept", mosaic.Person, "", "Verhelst"),
		m("Northgate Brotherhood", mosaic.Org, ""))

	f.accents = ingest(t, intercepts, "Intercept 7 — café «Sérénité», Liège",
		"Résumé de l'appel : Hélène Marchetti appelle depuis le café « Sérénité » à Liège.\n"+
			"ملخص: اتصل الشخص من مقهى في لييج.\n"+
			"📞 After the Arabic summary the caller names Idris Kallweit and gives +32 470 12 34 56 and relay7@example.org.",
		date(2016, 6, 20), map[string]string{"channel": "GSM", "operator": "fictional-telecom"},
		m("Hélène Marchetti", mosaic.Person, ""),
		m("Liège", mosaic.Location, ""),
		m("لييج", mosaic.Location, ""),
		m("Idris Kallweit", mosaic.Person, ""),
		m("+32 470 12 34 56", mosaic.Phone, "+32470123456"),
		m("relay7@example.org", mosaic.Email, "relay7@example.org"))

	f.hostile = ingest(t, reports, `<script>window.__mosaicPwned="title"</script><b>Hostile memo</b>`,
		"Memo forwarded by Idris Kallweit; it arrived as HTML.\n"+
			`<img src=x onerror="window.__mosaicPwned='img'">`+"\n"+
			`<script>window.__mosaicPwned='script'</script>`+"\n"+
			`<a href="javascript:window.__mosaicPwned='link'">click</a> & "quotes"; DROP TABLE documents; --`,
		time.Time{}, nil,
		m("Idris Kallweit", mosaic.Person, ""))

	f.shared = ingest(t, reports, "Joint summary: the Kallweit contacts",
		"Joint summary shared by two agencies: Kallweit was in touch with Verhelst and Marchetti.",
		date(2016, 7, 1), nil,
		m("Kallweit", mosaic.Person, ""),
		m("Verhelst", mosaic.Person, ""),
		m("Marchetti", mosaic.Person, ""))
	// The same bytes, also held by a collection of another agency.
	sharedCopy := f.shared
	sharedCopy.Collection = intercepts
	sharedCopy.Doc.Source = "signals/joint-summary.txt"

	f.batch = []store.Ingested{f.meeting, f.accents, f.hostile, f.shared, sharedCopy}
	f.bulletins = 24
	for i := 1; i <= f.bulletins; i++ {
		f.batch = append(f.batch, ingest(t, press, fmt.Sprintf("Daily press digest %02d", i),
			fmt.Sprintf("Digest %d: local papers report that Kallweit was seen near the harbour of Vlissingen.", i),
			date(2016, 7, 1+i), nil,
			m("Kallweit", mosaic.Person, ""),
			m("Vlissingen", mosaic.Location, "")))
	}
	if _, err := s.Add(ctx, f.batch); err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) server(log *slog.Logger) *Server {
	return &Server{Collections: f.store, Documents: f.store, Searcher: f.store, Accounts: f.store, Hosts: []string{testHost}, Log: log}
}

// testHost is the Host of httptest.NewRequest's requests, which servers
// under test answer for.
const testHost = "example.com"

// mentionSpec names a mention by the text around it: find locates the
// mention, text is the part of find that is the mention (find itself when
// empty).
type mentionSpec struct {
	find, text string
	typ        mosaic.MentionType
	norm       string
}

func m(find string, typ mosaic.MentionType, norm string, text ...string) mentionSpec {
	s := mentionSpec{find: find, typ: typ, norm: norm, text: find}
	if len(text) > 0 {
		s.text = text[0]
	}
	return s
}

func ingest(t testing.TB, collection, title, text string, d time.Time, meta map[string]string, specs ...mentionSpec) store.Ingested {
	t.Helper()
	var ms []mosaic.Mention
	for _, sp := range specs {
		i := strings.Index(text, sp.find)
		if i < 0 {
			t.Fatalf("fixture: %q not in %q", sp.find, title)
		}
		i += strings.Index(sp.find, sp.text)
		ms = append(ms, mosaic.Mention{
			Start: i, End: i + len(sp.text), Type: sp.typ, Text: sp.text, Norm: sp.norm,
			Sentence: sentenceAround(text, i), Confidence: 0.9,
		})
	}
	return store.Ingested{
		Collection: collection,
		Doc: mosaic.Document{
			ID:     mosaic.NewDocID([]byte(title + "\x00" + text)),
			Title:  title,
			Text:   text,
			Date:   d,
			Format: mosaic.FormatText,
			Source: collection + "/" + strings.ToLower(strings.Join(strings.Fields(title)[:2], "-")) + ".txt",
			Size:   int64(len(text)),
			Meta:   meta,
		},
		Mentions: ms,
	}
}

// sentenceAround is the line holding byte i; the fixture writes one
// sentence a line.
func sentenceAround(text string, i int) mosaic.Span {
	start := strings.LastIndexByte(text[:i], '\n') + 1
	end := strings.IndexByte(text[i:], '\n')
	if end < 0 {
		return mosaic.Span{Start: start, End: len(text)}
	}
	return mosaic.Span{Start: start, End: i + end}
}

func date(y int, mo time.Month, d int) time.Time {
	return time.Date(y, mo, d, 0, 0, 0, 0, time.UTC)
}

// caseNotes is the network fixture's collection: reports whose sentences
// state relations between people, so the network has evidence to show.
const caseNotes = "case-notes"

// networkFixture is the fixture with a small case network on top, its
// entities resolved. Oskar Feldhaus, called a lone actor, was in touch with
// Marten Quist, a member of the Northgate Brotherhood, who allegedly met
// Idris Kallweit; a note denies that Feldhaus was in touch with Kallweit.
// Lieke Brandsma, also called a lone actor, is linked to no one.
type networkFixture struct {
	*fixture
	// arson calls Feldhaus a lone actor and holds the negated contact;
	// phones holds the contact and the hedged meeting; brotherhood the
	// membership, its sentence followed by hostile HTML; brandsma the
	// second lone actor.
	arson, phones, brotherhood, brandsma store.Ingested
}

func newNetworkFixture(t testing.TB) *networkFixture {
	t.Helper()
	ctx := context.Background()
	f := &networkFixture{fixture: newFixture(t)}
	if _, err := f.store.EnsureCollection(ctx, caseNotes, "Joint Analysis Cell"); err != nil {
		t.Fatal(err)
	}
	f.grant(t, analyst, caseNotes)
	f.arson = related(ingest(t, caseNotes, "Case note 1: the depot arson",
		"Police said Oskar Feldhaus acted alone in the arson at the depot in Ghent.\n"+
			"Feldhaus bought fuel at a station the night before.\n"+
			"Oskar Feldhaus was not in touch with Idris Kallweit.",
		date(2017, 3, 20), nil,
		m("Oskar Feldhaus", mosaic.Person, ""),
		m("Ghent", mosaic.Location, ""),
		m("Feldhaus bought", mosaic.Person, "", "Feldhaus"),
		m("Oskar Feldhaus was not", mosaic.Person, "", "Oskar Feldhaus"),
		m("Idris Kallweit", mosaic.Person, "")))
	f.phones = related(ingest(t, caseNotes, "Case note 2: phone records",
		"Oskar Feldhaus was in touch with Marten Quist in March 2017.\n"+
			"Marten Quist allegedly met Idris Kallweit in Antwerp.",
		date(2017, 4, 2), nil,
		m("Oskar Feldhaus", mosaic.Person, ""),
		m("Marten Quist", mosaic.Person, ""),
		m("March 2017", mosaic.Date, "2017-03"),
		m("Marten Quist allegedly", mosaic.Person, "", "Marten Quist"),
		m("Idris Kallweit", mosaic.Person, ""),
		m("Antwerp", mosaic.Location, "")))
	f.brotherhood = related(ingest(t, caseNotes, "Case note 3: the Brotherhood",
		`Marten Quist is a member of the Northgate Brotherhood <img src=x onerror="window['__mosaicPwned']='evidence'">.`,
		date(2017, 4, 15), nil,
		m("Marten Quist", mosaic.Person, ""),
		m("Northgate Brotherhood", mosaic.Org, "")))
	f.brandsma = related(ingest(t, caseNotes, "Case note 4: a second suspect",
		"The prosecutor said Lieke Brandsma acted alone.\n"+
			"Lieke Brandsma rented a flat in Vlissingen.",
		date(2017, 5, 1), nil,
		m("Lieke Brandsma", mosaic.Person, ""),
		m("Lieke Brandsma rented", mosaic.Person, "", "Lieke Brandsma"),
		m("Vlissingen", mosaic.Location, "")))
	notes := []store.Ingested{f.arson, f.phones, f.brotherhood, f.brandsma}
	if _, err := f.store.Add(ctx, notes); err != nil {
		t.Fatal(err)
	}
	f.batch = append(f.batch, notes...)
	f.resolve(t)
	return f
}

// server serves every endpoint, entities and network included.
func (f *networkFixture) server(log *slog.Logger) *Server {
	s := f.fixture.server(log)
	s.Entities, s.EntityFinder, s.Judges, s.Corpus = f.store, entity.NewFinder(f.store), f.store, f.store
	return s
}

// related fills in the relations the real extractor's Relate finds between
// the document's hand-placed mentions, which the fixture writes one
// sentence a line and in text order.
// resolve resolves the entities of every document the fixture's store
// holds that is not resolved yet.
func (f *fixture) resolve(t testing.TB) {
	t.Helper()
	ctx := context.Background()
	r, err := entity.NewResolver(ctx, f.store)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.Pending(ctx); err != nil {
		t.Fatal(err)
	}
}

// entityHandler resolves the fixture's documents and returns the handler
// of a server that answers the entity and judgement routes from its store.
func (f *fixture) entityHandler(t testing.TB) http.Handler {
	t.Helper()
	f.resolve(t)
	srv := f.server(nil)
	srv.Entities, srv.EntityFinder, srv.Judges = f.store, entity.NewFinder(f.store), f.store
	return f.as(analyst, srv.Handler())
}

func related(in store.Ingested) store.Ingested {
	a := &extract.Analysis{Text: in.Doc.Text, Sentences: extract.Split(in.Doc.Text)}
	in.Relations = extract.Relate(a, in.Mentions)
	return in
}
