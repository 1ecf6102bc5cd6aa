package discovery

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"mosaic"
	"mosaic/internal/store"
	"mosaic/internal/store/sqlite"
)

// held is a fixture document: its text and what it mentions.
type held struct {
	collection string
	text       string
	mentions   []heldMention
}

type heldMention struct {
	kind mosaic.MentionType
	text string // as the text writes it
	norm string // for identifiers
}

// openStore opens a real store in a new data folder holding the documents,
// each collection created for its agency first.
func openStore(t *testing.T, agencies map[string]string, docs []held) (*sqlite.Store, string) {
	t.Helper()
	ctx := context.Background()
	dir := t.TempDir()
	st, err := sqlite.Open(ctx, dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	for c, a := range agencies {
		if _, err := st.EnsureCollection(ctx, c, a); err != nil {
			t.Fatal(err)
		}
	}
	var batch []store.Ingested
	for i, d := range docs {
		text := d.text
		in := store.Ingested{Collection: d.collection, Doc: mosaic.Document{
			ID: mosaic.NewDocID([]byte(text)), Title: fmt.Sprintf("report %d", i), Text: text,
			Format: mosaic.FormatText, Source: fmt.Sprintf("r%d.txt", i), Size: int64(len(text)),
		}}
		for _, m := range d.mentions {
			at := strings.Index(text, m.text)
			if at < 0 {
				t.Fatalf("fixture: %q not in %q", m.text, text)
			}
			in.Mentions = append(in.Mentions, mosaic.Mention{Start: at, End: at + len(m.text), Type: m.kind,
				Text: m.text, Norm: m.norm, Sentence: mosaic.Span{End: len(text)}, Confidence: 0.9})
		}
		batch = append(batch, in)
	}
	if _, err := st.Add(ctx, batch); err != nil {
		t.Fatal(err)
	}
	return st, dir
}

// alphaDocs are three documents of agency alpha and one of bravo.
var alphaDocs = []held{
	{"alpha-leads", "Salah Abdeslam met Ahmed Khan in Molenbeek. Call +44 1632 960001.", []heldMention{
		{mosaic.Person, "Salah Abdeslam", ""}, {mosaic.Person, "Ahmed Khan", ""},
		{mosaic.Phone, "+44 1632 960001", "+441632960001"}}},
	{"alpha-leads", "ABDESLAM, Salah was seen again; write to cell@example.org.", []heldMention{
		{mosaic.Person, "ABDESLAM, Salah", ""}, {mosaic.Email, "cell@example.org", "cell@example.org"}}},
	{"alpha-archive", "Salah Abdeslam and the Islamic State of Iraq and the Levant.", []heldMention{
		{mosaic.Person, "Salah Abdeslam", ""}, {mosaic.Org, "Islamic State of Iraq and the Levant", ""}}},
	{"bravo-files", "Ibrahim Haddad rang +33 6 12 34 56 78.", []heldMention{
		{mosaic.Person, "Ibrahim Haddad", ""}, {mosaic.Phone, "+33 6 12 34 56 78", "+33612345678"}}},
}

var alphaAgencies = map[string]string{"alpha-leads": "alpha", "alpha-archive": "alpha", "bravo-files": "bravo"}

func TestExport(t *testing.T) {
	ctx := context.Background()
	st, _ := openStore(t, alphaAgencies, alphaDocs)
	enc := mustEncoder(t, testKey, DefaultParams)
	var calls, lastDone, lastTotal int
	ix, err := Export(ctx, st, "alpha", enc, func(done, total int) { calls++; lastDone, lastTotal = done, total })
	if err != nil {
		t.Fatal(err)
	}
	if calls == 0 || lastDone != 3 || lastTotal != 3 {
		t.Errorf("progress: %d calls, last %d of %d; want the 3 documents of alpha", calls, lastDone, lastTotal)
	}
	// Salah Abdeslam in two spellings that normalise alike is one record;
	// Ahmed Khan, the organisation, the phone and the e-mail one each.
	if len(ix.Records) != 5 {
		t.Errorf("%d records, want 5", len(ix.Records))
	}
	tests := []struct {
		kind   mosaic.MentionType
		query  string
		bucket string // "" for no hit
	}{
		{mosaic.Person, "Salah Abdeslam", "2-5"},
		{mosaic.Person, "Salah Abdesalam", "2-5"},
		{mosaic.Person, "Ahmad Khan", "1"},
		{mosaic.Org, "Islamic State of Iraq and the Levant", "1"},
		{mosaic.Phone, "+441632960001", "1"},
		{mosaic.Phone, "0044 1632 960001", "1"},
		{mosaic.Email, "CELL@example.org", "1"},
		// bravo's holdings stay out of alpha's index.
		{mosaic.Person, "Ibrahim Haddad", ""},
		{mosaic.Phone, "+33612345678", ""},
		// A person's name is not found as an organisation's.
		{mosaic.Org, "Salah Abdeslam", ""},
	}
	for _, tt := range tests {
		hits := ix.Lookup(enc, tt.kind, tt.query)
		var want []Hit
		if tt.bucket != "" {
			want = []Hit{{Agency: "alpha", Bucket: tt.bucket}}
		}
		if fmt.Sprint(hits) != fmt.Sprint(want) {
			t.Errorf("Lookup(%s, %q) = %v, want %v", tt.kind, tt.query, hits, want)
		}
	}
	var buf bytes.Buffer
	if err := ix.Write(&buf); err != nil {
		t.Fatal(err)
	}
	assertNoPlaintext(t, buf.Bytes(), alphaDocs)
	back, err := ReadIndex(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if got := back.Lookup(enc, mosaic.Person, "Mohamed Abdeslam"); got != nil {
		t.Errorf("another given name: %v, want no hit", got)
	}
	if got := back.Lookup(enc, mosaic.Person, "Salah Abdeslam"); len(got) != 1 {
		t.Errorf("after a round trip: %v, want one hit", got)
	}
	other := mustEncoder(t, []byte("not the key alpha and bravo agreed"), DefaultParams)
	if got := back.Lookup(other, mosaic.Person, "Salah Abdeslam"); got != nil {
		t.Errorf("under another key: %v, want no hit", got)
	}
	if err := back.Compatible(other); !errors.Is(err, ErrKeyMismatch) {
		t.Errorf("Compatible under another key: %v, want ErrKeyMismatch", err)
	}

	// Only the archive: Salah Abdeslam in one document, Ahmed Khan not.
	part, err := ExportCollections(ctx, st, "alpha", []string{"alpha-archive"}, enc, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(part.Lookup(enc, mosaic.Person, "Salah Abdeslam"), part.Lookup(enc, mosaic.Person, "Ahmed Khan")); got != "[{alpha 1}] []" {
		t.Errorf("the archive alone: %s, want [{alpha 1}] []", got)
	}
	if _, err := ExportCollections(ctx, st, "alpha", []string{"alpha-archive", "bravo-files"}, enc, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("export of another agency's collection: %v, want ErrNotFound", err)
	}
	if _, err := Export(ctx, st, "charlie", enc, nil); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("export of an agency without collections: %v, want ErrNotFound", err)
	}
}

// assertNoPlaintext fails if data holds any name or identifier the
// documents mention, in any spelling: as written, lower-cased, as
// normalised tokens, or as a normalised identifier.
func assertNoPlaintext(t *testing.T, data []byte, docs []held) {
	t.Helper()
	lower := strings.ToLower(string(data))
	for _, d := range docs {
		for _, m := range d.mentions {
			needles := []string{m.text, m.norm}
			if IsName(m.kind) {
				needles = append(needles, NameTokens(m.kind, m.text)...)
			} else {
				needles = append(needles, mosaic.NormIdentifier(m.kind, m.text), strings.TrimPrefix(mosaic.NormIdentifier(m.kind, m.text), "+"))
			}
			for _, n := range needles {
				// Tokens of three letters or fewer turn up by chance in
				// base64; longer ones do not.
				if len(n) > 3 && strings.Contains(lower, strings.ToLower(n)) {
					t.Errorf("%q appears in the index", n)
				}
			}
		}
	}
}

// TestGroupingCountsEntities checks that a record counts the documents of
// every entity spelt its way, in any of the entity's spellings.
func TestGroupingCountsEntities(t *testing.T) {
	g := newGrouping()
	for i, m := range []mosaic.Mention{
		{Type: mosaic.Person, Text: "Salah Abdeslam", Entity: 7},
		{Type: mosaic.Person, Text: "S. Abdeslam", Entity: 7},
		{Type: mosaic.Person, Text: "S. Abdeslam", Entity: 7},
		{Type: mosaic.Person, Text: "Salah Abdeslam", Entity: 9},
		{Type: mosaic.Person, Text: "Salah Abdeslam"},
		{Type: mosaic.Person, Text: "M. Abdeslam", Entity: 8},
	} {
		g.mention(mosaic.DocID(fmt.Sprint(i)), m)
	}
	count := func(name string) int {
		toks := NameTokens(mosaic.Person, name)
		slices.Sort(toks)
		for k, sp := range g.spellings {
			if k.norm == strings.Join(toks, " ") {
				docs := map[mosaic.DocID]bool{}
				for d := range sp.docs {
					docs[d] = true
				}
				for e := range sp.entities {
					for d := range g.entities[e] {
						docs[d] = true
					}
				}
				return len(docs)
			}
		}
		return 0
	}
	// Documents 0-2 (entity 7), 3 (entity 9), 4 (unresolved).
	if got := count("Salah Abdeslam"); got != 5 {
		t.Errorf("Salah Abdeslam: %d documents, want 5", got)
	}
	// Entity 7 only: documents 0-2.
	if got := count("S. Abdeslam"); got != 3 {
		t.Errorf("S. Abdeslam: %d documents, want 3", got)
	}
}

func TestReadIndexRefuses(t *testing.T) {
	enc := mustEncoder(t, testKey, DefaultParams)
	good := func() map[string]any {
		ix := &Index{Version: Version, Params: DefaultParams, KeyCheck: enc.CheckValue(), Agency: "alpha",
			Created: mustTime(t), Records: []Record{{ID: strings.Repeat("ab", 16), Kind: mosaic.Person,
				Filter: enc.Encode(mosaic.Person, "Salah Abdeslam"), Bucket: "1"}}}
		b, err := json.Marshal(ix)
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m
	}
	record := func(m map[string]any) map[string]any { return m["records"].([]any)[0].(map[string]any) }
	tests := []struct {
		name   string
		change func(m map[string]any)
	}{
		{"version", func(m map[string]any) { m["version"] = 2 }},
		{"unknown field", func(m map[string]any) { m["names"] = []string{"Salah"} }},
		{"bits", func(m map[string]any) { m["params"].(map[string]any)["bits"] = 100 }},
		{"key check", func(m map[string]any) { m["key_check"] = "AAAA" }},
		{"agency", func(m map[string]any) { m["agency"] = "" }},
		{"agency control", func(m map[string]any) { m["agency"] = "al\npha" }},
		{"created", func(m map[string]any) { delete(m, "created") }},
		{"id", func(m map[string]any) { record(m)["id"] = "../../etc" }},
		{"kind", func(m map[string]any) { record(m)["kind"] = "LOCATION" }},
		{"filter", func(m map[string]any) { record(m)["filter"] = "AAAA" }},
		{"bucket", func(m map[string]any) { record(m)["bucket"] = "7" }},
		{"repeated id", func(m map[string]any) {
			m["records"] = append(m["records"].([]any), m["records"].([]any)[0])
		}},
	}
	b, _ := json.Marshal(good())
	if _, err := ReadIndex(bytes.NewReader(b)); err != nil {
		t.Fatalf("the good index: %v", err)
	}
	if _, err := ReadIndex(bytes.NewReader(append(b, b...))); err == nil {
		t.Error("two indexes in one: no error")
	}
	for _, tt := range tests {
		m := good()
		tt.change(m)
		b, _ := json.Marshal(m)
		if _, err := ReadIndex(bytes.NewReader(b)); err == nil {
			t.Errorf("%s: no error", tt.name)
		}
	}
}

func FuzzReadIndex(f *testing.F) {
	enc := mustEncoder(f, testKey, DefaultParams)
	ix := &Index{Version: Version, Params: DefaultParams, KeyCheck: enc.CheckValue(), Agency: "alpha",
		Created: mustTime(f), Records: []Record{{ID: strings.Repeat("0f", 16), Kind: mosaic.Email,
			Filter: enc.Encode(mosaic.Email, "cell@example.org"), Bucket: "more"}}}
	var buf bytes.Buffer
	if err := ix.Write(&buf); err != nil {
		f.Fatal(err)
	}
	f.Add(buf.Bytes())
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		ix, err := ReadIndex(bytes.NewReader(data))
		if err != nil {
			return
		}
		// What reads must write and read back the same, and be queryable.
		var out bytes.Buffer
		if err := ix.Write(&out); err != nil {
			t.Fatalf("an index read cannot be written: %v", err)
		}
		again, err := ReadIndex(&out)
		if err != nil {
			t.Fatalf("an index written cannot be read: %v", err)
		}
		if len(again.Records) != len(ix.Records) {
			t.Fatalf("%d records, then %d", len(ix.Records), len(again.Records))
		}
		e, err := NewEncoder(testKey, ix.Params)
		if err != nil {
			t.Fatalf("params read but refused: %v", err)
		}
		ix.Lookup(e, mosaic.Person, "Salah Abdeslam")
	})
}

// TestPeers keeps peers' indexes, a broken one and one under another key
// among them, and asks them: with the files in a data folder, and in the
// store's database.
func TestPeers(t *testing.T) {
	st, db := openStore(t, alphaAgencies, alphaDocs)
	enc := mustEncoder(t, testKey, DefaultParams)
	for _, files := range []Files{Folder(db), Stored(st, "the test store")} {
		t.Run(fmt.Sprintf("%T", files), func(t *testing.T) {
			testPeers(t, st, files, enc)
			if dir, ok := files.(folder); ok {
				// Replacing a peer leaves no temporary file behind.
				entries, _ := os.ReadDir(dir.path("peers"))
				if len(entries) != 4 {
					t.Errorf("%d files in the peers folder, want 4", len(entries))
				}
			}
		})
	}
}

func testPeers(t *testing.T, st store.Store, files Files, enc *Encoder) {
	ctx := context.Background()
	for _, agency := range []string{"alpha", "bravo"} {
		ix, err := Export(ctx, st, agency, enc, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := SavePeer(ctx, files, "peer-"+agency, ix); err != nil {
			t.Fatal(err)
		}
	}
	live := NewLivePeers(files, testKey)
	if got, err := live.Query("Salah Abdeslam"); err != nil || len(got) != 1 {
		t.Fatalf("live peers before the others came: %v, %v", got, err)
	}
	// A peer under another key is unusable, and says so.
	other, err := Export(ctx, st, "alpha", mustEncoder(t, []byte("a key nobody else holds, at all"), DefaultParams), nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := SavePeer(ctx, files, "stranger", other); err != nil {
		t.Fatal(err)
	}
	if err := files.Write(ctx, "peers/broken.json", []byte("{")); err != nil {
		t.Fatal(err)
	}
	for _, bad := range []string{"", "../x", ".hidden", "a/b", strings.Repeat("x", 65)} {
		if err := SavePeer(ctx, files, bad, other); err == nil {
			t.Errorf("peer name %q: no error", bad)
		}
	}
	ps, err := LoadPeers(ctx, files, testKey)
	if err != nil {
		t.Fatal(err)
	}
	if got := fmt.Sprint(ps.Names()); got != "[peer-alpha peer-bravo]" {
		t.Errorf("peers %s, want [peer-alpha peer-bravo]", got)
	}
	if len(ps.Unusable) != 2 || !errors.Is(ps.Unusable["stranger"], ErrKeyMismatch) || ps.Unusable["broken"] == nil {
		t.Errorf("unusable: %v, want stranger (key) and broken", ps.Unusable)
	}
	hits := ps.Lookup(mosaic.Person, "Salah Abdeslam")
	if want := []PeerHit{{Peer: "peer-alpha", Agency: "alpha", Bucket: "2-5"}}; fmt.Sprint(hits) != fmt.Sprint(want) {
		t.Errorf("Salah Abdeslam: %v, want %v", hits, want)
	}
	hits = ps.Lookup(mosaic.Phone, "+33 6 12 34 56 78")
	if want := []PeerHit{{Peer: "peer-bravo", Agency: "bravo", Bucket: "1"}}; fmt.Sprint(hits) != fmt.Sprint(want) {
		t.Errorf("bravo's phone: %v, want %v", hits, want)
	}
	if hits := ps.Lookup(mosaic.Person, "Someone Else Entirely"); hits != nil {
		t.Errorf("an unknown name: %v, want none", hits)
	}
	// Queries run concurrently, as a web server's would.
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			if got := ps.Query("Salah Abdeslam"); len(got) != 1 {
				t.Errorf("concurrent query: %v", got)
			}
		})
	}
	wg.Wait()
	// A peer replaced is seen by the live peers at the next query: alpha's
	// index under another key no longer answers.
	if err := SavePeer(ctx, files, "peer-alpha", other); err != nil {
		t.Fatal(err)
	}
	if got, err := live.Query("Salah Abdeslam"); err != nil || len(got) != 0 {
		t.Errorf("live peers after peer-alpha was replaced: %v, %v; want no hit", got, err)
	}
}

func TestEmptyPeers(t *testing.T) {
	ps, err := LoadPeers(context.Background(), Folder(t.TempDir()), testKey)
	if err != nil || ps.Lookup(mosaic.Person, "Salah Abdeslam") != nil || len(ps.Names()) != 0 {
		t.Errorf("a folder without peers: %v, %v", ps, err)
	}
}

func mustTime(t testing.TB) time.Time {
	t.Helper()
	return time.Date(2026, 12, 5, 22, 0, 0, 0, time.UTC)
}
