package web

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"strings"
	"time"
)

// shutdownGrace is how long requests in flight may take to finish once the
// server is asked to stop.
const shutdownGrace = 10 * time.Second

// requestGrace is how long a stop waits for running requests before it
// cancels them.
const requestGrace = 2 * time.Second

// Listen says where and how ListenAndServe listens.
type Listen struct {
	// Addr is the address, host:port.
	Addr string
	// CertFile and KeyFile are a PEM certificate (chain) and its key; set,
	// the server speaks only HTTPS.
	CertFile, KeyFile string
	// Insecure lets the server speak plain HTTP on an address beyond
	// loopback: for a trusted network, or behind a proxy that adds TLS.
	Insecure bool
}

// TLS reports whether the server speaks HTTPS.
func (l Listen) TLS() bool { return l.CertFile != "" || l.KeyFile != "" }

// Check returns an error if the server would listen beyond loopback
// without TLS and was not told Insecure, since passwords, session cookies
// and documents would then cross the network in clear; and if only one
// of the certificate and key is given.
func (l Listen) Check() error {
	if (l.CertFile == "") != (l.KeyFile == "") {
		return errors.New("TLS needs both a certificate and its key (--tls-cert and --tls-key)")
	}
	if l.TLS() || l.Insecure || Loopback(l.Addr) {
		return nil
	}
	return fmt.Errorf("refusing to serve plain HTTP on %s, beyond this machine: passwords, session cookies and documents would cross the network in clear. "+
		"Give a certificate and key (--tls-cert, --tls-key), listen on a loopback address (127.0.0.1:PORT), "+
		"or pass --insecure if a proxy in front adds TLS", l.Addr)
}

// Loopback reports whether addr (host:port) listens on this machine's
// loopback interface only. An empty host or an unspecified address
// (0.0.0.0, ::) listens on every interface; a name other than localhost
// may resolve anywhere, so neither is loopback.
func Loopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// HostsOf returns the names a client may use to reach a server listening
// on addr, besides the loopback ones the server always answers for: the
// host of addr, or for an address that listens on every interface, this
// machine's name and the addresses of its interfaces.
func HostsOf(addr string) []string {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return nil
	}
	if ip := net.ParseIP(host); host != "" && (ip == nil || !ip.IsUnspecified()) {
		return []string{host}
	}
	var hosts []string
	if name, err := os.Hostname(); err == nil && name != "" {
		hosts = append(hosts, name)
	}
	addrs, _ := net.InterfaceAddrs()
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok {
			hosts = append(hosts, n.IP.String())
		}
	}
	return hosts
}

// ListenAndServe serves h as l says until ctx is done, then stops
// accepting connections and waits up to ten seconds for requests in
// flight. It logs the URL it listens on, which tells the port when the
// address asks for any (":0"). It returns l.Check's error before
// listening, and nil after a clean shutdown.
func ListenAndServe(ctx context.Context, l Listen, h http.Handler, log *slog.Logger) error {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	if err := l.Check(); err != nil {
		return err
	}
	var tlsConfig *tls.Config
	scheme := "http"
	if l.TLS() {
		cert, err := tls.LoadX509KeyPair(l.CertFile, l.KeyFile)
		if err != nil {
			return fmt.Errorf("TLS certificate %s and key %s: %w", l.CertFile, l.KeyFile, err)
		}
		// Go's defaults otherwise: its own cipher suites and their order.
		tlsConfig = &tls.Config{MinVersion: tls.VersionTLS12, Certificates: []tls.Certificate{cert}}
		scheme = "https"
	}
	addr := l.Addr
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
	srv.TLSConfig = tlsConfig
	log.Info("listening", "url", urlOf(scheme, ln.Addr()))

	done := make(chan error, 1)
	go func() {
		if l.TLS() {
			done <- srv.ServeTLS(ln, "", "")
			return
		}
		done <- srv.Serve(ln)
	}()
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
func urlOf(scheme string, a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if !ok {
		return scheme + "://" + a.String() + "/"
	}
	host := tcp.IP.String()
	if tcp.IP.IsUnspecified() {
		host = "localhost"
	}
	return scheme + "://" + net.JoinHostPort(host, fmt.Sprint(tcp.Port)) + "/"
}
