package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"mosaic"
	"mosaic/internal/annotated"
	"mosaic/internal/entity"
)

// runEvalCoref scores within-document resolution on Re-DocRED's gold
// entity clusters.
func runEvalCoref(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval coref", "--redocred FILE [--json]",
		"Scores Mosaic's within-document resolution — which names of one document are the same\n"+
			"person, organisation or place (coreference, acronyms, aliases, matching full names) —\n"+
			"against the gold entity clusters of a Re-DocRED file. The gold name mentions (PER,\n"+
			"ORG, LOC, MISC) are given; Mosaic groups them. Prints B-cubed precision, recall and F1\n"+
			"pooled over all mentions, per type, and beside two baselines: every mention alone, and\n"+
			"mentions of the same text (case folded) together.")
	path := fs.String("redocred", "", "Re-DocRED JSON file (e.g. ../shared/data/redocred/test.json)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *path == "" {
		fs.Usage()
		return errUsage
	}
	docs, err := annotated.ReadFile(*path, "redocred")
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	r := entity.EvaluateCoref(docs)
	if *asJSON {
		return e.jsonOut().Encode(r)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tprecision\trecall\tf1\tmentions\t\n")
	row := func(name string, s entity.Scores) {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%d\t\n", name, s.Precision, s.Recall, s.F1, s.Names)
	}
	row("mosaic", r.Mosaic)
	for _, t := range []mosaic.MentionType{mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc} {
		row("  "+string(t), r.PerType[t])
	}
	row("same text", r.SameText)
	row("singletons", r.Singletons)
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d documents, %d name mentions of %d entities\n", r.Documents, r.Mentions, r.Entities)
	return nil
}
