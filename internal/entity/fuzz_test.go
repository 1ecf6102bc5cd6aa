package entity

import (
	"math"
	"slices"
	"testing"
	"unicode/utf8"
)

func FuzzNewName(f *testing.F) {
	for _, s := range []string{
		"AL-HADDUSHI, Abd al-Qadir", "EL HADDOUCHI Abdelkader", "A.I.C. Research", "M. A. Shakir",
		"عبد القادر الحدوشي", "Абделькадер Хаддуши", "Δημήτρης", "王小明", "משה כהן", "최학남",
		"Abu Sulayman al-Rifi", "Nasreddine", "abdu", "abd", "al-", ",", "'", "a.b.c.", "Abd al-",
		"\x02\x02", "ﻣﺤﻤﺪ", "\xff\xfe", "Sheikh", "Dr, Mr",
	} {
		f.Add(s, uint8(1))
	}
	f.Fuzz(func(t *testing.T, raw string, kind uint8) {
		n := NewName(raw, Kind(kind%3))
		if len(n.Tokens) != len(n.toks) {
			t.Fatalf("%d tokens, %d prepared", len(n.Tokens), len(n.toks))
		}
		for _, tok := range n.Tokens {
			if tok == "" {
				t.Fatalf("NewName(%q): empty token in %q", raw, n.Tokens)
			}
			for i := 0; i < len(tok); i++ {
				if c := tok[i]; !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9') {
					t.Fatalf("NewName(%q): token %q is not lower-case ASCII", raw, tok)
				}
			}
		}
		if !slices.IsSorted(n.Keys) {
			t.Fatalf("NewName(%q): keys not sorted: %q", raw, n.Keys)
		}
		for _, k := range n.Keys {
			if !utf8.ValidString(k) || len(k) < 3 {
				t.Fatalf("NewName(%q): bad key %q", raw, k)
			}
		}
		if c := Compare(n, n); n.nContent > 0 && (c.Score != 1 || !c.Match) {
			t.Fatalf("NewName(%q) against itself: %v", raw, c)
		}
	})
}

func FuzzCompare(f *testing.F) {
	for _, p := range compareCases {
		f.Add(p.a, p.b, uint8(p.kind), uint8(p.kind))
	}
	f.Fuzz(func(t *testing.T, a, b string, ka, kb uint8) {
		x, y := NewName(a, Kind(ka%3)), NewName(b, Kind(kb%3))
		xy, yx := Compare(x, y), Compare(y, x)
		if math.IsNaN(xy.Score) || xy.Score < 0 || xy.Score > 1 {
			t.Fatalf("Compare(%q, %q) = %v", a, b, xy.Score)
		}
		if math.Abs(xy.Score-yx.Score) > 1e-9 || xy.Match != yx.Match {
			t.Fatalf("Compare(%q, %q) = %v, reversed %v", a, b, xy.Score, yx.Score)
		}
		var sum float64
		for _, f := range xy.Features {
			sum += f.Score
		}
		if math.Abs(math.Max(0, math.Min(1, sum))-xy.Score) > 1e-6 {
			t.Fatalf("Compare(%q, %q): features add up to %v, score %v", a, b, sum, xy.Score)
		}
		fast := compare(&x, &y, false, new(scratch))
		if fast.Score != xy.Score {
			t.Fatalf("Compare(%q, %q): %v explained, %v not", a, b, xy.Score, fast.Score)
		}
	})
}
