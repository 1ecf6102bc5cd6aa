package document

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"sync/atomic"
)

// bombFloor is the uncompressed size below which the compression ratio is
// not checked: a small file of repeated lines can compress 200:1 honestly,
// and a bomb is only a bomb if it is big.
const bombFloor = 1 << 20

// expansion counts the bytes expanded from one archive, nested archives
// included, against Limits.MaxArchiveTotal. Members may be read
// concurrently, so the counts are atomic.
type expansion struct {
	limit    int64
	declared atomic.Int64 // sum of the declared sizes of the members handed out
	read     atomic.Int64 // bytes actually decompressed
}

// checkMember refuses, before anything is decompressed, a member whose
// header already says it is too big, a bomb, or unreadable.
func checkMember(f *zip.File, lim Limits, budget *expansion) error {
	size, packed := int64(f.UncompressedSize64), int64(f.CompressedSize64)
	switch {
	case f.Flags&0x1 != 0:
		return fmt.Errorf("%w: encrypted zip member", ErrUnsupported)
	case f.Method != zip.Store && f.Method != zip.Deflate:
		return fmt.Errorf("%w: zip compression method %d", ErrUnsupported, f.Method)
	case f.UncompressedSize64 > uint64(lim.MaxFileSize):
		return fmt.Errorf("%w: %s exceeds the %s limit", ErrTooLarge, byteSize(int64(min(f.UncompressedSize64, 1<<62))), byteSize(lim.MaxFileSize))
	case size > bombFloor && (packed <= 0 || size/packed > lim.MaxArchiveRatio):
		return fmt.Errorf("%w: possible zip bomb: %s packed into %s, more than %d:1", ErrTooLarge, byteSize(size), byteSize(packed), lim.MaxArchiveRatio)
	}
	if budget.declared.Add(size) > budget.limit {
		return fmt.Errorf("%w: archive expands to more than the %s limit", ErrTooLarge, byteSize(budget.limit))
	}
	return nil
}

// openMember opens a member through a memberReader. file, if not nil, is
// the archive on disk, held open for as long as the member is.
func openMember(f *zip.File, lim Limits, budget *expansion, file *archiveFile) (io.ReadCloser, error) {
	if file != nil {
		if err := file.acquire(); err != nil {
			return nil, err
		}
	}
	rc, err := f.Open()
	if err != nil {
		if file != nil {
			file.release()
		}
		if errors.Is(err, zip.ErrAlgorithm) {
			return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
		}
		return nil, fmt.Errorf("%w zip member: %v", ErrCorrupt, err)
	}
	return &memberReader{rc: rc, f: f, lim: lim, budget: budget, file: file}, nil
}

// readMember reads a whole member into memory, for archive members that
// are themselves parsed as archives (nested zips, DOCX parts). path names
// the member in errors.
func readMember(path string, f *zip.File, lim Limits, budget *expansion) ([]byte, error) {
	if err := checkMember(f, lim, budget); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	rc, err := openMember(f, lim, budget, nil)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	defer rc.Close()
	var buf bytes.Buffer
	// The declared size is a hint, not a promise: cap what it can reserve.
	buf.Grow(int(min(f.UncompressedSize64, 64<<20)) + bytes.MinRead)
	if _, err := buf.ReadFrom(rc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return buf.Bytes(), nil
}

// memberReader decompresses one member and stops as soon as it proves to
// be bigger than its header said, than MaxFileSize, than the archive's
// budget, or packed tighter than MaxArchiveRatio: the header of a bomb
// lies, so the checks are made on the bytes as they come.
type memberReader struct {
	rc     io.ReadCloser
	f      *zip.File
	lim    Limits
	budget *expansion
	file   *archiveFile
	n      int64
	closed bool
}

func (m *memberReader) Read(p []byte) (int, error) {
	n, err := m.rc.Read(p)
	m.n += int64(n)
	packed := int64(m.f.CompressedSize64)
	switch {
	case uint64(m.n) > m.f.UncompressedSize64:
		return n, fmt.Errorf("%w zip member: more data than the %s declared", ErrCorrupt, byteSize(int64(m.f.UncompressedSize64)))
	case m.n > m.lim.MaxFileSize:
		return n, fmt.Errorf("%w: more than the %s limit", ErrTooLarge, byteSize(m.lim.MaxFileSize))
	case m.n > bombFloor && (packed <= 0 || m.n/packed > m.lim.MaxArchiveRatio):
		return n, fmt.Errorf("%w: possible zip bomb: more than %d:1", ErrTooLarge, m.lim.MaxArchiveRatio)
	case m.budget.read.Add(int64(n)) > m.budget.limit:
		return n, fmt.Errorf("%w: archive expands to more than the %s limit", ErrTooLarge, byteSize(m.budget.limit))
	}
	if err != nil && err != io.EOF {
		return n, fmt.Errorf("%w zip member: %v", ErrCorrupt, err)
	}
	return n, err
}

func (m *memberReader) Close() error {
	if m.closed {
		return nil
	}
	m.closed = true
	err := m.rc.Close()
	if m.file != nil {
		m.file.release()
	}
	return err
}

// archiveFile is a zip archive on disk, open while Walk lists it or any of
// its members is being read. Walk hands out Sources that the caller may
// open after Walk has moved on (from a pool of workers, say), so the file
// is reopened on demand rather than tied to Walk's loop, and closed when the
// last reader is done rather than leaked.
type archiveFile struct {
	path string
	mu   sync.Mutex
	f    *os.File
	refs int
}

func (a *archiveFile) acquire() error {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.f == nil {
		f, err := os.Open(a.path)
		if err != nil {
			return err
		}
		a.f = f
	}
	a.refs++
	return nil
}

func (a *archiveFile) release() {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.refs--; a.refs == 0 && a.f != nil {
		a.f.Close()
		a.f = nil
	}
}

// ReadAt serves archive/zip. Every caller holds a reference, so the file is
// open.
func (a *archiveFile) ReadAt(p []byte, off int64) (int, error) {
	a.mu.Lock()
	f := a.f
	a.mu.Unlock()
	if f == nil {
		return 0, fmt.Errorf("%s: archive closed", a.path)
	}
	return f.ReadAt(p, off)
}

// hiddenMember reports members that are not files of the collection:
// entries under a dot-directory, dot-files, and the resource forks macOS
// adds to archives.
func hiddenMember(name string) bool {
	for part := range strings.SplitSeq(strings.ReplaceAll(name, `\`, "/"), "/") {
		if strings.HasPrefix(part, ".") && part != "." && part != ".." || part == "__MACOSX" {
			return true
		}
	}
	return false
}
