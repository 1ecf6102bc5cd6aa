package entity

import (
	"fmt"
	"math"
	"strings"
	"testing"
)

// compareCases are the hard cases of issue 4, on the fictional names of the
// sample case: want says whether the two names are one entity, and feature,
// if set, names a feature the explanation must hold, with its sign.
var compareCases = []struct {
	a, b    string
	kind    Kind
	want    bool
	feature string // "name+" or "name-"
}{
	// Transliterations of one man's name.
	{"Abdelkader el-Haddouchi", "Abd al-Qadir al-Haddushi", Person, true, "surname+"},
	{"Abdelkader el-Haddouchi", "Abdulkadir Haddouchi", Person, true, ""},
	{"Abdelkader el-Haddouchi", "EL HADDOUCHI Abdelkader", Person, true, ""},
	{"Abd al-Qadir al-Haddushi", "EL HADDOUCHI Abdelkader", Person, true, "given name+"},
	{"AL-HADDUSHI, Abd al-Qadir", "Abdulkadir Haddouchi", Person, true, ""},
	{"Mohammed Ali Shakir", "Muhammad Ali Shakir", Person, true, "given name+"},
	{"Mohammed Ali Shakir", "Mohamed Ali Shakir", Person, true, ""},
	{"Mohammed Ali SHAKIR", "SHAKIR, Muhammad Ali", Person, true, ""},
	{"Mohammed Ali Shakir", "Mohamed Shaker", Person, true, ""},
	{"Youssef el-Haddouchi", "Yusuf al-Haddushi", Person, true, ""},
	{"Yousef El Haddouchi", "Yusuf al-Haddushi", Person, true, ""},
	{"Khalid ibn Rashid al-Qaysi", "Khaled ben Rached el-Qaissi", Person, true, ""},
	{"Khalid ibn Rashid al-Qaysi", "Khalid bin Rashid al-Qaysi", Person, true, ""},
	{"Zakaria Mansour", "Zakariya Mansur", Person, true, ""},
	{"Ilias Ouahbi", "WAHBI, Ilyas", Person, true, ""},
	{"Ilias Ouahbi", "Elias Ouahbi", Person, true, ""},
	{"Karim Bouzidi", "Kareem Bouzidi", Person, true, ""},
	{"Nabil Ferhat", "Nabeel Ferhat", Person, true, ""},
	{"Souleymane Rifi", "Sulayman al-Rifi", Person, true, ""},
	// Initials must be compatible.
	{"A. el-Haddouchi", "Abdelkader el-Haddouchi", Person, true, "initials+"},
	{"K. Bouzidi", "Karim Bouzidi", Person, true, "initials+"},
	{"M. A. Shakir", "Mohammed Ali Shakir", Person, true, ""},
	{"Y. el-Haddouchi", "Abdelkader el-Haddouchi", Person, false, ""},
	// Brothers share a surname, not a given name.
	{"Youssef el-Haddouchi", "Abdelkader el-Haddouchi", Person, false, "given name-"},
	{"Yusuf al-Haddushi", "Abd al-Qadir al-Haddushi", Person, false, ""},
	// Different people, different surnames.
	{"Mohammed Ali Shakir", "Mohammed Ali Mansour", Person, false, "surname-"},
	// A surname alone does not identify a person.
	{"Haddouchi", "Abdelkader el-Haddouchi", Person, false, "single name-"},
	// Kunyas: other spellings of the kunya, not the legal name.
	{"Abu Sulayman al-Rifi", "Abou Souleymane", Person, true, "kunya+"},
	{"Abu Sulayman al-Rifi", "Abou Souleymane al-Rifi", Person, true, ""},
	{"Abu Sulayman al-Rifi", "Abu Sulayman", Person, true, ""},
	{"Abu Idris al-Sahili", "Abu Idrees as-Sahili", Person, true, ""},
	{"AL-SAHILI, Abu Idris", "Abou Idriss al-Sahili", Person, true, ""},
	{"Abu Sulayman al-Rifi", "Abu Idris al-Sahili", Person, false, "kunya-"},
	{"Abu Sulayman al-Rifi", "Abu Sulayman al-Sahili", Person, false, "kunya-"},
	{"Abu Sulayman al-Rifi", "Sulayman al-Rifi", Person, false, "kunya-"},
	{"Abu Sulayman al-Rifi", "Abdelkader el-Haddouchi", Person, false, ""},
	// One name, several scripts.
	{"عبد القادر الحدوشي", "Abdelkader el-Haddouchi", Person, true, ""},
	{"محمد علي شاكر", "Mohammed Ali Shakir", Person, true, ""},
	{"يوسف الحدوشي", "Youssef el-Haddouchi", Person, true, ""},
	{"خالد بن راشد القيسي", "Khalid ibn Rashid al-Qaysi", Person, true, ""},
	{"أبو سليمان الريفي", "Abu Sulayman al-Rifi", Person, true, ""},
	{"Абделькадер Хаддуши", "Abdelkader el-Haddouchi", Person, true, ""},
	{"Закария Мансур", "Zakaria Mansour", Person, true, ""},
	{"КАРИМ БУЗИДИ", "Karim Bouzidi", Person, true, ""},
	{"Δημήτρης Παπαδόπουλος", "Dimitris Papadopoulos", Person, true, ""},
	{"Κωνσταντίνος Μαυρογιαννάκης", "Konstantinos Mavrogiannakis", Person, true, ""},
	{"王小明", "Wang Xiaoming", Person, true, ""},
	{"王小明", "Xiaoming Wang", Person, true, ""},
	{"משה כהן", "Moshe Cohen", Person, true, ""},
	{"최학남", "Choe Hak Nam", Person, true, ""},
	{"리광혁", "RI Kwang Hyok", Person, true, ""},
	{"박명일", "Pak Myong Il", Person, true, ""},
	{"יוסף חדושי", "Yosef Haddouchi", Person, true, ""},
	// Organisations: acronyms, transliterations, stop words.
	{"JAT", "Jama'at Ansar al-Thughur", Org, true, "acronym+"},
	{"ISIL", "Islamic State of Iraq and the Levant", Org, true, "acronym+"},
	{"Ansar al-Thughur", "Ansar al-Thoughour", Org, true, "transliteration+"},
	{"Ansar al-Thughur", "Jama'at Ansar al-Thughur", Org, true, ""},
	{"Jamaat Ansar al-Thughur", "Jama'at Ansar al-Thughur", Org, true, ""},
	{"The Frontier Supporters Group", "Frontier Supporters", Org, true, ""},
	{"Ansar al-Thughur", "Ansar al-Sharia", Org, false, ""},
	{"JAT", "Jama'at Ahrar al-Sham", Org, false, ""},
	{"Jama'at Ansar al-Thughur", "جماعة أنصار الثغور", Org, true, ""},
	// Kinds.
	{"Ansar al-Thughur", "Ansar al-Thughur", Person, true, ""},
}

func TestCompare(t *testing.T) {
	for _, tt := range compareCases {
		t.Run(tt.a+" ~ "+tt.b, func(t *testing.T) {
			a, b := NewName(tt.a, tt.kind), NewName(tt.b, tt.kind)
			c := Compare(a, b)
			if c.Match != tt.want {
				t.Errorf("Compare(%q, %q) = %.3f, match %v, want %v\n%s", a, b, c.Score, c.Match, tt.want, explain(c))
			}
			if tt.feature != "" {
				name, sign := tt.feature[:len(tt.feature)-1], tt.feature[len(tt.feature)-1]
				found := false
				for _, f := range c.Features {
					if f.Name == name && (sign == '+' && f.Score > 0 || sign == '-' && f.Score < 0) {
						found = true
					}
				}
				if !found {
					t.Errorf("no feature %q in the explanation\n%s", tt.feature, explain(c))
				}
			}
		})
	}
}

func explain(c Comparison) string {
	var b strings.Builder
	for _, f := range c.Features {
		fmt.Fprintf(&b, "\t%-15s %+.3f %s\n", f.Name, f.Score, f.Detail)
	}
	return b.String()
}

// TestCompareSymmetricAndAdditive checks that Compare does not depend on
// argument order and that its features add up to its score.
func TestCompareSymmetricAndAdditive(t *testing.T) {
	for _, tt := range compareCases {
		a, b := NewName(tt.a, tt.kind), NewName(tt.b, tt.kind)
		ab, ba := Compare(a, b), Compare(b, a)
		if ab.Score != ba.Score || ab.Match != ba.Match {
			t.Errorf("Compare(%q, %q) = %v, reversed %v", tt.a, tt.b, ab.Score, ba.Score)
		}
		var sum float64
		for _, f := range ab.Features {
			sum += f.Score
		}
		clamped := math.Max(0, math.Min(1, sum))
		if math.Abs(clamped-ab.Score) > 1e-6 {
			t.Errorf("Compare(%q, %q): features add up to %.4f, score %.4f\n%s", tt.a, tt.b, sum, ab.Score, explain(ab))
		}
		fast := compare(&a, &b, false, new(scratch))
		if fast.Score != ab.Score {
			t.Errorf("Compare(%q, %q): %.6f explained, %.6f not", tt.a, tt.b, ab.Score, fast.Score)
		}
	}
}

func TestCompareExplainsTransliteration(t *testing.T) {
	c := Compare(NewName("Abdelkader el-Haddouchi", Person), NewName("Abd al-Qadir al-Haddushi", Person))
	want := `"haddouchi" ≈ "haddushi" (consonant skeleton hdsh)`
	for _, f := range c.Features {
		if f.Detail == want || f.Detail == `"haddushi" ≈ "haddouchi" (consonant skeleton hdsh)` {
			return
		}
	}
	t.Errorf("no feature %s in\n%s", want, explain(c))
}

func TestThreshold(t *testing.T) {
	for _, k := range []Kind{Person, Org, Other} {
		if th := Threshold(k); th <= 0.5 || th >= 1 {
			t.Errorf("Threshold(%v) = %v", k, th)
		}
	}
	var zero Name
	if c := Compare(zero, NewName("Karim Bouzidi", Person)); c.Score != 0 || c.Match {
		t.Errorf("the zero Name matched: %+v", c)
	}
}
