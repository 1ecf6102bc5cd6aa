package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

func runEntity(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "entity", "[--json] [--limit N] [--more LIST --cursor C [--name SPELLING]] NAME|ID",
		"Shows the entity that best matches NAME, or the entity with the ID other commands print:\n"+
			"its names and spellings with the documents and collections each comes from, the\n"+
			"entities named in the same sentences, and its timeline. Each list shows its first\n"+
			"--limit items and, if there are more, a 'more:' line with the command that shows\n"+
			"the next page (--more names|documents|connections|timeline --cursor C).")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	limit := fs.Int("limit", 20, "how many items of each list to show (at most 1000)")
	more := fs.String("more", "", "show only the next page of one list: names, documents (of --name), connections or timeline")
	cursor := fs.String("cursor", "", "where that page starts, as a 'more:' line printed it")
	spelling := fs.String("name", "", "with --more documents: the spelling whose documents to list")
	words, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		fs.Usage()
		return errUsage
	}
	if *limit < 1 || *limit > store.MaxLimit {
		return fmt.Errorf("--limit %d: want 1 to %d", *limit, store.MaxLimit)
	}
	switch {
	case *more == "" && (*cursor != "" || *spelling != ""):
		return errors.New("--cursor and --name go with --more, which names the list they page")
	case *more != "" && !slices.Contains([]string{"names", "documents", "connections", "timeline"}, *more):
		return fmt.Errorf("--more %q: want names, documents, connections or timeline", *more)
	case *more == "documents" && *spelling == "":
		return errors.New("--more documents needs --name, the spelling whose documents to list")
	}
	name := strings.Join(words, " ")
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	p, cands, err := findEntity(ctx, st, name)
	if err != nil {
		return err
	}
	p.Name = entity.Heading(p) // as the web page and every other view head it
	if *more != "" {
		return entityPage(ctx, e, st, p, *more, *spelling, store.Page{Limit: *limit, Cursor: *cursor}, *asJSON)
	}
	// The lists at the length asked for, each with its next page's cursor.
	page := store.Page{Limit: *limit}
	if _, p.Names, p.NamesNext, err = st.EntitySpellings(ctx, p.ID, store.Scope{}, page); err != nil {
		return err
	}
	if p.Connections, p.ConnectionsNext, err = st.EntityConnections(ctx, p.ID, store.Scope{}, page); err != nil {
		return err
	}
	if p.Timeline, p.TimelineNext, err = st.EntityTimeline(ctx, p.ID, store.Scope{}, page); err != nil {
		return err
	}
	moreLine := func(list, cursor, extra string) {
		if cursor != "" {
			fmt.Fprintf(e.stdout, "  more: mosaic entity --more %s%s --cursor %s %d\n", list, extra, cursor, p.ID)
		}
	}
	if *asJSON {
		enc := e.jsonOut()
		return enc.Encode(struct {
			store.EntityProfile
			Match      entity.Comparison `json:"match"`
			Candidates []candidateJSON   `json:"other_candidates"`
		}{p, cands[0].Comparison, candidatesJSON(cands[1:])})
	}
	w := e.stdout
	if cands[0].ID == 0 {
		fmt.Fprintf(w, "%s  (%s, entity %d)\n", p.Name, p.Kind, p.ID)
	} else {
		fmt.Fprintf(w, "%s  (%s, entity %d; %q matched with score %.2f)\n", p.Name, p.Kind, p.ID, name, cands[0].Comparison.Score)
	}
	fmt.Fprintf(w, "\nNames and spellings:\n")
	for _, n := range p.Names {
		fmt.Fprintf(w, "  %s — %d mentions in %d documents\n", n.Name, n.Mentions, n.DocumentCount)
		if why := statedWhy(n.Why); why != "" {
			fmt.Fprintf(w, "      %s\n", why)
		}
		for _, d := range n.Documents {
			fmt.Fprintf(w, "      %s  [%s]  %s\n", d.Title, strings.Join(d.Collections, ", "), d.ID.Short())
		}
		if n.DocumentsNext != "" {
			fmt.Fprintf(w, "    … %d more documents\n", n.DocumentCount-len(n.Documents))
			moreLine("documents", n.DocumentsNext, " --name "+shellQuote(n.Name))
		}
	}
	moreLine("names", p.NamesNext, "")
	if len(p.Watchlist) > 0 {
		fmt.Fprintf(w, "\nOn watchlists:\n")
		for _, l := range p.Watchlist {
			prog := ""
			if l.Programme != "" {
				prog = " (" + l.Programme + ")"
			}
			fmt.Fprintf(w, "  %s %s%s: %s\n", l.List, l.ID, prog, l.Name)
			if len(l.Aliases) > 0 {
				as := l.Aliases
				more := ""
				if len(as) > maxAliasesShown {
					as, more = as[:maxAliasesShown], fmt.Sprintf(" … %d more (--json lists them)", len(l.Aliases)-maxAliasesShown)
				}
				fmt.Fprintf(w, "      aliases: %s%s\n", strings.Join(as, "; "), more)
			}
			fmt.Fprintf(w, "      linked because %s\n", l.Why)
		}
	}
	fmt.Fprintf(w, "\nCollections: %s\n", strings.Join(p.Collections, ", "))
	if len(p.Connections) > 0 {
		fmt.Fprintf(w, "\nNamed in the same sentences as:\n")
		printConnections(w, p.Connections)
		moreLine("connections", p.ConnectionsNext, "")
	}
	if len(p.Timeline) > 0 {
		fmt.Fprintf(w, "\nTimeline:\n")
		printTimeline(w, p.Timeline)
		moreLine("timeline", p.TimelineNext, "")
	}
	if len(cands) > 1 {
		fmt.Fprintf(w, "\nOther entities with similar names:\n")
		for _, c := range cands[1:] {
			fmt.Fprintf(w, "  %s  (entity %d, score %.2f)\n", c.Name.Raw, c.ID, c.Comparison.Score)
		}
	}
	return nil
}

func printConnections(w io.Writer, cs []store.Connection) {
	tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
	for _, c := range cs {
		fmt.Fprintf(tw, "  %s\t%s\t%d sentences\t(entity %d)\n", c.Name, c.Kind, c.Sentences, c.ID)
	}
	tw.Flush()
}

func printTimeline(w io.Writer, ds []store.DocumentRef) {
	for _, d := range ds {
		fmt.Fprintf(w, "  %s  %s  [%s]  %s\n", d.Date.Format("2006-01-02"), d.Title, strings.Join(d.Collections, ", "), d.ID.Short())
	}
}

// entityPage prints one later page of one list of an entity's profile,
// and the command for the page after it.
func entityPage(ctx context.Context, e *env, st store.Store, p store.EntityProfile, list, spelling string, page store.Page, asJSON bool) error {
	var items any
	var next string
	var err error
	var print func(w io.Writer)
	switch list {
	case "names":
		var ns []store.EntityName
		_, ns, next, err = st.EntitySpellings(ctx, p.ID, store.Scope{}, page)
		items, print = ns, func(w io.Writer) {
			for _, n := range ns {
				fmt.Fprintf(w, "  %s — %d mentions in %d documents\n", n.Name, n.Mentions, n.DocumentCount)
			}
		}
	case "documents":
		var ds []store.DocumentRef
		ds, next, err = st.SpellingDocuments(ctx, p.ID, spelling, store.Scope{}, page)
		items, print = ds, func(w io.Writer) {
			for _, d := range ds {
				fmt.Fprintf(w, "  %s  [%s]  %s\n", d.Title, strings.Join(d.Collections, ", "), d.ID.Short())
			}
		}
	case "connections":
		var cs []store.Connection
		cs, next, err = st.EntityConnections(ctx, p.ID, store.Scope{}, page)
		items, print = cs, func(w io.Writer) { printConnections(w, cs) }
	case "timeline":
		var ds []store.DocumentRef
		ds, next, err = st.EntityTimeline(ctx, p.ID, store.Scope{}, page)
		items, print = ds, func(w io.Writer) { printTimeline(w, ds) }
	}
	if errors.Is(err, store.ErrInvalid) && page.Cursor != "" {
		return fmt.Errorf("--cursor %q is not one a 'more:' line of the %s of entity %d printed; start again without it", page.Cursor, list, p.ID)
	}
	if err != nil {
		return err
	}
	if asJSON {
		return e.jsonOut().Encode(map[string]any{"entity": p.Entity, list: items, "next": next})
	}
	w := e.stdout
	of := list
	if list == "documents" {
		of = fmt.Sprintf("documents calling it %q", spelling)
	}
	fmt.Fprintf(w, "%s  (%s, entity %d): %s, continued\n", p.Name, p.Kind, p.ID, of)
	print(w)
	if next != "" {
		extra := ""
		if list == "documents" {
			extra = " --name " + shellQuote(spelling)
		}
		fmt.Fprintf(w, "  more: mosaic entity --more %s%s --cursor %s %d\n", list, extra, next, p.ID)
	}
	return nil
}

// shellQuote quotes s for a POSIX shell when it needs it.
func shellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// maxAliasesShown is how many of a watchlist entry's aliases the text
// output lists.
const maxAliasesShown = 12

// statedWhy returns the first reason of a name's that rests on what a text
// or a list states — another name given for the thing, a watchlist entry —
// which the analyst should see beside the name, or "".
// findEntity returns the entity an argument names — the entity with that
// ID, if the argument is one, else the best match of the name — and the
// candidates it was chosen from, best first. Chosen by ID, the first
// candidate has ID 0: no name was matched.
func findEntity(ctx context.Context, st store.Store, arg string) (store.EntityProfile, []entity.Candidate, error) {
	if id, err := strconv.ParseInt(arg, 10, 64); err == nil && id > 0 {
		p, err := st.Entity(ctx, mosaic.EntityID(id), store.Scope{})
		if err == nil {
			return p, []entity.Candidate{{}}, nil
		}
		if !errors.Is(err, store.ErrNotFound) {
			return p, nil, err
		}
	}
	r, err := entity.NewResolver(ctx, st)
	if err != nil {
		return store.EntityProfile{}, nil, err
	}
	cands := r.Find(arg, 6)
	if len(cands) == 0 {
		return store.EntityProfile{}, nil, fmt.Errorf("no entity matches %q, by name or ID", arg)
	}
	p, err := st.Entity(ctx, mosaic.EntityID(cands[0].ID), store.Scope{})
	return p, cands, err
}

func statedWhy(reasons []string) string {
	for _, r := range reasons {
		for _, p := range []string{entity.ReasonAlias, entity.ReasonAcronym, entity.ReasonBracket, entity.ReasonContext, entity.ReasonWatchlist + " "} {
			if strings.HasPrefix(r, p) {
				return r
			}
		}
	}
	return ""
}

type candidateJSON struct {
	ID    int64   `json:"id"`
	Name  string  `json:"name"`
	Score float64 `json:"score"`
}

func candidatesJSON(cs []entity.Candidate) []candidateJSON {
	out := []candidateJSON{}
	for _, c := range cs {
		out = append(out, candidateJSON{c.ID, c.Name.Raw, c.Comparison.Score})
	}
	return out
}

func runWhy(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "why", "[--json] NAME|ID NAME|ID",
		"Says why two names are, or are not, one entity: the name evidence feature by feature,\n"+
			"and whether Mosaic's store holds them as one entity. An entity's ID stands for the name\n"+
			"its profile is headed by.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	kindFlag := fs.String("kind", "", "person or org (default: the kind of the entity that holds the first name, or else the second;\nelse org if a name's words say so, else person)")
	names, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(names) != 2 {
		fs.Usage()
		return errUsage
	}
	// What the store holds: the entities that carry each name as one of
	// their spellings, or else the best entity whose name matches it.
	var held [2][]mosaic.Entity
	st, err := openStore(ctx, *db, false)
	switch {
	case err == nil:
		defer st.Close()
		// An entity's ID stands for the name its profile is headed by.
		for i, n := range names {
			if id, err := strconv.ParseInt(n, 10, 64); err == nil && id > 0 {
				p, err := st.Entity(ctx, mosaic.EntityID(id), store.Scope{})
				if err == nil {
					names[i] = entity.Heading(p)
				} else if !errors.Is(err, store.ErrNotFound) {
					return err
				}
			}
		}
		if held, err = holders(ctx, st, names); err != nil {
			return err
		}
	case errors.Is(err, errNoData):
		// No store: the name evidence alone.
	default:
		return err
	}
	kind := entity.Person
	switch strings.ToLower(*kindFlag) {
	case "person":
	case "org", "organisation", "organization":
		kind = entity.Org
	case "":
		switch {
		case len(held[0]) > 0:
			kind = entity.KindOf(held[0][0].Kind)
		case len(held[1]) > 0:
			kind = entity.KindOf(held[1][0].Kind)
		case entity.GuessKind(names[0]) == entity.Org || entity.GuessKind(names[1]) == entity.Org:
			// Names the store does not hold: their words may say.
			kind = entity.Org
		}
	default:
		return fmt.Errorf("--kind %q: want person or org", *kindFlag)
	}
	cmp := entity.Compare(entity.NewName(names[0], kind), entity.NewName(names[1], kind))
	verdict := "not the same entity by name"
	if cmp.Match {
		verdict = "the same entity by name"
	}
	stored := "neither name is held by an entity in the store"
	switch shared := sharedEntity(held); {
	case shared != nil:
		// Say on what evidence: a weak name ("Abu Sulayman") joins
		// only on context, which its reason names.
		p, err := st.Entity(ctx, shared.ID, store.Scope{})
		if err != nil {
			return err
		}
		stored = fmt.Sprintf("the store holds both as entity %d (%s)", shared.ID, entity.Heading(p))
		for _, n := range p.Names {
			if !slices.ContainsFunc(names, func(s string) bool { return strings.EqualFold(strings.Join(strings.Fields(s), " "), n.Name) }) {
				continue
			}
			for _, why := range n.Why {
				if strings.HasPrefix(why, entity.ReasonContext) {
					stored += fmt.Sprintf("\n  %q: %s", n.Name, why)
				}
			}
		}
	case len(held[0]) > 0 && len(held[1]) > 0:
		stored = fmt.Sprintf("the store holds them as different entities: %d (%s) and %d (%s)",
			held[0][0].ID, held[0][0].Name, held[1][0].ID, held[1][0].Name)
	case len(held[0]) > 0 || len(held[1]) > 0:
		stored = "only one of the names is held by an entity in the store"
	}
	listed, err := listedTogether(ctx, st, names[0], names[1], kind)
	if err != nil {
		return err
	}
	if *asJSON {
		enc := e.jsonOut()
		return enc.Encode(struct {
			A, B    string
			Same    bool              `json:"same"`
			Stored  string            `json:"stored"`
			Listed  string            `json:"listed,omitempty"`
			Compare entity.Comparison `json:"comparison"`
		}{names[0], names[1], cmp.Match, stored, listed, cmp})
	}
	if listed != "" {
		stored += "\n" + listed
	}
	fmt.Fprintf(e.stdout, "%q and %q: %s (score %.2f)\n%s\n\n", names[0], names[1], verdict, cmp.Score, stored)
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, f := range cmp.Features {
		fmt.Fprintf(tw, "  %+.2f\t%s\t%s\n", f.Score, f.Name, f.Detail)
	}
	return tw.Flush()
}

// holders returns, for each name, the entities that carry it as one of
// their spellings (whitespace folded), in the order the store lists them.
func holders(ctx context.Context, st store.Store, names []string) ([2][]mosaic.Entity, error) {
	var out [2][]mosaic.Entity
	fold := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	err := st.EntityNames(ctx, func(e mosaic.Entity, name string) error {
		for i, n := range names {
			if fold(name) == fold(n) && (len(out[i]) == 0 || out[i][len(out[i])-1].ID != e.ID) {
				out[i] = append(out[i], e)
			}
		}
		return nil
	})
	return out, err
}

// sharedEntity returns an entity that holds both names, or nil.
func sharedEntity(held [2][]mosaic.Entity) *mosaic.Entity {
	for _, a := range held[0] {
		for _, b := range held[1] {
			if a.ID == b.ID {
				return &a
			}
		}
	}
	return nil
}
