package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/incident"
	"mosaic/internal/store"
)

// The incidents endpoints answer with attacks, as the incidents command
// does, not with the records the store holds: a GTD row and the reports
// of the same attack are one attack (incident.Merge, under the caller's
// agency's rulings), its attackers tied to their entities and its
// attribution raised by the caller's evidence network. Everything is read
// in the caller's scope, so another agency's report neither joins an
// attack nor lends it a path, and its ruling changes nothing here.

// incidentFilters is how an answer states the filters it used.
type incidentFilters struct {
	Where       string `json:"where,omitempty"`
	Since       string `json:"since,omitempty"`
	Until       string `json:"until,omitempty"`
	Collection  string `json:"collection,omitempty"`
	Country     string `json:"country,omitempty"`
	Region      string `json:"region,omitempty"`
	Group       string `json:"group,omitempty"`
	Attribution string `json:"attribution,omitempty"`
	AttackType  string `json:"attack_type,omitempty"`
}

// incidentQuery reads the filters and inclusion rule of an incidents,
// attack or tempo request, the filter scoped to what the caller may read.
// The group name is not resolved here (see readAttacks).
func incidentQuery(r *http.Request) (incident.ReadOptions, incidentFilters, error) {
	q := r.URL.Query()
	f := store.IncidentFilter{Scope: scopeOf(r), Collection: q.Get("collection"), Country: q.Get("country"),
		Region: q.Get("region"), Group: q.Get("group"), AttackType: q.Get("attack_type")}
	opt := incident.ReadOptions{Rule: incident.All, Where: strings.TrimSpace(q.Get("where"))}
	echo := incidentFilters{Where: opt.Where, Collection: f.Collection, Country: f.Country, Region: f.Region,
		Group: f.Group, AttackType: f.AttackType}
	if v := q.Get("rule"); v != "" {
		var err error
		if opt.Rule, err = incident.ParseRule(v); err != nil {
			return opt, echo, &paramError{"rule", "must be all or strict"}
		}
	}
	for _, b := range []struct {
		name string
		end  bool
		into *time.Time
		echo *string
	}{{"since", false, &f.Since, &echo.Since}, {"until", true, &f.Until, &echo.Until}} {
		v := q.Get(b.name)
		if v == "" {
			continue
		}
		t, err := incident.ParseBound(v, b.end)
		if err != nil {
			return opt, echo, &paramError{b.name, "must be YYYY-MM-DD, YYYY-MM or YYYY"}
		}
		*b.into, *b.echo = t, t.Format(time.DateOnly)
	}
	if v := q.Get("attribution"); v != "" {
		switch a := mosaic.Attribution(strings.ToLower(v)); a {
		case mosaic.Directed, mosaic.Enabled, mosaic.Inspired, mosaic.ClaimedByBranch, mosaic.AttributionUnknown:
			f.Attribution, echo.Attribution = a, string(a)
		default:
			return opt, echo, &paramError{"attribution", "must be directed, enabled, inspired, branch or unknown"}
		}
	}
	opt.Filter = f
	return opt, echo, nil
}

// readAttacks reads the attacks opt selects, oldest first, as the caller
// sees them: their agency's rulings, their evidence network (when the
// server has one) and the group name resolved to an entity they may see.
func (s *Server) readAttacks(r *http.Request, opt incident.ReadOptions) ([]incident.Group, error) {
	u, _ := userOf(r)
	opt.Agency = u.Agency
	if s.Corpus != nil {
		// The whole network of the caller's scope, as the command line
		// reads the whole store's: the incidents' own filters (a date,
		// a collection) are not the network's, and an attacker's path to
		// his group may run through any document the caller reads.
		bare := r.Clone(r.Context())
		bare.URL.RawQuery = ""
		n, _, _, err := s.buildNetwork(bare)
		if err != nil {
			return nil, err
		}
		opt.Network = n
	}
	groups, err := s.groupEntities(r.Context(), opt.Filter.Group, opt.Filter.Scope)
	if err != nil {
		return nil, err
	}
	opt.Groups = groups
	return incident.Read(r.Context(), s.Incidents, opt)
}

// maxGroupCandidates bounds the entities a group name is looked up among.
const maxGroupCandidates = 50

// groupEntities resolves a group name to the entity it names, so that
// "JAT" finds the attacks attributed to Jama'at Ansar al-Thughur, as the
// command line does; but only through a spelling that a document in the
// caller's scope uses. The finder's index holds every agency's names, and
// a name only another agency's documents give must select what a made-up
// name selects: the attacks whose sources spell it, none of which the
// caller could have.
func (s *Server) groupEntities(ctx context.Context, name string, scope store.Scope) ([]mosaic.EntityID, error) {
	if strings.TrimSpace(name) == "" || s.EntityFinder == nil || s.Entities == nil {
		return nil, nil
	}
	cands, err := s.EntityFinder.Find(ctx, name, maxGroupCandidates)
	if err != nil {
		return nil, fmt.Errorf("group %q: %w", name, err)
	}
	for _, c := range cands {
		// A candidate that only resembles the name is another group: it
		// would widen the filter to attacks the name does not describe.
		if !c.Comparison.Match {
			continue
		}
		ok, err := entity.SpelledIn(ctx, s.Entities, mosaic.EntityID(c.ID), c.Name.Raw, scope)
		if err != nil {
			return nil, fmt.Errorf("group %q: %w", name, err)
		}
		if ok {
			return []mosaic.EntityID{mosaic.EntityID(c.ID)}, nil
		}
	}
	return nil, nil
}

// attackCursor is where a page of attacks ended: the last attack's place
// in the order Merge gives (its date's key, then its ID), and the query it
// was a page of. A place in the order, not an offset, keeps the next page
// right when attacks arrive between pages; the query's fingerprint keeps a
// cursor from being carried to another list.
type attackCursor struct {
	Date  int    `json:"d"`
	ID    int64  `json:"id"`
	Query string `json:"q"`
}

func (c attackCursor) String() string {
	b, _ := json.Marshal(c)
	return base64.RawURLEncoding.EncodeToString(b)
}

func parseAttackCursor(s, query string) (attackCursor, error) {
	var c attackCursor
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err == nil {
		err = json.Unmarshal(b, &c)
	}
	if err != nil || c.ID <= 0 || c.Query != query {
		return c, &paramError{"cursor", fmt.Sprintf("%q is not one this list gave; start again without it", s)}
	}
	return c, nil
}

// after reports whether g comes after the cursor's attack.
func (c attackCursor) after(g incident.Group) bool {
	k := g.Date.Key()
	return k > c.Date || k == c.Date && int64(g.ID) > c.ID
}

// fingerprint names a query by its filters and rule, as echoed.
func fingerprint(rule incident.Rule, echo incidentFilters) string {
	b, _ := json.Marshal(struct {
		Rule    incident.Rule   `json:"rule"`
		Filters incidentFilters `json:"filters"`
	}{rule, echo})
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:8])
}

// incidents answers GET /api/v1/incidents: one page of the attacks in the
// caller's scope that the filters and the inclusion rule select, oldest
// first. total counts them all.
func (s *Server) incidents(w http.ResponseWriter, r *http.Request) {
	if s.Incidents == nil {
		s.noRoute(w, r)
		return
	}
	opt, echo, err := incidentQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	p, err := pageParams(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	query := fingerprint(opt.Rule, echo)
	var from *attackCursor
	if p.Cursor != "" {
		c, err := parseAttackCursor(p.Cursor, query)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		from = &c
	}
	all, err := s.readAttacks(r, opt)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	page := all
	if from != nil {
		i := 0
		for i < len(page) && !from.after(page[i]) {
			i++
		}
		page = page[i:]
	}
	next := ""
	if limit := p.Size(); len(page) > limit {
		page = page[:limit]
		last := page[limit-1]
		next = attackCursor{Date: last.Date.Key(), ID: int64(last.ID), Query: query}.String()
	}
	writeJSON(w, http.StatusOK, struct {
		Rule      incident.Rule    `json:"rule"`
		Filters   incidentFilters  `json:"filters"`
		Total     int              `json:"total"`
		Incidents []incident.Group `json:"incidents"`
		Next      string           `json:"next"`
	}{opt.Rule, echo, len(all), nonNil(page), next})
}

// attackSlack widens the dates read for one attack beyond what its record's
// date allows: Merge joins records a day apart, and the records of one
// attack are read with those that might join them.
const attackSlack = 2

// attack answers GET /api/v1/incidents/{id}: the attack the incident is a
// record of, its other records merged in, as the list shows it; 404 for
// an incident the caller may not read, word for word as for one never
// stored. With ordinal=1 it also says where the attack stands in the
// series the filters select: "attack 4 of 6 in United Kingdom since
// 2016-01-01".
func (s *Server) attack(w http.ResponseWriter, r *http.Request) {
	if s.Incidents == nil {
		s.noRoute(w, r)
		return
	}
	n, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || n <= 0 {
		s.fail(w, r, &paramError{"id", "must be a positive whole number"})
		return
	}
	id := mosaic.IncidentID(n)
	opt, echo, err := incidentQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var ordinal bool
	switch r.URL.Query().Get("ordinal") {
	case "", "0", "false":
	case "1", "true":
		ordinal = true
	default:
		s.fail(w, r, &paramError{"ordinal", "must be 1 or 0"})
		return
	}
	scope := opt.Filter.Scope
	rec, err := s.Incidents.Incident(r.Context(), id, scope)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The record's attack is among those of the days its date allows.
	since, err := incident.ParseBound(rec.Date.String(), false)
	if err != nil {
		s.fail(w, r, fmt.Errorf("incident %d: date %q: %w", id, rec.Date, err))
		return
	}
	until, _ := incident.ParseBound(rec.Date.String(), true)
	around := incident.ReadOptions{Rule: incident.All, Filter: store.IncidentFilter{Scope: scope,
		Since: since.AddDate(0, 0, -attackSlack), Until: until.AddDate(0, 0, attackSlack)}}
	near, err := s.readAttacks(r, around)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	var found *incident.Group
	for i, g := range near {
		if g.ID == id || containsID(g.Members, id) {
			found = &near[i]
			break
		}
	}
	if found == nil {
		s.fail(w, r, fmt.Errorf("incident %d: %w", id, store.ErrNotFound))
		return
	}
	var pos *incident.Position
	if ordinal {
		p, err := s.position(r, opt, id)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		pos = &p
	}
	writeJSON(w, http.StatusOK, struct {
		Incident incident.Group     `json:"incident"`
		Filters  incidentFilters    `json:"filters"`
		Position *incident.Position `json:"position,omitempty"`
	}{*found, echo, pos})
}

// position is where the attack holding incident id stands among the
// attacks opt selects, in the words the incidents command uses. An attack
// the filters leave out is a request that cannot be answered (400), since
// the incident itself is one the caller reads.
func (s *Server) position(r *http.Request, opt incident.ReadOptions, id mosaic.IncidentID) (incident.Position, error) {
	series, err := s.readAttacks(r, opt)
	if err != nil {
		return incident.Position{}, err
	}
	// The filters were applied in reading (the group through the network
	// too); the position is counted in what they kept.
	return incident.OrdinalIn(series, id, opt.Where, opt.Filter, opt.Rule)
}

func containsID(ids []mosaic.IncidentID, id mosaic.IncidentID) bool {
	for _, m := range ids {
		if m == id {
			return true
		}
	}
	return false
}

// tempo answers GET /api/v1/tempo?by=day|week|month: the attacks in the
// caller's scope the filters select, as GET /api/v1/incidents lists them,
// counted per bin with changes of rate, and with ramadan=1 or around=DATE
// (window=DAYS) the comparisons the tempo command makes.
func (s *Server) tempo(w http.ResponseWriter, r *http.Request) {
	if s.Incidents == nil {
		s.noRoute(w, r)
		return
	}
	ro, echo, err := incidentQuery(r)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	f := ro.Filter
	q := r.URL.Query()
	opt := incident.TempoOptions{Period: incident.Month, Rule: ro.Rule, Range: incident.DateRange{From: f.Since, To: f.Until}}
	if v := q.Get("by"); v != "" {
		if opt.Period, err = incident.ParsePeriod(v); err != nil {
			s.fail(w, r, &paramError{"by", "must be day, week or month"})
			return
		}
	}
	switch q.Get("ramadan") {
	case "", "0", "false":
	case "1", "true":
		opt.Ramadan = true
	default:
		s.fail(w, r, &paramError{"ramadan", "must be 1 or 0"})
		return
	}
	if v := q.Get("around"); v != "" {
		if opt.Around, err = time.Parse(time.DateOnly, v); err != nil {
			s.fail(w, r, &paramError{"around", "must be YYYY-MM-DD"})
			return
		}
	}
	if opt.Window, err = intParam(r, "window", 1, 3660); err != nil {
		s.fail(w, r, err)
		return
	}
	if opt.Period == incident.Day && !f.Since.IsZero() && !f.Until.IsZero() && f.Until.Sub(f.Since) > 100*366*24*time.Hour {
		s.fail(w, r, &paramError{"by", "day bins over more than a century are too many; narrow since and until"})
		return
	}
	groups, err := s.readAttacks(r, ro)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	// The rule was applied in reading; ComputeTempo counts what it is
	// given under the same rule, which changes nothing.
	attacks := incident.Attacks(groups)
	t, err := incident.ComputeTempo(attacks, opt)
	// A Ramadan ratio the attacks cannot estimate (too few, or a range
	// whose calendar terms are confounded) leaves the counts good: they
	// are answered, with the reason there is no ratio.
	note := ""
	if err != nil && opt.Ramadan {
		note = "no Ramadan comparison: " + err.Error()
		opt.Ramadan = false
		t, err = incident.ComputeTempo(attacks, opt)
	}
	if err != nil {
		// What ComputeTempo refuses is the request's framing: an empty
		// range, a Ramadan outside the calendar's table, no days outside
		// the windows.
		s.fail(w, r, fmt.Errorf("tempo: %v: %w", err, store.ErrInvalid))
		return
	}
	writeJSON(w, http.StatusOK, struct {
		Filters incidentFilters `json:"filters"`
		incident.Tempo
		RamadanNote string `json:"ramadan_note,omitempty"`
	}{echo, t, note})
}
