package web

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// post sends a JSON body and returns the status and the decoded object.
func post(t *testing.T, h http.Handler, target, body string) (int, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	h.ServeHTTP(rec, req)
	res := rec.Result()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("POST %s: not a JSON object: %v; body %s", target, err, raw)
	}
	return res.StatusCode, out
}

func TestJudgements(t *testing.T) {
	f := newFixture(t)
	h := f.entityHandler(t)

	find := func(name string) foundEntity {
		t.Helper()
		var found struct{ Entities []foundEntity }
		getJSON(t, h, "/api/v1/entities?name="+strings.ReplaceAll(name, " ", "+"), http.StatusOK, &found, "entities", "next")
		for _, e := range found.Entities {
			if e.Name == name {
				return e
			}
		}
		t.Fatalf("no entity named %q among %+v", name, found.Entities)
		return foundEntity{}
	}
	full := find("Idris Kallweit")
	// "Kallweit" alone in the joint summary never meets the full name in
	// one document, so resolution keeps it apart; it is proposed.
	bare := find("Kallweit")
	if bare.ID == full.ID {
		t.Fatalf("the fixture's bare surname already resolved to the full name (%d)", full.ID)
	}
	var props struct{ Proposals []entity.Proposal }
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d/proposals", full.ID), http.StatusOK, &props, "proposals")
	proposed := false
	for _, p := range props.Proposals {
		proposed = proposed || p.ID == bare.ID
	}
	if !proposed {
		t.Fatalf("proposals for %d: %+v, want %d (Kallweit)", full.ID, props.Proposals, bare.ID)
	}

	for _, tc := range []struct {
		name, body string
		status     int
		word       string
	}{
		{"empty body", ``, http.StatusBadRequest, "empty"},
		{"not JSON", `merge them`, http.StatusBadRequest, "body"},
		{"unknown field", `{"kind":"merge","entity":1,"other":2,"reason":"r","confidence":1}`, http.StatusBadRequest, "confidence"},
		{"user in body", fmt.Sprintf(`{"kind":"merge","entity":%d,"other":%d,"user":"someone","reason":"r"}`, full.ID, bare.ID), http.StatusBadRequest, "logged in"},
		{"unknown entity", fmt.Sprintf(`{"kind":"merge","entity":%d,"other":999999,"reason":"r"}`, full.ID), http.StatusNotFound, "not found"},
		{"no entity", `{"kind":"merge","reason":"r"}`, http.StatusBadRequest, "entity"},
		{"quotes and semicolons", `{"kind":"merge'; DROP TABLE judgements; --","entity":1,"other":2,"reason":"r"}`, http.StatusBadRequest, "kind"},
	} {
		status, out := post(t, h, "/api/v1/judgements", tc.body)
		if status != tc.status || !strings.Contains(fmt.Sprint(out["error"]), tc.word) {
			t.Errorf("%s: status %d, body %v; want %d mentioning %q", tc.name, status, out, tc.status, tc.word)
		}
	}

	status, out := post(t, h, "/api/v1/judgements",
		fmt.Sprintf(`{"kind":"merge","entity":%d,"other":%d,"reason":"same courier in both reports"}`, full.ID, bare.ID))
	if status != http.StatusCreated || out["kind"] != "merge" || out["user"] != analyst || out["agency"] != "Regional Police" || out["made"] == "" {
		t.Fatalf("merge: status %d, %v", status, out)
	}
	merge := int64(out["id"].(float64))
	var p store.EntityProfile
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d", bare.ID), http.StatusOK, &p,
		"id", "kind", "name", "names", "collections", "connections", "timeline", "merged")
	if p.ID != min(full.ID, bare.ID) || len(p.Merged) != 1 {
		t.Errorf("after merging, entity %d reads as %d merged %v", bare.ID, p.ID, p.Merged)
	}
	// A second merge of the same two conflicts.
	status, _ = post(t, h, "/api/v1/judgements",
		fmt.Sprintf(`{"kind":"merge","entity":%d,"other":%d,"reason":"again"}`, full.ID, bare.ID))
	if status != http.StatusConflict {
		t.Errorf("merging twice: status %d, want 409", status)
	}
	var js struct{ Judgements []store.Judgement }
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d/judgements", full.ID), http.StatusOK, &js, "judgements")
	if len(js.Judgements) != 1 || js.Judgements[0].ID != merge || js.Judgements[0].Reason != "same courier in both reports" {
		t.Errorf("judgements: %+v", js.Judgements)
	}
	status, out = post(t, h, fmt.Sprintf("/api/v1/judgements/%d/undo", merge), `{"reason":"two men"}`)
	if status != http.StatusOK || out["undone_by"] != analyst {
		t.Fatalf("undo: status %d, %v", status, out)
	}
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d", bare.ID), http.StatusOK, &p,
		"id", "kind", "name", "names", "collections", "connections", "timeline")
	if p.ID != bare.ID {
		t.Errorf("after undo, entity %d reads as %d", bare.ID, p.ID)
	}
	if status, _ := post(t, h, fmt.Sprintf("/api/v1/judgements/%d/undo", merge), `{"reason":"again"}`); status != http.StatusConflict {
		t.Errorf("undoing twice: status %d, want 409", status)
	}
	if status, _ := post(t, h, "/api/v1/judgements/999999/undo", `{"reason":"r"}`); status != http.StatusNotFound {
		t.Errorf("undoing an unknown judgement: status %d, want 404", status)
	}
	// A person and a group are merged only when the analyst insists.
	group := find("Northgate Brotherhood")
	body := fmt.Sprintf(`{"kind":"merge","entity":%d,"other":%d,"reason":"one tagged wrongly"`, group.ID, bare.ID)
	if status, out := post(t, h, "/api/v1/judgements", body+`}`); status != http.StatusBadRequest || !strings.Contains(fmt.Sprint(out["error"]), "force") {
		t.Errorf("merging a group with a person: status %d, %v; want 400 saying how to force it", status, out)
	}
	status, out = post(t, h, "/api/v1/judgements", body+`,"force":true}`)
	if status != http.StatusCreated || out["force"] != true {
		t.Fatalf("forced merge: status %d, %v", status, out)
	}
	if status, _ := post(t, h, fmt.Sprintf("/api/v1/judgements/%d/undo", int64(out["id"].(float64))), `{"reason":"no"}`); status != http.StatusOK {
		t.Fatalf("undoing the forced merge: status %d", status)
	}
	// Rejected, the bare surname is no longer proposed.
	status, _ = post(t, h, "/api/v1/judgements",
		fmt.Sprintf(`{"kind":"reject","entity":%d,"other":%d,"reason":"two men"}`, full.ID, bare.ID))
	if status != http.StatusCreated {
		t.Fatalf("reject: status %d", status)
	}
	getJSON(t, h, fmt.Sprintf("/api/v1/entities/%d/proposals", full.ID), http.StatusOK, &props, "proposals")
	for _, p := range props.Proposals {
		if p.ID == bare.ID {
			t.Errorf("a rejected entity is still proposed: %+v", p)
		}
	}
}
