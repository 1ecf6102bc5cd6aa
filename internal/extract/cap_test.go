package extract

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"mosaic"
)

// addresses returns a line naming n e-mail addresses, from first on.
func addresses(first, n int) string {
	var b strings.Builder
	b.WriteString("Copied to")
	for i := range n {
		fmt.Fprintf(&b, " agent%d@example.org,", first+i)
	}
	return b.String()
}

func TestCrowdedSentence(t *testing.T) {
	ex := New(Patterns()...)
	for _, c := range []struct {
		name      string
		text      string
		warn      string
		cooccurIn []int // the sentences with co-occurrence, by index
	}{
		{"a list within the cap", addresses(0, maxSentenceNames), "", []int{0}},
		{"one over the cap", addresses(0, maxSentenceNames+1),
			"1 sentence of more than 128 names (129 names in all) not read for co-occurrence", nil},
		{"two over, one within", addresses(0, 200) + "\n\n" + addresses(200, 3) + "\n\n" + addresses(300, 150),
			"2 sentences of more than 128 names (350 names in all) not read for co-occurrence", []int{1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			res := ex.Extract(c.text, time.Time{})
			if res.Warning != c.warn {
				t.Errorf("warning %q, want %q", res.Warning, c.warn)
			}
			var got []int
			for i, s := range res.Sentences {
				for _, r := range res.Relations {
					if r.Type == mosaic.CoOccur && r.Sentence == s {
						got = append(got, i)
						break
					}
				}
			}
			if fmt.Sprint(got) != fmt.Sprint(c.cooccurIn) {
				t.Errorf("co-occurrence in sentences %v, want %v", got, c.cooccurIn)
			}
		})
	}
}

func TestMaxMentions(t *testing.T) {
	var b strings.Builder
	const lines = MaxMentions/100 + 5
	for i := range lines {
		b.WriteString(addresses(i*100, 100))
		b.WriteString(".\n")
	}
	text := b.String()
	res := New(Patterns()...).Extract(text, time.Time{})
	if len(res.Mentions) != MaxMentions {
		t.Fatalf("%d mentions, want %d", len(res.Mentions), MaxMentions)
	}
	last := res.Mentions[MaxMentions-1]
	if last.Text != fmt.Sprintf("agent%d@example.org", MaxMentions-1) {
		t.Errorf("the last mention kept is %q, not the first ones in the text", last.Text)
	}
	want := fmt.Sprintf("%d of %d mentions kept, up to byte %d of %d;", MaxMentions, lines*100, last.End, len(text))
	if !strings.HasPrefix(res.Warning, want) {
		t.Errorf("warning %q, want it to start %q", res.Warning, want)
	}
	for _, r := range res.Relations {
		if r.From >= MaxMentions || r.To >= MaxMentions {
			t.Fatalf("relation %+v beyond the mentions kept", r)
		}
	}
}
