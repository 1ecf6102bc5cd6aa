package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

const judgeAbout = `Records an analyst's judgement about entities, or lists and undoes them:

  merge A B          A and B are one entity (transitive); both are named with their kinds.
                     Entities of different kinds are refused unless --force is given: then
                     the merged entity takes A's kind (a name the tagger typed as a place,
                     merged with the person it names: give the person first)
  reject A B         A and B are not one entity; nothing merged with either may join them
  split A NAME       the mentions of A spelled NAME are another entity
  confirm A NAME     NAME is A: later documents that use it resolve to A
  flag A             watch person A: 'mosaic lone-actors' and 'ingest --alerts' look for
                     evidence paths from A to a known group, as for people called lone actors
  undo ID            undo judgement ID (the record stays, marked undone)
  list [A]           the judgements about A, or all of them, newest first
  propose A          entities that may be A, for merging or rejecting

A and B are entity ids or names (the best match is used and printed). Judgements are stored
with the user, the time and the reason, and re-processing never overrides them. A flag stays
until undone; 'list' shows it with its id.`

func runJudge(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "judge", "merge|reject|split|confirm|flag|undo|list|propose ...", judgeAbout)
	db := dbFlag(fs)
	user := fs.String("user", os.Getenv("USER"), "who makes the judgement (default $USER)")
	reason := fs.String("reason", "", "why: required for every judgement and undo")
	asJSON := fs.Bool("json", false, "print JSON")
	force := fs.Bool("force", false, "merge: join entities of different kinds; the merged entity takes the first one's kind")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	want := map[string]int{"merge": 3, "reject": 3, "split": 3, "confirm": 3, "flag": 2, "undo": 2, "list": -1, "propose": 2}
	if len(pos) == 0 || want[pos[0]] == 0 || want[pos[0]] > 0 && len(pos) != want[pos[0]] || pos[0] == "list" && len(pos) > 2 {
		fs.Usage()
		return errUsage
	}
	if *force && pos[0] != "merge" {
		return fmt.Errorf("--force applies to merge only, not %s", pos[0])
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	finder := entity.NewFinder(st)
	ref := func(s string) (mosaic.EntityID, error) { return entityRef(ctx, e, st, finder, s) }
	show := func(j store.Judgement) error {
		if *asJSON {
			return e.jsonOut().Encode(j)
		}
		printJudgements(e, []store.Judgement{j})
		return nil
	}
	switch verb := pos[0]; verb {
	case "merge", "reject", "split", "confirm":
		a, err := ref(pos[1])
		if err != nil {
			return err
		}
		j := store.Judgement{Kind: store.JudgementKind(verb), Entity: a, User: *user, Reason: *reason, Force: *force}
		if verb == "merge" || verb == "reject" {
			if j.Other, err = ref(pos[2]); err != nil {
				return err
			}
		} else {
			j.Name = pos[2]
		}
		var what string
		if verb == "merge" {
			if what, err = checkMerge(ctx, st, a, j.Other, *force); err != nil {
				return err
			}
		}
		if j, err = st.Judge(ctx, j); err != nil {
			return err
		}
		if what != "" && !*asJSON {
			fmt.Fprintln(e.stdout, what)
		}
		return show(j)
	case "flag":
		a, err := ref(pos[1])
		if err != nil {
			return err
		}
		j, err := st.Judge(ctx, store.Judgement{Kind: store.Flag, Entity: a, User: *user, Reason: *reason})
		if err != nil {
			return err
		}
		return show(j)
	case "undo":
		id, err := strconv.ParseInt(pos[1], 10, 64)
		if err != nil {
			return fmt.Errorf("undo %q: want a judgement id (see 'mosaic judge list')", pos[1])
		}
		j, err := st.Undo(ctx, id, *user, *reason)
		if err != nil {
			return err
		}
		return show(j)
	case "list":
		var a mosaic.EntityID
		if len(pos) == 2 {
			if a, err = ref(pos[1]); err != nil {
				return err
			}
		}
		js, err := st.Judgements(ctx, a, "")
		if err != nil {
			return err
		}
		if *asJSON {
			return e.jsonOut().Encode(struct {
				Judgements []store.Judgement `json:"judgements"`
			}{append([]store.Judgement{}, js...)})
		}
		if len(js) == 0 {
			fmt.Fprintln(e.stdout, "no judgements")
		}
		printJudgements(e, js)
		return nil
	default: // propose
		a, err := ref(pos[1])
		if err != nil {
			return err
		}
		ps, err := finder.Proposals(ctx, a, store.Scope{}, 10)
		if err != nil {
			return err
		}
		if *asJSON {
			return e.jsonOut().Encode(struct {
				Proposals []entity.Proposal `json:"proposals"`
			}{ps})
		}
		if len(ps) == 0 {
			fmt.Fprintln(e.stdout, "no proposals")
		}
		tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
		for _, p := range ps {
			fmt.Fprintf(tw, "  entity %d\t%s\t%s\tscore %.2f (%q vs %q)\tshared: %s\n", p.ID, p.Name, p.Kind,
				p.Comparison.Score, p.Other, p.Name, strings.Join(p.Shared, ", "))
		}
		return tw.Flush()
	}
}

// checkMerge reads the two entities a merge would join and says what it
// does, naming both ("merged entity 128 (Ansar al-Thughur, ORG) with
// entity 189 (Abu Sulayman, ORG)"), so that an analyst who typed the wrong
// id sees it. Entities of different kinds — an organisation and a street —
// are refused before the store refuses them, with both named, unless
// forced; a forced merge says which kind the merged entity takes.
func checkMerge(ctx context.Context, st store.Store, a, b mosaic.EntityID, force bool) (string, error) {
	var ps [2]store.EntityProfile
	for i, id := range []mosaic.EntityID{a, b} {
		p, err := st.Entity(ctx, id, store.Scope{})
		if err != nil {
			return "", err
		}
		ps[i] = p
	}
	desc := func(p store.EntityProfile) string {
		return fmt.Sprintf("entity %d (%s, %s)", p.ID, entity.Heading(p), p.Kind)
	}
	what := fmt.Sprintf("merged %s with %s", desc(ps[0]), desc(ps[1]))
	switch {
	case ps[0].Kind == ps[1].Kind:
		return what, nil
	case !force:
		return "", fmt.Errorf("%w: %s and %s are different kinds of thing; if the tagger mistyped one of them "+
			"and they are one, merge again with --force, naming first the entity whose kind is right", errRefused, desc(ps[0]), desc(ps[1]))
	}
	return fmt.Sprintf("%s, forced: the merged entity is a %s", what, ps[0].Kind), nil
}

// errRefused marks a judgement the command will not make.
var errRefused = errors.New("refused")

// entityRef reads an entity argument: an id, or a name whose best match is
// taken (and said, on stderr, so the analyst can check it).
func entityRef(ctx context.Context, e *env, st store.Store, f *entity.Finder, s string) (mosaic.EntityID, error) {
	if id, err := strconv.ParseInt(s, 10, 64); err == nil && id > 0 {
		return mosaic.EntityID(id), nil
	}
	cs, err := f.Find(ctx, s, 1)
	if err != nil {
		return 0, err
	}
	if len(cs) == 0 || !cs[0].Comparison.Match {
		return 0, fmt.Errorf("no entity matches %q; give its id (see 'mosaic entity')", s)
	}
	p, err := st.Entity(ctx, mosaic.EntityID(cs[0].ID), store.Scope{})
	if err != nil {
		return 0, err
	}
	fmt.Fprintf(e.stderr, "%q is entity %d (%s)\n", s, p.ID, entity.Heading(p))
	return p.ID, nil
}

func printJudgements(e *env, js []store.Judgement) {
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	for _, j := range js {
		what := fmt.Sprintf("%s %d", j.Kind, j.Entity)
		switch {
		case j.Kind == store.Split:
			what += fmt.Sprintf(" %q → entity %d", j.Name, j.Other)
		case j.Name != "":
			what += fmt.Sprintf(" %q", j.Name)
		case j.Other != 0:
			what += fmt.Sprintf(" %d", j.Other)
		}
		if j.Force {
			what += " (forced)"
		}
		state := ""
		if !j.Active() {
			state = fmt.Sprintf("  (undone %s by %s: %s)", j.Undone.Format(time.DateOnly), j.UndoneBy, j.UndoReason)
		}
		fmt.Fprintf(tw, "  #%d\t%s\t%s\t%s: %s%s\n", j.ID, j.Made.Format("2006-01-02 15:04"), what, j.User, j.Reason, state)
	}
	tw.Flush()
}
