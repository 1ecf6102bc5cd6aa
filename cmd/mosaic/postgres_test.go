package main

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"mosaic/internal/auth"
	"mosaic/internal/search"
	"mosaic/internal/store"
	"mosaic/internal/store/postgres"
	"mosaic/internal/store/sqlstore"
)

// pgTestDB returns the address of a fresh schema on the test server
// ($MOSAIC_TEST_POSTGRES), dropped when the test ends, and sets the key
// the commands seal with.
func pgTestDB(t *testing.T) string {
	t.Helper()
	base := os.Getenv("MOSAIC_TEST_POSTGRES")
	if base == "" {
		t.Skip("no PostgreSQL server: set MOSAIC_TEST_POSTGRES (scripts/postgres.sh start)")
	}
	ctx := context.Background()
	schema := fmt.Sprintf("cmd_%d", time.Now().UnixNano())
	db, err := postgres.InSchema(ctx, base, schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := postgres.DropSchema(context.Background(), base, schema); err != nil {
			t.Error(err)
		}
	})
	key, err := sqlstore.NewKey()
	if err != nil {
		t.Fatal(err)
	}
	t.Setenv(sqlstore.EnvKeyFile, "")
	t.Setenv(sqlstore.EnvKey, base64.StdEncoding.EncodeToString(key))
	return db
}

// TestPostgresSampleCase loads the sample case into PostgreSQL and into a
// data folder with the same commands, and checks that both answer alike:
// search, the lone-actor check, an entity's profile. Then it serves the
// PostgreSQL store to readers while an ingest into the same database
// runs, and checks that every read is answered.
func TestPostgresSampleCase(t *testing.T) {
	pg := pgTestDB(t)
	dir := t.TempDir()
	for _, db := range []string{pg, dir} {
		if out, errs, code := runMosaic(t, "demo", "--db", db, "--load-only"); code != 0 {
			t.Fatalf("demo --db %s: exit %d\n%s\n%s", displayDB(db), code, out, errs)
		}
	}
	both := func(args ...string) [2]string {
		t.Helper()
		var outs [2]string
		for i, db := range []string{pg, dir} {
			out, errs, code := runMosaic(t, append([]string{args[0], "--db", db}, args[1:]...)...)
			if code != 0 {
				t.Fatalf("%s --db %s: exit %d\n%s%s", args[0], displayDB(db), code, out, errs)
			}
			outs[i] = out
		}
		return outs
	}
	// Search: the same documents, and mostly the same first five (the
	// two rank alike, not identically).
	for _, q := range []string{"Mansour", `"Abu Sulayman"`, "recruit*", "Bouzidi -Shakir"} {
		var res [2]struct {
			Total int `json:"total"`
			Hits  []struct {
				ID string `json:"id"`
			} `json:"hits"`
		}
		for i, out := range both("search", "--json", "--limit", "100", q) {
			if err := json.Unmarshal([]byte(out), &res[i]); err != nil {
				t.Fatalf("search %s: %v", q, err)
			}
		}
		ids := func(k int) []string {
			var out []string
			for _, h := range res[k].Hits {
				out = append(out, h.ID)
			}
			slices.Sort(out)
			return out
		}
		top := func(k, n int) []string {
			var out []string
			for _, h := range res[k].Hits[:min(n, len(res[k].Hits))] {
				out = append(out, h.ID)
			}
			return out
		}
		if res[0].Total == 0 || res[0].Total != res[1].Total || !slices.Equal(ids(0), ids(1)) {
			t.Errorf("search %s: PostgreSQL finds %d documents, SQLite %d, or other ones", q, res[0].Total, res[1].Total)
		} else if shared := len(slices.DeleteFunc(top(0, 5), func(id string) bool { return !slices.Contains(top(1, 5), id) })); shared < min(3, res[0].Total) {
			// Near ties (the records of one phone export, say) may come in
			// another order; most of the first five must be the same.
			t.Errorf("search %s: the first five share %d documents: PostgreSQL %v, SQLite %v", q, shared, top(0, 5), top(1, 5))
		}
	}
	// The lone-actor check: the same people, linked to the same organiser
	// by the same path.
	type actor struct {
		Name   string `json:"name"`
		Linked bool   `json:"linked"`
		Path   *struct {
			Hops []struct {
				Edge struct {
					Types []string `json:"types"`
				} `json:"edge"`
			} `json:"hops"`
		} `json:"path"`
	}
	var actors [2]struct {
		LoneActors []actor `json:"lone_actors"`
	}
	for i, out := range both("lone-actors", "--json") {
		if err := json.Unmarshal([]byte(out), &actors[i]); err != nil {
			t.Fatalf("lone-actors: %v", err)
		}
	}
	pj, _ := json.Marshal(actors[0].LoneActors)
	sj, _ := json.Marshal(actors[1].LoneActors)
	if a, b := string(pj), string(sj); a != b || len(actors[0].LoneActors) == 0 {
		t.Errorf("lone actors differ:\nPostgreSQL %s\nSQLite     %s", a, b)
	}

	// Readers while an ingest runs: the web server on the database, and
	// an ingest of a folder of new reports into it at the same time.
	ctx := context.Background()
	st, err := postgres.Open(ctx, pg)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	token := auth.NewToken()
	if _, err := st.AddToken(ctx, "ctu-analyst", "test", auth.Digest(token)); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(newServer(st, nil).Handler())
	defer srv.Close()
	files := t.TempDir()
	for i := range 60 {
		writeFile(t, filepath.Join(files, fmt.Sprintf("r%02d.txt", i)),
			fmt.Sprintf("Report %d. Zakaria Mansour met Karim Bouzidi in Sparkhill on %d March 2017.", i, i%28+1))
	}
	var wg sync.WaitGroup
	wg.Add(1)
	var ingestOut, ingestErr string
	var ingestCode int
	go func() {
		defer wg.Done()
		ingestOut, ingestErr, ingestCode = runMosaic(t, "ingest", "--db", pg, "--collection", "ctu-reports", "--agency", "Arden Constabulary CTU", files)
	}()
	reads := 0
	deadline := time.Now().Add(2 * time.Minute)
	for done := false; !done && time.Now().Before(deadline); {
		for _, path := range []string{"/api/v1/search?q=Mansour", "/api/v1/lone-actors", "/api/v1/collections"} {
			req, _ := http.NewRequest("GET", srv.URL+path, nil)
			req.Header.Set("Authorization", "Bearer "+token)
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body map[string]any
			err = json.NewDecoder(res.Body).Decode(&body)
			res.Body.Close()
			if res.StatusCode != 200 || err != nil {
				t.Fatalf("GET %s while ingesting: %d %v", path, res.StatusCode, err)
			}
			reads++
		}
		done = ingestDone(&wg)
	}
	wg.Wait()
	if ingestCode != 0 {
		t.Fatalf("ingest into PostgreSQL: exit %d\n%s%s", ingestCode, ingestOut, ingestErr)
	}
	res, err := st.Search(ctx, store.SearchRequest{Query: search.Parse("sparkhill"), Limit: 1})
	if err != nil || res.Total < 60 {
		t.Errorf("after the ingest, search finds %d documents naming Sparkhill (err %v), want the 60 reports and more", res.Total, err)
	}
	t.Logf("%d reads answered while 60 reports were ingested", reads)
}

// ingestDone reports whether the ingest's goroutine has finished.
func ingestDone(wg *sync.WaitGroup) bool {
	c := make(chan struct{})
	go func() { wg.Wait(); close(c) }()
	select {
	case <-c:
		return true
	case <-time.After(10 * time.Millisecond):
		return false
	}
}

// TestPostgresKeyRotation rotates a PostgreSQL store's key from the command
// line: afterwards the old key no longer opens it, and the new one, given
// as the command says, finds what was stored before.
func TestPostgresKeyRotation(t *testing.T) {
	pg := pgTestDB(t)
	files := t.TempDir()
	if err := os.WriteFile(filepath.Join(files, "note.txt"), []byte("The courier Vexborough met the broker in Antwerp.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, errs, code := runMosaic(t, "ingest", "--db", pg, "--collection", "notes", files); code != 0 {
		t.Fatalf("ingest: exit %d\n%s%s", code, out, errs)
	}
	newKey := filepath.Join(t.TempDir(), "new.key")
	if out, errs, code := runMosaic(t, "key", "new", "--out", newKey); code != 0 {
		t.Fatalf("key new: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code := runMosaic(t, "key", "rotate", "--db", pg, "--new-key-file", newKey)
	if code != 0 || !strings.Contains(out, "set MOSAIC_KEY_FILE="+newKey) || strings.Contains(out, "password") {
		t.Fatalf("key rotate: exit %d\n%s%s", code, out, errs)
	}
	if _, errs, code := runMosaic(t, "search", "--db", pg, "vexborough"); code == 0 || !strings.Contains(errs, "key") {
		t.Errorf("search with the old key: exit %d, %s; want a refusal naming the key", code, errs)
	}
	t.Setenv(sqlstore.EnvKey, "")
	t.Setenv(sqlstore.EnvKeyFile, newKey)
	out, errs, code = runMosaic(t, "search", "--db", pg, "--json", "vexborough")
	var res struct {
		Total int `json:"total"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &res) != nil || res.Total != 1 {
		t.Errorf("search with the new key: exit %d, %d found\n%s%s", code, res.Total, out, errs)
	}
}
