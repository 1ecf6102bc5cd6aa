package sqlstore

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/store"
)

// LoadWatchlist implements store.Watchlists.
func (s *Store) LoadWatchlist(ctx context.Context, list string, entries []store.WatchlistEntry) error {
	list = fold(list)
	if list == "" {
		return fmt.Errorf("load watchlist: %w: no list name", store.ErrInvalid)
	}
	seen := make(map[string]bool, len(entries))
	for i, e := range entries {
		switch {
		case fold(e.ID) == "" || fold(e.Name) == "":
			return fmt.Errorf("load watchlist %q: entry %d: %w: no ID or name", list, i+1, store.ErrInvalid)
		case e.List != "" && fold(e.List) != list:
			return fmt.Errorf("load watchlist %q: entry %s names list %q: %w", list, e.ID, e.List, store.ErrInvalid)
		case seen[fold(e.ID)]:
			return fmt.Errorf("load watchlist %q: %w: ID %s twice", list, store.ErrInvalid, e.ID)
		}
		seen[fold(e.ID)] = true
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("load watchlist %q: %w", list, err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM watchlist_entries WHERE list = ?`, list); err != nil {
		return fmt.Errorf("load watchlist %q: %w", list, err)
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO watchlist_entries (list, id, name, aliases, programme, kind, loaded_at)
		VALUES (?, ?, ?, ?, ?, ?, ?)`)
	if err != nil {
		return fmt.Errorf("load watchlist %q: %w", list, err)
	}
	defer stmt.Close()
	now := formatTime(time.Now())
	for _, e := range entries {
		aliases, err := aliasesJSON(e.Aliases)
		if err != nil {
			return fmt.Errorf("load watchlist %q: %w", list, err)
		}
		if _, err := stmt.ExecContext(ctx, list, fold(e.ID), fold(e.Name), aliases, fold(e.Programme), string(e.Kind), now); err != nil {
			return fmt.Errorf("load watchlist %q: entry %s: %w", list, e.ID, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("load watchlist %q: %w", list, err)
	}
	return nil
}

// aliasesJSON encodes aliases, whitespace folded and empty ones dropped.
func aliasesJSON(aliases []string) (string, error) {
	out := make([]string, 0, len(aliases))
	for _, a := range aliases {
		if a = fold(a); a != "" {
			out = append(out, a)
		}
	}
	b, err := json.Marshal(out)
	return string(b), err
}

func parseAliases(s string) ([]string, error) {
	var out []string
	if err := json.Unmarshal([]byte(s), &out); err != nil {
		return nil, fmt.Errorf("aliases %q: %w", s, err)
	}
	if len(out) == 0 {
		return nil, nil
	}
	return out, nil
}

// Watchlists implements store.Watchlists.
func (s *Store) Watchlists(ctx context.Context) ([]store.Watchlist, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT list, count(*), max(loaded_at) FROM watchlist_entries GROUP BY list ORDER BY list`)
	if err != nil {
		return nil, fmt.Errorf("watchlists: %w", err)
	}
	defer rows.Close()
	var out []store.Watchlist
	for rows.Next() {
		var w store.Watchlist
		var loaded string
		if err := rows.Scan(&w.Name, &w.Entries, &loaded); err != nil {
			return nil, fmt.Errorf("watchlists: %w", err)
		}
		w.Loaded = parseTime(loaded)
		out = append(out, w)
	}
	return out, rows.Err()
}

// WatchlistEntries implements store.Watchlists.
func (s *Store) WatchlistEntries(ctx context.Context, fn func(store.WatchlistEntry) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT list, id, name, aliases, programme, kind FROM watchlist_entries ORDER BY list, id`)
	if err != nil {
		return fmt.Errorf("watchlist entries: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e store.WatchlistEntry
		var aliases, kind string
		if err := rows.Scan(&e.List, &e.ID, &e.Name, &aliases, &e.Programme, &kind); err != nil {
			return fmt.Errorf("watchlist entries: %w", err)
		}
		if e.Aliases, err = parseAliases(aliases); err != nil {
			return fmt.Errorf("watchlist entry %s %s: %w", e.List, e.ID, err)
		}
		e.Kind = mosaic.MentionType(kind)
		if err := fn(e); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// LinkWatchlist implements store.Watchlists.
func (s *Store) LinkWatchlist(ctx context.Context, l store.WatchlistLink) error {
	if fold(l.List) == "" || fold(l.ID) == "" || fold(l.Name) == "" {
		return fmt.Errorf("link entity %d to watchlist: %w: no list, ID or name", l.Entity, store.ErrInvalid)
	}
	aliases, err := aliasesJSON(l.Aliases)
	if err != nil {
		return fmt.Errorf("link entity %d to watchlist: %w", l.Entity, err)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("link entity %d to watchlist: %w", l.Entity, err)
	}
	defer tx.Rollback()
	if _, _, err := rootOf(ctx, tx, "", l.Entity); err != nil {
		return fmt.Errorf("link to watchlist: %w", err)
	}
	res, err := tx.ExecContext(ctx, `INSERT INTO watchlist_links (entity, list, entry, name, aliases, programme, kind, why, spelling)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (entity, list, entry) DO NOTHING`,
		l.Entity, fold(l.List), fold(l.ID), fold(l.Name), aliases, fold(l.Programme), string(l.Kind), strings.TrimSpace(l.Why), fold(l.Spelling))
	if err != nil {
		return fmt.Errorf("link entity %d to watchlist: %w", l.Entity, err)
	}
	if n, _ := res.RowsAffected(); n > 0 {
		if err := bumpGeneration(ctx, tx); err != nil {
			return fmt.Errorf("link entity %d to watchlist: %w", l.Entity, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("link entity %d to watchlist: %w", l.Entity, err)
	}
	return nil
}

// WatchlistLinks implements store.Watchlists.
func (s *Store) WatchlistLinks(ctx context.Context, id mosaic.EntityID) ([]store.WatchlistLink, error) {
	// The links of the group the command line's merges make.
	root, _, err := rootOf(ctx, s.db, "", id)
	if err != nil {
		return nil, fmt.Errorf("watchlist links: %w", err)
	}
	group, err := groupOf(ctx, s.db, "", root)
	if err != nil {
		return nil, fmt.Errorf("watchlist links: %w", err)
	}
	return s.groupLinks(ctx, root, idList(group), nil)
}

// groupLinks returns the links of the entities in (an idList of one merge
// group, read as root), once per list and entry: the first made of those
// whose spelling passes keep (any, for nil).
func (s *Store) groupLinks(ctx context.Context, root mosaic.EntityID, in string, keep func(spelling string) bool) ([]store.WatchlistLink, error) {
	out := []store.WatchlistLink{}
	err := s.scanLinks(ctx, `WHERE l.entity IN `+in, nil, func(l store.WatchlistLink) error {
		if keep != nil && !keep(l.Spelling) {
			return nil
		}
		if n := len(out); n > 0 && out[n-1].List == l.List && out[n-1].ID == l.ID {
			return nil
		}
		l.Entity = root
		out = append(out, l)
		return nil
	})
	return out, err
}

// AllWatchlistLinks implements store.Watchlists.
func (s *Store) AllWatchlistLinks(ctx context.Context, fn func(store.WatchlistLink) error) error {
	var last store.WatchlistLink
	return s.scanLinks(ctx, "", nil, func(l store.WatchlistLink) error {
		if l.Entity == last.Entity && l.List == last.List && l.ID == last.ID {
			return nil
		}
		last = l
		return fn(l)
	})
}

// scanLinks calls fn for each link that where selects, whole as it was
// made, with the entity as it reads after the command line's merges (the
// ones resolution follows): by entity, list, ID and the order the links
// were made, so the first of a group's links to one entry comes first.
func (s *Store) scanLinks(ctx context.Context, where string, args []any, fn func(store.WatchlistLink) error) error {
	rows, err := s.db.QueryContext(ctx, `SELECT coalesce(g.root, l.entity) AS root, l.list, l.entry,
			l.name, l.aliases, l.programme, l.kind, l.why, l.spelling
		FROM watchlist_links l `+mergedAs("g", "l.entity")+` `+where+`
		ORDER BY root, l.list, l.entry, l.rowid`, append([]any{""}, args...)...)
	if err != nil {
		return fmt.Errorf("watchlist links: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var l store.WatchlistLink
		var aliases, kind string
		if err := rows.Scan(&l.Entity, &l.List, &l.ID, &l.Name, &aliases, &l.Programme, &kind, &l.Why, &l.Spelling); err != nil {
			return fmt.Errorf("watchlist links: %w", err)
		}
		if l.Aliases, err = parseAliases(aliases); err != nil {
			return fmt.Errorf("watchlist link %s %s: %w", l.List, l.ID, err)
		}
		l.Kind = mosaic.MentionType(kind)
		if err := fn(l); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return rows.Err()
}

// StatedNames implements store.Watchlists.
func (s *Store) StatedNames(ctx context.Context, prefixes []string, fn func(e mosaic.Entity, name string) error) error {
	if len(prefixes) == 0 {
		return nil
	}
	var conds []string
	var args []any
	for _, p := range prefixes {
		// substr rather than LIKE: a reason may hold % and _.
		conds = append(conds, `substr(st.why, 1, ?) = ?`)
		args = append(args, utf8.RuneCountInString(p), p)
	}
	// The tallies hold each spelling and reason once (see EntityNames);
	// entities read as the command line merged them.
	rows, err := s.db.QueryContext(ctx, `SELECT DISTINCT r.id, coalesce(g.kind, r.kind), r.name, st.name
		FROM spelling_totals st `+mergedAs("g", "st.entity")+` JOIN entities r ON r.id = coalesce(g.root, st.entity)
		WHERE `+strings.Join(conds, " OR ")+` ORDER BY r.id, st.name`, append([]any{""}, args...)...)
	if err != nil {
		return fmt.Errorf("stated names: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var e mosaic.Entity
		var kind, name string
		if err := rows.Scan(&e.ID, &kind, &e.Name, &name); err != nil {
			return fmt.Errorf("stated names: %w", err)
		}
		e.Kind = mosaic.MentionType(kind)
		if err := fn(e, name); err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return rows.Err()
}
