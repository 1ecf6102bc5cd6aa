package document

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"
	"testing/iotest"
	"unicode/utf8"

	"mosaic"
)

func TestCutPart(t *testing.T) {
	for _, c := range []struct {
		name, text string
		size       int
		want       string // the first part
	}{
		{"short", "abc", 16, "abc"},
		{"blank line first", "aaaaaaaaaaa\n\nbbb\ncccccccc", 20, "aaaaaaaaaaa\n\n"},
		{"blank line in the first half only", "a\n\nbbbbbbbbbbbbbbbbbbbbbbbb\nccccccc", 32, "a\n\nbbbbbbbbbbbbbbbbbbbbbbbb\n"},
		{"line break", "aaaaaaaaaa\nbbbbbbbbbbbbbbbbbbbbbbbbbbb", 20, "aaaaaaaaaa\n"},
		{"sentence end", "aaaa bbb. ccc dd eeeeeeeeeeeeeeeee", 16, "aaaa bbb. "},
		{"space", "aaaaaaaaa bbbbbbbbbbbbbbbbb", 16, "aaaaaaaaa "},
		{"no break: a rune is never split", strings.Repeat("é", 20), 17, strings.Repeat("é", 8)},
		{"no break: ASCII", strings.Repeat("x", 40), 16, strings.Repeat("x", 16)},
		{"four-byte runes", strings.Repeat("𝔸", 10), 18, strings.Repeat("𝔸", 4)},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.text[:cutPart(c.text, c.size)]; got != c.want {
				t.Errorf("first part %q, want %q", got, c.want)
			}
			if n := cutPart([]byte(c.text), c.size); c.text[:n] != c.want {
				t.Errorf("on bytes: first part %q, want %q", c.text[:n], c.want)
			}
		})
	}
}

// mixedText returns n bytes or so of text with lines, sentences, long
// unbroken runs and multi-byte runes, so that every kind of cut happens.
func mixedText(seed uint64, n int) string {
	rng := rand.New(rand.NewPCG(seed, 1))
	words := []string{"Karim", "met", "Nadia", "in", "Liège", "on", "Tuesday.", "Ça", "va?", "𝔸𝔹",
		"الرقة", "x", strings.Repeat("z", 70), "\n", "\n\n"}
	var b strings.Builder
	for b.Len() < n {
		b.WriteString(words[rng.IntN(len(words))])
		if rng.IntN(4) > 0 {
			b.WriteByte(' ')
		}
	}
	return b.String()
}

func TestPartsCoverTheText(t *testing.T) {
	whole := mosaic.Document{ID: mosaic.NewDocID([]byte("whole")), Title: "chat.txt", Format: mosaic.FormatText,
		Source: "dir/chat.txt", Meta: map[string]string{"Encoding": "windows-1252"}}
	for _, size := range []int{16, 64, 100, 1000} {
		whole.Text = mixedText(uint64(size), 20_000)
		parts := Parts(whole, size)
		var joined strings.Builder
		ids := map[mosaic.DocID]bool{}
		for i, p := range parts {
			if len(p.Text) > size || p.Text == "" || !utf8.ValidString(p.Text) {
				t.Fatalf("size %d part %d: %d bytes, valid %v", size, i+1, len(p.Text), utf8.ValidString(p.Text))
			}
			if i < len(parts)-1 && len(p.Text) < size/2-utf8.UTFMax {
				t.Errorf("size %d part %d: only %d bytes", size, i+1, len(p.Text))
			}
			if off, _ := strconv.Atoi(p.Meta[mosaic.MetaPartOffset]); off != joined.Len() || p.Meta[mosaic.MetaPart] != strconv.Itoa(i+1) {
				t.Errorf("size %d part %d: meta %v, want offset %d", size, i+1, p.Meta, joined.Len())
			}
			if p.Parent != whole.ID || ids[p.ID] || p.ID == whole.ID || p.Title != "chat.txt (part "+strconv.Itoa(i+1)+")" ||
				p.Meta["Encoding"] != "windows-1252" || p.Source != whole.Source {
				t.Errorf("size %d part %d: %+v", size, i+1, p)
			}
			ids[p.ID] = true
			joined.WriteString(p.Text)
		}
		if joined.String() != whole.Text {
			t.Errorf("size %d: the parts do not make up the text", size)
		}
		if size == 1000 {
			// Parts cut where the text allows: at line breaks when there are any.
			for _, p := range parts[:len(parts)-1] {
				if !strings.HasSuffix(p.Text, "\n") {
					t.Errorf("part %s ends %q, not at a line break", p.Meta[mosaic.MetaPart], p.Text[len(p.Text)-10:])
				}
			}
		}
	}
	whole.Text = "short"
	if ps := Parts(whole, 16); len(ps) != 1 || ps[0].ID != whole.ID || ps[0].Parent != "" {
		t.Errorf("a short text is cut: %+v", ps)
	}
}

// sourceOf serves data one byte per read, so that every rune, CRLF and
// UTF-16 unit is split between reads somewhere.
func sourceOf(name string, data []byte) Source {
	return Source{Path: name, Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		return io.NopCloser(iotest.OneByteReader(bytes.NewReader(data))), nil
	}}
}

// streamed collects what Stream emits.
func streamed(ctx context.Context, src Source, lim Limits) ([]mosaic.Document, error) {
	var docs []mosaic.Document
	err := Stream(ctx, src, lim, func(d mosaic.Document) error {
		docs = append(docs, d)
		return nil
	})
	return docs, err
}

// wantParts is what Stream must emit: Parse's documents cut into parts.
func wantParts(name string, data []byte, lim Limits) ([]mosaic.Document, error) {
	docs, err := Parse(name, data, lim)
	if err != nil {
		return nil, err
	}
	var out []mosaic.Document
	for _, d := range docs {
		out = append(out, Parts(d, lim.PartSize)...)
	}
	return out, nil
}

// compareStream checks that streaming data from disk gives exactly the
// documents parsing it whole and cutting it gives.
func compareStream(t *testing.T, name string, data []byte, lim Limits) []mosaic.Document {
	t.Helper()
	want, werr := wantParts(name, data, lim)
	got, gerr := streamed(context.Background(), sourceOf(name, data), lim)
	if werr != nil {
		if gerr == nil && errors.Is(werr, ErrUnsupported) {
			return got // binary data the stream judged by its start alone
		}
		if gerr == nil || !strings.HasPrefix(gerr.Error(), name) {
			t.Fatalf("parse: %v; stream: %v", werr, gerr)
		}
		return nil
	}
	if gerr != nil {
		if errors.Is(gerr, ErrUnsupported) {
			return nil // binary by its start, if not by the whole
		}
		t.Fatalf("stream: %v", gerr)
	}
	checkDocs(t, got)
	if len(got) != len(want) {
		t.Fatalf("%d documents streamed, %d parsed", len(got), len(want))
	}
	for i := range want {
		g, w := got[i], want[i]
		if g.Text != w.Text {
			t.Fatalf("document %d: text\n%q\nwant\n%q", i, g.Text, w.Text)
		}
		if g.ID != w.ID || g.Parent != w.Parent || g.Title != w.Title || g.Size != w.Size || g.Format != w.Format ||
			len(g.Meta) != len(w.Meta) {
			t.Errorf("document %d:\n%+v\nwant\n%+v", i, g, w)
		}
		for k, v := range w.Meta {
			if g.Meta[k] != v {
				t.Errorf("document %d: meta %s %q, want %q", i, k, g.Meta[k], v)
			}
		}
	}
	return got
}

func TestStreamMatchesParse(t *testing.T) {
	lim := Limits{PartSize: 64, StreamSize: 1}
	text := mixedText(7, 3000)
	utf16 := func(le bool, bom bool, s string) []byte {
		var b []byte
		if bom {
			if le {
				b = append(b, 0xff, 0xfe)
			} else {
				b = append(b, 0xfe, 0xff)
			}
		}
		for _, r := range s {
			if r > 0xffff {
				r = '?'
			}
			if le {
				b = append(b, byte(r), byte(r>>8))
			} else {
				b = append(b, byte(r>>8), byte(r))
			}
		}
		return b
	}
	latin := strings.ReplaceAll(strings.Repeat("Caf\xe9 cr\xe8me at \x93Li\xe8ge\x94. ", 40), "at", "\r\nat")
	for _, c := range []struct {
		name string
		data []byte
		warn string
		enc  string
	}{
		{"chat.txt", []byte(text), "", ""},
		{"crlf.log", []byte(strings.ReplaceAll(text, "\n", "\r\n")), "", ""},
		{"latin.txt", []byte(latin), "", "windows-1252"},
		{"nul.txt", []byte(strings.Replace(text, "Karim", "Ka\x00im", 3)), "3 NUL bytes in the text, read as spaces", ""},
		{"bom.txt", append([]byte("\xef\xbb\xbf"), text...), "", ""},
		{"le.txt", utf16(true, true, text), "", "utf-16le"},
		{"be.txt", utf16(false, true, text), "", "utf-16be"},
		{"nobom.txt", utf16(true, false, strings.ReplaceAll(text, "\n", "\r\n")), "", "utf-16le"},
		{"notes.md", []byte("\n# Night shift\n\n" + text), "", ""},
		{"unnamed", []byte(text), "", ""},
		{"short.txt", []byte("Karim met Nadia."), "", ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			docs := compareStream(t, c.name, c.data, lim)
			if len(docs) == 0 {
				t.Fatal("nothing streamed")
			}
			for _, d := range docs {
				if d.Meta[mosaic.MetaWarning] != c.warn || d.Meta["Encoding"] != c.enc {
					t.Errorf("%s: warning %q, encoding %q; want %q, %q", d.Title, d.Meta[mosaic.MetaWarning], d.Meta["Encoding"], c.warn, c.enc)
				}
			}
			if c.name == "notes.md" && docs[0].Title != "Night shift (part 1)" {
				t.Errorf("title %q", docs[0].Title)
			}
			if c.name == "latin.txt" && !strings.Contains(docs[0].Text, "Café crème") {
				t.Errorf("windows-1252 misread: %q", docs[0].Text)
			}
		})
	}
}

// TestStreamRefusesAndStops: Stream refuses what Read refuses, and stops
// when asked.
func TestStreamRefusesAndStops(t *testing.T) {
	lim := Limits{PartSize: 64, StreamSize: 1, MaxFileSize: 1000}
	if _, err := streamed(context.Background(), sourceOf("big.txt", bytes.Repeat([]byte("a "), 600)), lim); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit: %v", err)
	}
	undeclared := sourceOf("big.txt", bytes.Repeat([]byte("a "), 600))
	undeclared.Size = 10 // a member that lies about its size
	if _, err := streamed(context.Background(), undeclared, lim); !errors.Is(err, ErrTooLarge) {
		t.Errorf("over the limit, size not declared: %v", err)
	}
	bin := bytes.Repeat([]byte("\x00\x01\x02abc"), 50)
	if _, err := streamed(context.Background(), sourceOf("x.txt", bin), lim); !errors.Is(err, ErrUnsupported) {
		t.Errorf("binary: %v", err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	n := 0
	err := Stream(ctx, sourceOf("chat.txt", []byte(mixedText(3, 900))), lim, func(mosaic.Document) error {
		if n++; n == 2 {
			cancel()
		}
		return nil
	})
	if !errors.Is(err, context.Canceled) || n != 2 || !strings.HasPrefix(err.Error(), "chat.txt") {
		t.Errorf("cancelled after 2 parts: %d parts, %v", n, err)
	}
	stop := errors.New("stop")
	if err := Stream(context.Background(), sourceOf("chat.txt", []byte(mixedText(3, 900))), lim, func(mosaic.Document) error {
		return stop
	}); err != stop {
		t.Errorf("emit's error: %v", err)
	}
}

// TestStreamChangedFile: a file that changes between the two passes is
// reported, not stored under the first pass's address.
func TestStreamChangedFile(t *testing.T) {
	data := []byte(mixedText(5, 500))
	opens := 0
	src := Source{Path: "moving.txt", Size: int64(len(data)), Open: func() (io.ReadCloser, error) {
		opens++
		d := data
		if opens > 2 { // the first open sniffs, the second scans
			d = bytes.ToUpper(data)
		}
		return io.NopCloser(bytes.NewReader(d)), nil
	}}
	_, err := streamed(context.Background(), src, Limits{PartSize: 64, StreamSize: 1})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "changed") {
		t.Errorf("err = %v", err)
	}
}

// TestStreamHTMLInParts: a long text from another format is cut after
// parsing.
func TestStreamHTMLInParts(t *testing.T) {
	html := "<html><head><title>Minutes</title></head><body>" + strings.Repeat("<p>Karim met Nadia in Liège.</p>\n", 40) + "</body></html>"
	docs := compareStream(t, "m.html", []byte(html), Limits{PartSize: 200, StreamSize: 1})
	if len(docs) < 3 || docs[0].Title != "Minutes (part 1)" || docs[0].Format != mosaic.FormatHTML {
		t.Errorf("%d parts, first %+v", len(docs), docs[0])
	}
}

func FuzzStream(f *testing.F) {
	f.Add([]byte("INTERVIEWER: x\r\nNAME: y\r"), uint8(16))
	f.Add([]byte("caf\xe9 \xe9\xe9 r\xe9sum\xe9\r\n"), uint8(17))
	f.Add([]byte("\xff\xfeh\x00i\x00\r\x00\n\x00"), uint8(16))
	f.Add([]byte("\xef\xbb\xbf\ufeffa\x00b ééé 𝔸𝔸𝔸𝔸"), uint8(18))
	pdfPool() // seconds once, before any input: a .txt file may be a PDF by its content
	f.Fuzz(func(t *testing.T, data []byte, size uint8) {
		lim := fuzzLimits
		lim.PartSize, lim.StreamSize = int(size), 1
		compareStream(t, "f.txt", data, lim.withDefaults())
	})
}
