package relation

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"
)

// The embedded model, written by `mosaic train relations` (see doc.go).
//
//go:embed model.gz
var embedded []byte

var loadDefault = sync.OnceValues(func() (*Model, error) {
	m, err := Load(bytes.NewReader(embedded))
	if err != nil {
		return nil, fmt.Errorf("embedded relation model: %w", err)
	}
	return m, nil
})

// Default returns the embedded model, loading it on first use.
func Default() (*Model, error) { return loadDefault() }
