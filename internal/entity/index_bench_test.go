package entity

import (
	"testing"
)

// BenchmarkIndexCandidates looks up new names in an index of 200,000
// names, as resolving a newly ingested document's mentions does.
func BenchmarkIndexCandidates(b *testing.B) {
	raw, kinds, _ := synthNames(210_000, 7)
	x := NewIndex()
	for i := 0; i < 200_000; i++ {
		x.Add(int64(i), NewName(raw[i], kinds[i]))
	}
	queries := make([]Name, 0, 10_000)
	for i := 200_000; i < len(raw); i++ {
		queries = append(queries, NewName(raw[i], kinds[i]))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		x.Candidates(queries[i%len(queries)], 10)
	}
}

// BenchmarkIndexAddAndLookup prepares a raw name, looks it up and adds it:
// the whole incremental path for one mention.
func BenchmarkIndexAddAndLookup(b *testing.B) {
	raw, kinds, _ := synthNames(200_000, 7)
	x := NewIndex()
	for i := 0; i < 100_000; i++ {
		x.Add(int64(i), NewName(raw[i], kinds[i]))
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		k := 100_000 + i%100_000
		n := NewName(raw[k], kinds[k])
		x.Candidates(n, 10)
		x.Add(int64(k), n)
	}
}
