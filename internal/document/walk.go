package document

import (
	"archive/zip"
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Source is one file to read: on disk or inside a zip archive.
type Source struct {
	Path    string    // display path; inside an archive "dir/archive.zip!inner/file.txt"
	Size    int64     // uncompressed size as declared (on disk: stat size)
	ModTime time.Time // modification time on disk or in the archive, zero if unknown
	// Open opens the file for reading. It may be called after Walk's
	// callback has returned, from any goroutine; reads from an archive
	// member stop with ErrTooLarge as soon as the member proves bigger
	// than declared, than the limits, or a bomb.
	Open func() (io.ReadCloser, error)
}

// Walk calls fn once for every file under paths, in a deterministic order:
// paths in the order given, the entries of each directory sorted by name,
// depth first. Directories are read recursively, skipping hidden entries
// (names starting with "."); symbolic links to files are followed, those to
// directories are reported and not followed, so a link cycle cannot trap
// the walk. Files named .zip are expanded into their members, nested zips
// too up to lim.MaxDepth; a .docx is a document, not an archive.
//
// When a path cannot be read (missing, permission denied, a corrupt zip, a
// zip bomb member, an archive nested too deep, a device or a pipe) fn is
// called with a Source whose Path names it and a non-nil err, and Walk goes
// on with the rest. Walk stops early only when fn returns an error or ctx
// is done, and returns that error.
//
// Memory does not grow with the number of files: Walk holds the listing of
// the directories it is in, and of the archive it is in, and nothing else.
func Walk(ctx context.Context, paths []string, lim Limits, fn func(src Source, err error) error) error {
	w := &walker{ctx: ctx, lim: lim.withDefaults(), fn: fn}
	for _, p := range paths {
		info, err := os.Stat(p)
		if err := w.visit(p, info, err); err != nil {
			return err
		}
	}
	return nil
}

type walker struct {
	ctx context.Context
	lim Limits
	fn  func(Source, error) error
}

// emit hands one source to fn, unless the walk has been cancelled.
func (w *walker) emit(src Source, err error) error {
	if cerr := w.ctx.Err(); cerr != nil {
		return cerr
	}
	return w.fn(src, err)
}

// fail reports src as unreadable for the reason err, which does not name
// the path yet.
func (w *walker) fail(src Source, err error) error {
	return w.emit(src, fmt.Errorf("%s: %w", src.Path, err))
}

// entry dispatches on what info (from Stat, so links are resolved) says p is.
func (w *walker) entry(p string, info fs.FileInfo) error {
	switch {
	case info.IsDir():
		return w.dir(p)
	case !info.Mode().IsRegular():
		// Reading a pipe or a device could block forever or never end.
		return w.fail(Source{Path: p}, fmt.Errorf("%w: not a regular file (%s)", ErrUnsupported, info.Mode().Type()))
	case extension(p) == ".zip":
		return w.archive(p, info)
	}
	return w.emit(Source{
		Path:    p,
		Size:    info.Size(),
		ModTime: info.ModTime(),
		Open:    func() (io.ReadCloser, error) { return os.Open(p) },
	}, nil)
}

func (w *walker) dir(dir string) error {
	// ReadDir holds one directory's names at a time and sorts them.
	entries, err := os.ReadDir(dir)
	if err != nil {
		if err := w.fail(Source{Path: dir}, unwrapPath(err)); err != nil {
			return err
		}
	}
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if err := w.ctx.Err(); err != nil {
			return err
		}
		p := filepath.Join(dir, e.Name())
		info, err := e.Info()
		if err == nil && e.Type()&fs.ModeSymlink != 0 {
			var target fs.FileInfo
			if target, err = os.Stat(p); err == nil && target.IsDir() {
				err = fmt.Errorf("%w: symbolic link to a directory, not followed", ErrUnsupported)
			}
			info = target
		}
		if err := w.visit(p, info, err); err != nil {
			return err
		}
	}
	return nil
}

// visit walks the file or folder at p, or, when statErr says it could not
// be looked at, reports that and lets the walk go on.
func (w *walker) visit(p string, info fs.FileInfo, statErr error) error {
	if statErr != nil {
		return w.fail(Source{Path: p}, unwrapPath(statErr))
	}
	return w.entry(p, info)
}

// archive expands a zip archive on disk.
func (w *walker) archive(p string, info fs.FileInfo) error {
	src := Source{Path: p, Size: info.Size(), ModTime: info.ModTime()}
	file := &archiveFile{path: p}
	if err := file.acquire(); err != nil {
		return w.fail(src, unwrapPath(err))
	}
	defer file.release()
	zr, err := zip.NewReader(file, info.Size())
	if err != nil {
		return w.fail(src, fmt.Errorf("%w zip: %v", ErrCorrupt, err))
	}
	return w.members(p, zr, file, 1, &expansion{limit: w.lim.MaxArchiveTotal})
}

// members walks the members of an archive at nesting depth depth (1 for an
// archive on disk), sorted by name. file is the archive on disk, or nil for
// an archive held in memory.
func (w *walker) members(prefix string, zr *zip.Reader, file *archiveFile, depth int, budget *expansion) error {
	files := slices.Clone(zr.File)
	slices.SortStableFunc(files, func(a, b *zip.File) int { return cmp.Compare(a.Name, b.Name) })
	for _, f := range files {
		if strings.HasSuffix(f.Name, "/") || f.FileInfo().IsDir() || hiddenMember(f.Name) {
			continue
		}
		src := Source{Path: prefix + "!" + f.Name, Size: int64(min(f.UncompressedSize64, 1<<62)), ModTime: f.Modified}
		if extension(f.Name) == ".zip" {
			if err := w.nested(src, f, file, depth+1, budget); err != nil {
				return err
			}
			continue
		}
		if err := checkMember(f, w.lim, budget); err != nil {
			if err := w.fail(src, err); err != nil {
				return err
			}
			continue
		}
		src.Open = func() (io.ReadCloser, error) { return openMember(f, w.lim, budget, file) }
		if err := w.emit(src, nil); err != nil {
			return err
		}
	}
	return nil
}

// nested expands an archive inside an archive. It is read into memory
// (archive/zip needs random access), which MaxFileSize bounds, and counts
// against the outer archive's budget.
func (w *walker) nested(src Source, f *zip.File, file *archiveFile, depth int, budget *expansion) error {
	if depth > w.lim.MaxDepth {
		return w.fail(src, fmt.Errorf("%w: archives nested more than %d deep", ErrTooLarge, w.lim.MaxDepth))
	}
	if file != nil {
		if err := file.acquire(); err != nil {
			return w.fail(src, unwrapPath(err))
		}
		defer file.release()
	}
	data, err := readMember(src.Path, f, w.lim, budget)
	if err != nil {
		return w.emit(src, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return w.fail(src, fmt.Errorf("%w zip: %v", ErrCorrupt, err))
	}
	return w.members(src.Path, zr, nil, depth, budget)
}

// unwrapPath drops the path from an *fs.PathError, because the messages
// here name the path themselves; errors.Is still sees the cause.
func unwrapPath(err error) error {
	if pe, ok := errors.AsType[*fs.PathError](err); ok {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
