package entity

import (
	"os"
	"path/filepath"
	"testing"

	"mosaic"
	"mosaic/internal/annotated"
)

// TestEvaluateCorefReDocRED scores within-document resolution on Re-DocRED's
// test split, read from ../shared at test time. The floors sit just under
// the figures measured when they were set (README: Entity resolution), so a
// change that loses coreference fails here.
func TestEvaluateCorefReDocRED(t *testing.T) {
	path := filepath.Join("..", "..", "..", "shared", "data", "redocred", "test.json")
	if _, err := os.Stat(path); err != nil {
		t.Skipf("%s not found: the annotated corpora live in ../shared/data beside the checkout", path)
	}
	docs, err := annotated.ReadFile(path, "redocred")
	if err != nil {
		t.Fatal(err)
	}
	r := EvaluateCoref(docs)
	t.Logf("B-cubed P %.4f R %.4f F1 %.4f; same-text F1 %.4f; singletons F1 %.4f; %d mentions",
		r.Mosaic.Precision, r.Mosaic.Recall, r.Mosaic.F1, r.SameText.F1, r.Singletons.F1, r.Mentions)
	if r.Mentions < 10000 {
		t.Errorf("scored %d mentions; the test split has over 10,000 name mentions", r.Mentions)
	}
	if r.Mosaic.F1 < 0.945 {
		t.Errorf("B-cubed F1 %.4f, want at least 0.945", r.Mosaic.F1)
	}
	if r.Mosaic.Recall <= r.SameText.Recall {
		t.Errorf("recall %.4f no better than joining equal texts (%.4f)", r.Mosaic.Recall, r.SameText.Recall)
	}
	if r.Singletons.Precision != 1 {
		t.Errorf("singleton baseline precision %.4f, want 1", r.Singletons.Precision)
	}
}

// TestEvaluateCorefSmall checks the scoring on a document written here: a
// person introduced in full and then by surname, two places, and an acronym
// in brackets.
func TestEvaluateCorefSmall(t *testing.T) {
	doc := annotated.Document{
		Sentences: [][]string{
			{"Maren", "Tollefsen", "joined", "the", "Northern", "Relief", "Agency", "(", "NRA", ")", "in", "Tromsø", "."},
			{"Tollefsen", "left", "the", "NRA", "for", "Bergen", "."},
		},
		Entities: []annotated.Entity{
			{Type: mosaic.Person, Mentions: []annotated.Mention{{Sent: 0, Start: 0, End: 2, Type: mosaic.Person}, {Sent: 1, Start: 0, End: 1, Type: mosaic.Person}}},
			{Type: mosaic.Org, Mentions: []annotated.Mention{{Sent: 0, Start: 4, End: 7, Type: mosaic.Org}, {Sent: 0, Start: 8, End: 9, Type: mosaic.Org}, {Sent: 1, Start: 3, End: 4, Type: mosaic.Org}}},
			{Type: mosaic.Location, Mentions: []annotated.Mention{{Sent: 0, Start: 11, End: 12, Type: mosaic.Location}}},
			{Type: mosaic.Location, Mentions: []annotated.Mention{{Sent: 1, Start: 5, End: 6, Type: mosaic.Location}}},
		},
	}
	r := EvaluateCoref([]annotated.Document{doc})
	if r.Mentions != 7 || r.Entities != 4 {
		t.Fatalf("scored %d mentions of %d entities, want 7 of 4", r.Mentions, r.Entities)
	}
	if r.Mosaic.F1 != 1 {
		t.Errorf("F1 %.4f, want 1: %+v", r.Mosaic.F1, r.Mosaic)
	}
	// Equal texts join only the two "NRA": the person and the agency's
	// full name stay apart from their short forms.
	if r.SameText.Recall >= 1 || r.SameText.Precision != 1 {
		t.Errorf("same-text baseline %+v, want precision 1 and recall under 1", r.SameText)
	}
}
