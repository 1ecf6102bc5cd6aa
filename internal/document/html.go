package document

import (
	"bytes"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
	"golang.org/x/net/html/charset"

	"mosaic"
)

const (
	// maxHTMLTree is the largest page parsed into a tree for readability.
	// A parse tree costs about ten times the page; bigger pages are read
	// as a token stream, which costs nothing but the text.
	maxHTMLTree = 16 << 20
	// maxReadabilityElems bounds the element count readability scores:
	// its candidate search is slow on huge pages and pointless on them.
	maxReadabilityElems = 100_000
	// minMainShare is the share of the whole body text that readability's
	// main text must reach to be used. Readability drops real content on
	// short pages (a two-paragraph statement, a table of contacts); losing
	// content is worse for an analyst than keeping a menu.
	minMainShare = 0.4
)

// parseHTML reads an HTML page: its title, date and description from the
// head, and its main text with scripts, styles and navigation dropped.
func parseHTML(name string, data []byte) ([]mosaic.Document, error) {
	text, enc, warn, err := decodeHTML(name, data)
	if err != nil {
		return nil, err
	}
	x := extractHTML(text, true)
	d := mosaic.Document{
		Format: mosaic.FormatHTML,
		Title:  x.pageTitle(),
		Text:   x.body,
		Date:   x.date(),
		Meta:   x.meta,
	}
	if enc != "utf-8" {
		d.Meta["Encoding"] = enc
	}
	warnOn(&d, warn)
	if len(d.Meta) == 0 {
		d.Meta = nil
	}
	return []mosaic.Document{d}, nil
}

// decodeHTML turns a page into UTF-8. Valid UTF-8 is taken as such whatever
// the page declares (a page declaring Latin-1 but written in UTF-8 is
// common; the reverse cannot be valid UTF-8); otherwise the page's own
// <meta charset> decides, and Windows-1252 failing that, as browsers do.
func decodeHTML(name string, data []byte) (text, enc, warn string, err error) {
	if utf8.Valid(data) || bytes.IndexByte(data, 0) >= 0 || bytes.HasPrefix(data, []byte("\xff\xfe")) || bytes.HasPrefix(data, []byte("\xfe\xff")) {
		return decodeText(name, data)
	}
	e, enc, _ := charset.DetermineEncoding(data, "text/html")
	out, err := e.NewDecoder().Bytes(data)
	if err != nil {
		return "", "", "", fmt.Errorf("%s: %w: decode %s: %v", name, ErrUnsupported, enc, err)
	}
	if looksBinary(string(out)) {
		return "", "", "", fmt.Errorf("%s: %w: binary data (control characters)", name, ErrUnsupported)
	}
	return string(out), enc, "", nil
}

// extractHTML reads a decoded page. With main set it keeps readability's
// main text when that is not much shorter than the whole body text; e-mail
// bodies pass false, since a message has no boilerplate to drop and
// readability would cut short ones.
func extractHTML(page string, main bool) *htmlExtractor {
	var doc *html.Node
	if len(page) <= maxHTMLTree {
		// x/net/html refuses pages nested deeper than 512 elements,
		// which bounds the tree walk and readability's recursion; such
		// pages fall through to the token stream below.
		doc, _ = html.Parse(strings.NewReader(page))
	}
	x := newHTMLExtractor()
	if doc == nil {
		x.streamTokens(page)
		x.meta[mosaic.MetaWarning] = "page too large or nested too deep for a parse tree: text read without its structure"
		x.body = x.w.String()
		return x
	}
	x.walk(doc)
	x.body = x.w.String()
	if !main {
		return x
	}
	if mainText := readableText(doc); float64(len(mainText)) >= minMainShare*float64(len(x.body)) {
		x.body = mainText
	}
	return x
}

// readableText returns readability's main text of doc, or "" when it finds
// none. It changes doc. Readability is a port of a heuristic JavaScript
// library run on hostile pages, so a panic in it costs the main-text
// selection, not the document.
func readableText(doc *html.Node) (text string) {
	defer func() {
		if recover() != nil {
			text = ""
		}
	}()
	p := readability.NewParser()
	p.MaxElemsToParse = maxReadabilityElems
	article, err := p.ParseDocument(doc, nil)
	if err != nil || article.Node == nil {
		return ""
	}
	m := newHTMLExtractor()
	m.walk(article.Node)
	return m.w.String()
}

// skipped are the elements whose content is never text a person reads on
// the page.
var skipped = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Nav: true, atom.Noscript: true,
	atom.Template: true, atom.Iframe: true, atom.Svg: true, atom.Math: true,
	atom.Canvas: true, atom.Object: true, atom.Embed: true, atom.Audio: true,
	atom.Video: true, atom.Head: true, atom.Select: true, atom.Button: true,
}

// blocks maps block elements to the line breaks around them: two (a blank
// line) around paragraphs, headings and lists, one around the rest, so that
// sentences of separate blocks never run together.
var blocks = map[atom.Atom]int{
	atom.P: 2, atom.H1: 2, atom.H2: 2, atom.H3: 2, atom.H4: 2, atom.H5: 2, atom.H6: 2,
	atom.Blockquote: 2, atom.Pre: 2, atom.Table: 2, atom.Ul: 2, atom.Ol: 2, atom.Dl: 2,
	atom.Hr: 2, atom.Figure: 2,
	atom.Div: 1, atom.Section: 1, atom.Article: 1, atom.Header: 1, atom.Footer: 1,
	atom.Main: 1, atom.Aside: 1, atom.Li: 1, atom.Tr: 1, atom.Dt: 1, atom.Dd: 1,
	atom.Address: 1, atom.Form: 1, atom.Fieldset: 1, atom.Details: 1, atom.Summary: 1,
	atom.Caption: 1, atom.Figcaption: 1, atom.Legend: 1, atom.Center: 1, atom.Option: 1,
	atom.Body: 1, atom.Textarea: 1,
}

// htmlExtractor collects a page's text and metadata from a sequence of
// start tags, end tags and text, which come either from walking a parse
// tree or straight from the tokenizer.
type htmlExtractor struct {
	w    textWriter
	skip []atom.Atom // open skipped elements; text inside them is dropped
	body string

	title, h1     strings.Builder
	inTitle, inH1 int
	gotTitle      bool
	gotH1         bool
	ogTitle       string
	dates         [4]string // candidates, best first: article:published_time, other meta, itemprop, <time>
	meta          map[string]string
}

func newHTMLExtractor() *htmlExtractor {
	return &htmlExtractor{meta: map[string]string{}}
}

// pageTitle is the <title>, else og:title, else the first h1.
func (x *htmlExtractor) pageTitle() string {
	for _, t := range []string{x.title.String(), x.ogTitle, x.h1.String()} {
		if t = strings.Join(strings.Fields(t), " "); t != "" {
			return t
		}
	}
	return ""
}

// date is the best publication date the page states.
func (x *htmlExtractor) date() time.Time {
	for _, s := range x.dates {
		if t, ok := parseDate(s); ok {
			return t
		}
	}
	return time.Time{}
}

// walk feeds the tree under root to x without recursion, so that tree
// depth costs no stack.
func (x *htmlExtractor) walk(root *html.Node) {
	n := root
	for n != nil {
		x.enter(n)
		// Skipped subtrees are not entered, except the head, which holds
		// the title and the meta tags.
		if a := nodeAtom(n); n.FirstChild != nil && !(n.Type == html.ElementNode && skipped[a] && a != atom.Head) {
			n = n.FirstChild
			continue
		}
		for n != nil {
			if n.Type == html.ElementNode {
				x.end(nodeAtom(n))
			}
			if n == root {
				return
			}
			if n.NextSibling != nil {
				n = n.NextSibling
				break
			}
			n = n.Parent
		}
	}
}

func (x *htmlExtractor) enter(n *html.Node) {
	switch n.Type {
	case html.ElementNode:
		x.start(nodeAtom(n), n.Attr)
	case html.TextNode:
		x.text(n.Data)
	}
}

// nodeAtom is the element's atom. Readability creates elements with a tag
// name but no atom.
func nodeAtom(n *html.Node) atom.Atom {
	if n.DataAtom == 0 && n.Type == html.ElementNode {
		return atom.Lookup([]byte(n.Data))
	}
	return n.DataAtom
}

// streamTokens feeds the page to x straight from the tokenizer: linear time
// and no memory but the text, whatever the nesting.
func (x *htmlExtractor) streamTokens(page string) {
	z := html.NewTokenizer(strings.NewReader(page))
	for {
		switch z.Next() {
		case html.ErrorToken:
			return
		case html.TextToken:
			x.text(string(z.Text()))
		case html.StartTagToken:
			t := z.Token()
			x.start(t.DataAtom, t.Attr)
			if isVoid(t.DataAtom) {
				x.end(t.DataAtom)
			}
		case html.SelfClosingTagToken:
			t := z.Token()
			x.start(t.DataAtom, t.Attr)
			x.end(t.DataAtom)
		case html.EndTagToken:
			name, _ := z.TagName()
			x.end(atom.Lookup(name))
		}
	}
}

// isVoid reports the elements that have no end tag.
func isVoid(a atom.Atom) bool {
	switch a {
	case atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Param, atom.Source, atom.Track, atom.Wbr:
		return true
	}
	return false
}

func (x *htmlExtractor) start(a atom.Atom, attrs []html.Attribute) {
	switch a {
	case atom.Title:
		x.inTitle++
	case atom.H1:
		x.inH1++
	case atom.Meta:
		x.metaTag(attrs)
	case atom.Html:
		if lang := attr(attrs, "lang"); lang != "" {
			x.meta["Language"] = lang
		}
	case atom.Time:
		if x.dates[3] == "" {
			x.dates[3] = attr(attrs, "datetime")
		}
	case atom.Body:
		// A sloppy page may never close its head; the body does.
		x.popSkip(atom.Head)
	}
	if itemprop := attr(attrs, "itemprop"); itemprop == "datePublished" && x.dates[2] == "" {
		x.dates[2] = attr(attrs, "content") + attr(attrs, "datetime")
	}
	if skipped[a] && !isVoid(a) {
		x.skip = append(x.skip, a)
		return
	}
	if len(x.skip) > 0 {
		return
	}
	switch a {
	case atom.Br:
		x.w.breakLine()
	case atom.Li:
		x.w.lineBreak(1)
		x.w.prefix("- ")
	case atom.Tr:
		x.w.lineBreak(1)
		x.w.cells = 0
	case atom.Td, atom.Th:
		if x.w.cells > 0 {
			x.w.tab()
		}
		x.w.cells++
	case atom.Pre:
		x.w.pre++
	}
	if n, ok := blocks[a]; ok {
		x.w.lineBreak(n)
	}
}

func (x *htmlExtractor) end(a atom.Atom) {
	switch a {
	case atom.Title:
		if x.inTitle > 0 {
			x.inTitle--
			x.gotTitle = x.gotTitle || x.title.Len() > 0
		}
	case atom.H1:
		if x.inH1 > 0 {
			x.inH1--
			x.gotH1 = x.gotH1 || x.h1.Len() > 0
		}
	}
	if skipped[a] {
		x.popSkip(a)
		return
	}
	if len(x.skip) > 0 {
		return
	}
	if a == atom.Pre && x.w.pre > 0 {
		x.w.pre--
	}
	if n, ok := blocks[a]; ok {
		x.w.lineBreak(n)
	}
}

// popSkip closes the innermost open skipped element a, and any opened
// inside it that were never closed.
func (x *htmlExtractor) popSkip(a atom.Atom) {
	for i := len(x.skip) - 1; i >= 0; i-- {
		if x.skip[i] == a {
			x.skip = x.skip[:i]
			return
		}
	}
}

func (x *htmlExtractor) text(s string) {
	if x.inTitle > 0 {
		if !x.gotTitle {
			x.title.WriteString(s)
		}
		return
	}
	if len(x.skip) > 0 {
		return
	}
	if x.inH1 > 0 && !x.gotH1 {
		x.h1.WriteString(s)
	}
	x.w.text(s)
}

// metaTag records what a <meta> element says about the page.
func (x *htmlExtractor) metaTag(attrs []html.Attribute) {
	key := strings.ToLower(attr(attrs, "property") + attr(attrs, "name") + attr(attrs, "itemprop"))
	content := strings.TrimSpace(attr(attrs, "content"))
	if content == "" {
		return
	}
	set := func(k string) {
		if _, ok := x.meta[k]; !ok {
			x.meta[k] = content
		}
	}
	switch key {
	case "og:title":
		if x.ogTitle == "" {
			x.ogTitle = content
		}
	case "article:published_time", "og:article:published_time", "og:published_time":
		if x.dates[0] == "" {
			x.dates[0] = content
		}
	case "date", "dc.date", "dc.date.issued", "dc.date.created", "dcterms.date", "dcterms.created",
		"dcterms.issued", "pubdate", "publishdate", "publish_date", "publication_date",
		"citation_publication_date", "citation_date", "sailthru.date", "parsely-pub-date":
		if x.dates[1] == "" {
			x.dates[1] = content
		}
	case "datepublished":
		if x.dates[2] == "" {
			x.dates[2] = content
		}
	case "description", "og:description":
		set("Description")
	case "author", "article:author", "dc.creator":
		set("Author")
	case "keywords", "news_keywords":
		set("Keywords")
	case "og:site_name":
		set("SiteName")
	}
}

// attr returns the value of the attribute named key, or "".
func attr(attrs []html.Attribute, key string) string {
	for _, a := range attrs {
		if a.Namespace == "" && a.Key == key {
			return a.Val
		}
	}
	return ""
}

// textWriter lays out text the way a browser shows it: runs of white space
// collapse to one space, block elements start new lines, and white space
// inside <pre> is kept.
type textWriter struct {
	b        strings.Builder
	newlines int  // line breaks owed before the next text
	space    bool // a space owed before the next text
	prefixed bool // a list marker was just written: no break before the item's text
	pre      int  // depth of open <pre> elements
	cells    int  // cells written in the current table row
}

func (w *textWriter) String() string { return strings.TrimSpace(w.b.String()) }

// lineBreak owes at least n line breaks (1: new line, 2: blank line).
func (w *textWriter) lineBreak(n int) {
	if !w.prefixed && n > w.newlines {
		w.newlines = n
	}
}

// breakLine is a <br>: one more line break than already owed.
func (w *textWriter) breakLine() {
	if w.newlines < 2 {
		w.newlines++
	}
}

// prefix writes a list marker on a fresh line.
func (w *textWriter) prefix(p string) {
	w.flush()
	w.b.WriteString(p)
	w.prefixed = true
}

// tab separates table cells.
func (w *textWriter) tab() {
	if w.b.Len() > 0 {
		w.b.WriteByte('\t')
	}
	w.newlines, w.space, w.prefixed = 0, false, false
}

func (w *textWriter) text(s string) {
	if w.pre > 0 {
		if s != "" {
			w.flush()
			w.b.WriteString(s)
		}
		return
	}
	for len(s) > 0 {
		i := 0
		for i < len(s) && isHTMLSpace(s[i]) {
			i++
		}
		if i > 0 {
			w.space = true
			s = s[i:]
			continue
		}
		for i < len(s) && !isHTMLSpace(s[i]) {
			i++
		}
		w.flush()
		w.b.WriteString(s[:i])
		s = s[i:]
	}
}

// flush writes the line breaks or space owed before new text.
func (w *textWriter) flush() {
	if w.b.Len() > 0 && !w.prefixed {
		switch {
		case w.newlines > 0:
			w.b.WriteString("\n\n"[:min(w.newlines, 2)])
		case w.space:
			w.b.WriteByte(' ')
		}
	}
	w.newlines, w.space, w.prefixed = 0, false, false
}

func isHTMLSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'
}
