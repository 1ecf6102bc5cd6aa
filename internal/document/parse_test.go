package document

import (
	"bytes"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"mosaic"
)

// checkDocs asserts what every document must satisfy, whatever its format.
func checkDocs(t *testing.T, docs []mosaic.Document) {
	t.Helper()
	for i, d := range docs {
		if len(d.ID) != 64 {
			t.Errorf("doc %d (%s): ID %q is not a SHA-256", i, d.Source, d.ID)
		}
		if d.Source == "" || d.Title == "" || d.Format == "" {
			t.Errorf("doc %d: empty source %q, title %q or format %q", i, d.Source, d.Title, d.Format)
		}
		if !utf8.ValidString(d.Text) || !utf8.ValidString(d.Title) {
			t.Errorf("doc %d (%s): invalid UTF-8", i, d.Source)
		}
		if strings.ContainsRune(d.Text, '\r') {
			t.Errorf("doc %d (%s): text has a carriage return", i, d.Source)
		}
		for k, v := range d.Meta {
			if !utf8.ValidString(k) || !utf8.ValidString(v) {
				t.Errorf("doc %d (%s): meta %q is invalid UTF-8", i, d.Source, k)
			}
		}
	}
}

// parseFile parses a fixture and checks the invariants.
func parseFile(t *testing.T, path string) ([]mosaic.Document, error) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	docs, err := Parse(path, data, DefaultLimits())
	checkDocs(t, docs)
	return docs, err
}

// wantErr asserts that err wraps sentinel, names the file, and says why.
func wantErr(t *testing.T, err, sentinel error, name, reason string) {
	t.Helper()
	if !errors.Is(err, sentinel) {
		t.Fatalf("error = %v; want %v", err, sentinel)
	}
	if !strings.Contains(err.Error(), name) {
		t.Errorf("error %q does not name %q", err, name)
	}
	if !strings.Contains(err.Error(), reason) {
		t.Errorf("error %q does not say %q", err, reason)
	}
}

func TestParseText(t *testing.T) {
	transcript := "INTERVIEWER: Where were you?\r\nORLA BRISK: At the quay.\r\n\r\nINTERVIEWER: Alone?\rORLA BRISK: No.\n"
	tests := []struct {
		name, file string
		data       []byte
		text       string
		title      string
		encoding   string
	}{
		{"crlf transcript", "t.txt", []byte(transcript),
			"INTERVIEWER: Where were you?\nORLA BRISK: At the quay.\n\nINTERVIEWER: Alone?\nORLA BRISK: No.\n", "t.txt", ""},
		{"utf-8 bom", "b.txt", []byte("\xef\xbb\xbfcafé"), "café", "b.txt", ""},
		{"windows-1252", "w.txt", []byte("caf\xe9 \x93quoted\x94 \x80 5"), "café “quoted” € 5", "w.txt", "windows-1252"},
		{"utf-16le bom", "u.txt", []byte("\xff\xfec\x00a\x00f\x00\xe9\x00"), "café", "u.txt", "utf-16le"},
		{"utf-16be bom", "u.txt", []byte("\xfe\xff\x00c\x00a\x00f\x00\xe9"), "café", "u.txt", "utf-16be"},
		{"utf-16le no bom", "u.txt", []byte("h\x00e\x00l\x00l\x00o\x00 \x00w\x00o\x00r\x00l\x00d\x00"), "hello world", "u.txt", "utf-16le"},
		{"markdown title", "notes.md", []byte("\n# Quay notes\n\nBody"), "\n# Quay notes\n\nBody", "Quay notes", ""},
		{"unknown extension", "dir/notes.xyz", []byte("plain words"), "plain words", "notes.xyz", ""},
		{"form feed and stray controls", "f.txt", []byte("page one\fpage\x01 two"), "page one\npage two", "f.txt", ""},
		{"inside archive", "a.zip!dir/in.txt", []byte("x"), "x", "in.txt", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse(tt.file, tt.data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkDocs(t, docs)
			if len(docs) != 1 {
				t.Fatalf("got %d documents, want 1", len(docs))
			}
			d := docs[0]
			if d.Text != tt.text {
				t.Errorf("text = %q, want %q", d.Text, tt.text)
			}
			if d.Title != tt.title {
				t.Errorf("title = %q, want %q", d.Title, tt.title)
			}
			if d.Meta["Encoding"] != tt.encoding {
				t.Errorf("encoding = %q, want %q", d.Meta["Encoding"], tt.encoding)
			}
			if d.Format != mosaic.FormatText || d.Source != tt.file || d.Size != int64(len(tt.data)) {
				t.Errorf("format, source, size = %s, %s, %d", d.Format, d.Source, d.Size)
			}
			if d.ID != mosaic.NewDocID(tt.data) {
				t.Errorf("ID is not the address of the bytes read")
			}
		})
	}
}

func TestParseSniff(t *testing.T) {
	pdf, err := os.ReadFile("testdata/pdf/interview.pdf")
	if err != nil {
		t.Fatal(err)
	}
	docx, err := os.ReadFile("testdata/docx/interview.docx")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file string
		data []byte
		want mosaic.Format
	}{
		{"really-a-pdf.txt", pdf, mosaic.FormatPDF},
		{"download", docx, mosaic.FormatDOCX},
		{"page", []byte("<!-- saved -->\n<!DOCTYPE html><title>T</title><p>x"), mosaic.FormatHTML},
		{"message", []byte("From: a@example.org\r\nTo: b@example.org\r\nSubject: s\r\n\r\nbody"), mosaic.FormatMail},
		{"notes.txt", []byte("<html><body>kept as text</body></html>"), mosaic.FormatText},
		{"Subject line", []byte("Subject: not a message\n\nbecause only one header"), mosaic.FormatText},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			docs, err := Parse(tt.file, tt.data, DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkDocs(t, docs)
			if docs[0].Format != tt.want {
				t.Errorf("format = %s, want %s", docs[0].Format, tt.want)
			}
		})
	}
}

func TestParseRefused(t *testing.T) {
	random := make([]byte, 4096)
	x := uint32(2463534242)
	for i := range random {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		random[i] = byte(x)
	}
	tests := []struct {
		file     string
		data     []byte
		sentinel error
		reason   string
	}{
		{"photo.png", []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), ErrUnsupported, "PNG image"},
		{"tool.txt", []byte("\x7fELF\x02\x01\x01\x00\x00\x00"), ErrUnsupported, "ELF executable"},
		{"data.csv", []byte("a,b\n1,\x00\x00\x002\n"), ErrUnsupported, "binary data"},
		{"noise.bin", random, ErrUnsupported, "binary data"},
		{"old.doc", []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1rest"), ErrUnsupported, "OLE2"},
		{"bundle.bin", []byte("PK\x03\x04 not really"), ErrUnsupported, "zip archive"},
		{"reports/x.pdf", []byte("hello"), ErrCorrupt, "corrupt PDF: no %PDF header"},
		{"letter.docx", []byte("hello"), ErrCorrupt, "corrupt DOCX: not a zip archive"},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			docs, err := Parse(tt.file, tt.data, DefaultLimits())
			if len(docs) != 0 {
				t.Errorf("got %d documents from a refused file", len(docs))
			}
			wantErr(t, err, tt.sentinel, tt.file, tt.reason)
		})
	}
}

// TestParseInvalidUTF8 feeds bytes that are not UTF-8 to every text format:
// each must come out as valid UTF-8 with the readable part kept.
func TestParseInvalidUTF8(t *testing.T) {
	bad := "Ostrik \xff\xfe\xc3\x28 caf\xe9"
	tests := []struct{ file, data string }{
		{"x.txt", bad},
		{"x.html", "<html><title>" + bad + "</title><body><p>" + bad + "</p></body></html>"},
		{"x.csv", "name,note\n" + bad + "," + bad + "\n"},
		{"x.json", `{"name": "` + bad + `"}`},
		{"x.eml", "From: a@example.org\r\nTo: b@example.org\r\nSubject: " + bad + "\r\n\r\n" + bad},
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			docs, err := Parse(tt.file, []byte(tt.data), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkDocs(t, docs)
			if !strings.Contains(docs[0].Text, "Ostrik") {
				t.Errorf("text %q lost the readable part", docs[0].Text)
			}
		})
	}
}

func TestParseIDsStable(t *testing.T) {
	for _, f := range []string{"testdata/mail/meeting.eml", "testdata/html/article.html", "testdata/docx/interview.docx"} {
		a, err := parseFile(t, f)
		if err != nil {
			t.Fatal(err)
		}
		b, err := parseFile(t, f)
		if err != nil {
			t.Fatal(err)
		}
		if len(a) != len(b) {
			t.Fatalf("%s: %d then %d documents", f, len(a), len(b))
		}
		for i := range a {
			if a[i].ID != b[i].ID || a[i].Text != b[i].Text {
				t.Errorf("%s: document %d differs between runs", f, i)
			}
		}
	}
}

func TestDefaultLimits(t *testing.T) {
	want := Limits{MaxFileSize: 256 << 20, MaxArchiveTotal: 2 << 30, MaxArchiveRatio: 200, MaxDepth: 4, MaxRecords: 1_000_000,
		PartSize: 512 << 10, StreamSize: 4 << 20}
	if got := DefaultLimits(); got != want {
		t.Errorf("DefaultLimits() = %+v, want %+v", got, want)
	}
	if got := (Limits{}).withDefaults(); got != want {
		t.Errorf("zero limits = %+v, want the defaults", got)
	}
}

// TestReadHugeFile refuses a 2 GB file without reading it: the sparse file
// would take seconds and 2 GB of memory to load.
func TestReadHugeFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "huge.txt")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	f.Close()
	if err := os.Truncate(path, 2<<30); err != nil {
		t.Fatal(err)
	}
	var src Source
	err = Walk(t.Context(), []string{path}, DefaultLimits(), func(s Source, err error) error {
		src = s
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	docs, err := Read(src, DefaultLimits())
	if took := time.Since(start); took > time.Second {
		t.Errorf("refusing took %v", took)
	}
	if docs != nil {
		t.Error("got documents from a refused file")
	}
	wantErr(t, err, ErrTooLarge, path, "2 GiB exceeds the 256 MiB limit")
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n *int64
}

func (c countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	*c.n += int64(n)
	return n, err
}

func (c countingReader) Close() error { return nil }

// TestReadStopsAtLimit reads a source whose declared size lies: Read must
// stop one byte past the limit rather than read the rest.
func TestReadStopsAtLimit(t *testing.T) {
	var read int64
	src := Source{
		Path: "stream.txt",
		Size: 10, // a lie
		Open: func() (io.ReadCloser, error) {
			return countingReader{io.LimitReader(zeroText{}, 64<<20), &read}, nil
		},
	}
	lim := Limits{MaxFileSize: 1 << 20}
	_, err := Read(src, lim)
	wantErr(t, err, ErrTooLarge, "stream.txt", "1 MiB")
	if read > 1<<20+64<<10 {
		t.Errorf("read %d bytes for a 1 MiB limit", read)
	}
}

// zeroText is an endless stream of "a".
type zeroText struct{}

func (zeroText) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = 'a'
	}
	return len(p), nil
}

func TestRead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "note.txt")
	if err := os.WriteFile(path, []byte("Edric Fenwold met Orla Brisk.\r\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	docs, err := Read(Source{Path: path, Size: 31, Open: func() (io.ReadCloser, error) { return os.Open(path) }}, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, docs)
	if docs[0].Text != "Edric Fenwold met Orla Brisk.\n" || docs[0].Source != path || docs[0].Title != "note.txt" {
		t.Errorf("got %+v", docs[0])
	}
	missing := filepath.Join(t.TempDir(), "gone.txt")
	_, err = Read(Source{Path: missing, Open: func() (io.ReadCloser, error) { return os.Open(missing) }}, Limits{})
	if !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: %v", err)
	}
	if strings.Count(err.Error(), missing) != 1 {
		t.Errorf("error names the file more than once: %v", err)
	}
}

func TestDates(t *testing.T) {
	tests := []struct {
		in   string
		want string
	}{
		{"2019-04-02T08:30:00+01:00", "2019-04-02T08:30:00+01:00"},
		{"2019-04-02", "2019-04-02T00:00:00Z"},
		{"2 April 2019", "2019-04-02T00:00:00Z"},
		{"Tue, 2 Apr 2019 08:30:00 +0100", "2019-04-02T08:30:00+01:00"},
		{"02.04.2019", "2019-04-02T00:00:00Z"},
	}
	for _, tt := range tests {
		got, ok := parseDate(tt.in)
		if !ok || got.Format(time.RFC3339) != tt.want {
			t.Errorf("parseDate(%q) = %v, %v; want %s", tt.in, got, ok, tt.want)
		}
	}
	for _, bad := range []string{"", "03/04/2019", "yesterday", "0000-01-01", "12345"} {
		if got, ok := parseDate(bad); ok {
			t.Errorf("parseDate(%q) = %v; want no date", bad, got)
		}
	}
	pdfDates := map[string]string{
		"D:20190315103000+01'00'": "2019-03-15T10:30:00+01:00",
		"D:20261123220742Z'":      "2026-11-23T22:07:42Z",
		"D:2019":                  "2019-01-01T00:00:00Z",
		"20190315":                "2019-03-15T00:00:00Z",
	}
	for in, want := range pdfDates {
		got, ok := parsePDFDate(in)
		if !ok || got.Format(time.RFC3339) != want {
			t.Errorf("parsePDFDate(%q) = %v, %v; want %s", in, got, ok, want)
		}
	}
	if _, ok := parsePDFDate("D:2019131"); ok {
		t.Error("parsePDFDate accepted month 13")
	}
}

func TestCleanText(t *testing.T) {
	in := "\ufeffa\r\nb\rc\x00d\x1be\u0085f\xff"
	want := "a\nb\ncdef\uFFFD"
	if got := cleanText(in); got != want {
		t.Errorf("cleanText(%q) = %q, want %q", in, got, want)
	}
	if got := cleanText("plain\ttext\n"); got != "plain\ttext\n" {
		t.Errorf("cleanText changed clean text to %q", got)
	}
}

func readFixture(t testing.TB, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestNULBytesInText: text with a few NUL bytes is read, each NUL as a
// space, with a warning on the document; data that is mostly NULs is still
// refused as binary.
func TestNULBytesInText(t *testing.T) {
	text := "Field note 7\n\nThe courier met the buyer in Lyon.\x00\x00 The call log ends here.\n"
	docs, err := Parse("note.txt", []byte(text), DefaultLimits())
	if err != nil || len(docs) != 1 {
		t.Fatalf("Parse: %d documents, %v", len(docs), err)
	}
	d := docs[0]
	if !strings.Contains(d.Text, "Lyon.   The call log") || strings.ContainsRune(d.Text, 0) {
		t.Errorf("text %q, want the NULs as spaces and the text after them kept", d.Text)
	}
	if w := d.Meta[mosaic.MetaWarning]; w != "2 NUL bytes in the text, read as spaces" {
		t.Errorf("warning %q", w)
	}
	binary := bytes.Repeat([]byte("ab\x00\x00\x00c"), 200)
	if _, err := Parse("blob.txt", binary, DefaultLimits()); !errors.Is(err, ErrUnsupported) {
		t.Errorf("mostly NULs: err %v, want ErrUnsupported", err)
	}
	// In a CSV file every record carries the file's warning.
	csvData := "name,place\nthe courier,Lyon\x00\nthe buyer,Ghent\n"
	docs, err = Parse("rows.csv", []byte(csvData), DefaultLimits())
	if err != nil || len(docs) < 2 {
		t.Fatalf("CSV: %d documents, %v", len(docs), err)
	}
	warned := 0
	for _, d := range docs {
		if d.Meta[mosaic.MetaWarning] != "" {
			warned++
		}
	}
	if warned != len(docs) {
		t.Errorf("%d of %d CSV documents carry the warning", warned, len(docs))
	}
}
