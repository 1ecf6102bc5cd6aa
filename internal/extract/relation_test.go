package extract

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"unicode"

	"mosaic"
)

// The people, groups and numbers in these tests are made up.

// spot is a mention to place by hand: the text, with "#2" to take its
// second occurrence, and the type.
type spot struct {
	text string
	typ  mosaic.MentionType
}

func per(s string) spot { return spot{s, mosaic.Person} }
func org(s string) spot { return spot{s, mosaic.Org} }
func loc(s string) spot { return spot{s, mosaic.Location} }

// place returns the mentions of spots in text, sorted, with their sentences,
// as Extract would hand them to Relate.
func place(t testing.TB, a *Analysis, spots []spot) []mosaic.Mention {
	t.Helper()
	var ms []mosaic.Mention
	for _, s := range spots {
		text, nth := s.text, 1
		if i := strings.LastIndex(text, "#"); i > 0 {
			fmt.Sscan(text[i+1:], &nth)
			text = text[:i]
		}
		at := -1
		for n, from := 0, 0; n < nth; n++ {
			i := strings.Index(a.Text[from:], text)
			if i < 0 {
				t.Fatalf("%q: no occurrence %d of %q", a.Text, nth, text)
			}
			at, from = from+i, from+i+len(text)
		}
		m := mosaic.Mention{Start: at, End: at + len(text), Type: s.typ, Text: text, Confidence: 1}
		m.Sentence = sentenceAround(a.Sentences, m.Span())
		ms = append(ms, m)
	}
	slices.SortFunc(ms, func(x, y mosaic.Mention) int { return x.Start - y.Start })
	return ms
}

// describe writes a typed relation as `type From -> To [neg] [hedged]
// "cue"`, and a co-occurrence as `~ From -> To [neg] [hedged]`.
func describe(ms []mosaic.Mention, r mosaic.Relation) string {
	var b strings.Builder
	if r.Type == mosaic.CoOccur {
		b.WriteString("~")
	} else {
		b.WriteString(string(r.Type))
	}
	fmt.Fprintf(&b, " %s -> %s", ms[r.From].Text, ms[r.To].Text)
	if r.Negated {
		b.WriteString(" neg")
	}
	if r.Hedged {
		b.WriteString(" hedged")
	}
	if r.Type != mosaic.CoOccur {
		fmt.Fprintf(&b, " %q", r.Cue)
	}
	return b.String()
}

// relate runs the rules alone: these tests pin what each rule finds, and
// the classifier, which types some of the pairs they leave, is tested in
// relation_model_test.go and on the sample case.
func relate(t testing.TB, text string, spots []spot) ([]mosaic.Mention, []mosaic.Relation) {
	t.Helper()
	a := &Analysis{Text: text, Sentences: Split(text)}
	ms := place(t, a, spots)
	return ms, RelateWith(a, ms, nil)
}

func typed(ms []mosaic.Mention, rels []mosaic.Relation) []string {
	out := []string{}
	for _, r := range rels {
		if r.Type != mosaic.CoOccur {
			out = append(out, describe(ms, r))
		}
	}
	return out
}

func TestRelate(t *testing.T) {
	omar, samir, rami := per("Omar Khalil"), per("Samir Haddad"), per("Rami Nasser")
	front := org("Northern Front")
	lyon, syria := loc("Lyon"), loc("Syria")
	tests := []struct {
		name  string
		text  string
		spots []spot
		want  []string
	}{
		// Contact, and how it is denied or hedged.
		{"call", "Omar Khalil called Samir Haddad twice in March.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad "called"`}},
		{"called as naming", "A man called Samir Haddad was arrested in Lyon.", []spot{samir, lyon}, nil},
		{"held talks", "Omar Khalil held talks with Samir Haddad in Lyon on Tuesday.", []spot{omar, samir, lyon},
			[]string{`contact Omar Khalil -> Samir Haddad "held talks with"`}},
		{"hosted", "Omar Khalil hosted Samir Haddad and Rami Nasser.", []spot{omar, samir, rami},
			[]string{`contact Omar Khalil -> Samir Haddad "hosted"`, `contact Omar Khalil -> Rami Nasser "hosted"`}},
		{"hosted by", "Samir Haddad was hosted by Omar Khalil.", []spot{samir, omar},
			[]string{`contact Omar Khalil -> Samir Haddad "was hosted by"`}},
		{"called for", "Rami Nasser called for attacks on Omar Khalil.", []spot{rami, omar}, nil},
		{"in touch", "Omar Khalil was in touch with Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad "was in touch with"`}},
		{"not in touch", "Omar Khalil was not in touch with Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad neg "was not in touch with"`}},
		{"never met", "Omar Khalil never met Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad neg "never met"`}},
		{"did not call", "Omar Khalil did not call Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad neg "did not call"`}},
		{"denied meeting", "Omar Khalil denied meeting Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad neg "denied meeting"`}},
		{"no contact", "Omar Khalil had no contact with Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad neg "had no contact with"`}},
		{"allegedly", "Omar Khalil allegedly met Samir Haddad in Lyon.", []spot{omar, samir, lyon},
			[]string{`contact Omar Khalil -> Samir Haddad hedged "allegedly met"`}},
		{"believed to", "Omar Khalil is believed to have phoned Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad hedged "is believed to have phoned"`}},
		{"may have", "Omar Khalil may have e-mailed Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad hedged "may have e-mailed"`}},
		{"unconfirmed", "According to unconfirmed reports, Omar Khalil met Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad hedged "met"`}},
		{"suspect that", "Police suspect that Omar Khalil met Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad hedged "met"`}},
		{"the suspect", "The suspect, Omar Khalil, met Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad "met"`}},
		{"assesses that", "The service assesses that Omar Khalil met Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad hedged "met"`}},
		{"question", "Did Omar Khalil meet Samir Haddad?", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad hedged "meet"`}},
		{"question hedges", "Omar Khalil met Samir Haddad?", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad hedged "met"`}},
		{"hedge stays in its clause", "Omar Khalil allegedly met Samir Haddad, who called Rami Nasser.",
			[]spot{omar, samir, rami}, []string{
				`contact Omar Khalil -> Samir Haddad hedged "allegedly met"`,
				`contact Samir Haddad -> Rami Nasser "called"`,
			}},
		{"may the month", "Omar Khalil met Samir Haddad in May.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad "met"`}},
		{"future", "Omar Khalil will meet Samir Haddad in Lyon.", []spot{omar, samir, lyon},
			[]string{`contact Omar Khalil -> Samir Haddad hedged "will meet"`}},
		{"hedge in a quotation", `"It may rain," Omar Khalil told Samir Haddad, who called Rami Nasser.`,
			[]spot{omar, samir, rami}, []string{`contact Samir Haddad -> Rami Nasser "called"`}},
		{"called a name", `The paper called "Samir Haddad" a great novel.`, []spot{org("paper"), samir}, nil},
		{"called up", "Rami Nasser called up Omar Khalil for the squad.", []spot{rami, omar}, nil},
		{"called someone something", "Omar Khalil called Samir Haddad a cheat.", []spot{omar, samir}, nil},
		{"modified object", "Omar Khalil wrote to Front campaign manager Samir Haddad.", []spot{omar, org("Front"), samir},
			[]string{`contact Omar Khalil -> Samir Haddad "wrote to"`}},

		// Coordination.
		{"coordinated subjects", "Omar Khalil and Samir Haddad met Rami Nasser.", []spot{omar, samir, rami},
			[]string{`contact Omar Khalil -> Rami Nasser "met"`, `contact Samir Haddad -> Rami Nasser "met"`}},
		{"coordinated objects", "Omar Khalil met Samir Haddad and Rami Nasser.", []spot{omar, samir, rami},
			[]string{`contact Omar Khalil -> Samir Haddad "met"`, `contact Omar Khalil -> Rami Nasser "met"`}},
		{"met each other", "Omar Khalil and Samir Haddad met in Lyon.", []spot{omar, samir, lyon},
			[]string{`contact Omar Khalil -> Samir Haddad "met"`}},
		{"met each other, titled", "President Omar Khalil and Interior Minister Samir Haddad met in Lyon.", []spot{omar, samir, lyon},
			[]string{`contact Omar Khalil -> Samir Haddad "met"`}},
		{"received a visitor", "Omar Khalil received Samir Haddad in Lyon.", []spot{omar, samir, lyon},
			[]string{`contact Omar Khalil -> Samir Haddad "received"`}},
		{"received a call from is no visit", "Omar Khalil received a call from Lyon.", []spot{omar, lyon}, nil},
		{"spoke by phone", "Omar Khalil spoke by phone with Samir Haddad on Tuesday.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad "spoke by phone with"`}},
		{"held a call", "Omar Khalil held a call with Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad "held a call with"`}},
		{"or any member of", "Omar Khalil was not in touch with Samir Haddad or any member of the Northern Front.",
			[]spot{omar, samir, front}, []string{
				`contact Omar Khalil -> Samir Haddad neg "was not in touch with"`,
				`contact Omar Khalil -> Northern Front neg "was not in touch with"`,
			}},
		{"shared subject", "Omar Khalil travelled to Lyon and returned from Syria in 2015.", []spot{omar, lyon, syria},
			[]string{`travel Omar Khalil -> Lyon "travelled to"`, `travel Omar Khalil -> Syria "returned from"`}},

		// Clauses.
		{"reporting verb", "Police reporting states that Rami Nasser ordered Omar Khalil to act.",
			[]spot{org("Police"), rami, omar}, []string{`command Rami Nasser -> Omar Khalil "ordered"`}},
		{"relative clause", "Omar Khalil met Samir Haddad, who called Rami Nasser.", []spot{omar, samir, rami},
			[]string{`contact Omar Khalil -> Samir Haddad "met"`, `contact Samir Haddad -> Rami Nasser "called"`}},
		{"adjunct is no object", "Omar Khalil met Samir Haddad at the home of Rami Nasser.", []spot{omar, samir, rami},
			[]string{`contact Omar Khalil -> Samir Haddad "met"`}},
		{"apposition subject", "Omar Khalil, 31, from Lyon, attacked Samir Haddad.", []spot{omar, lyon, samir},
			[]string{`location Omar Khalil -> Lyon "from"`, `attack Omar Khalil -> Samir Haddad "attacked"`}},
		{"no subject", "The report on Omar Khalil mentions Samir Haddad.", []spot{omar, samir}, nil},
		{"noun before verb is no subject", "A friend of Omar Khalil met Samir Haddad.", []spot{omar, samir}, nil},

		// Command.
		{"passive", "Omar Khalil was recruited by Rami Nasser.", []spot{omar, rami},
			[]string{`command Rami Nasser -> Omar Khalil "was recruited by"`}},
		{"passive without agent", "Omar Khalil was stabbed in Lyon.", []spot{omar, lyon}, nil},
		{"told to", "Rami Nasser told Omar Khalil to wait.", []spot{rami, omar},
			[]string{`command Rami Nasser -> Omar Khalil "told"`}},
		{"told that", "Rami Nasser told Omar Khalil that he was tired.", []spot{rami, omar}, nil},
		{"sent someone", "Rami Nasser sent Omar Khalil to Lyon.", []spot{rami, omar, lyon},
			[]string{`command Rami Nasser -> Omar Khalil "sent"`}},
		{"sent to someone", "Omar Khalil sent a message to Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad "sent"`}},
		{"him in the same sentence", "Rami Nasser directed Omar Khalil to act and later sent him money.",
			[]spot{rami, omar}, []string{`command Rami Nasser -> Omar Khalil "directed"`}},

		// Attack, travel, location.
		{"attack", "Omar Khalil stabbed Samir Haddad outside a bar.", []spot{omar, samir},
			[]string{`attack Omar Khalil -> Samir Haddad "stabbed"`}},
		{"attack at a place", "Omar Khalil attacked two officers in Lyon.", []spot{omar, lyon},
			[]string{`attack Omar Khalil -> Lyon "attacked"`}},
		{"travel needs a place", "Omar Khalil went to Samir Haddad for help.", []spot{omar, samir}, nil},
		{"travel needs a direction", "Omar Khalil went close for Syria.", []spot{omar, syria}, nil},
		{"arrived in the", "Omar Khalil arrived in the Lyon suburbs.", []spot{omar, lyon},
			[]string{`travel Omar Khalil -> Lyon "arrived"`}},
		{"claimed an attack", "The Northern Front claimed the attack in Lyon.", []spot{front, lyon},
			[]string{`attack Northern Front -> Lyon "claimed"`}},
		{"claims as says", "Omar Khalil claims Samir Haddad lied.", []spot{omar, samir}, nil},
		{"joined a group", "Omar Khalil joined the Northern Front in 2014.", []spot{omar, front},
			[]string{`member Omar Khalil -> Northern Front "joined"`}},
		{"joined a person", "Omar Khalil joined Samir Haddad as the only player.", []spot{omar, samir}, nil},
		{"tried to travel", "Omar Khalil tried to travel to Syria.", []spot{omar, syria},
			[]string{`travel Omar Khalil -> Syria hedged "tried to travel to"`}},
		{"lives in", "Omar Khalil lives in Lyon, France.", []spot{omar, lyon, loc("France")},
			[]string{`location Omar Khalil -> Lyon "lives in"`, `location Omar Khalil -> France "lives in"`}},
		{"visited a place", "Omar Khalil visited Lyon in June.", []spot{omar, lyon},
			[]string{`travel Omar Khalil -> Lyon "visited"`}},
		{"visited a person", "Omar Khalil visited Samir Haddad in June.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad "visited"`}},
		{"from needs its subject", "Messages from Lyon reached Omar Khalil.", []spot{lyon, omar}, nil},
		{"from needs its place", "Police protect Omar Khalil from attacks by Lyon gangs.", []spot{omar, lyon}, nil},
		{"injured is no attack", "Without injured Omar Khalil, Lyon lost.", []spot{omar, lyon}, nil},

		// Roles.
		{"is a member of", "Rami Nasser is a member of the Northern Front.", []spot{rami, front},
			[]string{`member Rami Nasser -> Northern Front "is a member of"`}},
		{"not a member", "Rami Nasser is not a member of the Northern Front.", []spot{rami, front},
			[]string{`member Rami Nasser -> Northern Front neg "is not a member of"`}},
		{"apposition role", "Rami Nasser, the leader of the Northern Front, spoke in Lyon.", []spot{rami, front, lyon},
			[]string{`member Rami Nasser -> Northern Front "the leader of"`}},
		{"role then holder", "They met the leader of the Northern Front, Rami Nasser, in Lyon.", []spot{front, rami, lyon},
			[]string{`member Rami Nasser -> Northern Front "the leader of"`}},
		{"spokesman for", "Rami Nasser, spokesman for the Northern Front, denied it.", []spot{rami, front},
			[]string{`member Rami Nasser -> Northern Front "spokesman for"`}},
		{"possessive role", "The Northern Front's spokesman Rami Nasser denied it.", []spot{front, rami},
			[]string{`member Rami Nasser -> Northern Front "Northern Front's spokesman"`}},
		{"modifier role", "Northern Front leader Rami Nasser denied it.", []spot{front, rami},
			[]string{`member Rami Nasser -> Northern Front "Northern Front leader"`}},
		{"the group's", "The Northern Front is a group formed in 2012. Rami Nasser, the group's spokesman, said so.",
			[]spot{front, rami}, []string{`member Rami Nasser -> Northern Front "the group's spokesman"`}},
		{"the group unknown", "Samir Haddad works for Acme Bank. Rami Nasser, the group's spokesman, said so.",
			[]spot{samir, org("Acme Bank"), rami}, []string{`member Samir Haddad -> Acme Bank "works for"`}},
		{"modifier role in apposition", "Rami Nasser, a senior Northern Front commander, was killed.", []spot{rami, front},
			[]string{`member Rami Nasser -> Northern Front "a senior Northern Front commander"`}},
		{"modifier role after be", "Rami Nasser was an Northern Front financier until 2015.", []spot{rami, front},
			[]string{`member Rami Nasser -> Northern Front "was an Northern Front financier"`}},
		{"modifier role names no one before", "In Lyon, Northern Front leaders met.", []spot{lyon, front}, nil},
		{"founded", "Rami Nasser founded the Northern Front in 2012.", []spot{rami, front},
			[]string{`member Rami Nasser -> Northern Front "founded"`}},
		{"fought for", "Omar Khalil fought for the Northern Front in Syria.", []spot{omar, front, syria},
			[]string{`member Omar Khalil -> Northern Front "fought for"`}},
		{"a group is no reference", "The Northern Front is a group. Is Rami Nasser a member of a group?",
			[]spot{front, rami}, nil},
		{"member of the public", "Rami Nasser, a member of the public, called the police.", []spot{rami}, nil},
		{"person of organisation", "Dr Rami Nasser of the Northern Front spoke.", []spot{rami, front},
			[]string{`member Rami Nasser -> Northern Front "of"`}},

		// Family.
		{"brother of", "Omar Khalil is the brother of Samir Haddad.", []spot{omar, samir},
			[]string{`family Omar Khalil -> Samir Haddad "is the brother of"`}},
		{"possessive kin", "Samir Haddad's younger brother, Omar Khalil, runs a shop.", []spot{samir, omar},
			[]string{`family Omar Khalil -> Samir Haddad "Samir Haddad's younger brother"`}},
		{"his brother", "Samir Haddad lives in Lyon. His brother, Omar Khalil, runs a shop there.",
			[]spot{samir, lyon, omar}, []string{
				`location Samir Haddad -> Lyon "lives in"`,
				`family Omar Khalil -> Samir Haddad "His brother"`,
			}},
		{"brother as a title", "He prayed with a brother called Omar Khalil.", []spot{omar}, nil},
		{"kin word as possessor", "They met at his brother's shop in Lyon.", []spot{lyon}, nil},

		// References.
		{"he", "Omar Khalil went to Lyon. He met Samir Haddad there.", []spot{omar, lyon, samir},
			[]string{`travel Omar Khalil -> Lyon "went to"`, `contact Omar Khalil -> Samir Haddad "met"`}},
		{"him", "Omar Khalil is a courier. Rami Nasser sent him to Lyon.", []spot{omar, rami, lyon},
			[]string{`command Rami Nasser -> Omar Khalil "sent"`}},
		{"he is the subject before", "Omar Khalil saw Samir Haddad. He met Rami Nasser.", []spot{omar, samir, rami},
			[]string{`contact Omar Khalil -> Rami Nasser "met"`}},
		{"he ambiguous", "Police saw Omar Khalil and Samir Haddad. He met Rami Nasser.", []spot{omar, samir, rami}, nil},
		{"him in a list", "- Samir Haddad (also Abu Samir): a bookseller in Lyon.\n- Omar Khalil met him twice.",
			[]spot{samir, lyon, omar}, []string{`contact Omar Khalil -> Samir Haddad "met"`}},
		{"glossary role", "- Rami Nasser (also Abu Rami): leader of the Northern Front.", []spot{rami, front},
			[]string{`member Rami Nasser -> Northern Front "leader of"`}},
		{"shared sentence subject", "Omar Khalil acted alone and was not in touch with Samir Haddad.", []spot{omar, samir},
			[]string{`contact Omar Khalil -> Samir Haddad neg "was not in touch with"`}},
		{"no shared subject across that", "Omar Khalil said that police came and met Samir Haddad.", []spot{omar, samir}, nil},
		{"date before apposition", "On 3 May Omar Khalil, 31, stabbed Samir Haddad.", []spot{{"3 May", mosaic.Date}, omar, samir},
			[]string{`attack Omar Khalil -> Samir Haddad "stabbed"`}},
		{"him is not a subject", "Omar Khalil is in hospital. Samir Haddad and Rami Nasser sent him flowers.",
			[]spot{omar, samir, rami}, []string{
				`command Samir Haddad -> Omar Khalil "sent"`,
				`command Rami Nasser -> Omar Khalil "sent"`,
			}},
		{"her is no co-subject", "Samir Haddad and Deputy Leader Rami Nasser sent her flowers.", []spot{samir, rami}, nil},
		{"him before the subject", "Rami Nasser said Samir Haddad phoned him.", []spot{rami, samir},
			[]string{`contact Samir Haddad -> Rami Nasser "phoned"`}},
		{"him after an unnamed person", "Omar Khalil said a teenager heard the noise and confronted Samir Haddad, who stabbed him.",
			[]spot{omar, samir}, nil},
		{"him after a named person noun", "Omar Khalil is in hospital. The attacker, Samir Haddad, stabbed him.",
			[]spot{omar, samir}, []string{`attack Samir Haddad -> Omar Khalil "stabbed"`}},
		{"infinitive ends the object", "Rami Nasser ordered his guards to beat him.", []spot{rami}, nil},
		{"of ends the object", "The court ordered the arrest of Omar Khalil.", []spot{org("court"), omar}, nil},
		{"any member of", "Omar Khalil was in touch with any member of the Northern Front.", []spot{omar, front},
			[]string{`contact Omar Khalil -> Northern Front "was in touch with"`}},
		{"sent to the", "The Northern Front sent to the Samir Haddad office a letter.", []spot{front, samir},
			[]string{`contact Northern Front -> Samir Haddad "sent to"`}},
		{"shared subject stops at a clause", "Omar Khalil told police the man had tried and failed to shoot Samir Haddad.",
			[]spot{omar, samir}, nil},
		{"he across a paragraph", "Omar Khalil went home.\n\nHe met Rami Nasser.", []spot{omar, rami}, nil},
		{"he too far back", "Omar Khalil went home. It rained. It rained. It rained. He met Rami Nasser.",
			[]spot{omar, rami}, nil},
		{"vocative is not him", "Did you meet him in Lyon, Omar Khalil? I never met him.",
			[]spot{lyon, omar}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			spots := tt.spots
			if spots == nil {
				spots = []spot{omar, samir}
			}
			ms, rels := relate(t, tt.text, spots)
			got := typed(ms, rels)
			want := tt.want
			if want == nil {
				want = []string{}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s\n got %q\nwant %q", tt.text, got, want)
			}
		})
	}
}

func TestRelateSpeaker(t *testing.T) {
	text := "[00:01:02] KHALIL: I was in touch with Samir Haddad on Telegram. He sent me money.\n" +
		"[00:01:10] SMITH: Did you ever meet Rami Nasser?\n" +
		"[00:01:14] KHALIL: No. I never met him.\n" +
		"[00:01:20] NASSER: My brother, Samir Haddad, called me.\n" +
		"\n" +
		"Officer's note: I spoke to Rami Nasser.\n"
	spots := []spot{
		per("KHALIL"), per("Samir Haddad"), loc("Telegram"), per("SMITH"), per("Rami Nasser"),
		per("KHALIL#2"), per("NASSER"), per("Samir Haddad#2"), per("Rami Nasser#2"),
	}
	ms, rels := relate(t, text, spots)
	got := typed(ms, rels)
	want := []string{
		`contact KHALIL -> Samir Haddad "was in touch with"`,
		`command Samir Haddad -> KHALIL "sent"`,
		`contact KHALIL -> Rami Nasser neg "never met"`,
		`contact Samir Haddad -> NASSER "called"`,
		`family Samir Haddad -> NASSER "My brother"`,
	}
	if !slices.Equal(got, want) {
		t.Errorf("\n got %q\nwant %q", got, want)
	}
	// A relation through a reference has its evidence in the sentence that
	// states it, not the one the reference leads to.
	for _, r := range rels {
		if r.Type == mosaic.Command {
			if s := text[r.Sentence.Start:r.Sentence.End]; s != "He sent me money." {
				t.Errorf("command stated in %q", s)
			}
		}
	}
}

func TestRelateCoOccur(t *testing.T) {
	t.Run("pairs not typed", func(t *testing.T) {
		ms, rels := relate(t, "Omar Khalil met Samir Haddad in Lyon with Rami Nasser.",
			[]spot{per("Omar Khalil"), per("Samir Haddad"), loc("Lyon"), per("Rami Nasser")})
		var got []string
		for _, r := range rels {
			got = append(got, describe(ms, r))
		}
		want := []string{
			`contact Omar Khalil -> Samir Haddad "met"`,
			`~ Omar Khalil -> Lyon`,
			`~ Omar Khalil -> Rami Nasser`,
			`~ Samir Haddad -> Lyon`,
			`~ Samir Haddad -> Rami Nasser`,
			`~ Lyon -> Rami Nasser`,
		}
		if !slices.Equal(got, want) {
			t.Errorf("\n got %q\nwant %q", got, want)
		}
	})
	t.Run("negated and hedged", func(t *testing.T) {
		ms, rels := relate(t, "Omar Khalil said Samir Haddad perhaps knew Rami Nasser but never Lyon.",
			[]spot{per("Omar Khalil"), per("Samir Haddad"), per("Rami Nasser"), loc("Lyon")})
		var got []string
		for _, r := range rels {
			got = append(got, describe(ms, r))
		}
		want := []string{
			`~ Omar Khalil -> Samir Haddad`,
			`~ Omar Khalil -> Rami Nasser hedged`,
			`~ Omar Khalil -> Lyon neg hedged`,
			`~ Samir Haddad -> Rami Nasser hedged`,
			`~ Samir Haddad -> Lyon neg hedged`,
			`~ Rami Nasser -> Lyon neg hedged`,
		}
		if !slices.Equal(got, want) {
			t.Errorf("\n got %q\nwant %q", got, want)
		}
	})
	t.Run("kinds and noise", func(t *testing.T) {
		// Dates and one-word MISC (nationalities) do not co-occur; a name the
		// tagger split in two does not co-occur with itself.
		text := "The Belgian Omar Khalil was seen on 3 May at +32 2 555 0100 near Khalil Brothers Ltd."
		ms, rels := relate(t, text, []spot{
			{"Belgian", mosaic.Misc}, per("Omar"), org("Khalil"), {"3 May", mosaic.Date},
			{"+32 2 555 0100", mosaic.Phone}, {"Khalil Brothers Ltd", mosaic.Misc},
		})
		var got []string
		for _, r := range rels {
			got = append(got, describe(ms, r))
		}
		want := []string{
			`~ Omar -> +32 2 555 0100`,
			`~ Omar -> Khalil Brothers Ltd`,
			`~ Khalil -> +32 2 555 0100`,
			`~ Khalil -> Khalil Brothers Ltd`,
			`~ +32 2 555 0100 -> Khalil Brothers Ltd`,
		}
		if !slices.Equal(got, want) {
			t.Errorf("\n got %q\nwant %q", got, want)
		}
	})
	t.Run("long sentences link neighbours only", func(t *testing.T) {
		var names []string
		var spots []spot
		for i := 0; i < maxCoOccur+1; i++ {
			n := "Name" + string(rune('A'+i))
			names = append(names, n)
			spots = append(spots, per(n))
		}
		text := "Present: " + strings.Join(names, ", ") + "."
		ms, rels := relate(t, text, spots)
		if len(rels) != len(names)-1 {
			t.Fatalf("%d relations, want %d", len(rels), len(names)-1)
		}
		for _, r := range rels {
			if r.Type != mosaic.CoOccur || r.To != r.From+1 {
				t.Errorf("%s: want neighbours only", describe(ms, r))
			}
		}
	})
}

func TestRelateEmpty(t *testing.T) {
	for _, text := range []string{"", "No names here.", "Omar Khalil."} {
		a := &Analysis{Text: text, Sentences: Split(text)}
		var ms []mosaic.Mention
		if strings.HasPrefix(text, "Omar") {
			ms = place(t, a, []spot{per("Omar Khalil")})
		}
		if rels := Relate(a, ms); rels == nil || len(rels) != 0 {
			t.Errorf("%q: %v, want an empty list", text, rels)
		}
	}
}

func FuzzRelate(f *testing.F) {
	for _, s := range []string{
		"Omar Khalil was not in touch with Samir Haddad or any member of the Northern Front.",
		"[00:01:02] KHALIL: I never met him. He sent me money.\nSMITH: Did you?\n",
		"Rami Nasser, the group's spokesman, said the leader of the Front, Omar, met Samir's brother Ali.",
		"Omar Khalil, 31, from Lyon, (aka Abu Omar), was directed by Rami Nasser and travelled to Syria.",
		"He met him. She called her. I met me. The group's group's leader.",
		", , who who 's 's the group",
	} {
		f.Add(s)
	}
	types := []mosaic.MentionType{
		mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc, mosaic.Date, mosaic.Phone, mosaic.Email,
	}
	f.Fuzz(func(t *testing.T, text string) {
		a := &Analysis{Text: text, Sentences: Split(text)}
		// Trivial mentions: every capitalised token, its type chosen by its
		// length, as the tagger's output might look.
		var ms []mosaic.Mention
		for _, s := range a.Sentences {
			for _, tok := range s.Tokens {
				w := text[tok.Start:tok.End]
				r := []rune(w)
				if len(r) == 0 || !unicode.IsUpper(r[0]) {
					continue
				}
				ms = append(ms, mosaic.Mention{
					Start: tok.Start, End: tok.End, Type: types[len(w)%len(types)],
					Text: w, Sentence: s.Span, Confidence: 1,
				})
			}
		}
		rels := Relate(a, ms)
		if rels == nil {
			t.Fatal("nil relations")
		}
		inside := func(m int, s mosaic.Span) bool { return s.Start <= ms[m].Start && ms[m].End <= s.End }
		for i, r := range rels {
			if r.From < 0 || r.From >= len(ms) || r.To < 0 || r.To >= len(ms) || r.From == r.To {
				t.Fatalf("relation %d: from %d to %d of %d mentions", i, r.From, r.To, len(ms))
			}
			if !slices.ContainsFunc(a.Sentences, func(s Sentence) bool { return s.Span == r.Sentence }) {
				t.Fatalf("relation %d: sentence %v is none of the text's", i, r.Sentence)
			}
			from, to := inside(r.From, r.Sentence), inside(r.To, r.Sentence)
			if r.Type == mosaic.CoOccur && !(from && to) || !(from || to) {
				t.Fatalf("relation %d (%s): mentions outside sentence %v", i, describe(ms, r), r.Sentence)
			}
			if r.Type == mosaic.CoOccur && r.From > r.To {
				t.Fatalf("relation %d: co-occurrence from %d to %d", i, r.From, r.To)
			}
			if i > 0 {
				p := rels[i-1]
				if p.Sentence.Start > r.Sentence.Start || p == r {
					t.Fatalf("relations %d and %d out of order or repeated: %v %v", i-1, i, p, r)
				}
			}
		}
	})
}
