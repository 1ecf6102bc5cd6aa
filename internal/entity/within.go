package entity

import "mosaic"

// Groups returns the within-document resolution of a document's mentions:
// for each mention, the index of the mention that introduces its group (the
// mention itself for an introducing name), or -1 for a mention that is not
// a name (dates, phones, ...). It applies what ResolveDocument applies before
// matching names across documents — coreference (Corefer), the joining of
// full names that match each other, and the settling of a surname two
// people of the document share (sharedSurnames) — so it is what `mosaic
// eval coref` scores. Mentions must be sorted by Start.
func Groups(text string, ms []mosaic.Mention) []int {
	to, _ := withinDocument(text, ms)
	out := make([]int, len(ms))
	for i, m := range ms {
		if !isName(m.Type) {
			out[i] = -1
			continue
		}
		r := i
		for to[r] >= 0 {
			r = to[r]
		}
		out[i] = r
	}
	return out
}

// Within is how the mentions of one document share names within it: the
// mention each one names again, and why. It depends on the document alone,
// so ingestion works it out where documents are read in parallel, before
// the resolver's turn (Resolver.PlanNew), which is one at a time.
type Within struct {
	to  []int
	why []string
}

// WithinDocument works out how a document's mentions share names.
func WithinDocument(text string, ms []mosaic.Mention) *Within {
	to, why := withinDocument(text, ms)
	return &Within{to: to, why: why}
}

// withinDocument links each mention to the mention whose name it shares in
// the document (to[i], -1 for none) with the reason (why[i]).
func withinDocument(text string, ms []mosaic.Mention) (to []int, why []string) {
	to = make([]int, len(ms))
	why = make([]string, len(ms))
	for i := range to {
		to[i] = -1
	}
	for _, l := range Corefer(text, ms) {
		to[l.From], why[l.From] = l.To, l.Reason
	}
	joinMatchingRoots(ms, to, why)
	sharedSurnames(text, ms, to, why)
	return to, why
}
