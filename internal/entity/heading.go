package entity

import (
	"slices"
	"strings"

	"mosaic"
	"mosaic/internal/store"
)

// HeadingRank says how well a spelling heads a person's entity: 2 for a
// full name that looks like a legal one (two words or more, not a kunya,
// not written in capitals throughout like a label or a registry heading),
// 1 for a kunya or a shouted name of two words or more, 0 for a name that
// identifies no one by itself (WeakName). Names of other types rank 2 if
// they have two words or more, else 1.
func HeadingRank(name string, typ mosaic.MentionType) int {
	if typ != mosaic.Person {
		if len(strings.Fields(name)) >= 2 {
			return 2
		}
		return 1
	}
	if WeakName(name, typ) {
		return 0
	}
	if NewName(name, Person).IsKunya() || isLabelLike(name) {
		return 1
	}
	return 2
}

// Heading returns the name an entity is shown under: of the spellings the
// profile holds, the best by HeadingRank ("Abdelkader el-Haddouchi", not
// "Abu Sulayman", for the man first met under his kunya), then the one in
// the most documents, then the most mentioned, then the longer, then the
// first in alphabetical order. A profile without names keeps its name.
func Heading(p store.EntityProfile) string {
	best := p.Name
	var bestKey [4]int
	for i, n := range p.Names {
		// A profile lists a page of each name's documents and counts them all.
		key := [4]int{HeadingRank(n.Name, p.Kind), max(len(n.Documents), n.DocumentCount), n.Mentions, len(n.Name)}
		c := slices.Compare(key[:], bestKey[:])
		if i == 0 || c > 0 || c == 0 && n.Name < best {
			best, bestKey = n.Name, key
		}
	}
	return best
}
