package document

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"mosaic"
)

// The errors a caller can tell apart with errors.Is. Every error this package
// returns names the file and the reason, and wraps at most one of them.
var (
	// ErrTooLarge reports an input that exceeds one of the Limits: a file
	// over MaxFileSize, an archive that expands too far or nests too deep, a
	// zip bomb, more than MaxRecords records.
	ErrTooLarge = errors.New("too large")
	// ErrUnsupported reports a file this package does not read: an image, an
	// executable, an encrypted PDF. Callers report such files as skipped.
	ErrUnsupported = errors.New("unsupported")
	// ErrCorrupt reports a file of a known format that cannot be parsed: a
	// truncated PDF or DOCX, a CSV with an unterminated quote.
	ErrCorrupt = errors.New("corrupt")
)

// Limits bound what one input may cost. A zero field takes its default.
type Limits struct {
	MaxFileSize     int64 // bytes read from one file or archive member; larger ones are refused (default 256 MiB)
	MaxArchiveTotal int64 // total uncompressed bytes expanded from one archive, nested ones included (default 2 GiB)
	MaxArchiveRatio int64 // uncompressed/compressed size ratio above which a zip member is refused as a bomb (default 200)
	MaxDepth        int   // nesting of archives inside archives and attachments inside e-mails (default 4)
	MaxRecords      int   // records read from one CSV or JSON file (default 1,000,000)
	// PartSize bounds the text of one document: a longer text is cut into
	// parts of at most PartSize bytes (see Stream). Default 512 KiB.
	PartSize int
	// StreamSize is the size above which Stream reads a plain-text file
	// from disk a part at a time instead of whole. Default 4 MiB.
	StreamSize int64
}

// DefaultLimits returns the limits used for zero fields: generous enough for
// any real document, small enough that one hostile file cannot exhaust a
// laptop.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize:     256 << 20,
		MaxArchiveTotal: 2 << 30,
		MaxArchiveRatio: 200,
		MaxDepth:        4,
		MaxRecords:      1_000_000,
		PartSize:        512 << 10,
		StreamSize:      4 << 20,
	}
}

// withDefaults fills the zero fields, so that Limits{} means the defaults
// rather than "refuse everything".
func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.MaxFileSize <= 0 {
		l.MaxFileSize = d.MaxFileSize
	}
	if l.MaxArchiveTotal <= 0 {
		l.MaxArchiveTotal = d.MaxArchiveTotal
	}
	if l.MaxArchiveRatio <= 0 {
		l.MaxArchiveRatio = d.MaxArchiveRatio
	}
	if l.MaxDepth <= 0 {
		l.MaxDepth = d.MaxDepth
	}
	if l.MaxRecords <= 0 {
		l.MaxRecords = d.MaxRecords
	}
	if l.PartSize <= 0 {
		l.PartSize = d.PartSize
	}
	l.PartSize = max(l.PartSize, minPartSize)
	if l.StreamSize <= 0 {
		l.StreamSize = d.StreamSize
	}
	return l
}

// Read reads src and parses it with Parse. It refuses a source larger than
// lim.MaxFileSize with ErrTooLarge, before opening it when the declared size
// says so and otherwise by stopping at the limit, so a 2 GB file is never
// loaded.
func Read(src Source, lim Limits) ([]mosaic.Document, error) {
	lim = lim.withDefaults()
	if src.Size > lim.MaxFileSize {
		return nil, tooLarge(src.Path, src.Size, lim.MaxFileSize)
	}
	if src.Open == nil {
		return nil, fmt.Errorf("%s: read: no opener", src.Path)
	}
	rc, err := src.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", src.Path, unwrapPath(err))
	}
	defer rc.Close()
	var buf bytes.Buffer
	if src.Size > 0 {
		buf.Grow(int(src.Size) + bytes.MinRead)
	}
	n, err := buf.ReadFrom(io.LimitReader(rc, lim.MaxFileSize+1))
	if err != nil {
		return nil, fmt.Errorf("%s: read: %w", src.Path, unwrapPath(err))
	}
	if n > lim.MaxFileSize {
		return nil, fmt.Errorf("%s: %w: more than the %s limit", src.Path, ErrTooLarge, byteSize(lim.MaxFileSize))
	}
	return parse(src.Path, buf.Bytes(), lim, 0)
}

// Parse parses data read from name. The format comes from the extension,
// confirmed or overridden by the content: a PDF or DOCX is recognised
// whatever its name, a binary file is refused with ErrUnsupported, and a file
// of unknown extension is read as HTML, e-mail or text by its first bytes.
//
// The first document returned is the file itself; e-mail attachments follow
// it with Parent set to the message's ID. For CSV and JSON every record is its
// own document, with Parent set to the ID of the file, and there is no
// document for the file itself; when a file holds more than lim.MaxRecords
// records the first MaxRecords are returned along with an ErrTooLarge error.
func Parse(name string, data []byte, lim Limits) ([]mosaic.Document, error) {
	return parse(name, data, lim.withDefaults(), 0)
}

// parse is Parse at a nesting depth: attachments are parsed one level deeper
// than their message, and nothing is parsed deeper than lim.MaxDepth.
func parse(name string, data []byte, lim Limits, depth int) ([]mosaic.Document, error) {
	if int64(len(data)) > lim.MaxFileSize {
		return nil, tooLarge(name, int64(len(data)), lim.MaxFileSize)
	}
	format, err := detect(name, data)
	if err != nil {
		return nil, err
	}
	var docs []mosaic.Document
	switch format {
	case mosaic.FormatPDF:
		docs, err = parsePDF(name, data)
	case mosaic.FormatDOCX:
		docs, err = parseDOCX(name, data, lim)
	case mosaic.FormatMail:
		docs, err = parseMail(name, data, lim, depth)
	case mosaic.FormatHTML:
		docs, err = parseHTML(name, data)
	case mosaic.FormatCSV:
		docs, err = parseCSV(name, data, lim)
	case mosaic.FormatJSON:
		docs, err = parseJSON(name, data, lim)
	default:
		docs, err = parseText(name, data)
	}
	for i := range docs {
		finish(&docs[i], name, data)
	}
	return docs, err
}

// detect picks the parser for data. The extension is trusted for the text
// formats, where content sniffing is unreliable, but never for binary ones:
// a PDF named .txt is still a PDF, and a PNG named .csv is still refused.
func detect(name string, data []byte) (mosaic.Format, error) {
	ext := extension(name)
	magic := sniffMagic(data)
	if magic == "" && ext == ".pdf" && bytes.Contains(data[:min(len(data), 1024)], []byte("%PDF-")) {
		// PDF readers accept junk before the header, so pdfium gets a
		// chance when the name says PDF too.
		magic = "PDF"
	}
	switch {
	case magic == "PDF":
		return mosaic.FormatPDF, nil
	case magic == "zip archive" && (ext == ".docx" || isDOCX(data)):
		// A damaged .docx is reported by the DOCX parser, which can say
		// what is wrong with it.
		return mosaic.FormatDOCX, nil
	case ext == ".pdf":
		return "", fmt.Errorf("%s: %w PDF: no %%PDF header", name, ErrCorrupt)
	case ext == ".docx":
		return "", fmt.Errorf("%s: %w DOCX: not a zip archive", name, ErrCorrupt)
	case magic != "":
		return "", fmt.Errorf("%s: %w: %s", name, ErrUnsupported, magic)
	}
	switch ext {
	case ".html", ".htm", ".xhtml", ".shtml":
		return mosaic.FormatHTML, nil
	case ".eml":
		return mosaic.FormatMail, nil
	case ".csv", ".tsv", ".tab":
		return mosaic.FormatCSV, nil
	case ".json", ".jsonl", ".ndjson":
		return mosaic.FormatJSON, nil
	case ".txt", ".text", ".md", ".markdown", ".log":
		return mosaic.FormatText, nil
	}
	switch {
	case looksLikeHTML(data):
		return mosaic.FormatHTML, nil
	case looksLikeMail(data):
		return mosaic.FormatMail, nil
	}
	return mosaic.FormatText, nil
}

// magics are the signatures of binary formats worth naming in an error. The
// NUL-byte and control-character checks in decodeText catch the rest.
var magics = []struct {
	prefix string
	name   string
}{
	{"\x89PNG\r\n\x1a\n", "PNG image"},
	{"\xff\xd8\xff", "JPEG image"},
	{"GIF87a", "GIF image"},
	{"GIF89a", "GIF image"},
	{"II*\x00", "TIFF image"},
	{"MM\x00*", "TIFF image"},
	{"\x7fELF", "ELF executable"},
	{"MZ", "Windows executable"},
	{"\xcf\xfa\xed\xfe", "Mach-O executable"},
	{"\xca\xfe\xba\xbe", "Java class or Mach-O file"},
	{"\x1f\x8b", "gzip archive"},
	{"BZh", "bzip2 archive"},
	{"\xfd7zXZ\x00", "xz archive"},
	{"\x28\xb5\x2f\xfd", "zstd archive"},
	{"7z\xbc\xaf\x27\x1c", "7-Zip archive"},
	{"Rar!\x1a\x07", "RAR archive"},
	{"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "legacy Office (OLE2) document"},
	{"SQLite format 3\x00", "SQLite database"},
	{"OggS", "Ogg media"},
	{"fLaC", "FLAC audio"},
	{"ID3", "MP3 audio"},
	{"RIFF", "RIFF media"},
	{"\x00\x00\x01\x00", "icon image"},
	{"wOFF", "web font"},
	{"\x00asm", "WebAssembly module"},
}

// sniffMagic names the binary format data starts with: "PDF", "zip
// archive", another format's name, or "" for anything that may be text.
func sniffMagic(data []byte) string {
	head := data[:min(len(data), 1024)]
	if bytes.HasPrefix(bytes.TrimLeft(head, "\xef\xbb\xbf\x00 \t\r\n"), []byte("%PDF-")) {
		return "PDF"
	}
	if bytes.HasPrefix(data, []byte("PK\x03\x04")) || bytes.HasPrefix(data, []byte("PK\x05\x06")) {
		return "zip archive"
	}
	if len(data) >= 12 && string(data[4:8]) == "ftyp" {
		return "MP4 or QuickTime media"
	}
	for _, m := range magics {
		if bytes.HasPrefix(data, []byte(m.prefix)) {
			// "MZ" and "ID3" are also ordinary words at the start of a text.
			if len(m.prefix) < 3 && utf8.Valid(head) && !bytes.ContainsRune(head, 0) {
				continue
			}
			return m.name
		}
	}
	return ""
}

// looksLikeHTML reports whether data starts, after blank space and
// comments, like an HTML document.
func looksLikeHTML(data []byte) bool {
	head := bytes.TrimLeft(data[:min(len(data), 512)], "\xef\xbb\xbf \t\r\n")
	for bytes.HasPrefix(head, []byte("<!--")) {
		end := bytes.Index(head, []byte("-->"))
		if end < 0 {
			return false
		}
		head = bytes.TrimLeft(head[end+3:], " \t\r\n")
	}
	lower := bytes.ToLower(head[:min(len(head), 16)])
	for _, p := range []string{"<!doctype html", "<html", "<head", "<body"} {
		if bytes.HasPrefix(lower, []byte(p)) {
			return true
		}
	}
	return false
}

// looksLikeMail reports whether data starts with an RFC 5322 header block
// that names at least one header only mail has.
func looksLikeMail(data []byte) bool {
	head := string(data[:min(len(data), 4096)])
	end := strings.Index(strings.ReplaceAll(head, "\r\n", "\n"), "\n\n")
	if end < 0 {
		return false
	}
	known := 0
	for i, line := range strings.Split(strings.ReplaceAll(head, "\r\n", "\n")[:end], "\n") {
		if line == "" {
			break
		}
		if line[0] == ' ' || line[0] == '\t' {
			if i == 0 {
				return false
			}
			continue // folded continuation
		}
		key, _, ok := strings.Cut(line, ":")
		if !ok || key == "" || strings.ContainsAny(key, " \t") {
			return false
		}
		switch strings.ToLower(key) {
		case "from", "to", "received", "return-path", "message-id", "mime-version", "delivered-to", "x-mailer", "in-reply-to":
			known++
		}
	}
	return known >= 2
}

// finish gives every document the fields its parser may have left out, and
// makes its text safe to index: valid UTF-8, "\n" line endings, no control
// characters but tab and newline.
func finish(d *mosaic.Document, name string, data []byte) {
	if d.ID == "" {
		d.ID = mosaic.NewDocID(data)
	}
	if d.Source == "" {
		d.Source = name
	}
	if d.Size == 0 && d.Source == name {
		d.Size = int64(len(data))
	}
	d.Text = cleanText(d.Text)
	d.Title = strings.Join(strings.Fields(cleanText(d.Title)), " ")
	if d.Title == "" {
		d.Title = baseName(d.Source)
	}
	for k, v := range d.Meta {
		if !utf8.ValidString(k) {
			delete(d.Meta, k)
			k = strings.ToValidUTF8(k, "\uFFFD")
		}
		d.Meta[k] = strings.ToValidUTF8(v, "\uFFFD")
	}
}

// extension returns the lower-cased extension of the innermost name in an
// archive or e-mail path ("a.zip!b/c.TXT" gives ".txt").
func extension(name string) string {
	base := baseName(name)
	if i := strings.LastIndexByte(base, '.'); i > 0 {
		return strings.ToLower(base[i:])
	}
	return ""
}

// baseName returns the file name at the end of a display path, inside
// archives and e-mails too.
func baseName(name string) string {
	if i := strings.LastIndexByte(name, '!'); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimRight(name, `/\`)
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	return name
}

func tooLarge(name string, size, limit int64) error {
	return fmt.Errorf("%s: %w: %s exceeds the %s limit", name, ErrTooLarge, byteSize(size), byteSize(limit))
}

// byteSize formats n for an error message.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
