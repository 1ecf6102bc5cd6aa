package postgres_test

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
)

// The schema's plan for a distributed PostgreSQL (Citus; see the README,
// "Past one server"): the tables that grow with the documents are
// distributed by the document, co-located, so that a document's mentions,
// relations and tallies sit on one node with it; the search index's runs
// are distributed by their token (a search asks each token's node for its
// runs and intersects them itself); every other table is small, or grows
// with the entities, and is a reference table, copied to every node.
var distributedBy = map[string]string{
	"documents":        "seq",
	"holdings":         "doc",
	"mentions":         "doc",
	"relations":        "doc",
	"postings":         "token",
	"postings_rewrite": "token",
	"postings_pending": "seq",
	"entity_spellings": "doc",
	"cooccurrences":    "doc",
	"tallies_pending":  "doc",
}

var referenceTables = []string{
	"agencies", "collections", "entities", "generation", "judgements", "watchlist_entries", "watchlist_links",
	"collection_log", "spelling_totals", "spelling_docs", "pair_totals", "users", "tokens", "sessions", "grants",
	"share_requests", "alerts", "audit", "crypt_keys", "vocabulary", "postings_totals", "merges", "incidents", "incident_names",
	"incident_judgements", "charts",
	// Discovery's exchange files: a handful, read by every server.
	"discovery_files",
	// The ingest queue: a row per file, claimed in transactions that must
	// see every claim, so one copy on the coordinator's side of the plan.
	"ingest_jobs",
}

// stillBlocking is what a distributed database would refuse in the schema
// today, each named in the README's design note with what replaces it. The
// test fails on anything else, and on any of these once it is gone (so
// that the list only shrinks).
var stillBlocking = []string{
	`documents: UNIQUE (id) lacks the distribution column seq`,
	`documents: trigger documents_tallies_delete`,
	`entity_spellings: trigger entity_spellings_update`,
	`entity_spellings: trigger entity_spellings_delete`,
	`entity_spellings: trigger entity_spellings_docs_delete`,
	`cooccurrences: trigger cooccurrences_update`,
	`cooccurrences: trigger cooccurrences_delete`,
}

// TestSchemaDistributable keeps the schema one that Citus could distribute
// as planned: every table is planned; a distributed table's primary key and
// unique constraints hold its distribution column; a foreign key from a
// distributed table goes to a reference table, or to a co-located one on
// the distribution column; none goes from a reference table to a
// distributed one; no trigger runs on a distributed table.
func TestSchemaDistributable(t *testing.T) {
	_, url := openTestURL(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ctx := context.Background()
	query := func(q string, scan func(*sql.Rows) error) {
		t.Helper()
		rows, err := db.QueryContext(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		for rows.Next() {
			if err := scan(rows); err != nil {
				t.Fatal(err)
			}
		}
		if err := rows.Err(); err != nil {
			t.Fatal(err)
		}
	}
	var problems []string
	// Every table is planned, one way or the other.
	var tables []string
	query(`SELECT c.relname FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind = 'r'
		AND c.relname <> 'goose_db_version' ORDER BY 1`, func(r *sql.Rows) error {
		var name string
		err := r.Scan(&name)
		tables = append(tables, name)
		return err
	})
	for _, tb := range tables {
		if _, ok := distributedBy[tb]; !ok && !slices.Contains(referenceTables, tb) {
			problems = append(problems, fmt.Sprintf("%s: not planned as distributed or reference", tb))
		}
	}
	for tb := range distributedBy {
		if !slices.Contains(tables, tb) {
			t.Errorf("planned table %s is not in the schema", tb)
		}
	}
	// Unique constraints and unique indexes (a primary key is one).
	query(`SELECT t.relname, i.relname, array_to_string(array(SELECT a.attname FROM unnest(x.indkey) k
			JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k), ',')
		FROM pg_index x JOIN pg_class t ON t.oid = x.indrelid JOIN pg_class i ON i.oid = x.indexrelid
		WHERE x.indisunique AND t.relnamespace = current_schema()::regnamespace`, func(r *sql.Rows) error {
		var table, index, cols string
		if err := r.Scan(&table, &index, &cols); err != nil {
			return err
		}
		if col, ok := distributedBy[table]; ok && !slices.Contains(strings.Split(cols, ","), col) {
			kind := "UNIQUE"
			if strings.HasSuffix(index, "_pkey") {
				kind = "PRIMARY KEY"
			}
			problems = append(problems, fmt.Sprintf("%s: %s (%s) lacks the distribution column %s", table, kind, strings.ReplaceAll(cols, ",", ", "), col))
		}
		return nil
	})
	// Foreign keys.
	query(`SELECT c.conrelid::regclass::text, c.confrelid::regclass::text,
			array_to_string(array(SELECT a.attname FROM unnest(c.conkey) k JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k), ','),
			array_to_string(array(SELECT a.attname FROM unnest(c.confkey) k JOIN pg_attribute a ON a.attrelid = c.confrelid AND a.attnum = k), ',')
		FROM pg_constraint c WHERE c.contype = 'f' AND c.connamespace = current_schema()::regnamespace`, func(r *sql.Rows) error {
		var from, to, cols, refs string
		if err := r.Scan(&from, &to, &cols, &refs); err != nil {
			return err
		}
		fromCol, fromDist := distributedBy[from]
		toCol, toDist := distributedBy[to]
		switch {
		case !fromDist && toDist:
			problems = append(problems, fmt.Sprintf("%s: foreign key (%s) from a reference table to the distributed %s", from, cols, to))
		case fromDist && toDist && !(cols == fromCol && refs == toCol):
			problems = append(problems, fmt.Sprintf("%s: foreign key (%s) to %s (%s) is not on the distribution columns", from, cols, to, refs))
		}
		return nil
	})
	query(`SELECT c.relname, g.tgname FROM pg_trigger g JOIN pg_class c ON c.oid = g.tgrelid
		WHERE NOT g.tgisinternal AND c.relnamespace = current_schema()::regnamespace`, func(r *sql.Rows) error {
		var table, trigger string
		if err := r.Scan(&table, &trigger); err != nil {
			return err
		}
		if _, ok := distributedBy[table]; ok {
			problems = append(problems, fmt.Sprintf("%s: trigger %s", table, trigger))
		}
		return nil
	})
	sort.Strings(problems)
	want := slices.Sorted(slices.Values(stillBlocking))
	for _, p := range problems {
		if !slices.Contains(want, p) {
			t.Errorf("not distributable: %s", p)
		}
	}
	for _, w := range want {
		if !slices.Contains(problems, w) {
			t.Errorf("no longer blocking, take it off stillBlocking (and the README's list): %s", w)
		}
	}
}
