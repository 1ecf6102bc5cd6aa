package storetest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// discoveryFixture is two agencies' material on one man, Samir Haddad
// (entity samir), and on another (entity other), with his phone number and
// e-mail address; the first document is held by both agencies.
type discoveryFixture struct {
	// both is held by Police and Intelligence; intel and mail by
	// Intelligence only, press by Press; unrelated names only other.
	both, intel, mail, press, unrelated mosaic.Document
	// samir is named in both, intel and press; alias ("S. Haddad") in
	// mail; other in unrelated.
	samir, alias, other mosaic.EntityID
}

func newDiscoveryFixture(t *testing.T, s store.Store) discoveryFixture {
	t.Helper()
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "intel", "Intelligence")
	mustCollection(t, s, "intel-archive", "Intelligence")
	mustCollection(t, s, "press", "Press")
	var f discoveryFixture
	type named struct {
		sub  string
		typ  mosaic.MentionType
		norm string
	}
	put := func(d *mosaic.Document, title, text string, collections []string, names ...named) {
		t.Helper()
		*d = doc(title, text)
		var ms []mosaic.Mention
		for _, n := range names {
			m := mention(t, text, n.sub, n.typ)
			m.Norm = n.norm
			ms = append(ms, m)
		}
		for _, c := range collections {
			mustAdd(t, s, store.Ingested{Collection: c, Doc: *d, Mentions: ms})
		}
	}
	put(&f.both, "Call log", "Samir Haddad called +32 470 12 34 56 at noon.", []string{"police", "intel"},
		named{"Samir Haddad", mosaic.Person, ""}, named{"+32 470 12 34 56", mosaic.Phone, "+32470123456"})
	put(&f.intel, "Sighting", "Samir Haddad was seen in Molenbeek.", []string{"intel"},
		named{"Samir Haddad", mosaic.Person, ""})
	put(&f.mail, "Mailbox", "S. Haddad wrote from samir.h@example.org twice.", []string{"intel-archive"},
		named{"S. Haddad", mosaic.Person, ""}, named{"samir.h@example.org", mosaic.Email, "samir.h@example.org"})
	put(&f.press, "Article", "Police seek Samir Haddad.", []string{"press"},
		named{"Samir Haddad", mosaic.Person, ""})
	put(&f.unrelated, "Other case", "Karim Bensaid rented a van.", []string{"intel"},
		named{"Karim Bensaid", mosaic.Person, ""})
	resolve := func(d mosaic.Document, name string) mosaic.EntityID {
		t.Helper()
		ids, err := s.Resolve(ctx, d.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: name}},
			[]store.Assignment{assign(t, d.Text, name, mosaic.Person, 0, 1)})
		if err != nil {
			t.Fatal(err)
		}
		return ids[0]
	}
	f.samir = resolve(f.both, "Samir Haddad")
	for _, d := range []mosaic.Document{f.intel, f.press} {
		if _, err := s.Resolve(ctx, d.ID, nil, []store.Assignment{assign(t, d.Text, "Samir Haddad", mosaic.Person, f.samir, 0)}); err != nil {
			t.Fatal(err)
		}
	}
	f.alias = resolve(f.mail, "S. Haddad")
	f.other = resolve(f.unrelated, "Karim Bensaid")
	return f
}

// counts renders AgencyCounts as "agency:n ...".
func counts(cs []store.AgencyCount) string {
	out := ""
	for _, c := range cs {
		out += fmt.Sprintf(" %s:%d", c.Agency, c.Documents)
	}
	if out == "" {
		return "none"
	}
	return out[1:]
}

// testDiscovery checks that Holders counts each agency's distinct
// documents on a subject (a document two collections hold counts once),
// leaves out the asking agency, follows merges, and finds identifiers in
// their normalised form; and that HeldDocuments lists them.
func testDiscovery(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newDiscoveryFixture(t, s)
	mustCollection(t, s, "intel-copy", "Intelligence")
	// A second collection of Intelligence holding a document it holds
	// already does not count it twice.
	mustAdd(t, s, store.Ingested{Collection: "intel-copy", Doc: f.intel})
	holders := func(sub store.Subject, except string, clearance ...string) string {
		t.Helper()
		cs, err := s.Holders(ctx, sub, except, strings.Join(clearance, ""))
		if err != nil {
			t.Fatalf("Holders(%+v, %q): %v", sub, except, err)
		}
		return counts(cs)
	}
	samir := store.Subject{Entities: []mosaic.EntityID{f.samir}}
	for _, tc := range []struct {
		name   string
		sub    store.Subject
		except string
		want   string
	}{
		{"a person, asked by Police", samir, "Police", "Intelligence:2 Press:1"},
		{"a person, asked by Press", samir, "Press", "Intelligence:2 Police:1"},
		{"a person, asked from nowhere", samir, "", "Intelligence:2 Police:1 Press:1"},
		{"two entities", store.Subject{Entities: []mosaic.EntityID{f.samir, f.alias}}, "Police", "Intelligence:3 Press:1"},
		{"another person", store.Subject{Entities: []mosaic.EntityID{f.other}}, "Police", "Intelligence:1"},
		{"a person only the asker holds", store.Subject{Entities: []mosaic.EntityID{f.other}}, "Intelligence", "none"},
		{"a phone, as extraction writes it", store.Subject{Kind: mosaic.Phone, Norm: "+32470123456"}, "Press", "Intelligence:1 Police:1"},
		{"a phone, as typed", store.Subject{Kind: mosaic.Phone, Norm: "0032 (470) 12-34-56"}, "Police", "Intelligence:1"},
		{"an e-mail address, in capitals", store.Subject{Kind: mosaic.Email, Norm: " Samir.H@Example.ORG "}, "Police", "Intelligence:1"},
		{"an unknown e-mail address", store.Subject{Kind: mosaic.Email, Norm: "nobody@example.org"}, "Police", "none"},
	} {
		if got := holders(tc.sub, tc.except); got != tc.want {
			t.Errorf("%s: Holders = %s, want %s", tc.name, got, tc.want)
		}
	}
	for _, bad := range []store.Subject{{}, {Kind: mosaic.Person, Norm: "Samir"}, {Kind: mosaic.Phone}} {
		if _, err := s.Holders(ctx, bad, "Police", ""); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Holders(%+v): err = %v, want ErrInvalid", bad, err)
		}
	}
	// Holdings classified above the asker's clearance are not counted:
	// discovery does not tell of what the asker could not be cleared for.
	// Each count carries the highest label of the holdings counted.
	for c, label := range map[string]string{"intel": "SECRET", "intel-copy": "CONFIDENTIAL"} {
		if err := s.Classify(ctx, c, label); err != nil {
			t.Fatal(err)
		}
	}
	for _, tc := range []struct{ clearance, want string }{
		{"", "Press:1:UNCLASSIFIED"},
		{"RESTRICTED", "Press:1:UNCLASSIFIED"},
		{"CONFIDENTIAL", "Intelligence:1:CONFIDENTIAL Press:1:UNCLASSIFIED"},
		{"SECRET", "Intelligence:2:SECRET Press:1:UNCLASSIFIED"},
		{"TOP SECRET", "Intelligence:2:SECRET Press:1:UNCLASSIFIED"},
	} {
		cs, err := s.Holders(ctx, samir, "Police", tc.clearance)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range cs {
			got = append(got, fmt.Sprintf("%s:%d:%s", c.Agency, c.Documents, c.Classification))
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("a person, intel SECRET and intel-copy CONFIDENTIAL, asked by Police cleared %q: Holders = %s, want %s", tc.clearance, g, tc.want)
		}
	}
	if _, err := s.Holders(ctx, samir, "Police", "COSMIC"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("Holders with an unknown clearance: err = %v, want ErrInvalid", err)
	}
	for _, c := range []string{"intel", "intel-copy"} {
		if err := s.Classify(ctx, c, "UNCLASSIFIED"); err != nil {
			t.Fatal(err)
		}
	}

	held, err := s.HeldDocuments(ctx, samir, "Intelligence")
	if err != nil {
		t.Fatal(err)
	}
	if want := []mosaic.DocID{f.both.ID, f.intel.ID}; !slices.Equal(held, want) {
		t.Errorf("HeldDocuments(samir, Intelligence) = %v, want %v", held, want)
	}
	held, err = s.HeldDocuments(ctx, store.Subject{Kind: mosaic.Email, Norm: "samir.h@example.org"}, "Police")
	if err != nil || len(held) != 0 {
		t.Errorf("HeldDocuments(e-mail, Police) = %v, %v; want none", held, err)
	}

	// Once the asking agency judges the alias to be the man, his alias's
	// documents count as his.
	if _, err := s.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: f.samir, Other: f.alias,
		Agency: "Police", User: "officer", Reason: "same man"}); err != nil {
		t.Fatal(err)
	}
	if got, want := holders(samir, "Police"), "Intelligence:3 Press:1"; got != want {
		t.Errorf("after a merge: Holders = %s, want %s", got, want)
	}
	if got, want := holders(store.Subject{Entities: []mosaic.EntityID{f.alias}}, "Police"), "Intelligence:3 Press:1"; got != want {
		t.Errorf("the alias after a merge: Holders = %s, want %s", got, want)
	}
	// The merge is Police's: another agency asking, and Intelligence
	// sharing, still tell the two apart.
	if got, want := holders(samir, "Press"), "Intelligence:2 Police:1"; got != want {
		t.Errorf("after Police's merge, asked by Press: Holders = %s, want %s", got, want)
	}
	held, err = s.HeldDocuments(ctx, samir, "Intelligence")
	if want := []mosaic.DocID{f.both.ID, f.intel.ID}; err != nil || !slices.Equal(held, want) {
		t.Errorf("after Police's merge, HeldDocuments(samir, Intelligence) = %v (%v), want %v", held, err, want)
	}
}

// testShares checks share requests: what a request needs, that approving
// one gives the requesting agency a new collection of exactly the owner's
// documents on the subject, that refusing gives nothing, that a decision is
// final, and that approving with a named collection grants that one.
func testShares(t *testing.T, s store.Store) {
	ctx := context.Background()
	f := newDiscoveryFixture(t, s)
	officer := mustUser(t, s, "officer", "Police", store.Analyst, "RESTRICTED")
	mustUser(t, s, "spy", "Intelligence", store.Analyst, "SECRET")
	if err := s.Classify(ctx, "intel", "RESTRICTED"); err != nil {
		t.Fatal(err)
	}
	samir := store.Subject{Entities: []mosaic.EntityID{f.samir}}
	ask := store.ShareRequest{User: "officer", Agency: "Police", Owner: "Intelligence", Query: "Samir Haddad",
		Subject: samir, Reason: "he called our suspect"}
	for _, tc := range []struct {
		name string
		edit func(r *store.ShareRequest)
		want error
	}{
		{"no reason", func(r *store.ShareRequest) { r.Reason = " " }, store.ErrInvalid},
		{"no user", func(r *store.ShareRequest) { r.User = "" }, store.ErrInvalid},
		{"its own agency", func(r *store.ShareRequest) { r.Owner = "Police" }, store.ErrInvalid},
		{"no subject", func(r *store.ShareRequest) { r.Subject = store.Subject{} }, store.ErrInvalid},
		{"no such owner", func(r *store.ShareRequest) { r.Owner = "Customs" }, store.ErrNotFound},
	} {
		r := ask
		tc.edit(&r)
		if _, err := s.RequestShare(ctx, r); !errors.Is(err, tc.want) {
			t.Errorf("RequestShare with %s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	req, err := s.RequestShare(ctx, ask)
	if err != nil {
		t.Fatal(err)
	}
	if req.ID <= 0 || req.Created.IsZero() || req.Status != store.SharePending || !slices.Equal(req.Subject.Entities, samir.Entities) {
		t.Errorf("new request = %+v", req)
	}

	scope := func() store.Scope {
		t.Helper()
		sc, err := s.ScopeOf(ctx, officer)
		if err != nil {
			t.Fatal(err)
		}
		return sc
	}
	visible := func(sc store.Scope, d mosaic.Document) bool {
		t.Helper()
		_, _, err := s.Document(ctx, d.ID, sc)
		if err != nil && !errors.Is(err, store.ErrNotFound) {
			t.Fatal(err)
		}
		return err == nil
	}
	if visible(scope(), f.intel) {
		t.Fatal("before any share, Police reads Intelligence's document")
	}

	if _, err := s.DecideShare(ctx, req.ID, "spy", true, "", ""); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a decision without an answer: err = %v, want ErrInvalid", err)
	}
	if _, err := s.DecideShare(ctx, 9999, "spy", true, "yes", ""); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("deciding no request: err = %v, want ErrNotFound", err)
	}
	gen, err := s.EntityGeneration(ctx)
	if err != nil {
		t.Fatal(err)
	}
	dec, err := s.DecideShare(ctx, req.ID, "spy", true, "granted for the joint case", "")
	if err != nil {
		t.Fatal(err)
	}
	if dec.Status != store.ShareApproved || dec.DecidedBy != "spy" || dec.Answer != "granted for the joint case" ||
		dec.Decided.IsZero() || dec.Collection == "" {
		t.Fatalf("approved request = %+v", dec)
	}
	if again, err := s.ShareRequest(ctx, req.ID); err != nil || again.Status != store.ShareApproved || again.Collection != dec.Collection {
		t.Errorf("ShareRequest after approval = %+v, %v", again, err)
	}
	if next, err := s.EntityGeneration(ctx); err != nil || next == gen {
		t.Errorf("a share's new collection left the entity generation at %d (%v)", next, err)
	}
	cs, err := s.Collections(ctx, store.Scope{Collections: []string{dec.Collection}})
	if err != nil || len(cs) != 1 {
		t.Fatalf("the share's collection %q: %+v, %v", dec.Collection, cs, err)
	}
	if c := cs[0]; c.Agency != "Intelligence" || c.Documents != 2 || c.Classification != "RESTRICTED" {
		t.Errorf("the share's collection = %+v, want Intelligence's, of 2 documents, RESTRICTED as its source", c)
	}
	sc := scope()
	if !sc.Allows(dec.Collection) {
		t.Fatalf("after approval Police's scope %v lacks %q", sc.Collections, dec.Collection)
	}
	d, holdings, err := s.Document(ctx, f.intel.ID, sc)
	if err != nil {
		t.Fatalf("after approval Police cannot read the shared document: %v", err)
	}
	if d.Text != f.intel.Text || len(holdings) != 1 || holdings[0].Collection != dec.Collection || holdings[0].Source != f.intel.Source {
		t.Errorf("the shared document reads as %q with holdings %+v", d.Text, holdings)
	}
	for _, d := range []mosaic.Document{f.unrelated, f.mail} {
		if visible(sc, d) {
			t.Errorf("a share of Samir Haddad showed Police %q, which does not name him", d.Title)
		}
	}
	if _, err := s.DecideShare(ctx, req.ID, "spy", false, "changed my mind", ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("deciding a decided request: err = %v, want ErrConflict", err)
	}

	// A refusal records the answer and grants nothing.
	ask.Subject, ask.Query = store.Subject{Kind: mosaic.Email, Norm: "samir.h@example.org"}, "samir.h@example.org"
	refused, err := s.RequestShare(ctx, ask)
	if err != nil {
		t.Fatal(err)
	}
	before := scope().Collections
	dec, err = s.DecideShare(ctx, refused.ID, "spy", false, "a source would be exposed", "")
	if err != nil {
		t.Fatal(err)
	}
	if dec.Status != store.ShareRefused || dec.Answer != "a source would be exposed" || dec.Collection != "" {
		t.Errorf("refused request = %+v", dec)
	}
	if after := scope().Collections; !slices.Equal(after, before) {
		t.Errorf("a refusal changed Police's scope from %v to %v", before, after)
	}
	if visible(scope(), f.mail) {
		t.Error("after a refusal Police reads the document it asked for")
	}
	if _, err := s.DecideShare(ctx, refused.ID, "spy", true, "on second thoughts", ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("approving a refused request: err = %v, want ErrConflict", err)
	}

	// Approving with a collection grants that one, if the owner's.
	named, err := s.RequestShare(ctx, ask)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideShare(ctx, named.ID, "spy", true, "take it", "press"); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("approving with another agency's collection: err = %v, want ErrNotFound", err)
	}
	if r, _ := s.ShareRequest(ctx, named.ID); r.Status != store.SharePending {
		t.Errorf("a failed approval left the request %s", r.Status)
	}
	if dec, err = s.DecideShare(ctx, named.ID, "spy", true, "the archive, then", "intel-archive"); err != nil {
		t.Fatal(err)
	}
	if dec.Collection != "intel-archive" || !scope().Allows("intel-archive") || !visible(scope(), f.mail) {
		t.Errorf("approval with a collection: %+v, scope %v", dec, scope().Collections)
	}

	// Both sides see the requests, newest first; a third agency none.
	for _, agency := range []string{"Police", "Intelligence"} {
		rs, err := s.ShareRequests(ctx, agency)
		if err != nil {
			t.Fatal(err)
		}
		var ids []int64
		for _, r := range rs {
			ids = append(ids, r.ID)
		}
		if want := []int64{named.ID, refused.ID, req.ID}; !slices.Equal(ids, want) {
			t.Errorf("ShareRequests(%s) = %v, want %v", agency, ids, want)
		}
	}
	if rs, err := s.ShareRequests(ctx, "Press"); err != nil || len(rs) != 0 {
		t.Errorf("ShareRequests(Press) = %+v, %v", rs, err)
	}
	if _, err := s.ShareRequest(ctx, 9999); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("ShareRequest(9999): err = %v, want ErrNotFound", err)
	}

	// Nothing held on the subject: no empty collection is made.
	ask.Subject = store.Subject{Kind: mosaic.Email, Norm: "nobody@example.org"}
	empty, err := s.RequestShare(ctx, ask)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.DecideShare(ctx, empty.ID, "spy", true, "all we have", ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("approving a share of nothing: err = %v, want ErrConflict", err)
	}
	if r, _ := s.ShareRequest(ctx, empty.ID); r.Status != store.SharePending {
		t.Errorf("a failed approval left the request %s", r.Status)
	}
}

// testAlerts checks that alerts are kept once per agency, other agency,
// entity and direction, read back newest first, and shown only to a
// clearance at or above their label; a repeat of an alert at a lower label
// lowers it.
func testAlerts(t *testing.T, s store.Store) {
	ctx := context.Background()
	t0 := time.Date(2016, 3, 22, 8, 0, 0, 0, time.UTC)
	err := s.AddAlerts(ctx, []store.Alert{
		{Agency: "Police", Other: "Intelligence", Entity: 7, Theirs: true, Created: t0},
		{Agency: "Intelligence", Other: "Police", Entity: 7, Theirs: false, Created: t0},
		{Agency: "Police", Other: "Intelligence", Entity: 9, Theirs: true, Created: t0.Add(time.Hour)},
		{Agency: "Police", Other: "Intelligence", Entity: 11, Created: t0.Add(3 * time.Hour), Classification: "SECRET"},
		{Agency: "Police", Other: "Press", Entity: 12, Created: t0.Add(4 * time.Hour), Classification: "CONFIDENTIAL"},
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.AddAlerts(ctx, []store.Alert{
		{Agency: "Police", Other: "Intelligence", Entity: 7, Theirs: true, Created: t0.Add(2 * time.Hour)},
		{Agency: "Police", Other: "Intelligence", Entity: 7, Theirs: false, Created: t0.Add(30 * time.Minute)},
		// A repeat at a higher label changes nothing.
		{Agency: "Police", Other: "Press", Entity: 12, Created: t0.Add(5 * time.Hour), Classification: "TOP SECRET"},
	})
	if err != nil {
		t.Fatal(err)
	}
	alerts := func(clearance string) []string {
		t.Helper()
		as, err := s.AlertsFor(ctx, "Police", clearance)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, a := range as {
			got = append(got, fmt.Sprintf("%s/%d/%v@%s", a.Other, a.Entity, a.Theirs, a.Created.Format("15:04")))
			if a.ID <= 0 || a.Agency != "Police" || store.ClassificationLevel(a.Classification) < 0 {
				t.Errorf("alert read back as %+v", a)
			}
		}
		return got
	}
	unclassified := []string{"Intelligence/9/true@09:00", "Intelligence/7/false@08:30", "Intelligence/7/true@08:00"}
	for _, tc := range []struct {
		clearance string
		want      []string
	}{
		{"", unclassified},
		{"UNCLASSIFIED", unclassified},
		{"CONFIDENTIAL", append([]string{"Press/12/false@12:00"}, unclassified...)},
		{"SECRET", append([]string{"Press/12/false@12:00", "Intelligence/11/false@11:00"}, unclassified...)},
	} {
		if got := alerts(tc.clearance); !slices.Equal(got, tc.want) {
			t.Errorf("AlertsFor(Police, %q) = %v, want %v (the repeats skipped)", tc.clearance, got, tc.want)
		}
	}
	// The SECRET alert raised again on UNCLASSIFIED holdings is shown to
	// all, at the time of the later one.
	if err := s.AddAlerts(ctx, []store.Alert{{Agency: "Police", Other: "Intelligence", Entity: 11, Created: t0.Add(6 * time.Hour)}}); err != nil {
		t.Fatal(err)
	}
	if got, want := alerts(""), append([]string{"Intelligence/11/false@14:00"}, unclassified...); !slices.Equal(got, want) {
		t.Errorf("after a lower repeat: AlertsFor(Police, \"\") = %v, want %v", got, want)
	}
	if as, err := s.AlertsFor(ctx, "Press", "TOP SECRET"); err != nil || len(as) != 0 {
		t.Errorf("AlertsFor(Press) = %+v, %v", as, err)
	}
	if _, err := s.AlertsFor(ctx, "Police", "COSMIC"); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("AlertsFor with an unknown clearance: err = %v, want ErrInvalid", err)
	}
	if err := s.AddAlerts(ctx, []store.Alert{{Agency: "Police", Entity: 7}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("an alert without another agency: err = %v, want ErrInvalid", err)
	}
	if err := s.AddAlerts(ctx, []store.Alert{{Agency: "Police", Other: "Press", Entity: 7, Classification: "COSMIC"}}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("an alert with an unknown label: err = %v, want ErrInvalid", err)
	}
}

// testDiscoveryFiles checks that discovery's files are kept whole, bytes
// as given (a NUL, bytes that are not UTF-8), replaced whole, listed by
// prefix taken literally ('_' and '%' are no wildcards) in byte order, and
// that a missing one is ErrNotFound.
func testDiscoveryFiles(t *testing.T, s store.Store) {
	ctx := context.Background()
	if _, _, err := s.DiscoveryFile(ctx, "index.json"); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("a file never written: %v, want ErrNotFound", err)
	}
	if got, err := s.DiscoveryFileList(ctx, "peers/"); err != nil || len(got) != 0 {
		t.Fatalf("list of none: %v, %v", got, err)
	}
	binary := []byte{'{', 0, 0xff, 0xfe, '"', '\'', ';', '}'}
	before := time.Now().Add(-time.Second)
	files := map[string][]byte{
		"index.json":        []byte(`{"agency":"A"}`),
		"peers/b.json":      binary,
		"peers/a_b.json":    []byte("first"),
		"peers/a%c.json":    []byte("second"),
		"peersX/other.json": []byte("not a peer"),
		"tokens.json":       {},
	}
	for name, body := range files {
		if err := s.PutDiscoveryFile(ctx, name, body); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.PutDiscoveryFile(ctx, "peers/a_b.json", []byte("replaced")); err != nil {
		t.Fatal(err)
	}
	files["peers/a_b.json"] = []byte("replaced")
	for name, want := range files {
		got, modified, err := s.DiscoveryFile(ctx, name)
		if err != nil || !bytes.Equal(got, want) || modified.Before(before) || modified.After(time.Now().Add(time.Second)) {
			t.Errorf("file %s: %q written %v (%v), want %q written now", name, got, modified, err, want)
		}
	}
	names := func(prefix string) []string {
		t.Helper()
		got, err := s.DiscoveryFileList(ctx, prefix)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, f := range got {
			out = append(out, f.Name)
		}
		return out
	}
	if got, want := names("peers/"), []string{"peers/a%c.json", "peers/a_b.json", "peers/b.json"}; !slices.Equal(got, want) {
		t.Errorf("peers/: %v, want %v", got, want)
	}
	if got, want := names("peers/a_"), []string{"peers/a_b.json"}; !slices.Equal(got, want) {
		t.Errorf("peers/a_: %v, want %v ('_' taken literally)", got, want)
	}
	if got := names("peers/%"); len(got) != 0 {
		t.Errorf("peers/%%: %v, want none ('%%' taken literally)", got)
	}
	if got := names(""); len(got) != len(files) {
		t.Errorf("every file: %v, want %d", got, len(files))
	}
}
