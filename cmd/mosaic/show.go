package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"

	"mosaic"
	"mosaic/internal/store"
)

// runShow prints one stored document by the ID search and the other
// commands print, a page at a time.
func runShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "show", "[--json] [--mentions] [--page N|all] DOCID",
		"Prints a stored document by its ID (the content hash 'mosaic search' prints): title, date,\n"+
			"the collections that hold it, and its text, a page (about 64 KiB) at a time: --page N\n"+
			"prints page N (from 1), --page all the whole text. --mentions lists the names and\n"+
			"other mentions found in the page, with their byte offsets in the whole document;\n"+
			"--json prints all of it as JSON.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	withMentions := fs.Bool("mentions", false, "list the mentions in the page")
	pageFlag := fs.String("page", "1", "the page to print, from 1, or all")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		fs.Usage()
		return errUsage
	}
	id := mosaic.DocID(strings.ToLower(strings.TrimSpace(pos[0])))
	if len(id) != 64 || strings.Trim(string(id), "0123456789abcdef") != "" {
		return fmt.Errorf("%q is not a document ID: want the 64 hex digits 'mosaic search' prints", pos[0])
	}
	all := *pageFlag == "all"
	n, err := strconv.Atoi(*pageFlag)
	if !all && (err != nil || n < 1) {
		return fmt.Errorf("--page %q: want a page number from 1, or all", *pageFlag)
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	first := max(n-1, 0)
	d, page, holdings, err := st.DocumentPage(ctx, id, store.Scope{}, first)
	if errors.Is(err, store.ErrInvalid) {
		return fmt.Errorf("--page %d: the document has %d pages", n, page.Pages)
	}
	if err != nil {
		return err
	}
	last := first
	if all {
		last = page.Pages - 1
	}
	var ms []mosaic.Mention
	if *withMentions || *asJSON {
		span := mosaic.Span{Start: page.Start, End: page.End}
		if all {
			span = mosaic.Span{}
		}
		for cursor := ""; ; {
			got, next, err := st.MentionsPage(ctx, id, store.Scope{}, span, store.Page{Limit: store.MaxLimit, Cursor: cursor})
			if err != nil {
				return err
			}
			ms = append(ms, got...)
			if cursor = next; cursor == "" {
				break
			}
		}
	}
	// The text of the pages after the first, read one at a time.
	rest := func(fn func(text string) error) error {
		for k := first + 1; k <= last; k++ {
			p, _, _, err := st.DocumentPage(ctx, id, store.Scope{}, k)
			if err != nil {
				return err
			}
			if err := fn(p.Text); err != nil {
				return err
			}
		}
		return nil
	}
	if *asJSON {
		var text strings.Builder
		text.WriteString(d.Text)
		if err := rest(func(t string) error { text.WriteString(t); return nil }); err != nil {
			return err
		}
		d.Text = text.String()
		if all {
			page = store.TextPage{Number: 0, Pages: page.Pages, Start: 0, End: page.Length, Length: page.Length}
		}
		return e.jsonOut().Encode(struct {
			mosaic.Document
			// Page places Text in the whole text (numbered from 0, as
			// the API numbers pages); the mentions' offsets are the
			// whole text's.
			Page     store.TextPage   `json:"page"`
			Holdings []store.Holding  `json:"holdings"`
			Mentions []mosaic.Mention `json:"mentions"`
		}{d, page, holdings, append([]mosaic.Mention{}, ms...)})
	}
	w := e.stdout
	fmt.Fprintf(w, "%s\n%s\n", d.Title, d.ID)
	if !d.Date.IsZero() {
		fmt.Fprintf(w, "dated %s\n", d.Date.Format("2006-01-02"))
	}
	for _, h := range holdings {
		fmt.Fprintf(w, "held by %s (%s) from %s, added %s\n", h.Collection, h.Agency, h.Source, h.Added.Format("2006-01-02 15:04"))
	}
	if page.Pages > 1 && !all {
		fmt.Fprintf(w, "page %d of %d (bytes %d to %d of %d)\n", n, page.Pages, page.Start, page.End, page.Length)
	}
	if !all {
		fmt.Fprintf(w, "\n%s\n", strings.TrimRight(d.Text, "\n"))
	} else {
		fmt.Fprintf(w, "\n%s", d.Text)
		if err := rest(func(t string) error { _, err := io.WriteString(w, t); return err }); err != nil {
			return err
		}
		fmt.Fprintln(w)
	}
	if page.Pages > 1 && !all && n < page.Pages {
		fmt.Fprintf(w, "\nmore: mosaic show --page %d %s\n", n+1, d.ID)
	}
	if *withMentions {
		fmt.Fprintf(w, "\n%d mentions:\n", len(ms))
		for _, m := range ms {
			fmt.Fprintf(w, "  %d-%d\t%s\t%s\n", m.Start, m.End, m.Type, m.Text)
		}
	}
	return nil
}
