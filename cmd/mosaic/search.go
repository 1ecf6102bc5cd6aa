package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"mosaic/internal/search"
	"mosaic/internal/store"
)

func runSearch(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "search", "[--json] QUERY",
		"Full-text search. Words must all match; \"a phrase\" in quotes; a OR b; -word or NOT word\n"+
			"excludes; prefix* matches word starts; collection:NAME restricts to a collection. A query\n"+
			"may start with -word: only this command's own flags are read as flags.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print the result as JSON")
	limit := fs.Int("limit", 20, "hits per page")
	offset := fs.Int("offset", 0, "hits to skip")
	words, err := parse(fs, queryArgs(fs, args))
	if err != nil {
		return err
	}
	if len(words) == 0 {
		fs.Usage()
		return errUsage
	}
	q := search.Parse(strings.Join(words, " "))
	if err := q.Check(); err != nil {
		return err
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	res, err := st.Search(ctx, store.SearchRequest{Query: q, Limit: *limit, Offset: *offset})
	if err != nil {
		return err
	}
	if *asJSON {
		enc := e.jsonOut()
		return enc.Encode(struct {
			Query string `json:"query"`
			store.SearchResult
		}{q.String(), res})
	}
	fmt.Fprintf(e.stdout, "%d documents match %s\n", res.Total, q.String())
	if res.Ranked < res.Total {
		fmt.Fprintf(e.stdout, "the %d stored last are ranked by relevance; the older ones follow, newest first: narrow the query to rank them\n", res.Ranked)
	}
	for _, h := range res.Hits {
		fmt.Fprintf(e.stdout, "\n%s  %s  [%s]\n  %s\n", h.ID, h.Title, strings.Join(h.Collections, ", "),
			highlight(h, isTerminalWriter(e.stdout)))
	}
	if shown := *offset + len(res.Hits); shown < res.Total {
		fmt.Fprintf(e.stdout, "\n%d more: --offset %d\n", res.Total-shown, shown)
	}
	return nil
}

// queryArgs returns args with every argument that starts with "-" but
// names none of fs's flags moved after a "--", so that parse reads it as
// part of the query ("-Ferhat acted", "-word"), not as an unknown flag.
func queryArgs(fs *flag.FlagSet, args []string) []string {
	var flags, query []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			query = append(query, args[i+1:]...)
			break
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		f := fs.Lookup(name)
		if !strings.HasPrefix(a, "-") || f == nil && name != "h" && name != "help" {
			query = append(query, a)
			continue
		}
		flags = append(flags, a)
		if f == nil || hasValue {
			continue
		}
		if b, ok := f.Value.(interface{ IsBoolFlag() bool }); !(ok && b.IsBoolFlag()) && i+1 < len(args) {
			i++
			flags = append(flags, args[i]) // the flag's value
		}
	}
	return append(append(flags, "--"), query...)
}

// highlight renders a snippet on one line, matches in bold on a terminal.
func highlight(h store.Hit, bold bool) string {
	var b strings.Builder
	last := 0
	for _, sp := range h.Highlights {
		b.WriteString(h.Snippet[last:sp.Start])
		if bold {
			b.WriteString("\033[1m" + h.Snippet[sp.Start:sp.End] + "\033[0m")
		} else {
			b.WriteString(h.Snippet[sp.Start:sp.End])
		}
		last = sp.End
	}
	b.WriteString(h.Snippet[last:])
	return strings.Join(strings.Fields(b.String()), " ")
}
