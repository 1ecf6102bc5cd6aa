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
//	magic "MOSAICNER\x01"
//	uvarint feature groups, bucket bits, row stride, row count
//	float32 confidence slope and intercept
//	float32 transitions (trans, start, end) of pass 1, then of pass 2
//	per row, in bucket order: uvarint bucket delta, then stride weights
const magic = "MOSAICNER\x01"

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
	prev := 0
	for b, r := range m.index {
		if r == 0 {
			continue
		}
		uv(uint64(b - prev))
		prev = b
		for _, v := range m.rows[int(r-1)*m.stride : int(r)*m.stride] {
			f32(v)
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
	if _, err := io.ReadFull(br, head); err != nil || string(head) != magic {
		return nil, errors.New("ner model: not a Mosaic NER model file")
	}
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
	m.index = make([]uint32, 1<<m.bits)
	m.rows = make([]float32, int(nrows)*m.stride)
	rowBuf := make([]byte, 4*m.stride)
	b := 0
	for r := 0; r < int(nrows); r++ {
		b += int(uv())
		if b >= len(m.index) || rerr != nil {
			return nil, fmt.Errorf("ner model: row %d: corrupt", r)
		}
		m.index[b] = uint32(r + 1)
		if _, err := io.ReadFull(br, rowBuf); err != nil {
			return nil, fmt.Errorf("ner model: row %d: %w", r, err)
		}
		row := m.rows[r*m.stride : (r+1)*m.stride]
		for i := range row {
			row[i] = math.Float32frombits(binary.LittleEndian.Uint32(rowBuf[4*i:]))
		}
	}
	if rerr != nil {
		return nil, fmt.Errorf("ner model: %w", rerr)
	}
	m.lex = newLexicon(m.groups)
	return m, nil
}
