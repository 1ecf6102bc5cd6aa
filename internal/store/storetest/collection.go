package storetest

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// testCollectionAdmin checks renaming and deleting collections: what each
// refuses, that a rename keeps the holdings under the new name, that a
// deletion takes away exactly the documents no other collection holds,
// with their mentions, relations and search entries, that entities and
// judgements outlive it showing only what remains, and that both are
// recorded in the log.
func testCollectionAdmin(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	mustCollection(t, s, "press", "Press")
	mustCollection(t, s, "intel", "Intelligence")
	// shared is held by police and press, only by police, other by intel.
	// Each has a word no other has.
	tShared := "Samir Haddad bought marmalade in Leeds."
	tOnly := "Samir Haddad was in touch with Tariq Nasser about zephyrine."
	tOther := "Tariq Nasser studied quartzite."
	shared, only, other := doc("Shopping", tShared), doc("Intercept", tOnly), doc("Geology", tOther)
	whole := func(text string, ms ...mosaic.Mention) []mosaic.Mention {
		for i := range ms {
			ms[i].Sentence = mosaic.Span{Start: 0, End: len(text)}
		}
		return ms
	}
	mShared := whole(tShared, mention(t, tShared, "Samir Haddad", mosaic.Person), mention(t, tShared, "Leeds", mosaic.Location))
	mOnly := whole(tOnly, mention(t, tOnly, "Samir Haddad", mosaic.Person), mention(t, tOnly, "Tariq Nasser", mosaic.Person))
	rOnly := []mosaic.Relation{{Type: mosaic.Contact, From: 0, To: 1, Sentence: mOnly[0].Sentence, Confidence: 0.8}}
	mustAdd(t, s,
		store.Ingested{Collection: "police", Doc: shared, Mentions: mShared},
		store.Ingested{Collection: "press", Doc: shared, Mentions: mShared},
		store.Ingested{Collection: "police", Doc: only, Mentions: mOnly, Relations: rOnly},
		store.Ingested{Collection: "intel", Doc: other})
	resolve := func(d mosaic.Document, created []mosaic.Entity, as ...store.Assignment) []mosaic.EntityID {
		t.Helper()
		ids, err := s.Resolve(ctx, d.ID, created, as)
		if err != nil {
			t.Fatal(err)
		}
		return ids
	}
	ids := resolve(shared, []mosaic.Entity{{Kind: mosaic.Person, Name: "Samir Haddad"}, {Kind: mosaic.Location, Name: "Leeds"}},
		assign(t, tShared, "Samir Haddad", mosaic.Person, 0, 1), assign(t, tShared, "Leeds", mosaic.Location, 0, 2))
	samir := ids[0]
	tariq := resolve(only, []mosaic.Entity{{Kind: mosaic.Person, Name: "Tariq Nasser"}},
		assign(t, tOnly, "Samir Haddad", mosaic.Person, samir, 0), assign(t, tOnly, "Tariq Nasser", mosaic.Person, 0, 1))[0]
	flag, err := s.Judge(ctx, store.Judgement{Kind: store.Flag, Entity: tariq, User: "analyst1", Reason: "contact of Haddad"})
	if err != nil {
		t.Fatal(err)
	}
	generation := func() int64 {
		t.Helper()
		g, err := s.EntityGeneration(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return g
	}
	hits := func(query string, scope store.Scope) []string {
		t.Helper()
		res, err := s.Search(ctx, store.SearchRequest{Query: search.Parse(query), Scope: scope})
		if err != nil {
			t.Fatalf("search %q: %v", query, err)
		}
		var out []string
		for _, h := range res.Hits {
			out = append(out, h.Title+" "+strings.Join(h.Collections, ","))
		}
		if res.Total != len(out) {
			t.Errorf("search %q: total %d, %d hits", query, res.Total, len(out))
		}
		return out
	}
	collections := func() string {
		t.Helper()
		cs, err := s.Collections(ctx, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range cs {
			out = append(out, fmt.Sprintf("%s/%s/%d", c.Name, c.Agency, c.Documents))
		}
		return strings.Join(out, " ")
	}
	logged := func() []store.CollectionChange {
		t.Helper()
		log, err := s.CollectionLog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return log
	}

	// Refusals change nothing.
	g := generation()
	for _, tc := range []struct {
		name         string
		rename       bool
		old, new     string
		user, reason string
		want         error
	}{
		{"delete an unknown collection", false, "nowhere", "", "analyst1", "r", store.ErrNotFound},
		{"delete without a name", false, " ", "", "analyst1", "r", store.ErrInvalid},
		{"delete without a user", false, "police", "", "", "r", store.ErrInvalid},
		{"delete without a reason", false, "police", "", "analyst1", " ", store.ErrInvalid},
		{"rename an unknown collection", true, "nowhere", "somewhere", "analyst1", "r", store.ErrNotFound},
		{"rename onto another collection", true, "press", "intel", "analyst1", "r", store.ErrConflict},
		{"rename onto itself", true, "press", "press", "analyst1", "r", store.ErrConflict},
		{"rename to an empty name", true, "press", " ", "analyst1", "r", store.ErrInvalid},
		{"rename without a user", true, "press", "press-desk", "", "r", store.ErrInvalid},
		{"rename without a reason", true, "press", "press-desk", "analyst1", "", store.ErrInvalid},
	} {
		var err error
		if tc.rename {
			_, err = s.RenameCollection(ctx, tc.old, tc.new, tc.user, tc.reason)
		} else {
			_, err = s.DeleteCollection(ctx, tc.old, tc.user, tc.reason)
		}
		if !errors.Is(err, tc.want) {
			t.Errorf("%s: err = %v, want %v", tc.name, err, tc.want)
		}
	}
	if got := collections(); got != "intel/Intelligence/1 police/Police/2 press/Press/1" {
		t.Fatalf("after refused changes, collections %s", got)
	}
	if next := generation(); next != g {
		t.Errorf("refused changes moved the generation from %d to %d", g, next)
	}
	if log := logged(); len(log) != 0 {
		t.Errorf("refused changes were logged: %+v", log)
	}

	// Delete police: the intercept leaves the store, the shared document
	// stays with press.
	del, err := s.DeleteCollection(ctx, "police", "analyst1", "loaded into the wrong data folder")
	if err != nil {
		t.Fatal(err)
	}
	if del.ID <= 0 || del.Action != store.DeleteAction || del.Collection != "police" || del.Agency != "Police" ||
		del.Documents != 2 || del.Removed != 1 || del.User != "analyst1" || del.Reason != "loaded into the wrong data folder" ||
		del.Made.IsZero() || del.Created.IsZero() {
		t.Errorf("deletion = %+v, want police of Police, 2 documents held, 1 removed", del)
	}
	if next := generation(); next == g {
		t.Error("a deletion left the entity generation unchanged")
	} else {
		g = next
	}
	if got := collections(); got != "intel/Intelligence/1 press/Press/1" {
		t.Errorf("after deleting police, collections %s", got)
	}
	if _, err := s.EntityGeneration(ctx); err != nil {
		t.Fatal(err)
	}
	if _, _, err := s.Document(ctx, only.ID, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("the document only police held: err = %v, want ErrNotFound", err)
	}
	if _, err := s.Mentions(ctx, only.ID, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("mentions of the document only police held: err = %v, want ErrNotFound", err)
	}
	if ok, err := s.Holds(ctx, "police", shared.ID); err != nil || ok {
		t.Errorf("Holds(police, shared) = %v, %v after the deletion", ok, err)
	}
	_, holdings, err := s.Document(ctx, shared.ID, store.Scope{})
	if err != nil || len(holdings) != 1 || holdings[0].Collection != "press" {
		t.Errorf("the shared document: holdings %+v, err %v, want press alone", holdings, err)
	}
	if ms, err := s.Mentions(ctx, shared.ID, store.Scope{}); err != nil || len(ms) != 2 {
		t.Errorf("the shared document's mentions: %d, %v, want 2", len(ms), err)
	}
	if got := hits("zephyrine", store.Scope{}); len(got) != 0 {
		t.Errorf("search for the removed document's word: %v", got)
	}
	if got := hits("marmalade", store.Scope{}); !slices.Equal(got, []string{"Shopping press"}) {
		t.Errorf("search for the shared document's word: %v", got)
	}
	if got := hits("quartzite", store.Scope{}); !slices.Equal(got, []string{"Geology intel"}) {
		t.Errorf("search for another collection's word: %v", got)
	}
	if docs, total, err := s.Documents(ctx, store.DocumentFilter{}); err != nil || total != 2 || len(docs) != 2 {
		t.Errorf("documents after the deletion: %d of %d, %v; want 2", len(docs), total, err)
	}
	// Entities keep their IDs and judgements; what only the intercept said
	// is gone.
	if _, err := s.Entity(ctx, tariq, store.Scope{}); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("an entity only the removed document named: err = %v, want ErrNotFound", err)
	}
	if js, err := s.Judgements(ctx, tariq, ""); err != nil || len(js) != 1 || js[0].ID != flag.ID {
		t.Errorf("judgements about that entity: %+v, %v; want the flag kept", js, err)
	}
	p, err := s.Entity(ctx, samir, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	if p.ID != samir || len(p.Names) != 1 || p.Names[0].Mentions != 1 || len(p.Names[0].Documents) != 1 ||
		p.Names[0].Documents[0].ID != shared.ID || !slices.Equal(p.Collections, []string{"press"}) {
		t.Errorf("the entity both documents named: %+v", p)
	}
	for _, c := range p.Connections {
		if c.ID == tariq {
			t.Errorf("connection to %d kept, though only the removed document named both", tariq)
		}
	}
	if err := s.Relations(ctx, store.RelationFilter{}, func(r store.RelationRow) error {
		t.Errorf("relation kept from a removed document: %+v", r)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := s.EntityNames(ctx, func(e mosaic.Entity, name string) error {
		if e.ID == tariq || name == "Tariq Nasser" {
			t.Errorf("EntityNames still lists %d %q", e.ID, name)
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	// The same content may come back, and is stored anew.
	if added := mustAdd(t, s, store.Ingested{Collection: "intel", Doc: only, Mentions: mOnly, Relations: rOnly}); added[0] != store.NewContent {
		t.Errorf("the removed document added again: %v, want NewContent", added[0])
	}
	if got := hits("zephyrine", store.Scope{}); !slices.Equal(got, []string{"Intercept intel"}) {
		t.Errorf("search after adding it again: %v", got)
	}
	g = generation()

	// Rename press: its holdings follow the new name.
	ren, err := s.RenameCollection(ctx, "press", "press-desk", "analyst2", "one desk per agency")
	if err != nil {
		t.Fatal(err)
	}
	if ren.ID <= del.ID || ren.Action != store.RenameAction || ren.Collection != "press" || ren.NewName != "press-desk" ||
		ren.Agency != "Press" || ren.Documents != 1 || ren.Removed != 0 || ren.User != "analyst2" {
		t.Errorf("rename = %+v", ren)
	}
	if next := generation(); next == g {
		t.Error("a rename left the entity generation unchanged")
	}
	if got := collections(); got != "intel/Intelligence/2 press-desk/Press/1" {
		t.Errorf("after the rename, collections %s", got)
	}
	if got := hits("marmalade", store.Scope{Collections: []string{"press-desk"}}); !slices.Equal(got, []string{"Shopping press-desk"}) {
		t.Errorf("search in the renamed collection: %v", got)
	}
	if got := hits("marmalade", store.Scope{Collections: []string{"press"}}); len(got) != 0 {
		t.Errorf("search in the old name's scope: %v", got)
	}
	if ok, err := s.Holds(ctx, "press-desk", shared.ID); err != nil || !ok {
		t.Errorf("Holds(press-desk, shared) = %v, %v", ok, err)
	}
	// The old name is free again.
	mustCollection(t, s, "press", "Press")

	log := logged()
	if len(log) != 2 || log[0].ID != ren.ID || log[1].ID != del.ID {
		t.Fatalf("collection log = %+v, want the rename then the deletion", log)
	}
	if log[1] != del || log[0] != ren {
		t.Errorf("log entries read back differently:\n%+v\n%+v\nwant\n%+v\n%+v", log[0], log[1], ren, del)
	}
}

// testForcedMerge checks that a merge of entities of different kinds is
// refused unless forced, that a forced one is recorded as such and gives
// the merged entity the kind of the entity named first (not of the
// smallest ID, which it reads as), everywhere kinds are read, and that
// undoing it restores both kinds.
func testForcedMerge(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "police", "Police")
	// The phone contact "Abou S" was tagged as a place and resolved first,
	// so it has the smaller ID.
	t1 := "The phone lists Abou S as a contact of Ansar al-Thughur."
	t2 := "Abu Sulayman al-Rifi lives in Brussels."
	d1, d2 := doc("Phone", t1), doc("Profile", t2)
	whole := func(text string, ms ...mosaic.Mention) []mosaic.Mention {
		for i := range ms {
			ms[i].Sentence = mosaic.Span{Start: 0, End: len(text)}
		}
		return ms
	}
	m1 := whole(t1, mention(t, t1, "Abou S", mosaic.Location), mention(t, t1, "Ansar al-Thughur", mosaic.Org))
	m2 := whole(t2, mention(t, t2, "Abu Sulayman al-Rifi", mosaic.Person), mention(t, t2, "Brussels", mosaic.Location))
	mustAdd(t, s, store.Ingested{Collection: "police", Doc: d1, Mentions: m1,
		Relations: []mosaic.Relation{{Type: mosaic.Member, From: 0, To: 1, Sentence: m1[0].Sentence, Confidence: 0.8}}},
		store.Ingested{Collection: "police", Doc: d2, Mentions: m2})
	ids, err := s.Resolve(ctx, d1.ID, []mosaic.Entity{{Kind: mosaic.Location, Name: "Abou S"}, {Kind: mosaic.Org, Name: "Ansar al-Thughur"}},
		[]store.Assignment{assign(t, t1, "Abou S", mosaic.Location, 0, 1), assign(t, t1, "Ansar al-Thughur", mosaic.Org, 0, 2)})
	if err != nil {
		t.Fatal(err)
	}
	place, group := ids[0], ids[1]
	ids, err = s.Resolve(ctx, d2.ID, []mosaic.Entity{{Kind: mosaic.Person, Name: "Abu Sulayman al-Rifi"}, {Kind: mosaic.Location, Name: "Brussels"}},
		[]store.Assignment{assign(t, t2, "Abu Sulayman al-Rifi", mosaic.Person, 0, 1), assign(t, t2, "Brussels", mosaic.Location, 0, 2)})
	if err != nil {
		t.Fatal(err)
	}
	person, brussels := ids[0], ids[1]
	if place >= person {
		t.Fatalf("fixture: the place %d should have the smaller id than the person %d", place, person)
	}
	kindOf := func(id mosaic.EntityID) (mosaic.EntityID, mosaic.MentionType) {
		t.Helper()
		p, err := s.Entity(ctx, id, store.Scope{})
		if err != nil {
			t.Fatalf("entity %d: %v", id, err)
		}
		return p.ID, p.Kind
	}
	judge := func(j store.Judgement) (store.Judgement, error) {
		j.User, j.Reason = "analyst1", "the number is his"
		return s.Judge(ctx, j)
	}

	g, _ := s.EntityGeneration(ctx)
	if _, err := judge(store.Judgement{Kind: store.Merge, Entity: person, Other: place}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("merging a person and a place unforced: err = %v, want ErrInvalid", err)
	}
	if _, err := judge(store.Judgement{Kind: store.Reject, Entity: person, Other: brussels, Force: true}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a forced reject: err = %v, want ErrInvalid", err)
	}
	if _, err := judge(store.Judgement{Kind: store.Flag, Entity: person, Force: true}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a forced flag: err = %v, want ErrInvalid", err)
	}
	if next, _ := s.EntityGeneration(ctx); next != g {
		t.Errorf("refused judgements moved the generation from %d to %d", g, next)
	}

	// Forced, with the person named first: one entity, read as the
	// smaller id, of the person's kind.
	merge, err := judge(store.Judgement{Kind: store.Merge, Entity: person, Other: place, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if !merge.Force {
		t.Errorf("forced merge returned with Force unset: %+v", merge)
	}
	for _, id := range []mosaic.EntityID{person, place} {
		if got, kind := kindOf(id); got != place || kind != mosaic.Person {
			t.Errorf("entity %d after the forced merge reads as %d, %s; want %d, PERSON", id, got, kind, place)
		}
	}
	if js, err := s.Judgements(ctx, person, ""); err != nil || len(js) != 1 || !js[0].Force {
		t.Errorf("the record of the forced merge: %+v, %v; want Force set", js, err)
	}
	names := map[string]mosaic.MentionType{}
	if err := s.EntityNames(ctx, func(e mosaic.Entity, name string) error { names[name] = e.Kind; return nil }); err != nil {
		t.Fatal(err)
	}
	if names["Abou S"] != mosaic.Person || names["Abu Sulayman al-Rifi"] != mosaic.Person {
		t.Errorf("EntityNames kinds after the forced merge: %v", names)
	}
	var rels []store.RelationRow
	if err := s.Relations(ctx, store.RelationFilter{}, func(r store.RelationRow) error { rels = append(rels, r); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(rels) != 1 || rels[0].From != place || rels[0].FromKind != mosaic.Person || rels[0].To != group || rels[0].ToKind != mosaic.Org {
		t.Errorf("relations after the forced merge: %+v", rels)
	}
	// The merged entity is a person now: it may be flagged, and merged
	// unforced with another person's entity but not with a place.
	if _, err := judge(store.Judgement{Kind: store.Merge, Entity: place, Other: brussels}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("merging the merged person with a place unforced: err = %v, want ErrInvalid", err)
	}
	flag, err := judge(store.Judgement{Kind: store.Flag, Entity: place})
	if err != nil {
		t.Fatalf("flagging the merged person: %v", err)
	}
	if _, err := s.Undo(ctx, flag.ID, "analyst1", "done"); err != nil {
		t.Fatal(err)
	}

	// Undone, each has its own kind again.
	if _, err := s.Undo(ctx, merge.ID, "analyst2", "another man"); err != nil {
		t.Fatal(err)
	}
	if got, kind := kindOf(place); got != place || kind != mosaic.Location {
		t.Errorf("the place after undoing the merge: %d, %s", got, kind)
	}
	if got, kind := kindOf(person); got != person || kind != mosaic.Person {
		t.Errorf("the person after undoing the merge: %d, %s", got, kind)
	}

	// Named the other way round, the merged entity is a place; a forced
	// merge of one kind is recorded unforced.
	back, err := judge(store.Judgement{Kind: store.Merge, Entity: place, Other: person, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, kind := kindOf(person); kind != mosaic.Location {
		t.Errorf("forced with the place named first, the merged entity is a %s", kind)
	}
	if _, err := s.Undo(ctx, back.ID, "analyst2", "wrong way round"); err != nil {
		t.Fatal(err)
	}
	same, err := judge(store.Judgement{Kind: store.Merge, Entity: brussels, Other: place, Force: true})
	if err != nil {
		t.Fatal(err)
	}
	if same.Force {
		t.Error("a forced merge of two places is recorded as forced")
	}
	if js, _ := s.Judgements(ctx, brussels, ""); len(js) == 0 || js[0].Force {
		t.Errorf("the record of a merge of one kind: %+v", js)
	}
}
