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

// Default returns the embedded model, loading it on first use.
var Default = sync.OnceValues(func() (*Model, error) {
	m, err := Load(bytes.NewReader(embedded))
	if err != nil {
		return nil, fmt.Errorf("embedded relation model: %w", err)
	}
	return m, nil
})
