package extract

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// sentenceTexts returns the text of each sentence Split finds.
func sentenceTexts(text string) []string {
	var out []string
	for _, s := range Split(text) {
		out = append(out, text[s.Start:s.End])
	}
	return out
}

func TestSplitSentences(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{
			name: "titles and acronym mid-sentence",
			text: "Dr. Amal Haddad met Gen. Smith in the U.S. on Monday. They spoke for an hour.",
			want: []string{"Dr. Amal Haddad met Gen. Smith in the U.S. on Monday.", "They spoke for an hour."},
		},
		{
			name: "acronym ends a sentence before a sentence opener",
			text: "The money was wired to the U.S. The bank froze it.",
			want: []string{"The money was wired to the U.S.", "The bank froze it."},
		},
		{
			name: "acronym inside a name",
			text: "He called the U.S. Dept. of State and the U.S. Army on Friday.",
			want: []string{"He called the U.S. Dept. of State and the U.S. Army on Friday."},
		},
		{
			name: "St. is a saint or a street",
			text: "They prayed at St. Mary's on Main St. The police waited outside.",
			want: []string{"They prayed at St. Mary's on Main St.", "The police waited outside."},
		},
		{
			name: "Jr. ends a sentence",
			text: "The letter was signed by John Doe Jr. He denies writing it.",
			want: []string{"The letter was signed by John Doe Jr.", "He denies writing it."},
		},
		{
			name: "Tel. before a number",
			text: "Tel. 0049 30 1234567. Fax. +44 20 7946 0958.",
			want: []string{"Tel. 0049 30 1234567.", "Fax. +44 20 7946 0958."},
		},
		{
			name: "header fields each stand alone",
			text: "Broadcaster: Lowfield Radio, regional television, West Midlands\nBroadcast:   Sunday 26 June 2016\nDate of birth: 3 May 1990\nSubject: Karim Benali",
			want: []string{"Broadcaster: Lowfield Radio, regional television, West Midlands", "Broadcast:   Sunday 26 June 2016", "Date of birth: 3 May 1990", "Subject: Karim Benali"},
		},
		{
			name: "a wrapped line starting with a capital is not a field",
			text: "The report was sent to the liaison officer in\nBrussels on Monday and read: nothing new.",
			want: []string{"The report was sent to the liaison officer in\nBrussels on Monday and read: nothing new."},
		},
		{
			name: "initials",
			text: "J. R. Smith and A. B. Jones arrived. Nobody followed them.",
			want: []string{"J. R. Smith and A. B. Jones arrived.", "Nobody followed them."},
		},
		{
			name: "decimals and money",
			text: "The device held 3.5 kg of TATP and cost $1,200.50 in total. It failed.",
			want: []string{"The device held 3.5 kg of TATP and cost $1,200.50 in total.", "It failed."},
		},
		{
			name: "approx and p.m.",
			text: "They met at approx. 9 p.m. The police arrived at 10 p.m. on the same day.",
			want: []string{"They met at approx. 9 p.m.", "The police arrived at 10 p.m. on the same day."},
		},
		{
			name: "p.m. before a weekday stays",
			text: "The call came at 9 p.m. Sunday from a withheld number.",
			want: []string{"The call came at 9 p.m. Sunday from a withheld number."},
		},
		{
			name: "number abbreviations",
			text: "See No. 5 and pp. 12-14 of vol. 3 for details. The file ends there.",
			want: []string{"See No. 5 and pp. 12-14 of vol. 3 for details.", "The file ends there."},
		},
		{
			name: "no is a word at the end of a sentence",
			text: "Asked whether he knew her, he said no. Then he left.",
			want: []string{"Asked whether he knew her, he said no.", "Then he left."},
		},
		{
			name: "quote after the stop",
			text: "He said 'go.' Then they left. She asked, \"Why?\" Nobody answered.",
			want: []string{"He said 'go.'", "Then they left.", "She asked, \"Why?\"", "Nobody answered."},
		},
		{
			name: "question inside a quote continues",
			text: "\"Why?\" he asked. \"Because.\"",
			want: []string{"\"Why?\" he asked.", "\"Because.\""},
		},
		{
			name: "brackets after the stop",
			text: "The cell had five members (one was an informant.) Two were arrested.",
			want: []string{"The cell had five members (one was an informant.)", "Two were arrested."},
		},
		{
			name: "ellipsis mid-sentence",
			text: "He waited... and waited... Nobody came.",
			want: []string{"He waited... and waited...", "Nobody came."},
		},
		{
			name: "exclamation and question",
			text: "Stop! Who goes there? A friend.",
			want: []string{"Stop!", "Who goes there?", "A friend."},
		},
		{
			name: "digit after a full stop",
			text: "The attack happened in 2015. 300 people were hurt.",
			want: []string{"The attack happened in 2015.", "300 people were hurt."},
		},
		{
			name: "hard-wrapped PDF prose",
			text: "The suspect, who had travelled from\nIstanbul to Athens in a rented car,\nmet two associates near the port and\nhanded over a package. The associates\nleft the same evening.",
			want: []string{
				"The suspect, who had travelled from\nIstanbul to Athens in a rented car,\nmet two associates near the port and\nhanded over a package.",
				"The associates\nleft the same evening.",
			},
		},
		{
			name: "blank line always ends",
			text: "Summary of the case\n\nThe group was founded in 2010 by\nthree brothers",
			want: []string{"Summary of the case", "The group was founded in 2010 by\nthree brothers"},
		},
		{
			name: "blank line after an abbreviation",
			text: "Meeting with Dr.\n\nAgenda follows",
			want: []string{"Meeting with Dr.", "Agenda follows"},
		},
		{
			name: "headings",
			text: "BACKGROUND\nThe network formed in 2012.\nKey Findings of the Review\nThree cells were active.\nMethods\nWe read the files.",
			want: []string{"BACKGROUND", "The network formed in 2012.", "Key Findings of the Review", "Three cells were active.", "Methods", "We read the files."},
		},
		{
			name: "bullets",
			text: "The search found:\n- two phones\n* a laptop with encrypted drives\n• 3,000 euros in cash\n1. a passport\n2) a map\na) notes\n(iv) keys",
			want: []string{"The search found:", "- two phones", "* a laptop with encrypted drives", "• 3,000 euros in cash", "1. a passport", "2) a map", "a) notes", "(iv) keys"},
		},
		{
			name: "bullet item wrapped onto the next line",
			text: "- the first item runs over\n  onto a second line\n- the second item",
			want: []string{"- the first item runs over\n  onto a second line", "- the second item"},
		},
		{
			name: "e-mail headers",
			text: "From: Karim Nasser\nTo: Layla Ortiz\nSubject: Friday\n\nSee you there.",
			want: []string{"From: Karim Nasser", "To: Layla Ortiz", "Subject: Friday", "See you there."},
		},
		{
			name: "CRLF",
			text: "First line ends here.\r\nSecond line\r\ncontinues here.\r\n\r\nNew paragraph.\r\n",
			want: []string{"First line ends here.", "Second line\r\ncontinues here.", "New paragraph."},
		},
		{
			name: "no terminal punctuation",
			text: "meeting at the usual place bring the documents",
			want: []string{"meeting at the usual place bring the documents"},
		},
		{
			name: "surrounding whitespace trimmed",
			text: "  \n\t Leading and trailing.   \n\n  ",
			want: []string{"Leading and trailing."},
		},
		{
			name: "empty",
			text: "",
			want: nil,
		},
		{
			name: "whitespace only",
			text: " \n\r\n\t ",
			want: nil,
		},
		{
			name: "URL and address do not split",
			text: "Write to a.b@mail.example.org or see www.example.com/x.html. Then wait.",
			want: []string{"Write to a.b@mail.example.org or see www.example.com/x.html.", "Then wait."},
		},
		{
			name: "non-Latin text",
			text: "Назначена встреча в Москве. Он не пришёл. 会议在北京举行。",
			want: []string{"Назначена встреча в Москве.", "Он не пришёл.", "会议在北京举行。"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := sentenceTexts(tt.text)
			if !equalStrings(got, tt.want) {
				t.Errorf("Split(%q)\n got %q\nwant %q", tt.text, got, tt.want)
			}
			checkSplit(t, tt.text, Split(tt.text))
		})
	}
}

// A fictional interview transcript: every speaker line is a sentence of its
// own, with the label as its first tokens, even where the speaker used no
// punctuation; a turn of two sentences splits in two.
func TestSplitTranscript(t *testing.T) {
	lines := []string{
		"[00:00:03] INTERVIEWER: Please state your name for the record",
		"[00:00:07] AL-HASSAN: Tarek Al-Hassan",
		"[00:00:10] INTERVIEWER: Where were you on the night of 3 March",
		"[00:00:15] AL-HASSAN: At my cousin's flat in Leeds. I stayed until morning.",
		"DR. MBEKI: For the record, the witness is calm",
		"Q: Did you know Omar Berrada",
		"A: No",
		"ANNOUNCER: We pause here",
		"00:01:02 O'BRIEN: Objection",
		"[00:01:05] INTERVIEWER: Noted. Continue",
	}
	text := strings.Join(lines, "\n")
	want := []string{
		lines[0], lines[1], lines[2],
		"[00:00:15] AL-HASSAN: At my cousin's flat in Leeds.", "I stayed until morning.",
		lines[4], lines[5], lines[6], lines[7], lines[8],
		"[00:01:05] INTERVIEWER: Noted.", "Continue",
	}
	sents := Split(text)
	checkSplit(t, text, sents)
	got := sentenceTexts(text)
	if !equalStrings(got, want) {
		t.Fatalf("got  %q\nwant %q", got, want)
	}
	// The label and its colon are tokens of their own.
	labels := map[int][]string{
		1: {"[", "00:00:07", "]", "AL-HASSAN", ":"},
		5: {"DR.", "MBEKI", ":"},
		6: {"Q", ":"},
		9: {"00:01:02", "O'BRIEN", ":"},
	}
	for i, wantToks := range labels {
		toks := tokenTexts(text, sents[i].Tokens)
		if len(toks) < len(wantToks) || !equalStrings(toks[:len(wantToks)], wantToks) {
			t.Errorf("sentence %d starts with %q, want %q", i, toks, wantToks)
		}
	}
}

func TestSplitNotLabels(t *testing.T) {
	// Lines that look a little like labels but are prose continuations.
	text := "The meeting was at\n10:30 in the morning and the\nNATO liaison said: nothing."
	want := []string{text}
	if got := sentenceTexts(text); !equalStrings(got, want) {
		t.Errorf("got %q, want %q", got, want)
	}
}

func TestSplitLongUnpunctuated(t *testing.T) {
	// A dump without punctuation still comes in pieces of bounded size.
	text := strings.Repeat("word ", 3000)
	sents := Split(text)
	checkSplit(t, text, sents)
	for _, s := range sents {
		if n := len(s.Tokens); n > hardSentenceTokens {
			t.Errorf("sentence of %d tokens, want at most %d", n, hardSentenceTokens)
		}
	}
	if len(sents) < 3 {
		t.Errorf("got %d sentences, want the text cut at least in three", len(sents))
	}
}

func TestSplitInvalidUTF8(t *testing.T) {
	tests := []string{
		"\xff\xfe\xfd",
		"Abc\xffdef. Ghi\x80 jkl.",
		"Paris\xe2\x80. Rome.",
		"\xc3",
		"a\x00b\x00. C.",
		"Dr.\xff",
		"U.S.\xc3\xa9",
	}
	for _, text := range tests {
		t.Run(text, func(t *testing.T) {
			checkSplit(t, text, Split(text))
		})
	}
}

// checkSplit verifies the invariants Split promises for any input.
func checkSplit(t *testing.T, text string, sents []Sentence) {
	t.Helper()
	boundary := make([]bool, len(text)+1)
	for i := range text {
		boundary[i] = true
	}
	boundary[len(text)] = true
	prevEnd := 0
	for i, s := range sents {
		if s.Start < prevEnd || s.Start >= s.End || s.End > len(text) {
			t.Fatalf("sentence %d [%d,%d) out of order or bounds (previous end %d, len %d)", i, s.Start, s.End, prevEnd, len(text))
		}
		if !boundary[s.Start] || !boundary[s.End] {
			t.Fatalf("sentence %d [%d,%d) not on rune boundaries", i, s.Start, s.End)
		}
		if r, _ := utf8.DecodeRuneInString(text[s.Start:]); isSpaceRune(r) && r != utf8.RuneError {
			t.Fatalf("sentence %d starts with whitespace %q", i, text[s.Start:s.End])
		}
		if len(s.Tokens) == 0 {
			t.Fatalf("sentence %d has no tokens", i)
		}
		if s.Tokens[0].Start != s.Start || s.Tokens[len(s.Tokens)-1].End != s.End {
			t.Fatalf("sentence %d [%d,%d) is not trimmed to its tokens", i, s.Start, s.End)
		}
		tp := s.Start
		for j, tk := range s.Tokens {
			if tk.Start < tp || tk.Start >= tk.End || tk.End > s.End {
				t.Fatalf("sentence %d token %d [%d,%d) out of order or outside [%d,%d)", i, j, tk.Start, tk.End, s.Start, s.End)
			}
			if !boundary[tk.Start] || !boundary[tk.End] {
				t.Fatalf("sentence %d token %d [%d,%d) not on rune boundaries", i, j, tk.Start, tk.End)
			}
			tp = tk.End
		}
		prevEnd = s.End
	}
}

func FuzzSplit(f *testing.F) {
	for _, s := range []string{
		"Dr. Amal Haddad met Gen. Smith in the U.S. on Monday.",
		"[00:12:05] SMITH: Hello.\nQ: Where?\n- item\n1. item",
		"He said 'go.' Then...\r\n\r\nU.S. Dept. e.g. 3.5 1,000 9:30",
		"mail a.b@c.de http://x.y/(z). fe80::1 O'Neill don't",
		"\xff\xfe", "", "a", ".", "...", "A.B.", "@", "http://",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		checkSplit(t, text, Split(text))
	})
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
