-- The ingest queue (store.Jobs): one row per file queued for a
-- collection, taken by mosaic worker processes under a lease that a
-- killed worker lets lapse. A collection holds one job per content hash.

-- +goose Up
CREATE TABLE ingest_jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    collection  TEXT NOT NULL,
    agency      TEXT NOT NULL,
    path        TEXT NOT NULL,
    hash        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    state       TEXT NOT NULL DEFAULT 'queued',
    worker      TEXT NOT NULL DEFAULT '',
    attempts    INTEGER NOT NULL DEFAULT 0,
    lease       TEXT NOT NULL DEFAULT '',
    queued_at   TEXT NOT NULL,
    started_at  TEXT NOT NULL DEFAULT '',
    finished_at TEXT NOT NULL DEFAULT '',
    documents   INTEGER NOT NULL DEFAULT 0,
    new         INTEGER NOT NULL DEFAULT 0,
    error       TEXT NOT NULL DEFAULT ''
);
CREATE UNIQUE INDEX ingest_jobs_content ON ingest_jobs (collection, hash);
CREATE INDEX ingest_jobs_state ON ingest_jobs (state, id);

-- +goose Down
DROP TABLE ingest_jobs;
