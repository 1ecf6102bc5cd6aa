package sqlstore

import (
	"bytes"
	"cmp"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"mosaic/internal/store"
)

// Saved charts are kept in charts (migration 16), the body sealed and
// bound to its row (rowID "chart") and column "body".

func chartRow(id int64) string { return rowID("chart", id) }

// chartLevel is a clearance's or classification's place in
// store.Classifications, an empty one counting as UNCLASSIFIED; -1 for an
// unknown label.
func chartLevel(label string) int {
	if label == "" {
		return 0
	}
	return store.ClassificationLevel(label)
}

// maxChartName bounds a chart's name, in characters.
const maxChartName = 200

// SaveChart implements store.Charts.
func (s *Store) SaveChart(ctx context.Context, c store.Chart) (store.Chart, error) {
	c.Name, c.Agency, c.User = strings.TrimSpace(c.Name), strings.TrimSpace(c.Agency), strings.TrimSpace(c.User)
	fail := func(err error) (store.Chart, error) {
		return store.Chart{}, fmt.Errorf("save chart %q: %w", c.Name, err)
	}
	body := bytes.TrimSpace(c.Body)
	level := chartLevel(c.Classification)
	switch {
	case level < 0:
		return fail(fmt.Errorf("%w: classification %q is none of %s", store.ErrInvalid, c.Classification, strings.Join(store.Classifications, ", ")))
	case c.Name == "" || utf8.RuneCountInString(c.Name) > maxChartName || !utf8.ValidString(c.Name):
		return fail(fmt.Errorf("%w: a chart's name is 1 to %d characters", store.ErrInvalid, maxChartName))
	case len(body) > store.MaxChartBytes:
		return fail(fmt.Errorf("%w: %d bytes, over the limit of %d", store.ErrInvalid, len(body), store.MaxChartBytes))
	case len(body) == 0 || body[0] != '{' || !json.Valid(body):
		return fail(fmt.Errorf("%w: the body is not a JSON object", store.ErrInvalid))
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fail(err)
	}
	defer tx.Rollback()
	var above int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM charts WHERE agency = ? AND name = ? AND level > ?`,
		c.Agency, c.Name, level).Scan(&above); err != nil {
		return fail(err)
	}
	if above > 0 {
		return fail(fmt.Errorf("%w: the name is taken by a chart classified above %s", store.ErrInvalid, cmp.Or(c.Classification, "UNCLASSIFIED")))
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM charts WHERE agency = ? AND name = ?`, c.Agency, c.Name); err != nil {
		return fail(err)
	}
	// The body is bound to the row's ID, so the ID is taken before the
	// insert, under the write lock tx holds.
	var id int64
	if err := tx.QueryRowContext(ctx, tx.d.nextID("charts")).Scan(&id); err != nil {
		return fail(err)
	}
	k := s.crypt.writer()
	if err := checkKeyVersion(ctx, tx, k); err != nil {
		return fail(err)
	}
	c.Saved = time.Now().UTC()
	if _, err := tx.ExecContext(ctx, `INSERT INTO charts (id, agency, name, "user", level, saved_at, body) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		id, c.Agency, c.Name, c.User, level, formatTime(c.Saved), k.seal(body, chartRow(id), "body")); err != nil {
		return fail(err)
	}
	if err := tx.Commit(); err != nil {
		return fail(err)
	}
	c.Body = json.RawMessage(body)
	return c, nil
}

// Chart implements store.Charts.
func (s *Store) Chart(ctx context.Context, agency, clearance, name string) (store.Chart, error) {
	c := store.Chart{Agency: strings.TrimSpace(agency), Name: strings.TrimSpace(name)}
	var id int64
	var level int
	var saved string
	var body any
	err := s.db.QueryRowContext(ctx, `SELECT id, "user", level, saved_at, body FROM charts WHERE agency = ? AND name = ? AND level <= ?`,
		c.Agency, c.Name, chartLevel(clearance)).Scan(&id, &c.User, &level, &saved, &body)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Chart{}, fmt.Errorf("chart %q: %w", c.Name, store.ErrNotFound)
	}
	if err != nil {
		return store.Chart{}, fmt.Errorf("chart %q: %w", c.Name, err)
	}
	plain, err := s.openColumn(body, chartRow(id), "body")
	if err != nil {
		return store.Chart{}, fmt.Errorf("chart %q: %w", c.Name, err)
	}
	c.Saved, c.Body, c.Classification = parseTime(saved), json.RawMessage(plain), store.Classifications[level]
	return c, nil
}

// ChartList implements store.Charts.
func (s *Store) ChartList(ctx context.Context, agency, clearance string) ([]store.Chart, error) {
	agency = strings.TrimSpace(agency)
	rows, err := s.db.QueryContext(ctx, `SELECT name, "user", level, saved_at FROM charts WHERE agency = ? AND level <= ? ORDER BY name`,
		agency, chartLevel(clearance))
	if err != nil {
		return nil, fmt.Errorf("charts of agency %q: %w", agency, err)
	}
	defer rows.Close()
	out := []store.Chart{}
	for rows.Next() {
		c := store.Chart{Agency: agency}
		var saved string
		var level int
		if err := rows.Scan(&c.Name, &c.User, &level, &saved); err != nil {
			return nil, fmt.Errorf("charts of agency %q: %w", agency, err)
		}
		c.Saved, c.Classification = parseTime(saved), store.Classifications[level]
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("charts of agency %q: %w", agency, err)
	}
	return out, nil
}

// DeleteChart implements store.Charts.
func (s *Store) DeleteChart(ctx context.Context, agency, clearance, name string) error {
	res, err := s.db.ExecContext(ctx, `DELETE FROM charts WHERE agency = ? AND name = ? AND level <= ?`,
		strings.TrimSpace(agency), strings.TrimSpace(name), chartLevel(clearance))
	if err != nil {
		return fmt.Errorf("delete chart %q: %w", name, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return fmt.Errorf("delete chart %q: %w", name, err)
	} else if n == 0 {
		return fmt.Errorf("delete chart %q: %w", name, store.ErrNotFound)
	}
	return nil
}
