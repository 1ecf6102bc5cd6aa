package document

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"mosaic"
)

const (
	// maxJSONDepth bounds the nesting of one JSON record. Records are
	// flattened into dotted keys; past this depth they are not records a
	// person reads but an attack on the flattener's recursion.
	maxJSONDepth = 32
	// maxLazyFieldLines is the number of line breaks one CSV field may
	// hold when quotes are read leniently. An unterminated quote makes the
	// rest of the file one field; a real multi-line value is a paragraph.
	maxLazyFieldLines = 200
	// maxRecordTitle bounds a title taken from a summary column.
	maxRecordTitle = 100
)

// field is one named value of a record. Records keep their fields in file
// order, so that a record's text reads in the order its author chose.
type field struct{ key, value string }

// titleKeys are the columns a record's title is taken from, best first.
var titleKeys = []string{"title", "headline", "subject", "name", "summary"}

// dateKeys are the columns a record's date is taken from, best first.
var dateKeys = []string{"date", "datetime", "timestamp", "published", "published_at", "date_published",
	"created", "created_at", "sent", "time"}

// newRecord builds the document of one record. canonical is the record's
// content in a stable encoding, which its ID is the address of; label
// names the record in the fallback title ("x.csv row 3").
func newRecord(fields []field, canonical []byte, format mosaic.Format, source, label string, parent mosaic.DocID, size int64) mosaic.Document {
	d := mosaic.Document{
		ID:     mosaic.NewDocID(canonical),
		Parent: parent,
		Format: format,
		Source: source,
		Size:   size,
		Meta:   make(map[string]string, len(fields)),
	}
	var text strings.Builder
	for _, f := range fields {
		if strings.TrimSpace(f.value) == "" {
			continue
		}
		text.WriteString(f.key)
		text.WriteString(": ")
		text.WriteString(f.value)
		text.WriteByte('\n')
		d.Meta[f.key] = f.value
	}
	d.Text = strings.TrimSuffix(text.String(), "\n")
	d.Title = recordTitle(d.Meta)
	if d.Title == "" {
		d.Title = label
	}
	d.Date = recordDate(d.Meta)
	if d.ID == parent {
		// A file that is one record written canonically is that
		// record; a document is not its own parent.
		d.Parent = ""
	}
	return d
}

// lookup returns the value of the first of keys present in meta, matching
// names without regard to case.
func lookup(meta map[string]string, keys ...string) string {
	for _, k := range keys {
		if v, ok := meta[k]; ok && strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	for _, k := range keys {
		for mk, v := range meta {
			if strings.EqualFold(mk, k) && strings.TrimSpace(v) != "" {
				return strings.TrimSpace(v)
			}
		}
	}
	return ""
}

// recordTitle is a title, name or summary column, or for a Global
// Terrorism Database row the group and the city.
func recordTitle(meta map[string]string) string {
	for _, k := range titleKeys {
		if v := lookup(meta, k); v != "" {
			return truncate(strings.Join(strings.Fields(v), " "), maxRecordTitle)
		}
	}
	group, city := lookup(meta, "gname"), lookup(meta, "city")
	switch {
	case group != "" && city != "":
		return group + " in " + city
	case group != "":
		return group
	}
	return ""
}

// truncate shortens s to at most n runes, at a word boundary if there is
// one in the second half, and marks the cut.
func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	cut := 0
	for i := range s {
		if cut == n {
			s = s[:i]
			break
		}
		cut++
	}
	if sp := strings.LastIndexByte(s, ' '); sp > len(s)/2 {
		s = s[:sp]
	}
	return strings.TrimRight(s, " ,;:") + "…"
}

// recordDate reads a date column, or the iyear, imonth and iday columns of
// the Global Terrorism Database, where 0 means an unknown month or day and
// is read as the first.
func recordDate(meta map[string]string) time.Time {
	for _, k := range dateKeys {
		if t, ok := parseDate(lookup(meta, k)); ok {
			return t
		}
	}
	year, err := strconv.Atoi(lookup(meta, "iyear"))
	if err != nil || year < 1000 || year >= 3000 {
		return time.Time{}
	}
	month, _ := strconv.Atoi(lookup(meta, "imonth"))
	day, _ := strconv.Atoi(lookup(meta, "iday"))
	if month < 1 || month > 12 {
		month, day = 1, 1
	}
	if day < 1 || day > 31 {
		day = 1
	}
	t := time.Date(year, time.Month(month), day, 0, 0, 0, 0, time.UTC)
	if t.Day() != day { // 31 February and the like
		return time.Date(year, time.Month(month), 1, 0, 0, 0, 0, time.UTC)
	}
	return t
}

// parseCSV reads a CSV or TSV file with a header row: each row is one
// document whose text is "column: value" lines. The delimiter (comma,
// semicolon or tab) is detected from the header. Quotes are read strictly
// first and leniently if that fails, since exports from spreadsheets and
// databases often quote carelessly; a file that even the lenient reading
// cannot make sense of is ErrCorrupt with the line of the first error.
func parseCSV(name string, data []byte, lim Limits) ([]mosaic.Document, error) {
	text, _, warn, err := decodeText(name, data)
	if err != nil {
		return nil, err
	}
	docs, err := csvRecords(name, text, data, lim)
	warnAll(docs, warn)
	return docs, err
}

// warnAll records warn on each of the records of one file.
func warnAll(docs []mosaic.Document, warn string) {
	for i := range docs {
		warnOn(&docs[i], warn)
	}
}

// csvRecords reads the records of a CSV file's decoded text.
func csvRecords(name, text string, data []byte, lim Limits) ([]mosaic.Document, error) {
	comma := delimiter(name, text)
	docs, err := readCSV(name, text, comma, false, mosaic.NewDocID(data), lim)
	var perr *csv.ParseError
	if !errors.As(err, &perr) {
		return docs, err
	}
	strict := perr
	docs, err = readCSV(name, text, comma, true, mosaic.NewDocID(data), lim)
	if errors.Is(err, errLazyQuote) || errors.As(err, &perr) {
		return nil, fmt.Errorf("%s: %w CSV: line %d: %v", name, ErrCorrupt, perr.StartLine, perr.Err)
	}
	// Read, but not as written: say where, so the records after it are
	// checked (a quote left open runs into the rows that follow).
	warnAll(docs, fmt.Sprintf("quotes malformed from line %d (%v), read leniently", strict.StartLine, strict.Err))
	return docs, err
}

// errLazyQuote reports a field that swallowed too many lines when read
// leniently: an unterminated quote.
var errLazyQuote = errors.New("unterminated quote")

func readCSV(name, text string, comma rune, lazy bool, parent mosaic.DocID, lim Limits) ([]mosaic.Document, error) {
	r := csv.NewReader(strings.NewReader(text))
	r.Comma = comma
	r.FieldsPerRecord = -1 // ragged rows are common; missing values are empty
	r.LazyQuotes = lazy
	header, err := r.Read()
	if err == io.EOF {
		return nil, fmt.Errorf("%s: %w CSV: no header row", name, ErrCorrupt)
	}
	if err != nil {
		return nil, err
	}
	columns := uniqueColumns(header)
	base := baseName(name)
	var docs []mosaic.Document
	var canon bytes.Buffer
	for row := 1; ; row++ {
		start := r.InputOffset()
		rec, err := r.Read()
		if err == io.EOF {
			return docs, nil
		}
		if err != nil {
			return nil, err
		}
		if lazy {
			for _, v := range rec {
				if strings.Count(v, "\n") > maxLazyFieldLines {
					return nil, errLazyQuote
				}
			}
		}
		for len(columns) < len(rec) {
			columns = append(columns, "column "+strconv.Itoa(len(columns)+1))
		}
		fields := make([]field, len(columns))
		empty := true
		for i, c := range columns {
			fields[i].key = c
			if i < len(rec) {
				fields[i].value = rec[i]
				empty = empty && strings.TrimSpace(rec[i]) == ""
			}
		}
		if empty {
			continue
		}
		if len(docs) >= lim.MaxRecords {
			return docs, fmt.Errorf("%s: %w: more than %d records; the first %d were read", name, ErrTooLarge, lim.MaxRecords, lim.MaxRecords)
		}
		// The ID is the address of the header and the row, written as
		// CSV: the same row of the same export gets the same ID.
		canon.Reset()
		w := csv.NewWriter(&canon)
		values := make([]string, len(fields))
		for i, f := range fields {
			values[i] = f.value
		}
		w.Write(columns)
		w.Write(values)
		w.Flush()
		docs = append(docs, newRecord(fields, canon.Bytes(), mosaic.FormatCSV,
			name+"#row="+strconv.Itoa(row), base+" row "+strconv.Itoa(row), parent, r.InputOffset()-start))
	}
}

// uniqueColumns names the columns: trimmed header names, "column N" for
// blank ones, and a "_2" suffix for repeats, so that every value has a key.
func uniqueColumns(header []string) []string {
	seen := map[string]bool{}
	cols := make([]string, len(header))
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if h == "" {
			h = "column " + strconv.Itoa(i+1)
		}
		name := h
		for n := 2; seen[name]; n++ {
			name = h + "_" + strconv.Itoa(n)
		}
		seen[name] = true
		cols[i] = name
	}
	return cols
}

// delimiter picks the field separator: tab for .tsv, else whichever of
// comma, semicolon and tab the header line (outside quotes) uses most,
// comma on a tie. Semicolons are what European spreadsheets write.
func delimiter(name, text string) rune {
	if ext := extension(name); ext == ".tsv" || ext == ".tab" {
		return '\t'
	}
	counts := map[rune]int{}
	quoted := false
	for _, r := range text {
		if r == '"' {
			quoted = !quoted
		}
		if r == '\n' && !quoted {
			break
		}
		if !quoted {
			counts[r]++
		}
	}
	best := ','
	for _, r := range []rune{';', '\t'} {
		if counts[r] > counts[best] {
			best = r
		}
	}
	return best
}

// parseJSON reads the records of a JSON file: an array of objects, a single
// object, or a sequence of objects one per line (JSON Lines). Each object
// is one document whose text is its flattened "key: value" lines, nested
// keys joined by dots. The file is streamed value by value.
func parseJSON(name string, data []byte, lim Limits) ([]mosaic.Document, error) {
	text, _, warn, err := decodeText(name, data)
	if err != nil {
		return nil, err
	}
	docs, err := jsonRecords(name, text, data, lim)
	warnAll(docs, warn)
	return docs, err
}

// jsonRecords reads the records of a JSON file's decoded text.
func jsonRecords(name, text string, data []byte, lim Limits) ([]mosaic.Document, error) {
	parent := mosaic.NewDocID(data)
	base := baseName(name)
	dec := json.NewDecoder(strings.NewReader(text))
	var docs []mosaic.Document
	var canon bytes.Buffer
	add := func(raw json.RawMessage) error {
		n := len(docs) + 1
		if len(docs) >= lim.MaxRecords {
			return fmt.Errorf("%s: %w: more than %d records; the first %d were read", name, ErrTooLarge, lim.MaxRecords, lim.MaxRecords)
		}
		fields, err := flattenJSON(raw)
		if err != nil {
			return fmt.Errorf("%s: %w JSON: record %d: %v", name, ErrCorrupt, n, err)
		}
		// The ID is the address of the record without insignificant
		// white space, so re-indenting a file keeps its IDs.
		canon.Reset()
		if err := json.Compact(&canon, raw); err != nil {
			return fmt.Errorf("%s: %w JSON: record %d: %v", name, ErrCorrupt, n, err)
		}
		docs = append(docs, newRecord(fields, canon.Bytes(), mosaic.FormatJSON,
			name+"#"+strconv.Itoa(n), base+" record "+strconv.Itoa(n), parent, int64(len(raw))))
		return nil
	}
	corrupt := func(err error) error {
		off := dec.InputOffset() // the start of the value that failed
		var serr *json.SyntaxError
		switch {
		case errors.As(err, &serr):
			off = serr.Offset
		case errors.Is(err, io.ErrUnexpectedEOF):
			off = int64(len(text))
		}
		return fmt.Errorf("%s: %w JSON: line %d: %v", name, ErrCorrupt, lineAt(text, off), err)
	}
	for {
		next := strings.TrimLeft(text[dec.InputOffset():], " \t\r\n")
		if next == "" {
			break
		}
		if next[0] != '[' {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, corrupt(err)
			}
			if err := add(raw); err != nil {
				return docs, err
			}
			continue
		}
		if _, err := dec.Token(); err != nil {
			return nil, corrupt(err)
		}
		for dec.More() {
			var raw json.RawMessage
			if err := dec.Decode(&raw); err != nil {
				return nil, corrupt(err)
			}
			if err := add(raw); err != nil {
				return docs, err
			}
		}
		if _, err := dec.Token(); err != nil {
			return nil, corrupt(err)
		}
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%s: %w JSON: no records", name, ErrCorrupt)
	}
	return docs, nil
}

// lineAt returns the 1-based line of byte offset off in text.
func lineAt(text string, off int64) int {
	return strings.Count(text[:min(int(off), len(text))], "\n") + 1
}

// flattenJSON lists the scalar values of one JSON value with dotted keys
// ("address.city", "tags.0"), in document order. A bare scalar gets the key
// "value"; nulls and empty containers give nothing.
func flattenJSON(raw []byte) ([]field, error) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber() // keep "12345678901234567890" as written
	var fields []field
	var walk func(key string, depth int) error
	walk = func(key string, depth int) error {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		switch v := tok.(type) {
		case json.Delim:
			if depth >= maxJSONDepth {
				return fmt.Errorf("nested more than %d deep", maxJSONDepth)
			}
			for i := 0; dec.More(); i++ {
				child := strconv.Itoa(i)
				if v == '{' {
					kt, err := dec.Token()
					if err != nil {
						return err
					}
					child, _ = kt.(string)
				}
				if key != "" {
					child = key + "." + child
				}
				if err := walk(child, depth+1); err != nil {
					return err
				}
			}
			_, err := dec.Token() // the closing delimiter
			return err
		case string:
			fields = append(fields, field{scalarKey(key), v})
		case json.Number:
			fields = append(fields, field{scalarKey(key), v.String()})
		case bool:
			fields = append(fields, field{scalarKey(key), strconv.FormatBool(v)})
		}
		return nil
	}
	if err := walk("", 0); err != nil {
		return nil, err
	}
	return fields, nil
}

// scalarKey is the key of a scalar: its own, or "value" for a bare one.
func scalarKey(key string) string {
	if key == "" {
		return "value"
	}
	return key
}
