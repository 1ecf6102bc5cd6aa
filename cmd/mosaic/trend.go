package main

import (
	"context"
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
		"Counts, week by week, the dated documents of a collection that name an entity or place (a\n"+
			"group's propaganda naming a country, say), and flags surges: weeks improbably far above\n"+
			"the weeks before (Poisson tail against the trailing 8-week rate).")
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
	var counts []trend.Count
	for _, d := range p.Timeline {
		counts = append(counts, trend.Count{Date: d.Date, N: 1})
	}
	weeks := trend.Weekly(counts, time.Time{}, time.Time{})
	surges := trend.Surges(weeks, trend.Options{})
	if *asJSON {
		return e.jsonOut().Encode(struct {
			Entity mosaic.EntityID `json:"entity"`
			Name   string          `json:"name"`
			Weeks  []trend.Week    `json:"weeks"`
			Surges []trend.Surge   `json:"surges"`
		}{p.ID, p.Name, append([]trend.Week{}, weeks...), append([]trend.Surge{}, surges...)})
	}
	fmt.Fprintf(e.stdout, "%s: dated documents naming it, per week\n", p.Name)
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
