package ner

import (
	"fmt"
	"strings"
)

var groupNames = []struct {
	name  string
	group int
}{
	{"affix", GroupAffix}, {"ngram", GroupNgram}, {"class", GroupClass},
	{"gazetteer", GroupGazetteer}, {"document", GroupDocument},
}

// GroupNames lists the names ParseGroups accepts.
func GroupNames() []string {
	out := make([]string, len(groupNames))
	for i, g := range groupNames {
		out[i] = g.name
	}
	return out
}

// ParseGroups reads "all", "base" (none of the optional groups) or a comma
// list of group names.
func ParseGroups(s string) (int, error) {
	switch s {
	case "all", "":
		return DefaultOptions().Features, nil
	case "base", "none":
		return 0, nil
	}
	g := 0
	for _, name := range strings.Split(s, ",") {
		found := false
		for _, x := range groupNames {
			if strings.TrimSpace(name) == x.name {
				g |= x.group
				found = true
			}
		}
		if !found {
			return 0, fmt.Errorf("unknown feature group %q (want %s)", name, strings.Join(GroupNames(), ", "))
		}
	}
	return g, nil
}
