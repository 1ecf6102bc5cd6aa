package entity_test

import (
	"testing"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

func TestHeading(t *testing.T) {
	names := func(ns ...store.EntityName) []store.EntityName { return ns }
	doc := func(n int) []store.DocumentRef { return make([]store.DocumentRef, n) }
	for _, tc := range []struct {
		name string
		p    store.EntityProfile
		want string
	}{
		{"a kunya first seen yields to the legal name", store.EntityProfile{Entity: mosaic.Entity{Name: "Abu Sulayman", Kind: mosaic.Person},
			Names: names(store.EntityName{Name: "Abu Sulayman", Mentions: 9, Documents: doc(2)},
				store.EntityName{Name: "Abu Sulayman al-Rifi", Mentions: 8, Documents: doc(6)},
				store.EntityName{Name: "el-Haddouchi", Mentions: 8, Documents: doc(2)},
				store.EntityName{Name: "Abdelkader el-Haddouchi", Mentions: 8, Documents: doc(3)})}, "Abdelkader el-Haddouchi"},
		{"a surname yields to the full name, a label too", store.EntityProfile{Entity: mosaic.Entity{Name: "FERHAT", Kind: mosaic.Person},
			Names: names(store.EntityName{Name: "FERHAT", Mentions: 11, Documents: doc(1)},
				store.EntityName{Name: "Ferhat", Mentions: 3, Documents: doc(2)},
				store.EntityName{Name: "Nabil Ferhat", Mentions: 4, Documents: doc(2)})}, "Nabil Ferhat"},
		{"only a kunya: the kunya", store.EntityProfile{Entity: mosaic.Entity{Name: "Abu Idris", Kind: mosaic.Person},
			Names: names(store.EntityName{Name: "Abu Idris", Mentions: 2, Documents: doc(1)})}, "Abu Idris"},
	} {
		if got := entity.Heading(tc.p); got != tc.want {
			t.Errorf("%s: Heading = %q, want %q", tc.name, got, tc.want)
		}
	}
}
