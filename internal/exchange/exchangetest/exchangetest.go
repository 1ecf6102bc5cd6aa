// Package exchangetest holds what the exchange formats' tests share: a
// large generated case and a benchmark of a writer on it.
package exchangetest

import (
	"fmt"
	"io"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
)

// BigCase is a case of n entities and 4n links of two sentences each, the
// shape of a large collection's network.
func BigCase(n int) exchange.Case {
	var c exchange.Case
	kinds := []mosaic.MentionType{mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc}
	day := time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		name := fmt.Sprintf("Person Number %d", i)
		c.Entities = append(c.Entities, exchange.Entity{Key: fmt.Sprint(i), Kind: kinds[i%4], Name: name,
			Names: []string{name, fmt.Sprintf("P. Number %d", i)}, Community: i % 40, Centrality: float64(i%100) / 100,
			Degree: 8, First: day, Last: day.AddDate(0, 0, i%300)})
	}
	types := []mosaic.RelationType{mosaic.Contact, mosaic.Member, mosaic.CoOccur, mosaic.Command}
	for i := range 4 * n {
		from, to := i%n, (i*7+1)%n
		if from == to {
			to = (to + 1) % n
		}
		l := exchange.Link{From: fmt.Sprint(from), To: fmt.Sprint(to), Type: types[i%4], Weight: 1.5, First: day, Last: day}
		for j := range 2 {
			doc := mosaic.NewDocID([]byte(fmt.Sprint(i, j)))
			text := fmt.Sprintf("Person Number %d was seen with Person Number %d at the market on the %dth, the report of the %d says.", from, to, j+1, i)
			l.Evidence = append(l.Evidence, exchange.Evidence{Doc: doc, Sentence: mosaic.Span{Start: 100, End: 100 + len(text)}, Text: text,
				FromText: fmt.Sprintf("Person Number %d", from), ToText: fmt.Sprintf("Person Number %d", to), Confidence: 0.75, Date: day})
		}
		c.Links = append(c.Links, l)
	}
	return c
}

// counter counts the bytes written to it.
type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkWrite benchmarks write on BigCase(10000): 10,000 entities and
// 40,000 links, in bytes and links a second.
func BenchmarkWrite(b *testing.B, write func(w io.Writer, c exchange.Case) error) {
	c := BigCase(10000)
	var w counter
	if err := write(&w, c); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(w.n)
	b.ReportAllocs()
	for b.Loop() {
		if err := write(&counter{}, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(c.Links))*float64(b.N)/b.Elapsed().Seconds(), "links/s")
}
