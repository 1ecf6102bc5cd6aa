package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mosaic/internal/annotated"
	"mosaic/internal/extract/ner"
)

// defaultModelPath is where the embedded model lives, relative to the
// repository root: retraining there and rebuilding updates the binary.
const defaultModelPath = "internal/extract/ner/model.gz"

func runTrain(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "relations" {
		return runTrainRelations(ctx, e, args[1:])
	}
	fs := newFlags(e, "train", "ner --conll TRAIN [--redocred FILE] [--conll04 FILE] [--dev DEV] [--out PATH] [--epochs N]\n       mosaic train relations ... (its flags follow; or mosaic train relations -h)",
		"Trains the named-entity tagger on a CoNLL-2003 file, and beside it on the mention\n"+
			"annotations of Re-DocRED and CoNLL04 when given (mapped to CoNLL-2003's conventions,\n"+
			"the names they leave unannotated left to the model), and writes its weights. Training is\n"+
			"deterministic: the same data and flags give the same file. Progress, with the F1 on\n"+
			"--dev after each epoch, goes to stderr. The default --out is the model embedded in the\n"+
			"binary ("+defaultModelPath+", run from the repository root); rebuild to use it.")
	def := ner.DefaultOptions()
	trainPath := fs.String("conll", "", "training data, CoNLL-2003 format")
	redocredPath := fs.String("redocred", "", "more training data: a Re-DocRED JSON file (use dev.json; test.json is for measuring)")
	conll04Path := fs.String("conll04", "", "more training data: a CoNLL04 JSON file (use train.json)")
	devPath := fs.String("dev", "", "development data, scored after each epoch and used to calibrate confidences")
	out := fs.String("out", defaultModelPath, "where to write the model")
	epochs := fs.Int("epochs", def.Epochs, "passes over the training data per model")
	features := fs.String("features", "all", "feature groups: all, or a comma list of "+strings.Join(ner.GroupNames(), ","))
	bits := fs.Uint("bits", def.Bits, "log2 of the number of feature hash buckets")
	augment := fs.Float64("augment", def.Augment, "share of sentences added upper-cased, and again lower-cased")
	seed := fs.Uint64("seed", def.Seed, "seed for shuffling and augmentation")
	partial := fs.Float64("partial-weight", def.Partial, "weight of an update on a --redocred or --conll04 sentence, against 1 for CoNLL-2003")
	unannotated := fs.String("unannotated", "free", "names --redocred and --conll04 leave unannotated: free (the model fills them in), outside (read as O) or skip (drop their sentences)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "ner" || *trainPath == "" {
		fs.Usage()
		return errUsage
	}
	opt := def
	opt.Epochs, opt.Bits, opt.Augment, opt.Seed, opt.Partial = *epochs, *bits, *augment, *seed, *partial
	switch *unannotated {
	case "free":
		opt.Unannotated = ner.Free
	case "outside":
		opt.Unannotated = ner.Outside
	case "skip":
		opt.Unannotated = ner.Skip
	default:
		return fmt.Errorf("--unannotated %q: want free, outside or skip", *unannotated)
	}
	if opt.Features, err = ner.ParseGroups(*features); err != nil {
		return fmt.Errorf("--features: %w", err)
	}
	train, err := readCoNLL(*trainPath)
	if err != nil {
		return err
	}
	for _, c := range []struct {
		path   string
		corpus ner.Corpus
	}{{*redocredPath, ner.ReDocRED}, {*conll04Path, ner.CoNLL04}} {
		if c.path == "" {
			continue
		}
		docs, err := readAnnotated(c.path, c.corpus)
		if err != nil {
			return err
		}
		train = append(train, docs...)
	}
	var dev []ner.Document
	if *devPath != "" {
		if dev, err = readCoNLL(*devPath); err != nil {
			return err
		}
	}
	if dir := filepath.Dir(*out); dir != "" {
		if _, err := os.Stat(dir); err != nil {
			return fmt.Errorf("--out %s: %w (run from the repository root, or give --out)", *out, err)
		}
	}
	start := time.Now()
	m, err := ner.Train(train, dev, opt, func(p ner.Progress) {
		if err := ctx.Err(); err != nil {
			return
		}
		line := fmt.Sprintf("%-8s epoch %2d/%d  %5d/%d sentences wrong", p.Stage, p.Epoch, p.Of, p.Mistakes, p.Sentences)
		if p.DevF1 >= 0 {
			line += fmt.Sprintf("  dev F1 %.4f", p.DevF1)
		}
		fmt.Fprintf(e.stderr, "%s  %d features  %s\n", line, p.FeatureCount, p.Elapsed.Round(time.Second))
	})
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	tmp := *out + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	if err := m.Save(f); err != nil {
		f.Close()
		os.Remove(tmp)
		return err
	}
	if err := f.Close(); err != nil {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, *out); err != nil {
		return err
	}
	st, _ := os.Stat(*out)
	fmt.Fprintf(e.stderr, "wrote %s: %d feature rows, %.1f MB, trained in %s\n", *out, m.Rows(), float64(st.Size())/1e6, time.Since(start).Round(time.Second))
	return nil
}

func readCoNLL(path string) ([]ner.Document, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	docs, err := ner.ReadCoNLL(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return docs, nil
}

// readAnnotated reads a Re-DocRED or CoNLL04 file as tagger documents.
func readAnnotated(path string, c ner.Corpus) ([]ner.Document, error) {
	layout := "redocred"
	if c == ner.CoNLL04 {
		layout = "conll04"
	}
	docs, err := annotated.ReadFile(path, layout)
	if err != nil {
		return nil, err
	}
	return ner.FromAnnotated(docs, c), nil
}
