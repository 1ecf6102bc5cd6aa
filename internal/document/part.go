package document

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"
	"golang.org/x/text/transform"

	"mosaic"
)

// A text longer than Limits.PartSize is stored as parts, so that what one
// document costs downstream (tokens, mentions, relations, resolution, one
// row of the store, one page of a reader) stays bounded whatever the size
// of the file. The default of 512 KiB is some 85,000 words, a long
// chapter: cuts are rare and fall at line breaks, and extraction still sees
// whole paragraphs. One part with what extraction finds in it stays within
// tens of megabytes even written as densely as a chat export (some 28,000
// mentions a part, a hundred-odd bytes each, and their relations): with
// 1 MiB parts, ingesting one 20 MB export peaked at 350 MB of memory, with
// 512 KiB at 280 MB (mosaic bench document), the rest being the models.
//
// Parts are cut the same way whether the text was parsed whole or streamed
// from disk (cutPart looks at the next PartSize bytes only), so a file gets
// the same parts, and IDs, either way.

// minPartSize is the smallest part size honoured: a cut needs room to back
// off to the start of a rune.
const minPartSize = 16

// cutPart returns the length of the first part of s, a text in valid UTF-8
// longer than size: the end of the last blank line, else line break, else
// sentence end (".", "!" or "?" and a space), else space or tab, in the
// second half of s[:size]; failing all of those, size backed off to the
// start of a rune, so that a rune is never split.
func cutPart[T ~string | ~[]byte](s T, size int) int {
	if len(s) <= size {
		return len(s)
	}
	lo := size / 2
	for i := size - 1; i > lo; i-- {
		if s[i] == '\n' && s[i-1] == '\n' {
			return i + 1
		}
	}
	for i := size - 1; i >= lo; i-- {
		if s[i] == '\n' {
			return i + 1
		}
	}
	for i := size - 1; i > lo; i-- {
		if (s[i] == ' ' || s[i] == '\t') && (s[i-1] == '.' || s[i-1] == '!' || s[i-1] == '?') {
			return i + 1
		}
	}
	for i := size - 1; i >= lo; i-- {
		if s[i] == ' ' || s[i] == '\t' {
			return i + 1
		}
	}
	i := size
	for i > size-utf8.UTFMax && !utf8.RuneStart(s[i]) {
		i--
	}
	if !utf8.RuneStart(s[i]) {
		return size // not UTF-8: no rune to keep whole
	}
	return i
}

// newPart returns part n (from 1) of whole, the text at byte offset off of
// whole's text. Its ID is the address of the whole's ID, the part number
// and the text: parts of one file never collide with one another (a log
// that repeats itself) nor with a file that happens to hold the same text.
func newPart(whole mosaic.Document, n, off int, text string) mosaic.Document {
	h := sha256.New()
	fmt.Fprintf(h, "mosaic part %d of %s\n", n, whole.ID)
	io.WriteString(h, text)
	p := whole
	p.ID = mosaic.DocID(hex.EncodeToString(h.Sum(nil)))
	p.Parent = whole.ID
	p.Title = fmt.Sprintf("%s (part %d)", whole.Title, n)
	p.Text = text
	p.Size = int64(len(text))
	p.Meta = make(map[string]string, len(whole.Meta)+2)
	for k, v := range whole.Meta {
		p.Meta[k] = v
	}
	p.Meta[mosaic.MetaPart] = strconv.Itoa(n)
	p.Meta[mosaic.MetaPartOffset] = strconv.Itoa(off)
	return p
}

// Parts returns d cut into parts of at most size bytes of text (see
// Limits.PartSize), or d alone when its text is no longer than that. The
// parts' texts, in order, make up d's text exactly; d's ID becomes their
// Parent, and there is no document for d itself.
func Parts(d mosaic.Document, size int) []mosaic.Document {
	size = max(size, minPartSize)
	if len(d.Text) <= size {
		return []mosaic.Document{d}
	}
	var out []mosaic.Document
	for off := 0; off < len(d.Text); {
		n := cutPart(d.Text[off:], size)
		out = append(out, newPart(d, len(out)+1, off, d.Text[off:off+n]))
		off += n
	}
	return out
}

// Stream reads src like Read and hands its documents to emit one at a time,
// with every text longer than lim.PartSize cut into parts (see Parts), so
// that no document it emits is longer than that. A plain-text file larger
// than lim.StreamSize is never held whole: it is read twice from disk, once
// to take its content address and settle its encoding, then a part at a
// time. Other files are read and parsed whole, as by Read.
//
// Stream stops when emit returns an error, which it returns, and checks ctx
// between parts and between reads, returning its error (wrapped with the
// path) once it is done; documents emitted before then stand. A file that
// fails part way through (it changed, or its read failed) returns the error
// after the parts already emitted.
func Stream(ctx context.Context, src Source, lim Limits, emit func(mosaic.Document) error) error {
	lim = lim.withDefaults()
	if src.Size > lim.MaxFileSize {
		return tooLarge(src.Path, src.Size, lim.MaxFileSize)
	}
	if src.Open == nil {
		return fmt.Errorf("%s: read: no opener", src.Path)
	}
	rc, err := src.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", src.Path, unwrapPath(err))
	}
	defer rc.Close()
	r := io.LimitReader(ctxReader{ctx, rc}, lim.MaxFileSize+1)
	head := make([]byte, 8<<10)
	n, err := io.ReadFull(r, head)
	if err != nil && err != io.ErrUnexpectedEOF && err != io.EOF {
		return readError(ctx, src.Path, err)
	}
	head = head[:n]
	if src.Size > lim.StreamSize {
		if f, err := detect(src.Path, head); err == nil && f == mosaic.FormatText {
			rc.Close()
			return streamText(ctx, src, lim, emit)
		}
	}
	var buf bytes.Buffer
	if src.Size > 0 {
		buf.Grow(int(min(src.Size, lim.MaxFileSize)) + bytes.MinRead)
	}
	buf.Write(head)
	if _, err := buf.ReadFrom(r); err != nil {
		return readError(ctx, src.Path, err)
	}
	if int64(buf.Len()) > lim.MaxFileSize {
		return fmt.Errorf("%s: %w: more than the %s limit", src.Path, ErrTooLarge, byteSize(lim.MaxFileSize))
	}
	docs, err := parse(src.Path, buf.Bytes(), lim, 0)
	if err != nil {
		return err
	}
	buf = bytes.Buffer{}
	for _, d := range docs {
		for _, p := range Parts(d, lim.PartSize) {
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("%s: %w", src.Path, err)
			}
			if err := emit(p); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReaderContext returns a reader of r that stops, with ctx's error, once
// ctx is done, so that reading a large file (here, or an edge list the
// command line analyses) ends promptly on cancellation.
func ReaderContext(ctx context.Context, r io.Reader) io.Reader { return ctxReader{ctx, r} }

type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// readError names the file and says whether reading stopped because ctx
// is done or because the read failed.
func readError(ctx context.Context, name string, err error) error {
	if ctx.Err() != nil {
		return fmt.Errorf("%s: %w", name, ctx.Err())
	}
	return fmt.Errorf("%s: read: %w", name, unwrapPath(err))
}

// textScan is what a first pass over a text file learns: its content
// address and what decodeText would decide from the whole of it.
type textScan struct {
	id    mosaic.DocID
	size  int64
	head  []byte // the first 4 KiB
	nuls  int64
	valid bool // valid UTF-8 throughout
}

// scanText reads r to its end, at most limit bytes.
func scanText(name string, r io.Reader, limit int64) (textScan, error) {
	s := textScan{valid: true}
	h := sha256.New()
	buf := make([]byte, 64<<10)
	var carry, work []byte // an incomplete rune at the end of the last read
	for {
		n, err := r.Read(buf)
		chunk := buf[:n]
		s.size += int64(n)
		if s.size > limit {
			return s, fmt.Errorf("%s: %w: more than the %s limit", name, ErrTooLarge, byteSize(limit))
		}
		h.Write(chunk)
		if len(s.head) < 4096 {
			s.head = append(s.head, chunk[:min(n, 4096-len(s.head))]...)
		}
		s.nuls += int64(bytes.Count(chunk, []byte{0}))
		if s.valid && n > 0 {
			work = append(append(work[:0], carry...), chunk...)
			end := completeRunes(work)
			s.valid = utf8.Valid(work[:end])
			carry = append(carry[:0], work[end:]...)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			return s, err
		}
	}
	if len(carry) > 0 {
		s.valid = false
	}
	s.id = mosaic.DocID(hex.EncodeToString(h.Sum(nil)))
	return s, nil
}

// textPlan is how to decode a text file, as decodeText decides it from the
// whole: the encoding, a byte-order mark to skip, NUL bytes read as spaces.
type textPlan struct {
	enc      string
	skip     int
	nulSpace bool
	warn     string
	decoder  func() *encoding.Decoder
}

// planText decides as decodeText does, from a scan of the whole file.
func planText(name string, s textScan) (textPlan, error) {
	p := textPlan{enc: "utf-8"}
	switch {
	case bytes.HasPrefix(s.head, []byte("\xef\xbb\xbf")):
		p.skip = 3
	case bytes.HasPrefix(s.head, []byte("\xff\xfe")):
		p.enc, p.decoder = "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder
	case bytes.HasPrefix(s.head, []byte("\xfe\xff")):
		p.enc, p.decoder = "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder
	case s.nuls > 0:
		order := ""
		if s.size%2 == 0 {
			order = utf16Order(s.head)
		}
		switch order {
		case "le":
			p.enc, p.decoder = "utf-16le", unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder
		case "be":
			p.enc, p.decoder = "utf-16be", unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder
		default:
			if s.nuls > 2 && s.nuls*50 > s.size {
				return p, fmt.Errorf("%s: %w: binary data (NUL bytes)", name, ErrUnsupported)
			}
			p.nulSpace = true
			p.warn = fmt.Sprintf("%d NUL bytes in the text, read as spaces", s.nuls)
			if !s.valid {
				p.enc, p.decoder = "windows-1252", charmap.Windows1252.NewDecoder
			}
		}
	case !s.valid:
		p.enc, p.decoder = "windows-1252", charmap.Windows1252.NewDecoder
	}
	return p, nil
}

// completeRunes returns the length of p without an incomplete rune at its
// end, which the next read may complete.
func completeRunes(p []byte) int {
	for i := len(p) - 1; i >= 0 && i >= len(p)-utf8.UTFMax; i-- {
		if utf8.RuneStart(p[i]) {
			if !utf8.FullRune(p[i:]) {
				return i
			}
			break
		}
	}
	return len(p)
}

// nulSpacer reads NUL bytes as spaces.
type nulSpacer struct{ r io.Reader }

func (n nulSpacer) Read(p []byte) (int, error) {
	k, err := n.r.Read(p)
	for i, c := range p[:k] {
		if c == 0 {
			p[i] = ' '
		}
	}
	return k, err
}

// streamText reads the plain-text file src a part at a time: a first pass
// takes its content address (the parts' Parent) and settles its encoding
// as decodeText would from the whole; the second decodes, cleans and cuts
// it as parse and Parts would, holding about one part in memory.
func streamText(ctx context.Context, src Source, lim Limits, emit func(mosaic.Document) error) error {
	rc, err := src.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", src.Path, unwrapPath(err))
	}
	scan, err := scanText(src.Path, ctxReader{ctx, rc}, lim.MaxFileSize)
	rc.Close()
	if err != nil {
		return readError(ctx, src.Path, err)
	}
	plan, err := planText(src.Path, scan)
	if err != nil {
		return err
	}
	rc, err = src.Open()
	if err != nil {
		return fmt.Errorf("%s: %w", src.Path, unwrapPath(err))
	}
	defer rc.Close()
	// The second pass takes the address again: a file that changed in
	// between would otherwise be stored under another's name.
	h := sha256.New()
	var r io.Reader = io.TeeReader(io.LimitReader(ctxReader{ctx, rc}, scan.size), h)
	if _, err := io.CopyN(io.Discard, r, int64(plan.skip)); err != nil {
		return readError(ctx, src.Path, err)
	}
	if plan.nulSpace {
		r = nulSpacer{r}
	}
	if plan.decoder != nil {
		r = transform.NewReader(r, plan.decoder())
	}
	whole := mosaic.Document{ID: scan.id, Format: mosaic.FormatText, Source: src.Path}
	if plan.enc != "utf-8" {
		whole.Meta = map[string]string{"Encoding": plan.enc}
	}
	warnOn(&whole, plan.warn)
	ps := &partStream{
		r: r, size: lim.PartSize, whole: whole, name: src.Path,
		markdown: extension(src.Path) == ".md" || extension(src.Path) == ".markdown",
		fileSize: scan.size,
	}
	if err := ps.run(ctx, emit); err != nil {
		return err
	}
	if got := mosaic.DocID(hex.EncodeToString(h.Sum(nil))); got != scan.id {
		return fmt.Errorf("%s: %w: the file changed while it was read", src.Path, ErrCorrupt)
	}
	return nil
}

// partStream cuts decoded text read from r into parts.
type partStream struct {
	r        io.Reader
	size     int
	whole    mosaic.Document
	name     string
	markdown bool
	fileSize int64

	pending []byte // decoded bytes not yet cleaned: an incomplete rune, a CR
	text    []byte // cleaned text from the start of the next part
	off     int    // offset of text in the whole text
	n       int    // parts emitted
	bad     bool   // text ends in bytes that are not UTF-8 (see appendClean)
	// runes and ctrl count the runes and the stray control characters
	// decoded before the first part is out.
	runes, ctrl int
}

func (ps *partStream) run(ctx context.Context, emit func(mosaic.Document) error) error {
	buf := make([]byte, 64<<10)
	eof := false
	for {
		for !eof && len(ps.text) <= ps.size {
			k, err := ps.r.Read(buf)
			ps.pending = append(ps.pending, buf[:k]...)
			switch {
			case err == io.EOF:
				eof = true
			case err != nil:
				return readError(ctx, ps.name, err)
			}
			ps.clean(eof)
		}
		if ps.n == 0 && ps.ctrl > 2 && ps.ctrl*50 > ps.runes {
			// What looksBinary says of the whole, said of the start.
			return fmt.Errorf("%s: %w: binary data (control characters)", ps.name, ErrUnsupported)
		}
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("%s: %w", ps.name, err)
		}
		if eof && len(ps.text) <= ps.size {
			if ps.n == 0 {
				// Short enough after all (UTF-16 halves, NULs): one
				// document, as parse gives it.
				d := ps.whole
				d.Text = string(ps.text)
				if ps.markdown {
					d.Title = markdownTitle(d.Text)
				}
				finish(&d, ps.name, nil)
				d.Size = ps.fileSize
				return emit(d)
			}
			if len(ps.text) > 0 {
				return ps.emit(emit, len(ps.text))
			}
			return nil
		}
		if err := ps.emit(emit, cutPart(ps.text, ps.size)); err != nil {
			return err
		}
	}
}

// clean moves the decoded bytes that can be cleaned now from pending to
// text: all of them at the end of the input, else all but an incomplete
// rune or a carriage return whose line feed may follow.
func (ps *partStream) clean(eof bool) {
	p := ps.pending
	end := len(p)
	if !eof {
		end = completeRunes(p)
		if end > 0 && p[end-1] == '\r' {
			end--
		}
	}
	first := ps.off == 0 && ps.n == 0 && len(ps.text) == 0
	chunk := p[:end]
	if ps.n == 0 {
		for _, r := range string(chunk) {
			ps.runes++
			if isStrayControl(r) || r == utf8.RuneError {
				ps.ctrl++
			}
		}
	}
	if first {
		chunk = bytes.TrimPrefix(chunk, []byte("\ufeff"))
	}
	ps.text, ps.bad = appendClean(ps.text, chunk, ps.bad)
	ps.pending = append(ps.pending[:0], p[end:]...)
}

// emit hands out the first n bytes of text as the next part.
func (ps *partStream) emit(emit func(mosaic.Document) error, n int) error {
	text := string(ps.text[:n])
	ps.text = append(ps.text[:0], ps.text[n:]...)
	if ps.n == 0 {
		if ps.markdown {
			ps.whole.Title = markdownTitle(text)
		}
		// What finish does for a document parsed whole.
		finish(&ps.whole, ps.name, nil)
		ps.whole.Size = 0
	}
	ps.n++
	p := newPart(ps.whole, ps.n, ps.off, text)
	ps.off += n
	return emit(p)
}
