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
func discoveryAlerts(ctx context.Context, st store.Store, agency string, docs []mosaic.DocID) (hits []holdingAlert, truncated bool, err error) {
	names := map[mosaic.EntityID]string{}
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
				continue
			}
			if len(order) == maxAlertEntities {
				truncated = true
				continue
			}
			names[m.Entity] = m.Text
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
				store.Alert{Agency: agency, Other: h.Agency, Entity: id},
				store.Alert{Agency: h.Agency, Other: agency, Entity: id, Theirs: true})
		}
	}
	if err := st.AddAlerts(ctx, alerts); err != nil {
		return nil, false, err
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].Other < hits[j].Other })
	return hits, truncated, nil
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
