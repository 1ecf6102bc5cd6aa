package main

import (
	"fmt"
	"strings"
	"time"

	"mosaic/internal/ingest"
)

// progress shows a running count on a terminal, redrawn at most ten times a
// second, and keeps failure lines above it. Off a terminal it prints only
// the failure lines, so logs stay readable.
type progress struct {
	e     *env
	label string
	start time.Time
	last  time.Time
	files int
	docs  int
	bytes int64
	shown bool
}

func newProgress(e *env, label string) *progress {
	return &progress{e: e, label: label, start: time.Now()}
}

func (p *progress) update(ev ingest.Event) {
	p.files++
	p.docs += ev.Documents
	p.bytes += ev.Bytes
	if !p.e.tty || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.draw()
}

func (p *progress) draw() {
	secs := time.Since(p.start).Seconds()
	fmt.Fprintf(p.e.stderr, "\r\033[K%s: %d files, %d documents, %.1f MB, %.0f docs/s",
		p.label, p.files, p.docs, float64(p.bytes)/1e6, float64(p.docs)/max(secs, 1e-3))
	p.shown = true
}

// println prints a line above the progress line.
func (p *progress) println(s string) {
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
	fmt.Fprintln(p.e.stderr, strings.TrimRight(s, "\n"))
	if p.shown {
		p.draw()
	}
}

func (p *progress) done() {
	if p.shown {
		fmt.Fprint(p.e.stderr, "\r\033[K")
	}
}
