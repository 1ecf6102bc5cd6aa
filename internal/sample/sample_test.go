package sample

import (
	"archive/zip"
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io/fs"
	"net/mail"
	"os"
	"path"
	"path/filepath"
	"strings"
	"testing"
)

// gtdColumns is the GTD codebook's column list, in the shared data folder that
// sits beside the repository in CI but not in a fresh clone.
const gtdColumns = "../../../shared/data/gtd/columns.txt"

// caseFiles returns every file of every collection, keyed by its path relative
// to the folder WriteTo writes.
func caseFiles(t *testing.T) map[string][]byte {
	t.Helper()
	cs, err := Collections()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	for _, c := range cs {
		err := fs.WalkDir(files, path.Join(root, c.Dir), func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			data, err := files.ReadFile(p)
			out[strings.TrimPrefix(p, root+"/")] = data
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func TestCollections(t *testing.T) {
	cs, err := Collections()
	if err != nil {
		t.Fatal(err)
	}
	agencies := map[string]bool{}
	names := map[string]bool{}
	for _, c := range cs {
		if names[c.Name] {
			t.Errorf("collection %q listed twice", c.Name)
		}
		names[c.Name] = true
		agencies[c.Agency] = true
		entries, err := fs.ReadDir(files, path.Join(root, c.Dir))
		if err != nil {
			t.Errorf("collection %q: dir %q: %v", c.Name, c.Dir, err)
			continue
		}
		if len(entries) == 0 {
			t.Errorf("collection %q: dir %q is empty", c.Name, c.Dir)
		}
	}
	if len(agencies) != 3 {
		t.Errorf("manifest names %d agencies, want 3: %v", len(agencies), agencies)
	}
}

func TestEveryFileBelongsToACollection(t *testing.T) {
	listed := caseFiles(t)
	err := fs.WalkDir(files, root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || p == path.Join(root, manifestName) {
			return err
		}
		if _, ok := listed[strings.TrimPrefix(p, root+"/")]; !ok {
			t.Errorf("%s is in no collection of the manifest", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

func TestFilesAndFormats(t *testing.T) {
	all := caseFiles(t)
	if len(all) < 30 {
		t.Errorf("case has %d files, want at least 30", len(all))
	}
	byExt := map[string]int{}
	seen := map[[32]byte]string{}
	for p, data := range all {
		byExt[filepath.Ext(p)]++
		if len(data) == 0 {
			t.Errorf("%s is empty", p)
		}
		// Mosaic stores documents by content hash: two identical files
		// would silently count as one.
		sum := sha256.Sum256(data)
		if other, ok := seen[sum]; ok {
			t.Errorf("%s and %s have identical content", p, other)
		}
		seen[sum] = p
	}
	for _, ext := range []string{".txt", ".html", ".eml", ".pdf", ".docx", ".csv", ".json"} {
		if byExt[ext] == 0 {
			t.Errorf("no %s file in the case", ext)
		}
	}
}

func TestWriteTo(t *testing.T) {
	dir := t.TempDir()
	if err := WriteTo(dir); err != nil {
		t.Fatal(err)
	}
	want := caseFiles(t)
	for p, data := range want {
		got, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(p)))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if !bytes.Equal(got, data) {
			t.Errorf("%s: written copy differs from the embedded file", p)
		}
	}
	n := 0
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			n++
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if n != len(want) {
		t.Errorf("WriteTo wrote %d files, want %d", n, len(want))
	}
	// Writing again over an existing folder must work (demo restarts).
	if err := WriteTo(dir); err != nil {
		t.Errorf("second WriteTo: %v", err)
	}
}

func incidentCSV(t *testing.T) [][]string {
	t.Helper()
	var rows [][]string
	for p, data := range caseFiles(t) {
		if filepath.Ext(p) != ".csv" {
			continue
		}
		r, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
		if err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		if rows != nil {
			t.Fatalf("more than one CSV file; %s is unexpected", p)
		}
		rows = r
	}
	if len(rows) < 2 {
		t.Fatal("incident CSV has no data rows")
	}
	return rows
}

func TestIncidentCSVShape(t *testing.T) {
	rows := incidentCSV(t)
	if len(rows[0]) != 135 {
		t.Fatalf("header has %d columns, want the GTD's 135", len(rows[0]))
	}
	col := map[string]int{}
	for i, name := range rows[0] {
		col[name] = i
	}
	for _, name := range []string{"eventid", "iyear", "imonth", "iday", "country_txt", "city",
		"latitude", "longitude", "summary", "attacktype1_txt", "targtype1_txt",
		"weaptype1_txt", "gname", "claimed", "nkill", "nwound"} {
		i, ok := col[name]
		if !ok {
			t.Errorf("header lacks %s", name)
			continue
		}
		for _, r := range rows[1:] {
			if r[i] == "" && name != "nkill" && name != "nwound" {
				t.Errorf("event %s: empty %s", r[0], name)
			}
		}
	}
}

func TestIncidentCSVHeaderMatchesGTD(t *testing.T) {
	f, err := os.Open(gtdColumns)
	if errors.Is(err, fs.ErrNotExist) {
		t.Skipf("%s not found (shared data folder absent); the header's 135 names are not compared", gtdColumns)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var want []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if s := strings.TrimSpace(sc.Text()); s != "" {
			want = append(want, s)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	got := incidentCSV(t)[0]
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("CSV header differs from %s:\n got %v\nwant %v", gtdColumns, got, want)
	}
}

func TestBinaryFormats(t *testing.T) {
	for p, data := range caseFiles(t) {
		switch filepath.Ext(p) {
		case ".pdf":
			if !bytes.HasPrefix(data, []byte("%PDF")) {
				t.Errorf("%s does not start with %%PDF", p)
			}
		case ".docx":
			z, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
			if err != nil {
				t.Errorf("%s is not a zip: %v", p, err)
				continue
			}
			found := false
			for _, f := range z.File {
				found = found || f.Name == "word/document.xml"
			}
			if !found {
				t.Errorf("%s has no word/document.xml", p)
			}
		case ".json":
			if !json.Valid(data) {
				t.Errorf("%s is not valid JSON", p)
			}
		}
	}
}

func TestMailThread(t *testing.T) {
	var replies, attachments, latin1QP int
	for p, data := range caseFiles(t) {
		if filepath.Ext(p) != ".eml" {
			continue
		}
		m, err := mail.ReadMessage(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", p, err)
			continue
		}
		if m.Header.Get("Message-Id") == "" || m.Header.Get("Date") == "" || m.Header.Get("From") == "" {
			t.Errorf("%s lacks Message-ID, Date or From", p)
		}
		if m.Header.Get("In-Reply-To") != "" && m.Header.Get("References") != "" {
			replies++
		}
		if bytes.Contains(data, []byte("Content-Disposition: attachment")) &&
			bytes.Contains(data, []byte("Content-Transfer-Encoding: base64")) {
			attachments++
		}
		if strings.Contains(m.Header.Get("Content-Type"), "iso-8859-1") &&
			m.Header.Get("Content-Transfer-Encoding") == "quoted-printable" {
			latin1QP++
		}
	}
	if replies < 2 {
		t.Errorf("%d replies with In-Reply-To and References, want a thread of at least 3 messages", replies)
	}
	if attachments == 0 {
		t.Error("no e-mail with a base64 attachment")
	}
	if latin1QP == 0 {
		t.Error("no e-mail with a latin-1 quoted-printable body")
	}
}

func TestHTMLHasPageFurniture(t *testing.T) {
	for p, data := range caseFiles(t) {
		if filepath.Ext(p) != ".html" {
			continue
		}
		for _, want := range []string{"<script", "<style", "<nav", `property="article:published_time"`, "<title>"} {
			if !bytes.Contains(data, []byte(want)) {
				t.Errorf("%s lacks %s", p, want)
			}
		}
	}
}
