package discovery

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"mosaic/internal/store"
)

// The files of the exchange, by name: the index this server exports to its
// peers, the digests of the tokens it gave them, one a peer (and the one
// file of them all an earlier release kept), and the indexes imported
// from them, one a peer.
const (
	exportFile       = "index.json"
	tokensDir        = "tokens/"
	legacyTokensFile = "tokens.json"
	peersDir         = "peers/"
)

// Files is where a server keeps the exchange's files: a data folder's
// discovery/ folder (Folder), or the database of a store without a folder
// (Stored), which every server on it then shares.
type Files interface {
	// Read returns a file and when it was written; an error wrapping
	// fs.ErrNotExist when there is none.
	Read(ctx context.Context, name string) ([]byte, time.Time, error)
	// Write replaces a file whole: a reader sees the old one or the new.
	Write(ctx context.Context, name string, data []byte) error
	// List lists the files whose names begin with prefix, by name.
	List(ctx context.Context, prefix string) ([]store.FileStamp, error)
	// String names where the files are, for messages.
	String() string
}

// Folder returns the files of the data folder db, under db/discovery/.
func Folder(db string) Files { return folder(filepath.Join(db, "discovery")) }

type folder string

func (f folder) String() string { return string(f) }

func (f folder) path(name string) string { return filepath.Join(string(f), filepath.FromSlash(name)) }

// Read reads the file and its time through one open file, so that both
// are of the same file when another replaces it meanwhile.
func (f folder) Read(ctx context.Context, name string) ([]byte, time.Time, error) {
	file, err := os.Open(f.path(name))
	if err != nil {
		return nil, time.Time{}, err
	}
	defer file.Close()
	fi, err := file.Stat()
	if err != nil {
		return nil, time.Time{}, err
	}
	data, err := io.ReadAll(file)
	if err != nil {
		return nil, time.Time{}, err
	}
	return data, fi.ModTime(), nil
}

func (f folder) Write(ctx context.Context, name string, data []byte) error {
	path := f.path(name)
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return writeAtomic(path, data)
}

// List reads the folder that prefix names up to its last '/', and keeps
// its files that begin with the rest.
func (f folder) List(ctx context.Context, prefix string) ([]store.FileStamp, error) {
	dir, base := "", prefix
	if i := strings.LastIndex(prefix, "/"); i >= 0 {
		dir, base = prefix[:i+1], prefix[i+1:]
	}
	entries, err := os.ReadDir(f.path(dir))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []store.FileStamp
	for _, e := range entries {
		if e.IsDir() || strings.HasPrefix(e.Name(), ".tmp-") || !strings.HasPrefix(e.Name(), base) {
			continue
		}
		fi, err := e.Info()
		if errors.Is(err, fs.ErrNotExist) {
			continue // replaced or removed since the folder was read
		}
		if err != nil {
			return nil, err
		}
		out = append(out, store.FileStamp{Name: dir + e.Name(), Modified: fi.ModTime()})
	}
	return out, nil
}

// Stored returns the files kept in a store's database (see
// store.DiscoveryFiles), under the name given for messages.
func Stored(st store.DiscoveryFiles, name string) Files { return stored{st, name} }

type stored struct {
	st   store.DiscoveryFiles
	name string
}

func (s stored) String() string { return s.name }

func (s stored) Read(ctx context.Context, name string) ([]byte, time.Time, error) {
	data, modified, err := s.st.DiscoveryFile(ctx, name)
	if errors.Is(err, store.ErrNotFound) {
		return nil, time.Time{}, fmt.Errorf("%s in %s: %w", name, s.name, fs.ErrNotExist)
	}
	return data, modified, err
}

func (s stored) Write(ctx context.Context, name string, data []byte) error {
	return s.st.PutDiscoveryFile(ctx, name, data)
}

func (s stored) List(ctx context.Context, prefix string) ([]store.FileStamp, error) {
	return s.st.DiscoveryFileList(ctx, prefix)
}
