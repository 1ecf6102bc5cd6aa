package search

import (
	"reflect"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParse(t *testing.T) {
	w := func(words ...string) Term { return Term{Words: words} }
	p := func(words ...string) Term { return Term{Words: words, Prefix: true} }
	pos := func(ts ...Term) Clause { return Clause{Any: ts} }
	neg := func(ts ...Term) Clause { return Clause{Any: ts, Negated: true} }
	tests := []struct {
		in   string
		want Query
	}{
		{"abu hamza", Query{Clauses: []Clause{pos(w("abu")), pos(w("hamza"))}}},
		{`"acted alone" police`, Query{Clauses: []Clause{pos(w("acted", "alone")), pos(w("police"))}}},
		{"abu OR abou", Query{Clauses: []Clause{pos(w("abu"), w("abou"))}}},
		{"a OR b OR c d", Query{Clauses: []Clause{pos(w("a"), w("b"), w("c")), pos(w("d"))}}},
		{"recruit* -telegram", Query{Clauses: []Clause{pos(p("recruit")), neg(w("telegram"))}}},
		{"NOT telegram x", Query{Clauses: []Clause{neg(w("telegram")), pos(w("x"))}}},
		{`-"in touch" x`, Query{Clauses: []Clause{neg(w("in", "touch")), pos(w("x"))}}},
		{"al-Baghdadi", Query{Clauses: []Clause{pos(w("al", "baghdadi"))}}},
		{"LIÈGE", Query{Clauses: []Clause{pos(w("liège"))}}},
		{`x collection:press collection:"field reports"`, Query{Clauses: []Clause{pos(w("x"))}, Collections: []string{"press", "field reports"}}},
		{`"; DROP TABLE documents; --`, Query{Clauses: []Clause{pos(w("drop", "table", "documents"))}}},
		{`NEAR(a b)`, Query{Clauses: []Clause{pos(w("near", "a")), pos(w("b"))}}},
		{"OR x", Query{Clauses: []Clause{pos(w("x"))}}},
		{"x OR -y", Query{Clauses: []Clause{pos(w("x")), neg(w("y"))}}},
		{`"unterminated phrase`, Query{Clauses: []Clause{pos(w("unterminated", "phrase"))}}},
		{"- -- *** ;;;", Query{}},
		{"", Query{}},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got := Parse(tt.in)
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Parse(%q) =\n  %+v\nwant\n  %+v", tt.in, got, tt.want)
			}
		})
	}
}

func TestPositive(t *testing.T) {
	for in, want := range map[string]bool{"a": true, "-a": false, "a -b": true, "": false, "NOT a": false} {
		if got := Parse(in).Positive(); got != want {
			t.Errorf("Parse(%q).Positive() = %v, want %v", in, got, want)
		}
	}
}

func TestStringRoundTrip(t *testing.T) {
	for _, in := range []string{`abu OR abou "acted alone" -telegram recruit*`, `x collection:"field reports"`} {
		q := Parse(in)
		if again := Parse(q.String()); !reflect.DeepEqual(again, q) {
			t.Errorf("Parse(%q).String() = %q parses to %+v, want %+v", in, q.String(), again, q)
		}
	}
}

func TestClauseLimit(t *testing.T) {
	q := Parse(strings.Repeat("w ", 1000))
	if len(q.Clauses) != maxClauses {
		t.Errorf("%d clauses, want the limit %d", len(q.Clauses), maxClauses)
	}
}

func FuzzParse(f *testing.F) {
	for _, s := range []string{`abu OR "acted alone" -x recruit* collection:"a b"`, `"`, `-`, `NOT`, "\xff", `collection:`, `OR OR`} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		q := Parse(s)
		if len(q.Clauses) > maxClauses {
			t.Fatalf("%d clauses", len(q.Clauses))
		}
		for _, c := range q.Clauses {
			if len(c.Any) == 0 {
				t.Fatal("empty clause")
			}
			for _, term := range c.Any {
				if len(term.Words) == 0 {
					t.Fatal("term without words")
				}
				for _, w := range term.Words {
					// Words are what reaches a database: letters and digits only.
					if w == "" || !utf8.ValidString(w) || strings.ContainsAny(w, "\"'*():;^-{}") {
						t.Fatalf("unsafe word %q from %q", w, s)
					}
				}
			}
		}
		// The normalised form parses to the same query.
		if again := Parse(q.String()); !reflect.DeepEqual(again, q) && len(q.Collections) == 0 {
			t.Fatalf("Parse(%q) = %+v; its String %q parses to %+v", s, q, q.String(), again)
		}
	})
}

func TestCheck(t *testing.T) {
	for _, tc := range []struct {
		query   string
		unknown string // "" when Check passes
	}{
		{"abu collection:intel", ""},
		{`"title:abu"`, ""},              // quoted: text
		{"meeting at 10:30", ""},         // not a name before the colon
		{"see http://example.org/x", ""}, // a path, not a value
		{"Re: the meeting", ""},          // nothing after the colon
		{"title:abu", "title:abu"},       // a field Mosaic has not
		{"abu title:abu* date:2016", "title:abu, date:2016"},
		{"-author:khalid", "author:khalid"}, // excluded or not
	} {
		q := Parse(tc.query)
		err := q.Check()
		switch {
		case tc.unknown == "" && err != nil:
			t.Errorf("%q: %v", tc.query, err)
		case tc.unknown != "" && (err == nil || !strings.Contains(err.Error(), "unknown field "+tc.unknown+":") ||
			!strings.Contains(err.Error(), "collection:")):
			t.Errorf("%q: err %v, want the unknown %s and the known fields", tc.query, err, tc.unknown)
		}
	}
}
