package main

import (
	"context"
	"fmt"
	"text/tabwriter"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/extract"
	"mosaic/internal/extract/ner"
)

// newExtractor returns the extraction pipeline ingestion and the extract
// command share: the pattern recognisers, then the named-entity tagger
// (which loads its embedded model on first use).
func newExtractor() *extract.Extractor {
	return extract.New(append(extract.Patterns(), ner.Recognizer())...)
}

// extracted is one line of `mosaic extract --json`.
type extracted struct {
	File      string            `json:"file"`
	Title     string            `json:"title,omitempty"`
	Text      *string           `json:"text,omitempty"`
	Mentions  []mosaic.Mention  `json:"mentions"`
	Relations []mosaic.Relation `json:"relations"`
	Error     string            `json:"error,omitempty"`
}

func runExtract(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "extract", "[--json] FILE...",
		"Prints the mentions found in each file, without a database. With --json, one line per\n"+
			"document: {\"file\", \"mentions\", \"relations\"}, offsets in UTF-8 bytes of the document's text.\n"+
			"A file yields one document; an e-mail adds one per attachment (\"mail.eml!name\"), and a\n"+
			"CSV or JSON file one per record (\"file.csv#row=N\").")
	asJSON := fs.Bool("json", false, "one JSON line per document")
	withText := fs.Bool("text", false, "include the document text in the JSON")
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		fs.Usage()
		return errUsage
	}
	ex := newExtractor()
	lim := document.DefaultLimits()
	enc := e.jsonOut()
	failed := 0
	err = document.Walk(ctx, files, lim, func(src document.Source, err error) error {
		var docs []mosaic.Document
		if err == nil {
			docs, err = document.Read(src, lim)
		}
		if err != nil {
			failed++
			fmt.Fprintf(e.stderr, "mosaic extract: %v\n", err)
			if *asJSON {
				return enc.Encode(extracted{File: src.Path, Mentions: []mosaic.Mention{}, Relations: []mosaic.Relation{}, Error: err.Error()})
			}
			return nil
		}
		for _, d := range docs {
			res := ex.Extract(d.Text, d.Date)
			line := extracted{File: d.Source, Title: d.Title, Mentions: res.Mentions, Relations: res.Relations}
			if *withText {
				line.Text = &d.Text
			}
			if *asJSON {
				if err := enc.Encode(line); err != nil {
					return err
				}
				continue
			}
			printMentions(e, line)
		}
		return nil
	})
	if err != nil {
		return err
	}
	if failed > 0 {
		return errSilent
	}
	return nil
}

func printMentions(e *env, x extracted) {
	fmt.Fprintf(e.stdout, "%s (%d mentions)\n", x.File, len(x.Mentions))
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, m := range x.Mentions {
		fmt.Fprintf(tw, "  %d-%d\t%s\t%s\t%s\n", m.Start, m.End, m.Type, m.Text, m.Norm)
	}
	tw.Flush()
}
