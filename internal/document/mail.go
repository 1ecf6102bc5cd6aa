package document

import (
	"bytes"
	"fmt"
	"mime"
	"net/mail"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/jhillyerd/enmime/v2"

	"mosaic"
)

// maxMIMEDepth bounds the nesting of multipart bodies in one message.
// enmime reads every byte through the boundary reader of each enclosing
// multipart, and when boundaries are left unclosed its cost doubles with
// every level past about fifteen (26 levels over 200 KB took 20 s). Real
// mail nests three or four deep; forwarded messages sent inline add a few.
const maxMIMEDepth = 10

// mailHeaders are the headers kept as Meta, under these names.
var mailHeaders = []string{"From", "To", "Cc", "Date", "Subject", "Message-ID", "In-Reply-To", "References"}

// attachmentExt names a file extension for attachments sent without a file
// name, so that Parse picks the right reader for them.
var attachmentExt = map[string]string{
	"message/rfc822":   ".eml",
	"text/plain":       ".txt",
	"text/html":        ".html",
	"text/csv":         ".csv",
	"application/pdf":  ".pdf",
	"application/json": ".json",
	"application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
}

// parseMail reads an RFC 5322 message: its text body (or its HTML body as
// text), its headers as Meta, and its attachments, each parsed as a file of
// its own and returned after the message with Parent set to the message's
// ID. An attachment that cannot be read is listed in the message's Meta
// "attachment-errors" and does not fail the message.
func parseMail(name string, data []byte, lim Limits, depth int) ([]mosaic.Document, error) {
	if mimeDepth(data) > maxMIMEDepth {
		return nil, fmt.Errorf("%s: %w: multipart bodies nested more than %d deep", name, ErrTooLarge, maxMIMEDepth)
	}
	// The HTML body goes through this package's HTML reader, which drops
	// scripts and keeps block structure, rather than enmime's converter.
	p := enmime.NewParser(enmime.DisableTextConversion(true))
	env, err := p.ReadEnvelope(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("%s: %w e-mail: %v", name, ErrCorrupt, err)
	}
	msg := mosaic.Document{
		ID:     mosaic.NewDocID(data),
		Format: mosaic.FormatMail,
		Text:   env.Text,
		Meta:   map[string]string{},
	}
	// What the MIME reader lost or could not place (a boundary that never
	// comes, a part it dropped) is said, not swallowed.
	for _, e := range env.Errors {
		if e.Severe || e.Name == enmime.ErrorMissingBoundary {
			warnOn(&msg, "MIME: "+e.Error())
		}
	}
	for _, h := range mailHeaders {
		if v := strings.Join(strings.Fields(env.GetHeader(h)), " "); v != "" {
			msg.Meta[h] = v
		}
	}
	msg.Title = msg.Meta["Subject"]
	if t, err := mail.ParseDate(msg.Meta["Date"]); err == nil {
		msg.Date = t
	} else if t, ok := parseDate(msg.Meta["Date"]); ok {
		msg.Date = t
	}
	if strings.TrimSpace(msg.Text) == "" && env.HTML != "" {
		msg.Text = extractHTML(env.HTML, false).body
	}
	// A multipart message whose boundary never comes has no parts: what
	// the MIME reader made of it is not the message. Its body, as written,
	// is read as text, and the message says so.
	broken := missingBoundary(env.GetHeader("Content-Type"), data)
	if broken != "" {
		warnOn(&msg, fmt.Sprintf("MIME boundary %q never appears: the body is read as plain text, and no attachment", broken))
		if text, _, warn, err := decodeText(name, rawBody(data)); err == nil {
			msg.Text = text
			warnOn(&msg, warn)
		}
	}
	if !utf8.ValidString(msg.Text) {
		// A part whose charset enmime could not convert comes through
		// as raw bytes: read them as Windows-1252 rather than lose them.
		if text, _, warn, err := decodeText(name, []byte(msg.Text)); err == nil {
			msg.Text = text
			warnOn(&msg, warn)
		}
	}

	docs := []mosaic.Document{msg}
	var names, failures []string
	// Every attachment is a file; an inline or other part is one only when
	// it has a name, otherwise it is an image or alternative of the body.
	parts := append([]*enmime.Part{}, env.Attachments...)
	for _, part := range slices.Concat(env.Inlines, env.OtherParts) {
		if part.FileName != "" {
			parts = append(parts, part)
		}
	}
	if broken != "" {
		parts = nil
	}
	for i, part := range parts {
		file := attachmentName(part, i+1)
		names = append(names, file)
		path := name + "!" + file
		if depth+1 > lim.MaxDepth {
			failures = append(failures, fmt.Sprintf("%s: %v: attachments nested more than %d deep", path, ErrTooLarge, lim.MaxDepth))
			continue
		}
		children, err := parse(path, part.Content, lim, depth+1)
		if err != nil {
			failures = append(failures, err.Error())
		}
		for _, c := range children {
			if c.Parent == "" {
				c.Parent = msg.ID
			}
			docs = append(docs, c)
		}
	}
	if len(names) > 0 {
		docs[0].Meta["attachments"] = strings.Join(names, "\n")
	}
	if len(failures) > 0 {
		docs[0].Meta["attachment-errors"] = strings.Join(failures, "\n")
	}
	return docs, nil
}

// attachmentName is the attachment's own file name without directories,
// or "attachment-N" with an extension for its content type. "!" separates
// the levels of a Source path, so it may not appear in a name.
func attachmentName(part *enmime.Part, n int) string {
	name := strings.ReplaceAll(baseName(strings.ReplaceAll(part.FileName, "!", "_")), "!", "_")
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return -1
		}
		return r
	}, name)
	if strings.TrimSpace(name) == "" || name == "." || name == ".." {
		name = "attachment-" + strconv.Itoa(n) + attachmentExt[part.ContentType]
	}
	return name
}

// mimeDepth estimates how deep the multipart bodies of a message nest,
// without parsing it: every boundary declared opens a level, and a
// delimiter line of an enclosing boundary closes the levels inside it. It
// overestimates for messages attached as text, whose own multiparts count
// too, which errs on the side of refusing.
func mimeDepth(data []byte) int {
	var open [][]byte // boundaries of the multiparts open, outermost first
	deepest := 0
	for len(data) > 0 {
		line := data
		if i := bytes.IndexByte(data, '\n'); i >= 0 {
			line, data = data[:i], data[i+1:]
		} else {
			data = nil
		}
		if rest, ok := bytes.CutPrefix(line, []byte("--")); ok {
			for i := len(open) - 1; i >= 0; i-- {
				if after, ok := bytes.CutPrefix(rest, open[i]); ok {
					if bytes.HasPrefix(after, []byte("--")) {
						open = open[:i] // closing delimiter
					} else {
						open = open[:i+1]
					}
					break
				}
			}
			continue
		}
		if !bytes.Contains(line, []byte("oundary=")) && !bytes.Contains(line, []byte("OUNDARY=")) {
			continue
		}
		// Lower ASCII only: bytes.ToLower turns invalid UTF-8 into
		// U+FFFD, changing lengths and so the index into line.
		lower := append([]byte(nil), line...)
		for j, c := range lower {
			if 'A' <= c && c <= 'Z' {
				lower[j] = c + 'a' - 'A'
			}
		}
		i := bytes.Index(lower, []byte("boundary="))
		if i < 0 {
			continue
		}
		b := line[i+len("boundary="):]
		if q, ok := bytes.CutPrefix(b, []byte(`"`)); ok {
			if j := bytes.IndexByte(q, '"'); j >= 0 {
				b = q[:j]
			}
		} else if j := bytes.IndexAny(b, "; \t\r"); j >= 0 {
			b = b[:j]
		}
		if len(b) > 0 {
			open = append(open, b)
			deepest = max(deepest, len(open))
		}
	}
	return deepest
}

// missingBoundary returns the boundary a multipart Content-Type declares
// when the message never uses it ("--" and the boundary at a line start),
// or "".
func missingBoundary(contentType string, data []byte) string {
	mt, params, err := mime.ParseMediaType(contentType)
	if err != nil || !strings.HasPrefix(mt, "multipart/") || params["boundary"] == "" {
		return ""
	}
	b := params["boundary"]
	body := rawBody(data)
	if bytes.HasPrefix(body, []byte("--"+b)) || bytes.Contains(body, []byte("\n--"+b)) {
		return ""
	}
	return b
}

// rawBody returns what follows a message's header: the bytes after the
// first blank line.
func rawBody(data []byte) []byte {
	for _, sep := range []string{"\r\n\r\n", "\n\n"} {
		if i := bytes.Index(data, []byte(sep)); i >= 0 {
			return data[i+len(sep):]
		}
	}
	return nil
}
