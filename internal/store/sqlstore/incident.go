package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// Incidents are kept in the table incidents (migration 14): the whole
// incident as JSON, sealed and bound to its row (rowID "incident") and
// column "body", beside the columns in clear that filters and the date
// order need; perpetrators and attack types, of which an incident may
// have several, are in incident_names.

// incidentRow names an incident's row in a sealed value's additional data.
func incidentRow(id mosaic.IncidentID) string { return rowID("incident", int64(id)) }

// incidentsList names the incidents list in its cursors.
const incidentsList = "incidents"

// eachIncidentPage is how many incidents EachIncident reads at a time.
const eachIncidentPage = 500

// foldName is how incidents' names are compared without regard to case
// (and to runs of white space): the stored copy and the filter's value
// are both folded so.
func foldName(name string) string { return strings.ToLower(fold(name)) }

// dayKey renders a day of a bound as date_key renders a full date. A
// bound is a day: its date is read in its own location, so a midnight
// given in any zone bounds the day it names.
func dayKey(t time.Time) int64 {
	y, m, d := t.Date()
	return int64(y)*10000 + int64(m)*100 + int64(d)
}

// checkIncident refuses an incident whose date the store cannot key: no
// known year (or one outside 1 to 9999, which IncidentDate's text does
// not hold), a month outside 1 to 12 or a day outside 1 to 31.
func checkIncident(i int, in mosaic.Incident) error {
	d := in.Date
	switch {
	case d.Year < 1 || d.Year > 9999:
		return fmt.Errorf("%w: incident %d (event %q): no known year", store.ErrInvalid, i, in.EventID)
	case d.Month.Valid && (d.Month.Value < 1 || d.Month.Value > 12):
		return fmt.Errorf("%w: incident %d (event %q): no month %d", store.ErrInvalid, i, in.EventID, d.Month.Value)
	case d.Day.Valid && (d.Day.Value < 1 || d.Day.Value > 31):
		return fmt.Errorf("%w: incident %d (event %q): no day %d", store.ErrInvalid, i, in.EventID, d.Day.Value)
	}
	return nil
}

// AddIncidents implements store.Incidents.
func (s *Store) AddIncidents(ctx context.Context, collection string, batch []mosaic.Incident) ([]mosaic.IncidentID, error) {
	fail := func(err error) ([]mosaic.IncidentID, error) {
		return nil, fmt.Errorf("add incidents to %q: %w", collection, err)
	}
	for i, in := range batch {
		if err := checkIncident(i, in); err != nil {
			return fail(err)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	c, err := collectionNamed(ctx, tx, collection)
	if err != nil {
		return fail(err)
	}
	// Read the key once the write lock is held: a rotation switches keys
	// between transactions, never inside one.
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return fail(err)
	}
	ids := make([]mosaic.IncidentID, len(batch))
	for i, in := range batch {
		if err := citedHeld(ctx, tx, c.id, in); err != nil {
			return fail(fmt.Errorf("incident %d (event %q): %w", i, in.EventID, err))
		}
		if ids[i], err = s.addIncident(ctx, tx, k, c.id, in); err != nil {
			return fail(fmt.Errorf("incident %d (event %q): %w", i, in.EventID, err))
		}
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return ids, nil
}

// citedHeld checks that the collection cid holds every document the
// incident cites (its sources, evidence and actors): an incident is
// shown to whoever sees its collection, with its quotes, so it must not
// carry another collection's.
func citedHeld(ctx context.Context, tx *txn, cid int64, in mosaic.Incident) error {
	seen := map[mosaic.DocID]bool{}
	var docs []mosaic.DocID
	cite := func(d mosaic.DocID) {
		if d != "" && !seen[d] {
			seen[d] = true
			docs = append(docs, d)
		}
	}
	for _, src := range in.Sources {
		cite(src.Doc)
	}
	for _, ev := range in.Evidence {
		cite(ev.Doc)
	}
	for _, a := range in.Actors {
		cite(a.Doc)
	}
	for _, d := range docs {
		var n int
		err := tx.QueryRowContext(ctx, `SELECT count(*) FROM holdings h JOIN documents d ON d.seq = h.doc
			WHERE d.id = ? AND h.collection_id = ?`, string(d), cid).Scan(&n)
		if err != nil {
			return err
		}
		if n == 0 {
			return fmt.Errorf("%w: it cites document %s, which its collection does not hold", store.ErrInvalid, d.Short())
		}
	}
	return nil
}

// addIncident stores one incident in the collection cid, or adds its
// sources to the incident of the same EventID the collection holds.
func (s *Store) addIncident(ctx context.Context, tx *txn, k *keyring, cid int64, in mosaic.Incident) (mosaic.IncidentID, error) {
	in.ID = 0
	if in.EventID != "" {
		var id mosaic.IncidentID
		var body []byte
		err := tx.QueryRowContext(ctx, `SELECT id, body FROM incidents WHERE collection_id = ? AND event_id = ? AND event_id != ''`,
			cid, in.EventID).Scan(&id, &body)
		switch {
		case err == nil:
			return id, s.mergeSources(ctx, tx, k, id, body, in.Sources)
		case !errors.Is(err, sql.ErrNoRows):
			return 0, err
		}
	}
	// The body is bound to the row's ID, so the ID is taken before the
	// insert, under the write lock tx holds.
	var id mosaic.IncidentID
	err := tx.QueryRowContext(ctx, tx.d.nextID("incidents")).Scan(&id)
	if err != nil {
		return 0, err
	}
	plain, err := json.Marshal(in)
	if err != nil {
		return 0, err
	}
	var month, day any
	if m, ok := in.Date.Month.Get(); ok {
		month = int(m)
	}
	if d, ok := in.Date.Day.Get(); ok {
		day = d
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO incidents
		(id, collection_id, event_id, date_year, date_month, date_day, date_key, country, region, attribution, body)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, cid, in.EventID, in.Date.Year, month, day, int64(in.Date.Key()), foldName(in.Country.Name), foldName(in.Region.Name),
		string(in.Attribution), k.seal(plain, incidentRow(id), "body"))
	if err != nil {
		return 0, err
	}
	for _, n := range incidentNames(in) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO incident_names (kind, name, incident_id) VALUES (?, ?, ?)
			ON CONFLICT DO NOTHING`, n[0], n[1], id); err != nil {
			return 0, err
		}
	}
	return id, nil
}

// incidentNames lists the (kind, folded name) pairs incident_names holds
// for an incident.
func incidentNames(in mosaic.Incident) [][2]string {
	var out [][2]string
	for _, g := range in.Perpetrators {
		if n := foldName(g); n != "" {
			out = append(out, [2]string{"group", n})
		}
	}
	for _, a := range in.AttackTypes {
		if n := foldName(a.Name); n != "" {
			out = append(out, [2]string{"attack", n})
		}
	}
	return out
}

// mergeSources adds to the stored incident id, whose sealed body is
// sealed, the sources it does not list yet, sealing it anew.
func (s *Store) mergeSources(ctx context.Context, tx *txn, k *keyring, id mosaic.IncidentID, sealed []byte, sources []mosaic.IncidentSource) error {
	stored, err := s.openIncident(id, sealed)
	if err != nil {
		return err
	}
	n := len(stored.Sources)
	for _, src := range sources {
		if !slices.Contains(stored.Sources, src) {
			stored.Sources = append(stored.Sources, src)
		}
	}
	if len(stored.Sources) == n {
		return nil
	}
	stored.ID = 0
	plain, err := json.Marshal(stored)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `UPDATE incidents SET body = ? WHERE id = ?`, k.seal(plain, incidentRow(id), "body"), id)
	return err
}

// openIncident opens the sealed body of the incident id.
func (s *Store) openIncident(id mosaic.IncidentID, sealed []byte) (mosaic.Incident, error) {
	var in mosaic.Incident
	plain, err := s.crypt.open(sealed, incidentRow(id), "body")
	if err != nil {
		return in, err
	}
	if err := json.Unmarshal(plain, &in); err != nil {
		return in, fmt.Errorf("body of %s: %w", incidentRow(id), err)
	}
	in.ID = id
	return in, nil
}

// incidentWhere renders the filter as a condition on the incidents row i,
// or reports that it selects nothing.
func incidentWhere(f store.IncidentFilter) (string, []any, bool) {
	var conds []string
	var args []any
	switch {
	case f.Collection != "":
		if !f.Scope.Allows(f.Collection) {
			return "", nil, false
		}
		conds = append(conds, `i.collection_id IN (SELECT id FROM collections WHERE name = ?)`)
		args = append(args, f.Collection)
	case f.Scope.Collections != nil:
		if len(f.Scope.Collections) == 0 {
			return "", nil, false
		}
		where, wargs := inList("name", f.Scope.Collections)
		conds = append(conds, `i.collection_id IN (SELECT id FROM collections WHERE `+where+`)`)
		args = append(args, wargs...)
	}
	// A date known only to its month or year meets a bound if some day
	// of it does: its last day (counted as the 31st, or December's) is
	// compared with Since, its first with Until.
	if !f.Since.IsZero() {
		conds = append(conds, `i.date_year * 10000 + coalesce(i.date_month, 12) * 100 + coalesce(i.date_day, 31) >= ?`)
		args = append(args, dayKey(f.Since))
	}
	if !f.Until.IsZero() {
		conds = append(conds, `i.date_year * 10000 + coalesce(i.date_month, 1) * 100 + coalesce(i.date_day, 1) <= ?`)
		args = append(args, dayKey(f.Until))
	}
	if f.Country != "" {
		conds = append(conds, `i.country = ?`)
		args = append(args, foldName(f.Country))
	}
	if f.Region != "" {
		conds = append(conds, `i.region = ?`)
		args = append(args, foldName(f.Region))
	}
	if f.Attribution != "" {
		conds = append(conds, `i.attribution = ?`)
		args = append(args, string(f.Attribution))
	}
	if f.Group != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM incident_names n WHERE n.kind = 'group' AND n.name = ? AND n.incident_id = i.id)`)
		args = append(args, foldName(f.Group))
	}
	if f.AttackType != "" {
		conds = append(conds, `EXISTS (SELECT 1 FROM incident_names n WHERE n.kind = 'attack' AND n.name = ? AND n.incident_id = i.id)`)
		args = append(args, foldName(f.AttackType))
	}
	if len(conds) == 0 {
		return `1 = 1`, nil, true
	}
	return strings.Join(conds, " AND "), args, true
}

// IncidentsPage implements store.Incidents. The cursor is the sort key,
// (date_key, id), of the page's last incident.
func (s *Store) IncidentsPage(ctx context.Context, f store.IncidentFilter, p store.Page) (store.IncidentList, error) {
	l := store.IncidentList{Incidents: []mosaic.Incident{}}
	var after *[2]int64
	if p.Cursor != "" {
		var key, id int64
		if err := s.decodeCursor(p.Cursor, incidentsList, &key, &id); err != nil {
			return l, fmt.Errorf("list incidents: %w", err)
		}
		after = &[2]int64{key, id}
	}
	where, args, some := incidentWhere(f)
	if !some {
		return l, nil
	}
	if err := s.db.QueryRowContext(ctx, `SELECT count(*) FROM incidents i WHERE `+where, args...).Scan(&l.Total); err != nil {
		return l, fmt.Errorf("list incidents: %w", err)
	}
	page, last, err := s.incidentPage(ctx, where, args, after, p.Size())
	if err != nil {
		return l, fmt.Errorf("list incidents: %w", err)
	}
	l.Incidents = page
	if last != nil {
		l.Next = s.encodeCursor(incidentsList, last[0], last[1])
	}
	return l, nil
}

// incidentPage reads up to size incidents the condition where selects,
// after the sort key after (nil: from the first), and returns the sort
// key of the last when more follow.
func (s *Store) incidentPage(ctx context.Context, where string, args []any, after *[2]int64, size int) ([]mosaic.Incident, *[2]int64, error) {
	args = slices.Clone(args)
	if after != nil {
		where += ` AND (i.date_key, i.id) > (?, ?)`
		args = append(args, after[0], after[1])
	}
	rows, err := s.db.QueryContext(ctx, `SELECT i.id, i.date_key, i.body FROM incidents i WHERE `+where+`
		ORDER BY i.date_key, i.id LIMIT ?`, append(args, size+1)...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	out := []mosaic.Incident{}
	var lastKey int64
	more := false
	for rows.Next() {
		if len(out) == size {
			more = true // the one past the page
			break
		}
		var id mosaic.IncidentID
		var body []byte
		if err := rows.Scan(&id, &lastKey, &body); err != nil {
			return nil, nil, err
		}
		in, err := s.openIncident(id, body)
		if err != nil {
			return nil, nil, err
		}
		out = append(out, in)
	}
	if err := rows.Err(); err != nil {
		return nil, nil, err
	}
	if !more {
		return out, nil, nil
	}
	return out, &[2]int64{lastKey, int64(out[len(out)-1].ID)}, nil
}

// EachIncident implements store.Incidents. It reads a page at a time and
// calls fn between reads, holding no rows open, so fn may use the store.
func (s *Store) EachIncident(ctx context.Context, f store.IncidentFilter, fn func(mosaic.Incident) error) error {
	where, args, some := incidentWhere(f)
	if !some {
		return nil
	}
	var after *[2]int64
	for {
		page, last, err := s.incidentPage(ctx, where, args, after, eachIncidentPage)
		if err != nil {
			return fmt.Errorf("scan incidents: %w", err)
		}
		for _, in := range page {
			if err := fn(in); err != nil {
				return err
			}
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		if last == nil {
			return nil
		}
		after = last
	}
}

// Incident implements store.Incidents.
func (s *Store) Incident(ctx context.Context, id mosaic.IncidentID, scope store.Scope) (mosaic.Incident, error) {
	where, args, some := incidentWhere(store.IncidentFilter{Scope: scope})
	if !some {
		return mosaic.Incident{}, fmt.Errorf("incident %d: %w", id, store.ErrNotFound)
	}
	var body []byte
	err := s.db.QueryRowContext(ctx, `SELECT i.body FROM incidents i WHERE i.id = ? AND `+where,
		append([]any{int64(id)}, args...)...).Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return mosaic.Incident{}, fmt.Errorf("incident %d: %w", id, store.ErrNotFound)
	}
	if err != nil {
		return mosaic.Incident{}, fmt.Errorf("incident %d: %w", id, err)
	}
	in, err := s.openIncident(id, body)
	if err != nil {
		return mosaic.Incident{}, fmt.Errorf("incident %d: %w", id, err)
	}
	return in, nil
}
