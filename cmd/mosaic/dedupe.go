package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"mosaic/internal/entity"
)

func runDedupe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "dedupe", "--csv FILE [--kind person|org|auto]",
		"Reads id,name rows (a header row is optional; quoted CSV, UTF-8) and writes\n"+
			"id,cluster rows to stdout, one per valid input row in input order: rows with\n"+
			"one cluster name one entity. A cluster is named by the id of its first row.\n"+
			"Invalid rows are reported on stderr with their line number and left out.\n"+
			"--kind says what the names name; auto guesses it for each name.")
	path := fs.String("csv", "", "CSV file of id,name rows (- for standard input)")
	kindFlag := fs.String("kind", "auto", "person, org or auto")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || *path == "" {
		fs.Usage()
		return errUsage
	}
	var kind entity.Kind
	auto := false
	switch *kindFlag {
	case "person":
		kind = entity.Person
	case "org":
		kind = entity.Org
	case "auto":
		auto = true
	default:
		return fmt.Errorf("--kind %q: want person, org or auto", *kindFlag)
	}
	var in io.Reader = os.Stdin
	if *path != "-" {
		f, err := os.Open(*path)
		if err != nil {
			return err
		}
		defer f.Close()
		in = f
	}
	start := time.Now()
	rows, bad, err := readNameRows(in, func(line int, msg string) {
		fmt.Fprintf(e.stderr, "%s:%d: %s\n", *path, line, msg)
	})
	if err != nil {
		return fmt.Errorf("%s: %w", *path, err)
	}
	read := time.Since(start)
	if err := ctx.Err(); err != nil {
		return err
	}
	big := len(rows) >= 100000
	if big {
		fmt.Fprintf(e.stderr, "read %d rows in %.1fs; preparing names\n", len(rows), read.Seconds())
	}
	t := time.Now()
	names := make([]entity.Name, len(rows))
	for i, r := range rows {
		k := kind
		if auto {
			k = entity.GuessKind(r.name)
		}
		names[i] = entity.NewName(r.name, k)
		if i%100000 == 0 && i > 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
			if e.tty {
				fmt.Fprintf(e.stderr, "\r\033[Kprepared %d of %d names", i, len(rows))
			}
		}
	}
	prepared := time.Since(t)
	if big {
		if e.tty {
			fmt.Fprint(e.stderr, "\r\033[K")
		}
		fmt.Fprintf(e.stderr, "prepared %d names in %.1fs; clustering\n", len(names), prepared.Seconds())
	}
	t = time.Now()
	cluster := entity.Dedupe(names)
	clustered := time.Since(t)

	first := make(map[int]string)
	w := bufio.NewWriterSize(e.stdout, 1<<16)
	cw := csv.NewWriter(w)
	cw.Write([]string{"id", "cluster"})
	for i, r := range rows {
		id, ok := first[cluster[i]]
		if !ok {
			id = r.id
			first[cluster[i]] = id
		}
		cw.Write([]string{r.id, id})
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d names in %d clusters in %.2fs (read %.2fs, prepare %.2fs, cluster %.2fs)",
		len(rows), len(first), time.Since(start).Seconds(), read.Seconds(), prepared.Seconds(), clustered.Seconds())
	if bad > 0 {
		fmt.Fprintf(e.stderr, "; %d invalid rows left out", bad)
	}
	fmt.Fprintln(e.stderr)
	return nil
}

// nameRow is one valid row of a dedupe input.
type nameRow struct {
	id, name string
}

// readNameRows reads id,name rows. A first row "id,name" is a header. A row
// that is not valid CSV, has fewer than two fields, an empty id or name, or
// is not UTF-8 is reported through bad with its line and skipped; only a
// failure to read is an error.
//
// Records are cut out of the input by hand before the csv package parses
// them, so that a stray quote costs its own row and not the rest of the
// file: a quoted field may span lines, but a record still open after
// maxRecordLines lines is reported and reading resumes on its next line.
func readNameRows(in io.Reader, bad func(line int, msg string)) ([]nameRow, int, error) {
	const maxRecordLines = 16
	sc := bufio.NewScanner(in)
	sc.Buffer(make([]byte, 0, 1<<16), 1<<20)
	var lines []string // the lines of the record being read
	start := 0         // line number of lines[0]
	lineNo := 0
	var rows []nameRow
	nbad := 0
	header := true
	var pending []string // lines to read again after a bad record
	next := func() (string, bool) {
		if len(pending) > 0 {
			l := pending[0]
			pending = pending[1:]
			return l, true
		}
		if !sc.Scan() {
			return "", false
		}
		return sc.Text(), true
	}
	record := func(text string, line int) {
		var rec []string
		var err error
		if !strings.Contains(text, `"`) {
			// No quotes: what the csv package would make of it, faster.
			rec = strings.Split(strings.TrimSuffix(text, "\r"), ",")
		} else {
			r := csv.NewReader(strings.NewReader(text))
			r.FieldsPerRecord = -1
			rec, err = r.Read()
		}
		if err != nil {
			nbad++
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				err = pe.Err
			}
			bad(line, "invalid CSV: "+err.Error())
			return
		}
		if header {
			header = false
			if len(rec) >= 2 && strings.EqualFold(strings.TrimSpace(rec[0]), "id") && strings.EqualFold(strings.TrimSpace(rec[1]), "name") {
				return
			}
		}
		switch {
		case len(rec) < 2:
			bad(line, fmt.Sprintf("want id,name, got %d field", len(rec)))
		case !utf8.ValidString(rec[0]) || !utf8.ValidString(rec[1]):
			bad(line, "not UTF-8")
		case strings.TrimSpace(rec[0]) == "":
			bad(line, "empty id")
		case strings.TrimSpace(rec[1]) == "":
			bad(line, "empty name")
		default:
			rows = append(rows, nameRow{strings.TrimSpace(rec[0]), rec[1]})
			return
		}
		nbad++
	}
	quotes := 0
	for {
		l, ok := next()
		if !ok {
			break
		}
		lineNo++
		if len(lines) == 0 {
			start = lineNo
			l = strings.TrimPrefix(l, "\ufeff")
			if strings.TrimSpace(l) == "" {
				continue
			}
		}
		lines = append(lines, l)
		quotes += strings.Count(l, `"`)
		if quotes%2 == 0 {
			record(strings.Join(lines, "\n"), start)
			lines, quotes = lines[:0], 0
			continue
		}
		if len(lines) == maxRecordLines {
			nbad++
			bad(start, "invalid CSV: quoted field not closed")
			// Read again from the line after the bad one.
			pending = append(append([]string(nil), lines[1:]...), pending...)
			lineNo = start
			lines, quotes = lines[:0], 0
		}
	}
	if err := sc.Err(); err != nil {
		return rows, nbad, err
	}
	if len(lines) > 0 {
		nbad++
		bad(start, "invalid CSV: quoted field not closed")
		for k, l := range lines[1:] {
			if !strings.Contains(l, `"`) {
				record(l, start+1+k)
			} else {
				nbad++
				bad(start+1+k, "invalid CSV: after an unclosed quote")
			}
		}
	}
	return rows, nbad, nil
}
