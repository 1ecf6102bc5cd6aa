package incident_test

import (
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/extract"
	"mosaic/internal/extract/ner"
	"mosaic/internal/incident"
)

var extractor = extract.New(append(extract.Patterns(), ner.Recognizer())...)

// read extracts text as ingestion does and reads its incidents, with no
// geocoder.
func read(text string, date time.Time) []mosaic.Incident {
	res := extractor.Extract(text, date)
	return incident.FromText(incident.TextDoc{
		Kind: "news", Text: text, Date: date, Sentences: res.Sentences,
		Mentions: res.Mentions, Relations: res.Relations,
	}, nil)
}

func day(s string) time.Time {
	t, _ := time.Parse("2006-01-02", s)
	return t
}

// evidenceOf returns the evidence of field, if any.
func evidenceOf(in mosaic.Incident, field string) (mosaic.IncidentEvidence, bool) {
	for _, e := range in.Evidence {
		if e.Field == field {
			return e, true
		}
	}
	return mosaic.IncidentEvidence{}, false
}

// TestFromTextNotAnAttack checks that attacks planned, threatened, called
// for or denied are not read as incidents.
func TestFromTextNotAnAttack(t *testing.T) {
	for _, text := range []string{
		"The group's spokesman called for attacks on police officers in Europe during Ramadan.",
		"Prosecutors said Daniel Harper planned to bomb a shopping centre in Leeds.",
		"He threatened to stab his neighbour during an argument last year.",
		"Detectives said the man did not attack anyone and was released without charge.",
		"Officers foiled a plot to attack a synagogue in Manchester.",
		"The minister warned that the group could carry out attacks in Britain.",
	} {
		if ins := read(text, day("2019-05-10")); len(ins) != 0 {
			t.Errorf("%q: read %d incidents (%q), want none", text, len(ins), ins[0].Summary)
		}
	}
}

// TestFromTextFields reads written news reports and checks each field and
// its evidence.
func TestFromTextFields(t *testing.T) {
	text := "A gunman shot dead three police officers at a checkpoint in Mosul on 14 March 2017, " +
		"police said. Four other officers were wounded in the attack. " +
		"The Islamic State's Nineveh Province claimed responsibility for the attack."
	ins := read(text, day("2017-03-15"))
	if len(ins) != 1 {
		t.Fatalf("%d incidents, want 1", len(ins))
	}
	in := ins[0]
	if got := in.Date.String(); got != "2017-03-14" {
		t.Errorf("date %q, want 2017-03-14", got)
	}
	if len(in.AttackTypes) != 1 || in.AttackTypes[0].ID != 2 {
		t.Errorf("attack types %v, want Armed Assault (2)", in.AttackTypes)
	}
	if len(in.WeaponTypes) != 1 || in.WeaponTypes[0].ID != 5 {
		t.Errorf("weapon types %v, want Firearms (5)", in.WeaponTypes)
	}
	if len(in.TargetTypes) != 1 || in.TargetTypes[0].ID != 3 {
		t.Errorf("target types %v, want Police (3)", in.TargetTypes)
	}
	if in.Killed != mosaic.Some(3) || in.Wounded != mosaic.Some(4) {
		t.Errorf("killed %v wounded %v, want 3 and 4", in.Killed, in.Wounded)
	}
	if in.Claimed != mosaic.Some(true) {
		t.Errorf("claimed %v, want true", in.Claimed)
	}
	if in.Attribution != mosaic.ClaimedByBranch {
		t.Errorf("attribution %q, want branch", in.Attribution)
	}
	if in.City != "Mosul" {
		t.Errorf("city %q, want Mosul as written", in.City)
	}
	if len(in.Sources) != 1 || in.Sources[0].Name != "news" {
		t.Errorf("sources %v", in.Sources)
	}
	if e, ok := evidenceOf(in, mosaic.FieldWounded); !ok || !strings.HasPrefix(e.Quote, "Four other officers") {
		t.Errorf("wounded evidence %+v, want the sentence that counts them", e)
	}
	if e, ok := evidenceOf(in, mosaic.FieldClaim); !ok || !strings.Contains(e.Quote, "claimed responsibility") {
		t.Errorf("claim evidence %+v", e)
	}
	for _, e := range in.Evidence {
		if e.Confidence <= 0 || e.Confidence > 1 || text[e.Sentence.Start:e.Sentence.End] == "" {
			t.Errorf("evidence %+v: want a sentence and a confidence in (0, 1]", e)
		}
	}
}

// TestFromTextAttribution checks the attribution classes the text states.
func TestFromTextAttribution(t *testing.T) {
	for _, tc := range []struct {
		text string
		want mosaic.Attribution
	}{
		{"Thomas Reilly stabbed two worshippers outside a church in Leeds on 2 March 2019. " +
			"Detectives said he had been inspired by the propaganda of the Islamic State.", mosaic.Inspired},
		{"Thomas Reilly stabbed two worshippers outside a church in Leeds on 2 March 2019. " +
			"Prosecutors said he acted on the orders of a commander in Raqqa.", mosaic.Directed},
		{"Thomas Reilly stabbed two worshippers outside a church in Leeds on 2 March 2019. " +
			"Detectives said he was not directed by anyone.", mosaic.AttributionUnknown},
	} {
		ins := read(tc.text, day("2019-03-03"))
		if len(ins) != 1 {
			t.Errorf("%q: %d incidents, want 1", tc.text, len(ins))
			continue
		}
		if ins[0].Attribution != tc.want {
			t.Errorf("%q: attribution %q, want %q", tc.text, ins[0].Attribution, tc.want)
		}
	}
}

// TestFromTextCasualties checks that a count the text gives is read, "no
// one was hurt" is zero and a count it does not give stays unknown.
func TestFromTextCasualties(t *testing.T) {
	for _, tc := range []struct {
		text            string
		killed, wounded mosaic.Known[int]
	}{
		{"A car bomb exploded outside a bank in Kirkuk on 5 June 2015, killing nine people and wounding 20.",
			mosaic.Some(9), mosaic.Some(20)},
		{"Arsonists set fire to a mosque in Dresden on 3 October 2016. No one was hurt.",
			mosaic.Some(0), mosaic.Some(0)},
		{"Gunmen attacked a hotel in Bamako on 20 November 2015.", mosaic.Known[int]{}, mosaic.Known[int]{}},
	} {
		ins := read(tc.text, time.Time{})
		if len(ins) != 1 {
			t.Errorf("%q: %d incidents, want 1", tc.text, len(ins))
			continue
		}
		if ins[0].Killed != tc.killed || ins[0].Wounded != tc.wounded {
			t.Errorf("%q: killed %v wounded %v, want %v and %v", tc.text, ins[0].Killed, ins[0].Wounded, tc.killed, tc.wounded)
		}
	}
}

// TestFromTextDoubt checks that a report calling an attack not terrorism
// sets GTD's doubt.
func TestFromTextDoubt(t *testing.T) {
	ins := read("A man was stabbed outside a nightclub in Cardiff on 12 August 2018. "+
		"Police said the incident was not terrorism-related.", time.Time{})
	if len(ins) != 1 || ins[0].Doubt != mosaic.Some(true) {
		t.Fatalf("incidents %+v, want one with doubt", ins)
	}
}

// TestFromTextSeveralAttacks checks that a list of dated attacks is one
// incident each, and sentences about one attack are one.
func TestFromTextSeveralAttacks(t *testing.T) {
	text := "On 4 May 2018 Mark Ellison stabbed a police officer in Hull. The officer was taken to hospital. " +
		"On 9 June 2018 Peter Doyle shot two guards at a bank in Leeds."
	ins := read(text, day("2018-07-01"))
	if len(ins) != 2 {
		t.Fatalf("%d incidents, want 2", len(ins))
	}
	for i, want := range []string{"2018-05-04", "2018-06-09"} {
		if got := ins[i].Date.String(); got != want {
			t.Errorf("incident %d: date %s, want %s", i, got, want)
		}
	}
}

// FuzzFromText reads any text: no panic, and every evidence sentence and
// actor mention lies in the text.
func FuzzFromText(f *testing.F) {
	f.Add("A gunman shot dead three police officers at a checkpoint in Mosul on 14 March 2017.")
	f.Add("No one was hurt. The group claimed responsibility, inspired by nobody, on the orders of")
	f.Add("On 4 May 2018 Mark Ellison stabbed a police officer in Hull. On 9 June he was charged.")
	f.Fuzz(func(t *testing.T, text string) {
		for _, in := range read(text, day("2018-07-01")) {
			for _, e := range in.Evidence {
				if e.Sentence.Start < 0 || e.Sentence.End > len(text) || e.Sentence.Start > e.Sentence.End {
					t.Fatalf("evidence %+v outside a text of %d bytes", e, len(text))
				}
			}
			for _, a := range in.Actors {
				if a.Mention.Start < 0 || a.Mention.End > len(text) {
					t.Fatalf("actor %+v outside a text of %d bytes", a, len(text))
				}
			}
		}
	})
}
