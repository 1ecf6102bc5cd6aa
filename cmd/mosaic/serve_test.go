package main

import (
	"strings"
	"testing"
)

// TestServeRefusesPlainHTTPBeyondLoopback: beyond loopback, serve wants a
// certificate and key or --insecure, and says so before opening the store.
func TestServeRefusesPlainHTTPBeyondLoopback(t *testing.T) {
	db := t.TempDir()
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "--insecure"},
		{[]string{"--addr", ":0"}, "--tls-cert"},
		{[]string{"--addr", "192.0.2.10:8080"}, "beyond this machine"},
		{[]string{"--addr", "127.0.0.1:0", "--tls-cert", "cert.pem"}, "--tls-key"},
	} {
		args := append([]string{"serve", "--db", db}, tc.args...)
		if _, errs, code := runMosaic(t, args...); code == 0 || !strings.Contains(errs, tc.want) {
			t.Errorf("mosaic %s: exit %d, %q; want a refusal mentioning %s", strings.Join(args, " "), code, errs, tc.want)
		}
	}
}
