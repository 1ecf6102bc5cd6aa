package entity

import (
	"slices"
	"strings"

	"mosaic"
	"mosaic/internal/annotated"
)

// CorefReport scores within-document resolution against gold coreference
// clusters (Re-DocRED's entities): B-cubed over every gold name mention,
// pooled across documents, for Mosaic's resolution (Groups) and two
// baselines — every mention its own entity, and mentions of the same text
// one entity.
type CorefReport struct {
	Mosaic Scores `json:"mosaic"`
	// Singletons puts every mention in its own cluster: B-cubed precision
	// 1, and recall the share of mentions already alone.
	Singletons Scores `json:"singletons"`
	// SameText joins mentions whose text is equal after folding case.
	SameText Scores `json:"same_text"`
	// PerType scores Mosaic on the mentions of each gold type.
	PerType map[mosaic.MentionType]Scores `json:"per_type"`
	// Documents and Mentions count what was scored; Entities the gold
	// clusters with at least one scored mention.
	Documents int `json:"documents"`
	Mentions  int `json:"mentions"`
	Entities  int `json:"entities"`
}

// EvaluateCoref runs Groups over each document's gold name mentions
// (PERSON, ORG, LOCATION, MISC; dates and numbers are not resolved) laid out
// by Document.Text, and scores the clusters against the gold ones.
func EvaluateCoref(docs []annotated.Document) CorefReport {
	var pred, gold, single, same []int
	var types []mosaic.MentionType
	r := CorefReport{Documents: len(docs), PerType: map[mosaic.MentionType]Scores{}}
	next := 0 // cluster ids are unique across documents
	for _, d := range docs {
		text, spans := d.Text()
		type goldMention struct {
			m      mosaic.Mention
			entity int
		}
		var gms []goldMention
		for ei, e := range d.Entities {
			for _, am := range e.Mentions {
				if !isName(am.Type) {
					continue
				}
				sp := am.ByteSpan(spans)
				line := spans[am.Sent]
				gms = append(gms, goldMention{mosaic.Mention{
					Start: sp.Start, End: sp.End, Type: am.Type, Text: text[sp.Start:sp.End],
					Sentence:   mosaic.Span{Start: line[0].Start, End: line[len(line)-1].End},
					Confidence: 1,
				}, ei})
			}
		}
		if len(gms) == 0 {
			continue
		}
		slices.SortStableFunc(gms, func(a, b goldMention) int {
			if a.m.Start != b.m.Start {
				return a.m.Start - b.m.Start
			}
			return b.m.End - a.m.End
		})
		ms := make([]mosaic.Mention, len(gms))
		for i, g := range gms {
			ms[i] = g.m
		}
		groups := Groups(text, ms)
		byText := map[string]int{}
		seen := map[int]bool{}
		for i, g := range gms {
			pred = append(pred, next+groups[i])
			gold = append(gold, next+g.entity+len(gms))
			single = append(single, next+i)
			key := strings.ToLower(g.m.Text)
			if _, ok := byText[key]; !ok {
				byText[key] = i
			}
			same = append(same, next+byText[key])
			types = append(types, g.m.Type)
			seen[g.entity] = true
		}
		r.Entities += len(seen)
		next += len(gms) + len(d.Entities)
	}
	r.Mosaic = BCubed(pred, gold)
	r.Singletons = BCubed(single, gold)
	r.SameText = BCubed(same, gold)
	r.Mentions = len(pred)
	for _, t := range []mosaic.MentionType{mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc} {
		// B-cubed restricted to one type's mentions: their clusters are
		// scored among themselves.
		var p, g []int
		for i := range pred {
			if types[i] == t {
				p, g = append(p, pred[i]), append(g, gold[i])
			}
		}
		if len(p) > 0 {
			r.PerType[t] = BCubed(p, g)
		}
	}
	return r
}
