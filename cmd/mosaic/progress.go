package main

import (
	"fmt"
	"strings"
	"time"

	"mosaic/internal/ingest"
)

// progress shows a running count on a terminal, redrawn at most ten times a
// second, and keeps failure lines above it. Off a terminal (a log, a
// service's journal) it prints the count as a line of its own every
// minute, so that an ingest of hours shows it is moving.
type progress struct {
	e     *env
	label string
	start time.Time
	last  time.Time
	// every is how often the count is logged off a terminal.
	every time.Duration
	files int
	// docs, parts and mentions are what the run has stored so far.
	docs, parts, mentions int
	bytes                 int64
	shown                 bool
}

func newProgress(e *env, label string) *progress {
	now := time.Now()
	return &progress{e: e, label: label, start: now, last: now, every: time.Minute}
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
	if !p.e.tty {
		if time.Since(p.last) >= p.every {
			p.last = time.Now()
			fmt.Fprintln(p.e.stderr, p.line())
		}
		return
	}
	if time.Since(p.last) < 100*time.Millisecond {
		return
	}
	p.last = time.Now()
	p.draw()
}

func (p *progress) draw() {
	fmt.Fprint(p.e.stderr, "\r\033[K"+p.line())
	p.shown = true
}

// line is the count: files, documents, mentions, bytes and the rate.
func (p *progress) line() string {
	secs := time.Since(p.start).Seconds()
	parts := ""
	if p.parts > 0 {
		parts = fmt.Sprintf(" (%d parts of long files)", p.parts)
	}
	return fmt.Sprintf("%s: %d files, %d documents%s, %d mentions, %.1f MB, %.0f docs/s",
		p.label, p.files, p.docs, parts, p.mentions, float64(p.bytes)/1e6, float64(p.docs)/max(secs, 1e-3))
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
