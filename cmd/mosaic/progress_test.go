package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"mosaic/internal/ingest"
)

// TestProgressOffTerminal checks that off a terminal the count is logged as
// whole lines, at most once per interval, and on a terminal redrawn in
// place.
func TestProgressOffTerminal(t *testing.T) {
	var log bytes.Buffer
	p := newProgress(&env{stderr: &log}, "ingest c")
	p.update(ingest.Event{Bytes: 2e6})
	if log.Len() != 0 {
		t.Fatalf("logged before a minute passed: %q", log.String())
	}
	p.every = 0
	p.committed(ingest.Stats{Documents: 3, Mentions: 40})
	p.update(ingest.Event{Bytes: 1e6})
	lines := strings.Split(strings.TrimSuffix(log.String(), "\n"), "\n")
	if len(lines) != 2 || strings.Contains(log.String(), "\r") {
		t.Fatalf("want two plain lines, got %q", log.String())
	}
	if want := "ingest c: 2 files, 3 documents, 40 mentions, 3.0 MB,"; !strings.HasPrefix(lines[1], want) {
		t.Errorf("last line %q, want it to begin %q", lines[1], want)
	}

	var term bytes.Buffer
	p = newProgress(&env{stderr: &term, tty: true}, "ingest c")
	p.last = time.Time{}
	p.update(ingest.Event{Bytes: 1})
	if !strings.HasPrefix(term.String(), "\r\033[Kingest c: 1 files") || strings.Contains(term.String(), "\n") {
		t.Errorf("terminal: got %q, want a line redrawn in place", term.String())
	}
}
