package incident

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/transform"

	"mosaic"
)

func readAll(t testing.TB, data []byte) ([]mosaic.Incident, Stats, error) {
	t.Helper()
	var got []mosaic.Incident
	st, err := ReadGTD(bytes.NewReader(data), func(in mosaic.Incident) error {
		got = append(got, in)
		return nil
	})
	return got, st, err
}

// TestReadGTDRows reads testdata/gtd/rows.csv, rows written for this test
// in windows-1252 with columns reordered, one extra and many absent, and
// checks each incident against the values written into it by hand.
func TestReadGTDRows(t *testing.T) {
	data, err := os.ReadFile("testdata/gtd/rows.csv")
	if err != nil {
		t.Fatal(err)
	}
	got, st, err := readAll(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if st.Rows != 9 || st.Incidents != 6 || st.Skipped != 3 {
		t.Errorf("rows %d, incidents %d, skipped %d; want 9, 6, 3", st.Rows, st.Incidents, st.Skipped)
	}
	if st.Encoding != "windows-1252" {
		t.Errorf("encoding %q, want windows-1252", st.Encoding)
	}
	for _, c := range []string{"attacktype3", "gname3", "weaptype4", "natlty2_txt"} {
		if !contains(st.Absent, c) {
			t.Errorf("absent columns %v lack %s", st.Absent, c)
		}
	}
	for _, c := range []string{"eventid", "nkill", "summary"} {
		if contains(st.Absent, c) {
			t.Errorf("absent columns %v name %s, which the file has", st.Absent, c)
		}
	}
	wantErrs := []struct {
		row    int
		column string
	}{{5, ""}, {6, "iday"}, {6, "latitude"}, {6, "nkill"}, {8, "eventid"}, {10, "iyear"}}
	if st.Failed != len(wantErrs) || len(st.Errors) != len(wantErrs) {
		t.Fatalf("failed %d, errors %v; want %d", st.Failed, st.Errors, len(wantErrs))
	}
	for _, w := range wantErrs {
		found := false
		for _, e := range st.Errors {
			found = found || (e.Row == w.row && e.Column == w.column)
		}
		if !found {
			t.Errorf("no error at row %d column %q in %v", w.row, w.column, st.Errors)
		}
	}

	byID := map[string]mosaic.Incident{}
	for _, in := range got {
		byID[in.EventID] = in
	}
	some := mosaic.Some[int]
	yes, no := mosaic.Some(true), mosaic.Some(false)
	tests := []struct {
		id   string
		want mosaic.Incident
	}{
		{"201607010001", mosaic.Incident{
			EventID: "201607010001",
			Date:    mosaic.IncidentDate{Year: 2016, Month: mosaic.Some(time.July), Day: some(1)},
			Country: mosaic.Code{ID: 50, Name: "Bangladesh"}, Region: mosaic.Code{ID: 6, Name: "South Asia"},
			Province: "Dhaka", City: "Dhaka",
			Latitude: mosaic.Some(23.81), Longitude: mosaic.Some(90.41),
			AttackTypes:   []mosaic.Code{{ID: 2, Name: "Armed Assault"}},
			WeaponTypes:   []mosaic.Code{{ID: 5, Name: "Firearms"}},
			TargetTypes:   []mosaic.Code{{ID: 1, Name: "Business"}},
			Nationalities: []mosaic.Code{{ID: 50, Name: "Bangladesh"}},
			Perpetrators:  []string{"Test Group One"},
			Claimed:       yes, Killed: some(29), Wounded: some(50),
			Doubt: no, Crit1: yes, Crit2: yes, Crit3: yes,
			Summary:     "Gunmen held diners at a café overnight.",
			Attribution: mosaic.AttributionUnknown,
			Sources:     []mosaic.IncidentSource{{Name: "GTD", Row: 2}},
		}},
		{"201500000001", mosaic.Incident{
			EventID:    "201500000001",
			Date:       mosaic.IncidentDate{Year: 2015},
			ApproxDate: "spring 2015",
			Country:    mosaic.Code{ID: 147, Name: "Nigeria"}, Region: mosaic.Code{ID: 11, Name: "Sub-Saharan Africa"},
			Province: "Borno", City: "Maiduguri",
			AttackTypes:  []mosaic.Code{{ID: 3, Name: "Bombing/Explosion"}, {ID: 9, Name: "Unknown"}},
			WeaponTypes:  []mosaic.Code{{ID: 6, Name: "Explosives"}},
			TargetTypes:  []mosaic.Code{{ID: 14, Name: "Private Citizens & Property"}},
			Perpetrators: []string{"Unknown"},
			Doubt:        yes, Crit1: yes, Crit2: yes, Crit3: no,
			Summary:     "A device went off at a market.",
			Attribution: mosaic.AttributionUnknown,
			Sources:     []mosaic.IncidentSource{{Name: "GTD", Row: 3}},
		}},
		{"201607260002", mosaic.Incident{
			EventID: "201607260002",
			Date:    mosaic.IncidentDate{Year: 2016, Month: mosaic.Some(time.July), Day: some(26)},
			Country: mosaic.Code{ID: 69, Name: "France"}, Region: mosaic.Code{ID: 8, Name: "Western Europe"},
			Province: "Normandie", City: "Saint-Étienne-du-Rouvray",
			Latitude: mosaic.Some(49.38), Longitude: mosaic.Some(1.10),
			AttackTypes:   []mosaic.Code{{ID: 2, Name: "Armed Assault"}},
			WeaponTypes:   []mosaic.Code{{ID: 9, Name: "Melee"}},
			TargetTypes:   []mosaic.Code{{ID: 15, Name: "Religious Figures/Institutions"}},
			Nationalities: []mosaic.Code{{ID: 69, Name: "France"}},
			Perpetrators:  []string{"Test Group One", "Test Group Two"},
			Claimed:       yes, Killed: some(3), Wounded: some(1),
			Doubt: no, Crit1: yes, Crit2: yes, Crit3: yes,
			Summary:     "Two men with knives entered a church during mass; the priest was killed.",
			Attribution: mosaic.AttributionUnknown,
			Sources:     []mosaic.IncidentSource{{Name: "GTD", Row: 4}},
		}},
		{"201702000003", mosaic.Incident{
			EventID: "201702000003",
			Date:    mosaic.IncidentDate{Year: 2017, Month: mosaic.Some(time.February)},
			Country: mosaic.Code{ID: 95, Name: "Iraq"}, Region: mosaic.Code{ID: 10, Name: "Middle East & North Africa"},
			City:         "Mosul",
			Longitude:    mosaic.Some(43.1),
			AttackTypes:  []mosaic.Code{{ID: 3, Name: "Bombing/Explosion"}},
			WeaponTypes:  []mosaic.Code{{ID: 6, Name: "Explosives"}},
			Perpetrators: []string{"Test Group One"},
			Claimed:      no, Wounded: some(4),
			Doubt: no, Crit1: yes, Crit2: yes, Crit3: yes,
			Attribution: mosaic.AttributionUnknown,
			Sources:     []mosaic.IncidentSource{{Name: "GTD", Row: 6}},
		}},
		{"199003050001", mosaic.Incident{
			EventID: "199003050001",
			Date:    mosaic.IncidentDate{Year: 1990, Month: mosaic.Some(time.March), Day: some(5)},
			Country: mosaic.Code{ID: 200, Name: "South Africa"}, Region: mosaic.Code{ID: 11, Name: "Sub-Saharan Africa"},
			City:     "Cape Town",
			Latitude: mosaic.Some(-33.92), Longitude: mosaic.Some(18.42),
			AttackTypes:  []mosaic.Code{{ID: 7, Name: "Facility/Infrastructure Attack"}},
			WeaponTypes:  []mosaic.Code{{ID: 8, Name: "Incendiary"}},
			Perpetrators: []string{"Test Group Three"},
			Claimed:      no, Killed: some(0), Wounded: some(0),
			Crit1: yes, Crit2: yes, Crit3: yes,
			Summary:     "Attackers shouted \"no surrender\", then fled,\nleaving a note.",
			Attribution: mosaic.AttributionUnknown,
			Sources:     []mosaic.IncidentSource{{Name: "GTD", Row: 7}},
		}},
		{"199805000001", mosaic.Incident{
			EventID: "199805000001",
			Date:    mosaic.IncidentDate{Year: 1998, Month: mosaic.Some(time.May)},
			Country: mosaic.Code{ID: 4, Name: "Afghanistan"}, Region: mosaic.Code{ID: 6, Name: "South Asia"},
			City:         "Kabul",
			AttackTypes:  []mosaic.Code{{ID: 1, Name: "Assassination"}},
			WeaponTypes:  []mosaic.Code{{ID: 5, Name: "Firearms"}},
			Perpetrators: []string{"Test Group Four", "Test Group Five"},
			Claimed:      yes, Killed: some(3), Wounded: some(0),
			Crit1: yes, Crit3: yes,
			Attribution: mosaic.AttributionUnknown,
			Sources:     []mosaic.IncidentSource{{Name: "GTD", Row: 9}},
		}},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			g, ok := byID[tt.id]
			if !ok {
				t.Fatalf("no incident %s", tt.id)
			}
			if !reflect.DeepEqual(g, tt.want) {
				gj, _ := json.MarshalIndent(g, "", " ")
				wj, _ := json.MarshalIndent(tt.want, "", " ")
				t.Errorf("got\n%s\nwant\n%s", gj, wj)
			}
		})
	}

	// Strict keeps rows 2, 4, 6 (crit 1-1-1, no doubt) and 7 (doubt
	// unknown); it drops row 3 (crit3 0, doubted) and row 9 (crit2 blank).
	var strict []string
	for _, in := range got {
		if Included(in, Strict) {
			strict = append(strict, in.EventID)
		}
		if !Included(in, All) {
			t.Errorf("%s not included by %q", in.EventID, All)
		}
		if Included(in, "al") {
			t.Errorf("%s included by an unknown rule", in.EventID)
		}
	}
	want := []string{"201607010001", "201607260002", "201702000003", "199003050001"}
	if !reflect.DeepEqual(strict, want) {
		t.Errorf("strict includes %v, want %v", strict, want)
	}
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// TestReadGTDUTF8 reads a UTF-8 file with a byte-order mark (as Excel
// writes it) and upper-case column names.
func TestReadGTDUTF8(t *testing.T) {
	data := "\ufeffEVENTID,iyear,imonth,iday,country,country_txt,attacktype1,gname,city\n" +
		"201601020001,2016,1,2,69,France,2,Groupe Ã©tude,Saint-Étienne\n"
	got, st, err := readAll(t, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if st.Encoding != "utf-8" || len(got) != 1 {
		t.Fatalf("encoding %q, %d incidents; want utf-8, 1", st.Encoding, len(got))
	}
	// "Ã©" is valid UTF-8 and stays as written in a UTF-8 file.
	if got[0].City != "Saint-Étienne" || got[0].Perpetrators[0] != "Groupe Ã©tude" || got[0].EventID != "201601020001" {
		t.Errorf("got %+v", got[0])
	}
	if got[0].Killed.Valid || got[0].Crit1.Valid || got[0].Doubt.Valid {
		t.Errorf("absent columns read as known: %+v", got[0])
	}
	if Included(got[0], Strict) {
		t.Error("an incident with no criteria passes the strict rule")
	}
}

func TestReadGTDNotGTD(t *testing.T) {
	for name, data := range map[string]string{
		"other csv": "name,date,text\nA,2016-01-01,hello\n",
		"empty":     "",
		"partial":   "eventid,iyear,imonth,iday,country_txt\n1,2016,1,1,France\n",
	} {
		t.Run(name, func(t *testing.T) {
			_, _, err := readAll(t, []byte(data))
			if !errors.Is(err, ErrNotGTD) {
				t.Fatalf("err %v, want ErrNotGTD", err)
			}
			if name == "partial" && !strings.Contains(err.Error(), "country, attacktype1, gname") {
				t.Errorf("error %q does not name the missing columns", err)
			}
		})
	}
}

// TestReadGTDEmitError stops at the first error emit returns.
func TestReadGTDEmitError(t *testing.T) {
	data, err := os.ReadFile("testdata/gtd/rows.csv")
	if err != nil {
		t.Fatal(err)
	}
	stop := errors.New("stop")
	n := 0
	st, err := ReadGTD(bytes.NewReader(data), func(mosaic.Incident) error {
		n++
		if n == 2 {
			return stop
		}
		return nil
	})
	if !errors.Is(err, stop) || n != 2 || st.Incidents != 1 {
		t.Errorf("err %v after %d calls, %d incidents; want stop after 2, 1", err, n, st.Incidents)
	}
}

// TestGTDColumnsMatchLayout checks the column names ReadGTD reads against
// the 135-column layout in ../shared.
func TestGTDColumnsMatchLayout(t *testing.T) {
	f, err := os.Open("../../../shared/data/gtd/columns.txt")
	if err != nil {
		t.Skip("../shared/data/gtd/columns.txt is absent: ", err)
	}
	defer f.Close()
	var cols []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if c := strings.TrimSpace(sc.Text()); c != "" {
			cols = append(cols, c)
		}
	}
	if len(cols) != 135 {
		t.Fatalf("layout has %d columns, want 135", len(cols))
	}
	if m := MissingGTDColumns(cols); len(m) > 0 {
		t.Errorf("layout lacks required %v", m)
	}
	for _, c := range gtdOptional {
		if !contains(cols, c) {
			t.Errorf("ReadGTD reads %s, which the layout lacks", c)
		}
	}
}

// TestTextDecoder checks the streaming decoder against x/text's own
// windows-1252 decoder on text longer than transform's buffers, with the
// first non-UTF-8 byte at the start, across a buffer boundary and late.
func TestTextDecoder(t *testing.T) {
	latin := func(s string) []byte {
		b, err := charmap.Windows1252.NewEncoder().Bytes([]byte(s))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	long := strings.Repeat("Saint-Étienne, “quoted” café; ", 700)
	for name, data := range map[string][]byte{
		"latin from start":   latin(long),
		"latin at boundary":  append([]byte(strings.Repeat("a", 4095)), latin(long)...),
		"latin late":         append([]byte(strings.Repeat("b", 9000)), latin(long)...),
		"utf-8 across edges": []byte(strings.Repeat("a€", 5000)),
		// After the first bad byte, C3 A9 is "Ã©" as written, not "é".
		"latin then Ã©": latin("é then Ã© " + long),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := io.ReadAll(transform.NewReader(bytes.NewReader(data), &textDecoder{}))
			if err != nil {
				t.Fatal(err)
			}
			want := data
			if !utf8.Valid(data) {
				want, _ = charmap.Windows1252.NewDecoder().Bytes(data)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("decoded %d bytes differ from the %d expected", len(got), len(want))
			}
		})
	}
}

// TestIncidentJSON checks that unknown stays unknown through JSON and
// that a known zero stays a zero.
func TestIncidentJSON(t *testing.T) {
	in := mosaic.Incident{
		EventID: "1",
		Date:    mosaic.IncidentDate{Year: 2016, Month: mosaic.Some(time.July)},
		Killed:  mosaic.Some(0),
		Sources: []mosaic.IncidentSource{{Name: "GTD", Row: 2}},
	}
	b, err := json.Marshal(in)
	if err != nil {
		t.Fatal(err)
	}
	want := `{"event_id":"1","date":"2016-07","killed":0,"sources":[{"name":"GTD","row":2}]}`
	if string(b) != want {
		t.Errorf("json %s, want %s", b, want)
	}
	var back mosaic.Incident
	if err := json.Unmarshal(b, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, in) {
		t.Errorf("round trip %+v, want %+v", back, in)
	}
	var null struct{ Killed mosaic.Known[int] }
	if err := json.Unmarshal([]byte(`{"Killed":null}`), &null); err != nil || null.Killed.Valid {
		t.Errorf("null read as %+v, %v", null.Killed, err)
	}
	for _, bad := range []string{`"2016-13"`, `"2017-02-29"`, `"16"`, `"2016-07-01-02"`, `"2016-00"`} {
		var d mosaic.IncidentDate
		if err := json.Unmarshal([]byte(bad), &d); err == nil {
			t.Errorf("date %s read as %v", bad, d)
		}
	}
}

func FuzzReadGTD(f *testing.F) {
	if data, err := os.ReadFile("testdata/gtd/rows.csv"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("eventid,iyear,imonth,iday,country,country_txt,attacktype1,gname,nkill,latitude\n1,2016,2,29,4,A,1,G,-99,1e400\n"))
	f.Add([]byte("eventid,iyear,imonth,iday,country,country_txt,attacktype1,gname\n\"1,2\xe9\",0,0,0,,,,\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got, st, err := readAll(t, data)
		if err != nil {
			return
		}
		if st.Rows != st.Incidents+st.Skipped || len(got) != st.Incidents {
			t.Fatalf("rows %d != incidents %d + skipped %d (emitted %d)", st.Rows, st.Incidents, st.Skipped, len(got))
		}
		for _, in := range got {
			if in.EventID == "" || in.Date.Year < 1 {
				t.Fatalf("incident without eventid or year: %+v", in)
			}
			if in.Date.Day.Valid {
				if _, ok := in.Date.Time(); !ok {
					t.Fatalf("day known without a month: %+v", in.Date)
				}
			}
			if (in.Killed.Valid && in.Killed.Value < 0) || (in.Wounded.Valid && in.Wounded.Value < 0) {
				t.Fatalf("negative count: %+v", in)
			}
			b, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			var back mosaic.Incident
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatalf("unmarshal %s: %v", b, err)
			}
			if !reflect.DeepEqual(back, in) {
				t.Fatalf("JSON round trip changed %+v into %+v", in, back)
			}
		}
	})
}

// TestReadGTDUnknownYear skips a row whose year is unknown: it cannot be
// placed in any series.
func TestReadGTDUnknownYear(t *testing.T) {
	data := "eventid,iyear,imonth,iday,country,country_txt,attacktype1,gname\n" +
		"1,-9,1,1,4,A,1,G\n2,,1,1,4,A,1,G\n3,2016,1,1,4,A,1,G\n"
	got, st, err := readAll(t, []byte(data))
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].EventID != "3" || st.Skipped != 2 || st.Failed != 2 {
		t.Fatalf("got %d incidents, stats %+v; want only eventid 3, two skipped", len(got), st)
	}
	for i, e := range st.Errors {
		if e.Row != i+2 || e.Column != "iyear" || e.Reason != "unknown year" {
			t.Errorf("error %d: %v, want row %d: iyear: unknown year", i, e, i+2)
		}
	}
}
