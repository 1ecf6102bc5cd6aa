package ner

// Scores are precision, recall and F1 of exact-match entity spans, as the
// CoNLL-2003 shared task's conlleval scores them: a predicted entity counts
// only if both its boundaries and its class match a gold one.
type Scores struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// Support is the number of gold entities.
	Support int `json:"support"`
}

// Counts tallies entity matches; Scores derives from it.
type Counts struct {
	Correct, Predicted, Gold int
}

// Scores returns precision, recall and F1 (0 where undefined).
func (c Counts) Scores() Scores {
	s := Scores{Support: c.Gold}
	if c.Predicted > 0 {
		s.Precision = float64(c.Correct) / float64(c.Predicted)
	}
	if c.Gold > 0 {
		s.Recall = float64(c.Correct) / float64(c.Gold)
	}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// Tally counts exact matches overall and per class.
type Tally struct {
	All     Counts
	PerKind [numKinds]Counts
}

// Add compares the predicted spans of one sentence with the gold ones.
func (t *Tally) Add(gold, pred []Span) {
	for _, g := range gold {
		t.All.Gold++
		t.PerKind[g.Kind].Gold++
	}
	for _, p := range pred {
		t.All.Predicted++
		t.PerKind[p.Kind].Predicted++
		for _, g := range gold {
			if g.Start == p.Start && g.End == p.End && g.Kind == p.Kind {
				t.All.Correct++
				t.PerKind[p.Kind].Correct++
				break
			}
		}
	}
}

// Report is what `mosaic eval ner` prints.
type Report struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	// PerType is keyed by the CoNLL class names PER, ORG, LOC and MISC.
	PerType   map[string]Scores `json:"per_type"`
	Tokens    int               `json:"tokens"`
	Sentences int               `json:"sentences"`
	Documents int               `json:"documents"`
	// Unscored counts predicted names left out of the scores because
	// the corpus does not annotate names there (see Evaluate).
	Unscored int `json:"unscored,omitempty"`
	// Seconds is the time spent tagging, on one goroutine.
	Seconds         float64 `json:"seconds"`
	TokensPerSecond float64 `json:"tokens_per_second"`
}

// Report turns the tally into a Report (without the token counts and time).
func (t *Tally) Report() Report {
	s := t.All.Scores()
	r := Report{Precision: s.Precision, Recall: s.Recall, F1: s.F1, PerType: map[string]Scores{}}
	for k := range numKinds {
		r.PerType[k.String()] = t.PerKind[k].Scores()
	}
	return r
}
