package main

import (
	"context"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"mosaic/internal/entity"
	"mosaic/internal/extract/ner"
)

func runEval(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "dedupe" {
		return runEvalDedupe(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "coref" {
		return runEvalCoref(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "relations" {
		return runEvalRelations(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "incidents" {
		return runEvalIncidents(ctx, e, args[1:])
	}
	if len(args) > 0 && args[0] == "discovery" {
		return runEvalDiscovery(ctx, e, args[1:])
	}
	fs := newFlags(e, "eval", "ner --conll FILE | --redocred FILE | --conll04 FILE [--json]\n       mosaic eval dedupe|coref|relations|incidents|discovery ... (their flags follow; or mosaic eval SUB -h)",
		"Tags a CoNLL-2003 file with the named-entity tagger and scores it as the CoNLL-2003\n"+
			"shared task does: an entity counts only if its boundaries and class both match.\n"+
			"--redocred and --conll04 score the mentions of those corpora instead, read with the\n"+
			"conventions training maps them to; a name predicted where the corpus annotates none\n"+
			"(Re-DocRED leaves some names out, CoNLL04 has no MISC) is left out and counted as unscored.\n"+
			"Prints precision, recall and F1, overall and per class, and tokens per second\n"+
			"(tagging only, one goroutine).\n\n"+
			"eval dedupe scores name deduplication on the OFAC list, eval coref within-document\n"+
			"resolution, eval relations relation extraction, eval incidents the reading of attacks\n"+
			"from text, and eval discovery matching through\n"+
			"the encodings servers exchange; each has its own flags.")
	path := fs.String("conll", "", "CoNLL-2003 file with gold tags")
	redocredPath := fs.String("redocred", "", "Re-DocRED JSON file (test.json) to score instead")
	conll04Path := fs.String("conll04", "", "CoNLL04 JSON file (dev.json) to score instead")
	asJSON := fs.Bool("json", false, "print JSON")
	modelPath := fs.String("model", "", "model file to evaluate instead of the embedded one")
	recase := fs.String("case", "", "rewrite the tokens first, to measure robustness: upper or lower")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	given := 0
	for _, p := range []string{*path, *redocredPath, *conll04Path} {
		if p != "" {
			given++
		}
	}
	if len(pos) != 1 || pos[0] != "ner" || given != 1 {
		fs.Usage()
		return errUsage
	}
	var docs []ner.Document
	switch {
	case *redocredPath != "":
		docs, err = readAnnotated(*redocredPath, ner.ReDocRED)
	case *conll04Path != "":
		docs, err = readAnnotated(*conll04Path, ner.CoNLL04)
	default:
		docs, err = readCoNLL(*path)
	}
	if err != nil {
		return err
	}
	switch *recase {
	case "":
	case "upper", "lower":
		f := strings.ToUpper
		if *recase == "lower" {
			f = strings.ToLower
		}
		for _, d := range docs {
			for _, s := range d.Sentences {
				for i, t := range s.Tokens {
					s.Tokens[i] = f(t)
				}
			}
		}
	default:
		return fmt.Errorf("--case %q: want upper or lower", *recase)
	}
	var m *ner.Model
	if *modelPath != "" {
		f, err := os.Open(*modelPath)
		if err != nil {
			return err
		}
		m, err = ner.Load(f)
		f.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", *modelPath, err)
		}
	} else if m, err = ner.Default(); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r := ner.Evaluate(m, docs)
	if *asJSON {
		enc := e.jsonOut()
		return enc.Encode(r)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tprecision\trecall\tf1\tsupport\t\n")
	fmt.Fprintf(tw, "all\t%.4f\t%.4f\t%.4f\t\t\n", r.Precision, r.Recall, r.F1)
	for _, k := range []string{"PER", "ORG", "LOC", "MISC"} {
		s := r.PerType[k]
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%d\t\n", k, s.Precision, s.Recall, s.F1, s.Support)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d tokens, %d sentences, %d documents; %.0f tokens/s\n", r.Tokens, r.Sentences, r.Documents, r.TokensPerSecond)
	if r.Unscored > 0 {
		fmt.Fprintf(e.stdout, "%d predicted names where the corpus annotates none, not scored\n", r.Unscored)
	}
	return nil
}

// runEvalDedupe scores entity.Dedupe on the counter-terrorism entries of the
// OFAC list.
func runEvalDedupe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval dedupe", "--ofac DIR [--json]",
		"Deduplicates the primary names and aliases of the OFAC SDN entries of the\n"+
			"counter-terrorism programs (SDGT, FTO): each entry's names are one true\n"+
			"cluster. Prints B-cubed precision, recall and F1, overall and for individuals\n"+
			"and other entries apart, beside the baseline of exact matching after\n"+
			"normalising case, accents and word order, and the time taken.\n"+
			"DIR holds sdn.csv and alt.csv in OFAC's legacy CSV layout.")
	dir := fs.String("ofac", "", "folder of the OFAC CSV files (sdn.csv, alt.csv)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *dir == "" {
		fs.Usage()
		return errUsage
	}
	bench, err := entity.LoadOFAC(*dir)
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r := entity.Evaluate(bench)
	if *asJSON {
		type kindScores struct {
			entity.Scores
			BaselineF1 float64 `json:"baseline_f1"`
		}
		out := struct {
			Precision  float64               `json:"precision"`
			Recall     float64               `json:"recall"`
			F1         float64               `json:"f1"`
			BaselineF1 float64               `json:"baseline_f1"`
			Baseline   entity.Scores         `json:"baseline"`
			Names      int                   `json:"names"`
			Entries    int                   `json:"entries"`
			Clusters   int                   `json:"clusters"`
			Seconds    float64               `json:"seconds"`
			PerKind    map[string]kindScores `json:"per_kind"`
		}{r.Precision, r.Recall, r.F1, r.Baseline.F1, r.Baseline, r.Names, r.Entries, r.Clusters, r.Seconds, map[string]kindScores{}}
		for k, s := range r.PerKind {
			out.PerKind[k] = kindScores{s, r.BaselinePerKind[k].F1}
		}
		return e.jsonOut().Encode(out)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tprecision\trecall\tf1\tbaseline_f1\tnames\t\n")
	fmt.Fprintf(tw, "all\t%.4f\t%.4f\t%.4f\t%.4f\t%d\t\n", r.Precision, r.Recall, r.F1, r.Baseline.F1, r.Names)
	for _, k := range []string{"individual", "entity"} {
		s := r.PerKind[k]
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%.4f\t%d\t\n", k, s.Precision, s.Recall, s.F1, r.BaselinePerKind[k].F1, s.Names)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d names of %d entries in %d clusters; %.2f s (%.2f s preparing names)\n",
		r.Names, r.Entries, r.Clusters, r.Seconds, r.PrepareSeconds)
	return nil
}
