package annotated

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"mosaic"
)

// shared returns the path of a file under ../shared/data, skipping the test
// when the folder is absent (a fresh clone without the corpora).
func shared(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join("..", "..", "..", "shared", "data", name)
	if _, err := os.Stat(p); err != nil {
		t.Skipf("%s not found: the annotated corpora live in ../shared/data beside the checkout", p)
	}
	return p
}

func TestReadCoNLL04(t *testing.T) {
	docs, err := ReadFile(shared(t, "conll04/dev.json"), "conll04")
	if err != nil {
		t.Fatal(err)
	}
	// The corpus README: dev holds 231 sentences and 343 relations.
	rels := 0
	for _, d := range docs {
		rels += len(d.Relations)
		for _, r := range d.Relations {
			if r.Type == "" {
				t.Errorf("%s: CoNLL04 label %s unmapped", d.ID, r.Label)
			}
			from, to := d.Entities[r.From].Type, d.Entities[r.To].Type
			if r.Label == "Work_For" && (from != mosaic.Person || to != mosaic.Org) {
				t.Errorf("%s: Work_For from %s to %s", d.ID, from, to)
			}
		}
	}
	if len(docs) != 231 || rels != 343 {
		t.Errorf("read %d sentences, %d relations; want 231, 343", len(docs), rels)
	}
}

func TestReadReDocRED(t *testing.T) {
	docs, err := ReadFile(shared(t, "redocred/dev.json"), "redocred")
	if err != nil {
		t.Fatal(err)
	}
	if len(docs) != 500 {
		t.Errorf("read %d documents, want 500", len(docs))
	}
	text, spans := docs[0].Text()
	for _, e := range docs[0].Entities {
		for _, m := range e.Mentions {
			sp := m.ByteSpan(spans)
			want := strings.Join(docs[0].Sentences[m.Sent][m.Start:m.End], " ")
			if got := text[sp.Start:sp.End]; got != want {
				t.Errorf("mention at %v reads %q, want %q", sp, got, want)
			}
		}
	}
	// Chairperson (P488) points from the group to its chair; Mosaic's
	// member relation runs the other way.
	for _, d := range docs {
		for _, r := range d.Relations {
			if r.Label == "P488" && d.Entities[r.From].Type != mosaic.Person && d.Entities[r.To].Type == mosaic.Person {
				t.Errorf("%s: P488 not reversed: from %s to %s", d.ID, d.Entities[r.From].Type, d.Entities[r.To].Type)
			}
		}
	}
}

func TestBILOU(t *testing.T) {
	for _, tc := range []struct {
		tags []string
		want int
		bad  bool
	}{
		{[]string{"B-Peop", "L-Peop", "O", "U-Loc"}, 2, false},
		{[]string{"B-Peop", "O"}, 0, true},
		{[]string{"I-Org"}, 0, true},
		{[]string{"B-Org", "L-Loc"}, 0, true},
		{[]string{"X"}, 0, true},
	} {
		ms, err := bilouSpans(tc.tags)
		if (err != nil) != tc.bad || len(ms) != tc.want {
			t.Errorf("%v: %d mentions, err %v", tc.tags, len(ms), err)
		}
	}
}
