package entity

import (
	"strings"
	"testing"
)

// TestCoreferStatedAliases: the ways reporting states that an organisation
// has another name, each linking the second name to the first.
func TestCoreferStatedAliases(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		specs []string
		want  []string
	}{
		{
			name:  "acronym in brackets",
			text:  "The Islamic State of Iraq and the Levant (ISIL) held the town.",
			specs: []string{"ORG:Islamic State of Iraq and the Levant", "ORG:ISIL"},
			want:  []string{"ISIL → Islamic State of Iraq and the Levant (" + ReasonAcronym + ")"},
		},
		{
			name:  "known by its acronym as",
			text:  "ISIL, also known by its Arabic acronym as DAESH, lost ground in the spring.",
			specs: []string{"ORG:ISIL", "ORG:DAESH"},
			want:  []string{"DAESH → ISIL (" + ReasonAlias + ")"},
		},
		{
			name:  "a name inside the cue",
			text:  "ISIL, also known by its Arabic acronym as Daesh, lost ground.",
			specs: []string{"ORG:ISIL", "MISC:Arabic", "ORG:Daesh"},
			want:  []string{"Daesh → ISIL (" + ReasonAlias + ")"},
		},
		{
			name:  "a.k.a.",
			text:  "The Harbour Watch Collective a.k.a. Tide Wardens met twice.",
			specs: []string{"ORG:Harbour Watch Collective", "ORG:Tide Wardens"},
			want:  []string{"Tide Wardens → Harbour Watch Collective (" + ReasonAlias + ")"},
		},
		{
			name:  "formerly known as, across ORG and MISC",
			text:  "Brightwater Relief Fund, formerly known as the Orchard Aid Trust, moved offices.",
			specs: []string{"ORG:Brightwater Relief Fund", "MISC:Orchard Aid Trust"},
			want:  []string{"Orchard Aid Trust → Brightwater Relief Fund (" + ReasonAlias + ")"},
		},
		{
			name:  "so-called",
			text:  "Daesh, the so-called Islamic State, claimed it.",
			specs: []string{"ORG:Daesh", "ORG:Islamic State"},
			want:  []string{"Islamic State → Daesh (" + ReasonAlias + ")"},
		},
		{
			name:  "also referred to as",
			text:  "Ansar al-Thughur, also referred to as the Frontier Helpers, recruits online.",
			specs: []string{"ORG:Ansar al-Thughur", "ORG:Frontier Helpers"},
			want:  []string{"Frontier Helpers → Ansar al-Thughur (" + ReasonAlias + ")"},
		},
		{
			name:  "another name in brackets",
			text:  "The Islamic State of Iraq and the Levant (Daesh) retreated.",
			specs: []string{"ORG:Islamic State of Iraq and the Levant", "ORG:Daesh"},
			want:  []string{"Daesh → Islamic State of Iraq and the Levant (" + ReasonBracket + ")"},
		},
		{
			name:  "a place in brackets is not another name",
			text:  "The Harbour Cell (Arden) was mentioned.",
			specs: []string{"ORG:Harbour Cell", "LOCATION:Arden"},
			want:  nil,
		},
		{
			name:  "a cue in another sentence does not count",
			text:  "The Harbour Cell was disbanded. Also known as the port, Kestrel Bay is quiet; Tide Wardens remain.",
			specs: []string{"ORG:Harbour Cell", "ORG:Tide Wardens"},
			want:  nil,
		},
		{
			name:  "two groups side by side are not aliases",
			text:  "The Counter-Daesh Coalition and the Global Coalition met in Amman.",
			specs: []string{"ORG:Counter-Daesh Coalition", "ORG:Global Coalition", "LOCATION:Amman"},
			want:  nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ms := mark(t, tt.text, tt.specs...)
			got := groups(ms, Corefer(tt.text, ms))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got\n  %s\nwant\n  %s", strings.Join(got, "\n  "), strings.Join(tt.want, "\n  "))
			}
		})
	}
}

func TestStatedCue(t *testing.T) {
	for gap, want := range map[string]bool{
		"also known by its arabic acronym as": true,
		"formerly known as":                   true,
		"or the so-called":                    true,
		"which calls itself":                  true,
		"also referred to as":                 true,
		"and":                                 false,
		"met with":                            false,
		"known":                               false,
		"also known. then":                    false,
		"said it was known to work with":      false,
	} {
		if got := statedCue(gap); got != want {
			t.Errorf("statedCue(%q) = %v, want %v", gap, got, want)
		}
	}
}
