package sqlstore

import (
	"context"
	"testing"

	"mosaic"
	"mosaic/internal/store"
)

// TestIncidentRulingSealed checks that the reason of a ruling on two
// incidents is in neither the database nor its log in clear, that a key
// rotation seals it anew so only the new key reads it, and that a reason
// moved to another ruling's row does not open.
func TestIncidentRulingSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	oldKey, newKey := mustKey(t), mustKey(t)
	s := openKeyed(t, dir, oldKey)
	if _, err := s.EnsureCollection(ctx, "gtd", "Police"); err != nil {
		t.Fatal(err)
	}
	ids, err := s.AddIncidents(ctx, "gtd", []mosaic.Incident{
		{Date: mosaic.IncidentDate{Year: 2016}}, {Date: mosaic.IncidentDate{Year: 2016}}, {Date: mosaic.IncidentDate{Year: 2017}}})
	if err != nil {
		t.Fatal(err)
	}
	secret := []string{"informant Pellucidar saw both", "the Wexcombe depot"}
	scope := store.Scope{Agency: "Police"}
	for i, reason := range secret {
		if _, err := s.JudgeIncidents(ctx, store.IncidentJudgement{A: ids[0], B: ids[i+1], Same: i == 0, User: "ana",
			Agency: "Police", Reason: reason}, scope); err != nil {
			t.Fatal(err)
		}
	}
	checkpointed(t, s)
	assertAbsent(t, dir, secret)

	check := func(s *Store) {
		t.Helper()
		js, err := s.IncidentJudgements(ctx, "Police", scope)
		if err != nil {
			t.Fatal(err)
		}
		if len(js) != 2 || js[0].Reason != secret[0] || js[1].Reason != secret[1] {
			t.Errorf("rulings read back as %+v", js)
		}
	}
	if err := s.RotateKey(ctx, newKey, nil); err != nil {
		t.Fatal(err)
	}
	check(s)
	s.Close()
	assertAbsent(t, dir, secret)
	s = openKeyed(t, dir, newKey)
	defer s.Close()
	check(s)
	var left int
	if err := s.db.raw.QueryRow(`SELECT count(*) FROM incident_judgements WHERE substr(reason, 1, 1) != x'02'`).Scan(&left); err != nil || left != 0 {
		t.Errorf("%d ruling reasons not sealed with the new key (%v)", left, err)
	}
	execRaw(t, s.db.raw, `UPDATE incident_judgements SET reason = (SELECT reason FROM incident_judgements WHERE b = ?) WHERE b = ?`, ids[1], ids[2])
	if _, err := s.IncidentJudgements(ctx, "Police", scope); err == nil {
		t.Error("a ruling whose reason was moved from another row reads without error")
	}
}
