package document

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"mosaic"
)

func TestParseHTMLArticle(t *testing.T) {
	docs, err := parseFile(t, "testdata/html/article.html")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 {
		t.Fatalf("got %d documents, want 1", len(docs))
	}
	d := docs[0]
	if d.Format != mosaic.FormatHTML {
		t.Errorf("format = %s", d.Format)
	}
	if want := "Ferry operator questioned over Kessling Quay deliveries | Harbour Gazette"; d.Title != want {
		t.Errorf("title = %q, want %q", d.Title, want)
	}
	if want := time.Date(2019, 4, 2, 7, 30, 0, 0, time.UTC); !d.Date.Equal(want) {
		t.Errorf("date = %v, want %v (article:published_time)", d.Date, want)
	}
	if d.Meta["Author"] != "Ines Caldwell" || d.Meta["Language"] != "en" || !strings.HasPrefix(d.Meta["Description"], "Police questioned") {
		t.Errorf("meta = %v", d.Meta)
	}
	for _, want := range []string{
		"Police in Kessling questioned the ferry operator Velmar Ostrik on Tuesday",
		"received by Brannock Shipping\nand forwarded to Ilvane Trading", // <br>
		"\n- Tamsin Quorlby, a freight broker\n- Edric Fenwold, a warehouse manager",
		"Date\tCargo\n14 March\tMachine parts",
		"two contacts:\n\n- Tamsin", // paragraphs end in a blank line
	} {
		if !strings.Contains(d.Text, want) {
			t.Errorf("text lacks %q:\n%s", want, d.Text)
		}
	}
	for _, absent := range []string{"SHOULD-NOT-APPEAR", "trackingToken", "font-family", "tracker", "Home"} {
		if strings.Contains(d.Text, absent) {
			t.Errorf("text contains %q:\n%s", absent, d.Text)
		}
	}
}

func TestParseHTMLFields(t *testing.T) {
	tests := []struct {
		name, page string
		title      string
		date       string // RFC 3339, "" for none
		want       []string
		absent     []string
	}{
		{
			name:  "og title",
			page:  `<html><head><meta property="og:title" content="OG Title"></head><body><h1>Heading</h1><p>x</p></body></html>`,
			title: "OG Title",
		},
		{
			name:  "h1 title",
			page:  `<html><body><h1>The  <em>Heading</em></h1><p>x</p></body></html>`,
			title: "The Heading",
		},
		{
			name:  "file name title",
			page:  `<html><body><p>no title at all</p></body></html>`,
			title: "page.html",
		},
		{
			name: "meta date",
			page: `<html><head><meta name="date" content="2018-06-12"></head><body><p>x</p></body></html>`,
			date: "2018-06-12T00:00:00Z",
		},
		{
			name: "time element",
			page: `<html><body><p>Posted <time datetime="2017-01-05T10:00:00Z">Jan 5</time></p></body></html>`,
			date: "2017-01-05T10:00:00Z",
		},
		{
			// Readability finds no article in a short page of separate
			// blocks; the whole body must still come through.
			name: "short page keeps all content",
			page: `<html><body><nav>Menu</nav><div>Contact: Orla Brisk</div><div>Phone: +44 7700 900123</div>` +
				`<table><tr><td>Alias</td><td>The Heron</td></tr></table></body></html>`,
			want:   []string{"Contact: Orla Brisk\n", "\nPhone: +44 7700 900123", "Alias\tThe Heron"},
			absent: []string{"Menu"},
		},
		{
			name: "pre keeps white space",
			page: "<html><body><pre>col1   col2\n  indented</pre><p>after</p></body></html>",
			want: []string{"col1   col2\n  indented\n\nafter"},
		},
		{
			name: "entities and white space collapse",
			page: "<html><body><p>caf&eacute;\n\n   &amp;   bar</p></body></html>",
			want: []string{"café & bar"},
		},
		{
			name: "latin-1 declared",
			page: "<html><head><meta charset=\"iso-8859-1\"><title>R\xe9sum\xe9</title></head><body><p>Marr\xf3n</p></body></html>",
			want: []string{"Marrón"}, title: "Résumé",
		},
		{
			name: "unclosed head in the stream",
			page: "<html><head><title>T</title><body><p>visible</p>",
			want: []string{"visible"}, title: "T",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			docs, err := Parse("page.html", []byte(tt.page), DefaultLimits())
			if err != nil {
				t.Fatal(err)
			}
			checkDocs(t, docs)
			d := docs[0]
			if tt.title != "" && d.Title != tt.title {
				t.Errorf("title = %q, want %q", d.Title, tt.title)
			}
			if tt.date != "" && d.Date.Format(time.RFC3339) != tt.date {
				t.Errorf("date = %v, want %s", d.Date, tt.date)
			}
			for _, w := range tt.want {
				if !strings.Contains(d.Text, w) {
					t.Errorf("text lacks %q:\n%q", w, d.Text)
				}
			}
			for _, a := range tt.absent {
				if strings.Contains(d.Text, a) {
					t.Errorf("text has %q:\n%q", a, d.Text)
				}
			}
		})
	}
}

// TestParseHTMLHostile checks that pathological nesting and size cost
// bounded time and still give the text.
func TestParseHTMLHostile(t *testing.T) {
	const n = 100_000
	nested := func(open, close string) string {
		return "<html><body>" + strings.Repeat(open, n) + "MARKER" + strings.Repeat(close, n) + "</body></html>"
	}
	var siblings strings.Builder
	siblings.WriteString("<html><body>")
	for i := range n * 2 {
		fmt.Fprintf(&siblings, "<p>paragraph %d MARKER</p>", i)
	}
	tests := []struct {
		name, page string
	}{
		{"nested div", nested("<div>", "</div>")},
		{"nested span", nested("<span>", "</span>")},
		{"nested b i", nested("<b><i>", "</i></b>")},
		{"nested table", nested("<table><tr><td>", "</td></tr></table>")},
		{"nested a", nested("<a href=x>", "</a>")},
		{"nested li", nested("<ul><li>", "</li></ul>")},
		{"unclosed div", "<html><body>" + strings.Repeat("<div>", n) + "MARKER"},
		{"unclosed nav", "<html><body><p>MARKER</p>" + strings.Repeat("<nav>", n)},
		{"siblings", siblings.String()},
		// Past maxHTMLTree the page is streamed, never built as a tree.
		{"huge", "<html><head><title>Huge</title></head><body>" + strings.Repeat("<p>MARKER words</p>", (maxHTMLTree/18)+1000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			start := time.Now()
			docs, err := Parse("deep.html", []byte(tt.page), DefaultLimits())
			took := time.Since(start)
			t.Logf("%d bytes in %v", len(tt.page), took)
			if took > 20*time.Second {
				t.Errorf("took %v", took)
			}
			if err != nil {
				t.Fatal(err)
			}
			checkDocs(t, docs)
			if !strings.Contains(docs[0].Text, "MARKER") {
				t.Errorf("text lost the content: %.200q", docs[0].Text)
			}
			if tt.name == "huge" && (docs[0].Title != "Huge" || docs[0].Meta["Warning"] == "" || !strings.HasPrefix(docs[0].Text, "MARKER words\n\nMARKER")) {
				t.Errorf("streamed page: title %q, meta %v, text %.40q", docs[0].Title, docs[0].Meta, docs[0].Text)
			}
		})
	}
}
