package incident

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"mosaic"
	"mosaic/internal/store"
)

// Group is one attack as its sources together tell it: the incidents that
// report it, combined.
type Group struct {
	// Incident is the members combined (see Merge); its ID is the lowest
	// member ID, so a group keeps its ID while sources join it.
	mosaic.Incident
	// Members are the IDs of the incidents in the group, ascending.
	Members []mosaic.IncidentID `json:"members"`
	// Links say why the members are one attack: one link per join, so a
	// group of n members has n-1 links. Empty for a single source.
	Links []Link `json:"links,omitempty"`
}

// Link is one reason two incidents are read as one attack: a score of
// their agreement with its explanation, or an analyst's ruling.
type Link struct {
	A mosaic.IncidentID `json:"a"`
	B mosaic.IncidentID `json:"b"`
	// Score is how well the two agree, from 0 to about 1; a link joins
	// at Threshold or above. A ruling's link scores 1.
	Score float64 `json:"score"`
	// Why says in words what agrees: "same day 2016-06-24; both
	// Birmingham, United Kingdom; both Armed Assault; attacker Karim
	// Bouzidi named in both".
	Why string `json:"why"`
	// Ruling is the ID of the analyst's IncidentJudgement that joined
	// the pair, or 0 when the score did.
	Ruling int64 `json:"ruling,omitempty"`
}

// Threshold is the score at which two incidents are read as one attack.
// The score adds what agrees (see scorePair): a shared day weighs 0.30 (a
// day apart 0.15, a shared month 0.10), a shared country 0.15, a shared
// city 0.25 (a spelling variant 0.18, another name -0.10), a shared main
// attack type 0.15 and a name in common 0.25, while other days, countries,
// attack types or groups veto the pair. 0.55 asks for a day, a country and
// a type plus a city or a perpetrator, or a day and a city and one more.
//
// It was chosen on the generated sources of TestMergeAccuracy (6,000
// attacks in a year, a third in one country; GTD rows for nine in ten and
// up to three texts each that drop fields, move the date a day, respell
// or leave out the city): pairwise precision 0.931 and recall 0.674 at
// 0.55, against 0.930 and 0.653 at 0.60, 0.922 and 0.682 at 0.50, 0.951 and
// 0.572 at 0.65. Recall is bounded by the texts that give a day and a
// country and nothing else, which no rule can place among five attacks a
// day; precision is lost to distinct attacks of one day, city and type
// that no GTD row tells apart.
const Threshold = 0.55

// Margin is how much better than every rival a link must score to be
// taken: a report that scores within Margin of two attacks (two GTD rows
// of one day and one country, say, when it names no city) joins neither.
const Margin = 0.1

// unknownAttackType is GTD's attack type code for "Unknown".
const unknownAttackType = 9

// Feature weights of the score; see Threshold.
const (
	wDay       = 0.30
	wNextDay   = 0.15
	wMonth     = 0.10
	wCountry   = 0.15
	wCity      = 0.25
	wCityLike  = 0.18
	wCityOther = -0.10
	wNear      = 0.10
	wFar       = -0.30
	wType      = 0.15
	wTypeAny   = 0.10
	wPerp      = 0.25
)

// Distances, in kilometres, at which two known points are the same place
// (a city's centre from a text's gazetteer against GTD's street-level
// point) or plainly not.
const (
	nearKM = 30
	farKM  = 150
)

// prepared is an incident with what comparing it needs worked out once.
type prepared struct {
	in   *mosaic.Incident
	done bool // the fields below the date's are worked out
	gtd  bool
	day  int // days since 1970-01-01 when the date has a day
	full bool
	// month is year*12+month-1 when the month is known, else -1.
	month     int
	countryID int
	country   string // folded name
	countryNm string
	city      string // folded
	cityShape string // skeleton for spelling variants
	types     []string
	groups    []string // specific groups named, folded
	names     []nameRef
}

// nameRef is one name a source gives for those who carried out an attack,
// folded, with how it is written and whether it names an attacker.
type nameRef struct {
	keys     []string
	written  string
	attacker bool
}

// prepare works out what blocking needs; the rest is worked out by
// ready when the incident is first compared, which most GTD rows never
// are.
func prepare(in *mosaic.Incident) prepared {
	p := prepared{in: in, gtd: in.EventID != "", month: -1}
	if t, ok := in.Date.Time(); ok {
		p.full, p.day = true, int(t.Unix()/86400)
	}
	if m, ok := in.Date.Month.Get(); ok {
		p.month = in.Date.Year*12 + int(m) - 1
	}
	return p
}

// ready works out the names and places of p, once.
func (p *prepared) ready() {
	if p.done {
		return
	}
	p.done = true
	in := p.in
	p.countryID, p.country = in.Country.ID, placeKey(in.Country.Name)
	p.countryNm = in.Country.Name
	p.city = placeKey(in.City)
	p.cityShape = shape(p.city)
	for _, c := range in.AttackTypes {
		// GTD's attack type 9, "Unknown", says the kind is not known: it
		// agrees with every kind, as no type at all does.
		if k := placeKey(c.Name); k != "" && k != "unknown" && c.ID != unknownAttackType {
			p.types = append(p.types, k)
		}
	}
	people := map[string]bool{}
	for _, a := range in.Actors {
		if a.Role == mosaic.RoleAttacker || a.Kind == mosaic.Person {
			people[placeKey(a.Name)] = true
		}
	}
	for _, g := range in.Perpetrators {
		k := placeKey(g)
		if k == "" || generic(k) {
			continue
		}
		attacker := people[k]
		p.names = append(p.names, nameRef{keys: aliases(g), written: g, attacker: attacker})
		if !attacker {
			p.groups = append(p.groups, k)
		}
	}
	for _, a := range in.Actors {
		switch a.Role {
		case mosaic.RoleAttacker, mosaic.RoleGroup, mosaic.RoleClaimant:
		default:
			continue
		}
		k := placeKey(a.Name)
		if k == "" || generic(k) {
			continue
		}
		attacker := a.Role == mosaic.RoleAttacker || a.Kind == mosaic.Person
		keys := aliases(a.Name)
		if a.Entity != 0 {
			// Tied to an entity (incident.Read ties before merging),
			// names resolution made one person are one: "Ferhat" in an
			// interview and "Nabil Ferhat" in the report.
			keys = append(keys, fmt.Sprintf("#entity %d", a.Entity))
		}
		p.names = append(p.names, nameRef{keys: keys, written: a.Name, attacker: attacker})
		if !attacker && !slices.Contains(p.groups, k) {
			p.groups = append(p.groups, k)
		}
	}
}

// placeKey folds a name for comparison: lower case, accents and
// apostrophes dropped, every other run of non-letters one space.
func placeKey(s string) string {
	var b strings.Builder
	space := false
	for _, r := range norm.NFD.String(s) {
		switch {
		case unicode.Is(unicode.Mn, r), r == '\'', r == '’', r == 'ʿ', r == 'ʾ':
			continue
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if space && b.Len() > 0 {
				b.WriteByte(' ')
			}
			space = false
			b.WriteRune(unicode.ToLower(r))
		default:
			space = true
		}
	}
	return b.String()
}

// articles are the Arabic article's spellings, dropped from a place's
// shape: "al-Mayadin" and "Mayadin" are one town.
var articles = map[string]bool{"al": true, "el": true, "ad": true, "ar": true, "as": true, "ash": true,
	"az": true, "ez": true, "es": true, "an": true, "at": true, "ul": true}

// shape is a place name's skeleton for spelling variants: articles
// dropped, vowels (and y, w) dropped after a word's first letter, doubled
// letters single, so that "Deir ez-Zor", "Dayr az Zawr" and "Deir al-Zour"
// all read "dr zr".
func shape(key string) string {
	var words []string
	for _, w := range strings.Fields(key) {
		if articles[w] {
			continue
		}
		var b []rune
		for i, r := range w {
			if i > 0 && strings.ContainsRune("aeiouyw", r) {
				continue
			}
			if len(b) > 0 && b[len(b)-1] == r {
				continue
			}
			b = append(b, r)
		}
		words = append(words, string(b))
	}
	return strings.Join(words, " ")
}

// genericWords end the names GTD gives when it knows no group: "Unknown",
// "Gunmen", "Jihadi-inspired extremists", "Separatists". Such a name says
// who the attackers were like, not which group they were, so it agrees or
// disagrees with nothing.
var genericWords = map[string]bool{"unknown": true, "extremists": true, "militants": true, "gunmen": true,
	"insurgents": true, "separatists": true, "rebels": true, "tribesmen": true, "activists": true,
	"sympathizers": true, "anarchists": true, "students": true, "individuals": true, "individual": true,
	"guerrillas": true, "assailants": true, "attackers": true}

func generic(key string) bool {
	ws := strings.Fields(key)
	return len(ws) > 0 && genericWords[ws[len(ws)-1]]
}

// aliases are the folded forms a group name goes by: the whole name, the
// name without its bracketed abbreviation and the abbreviation
// ("Islamic State of Iraq and the Levant (ISIL)"), and the initials of a
// name of three words or more besides "of", "the", "and" ("Islamic State
// of Iraq and Syria" is "isis").
func aliases(name string) []string {
	out := []string{placeKey(name)}
	if i, j := strings.IndexByte(name, '('), strings.LastIndexByte(name, ')'); i >= 0 && j > i {
		out = append(out, placeKey(name[:i]+name[j+1:]), placeKey(name[i+1:j]))
	}
	base := out[0]
	if len(out) > 1 {
		base = out[1]
	}
	var initials []byte
	for _, w := range strings.Fields(base) {
		if !joiners[w] {
			initials = append(initials, w[0])
		}
	}
	if len(initials) >= 3 {
		out = append(out, string(initials))
	}
	var kept []string
	for _, k := range out {
		if k != "" && !slices.Contains(kept, k) {
			kept = append(kept, k)
		}
	}
	return kept
}

// joiners are the words a group's initials leave out.
var joiners = map[string]bool{"of": true, "the": true, "and": true, "in": true, "for": true, "al": true}

// named reports whether two names share a folded form.
func named(a, b nameRef) bool {
	for _, k := range a.keys {
		if slices.Contains(b.keys, k) {
			return true
		}
	}
	return false
}

// within1 reports whether two strings are at most one edit apart.
func within1(a, b string) bool {
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(rb)-len(ra) > 1 {
		return false
	}
	i := 0
	for i < len(ra) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		return string(ra[i+1:]) == string(rb[i+1:])
	}
	return string(ra[i:]) == string(rb[i+1:])
}

// km is the great-circle distance between two incidents' points, and
// false when either is not known.
func km(a, b *mosaic.Incident) (float64, bool) {
	if !a.Latitude.Valid || !a.Longitude.Valid || !b.Latitude.Valid || !b.Longitude.Valid {
		return 0, false
	}
	rad := math.Pi / 180
	la1, la2 := a.Latitude.Value*rad, b.Latitude.Value*rad
	dl := (b.Longitude.Value - a.Longitude.Value) * rad
	h := math.Pow(math.Sin((la2-la1)/2), 2) + math.Cos(la1)*math.Cos(la2)*math.Pow(math.Sin(dl/2), 2)
	return 2 * 6371 * math.Asin(math.Min(1, math.Sqrt(h))), true
}

// explanation collects the words of a comparison, only when asked for:
// the blocks of a large import compare many pairs whose words no one
// reads.
type explanation struct {
	on    bool
	words []string
}

// add words a reason; the caller checks e.on first, so that a quiet
// comparison does not box the arguments.
func (e *explanation) add(format string, args ...any) {
	e.words = append(e.words, fmt.Sprintf(format, args...))
}

// vetof words why a pair cannot be one attack; the caller returns "veto"
// instead when not explaining.
func (e *explanation) vetof(format string, args ...any) string {
	return fmt.Sprintf(format, args...)
}

// compare scores two incidents' agreement and says why, or says why they
// cannot be one attack (veto non-empty).
func compare(a, b *prepared) (score float64, why []string, veto string) {
	e := explanation{on: true}
	score, veto = scorePair(a, b, &e)
	return score, e.words, veto
}

// scorePair is compare, explaining into e.
func scorePair(a, b *prepared, e *explanation) (score float64, veto string) {
	a.ready()
	b.ready()
	// When: the day, or the month or year a less precise date allows.
	ya, yb := a.in.Date.Year, b.in.Date.Year
	switch {
	case ya != yb:
		if !e.on {
			return 0, "veto"
		}
		return 0, e.vetof("years differ (%d, %d)", ya, yb)
	case a.full && b.full:
		switch d := a.day - b.day; {
		case d == 0:
			score += wDay
			if e.on {
				e.add("same day %s", a.in.Date)
			}
		case (d == 1 || d == -1) && !(a.gtd && b.gtd):
			score += wNextDay
			if e.on {
				e.add("one day apart (%s, %s)", a.in.Date, b.in.Date)
			}
		default:
			if !e.on {
				return 0, "veto"
			}
			return 0, e.vetof("days differ (%s, %s)", a.in.Date, b.in.Date)
		}
	case a.month >= 0 && b.month >= 0:
		if a.month != b.month {
			if !e.on {
				return 0, "veto"
			}
			return 0, e.vetof("months differ (%s, %s)", a.in.Date, b.in.Date)
		}
		score += wMonth
		if e.on {
			e.add("same month %04d-%02d (one dated to the month only)", ya, int(a.month%12+1))
		}
	default:
		if e.on {
			e.add("same year %d (one dated to the year only)", ya)
		}
	}

	// Where: the country must agree, by code when both are coded (a
	// text's gazetteer gives GTD's codes), else by name; the city agrees,
	// nearly agrees or cannot be checked (a district in a city is not the
	// city's name).
	sameCountry, countryKnown := false, true
	switch {
	case a.countryID != 0 && b.countryID != 0:
		sameCountry = a.countryID == b.countryID
	case a.country != "" && b.country != "":
		sameCountry = a.country == b.country
	default:
		countryKnown = false
	}
	if countryKnown && !sameCountry {
		if !e.on {
			return 0, "veto"
		}
		return 0, e.vetof("countries differ (%s, %s)", a.countryNm, b.countryNm)
	}
	if sameCountry {
		score += wCountry
	}
	country := a.countryNm
	if country == "" {
		country = b.countryNm
	}
	cityKnown := a.city != "" && b.city != ""
	switch {
	case cityKnown && a.city == b.city:
		score += wCity
		if sameCountry && country != "" {
			if e.on {
				e.add("both %s, %s", a.in.City, country)
			}
		} else {
			if e.on {
				e.add("both %s", a.in.City)
			}
		}
	case cityKnown && a.cityShape != "" && within1(a.cityShape, b.cityShape):
		score += wCityLike
		if e.on {
			e.add("%s and %s read as one place", a.in.City, b.in.City)
		}
		if sameCountry && country != "" {
			if e.on {
				e.add("both %s", country)
			}
		}
	case cityKnown:
		score += wCityOther
		if e.on {
			e.add("places named differently (%s, %s: one may be a district of the other)", a.in.City, b.in.City)
		}
		if sameCountry && country != "" {
			if e.on {
				e.add("both %s", country)
			}
		}
	case sameCountry && country != "":
		if e.on {
			e.add("both %s (city unknown in one)", country)
		}
	}
	if !countryKnown {
		if e.on {
			e.add("country unknown in one")
		}
	}
	if d, ok := km(a.in, b.in); ok {
		switch {
		case d <= nearKM && !(cityKnown && a.city == b.city):
			score += wNear
			if e.on {
				e.add("%.0f km apart", d)
			}
		case d > farKM:
			score += wFar
			if e.on {
				e.add("%.0f km apart", d)
			}
		}
	}

	// What: the main attack types agree, or some type does, or one is
	// not known.
	switch {
	case len(a.types) == 0 || len(b.types) == 0:
		if e.on {
			e.add("attack type unknown in one")
		}
	case a.types[0] == b.types[0]:
		score += wType
		if e.on {
			e.add("both %s", a.in.AttackTypes[0].Name)
		}
	default:
		shared := -1
		for i, t := range a.types {
			if slices.Contains(b.types, t) {
				shared = i
				break
			}
		}
		if shared < 0 {
			if !e.on {
				return 0, "veto"
			}
			return 0, e.vetof("attack types differ (%s, %s)", a.in.AttackTypes[0].Name, b.in.AttackTypes[0].Name)
		}
		score += wTypeAny
		if e.on {
			e.add("both record %s", a.in.AttackTypes[shared].Name)
		}
	}

	// Who: a name in common, or two known groups that differ.
	var common *nameRef
	attacker := false
	for i := range a.names {
		for j := range b.names {
			if named(a.names[i], b.names[j]) {
				common, attacker = &a.names[i], a.names[i].attacker || b.names[j].attacker
				break
			}
		}
		if common != nil {
			break
		}
	}
	switch {
	case common != nil && attacker:
		score += wPerp
		if e.on {
			e.add("attacker %s named in both", common.written)
		}
	case common != nil:
		score += wPerp
		if e.on {
			e.add("group %s named in both", common.written)
		}
	case len(a.groups) > 0 && len(b.groups) > 0:
		if !e.on {
			return 0, "veto"
		}
		return 0, e.vetof("groups differ (%s; %s)", strings.Join(a.groups, ", "), strings.Join(b.groups, ", "))
	default:
		if e.on {
			e.add("perpetrator unknown in one")
		}
	}
	return score, ""
}

// Merge groups incidents that report one attack, so that an attack told by
// a GTD row, a police report and two news articles is counted once with
// every source kept.
//
// Two incidents are read as one when their score (see Threshold) reaches
// the threshold and nothing vetoes them: the pairs are joined best first,
// and a join is refused when any member of one group could not be one
// attack with any member of the other (so that a chain of next-day reports
// does not walk a group across a week), or when both groups hold a GTD
// row of different event IDs: GTD has deduplicated itself, and two of its
// rows are two attacks. Incidents of one event ID (the same release
// imported into two collections) are one attack.
//
// rulings override the score: a Same ruling joins its pair whatever the
// score, and a ruling that they differ keeps the two in different groups
// whatever chain of other links would join them. A Same ruling that would
// join two incidents ruled different is not applied. Rulings naming an
// incident not among incs are ignored.
//
// The groups are returned in the store's order: oldest first (by date,
// an unknown month or day counting before the known ones), then by ID.
func Merge(incs []mosaic.Incident, rulings []store.IncidentJudgement) []Group {
	return merge(incs, rulings, Threshold)
}

// merge is Merge at a given threshold, which the accuracy test varies.
func merge(incs []mosaic.Incident, rulings []store.IncidentJudgement, threshold float64) []Group {
	n := len(incs)
	ps := make([]prepared, n)
	byID := make(map[mosaic.IncidentID]int, n)
	for i := range incs {
		ps[i] = prepare(&incs[i])
		if incs[i].ID != 0 {
			byID[incs[i].ID] = i
		}
	}
	c := newClusters(ps)

	// Rulings that two differ bind every join; Same rulings join first,
	// the latest first so that of two that contradict each other through
	// a ruling of difference the later stands.
	for _, r := range rulings {
		i, okA := byID[r.A]
		j, okB := byID[r.B]
		if okA && okB && !r.Same {
			c.apart[[2]int{min(i, j), max(i, j)}] = true
		}
	}
	for _, r := range slices.Backward(rulings) {
		i, okA := byID[r.A]
		j, okB := byID[r.B]
		if !okA || !okB || !r.Same {
			continue
		}
		why := "an analyst ruled them one attack"
		if r.Reason != "" {
			why += ": " + r.Reason
		}
		c.join(i, j, Link{Score: 1, Why: why, Ruling: r.ID}, false)
	}

	// One event ID is one attack.
	byEvent := map[string]int{}
	for i, p := range ps {
		if !p.gtd {
			continue
		}
		if first, ok := byEvent[p.in.EventID]; ok {
			c.join(first, i, Link{Score: 1, Why: "same GTD event " + p.in.EventID}, false)
			continue
		}
		byEvent[p.in.EventID] = i
	}

	// Scored pairs, found within date blocks, joined best first.
	type cand struct {
		i, j  int
		score float64
	}
	var cands []cand
	eachCandidate(ps, func(i, j int) {
		if s, veto := scorePair(&ps[i], &ps[j], &explanation{}); veto == "" && s >= threshold-1e-9 {
			cands = append(cands, cand{i, j, s})
		}
	})
	slices.SortFunc(cands, func(x, y cand) int {
		if x.score != y.score {
			return cmp.Compare(y.score, x.score)
		}
		return cmp.Or(cmp.Compare(x.i, y.i), cmp.Compare(x.j, y.j))
	})
	// A link is ambiguous when one of its ends has, among the candidates
	// scoring within Margin of the link, two that cannot be one attack
	// (two GTD rows of one day and one country, say, when it names no
	// city): the report could be either attack, and a guess is not a
	// merge.
	byInc := map[int][]int{}
	for ci, k := range cands {
		byInc[k.i] = append(byInc[k.i], ci)
		byInc[k.j] = append(byInc[k.j], ci)
	}
	apartFrom := func(y, z int) bool {
		if ps[y].gtd && ps[z].gtd {
			return ps[y].in.EventID != ps[z].in.EventID
		}
		_, veto := scorePair(&ps[y], &ps[z], &explanation{})
		return veto != ""
	}
	ambiguous := func(k cand) bool {
		for _, x := range [2]int{k.i, k.j} {
			var near []int
			for _, ci := range byInc[x] {
				if o := cands[ci]; o.score >= k.score-Margin {
					near = append(near, o.i+o.j-x)
				}
			}
			for a := range near {
				for _, z := range near[a+1:] {
					if apartFrom(near[a], z) {
						return true
					}
				}
			}
		}
		return false
	}
	for _, k := range cands {
		if ambiguous(k) {
			continue
		}
		c.join(k.i, k.j, Link{Score: math.Round(k.score*1000) / 1000}, true)
	}
	return c.groups()
}

// eachCandidate calls fn for every pair of incidents whose dates could be
// one attack's and that are not both GTD rows: each incident that is not a
// GTD row is compared with those of the day before, the day and the day
// after, and those dated only to its month or year; one dated only to a
// month, with its month and its year's year-only ones; one dated only to a
// year, with its year. GTD rows are compared with nothing but these, so
// 200,000 of them cost only their indexing.
func eachCandidate(ps []prepared, fn func(i, j int)) {
	byDay := map[int][]int{}
	byMonth := map[int][]int{}   // every incident with a known month
	monthOnly := map[int][]int{} // dated to the month only
	byYear := map[int][]int{}    // every incident
	yearOnly := map[int][]int{}  // dated to the year only
	for i, p := range ps {
		y := p.in.Date.Year
		byYear[y] = append(byYear[y], i)
		switch {
		case p.full:
			byDay[p.day] = append(byDay[p.day], i)
			byMonth[p.month] = append(byMonth[p.month], i)
		case p.month >= 0:
			byMonth[p.month] = append(byMonth[p.month], i)
			monthOnly[p.month] = append(monthOnly[p.month], i)
		default:
			yearOnly[y] = append(yearOnly[y], i)
		}
	}
	for i, p := range ps {
		if p.gtd {
			continue
		}
		visit := func(js []int) {
			for _, j := range js {
				// A pair of text sources is visited from its first.
				if j == i || (!ps[j].gtd && j < i) {
					continue
				}
				fn(min(i, j), max(i, j))
			}
		}
		y := p.in.Date.Year
		switch {
		case p.full:
			visit(byDay[p.day-1])
			visit(byDay[p.day])
			visit(byDay[p.day+1])
			visit(monthOnly[p.month])
			visit(yearOnly[y])
		case p.month >= 0:
			visit(byMonth[p.month])
			visit(yearOnly[y])
		default:
			visit(byYear[y])
		}
	}
}

// clusters is a union-find over incidents that keeps each group's members
// and the links that joined them.
type clusters struct {
	ps     []prepared
	parent []int
	// members and links are kept at each root.
	members map[int][]int
	links   map[int][]Link
	// apart holds the pairs (lower index first) ruled different.
	apart map[[2]int]bool
}

func newClusters(ps []prepared) *clusters {
	c := &clusters{ps: ps, parent: make([]int, len(ps)), members: map[int][]int{}, links: map[int][]Link{},
		apart: map[[2]int]bool{}}
	for i := range c.parent {
		c.parent[i] = i
	}
	return c
}

func (c *clusters) root(i int) int {
	for c.parent[i] != i {
		c.parent[i] = c.parent[c.parent[i]]
		i = c.parent[i]
	}
	return i
}

func (c *clusters) of(r int) []int {
	if m, ok := c.members[r]; ok {
		return m
	}
	return []int{r}
}

// join puts i and j in one group with the link l, unless a ruling keeps
// two of their members apart, or, for a scored link, they hold GTD rows
// of different events or a pair that cannot be one attack.
func (c *clusters) join(i, j int, l Link, scored bool) bool {
	ri, rj := c.root(i), c.root(j)
	if ri == rj {
		return false
	}
	mi, mj := c.of(ri), c.of(rj)
	ei, ej := "", ""
	for _, x := range mi {
		if c.ps[x].gtd {
			ei = c.ps[x].in.EventID
		}
	}
	for _, y := range mj {
		if c.ps[y].gtd {
			ej = c.ps[y].in.EventID
		}
	}
	if scored && ei != "" && ej != "" && ei != ej {
		return false
	}
	for _, x := range mi {
		for _, y := range mj {
			if c.apart[[2]int{min(x, y), max(x, y)}] {
				return false
			}
			if scored && !(x == i && y == j) {
				if _, veto := scorePair(&c.ps[x], &c.ps[y], &explanation{}); veto != "" {
					return false
				}
			}
		}
	}
	if scored {
		// Worded only now: most pairs scored are never joined.
		_, why, _ := compare(&c.ps[i], &c.ps[j])
		l.Why = strings.Join(why, "; ")
	}
	l.A, l.B = c.ps[i].in.ID, c.ps[j].in.ID
	if l.A > l.B {
		l.A, l.B = l.B, l.A
	}
	c.parent[rj] = ri
	c.members[ri] = append(slices.Clone(mi), mj...)
	c.links[ri] = append(append(c.links[ri], c.links[rj]...), l)
	delete(c.members, rj)
	delete(c.links, rj)
	return true
}

// groups returns every group, combined, in the store's order.
func (c *clusters) groups() []Group {
	var roots []int
	for i := range c.ps {
		if c.root(i) == i {
			roots = append(roots, i)
		}
	}
	built := make([]Group, len(roots))
	for k, r := range roots {
		ms := c.of(r)
		ins := make([]*mosaic.Incident, len(ms))
		for x, m := range ms {
			ins[x] = c.ps[m].in
		}
		slices.SortFunc(ins, func(a, b *mosaic.Incident) int { return cmp.Compare(a.ID, b.ID) })
		g := Group{Incident: combine(ins), Links: c.links[r], Members: make([]mosaic.IncidentID, len(ins))}
		for x, in := range ins {
			g.Members[x] = in.ID
		}
		built[k] = g
	}
	// Sorted by index: a Group is large to move.
	order := make([]int, len(built))
	for k := range order {
		order[k] = k
	}
	slices.SortStableFunc(order, func(x, y int) int {
		a, b := &built[x], &built[y]
		return cmp.Or(cmp.Compare(a.Date.Key(), b.Date.Key()), cmp.Compare(a.ID, b.ID))
	})
	out := make([]Group, len(built))
	for k, x := range order {
		out[k] = built[x]
	}
	return out
}

// attributionRank orders attribution classes from the least to the most
// specific; a group's is its members' most specific.
var attributionRank = map[mosaic.Attribution]int{
	"": 0, mosaic.AttributionUnknown: 0, mosaic.Inspired: 1, mosaic.Enabled: 2, mosaic.ClaimedByBranch: 3, mosaic.Directed: 4,
}

// combine makes one incident of a group's members, given by ascending ID.
// Sources, actors and evidence are the union; coded fields come from a
// GTD row when one is a member, else from the first member that knows
// them; the date is the GTD row's or the most precise; the dead and
// wounded are GTD's, else the most any source counts (its sentence is in
// the evidence); the perpetrators are the GTD row's then the other
// specific names the sources give; the attribution is the most specific
// any member makes, with the group it relates to; claimed if any says so.
func combine(ins []*mosaic.Incident) mosaic.Incident {
	if len(ins) == 1 {
		return *ins[0]
	}
	// ordered puts a GTD member first, then the others by ID.
	ordered := slices.Clone(ins)
	slices.SortStableFunc(ordered, func(a, b *mosaic.Incident) int {
		return cmp.Compare(boolRank(a.EventID == ""), boolRank(b.EventID == ""))
	})
	out := *ordered[0]
	out.ID = ins[0].ID
	out.Sources, out.Actors, out.Evidence, out.Perpetrators = nil, nil, nil, nil
	for _, in := range ordered[1:] {
		if out.Date.Year == 0 || (out.EventID == "" && precision(in.Date) > precision(out.Date)) {
			out.Date = in.Date
		}
		fill(&out.ApproxDate, in.ApproxDate)
		if out.Country.IsZero() {
			out.Country = in.Country
		}
		if out.Region.IsZero() {
			out.Region = in.Region
		}
		fill(&out.Province, in.Province)
		fill(&out.City, in.City)
		if !out.Latitude.Valid || !out.Longitude.Valid {
			out.Latitude, out.Longitude = in.Latitude, in.Longitude
		}
		fillList(&out.AttackTypes, in.AttackTypes)
		fillList(&out.WeaponTypes, in.WeaponTypes)
		fillList(&out.TargetTypes, in.TargetTypes)
		fillList(&out.Nationalities, in.Nationalities)
		fillKnown(&out.Doubt, in.Doubt)
		fillKnown(&out.Crit1, in.Crit1)
		fillKnown(&out.Crit2, in.Crit2)
		fillKnown(&out.Crit3, in.Crit3)
		fill(&out.Summary, in.Summary)
		if out.EventID == "" {
			out.Killed = maxKnown(out.Killed, in.Killed)
			out.Wounded = maxKnown(out.Wounded, in.Wounded)
		} else {
			fillKnown(&out.Killed, in.Killed)
			fillKnown(&out.Wounded, in.Wounded)
		}
		if in.Claimed.Valid && (in.Claimed.Value || !out.Claimed.Valid) {
			out.Claimed = in.Claimed
		}
	}
	for _, in := range ordered {
		for _, p := range in.Perpetrators {
			add := !slices.ContainsFunc(out.Perpetrators, func(q string) bool { return placeKey(q) == placeKey(p) })
			if add && in != ordered[0] && generic(placeKey(p)) {
				add = len(out.Perpetrators) == 0
			}
			if add {
				out.Perpetrators = append(out.Perpetrators, p)
			}
		}
	}
	// The most specific class, the GTD row's or the first's on a tie,
	// with the group it relates to: named, or the member's first
	// perpetrator when that is not first here.
	best := ordered[0]
	for _, in := range ordered[1:] {
		if attributionRank[in.Attribution] > attributionRank[best.Attribution] {
			best = in
		}
	}
	out.Attribution, out.AttributedTo = best.Attribution, best.AttributedTo
	if out.AttributedTo == "" && len(best.Perpetrators) > 0 && placeKey(best.Perpetrators[0]) != placeKey(out.Perpetrators[0]) {
		out.AttributedTo = best.Perpetrators[0]
	}
	for _, in := range ins {
		out.Sources = union(out.Sources, in.Sources)
		out.Actors = union(out.Actors, in.Actors)
		out.Evidence = union(out.Evidence, in.Evidence)
	}
	return out
}

func boolRank(b bool) int {
	if b {
		return 1
	}
	return 0
}

// precision is how much of a date is known: 1 the year, 2 the month, 3
// the day.
func precision(d mosaic.IncidentDate) int {
	switch {
	case d.Year == 0:
		return 0
	case !d.Month.Valid:
		return 1
	case !d.Day.Valid:
		return 2
	}
	return 3
}

func fill(dst *string, v string) {
	if *dst == "" {
		*dst = v
	}
}

func fillList(dst *[]mosaic.Code, v []mosaic.Code) {
	if len(*dst) == 0 && len(v) > 0 {
		*dst = slices.Clone(v)
	}
}

func fillKnown[T any](dst *mosaic.Known[T], v mosaic.Known[T]) {
	if !dst.Valid {
		*dst = v
	}
}

func maxKnown(a, b mosaic.Known[int]) mosaic.Known[int] {
	if !a.Valid || (b.Valid && b.Value > a.Value) {
		return b
	}
	return a
}

func union[T comparable](dst, add []T) []T {
	for _, v := range add {
		if !slices.Contains(dst, v) {
			dst = append(dst, v)
		}
	}
	return dst
}

// Attacks returns the groups' combined incidents, one per attack, for
// counting: ComputeTempo counts each incident it is given as an attack.
func Attacks(groups []Group) []mosaic.Incident {
	out := make([]mosaic.Incident, len(groups))
	for i, g := range groups {
		out[i] = g.Incident
	}
	return out
}
