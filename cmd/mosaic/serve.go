package main

import (
	"context"
	"fmt"
	"log/slog"

	"mosaic/internal/discovery"
	"mosaic/internal/entity"
	"mosaic/internal/store"
	"mosaic/internal/store/postgres"
	"mosaic/internal/web"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "serve", "[--addr 127.0.0.1:8080] [--tls-cert FILE --tls-key FILE | --insecure] [--host NAME]...",
		"Serves the web UI at / and the JSON API under /api/v1/ to the users 'mosaic user add' made:\n"+
			"the page asks them to log in, API clients send 'Authorization: Bearer TOKEN'. Beyond the\n"+
			"loopback interface it serves HTTPS only (--tls-cert, --tls-key), unless told --insecure.\n"+
			"It answers requests naming it by a loopback name, the --addr host (or, for 0.0.0.0, this\n"+
			"machine's name and addresses) or a --host name, and refuses others (DNS rebinding).")
	db := dbFlag(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	maxAnalyze := fs.Int64("max-analyze-bytes", web.DefaultMaxAnalyzeBytes,
		"largest edge list POST /api/v1/analyze accepts, in bytes; a larger one is refused with 413")
	var l web.Listen
	fs.StringVar(&l.CertFile, "tls-cert", "", "PEM certificate (chain) to serve HTTPS with; needs --tls-key")
	fs.StringVar(&l.KeyFile, "tls-key", "", "PEM private key of --tls-cert")
	fs.BoolVar(&l.Insecure, "insecure", false, "allow plain HTTP on an address beyond loopback (a trusted network, or a TLS proxy in front)")
	var hosts []string
	fs.Func("host", "also answer requests whose Host header is NAME (repeatable), such as the name a proxy forwards", func(s string) error {
		if s == "" {
			return fmt.Errorf("empty host name")
		}
		hosts = append(hosts, s)
		return nil
	})
	linkageKey := fs.String("linkage-key", "", "file of the linkage key shared with peer servers: discovery queries then ask the indexes imported or pulled from them ('mosaic discovery')")
	if _, err := parse(fs, args); err != nil {
		return err
	}
	var linkage []byte
	if *linkageKey != "" {
		var err error
		if linkage, err = discovery.ReadKeyFile(*linkageKey); err != nil {
			return err
		}
	}
	if *maxAnalyze <= 0 {
		return fmt.Errorf("--max-analyze-bytes %d: want a positive number of bytes", *maxAnalyze)
	}
	l.Addr = *addr
	// Refuse before opening the store: a refusal should be instant.
	if err := l.Check(); err != nil {
		return err
	}
	st, err := openStore(ctx, *db, false)
	if err != nil {
		return err
	}
	defer st.Close()
	return serve(ctx, e, st, *addr, func(s *web.Server, sl *web.Listen) {
		s.MaxAnalyzeBytes = *maxAnalyze
		s.Hosts = append(s.Hosts, hosts...)
		// Peers pull this server's exported index with the tokens
		// 'mosaic discovery token' gave them; with a linkage key, its
		// analysts' discovery queries ask the indexes taken from peers.
		files := discovery.Folder(*db)
		if postgres.IsURL(*db) {
			files = discovery.Stored(st, postgres.Redact(*db))
		}
		s.Exchange = discovery.ServerHandler(files)
		if linkage != nil {
			s.Peers = discovery.NewLivePeers(files, linkage)
		}
		s.Loader = web.NewLoader(st, newExtractor(), func() (func(), error) { return lockIngest(*db) })
		sl.CertFile, sl.KeyFile, sl.Insecure = l.CertFile, l.KeyFile, l.Insecure
	})
}

// serve serves st on addr until ctx is cancelled, with the server's and
// the listener's settings changed by each of opts.
func serve(ctx context.Context, e *env, st store.Store, addr string, opts ...func(*web.Server, *web.Listen)) error {
	log := slog.New(slog.NewTextHandler(e.stderr, nil))
	srv := newServer(st, log)
	srv.Hosts = web.HostsOf(addr)
	l := web.Listen{Addr: addr}
	for _, o := range opts {
		o(srv, &l)
	}
	return web.ListenAndServe(ctx, l, srv.Handler(), log)
}

// newServer is the web server over st that serve runs (and bench serve
// measures).
func newServer(st store.Store, log *slog.Logger) *web.Server {
	// The finder reloads its index when an ingest or a judgement changes
	// the entities.
	return &web.Server{Collections: st, Documents: st, Searcher: st, Entities: st,
		EntityFinder: entity.NewFinder(st), Judges: st, Corpus: st,
		Accounts: st, Discovery: st, Shares: st, Alerts: st, Audit: st, Incidents: st, Charts: st, Jobs: st, Log: log}
}
