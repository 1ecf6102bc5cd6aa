package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"mosaic/internal/extract/ner"
)

func runEval(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval", "ner --conll FILE [--json]",
		"Tags a CoNLL-2003 file with the named-entity tagger and scores it as the CoNLL-2003\n"+
			"shared task does: an entity counts only if its boundaries and class both match.\n"+
			"Prints precision, recall and F1, overall and per class, and tokens per second\n"+
			"(tagging only, one goroutine).")
	path := fs.String("conll", "", "CoNLL-2003 file with gold tags")
	asJSON := fs.Bool("json", false, "print JSON")
	modelPath := fs.String("model", "", "model file to evaluate instead of the embedded one")
	recase := fs.String("case", "", "rewrite the tokens first, to measure robustness: upper or lower")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "ner" || *path == "" {
		fs.Usage()
		return errUsage
	}
	docs, err := readCoNLL(*path)
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
		enc := json.NewEncoder(e.stdout)
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
	return nil
}
