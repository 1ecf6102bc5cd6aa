package main

import (
	"cmp"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/exchange"
	exchangecsv "mosaic/internal/exchange/csv"
	"mosaic/internal/exchange/ftm"
	"mosaic/internal/exchange/gexf"
	"mosaic/internal/exchange/graphml"
	"mosaic/internal/exchange/stix"
	"mosaic/internal/store"
)

// exchangeFormat is a format a case is exported to or imported from.
type exchangeFormat struct {
	// about says what the file holds, for the commands' help.
	about string
	// write writes a case; nil when the format is not exported.
	write func(w io.Writer, c exchange.Case) error
	// read reads a file, and says what of it the case has no place for
	// ("" for nothing); nil when the format is not imported.
	read func(r io.Reader, file string) (c exchange.Case, skipped string, err error)
}

// exchangeFormats are the formats of export and import, by name: a format
// is added with one line.
var exchangeFormats = map[string]exchangeFormat{
	"csv":     {"a zip of three CSV tables: entities, links with a row per evidence sentence, incidents", exchangecsv.Write, readCSV},
	"graphml": {"the network for Gephi, yEd, Cytoscape: nodes and edges with kind, community, centrality, dates, weight, evidence", graphml.Write, nil},
	"gexf":    {"the network for Gephi (GEXF 1.2), dynamic: nodes and edges live from their first to their last dated evidence", gexf.Write, nil},
	"stix":    {"a STIX 2.1 bundle (threat-intelligence tools): threat actors, identities, locations, relationships with each sentence, reports, incidents, collection markings", stix.Write, readSTIX},
	"ftm":     {"FollowTheMoney entities, one JSON line each (Aleph, OpenSanctions): people, organisations, links with each sentence, events", ftm.Write, readFTM},
}

// readCSV reads a CSV table or archive and says what it left out: the
// columns it read as no field, the files of an archive that are no table.
func readCSV(r io.Reader, file string) (exchange.Case, string, error) {
	return readMappedCSV(r, file, nil)
}

func readMappedCSV(r io.Reader, file string, mapping map[string]string) (exchange.Case, string, error) {
	rd := exchangecsv.Reader{Mapping: mapping}
	c, err := rd.Read(r, file)
	return c, rd.Skipped.String(), err
}

// readSTIX reads a STIX bundle and says what it left out: objects of
// types a case has no place for (malware, indicators), their
// relationships.
func readSTIX(r io.Reader, file string) (exchange.Case, string, error) {
	var rd stix.Reader
	c, err := rd.Read(r, file)
	return c, rd.Skipped.String(), err
}

// readFTM reads a FollowTheMoney file and says what it left out: the
// schemata Mosaic has no place for, links whose ends the file lacks.
func readFTM(r io.Reader, file string) (exchange.Case, string, error) {
	var rd ftm.Reader
	c, err := rd.Read(r, file)
	return c, rd.Skipped.String(), err
}

// formatNames lists the formats that can be written (or read).
func formatNames(write bool) []string {
	var names []string
	for n, f := range exchangeFormats {
		if write && f.write != nil || !write && f.read != nil {
			names = append(names, n)
		}
	}
	sort.Strings(names)
	return names
}

// formatList describes the formats for a command's help.
func formatList(write bool) string {
	var b strings.Builder
	for _, n := range formatNames(write) {
		fmt.Fprintf(&b, "  %-8s %s\n", n, exchangeFormats[n].about)
	}
	return b.String()
}

func runExport(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "export", "FORMAT [--collection NAME] [--entity NAME --hops N] [--as USER] [--out FILE]",
		"Writes the case to a file other tools read: the entities with every spelling, the links\n"+
			"between them with each sentence that states them and its document, the collections with\n"+
			"their classification, the incidents, and each entity's community and betweenness in the\n"+
			"evidence network. --collection keeps one collection; --entity keeps the entities within\n"+
			"--hops links of one, the links among them and the incidents they are named in. --as reads\n"+
			"only what that user of the store may see. Every export is written to the audit log.\n"+
			"Progress is shown on a terminal; the file goes to --out, or standard output.\n\nFormats:\n"+
			strings.TrimRight(formatList(true), "\n"))
	db := dbFlag(fs)
	collection := fs.String("collection", "", "only this collection")
	name := fs.String("entity", "", "only the neighbourhood of this entity (a name or an ID)")
	hops := fs.Int("hops", 1, "with --entity: how many links away")
	as := fs.String("as", "", "export what this user of the store may see, and audit it under their name (default: the whole store, audited as $USER)")
	out := fs.String("out", "", "the file to write (default: standard output)")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || *hops < 0 {
		fs.Usage()
		return errUsage
	}
	format, ok := exchangeFormats[pos[0]]
	if !ok || format.write == nil {
		return fmt.Errorf("no format %q to export: want one of %s", pos[0], strings.Join(formatNames(true), ", "))
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	user, agency := cmp.Or(os.Getenv("USER"), "command line"), ""
	object := pos[0]
	audit := func(outcome string) error {
		_, err := st.Record(ctx, store.AuditEntry{User: user, Agency: agency, Action: "export", Object: object, Outcome: outcome})
		return err
	}
	// refused records an export refused before it began, under whoever
	// asked, and returns why.
	refused := func(err error) error {
		if aerr := audit("refused: " + err.Error()); aerr != nil {
			return errors.Join(err, aerr)
		}
		return err
	}
	hopsSet := false
	fs.Visit(func(f *flag.Flag) { hopsSet = hopsSet || f.Name == "hops" })
	if hopsSet && *name == "" {
		return refused(errors.New("--hops counts links from an entity: give one with --entity"))
	}
	var scope store.Scope
	if *as != "" {
		object += " as=" + *as
		u, _, err := st.UserByName(ctx, *as)
		if err != nil {
			return refused(fmt.Errorf("--as %s: %w", *as, err))
		}
		if scope, err = st.ScopeOf(ctx, u); err != nil {
			return refused(err)
		}
		user, agency = u.Name, u.Agency
	}
	if *collection != "" {
		object += " collection=" + *collection
	}
	f := exchange.Filter{Scope: scope, Collection: *collection}
	if *name != "" {
		if f.Entity, err = scopedEntity(ctx, e, st, scope, *name); err != nil {
			return refused(err)
		}
		f.Hops = *hops
		object += fmt.Sprintf(" entity=%d hops=%d", f.Entity, f.Hops)
	}
	if *out != "" {
		object += " out=" + *out
	}
	// The export is in the log before anything of it is written: a log
	// that cannot take the entry stops it.
	if err := audit("begun"); err != nil {
		return fmt.Errorf("audit: %w; nothing exported", err)
	}
	p := &stepProgress{e: e, label: "export " + pos[0]}
	f.Progress = p.show
	c, err := exchange.Read(ctx, st, f)
	if err == nil {
		p.show("writing", 0, 0)
		err = writeExport(*out, e.stdout, func(w io.Writer) error { return format.write(w, c) })
	}
	p.done()
	if err != nil {
		if aerr := audit("failed: " + err.Error()); aerr != nil {
			return errors.Join(err, aerr)
		}
		return err
	}
	if err := audit("ok"); err != nil {
		return err
	}
	summary := fmt.Sprintf("%s: %s, %s, %s, %s, %s\n", cmp.Or(*out, "exported"), entities(len(c.Entities)),
		plural(len(c.Links), "link"), plural(len(c.Documents), "document"), plural(len(c.Incidents), "incident"),
		plural(len(c.Collections), "collection"))
	if *out == "" {
		fmt.Fprint(e.stderr, summary)
	} else {
		fmt.Fprint(e.stdout, summary)
	}
	return nil
}

// writeExport streams an export to a file, written beside it and renamed
// into place once whole, so that a failed export leaves no half file; or
// to w when path is empty. An error names the file.
func writeExport(path string, w io.Writer, write func(io.Writer) error) error {
	if path == "" || path == "-" {
		if err := write(w); err != nil {
			return fmt.Errorf("standard output: %w", err)
		}
		return nil
	}
	if err := writeFileWhole(path, write); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

func writeFileWhole(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if err := write(tmp); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// scopedEntity finds the entity a name or ID names among those the scope
// shows: a name matched in the store that the scope does not show is no
// match, so that the answer tells nothing of other agencies' holdings.
func scopedEntity(ctx context.Context, e *env, st store.Store, scope store.Scope, s string) (mosaic.EntityID, error) {
	var ids []mosaic.EntityID
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
		ids = append(ids, mosaic.EntityID(id))
	} else {
		cs, err := entity.NewFinder(st).Find(ctx, s, 10)
		if err != nil {
			return 0, err
		}
		for _, c := range cs {
			if c.Comparison.Match {
				ids = append(ids, mosaic.EntityID(c.ID))
			}
		}
	}
	for _, id := range ids {
		got, _, _, err := st.EntityNameCounts(ctx, id, scope, store.Page{Limit: 1})
		if errors.Is(err, store.ErrNotFound) {
			continue
		}
		if err != nil {
			return 0, err
		}
		fmt.Fprintf(e.stderr, "%q is entity %d (%s)\n", s, got.ID, got.Name)
		return got.ID, nil
	}
	return 0, fmt.Errorf("no entity matches %q, by name or ID", s)
}

// stepProgress shows the step a long read or load is on, on a terminal.
type stepProgress struct {
	e     *env
	label string
	last  time.Time
	shown bool
}

func (p *stepProgress) show(step string, done, total int) {
	if !p.e.tty || time.Since(p.last) < 100*time.Millisecond && done != total {
		return
	}
	p.last = time.Now()
	count := ""
	if total > 0 {
		count = fmt.Sprintf(" %d of %d", done, total)
	}
	fmt.Fprintf(p.e.stderr, "\r\033[K%s: %s%s", p.label, step, count)
	p.shown = true
}

func (p *stepProgress) done() {
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
}

// entities counts entities.
func entities(n int) string {
	if n == 1 {
		return "1 entity"
	}
	return fmt.Sprintf("%d entities", n)
}
