package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"text/tabwriter"
	"time"

	"mosaic"
	"mosaic/internal/auth"
	"mosaic/internal/corpus"
	"mosaic/internal/document"
	"mosaic/internal/ingest"
	"mosaic/internal/search"
	"mosaic/internal/store"
	"mosaic/internal/store/postgres"
)

func init() { benchmarks["serve"] = runBenchServe }

// endpointLatency is the latency of one endpoint at one corpus size.
type endpointLatency struct {
	Documents int    `json:"documents"`
	Endpoint  string `json:"endpoint"`
	Requests  int    `json:"requests"`
	Errors    int    `json:"errors"`
	latencyRow
	// FirstMs is the endpoint's first request, which builds whatever the
	// server caches; it is not among the percentiles.
	FirstMs float64 `json:"first_ms,omitempty"`
	// PeakRSSMB, on the row of all endpoints, is the process's peak
	// resident memory while serving the corpus (the caches included).
	PeakRSSMB float64 `json:"peak_rss_mb,omitempty"`
	// Also on that row: the store's size on disk, and, when this run
	// ingested the corpus, the documents it stored per second (resolution
	// included) and the peak resident memory while it did.
	StoreMB          float64 `json:"store_mb,omitempty"`
	IngestDocsPerSec float64 `json:"ingest_docs_per_s,omitempty"`
	IngestPeakRSSMB  float64 `json:"ingest_peak_rss_mb,omitempty"`
}

func runBenchServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench serve", "[--docs case,10000,100000] [--clients 8] [--requests 1600] [--dir D | --postgres URL] [--json]",
		"Measures the latency of the main read endpoints of the JSON API (search, the document list,\n"+
			"a document, name lookup, an entity's profile and its neighbours) under concurrent\n"+
			"clients, at each corpus size: 'case' is the bundled sample case, a number a generated\n"+
			"corpus of that many news-length documents, ingested with entity resolution as\n"+
			"'mosaic ingest' does. The server listens on the loopback interface only. With --dir the\n"+
			"stores are kept there and reused by later runs, since ingesting 100,000 documents takes\n"+
			"minutes. With --postgres the stores are schemas of that database (mosaic_bench_serve_SIZE),\n"+
			"kept and reused the same way, sealed with the key of $MOSAIC_KEY_FILE or $MOSAIC_KEY.\n"+
			"Prints p50, p95, p99 and the maximum per endpoint, in milliseconds.")
	sizes := fs.String("docs", "case,10000,100000", "corpus sizes, comma-separated: 'case' or a number of documents")
	clients := fs.Int("clients", 8, "concurrent clients")
	requests := fs.Int("requests", 1600, "requests per corpus size, spread evenly over the endpoints")
	workdir := fs.String("dir", "", "where to build and keep the stores (default: a temporary folder, removed after)")
	asJSON := fs.Bool("json", false, "print JSON")
	pg := fs.String("postgres", "", "a postgres:// database to measure instead of SQLite, a schema per size")
	batch := batchFlag(fs)
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *clients <= 0 || *requests <= 0 {
		return fmt.Errorf("--clients and --requests must be positive")
	}
	if err := checkBatch(*batch); err != nil {
		return err
	}
	var ns []int // 0 stands for the bundled case
	for _, s := range strings.Split(*sizes, ",") {
		s = strings.TrimSpace(s)
		if s == "case" {
			ns = append(ns, 0)
			continue
		}
		n, err := strconv.Atoi(s)
		if err != nil || n <= 0 {
			return fmt.Errorf("--docs: %q is neither 'case' nor a positive number", s)
		}
		ns = append(ns, n)
	}
	dir := *workdir
	if dir == "" {
		tmp, err := os.MkdirTemp("", "mosaic-bench-serve-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	var rows []endpointLatency
	for _, n := range ns {
		name := "case"
		if n > 0 {
			name = strconv.Itoa(n)
		}
		db := filepath.Join(dir, name)
		if *pg != "" {
			var err error
			if db, err = postgres.InSchema(ctx, *pg, "mosaic_bench_serve_"+name); err != nil {
				return err
			}
		}
		resetPeakRSS()
		st, docs, loaded, err := benchStore(ctx, e, db, n, *batch)
		if err != nil {
			return err
		}
		loadRSS := peakRSSMB()
		r, err := measureLatency(ctx, st, docs, *clients, *requests)
		if err == nil {
			all := &r[len(r)-1]
			if sized, ok := st.(interface {
				Size(context.Context) (int64, error)
			}); ok {
				var size int64
				size, err = sized.Size(ctx)
				all.StoreMB = float64(size) / (1 << 20)
			}
			if loaded.docs > 0 {
				all.IngestDocsPerSec = float64(loaded.docs) / loaded.took.Seconds()
				all.IngestPeakRSSMB = loadRSS
			}
		}
		st.Close()
		if err != nil {
			return err
		}
		rows = append(rows, r...)
		if !*asJSON {
			all := r[len(r)-1]
			fmt.Fprintf(e.stderr, "%d documents: p50 %.1f ms, p95 %.1f ms over %d requests, peak RSS %.0f MB; store %.0f MB\n",
				docs, all.P50, all.P95, all.Requests, all.PeakRSSMB, all.StoreMB)
			if loaded.docs > 0 {
				fmt.Fprintf(e.stderr, "%d documents: ingested %d at %.0f docs/s with resolution, peak RSS %.0f MB\n",
					docs, loaded.docs, all.IngestDocsPerSec, all.IngestPeakRSSMB)
			}
		}
	}
	if *asJSON {
		return e.jsonOut().Encode(rows)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "documents\tendpoint\trequests\terrors\tp50 ms\tp95 ms\tmax ms\tfirst ms\t\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%d\t%s\t%d\t%d\t%.1f\t%.1f\t%.1f\t%.1f\t\n", r.Documents, r.Endpoint, r.Requests, r.Errors,
			r.P50, r.P95, r.Max, r.FirstMs)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "(%d clients on loopback; %s)\n", *clients, machine())
	return nil
}

// benchLoad is what a bench run ingested: documents new to the store, and
// the time the ingest took (writing the generated files not counted).
type benchLoad struct {
	docs int
	took time.Duration
}

// benchStore opens the store db (a data folder or a PostgreSQL address)
// and fills it with the sample case (n is 0) or n generated documents,
// batch to a transaction, unless it holds them already. It returns the
// store, the documents it holds, and what it ingested.
func benchStore(ctx context.Context, e *env, db string, n, batch int) (store.Store, int, benchLoad, error) {
	// What loading says goes to stderr: stdout is the measurement's.
	quiet := *e
	quiet.stdout = e.stderr
	e = &quiet
	st, err := openStore(ctx, db, true)
	if err != nil {
		return nil, 0, benchLoad{}, err
	}
	// The case's and the corpus's files go beside a data folder, and to a
	// temporary folder for a database.
	dir := db
	if postgres.IsURL(db) {
		tmp, err := os.MkdirTemp("", "mosaic-bench-files-")
		if err != nil {
			st.Close()
			return nil, 0, benchLoad{}, err
		}
		defer os.RemoveAll(tmp)
		dir = tmp
	}
	var loaded benchLoad
	_, total, err := st.Documents(ctx, store.DocumentFilter{Limit: 1})
	if err != nil {
		st.Close()
		return nil, 0, benchLoad{}, err
	}
	switch {
	case n == 0 && total == 0:
		err = loadCase(ctx, e, st, filepath.Join(dir, "case"))
	case n > 0 && total < n:
		// Documents are content-addressed, so a build cut short resumes.
		files := filepath.Join(dir, "corpus")
		if _, err = corpus.New(1).Write(files, n); err == nil {
			opts := ingest.Options{Collection: "bench", Agency: "bench", Limits: document.DefaultLimits(), BatchDocs: batch}
			var stats ingest.Stats
			stats, err = load(ctx, e, st, []string{files}, opts, false, nil)
			loaded = benchLoad{docs: stats.New, took: stats.Elapsed}
		}
		if err == nil {
			err = os.RemoveAll(files)
		}
	}
	if err == nil {
		_, total, err = st.Documents(ctx, store.DocumentFilter{Limit: 1})
	}
	if err != nil {
		st.Close()
		return nil, 0, benchLoad{}, err
	}
	return st, total, loaded, nil
}

// benchUserName is the user bench serve reads as: an analyst cleared for
// everything and granted every collection, so that it measures the whole
// store as an analyst's scope filters it.
const benchUserName = "bench-serve"

// benchUser returns the Authorization header of a new token of the bench
// user, and a function that revokes the token. The user and its grants are
// made on the first run against a store, and completed when later ones
// find collections it cannot read.
func benchUser(ctx context.Context, st store.Store) (string, func(), error) {
	u, _, err := st.UserByName(ctx, benchUserName)
	if errors.Is(err, store.ErrNotFound) {
		u, err = st.AddUser(ctx, store.User{Name: benchUserName, Agency: "bench", Role: store.Analyst,
			Clearance: store.Classifications[len(store.Classifications)-1]}, "")
	}
	if err != nil {
		return "", nil, fmt.Errorf("bench user: %w", err)
	}
	scope, err := st.ScopeOf(ctx, u)
	if err != nil {
		return "", nil, err
	}
	all, err := st.Collections(ctx, store.Scope{})
	if err != nil {
		return "", nil, err
	}
	for _, c := range all {
		if !scope.Allows(c.Name) {
			g := store.Grant{Collection: c.Name, User: benchUserName, By: benchUserName, Reason: "bench serve reads every collection"}
			if _, err := st.Grant(ctx, g); err != nil {
				return "", nil, fmt.Errorf("bench user: %w", err)
			}
		}
	}
	secret := auth.NewToken()
	tok, err := st.AddToken(ctx, benchUserName, "bench serve", auth.Digest(secret))
	if err != nil {
		return "", nil, fmt.Errorf("bench user: %w", err)
	}
	revoke := func() { st.RevokeToken(context.WithoutCancel(ctx), tok.ID) }
	return "Bearer " + secret, revoke, nil
}

// errUnavailable is a 503: the server is busy or still building.
var errUnavailable = errors.New("503 Service Unavailable")

// probe is one kind of request the load test makes.
type probe struct {
	name string
	// path returns the request for the i-th use of the probe.
	path func(rng *rand.Rand) string
}

// probes builds the requests of the load test from what st holds: names
// and entities drawn from the store, and documents those names find.
func probes(ctx context.Context, st store.Store) ([]probe, error) {
	type named struct {
		id   mosaic.EntityID
		name string
	}
	var people []named
	var ids []mosaic.EntityID
	seen := map[mosaic.EntityID]bool{}
	err := st.EntityNames(ctx, func(en mosaic.Entity, name string) error {
		if !seen[en.ID] {
			seen[en.ID] = true
			ids = append(ids, en.ID)
		}
		if en.Kind == mosaic.Person && strings.Contains(name, " ") {
			people = append(people, named{en.ID, name})
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if len(people) == 0 || len(ids) == 0 {
		return nil, errors.New("bench serve: the store names no people")
	}
	var docs []mosaic.DocID
	for i := 0; i < len(people) && i < 40; i++ {
		q := search.Parse(people[i*len(people)/min(40, len(people))].name)
		res, err := st.Search(ctx, store.SearchRequest{Query: q, Limit: 20})
		if err != nil {
			return nil, err
		}
		for _, h := range res.Hits {
			docs = append(docs, h.ID)
		}
	}
	if len(docs) == 0 {
		return nil, errors.New("bench serve: no search finds a document")
	}
	slices.Sort(docs)
	docs = slices.Compact(docs)
	person := func(rng *rand.Rand) named { return people[rng.IntN(len(people))] }
	entity := func(rng *rand.Rand) string { return strconv.FormatInt(int64(ids[rng.IntN(len(ids))]), 10) }
	return []probe{
		{"search", func(rng *rand.Rand) string {
			return "/api/v1/search?q=" + url.QueryEscape(person(rng).name)
		}},
		{"documents", func(rng *rand.Rand) string { return "/api/v1/documents?limit=50" }},
		{"document", func(rng *rand.Rand) string {
			return "/api/v1/documents/" + url.PathEscape(string(docs[rng.IntN(len(docs))]))
		}},
		{"entities?name=", func(rng *rand.Rand) string {
			name := person(rng).name
			return "/api/v1/entities?name=" + url.QueryEscape(name[:min(len(name), 3+rng.IntN(6))])
		}},
		{"entity", func(rng *rand.Rand) string { return "/api/v1/entities/" + entity(rng) }},
		{"neighbours", func(rng *rand.Rand) string {
			return "/api/v1/entities/" + strconv.FormatInt(int64(person(rng).id), 10) + "/neighbours?hops=1"
		}},
		{"2 hops", func(rng *rand.Rand) string {
			return "/api/v1/entities/" + strconv.FormatInt(int64(person(rng).id), 10) + "/neighbours?hops=2"
		}},
	}, nil
}

// measureLatency serves st on a loopback port and sends requests from
// clients concurrent clients, the probes in turn, and returns each probe's
// latencies and then all of them together.
func measureLatency(ctx context.Context, st store.Store, docs, clients, requests int) ([]endpointLatency, error) {
	ps, err := probes(ctx, st)
	if err != nil {
		return nil, err
	}
	bearer, revoke, err := benchUser(ctx, st)
	if err != nil {
		return nil, err
	}
	defer revoke()
	runtime.GC()
	resetPeakRSS()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	srv := &http.Server{Handler: newServer(st, slog.New(slog.DiscardHandler)).Handler(), ReadHeaderTimeout: 10 * time.Second}
	go srv.Serve(ln)
	defer srv.Shutdown(context.Background())
	base := "http://" + ln.Addr().String()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: clients}, Timeout: 2 * time.Minute}
	get := func(path string) (time.Duration, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, base+path, nil)
		if err != nil {
			return 0, err
		}
		req.Header.Set("Authorization", bearer)
		start := time.Now()
		resp, err := client.Do(req)
		if err != nil {
			return 0, err
		}
		_, err = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		took := time.Since(start)
		switch {
		case err != nil:
		case resp.StatusCode == http.StatusServiceUnavailable:
			err = fmt.Errorf("%s: %w", path, errUnavailable)
		case resp.StatusCode != http.StatusOK:
			err = fmt.Errorf("%s: %s", path, resp.Status)
		}
		return took, err
	}
	rows := make([]endpointLatency, len(ps))
	for i, p := range ps {
		// The first request of each kind builds what the server caches (the
		// name index, the network); it is reported apart, as the time until
		// it succeeds: a build that outlasts a request's deadline answers 503
		// and goes on.
		path := p.path(rand.New(rand.NewPCG(0, uint64(i))))
		start := time.Now()
		for {
			_, err := get(path)
			if err == nil {
				break
			}
			if !errors.Is(err, errUnavailable) || time.Since(start) > 15*time.Minute {
				return nil, fmt.Errorf("bench serve: first %s request: %w", p.name, err)
			}
		}
		rows[i] = endpointLatency{Documents: docs, Endpoint: p.name, FirstMs: ms(time.Since(start))}
	}
	lat := make([][]time.Duration, len(ps))
	errs := make([]int, len(ps))
	var mu sync.Mutex
	var next atomic.Int64
	var wg sync.WaitGroup
	for range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= requests || ctx.Err() != nil {
					return
				}
				k := i % len(ps)
				took, err := get(ps[k].path(rand.New(rand.NewPCG(1, uint64(i)))))
				mu.Lock()
				if err != nil {
					errs[k]++
				} else {
					lat[k] = append(lat[k], took)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var all []time.Duration
	allErrs := 0
	for k := range ps {
		fillLatency(&rows[k], lat[k], errs[k])
		all = append(all, lat[k]...)
		allErrs += errs[k]
	}
	total := endpointLatency{Documents: docs, Endpoint: "all", PeakRSSMB: peakRSSMB()}
	fillLatency(&total, all, allErrs)
	return append(rows, total), nil
}

// fillLatency sets a row's counts and percentiles.
func fillLatency(r *endpointLatency, d []time.Duration, errs int) {
	r.Requests, r.Errors = len(d)+errs, errs
	if len(d) > 0 {
		r.latencyRow = newLatencyRow(d)
	}
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1e3 }
