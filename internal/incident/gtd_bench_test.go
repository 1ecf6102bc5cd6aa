package incident

import (
	"bytes"
	"encoding/csv"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"mosaic"
)

// genTruth is what generated rows hold, counted as they are written, so
// that a read can be checked against it.
type genTruth struct {
	rows, killedKnown, killedSum, monthUnknown, strict int
}

// generateGTD writes n GTD-layout rows of 135 columns, the columns ReadGTD
// reads among filler ones, with summaries of a few hundred bytes as in a
// real release, unknown codes (-9, -99, 0, blanks) and a windows-1252 byte
// in one row in a hundred.
func generateGTD(n int, seed uint64) ([]byte, genTruth) {
	rng := rand.New(rand.NewPCG(seed, 13))
	cols := append(append([]string{}, gtdRequired...), gtdOptional...)
	for i := len(cols); i < 135; i++ {
		cols = append(cols, "filler"+strconv.Itoa(i))
	}
	at := make(map[string]int, len(cols))
	for i, c := range cols {
		at[c] = i
	}
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	w.Write(cols)
	var truth genTruth
	words := strings.Fields("the attackers opened fire on a checkpoint near market police said device exploded outside station group claimed responsibility statement")
	rec := make([]string, len(cols))
	for r := range n {
		for i := range rec {
			rec[i] = ""
		}
		for i := 51; i < len(rec); i++ {
			rec[i] = strconv.Itoa(rng.IntN(10))
		}
		year := 1970 + rng.IntN(50)
		month := rng.IntN(13) // 0 is unknown, as GTD writes it
		day := 0
		if month > 0 {
			day = rng.IntN(29)
		} else {
			truth.monthUnknown++
		}
		set := func(c, v string) { rec[at[c]] = v }
		set("eventid", fmt.Sprintf("%04d%02d%02d%04d", year, month, day, r%10000))
		set("iyear", strconv.Itoa(year))
		set("imonth", strconv.Itoa(month))
		set("iday", strconv.Itoa(day))
		set("country", strconv.Itoa(1+rng.IntN(1000)))
		set("country_txt", "Country "+strconv.Itoa(rng.IntN(200)))
		set("region", strconv.Itoa(1+rng.IntN(12)))
		set("region_txt", "Region")
		set("city", "City "+strconv.Itoa(rng.IntN(5000)))
		set("latitude", strconv.FormatFloat(rng.Float64()*180-90, 'f', 6, 64))
		set("longitude", strconv.FormatFloat(rng.Float64()*360-180, 'f', 6, 64))
		set("attacktype1", strconv.Itoa(1+rng.IntN(9)))
		set("attacktype1_txt", "Armed Assault")
		set("targtype1", strconv.Itoa(1+rng.IntN(22)))
		set("targtype1_txt", "Private Citizens & Property")
		set("weaptype1", strconv.Itoa(1+rng.IntN(13)))
		set("weaptype1_txt", "Firearms")
		set("natlty1", strconv.Itoa(1+rng.IntN(1000)))
		set("gname", "Group "+strconv.Itoa(rng.IntN(300)))
		set("claimed", []string{"0", "1", "-9", ""}[rng.IntN(4)])
		switch k := rng.IntN(10); {
		case k == 0:
			set("nkill", "")
		case k == 1:
			set("nkill", "-99")
		default:
			v := rng.IntN(20)
			set("nkill", strconv.Itoa(v))
			truth.killedKnown++
			truth.killedSum += v
		}
		set("nwound", strconv.Itoa(rng.IntN(30)))
		c1, c2, c3 := rng.IntN(10) > 0, rng.IntN(10) > 0, rng.IntN(10) > 0
		doubt := []string{"0", "1", "-9"}[rng.IntN(3)]
		for c, v := range map[string]bool{"crit1": c1, "crit2": c2, "crit3": c3} {
			set(c, map[bool]string{true: "1", false: "0"}[v])
		}
		set("doubtterr", doubt)
		if c1 && c2 && c3 && doubt != "1" {
			truth.strict++
		}
		var s strings.Builder
		for s.Len() < 300 {
			s.WriteString(words[rng.IntN(len(words))])
			s.WriteByte(' ')
		}
		if r%100 == 0 {
			s.WriteString("caf\xe9")
		}
		set("summary", s.String())
		w.Write(rec)
		truth.rows++
	}
	w.Flush()
	return buf.Bytes(), truth
}

// TestGeneratedGTD reads generated rows and checks the counts against
// those kept while writing them: known deaths and their sum, unknown
// months, and the strict rule's count.
func TestGeneratedGTD(t *testing.T) {
	data, truth := generateGTD(5000, 1)
	var killedKnown, killedSum, monthUnknown, strict int
	st, err := ReadGTD(bytes.NewReader(data), func(in mosaic.Incident) error {
		if k, ok := in.Killed.Get(); ok {
			killedKnown++
			killedSum += k
		}
		if !in.Date.Month.Valid {
			monthUnknown++
		}
		if Included(in, Strict) {
			strict++
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st.Incidents != truth.rows || st.Failed != 0 || len(st.Absent) != 0 || st.Encoding != "windows-1252" {
		t.Errorf("stats %+v; want %d incidents, no failures, no absent column, windows-1252", st, truth.rows)
	}
	got := genTruth{st.Incidents, killedKnown, killedSum, monthUnknown, strict}
	if got != truth {
		t.Errorf("read %+v, wrote %+v", got, truth)
	}
}

// BenchmarkReadGTD reads 200,000 generated rows of 135 columns, the size
// of a GTD release; the issue asks for under 30 seconds.
func BenchmarkReadGTD(b *testing.B) {
	const n = 200_000
	data, _ := generateGTD(n, 2)
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	start := time.Now()
	runs := 0
	for b.Loop() {
		st, err := ReadGTD(bytes.NewReader(data), func(mosaic.Incident) error { return nil })
		if err != nil || st.Incidents != n {
			b.Fatalf("read %d of %d: %v", st.Incidents, n, err)
		}
		runs++
	}
	b.ReportMetric(float64(n*runs)/time.Since(start).Seconds(), "rows/s")
}

// BenchmarkReadGTDXLSX reads the 200,000 rows of BenchmarkReadGTD written
// as a spreadsheet, numbers as number cells, to compare with the CSV.
func BenchmarkReadGTDXLSX(b *testing.B) {
	const n = 200_000
	data, _ := generateGTD(n, 2)
	path := filepath.Join(b.TempDir(), "gtd.xlsx")
	writeXLSX(b, path, gtdRecords(b, data))
	if fi, err := os.Stat(path); err == nil {
		b.SetBytes(fi.Size())
	}
	b.ResetTimer()
	start := time.Now()
	runs := 0
	for b.Loop() {
		st, err := ReadGTDXLSX(path, func(mosaic.Incident) error { return nil })
		if err != nil || st.Incidents != n {
			b.Fatalf("read %d of %d: %v", st.Incidents, n, err)
		}
		runs++
	}
	b.ReportMetric(float64(n*runs)/time.Since(start).Seconds(), "rows/s")
}
