package incident

import (
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"mosaic"
)

// mergeLoad is 200,000 generated GTD-layout rows, a release's size, and
// texts retelling 5,000 of them: the city in capitals, every fifth a day
// late, every third without its group.
func mergeLoad(tb testing.TB) []mosaic.Incident {
	tb.Helper()
	data, _ := generateGTD(200_000, 2)
	ins, _, err := readAll(tb, data)
	if err != nil {
		tb.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 13))
	for i := range 5000 {
		in := ins[rng.IntN(200_000)]
		in.EventID, in.Sources = "", []mosaic.IncidentSource{{Name: "news"}}
		in.City = strings.ToUpper(in.City)
		if t, ok := in.Date.Time(); ok && i%5 == 0 {
			t = t.AddDate(0, 0, 1)
			in.Date = mosaic.IncidentDate{Year: t.Year(), Month: mosaic.Some(t.Month()), Day: mosaic.Some(t.Day())}
		}
		if i%3 == 0 {
			in.Perpetrators = nil
		}
		ins = append(ins, in)
	}
	for i := range ins {
		ins[i].ID = mosaic.IncidentID(i + 1)
	}
	return ins
}

// BenchmarkMerge merges the 205,000 incidents of mergeLoad: blocking by
// date keeps it to the texts' neighbours, not all pairs.
//
//	go test ./internal/incident -run '^$' -bench BenchmarkMerge -benchtime 3x
func BenchmarkMerge(b *testing.B) {
	ins := mergeLoad(b)
	b.ResetTimer()
	start := time.Now()
	runs := 0
	var groups int
	for b.Loop() {
		groups = len(Merge(ins, nil))
		runs++
	}
	b.ReportMetric(float64(len(ins)*runs)/time.Since(start).Seconds(), "incidents/s")
	b.ReportMetric(float64(groups), "groups")
}
