package ner

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/extract"
)

// sharedData is where ../shared keeps the CoNLL-2003 files, from this
// package's folder.
const sharedData = "../../../../shared/data/conll2003/"

func readShared(t testing.TB, name string) []Document {
	t.Helper()
	f, err := os.Open(sharedData + name)
	if err != nil {
		t.Skipf("CoNLL-2003 %s not available (%v); it lives in ../shared beside the repository", name, err)
	}
	defer f.Close()
	docs, err := ReadCoNLL(f)
	if err != nil {
		t.Fatal(err)
	}
	return docs
}

func embeddedModel(t testing.TB) *Model {
	t.Helper()
	m, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestEmbeddedModel(t *testing.T) {
	start := time.Now()
	m := embeddedModel(t)
	t.Logf("loaded %d rows in %s", m.Rows(), time.Since(start))
	if m.Rows() == 0 || !m.twoPass() {
		t.Fatalf("embedded model: %d rows, two passes %v", m.Rows(), m.twoPass())
	}
	if m.groups != DefaultOptions().Features || m.bits != DefaultOptions().Bits {
		t.Errorf("embedded model has features %b, bits %d; DefaultOptions says %b, %d: retrain it",
			m.groups, m.bits, DefaultOptions().Features, DefaultOptions().Bits)
	}
}

// TestDevF1 checks the embedded model against the CoNLL-2003 development
// set, with a floor just under the 0.9316 it reaches.
func TestDevF1(t *testing.T) {
	docs := readShared(t, "dev.txt")
	r := Evaluate(embeddedModel(t), docs)
	t.Logf("dev: P %.4f R %.4f F1 %.4f, %d tokens, %.0f tokens/s", r.Precision, r.Recall, r.F1, r.Tokens, r.TokensPerSecond)
	for _, k := range []string{"PER", "ORG", "LOC", "MISC"} {
		s := r.PerType[k]
		t.Logf("  %-4s P %.4f R %.4f F1 %.4f (%d)", k, s.Precision, s.Recall, s.F1, s.Support)
	}
	if r.F1 < 0.925 {
		t.Errorf("dev F1 %.4f < 0.925", r.F1)
	}
	if r.Tokens != 51362 || r.Sentences != 3250 {
		t.Errorf("read %d tokens in %d sentences, want 51362 in 3250", r.Tokens, r.Sentences)
	}
}

// TestTrainDeterministic trains twice on a slice of the training data: the
// weights must come out byte for byte the same.
func TestTrainDeterministic(t *testing.T) {
	if testing.Short() {
		t.Skip("trains two models; skipped with -short")
	}
	docs := readShared(t, "train.txt")
	docs = docs[:40]
	opt := DefaultOptions()
	opt.Epochs, opt.Bits = 2, 18
	var files [2][]byte
	for i := range files {
		m, err := Train(docs, docs[:5], opt, nil)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		if err := m.Save(&buf); err != nil {
			t.Fatal(err)
		}
		files[i] = buf.Bytes()
	}
	if !bytes.Equal(files[0], files[1]) {
		t.Fatalf("two trainings gave different models (%d and %d bytes)", len(files[0]), len(files[1]))
	}
}

// TestSaveLoad checks that a saved model tags as the trained one does.
func TestSaveLoad(t *testing.T) {
	docs := toyDocs()
	opt := DefaultOptions()
	opt.Epochs, opt.Bits, opt.Folds = 3, 16, 2
	m, err := Train(docs, docs, opt, nil)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		t.Fatal(err)
	}
	m2, err := Load(&buf)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range docs {
		var sents [][]string
		for _, s := range d.Sentences {
			sents = append(sents, s.Tokens)
		}
		a, b := m.TagDocument(sents), m2.TagDocument(sents)
		if !slices.EqualFunc(a, b, func(x, y []Span) bool { return slices.Equal(x, y) }) {
			t.Errorf("loaded model tags %v, trained one %v", b, a)
		}
	}
	if _, err := Load(strings.NewReader("not a model")); err == nil {
		t.Error("Load accepted garbage")
	}
}

// toyDocs is a tiny invented corpus in CoNLL form.
func toyDocs() []Document {
	const data = `-DOCSTART- -X- O O

Amina NNP I-NP I-PER
Haddad NNP I-NP I-PER
visited VBD I-VP O
Brussels NNP I-NP I-LOC
. . O O

Haddad NNP I-NP I-PER
met VBD I-VP O
the DT I-NP O
Harbour NNP I-NP I-ORG
Cell NNP I-NP I-ORG
. . O O

-DOCSTART- -X- O O

Police NNS I-NP O
in IN I-PP O
Liege NNP I-NP I-LOC
arrested VBD I-VP O
Tom NNP I-NP I-PER
Weber NNP I-NP I-PER
. . O O
`
	docs, err := ReadCoNLL(strings.NewReader(data))
	if err != nil {
		panic(err)
	}
	return docs
}

func TestReadCoNLL(t *testing.T) {
	const data = "-DOCSTART- -X- O O\n\nA x y I-ORG\nB x y B-ORG\nC x y I-ORG\nd x y O\nE x y I-PER\nF x y I-LOC\n\nG x y B-MISC\n"
	docs, err := ReadCoNLL(strings.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || len(docs[0].Sentences) != 2 {
		t.Fatalf("got %+v", docs)
	}
	// IOB1, as conlleval reads it: B-ORG starts a second ORG; a change of
	// class starts a new entity.
	want := []Span{{0, 1, ORG, 0}, {1, 3, ORG, 0}, {4, 5, PER, 0}, {5, 6, LOC, 0}}
	if got := docs[0].Sentences[0].Gold; !slices.Equal(got, want) {
		t.Errorf("spans %v, want %v", got, want)
	}
	if _, err := ReadCoNLL(strings.NewReader("A x y I-FOO\n")); err == nil {
		t.Error("accepted an unknown class")
	}
}

func TestTally(t *testing.T) {
	var tl Tally
	gold := []Span{{0, 2, PER, 0}, {3, 4, LOC, 0}, {5, 6, ORG, 0}}
	pred := []Span{{0, 2, PER, 0}, {3, 4, ORG, 0}, {5, 7, ORG, 0}, {8, 9, MISC, 0}}
	tl.Add(gold, pred)
	r := tl.Report()
	if r.Precision != 0.25 || r.Recall != 1.0/3 {
		t.Errorf("P %v R %v, want 0.25 and 1/3", r.Precision, r.Recall)
	}
	if s := r.PerType["PER"]; s.F1 != 1 || s.Support != 1 {
		t.Errorf("PER %+v", s)
	}
}

func TestBILOU(t *testing.T) {
	spans := []Span{{0, 1, PER, 0}, {2, 5, ORG, 0}, {5, 7, LOC, 0}}
	labels := make([]uint8, 8)
	encodeSpans(spans, labels)
	if got := decodeLabels(labels, nil); !slices.Equal(got, spans) {
		t.Errorf("round trip: %v, want %v", got, spans)
	}
	for p := 0; p < numLabels; p++ {
		for c := 0; c < numLabels; c++ {
			if allowed[p][c] && labelPos(c) == posI && c != 0 && (p == 0 || labelKind(p) != labelKind(c)) {
				t.Errorf("I-%v may follow label %d", labelKind(c), p)
			}
		}
	}
}

type want struct {
	text string
	typ  mosaic.MentionType
	nth  int // which occurrence of text, from 0
}

// The hard cases: invented texts of the kinds Mosaic reads, with every
// name fictional. Spans are found with strings.Index on the input.
var hardCases = []struct {
	name   string
	text   string
	want   []want
	absent []string // texts that must not be a mention
}{
	{
		name: "transcript",
		text: `NIGHTLINE SECURITY BRIEFING — TRANSCRIPT

HOST: Good evening. Joining us from Brussels is Karim Benali, a researcher at the Egmont Institute who studies ISIS recruitment in Belgium and France.
BENALI: Thank you. What we saw in Molenbeek was a network, not lone actors. The men were in contact with a coordinator in Raqqa, a man known as Abu Walid al-Faransi.
HOST: The Foreign Secretary Jane Doe said on Tuesday that ISIL has lost most of its territory in Syria and Iraq. Is Daesh finished?
BENALI: No. The group still runs cells in Idlib, and the SDF report attacks every week. Abdelkader el-Haddouchi, who was arrested in Antwerp, told police he had been sent by Abu Walid.
UNIDENTIFIED MALE: (inaudible)
HOST: Karim Benali, thank you.`,
		want: []want{
			{"Brussels", mosaic.Location, 0}, {"Karim Benali", mosaic.Person, 0},
			{"Egmont Institute", mosaic.Org, 0}, {"ISIS", mosaic.Org, 0},
			{"Belgium", mosaic.Location, 0}, {"France", mosaic.Location, 0},
			{"BENALI", mosaic.Person, 0}, {"Molenbeek", mosaic.Location, 0},
			{"Raqqa", mosaic.Location, 0}, {"Abu Walid al-Faransi", mosaic.Person, 0},
			{"Jane Doe", mosaic.Person, 0}, {"ISIL", mosaic.Org, 0},
			{"Syria", mosaic.Location, 0}, {"Iraq", mosaic.Location, 0},
			{"Daesh", mosaic.Org, 0}, {"BENALI", mosaic.Person, 1},
			{"Idlib", mosaic.Location, 0}, {"SDF", mosaic.Org, 0},
			{"Abdelkader el-Haddouchi", mosaic.Person, 0}, {"Antwerp", mosaic.Location, 0},
			{"Abu Walid", mosaic.Person, 1}, {"Karim Benali", mosaic.Person, 1},
		},
		absent: []string{"HOST", "UNIDENTIFIED MALE", "Foreign Secretary Jane Doe", "NIGHTLINE"},
	},
	{
		name: "speaker label named earlier",
		text: "ANCHOR: Our guest tonight is the reporter Mireille Vandamme.\nVANDAMME: Thank you.\nDR. OKAFOR: The cell met in Charleroi.",
		want: []want{
			{"Mireille Vandamme", mosaic.Person, 0}, {"VANDAMME", mosaic.Person, 0},
			{"OKAFOR", mosaic.Person, 0}, {"Charleroi", mosaic.Location, 0},
		},
		absent: []string{"ANCHOR", "DR. OKAFOR"},
	},
	{
		name: "all-caps headline",
		text: "ISLAMIC STATE CLAIMS ATTACK IN ALEPPO AS SDF FIGHTERS ADVANCE ON RAQQA\n\nThe group said its fighters had struck an army post near Aleppo.",
		want: []want{
			{"ISLAMIC STATE", mosaic.Org, 0}, {"ALEPPO", mosaic.Location, 0},
			{"SDF", mosaic.Org, 0}, {"RAQQA", mosaic.Location, 0}, {"Aleppo", mosaic.Location, 0},
		},
		absent: []string{"CLAIMS", "ATTACK", "FIGHTERS"},
	},
	{
		name: "Arabic names and kunyas",
		text: "The recruiter, Abu Suhail al-Maghribi, had worked with Abdelkader el-Haddouchi since 2014. Umm Khadija al-Tunisiya ran the group's women's wing.",
		want: []want{
			{"Abu Suhail al-Maghribi", mosaic.Person, 0}, {"Abdelkader el-Haddouchi", mosaic.Person, 0},
			{"Umm Khadija al-Tunisiya", mosaic.Person, 0},
		},
	},
	{
		name: "particles",
		text: "Dutch prosecutors charged Pieter van der Berg, 31, with financing terrorism. Osama bin Khalid and Khalil ibn Rashid were killed near Mosul.",
		want: []want{
			{"Dutch", mosaic.Misc, 0}, {"Pieter van der Berg", mosaic.Person, 0},
			{"Osama bin Khalid", mosaic.Person, 0}, {"Khalil ibn Rashid", mosaic.Person, 0},
			{"Mosul", mosaic.Location, 0},
		},
	},
	{
		name: "titles",
		text: "Foreign Secretary Jane Doe met General Tom Hartley and President Alain Dufresne in London on Monday.",
		want: []want{
			{"Jane Doe", mosaic.Person, 0}, {"Tom Hartley", mosaic.Person, 0},
			{"Alain Dufresne", mosaic.Person, 0}, {"London", mosaic.Location, 0},
		},
		absent: []string{"Foreign Secretary Jane Doe", "General Tom Hartley", "President Alain Dufresne"},
	},
	{
		// Decided: "X of <place>" after an organisation is one
		// organisation, as CoNLL reads "Bank of England".
		name: "nested organisation",
		text: "The Ministry of Defence of Iraq said the strike was carried out by the coalition.",
		want: []want{{"Ministry of Defence of Iraq", mosaic.Org, 0}},
	},
	{
		name: "lower case",
		text: "the suspect, abu suhail al-maghribi, travelled from brussels to istanbul and then to raqqa.",
		want: []want{
			{"abu suhail al-maghribi", mosaic.Person, 0}, {"brussels", mosaic.Location, 0},
			{"istanbul", mosaic.Location, 0}, {"raqqa", mosaic.Location, 0},
		},
		absent: []string{"suspect"},
	},
}

func TestHardCases(t *testing.T) {
	ex := extract.New(Recognizer())
	for _, tc := range hardCases {
		t.Run(tc.name, func(t *testing.T) {
			res := ex.Extract(tc.text, time.Time{})
			checkMentions(t, tc.text, res.Mentions)
			for _, w := range tc.want {
				start := nthIndex(tc.text, w.text, w.nth)
				if start < 0 {
					t.Fatalf("test bug: %q (#%d) not in the text", w.text, w.nth)
				}
				i := slices.IndexFunc(res.Mentions, func(m mosaic.Mention) bool {
					return m.Start == start && m.End == start+len(w.text)
				})
				if i < 0 {
					t.Errorf("no mention %q at %d; got %s", w.text, start, describe(res.Mentions))
					continue
				}
				if got := res.Mentions[i].Type; got != w.typ {
					t.Errorf("%q: type %s, want %s", w.text, got, w.typ)
				}
			}
			for _, a := range tc.absent {
				for _, m := range res.Mentions {
					if m.Text == a {
						t.Errorf("%q should not be a mention; got %s", a, m.Type)
					}
				}
			}
		})
	}
}

func nthIndex(s, sub string, n int) int {
	off := 0
	for {
		i := strings.Index(s[off:], sub)
		if i < 0 {
			return -1
		}
		if n == 0 {
			return off + i
		}
		n--
		off += i + len(sub)
	}
}

func describe(ms []mosaic.Mention) string {
	var b strings.Builder
	for _, m := range ms {
		b.WriteString("\n\t" + string(m.Type) + " " + m.Text)
	}
	return b.String()
}

// checkMentions asserts what Recognize promises: mentions in order, inside
// the text and their sentence, not overlapping, with text matching
// offsets and a confidence in (0, 1].
func checkMentions(t *testing.T, text string, ms []mosaic.Mention) {
	t.Helper()
	end := 0
	for _, m := range ms {
		if m.Start < end || m.Start >= m.End || m.End > len(text) {
			t.Fatalf("mention %+v out of order or out of bounds (previous end %d, text %d bytes)", m, end, len(text))
		}
		end = m.End
		if text[m.Start:m.End] != m.Text {
			t.Errorf("mention %+v: text is %q", m, text[m.Start:m.End])
		}
		if m.Sentence.Start > m.Start || m.Sentence.End < m.End {
			t.Errorf("mention %+v outside its sentence", m)
		}
		if !(m.Confidence > 0 && m.Confidence <= 1) {
			t.Errorf("mention %+v: confidence %v", m, m.Confidence)
		}
	}
}

func FuzzRecognize(f *testing.F) {
	for _, tc := range hardCases {
		f.Add(tc.text)
	}
	f.Add("VANDAMME:\n:\nQ: A:\n[00:12] DR. X: hi")
	f.Add("\xff\xfe al-\u0301 Abu")
	f.Add("")
	m := embeddedModel(f)
	f.Fuzz(func(t *testing.T, text string) {
		a := &extract.Analysis{Text: text, Sentences: extract.Split(text)}
		ms := m.Recognize(a)
		checkMentions(t, text, ms)
		for _, mm := range ms {
			switch mm.Type {
			case mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc:
			default:
				t.Errorf("mention type %s", mm.Type)
			}
		}
	})
}

// TestFitLogistic checks the confidence calibration stays finite and
// increasing even when the margins separate right from wrong perfectly.
func TestFitLogistic(t *testing.T) {
	xs := []float64{0, 1, 2, 3, 40, 50, 60, 70}
	ys := []float64{0, 0, 0, 0, 1, 1, 1, 1}
	a, b := fitLogistic(xs, ys)
	if !(a > 0) || a > 10 || b != b {
		t.Errorf("separable data: a=%v b=%v", a, b)
	}
}

// TestWordCacheExact tags the development set with the word cache (small
// enough to be emptied many times over) and without it, one feature at a
// time: every span and confidence must be the same, and the cache must
// have served most tokens.
func TestWordCacheExact(t *testing.T) {
	docs := readShared(t, "dev.txt")
	m := embeddedModel(t)
	cached, plain := m.state(), m.state()
	cached.fz.words.limit = 500
	plain.fz.words = nil
	tokens, analysed := 0, 0
	for _, d := range docs {
		var sents [][]string
		for _, s := range d.Sentences {
			sents = append(sents, s.Tokens)
			tokens += len(s.Tokens)
		}
		before := len(cached.fz.words.atoms)
		got := m.tagWith(cached, sents, false)
		if after := len(cached.fz.words.atoms); after >= before {
			analysed += after - before
		} else {
			analysed += after // emptied on the way: a lower bound
		}
		want := m.tagWith(plain, sents, false)
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("document %d: with the word cache %v, feature by feature %v", len(sents), got, want)
		}
	}
	if analysed == 0 || analysed > tokens/2 {
		t.Errorf("the cache analysed %d of %d tokens afresh", analysed, tokens)
	}
	t.Logf("%d tokens, %d analysed afresh", tokens, analysed)

	// Long tokens, at the bound and past it, twice in a sentence and
	// beside short ones: tagged as without the cache, and none past the
	// bound kept.
	at, past := strings.Repeat("Q", maxCachedWordBytes), strings.Repeat("Xy", maxCachedWordBytes)
	doc := [][]string{{"Ahmed", at, "met", past, "in", "Mosul", past, "."}, {past, "Ahmed", "of", at, "."}}
	got, want := m.tagWith(cached, doc, false), m.tagWith(plain, doc, false)
	if !reflect.DeepEqual(got, want) {
		t.Errorf("long tokens: with the word cache %v, feature by feature %v", got, want)
	}
	if _, ok := cached.fz.words.at[past]; ok {
		t.Errorf("a token of %d bytes was cached", len(past))
	}
	if _, ok := cached.fz.words.at[at]; !ok {
		t.Errorf("a token of %d bytes was not cached", len(at))
	}
	for w := range cached.fz.words.at {
		if len(w) > maxCachedWordBytes {
			t.Errorf("cached a token of %d bytes", len(w))
		}
	}

	// A sentence of more new words than the cache holds fills it and
	// tags the rest feature by feature.
	cached.fz.words.limit = 8
	var long []string
	for i := range 30 {
		long = append(long, []string{"Said", "Omar", "of", "Tikrit"}[i%4]+strings.Repeat("a", i/4))
	}
	got, want = m.tagWith(cached, [][]string{long}, false), m.tagWith(plain, [][]string{long}, false)
	if n := len(cached.fz.words.at); n != 8 {
		t.Errorf("a cache of 8 words holds %d after a sentence of 30", n)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("a sentence past the cache: with it %v, feature by feature %v", got, want)
	}
}
