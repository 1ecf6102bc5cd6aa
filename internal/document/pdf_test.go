package document

import (
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"mosaic"
)

// TestPDFFirstStart measures what the first PDF of a process costs: the
// WebAssembly compilation of pdfium. It runs first in this file so that the
// pool is cold, unless another test parsed a PDF before it.
func TestPDFFirstStart(t *testing.T) {
	data, err := os.ReadFile("testdata/pdf/interview.pdf")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	if _, err := Parse("first.pdf", data, DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	first := time.Since(start)
	start = time.Now()
	if _, err := Parse("second.pdf", data, DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	t.Logf("first PDF %v (includes starting pdfium if no test did before), next %v", first, time.Since(start))
}

func TestParsePDF(t *testing.T) {
	tests := []struct {
		file  string
		title string
		date  time.Time
		pages string
		want  []string
	}{
		{
			file:  "testdata/pdf/interview.pdf",
			title: "Harbour Street Interview",
			date:  time.Date(2026, 11, 23, 22, 7, 42, 0, time.UTC),
			pages: "1",
			want: []string{
				"Harbour Street Interview\nReference: HS-2019-031\nRecorded at Kessling Quay station.\n",
				"\nVELMAR OSTRIK: My name is Velmar Ostrik.",
				"\nINTERVIEWER: When did you last see Tamsin Quorlby?\n",
				"at the café on Harbour Street.",
				"Orla Brisk +44 7700 900123",
			},
		},
		{
			file:  "testdata/pdf/ledger.pdf",
			title: "Quay Ledger Summary",
			date:  time.Date(2026, 11, 23, 22, 7, 44, 0, time.UTC),
			pages: "2",
			want: []string{
				"PAGE ONE: Payments received by Brannock Shipping in June.\nSecond line of the first page.\n\nPAGE TWO: Transfers sent to Ilvane Trading.",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			docs, err := parseFile(t, tt.file)
			if err != nil {
				t.Fatal(err)
			}
			if len(docs) != 1 {
				t.Fatalf("got %d documents", len(docs))
			}
			d := docs[0]
			if d.Format != mosaic.FormatPDF || d.Title != tt.title || !d.Date.Equal(tt.date) || d.Meta["Pages"] != tt.pages {
				t.Errorf("format %s, title %q, date %v, pages %s; want %q, %v, %s", d.Format, d.Title, d.Date, d.Meta["Pages"], tt.title, tt.date, tt.pages)
			}
			if d.Meta["Producer"] != "LibreOffice 7.4" {
				t.Errorf("meta = %v", d.Meta)
			}
			for _, w := range tt.want {
				if !strings.Contains(d.Text, w) {
					t.Errorf("text lacks %q:\n%s", w, d.Text)
				}
			}
			if strings.Contains(d.Text, " \n") {
				t.Errorf("text has spaces at line ends:\n%q", d.Text)
			}
		})
	}
}

func TestParsePDFRefused(t *testing.T) {
	interview, err := os.ReadFile("testdata/pdf/interview.pdf")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		data     []byte
		sentinel error
		reason   string
	}{
		{"testdata/pdf/encrypted.pdf", nil, ErrUnsupported, "encrypted PDF"},
		{"testdata/pdf/truncated.pdf", nil, ErrCorrupt, "corrupt PDF"},
		{"garbage.pdf", []byte("%PDF-1.7\n" + strings.Repeat("garbage ", 1000)), ErrCorrupt, "corrupt PDF"},
		{"header-only.pdf", []byte("%PDF-1.4"), ErrCorrupt, "corrupt PDF"},
		{"cut-in-two.pdf", interview[:len(interview)/2], ErrCorrupt, "corrupt PDF"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := tt.data
			if data == nil {
				var err error
				if data, err = os.ReadFile(tt.name); err != nil {
					t.Fatal(err)
				}
			}
			docs, err := Parse(tt.name, data, DefaultLimits())
			if docs != nil {
				t.Errorf("got documents: %+v", docs)
			}
			wantErr(t, err, tt.sentinel, tt.name, tt.reason)
		})
	}
}

// TestParsePDFConcurrent shares the pool between goroutines.
func TestParsePDFConcurrent(t *testing.T) {
	files := []string{"testdata/pdf/interview.pdf", "testdata/pdf/ledger.pdf", "testdata/pdf/truncated.pdf"}
	want := map[string]string{}
	for _, f := range files {
		docs, _ := parseFile(t, f)
		if len(docs) > 0 {
			want[f] = docs[0].Text
		}
	}
	var wg sync.WaitGroup
	for i := range 12 {
		f := files[i%len(files)]
		wg.Go(func() {
			docs, err := parseFile(t, f)
			switch {
			case want[f] == "" && err == nil:
				t.Errorf("%s: no error", f)
			case want[f] != "" && (err != nil || docs[0].Text != want[f]):
				t.Errorf("%s: %v, or text differs", f, err)
			}
		})
	}
	wg.Wait()
}

// TestParsePDFTimeout shortens the time limit so that extraction cannot
// finish: the worker is killed, the file reported, and the pool still
// works afterwards.
func TestParsePDFTimeout(t *testing.T) {
	data, err := os.ReadFile("testdata/pdf/interview.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := Parse("warm.pdf", data, DefaultLimits()); err != nil {
		t.Fatal(err)
	}
	saved := pdfTimeout
	pdfTimeout = time.Microsecond
	_, err = Parse("slow.pdf", data, DefaultLimits())
	pdfTimeout = saved
	if err != nil {
		wantErr(t, err, ErrCorrupt, "slow.pdf", "no result after")
	}
	docs, err := Parse("again.pdf", data, DefaultLimits())
	if err != nil || !strings.Contains(docs[0].Text, "Velmar Ostrik") {
		t.Fatalf("pool broken after a timeout: %v", err)
	}
}
