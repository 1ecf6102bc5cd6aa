-- Analysts' rulings on whether two incidents are one attack
-- (store.IncidentJudgement): the word of one agency on one pair, which
-- overrides what deduplication would decide. The pair is kept ordered
-- (a < b), and an agency has one standing ruling per pair: a later one
-- replaces the row, under a new id, so the id orders rulings oldest first.
--
-- The reason is the analyst's own words, sealed with the store's content
-- key and bound to its row ("incident judgement <id>") and column, as the
-- reasons of entity judgements are. A ruling leaves with either incident,
-- and so with the collection that held it.
--
-- The id is AUTOINCREMENT: a replaced ruling's id is never reused, so an
-- id quoted in a merge's explanation never comes to name another ruling.

-- +goose Up
CREATE TABLE incident_judgements (
    id      INTEGER PRIMARY KEY AUTOINCREMENT,
    agency  TEXT NOT NULL,
    a       INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    b       INTEGER NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    same    INTEGER NOT NULL CHECK (same IN (0, 1)),
    user    TEXT NOT NULL DEFAULT '',
    reason  BLOB NOT NULL,
    made_at TEXT NOT NULL,
    CHECK (a < b)
);
CREATE UNIQUE INDEX incident_judgements_pair ON incident_judgements (agency, a, b);
CREATE INDEX incident_judgements_a ON incident_judgements (a);
CREATE INDEX incident_judgements_b ON incident_judgements (b);

-- +goose Down
DROP TABLE incident_judgements;
