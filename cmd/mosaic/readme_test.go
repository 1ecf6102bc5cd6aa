package main

import (
	"encoding/json"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/entity"
)

// TestReadmeTourIDs: the ids the README's tour prints are the ones a fresh
// demo gives. A line that looks an entity up by name and says in its
// comment which entity it is ('./mosaic entity "NAME"  # ... entity 170')
// must find that entity; a 'judge merge A B' must merge the entity just
// looked up with one its proposals list; a 'show DOCID' must open a stored
// document. (Entity ids depend on the order documents are resolved in,
// and on what extraction finds: a change to either shows here.)
func TestReadmeTourIDs(t *testing.T) {
	raw, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(raw)
	start, end := strings.Index(readme, "## A short tour"), strings.Index(readme, "## Commands")
	if start < 0 || end < start {
		t.Fatal("README.md: no tour section before ## Commands")
	}
	db := sampleCase(t)
	named := regexp.MustCompile(`^\./mosaic (entity|judge propose) "([^"]+)"\s+#.*?\bentity (\d+)`)
	merge := regexp.MustCompile(`^\./mosaic judge merge (\d+) (\d+)`)
	show := regexp.MustCompile(`^\./mosaic show ([0-9a-f]{64})`)
	var last mosaic.EntityID
	var proposed []mosaic.EntityID
	checked := 0
	for _, line := range strings.Split(readme[start:end], "\n") {
		if m := named.FindStringSubmatch(line); m != nil {
			checked++
			want, _ := strconv.Atoi(m[3])
			if got := entityJSON(t, db, m[2]).ID; got != mosaic.EntityID(want) {
				t.Errorf("README: %q is entity %d, not %d:\n%s", m[2], got, want, line)
			}
			last, proposed = mosaic.EntityID(want), nil
			if m[1] == "judge propose" {
				out, errs, code := runMosaic(t, "judge", "--db", db, "--json", "propose", m[2])
				var got struct{ Proposals []entity.Proposal }
				if code != 0 || json.Unmarshal([]byte(out), &got) != nil {
					t.Fatalf("judge propose %q: exit %d\n%s%s", m[2], code, out, errs)
				}
				for _, p := range got.Proposals {
					proposed = append(proposed, p.ID)
				}
			}
		}
		if m := merge.FindStringSubmatch(line); m != nil {
			checked++
			a, _ := strconv.Atoi(m[1])
			b, _ := strconv.Atoi(m[2])
			if mosaic.EntityID(a) != last {
				t.Errorf("README: merge of %d, but the line before looked up entity %d:\n%s", a, last, line)
			}
			found := false
			for _, p := range proposed {
				found = found || p == mosaic.EntityID(b)
			}
			if !found {
				t.Errorf("README: merge with %d, which the proposals for %d do not list (%v):\n%s", b, last, proposed, line)
			}
		}
		if m := show.FindStringSubmatch(line); m != nil {
			checked++
			if _, errs, code := runMosaic(t, "show", "--db", db, m[1]); code != 0 {
				t.Errorf("README: show %s: exit %d\n%s", m[1][:12], code, errs)
			}
		}
	}
	if checked < 5 {
		t.Errorf("checked %d lines of the README's tour, want at least 5: has its form changed?", checked)
	}
}
