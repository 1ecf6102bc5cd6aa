package ingest

import (
	"bufio"
	"cmp"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/extract"
	"mosaic/internal/incident"
)

// Attacks come into a collection two ways. A table in the layout of the
// Global Terrorism Database is attacks as data: each row becomes an
// incident, and a document whose text is the row's summary, so that the
// summary is searched and its names join the network, instead of a
// "crit1: 1 crit2: 1" record nobody reads. Every other document is read
// for the attacks it reports (incident.FromText), each field with the
// sentence it came from.

// gtdHeaderLimit bounds the header line read to tell a GTD table: a GTD
// release's header is about 1,500 bytes.
const gtdHeaderLimit = 64 << 10

// isGTD reports whether a source is a CSV whose header has the columns of
// a GTD release. It reads only the first line.
func isGTD(src document.Source) bool {
	switch strings.ToLower(path.Ext(src.Path)) {
	case ".csv", ".tsv", ".txt":
	default:
		return false
	}
	rc, err := src.Open()
	if err != nil {
		return false // read reports the error when it opens the file
	}
	defer rc.Close()
	line, err := bufio.NewReaderSize(io.LimitReader(rc, gtdHeaderLimit), gtdHeaderLimit).ReadString('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		return false
	}
	header, err := csv.NewReader(strings.NewReader(line)).Read()
	return err == nil && len(incident.MissingGTDColumns(header)) == 0
}

// readGTD reads a GTD table: a document and an incident per row. Rows
// stream through in parts as read's documents do, so that a whole release
// never sits in memory.
func readGTD(ctx context.Context, src document.Source, opts Options, ex *extract.Extractor, p *parsed, send func(parsed) bool) error {
	lim, def := opts.Limits, document.DefaultLimits()
	lim.MaxFileSize = cmp.Or(lim.MaxFileSize, def.MaxFileSize)
	lim.MaxRecords = cmp.Or(lim.MaxRecords, def.MaxRecords)
	lim.PartSize = cmp.Or(lim.PartSize, def.PartSize)
	if src.Size > lim.MaxFileSize {
		return fmt.Errorf("%s: %w: %d bytes, over the limit of %d", src.Path, document.ErrTooLarge, src.Size, lim.MaxFileSize)
	}
	rc, err := src.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", src.Path, err)
	}
	defer rc.Close()
	// The same bounds as any table: the bytes read (a size that lied, an
	// unclosed quote that makes the rest one field), the rows, and the
	// text of one document.
	r := &limitedReader{r: rc, left: lim.MaxFileSize + 1}
	batch := max(opts.BatchDocs, 256)
	rows := 0
	stats, err := incident.ReadGTD(r, func(in mosaic.Incident) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		if rows++; rows > lim.MaxRecords {
			return fmt.Errorf("%w: more than %d rows", document.ErrTooLarge, lim.MaxRecords)
		}
		if len(in.Summary) > lim.PartSize {
			in.Summary = truncateUTF8(in.Summary, lim.PartSize)
		}
		source := src.Path
		if opts.SourceOf != nil {
			source = opts.SourceOf(source)
		}
		d := gtdDocument(source, in)
		res := ex.Extract(d.Text, d.Date)
		in.Sources[0].Doc = d.ID
		if s := strings.TrimSpace(in.Summary); s != "" {
			in.Evidence = append(in.Evidence, mosaic.IncidentEvidence{
				Field: mosaic.FieldSummary, Value: s, Doc: d.ID,
				Sentence: mosaic.Span{Start: 0, End: len(d.Text)}, Quote: d.Text, Confidence: 1,
			})
			// The summary names the attacker where the row's columns
			// cannot ("The assailant, Zakaria Mansour, was detained"):
			// the reading of the text gives the row its people, so that
			// the incident is tied to the network and meets the reports
			// of the same attack.
			for _, t := range incident.FromText(textDoc(d, res), opts.Geocoder) {
				for _, a := range t.Actors {
					if a.Role == mosaic.RoleAttacker {
						a.Doc = d.ID
						in.Actors = append(in.Actors, a)
					}
				}
			}
		}
		p.add(opts, d, res, []mosaic.Incident{in})
		if len(p.docs) < batch {
			return nil
		}
		p.more = true
		if !send(*p) {
			return ctx.Err()
		}
		*p = parsed{file: p.file, path: p.path, bytes: p.bytes}
		return nil
	})
	if err != nil {
		return fmt.Errorf("%s: %w", src.Path, err)
	}
	if stats.Incidents == 0 && stats.Rows > 0 && len(stats.Errors) > 0 {
		// A header that promised GTD rows and none that read as one: say
		// so, rather than report the file held with nothing in it.
		return fmt.Errorf("%s: %w: none of its %d GTD rows could be read (first: %v)", src.Path, document.ErrCorrupt, stats.Rows, stats.Errors[0])
	}
	if stats.Skipped > 0 {
		// Rows that gave nothing are named in the file's warning, so that
		// the analyst can look at them; the rows read are kept.
		warn := fmt.Sprintf("%d of %d GTD rows skipped (first: %v)", stats.Skipped, stats.Rows, stats.Errors[0])
		for i := range p.docs {
			warnOn(&p.docs[i].Doc, warn)
		}
	}
	return nil
}

// limitedReader fails with ErrTooLarge once a read would go past its
// limit (left is the limit plus one: a file of exactly the limit reads to
// its end), where io.LimitReader would end quietly and leave the table
// cut short.
type limitedReader struct {
	r    io.Reader
	left int64
}

func (l *limitedReader) Read(p []byte) (int, error) {
	if l.left <= 0 {
		return 0, fmt.Errorf("%w: over the file size limit", document.ErrTooLarge)
	}
	if int64(len(p)) > l.left {
		p = p[:l.left]
	}
	n, err := l.r.Read(p)
	l.left -= int64(n)
	return n, err
}

// truncateUTF8 cuts s to at most n bytes at a character boundary.
func truncateUTF8(s string, n int) string {
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// gtdDocument is the document of one GTD row: its summary, or when the
// row has none a sentence saying what the row codes, so that it can be
// found and read.
func gtdDocument(file string, in mosaic.Incident) mosaic.Document {
	text := strings.TrimSpace(in.Summary)
	if text == "" {
		text = describe(in)
	}
	title := "GTD " + in.EventID
	if len(in.Perpetrators) > 0 {
		title += ": " + in.Perpetrators[0]
	}
	if in.City != "" {
		title += " in " + in.City
	}
	d := mosaic.Document{
		// The ID is the address of what the document holds: the row's
		// event and text.
		ID:     mosaic.NewDocID([]byte("gtd\x00" + in.EventID + "\x00" + text)),
		Title:  title,
		Text:   text,
		Format: mosaic.FormatCSV,
		Source: file,
		Meta:   map[string]string{"eventid": in.EventID, "row": fmt.Sprint(in.Sources[0].Row)},
	}
	if t, ok := in.Date.Time(); ok {
		d.Date = t
	}
	return d
}

// describe writes what a GTD row without a summary codes, in a sentence.
func describe(in mosaic.Incident) string {
	var b strings.Builder
	b.WriteString(in.Date.String())
	b.WriteString(":")
	if len(in.AttackTypes) > 0 && in.AttackTypes[0].Name != "" {
		b.WriteString(" " + in.AttackTypes[0].Name)
	} else {
		b.WriteString(" an attack")
	}
	if place := strings.Trim(strings.Join([]string{in.City, in.Country.Name}, ", "), ", "); place != "" {
		b.WriteString(" in " + place)
	}
	if len(in.Perpetrators) > 0 {
		b.WriteString(" by " + in.Perpetrators[0])
	}
	b.WriteString(".")
	return b.String()
}

// textDoc is what incident.FromText reads of an extracted document.
func textDoc(d mosaic.Document, res extract.Result) incident.TextDoc {
	return incident.TextDoc{
		Doc: d.ID, Kind: d.Title, Text: d.Text, Date: d.Date,
		Sentences: res.Sentences, Mentions: res.Mentions, Relations: res.Relations,
	}
}

// textIncidents reads the attacks a document reports. A table's records
// and a JSON export's are not prose: a field value that happens to read
// like an attack is not a report of one.
func textIncidents(d mosaic.Document, res extract.Result, geo incident.Geocoder) []mosaic.Incident {
	if d.Format == mosaic.FormatCSV || d.Format == mosaic.FormatJSON {
		return nil
	}
	var incs []mosaic.Incident
	for _, in := range incident.FromText(textDoc(d, res), geo) {
		if in.Date.Year == 0 {
			continue // an attack no date places cannot be counted or stored
		}
		incs = append(incs, in)
	}
	for i := range incs {
		in := &incs[i]
		for j := range in.Sources {
			in.Sources[j].Doc = d.ID
		}
		for j := range in.Evidence {
			in.Evidence[j].Doc = d.ID
		}
		for j := range in.Actors {
			in.Actors[j].Doc = d.ID
		}
	}
	return incs
}
