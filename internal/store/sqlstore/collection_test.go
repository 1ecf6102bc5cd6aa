package sqlstore

import (
	"context"
	"testing"

	"mosaic"
	"mosaic/internal/search"
	"mosaic/internal/store"
)

// TestDeleteCollectionKeepsIndexWhole deletes a collection whose documents
// are partly held elsewhere and checks what the conformance suite cannot
// see: the full-text index still agrees with the documents table row for
// row (FTS5's integrity check compares an external-content index with its
// content), no mention, relation or holding points at a removed document,
// and the migration cannot go down while the log holds the deletion.
func TestDeleteCollectionKeepsIndexWhole(t *testing.T) {
	ctx := context.Background()
	s, err := OpenSQLite(ctx, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, c := range []string{"police", "press"} {
		if _, err := s.EnsureCollection(ctx, c, c); err != nil {
			t.Fatal(err)
		}
	}
	var batch []store.Ingested
	for i, text := range []string{"Samir Haddad met Tariq Nasser.", "Tariq Nasser left Leeds.", "Rain in Brussels."} {
		d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: text[:5], Text: text, Format: mosaic.FormatText, Size: int64(len(text))}
		ms := []mosaic.Mention{{Start: 0, End: 5, Type: mosaic.Person, Text: text[:5], Sentence: mosaic.Span{End: len(text)}, Confidence: 1},
			{Start: 6, End: 11, Type: mosaic.Person, Text: text[6:11], Sentence: mosaic.Span{End: len(text)}, Confidence: 1}}
		rs := []mosaic.Relation{{Type: mosaic.CoOccur, From: 0, To: 1, Sentence: mosaic.Span{End: len(text)}, Confidence: 0.2}}
		batch = append(batch, store.Ingested{Collection: "police", Doc: d, Mentions: ms, Relations: rs})
		if i == 2 {
			batch = append(batch, store.Ingested{Collection: "press", Doc: d, Mentions: ms, Relations: rs})
		}
	}
	if _, err := s.Add(ctx, batch); err != nil {
		t.Fatal(err)
	}
	ch, err := s.DeleteCollection(ctx, "police", "analyst1", "test")
	if err != nil {
		t.Fatal(err)
	}
	if ch.Documents != 3 || ch.Removed != 2 {
		t.Errorf("deletion = %+v, want 3 held and 2 removed", ch)
	}
	// Nothing of the removed documents stays in the search index.
	indexed := checkPostings(t, s)
	var kept int64
	if err := s.db.QueryRowContext(ctx, `SELECT seq FROM documents`).Scan(&kept); err != nil {
		t.Fatal(err)
	}
	for seq := range indexed {
		if seq != kept {
			t.Errorf("the search index still holds document %d, deleted", seq)
		}
	}
	if !indexed[kept] {
		t.Errorf("the search index lost document %d, kept", kept)
	}
	m, err := s.matchOf(ctx, search.Parse("tariq OR rain"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := searchIndex(ctx, s.db, m, "", searchPage{limit: 10, rank: 10}); err != nil || got.total != 1 {
		t.Errorf("search after the deletion: %+v, %v; want 1 match", got, err)
	}
	for _, q := range []string{
		`SELECT count(*) FROM documents`,
		`SELECT count(DISTINCT doc) FROM mentions`,
		`SELECT count(DISTINCT doc) FROM relations`,
		`SELECT count(*) FROM holdings`,
		`SELECT docs FROM postings_totals`,
	} {
		var n int
		if err := s.db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
		if n != 1 {
			t.Errorf("%s = %d, want 1 (the document press holds)", q, n)
		}
	}
	if _, err := migrationsOn(t, s.db.raw).DownTo(ctx, 7); err == nil {
		t.Error("migrating down with a deletion in the log succeeded")
	}
	if log, err := s.CollectionLog(ctx); err != nil || len(log) != 1 || log[0] != ch {
		t.Errorf("collection log after a failed down migration: %+v, %v", log, err)
	}
}
