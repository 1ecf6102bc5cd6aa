package incident

import "mosaic/internal/gazetteer"

// Gazetteer is the Geocoder of the gazetteer embedded in the binary
// (package gazetteer: GeoNames places and the countries with their GTD
// regions).
type Gazetteer struct{}

// Geocode places a name through gazetteer.Geocode.
func (Gazetteer) Geocode(name string, hints []string) (Place, bool) {
	p, ok := gazetteer.Geocode(name, hints)
	if !ok {
		return Place{}, false
	}
	return Place{City: p.City, Province: p.Province, Country: p.Country, Region: p.Region, Lat: p.Lat, Lon: p.Lon}, true
}
