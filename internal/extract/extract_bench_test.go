package extract

import (
	"strings"
	"testing"
	"time"

	"mosaic"
)

// Reproduce with:
//
//	go test -run=^$ -bench=. -benchmem ./internal/extract/
//
// Throughput is reported in MB/s (from SetBytes) and tokens/s.

// newsSentences are invented news-like sentences with the things the
// recognisers look for in realistic proportion: mostly prose, some dates,
// the odd phone number, address and URL.
var newsSentences = []string{
	"Dr. Amal Haddad met Gen. Robert Smith in the U.S. on Monday to discuss the investigation.",
	"Police said the suspect, identified as Tarek Al-Hassan, 34, had travelled from Istanbul to Athens on 12 June 2016.",
	"The group, which formed in the 1990s, is believed to have about 2,000 members across three countries.",
	"\"We will not comment on an ongoing case,\" a spokesman for the Home Office said on Tuesday.",
	"Investigators recovered 3.5 kg of explosives and $12,000 in cash from a flat in Leeds last year.",
	"The cell communicated through an e-mail account, k.nasser@example.org, and a forum at www.example.net/board.",
	"According to court documents, O'Neill called +44 20 7946 0958 at approx. 9 p.m. the night before the attack.",
	"Prosecutors said the money was routed through a company registered in Cyprus in 2015.",
	"Two days later, the interior ministry announced that six people had been arrested in raids across the capital.",
	"The website, hosted at 203.0.113.45, was taken down in June after a request from the U.K. authorities.",
	"Mr. Berrada denied any link to the network and said he had not spoken to his cousin since March 2014.",
	"Officials in Brussels said the investigation could take several months, and no date has been set for a trial.",
}

// newsText returns about n bytes of news-like text in paragraphs.
func newsText(n int) string {
	var b strings.Builder
	b.Grow(n + 200)
	for i := 0; b.Len() < n; i++ {
		b.WriteString(newsSentences[i%len(newsSentences)])
		if i%4 == 3 {
			b.WriteString("\n\n")
		} else {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func countTokens(sents []Sentence) int {
	n := 0
	for _, s := range sents {
		n += len(s.Tokens)
	}
	return n
}

func BenchmarkSplit(b *testing.B) {
	text := newsText(1 << 20)
	tokens := countTokens(Split(text))
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		Split(text)
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

func BenchmarkExtract(b *testing.B) {
	text := newsText(1 << 20)
	tokens := countTokens(Split(text))
	ex := New(Patterns()...)
	docDate := time.Date(2016, 7, 20, 0, 0, 0, 0, time.UTC)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		ex.Extract(text, docDate)
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// capitals stands in for the tagger in BenchmarkRelate: each run of
// capitalised words after the first of a sentence is a PERSON, or an ORG
// when it has three words or more, so that Relate has names to link.
type capitals struct{}

func (capitals) Recognize(a *Analysis) []mosaic.Mention {
	var out []mosaic.Mention
	for _, s := range a.Sentences {
		for k := 1; k < len(s.Tokens); k++ {
			j := k
			for j < len(s.Tokens) && isCapitalised(a.Text[s.Tokens[j].Start:s.Tokens[j].End]) {
				j++
			}
			if j > k {
				typ := mosaic.Person
				if j-k >= 3 {
					typ = mosaic.Org
				}
				out = append(out, mosaic.Mention{
					Start: s.Tokens[k].Start, End: s.Tokens[j-1].End, Type: typ, Sentence: s.Span, Confidence: 1,
				})
				k = j
			}
		}
	}
	return out
}

func isCapitalised(w string) bool { return w != "" && w[0] >= 'A' && w[0] <= 'Z' }

// BenchmarkRelate measures relation extraction alone, over the mentions the
// pattern recognisers and capitals find; compare its tokens/s with
// BenchmarkExtract here and in internal/extract/ner.
func BenchmarkRelate(b *testing.B) {
	text := newsText(1 << 20)
	a := &Analysis{Text: text, Sentences: Split(text)}
	ms := New(append(Patterns(), capitals{})...).Extract(text, time.Time{}).Mentions
	tokens := countTokens(a.Sentences)
	rels := Relate(a, ms)
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		Relate(a, ms)
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
	b.ReportMetric(float64(len(rels)), "relations")
}
