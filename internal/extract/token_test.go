package extract

import (
	"strings"
	"testing"
)

func tokenTexts(text string, toks []Token) []string {
	out := make([]string, len(toks))
	for i, tk := range toks {
		out[i] = text[tk.Start:tk.End]
	}
	return out
}

func allTokens(text string) []Token {
	var toks []Token
	for _, s := range Split(text) {
		toks = append(toks, s.Tokens...)
	}
	return toks
}

func TestTokens(t *testing.T) {
	tests := []struct {
		name string
		text string
		want []string
	}{
		{"punctuation splits off", "Paris, London; Rome.", []string{"Paris", ",", "London", ";", "Rome", "."}},
		{"acronyms", "the U.S. and U.K. e.g. i.e. U.S.A.", []string{"the", "U.S.", "and", "U.K.", "e.g.", "i.e.", "U.S.A."}},
		{"acronym before a hyphen", "a U.S.-led raid", []string{"a", "U.S.", "-", "led", "raid"}},
		{"titles keep their period", "Dr. Mr. Gen. Sgt. St. Jr.", []string{"Dr.", "Mr.", "Gen.", "Sgt.", "St.", "Jr."}},
		{"initials", "J. R. Smith", []string{"J.", "R.", "Smith"}},
		{"hyphenated names", "al-Baghdadi and Al-Hassan met well-known bin-Laden", []string{"al-Baghdadi", "and", "Al-Hassan", "met", "well-known", "bin-Laden"}},
		{"apostrophe names", "O'Neill D'Souza O’Brien", []string{"O'Neill", "D'Souza", "O’Brien"}},
		{"clitics", "don't can't he's they'll we're I've she'd I'm", []string{"do", "n't", "ca", "n't", "he", "'s", "they", "'ll", "we", "'re", "I", "'ve", "she", "'d", "I", "'m"}},
		{"possessive", "Smith's car and the boys' bikes", []string{"Smith", "'s", "car", "and", "the", "boys", "'", "bikes"}},
		{"curly clitic", "don’t", []string{"do", "n’t"}},
		{"numbers", "3.5 1,000 1,000,000.25 9:30 00:12:05 12/06/2016 2016-06-12", []string{"3.5", "1,000", "1,000,000.25", "9:30", "00:12:05", "12/06/2016", "2016-06-12"}},
		{"list of numbers is not thousands", "1,2,3", []string{"1", ",", "2", ",", "3"}},
		{"money and percent", "$3.5m, 20% €100", []string{"$", "3.5m", ",", "20", "%", "€", "100"}},
		{"number ends a sentence", "in 2015.", []string{"in", "2015", "."}},
		{"ordinal and alphanumerics", "12th A380 COVID-19 3pm", []string{"12th", "A380", "COVID-19", "3pm"}},
		{"email", "mail john.smith+tag@example.co.uk.", []string{"mail", "john.smith+tag@example.co.uk", "."}},
		{"not an email", "user@localhost @handle a@b", []string{"user", "@", "localhost", "@", "handle", "a", "@", "b"}},
		{"urls", "see https://example.com/path?q=1&r=2, (http://x.org/a_(b)) and www.example.org.", []string{"see", "https://example.com/path?q=1&r=2", ",", "(", "http://x.org/a_(b)", ")", "and", "www.example.org", "."}},
		{"domain name", "reuters.com reported", []string{"reuters.com", "reported"}},
		{"ip addresses", "from 192.168.0.1 and fe80::1 or 2001:db8::8a2e:370:7334.", []string{"from", "192.168.0.1", "and", "fe80::1", "or", "2001:db8::8a2e:370:7334", "."}},
		{"ellipsis and dashes", "wait... -- no", []string{"wait", "...", "--", "no"}},
		{"unicode ellipsis and quotes", "“Go…” «non»", []string{"“", "Go", "…", "”", "«", "non", "»"}},
		{"speaker label", "DR. MBEKI: yes", []string{"DR.", "MBEKI", ":", "yes"}},
		{"AT&T", "AT&T and R&D", []string{"AT&T", "and", "R&D"}},
		{"no. before a number only", "No. 10 said no.", []string{"No.", "10", "said", "no", "."}},
		{"combining mark stays in the word", "Jose\u0301 left", []string{"Jose\u0301", "left"}},
		{"invisible characters separate", "a\u200bb\ufeffc", []string{"a", "b", "c"}},
		{"arabic", "محمد في بغداد.", []string{"محمد", "في", "بغداد", "."}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			toks := allTokens(tt.text)
			got := tokenTexts(tt.text, toks)
			if !equalStrings(got, tt.want) {
				t.Errorf("tokens of %q\n got %q\nwant %q", tt.text, got, tt.want)
			}
			// Offsets are independent of the texts: each token is found
			// where the expected word occurs, scanning left to right.
			from := 0
			for i, tk := range toks {
				if i >= len(tt.want) {
					break
				}
				at := strings.Index(tt.text[from:], tt.want[i])
				if at < 0 || tk.Start != from+at {
					t.Errorf("token %d %q at %d, want %d", i, tt.want[i], tk.Start, from+at)
					break
				}
				from += at + len(tt.want[i])
			}
		})
	}
}
