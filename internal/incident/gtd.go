package incident

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"mosaic"
)

// ErrNotGTD is returned by ReadGTD for a file whose header lacks the
// columns every GTD release has; the error names the missing ones.
var ErrNotGTD = errors.New("not in GTD layout")

// gtdRequired are the columns without which a file is not read as GTD:
// enough to tell a GTD export from any other CSV and to place an attack in
// time, place, kind and group. Every other column is read when present.
var gtdRequired = []string{"eventid", "iyear", "imonth", "iday", "country", "country_txt", "attacktype1", "gname"}

// gtdOptional are the other columns ReadGTD reads; a release without one
// leaves its field unknown and Stats.Absent names it.
var gtdOptional = []string{
	"approxdate", "region", "region_txt", "provstate", "city", "latitude", "longitude",
	"summary", "crit1", "crit2", "crit3", "doubtterr",
	"attacktype1_txt", "attacktype2", "attacktype2_txt", "attacktype3", "attacktype3_txt",
	"targtype1", "targtype1_txt", "targtype2", "targtype2_txt", "targtype3", "targtype3_txt",
	"natlty1", "natlty1_txt", "natlty2", "natlty2_txt", "natlty3", "natlty3_txt",
	"gname2", "gname3", "claimed",
	"weaptype1", "weaptype1_txt", "weaptype2", "weaptype2_txt", "weaptype3", "weaptype3_txt", "weaptype4", "weaptype4_txt",
	"nkill", "nwound",
}

// GTDSource is the IncidentSource.Name of an incident read from a GTD row.
const GTDSource = "GTD"

// maxRowErrors bounds Stats.Errors so that a file with a bad value in
// every row does not hold a million errors; Stats.Failed still counts all.
const maxRowErrors = 1000

// Stats says what ReadGTD read.
type Stats struct {
	// Rows is the number of data rows read (the header excluded).
	Rows int
	// Incidents is the number of incidents emitted.
	Incidents int
	// Skipped is the number of rows that gave no incident: a broken CSV
	// record, a wrong number of fields, or no eventid or year.
	Skipped int
	// Failed is the number of row errors, skipped rows and unreadable
	// values alike; Errors holds the first thousand.
	Failed int
	Errors []RowError
	// Encoding is "utf-8", or "windows-1252" when the bytes were not valid
	// UTF-8 (GTD releases are Excel exports, written in windows-1252, a
	// superset of latin-1). A spreadsheet's text is Unicode: "utf-8".
	Encoding string
	// Absent names the columns ReadGTD reads that the file lacks.
	Absent []string
}

// RowError is a value or record ReadGTD could not read. A bad value leaves
// its field unknown and the incident is still emitted; a bad record is
// skipped.
type RowError struct {
	// Row counts the header as row 1, as a spreadsheet does.
	Row int
	// Column is the column's name, or "" when the whole record is bad.
	Column string
	Reason string
}

func (e RowError) Error() string {
	if e.Column == "" {
		return fmt.Sprintf("row %d: %s", e.Row, e.Reason)
	}
	return fmt.Sprintf("row %d: %s: %s", e.Row, e.Column, e.Reason)
}

// MissingGTDColumns returns the required GTD columns the header lacks, so
// that a caller can tell a GTD-layout CSV from any other before reading it.
// Names match without regard to case or surrounding space.
func MissingGTDColumns(header []string) []string {
	have := make(map[string]bool, len(header))
	for _, h := range header {
		have[normColumn(h)] = true
	}
	var missing []string
	for _, c := range gtdRequired {
		if !have[c] {
			missing = append(missing, c)
		}
	}
	return missing
}

func normColumn(h string) string {
	return strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
}

// ReadGTD reads a CSV in the layout of a Global Terrorism Database release
// and calls emit with each row's incident, in file order, without holding
// the file in memory. The header row is required and columns are found by
// name, so a release with more columns or another order reads the same.
// Bytes that are not valid UTF-8 are read as windows-1252 from the first
// such byte on. Codes -9 and -99 and blanks are unknown, never zero.
//
// A value that cannot be read is left unknown and a record that cannot be
// read is skipped; both are counted in Stats and reading goes on. ReadGTD
// returns an error wrapping ErrNotGTD when the header lacks a required
// column, the first error emit returns, or a read error of r. Each
// incident's only source is GTDSource and its row; the caller, who knows
// which document the file is, sets the source's Doc.
func ReadGTD(r io.Reader, emit func(mosaic.Incident) error) (Stats, error) {
	dec := &textDecoder{}
	cr := csv.NewReader(transform.NewReader(r, dec))
	cr.LazyQuotes = true
	cr.ReuseRecord = true
	st := Stats{}
	header, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return st, fmt.Errorf("%w: no header row", ErrNotGTD)
		}
		return st, fmt.Errorf("read GTD header: %w", err)
	}
	table, err := newGTDTable(header, &st)
	if err != nil {
		return st, err
	}
	cr.FieldsPerRecord = len(header)

	row := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				return st.done(dec), fmt.Errorf("read GTD row %d: %w", row, err)
			}
			st.Rows++
			st.Skipped++
			st.fail(RowError{Row: row, Reason: pe.Err.Error()})
			continue
		}
		if err := table.read(rec, row, emit); err != nil {
			return st.done(dec), err
		}
	}
	return st.done(dec), nil
}

// gtdTable turns the records of a GTD-layout table into incidents, whatever
// file holds them: ReadGTD's CSV and ReadGTDXLSX's spreadsheet share it, so
// that one row reads the same from either.
type gtdTable struct {
	cols map[string]int
	st   *Stats
}

// newGTDTable finds the columns of header, noting in st those ReadGTD
// reads that it lacks. It returns an error wrapping ErrNotGTD when a
// required column is missing.
func newGTDTable(header []string, st *Stats) (*gtdTable, error) {
	if missing := MissingGTDColumns(header); len(missing) > 0 {
		return nil, fmt.Errorf("%w: missing columns %s", ErrNotGTD, strings.Join(missing, ", "))
	}
	cols := make(map[string]int, len(header))
	for i, h := range header {
		if n := normColumn(h); n != "" {
			if _, dup := cols[n]; !dup {
				cols[n] = i
			}
		}
	}
	for _, c := range gtdOptional {
		if _, ok := cols[c]; !ok {
			st.Absent = append(st.Absent, c)
		}
	}
	return &gtdTable{cols: cols, st: st}, nil
}

// read reads one record, as long as the header, numbered as a spreadsheet
// numbers its rows, and emits its incident unless the row is skipped. It
// returns emit's error.
func (t *gtdTable) read(rec []string, row int, emit func(mosaic.Incident) error) error {
	t.st.Rows++
	rr := rowReader{rec: rec, cols: t.cols, row: row, st: t.st}
	in, ok := rr.incident()
	if !ok {
		t.st.Skipped++
		return nil
	}
	if err := emit(in); err != nil {
		return err
	}
	t.st.Incidents++
	return nil
}

func (st *Stats) fail(e RowError) {
	st.Failed++
	if len(st.Errors) < maxRowErrors {
		st.Errors = append(st.Errors, e)
	}
}

func (st Stats) done(dec *textDecoder) Stats {
	st.Encoding = "utf-8"
	if dec.latin {
		st.Encoding = "windows-1252"
	}
	return st
}

// rowReader reads the fields of one record, recording what it cannot read.
type rowReader struct {
	rec  []string
	cols map[string]int
	row  int
	st   *Stats
}

func (r rowReader) str(col string) string {
	i, ok := r.cols[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

func (r rowReader) fail(col, reason string) {
	r.st.fail(RowError{Row: r.row, Column: col, Reason: reason})
}

// num reads a number: blank, -9 and -99 are unknown. Excel exports write
// some whole numbers as "3.0", which read as 3.
func (r rowReader) num(col string) (float64, bool) {
	s := r.str(col)
	if s == "" {
		return 0, false
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		r.fail(col, fmt.Sprintf("%q is not a number", s))
		return 0, false
	}
	if v == -9 || v == -99 {
		return 0, false
	}
	return v, true
}

// whole reads a whole number in [lo, hi]; anything else is unknown.
func (r rowReader) whole(col string, lo, hi int) mosaic.Known[int] {
	v, ok := r.num(col)
	if !ok {
		return mosaic.Known[int]{}
	}
	if v != math.Trunc(v) || v < float64(lo) || v > float64(hi) {
		r.fail(col, fmt.Sprintf("%s is not a whole number from %d to %d", r.str(col), lo, hi))
		return mosaic.Known[int]{}
	}
	return mosaic.Some(int(v))
}

// flag reads a GTD 0/1 variable.
func (r rowReader) flag(col string) mosaic.Known[bool] {
	v := r.whole(col, 0, 1)
	return mosaic.Known[bool]{Value: v.Value == 1, Valid: v.Valid}
}

// code reads a codebook column and its _txt name. GTD codes run from 1,
// so 0 is read as no code.
func (r rowReader) code(col string) mosaic.Code {
	c := mosaic.Code{Name: r.str(col + "_txt")}
	if v := r.whole(col, 0, math.MaxInt32); v.Valid {
		c.ID = v.Value
	}
	return c
}

// codes reads numbered codebook columns (attacktype1, attacktype2, ...),
// keeping those the row gives.
func (r rowReader) codes(prefix string, n int) []mosaic.Code {
	var out []mosaic.Code
	for i := 1; i <= n; i++ {
		if c := r.code(prefix + strconv.Itoa(i)); !c.IsZero() {
			out = append(out, c)
		}
	}
	return out
}

func (r rowReader) coord(col string, limit float64) mosaic.Known[float64] {
	s := r.str(col)
	if s == "" {
		return mosaic.Known[float64]{}
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || v < -limit || v > limit {
		r.fail(col, fmt.Sprintf("%q is not a coordinate from %g to %g", s, -limit, limit))
		return mosaic.Known[float64]{}
	}
	return mosaic.Some(v)
}

// incident reads the row, or reports false when the row has no eventid
// or year, without which it cannot be told apart or placed in time.
func (r rowReader) incident() (mosaic.Incident, bool) {
	in := mosaic.Incident{
		EventID:     r.str("eventid"),
		ApproxDate:  r.str("approxdate"),
		Province:    r.str("provstate"),
		City:        r.str("city"),
		Summary:     r.str("summary"),
		Attribution: mosaic.AttributionUnknown,
		Sources:     []mosaic.IncidentSource{{Name: GTDSource, Row: r.row}},
	}
	if in.EventID == "" {
		r.fail("eventid", "blank")
		return in, false
	}
	failed := r.st.Failed
	year := r.whole("iyear", 1, 9999)
	if !year.Valid {
		if r.st.Failed == failed { // blank or -9: whole saw nothing wrong
			r.fail("iyear", "unknown year")
		}
		return in, false
	}
	in.Date.Year = year.Value
	if m := r.whole("imonth", 0, 12); m.Valid && m.Value > 0 {
		in.Date.Month = mosaic.Some(time.Month(m.Value))
	}
	if d := r.whole("iday", 0, 31); d.Valid && d.Value > 0 {
		switch {
		case !in.Date.Month.Valid:
			r.fail("iday", fmt.Sprintf("day %d of an unknown month", d.Value))
		case d.Value > daysIn(in.Date.Year, in.Date.Month.Value):
			r.fail("iday", fmt.Sprintf("no day %d in %04d-%02d", d.Value, in.Date.Year, int(in.Date.Month.Value)))
		default:
			in.Date.Day = d
		}
	}
	in.Country = r.code("country")
	in.Region = r.code("region")
	in.Latitude = r.coord("latitude", 90)
	in.Longitude = r.coord("longitude", 180)
	in.AttackTypes = r.codes("attacktype", 3)
	in.WeaponTypes = r.codes("weaptype", 4)
	in.TargetTypes = r.codes("targtype", 3)
	in.Nationalities = r.codes("natlty", 3)
	for _, c := range []string{"gname", "gname2", "gname3"} {
		if g := r.str(c); g != "" {
			in.Perpetrators = append(in.Perpetrators, g)
		}
	}
	in.Claimed = r.flag("claimed")
	in.Killed = r.whole("nkill", 0, math.MaxInt32)
	in.Wounded = r.whole("nwound", 0, math.MaxInt32)
	in.Doubt = r.flag("doubtterr")
	in.Crit1 = r.flag("crit1")
	in.Crit2 = r.flag("crit2")
	in.Crit3 = r.flag("crit3")
	return in, true
}

func daysIn(year int, m time.Month) int {
	return time.Date(year, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// Rule is an inclusion rule: which incidents a count includes. START
// enters an attack in the GTD when it meets two of its three criteria and
// marks those it doubts were terrorism; which of them to count is the
// analyst's choice, and every count says which rule it used.
type Rule string

// Inclusion rules.
const (
	// All counts every incident.
	All Rule = "all"
	// Strict counts an incident only when all three GTD criteria are
	// known to be met and it is not marked doubtful (doubtterr != 1; an
	// unknown doubt, as before 1997, does not exclude it). An incident
	// with an unknown criterion is left out: it is not known to qualify.
	Strict Rule = "strict"
)

// ParseRule reads a rule by name.
func ParseRule(s string) (Rule, error) {
	switch r := Rule(strings.ToLower(strings.TrimSpace(s))); r {
	case All, Strict:
		return r, nil
	}
	return "", fmt.Errorf("inclusion rule %q: want %q or %q", s, All, Strict)
}

// Included reports whether rule counts in. An unknown rule includes
// nothing, so that a typo never passes for "all".
func Included(in mosaic.Incident, rule Rule) bool {
	switch rule {
	case All:
		return true
	case Strict:
		met := func(k mosaic.Known[bool]) bool { return k.Valid && k.Value }
		doubted := in.Doubt.Valid && in.Doubt.Value
		return met(in.Crit1) && met(in.Crit2) && met(in.Crit3) && !doubted
	}
	return false
}

// textDecoder passes valid UTF-8 through and, from the first byte that is
// not, reads every byte above 0x7F as windows-1252: a file has one
// encoding, and once it shows it is not UTF-8 a two-byte sequence that
// happens to be valid UTF-8 is two windows-1252 characters. Deciding on
// the first bad byte keeps the reader streaming; the price is that text
// before it was read as UTF-8, which for a windows-1252 file means only
// runs like "Ã©" that are rare in names and summaries.
type textDecoder struct {
	latin bool
}

func (d *textDecoder) Reset() { d.latin = false }

func (d *textDecoder) Transform(dst, src []byte, atEOF bool) (nDst, nSrc int, err error) {
	for nSrc < len(src) {
		b := src[nSrc]
		if b < utf8.RuneSelf {
			if nDst >= len(dst) {
				return nDst, nSrc, transform.ErrShortDst
			}
			dst[nDst] = b
			nDst++
			nSrc++
			continue
		}
		if !d.latin {
			r, size := utf8.DecodeRune(src[nSrc:])
			if r != utf8.RuneError || size > 1 {
				if nDst+size > len(dst) {
					return nDst, nSrc, transform.ErrShortDst
				}
				copy(dst[nDst:], src[nSrc:nSrc+size])
				nDst += size
				nSrc += size
				continue
			}
			if !atEOF && !utf8.FullRune(src[nSrc:]) {
				return nDst, nSrc, transform.ErrShortSrc
			}
			d.latin = true
		}
		r := charmap.Windows1252.DecodeByte(b)
		if nDst+utf8.RuneLen(r) > len(dst) {
			return nDst, nSrc, transform.ErrShortDst
		}
		nDst += utf8.EncodeRune(dst[nDst:], r)
		nSrc++
	}
	return nDst, nSrc, nil
}
