package discovery

import (
	"crypto/sha256"
	"fmt"
	"math/rand"
	"runtime"
	"sort"
	"sync"
	"time"

	"mosaic"
	"mosaic/internal/entity"
)

// LinkageReport compares matching names through their encodings with
// Mosaic's own matching of the plaintext names, on the same pairs: every
// pair of names of one kind among the sampled entries of a benchmark. Each
// method's matching pairs are joined into clusters (connected components)
// and scored with B-cubed against the entries.
type LinkageReport struct {
	// Plaintext is entity.Compare's verdict on the names.
	Plaintext Method `json:"plaintext"`
	// Encoded is Encoder.Match on the names' filters.
	Encoded Method `json:"encoded"`
	// Lookup is what the exchange answers: a pair matches when a query
	// for either name matches the other's filter as Index.Lookup decides,
	// the name itself by Match and its shorter QueryVariants by
	// MatchVariant.
	Lookup Method `json:"lookup"`
	// TrueMatches counts the pairs of names of one entry.
	TrueMatches int `json:"true_matches"`
	// Names, Entries and Pairs count the sample: names, their entries, and
	// the pairs of names of one kind compared.
	Names   int `json:"names"`
	Entries int `json:"entries"`
	Pairs   int `json:"pairs"`
	// Params are the encoding's settings.
	Params  Params  `json:"params"`
	Seconds float64 `json:"seconds"`
}

// Method is how one way of matching did.
type Method struct {
	entity.Scores
	// Matches counts the pairs it calls a match, Right those of them that
	// are of one entry.
	Matches int `json:"matches"`
	Right   int `json:"right"`
	// Clusters counts the clusters its matches join the names into.
	Clusters int `json:"clusters"`
}

// EvaluateLinkage draws sample entries of bench at random (all of them when
// sample is 0 or more than there are) with seed, and compares encoded with
// plaintext matching on all pairs of their names of one kind. The filters
// are made with p under a key drawn from seed: the key changes which
// q-grams share a bit, not how well matching works.
func EvaluateLinkage(bench []entity.BenchName, p Params, sample int, seed int64) (LinkageReport, error) {
	start := time.Now()
	key := sha256.Sum256(fmt.Appendf(nil, "mosaic eval discovery %d", seed))
	enc, err := NewEncoder(key[:], p)
	if err != nil {
		return LinkageReport{}, err
	}
	names := sampleEntries(bench, sample, seed)
	r := LinkageReport{Names: len(names), Params: p}

	plain := make([]entity.Name, len(names))
	filters := make([]Filter, len(names))
	variants := make([][]Filter, len(names))
	kinds := make([]mosaic.MentionType, len(names))
	entries := make(map[int]bool)
	for i, b := range names {
		kinds[i] = mentionType(b.Kind)
		plain[i] = entity.NewName(b.Name, b.Kind)
		filters[i] = enc.Encode(kinds[i], b.Name)
		for _, v := range QueryVariants(kinds[i], b.Name)[1:] {
			if f := enc.Encode(kinds[i], v); f != nil {
				variants[i] = append(variants[i], f)
			}
		}
		entries[b.Entry] = true
	}
	r.Entries = len(entries)
	lookup := func(i, j int) bool {
		if enc.Match(filters[i], filters[j], kinds[i]) {
			return true
		}
		for _, v := range variants[i] {
			if enc.MatchVariant(v, filters[j], kinds[i]) {
				return true
			}
		}
		for _, v := range variants[j] {
			if enc.MatchVariant(v, filters[i], kinds[i]) {
				return true
			}
		}
		return false
	}

	// Every pair of names of one kind, compared by each method, on all
	// cores: worker w takes the rows i ≡ w (mod workers).
	const plainM, encodedM, lookupM = 0, 1, 2
	type tally struct {
		pairs, truth   int
		matches, right [3]int
		edges          [3][][2]int
	}
	workers := runtime.GOMAXPROCS(0)
	tallies := make([]tally, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			t := &tallies[w]
			for i := w; i < len(names); i += workers {
				for j := i + 1; j < len(names); j++ {
					if kinds[i] != kinds[j] {
						continue
					}
					t.pairs++
					same := names[i].Entry == names[j].Entry
					if same {
						t.truth++
					}
					em := enc.Match(filters[i], filters[j], kinds[i])
					for m, match := range [3]bool{entity.Compare(plain[i], plain[j]).Match, em, em || lookup(i, j)} {
						if match {
							t.matches[m]++
							t.edges[m] = append(t.edges[m], [2]int{i, j})
							if same {
								t.right[m]++
							}
						}
					}
				}
			}
		}()
	}
	wg.Wait()

	gold := make([]int, len(names))
	for i, b := range names {
		gold[i] = b.Entry
	}
	var methods [3]Method
	for m := range methods {
		var edges [][2]int
		for _, t := range tallies {
			methods[m].Matches += t.matches[m]
			methods[m].Right += t.right[m]
			edges = append(edges, t.edges[m]...)
		}
		var clusters []int
		clusters, methods[m].Clusters = components(len(names), edges)
		methods[m].Scores = entity.BCubed(clusters, gold)
	}
	for _, t := range tallies {
		r.Pairs += t.pairs
		r.TrueMatches += t.truth
	}
	r.Plaintext, r.Encoded, r.Lookup = methods[plainM], methods[encodedM], methods[lookupM]
	r.Seconds = time.Since(start).Seconds()
	return r, nil
}

// mentionType is the kind of mention a benchmark name is encoded as.
func mentionType(k entity.Kind) mosaic.MentionType {
	if k == entity.Person {
		return mosaic.Person
	}
	return mosaic.Org
}

// sampleEntries returns the names of n entries of bench drawn at random
// with seed (all entries when n is 0 or more than there are), in the
// order bench lists them.
func sampleEntries(bench []entity.BenchName, n int, seed int64) []entity.BenchName {
	var ids []int
	seen := make(map[int]bool)
	for _, b := range bench {
		if !seen[b.Entry] {
			seen[b.Entry] = true
			ids = append(ids, b.Entry)
		}
	}
	if n <= 0 || n >= len(ids) {
		return bench
	}
	sort.Ints(ids)
	rng := rand.New(rand.NewSource(seed))
	rng.Shuffle(len(ids), func(i, j int) { ids[i], ids[j] = ids[j], ids[i] })
	keep := make(map[int]bool, n)
	for _, id := range ids[:n] {
		keep[id] = true
	}
	var out []entity.BenchName
	for _, b := range bench {
		if keep[b.Entry] {
			out = append(out, b)
		}
	}
	return out
}

// components returns the connected components of n items joined by edges,
// as cluster numbers 0, 1, 2, ... in order of first item, and their count.
func components(n int, edges [][2]int) ([]int, int) {
	parent := make([]int, n)
	for i := range parent {
		parent[i] = i
	}
	find := func(i int) int {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	for _, e := range edges {
		if a, b := find(e[0]), find(e[1]); a != b {
			parent[a] = b
		}
	}
	ids := make(map[int]int)
	out := make([]int, n)
	for i := range out {
		root := find(i)
		id, ok := ids[root]
		if !ok {
			id = len(ids)
			ids[root] = id
		}
		out[i] = id
	}
	return out, len(ids)
}
