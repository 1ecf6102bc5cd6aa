// Package sample holds Mosaic's bundled fictional case, embedded in the binary.
//
// The case (see CASE.md beside this file for the answer key) is a set of
// documents held by three invented agencies about a run of small attacks in
// Birmingham and Antwerp in 2016, each first called the work of a lone actor.
// Every person, group, agency and incident in it is fictional. `mosaic demo`
// writes the files out with WriteTo and ingests each directory as the
// collection that Collections names.
package sample

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

//go:embed case
var files embed.FS

// root is the embedded folder that holds the manifest and the collections.
const root = "case"

// manifestName is the file in root that lists the collections.
const manifestName = "manifest.json"

// Collection is one agency's collection of case documents.
type Collection struct {
	// Name is the collection's name, as given to `mosaic ingest --collection`.
	Name string `json:"collection"`
	// Agency is the agency that owns the collection.
	Agency string `json:"agency"`
	// Dir is relative to the folder WriteTo writes, and holds the collection's files.
	Dir string `json:"dir"`
}

// Collections returns the case's collections in manifest order.
func Collections() ([]Collection, error) {
	data, err := files.ReadFile(path.Join(root, manifestName))
	if err != nil {
		return nil, fmt.Errorf("sample manifest: %w", err)
	}
	var cs []Collection
	if err := json.Unmarshal(data, &cs); err != nil {
		return nil, fmt.Errorf("sample manifest: %w", err)
	}
	for i, c := range cs {
		if c.Name == "" || c.Agency == "" || c.Dir == "" {
			return nil, fmt.Errorf("sample manifest: entry %d lacks a collection, agency or dir", i)
		}
		if !fs.ValidPath(c.Dir) || c.Dir == "." {
			return nil, fmt.Errorf("sample manifest: entry %d: invalid dir %q", i, c.Dir)
		}
	}
	return cs, nil
}

// WriteTo writes every case file under dir, as dir/<Collection.Dir>/..., for
// ingestion. It creates dir if needed and overwrites files already there. The
// manifest is not written: Collections describes the folders, and leaving it
// out means ingesting dir as a whole does not add it as a document.
func WriteTo(dir string) error {
	cs, err := Collections()
	if err != nil {
		return err
	}
	for _, c := range cs {
		src := path.Join(root, c.Dir)
		err := fs.WalkDir(files, src, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel := strings.TrimPrefix(p, root+"/")
			dst := filepath.Join(dir, filepath.FromSlash(rel))
			if d.IsDir() {
				return os.MkdirAll(dst, 0o755)
			}
			data, err := files.ReadFile(p)
			if err != nil {
				return err
			}
			return os.WriteFile(dst, data, 0o644)
		})
		if err != nil {
			return fmt.Errorf("write sample collection %s: %w", c.Name, err)
		}
	}
	return nil
}
