package sqlstore

import (
	"context"
	"fmt"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// MentionsByDay implements store.Entities.
func (s *Store) MentionsByDay(ctx context.Context, id mosaic.EntityID, scope store.Scope) ([]store.DayCount, error) {
	fail := func(err error) ([]store.DayCount, error) {
		return nil, fmt.Errorf("mentions by day of entity %d: %w", id, err)
	}
	root, _, err := rootOf(ctx, s.db, scope.Agency, id)
	if err != nil {
		return fail(err)
	}
	group, err := groupOf(ctx, s.db, scope.Agency, root)
	if err != nil {
		return fail(err)
	}
	held := ""
	var args []any
	if scope.Collections != nil {
		in, a := inList("c.name", scope.Collections)
		held, args = "AND EXISTS (SELECT 1 FROM holdings h JOIN collections c ON c.id = h.collection_id WHERE h.doc = d.seq AND "+in+")", a
	}
	// Dates are stored in UTC as RFC 3339, so the first ten bytes are the
	// day. The entity's mentions are counted through the entity index, not
	// by reading every document's mentions.
	rows, err := s.db.QueryContext(ctx, `SELECT substr(d.date, 1, 10) AS day, count(*), coalesce(sum(m.n), 0)
		FROM documents d LEFT JOIN (SELECT doc, count(*) AS n FROM mentions WHERE entity IN `+idList(group)+` GROUP BY doc) m
		ON m.doc = d.seq
		WHERE d.date != '' `+held+` GROUP BY day ORDER BY day`, args...)
	if err != nil {
		return fail(err)
	}
	defer rows.Close()
	var out []store.DayCount
	total := 0
	for rows.Next() {
		var day string
		var c store.DayCount
		if err := rows.Scan(&day, &c.Documents, &c.Mentions); err != nil {
			return fail(err)
		}
		if c.Day, err = time.Parse(time.DateOnly, day); err != nil {
			return fail(fmt.Errorf("document date %q: %w", day, err))
		}
		total += c.Mentions
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return fail(err)
	}
	if total == 0 {
		return fail(store.ErrNotFound)
	}
	return out, nil
}
