package document

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"fmt"
	"io"
	"strings"

	"golang.org/x/net/html/charset"

	"mosaic"
)

// Namespaces of the WordprocessingML parts read here.
const (
	nsWord    = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsMarkup  = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsDC      = "http://purl.org/dc/elements/1.1/"
	nsDCTerms = "http://purl.org/dc/terms/"
	nsCore    = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
)

// isDOCX reports whether data is a zip archive holding a Word document.
func isDOCX(data []byte) bool {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return false
	}
	return docxPart(zr, "word/document.xml") != nil
}

// docxPart finds a part by name; Word matches part names without regard to
// case.
func docxPart(zr *zip.Reader, name string) *zip.File {
	for _, f := range zr.File {
		if strings.EqualFold(f.Name, name) {
			return f
		}
	}
	return nil
}

// parseDOCX reads a Word document: paragraphs as lines, tabs and breaks as
// written, table cells separated by tabs and rows by newlines, and title,
// dates and authors from docProps/core.xml. A DOCX is a zip archive, so its
// parts are read with the same bomb checks as any archive member.
func parseDOCX(name string, data []byte, lim Limits) ([]mosaic.Document, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, fmt.Errorf("%s: %w DOCX: %v", name, ErrCorrupt, err)
	}
	body := docxPart(zr, "word/document.xml")
	if body == nil {
		return nil, fmt.Errorf("%s: %w DOCX: no word/document.xml", name, ErrCorrupt)
	}
	budget := &expansion{limit: lim.MaxArchiveTotal}
	xmlData, err := readMember(name+"!"+body.Name, body, lim, budget)
	if err != nil {
		return nil, err
	}
	text, err := docxText(xmlData)
	if err != nil {
		return nil, fmt.Errorf("%s: %w DOCX: word/document.xml: %v", name, ErrCorrupt, err)
	}
	d := mosaic.Document{Format: mosaic.FormatDOCX, Text: text}
	if core := docxPart(zr, "docProps/core.xml"); core != nil {
		// Properties are a nicety: a document whose core.xml is damaged
		// is still read.
		if coreData, err := readMember(name+"!"+core.Name, core, lim, budget); err == nil {
			d.Meta = docxProperties(coreData)
			d.Title = d.Meta["Title"]
			if t, ok := parseDate(d.Meta["Created"]); ok {
				d.Date = t
			}
		}
	}
	return []mosaic.Document{d}, nil
}

// docxText lays out the text of word/document.xml. It streams tokens and
// keeps no element stack of its own, so nesting depth costs nothing.
func docxText(data []byte) (string, error) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charset.NewReaderLabel
	var b []byte
	var (
		inText bool // inside w:t, whose character data is the text
		skip   int  // depth inside elements whose text is not shown
		cells  int  // depth of open table cells
	)
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if skip > 0 {
				skip++
				continue
			}
			switch {
			case t.Name.Space == nsMarkup && t.Name.Local == "Fallback":
				// mc:AlternateContent repeats text boxes for old
				// readers; the mc:Choice copy is enough.
				skip = 1
			case t.Name.Space != nsWord:
			case t.Name.Local == "delText" || t.Name.Local == "instrText":
				// Deleted revisions and field codes are not visible text.
				skip = 1
			case t.Name.Local == "t":
				inText = true
			case t.Name.Local == "tab" || t.Name.Local == "ptab":
				b = append(b, '\t')
			case t.Name.Local == "br" || t.Name.Local == "cr":
				b = append(b, '\n')
			case t.Name.Local == "noBreakHyphen":
				b = append(b, '-')
			case t.Name.Local == "tc":
				cells++
			}
		case xml.EndElement:
			if skip > 0 {
				skip--
				continue
			}
			if t.Name.Space != nsWord {
				continue
			}
			switch t.Name.Local {
			case "t":
				inText = false
			case "p":
				if cells > 0 {
					// Paragraphs within a cell stay on the row's line.
					b = append(b, ' ')
				} else {
					b = append(b, '\n')
				}
			case "tc":
				cells = max(cells-1, 0)
				b = append(bytes.TrimSuffix(b, []byte(" ")), '\t')
			case "tr":
				b = append(bytes.TrimSuffix(b, []byte("\t")), '\n')
			}
		case xml.CharData:
			if inText && skip == 0 {
				b = append(b, t...)
			}
		}
	}
	return strings.TrimSpace(string(b)), nil
}

// docxProperties reads the Dublin Core properties of docProps/core.xml.
func docxProperties(data []byte) map[string]string {
	names := map[xml.Name]string{
		{Space: nsDC, Local: "title"}:            "Title",
		{Space: nsDC, Local: "subject"}:          "Subject",
		{Space: nsDC, Local: "creator"}:          "Author",
		{Space: nsDC, Local: "description"}:      "Description",
		{Space: nsDC, Local: "language"}:         "Language",
		{Space: nsCore, Local: "keywords"}:       "Keywords",
		{Space: nsCore, Local: "lastModifiedBy"}: "LastModifiedBy",
		{Space: nsCore, Local: "category"}:       "Category",
		{Space: nsDCTerms, Local: "created"}:     "Created",
		{Space: nsDCTerms, Local: "modified"}:    "Modified",
		{Space: nsDC, Local: "identifier"}:       "Identifier",
	}
	meta := map[string]string{}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.CharsetReader = charset.NewReaderLabel
	var key string
	var val strings.Builder
	for {
		tok, err := dec.Token()
		if err != nil {
			break // EOF, or damage after the properties read so far
		}
		switch t := tok.(type) {
		case xml.StartElement:
			key = names[t.Name]
			val.Reset()
		case xml.CharData:
			if key != "" {
				val.Write(t)
			}
		case xml.EndElement:
			if v := strings.TrimSpace(val.String()); key != "" && v != "" {
				meta[key] = v
			}
			key = ""
		}
	}
	if len(meta) == 0 {
		return nil
	}
	return meta
}
