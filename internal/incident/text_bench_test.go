package incident

import (
	"strings"
	"testing"
	"time"

	"mosaic/internal/extract"
)

// BenchmarkFromTextLong reads a 380 KB document of short attack-like
// sentences, a third of them threats, which report no attack: the cost of
// reading a long part for attacks, beside extraction's.
func BenchmarkFromTextLong(b *testing.B) {
	var text strings.Builder
	for i := 0; text.Len() < 380<<10; i++ {
		switch i % 3 {
		case 0:
			text.WriteString("On 3 May a man stabbed two shoppers in the market. ")
		case 1:
			text.WriteString("On 4 May the group threatened to attack the station. ")
		default:
			text.WriteString("Police said the attacker acted alone. ")
		}
	}
	res := extract.New(extract.Patterns()...).Extract(text.String(), time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC))
	d := TextDoc{Text: text.String(), Date: time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC), Sentences: res.Sentences, Mentions: res.Mentions, Relations: res.Relations}
	b.SetBytes(int64(len(d.Text)))
	b.ResetTimer()
	for range b.N {
		FromText(d, nil)
	}
}
