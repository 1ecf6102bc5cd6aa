package entity

import (
	"fmt"
	"strings"
	"testing"

	"mosaic"
)

// mark builds the mentions of text from "TYPE:surface" specs, marking each
// surface at its next occurrence that overlaps no mention marked already.
func mark(t *testing.T, text string, specs ...string) []mosaic.Mention {
	t.Helper()
	var ms []mosaic.Mention
	overlaps := func(start, end int) bool {
		for _, m := range ms {
			if start < m.End && m.Start < end {
				return true
			}
		}
		return false
	}
	for _, spec := range specs {
		typ, surface, _ := strings.Cut(spec, ":")
		start := -1
		for from := 0; ; {
			i := strings.Index(text[from:], surface)
			if i < 0 {
				t.Fatalf("fixture: no free occurrence of %q", surface)
			}
			if !overlaps(from+i, from+i+len(surface)) {
				start = from + i
				break
			}
			from += i + 1
		}
		ms = append(ms, mosaic.Mention{Start: start, End: start + len(surface), Type: mosaic.MentionType(typ), Text: surface})
	}
	// Extraction returns mentions in text order.
	for i := 1; i < len(ms); i++ {
		for j := i; j > 0 && ms[j].Start < ms[j-1].Start; j-- {
			ms[j], ms[j-1] = ms[j-1], ms[j]
		}
	}
	return ms
}

// groups renders the coreference result as "name → antecedent (reason)".
func groups(ms []mosaic.Mention, links []Link) []string {
	var out []string
	for _, l := range links {
		out = append(out, fmt.Sprintf("%s → %s (%s)", ms[l.From].Text, ms[l.To].Text, l.Reason))
	}
	return out
}

func TestCorefer(t *testing.T) {
	tests := []struct {
		name  string
		text  string
		specs []string
		want  []string
	}{
		{
			name:  "surname and first name alone",
			text:  "Our correspondent Hannah Moretti is in Digbeth. Hannah, what happened? Moretti said the police were there.",
			specs: []string{"PERSON:Hannah Moretti", "LOCATION:Digbeth", "PERSON:Hannah", "PERSON:Moretti"},
			want:  []string{"Hannah → Hannah Moretti (" + ReasonGiven + ")", "Moretti → Hannah Moretti (" + ReasonSurname + ")"},
		},
		{
			name:  "speaker labels before and after the introduction",
			text:  "VANDAMME: Good evening, I'm Mireille Vandamme.\nHOST: Welcome.\nVANDAMME: Thank you.",
			specs: []string{"PERSON:VANDAMME", "PERSON:Mireille Vandamme", "PERSON:VANDAMME"},
			want:  []string{"VANDAMME → Mireille Vandamme (" + ReasonLabel + ")", "VANDAMME → Mireille Vandamme (" + ReasonLabel + ")"},
		},
		{
			name:  "surname with an Arabic article",
			text:  "Abdelkader el-Haddouchi left Brussels in May. Haddouchi returned in June.",
			specs: []string{"PERSON:Abdelkader el-Haddouchi", "LOCATION:Brussels", "PERSON:Haddouchi"},
			want:  []string{"Haddouchi → Abdelkader el-Haddouchi (" + ReasonSurname + ")"},
		},
		{
			name:  "the most recent full name wins",
			text:  "Youssef el-Haddouchi runs a phone shop. His brother Abdelkader el-Haddouchi does not. Haddouchi was seen there.",
			specs: []string{"PERSON:Youssef el-Haddouchi", "PERSON:Abdelkader el-Haddouchi", "PERSON:Haddouchi"},
			want:  []string{"Haddouchi → Abdelkader el-Haddouchi (" + ReasonSurname + ")"},
		},
		{
			name:  "acronym in brackets",
			text:  "Jama'at Ansar al-Thughur (JAT) claimed the attack. JAT later denied it.",
			specs: []string{"ORG:Jama'at Ansar al-Thughur", "ORG:JAT", "ORG:JAT"},
			want:  []string{"JAT → Jama'at Ansar al-Thughur (" + ReasonAcronym + ")", "JAT → Jama'at Ansar al-Thughur (" + ReasonRepeated + ")"},
		},
		{
			name:  "acronym that does not fit is not linked",
			text:  "The Harbour Cell (SDF) was mentioned.",
			specs: []string{"ORG:Harbour Cell", "ORG:SDF"},
			want:  nil,
		},
		{
			name:  "alias stated in the text",
			text:  "Abdelkader el-Haddouchi, also known as Abu Sulayman al-Rifi, recruits online. Abu Sulayman answered.",
			specs: []string{"PERSON:Abdelkader el-Haddouchi", "PERSON:Abu Sulayman al-Rifi", "PERSON:Abu Sulayman"},
			want: []string{
				"Abu Sulayman al-Rifi → Abdelkader el-Haddouchi (" + ReasonAlias + ")",
				"Abu Sulayman → Abdelkader el-Haddouchi (" + ReasonPart + ")",
			},
		},
		{
			name:  "shorter organisation name",
			text:  "Jama'at Ansar al-Thughur issued a statement. Ansar al-Thughur said the attacker was a member.",
			specs: []string{"ORG:Jama'at Ansar al-Thughur", "ORG:Ansar al-Thughur"},
			want:  []string{"Ansar al-Thughur → Jama'at Ansar al-Thughur (" + ReasonPart + ")"},
		},
		{
			name:  "titles are not names",
			text:  "Foreign Secretary Jane Okafor spoke. Okafor said more.",
			specs: []string{"PERSON:Jane Okafor", "PERSON:Okafor"},
			want:  []string{"Okafor → Jane Okafor (" + ReasonSurname + ")"},
		},
		{
			name:  "different people who share nothing stay apart",
			text:  "Karim Bouzidi met Ilias Ouahbi. Nadia said nothing.",
			specs: []string{"PERSON:Karim Bouzidi", "PERSON:Ilias Ouahbi", "PERSON:Nadia"},
			want:  nil,
		},
		{
			name:  "types must agree",
			text:  "Jordan Hale travelled to Jordan.",
			specs: []string{"PERSON:Jordan Hale", "LOCATION:Jordan"},
			want:  nil,
		},
		{
			// A place inside a longer place's name is another place: the
			// town and its county, the city and its palace.
			name:  "a place is not short for a longer place",
			text:  "The Ostvik County council met in Ostvik. Ostvik County voted; Ostvik did not.",
			specs: []string{"LOCATION:Ostvik County", "LOCATION:Ostvik", "LOCATION:Ostvik County", "LOCATION:Ostvik"},
			want:  []string{"Ostvik County → Ostvik County (" + ReasonRepeated + ")", "Ostvik → Ostvik (" + ReasonRepeated + ")"},
		},
		{
			name:  "two people joined by or are not aliases",
			text:  "Either Karim Bouzidi or Ilias Ouahbi sent it.",
			specs: []string{"PERSON:Karim Bouzidi", "PERSON:Ilias Ouahbi"},
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

func TestIsAcronymOf(t *testing.T) {
	for _, c := range []struct {
		short, long string
		want        bool
	}{
		{"JAT", "Jama'at Ansar al-Thughur", true},
		{"ISIL", "Islamic State of Iraq and the Levant", true},
		{"ISIS", "Islamic State of Iraq and Syria", true},
		{"SDF", "Syrian Democratic Forces", true},
		{"SDF", "Harbour Cell", false},
		{"A", "Alpha", false},
	} {
		if got := isAcronymOf(c.short, c.long); got != c.want {
			t.Errorf("isAcronymOf(%q, %q) = %v, want %v", c.short, c.long, got, c.want)
		}
	}
}

func FuzzCorefer(f *testing.F) {
	f.Add("Hannah Moretti met Moretti (HM). Hannah, also known as H, left.", 3)
	f.Fuzz(func(t *testing.T, text string, n int) {
		// Mentions: every run of capitalised words, as a tagger might mark.
		var ms []mosaic.Mention
		types := []mosaic.MentionType{mosaic.Person, mosaic.Org}
		for i, w := range strings.Fields(text) {
			start := strings.Index(text, w)
			if start < 0 || len(ms) > 0 && start < ms[len(ms)-1].End {
				continue
			}
			ms = append(ms, mosaic.Mention{Start: start, End: start + len(w), Type: types[(i+n)&1], Text: w})
		}
		links := Corefer(text, ms)
		seen := map[int]bool{}
		for _, l := range links {
			if l.From < 0 || l.From >= len(ms) || l.To < 0 || l.To >= len(ms) || l.From == l.To || seen[l.From] {
				t.Fatalf("bad link %+v among %d mentions", l, len(ms))
			}
			seen[l.From] = true
			// Across types only an organisation's or other name to a
			// person's (a surname the tagger typed ORG), or between an
			// organisation's and an other name (its alias typed MISC).
			from, to := ms[l.From].Type, ms[l.To].Type
			orgOrMisc := func(t mosaic.MentionType) bool { return t == mosaic.Org || t == mosaic.Misc }
			if from != to && !(orgOrMisc(from) && (to == mosaic.Person || orgOrMisc(to))) {
				t.Fatalf("link across types: %+v", l)
			}
		}
	})
}
