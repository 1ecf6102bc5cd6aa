package entity

import (
	"runtime"
	"testing"
	"time"
)

// benchDedupe generates n names, prepares and deduplicates them, and
// reports the time of each step, the B-cubed F1 against the generator's
// truth and the heap the prepared names hold.
//
//	go test ./internal/entity -run X -bench Dedupe1M -benchtime 1x
func benchDedupe(b *testing.B, n int) {
	raw, kinds, truth := synthNames(n, 1)
	b.ResetTimer()
	for it := 0; it < b.N; it++ {
		start := time.Now()
		names := make([]Name, len(raw))
		for i := range raw {
			names[i] = NewName(raw[i], kinds[i])
		}
		prep := time.Since(start)
		pred := Dedupe(names)
		total := time.Since(start)
		b.StopTimer()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		runtime.KeepAlive(names)
		s := BCubed(pred, truth)
		b.ReportMetric(prep.Seconds(), "prepare-s")
		b.ReportMetric((total - prep).Seconds(), "cluster-s")
		b.ReportMetric(s.F1, "bcubed-f1")
		b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MiB")
		b.StartTimer()
	}
}

func BenchmarkDedupe100k(b *testing.B) { benchDedupe(b, 100_000) }
func BenchmarkDedupe1M(b *testing.B)   { benchDedupe(b, 1_000_000) }
