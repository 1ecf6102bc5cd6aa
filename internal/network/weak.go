package network

import (
	"context"
	"fmt"
	"strings"

	"mosaic"
	"mosaic/internal/entity"
	"mosaic/internal/store"
)

// WeakTie is an end of a piece of evidence whose mention is tied to its
// entity not by a name that identifies it but by a weak name (a kunya, a
// first name or a surname alone) that resolution joined to the entity on
// context evidence: the hop holds only as far as that resolution does.
type WeakTie struct {
	Entity mosaic.EntityID `json:"entity"`
	// Text is the mention as written.
	Text string `json:"text"`
	// Confidence is the resolution's, the lowest when the spelling was
	// joined on context more than once.
	Confidence float64 `json:"confidence"`
	// Reason is resolution's reason, naming the evidence.
	Reason string `json:"reason"`
}

// Profiler reads what the documents say about an entity.
type Profiler interface {
	Entity(ctx context.Context, id mosaic.EntityID, scope store.Scope) (store.EntityProfile, error)
}

// MarkWeakTies fills in Weak on the evidence of every hop of the paths:
// each end whose spelling the entity holds only through a weak-name
// resolution on context evidence (entity.ReasonContext), with that
// resolution's confidence. A spelling is judged by the reasons the store
// gives for it across the entity's documents.
func MarkWeakTies(ctx context.Context, p Profiler, scope store.Scope, paths ...Path) error {
	profiles := map[mosaic.EntityID]store.EntityProfile{}
	tie := func(id mosaic.EntityID, text string) (WeakTie, bool, error) {
		pr, ok := profiles[id]
		if !ok {
			var err error
			if pr, err = p.Entity(ctx, id, scope); err != nil {
				return WeakTie{}, false, fmt.Errorf("weak ties of %d: %w", id, err)
			}
			profiles[id] = pr
		}
		t := WeakTie{Entity: id, Text: text, Confidence: 2}
		want := strings.Join(strings.Fields(text), " ")
		for _, n := range pr.Names {
			if !strings.EqualFold(strings.Join(strings.Fields(n.Name), " "), want) {
				continue
			}
			for _, why := range n.Why {
				if c, ok := entity.WeakConfidence(why); ok && c < t.Confidence {
					t.Confidence, t.Reason = c, why
				}
			}
		}
		return t, t.Reason != "", nil
	}
	for _, path := range paths {
		for _, h := range path.Hops {
			for i := range h.Edge.Evidence {
				ev := &h.Edge.Evidence[i]
				ev.Weak = nil
				for _, end := range []struct {
					id   mosaic.EntityID
					text string
				}{{ev.From, ev.FromText}, {ev.To, ev.ToText}} {
					t, ok, err := tie(end.id, end.text)
					if err != nil {
						return err
					}
					if ok {
						ev.Weak = append(ev.Weak, t)
					}
				}
			}
		}
	}
	return nil
}
