package gazetteer

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestGeocode(t *testing.T) {
	tests := []struct {
		name     string
		hints    []string
		iso      string
		kind     string
		region   int
		province string
	}{
		{name: "Antwerp", iso: "BE", kind: KindCity, region: 8, province: "Flanders"},
		{name: "antwerpen", iso: "BE", kind: KindCity, region: 8},
		{name: "Borgerhout", iso: "BE", kind: KindCity, region: 8},
		{name: "Birmingham", iso: "GB", kind: KindCity, region: 8, province: "England"},
		{name: "Birmingham", hints: []string{"United States"}, iso: "US", kind: KindCity, region: 1, province: "Alabama"},
		{name: "Birmingham", hints: []string{"USA", "nowhere"}, iso: "US", kind: KindCity, region: 1},
		{name: "Birmingham", hints: []string{"gb", "United States"}, iso: "GB", kind: KindCity, region: 8},
		{name: "Deir ez-Zor", iso: "SY", kind: KindCity, region: 10},
		{name: "DEIR EZ ZOR", iso: "SY", kind: KindCity, region: 10},
		{name: "Fallujah", iso: "IQ", kind: KindCity, region: 10, province: "Anbar"},
		{name: "al-Raqqa", iso: "SY", kind: KindCity, region: 10},
		{name: "Sana'a", iso: "YE", kind: KindCity, region: 10},
		{name: "Dhaka", iso: "BD", kind: KindCity, region: 6},
		{name: "Molenbeek-Saint-Jean", iso: "BE", kind: KindCity, region: 8, province: "Brussels Capital"},
		{name: "Nice", iso: "FR", kind: KindCity, region: 8},
		{name: "São Paulo", iso: "BR", kind: KindCity, region: 3},
		{name: "Sao Paulo", iso: "BR", kind: KindCity, region: 3},
		{name: "Jordan", iso: "JO", kind: KindCountry, region: 10},
		{name: "the Netherlands", iso: "NL", kind: KindCountry, region: 8},
		{name: "Zaire", iso: "CD", kind: KindCountry, region: 11},
		{name: "West Bank and Gaza Strip", iso: "PS", kind: KindCountry, region: 10},
		{name: "Côte d'Ivoire", iso: "CI", kind: KindCountry, region: 11},
		{name: "Cote dIvoire", iso: "CI", kind: KindCountry, region: 11},
		{name: "US", iso: "US", kind: KindCountry, region: 1},
		{name: "Kabul", iso: "AF", kind: KindCity, region: 6},
		{name: "Mexico City", iso: "MX", kind: KindCity, region: 1},
		{name: "Almaty", iso: "KZ", kind: KindCity, region: 7},
		{name: "Sydney", iso: "AU", kind: KindCity, region: 12},
		{name: "Manila", iso: "PH", kind: KindCity, region: 5},
		{name: "Beijing", iso: "CN", kind: KindCity, region: 4},
		{name: "Kyiv", iso: "UA", kind: KindCity, region: 9},
		{name: "Havana", iso: "CU", kind: KindCity, region: 2},
		{name: "Nairobi", iso: "KE", kind: KindCity, region: 11},
	}
	for _, tt := range tests {
		t.Run(tt.name+strings.Join(tt.hints, ","), func(t *testing.T) {
			p, ok := Geocode(tt.name, tt.hints)
			if !ok {
				t.Fatalf("Geocode(%q) found nothing", tt.name)
			}
			if p.CountryISO != tt.iso || p.Kind != tt.kind || p.Region.ID != tt.region {
				t.Errorf("Geocode(%q, %q) = %s %s region %d (%+v), want %s %s region %d",
					tt.name, tt.hints, p.Kind, p.CountryISO, p.Region.ID, p, tt.kind, tt.iso, tt.region)
			}
			if tt.province != "" && p.Province != tt.province {
				t.Errorf("Geocode(%q) province %q, want %q", tt.name, p.Province, tt.province)
			}
			if p.Country.Name == "" || p.Region.Name != Regions[tt.region-1].Name {
				t.Errorf("Geocode(%q): country %+v region %+v", tt.name, p.Country, p.Region)
			}
			if p.Kind == KindCity && p.City != p.Name {
				t.Errorf("city %q has City %q", p.Name, p.City)
			}
		})
	}
}

func TestGeocodeUnknown(t *testing.T) {
	for _, name := range []string{"", "   ", "Xqzvbnmlk", "the", "-", "us", "in", "Sparkhill Qwerty"} {
		if p, ok := Geocode(name, nil); ok {
			t.Errorf("Geocode(%q) = %+v, want nothing", name, p)
		}
	}
}

// A homonym's populations are known (Birmingham GB about a million,
// Birmingham US, Alabama about 200,000): without a hint the larger wins,
// and the point is the city's, not the country's.
func TestGeocodePoint(t *testing.T) {
	p, _ := Geocode("Birmingham", nil)
	if p.Population < 500000 || p.Lat < 52 || p.Lat > 53 || p.Lon < -2.5 || p.Lon > -1.5 {
		t.Errorf("Birmingham = %+v, want the English city near 52.5N 1.9W", p)
	}
	us, _ := Geocode("Birmingham", []string{"US"})
	if us.Population <= 0 || us.Population >= p.Population || us.Lat < 33 || us.Lat > 34 {
		t.Errorf("Birmingham, US = %+v, want Alabama's, near 33.5N", us)
	}
}

func TestCountry(t *testing.T) {
	tests := []struct{ name, iso, iso3, display string }{
		{"United Kingdom", "GB", "GBR", "United Kingdom"},
		{"gbr", "GB", "GBR", "United Kingdom"},
		{"Britain", "GB", "GBR", "United Kingdom"},
		{"syrian arab republic", "SY", "SYR", "Syria"},
		{"Türkiye", "TR", "TUR", "Turkey"},
		{"turkiye", "TR", "TUR", "Turkey"},
		{"Burma", "MM", "MMR", "Myanmar"},
		{"us", "US", "USA", "United States"},
		{"Kosovo", "XK", "XKK", "Kosovo"},
		{"Republic of the Congo", "CG", "COG", "Republic of the Congo"},
		{"Bosnia-Herzegovina", "BA", "BIH", "Bosnia and Herzegovina"},
	}
	for _, tt := range tests {
		p, ok := Country(tt.name)
		if !ok || p.CountryISO != tt.iso || p.CountryISO3 != tt.iso3 || p.Name != tt.display || p.Kind != KindCountry {
			t.Errorf("Country(%q) = %+v, %v; want %s/%s %q", tt.name, p, ok, tt.iso, tt.iso3, tt.display)
		}
		if p.Country.Name != p.Name || p.Country.ID != 0 || p.City != "" {
			t.Errorf("Country(%q): Country %+v City %q", tt.name, p.Country, p.City)
		}
	}
	// "Congo" names two countries, so it names neither; a city is no
	// country either.
	for _, name := range []string{"Congo", "Antwerp", "", "XX"} {
		if p, ok := Country(name); ok {
			t.Errorf("Country(%q) = %+v, want nothing", name, p)
		}
	}
}

// Every country has a region but the few GTD places in none, and a point
// inside the range of degrees; every city's country is a known country.
func TestData(t *testing.T) {
	ix := mustLoad()
	if n := len(ix.countries); n < 240 {
		t.Errorf("%d countries, want the ISO list's ~246", n)
	}
	none := map[string]bool{"AQ": true, "BV": true, "HM": true, "GS": true, "TF": true, "IO": true, "UM": true}
	perRegion := map[int]int{}
	for _, c := range ix.countries {
		p := c.place
		if (p.Region.ID == 0) != none[p.CountryISO] {
			t.Errorf("%s region %+v", p.CountryISO, p.Region)
		}
		perRegion[p.Region.ID]++
		if len(p.CountryISO) != 2 || len(p.CountryISO3) != 3 {
			t.Errorf("%s/%s: bad ISO codes", p.CountryISO, p.CountryISO3)
		}
	}
	for _, r := range Regions {
		if perRegion[r.ID] == 0 {
			t.Errorf("no country in region %+v", r)
		}
	}
	if n := len(ix.cities); n < 100000 {
		t.Errorf("%d cities, want over 100,000", n)
	}
	for _, c := range ix.cities {
		if !utf8.ValidString(c.name) || c.name == "" {
			t.Fatalf("city name %q", c.name)
		}
	}
}

func TestFold(t *testing.T) {
	tests := map[string]string{
		"The  Hague":      "hague",
		"Ma'rib":          "marib",
		"Deir ez-Zor":     "deir ez zor",
		"Ḥalab":           "halab",
		"Łódź":            "lodz",
		"Straße":          "strasse",
		"  ÎLE-de-France": "ile de france",
		"theodore":        "theodore",
	}
	for in, want := range tests {
		if got := fold(in); got != want {
			t.Errorf("fold(%q) = %q, want %q", in, got, want)
		}
	}
}

func FuzzGeocode(f *testing.F) {
	for _, s := range []string{"Antwerp", "al-Raqqa", "Ma'rib", "US", "the", "\xff\xfe", "Ḥ̸", "Deir ez-Zor"} {
		f.Add(s, "United States")
	}
	f.Fuzz(func(t *testing.T, name, hint string) {
		p, ok := Geocode(name, []string{hint})
		if !ok {
			if p != (Place{}) {
				t.Fatalf("Geocode(%q) not found but returned %+v", name, p)
			}
			return
		}
		if p.Kind != KindCity && p.Kind != KindCountry || p.Country.Name == "" || p.CountryISO == "" {
			t.Fatalf("Geocode(%q) = %+v", name, p)
		}
		// What was found is found again by the name it is written with.
		q, ok := Geocode(p.Name, []string{p.CountryISO})
		if !ok || q.CountryISO != p.CountryISO || q.Kind != p.Kind {
			t.Fatalf("Geocode(%q) = %s %s, but its name %q finds %s %s", name, p.Kind, p.CountryISO, p.Name, q.Kind, q.CountryISO)
		}
	})
}
