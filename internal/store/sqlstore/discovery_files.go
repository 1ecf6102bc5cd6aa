package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"mosaic/internal/store"
)

// DiscoveryFile implements store.DiscoveryFiles.
func (s *Store) DiscoveryFile(ctx context.Context, name string) ([]byte, time.Time, error) {
	var body []byte
	var modified int64
	err := s.db.QueryRowContext(ctx, `SELECT body, modified FROM discovery_files WHERE name = ?`, name).Scan(&body, &modified)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, time.Time{}, fmt.Errorf("discovery file %s: %w", name, store.ErrNotFound)
	}
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("discovery file %s: %w", name, err)
	}
	return body, time.Unix(0, modified).UTC(), nil
}

// PutDiscoveryFile implements store.DiscoveryFiles.
func (s *Store) PutDiscoveryFile(ctx context.Context, name string, body []byte) error {
	if body == nil {
		body = []byte{}
	}
	_, err := s.db.ExecContext(ctx, `INSERT INTO discovery_files (name, body, modified) VALUES (?, ?, ?)
		ON CONFLICT (name) DO UPDATE SET body = excluded.body, modified = excluded.modified`,
		name, body, time.Now().UnixNano())
	if err != nil {
		return fmt.Errorf("write discovery file %s: %w", name, err)
	}
	return nil
}

// DiscoveryFileList implements store.DiscoveryFiles. The prefix is
// compared as it is, not as a LIKE pattern, so that a '_' or '%' in it
// matches only itself.
func (s *Store) DiscoveryFileList(ctx context.Context, prefix string) ([]store.FileStamp, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT name, modified FROM discovery_files
		WHERE substr(name, 1, ?) = ?`, len([]rune(prefix)), prefix)
	if err != nil {
		return nil, fmt.Errorf("discovery files %s: %w", prefix, err)
	}
	defer rows.Close()
	out := []store.FileStamp{}
	for rows.Next() {
		var f store.FileStamp
		var modified int64
		if err := rows.Scan(&f.Name, &modified); err != nil {
			return nil, fmt.Errorf("discovery files %s: %w", prefix, err)
		}
		f.Modified = time.Unix(0, modified).UTC()
		out = append(out, f)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("discovery files %s: %w", prefix, err)
	}
	// By name in byte order, whatever the database's collation.
	slices.SortFunc(out, func(a, b store.FileStamp) int { return strings.Compare(a.Name, b.Name) })
	return out, nil
}
