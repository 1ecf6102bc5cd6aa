-- Entities: clusters of mentions believed to name one thing. Each mention of
-- a person, organisation, place or other name is assigned to one entity;
-- entity stays NULL until resolution has run for its document, so an
-- interrupted run is picked up again.

-- +goose Up
CREATE TABLE entities (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);

ALTER TABLE mentions ADD COLUMN entity INTEGER REFERENCES entities (id);
-- How the mention was tied to its entity: a within-document reason
-- ("surname alone after the full name") or the cross-document match score.
ALTER TABLE mentions ADD COLUMN resolution TEXT NOT NULL DEFAULT '';
CREATE INDEX mentions_entity ON mentions (entity) WHERE entity IS NOT NULL;
CREATE INDEX mentions_unresolved ON mentions (doc) WHERE entity IS NULL AND type IN ('PERSON', 'ORG', 'LOCATION', 'MISC');

-- +goose Down
DROP INDEX mentions_unresolved;
DROP INDEX mentions_entity;
ALTER TABLE mentions DROP COLUMN resolution;
ALTER TABLE mentions DROP COLUMN entity;
DROP TABLE entities;
