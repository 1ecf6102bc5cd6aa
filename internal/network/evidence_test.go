package network

import (
	"cmp"
	"context"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// randomRows makes n relation rows among a few entities, in the document
// order a store gives: documents dated or not, some sharing a date, rows
// of every type, negated and hedged ones, confidences repeated and not,
// sentences at offsets small and large.
func randomRows(rng *rand.Rand, n int) relationRows {
	types := []mosaic.RelationType{mosaic.CoOccur, mosaic.CoOccur, mosaic.CoOccur, mosaic.Contact, mosaic.Member,
		mosaic.Command, mosaic.LocatedIn, mosaic.Family, mosaic.Attack}
	names := []string{"Karim Benali", "K. Benali", "Yusuf Haddad", "Haddad", "the Dawn Front", "Lyon", "Nadia Kaci"}
	kinds := []mosaic.MentionType{mosaic.Person, mosaic.Person, mosaic.Person, mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Person}
	var rows relationRows
	doc, start := 0, 0
	var date time.Time
	for len(rows) < n {
		if len(rows) == 0 || rng.IntN(4) == 0 {
			doc++
			start = rng.IntN(3)
			date = time.Time{}
			if rng.IntN(5) > 0 {
				date = time.Date(2015, 1, 1+rng.IntN(40), 0, 0, 0, 0, time.UTC)
			}
		}
		if rng.IntN(3) == 0 {
			start += 1 + rng.IntN(1<<uint(rng.IntN(20)))
		}
		a, b := rng.IntN(len(names)), rng.IntN(len(names))
		if a == b {
			continue
		}
		typ := types[rng.IntN(len(types))]
		conf := 1.0
		switch rng.IntN(4) {
		case 0:
			conf = 0.25 + rng.Float64()*0.75
		case 1:
			conf = 0.9
		case 2:
			conf = 0 // unknown to a store, but a stream must keep it
		}
		cue := ""
		if typ != mosaic.CoOccur {
			cue = fmt.Sprintf("cue %d", rng.IntN(5))
		}
		rows = append(rows, store.RelationRow{
			From: mosaic.EntityID(1 + a/2), To: mosaic.EntityID(1 + b/2), Type: typ,
			Negated: rng.IntN(10) == 0, Hedged: rng.IntN(8) == 0, Cue: cue, Confidence: conf,
			FromKind: kinds[a], ToKind: kinds[b], FromText: names[a], ToText: names[b],
			Doc: mosaic.DocID(fmt.Sprintf("doc-%05d", (doc*7919)%100000)), Title: fmt.Sprintf("title %d", doc), Date: date,
			Sentence:    mosaic.Span{Start: start, End: start + rng.IntN(400)},
			Collections: []string{[]string{"police", "intel"}[doc%2]},
		})
	}
	return rows
}

// TestEvidenceAsStated checks every edge of a network built from random
// rows against the rows themselves: the same pieces, each as the row
// states it, strongest first (typed, hedged, co-occurrence, negated), then
// by date, document and sentence, in the rows' order within a sentence;
// and the edge's types, weight and dates.
func TestEvidenceAsStated(t *testing.T) {
	rows := randomRows(rand.New(rand.NewPCG(7, 11)), 20000)
	n, err := Build(context.Background(), rows, Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := map[[2]mosaic.EntityID][]Evidence{}
	for _, r := range rows {
		key := [2]mosaic.EntityID{min(r.From, r.To), max(r.From, r.To)}
		want[key] = append(want[key], Evidence{Type: r.Type, Negated: r.Negated, Hedged: r.Hedged, Cue: r.Cue,
			Confidence: r.Confidence, From: r.From, To: r.To, FromText: r.FromText, ToText: r.ToText, Doc: r.Doc,
			Title: r.Title, Date: r.Date, Sentence: r.Sentence, Collections: r.Collections})
	}
	if n.Edges() != len(want) {
		t.Fatalf("%d edges, want %d", n.Edges(), len(want))
	}
	strength := func(e Evidence) int {
		switch {
		case e.Negated:
			return 3
		case e.Type == mosaic.CoOccur:
			return 2
		case e.Hedged:
			return 1
		}
		return 0
	}
	for key, evs := range want {
		slices.SortStableFunc(evs, func(x, y Evidence) int {
			return cmp.Or(cmp.Compare(strength(x), strength(y)), x.Date.Compare(y.Date), cmp.Compare(x.Doc, y.Doc),
				cmp.Compare(x.Sentence.Start, y.Sentence.Start))
		})
		e := n.Edge(key[0], key[1])
		if e == nil {
			t.Fatalf("no edge %v", key)
		}
		if !slices.EqualFunc(e.Evidence, evs, func(x, y Evidence) bool {
			return x.Type == y.Type && x.Negated == y.Negated && x.Hedged == y.Hedged && x.Cue == y.Cue &&
				x.Confidence == y.Confidence && x.From == y.From && x.To == y.To && x.FromText == y.FromText &&
				x.ToText == y.ToText && x.Doc == y.Doc && x.Title == y.Title && x.Date.Equal(y.Date) &&
				x.Sentence == y.Sentence && slices.Equal(x.Collections, y.Collections)
		}) {
			for i := range min(len(e.Evidence), len(evs)) {
				if fmt.Sprint(e.Evidence[i]) != fmt.Sprint(evs[i]) {
					t.Fatalf("edge %v piece %d of %d:\n got %+v\nwant %+v", key, i, len(evs), e.Evidence[i], evs[i])
				}
			}
			t.Fatalf("edge %v: %d pieces, want %d", key, len(e.Evidence), len(evs))
		}
		var weight float64
		var first, last time.Time
		var types []mosaic.RelationType
		for _, ev := range evs {
			weight += ev.weight()
			if !slices.Contains(types, ev.Type) {
				types = append(types, ev.Type)
			}
			if !ev.Date.IsZero() && (first.IsZero() || ev.Date.Before(first)) {
				first = ev.Date
			}
			if ev.Date.After(last) {
				last = ev.Date
			}
		}
		slices.Sort(types)
		got := slices.Sorted(slices.Values(e.Types))
		if e.Weight != weight || !slices.Equal(got, types) || !e.First.Equal(first) || !e.Last.Equal(last) {
			t.Errorf("edge %v: weight %v types %v dates %v–%v, want %v %v %v–%v", key, e.Weight, got, e.First, e.Last,
				weight, types, first, last)
		}
		if e.Typed() != slices.ContainsFunc(evs, Evidence.typed) {
			t.Errorf("edge %v: typed %v", key, e.Typed())
		}
	}
}

// BenchmarkBuild builds a network of a million relations and reports the
// heap it keeps.
func BenchmarkBuild(b *testing.B) {
	rows := randomRows(rand.New(rand.NewPCG(1, 2)), 1_000_000)
	var n *Network
	for b.Loop() {
		var err error
		if n, err = Build(context.Background(), rows, Options{}); err != nil {
			b.Fatal(err)
		}
	}
	var with, without runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&with)
	runtime.KeepAlive(n)
	n = nil
	runtime.GC()
	runtime.ReadMemStats(&without)
	b.ReportMetric((float64(with.HeapAlloc)-float64(without.HeapAlloc))/float64(len(rows)), "heap-B/relation")
}

// TestPieceCoderRoundTrip writes pieces at the edges of what the stream
// holds (types past the head's four bits, sentences past 2 GB's offsets
// in int32, a document number going back, confidences repeated and not)
// and reads them back.
func TestPieceCoderRoundTrip(t *testing.T) {
	xs := []evidence{
		{confidence: 1, typ: 0, doc: 0, start: 0, end: 0},
		{confidence: 1, typ: 14, cue: 3, doc: 0, start: 90, end: 80, flags: negated},
		{confidence: 0.37, typ: 15, fromText: 1 << 30, doc: 5, start: 1<<31 - 1, end: 1<<31 - 1, flags: hedged | reversed},
		{confidence: 0.37, typ: 300, toText: 7, doc: 2, start: 12, end: 400},
		{confidence: 0.5, typ: 1, doc: 1 << 30, start: 3, end: 4, flags: negated | hedged | reversed},
		{confidence: 1, typ: 2, doc: 1 << 30, start: 1, end: 2},
		// Ten-thousandths that give the confidence back and ones that do
		// not; the types about the one that takes a varint.
		{confidence: 0.21, typ: 6, doc: 3},
		{confidence: 0.83, typ: 7, doc: 3},
		{confidence: 0.4238455909330869, typ: 8, doc: 3},
		{confidence: 0.00005, typ: 5, doc: 3},
		{confidence: 0.9999, doc: 3},
		{confidence: 0, doc: 3},
		{confidence: 1.5, doc: 3},
		{confidence: -0.21, doc: 3},
	}
	var buf []byte
	w := newPieceCoder()
	for _, x := range xs {
		buf = w.put(buf, x)
	}
	l := &link{ev: buf}
	got := slices.Collect(l.pieces())
	if !slices.Equal(got, xs) {
		t.Fatalf("read back\n%+v\nwant\n%+v", got, xs)
	}
}
