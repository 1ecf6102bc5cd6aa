package entity

import (
	"strings"
	"testing"
)

// TestHeadNoun: organisations' names match only when their heads agree, a
// name that holds another group's name as a modifier is another thing, and
// a shared head does not join names told apart by their other words.
func TestHeadNoun(t *testing.T) {
	tests := []struct {
		a, b string
		kind Kind
		want bool
		// feature, if set, must be in the explanation.
		feature string
	}{
		{"Daesh", "Counter-Daesh Coalition", Org, false, "head noun"},
		{"Daesh", "Counter Daesh Coalition", Org, false, "head noun"},
		{"ISIS", "anti-ISIS forces", Org, false, "head noun"},
		{"ISIL", "ISIL-held buildings", Org, false, "head noun"},
		{"Daesh", "the Daesh-held town", Other, false, "head noun"},
		{"Ansar al-Thughur", "anti-Ansar al-Thughur Brigade", Org, false, "head noun"},
		{"Syrian National Coalition", "Syrian Arab Coalition", Org, false, "head noun"},
		{"Syrian National Coalition", "Global Coalition", Org, false, ""},
		{"Global Coalition", "Syrian Arab Coalition", Org, false, ""},
		{"Ministry of Interior", "Interior Police", Org, false, "head noun"},
		{"Arden Frontier Battalion", "Arden Frontier Front", Org, false, "head noun"},
		{"Islamic Army", "Islamic Army of Aden", Org, false, "generic words"},
		// Heads that agree, in one language or two.
		{"Counter-Daesh Coalition", "the Counter-Daesh Coalition", Org, true, ""},
		{"Jaish-e-Mohammed", "Army of Mohammed", Org, true, "translation"},
		{"Al-Nusrah Front", "Jabhat al-Nusrah", Org, true, ""},
		{"Al-Aqsa Martyrs Brigade", "Al-Aqsa Martyrs Brigades", Org, true, ""},
		{"Biblos Travel Agency", "Biblos Travel", Org, true, ""},
		{"Arden Arab Army", "Arden Arab Airlines", Org, false, "head noun"},
		{"Ministry of the Interior", "Interior Ministry", Org, true, ""},
		// Original scripts: the words aliases translate, by their consonants.
		{"جبهة النصرة", "Al-Nusrah Front", Org, true, "translation"},
		{"الدولة الإسلامية في العراق والشام", "Islamic State of Iraq and al-Sham", Org, true, "translation"},
		{"Исламское государство", "Islamic State", Org, true, "translation"},
		{"جبهة النصرة", "Nusrah Battalion", Org, false, "head noun"},
		// Codes of three letters match only as written.
		{"YK-ANH", "YK-ANG", Org, false, ""},
		{"Arden Air Lines", "Arden Air Lines", Org, true, ""},
		// Names without heads keep the old rules.
		{"Islamic State of Iraq", "Islamic State of Iraq and the Levant", Org, true, ""},
		{"Jama'at Ansar al-Thughur", "Ansar al-Thughur", Org, true, ""},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			c := Compare(NewName(tt.a, tt.kind), NewName(tt.b, tt.kind))
			if c.Match != tt.want {
				t.Errorf("match = %v (score %.2f), want %v; %+v", c.Match, c.Score, tt.want, c.Features)
			}
			if tt.feature == "" {
				return
			}
			for _, f := range c.Features {
				if f.Name == tt.feature {
					if !tt.want && f.Score >= 0 && c.Score > headCap {
						t.Errorf("feature %q scores %+.2f, want negative", f.Name, f.Score)
					}
					return
				}
			}
			t.Errorf("no %q feature in %+v", tt.feature, c.Features)
		})
	}
}

func TestFindHead(t *testing.T) {
	tests := []struct {
		name, head string
		rel        bool
	}{
		{"Counter-Daesh Coalition", "coalition", true},
		{"Global Coalition against Daesh", "coalition", false},
		{"Ministry of Defence", "ministry", false},
		{"Islamic Army of Iraq", "army", false},
		{"Jaish al-Islam", "army", false},
		{"Kata'ib Hizballah", "brigade", false},
		{"ISIL-held buildings", "", true},
		{"Islamic State of Iraq and the Levant", "", false},
		{"Daesh", "", false},
	}
	for _, tt := range tests {
		n := NewName(tt.name, Org)
		if n.head != tt.head || (n.rel != 0) != tt.rel {
			t.Errorf("%q: head %q, relation %v; want %q, %v", tt.name, n.head, n.rel != 0, tt.head, tt.rel)
		}
	}
	if n := NewName("Mark Brigade", Person); n.head != "" {
		t.Errorf("a person's name has head %q", n.head)
	}
	if d := headDetail(ptr(NewName("Daesh", Org)), ptr(NewName("Counter-Daesh Coalition", Org))); !strings.Contains(d, "coalition") {
		t.Errorf("detail %q does not name the head", d)
	}
}

func ptr(n Name) *Name { return &n }
