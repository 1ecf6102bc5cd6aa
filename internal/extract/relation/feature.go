package relation

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Feature extraction. Each feature is a string hashed (FNV-1a, 64 bits) into
// one of 1<<bits buckets; collisions are left to the training to sort out.
// The features describe a pair as a reader would judge it: which kinds of
// thing the two are, how far apart, what words join them ("leader of",
// ", a suburb of", "was killed by"), what lies just outside, and each
// mention's head word ("Corp.", "University", "River").

const (
	// maxBetween caps the words between the mentions read as a bag: the
	// first and last maxBetween/2, where the words that join two mentions
	// are.
	maxBetween = 10
	// maxPath is the longest span between the mentions read as one
	// phrase, other mentions folded to their type.
	maxPath = 6
)

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

// featurizer collects a pair's feature hashes.
type featurizer struct {
	out   []uint64
	lower []string
}

func hashString(h uint64, s string) uint64 {
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= fnvPrime
	}
	return h
}

// add records the feature made of parts, separated so that ("ab","c") and
// ("a","bc") differ.
func (f *featurizer) add(parts ...string) {
	h := uint64(fnvOffset)
	for _, p := range parts {
		h = hashString(h, p)
		h ^= 0xff
		h *= fnvPrime
	}
	f.out = append(f.out, h)
}

// norm returns a word as features see it: lower case, digits folded to 0.
func norm(w string) string {
	digit, upper := false, false
	for i := 0; i < len(w); i++ {
		c := w[i]
		switch {
		case c >= '0' && c <= '9':
			digit = true
		case c >= 'A' && c <= 'Z', c >= utf8.RuneSelf:
			upper = true
		}
	}
	if !digit && !upper {
		return w
	}
	if upper {
		w = strings.ToLower(w)
	}
	if digit {
		w = strings.Map(func(r rune) rune {
			if unicode.IsDigit(r) {
				return '0'
			}
			return r
		}, w)
	}
	return w
}

// stem cuts a word to at most five letters, a crude lemma: "commanded" and
// "commander" both read "comma", "killed" and "killing" "kille"/"killi" —
// crude, but it lets rare inflections share weight with common ones.
func stem(w string) string {
	if len(w) <= 5 {
		return w
	}
	n := 5
	for n < len(w) && !utf8.RuneStart(w[n]) {
		n++
	}
	return w[:n]
}

// distBucket groups token distances.
func distBucket(d int) string {
	switch {
	case d <= 4:
		return string(rune('0' + d))
	case d <= 6:
		return "5-6"
	case d <= 9:
		return "7-9"
	case d <= 14:
		return "10-14"
	}
	return "15+"
}

// features returns the hashed features of p, which must be valid.
func (f *featurizer) features(p *Pair) []uint64 {
	others := p.Others
	f.out = f.out[:0]
	// Only the words from two before A to two after B are read, so only
	// they are normalised: a long sentence's pairs cost their own span.
	f.lower = f.lower[:0]
	for i, w := range p.Words {
		if i >= p.A.Start-2 && i < p.B.End+2 {
			w = norm(w)
		}
		f.lower = append(f.lower, w)
	}
	lw := f.lower
	ta, tb := string(p.A.Type), string(p.B.Type)
	types := ta + ">" + tb
	gap := p.B.Start - p.A.End

	f.add("bias")
	f.add("t", types)
	f.add("d", types, distBucket(gap))

	// Heads and the mentions' own words.
	ha, hb := lw[p.A.End-1], lw[p.B.End-1]
	f.add("ha", ha)
	f.add("hb", hb)
	f.add("hab", ha, hb)
	f.add("fa", lw[p.A.Start])
	f.add("fb", lw[p.B.Start])
	f.add("la", itoa(min(p.A.End-p.A.Start, 4)), ta)
	f.add("lb", itoa(min(p.B.End-p.B.Start, 4)), tb)

	// Words outside.
	f.add("a-1", at(lw, p.A.Start-1))
	f.add("a-2", at(lw, p.A.Start-2), at(lw, p.A.Start-1))
	f.add("b+1", at(lw, p.B.End))
	f.add("b+2", at(lw, p.B.End), at(lw, p.B.End+1))
	f.add("ta-1", types, at(lw, p.A.Start-1))
	f.add("tb+1", types, at(lw, p.B.End))

	// Other mentions between, and the mentions around.
	between := 0
	for _, o := range others {
		if o.Start >= p.A.End && o.End <= p.B.Start {
			between++
			f.add("mb", string(o.Type))
		}
	}
	f.add("nmb", itoa(min(between, 3)))

	// Words between.
	if gap == 0 {
		f.add("b0", types)
		return f.out
	}
	f.add("bf", lw[p.A.End])
	f.add("bl", lw[p.B.Start-1])
	f.add("tbf", types, lw[p.A.End])
	f.add("tbl", types, lw[p.B.Start-1])
	f.add("bfl", lw[p.A.End], lw[p.B.Start-1])
	comma, paren, verbish := false, false, false
	for i := p.A.End; i < p.B.Start; i++ {
		w := lw[i]
		switch w {
		case ",":
			comma = true
		case "(", ")":
			paren = true
		}
		if len(w) > 3 && (strings.HasSuffix(w, "ed") || strings.HasSuffix(w, "s")) {
			verbish = true
		}
		if i-p.A.End >= maxBetween/2 && p.B.Start-i > maxBetween/2 {
			continue
		}
		f.add("b", w)
		f.add("tb", types, w)
		if s := stem(w); s != w {
			f.add("b5", s)
		}
		if i+1 < p.B.Start {
			f.add("bb", w, lw[i+1])
		}
	}
	if comma {
		f.add("comma", types)
	}
	if paren {
		f.add("paren", types)
	}
	if verbish {
		f.add("verbish", types)
	}
	if gap <= maxPath {
		// The whole phrase between, other mentions folded to their type.
		var b strings.Builder
		k := 0
		for i := p.A.End; i < p.B.Start; i++ {
			for k < len(others) && others[k].End <= i {
				k++
			}
			inside := k < len(others) && others[k].Start <= i
			if inside && others[k].Start != i {
				continue
			}
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			if inside {
				b.WriteString(string(others[k].Type))
			} else {
				b.WriteString(lw[i])
			}
		}
		f.add("path", b.String())
		f.add("tpath", types, b.String())
	}
	return f.out
}

func at(ws []string, i int) string {
	if i < 0 {
		return "<s>"
	}
	if i >= len(ws) {
		return "</s>"
	}
	return ws[i]
}

func itoa(n int) string {
	if n >= 0 && n < 10 {
		return string(rune('0' + n))
	}
	return "+"
}
