package ner

import (
	"slices"
	"time"
)

// Evaluate tags docs with m on the calling goroutine and scores the result
// against their gold entities. Only tagging is timed. In a partly annotated
// corpus (FromAnnotated), a predicted name that lies wholly on tokens the
// corpus left unannotated, with a class it does not annotate there, is
// neither right nor wrong: it is counted in Report.Unscored.
func Evaluate(m *Model, docs []Document) Report {
	var tally Tally
	var elapsed time.Duration
	tokens, sentences, unscored := 0, 0, 0
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
			pred := got[i]
			if s.Free != nil {
				pred = slices.DeleteFunc(slices.Clone(pred), func(p Span) bool { return unannotated(p, s.Free) })
				unscored += len(got[i]) - len(pred)
			}
			tally.Add(s.Gold, pred)
		}
	}
	r := tally.Report()
	r.Tokens, r.Sentences, r.Documents, r.Unscored = tokens, sentences, len(docs), unscored
	r.Seconds = elapsed.Seconds()
	if elapsed > 0 {
		r.TokensPerSecond = float64(tokens) / elapsed.Seconds()
	}
	return r
}

// unannotated reports whether every token of p is free to take p's class.
func unannotated(p Span, free []uint8) bool {
	for t := p.Start; t < p.End; t++ {
		switch free[t] {
		case freeAny:
		case freeMisc:
			if p.Kind != MISC {
				return false
			}
		default:
			return false
		}
	}
	return true
}
