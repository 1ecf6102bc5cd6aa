package ner

import (
	"bufio"
	"compress/gzip"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
)

// The model file is gzip-compressed:
//
//	magic "MOSAICNER\x02"
//	uvarint feature groups, bucket bits, row stride, row count
//	float32 confidence slope and intercept
//	float32 transitions (trans, start, end) of pass 1, then of pass 2
//	float32 weight step
//	per row, in bucket order: uvarint bucket delta, then stride weights,
//	each a zigzag varint multiple of the step
//
// Weights are stored as multiples of one step, 1/32767 of the largest:
// the error (under 2e-5 of the largest weight) changes no tag on dev, and
// small integers compress to a third of the size of float32s. Version 1
// files (magic "MOSAICNER\x01") held float32 weights; they still load,
// quantised as they are read.
const (
	magic   = "MOSAICNER\x02"
	magicV1 = "MOSAICNER\x01"
)

// weightStep is the quantisation step of weights: 1/32767 of the largest.
func weightStep(weights []float32) float32 {
	var big float32
	for _, v := range weights {
		big = max(big, float32(math.Abs(float64(v))))
	}
	if big == 0 {
		return 1
	}
	return big / 32767
}

// quantize sets m's rows to weights as multiples of the step Save stores
// them in, so that a trained model tags exactly as it will once saved and
// loaded.
func (m *Model) quantize(weights []float32) {
	m.step = weightStep(weights)
	m.rows = make([]int16, len(weights))
	for i, v := range weights {
		m.rows[i] = int16(math.Round(float64(v / m.step)))
	}
}

// Save writes m to w.
func (m *Model) Save(w io.Writer) error {
	zw, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(zw)
	var buf [binary.MaxVarintLen64]byte
	uv := func(v uint64) { bw.Write(buf[:binary.PutUvarint(buf[:], v)]) }
	f32 := func(v float32) {
		binary.LittleEndian.PutUint32(buf[:4], math.Float32bits(v))
		bw.Write(buf[:4])
	}
	bw.WriteString(magic)
	uv(uint64(m.groups))
	uv(uint64(m.bits))
	uv(uint64(m.stride))
	uv(uint64(m.Rows()))
	f32(m.conf[0])
	f32(m.conf[1])
	for p := range m.pass {
		for _, v := range m.pass[p].flat() {
			f32(v)
		}
	}
	f32(m.step)
	prev := 0
	for b, r := range m.index {
		if r == 0 {
			continue
		}
		uv(uint64(b - prev))
		prev = b
		for _, v := range m.row(r) {
			bw.Write(buf[:binary.PutVarint(buf[:], int64(v))])
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return zw.Close()
}

func (tr *transitions) flat() []float32 {
	out := make([]float32, 0, numTrans)
	for p := range tr.trans {
		out = append(out, tr.trans[p][:]...)
	}
	out = append(out, tr.start[:]...)
	return append(out, tr.end[:]...)
}

// Load reads a model written by Save.
func Load(r io.Reader) (*Model, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, fmt.Errorf("ner model: %w", err)
	}
	br := bufio.NewReaderSize(zr, 1<<16)
	head := make([]byte, len(magic))
	if _, err := io.ReadFull(br, head); err != nil || (string(head) != magic && string(head) != magicV1) {
		return nil, errors.New("ner model: not a Mosaic NER model file")
	}
	v1 := string(head) == magicV1
	var rerr error
	uv := func() uint64 {
		v, err := binary.ReadUvarint(br)
		if err != nil && rerr == nil {
			rerr = err
		}
		return v
	}
	var b4 [4]byte
	f32 := func() float32 {
		if _, err := io.ReadFull(br, b4[:]); err != nil && rerr == nil {
			rerr = err
		}
		return math.Float32frombits(binary.LittleEndian.Uint32(b4[:]))
	}
	m := &Model{groups: int(uv()), bits: uint(uv()), stride: int(uv())}
	nrows := uv()
	if rerr != nil || m.bits < 16 || m.bits > 26 || (m.stride != numLabels && m.stride != 2*numLabels) || nrows > 1<<m.bits {
		return nil, errors.New("ner model: bad header")
	}
	m.conf = [2]float32{f32(), f32()}
	for p := range m.pass {
		v := make([]float32, numTrans)
		for i := range v {
			v[i] = f32()
		}
		m.pass[p].load(v)
	}
	if !v1 {
		if m.step = f32(); !(m.step > 0) || math.IsInf(float64(m.step), 0) {
			return nil, errors.New("ner model: bad weight step")
		}
	}
	m.index = make([]uint32, 1<<m.bits)
	m.rows = make([]int16, int(nrows)*m.stride)
	var floats []float32 // a version 1 file's weights, quantised after
	if v1 {
		floats = make([]float32, int(nrows)*m.stride)
	}
	rowBuf := make([]byte, 4*m.stride)
	b := 0
	for r := 0; r < int(nrows); r++ {
		b += int(uv())
		if b >= len(m.index) || rerr != nil {
			return nil, fmt.Errorf("ner model: row %d: corrupt", r)
		}
		m.index[b] = uint32(r + 1)
		if !v1 {
			row := m.rows[r*m.stride : (r+1)*m.stride]
			for i := range row {
				q, err := binary.ReadVarint(br)
				if err != nil || q < -32767 || q > 32767 {
					return nil, fmt.Errorf("ner model: row %d: corrupt", r)
				}
				row[i] = int16(q)
			}
			continue
		}
		if _, err := io.ReadFull(br, rowBuf); err != nil {
			return nil, fmt.Errorf("ner model: row %d: %w", r, err)
		}
		row := floats[r*m.stride : (r+1)*m.stride]
		for i := range row {
			row[i] = math.Float32frombits(binary.LittleEndian.Uint32(rowBuf[4*i:]))
		}
	}
	if v1 {
		m.quantize(floats)
	}
	if rerr != nil {
		return nil, fmt.Errorf("ner model: %w", rerr)
	}
	m.lex = newLexicon(m.groups)
	return m, nil
}
