package incident

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"mosaic"
)

// TextDoc is one document as extraction read it.
type TextDoc struct {
	// Doc is the document's ID; 0 at ingest time, when the caller fills
	// the Doc of Sources, Evidence and Actors once the document is stored.
	Doc mosaic.DocID
	// Kind is the document's kind ("report", "news", ...), the Name of
	// the incident's source.
	Kind string
	Text string
	// Date is the document's own date, the anchor extraction read relative
	// dates against; zero if unknown.
	Date      time.Time
	Sentences []mosaic.Span
	// Mentions are extract.Result.Mentions: sorted, DATE mentions carrying
	// an ISO Norm already anchored on the document's date.
	Mentions []mosaic.Mention
	// Relations are extract.Result.Relations.
	Relations []mosaic.Relation
}

// Geocoder places a place name. Hints are the country names the document
// mentions, to choose among homonyms (Birmingham, England or Alabama).
type Geocoder interface {
	Geocode(name string, hints []string) (Place, bool)
}

// Place is where a Geocoder put a name: a city (with its province) or, for
// a country's name, the country alone.
type Place struct {
	City, Province  string
	Country, Region mosaic.Code
	Lat, Lon        float64
	// Population is the city's, when the geocoder knows it: among the
	// places an address names ("Stratford Road, Sparkhill, Birmingham")
	// the most populous is the municipality GTD's city means.
	Population int
}

// Confidences of the readings. They are priors, set before measuring: a
// reading a sentence states outright ("Three people were wounded") is
// trusted more than one read from a neighbouring sentence, and that more
// than one inferred ("PCSO Whitcombe was stabbed" read as one wounded).
// Measured on the sample case (TestFromTextSampleCase prints it), the
// readings given 0.85 were right 94% of the time, 0.70 85% and 0.60 84%:
// the order holds and the priors are on the safe side for a fictional
// case written plainly, as they should be for real text.
const (
	// confEvent is an event sentence's own reading: a past-tense attack
	// verb or an attack noun used only of attacks that happened. Of the
	// CoNLL04 sentences FromText reads as events, 89% (train) and 88%
	// (dev) report a killing (mosaic eval incidents --conll04), and most
	// of the rest report an attack whose killer the corpus does not name.
	confEvent = 0.9
	// confStated is a field the event sentence states: its date, its
	// place, a number of casualties, a claim.
	confStated = 0.85
	// confNear is a field read from a neighbouring sentence of the same
	// passage: the header's date, a casualty count two sentences on.
	confNear = 0.7
	// confInferred is a field inferred, not stated: one wounded from "X
	// was stabbed", the attack type from the weapon alone, an attacker
	// from "X acted alone".
	confInferred = 0.6
	// confUnknownType is the confidence of attack type Unknown: the
	// sentence says an attack happened and nothing of its kind.
	confUnknownType = 0.5
)

// word is a lower-cased token of the text with its byte offsets.
type word struct {
	s          string
	start, end int
	// named is true for a word inside a mention: the "May" of "4 May
	// 2018" or the "Will" of a name is no modal verb.
	named bool
}

// sentence is one sentence with what FromText read in it.
type sentence struct {
	span  mosaic.Span
	words []word
	// first and last index the document's mentions in the sentence
	// ([first, last)).
	first, last int
	hits        []hit
	// event is true when the sentence reports an attack.
	event bool
	// rels are the sentence's Attack relations, negated ones left out.
	rels []mosaic.Relation
	// date is the sentence's own date, if it states one to the day or
	// month, and the mention it came from.
	date     mosaic.IncidentDate
	dateMent int
	// cluster is the incident the sentence belongs to, -1 for none;
	// near is the incident of the closest event sentence at or before it.
	cluster, near int
	// lead is true for a sentence that gave the next one, an event
	// sentence, its date.
	lead bool
}

// hit is a cue matched in a sentence.
type hit struct {
	cue        *cue
	start, end int // word indexes
	// perpetrated is true for a noun an agentive verb makes an event:
	// "carried out the attack"; perpStart is the verb's first word.
	perpetrated bool
	perpStart   int
}

// FromText returns the attacks a document reports, one incident per
// attack: several sentences about one attack in one document are one
// incident. An attack is reported by a sentence with an attack verb or
// event noun that no word before it makes planned, threatened, called
// for or denied ("plans to attack", "called for attacks", "did not
// attack"), or by an Attack relation extraction found and did not find
// negated. Sentences are grouped by the day they state or borrow from the
// line before (a list of dated attacks is several incidents); a sentence
// with no date joins the document's first incident. Every field read has
// its evidence sentence and a confidence; a field no sentence gives stays
// unknown.
func FromText(d TextDoc, geo Geocoder) []mosaic.Incident {
	r := reader{d: d, geo: geo}
	r.read()
	// A cluster found to be no report of an attack gives its passage back
	// to the attack before it, whose fields are then read again: only the
	// clusters whose passage changed, so that a long document of many
	// dropped mentions costs a re-reading each, not a pass over all.
	done := map[int]mosaic.Incident{}
	for ci := 0; ci < len(r.clusters); ci++ {
		if r.clusters[ci].dead {
			continue
		}
		in, ok := r.incident(ci)
		if ok {
			done[ci] = in
			continue
		}
		for drop := []int{ci}; len(drop) > 0; {
			c := drop[0]
			drop = drop[1:]
			r.clusters[c].dead = true
			delete(done, c)
			before := make([]int, len(r.sents))
			for i := range r.sents {
				before[i] = r.sents[i].near
			}
			r.setNear()
			changed := map[int]bool{}
			for i := range r.sents {
				if n := r.sents[i].near; n != before[i] && n >= 0 {
					changed[n] = true
				}
			}
			for c := range changed {
				if _, read := done[c]; !read {
					continue // not read yet: it will be, with its new passage
				}
				if in, ok := r.incident(c); ok {
					done[c] = in
				} else {
					drop = append(drop, c)
				}
			}
		}
	}
	out := make([]mosaic.Incident, 0, len(done))
	for ci := range r.clusters {
		if in, ok := done[ci]; ok {
			out = append(out, in)
		}
	}
	return out
}

// reader holds one document's reading.
type reader struct {
	d        TextDoc
	geo      Geocoder
	sents    []sentence
	clusters []cluster
}

// cluster is the sentences of one attack.
type cluster struct {
	// dead is true for a cluster that reported no attack.
	dead  bool
	date  mosaic.IncidentDate
	dateS int // sentence the date came from, -1 for none
	sents []int
}

func (r *reader) read() {
	d := r.d
	mi := 0
	for _, sp := range d.Sentences {
		s := sentence{span: sp, cluster: -1, near: -1, dateMent: -1}
		s.words = tokenize(d.Text, sp)
		for mi < len(d.Mentions) && d.Mentions[mi].Start < sp.Start {
			mi++
		}
		s.first = mi
		for mi < len(d.Mentions) && d.Mentions[mi].Start < sp.End {
			mi++
		}
		s.last = mi
		for m := s.first; m < s.last; m++ {
			mt := d.Mentions[m]
			for k := wordIndex(s.words, mt.Start); k < len(s.words) && s.words[k].end <= mt.End; k++ {
				s.words[k].named = true
			}
		}
		r.sents = append(r.sents, s)
	}
	for _, rel := range d.Relations {
		if rel.Type != mosaic.Attack || rel.Negated {
			continue
		}
		for i := range r.sents {
			if r.sents[i].span == rel.Sentence {
				r.sents[i].rels = append(r.sents[i].rels, rel)
			}
		}
	}
	r.reanchor()
	for i := range r.sents {
		s := &r.sents[i]
		s.hits = matchCues(s.words)
		s.event = len(s.rels) > 0 && !allBlocked(s)
		for _, h := range s.hits {
			if h.cue.event || h.perpetrated {
				s.event = true
			}
		}
		s.date, s.dateMent = r.sentenceDate(i)
	}
	r.cluster()
}

// allBlocked reports whether the sentence had cues and every one of them
// was blocked: an Attack relation in "he planned to attack the base" is
// not an attack.
func allBlocked(s *sentence) bool {
	return len(s.hits) == 0 && hasBlockedCue(s.words)
}

// cluster groups the event sentences into attacks.
func (r *reader) cluster() {
	main := -1
	for i := range r.sents {
		s := &r.sents[i]
		if !s.event && len(s.hits) == 0 {
			continue
		}
		date, from := s.date, i
		if date.IsZero() && i > 0 && !r.sents[i-1].event {
			// A list of incidents gives the day on the line before:
			// "a) Operation X - 18/04/2016, Stratford Road." then "Y
			// stabbed Z."
			if p := r.sents[i-1]; p.date.Day.Valid && hasDigit(r.d.Mentions[p.dateMent].Text) {
				date, from = p.date, i-1
			}
		}
		target := -1
		switch {
		case !date.Day.Valid:
			target = main
		case main >= 0 && !r.clusters[main].date.Day.Valid:
			target = main
		default:
			for ci, c := range r.clusters {
				if sameDay(c.date, date) {
					target = ci
					break
				}
			}
		}
		if target < 0 {
			// A document's later attacks must be told by a verb with an
			// agent: "the Sparkhill stabbing of 18 April" recalls an
			// attack another document reports.
			if !s.event || main >= 0 && !agentive(s) {
				continue
			}
			r.clusters = append(r.clusters, cluster{dateS: -1})
			target = len(r.clusters) - 1
			if main < 0 {
				main = target
			}
		}
		c := &r.clusters[target]
		if date.Day.Valid && !c.date.Day.Valid || c.date.IsZero() && !date.IsZero() {
			c.date, c.dateS = date, from
		}
		if from != i && r.sents[from].cluster < 0 {
			// The line that gave the date is part of the report: "d)
			// Operation X - 28/06/2016, Coventry."
			c.sents = append(c.sents, from)
			r.sents[from].cluster = target
			r.sents[from].lead = true
		}
		c.sents = append(c.sents, i)
		s.cluster = target
	}
	r.setNear()
}

// setNear gives each sentence the live cluster of the closest event
// sentence at or before it.
func (r *reader) setNear() {
	near := -1
	for i := range r.sents {
		if c := r.sents[i].cluster; c >= 0 && (r.sents[i].event || r.sents[i].lead) && !r.clusters[c].dead {
			near = c
		}
		r.sents[i].near = near
	}
}

// agentive reports an attack verb, a noun made one ("carried out the
// attack") or an Attack relation in the sentence.
func agentive(s *sentence) bool {
	for _, h := range s.hits {
		if h.perpetrated || h.cue.agentive && !reducedRelative(s.words, h) {
			return true
		}
	}
	return len(s.rels) > 0
}

// reducedRelative reports a participle that describes a noun rather than
// tells an attack: "the coach station attacked on 24 June" (a noun
// before it, a preposition after it).
func reducedRelative(ws []word, h hit) bool {
	if h.start == 0 || h.end >= len(ws) {
		return false
	}
	if _, ok := targets[ws[h.start-1].s]; !ok {
		return false
	}
	switch ws[h.end].s {
	case "on", "in", "at", "last", "during", "earlier", "this":
		return true
	}
	return false
}

// sameDay reports whether two dates known to the day are at most a day
// apart: an attack at 23:50 may be dated by its report the next day.
func sameDay(a, b mosaic.IncidentDate) bool {
	ta, okA := a.Time()
	tb, okB := b.Time()
	if !okA || !okB {
		return false
	}
	d := ta.Sub(tb)
	return d <= 24*time.Hour && d >= -24*time.Hour
}

// sentenceDate returns the first date of sentence i known at least to the
// month that is not a birth date or a bound ("since 2013"), and its
// mention's index.
func (r *reader) sentenceDate(i int) (mosaic.IncidentDate, int) {
	s := &r.sents[i]
	var month mosaic.IncidentDate
	monthAt := -1
	for m := s.first; m < s.last; m++ {
		mt := r.d.Mentions[m]
		if mt.Type != mosaic.Date || r.excludedDate(s, mt) {
			continue
		}
		dt, ok := parseNorm(mt.Norm)
		if !ok {
			continue
		}
		if !r.d.Date.IsZero() {
			if t, ok := dt.Time(); ok && t.After(r.d.Date.AddDate(0, 0, 1)) {
				continue // after the document was written: a plan or a deadline
			}
		}
		if dt.Day.Valid {
			return dt, m
		}
		if dt.Month.Valid && monthAt < 0 {
			month, monthAt = dt, m
		}
	}
	return month, monthAt
}

// excludedDate reports a date that is not when something happened to the
// attack: a birth date, or a bound of a period.
func (r *reader) excludedDate(s *sentence, m mosaic.Mention) bool {
	k := wordIndex(s.words, m.Start)
	for j := k - 1; j >= 0 && j >= k-3; j-- {
		switch s.words[j].s {
		case "born", "birth", "since", "until", "till", "dob", "d.o.b":
			return true
		}
	}
	return false
}

// parseNorm reads a DATE mention's ISO norm: "2016-06-24", "2016-06",
// "2016", or the date of a timestamp.
func parseNorm(norm string) (mosaic.IncidentDate, bool) {
	if len(norm) > 10 {
		norm = norm[:10]
	}
	var d mosaic.IncidentDate
	if err := d.UnmarshalText([]byte(norm)); err != nil || d.IsZero() {
		return mosaic.IncidentDate{}, false
	}
	return d, true
}

// incident builds cluster ci's incident.
func (r *reader) incident(ci int) (mosaic.Incident, bool) {
	c := r.clusters[ci]
	main := -1
	for _, i := range c.sents {
		if r.sents[i].event {
			main = i
			break
		}
	}
	if main < 0 {
		return mosaic.Incident{}, false
	}
	in := mosaic.Incident{
		Summary:     r.quote(main),
		Attribution: mosaic.AttributionUnknown,
		Sources:     []mosaic.IncidentSource{{Name: r.d.Kind, Doc: r.d.Doc}},
	}
	conf := confEvent
	for _, rel := range r.sents[main].rels {
		if rel.Hedged {
			conf = confInferred
		}
	}
	r.evidence(&in, mosaic.FieldSummary, in.Summary, main, conf)
	r.readDate(&in, ci, main)
	r.readPlace(&in, ci, main)
	r.readKind(&in, ci, main)
	r.readCasualties(&in, ci)
	r.readActors(&in, ci, main)
	r.readAttribution(&in, ci)
	r.readDoubt(&in, ci)
	if ci > 0 && len(in.Actors) == 0 && !in.Killed.Valid && !in.Wounded.Valid && in.City == "" {
		// A later attack of a document that names no one, counts no
		// victim and places itself nowhere is a mention of an attack,
		// not a report of one.
		return mosaic.Incident{}, false
	}
	return in, true
}

// evidence records that field reads value in sentence i.
func (r *reader) evidence(in *mosaic.Incident, field, value string, i int, conf float64) {
	in.Evidence = append(in.Evidence, mosaic.IncidentEvidence{
		Field: field, Value: oneLine(value), Doc: r.d.Doc, Sentence: r.sents[i].span,
		Quote: r.quote(i), Confidence: conf,
	})
}

// quote returns sentence i as written, its line breaks made spaces.
func (r *reader) quote(i int) string {
	sp := r.sents[i].span
	return oneLine(r.d.Text[sp.Start:sp.End])
}

// oneLine joins text broken over lines: a name wrapped in a report
// ("Mohammed\nAli SHAKIR") reads as one.
func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// readDate sets the date: the cluster's own, else the nearest day stated
// before the first event sentence (a report's "Date of incident" line, a
// news story's dateline).
func (r *reader) readDate(in *mosaic.Incident, ci, main int) {
	c := r.clusters[ci]
	if !c.date.IsZero() {
		in.Date = c.date
		conf := confStated
		if c.dateS != main && c.dateS >= 0 && r.sents[c.dateS].cluster != ci {
			conf = confNear
		}
		r.evidence(in, mosaic.FieldDate, c.date.String(), c.dateS, conf)
		return
	}
	for i := main - 1; i >= 0; i-- {
		if dt := r.sents[i].date; dt.Day.Valid {
			in.Date = dt
			r.evidence(in, mosaic.FieldDate, dt.String(), i, confInferred)
			return
		}
	}
}

// placeName is a LOCATION mention and where a geocoder put it.
type placeName struct {
	mention int
	sent    int
	place   Place
	placed  bool
}

// readPlace sets city, province, country, region and coordinates. The
// event sentences are read first, in order; a place they name that the
// geocoder cannot place as a city (a street, a district) leaves the city
// to the document's nearest LOCATION that it can. Without a geocoder the
// city is the most general name of the event sentence's first run of
// places ("Stratford Road, Sparkhill, Birmingham" gives Birmingham).
func (r *reader) readPlace(in *mosaic.Incident, ci, main int) {
	c := r.clusters[ci]
	if r.geo == nil {
		for _, i := range append([]int{main}, c.sents...) {
			if name, ok := r.lastOfRun(i); ok {
				in.City = name
				r.evidence(in, mosaic.FieldPlace, name, i, confNear)
				return
			}
		}
		return
	}
	hints := r.countryHints()
	var cands []placeName
	seen := map[int]bool{}
	add := func(i int) {
		if seen[i] {
			return
		}
		seen[i] = true
		s := &r.sents[i]
		for m := s.first; m < s.last; m++ {
			if r.d.Mentions[m].Type != mosaic.Location {
				continue
			}
			p, ok := r.geocode(r.d.Mentions[m].Text, hints)
			cands = append(cands, placeName{m, i, p, ok})
		}
	}
	add(main)
	for _, i := range c.sents {
		add(i)
	}
	inCluster := len(cands)
	// Then the rest of the document, nearest first, within the passage
	// the cluster's sentences are nearest to.
	// Then the rest of the passage, nearest first: what comes before the
	// event sentence (a report's "Location:" line, a story's lead), and
	// up to three sentences after it, beyond which a story has moved on.
	for dist := 1; dist < len(r.sents); dist++ {
		for _, i := range []int{main - dist, main + dist} {
			if i >= 0 && i < len(r.sents) && (i < main || dist <= 3) && (r.sents[i].near == ci || r.sents[i].near < 0) {
				add(i)
			}
		}
	}
	city, country := -1, -1
	for k, p := range cands {
		if !p.placed {
			continue
		}
		switch {
		case p.place.City != "" && city < 0:
			city = k
		case p.place.City != "" && k < inCluster && city < inCluster && p.place.Population > cands[city].place.Population:
			// Within the event's own sentences, an address's most
			// populous place is its municipality: Birmingham, not the
			// Stratford its street is named after.
			city = k
		}
		// The gazetteer knows a country by name, not by GTD number.
		if p.place.City == "" && p.place.Country.Name != "" && country < 0 && k < inCluster {
			country = k
		}
	}
	switch {
	case city >= 0:
		p := cands[city]
		in.City, in.Province = p.place.City, p.place.Province
		in.Country, in.Region = p.place.Country, p.place.Region
		in.Latitude, in.Longitude = mosaic.Some(p.place.Lat), mosaic.Some(p.place.Lon)
		conf := confStated
		if city >= inCluster {
			conf = confNear
		}
		r.evidence(in, mosaic.FieldPlace, placeValue(p.place), p.sent, conf)
	case country >= 0:
		p := cands[country]
		in.Country, in.Region = p.place.Country, p.place.Region
		r.evidence(in, mosaic.FieldPlace, placeValue(p.place), p.sent, confStated)
	}
}

// geocode places a name as written, then without the words with digits
// that follow it (a postcode: "Birmingham B11"), then by its longest
// leading words a geocoder knows ("Antwerp Central station" is in
// Antwerp).
func (r *reader) geocode(name string, hints []string) (Place, bool) {
	fs := strings.Fields(name)
	for n := len(fs); n > 0; n-- {
		if p, ok := r.geo.Geocode(strings.Join(fs[:n], " "), hints); ok {
			return p, true
		}
	}
	return Place{}, false
}

// placeValue writes a place as "City, Country".
func placeValue(p Place) string {
	var parts []string
	for _, s := range []string{p.City, p.Province, p.Country.Name} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	return strings.Join(parts, ", ")
}

// lastOfRun returns the last LOCATION of the first run of LOCATION
// mentions in sentence i joined by commas or "in".
func (r *reader) lastOfRun(i int) (string, bool) {
	s := &r.sents[i]
	last := -1
	for m := s.first; m < s.last; m++ {
		mt := r.d.Mentions[m]
		if mt.Type != mosaic.Location {
			continue
		}
		if last >= 0 {
			gap := strings.TrimSpace(r.d.Text[r.d.Mentions[last].End:mt.Start])
			if gap != "," && gap != "in" && gap != ", in" {
				break
			}
		}
		last = m
	}
	if last < 0 {
		return "", false
	}
	return r.d.Mentions[last].Text, true
}

// countryHints are the names of the document's LOCATION mentions the
// geocoder places as countries.
func (r *reader) countryHints() []string {
	seen := map[string]bool{}
	var out []string
	for _, m := range r.d.Mentions {
		if m.Type != mosaic.Location || seen[m.Text] {
			continue
		}
		seen[m.Text] = true
		// A country's name: the gazetteer knows countries by name and ISO
		// code, not by GTD number, so the name is what tells one. A city
		// large enough that its name is seldom another's (Birmingham,
		// Antwerp) tells its country too: a report of a Birmingham
		// stabbing seldom names the United Kingdom, and its Stratford
		// and Alum Rock are not the American ones a bare name finds.
		p, ok := r.geocode(m.Text, nil)
		switch {
		case !ok || p.Country.Name == "" || slices.Contains(out, p.Country.Name):
		case p.City == "":
			out = append(out, m.Text)
		case p.Population >= majorCity:
			out = append(out, p.Country.Name)
		}
	}
	return out
}

// majorCity is the population from which a city's name hints its country
// (see countryHints): above it, homonyms are rare enough, and a hint only
// decides among places of one name.
const majorCity = 250_000

// readKind sets the attack, weapon and target types from the cues of the
// event sentences, the main one first.
func (r *reader) readKind(in *mosaic.Incident, ci, main int) {
	order := append([]int{main}, r.clusters[ci].sents...)
	var attack, weapon mosaic.Code
	attackAt, weaponAt := -1, -1
	for _, i := range order {
		for _, h := range r.sents[i].hits {
			if attack.ID == 0 && h.cue.attack.ID != 0 {
				attack, attackAt = h.cue.attack, i
			}
			if weapon.ID == 0 && h.cue.weapon.ID != 0 {
				weapon, weaponAt = h.cue.weapon, i
			}
		}
	}
	if weapon.ID == 0 {
		for _, i := range order {
			for _, w := range r.sents[i].words {
				if code, ok := weaponWords[w.s]; ok {
					weapon, weaponAt = code, i
					break
				}
			}
			if weapon.ID != 0 {
				break
			}
		}
		if attack.ID == 0 && weapon.ID != 0 {
			// A weapon with an attack that names no kind: the codebook's
			// attack type for a firearm or a blade is Armed Assault, for
			// explosives Bombing/Explosion, for fire a facility attack.
			switch weapon.ID {
			case weaponFirearms.ID, weaponMelee.ID:
				attack, attackAt = attackArmedAssault, weaponAt
			case weaponExplosives.ID:
				attack, attackAt = attackBombing, weaponAt
			}
		}
	}
	if attack.ID != 0 {
		in.AttackTypes = []mosaic.Code{attack}
		conf := confStated
		if attackAt != main {
			conf = confNear
		}
		r.evidence(in, mosaic.FieldAttackType, attack.Name, attackAt, conf)
	} else {
		in.AttackTypes = []mosaic.Code{attackUnknown}
		r.evidence(in, mosaic.FieldAttackType, attackUnknown.Name, main, confUnknownType)
	}
	if weapon.ID != 0 {
		in.WeaponTypes = []mosaic.Code{weapon}
		r.evidence(in, mosaic.FieldWeapon, weapon.Name, weaponAt, confStated)
	}
	if t, at, ok := r.target(order); ok {
		in.TargetTypes = []mosaic.Code{t}
		r.evidence(in, mosaic.FieldTarget, t.Name, at, confNear)
	}
}

// target finds the target type: in the sentence's object after an active
// cue ("attacked two police officers"), or its subject before a passive
// one ("the officer was stabbed"), then the other side.
func (r *reader) target(order []int) (mosaic.Code, int, bool) {
	for _, i := range order {
		s := &r.sents[i]
		if len(s.hits) == 0 {
			continue
		}
		h := s.hits[0]
		for _, hh := range s.hits {
			if hh.cue.event || hh.perpetrated {
				h = hh
				break
			}
		}
		passive := h.start > 0 && isBe(s.words[h.start-1].s) ||
			h.start > 1 && isBe(s.words[h.start-2].s)
		after := func() (mosaic.Code, bool) {
			for k := h.end; k < len(s.words); k++ {
				if t, ok := r.targetAt(s, k); ok {
					return t, true
				}
			}
			return mosaic.Code{}, false
		}
		before := func() (mosaic.Code, bool) {
			for k := h.start - 1; k >= 0; k-- {
				if t, ok := r.targetAt(s, k); ok {
					return t, true
				}
			}
			return mosaic.Code{}, false
		}
		first, second := after, before
		if passive {
			first, second = before, after
		}
		if t, ok := first(); ok {
			return t, i, true
		}
		if t, ok := second(); ok {
			return t, i, true
		}
	}
	return mosaic.Code{}, -1, false
}

// targetAt returns the target type of word k unless it stands in an ORG
// mention (the "Police" of a force's name) or names the attacker ("a man
// attacked").
func (r *reader) targetAt(s *sentence, k int) (mosaic.Code, bool) {
	t, ok := targets[s.words[k].s]
	if !ok {
		return t, false
	}
	for m := s.first; m < s.last; m++ {
		mt := r.d.Mentions[m]
		if mt.Type == mosaic.Org && mt.Start <= s.words[k].start && s.words[k].end <= mt.End {
			return t, false
		}
	}
	if t == targetPrivate && k+1 < len(s.words) {
		// "a man attacked", "a man threw": a person before an agentive
		// verb is its agent.
		for _, h := range s.hits {
			if h.start == k+1 && h.cue.agentive {
				return t, false
			}
		}
		if k+1 < len(s.words) && (s.words[k+1].s == "threw" || s.words[k+1].s == "poured" || s.words[k+1].s == "entered") {
			return t, false
		}
	}
	return t, true
}

func isBe(w string) bool {
	switch w {
	case "was", "were", "been", "being", "is", "are", "got":
		return true
	}
	return false
}

// readCasualties sets killed and wounded from the sentences of the attack
// and those up to four sentences after the last one of them: "Three
// people were wounded", "killing two", "nobody was injured". A count
// unstated stays unknown; one victim of a non-lethal cue ("X was stabbed")
// reads as one wounded, with less confidence.
func (r *reader) readCasualties(in *mosaic.Incident, ci int) {
	c := r.clusters[ci]
	var order []int
	seen := map[int]bool{}
	for _, i := range c.sents {
		for j := i; j < len(r.sents) && j <= i+4; j++ {
			if !seen[j] && (r.sents[j].cluster == ci || r.sents[j].cluster < 0 && r.sents[j].near == ci) {
				seen[j] = true
				order = append(order, j)
			}
		}
	}
	sort.Ints(order)
	var killedSet, woundedSet bool
	verbCount, verbAt := -1, -1
	for _, i := range order {
		k, w, byVerb := casualties(r.sents[i].words)
		if !killedSet && k >= 0 {
			in.Killed, killedSet = mosaic.Some(k), true
			r.evidence(in, mosaic.FieldKilled, strconv.Itoa(k), i, confStated)
		}
		if byVerb {
			// "One officer was stabbed" counts one victim of several;
			// "Two people were wounded in total" counts them all.
			if verbCount < 0 {
				verbCount, verbAt = w, i
			}
			continue
		}
		if !woundedSet && w >= 0 {
			in.Wounded, woundedSet = mosaic.Some(w), true
			r.evidence(in, mosaic.FieldWounded, strconv.Itoa(w), i, confStated)
		}
	}
	if woundedSet {
		return
	}
	if verbCount >= 0 {
		in.Wounded = mosaic.Some(verbCount)
		r.evidence(in, mosaic.FieldWounded, strconv.Itoa(verbCount), verbAt, confNear)
		return
	}
	for _, i := range c.sents {
		s := &r.sents[i]
		for _, h := range s.hits {
			if !h.cue.agentive || h.cue.lethal || h.cue.weapon.ID == 0 && h.cue.attack.ID == 0 {
				continue
			}
			if n, ok := r.victims(s, h); ok {
				in.Wounded = mosaic.Some(n)
				r.evidence(in, mosaic.FieldWounded, strconv.Itoa(n), i, confInferred)
				return
			}
		}
	}
}

// victims counts the victims of a non-lethal cue when no sentence counts
// the wounded: one for the singular subject of a passive ("PCSO Whitcombe
// was stabbed") or a singular object of an active verb ("stabbed him",
// "stabbed PCSO Daniel Whitcombe"); a number for a counted object
// ("stabbed two travellers").
func (r *reader) victims(s *sentence, h hit) (int, bool) {
	if h.start > 0 && s.words[h.start-1].s == "was" {
		return 1, true
	}
	if h.end >= len(s.words) {
		return 0, false
	}
	next := s.words[h.end]
	switch next.s {
	case "him", "her", "a", "an":
		return 1, true
	}
	if n, ok := number(next.s); ok && n > 0 {
		return n, true
	}
	for m := s.first; m < s.last; m++ {
		mt := r.d.Mentions[m]
		if mt.Type == mosaic.Person && mt.Start >= next.start && wordIndex(s.words, mt.Start) <= h.end+1 {
			return 1, true
		}
	}
	return 0, false
}

// casualties reads a sentence's killed and wounded counts, -1 for
// unstated, and whether the wounded were counted by an attack verb ("two
// people were stabbed") rather than a word for the wounded.
func casualties(ws []word) (killed, wounded int, byVerb bool) {
	killed, wounded = -1, -1
	for i, w := range ws {
		isKill, isWound := killWords[w.s], woundWords[w.s] || w.s == "hospital"
		verb := false
		if woundVerbs[w.s] && i > 0 && isBe(ws[i-1].s) && (i+1 >= len(ws) || !killWords[ws[i+1].s]) {
			// "two people were stabbed": a count of the wounded, unless
			// "shot dead" makes it the killed.
			isWound, verb = true, true
		}
		if !isKill && !isWound {
			continue
		}
		n, ok := countNear(ws, i)
		if !ok {
			continue
		}
		if w.s == "casualties" {
			if n == 0 && killed < 0 {
				killed = 0
			}
			if wounded < 0 {
				wounded = n
			}
			continue
		}
		if isKill && killed < 0 {
			killed = n
		}
		if isWound && (wounded < 0 || byVerb && !verb) {
			wounded, byVerb = n, verb
			if n == 0 && killed < 0 {
				// "Nobody was injured" or hurt: nobody was killed either.
				killed = 0
			}
		}
	}
	return killed, wounded, byVerb
}

// countNear finds the number that goes with the casualty word at i:
// before it ("three people were wounded", "nobody was injured") or just
// after it ("killing two", "wounding 12 people").
func countNear(ws []word, i int) (int, bool) {
	after := func() (int, bool) {
		switch ws[i].s {
		case "killing", "wounding", "injuring", "killed", "wounded", "injured", "dead":
			if i+1 < len(ws) {
				if n, ok := number(ws[i+1].s); ok && ws[i+1].s != "a" && ws[i+1].s != "an" {
					return n, true
				}
			}
		}
		return 0, false
	}
	if strings.HasSuffix(ws[i].s, "ing") {
		// "killing nine people and wounding 20": the count follows.
		return after()
	}
	gap := 3
	if ws[i].s == "hospital" {
		gap = 5
	}
	for j := i - 1; j >= 0 && j >= i-gap-1; j-- {
		s := ws[j].s
		if isPunct(s) && s != "," || s == "and" || s == "but" {
			break
		}
		if noneWords[s] || s == "one" && j > 0 && ws[j-1].s == "no" {
			// "no injuries to the detained person" counts the attacker.
			for k := i + 1; k < len(ws) && k <= i+4; k++ {
				if agentNouns[ws[k].s] || ws[k].s == "detained" {
					return 0, false
				}
			}
			return 0, true
		}
		if n, ok := number(s); ok {
			if (s == "a" || s == "an") && !hasWord(ws[j:i], "was") {
				continue
			}
			return n, true
		}
	}
	return after()
}

func hasWord(ws []word, s string) bool {
	for _, w := range ws {
		if w.s == s {
			return true
		}
	}
	return false
}

// number reads a digit string or a number word.
func number(s string) (int, bool) {
	if n, err := strconv.Atoi(strings.ReplaceAll(s, ",", "")); err == nil && n >= 0 && n < 100000 {
		return n, true
	}
	n, ok := numberWords[s]
	return n, ok
}

// readActors finds the attacker, the group and any claim.
// placeWords are the prepositions after which a name is a place, whatever
// the tagger typed it: "a 25-year-old man from Small Heath". "in", "at"
// and "of" were tried too and cost three of CoNLL04 dev's 29 killers
// named right (mosaic eval incidents --conll04), so they are not here.
var placeWords = map[string]bool{"from": true, "near": true}

// afterPlaceWord reports whether mention m follows "from" or "near",
// and so names where someone is from or was, not who attacked.
func (r *reader) afterPlaceWord(m int) bool {
	before := strings.TrimRight(r.d.Text[:r.d.Mentions[m].Start], " \t")
	word := before
	if i := strings.LastIndexFunc(before, func(c rune) bool { return !unicode.IsLetter(c) }); i >= 0 {
		_, w := utf8.DecodeRuneInString(before[i:])
		word = before[i+w:]
	}
	return placeWords[strings.ToLower(word)]
}

func (r *reader) readActors(in *mosaic.Incident, ci, main int) {
	c := r.clusters[ci]
	var attacker, group int = -1, -1
	attackerAt, groupAt := -1, -1
	attackerConf := 0.0
	setAttacker := func(m, at int, conf float64) {
		if attacker < 0 && !r.afterPlaceWord(m) {
			attacker, attackerAt, attackerConf = m, at, conf
		}
	}
	// The Attack relation's agent, then the subject of an attack verb.
	for _, i := range c.sents {
		for _, rel := range r.sents[i].rels {
			from := r.d.Mentions[rel.From]
			switch from.Type {
			case mosaic.Person:
				conf := confStated
				if rel.Hedged {
					conf = confInferred
				}
				setAttacker(rel.From, i, conf)
			case mosaic.Org:
				if group < 0 {
					group, groupAt = rel.From, i
				}
			}
		}
	}
	for _, i := range c.sents {
		if m, ok := r.subjectOf(i); ok {
			if r.d.Mentions[m].Type == mosaic.Person {
				setAttacker(m, i, confStated)
			} else if group < 0 {
				group, groupAt = m, i
			}
		}
	}
	// Then the sentences of the passage: "the attacker was identified as
	// X", "X acted alone".
	for i := range r.sents {
		if r.sents[i].near != ci && !(r.sents[i].near < 0 && ci == 0) {
			continue
		}
		if m, ok := r.namedAgent(i); ok {
			setAttacker(m, i, confNear)
		}
	}
	for i := range r.sents {
		if r.sents[i].near != ci {
			continue
		}
		if m, ok := r.loneActor(i); ok {
			setAttacker(m, i, confInferred)
		}
	}
	if attacker >= 0 {
		m := r.d.Mentions[attacker]
		in.Actors = append(in.Actors, r.actor(mosaic.RoleAttacker, attacker))
		r.evidence(in, mosaic.FieldPerpetrator, m.Text, attackerAt, attackerConf)
	}
	claimed, claimant, claimAt, claimConf := r.claim(ci)
	if claimed.Valid {
		in.Claimed = claimed
		v := "no"
		if claimed.Value {
			v = "yes"
			if claimant >= 0 {
				v = r.d.Mentions[claimant].Text
			}
		}
		r.evidence(in, mosaic.FieldClaim, v, claimAt, claimConf)
	}
	if group < 0 && claimant >= 0 {
		group, groupAt = claimant, claimAt
	}
	if group >= 0 {
		in.Perpetrators = []string{r.d.Mentions[group].Text}
		in.Actors = append(in.Actors, r.actor(mosaic.RoleGroup, group))
		if groupAt != claimAt || group != claimant {
			r.evidence(in, mosaic.FieldPerpetrator, r.d.Mentions[group].Text, groupAt, confNear)
		}
	}
	if claimant >= 0 {
		in.Actors = append(in.Actors, r.actor(mosaic.RoleClaimant, claimant))
	}
}

func (r *reader) actor(role string, m int) mosaic.IncidentActor {
	mt := r.d.Mentions[m]
	return mosaic.IncidentActor{Role: role, Name: oneLine(mt.Text), Kind: mt.Type, Doc: r.d.Doc, Mention: mt.Span()}
}

// subjectOf returns the PERSON or ORG named just before an agentive cue in
// the active voice ("Zakaria Mansour stabbed"), or just after "by" behind a
// passive one ("was shot by X").
func (r *reader) subjectOf(i int) (int, bool) {
	s := &r.sents[i]
	for _, h := range s.hits {
		if !h.cue.agentive && !h.perpetrated {
			continue
		}
		start := h.start
		if h.perpetrated {
			start = h.perpStart
		}
		passive := start > 0 && isBe(s.words[start-1].s)
		if passive {
			for k := h.end; k < len(s.words) && k <= h.end+3; k++ {
				if s.words[k].s == "by" && k+1 < len(s.words) {
					if m, ok := r.mentionAt(s, s.words[k+1].start, mosaic.Person, mosaic.Org); ok {
						return m, true
					}
				}
			}
			continue
		}
		// The nearest name ending before the verb, with at most an
		// apposition between ("X, 20, from Y, attacked").
		pos := s.words[start].start
		best := -1
		for m := s.first; m < s.last; m++ {
			mt := r.d.Mentions[m]
			if mt.End > pos {
				break
			}
			if mt.Type == mosaic.Person || mt.Type == mosaic.Org {
				best = m
			}
		}
		if best < 0 {
			continue
		}
		between := s.words[wordIndex(s.words, r.d.Mentions[best].End):start]
		if len(between) <= 8 && !hasVerbBreak(between) {
			return best, true
		}
	}
	return 0, false
}

// hasVerbBreak reports words between a name and a verb that make the name
// not its subject: another clause or a preposition that makes it an
// object ("the officer shouted at X and stabbed").
func hasVerbBreak(ws []word) bool {
	for _, w := range ws {
		switch w.s {
		case ";", ":", "and", "but", "that", "who", "which", "when", "after", "before", "at", "to", "by", "with", "of", "for", "on":
			return true
		}
	}
	return false
}

// wordCount counts the words that are not punctuation.
func wordCount(ws []word) int {
	n := 0
	for _, w := range ws {
		if !isPunct(w.s) {
			n++
		}
	}
	return n
}

// hasClauseBreak reports words that start another clause between a name
// and its verb; an apposition ("X, 25, of Y, was arrested") is none.
func hasClauseBreak(ws []word) bool {
	for _, w := range ws {
		switch w.s {
		case ";", ":", "and", "but", "that", "who", "which", "when", "after", "before", "while",
			// A speaker: "Greaves said the attacker acted alone".
			"said", "says", "told", "stated", "added", "believes", "believe", "thinks", "according":
			return true
		}
		if agentNouns[w.s] {
			return true
		}
	}
	return false
}

// namedAgent reads "the attacker was identified as X", "the attacker is
// X", "the suspect, named as X": a PERSON a few words after "the" and an
// agent noun, with words of naming between.
func (r *reader) namedAgent(i int) (int, bool) {
	s := &r.sents[i]
	for k, w := range s.words {
		if !agentNouns[w.s] || k == 0 {
			continue
		}
		switch s.words[k-1].s {
		case "the", "an", "a", "this", "alleged", "suspected":
		default:
			continue
		}
		for m := s.first; m < s.last; m++ {
			mt := r.d.Mentions[m]
			if mt.Type != mosaic.Person || mt.Start < w.end {
				continue
			}
			between := s.words[k+1 : wordIndex(s.words, mt.Start)]
			if len(between) <= 10 && naming(between) {
				return m, true
			}
			break
		}
	}
	// "He was identified as X": the previous sentence named the agent.
	if i > 0 {
		p := &r.sents[i-1]
		prevAgent := false
		for _, w := range p.words {
			if agentNouns[w.s] {
				prevAgent = true
			}
		}
		if prevAgent {
			for _, ph := range phrases("identified as", "named as") {
				if k := findPhrase(s.words, ph); k >= 0 {
					for m := s.first; m < s.last; m++ {
						if mt := r.d.Mentions[m]; mt.Type == mosaic.Person && mt.Start >= s.words[k].end {
							return m, true
						}
					}
				}
			}
		}
	}
	return 0, false
}

// naming reports words that put a name to an agent noun: "is", "was
// identified as", "named as", an apposition's comma or a colon.
func naming(ws []word) bool {
	if len(ws) == 0 {
		return false
	}
	for _, w := range ws {
		switch w.s {
		case "is", "was", "as", ":", ",", "named":
			return true
		}
	}
	return false
}

// loneActor reads "X acted alone", "X carried out the attack" and "X,
// 25, of Y, was arrested": the nearest PERSON before the phrase, with at
// most an apposition between.
func (r *reader) loneActor(i int) (int, bool) {
	s := &r.sents[i]
	for _, ph := range loneActor {
		k := findPhrase(s.words, ph)
		if k < 0 {
			continue
		}
		best := -1
		for m := s.first; m < s.last; m++ {
			mt := r.d.Mentions[m]
			if mt.End > s.words[k].start {
				break
			}
			if mt.Type == mosaic.Person || mt.Type == mosaic.Org {
				best = m
			}
		}
		if best < 0 || r.d.Mentions[best].Type != mosaic.Person {
			continue
		}
		between := s.words[wordIndex(s.words, r.d.Mentions[best].End):k]
		if wordCount(between) <= 10 && !hasClauseBreak(between) {
			return best, true
		}
	}
	return 0, false
}

// claim reads whether the attack was claimed and by whom, in the sentences
// of its passage: "X claimed responsibility", "claimed by X", "X's news
// agency said"; "no group has claimed the attack" is a known no.
func (r *reader) claim(ci int) (mosaic.Known[bool], int, int, float64) {
	var no mosaic.Known[bool]
	noAt := -1
	for i := range r.sents {
		s := &r.sents[i]
		if s.near != ci {
			continue
		}
		for k, w := range s.words {
			if !claimWords[w.s] && !(mouthpieces[w.s] && k+1 < len(s.words) && s.words[k+1].s == "said") {
				continue
			}
			if claimWords[w.s] {
				byClaim := k+1 < len(s.words) && s.words[k+1].s == "by"
				nounAfter := false
				for j := k + 1; j < len(s.words) && j <= k+3; j++ {
					if claimNouns[s.words[j].s] {
						nounAfter = true
					}
				}
				if !byClaim && !nounAfter {
					continue
				}
				if negatedBefore(s.words, k) {
					if !no.Valid {
						no, noAt = mosaic.Some(false), i
					}
					continue
				}
				if byClaim && k+2 < len(s.words) {
					if m, ok := r.mentionAt(s, s.words[k+2].start, mosaic.Org); ok {
						return mosaic.Some(true), m, i, confStated
					}
				}
				if m, ok := r.orgBefore(s, k); ok {
					return mosaic.Some(true), m, i, confStated
				}
				return mosaic.Some(true), -1, i, confNear
			}
			// "its news agency said": the outlet's group is the ORG
			// before it in the sentence.
			if len(s.hits) > 0 || r.sents[i].cluster == ci {
				if m, ok := r.orgBefore(s, k); ok {
					return mosaic.Some(true), m, i, confNear
				}
			}
		}
	}
	if no.Valid {
		return no, -1, noAt, confNear
	}
	return mosaic.Known[bool]{}, -1, -1, 0
}

// negatedBefore reports a negation among the five words before k.
func negatedBefore(ws []word, k int) bool {
	for j := k - 1; j >= 0 && j >= k-5; j-- {
		switch ws[j].s {
		case "no", "not", "never", "nobody", "none", "n't", "without", "nor", "neither":
			return true
		}
		if strings.HasSuffix(ws[j].s, "n't") {
			return true
		}
	}
	return false
}

// orgBefore returns the last ORG mention starting before word k.
func (r *reader) orgBefore(s *sentence, k int) (int, bool) {
	best := -1
	for m := s.first; m < s.last; m++ {
		mt := r.d.Mentions[m]
		if mt.Start >= s.words[k].start {
			break
		}
		if mt.Type == mosaic.Org {
			best = m
		}
	}
	return best, best >= 0
}

// readAttribution sets the text-stated attribution class from the
// sentences of the attack's passage: a branch's claim, then words of
// direction ("on the orders of", a Command relation to the attacker),
// then of inspiration ("inspired by", "acted on the call"). Negated cues
// ("was not directed by anyone") are not read. The network's "enabled"
// is not a text reading and is left to the reader of the incident.
func (r *reader) readAttribution(in *mosaic.Incident, ci int) {
	for _, a := range in.Actors {
		if a.Role != mosaic.RoleClaimant {
			continue
		}
		for _, w := range splitWords(a.Name) {
			if branchWords[w] {
				in.Attribution = mosaic.ClaimedByBranch
				r.evidenceAt(in, mosaic.FieldAttribution, string(mosaic.ClaimedByBranch), a.Mention, confStated)
				return
			}
		}
	}
	if e, ok := claimEvidence(in); ok && in.Claimed.Value {
		// "The Islamic State's Nineveh Province claimed responsibility":
		// the claimant's name as tagged may leave the province out.
		for i := range r.sents {
			if r.sents[i].span != e.Sentence {
				continue
			}
			for _, w := range r.sents[i].words {
				if branchWords[w.s] {
					in.Attribution = mosaic.ClaimedByBranch
					r.evidence(in, mosaic.FieldAttribution, string(mosaic.ClaimedByBranch), i, confNear)
					return
				}
			}
		}
	}
	attacker := ""
	for _, a := range in.Actors {
		if a.Role == mosaic.RoleAttacker {
			attacker = a.Name
		}
	}
	var inspiredAt = -1
	var inspiration = -1
	for i := range r.sents {
		s := &r.sents[i]
		if s.near != ci {
			continue
		}
		for _, ph := range directedPhrases {
			if k := findPhrase(s.words, ph); k >= 0 && !negatedBefore(s.words, k) {
				in.Attribution = mosaic.Directed
				r.evidence(in, mosaic.FieldAttribution, string(mosaic.Directed), i, confNear)
				return
			}
		}
		for _, ph := range inspiredPhrases {
			if k := findPhrase(s.words, ph); k >= 0 && !negatedBefore(s.words, k) && inspiredAt < 0 {
				inspiredAt = i
				end := s.words[k+len(ph)-1].end
				for m := s.first; m < s.last; m++ {
					mt := r.d.Mentions[m]
					if mt.Start >= end && (mt.Type == mosaic.Org || mt.Type == mosaic.Person) {
						inspiration = m
						break
					}
				}
			}
		}
	}
	if attacker != "" {
		for _, rel := range r.d.Relations {
			if rel.Type != mosaic.Command || rel.Negated || rel.Hedged {
				continue
			}
			if sameName(r.d.Mentions[rel.To].Text, attacker) {
				in.Attribution = mosaic.Directed
				for i := range r.sents {
					if r.sents[i].span == rel.Sentence {
						r.evidence(in, mosaic.FieldAttribution, string(mosaic.Directed), i, rel.Confidence*confStated)
					}
				}
				return
			}
		}
	}
	if inspiredAt >= 0 {
		in.Attribution = mosaic.Inspired
		r.evidence(in, mosaic.FieldAttribution, string(mosaic.Inspired), inspiredAt, confNear)
		if inspiration >= 0 {
			in.Actors = append(in.Actors, r.actor(mosaic.RoleInspiration, inspiration))
		}
	}
}

// readDoubt sets GTD's doubt when the attack's passage says it was not
// terrorism ("not terrorism-related", "not a terrorist incident").
func (r *reader) readDoubt(in *mosaic.Incident, ci int) {
	for i := range r.sents {
		if r.sents[i].near != ci && r.sents[i].cluster != ci {
			continue
		}
		for _, ph := range notTerror {
			if findPhrase(r.sents[i].words, ph) >= 0 {
				in.Doubt = mosaic.Some(true)
				return
			}
		}
	}
}

// claimEvidence returns the evidence of the incident's claim.
func claimEvidence(in *mosaic.Incident) (mosaic.IncidentEvidence, bool) {
	for _, e := range in.Evidence {
		if e.Field == mosaic.FieldClaim {
			return e, true
		}
	}
	return mosaic.IncidentEvidence{}, false
}

// evidenceAt records evidence for a field read from a mention's sentence.
func (r *reader) evidenceAt(in *mosaic.Incident, field, value string, sp mosaic.Span, conf float64) {
	for i := range r.sents {
		if r.sents[i].span.Start <= sp.Start && sp.End <= r.sents[i].span.End {
			r.evidence(in, field, value, i, conf)
			return
		}
	}
}

// sameName reports whether two names of a person share their last word,
// case aside: "MANSOUR" and "Zakaria Mansour".
func sameName(a, b string) bool {
	wa, wb := splitWords(a), splitWords(b)
	return len(wa) > 0 && len(wb) > 0 && wa[len(wa)-1] == wb[len(wb)-1]
}

// mentionAt returns the mention of one of the types starting at byte pos.
func (r *reader) mentionAt(s *sentence, pos int, types ...mosaic.MentionType) (int, bool) {
	for m := s.first; m < s.last; m++ {
		mt := r.d.Mentions[m]
		if mt.Start == pos {
			for _, t := range types {
				if mt.Type == t {
					return m, true
				}
			}
		}
	}
	return 0, false
}

// mentionEndingAt returns the name mention ending just before byte pos.
func (r *reader) mentionEndingAt(s *sentence, pos int) (int, bool) {
	for m := s.first; m < s.last; m++ {
		mt := r.d.Mentions[m]
		if mt.End <= pos && strings.TrimSpace(r.d.Text[mt.End:pos]) == "" {
			return m, true
		}
	}
	return 0, false
}

// matchCues finds the cues of a sentence, longest first at each word,
// leaving out those a blocker before them makes unreal.
func matchCues(ws []word) []hit {
	var out []hit
	for i := 0; i < len(ws); {
		var best *cue
		for _, k := range cuesByFirst[ws[i].s] {
			cu := &cues[k]
			if matchAt(ws, i, cu.words) && (best == nil || len(cu.words) > len(best.words)) {
				best = cu
			}
		}
		if best == nil {
			i++
			continue
		}
		h := hit{cue: best, start: i, end: i + len(best.words)}
		if !blocked(ws, h) {
			h.perpStart, h.perpetrated = perpetratedBy(ws, i)
			out = append(out, h)
		}
		i = h.end
	}
	return out
}

// hasBlockedCue reports whether some cue of the sentence was blocked.
func hasBlockedCue(ws []word) bool {
	for i := range ws {
		for _, k := range cuesByFirst[ws[i].s] {
			if matchAt(ws, i, cues[k].words) {
				return true
			}
		}
	}
	return false
}

// perpetratedBy reports an agentive verb ("carried out", "launched")
// among the three words before an attack noun, and where it starts.
func perpetratedBy(ws []word, i int) (int, bool) {
	for j := i - 1; j >= 0 && j >= i-4; j-- {
		for _, ph := range perpetrate {
			if matchAt(ws, j, ph) {
				return j, true
			}
		}
	}
	return 0, false
}

// blocked reports a blocker before the cue within its clause, or "to"
// just before a verb.
func blocked(ws []word, h hit) bool {
	if h.start > 0 && ws[h.start-1].s == "to" && h.cue.agentive {
		return true
	}
	for j := h.start - 1; j >= 0 && j >= h.start-5; j-- {
		w := ws[j].s
		if clauseBreaks[w] || isPunct(w) {
			break
		}
		if !ws[j].named && (blockers[w] || strings.HasSuffix(w, "n't")) {
			return true
		}
	}
	return false
}

func matchAt(ws []word, i int, p []string) bool {
	if i+len(p) > len(ws) {
		return false
	}
	for k, s := range p {
		if ws[i+k].s != s {
			return false
		}
	}
	return true
}

// findPhrase returns the index of the phrase's first word, -1 if absent.
func findPhrase(ws []word, p []string) int {
	for i := range ws {
		if matchAt(ws, i, p) {
			return i
		}
	}
	return -1
}

// wordIndex returns the index of the first word starting at or after pos.
func wordIndex(ws []word, pos int) int {
	return sort.Search(len(ws), func(i int) bool { return ws[i].start >= pos })
}

func isPunct(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return len(s) > 0 && !unicode.IsLetter(r) && !unicode.IsDigit(r)
}

// tokenize splits a sentence into lower-cased words and punctuation marks:
// letters and digits with inner hyphens, apostrophes, dots and commas
// ("passers-by", "didn't", "1,200") are one word.
func tokenize(text string, sp mosaic.Span) []word {
	var out []word
	s := text[sp.Start:sp.End]
	i := 0
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case unicode.IsSpace(r):
			i += n
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			j := i + n
			for j < len(s) {
				r2, n2 := utf8.DecodeRuneInString(s[j:])
				if unicode.IsLetter(r2) || unicode.IsDigit(r2) {
					j += n2
					continue
				}
				if (r2 == '-' || r2 == '\'' || r2 == '’' || r2 == ',' && unicode.IsDigit(r)) && j+n2 < len(s) {
					r3, _ := utf8.DecodeRuneInString(s[j+n2:])
					if unicode.IsLetter(r3) || unicode.IsDigit(r3) {
						j += n2
						continue
					}
				}
				break
			}
			w := strings.ToLower(strings.ReplaceAll(s[i:j], "’", "'"))
			// A possessive is its noun: "the group's spokesman".
			w = strings.TrimSuffix(w, "'s")
			out = append(out, word{s: w, start: sp.Start + i, end: sp.Start + j})
			i = j
		default:
			out = append(out, word{s: string(r), start: sp.Start + i, end: sp.Start + i + n})
			i += n
		}
	}
	return out
}

// splitWords lower-cases a phrase into its words as tokenize reads them.
func splitWords(p string) []string {
	ws := tokenize(p, mosaic.Span{Start: 0, End: len(p)})
	out := make([]string, len(ws))
	for i, w := range ws {
		out[i] = w.s
	}
	return out
}

// String writes a cue for test failures.
func (c cue) String() string { return fmt.Sprintf("%q", strings.Join(c.words, " ")) }
