package main

import (
	"bufio"
	"cmp"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"

	"mosaic/internal/corpus"
	"mosaic/internal/document"
	"mosaic/internal/entity"
	"mosaic/internal/ingest"
	"mosaic/internal/store/postgres"
	"mosaic/internal/store/sqlite"
	"mosaic/internal/store/sqlstore"
)

// benchRow is one measured ingestion.
type benchRow struct {
	Documents  int     `json:"documents"`
	MB         float64 `json:"mb"`
	Seconds    float64 `json:"seconds"`
	DocsPerSec float64 `json:"docs_per_second"`
	MBPerSec   float64 `json:"mb_per_second"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
	PeakHeapMB float64 `json:"peak_heap_mb"`
	Mentions   int     `json:"mentions"`
	Workers    int     `json:"workers"`
	Batch      int     `json:"batch"` // the most documents a transaction wrote
	// CPUMsPerDoc is the CPU time the process spent a document (not a
	// PostgreSQL server's); 0 where it is not measured. Two CPUs carry at
	// most 2,000/CPUMsPerDoc documents a second, however the work is
	// spread over them.
	CPUMsPerDoc float64 `json:"cpu_ms_per_doc"`
	CPUs        int     `json:"cpus"`
	GoMaxProcs  int     `json:"gomaxprocs"`
	StoreSizeMB float64 `json:"store_mb"`
}

// benchmarks are the measurements 'mosaic bench' makes besides ingest
// throughput, each with its own flags: 'mosaic bench NAME -h'.
var benchmarks = map[string]func(ctx context.Context, e *env, args []string) error{}

func runBench(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		if b, ok := benchmarks[args[0]]; ok {
			return b(ctx, e, args[1:])
		}
	}
	fs := newFlags(e, "bench", "ingest|document|serve [flags]",
		"'bench ingest' generates a corpus of news-length documents for each size, ingests it into a\n"+
			"fresh data folder, and reports documents/s, MB/s and peak memory. Flat memory across\n"+
			"sizes shows that ingestion streams. 'bench document' measures one large file at a time,\n"+
			"'bench serve' the latency of the API; their flags follow.")
	sizes := fs.String("docs", "2500,5000,10000", "corpus sizes to measure, comma-separated")
	asJSON := fs.Bool("json", false, "print JSON")
	workdir := fs.String("dir", "", "where to write corpora and stores (default: a temporary folder)")
	resolve := fs.Bool("resolve", true, "resolve entities as mosaic ingest does; false measures reading, extraction and storage alone")
	workers := fs.Int("workers", 0, "files read and extracted in parallel (default: one per CPU, one fewer with --resolve)")
	pg := fs.String("postgres", "", "a postgres:// database to measure instead of SQLite: each size is stored in a schema of its own, dropped afterwards")
	batch := batchFlag(fs)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 || pos[0] != "ingest" {
		fs.Usage()
		return errUsage
	}
	if err := checkBatch(*batch); err != nil {
		return err
	}
	var ns []int
	for _, s := range strings.Split(*sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return fmt.Errorf("--docs: %q is not a positive number", s)
		}
		ns = append(ns, n)
	}
	dir := *workdir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "mosaic-bench-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	}
	var rows []benchRow
	for _, n := range ns {
		row, err := benchIngest(ctx, filepath.Join(dir, strconv.Itoa(n)), n, benchIngestRun{resolve: *resolve, workers: *workers, batch: *batch, pg: *pg})
		if err != nil {
			return err
		}
		rows = append(rows, row)
		if !*asJSON {
			fmt.Fprintf(e.stderr, "%d documents: %.0f docs/s, peak RSS %.0f MB\n", n, row.DocsPerSec, row.PeakRSSMB)
		}
	}
	if *asJSON {
		return e.jsonOut().Encode(rows)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "documents\tMB\tseconds\tdocs/s\tMB/s\tpeak RSS MB\tpeak heap MB\tmentions\tstore MB\tworkers\tbatch\tCPU ms/doc\t\n")
	for _, r := range rows {
		cpu := "-"
		if r.CPUMsPerDoc > 0 {
			cpu = fmt.Sprintf("%.2f", r.CPUMsPerDoc)
		}
		fmt.Fprintf(tw, "%d\t%.1f\t%.2f\t%.0f\t%.2f\t%.0f\t%.0f\t%d\t%.1f\t%d\t%d\t%s\t\n", r.Documents, r.MB, r.Seconds,
			r.DocsPerSec, r.MBPerSec, r.PeakRSSMB, r.PeakHeapMB, r.Mentions, r.StoreSizeMB, r.Workers, r.Batch, cpu)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "(%s)\n", machine())
	return nil
}

// benchIngestRun is how bench ingest runs each size: with resolution or
// not, the readers and the transaction size (0: ingest's defaults), into
// SQLite or the PostgreSQL database pg.
type benchIngestRun struct {
	resolve        bool
	workers, batch int
	pg             string
}

// benchIngest generates n documents under dir and measures their ingestion
// into a fresh store: a data folder in dir, or a new schema of the
// PostgreSQL database run.pg.
func benchIngest(ctx context.Context, dir string, n int, run benchIngestRun) (benchRow, error) {
	pg := run.pg
	files := filepath.Join(dir, "corpus")
	bytes, err := corpus.New(1).Write(files, n)
	if err != nil {
		return benchRow{}, fmt.Errorf("generate corpus: %w", err)
	}
	var st *sqlstore.Store
	if pg == "" {
		st, err = sqlite.Open(ctx, filepath.Join(dir, "store"))
	} else {
		schema := fmt.Sprintf("mosaic_bench_%d_%d", n, time.Now().UnixNano())
		var addr string
		if addr, err = postgres.InSchema(ctx, pg, schema); err != nil {
			return benchRow{}, err
		}
		defer postgres.DropSchema(context.Background(), pg, schema)
		key, kerr := sqlstore.NewKey()
		if kerr != nil {
			return benchRow{}, kerr
		}
		st, err = postgres.Open(ctx, addr, sqlstore.WithKey(key))
	}
	if err != nil {
		return benchRow{}, err
	}
	defer st.Close()
	runtime.GC()
	resetPeakRSS()
	heap := sampleHeap()
	cpu0, cpuOK := cpuTime()
	start := time.Now()
	// The same pipeline as mosaic ingest, entity resolution included
	// unless asked otherwise.
	opts := ingest.Options{Collection: "bench", Agency: "bench", Limits: document.DefaultLimits(), Workers: run.workers, BatchDocs: run.batch}
	if run.resolve {
		if opts.Resolver, err = entity.NewResolver(ctx, st); err != nil {
			return benchRow{}, err
		}
	}
	stats, err := ingest.Run(ctx, st, newExtractor(), []string{files}, opts, nil)
	elapsed := time.Since(start)
	cpu1, _ := cpuTime()
	peakHeap := heap()
	if err != nil {
		return benchRow{}, err
	}
	if stats.Failed > 0 || stats.New != n {
		return benchRow{}, fmt.Errorf("bench: %d of %d documents stored, %d failed", stats.New, n, stats.Failed)
	}
	size, err := st.Size(ctx)
	if err != nil {
		return benchRow{}, err
	}
	secs := elapsed.Seconds()
	mb := float64(bytes) / 1e6
	var cpuMs float64
	if cpuOK {
		cpuMs = float64((cpu1 - cpu0).Microseconds()) / 1e3 / float64(n)
	}
	return benchRow{
		Documents: n, MB: mb, Seconds: secs, DocsPerSec: float64(n) / secs, MBPerSec: mb / secs,
		PeakRSSMB: peakRSSMB(), PeakHeapMB: float64(peakHeap) / 1e6, Mentions: stats.Mentions, Workers: stats.Workers, Batch: cmp.Or(run.batch, ingest.DefaultBatchDocs), CPUMsPerDoc: cpuMs,
		CPUs: runtime.NumCPU(), GoMaxProcs: runtime.GOMAXPROCS(0), StoreSizeMB: float64(size) / 1e6,
	}, nil
}

// machine describes the machine a measurement ran on.
func machine() string {
	return fmt.Sprintf("%d CPUs, GOMAXPROCS %d, %s/%s", runtime.NumCPU(), runtime.GOMAXPROCS(0), runtime.GOOS, runtime.GOARCH)
}

// resetPeakRSS resets the kernel's high-water mark of this process's
// resident memory (Linux; elsewhere the figure covers the whole process).
func resetPeakRSS() {
	os.WriteFile("/proc/self/clear_refs", []byte("5"), 0)
}

// peakRSSMB reads the high-water mark of resident memory, in MB.
func peakRSSMB() float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1e3
		}
	}
	return 0
}

// sampleHeap samples the Go heap every 20 ms until the returned function is
// called, which returns the largest sample.
func sampleHeap() func() uint64 {
	var peak uint64 // written by the sampler only; read after it has stopped
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		t := time.NewTicker(20 * time.Millisecond)
		defer t.Stop()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
			select {
			case <-stop:
				return
			case <-t.C:
			}
		}
	}()
	return func() uint64 {
		close(stop)
		<-done
		return peak
	}
}

func dirSizeMB(dir string) float64 {
	var total int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if fi, err := d.Info(); err == nil {
				total += fi.Size()
			}
		}
		return nil
	})
	return float64(total) / 1e6
}
