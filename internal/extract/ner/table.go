package ner

// hashTable is an open-addressing map from 64-bit hashes to bit sets, for
// the word classes and gazetteer phrases: a lookup is a multiply, a shift
// and usually one probe, with no string in sight.
type hashTable struct {
	keys  []uint64
	vals  []uint32
	shift uint
	n     int
}

func newHashTable(capacity int) *hashTable {
	bits := uint(4)
	for 1<<bits < 2*capacity {
		bits++
	}
	return &hashTable{keys: make([]uint64, 1<<bits), vals: make([]uint32, 1<<bits), shift: 64 - bits}
}

// Key 0 marks an empty slot; a real hash of 0 is stored as 1.
func slotKey(k uint64) uint64 {
	if k == 0 {
		return 1
	}
	return k
}

// or sets bits on key k, growing the table when it gets half full.
func (t *hashTable) or(k uint64, bits uint32) {
	if 2*(t.n+1) > len(t.keys) {
		t.grow()
	}
	k = slotKey(k)
	mask := uint64(len(t.keys) - 1)
	for i := (k * 0x9e3779b97f4a7c15) >> t.shift; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			t.vals[i] |= bits
			return
		case 0:
			t.keys[i], t.vals[i] = k, bits
			t.n++
			return
		}
	}
}

func (t *hashTable) get(k uint64) uint32 {
	k = slotKey(k)
	mask := uint64(len(t.keys) - 1)
	for i := (k * 0x9e3779b97f4a7c15) >> t.shift; ; i = (i + 1) & mask {
		switch t.keys[i] {
		case k:
			return t.vals[i]
		case 0:
			return 0
		}
	}
}

func (t *hashTable) grow() {
	old := *t
	nt := newHashTable(len(t.keys))
	for i, k := range old.keys {
		if k != 0 {
			nt.or(k, old.vals[i])
		}
	}
	*t = *nt
}
