package entity

import (
	"fmt"
	"sync"
	"testing"
)

// sampleNames are the spellings of the fictional sample case's people and
// group (internal/sample/CASE.md), by entity.
var sampleNames = map[string][]string{
	"haddouchi": {"Abdelkader el-Haddouchi", "Abd al-Qadir al-Haddushi", "AL-HADDUSHI, Abd al-Qadir", "Abdelkader El Haddouchi",
		"EL HADDOUCHI Abdelkader", "A. el-Haddouchi", "Abdulkadir Haddouchi", "عبد القادر الحدوشي"},
	"kunya":      {"Abu Sulayman al-Rifi", "Abou Souleymane al-Rifi", "Abou Souleymane", "Abu Sulayman"},
	"youssef":    {"Youssef el-Haddouchi", "Yusuf al-Haddushi", "Youssef El Haddouchi"},
	"qaysi":      {"Khalid ibn Rashid al-Qaysi", "Khalid bin Rashid al-Qaysi", "Khaled ben Rached el-Qaissi", "AL-QAYSI, Khalid"},
	"sahili":     {"Abu Idris al-Sahili", "Abou Idriss al-Sahili", "Abu Idrees as-Sahili", "AL-SAHILI, Abu Idris"},
	"mansour":    {"Zakaria Mansour", "Zakariya Mansur", "Zakaria MANSOUR", "Z. Mansour"},
	"shakir":     {"Mohammed Ali Shakir", "Muhammad Ali Shakir", "Mohamed Ali Shakir", "Mohamed Shaker", "M. A. Shakir", "Mohammed Ali SHAKIR"},
	"bouzidi":    {"Karim Bouzidi", "Kareem Bouzidi", "K. Bouzidi", "BOUZIDI, Karim"},
	"ouahbi":     {"Ilias Ouahbi", "Ilyas Wahbi", "WAHBI, Ilyas", "OUAHBI, Ilias", "Elias Ouahbi"},
	"ferhat":     {"Nabil Ferhat", "Nabeel Ferhat"},
	"calloway":   {"Ruth Calloway", "Detective Chief Inspector Ruth Calloway", "R. Calloway"},
	"moretti":    {"Hannah Moretti", "MORETTI, Hannah"},
	"denholm":    {"Craig Denholm"},
	"achterberg": {"Pieter Achterberg", "Dr Pieter Achterberg"},
}

func TestDedupeSampleCase(t *testing.T) {
	var names []Name
	var truth []string
	for entity, spellings := range sampleNames {
		for _, s := range spellings {
			names = append(names, NewName(s, Person))
			truth = append(truth, entity)
		}
	}
	cluster := Dedupe(names)
	if len(cluster) != len(names) {
		t.Fatalf("%d clusters for %d names", len(cluster), len(names))
	}
	// Each entity is one cluster, and no two entities share one.
	of := map[string]int{}
	owner := map[int]string{}
	for i, c := range cluster {
		if c < 0 || c >= len(names) {
			t.Fatalf("cluster %d out of range", c)
		}
		if prev, ok := of[truth[i]]; ok && prev != c {
			t.Errorf("%q (%s) is apart from the rest of its entity", names[i].Raw, truth[i])
		}
		of[truth[i]] = c
		if o, ok := owner[c]; ok && o != truth[i] {
			t.Errorf("%q (%s) is clustered with %s", names[i].Raw, truth[i], o)
		}
		owner[c] = truth[i]
	}
	// Cluster numbers are small integers in order of first appearance.
	next := 0
	for _, c := range cluster {
		if c > next {
			t.Fatalf("cluster %d before %d", c, next)
		}
		if c == next {
			next++
		}
	}
}

func TestDedupeOrganisations(t *testing.T) {
	names := []Name{
		NewName("Jama'at Ansar al-Thughur", Org),
		NewName("Ansar al-Thughur", Org),
		NewName("JAT", Org),
		NewName("Ansar al-Thoughour", Org),
		NewName("Ansar al-Sharia", Org),
		NewName("Midland Ledger", Org),
	}
	c := Dedupe(names)
	if c[0] != c[1] || c[0] != c[2] || c[0] != c[3] {
		t.Errorf("the spellings of JAT are apart: %v", c)
	}
	if c[4] == c[0] || c[5] == c[0] || c[4] == c[5] {
		t.Errorf("other organisations joined JAT: %v", c)
	}
}

func TestDedupeWithConstraints(t *testing.T) {
	// Four spellings that all match one another.
	names := []Name{
		NewName("Abdelkader el-Haddouchi", Person),
		NewName("Abd al-Qadir al-Haddushi", Person),
		NewName("Abdulkadir Haddouchi", Person),
		NewName("EL HADDOUCHI Abdelkader", Person),
		NewName("Karim Bouzidi", Person),
	}
	if c := Dedupe(names); c[0] != c[1] || c[1] != c[2] || c[2] != c[3] {
		t.Fatalf("without constraints: %v, want 0-3 together", c)
	}
	t.Run("cannot-link", func(t *testing.T) {
		c := DedupeWith(names, nil, [][2]int{{0, 1}})
		if c[0] == c[1] {
			t.Errorf("0 and 1 together despite a cannot-link: %v", c)
		}
	})
	t.Run("transitive", func(t *testing.T) {
		// 0 is 2 and 2 is not 1: then 0 is not 1, however well they match.
		c := DedupeWith(names, [][2]int{{0, 2}}, [][2]int{{2, 1}})
		if c[0] != c[2] {
			t.Errorf("must-link 0=2 broken: %v", c)
		}
		if c[0] == c[1] || c[2] == c[1] {
			t.Errorf("1 joined 0=2 despite 2≠1: %v", c)
		}
	})
	t.Run("must-link", func(t *testing.T) {
		c := DedupeWith(names, [][2]int{{0, 4}}, nil)
		if c[0] != c[4] {
			t.Errorf("must-link 0=4 broken: %v", c)
		}
	})
	t.Run("must wins", func(t *testing.T) {
		c := DedupeWith(names, [][2]int{{0, 4}}, [][2]int{{0, 4}})
		if c[0] != c[4] {
			t.Errorf("a must-link contradicted by a cannot-link should win: %v", c)
		}
	})
	t.Run("chain", func(t *testing.T) {
		// Cannot-links hold across every member of a cluster: with 0≠3,
		// no merge may put 3 with any name that is with 0.
		c := DedupeWith(names, nil, [][2]int{{0, 3}})
		if c[0] == c[3] {
			t.Errorf("0 and 3 together: %v", c)
		}
		for i := range names {
			if c[i] == c[0] && c[i] == c[3] {
				t.Errorf("%d is with both 0 and 3: %v", i, c)
			}
		}
	})
	t.Run("out of range", func(t *testing.T) {
		c := DedupeWith(names, [][2]int{{-1, 2}, {0, 99}}, [][2]int{{5, 0}})
		if len(c) != len(names) {
			t.Errorf("%v", c)
		}
	})
	t.Run("identical names", func(t *testing.T) {
		same := []Name{NewName("Karim Bouzidi", Person), NewName("Karim Bouzidi", Person), NewName("KARIM BOUZIDI", Person)}
		if c := DedupeWith(same, nil, [][2]int{{0, 1}}); c[0] == c[1] {
			t.Errorf("identical names joined despite a cannot-link: %v", c)
		}
		if c := Dedupe(same); c[0] != c[1] || c[1] != c[2] {
			t.Errorf("identical names apart: %v", c)
		}
	})
}

func TestDedupeEmpty(t *testing.T) {
	if c := Dedupe(nil); len(c) != 0 {
		t.Errorf("Dedupe(nil) = %v", c)
	}
	c := Dedupe([]Name{{}, NewName("", Person), NewName("-", Org)})
	if c[0] == c[1] || c[1] == c[2] {
		t.Errorf("empty names clustered: %v", c)
	}
}

// TestDedupeSynthetic checks quality and scaling on generated names: a
// common given name must not make one giant cluster.
func TestDedupeSynthetic(t *testing.T) {
	raw, kinds, truth := synthNames(20_000, 3)
	names := make([]Name, len(raw))
	for i := range raw {
		names[i] = NewName(raw[i], kinds[i])
	}
	pred := Dedupe(names)
	s := BCubed(pred, truth)
	size := map[int]int{}
	biggest := 0
	for _, c := range pred {
		size[c]++
		biggest = max(biggest, size[c])
	}
	t.Logf("20,000 generated names: B-cubed P %.3f R %.3f F1 %.3f; biggest cluster %d", s.Precision, s.Recall, s.F1, biggest)
	if s.F1 < 0.8 {
		t.Errorf("F1 %.3f on generated names, want ≥ 0.8", s.F1)
	}
	if biggest > 50 {
		t.Errorf("a cluster of %d names", biggest)
	}
}

func TestBCubed(t *testing.T) {
	tests := []struct {
		pred, gold []int
		p, r       float64
	}{
		{[]int{0, 0, 1}, []int{0, 0, 1}, 1, 1},
		{[]int{0, 1, 2}, []int{0, 0, 0}, 1, 1.0 / 3},
		{[]int{0, 0, 0}, []int{0, 1, 2}, 1.0 / 3, 1},
		{[]int{0, 0, 1, 1}, []int{0, 0, 0, 1}, 0.75, (2.0/3*2 + 1.0/3 + 1) / 4},
	}
	for _, tt := range tests {
		s := BCubed(tt.pred, tt.gold)
		if fmt.Sprintf("%.6f %.6f", s.Precision, s.Recall) != fmt.Sprintf("%.6f %.6f", tt.p, tt.r) {
			t.Errorf("BCubed(%v, %v) = P %.4f R %.4f, want %.4f %.4f", tt.pred, tt.gold, s.Precision, s.Recall, tt.p, tt.r)
		}
	}
}

func TestIndexCandidates(t *testing.T) {
	x := NewIndex()
	id := int64(0)
	ids := map[string]int64{}
	for entity, spellings := range sampleNames {
		id++
		ids[entity] = id
		// Index the first spelling only: the others are looked up.
		x.Add(id, NewName(spellings[0], Person))
	}
	x.Add(ids["haddouchi"], NewName("Abd al-Qadir al-Haddushi", Person))
	if x.Len() != len(sampleNames)+1 {
		t.Fatalf("Len = %d", x.Len())
	}
	for entity, spellings := range sampleNames {
		for _, s := range spellings[1:] {
			cs := x.Candidates(NewName(s, Person), 3)
			if len(cs) == 0 || cs[0].ID != ids[entity] || !cs[0].Comparison.Match {
				t.Errorf("Candidates(%q) = %v, want %s (%d) first, matching", s, candidateIDs(cs), entity, ids[entity])
				continue
			}
			if len(cs[0].Comparison.Features) == 0 {
				t.Errorf("Candidates(%q): no explanation", s)
			}
			seen := map[int64]bool{}
			for k, c := range cs {
				if seen[c.ID] {
					t.Errorf("Candidates(%q): id %d twice", s, c.ID)
				}
				seen[c.ID] = true
				if k > 0 && c.Comparison.Score > cs[k-1].Comparison.Score {
					t.Errorf("Candidates(%q): not best first", s)
				}
			}
		}
	}
	// The brother: a candidate, but not a match.
	cs := x.Candidates(NewName("Youssef el-Haddouchi", Person), 0)
	for _, c := range cs {
		if c.ID == ids["haddouchi"] && c.Comparison.Match {
			t.Errorf("Youssef el-Haddouchi matched his brother: %+v", c.Comparison)
		}
	}
	if cs := x.Candidates(NewName("Zakaria Mansour", Person), 1); len(cs) != 1 {
		t.Errorf("limit 1: %d candidates", len(cs))
	}
	if cs := x.Candidates(NewName("Xq Zzzv", Person), 5); len(cs) != 0 {
		t.Errorf("an unknown name has candidates: %v", candidateIDs(cs))
	}
}

func candidateIDs(cs []Candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, fmt.Sprintf("%d %q %.2f", c.ID, c.Name.Raw, c.Comparison.Score))
	}
	return out
}

// TestIndexConcurrent adds and looks up at once, for the race detector.
func TestIndexConcurrent(t *testing.T) {
	raw, kinds, _ := synthNames(4000, 5)
	x := NewIndex()
	for i := 0; i < 2000; i++ {
		x.Add(int64(i), NewName(raw[i], kinds[i]))
	}
	var wg sync.WaitGroup
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 2000 + w; i < len(raw); i += 4 {
				n := NewName(raw[i], kinds[i])
				x.Candidates(n, 5)
				x.Add(int64(i), n)
			}
		}(w)
	}
	wg.Wait()
	if x.Len() != len(raw) {
		t.Errorf("Len = %d, want %d", x.Len(), len(raw))
	}
}
