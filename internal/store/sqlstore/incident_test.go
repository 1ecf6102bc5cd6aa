package sqlstore

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// TestIncidentSealed checks that an incident's summary, city and approximate
// date are in neither the database nor its log in clear, while the country
// name, kept in clear for filtering, is found there (so the search for the
// others can find what is there); and that a key rotation seals incidents
// anew, so only the new key opens them.
func TestIncidentSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	oldKey, newKey := mustKey(t), mustKey(t)
	s := openKeyed(t, dir, oldKey)
	if _, err := s.EnsureCollection(ctx, "gtd", "Police"); err != nil {
		t.Fatal(err)
	}
	secret := []string{"Grimsditch lorry bombed near Quellmoor", "Tantallon Reach", "around the Fendrake festival"}
	in := mosaic.Incident{EventID: "201607140001",
		Date:    mosaic.IncidentDate{Year: 2016, Month: mosaic.Some[time.Month](7), Day: mosaic.Some(14)},
		Country: mosaic.Code{ID: 999, Name: "Ruritania"}, City: secret[1], ApproxDate: secret[2], Summary: secret[0],
		Sources: []mosaic.IncidentSource{{Name: "GTD", Row: 2}}}
	ids, err := s.AddIncidents(ctx, "gtd", []mosaic.Incident{in})
	if err != nil {
		t.Fatal(err)
	}
	// A repeated event seals the body anew, with a source more.
	in.Sources = []mosaic.IncidentSource{{Name: "GTD", Row: 3}}
	if _, err := s.AddIncidents(ctx, "gtd", []mosaic.Incident{in}); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, FileName+"-wal"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(b, []byte("ruritania")) {
		t.Fatal("the log does not hold the country name kept in clear: the search for the sealed values proves nothing")
	}
	assertAbsent(t, dir, secret)

	check := func(s *Store) {
		t.Helper()
		got, err := s.Incident(ctx, ids[0], store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		if got.Summary != secret[0] || got.City != secret[1] || len(got.Sources) != 2 {
			t.Errorf("incident reads back as %+v", got)
		}
	}
	if err := s.RotateKey(ctx, newKey, nil); err != nil {
		t.Fatal(err)
	}
	check(s)
	s.Close()
	assertAbsent(t, dir, secret)
	if _, err := OpenSQLite(ctx, dir, WithKey(oldKey)); err == nil {
		t.Fatal("the old key still opens the store")
	}
	s = openKeyed(t, dir, newKey)
	defer s.Close()
	check(s)
	var left int
	if err := s.db.raw.QueryRow(`SELECT count(*) FROM incidents WHERE substr(body, 1, 1) != x'02'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d incidents not sealed with the new key (%v)", left, err)
	}
}
