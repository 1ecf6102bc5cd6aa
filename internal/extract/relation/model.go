package relation

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"sync"

	"mosaic"
)

// Model is a trained classifier: a weight per feature bucket and class, and
// per-type probability thresholds. It is safe for concurrent use.
type Model struct {
	bits uint
	// w holds the weights, bucket-major: w[b*numClasses+c].
	w []float32
	// thresholds[i] is the least probability at which a relation of
	// types[i] is stated.
	thresholds [numTypes]float64
	pool       sync.Pool
}

// minBits and maxBits bound the hash table: below 2^10 buckets every
// feature collides, above 2^20 (32 MB of weights in memory) the file is
// too large to embed.
const (
	minBits = 10
	maxBits = 20
)

func newModel(bits uint) *Model {
	m := &Model{bits: bits, w: make([]float32, (1<<bits)*int(numClasses))}
	for i := range m.thresholds {
		m.thresholds[i] = 0.5
	}
	return m
}

func (m *Model) featurizer() *featurizer {
	if f, ok := m.pool.Get().(*featurizer); ok {
		return f
	}
	return &featurizer{}
}

// bucket returns the index of the row of weights of feature hash h.
func (m *Model) bucket(h uint64) int { return int(h>>(64-m.bits)) * int(numClasses) }

// probs fills s with the softmax probabilities of each class for the
// features fs, classes the pair's types rule out at zero.
func (m *Model) probs(p *Pair, fs []uint64, s *[numClasses]float64) {
	var z [numClasses]float64
	for _, h := range fs {
		row := m.w[m.bucket(h):]
		for c := range z {
			z[c] += float64(row[c])
		}
	}
	softmax(p, &z, s)
}

// softmax turns scores z into probabilities over the classes p allows.
func softmax(p *Pair, z, s *[numClasses]float64) {
	hi := math.Inf(-1)
	for c := Class(0); c < numClasses; c++ {
		if p.allowed(c) && z[c] > hi {
			hi = z[c]
		}
	}
	sum := 0.0
	for c := Class(0); c < numClasses; c++ {
		if !p.allowed(c) {
			s[c] = 0
			continue
		}
		s[c] = math.Exp(z[c] - hi)
		sum += s[c]
	}
	for c := range s {
		s[c] /= sum
	}
}

// Classify returns the most probable class other than None that the pair's
// mention types allow, with its probability; None and 0 when no class is
// allowed or the pair's spans are out of order or out of range.
func (m *Model) Classify(p *Pair) (Class, float64) {
	if !p.valid() {
		return None, 0
	}
	f := m.featurizer()
	var s [numClasses]float64
	m.probs(p, f.features(p), &s)
	m.pool.Put(f)
	best, bp := None, 0.0
	for c := Class(1); c < numClasses; c++ {
		if s[c] > bp {
			best, bp = c, s[c]
		}
	}
	return best, bp
}

// Relate returns the relation the sentence states between the pair, if its
// probability reaches the type's threshold: the class, its probability and
// true; or None, the probability of the best class, and false.
func (m *Model) Relate(p *Pair) (Class, float64, bool) {
	c, prob := m.Classify(p)
	if c == None {
		return None, prob, false
	}
	if prob < m.thresholds[typeIndex(c.Type())] {
		return None, prob, false
	}
	return c, prob, true
}

// Threshold returns the least probability at which the model states a
// relation of type t; 1 for a type it does not know.
func (m *Model) Threshold(t mosaic.RelationType) float64 {
	if i := typeIndex(t); i >= 0 {
		return m.thresholds[i]
	}
	return 1
}

// SetThreshold sets the least probability at which the model states a
// relation of type t. It panics for a type the model does not know.
func (m *Model) SetThreshold(t mosaic.RelationType, p float64) {
	m.thresholds[typeIndex(t)] = p
}

// The file layout, gzipped: the magic line, then little-endian: bits
// (uint8), classes (uint8), the thresholds (float32 each, in Types order),
// the quantisation step (float32), and the weights as int8 multiples of the
// step, bucket-major.
const magic = "mosaic relation model 1\n"

// quantStep returns the step that maps the weights to int8: the largest
// magnitude over 127.
func (m *Model) quantStep() float32 {
	var hi float32
	for _, w := range m.w {
		hi = max(hi, float32(math.Abs(float64(w))))
	}
	if hi == 0 {
		return 1
	}
	return hi / 127
}

// Save writes the model, its weights quantised to 8 bits. Loading what Save
// writes gives the model Save's receiver becomes: Save quantises m itself
// first, so that a model scores the same before and after a round trip.
func (m *Model) Save(w io.Writer) error {
	step := m.quantStep()
	q := make([]byte, len(m.w))
	for i, x := range m.w {
		v := int8(max(-127, min(127, math.Round(float64(x/step)))))
		q[i] = byte(v)
		m.w[i] = float32(v) * step
	}
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	bw.WriteString(magic)
	bw.WriteByte(byte(m.bits))
	bw.WriteByte(byte(numClasses))
	var b [4]byte
	for _, t := range m.thresholds {
		binary.LittleEndian.PutUint32(b[:], math.Float32bits(float32(t)))
		bw.Write(b[:])
	}
	binary.LittleEndian.PutUint32(b[:], math.Float32bits(step))
	bw.Write(b[:])
	bw.Write(q)
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

// ErrFormat reports a model file that is not one Save wrote.
var ErrFormat = errors.New("not a relation model")

// Load reads a model Save wrote. It returns an error wrapping ErrFormat for
// anything else, truncated or corrupt input included.
func Load(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrFormat, err)
	}
	defer zr.Close()
	br := bufio.NewReader(zr)
	head := make([]byte, len(magic)+2+4*numTypes+4)
	if _, err := io.ReadFull(br, head); err != nil {
		return nil, fmt.Errorf("%w: header: %v", ErrFormat, err)
	}
	if string(head[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: bad magic", ErrFormat)
	}
	h := head[len(magic):]
	bits, classes := uint(h[0]), int(h[1])
	if bits < minBits || bits > maxBits || classes != int(numClasses) {
		return nil, fmt.Errorf("%w: %d bits, %d classes", ErrFormat, bits, classes)
	}
	var thresholds [numTypes]float64
	h = h[2:]
	for i := range thresholds {
		t := float64(math.Float32frombits(binary.LittleEndian.Uint32(h[4*i:])))
		if math.IsNaN(t) || t < 0 || t > 1 {
			return nil, fmt.Errorf("%w: threshold %v", ErrFormat, t)
		}
		thresholds[i] = t
	}
	step := math.Float32frombits(binary.LittleEndian.Uint32(h[4*numTypes:]))
	if math.IsNaN(float64(step)) || math.IsInf(float64(step), 0) || step <= 0 || step > 1e6 {
		return nil, fmt.Errorf("%w: step %v", ErrFormat, step)
	}
	// The weights are read before the model is made, so that a header
	// claiming a large table costs memory only if the data is there.
	n := int64(1<<bits) * int64(numClasses)
	var q bytes.Buffer
	if _, err := io.CopyN(&q, br, n); err != nil {
		return nil, fmt.Errorf("%w: weights: %v", ErrFormat, err)
	}
	if _, err := br.ReadByte(); err != io.EOF {
		return nil, fmt.Errorf("%w: trailing data", ErrFormat)
	}
	m := newModel(bits)
	m.thresholds = thresholds
	for i, v := range q.Bytes() {
		m.w[i] = float32(int8(v)) * step
	}
	return m, nil
}
