package ner

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"
)

// The embedded model, written by `mosaic train ner` (see doc.go).
//
//go:embed model.gz
var embedded []byte

var (
	defaultOnce  sync.Once
	defaultModel *Model
	defaultErr   error
)

// Default returns the embedded model, loading it on first use.
func Default() (*Model, error) {
	defaultOnce.Do(func() {
		defaultModel, defaultErr = Load(bytes.NewReader(embedded))
		if defaultErr != nil {
			defaultErr = fmt.Errorf("embedded NER model: %w", defaultErr)
		}
	})
	return defaultModel, defaultErr
}
