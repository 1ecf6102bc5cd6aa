package ner

// Features are hashed, never stored as strings: a feature is a 64-bit hash
// of its template and value (FNV-1a over the bytes of a string value, a
// multiplicative mix to combine hashes), and its weights live in the row
// the top bits of that hash pick. Inference therefore needs no map of
// strings and allocates nothing per token.

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// fmix is the finaliser of MurmurHash3: it spreads every input bit over
// the whole word, so the top bits make a good bucket index.
func fmix(h uint64) uint64 {
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return h
}

// mix combines two hashes, order-sensitively.
func mix(a, b uint64) uint64 {
	return fmix(a*0x9e3779b97f4a7c15 ^ (b + 0x632be59bd9b4e019))
}

// fnvByte adds one byte to an FNV-1a hash.
func fnvByte(h uint64, c byte) uint64 { return (h ^ uint64(c)) * fnvPrime }

// fnvString returns the FNV-1a hash of s.
func fnvString(s string) uint64 {
	h := uint64(fnvOffset)
	for i := 0; i < len(s); i++ {
		h = fnvByte(h, s[i])
	}
	return h
}

// fnvRune adds the UTF-8 encoding of r to an FNV-1a hash.
func fnvRune(h uint64, r rune) uint64 {
	switch {
	case r < 0x80:
		return fnvByte(h, byte(r))
	case r < 0x800:
		h = fnvByte(h, byte(0xC0|r>>6))
		return fnvByte(h, byte(0x80|r&0x3F))
	case r < 0x10000:
		h = fnvByte(h, byte(0xE0|r>>12))
		h = fnvByte(h, byte(0x80|(r>>6)&0x3F))
		return fnvByte(h, byte(0x80|r&0x3F))
	default:
		h = fnvByte(h, byte(0xF0|r>>18))
		h = fnvByte(h, byte(0x80|(r>>12)&0x3F))
		h = fnvByte(h, byte(0x80|(r>>6)&0x3F))
		return fnvByte(h, byte(0x80|r&0x3F))
	}
}
