package main

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"text/tabwriter"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

func runEntity(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "entity", "[--json] NAME",
		"Shows the entity that best matches NAME: its names and spellings with the documents and\n"+
			"collections each comes from, the entities named in the same sentences, and its timeline.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	words, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(words) == 0 {
		fs.Usage()
		return errUsage
	}
	name := strings.Join(words, " ")
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	r, err := entity.NewResolver(ctx, st)
	if err != nil {
		return err
	}
	cands := r.Find(name, 6)
	if len(cands) == 0 {
		return fmt.Errorf("no entity matches %q", name)
	}
	p, err := st.Entity(ctx, mosaic.EntityID(cands[0].ID), store.Scope{})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			store.EntityProfile
			Match      entity.Comparison `json:"match"`
			Candidates []candidateJSON   `json:"other_candidates"`
		}{p, cands[0].Comparison, candidatesJSON(cands[1:])})
	}
	w := e.stdout
	fmt.Fprintf(w, "%s  (%s, entity %d; %q matched with score %.2f)\n", p.Name, p.Kind, p.ID, name, cands[0].Comparison.Score)
	fmt.Fprintf(w, "\nNames and spellings:\n")
	for _, n := range p.Names {
		fmt.Fprintf(w, "  %s — %d mentions in %d documents\n", n.Name, n.Mentions, len(n.Documents))
		for _, d := range n.Documents {
			fmt.Fprintf(w, "      %s  [%s]  %s\n", d.Title, strings.Join(d.Collections, ", "), d.ID.Short())
		}
	}
	fmt.Fprintf(w, "\nCollections: %s\n", strings.Join(p.Collections, ", "))
	if len(p.Connections) > 0 {
		fmt.Fprintf(w, "\nNamed in the same sentences as:\n")
		tw := tabwriter.NewWriter(w, 2, 4, 2, ' ', 0)
		for i, c := range p.Connections {
			if i == 20 {
				fmt.Fprintf(tw, "  … %d more\t\t\n", len(p.Connections)-i)
				break
			}
			fmt.Fprintf(tw, "  %s\t%s\t%d sentences\n", c.Name, c.Kind, c.Sentences)
		}
		tw.Flush()
	}
	if len(p.Timeline) > 0 {
		fmt.Fprintf(w, "\nTimeline:\n")
		for _, d := range p.Timeline {
			fmt.Fprintf(w, "  %s  %s  [%s]\n", d.Date.Format("2006-01-02"), d.Title, strings.Join(d.Collections, ", "))
		}
	}
	if len(cands) > 1 {
		fmt.Fprintf(w, "\nOther entities with similar names:\n")
		for _, c := range cands[1:] {
			fmt.Fprintf(w, "  %s  (entity %d, score %.2f)\n", c.Name.Raw, c.ID, c.Comparison.Score)
		}
	}
	return nil
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
	fs := newFlags(e, "why", "[--json] NAME NAME",
		"Says why two names are, or are not, one entity: the name evidence feature by feature,\n"+
			"and whether Mosaic's store holds them as one entity.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	kindFlag := fs.String("kind", "", "person or org (default: the kind of the entity the first name matches, else person)")
	names, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(names) != 2 {
		fs.Usage()
		return errUsage
	}
	var r *entity.Resolver
	if st, err := openStore(ctx, *db, false); err == nil {
		defer st.Close()
		if r, err = entity.NewResolver(ctx, st); err != nil {
			return err
		}
	}
	var held [2]*entity.Candidate
	if r != nil {
		for i, n := range names {
			if cs := r.Find(n, 1); len(cs) > 0 && cs[0].Comparison.Match {
				held[i] = &cs[0]
			}
		}
	}
	kind := entity.Person
	switch strings.ToLower(*kindFlag) {
	case "person":
	case "org", "organisation", "organization":
		kind = entity.Org
	case "":
		if held[0] != nil {
			kind = held[0].Name.Kind
		}
	default:
		return fmt.Errorf("--kind %q: want person or org", *kindFlag)
	}
	cmp := entity.Compare(entity.NewName(names[0], kind), entity.NewName(names[1], kind))
	verdict := "not the same entity by name"
	if cmp.Match {
		verdict = "the same entity by name"
	}
	stored := "neither name matches an entity in the store"
	switch {
	case held[0] != nil && held[1] != nil && held[0].ID == held[1].ID:
		stored = fmt.Sprintf("the store holds both as entity %d", held[0].ID)
	case held[0] != nil && held[1] != nil:
		stored = fmt.Sprintf("the store holds them as two entities: %d and %d", held[0].ID, held[1].ID)
	case held[0] != nil || held[1] != nil:
		stored = "only one of the names matches an entity in the store"
	}
	if *asJSON {
		enc := json.NewEncoder(e.stdout)
		enc.SetEscapeHTML(false)
		return enc.Encode(struct {
			A, B    string
			Same    bool              `json:"same"`
			Stored  string            `json:"stored"`
			Compare entity.Comparison `json:"comparison"`
		}{names[0], names[1], cmp.Match, stored, cmp})
	}
	fmt.Fprintf(e.stdout, "%q and %q: %s (score %.2f)\n%s\n\n", names[0], names[1], verdict, cmp.Score, stored)
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, f := range cmp.Features {
		fmt.Fprintf(tw, "  %+.2f\t%s\t%s\n", f.Score, f.Name, f.Detail)
	}
	return tw.Flush()
}
