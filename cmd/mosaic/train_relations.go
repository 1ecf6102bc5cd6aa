package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"mosaic/internal/annotated"
	"mosaic/internal/extract/relation"
)

// defaultRelationModelPath is where the embedded relation model lives,
// relative to the repository root.
const defaultRelationModelPath = "internal/extract/relation/model.gz"

// runTrainRelations trains the relation classifier on CoNLL04 and
// Re-DocRED.
func runTrainRelations(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "train relations", "--conll04 FILE --redocred FILE [--dev FILE] [--out PATH]",
		"Trains the relation classifier (package relation: logistic regression over hashed features\n"+
			"of two mentions and the words around and between them) on every pair of name mentions in\n"+
			"one sentence of a CoNLL04 file and a Re-DocRED file, labelled with the relation the\n"+
			"annotators state between them in that sentence (mapped to Mosaic's member, location,\n"+
			"attack and family), and writes its weights. Use CoNLL04's train split and Re-DocRED's dev\n"+
			"split; --dev (CoNLL04's dev split) sets each type's probability threshold to the one of\n"+
			"best F1 with precision at least --min-precision. Training is deterministic: the same\n"+
			"data and flags give the same file. Progress goes to stderr. The default --out is the\n"+
			"model embedded in the binary ("+defaultRelationModelPath+", run from the repository\n"+
			"root); rebuild to use it.")
	def := relation.DefaultOptions()
	conll := fs.String("conll04", "", "CoNLL04 training file (../shared/data/conll04/train.json)")
	redocred := fs.String("redocred", "", "Re-DocRED training file (../shared/data/redocred/dev.json)")
	devPath := fs.String("dev", "", "CoNLL04 file to choose thresholds on (../shared/data/conll04/dev.json)")
	out := fs.String("out", defaultRelationModelPath, "where to write the model")
	epochs := fs.Int("epochs", def.Epochs, "passes over the training pairs")
	bits := fs.Uint("bits", def.Bits, "log2 of the number of feature hash buckets")
	rate := fs.Float64("rate", def.Rate, "initial learning rate")
	l2 := fs.Float64("l2", def.L2, "L2 regularisation per example")
	negatives := fs.Float64("negatives", def.Negatives, "share of unrelated pairs trained on")
	minPrec := fs.Float64("min-precision", def.MinPrecision, "precision each type's threshold must reach on --dev")
	seed := fs.Uint64("seed", def.Seed, "seed for the order of training pairs")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *conll == "" && *redocred == "" {
		fs.Usage()
		return errUsage
	}
	opt := def
	opt.Epochs, opt.Bits, opt.Rate, opt.L2, opt.Negatives, opt.MinPrecision, opt.Seed = *epochs, *bits, *rate, *l2, *negatives, *minPrec, *seed
	var train, dev []annotated.Document
	for _, in := range []struct{ path, layout string }{{*conll, "conll04"}, {*redocred, "redocred"}} {
		if in.path == "" {
			continue
		}
		docs, err := annotated.ReadFile(in.path, in.layout)
		if err != nil {
			return err
		}
		train = append(train, docs...)
	}
	if *devPath != "" {
		if dev, err = annotated.ReadFile(*devPath, "conll04"); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(e.stderr, "no --dev: every threshold stays 0.5")
	}
	if dir := filepath.Dir(*out); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("--out %s: %w (run from the repository root, or give --out)", *out, err)
		}
	}
	start := time.Now()
	m, err := relation.Fit(train, dev, opt, func(p relation.Progress) {
		fmt.Fprintf(e.stderr, "epoch %2d/%d  loss %.4f  %6d/%d pairs wrong  %s\n",
			p.Epoch, p.Of, p.Loss, p.Wrong, p.Examples, p.Elapsed.Round(time.Millisecond))
	})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := m.Save(&buf); err != nil {
		return err
	}
	for _, t := range relation.Types() {
		fmt.Fprintf(e.stderr, "threshold %-8s %.3f\n", t, m.Threshold(t))
	}
	if len(dev) > 0 {
		stated, _ := m.Evaluate(dev)
		for _, s := range stated.Scores() {
			fmt.Fprintf(e.stderr, "dev %-8s P %.3f R %.3f F1 %.3f (%d gold)\n", s.Type, s.P, s.R, s.F1, s.Gold)
		}
	}
	tmp := *out + ".tmp"
	if err := os.WriteFile(tmp, buf.Bytes(), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		os.Remove(tmp)
		return err
	}
	fmt.Fprintf(e.stderr, "wrote %s: %.2f MB, trained in %s\n", *out, float64(buf.Len())/1e6, time.Since(start).Round(time.Second))
	return nil
}
