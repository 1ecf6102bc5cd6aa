package ner

import (
	"unicode"
	"unicode/utf8"
)

// Feature groups, switched on and off by Options.Features so that each can
// be measured (see the table in doc.go). The base group is always on.
const (
	// GroupAffix: prefixes and suffixes of 1–4 letters.
	GroupAffix = 1 << iota
	// GroupNgram: character trigrams of the word.
	GroupNgram
	// GroupClass: the hand-written word classes (titles, organisation
	// words, particles and kunyas, months, demonyms) of the word and its
	// neighbours.
	GroupClass
	// GroupGazetteer: names, organisations, countries and cities from the
	// embedded gazetteers, as word classes and as matched phrases.
	GroupGazetteer
	// GroupDocument: the second pass, with what the first pass found
	// elsewhere in the document.
	GroupDocument
)

// Case classes of a token.
const (
	caseNone    = iota // no letters: numbers, punctuation
	caseLower          // "said", "al-"
	caseTitle          // "Paris", "McDonald" counts as mixed
	caseUpper          // "ISIS", "NATO" (two letters or more)
	caseInitial        // "A", "J."
	caseMixed          // "McDonald", "iPhone", "al-Baghdadi"
)

// Sentence case classes: a headline or a shouted transcript line should not
// read as a run of acronyms, nor a lower-cased chat as having no names.
const (
	sentMixed = iota
	sentUpper
	sentLower
	sentTitle
)

// Token flags.
const (
	flagDigit  = 1 << iota // has a digit
	flagHyphen             // has a hyphen inside
	flagApos               // has an apostrophe
	flagPeriod             // has a period ("U.S.", "J.")
	flagPunct              // has no letter or digit at all
	flagArabic             // starts with a hyphenated particle: al-, el-, ad-, ...
	flagDigits             // only digits and separators
)

// atom is what the featuriser knows about one token on its own.
type atom struct {
	w, lw         uint64 // exact and lower-cased form, digits as 0
	shape, sshape uint64 // word shape, and with runs collapsed
	pre, suf      [4]uint64
	cls           uint32 // word classes
	phr           uint32 // gazetteer phrase labels, bit per (phrase class, BILOU position)
	cas           uint8
	flags         uint8
	runes         uint8 // length in runes, capped at 255
}

// Sentinels stand before the first and after the last token.
var bosAtom, eosAtom atom

func init() {
	for i, a := range []*atom{&bosAtom, &eosAtom} {
		v := fmix(uint64(0xB05E05 + i))
		a.w, a.lw, a.shape, a.sshape = v, v, v, v
	}
}

// lowerRune lower-cases r and writes digits as '0', so that "1996" and
// "2016" share a form.
func lowerRune(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + 'a' - 'A'
	case r >= '0' && r <= '9':
		return '0'
	case r < utf8.RuneSelf:
		return r
	}
	if unicode.IsDigit(r) {
		return '0'
	}
	return unicode.ToLower(r)
}

// lowerHash returns the hash of the lower-cased form of s: the key of
// the word-class and gazetteer tables.
func lowerHash(s string) uint64 {
	h := uint64(fnvOffset)
	for _, r := range s {
		h = fnvRune(h, lowerRune(r))
	}
	return h
}

// shapeOf maps a rune to its shape character.
func shapeOf(r rune) rune {
	switch {
	case r >= 'a' && r <= 'z':
		return 'x'
	case r >= 'A' && r <= 'Z':
		return 'X'
	case r >= '0' && r <= '9':
		return 'd'
	case r < utf8.RuneSelf:
		return r
	case unicode.IsUpper(r):
		return 'X'
	case unicode.IsLetter(r):
		return 'x'
	case unicode.IsDigit(r):
		return 'd'
	}
	return '~'
}

// analyze fills a with what can be said about the token s alone. low
// receives the token's lower-cased runes for the character n-grams.
func analyze(s string, a *atom, low []rune) []rune {
	*a = atom{}
	w, lw, sh, ssh := uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset), uint64(fnvOffset)
	var prevShape rune
	run := 0
	upper, lower, letters, digits, others := 0, 0, 0, 0, 0
	firstUpper := false
	n := 0
	low = low[:0]
	for i, r := range s {
		lr := lowerRune(r)
		if r >= '0' && r <= '9' || r >= utf8.RuneSelf && unicode.IsDigit(r) {
			w = fnvRune(w, '0')
		} else {
			w = fnvRune(w, r)
		}
		lw = fnvRune(lw, lr)
		low = append(low, lr)
		if n < 4 {
			a.pre[n] = lw
		}
		n++
		c := shapeOf(r)
		if c == prevShape {
			run++
		} else {
			run = 1
			ssh = fnvRune(ssh, c)
		}
		if run <= 4 {
			sh = fnvRune(sh, c)
		}
		prevShape = c
		switch c {
		case 'X':
			upper++
			letters++
			if i == 0 {
				firstUpper = true
			}
		case 'x':
			lower++
			letters++
		case 'd':
			digits++
		case '-':
			if i > 0 {
				a.flags |= flagHyphen
			}
			others++
		case '\'', '’':
			a.flags |= flagApos
			others++
		case '.':
			a.flags |= flagPeriod
			others++
		default:
			others++
		}
	}
	a.w, a.lw, a.shape, a.sshape = w, lw, sh, ssh
	a.runes = uint8(min(n, 255))
	for k := 0; k < 4; k++ {
		if k+1 >= n {
			a.pre[k] = 0
		}
	}
	// Suffixes from the lower-cased runes, shortest first.
	for k := 1; k <= 4 && k < n; k++ {
		h := uint64(fnvOffset)
		for _, r := range low[n-k:] {
			h = fnvRune(h, r)
		}
		a.suf[k-1] = h
	}
	if digits > 0 {
		a.flags |= flagDigit
		if letters == 0 {
			a.flags |= flagDigits
		}
	}
	if letters == 0 && digits == 0 {
		a.flags |= flagPunct
	}
	switch {
	case letters == 0:
		a.cas = caseNone
	case upper == 0:
		a.cas = caseLower
	case lower == 0 && letters == 1:
		a.cas = caseInitial
	case lower == 0:
		a.cas = caseUpper
	case firstUpper && upper == 1:
		a.cas = caseTitle
	default:
		a.cas = caseMixed
	}
	// al-Maghribi, el-Haddouchi, ad-Dawla, as-Sahab: the Arabic article,
	// however it is transliterated.
	if a.flags&flagHyphen != 0 && len(low) > 3 {
		for k := 1; k <= 3 && k+1 < len(low); k++ {
			if low[k] == '-' {
				switch string(low[:k]) {
				case "al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ul", "ud", "ibn", "bin", "abu", "bou", "ben":
					a.flags |= flagArabic
				}
				break
			}
		}
	}
	return low
}
