package sqlstore

import (
	"context"
	"encoding/json"
	"testing"

	"mosaic/internal/store"
)

// TestChartSealed checks that a saved chart's body is in neither the
// database nor its log in clear, and that a key rotation seals it anew so
// that it still reads.
func TestChartSealed(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	oldKey, newKey := mustKey(t), mustKey(t)
	s := openKeyed(t, dir, oldKey)
	secret := "Quillmarsh courier network"
	body := json.RawMessage(`{"title":"` + secret + `"}`)
	if _, err := s.SaveChart(ctx, store.Chart{Name: "k", Agency: "A", Body: body}); err != nil {
		t.Fatal(err)
	}
	checkpointed(t, s)
	assertAbsent(t, dir, []string{secret})
	if err := s.RotateKey(ctx, newKey, nil); err != nil {
		t.Fatal(err)
	}
	c, err := s.Chart(ctx, "A", "", "k")
	if err != nil || string(c.Body) != string(body) {
		t.Errorf("after rotation: %s, %v", c.Body, err)
	}
}
