package gexf

import (
	"testing"

	"mosaic/internal/exchange/exchangetest"
)

// BenchmarkWrite writes a case of 10,000 entities and 40,000 links.
func BenchmarkWrite(b *testing.B) { exchangetest.BenchmarkWrite(b, Write) }
