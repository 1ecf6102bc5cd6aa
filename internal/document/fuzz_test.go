package document

import (
	"strings"
	"testing"
	"time"
)

// fuzzLimits keep each fuzz input cheap.
//
// The targets that can reach a PDF by content (an e-mail attachment, a file
// without extension) start pdfium before the first input: it takes seconds
// under coverage instrumentation, and the fuzzer reports an input that
// slow as a hang. The others reach it only with input that starts with
// "%PDF-", and leave it cold, since starting it in every worker makes them
// crawl.
var fuzzLimits = Limits{MaxFileSize: 1 << 20, MaxArchiveTotal: 4 << 20, MaxRecords: 1000}

// checkFuzz asserts the invariants every input must keep: no panic (the
// fuzzer catches those), valid UTF-8 text, errors that name the input, and
// sources inside it.
func checkFuzz(t *testing.T, name string, data []byte) {
	start := time.Now()
	docs, err := Parse(name, data, fuzzLimits)
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("%d bytes took %v", len(data), took)
	}
	if err != nil && !strings.HasPrefix(err.Error(), name) {
		t.Errorf("error %q does not start with the name %q", err, name)
	}
	checkDocs(t, docs)
	for _, d := range docs {
		if !strings.HasPrefix(d.Source, name) {
			t.Errorf("source %q is not inside %q", d.Source, name)
		}
		if d.Parent == d.ID {
			t.Errorf("bad ID or parent: %s %s", d.ID, d.Parent)
		}
	}
}

func FuzzHTML(f *testing.F) {
	f.Add(readFixture(f, "testdata/html/article.html"))
	f.Add([]byte("<html><head><title>t</title><meta charset=latin1></head><body><ul><li><p>x<br>y</li></ul><table><tr><td>a<td>b</table><pre>\n p\n</pre>"))
	f.Add([]byte("<div><nav><script>x</script></nav><time datetime=2019-01-01>t</time><svg><title>s</title></svg>"))
	f.Add([]byte(strings.Repeat("<b><i>", 300) + "x"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzz(t, "f.html", data)
	})
}

func FuzzMail(f *testing.F) {
	f.Add(readFixture(f, "testdata/mail/meeting.eml"))
	f.Add([]byte("From: a@b\r\nTo: c@d\r\nSubject: =?utf-8?B?w6k=?=\r\nContent-Type: text/html\r\n\r\n<p>x</p>"))
	f.Add([]byte(message("m", "Content-Type: message/rfc822\r\n\r\n"+message("inner", "Content-Type: text/plain\r\n\r\nx"))))
	f.Add([]byte("From: a\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n--x\r\nContent-Disposition: attachment; filename=\"a!b/../c.csv\"\r\n\r\na,b\n1,2\r\n--x--"))
	pdfPool() // seconds once, before any input: the fuzzer takes a slow input for a hang
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzz(t, "f.eml", data)
	})
}

func FuzzCSV(f *testing.F) {
	f.Add([]byte("name,date,note\nOrla,2019-03-14,\"a, b\"\nEdric,,\"x\"\"y\"\n"))
	f.Add([]byte("a;b\n1;2;3\n\"open\n"))
	f.Add([]byte("\ufeffiyear,imonth,iday,gname,city\n2016,0,0,X,Y\n"))
	f.Add([]byte("a\tb\n1\t\"2\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzz(t, "f.csv", data)
	})
}

func FuzzJSON(f *testing.F) {
	f.Add([]byte(`[{"name": "Orla", "a": {"b": [1, 2, {"c": null}]}}, "x", 3]`))
	f.Add([]byte("{\"a\":1}\n{\"b\":2}\n"))
	f.Add([]byte(`{"title": "t", "date": "2019-03-14"}`))
	f.Add([]byte(strings.Repeat("[", 40)))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzz(t, "f.json", data)
	})
}

func FuzzDOCX(f *testing.F) {
	f.Add(readFixture(f, "testdata/docx/interview.docx"))
	f.Add(readFixture(f, "testdata/docx/truncated.docx"))
	f.Add(docxWith(f, `<w:p><w:r><w:t>a</w:t><w:tab/><w:br/></w:r></w:p><w:tbl><w:tr><w:tc><w:p/></w:tc></w:tr></w:tbl>`, nil))
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzz(t, "f.docx", data)
	})
}

func FuzzText(f *testing.F) {
	f.Add([]byte("INTERVIEWER: x\r\nNAME: y\r"))
	f.Add([]byte("caf\xe9"))
	f.Add([]byte("\xff\xfeh\x00i\x00"))
	pdfPool() // seconds once, before any input: the fuzzer takes a slow input for a hang
	f.Fuzz(func(t *testing.T, data []byte) {
		checkFuzz(t, "f", data)
	})
}
