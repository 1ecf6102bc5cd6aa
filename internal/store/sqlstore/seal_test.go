package sqlstore

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// inClear reads a free-text column as an older release stored it, in
// clear, for the migration tests that read a store before Open seals it.
func inClear(v any, id, column string) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", fmt.Errorf("%s of %s: %T, not text in clear", column, id, v)
	}
	return s, nil
}

// cursorStore is a store of fillers documents another agency holds, then
// reports of agency A naming one person by several spellings, resolved to
// one entity, which it returns with the reports' IDs (oldest first).
func cursorStore(t *testing.T, dir string, key []byte, fillers int) (*Store, mosaic.EntityID, []mosaic.DocID) {
	t.Helper()
	ctx := context.Background()
	s := openKeyed(t, dir, key)
	for _, c := range [][2]string{{"other", "B"}, {"a", "A"}} {
		if _, err := s.EnsureCollection(ctx, c[0], c[1]); err != nil {
			t.Fatal(err)
		}
	}
	var batch []store.Ingested
	for i := range fillers {
		text := fmt.Sprintf("Filler note %d of the other agency.", i)
		batch = append(batch, store.Ingested{Collection: "other", Doc: mosaic.Document{ID: mosaic.NewDocID([]byte(text)),
			Title: fmt.Sprintf("Note %d", i), Text: text, Format: mosaic.FormatText, Size: int64(len(text))}})
	}
	if _, err := s.Add(ctx, batch); err != nil {
		t.Fatal(err)
	}
	spellings := []string{"Karim Benali", "Benali", "K. Benali", "Mr Benali", "Karim B."}
	var hub mosaic.EntityID
	var reports []mosaic.DocID
	for i := range 9 {
		sp := spellings[i%len(spellings)]
		text := fmt.Sprintf("Report %d: %s was seen at the port.", i, sp)
		d := mosaic.Document{ID: mosaic.NewDocID([]byte(text)), Title: fmt.Sprintf("Report %d", i), Text: text,
			Format: mosaic.FormatText, Size: int64(len(text))}
		start := bytes.Index([]byte(text), []byte(sp))
		m := mosaic.Mention{Start: start, End: start + len(sp), Type: mosaic.Person, Text: sp, Confidence: 0.9,
			Sentence: mosaic.Span{Start: 0, End: len(text)}}
		if _, err := s.Add(ctx, []store.Ingested{{Collection: "a", Doc: d, Mentions: []mosaic.Mention{m}}}); err != nil {
			t.Fatal(err)
		}
		a := store.Assignment{Start: m.Start, End: m.End, Type: mosaic.Person, Entity: hub, Why: "test"}
		var created []mosaic.Entity
		if hub == 0 {
			a.Entity, a.New = 0, 1
			created = []mosaic.Entity{{Kind: mosaic.Person, Name: sp}}
		}
		ids, err := s.Resolve(ctx, d.ID, created, []store.Assignment{a})
		if err != nil {
			t.Fatal(err)
		}
		if hub == 0 {
			hub = ids[0]
		}
		reports = append(reports, d.ID)
	}
	return s, hub, reports
}

// pageAll reads a list a page of limit items at a time, returning its
// items and every cursor it gave.
func pageAll[T any](t *testing.T, limit int, read func(p store.Page) ([]T, string, error)) ([]T, []string) {
	t.Helper()
	var items []T
	var cursors []string
	p := store.Page{Limit: limit}
	for range 1000 {
		got, next, err := read(p)
		if err != nil {
			t.Fatalf("page after %q: %v", p.Cursor, err)
		}
		items = append(items, got...)
		if next == "" {
			return items, cursors
		}
		cursors = append(cursors, next)
		p.Cursor = next
	}
	t.Fatal("paging never ended")
	return nil, nil
}

// TestCursorsSealed: a cursor tells a caller nothing of the store (no
// row number, no count of documents, its own agency's or another's, not
// even through its length), opens only in the list and store that gave it
// under the key in use, and paging with sealed cursors still visits every
// item once.
func TestCursorsSealed(t *testing.T) {
	ctx := context.Background()
	const fillers = 137
	dir := t.TempDir()
	key := mustKey(t)
	s, hub, reports := cursorStore(t, dir, key, fillers)
	defer s.Close()
	var total, maxSeq int
	if err := s.db.raw.QueryRow(`SELECT count(*), max(seq) FROM documents`).Scan(&total, &maxSeq); err != nil {
		t.Fatal(err)
	}
	if total != fillers+len(reports) || maxSeq < 100 {
		t.Fatalf("fixture: %d documents, highest row %d", total, maxSeq)
	}

	// Every list that pages, each item once, in order.
	docs, docCursors := pageAll(t, 7, func(p store.Page) ([]store.Summary, string, error) {
		l, err := s.DocumentsPage(ctx, store.DocumentFilter{Limit: p.Limit, Cursor: p.Cursor})
		return l.Documents, l.Next, err
	})
	seen := map[mosaic.DocID]int{}
	for _, d := range docs {
		seen[d.ID]++
	}
	if len(docs) != total || len(seen) != total {
		t.Errorf("paging the documents gave %d items, %d distinct; want %d", len(docs), len(seen), total)
	}
	for i := range reports {
		if docs[i].ID != reports[len(reports)-1-i] {
			t.Errorf("document %d is %s, want report %s (newest first)", i, docs[i].ID, reports[len(reports)-1-i])
		}
	}
	names, nameCursors := pageAll(t, 1, func(p store.Page) ([]store.EntityName, string, error) {
		_, ns, next, err := s.EntitySpellings(ctx, hub, store.Scope{Agency: "A"}, p)
		return ns, next, err
	})
	var gotNames []string
	for _, n := range names {
		gotNames = append(gotNames, n.Name)
	}
	slices.Sort(gotNames)
	if want := []string{"Benali", "K. Benali", "Karim B.", "Karim Benali", "Mr Benali"}; !slices.Equal(gotNames, want) {
		t.Errorf("names paged one at a time = %q, want %q", gotNames, want)
	}
	spelled, spellCursors := pageAll(t, 1, func(p store.Page) ([]store.DocumentRef, string, error) {
		return s.SpellingDocuments(ctx, hub, "Karim Benali", store.Scope{Agency: "A"}, p)
	})
	if len(spelled) != 2 || spelled[0].ID != reports[0] || spelled[1].ID != reports[5] {
		t.Errorf("documents spelling Karim Benali paged one at a time: %+v, want reports 0 and 5", spelled)
	}

	// What a cursor shows: random bytes of one length per list, no JSON,
	// no list name, none of the numbers the store's counts are.
	numbers := []string{strconv.Itoa(total), strconv.Itoa(maxSeq), strconv.Itoa(fillers)}
	lists := map[string][]string{"documents": docCursors, "names": nameCursors, "spelling": spellCursors}
	for list, cs := range lists {
		if len(cs) == 0 {
			t.Fatalf("%s: no cursor", list)
		}
		for _, c := range cs {
			b, err := base64.RawURLEncoding.DecodeString(c)
			if err != nil {
				t.Fatalf("%s cursor %q: %v", list, c, err)
			}
			if json.Valid(b) || bytes.Contains(b, []byte(list)) {
				t.Errorf("%s cursor %q reads in clear: %q", list, c, b)
			}
			for _, n := range numbers {
				if bytes.Contains(b, []byte(n)) {
					t.Errorf("%s cursor %q holds %s, a count of the store", list, c, n)
				}
			}
			if len(c) != len(cs[0]) {
				t.Errorf("%s cursors of %d and %d characters: the length tells the key", list, len(c), len(cs[0]))
			}
		}
	}

	// A cursor altered, of another list, of the older format in clear, or
	// of another store is refused as one no list gave.
	documentsAfter := func(c string) error {
		_, err := s.DocumentsPage(ctx, store.DocumentFilter{Limit: 7, Cursor: c})
		return err
	}
	good := docCursors[0]
	if err := documentsAfter(good); err != nil {
		t.Fatalf("a cursor the list gave: %v", err)
	}
	raw, _ := base64.RawURLEncoding.DecodeString(good)
	for _, i := range []int{0, 1, nonceSize, nonceSize + 1, len(raw) / 2, len(raw) - 1} {
		for bit := range 8 {
			flipped := bytes.Clone(raw)
			flipped[i] ^= 1 << bit
			if err := documentsAfter(base64.RawURLEncoding.EncodeToString(flipped)); !errors.Is(err, store.ErrInvalid) {
				t.Errorf("cursor with bit %d of byte %d flipped: err = %v, want ErrInvalid", bit, i, err)
			}
		}
	}
	older := base64.RawURLEncoding.EncodeToString([]byte(`["documents",` + strconv.Itoa(maxSeq) + `]`))
	other, _, _ := cursorStore(t, t.TempDir(), mustKey(t), 8)
	defer other.Close()
	foreign := other.encodeCursor("documents", int64(maxSeq))
	for what, c := range map[string]string{"the names list's": nameCursors[0], "the older format's": older,
		"another store's": foreign, "a truncated": good[:len(good)-4]} {
		if err := documentsAfter(c); !errors.Is(err, store.ErrInvalid) {
			t.Errorf("%s cursor: err = %v, want ErrInvalid", what, err)
		}
	}
	if _, _, _, err := s.EntitySpellings(ctx, hub, store.Scope{Agency: "A"}, store.Page{Limit: 1, Cursor: good}); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a documents cursor read by the names list: err = %v, want ErrInvalid", err)
	}

	// After a key rotation, the old key's cursors no longer open; the
	// new key's page the list as before.
	if err := s.RotateKey(ctx, mustKey(t), nil); err != nil {
		t.Fatal(err)
	}
	if err := documentsAfter(good); !errors.Is(err, store.ErrInvalid) {
		t.Errorf("a cursor of the rotated key: err = %v, want ErrInvalid", err)
	}
	again, _ := pageAll(t, 7, func(p store.Page) ([]store.Summary, string, error) {
		l, err := s.DocumentsPage(ctx, store.DocumentFilter{Limit: p.Limit, Cursor: p.Cursor})
		return l.Documents, l.Next, err
	})
	if !slices.EqualFunc(again, docs, func(a, b store.Summary) bool { return a.ID == b.ID }) {
		t.Errorf("paging after the rotation gave %d documents, want the %d before", len(again), len(docs))
	}
}

// TestReasonsSealed: the reasons of judgements, of their undoing and of
// changes to collections are sealed in the database and its log and read
// back in clear; those an older release kept in clear are sealed when the
// store opens; and a key rotation seals them all anew, readable with the
// new key.
func TestReasonsSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	oldKey, newKey := mustKey(t), mustKey(t)
	s, hub, _ := cursorStore(t, dir, oldKey, 3)
	flag, err := s.Judge(ctx, store.Judgement{Kind: store.Flag, Entity: hub, User: "ana", Agency: "A",
		Reason: "informant Gallowglass named him"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.Undo(ctx, flag.ID, "ana", "Gallowglass recanted at Thistlemoor"); err != nil {
		t.Fatal(err)
	}
	confirm, err := s.Judge(ctx, store.Judgement{Kind: store.Confirm, Entity: hub, Name: "Benali", User: "ana", Agency: "A",
		Reason: "passport scan from Quenby"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.RenameCollection(ctx, "other", "archive", "root", "Operation Saltmarsh closed"); err != nil {
		t.Fatal(err)
	}
	typed := []string{"Gallowglass", "Thistlemoor", "Quenby", "Saltmarsh"}
	checkpointed(t, s)
	assertAbsent(t, dir, typed)

	// Rows as an older release wrote them: reasons in clear.
	execRaw(t, s.db.raw, `INSERT INTO judgements (id, kind, entity, name, user, reason, made_at, undone_at, undone_by, undo_reason, agency)
		VALUES (?, 'confirm', ?, 'mr benali', 'bob', 'seen by Wyndlebrook', '2016-03-22T08:00:00Z', '2016-03-23T08:00:00Z', 'bob', 'wrong Ferncastle', 'A')`,
		confirm.ID+1, hub)
	execRaw(t, s.db.raw, `INSERT INTO collection_log (id, action, collection, new_name, agency, created_at, user, reason, made_at)
		VALUES (2, 'rename', 'old', 'new', 'B', '2016-01-01T00:00:00Z', 'root', 'asked by Pennywhistle', '2016-03-22T08:00:00Z')`)
	s.Close()
	clear := []string{"Wyndlebrook", "Ferncastle", "Pennywhistle"}
	if b, _ := os.ReadFile(filepath.Join(dir, FileName)); !bytes.Contains(b, []byte("Wyndlebrook")) {
		t.Fatal("the older release's judgement is not in clear: the test builds it wrong")
	}

	check := func(s *Store) {
		t.Helper()
		js, err := s.Judgements(ctx, 0, "A")
		if err != nil {
			t.Fatal(err)
		}
		type reasons struct{ reason, undo string }
		var got []reasons
		for _, j := range js {
			got = append(got, reasons{j.Reason, j.UndoReason})
		}
		want := []reasons{{"seen by Wyndlebrook", "wrong Ferncastle"}, {"passport scan from Quenby", ""},
			{"informant Gallowglass named him", "Gallowglass recanted at Thistlemoor"}}
		if !slices.Equal(got, want) {
			t.Errorf("judgements' reasons read back as %q, want %q", got, want)
		}
		log, err := s.CollectionLog(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(log) != 2 || log[0].Reason != "asked by Pennywhistle" || log[1].Reason != "Operation Saltmarsh closed" {
			t.Errorf("collection log reads back as %+v", log)
		}
	}
	s = openKeyed(t, dir, oldKey)
	check(s)
	assertAbsent(t, dir, append(typed, clear...))

	if err := s.RotateKey(ctx, newKey, nil); err != nil {
		t.Fatal(err)
	}
	s.Close()
	s = openKeyed(t, dir, newKey)
	defer s.Close()
	check(s)
	assertAbsent(t, dir, append(typed, clear...))
	var left int
	err = s.db.raw.QueryRow(`SELECT (SELECT count(*) FROM judgements WHERE substr(reason, 1, 1) != x'02'
			OR (undo_reason IS NOT NULL AND substr(undo_reason, 1, 1) != x'02'))
		+ (SELECT count(*) FROM collection_log WHERE substr(reason, 1, 1) != x'02')`).Scan(&left)
	if err != nil || left != 0 {
		t.Errorf("%d rows hold a reason not sealed with the new key (%v)", left, err)
	}

	// A reason moved to another row does not open.
	execRaw(t, s.db.raw, `UPDATE judgements SET reason = (SELECT reason FROM judgements WHERE id = ?) WHERE id = ?`, flag.ID, confirm.ID)
	if _, err := s.Judgements(ctx, 0, "A"); err == nil {
		t.Error("a judgement whose reason was moved from another row reads without error")
	}
}
