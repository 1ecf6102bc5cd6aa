//go:build ignore

// Gen writes the NER gazetteers from the OFAC SDN list and a GeoNames city
// dump (see make.sh). Every list is lower-cased, sorted, one entry a line,
// gzip-compressed, so that rebuilding from the same sources gives the same
// bytes.
package main

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/unicode/norm"

	"mosaic/internal/extract"
)

var (
	ofacDir = flag.String("ofac", "", "folder with sdn.csv and alt.csv")
	cities  = flag.String("cities", "", "TSV of name, country, population")
	out     = flag.String("out", ".", "output folder")
)

// focus are countries where smaller towns matter to Mosaic's users.
var focus = map[string]bool{}

func init() {
	for _, c := range strings.Fields("SY IQ BE MA DZ TN LY EG JO LB TR AF PK YE SO ML NE NG PS SA IR") {
		focus[c] = true
	}
}

// common are English words that are also place names; as gazetteer entries
// they would mark ordinary words.
var common = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`of most best march police mobile split bath reading nice
	sale deal union orange victoria independence liberty hope mission opportunity commerce
	enterprise progress university college center centre city town village port bay mount
	lake river north south east west central new old young long little good gay ede aba
	ocean power plain plains garden gardens heights park hills valley spring springs
	grove green fort san santa la le el al de du des the and`) {
		common[w] = true
	}
}

func main() {
	flag.Parse()
	if *ofacDir == "" || *cities == "" {
		log.Fatal("need -ofac and -cities")
	}
	given, surname, person, org, orgWord := map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]bool{}, map[string]int{}
	kind := map[string]string{}
	for _, rec := range readCSV(filepath.Join(*ofacDir, "sdn.csv")) {
		if len(rec) < 3 {
			continue
		}
		kind[rec[0]] = strings.TrimSpace(rec[2])
		addName(rec[1], kind[rec[0]], given, surname, person, org, orgWord)
	}
	for _, rec := range readCSV(filepath.Join(*ofacDir, "alt.csv")) {
		if len(rec) < 4 {
			continue
		}
		addName(rec[3], kind[rec[0]], given, surname, person, org, orgWord)
	}
	words := map[string]bool{}
	for w, n := range orgWord {
		if n >= 3 {
			words[w] = true
		}
	}
	write("given.txt.gz", given)
	write("surname.txt.gz", surname)
	write("person.txt.gz", person)
	write("org.txt.gz", org)
	write("orgword.txt.gz", words)
	write("city.txt.gz", readCities(*cities))
}

func readCSV(path string) [][]string {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	r := csv.NewReader(charmap.ISO8859_1.NewDecoder().Reader(f))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	var out [][]string
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return out
		}
		if err != nil {
			log.Fatalf("%s: %v", path, err)
		}
		for i := range rec {
			rec[i] = strings.TrimSpace(rec[i])
			if rec[i] == "-0-" {
				rec[i] = ""
			}
		}
		out = append(out, rec)
	}
}

// tokens splits a name the way the tagger's tokeniser does, lower-cased.
func tokens(s string) []string {
	var out []string
	for _, sen := range extract.Split(s) {
		for _, t := range sen.Tokens {
			out = append(out, strings.ToLower(s[t.Start:t.End]))
		}
	}
	return out
}

func isWord(t string) bool {
	letters := 0
	for _, r := range t {
		if unicode.IsLetter(r) {
			letters++
		}
	}
	return letters >= 2
}

// skip are tokens that say nothing about a name by themselves: titles,
// particles and the like, which the tagger has its own classes for.
var skip = map[string]bool{}

func init() {
	for _, w := range strings.Fields(`dr. dr mr. mr shaykh sheikh al el bin ibn abu abou umm
	bint the of and de la le du del di da van von der des y e a an ltd. ltd inc. inc co.
	co s.a. sa llc gmbh s.a.r.l. c.a. s.l. limited company`) {
		skip[w] = true
	}
}

func addName(name, kind string, given, surname, person, org map[string]bool, orgWord map[string]int) {
	if name == "" {
		return
	}
	switch kind {
	case "individual":
		last, first, ok := strings.Cut(name, ",")
		lt, ft := tokens(last), tokens(first)
		for _, t := range lt {
			if isWord(t) && !skip[t] {
				surname[t] = true
			}
		}
		for _, t := range ft {
			if isWord(t) && !skip[t] {
				given[t] = true
			}
		}
		full := lt
		if ok {
			full = append(slices.Clone(ft), lt...)
		}
		if len(full) >= 2 && len(full) <= 6 {
			person[strings.Join(full, " ")] = true
		}
	case "vessel", "aircraft":
		// Neither a person nor an organisation.
	default: // entities have no type ("-0-")
		t := tokens(name)
		if len(t) >= 1 && len(t) <= 6 {
			org[strings.Join(t, " ")] = true
		}
		seen := map[string]bool{}
		for _, w := range t {
			if isWord(w) && !skip[w] && !seen[w] {
				seen[w] = true
				orgWord[w]++
			}
		}
	}
}

func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func readCities(path string) map[string]bool {
	f, err := os.Open(path)
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	out := map[string]bool{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		f := strings.Split(sc.Text(), "\t")
		if len(f) != 3 {
			continue
		}
		pop, _ := strconv.Atoi(f[2])
		if pop < 15000 && !(focus[f[1]] && pop >= 5000) {
			continue
		}
		t := tokens(f[0])
		if len(t) == 0 || len(t) > 6 {
			continue
		}
		name := strings.Join(t, " ")
		if common[name] {
			continue
		}
		out[name] = true
		out[fold(name)] = true
	}
	if err := sc.Err(); err != nil {
		log.Fatal(err)
	}
	return out
}

func write(name string, set map[string]bool) {
	keys := make([]string, 0, len(set))
	for k := range set {
		if k != "" && !strings.ContainsAny(k, "\n\t") {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	f, err := os.Create(filepath.Join(*out, name))
	if err != nil {
		log.Fatal(err)
	}
	zw, _ := gzip.NewWriterLevel(f, gzip.BestCompression)
	for _, k := range keys {
		fmt.Fprintln(zw, k)
	}
	if err := zw.Close(); err != nil {
		log.Fatal(err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	log.Printf("%s: %d entries", name, len(keys))
}
