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
	// docs, parts and mentions are what the run has stored so far.
	docs, parts, mentions int
	bytes                 int64
	shown                 bool
}

func newProgress(e *env, label string) *progress {
	return &progress{e: e, label: label, start: time.Now()}
}

// update counts a reported file.
func (p *progress) update(ev ingest.Event) {
	p.files++
	p.bytes += ev.Bytes
	p.redraw()
}

// committed takes the run's counts after a batch is stored, which move
// while a long file's parts land before the file is reported.
func (p *progress) committed(s ingest.Stats) {
	p.docs, p.parts, p.mentions = s.Documents, s.Parts, s.Mentions
	p.redraw()
}

func (p *progress) redraw() {
	if !p.e.tty || time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.draw()
}

func (p *progress) draw() {
	secs := time.Since(p.start).Seconds()
	parts := ""
	if p.parts > 0 {
		parts = fmt.Sprintf(" (%d parts of long files)", p.parts)
	}
	fmt.Fprintf(p.e.stderr, "\r\033[K%s: %d files, %d documents%s, %d mentions, %.1f MB, %.0f docs/s",
		p.label, p.files, p.docs, parts, p.mentions, float64(p.bytes)/1e6, float64(p.docs)/max(secs, 1e-3))
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
