package main

import (
	"context"
	"fmt"
	"strings"

	"mosaic"
	"mosaic/internal/store"
)

// runShow prints one stored document by the ID search and the other
// commands print.
func runShow(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "show", "[--json] [--mentions] DOCID",
		"Prints a stored document by its ID (the content hash 'mosaic search' prints): title, date,\n"+
			"the collections that hold it, and its text. --mentions lists the names and other\n"+
			"mentions found in it, with their byte offsets; --json prints all of it as JSON.")
	db := dbFlag(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	withMentions := fs.Bool("mentions", false, "list the document's mentions")
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
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	d, holdings, err := st.Document(ctx, id, store.Scope{})
	if err != nil {
		return err
	}
	var ms []mosaic.Mention
	if *withMentions || *asJSON {
		if ms, err = st.Mentions(ctx, id, store.Scope{}); err != nil {
			return err
		}
	}
	if *asJSON {
		return e.jsonOut().Encode(struct {
			mosaic.Document
			Holdings []store.Holding  `json:"holdings"`
			Mentions []mosaic.Mention `json:"mentions"`
		}{d, holdings, append([]mosaic.Mention{}, ms...)})
	}
	w := e.stdout
	fmt.Fprintf(w, "%s\n%s\n", d.Title, d.ID)
	if !d.Date.IsZero() {
		fmt.Fprintf(w, "dated %s\n", d.Date.Format("2006-01-02"))
	}
	for _, h := range holdings {
		fmt.Fprintf(w, "held by %s (%s) from %s, added %s\n", h.Collection, h.Agency, h.Source, h.Added.Format("2006-01-02 15:04"))
	}
	fmt.Fprintf(w, "\n%s\n", strings.TrimRight(d.Text, "\n"))
	if *withMentions {
		fmt.Fprintf(w, "\n%d mentions:\n", len(ms))
		for _, m := range ms {
			fmt.Fprintf(w, "  %d-%d\t%s\t%s\n", m.Start, m.End, m.Type, m.Text)
		}
	}
	return nil
}
