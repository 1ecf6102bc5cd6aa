package entity

import (
	"bytes"
	"compress/gzip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// testList is a fictional list.
var testList = []store.WatchlistEntry{
	{List: "Test", ID: "1", Name: "Harbour Watch Collective", Aliases: []string{"Tide Wardens", "HWC"}, Programme: "ports", Kind: mosaic.Org},
	{List: "Test", ID: "2", Name: "Jama'at Ansar al-Thughur", Aliases: []string{"Frontier Helpers"}, Kind: mosaic.Org},
	{List: "Test", ID: "3", Name: "Marek OSTROWSKI", Aliases: []string{"Marek Ostrovsky"}, Kind: mosaic.Person},
	{List: "Test", ID: "4", Name: "Kestrel Relief Fund", Kind: mosaic.Org},
	{List: "Test", ID: "5", Name: "Kestrel Relief Fund", Kind: mosaic.Org},
	{List: "Test", ID: "6", Name: "Arden Ferry Lines", Aliases: []string{"AFL", "Arden Ferries"}, Kind: mosaic.Org},
	{List: "Test", ID: "7", Name: "Islamic Relief Agency", Kind: mosaic.Org},
	{List: "Test", ID: "8", Name: "Arden Airlines", Kind: mosaic.Org},
}

func TestWatchlistMatch(t *testing.T) {
	w := NewWatchlist(testList)
	tests := []struct {
		name   string
		typ    mosaic.MentionType
		want   string // entry ID, or "" for no match
		listed string
	}{
		{"Tide Wardens", mosaic.Org, "1", "Tide Wardens"},
		{"TIDE  WARDENS", mosaic.Misc, "1", "Tide Wardens"},
		{"the Harbour Watch Collective", mosaic.Org, "1", "Harbour Watch Collective"},
		{"Jamaat Ansar al-Thughur", mosaic.Org, "2", "Jama'at Ansar al-Thughur"},
		{"Ansar al-Thughur", mosaic.Org, "2", "Jama'at Ansar al-Thughur"},
		{"Marek Ostrowski", mosaic.Person, "3", "Marek OSTROWSKI"},
		{"OSTROWSKI, Marek", mosaic.Person, "3", "Marek OSTROWSKI"},
		// A person matches only exactly, and only a person's entry.
		{"Marek Ostrowsky", mosaic.Person, "", ""},
		{"Ostrowski", mosaic.Person, "", ""},
		{"Marek Ostrowski", mosaic.Org, "", ""},
		{"Tide Wardens", mosaic.Person, "", ""},
		// No places; no initials alone; nothing two entries list.
		{"Tide Wardens", mosaic.Location, "", ""},
		{"JAT", mosaic.Org, "", ""},
		{"Kestrel Relief Fund", mosaic.Org, "", ""},
		// One word matches only exactly, and three capitals not at all;
		// a telling word left over on either side is another name.
		{"Arden Ferries", mosaic.Org, "6", "Arden Ferries"},
		{"Arden", mosaic.Misc, "", ""},
		{"AFL", mosaic.Org, "", ""},
		{"Arden Ferry", mosaic.Org, "", ""},
		{"Arden Ferry Lines Holding", mosaic.Org, "6", "Arden Ferry Lines"},
		{"Jama'at Ansar al-Janub", mosaic.Org, "", ""},
		{"Arden Air", mosaic.Org, "", ""},
		{"Islamic Relief", mosaic.Org, "", ""},
		// Heads and relations apply: the coalition against it is not it.
		{"Counter-Tide Wardens Coalition", mosaic.Org, "", ""},
		{"Harbour Watch Battalion", mosaic.Org, "", ""},
		{"Harbour Police", mosaic.Org, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name+"/"+string(tt.typ), func(t *testing.T) {
			l, ok := w.Match(tt.name, tt.typ)
			if got := l.Entry.ID; ok != (tt.want != "") || got != tt.want || ok && l.Listed != tt.listed {
				t.Errorf("Match = %q (listed %q, score %.2f, ok %v), want %q (listed %q)", got, l.Listed, l.Score, ok, tt.want, tt.listed)
			}
		})
	}
	var nilList *Watchlist
	if _, ok := nilList.Match("Tide Wardens", mosaic.Org); ok {
		t.Error("a nil watchlist matched")
	}
}

func TestListingReason(t *testing.T) {
	e := testList[0]
	for _, tt := range []struct {
		l    Listing
		want string
	}{
		{Listing{Entry: e, Listed: "Tide Wardens", Score: 1}, `watchlist Test 1 (ports): aliases "Tide Wardens" and "Harbour Watch Collective"`},
		{Listing{Entry: e, Listed: "Harbour Watch Collective", Score: 1}, `watchlist Test 1 (ports): the listed name "Harbour Watch Collective"`},
		{Listing{Entry: e, Listed: "Harbour Watch Collective", Score: 0.9}, `watchlist Test 1 (ports): "the Harbour Watch" matches the listed name "Harbour Watch Collective" (score 0.90); the listed name "Harbour Watch Collective"`},
	} {
		if got := tt.l.Reason("the Harbour Watch"); got != tt.want {
			t.Errorf("Reason = %s\nwant     %s", got, tt.want)
		}
	}
}

func TestParseWatchlistCSV(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string // "id|name|aliases|programme|kind"
		list     string
		err      string
	}{
		{
			name: "header and kinds",
			in:   "list,id,name,aliases,programme,kind\nLocal,17,Harbour Watch Collective,Tide Wardens; HWC ;,ports,organisation\nLocal,18,Marek Ostrowski,,,person\n",
			list: "Local",
			want: []string{"17|Harbour Watch Collective|Tide Wardens;HWC|ports|ORG", "18|Marek Ostrowski|||PERSON"},
		},
		{
			name: "three columns, no header, quoted commas",
			in:   "Local,a1,\"Kestrel Relief Fund, Ltd\"\n\nLocal,a2,Orchard Aid Trust\n",
			list: "Local",
			want: []string{"a1|Kestrel Relief Fund, Ltd|||", "a2|Orchard Aid Trust|||"},
		},
		{name: "no name", in: "Local,1,\n", err: "row 1"},
		{name: "two lists", in: "A,1,X\nB,2,Y\n", err: "row 2"},
		{name: "id twice", in: "A,1,X\nA,1,Y\n", err: "twice"},
		{name: "bad kind", in: "A,1,X,,,vessel\n", err: "kind"},
		{name: "too many columns", in: "A,1,X,,,,extra\n", err: "columns"},
		{name: "empty", in: "list,id,name\n", err: "no entries"},
		{name: "bad quoting", in: "A,1,\"X\n", err: "watchlist"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list, es, err := ParseWatchlistCSV(strings.NewReader(tt.in))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("err = %v, want one saying %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, e := range es {
				if e.List != list {
					t.Errorf("entry %s names list %q, want %q", e.ID, e.List, list)
				}
				got = append(got, strings.Join([]string{e.ID, e.Name, strings.Join(e.Aliases, ";"), e.Programme, string(e.Kind)}, "|"))
			}
			if list != tt.list || strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("list %q entries\n%s\nwant %q\n%s", list, strings.Join(got, "\n"), tt.list, strings.Join(tt.want, "\n"))
			}
		})
	}
}

func FuzzParseWatchlistCSV(f *testing.F) {
	for _, s := range []string{
		"list,id,name,aliases,programme,kind\nLocal,17,Harbour Watch Collective,Tide Wardens;HWC,ports,organisation\n",
		"A,1,X\nA,2,Y,,,person\n", "A,1,\"X\n", "\xff,\xfe,\xfd", ",,,,,,", "A,1,X;Y;;;,;,\t", "list,id\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		list, es, err := ParseWatchlistCSV(strings.NewReader(in))
		if err != nil {
			return
		}
		ids := map[string]bool{}
		for _, e := range es {
			if e.List != list || e.ID == "" || e.Name == "" || ids[e.ID] {
				t.Fatalf("entry %+v of list %q", e, list)
			}
			ids[e.ID] = true
			for _, a := range append([]string{e.Name, e.ID, e.List, e.Programme}, e.Aliases...) {
				if strings.ContainsAny(a, "\t\n;") && a != e.Name || strings.ContainsAny(a, "\t\n") {
					t.Fatalf("field %q keeps a separator", a)
				}
			}
		}
		// What parses round-trips through the built-in list's format.
		var buf bytes.Buffer
		if err := WriteWatchlistTSV(&buf, es); err != nil {
			t.Fatal(err)
		}
		zr, err := gzip.NewReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		back, err := ReadWatchlistTSV(zr)
		if err != nil || len(back) != len(es) {
			t.Fatalf("round trip: %d entries of %d, err %v", len(back), len(es), err)
		}
		NewWatchlist(es).Match(es[0].Name, mosaic.Org)
	})
}

// TestBuiltinWatchlist: the embedded list holds OFAC's counter-terrorism
// entries, and one of them lists the group's Arabic acronym beside its
// English names; regenerating it from ../shared gives the same bytes.
func TestBuiltinWatchlist(t *testing.T) {
	es, err := BuiltinWatchlist()
	if err != nil {
		t.Fatal(err)
	}
	if len(es) < 1000 {
		t.Fatalf("%d entries", len(es))
	}
	w := NewWatchlist(es)
	a, okA := w.Match("Daesh", mosaic.Org)
	b, okB := w.Match("Islamic State of Iraq and the Levant", mosaic.Org)
	c, okC := w.Match("ISIS", mosaic.Misc)
	if !okA || !okB || !okC || a.Key() != b.Key() || b.Key() != c.Key() || !strings.Contains(a.Entry.Programme, "SDGT") {
		t.Errorf("Daesh %v %+v, ISIL %v %+v, ISIS %v %+v: want one SDGT entry", okA, a.Entry.ID, okB, b.Entry.ID, okC, c.Entry.ID)
	}
	for _, name := range []string{"Counter-Daesh Coalition", "Global Coalition", "Syrian National Coalition", "anti-ISIS forces"} {
		if l, ok := w.Match(name, mosaic.Org); ok {
			t.Errorf("%q matched %s %s (%q, %.2f)", name, l.Entry.ID, l.Entry.Name, l.Listed, l.Score)
		}
	}
	if _, err := os.Stat(filepath.Join(ofacDir, "sdn.csv")); err != nil {
		t.Skipf("OFAC data not found at %s: the embedded list is not compared with its source", ofacDir)
	}
	fresh, err := OFACWatchlist(ofacDir)
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := WriteWatchlistTSV(&buf, fresh); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(buf.Bytes(), builtinOFAC) {
		t.Error("the embedded list differs from one generated from ../shared: run go generate ./internal/entity")
	}
}
