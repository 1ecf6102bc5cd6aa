package ner

// The second pass reads what the first pass found in the whole document.
// A name is written in full once ("Mireille Vandamme") and then shortened
// ("Vandamme"), or stands alone in a headline, a table or an ALL-CAPS
// speaker label where its shape says little: features saying "this word
// was tagged PER elsewhere in the document" carry the first, confident
// reading over to the rest. The second pass is trained on first-pass output
// that is as imperfect as it will be on new text: on each fold of the
// training documents, a first-pass model trained on the other folds
// (jackknifing), so that it learns how far to trust the first pass.

// docToken is what the document-level features need of one token.
type docToken struct {
	lw    uint64
	cas   uint8
	label uint8 // first-pass label
}

// docEntry sums up the occurrences of one word form in a document.
type docEntry struct {
	kinds [numKinds]uint16 // occurrences inside first-pass entities of each kind
	// capMid counts occurrences capitalised in mid-sentence of a
	// mixed-case sentence: the evidence that a word is a name, which an
	// ALL-CAPS or lower-case line lacks.
	capMid uint16
}

// docContext indexes a document's first-pass reading by word form.
type docContext struct {
	keys    *hashTable // lw -> 1 + index into entries
	entries []docEntry
}

func newDocContext() *docContext { return &docContext{keys: newHashTable(256)} }

func (dc *docContext) reset() {
	clear(dc.keys.keys)
	clear(dc.keys.vals)
	dc.keys.n = 0
	dc.entries = dc.entries[:0]
}

func capMid(t docToken, i int, sent int) bool {
	return i > 0 && sent == sentMixed && (t.cas == caseTitle || t.cas == caseMixed || t.cas == caseUpper)
}

// build indexes the sentences of a document; sentCase gives each
// sentence's case class.
func (dc *docContext) build(sents [][]docToken, sentCase []uint8) {
	dc.reset()
	for s, toks := range sents {
		for i, t := range toks {
			if t.cas == caseNone {
				continue
			}
			cm := capMid(t, i, int(sentCase[s]))
			if t.label == 0 && !cm {
				continue
			}
			e := dc.entry(t.lw)
			if t.label != 0 {
				e.kinds[labelKind(int(t.label))]++
			}
			if cm {
				e.capMid++
			}
		}
	}
}

func (dc *docContext) entry(k uint64) *docEntry {
	if v := dc.keys.get(k); v != 0 {
		return &dc.entries[v-1]
	}
	dc.entries = append(dc.entries, docEntry{})
	dc.keys.or(k, uint32(len(dc.entries)))
	return &dc.entries[len(dc.entries)-1]
}

// features appends the hashed document-level features of token i of a
// sentence (before bucketing) to out. own is the token as the context
// counted it, in a sentence of case ownSent: its own occurrence is taken
// out, so that only the rest of the document speaks. (A case-augmented
// training copy of a sentence is not in the context; its original is.)
func (dc *docContext) features(toks []docToken, i int, sent int, own docToken, ownSent int, out []uint64) []uint64 {
	t := toks[i]
	add := func(tmpl int, v uint64) { out = append(out, mix(templateSeed[tmpl], v)) }
	prev, next := uint8(0xFF), uint8(0xFE)
	if i > 0 {
		prev = toks[i-1].label
	}
	if i+1 < len(toks) {
		next = toks[i+1].label
	}
	add(tStack, uint64(t.label))
	add(tStackP1, uint64(prev)<<8|uint64(t.label))
	add(tStackN1, uint64(t.label)<<8|uint64(next))
	if t.cas == caseNone {
		return out
	}
	v := dc.keys.get(t.lw)
	if v == 0 {
		return out
	}
	e := dc.entries[v-1]
	// Count the other occurrences only.
	if own.label != 0 && e.kinds[labelKind(int(own.label))] > 0 {
		e.kinds[labelKind(int(own.label))]--
	}
	if own.cas != caseNone && capMid(own, i, ownSent) && e.capMid > 0 {
		e.capMid--
	}
	total, major := uint16(0), -1
	for k, c := range e.kinds {
		if c == 0 {
			continue
		}
		add(tDocKind, uint64(k))
		add(tDocKindCase, uint64(k)<<8|uint64(t.cas))
		total += c
		if major < 0 || c > e.kinds[major] {
			major = k
		}
	}
	if major >= 0 {
		own := uint64(numKinds)
		if t.label != 0 {
			own = uint64(labelKind(int(t.label)))
		}
		add(tDocMajor, uint64(major)<<8|own)
	}
	if e.capMid > 0 {
		add(tDocCapSeen, uint64(sent)<<8|uint64(t.cas))
	}
	return out
}
