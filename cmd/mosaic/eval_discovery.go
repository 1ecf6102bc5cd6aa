package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"mosaic/internal/discovery"
	"mosaic/internal/entity"
)

// runEvalDiscovery compares matching names through their discovery
// encodings with Mosaic's plaintext name matching on the OFAC list.
func runEvalDiscovery(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "eval discovery", "--ofac DIR [--sample N] [--seed N] [--json]",
		"Compares matching names through the encodings servers exchange for discovery with\n"+
			"Mosaic's own matching of the plaintext names, on the names of the OFAC SDN entries of\n"+
			"the counter-terrorism programs (SDGT, FTO): each entry's primary name and aliases are\n"+
			"one true cluster. Every pair of names of one kind is compared by entity.Compare\n"+
			"(plaintext), by Encoder.Match on the names' filters (encoded), and as the exchange\n"+
			"answers a query, with its shorter variants, in either direction (lookup). Each\n"+
			"method's matches are joined into clusters (connected components) and scored with\n"+
			"B-cubed precision, recall and F1. --sample draws N entries (all by default) with\n"+
			"--seed, which also makes the linkage key: the figures are the same on every run.\n"+
			"DIR holds sdn.csv and alt.csv in OFAC's legacy CSV layout.")
	dir := fs.String("ofac", "", "folder of the OFAC CSV files (e.g. ../shared/data/ofac)")
	sample := fs.Int("sample", 0, "entries to draw at random; 0 for all")
	seed := fs.Int64("seed", 1, "seed of the sample and the linkage key")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *dir == "" || *sample < 0 {
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
	r, err := discovery.EvaluateLinkage(bench, discovery.DefaultParams, *sample, *seed)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.jsonOut().Encode(r)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "\tprecision\trecall\tf1\tmatches\tright\tclusters\t\n")
	for _, m := range []struct {
		name string
		m    discovery.Method
	}{{"plaintext", r.Plaintext}, {"encoded", r.Encoded}, {"lookup", r.Lookup}} {
		fmt.Fprintf(tw, "%s\t%.4f\t%.4f\t%.4f\t%d\t%d\t%d\t\n", m.name, m.m.Precision, m.m.Recall, m.m.F1, m.m.Matches, m.m.Right, m.m.Clusters)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "%d names of %d entries; %d pairs of one kind compared, %d of them of one entry\n",
		r.Names, r.Entries, r.Pairs, r.TrueMatches)
	fmt.Fprintf(e.stdout, "encoded F1 %+.4f, lookup F1 %+.4f against plaintext; %d-bit filters, %d hashes, threshold %.2f; %.1f s\n",
		r.Encoded.F1-r.Plaintext.F1, r.Lookup.F1-r.Plaintext.F1, 8*r.Params.FilterBytes(), r.Params.Hashes, r.Params.Threshold, r.Seconds)
	return nil
}
