package main

import (
	"context"
	"flag"
	"fmt"
	"time"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/entity"
	"mosaic/internal/ingest"
	"mosaic/internal/network"
	"mosaic/internal/store"
)

func runIngest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "ingest", "--collection NAME [--agency NAME] PATH...",
		"Loads files, folders (recursively) and zip archives into a collection. Text, HTML, PDF, DOCX,\n"+
			"e-mail (.eml, attachments as child documents), CSV and JSON (a document per record).\n"+
			"Loading the same content again adds nothing. A file that fails is named with its reason\n"+
			"and the rest of the batch still lands; the exit status is then 1.")
	db := dbFlag(fs)
	collection := fs.String("collection", "", "collection to load into (required)")
	agency := fs.String("agency", "default", "agency that owns the collection")
	workers := fs.Int("workers", 0, "parallel readers (0: one per CPU, one fewer while names are resolved, leaving the writer one)")
	maxSize := fs.Int64("max-size", document.DefaultLimits().MaxFileSize, "largest file to read, in bytes")
	asJSON := fs.Bool("json", false, "print one JSON line per file and a summary line")
	alerts := fs.Bool("alerts", true, "after loading, report people called lone actors or flagged ('mosaic judge flag') whom the new material links to a known group")
	discover := fs.Bool("discover", true, "after loading, report which other agencies hold material on the people and organisations the new documents name, and tell them (hit/no-hit only)")
	queue := fs.Bool("queue", false, "only queue the files (their paths and content hashes) for 'mosaic worker' processes to load")
	batch := batchFlag(fs)
	paths, err := parse(fs, args)
	if err != nil {
		return err
	}
	if *collection == "" || len(paths) == 0 {
		fs.Usage()
		return errUsage
	}
	if err := checkBatch(*batch); err != nil {
		return err
	}
	if *queue {
		st, err := openStore(ctx, *db, true)
		if err != nil {
			return err
		}
		defer st.Close()
		return queueFiles(ctx, e, st, paths, *collection, *agency)
	}
	st, done, err := openLocked(ctx, *db)
	if err != nil {
		return err
	}
	defer done()
	lim := document.DefaultLimits()
	lim.MaxFileSize = *maxSize
	opts := ingest.Options{Collection: *collection, Agency: *agency, Workers: *workers, Limits: lim, BatchDocs: *batch}
	var before []network.LoneActor
	if *alerts {
		if before, err = loneActorCheck(ctx, st); err != nil {
			return err
		}
	}
	var stored []mosaic.DocID
	stats, err := load(ctx, e, st, paths, opts, *asJSON, func(ev ingest.Event) {
		if ev.New > 0 {
			stored = append(stored, ev.IDs...)
		}
	})
	if err != nil {
		return err
	}
	if *discover && len(stored) > 0 {
		hits, truncated, err := discoveryAlerts(ctx, st, *agency, stored)
		if err != nil {
			return err
		}
		printDiscoveryAlerts(e, *agency, hits, truncated)
	}
	if *alerts && stats.New > 0 {
		after, err := loneActorCheck(ctx, st)
		if err != nil {
			return err
		}
		for _, la := range network.Alerts(before, after) {
			fmt.Fprintf(e.stderr, "ALERT: %s, %s, is now linked by evidence to a known group or member in %d hops; see: mosaic path %d %d\n",
				la.Name, watched(la), len(la.Path.Hops), la.Person, la.Target)
		}
	}
	// A file stored with a warning lost something (NUL bytes, a page's
	// structure): the run says so by its status too.
	if stats.Failed > 0 || stats.Warned > 0 {
		return errSilent
	}
	return nil
}

// loneActorCheck runs the lone-actor check over everything stored, for the
// people called lone actors and those analysts flagged.
func loneActorCheck(ctx context.Context, st store.Store) ([]network.LoneActor, error) {
	flagged, err := st.Flagged(ctx, "")
	if err != nil {
		return nil, err
	}
	n, err := network.Build(ctx, st, network.Options{})
	if err != nil {
		return nil, err
	}
	return network.LoneActors(ctx, st, n, store.Scope{}, flagged, 4)
}

// watched says why the check watches a person.
func watched(la network.LoneActor) string {
	switch {
	case la.Flagged && len(la.Claims) > 0:
		return "called a lone actor and flagged"
	case la.Flagged:
		return "flagged"
	}
	return "called a lone actor"
}

// load runs one ingestion, printing failures as they happen, progress on a
// terminal, and a summary at the end. seen, when not nil, is given every
// file's event too.
func load(ctx context.Context, e *env, st store.Store, paths []string, opts ingest.Options, asJSON bool, seen func(ingest.Event)) (ingest.Stats, error) {
	// Names an interrupted run stored but did not resolve go first.
	r, err := entity.NewResolver(ctx, st)
	if err != nil {
		return ingest.Stats{}, err
	}
	if n, err := r.Pending(ctx); err != nil {
		return ingest.Stats{}, err
	} else if n > 0 {
		fmt.Fprintf(e.stderr, "resolved %d documents left unresolved by an earlier run\n", n)
	}
	opts.Resolver = r
	ex := newExtractor()
	p := newProgress(e, "ingest "+opts.Collection)
	opts.Progress = p.committed
	enc := e.jsonOut()
	stats, err := ingest.Run(ctx, st, ex, paths, opts, func(ev ingest.Event) {
		if asJSON {
			enc.Encode(ev)
		}
		if ev.Outcome == ingest.Failed || ev.Outcome == ingest.Skipped {
			p.println(fmt.Sprintf("%s: %s", ev.Outcome, ev.Reason))
		}
		for _, w := range ev.Warnings {
			p.println(fmt.Sprintf("warning: %s: stored, but %s", ev.Path, w))
		}
		p.update(ev)
		if seen != nil {
			seen(ev)
		}
	})
	p.done()
	if asJSON {
		enc.Encode(struct {
			Summary ingest.Stats `json:"summary"`
		}{stats})
	} else {
		warned := ""
		if stats.Warned > 0 {
			warned = fmt.Sprintf(", %d with warnings", stats.Warned)
		}
		fmt.Fprintf(e.stdout, "%s: %s, %s (%d new), %s, %d failed, %d skipped%s in %s\n",
			opts.Collection, plural(stats.Files, "file"), plural(stats.Documents, "document"), stats.New,
			plural(stats.Mentions, "mention"), stats.Failed, stats.Skipped, warned, stats.Elapsed.Round(time.Millisecond))
	}
	return stats, err
}

// plural counts n things: "1 file", "2 files".
func plural(n int, thing string) string {
	if n == 1 {
		return "1 " + thing
	}
	return fmt.Sprintf("%d %ss", n, thing)
}

// batchFlag is --batch, the most documents an ingest writes in one
// transaction (ingest.Options.BatchDocs).
func batchFlag(fs *flag.FlagSet) *int {
	return fs.Int("batch", ingest.DefaultBatchDocs, "most documents written in one transaction: more loads a large store faster, "+
		"but readers' audit entries and other writers wait for each transaction")
}

// checkBatch refuses a --batch below one.
func checkBatch(n int) error {
	if n < 1 {
		return fmt.Errorf("--batch must be at least 1, not %d", n)
	}
	return nil
}
