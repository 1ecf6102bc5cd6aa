package document

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"mosaic"
)

func TestParseMail(t *testing.T) {
	docs, err := parseFile(t, "testdata/mail/meeting.eml")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 3 {
		t.Fatalf("got %d documents, want the message and two attachments", len(docs))
	}
	msg := docs[0]
	if msg.Format != mosaic.FormatMail || msg.Title != "Réunion à Kessling Quay" || msg.Parent != "" {
		t.Errorf("format %s, title %q, parent %q", msg.Format, msg.Title, msg.Parent)
	}
	if want := time.Date(2019, 3, 28, 8, 15, 0, 0, time.UTC); !msg.Date.Equal(want) {
		t.Errorf("date = %v, want %v", msg.Date, want)
	}
	wantMeta := map[string]string{
		"From":        "Velmar Ostrik <v.ostrik@kessling-ferries.example>",
		"To":          "Nell Varga <n.varga@harbour-police.example>",
		"Cc":          "José Marrón <j.marron@harbour-police.example>",
		"Subject":     "Réunion à Kessling Quay",
		"Date":        "Thu, 28 Mar 2019 09:15:00 +0100",
		"Message-ID":  "<20190328.0915.4471@kessling-ferries.example>",
		"In-Reply-To": "<20190327.1800.0001@harbour-police.example>",
		"References":  "<20190327.1800.0001@harbour-police.example>",
		"attachments": "quay-notes.txt\nstatement.docx\nbroken.pdf",
	}
	for k, v := range wantMeta {
		if msg.Meta[k] != v {
			t.Errorf("meta %s = %q, want %q", k, msg.Meta[k], v)
		}
	}
	if errs := msg.Meta["attachment-errors"]; !strings.Contains(errs, "meeting.eml!broken.pdf: corrupt PDF") {
		t.Errorf("attachment-errors = %q", errs)
	}
	// Latin-1 quoted-printable, with a soft line break inside "quai".
	for _, w := range []string{"J'ai revu Tamsin Quorlby hier soir au café de la gare, à côté du quai 3.\n",
		"Elle était accompagnée d'Edric Fenwold"} {
		if !strings.Contains(msg.Text, w) {
			t.Errorf("text lacks %q:\n%s", w, msg.Text)
		}
	}
	tests := []struct {
		source string
		format mosaic.Format
		title  string
		text   string
	}{
		{"testdata/mail/meeting.eml!quay-notes.txt", mosaic.FormatText, "quay-notes.txt", "Brannock Shipping paid Ilvane Trading twice."},
		{"testdata/mail/meeting.eml!statement.docx", mosaic.FormatDOCX, "Harbour Street Interview", "VELMAR OSTRIK: My name is Velmar Ostrik."},
	}
	for i, tt := range tests {
		d := docs[i+1]
		if d.Source != tt.source || d.Format != tt.format || d.Title != tt.title || d.Parent != msg.ID {
			t.Errorf("attachment %d: source %q, format %s, title %q, parent %s", i, d.Source, d.Format, d.Title, d.Parent.Short())
		}
		if !strings.Contains(d.Text, tt.text) {
			t.Errorf("attachment %d text lacks %q", i, tt.text)
		}
	}
	docx := readFixture(t, "testdata/docx/interview.docx")
	if docs[2].ID != mosaic.NewDocID(docx) || docs[2].Size != int64(len(docx)) {
		t.Error("the attached DOCX does not have the ID and size of the same file on disk")
	}
}

// message builds a MIME message with the given body parts.
func message(subject string, parts ...string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "From: a@example.org\r\nTo: b@example.org\r\nSubject: %s\r\nMessage-ID: <%s@example.org>\r\nMIME-Version: 1.0\r\n", subject, strings.ReplaceAll(subject, " ", "."))
	fmt.Fprintf(&b, "Content-Type: multipart/mixed; boundary=\"b-%s\"\r\n\r\n", strings.ReplaceAll(subject, " ", "-"))
	for _, p := range parts {
		fmt.Fprintf(&b, "--b-%s\r\n%s\r\n", strings.ReplaceAll(subject, " ", "-"), p)
	}
	fmt.Fprintf(&b, "--b-%s--\r\n", strings.ReplaceAll(subject, " ", "-"))
	return b.String()
}

func TestParseMailHTMLBody(t *testing.T) {
	raw := "From: a@example.org\r\nTo: b@example.org\r\nSubject: html only\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: text/html; charset=utf-8\r\n\r\n" +
		"<html><head><style>p{}</style><script>alert('SCRIPT')</script></head><body><p>Meet Orla Brisk</p><p>at the quay.</p></body></html>"
	docs, err := Parse("h.eml", []byte(raw), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, docs)
	if docs[0].Text != "Meet Orla Brisk\n\nat the quay." {
		t.Errorf("text = %q", docs[0].Text)
	}
}

// TestParseMailNested attaches messages to messages: each level is parsed
// down to MaxDepth, and the level past it is recorded, not parsed.
func TestParseMailNested(t *testing.T) {
	raw := message("level 6", "Content-Type: text/plain\r\n\r\ninnermost text\r\n")
	for level := 5; level >= 0; level-- {
		raw = message(fmt.Sprintf("level %d", level),
			"Content-Type: text/plain\r\n\r\nbody of level "+fmt.Sprint(level)+"\r\n",
			"Content-Type: message/rfc822\r\nContent-Disposition: attachment\r\n\r\n"+raw)
	}
	docs, err := Parse("chain.eml", []byte(raw), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, docs)
	if len(docs) != 5 {
		for _, d := range docs {
			t.Log(d.Source, d.Title)
		}
		t.Fatalf("got %d documents, want levels 0 to 4", len(docs))
	}
	for i, d := range docs {
		if want := fmt.Sprintf("level %d", i); d.Title != want {
			t.Errorf("document %d title %q, want %q", i, d.Title, want)
		}
		if i > 0 && d.Parent != docs[i-1].ID {
			t.Errorf("document %d parent is not level %d", i, i-1)
		}
	}
	if want := "chain.eml" + strings.Repeat("!attachment-1.eml", 4); docs[4].Source != want {
		t.Errorf("source = %q, want %q", docs[4].Source, want)
	}
	if errs := docs[4].Meta["attachment-errors"]; !strings.Contains(errs, "too large: attachments nested more than 4 deep") {
		t.Errorf("level 4 attachment-errors = %q", errs)
	}
}

func TestParseMailHostile(t *testing.T) {
	var nested strings.Builder
	nested.WriteString("From: a@example.org\r\nTo: b@example.org\r\nMIME-Version: 1.0\r\n")
	for i := range 2000 {
		fmt.Fprintf(&nested, "Content-Type: multipart/mixed; boundary=\"b%d\"\r\n\r\n--b%d\r\n", i, i)
	}
	start := time.Now()
	_, err := Parse("nested.eml", []byte(nested.String()), DefaultLimits())
	if time.Since(start) > 5*time.Second {
		t.Errorf("took %v", time.Since(start))
	}
	wantErr(t, err, ErrTooLarge, "nested.eml", "multipart bodies nested more than 10 deep")

	_, err = Parse("odd.eml", []byte("no headers at all\n\njust text"), DefaultLimits())
	wantErr(t, err, ErrCorrupt, "odd.eml", "corrupt e-mail")

	// Headers only, no body, no blank line: still a message.
	docs, err := Parse("short.eml", []byte("From: a@example.org\r\nSubject: only headers"), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	checkDocs(t, docs)
	if docs[0].Title != "only headers" {
		t.Errorf("title = %q", docs[0].Title)
	}
}

// TestParseMailBrokenBoundary: a multipart message whose declared boundary
// never appears keeps its body as text, with a warning, and makes no
// attachment of what the MIME reader made of it; a well-formed message
// warns of nothing.
func TestParseMailBrokenBoundary(t *testing.T) {
	broken := "From: a@example.org\r\nTo: b@example.org\r\nSubject: the plan\r\nMIME-Version: 1.0\r\n" +
		"Content-Type: multipart/mixed; boundary=\"XYZ\"\r\n\r\n--ABC\r\nContent-Type: text/plain\r\n\r\n" +
		"The courier meets the buyer in Lyon on Friday.\r\n--ABC--\r\n"
	docs, err := Parse("broken.eml", []byte(broken), DefaultLimits())
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 1 || !strings.Contains(docs[0].Text, "meets the buyer in Lyon") {
		t.Fatalf("got %d documents, text %q; want the message with its body", len(docs), docs[0].Text)
	}
	if w := docs[0].Meta[mosaic.MetaWarning]; !strings.Contains(w, `MIME boundary "XYZ" never appears`) {
		t.Errorf("warning %q", w)
	}
	good := strings.ReplaceAll(broken, "ABC", "XYZ")
	docs, err = Parse("good.eml", []byte(good), DefaultLimits())
	if err != nil || docs[0].Meta[mosaic.MetaWarning] != "" || !strings.Contains(docs[0].Text, "meets the buyer") {
		t.Errorf("well-formed: err %v, warning %q, text %q", err, docs[0].Meta[mosaic.MetaWarning], docs[0].Text)
	}
}
