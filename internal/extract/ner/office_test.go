package ner

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/extract"
)

// spanText renders spans as "KIND words" for comparisons.
func spanText(spans []Span, words []string) []string {
	var out []string
	for _, sp := range spans {
		out = append(out, fmt.Sprintf("%s %s", sp.Kind, strings.Join(words[sp.Start:sp.End], " ")))
	}
	return out
}

// findSpan returns the span of the first occurrence of phrase in words.
func findSpan(words []string, phrase string, k Kind) Span {
	p := strings.Fields(phrase)
	for i := 0; i+len(p) <= len(words); i++ {
		if slices.Equal(words[i:i+len(p)], p) {
			return Span{Start: i, End: i + len(p), Kind: k, Confidence: 0.9}
		}
	}
	panic("test bug: " + phrase + " not in the sentence")
}

// TestTrimOffices feeds the spans a tagger gets wrong on real reporting —
// an office swept into a name — and checks that only the name is left.
// The names are invented.
func TestTrimOffices(t *testing.T) {
	lx := embeddedModel(t).lex
	type in struct {
		phrase string
		kind   Kind
	}
	for _, tc := range []struct {
		name     string
		sentence string
		spans    []in
		want     []string
	}{
		{"portfolio swept in", "Secretary of State Marguerite Oyelaran arrived .", []in{{"State Marguerite Oyelaran", PER}}, []string{"PER Marguerite Oyelaran"}},
		{"whole office inside", "Secretary of State Marguerite Oyelaran arrived .", []in{{"Secretary of State Marguerite Oyelaran", PER}}, []string{"PER Marguerite Oyelaran"}},
		{"office for a region", "The Minister for the Middle East Callum Ardsworth said so .", []in{{"Middle East Callum Ardsworth", PER}}, []string{"LOC Middle East", "PER Callum Ardsworth"}},
		{"region typed as place", "The Minister for the Middle East Callum Ardsworth said so .", []in{{"Middle East Callum Ardsworth", LOC}}, []string{"LOC Middle East", "PER Callum Ardsworth"}},
		{"office of a country", "Minister of Defence of Norway Hedda Brennvik spoke .", []in{{"Defence of Norway Hedda Brennvik", PER}}, []string{"LOC Norway", "PER Hedda Brennvik"}},
		{"two titles", "Foreign Minister Teodor Vasquell spoke .", []in{{"Foreign Minister Teodor Vasquell", PER}}, []string{"PER Teodor Vasquell"}},
		{"prime minister", "Prime Minister Halvard Rennick spoke .", []in{{"Prime Minister Halvard Rennick", PER}}, []string{"PER Halvard Rennick"}},
		{"abbreviated title", "Col. Yusra Benmansour led it .", []in{{"Col. Yusra Benmansour", PER}}, []string{"PER Yusra Benmansour"}},
		{"sheikh", "Sheikh Idris al-Fahdawi spoke .", []in{{"Sheikh Idris al-Fahdawi", PER}}, []string{"PER Idris al-Fahdawi"}},
		{"lower-case role", "a spokesman Piet Haverkamp said .", []in{{"spokesman Piet Haverkamp", PER}}, []string{"PER Piet Haverkamp"}},
		{"envoy to a country", "the Special Envoy to Syria Ilse Marburg said .", []in{{"Syria Ilse Marburg", PER}}, []string{"LOC Syria", "PER Ilse Marburg"}},
		{"honorifics and post-nominals", "the Rt Hon Marcus Feldane MP said .", []in{{"Rt Hon Marcus Feldane MP", PER}}, []string{"PER Marcus Feldane"}},
		{"portfolio first", "Armed Forces Minister Tomas Brelling visited .", []in{{"Armed Forces Minister Tomas Brelling", PER}}, []string{"PER Tomas Brelling"}},
		{"portfolio first, typed ORG", "Armed Forces Minister Tomas Brelling visited .", []in{{"Armed Forces Minister Tomas Brelling", ORG}}, []string{"PER Tomas Brelling"}},
		{"rank of several words", "Air Chief Marshal Sir Evan Cardew said .", []in{{"Air Chief Marshal Sir Evan Cardew", PER}}, []string{"PER Evan Cardew"}},
		{"place first", "Middle East Minister Callum Ardsworth said .", []in{{"Middle East Minister Callum Ardsworth", PER}}, []string{"LOC Middle East", "PER Callum Ardsworth"}},
		{"a place and a name stay", "Paris Hilton said .", []in{{"Paris Hilton", PER}}, []string{"PER Paris Hilton"}},
		{"an organisation with a title inside stays", "the Home Office Minister Council met .", []in{{"Home Office Minister Council", ORG}}, []string{"ORG Home Office Minister Council"}},
		{"a lone surname stays", "General Okafor said .", []in{{"General Okafor", PER}}, []string{"PER Okafor"}},
		{"a title alone stays", "the President said .", []in{{"President", PER}}, []string{"PER President"}},
		{"organisation untouched", "the Ministry of Defence said .", []in{{"Ministry of Defence", ORG}}, []string{"ORG Ministry of Defence"}},
		{"organisation after an office untouched", "Secretary of State for Northern Resources Agency staff .", []in{{"Northern Resources Agency", ORG}}, []string{"ORG Northern Resources Agency"}},
		{"company named for a title", "General Dynamo Works rose .", []in{{"General Dynamo Works", ORG}}, []string{"ORG General Dynamo Works"}},
		{"place named for a title", "in General Arenas town .", []in{{"General Arenas", LOC}}, []string{"LOC General Arenas"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			words := strings.Fields(tc.sentence)
			var spans []Span
			for _, s := range tc.spans {
				spans = append(spans, findSpan(words, s.phrase, s.kind))
			}
			got := spanText(trimOffices(spans, words, lx), words)
			if !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

// spanCase is a sentence, the spans the tagger found ("KIND words"), and the
// spans it should return.
type spanCase struct {
	sentence string
	spans    []string
	want     []string
}

// runSpanCases runs a post-tagging step over each case.
func runSpanCases(t *testing.T, step func([]Span, []string) []Span, cases []spanCase) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.sentence, func(t *testing.T) {
			words := strings.Fields(tc.sentence)
			var spans []Span
			for _, s := range tc.spans {
				k, p, _ := strings.Cut(s, " ")
				kind, _ := kindOf(k)
				spans = append(spans, findSpan(words, p, kind))
			}
			if got := spanText(step(spans, words), words); !slices.Equal(got, tc.want) {
				t.Errorf("got %q, want %q", got, tc.want)
			}
		})
	}
}

func TestShipNames(t *testing.T) {
	runSpanCases(t, shipNames, []spanCase{
		{"The frigate HMS Wexcombe sailed .", []string{"PER Wexcombe"}, []string{"MISC HMS Wexcombe"}},
		{"USS Tallowbrook and HMS Prince of Orkney met .", []string{"ORG USS Tallowbrook", "PER Prince of Orkney"}, []string{"MISC USS Tallowbrook", "MISC HMS Prince of Orkney"}},
		{"the MV Grey Heron was seized .", nil, []string{"MISC MV Grey Heron"}},
		{"the HMS said so .", nil, nil},
		{"INS Hafner arrived .", []string{"PER Hafner"}, []string{"PER Hafner"}},
	})
}

func TestJoinSplitNames(t *testing.T) {
	lx := embeddedModel(t).lex
	runSpanCases(t, func(spans []Span, words []string) []Span { return joinSplitNames(spans, words, lx) }, []spanCase{
		{"the Islamic Front of Arvenia and the Northlands ( IFAN ) said", []string{"ORG Islamic Front of Arvenia", "LOC Northlands", "ORG IFAN"},
			[]string{"ORG Islamic Front of Arvenia and the Northlands", "ORG IFAN"}},
		{"the Union for Peace and Renewal ( UPR ) met", []string{"ORG Union for Peace", "ORG UPR"},
			[]string{"ORG Union for Peace and Renewal", "ORG UPR"}},
		{"the Liberation Council and Co-operation Bureau ( LCCB ) met", []string{"ORG Liberation Council", "ORG Co-operation Bureau", "ORG LCCB"},
			[]string{"ORG Liberation Council and Co-operation Bureau", "ORG LCCB"}},
		// No evidence: two organisations stay two.
		{"the Harbour Police and the Coast Guard arrived", []string{"ORG Harbour Police", "ORG Coast Guard"},
			[]string{"ORG Harbour Police", "ORG Coast Guard"}},
		// An acronym that does not match.
		{"the Harbour Police and the Coast Guard ( HPX ) arrived", []string{"ORG Harbour Police", "ORG Coast Guard"},
			[]string{"ORG Harbour Police", "ORG Coast Guard"}},
		// The OFAC gazetteer lists the joined name.
		{"fighters of the Islamic State of Iraq and Syria attacked", []string{"ORG Islamic State of Iraq", "LOC Syria"},
			[]string{"ORG Islamic State of Iraq and Syria"}},
	})
}

func TestJoinModifiedNames(t *testing.T) {
	runSpanCases(t, joinModifiedNames, []spanCase{
		{"aircraft of the Counter-Vanguard Coalition struck", []string{"MISC Counter-Vanguard", "ORG Coalition"},
			[]string{"ORG Counter-Vanguard Coalition"}},
		{"the Anti - Vanguard Brigade said", []string{"MISC Anti - Vanguard", "ORG Brigade"},
			[]string{"ORG Anti - Vanguard Brigade"}},
		// Not adjacent, or not a relational compound: left alone.
		{"Counter-Vanguard forces and the Coalition", []string{"MISC Counter-Vanguard", "ORG Coalition"},
			[]string{"MISC Counter-Vanguard", "ORG Coalition"}},
		{"the Northern Vanguard Coalition met", []string{"MISC Northern", "ORG Vanguard Coalition"},
			[]string{"MISC Northern", "ORG Vanguard Coalition"}},
		{"Pro-Vanguard Ilse Marten spoke", []string{"MISC Pro-Vanguard", "PER Ilse Marten"},
			[]string{"MISC Pro-Vanguard", "PER Ilse Marten"}},
	})
}

func TestAcronymOrgs(t *testing.T) {
	runSpanCases(t, acronymOrgs, []spanCase{
		{"the Harbour Defence Units ( HDU ) clashed", []string{"MISC Harbour Defence Units", "ORG HDU"},
			[]string{"ORG Harbour Defence Units", "ORG HDU"}},
		// An acronym that does not match, or none: the reading stays.
		{"the Harbour Defence Units ( YPG ) clashed", []string{"MISC Harbour Defence Units", "ORG YPG"},
			[]string{"MISC Harbour Defence Units", "ORG YPG"}},
		{"the Harbour Defence Units clashed", []string{"MISC Harbour Defence Units"},
			[]string{"MISC Harbour Defence Units"}},
	})
}

// TestRealTextConventions runs the whole recogniser over invented
// sentences in the style of official statements, press releases and
// broadcast transcripts.
func TestRealTextConventions(t *testing.T) {
	type want struct {
		text string
		typ  mosaic.MentionType
	}
	ex := extract.New(Recognizer())
	for _, tc := range []struct {
		name   string
		text   string
		want   []want
		absent []string
	}{
		{
			name:   "offices",
			text:   "Secretary of State Marguerite Oyelaran met Foreign Minister Teodor Vasquell and the Minister for the Middle East Callum Ardsworth in Geneva.",
			want:   []want{{"Marguerite Oyelaran", mosaic.Person}, {"Teodor Vasquell", mosaic.Person}, {"Callum Ardsworth", mosaic.Person}},
			absent: []string{"State Marguerite Oyelaran", "Middle East Callum Ardsworth"},
		},
		{
			name: "international bodies",
			text: "The UN and NATO condemned the strike, and the EU called for restraint.",
			want: []want{{"UN", mosaic.Org}, {"NATO", mosaic.Org}, {"EU", mosaic.Org}},
		},
		{
			name: "ships",
			text: "The Type 23 frigate HMS Wexcombe escorted the tanker while USS Tallowbrook stood off the coast.",
			want: []want{{"HMS Wexcombe", mosaic.Misc}, {"USS Tallowbrook", mosaic.Misc}},
		},
		{
			name: "name split at and",
			text: "The Islamic Front of Arvenia and the Levant (IFAL) claimed the attack on Tuesday.",
			want: []want{{"Islamic Front of Arvenia and the Levant", mosaic.Org}, {"IFAL", mosaic.Org}},
		},
		{
			name:   "record fields",
			text:   "Interviewee: Tariq NOURI (DOB 02/03/1991), a member of Ansar al-Qasimiya.",
			want:   []want{{"Ansar al-Qasimiya", mosaic.Org}},
			absent: []string{"DOB"},
		},
		{
			name: "transcript",
			text: "ANCHOR: good evening. tonight, the man behind the attacks.\n" +
				"REPORTER: investigators now say Salim Vandekerk planned it all from syria.\n" +
				"ANCHOR: and vandekerk was known to police?\n" +
				"REPORTER: yes. Vandekerk had been convicted in 2013, and Vandekerk's brother was arrested last week.\n" +
				"ANCHOR: is Vandekerk still alive?\n",
			want: []want{{"Salim Vandekerk", mosaic.Person}, {"vandekerk", mosaic.Person}, {"Vandekerk", mosaic.Person}},
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			res := ex.Extract(tc.text, time.Time{})
			checkMentions(t, tc.text, res.Mentions)
			for _, w := range tc.want {
				found := false
				for _, m := range res.Mentions {
					if m.Text == w.text {
						found = true
						if m.Type != w.typ {
							t.Errorf("%q: %s, want %s", w.text, m.Type, w.typ)
						}
					}
				}
				if !found {
					t.Errorf("no mention %q; got %s", w.text, describe(res.Mentions))
				}
			}
			for _, a := range tc.absent {
				for _, m := range res.Mentions {
					if m.Text == a {
						t.Errorf("%q should not be a mention", a)
					}
				}
			}
		})
	}
}

func TestArabicOrgs(t *testing.T) {
	runSpanCases(t, arabicOrgs, []spanCase{
		{"he joined Ansar al-Qasimiya last year", []string{"ORG Ansar", "ORG al-Qasimiya"}, []string{"ORG Ansar al-Qasimiya"}},
		{"he joined Ansar al-Qasimiya last year", []string{"LOC Ansar al-Qasimiya"}, []string{"ORG Ansar al-Qasimiya"}},
		{"a unit of Jama'at Ansar al-Qasimiya said", []string{"ORG Jama'at", "PER Ansar al-Qasimiya"}, []string{"ORG Jama'at Ansar al-Qasimiya"}},
		{"fighters of Jabhat Fatah al-Rumaila attacked", nil, []string{"ORG Jabhat Fatah al-Rumaila"}},
		{"the Liwa al-Sahil Media Office said", []string{"ORG Liwa al-Sahil Media Office"}, []string{"ORG Liwa al-Sahil Media Office"}},
		// No Arabic name after the head: left to the model.
		{"Ansar Mahmoud spoke", []string{"PER Ansar Mahmoud"}, []string{"PER Ansar Mahmoud"}},
		{"the ansar al-din were", nil, nil},
	})
}

func TestDashesAndPrepositions(t *testing.T) {
	runSpanCases(t, func(spans []Span, words []string) []Span {
		return trimPrepositions(cutAtDashes(spans, words), words)
	}, []spanCase{
		{"NORTHERN VALE — Coalition forces struck", []string{"ORG NORTHERN VALE — Coalition"}, []string{"ORG NORTHERN VALE", "ORG Coalition"}},
		{"Near Kharabat , four strikes", []string{"PER Near Kharabat"}, []string{"PER Kharabat"}},
		{"Outside Velmora Airport , troops", []string{"LOC Outside Velmora Airport"}, []string{"LOC Velmora Airport"}},
		{"In said so", []string{"PER In"}, []string{"PER In"}},
		{"the Harbour -- Brigade", []string{"ORG Harbour -- Brigade"}, []string{"ORG Harbour", "ORG Brigade"}},
	})
}
