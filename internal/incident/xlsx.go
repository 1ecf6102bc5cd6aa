package incident

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/xuri/excelize/v2"

	"mosaic"
)

// zipMagic begins every .xlsx file: a spreadsheet is a zip archive of XML
// parts.
var zipMagic = []byte("PK\x03\x04")

// IsXLSX reports whether the file that r reads begins as a zip archive, as
// an .xlsx spreadsheet does and a CSV never can, so that a caller can tell
// the two apart by content whatever the file is called. It reads the first
// four bytes with ReadAt and leaves r's offset alone.
func IsXLSX(r io.ReaderAt) bool {
	var b [4]byte
	n, _ := r.ReadAt(b[:], 0)
	return n == len(b) && bytes.Equal(b[:], zipMagic)
}

// ReadGTDXLSX reads the first sheet of an .xlsx spreadsheet in the layout
// of a Global Terrorism Database release, as START distributes it, and
// calls emit with each row's incident in sheet order. Each row goes
// through the same reading as ReadGTD's CSV records, so a row reads the
// same from either file, row numbers included (the header is row 1).
// Cell values are read raw, without the sheet's number formats, so that
// a code formatted "3.0" or a date-formatted number reads as stored.
// Blank rows are passed over; a row with values past the header's last
// column is skipped and counted, as ReadGTD skips a record with too many
// fields.
//
// The sheet is streamed: excelize reads the file where it lies, and a
// sheet or shared-string table larger than 16 MB is unzipped to a
// temporary file rather than into memory. ReadGTDXLSX returns an error
// when the file cannot be read as a spreadsheet (naming the reason: not a
// zip archive, a truncated one, a part that does not parse), one wrapping
// ErrNotGTD when the first row lacks a required column, or the first
// error emit returns.
func ReadGTDXLSX(path string, emit func(mosaic.Incident) error) (st Stats, err error) {
	st.Encoding = "utf-8"
	// excelize is a large parser of untrusted input; a panic in it on a
	// malformed file is that file's error, not the program's end.
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("read GTD spreadsheet: malformed file: %v", p)
		}
	}()
	f, err := excelize.OpenFile(path)
	if errors.Is(err, zip.ErrFormat) {
		return st, fmt.Errorf("read GTD spreadsheet: not a whole .xlsx file (truncated, or another format): %w", err)
	}
	if err != nil {
		return st, fmt.Errorf("read GTD spreadsheet: %w", err)
	}
	defer f.Close()
	sheets := f.GetSheetList()
	if len(sheets) == 0 {
		return st, fmt.Errorf("read GTD spreadsheet: %w: no sheet", ErrNotGTD)
	}
	sheet := sheets[0]
	rows, err := f.Rows(sheet)
	if err != nil {
		return st, fmt.Errorf("read GTD sheet %q: %w", sheet, err)
	}
	defer rows.Close()
	raw := excelize.Options{RawCellValue: true}
	if !rows.Next() {
		if err := rows.Error(); err != nil {
			return st, fmt.Errorf("read GTD sheet %q: %w", sheet, err)
		}
		return st, fmt.Errorf("%w: sheet %q has no header row", ErrNotGTD, sheet)
	}
	header, err := rows.Columns(raw)
	if err != nil {
		return st, fmt.Errorf("read GTD sheet %q header: %w", sheet, err)
	}
	table, err := newGTDTable(header, &st)
	if err != nil {
		return st, fmt.Errorf("sheet %q: %w", sheet, err)
	}
	width := len(header)
	rec := make([]string, width)
	for row := 2; rows.Next(); row++ {
		cells, err := rows.Columns(raw)
		if err != nil {
			return st, fmt.Errorf("read GTD sheet %q row %d: %w", sheet, row, err)
		}
		if blank(cells) {
			continue
		}
		if len(cells) > width && !blank(cells[width:]) {
			st.Rows++
			st.Skipped++
			st.fail(RowError{Row: row, Reason: fmt.Sprintf("values in %d columns, the header names %d", len(cells), width)})
			continue
		}
		// Columns leaves out the empty cells at a row's end.
		n := copy(rec, cells)
		clear(rec[n:])
		if err := table.read(rec, row, emit); err != nil {
			return st, err
		}
	}
	if err := rows.Error(); err != nil {
		return st, fmt.Errorf("read GTD sheet %q: %w", sheet, err)
	}
	return st, nil
}

func blank(cells []string) bool {
	for _, c := range cells {
		if c != "" {
			return false
		}
	}
	return true
}
