-- Flags: an analyst flags a person for the lone-actor check, a judgement of
-- kind 'flag' about one entity. SQLite cannot alter a CHECK constraint, so
-- judgements is rebuilt with the wider one: a new table, every row copied
-- with its id, the old table dropped, the new one renamed and its indexes
-- made again. No table references judgements, so dropping it breaks no
-- foreign key; the copy runs in the migration's transaction, so a failure
-- leaves the old table as it was.

-- +goose Up
CREATE TABLE judgements_new (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('merge', 'reject', 'split', 'confirm', 'flag')),
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
INSERT INTO judgements_new (id, kind, entity, other, name, user, reason, made_at, undone_at, undone_by, undo_reason)
    SELECT id, kind, entity, other, name, user, reason, made_at, undone_at, undone_by, undo_reason FROM judgements;
DROP TABLE judgements;
ALTER TABLE judgements_new RENAME TO judgements;
CREATE INDEX judgements_entity ON judgements (entity);
CREATE INDEX judgements_other ON judgements (other) WHERE other IS NOT NULL;

-- +goose Down
-- Going down keeps every judgement or fails: a recorded flag, undone or
-- not, breaks the narrower CHECK, so the copy fails and the transaction
-- rolls back. A migration never loses an analyst's flag.
CREATE TABLE judgements_old (
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
INSERT INTO judgements_old (id, kind, entity, other, name, user, reason, made_at, undone_at, undone_by, undo_reason)
    SELECT id, kind, entity, other, name, user, reason, made_at, undone_at, undone_by, undo_reason FROM judgements;
DROP TABLE judgements;
ALTER TABLE judgements_old RENAME TO judgements;
CREATE INDEX judgements_entity ON judgements (entity);
CREATE INDEX judgements_other ON judgements (other) WHERE other IS NOT NULL;
