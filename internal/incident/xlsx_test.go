package incident

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
	"golang.org/x/text/transform"

	"mosaic"
)

// gtdRecords reads CSV bytes into records as ReadGTD sees them, text
// decoded the same way, so that a spreadsheet written from them holds the
// same values.
func gtdRecords(t testing.TB, data []byte) [][]string {
	t.Helper()
	cr := csv.NewReader(transform.NewReader(bytes.NewReader(data), &textDecoder{}))
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// writeXLSX writes records to the first sheet of a new spreadsheet at
// path, as Excel stores a GTD release: values that are numbers as number
// cells, text as text. Numbers in the year column carry a date format,
// and the others a two-decimal one, so a reader that applied the formats
// would read "3" as "3.00" and 2016 as a date.
func writeXLSX(t testing.TB, path string, recs [][]string) {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sw, err := f.NewStreamWriter("Sheet1")
	if err != nil {
		t.Fatal(err)
	}
	date, err := f.NewStyle(&excelize.Style{NumFmt: 14})
	if err != nil {
		t.Fatal(err)
	}
	fixed, err := f.NewStyle(&excelize.Style{NumFmt: 2})
	if err != nil {
		t.Fatal(err)
	}
	year := -1
	for i, h := range recs[0] {
		if h == "iyear" {
			year = i
		}
	}
	row := make([]any, 0, len(recs[0]))
	for r, rec := range recs {
		row = row[:0]
		for i, v := range rec {
			style := fixed
			if i == year {
				style = date
			}
			switch {
			case r == 0 || v == "":
				row = append(row, v)
			case isInt(v):
				n, _ := strconv.Atoi(v)
				row = append(row, excelize.Cell{StyleID: style, Value: n})
			case isFloat(v):
				x, _ := strconv.ParseFloat(v, 64)
				row = append(row, excelize.Cell{StyleID: style, Value: x})
			default:
				row = append(row, v)
			}
		}
		cell, _ := excelize.CoordinatesToCellName(1, r+1)
		if err := sw.SetRow(cell, row); err != nil {
			t.Fatal(err)
		}
	}
	if err := sw.Flush(); err != nil {
		t.Fatal(err)
	}
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
}

// isInt and isFloat say whether a value round-trips as a number cell, so
// that "007" or "1e3" stay text as Excel would keep them if typed so.
func isInt(v string) bool {
	n, err := strconv.Atoi(v)
	return err == nil && strconv.Itoa(n) == v
}

func isFloat(v string) bool {
	x, err := strconv.ParseFloat(v, 64)
	return err == nil && strconv.FormatFloat(x, 'f', -1, 64) == v
}

func csvBytes(t testing.TB, recs [][]string) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	if err := w.WriteAll(recs); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func readXLSX(t testing.TB, path string) ([]mosaic.Incident, Stats, error) {
	t.Helper()
	var got []mosaic.Incident
	st, err := ReadGTDXLSX(path, func(in mosaic.Incident) error {
		got = append(got, in)
		return nil
	})
	return got, st, err
}

// TestReadGTDXLSXMatchesCSV writes the same generated GTD rows as CSV and
// as a spreadsheet, with bad values and a skipped row among them, and
// checks that the two read as the same incidents with the same errors.
func TestReadGTDXLSXMatchesCSV(t *testing.T) {
	data, truth := generateGTD(2000, 3)
	recs := gtdRecords(t, data)
	at := map[string]int{}
	for i, h := range recs[0] {
		at[h] = i
	}
	recs[5][at["nkill"]] = "many"
	recs[6][at["imonth"]], recs[6][at["iday"]] = "2", "31"
	recs[7][at["eventid"]] = ""
	recs[8][at["latitude"]] = "123.5"
	recs[9][at["summary"]] = "Ḥalab, ʿAyn al-ʿArab — «قتل» 3.0"
	recs[10][at["nkill"]] = "3.0"
	csvData := csvBytes(t, recs)
	path := filepath.Join(t.TempDir(), "gtd.xlsx")
	writeXLSX(t, path, recs)

	want, wantSt, err := readAll(t, csvData)
	if err != nil {
		t.Fatal(err)
	}
	got, gotSt, err := readXLSX(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(want) != truth.rows-1 || wantSt.Skipped != 1 || wantSt.Failed != 4 {
		t.Fatalf("CSV read %d incidents, stats %+v; want %d, one skipped, four errors", len(want), wantSt, truth.rows-1)
	}
	if len(got) != len(want) {
		t.Fatalf("xlsx read %d incidents, CSV %d", len(got), len(want))
	}
	for i := range want {
		if !reflect.DeepEqual(got[i], want[i]) {
			t.Fatalf("incident %d:\nxlsx %+v\ncsv  %+v", i, got[i], want[i])
		}
	}
	if gotSt.Encoding != "utf-8" {
		t.Errorf("xlsx encoding %q, want utf-8", gotSt.Encoding)
	}
	gotSt.Encoding, wantSt.Encoding = "", ""
	if !reflect.DeepEqual(gotSt, wantSt) {
		t.Errorf("xlsx stats %+v\nCSV stats %+v", gotSt, wantSt)
	}
	if got[8].Killed != mosaic.Some(3) {
		t.Errorf("nkill 3.0 read as %+v, want 3", got[8].Killed)
	}
}

// TestReadGTDXLSXRows checks what only a spreadsheet can hold: blank rows
// passed over with the rows after them keeping their sheet numbers, a
// value past the header's last column, a sheet after the first ignored.
func TestReadGTDXLSXRows(t *testing.T) {
	f := excelize.NewFile()
	header := []any{"eventid", "iyear", "imonth", "iday", "country", "country_txt", "attacktype1", "gname"}
	rows := map[int][]any{
		1: header,
		2: {"201601010001", 2016, 1, 1, 4, "Afghanistan", 1, "Taliban"},
		5: {"201601020001", 2016, 1, 2, 95, "Iraq", 3, "ISIL"},
		6: {"201601030001", 2016, 1, 3, 95, "Iraq", 3, "ISIL", nil, "stray"},
		7: {"201601040001", 2016, 1, 4, 95, "Iraq", 3},
	}
	for r, v := range rows {
		if err := f.SetSheetRow("Sheet1", "A"+strconv.Itoa(r), &v); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := f.NewSheet("Other"); err != nil {
		t.Fatal(err)
	}
	if err := f.SetSheetRow("Other", "A1", &[]any{"not", "gtd"}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "rows.xlsx")
	if err := f.SaveAs(path); err != nil {
		t.Fatal(err)
	}
	got, st, err := readXLSX(t, path)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 || st.Rows != 4 || st.Skipped != 1 {
		t.Fatalf("%d incidents, stats %+v; want 3 incidents of 4 rows, one skipped", len(got), st)
	}
	wantRows := []int{2, 5, 7}
	for i, in := range got {
		if in.Sources[0].Row != wantRows[i] {
			t.Errorf("incident %s from row %d, want %d", in.EventID, in.Sources[0].Row, wantRows[i])
		}
	}
	if got[1].Country != (mosaic.Code{ID: 95, Name: "Iraq"}) || got[2].Perpetrators != nil {
		t.Errorf("incidents %+v", got)
	}
	if len(st.Errors) != 1 || st.Errors[0].Row != 6 || !strings.Contains(st.Errors[0].Reason, "header names 8") {
		t.Errorf("errors %v, want row 6's stray value", st.Errors)
	}
}

// TestReadGTDXLSXBad checks that a file that is not a readable GTD
// spreadsheet gives an error that says why.
func TestReadGTDXLSXBad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.xlsx")
	data, _ := generateGTD(50, 4)
	writeXLSX(t, good, gtdRecords(t, data))
	whole, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}
	other := excelize.NewFile()
	other.SetSheetRow("Sheet1", "A1", &[]any{"name", "date"})
	otherPath := filepath.Join(dir, "other.xlsx")
	if err := other.SaveAs(otherPath); err != nil {
		t.Fatal(err)
	}
	empty := excelize.NewFile()
	emptyPath := filepath.Join(dir, "empty.xlsx")
	if err := empty.SaveAs(emptyPath); err != nil {
		t.Fatal(err)
	}
	write := func(name string, b []byte) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name, path, reason string
		notGTD             bool
	}{
		{"truncated", write("truncated.xlsx", whole[:len(whole)/2]), "not a valid zip file", false},
		{"csv", write("csv.xlsx", data), "not a valid zip file", false},
		{"empty file", write("zero.xlsx", nil), "zip", false},
		{"missing", filepath.Join(dir, "absent.xlsx"), "no such file", false},
		{"other columns", otherPath, "missing columns eventid", true},
		{"no rows", emptyPath, "no header row", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := readXLSX(t, tt.path)
			if err == nil {
				t.Fatal("read without error")
			}
			if !strings.Contains(err.Error(), tt.reason) || errors.Is(err, ErrNotGTD) != tt.notGTD {
				t.Errorf("error %q; want one saying %q, ErrNotGTD %v", err, tt.reason, tt.notGTD)
			}
		})
	}
}

func TestIsXLSX(t *testing.T) {
	path := filepath.Join(t.TempDir(), "a.xlsx")
	data, _ := generateGTD(3, 5)
	writeXLSX(t, path, gtdRecords(t, data))
	whole, _ := os.ReadFile(path)
	for _, tt := range []struct {
		data []byte
		want bool
	}{
		{whole, true}, {data, false}, {[]byte("PK"), false}, {nil, false}, {[]byte("PK\x03\x04rest"), true},
	} {
		if got := IsXLSX(bytes.NewReader(tt.data)); got != tt.want {
			t.Errorf("IsXLSX(%.10q) = %v, want %v", tt.data, got, tt.want)
		}
	}
}

func FuzzReadGTDXLSX(f *testing.F) {
	dir := f.TempDir()
	data, _ := generateGTD(5, 6)
	seed := filepath.Join(dir, "seed.xlsx")
	writeXLSX(f, seed, gtdRecords(f, data))
	whole, err := os.ReadFile(seed)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(whole)
	f.Add(whole[:len(whole)-40])
	f.Add([]byte("PK\x03\x04"))
	f.Fuzz(func(t *testing.T, b []byte) {
		path := filepath.Join(t.TempDir(), "f.xlsx")
		if err := os.WriteFile(path, b, 0o600); err != nil {
			t.Fatal(err)
		}
		got, st, err := readXLSX(t, path)
		if err != nil {
			if err.Error() == "" {
				t.Fatal("empty error")
			}
			return
		}
		if st.Rows != st.Incidents+st.Skipped || len(got) != st.Incidents {
			t.Fatalf("rows %d != incidents %d + skipped %d (emitted %d)", st.Rows, st.Incidents, st.Skipped, len(got))
		}
		for _, in := range got {
			if in.EventID == "" || in.Date.Year < 1 {
				t.Fatalf("incident without eventid or year: %+v", in)
			}
		}
	})
}
