package entity

import (
	"bufio"
	"bytes"
	"compress/gzip"
	_ "embed" // the built-in list
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/store"
)

// The built-in watchlist is the counter-terrorism part (programmes SDGT and
// FTO) of the OFAC SDN list, a public-domain work of the US government,
// generated from its legacy CSV files by `mosaic watchlist build` and
// embedded, so that resolution reads nothing at run time.
//
//go:generate go run ../../cmd/mosaic watchlist build --ofac ../../../shared/data/ofac --out watchlist/ofac.tsv.gz
//go:embed watchlist/ofac.tsv.gz
var builtinOFAC []byte

// ReasonWatchlist starts the reason of a mention tied to an entity because
// a watchlist lists its name (see Listing.Reason).
const ReasonWatchlist = "watchlist"

// OFACList is the name of the built-in list.
const OFACList = "OFAC SDN"

var (
	builtinOnce    sync.Once
	builtinEntries []store.WatchlistEntry
	builtinErr     error
)

// BuiltinWatchlist returns the entries of the built-in list (see
// OFACList). The caller must not modify them.
func BuiltinWatchlist() ([]store.WatchlistEntry, error) {
	builtinOnce.Do(func() {
		zr, err := gzip.NewReader(bytes.NewReader(builtinOFAC))
		if err != nil {
			builtinErr = fmt.Errorf("built-in watchlist: %w", err)
			return
		}
		builtinEntries, builtinErr = ReadWatchlistTSV(zr)
	})
	return builtinEntries, builtinErr
}

// OFACWatchlist reads the counter-terrorism entries (programmes SDGT or
// FTO) of the OFAC SDN list in its legacy CSV layout from dir, as LoadOFAC
// does: each entry with its primary name, the aliases of alt.csv and those
// its remarks give ("a.k.a. 'AL HAYAT'"). Vessels and aircraft are left
// out: resolution links people and organisations.
func OFACWatchlist(dir string) ([]store.WatchlistEntry, error) {
	sdn, err := readLatin1CSV(filepath.Join(dir, "sdn.csv"))
	if err != nil {
		return nil, err
	}
	alt, err := readLatin1CSV(filepath.Join(dir, "alt.csv"))
	if err != nil {
		return nil, err
	}
	byID := map[string]*store.WatchlistEntry{}
	var order []string
	for _, r := range sdn {
		if len(r) < 4 || !counterTerrorism(r[3]) {
			continue
		}
		id := strings.TrimSpace(r[0])
		if _, err := strconv.Atoi(id); err != nil {
			continue
		}
		e := &store.WatchlistEntry{List: OFACList, ID: id, Name: ofacField(r[1]), Programme: ofacProgramme(r[3]), Kind: mosaic.Org}
		switch ofacField(r[2]) {
		case "individual":
			e.Kind = mosaic.Person
		case "vessel", "aircraft":
			continue
		}
		if e.Name == "" {
			continue
		}
		if len(r) > 11 {
			for _, m := range remarkAKA.FindAllStringSubmatch(r[11], -1) {
				e.Aliases = append(e.Aliases, m[1])
			}
		}
		byID[id] = e
		order = append(order, id)
	}
	for _, r := range alt {
		if len(r) < 4 {
			continue
		}
		if e := byID[strings.TrimSpace(r[0])]; e != nil {
			if name := ofacField(r[3]); name != "" {
				e.Aliases = append(e.Aliases, name)
			}
		}
	}
	out := make([]store.WatchlistEntry, 0, len(order))
	for _, id := range order {
		e := byID[id]
		e.Aliases = cleanAliases(e.Name, e.Aliases)
		out = append(out, *e)
	}
	sort.SliceStable(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	return out, nil
}

// remarkAKA finds the aliases in an SDN entry's remarks: "a.k.a. 'ADF';".
var remarkAKA = regexp.MustCompile(`a\.k\.a\. '(.+?)'(?:;|\.?$|\.\s)`)

// ofacProgramme turns the legacy layout's "FTO] [SDGT" into "FTO, SDGT".
func ofacProgramme(s string) string {
	var ps []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == '[' || r == ']' || r == ' ' }) {
		if p != "-0-" {
			ps = append(ps, p)
		}
	}
	return strings.Join(ps, ", ")
}

// cleanAliases folds whitespace, drops the separators of the file formats
// from names, and drops empty names, repeats and the primary name.
func cleanAliases(name string, aliases []string) []string {
	seen := map[string]bool{foldName(name): true}
	var out []string
	for _, a := range aliases {
		a = cleanField(a)
		if a == "" || seen[foldName(a)] {
			continue
		}
		seen[foldName(a)] = true
		out = append(out, a)
	}
	return out
}

// cleanField folds whitespace and replaces the characters that separate
// fields and aliases in the list formats.
func cleanField(s string) string {
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\t', ';', '\n', '\r':
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

func idLess(a, b string) bool {
	x, errx := strconv.Atoi(a)
	y, erry := strconv.Atoi(b)
	if errx == nil && erry == nil {
		return x < y
	}
	return a < b
}

// WriteWatchlistTSV writes entries as the built-in list's file: gzipped,
// one entry per line — list, ID, programme, kind, name and the aliases
// separated by ";" — with a fixed gzip header, so that the same entries
// give the same bytes.
func WriteWatchlistTSV(w io.Writer, entries []store.WatchlistEntry) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	fmt.Fprintf(bw, "# list\tid\tprogramme\tkind\tname\taliases\n")
	for _, e := range entries {
		fmt.Fprintf(bw, "%s\t%s\t%s\t%s\t%s\t%s\n", cleanField(e.List), cleanField(e.ID), cleanField(e.Programme),
			e.Kind, cleanField(e.Name), strings.Join(cleanAliases(e.Name, e.Aliases), ";"))
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// ReadWatchlistTSV reads the lines WriteWatchlistTSV writes, uncompressed.
func ReadWatchlistTSV(r io.Reader) ([]store.WatchlistEntry, error) {
	var out []store.WatchlistEntry
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	line := 0
	for sc.Scan() {
		line++
		text := sc.Text()
		if text == "" || line == 1 && strings.HasPrefix(text, "#") {
			continue
		}
		f := strings.Split(text, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("watchlist line %d: %d fields, want 6", line, len(f))
		}
		e := store.WatchlistEntry{List: f[0], ID: f[1], Programme: f[2], Kind: mosaic.MentionType(f[3]), Name: f[4]}
		if f[5] != "" {
			e.Aliases = strings.Split(f[5], ";")
		}
		out = append(out, e)
	}
	return out, sc.Err()
}

// maxWatchlistField bounds a field of a user's watchlist file.
const maxWatchlistField = 4096

// ParseWatchlistCSV reads a user's watchlist: CSV with the columns list,
// id, name, aliases (separated by ";"), programme and kind (person,
// organisation or empty), an optional header row naming them. Every row
// must name the same list; a row without an ID or a name, or a kind that
// is neither, is an error that names the row.
func ParseWatchlistCSV(r io.Reader) (string, []store.WatchlistEntry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true
	cr.ReuseRecord = true
	var list string
	var out []store.WatchlistEntry
	seen := map[string]bool{}
	for row := 1; ; row++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", nil, fmt.Errorf("watchlist: %w", err)
		}
		if len(rec) == 1 && strings.TrimSpace(rec[0]) == "" {
			continue
		}
		for _, f := range rec {
			if len(f) > maxWatchlistField || !utf8.ValidString(f) {
				return "", nil, fmt.Errorf("watchlist row %d: a field is not UTF-8 text of at most %d bytes", row, maxWatchlistField)
			}
		}
		if row == 1 && len(rec) >= 3 && strings.EqualFold(strings.TrimSpace(rec[0]), "list") && strings.EqualFold(strings.TrimSpace(rec[1]), "id") {
			continue
		}
		if len(rec) < 3 || len(rec) > 6 {
			return "", nil, fmt.Errorf("watchlist row %d: %d columns, want list, id, name[, aliases, programme, kind]", row, len(rec))
		}
		field := func(i int) string {
			if i < len(rec) {
				return cleanField(rec[i])
			}
			return ""
		}
		e := store.WatchlistEntry{List: field(0), ID: field(1), Name: field(2), Programme: field(4)}
		switch {
		case e.List == "" || e.ID == "" || e.Name == "":
			return "", nil, fmt.Errorf("watchlist row %d: list, id and name are required", row)
		case list != "" && e.List != list:
			return "", nil, fmt.Errorf("watchlist row %d: list %q, but earlier rows name %q: load one list at a time", row, e.List, list)
		case seen[e.ID]:
			return "", nil, fmt.Errorf("watchlist row %d: id %q appears twice", row, e.ID)
		}
		list = e.List
		seen[e.ID] = true
		if len(rec) > 3 {
			e.Aliases = cleanAliases(e.Name, strings.Split(rec[3], ";"))
		}
		switch strings.ToLower(field(5)) {
		case "":
		case "person", "individual", "per":
			e.Kind = mosaic.Person
		case "org", "organisation", "organization", "entity", "group":
			e.Kind = mosaic.Org
		default:
			return "", nil, fmt.Errorf("watchlist row %d: kind %q: want person, organisation or empty", row, field(5))
		}
		out = append(out, e)
	}
	if len(out) == 0 {
		return "", nil, errors.New("watchlist: no entries")
	}
	return list, out, nil
}

// Watchlist matches names against reference lists of known names: exactly
// after folding case, accents and word order, or, for organisations, by
// Compare above the threshold. It is safe for concurrent use once built.
type Watchlist struct {
	entries []store.WatchlistEntry
	// exact maps a folded name to the entries that list it.
	exact map[string][]int
	// orgs indexes the names of the entries that may be organisations.
	orgs *Index
}

// Listing is a name matched to a list entry.
type Listing struct {
	Entry store.WatchlistEntry
	// Listed is the entry's name that matched, Score the comparison.
	Listed string
	Score  float64
}

// Key identifies the entry across lists.
func (l Listing) Key() string { return l.Entry.List + "\x00" + l.Entry.ID }

// Reason is the reason resolution records for a mention tied to an entity
// through the entry: "watchlist OFAC SDN 8759 (FTO, SDGT): aliases
// "DAESH" and "ISLAMIC STATE OF IRAQ AND THE LEVANT"".
func (l Listing) Reason(name string) string {
	prog := ""
	if l.Entry.Programme != "" {
		prog = " (" + l.Entry.Programme + ")"
	}
	head := fmt.Sprintf("%s %s %s%s: ", ReasonWatchlist, l.Entry.List, l.Entry.ID, prog)
	if l.Score < 1 {
		head += fmt.Sprintf("%q matches the listed name %q (score %.2f); ", name, l.Listed, l.Score)
	}
	if foldName(l.Listed) == foldName(l.Entry.Name) {
		return head + fmt.Sprintf("the listed name %q", l.Entry.Name)
	}
	return head + fmt.Sprintf("aliases %q and %q", l.Listed, l.Entry.Name)
}

// NewWatchlist builds a matcher over lists of entries.
func NewWatchlist(lists ...[]store.WatchlistEntry) *Watchlist {
	w := &Watchlist{exact: map[string][]int{}, orgs: NewIndex()}
	for _, list := range lists {
		for _, e := range list {
			k := len(w.entries)
			w.entries = append(w.entries, e)
			for _, name := range append([]string{e.Name}, e.Aliases...) {
				f := foldName(name)
				if f == "" {
					continue
				}
				w.exact[f] = append(w.exact[f], k)
				if e.Kind != mosaic.Person {
					w.orgs.Add(int64(k), NewName(name, Org))
				}
			}
		}
	}
	return w
}

// Len returns the number of entries.
func (w *Watchlist) Len() int { return len(w.entries) }

// foldName folds a name for exact matching: case, accents, punctuation and
// word order ("AL-QAIDA IN IRAQ", "al Qaida in Iraq").
func foldName(name string) string {
	s := strings.ToLower(toLatin(name))
	s = strings.Map(func(r rune) rune {
		switch r {
		case '\'', '’', 'ʿ', 'ʾ', '`', '´':
			return -1
		}
		return r
	}, s)
	words := strings.FieldsFunc(s, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') })
	sort.Strings(words)
	return strings.Join(words, " ")
}

// minListedRunes is the shortest name matched against a list: two letters
// name too many things. minListedWord is the shortest one-word name matched
// (exactly): three capitals ("JAT", "IMU") stand for a different group in
// every other file, four ("ISIL", "ISIS") far less often.
const (
	minListedRunes = 3
	minListedWord  = 4
)

// Match returns the entry that lists a name of mention type typ, if one
// does: an entry of a compatible kind (a person's entry for PERSON, any
// other for ORG and MISC) that lists the name exactly after folding, or,
// for ORG and MISC names of two words or more, whose name of two words or
// more Compare matches above the threshold, other than as initials, with
// every telling word of each name aligned (see covered). A person's name
// matches only exactly: names of people are shared too often to tie them
// to a listed person on spelling. A name of one word matches only exactly
// and with minListedWord letters at least. Where several entries list a
// name exactly, none is chosen.
func (w *Watchlist) Match(name string, typ mosaic.MentionType) (Listing, bool) {
	if w == nil || (typ != mosaic.Person && typ != mosaic.Org && typ != mosaic.Misc) {
		return Listing{}, false
	}
	f := foldName(name)
	if utf8.RuneCountInString(f) < minListedRunes {
		return Listing{}, false
	}
	if typ == mosaic.Person && len(strings.Fields(f)) < 2 {
		return Listing{}, false
	}
	compatible := func(e store.WatchlistEntry) bool {
		if typ == mosaic.Person {
			return e.Kind == mosaic.Person
		}
		return e.Kind != mosaic.Person
	}
	var hit []int
	for _, k := range w.exact[f] {
		if compatible(w.entries[k]) && (len(hit) == 0 || hit[len(hit)-1] != k) {
			hit = append(hit, k)
		}
	}
	oneWord := !strings.Contains(f, " ")
	switch {
	case len(hit) == 1 && (!oneWord || len(f) >= minListedWord):
		return Listing{Entry: w.entries[hit[0]], Listed: w.listedName(hit[0], f), Score: 1}, true
	case len(hit) > 0 || typ == mosaic.Person || oneWord:
		return Listing{}, false
	}
	q := NewName(name, Org)
	if q.nContent < 2 {
		return Listing{}, false
	}
	for _, c := range w.orgs.Candidates(q, 3) {
		if !c.Comparison.Match || asInitials(c.Comparison) || c.Name.nContent < 2 || !covered(&q, &c.Name) {
			continue
		}
		e := w.entries[c.ID]
		if !compatible(e) {
			continue
		}
		return Listing{Entry: e, Listed: c.Name.Raw, Score: c.Comparison.Score}, true
	}
	return Listing{}, false
}

// listedName returns the name of entry k that folds to f.
func (w *Watchlist) listedName(k int, f string) string {
	e := w.entries[k]
	for _, n := range append([]string{e.Name}, e.Aliases...) {
		if foldName(n) == f {
			return n
		}
	}
	return e.Name
}

// asInitials reports whether a comparison matched an acronym with the
// words it could stand for: evidence enough within a document that says
// so, not against a list of thousands of names.
func asInitials(c Comparison) bool {
	for _, f := range c.Features {
		if f.Name == "acronym" {
			return true
		}
	}
	return false
}

// covered reports whether the alignment of two names leaves no telling
// word of either over, and aligns one at least: only generic words, heads
// and stop words may be missing from one side. A list of thousands of names is matched on
// little else than the words: "Jama'at Ansar al-Thughur" shares two of
// three with "Jamiat ul-Ansar" and still names another group.
func covered(a, b *Name) bool {
	c := comparer{a: a, b: b, sc: new(scratch)}
	c.align()
	telling := false
	for i := range a.toks {
		if !a.toks[i].content() || a.toks[i].weight <= weightGeneric {
			continue
		}
		if !c.sc.usedA[i] {
			return false
		}
		telling = true
	}
	if !telling {
		// Generic words alone ("Islamic Relief", "National Bank") name
		// too many things to pick one out of a list.
		return false
	}
	for j := range b.toks {
		if b.toks[j].content() && !c.sc.usedB[j] && b.toks[j].weight > weightGeneric {
			return false
		}
	}
	return true
}
