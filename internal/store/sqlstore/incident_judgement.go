package sqlstore

import (
	"context"
	"fmt"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// Rulings on pairs of incidents are kept in incident_judgements
// (migration 15), one standing row per agency and ordered pair, the reason
// sealed and bound to its row (rowID "incident judgement") and column
// "reason".

// incidentJudgementRow names a ruling's row in a sealed value's additional
// data.
func incidentJudgementRow(id int64) string { return rowID("incident judgement", id) }

// JudgeIncidents implements store.Incidents.
func (s *Store) JudgeIncidents(ctx context.Context, j store.IncidentJudgement, scope store.Scope) (store.IncidentJudgement, error) {
	j.User, j.Reason, j.Agency = strings.TrimSpace(j.User), strings.TrimSpace(j.Reason), strings.TrimSpace(j.Agency)
	if j.A > j.B {
		j.A, j.B = j.B, j.A
	}
	fail := func(err error) (store.IncidentJudgement, error) {
		return store.IncidentJudgement{}, fmt.Errorf("ruling on incidents %d and %d: %w", j.A, j.B, err)
	}
	switch {
	case j.A <= 0:
		return fail(fmt.Errorf("%w: a ruling needs two stored incidents", store.ErrInvalid))
	case j.A == j.B:
		return fail(fmt.Errorf("%w: an incident is always one attack with itself", store.ErrInvalid))
	}
	where, args, some := incidentWhere(store.IncidentFilter{Scope: scope})
	if !some {
		return fail(store.ErrNotFound)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	// Both must be in scope; which one is not is not said, so that a
	// ruling does not tell an incident out of scope from one never stored.
	var n int
	err = tx.QueryRowContext(ctx, `SELECT count(*) FROM incidents i WHERE i.id IN (?, ?) AND `+where,
		append([]any{int64(j.A), int64(j.B)}, args...)...).Scan(&n)
	if err != nil {
		return fail(err)
	}
	if n != 2 {
		return fail(store.ErrNotFound)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM incident_judgements WHERE agency = ? AND a = ? AND b = ?`,
		j.Agency, int64(j.A), int64(j.B)); err != nil {
		return fail(err)
	}
	// The reason is bound to the row's ID, so the ID is taken before the
	// insert, under the write lock tx holds.
	err = tx.QueryRowContext(ctx, tx.d.nextID("incident_judgements")).Scan(&j.ID)
	if err != nil {
		return fail(err)
	}
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return fail(err)
	}
	j.At = time.Now().UTC()
	_, err = tx.ExecContext(ctx, `INSERT INTO incident_judgements (id, agency, a, b, same, "user", reason, made_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		j.ID, j.Agency, int64(j.A), int64(j.B), j.Same, j.User,
		k.seal([]byte(j.Reason), incidentJudgementRow(j.ID), "reason"), formatTime(j.At))
	if err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	return j, nil
}

// IncidentJudgements implements store.Incidents.
func (s *Store) IncidentJudgements(ctx context.Context, agency string, scope store.Scope) ([]store.IncidentJudgement, error) {
	agency = strings.TrimSpace(agency)
	fail := func(err error) ([]store.IncidentJudgement, error) {
		return nil, fmt.Errorf("rulings on incidents of agency %q: %w", agency, err)
	}
	out := []store.IncidentJudgement{}
	where, args, some := incidentWhere(store.IncidentFilter{Scope: scope})
	if !some {
		return out, nil
	}
	inScope := `IN (SELECT i.id FROM incidents i WHERE ` + where + `)`
	rows, err := s.db.QueryContext(ctx, `SELECT id, a, b, same, "user", reason, made_at FROM incident_judgements
		WHERE agency = ? AND a `+inScope+` AND b `+inScope+` ORDER BY id`,
		append(append([]any{agency}, args...), args...)...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	for rows.Next() {
		j := store.IncidentJudgement{Agency: agency}
		var a, b int64
		var reason any
		var made string
		if err := rows.Scan(&j.ID, &a, &b, &j.Same, &j.User, &reason, &made); err != nil {
			return fail(err)
		}
		j.A, j.B = mosaic.IncidentID(a), mosaic.IncidentID(b)
		if j.Reason, err = s.openColumn(reason, incidentJudgementRow(j.ID), "reason"); err != nil {
			return fail(err)
		}
		j.At = parseTime(made)
		out = append(out, j)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	return out, nil
}
