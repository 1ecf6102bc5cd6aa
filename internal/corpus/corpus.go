// Package corpus generates synthetic document collections for benchmarks:
// news-length reports about invented people, groups and places, written
// deterministically from a seed so that every run measures the same input.
// Nothing here is meant to be read as real.
package corpus

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"time"
)

var (
	givenNames = []string{"Karim", "Yusuf", "Nadia", "Samir", "Leila", "Omar", "Hamza", "Ines", "Tariq", "Sofia",
		"Bilal", "Amira", "Rachid", "Mehdi", "Yasmin", "Adel", "Farid", "Salma", "Walid", "Noor"}
	surnames = []string{"Benali", "Haddad", "Ferhat", "Mansouri", "El Amrani", "Bouzid", "Kaci", "Zeroual", "Lahlou",
		"Brahimi", "Khelifi", "Saadi", "Tahiri", "Belkacem", "Cherif", "Amrani", "Hadj", "Ouali"}
	places = []string{"Brussels", "Liège", "Antwerp", "Lyon", "Marseille", "Lille", "Rotterdam", "Raqqa", "Mosul",
		"Gaziantep", "Tunis", "Casablanca", "Manchester", "Hamburg", "Molenbeek", "Charleroi"}
	groups = []string{"the Northern Brigade", "Liwa al-Nasr", "the Dawn Front", "Jaysh al-Sahil", "the Harbour Cell"}
	verbs  = []string{"met", "called", "was in touch with", "travelled with", "sent money to", "messaged", "recruited"}
	months = []string{"January", "February", "March", "April", "May", "June", "July", "August", "September",
		"October", "November", "December"}
	fillers = []string{
		"Officials declined to comment on the investigation, citing operational reasons.",
		"Residents said the neighbourhood had been quiet for months before the arrests.",
		"Prosecutors are expected to present further evidence at a hearing next month.",
		"The ministry said security around transport hubs would be reinforced over the holiday period.",
		"Analysts noted that the group has increasingly relied on encrypted messaging applications.",
		"A lawyer for the family said his client had never been approached by investigators.",
		"Police searched three addresses and seized phones, laptops and a quantity of cash.",
		"The court heard that the defendant had posted propaganda videos on several accounts.",
	}
)

// Generator writes synthetic documents.
type Generator struct {
	rng *rand.Rand
}

// New returns a generator whose output depends only on seed.
func New(seed uint64) *Generator {
	return &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
}

func (g *Generator) pick(xs []string) string { return xs[g.rng.IntN(len(xs))] }

func (g *Generator) person() string { return g.pick(givenNames) + " " + g.pick(surnames) }

func (g *Generator) date() time.Time {
	return time.Date(2014+g.rng.IntN(6), time.Month(1+g.rng.IntN(12)), 1+g.rng.IntN(28), 0, 0, 0, 0, time.UTC)
}

// Article returns the title and text of one news-length report, about
// 450–700 words.
func (g *Generator) Article(n int) (title, text string) {
	subject, place, group := g.person(), g.pick(places), g.pick(groups)
	d := g.date()
	title = fmt.Sprintf("%s: %s questioned over links to %s (%d)", place, subject, group, n)
	var b strings.Builder
	fmt.Fprintf(&b, "%s\n%s %d, %d\n\n", title, months[d.Month()-1], d.Day(), d.Year())
	for p := 0; p < 6+g.rng.IntN(3); p++ {
		for s := 0; s < 4; s++ {
			switch g.rng.IntN(5) {
			case 0:
				fmt.Fprintf(&b, "%s %s %s in %s on %d %s %d. ", g.person(), g.pick(verbs), g.person(), g.pick(places),
					1+g.rng.IntN(28), months[g.rng.IntN(12)], d.Year())
			case 1:
				fmt.Fprintf(&b, "According to investigators, %s was a member of %s and %s %s. ", subject, group, g.pick(verbs), g.person())
			case 2:
				fmt.Fprintf(&b, "Detectives traced calls from +32 2 555 %04d and messages to %s@example.org. ",
					g.rng.IntN(10000), strings.ToLower(strings.ReplaceAll(g.person(), " ", ".")))
			case 3:
				fmt.Fprintf(&b, "The attack in %s in %s %d left %d people wounded. ", g.pick(places), months[g.rng.IntN(12)], d.Year(), 1+g.rng.IntN(9))
			default:
				b.WriteString(g.pick(fillers) + " ")
			}
		}
		b.WriteString("\n\n")
	}
	return title, b.String()
}

// Write writes n articles under dir as text files, a thousand to a folder,
// and returns the total number of bytes written.
func (g *Generator) Write(dir string, n int) (int64, error) {
	var total int64
	for i := range n {
		sub := filepath.Join(dir, fmt.Sprintf("%03d", i/1000))
		if i%1000 == 0 {
			if err := os.MkdirAll(sub, 0o755); err != nil {
				return total, err
			}
		}
		_, text := g.Article(i)
		name := filepath.Join(sub, fmt.Sprintf("article-%05d.txt", i))
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			return total, err
		}
		total += int64(len(text))
	}
	return total, nil
}
