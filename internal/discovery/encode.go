package discovery

import (
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"math/bits"
	"strings"

	"mosaic"
	"mosaic/internal/entity"
)

// Params are the encoding's settings. Two servers must use the same Params
// (and the same linkage key) for their encodings to be compared; an Index
// carries the Params it was built with.
type Params struct {
	// Bits is the length m of the Bloom filter a value is hashed into, a
	// power of two. Balancing doubles the stored length, XOR-folding halves
	// it.
	Bits int `json:"bits"`
	// Hashes is the number k of bit positions each q-gram sets.
	Hashes int `json:"hashes"`
	// Q is the length of the q-grams a name's tokens are cut into.
	Q int `json:"q"`
	// Balance appends the filter's complement and permutes the result under
	// the key, so that every filter has exactly half its bits set: the
	// Hamming weight no longer tells a name's length, and a bit's frequency
	// no longer tells how common its q-grams are.
	Balance bool `json:"balance"`
	// XORFold folds the filter in half and XORs the halves, so that no
	// stored bit is one q-gram's bit: a set bit is the parity of two
	// positions, which defeats reading q-grams off frequent bit patterns.
	XORFold bool `json:"xor_fold"`
	// SaltByKind hashes each kind (PERSON, ORG, PHONE, EMAIL) under its own
	// key, so that the filters of one kind say nothing about another's and
	// a frequency attack must work on each kind's smaller population alone.
	SaltByKind bool `json:"salt_by_kind"`
	// Skeletons adds the q-grams of the consonant skeletons of a name's
	// telling words (see NameSkeletons), so that transliteration variants,
	// which Mosaic's plaintext matching links by their skeletons, share
	// more of their bits.
	Skeletons bool `json:"skeletons,omitempty"`
	// Threshold is the least Dice similarity of two name filters that
	// Match calls a match. Identifiers match only when equal.
	Threshold float64 `json:"threshold"`
	// VariantThreshold is the least similarity a query's variant (a name
	// with tokens left out, see QueryVariants) must reach: higher than
	// Threshold, since a shorter name matches more names by chance. Zero
	// means Threshold.
	VariantThreshold float64 `json:"variant_threshold,omitempty"`
}

// DefaultParams are the settings Mosaic exports with: 1,024-bit filters of
// bigrams and skeleton bigrams with 20 positions each, balanced, folded and
// salted by kind. With balancing the Dice similarity of two filters is one
// less their share of differing bits, and the thresholds are set on that
// scale, on half the OFAC counter-terrorism entries (seed 1) and checked on
// the other half: look-up with a name at 0.78 and its shorter variants at
// 0.88 scores B-cubed F1 0.800 and 0.785 on persons (plaintext matching
// 0.813 and 0.788) and 0.644 and 0.661 on organisations (plaintext 0.644
// and 0.661). Hardening costs nothing here.
var DefaultParams = Params{
	Bits:       1024,
	Hashes:     20,
	Q:          2,
	Balance:    true,
	XORFold:    true,
	SaltByKind: true,
	Skeletons:  true,
	Threshold:  0.78,
	// A variant leaves tokens out, so it must come closer to a record
	// than the whole name: at 0.78 variants join look-alike names.
	VariantThreshold: 0.88,
}

// Validate reports whether p can be encoded with, naming the first setting
// that cannot.
func (p Params) Validate() error {
	switch {
	case p.Bits < 128 || p.Bits > 1<<16 || p.Bits&(p.Bits-1) != 0:
		return fmt.Errorf("discovery params: bits %d is not a power of two from 128 to 65536", p.Bits)
	case p.Hashes < 1 || p.Hashes > 256:
		return fmt.Errorf("discovery params: hashes %d is not from 1 to 256", p.Hashes)
	case p.Q < 1 || p.Q > 4:
		return fmt.Errorf("discovery params: q %d is not from 1 to 4", p.Q)
	case !(p.Threshold > 0 && p.Threshold <= 1):
		return fmt.Errorf("discovery params: threshold %v is not in (0, 1]", p.Threshold)
	case !(p.VariantThreshold >= 0 && p.VariantThreshold <= 1):
		return fmt.Errorf("discovery params: variant threshold %v is not in [0, 1]", p.VariantThreshold)
	}
	return nil
}

// FilterBytes is the length in bytes of the filters p produces.
func (p Params) FilterBytes() int {
	n := p.Bits
	if p.Balance {
		n *= 2
	}
	if p.XORFold {
		n /= 2
	}
	return n / 8
}

// Filter is an encoded value: a hardened Bloom filter, FilterBytes long, or
// nil for a value that normalises to nothing.
type Filter []byte

// Encoder encodes names and identifiers under one linkage key. It is safe
// for concurrent use.
type Encoder struct {
	p Params
	// kindKey holds the HMAC key of each kind's q-grams; with SaltByKind
	// off every kind uses the same one.
	kindKey map[mosaic.MentionType][]byte
	// perm is the keyed permutation of the balanced filter's bits: bit i
	// of the output is bit perm[i] of the filter and its complement.
	perm []uint32
	// check is the key check value (see CheckValue).
	check []byte
}

// Kinds are the mention types an index holds.
var Kinds = []mosaic.MentionType{mosaic.Person, mosaic.Org, mosaic.Phone, mosaic.Email}

// IsName reports whether kind holds names, matched approximately; the
// others hold identifiers, matched exactly.
func IsName(kind mosaic.MentionType) bool {
	return kind == mosaic.Person || kind == mosaic.Org
}

// MinKeyBytes is the least length of a linkage key: 128 bits.
const MinKeyBytes = 16

// NewEncoder returns the encoder of the linkage key with p. Every key it
// uses is derived from the linkage key by HKDF-SHA256 under its own label,
// so no derived key, and no filter, reveals another.
func NewEncoder(key []byte, p Params) (*Encoder, error) {
	if len(key) < MinKeyBytes {
		return nil, fmt.Errorf("discovery: linkage key is %d bytes, at least %d needed", len(key), MinKeyBytes)
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	derive := func(label string) []byte {
		k, err := hkdf.Key(sha256.New, key, nil, "mosaic discovery v1 "+label, 32)
		if err != nil {
			panic(err) // only for lengths beyond 255 hashes; 32 is fixed
		}
		return k
	}
	e := &Encoder{p: p, kindKey: make(map[mosaic.MentionType][]byte), check: derive("check")}
	shared := derive("hash")
	for _, k := range Kinds {
		if p.SaltByKind {
			e.kindKey[k] = derive("hash " + string(k))
		} else {
			e.kindKey[k] = shared
		}
	}
	if p.Balance {
		e.perm = permutation(derive("permutation"), 2*p.Bits)
	}
	return e, nil
}

// Params returns the settings e encodes with.
func (e *Encoder) Params() Params { return e.p }

// CheckValue is an HMAC of a constant label under a key derived from the
// linkage key: two indexes with the same check value were made under the
// same key, and the value says nothing else about the key.
func (e *Encoder) CheckValue() []byte {
	m := hmac.New(sha256.New, e.check)
	m.Write([]byte("mosaic discovery key check"))
	return m.Sum(nil)[:16]
}

// Encode returns the filter of value, a mention of kind kind. A name
// (PERSON, ORG) is first normalised as Mosaic normalises names for matching
// (entity.NewName: script, case, accents, titles, particles and word order),
// then each of its tokens is cut into padded q-grams, so the filter does
// not depend on the order of the words. An identifier (PHONE, EMAIL) is
// hashed whole: value should be its mosaic.Mention.Norm (see Normalize).
// Encode returns nil for a value that normalises to nothing, or of another
// kind.
func (e *Encoder) Encode(kind mosaic.MentionType, value string) Filter {
	key, ok := e.kindKey[kind]
	if !ok {
		return nil
	}
	words := e.words(kind, value)
	if len(words) == 0 {
		return nil
	}
	m := e.p.Bits
	f := make([]uint64, m/64)
	mac := hmac.New(sha256.New, key)
	var sum [sha256.Size]byte
	set := func(gram string) {
		for block := 0; block*8 < e.p.Hashes; block++ {
			mac.Reset()
			var b [1]byte
			b[0] = byte(block)
			mac.Write(b[:])
			mac.Write([]byte(gram))
			mac.Sum(sum[:0])
			for i := 0; i < 8 && block*8+i < e.p.Hashes; i++ {
				pos := binary.LittleEndian.Uint32(sum[4*i:]) & uint32(m-1)
				f[pos/64] |= 1 << (pos % 64)
			}
		}
	}
	if IsName(kind) {
		for _, w := range words {
			for _, g := range qgrams(w, e.p.Q) {
				set(g)
			}
		}
		if e.p.Skeletons {
			for _, sk := range NameSkeletons(kind, value) {
				for _, g := range qgrams(sk, e.p.Q) {
					set("\x00" + g)
				}
			}
		}
	} else {
		set(words[0])
	}
	return e.harden(f)
}

// words returns the tokens of a name, or the identifier as one token.
func (e *Encoder) words(kind mosaic.MentionType, value string) []string {
	if !IsName(kind) {
		v := mosaic.NormIdentifier(kind, value)
		if v == "" {
			return nil
		}
		return []string{v}
	}
	return NameTokens(kind, value)
}

// NameTokens returns the tokens of a name as encoded: entity.NewName's
// tokens, with the Arabic article, which NewName spells "al" wherever it
// stands alone and which Compare ignores, left out.
func NameTokens(kind mosaic.MentionType, value string) []string {
	n := entity.NewName(value, entity.KindOf(kind))
	out := make([]string, 0, len(n.Tokens))
	for _, t := range n.Tokens {
		if t == "al" {
			continue
		}
		out = append(out, t)
	}
	return out
}

// NameSkeletons returns the consonant skeletons of a name's telling
// words, as entity.NewName gives them in its blocking keys ("s:" keys):
// the form that maps transliteration variants (ou/u, q/k, kh/h, double
// letters, vowels) to one, so that "Muhammad" and "Mohammed" share them.
func NameSkeletons(kind mosaic.MentionType, value string) []string {
	var out []string
	for _, k := range entity.NewName(value, entity.KindOf(kind)).Keys {
		if sk, ok := strings.CutPrefix(k, "s:"); ok {
			out = append(out, sk)
		}
	}
	return out
}

// qgrams cuts w, padded with one blank each side, into its q-grams; a word
// shorter than q is one gram.
func qgrams(w string, q int) []string {
	s := "_" + w + "_"
	if len(s) <= q {
		return []string{s}
	}
	out := make([]string, 0, len(s)-q+1)
	for i := 0; i+q <= len(s); i++ {
		out = append(out, s[i:i+q])
	}
	return out
}

// harden balances and folds the filter f as the params say, and returns it
// as bytes.
func (e *Encoder) harden(f []uint64) Filter {
	if e.p.Balance {
		m := e.p.Bits
		b := make([]uint64, 2*m/64)
		for i, src := range e.perm {
			var bit uint64
			if int(src) < m {
				bit = f[src/64] >> (src % 64) & 1
			} else {
				s := src - uint32(m)
				bit = ^f[s/64] >> (s % 64) & 1
			}
			b[i/64] |= bit << (i % 64)
		}
		f = b
	}
	if e.p.XORFold {
		half := len(f) / 2
		g := make([]uint64, half)
		for i := range g {
			g[i] = f[i] ^ f[half+i]
		}
		f = g
	}
	out := make(Filter, 8*len(f))
	for i, w := range f {
		binary.LittleEndian.PutUint64(out[8*i:], w)
	}
	return out
}

// permutation returns a keyed permutation of 0..n-1: Fisher–Yates shuffling
// driven by HMAC-SHA256 of a counter under key, with rejection sampling so
// that every permutation is equally likely.
func permutation(key []byte, n int) []uint32 {
	p := make([]uint32, n)
	for i := range p {
		p[i] = uint32(i)
	}
	r := &keyStream{mac: hmac.New(sha256.New, key)}
	for i := n - 1; i > 0; i-- {
		bound := uint32(i + 1)
		limit := ^uint32(0) - ^uint32(0)%bound
		var v uint32
		for v = r.next(); v >= limit; v = r.next() {
		}
		j := v % bound
		p[i], p[j] = p[j], p[i]
	}
	return p
}

// keyStream is a stream of pseudo-random words: HMAC of a counter.
type keyStream struct {
	mac   hash.Hash
	n     uint64
	buf   [sha256.Size]byte
	avail int
}

func (r *keyStream) next() uint32 {
	if r.avail == 0 {
		var c [8]byte
		binary.LittleEndian.PutUint64(c[:], r.n)
		r.n++
		r.mac.Reset()
		r.mac.Write(c[:])
		r.mac.Sum(r.buf[:0])
		r.avail = len(r.buf) / 4
	}
	r.avail--
	return binary.LittleEndian.Uint32(r.buf[4*r.avail:])
}

// Dice returns the Dice similarity of two filters: twice the bits they
// share over the bits each has. Filters of different lengths, or with no
// bit set, have similarity 0.
func Dice(a, b Filter) float64 {
	if len(a) != len(b) || len(a) == 0 {
		return 0
	}
	var both, na, nb int
	i := 0
	for ; i+8 <= len(a); i += 8 {
		x, y := binary.LittleEndian.Uint64(a[i:]), binary.LittleEndian.Uint64(b[i:])
		both += bits.OnesCount64(x & y)
		na += bits.OnesCount64(x)
		nb += bits.OnesCount64(y)
	}
	for ; i < len(a); i++ {
		both += bits.OnesCount8(a[i] & b[i])
		na += bits.OnesCount8(a[i])
		nb += bits.OnesCount8(b[i])
	}
	if na+nb == 0 {
		return 0
	}
	return 2 * float64(both) / float64(na+nb)
}

// Match reports whether two filters of kind encode the same name or
// identifier: names when their Dice similarity reaches the threshold,
// identifiers only when equal. Nil filters match nothing.
func (e *Encoder) Match(a, b Filter, kind mosaic.MentionType) bool {
	if len(a) == 0 || len(a) != len(b) {
		return false
	}
	if !IsName(kind) {
		return hmac.Equal(a, b)
	}
	return Dice(a, b) >= e.p.Threshold
}

// MatchVariant is Match for a filter of one of a query's variants (see
// QueryVariants) against a record's: it holds names to VariantThreshold.
func (e *Encoder) MatchVariant(v, record Filter, kind mosaic.MentionType) bool {
	if !IsName(kind) || e.p.VariantThreshold == 0 {
		return e.Match(v, record, kind)
	}
	if len(v) == 0 || len(v) != len(record) {
		return false
	}
	return Dice(v, record) >= e.p.VariantThreshold
}
