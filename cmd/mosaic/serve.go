package main

import (
	"context"
	"fmt"
	"log/slog"

	"mosaic/internal/entity"
	"mosaic/internal/store"
	"mosaic/internal/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--addr 127.0.0.1:8080]", "Serves the web UI at / and the JSON API under /api/v1/.")
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	maxAnalyze := fs.Int64("max-analyze-bytes", web.DefaultMaxAnalyzeBytes,
		"largest edge list POST /api/v1/analyze accepts, in bytes; a larger one is refused with 413")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	if *maxAnalyze <= 0 {
		return fmt.Errorf("--max-analyze-bytes %d: want a positive number of bytes", *maxAnalyze)
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	return serve(ctx, e, st, *addr, func(s *web.Server) { s.MaxAnalyzeBytes = *maxAnalyze })
}

// serve serves st until ctx is cancelled, with the server's settings
// changed by each of opts.
func serve(ctx context.Context, e *env, st store.Store, addr string, opts ...func(*web.Server)) error {
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	srv := newServer(st, log)
	for _, o := range opts {
		o(srv)
	}
	return web.ListenAndServe(ctx, addr, srv.Handler(), log)
}

// newServer is the web server over st that serve runs (and bench serve
// measures).
func newServer(st store.Store, log *slog.Logger) *web.Server {
	// The finder reloads its index when an ingest or a judgement changes
	// the entities.
	return &web.Server{Collections: st, Documents: st, Searcher: st, Entities: st,
		EntityFinder: entity.NewFinder(st), Judges: st, Corpus: st, Log: log}
}
