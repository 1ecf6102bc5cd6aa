package ftm

import (
	"bytes"
	"testing"

	"mosaic/internal/exchange/exchangetest"
)

// BenchmarkWrite writes a case of 10,000 entities and 40,000 links.
func BenchmarkWrite(b *testing.B) { exchangetest.BenchmarkWrite(b, Write) }

// BenchmarkRead reads what BenchmarkWrite writes.
func BenchmarkRead(b *testing.B) {
	var buf bytes.Buffer
	if err := Write(&buf, exchangetest.BigCase(10000)); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(buf.Len()))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Read(bytes.NewReader(buf.Bytes()), "big.json"); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(40000*float64(b.N)/b.Elapsed().Seconds(), "links/s")
}
