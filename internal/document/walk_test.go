package document

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// member is one file of a test archive.
type member struct{ name, content string }

func zipBytes(t *testing.T, members ...member) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, m := range members {
		w, err := zw.Create(m.name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write([]byte(m.content))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func writeFile(t *testing.T, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

// addZeros adds a member of size zero bytes to zw without compressing
// them: one megabyte of zeros is deflated once and its blocks repeated,
// which is a valid stream because each block starts with a literal. A
// 300 MB member so takes milliseconds, even under the race detector.
// declared, if not zero, is the uncompressed size the header claims.
func addZeros(t *testing.T, zw *zip.Writer, name string, size, declared int64) {
	t.Helper()
	const chunk = 1 << 20
	var seg bytes.Buffer
	fw, _ := flate.NewWriter(&seg, flate.BestCompression)
	fw.Write(make([]byte, chunk))
	fw.Flush() // byte-aligned, not final
	crc := uint32(0)
	zeros := make([]byte, chunk)
	for range size / chunk {
		crc = crc32.Update(crc, crc32.IEEETable, zeros)
	}
	final := []byte{0x01, 0x00, 0x00, 0xff, 0xff} // empty final stored block
	if declared == 0 {
		declared = size
	}
	w, err := zw.CreateRaw(&zip.FileHeader{
		Name:               name,
		Method:             zip.Deflate,
		CRC32:              crc,
		CompressedSize64:   uint64(int64(seg.Len())*(size/chunk) + int64(len(final))),
		UncompressedSize64: uint64(declared),
	})
	if err != nil {
		t.Fatal(err)
	}
	for range size / chunk {
		w.Write(seg.Bytes())
	}
	w.Write(final)
}

// walked records what Walk reported.
type walked struct {
	path string
	err  error
	src  Source
}

func walkAll(t *testing.T, lim Limits, paths ...string) []walked {
	t.Helper()
	var got []walked
	err := Walk(t.Context(), paths, lim, func(src Source, err error) error {
		got = append(got, walked{src.Path, err, src})
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

func TestWalkTree(t *testing.T) {
	dir := t.TempDir()
	docx := readFixture(t, "testdata/docx/interview.docx")
	inner := zipBytes(t, member{"deep.txt", "deep text"})
	files := map[string][]byte{
		"b.txt":                 []byte("Orla Brisk"),
		"a/one.txt":             []byte("one"),
		"a/.hidden.txt":         []byte("hidden"),
		".git/config":           []byte("hidden dir"),
		"c/report.docx":         docx,
		"c/archive.zip":         zipBytes(t, member{"z/2.txt", "two"}, member{"1.txt", "one"}, member{".DS_Store", "x"}, member{"__MACOSX/._1.txt", "x"}, member{"dir/", ""}, member{"inner.zip", string(inner)}),
		"c/broken.zip":          []byte("PK\x03\x04 this is not a zip"),
		"d/e/f/g/deeper.txt":    []byte("deep"),
		"d/e/f/g/.trash/x.docx": []byte("hidden"),
	}
	for name, data := range files {
		writeFile(t, filepath.Join(dir, name), data)
	}
	if err := os.Symlink(filepath.Join(dir, "b.txt"), filepath.Join(dir, "link.txt")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(dir, filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	missing := filepath.Join(dir, "missing.txt")

	got := walkAll(t, Limits{}, dir, missing)
	want := []struct {
		path string
		err  error // sentinel, or nil
		bad  bool
	}{
		{"a/one.txt", nil, false},
		{"b.txt", nil, false},
		{"c/archive.zip!1.txt", nil, false},
		{"c/archive.zip!inner.zip!deep.txt", nil, false},
		{"c/archive.zip!z/2.txt", nil, false},
		{"c/broken.zip", ErrCorrupt, true},
		{"c/report.docx", nil, false},
		{"d/e/f/g/deeper.txt", nil, false},
		{"link.txt", nil, false},
		{"loop", ErrUnsupported, true},
		{"pipe", ErrUnsupported, true},
		{"missing.txt", os.ErrNotExist, true},
	}
	if len(got) != len(want) {
		for _, g := range got {
			t.Log(g.path, g.err)
		}
		t.Fatalf("got %d callbacks, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.path != filepath.Join(dir, w.path) {
			t.Errorf("%d: path %q, want %q", i, g.path, w.path)
		}
		if (g.err != nil) != w.bad || (w.err != nil && !errors.Is(g.err, w.err)) {
			t.Errorf("%s: err %v, want %v", w.path, g.err, w.err)
		}
		if g.err != nil && !strings.Contains(g.err.Error(), g.path) {
			t.Errorf("error %q does not name %q", g.err, g.path)
		}
		if g.err == nil {
			docs, err := Read(g.src, Limits{})
			if err != nil || len(docs) == 0 {
				t.Errorf("%s: read: %v", w.path, err)
				continue
			}
			if docs[0].Source != g.path {
				t.Errorf("source = %q, want %q", docs[0].Source, g.path)
			}
		}
	}
	// Deterministic: a second walk gives the same order.
	again := walkAll(t, Limits{}, dir, missing)
	for i := range got {
		if again[i].path != got[i].path {
			t.Fatalf("second walk differs at %d: %s vs %s", i, again[i].path, got[i].path)
		}
	}
}

// TestWalkZipBomb expands a member of 300 MB of zeros packed into 300 KB,
// and smaller ones that are still bombs, or lie about their size.
func TestWalkZipBomb(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "bomb.zip")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	addZeros(t, zw, "a-300mb.bin", 300<<20, 0)
	addZeros(t, zw, "b-100mb.txt", 100<<20, 0)
	addZeros(t, zw, "c-liar.txt", 50<<20, 1000)
	w, _ := zw.Create("d-fine.txt")
	w.Write([]byte("an honest member"))
	zw.Close()
	f.Close()
	info, _ := os.Stat(path)
	t.Logf("bomb.zip is %d bytes", info.Size())

	start := time.Now()
	got := walkAll(t, Limits{}, path)
	if len(got) != 4 {
		t.Fatalf("got %d callbacks, want 4", len(got))
	}
	wantErr(t, got[0].err, ErrTooLarge, path+"!a-300mb.bin", "300 MiB exceeds the 256 MiB limit")
	wantErr(t, got[1].err, ErrTooLarge, path+"!b-100mb.txt", "possible zip bomb")
	if got[2].err != nil || got[3].err != nil {
		t.Fatalf("walk refused members with plausible headers: %v, %v", got[2].err, got[3].err)
	}
	// The liar's header passes, but reading it stops at the declared size.
	_, err = Read(got[2].src, Limits{})
	wantErr(t, err, ErrCorrupt, path+"!c-liar.txt", "zip member")
	docs, err := Read(got[3].src, Limits{})
	if err != nil || docs[0].Text != "an honest member" {
		t.Errorf("honest member: %v", err)
	}
	if took := time.Since(start); took > 10*time.Second {
		t.Errorf("took %v", took)
	}
}

func TestWalkZipLimits(t *testing.T) {
	dir := t.TempDir()
	// Six archives nested in one another, each with a text file.
	data := zipBytes(t, member{"level-6.txt", "six"})
	for level := 5; level >= 1; level-- {
		data = zipBytes(t, member{"level-" + string(rune('0'+level)) + ".txt", "text"}, member{"z" + string(rune('0'+level+1)) + ".zip", string(data)})
	}
	nested := filepath.Join(dir, "z1.zip")
	writeFile(t, nested, data)
	got := walkAll(t, Limits{}, nested)
	var paths []string
	for _, g := range got {
		paths = append(paths, strings.TrimPrefix(g.path, dir+"/"))
	}
	want := []string{"z1.zip!level-1.txt", "z1.zip!z2.zip!level-2.txt", "z1.zip!z2.zip!z3.zip!level-3.txt",
		"z1.zip!z2.zip!z3.zip!z4.zip!level-4.txt", "z1.zip!z2.zip!z3.zip!z4.zip!z5.zip"}
	if strings.Join(paths, " ") != strings.Join(want, " ") {
		t.Fatalf("walked %q, want %q", paths, want)
	}
	wantErr(t, got[4].err, ErrTooLarge, "z1.zip!z2.zip!z3.zip!z4.zip!z5.zip", "nested more than 4 deep")

	// The budget of one archive covers all its members.
	var members []member
	for _, n := range []string{"a", "b", "c"} {
		members = append(members, member{n + ".txt", strings.Repeat(n, 600<<10)})
	}
	total := filepath.Join(dir, "total.zip")
	writeFile(t, total, zipBytes(t, members...))
	got = walkAll(t, Limits{MaxArchiveTotal: 1 << 20, MaxArchiveRatio: 1 << 20}, total)
	if len(got) != 3 || got[0].err != nil || got[1].err == nil || got[2].err == nil {
		t.Fatalf("got %+v", got)
	}
	wantErr(t, got[1].err, ErrTooLarge, "total.zip!b.txt", "archive expands to more than the 1 MiB limit")
}

// TestWalkReadLater opens archive members after Walk has returned, as a
// pool of workers would.
func TestWalkReadLater(t *testing.T) {
	path := filepath.Join(t.TempDir(), "later.zip")
	writeFile(t, path, zipBytes(t, member{"a.txt", "alpha"}, member{"b.txt", "beta"}))
	got := walkAll(t, Limits{}, path)
	for _, g := range got {
		for range 2 {
			docs, err := Read(g.src, Limits{})
			if err != nil || len(docs) != 1 {
				t.Fatalf("%s: %v", g.path, err)
			}
		}
	}
}

func TestWalkStops(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"a.txt", "b.txt", "c.txt"} {
		writeFile(t, filepath.Join(dir, n), []byte(n))
	}
	stop := errors.New("stop")
	calls := 0
	err := Walk(t.Context(), []string{dir}, Limits{}, func(Source, error) error {
		calls++
		return stop
	})
	if err != stop || calls != 1 {
		t.Errorf("fn error: Walk returned %v after %d calls", err, calls)
	}
	ctx, cancel := context.WithCancel(t.Context())
	calls = 0
	err = Walk(ctx, []string{dir}, Limits{}, func(Source, error) error {
		calls++
		cancel()
		return nil
	})
	if !errors.Is(err, context.Canceled) || calls != 1 {
		t.Errorf("cancel: Walk returned %v after %d calls", err, calls)
	}
}

func TestWalkUnreadable(t *testing.T) {
	if os.Geteuid() == 0 {
		t.Skip("root reads everything")
	}
	dir := t.TempDir()
	locked := filepath.Join(dir, "locked")
	writeFile(t, filepath.Join(locked, "x.txt"), []byte("x"))
	writeFile(t, filepath.Join(dir, "z.txt"), []byte("z"))
	os.Chmod(locked, 0)
	defer os.Chmod(locked, 0o755)
	got := walkAll(t, Limits{}, dir)
	if len(got) != 2 || !errors.Is(got[0].err, os.ErrPermission) || got[1].err != nil {
		t.Errorf("got %+v", got)
	}
}

func TestMemberReader(t *testing.T) {
	// A stored member read through the limits yields exactly its bytes.
	zr, err := zip.NewReader(bytes.NewReader(zipBytes(t, member{"x.txt", "hello"})), int64(len(zipBytes(t, member{"x.txt", "hello"}))))
	if err != nil {
		t.Fatal(err)
	}
	budget := &expansion{limit: 1 << 20}
	rc, err := openMember(zr.File[0], DefaultLimits(), budget, nil)
	if err != nil {
		t.Fatal(err)
	}
	data, err := io.ReadAll(rc)
	rc.Close()
	if err != nil || string(data) != "hello" || budget.read.Load() != 5 {
		t.Errorf("read %q, %v; budget used %d", data, err, budget.read.Load())
	}
}
