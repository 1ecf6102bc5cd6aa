package main

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"mosaic"
	"mosaic/internal/annotated"
	"mosaic/internal/extract"
	"mosaic/internal/extract/relation"
)

// runEvalRelations scores relation extraction on CoNLL04 or Re-DocRED.
func runEvalRelations(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval relations", "--conll04 FILE | --redocred FILE [--json]",
		"Scores relation extraction against an annotated corpus, with the corpus's relations mapped\n"+
			"to Mosaic's member, location, attack and family (contact, command and travel, which the\n"+
			"corpora do not annotate, are not scored). A predicted relation counts if its type, its\n"+
			"direction (family is read as symmetric) and both its entities match a gold one, at the\n"+
			"level of entity pairs: a Re-DocRED relation stated by several mentions counts once. The\n"+
			"gold is restricted to relations whose two entities are named in one of its evidence\n"+
			"sentences (in any one sentence, for a relation the corpus gives no evidence for, as\n"+
			"training reads it), since Mosaic states only what one sentence says; 'all-gold recall'\n"+
			"is recall against every gold relation. Settings:\n\n"+
			"  gold entities   the corpus's name mentions (PERSON, ORG, LOCATION, MISC) are given:\n"+
			"    co-occurrence   every two entities named in one sentence, untyped (a pair is right\n"+
			"                    if the gold relates them at all; gold counts related pairs)\n"+
			"    model           the learned classifier alone, its thresholds applied\n"+
			"    rules           extract.Relate's rules alone\n"+
			"    relate          extract.Relate: the rules, then the classifier on the pairs they\n"+
			"                    leave, at most 20 tokens apart, and not from a dateline\n"+
			"                    (see internal/extract/relation_model.go)\n"+
			"  end to end      Mosaic's own extraction over the text (sentences one to a line): the\n"+
			"                  pattern recognisers and the tagger, then extract.Relate. A predicted\n"+
			"                  mention stands for the gold mention with the same byte span, or else\n"+
			"                  for one it overlaps that starts or ends at the same byte (a title,\n"+
			"                  first name or state cut off; a full stop kept in the corpus's last\n"+
			"                  token aside); any other mention matches nothing.\n"+
			"    co-occurrence   every two predicted names in one sentence, untyped\n"+
			"    relate          extract.Relate")
	conll := fs.String("conll04", "", "CoNLL04 JSON file (e.g. ../shared/data/conll04/dev.json)")
	redocred := fs.String("redocred", "", "Re-DocRED JSON file (e.g. ../shared/data/redocred/test.json)")
	asJSON := fs.Bool("json", false, "print JSON")
	modelPath := fs.String("model", "", "relation model file to use instead of the embedded one, in every setting")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || (*conll == "") == (*redocred == "") {
		fs.Usage()
		return errUsage
	}
	path, layout := *conll, "conll04"
	if *redocred != "" {
		path, layout = *redocred, "redocred"
	}
	docs, err := annotated.ReadFile(path, layout)
	if err != nil {
		return err
	}
	var m *relation.Model
	if *modelPath != "" {
		f, err := os.Open(*modelPath)
		if err != nil {
			return err
		}
		m, err = relation.Load(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *modelPath, err)
		}
	} else if m, err = relation.Default(); err != nil {
		return err
	}
	r, err := evaluateRelations(ctx, docs, m)
	if err != nil {
		return err
	}
	r.Corpus = layout
	if *asJSON {
		return e.jsonOut().Encode(r)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "entities\tsetting\ttype\tprecision\trecall\tf1\tpredicted\tcorrect\tgold\tall-gold recall\t\n")
	for _, s := range r.Settings {
		for i, sc := range s.Scores {
			if sc.Gold == 0 && sc.Predicted == 0 && sc.Type != "all" {
				continue
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%.4f\t%.4f\t%.4f\t%d\t%d\t%d\t%.4f\t\n", s.Entities, s.Name, sc.Type,
				sc.P, sc.R, sc.F1, sc.Predicted, sc.Correct, sc.Gold, s.AllGold[i].R)
		}
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d documents, %d sentences; relate over gold entities %.0f µs a sentence\n",
		r.Documents, r.Sentences, r.RelateMicros)
	return nil
}

// relationReport is what eval relations prints.
type relationReport struct {
	Corpus    string            `json:"corpus"`
	Documents int               `json:"documents"`
	Sentences int               `json:"sentences"`
	Settings  []relationSetting `json:"settings"`
	// RelateMicros is extract.Relate's time per sentence over the gold
	// entities, in microseconds.
	RelateMicros float64 `json:"relate_us_per_sentence"`
}

// relationSetting is one row group: how mentions were found and how
// relations were.
type relationSetting struct {
	Entities string `json:"entities"` // "gold" or "end to end"
	Name     string `json:"setting"`
	// Scores are against the stated gold; AllGold against every gold
	// relation, in the same order ("all" first, then per type).
	Scores  []relation.Scored `json:"scores"`
	AllGold []relation.Scored `json:"all_gold"`
}

// evaluateRelations runs every setting over docs.
func evaluateRelations(ctx context.Context, docs []annotated.Document, m *relation.Model) (*relationReport, error) {
	r := &relationReport{Documents: len(docs)}
	type tallies struct{ stated, all relation.Tally }
	var modelT, rulesT, relateT, e2eT tallies
	var cooc, e2eCooc relation.Count
	cooc = relation.CoOccurrence(docs)
	ex := newExtractor()
	var relateTime time.Duration
	for i := range docs {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		d := &docs[i]
		r.Sentences += len(d.Sentences)
		stated, all := relation.Gold(d)
		add := func(t *tallies, pred []relation.Triple) {
			t.stated.Add(pred, stated)
			t.all.Add(pred, all)
		}
		add(&modelT, m.Predict(d))

		text, spans := d.Text()
		a := &extract.Analysis{Text: text, Sentences: extract.Split(text)}
		gm, ents := goldMentions(d, text, spans, a.Sentences)
		add(&rulesT, relationTriples(extract.RelateWith(a, gm, nil), ents))
		start := time.Now()
		rels := extract.RelateWith(a, gm, m)
		relateTime += time.Since(start)
		add(&relateT, relationTriples(rels, ents))

		// Extract relates with the embedded model; relate again with m,
		// which may be another.
		res := ex.Extract(text, time.Time{})
		res.Relations = extract.RelateWith(a, res.Mentions, m)
		pe := matchMentions(res.Mentions, gm, ents)
		add(&e2eT, relationTriples(res.Relations, pe))
		c := predictedCoOccurrence(res, pe, stated)
		e2eCooc.Predicted += c.Predicted
		e2eCooc.Correct += c.Correct
		e2eCooc.Gold += c.Gold
	}
	if r.Sentences > 0 {
		r.RelateMicros = float64(relateTime.Microseconds()) / float64(r.Sentences)
	}
	untyped := func(c relation.Count) []relation.Scored {
		return []relation.Scored{{Type: "all", Count: c, P: c.Precision(), R: c.Recall(), F1: c.F1()}}
	}
	r.Settings = []relationSetting{
		{Entities: "gold", Name: "co-occurrence", Scores: untyped(cooc), AllGold: untyped(cooc)},
		{Entities: "gold", Name: "model", Scores: modelT.stated.Scores(), AllGold: modelT.all.Scores()},
		{Entities: "gold", Name: "rules", Scores: rulesT.stated.Scores(), AllGold: rulesT.all.Scores()},
		{Entities: "gold", Name: "relate", Scores: relateT.stated.Scores(), AllGold: relateT.all.Scores()},
		{Entities: "end to end", Name: "co-occurrence", Scores: untyped(e2eCooc), AllGold: untyped(e2eCooc)},
		{Entities: "end to end", Name: "relate", Scores: e2eT.stated.Scores(), AllGold: e2eT.all.Scores()},
	}
	return r, nil
}

// goldMentions returns the document's gold name mentions as Mosaic
// mentions of text, sorted and without overlaps (the longer of two kept),
// and the entity of each.
func goldMentions(d *annotated.Document, text string, spans [][]mosaic.Span, sents []extract.Sentence) ([]mosaic.Mention, []int) {
	type gm struct {
		m   mosaic.Mention
		ent int
	}
	var all []gm
	for ei, e := range d.Entities {
		for _, m := range e.Mentions {
			switch m.Type {
			case mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc:
			default:
				continue
			}
			sp := m.ByteSpan(spans)
			all = append(all, gm{mosaic.Mention{Start: sp.Start, End: sp.End, Type: m.Type, Text: text[sp.Start:sp.End], Confidence: 1}, ei})
		}
	}
	slices.SortFunc(all, func(a, b gm) int {
		if a.m.Start != b.m.Start {
			return a.m.Start - b.m.Start
		}
		return b.m.End - a.m.End
	})
	var ms []mosaic.Mention
	var ents []int
	for _, g := range all {
		if n := len(ms); n > 0 && g.m.Start < ms[n-1].End {
			continue
		}
		g.m.Sentence = sentenceOf(sents, g.m.Span())
		ms, ents = append(ms, g.m), append(ents, g.ent)
	}
	return ms, ents
}

// sentenceOf returns the span of the sentences sp lies in.
func sentenceOf(sents []extract.Sentence, sp mosaic.Span) mosaic.Span {
	out := mosaic.Span{Start: -1}
	for _, s := range sents {
		if s.End <= sp.Start || s.Start >= sp.End {
			continue
		}
		if out.Start < 0 {
			out.Start = s.Start
		}
		out.End = s.End
	}
	if out.Start < 0 {
		return sp
	}
	return out
}

// matchMentions maps each predicted mention to the entity of the gold
// mention it stands for, -1 when none: the gold mention with its byte span,
// or else one it overlaps that starts or ends where it does — a title, a
// first name or a state cut off ("North Bend" for "North Bend , Ohio") —
// a full stop the corpus keeps in its last token aside ("Calif" for
// "Calif.").
func matchMentions(pred, gold []mosaic.Mention, ents []int) []int {
	out := make([]int, len(pred))
	for i, p := range pred {
		out[i] = -1
		// gold is sorted by Start and does not overlap: the candidates
		// start before p ends and end after it starts.
		k := sort.Search(len(gold), func(k int) bool { return gold[k].End > p.Start })
		for ; k < len(gold) && gold[k].Start < p.End; k++ {
			g := gold[k]
			end := g.Start + len(strings.TrimRight(g.Text, "."))
			if p.Start == g.Start && p.End == g.End {
				out[i] = ents[k]
				break
			}
			if out[i] < 0 && (p.Start == g.Start || p.End == g.End || p.End == end) {
				out[i] = ents[k]
			}
		}
	}
	return out
}

// relationTriples turns relations between mentions into triples between
// the entities ents gives each mention. A mention of no entity (-1) gets an
// entity of its own that no gold relation has.
func relationTriples(rels []mosaic.Relation, ents []int) []relation.Triple {
	ent := func(m int) int {
		if m < 0 || m >= len(ents) {
			return -1 - m
		}
		if ents[m] < 0 {
			return -1 - m
		}
		return ents[m]
	}
	var out []relation.Triple
	for _, r := range rels {
		from, to := ent(r.From), ent(r.To)
		if from == to {
			continue
		}
		out = append(out, relation.Triple{From: from, To: to, Type: r.Type})
	}
	return out
}

// predictedCoOccurrence scores every two predicted names in one of
// Mosaic's sentences, as entity pairs, untyped, against the stated gold.
func predictedCoOccurrence(res extract.Result, ents []int, stated []relation.Triple) relation.Count {
	related := map[[2]int]bool{}
	for _, g := range stated {
		related[[2]int{min(g.From, g.To), max(g.From, g.To)}] = true
	}
	pairs := map[[2]int]bool{}
	ent := func(m int) int {
		if ents[m] < 0 {
			return -1 - m
		}
		return ents[m]
	}
	ms := res.Mentions
	for i := range ms {
		if !isNameType(ms[i].Type) {
			continue
		}
		for j := i + 1; j < len(ms) && ms[j].Sentence == ms[i].Sentence; j++ {
			if a, b := ent(i), ent(j); isNameType(ms[j].Type) && a != b {
				pairs[[2]int{min(a, b), max(a, b)}] = true
			}
		}
	}
	c := relation.Count{Predicted: len(pairs), Gold: len(related)}
	for p := range pairs {
		if related[p] {
			c.Correct++
		}
	}
	return c
}

func isNameType(t mosaic.MentionType) bool {
	return t == mosaic.Person || t == mosaic.Org || t == mosaic.Location || t == mosaic.Misc
}
