package document

import (
	"bytes"
	"fmt"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/unicode"

	"mosaic"
)

// parseText reads a plain-text file. The text is kept as it is, line for
// line: transcripts mark speakers with "NAME:" at the start of a line, and
// the extraction stages rely on that.
func parseText(name string, data []byte) ([]mosaic.Document, error) {
	text, enc, warn, err := decodeText(name, data)
	if err != nil {
		return nil, err
	}
	d := mosaic.Document{Format: mosaic.FormatText, Text: text}
	if enc != "utf-8" {
		d.Meta = map[string]string{"Encoding": enc}
	}
	warnOn(&d, warn)
	if ext := extension(name); ext == ".md" || ext == ".markdown" {
		d.Title = markdownTitle(text)
	}
	return []mosaic.Document{d}, nil
}

// markdownTitle returns the text of a leading "# " heading.
func markdownTitle(text string) string {
	for line := range strings.Lines(text) {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		if t, ok := strings.CutPrefix(line, "# "); ok {
			return strings.TrimSpace(t)
		}
		return ""
	}
	return ""
}

// decodeText turns the bytes of a text file into UTF-8 and names the
// encoding it found. A byte-order mark decides; otherwise valid UTF-8 is
// taken as UTF-8 and anything else as Windows-1252, the usual encoding of
// legacy Western files (and a superset of Latin-1's printable range). Data
// that still looks binary after that is refused with ErrUnsupported. Text
// with a few NUL bytes in it (a log, an export a tool padded) is read with
// each NUL as a space, and warn says how many: the text around them is kept.
func decodeText(name string, data []byte) (text, enc, warn string, err error) {
	var dec *encoding.Decoder
	enc = "utf-8"
	switch {
	case bytes.HasPrefix(data, []byte("\xef\xbb\xbf")):
		data = data[3:]
	case bytes.HasPrefix(data, []byte("\xff\xfe")):
		dec, enc = unicode.UTF16(unicode.LittleEndian, unicode.ExpectBOM).NewDecoder(), "utf-16le"
	case bytes.HasPrefix(data, []byte("\xfe\xff")):
		dec, enc = unicode.UTF16(unicode.BigEndian, unicode.ExpectBOM).NewDecoder(), "utf-16be"
	case bytes.IndexByte(data, 0) >= 0:
		// Windows tools write UTF-16 without a BOM now and then; text in
		// it has a NUL in every other byte, binary data does not.
		switch utf16Order(data) {
		case "le":
			dec, enc = unicode.UTF16(unicode.LittleEndian, unicode.IgnoreBOM).NewDecoder(), "utf-16le"
		case "be":
			dec, enc = unicode.UTF16(unicode.BigEndian, unicode.IgnoreBOM).NewDecoder(), "utf-16be"
		default:
			nuls := bytes.Count(data, []byte{0})
			data = bytes.ReplaceAll(data, []byte{0}, []byte{' '})
			if looksBinary(string(data)) || nuls > 2 && nuls*50 > len(data) {
				return "", "", "", fmt.Errorf("%s: %w: binary data (NUL bytes)", name, ErrUnsupported)
			}
			warn = fmt.Sprintf("%d NUL bytes in the text, read as spaces", nuls)
			if !utf8.Valid(data) {
				dec, enc = charmap.Windows1252.NewDecoder(), "windows-1252"
			}
		}
	case !utf8.Valid(data):
		dec, enc = charmap.Windows1252.NewDecoder(), "windows-1252"
	}
	text = string(data)
	if dec != nil {
		out, err := dec.Bytes(data)
		if err != nil {
			return "", "", "", fmt.Errorf("%s: %w: decode %s: %v", name, ErrUnsupported, enc, err)
		}
		text = string(out)
	}
	if looksBinary(text) {
		return "", "", "", fmt.Errorf("%s: %w: binary data (control characters)", name, ErrUnsupported)
	}
	return text, enc, warn, nil
}

// warnOn records on a document what its parser could not read as it was
// written; ingest reports it and exits non-zero.
func warnOn(d *mosaic.Document, warn string) {
	if warn == "" {
		return
	}
	if d.Meta == nil {
		d.Meta = map[string]string{}
	}
	if w := d.Meta[mosaic.MetaWarning]; w != "" {
		warn = w + "; " + warn
	}
	d.Meta[mosaic.MetaWarning] = warn
}

// utf16Order guesses the byte order of BOM-less UTF-16 text from where its
// NUL bytes fall: "le", "be", or "" when data does not look like UTF-16.
func utf16Order(data []byte) string {
	if len(data) < 4 || len(data)%2 != 0 {
		return ""
	}
	sample := data[:min(len(data), 4096)&^1]
	var even, odd int
	for i := 0; i < len(sample); i += 2 {
		if sample[i] == 0 {
			even++
		}
		if sample[i+1] == 0 {
			odd++
		}
	}
	pairs := len(sample) / 2
	switch {
	case odd*10 >= pairs*7 && even*20 < pairs:
		return "le"
	case even*10 >= pairs*7 && odd*20 < pairs:
		return "be"
	}
	return ""
}

// looksBinary reports whether more than one character in fifty is a control
// character no text file uses. Binary data decoded as Windows-1252 is full
// of them; real text has none or a stray few.
func looksBinary(s string) bool {
	var runes, ctrl int
	for _, r := range s {
		runes++
		if isStrayControl(r) || r == utf8.RuneError {
			ctrl++
		}
	}
	return ctrl > 2 && ctrl*50 > runes
}

// isStrayControl reports the C0 and C1 control characters other than the
// ones that lay out text (tab, line feed, carriage return, form feed,
// vertical tab).
func isStrayControl(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r == '\r' || r == '\f' || r == '\v':
		return false
	case r < 0x20 || r == 0x7f:
		return true
	case r >= 0x80 && r <= 0x9f:
		return true
	}
	return false
}

// cleanText makes s safe to store and index: valid UTF-8, "\n" line
// endings, form feeds and vertical tabs as line breaks, no byte-order mark
// and no other control characters. It changes nothing else, so line
// structure and spacing survive.
func cleanText(s string) string {
	clean := utf8.ValidString(s) && !strings.HasPrefix(s, "\ufeff")
	if clean {
		for _, r := range s {
			if r == '\r' || r == '\f' || r == '\v' || isStrayControl(r) {
				clean = false
				break
			}
		}
	}
	if clean {
		return s
	}
	s = strings.TrimPrefix(strings.ToValidUTF8(s, "\uFFFD"), "\ufeff")
	out, _ := appendClean(make([]byte, 0, len(s)), []byte(s), false)
	return string(out)
}

// appendClean appends s to dst cleaned as cleanText cleans, but for a
// leading byte-order mark, which it keeps: s may be a piece of a longer
// text (see partStream), where U+FEFF is an ordinary character. A carriage
// return at the very end of s is read as a line break of its own. A run of
// bytes that are not UTF-8 becomes one U+FFFD, as with strings.ToValidUTF8;
// bad says the piece before s ended in such a run, and appendClean returns
// whether s does.
func appendClean(dst, s []byte, bad bool) ([]byte, bool) {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < 0x7f || c == '\n' || c == '\t' {
			dst = append(dst, c)
			i++
			bad = false
			continue
		}
		r, size := utf8.DecodeRune(s[i:])
		if r == utf8.RuneError && size == 1 {
			if !bad {
				dst = utf8.AppendRune(dst, utf8.RuneError)
			}
			i++
			bad = true
			continue
		}
		bad = false
		i += size
		switch {
		case r == '\r':
			dst = append(dst, '\n')
			if i < len(s) && s[i] == '\n' {
				i++
			}
		case r == '\f' || r == '\v':
			dst = append(dst, '\n')
		case isStrayControl(r):
		default:
			dst = append(dst, s[i-size:i]...)
		}
	}
	return dst, bad
}
