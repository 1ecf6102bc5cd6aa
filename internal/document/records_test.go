package document

import (
	"bufio"
	"encoding/csv"
	"os"
	"strings"
	"testing"
	"time"

	"mosaic"
)

func TestParseCSV(t *testing.T) {
	data := "name,date,city,note\r\n" +
		"Orla Brisk,2019-03-14,Kessling,\"met at the quay, twice\"\r\n" +
		"Edric Fenwold,,Harwick,\"wrote:\n\"\"see you\"\"\"\r\n" +
		",,,\r\n" +
		"Tamsin Quorlby,14 March 2019,Kessling\r\n"
	docs, err := Parse("contacts.csv", []byte(data), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, docs)
	if len(docs) != 3 {
		t.Fatalf("got %d documents, want 3 (the blank row skipped)", len(docs))
	}
	tests := []struct {
		source, title, text, date string
	}{
		{"contacts.csv#row=1", "Orla Brisk", "name: Orla Brisk\ndate: 2019-03-14\ncity: Kessling\nnote: met at the quay, twice", "2019-03-14"},
		{"contacts.csv#row=2", "Edric Fenwold", "name: Edric Fenwold\ncity: Harwick\nnote: wrote:\n\"see you\"", ""},
		{"contacts.csv#row=4", "Tamsin Quorlby", "name: Tamsin Quorlby\ndate: 14 March 2019\ncity: Kessling", "2019-03-14"},
	}
	for i, tt := range tests {
		d := docs[i]
		if d.Source != tt.source || d.Title != tt.title || d.Text != tt.text || d.Format != mosaic.FormatCSV {
			t.Errorf("row %d: source %q, title %q, format %s, text %q", i, d.Source, d.Title, d.Format, d.Text)
		}
		if got := d.Date.Format(time.DateOnly); (tt.date == "" && !d.Date.IsZero()) || (tt.date != "" && got != tt.date) {
			t.Errorf("row %d: date %v, want %q", i, d.Date, tt.date)
		}
		if d.Parent != mosaic.NewDocID([]byte(data)) {
			t.Errorf("row %d: parent is not the file", i)
		}
		if _, ok := d.Meta["date"]; ok && tt.date == "" {
			t.Errorf("row %d: empty value in meta", i)
		}
	}
	if docs[0].Meta["city"] != "Kessling" || len(docs[0].Meta) != 4 {
		t.Errorf("meta = %v", docs[0].Meta)
	}
	// The same row in another export with the same columns is the same
	// record; a changed value is another.
	again, err := Parse("elsewhere/copy.csv", []byte("name,date,city,note\nOrla Brisk,2019-03-14,Kessling,\"met at the quay, twice\"\n"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if again[0].ID != docs[0].ID {
		t.Error("the same record got another ID")
	}
	if docs[0].ID == docs[1].ID {
		t.Error("two records share an ID")
	}
}

func TestParseCSVDialects(t *testing.T) {
	tests := []struct {
		name, file, data string
		rows             int
		want             string // text of the first record
	}{
		{"semicolon", "eu.csv", "Name;Betrag;Ort\nOrla Brisk;1.200,50;Kessling\n", 1, "Name: Orla Brisk\nBetrag: 1.200,50\nOrt: Kessling"},
		{"tab", "x.tsv", "name\tcity\nOrla Brisk\tKessling, North\n", 1, "name: Orla Brisk\ncity: Kessling, North"},
		{"tab sniffed", "x.csv", "name\tcity\tnote\nOrla\tKessling\tx\n", 1, "name: Orla\ncity: Kessling\nnote: x"},
		{"quoted header with commas", "x.csv", "\"last, first\";\"city\"\nBrisk, Orla;Kessling\n", 1, "last, first: Brisk, Orla\ncity: Kessling"},
		{"ragged rows", "x.csv", "a,b\n1\n2,3,4\n", 2, "a: 1"},
		{"bom and blank header", "x.csv", "\ufeffa,,a\n1,2,3\n", 1, "a: 1\ncolumn 2: 2\na_2: 3"},
		{"bare quotes read leniently", "x.csv", "name,alias\nOrla Brisk,the \"Heron\"\n", 1, "name: Orla Brisk\nalias: the \"Heron\""},
		{"latin-1", "x.csv", "name,city\nJos\xe9 Marr\xf3n,K\xf6ln\n", 1, "name: José Marrón\ncity: Köln"},
		{"header only", "x.csv", "a,b,c\n", 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse(tt.file, []byte(tt.data), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkDocs(t, docs)
			if len(docs) != tt.rows {
				t.Fatalf("got %d records, want %d", len(docs), tt.rows)
			}
			if tt.rows > 0 && docs[0].Text != tt.want {
				t.Errorf("text = %q, want %q", docs[0].Text, tt.want)
			}
		})
	}
	docs, _ := Parse("x.csv", []byte("a,b\n1\n2,3,4\n"), DefaultLimits())
	if docs[1].Meta["column 3"] != "4" {
		t.Errorf("extra value lost: %v", docs[1].Meta)
	}
	if w := docs[0].Meta[mosaic.MetaWarning]; w != "" {
		t.Errorf("a well-formed file warns: %q", w)
	}
	// Quotes read leniently are said to be, with the line: a quote left
	// open swallows the rows after it into one field.
	open := "name,place,note\nthe courier,Lyon,\"met him\nthe buyer,Ghent,paid\n"
	docs, err := Parse("open.csv", []byte(open), DefaultLimits())
	if err != nil || len(docs) == 0 {
		t.Fatalf("open quote: %d records, %v", len(docs), err)
	}
	if w := docs[0].Meta[mosaic.MetaWarning]; !strings.Contains(w, "quotes malformed from line 2") || !strings.Contains(w, "read leniently") {
		t.Errorf("open quote: warning %q", w)
	}
}

func TestParseCSVRefused(t *testing.T) {
	unterminated := "name,note\nOrla,fine\nEdric,\"never closed\n" + strings.Repeat("more,lines\n", 500)
	tests := []struct {
		name, data string
		lim        Limits
		sentinel   error
		reason     string
	}{
		{"empty.csv", "", Limits{}, ErrCorrupt, "no header row"},
		{"blank.csv", "\n\n\n", Limits{}, ErrCorrupt, "no header row"},
		{"quote.csv", unterminated, Limits{}, ErrCorrupt, "corrupt CSV: line 3"},
		{"many.csv", "a\n1\n2\n3\n4\n5\n", Limits{MaxRecords: 2}, ErrTooLarge, "more than 2 records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse(tt.name, []byte(tt.data), tt.lim)
			wantErr(t, err, tt.sentinel, tt.name, tt.reason)
			if tt.sentinel == ErrTooLarge && len(docs) != tt.lim.MaxRecords {
				t.Errorf("got %d records with the error, want the first %d", len(docs), tt.lim.MaxRecords)
			}
		})
	}
}

// TestParseCSVGTD reads rows in the layout of a Global Terrorism Database
// export, written here with invented events.
func TestParseCSVGTD(t *testing.T) {
	f, err := os.Open("../../../shared/data/gtd/columns.txt")
	if err != nil {
		t.Skip("../shared/data/gtd/columns.txt is absent: ", err)
	}
	var columns []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		columns = append(columns, strings.TrimSpace(sc.Text()))
	}
	f.Close()
	if len(columns) != 135 {
		t.Fatalf("%d columns, want 135", len(columns))
	}
	rows := []map[string]string{
		{"eventid": "201603140001", "iyear": "2016", "imonth": "3", "iday": "14", "country_txt": "Freedonia", "city": "Kessling",
			"attacktype1_txt": "Bombing/Explosion", "gname": "Harbour Front", "nkill": "2", "nwound": "11",
			"summary": "03/14/2016: An explosive device detonated near the ferry office at Kessling Quay, killing two people and wounding eleven others. No group claimed responsibility for the incident at first."},
		{"eventid": "201607000002", "iyear": "2016", "imonth": "7", "iday": "0", "country_txt": "Freedonia", "city": "Harwick",
			"attacktype1_txt": "Armed Assault", "gname": "Harbour Front", "nkill": "0"},
		{"eventid": "201600000003", "iyear": "2016", "imonth": "0", "iday": "0", "city": "", "gname": "Unknown"},
	}
	var b strings.Builder
	w := csv.NewWriter(&b)
	w.Write(columns)
	for _, r := range rows {
		rec := make([]string, len(columns))
		for i, c := range columns {
			rec[i] = r[c]
		}
		w.Write(rec)
	}
	w.Flush()
	docs, err := Parse("gtd.csv", []byte(b.String()), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, docs)
	if len(docs) != 3 {
		t.Fatalf("got %d records", len(docs))
	}
	want := []struct{ title, date string }{
		{"03/14/2016: An explosive device detonated near the ferry office at Kessling Quay, killing two…", "2016-03-14"},
		{"Harbour Front in Harwick", "2016-07-01"},
		{"Unknown", "2016-01-01"},
	}
	for i, w := range want {
		if docs[i].Title != w.title || docs[i].Date.Format(time.DateOnly) != w.date {
			t.Errorf("record %d: title %q, date %v; want %q, %s", i, docs[i].Title, docs[i].Date, w.title, w.date)
		}
	}
	for _, s := range []string{"gname: Harbour Front\n", "nkill: 2\n", "attacktype1_txt: Bombing/Explosion\n"} {
		if !strings.Contains(docs[0].Text, s) {
			t.Errorf("text lacks %q:\n%s", s, docs[0].Text)
		}
	}
	if strings.Contains(docs[0].Text, "approxdate") || docs[1].Meta["nkill"] != "0" {
		t.Errorf("empty columns in the text, or a zero dropped: %v", docs[1].Meta)
	}
}

func TestParseJSON(t *testing.T) {
	tests := []struct {
		name, file, data string
		sources          []string
		texts            []string
		titles           []string
	}{
		{
			name: "array", file: "people.json",
			data:    `[{"name": "Orla Brisk", "age": 41, "address": {"city": "Kessling", "street": null}, "tags": ["broker", "ferry"]}, {"title": "Second", "ok": true}]`,
			sources: []string{"people.json#1", "people.json#2"},
			texts:   []string{"name: Orla Brisk\nage: 41\naddress.city: Kessling\ntags.0: broker\ntags.1: ferry", "title: Second\nok: true"},
			titles:  []string{"Orla Brisk", "Second"},
		},
		{
			name: "lines", file: "events.jsonl",
			data:    "{\"subject\": \"first\"}\n\n{\"id\": 12345678901234567890}\r\n",
			sources: []string{"events.jsonl#1", "events.jsonl#2"},
			texts:   []string{"subject: first", "id: 12345678901234567890"},
			titles:  []string{"first", "events.jsonl record 2"},
		},
		{
			name: "single object", file: "one.json",
			data:    "\ufeff{\"summary\": \"Meeting at the quay\", \"date\": \"2019-03-14T21:00:00Z\"}",
			sources: []string{"one.json#1"},
			texts:   []string{"summary: Meeting at the quay\ndate: 2019-03-14T21:00:00Z"},
			titles:  []string{"Meeting at the quay"},
		},
		{
			name: "scalars", file: "list.json",
			data:    `["a", 2]`,
			sources: []string{"list.json#1", "list.json#2"},
			texts:   []string{"value: a", "value: 2"},
			titles:  []string{"list.json record 1", "list.json record 2"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse(tt.file, []byte(tt.data), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkDocs(t, docs)
			if len(docs) != len(tt.sources) {
				t.Fatalf("got %d records, want %d", len(docs), len(tt.sources))
			}
			for i, d := range docs {
				if d.Source != tt.sources[i] || d.Text != tt.texts[i] || d.Title != tt.titles[i] || d.Format != mosaic.FormatJSON {
					t.Errorf("record %d: source %q, title %q, text %q", i, d.Source, d.Title, d.Text)
				}
				if d.Parent != mosaic.NewDocID([]byte(tt.data)) {
					t.Errorf("record %d: parent is not the file", i)
				}
			}
		})
	}
	// Re-indenting the file keeps the IDs.
	a, _ := Parse("a.json", []byte(`[{"a":1,"b":"x"}]`), DefaultLimits())
	b, _ := Parse("b.json", []byte("[\n  {\n    \"a\": 1,\n    \"b\": \"x\"\n  }\n]\n"), DefaultLimits())
	if a[0].ID != b[0].ID {
		t.Error("white space changed the record ID")
	}
	one, _ := Parse("one.json", []byte(tests[2].data), DefaultLimits())
	if want := time.Date(2019, 3, 14, 21, 0, 0, 0, time.UTC); !one[0].Date.Equal(want) {
		t.Errorf("date = %v, want %v", one[0].Date, want)
	}
}

func TestParseJSONRefused(t *testing.T) {
	deep := strings.Repeat(`{"a":`, 40) + "1" + strings.Repeat("}", 40)
	tests := []struct {
		name, data string
		lim        Limits
		sentinel   error
		reason     string
	}{
		{"syntax.json", "[{\"a\": 1},\n{\"b\": }]", Limits{}, ErrCorrupt, "corrupt JSON: line 2"},
		{"trailing.jsonl", "{\"a\": 1}\n{\"b\"", Limits{}, ErrCorrupt, "corrupt JSON: line 2"},
		{"deep.json", deep, Limits{}, ErrCorrupt, "nested more than 32 deep"},
		{"very-deep.json", strings.Repeat("[", 200_000), Limits{}, ErrCorrupt, "corrupt JSON"},
		{"empty.json", "  \n", Limits{}, ErrCorrupt, "no records"},
		{"many.json", "[1,2,3,4,5]", Limits{MaxRecords: 3}, ErrTooLarge, "more than 3 records"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse(tt.name, []byte(tt.data), tt.lim)
			wantErr(t, err, tt.sentinel, tt.name, tt.reason)
			if tt.sentinel == ErrTooLarge && len(docs) != tt.lim.MaxRecords {
				t.Errorf("got %d records with the error, want %d", len(docs), tt.lim.MaxRecords)
			}
		})
	}
}

func TestTruncate(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"one two three four", 10, "one two…"},
		{"abcdefghijklmnop", 5, "abcde…"},
		{"ééééé ééééé", 7, "ééééé…"},
	} {
		if got := truncate(tt.in, tt.n); got != tt.want {
			t.Errorf("truncate(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}
