package relation

import (
	"slices"

	"mosaic"
	"mosaic/internal/annotated"
)

// Example is a pair with the class the annotators give it.
type Example struct {
	Pair  Pair
	Class Class
}

// isName reports a mention type the classifier reads: a name.
func isName(t mosaic.MentionType) bool {
	return t == mosaic.Person || t == mosaic.Org || t == mosaic.Location || t == mosaic.Misc
}

// sentMention is a gold mention of one sentence, with its entity.
type sentMention struct {
	Arg
	entity int
}

// sentenceMentions returns each sentence's name mentions, sorted by start,
// nested or overlapping ones dropped (the longer kept).
func sentenceMentions(d *annotated.Document) [][]sentMention {
	out := make([][]sentMention, len(d.Sentences))
	for ei, e := range d.Entities {
		for _, m := range e.Mentions {
			if !isName(m.Type) {
				continue
			}
			out[m.Sent] = append(out[m.Sent], sentMention{Arg{m.Start, m.End, m.Type}, ei})
		}
	}
	for si, ms := range out {
		slices.SortFunc(ms, func(a, b sentMention) int {
			if a.Start != b.Start {
				return a.Start - b.Start
			}
			return b.End - a.End
		})
		keep := ms[:0]
		for _, m := range ms {
			if n := len(keep); n > 0 && m.Start < keep[n-1].End {
				continue
			}
			keep = append(keep, m)
		}
		out[si] = keep
	}
	return out
}

// pairLabel says what the gold says of entities a (mentioned first) and b
// in sentence sent: the class, or skip when a mapped relation holds between
// them but this sentence is not its evidence (the pair teaches nothing).
func pairLabel(d *annotated.Document, a, b, sent int) (c Class, skip bool) {
	best := None
	for _, r := range d.Relations {
		if r.Type == "" || typeIndex(r.Type) < 0 {
			continue
		}
		var forward bool
		switch {
		case r.From == a && r.To == b:
			forward = true
		case r.From == b && r.To == a:
		default:
			continue
		}
		if len(r.Evidence) > 0 && !slices.Contains(r.Evidence, sent) {
			skip = true
			continue
		}
		if c := ClassOf(r.Type, forward); best == None || c < best {
			best = c
		}
	}
	if best != None {
		return best, false
	}
	return None, skip
}

// ExampleOptions says which pairs become examples.
type ExampleOptions struct {
	// Negatives is the share of pairs labelled None kept, chosen by a hash
	// of the document, sentence and pair, so the same ones every run.
	Negatives float64
}

// Examples returns the training examples of docs: every pair of name
// mentions of different entities in one sentence, labelled by pairLabel,
// those whose gold class their types rule out left out.
func Examples(docs []annotated.Document, opt ExampleOptions) []Example {
	var out []Example
	for di := range docs {
		d := &docs[di]
		for si, ms := range sentenceMentions(d) {
			for i := range ms {
				for j := i + 1; j < len(ms); j++ {
					if ms[i].entity == ms[j].entity {
						continue
					}
					c, skip := pairLabel(d, ms[i].entity, ms[j].entity, si)
					if skip {
						continue
					}
					p := newPair(d.Sentences[si], ms, i, j)
					if !p.allowed(c) {
						continue
					}
					if c == None && opt.Negatives < 1 && keepScore(d.ID, si, i, j) >= opt.Negatives {
						continue
					}
					out = append(out, Example{Pair: p, Class: c})
				}
			}
		}
	}
	return out
}

// newPair returns the pair of mentions i and j of ms in sentence words.
func newPair(words []string, ms []sentMention, i, j int) Pair {
	p := Pair{Words: words, A: ms[i].Arg, B: ms[j].Arg}
	for k, m := range ms {
		if k != i && k != j {
			p.Others = append(p.Others, m.Arg)
		}
	}
	return p
}

// keepScore maps a pair to [0, 1) by hashing where it is.
func keepScore(doc string, sent, i, j int) float64 {
	h := hashString(fnvOffset, doc)
	for _, n := range []int{sent, i, j} {
		h ^= uint64(n) + 0x9e3779b97f4a7c15
		h *= fnvPrime
	}
	h ^= h >> 29
	h *= 0xbf58476d1ce4e5b9
	h ^= h >> 32
	return float64(h>>11) / (1 << 53)
}
