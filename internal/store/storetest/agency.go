package storetest

import (
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

// testAgencyJudgements checks that a judgement belongs to the agency that
// made it: two agencies hold a document together and one each of their
// own, and what one merges, rejects, flags, confirms or splits changes
// nothing that the other, or the command line, reads.
func testAgencyJudgements(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "alpha", "Alpha")
	mustCollection(t, s, "bravo", "Bravo")
	alpha := store.Scope{Collections: []string{"alpha"}, Agency: "Alpha"}
	bravo := store.Scope{Collections: []string{"bravo"}, Agency: "Bravo"}
	local := store.Scope{}

	// One sentence each, naming two people, one stating a contact.
	type fixture struct {
		doc      mosaic.Document
		mentions []mosaic.Mention
	}
	fixtureOf := func(title, text string, day int, a, b string) fixture {
		d := doc(title, text)
		d.Date = time.Date(2016, 5, day, 0, 0, 0, 0, time.UTC)
		return fixture{d, []mosaic.Mention{mention(t, text, a, mosaic.Person), mention(t, text, b, mosaic.Person)}}
	}
	shared := fixtureOf("Shared report", "Samir Haddad met Tariq Nasser in a cafe.", 1, "Samir Haddad", "Tariq Nasser")
	own := fixtureOf("Alpha intercept", "Samir Hadad phoned Tariq Nasser at night.", 2, "Samir Hadad", "Tariq Nasser")
	theirs := fixtureOf("Bravo intercept", "Samir Hadad wrote to Tariq Nasser twice.", 3, "Samir Hadad", "Tariq Nasser")
	ingest := func(collection string, f fixture) store.Ingested {
		contact := []mosaic.Relation{{Type: "contact", From: 0, To: 1, Sentence: f.mentions[0].Sentence, Confidence: 1}}
		return store.Ingested{Collection: collection, Doc: f.doc, Mentions: f.mentions, Relations: contact}
	}
	mustAdd(t, s, ingest("alpha", shared), ingest("bravo", shared), ingest("alpha", own), ingest("bravo", theirs))
	tie := func(f fixture, i int, e mosaic.EntityID, created int) store.Assignment {
		m := f.mentions[i]
		return store.Assignment{Start: m.Start, End: m.End, Type: m.Type, Entity: e, New: created, Why: "test"}
	}
	ids, err := s.Resolve(ctx, shared.doc.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: "Samir Haddad"}, {Kind: mosaic.Person, Name: "Tariq Nasser"}},
		[]store.Assignment{tie(shared, 0, 0, 1), tie(shared, 1, 0, 2)})
	if err != nil {
		t.Fatal(err)
	}
	haddad, tariq := ids[0], ids[1]
	ids, err = s.Resolve(ctx, own.doc.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: "Samir Hadad"}},
		[]store.Assignment{tie(own, 0, 0, 1), tie(own, 1, tariq, 0)})
	if err != nil {
		t.Fatal(err)
	}
	hadad := ids[0]
	if _, err := s.Resolve(ctx, theirs.doc.ID, nil, []store.Assignment{tie(theirs, 0, hadad, 0), tie(theirs, 1, tariq, 0)}); err != nil {
		t.Fatal(err)
	}

	judge := func(kind store.JudgementKind, agency string, a, b mosaic.EntityID, name string) (store.Judgement, error) {
		return s.Judge(ctx, store.Judgement{Kind: kind, Entity: a, Other: b, Name: name, Agency: agency,
			User: strings.ToLower(agency) + "-analyst", Reason: "test"})
	}
	mustJudge := func(kind store.JudgementKind, agency string, a, b mosaic.EntityID, name string) store.Judgement {
		t.Helper()
		j, err := judge(kind, agency, a, b, name)
		if err != nil {
			t.Fatalf("%s by %q of %d and %d %q: %v", kind, agency, a, b, name, err)
		}
		if j.Agency != agency {
			t.Fatalf("%s by %q recorded for agency %q", kind, agency, j.Agency)
		}
		return j
	}
	// reads returns the ID an entity reads as in scope and its names.
	reads := func(id mosaic.EntityID, scope store.Scope) (mosaic.EntityID, []string) {
		t.Helper()
		p, err := s.Entity(ctx, id, scope)
		if err != nil {
			t.Fatalf("entity %d in scope %+v: %v", id, scope, err)
		}
		var names []string
		for _, n := range p.Names {
			names = append(names, n.Name)
		}
		slices.Sort(names)
		return p.ID, names
	}
	type edge struct {
		doc      mosaic.DocID
		from, to mosaic.EntityID
	}
	relations := func(scope store.Scope) []edge {
		t.Helper()
		var out []edge
		if err := s.Relations(ctx, store.RelationFilter{Scope: scope}, func(r store.RelationRow) error {
			out = append(out, edge{r.Doc, r.From, r.To})
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return out
	}
	mentioned := func(d mosaic.Document, scope store.Scope) []mosaic.EntityID {
		t.Helper()
		ms, err := s.Mentions(ctx, d.ID, scope)
		if err != nil {
			t.Fatal(err)
		}
		var out []mosaic.EntityID
		for _, m := range ms {
			out = append(out, m.Entity)
		}
		return out
	}
	bravoBefore, localBefore := relations(bravo), relations(local)
	if len(bravoBefore) != 2 || len(localBefore) != 3 {
		t.Fatalf("fixture: relations %+v in Bravo's scope, %+v in all", bravoBefore, localBefore)
	}

	// Bravo judges the two spellings different; that does not stop
	// Alpha's merge, only Bravo's own.
	bravoReject := mustJudge(store.Reject, "Bravo", haddad, hadad, "")
	merge := mustJudge(store.Merge, "Alpha", hadad, haddad, "")
	if _, err := judge(store.Merge, "Bravo", haddad, hadad, ""); !errors.Is(err, store.ErrConflict) {
		t.Errorf("Bravo merges what Bravo rejected: err = %v, want ErrConflict", err)
	}

	t.Run("merge", func(t *testing.T) {
		id, names := reads(hadad, alpha)
		if id != haddad || !slices.Equal(names, []string{"Samir Hadad", "Samir Haddad"}) {
			t.Errorf("Alpha reads %d as %d named %q, want %d named by both spellings", hadad, id, names, haddad)
		}
		if p, err := s.Entity(ctx, haddad, alpha); err != nil || !slices.Equal(p.Merged, []mosaic.EntityID{hadad}) {
			t.Errorf("Alpha's profile of %d: merged %v (%v), want [%d]", haddad, p.Merged, err, hadad)
		}
		for _, sc := range []store.Scope{bravo, local} {
			if id, names := reads(hadad, sc); id != hadad || !slices.Equal(names, []string{"Samir Hadad"}) {
				t.Errorf("scope %+v reads %d as %d named %q, want itself named Samir Hadad", sc, hadad, id, names)
			}
			if id, names := reads(haddad, sc); id != haddad || !slices.Equal(names, []string{"Samir Haddad"}) {
				t.Errorf("scope %+v reads %d as %d named %q, want itself named Samir Haddad", sc, haddad, id, names)
			}
		}
		if got := relations(bravo); !slices.Equal(got, bravoBefore) {
			t.Errorf("Bravo's relations after Alpha's merge: %+v, want %+v", got, bravoBefore)
		}
		if got := relations(local); !slices.Equal(got, localBefore) {
			t.Errorf("the local relations after Alpha's merge: %+v, want %+v", got, localBefore)
		}
		for _, e := range relations(alpha) {
			if e.from != haddad || e.to != tariq {
				t.Errorf("Alpha's relation %+v: want from %d to %d", e, haddad, tariq)
			}
		}
		if got := mentioned(own.doc, alpha); !slices.Equal(got, []mosaic.EntityID{haddad, tariq}) {
			t.Errorf("Alpha reads its intercept's mentions as %v, want [%d %d]", got, haddad, tariq)
		}
		if got := mentioned(theirs.doc, bravo); !slices.Equal(got, []mosaic.EntityID{hadad, tariq}) {
			t.Errorf("Bravo reads its intercept's mentions as %v, want [%d %d]", got, hadad, tariq)
		}
		conns := func(scope store.Scope) []mosaic.EntityID {
			cs, _, err := s.EntityConnections(ctx, tariq, scope, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			var out []mosaic.EntityID
			for _, c := range cs {
				out = append(out, c.ID)
			}
			slices.Sort(out)
			return out
		}
		if got := conns(alpha); !slices.Equal(got, []mosaic.EntityID{haddad}) {
			t.Errorf("Tariq's connections in Alpha's scope: %v, want [%d]", got, haddad)
		}
		if got := conns(bravo); !slices.Equal(got, []mosaic.EntityID{haddad, hadad}) {
			t.Errorf("Tariq's connections in Bravo's scope: %v, want [%d %d]", got, haddad, hadad)
		}
		days := func(scope store.Scope) int {
			ds, err := s.MentionsByDay(ctx, hadad, scope)
			if err != nil {
				t.Fatal(err)
			}
			n := 0
			for _, d := range ds {
				n += d.Mentions
			}
			return n
		}
		if a, b := days(alpha), days(bravo); a != 2 || b != 1 {
			t.Errorf("mentions by day of %d: %d in Alpha's scope, %d in Bravo's; want 2 (merged) and 1", hadad, a, b)
		}
	})

	t.Run("flag and confirm", func(t *testing.T) {
		mustJudge(store.Flag, "Alpha", hadad, 0, "")
		// Alpha's flag is no flag of Bravo's: Bravo may flag the entity too.
		mustJudge(store.Flag, "Bravo", hadad, 0, "")
		for agency, want := range map[string][]mosaic.EntityID{"Alpha": {haddad}, "Bravo": {hadad}, "": nil} {
			if got, err := s.Flagged(ctx, agency); err != nil || !slices.Equal(got, want) {
				t.Errorf("Flagged(%q) = %v (%v), want %v", agency, got, err, want)
			}
		}
		mustJudge(store.Confirm, "Alpha", hadad, 0, "Samir Hadad")
		confirmed := func(scope store.Scope) bool {
			_, names, _, err := s.EntitySpellings(ctx, hadad, scope, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range names {
				if n.Name == "Samir Hadad" {
					return n.Confirmed
				}
			}
			t.Fatalf("scope %+v: no spelling Samir Hadad in %+v", scope, names)
			return false
		}
		if !confirmed(alpha) || confirmed(bravo) || confirmed(local) {
			t.Errorf("Alpha's confirmation: seen by Alpha %v, Bravo %v, the command line %v; want only Alpha",
				confirmed(alpha), confirmed(bravo), confirmed(local))
		}
	})

	t.Run("split", func(t *testing.T) {
		// Samir Haddad is named only in the shared document: Alpha cannot
		// split it off.
		if _, err := judge(store.Split, "Alpha", haddad, 0, "Samir Haddad"); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("Alpha splits a spelling only a shared document uses: err = %v, want ErrInvalid", err)
		}
		bravoTariq, _ := reads(tariq, bravo)
		_, bravoNames, _, err := s.EntitySpellings(ctx, tariq, bravo, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		split := mustJudge(store.Split, "Alpha", tariq, 0, "Tariq Nasser")
		if got := mentioned(own.doc, alpha); !slices.Equal(got, []mosaic.EntityID{haddad, split.Other}) {
			t.Errorf("Alpha's intercept after Alpha's split: %v, want [%d %d]", got, haddad, split.Other)
		}
		for _, sc := range []store.Scope{alpha, bravo, local} {
			if got := mentioned(shared.doc, sc); got[1] != tariq {
				t.Errorf("the shared document after Alpha's split, in scope %+v: %v, want Tariq still %d", sc, got, tariq)
			}
		}
		if got := mentioned(theirs.doc, bravo); !slices.Equal(got, []mosaic.EntityID{hadad, tariq}) {
			t.Errorf("Bravo's intercept after Alpha's split: %v, want [%d %d]", got, hadad, tariq)
		}
		id, _ := reads(tariq, bravo)
		_, names, _, err := s.EntitySpellings(ctx, tariq, bravo, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		if id != bravoTariq || len(names) != 1 || names[0].DocumentCount != bravoNames[0].DocumentCount {
			t.Errorf("Bravo's Tariq after Alpha's split: %d with %+v, want %d with %+v", id, names, bravoTariq, bravoNames)
		}
		for _, sc := range []store.Scope{alpha, bravo, local} {
			for _, e := range []mosaic.EntityID{tariq, split.Other, hadad, haddad} {
				nameCountsAgree(t, s, e, sc)
			}
		}
		if _, err := s.Undo(ctx, split.ID, "alpha-analyst", "test"); err != nil {
			t.Fatal(err)
		}
		if got := mentioned(own.doc, alpha); !slices.Equal(got, []mosaic.EntityID{haddad, tariq}) {
			t.Errorf("Alpha's intercept after the split was undone: %v, want [%d %d]", got, haddad, tariq)
		}
	})

	t.Run("lists", func(t *testing.T) {
		for _, c := range []struct {
			entity mosaic.EntityID
			agency string
			kinds  []store.JudgementKind
		}{
			{hadad, "Bravo", []store.JudgementKind{store.Flag, store.Reject}},
			{0, "Bravo", []store.JudgementKind{store.Flag, store.Reject}},
			{hadad, "", nil},
			{0, "Alpha", []store.JudgementKind{store.Split, store.Confirm, store.Flag, store.Merge}},
		} {
			js, err := s.Judgements(ctx, c.entity, c.agency)
			if err != nil {
				t.Fatal(err)
			}
			var kinds []store.JudgementKind
			for _, j := range js {
				kinds = append(kinds, j.Kind)
				if j.Agency != c.agency {
					t.Errorf("Judgements(%d, %q) lists judgement %d of agency %q", c.entity, c.agency, j.ID, j.Agency)
				}
			}
			if !slices.Equal(kinds, c.kinds) {
				t.Errorf("Judgements(%d, %q) = %v, want %v", c.entity, c.agency, kinds, c.kinds)
			}
		}
	})

	t.Run("reject", func(t *testing.T) {
		// Alpha undoes its merge and judges the two different; Bravo
		// changes its mind and merges them, which Alpha's reject does not
		// stop.
		if _, err := s.Undo(ctx, merge.ID, "alpha-analyst", "test"); err != nil {
			t.Fatal(err)
		}
		mustJudge(store.Reject, "Alpha", hadad, haddad, "")
		if _, err := s.Undo(ctx, bravoReject.ID, "bravo-analyst", "test"); err != nil {
			t.Fatal(err)
		}
		mustJudge(store.Merge, "Bravo", haddad, hadad, "")
		if _, err := judge(store.Merge, "Alpha", haddad, hadad, ""); !errors.Is(err, store.ErrConflict) {
			t.Errorf("Alpha merges what Alpha rejected: err = %v, want ErrConflict", err)
		}
		if id, _ := reads(hadad, bravo); id != haddad {
			t.Errorf("Bravo reads %d as %d after its merge, want %d", hadad, id, haddad)
		}
		if id, _ := reads(hadad, alpha); id != hadad {
			t.Errorf("Alpha reads %d as %d after Bravo's merge, want itself", hadad, id)
		}
		if got := relations(local); !slices.Equal(got, localBefore) {
			t.Errorf("the local relations after Bravo's merge: %+v, want %+v", got, localBefore)
		}
		// Bravo's flag follows Bravo's merge; Alpha's reads as Alpha sees it.
		if got, err := s.Flagged(ctx, "Bravo"); err != nil || !slices.Equal(got, []mosaic.EntityID{haddad}) {
			t.Errorf("Flagged(Bravo) after Bravo's merge = %v (%v), want [%d]", got, err, haddad)
		}
		if got, err := s.Flagged(ctx, "Alpha"); err != nil || !slices.Equal(got, []mosaic.EntityID{hadad}) {
			t.Errorf("Flagged(Alpha) after Alpha's merge was undone = %v (%v), want [%d]", got, err, hadad)
		}
	})

	t.Run("another agency's spellings", func(t *testing.T) { testAgencySpellings(t, s) })
}

// testAgencySpellings checks that an agency learns nothing of the names
// another agency's documents give an entity: not by confirming or
// splitting a spelling, which fails alike for one only the other agency
// uses and for one no document uses, nor by reading the reasons
// resolution gave, written against every document, nor from a split's
// reason, which names neither its analyst nor their reason.
func testAgencySpellings(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "home", "Home")
	mustCollection(t, s, "away", "Away")
	mustCollection(t, s, "lent", "Away")
	if _, err := s.Grant(ctx, store.Grant{Collection: "lent", Agency: "Home", By: "away-admin", Reason: "test"}); err != nil {
		t.Fatal(err)
	}
	home := store.Scope{Collections: []string{"home", "lent"}, Agency: "Home"}
	const hidden = "Abd al-Qadir Haddushi"
	// Each document names the entity once, with the reason resolution
	// would give: the home documents' reasons quote the spelling that only
	// the away document uses, as they do when it was ingested first.
	type fixture struct {
		collection, title, text, name, why string
	}
	fixtures := []fixture{
		{"away", "Away report", "Abd al-Qadir Haddushi crossed the border at night.", hidden, "first seen here"},
		{"home", "Home report", "Abu Sulayman met Karim Saleh in Leeds.", "Abu Sulayman",
			fmt.Sprintf("name matches %q (score %.2f)", hidden, 1.0)},
		{"home", "Home intercept", "Abu Sulayman al-Rifi left for Brussels.", "Abu Sulayman al-Rifi",
			fmt.Sprintf("its other name here %q matches %q (score %.2f)", "Abu Sulayman al-Rifi", hidden, 0.91)},
		{"home", "Home call", "Abu Sulayman phoned Karim Saleh twice.", "Abu Sulayman",
			fmt.Sprintf("weak name joined on context evidence: %q matches %q (score %.2f); named beside it in both Karim Saleh: evidence %.2f; confidence %.2f",
				"Abu Sulayman", hidden, 0.88, 0.5, 0.44)},
		{"lent", "Lent report", "Abu Suleiman was seen in Leeds.", "Abu Suleiman", "first seen here"},
	}
	var entityID mosaic.EntityID
	for _, f := range fixtures {
		d := doc(f.title, f.text)
		m := mention(t, f.text, f.name, mosaic.Person)
		mustAdd(t, s, store.Ingested{Collection: f.collection, Doc: d, Mentions: []mosaic.Mention{m}})
		var created []mosaic.Entity
		a := store.Assignment{Start: m.Start, End: m.End, Type: m.Type, Entity: entityID, Why: f.why}
		if entityID == 0 {
			created, a.New = []mosaic.Entity{{Kind: mosaic.Person, Name: "Abu Sulayman"}}, 1
		}
		ids, err := s.Resolve(ctx, d.ID, created, []store.Assignment{a})
		if err != nil {
			t.Fatal(err)
		}
		if entityID == 0 {
			entityID = ids[0]
		}
	}
	judge := func(kind store.JudgementKind, agency, name, reason string) (store.Judgement, error) {
		return s.Judge(ctx, store.Judgement{Kind: kind, Entity: entityID, Name: name, Agency: agency,
			User: strings.ToLower(agency) + "-analyst", Reason: reason})
	}

	t.Run("confirm and split", func(t *testing.T) {
		const madeUp = "Abu Nobody al-Nowhere"
		for _, kind := range []store.JudgementKind{store.Confirm, store.Split} {
			_, theirs := judge(kind, "Home", hidden, "test")
			_, none := judge(kind, "Home", madeUp, "test")
			if !errors.Is(theirs, store.ErrInvalid) || !errors.Is(none, store.ErrInvalid) {
				t.Fatalf("Home's %s of a spelling only Away uses: %v; of one no one uses: %v; want ErrInvalid for both", kind, theirs, none)
			}
			if a, b := strings.ReplaceAll(theirs.Error(), hidden, "X"), strings.ReplaceAll(none.Error(), madeUp, "X"); a != b {
				t.Errorf("Home's %s tells the spelling only Away uses from one no one uses:\n%s\n%s", kind, theirs, none)
			}
		}
		// A spelling of a collection granted to Home is Home's to judge.
		if _, err := judge(store.Confirm, "Home", "Abu Suleiman", "test"); err != nil {
			t.Errorf("Home confirms a spelling of a collection granted to it: %v", err)
		}
		// The command line judges every document.
		if _, err := judge(store.Confirm, "", hidden, "test"); err != nil {
			t.Errorf("the command line confirms a spelling only Away uses: %v", err)
		}
	})

	t.Run("reasons", func(t *testing.T) {
		_, names, _, err := s.EntitySpellings(ctx, entityID, home, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		var whys []string
		for _, n := range names {
			if n.Name == hidden {
				t.Errorf("Home reads the spelling only Away uses: %+v", n)
			}
			whys = append(whys, n.Why...)
		}
		if len(whys) != 4 {
			t.Errorf("Home reads reasons %q, want one for each of its four documents", whys)
		}
		for _, why := range whys {
			if strings.Contains(why, "Haddushi") || strings.Contains(why, "Karim") {
				t.Errorf("Home reads the reason %q, which quotes what only Away's documents say", why)
			}
		}
		_, names, _, err = s.EntitySpellings(ctx, entityID, store.Scope{}, store.Page{})
		if err != nil {
			t.Fatal(err)
		}
		all := ""
		for _, n := range names {
			all += strings.Join(n.Why, "\n")
		}
		if !strings.Contains(all, hidden) {
			t.Errorf("the whole store's reasons %q do not quote %q", all, hidden)
		}
	})

	t.Run("split", func(t *testing.T) {
		split, err := judge(store.Split, "Home", "Abu Sulayman al-Rifi", "source HUMINT-77 says they are two men")
		if err != nil {
			t.Fatal(err)
		}
		want := fmt.Sprintf("split from entity %d (judgement %d)", entityID, split.ID)
		for _, sc := range []store.Scope{home, {}} {
			_, names, _, err := s.EntitySpellings(ctx, split.Other, sc, store.Page{})
			if err != nil {
				t.Fatal(err)
			}
			if len(names) != 1 || len(names[0].Why) != 1 || !strings.HasPrefix(names[0].Why[0], want+"\n") {
				t.Fatalf("scope %+v reads the split-off entity as %+v, want one reason starting %q", sc, names, want)
			}
			if why := names[0].Why[0]; strings.Contains(why, "home-analyst") || strings.Contains(why, "HUMINT") {
				t.Errorf("scope %+v reads the split's reason %q, which names its analyst or their reason", sc, why)
			}
		}
		// Away's merge of the split-off entity is Away's own: it does
		// not keep Home from undoing its split.
		if _, err := s.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: split.Other, Other: entityID, Agency: "Away",
			User: "away-analyst", Reason: "test"}); err != nil {
			t.Fatal(err)
		}
		if _, err := s.Undo(ctx, split.ID, "home-analyst", "test"); err != nil {
			t.Errorf("Home undoes its split after Away's merge: %v", err)
		}
	})
}
