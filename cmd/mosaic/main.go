// Command mosaic is the Mosaic investigation workbench: one binary that
// ingests documents, extracts and searches them, and serves the web UI.
//
// Usage:
//
//	mosaic <command> [flags] [arguments]
//
// Run "mosaic help" for the list of commands and "mosaic <command> -h" for
// the flags of one.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime/pprof"
	"sort"
	"syscall"
	"time"

	"mosaic/internal/store"
	"mosaic/internal/store/postgres"
	"mosaic/internal/store/sqlite"
	"mosaic/internal/store/sqlstore"
)

// command is one subcommand. run gets the arguments after the command name
// and returns an error to print; errSilent means it has reported already.
type command struct {
	summary string
	run     func(ctx context.Context, env *env, args []string) error
}

// env is what a command may touch of the process.
type env struct {
	stdout, stderr io.Writer
	// tty reports whether stderr is a terminal, for progress lines.
	tty bool
	// stdin is where a command reads an answer, when stdinTTY says a
	// person may type one; nil reads nothing.
	stdin    io.Reader
	stdinTTY bool
}

var commands = map[string]command{
	"demo":        {"load the bundled sample case into a temporary data folder and serve it", runDemo},
	"serve":       {"serve the web UI and JSON API", runServe},
	"ingest":      {"load files, folders and zip archives into a collection, or queue them for workers", runIngest},
	"worker":      {"load the files 'mosaic ingest --queue' queued; several share a PostgreSQL store's queue", runWorker},
	"status":      {"the ingest queue: jobs queued, running, done and failed, documents waiting for resolution", runStatus},
	"extract":     {"print the mentions found in files, without a database", runExtract},
	"search":      {"full-text search with highlighted snippets", runSearch},
	"show":        {"a stored document by the ID search prints: its holdings, text and mentions", runShow},
	"entity":      {"an entity's names, sources, connections and timeline", runEntity},
	"why":         {"why two names are, or are not, one entity", runWhy},
	"judge":       {"merge, reject, split, confirm or flag entities; list, undo and proposals", runJudge},
	"path":        {"the shortest evidence paths between two entities, with the sentence behind every hop", runPath},
	"neighbours":  {"the entities within N hops of an entity in the evidence network", runNeighbours},
	"analyze":     {"communities and central figures of the evidence network, or of a TSV edge list", runAnalyze},
	"bench-graph": {"measure the graph algorithms on a generated million-node graph", runBenchGraph},
	"trend":       {"weekly counts of the documents naming an entity or place, with surges flagged", runTrend},
	"lone-actors": {"people called lone actors, and their evidence paths to known groups", runLoneActors},
	"hijri":       {"a date in the Umm al-Qura calendar and back, and the Ramadan windows of a year", runHijri},
	"bench":       {"measure ingest throughput and memory (ingest), one large document (document), the API under load (serve)", runBench},
	"train":       {"train the named-entity tagger (ner) or the relation classifier (relations)", runTrain},
	"eval":        {"score the tagger (ner), name deduplication (dedupe), resolution (coref), relations, incidents from text or discovery matching", runEval},
	"dedupe":      {"cluster the names of an id,name CSV file into entities", runDedupe},
	"watchlist":   {"reference lists of known names that entities are linked to: list, load, link, build", runWatchlist},
	"collection":  {"list, rename, delete or classify collections; the log of renames and deletions", runCollection},
	"user":        {"accounts of a shared store: add, list, token, revoke, grant collections to other agencies", runUser},
	"audit":       {"verify the hash-chained audit log, or list who read and did what", runAudit},
	"key":         {"make a key, or rotate the key that encrypts a data folder at rest", runKey},
	"discovery":   {"what agencies on other servers hold, without sharing names: key, export, import, pull, query", runDiscovery},
	"import":      {"load a file another tool wrote (csv, ...) as entities, links and incidents, or attacks as data (gtd)", runImport},
	"export":      {"write the case, or one entity's neighbourhood, for other tools (csv, ...)", runExport},
	"incidents":   {"the stored incidents the filters select, under an inclusion rule", runIncidents},
	"incident":    {"rule two incidents one attack (same) or two (different); list the rulings", runIncident},
	"tempo":       {"incidents per day, week or month, with changes of rate, before/after and Ramadan ratios", runTempo},
}

// errSilent is returned by a command that has already explained its failure.
var errSilent = errors.New("failed")

// exitUsage is the exit status for a command line that cannot be run.
const exitUsage = 2

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	stopProfile := profileCPU(os.Getenv("MOSAIC_CPUPROFILE"))
	code := run(ctx, &env{stdout: os.Stdout, stderr: os.Stderr, tty: isTerminal(os.Stderr),
		stdin: os.Stdin, stdinTTY: isTerminal(os.Stdin)}, os.Args[1:])
	stopProfile()
	stop()
	os.Exit(code)
}

// profileCPU writes a CPU profile of the command to path, if set, for
// `go tool pprof`: where an ingest or a server spends its time on a real
// store, which a benchmark's small one does not show. It returns what
// ends the profile.
func profileCPU(path string) func() {
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "mosaic: MOSAIC_CPUPROFILE: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}
}

// run runs one command line and returns the exit status.
func run(ctx context.Context, e *env, args []string) int {
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(e.stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return 0
	}
	cmd, ok := commands[args[0]]
	if !ok {
		fmt.Fprintf(e.stderr, "mosaic: unknown command %q\n\n", args[0])
		usage(e.stderr)
		return exitUsage
	}
	if len(args) == 2 && isHelp(args[1]) && subcommands[args[0]] != nil {
		helpAll(ctx, e, args[0], cmd)
		return 0
	}
	err := cmd.run(ctx, e, args[1:])
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return exitUsage
	case errors.Is(err, errSilent):
		return 1
	default:
		fmt.Fprintf(e.stderr, "mosaic %s: %v\n", args[0], err)
		return 1
	}
}

// subcommands names, for each command that hands its first argument to
// another flag set, the subcommands with flags of their own, so that
// 'mosaic X -h' lists every flag X takes: its own usage, then each
// subcommand's ('mosaic X SUB -h' shows one alone).
var subcommands = map[string]func() []string{
	"eval":      fixed("dedupe", "coref", "relations", "incidents", "discovery"),
	"train":     fixed("relations"),
	"watchlist": fixed("list", "load", "link", "build"),
	"import":    fixed("gtd"),
	"bench": func() []string {
		names := make([]string, 0, len(benchmarks))
		for n := range benchmarks {
			names = append(names, n)
		}
		sort.Strings(names)
		return names
	},
}

func fixed(names ...string) func() []string { return func() []string { return names } }

func isHelp(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// helpAll prints the usage of a command and of each of its subcommands,
// each as 'mosaic X SUB -h' prints it.
func helpAll(ctx context.Context, e *env, name string, cmd command) {
	cmd.run(ctx, e, []string{"-h"})
	for _, sub := range subcommands[name]() {
		fmt.Fprintf(e.stderr, "\n---- mosaic %s %s\n\n", name, sub)
		cmd.run(ctx, e, []string{sub, "-h"})
	}
}

func usage(w io.Writer) {
	fmt.Fprintf(w, "Mosaic: an evidence-backed investigation workbench.\n\nUsage: mosaic <command> [flags] [arguments]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	width := 0
	for n := range commands {
		names = append(names, n)
		width = max(width, len(n))
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-*s  %s\n", width, n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nRun 'mosaic <command> -h' for a command's flags. The data folder is --db, or $MOSAIC_DB,\nor %s.\n", defaultDB())
}

// errUsage marks a command line that cannot be run; the flag set has
// already printed why.
var errUsage = errors.New("usage")

// flagSetMade, when set (by a test), is called with every flag set
// newFlags makes.
var flagSetMade func(*flag.FlagSet)

// newFlags returns a flag set for a command that prints its usage to
// stderr. Every command makes its flag sets here, so that a test can check
// that its -h lists each flag.
func newFlags(e *env, name, args, about string) *flag.FlagSet {
	fs := flag.NewFlagSet("mosaic "+name, flag.ContinueOnError)
	if flagSetMade != nil {
		flagSetMade(fs)
	}
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: mosaic %s %s\n\n%s\n\nFlags:\n", name, args, about)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags that may stand before, between or after the
// positional arguments, and returns the positional ones. "--" ends the flags.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				return nil, err
			}
			return nil, errUsage
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, nil
		}
		// fs.Parse consumed a "--" if the remaining arguments follow one.
		if n := len(args) - len(rest); n > 0 && args[n-1] == "--" {
			return append(pos, rest...), nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// dbFlag adds the --db flag.
func dbFlag(fs *flag.FlagSet) *string {
	return fs.String("db", defaultDB(), "data folder of the embedded store, or a postgres:// address (or $MOSAIC_DB)")
}

// defaultDB is $MOSAIC_DB, or the user's data directory.
func defaultDB() string {
	if v := os.Getenv("MOSAIC_DB"); v != "" {
		return v
	}
	if v := os.Getenv("XDG_DATA_HOME"); v != "" {
		return filepath.Join(v, "mosaic")
	}
	if home, err := os.UserHomeDir(); err == nil {
		return filepath.Join(home, ".local", "share", "mosaic")
	}
	return "mosaic-data"
}

// errNoData says a data folder holds no Mosaic store.
var errNoData = errors.New("no Mosaic data")

// openStore opens the store named by --db. Commands that only read pass
// create=false, so a mistyped folder is an error rather than an empty store.
func openStore(ctx context.Context, db string, create bool) (store.Store, error) {
	// Opening a store of an older release may first seal or index its
	// documents, minutes for a large one: said on standard error.
	progress := sqlstore.WithProgress(openProgress(os.Stderr))
	if postgres.IsURL(db) {
		return postgres.Open(ctx, db, progress)
	}
	if !create {
		if _, err := os.Stat(filepath.Join(db, sqlite.FileName)); errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%w in %s: load documents with 'mosaic ingest --db %s ...' or set --db / $MOSAIC_DB", errNoData, db, db)
		}
	}
	return sqlite.Open(ctx, db, progress)
}

// openProgress returns a report of the work opening a store does, written
// to w every few seconds and when a step is done.
func openProgress(w io.Writer) func(what string, done, total int) {
	var last time.Time
	return func(what string, done, total int) {
		if done < total && time.Since(last) < 3*time.Second {
			return
		}
		last = time.Now()
		fmt.Fprintf(w, "mosaic: %s: %d of %d\n", what, done, total)
	}
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// isTerminalWriter reports whether w is a terminal.
func isTerminalWriter(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isTerminal(f)
}

// jsonOut returns the encoder for a command's --json output: one value a
// line, with <, > and & left as they are (this output is not for HTML).
func (e *env) jsonOut() *json.Encoder {
	enc := json.NewEncoder(e.stdout)
	enc.SetEscapeHTML(false)
	return enc
}
