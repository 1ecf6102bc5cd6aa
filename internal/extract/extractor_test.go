package extract

import (
	"encoding/json"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"mosaic"
)

// fixed is a Recognizer that returns the given spans of a text, located by
// substring, with the given type and confidence.
type fixed struct {
	typ   mosaic.MentionType
	spans []string
	conf  float64
}

func (f fixed) Recognize(a *Analysis) []mosaic.Mention {
	var out []mosaic.Mention
	for _, s := range f.spans {
		i := strings.Index(a.Text, s)
		out = append(out, mosaic.Mention{Start: i, End: i + len(s), Type: f.typ, Confidence: f.conf})
	}
	return out
}

// raw returns mentions exactly as given, to test how Extract polices them.
type raw []mosaic.Mention

func (r raw) Recognize(*Analysis) []mosaic.Mention { return append([]mosaic.Mention(nil), r...) }

func TestOverlapResolution(t *testing.T) {
	text := "Ahmed Ali met Omar Hassan in Paris on 12 June 2016."
	tests := []struct {
		name string
		recs []Recognizer
		want []string // kept mention texts in order, with their types
		typs []mosaic.MentionType
	}{
		{
			name: "longer span wins",
			recs: []Recognizer{
				fixed{mosaic.Person, []string{"Ahmed"}, 1},
				fixed{mosaic.Org, []string{"Ahmed Ali"}, 0.5},
			},
			want: []string{"Ahmed Ali"}, typs: []mosaic.MentionType{mosaic.Org},
		},
		{
			name: "tie goes to the earlier recogniser",
			recs: []Recognizer{
				fixed{mosaic.Location, []string{"Paris"}, 0.5},
				fixed{mosaic.Person, []string{"Paris"}, 1},
			},
			want: []string{"Paris"}, typs: []mosaic.MentionType{mosaic.Location},
		},
		{
			name: "chain of overlaps keeps the longest and what does not touch it",
			recs: []Recognizer{
				fixed{mosaic.Person, []string{"met Omar", "Hassan in", "Ahmed Ali"}, 1},
				fixed{mosaic.Misc, []string{"Omar Hassan"}, 1},
			},
			want: []string{"Ahmed Ali", "Omar Hassan"}, typs: []mosaic.MentionType{mosaic.Person, mosaic.Misc},
		},
		{
			name: "disjoint mentions all kept, sorted",
			recs: []Recognizer{
				fixed{mosaic.Location, []string{"Paris"}, 1},
				fixed{mosaic.Person, []string{"Omar Hassan", "Ahmed Ali"}, 1},
			},
			want: []string{"Ahmed Ali", "Omar Hassan", "Paris"},
			typs: []mosaic.MentionType{mosaic.Person, mosaic.Person, mosaic.Location},
		},
		{
			name: "pattern date beats a shorter tagger span",
			recs: append(Patterns(), fixed{mosaic.Misc, []string{"June"}, 1}),
			want: []string{"12 June 2016"}, typs: []mosaic.MentionType{mosaic.Date},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := New(tt.recs...).Extract(text, time.Time{})
			checkResult(t, text, res)
			var got []string
			for _, m := range res.Mentions {
				got = append(got, m.Text)
			}
			if !equalStrings(got, tt.want) {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
			for i, m := range res.Mentions {
				if m.Type != tt.typs[i] {
					t.Errorf("mention %q has type %s, want %s", m.Text, m.Type, tt.typs[i])
				}
			}
		})
	}
}

func TestExtractPolicesRecognisers(t *testing.T) {
	text := "One sentence here. Another one there."
	second := strings.Index(text, "Another")
	res := New(raw{
		{Start: -1, End: 3, Type: mosaic.Misc, Confidence: 1},                                                             // outside the text
		{Start: 5, End: 5, Type: mosaic.Misc, Confidence: 1},                                                              // empty
		{Start: 0, End: 3, Type: mosaic.Misc, Confidence: 0},                                                              // no confidence
		{Start: 4, End: 12, Type: mosaic.Misc, Confidence: math.NaN()},                                                    // NaN
		{Start: 30, End: 99, Type: mosaic.Misc, Confidence: 1},                                                            // past the end
		{Start: 0, End: 3, Type: mosaic.Person, Confidence: 7, Text: "wrong"},                                             // kept, capped, Text and Sentence fixed
		{Start: second - 6, End: second + 7, Type: mosaic.Misc, Confidence: 0.5, Sentence: mosaic.Span{Start: 0, End: 1}}, // crosses sentences
	}).Extract(text, time.Time{})
	checkResult(t, text, res)
	if len(res.Mentions) != 2 {
		t.Fatalf("got %d mentions, want 2: %+v", len(res.Mentions), res.Mentions)
	}
	m := res.Mentions[0]
	if m.Text != "One" || m.Confidence != 1 || m.Sentence != (mosaic.Span{Start: 0, End: strings.Index(text, " Another")}) {
		t.Errorf("first mention %+v: want Text \"One\", Confidence 1, Sentence of the first sentence", m)
	}
	if m := res.Mentions[1]; m.Sentence != (mosaic.Span{Start: 0, End: len(text)}) {
		t.Errorf("crossing mention has Sentence %+v, want both sentences [0,%d)", m.Sentence, len(text))
	}
}

func TestExtractResult(t *testing.T) {
	text := "Contact a.b@example.com.\n\nNothing else."
	res := New(Patterns()...).Extract(text, time.Time{})
	checkResult(t, text, res)
	if len(res.Sentences) != 2 {
		t.Errorf("got %d sentences, want 2", len(res.Sentences))
	}
	b, err := json.Marshal(New().Extract("", time.Time{}))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := string(b), `{"mentions":[],"relations":[]}`; got != want {
		t.Errorf("empty result marshals as %s, want %s", got, want)
	}
}

func TestExtractConcurrent(t *testing.T) {
	text := newsText(20_000)
	ex := New(Patterns()...)
	first := ex.Extract(text, anchor)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res := ex.Extract(text, anchor)
			if len(res.Mentions) != len(first.Mentions) {
				t.Errorf("concurrent run found %d mentions, first run %d", len(res.Mentions), len(first.Mentions))
			}
		}()
	}
	wg.Wait()
}

// checkResult verifies the invariants Extract promises for any input.
func checkResult(t *testing.T, text string, res Result) {
	t.Helper()
	if res.Relations == nil || res.Mentions == nil {
		t.Fatalf("nil Mentions or Relations")
	}
	prevEnd := 0
	for i, m := range res.Mentions {
		if m.Start < prevEnd || m.Start >= m.End || m.End > len(text) {
			t.Fatalf("mention %d [%d,%d) %q out of order, overlapping or out of bounds", i, m.Start, m.End, m.Text)
		}
		if m.Text != text[m.Start:m.End] {
			t.Fatalf("mention %d Text %q != text[%d:%d] %q", i, m.Text, m.Start, m.End, text[m.Start:m.End])
		}
		if m.Sentence.Start > m.Start || m.Sentence.End < m.End {
			t.Fatalf("mention %d [%d,%d) not inside its sentence [%d,%d)", i, m.Start, m.End, m.Sentence.Start, m.Sentence.End)
		}
		if !(m.Confidence > 0 && m.Confidence <= 1) {
			t.Fatalf("mention %d confidence %v", i, m.Confidence)
		}
		if m.Type == mosaic.Date && !validDateNorm(m.Norm) {
			t.Fatalf("mention %d %q has DATE norm %q, not ISO 8601", i, m.Text, m.Norm)
		}
		prevEnd = m.End
	}
}

func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"On 12 June 2016 Dr. Haddad (+44 20 7946 0958, a.b@example.com) met Omar in the U.S.",
		"in June, last year, yesterday, on Monday, 12-14 June 2016, the 1990s, 12/06/16, 29 February",
		"http://x.org/(a). 192.168.0.1 fe80::1 ::ffff:1.2.3.4 555-0199 (555) 010-0199",
		"three weeks ago, next March, mid-2015, le 1er août 2016, 2016-06-12T10:00Z",
		"\xff31 June 2016\x00", "", "9999-12-31 and 31 December 9999, next year",
	} {
		f.Add(s, int64(0))
		f.Add(s, anchor.Unix())
	}
	ex := New(Patterns()...)
	f.Fuzz(func(t *testing.T, text string, date int64) {
		var docDate time.Time
		if date != 0 {
			docDate = time.Unix(date, 0).UTC()
		}
		checkResult(t, text, ex.Extract(text, docDate))
	})
}
