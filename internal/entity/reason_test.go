package entity

import (
	"fmt"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// TestRedactReason redacts a reason of each form resolution writes, for a
// reader whose documents call the entity "Abdelkader Haddushi" and "Abu
// Sulayman" but never "Abd al-Qadir AL-HADDUSHI", a spelling of documents
// out of sight.
func TestRedactReason(t *testing.T) {
	const hidden, seen, here = "Abd al-Qadir AL-HADDUSHI", "Abdelkader Haddushi", "Abu Sulayman"
	visible := func(name string) bool { return name == seen || name == here }
	text := "Abu Sulayman, also known as Abdelkader Haddushi, left Leeds."
	alias := mosaic.Mention{Start: 28, End: 47, Text: "Abdelkader Haddushi", Type: mosaic.Person, Sentence: mosaic.Span{Start: 0, End: len(text)}}
	// The evidence a weak name rests on: an identifier, a person and a
	// place of the document, all of which the out-of-sight candidate's
	// context names too.
	ev := docContext{
		entities:    map[mosaic.EntityID]string{7: "Karim Saleh", 8: "Leeds"},
		types:       map[mosaic.EntityID]mosaic.MentionType{7: mosaic.Person, 8: mosaic.Location},
		identifiers: map[string]string{"+3225550147": "+32 2 555 0147"},
	}
	_, evidence := contextEvidence(ev, &entityContext{
		entities:    map[mosaic.EntityID]mosaic.MentionType{7: mosaic.Person, 8: mosaic.Location},
		identifiers: map[string]bool{"+3225550147": true},
	})
	if !strings.Contains(evidence, "named beside it in both Karim Saleh") {
		t.Fatalf("fixture: evidence %q", evidence)
	}
	listed := Listing{Entry: store.WatchlistEntry{List: "OFAC SDN", ID: "8759", Name: "ABU SULAYMAN", Programme: "SDGT"}, Listed: "ABU SULAYMAN", Score: 0.93}
	for _, c := range []struct {
		name, why, want string
	}{
		{"name matches, hidden", fmt.Sprintf(whyNameMatches, hidden, 1.0), "name matches another spelling (score 1.00)"},
		{"name matches, seen", fmt.Sprintf(whyNameMatches, seen, 0.91), fmt.Sprintf(whyNameMatches, seen, 0.91)},
		{"other name here", fmt.Sprintf(whyOtherName, seen, hidden, 0.95), fmt.Sprintf("its other name here %q matches another spelling (score 0.95)", seen)},
		{"same name", "same name as in an earlier document", "same name as in an earlier document"},
		{"first seen", "first seen here", "first seen here"},
		{"stated alias, with its sentence", fmt.Sprintf(whyWithin, ReasonAlias, here) + whyWhere + quoteSentence(text, alias),
			fmt.Sprintf(whyWithin, ReasonAlias, here) + whyWhere + quoteSentence(text, alias)},
		{"surname with a title", fmt.Sprintf(whyWithin, fmt.Sprintf("%s, with the title %q", ReasonSurname, "Sheikh"), "Haddushi"),
			fmt.Sprintf(whyWithin, fmt.Sprintf("%s, with the title %q", ReasonSurname, "Sheikh"), "Haddushi")},
		{"two names of the document", fmt.Sprintf(whyWithin, fmt.Sprintf("%s %q (score %.2f)", reasonSameName, seen, 0.9), seen),
			fmt.Sprintf(whyWithin, fmt.Sprintf("%s %q (score %.2f)", reasonSameName, seen, 0.9), seen)},
		{"weak name joined", fmt.Sprintf("%s: %s matches %q (score %.2f); %s: evidence %.2f; confidence %.2f",
			ReasonContext, `"Abu Sulayman", by its other name here "Sulayman",`, hidden, 0.88, evidence, 0.97, 0.85),
			ReasonContext + `: "Abu Sulayman", by its other name here "Sulayman", matches another spelling (score 0.88); ` +
				"1 identifier; 1 name beside it in both; 1 place: evidence 0.97; confidence 0.85"},
		{"weak name left alone", fmt.Sprintf("first seen here: %s names no one by itself, and the context here does not tie it to %q (%s: evidence %.2f, needs %.2f)",
			`"Abu Sulayman"`, hidden, "named beside it in both Karim Saleh, Samir Haddad", 0.75, 0.8),
			`first seen here: "Abu Sulayman" names no one by itself, and the context here does not tie it to another spelling (2 names beside it in both: evidence 0.75, needs 0.80)`},
		{"watchlist", listed.Reason(here), listed.Reason(here)},
		{"split", "split from entity 127 (judgement 2)\nwas: " + fmt.Sprintf(whyNameMatches, hidden, 1.0),
			"split from entity 127 (judgement 2)\nwas: name matches another spelling (score 1.00)"},
		{"split recorded with its analyst", "split from entity 127 by dib-analyst (judgement 2): source HUMINT-77 (judgement 9)\nwas: first seen here",
			"split from entity 127 (judgement 2)\nwas: first seen here"},
		{"a weak reason of unknown form", ReasonContext + `: "x" matches "` + hidden + `" somehow`, ReasonContext},
		{"a broken quote", `name matches "` + hidden, "name matches …"},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := RedactReason(c.why, visible)
			if got != c.want {
				t.Errorf("RedactReason(%q) =\n%q, want\n%q", c.why, got, c.want)
			}
			if strings.Contains(got, "AL-HADDUSHI") || strings.Contains(got, "Karim") {
				t.Errorf("RedactReason(%q) = %q quotes what the reader cannot see", c.why, got)
			}
		})
	}
}
