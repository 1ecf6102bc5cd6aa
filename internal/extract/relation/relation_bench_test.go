package relation

import "testing"

// BenchmarkClassifySentence classifies every pair of gold name mentions in
// CoNLL04 dev sentences: the model's cost per sentence as Relate pays it.
func BenchmarkClassifySentence(b *testing.B) {
	docs := corpus(b, "conll04/dev.json", "conll04")
	m, err := Default()
	if err != nil {
		b.Fatal(err)
	}
	var pairs []Pair
	for i := range docs {
		for si, ms := range sentenceMentions(&docs[i]) {
			for x := range ms {
				for y := x + 1; y < len(ms); y++ {
					pairs = append(pairs, newPair(docs[i].Sentences[si], ms, x, y))
				}
			}
		}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for n := 0; n < b.N; n++ {
		for i := range pairs {
			m.Classify(&pairs[i])
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(docs))/1e3, "µs/sentence")
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(len(pairs))/1e3, "µs/pair")
}
