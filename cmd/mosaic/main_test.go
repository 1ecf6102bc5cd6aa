package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"mosaic"
	"mosaic/internal/corpus"
	"mosaic/internal/network"
	"mosaic/internal/search"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// TestMain lets a test run this binary's main in a child process: the crash
// test needs a real process to kill.
func TestMain(m *testing.M) {
	if os.Getenv("MOSAIC_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// runMosaic runs one command line in this process.
func runMosaic(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), &env{stdout: &out, stderr: &errb}, args)
	return out.String(), errb.String(), code
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

const transcript = `BROADCAST TRANSCRIPT — EVENING SECURITY HOUR
Date: 14 March 2017

ANNOUNCER: Tonight we speak with the reporter Mireille Vandamme, who has followed the Harbour Cell for two years.
VANDAMME: Thank you. The men I interviewed in Charleroi all described the same recruiter, a man they called Abu Suhail al-Maghribi.
ANNOUNCER: Did any of them say they acted alone?
VANDAMME: The police said so at first. But one of them told me he was in touch with Abu Suhail weeks before the stabbing.
`

const fieldReport = `FIELD REPORT 2017/114
Subject: surveillance of a café in Molenbeek

On 2 March 2017 officers observed Abou Souhail meeting two young men. One of them later
called +32 2 555 0147. Contact: duty.officer@police.example.org
`

func TestIngestFolderSearchAndDuplicates(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	in := filepath.Join(dir, "in")
	writeFile(t, filepath.Join(in, "transcripts", "evening-hour.txt"), transcript)
	writeFile(t, filepath.Join(in, "reports", "fr-114.txt"), fieldReport)
	writeFile(t, filepath.Join(in, "reports", "scan.pdf"), "%PDF-1.7\n1 0 obj << /Type /Catalog >>\ntruncated here")

	out, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "press-desk", "--agency", "Press", in)
	if code != 1 {
		t.Errorf("ingest with a corrupt PDF: exit %d, want 1 (partial failure)\nstdout: %s\nstderr: %s", code, out, errs)
	}
	if !strings.Contains(errs, "scan.pdf") {
		t.Errorf("the corrupt PDF is not named in the output:\n%s", errs)
	}
	if !strings.Contains(out, "2 documents (2 new)") || !strings.Contains(out, "1 failed") {
		t.Errorf("summary: %s", out)
	}

	out, errs, code = runMosaic(t, "search", "--db", db, "--json", `"Abu Suhail"`)
	if code != 0 {
		t.Fatalf("search: exit %d: %s", code, errs)
	}
	var res struct {
		Total int         `json:"total"`
		Hits  []store.Hit `json:"hits"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("search --json: %v\n%s", err, out)
	}
	if res.Total != 1 || len(res.Hits) != 1 || res.Hits[0].Collections[0] != "press-desk" {
		t.Fatalf("search hits = %+v", res)
	}
	want := mosaic.NewDocID([]byte(transcript))
	if res.Hits[0].ID != want {
		t.Errorf("hit id %s, want the transcript's content hash %s", res.Hits[0].ID, want)
	}
	if len(res.Hits[0].Highlights) == 0 {
		t.Error("hit has no highlights")
	}

	// Text output names the id, the title and the collection.
	out, _, _ = runMosaic(t, "search", "--db", db, "molenbeek")
	if !strings.Contains(out, string(mosaic.NewDocID([]byte(fieldReport)))) || !strings.Contains(out, "press-desk") {
		t.Errorf("search output lacks id or collection:\n%s", out)
	}

	// A query may start with an exclusion; an unknown field is refused
	// with the known ones, and the word quoted is searched as text.
	for _, args := range [][]string{{"-transcript molenbeek"}, {"--json", "-transcript", "molenbeek"}, {"--", "-transcript", "molenbeek"}} {
		out, errs, code := runMosaic(t, append([]string{"search", "--db", db}, args...)...)
		if code != 0 || !strings.Contains(out, "-transcript") && !strings.Contains(out, `"query":"molenbeek -transcript"`) {
			t.Errorf("search %q: exit %d\n%s%s", args, code, out, errs)
		}
	}
	if out, errs, code := runMosaic(t, "search", "--db", db, "title:molenbeek"); code != 1 || !strings.Contains(errs, "unknown field title:molenbeek") || out != "" {
		t.Errorf("search title:molenbeek: exit %d, %q, %s", code, out, errs)
	}
	if _, errs, code := runMosaic(t, "search", "--db", db, `"title:molenbeek"`); code != 0 {
		t.Errorf("search quoted title:molenbeek: exit %d, %s", code, errs)
	}

	// The ID search prints opens the document, with its text, holding and
	// mentions; an ID of nothing stored, or not an ID, is refused.
	reportID := string(mosaic.NewDocID([]byte(fieldReport)))
	firstLine := strings.TrimSpace(strings.SplitN(fieldReport, "\n", 2)[0])
	out, errs, code = runMosaic(t, "show", "--db", db, "--mentions", reportID)
	if code != 0 || !strings.Contains(out, firstLine) ||
		!strings.Contains(out, "held by press-desk (Press)") || !strings.Contains(out, "mentions:") {
		t.Errorf("show %s: exit %d\n%s%s", reportID, code, out, errs)
	}
	var shown struct {
		mosaic.Document
		Holdings []store.Holding  `json:"holdings"`
		Mentions []mosaic.Mention `json:"mentions"`
	}
	out, _, _ = runMosaic(t, "show", "--db", db, "--json", reportID)
	if err := json.Unmarshal([]byte(out), &shown); err != nil || string(shown.ID) != reportID || !strings.Contains(shown.Text, firstLine) ||
		len(shown.Holdings) != 1 || len(shown.Mentions) == 0 {
		t.Errorf("show --json: %v\n%s", err, out)
	}
	for _, bad := range []string{strings.Repeat("0", 64), "c0ffee"} {
		if _, errs, code := runMosaic(t, "show", "--db", db, bad); code != 1 || errs == "" {
			t.Errorf("show %s: exit %d, %s", bad, code, errs)
		}
	}

	// Ingesting again adds nothing.
	out, _, _ = runMosaic(t, "ingest", "--db", db, "--collection", "press-desk", "--agency", "Press", in)
	if !strings.Contains(out, "(0 new)") {
		t.Errorf("second ingest: %s", out)
	}
	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, total, _ := st.Documents(context.Background(), store.DocumentFilter{}); total != 2 {
		t.Errorf("%d documents stored after two ingests, want 2", total)
	}
	// The mentions found by extraction were stored with the document.
	ms, err := st.Mentions(context.Background(), mosaic.NewDocID([]byte(fieldReport)), store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	types := map[mosaic.MentionType]bool{}
	for _, m := range ms {
		types[m.Type] = true
	}
	for _, typ := range []mosaic.MentionType{mosaic.Email, mosaic.Phone, mosaic.Date} {
		if !types[typ] {
			t.Errorf("no %s mention stored for the field report; got %+v", typ, ms)
		}
	}

	// The same collection cannot move to another agency.
	_, errs, code = runMosaic(t, "ingest", "--db", db, "--collection", "press-desk", "--agency", "Police", in)
	if code != 1 || !strings.Contains(errs, "belongs to agency") {
		t.Errorf("agency conflict: exit %d, %s", code, errs)
	}
}

// TestIngestBatch: --batch bounds the documents of one write transaction;
// one document a transaction loads the same documents, and less than one
// is refused before anything is read.
func TestIngestBatch(t *testing.T) {
	dir := t.TempDir()
	db := filepath.Join(dir, "db")
	in := filepath.Join(dir, "in")
	writeFile(t, filepath.Join(in, "evening-hour.txt"), transcript)
	writeFile(t, filepath.Join(in, "fr-114.txt"), fieldReport)
	if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "desk", "--batch", "0", in); code == 0 || !strings.Contains(errs, "--batch must be at least 1") {
		t.Errorf("--batch 0: exit %d, stderr %q; want a refusal naming --batch", code, errs)
	}
	out, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "desk", "--batch", "1", in)
	if code != 0 || !strings.Contains(out, "2 documents (2 new)") {
		t.Errorf("--batch 1: exit %d\nstdout: %s\nstderr: %s", code, out, errs)
	}
}

func TestExtractJSON(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "fr-114.txt")
	writeFile(t, path, fieldReport)
	out, errs, code := runMosaic(t, "extract", "--json", path)
	if code != 0 {
		t.Fatalf("extract: exit %d: %s", code, errs)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 1 {
		t.Fatalf("want one JSON line per file, got %d:\n%s", len(lines), out)
	}
	var got struct {
		File      string            `json:"file"`
		Mentions  []mosaic.Mention  `json:"mentions"`
		Relations []mosaic.Relation `json:"relations"`
	}
	if err := json.Unmarshal([]byte(lines[0]), &got); err != nil {
		t.Fatal(err)
	}
	if got.File != path || got.Relations == nil {
		t.Errorf("file %q, relations %v", got.File, got.Relations)
	}
	found := map[string]string{}
	for _, m := range got.Mentions {
		if fieldReport[m.Start:m.End] != m.Text {
			t.Errorf("mention %+v: offsets point at %q", m, fieldReport[m.Start:m.End])
		}
		found[m.Text] = string(m.Type)
	}
	for text, typ := range map[string]string{"duty.officer@police.example.org": "EMAIL", "+32 2 555 0147": "PHONE", "2 March 2017": "DATE"} {
		if found[text] != typ {
			t.Errorf("%q: type %q, want %s (found %v)", text, found[text], typ, found)
		}
	}
	_, errs, code = runMosaic(t, "extract", "--json", filepath.Join(dir, "missing.txt"))
	if code != 1 || !strings.Contains(errs, "missing.txt") {
		t.Errorf("missing file: exit %d, %s", code, errs)
	}
}

// TestCrashAndResume kills an ingest midway and runs it again: every file
// acknowledged before the kill is stored, and the second run completes the
// collection without storing anything twice.
func TestCrashAndResume(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test generates and ingests a corpus")
	}
	const n = 3000
	db, files, acked, _ := interruptIngest(t, 7, n, 500, syscall.SIGKILL)
	if len(acked) < 500 {
		t.Fatalf("only %d files acknowledged before the ingest ended", len(acked))
	}
	keptAcknowledged(t, db, acked, n, "killed")
	st := resumeIngest(t, db, files, n)
	ctx := context.Background()
	// Names the killed run stored but had not resolved were resolved by the
	// second run.
	if pending, err := st.Unresolved(ctx, 10); err != nil || len(pending) != 0 {
		t.Errorf("documents left unresolved after resuming: %v (%v)", pending, err)
	}
	// Every article's title says "questioned": the index holds each once.
	res, err := st.Search(ctx, store.SearchRequest{Query: search.Parse("questioned")})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != n {
		t.Errorf("the full-text index has %d entries for %d documents", res.Total, n)
	}
}

// interruptIngest generates n news reports from seed and ingests them with
// mosaic ingest --json in a child process, sending it sig once at least
// at files are acknowledged. It returns the data folder, the reports'
// folder, the IDs acknowledged and how the process exited.
func interruptIngest(t *testing.T, seed uint64, n, at int, sig os.Signal) (db, files string, acked []mosaic.DocID, exit error) {
	t.Helper()
	dir := t.TempDir()
	files, db = filepath.Join(dir, "corpus"), filepath.Join(dir, "db")
	if _, err := corpus.New(seed).Write(files, n); err != nil {
		t.Fatal(err)
	}
	cmd := mosaicProcess(t, "ingest", "--db", db, "--collection", "news", "--json", files)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	acked = acknowledged(t, stdout, at, func() {
		if err := cmd.Process.Signal(sig); err != nil {
			t.Fatal(err)
		}
	})
	return db, files, acked, waitExit(t, cmd, "ingest")
}

// acknowledged reads the JSON events of an ingest's stdout to their end
// and returns the IDs of the files it acknowledged as added; once at least
// at are, it calls stop, once.
func acknowledged(t *testing.T, stdout io.Reader, at int, stop func()) []mosaic.DocID {
	t.Helper()
	var acked []mosaic.DocID
	stopped := false
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		var ev struct {
			Outcome string         `json:"outcome"`
			IDs     []mosaic.DocID `json:"ids"`
		}
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			t.Fatalf("%v: %s", err, sc.Text())
		}
		if ev.Outcome == "added" {
			acked = append(acked, ev.IDs...)
		}
		if len(acked) >= at && !stopped {
			stopped = true
			stop()
		}
	}
	return acked
}

// keptAcknowledged checks that an ingest of n documents into db, stopped
// (how says how) before it finished, kept every document it acknowledged.
func keptAcknowledged(t *testing.T, db string, acked []mosaic.DocID, n int, how string) {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatalf("open after the ingest was %s: %v", how, err)
	}
	defer st.Close()
	_, stored, err := st.Documents(ctx, store.DocumentFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range acked {
		if _, _, err := st.Document(ctx, id, store.Scope{}); err != nil {
			t.Fatalf("acknowledged document %s lost: %v", id.Short(), err)
		}
	}
	if stored >= n {
		t.Fatalf("the ingest finished (%d documents) before it was %s; the test proves nothing", stored, how)
	}
	t.Logf("%s after %d acknowledged, %d stored", how, len(acked), stored)
}

// resumeIngest runs the stopped ingest of files into db again, checks the
// store then holds all n documents, and returns it open.
func resumeIngest(t *testing.T, db, files string, n int) *sqlite.Store {
	t.Helper()
	out, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "news", files)
	if code != 0 {
		t.Fatalf("resume: exit %d: %s", code, errs)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if _, total, _ := st.Documents(ctx, store.DocumentFilter{}); total != n {
		t.Errorf("%d documents after resuming, want %d\n%s", total, n, out)
	}
	return st
}

// sampleCase loads the bundled case into a new data folder with mosaic
// demo and returns the folder.
func sampleCase(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if out, errs, code := runMosaic(t, "demo", "--db", dir, "--load-only"); code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	return dir
}

// loneActorsJSON runs mosaic lone-actors --json with args and returns the
// people it lists.
func loneActorsJSON(t *testing.T, db string, args ...string) []network.LoneActor {
	t.Helper()
	out, errs, code := runMosaic(t, append([]string{"lone-actors", "--db", db, "--json"}, args...)...)
	if code != 0 {
		t.Fatalf("lone-actors: exit %d\n%s", code, errs)
	}
	var res struct {
		LoneActors []network.LoneActor `json:"lone_actors"`
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("lone-actors: %v\n%s", err, out)
	}
	return res.LoneActors
}

func TestDemoLoadsSampleCase(t *testing.T) {
	dir := t.TempDir()
	out, errs, code := runMosaic(t, "demo", "--db", dir, "--load-only")
	if code != 0 {
		t.Fatalf("demo: exit %d\n%s\n%s", code, out, errs)
	}
	// --db means the data folder here as for every command.
	if out, errs, code := runMosaic(t, "search", "--db", dir, `"Abu Sulayman"`); code != 0 || !strings.Contains(out, "documents match") {
		t.Errorf("search --db the demo's folder: exit %d\n%s%s", code, out, errs)
	}
	ctx := context.Background()
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	cs, err := st.Collections(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	agencies := map[string]bool{}
	docs := 0
	for _, c := range cs {
		agencies[c.Agency] = true
		docs += c.Documents
	}
	if len(agencies) < 3 || docs < 30 {
		t.Errorf("sample case: %d documents across %d agencies, want ≥ 30 across 3", docs, len(agencies))
	}
	if strings.Contains(errs, "failed:") {
		t.Errorf("sample files failed to load:\n%s", errs)
	}
}

func TestOneIngestAtATime(t *testing.T) {
	db := t.TempDir()
	release, err := lockIngest(db)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "a.txt")
	writeFile(t, path, "A short report.")
	_, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "c", path)
	if code != 1 || !strings.Contains(errs, "another mosaic ingest is loading into") {
		t.Errorf("ingest while another holds the lock: exit %d, %s", code, errs)
	}
	release()
	if _, errs, code := runMosaic(t, "ingest", "--db", db, "--collection", "c", path); code != 0 {
		t.Errorf("ingest after the lock is released: exit %d, %s", code, errs)
	}
}
