package entity

import (
	"math/rand/v2"
	"strings"
)

// synthNames generates n names with a seeded generator: entities (persons
// four in five, the rest organisations), each spelt one to five ways with
// the variations of real lists (transliteration of vowels and consonants,
// articles, name order, initials, dropped middle names, acronyms). truth[i]
// is the entity of names[i]. Fictional throughout: surnames are built from
// syllables.
func synthNames(n int, seed uint64) (names []string, kinds []Kind, truth []int) {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	names = make([]string, 0, n)
	kinds = make([]Kind, 0, n)
	truth = make([]int, 0, n)
	for e := 0; len(names) < n; e++ {
		spellings := 1 + r.IntN(5)
		if r.IntN(5) == 0 {
			org := synthOrg(r)
			for k := 0; k < spellings && len(names) < n; k++ {
				names = append(names, orgVariant(r, org))
				kinds = append(kinds, Org)
				truth = append(truth, e)
			}
			continue
		}
		p := synthPerson(r)
		for k := 0; k < spellings && len(names) < n; k++ {
			names = append(names, personVariant(r, p))
			kinds = append(kinds, Person)
			truth = append(truth, e)
		}
	}
	return names, kinds, truth
}

var synthGiven = [][]string{
	{"Muhammad", "Mohammed", "Mohamed", "Mohammad", "Muhamad"}, {"Ahmad", "Ahmed"}, {"Ali", "Aly"},
	{"Abdallah", "Abdullah", "Abd Allah"}, {"Hasan", "Hassan"}, {"Husayn", "Hussein", "Hussain"},
	{"Umar", "Omar"}, {"Yusuf", "Youssef", "Yousef"}, {"Ibrahim", "Ebrahim"}, {"Khalid", "Khaled"},
	{"Abd al-Qadir", "Abdelkader", "Abdulkadir"}, {"Abd al-Rahman", "Abderrahmane", "Abdurrahman"},
	{"Sulayman", "Suleiman", "Souleymane"}, {"Mustafa", "Moustafa", "Mostafa"}, {"Mahmud", "Mahmoud"},
	{"Ismail", "Ismael", "Esmail"}, {"Zakariya", "Zakaria"}, {"Ilyas", "Ilias", "Elias"},
	{"Karim", "Kareem"}, {"Nabil", "Nabeel"}, {"Said", "Saeed", "Sa'id"}, {"Salih", "Saleh"},
	{"Tariq", "Tarek", "Tarik"}, {"Walid", "Waleed"}, {"Jamal", "Djamel", "Gamal"}, {"Hamza", "Hamzah"},
	{"Bilal"}, {"Idris", "Idrees", "Driss"}, {"Anwar", "Anouar"}, {"Faisal", "Faysal", "Fayçal"},
	{"Rashid", "Rachid", "Rasheed"}, {"Nasir", "Nasser", "Naser"}, {"Usama", "Osama", "Oussama"},
	{"Ayman", "Aiman"}, {"Jafar", "Jaafar"}, {"Adil", "Adel"}, {"Samir", "Sameer"}, {"Hamid", "Hamed"},
	{"Majid", "Majed"}, {"Yahya", "Yehia"}, {"Musa", "Moussa", "Mousa"}, {"Isa", "Issa"},
	{"Fatima", "Fatma", "Fatimah"}, {"Aisha", "Aicha", "Aishah"}, {"Maryam", "Meriem", "Mariam"},
	{"Zaynab", "Zeinab", "Zainab"}, {"Khadija", "Khadidja"}, {"Amina", "Aminah"}, {"Layla", "Leila"},
	{"Ivan"}, {"Sergei", "Sergey"}, {"Dmitri", "Dmitry"}, {"Aleksandr", "Alexander"}, {"Viktor", "Victor"},
	{"John"}, {"Peter", "Pieter"}, {"Thomas"}, {"David"}, {"Michael", "Mikhail"}, {"Daniel"},
	{"Wei"}, {"Li"}, {"Jian"}, {"Ming"}, {"Hui"}, {"Ahmet"}, {"Mehmet"}, {"Reza", "Rida"}, {"Javad", "Jawad"},
}

var (
	synthOnsets = []string{"b", "d", "f", "g", "h", "j", "k", "kh", "l", "m", "n", "q", "r", "s", "sh", "t", "z", "w", "y", "dh", "th", "gh"}
	synthVowels = []string{"a", "i", "u", "a", "ou", "e", "o", "ee"}
)

type synthPersonT struct {
	given   int
	middle  []int
	surname string
	article bool
	kunya   string
}

func synthWord(r *rand.Rand, syllables int) string {
	var b strings.Builder
	if r.IntN(4) == 0 {
		b.WriteString(synthVowels[r.IntN(3)])
	}
	for i := 0; i < syllables; i++ {
		b.WriteString(synthOnsets[r.IntN(len(synthOnsets))])
		b.WriteString(synthVowels[r.IntN(len(synthVowels))])
	}
	if r.IntN(2) == 0 {
		b.WriteString([]string{"r", "n", "m", "d", "l", "s", "sh"}[r.IntN(7)])
	}
	if r.IntN(3) == 0 {
		b.WriteString("i")
	}
	return capitaliseASCII(b.String())
}

func synthPerson(r *rand.Rand) synthPersonT {
	p := synthPersonT{given: r.IntN(len(synthGiven)), surname: synthWord(r, 2+r.IntN(2)), article: r.IntN(3) == 0}
	for k := r.IntN(3); k > 0; k-- {
		p.middle = append(p.middle, r.IntN(len(synthGiven)))
	}
	if r.IntN(6) == 0 {
		p.kunya = synthGiven[r.IntN(len(synthGiven))][0]
	}
	return p
}

// spell varies a transliteration the way lists do.
func spell(r *rand.Rand, s string) string {
	if r.IntN(3) != 0 {
		return s
	}
	swaps := [][2]string{{"ou", "u"}, {"u", "ou"}, {"ee", "i"}, {"i", "ee"}, {"e", "a"}, {"a", "e"}, {"q", "k"}, {"k", "q"}, {"kh", "h"}, {"sh", "ch"}, {"dh", "z"}, {"th", "t"}, {"w", "ou"}, {"y", "i"}}
	sw := swaps[r.IntN(len(swaps))]
	if i := strings.Index(s[1:], sw[0]); i >= 0 {
		s = s[:i+1] + sw[1] + s[i+1+len(sw[0]):]
	}
	if r.IntN(4) == 0 && len(s) > 3 { // double a consonant
		i := 1 + r.IntN(len(s)-2)
		if !strings.ContainsRune("aeiou", rune(s[i])) {
			s = s[:i] + s[i:i+1] + s[i:]
		}
	}
	return s
}

func personVariant(r *rand.Rand, p synthPersonT) string {
	pick := func(g int) string { v := synthGiven[g]; return v[r.IntN(len(v))] }
	if p.kunya != "" && r.IntN(4) == 0 {
		return "Abu " + p.kunya + " al-" + spell(r, p.surname)
	}
	given := pick(p.given)
	if r.IntN(8) == 0 {
		given = given[:1] + "."
	}
	var mid []string
	for _, m := range p.middle {
		if r.IntN(3) != 0 {
			mid = append(mid, pick(m))
		}
	}
	sur := spell(r, p.surname)
	if p.article {
		sur = []string{"al-", "el-", "Al ", "", "al "}[r.IntN(5)] + sur
	}
	first := strings.Join(append([]string{given}, mid...), " ")
	switch r.IntN(4) {
	case 0:
		return strings.ToUpper(sur) + ", " + first
	case 1:
		return first + " " + strings.ToUpper(sur)
	default:
		return first + " " + sur
	}
}

type synthOrgT struct {
	words   []string
	generic string
	prefix  string
}

var synthGeneric = []string{"Group", "Front", "Brigade", "Foundation", "Organization", "Movement", "Company", "Trading Co.", "Society", "Army", "Network", "Battalion", "Committee"}

func synthOrg(r *rand.Rand) synthOrgT {
	o := synthOrgT{generic: synthGeneric[r.IntN(len(synthGeneric))]}
	for k := 1 + r.IntN(3); k > 0; k-- {
		o.words = append(o.words, synthWord(r, 1+r.IntN(3)))
	}
	if r.IntN(3) == 0 {
		o.prefix = []string{"Jamaat", "Harakat", "Ansar", "Islamic", "National"}[r.IntN(5)]
	}
	return o
}

func orgVariant(r *rand.Rand, o synthOrgT) string {
	var ws []string
	if o.prefix != "" && r.IntN(3) != 0 {
		ws = append(ws, o.prefix)
	}
	for i, w := range o.words {
		if i > 0 && r.IntN(3) == 0 {
			ws = append(ws, "al-"+spell(r, w))
			continue
		}
		ws = append(ws, spell(r, w))
	}
	if r.IntN(2) == 0 {
		ws = append(ws, o.generic)
	}
	if len(ws) >= 3 && r.IntN(6) == 0 {
		var a []byte
		for _, w := range ws {
			a = append(a, w[0])
		}
		return strings.ToUpper(string(a))
	}
	s := strings.Join(ws, " ")
	if r.IntN(2) == 0 {
		s = strings.ToUpper(s)
	}
	return s
}
