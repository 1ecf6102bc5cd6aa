package entity

import (
	"slices"
	"strings"
	"testing"

	"mosaic"
)

// The names in these tests are those of the fictional sample case
// (internal/sample/CASE.md), or made up for the test.

func TestNewNameTokens(t *testing.T) {
	tests := []struct {
		raw  string
		kind Kind
		want string
	}{
		// Name order, particles, articles.
		{"AL-HADDUSHI, Abd al-Qadir", Person, "abdalqadir al haddushi"},
		{"EL HADDOUCHI Abdelkader", Person, "abdalkader al haddouchi"},
		{"Zakaria MANSOUR", Person, "zakaria mansour"},
		{"BOUZIDI, Karim", Person, "karim bouzidi"},
		{"Khalid ibn Rashid al-Qaysi", Person, "khalid bin rashid al qaysi"},
		{"Khaled ben Rached el-Qaissi", Person, "khaled bin rached al qaissi"},
		{"Abu Idrees as-Sahili", Person, "abu idrees al sahili"},
		{"Abou Souleymane", Person, "abu souleymane"},
		// Titles.
		{"Dr. Pieter Achterberg", Person, "pieter achterberg"},
		{"Foreign Secretary Hannah Moretti", Person, "hannah moretti"},
		{"Detective Chief Inspector Ruth Calloway", Person, "ruth calloway"},
		{"Sheikh Khalid", Person, "khalid"},
		{"Dr", Person, "dr"},
		// Initials.
		{"A. el-Haddouchi", Person, "a al haddouchi"},
		{"M. A. Shakir", Person, "m a shakir"},
		{"M.A. Shakir", Person, "m a shakir"},
		// Compounds.
		{"Abdul Kadir Haddouchi", Person, "abdalkadir haddouchi"},
		{"Abdulkadir Haddouchi", Person, "abdalkadir haddouchi"},
		{"Abderrahmane Sahili", Person, "abdalrahmane sahili"},
		{"Nasr al-Din Qaysi", Person, "nasraldin qaysi"},
		{"Nasreddine Qaysi", Person, "nasraldin qaysi"},
		// Organisations keep their order and acronyms.
		{"Jama'at Ansar al-Thughur (JAT)", Org, "jamaat ansar al thughur jat"},
		{"A.I.C. Research Institute", Org, "aic research institute"},
		{"REEM TRADING, LLC", Org, "reem trading llc"},
		// Accents and scripts.
		{"Fayçal Ouahbi", Person, "faycal ouahbi"},
		{"Zoë Müller-Łukasz", Person, "zoe muller lukasz"},
		{"عبد القادر الحدوشي", Person, "abdalqadr al hdushi"},
		{"محمد علي شاكر", Person, "mhmd ali shakr"},
		{"Абделькадер Хаддуши", Person, "abdalkader khaddushi"},
		{"ИВАНОВ Иван Петрович", Person, "ivan petrovich ivanov"},
		{"Δημήτρης Παπαδόπουλος", Person, "dimitris papadopoulos"},
		{"王小明", Person, "wang xiaoming"},
		{"최학남", Person, "choe haknam"},
		{"", Person, ""},
		{" - , . ", Person, ""},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			n := NewName(tt.raw, tt.kind)
			if got := n.String(); got != tt.want {
				t.Errorf("NewName(%q) = %q, want %q", tt.raw, got, tt.want)
			}
			if !slices.IsSorted(n.Keys) {
				t.Errorf("keys not sorted: %v", n.Keys)
			}
			if tt.want != "" && len(n.Keys) == 0 {
				t.Errorf("no blocking keys for %q", tt.raw)
			}
		})
	}
}

func TestKindOf(t *testing.T) {
	for typ, want := range map[mosaic.MentionType]Kind{mosaic.Person: Person, mosaic.Org: Org, mosaic.Location: Other, mosaic.Misc: Other} {
		if got := KindOf(typ); got != want {
			t.Errorf("KindOf(%s) = %v, want %v", typ, got, want)
		}
	}
}

func TestGuessKind(t *testing.T) {
	tests := map[string]Kind{
		"Jama'at Ansar al-Thughur":      Org,
		"Telecom Midi Trading Co.":      Org,
		"JAT":                           Org,
		"Midland Ledger Newspaper":      Org,
		"BOUZIDI, Karim":                Person,
		"Mohammed Ali Shakir":           Person,
		"Abu Sulayman al-Rifi":          Person,
		"Dr Pieter Achterberg":          Person,
		"Ansar al-Thughur":              Other,
		"Kestrel":                       Other,
		"Islamic State of the Frontier": Org,
	}
	for raw, want := range tests {
		if got := GuessKind(raw); got != want {
			t.Errorf("GuessKind(%q) = %v, want %v", raw, got, want)
		}
	}
}

func TestSkeleton(t *testing.T) {
	same := [][]string{
		{"haddouchi", "haddushi", "hadouchi"},
		{"muhammad", "mohamed", "mohammed", "muhamad"},
		{"sulayman", "souleymane", "suleiman", "sulaiman"},
		{"yusuf", "youssef", "yousef"},
		{"abdalkader", "abdalqadir", "abdalkadir"},
		{"ouahbi", "wahbi"},
		{"fawzi", "fouzi"},
		{"thughur", "thoughour"},
		{"rashid", "rached"},
		{"zakaria", "zakariya"},
		{"hamza", "hamzah"},
	}
	for _, group := range same {
		for _, w := range group[1:] {
			if skeleton(w) != skeleton(group[0]) {
				t.Errorf("skeleton(%q) = %q, skeleton(%q) = %q: want equal", w, skeleton(w), group[0], skeleton(group[0]))
			}
		}
	}
	differ := [][2]string{{"charara", "shair"}, {"manan", "mumin"}}
	for _, p := range differ {
		if skeleton(p[0]) == skeleton(p[1]) {
			t.Errorf("skeleton(%q) = skeleton(%q) = %q: want different", p[0], p[1], skeleton(p[0]))
		}
	}
	if got := renderSkeleton(skeleton("haddouchi")); got != "hdsh" {
		t.Errorf("renderSkeleton(skeleton(haddouchi)) = %q, want hdsh", got)
	}
}

func TestVowelsTellApartOneSkeleton(t *testing.T) {
	// Same consonants, different names.
	for _, p := range [][2]string{{"muhammad", "mahmud"}, {"hasan", "husayn"}, {"umar", "ammar"}, {"amin", "oman"}} {
		x, y := NewName(p[0]+" qaysi", Person), NewName(p[1]+" qaysi", Person)
		if c := Compare(x, y); c.Match {
			t.Errorf("%s ~ %s: score %.2f, want no match", x, y, c.Score)
		}
	}
}

func TestTokensAreASCII(t *testing.T) {
	for _, raw := range []string{"Ça va, Ümit!", "北京 大学", "Ἀλέξανδρος", "ﻣﺤﻤﺪ", "ＡＢＣ　１２３", "أَحْمَد"} {
		n := NewName(raw, Other)
		for _, tok := range n.Tokens {
			if tok == "" || strings.IndexFunc(tok, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9') }) >= 0 {
				t.Errorf("NewName(%q): token %q is not lower-case ASCII", raw, tok)
			}
		}
		if len(n.Tokens) == 0 {
			t.Errorf("NewName(%q): no tokens", raw)
		}
	}
}
