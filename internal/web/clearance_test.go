package web

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"mosaic/internal/store"
)

// TestJudgeWithinClearance: a spelling only a SECRET collection uses is,
// to an analyst of the same agency cleared below it, a spelling no
// document uses — a confirm of it is refused word for word as one of a
// made-up name — and the confirmation a cleared colleague makes of it is
// left out of the entity's judgements the uncleared analyst reads.
func TestJudgeWithinClearance(t *testing.T) {
	f := newMatrix(t)
	vasken, ok := f.entities["Teodor Ilyich Vasken"]
	if !ok || vasken != f.entities["Teodor Vasken"] {
		t.Fatalf("the fixture's SECRET spelling is not resolved to the open entity: %v", f.entities)
	}
	uncleared := who{agency: bravo, role: store.Analyst, restricted: true}
	cleared := who{agency: bravo, role: store.Analyst}
	confirm := func(c who, name string) (int, string) {
		b, _ := json.Marshal(map[string]any{"kind": "confirm", "entity": vasken, "name": name, "reason": "same man"})
		return f.call(t, c, "POST", "/api/v1/judgements", string(b))
	}
	const madeUp = "Teodor Quenby Vasken"
	wantStatus, wantBody := confirm(uncleared, madeUp)
	status, body := confirm(uncleared, "Teodor Ilyich Vasken")
	if wantStatus != http.StatusBadRequest || status != wantStatus || strings.ReplaceAll(body, "Teodor Ilyich Vasken", madeUp) != wantBody {
		t.Errorf("uncleared confirm of the SECRET spelling: %d %s\nwant, as for a made-up one: %d %s", status, body, wantStatus, wantBody)
	}
	if status, body := confirm(cleared, "Teodor Ilyich Vasken"); status != http.StatusCreated {
		t.Fatalf("cleared confirm: %d %s", status, body)
	}
	list := func(c who) string {
		status, body := f.call(t, c, "GET", fmt.Sprintf("/api/v1/entities/%d/judgements", vasken), "")
		if status != http.StatusOK {
			t.Fatalf("judgements as %s: %d %s", c, status, body)
		}
		return body
	}
	if body := list(cleared); !strings.Contains(body, "Ilyich") {
		t.Errorf("the cleared analyst's own confirmation is not listed: %s", body)
	}
	if body := list(uncleared); strings.Contains(body, "Ilyich") || strings.Contains(body, "same man") {
		t.Errorf("the uncleared analyst reads the SECRET confirmation: %s", body)
	}
}
