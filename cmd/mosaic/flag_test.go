package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/network"
	"mosaic/internal/store"
)

const (
	// questioned names a man no document calls a lone actor.
	questioned = `FIELD REPORT 2016/190
Date: 3 May 2016

Officers questioned Samir Haddad in Leeds on 2 May 2016. Haddad denied any contact with extremists.
`
	// phoneRecords links him to a member of a group.
	phoneRecords = `FIELD REPORT 2016/207
Date: 12 June 2016

Phone records show that Samir Haddad was in touch with Tariq Nasser in May.
Tariq Nasser is a member of Ansar al-Thughur, according to partner reporting.
`
	// burglary links no one to anything.
	burglary = `FIELD REPORT 2016/230
Date: 20 June 2016

Officers in Leeds recorded a burglary at a garage on Roundhay Road.
`
)

// TestFlagForLoneActorCheck: an analyst flags a man no document calls a
// lone actor. The flag outlives the command that made it: every later
// lone-actor check lists him, and the ingest that links him to a group
// member raises an alert, once. Undone, the flag is gone from the check
// and stays in the record.
func TestFlagForLoneActorCheck(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	ingest := func(name, text string) (stderr string) {
		t.Helper()
		path := filepath.Join(dir, "in", name)
		writeFile(t, path, text)
		out, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "reports", "--agency", "Police", path)
		if code != 0 {
			t.Fatalf("ingest %s: exit %d\n%s\n%s", name, code, out, errs)
		}
		return errs
	}
	loneActors := func(args ...string) map[string]network.LoneActor {
		t.Helper()
		byName := map[string]network.LoneActor{}
		for _, la := range loneActorsJSON(t, db, args...) {
			byName[la.Name] = la
		}
		return byName
	}
	judge := func(args ...string) (store.Judgement, string, int) {
		t.Helper()
		out, errs, code := runMosaic(t, append([]string{"judge", "--db", db, "--json", "--user", "analyst1"}, args...)...)
		var j store.Judgement
		if code == 0 {
			if err := json.Unmarshal([]byte(out), &j); err != nil {
				t.Fatalf("judge %v: %v\n%s", args, err, out)
			}
		}
		return j, errs, code
	}

	ingest("questioned.txt", questioned)
	if las := loneActors(); len(las) != 0 {
		t.Fatalf("before any flag, the check lists %v", las)
	}

	flag, errs, code := judge("flag", "Samir Haddad", "--reason", "seen with recruiters")
	if code != 0 {
		t.Fatalf("judge flag: exit %d\n%s", code, errs)
	}
	if flag.Kind != store.Flag || flag.User != "analyst1" || flag.Reason != "seen with recruiters" || !flag.Active() {
		t.Errorf("flag as recorded: %+v", flag)
	}
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"flag", "Samir Haddad", "--reason", "again"}, "flagged already"},
		{[]string{"flag", "Leeds", "--reason", "a place"}, "only a person"},
		{[]string{"flag", "Samir Haddad"}, "needs a user and a reason"},
	} {
		if _, errs, code := judge(tc.args...); code != 1 || !strings.Contains(errs, tc.want) {
			t.Errorf("judge %v: exit %d, %q; want exit 1 saying %q", tc.args, code, errs, tc.want)
		}
	}
	if _, _, code := judge("flag"); code != exitUsage {
		t.Errorf("judge flag without a name: exit %d, want %d", code, exitUsage)
	}

	// A later run of the check, in another process as far as the store
	// knows, lists him as flagged and not linked.
	la, ok := loneActors()["Samir Haddad"]
	if !ok || !la.Flagged || la.Linked || la.Person != flag.Entity {
		t.Fatalf("lone-actors after the flag: %+v (listed %v), want Samir Haddad flagged, not linked", la, ok)
	}
	out, _, _ := runMosaic(t, "lone-actors", "--db", db)
	if !strings.Contains(out, "Samir Haddad: no evidence path") || !strings.Contains(out, "flagged by an analyst") {
		t.Errorf("lone-actors text output:\n%s", out)
	}

	// New material links him to a member of a group: an alert names him
	// as flagged. Material that changes nothing about him raises none,
	// because the check before the ingest counts the flag too.
	errs = ingest("phone-records.txt", phoneRecords)
	if want := "ALERT: Samir Haddad, flagged, is now linked"; !strings.Contains(errs, want) {
		t.Errorf("ingest that links the flagged man: stderr lacks %q:\n%s", want, errs)
	}
	la = loneActors()["Samir Haddad"]
	if !la.Linked || la.Path == nil || len(la.Path.Hops) != 1 {
		t.Errorf("after the linking ingest: %+v, want linked in one hop", la)
	}
	if errs := ingest("burglary.txt", burglary); strings.Contains(errs, "ALERT") {
		t.Errorf("an ingest that adds no link raised an alert:\n%s", errs)
	}

	// --flag still adds people for one run, beside the recorded flags.
	las := loneActors("--flag", "Tariq Nasser")
	if !las["Tariq Nasser"].Flagged || !las["Samir Haddad"].Flagged {
		t.Errorf("lone-actors --flag: %+v, want Tariq Nasser and Samir Haddad flagged", las)
	}
	if _, ok := loneActors()["Tariq Nasser"]; ok {
		t.Error("a --flag outlived its run")
	}

	// The record lists the flag; undone, it leaves the check and stays in
	// the record.
	out, _, code = runMosaic(t, "judge", "--db", db, "list")
	if code != 0 || !strings.Contains(out, fmt.Sprintf("#%d", flag.ID)) || !strings.Contains(out, fmt.Sprintf("flag %d  analyst1: seen with recruiters", flag.Entity)) {
		t.Errorf("judge list: exit %d\n%s", code, out)
	}
	undone, errs, code := judge("undo", fmt.Sprint(flag.ID), "--reason", "cleared")
	if code != 0 || undone.Active() || undone.Kind != store.Flag {
		t.Fatalf("judge undo: exit %d, %+v\n%s", code, undone, errs)
	}
	if _, ok := loneActors()["Samir Haddad"]; ok {
		t.Error("an undone flag still puts Samir Haddad in the lone-actor check")
	}
	out, _, _ = runMosaic(t, "judge", "--db", db, "list", "Samir Haddad")
	if !strings.Contains(out, "undone") || !strings.Contains(out, "cleared") {
		t.Errorf("judge list after the undo:\n%s", out)
	}
}

// TestSampleCaseFlags flags three people in the bundled case: the
// organiser's brother, whom no document calls a lone actor, is linked by
// the sentence that makes him the organiser's brother; the reporter is
// listed and linked to nothing; Ferhat, whom the police call a lone actor,
// is listed once, flagged and with his claims, and still not linked, for
// his only evidence is negated.
func TestSampleCaseFlags(t *testing.T) {
	db := sampleCase(t)
	ids := map[string]mosaic.EntityID{} // by the name flagged
	for _, name := range []string{"Youssef el-Haddouchi", "Hannah Moretti", "Nabil Ferhat"} {
		if _, errs, code := runMosaic(t, "judge", "--db", db, "flag", name, "--user", "analyst1", "--reason", "watch"); code != 0 {
			t.Fatalf("judge flag %q: exit %d\n%s", name, code, errs)
		}
		ids[name] = entityJSON(t, db, name).ID
	}
	found := map[string]network.LoneActor{}
	for _, la := range loneActorsJSON(t, db) {
		for name, id := range ids {
			if la.Person == id {
				if _, twice := found[name]; twice {
					t.Errorf("%s listed twice", la.Name)
				}
				found[name] = la
			}
		}
	}
	if la := found["Youssef el-Haddouchi"]; !la.Flagged || !la.Linked || la.Path == nil ||
		!strings.Contains(la.Path.Hops[0].Edge.Evidence[0].Text, "brother") {
		t.Errorf("the organiser's brother, flagged: %+v", la)
	}
	if la, ok := found["Hannah Moretti"]; !ok || !la.Flagged || la.Linked {
		t.Errorf("the reporter, flagged: %+v (listed %v), want listed and not linked", la, ok)
	}
	if la := found["Nabil Ferhat"]; !la.Flagged || len(la.Claims) == 0 || la.Linked {
		t.Errorf("Ferhat, flagged and called a lone actor: %+v", la)
	}
}
