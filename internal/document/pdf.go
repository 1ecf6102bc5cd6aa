package document

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/klippa-app/go-pdfium"
	pdfiumerrors "github.com/klippa-app/go-pdfium/errors"
	"github.com/klippa-app/go-pdfium/references"
	"github.com/klippa-app/go-pdfium/requests"
	"github.com/klippa-app/go-pdfium/webassembly"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
	"github.com/tetratelabs/wazero/experimental"

	"mosaic"
)

// pdfTimeout bounds the work on one PDF, waiting for a free worker
// included. A crafted PDF can send pdfium into a loop; the worker running it
// is then killed and the file reported as corrupt. A variable so that tests
// can shorten it.
var pdfTimeout = 2 * time.Minute

// pdfEngine is the process's pdfium: one WebAssembly runtime, compiled once
// per process, with as many workers as there are threads to run them.
// Compiling pdfium takes 5 to 8 s; the machine code is kept in the user's
// cache directory, which brings later starts down to about 0.2 s.
var pdfEngine struct {
	once sync.Once
	pool pdfium.Pool
	err  error
}

func pdfPool() (pdfium.Pool, error) {
	pdfEngine.once.Do(func() {
		n := runtime.GOMAXPROCS(0)
		// The bundled pdfium needs exception handling; closing on context
		// done is what lets Kill stop a runaway worker.
		rc := wazero.NewRuntimeConfig().
			WithCoreFeatures(api.CoreFeaturesV2 | experimental.CoreFeaturesExceptionHandling).
			WithCloseOnContextDone(true)
		if cache := compilationCache(); cache != nil {
			rc = rc.WithCompilationCache(cache)
		}
		pdfEngine.pool, pdfEngine.err = webassembly.Init(webassembly.Config{
			MaxIdle:  n,
			MaxTotal: n,
			// A fresh instance per document: instantiating is cheap
			// (about 3 ms) and no state of a hostile file survives it.
			ReuseWorkers: false,
			// No host directory is mounted: documents are passed as
			// bytes, and a PDF has no business reading the disk.
			FSConfig:      wazero.NewFSConfig(),
			Stdout:        io.Discard,
			Stderr:        io.Discard,
			RuntimeConfig: rc,
		})
	})
	return pdfEngine.pool, pdfEngine.err
}

// compilationCache is wazero's on-disk cache of compiled pdfium, or nil
// when there is no cache directory to keep it in; the engine then compiles
// in memory as before. wazero names entries by module hash and its own
// version, and writes them atomically, so processes can share it.
func compilationCache() wazero.CompilationCache {
	dir, err := os.UserCacheDir()
	if err != nil {
		return nil
	}
	cache, err := wazero.NewCompilationCacheWithDir(filepath.Join(dir, "mosaic", "wazero"))
	if err != nil {
		return nil
	}
	return cache
}

// parsePDF reads the text layer of a PDF, page by page with a blank line
// between pages and pdfium's line breaks kept, and its title and creation
// date. A scanned PDF without a text layer gives a document with no text.
func parsePDF(name string, data []byte) ([]mosaic.Document, error) {
	pool, err := pdfPool()
	if err != nil {
		return nil, fmt.Errorf("%s: start pdf engine: %w", name, err)
	}
	inst, err := pool.GetInstance(pdfTimeout)
	if err != nil {
		return nil, fmt.Errorf("%s: pdf engine: %w", name, err)
	}
	type result struct {
		doc mosaic.Document
		err error
	}
	done := make(chan result, 1)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				done <- result{err: fmt.Errorf("%s: %w PDF: pdfium panic: %v", name, ErrCorrupt, r)}
			}
		}()
		d, err := readPDF(inst, name, data)
		done <- result{d, err}
	}()
	timer := time.NewTimer(pdfTimeout)
	defer timer.Stop()
	select {
	case r := <-done:
		inst.Close()
		if r.err != nil {
			return nil, r.err
		}
		return []mosaic.Document{r.doc}, nil
	case <-timer.C:
		// Kill cancels the worker's context, which aborts the WebAssembly
		// call in progress; the goroutine then returns an error into the
		// buffered channel and ends.
		inst.Kill()
		return nil, fmt.Errorf("%s: %w PDF: no result after %v", name, ErrCorrupt, pdfTimeout)
	}
}

// readPDF does the pdfium calls for parsePDF on one instance.
func readPDF(inst pdfium.Pdfium, name string, data []byte) (mosaic.Document, error) {
	var d mosaic.Document
	opened, err := inst.OpenDocument(&requests.OpenDocument{File: &data})
	switch {
	case errors.Is(err, pdfiumerrors.ErrPassword):
		return d, fmt.Errorf("%s: %w: encrypted PDF (password required)", name, ErrUnsupported)
	case errors.Is(err, pdfiumerrors.ErrSecurity):
		return d, fmt.Errorf("%s: %w: encrypted PDF (unsupported security handler)", name, ErrUnsupported)
	case err != nil:
		return d, fmt.Errorf("%s: %w PDF: %v", name, ErrCorrupt, err)
	}
	doc := opened.Document
	defer inst.FPDF_CloseDocument(&requests.FPDF_CloseDocument{Document: doc})

	count, err := inst.FPDF_GetPageCount(&requests.FPDF_GetPageCount{Document: doc})
	if err != nil {
		return d, fmt.Errorf("%s: %w PDF: page count: %v", name, ErrCorrupt, err)
	}
	d = mosaic.Document{Format: mosaic.FormatPDF, Meta: map[string]string{"Pages": strconv.Itoa(count.PageCount)}}
	if md, err := inst.GetMetaData(&requests.GetMetaData{Document: doc}); err == nil {
		for _, tag := range md.Tags {
			if v := strings.TrimSpace(tag.Value); v != "" {
				d.Meta[tag.Tag] = v
			}
		}
	}
	d.Title = d.Meta["Title"]
	if t, ok := parsePDFDate(d.Meta["CreationDate"]); ok {
		d.Date = t
	}

	var text strings.Builder
	for i := range count.PageCount {
		page, err := pageText(inst, doc, i)
		if err != nil {
			return d, fmt.Errorf("%s: %w PDF: page %d: %v", name, ErrCorrupt, i+1, err)
		}
		if i > 0 {
			text.WriteString("\n\n")
		}
		text.WriteString(page)
	}
	d.Text = strings.TrimSpace(text.String())
	return d, nil
}

// pageText returns the text of page i with "\n" line breaks and no spaces
// at line ends (pdfium writes "word \r\n" where a line wraps).
func pageText(inst pdfium.Pdfium, doc references.FPDF_DOCUMENT, i int) (string, error) {
	page, err := inst.FPDF_LoadPage(&requests.FPDF_LoadPage{Document: doc, Index: i})
	if err != nil {
		return "", err
	}
	defer inst.FPDF_ClosePage(&requests.FPDF_ClosePage{Page: page.Page})
	tp, err := inst.FPDFText_LoadPage(&requests.FPDFText_LoadPage{Page: requests.Page{ByReference: &page.Page}})
	if err != nil {
		return "", err
	}
	defer inst.FPDFText_ClosePage(&requests.FPDFText_ClosePage{TextPage: tp.TextPage})
	n, err := inst.FPDFText_CountChars(&requests.FPDFText_CountChars{TextPage: tp.TextPage})
	if err != nil || n.Count <= 0 {
		return "", err
	}
	// One call for the whole page: GetPageText asks for every character
	// separately, which is a WebAssembly call per character.
	t, err := inst.FPDFText_GetText(&requests.FPDFText_GetText{TextPage: tp.TextPage, Count: n.Count})
	if err != nil {
		return "", err
	}
	lines := strings.Split(strings.ReplaceAll(t.Text, "\r\n", "\n"), "\n")
	for j, l := range lines {
		lines[j] = strings.TrimRight(l, " \t\r\u00a0")
	}
	return strings.TrimSpace(strings.Join(lines, "\n")), nil
}
