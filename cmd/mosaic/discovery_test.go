package main

import (
	"context"
	"encoding/json"
	"encoding/pem"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"mosaic/internal/discovery"
)

// discoveryServer ingests files into a new data folder as one agency's
// collection and returns the folder.
func discoveryServer(t *testing.T, agency string, files map[string]string) string {
	t.Helper()
	return discoveryServerAt(t, t.TempDir(), agency, files)
}

// discoveryServerAt is discoveryServer with the store at db (a data folder
// or a PostgreSQL address).
func discoveryServerAt(t *testing.T, db, agency string, files map[string]string) string {
	t.Helper()
	src := t.TempDir()
	for name, text := range files {
		writeFile(t, filepath.Join(src, name), text)
	}
	if out, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", agency+"-files", "--agency", agency, src); code != 0 {
		t.Fatalf("ingest %s: exit %d\n%s%s", agency, code, out, errs)
	}
	return db
}

// discoveryQuery runs mosaic discovery query --json and returns the hits
// as "peer/agency/bucket" strings.
func discoveryQueryHits(t *testing.T, db, key, q string) []string {
	t.Helper()
	out, errs, code := runMosaic(t, "discovery", "query", "--db", db, "--linkage-key", key, "--json", q)
	if code != 0 {
		t.Fatalf("query %q: exit %d\n%s%s", q, code, out, errs)
	}
	var res struct {
		Hits []discovery.PeerHit `json:"hits"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("query %q: %v\n%s", q, err, out)
	}
	hits := []string{}
	for _, h := range res.Hits {
		hits = append(hits, h.Peer+"/"+h.Agency+"/"+h.Bucket)
	}
	return hits
}

// TestDiscoveryExportImportQuery runs two data folders that share only a
// linkage key: each exports its agency's index, the other imports it, and
// a query finds the other's holdings and not its own.
func TestDiscoveryExportImportQuery(t *testing.T) {
	paris := discoveryServer(t, "paris", map[string]string{
		"transcript.txt": transcript,
		"note.txt":       "Note: Karim Benali wrote from karim.b@example.net about the Harbour Cell.\n",
	})
	brussels := discoveryServer(t, "brussels", map[string]string{"field-report.txt": fieldReport})
	shared := t.TempDir()
	key := filepath.Join(shared, "linkage.key")
	if out, errs, code := runMosaic(t, "discovery", "key", "--out", key); code != 0 {
		t.Fatalf("key: exit %d\n%s%s", code, out, errs)
	}
	if info, err := os.Stat(key); err != nil || info.Mode().Perm() != 0o600 {
		t.Fatalf("key file: %v, mode %v; want 0600", err, info.Mode())
	}
	if _, _, code := runMosaic(t, "discovery", "key", "--out", key); code == 0 {
		t.Error("key over an existing key file: exit 0, want a refusal")
	}
	for _, s := range []struct{ db, agency, peerDB string }{{paris, "paris", brussels}, {brussels, "brussels", paris}} {
		out := filepath.Join(shared, s.agency+".json")
		if stdout, errs, code := runMosaic(t, "discovery", "export", "--db", s.db, "--agency", s.agency, "--linkage-key", key, "--out", out); code != 0 || !strings.Contains(stdout, "records") {
			t.Fatalf("export %s: exit %d\n%s%s", s.agency, code, stdout, errs)
		}
		data, err := os.ReadFile(out)
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range []string{"Abu Suhail", "Suhail", "Maghribi", "Vandamme", "Benali", "karim.b", "Souhail", "5550147", "duty.officer"} {
			if strings.Contains(strings.ToLower(string(data)), strings.ToLower(name)) {
				t.Errorf("index of %s holds %q in clear", s.agency, name)
			}
		}
		if stdout, errs, code := runMosaic(t, "discovery", "import", "--db", s.peerDB, "--peer", s.agency, out); code != 0 || !strings.Contains(stdout, "imported peer "+s.agency) {
			t.Fatalf("import %s: exit %d\n%s%s", s.agency, code, stdout, errs)
		}
	}
	tests := []struct {
		at, q string
		want  string
	}{
		// Both hold the recruiter, spelt two ways.
		{paris, "Abu Suhail al-Maghribi", "[brussels/brussels/1]"},
		{brussels, "Abou Souhail", "[paris/paris/1]"},
		// Only brussels holds the number and the address.
		{paris, "+32 2 555 0147", "[brussels/brussels/1]"},
		{paris, "duty.officer@police.example.org", "[brussels/brussels/1]"},
		{brussels, "+32 2 555 0147", "[]"},
		// Only paris holds Karim Benali and his address.
		{brussels, "Karim Benali", "[paris/paris/1]"},
		{brussels, "karim.b@example.net", "[paris/paris/1]"},
		{paris, "Karim Benali", "[]"},
		{paris, "Someone Unheard Of", "[]"},
	}
	for _, tt := range tests {
		at := map[string]string{paris: "paris", brussels: "brussels"}[tt.at]
		if got := "[" + strings.Join(discoveryQueryHits(t, tt.at, key, tt.q), " ") + "]"; got != tt.want {
			t.Errorf("query %q at %s: %s, want %s", tt.q, at, got, tt.want)
		}
	}
	out, errs, code := runMosaic(t, "discovery", "query", "--db", paris, "--linkage-key", key, "Abu Suhail")
	if code != 0 || !strings.Contains(out, "brussels  hit") {
		t.Errorf("query as text: exit %d\n%s%s", code, out, errs)
	}
	// Another key is told, not answered with misses.
	other := filepath.Join(shared, "other.key")
	runMosaic(t, "discovery", "key", "--out", other)
	if out, errs, code := runMosaic(t, "discovery", "query", "--db", paris, "--linkage-key", other, "Abu Suhail"); code == 0 || !strings.Contains(errs, "another linkage key") {
		t.Errorf("query under another key: exit %d\n%s%s", code, out, errs)
	}
	if _, errs, code := runMosaic(t, "discovery", "export", "--db", paris, "--agency", "paris", "--collections", "brussels-files", "--linkage-key", key); code == 0 || !strings.Contains(errs, "not a collection of this agency") {
		t.Errorf("export of another agency's collection: exit %d\n%s", code, errs)
	}
	if _, errs, code := runMosaic(t, "discovery", "export", "--db", paris, "--linkage-key", key, "--out", filepath.Join(shared, "x.json")); code != exitUsage || !strings.Contains(errs, "--agency") {
		t.Errorf("export without --agency: exit %d\n%s", code, errs)
	}
}

// TestDiscoveryPull serves one data folder's index as 'mosaic serve' would
// (discovery.ServerHandler) and pulls it into another over TLS with the
// token 'mosaic discovery token' gave, checking the certificate against a
// CA file.
func TestDiscoveryPull(t *testing.T) {
	testDiscoveryPull(t, discoveryServer(t, "brussels", map[string]string{"field-report.txt": fieldReport}), t.TempDir())
}

// TestDiscoveryPullPostgres is TestDiscoveryPull between two PostgreSQL
// databases, which keep the index served, the tokens' digests and the
// peers' indexes in a table.
func TestDiscoveryPullPostgres(t *testing.T) {
	brussels, paris := pgTestDB(t), pgTestDB(t)
	testDiscoveryPull(t, discoveryServerAt(t, brussels, "brussels", map[string]string{"field-report.txt": fieldReport}), paris)
}

func testDiscoveryPull(t *testing.T, brussels, paris string) {
	dir := t.TempDir()
	key := filepath.Join(dir, "linkage.key")
	runMosaic(t, "discovery", "key", "--out", key)
	if out, errs, code := runMosaic(t, "discovery", "export", "--db", brussels, "--agency", "brussels", "--linkage-key", key); code != 0 {
		t.Fatalf("export: exit %d\n%s%s", code, out, errs)
	}
	out, errs, code := runMosaic(t, "discovery", "token", "--db", brussels, "--peer", "paris")
	if code != 0 {
		t.Fatalf("token: exit %d\n%s%s", code, out, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	token := lines[len(lines)-1]
	files, closeFiles, err := discoveryFiles(context.Background(), brussels)
	if err != nil {
		t.Fatal(err)
	}
	defer closeFiles()
	ts := httptest.NewTLSServer(discovery.ServerHandler(files))
	defer ts.Close()
	ca := filepath.Join(dir, "ca.pem")
	writeFile(t, ca, string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ts.Certificate().Raw})))
	tokenFile := filepath.Join(dir, "token")
	writeFile(t, tokenFile, token+"\n")
	pull := func(tokenFile, ca string) (string, string, int) {
		return runMosaic(t, "discovery", "pull", "--db", paris, "--peer", "brussels", "--url", ts.URL+discovery.ExchangePath,
			"--token-file", tokenFile, "--ca-file", ca)
	}
	if out, errs, code := pull(tokenFile, ca); code != 0 || !strings.Contains(out, "pulled peer brussels") {
		t.Fatalf("pull: exit %d\n%s%s", code, out, errs)
	}
	if got := strings.Join(discoveryQueryHits(t, paris, key, "Abou Souhail"), " "); got != "brussels/brussels/1" {
		t.Errorf("after the pull: %q, want brussels/brussels/1", got)
	}
	wrong := filepath.Join(dir, "wrong-token")
	other, _ := discovery.NewToken()
	writeFile(t, wrong, other)
	if out, errs, code := pull(wrong, ca); code == 0 || !strings.Contains(errs, "401") || strings.Contains(errs, other) {
		t.Errorf("pull with a token the peer did not give: exit %d\n%s%s", code, out, errs)
	}
	if _, errs, code := runMosaic(t, "discovery", "token", "--db", brussels, "--peer", "paris", "--revoke"); code != 0 {
		t.Fatalf("revoke: exit %d\n%s", code, errs)
	}
	if out, errs, code := pull(tokenFile, ca); code == 0 || !strings.Contains(errs, "401") {
		t.Errorf("pull with a revoked token: exit %d\n%s%s", code, out, errs)
	}
}

// TestDiscoverySampleCase exports each agency of the bundled sample case
// and checks the index answers for a name the case holds, logging the time
// and size (the README's figures).
func TestDiscoverySampleCase(t *testing.T) {
	if testing.Short() {
		t.Skip("loads the sample case")
	}
	db := sampleCase(t)
	key := filepath.Join(t.TempDir(), "linkage.key")
	runMosaic(t, "discovery", "key", "--out", key)
	out, errs, code := runMosaic(t, "collection", "list", "--db", db, "--json")
	if code != 0 {
		t.Fatalf("collection list: exit %d\n%s", code, errs)
	}
	var res struct {
		Collections []struct{ Agency string } `json:"collections"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	agencies := map[string]bool{}
	for _, c := range res.Collections {
		agencies[c.Agency] = true
	}
	peer := t.TempDir()
	for agency := range agencies {
		file := filepath.Join(t.TempDir(), agency+".json")
		start := time.Now()
		out, errs, code := runMosaic(t, "discovery", "export", "--db", db, "--agency", agency, "--linkage-key", key, "--out", file)
		if code != 0 {
			t.Fatalf("export %s: exit %d\n%s", agency, code, errs)
		}
		t.Logf("%s (%s with the command line)", strings.TrimSpace(out), time.Since(start).Round(time.Millisecond))
		name := strings.ReplaceAll(agency, " ", "-")
		if _, errs, code := runMosaic(t, "discovery", "import", "--db", peer, "--peer", name, file); code != 0 {
			t.Fatalf("import %s: exit %d\n%s", agency, code, errs)
		}
	}
	if hits := discoveryQueryHits(t, peer, key, "Abu Sulayman"); len(hits) == 0 {
		t.Error("Abu Sulayman, whom the sample case names: no hit in any agency's index")
	}
}
