package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"mosaic"
	"mosaic/internal/auth"
	"mosaic/internal/document"
	"mosaic/internal/ingest"
	"mosaic/internal/sample"
	"mosaic/internal/store"
	"mosaic/internal/store/postgres"
	"mosaic/internal/web"
)

func runDemo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "demo", "[--addr 127.0.0.1:8080] [--db DIR] [--load-only]",
		"Loads the bundled fictional case (three agencies' collections) into a data folder and\n"+
			"serves it. Without --db the folder is temporary and removed on exit. --db names the data\n"+
			"folder, as for every other command; the case's files are written beside the store, in\n"+
			"its case/ folder, so that their paths stay good. --db postgres://... loads the case into\n"+
			"that database (its key from $MOSAIC_KEY_FILE or $MOSAIC_KEY), from files in a temporary\n"+
			"folder.")
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	db := fs.String("db", "", "data folder or postgres:// database to load into and keep (default: a temporary folder; not $MOSAIC_DB)")
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
	files := filepath.Join(dir, "case")
	if postgres.IsURL(dir) {
		tmp, err := os.MkdirTemp("", "mosaic-demo-case-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		files = tmp
	}
	if err := loadCase(ctx, e, st, files); err != nil {
		return err
	}
	if err := demoUsers(ctx, e, st); err != nil {
		return err
	}
	if *noServe {
		fmt.Fprintf(e.stdout, "sample case loaded into %s\n", displayDB(dir))
		return nil
	}
	return serve(ctx, e, st, *addr, demoServe(st, dir))
}

// demoServe gives the demo's server what 'mosaic serve' gives its own
// over a data folder: the page's upload view, which stores into the
// demo's store under the folder's ingest lock.
func demoServe(st store.Store, dir string) func(*web.Server, *web.Listen) {
	return func(s *web.Server, _ *web.Listen) {
		s.Loader = web.NewLoader(st, newExtractor(), func() (func(), error) { return lockIngest(dir) })
	}
}

// loadCase writes the bundled case's files into the folder files and
// ingests each of its collections into st.
func loadCase(ctx context.Context, e *env, st store.Store, files string) error {
	if err := sample.WriteTo(files); err != nil {
		return fmt.Errorf("write sample case: %w", err)
	}
	collections, err := sample.Collections()
	if err != nil {
		return err
	}
	alerts := 0
	for _, c := range collections {
		// One reader stores the files in the order the walk gives them, so
		// every fresh demo gives each entity the same ID: the IDs the README
		// and the case notes print. (Parallel readers store files in the
		// order they finish, and resolution numbers entities as it meets
		// them.)
		opts := ingest.Options{Collection: c.Name, Agency: c.Agency, Workers: 1, Limits: document.DefaultLimits()}
		var stored []mosaic.DocID
		if _, err := load(ctx, e, st, []string{filepath.Join(files, c.Dir)}, opts, false, func(ev ingest.Event) {
			stored = append(stored, ev.IDs...)
		}); err != nil {
			return err
		}
		// Each agency's material is checked against what the others
		// loaded before it, as 'mosaic ingest' does, so the page has the
		// alerts an analyst would have been given.
		hits, _, err := discoveryAlerts(ctx, st, c.Agency, stored)
		if err != nil {
			return err
		}
		alerts += len(hits)
	}
	fmt.Fprintf(e.stdout, "%s: material of one agency naming someone another agency holds material on\n", plural(alerts, "discovery alert"))
	return nil
}

// demoAccounts are the sample case's users: an admin and an analyst of
// two of its agencies, and a viewer of one, so that what one agency may
// not see of the other's material can be tried at once. The intercepts
// are classified SECRET, and the viewer is cleared to CONFIDENTIAL only.
var demoAccounts = []store.User{
	{Name: "ctu-admin", Agency: "Arden Constabulary CTU", Role: store.Admin, Clearance: "SECRET"},
	{Name: "ctu-analyst", Agency: "Arden Constabulary CTU", Role: store.Analyst, Clearance: "SECRET"},
	{Name: "dib-admin", Agency: "Domestic Intelligence Bureau", Role: store.Admin, Clearance: "SECRET"},
	{Name: "dib-analyst", Agency: "Domestic Intelligence Bureau", Role: store.Analyst, Clearance: "SECRET"},
	{Name: "dib-viewer", Agency: "Domestic Intelligence Bureau", Role: store.Viewer, Clearance: "CONFIDENTIAL"},
}

// demoClassified is the sample collection the demo classifies SECRET.
const demoClassified = "dib-intercepts"

// demoUsers creates the demo accounts with fresh random passwords, or new
// passwords if the data folder has them already, and prints how to log in.
func demoUsers(ctx context.Context, e *env, st store.Store) error {
	if err := st.Classify(ctx, demoClassified, "SECRET"); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Demo users (passwords are new each run; %s is classified SECRET):\n", demoClassified)
	for _, u := range demoAccounts {
		password, err := auth.NewPassword()
		if err != nil {
			return err
		}
		if _, _, err := st.UserByName(ctx, u.Name); errors.Is(err, store.ErrNotFound) {
			if _, err := addUser(ctx, st, u, password); err != nil {
				return err
			}
		} else if err != nil {
			return err
		} else {
			hash, err := auth.HashPassword(password)
			if err != nil {
				return err
			}
			if err := st.SetPassword(ctx, u.Name, hash); err != nil {
				return err
			}
		}
		fmt.Fprintf(e.stdout, "  %-12s %-8s of %-29s cleared %-12s password %s\n", u.Name, u.Role, u.Agency, u.Clearance, password)
	}
	fmt.Fprintln(e.stdout, "Log in on the page with one of them, or get an API token with 'mosaic user token NAME --db DIR'.")
	return nil
}
