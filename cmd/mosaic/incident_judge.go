package main

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"text/tabwriter"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

const incidentAbout = `Records an analyst's ruling on whether two incidents are one attack, or lists the rulings:

  same A B        incidents A and B are one attack, whatever deduplication scores them
  different A B   A and B are two attacks: no chain of other matches puts them together
  list            the standing rulings, oldest first

A and B are incident ids, as 'mosaic incidents' prints them. A later ruling on a pair
replaces the earlier one. Rulings made here are the command line's (agency ''); an
agency's analysts rule through the web API, and each agency's rulings shape only its
own merges.`

func runIncident(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "incident", "same|different A B | list", incidentAbout)
	db := dbFlag(fs)
	user := fs.String("user", os.Getenv("USER"), "who makes the ruling (default $USER)")
	reason := fs.String("reason", "", "why the two are, or are not, one attack")
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	switch {
	case len(pos) == 3 && (pos[0] == "same" || pos[0] == "different"):
	case len(pos) == 1 && pos[0] == "list":
	default:
		fs.Usage()
		return errUsage
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	show := func(js []store.IncidentJudgement) error {
		if *asJSON {
			enc := e.jsonOut()
			for _, j := range js {
				if err := enc.Encode(j); err != nil {
					return err
				}
			}
			return nil
		}
		w := tabwriter.NewWriter(e.stdout, 0, 4, 2, ' ', 0)
		fmt.Fprintln(w, "ID\tA\tB\tRULING\tUSER\tAT\tREASON")
		for _, j := range js {
			word := "different"
			if j.Same {
				word = "same"
			}
			fmt.Fprintf(w, "%d\t%d\t%d\t%s\t%s\t%s\t%s\n", j.ID, j.A, j.B, word, j.User, j.At.Format(time.DateTime), j.Reason)
		}
		return w.Flush()
	}
	if pos[0] == "list" {
		js, err := st.IncidentJudgements(ctx, "", store.Scope{})
		if err != nil {
			return err
		}
		return show(js)
	}
	var ids [2]mosaic.IncidentID
	for i, s := range pos[1:] {
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil || n <= 0 {
			return fmt.Errorf("incident %q: want an incident id, as 'mosaic incidents' prints it", s)
		}
		ids[i] = mosaic.IncidentID(n)
	}
	j, err := st.JudgeIncidents(ctx, store.IncidentJudgement{A: ids[0], B: ids[1], Same: pos[0] == "same",
		User: *user, Reason: *reason}, store.Scope{})
	if err != nil {
		return err
	}
	return show([]store.IncidentJudgement{j})
}
