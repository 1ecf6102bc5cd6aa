package discovery

import (
	"bytes"
	"math/bits"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"mosaic"
)

var testKey = []byte("a linkage key the agencies agreed on")

func mustEncoder(t testing.TB, key []byte, p Params) *Encoder {
	t.Helper()
	e, err := NewEncoder(key, p)
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func popcount(f Filter) int {
	n := 0
	for _, b := range f {
		n += bits.OnesCount8(b)
	}
	return n
}

func TestEncodeMatchesAsNamesMatch(t *testing.T) {
	e := mustEncoder(t, testKey, DefaultParams)
	tests := []struct {
		kind  mosaic.MentionType
		a, b  string
		match bool
	}{
		{mosaic.Person, "Abu Bakr al-Baghdadi", "Abu Bakr al Baghdadi", true},
		{mosaic.Person, "ATTA, Mohamed", "Mohamed Atta", true},
		{mosaic.Person, "MOHAMED ATTA", "Mohamed Atta", true},
		{mosaic.Person, "Salah Abdeslam", "Salah Abdesalam", true},
		{mosaic.Person, "Ahmed Khan", "Ahmad Khan", true},
		{mosaic.Person, "José Núñez", "Jose Nunez", true},
		{mosaic.Person, "Салах Абдеслам", "Salah Abdeslam", true},
		{mosaic.Person, "Salah Abdeslam", "Abdelhamid Abaaoud", false},
		{mosaic.Person, "Ahmed Khan", "Ibrahim Haddad", false},
		{mosaic.Org, "Islamic State of Iraq and the Levant", "Islamic State of Iraq & the Levant", true},
		{mosaic.Org, "Islamic State of Iraq and the Levant", "Kurdistan Workers Party", false},
		{mosaic.Phone, "+441632960001", "+441632960001", true},
		{mosaic.Phone, "+441632960001", "+441632960002", false},
		{mosaic.Email, "a.user@example.org", "A.User@Example.org", true},
		{mosaic.Email, "a.user@example.org", "a.usr@example.org", false},
	}
	for _, tt := range tests {
		t.Run(tt.a+"/"+tt.b, func(t *testing.T) {
			fa, fb := e.Encode(tt.kind, tt.a), e.Encode(tt.kind, tt.b)
			if len(fa) != DefaultParams.FilterBytes() || len(fb) != DefaultParams.FilterBytes() {
				t.Fatalf("filter lengths %d, %d, want %d", len(fa), len(fb), DefaultParams.FilterBytes())
			}
			if got := e.Match(fa, fb, tt.kind); got != tt.match {
				t.Errorf("Match = %v (Dice %.3f), want %v", got, Dice(fa, fb), tt.match)
			}
		})
	}
}

func TestEncodeIsKeyed(t *testing.T) {
	a := mustEncoder(t, testKey, DefaultParams)
	b := mustEncoder(t, []byte("another key, not the agreed one"), DefaultParams)
	for _, name := range []string{"Salah Abdeslam", "Mohamed Atta"} {
		fa, fb := a.Encode(mosaic.Person, name), b.Encode(mosaic.Person, name)
		if !bytes.Equal(fa, a.Encode(mosaic.Person, name)) {
			t.Errorf("%s: encoding is not deterministic", name)
		}
		if a.Match(fa, fb, mosaic.Person) {
			t.Errorf("%s: encodings under two keys match (Dice %.3f)", name, Dice(fa, fb))
		}
	}
	if bytes.Equal(a.CheckValue(), b.CheckValue()) {
		t.Error("two keys have one check value")
	}
}

func TestEncodeSaltsByKind(t *testing.T) {
	e := mustEncoder(t, testKey, DefaultParams)
	p, o := e.Encode(mosaic.Person, "Hamas Khan"), e.Encode(mosaic.Org, "Hamas Khan")
	if e.Match(p, o, mosaic.Person) {
		t.Errorf("one name as PERSON and ORG matches (Dice %.3f) though salted by kind", Dice(p, o))
	}
	unsalted := DefaultParams
	unsalted.SaltByKind = false
	u := mustEncoder(t, testKey, unsalted)
	// Without the salt the kinds differ only where normalisation does.
	if !u.Match(u.Encode(mosaic.Person, "Hamas Khan"), u.Encode(mosaic.Org, "Hamas Khan"), mosaic.Person) {
		t.Error("without salting, one name as PERSON and ORG does not match")
	}
}

// TestBalancingHidesLength checks that a balanced, unfolded filter has
// exactly half its bits set whatever the name's length, and that without
// balancing a longer name sets more bits.
func TestBalancingHidesLength(t *testing.T) {
	names := []string{"Li", "Salah Abdeslam", "Abu Muhammad al-Adnani al-Shami bin Abdullah"}
	p := DefaultParams
	p.XORFold = false
	e := mustEncoder(t, testKey, p)
	for _, n := range names {
		if got := popcount(e.Encode(mosaic.Person, n)); got != p.Bits {
			t.Errorf("%s: %d bits set, want %d", n, got, p.Bits)
		}
	}
	p.Balance = false
	e = mustEncoder(t, testKey, p)
	short, long := popcount(e.Encode(mosaic.Person, names[0])), popcount(e.Encode(mosaic.Person, names[2]))
	if short >= long {
		t.Errorf("unbalanced: %d bits for a short name, %d for a long one", short, long)
	}
}

func TestEncodeNothing(t *testing.T) {
	e := mustEncoder(t, testKey, DefaultParams)
	for _, tt := range []struct {
		kind  mosaic.MentionType
		value string
	}{{mosaic.Person, "  "}, {mosaic.Person, "..."}, {mosaic.Phone, "no digits"}, {mosaic.Location, "Paris"}} {
		if f := e.Encode(tt.kind, tt.value); f != nil {
			t.Errorf("Encode(%s, %q) = %d bytes, want nil", tt.kind, tt.value, len(f))
		}
	}
	if e.Match(nil, nil, mosaic.Person) {
		t.Error("nil filters match")
	}
}

func TestNewEncoderRefuses(t *testing.T) {
	if _, err := NewEncoder([]byte("short"), DefaultParams); err == nil || !strings.Contains(err.Error(), "linkage key") {
		t.Errorf("short key: error %v", err)
	}
	bad := []func(*Params){
		func(p *Params) { p.Bits = 1000 },
		func(p *Params) { p.Bits = 64 },
		func(p *Params) { p.Hashes = 0 },
		func(p *Params) { p.Q = 0 },
		func(p *Params) { p.Q = 5 },
		func(p *Params) { p.Threshold = 0 },
		func(p *Params) { p.Threshold = 1.5 },
	}
	for i, change := range bad {
		p := DefaultParams
		change(&p)
		if _, err := NewEncoder(testKey, p); err == nil {
			t.Errorf("params %d (%+v): no error", i, p)
		}
	}
}

func BenchmarkEncode(b *testing.B) {
	e := mustEncoder(b, testKey, DefaultParams)
	for b.Loop() {
		e.Encode(mosaic.Person, "Abu Muhammad al-Adnani")
	}
}

func TestKeyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "linkage.key")
	key := NewKey()
	if err := WriteKeyFile(path, key); err != nil {
		t.Fatal(err)
	}
	got, err := ReadKeyFile(path)
	if err != nil || !bytes.Equal(got, key) {
		t.Fatalf("read back: %x, %v", got, err)
	}
	if err := WriteKeyFile(path, NewKey()); err == nil {
		t.Error("a second key over the first: no error")
	}
	if err := os.Chmod(path, 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKeyFile(path); err == nil || !strings.Contains(err.Error(), "readable by others") {
		t.Errorf("a key others can read: %v", err)
	}
	short := filepath.Join(t.TempDir(), "short.key")
	if err := os.WriteFile(short, []byte("c2hvcnQ=\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := ReadKeyFile(short); err == nil || strings.Contains(err.Error(), "c2hvcnQ") {
		t.Errorf("a short key: %v", err)
	}
}

// TestQueryVariants checks that a query is tried without the tokens
// Mosaic's name matching lets one name spell out and the other leave out,
// several at once, and never as a variant that matching rejects: a
// person's surname alone, or a name with a conflicting token.
func TestQueryVariants(t *testing.T) {
	tests := []struct {
		kind      mosaic.MentionType
		name      string
		want, not []string
	}{
		{mosaic.Person, "Ayman Muhammad Rabi al-Zawahiri", []string{"ayman muhammad zawahiri", "ayman zawahiri"}, []string{"zawahiri", "ayman"}},
		{mosaic.Org, "Al-Aqsa Islamic Charitable Society", []string{"aqsa islamic society", "aqsa"}, []string{"society", "charitable"}},
		{mosaic.Person, "Ayman al-Zawahiri", nil, []string{"zawahiri", "ayman"}},
		{mosaic.Phone, "+33 6 12 34 56 78", nil, nil},
	}
	for _, tt := range tests {
		got := QueryVariants(tt.kind, tt.name)
		if len(got) == 0 || got[0] != tt.name {
			t.Errorf("QueryVariants(%s, %q) = %q: the name itself must come first", tt.kind, tt.name, got)
			continue
		}
		for _, w := range tt.want {
			if !slices.Contains(got, w) {
				t.Errorf("QueryVariants(%s, %q) = %q, lacks %q", tt.kind, tt.name, got, w)
			}
		}
		for _, w := range tt.not {
			if slices.Contains(got, w) {
				t.Errorf("QueryVariants(%s, %q) = %q, holds %q", tt.kind, tt.name, got, w)
			}
		}
		if tt.want == nil && len(got) != 1 {
			t.Errorf("QueryVariants(%s, %q) = %q, want the name alone", tt.kind, tt.name, got)
		}
	}
	// A name spelt out in full finds a record of its short form, which a
	// filter of the whole name does not reach.
	e := mustEncoder(t, testKey, DefaultParams)
	long, short := "Ayman Muhammad Rabi al-Zawahiri", "Aiman al-Zawahiri"
	record := e.Encode(mosaic.Person, short)
	if e.Match(e.Encode(mosaic.Person, long), record, mosaic.Person) {
		t.Fatalf("%q matches %q whole: the test needs a pair that only a variant joins", long, short)
	}
	ix := &Index{Version: Version, Params: DefaultParams, KeyCheck: e.CheckValue(), Agency: "alpha",
		Records: []Record{{ID: newID(), Kind: mosaic.Person, Filter: record, Bucket: "1"}}}
	if hits := ix.Lookup(e, mosaic.Person, long); len(hits) != 1 {
		t.Errorf("Lookup(%q) in an index of %q = %v, want a hit", long, short, hits)
	}
	if hits := ix.Lookup(e, mosaic.Person, "Ayman Muhammad Rabi al-Masri"); hits != nil {
		t.Errorf("Lookup of another surname in an index of %q = %v, want none", short, hits)
	}
}
