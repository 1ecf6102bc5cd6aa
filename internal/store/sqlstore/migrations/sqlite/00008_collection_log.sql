-- The collection log: every rename and deletion of a collection, recorded
-- like a judgement with who, when and why, and for a deletion how many
-- documents the collection held and how many left the store with it. Rows
-- are never deleted or rewritten.
--
-- Forced merges: an analyst may merge entities of different kinds (a name
-- the tagger typed as a place with the person it names). judgements.force
-- records that the kinds differed; the merged group reads with the kind of
-- the entity named first, which is written on the group's entity
-- (entities.kind), the kind it had before kept in entities.kind_before so
-- that undoing the merge restores it.

-- +goose Up
CREATE TABLE collection_log (
    id         INTEGER PRIMARY KEY,
    action     TEXT NOT NULL CHECK (action IN ('rename', 'delete')),
    collection TEXT NOT NULL,
    -- new_name is the name a rename gave; empty for a deletion.
    new_name   TEXT NOT NULL DEFAULT '',
    agency     TEXT NOT NULL,
    created_at TEXT NOT NULL,
    -- documents counts the collection's holdings when it was deleted;
    -- removed, the documents no other collection held, which left the store.
    documents  INTEGER NOT NULL DEFAULT 0,
    removed    INTEGER NOT NULL DEFAULT 0,
    user       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    made_at    TEXT NOT NULL
);

ALTER TABLE judgements ADD COLUMN force INTEGER NOT NULL DEFAULT 0;
ALTER TABLE entities ADD COLUMN kind_before TEXT;

-- +goose Down
-- Going down keeps every analyst's record or fails: while the log holds a
-- rename or deletion, or a forced merge is recorded (undone or not), the
-- guard's CHECK fails and the transaction rolls back, as 00005 does for
-- flags.
CREATE TEMP TABLE down_guard (records INTEGER CHECK (records = 0));
INSERT INTO down_guard SELECT (SELECT count(*) FROM collection_log) + (SELECT count(*) FROM judgements WHERE force != 0);
DROP TABLE down_guard;
ALTER TABLE entities DROP COLUMN kind_before;
ALTER TABLE judgements DROP COLUMN force;
DROP TABLE collection_log;
