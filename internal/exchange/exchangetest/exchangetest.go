// Package exchangetest holds what the exchange formats' tests share: a
// small network with every kind of edge, a large generated case, a
// benchmark of a writer on it, and FollowTheMoney's own model to read a
// file with.
package exchangetest

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/exchange"
)

// BigCase is a case of n entities and 4n links of two sentences each, the
// shape of a large collection's network.
func BigCase(n int) exchange.Case {
	var c exchange.Case
	kinds := []mosaic.MentionType{mosaic.Person, mosaic.Org, mosaic.Location, mosaic.Misc}
	day := time.Date(2016, 6, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		name := fmt.Sprintf("Person Number %d", i)
		c.Entities = append(c.Entities, exchange.Entity{Key: fmt.Sprint(i), Kind: kinds[i%4], Name: name,
			Names: []string{name, fmt.Sprintf("P. Number %d", i)}, Community: i % 40, Centrality: float64(i%100) / 100,
			Degree: 8, First: day, Last: day.AddDate(0, 0, i%300)})
	}
	types := []mosaic.RelationType{mosaic.Contact, mosaic.Member, mosaic.CoOccur, mosaic.Command}
	for i := range 4 * n {
		from, to := i%n, (i*7+1)%n
		if from == to {
			to = (to + 1) % n
		}
		l := exchange.Link{From: fmt.Sprint(from), To: fmt.Sprint(to), Type: types[i%4], Weight: 1.5, First: day, Last: day}
		for j := range 2 {
			doc := mosaic.NewDocID([]byte(fmt.Sprint(i, j)))
			text := fmt.Sprintf("Person Number %d was seen with Person Number %d at the market on the %dth, the report of the %d says.", from, to, j+1, i)
			l.Evidence = append(l.Evidence, exchange.Evidence{Doc: doc, Sentence: mosaic.Span{Start: 100, End: 100 + len(text)}, Text: text,
				FromText: fmt.Sprintf("Person Number %d", from), ToText: fmt.Sprintf("Person Number %d", to), Confidence: 0.75, Date: day})
		}
		c.Links = append(c.Links, l)
	}
	return c
}

// Day is a date, YYYY-MM-DD, at midnight UTC.
func Day(s string) time.Time {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return t
}

// Network is a small case with every kind of edge: a typed directed
// link, a denied one, a hedged one and a co-occurrence, one entity with
// no dates and one with no links.
func Network() exchange.Case {
	return exchange.Case{
		Collections: []exchange.Collection{{Name: "police", Agency: "Arden Constabulary", Classification: "RESTRICTED"},
			{Name: "intel", Agency: "Bureau", Classification: "SECRET"}, {Name: "press", Agency: "Desk"}},
		Entities: []exchange.Entity{
			{Key: "1", Kind: mosaic.Person, Name: "Tarek Osman", Names: []string{"Tarek Osman", "T. Osman", "Abu Tariq"},
				Community: 0, Centrality: 0.75, Degree: 3, First: Day("2015-03-02"), Last: Day("2016-06-24")},
			{Key: "2", Kind: mosaic.Org, Name: "Northern Front", Names: []string{"Northern Front"},
				Community: 0, Centrality: 0, Degree: 1, First: Day("2015-03-02"), Last: Day("2015-03-02")},
			{Key: "3", Kind: mosaic.Person, Name: "Lina Haddad", Names: []string{"Lina Haddad"},
				Community: 1, Centrality: 0.125, Degree: 2},
			{Key: "4", Kind: mosaic.Location, Name: "Rotterdam", Community: -1},
		},
		Links: []exchange.Link{
			{From: "1", To: "2", Type: mosaic.Member, Weight: 0.9, First: Day("2015-03-02"), Last: Day("2015-03-02"),
				Evidence: []exchange.Evidence{{Doc: "d1", Text: "Osman was the\nspokesman of the Northern Front.", Confidence: 0.9}}},
			{From: "1", To: "3", Type: mosaic.Contact, Negated: true, Weight: 0.8,
				Evidence: []exchange.Evidence{{Doc: "d2", Text: "Osman was not in touch with Haddad.", Confidence: 0.8}}},
			{From: "3", To: "1", Type: mosaic.Command, Hedged: true, Weight: 1.5, First: Day("2016-01-05"), Last: Day("2016-06-24"),
				Evidence: []exchange.Evidence{
					{Doc: "d3", Text: "Haddad allegedly sent Osman.", Confidence: 0.7},
					{Doc: "d4", Text: "Haddad reportedly ordered Osman to travel.", Confidence: 0.8},
				}},
			{From: "1", To: "3", Type: mosaic.CoOccur, Weight: 0.25,
				Evidence: []exchange.Evidence{{Doc: "d2", Text: "Osman and Haddad.", Confidence: 0.25}}},
		},
	}
}

// counter counts the bytes written to it.
type counter struct{ n int64 }

func (c *counter) Write(p []byte) (int, error) { c.n += int64(len(p)); return len(p), nil }

// BenchmarkWrite benchmarks write on BigCase(10000): 10,000 entities and
// 40,000 links, in bytes and links a second.
func BenchmarkWrite(b *testing.B, write func(w io.Writer, c exchange.Case) error) {
	c := BigCase(10000)
	var w counter
	if err := write(&w, c); err != nil {
		b.Fatal(err)
	}
	b.SetBytes(w.n)
	b.ReportAllocs()
	for b.Loop() {
		if err := write(&counter{}, c); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(len(c.Links))*float64(b.N)/b.Elapsed().Seconds(), "links/s")
}

// ErrNoModel means FollowTheMoney's model cannot be run here: no node,
// or the model not installed in internal/exchange/ftm/testdata/ftmjs.
var ErrNoModel = errors.New("FollowTheMoney's model not here")

// FollowTheMoneyModel has FollowTheMoney's own model (its JavaScript
// edition, internal/exchange/ftm/testdata/ftmjs) read a file of
// FollowTheMoney entities: it gives the number of entities of each schema
// and every way a line breaks the model (a schema or property it does
// not have, a required property missing, an entity property naming no
// entity of the file or one out of its range). It returns ErrNoModel,
// saying why, when the model cannot run.
func FollowTheMoneyModel(file string) (schemata map[string]int, problems []string, err error) {
	_, here, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(here), "..", "ftm", "testdata", "ftmjs")
	if _, err := exec.LookPath("node"); err != nil {
		return nil, nil, fmt.Errorf("%w: no node (Debian: apt-get install -y nodejs)", ErrNoModel)
	}
	if _, err := os.Stat(filepath.Join(dir, "node_modules", "@alephdata", "followthemoney")); err != nil {
		return nil, nil, fmt.Errorf("%w: not installed (cd internal/exchange/ftm/testdata/ftmjs && npm ci)", ErrNoModel)
	}
	cmd := exec.Command("node", "check.cjs", file)
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, nil, fmt.Errorf("check.cjs: %v\n%s", err, out)
	}
	var got struct {
		Schemata map[string]int
		Errors   []string
	}
	if err := json.Unmarshal(out, &got); err != nil {
		return nil, nil, fmt.Errorf("check.cjs: %v: %s", err, out)
	}
	return got.Schemata, got.Errors, nil
}
