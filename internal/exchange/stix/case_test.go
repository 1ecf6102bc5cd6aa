package stix

import (
	"errors"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
	"mosaic/internal/exchange/stix/stixcheck"
)

// schemaDir is the official STIX 2.1 schemas beside the checkout.
const schemaDir = "../../../../shared/data/stix2-schemas/schemas"

// checker loads the schemas, skipping the test when they are absent.
func checker(t testing.TB) *stixcheck.Checker {
	t.Helper()
	ch, err := stixcheck.Load(schemaDir)
	if errors.Is(err, stixcheck.ErrNoSchemas) {
		t.Skipf("%s not found: the STIX 2.1 schemas live in ../shared/data beside the checkout", schemaDir)
	}
	if err != nil {
		t.Fatal(err)
	}
	return ch
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// Document IDs of the rich case: content addresses of invented bytes.
var (
	docReport    = mosaic.NewDocID([]byte("field report"))
	docIntercept = mosaic.NewDocID([]byte("intercept"))
	docUndated   = mosaic.NewDocID([]byte("undated note"))
	docUnused    = mosaic.NewDocID([]byte("cites nothing"))
)

// richCase is a hand-built case with every kind of entity, every
// relation type, a denial and a hedge, undated material, and incidents
// known to the day, to the month and not at all. Every name is invented.
func richCase() exchange.Case {
	ev := func(doc mosaic.DocID, text string, conf float64, date time.Time) exchange.Evidence {
		return exchange.Evidence{Doc: doc, Sentence: mosaic.Span{Start: 10, End: 10 + len(text)}, Text: text,
			Confidence: conf, Date: date}
	}
	return exchange.Case{
		Collections: []exchange.Collection{
			{Name: "field-reports", Agency: "Harbour Police", Classification: "RESTRICTED"},
			{Name: "intercepts", Agency: "Signals Bureau", Classification: "SECRET"},
			{Name: "notes", Agency: "Harbour Police"},
		},
		Documents: []exchange.Document{
			{ID: docReport, Title: "Field report 12", Source: "reports/fr-12.txt", Date: day(2019, 3, 4), Format: mosaic.FormatText, Collections: []string{"field-reports"}},
			{ID: docIntercept, Title: "Intercept <7> & summary", Source: "intercepts/07.eml", Date: day(2019, 5, 20), Format: mosaic.FormatMail, Collections: []string{"intercepts", "field-reports"}},
			{ID: docUndated, Title: "Note", Source: "notes/n.txt", Format: mosaic.FormatText, Collections: []string{"notes"}},
			{ID: docUnused, Title: "Unused", Source: "notes/u.txt", Collections: []string{"notes"}},
		},
		Entities: []exchange.Entity{
			{Key: "1", Kind: mosaic.Person, Name: "Tobias Wrenfield", Names: []string{"Tobias Wrenfield", "T. Wrenfield", "Abu Tamir"}, Community: 0, Centrality: 0.5, Degree: 3, First: day(2019, 3, 4), Last: day(2019, 5, 20)},
			{Key: "2", Kind: mosaic.Person, Name: "Oskar Pellinore", Names: []string{"Oskar Pellinore"}, Community: 0, Degree: 2, First: day(2019, 3, 4), Last: day(2019, 3, 4)},
			{Key: "3", Kind: mosaic.Org, Name: "Brotherhood of the Grey Shore", Names: []string{"Brotherhood of the Grey Shore", "BGS", "the Grey Shore"}, Community: 0, Degree: 2},
			{Key: "4", Kind: mosaic.Org, Name: "Harbour Gazette", Names: []string{"Harbour Gazette"}, Community: 1, Degree: 1},
			{Key: "5", Kind: mosaic.Location, Name: "Birmingham", Names: []string{"Birmingham", "Brum"}, Community: -1},
			{Key: "6", Kind: mosaic.Location, Name: "Qxvzzle Marsh", Community: -1},
			{Key: "7", Kind: mosaic.Location, Name: "Belgium", Community: -1},
			{Key: "8", Kind: mosaic.Email, Name: "grey.shore@example.org", Community: 0},
			{Key: "9", Kind: mosaic.Phone, Name: "+447700900123", Community: 0},
			{Key: "10", Kind: mosaic.IP, Name: "198.51.100.7", Community: -1},
			{Key: "11", Kind: mosaic.URL, Name: "https://example.com/channel", Community: -1},
			{Key: "12", Kind: mosaic.Misc, Name: "Ramadan", Community: -1},
			{Key: "13", Kind: mosaic.Person, Name: "Ilse Varga", Community: -1},
			// A second person of the same name: a different object.
			{Key: "14", Kind: mosaic.Person, Name: "Oskar Pellinore", Community: -1},
			// A police unit with members is not a threat actor; an outlet
			// that claims an attack is.
			{Key: "15", Kind: mosaic.Org, Name: "Harbour Police Unit", Community: -1},
			{Key: "16", Kind: mosaic.Org, Name: "Grey Shore Media", Community: -1},
		},
		Links: []exchange.Link{
			{From: "1", To: "2", Type: mosaic.Contact, Weight: 1.6, First: day(2019, 3, 4), Last: day(2019, 5, 20), Evidence: []exchange.Evidence{
				ev(docReport, "Wrenfield was in touch with Pellinore.", 0.9, day(2019, 3, 4)),
				ev(docIntercept, "The two men spoke\nby phone twice.", 0.7, day(2019, 5, 20)),
			}},
			{From: "1", To: "2", Type: mosaic.Contact, Negated: true, Weight: 0.8, Evidence: []exchange.Evidence{
				ev(docUndated, "Wrenfield denied ever meeting Pellinore.", 0.8, time.Time{}),
			}},
			{From: "1", To: "3", Type: mosaic.Member, Weight: 0.9, First: day(2019, 3, 4), Last: day(2019, 3, 4), Evidence: []exchange.Evidence{
				{Doc: docReport, Sentence: mosaic.Span{Start: 50, End: 90}, Text: "Wrenfield is the emir of the Grey Shore.", FromText: "Wrenfield", ToText: "the Grey Shore", Cue: "emir of", Confidence: 0.9, Date: day(2019, 3, 4)},
			}},
			{From: "3", To: "2", Type: mosaic.Command, Hedged: true, Weight: 0.6, First: day(2019, 5, 20), Last: day(2019, 5, 20), Evidence: []exchange.Evidence{
				ev(docIntercept, "BGS allegedly sent Pellinore to the port.", 0.6, day(2019, 5, 20)),
			}},
			{From: "2", To: "5", Type: mosaic.Travel, Weight: 0.7, First: day(2019, 3, 4), Last: day(2019, 3, 4), Evidence: []exchange.Evidence{ev(docReport, "Pellinore travelled to Birmingham.", 0.7, day(2019, 3, 4))}},
			{From: "1", To: "6", Type: mosaic.LocatedIn, Weight: 0.7, First: day(2019, 3, 4), Last: day(2019, 3, 4), Evidence: []exchange.Evidence{ev(docReport, "Wrenfield lives in Qxvzzle Marsh.", 0.7, day(2019, 3, 4))}},
			{From: "2", To: "13", Type: mosaic.Attack, Weight: 0.8, First: day(2019, 3, 4), Last: day(2019, 3, 4), Evidence: []exchange.Evidence{ev(docReport, "Pellinore stabbed Ilse Varga.", 0.8, day(2019, 3, 4))}},
			{From: "1", To: "14", Type: mosaic.Family, Weight: 0.7, First: day(2019, 3, 4), Last: day(2019, 3, 4), Evidence: []exchange.Evidence{ev(docReport, "Wrenfield's cousin, also called Oskar Pellinore.", 0.7, day(2019, 3, 4))}},
			{From: "1", To: "8", Type: mosaic.Contact, Weight: 0.9, First: day(2019, 5, 20), Last: day(2019, 5, 20), Evidence: []exchange.Evidence{ev(docIntercept, "Wrenfield e-mailed grey.shore@example.org.", 0.9, day(2019, 5, 20))}},
			{From: "9", To: "1", Type: mosaic.Contact, Weight: 0.9, First: day(2019, 5, 20), Last: day(2019, 5, 20), Evidence: []exchange.Evidence{ev(docIntercept, "+447700900123 called Wrenfield.", 0.9, day(2019, 5, 20))}},
			{From: "1", To: "4", Type: mosaic.CoOccur, Weight: 0.2, First: day(2019, 3, 4), Last: day(2019, 3, 4), Evidence: []exchange.Evidence{ev(docReport, "Wrenfield wrote to the Harbour Gazette.", 0.2, day(2019, 3, 4))}},
			{From: "13", To: "15", Type: mosaic.Member, Weight: 0.9, Evidence: []exchange.Evidence{ev(docReport, "Ilse Varga is an officer of the Harbour Police Unit.", 0.9, day(2019, 3, 4))}},
			{From: "10", To: "11", Type: mosaic.CoOccur, Weight: 0.2, Evidence: []exchange.Evidence{ev(docUndated, "198.51.100.7 served https://example.com/channel in Ramadan.", 0.2, time.Time{})}},
		},
		Incidents: []mosaic.Incident{
			{
				EventID: "201903040001", Date: mosaic.IncidentDate{Year: 2019, Month: mosaic.Some(time.March), Day: mosaic.Some(4)},
				Country: mosaic.Code{ID: 603, Name: "United Kingdom"}, Region: mosaic.Code{ID: 8, Name: "Western Europe"},
				City: "Birmingham", Latitude: mosaic.Some(52.48), Longitude: mosaic.Some(-1.89),
				AttackTypes: []mosaic.Code{{ID: 2, Name: "Armed Assault"}}, WeaponTypes: []mosaic.Code{{ID: 9, Name: "Melee"}},
				TargetTypes:  []mosaic.Code{{ID: 14, Name: "Private Citizens & Property"}},
				Perpetrators: []string{"Brotherhood of the Grey Shore"}, Claimed: mosaic.Some(false),
				Killed: mosaic.Some(0), Wounded: mosaic.Some(1), Crit1: mosaic.Some(true),
				Summary: "A man stabbed a passer-by near the port.", Attribution: mosaic.Directed,
				Sources: []mosaic.IncidentSource{{Name: "GTD", Doc: docReport, Row: 2}},
				Actors: []mosaic.IncidentActor{
					{Role: mosaic.RoleAttacker, Name: "Pellinore", Kind: mosaic.Person, Doc: docReport, Mention: mosaic.Span{Start: 1, End: 10}, Entity: 2},
					{Role: mosaic.RoleVictim, Name: "Ilse Varga", Kind: mosaic.Person, Doc: docReport, Mention: mosaic.Span{Start: 20, End: 30}, Entity: 13},
					{Role: mosaic.RoleClaimant, Name: "grey shore media", Kind: mosaic.Org, Doc: docReport, Mention: mosaic.Span{Start: 40, End: 56}},
				},
				Evidence: []mosaic.IncidentEvidence{{Field: mosaic.FieldWeapon, Value: "Melee", Doc: docReport, Sentence: mosaic.Span{Start: 0, End: 40}, Quote: "He used a knife.", Confidence: 0.8}},
			},
			{
				Date:    mosaic.IncidentDate{Year: 2019, Month: mosaic.Some(time.May)},
				Country: mosaic.Code{Name: "Belgium"}, City: "Antwerp",
				Summary: "An arson attack on a shop.", Attribution: mosaic.Inspired, AttributedTo: "Brotherhood of the Grey Shore",
				Sources: []mosaic.IncidentSource{{Name: "report", Doc: docIntercept}},
			},
			{Summary: "An undated attempt.", Attribution: mosaic.AttributionUnknown},
		},
	}
}
