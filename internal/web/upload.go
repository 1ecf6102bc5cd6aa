package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"mosaic"
	"mosaic/internal/document"
	"mosaic/internal/entity"
	"mosaic/internal/extract"
	// The tests name a helper ingest.
	pipeline "mosaic/internal/ingest"
	"mosaic/internal/store"
)

// Uploads through the page:
//
//	POST /api/v1/collections/{name}/documents   multipart/form-data, a part per file
//	                                            → application/x-ndjson: a line per file, then {"summary"}
//
// Analysts and admins load files into a collection of their own agency,
// made for it if new; another agency's collection, or one of their own
// labelled above their clearance, is answered 404 as one never made. Each
// file goes to a temporary folder as it arrives, never into memory, and
// no further than the size limit of one file; the files received then run
// through the ingest pipeline as `mosaic ingest` runs it (extraction with
// the named-entity model, entity resolution), and the answer streams a
// line per file as each is stored or refused:
//
//	{"index": n, "file": "name", "outcome": "added|held|failed|skipped",
//	 "documents": n, "new": n, "ids": [...], "bytes": n, "warnings": [...], "reason": "..."}
//
// and last {"summary": pipeline.Stats, "error"?: "why the upload stopped"}.
// A file whose name is not a plain file name (a path, not UTF-8, control
// characters) or that is too large is refused with the reason and nothing
// of it is stored; the other files still land. The upload is audited as
// "upload" of the collection before anything is stored.

// Loader runs uploaded files through the ingest pipeline. One upload runs
// at a time: the entity resolver keeps every name in memory, and two at
// once would each make an entity the other cannot see.
type Loader struct {
	// Store receives the documents and resolves their names.
	Store LoaderStore
	// Extractor finds the mentions (cmd/mosaic's newExtractor).
	Extractor *extract.Extractor
	// Lock, if set, takes the data folder's ingest lock for the length of
	// an upload, so that an upload and a `mosaic ingest` never resolve at
	// once; it fails at once when the lock is held.
	Lock func() (release func(), err error)
	// Limits bound one file (MaxFileSize) and one request
	// (MaxArchiveTotal), besides what the parsers read; zero fields are
	// document.DefaultLimits'.
	Limits document.Limits
	// Timeout bounds an upload, from its first byte to its last line;
	// zero means DefaultUploadTimeout. It replaces the server's
	// RequestTimeout, which is too short to read and extract many files.
	Timeout time.Duration
	// TempDir holds the files while they are read; empty means
	// os.TempDir().
	TempDir string
	// busy holds a token while an upload runs.
	busy     chan struct{}
	makeBusy sync.Once
}

// LoaderStore is what an upload needs of a store: ingestion's writes and
// the entity resolver's reads and writes.
type LoaderStore interface {
	pipeline.Store
	entity.Store
}

// NewLoader returns a Loader storing into st with ex, taking lock (which
// may be nil) for each upload.
func NewLoader(st LoaderStore, ex *extract.Extractor, lock func() (func(), error)) *Loader {
	return &Loader{Store: st, Extractor: ex, Lock: lock}
}

// DefaultUploadTimeout bounds an upload when the Loader sets no Timeout.
const DefaultUploadTimeout = 30 * time.Minute

// maxUploadFiles bounds the files of one upload; further ones are refused.
const maxUploadFiles = 1000

// maxFileName is the longest file name an upload accepts, in bytes, as
// most file systems allow.
const maxFileName = 255

// uploadLine is one file's line of the answer.
type uploadLine struct {
	// Index is the file's place among the upload's files, from 0, which
	// tells apart two files of one name.
	Index     int              `json:"index"`
	File      string           `json:"file"`
	Outcome   pipeline.Outcome `json:"outcome"`
	Documents int              `json:"documents"`
	New       int              `json:"new"`
	IDs       []mosaic.DocID   `json:"ids,omitempty"`
	Bytes     int64            `json:"bytes"`
	Warnings  []string         `json:"warnings,omitempty"`
	Reason    string           `json:"reason,omitempty"`
}

// uploadSummary is the answer's last line.
type uploadSummary struct {
	Summary pipeline.Stats `json:"summary"`
	Error   string         `json:"error,omitempty"`
}

// received is a file of the upload: saved to path, or refused.
type received struct {
	name string // as the client named it, made valid UTF-8 for the answer
	path string // the saved copy; empty for a refused file
	line *uploadLine
}

// isUpload reports whether r is an upload, whose body is multipart.
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/api/v1/collections/") &&
		strings.HasSuffix(r.URL.Path, "/documents") && strings.Count(r.URL.Path, "/") == 5
}

// upload answers POST /api/v1/collections/{name}/documents.
func (s *Server) upload(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if s.Loader == nil {
		s.noRoute(w, r)
		return
	}
	u, _ := userOf(r)
	if u.Role != store.Admin && u.Role != store.Analyst {
		s.audit(r, "upload", name, outcomeOf(http.StatusForbidden))
		refuse(w, http.StatusForbidden, "a %s may not upload files: only analysts and admins may", u.Role)
		return
	}
	if err := s.uploadTarget(r, u, name); err != nil {
		s.refuseUpload(w, r, name, err)
		return
	}
	l := s.Loader
	lim := l.limits()
	// The upload has its own deadline, longer than a read's, on its
	// context and its connection; a client that goes away before the
	// server's own deadline still stops it.
	timeout := l.Timeout
	if timeout <= 0 {
		timeout = DefaultUploadTimeout
	}
	end := time.Now().Add(timeout)
	rc := http.NewResponseController(w)
	rc.SetReadDeadline(end)
	rc.SetWriteDeadline(end)
	ctx, cancel := context.WithDeadline(context.WithoutCancel(r.Context()), end)
	defer cancel()
	stop := context.AfterFunc(r.Context(), func() {
		if errors.Is(r.Context().Err(), context.Canceled) {
			cancel()
		}
	})
	defer stop()

	r.Body = http.MaxBytesReader(w, r.Body, lim.MaxArchiveTotal)
	mr, err := r.MultipartReader()
	if errors.Is(err, http.ErrNotMultipart) {
		s.audit(r, "upload", name, outcomeOf(http.StatusUnsupportedMediaType))
		refuse(w, http.StatusUnsupportedMediaType, "Content-Type %q not accepted: send multipart/form-data", r.Header.Get("Content-Type"))
		return
	}
	if err != nil {
		s.refuseUpload(w, r, name, &bodyError{fmt.Errorf("is not multipart/form-data: %w", err)})
		return
	}
	// The log holds the upload before anything of it is stored.
	if err := s.audit(r, "upload", name, "ok"); err != nil {
		s.fail(w, r, fmt.Errorf("%w: the audit log cannot record this upload, so nothing is stored; try again later", errUnavailable))
		return
	}
	dir, err := os.MkdirTemp(l.TempDir, "mosaic-upload-")
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer os.RemoveAll(dir)
	files, stopped := receive(mr, dir, lim)
	if len(files) == 0 && stopped == nil {
		s.fail(w, r, &bodyError{errors.New("holds no file: send each as a part with a filename")})
		return
	}
	release, err := l.acquire(ctx)
	if err != nil {
		s.fail(w, r, err)
		return
	}
	defer release()

	w.Header().Set("Content-Type", "application/x-ndjson; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	enc := json.NewEncoder(w)
	write := func(v any) {
		err := enc.Encode(v)
		if err == nil {
			if err = rc.Flush(); errors.Is(err, http.ErrNotSupported) {
				err = nil
			}
		}
		if err != nil {
			cancel() // the client has gone: stop reading files for it
		}
	}
	var sum pipeline.Stats
	byPath := map[string]*received{}
	var paths []string
	for i := range files {
		f := &files[i]
		if f.path == "" {
			sum.Files++
			sum.Failed++
			write(f.line)
			continue
		}
		byPath[f.path] = f
		paths = append(paths, f.path)
	}
	var runErr error
	if len(paths) > 0 {
		var st pipeline.Stats
		st, runErr = l.run(ctx, u.Agency, name, paths, func(ev pipeline.Event) {
			f := byPath[ev.Path]
			if f == nil {
				return
			}
			delete(byPath, ev.Path)
			line := f.line
			line.Outcome, line.Documents, line.New, line.IDs = ev.Outcome, ev.Documents, ev.New, ev.IDs
			// Reasons and warnings name the saved copy; the analyst knows
			// the file by its own name.
			line.Reason = strings.ReplaceAll(ev.Reason, f.path, f.name)
			for _, w := range ev.Warnings {
				line.Warnings = append(line.Warnings, strings.ReplaceAll(w, f.path, f.name))
			}
			write(line)
		})
		st.Files += sum.Files
		st.Failed += sum.Failed
		sum = st
	}
	out := uploadSummary{Summary: sum}
	if runErr != nil {
		_, msg := statusOf(r.WithContext(ctx), runErr)
		out.Error = "the upload stopped: " + msg
		// Every file not reported is not stored, or not wholly.
		for i := range files {
			if f := &files[i]; byPath[f.path] == f {
				f.line.Outcome, f.line.Reason = pipeline.Failed, out.Error
				out.Summary.Files++
				out.Summary.Failed++
				write(f.line)
			}
		}
	}
	if stopped != nil && out.Error == "" {
		out.Error = stopped.Error()
	}
	write(out)
}

// uploadTarget checks that the caller may load into the collection name:
// one of their agency's they can read, or none yet of that name.
func (s *Server) uploadTarget(r *http.Request, u store.User, name string) error {
	if strings.TrimSpace(name) == "" || !utf8.ValidString(name) || strings.ContainsFunc(name, unicode.IsControl) || len(name) > 200 {
		return &paramError{"name", "must be a collection name: 1 to 200 bytes of UTF-8 text without control characters"}
	}
	notYours := fmt.Errorf("%w: no collection %q of agency %s that you may load into", store.ErrNotFound, name, u.Agency)
	seen, err := s.Loader.Store.Collections(r.Context(), scopeOf(r))
	if err != nil {
		return err
	}
	for _, c := range seen {
		if c.Name == name {
			if c.Agency != u.Agency {
				return notYours
			}
			return nil
		}
	}
	// Not in the caller's scope: new, or someone else's (another
	// agency's, or labelled above the caller's clearance).
	all, err := s.Loader.Store.Collections(r.Context(), store.Scope{})
	if err != nil {
		return err
	}
	for _, c := range all {
		if c.Name == name {
			return notYours
		}
	}
	return nil
}

// refuseUpload audits an upload refused before anything was stored, and
// answers it.
func (s *Server) refuseUpload(w http.ResponseWriter, r *http.Request, name string, err error) {
	status, _ := statusOf(r, err)
	s.audit(r, "upload", name, outcomeOf(status))
	s.fail(w, r, err)
}

// receive saves each file part of mr under dir, in a folder of its own,
// until the body ends. A file refused (its name, its size, one too many)
// is returned with its line filled. stopped says why the body could not
// be read to its end, if it could not; the files before are returned.
func receive(mr *multipart.Reader, dir string, lim document.Limits) (files []received, stopped error) {
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return files, nil
		}
		if err != nil {
			return files, readStop(err, files, lim)
		}
		raw, isFile := fileNameOf(p)
		if !isFile {
			if _, err := io.Copy(io.Discard, p); err != nil {
				return files, readStop(err, files, lim)
			}
			continue
		}
		f := received{name: strings.ToValidUTF8(raw, "\uFFFD")}
		f.line = &uploadLine{Index: len(files), File: f.name, Outcome: pipeline.Failed}
		refuse := func(format string, args ...any) {
			f.line.Reason = fmt.Sprintf("%s: ", strconv.Quote(f.name)) + fmt.Sprintf(format, args...) + "; nothing of it is stored"
		}
		if problem := badFileName(raw); problem != "" {
			refuse("%s", problem)
		} else if len(files) >= maxUploadFiles {
			refuse("one upload takes at most %d files", maxUploadFiles)
		} else {
			sub := filepath.Join(dir, strconv.Itoa(len(files)))
			path := filepath.Join(sub, raw)
			body := &bodyReader{r: p}
			n, err := save(body, sub, path, lim.MaxFileSize)
			f.line.Bytes = n
			switch {
			case body.err != nil:
				stop := readStop(body.err, files, lim)
				refuse("%s", stop)
				return append(files, f), stop
			case err != nil:
				refuse("the server could not save it")
				return append(files, f), fmt.Errorf("the server could not save %q to a temporary file", f.name)
			case n > lim.MaxFileSize:
				refuse("larger than %s, the limit of one file", sizeOf(lim.MaxFileSize))
				os.RemoveAll(sub)
			default:
				f.path = path
			}
		}
		// Whatever of the part is left is read past, so that the next
		// file can be reached.
		if _, err := io.Copy(io.Discard, p); err != nil {
			// A file wholly saved before the body broke off still lands.
			return append(files, f), readStop(err, files, lim)
		}
		files = append(files, f)
	}
}

// save copies at most max+1 bytes of r to path, made with its folder sub,
// and returns the bytes copied: more than max means the file is too large.
func save(r io.Reader, sub, path string, max int64) (int64, error) {
	if err := os.Mkdir(sub, 0o700); err != nil {
		return 0, err
	}
	out, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return 0, err
	}
	n, err := io.Copy(out, io.LimitReader(r, max+1))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return n, err
}

// bodyReader reads the upload's body, remembering a failure to read it
// apart from a failure to write the copy.
type bodyReader struct {
	r   io.Reader
	err error
}

func (b *bodyReader) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if err != nil && err != io.EOF {
		b.err = err
	}
	return n, err
}

// readStop says why the upload's body could not be read on after files.
func readStop(err error, files []received, lim document.Limits) error {
	after := "before any file"
	if len(files) > 0 {
		after = "after " + strconv.Quote(files[len(files)-1].name)
	}
	if tooBig := (*http.MaxBytesError)(nil); errors.As(err, &tooBig) {
		return fmt.Errorf("the upload is larger than %s, the limit of one upload: it was read no further %s", sizeOf(lim.MaxArchiveTotal), after)
	}
	return fmt.Errorf("the upload could not be read on %s: %v", after, err)
}

// fileNameOf returns the filename a part names, as sent: multipart's
// FileName would cut a path to its last element, and an upload named
// "../../x" is to be refused, not quietly renamed.
func fileNameOf(p *multipart.Part) (string, bool) {
	_, params, err := mime.ParseMediaType(p.Header.Get("Content-Disposition"))
	if err != nil {
		return "", false
	}
	name, ok := params["filename"]
	return name, ok
}

// badFileName says what makes name no plain file name, or "".
func badFileName(name string) string {
	switch {
	case name == "":
		return "the file has no name"
	case !utf8.ValidString(name):
		return "the name is not valid UTF-8"
	case strings.ContainsFunc(name, unicode.IsControl):
		return "the name holds control characters"
	case strings.ContainsAny(name, `/\`) || name == "." || name == "..":
		return "the name is a path, not a file name"
	case len(name) > maxFileName:
		return fmt.Sprintf("the name is longer than %d bytes", maxFileName)
	}
	return ""
}

// sizeOf writes a limit in the unit that reads best.
func sizeOf(n int64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	case n >= 1<<10 && n%(1<<10) == 0:
		return fmt.Sprintf("%d KiB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// limits are the Loader's limits, defaults filled.
func (l *Loader) limits() document.Limits {
	lim, def := l.Limits, document.DefaultLimits()
	if lim.MaxFileSize <= 0 {
		lim.MaxFileSize = def.MaxFileSize
	}
	if lim.MaxArchiveTotal <= 0 {
		lim.MaxArchiveTotal = def.MaxArchiveTotal
	}
	return lim
}

// acquire waits for the uploads before to finish, then takes the ingest
// lock; release undoes both.
func (l *Loader) acquire(ctx context.Context) (release func(), err error) {
	l.makeBusy.Do(func() { l.busy = make(chan struct{}, 1) })
	select {
	case l.busy <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	free := func() { <-l.busy }
	if l.Lock == nil {
		return free, nil
	}
	unlock, err := l.Lock()
	if err != nil {
		free()
		return nil, fmt.Errorf("%w: %v", errUnavailable, err)
	}
	return func() { unlock(); free() }, nil
}

// run loads paths into the collection for agency as `mosaic ingest` does:
// names an earlier run left unresolved first, then the files, each
// reported as it is stored.
func (l *Loader) run(ctx context.Context, agency, collection string, paths []string, report func(pipeline.Event)) (pipeline.Stats, error) {
	res, err := entity.NewResolver(ctx, l.Store)
	if err != nil {
		return pipeline.Stats{}, err
	}
	if _, err := res.Pending(ctx); err != nil {
		return pipeline.Stats{}, err
	}
	opts := pipeline.Options{Collection: collection, Agency: agency, Limits: l.Limits, Resolver: res}
	if len(paths) > 0 {
		// A file is kept at ROOT/N/NAME while it is read; its documents
		// name it NAME, as it was sent (an archive's members NAME!inner).
		root := filepath.Dir(filepath.Dir(paths[0])) + string(filepath.Separator)
		opts.SourceOf = func(path string) string {
			if rel, ok := strings.CutPrefix(path, root); ok {
				if _, name, ok := strings.Cut(rel, string(filepath.Separator)); ok {
					return name
				}
			}
			return path
		}
	}

	opts.Limits.MaxFileSize = l.limits().MaxFileSize
	return pipeline.Run(ctx, l.Store, l.Extractor, paths, opts, report)
}
