package web

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"time"
)

// shutdownGrace is how long requests in flight may take to finish once the
// server is asked to stop.
const shutdownGrace = 10 * time.Second

// requestGrace is how long a stop waits for running requests before it
// cancels them.
const requestGrace = 2 * time.Second

// ListenAndServe serves h on addr until ctx is done, then stops accepting
// connections and waits up to ten seconds for requests in flight. It logs
// the URL it listens on, which tells the port when addr asks for any
// (":0"). It returns nil after a clean shutdown.
func ListenAndServe(ctx context.Context, addr string, h http.Handler, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("listen %s: %w", addr, err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		// Generous: a search over a large collection on a slow laptop may
		// take a while, and the page shows the error if it runs out.
		WriteTimeout:   2 * time.Minute,
		IdleTimeout:    2 * time.Minute,
		MaxHeaderBytes: 64 << 10,
		ErrorLog:       slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	// Requests still running when the server is asked to stop get
	// requestGrace to finish; then their contexts end, which interrupts
	// their queries, so that a stop is prompt however slow a request.
	base, stopRequests := context.WithCancel(context.WithoutCancel(ctx))
	defer stopRequests()
	srv.BaseContext = func(net.Listener) context.Context { return base }
	log.Info("listening", "url", urlOf(ln.Addr()))

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		return fmt.Errorf("serve %s: %w", addr, err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	time.AfterFunc(requestGrace, stopRequests)
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownGrace)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shut down %s: %w", addr, err)
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve %s: %w", addr, err)
	}
	return nil
}

// urlOf is the URL a person on this machine opens to reach the listener.
func urlOf(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return "http://" + a.String() + "/"
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return "http://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port)) + "/"
}
