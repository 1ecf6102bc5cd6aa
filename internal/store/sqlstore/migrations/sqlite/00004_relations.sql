-- Relations: typed links a sentence states between two mentions of one
-- document (contact, command, membership, ...), and the weaker
-- co-occurrence in one sentence. A relation names its mentions by their key
-- (offsets and type); the entities they stand for are read through the
-- mentions, so resolution and judgements change the network without
-- rewriting relations.

-- +goose Up
CREATE TABLE relations (
    doc        INTEGER NOT NULL REFERENCES documents (seq),
    type       TEXT NOT NULL,
    from_start INTEGER NOT NULL,
    from_end   INTEGER NOT NULL,
    from_type  TEXT NOT NULL,
    to_start   INTEGER NOT NULL,
    to_end     INTEGER NOT NULL,
    to_type    TEXT NOT NULL,
    sent_start INTEGER NOT NULL,
    sent_end   INTEGER NOT NULL,
    negated    INTEGER NOT NULL DEFAULT 0,
    hedged     INTEGER NOT NULL DEFAULT 0,
    cue        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (doc, from_start, from_end, from_type, to_start, to_end, to_type, type, sent_start)
) WITHOUT ROWID;

-- +goose Down
DROP TABLE relations;
