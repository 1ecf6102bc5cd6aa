package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/network"
	"mosaic/internal/store"
)

// networkFlags are the filters every network command takes.
type networkFlags struct {
	types, collections, agencies, since, until *string
	cooccurrence                               *bool
}

func addNetworkFlags(fs *flag.FlagSet) networkFlags {
	return networkFlags{
		types:        fs.String("type", "", "relation types to follow, comma-separated (contact,command,member,attack,travel,family,location,co-occurrence)"),
		collections:  fs.String("collection", "", "only documents of these collections, comma-separated"),
		agencies:     fs.String("agency", "", "only documents of these agencies, comma-separated"),
		since:        fs.String("since", "", "only documents dated on or after this day (YYYY-MM-DD)"),
		until:        fs.String("until", "", "only documents dated on or before this day (YYYY-MM-DD)"),
		cooccurrence: fs.Bool("cooccurrence", false, "also follow links whose only evidence is two names in one sentence"),
	}
}

// options turns the flags into network options.
func (f networkFlags) options() (network.Options, error) {
	q := network.Query{Types: *f.types, Collections: *f.collections, Agencies: *f.agencies,
		Since: *f.since, Until: *f.until, CoOccurrence: *f.cooccurrence}
	o, err := q.Options()
	if qe := (*network.QueryError)(nil); errors.As(err, &qe) {
		return o, fmt.Errorf("--%s %q: %s", qe.Field, qe.Value, qe.Reason)
	}
	return o, err
}

// openNetwork opens the store and builds the network the flags select.
func openNetwork(ctx context.Context, db string, nf networkFlags) (store.Store, *network.Network, network.Options, error) {
	opts, err := nf.options()
	if err != nil {
		return nil, nil, opts, err
	}
	st, err := openStore(ctx, db, false)
	if err != nil {
		return nil, nil, opts, err
	}
	n, err := network.Build(ctx, st, opts)
	if err != nil {
		st.Close()
		return nil, nil, opts, err
	}
	return st, n, opts, nil
}

func runPath(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "path", "[--json] [-k 3] A B",
		"Finds the shortest evidence paths between two entities (ids or names), with the sentence\n"+
			"that proves every hop and the document, collection and date it comes from. Negated\n"+
			"relations (\"was not in touch with\") are shown on the edge but never followed.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	k := fs.Int("k", 3, "how many paths")
	maxHops := fs.Int("max-hops", 6, "longest path to look for")
	nf := addNetworkFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 || *k < 1 || *maxHops < 1 {
		fs.Usage()
		return errUsage
	}
	st, n, opts, err := openNetwork(ctx, *db, nf)
	if err != nil {
		return err
	}
	defer st.Close()
	f := entity.NewFinder(st)
	a, err := entityRef(ctx, e, st, f, pos[0])
	if err != nil {
		return err
	}
	b, err := entityRef(ctx, e, st, f, pos[1])
	if err != nil {
		return err
	}
	paths := n.Paths(a, b, *k, *maxHops)
	if err := network.QuotePaths(ctx, st, opts.Filter.Scope, paths...); err != nil {
		return err
	}
	if err := network.MarkWeakTies(ctx, st, opts.Filter.Scope, paths...); err != nil {
		return err
	}
	// Evidence that the two are not linked: a negated or co-occurrence
	// edge between them that paths do not follow.
	direct := n.Edge(a, b)
	if direct != nil {
		if err := network.Quote(ctx, st, opts.Filter.Scope, direct); err != nil {
			return err
		}
	}
	names, err := entityNames(ctx, st, n, paths, a, b)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.jsonOut().Encode(struct {
			From   mosaic.EntityID            `json:"from"`
			To     mosaic.EntityID            `json:"to"`
			Names  map[mosaic.EntityID]string `json:"names"`
			Paths  []network.Path             `json:"paths"`
			Direct *network.Edge              `json:"direct,omitempty"`
		}{a, b, names, append([]network.Path{}, paths...), direct})
	}
	w := e.stdout
	if len(paths) == 0 {
		fmt.Fprintf(w, "No evidence path from %s to %s within %d hops.\n", names[a], names[b], *maxHops)
	}
	for i, p := range paths {
		fmt.Fprintf(w, "Path %d (%d hops): ", i+1, len(p.Hops))
		for j, id := range p.Entities {
			if j > 0 {
				fmt.Fprint(w, " → ")
			}
			fmt.Fprint(w, names[id])
		}
		fmt.Fprintln(w)
		for _, h := range p.Hops {
			fmt.Fprintf(w, "  %s — %s  [%s]\n", names[h.From], names[h.To], strings.Join(edgeTypes(h.Edge), ", "))
			printEvidence(e, h.Edge, 3)
		}
		fmt.Fprintln(w)
	}
	if direct != nil && !direct.Typed() {
		fmt.Fprintf(w, "Direct evidence between them that paths do not follow:\n")
		printEvidence(e, direct, 5)
	}
	return nil
}

func edgeTypes(e *network.Edge) []string {
	var out []string
	for _, t := range e.Types {
		out = append(out, string(t))
	}
	return out
}

// printEvidence prints up to max pieces of an edge's evidence.
func printEvidence(e *env, edge *network.Edge, max int) {
	for i, ev := range edge.Evidence {
		if i == max {
			fmt.Fprintf(e.stdout, "      … %d more\n", len(edge.Evidence)-i)
			break
		}
		marks := ""
		if ev.Negated {
			marks += " NEGATED"
		}
		if ev.Hedged {
			marks += " HEDGED"
		}
		date := ""
		if !ev.Date.IsZero() {
			date = ev.Date.Format(time.DateOnly) + " "
		}
		fmt.Fprintf(e.stdout, "      %s%s: %q\n        %s%s [%s]\n", ev.Type, marks, strings.Join(strings.Fields(ev.Text), " "),
			date, ev.Title, strings.Join(ev.Collections, ", "))
		for _, w := range ev.Weak {
			fmt.Fprintf(e.stdout, "        WEAK NAME %q: tied to its entity on context evidence only (confidence %.2f)\n", w.Text, w.Confidence)
		}
	}
}

// entityNames returns the names of the entities on the paths, and of the
// others given, as the network's evidence writes them; an entity outside
// the network, with no evidence to name it, has its name in the store.
func entityNames(ctx context.Context, st store.Store, n *network.Network, paths []network.Path, ids ...mosaic.EntityID) (map[mosaic.EntityID]string, error) {
	names := n.Names(paths, ids...)
	for id, name := range names {
		if name != "" {
			continue
		}
		p, err := st.Entity(ctx, id, store.Scope{})
		if err != nil {
			return nil, err
		}
		names[id] = p.Name
	}
	return names, nil
}

func runNeighbours(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "neighbours", "[--json] [--hops 2] NAME",
		"Lists the entities within N hops of an entity in the evidence network, nearest first.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	hops := fs.Int("hops", 1, "how many hops")
	limit := fs.Int("limit", 200, "at most this many entities")
	nf := addNetworkFlags(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) == 0 || *hops < 1 {
		fs.Usage()
		return errUsage
	}
	st, n, _, err := openNetwork(ctx, *db, nf)
	if err != nil {
		return err
	}
	defer st.Close()
	a, err := entityRef(ctx, e, st, entity.NewFinder(st), strings.Join(pos, " "))
	if err != nil {
		return err
	}
	found, complete := n.Neighbours(a, *hops, *limit)
	type neighbour struct {
		network.Reached
		Name  string   `json:"name"`
		Kind  string   `json:"kind"`
		Types []string `json:"types,omitempty"`
	}
	out := []neighbour{}
	for _, r := range found {
		p, err := st.Entity(ctx, r.Entity, store.Scope{})
		if err != nil {
			return err
		}
		nb := neighbour{Reached: r, Name: p.Name, Kind: string(p.Kind)}
		if edge := n.Edge(a, r.Entity); edge != nil {
			nb.Types = edgeTypes(edge)
		}
		out = append(out, nb)
	}
	if *asJSON {
		return e.jsonOut().Encode(struct {
			Entity     mosaic.EntityID `json:"entity"`
			Hops       int             `json:"hops"`
			Complete   bool            `json:"complete"`
			Neighbours []neighbour     `json:"neighbours"`
		}{a, *hops, complete, out})
	}
	for _, nb := range out {
		fmt.Fprintf(e.stdout, "  %d  %-32s %-8s %s\n", nb.Hops, nb.Name, nb.Kind, strings.Join(nb.Types, ", "))
	}
	if !complete {
		fmt.Fprintf(e.stdout, "  … more beyond --limit %d\n", *limit)
	}
	return nil
}

func runLoneActors(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "lone-actors", "[--json] [--flag NAME]...",
		"Finds the people the documents call lone actors (\"acted alone\", \"lone actor\"), adds the\n"+
			"people analysts flagged ('mosaic judge flag NAME', kept until undone) and those named with\n"+
			"--flag for this run only, and shows for each the shortest evidence path to a known group or\n"+
			"one of its members: the failure Mosaic exists to prevent.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	maxHops := fs.Int("max-hops", 4, "longest path to look for")
	var flags []string
	fs.Func("flag", "also check this person, for this run only (repeatable; 'mosaic judge flag' records a flag)", func(s string) error { flags = append(flags, s); return nil })
	nf := addNetworkFlags(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	st, n, opts, err := openNetwork(ctx, *db, nf)
	if err != nil {
		return err
	}
	defer st.Close()
	flagged, err := st.Flagged(ctx, "")
	if err != nil {
		return err
	}
	f := entity.NewFinder(st)
	for _, s := range flags {
		id, err := entityRef(ctx, e, st, f, s)
		if err != nil {
			return err
		}
		flagged = append(flagged, id)
	}
	las, err := network.LoneActors(ctx, st, n, opts.Filter.Scope, flagged, *maxHops)
	if err != nil {
		return err
	}
	return printLoneActors(ctx, e, st, n, opts.Filter.Scope, las, *asJSON)
}

func printLoneActors(ctx context.Context, e *env, st store.Store, n *network.Network, scope store.Scope, las []network.LoneActor, asJSON bool) error {
	var paths []network.Path
	for _, la := range las {
		if la.Path != nil {
			paths = append(paths, *la.Path)
		}
	}
	if err := network.QuotePaths(ctx, st, scope, paths...); err != nil {
		return err
	}
	names, err := entityNames(ctx, st, n, paths)
	if err != nil {
		return err
	}
	if asJSON {
		return e.jsonOut().Encode(struct {
			Names      map[mosaic.EntityID]string `json:"names"`
			LoneActors []network.LoneActor        `json:"lone_actors"`
		}{names, append([]network.LoneActor{}, las...)})
	}
	for _, la := range las {
		state := "no evidence path to a known group"
		if la.Linked {
			state = fmt.Sprintf("LINKED to %s in %d hops", names[la.Target], len(la.Path.Hops))
		}
		fmt.Fprintf(e.stdout, "%s: %s\n", la.Name, state)
		if la.Flagged {
			fmt.Fprintf(e.stdout, "  flagged by an analyst\n")
		}
		for _, c := range la.Claims[:min(len(la.Claims), 2)] {
			fmt.Fprintf(e.stdout, "  called a lone actor: %q (%s)\n", c.Text, c.Title)
		}
		if la.Path != nil {
			for _, h := range la.Path.Hops {
				fmt.Fprintf(e.stdout, "  %s — %s  [%s]\n", names[h.From], names[h.To], strings.Join(edgeTypes(h.Edge), ", "))
				printEvidence(e, h.Edge, 1)
			}
		}
		fmt.Fprintln(e.stdout)
	}
	return nil
}
