package corpus

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Note returns the title and text of a short intelligence note, about 120
// words, from an agency that has nothing to do with any other corpus: it
// names alias, a name many people use (a common kunya, say), beside the
// generator's invented people and places. Its identifiers are drawn from a
// range of its own (Ofcom's drama numbers for Leeds, 0113 496 0xxx), so
// that no note shares a phone number with another corpus by chance.
func (g *Generator) Note(n int, alias string) (title, text string) {
	d := g.date()
	place := g.pick(places)
	title = fmt.Sprintf("Note %05d: contact reporting, %s", n, place)
	var b strings.Builder
	fmt.Fprintf(&b, "NORTHERN REGION INTELLIGENCE NOTE %05d\nDate: %d %s %d\n\n", n, d.Day(), months[d.Month()-1], d.Year())
	fmt.Fprintf(&b, "A source in %s reports that %s %s a man who calls himself %s. ", place, g.person(), g.pick(verbs), alias)
	fmt.Fprintf(&b, "%s was seen with %s near the station on %d %s. ", alias, g.person(), 1+g.rng.IntN(28), months[g.rng.IntN(12)])
	fmt.Fprintf(&b, "The source gave the number 0113 496 0%03d for %s. ", g.rng.IntN(1000), alias)
	fmt.Fprintf(&b, "Nothing links this %s to any group known to the region. ", alias)
	b.WriteString(g.pick(fillers) + "\n")
	return title, b.String()
}

// WriteNotes writes n notes naming alias under dir, one text file each.
func (g *Generator) WriteNotes(dir string, n int, alias string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	for i := range n {
		_, text := g.Note(i, alias)
		if err := os.WriteFile(filepath.Join(dir, fmt.Sprintf("note-%05d.txt", i)), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
