// Package exchange carries a case between Mosaic and other tools. A Case
// is the neutral form of what an analyst may see: the collections and
// documents in scope, the entities with every spelling, the typed links
// between them with each sentence that states them, and the incidents.
// Read builds one from a store within a caller's scope; Load stores one
// through the ingest path, so that what a file brings is resolved against
// what the store holds with the usual reasons, never merged silently.
// Each format (STIX 2.1, GraphML, GEXF, CSV, FollowTheMoney) lives in a
// subpackage that converts a Case to and from its files.
package exchange

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"mosaic"
	"mosaic/internal/store"
)

// Case is one export's content, or one import's.
type Case struct {
	// Collections are the collections the case's documents are held by,
	// with their agency and classification label.
	Collections []Collection `json:"collections,omitempty"`
	// Documents are the documents the evidence and incidents cite.
	Documents []Document `json:"documents,omitempty"`
	// Entities are the people, organisations, places and other things
	// named, each once.
	Entities []Entity `json:"entities,omitempty"`
	// Links are the typed relations between entities, one per pair,
	// type, direction and polarity, each with its evidence.
	Links []Link `json:"links,omitempty"`
	// Incidents are the attacks the case holds.
	Incidents []mosaic.Incident `json:"incidents,omitempty"`
}

// Collection is a collection a case's documents are held by.
type Collection struct {
	Name   string `json:"name"`
	Agency string `json:"agency,omitempty"`
	// Classification is the collection's label (store.Classifications);
	// empty reads as UNCLASSIFIED.
	Classification string `json:"classification,omitempty"`
}

// Document is a document the case cites, without its text: an export
// carries the sentences that support its links, not whole documents.
type Document struct {
	ID     mosaic.DocID  `json:"id"`
	Title  string        `json:"title"`
	Source string        `json:"source,omitempty"`
	Date   time.Time     `json:"date,omitzero"`
	Format mosaic.Format `json:"format,omitempty"`
	// Collections name the case's collections that hold the document.
	Collections []string `json:"collections,omitempty"`
}

// Entity is one resolved person, organisation, place or thing.
type Entity struct {
	// Key identifies the entity within the case: the store's entity ID in
	// decimal on export; on import, the identifier the file gave it (a
	// STIX id, a FollowTheMoney id, a CSV key).
	Key  string             `json:"key"`
	Kind mosaic.MentionType `json:"kind"`
	// Name is the canonical name; Names every spelling the case holds,
	// Name first.
	Name  string   `json:"name"`
	Names []string `json:"names,omitempty"`
	// Community is the entity's Louvain cell in the case's network,
	// numbered from 0; -1 when it has none (no links).
	Community int `json:"community"`
	// Centrality is the entity's betweenness centrality in the case's
	// network, normalised to [0, 1]; Degree counts its neighbours.
	Centrality float64 `json:"centrality"`
	Degree     int     `json:"degree"`
	// First and Last are the dates of the earliest and latest dated
	// documents that name it; zero when none is dated.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Origin says where an imported entity came from: the file and the
	// object's identifier in it. Empty on export.
	Origin string `json:"origin,omitempty"`
}

// Link is every statement of one relation between two entities: one
// type, one direction, one polarity (a denial and a hedge are separate
// links from a plain statement).
type Link struct {
	// From and To are Entity keys. A co-occurrence is undirected; on
	// export From is then the entity with the smaller store ID. Whatever
	// the order, each Evidence's FromText names From and ToText names To:
	// a reader that swaps the ends swaps the texts with them.
	From string              `json:"from"`
	To   string              `json:"to"`
	Type mosaic.RelationType `json:"type"`
	// Negated: the sources deny the relation; Hedged: they only allege it.
	Negated bool `json:"negated,omitempty"`
	Hedged  bool `json:"hedged,omitempty"`
	// Weight is how much the evidence weighs: the sum of its confidences.
	Weight float64 `json:"weight"`
	// First and Last are the dates of the earliest and latest dated
	// evidence; zero when none is dated.
	First time.Time `json:"first,omitzero"`
	Last  time.Time `json:"last,omitzero"`
	// Evidence is every sentence that states the link, in document order.
	Evidence []Evidence `json:"evidence"`
	// Origin says where an imported link came from; empty on export.
	Origin string `json:"origin,omitempty"`
}

// Evidence is one sentence stating a link.
type Evidence struct {
	// Doc is the document the sentence is in (one of Case.Documents), and
	// Sentence its byte span in the document's text.
	Doc      mosaic.DocID `json:"doc"`
	Sentence mosaic.Span  `json:"sentence"`
	// Text is the sentence as written.
	Text string `json:"text"`
	// FromText and ToText are the mentions of the link's From and To as
	// written in it (Load ties each to its end by them); Cue the words
	// that state the relation ("was in touch with").
	FromText string `json:"from_text,omitempty"`
	ToText   string `json:"to_text,omitempty"`
	Cue      string `json:"cue,omitempty"`
	// Confidence is how likely the reading is to be right, in (0, 1].
	Confidence float64 `json:"confidence"`
	// Date is the document's date; zero when undated.
	Date time.Time `json:"date,omitzero"`
}

// Aliases are the entity's spellings other than its name, in order.
func (e Entity) Aliases() []string {
	var out []string
	for _, n := range e.Names {
		if n != e.Name {
			out = append(out, n)
		}
	}
	return out
}

// Ends gives the identifiers a writer gave the link's two ends, from ids
// (the writer's identifier of each entity, by key); the error names the
// end the case holds no entity for.
func (l Link) Ends(ids map[string]string) (from, to string, err error) {
	for _, k := range []string{l.From, l.To} {
		if _, ok := ids[k]; !ok {
			return "", "", fmt.Errorf("link %s %s %s: no entity %q", l.From, l.Type, l.To, k)
		}
	}
	return ids[l.From], ids[l.To], nil
}

// Sentences are the texts of the link's evidence, in order.
func (l Link) Sentences() []string {
	out := make([]string, len(l.Evidence))
	for i, ev := range l.Evidence {
		out[i] = ev.Text
	}
	return out
}

// Classification is the highest classification label of the case's
// collections, the marking a whole file carries; UNCLASSIFIED when none
// has one.
func (c Case) Classification() string {
	level := 0
	for _, col := range c.Collections {
		level = max(level, store.ClassificationLevel(col.Classification))
	}
	return store.Classifications[level]
}

// String names a collection as a file's marking lists it: "name (agency,
// CLASSIFICATION)".
func (c Collection) String() string {
	return fmt.Sprintf("%s (%s, %s)", c.Name, c.Agency, cmp.Or(c.Classification, store.Classifications[0]))
}

// OneLine folds runs of white space, line breaks among them, to single
// spaces: a name or a sentence as one line of a table or an attribute.
func OneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// Lines gives each of ss on one line (OneLine), the lines joined by line
// breaks: a list in one attribute, a sentence a line.
func Lines(ss []string) string {
	out := make([]string, len(ss))
	for i, s := range ss {
		out[i] = OneLine(s)
	}
	return strings.Join(out, "\n")
}

// Decimal writes a float as the shortest decimal that reads back as it,
// and a value that is not a number as 0, which XML Schema's double and
// spreadsheets would otherwise spell each their own way.
func Decimal(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return "0"
	}
	return strconv.FormatFloat(f, 'g', -1, 64)
}
