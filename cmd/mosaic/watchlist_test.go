package main

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// The corpus of the organisation tests: short texts written for them. One
// document defines the group's acronym and its Arabic one; others use one
// name each; one names two coalitions, one of them named for fighting it.
var groupCorpus = []struct{ dir, name, text string }{
	{"d1", "coalition.txt", `PRESS RELEASE
Date: 12 March 2016

Officers of the Counter-Daesh Coalition met the envoy of the Global Coalition in Amman. The Counter-Daesh Coalition said the talks had been useful.
`},
	{"d2", "checkpoint.txt", `FIELD NOTE
Date: 9 March 2016

Daesh claimed responsibility for the attack on the checkpoint north of Mosul, a police spokesman said.
`},
	{"d3", "statement.txt", `MINISTRY STATEMENT
Date: 3 March 2016

The Islamic State of Iraq and the Levant (ISIL) lost control of the river crossing on Tuesday. ISIL, also known by its Arabic acronym as Daesh, withdrew its fighters to the east of the town.
`},
	{"d4", "border.txt", `PATROL REPORT
Date: 14 March 2016

ISIL fighters were seen near the border crossing at dawn, according to the patrol commander.
`},
}

// ingestEach ingests each document in a run of its own, so that every
// later document meets a resolver reloaded from the store.
func ingestEach(t *testing.T, db, dir string, docs []struct{ dir, name, text string }) {
	t.Helper()
	for _, d := range docs {
		path := filepath.Join(dir, d.dir, d.name)
		writeFile(t, path, d.text)
		if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "reports", "--agency", "MoD", path); code != 0 {
			t.Fatalf("ingest %s: exit %d: %s", d.name, code, errs)
		}
	}
}

func entityJSON(t *testing.T, db, name string) store.EntityProfile {
	t.Helper()
	out, errs, code := runMosaic(t, "entity", "--db", db, "--json", name)
	if code != 0 {
		t.Fatalf("entity %s: exit %d: %s", name, code, errs)
	}
	var p store.EntityProfile
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return p
}

// TestOrganisationAliasesAcrossDocuments is issue 10's check: the names
// one document states for a group, and the list's aliases of it, are one
// entity across documents, and the coalitions named for fighting it are
// not.
func TestOrganisationAliasesAcrossDocuments(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	ingestEach(t, db, dir, groupCorpus)

	p := entityJSON(t, db, "ISIL")
	names := map[string]bool{}
	for _, n := range p.Names {
		names[n.Name] = true
		if strings.Contains(strings.ToLower(n.Name), "coalition") {
			t.Errorf("the group's entity holds the coalition %q", n.Name)
		}
		// The sentence that states the Arabic acronym is its reason.
		if n.Name == "Daesh" && !strings.Contains(strings.Join(n.Why, "\n"), `in "ISIL, also known by its Arabic acronym as Daesh, withdrew`) {
			t.Errorf("Daesh's reasons do not quote the sentence that states it: %q", n.Why)
		}
	}
	for _, want := range []string{"ISIL", "Daesh", "Islamic State of Iraq and the Levant"} {
		if !names[want] {
			t.Errorf("%q is not among the names of the entity ISIL: %v", want, names)
		}
	}
	if len(p.Watchlist) != 1 || p.Watchlist[0].List != entity.OFACList || !strings.Contains(p.Watchlist[0].Programme, "SDGT") {
		t.Errorf("watchlist = %+v, want the OFAC SDN entry with its programme", p.Watchlist)
	}
	text, _, code := runMosaic(t, "entity", "--db", db, "ISIL")
	if code != 0 || !strings.Contains(text, "On watchlists:") || !strings.Contains(text, "OFAC SDN "+p.Watchlist[0].ID) {
		t.Errorf("entity ISIL does not show the list, identifier and programme:\n%s", text)
	}
	// The statement's own sentence is the reason for its acronym.
	if !strings.Contains(text, `"The Islamic State of Iraq and the Levant (ISIL) lost control`) {
		t.Errorf("entity ISIL does not quote the sentence that states the acronym:\n%s", text)
	}

	// The coalitions are apart from the group and from each other.
	c := entityJSON(t, db, "Counter-Daesh Coalition")
	g := entityJSON(t, db, "Global Coalition")
	if c.ID == p.ID || g.ID == p.ID || c.ID == g.ID {
		t.Errorf("entities: group %d, Counter-Daesh Coalition %d, Global Coalition %d; want three", p.ID, c.ID, g.ID)
	}

	out, errs, code := runMosaic(t, "why", "--db", db, "Daesh", "Counter-Daesh Coalition")
	if code != 0 {
		t.Fatalf("why: exit %d: %s", code, errs)
	}
	if !strings.Contains(out, "not the same entity") || !strings.Contains(out, "head noun") || !strings.Contains(out, "different entities") {
		t.Errorf("why Daesh \"Counter-Daesh Coalition\" does not say no on the head noun:\n%s", out)
	}
	// The list says what the words cannot: Daesh and ISIL are one.
	out, _, _ = runMosaic(t, "why", "--db", db, "Daesh", "ISIL")
	if !strings.Contains(out, "the store holds both") || !strings.Contains(out, "gives both as names of") {
		t.Errorf("why Daesh ISIL does not give the list's evidence:\n%s", out)
	}
	out, _, _ = runMosaic(t, "why", "--db", db, "--json", "Daesh", "Counter-Daesh Coalition")
	var why struct {
		Same    bool              `json:"same"`
		Compare entity.Comparison `json:"comparison"`
	}
	if err := json.Unmarshal([]byte(out), &why); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	head := false
	for _, f := range why.Compare.Features {
		head = head || f.Name == "head noun" && f.Score < 0
	}
	if why.Same || !head {
		t.Errorf("why --json: same %v, features %+v; want no, against on the head noun", why.Same, why.Compare.Features)
	}
}

// TestStatedAliasSurvivesReload: an alias one document states joins the
// name in a later ingest, without any list.
func TestStatedAliasSurvivesReload(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	ingestEach(t, db, dir, []struct{ dir, name, text string }{
		{"a", "briefing.txt", `HARBOUR BRIEFING
Date: 2 April 2016

The Dockers Solidarity Union, also known as the Tide Wardens League, has recruited dock workers in Kestrel Bay since January. The Dockers Solidarity Union paid for leaflets.
`},
		{"b", "note.txt", `PORT NOTE
Date: 8 April 2016

The Tide Wardens League held a meeting at the ferry terminal in Kestrel Bay on Friday.
`},
	})
	p := entityJSON(t, db, "Dockers Solidarity Union")
	docs := map[string]int{}
	for _, n := range p.Names {
		docs[n.Name] = len(n.Documents)
	}
	if docs["Tide Wardens League"] != 2 {
		t.Errorf("names and their documents: %v; want Tide Wardens League in both documents", docs)
	}
}

// TestWatchlistLoad: a user's list, loaded from CSV, is listed, and its
// aliases make one entity of two documents' names, shown with the entry.
func TestWatchlistLoad(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	csv := filepath.Join(dir, "local.csv")
	writeFile(t, csv, "list,id,name,aliases,programme,kind\n"+
		"Local charities,K-17,Kestrel Relief Fund,Orchard Aid Trust;KRF,fraud,organisation\n")
	// A document stored before the list is loaded: its entity is linked
	// when the list is.
	ingestEach(t, db, dir, []struct{ dir, name, text string }{
		{"c", "review.txt", "CHARITY REVIEW\nDate: 9 April 2016\n\nDonations to the Kestrel Relief Fund rose sharply in March, the regulator said.\n"},
	})
	out, errs, code := runMosaic(t, "watchlist", "load", "--db", db, csv)
	if code != 0 || !strings.Contains(out, "loaded 1 entries") || !strings.Contains(out, "linked 1 stored entities") {
		t.Fatalf("watchlist load: exit %d: %s%s", code, out, errs)
	}
	out, _, code = runMosaic(t, "watchlist", "list", "--db", db)
	if code != 0 || !strings.Contains(out, "Local charities") || !strings.Contains(out, entity.OFACList+" (built in)") {
		t.Errorf("watchlist list:\n%s", out)
	}
	ingestEach(t, db, dir, []struct{ dir, name, text string }{
		{"d", "bank.txt", "BANK NOTE\nDate: 10 April 2016\n\nA transfer from the Orchard Aid Trust to an account in Limassol was flagged by the bank.\n"},
	})
	if out, errs, code := runMosaic(t, "watchlist", "link", "--db", db); code != 0 || !strings.Contains(out, "linked 1 stored entities") {
		t.Errorf("watchlist link: exit %d: %s%s", code, out, errs)
	}
	p := entityJSON(t, db, "Orchard Aid Trust")
	names := map[string]bool{}
	for _, n := range p.Names {
		names[n.Name] = true
	}
	if !names["Kestrel Relief Fund"] || !names["Orchard Aid Trust"] {
		t.Errorf("names %v; want both listed names in one entity", names)
	}
	if len(p.Watchlist) != 1 || p.Watchlist[0].ID != "K-17" || p.Watchlist[0].Programme != "fraud" {
		t.Errorf("watchlist = %+v", p.Watchlist)
	}
	// Errors name the row; the built-in list's name is refused.
	writeFile(t, csv, "Local charities,K-18,\n")
	if _, errs, code := runMosaic(t, "watchlist", "load", "--db", db, csv); code == 0 || !strings.Contains(errs, "row 1") {
		t.Errorf("a row without a name: exit %d: %s", code, errs)
	}
	writeFile(t, csv, entity.OFACList+",1,Someone\n")
	if _, _, code := runMosaic(t, "watchlist", "load", "--db", db, csv); code == 0 {
		t.Error("loading a list named as the built-in one succeeded")
	}
	if _, errs, code := runMosaic(t, "watchlist", "-h"); code != 0 || !strings.Contains(errs, "list, id, name, aliases, programme, kind") {
		t.Errorf("watchlist -h does not document the file: %s", errs)
	}
}
