package gazetteer

import (
	"runtime"
	"testing"
)

// BenchmarkLoad reads the embedded data as the first Geocode does, and
// reports the heap it keeps.
func BenchmarkLoad(b *testing.B) {
	var ix *index
	for b.Loop() {
		var err error
		if ix, err = read(); err != nil {
			b.Fatal(err)
		}
	}
	runtime.GC()
	var with runtime.MemStats
	runtime.ReadMemStats(&with)
	runtime.KeepAlive(ix)
	ix = nil
	runtime.GC()
	var without runtime.MemStats
	runtime.ReadMemStats(&without)
	b.ReportMetric(float64(int64(with.HeapAlloc)-int64(without.HeapAlloc))/(1<<20), "MB-kept")
}

func BenchmarkGeocode(b *testing.B) {
	mustLoad()
	names := []string{"Antwerp", "Birmingham", "Deir ez-Zor", "Raqqa", "Nowhere At All", "Springfield", "the Netherlands"}
	hints := []string{"United States"}
	b.ResetTimer()
	i := 0
	for b.Loop() {
		Geocode(names[i%len(names)], hints)
		i++
	}
}
