package storetest

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// testMentionsByDay checks the daily series behind mention trends: every
// dated day in scope is present, quiet ones with zero mentions; mentions
// of merged entities add up; undated documents and other scopes stay out.
func testMentionsByDay(t *testing.T, s store.Store) {
	ctx := context.Background()
	mustCollection(t, s, "press", "Open Sources")
	mustCollection(t, s, "police", "Police")
	at := func(day string, hour int) time.Time {
		d, err := time.Parse(time.DateOnly, day)
		if err != nil {
			t.Fatal(err)
		}
		return d.Add(time.Duration(hour) * time.Hour)
	}
	type docSpec struct {
		collection, title, text string
		date                    time.Time
	}
	var docs []mosaic.Document
	for _, d := range []docSpec{
		{"press", "Bulletin 1", "Strike Belgium, the bulletin says; Belgium is weak.", at("2016-05-02", 9)},
		{"press", "Bulletin 2", "A statement about the front, naming no country.", at("2016-05-02", 23)},
		{"press", "Bulletin 3", "La Belgique sera frappée.", at("2016-05-09", 12)},
		{"police", "Report 8", "The suspect travelled to Belgium in May.", at("2016-05-10", 8)},
		{"press", "Undated leaflet", "Belgium and Lyon are named in this leaflet.", time.Time{}},
	} {
		doc := doc(d.title, d.text)
		doc.Date = d.date
		var ms []mosaic.Mention
		for _, name := range []string{"Belgium", "Belgique", "Lyon"} {
			for from := 0; ; {
				i := strings.Index(d.text[from:], name)
				if i < 0 {
					break
				}
				i += from
				ms = append(ms, mosaic.Mention{Start: i, End: i + len(name), Type: mosaic.Location, Text: name,
					Sentence: mosaic.Span{Start: 0, End: len(d.text)}, Confidence: 0.9})
				from = i + len(name)
			}
		}
		mustAdd(t, s, store.Ingested{Collection: d.collection, Doc: doc, Mentions: ms})
		docs = append(docs, doc)
	}
	ids := map[string]mosaic.EntityID{}
	for _, d := range docs {
		ms, err := s.Mentions(ctx, d.ID, store.Scope{})
		if err != nil {
			t.Fatal(err)
		}
		var created []mosaic.Entity
		var as []store.Assignment
		newHere := map[string]int{} // a name's entity created by this document
		for _, m := range ms {
			a := store.Assignment{Start: m.Start, End: m.End, Type: m.Type, Entity: ids[m.Text], New: newHere[m.Text], Why: "test"}
			if a.Entity == 0 && a.New == 0 {
				created = append(created, mosaic.Entity{Kind: mosaic.Location, Name: m.Text})
				a.New = len(created)
				newHere[m.Text] = a.New
			}
			as = append(as, a)
		}
		got, err := s.Resolve(ctx, d.ID, created, as)
		if err != nil {
			t.Fatal(err)
		}
		for i, a := range as {
			if a.New > 0 && ids[ms[i].Text] == 0 {
				ids[ms[i].Text] = got[a.New-1]
			}
		}
	}
	series := func(id mosaic.EntityID, scope store.Scope) string {
		t.Helper()
		days, err := s.MentionsByDay(ctx, id, scope)
		if err != nil {
			t.Fatalf("MentionsByDay(%d, %v): %v", id, scope.Collections, err)
		}
		var parts []string
		for _, d := range days {
			parts = append(parts, d.Day.Format(time.DateOnly)+" "+strconv.Itoa(d.Documents)+"/"+strconv.Itoa(d.Mentions))
		}
		return strings.Join(parts, ", ")
	}
	belgium := ids["Belgium"]
	if got, want := series(belgium, store.Scope{}), "2016-05-02 2/2, 2016-05-09 1/0, 2016-05-10 1/1"; got != want {
		t.Errorf("Belgium everywhere: %s, want %s (day documents/mentions)", got, want)
	}
	if _, err := s.Judge(ctx, store.Judgement{Kind: store.Merge, Entity: belgium, Other: ids["Belgique"], User: "analyst1", Reason: "same country"}); err != nil {
		t.Fatal(err)
	}
	if got, want := series(ids["Belgique"], store.Scope{Collections: []string{"press"}}), "2016-05-02 2/2, 2016-05-09 1/1"; got != want {
		t.Errorf("Belgium in the press after the merge: %s, want %s", got, want)
	}
	for _, tt := range []struct {
		name  string
		id    mosaic.EntityID
		scope store.Scope
	}{
		{"named only in an undated document", ids["Lyon"], store.Scope{}},
		{"no collection in scope", belgium, store.Scope{Collections: []string{}}},
		{"unknown entity", 999999, store.Scope{}},
	} {
		if days, err := s.MentionsByDay(ctx, tt.id, tt.scope); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("%s: %v, %v; want ErrNotFound", tt.name, days, err)
		}
	}
}
