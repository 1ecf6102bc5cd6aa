package discovery

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/bits"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// Version is the version of the index format this package writes and reads.
const Version = 1

// MaxIndexBytes bounds an index read from a file or a peer: 256 MiB holds
// about a million records.
const MaxIndexBytes = 256 << 20

// Index is one agency's discovery index: the encodings of the names and
// identifiers its collections hold, each with a rough count of documents.
type Index struct {
	// Version is the format's version, Version.
	Version int `json:"version"`
	// Params are the encoding's settings; a query is encoded with them.
	Params Params `json:"params"`
	// KeyCheck is the encoder's CheckValue: a query under another linkage
	// key is told so instead of missing everything.
	KeyCheck []byte `json:"key_check"`
	// Agency is the agency whose holdings the index encodes.
	Agency string `json:"agency"`
	// Created is when the index was exported.
	Created time.Time `json:"created"`
	// Records are in the order of their random IDs, which says nothing of
	// the order the names were found in.
	Records []Record `json:"records"`
}

// Record is one encoded name or identifier.
type Record struct {
	// ID is random, opaque and new with each export: it names the record in
	// a share request without naming what it encodes.
	ID string `json:"id"`
	// Kind is PERSON, ORG, PHONE or EMAIL.
	Kind   mosaic.MentionType `json:"kind"`
	Filter Filter             `json:"filter"`
	// Bucket is store.Bucket of the documents held on the record's
	// entities.
	Bucket string `json:"bucket"`
}

// Hit says that an agency holds material matching a query, and roughly how
// much.
type Hit struct {
	Agency string `json:"agency"`
	Bucket string `json:"bucket"`
}

// Source is what Export reads from a store.
type Source interface {
	Collections(ctx context.Context, scope store.Scope) ([]store.Collection, error)
	DocumentsPage(ctx context.Context, f store.DocumentFilter) (store.DocumentList, error)
	MentionsPage(ctx context.Context, id mosaic.DocID, scope store.Scope, within mosaic.Span, p store.Page) ([]mosaic.Mention, string, error)
}

// Progress is told how many of an export's documents have been read.
type Progress func(done, total int)

// Export encodes what agency's collections hold, read in the agency's
// scope (its collections, its judgements), into an index. Each distinct
// spelling of a person or organisation (after normalisation) and each
// distinct identifier becomes one record, whose bucket counts the
// documents that mention any entity spelt that way, or the identifier.
// progress, when not nil, is called after each page of documents. It
// returns store.ErrNotFound (wrapped) if the agency has no collection.
func Export(ctx context.Context, st Source, agency string, enc *Encoder, progress Progress) (*Index, error) {
	return ExportCollections(ctx, st, agency, nil, enc, progress)
}

// ExportCollections is Export of only the named collections of the agency
// (all of them when only is nil), so that an agency can leave out of what
// it offers peers, say, its classified collections. It returns
// store.ErrNotFound (wrapped) if a name is not a collection of the agency.
func ExportCollections(ctx context.Context, st Source, agency string, only []string, enc *Encoder, progress Progress) (*Index, error) {
	all, err := st.Collections(ctx, store.Scope{})
	if err != nil {
		return nil, fmt.Errorf("export %s: %w", agency, err)
	}
	var names []string
	for _, c := range all {
		if c.Agency == agency && (only == nil || slices.Contains(only, c.Name)) {
			names = append(names, c.Name)
		}
	}
	for _, n := range only {
		if !slices.Contains(names, n) {
			return nil, fmt.Errorf("export %s: %q is not a collection of this agency: %w", agency, n, store.ErrNotFound)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("export %s: no collection of this agency: %w", agency, store.ErrNotFound)
	}
	scope := store.Scope{Collections: names, Agency: agency}
	g := newGrouping()
	f := store.DocumentFilter{Scope: scope, Limit: store.MaxLimit}
	done := 0
	for {
		list, err := st.DocumentsPage(ctx, f)
		if err != nil {
			return nil, fmt.Errorf("export %s: documents: %w", agency, err)
		}
		for _, d := range list.Documents {
			if err := g.document(ctx, st, d.ID, scope); err != nil {
				return nil, fmt.Errorf("export %s: document %s: %w", agency, d.ID, err)
			}
		}
		done += len(list.Documents)
		if progress != nil {
			progress(done, list.Total)
		}
		if list.Next == "" {
			break
		}
		f.Cursor = list.Next
	}
	ix := &Index{
		Version:  Version,
		Params:   enc.Params(),
		KeyCheck: enc.CheckValue(),
		Agency:   agency,
		Created:  time.Now().UTC().Truncate(time.Second),
	}
	for key, sp := range g.spellings {
		docs := make(map[mosaic.DocID]struct{}, len(sp.docs))
		for d := range sp.docs {
			docs[d] = struct{}{}
		}
		for e := range sp.entities {
			for d := range g.entities[e] {
				docs[d] = struct{}{}
			}
		}
		filter := enc.Encode(key.kind, sp.value)
		if filter == nil {
			continue
		}
		ix.Records = append(ix.Records, Record{ID: newID(), Kind: key.kind, Filter: filter, Bucket: store.Bucket(len(docs))})
	}
	sort.Slice(ix.Records, func(i, j int) bool { return ix.Records[i].ID < ix.Records[j].ID })
	return ix, nil
}

// spellingKey names a record: a kind and a normalised value (a name's
// sorted tokens, or an identifier), so that spellings encoded alike are
// one record.
type spellingKey struct {
	kind mosaic.MentionType
	norm string
}

// spelling is what a record gathers: the entities spelt that way and the
// documents where it stands unresolved.
type spelling struct {
	value    string // one raw spelling, to encode
	entities map[mosaic.EntityID]struct{}
	docs     map[mosaic.DocID]struct{}
}

// grouping gathers an export's mentions by spelling and entity.
type grouping struct {
	spellings map[spellingKey]*spelling
	entities  map[mosaic.EntityID]map[mosaic.DocID]struct{}
}

func newGrouping() *grouping {
	return &grouping{spellings: make(map[spellingKey]*spelling), entities: make(map[mosaic.EntityID]map[mosaic.DocID]struct{})}
}

// document reads one document's mentions into the grouping.
func (g *grouping) document(ctx context.Context, st Source, id mosaic.DocID, scope store.Scope) error {
	p := store.Page{Limit: store.MaxLimit}
	for {
		ms, next, err := st.MentionsPage(ctx, id, scope, mosaic.Span{}, p)
		if err != nil {
			return err
		}
		for _, m := range ms {
			g.mention(id, m)
		}
		if next == "" {
			return nil
		}
		p.Cursor = next
	}
}

func (g *grouping) mention(id mosaic.DocID, m mosaic.Mention) {
	var key spellingKey
	value := m.Text
	switch m.Type {
	case mosaic.Person, mosaic.Org:
		toks := NameTokens(m.Type, m.Text)
		if len(toks) == 0 {
			return
		}
		slices.Sort(toks)
		key = spellingKey{m.Type, strings.Join(toks, " ")}
	case mosaic.Phone, mosaic.Email:
		if m.Norm != "" {
			value = m.Norm
		}
		value = mosaic.NormIdentifier(m.Type, value)
		if value == "" {
			return
		}
		key = spellingKey{m.Type, value}
	default:
		return
	}
	sp := g.spellings[key]
	if sp == nil {
		sp = &spelling{value: value, entities: make(map[mosaic.EntityID]struct{}), docs: make(map[mosaic.DocID]struct{})}
		g.spellings[key] = sp
	}
	if m.Entity == 0 {
		sp.docs[id] = struct{}{}
		return
	}
	sp.entities[m.Entity] = struct{}{}
	docs := g.entities[m.Entity]
	if docs == nil {
		docs = make(map[mosaic.DocID]struct{})
		g.entities[m.Entity] = docs
	}
	docs[id] = struct{}{}
}

// newID returns a random record ID: 128 bits in hex.
func newID() string {
	var b [16]byte
	rand.Read(b[:]) // never fails (crypto/rand)
	return hex.EncodeToString(b[:])
}

// Lookup returns whether the index holds a match for value, a name or
// identifier of kind, encoded by enc: one Hit with the largest bucket of
// the matching records, or none. An encoder of other params or another
// key matches nothing (see Compatible).
func (ix *Index) Lookup(enc *Encoder, kind mosaic.MentionType, value string) []Hit {
	if ix.Compatible(enc) != nil {
		return nil
	}
	var qs []Filter
	for _, v := range QueryVariants(kind, value) {
		if q := enc.Encode(kind, v); q != nil {
			qs = append(qs, q)
		}
	}
	if len(qs) == 0 {
		return nil
	}
	best := ""
	for _, r := range ix.Records {
		if r.Kind != kind || bucketRank(r.Bucket) <= bucketRank(best) {
			continue
		}
		if enc.Match(qs[0], r.Filter, kind) {
			best = r.Bucket
			continue
		}
		for _, q := range qs[1:] {
			if enc.MatchVariant(q, r.Filter, kind) {
				best = r.Bucket
				break
			}
		}
	}
	if best == "" {
		return nil
	}
	return []Hit{{Agency: ix.Agency, Bucket: best}}
}

// QueryVariants returns what a query for value is encoded as: value, and
// for a name of two tokens or more each shorter name, made of some of its
// tokens in their order, that Mosaic's name matching (entity.Compare)
// still calls the same name. A Bloom filter's similarity falls with every
// token one name has and the other lacks, where Compare charges a token
// that only one name spells out a quarter of its weight (a tenth in an
// organisation's name), and nothing for a particle or a legal form: so
// "Ayman Muhammad Rabi al-Zawahiri" would miss a record of "Aiman
// al-Zawahiri", which its variant "ayman zawahiri" meets. Only the
// querying side does this: the index holds each spelling once. Of a name
// longer than MaxVariantTokens only the first ones are left out.
func QueryVariants(kind mosaic.MentionType, value string) []string {
	out := []string{value}
	if !IsName(kind) {
		return out
	}
	toks := NameTokens(kind, value)
	if len(toks) < 2 {
		return out
	}
	k := entity.KindOf(kind)
	full := entity.NewName(value, k)
	n := min(len(toks), MaxVariantTokens)
	seen := make(map[string]bool)
	// Fewest tokens left out first, so the closest variants come first.
	for drop := 1; drop < len(toks); drop++ {
		for mask := 1; mask < 1<<n; mask++ {
			if bits.OnesCount(uint(mask)) != drop {
				continue
			}
			keep := make([]string, 0, len(toks)-drop)
			for i, t := range toks {
				if i >= n || mask&(1<<i) == 0 {
					keep = append(keep, t)
				}
			}
			v := strings.Join(keep, " ")
			if seen[v] {
				continue
			}
			seen[v] = true
			if entity.Compare(full, entity.NewName(v, k)).Match {
				out = append(out, v)
			}
		}
	}
	return out
}

// MaxVariantTokens bounds the tokens of a name QueryVariants leaves out
// any of: its 255 shorter names are compared in a few milliseconds.
const MaxVariantTokens = 8

// ErrKeyMismatch means an index was made under another linkage key, or
// with other params, than the encoder a query uses.
var ErrKeyMismatch = errors.New("index made under another linkage key or params")

// Compatible returns ErrKeyMismatch (wrapped) unless enc encodes as the
// index's records were encoded: the same params and the same key.
func (ix *Index) Compatible(enc *Encoder) error {
	if enc.Params() != ix.Params {
		return fmt.Errorf("index of %s: params differ: %w", ix.Agency, ErrKeyMismatch)
	}
	if !hmac.Equal(enc.CheckValue(), ix.KeyCheck) {
		return fmt.Errorf("index of %s: key check differs: %w", ix.Agency, ErrKeyMismatch)
	}
	return nil
}

// buckets are store.Bucket's answers, smallest first.
var buckets = []string{"1", "2-5", "6-20", "more"}

// bucketRank orders buckets; 0 for "" or an unknown one.
func bucketRank(b string) int {
	return slices.Index(buckets, b) + 1
}

// Write writes the index as JSON.
func (ix *Index) Write(w io.Writer) error {
	if err := ix.validate(); err != nil {
		return err
	}
	b, err := json.Marshal(ix)
	if err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	if _, err := w.Write(append(b, '\n')); err != nil {
		return fmt.Errorf("write index: %w", err)
	}
	return nil
}

// ReadIndex reads and validates an index written by Write: one JSON value
// of at most MaxIndexBytes, no unknown field, every field well-formed. The
// input is untrusted: it may come from a peer.
func ReadIndex(r io.Reader) (*Index, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxIndexBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	if len(data) > MaxIndexBytes {
		return nil, fmt.Errorf("read index: larger than %d bytes", MaxIndexBytes)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var ix Index
	if err := dec.Decode(&ix); err != nil {
		return nil, fmt.Errorf("read index: %w", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("read index: data after the index")
	}
	if err := ix.validate(); err != nil {
		return nil, err
	}
	return &ix, nil
}

// MaxAgencyLen bounds an agency's name in an index.
const MaxAgencyLen = 100

// validate checks every field of an index.
func (ix *Index) validate() error {
	bad := func(format string, args ...any) error {
		return fmt.Errorf("invalid index: "+format, args...)
	}
	if ix.Version != Version {
		return bad("version %d, want %d", ix.Version, Version)
	}
	if err := ix.Params.Validate(); err != nil {
		return bad("%v", err)
	}
	if len(ix.KeyCheck) != 16 {
		return bad("key check of %d bytes, want 16", len(ix.KeyCheck))
	}
	if ix.Agency == "" || len(ix.Agency) > MaxAgencyLen || strings.IndexFunc(ix.Agency, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return bad("agency %q is empty, too long or not printable", ix.Agency)
	}
	if ix.Created.IsZero() {
		return bad("no creation time")
	}
	n := ix.Params.FilterBytes()
	seen := make(map[string]bool, len(ix.Records))
	for i, r := range ix.Records {
		if len(r.ID) != 32 || strings.Trim(r.ID, "0123456789abcdef") != "" {
			return bad("record %d: id %q is not 32 hex digits", i, r.ID)
		}
		if seen[r.ID] {
			return bad("record %d: id %s repeated", i, r.ID)
		}
		seen[r.ID] = true
		if !slices.Contains(Kinds, r.Kind) {
			return bad("record %s: kind %q is not one of %v", r.ID, r.Kind, Kinds)
		}
		if len(r.Filter) != n {
			return bad("record %s: filter of %d bytes, want %d", r.ID, len(r.Filter), n)
		}
		if bucketRank(r.Bucket) == 0 {
			return bad("record %s: bucket %q is not one of %v", r.ID, r.Bucket, buckets)
		}
	}
	return nil
}
