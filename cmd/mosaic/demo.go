package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"mosaic/internal/document"
	"mosaic/internal/ingest"
	"mosaic/internal/sample"
	"mosaic/internal/store"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "[--addr 127.0.0.1:8080] [--db DIR] [--load-only]",
		"Loads the bundled fictional case (three agencies' collections) into a data folder and\n"+
			"serves it. Without --db the folder is temporary and removed on exit. --db names the data\n"+
			"folder, as for every other command; the case's files are written beside the store, in\n"+
			"its case/ folder, so that their paths stay good.")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	db := fs.String("db", "", "data folder to load into and keep (default: a temporary one; not $MOSAIC_DB)")
	noServe := fs.Bool("load-only", false, "load the case and exit without serving")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	dir := *db
	if dir == "" {
		tmp, err := os.MkdirTemp("", "mosaic-demo-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	st, err := openStore(ctx, dir, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := loadCase(ctx, e, st, dir); err != nil {
		return err
	}
	if *noServe {
		fmt.Fprintf(e.stdout, "sample case loaded into %s\n", dir)
		return nil
	}
	return serve(ctx, e, st, *addr)
}

// loadCase writes the bundled case's files into dir/case and ingests each
// of its collections into st.
func loadCase(ctx context.Context, e *env, st store.Store, dir string) error {
	files := filepath.Join(dir, "case")
	if err := sample.WriteTo(files); err != nil {
		return fmt.Errorf("write sample case: %w", err)
	}
	collections, err := sample.Collections()
	if err != nil {
		return err
	}
	for _, c := range collections {
		// One reader stores the files in the order the walk gives them, so
		// every fresh demo gives each entity the same ID: the IDs the README
		// and the case notes print. (Parallel readers store files in the
		// order they finish, and resolution numbers entities as it meets
		// them.)
		opts := ingest.Options{Collection: c.Name, Agency: c.Agency, Workers: 1, Limits: document.DefaultLimits()}
		if _, err := load(ctx, e, st, []string{filepath.Join(files, c.Dir)}, opts, false); err != nil {
			return err
		}
	}
	return nil
}
