package entity

import "strings"

// skeleton returns the consonant skeleton of a normalised token: the key
// under which its transliteration variants meet. The rules, in order:
//
//   - digraphs: kh→h, gh→g, ph→f, th→t, dh→d, sh/ch/sch/sz→sh, ck→k,
//     dj/dzh/zh→j, ts/tz/cz→s; q→k; c→s before e, i, y and k elsewhere;
//     g→j before e, i; v→w; x→ks;
//   - ou→w before or after a vowel ("Ouahbi" = "Wahbi"), a vowel
//     otherwise; w after a vowel and before a consonant is a vowel
//     ("Fawzi" = "Fouzi");
//     y is a consonant only at the start before a vowel;
//   - a final h after a vowel is dropped ("Hamzah" = "Hamza");
//   - vowels are dropped, but a vowel starting the word is kept as "a";
//   - doubled letters collapse (before the vowels go: "Charara" is not
//     "Shair").
//
// So "Haddouchi", "Haddushi" and "Hadduchi" are all hdS, "Mohamed",
// "Muhammad" and "Mohammed" mhmd, "Souleymane" and "Sulayman" slmn. 'S'
// stands for sh; renderSkeleton spells it out. A token with digits is its
// own skeleton: numbers must agree exactly.
func skeleton(s string) string {
	if s == "" || isDigitWord(s) {
		return s
	}
	const vowel = 'V'
	out := make([]byte, 0, len(s))
	at := func(i int) byte {
		if i < len(s) {
			return s[i]
		}
		return 0
	}
	isV := func(c byte) bool { return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' || c == 'y' }
	for i := 0; i < len(s); i++ {
		c, nx, nx2 := s[i], at(i+1), at(i+2)
		var m byte
		switch c {
		case 'a', 'e', 'i', 'u':
			m = vowel
		case 'o':
			m = vowel
			if nx == 'u' {
				i++
				// "Ouahbi" = "Wahbi", "Daoud" = "Dawud".
				if isV(nx2) && nx2 != 'y' || i > 1 && strings.IndexByte("aeiou", s[i-2]) >= 0 {
					m = 'w'
				}
			}
		case 'y':
			m = vowel
			if i == 0 && isV(nx) {
				m = 'y'
			}
		case 'w', 'v':
			m = 'w'
			// "Fawzi" = "Fouzi": w closing a vowel is a vowel.
			if c == 'w' && i > 0 && isV(s[i-1]) && !isV(nx) {
				m = vowel
			}
		case 'k':
			m = 'k'
			if nx == 'h' {
				m = 'h'
				i++
			}
		case 'q':
			m = 'k'
		case 'c':
			switch {
			case nx == 'h':
				m = 'S'
				i++
			case nx == 'k':
				m = 'k'
				i++
			case nx == 'z':
				m = 's'
				i++
			case nx == 'e' || nx == 'i' || nx == 'y':
				m = 's'
			default:
				m = 'k'
			}
		case 's':
			m = 's'
			switch {
			case nx == 'h':
				m = 'S'
				i++
			case nx == 'c' && nx2 == 'h':
				m = 'S'
				i += 2
			case nx == 'z':
				m = 'S'
				i++
			}
		case 't':
			m = 't'
			switch {
			case nx == 'h':
				i++
			case nx == 's' && nx2 == 'h', nx == 'c' && nx2 == 'h':
				m = 'S'
				i += 2
			case nx == 's' || nx == 'z':
				m = 's'
				i++
			}
		case 'd':
			m = 'd'
			switch {
			case nx == 'h':
				i++
			case nx == 'j':
				m = 'j'
				i++
			case nx == 'z' && nx2 == 'h':
				m = 'j'
				i += 2
			}
		case 'z':
			m = 'z'
			if nx == 'h' {
				m = 'j'
				i++
			}
		case 'g':
			m = 'g'
			switch {
			case nx == 'h':
				i++
			case nx == 'e' || nx == 'i':
				m = 'j'
			}
		case 'p':
			m = 'p'
			if nx == 'h' {
				m = 'f'
				i++
			}
		case 'x':
			out = append(out, 'k')
			m = 's'
		default:
			m = c
		}
		if len(out) > 0 && out[len(out)-1] == m {
			continue
		}
		out = append(out, m)
	}
	// A final h after a vowel is silent.
	if n := len(out); n >= 2 && out[n-1] == 'h' && out[n-2] == vowel {
		out = out[:n-1]
	}
	res := out[:0]
	for i, c := range out {
		if c == vowel {
			if i != 0 {
				continue
			}
			c = 'a'
		}
		res = append(res, c)
	}
	return string(res)
}

// Vowel classes, for vowelProfile: e may stand for a (Mohamed, Muhammad)
// or i (Khaled, Khalid); o and u are one.
const (
	vowelA = 1 << iota
	vowelE
	vowelI
	vowelU
)

// vowelProfile summarises the vowels of a token, which the skeleton drops:
// the class of its first vowel and the number of vowel groups. Names with
// one skeleton are told apart by it: Muhammad (3 groups) and Mahmud (2),
// Hasan and Husayn (a, u), Umar and Ammar, Amin and Oman. A final silent e
// ("Amine", "Souleymane") is not a group.
func vowelProfile(s string) (first uint8, groups int) {
	isV := func(i int) bool {
		switch s[i] {
		case 'a', 'e', 'i', 'o', 'u':
			return true
		case 'y':
			return i > 0 && !(i+1 < len(s) && strings.IndexByte("aeiou", s[i+1]) >= 0)
		}
		return false
	}
	n := len(s)
	if n > 3 && s[n-1] == 'e' && !isV(n-2) {
		n--
	}
	in := false
	for i := 0; i < n; i++ {
		// "ou" before or after a vowel is the consonant w: "Ouahbi", "Daoud".
		if s[i] == 'o' && i+2 < n && s[i+1] == 'u' && (strings.IndexByte("aeio", s[i+2]) >= 0 || i > 0 && strings.IndexByte("aei", s[i-1]) >= 0) {
			in = false
			i++
			continue
		}
		if !isV(i) {
			in = false
			continue
		}
		if in {
			continue
		}
		in = true
		groups++
		if first == 0 {
			switch s[i] {
			case 'a':
				first = vowelA
			case 'e':
				first = vowelE
			case 'i', 'y':
				first = vowelI
			default:
				first = vowelU
			}
		}
	}
	return first, groups
}

// vowelsAgree reports whether two vowel profiles can be spellings of one
// name, and whether exactly (same number of groups).
func vowelsAgree(fa uint8, ga int8, fb uint8, gb int8) (agree, exact bool) {
	if ga < 0 || gb < 0 {
		return true, false
	}
	compatible := fa == fb || fa == 0 || fb == 0 ||
		(fa|fb) == vowelA|vowelE || (fa|fb) == vowelE|vowelI
	if !compatible {
		return false, false
	}
	d := ga - gb
	if d < 0 {
		d = -d
	}
	return d <= 1, d == 0
}

// renderSkeleton spells a skeleton for people: 'S' as "sh".
func renderSkeleton(k string) string {
	return strings.ReplaceAll(k, "S", "sh")
}

// jaroWinkler returns the Jaro-Winkler similarity of two ASCII strings, in
// [0, 1], with the usual prefix scale 0.1 over at most four characters.
func jaroWinkler(a, b string) float64 {
	if a == b {
		return 1
	}
	la, lb := len(a), len(b)
	if la == 0 || lb == 0 {
		return 0
	}
	if la > 64 || lb > 64 {
		if la > 64 {
			a, la = a[:64], 64
		}
		if lb > 64 {
			b, lb = b[:64], 64
		}
	}
	window := max(la, lb)/2 - 1
	if window < 0 {
		window = 0
	}
	var ma, mb uint64 // matched positions
	m := 0
	for i := 0; i < la; i++ {
		lo, hi := max(0, i-window), min(lb, i+window+1)
		for j := lo; j < hi; j++ {
			if mb&(1<<uint(j)) == 0 && a[i] == b[j] {
				ma |= 1 << uint(i)
				mb |= 1 << uint(j)
				m++
				break
			}
		}
	}
	if m == 0 {
		return 0
	}
	t, j := 0, 0
	for i := 0; i < la; i++ {
		if ma&(1<<uint(i)) == 0 {
			continue
		}
		for mb&(1<<uint(j)) == 0 {
			j++
		}
		if a[i] != b[j] {
			t++
		}
		j++
	}
	fm := float64(m)
	jaro := (fm/float64(la) + fm/float64(lb) + (fm-float64(t/2))/fm) / 3
	p := 0
	for p < 4 && p < la && p < lb && a[p] == b[p] {
		p++
	}
	return jaro + float64(p)*0.1*(1-jaro)
}
