package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
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
	"mosaic/internal/search"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

func init() { benchmarks["document"] = runBenchDocument }

// benchDocRow is one single-file ingestion, measured in a process of its
// own, and a search of what it stored.
type benchDocRow struct {
	MB         float64 `json:"mb"`
	Seconds    float64 `json:"seconds"`
	MBPerSec   float64 `json:"mb_per_second"`
	PeakRSSMB  float64 `json:"peak_rss_mb"`
	PeakHeapMB float64 `json:"peak_heap_mb"`
	Mentions   int     `json:"mentions"`
	Parts      int     `json:"parts"`
	Documents  int     `json:"documents"`
	Warnings   int     `json:"warnings"`
	Resolved   bool    `json:"resolved"`
	StoreMB    float64 `json:"store_mb"`
	// Search is a search for a name the file is full of: its hits, and
	// the time of the first (cold) and the best of three more.
	Query        string  `json:"query"`
	SearchHits   int     `json:"search_hits"`
	SearchColdMS float64 `json:"search_cold_ms"`
	SearchMS     float64 `json:"search_ms"`
	CPUs         int     `json:"cpus"`
	GoMaxProcs   int     `json:"gomaxprocs"`
}

// benchQuery is a surname the generated chat names on every page.
const benchQuery = "Ferhat"

func runBenchDocument(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "bench document", "[--mb 1,20,100,250] [--json] [--dir D]",
		"For each size, generates one mention-dense text file (a chat export), ingests it with entity\n"+
			"resolution, as mosaic ingest does, in a process of its own so that its peak memory is its own,\n"+
			"and then searches it for a name. Flat peak memory across sizes shows that one document's\n"+
			"work is bounded however large the file.")
	sizes := fs.String("mb", "1,20,100,250", "file sizes to measure, in MB (10^6 bytes), comma-separated")
	asJSON := fs.Bool("json", false, "print JSON")
	workdir := fs.String("dir", "", "where to write the files and stores (default: a temporary folder); a file of the right size already there is reused")
	child := fs.String("child", "", "(internal) ingest this one file into --store in this process and print the measurement as JSON")
	storeDir := fs.String("store", "", "(internal) the data folder --child ingests into")
	resolve := fs.Bool("resolve", true, "resolve entities as mosaic ingest does; false measures reading, extraction and storage alone")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		fs.Usage()
		return errUsage
	}
	if *child != "" {
		row, err := benchDocumentChild(ctx, *child, *storeDir, *resolve)
		if err != nil {
			return err
		}
		return json.NewEncoder(e.stdout).Encode(row)
	}
	var mbs []float64
	for _, s := range strings.Split(*sizes, ",") {
		mb, err := strconv.ParseFloat(strings.TrimSpace(s), 64)
		if err != nil || mb <= 0 {
			return fmt.Errorf("--mb: %q is not a positive number", s)
		}
		mbs = append(mbs, mb)
	}
	dir := *workdir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "mosaic-bench-document-"); err != nil {
			return err
		}
		defer os.RemoveAll(dir)
	} else if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	var rows []benchDocRow
	for _, mb := range mbs {
		row, err := benchDocument(ctx, exe, dir, mb, *resolve)
		if err != nil {
			return err
		}
		rows = append(rows, row)
		if !*asJSON {
			fmt.Fprintf(e.stderr, "%g MB: %.1f s, peak RSS %.0f MB, %d parts, search %.0f ms\n", mb, row.Seconds, row.PeakRSSMB, row.Parts, row.SearchMS)
		}
	}
	if *asJSON {
		return e.jsonOut().Encode(rows)
	}
	tw := tabwriter.NewWriter(e.stdout, 2, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "MB\tseconds\tMB/s\tpeak RSS MB\tpeak heap MB\tmentions\tparts\twarnings\tstore MB\thits\tsearch cold ms\tsearch ms\t\n")
	for _, r := range rows {
		fmt.Fprintf(tw, "%.1f\t%.1f\t%.2f\t%.0f\t%.0f\t%d\t%d\t%d\t%.0f\t%d\t%.0f\t%.0f\t\n", r.MB, r.Seconds, r.MBPerSec, r.PeakRSSMB,
			r.PeakHeapMB, r.Mentions, r.Parts, r.Warnings, r.StoreMB, r.SearchHits, r.SearchColdMS, r.SearchMS)
	}
	tw.Flush()
	fmt.Fprintf(e.stdout, "(search: %q; %s)\n", benchQuery, machine())
	return nil
}

// benchDocument generates (or reuses) the file of mb megabytes under dir,
// ingests it into a fresh store in a child process, and searches it.
func benchDocument(ctx context.Context, exe, dir string, mb float64, resolve bool) (benchDocRow, error) {
	size := int64(mb * 1e6)
	file := filepath.Join(dir, fmt.Sprintf("chat-%gMB.txt", mb))
	if info, err := os.Stat(file); err != nil || info.Size() < size || info.Size() > size+200 {
		f, err := os.Create(file)
		if err != nil {
			return benchDocRow{}, err
		}
		_, err = corpus.New(1).WriteChat(f, size)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return benchDocRow{}, fmt.Errorf("generate %s: %w", file, err)
		}
	}
	storeDir := filepath.Join(dir, fmt.Sprintf("store-%gMB", mb))
	if err := os.RemoveAll(storeDir); err != nil {
		return benchDocRow{}, err
	}
	var out, errOut bytes.Buffer
	cmd := exec.CommandContext(ctx, exe, "bench", "document", "--child", file, "--store", storeDir, "--resolve="+strconv.FormatBool(resolve))
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return benchDocRow{}, fmt.Errorf("ingest %s: %w: %s", file, err, strings.TrimSpace(errOut.String()))
	}
	var row benchDocRow
	if err := json.Unmarshal(out.Bytes(), &row); err != nil {
		return benchDocRow{}, fmt.Errorf("ingest %s: %w", file, err)
	}
	st, err := sqlite.Open(ctx, storeDir)
	if err != nil {
		return benchDocRow{}, err
	}
	defer st.Close()
	req := store.SearchRequest{Query: search.Parse(benchQuery), Limit: 20}
	for i := range 4 {
		start := time.Now()
		res, err := st.Search(ctx, req)
		ms := time.Since(start).Seconds() * 1e3
		if err != nil {
			return benchDocRow{}, fmt.Errorf("search %s: %w", file, err)
		}
		row.SearchHits = res.Total
		if i == 0 {
			row.SearchColdMS, row.SearchMS = ms, ms
		} else if i == 1 || ms < row.SearchMS {
			row.SearchMS = ms
		}
	}
	if row.SearchHits == 0 {
		return benchDocRow{}, fmt.Errorf("search %s: no hit for %q", file, benchQuery)
	}
	row.Query = benchQuery
	row.StoreMB = dirSizeMB(storeDir)
	return row, nil
}

// benchDocumentChild ingests one file as mosaic ingest does and measures
// this process doing it.
func benchDocumentChild(ctx context.Context, file, storeDir string, resolve bool) (benchDocRow, error) {
	info, err := os.Stat(file)
	if err != nil {
		return benchDocRow{}, err
	}
	st, err := sqlite.Open(ctx, storeDir)
	if err != nil {
		return benchDocRow{}, err
	}
	defer st.Close()
	lim := document.DefaultLimits()
	lim.MaxFileSize = max(lim.MaxFileSize, info.Size())
	opts := ingest.Options{Collection: "bench", Agency: "bench", Limits: lim}
	if resolve {
		if opts.Resolver, err = entity.NewResolver(ctx, st); err != nil {
			return benchDocRow{}, err
		}
	}
	heap := sampleHeap()
	var warnings int
	start := time.Now()
	stats, err := ingest.Run(ctx, st, newExtractor(), []string{file}, opts, func(ev ingest.Event) {
		warnings += len(ev.Warnings)
	})
	secs := time.Since(start).Seconds()
	if err != nil {
		return benchDocRow{}, err
	}
	if stats.Added != 1 {
		return benchDocRow{}, fmt.Errorf("bench: %s not stored: %+v", file, stats)
	}
	mb := float64(info.Size()) / 1e6
	return benchDocRow{
		MB: mb, Seconds: secs, MBPerSec: mb / secs, PeakRSSMB: peakRSSMB(), PeakHeapMB: float64(heap()) / 1e6,
		Mentions: stats.Mentions, Parts: stats.Parts, Documents: stats.Documents, Warnings: warnings, Resolved: resolve,
		CPUs: runtime.NumCPU(), GoMaxProcs: runtime.GOMAXPROCS(0),
	}, nil
}
