package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// matrixIncident is the nth incident (oldest first) of a matrix
// collection. The matrix's probes have no test to fail, so a fixture
// without it panics.
func (f *matrix) matrixIncident(collection string, n int) mosaic.IncidentID {
	l, err := f.store.IncidentsPage(context.Background(), store.IncidentFilter{Collection: collection}, store.Page{})
	if err != nil || len(l.Incidents) <= n {
		panic(fmt.Sprintf("incident %d of %s: %v (%d listed)", n, collection, err, len(l.Incidents)))
	}
	return l.Incidents[n].ID
}

// incidentPairs are a pair of incidents the caller's agency holds and a
// pair with one the caller may never read. A restricted caller is not
// cleared for bravoSecret, which holds one of its agency's pair.
func (f *matrix) incidentPairs(c who) (own, foreign [2]mosaic.IncidentID) {
	if c.agency == bravo {
		return [2]mosaic.IncidentID{f.matrixIncident(bravoSecret, 0), f.matrixIncident(bravoOpen, 0)},
			[2]mosaic.IncidentID{f.matrixIncident(bravoOpen, 0), f.matrixIncident(alphaMain, 0)}
	}
	return [2]mosaic.IncidentID{f.matrixIncident(alphaMain, 0), f.matrixIncident(alphaMain, 1)},
		[2]mosaic.IncidentID{f.matrixIncident(alphaMain, 0), f.matrixIncident(bravoSecret, 0)}
}

// incidentRulingProbes rule on a pair of the caller's own incidents, on a
// pair with a foreign one (not found, as an incident never stored is), and
// with a malformed id or a body that names another user.
func incidentRulingProbes(verb string) func(f *matrix, c who) []probe {
	return func(f *matrix, c who) []probe {
		own, foreign := f.incidentPairs(c)
		ownWant := http.StatusCreated
		if c.restricted {
			ownWant = http.StatusNotFound
		}
		path := func(p [2]mosaic.IncidentID) string {
			return fmt.Sprintf("/api/v1/incidents/%d/%s/%d", p[0], verb, p[1])
		}
		return []probe{
			{"own", "POST", path(own), `{"reason":"matrix"}`, dealWant(c, ownWant)},
			{"own without a body", "POST", path(own), "", dealWant(c, ownWant)},
			{"foreign", "POST", path(foreign), `{"reason":"matrix"}`, dealWant(c, http.StatusNotFound)},
			{"foreign reversed", "POST", path([2]mosaic.IncidentID{foreign[1], foreign[0]}), "", dealWant(c, http.StatusNotFound)},
			{"bad id", "POST", fmt.Sprintf("/api/v1/incidents/x/%s/%d", verb, own[0]), "", dealWant(c, http.StatusBadRequest)},
			{"itself", "POST", path([2]mosaic.IncidentID{own[0], own[0]}), "", dealWant(c, http.StatusBadRequest)},
			{"acting as another", "POST", path(own), `{"reason":"matrix","user":"bravo-admin"}`, dealWant(c, http.StatusBadRequest)},
		}
	}
}

// TestIncidentRulingsPerAgency: a ruling is recorded as the caller and
// their agency, with the reason; each agency reads only its own; a later
// ruling replaces the earlier; and the call is in the audit log.
func TestIncidentRulingsPerAgency(t *testing.T) {
	f := newMatrix(t)
	ctx := context.Background()
	analyst, bravoAnalyst := who{agency: alpha, role: store.Analyst}, who{agency: bravo, role: store.Analyst}
	own, _ := f.incidentPairs(analyst)
	target := fmt.Sprintf("/api/v1/incidents/%d/same/%d", own[1], own[0])
	code, body := f.call(t, analyst, "POST", target, `{"reason":"one raid, two rows"}`)
	if code != http.StatusCreated {
		t.Fatalf("same: %d %s", code, body)
	}
	var j store.IncidentJudgement
	if err := json.Unmarshal([]byte(body), &j); err != nil {
		t.Fatal(err)
	}
	if j.A != min(own[0], own[1]) || j.B != max(own[0], own[1]) || !j.Same || j.User != analyst.String() ||
		j.Agency != alpha || j.Reason != "one raid, two rows" {
		t.Errorf("ruling %+v", j)
	}
	code, _ = f.call(t, analyst, "POST", strings.Replace(target, "same", "different", 1), "")
	if code != http.StatusCreated {
		t.Fatalf("different: %d", code)
	}
	js, err := f.store.IncidentJudgements(ctx, alpha, store.Scope{})
	if err != nil || len(js) != 1 || js[0].Same || js[0].User != analyst.String() {
		t.Errorf("alpha's rulings: %+v, %v", js, err)
	}
	if js, _ := f.store.IncidentJudgements(ctx, bravo, store.Scope{}); len(js) != 0 {
		t.Errorf("bravo has alpha's rulings: %+v", js)
	}
	bravoOwn, _ := f.incidentPairs(bravoAnalyst)
	if code, body := f.call(t, bravoAnalyst, "POST", fmt.Sprintf("/api/v1/incidents/%d/same/%d", bravoOwn[0], bravoOwn[1]), ""); code != http.StatusCreated {
		t.Fatalf("bravo same: %d %s", code, body)
	}
	if js, _ := f.store.IncidentJudgements(ctx, alpha, store.Scope{}); len(js) != 1 {
		t.Errorf("alpha's rulings after bravo's: %+v", js)
	}
	entries, err := f.store.AuditLog(ctx, store.AuditFilter{User: analyst.String()})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range entries {
		if e.Action == "judge-incidents" {
			n++
		}
	}
	if n != 2 {
		t.Errorf("%d audit entries of alpha's analyst's rulings, want 2: %+v", n, entries)
	}
}
