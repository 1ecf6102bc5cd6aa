package relation

import (
	"slices"

	"mosaic"
	"mosaic/internal/annotated"
)

// Triple is a typed relation between two entities of one document, indexes
// into its Entities. Family triples are kept with From < To, kinship being
// read as symmetric.
type Triple struct {
	From, To int
	Type     mosaic.RelationType
}

// normal returns t as scoring compares it.
func (t Triple) normal() Triple {
	if Symmetric(t.Type) && t.From > t.To {
		t.From, t.To = t.To, t.From
	}
	return t
}

// Gold returns a document's relations of the types the classifier knows, as
// triples: stated are those whose two entities are both named in one of the
// relation's evidence sentences — all that a sentence-level extractor can
// find — or, for a relation the corpus gives no evidence for, in any one
// sentence, as training reads it (pairLabel); all are every one. Both are
// sorted and without duplicates.
func Gold(d *annotated.Document) (stated, all []Triple) {
	inSent := make([]map[int]bool, len(d.Sentences))
	for ei, e := range d.Entities {
		for _, m := range e.Mentions {
			if inSent[m.Sent] == nil {
				inSent[m.Sent] = map[int]bool{}
			}
			inSent[m.Sent][ei] = true
		}
	}
	for _, r := range d.Relations {
		if typeIndex(r.Type) < 0 || r.From == r.To {
			continue
		}
		t := Triple{r.From, r.To, r.Type}.normal()
		all = append(all, t)
		evidence := r.Evidence
		if len(evidence) == 0 {
			evidence = allSentences(len(d.Sentences))
		}
		for _, s := range evidence {
			if s >= 0 && s < len(inSent) && inSent[s][r.From] && inSent[s][r.To] {
				stated = append(stated, t)
				break
			}
		}
	}
	return uniq(stated), uniq(all)
}

// allSentences returns 0, 1, ..., n-1.
func allSentences(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

func cmpTriple(a, b Triple) int {
	switch {
	case a.From != b.From:
		return a.From - b.From
	case a.To != b.To:
		return a.To - b.To
	case a.Type < b.Type:
		return -1
	case a.Type > b.Type:
		return 1
	}
	return 0
}

func uniq(ts []Triple) []Triple {
	for i := range ts {
		ts[i] = ts[i].normal()
	}
	slices.SortFunc(ts, cmpTriple)
	return slices.Compact(ts)
}

// Count holds the figures of one type or of all.
type Count struct {
	Predicted int `json:"predicted"`
	Correct   int `json:"correct"`
	Gold      int `json:"gold"`
}

// Precision is Correct/Predicted, 0 when nothing was predicted.
func (c Count) Precision() float64 { return ratio(c.Correct, c.Predicted) }

// Recall is Correct/Gold, 0 when there is no gold.
func (c Count) Recall() float64 { return ratio(c.Correct, c.Gold) }

// F1 is the harmonic mean of precision and recall.
func (c Count) F1() float64 {
	p, r := c.Precision(), c.Recall()
	if p+r == 0 {
		return 0
	}
	return 2 * p * r / (p + r)
}

func ratio(a, b int) float64 {
	if b == 0 {
		return 0
	}
	return float64(a) / float64(b)
}

// Tally accumulates predicted and gold triples over documents, per type.
type Tally struct {
	PerType [numTypes]Count
}

// Add scores one document's predictions against its gold. Predictions of
// types the classifier does not know are ignored; duplicates count once.
func (t *Tally) Add(pred, gold []Triple) {
	var ps []Triple
	for _, p := range pred {
		if typeIndex(p.Type) >= 0 {
			ps = append(ps, p)
		}
	}
	ps, gold = uniq(ps), uniq(slices.Clone(gold))
	for _, p := range ps {
		c := &t.PerType[typeIndex(p.Type)]
		c.Predicted++
		if _, ok := slices.BinarySearchFunc(gold, p, cmpTriple); ok {
			c.Correct++
		}
	}
	for _, g := range gold {
		t.PerType[typeIndex(g.Type)].Gold++
	}
}

// All returns the figures over every type.
func (t *Tally) All() Count {
	var a Count
	for _, c := range t.PerType {
		a.Predicted += c.Predicted
		a.Correct += c.Correct
		a.Gold += c.Gold
	}
	return a
}

// Of returns the figures of one type.
func (t *Tally) Of(typ mosaic.RelationType) Count {
	if i := typeIndex(typ); i >= 0 {
		return t.PerType[i]
	}
	return Count{}
}

// Scored is a Count with its ratios, as reports print it.
type Scored struct {
	Type string `json:"type"`
	Count
	P  float64 `json:"precision"`
	R  float64 `json:"recall"`
	F1 float64 `json:"f1"`
}

// Scores returns the overall figures ("all"), then each type's.
func (t *Tally) Scores() []Scored {
	mk := func(name string, c Count) Scored {
		return Scored{Type: name, Count: c, P: c.Precision(), R: c.Recall(), F1: c.F1()}
	}
	out := []Scored{mk("all", t.All())}
	for i, typ := range types {
		out = append(out, mk(string(typ), t.PerType[i]))
	}
	return out
}

// Scored pairs: a candidate triple with the probability the model gives it
// (the highest over the mention pairs that name its entities).
type candidate struct {
	Triple
	prob float64
}

// candidates returns the model's best class for every pair of gold name
// mentions in a sentence of d, as entity triples, each with its highest
// probability, thresholds not applied.
func (m *Model) candidates(d *annotated.Document) []candidate {
	var out []candidate
	for si, ms := range sentenceMentions(d) {
		for i := range ms {
			for j := i + 1; j < len(ms); j++ {
				if ms[i].entity == ms[j].entity {
					continue
				}
				p := newPair(d.Sentences[si], ms, i, j)
				c, prob := m.Classify(&p)
				if c == None {
					continue
				}
				from, to := ms[i].entity, ms[j].entity
				if !c.Forward() {
					from, to = to, from
				}
				out = append(out, candidate{Triple{from, to, c.Type()}.normal(), prob})
			}
		}
	}
	slices.SortFunc(out, func(a, b candidate) int {
		if c := cmpTriple(a.Triple, b.Triple); c != 0 {
			return c
		}
		switch {
		case a.prob > b.prob:
			return -1
		case a.prob < b.prob:
			return 1
		}
		return 0
	})
	return slices.CompactFunc(out, func(a, b candidate) bool { return a.Triple == b.Triple })
}

// Predict returns the relations the model states between the gold name
// mentions of d, thresholds applied, as entity triples.
func (m *Model) Predict(d *annotated.Document) []Triple {
	var out []Triple
	for _, c := range m.candidates(d) {
		if c.prob >= m.Threshold(c.Type) {
			out = append(out, c.Triple)
		}
	}
	return out
}

// Evaluate scores the model on docs with their gold mentions given: stated
// against the relations stated in one sentence (see Gold), all against
// every relation of a known type.
func (m *Model) Evaluate(docs []annotated.Document) (stated, all Tally) {
	for i := range docs {
		pred := m.Predict(&docs[i])
		s, a := Gold(&docs[i])
		stated.Add(pred, s)
		all.Add(pred, a)
	}
	return stated, all
}

// CoOccurrence scores the baseline that links every two entities named in
// one sentence, untyped, at the level of entity pairs: a pair counts as
// correct if the stated gold (see Gold) has a relation of a known type
// between them either way; Gold counts the pairs so related.
func CoOccurrence(docs []annotated.Document) Count {
	var c Count
	for i := range docs {
		d := &docs[i]
		stated, _ := Gold(d)
		related := map[[2]int]bool{}
		for _, g := range stated {
			related[[2]int{min(g.From, g.To), max(g.From, g.To)}] = true
		}
		pairs := map[[2]int]bool{}
		for _, ms := range sentenceMentions(d) {
			for i := range ms {
				for j := i + 1; j < len(ms); j++ {
					a, b := ms[i].entity, ms[j].entity
					if a != b {
						pairs[[2]int{min(a, b), max(a, b)}] = true
					}
				}
			}
		}
		c.Predicted += len(pairs)
		c.Gold += len(related)
		for p := range pairs {
			if related[p] {
				c.Correct++
			}
		}
	}
	return c
}

// Thresholds sets each type's threshold to the probability at which the
// model's relations of that type on docs (gold mentions given, against the
// stated gold) have the best F1 of those that reach precision minPrecision;
// where none reaches it, the one of best F1 overall. A type docs hold no
// relation of keeps its threshold.
func (m *Model) Thresholds(docs []annotated.Document, minPrecision float64) {
	type scoredCand struct {
		prob    float64
		correct bool
	}
	var byType [numTypes][]scoredCand
	var gold [numTypes]int
	for i := range docs {
		stated, _ := Gold(&docs[i])
		for _, g := range stated {
			gold[typeIndex(g.Type)]++
		}
		for _, c := range m.candidates(&docs[i]) {
			_, ok := slices.BinarySearchFunc(stated, c.Triple, cmpTriple)
			byType[typeIndex(c.Type)] = append(byType[typeIndex(c.Type)], scoredCand{c.prob, ok})
		}
	}
	for ti, cs := range byType {
		if gold[ti] == 0 || len(cs) == 0 {
			continue
		}
		slices.SortStableFunc(cs, func(a, b scoredCand) int {
			switch {
			case a.prob > b.prob:
				return -1
			case a.prob < b.prob:
				return 1
			}
			return 0
		})
		bestOK, bestF1 := -1.0, -1.0
		var okT, f1T float64
		correct := 0
		for k, c := range cs {
			if c.correct {
				correct++
			}
			if k+1 < len(cs) && cs[k+1].prob == c.prob {
				continue
			}
			cnt := Count{Predicted: k + 1, Correct: correct, Gold: gold[ti]}
			if f := cnt.F1(); f > bestF1 {
				bestF1, f1T = f, c.prob
			}
			if cnt.Precision() >= minPrecision && cnt.F1() > bestOK {
				bestOK, okT = cnt.F1(), c.prob
			}
		}
		if bestOK >= 0 {
			m.thresholds[ti] = okT
		} else {
			m.thresholds[ti] = f1T
		}
	}
}
