package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
	"mosaic/internal/trend"
)

func runTrend(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "trend", "[--json] [--collection NAME]... NAME",
		"Counts, week by week, how often the dated documents of a collection mention an entity or\n"+
			"place (a group's propaganda naming a country, say), with the quiet weeks of the collection\n"+
			"as zeros, and flags surges: weeks improbably far above the weeks before (Poisson tail\n"+
			"against the trailing 8-week rate).")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	var collections []string
	fs.Func("collection", "count only this collection's documents (repeatable; default all)", func(s string) error {
		collections = append(collections, s)
		return nil
	})
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 {
		fs.Usage()
		return errUsage
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	id, err := entityRef(ctx, e, st, entity.NewFinder(st), strings.Join(pos, " "))
	if err != nil {
		return err
	}
	scope := store.Scope{Collections: collections}
	p, err := st.Entity(ctx, id, scope)
	if err != nil {
		return err
	}
	// An entity the scope names only in undated documents has no series.
	days, err := st.MentionsByDay(ctx, id, scope)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	weeks, surges := trend.Series(trend.Mentions(days), trend.Options{})
	if *asJSON {
		return e.jsonOut().Encode(struct {
			Entity mosaic.EntityID `json:"entity"`
			Name   string          `json:"name"`
			Weeks  []trend.Week    `json:"weeks"`
			Surges []trend.Surge   `json:"surges"`
		}{p.ID, p.Name, weeks, surges})
	}
	fmt.Fprintf(e.stdout, "%s: mentions per week in dated documents\n", p.Name)
	for _, w := range weeks {
		mark := ""
		if w.Surge {
			mark = "  SURGE"
		}
		fmt.Fprintf(e.stdout, "  %s  %3d  %s%s\n", w.Start.Format(time.DateOnly), w.Count, strings.Repeat("█", min(w.Count, 60)), mark)
	}
	for _, s := range surges {
		fmt.Fprintf(e.stdout, "Surge in the week of %s: %s\n", s.Start.Format(time.DateOnly), s.Why)
	}
	return nil
}
