package entity

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mozillazg/go-unidecode"
	"golang.org/x/text/unicode/norm"
)

// toLatin transliterates s to ASCII. Letters keep their case where the
// script has case (Latin, Cyrillic, Greek), so that "AL-ZAWAHIRI, Ayman" and
// "ИВАНОВ Иван" can still be read for name order; scripts without case come
// out lower-case. Word breaks become spaces; hyphens, commas and full stops
// are kept, for the tokenizer; apostrophes and the signs for ayn and hamza
// become '\”, which the tokenizer drops inside a word.
//
// Arabic, Persian, Urdu and Pashto letters, Cyrillic, Greek and Hebrew have
// tables of their own, written for names (the transliteration of Arabic in
// go-unidecode spells "محمد" as "mhmd" but "القادر" as "lqdr", losing the
// article). Everything else goes through go-unidecode; a word of Chinese
// characters or Korean syllables becomes surname and given name
// ("毛泽东" → "Mao Zedong"), as pinyin and revised romanisation spell them.
func toLatin(s string) string {
	if isASCII(s) {
		return s
	}
	// Decompose rune by rune (compatibility forms too: Arabic presentation
	// forms, full-width letters, ligatures), but not Hangul syllables, which
	// unidecode reads whole.
	rs := make([]rune, 0, len(s))
	for _, r := range s {
		if r >= 0xAC00 && r <= 0xD7A3 || r < utf8.RuneSelf {
			rs = append(rs, r)
			continue
		}
		rs = append(rs, []rune(norm.NFKD.String(string(r)))...)
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(rs); i++ {
		r := rs[i]
		switch {
		case r < utf8.RuneSelf:
			b.WriteByte(byte(r))
		case r >= 0x0600 && r <= 0x06FF, r >= 0x0750 && r <= 0x077F, r >= 0xFB50 && r <= 0xFEFF && r != 0xFEFF:
			i = arabicWord(&b, rs, i) - 1
		case r >= 0x0400 && r <= 0x052F:
			writeCased(&b, cyrillic(r), r)
		case r >= 0x0370 && r <= 0x03FF, r >= 0x1F00 && r <= 0x1FFF:
			i = greek(&b, rs, i)
		case r >= 0x0590 && r <= 0x05FF:
			hebrew(&b, rs, i)
		case isHan(r) || (r >= 0xAC00 && r <= 0xD7A3):
			i = hanWord(&b, rs, i) - 1
		default:
			b.WriteString(otherRune(r))
		}
	}
	return b.String()
}

// abjadMark starts a word transliterated from a script that writes no
// short vowels (Arabic, Hebrew): its vowels say nothing.
const abjadMark = '\x02'

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// otherRune transliterates a rune outside the scripts with their own table:
// Latin letters with marks (after NFD the marks arrive alone and are
// dropped), letters without a decomposition, punctuation and spaces.
func otherRune(r rune) string {
	switch r {
	case 'ß':
		return "ss"
	case 'ẞ':
		return "SS"
	case 'æ':
		return "ae"
	case 'Æ':
		return "AE"
	case 'œ':
		return "oe"
	case 'Œ':
		return "OE"
	case 'ø':
		return "o"
	case 'Ø':
		return "O"
	case 'ł':
		return "l"
	case 'Ł':
		return "L"
	case 'đ', 'ð':
		return "d"
	case 'Đ', 'Ð':
		return "D"
	case 'þ':
		return "th"
	case 'Þ':
		return "TH"
	case 'ı':
		return "i"
	case 'ħ':
		return "h"
	case 'Ħ':
		return "H"
	case 'ŋ':
		return "ng"
	case 'ʿ', 'ʾ', 'ʻ', 'ʼ', '’', '‘', '`', '´', 'ʹ', '′', 'ʽ':
		return "'"
	case '‐', '‑', '‒', '–', '—', '―', '־':
		return "-"
	case '，', '、':
		return ","
	case '。', '·', '・':
		return " "
	}
	if unicode.Is(unicode.Mn, r) || unicode.Is(unicode.Me, r) || unicode.Is(unicode.Cf, r) {
		return ""
	}
	if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) || unicode.IsControl(r) {
		return " "
	}
	if unicode.IsDigit(r) {
		if d := unicode.ToLower(r); d >= 0xFF10 && d <= 0xFF19 {
			return string('0' + (d - 0xFF10))
		}
		return string(rune('0' + digitValue(r)))
	}
	out := unidecode.Unidecode(string(r))
	if out == "" {
		return ""
	}
	return out
}

// digitValue returns the value of a decimal digit of any script.
func digitValue(r rune) int {
	for _, z := range []rune{0x0660, 0x06F0, 0x0966, 0x09E6, 0x0E50, 0xFF10, 0x07C0, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66, 0x0CE6, 0x0D66, 0x1040, 0x17E0, 0x1810} {
		if r >= z && r <= z+9 {
			return int(r - z)
		}
	}
	return 0
}

// writeCased writes lat, upper-cased when the source rune was upper-case.
func writeCased(b *strings.Builder, lat string, r rune) {
	if unicode.IsUpper(r) {
		b.WriteString(strings.ToUpper(lat))
		return
	}
	b.WriteString(lat)
}

// cyrillic transliterates one Cyrillic letter as names are usually spelt in
// English (BGN/PCGN without its diacritics), with the letters of Ukrainian,
// Belarusian, Serbian, Macedonian, Kazakh and the Caucasus.
func cyrillic(r rune) string {
	r = unicode.ToLower(r)
	switch r {
	case 'а':
		return "a"
	case 'б':
		return "b"
	case 'в':
		return "v"
	case 'г':
		return "g"
	case 'д':
		return "d"
	case 'е', 'э':
		return "e"
	case 'ё':
		return "yo"
	case 'ж':
		return "zh"
	case 'з':
		return "z"
	case 'и', 'і':
		return "i"
	case 'й':
		return "y"
	case 'к':
		return "k"
	case 'л':
		return "l"
	case 'м':
		return "m"
	case 'н':
		return "n"
	case 'о':
		return "o"
	case 'п':
		return "p"
	case 'р':
		return "r"
	case 'с':
		return "s"
	case 'т':
		return "t"
	case 'у', 'ў', 'ұ', 'ү':
		return "u"
	case 'ф':
		return "f"
	case 'х', 'һ':
		return "kh"
	case 'ц':
		return "ts"
	case 'ч':
		return "ch"
	case 'ш':
		return "sh"
	case 'щ':
		return "shch"
	case 'ъ', 'ь':
		return ""
	case 'ы':
		return "y"
	case 'ю':
		return "yu"
	case 'я':
		return "ya"
	case 'є':
		return "ye"
	case 'ї':
		return "yi"
	case 'ґ':
		return "g"
	case 'ђ':
		return "dj"
	case 'ј':
		return "j"
	case 'љ':
		return "lj"
	case 'њ':
		return "nj"
	case 'ћ':
		return "c"
	case 'џ':
		return "dz"
	case 'ѓ':
		return "gj"
	case 'ќ':
		return "kj"
	case 'ѕ':
		return "dz"
	case 'ә':
		return "a"
	case 'ғ', 'ҕ':
		return "gh"
	case 'қ', 'ҡ':
		return "q"
	case 'ң':
		return "ng"
	case 'ө':
		return "o"
	case 'ӏ':
		return ""
	case 'ҳ':
		return "h"
	case 'ҷ':
		return "j"
	}
	if unicode.Is(unicode.Mn, r) {
		return ""
	}
	return unidecode.Unidecode(string(r))
}

// Arabic letters, for arabicWord.
var arabicLetters = map[rune]string{
	'ا': "a", 'ٱ': "a", 'ء': "", 'ب': "b", 'ت': "t", 'ث': "th", 'ج': "j", 'ح': "h",
	'خ': "kh", 'د': "d", 'ذ': "dh", 'ر': "r", 'ز': "z", 'س': "s", 'ش': "sh", 'ص': "s",
	'ض': "d", 'ط': "t", 'ظ': "z", 'غ': "gh", 'ف': "f", 'ق': "q", 'ك': "k", 'ل': "l",
	'م': "m", 'ن': "n", 'ه': "h", 'ة': "a", 'ى': "a",
	// Persian, Urdu, Pashto and Kurdish letters.
	'پ': "p", 'چ': "ch", 'ژ': "zh", 'گ': "g", 'ک': "k", 'ٹ': "t", 'ڈ': "d", 'ڑ': "r",
	'ں': "n", 'ھ': "h", 'ہ': "h", 'ۃ': "a", 'ے': "e", 'ۓ': "e", 'ټ': "t", 'ډ': "d",
	'ړ': "r", 'ښ': "sh", 'ږ': "zh", 'ځ': "dz", 'څ': "ts", 'ڼ': "n", 'ې': "e", 'ۍ': "ay",
	'ڤ': "v", 'ڨ': "g", 'ڭ': "ng", 'ۆ': "o", 'ێ': "e", 'ڵ': "l", 'ڕ': "r", 'ە': "a",
	'ۀ': "a",
	// Vowel signs, written only in vocalised text.
	'\u064E': "a", '\u064F': "u", '\u0650': "i", '\u0670': "a",
	'\u064B': "", '\u064C': "", '\u064D': "", '\u0651': "", '\u0652': "", '\u0653': "",
	'\u0654': "", '\u0655': "", '\u0640': "",
	'،': ",", '؛': " ", '؟': " ", '٫': ".", '٬': ",", '۔': " ",
}

// isArabicLetter reports whether r is written inside an Arabic word.
func isArabicLetter(r rune) bool {
	if r == 'ء' || r == 'ع' || r == 'و' || r == 'ي' || r == 'ی' || r == 'ئ' || r == 'ؤ' {
		return true
	}
	if s, ok := arabicLetters[r]; ok {
		return s != "," && s != " " && s != "."
	}
	return false
}

// arabicWord transliterates the Arabic-script word that starts at rs[i] and
// returns the index after it. Short vowels are not written in Arabic, so the
// result keeps the consonants and the long vowels: waw and ya are read as
// the vowels u and i between consonants and as w and y elsewhere; the
// article al- is split off ("الحدوشي" → "al-hdushi"), "عبدال" is read as
// "abd al-", and ayn starting a word as "a" ("عمر" → "amr").
func arabicWord(b *strings.Builder, rs []rune, i int) int {
	j := i
	for j < len(rs) && (isArabicLetter(rs[j]) || unicode.Is(unicode.Mn, rs[j])) {
		j++
	}
	if j == i { // punctuation, digits, presentation forms
		r := norm.NFKC.String(string(rs[i]))
		if s, ok := arabicLetters[rs[i]]; ok {
			b.WriteString(s)
		} else if r != string(rs[i]) {
			b.WriteString(toLatin(r))
		} else if unicode.IsDigit(rs[i]) {
			b.WriteByte(byte('0' + digitValue(rs[i])))
		} else {
			b.WriteByte(' ')
		}
		return i + 1
	}
	w := make([]rune, 0, j-i)
	for _, r := range rs[i:j] {
		if !unicode.Is(unicode.Mn, r) || arabicLetters[r] != "" {
			w = append(w, r)
		}
	}
	word := string(w)
	switch word {
	case "الله", "اللہ":
		b.WriteString("allah")
		return j
	case "عبدالله", "عبداللہ":
		b.WriteString("abdallah")
		return j
	}
	start := 0
	if strings.HasPrefix(word, "عبدال") && len(w) > 5 {
		b.WriteString("abd al-")
		start = 5
	} else if strings.HasPrefix(word, "ال") && len(w) > 3 {
		b.WriteString("al-")
		start = 2
	}
	b.WriteByte(abjadMark)
	vowelLetter := func(k int) bool {
		if k < 0 || k >= len(w) {
			return false
		}
		switch w[k] {
		case 'ا', 'ى', 'ة', 'و', 'ي', 'ی', '\u064E', '\u064F', '\u0650':
			return true
		}
		return false
	}
	prevVowel := false
	for k := start; k < len(w); k++ {
		r := w[k]
		var out string
		switch r {
		case 'ع':
			if k == start {
				out = "a"
			} else {
				out = "'"
			}
		case 'أ', 'إ', 'آ':
			out = "a"
		case 'و', 'ؤ':
			if k == start || prevVowel || vowelLetter(k+1) && k+1 < len(w) && w[k+1] != 'و' {
				out = "w"
			} else {
				out = "u"
			}
		case 'ي', 'ی', 'ئ':
			if k == start || (vowelLetter(k+1) && w[k+1] != 'ي' && w[k+1] != 'ی') || (prevVowel && k+1 < len(w)) {
				out = "y"
			} else {
				out = "i"
			}
		default:
			out = arabicLetters[r]
		}
		if k > start && len(out) > 0 && out[0] == 'h' && digraphFirst(b) {
			// "سهل" is Sahl, not Shl: a vowel, unwritten, keeps s and h apart.
			b.WriteByte('a')
		}
		b.WriteString(out)
		prevVowel = out == "a" || out == "u" || out == "i" || out == "e" || out == "o"
	}
	return j
}

// Greek letters, for greek; digraphs are handled there.
var greekLetters = map[rune]string{
	'α': "a", 'β': "v", 'γ': "g", 'δ': "d", 'ε': "e", 'ζ': "z", 'η': "i", 'θ': "th",
	'ι': "i", 'κ': "k", 'λ': "l", 'μ': "m", 'ν': "n", 'ξ': "x", 'ο': "o", 'π': "p",
	'ρ': "r", 'σ': "s", 'ς': "s", 'τ': "t", 'υ': "y", 'φ': "f", 'χ': "ch", 'ψ': "ps",
	'ω': "o", 'ϊ': "i", 'ϋ': "y",
}

// greek writes the Greek letter at rs[i] (ELOT 743 for names, with the
// digraphs ου, αι, ει, οι, μπ, ντ, γκ, γγ, αυ, ευ) and returns the index of
// the last rune consumed.
func greek(b *strings.Builder, rs []rune, i int) int {
	r := rs[i]
	lr := unicode.ToLower(r)
	if unicode.Is(unicode.Mn, r) {
		return i
	}
	next := rune(0)
	n := i + 1
	for n < len(rs) && unicode.Is(unicode.Mn, rs[n]) {
		n++
	}
	if n < len(rs) {
		next = unicode.ToLower(rs[n])
	}
	initial := i == 0 || !unicode.IsLetter(rs[i-1])
	pair := ""
	switch string([]rune{lr, next}) {
	case "ου":
		pair = "ou"
	case "αι":
		pair = "ai"
	case "ει", "οι":
		pair = "i"
	case "μπ":
		pair = "mb"
		if initial {
			pair = "b"
		}
	case "ντ":
		pair = "nd"
		if initial {
			pair = "d"
		}
	case "γκ":
		pair = "ng"
		if initial {
			pair = "g"
		}
	case "γγ":
		pair = "ng"
	case "αυ":
		pair = "av"
	case "ευ":
		pair = "ev"
	}
	if pair != "" {
		writeCased(b, pair, r)
		return n
	}
	if s, ok := greekLetters[lr]; ok {
		writeCased(b, s, r)
		return i
	}
	b.WriteString(otherRune(r))
	return i
}

// hebrew writes the Hebrew letter at rs[i]. Hebrew writes few vowels, so vav
// and yod are read as vowels inside a word and as consonants at its start.
func hebrew(b *strings.Builder, rs []rune, i int) {
	r := rs[i]
	p := i - 1
	for p >= 0 && unicode.Is(unicode.Mn, rs[p]) {
		p--
	}
	initial := p < 0 || !(rs[p] >= 0x05D0 && rs[p] <= 0x05EA)
	if initial && r >= 0x05D0 && r <= 0x05EA {
		b.WriteByte(abjadMark)
	}
	switch r {
	case 'א', 'ע':
		if initial {
			b.WriteString("a")
		}
	case 'ב':
		if initial {
			b.WriteString("b")
		} else {
			b.WriteString("v")
		}
	case 'ג':
		b.WriteString("g")
	case 'ד':
		b.WriteString("d")
	case 'ה':
		switch {
		case i+1 == len(rs) || !(rs[i+1] >= 0x05D0 && rs[i+1] <= 0x05EA):
			// a final he is a vowel sign: משה, Moshe
		case !initial && digraphFirst(b):
			b.WriteString("ah") // כהן is Kahn (Cohen), not Khn
		default:
			b.WriteString("h")
		}
	case 'ו':
		if initial {
			b.WriteString("v")
		} else {
			b.WriteString("o")
		}
	case 'ז':
		b.WriteString("z")
	case 'ח':
		b.WriteString("kh")
	case 'ט', 'ת':
		b.WriteString("t")
	case 'י':
		if initial {
			b.WriteString("y")
		} else {
			b.WriteString("i")
		}
	case 'כ':
		if initial {
			b.WriteString("k")
		} else {
			b.WriteString("kh")
		}
	case 'ך':
		b.WriteString("kh")
	case 'ל':
		b.WriteString("l")
	case 'מ', 'ם':
		b.WriteString("m")
	case 'נ', 'ן':
		b.WriteString("n")
	case 'ס':
		b.WriteString("s")
	case 'פ':
		if initial {
			b.WriteString("p")
		} else {
			b.WriteString("f")
		}
	case 'ף':
		b.WriteString("f")
	case 'צ', 'ץ':
		b.WriteString("ts")
	case 'ק':
		b.WriteString("k")
	case 'ר':
		b.WriteString("r")
	case 'ש':
		b.WriteString("sh")
	case '־':
		b.WriteString("-")
	case '׳', '״':
		b.WriteString("'")
	default:
		if !unicode.Is(unicode.Mn, r) {
			b.WriteString(otherRune(r))
		}
	}
}

// digraphFirst reports whether the last letter written would make a
// digraph with an h written next (kh, sh, th, dh, gh, ph, ch, zh).
func digraphFirst(b *strings.Builder) bool {
	w := b.String()
	return len(w) > 0 && strings.IndexByte("kstdgpcz", w[len(w)-1]) >= 0
}

func isHan(r rune) bool {
	return unicode.Is(unicode.Han, r)
}

// hanWord writes the word of Chinese characters or Korean syllables that
// starts at rs[i] as a name: the first syllable (the surname) apart, the
// others joined ("毛泽东" → "Mao Zedong", "김정은" → "Kim Jongun"), and
// returns the index after it. Chinese is read as pinyin (go-unidecode),
// Korean as hangulSyllable spells it.
func hanWord(b *strings.Builder, rs []rune, i int) int {
	j := i
	for j < len(rs) && (isHan(rs[j]) || (rs[j] >= 0xAC00 && rs[j] <= 0xD7A3)) {
		j++
	}
	for k := i; k < j; k++ {
		var syl string
		if rs[k] >= 0xAC00 && rs[k] <= 0xD7A3 {
			syl = hangulSyllable(rs[k], k == i || k > i && isHan(rs[k-1]))
		} else {
			syl = strings.TrimSpace(unidecode.Unidecode(string(rs[k])))
		}
		if k == i+1 {
			b.WriteByte(' ')
		}
		if k == i || k == i+1 {
			syl = capitaliseASCII(syl)
		} else {
			syl = strings.ToLower(syl)
		}
		b.WriteString(syl)
	}
	b.WriteByte(' ')
	return j
}

// Jamo of Hangul syllables, romanised as McCune-Reischauer without its
// diacritics, which is how names from Korea, North Korea above all, reach
// sanctions lists: 김정은 is Kim Jong Un, 리 Ri, 박 Pak, 철 Chol.
var (
	hangulInitial       = []string{"k", "kk", "n", "t", "tt", "r", "m", "p", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"}
	hangulInitialVoiced = []string{"g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "kh", "th", "ph", "h"}
	hangulMedial        = []string{"a", "ae", "ya", "yae", "o", "e", "yo", "ye", "o", "wa", "wae", "oe", "yo", "u", "wo", "we", "wi", "yu", "u", "ui", "i"}
	hangulFinal         = []string{"", "k", "k", "k", "n", "n", "n", "t", "l", "k", "m", "l", "l", "l", "p", "l", "m", "p", "p", "t", "t", "ng", "t", "t", "k", "t", "p", "t"}
)

// hangulSyllable romanises one Hangul syllable; first says it starts a
// word, where stops are unvoiced (Kim, not Gim).
func hangulSyllable(r rune, first bool) string {
	n := int(r - 0xAC00)
	ini, med, fin := n/(21*28), n/28%21, n%28
	in := hangulInitialVoiced
	if first {
		in = hangulInitial
	}
	return in[ini] + hangulMedial[med] + hangulFinal[fin]
}

func capitaliseASCII(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + strings.ToLower(s[1:])
}
