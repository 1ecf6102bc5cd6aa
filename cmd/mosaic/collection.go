package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"
	"time"

	"mosaic/internal/store"
)

const collectionAbout = `Lists, renames and deletes collections, and shows the log of renames and deletions:

  list               every collection: name, agency, documents, created
  rename OLD NEW     rename a collection, keeping its documents; refused if NEW is taken
  delete NAME        delete a collection and its holdings: the documents no other collection
                     holds leave the store, with their mentions, relations and search entries.
                     Entities keep their IDs and judgements, and show what the remaining
                     documents say. On a terminal you are asked to type NAME back; otherwise
                     give --yes.
  log                every rename and deletion, newest first: who, when, why, how many documents
  classify NAME LABEL  set a collection's classification: UNCLASSIFIED, RESTRICTED, CONFIDENTIAL,
                     SECRET or TOP SECRET; users cleared below it no longer see the collection

rename and delete need --reason (and --user, default $USER) and are recorded like judgements.`

func runCollection(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "collection", "list|rename OLD NEW|delete NAME|log|classify NAME LABEL", collectionAbout)
	db := dbFlag(fs)
	user := fs.String("user", os.Getenv("USER"), "rename, delete: who makes the change (default $USER)")
	reason := fs.String("reason", "", "rename, delete: why (required)")
	yes := fs.Bool("yes", false, "delete: do not ask for confirmation (required when stdin is not a terminal)")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"list": 1, "rename": 3, "delete": 2, "log": 1, "classify": 3}
	if len(pos) == 0 || want[pos[0]] != len(pos) {
		fs.Usage()
		return errUsage
	}
	verb := pos[0]
	if verb == "rename" || verb == "delete" {
		switch {
		case strings.TrimSpace(*reason) == "":
			return fmt.Errorf("%s needs --reason: the change is recorded like a judgement", verb)
		case strings.TrimSpace(*user) == "":
			return fmt.Errorf("%s needs --user ($USER is not set): the change is recorded like a judgement", verb)
		}
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	if verb == "rename" || verb == "delete" {
		// An ingest under way writes to its collection by name, and keeps
		// the entity names in memory: it finishes first.
		release, err := lockIngest(*db)
		if err != nil {
			return err
		}
		defer release()
	}
	switch verb {
	case "list":
		cs, err := st.Collections(ctx, store.Scope{})
		if err != nil {
			return err
		}
		if *asJSON {
			return e.jsonOut().Encode(struct {
				Collections []store.Collection `json:"collections"`
			}{cs})
		}
		if len(cs) == 0 {
			fmt.Fprintln(e.stdout, "no collections")
			return nil
		}
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tAGENCY\tCLASSIFICATION\tDOCUMENTS\tCREATED")
		for _, c := range cs {
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", c.Name, c.Agency, c.Classification, c.Documents, c.Created.Local().Format("2006-01-02 15:04"))
		}
		return tw.Flush()
	case "classify":
		if err := st.Classify(ctx, pos[1], pos[2]); err != nil {
			return err
		}
		if _, err := st.Record(ctx, store.AuditEntry{User: *user, Action: "classify", Object: pos[1] + " " + pos[2], Outcome: "ok"}); err != nil {
			return err
		}
		_, err := fmt.Fprintf(e.stdout, "collection %q is now %s\n", pos[1], pos[2])
		return err
	case "rename":
		ch, err := st.RenameCollection(ctx, pos[1], pos[2], *user, *reason)
		if err != nil {
			return err
		}
		return showChange(e, ch, *asJSON)
	case "delete":
		if err := confirmDelete(ctx, e, st, pos[1], *yes); err != nil {
			return err
		}
		ch, err := st.DeleteCollection(ctx, pos[1], *user, *reason)
		if err != nil {
			return err
		}
		return showChange(e, ch, *asJSON)
	default: // log
		log, err := st.CollectionLog(ctx)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.jsonOut().Encode(struct {
				Changes []store.CollectionChange `json:"changes"`
			}{log})
		}
		if len(log) == 0 {
			fmt.Fprintln(e.stdout, "no renames or deletions")
		}
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		for _, ch := range log {
			fmt.Fprintf(tw, "  #%d\t%s\t%s\t%s: %s\n", ch.ID, ch.Made.Local().Format("2006-01-02 15:04"), describeChange(ch), ch.User, ch.Reason)
		}
		return tw.Flush()
	}
}

// confirmDelete makes sure the deletion is meant: a person at a terminal
// types the collection's name back; a script says --yes. The collection
// is read first, so that the question names its agency and size and an
// unknown name is refused before anything is asked.
func confirmDelete(ctx context.Context, e *env, st store.Store, name string, yes bool) error {
	cs, err := st.Collections(ctx, store.Scope{Collections: []string{strings.TrimSpace(name)}})
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		return fmt.Errorf("no collection %q (see 'mosaic collection list'): %w", name, store.ErrNotFound)
	}
	if yes {
		return nil
	}
	c := cs[0]
	if !e.stdinTTY || e.stdin == nil {
		return fmt.Errorf("%w: deleting collection %q (%d documents) needs confirmation: run it on a terminal, or give --yes", errRefused, c.Name, c.Documents)
	}
	fmt.Fprintf(e.stderr, "Collection %q of %s holds %d documents. Deleting it removes them from the store unless\n"+
		"another collection holds them too. Type the collection's name to delete it: ", c.Name, c.Agency, c.Documents)
	line, err := bufio.NewReader(e.stdin).ReadString('\n')
	switch {
	case errors.Is(err, io.EOF) && line == "":
		// A character device that is no terminal, such as /dev/null.
		fmt.Fprintln(e.stderr)
		return fmt.Errorf("%w: no answer on stdin, so nothing was deleted; give --yes when no one is at the terminal", errRefused)
	case err != nil && !errors.Is(err, io.EOF):
		return err
	}
	if strings.TrimSpace(line) != c.Name {
		return fmt.Errorf("%w: you typed %q, not %q; nothing was deleted", errRefused, strings.TrimSpace(line), c.Name)
	}
	return nil
}

// showChange prints a rename or deletion just made.
func showChange(e *env, ch store.CollectionChange, asJSON bool) error {
	if asJSON {
		return e.jsonOut().Encode(ch)
	}
	_, err := fmt.Fprintf(e.stdout, "%s (recorded as #%d)\n", describeChange(ch), ch.ID)
	return err
}

// describeChange says what a change did, in a line.
func describeChange(ch store.CollectionChange) string {
	if ch.Action == store.RenameAction {
		return fmt.Sprintf("renamed collection %q of %s to %q (%d documents)", ch.Collection, ch.Agency, ch.NewName, ch.Documents)
	}
	return fmt.Sprintf("deleted collection %q of %s, created %s: %d documents, %d of them held by no other collection and removed",
		ch.Collection, ch.Agency, ch.Created.Local().Format(time.DateOnly), ch.Documents, ch.Removed)
}
