package entity

import (
	"fmt"
	"os"
	"sort"
	"testing"
)

// TestDiag prints the worst clusters and missed pairs; set DIAG=1.
func TestDiag(t *testing.T) {
	if os.Getenv("DIAG") == "" {
		t.Skip("DIAG not set")
	}
	bench := loadOFAC(t)
	names := make([]Name, len(bench))
	for i, b := range bench {
		names[i] = NewName(b.Name, b.Kind)
	}
	pred := Dedupe(names)
	byC := map[int][]int{}
	for i, c := range pred {
		byC[c] = append(byC[c], i)
	}
	type cl struct {
		ids     []int
		entries int
	}
	var cls []cl
	for _, ids := range byC {
		es := map[int]bool{}
		for _, i := range ids {
			es[bench[i].Entry] = true
		}
		if len(es) > 1 {
			cls = append(cls, cl{ids, len(es)})
		}
	}
	sort.Slice(cls, func(i, j int) bool { return len(cls[i].ids)*cls[i].entries > len(cls[j].ids)*cls[j].entries })
	f, _ := os.Create("/tmp/diag.txt")
	defer f.Close()
	for k, c := range cls {
		if k > 60 {
			break
		}
		fmt.Fprintf(f, "== cluster %d names, %d entries\n", len(c.ids), c.entries)
		for _, i := range c.ids {
			fmt.Fprintf(f, "   %6d %-8s %s  [%s]\n", bench[i].Entry, bench[i].Kind, bench[i].Name, names[i].String())
		}
	}
	// Missed: names of one entry in different clusters.
	byE := map[int][]int{}
	for i, b := range bench {
		byE[b.Entry] = append(byE[b.Entry], i)
	}
	g, _ := os.Create("/tmp/missed.txt")
	defer g.Close()
	var es []int
	for e := range byE {
		es = append(es, e)
	}
	sort.Ints(es)
	for _, e := range es {
		ids := byE[e]
		cs := map[int]bool{}
		for _, i := range ids {
			cs[pred[i]] = true
		}
		if len(cs) == 1 {
			continue
		}
		fmt.Fprintf(g, "== entry %d (%d clusters)\n", e, len(cs))
		for _, i := range ids {
			fmt.Fprintf(g, "   c%-5d %s  [%s]\n", pred[i], bench[i].Name, names[i].String())
		}
	}
}

func TestDiagPairs(t *testing.T) {
	if os.Getenv("DIAG") == "" {
		t.Skip("DIAG not set")
	}
	bench := loadOFAC(t)
	names := make([]Name, len(bench))
	for i, b := range bench {
		names[i] = NewName(b.Name, b.Kind)
	}
	var sc scratch
	pred := Dedupe(names)
	byE := map[int][]int{}
	for i, b := range bench {
		byE[b.Entry] = append(byE[b.Entry], i)
	}
	f, _ := os.Create("/tmp/pairs.txt")
	defer f.Close()
	share := func(a, b *Name) bool {
		for _, k := range a.Keys {
			for _, l := range b.Keys {
				if k == l {
					return true
				}
			}
		}
		return false
	}
	nm, nf := 0, 0
	for e := 0; e < 100000; e++ {
		ids := byE[e]
		for x := 0; x < len(ids); x++ {
			for y := x + 1; y < len(ids); y++ {
				a, b := &names[ids[x]], &names[ids[y]]
				if pred[ids[x]] == pred[ids[y]] || !share(a, b) {
					continue
				}
				c := compare(a, b, true, &sc)
				nm++
				fmt.Fprintf(f, "MISS %.2f %s | %s  [%s | %s]\n", c.Score, bench[ids[x]].Name, bench[ids[y]].Name, a, b)
				for _, ft := range c.Features {
					fmt.Fprintf(f, "        %-12s %+.2f %s\n", ft.Name, ft.Score, ft.Detail)
				}
			}
		}
	}
	// False matches: matching pairs across entries.
	g, _ := os.Create("/tmp/false.txt")
	defer g.Close()
	for _, e := range matchEdges(names, allReps(len(names)), hashKeys(names)) {
		if bench[e.a].Entry != bench[e.b].Entry {
			nf++
			a, b := &names[e.a], &names[e.b]
			c := compare(a, b, true, &sc)
			fmt.Fprintf(g, "FALSE %.2f %s | %s  [%s | %s]\n", c.Score, bench[e.a].Name, bench[e.b].Name, a, b)
			for _, ft := range c.Features {
				fmt.Fprintf(g, "        %-12s %+.2f %s\n", ft.Name, ft.Score, ft.Detail)
			}
		}
	}
	t.Logf("%d missed pairs sharing a key, %d false edges", nm, nf)
}

func TestDiagCeiling(t *testing.T) {
	if os.Getenv("DIAG") == "" {
		t.Skip("DIAG not set")
	}
	bench := loadOFAC(t)
	names := make([]Name, len(bench))
	gold := make([]int, len(bench))
	for i, b := range bench {
		names[i] = NewName(b.Name, b.Kind)
		gold[i] = b.Entry
	}
	var sc scratch
	for _, minScore := range []float64{-1, 0.3, 0.5, 0.6, 0.7} {
		uf := newUnionFind(len(names))
		blocks := map[string][]int{}
		for i := range names {
			for _, k := range names[i].Keys {
				blocks[k] = append(blocks[k], i)
			}
		}
		for _, ids := range blocks {
			for x := range ids {
				for y := x + 1; y < len(ids); y++ {
					if gold[ids[x]] != gold[ids[y]] {
						continue
					}
					if minScore > 0 && compare(&names[ids[x]], &names[ids[y]], false, &sc).Score < minScore {
						continue
					}
					uf.union(ids[x], ids[y])
				}
			}
		}
		pred := make([]int, len(names))
		for i := range pred {
			pred[i] = uf.find(i)
		}
		s := BCubed(pred, gold)
		t.Logf("oracle with score >= %.1f: P %.4f R %.4f F1 %.4f", minScore, s.Precision, s.Recall, s.F1)
	}
}

func TestSweep(t *testing.T) {
	if os.Getenv("SWEEP") == "" {
		t.Skip("SWEEP not set")
	}
	bench := loadOFAC(t)
	var even, odd []BenchName
	for _, b := range bench {
		if b.Entry%2 == 0 {
			even = append(even, b)
		} else {
			odd = append(odd, b)
		}
	}
	run := func(label string) {
		r := Evaluate(bench)
		e, o := Evaluate(even), Evaluate(odd)
		t.Logf("%-28s F1 %.4f (P %.4f R %.4f) ind %.4f ent %.4f | even %.4f odd %.4f", label, r.F1, r.Precision, r.Recall, r.PerKind["individual"].F1, r.PerKind["entity"].F1, e.F1, o.F1)
	}
	run("base")

}

func TestDiagLoss(t *testing.T) {
	if os.Getenv("DIAG") == "" {
		t.Skip("DIAG not set")
	}
	bench := loadOFAC(t)
	names := make([]Name, len(bench))
	for i, b := range bench {
		names[i] = NewName(b.Name, b.Kind)
	}
	pred := Dedupe(names)
	type cell struct{ p, g int }
	both := map[cell]int{}
	ps, gs := map[int]int{}, map[int]int{}
	for i := range pred {
		both[cell{pred[i], bench[i].Entry}]++
		ps[pred[i]]++
		gs[bench[i].Entry]++
	}
	ploss, rloss := map[int]float64{}, map[int]float64{}
	for i := range pred {
		in := float64(both[cell{pred[i], bench[i].Entry}])
		ploss[pred[i]] += 1 - in/float64(ps[pred[i]])
		rloss[bench[i].Entry] += 1 - in/float64(gs[bench[i].Entry])
	}
	type kv struct {
		k int
		v float64
	}
	var pl, rl []kv
	for k, v := range ploss {
		pl = append(pl, kv{k, v})
	}
	for k, v := range rloss {
		rl = append(rl, kv{k, v})
	}
	sort.Slice(pl, func(i, j int) bool { return pl[i].v > pl[j].v })
	sort.Slice(rl, func(i, j int) bool { return rl[i].v > rl[j].v })
	n := float64(len(bench))
	f, _ := os.Create("/tmp/loss.txt")
	defer f.Close()
	byC := map[int][]int{}
	for i, c := range pred {
		byC[c] = append(byC[c], i)
	}
	var tot float64
	for _, x := range pl {
		tot += x.v
	}
	fmt.Fprintf(f, "precision loss total %.4f\n", tot/n)
	for _, x := range pl[:40] {
		fmt.Fprintf(f, "== P-loss %.4f cluster of %d\n", x.v/n, ps[x.k])
		for _, i := range byC[x.k] {
			fmt.Fprintf(f, "    %6d %s\n", bench[i].Entry, bench[i].Name)
		}
	}
	byE := map[int][]int{}
	for i, b := range bench {
		byE[b.Entry] = append(byE[b.Entry], i)
	}
	tot = 0
	for _, x := range rl {
		tot += x.v
	}
	fmt.Fprintf(f, "recall loss total %.4f\n", tot/n)
	for _, x := range rl[:60] {
		fmt.Fprintf(f, "== R-loss %.4f entry %d of %d\n", x.v/n, x.k, gs[x.k])
		for _, i := range byE[x.k] {
			fmt.Fprintf(f, "    c%-6d %s\n", pred[i], bench[i].Name)
		}
	}
}

func TestDiagUpper(t *testing.T) {
	if os.Getenv("DIAG") == "" {
		t.Skip("DIAG not set")
	}
	bench := loadOFAC(t)
	uf := newUnionFind(len(bench))
	first := map[int]int{}
	key := map[string]int{}
	gold := make([]int, len(bench))
	for i, b := range bench {
		gold[i] = b.Entry
		if f, ok := first[b.Entry]; ok {
			uf.union(i, f)
		} else {
			first[b.Entry] = i
		}
		k := BaselineKey(b.Name)
		if f, ok := key[k]; ok {
			uf.union(i, f)
		} else {
			key[k] = i
		}
	}
	pred := make([]int, len(bench))
	for i := range pred {
		pred[i] = uf.find(i)
	}
	s := BCubed(pred, gold)
	t.Logf("entries merged by identical names: P %.4f R %.4f F1 %.4f", s.Precision, s.Recall, s.F1)
}

func allReps(n int) []int32 {
	r := make([]int32, n)
	for i := range r {
		r[i] = int32(i)
	}
	return r
}
