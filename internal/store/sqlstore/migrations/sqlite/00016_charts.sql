-- Saved link charts (store.Chart): one per agency and name, the body (the
-- chart as the page wrote it: nodes, positions, filters) sealed with the
-- store's content key and bound to its row ("chart <id>") and column, as
-- document text is, since it holds names from the agency's documents.
-- Replacing a chart writes a new row under a new id.

-- +goose Up
CREATE TABLE charts (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    agency   TEXT NOT NULL,
    name     TEXT NOT NULL,
    user     TEXT NOT NULL DEFAULT '',
    -- level is the saver's clearance as its place in
    -- store.Classifications (0 UNCLASSIFIED … 4 TOP SECRET): a reader
    -- sees the chart only if cleared as high.
    level    INTEGER NOT NULL DEFAULT 0,
    saved_at TEXT NOT NULL,
    body     BLOB NOT NULL
);
CREATE UNIQUE INDEX charts_name ON charts (agency, name);

-- +goose Down
DROP TABLE charts;
