package ner

import "time"

// Evaluate tags docs with m on the calling goroutine and scores the result
// against their gold entities. Only tagging is timed.
func Evaluate(m *Model, docs []Document) Report {
	var tally Tally
	var elapsed time.Duration
	tokens, sentences := 0, 0
	for _, d := range docs {
		sents := make([][]string, len(d.Sentences))
		for i, s := range d.Sentences {
			sents[i] = s.Tokens
			tokens += len(s.Tokens)
		}
		sentences += len(sents)
		start := time.Now()
		got := m.TagDocument(sents)
		elapsed += time.Since(start)
		for i, s := range d.Sentences {
			tally.Add(s.Gold, got[i])
		}
	}
	r := tally.Report()
	r.Tokens, r.Sentences, r.Documents = tokens, sentences, len(docs)
	r.Seconds = elapsed.Seconds()
	if elapsed > 0 {
		r.TokensPerSecond = float64(tokens) / elapsed.Seconds()
	}
	return r
}
