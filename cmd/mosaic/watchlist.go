package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"text/tabwriter"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

const watchlistAbout = "Reference lists of known names (watchlists) that resolution links entities to: a name that a\n" +
	"list gives, exactly or (for organisations) by name comparison, ties its mentions to the entry,\n" +
	"and every name the entry lists as an alias to one entity, with the list, identifier and\n" +
	"programme as the reason. The counter-terrorism entries (SDGT, FTO) of the OFAC SDN list are\n" +
	"built in.\n\n" +
	"  mosaic watchlist list                  the lists in use and their sizes\n" +
	"  mosaic watchlist load FILE.csv         load (or replace) a list of your own, and link stored entities\n" +
	"  mosaic watchlist link                  link the stored entities to every list (for older data)\n" +
	"  mosaic watchlist build --ofac DIR      regenerate the built-in list from OFAC's legacy CSV\n\n" +
	"FILE.csv has the columns list, id, name, aliases, programme, kind, with an optional header row:\n" +
	"list names the list (one list per file), id the entry's identifier in it, aliases are\n" +
	"separated by \";\", and kind is person, organisation or empty. For example:\n\n" +
	"  list,id,name,aliases,programme,kind\n" +
	"  Local,17,Harbour Watch Collective,Tide Wardens;HWC,ports,organisation\n\n" +
	"Loading a list again replaces its entries; links already made keep the entry as it was.\n" +
	"Entities stored before a list was loaded are linked to it, but not joined: two entities\n" +
	"linked to one entry are for an analyst to merge (mosaic judge merge)."

func runWatchlist(ctx context.Context, e *env, args []string) error {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprintf(e.stderr, "Usage: mosaic watchlist list|load|link|build [flags]\n\n%s\n", watchlistAbout)
		if len(args) == 0 {
			return errUsage
		}
		return nil
	}
	switch args[0] {
	case "list":
		return runWatchlistList(ctx, e, args[1:])
	case "load":
		return runWatchlistLoad(ctx, e, args[1:])
	case "build":
		return runWatchlistBuild(e, args[1:])
	case "link":
		return runWatchlistLink(ctx, e, args[1:])
	}
	fmt.Fprintf(e.stderr, "mosaic watchlist: unknown subcommand %q: want list, load, link or build\n", args[0])
	return errUsage
}

func runWatchlistList(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "watchlist list", "[--json]", watchlistAbout)
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	builtin, err := entity.BuiltinWatchlist()
	if err != nil {
		return err
	}
	lists := []store.Watchlist{{Name: entity.OFACList + " (built in)", Entries: len(builtin)}}
	st, err := openStore(ctx, *db, false)
	switch {
	case err == nil:
		defer st.Close()
		loaded, err := st.Watchlists(ctx)
		if err != nil {
			return err
		}
		lists = append(lists, loaded...)
	case errors.Is(err, errNoData):
	default:
		return err
	}
	if *asJSON {
		return e.jsonOut().Encode(lists)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "list\tentries\tloaded\n")
	for _, l := range lists {
		loaded := "with the program"
		if !l.Loaded.IsZero() {
			loaded = l.Loaded.Format("2006-01-02 15:04")
		}
		fmt.Fprintf(tw, "%s\t%d\t%s\n", l.Name, l.Entries, loaded)
	}
	return tw.Flush()
}

func runWatchlistLoad(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "watchlist load", "FILE.csv", watchlistAbout)
	db := dbFlag(fs)
	files, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(files) != 1 {
		fs.Usage()
		return errUsage
	}
	f, err := os.Open(files[0])
	if err != nil {
		return err
	}
	defer f.Close()
	list, entries, err := entity.ParseWatchlistCSV(f)
	if err != nil {
		return fmt.Errorf("%s: %w", files[0], err)
	}
	if strings.EqualFold(list, entity.OFACList) {
		return fmt.Errorf("%s: the list %q is built in; give yours another name", files[0], list)
	}
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := st.LoadWatchlist(ctx, list, entries); err != nil {
		return err
	}
	names := 0
	for _, en := range entries {
		names += 1 + len(en.Aliases)
	}
	fmt.Fprintf(e.stdout, "loaded %d entries (%d names) as the list %q\n", len(entries), names, list)
	for i := range entries {
		entries[i].List = list
	}
	n, err := entity.LinkStored(ctx, st, entries)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "linked %d stored entities to its entries\n", n)
	return nil
}

func runWatchlistLink(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "watchlist link", "", "Links the stored entities whose names a list gives to the list's entries, as resolution\n"+
		"does for documents ingested after the list: for a data folder filled before. Joins no entities.")
	db := dbFlag(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	builtin, err := entity.BuiltinWatchlist()
	if err != nil {
		return err
	}
	var loaded []store.WatchlistEntry
	if err := st.WatchlistEntries(ctx, func(en store.WatchlistEntry) error {
		loaded = append(loaded, en)
		return nil
	}); err != nil {
		return err
	}
	n, err := entity.LinkStored(ctx, st, builtin, loaded)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "linked %d stored entities to watchlist entries\n", n)
	return nil
}

func runWatchlistBuild(e *env, args []string) error {
	fs := newFlags(e, "watchlist build", "--ofac DIR [--out FILE]",
		"Regenerates the built-in watchlist from the legacy CSV files of the OFAC SDN list (sdn.csv,\n"+
			"alt.csv): its counter-terrorism entries, programmes SDGT or FTO, with their aliases. The same\n"+
			"files give the same bytes. `go generate ./internal/entity` runs it.")
	ofac := fs.String("ofac", "", "folder holding sdn.csv and alt.csv")
	out := fs.String("out", filepath.Join("internal", "entity", "watchlist", "ofac.tsv.gz"), "file to write")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *ofac == "" {
		fs.Usage()
		return errUsage
	}
	entries, err := entity.OFACWatchlist(*ofac)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := entity.WriteWatchlistTSV(&buf, entries); err != nil {
		return err
	}
	if err := os.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
		return err
	}
	names := 0
	for _, en := range entries {
		names += 1 + len(en.Aliases)
	}
	fmt.Fprintf(e.stdout, "wrote %s: %d entries, %d names, %d bytes\n", *out, len(entries), names, buf.Len())
	return nil
}

// listedTogether says which watchlist entry, if any, gives both names as
// names of one thing — evidence beyond the names' words, which resolution
// uses — or "". st may be nil (no store: the built-in list alone).
func listedTogether(ctx context.Context, st store.Store, a, b string, kind entity.Kind) (string, error) {
	lists := [][]store.WatchlistEntry{}
	builtin, err := entity.BuiltinWatchlist()
	if err != nil {
		return "", err
	}
	lists = append(lists, builtin)
	if st != nil {
		var loaded []store.WatchlistEntry
		if err := st.WatchlistEntries(ctx, func(e store.WatchlistEntry) error {
			loaded = append(loaded, e)
			return nil
		}); err != nil {
			return "", err
		}
		lists = append(lists, loaded)
	}
	typ := mosaic.Org
	if kind == entity.Person {
		typ = mosaic.Person
	}
	w := entity.NewWatchlist(lists...)
	la, okA := w.Match(a, typ)
	lb, okB := w.Match(b, typ)
	if !okA || !okB || la.Key() != lb.Key() {
		return "", nil
	}
	prog := ""
	if la.Entry.Programme != "" {
		prog = " (" + la.Entry.Programme + ")"
	}
	return fmt.Sprintf("the watchlist %s %s%s gives both as names of %s: %q and %q", la.Entry.List, la.Entry.ID, prog, la.Entry.Name, la.Listed, lb.Listed), nil
}
