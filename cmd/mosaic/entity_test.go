package main

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"mosaic/internal/store"
)

const pressTranscript = `EVENING DESK — BROADCAST TRANSCRIPT
Date: 14 March 2017

DONNELLY: Good evening. With me is our security correspondent Mireille Vandamme, who spent a month in Charleroi.
VANDAMME: Thank you. The men I met there all named the same recruiter.
DONNELLY: Mireille, did the police believe them?
VANDAMME: Not at first.
`

const policeReport = `FIELD REPORT 2017/120
Date: 20 March 2017

On 19 March 2017 the journalist Mireille Vandamme gave officers in Charleroi a list of names.
Vandamme said two of the men had travelled to Raqqa in 2015.
`

// TestEntityAcrossAgencies: a transcript and a report held by two agencies
// name the same reporter; she is one entity present in both collections,
// and the first name used alone in the transcript is one of her names.
func TestEntityAcrossAgencies(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	writeFile(t, filepath.Join(dir, "press", "evening-desk.txt"), pressTranscript)
	writeFile(t, filepath.Join(dir, "police", "fr-120.txt"), policeReport)
	for _, c := range [][3]string{{"press", "Press desk", "press"}, {"reports", "Police", "police"}} {
		if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", c[0], "--agency", c[1], filepath.Join(dir, c[2])); code != 0 {
			t.Fatalf("ingest %s: %s", c[0], errs)
		}
	}
	out, errs, code := runMosaic(t, "entity", "--db", db, "--json", "Mireille Vandamme")
	if code != 0 {
		t.Fatalf("entity: exit %d: %s", code, errs)
	}
	var p store.EntityProfile
	if err := json.Unmarshal([]byte(out), &p); err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	if p.Kind != "PERSON" || strings.Join(p.Collections, ",") != "press,reports" {
		t.Errorf("entity %q (%s) in collections %v, want a PERSON in press and reports", p.Name, p.Kind, p.Collections)
	}
	names := map[string]bool{}
	for _, n := range p.Names {
		names[n.Name] = true
	}
	for _, want := range []string{"Mireille Vandamme", "VANDAMME", "Mireille", "Vandamme"} {
		if !names[want] {
			t.Errorf("%q is not among the entity's names %v", want, names)
		}
	}
	// The ID every command prints opens the same entity, under the same
	// name; an ID no entity has is refused by name.
	byID, errs, code := runMosaic(t, "entity", "--db", db, "--json", fmt.Sprint(p.ID))
	var q store.EntityProfile
	if err := json.Unmarshal([]byte(byID), &q); code != 0 || err != nil || q.ID != p.ID || q.Name != p.Name || q.Name != "Mireille Vandamme" {
		t.Errorf("entity %d: exit %d, %+v, want %q as by name (%s)", p.ID, code, q, p.Name, errs)
	}
	if _, errs, code := runMosaic(t, "entity", "--db", db, "987654"); code != 1 || !strings.Contains(errs, `no entity matches "987654", by name or ID`) {
		t.Errorf("entity of an unknown ID: exit %d, %s", code, errs)
	}
	out, _, code = runMosaic(t, "why", "--db", db, "Mireille Vandamme", "VANDAMME")
	if code != 0 || !strings.Contains(out, "the store holds both as entity") {
		t.Errorf("why: exit %d\n%s", code, out)
	}
	// An ID stands for the entity's name there too.
	out, _, code = runMosaic(t, "why", "--db", db, fmt.Sprint(p.ID), "VANDAMME")
	if code != 0 || !strings.Contains(out, `"Mireille Vandamme" and "VANDAMME"`) || !strings.Contains(out, "the store holds both as entity") {
		t.Errorf("why by ID: exit %d\n%s", code, out)
	}
}
