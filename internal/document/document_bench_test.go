package document

import (
	"fmt"
	"strings"
	"testing"
)

// benchParse reports the throughput of Parse on one input.
func benchParse(b *testing.B, name string, data []byte) {
	b.Helper()
	if _, err := Parse(name, data, DefaultLimits()); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		Parse(name, data, DefaultLimits())
	}
}

func BenchmarkParseHTML(b *testing.B) {
	benchParse(b, "article.html", readFixture(b, "testdata/html/article.html"))
}

func BenchmarkParsePDF(b *testing.B) {
	benchParse(b, "interview.pdf", readFixture(b, "testdata/pdf/interview.pdf"))
}

func BenchmarkParseDOCX(b *testing.B) {
	benchParse(b, "interview.docx", readFixture(b, "testdata/docx/interview.docx"))
}

func BenchmarkParseMail(b *testing.B) {
	benchParse(b, "meeting.eml", readFixture(b, "testdata/mail/meeting.eml"))
}

func BenchmarkParseCSV(b *testing.B) {
	var s strings.Builder
	s.WriteString("eventid,iyear,imonth,iday,country_txt,city,gname,nkill,summary\n")
	for i := range 10_000 {
		fmt.Fprintf(&s, "%d,2016,%d,%d,Freedonia,Kessling,Harbour Front,%d,\"An explosive device detonated near the quay, killing %d people.\"\n", 201600000000+i, i%12+1, i%28+1, i%7, i%7)
	}
	benchParse(b, "events.csv", []byte(s.String()))
}
