package incident

import (
	"slices"

	"mosaic/internal/gazetteer"
)

// Gazetteer is the Geocoder of the gazetteer embedded in the binary
// (package gazetteer: GeoNames places and the countries with their GTD
// regions).
type Gazetteer struct{}

// smallPlace is the population under which a place in a country the
// document does not point to is taken for a homonym rather than the
// place meant: a Birmingham report's "Alum Rock" is a district absent
// from the gazetteer, not the Californian town of that name.
const smallPlace = 100_000

// Geocode places a name through gazetteer.Geocode. When the document
// points to countries (hints) and the name is a small place in none of
// them, it is not placed: a wrong country stops a report from meeting the
// other records of its attack, where an unplaced one only lacks a city.
func (Gazetteer) Geocode(name string, hints []string) (Place, bool) {
	p, ok := gazetteer.Geocode(name, hints)
	if !ok {
		return Place{}, false
	}
	if p.Kind == gazetteer.KindCity && len(hints) > 0 && p.Population < smallPlace && !slices.ContainsFunc(hints, func(h string) bool {
		c, ok := gazetteer.Country(h)
		return ok && c.CountryISO == p.CountryISO
	}) {
		return Place{}, false
	}
	return Place{City: p.City, Province: p.Province, Country: p.Country, Region: p.Region, Lat: p.Lat, Lon: p.Lon, Population: p.Population}, true
}
