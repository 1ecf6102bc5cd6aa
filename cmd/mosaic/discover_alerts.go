package main

import (
	"context"
	"fmt"
	"sort"

	"mosaic"
	"mosaic/internal/store"
)

// maxAlertEntities bounds the entities one ingest checks against the
// other agencies' holdings: a bulk load of a whole archive checks its
// first names only, and says so, rather than run a count per name.
const maxAlertEntities = 5000

// topClearance counts every holding: the command line is the operator of
// the data folder, who may read it all.
var topClearance = store.Classifications[len(store.Classifications)-1]

// holdingAlert is one hit an ingest found: another agency holds material
// on an entity the new documents name.
type holdingAlert struct {
	Entity mosaic.EntityID
	Name   string // the spelling in the ingesting agency's own document
	Other  string
}

// discoveryAlerts checks the people and organisations the documents docs
// name against the holdings of agencies other than agency, stores an
// alert for both sides of every hit (hit/no-hit only: the other side is
// told that new material of agency names one of its entities, nothing
// more) and returns the hits for the ingesting side to print. truncated
// reports that more entities were named than were checked.
//
// The operator sees every hit, but each alert stored carries the highest
// label of the holdings that matched, so that a user is shown it only if
// cleared for them: the ingesting side's alert the label of the other's
// matching holdings, the other side's the label of the collections the
// new documents naming the entity went into.
func discoveryAlerts(ctx context.Context, st store.Store, agency string, docs []mosaic.DocID) (hits []holdingAlert, truncated bool, err error) {
	labels, err := newLabels(ctx, st, agency, docs)
	if err != nil {
		return nil, false, err
	}
	names := map[mosaic.EntityID]string{}
	// theirs is the highest label of the new documents naming an entity.
	theirs := map[mosaic.EntityID]string{}
	var order []mosaic.EntityID
	for _, id := range docs {
		ms, err := st.Mentions(ctx, id, store.Scope{})
		if err != nil {
			return nil, false, err
		}
		for _, m := range ms {
			if m.Entity == 0 || (m.Type != mosaic.Person && m.Type != mosaic.Org) {
				continue
			}
			if _, seen := names[m.Entity]; seen {
				theirs[m.Entity] = higher(theirs[m.Entity], labels[id])
				continue
			}
			if len(order) == maxAlertEntities {
				truncated = true
				continue
			}
			names[m.Entity] = m.Text
			theirs[m.Entity] = labels[id]
			order = append(order, m.Entity)
		}
	}
	var alerts []store.Alert
	for _, id := range order {
		holders, err := st.Holders(ctx, store.Subject{Entities: []mosaic.EntityID{id}}, agency, topClearance)
		if err != nil {
			return nil, false, err
		}
		for _, h := range holders {
			hits = append(hits, holdingAlert{Entity: id, Name: names[id], Other: h.Agency})
			alerts = append(alerts,
				store.Alert{Agency: agency, Other: h.Agency, Entity: id, Classification: h.Classification},
				store.Alert{Agency: h.Agency, Other: agency, Entity: id, Theirs: true, Classification: theirs[id]})
		}
	}
	if err := st.AddAlerts(ctx, alerts); err != nil {
		return nil, false, err
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Other < hits[j].Other })
	return hits, truncated, nil
}

// newLabels returns, for each of docs, the highest label of the agency's
// collections that hold it: those the load put it in, and any other of the
// agency's that held it already.
func newLabels(ctx context.Context, st store.Store, agency string, docs []mosaic.DocID) (map[mosaic.DocID]string, error) {
	cs, err := st.Collections(ctx, store.Scope{})
	if err != nil {
		return nil, err
	}
	out := make(map[mosaic.DocID]string, len(docs))
	for _, id := range docs {
		out[id] = store.Classifications[0]
		for _, c := range cs {
			if c.Agency != agency {
				continue
			}
			held, err := st.Holds(ctx, c.Name, id)
			if err != nil {
				return nil, err
			}
			if held {
				out[id] = higher(out[id], c.Classification)
			}
		}
	}
	return out, nil
}

// higher returns the higher of two labels; an empty one is UNCLASSIFIED,
// and an unknown one ranks above every other, so that it is shown to the
// fewest.
func higher(a, b string) string {
	rank := func(l string) int {
		if l == "" {
			return 0
		}
		if n := store.ClassificationLevel(l); n >= 0 {
			return n
		}
		return len(store.Classifications)
	}
	if rank(b) > rank(a) {
		return b
	}
	if a == "" {
		return store.Classifications[0]
	}
	return a
}

// printDiscoveryAlerts tells the ingesting analyst which other agencies
// hold material on names the new documents use.
func printDiscoveryAlerts(e *env, agency string, hits []holdingAlert, truncated bool) {
	for _, h := range hits {
		fmt.Fprintf(e.stderr, "DISCOVERY: %s holds material on %q (entity %d); see how much with GET /api/v1/discover, and ask it for a share\n",
			h.Other, h.Name, h.Entity)
	}
	if truncated {
		fmt.Fprintf(e.stderr, "DISCOVERY: checked the first %d people and organisations of this load only\n", maxAlertEntities)
	}
	if len(hits) > 0 {
		fmt.Fprintf(e.stderr, "DISCOVERY: each agency named was told only that new material of %s matches its holdings\n", agency)
	}
}
