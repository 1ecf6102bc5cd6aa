package extract

import (
	"strings"
	"testing"

	"mosaic"
)

// TestRelateLearned checks how the classifier's relations join the rules':
// it types what the rules leave, carries the co-occurrence cues' negation
// and hedging, quotes the words between as its cue and its probability as
// the confidence, and states nothing its types rule out.
func TestRelateLearned(t *testing.T) {
	loc := func(s string) spot { return spot{s, mosaic.Location} }
	for _, tc := range []struct {
		name  string
		text  string
		spots []spot
		want  string // the one typed relation, as describe writes it
	}{
		{"role with a group", "Samir Haddad, an accountant with Acme Bank, was arrested.",
			[]spot{per("Samir Haddad"), org("Acme Bank")}, `member Samir Haddad -> Acme Bank ", an accountant with"`},
		{"relative clause", "Samir Haddad, who commands the Northern Front, spoke.",
			[]spot{per("Samir Haddad"), org("Northern Front")}, `member Samir Haddad -> Northern Front ", who commands the"`},
		{"negated", "Samir Haddad, who never managed the Northern Front, spoke.",
			[]spot{per("Samir Haddad"), org("Northern Front")}, `member Samir Haddad -> Northern Front neg ", who never managed the"`},
		{"hedged", "Samir Haddad, who reportedly commands the Northern Front, spoke.",
			[]spot{per("Samir Haddad"), org("Northern Front")}, `member Samir Haddad -> Northern Front hedged ", who reportedly commands the"`},
		// Two names of one group are no membership.
		{"alias", "Tide Wardens, formerly known as the Northern Front, held the port.",
			[]spot{org("Tide Wardens"), org("Northern Front")}, ""},
		// A dateline says where a report was filed, not where anyone is.
		{"dateline", "LYON, March 3 (Wire) — Samir Haddad, 41, was arrested on Tuesday.",
			[]spot{loc("LYON"), per("Samir Haddad")}, ""},
		// A place in a place is stated like any location; the network
		// keeps paths from running through places.
		{"place in place", "Borgerhout, a district of Antwerp, was quiet.",
			[]spot{loc("Borgerhout"), loc("Antwerp")}, `location Borgerhout -> Antwerp ", a district of"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a := &Analysis{Text: tc.text, Sentences: Split(tc.text)}
			ms := place(t, a, tc.spots)
			rels := Relate(a, ms)
			got := typed(ms, rels)
			if tc.want == "" {
				if len(got) != 0 {
					t.Errorf("got %q, want no typed relation", got)
				}
				return
			}
			if len(got) != 1 || got[0] != tc.want {
				t.Fatalf("got %q, want %q", got, tc.want)
			}
			for _, r := range rels {
				if r.Type != mosaic.CoOccur && (r.Confidence < defaultModel().Threshold(r.Type) || r.Confidence > 1) {
					t.Errorf("confidence %v, below the %s threshold %v or above 1", r.Confidence, r.Type, defaultModel().Threshold(r.Type))
				}
			}
			// The rules alone leave the pair co-occurring.
			for _, r := range RelateWith(a, ms, nil) {
				if r.Type != mosaic.CoOccur || r.Confidence != cooccurConfidence {
					t.Errorf("rules alone: %s (confidence %v)", describe(ms, r), r.Confidence)
				}
			}
		})
	}
}

// TestRelateConfidence: every relation carries a confidence in (0, 1], a
// rule's the figure measured for its type.
func TestRelateConfidence(t *testing.T) {
	text := "Omar Khalil was in touch with Samir Haddad. Samir Haddad met Rami Nasser in Lyon."
	a := &Analysis{Text: text, Sentences: Split(text)}
	ms := place(t, a, []spot{per("Omar Khalil"), per("Samir Haddad"), {"Samir Haddad", mosaic.Person}, per("Rami Nasser"), {"Lyon", mosaic.Location}})
	for _, r := range Relate(a, ms) {
		if !(r.Confidence > 0 && r.Confidence <= 1) {
			t.Errorf("%s: confidence %v", describe(ms, r), r.Confidence)
		}
		if r.Type == mosaic.Contact && r.Confidence != ruleConfidence[mosaic.Contact] {
			t.Errorf("%s: confidence %v, want the rules' %v", describe(ms, r), r.Confidence, ruleConfidence[mosaic.Contact])
		}
	}
}

// TestRelateLearnedSharedSpace: two mentions made of whole tokens that
// share the space between them (one ends in it, the other starts in it)
// have no words between and no cue: no panic, no learned relation.
func TestRelateLearnedSharedSpace(t *testing.T) {
	text := "Reports say John Smith Acme Corp chief spoke."
	a := &Analysis{Text: text, Sentences: Split(text)}
	i, j := strings.Index(text, "John Smith"), strings.Index(text, "Acme Corp")
	ms := []mosaic.Mention{
		{Start: i, End: i + len("John Smith "), Type: mosaic.Person, Text: text[i : i+len("John Smith ")], Sentence: a.Sentences[0].Span, Confidence: 1},
		{Start: j - 1, End: j + len("Acme Corp"), Type: mosaic.Org, Text: text[j-1 : j+len("Acme Corp")], Sentence: a.Sentences[0].Span, Confidence: 1},
	}
	for _, r := range Relate(a, ms) {
		if r.Confidence < 0 || r.Confidence > 1 {
			t.Errorf("confidence %v", r.Confidence)
		}
	}
}
