package ner

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"embed"
	"strings"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"mosaic/internal/extract"
)

// The gazetteers are built by gazetteer/make.sh: names from the OFAC SDN
// list (public domain) and city names from GeoNames (CC-BY 4.0, see
// gazetteer/ATTRIBUTION). Each is a gzip-compressed list of lower-cased
// entries, tokens separated by single spaces.
//
//go:embed gazetteer/*.txt.gz
var gazetteerFS embed.FS

// regionNames are places that are neither countries nor cities but stand
// as locations in security reporting, and conflict-zone towns under the
// spellings the press uses rather than GeoNames'.
const regionNames = `middle east|near east|levant|sahel|maghreb|gulf|persian gulf|arabian peninsula
|horn of africa|north africa|west africa|east africa|sub-saharan africa|central asia|south asia
|southeast asia|caucasus|north caucasus|balkans|western balkans|kurdistan|iraqi kurdistan
|rojava|sinai|golan|golan heights|gaza|gaza strip|west bank|europe|africa|asia|america
|latin america|north america|south america|scandinavia|eurasia|anbar|nineveh|ninawa|diyala
|kirkuk|raqqa|idlib|aleppo|homs|hama|deir ez-zor|deir ezzor|deir al-zour|hasakah|al-hasakah
|qamishli|kobani|kobane|manbij|jarabulus|al-bab|tal afar|tal abyad|palmyra|daraa|latakia
|tartus|fallujah|falluja|ramadi|mosul|baiji|tikrit|samarra|baqubah|sinjar|hawija|sirte
|derna|benghazi|tripoli|misrata|sabratha|raqqah|molenbeek|schaerbeek|anderlecht|vilvoorde
|verviers|saint-denis|seine-saint-denis|trappes|lunel|mitrovica|pankisi|dagestan|chechnya
|ingushetia|waziristan|north waziristan|khyber|helmand|kandahar|nangarhar|kunar|idlib province
|raqqa province|anbar province|nineveh province|bekaa|bekaa valley|south lebanon|ain al-hilweh
|marawi|mindanao|sulu|borno|maiduguri|kidal|gao|timbuktu|mopti|puntland|jubaland|mogadishu`

var loadedGazetteers struct {
	words   []gazWord
	phrases []gazPhrase
}

type gazWord struct {
	key uint64
	cls uint32
}

type gazPhrase struct {
	toks []string
	cls  uint32
}

// loadGazetteers adds the gazetteers' words and phrases to lx.
func loadGazetteers(lx *lexicon) {
	read := func(name string, each func(toks []string)) {
		data, err := gazetteerFS.ReadFile("gazetteer/" + name)
		if err != nil {
			panic("ner: embedded gazetteer " + name + ": " + err.Error())
		}
		zr, err := gzip.NewReader(bytes.NewReader(data))
		if err != nil {
			panic("ner: embedded gazetteer " + name + ": " + err.Error())
		}
		sc := bufio.NewScanner(zr)
		for sc.Scan() {
			if f := strings.Fields(sc.Text()); len(f) > 0 {
				each(f)
			}
		}
	}
	words := func(cls uint32) func([]string) {
		return func(toks []string) {
			for _, t := range toks {
				lx.words.or(lowerHash(t), cls)
			}
		}
	}
	phrases := func(wcls, pcls uint32) func([]string) {
		return func(toks []string) {
			if wcls != 0 {
				for _, t := range toks {
					lx.words.or(lowerHash(t), wcls)
				}
			}
			lx.addPhrase(toks, pcls)
		}
	}
	read("given.txt.gz", words(clsGiven))
	read("surname.txt.gz", words(clsSurname))
	read("orgword.txt.gz", words(clsOrgToken))
	read("person.txt.gz", phrases(0, phrPerson))
	read("org.txt.gz", phrases(0, phrOrg))
	read("city.txt.gz", phrases(clsCity, phrCity))
	for _, name := range countryNames() {
		phrases(clsCountry, phrCountry)(tokenize(name))
	}
	for _, name := range strings.Split(regionNames, "|") {
		phrases(0, phrRegion)(tokenize(strings.TrimSpace(name)))
	}
}

// tokenize splits a name as extract.Split does, so that gazetteer phrases
// match the tokens the tagger sees.
func tokenize(s string) []string {
	var out []string
	for _, sen := range extract.Split(s) {
		for _, t := range sen.Tokens {
			out = append(out, s[t.Start:t.End])
		}
	}
	return out
}

// countryNames returns the English names of every country CLDR knows,
// with the variants its display names pack together: "Congo - Kinshasa"
// gives "Congo" and "Kinshasa", "Myanmar (Burma)" gives both, "&" is also
// written "and".
func countryNames() []string {
	var out []string
	names := display.English.Regions()
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			r, err := language.ParseRegion(string([]rune{a, b}))
			if err != nil || !r.IsCountry() {
				continue
			}
			name := names.Name(r)
			if name == "" {
				continue
			}
			var parts []string
			if i := strings.Index(name, " ("); i > 0 && strings.HasSuffix(name, ")") {
				parts = append(parts, name[:i], name[i+2:len(name)-1])
			} else {
				parts = append(parts, name)
			}
			for _, p := range parts {
				for _, q := range strings.Split(p, " - ") {
					out = append(out, q)
					if strings.Contains(q, "&") {
						out = append(out, strings.ReplaceAll(q, "&", "and"))
					}
					if strings.HasPrefix(q, "St. ") {
						out = append(out, "Saint "+q[4:])
					}
				}
			}
		}
	}
	return out
}
