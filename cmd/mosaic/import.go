package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"mosaic/internal/exchange"
	exchangecsv "mosaic/internal/exchange/csv"
	"mosaic/internal/store"
)

// mapFlag gathers --map COLUMN=FIELD flags.
type mapFlag map[string]string

func (m mapFlag) String() string { return "" }

func (m mapFlag) Set(v string) error {
	col, field, ok := strings.Cut(v, "=")
	if !ok || strings.TrimSpace(col) == "" || strings.TrimSpace(field) == "" {
		return fmt.Errorf("%q: want COLUMN=FIELD", v)
	}
	m[strings.TrimSpace(col)] = strings.TrimSpace(field)
	return nil
}

func runImport(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 && args[0] == "gtd" {
		return runImportGTD(ctx, e, args[1:])
	}
	fs := newFlags(e, "import", "FORMAT FILE [--collection NAME] [--agency NAME] [--map COLUMN=FIELD ...]",
		"Loads a file another tool wrote. 'mosaic import gtd' reads attacks as data (see 'mosaic import\n"+
			"gtd -h'); the other formats bring entities, links with their evidence, and incidents. They\n"+
			"are stored as documents whose source is FILE#object (the entity, document or incident the\n"+
			"file gave), so an analyst sees where each came from, and their names are resolved as an\n"+
			"ingest's are: an imported name joins a stored entity only for the reasons 'mosaic why'\n"+
			"shows. Importing the same file again adds nothing. A file that cannot be read whole is\n"+
			"refused, naming the file and why, and nothing is stored.\n\nFormats:\n"+
			formatList(false)+"\n"+exchangecsv.Fields)
	db := dbFlag(fs)
	collection := fs.String("collection", "", "the collection that receives the file (default: the file's name, without its extension)")
	agency := fs.String("agency", "default", "agency that owns the collection, if new")
	mapping := mapFlag{}
	fs.Var(mapping, "map", "csv: read column COLUMN as FIELD (repeat for each column; fields below)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		fs.Usage()
		return errUsage
	}
	name, file := pos[0], pos[1]
	format, ok := exchangeFormats[name]
	if !ok || format.read == nil {
		return fmt.Errorf("no format %q to import: want gtd or one of %s", name, strings.Join(formatNames(false), ", "))
	}
	read := format.read
	if len(mapping) > 0 {
		if name != "csv" {
			return fmt.Errorf("--map applies to csv, not %s", name)
		}
		read = func(r io.Reader, file string) (exchange.Case, string, error) { return readMappedCSV(r, file, mapping) }
	}
	in, err := os.Open(file)
	if err != nil {
		return err
	}
	defer in.Close()
	c, skipped, err := read(in, file)
	if err == nil {
		// Refused before the store is opened, or made: a file that
		// brings nothing leaves no trace.
		err = exchange.Loadable(c)
	}
	if err != nil {
		if !strings.Contains(err.Error(), file) {
			err = fmt.Errorf("%s: %w", file, err)
		}
		if skipped != "" {
			err = fmt.Errorf("%w (left out %s)", err, skipped)
		}
		return err
	}
	col := cmp.Or(*collection, strings.TrimSuffix(filepath.Base(file), filepath.Ext(file)))
	st, done, err := openLocked(ctx, *db)
	if err != nil {
		return err
	}
	defer done()
	p := &stepProgress{e: e, label: "import " + name}
	stats, err := exchange.Load(ctx, st, c, exchange.LoadOptions{Collection: col, Agency: *agency, File: file, Progress: p.show})
	p.done()
	if err != nil {
		return err
	}
	if _, err := st.Record(ctx, store.AuditEntry{User: cmp.Or(os.Getenv("USER"), "command line"), Action: "import",
		Object: name + " " + file + " collection=" + col, Outcome: "ok"}); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "%s: %s, %s, %s read; %s stored in %s (%d new): %s, names resolved to %s, %s\n",
		file, entities(len(c.Entities)), plural(len(c.Links), "link"), plural(len(c.Incidents), "incident"),
		plural(stats.Documents, "document"), col, stats.New, plural(stats.Relations, "relation"),
		entities(stats.Entities), plural(stats.Incidents, "new incident"))
	if skipped != "" {
		fmt.Fprintf(e.stdout, "%s: left out %s\n", file, skipped)
	}
	return nil
}

var _ flag.Value = mapFlag{}
