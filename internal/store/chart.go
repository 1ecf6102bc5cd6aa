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
// belongs to its agency: its analysts see and replace it, no one else
// does, since what is on it comes from what the agency may see.
type Chart struct {
	Name   string `json:"name"`
	Agency string `json:"agency"`
	// User is who saved it last.
	User  string    `json:"user,omitempty"`
	Saved time.Time `json:"saved"`
	// Body is the chart as JSON; left out of ChartList.
	Body json.RawMessage `json:"body,omitempty"`
}

// Charts keeps saved link charts, each agency's apart.
type Charts interface {
	// SaveChart stores a chart under its agency and name, replacing the
	// one of that name, and returns it stamped with Saved. It returns
	// ErrInvalid for a blank name or one over 200 characters, a body
	// that is not a JSON object, or one over MaxChartBytes.
	SaveChart(ctx context.Context, c Chart) (Chart, error)
	// Chart returns an agency's chart of that name, or ErrNotFound.
	Chart(ctx context.Context, agency, name string) (Chart, error)
	// ChartList returns an agency's charts without their bodies, by name.
	ChartList(ctx context.Context, agency string) ([]Chart, error)
	// DeleteChart removes an agency's chart of that name, or returns
	// ErrNotFound.
	DeleteChart(ctx context.Context, agency, name string) error
}
