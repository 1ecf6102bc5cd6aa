package document

import (
	"archive/zip"
	"bytes"
	"strings"
	"testing"
	"time"

	"mosaic"
)

func TestParseDOCX(t *testing.T) {
	docs, err := parseFile(t, "testdata/docx/interview.docx")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents", len(docs))
	}
	d := docs[0]
	if d.Format != mosaic.FormatDOCX || d.Title != "Harbour Street Interview" {
		t.Errorf("format %s, title %q", d.Format, d.Title)
	}
	if want := time.Date(2019, 3, 15, 10, 30, 0, 0, time.UTC); !d.Date.Equal(want) {
		t.Errorf("date = %v, want %v", d.Date, want)
	}
	if d.Meta["Subject"] != "Witness statement HS-2019-031" || d.Meta["LastModifiedBy"] != "Case Officer Nell Varga" {
		t.Errorf("meta = %v", d.Meta)
	}
	for _, w := range []string{
		"Harbour Street Interview\nReference:\tHS-2019-031\nRecorded at Kessling Quay station.\n", // w:tab, w:br
		"\nVELMAR OSTRIK: My name is Velmar Ostrik. I run the ferry office at Kessling Quay.\n",
		"\nName\tPhone\nOrla Brisk\t+44 7700 900123\nEnd of statement.", // table
	} {
		if !strings.Contains(d.Text, w) {
			t.Errorf("text lacks %q:\n%s", w, d.Text)
		}
	}
}

// docxWith builds a DOCX whose word/document.xml has the given body.
func docxWith(t testing.TB, body string, extra map[string]string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	files := map[string]string{"word/document.xml": `<?xml version="1.0" encoding="UTF-8"?>` +
		`<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
		`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006"><w:body>` + body + `</w:body></w:document>`}
	for k, v := range extra {
		files[k] = v
	}
	for name, content := range files {
		w, err := zw.Create(name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestParseDOCXLayout(t *testing.T) {
	tests := []struct {
		name, body, want string
	}{
		{"paragraphs and runs", `<w:p><w:r><w:t>Hello </w:t></w:r><w:r><w:t>world</w:t></w:r></w:p><w:p><w:r><w:t>Second</w:t></w:r></w:p>`, "Hello world\nSecond"},
		{"deleted text and field codes", `<w:p><w:r><w:t>kept</w:t></w:r><w:del><w:r><w:delText>gone</w:delText></w:r></w:del><w:r><w:instrText>PAGE</w:instrText></w:r></w:p>`, "kept"},
		{"text box once", `<w:p><w:r><mc:AlternateContent><mc:Choice><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></mc:Choice><mc:Fallback><w:txbxContent><w:p><w:r><w:t>boxed</w:t></w:r></w:p></w:txbxContent></mc:Fallback></mc:AlternateContent></w:r></w:p>`, "boxed"},
		{"cell with two paragraphs", `<w:tbl><w:tr><w:tc><w:p><w:r><w:t>a</w:t></w:r></w:p><w:p><w:r><w:t>b</w:t></w:r></w:p></w:tc><w:tc><w:p><w:r><w:t>c</w:t></w:r></w:p></w:tc></w:tr></w:tbl>`, "a b\tc"},
		{"deep nesting", strings.Repeat("<w:sdt><w:sdtContent>", 50_000) + `<w:p><w:r><w:t>deep</w:t></w:r></w:p>` + strings.Repeat("</w:sdtContent></w:sdt>", 50_000), "deep"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// Repetitive XML packs tighter than the bomb ratio.
			docs, err := Parse("x.docx", docxWith(t, tt.body, nil), Limits{MaxArchiveRatio: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			checkDocs(t, docs)
			if docs[0].Text != tt.want {
				t.Errorf("text = %q, want %q", docs[0].Text, tt.want)
			}
		})
	}
}

func TestParseDOCXRefused(t *testing.T) {
	truncated := readFixture(t, "testdata/docx/truncated.docx")
	noDocument := func() []byte {
		var buf bytes.Buffer
		zw := zip.NewWriter(&buf)
		w, _ := zw.Create("word/other.xml")
		w.Write([]byte("<x/>"))
		zw.Close()
		return buf.Bytes()
	}()
	// A body that expands far beyond its size: refused by the limits
	// before it is decompressed.
	big := docxWith(t, "<w:p><w:r><w:t>"+strings.Repeat(" ", 3<<20)+"</w:t></w:r></w:p>", nil)
	tests := []struct {
		name     string
		data     []byte
		lim      Limits
		sentinel error
		reason   string
	}{
		{"testdata/docx/truncated.docx", truncated, Limits{}, ErrCorrupt, "corrupt DOCX: zip: not a valid zip file"},
		{"empty.docx", noDocument, Limits{}, ErrCorrupt, "no word/document.xml"},
		{"broken-xml.docx", docxWith(t, "<w:p><w:r><w:t>open", nil), Limits{}, ErrCorrupt, "corrupt DOCX: word/document.xml"},
		{"big.docx", big, Limits{MaxFileSize: 1 << 20}, ErrTooLarge, "big.docx!word/document.xml"},
		{"bomb.docx", big, Limits{MaxArchiveRatio: 10}, ErrTooLarge, "zip bomb"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse(tt.name, tt.data, tt.lim)
			if docs != nil {
				t.Errorf("got documents")
			}
			wantErr(t, err, tt.sentinel, tt.name, tt.reason)
		})
	}
}

func TestParseDOCXProperties(t *testing.T) {
	core := `<?xml version="1.0"?><cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" ` +
		`xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/">` +
		`<dc:title>Ledger</dc:title><dc:creator>Ines Caldwell</dc:creator><dcterms:created>2020-07-01T08:00:00Z</dcterms:created>` +
		`<cp:keywords>quay, ledger</cp:keywords>`
	// The properties are cut short: what was read before the damage stays.
	docs, err := Parse("p.docx", docxWith(t, `<w:p><w:r><w:t>x</w:t></w:r></w:p>`, map[string]string{"docProps/core.xml": core}), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	d := docs[0]
	if d.Title != "Ledger" || d.Meta["Author"] != "Ines Caldwell" || d.Meta["Keywords"] != "quay, ledger" ||
		!d.Date.Equal(time.Date(2020, 7, 1, 8, 0, 0, 0, time.UTC)) {
		t.Errorf("got title %q, date %v, meta %v", d.Title, d.Date, d.Meta)
	}
}
