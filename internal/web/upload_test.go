package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"os"
	"runtime"
	"strings"
	"sync"
	"testing"

	"mosaic/internal/document"
	"mosaic/internal/extract"
	"mosaic/internal/extract/ner"
	"mosaic/internal/store"
)

// uploadExtractor is the extractor `mosaic serve` gives the Loader: the
// patterns and the named-entity model, loaded once for every test.
var uploadExtractor = sync.OnceValue(func() *extract.Extractor {
	return extract.New(append(extract.Patterns(), ner.Recognizer())...)
})

// uploadBoundary separates the parts of the uploads the tests build, so
// that the matrix's call can name it.
const uploadBoundary = "mosaic-upload-test-boundary"

// upFile is one file of an upload: the name as sent, raw, and its bytes.
type upFile struct {
	name string
	body []byte
}

// multipartOf builds an upload's body. The Content-Disposition is written
// by hand, as a hostile client would, so that a name with a path or bytes
// that are not UTF-8 reaches the server as sent; a name starting "*" is
// sent as RFC 2231's filename*, percent-encoded.
func multipartOf(files ...upFile) string {
	var buf bytes.Buffer
	w := multipart.NewWriter(&buf)
	if err := w.SetBoundary(uploadBoundary); err != nil {
		panic(err)
	}
	for _, f := range files {
		h := textproto.MIMEHeader{}
		cd := `form-data; name="file"; filename="` + strings.ReplaceAll(f.name, `"`, `\"`) + `"`
		if strings.HasPrefix(f.name, "*") {
			// An RFC 2231 name, which may encode any byte.
			cd = `form-data; name="file"; filename*=UTF-8''` + f.name[1:]
		}
		h.Set("Content-Disposition", cd)
		h.Set("Content-Type", "application/octet-stream")
		p, err := w.CreatePart(h)
		if err != nil {
			panic(err)
		}
		p.Write(f.body)
	}
	w.Close()
	return buf.String()
}

// uploadProbes exercise the upload: into a new collection of the caller's
// agency (made by the first pass, held by the second), into one of the
// other agency's (bravoOpen, which alpha may read once granted, stays
// bravo's), and for bravo's restricted analyst into bravoSecret, which is
// its agency's but labelled above its clearance.
func uploadProbes(f *matrix, c who) []probe {
	body := multipartOf(upFile{"note-" + c.String() + ".txt", []byte("A short note that names no one, uploaded by " + c.String() + ".\n")})
	ps := []probe{
		{"new", "POST", "/api/v1/collections/uploads-" + c.String() + "/documents", body, dealWant(c, http.StatusOK)},
		{"foreign", "POST", "/api/v1/collections/" + bravoOpen + "/documents", body, dealWant(c, http.StatusNotFound)},
	}
	if c.agency == bravo {
		ps[1] = probe{"foreign", "POST", "/api/v1/collections/" + alphaMain + "/documents", body, dealWant(c, http.StatusNotFound)}
	}
	if c.restricted {
		ps = append(ps, probe{"above clearance", "POST", "/api/v1/collections/" + bravoSecret + "/documents", body, http.StatusNotFound})
	}
	return ps
}

// uploadAs sends an upload as the caller and returns the status and the
// answer's lines: the files' and, last, the summary.
func uploadAs(t *testing.T, h http.Handler, token, collection, body string) (int, []uploadLine, uploadSummary, string) {
	t.Helper()
	req := httptest.NewRequest("POST", "/api/v1/collections/"+collection+"/documents", strings.NewReader(body))
	req.Host = "localhost"
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "multipart/form-data; boundary="+uploadBoundary)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return decodeUpload(t, rec.Code, rec.Body.String())
}

func decodeUpload(t *testing.T, code int, out string) (int, []uploadLine, uploadSummary, string) {
	t.Helper()
	var lines []uploadLine
	var sum uploadSummary
	if code != http.StatusOK {
		return code, nil, sum, out
	}
	sc := bufio.NewScanner(strings.NewReader(out))
	for sc.Scan() {
		if strings.HasPrefix(sc.Text(), `{"summary"`) {
			if err := json.Unmarshal(sc.Bytes(), &sum); err != nil {
				t.Fatalf("summary %s: %v", sc.Text(), err)
			}
			continue
		}
		var l uploadLine
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			t.Fatalf("line %s: %v", sc.Text(), err)
		}
		lines = append(lines, l)
	}
	if !strings.HasSuffix(strings.TrimSpace(out), "}") || !strings.Contains(out, `{"summary"`) {
		t.Fatalf("the answer has no summary line: %s", out)
	}
	return code, lines, sum, out
}

// collectionDocs returns the titles of the documents a collection holds,
// and its agency ("" when there is no such collection).
func collectionDocs(t *testing.T, st *matrix, name string) (titles []string, agency string) {
	t.Helper()
	ctx := context.Background()
	cs, err := st.store.Collections(ctx, store.Scope{})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		if c.Name == name {
			agency = c.Agency
		}
	}
	l, err := st.store.DocumentsPage(ctx, store.DocumentFilter{Collection: name, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range l.Documents {
		titles = append(titles, d.Title)
	}
	return titles, agency
}

// The files of TestUpload: a report, a corrupt PDF, a CSV of two records,
// and a CSV whose quote never closes.
var (
	uploadReport = upFile{"harbour-report.txt", []byte("Harbour report\n\nMarek Dvoransky met Ilse Kvartova in Rotterdam on 3 March 2021.\n" +
		"Marek Dvoransky paid the Veltmar Shipping Company for a container.\n")}
	uploadCorruptPDF = upFile{"ledger.pdf", []byte("%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 2 0 R >>\nthis is no PDF body at all\n%%EOF\n")}
	uploadCSV        = upFile{"contacts.csv", []byte("name,phone,note\nOskar Lindqvarn,+46 70 123 45 67,met at the quay\nPetra Sollenberg,+46 70 765 43 21,drives the van\n")}
	uploadBadCSV     = upFile{"broken.csv", []byte("name,note\n\"Unclosed quote,never ends\nRuna Falkmoor,fine\n")}
)

// TestUpload loads real files through the API into a new collection of
// alpha's: each answered by a line of its own, as stored, the hostile
// ones refused by name with nothing of them stored, and the good ones
// found by search afterwards.
func TestUpload(t *testing.T) {
	f := newMatrix(t)
	tmp := t.TempDir()
	f.srv.Loader.TempDir = tmp
	analyst := who{agency: alpha, role: store.Analyst}
	files := []upFile{
		uploadReport,
		uploadCorruptPDF,
		uploadCSV,
		uploadBadCSV,
		{"../../escaped.txt", []byte("Teodor Vasken escaped upward.\n")},
		{"bad\xff\xfename.txt", []byte("Name of bytes that are not UTF-8.\n")},
		{"*bell%07.txt", []byte("A control character.\n")},
		{"empty.txt", nil},
	}
	code, lines, sum, out := uploadAs(t, f.h, f.tokens[analyst], "alpha-uploads", multipartOf(files...))
	if code != http.StatusOK {
		t.Fatalf("upload: %d %s", code, out)
	}
	t.Logf("answer:\n%s", out)
	if len(lines) != len(files) {
		t.Fatalf("%d lines for %d files: %s", len(lines), len(files), out)
	}
	byIndex := map[int]uploadLine{}
	for _, l := range lines {
		if _, dup := byIndex[l.Index]; dup {
			t.Errorf("file %d answered twice", l.Index)
		}
		byIndex[l.Index] = l
		if strings.Contains(l.Reason, tmp) || strings.Contains(l.Reason, "mosaic-upload-") {
			t.Errorf("%s: the reason names the server's copy: %s", l.File, l.Reason)
		}
	}
	for _, tc := range []struct {
		i         int
		file      string
		outcome   string
		documents int
		reason    string
	}{
		{0, "harbour-report.txt", "added", 1, ""},
		{1, "ledger.pdf", "failed", 0, "ledger.pdf"},
		{2, "contacts.csv", "added", 2, ""},
		{3, "broken.csv", "added", 1, ""},
		{4, "../../escaped.txt", "failed", 0, "is a path, not a file name"},
		{5, "bad\uFFFDname.txt", "failed", 0, "not valid UTF-8"},
		{6, "bell\a.txt", "failed", 0, "control characters"},
		{7, "empty.txt", "added", 1, ""}, // as `mosaic ingest` stores one
	} {
		l := byIndex[tc.i]
		if l.File != tc.file || tc.outcome != "" && string(l.Outcome) != tc.outcome ||
			tc.documents >= 0 && l.Documents != tc.documents || !strings.Contains(l.Reason, tc.reason) {
			t.Errorf("file %d: %+v, want %s %s with %d documents, reason holding %q", tc.i, l, tc.file, tc.outcome, tc.documents, tc.reason)
		}
		if tc.outcome == "failed" && l.Reason == "" {
			t.Errorf("file %d (%s) failed with no reason", tc.i, l.File)
		}
	}
	// The CSV reader reads a broken quote leniently, and says so.
	if l := byIndex[3]; len(l.Warnings) != 1 || !strings.Contains(l.Warnings[0], "quotes malformed from line 2") {
		t.Errorf("the broken CSV's warnings: %q", l.Warnings)
	}
	if l := byIndex[0]; l.New != 1 || len(l.IDs) != 1 {
		t.Errorf("the report: %+v, want one new document", l)
	}
	if sum.Summary.Files != len(files) || sum.Summary.Added != 4 || sum.Summary.Warned != 1 || sum.Summary.Failed+sum.Summary.Skipped+sum.Summary.Added+sum.Summary.Held != len(files) || sum.Error != "" {
		t.Errorf("summary %+v", sum)
	}

	// The store holds the report and the CSV's records in a collection of
	// alpha's, nothing of the refused files, and no copy is left behind.
	titles, agency := collectionDocs(t, f, "alpha-uploads")
	if agency != alpha {
		t.Errorf("alpha-uploads belongs to %q, want %s", agency, alpha)
	}
	joined := strings.Join(titles, "|")
	if !strings.Contains(joined, "Harbour report") && !strings.Contains(joined, "harbour-report") {
		t.Errorf("the report is not stored: %q", titles)
	}
	// Each document names the file as it was sent, not the server's
	// temporary copy.
	d, _, err := f.store.Document(context.Background(), byIndex[0].IDs[0], store.Scope{})
	if err != nil || d.Source != "harbour-report.txt" {
		t.Errorf("the report's source is %q (%v), want harbour-report.txt", d.Source, err)
	}
	for _, refused := range []string{"escaped", "UTF-8", "control", "ledger"} {
		if strings.Contains(strings.ToLower(joined), strings.ToLower(refused)) {
			t.Errorf("a refused file is stored: %q", titles)
		}
	}
	_, search := f.call(t, analyst, "GET", "/api/v1/search?q=Dvoransky", "")
	if !strings.Contains(search, string(byIndex[0].IDs[0])) {
		t.Errorf("search finds no uploaded report: %s", search)
	}
	_, search = f.call(t, analyst, "GET", "/api/v1/search?q=escaped", "")
	if strings.Contains(search, "escaped upward") {
		t.Errorf("the refused file is searchable: %s", search)
	}
	if _, err := os.Stat("../../escaped.txt"); err == nil {
		t.Errorf("a file escaped the upload folder")
	}
	if left, _ := os.ReadDir(tmp); len(left) != 0 {
		t.Errorf("the upload left %d entries in its temporary folder", len(left))
	}
	// A name the analyst's entity search finds came from the report.
	_, found := f.call(t, analyst, "GET", "/api/v1/entities?name=Dvoransky", "")
	if !strings.Contains(found, "Marek Dvoransky") {
		t.Errorf("the report's names were not resolved to entities: %s", found)
	}
	// The audit log holds the upload with its collection.
	log, err := f.store.AuditLog(context.Background(), store.AuditFilter{Action: "upload"})
	if err != nil || len(log) != 1 || log[0].Object != "alpha-uploads" || log[0].User != analyst.String() || log[0].Outcome != "ok" {
		t.Errorf("audit log of uploads: %+v, %v", log, err)
	}

	// The same report again is held, not stored twice; a part whose
	// header does not parse (a raw control character) ends the upload,
	// the file before it stored and the answer saying where it stopped.
	raw := multipartOf(uploadReport, upFile{"bell.txt", []byte("A raw control character.\n")}, upFile{"later.txt", []byte("Never read.\n")})
	raw = strings.Replace(raw, `filename="bell.txt"`, "filename=\"bell\a.txt\"", 1)
	_, lines, sum, out = uploadAs(t, f.h, f.tokens[analyst], "alpha-uploads", raw)
	if len(lines) != 1 || lines[0].Outcome != "held" || lines[0].New != 0 ||
		!strings.Contains(sum.Error, `the upload could not be read on after "harbour-report.txt": malformed MIME header`) {
		t.Errorf("the report again, then a broken part: %s", out)
	}
}

// TestUploadScope: another agency's analyst cannot load into alpha's
// collections, a viewer into none, a restricted analyst not into their
// agency's collection above their clearance; none of it stores a thing,
// and each refusal is audited.
func TestUploadScope(t *testing.T) {
	f := newMatrix(t)
	alphaAnalyst := who{agency: alpha, role: store.Analyst}
	if code, _, _, out := uploadAs(t, f.h, f.tokens[alphaAnalyst], "alpha-uploads", multipartOf(uploadReport)); code != http.StatusOK {
		t.Fatalf("alpha's upload: %d %s", code, out)
	}
	before, _ := collectionDocs(t, f, "alpha-uploads")
	body := multipartOf(upFile{"intruder.txt", []byte("Written by an intruder.\n")})
	for _, tc := range []struct {
		c          who
		collection string
		want       int
		says       string
	}{
		{who{agency: bravo, role: store.Analyst}, "alpha-uploads", http.StatusNotFound, `not found: no collection \"alpha-uploads\" of agency bravo that you may load into`},
		{who{agency: bravo, role: store.Admin}, alphaMain, http.StatusNotFound, "no collection"},
		{who{agency: alpha, role: store.Viewer}, "alpha-uploads", http.StatusForbidden, "only analysts and admins"},
		{who{agency: alpha, role: store.Viewer}, "viewer-new", http.StatusForbidden, "only analysts and admins"},
		{who{agency: bravo, role: store.Analyst, restricted: true}, bravoSecret, http.StatusNotFound, "no collection"},
		{alphaAnalyst, bravoOpen, http.StatusNotFound, "no collection"},
		{alphaAnalyst, "bad%01name", http.StatusBadRequest, "control characters"},
	} {
		code, _, _, out := uploadAs(t, f.h, f.tokens[tc.c], tc.collection, body)
		if code != tc.want || !strings.Contains(out, tc.says) {
			t.Errorf("%s into %s: %d %s, want %d saying %q", tc.c, tc.collection, code, out, tc.want, tc.says)
		}
	}
	after, _ := collectionDocs(t, f, "alpha-uploads")
	if len(after) != len(before) {
		t.Errorf("alpha-uploads held %d documents, now %d", len(before), len(after))
	}
	for _, c := range []string{"viewer-new", bravoOpen, bravoSecret, alphaMain} {
		if titles, _ := collectionDocs(t, f, c); strings.Contains(strings.Join(titles, "|"), "intruder") {
			t.Errorf("%s holds the intruder's file: %q", c, titles)
		}
	}
	if _, agency := collectionDocs(t, f, "viewer-new"); agency != "" {
		t.Errorf("a viewer's refused upload made a collection")
	}
	log, err := f.store.AuditLog(context.Background(), store.AuditFilter{Action: "upload"})
	if err != nil || len(log) != 8 {
		t.Fatalf("audit log: %d entries, %v", len(log), err)
	}
	if log[1].User != "bravo-analyst" || log[1].Object != "alpha-uploads" || log[1].Outcome != "404 not found" {
		t.Errorf("bravo's refused upload audited as %+v", log[1])
	}
}

// TestUploadSession: through the page's session an upload needs the CSRF
// token, like any change, and only multipart/form-data, only here.
func TestUploadSession(t *testing.T) {
	f := newMatrix(t)
	user := who{agency: alpha, role: store.Analyst}.String()
	(&fixture{store: f.store}).password(t, user, "correct horse")
	f.srv.Hosts = []string{testHost}
	h := f.srv.Handler()
	cookie, csrf := login(t, h, user, "correct horse")
	body := multipartOf(uploadReport)
	multi := "multipart/form-data; boundary=" + uploadBoundary
	for _, tc := range []struct {
		what   string
		target string
		header []string
		want   int
	}{
		{"no CSRF token", "/api/v1/collections/s/documents", []string{"Cookie", cookie.String(), "Content-Type", multi}, http.StatusForbidden},
		{"JSON", "/api/v1/collections/s/documents", []string{"Cookie", cookie.String(), csrfHeader, csrf, "Content-Type", "application/json"}, http.StatusUnsupportedMediaType},
		{"form", "/api/v1/collections/s/documents", []string{"Cookie", cookie.String(), csrfHeader, csrf, "Content-Type", "application/x-www-form-urlencoded"}, http.StatusUnsupportedMediaType},
		{"multipart elsewhere", "/api/v1/judgements", []string{"Cookie", cookie.String(), csrfHeader, csrf, "Content-Type", multi}, http.StatusUnsupportedMediaType},
		{"no file", "/api/v1/collections/s/documents", []string{"Cookie", cookie.String(), csrfHeader, csrf, "Content-Type", multi}, http.StatusBadRequest},
		{"token", "/api/v1/collections/s/documents", []string{"Cookie", cookie.String(), csrfHeader, csrf, "Content-Type", multi}, http.StatusOK},
	} {
		b := body
		if tc.what == "no file" {
			b = "--" + uploadBoundary + "--\r\n"
		}
		rec := send(t, h, "POST", tc.target, b, tc.header...)
		if rec.Code != tc.want {
			t.Errorf("%s: %d, want %d: %s", tc.what, rec.Code, tc.want, rec.Body)
		}
	}
	if titles, _ := collectionDocs(t, f, "s"); len(titles) != 1 {
		t.Errorf("collection s holds %q, want the report once", titles)
	}
}

// TestUploadLimits: a file over the limit of one file is refused by name
// and the next still lands; an upload over the limit of one request stops
// there, the files before it stored.
func TestUploadLimits(t *testing.T) {
	f := newMatrix(t)
	analyst := who{agency: alpha, role: store.Analyst}
	f.srv.Loader.Limits = document.Limits{MaxFileSize: 1 << 10, MaxArchiveTotal: 16 << 10}
	big := upFile{"big.txt", bytes.Repeat([]byte("Too long a line. "), 200)}
	small := upFile{"small.txt", []byte("Small but whole: Ilse Kvartova.\n")}
	_, lines, sum, out := uploadAs(t, f.h, f.tokens[analyst], "limits", multipartOf(big, small))
	if len(lines) != 2 || lines[0].File != "big.txt" || lines[0].Outcome != "failed" ||
		!strings.Contains(lines[0].Reason, `"big.txt": larger than 1 KiB, the limit of one file; nothing of it is stored`) ||
		lines[1].Outcome != "added" || sum.Summary.Failed != 1 || sum.Summary.Added != 1 {
		t.Errorf("a file too large: %s", out)
	}
	var many []upFile
	for i := range 6 {
		many = append(many, upFile{fmt.Sprintf("part-%d.txt", i), append([]byte(fmt.Sprintf("Part %d of a long upload. ", i)), bytes.Repeat([]byte("x"), 900)...)})
	}
	f.srv.Loader.Limits = document.Limits{MaxFileSize: 4 << 10, MaxArchiveTotal: 3 << 10}
	_, lines, sum, out = uploadAs(t, f.h, f.tokens[analyst], "limits-many", multipartOf(many...))
	added := 0
	for _, l := range lines {
		if l.Outcome == "added" {
			added++
		}
	}
	if added == 0 || added == len(many) || !strings.Contains(sum.Error, "larger than 3 KiB, the limit of one upload") {
		t.Errorf("an upload too large: %d of %d added: %s", added, len(many), out)
	}
	if titles, _ := collectionDocs(t, f, "limits-many"); len(titles) != added {
		t.Errorf("%d documents stored, %d answered added", len(titles), added)
	}
}

// TestUploadHuge sends a 2 GB file, streamed as it is made, with the
// default limits: it is refused by name as larger than the limit of one
// file, the file after it lands, and the server allocates a small part
// of it: the file is never held in memory.
func TestUploadHuge(t *testing.T) {
	if testing.Short() {
		t.Skip("sends 2 GB")
	}
	f := newMatrix(t)
	f.srv.Loader.TempDir = t.TempDir()
	analyst := who{agency: alpha, role: store.Analyst}
	pr, pw := io.Pipe()
	mw := multipart.NewWriter(pw)
	go func() {
		p, _ := mw.CreateFormFile("file", "huge.bin")
		chunk := bytes.Repeat([]byte("0123456789abcdef"), 1<<16) // 1 MiB
		for range 2000 {
			if _, err := p.Write(chunk); err != nil {
				pw.CloseWithError(err)
				return
			}
		}
		p, _ = mw.CreateFormFile("file", "after.txt")
		p.Write([]byte("Written after the huge one.\n"))
		pw.CloseWithError(mw.Close())
	}()
	req := httptest.NewRequest("POST", "/api/v1/collections/huge/documents", pr)
	req.Host = "localhost"
	req.Header.Set("Authorization", "Bearer "+f.tokens[analyst])
	req.Header.Set("Content-Type", mw.FormDataContentType())
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	rec := httptest.NewRecorder()
	f.h.ServeHTTP(rec, req)
	runtime.ReadMemStats(&after)
	_, lines, _, out := decodeUpload(t, rec.Code, rec.Body.String())
	if len(lines) != 2 || lines[0].Outcome != "failed" || !strings.Contains(lines[0].Reason, `"huge.bin": larger than 256 MiB, the limit of one file`) ||
		lines[1].Outcome != "added" {
		t.Errorf("a 2 GB file: %s", out)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 256<<20 {
		t.Errorf("the server allocated %d MiB for a 2 GB upload", alloc>>20)
	} else {
		t.Logf("allocated %d MiB for a 2 GB upload", alloc>>20)
	}
}
