package extract_test

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/extract"
	"mosaic/internal/extract/ner"
)

// caseDir holds the bundled fictional sample case; internal/sample/CASE.md
// is its answer key.
const caseDir = "../sample/case"

var (
	caseOnce sync.Once
	caseDocs map[string][]extracted // by file name
)

// extracted is a document of the sample case with what extraction found.
type extracted struct {
	text string
	extract.Result
}

// sampleCase extracts every document of the sample case, with the pattern
// recognisers and the tagger, as ingestion does.
func sampleCase(t *testing.T) map[string][]extracted {
	t.Helper()
	caseOnce.Do(func() {
		ex := extract.New(append(extract.Patterns(), ner.Recognizer())...)
		files, _ := filepath.Glob(filepath.Join(caseDir, "*", "*"))
		caseDocs = map[string][]extracted{}
		for _, f := range files {
			data, err := os.ReadFile(f)
			if err != nil {
				continue
			}
			docs, _ := document.Parse(f, data, document.DefaultLimits())
			for _, d := range docs {
				caseDocs[filepath.Base(f)] = append(caseDocs[filepath.Base(f)], extracted{d.Text, ex.Extract(d.Text, d.Date)})
			}
		}
	})
	if len(caseDocs) == 0 {
		t.Skipf("no sample case in %s", caseDir)
	}
	return caseDocs
}

// caseRelation is a relation CASE.md's table "Relation sentences to expect"
// lists, as mention texts.
type caseRelation struct {
	file     string
	typ      mosaic.RelationType
	from, to string
	negated  bool
	hedged   bool
}

// TestRelateSampleCase checks the relations CASE.md expects. Rows of its
// table that name no second mention are left out, as nothing can link them:
// "I am not a member of anything.", "Karim Bouzidi carried out the attack at
// the coach station", "I was not in touch with anyone.", "Barrow was not in
// touch with any of the people arrested". So is Mansour's "No. I never met
// him.", whose "him" (Abu Sulayman) is named a dozen sentences before.
func TestRelateSampleCase(t *testing.T) {
	docs := sampleCase(t)
	want := []caseRelation{
		// contact
		{"interview-2016-04-19-mansour.txt", mosaic.Contact, "MANSOUR", "Abu Sulayman", false, false},
		{"news-2016-07-20-ledger-calls.html", mosaic.Contact, "Shakir", "Abdulkadir Haddouchi", false, false},
		{"news-2016-07-03-scheldekoerier-antwerp.html", mosaic.Contact, "Ilias Ouahbi", "Youssef el-Haddouchi", false, false},
		{"05-2016-06-27-cover-note-subscriber-return.eml", mosaic.Contact, "Karim Bouzidi", "Abou Souleymane al-Rifi", false, false},
		{"assessment-2016-07-15-jat-external-operations.docx", mosaic.Contact, "Karim Bouzidi", "el-Haddouchi", false, false},
		// command
		{"briefing-2016-05-20-ramadan-threat.pdf", mosaic.Command, "Khalid ibn Rashid al-Qaysi", "Ansar al-Thughur", false, false},
		{"assessment-2016-07-15-jat-external-operations.docx", mosaic.Command, "El-Haddouchi", "Karim Bouzidi", false, false},
		{"assessment-2016-07-15-jat-external-operations.docx", mosaic.Command, "Khalid ibn Rashid al-Qaysi", "Abdelkader el-Haddouchi", false, false},
		{"interview-2016-04-19-mansour.txt", mosaic.Command, "Abu Sulayman", "MANSOUR", false, false},
		// membership
		{"news-2016-06-01-wire-spokesman-audio.html", mosaic.Member, "Abu Idris al-Sahili", "Ansar al-Thughur", false, false},
		{"news-2016-06-01-wire-spokesman-audio.html", mosaic.Member, "Khalid ibn Rashid al-Qaysi", "Ansar al-Thughur", false, false},
		{"briefing-2016-05-20-ramadan-threat.pdf", mosaic.Member, "Khalid ibn Rashid al-Qaysi", "Ansar al-Thughur", false, false},
		{"surv-2016-02-16-el-haddouchi.txt", mosaic.Member, "Abd al-Qadir al-Haddushi", "Jama'at Ansar al-Thughur", false, false},
		{"assessment-2016-07-15-jat-external-operations.docx", mosaic.Member, "Abdelkader el-Haddouchi", "Ansar al-Thughur", false, false},
		{"telegram-2016-06-01-spokesman-audio.txt", mosaic.Member, "Abu Idris al-Sahili", "Ansar al-Thughur", false, false},
		// attack
		{"fr-2016-04-18-sparkhill-pcso-stabbing.txt", mosaic.Attack, "Zakaria Mansour", "Daniel Whitcombe", false, false},
		{"news-2016-07-03-scheldekoerier-antwerp.html", mosaic.Attack, "Elias Ouahbi", "Koningin Astridplein", false, false},
		// travel
		{"surv-2016-02-16-el-haddouchi.txt", mosaic.Travel, "El-Haddouchi", "Raqqa", false, false},
		{"surv-2016-02-16-el-haddouchi.txt", mosaic.Travel, "El-Haddouchi", "Syria", false, false},
		{"news-2016-07-03-scheldekoerier-antwerp.html", mosaic.Travel, "Ouahbi", "Turkey", false, false},
		// family
		{"assessment-2016-07-15-jat-external-operations.docx", mosaic.Family, "Youssef el-Haddouchi", "Abdelkader el-Haddouchi", false, false},
		{"surv-2016-02-16-el-haddouchi.txt", mosaic.Family, "Yusuf al-Haddushi", "Abd al-Qadir al-Haddushi", false, false},
		// location
		{"surv-2016-02-16-el-haddouchi.txt", mosaic.LocatedIn, "Abdelkader el-Haddouchi", "Anderlecht", false, false},
		// negation
		{"assessment-2016-07-15-jat-external-operations.docx", mosaic.Contact, "Nabil Ferhat", "Abdelkader el-Haddouchi", true, false},
		{"assessment-2016-07-15-jat-external-operations.docx", mosaic.Contact, "Nabil Ferhat", "JAT", true, false},
		// hedging
		{"news-2016-07-20-ledger-calls.html", mosaic.Contact, "Shakir", "Zakaria Mansour", false, true},
		{"news-2016-04-19-ledger-sparkhill.html", mosaic.Travel, "Mansour", "Syria", false, true},
	}
	for _, w := range want {
		found := false
		for _, d := range docs[w.file] {
			for _, r := range d.Relations {
				from, to := d.Mentions[r.From], d.Mentions[r.To]
				if r.Type == w.typ && from.Text == w.from && to.Text == w.to && r.Negated == w.negated && r.Hedged == w.hedged {
					found = true
				}
			}
		}
		if !found {
			t.Errorf("%s: no %s %q -> %q (negated %v, hedged %v)", w.file, w.typ, w.from, w.to, w.negated, w.hedged)
		}
	}
}

// TestRelateSampleCaseNoFalseLinks checks what the case says is not so:
// Nabil Ferhat was in touch with no one in the network, and no typed
// relation of the case's lone-actor chain comes out of a question.
func TestRelateSampleCaseNoFalseLinks(t *testing.T) {
	docs := sampleCase(t)
	for file, ds := range docs {
		for _, d := range ds {
			for _, r := range d.Relations {
				from, to := d.Mentions[r.From].Text, d.Mentions[r.To].Text
				if r.Type == mosaic.Contact && !r.Negated &&
					(strings.Contains(from, "Ferhat") || strings.Contains(to, "Ferhat")) {
					t.Errorf("%s: positive contact %q -> %q in %q", file, from, to, d.text[r.Sentence.Start:r.Sentence.End])
				}
				if s := strings.TrimSpace(d.text[r.Sentence.Start:r.Sentence.End]); strings.HasSuffix(s, "?") && !r.Hedged {
					t.Errorf("%s: %s %q -> %q from a question, not hedged", file, r.Type, from, to)
				}
			}
		}
	}
}

// caseTexts returns the texts of the sample case's documents.
func caseTexts(b *testing.B) []string {
	b.Helper()
	files, _ := filepath.Glob(filepath.Join(caseDir, "*", "*"))
	var texts []string
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			continue
		}
		docs, _ := document.Parse(f, data, document.DefaultLimits())
		for _, d := range docs {
			texts = append(texts, d.Text)
		}
	}
	if len(texts) == 0 {
		b.Skipf("no sample case in %s", caseDir)
	}
	return texts
}

// BenchmarkExtractSampleCase and BenchmarkRelateSampleCase compare the whole
// of extraction (patterns, tagger, relations) with the relations alone, over
// the documents of the sample case:
//
//	go test -run='^$' -bench=SampleCase -count=5 ./internal/extract/
func BenchmarkExtractSampleCase(b *testing.B) {
	texts := caseTexts(b)
	ex := extract.New(append(extract.Patterns(), ner.Recognizer())...)
	ex.Extract(texts[0], time.Time{}) // load the model
	b.ResetTimer()
	for b.Loop() {
		for _, t := range texts {
			ex.Extract(t, time.Time{})
		}
	}
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}

func BenchmarkRelateSampleCase(b *testing.B) {
	texts := caseTexts(b)
	ex := extract.New(append(extract.Patterns(), ner.Recognizer())...)
	as := make([]*extract.Analysis, len(texts))
	ms := make([][]mosaic.Mention, len(texts))
	for i, t := range texts {
		as[i] = &extract.Analysis{Text: t, Sentences: extract.Split(t)}
		ms[i] = ex.Extract(t, time.Time{}).Mentions
	}
	b.ResetTimer()
	for b.Loop() {
		for i, a := range as {
			extract.Relate(a, ms[i])
		}
	}
	b.ReportMetric(float64(len(texts))*float64(b.N)/b.Elapsed().Seconds(), "docs/s")
}
