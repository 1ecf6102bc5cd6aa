package stix

import (
	"bytes"
	"fmt"
	"io"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
)

// bigCase is a generated case of n people, n/10 groups and places, and
// four links a person, each with two sentences.
func bigCase(n int) exchange.Case {
	var c exchange.Case
	c.Collections = []exchange.Collection{{Name: "bulk", Agency: "Desk", Classification: "SECRET"}}
	docs := n / 5
	for i := range docs {
		c.Documents = append(c.Documents, exchange.Document{ID: mosaic.NewDocID(fmt.Appendf(nil, "doc %d", i)),
			Title: fmt.Sprintf("Report %d", i), Date: day(2019, 1, 1).AddDate(0, 0, i%700), Collections: []string{"bulk"}})
	}
	for i := range n {
		c.Entities = append(c.Entities, exchange.Entity{Key: fmt.Sprint(i), Kind: mosaic.Person, Name: fmt.Sprintf("Person %d", i),
			Names: []string{fmt.Sprintf("Person %d", i), fmt.Sprintf("P. %d", i)}, Community: i % 50})
	}
	for i := range n / 10 {
		c.Entities = append(c.Entities,
			exchange.Entity{Key: fmt.Sprint(n + i), Kind: mosaic.Org, Name: fmt.Sprintf("Group %d", i), Community: -1},
			exchange.Entity{Key: fmt.Sprint(2*n + i), Kind: mosaic.Location, Name: []string{"Birmingham", "Antwerp", "Lyon", "Brussels"}[i%4], Community: -1})
	}
	types := []mosaic.RelationType{mosaic.Contact, mosaic.Member, mosaic.LocatedIn, mosaic.CoOccur}
	for i := range n {
		for j, typ := range types {
			to := fmt.Sprint((i + j + 1) % n)
			switch typ {
			case mosaic.Member:
				to = fmt.Sprint(n + i%(n/10))
			case mosaic.LocatedIn:
				to = fmt.Sprint(2*n + i%(n/10))
			}
			var evs []exchange.Evidence
			for k := range 2 {
				d := c.Documents[(i+k)%docs]
				evs = append(evs, exchange.Evidence{Doc: d.ID, Sentence: mosaic.Span{Start: k * 100, End: k*100 + 60},
					Text: fmt.Sprintf("Person %d was seen with %s in a sentence of some length, %d.", i, to, k), Confidence: 0.7, Date: d.Date})
			}
			c.Links = append(c.Links, exchange.Link{From: fmt.Sprint(i), To: to, Type: typ, Weight: 1.4, Evidence: evs,
				First: evs[0].Date, Last: evs[1].Date})
		}
	}
	c.Links[0].First, c.Links[0].Last = time.Time{}, time.Time{}
	return c
}

// BenchmarkWrite: go test ./internal/exchange/stix -bench Write -benchmem
func BenchmarkWrite(b *testing.B) {
	c := bigCase(10_000)
	var n int64
	for b.Loop() {
		w := &countingWriter{}
		if err := Write(w, c); err != nil {
			b.Fatal(err)
		}
		n = w.n
	}
	b.ReportMetric(float64(n)/1e6, "MB/bundle")
	b.ReportMetric(float64(len(c.Links)), "links")
}

// BenchmarkRead: go test ./internal/exchange/stix -bench Read -benchmem
func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, bigCase(10_000)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	for b.Loop() {
		if _, err := Read(bytes.NewReader(buf.Bytes()), "big.json"); err != nil {
			b.Fatal(err)
		}
	}
}

type countingWriter struct{ n int64 }

func (w *countingWriter) Write(p []byte) (int, error) { w.n += int64(len(p)); return len(p), nil }

var _ io.Writer = (*countingWriter)(nil)
