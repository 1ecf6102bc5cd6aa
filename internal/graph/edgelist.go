package graph

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"unicode/utf8"
)

// maxLine bounds a line of an edge list; a longer one is not an edge list.
const maxLine = 1 << 20

// ReadEdgeList reads an undirected graph from a TSV edge list: one
// "source<TAB>target" line per edge, with an optional third column of
// weight (default 1). Labels are any UTF-8 text without tabs, trimmed of
// surrounding spaces; blank lines and lines whose first non-space
// character is # are skipped, so only a target label can start with #.
// Repeated edges add up their weights and self-loops are dropped, as in
// Builder. It returns the graph and the label of each node, node ids
// numbered in order of first appearance.
//
// Errors name the input and the line, "name:12: ...": a line with fewer
// than two or more than three columns, an empty label, a weight that is
// not a finite non-negative number, text that is not UTF-8, a line longer
// than 1 MiB; or, naming the input only, weights that add up to more than
// a float64 holds, or a failure to read.
func ReadEdgeList(r io.Reader, name string) (*Graph, []string, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), maxLine)
	ids := make(map[string]int32)
	var labels []string
	node := func(label []byte) int32 {
		if id, ok := ids[string(label)]; ok {
			return id
		}
		id := int32(len(labels))
		s := string(label)
		ids[s] = id
		labels = append(labels, s)
		return id
	}
	b := NewBuilder(0)
	line := 0
	for sc.Scan() {
		line++
		text := bytes.TrimSuffix(sc.Bytes(), []byte{'\r'})
		if trimmed := bytes.TrimSpace(text); len(trimmed) == 0 || trimmed[0] == '#' {
			continue
		}
		if !utf8.Valid(text) {
			return nil, nil, fmt.Errorf("%s:%d: not UTF-8", name, line)
		}
		src, rest, ok := bytes.Cut(text, []byte{'\t'})
		if !ok {
			return nil, nil, fmt.Errorf("%s:%d: want source<TAB>target[<TAB>weight], found no tab", name, line)
		}
		dst, weight, hasWeight := bytes.Cut(rest, []byte{'\t'})
		if bytes.IndexByte(weight, '\t') >= 0 {
			return nil, nil, fmt.Errorf("%s:%d: want source<TAB>target[<TAB>weight], found more than three columns", name, line)
		}
		src, dst = bytes.TrimSpace(src), bytes.TrimSpace(dst)
		if len(src) == 0 || len(dst) == 0 {
			return nil, nil, fmt.Errorf("%s:%d: empty node label", name, line)
		}
		w := 1.0
		if hasWeight {
			var err error
			w, err = strconv.ParseFloat(string(bytes.TrimSpace(weight)), 64)
			if err != nil || w < 0 || math.IsInf(w, 0) || math.IsNaN(w) {
				return nil, nil, fmt.Errorf("%s:%d: weight %q is not a finite non-negative number", name, line, weight)
			}
		}
		if len(labels) >= math.MaxInt32-1 {
			return nil, nil, fmt.Errorf("%s:%d: more than %d nodes", name, line, math.MaxInt32-1)
		}
		u := node(src)
		v := node(dst)
		b.AddEdge(u, v, w)
	}
	if err := sc.Err(); err != nil {
		if errors.Is(err, bufio.ErrTooLong) {
			return nil, nil, fmt.Errorf("%s:%d: line longer than %d bytes", name, line+1, maxLine)
		}
		return nil, nil, fmt.Errorf("%s: %w", name, err)
	}
	g := b.Build()
	if math.IsInf(g.TotalWeight(), 0) {
		return nil, nil, fmt.Errorf("%s: edge weights add up beyond the range of float64", name)
	}
	return g, labels, nil
}

// WriteEdgeList writes g as a TSV edge list that ReadEdgeList reads back:
// each edge once, smaller id first unless its label starts with #, with
// its weight, nodes named by labels or, if labels is nil, by their ids.
// Isolated nodes do not appear.
func WriteEdgeList(w io.Writer, g *Graph, labels []string) error {
	bw := bufio.NewWriterSize(w, 1<<16)
	var buf []byte
	name := func(buf []byte, v int32) []byte {
		if labels != nil {
			return append(buf, labels[v]...)
		}
		return strconv.AppendInt(buf, int64(v), 10)
	}
	for u := range int32(g.Nodes()) {
		targets, weights := g.Neighbours(u)
		for i, v := range targets {
			if v < u {
				continue
			}
			a, b := u, v
			if labels != nil && strings.HasPrefix(labels[u], "#") {
				a, b = v, u // a first column starting with # is a comment
			}
			buf = name(buf[:0], a)
			buf = append(buf, '\t')
			buf = name(buf, b)
			buf = append(buf, '\t')
			buf = strconv.AppendFloat(buf, weights[i], 'g', -1, 64)
			buf = append(buf, '\n')
			if _, err := bw.Write(buf); err != nil {
				return err
			}
		}
	}
	return bw.Flush()
}
