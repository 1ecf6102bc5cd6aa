-- Judgements per agency: a merge, reject, split, confirm or flag made by
-- one agency shapes only what that agency's scope shows (store.Scope.Agency);
-- the command line's judgements are agency ''. judgements.agency records
-- whose judgement it is.
--
-- A merge was materialised once for everybody, in entities.merged_into,
-- and a forced merge wrote its group's kind over the root's
-- (entities.kind, with entities.kind_before). Both move to merges: one row
-- per member of a merged group, per agency, naming the group's root (its
-- smallest id, a member of itself) and the group's kind. An entity no merge
-- of the agency joins has no row, and reads as itself with its own kind, so
-- a read resolves an entity with one look-up of the primary key
-- (agency, entity), and a group's members are found through merges_root.
-- entities.kind is again always the kind resolution gave.

-- +goose Up
ALTER TABLE judgements ADD COLUMN agency TEXT NOT NULL DEFAULT '';

CREATE TABLE merges (
    agency TEXT NOT NULL,
    entity INTEGER NOT NULL REFERENCES entities (id),
    root   INTEGER NOT NULL REFERENCES entities (id),
    kind   TEXT NOT NULL,
    PRIMARY KEY (agency, entity)
) WITHOUT ROWID;
CREATE INDEX merges_root ON merges (agency, root);

-- The merges made so far are the command line's.
INSERT INTO merges (agency, entity, root, kind)
    SELECT '', e.id, coalesce(e.merged_into, e.id), r.kind
    FROM entities e JOIN entities r ON r.id = coalesce(e.merged_into, e.id)
    WHERE e.merged_into IS NOT NULL OR EXISTS (SELECT 1 FROM entities x WHERE x.merged_into = e.id);
UPDATE entities SET kind = kind_before WHERE kind_before IS NOT NULL;

DROP INDEX entities_merged_into;
ALTER TABLE entities DROP COLUMN merged_into;
ALTER TABLE entities DROP COLUMN kind_before;

-- +goose Down
-- Going down keeps every judgement or fails: while an agency's judgement
-- is recorded (undone or not), the guard's CHECK fails and the transaction
-- rolls back, as 00005 does for flags. The command line's merges go back
-- into entities.
CREATE TEMP TABLE down_guard (records INTEGER CHECK (records = 0));
INSERT INTO down_guard SELECT count(*) FROM judgements WHERE agency != '';
DROP TABLE down_guard;

ALTER TABLE entities ADD COLUMN merged_into INTEGER REFERENCES entities (id);
ALTER TABLE entities ADD COLUMN kind_before TEXT;
CREATE INDEX entities_merged_into ON entities (merged_into) WHERE merged_into IS NOT NULL;
UPDATE entities SET merged_into = (SELECT g.root FROM merges g WHERE g.agency = '' AND g.entity = entities.id)
    WHERE id IN (SELECT entity FROM merges WHERE agency = '' AND root != entity);
UPDATE entities SET kind_before = kind, kind = (SELECT g.kind FROM merges g WHERE g.agency = '' AND g.entity = entities.id)
    WHERE id IN (SELECT g.entity FROM merges g JOIN entities e ON e.id = g.entity
        WHERE g.agency = '' AND g.root = g.entity AND g.kind != e.kind);

DROP INDEX merges_root;
DROP TABLE merges;
ALTER TABLE judgements DROP COLUMN agency;
