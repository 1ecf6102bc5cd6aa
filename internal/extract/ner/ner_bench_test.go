package ner

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"mosaic/internal/extract"
)

// Reproduce with:
//
//	go test -run=^$ -bench=. -benchmem ./internal/extract/ner/
//
// Throughput is reported in tokens/s, on one goroutine.

// BenchmarkTag tags the CoNLL-2003 development set document by document:
// the model alone, as `mosaic eval ner` times it.
func BenchmarkTag(b *testing.B) {
	docs := readShared(b, "dev.txt")
	m := embeddedModel(b)
	var sents [][][]string
	tokens := 0
	for _, d := range docs {
		var ss [][]string
		for _, s := range d.Sentences {
			ss = append(ss, s.Tokens)
			tokens += len(s.Tokens)
		}
		sents = append(sents, ss)
	}
	b.ResetTimer()
	for b.Loop() {
		for _, d := range sents {
			m.TagDocument(d)
		}
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// benchText is invented reporting of the kind Mosaic reads: a transcript
// with speaker labels, a police report, a news story with a headline.
const benchText = `EVENING SECURITY HOUR — TRANSCRIPT

ANCHOR: Tonight we speak with the reporter Mireille Vandamme, who has followed the Harbour Cell for two years.
VANDAMME: Thank you. The men I interviewed in Charleroi all described the same recruiter, a man they called Abu Suhail al-Maghribi.
ANCHOR: Did any of them say they acted alone?
VANDAMME: The police said so at first. But one of them told me he was in touch with Abu Suhail weeks before the stabbing.

FIELD REPORT 2017/114
On 2 March 2017 officers of the Federal Judicial Police observed Abdelkader el-Haddouchi meeting two young men near the Gare du Midi in Brussels. One of them, Yassine Berrada, 23, later travelled to Istanbul and crossed into Syria near Tal Abyad.

ISLAMIC STATE CLAIMS ATTACK ON ARMY POST NEAR MOSUL
The group said in a statement on its Amaq news agency that its fighters had killed four soldiers. The Iraqi Ministry of Defence said the attack was repelled and that the SDF and coalition aircraft had struck ISIS positions west of Raqqa. Foreign Secretary Jane Doe told Parliament on Tuesday that Daesh had lost most of its territory.
`

func BenchmarkRecognize(b *testing.B) {
	text := strings.Repeat(benchText+"\n", 64)
	m := embeddedModel(b)
	a := &extract.Analysis{Text: text, Sentences: extract.Split(text)}
	tokens := 0
	for _, s := range a.Sentences {
		tokens += len(s.Tokens)
	}
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		m.Recognize(a)
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkExtract runs the whole extraction pipeline (splitting, patterns,
// tagging) over one document, as ingestion does.
func BenchmarkExtract(b *testing.B) {
	text := strings.Repeat(benchText+"\n", 64)
	ex := extract.New(append(extract.Patterns(), Recognizer())...)
	tokens := 0
	for _, s := range extract.Split(text) {
		tokens += len(s.Tokens)
	}
	ex.Extract(text, time.Time{})
	b.SetBytes(int64(len(text)))
	b.ResetTimer()
	for b.Loop() {
		ex.Extract(text, time.Time{})
	}
	b.ReportMetric(float64(tokens)*float64(b.N)/b.Elapsed().Seconds(), "tokens/s")
}

// BenchmarkLoad decompresses and indexes the embedded model: the cost the
// first tagging call pays once.
func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(bytes.NewReader(embedded)); err != nil {
			b.Fatal(err)
		}
	}
}
