-- Judgements: what analysts decided about entities. Rows are never deleted
-- or rewritten except to mark one undone. Their effect is materialised:
-- entities.merged_into points every member of a merged group at the group's
-- smallest id (NULL for that id itself), and a split moves mentions to a new
-- entity.

-- +goose Up
ALTER TABLE entities ADD COLUMN merged_into INTEGER REFERENCES entities (id);
CREATE INDEX entities_merged_into ON entities (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE judgements (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('merge', 'reject', 'split', 'confirm')),
    entity      INTEGER NOT NULL REFERENCES entities (id),
    other       INTEGER REFERENCES entities (id),
    name        TEXT NOT NULL DEFAULT '',
    user        TEXT NOT NULL,
    reason      TEXT NOT NULL,
    made_at     TEXT NOT NULL,
    undone_at   TEXT,
    undone_by   TEXT,
    undo_reason TEXT
);
CREATE INDEX judgements_entity ON judgements (entity);
CREATE INDEX judgements_other ON judgements (other) WHERE other IS NOT NULL;

-- generation counts changes to entities, so a cache of their names can tell
-- it is stale (store.Entities.EntityGeneration).
CREATE TABLE generation (
    entities INTEGER NOT NULL
);
INSERT INTO generation (entities) VALUES (0);

-- +goose Down
DROP TABLE generation;
DROP TABLE judgements;
DROP INDEX entities_merged_into;
ALTER TABLE entities DROP COLUMN merged_into;
