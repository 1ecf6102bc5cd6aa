package annotated

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"

	"mosaic"
)

// ReadFile reads a corpus file by its layout: "conll04" or "redocred".
func ReadFile(path, layout string) ([]Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var docs []Document
	switch layout {
	case "conll04":
		docs, err = ReadCoNLL04(f)
	case "redocred":
		docs, err = ReadReDocRED(f)
	default:
		return nil, fmt.Errorf("%s: unknown corpus layout %q (want conll04 or redocred)", path, layout)
	}
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}

// conll04Sentence is one element of a CoNLL04 JSON file.
type conll04Sentence struct {
	Tokens    []string `json:"tokens"`
	Tags      []string `json:"tags"`
	Relations []struct {
		Head int    `json:"head"`
		Tail int    `json:"tail"`
		Type string `json:"type"`
	} `json:"relations"`
	OrigID json.RawMessage `json:"orig_id"`
}

// ReadCoNLL04 reads CoNLL04 in its JSON layout: a list of sentences with
// BILOU tags (Peop, Org, Loc, Other) and relations whose head and tail index
// the sentence's entities in tag order. Each sentence is one Document.
func ReadCoNLL04(r io.Reader) ([]Document, error) {
	var in []conll04Sentence
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return nil, fmt.Errorf("conll04: %w", err)
	}
	docs := make([]Document, 0, len(in))
	for i, s := range in {
		if len(s.Tags) != len(s.Tokens) {
			return nil, fmt.Errorf("conll04 sentence %d: %d tags for %d tokens", i, len(s.Tags), len(s.Tokens))
		}
		ms, err := bilouSpans(s.Tags)
		if err != nil {
			return nil, fmt.Errorf("conll04 sentence %d: %w", i, err)
		}
		d := Document{ID: strings.Trim(string(s.OrigID), `"`), Sentences: [][]string{s.Tokens}}
		for _, m := range ms {
			d.Entities = append(d.Entities, Entity{Type: m.Type, Mentions: []Mention{m}})
		}
		for _, rel := range s.Relations {
			if rel.Head < 0 || rel.Head >= len(ms) || rel.Tail < 0 || rel.Tail >= len(ms) {
				return nil, fmt.Errorf("conll04 sentence %d: relation %s between entities %d and %d of %d", i, rel.Type, rel.Head, rel.Tail, len(ms))
			}
			typ, reversed := MapLabel(rel.Type)
			from, to := rel.Head, rel.Tail
			if reversed {
				from, to = to, from
			}
			d.Relations = append(d.Relations, Relation{From: from, To: to, Type: typ, Label: rel.Type, Evidence: []int{0}})
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// bilouSpans reads BILOU tags ("B-Peop", "I-Peop", "L-Peop", "U-Loc", "O")
// into mentions of sentence 0, in order.
func bilouSpans(tags []string) ([]Mention, error) {
	var out []Mention
	open := -1
	label := ""
	for i, t := range tags {
		if t == "O" {
			if open >= 0 {
				return nil, fmt.Errorf("token %d: entity opened at %d not closed", i, open)
			}
			continue
		}
		pos, lab, ok := strings.Cut(t, "-")
		if !ok || len(pos) != 1 {
			return nil, fmt.Errorf("token %d: tag %q", i, t)
		}
		switch pos {
		case "U":
			if open >= 0 {
				return nil, fmt.Errorf("token %d: entity opened at %d not closed", i, open)
			}
			out = append(out, Mention{Start: i, End: i + 1, Label: lab, Type: mentionType(lab)})
		case "B":
			if open >= 0 {
				return nil, fmt.Errorf("token %d: entity opened at %d not closed", i, open)
			}
			open, label = i, lab
		case "I", "L":
			if open < 0 || lab != label {
				return nil, fmt.Errorf("token %d: tag %q continues no %s entity", i, t, lab)
			}
			if pos == "L" {
				out = append(out, Mention{Start: open, End: i + 1, Label: lab, Type: mentionType(lab)})
				open = -1
			}
		default:
			return nil, fmt.Errorf("token %d: tag %q", i, t)
		}
	}
	if open >= 0 {
		return nil, fmt.Errorf("entity opened at %d not closed", open)
	}
	return out, nil
}

// reDocREDDocument is one element of a Re-DocRED JSON file.
type reDocREDDocument struct {
	Title     string     `json:"title"`
	Sents     [][]string `json:"sents"`
	VertexSet [][]struct {
		Name   string `json:"name"`
		Pos    []int  `json:"pos"`
		SentID int    `json:"sent_id"`
		Type   string `json:"type"`
	} `json:"vertexSet"`
	Labels []struct {
		H        int    `json:"h"`
		T        int    `json:"t"`
		R        string `json:"r"`
		Evidence []int  `json:"evidence"`
	} `json:"labels"`
}

// ReadReDocRED reads Re-DocRED's JSON layout: documents of tokenised
// sentences, a vertex set of entities each with all its mentions, and
// labels naming Wikidata properties between entities.
func ReadReDocRED(r io.Reader) ([]Document, error) {
	var in []reDocREDDocument
	if err := json.NewDecoder(r).Decode(&in); err != nil {
		return nil, fmt.Errorf("redocred: %w", err)
	}
	docs := make([]Document, 0, len(in))
	for di, x := range in {
		d := Document{ID: x.Title, Sentences: x.Sents}
		for vi, v := range x.VertexSet {
			var e Entity
			for _, m := range v {
				if len(m.Pos) != 2 || m.SentID < 0 || m.SentID >= len(x.Sents) ||
					m.Pos[0] < 0 || m.Pos[0] >= m.Pos[1] || m.Pos[1] > len(x.Sents[m.SentID]) {
					return nil, fmt.Errorf("redocred document %d (%s): entity %d: mention %q at sentence %d %v out of range", di, x.Title, vi, m.Name, m.SentID, m.Pos)
				}
				e.Mentions = append(e.Mentions, Mention{Sent: m.SentID, Start: m.Pos[0], End: m.Pos[1], Label: m.Type, Type: mentionType(m.Type)})
			}
			if len(e.Mentions) == 0 {
				return nil, fmt.Errorf("redocred document %d (%s): entity %d has no mentions", di, x.Title, vi)
			}
			e.Type = e.Mentions[0].Type
			d.Entities = append(d.Entities, e)
		}
		for _, l := range x.Labels {
			if l.H < 0 || l.H >= len(d.Entities) || l.T < 0 || l.T >= len(d.Entities) {
				return nil, fmt.Errorf("redocred document %d (%s): label %s between entities %d and %d of %d", di, x.Title, l.R, l.H, l.T, len(d.Entities))
			}
			typ, reversed := MapLabel(l.R)
			from, to := l.H, l.T
			if reversed {
				from, to = to, from
			}
			d.Relations = append(d.Relations, Relation{From: from, To: to, Type: typ, Label: l.R, Evidence: l.Evidence})
		}
		docs = append(docs, d)
	}
	return docs, nil
}

// mentionType maps a corpus entity label to Mosaic's type.
func mentionType(label string) mosaic.MentionType {
	switch label {
	case "Peop", "PER":
		return mosaic.Person
	case "Org", "ORG":
		return mosaic.Org
	case "Loc", "LOC":
		return mosaic.Location
	case "Other", "MISC":
		return mosaic.Misc
	case "TIME":
		return mosaic.Date
	}
	return ""
}

// labelMap maps corpus relation labels to Mosaic's types. reversed marks a
// label whose head is what Mosaic calls To: "P488 chairperson" goes from
// the organisation to its chair, Mosaic's member relation from the chair to
// the organisation.
//
// Choices beyond the shared guide, and why:
//   - P39 (position held) is left out: its tail is an office ("Prime
//     Minister of X"), not a group, so it would teach the model that a
//     member link goes to a title.
//   - P607 (conflict), P710 and P1344 (participant) are left out of attack:
//     taking part in a war or a tournament is not attacking someone, and
//     the attack class would learn sport and battles as its evidence. Kill
//     (CoNLL04) stays attack.
//   - Dates, part-of and works stay unmapped (Type ""), like any label not
//     listed.
var labelMap = map[string]struct {
	typ      mosaic.RelationType
	reversed bool
}{
	// CoNLL04.
	"Work_For":    {mosaic.Member, false},
	"Kill":        {mosaic.Attack, false},
	"Located_In":  {mosaic.LocatedIn, false},
	"OrgBased_In": {mosaic.LocatedIn, false},
	"Live_In":     {mosaic.LocatedIn, false},
	// Re-DocRED, by Wikidata property.
	"P463":  {mosaic.Member, false}, // member of
	"P102":  {mosaic.Member, false}, // member of political party
	"P108":  {mosaic.Member, false}, // employer
	"P54":   {mosaic.Member, false}, // member of sports team
	"P488":  {mosaic.Member, true},  // chairperson: the group, then its chair
	"P112":  {mosaic.Member, true},  // founded by: the group, then its founder
	"P749":  {mosaic.Member, false}, // parent organization: the part belongs to the parent
	"P355":  {mosaic.Member, true},  // subsidiary: the parent, then the part
	"P131":  {mosaic.LocatedIn, false},
	"P276":  {mosaic.LocatedIn, false},
	"P17":   {mosaic.LocatedIn, false},
	"P159":  {mosaic.LocatedIn, false},
	"P551":  {mosaic.LocatedIn, false},
	"P937":  {mosaic.LocatedIn, false},
	"P19":   {mosaic.LocatedIn, false},
	"P20":   {mosaic.LocatedIn, false},
	"P27":   {mosaic.LocatedIn, false},
	"P740":  {mosaic.LocatedIn, false},
	"P3373": {mosaic.Family, false}, // sibling
	"P26":   {mosaic.Family, false}, // spouse
	"P40":   {mosaic.Family, false}, // child
	"P22":   {mosaic.Family, false}, // father
	"P25":   {mosaic.Family, false}, // mother
	"P1038": {mosaic.Family, false}, // relative
}

// MapLabel returns the Mosaic relation type of a corpus label, and whether
// the corpus's head is Mosaic's To. It returns "" for a label with no
// Mosaic counterpart.
func MapLabel(label string) (typ mosaic.RelationType, reversed bool) {
	m, ok := labelMap[label]
	if !ok {
		return "", false
	}
	return m.typ, m.reversed
}
