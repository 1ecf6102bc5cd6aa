package network

import (
	"cmp"
	"encoding/binary"
	"iter"
	"math"
	"slices"

	"mosaic"
)

// evidence is a piece of Evidence as the network works on it: its strings
// and its document as indexes into the network's tables, its direction as
// a flag. A link keeps its pieces encoded (see pieceCoder), a tenth to a
// third of this size.
type evidence struct {
	confidence            float64
	typ                   int32 // into Network.types
	cue, fromText, toText int32 // into Network.strs
	doc                   int32 // into Network.docs
	start, end            int32 // the sentence
	flags                 uint8
}

// The flags of evidence.
const (
	negated  = 1 << iota
	hedged   // stated with a hedge: "is believed to have met"
	reversed // the relation runs from the link's b to its a
)

// strength classes x as strengthOf does.
func (n *Network) strength(x evidence) int {
	return strengthOf(n.types[x.typ], x.flags&negated != 0, x.flags&hedged != 0)
}

// pieceCoder writes and reads a link's evidence as a byte stream, each
// piece against the one before it. At a million documents a network holds
// some 40 million pieces: as evidence structs (40 bytes) they would take
// 1.6 GB; a stream of pieces that mostly share their predecessor's
// document, neighbour its sentence and repeat its confidence takes about
// 10 bytes a co-occurrence and 15 a typed relation.
//
// A piece is a head byte (its flags in bits 0-2, bit 3 set when its
// confidence is the previous piece's, bit 4 when it is a number of
// ten-thousandths, its type in bits 5-7, 7 meaning that a varint
// follows), its document as a signed varint from the previous one, its
// sentence's start as a signed varint from the previous start when the
// document is the same and as a varint when not, the sentence's length as
// a signed varint, the varints of its cue, from-text and to-text, and its
// confidence when not the previous one's: the varint of its
// ten-thousandths when they give it back exactly (the extractor's fixed
// confidences, 0.21 for a co-occurrence, take two bytes), else 8 bytes.
type pieceCoder struct {
	doc, start int32
	confidence float64
}

// newPieceCoder returns a coder at the start of a stream.
func newPieceCoder() pieceCoder { return pieceCoder{confidence: 1} }

const (
	sameConfidence  = 1 << 3
	shortConfidence = 1 << 4
	typeShift       = 5
	typeInVarint    = 7
)

// put appends x to the stream buf.
func (c *pieceCoder) put(buf []byte, x evidence) []byte {
	head := x.flags
	short := math.Round(x.confidence * 1e4)
	switch {
	case x.confidence == c.confidence:
		head |= sameConfidence
	case short >= 0 && short <= 1e4 && short/1e4 == x.confidence:
		head |= shortConfidence
	}
	typ := min(x.typ, typeInVarint)
	buf = append(buf, head|byte(typ)<<typeShift)
	if typ == typeInVarint {
		buf = binary.AppendUvarint(buf, uint64(x.typ))
	}
	buf = binary.AppendVarint(buf, int64(x.doc)-int64(c.doc))
	if x.doc == c.doc {
		buf = binary.AppendVarint(buf, int64(x.start)-int64(c.start))
	} else {
		buf = binary.AppendUvarint(buf, uint64(uint32(x.start)))
	}
	buf = binary.AppendVarint(buf, int64(x.end)-int64(x.start))
	buf = binary.AppendUvarint(buf, uint64(x.cue))
	buf = binary.AppendUvarint(buf, uint64(x.fromText))
	buf = binary.AppendUvarint(buf, uint64(x.toText))
	switch {
	case head&sameConfidence != 0:
	case head&shortConfidence != 0:
		buf = binary.AppendUvarint(buf, uint64(short))
	default:
		buf = binary.LittleEndian.AppendUint64(buf, math.Float64bits(x.confidence))
	}
	c.doc, c.start, c.confidence = x.doc, x.start, x.confidence
	return buf
}

// next reads the piece at the start of buf, which put wrote, and returns
// it and the rest of the stream.
func (c *pieceCoder) next(buf []byte) (evidence, []byte) {
	var x evidence
	head := buf[0]
	buf = buf[1:]
	x.flags = head & 7
	x.typ = int32(head >> typeShift)
	uv := func() uint64 {
		v, k := binary.Uvarint(buf)
		buf = buf[k:]
		return v
	}
	sv := func() int64 {
		v, k := binary.Varint(buf)
		buf = buf[k:]
		return v
	}
	if x.typ == typeInVarint {
		x.typ = int32(uv())
	}
	x.doc = int32(int64(c.doc) + sv())
	if x.doc == c.doc {
		x.start = int32(int64(c.start) + sv())
	} else {
		x.start = int32(uint32(uv()))
	}
	x.end = int32(int64(x.start) + sv())
	x.cue, x.fromText, x.toText = int32(uv()), int32(uv()), int32(uv())
	switch {
	case head&sameConfidence != 0:
		x.confidence = c.confidence
	case head&shortConfidence != 0:
		x.confidence = float64(uv()) / 1e4
	default:
		x.confidence = math.Float64frombits(binary.LittleEndian.Uint64(buf))
		buf = buf[8:]
	}
	c.doc, c.start, c.confidence = x.doc, x.start, x.confidence
	return x, buf
}

// pieces returns a link's evidence in its order, strongest first once the
// network is built.
func (l *link) pieces() iter.Seq[evidence] {
	return func(yield func(evidence) bool) {
		c := newPieceCoder()
		for buf := l.ev; len(buf) > 0; {
			var x evidence
			x, buf = c.next(buf)
			if !yield(x) {
				return
			}
		}
	}
}

// add appends a piece to a link being built, in the order the store gives.
func (l *link) add(x evidence) {
	l.ev = l.coder.put(l.ev, x)
	l.count++
}

// settle puts a built link's evidence in its final order, strongest first
// (see strength), then by document (the documents numbered in date order,
// see Build) and sentence, pieces of one sentence in the order the store
// gave them, and rewrites the stream to fit. renumber maps the document numbers the pieces were
// added with to the final ones; scratch is a buffer reused link to link,
// returned grown.
func (n *Network) settle(l *link, renumber []int32, scratch []evidence) []evidence {
	xs := scratch[:0]
	for x := range l.pieces() {
		x.doc = renumber[x.doc]
		xs = append(xs, x)
	}
	// The pieces' places in the store's order break ties: an unstable sort
	// over that order is a stable one, and takes a fraction of the time a
	// stable merge sort does on a link of a hundred thousand pieces.
	order := make([]int32, len(xs))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(i, j int32) int {
		x, y := &xs[i], &xs[j]
		return cmp.Or(cmp.Compare(n.strength(*x), n.strength(*y)), cmp.Compare(x.doc, y.doc), cmp.Compare(x.start, y.start),
			cmp.Compare(i, j))
	})
	buf := make([]byte, 0, len(l.ev)+len(l.ev)/4)
	c := newPieceCoder()
	for _, i := range order {
		buf = c.put(buf, xs[i])
	}
	l.ev = slices.Clip(buf)
	if cap(buf) > len(buf)+len(buf)/8 {
		l.ev = slices.Clone(buf)
	}
	l.coder = pieceCoder{}
	slices.SortStableFunc(l.types, func(a, b mosaic.RelationType) int {
		return cmp.Compare(b2i(a == mosaic.CoOccur), b2i(b == mosaic.CoOccur))
	})
	return xs
}
