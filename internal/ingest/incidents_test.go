package ingest_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/extract"
	"mosaic/internal/extract/ner"
	"mosaic/internal/ingest"
	"mosaic/internal/store"
)

// A GTD-layout table dropped into ingest becomes incidents, and documents
// whose text is each row's summary; a report's attack becomes an incident
// with its sentences; loading both again adds nothing.
func TestIngestIncidents(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	dir := t.TempDir()
	gtd := "eventid,iyear,imonth,iday,country,country_txt,region,region_txt,city,attacktype1,attacktype1_txt,gname,summary,nkill,nwound,crit1,crit2,crit3,doubtterr\n" +
		"201606249001,2016,6,24,603,United Kingdom,8,Western Europe,Birmingham,2,Armed Assault,Unknown,\"06/24/2016: An assailant stabbed two travellers at a coach station in Birmingham.\",0,2,1,1,1,0\n" +
		"201607229001,2016,7,22,200,Syria,10,Middle East & North Africa,Al Bukamal,3,Bombing/Explosion,Ansar al-Thughur,,2,-99,1,1,1,0\n"
	write(t, filepath.Join(dir, "table", "incidents.csv"), []byte(gtd))
	report := "Field report, 25 June 2016.\n\nKarim Bouzidi stabbed two travellers at the coach station in Digbeth, Birmingham, on Friday night. Both were taken to hospital with knife wounds.\n"
	write(t, filepath.Join(dir, "reports", "fr.txt"), []byte(report))
	ex := extract.New(append(extract.Patterns(), ner.Recognizer())...)
	for i := range 2 {
		stats, err := ingest.Run(ctx, st, ex, []string{dir}, options(), nil)
		if err != nil {
			t.Fatal(err)
		}
		if want := []int{3, 0}[i]; stats.Incidents != want {
			t.Errorf("run %d stored %d incidents, want %d", i+1, stats.Incidents, want)
		}
	}
	var got []mosaic.Incident
	if err := st.EachIncident(ctx, store.IncidentFilter{}, func(in mosaic.Incident) error {
		got = append(got, in)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("%d incidents stored, want 3: %+v", len(got), got)
	}
	var rows, text int
	for _, in := range got {
		switch {
		case in.EventID != "":
			rows++
			src := in.Sources[0]
			if src.Name != "GTD" || src.Doc == "" || src.Row < 2 {
				t.Errorf("GTD row %s: source %+v", in.EventID, src)
			}
			d, _, err := st.Document(ctx, src.Doc, store.Scope{})
			if err != nil {
				t.Fatalf("row %s's document: %v", in.EventID, err)
			}
			// Prose, not "crit1: 1": the summary, or what the row codes.
			if strings.Contains(d.Text, "crit1") || (in.Summary != "" && d.Text != in.Summary) {
				t.Errorf("row %s's document reads %q", in.EventID, d.Text)
			}
			if in.EventID == "201607229001" && (in.Wounded.Valid || !strings.Contains(d.Text, "Bombing/Explosion in Al Bukamal, Syria by Ansar al-Thughur")) {
				t.Errorf("row without a summary: wounded %+v, text %q", in.Wounded, d.Text)
			}
		default:
			text++
			if in.Date.String() != "2016-06-24" || in.Country.Name != "United Kingdom" {
				t.Errorf("report's attack: %s in %s, want 2016-06-24 in the United Kingdom", in.Date, in.Country.Name)
			}
			var attacker bool
			for _, a := range in.Actors {
				attacker = attacker || (a.Role == mosaic.RoleAttacker && a.Name == "Karim Bouzidi" && a.Doc != "")
			}
			if !attacker {
				t.Errorf("report's attack names no attacker Karim Bouzidi: %+v", in.Actors)
			}
			for _, ev := range in.Evidence {
				if ev.Doc == "" || !strings.Contains(report, ev.Quote) {
					t.Errorf("evidence %s quotes %q from document %q", ev.Field, ev.Quote, ev.Doc)
				}
			}
		}
	}
	if rows != 2 || text != 1 {
		t.Errorf("%d rows and %d text incidents, want 2 and 1", rows, text)
	}
}

// A GTD table keeps to the limits any file does, and one none of whose
// rows reads is reported failed, not held empty.
func TestIngestGTDLimits(t *testing.T) {
	st := openStore(t)
	dir := t.TempDir()
	header := "eventid,iyear,imonth,iday,country,country_txt,attacktype1,gname,summary\n"
	var big strings.Builder
	big.WriteString(header)
	for i := range 200 {
		big.WriteString("20160624" + strings.Repeat("0", 4-len(fmt.Sprint(i))) + fmt.Sprint(i) + ",2016,6,24,603,United Kingdom,2,Unknown,An assailant stabbed a traveller.\n")
	}
	write(t, filepath.Join(dir, "big.csv"), []byte(big.String()))
	write(t, filepath.Join(dir, "bad.csv"), []byte(header+",-9,0,0,603,United Kingdom,2,Unknown,\n,,,,,,,,\n"))
	opts := options()
	opts.Limits.MaxFileSize = 4096
	stats, events, err := run(t, st, []string{dir}, opts)
	if err != nil {
		t.Fatal(err)
	}
	if e := events["big.csv"]; e.Outcome != ingest.Failed || !errors.Is(e.Err, document.ErrTooLarge) {
		t.Errorf("a GTD table over the size limit: %s %v, want failed, too large", e.Outcome, e.Err)
	}
	if e := events["bad.csv"]; e.Outcome != ingest.Failed || !strings.Contains(e.Reason, "none of its 2 GTD rows") {
		t.Errorf("a GTD table without a readable row: %s %q, want failed, saying so", e.Outcome, e.Reason)
	}
	if stats.Incidents != 0 {
		t.Errorf("%d incidents stored from refused tables", stats.Incidents)
	}
}
