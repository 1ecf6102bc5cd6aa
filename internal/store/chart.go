package store

import (
	"context"
	"encoding/json"
	"time"
)

// MaxChartBytes bounds a saved chart's body: ten thousand nodes with
// their positions and styles fit in a few megabytes.
const MaxChartBytes = 8 << 20

// Chart is a link chart an analyst saved by name: what is on it, where,
// and the filters it was drawn with, as the page wrote them. A chart
// belongs to its agency, and carries the clearance of whoever saved it:
// what is on it is what that analyst could see, so only the agency's
// users cleared as high read it.
type Chart struct {
	Name   string `json:"name"`
	Agency string `json:"agency"`
	// User is who saved it last; Classification is that user's clearance
	// (one of Classifications; empty is UNCLASSIFIED).
	User           string    `json:"user,omitempty"`
	Classification string    `json:"classification,omitempty"`
	Saved          time.Time `json:"saved"`
	// Body is the chart as JSON; left out of ChartList.
	Body json.RawMessage `json:"body,omitempty"`
}

// Charts keeps saved link charts, each agency's apart.
type Charts interface {
	// SaveChart stores a chart under its agency and name, replacing the
	// one of that name, and returns it stamped with Saved. It returns
	// ErrInvalid for a blank name or one over 200 characters, a body
	// that is not a JSON object, or one over MaxChartBytes, an unknown
	// classification, and when the name is taken by a chart classified
	// above c's (which its saver could not read, so may not replace).
	SaveChart(ctx context.Context, c Chart) (Chart, error)
	// Chart returns an agency's chart of that name classified at most
	// clearance, or ErrNotFound.
	Chart(ctx context.Context, agency, clearance, name string) (Chart, error)
	// ChartList returns an agency's charts classified at most clearance,
	// without their bodies, by name.
	ChartList(ctx context.Context, agency, clearance string) ([]Chart, error)
	// DeleteChart removes an agency's chart of that name classified at
	// most clearance, or returns ErrNotFound.
	DeleteChart(ctx context.Context, agency, clearance, name string) error
}
