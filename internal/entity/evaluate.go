package entity

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/encoding/charmap"
)

// BenchName is one name of a deduplication benchmark: a name and the entry
// (the true entity) it belongs to.
type BenchName struct {
	Entry int    `json:"entry"`
	Name  string `json:"name"`
	Kind  Kind   `json:"kind"`
	// EntryType is the list's type of the entry: "individual", "entity",
	// "vessel", "aircraft".
	EntryType string `json:"entry_type"`
}

// LoadOFAC reads the counter-terrorism entries of the OFAC SDN list in its
// legacy CSV layout (no header, latin-1, "-0- " for empty) from dir: the
// entries of sdn.csv whose program includes SDGT or FTO, with their primary
// names and the aliases of alt.csv. Individuals are persons, every other
// type an organisation.
func LoadOFAC(dir string) ([]BenchName, error) {
	sdn, err := readLatin1CSV(filepath.Join(dir, "sdn.csv"))
	if err != nil {
		return nil, err
	}
	type entry struct {
		kind Kind
		typ  string
	}
	entries := make(map[int]entry)
	var out []BenchName
	for _, r := range sdn {
		if len(r) < 4 {
			continue
		}
		id, err := strconv.Atoi(strings.TrimSpace(r[0]))
		if err != nil || !counterTerrorism(r[3]) {
			continue
		}
		typ := ofacField(r[2])
		e := entry{Org, typ}
		switch typ {
		case "individual":
			e.kind = Person
		case "":
			e.typ = "entity"
		}
		entries[id] = e
		out = append(out, BenchName{Entry: id, Name: ofacField(r[1]), Kind: e.kind, EntryType: e.typ})
	}
	alt, err := readLatin1CSV(filepath.Join(dir, "alt.csv"))
	if err != nil {
		return nil, err
	}
	for _, r := range alt {
		if len(r) < 4 {
			continue
		}
		id, err := strconv.Atoi(strings.TrimSpace(r[0]))
		if err != nil {
			continue
		}
		e, ok := entries[id]
		if !ok {
			continue
		}
		if name := ofacField(r[3]); name != "" {
			out = append(out, BenchName{Entry: id, Name: name, Kind: e.kind, EntryType: e.typ})
		}
	}
	return out, nil
}

func counterTerrorism(programs string) bool {
	for _, p := range strings.FieldsFunc(programs, func(r rune) bool { return r == '[' || r == ']' || r == ' ' }) {
		if p == "SDGT" || p == "FTO" {
			return true
		}
	}
	return false
}

func ofacField(s string) string {
	s = strings.TrimSpace(s)
	if s == "-0-" {
		return ""
	}
	return s
}

func readLatin1CSV(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	r := csv.NewReader(charmap.ISO8859_1.NewDecoder().Reader(f))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var rows [][]string
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		rows = append(rows, rec)
	}
}

// Scores are B-cubed precision, recall and F1: for each name, the share of
// its predicted cluster that is truly its entity (precision) and the share
// of its entity that is in its predicted cluster (recall), averaged over the
// names.
type Scores struct {
	Precision float64 `json:"precision"`
	Recall    float64 `json:"recall"`
	F1        float64 `json:"f1"`
	Names     int     `json:"names"`
}

// BCubed scores the predicted clusters pred against the true ones gold;
// both index the same items.
func BCubed(pred, gold []int) Scores {
	n := len(pred)
	if n == 0 || len(gold) != n {
		return Scores{}
	}
	type cell struct{ p, g int }
	both := make(map[cell]int)
	ps := make(map[int]int)
	gs := make(map[int]int)
	for i := range pred {
		both[cell{pred[i], gold[i]}]++
		ps[pred[i]]++
		gs[gold[i]]++
	}
	var P, R float64
	for i := range pred {
		in := float64(both[cell{pred[i], gold[i]}])
		P += in / float64(ps[pred[i]])
		R += in / float64(gs[gold[i]])
	}
	s := Scores{Precision: P / float64(n), Recall: R / float64(n), Names: n}
	if s.Precision+s.Recall > 0 {
		s.F1 = 2 * s.Precision * s.Recall / (s.Precision + s.Recall)
	}
	return s
}

// BaselineKey is the key of the exact-matching baseline: the name's words,
// lower-cased, accents folded, sorted. Names with one key are one entity.
func BaselineKey(raw string) string {
	s := strings.ToLower(toLatin(raw))
	words := strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	sort.Strings(words)
	return strings.Join(words, " ")
}

// Report is the outcome of Evaluate.
type Report struct {
	Scores
	// Baseline scores exact matching after normalising case, accents and
	// word order.
	Baseline Scores `json:"baseline"`
	// PerKind scores individuals and the other entries apart (names are
	// never clustered across them).
	PerKind         map[string]Scores `json:"per_kind"`
	BaselinePerKind map[string]Scores `json:"baseline_per_kind"`
	Entries         int               `json:"entries"`
	Clusters        int               `json:"clusters"`
	Seconds         float64           `json:"seconds"`
	// PrepareSeconds is the share of Seconds spent in NewName.
	PrepareSeconds float64 `json:"prepare_seconds"`
}

// Evaluate deduplicates the names of a benchmark and scores the clusters
// against the entries, with the exact-matching baseline beside them.
func Evaluate(bench []BenchName) Report {
	start := time.Now()
	names := make([]Name, len(bench))
	for i, b := range bench {
		names[i] = NewName(b.Name, b.Kind)
	}
	prepared := time.Since(start)
	pred := Dedupe(names)
	elapsed := time.Since(start)

	gold := make([]int, len(bench))
	base := make([]int, len(bench))
	keys := make(map[string]int)
	entries := make(map[int]bool)
	for i, b := range bench {
		gold[i] = b.Entry
		entries[b.Entry] = true
		k := BaselineKey(b.Name)
		id, ok := keys[k]
		if !ok {
			id = len(keys)
			keys[k] = id
		}
		base[i] = id
	}
	clusters := make(map[int]bool)
	for _, c := range pred {
		clusters[c] = true
	}
	r := Report{
		Scores:          BCubed(pred, gold),
		Baseline:        BCubed(base, gold),
		PerKind:         make(map[string]Scores),
		BaselinePerKind: make(map[string]Scores),
		Entries:         len(entries),
		Clusters:        len(clusters),
		Seconds:         elapsed.Seconds(),
		PrepareSeconds:  prepared.Seconds(),
	}
	for _, kind := range []string{"individual", "entity"} {
		var p, g, bs []int
		for i, b := range bench {
			if (b.EntryType == "individual") == (kind == "individual") {
				p, g, bs = append(p, pred[i]), append(g, gold[i]), append(bs, base[i])
			}
		}
		r.PerKind[kind] = BCubed(p, g)
		r.BaselinePerKind[kind] = BCubed(bs, g)
	}
	return r
}
