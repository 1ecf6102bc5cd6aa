package main

import (
	"context"
	"encoding/csv"
	"flag"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/incident"
	"mosaic/internal/network"
	"mosaic/internal/store"
)

// importBatch is the number of incidents stored in one transaction: large
// enough that a GTD release of 200,000 rows is a few hundred commits,
// small enough that an interrupted import loses little.
const importBatch = 1000

const importAbout = "Loads attacks as data into a collection. 'mosaic import gtd' reads a CSV in the layout of a\n" +
	"Global Terrorism Database release (columns found by name, windows-1252 read when the bytes\n" +
	"are not UTF-8); an incident whose eventid the collection holds already gains a source only."

func runImportGTD(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "import gtd", "--collection NAME [--agency NAME] FILE.csv|FILE.xlsx", importAbout+
		"\nAn .xlsx spreadsheet, as START ships the GTD, is read from its first sheet; it is told from a\n"+
		"CSV by its content.\n"+
		"\nPrints the rows read, the incidents stored and every row error (row, column, reason); exits 1\n"+
		"if any row could not be read whole.")
	db := dbFlag(fs)
	collection := fs.String("collection", "", "collection that receives the incidents (created if new)")
	agency := fs.String("agency", "default", "agency that owns the collection")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || strings.TrimSpace(*collection) == "" {
		fs.Usage()
		return errUsage
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := openStore(ctx, *db, true)
	if err != nil {
		return err
	}
	defer st.Close()
	var inc store.Incidents = st
	if _, err := st.EnsureCollection(ctx, *collection, *agency); err != nil {
		return fmt.Errorf("collection %q: %w", *collection, err)
	}
	stored := 0
	var batch []mosaic.Incident
	var last time.Time
	show := func(final bool) {
		if !e.tty || !final && time.Since(last) < 100*time.Millisecond {
			return
		}
		last = time.Now()
		fmt.Fprintf(e.stderr, "\r\033[Kimport gtd: %d incidents stored", stored)
		if final {
			fmt.Fprint(e.stderr, "\r\033[K")
		}
	}
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		ids, err := inc.AddIncidents(ctx, *collection, batch)
		if err != nil {
			return err
		}
		stored += len(ids)
		batch = batch[:0]
		show(false)
		return nil
	}
	add := func(in mosaic.Incident) error {
		batch = append(batch, in)
		if len(batch) == importBatch {
			return flush()
		}
		return nil
	}
	// A spreadsheet is told by its content, a zip archive, so that a
	// release saved without its extension still reads.
	var stats incident.Stats
	if incident.IsXLSX(f) {
		stats, err = incident.ReadGTDXLSX(pos[0], add)
	} else {
		stats, err = incident.ReadGTD(f, add)
	}
	if err == nil {
		err = flush()
	}
	show(true)
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	fmt.Fprintf(e.stdout, "%s: %d rows read (%s), %d incidents stored in %s, %d rows skipped, %d row errors\n",
		pos[0], stats.Rows, stats.Encoding, stored, *collection, stats.Skipped, stats.Failed)
	if len(stats.Absent) > 0 {
		fmt.Fprintf(e.stdout, "columns absent, left unknown: %s\n", strings.Join(stats.Absent, ", "))
	}
	for _, re := range stats.Errors {
		col := re.Column
		if col == "" {
			col = "(record)"
		}
		fmt.Fprintf(e.stderr, "row %d, column %s: %s\n", re.Row, col, re.Reason)
	}
	if more := stats.Failed - len(stats.Errors); more > 0 {
		fmt.Fprintf(e.stderr, "and %d more row errors\n", more)
	}
	if stats.Failed > 0 {
		return errSilent
	}
	return nil
}

// incidentFlags are the filters incidents and tempo share.
type incidentFlags struct {
	since, until, where, country, region, group, attribution, attackType, collection, rule *string
}

func addIncidentFlags(fs *flag.FlagSet) *incidentFlags {
	return &incidentFlags{
		since:       fs.String("since", "", "only incidents on or after this date (YYYY-MM-DD, YYYY-MM or YYYY)"),
		until:       fs.String("until", "", "only incidents on or before this date (YYYY-MM-DD, YYYY-MM or YYYY)"),
		where:       fs.String("where", "", "only attacks in this place: a country, region, province or city name, any case"),
		country:     fs.String("country", "", "only incidents in this country (its name, any case)"),
		region:      fs.String("region", "", "only incidents in this region (its name, any case)"),
		group:       fs.String("group", "", "only attacks by this group, or attributed to it through the evidence network (any of its names)"),
		attribution: fs.String("attribution", "", "only incidents of this attribution: directed, enabled, inspired, branch or unknown"),
		attackType:  fs.String("attack-type", "", "only incidents of this attack type (its name, any case)"),
		collection:  fs.String("collection", "", "only this collection's incidents"),
		rule:        fs.String("rule", "all", "inclusion rule: all, or strict (all three GTD criteria met and not doubted)"),
	}
}

// incidentQuery is a filter, the rule to apply and the words that say so.
type incidentQuery struct {
	filter store.IncidentFilter
	rule   incident.Rule
	// where is a place of any kind (incident.ReadOptions.Where).
	where string
}

// describe says which filters the query used, as name=value pairs.
func (q incidentQuery) describe() string {
	d := describeFilter(q.filter)
	if q.where == "" {
		return d
	}
	w := "where=" + strconv.Quote(q.where)
	if d == "none" {
		return w
	}
	return w + " " + d
}

// json is how JSON output states the filters the query used.
func (q incidentQuery) json() filterJSON {
	f := filterOf(q.filter)
	f.Where = q.where
	return f
}

// IncidentQuery builds the store filter and rule from the flags.
func (f *incidentFlags) query() (incidentQuery, error) {
	var q incidentQuery
	var err error
	if q.rule, err = incident.ParseRule(*f.rule); err != nil {
		return q, err
	}
	if *f.since != "" {
		if q.filter.Since, err = incident.ParseBound(*f.since, false); err != nil {
			return q, fmt.Errorf("--since: %w", err)
		}
	}
	if *f.until != "" {
		if q.filter.Until, err = incident.ParseBound(*f.until, true); err != nil {
			return q, fmt.Errorf("--until: %w", err)
		}
	}
	if a := mosaic.Attribution(strings.ToLower(*f.attribution)); a != "" {
		switch a {
		case mosaic.Directed, mosaic.Enabled, mosaic.Inspired, mosaic.ClaimedByBranch, mosaic.AttributionUnknown:
			q.filter.Attribution = a
		default:
			return q, fmt.Errorf("--attribution %q: want directed, enabled, inspired, branch or unknown", *f.attribution)
		}
	}
	q.filter.Country, q.filter.Region, q.filter.Group = *f.country, *f.region, *f.group
	q.filter.AttackType, q.filter.Collection = *f.attackType, *f.collection
	q.where = strings.TrimSpace(*f.where)
	return q, nil
}

// describeFilter says which filters a count used, as name=value pairs, or
// "none".
func describeFilter(f store.IncidentFilter) string {
	var parts []string
	add := func(name, v string) {
		if v != "" {
			parts = append(parts, name+"="+strconv.Quote(v))
		}
	}
	if !f.Since.IsZero() {
		add("since", f.Since.Format(time.DateOnly))
	}
	if !f.Until.IsZero() {
		add("until", f.Until.Format(time.DateOnly))
	}
	add("collection", f.Collection)
	add("country", f.Country)
	add("region", f.Region)
	add("group", f.Group)
	add("attribution", string(f.Attribution))
	add("attack-type", f.AttackType)
	if len(parts) == 0 {
		return "none"
	}
	return strings.Join(parts, " ")
}

// filterJSON is how JSON output states the filters used.
type filterJSON struct {
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

func filterOf(f store.IncidentFilter) filterJSON {
	out := filterJSON{Collection: f.Collection, Country: f.Country, Region: f.Region, Group: f.Group,
		Attribution: string(f.Attribution), AttackType: f.AttackType}
	if !f.Since.IsZero() {
		out.Since = f.Since.Format(time.DateOnly)
	}
	if !f.Until.IsZero() {
		out.Until = f.Until.Format(time.DateOnly)
	}
	return out
}

// readAttacks reads the attacks the query selects, merged from their
// records and attributed through the evidence network, oldest first (see
// incident.Read). The command line reads the whole store, as its
// analyst's rulings (agency "") apply.
func readAttacks(ctx context.Context, st store.Store, q incidentQuery) ([]incident.Group, error) {
	var scope store.Scope
	n, err := network.Build(ctx, st, network.Options{Filter: store.RelationFilter{Scope: scope}})
	if err != nil {
		return nil, err
	}
	opt := incident.ReadOptions{Filter: q.filter, Rule: q.rule, Network: n, Where: q.where}
	if q.filter.Group != "" {
		// The group by any of its names: "JAT" finds the attacks
		// attributed to Jama'at Ansar al-Thughur.
		r, err := entity.NewResolver(ctx, st)
		if err != nil {
			return nil, err
		}
		if cands := r.Find(q.filter.Group, 1); len(cands) > 0 {
			opt.Groups = append(opt.Groups, mosaic.EntityID(cands[0].ID))
		}
	}
	return incident.Read(ctx, st, opt)
}

func runIncidents(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "incidents", "[filters] [--rule all|strict] [--limit N] [--evidence] [--json|--csv]",
		"Lists the attacks the filters select, oldest first, under the inclusion rule given, and says\n"+
			"which rule and filters it used. The records of one attack (a GTD row, the reports that tell\n"+
			"of it) are merged into one, each source kept and the merge explained; 'mosaic incident same'\n"+
			"and 'different' overrule it. An attacker with a path of contact or command to a group makes\n"+
			"the attack at least enabled, and the path's sentences are its evidence.")
	db := dbFlag(fs)
	flags := addIncidentFlags(fs)
	limit := fs.Int("limit", 50, "list at most this many attacks (0 for all); the total counts all")
	evidence := fs.Bool("evidence", false, "print each field's sentence under its attack, and why its records were merged")
	asJSON := fs.Bool("json", false, "print JSON")
	asCSV := fs.Bool("csv", false, "print CSV")
	ordinal := fs.Int64("ordinal", 0, "say where this incident's attack stands in the series the filters select: \"attack 4 of 6 in United Kingdom since 2016-01-01\"")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *asJSON && *asCSV {
		return fmt.Errorf("--json and --csv: choose one")
	}
	q, err := flags.query()
	if err != nil {
		return err
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	all, err := readAttacks(ctx, st, q)
	if err != nil {
		return err
	}
	if *ordinal != 0 {
		// The filters were applied in reading (the group through the
		// network too); the position is counted in what they kept.
		pos, err := incident.OrdinalIn(all, mosaic.IncidentID(*ordinal), q.where, q.filter, q.rule)
		if err != nil {
			return fmt.Errorf("--ordinal %d: %w", *ordinal, err)
		}
		if *asJSON {
			return e.jsonOut().Encode(pos)
		}
		fmt.Fprintln(e.stdout, pos.Text)
		return nil
	}
	total, list := len(all), all
	if *limit > 0 && len(list) > *limit {
		list = list[:*limit]
	}
	switch {
	case *asJSON:
		return e.jsonOut().Encode(struct {
			Rule      incident.Rule    `json:"rule"`
			Filters   filterJSON       `json:"filters"`
			Total     int              `json:"total"`
			Incidents []incident.Group `json:"incidents"`
		}{q.rule, q.json(), total, nonNilSlice(list)})
	case *asCSV:
		w := csv.NewWriter(e.stdout)
		w.Write([]string{"id", "members", "event_id", "date", "country", "region", "city", "attack_types", "perpetrators", "attackers",
			"killed", "wounded", "attribution", "attributed_to", "sources"})
		for _, g := range list {
			in := g.Incident
			w.Write(spreadsheetSafe([]string{strconv.FormatInt(int64(in.ID), 10), joinIDs(g.Members), in.EventID, in.Date.String(), in.Country.Name, in.Region.Name,
				in.City, codeNames(in.AttackTypes), strings.Join(in.Perpetrators, "; "), strings.Join(attackers(in), "; "),
				knownInt(in.Killed), knownInt(in.Wounded), string(in.Attribution), in.AttributedTo, strconv.Itoa(len(in.Sources))}))
		}
		w.Flush()
		return w.Error()
	}
	fmt.Fprintf(e.stdout, "%d attacks (rule: %s; filters: %s)", total, q.rule, q.describe())
	if len(list) < total {
		fmt.Fprintf(e.stdout, ", the first %d:", len(list))
	}
	fmt.Fprintln(e.stdout)
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "id\tdate\tplace\tattack\tby\tkilled\twounded\tattribution\tsources\n")
	for _, g := range list {
		in := g.Incident
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%d\n", in.ID, in.Date, place(in), codeNames(in.AttackTypes),
			strings.Join(by(in), "; "), knownInt(in.Killed), knownInt(in.Wounded), attribution(in), len(in.Sources))
		if *evidence {
			tw.Flush()
			printAttackEvidence(e, g)
		}
	}
	return tw.Flush()
}

// spreadsheetSafe quotes the cells a spreadsheet would run as a formula:
// names and places come from the documents, and a city written
// "=HYPERLINK(...)" must reach the analyst's spreadsheet as text. The
// leading apostrophe is how spreadsheets mark text.
func spreadsheetSafe(cells []string) []string {
	for i, c := range cells {
		if c != "" && strings.ContainsRune("=+-@\t\r", rune(c[0])) {
			cells[i] = "'" + c
		}
	}
	return cells
}

// printAttackEvidence writes an attack's evidence, field by field, and the links
// that merged its records.
func printAttackEvidence(e *env, g incident.Group) {
	for _, ev := range g.Evidence {
		fmt.Fprintf(e.stdout, "      %s: %s (%.2f) — %q [%s]\n", ev.Field, ev.Value, ev.Confidence, ev.Quote, ev.Doc)
	}
	for _, l := range g.Links {
		fmt.Fprintf(e.stdout, "      merged %d and %d: %s\n", l.A, l.B, l.Why)
	}
}

// place writes where an attack happened: city and country, as known.
func place(in mosaic.Incident) string {
	var parts []string
	for _, p := range []string{in.City, in.Country.Name} {
		if p != "" && !slices.Contains(parts, p) {
			parts = append(parts, p)
		}
	}
	return strings.Join(parts, ", ")
}

// attackers are the names of the people who carried an attack out.
func attackers(in mosaic.Incident) []string {
	var out []string
	for _, a := range in.Actors {
		if a.Role == mosaic.RoleAttacker && !slices.Contains(out, a.Name) {
			out = append(out, a.Name)
		}
	}
	return out
}

// by names who carried an attack out: its attackers, then its groups.
func by(in mosaic.Incident) []string {
	out := attackers(in)
	for _, p := range in.Perpetrators {
		if !slices.Contains(out, p) {
			out = append(out, p)
		}
	}
	return out
}

// attribution writes the class and the group it relates the attack to.
func attribution(in mosaic.Incident) string {
	if in.AttributedTo != "" {
		return string(in.Attribution) + " (" + in.AttributedTo + ")"
	}
	return string(in.Attribution)
}

func joinIDs(ids []mosaic.IncidentID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = strconv.FormatInt(int64(id), 10)
	}
	return strings.Join(s, " ")
}

func nonNilSlice[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

func codeNames(cs []mosaic.Code) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return strings.Join(names, "; ")
}

// knownInt writes a count, or "?" when it is unknown: never 0.
func knownInt(k mosaic.Known[int]) string {
	if !k.Valid {
		return "?"
	}
	return strconv.Itoa(k.Value)
}

func runTempo(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "tempo", "--by day|week|month [filters] [--rule all|strict] [--ramadan] [--around DATE] [--json]",
		"Counts the incidents the filters select per day, week or month, quiet bins as zeros, finds\n"+
			"where the rate changed (PELT, Poisson cost, each bin's days as exposure) with each segment's\n"+
			"rate per day, and on request compares the rate after a date with the rate before it (exact\n"+
			"interval) or the rate in Ramadan with the rest (Poisson regression with year and month\n"+
			"controls, daily). Says which inclusion rule and filters it used.")
	db := dbFlag(fs)
	flags := addIncidentFlags(fs)
	by := fs.String("by", "month", "bin width: day, week or month")
	ramadan := fs.Bool("ramadan", false, "compare the daily rate in Ramadan (Umm al-Qura) with the other days")
	around := fs.String("around", "", "compare the rate in the window from this date (YYYY-MM-DD) with the window before")
	window := fs.Int("window", 90, "days on each side of --around")
	minSegment := fs.Int("min-segment", 3, "fewest bins between two changes of rate")
	asJSON := fs.Bool("json", false, "print JSON")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	period, err := incident.ParsePeriod(*by)
	if err != nil {
		return fmt.Errorf("--by: %w", err)
	}
	q, err := flags.query()
	if err != nil {
		return err
	}
	opt := incident.TempoOptions{Period: period, Rule: q.rule, Range: incident.DateRange{From: q.filter.Since, To: q.filter.Until},
		MinSegment: *minSegment, Ramadan: *ramadan, Window: *window}
	if *around != "" {
		t, err := time.Parse(time.DateOnly, *around)
		if err != nil {
			return fmt.Errorf("--around %q: want YYYY-MM-DD", *around)
		}
		opt.Around = t
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	groups, err := readAttacks(ctx, st, q)
	if err != nil {
		return err
	}
	// The rule was applied in reading; ComputeTempo counts what it is
	// given under the same rule, which changes nothing.
	all := incident.Attacks(groups)
	tempo, err := incident.ComputeTempo(all, opt)
	if err != nil {
		return err
	}
	if *asJSON {
		return e.jsonOut().Encode(struct {
			Filters filterJSON `json:"filters"`
			incident.Tempo
		}{q.json(), tempo})
	}
	printTempo(e, tempo, q.describe())
	return nil
}

func printTempo(e *env, t incident.Tempo, filters string) {
	fmt.Fprintf(e.stdout, "Incidents per %s, %s to %s (rule: %s; filters: %s): %d counted, %d left out by the rule, %d dated too loosely for the bins\n",
		t.Period, t.From, t.To, t.Rule, filters, t.Counted, t.Excluded, t.Imprecise)
	peak := 1
	for _, b := range t.Bins {
		peak = max(peak, b.Count)
	}
	for _, b := range t.Bins {
		fmt.Fprintf(e.stdout, "  %s  %4d  %s\n", b.Start, b.Count, strings.Repeat("█", b.Count*60/peak))
	}
	if len(t.Segments) > 0 {
		fmt.Fprintf(e.stdout, "Rate segments (changes at %s):\n", orNone(t.Changes))
		for _, s := range t.Segments {
			fmt.Fprintf(e.stdout, "  %s to the %s bin: %d incidents in %d days, %.3f a day\n", s.From, s.To, s.Count, s.Days, s.PerDay)
		}
	}
	if a := t.Around; a != nil {
		fmt.Fprintf(e.stdout, "Around %s, %d days each side: %d before, %d from it; rate ratio %.3g (%.0f%% interval %.3g to %.3g, %s)\n",
			a.At, a.Window, a.Before, a.After, float64(a.Ratio), a.Level*100, float64(a.Lower), float64(a.Upper), a.Method)
	}
	if r := t.Ramadan; r != nil {
		scaled := ""
		if r.Scaled {
			scaled = ", interval widened for overdispersion"
		}
		fmt.Fprintf(e.stdout, "Ramadan (%d windows): %.1f incidents in %d days against %.1f in %d; IRR %.3g (%.0f%% CI %.3g to %.3g), dispersion %.2f%s; controls: %s\n",
			len(r.Windows), r.InEvents, r.InDays, r.OutEvents, r.OutDays, float64(r.IRR), r.Level*100, float64(r.Lower), float64(r.Upper), r.Dispersion, scaled, r.Controls)
	}
}

func orNone(s []string) string {
	if len(s) == 0 {
		return "none"
	}
	return strings.Join(s, ", ")
}
